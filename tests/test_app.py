"""The explorer page through ``streamlit.testing.v1.AppTest``: every section, on real texts."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd
import pytest
from factory import make_workspace, markdown_tables
from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df
from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[1] / "app.py"


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("app") / "ws"
    make_workspace(root)
    return root


def start(monkeypatch: pytest.MonkeyPatch, root: Path, section: str = "Overview",
          script: str = "zh-Hans") -> AppTest:
    monkeypatch.setattr(sys, "argv", ["app.py", "--workspace", str(root)])
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    assert not at.exception, at.exception
    if section != "Overview" or script != "zh-Hans":
        at.radio(key="script").set_value(script)
        at.radio(key="section").set_value(section)
        at.run()
        assert not at.exception, at.exception
    return at


def frame_values(at: AppTest) -> str:
    return " ".join(df.value.to_string() for df in at.dataframe)


def source_counts(at: AppTest) -> dict[str, int]:
    """The Overview's sources table (a static table under Chinese headings) as ``{source: documents}``."""
    shown = markdown_tables(at)[0].set_index("来源")["文档数"]
    return {source.replace("\\", ""): int(count.replace(",", "")) for source, count in shown.items()}  # cells are escaped Markdown


def markdown_text(at: AppTest) -> str:
    return "\n".join(str(m.value) for m in at.markdown)


def test_overview_counts(monkeypatch, workspace):
    at = start(monkeypatch, workspace)
    metrics = {m.label: m.value for m in at.metric}  # in the interface's default language, 简体
    assert metrics["文档"] == "55"
    assert metrics["来源"] == "3"
    assert metrics["完全重复"] == "2"  # exact copies, as the report counts them
    assert metrics["首日"] == "2020-01-24" and metrics["末日"] == "2020-04-01"
    assert source_counts(at) == {"weibo": 51, "news-tw": 2, "news-cn": 2}
    assert markdown_tables(at)[1].columns.tolist() == ["文字名称", "文档数"]  # script codes hidden, names shown
    assert not at.table  # Markdown tables: no table JavaScript to load before the chart
    (chart,) = at.get("vega_lite_chart")  # documents per day, in Vega-Lite (quick to load)
    assert json.loads(chart.proto.spec)["title"] == "每日文档数"  # documents per day
    per_day = convert_arrow_bytes_to_pandas_df(chart.proto.data.data)
    assert per_day["documents"].sum() == 55 and per_day["period"].min() == pd.Timestamp("2020-01-24")
    assert len(at.get("download_button")) >= 4  # CSV and XLSX under each table


def test_topics_labels_terms_and_posts(monkeypatch, workspace):
    at = start(monkeypatch, workspace, "Topics")
    labels = at.dataframe[0].value["label"].tolist()
    assert labels == ["0_口罩_戴口罩_防护", "2_确诊_病例_新型肺炎", "1_直播_带货_国货"]
    at.selectbox(key="topics_choice").set_value(1).run()
    assert not at.exception
    text = markdown_text(at)
    assert ":orange-background[直播]" in text  # representative posts, top terms marked
    assert "消费者对主播的信任成为关键" in text
    assert len(at.get("plotly_chart")) == 4  # terms, over time, sentiment, intertopic map


def test_script_switch_rerenders_labels_and_texts(monkeypatch, workspace):
    at = start(monkeypatch, workspace, "Topics", script="zh-Hant-TW")
    assert "1_直播_帶貨_國貨" in at.dataframe[0].value["label"].tolist()
    at.selectbox(key="topics_choice").set_value(1).run()
    assert "消費者對主播的信任成為關鍵" in markdown_text(at)


def test_themes_totals_and_kwic(monkeypatch, workspace):
    at = start(monkeypatch, workspace, "Themes")
    totals = at.dataframe[0].value.set_index("theme")["documents"].to_dict()
    assert totals["信任"] == 3 and totals["直播电商"] == 3
    assert len(at.get("plotly_chart")) == 3  # prevalence and sentiment over time, theme × topic
    (heatmap,) = [f for f in plotly_figures(at) if f["data"][0]["type"] == "heatmap"]
    assert "1_直播_带货_国货" in heatmap["data"][0]["y"] and "直播电商" in heatmap["data"][0]["x"]
    at.text_input(key="themes_kwic_term").input("直播").run()
    lines = at.dataframe[-1].value
    assert len(lines) == 4 and set(lines["term"]) == {"直播"}  # the duplicate's line left out
    at.checkbox(key="themes_kwic_flagged").check().run()
    assert len(at.dataframe[-1].value) == 5
    at.selectbox(key="themes_kwic_theme").set_value("国货").run()
    assert set(at.dataframe[-1].value["doc_id"]) == {"sample-49", "sample-50"}


