"""CSV, XLSX, Markdown and HTML exports (opinion.report.*_writer), hostile posts included."""

from __future__ import annotations

import csv
import datetime as dt
import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from factory import (
    CR_POST,
    HOSTILE_LABEL,
    HTML_POST,
    SPACE_FORMULA,
    make_markup_workspace,
    make_workspace,
    markup_names,
)

from opinion import schema as S
from opinion.errors import InputError
from opinion.io.safety import is_dangerous, write_csv_frame
from opinion.report import EXPORT_TABLE_NAMES, build_tables, export_workspace, parse_formats

URL = "http://127.0.0.1:9"
NAMES = markup_names(URL)

HOSTILE = ('=HYPERLINK("http://evil.example/x","点我领口罩")', "@SUM(1+1)*cmd|' /C calc'!A0 口罩到货了")


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A report of the hostile workspace in every format."""
    root = tmp_path_factory.mktemp("export")
    ws = make_markup_workspace(root / "ws", URL)
    export_workspace(ws, root / "out", formats="all")
    return root / "out"


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


# --- CSV -----------------------------------------------------------------------------
def test_report_csv_one_file_per_table_with_bom(report: Path) -> None:
    for name in EXPORT_TABLE_NAMES:
        assert (report / f"{name}.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    rows = read_csv(report / "documents.csv")
    assert list(rows[0])[:5] == [S.DOC_ID, S.TITLE, S.TEXT_RAW, S.PUBLISHED_AT, S.SOURCE]
    assert len(rows) == 55
    assert rows[0][S.PUBLISHED_AT] == "2020-01-24"


def test_report_csv_hostile_posts_inert(report: Path) -> None:
    texts = {r[S.DOC_ID]: r[S.TEXT_RAW] for r in read_csv(report / "documents.csv")}
    assert texts["sample-53"] == "'" + HOSTILE[0]
    assert texts["sample-54"] == "'" + HOSTILE[1]
    assert texts["sample-2"] == "'" + SPACE_FORMULA
    for name in EXPORT_TABLE_NAMES:
        with open(report / f"{name}.csv", encoding="utf-8-sig", newline="") as fh:
            for row in csv.reader(fh):
                for value in row:
                    assert not is_dangerous(value) or value.startswith("'"), (name, value)


def test_report_csv_one_record_per_document(report: Path) -> None:
    """Issue 13: a post with a bare CR was written unquoted and read back as 3 records for 2."""
    rows = read_csv(report / "documents.csv")
    assert len(rows) == 55 and len({r[S.DOC_ID] for r in rows}) == 55
    texts = {r[S.DOC_ID]: r[S.TEXT_RAW] for r in rows}
    assert texts["sample-1"] == CR_POST  # exactly as loaded: one cell, CR kept
    assert (report / "documents.csv").read_bytes().count(b"\r\n") >= 56  # CRLF line ends
    for name in EXPORT_TABLE_NAMES:  # every table: as many records as rows, in Python's csv and pandas
        with open(report / f"{name}.csv", encoding="utf-8-sig", newline="") as fh:
            records = list(csv.reader(fh))
        assert len({len(r) for r in records}) == 1, name
        assert len(records) - 1 == len(pd.read_csv(report / f"{name}.csv", encoding="utf-8-sig")), name


def test_report_csv_negative_numbers_stay_numbers(report: Path) -> None:
    topics = {r["topic_id"]: r for r in read_csv(report / "topics.csv")}
    assert float(topics["2"]["trend_growth"]) == -1.0  # written as -1.0, not '-1.0
    assert topics["0"]["label"] == "'" + HOSTILE_LABEL
    assert topics["2"]["label"] == "'-1_无内容"  # Excel would read it as a formula: CSV marks it text


# --- XLSX ----------------------------------------------------------------------------
def test_report_xlsx_sheets_headers_types(report: Path) -> None:
    book = openpyxl.load_workbook(report / "report.xlsx")
    assert book.sheetnames == list(EXPORT_TABLE_NAMES)
    topics = book["topics"]
    header = [c.value for c in topics[1]]
    assert header[:5] == ["topic_id", "label", "top_terms", "size", "share"]
    assert topics.freeze_panes == "A2"
    assert topics.column_dimensions["B"].width > 10
    first = {h: c for h, c in zip(header, topics[2])}
    assert first["size"].data_type == "n" and first["size"].value == 29
    assert isinstance(first["share"].value, float) and first["share"].number_format == "0.0%"
    assert isinstance(first["first_seen"].value, dt.datetime)
    assert first["first_seen"].number_format == "yyyy-mm-dd"
    growth = {c.value: topics.cell(row=c.row, column=header.index("trend_growth") + 1).value
              for c in topics["A"][1:]}
    assert growth[2] == -1.0  # a negative number stays a number
    docs = book["documents"]
    doc_header = [c.value for c in docs[1]]
    assert doc_header[:5] == [S.DOC_ID, S.TITLE, S.TEXT_RAW, S.PUBLISHED_AT, S.SOURCE]
    assert docs.max_row == 56
    assert isinstance(docs.cell(row=2, column=4).value, dt.datetime)


def test_report_xlsx_hostile_posts_inert(report: Path) -> None:
    book = openpyxl.load_workbook(report / "report.xlsx")
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
            if isinstance(cell.value, str) and is_dangerous(cell.value):
                assert cell.quotePrefix, (sheet.title, cell.coordinate, cell.value)  # kept text by Excel
            elif cell.value is not None:
                assert not cell.quotePrefix, (sheet.title, cell.coordinate, cell.value)
    docs = book["documents"]
    texts = {docs.cell(row=r, column=1).value: docs.cell(row=r, column=3).value for r in range(2, 57)}
    assert texts["sample-53"] == HOSTILE[0]  # the value unchanged: no ' added
    assert texts["sample-54"] == HOSTILE[1]
    assert texts["sample-2"] == SPACE_FORMULA
    labels = [c.value for c in book["topics"]["B"][1:]]
    assert "-1_无内容" in labels and HOSTILE_LABEL in labels


# --- Markdown ------------------------------------------------------------------------
def test_report_markdown_tables_and_hostile_text(report: Path) -> None:
    text = (report / "report.md").read_text(encoding="utf-8")
    assert text.startswith("# 舆情分析报告")
    for title in ("## 概览", "## 主题", "## 主题趋势", "## 各主题情感", "## 议题趋势", "## 来源", "## 运行信息"):
        assert title in text
    table_lines = [line for line in text.splitlines() if line.startswith("|")]
    widths = {line.count(" | ") for line in table_lines if line.startswith("| 主题编号")}
    assert widths, "topic table missing"
    assert "\\<script\\>" in text and "<script>" not in text
    assert "\\[点我\\](http\u2060://" in text  # no link markup, no autolink
    assert "| \\=cmd\\|' /C calc'!A0_口罩 |" in text  # the formula label: escaped, no '
    assert "| \\-1_无内容 |" in text and "'-1_无内容" not in text
    assert "sample-53 · 2020-03-01 · =HYPERLINK(" in text  # inside a cell, after the id: inert
    assert NAMES["md_source"] not in text and "!\\[img\\](http\u2060://127.0.0.1:9/md-source.png)" in text
    rows = [line for line in table_lines if not re.fullmatch(r"[|:\- ]+", line)]
    for line in rows:  # split on unescaped pipes: no cell can start a formula
        cells = re.split(r"(?<!\\)\|", line)[1:-1]
        assert not any(is_dangerous(item) for cell in cells for item in cell.split("<br>")), line


# --- HTML ----------------------------------------------------------------------------
class _Loads(HTMLParser):
    """Collect what a browser would fetch: src/href/data attributes and <link>s."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            if name in ("src", "href", "data", "srcset", "poster", "action") and value is not None:
                self.urls.append(value)


