"""The report's sections (opinion.report.sections): how a report names topics."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from factory import make_workspace

from opinion import schema as S
from opinion.report.display import ordered_topics
from opinion.report.html_writer import html_report
from opinion.report.markdown_writer import markdown_report
from opinion.report.run_table import reader_run
from opinion.report.sections import source_summary
from opinion.report.tables import build_tables
from opinion.topics.edit_store import record_edits
from opinion.topics.edits import TopicEdit


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pd.DataFrame]:
    """The sample workspace with topics 0 and 1 both renamed 防疫 (``opinion topics edit --rename``)."""
    ws = make_workspace(tmp_path_factory.mktemp("shared") / "ws")
    record_edits(ws, [TopicEdit("rename", (0,), "防疫"), TopicEdit("rename", (1,), "防疫")])
    return build_tables(ws)


def test_report_names_topics_that_share_a_label_label_hash_id_everywhere(shared: dict[str, pd.DataFrame]) -> None:
    """The overview's largest topic, the topic table's label column and the sources' largest
    topics showed a bare 防疫 (which one?), and the heatmap 防疫 (0): one rule, 防疫 #0."""
    markdown = markdown_report(shared, script="zh-Hans").splitlines()
    assert "| 最大主题 | 防疫 #0 |" in markdown
    assert any(line.startswith("| 0 | 防疫 #0 |") for line in markdown)
    assert any(line.startswith("| 1 | 防疫 #1 |") for line in markdown)
    sources = [line for line in markdown if line.startswith(("| weibo |", "| news-cn |"))]
    assert len(sources) == 2 and "防疫 #0（" in sources[0] and "防疫 #1（" in sources[1]
    assert not [line for line in markdown if "| 防疫 |" in line or "防疫（" in line]
    page = html_report(shared, script="zh-Hans")
    assert "防疫 #0" in page and "防疫 #1" in page and "防疫 (0)" not in page and "防疫 (1)" not in page


def test_report_source_summary_names_topics_from_the_sources_alone() -> None:
    sources = pd.DataFrame({"source": ["weibo", "weibo"], "topic_id": [0, 4], "topic_label": ["疫情", "疫情"],
                            "count": [3, 2], "share_of_source": [0.6, 0.4], "mean_sentiment": [0.5, 0.5]})
    summary = source_summary(sources)
    assert summary["largest_topics"].tolist() == ["疫情 #0（60%）、疫情 #4（40%）"]


def test_report_without_shared_labels_names_topics_by_label(tmp_path: Path) -> None:
    markdown = markdown_report(build_tables(make_workspace(tmp_path / "ws")), script="zh-Hans")
    assert "| 最大主题 | 0_口罩_戴口罩_防护 |" in markdown.splitlines() and " #0" not in markdown


def test_report_overview_counts_topics_not_the_outlier_row(tmp_path: Path) -> None:
    """After ``--drop 1`` the topic table holds topics 0 and 2 and the outliers' row (-1,
    未归入主题): the overview said 主题数 3."""
    ws = make_workspace(tmp_path / "ws")
    record_edits(ws, [TopicEdit("drop", (1,))])
    tables = build_tables(ws)
    assert sorted(tables["topics"]["topic_id"]) == [-1, 0, 2]
    markdown = markdown_report(tables, script="zh-Hans").splitlines()
    assert "| 主题数 | 2 |" in markdown


@pytest.fixture(scope="module")
def catch_all(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pd.DataFrame]:
    """The sample workspace with its largest topic (0, 口罩) flagged as a catch-all (``is_generic``)."""
    ws = make_workspace(tmp_path_factory.mktemp("generic") / "ws")
    topics = ws.read(S.TOPICS)
    ws.write_table(S.TOPICS, topics.assign(is_generic=topics[S.TOPIC_ID] == 0))
    return build_tables(ws)


def _section(markdown: str, title: str) -> list[str]:
    return markdown.split(f"## {title}\n")[1].split("\n## ")[0].splitlines()


def test_report_marks_catch_all_topics_it_moves_last(catch_all: dict[str, pd.DataFrame]) -> None:
    """CCF news: 孩子·生活 (4th largest, is_generic) came after topic 9 in every topic table
    with nothing to say why; now it reads 是 under 泛谈主题 and the note says why it is last."""
    topics = _section(markdown_report(catch_all, script="zh-Hans"), "主题")
    assert "泛谈主题" in topics[1] and "排在其他主题之后" in topics[1]
    rows = [line for line in topics if line.startswith("| ") and "---" not in line]
    assert rows[0].startswith("| 主题编号 | 主题 | 泛谈主题 |")
    assert rows[-1].startswith("| 0 | 0_口罩_戴口罩_防护 | 是 |")  # the largest topic, moved last
    assert all("| 是 |" not in row for row in rows[1:-1])


def test_report_without_catch_all_topics_has_no_generic_column(tmp_path: Path) -> None:
    markdown = markdown_report(build_tables(make_workspace(tmp_path / "ws")), script="zh-Hans")
    assert "泛谈主题" not in markdown


