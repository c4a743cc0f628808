"""The lexicon scorer: negators, degree words, adversatives, and the words behind a score."""

from __future__ import annotations

import pytest

from opinion.errors import InputError
from opinion.sentiment.lexicon import LexiconScorer


@pytest.fixture(scope="module")
def scorer() -> LexiconScorer:
    return LexiconScorer.load()


@pytest.mark.parametrize("text, sign", [
    ("好", 1),
    ("不好", -1),
    ("不太好", -1),
    ("没有不好", 1),
    ("不是不喜欢", 1),
    ("我今天不高兴", -1),       # SnowNLP scores this positive
    ("我今天很高兴", 1),
    ("並不喜歡", -1),           # Traditional input
    ("别难过", 1),
    ("服务未见热情", -1),
    ("非常满意", 1),
    ("质量不怎么样", -1),
    ("武汉加油[心]", 1),
    ("[泪][泪]", -1),
    ("不知道为什么不开心", -1),
    ("不是很好吃", -1),  # distant negators do not cancel
])
def test_lexicon_negation_table(scorer: LexiconScorer, text: str, sign: int) -> None:
    result = scorer.explain(text)
    assert result.total * sign > 0, (text, result)
    assert (result.score > 0.5) == (sign > 0)


def test_lexicon_negated_degree_is_softer_than_plain_negation(scorer: LexiconScorer) -> None:
    plain, softened, stronger = (scorer.explain(t).total for t in ("不好", "不太好", "太不好"))
    assert stronger < plain < softened < 0


def test_lexicon_intensifier_strengthens(scorer: LexiconScorer) -> None:
    assert scorer.explain("非常好").total > scorer.explain("好").total > scorer.explain("有点好").total


def test_lexicon_adversative_weights_the_clause_after_it(scorer: LexiconScorer) -> None:
    assert scorer.explain("价格便宜，但是质量很差").total < 0
    assert scorer.explain("质量很差，但是价格便宜").total > scorer.explain("价格便宜，但是质量很差").total
    after = scorer.explain("虽然有点贵，不过很好吃")
    assert after.total > 0


def test_lexicon_explain_lists_words_and_modifiers(scorer: LexiconScorer) -> None:
    result = scorer.explain("房间很干净，但是服务不太好")
    assert [(h.word, h.modifiers) for h in result.hits] == [("干净", ("很",)), ("好", ("不", "太"))]
    assert result.hits[0].weight > 0 > result.hits[1].weight


def test_lexicon_no_sentiment_word_is_neutral(scorer: LexiconScorer) -> None:
    for text in ("", "今天是星期三", "😂"):
        result = scorer.explain(text)
        assert result.hits == [] and result.score == 0.5


def test_lexicon_score_many(scorer: LexiconScorer) -> None:
    scores = scorer.score(["很好", "很差", "很好"])
    assert scores[0] == scores[2] > 0.5 > scores[1]


def test_lexicon_custom_folder_with_bad_additions_file(tmp_path, scorer) -> None:
    for name in ("hownet_positive.txt", "hownet_negative.txt", "hownet_degree.txt",
                 "hownet_negators.txt"):
        (tmp_path / name).write_text("# empty\n", encoding="utf-8")
    (tmp_path / "opinion_additions.txt").write_text("赞\n[positive]\n赞\n", encoding="utf-8")
    with pytest.raises(InputError, match="before any \\[section\\]"):
        LexiconScorer.load(tmp_path)
    (tmp_path / "opinion_additions.txt").write_text("[positive]\n赞\n[negators]\n不\n", encoding="utf-8")
    custom = LexiconScorer.load(tmp_path)
    assert custom.explain("不赞").total < 0 < custom.explain("赞").total


def test_lexicon_long_complaint_scores_near_zero_instead_of_overflowing(scorer: LexiconScorer) -> None:
    """A total below about -709 raised OverflowError in math.exp and stopped the whole stage
    (900 real waimai complaints in one document); it scores ≈ 0 and negative, like any complaint."""
    from opinion.sentiment.lexicon import sigmoid

    thread = "\n".join(["送餐太慢，饭菜都凉了，很难吃。"] * 400)
    result = scorer.explain(thread)
    assert result.total < -709 and 0.0 <= result.score < 1e-200
    assert scorer.score([thread]) == [result.score]
    assert sigmoid(0.0) == 0.5 and sigmoid(1e6) == 1.0 and sigmoid(-1e6) < 1e-300


@pytest.mark.parametrize("text", [
    "不怎么喜欢",
    "这套书,不怎么适合小孩子看,没有什么意思!",  # online_shopping_10_cats
    "服务不甚满意",
    "没怎么满意",
    "设计实用性并非很好",  # online_shopping_10_cats
    "谈不上满意",
    "价格算不上便宜",
    "称不上优秀",
])
def test_lexicon_negating_degree_words_and_phrases_read_negative(scorer: LexiconScorer, text: str) -> None:
    """不怎么/不甚/没怎么 were plain degree words (0.6) and 并非/谈不上/算不上/称不上 no negators:
    不怎么喜欢 read +0.6, 并非很好 +2.0, 谈不上满意 +1."""
    negated = [h for h in scorer.explain(text).hits if h.modifiers]
    assert negated and all(h.weight < 0 for h in negated), (text, negated)


def test_lexicon_negating_degree_words_soften_like_bu_tai(scorer: LexiconScorer) -> None:
    """不怎么喜欢 is 不太喜欢 (-0.5 × 喜欢), softer than 不喜欢; 没 + 怎么 as two tokens counts too."""
    soft = {t: scorer.explain(t).total for t in ("不怎么喜欢", "不太喜欢", "没怎么满意", "服务不甚满意")}
    assert set(soft.values()) == {-0.5}
    assert scorer.explain("不喜欢").total < soft["不怎么喜欢"]