def test_report_html_needs_no_network(report: Path) -> None:
    text = (report / "report.html").read_text(encoding="utf-8")
    parser = _Loads()
    parser.feed(text)
    inline_png = "data:image/png;base64,"  # the word clouds, drawn by us, inside the file
    assert all(url.startswith(("#", inline_png)) for url in parser.urls), parser.urls
    assert "link" not in parser.tags and "iframe" not in parser.tags
    assert parser.tags.count("img") == sum(url.startswith(inline_png) for url in parser.urls)
    assert "@import" not in text
    styles = re.findall(r"<style>(.*?)</style>", text, flags=re.S)
    assert styles and not any("url(" in s for s in styles)
    assert text.count("<script") >= 3  # plotly.js inline, then one per chart
    assert len(re.findall(r"<script[^>]*\bsrc=", text)) == 0


def test_report_html_sections_charts_fonts(report: Path) -> None:
    text = (report / "report.html").read_text(encoding="utf-8")
    for title in ("概览", "主题趋势", "各主题情感", "议题趋势"):
        assert f"<h2>{title}</h2>" in text
    assert text.count('class="plotly-graph-div"') == 4  # trends, sentiment, themes, overlap
    assert text.count("Plotly.newPlot") >= 4
    assert '"Noto Sans CJK SC"' in text and "@media print" in text
    assert '<html lang="zh-Hans">' in text