def test_report_keywords_by_topic_follow_the_topic_tables_order(catch_all: dict[str, pd.DataFrame]) -> None:
    """An undated corpus's keyword grid ran by keyword occurrences (交警…, 工作…, 警方…) while
    every other topic table starts with the largest topic and puts catch-all topics last."""
    labels = dict(zip(catch_all["topics"]["topic_id"], catch_all["topics"]["label"]))
    words = pd.DataFrame({"group": [labels[0], labels[1], labels[2]], "rank": [1, 1, 1],
                          "word": ["口罩", "直播", "确诊"], "count": [500, 300, 5]})
    tables = {**catch_all, "keywords_by_topic": words}
    keywords = _section(markdown_report(tables, script="zh-Hans"), "关键词与词云")
    header = next(line for line in keywords if line.startswith("| 名次"))
    expected = [labels[t] for t in ordered_topics(catch_all["topics"])["topic_id"]]
    assert expected[-1] == labels[0]  # the catch-all topic, although it has the most keywords
    assert header == "| 名次 | " + " | ".join(expected) + " |"


def test_report_keywords_section_says_why_it_is_empty(catch_all: dict[str, pd.DataFrame]) -> None:
    """60 copies of one post: the keywords section showed its caption "每时段前 10 个" and no table."""
    empty = pd.DataFrame(columns=["group", "rank", "word", "count"])
    tables = {**catch_all, **{f"keywords_by_{by}": empty for by in ("period", "source", "topic")}}
    keywords = _section(markdown_report(tables, script="zh-Hans"), "关键词与词云")
    assert any(line.startswith("没有关键词") for line in keywords) and not any("| 名次" in line for line in keywords)
    assert "No keywords:" in markdown_report(tables, script="zh-Hans", lang="en")


def test_report_shows_emotion_shares_of_all_documents_and_each_topic(catch_all: dict[str, pd.DataFrame]) -> None:
    """The README says emotion shares are in the exports; report.md and report.html had none."""
    for script, title, every in (("zh-Hans", "情绪", "全部文档"), ("zh-Hant-TW", "情緒", "全部文件")):
        emotions = _section(markdown_report(catch_all, script=script), title)
        assert emotions[3].startswith("| 主題 | 文件數 | 喜悅 | 憤怒 |" if script != "zh-Hans"
                                      else "| 主题 | 文档数 | 喜悦 | 愤怒 | 悲伤 | 恐惧 | 惊讶 | 中性 | 主要情绪 |")
        assert emotions[5].startswith(f"| {every} | 55 |")
        assert emotions[-1].startswith("| 0_")  # topics in the topic table's order: catch-all last
    assert "Happiness" in markdown_report(catch_all, script="zh-Hans", lang="en")


def test_report_run_table_values_in_the_readers_language() -> None:
    """A Chinese report's run table said "picked from the date range" and "not installed", and
    an undated corpus's "period = day" where the overview says 时段 –."""
    run = pd.DataFrame([("export", "period", "day"), ("export", "period_choice", "no document has a date"),
                        ("library", "onnxruntime", "not installed"),
                        ("tables", "topics", "missing: run `opinion topics -w ws`"),
                        ("stage topics", "settings.period", "given"), ("corpus", "documents", 3)],
                       columns=["section", "key", "value"])
    shown = reader_run(run, script="zh-Hant-TW", undated=True)["value"].tolist()
    assert shown == ["–", "沒有文件帶日期", "未安裝", "未找到：請執行 `opinion topics -w ws`", "given", 3]  # 執行: Taiwan
    assert reader_run(run, script="zh-Hans")["value"].iloc[0] == "日"
    assert reader_run(run, script="zh-Hans", lang="en")["value"].tolist()[:3] == \
        ["day", "no document has a date", "not installed"]


def test_report_run_table_definitions_in_the_readers_language() -> None:
    """A Chinese report's run table gave the definitions of share, trend and spam in English;
    run.csv keeps them in English for programs."""
    from opinion.report.run_table import DEFINITIONS

    run = pd.DataFrame([("definition", "share", DEFINITIONS["share"]), ("definition", "trend", DEFINITIONS["trend"]),
                        ("definition", "spam", "documents flagged is_spam by prepare"),
                        ("definition", "unknown", "kept")], columns=["section", "key", "value"])
    hans = reader_run(run, script="zh-Hans")["value"].tolist()
    assert hans[0].startswith("主题的文档数 / 有主题编号的全部文档数")
    assert "k = min(3, 时段数 // 2)" in hans[1] and "≥ +20% 为上升" in hans[1]
    assert hans[2].startswith("由 prepare 标记为 is_spam 的文档") and hans[3] == "kept"
    assert reader_run(run, script="zh-Hant-TW")["value"].iloc[0].startswith("主題的文件數")
    assert reader_run(run, script="zh-Hans", lang="en")["value"].tolist()[:2] == [DEFINITIONS["share"],
                                                                                 DEFINITIONS["trend"]]


