"""Sentences and theme sentiment: the splitter loses nothing but white space, a theme's
sentences are those holding one of its terms (outside ``exclude_context``), the doctests hold."""

from __future__ import annotations

import doctest
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from opinion import schema as S
from opinion.config import PrepareSettings
from opinion.prepare import prepare_part
from opinion.sentiment.features import split_sentences
from opinion.sentiment.score import SentimentSettings, score_part, score_texts, settings_fingerprint

DATA = Path(__file__).parent / "data" / "sentiment"
REAL_TEXTS = [json.loads(line)["text"] for line in
              (DATA / "sentences_real_34.jsonl").read_text(encoding="utf-8").splitlines()]


def _without_space(text: str) -> str:
    return re.sub(r"\s", "", text)


@pytest.mark.parametrize("text, sentences", [
    ("……哈哈哈，好开心", ["……哈哈哈，好开心"]),  # the …… was lost
    ("！！！太棒了", ["！！！太棒了"]),
    ("“太好了！！！”？？他问", ["“太好了！！！”？？", "他问"]),  # the ？？ was lost
    ("？？？", ["？？？"]),  # the whole text was lost
    ("http://t.cn/abc?x=1。好", ["http://t.cn/abc?x=1。", "好"]),  # was cut at the URL's ?
    ("看这个http://t.cn/x？好", ["看这个http://t.cn/x？", "好"]),  # a mark after a URL still ends
    ("好。 ？？ 坏", ["好。？？", "坏"]),  # marks without words join the sentence before
    ("  \n ", []),
])
def test_split_sentences_keeps_every_mark(text: str, sentences: list[str]) -> None:
    assert split_sentences(text) == sentences


def test_split_sentences_loses_only_white_space_on_real_texts() -> None:
    """34 real Weibo posts and shopping reviews, 22 of which the old splitter cut marks from
    (??? opening a post, 。。 after a closing bracket, ...)."""
    assert len(REAL_TEXTS) == 34
    for text in REAL_TEXTS:
        sentences = split_sentences(text)
        assert _without_space("".join(sentences)) == _without_space(text), text
        assert all(s == s.strip() and s for s in sentences)


def test_split_sentences_still_splits_real_texts_at_their_ends() -> None:
    review = next(t for t in REAL_TEXTS if t.startswith("。。味道"))
    assert split_sentences(review) == ["。。味道和在超市买的一点也不一样哎。。。", "感觉瞬间就下档次了。。",
                                       "不喜欢。。。", "是不是假的呀"]


@pytest.mark.parametrize("text, sentences", [
    # an ASCII "." after a Chinese character, and runs of ".", end a sentence (a review typed so was one)
    ("外观也很喜欢.售后服务太差.", ["外观也很喜欢.", "售后服务太差."]),
    ("口感细腻.冰爽脆甜多汁.", ["口感细腻.", "冰爽脆甜多汁."]),  # online_shopping_10_cats
    ("全烂了...没一个好的..", ["全烂了...", "没一个好的.."]),
    ("这样的前提).最后希望送双早", ["这样的前提).", "最后希望送双早"]),
    ("...好吃", ["...好吃"]),
    ("好吃。.下次再来", ["好吃。.", "下次再来"]),
    # and these do not: decimals, abbreviations, versions, domains, the 1. of a list
    ("评分3.5分", ["评分3.5分"]),
    ("来自U.S.的产品e.g.不错", ["来自U.S.的产品e.g.不错"]),
    ("升级到v1.2.3以后好用", ["升级到v1.2.3以后好用"]),
    ("访问baidu.com查看", ["访问baidu.com查看"]),
    ("1.做工中下 2.电池还行", ["1.做工中下 2.电池还行"]),
    # a #话题# is one token, never cut (its ？ cut it, and its words counted for a theme)
    ("#钟南山说了什么？#我看了！好", ["#钟南山说了什么？#我看了！", "好"]),
    ("#凝心聚力战疫情丨让生命更加健康瑞禧！#加油", ["#凝心聚力战疫情丨让生命更加健康瑞禧！#加油"]),
    ("#话题#好！#下一个？#", ["#话题#好！", "#下一个？#"]),
])
def test_split_sentences_ascii_full_stops_and_hashtags(text: str, sentences: list[str]) -> None:
    assert split_sentences(text) == sentences


def test_split_sentences_hashtag_words_stay_one_token() -> None:
    """A sentence's tokens hold a hashtag's words only as the hashtag, as the document's do."""
    from opinion.sentiment.score import _theme_runtime

    tokenizer = _theme_runtime((), ())[1]
    text = "#疫情怎么办？#大家加油！"
    assert "疫情" not in tokenizer.tokenize(text)
    assert not any("疫情" in tokenizer.tokenize(s) for s in split_sentences(text))