def test_documents_search_in_traditional_and_filter(monkeypatch, workspace):
    at = start(monkeypatch, workspace, "Documents", script="zh-Hant-TW")
    at.text_input(key="documents_query").input("國貨").run()
    text = markdown_text(at)
    assert "**2** 篇文件匹配" in text  # the interface in 繁體 (Taiwan: 文件)
    assert ":orange-background[國貨]" in text  # found in Simplified, shown in Traditional
    at.text_input(key="documents_query").input("口罩").run()
    assert "**29** 篇文件匹配" in markdown_text(at)
    at.multiselect(key="documents_labels").set_value(["negative"]).run()
    assert "**12** 篇文件匹配" in markdown_text(at)
    at.multiselect(key="documents_sources").set_value(["news-tw"]).run()
    assert "**0** 篇文件匹配" in markdown_text(at)


def test_documents_show_hostile_text_escaped(monkeypatch, workspace):
    at = start(monkeypatch, workspace, "Documents")
    at.text_input(key="documents_query").input("HYPERLINK").run()
    text = markdown_text(at)
    assert "**1** 篇文档匹配" in text
    assert '\\=:orange-background[HYPERLINK]\\(\\"http\u2060\\:\\/\\/evil\\.example' in text  # no autolink


def test_documents_paging(monkeypatch, workspace):
    at = start(monkeypatch, workspace, "Documents")
    assert "第 1 / 3 页" in markdown_text(at)  # page 1 of 3
    at.number_input(key="documents_page").set_value(3).run()
    assert "第 3 / 3 页" in markdown_text(at)
    assert len(at.get("caption")) >= 15  # one meta line per post on the last page


def test_compare_periods_and_sources(monkeypatch, workspace):
    at = start(monkeypatch, workspace, "Compare")
    topics = at.dataframe[0].value
    a, b = "A: 2020-01-24 → 2020-02-27", "B: 2020-02-28 → 2020-04-01"
    assert list(topics.columns) == ["topic_id", "label", f"documents {a}", f"documents {b}", f"share {a}",
                                    f"share {b}", "change"]  # every column, both sides side by side
    assert topics["change"].is_monotonic_decreasing  # biggest rise first, not topic id order
    assert topics["change"].tolist() == pytest.approx((topics[f"share {b}"] - topics[f"share {a}"]).tolist())
    (shares, _) = plotly_figures(at)
    assert list(shares["layout"]["yaxis"]["categoryarray"])[::-1] == topics["label"].tolist()  # same order, top down
    at.radio(key="compare_mode").set_value("Two sources").run()
    topics = at.dataframe[0].value
    assert topics[["documents A: news-cn", "documents B: news-tw"]].sum().tolist() == [2, 2]
    assert any(m.label.startswith("平均情感") for m in at.metric)  # mean sentiment, in Chinese


def test_missing_topics_say_what_to_run(monkeypatch, tmp_path):
    make_workspace(tmp_path / "ws", with_topics=False)
    at = start(monkeypatch, tmp_path / "ws", "Topics")
    assert any("opinion topics" in info.value for info in at.info)


def test_topics_skipped_for_too_few_documents_say_why_not_what_to_run(monkeypatch, tmp_path):
    """A run on a handful of posts skips topics; "run opinion topics" would fail the same way,
    so the explorer says how many documents it had and needs (in 繁體 here)."""
    ws = make_workspace(tmp_path / "ws", with_topics=False)
    ws.manifest["topics_skipped"] = {"unit": "documents", "have": 3, "needed": 20, "message": "only 3"}
    ws.save_manifest()
    at = start(monkeypatch, tmp_path / "ws", "Topics", script="zh-Hant-TW")
    shown = " ".join(info.value for info in at.info)
    assert "只有 3 篇" in shown and "至少需要 20 篇" in shown and "-w" not in shown


