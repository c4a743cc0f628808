"""The one period rule (opinion.periods) and its users agreeing on one workspace."""

from __future__ import annotations

import pandas as pd
import pytest

from opinion.errors import InputError
from opinion.explore.data import ExploreStore
from opinion.io.workspace import Workspace
from opinion.periods import check_period, choose_period, period_label, period_start
from opinion.report.tables import build_tables
from opinion.theme_tables import theme_prevalence
from opinion.topics import fit as F
from opinion.topics.settings import workspace_period
from opinion.words.groups import choose_workspace_period, period_of
from tests.factory import make_workspace


@pytest.mark.parametrize("days, period", [(0, "day"), (45, "day"), (79, "day"), (92, "day"), (93, "week"),
                                          (400, "week"), (730, "week"), (731, "month")])
def test_periods_choose_period_by_calendar_days(days: int, period: str) -> None:
    dates = pd.Series([pd.Timestamp("2020-01-19"), pd.Timestamp("2020-01-19") + pd.Timedelta(days=days), pd.NaT])
    assert choose_period(dates) == period


def test_periods_span_counts_calendar_days_not_hours() -> None:
    # 92 days and 22 hours apart, but 93 calendar days: the explorer counts whole days, so must the rule
    dates = pd.Series(pd.to_datetime(["2020-01-01 01:00", "2020-04-03 23:00"]))
    assert choose_period(dates) == "week"


def test_periods_no_dates_is_day() -> None:
    assert choose_period(pd.Series([pd.NaT, None])) == "day"


def test_periods_bins_and_labels() -> None:
    dates = pd.Series(pd.to_datetime(["2020-02-05 13:00", "2020-02-09 23:59", "2020-02-10 00:00", None]))
    assert period_label(dates, "day").tolist()[:3] == ["2020-02-05", "2020-02-09", "2020-02-10"]
    assert period_label(dates, "week").tolist()[:3] == ["2020-02-03", "2020-02-03", "2020-02-10"]  # Mon–Sun
    assert period_label(dates, "month").tolist()[:3] == ["2020-02-01"] * 3
    assert period_start(dates, "week").isna().tolist() == [False, False, False, True]


def test_periods_check_period_names_the_choices() -> None:
    assert check_period(None) is None and check_period("week") == "week"
    with pytest.raises(InputError, match="period must be one of day, week, month; got 'year'"):
        check_period("year")


def _spread(ws: Workspace, days: int) -> None:
    """Spread the sample's dates evenly over ``days`` calendar days."""
    for part in ws.parts("corpus"):
        corpus = ws.read_part("corpus", part)
        step = days / max(1, len(corpus) - 1)
        stamps = pd.Timestamp("2020-01-19 08:30") + pd.to_timedelta(
            [round(i * step) for i in range(len(corpus))], unit="D")
        ws.write_part("corpus", part, corpus.assign(published_at=stamps))


@pytest.mark.parametrize("days, expected", [(60, "day"), (100, "week"), (1000, "month")])
def test_periods_report_explorer_themes_topics_words_agree(tmp_path, days: int, expected: str) -> None:
    ws = make_workspace(tmp_path / "ws")
    _spread(ws, days)
    run = build_tables(ws)["run"]
    report = run.loc[run["key"] == "period", "value"].iloc[0]
    explorer = ExploreStore.open(ws.root, texts_in_memory=False).period
    topics = F.scan_corpus(ws).choose_period()
    words = choose_workspace_period(ws)
    assert report == explorer == topics == words == workspace_period(ws) == expected
    # themes bins its table by the same unit: every period label is such a period's start
    labels = pd.to_datetime(theme_prevalence(ws)["period"].unique())
    assert set(labels) == set(period_start(pd.Series(labels), expected))
    first = str(ws.read("corpus")["published_at"].min().date())
    assert period_of(ws, first) == period_label(pd.Series([pd.Timestamp(first)]), expected).iloc[0]


def test_periods_one_sentinel_date_does_not_turn_days_into_months() -> None:
    """2,932 posts of 2020-01-19…04-07 and one dated 1970-01-01 08:00 (epoch 0 in Beijing time)
    were exported by month, 604 periods (2026-12-08): the span leaves out the outer 1 % of dates."""
    days = pd.Series(pd.date_range("2020-01-19", "2020-04-07", periods=2932))
    assert choose_period(pd.concat([days, pd.Series([pd.Timestamp("1970-01-01 08:00")])])) == "day"
    assert choose_period(pd.concat([days, pd.Series([pd.Timestamp("2030-01-01")] * 3)])) == "day"
    assert choose_period(pd.concat([days, days + pd.Timedelta(days=300)])) == "week"  # half the data is no outlier


def test_periods_under_a_hundred_dates_keep_their_whole_span() -> None:
    dates = pd.Series(pd.to_datetime(["2020-01-01"] * 98 + ["2020-12-31"]))
    assert choose_period(dates) == "week"


def test_periods_workspace_period_takes_the_export_then_the_topics_then_the_dates(tmp_path) -> None:
    """`opinion topics --period week` made the export weekly while `opinion themes`, `opinion
    keywords` and the explorer's Words tab stayed daily; `opinion export --period week` made the
    export weekly while the explorer's timelines stayed daily (2026-12-08)."""
    from opinion.config import ExportSettings, TopicSettings, store_settings
    from opinion.topics.settings import workspace_period_choice

    ws = make_workspace(tmp_path / "ws")  # 68 days: day
    assert workspace_period_choice(ws) == ("day", "dates")
    store_settings(ws, TopicSettings(period="week"))
    ws.save_manifest()
    assert workspace_period_choice(Workspace.open(ws.root)) == ("week", "topics")
    store_settings(ws, ExportSettings(period="month"))
    ws.save_manifest()
    ws = Workspace.open(ws.root)
    assert workspace_period_choice(ws) == ("month", "export")
    run = build_tables(ws)["run"]
    assert run.loc[run["key"] == "period", "value"].iloc[0] == "month"
    assert ExploreStore.open(ws.root, texts_in_memory=False).period == "month"
    assert choose_workspace_period(ws) == "month"
    assert set(pd.to_datetime(theme_prevalence(ws)["period"].unique()).day) == {1}  # months
