"""What readers see: script rendering, number formats, headings (opinion.report.display)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from opinion.errors import InputError
from opinion.report.display import (
    NO_DOCUMENTS,
    display_frame,
    format_value,
    pivot_by_period,
    recent_periods,
    render,
    render_name,
    render_names,
    render_series,
    short_label,
    sparkline,
    topic_names,
)
from opinion.report.markdown_writer import markdown_table


@pytest.mark.parametrize("value, column, shown", [
    (0.1234, "share", "12.3%"),
    (np.float64(0.5), "positive_share", "50.0%"),
    (0.61234, "mean_sentiment", "0.61"),
    (-0.5, "trend_growth", "-50%"),
    (1.5, "trend_growth", "+150%"),
    (np.nan, "share", ""),
    (None, "", ""),
    (pd.NaT, "", ""),
    (pd.NA, "", ""),
    (12, "", "12"),
    (np.int64(620792), "", "620,792"),
    (pd.Timestamp("2020-01-24"), "", "2020-01-24"),
    (pd.Timestamp("2020-01-24 08:30"), "", "2020-01-24 08:30"),
    (np.array(["口罩", "防护"]), "", "口罩、防护"),
    (True, "", "是"),
    ("武汉加油", "", "武汉加油"),
])
def test_report_display_format_value(value: object, column: str, shown: str) -> None:
    assert format_value(value, column) == shown


@pytest.mark.parametrize("value, script, lang, shown", [
    (True, "zh-Hans", "en", "yes"),
    (np.bool_(False), "zh-Hans", "en", "no"),
    (True, "zh-Hans", "zh", "是"),
    (False, "zh-Hant-TW", "zh", "否"),
])
def test_report_display_true_and_false_in_the_readers_language(value: object, script: str, lang: str,
                                                                shown: str) -> None:
    """--lang en printed the run table's flags as 是/否 (format_value took no language)."""
    assert format_value(value, script=script, lang=lang) == shown
    run = display_frame(pd.DataFrame({"key": ["complete"], "value": [value]}, dtype=object), script, lang=lang)
    assert run.iloc[0, 1] == shown


def test_report_display_topic_names_keep_the_id_when_the_label_is_cut() -> None:
    """A shared label cut for a list or an axis keeps its #id (the one naming rule)."""
    long = "9_#钟南山表示无症状感染者不会引起大暴发#_开学_复工_返校"
    names = topic_names(pd.DataFrame({"topic_id": [9, 12, 3], "label": [long, long, "口罩"]}), shorten=short_label)
    assert names[9] == short_label(long) + " #9" and names[12].endswith(" #12") and names[3] == "口罩"


@pytest.mark.parametrize("text, script, shown", [
    ("国货直播带货", "zh-Hans", "国货直播带货"),
    ("国货直播带货", "zh-Hant-TW", "國貨直播帶貨"),
    ("软件", "zh-Hant-TW", "軟件"),  # words keep their wording: no Taiwan phrase (軟體)
    ("比特", "zh-Hant-TW", "比特"),  # not 位元 (issue 14)
    ("文档数", "zh-HK", "文檔數"),
    ("", "zh-HK", ""),
])
def test_report_display_render(text: str, script: str, shown: str) -> None:
    assert render(text, script) == shown


def test_report_display_render_keeps_non_text_and_lists() -> None:
    values = pd.Series(["直播带货", None, np.nan, ["国货", "非遗"]], dtype=object)
    out = render_series(values, "zh-Hant-TW").tolist()
    assert out[0] == "直播帶貨" and out[1] is None and np.isnan(out[2]) and out[3] == ["國貨", "非遺"]
    with pytest.raises(InputError, match="zh-Hans, zh-Hant-TW, zh-HK"):
        render("国货", "zh-CN")


def test_report_display_frame_headings_and_pivot() -> None:
    long = pd.DataFrame({"topic_label": ["口罩", "口罩", "确诊"],
                         "period": pd.to_datetime(["2020-01-20", "2020-01-27", "2020-01-20"]),
                         "share": [0.25, 0.5, 0.75]})
    wide = pivot_by_period(long, value="share")
    shown = display_frame(wide, "zh-Hant-TW", values_like="share")
    assert list(shown.columns) == ["主題", "2020-01-20", "2020-01-27"]
    assert shown.iloc[0].tolist() == ["口罩", "25.0%", "50.0%"]
    assert shown.iloc[1].tolist() == ["确诊", "75.0%", ""]  # cell text is rendered upstream


def test_report_pivot_runs_periods_in_time_order_whatever_the_first_row_holds() -> None:
    """The first topic of a real report had no document in the first week, so that week's
    column came last (pivot order is first appearance): 2021-12-20 | 2020-01-27 | 2021-12-27."""
    long = pd.DataFrame({"topic_label": ["基金", "基金", "高考", "高考"],
                         "period": ["2021-12-20", "2021-12-27", "2020-01-27", "2021-12-20"],
                         "mean_sentiment": [0.2, 0.3, 0.4, 0.5]})
    wide = pivot_by_period(long, value="mean_sentiment")
    assert list(wide.columns) == ["topic_label", "2020-01-27", "2021-12-20", "2021-12-27"]
    assert wide["topic_label"].tolist() == ["基金", "高考"]  # rows keep their order


