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
