"""Features: negation scope, emoticons, hashtags, sentences; the dedup key of the training sets."""

from __future__ import annotations

import pytest

from opinion.sentiment.datasets import dedup_key
from opinion.sentiment.features import (
    FeatureConfig,
    FeatureHasher,
    _mark_negation,
    clean_for_features,
    extract_features,
    has_double_negation,
    split_sentences,
)


@pytest.mark.parametrize("clause, marked", [
    ("好", "好"),
    ("不好", "不~好"),
    ("不太好", "不~太~好"),
    ("没有不好", "¬¬好"),                # a second negator right after cancels the first
    ("不是不喜欢", "¬¬喜欢"),
    ("不知道为什么不开心", "不~知~道~为~什~么不~开~心"),  # too far: a new scope
    ("不明不白", "不~明不~白"),          # an idiom, not a double negation
    ("不错", "不错"),                    # 不错 is praise, not a negation
    ("非常好", "非常好"),
    ("不好吃但是便宜", "不~好~吃但是便宜"),  # an adversative closes the scope
    ("你是不是不喜欢", "你是不是不~喜~欢"),  # 是不是 asks; the second 不 negates (weibo_emotions_train.csv)
    ("能不能别乱跑", "能不能别~乱~跑"),    # A-not-A, then a plain negation (a COVID-19 Weibo post)
    ("好不好吃", "好不好吃"),
    ("不不不", "不不不"),                  # not an A-not-A (the sides are negators): three scopes
    ("没有无线网", "没~有~无~线~网"),      # 无线 is a word: no Wi-Fi, not an affirmation
])
def test_features_negation_scope_marks_characters(clause: str, marked: str) -> None:
    assert "".join(_mark_negation(clause, 6)) == marked


def test_features_negation_scope_is_limited_in_length() -> None:
    marked = _mark_negation("不" + "好" * 10, 3)
    assert marked[1:4] == ["~好"] * 3 and marked[4:] == ["好"] * 7


def test_features_emoticons_and_hashtags_become_whole_features() -> None:
    body, extras = clean_for_features("#武汉加油#医护辛苦了[心][泪] @小明 http://t.cn/A6x")
    assert extras == ["e:心", "e:泪", "h:武汉加油"]
    assert body == "医护辛苦了"


def test_features_words_inside_negation_scope_are_marked() -> None:
    features = extract_features("菜不好吃", FeatureConfig())
    assert "w:~好吃" in features and "w:好吃" not in features
    assert "c:不~好" in features


def test_features_double_negation_keeps_the_plain_words() -> None:
    features = extract_features("不是不喜欢", FeatureConfig())
    assert "w:喜欢" in features and "c:¬¬" in features
    assert not any(f.startswith(("w:不", "w:~")) for f in features)


@pytest.mark.parametrize("text, expected", [
    ("我今天不高兴", ["l:~+"]),           # a negated positive word
    ("一点也不好吃", ["l:~+"]),
    ("服务不太好", ["l:~+"]),             # one jieba word 不太好: its listed rest, negated
    ("服务不好", ["l:-"]),                # 不好 is listed as negative itself
    ("很满意，但是有点失望", ["l:+", "l:-"]),
    ("不是不喜欢", ["l:+"]),              # double negation: the plain word
    ("明天上午开会", []),
])
def test_features_lexicon_marks_sentiment_words_by_sign_and_negation(text: str,
                                                                     expected: list[str]) -> None:
    features = extract_features(text, FeatureConfig(lexicon=True))
    assert [f for f in features if f.startswith("l:")] == expected
    assert not any(f.startswith("l:") for f in extract_features(text, FeatureConfig()))


def test_features_lexicon_without_words_keeps_no_word_features() -> None:
    features = extract_features("我不喜欢", FeatureConfig(word_ngrams=False, lexicon=True))
    assert "l:~+" in features and not any(f.startswith(("w:", "b:")) for f in features)


def test_features_empty_and_emoji_only_texts() -> None:
    config = FeatureConfig()
    assert extract_features("", config) == []
    assert extract_features("😂😂", config)  # emoji are characters too


def test_features_hashing_is_deterministic_and_normalised() -> None:
    hasher = FeatureHasher(FeatureConfig(n_features=2**12))
    first = hasher.transform(["服务很好", "服务很好", ""])
    assert first.shape == (3, 2**12)
    assert (first[0] != first[1]).nnz == 0
    assert abs(first[0].multiply(first[0]).sum() - 1.0) < 1e-5
    assert first[2].nnz == 0


def test_features_config_round_trips_through_json_dict() -> None:
    config = FeatureConfig(char_ngram_max=2, negation_scope=4)
    assert FeatureConfig.from_dict(config.to_dict() | {"unknown": 1}) == config


@pytest.mark.parametrize("text, sentences", [
    ("房间很好。早餐太差！", ["房间很好。", "早餐太差！"]),
    ("真的吗？？好吧…", ["真的吗？？", "好吧…"]),
    ("没有标点的一句话", ["没有标点的一句话"]),
    ("", []),
])
def test_features_split_sentences(text: str, sentences: list[str]) -> None:
    assert split_sentences(text) == sentences


def test_datasets_dedup_key_ignores_script_width_and_punctuation() -> None:
    assert dedup_key("這間酒店很好！") == dedup_key("这间酒店很好!")
    assert dedup_key("ＡＢＣ 好") == dedup_key("abc好")
    assert dedup_key("好") != dedup_key("不好")


@pytest.mark.parametrize("text", ["太好了！！[哈哈]😂 http://t.cn/A6x", "  多个   空格\n\n換行 ABC", "", "。"])
def test_features_raw_char_ngrams_are_the_baseline_analyzers(text: str) -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer

    analyzer = TfidfVectorizer(analyzer="char", ngram_range=(1, 3)).build_analyzer()
    config = FeatureConfig(raw_char_ngrams=True, word_ngrams=False, negation_scope=0)
    assert extract_features(text, config) == analyzer(text)
    assert "！！" in extract_features("太好了！！", config)  # punctuation stays, unlike the clause features
    assert "c:！" not in extract_features("太好了！！", FeatureConfig(word_ngrams=False))


@pytest.mark.parametrize("text, expected", [
    ("不是不喜欢", True), ("其实我没有不开心，只是累了", True), ("不能不说，这家店很好", True),
    ("不喜欢", False), ("不好，不喜欢", False), ("不伦不类", False), ("", False),
    ("#不是不喜欢#", False),  # a hashtag is not read as text by the main features
])
def test_features_has_double_negation(text: str, expected: bool) -> None:
    assert has_double_negation(text) is expected


def test_sentences_keep_their_closing_quotes_and_brackets() -> None:
    """The ” after 。 began the next sentence ('”然后走了……'), and '“太好了！”“是啊！”' had a
    sentence of one ” at its end: what per-sentence scores and theme sentiment quoted."""
    from opinion.sentiment.features import split_sentences

    assert split_sentences("他说：“我很好。”然后走了……真的吗？！好吧。") == [
        "他说：“我很好。”", "然后走了……", "真的吗？！", "好吧。"]
    assert split_sentences("“太好了！”“是啊！”") == ["“太好了！”", "“是啊！”"]
    assert split_sentences("「好啊！」她說。（完）") == ["「好啊！」", "她說。", "（完）"]