def test_report_theme_trends_give_undated_documents_a_column(tmp_path: Path) -> None:
    """h47 themes 6: the 议题趋势 table left the undated documents out; they are its last column,
    after the periods (the chart keeps to the dated periods)."""
    ws = make_workspace(tmp_path / "ws")
    corpus, prepared = ws.read(S.CORPUS), ws.read(S.PREPARED)
    hits = corpus[S.DOC_ID].map(prepared.set_index(S.DOC_ID)[S.theme_column("国货")]) > 0
    ws.write_part(S.CORPUS, "sample-00000", corpus.assign(**{S.PUBLISHED_AT: corpus[S.PUBLISHED_AT].mask(hits)}))
    tables = build_tables(ws, period="month")
    lines = markdown_report(tables, script="zh-Hans").splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("| 议题 |"))
    assert lines[header].endswith("| 无日期文档 |")
    row = next(line for line in lines[header:] if line.startswith("| 国货 |")).strip("|").split("|")
    assert all(cell.strip() == "0.0%" for cell in row[1:-1]) and row[-1].strip() != "0.0%"


def test_report_sentiment_without_topics_says_why_and_shows_all_documents(tmp_path: Path) -> None:
    """New user #7: a one-document report's 各主題情感 was a heading and a note, no table, and
    no word that topics were not fitted (the topics section had it)."""
    tables = build_tables(make_workspace(tmp_path / "ws", with_topics=False))
    sentiment = _section(markdown_report(tables, script="zh-Hant-TW"), "各主題情感")
    assert sentiment[1].startswith("未找到結果：請先執行 `opinion topics")
    assert "平均情感為正面概率" in sentiment[1]
    assert any(line.startswith("| 全部文件 | 55 |") for line in sentiment)


def test_report_one_topic_is_said_to_be_no_finding(tmp_path: Path) -> None:
    """New user #8: 20 documents gave one catch-all topic (杂谈, 100%), shown as a finding."""
    tables = build_tables(make_workspace(tmp_path / "ws"))
    topics = tables["topics"]
    tables["topics"] = topics[topics["topic_id"].isin([0, -1])]
    label = tables["topics"].set_index("topic_id")["label"][0]
    note = _section(markdown_report(tables, script="zh-Hans"), "主题")[1]
    assert note.startswith(f"拟合只得到一个主题（{label}，") and "不是一项发现" in note
    assert "found one topic only" in markdown_report(tables, script="zh-Hans", lang="en")
    two = _section(markdown_report(build_tables(make_workspace(tmp_path / "two")), script="zh-Hans"), "主题")
    assert not any("一个主题" in line for line in two)


def _rewritten(root: Path, **columns: object) -> dict[str, pd.DataFrame]:
    """The sample without topics, its corpus columns set to ``columns``' values."""
    ws = make_workspace(root, with_topics=False)
    ws.write_part(S.CORPUS, "sample-00000", ws.read(S.CORPUS).assign(**columns))
    return build_tables(ws)


@pytest.mark.parametrize("columns, says, not_says", [
    ({S.PUBLISHED_AT: pd.NaT, S.SOURCE: "seed"}, "这里的文档没有日期，来源只有一个", "--period week"),
    ({S.PUBLISHED_AT: pd.Timestamp("2024-03-01"), S.SOURCE: "seed"}, "所有文档都在同一个时段", "--period week"),
])
def test_report_keywords_say_why_there_is_one_group(tmp_path: Path, columns: dict, says: str, not_says: str) -> None:
    """New user #7: a corpus without dates was told to export by week (opinion export --period week)."""
    keywords = "\n".join(_section(markdown_report(_rewritten(tmp_path / "ws", **columns), script="zh-Hans"),
                                  "关键词与词云"))
    assert keywords.startswith("\n没有关键词") and says in keywords and not_says not in keywords


def test_report_names_the_example_themes_no_document_mentions(tmp_path: Path) -> None:
    """New user #11: the shipped themes (信任, 国货, 非遗, 直播电商) filled a COVID corpus's report
    with 0.0%; the tables keep them, one line names them and says how to add one's own."""
    ws = make_workspace(tmp_path / "ws")
    prepared = ws.read(S.PREPARED)
    ws.write_part(S.PREPARED, "sample-00000", prepared.assign(**{S.theme_column("国货"): 0}))  # 非遗 has none
    tables = build_tables(ws)
    themes = _section(markdown_report(tables, script="zh-Hant-TW"), "議題趨勢")
    assert "沒有文件提及附帶的範例議題 國貨、非遺：" in themes[1] and "`--themes 我的議題.toml`" in themes[1]
    assert any(line.startswith("| 国货 | 0.0% |") for line in themes)  # the table keeps the row (as built: zh-Hans)
    assert "built-in example themes 国货; 非遗" in markdown_report(tables, script="zh-Hans", lang="en")
    ws = make_workspace(tmp_path / "all")
    ws.write_part(S.PREPARED, "sample-00000", ws.read(S.PREPARED).assign(**{S.theme_column("非遗"): 1}))
    everyone = _section(markdown_report(build_tables(ws), script="zh-Hans"), "议题趋势")
    assert not any("没有文档提及" in line for line in everyone)
