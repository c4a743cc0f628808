"""Topic trends from pooled window shares (opinion.report.trend)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from opinion.report.trend import tiny_periods, trend_of

WEIBO = [6, 72, 86, 6, 12, 16, 38, 14]  # 疫情·现在·众生 on 8 crawl days of the COVID-19 Weibo sample
WEIBO_DAYS = [133, 399, 400, 400, 400, 400, 400, 400]


@pytest.mark.parametrize("counts, totals, label, growth", [
    ([100, 100, 200, 300], [1000] * 4, "rising", 1.5),
    ([400, 400, 200, 200], [1000] * 4, "fading", -0.5),
    ([300, 300, 330, 300], [1000] * 4, "stable", 0.05),
    ([0, 0, 100, 200], [1000] * 4, "new", np.nan),
    ([500], [1000], "too_few", np.nan),
    ([100, 200, 200, 200, 100, 100, 200], [1000] * 7, "fading", -1 / 3),  # last 3 periods vs the 3 before
    ([515, 0, 0], [1000, 900, 950], "gone", -1.0),  # a story that died
    ([300, 300, 0, 0], [1000] * 4, "gone", -1.0),
    ([500, 0, 0, 0, 0, 0, 0], [1000] * 7, "gone", -1.0),
    ([0, 0, 0], [1000] * 3, "too_few", np.nan),
    # Weibo 2020-02-13/14: one stray post, then 295 (22.1%) made 挪富·病毒传播 "rising +29400%"
    ([1, 295], [1000, 1335], "new", np.nan),
    ([60, 60, 1, 1], [300, 300, 500, 500], "gone", -0.99),  # a few stray posts after the story
    ([0, 1, 0], [100, 1000, 100], "too_few", np.nan),  # one post in all: no trend to tell
    ([5, 2, 2], [100, 200, 100], "too_few", np.nan),  # small and steady
    ([2, 2, 2], [100] * 3, "too_few", np.nan),
    ([30, 1], [100, 100], "gone", -0.966667),
    ([3, 3, 6, 9], [300] * 4, "rising", 1.5),  # enough documents: growth as before
])
def test_report_trend_of(counts: list[int], totals: list[int], label: str, growth: float) -> None:
    got = trend_of(pd.Series(counts), pd.Series(totals))
    assert got == (label, pytest.approx(growth, nan_ok=True, abs=1e-5))


def test_report_trend_a_three_post_last_day_moves_the_trend_by_three_posts() -> None:
    """A crawl that stopped after midnight left 3 posts on 04-08, all in this topic: the mean of
    daily shares turned it from "fading -35 %" into "rising +1355 %" (2026-12-08)."""
    assert trend_of(pd.Series(WEIBO), pd.Series(WEIBO_DAYS)) == ("fading", pytest.approx(-0.346154))
    label, growth = trend_of(pd.Series([*WEIBO, 3]), pd.Series([*WEIBO_DAYS, 3]))
    assert label == "fading"
    assert growth == pytest.approx((16 + 38 + 14 + 3) / 1203 / ((86 + 6 + 12) / 1200) - 1)


def test_report_trend_a_small_period_weighs_its_documents_not_a_whole_period() -> None:
    # shares 10 % every day, then 25 of a 50-post day: 50 % that day, but 165 of 1,450 posts in the window
    label, growth = trend_of(pd.Series([20, 20, 20, 40, 100, 25]), pd.Series([200, 200, 200, 400, 1000, 50]))
    assert (label, growth) == ("stable", pytest.approx(165 / 1450 / 0.1 - 1))


def test_report_trend_tiny_periods_are_under_a_tenth_of_the_median() -> None:
    assert tiny_periods(pd.Series([400, 400, 3, 40, 0])).tolist() == [False, False, True, False, True]
    assert tiny_periods(pd.Series([0, 0])).tolist() == [False, False]


def test_report_trend_one_full_period_and_a_tiny_one_is_too_few() -> None:
    assert trend_of(pd.Series([100, 3]), pd.Series([400, 3])) == ("too_few", pytest.approx(np.nan, nan_ok=True))


def test_report_trend_gone_reports_the_fall_from_the_share_the_rule_used() -> None:
    """h46 exports #4: topic 55 of 12 crawl days of the COVID-19 Weibo sample (51 posts on 02-12,
    then 1–2 stray ones) was "○ 已消失 +0%": the growth came from the 3 periods before the recent
    window, as empty as it, not from the history the gone rule compares with (2026-12-08)."""
    counts, totals = [0, 1, 0, 0, 51, 0, 1, 0, 1, 2, 0, 0], [580] + [800] * 11
    label, growth = trend_of(pd.Series(counts), pd.Series(totals))
    assert label == "gone" and growth == pytest.approx(2 / 2400 / (54 / 6980) - 1)  # -89 %, was 0.0
    # one stray post before and two in the window: was "gone +200 %"
    assert trend_of(pd.Series([20, 0, 1, 0, 0, 1, 1]), pd.Series([100] * 7)) == (
        "gone", pytest.approx(2 / 300 / (21 / 400) - 1))


@pytest.mark.parametrize("seed", range(40))
def test_report_trend_gone_growth_is_always_a_fall_of_more_than_half(seed: int) -> None:
    rng = np.random.default_rng(seed)
    totals = pd.Series(rng.integers(50, 900, 10))
    counts = pd.Series([int(rng.integers(3, 40))] * 2 + rng.integers(0, 3, 8).tolist())
    label, growth = trend_of(counts, np.maximum(totals, counts))
    if label == "gone":
        assert -1.0 <= growth < -0.5


def test_trend_a_change_within_chance_is_stable() -> None:
    """3,000 THUCNews titles with random dates: 佳能·售价·时尚 was "fading -54 %" from 6 titles of
    160 to 3 of 173, and 57 % of topics with a constant share got a direction (2026-12-08)."""
    import collections

    import numpy as np

    assert trend_of(pd.Series([6, 3]), pd.Series([160, 173]))[0] == "stable"
    assert trend_of(pd.Series([20, 50]), pd.Series([200, 200]))[0] == "rising"  # 10 % → 25 %: beyond chance
    rng = np.random.default_rng(0)
    labels = collections.Counter(trend_of(pd.Series(rng.binomial(50, 0.1, 20)), pd.Series([50] * 20))[0]
                                 for _ in range(500))
    assert (labels["rising"] + labels["fading"]) / 500 < 0.1  # was 0.57


def test_trend_new_only_when_absent_from_every_earlier_period() -> None:
    """15 posts in the first three periods, a dip, then 3 recent ones was announced 新出现."""
    label, growth = trend_of(pd.Series([5, 4, 6, 1, 1, 0, 1, 1, 1]), pd.Series([100] * 9))
    assert label == "stable" and growth < 0  # measured against every period before: within chance
    assert trend_of(pd.Series([0, 0, 0, 1, 0, 0, 5, 6, 4]), pd.Series([100] * 9))[0] == "new"