def test_report_html_escapes_document_text(report: Path) -> None:
    text = (report / "report.html").read_text(encoding="utf-8")
    assert '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;' in text
    assert 'alert("x")' not in text
    assert "=HYPERLINK(&quot;http://evil.example/x&quot;" in text
    assert "evil.example/a.png" in text and 'src="http' not in text
    assert HTML_POST not in text


def test_report_html_cells_start_no_formula(report: Path) -> None:
    text = (report / "report.html").read_text(encoding="utf-8")
    cells = re.findall(r"<t[dh][^>]*>(?:<div[^>]*>)?(.*?)(?:</div>)?</t[dh]>", text, flags=re.S)
    assert len(cells) > 100
    for cell in cells:
        assert not any(is_dangerous(item) for item in cell.split("<br>")), cell
    assert "<td>&#45;1_无内容</td>" in text and "'-1_无内容" not in text  # shown as -1_无内容


def test_report_html_charts_draw_data_as_text(report: Path) -> None:
    """Issue 13: legends, axes and hover drew <a href> and <b> from labels and names."""
    text = (report / "report.html").read_text(encoding="utf-8")
    figures = [json.loads(m) for m in re.findall(r"Plotly\.newPlot\(\s*\"[^\"]+\",\s*(\[.*?\]),\s*\{", text, flags=re.S)]
    assert len(figures) == 4
    strings = [s for traces in figures for s in _strings(traces)]
    assert any("&lt;b&gt;粗体&lt;/b&gt;" in s for s in strings)  # the hashtag label, as text
    assert any("&lt;b&gt;议题&lt;/b&gt;" in s for s in strings)  # the theme name, as text
    for value in strings:
        assert "<b>" not in value and "<a " not in value and "<img" not in value, value
        assert "%{x}" not in value or value.startswith("%{"), value  # only our own hover templates


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def test_report_html_without_stages_draws_no_empty_chart(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws", with_topics=False)
    ws.remove_table(S.SENTIMENT)
    ws.remove_table(S.PREPARED)
    (path,) = export_workspace(ws, tmp_path / "out", formats="html", script="zh-HK")
    text = path.read_text(encoding="utf-8")
    assert "plotly-graph-div" not in text and "<script" not in text
    assert "opinion topics -w" in text and "opinion sentiment -w" in text
    assert "概覽" in text and "文檔數" in text and "文档数" not in text  # in the reader's script


def test_report_by_period_tables_show_recent_periods_and_a_whole_span_line(tmp_path: Path) -> None:
    """30 days by day: a 31-column Markdown table no page can hold. The report shows the
    last 12 periods and a line over all of them, says so, and the CSV keeps every period."""
    ws = make_workspace(tmp_path / "ws")
    corpus = ws.read_part("corpus", "sample-00000")
    days = pd.Timestamp("2020-01-20") + pd.to_timedelta(range(len(corpus)), unit="D") % pd.Timedelta(days=30)
    ws.write_part("corpus", "sample-00000", corpus.assign(published_at=days))
    files = export_workspace(ws, tmp_path / "out", formats="csv,md", period="day")
    markdown = next(f for f in files if f.suffix == ".md").read_text(encoding="utf-8")
    over_time = pd.read_csv(tmp_path / "out" / "topics_over_time.csv", encoding="utf-8-sig")
    periods = sorted(over_time["period"].unique())
    assert len(periods) > 12
    trends = markdown.split("## 主题趋势")[1].split("## ")[0]
    header = next(line for line in trends.splitlines() if line.startswith("| 主题 |"))
    assert header == "| " + " | ".join(["主题", "全程走势", *periods[-12:]]) + " |"
    assert f"最近 12 个时段（共 {len(periods)} 个）" in trends and "topics_over_time.csv" in trends
    rows = [line.split(" | ")[1] for line in trends.splitlines() if line.startswith("| ") and "---" not in line][1:]
    assert rows and all(set(cell) <= set("▁▂▃▄▅▆▇█·") and "█" in cell for cell in rows)


def test_report_by_period_rows_follow_the_topic_table_one_row_per_topic(tmp_path: Path) -> None:
    """The trend and sentiment-by-period tables listed topics by id, outliers first (无内容 led
    the 620k Weibo report), while the topic table put them last; and rows were keyed by label,
    so two topics with the same label became one row. They now follow the topic table, and name
    the two as every explorer chooser does (``label #id``)."""
    from opinion.report.sections import report_sections
    from opinion.report.tables import build_tables

    tables = build_tables(make_workspace(tmp_path / "ws"))
    tables["topics"] = tables["topics"].assign(is_generic=tables["topics"]["topic_id"].eq(0))  # 口罩 as chatter
    twin = tables["topics"].set_index("topic_id").loc[2, "label"]  # topic 1 renamed like topic 2
    for name in ("topics_over_time", "sentiment_by_topic_period"):
        tables[name] = tables[name].assign(topic_label=tables[name]["topic_label"].mask(tables[name]["topic_id"] == 1, twin))
    tables["topics"] = tables["topics"].assign(label=tables["topics"]["label"].mask(tables["topics"]["topic_id"] == 1, twin))
    sections = {s.key: s for s in report_sections(tables, script="zh-Hans")}
    shown = sections["topics"].tables[0][1]
    named = shown["主题"].tolist()  # the topic table names them as everywhere too (since 2026-12-07)
    assert named[-1] == "0_口罩_戴口罩_防护"  # catch-all last
    assert named[:2] == [f"{twin} #{i}" for i in shown["主题编号"][:2]] and named[0] != named[1]
    for key in ("topic_trends", "sentiment"):
        by_period = sections[key].tables[-1][1]
        assert by_period["主题"].tolist() == named, key
    assert sections["sentiment"].tables[0][1]["主题"].tolist() == named


def test_report_without_topics_names_all_documents_in_the_readers_language(tmp_path: Path) -> None:
    """A corpus too small for topics: the sentiment rows over every document read 全部文档 /
    全部文檔 (the CSV keeps ``(all documents)``), and the source table lists no topics instead
    of ``(all docume…（100%）`` for every source."""
    ws = make_workspace(tmp_path / "ws", with_topics=False)
    files = export_workspace(ws, tmp_path / "out", formats="csv,md,html", script="zh-HK")
    markdown = next(f for f in files if f.suffix == ".md").read_text(encoding="utf-8")
    page = next(f for f in files if f.suffix == ".html").read_text(encoding="utf-8")
    assert "(all documents)" not in markdown and "(all documents)" not in page
    assert "| 全部文檔 |" in markdown and "全部文檔" in page
    sources = markdown.split("## 來源")[1].split("## ")[0]
    assert "| 來源 | 文檔數 | 平均情感 |" in sources and "100%" not in sources
    csv_rows = read_csv(tmp_path / "out" / "sentiment_by_topic_period.csv")
    assert {row["topic_label"] for row in csv_rows} == {"(all documents)"}


def test_report_without_dates_says_why_nothing_is_shown_by_period(tmp_path: Path) -> None:
    # reviews without dates (e.g. online_shopping_10_cats.csv): the trend and keyword sections
    # say that no document has a date, and the overview names no period
    ws = make_workspace(tmp_path / "ws")
    corpus = ws.read_part("corpus", "sample-00000")
    wuhan = corpus["text_raw"].str.contains("武汉|武漢").map({True: "wuhan", False: "other"})
    ws.write_part("corpus", "sample-00000", corpus.assign(published_at=pd.NaT, source=wuhan))
    (path,) = export_workspace(ws, tmp_path / "out", formats="md")
    text = path.read_text(encoding="utf-8")
    trends = text.split("## 主题趋势")[1].split("## ")[0]
    keywords = text.split("## 关键词")[1].split("## ")[0]
    assert "没有文档带日期" in trends and "--date-col" in trends
    assert "没有文档带日期" in keywords
    assert "各来源的关键词" in keywords and "| 名次 | other |" in keywords  # sources instead of periods
    assert "| 1 | 口罩 |" in keywords
    assert "没有文档带日期" in text.split("## 议题趋势")[1].split("## ")[0]
    assert "| 时段 | – |" in text
    (run,) = [f for f in export_workspace(ws, tmp_path / "csv", formats="csv") if f.name == "run.csv"]
    rows = pd.read_csv(run, encoding="utf-8-sig").set_index("key")["value"]
    assert rows["period_choice"] == "no document has a date"
    by_source = pd.read_csv(tmp_path / "csv" / "keywords_by_source.csv", encoding="utf-8-sig")
    assert set(by_source["group"]) <= {"wuhan", "other"} and "口罩" in set(by_source["word"])


# --- formats -------------------------------------------------------------------------
def test_report_export_formats(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    written = export_workspace(ws, tmp_path / "out", formats=["xlsx,md"])
    assert [p.name for p in written] == ["report.xlsx", "report.md"]
    assert parse_formats("all") == ("csv", "xlsx", "md", "html")
    assert parse_formats("markdown,csv,csv") == ("md", "csv")
    with pytest.raises(InputError, match="formats must be one or more of csv, xlsx, md, html"):
        parse_formats("pdf")
    (tmp_path / "file").write_text("x")
    with pytest.raises(InputError, match="is a file"):
        export_workspace(ws, tmp_path / "file")


def test_report_xlsx_splits_long_tables_and_cuts_long_cells(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from opinion.report import xlsx_writer

    monkeypatch.setattr(xlsx_writer, "MAX_ROWS", 20)  # Excel's limit is 1,048,575 data rows
    monkeypatch.setattr(xlsx_writer, "MAX_CELL", 40)  # and 32,767 characters a cell
    ws = make_workspace(tmp_path / "ws")
    (path,) = export_workspace(ws, tmp_path / "out", formats="xlsx", top=0)
    book = openpyxl.load_workbook(path)
    assert [n for n in book.sheetnames if n.startswith("documents")] == \
        ["documents", "documents (2)", "documents (3)"]
    assert sum(book[n].max_row - 1 for n in ("documents", "documents (2)", "documents (3)")) == 55
    assert [c.value for c in book["documents (3)"][1]][:3] == [S.DOC_ID, S.TITLE, S.TEXT_RAW]
    text = book["documents"]["C2"].value
    assert len(text) == 40 and text.endswith("…[cut]")
    assert not any(str(c.value).startswith("example_") for c in book["topics"][1])  # --top 0


def test_report_xlsx_cuts_emoji_and_extension_b_text_by_excels_count(tmp_path: Path) -> None:
    """Excel's 32,767 counts UTF-16 units: a post of emoji or 𠀀 used to lose half its text
    to XlsxWriter's own cut, without the …[cut] mark; U+FFFE came out as _xFFFE_."""
    from opinion.report import xlsx_writer

    posts = ["😷" * 20_000 + "END", "中" * 40_000 + "😷", "𠀀" * 40_000, "口罩" * 100, "武汉\ufffe加油\uffff"]
    path = tmp_path / "cut.xlsx"
    xlsx_writer.write_xlsx({"documents": pd.DataFrame({"text": posts})}, path)
    cells = [row[0].value for row in openpyxl.load_workbook(path)["documents"].iter_rows(min_row=2)]
    for cell, post in zip(cells[:3], posts):
        units = len(cell.encode("utf-16-le")) // 2
        assert cell.endswith("…[cut]") and 32_767 - 2 < units <= 32_767
        assert post.startswith(cell[: -len("…[cut]")])
    assert cells[3:] == ["口罩" * 100, "武汉加油"]


def test_report_html_folds_examples_and_long_tables_and_trends_every_topic(report: Path) -> None:
    """Issue 17: the report stays short at 50 topics: posts and long tables folded, a panel per topic."""
    text = (report / "report.html").read_text(encoding="utf-8")
    topics = pd.read_csv(report / "topics.csv", encoding="utf-8-sig")
    examples = re.findall(r'<td><div class="posts"><details><summary>(\d+) 篇帖子</summary><ul>(.*?)</ul>', text)
    assert len(examples) == len(topics)  # one folded list of example posts per topic
    assert all(body.count("<li>") == int(n) for n, body in examples)
    assert '<details class="table"><summary>' in text  # the run table (hundreds of rows) is folded
    (trends,) = [f for f in _figures(text) if len({t.get("xaxis") for t in f}) > 1]  # small multiples
    assert len(trends) == (topics["topic_id"] != -1).sum()  # every topic, one panel each
    assert '<div class="charts">' in text and "max-width: 1400px" in text


def _figures(text: str) -> list[list[dict]]:
    return [json.loads(m) for m in re.findall(r"Plotly\.newPlot\(\s*\"[^\"]+\",\s*(\[.*?\]),\s*\{", text, flags=re.S)]


def test_report_notes_keep_commands_as_code_in_the_readers_language(tmp_path: Path) -> None:
    """A missing stage's note reads 未找到结果：请先运行 `opinion topics -w …`。 with the command as
    code: it was escaped (\\`opinion topics\\`) in report.md and half English in a Chinese report."""
    ws = make_workspace(tmp_path / "ws", with_topics=False)
    files = export_workspace(ws, tmp_path / "out", formats="md,html", script="zh-Hans")
    markdown = next(f for f in files if f.suffix == ".md").read_text(encoding="utf-8")
    page = next(f for f in files if f.suffix == ".html").read_text(encoding="utf-8")
    command = f"opinion topics -w {ws.root}"
    assert f"未找到结果：请先运行 `{command}`。" in markdown.splitlines()
    assert f"<code>{html.escape(command)}</code>" in page and "missing: run" not in page.split("<table")[0]


def test_report_english_says_yes_no_and_one_post(tmp_path: Path) -> None:
    """--lang en printed every flag of the run table as 是/否 and one example as "1 posts"."""
    ws = make_workspace(tmp_path / "ws")
    ws.manifest["stages"]["prepare"] = {"complete": True, "settings": {"guided": False}}  # as a real run's
    ws.save_manifest()
    export_workspace(ws, tmp_path / "out", formats="md,html", lang="en", top=1)
    markdown = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    page = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "| 是 |" not in markdown and "| 否 |" not in markdown
    assert "<td>complete</td><td>yes</td>" in page and "<td>no</td>" in page  # the full run table: in the page
    assert "<td>是</td>" not in page and "<td>否</td>" not in page and "<td>yes</td>" in page
    assert "<summary>1 post</summary>" in page and "1 posts" not in page


def test_report_xlsx_leaves_out_control_characters_as_the_csv(tmp_path: Path) -> None:
    """report.xlsx kept NUL, VT and ESC (as _x0000_...) that documents.csv leaves out."""
    from opinion.report.xlsx_writer import write_xlsx

    texts = ["武汉加油\x00后面\x0b垂直", "\x1b[31m红色", "\x00=cmd|' /C calc'!A0", "第一行\n第二行\t完"]
    table = pd.DataFrame({S.DOC_ID: ["a", "b", "c", "d"], S.TEXT_RAW: texts, "n\x01": [1, 2, 3, 4]})
    write_xlsx({"documents": table}, tmp_path / "report.xlsx")
    write_csv_frame(table, tmp_path / "documents.csv")
    sheet = openpyxl.load_workbook(tmp_path / "report.xlsx")["documents"]
    assert [c.value for c in sheet[1]] == [S.DOC_ID, S.TEXT_RAW, "n"]
    cells = [sheet.cell(row=r, column=2) for r in range(2, 6)]
    assert [c.value for c in cells] == ["武汉加油后面垂直", "[31m红色", "=cmd|' /C calc'!A0", "第一行\n第二行\t完"]
    assert cells[2].quotePrefix  # the cleaned text starts a formula: kept text
    back = pd.read_csv(tmp_path / "documents.csv", encoding="utf-8-sig")[S.TEXT_RAW].tolist()
    assert [v.removeprefix("'") for v in back] == [c.value for c in cells]  # the CSV says the same


def test_report_html_is_the_same_page_twice(tmp_path: Path) -> None:
    """Every Plotly chart had a random div id, so two exports of one workspace differed."""
    from opinion.report.html_writer import html_report

    tables = build_tables(make_workspace(tmp_path / "ws"))
    page = html_report(tables, script="zh-Hans")
    assert page == html_report(tables, script="zh-Hans")
    ids = re.findall(r'<div id="([^"]+)" class="plotly-graph-div"', page)
    assert ids and ids == [i for i in ids if re.fullmatch(r"chart-[a-z_]+-\d", i)] and len(set(ids)) == len(ids)


def test_report_top_zero_has_no_examples_column(tmp_path: Path) -> None:
    """--top 0 left an empty 代表性帖子 column in the report's topic table."""
    ws = make_workspace(tmp_path / "ws")
    export_workspace(ws, tmp_path / "out", formats="md,html", top=0)
    markdown = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    page = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    header = next(line for line in markdown.splitlines() if line.startswith("| 主题编号"))
    assert header.endswith("| 负面占比 |") and "代表性帖子" not in markdown
    assert "代表性帖子" not in page and '<div class="posts">' not in page