def test_no_workspace_is_one_clear_error(monkeypatch):
    monkeypatch.setattr(sys, "argv", ["app.py"])
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    assert "opinion explore -w WORKSPACE" in at.error[0].value


def test_html_report_button_and_its_content(monkeypatch, workspace):
    from opinion.explore.sections.overview import build_report_html

    at = start(monkeypatch, workspace)
    assert "HTML 报告" in [button.proto.label for button in at.get("download_button")]
    html = build_report_html(str(workspace), "zh-HK").decode("utf-8")
    assert html.startswith("<!DOCTYPE html>") and "直播_帶貨_國貨" in html


def test_workspace_without_dates_says_how_to_get_a_timeline(monkeypatch, tmp_path):
    ws = make_workspace(tmp_path / "ws")
    corpus = ws.read_part("corpus", "sample-00000")
    ws.write_part("corpus", "sample-00000", corpus.assign(published_at=pd.NaT))
    at = start(monkeypatch, ws.root)
    assert any("--date-col" in info.value for info in at.info)
    at.radio(key="section").set_value("Compare").run()
    assert not at.exception
    assert at.radio(key="compare_mode").value == "Two sources"  # no dates: two sources from the start
    at.radio(key="compare_mode").set_value("Two periods").run()
    assert any("对比两个来源" in info.value for info in at.info)  # compare two sources instead
    # Emotions start on a grouping that has groups (topics), not on the empty periods, and
    # periods say that dates are missing, not that the emotion model is
    at.radio(key="section").set_value("Emotions").run()
    assert not at.exception and not at.info
    assert at.radio(key="emotions_by").value == "topic"
    at.radio(key="emotions_by").set_value("period").run()
    (info,) = [info.value for info in at.info]
    assert "--date-col" in info and "opinion sentiment" not in info
    # themes: the totals and KWIC, no empty charts over periods there are none of
    at.radio(key="section").set_value("Themes").run()
    assert not at.exception
    assert [chart.key for chart in at.get("plotly_chart")] == ["themes_theme_topic"]  # theme x topic only
    assert any("--date-col" in info.value for info in at.info)
    # keywords of each source rather than of periods there are none of
    at.radio(key="section").set_value("Words").run()
    assert not at.exception
    assert at.radio(key="words_kw_by").value == "source"


def test_workspace_without_dates_or_sources_offers_what_it_can_compare(monkeypatch, tmp_path):
    # one source and no dates (e.g. a TSV of sentences): Compare says there are no two groups
    # and how to get them, instead of sending the user from periods to sources and back;
    # keywords open on topics, the only grouping with two or more groups
    ws = make_workspace(tmp_path / "ws")
    corpus = ws.read_part("corpus", "sample-00000")
    ws.write_part("corpus", "sample-00000", corpus.assign(published_at=pd.NaT, source="sentences"))
    at = start(monkeypatch, ws.root, section="Compare")
    assert not at.exception
    (info,) = [info.value for info in at.info]
    assert "--date-col" in info and "--source-col" in info
    at.radio(key="section").set_value("Words").run()
    assert not at.exception and not at.info
    assert at.radio(key="words_kw_by").value == "topic"


def test_url_cannot_point_the_page_at_another_folder(monkeypatch, workspace, tmp_path):
    other = make_workspace(tmp_path / "other", with_topics=False).root
    monkeypatch.setattr(sys, "argv", ["app.py", "--workspace", str(workspace)])
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params.update({"workspace": str(other), "w": str(other), "section": "Topics"})
    at.run()
    assert not at.exception
    assert at.sidebar.caption[0].value == f"工作区: `{workspace.name}`"  # the interface is Chinese by default
    assert "1_直播_带货_国货" in at.dataframe[0].value["label"].tolist()  # topics exist only in `workspace`