def test_split_sentences_with_many_urls() -> None:
    """Each cut was checked against every URL (8,000 URLs took 14 s; the time is measured by
    benchmarks/sentence_split_urls.py): every sentence still ends after its URL."""
    text = "支持国货 http://t.cn/A6abc?x=1;y=2 好！\n" * 800
    sentences = split_sentences(text)
    assert len(sentences) == 800 and all(s.strip() == "支持国货 http://t.cn/A6abc?x=1;y=2 好！" for s in sentences)


# --- theme sentiment ----------------------------------------------------------------------
def _prepared(texts: list[str]) -> pd.DataFrame:
    """The prepare stage's own rows (text_norm and theme_<name> columns) for ``texts``."""
    corpus = pd.DataFrame({S.DOC_ID: [f"d{i}" for i in range(len(texts))], S.TEXT_RAW: texts})
    return prepare_part(corpus, PrepareSettings())


def _mean_of_sentences(text: str, indices: list[int]) -> float:
    scores = score_texts(split_sentences(text))
    return float(np.mean(scores[indices]))


def test_theme_sentiment_counts_every_sentence_with_a_term() -> None:
    """Each sentence holds one weak term (售后 1, 退款 1; 信任 needs weight 2): the document is a
    信任 document, and both sentences count; each sentence on its own is below the gate."""
    prepared = _prepared(["售后很差。退款也慢。", "剪纸很美。刺绣很好。传统文化要保护。"])
    assert prepared["theme_信任"].tolist()[0] > 0 and prepared["theme_非遗"].tolist()[1] > 0
    out = score_part(prepared, SentimentSettings())
    assert out.loc[0, "sentiment_theme_信任"] == pytest.approx(_mean_of_sentences("售后很差。退款也慢。", [0, 1]))
    text = prepared[S.TEXT_NORM][1]
    assert out.loc[1, "sentiment_theme_非遗"] == pytest.approx(_mean_of_sentences(text, [0, 1, 2]))
    assert np.isnan(out.loc[0, "sentiment_theme_非遗"]) and np.isnan(out.loc[1, "sentiment_theme_信任"])


def test_theme_sentiment_of_real_trust_reviews_is_never_null() -> None:
    """7 real reviews (online_shopping_10_cats) that prepare flags as 信任 through weak terms
    in separate sentences (退货 … 售后服务 …): all 7 were null."""
    reviews = pd.read_csv(DATA / "trust_reviews_7.csv", dtype=str)
    prepared = _prepared(reviews["review"].tolist())
    assert (prepared["theme_信任"] > 0).all()
    out = score_part(prepared, SentimentSettings())
    assert out["sentiment_theme_信任"].notna().all()
    text = prepared[S.TEXT_NORM][3]  # 我要的书送错了，…办理退货呢？当当的售后服务果真…差！！！
    assert out.loc[3, "sentiment_theme_信任"] == pytest.approx(_mean_of_sentences(text, [0, 1]))


def test_theme_sentiment_is_the_same_with_ascii_full_stops() -> None:
    """A review typed with "." was one sentence: its 信任 sentiment was the whole review's (0.77,
    positive) rather than that of the after-sales complaint (0.004 with 。)."""
    texts = [f"屏幕很漂亮,运行速度很快,外观也很喜欢{stop}售后服务太差,退货拖了一个星期也没退款{stop}"
             for stop in ("。", ".", "...")]
    values = score_part(_prepared(texts), SentimentSettings())["sentiment_theme_信任"].tolist()
    assert max(values) < 0.05 and values == pytest.approx([values[0]] * 3, abs=0.01)  # the marks differ


@pytest.mark.parametrize("theme, text", [("信任", "信用债又违约了。诚信经营很重要。"),
                                         ("国货", "出国潮又来了。国货真香。")])
def test_theme_sentiment_leaves_out_terms_inside_exclude_context(theme: str, text: str) -> None:
    """信用 inside 信用债, 国潮 inside 出国潮 (exclude_context phrases) do not make their sentence
    count: they did, as the sentence's tokens were matched without its text."""
    prepared = _prepared([text])
    assert prepared[f"theme_{theme}"][0] > 0
    out = score_part(prepared, SentimentSettings())
    assert out.loc[0, f"sentiment_theme_{theme}"] == pytest.approx(
        _mean_of_sentences(prepared[S.TEXT_NORM][0], [1]))


def test_score_version_changes_the_fingerprint() -> None:
    """Theme sentiment changed (score version 4): workspaces scored before compute again."""
    from opinion.sentiment import score

    assert score.SCORE_VERSION >= 4
    before = settings_fingerprint(SentimentSettings())
    try:
        score.SCORE_VERSION -= 1
        assert settings_fingerprint(SentimentSettings()) != before
    finally:
        score.SCORE_VERSION += 1


@pytest.mark.parametrize("module", ["score", "features", "evaluate", "columns"])
def test_sentiment_doctests_hold(module: str) -> None:
    """The examples in the docstrings run (score_texts showed a model output that changed)."""
    import importlib

    result = doctest.testmod(importlib.import_module(f"opinion.sentiment.{module}"))
    assert result.failed == 0 and result.attempted > 0