def test_report_pivot_shows_a_period_without_documents_as_empty() -> None:
    """The corpus has no post on 2020-02-02: the day is a column of — between 02-01 and 02-03
    (a reader took the two for neighbours), weeks and months likewise; without the unit, as before."""
    long = pd.DataFrame({"topic_label": ["口罩", "口罩", "确诊"],
                         "period": pd.to_datetime(["2020-02-01", "2020-02-03", "2020-02-03"]),
                         "share": [0.25, 0.5, 0.75]})
    wide = pivot_by_period(long, value="share", unit="day")
    assert list(wide.columns) == ["topic_label", "2020-02-01", "2020-02-02", "2020-02-03"]
    shown = display_frame(wide, "zh-Hans", values_like="share")
    assert shown.iloc[0].tolist() == ["口罩", "25.0%", NO_DOCUMENTS, "50.0%"]
    assert shown.iloc[1].tolist() == ["确诊", "", NO_DOCUMENTS, "75.0%"]  # no share: blank, not —
    weeks = long.assign(period=pd.to_datetime(["2020-01-06", "2020-01-20", "2020-01-20"]))
    assert list(pivot_by_period(weeks, value="share", unit="week").columns)[1:] == [
        "2020-01-06", "2020-01-13", "2020-01-20"]
    assert list(pivot_by_period(long, value="share").columns)[1:] == ["2020-02-01", "2020-02-03"]
    assert sparkline(wide.iloc[0, 1:]) == "▁·█"


def test_report_pivot_does_not_fill_a_gap_of_decades() -> None:
    """One post dated 1970-01-01 (epoch 0) beside 20 days of 2020 made 18,000 daily columns of —;
    the short gap inside 2020 is still filled."""
    days = ["1970-01-01", *[f"2020-02-{d:02d}" for d in range(1, 21) if d != 5]]
    long = pd.DataFrame({"topic_label": "口罩", "period": pd.to_datetime(days), "share": 0.5})
    columns = list(pivot_by_period(long, value="share", unit="day").columns)[1:]
    assert columns == ["1970-01-01", *[f"2020-02-{d:02d}" for d in range(1, 21)]]


def test_sparkline_scales_each_row_and_averages_long_spans() -> None:
    assert sparkline([0.0, 0.1, 0.5, 0.2]) == "▁▂█▄"
    assert sparkline([0.3, 0.3]) == "▁▁"  # a flat row is flat, not a peak
    # a theme the table prints as 0.0% throughout is flat at the table's precision, not noise
    assert sparkline([0.0001, 0.0004, 0.0002]) == "▁█▃"
    assert sparkline([0.0001, 0.0004, 0.0002], step=0.001) == "▁▁▁"
    assert sparkline([0.001, 0.004, 0.0042], step=0.001) == "▁██"
    assert sparkline([0.2, None, 0.4]) == "▁·█"  # no value (no documents) is not zero
    line = sparkline([1.0] * 50 + [0.0] * 50, width=24)  # 100 weeks in 24 cells
    assert len(line) == 24 and set(line[:11]) == {"█"} and set(line[13:]) == {"▁"}
    assert sparkline([]) == ""


def test_recent_periods_keeps_the_last_periods_and_draws_the_whole_span() -> None:
    long = pd.DataFrame({"topic_label": ["口罩"] * 20 + ["疫苗"] * 20,
                         "period": [f"2020-01-{d:02d}" for d in range(1, 21)] * 2,
                         "share": [1.0] * 5 + [0.0] * 15 + [0.1 * (d % 2) for d in range(20)]})
    wide = pivot_by_period(long, value="share")
    cut = recent_periods(wide, shown=12)
    assert list(cut.columns) == ["topic_label", "sparkline", *[f"2020-01-{d:02d}" for d in range(9, 21)]]
    assert cut["sparkline"].iloc[0] == "█████▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁"  # the early peak, gone from the columns
    assert recent_periods(wide, shown=20) is wide  # short enough: every period as before


def test_report_markdown_align() -> None:
    table = markdown_table(pd.DataFrame({"主题": ["口罩"], "占比": ["52.7%"]}))
    assert table.splitlines() == ["| 主题 | 占比 |", "| --- | ---: |", "| 口罩 | 52.7% |"]
    assert markdown_table(pd.DataFrame()) == ""


def test_report_display_ordered_topics_with_missing_generic_flags() -> None:
    """A topics table whose ``is_generic`` holds gaps (object dtype) sorts without pandas'
    downcasting FutureWarning (it printed three times on a one-article run); a gap is not generic."""
    import warnings

    from opinion.report.display import ordered_topics

    topics = pd.DataFrame({"topic_id": [0, 1, -1, 2], "size": [3, 9, 50, 5],
                           "is_generic": pd.Series([None, True, None, False], dtype=object)})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ordered = ordered_topics(topics)
    assert ordered["topic_id"].tolist() == [2, 0, 1, -1]


@pytest.mark.parametrize("name, script, shown", [
    ("國貨", "zh-Hans", "国货"),  # a Taiwanese theme file in a Simplified report
    ("鐵路運輸", "zh-Hans", "铁路运输"),
    ("国货", "zh-Hant-TW", "國貨"),
    ("國貨", "zh-Hant-TW", "國貨"),  # as written in its own script
    ("台灣", "zh-HK", "台灣"),
    ("直播电商", "zh-HK", "直播電商"),
    ("KOL", "zh-Hans", "KOL"),
    ("", "zh-Hans", ""),
])
def test_render_name_either_way(name: str, script: str, shown: str) -> None:
    """h47 i18n 3: theme names written in Traditional stayed Traditional in a zh-Hans report."""
    assert render_name(name, script) == shown


def test_render_names_of_a_column() -> None:
    names = pd.Series(["信任", "國貨", "非遗", None])
    assert render_names(names, "zh-Hans").tolist() == ["信任", "国货", "非遗", None]
    assert render_names(names, "zh-HK").tolist() == ["信任", "國貨", "非遺", None]
    with pytest.raises(InputError, match="--script"):
        render_names(names, "zh-TW")