def test_overview_long_source_list_goes_to_the_data_grid(monkeypatch, workspace):
    """A static table draws every row; past STATIC_MAX_ROWS sources the data grid shows them."""
    from opinion.explore import widgets

    monkeypatch.setattr(widgets, "STATIC_MAX_ROWS", 2)  # the sample has 3 sources, 2 scripts
    at = start(monkeypatch, workspace)
    assert [t.columns.tolist() for t in markdown_tables(at)] == [["文字名称", "文档数"]]  # the short one stays
    assert at.dataframe[0].value.set_index("source")["documents"].to_dict() == {"weibo": 51, "news-tw": 2,
                                                                                "news-cn": 2}


def test_overview_names_documents_without_a_source_by_their_file(monkeypatch, tmp_path):
    ws = make_workspace(tmp_path / "ws")
    corpus = ws.read_part("corpus", "sample-00000")
    ws.write_part("corpus", "sample-00000", corpus.assign(source=None, input_file="data/1.19.csv"))
    at = start(monkeypatch, ws.root)
    assert source_counts(at) == {"1.19.csv": 55}
    at.radio(key="section").set_value("Documents").run()
    at.multiselect(key="documents_sources").set_value(["1.19.csv"]).run()
    assert "**53** 篇文档匹配（不含重复与垃圾帖）" in markdown_text(at)
    at.checkbox(key="documents_dups").check().run()
    assert "**55** 篇文档匹配（含重复与垃圾帖）" in markdown_text(at)


LONG_LABEL = "1_#钟南山表示无症状感染者不会引起大暴发#_直播_带货"


