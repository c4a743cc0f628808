"""Chart styling shared by the report and the explorer: dates written the Chinese way."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import pytest

from opinion.report.charts import ZH_DATE_TICKS, date_axes, topic_small_multiples

PERIODS = pd.to_datetime(["2020-01-20", "2020-01-27", "2020-02-03"])


def _tables() -> dict[str, pd.DataFrame]:
    topics = pd.DataFrame({"topic_id": [0, 1], "label": ["口罩·防护", "直播·带货"]})
    over_time = pd.DataFrame({"topic_id": [0, 0, 0, 1, 1, 1], "period": list(PERIODS) * 2,
                              "share": [0.5, 0.4, 0.3, 0.1, 0.2, 0.3]})
    return {"topics": topics, "topics_over_time": over_time.assign(topic_label="")}


@pytest.mark.parametrize("dates", [list(PERIODS), [d.date() for d in PERIODS], ["2020-01-20", "2020-01-27"]])
def test_date_axes_chinese_ticks_on_dates_held_any_way(dates):
    figure = date_axes(px.line(pd.DataFrame({"period": dates, "share": range(len(dates))}), x="period", y="share"))
    assert "%-m月%-d日" in [stop.value for stop in figure.layout.xaxis.tickformatstops]  # 1月27日, not Jan 27
    assert figure.layout.xaxis.hoverformat == "%Y-%m-%d" and not figure.layout.yaxis.tickformatstops


def test_date_axes_leave_english_and_axes_without_dates_alone():
    bars = go.Figure(go.Bar(x=["口罩", "2020年"], y=[1, 2]))
    assert not date_axes(bars).layout.xaxis.tickformatstops  # words, not dates
    line = go.Figure(go.Scatter(x=[dt.date(2020, 1, 24)], y=[1]))
    assert not date_axes(line, lang="en").layout.xaxis.tickformatstops  # Plotly's own in English
    assert date_axes(line).layout.xaxis.tickformatstops  # a trace that names no axis draws on x


def test_report_small_multiples_every_panel_in_chinese_dates():
    figure = topic_small_multiples(_tables(), script="zh-Hans", lang="zh")
    axes = [name for name in figure.layout.to_plotly_json() if name.startswith("xaxis")]
    assert len(axes) == 5  # one row of five panels, two drawn
    for name in ("xaxis", "xaxis2"):
        assert [stop.value for stop in figure.layout[name].tickformatstops] == [s["value"] for s in ZH_DATE_TICKS]
    english = topic_small_multiples(_tables(), script="zh-Hans", lang="en")
    assert not english.layout.xaxis.tickformatstops


def test_report_sentiment_bars_one_per_topic_in_the_topic_order_even_with_one_label():
    """Bars were grouped by label: two topics renamed alike became one bar (and were drawn
    twice); and they followed the CSV order, not the topic table's (catch-all topics last)."""
    from opinion.report.charts import sentiment_chart

    topics = pd.DataFrame({"topic_id": [0, 1, 2, -1], "label": ["闲聊", "防疫", "防疫", "未归入主题"],
                           "size": [5, 3, 2, 1], "is_generic": [True, False, False, False]})
    docs = pd.DataFrame({"topic_id": [0] * 5 + [1] * 3 + [2] * 2 + [-1],
                         "topic_label": ["闲聊"] * 5 + ["防疫"] * 5 + ["未归入主题"],
                         "sentiment_label": ["positive"] * 5 + ["negative"] * 3 + ["positive"] * 2 + ["neutral"]})
    figure = sentiment_chart({"topics": topics, "documents": docs}, script="zh-Hans")
    bars = {trace.name: trace for trace in figure.data}
    assert list(bars["负面"].y) == ["未归入主题", "闲聊", "防疫 #2", "防疫 #1"]  # bottom to top
    assert list(bars["负面"].x) == [0.0, 0.0, 0.0, 1.0] and list(bars["正面"].x) == [0.0, 1.0, 1.0, 0.0]


