"""NPMI coherence, topic diversity and outlier share on small real token lists."""

from __future__ import annotations

import math

import numpy as np
import pytest

from opinion.topics.metrics import npmi_coherence, outlier_share, topic_diversity

DOCS = [  # jieba tokens of real titles and posts (THUCNews, Weibo 2020)
    ["疫情", "防控", "口罩"], ["疫情", "口罩", "武汉"], ["武汉", "加油"],
    ["股市", "基金", "上涨"], ["基金", "净值", "上涨"], ["股市", "大跌"],
    ["国货", "直播", "带货"], ["直播", "带货", "主播"], [], ["疫情", "防控", "防控"],
]


def test_metrics_npmi_rewards_words_that_occur_together() -> None:
    coherent, mixed = npmi_coherence([["疫情", "防控", "口罩"], ["疫情", "基金", "直播"]], DOCS)
    assert coherent > 0.3 and mixed == pytest.approx(-1.0)  # the mixed words never co-occur
    assert -1.0 <= min(coherent, mixed) and max(coherent, mixed) <= 1.0


def test_metrics_npmi_hand_computed_pair() -> None:
    # 基金 in 2/10 docs, 上涨 in 2/10, together in 2/10: log(0.2/0.04)/-log(0.2) = 1.
    assert npmi_coherence([["基金", "上涨"]], DOCS) == [pytest.approx(1.0)]
    # 疫情 3/10, 口罩 2/10, together 2/10: log(0.2/0.06)/-log(0.2).
    expected = math.log(0.2 / 0.06) / -math.log(0.2)
    assert npmi_coherence([["疫情", "口罩"]], DOCS) == [pytest.approx(expected)]


def test_metrics_npmi_uses_top_n_and_handles_degenerate_topics() -> None:
    long_topic = ["基金", "上涨"] + ["疫情"] * 3 + ["武汉"]
    assert npmi_coherence([long_topic], DOCS, top_n=2) == [pytest.approx(1.0)]
    scores = npmi_coherence([["基金"], [], ["未出现", "也没有"]], DOCS)
    assert math.isnan(scores[0]) and math.isnan(scores[1]) and scores[2] == -1.0
    assert all(math.isnan(s) for s in npmi_coherence([["基金", "上涨"]], []))


@pytest.mark.parametrize("topics, expected", [
    ([["疫情", "防控"], ["股市", "基金"]], 1.0),
    ([["疫情", "防控"], ["疫情", "防控"]], 0.5),
    ([["疫情", "防控", "口罩"], ["疫情", "基金", "直播"]], 5 / 6),
])
def test_metrics_diversity_counts_unique_top_terms(topics: list[list[str]], expected: float) -> None:
    assert topic_diversity(topics) == pytest.approx(expected)


def test_metrics_outlier_share() -> None:
    assert outlier_share([-1, 0, 1, -1]) == 0.5
    assert outlier_share(np.array([0, 1, 2])) == 0.0
    assert outlier_share([]) == 0.0