def plotly_figures(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def test_long_topic_labels_are_short_on_charts_and_whole_on_hover(monkeypatch, tmp_path):
    ws = make_workspace(tmp_path / "ws")
    topics = ws.read("topics")
    ws.write_table("topics", topics.assign(label=topics["label"].replace("1_直播_带货_国货", LONG_LABEL)))
    at = start(monkeypatch, ws.root, "Compare")
    at.radio(key="compare_mode").set_value("Two sources").run()
    (shares, _) = plotly_figures(at)
    axis = {y for trace in shares["data"] for y in trace["y"]}
    assert "1_#钟南山表示…_直播_带货" in axis and LONG_LABEL not in axis
    assert LONG_LABEL in json.dumps(shares["data"], ensure_ascii=False)  # the hover text
    assert LONG_LABEL in at.dataframe[0].value["label"].tolist()  # the table keeps it whole
    at.radio(key="section").set_value("Topics").run()
    at.selectbox(key="topics_choice").set_value(1).run()
    (topic_map,) = [f for f in plotly_figures(at) if f["layout"]["title"]["text"] == "主题分布图"]  # Intertopic map
    texts = {t for trace in topic_map["data"] for t in trace["text"]}
    assert "1_#钟南山表示…_直播_带货" in texts and LONG_LABEL not in texts  # as on the axis: whole terms kept
    assert LONG_LABEL in json.dumps(topic_map["data"], ensure_ascii=False)


def test_documents_find_an_undated_document_until_the_date_range_is_narrowed(monkeypatch, tmp_path):
    """The date range starts as the whole range, which filters nothing: an undated post is
    counted, found by its source and downloadable; narrowing the range keeps dated posts only."""
    import datetime as dt

    from opinion.explore.data import ExploreStore, Filters

    ws = make_workspace(tmp_path / "ws")
    corpus = ws.read_part("corpus", "sample-00000")
    undated = corpus["doc_id"] == "sample-51"  # news-cn; its exact copy sample-52 is flagged
    corpus["published_at"] = corpus["published_at"].mask(undated)
    ws.write_part("corpus", "sample-00000", corpus)
    at = start(monkeypatch, ws.root, "Documents")
    assert "**53** 篇文档匹配" in markdown_text(at)  # as the Overview counts: 55 less 2 flagged
    at.multiselect(key="documents_sources").set_value(["news-cn"]).run()
    assert "**1** 篇文档匹配" in markdown_text(at) and "sample\\-51" in " ".join(c.value for c in at.caption)
    at.text_input(key="documents_query").input("信任").run()
    assert "**1** 篇文档匹配" in markdown_text(at)
    at.date_input(key="documents_dates").set_value((dt.date(2020, 1, 24), dt.date(2020, 3, 31))).run()
    assert "**0** 篇文档匹配" in markdown_text(at)  # a narrowed range: dated posts only
    at.date_input(key="documents_dates").set_value((dt.date(2020, 1, 24), dt.date(2020, 4, 1))).run()
    assert "**1** 篇文档匹配" in markdown_text(at)
    from opinion.explore.sections.documents import whole_range

    first, last = dt.date(2020, 1, 24), dt.date(2020, 4, 1)
    assert whole_range((first, last), first, last) == (None, None)
    assert whole_range((first, dt.date(2020, 3, 1)), first, last) == (None, dt.date(2020, 3, 1))
    store = ExploreStore.open(ws.root, texts_in_memory=False)  # the download's rows
    assert "sample-51" in store.export_frame(Filters(sources=("news-cn",)))["doc_id"].tolist()


def test_compare_with_an_empty_side_lists_the_other_sides_topics_and_says_so(monkeypatch, workspace):
    import datetime as dt

    at = start(monkeypatch, workspace, "Compare")
    at.date_input(key="compare_period_a").set_value((dt.date(2020, 1, 25), dt.date(2020, 2, 8))).run()
    assert not at.exception, at.exception
    assert [info.value for info in at.info] == ["时段 A：没有文档。"]  # one notice
    topics = at.dataframe[0].value
    a, b = "A: 2020-01-25 → 2020-02-08", "B: 2020-02-28 → 2020-04-01"
    assert set(topics["topic_id"]) == {0, 1} and topics[f"documents {b}"].sum() == 30  # every topic of B
    assert (topics[f"documents {a}"] == 0).all()
    assert topics["change"].tolist() == pytest.approx(topics[f"share {b}"].tolist())
    shares = next(f for f in plotly_figures(at) if f["layout"]["title"]["text"].startswith("主题占比"))
    assert {trace["name"] for trace in shares["data"]} == {a, b}  # both sides in the legend, A at 0
    at.date_input(key="compare_period_b").set_value((dt.date(2020, 1, 25), dt.date(2020, 2, 8))).run()
    assert not at.exception, at.exception
    assert [info.value for info in at.info] == ["时段 A、时段 B：没有文档。"]
    assert not at.dataframe and not at.get("plotly_chart")


def skipped_workspace(root: Path) -> Path:
    """The sample with its topics skipped, as `opinion run` leaves a handful of posts."""
    ws = make_workspace(root, with_topics=False)
    ws.manifest["topics_skipped"] = {"unit": "documents", "have": 3, "needed": 20, "message": "only 3"}
    ws.save_manifest()
    return ws.root


def test_topics_skipped_note_is_in_english_in_the_english_interface(monkeypatch, tmp_path):
    root = skipped_workspace(tmp_path / "ws")
    monkeypatch.setattr(sys, "argv", ["app.py", "--workspace", str(root)])
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params.update({"section": "Topics", "lang": "en"})
    at.run()
    assert not at.exception, at.exception
    (shown,) = [info.value for info in at.info]
    assert shown.startswith("No topics: only 3 distinct documents") and "主题" not in shown


def test_emotions_offer_no_topic_grouping_without_topics(monkeypatch, tmp_path):
    root = skipped_workspace(tmp_path / "ws")
    at = start(monkeypatch, root, "Emotions")
    assert at.radio(key="emotions_by").options == ["时段", "议题", "来源"]  # no 主题: there are none
    assert not at.info


def test_app_warns_when_the_stages_have_not_seen_every_loaded_part(monkeypatch, tmp_path):
    """Files loaded after the last prepare are missing from every figure: the page says so and
    names the commands (it had shown the older figures as if they were the corpus')."""
    from opinion import schema as S

    ws = make_workspace(tmp_path / "ws")
    at = start(monkeypatch, ws.root)
    assert not at.warning
    corpus = ws.read_part(S.CORPUS, "sample-00000").head(3)
    ws.write_part(S.CORPUS, "extra-00000", corpus.assign(**{S.DOC_ID: ["e1", "e2", "e3"]}))
    at = start(monkeypatch, ws.root)
    shown = " ".join(str(w.value) for w in at.warning)
    assert "尚未处理全部已载入的数据" in shown
    assert f"`opinion prepare -w {ws.root}`, `opinion sentiment -w {ws.root}`" in shown