def test_report_heatmap_names_topics_that_share_a_label_as_everywhere_else():
    """The theme × topic heatmap named them 疫情 (0) / 疫情 (4), unlike 疫情 #0 in every table."""
    from opinion.report.charts import heatmap_labels, theme_topic_chart

    long = "钻石公主号邮轮乘客确诊病例持续增加引发关注"  # cut on the axis: the id stays
    overlap = pd.DataFrame({"theme": ["防疫"] * 4, "topic_id": [0, 4, 7, 9], "docs_with_theme": [3, 2, 1, 1],
                            "topic_label": ["疫情", "疫情", long, long], "topic_size": [9, 8, 5, 4],
                            "share_of_topic": [0.3, 0.25, 0.2, 0.25]})
    figure = theme_topic_chart({"theme_topic": overlap}, script="zh-Hans")
    rows = list(figure.data[0].y)
    assert rows[:2] == ["疫情 #0", "疫情 #4"] and rows[2].endswith(" #7") and rows[3].endswith(" #9")
    assert [row[0] for row in figure.data[0].customdata] == ["疫情 #0", "疫情 #4", f"{long} #7", f"{long} #9"]
    assert heatmap_labels(["口罩", "直播"], [1, 2]) == ["口罩", "直播"]


def test_report_trend_lines_break_at_days_without_documents():
    """report.html joined 2020-02-10 to 2020-03-01 as if the 19 days between had been measured,
    while report.md marked them — (2026-12-08)."""
    from opinion.report.charts import theme_trends_chart, topic_trends_chart

    days = pd.to_datetime(["2020-02-09", "2020-02-10", "2020-03-01"])
    run = pd.DataFrame({"section": ["export"], "key": ["period"], "value": ["day"]})
    topics = pd.DataFrame({"topic_id": [0], "label": ["口罩·防护"]})
    over_time = pd.DataFrame({"topic_id": [0] * 3, "period": days, "share": [0.5, 0.4, 0.3], "topic_label": ""})
    themes = pd.DataFrame({"theme": ["信任"] * 3, "period": days, "prevalence": [0.1, 0.2, 0.3],
                           "docs_with_theme": [1, 2, 3]})
    tables = {"topics": topics, "topics_over_time": over_time, "themes_by_period": themes, "run": run}
    for chart in (topic_trends_chart, theme_trends_chart, topic_small_multiples):
        line = chart(tables, script="zh-Hans").data[0]
        assert list(line.y)[2] is None and pd.Timestamp(line.x[2]) == pd.Timestamp("2020-02-11")
        assert line.connectgaps is False and len(line.x) == 4  # one break, not the 18 days
    panel = topic_small_multiples(tables, script="zh-Hans").data[0]  # Plotly filled an area across the gap
    assert panel.fill is None and "markers" in panel.mode
    tables["topics_over_time"] = over_time.iloc[:2]  # no gap: an area, as before
    assert topic_small_multiples(tables, script="zh-Hans").data[0].fill == "tozeroy"


def _overlap(topic_ids: list[int], hits: dict[str, list[int]]) -> pd.DataFrame:
    """A theme_topic table: ``hits`` gives each theme's documents in each topic of 10."""
    return pd.DataFrame([{"theme": theme, "topic_id": t, "topic_label": f"主题{t}", "docs_with_theme": n,
                          "topic_size": 10, "share_of_topic": n / 10}
                         for theme, counts in hits.items() for t, n in zip(topic_ids, counts)])


def test_report_heatmap_of_one_row_is_not_drawn():
    """New user #7: a one-document report drew a one-cell heatmap whose colour bar stacked
    0% 20% … 100% in 40 px; one row (all documents, or one topic) is the table's to show."""
    from opinion.report.charts import theme_topic_chart

    assert theme_topic_chart({"theme_topic": _overlap([-2], {"信任": [1], "国货": [1]})}, script="zh-Hant-TW") is None
    assert theme_topic_chart({"theme_topic": _overlap([0, 1], {"信任": [1, 0]})}, script="zh-Hans") is not None


def test_report_heatmap_leaves_out_themes_no_document_mentions_and_fits_its_colour_bar():
    """New user #11: the shipped themes with no hits were columns of zeros; two rows' colour
    bar had six labels in 48 px."""
    from opinion.report.charts import COLORBAR_TICK_PX, HEATMAP_ROW_PX, theme_topic_chart

    figure = theme_topic_chart({"theme_topic": _overlap([0, 1], {"防疫": [5, 2], "非遗": [0, 0], "求助": [1, 0]})},
                               script="zh-Hans")
    assert list(figure.data[0].x) == ["防疫", "求助"]
    bar = figure.data[0].colorbar
    labels = round(figure.data[0].zmax / bar.dtick) + 1
    assert labels >= 2 and (labels - 1) * COLORBAR_TICK_PX <= 2 * HEATMAP_ROW_PX
