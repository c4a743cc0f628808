"""The explorer's table helpers: spreadsheet-safe downloads and script rendering of tables."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pandas as pd
from factory import make_workspace, open_explorer
from typer.testing import CliRunner

from opinion import schema as S
from opinion.cli import app
from opinion.explore.data import ExploreStore
from opinion.explore.text import escape_markdown
from opinion.explore.widgets import (
    first_missing,
    markdown_table,
    render_frame,
    static_frame,
    to_csv_bytes,
    to_xlsx_bytes,
)


def test_downloads_neutralise_formulas_and_keep_chinese():
    frame = pd.DataFrame({"text_norm": ['=HYPERLINK("http://evil.example/x","点我领口罩")', "国货"],
                          "top_terms": [["口罩", "防护"], ["直播"]], "score": [-3.5, 0.7]})
    csv_text = to_csv_bytes(frame).decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_text and "口罩 防护" in csv_text and "-3.5" in csv_text
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(frame))).active
    assert sheet.title == "data"
    assert sheet["A2"].value.startswith("=HYPERLINK") and sheet["A2"].quotePrefix  # text, kept text
    assert sheet["A2"].data_type == "s" and sheet["A3"].value == "国货" and not sheet["A3"].quotePrefix
    assert sheet["B2"].value == "口罩 防护" and sheet["C2"].value == -3.5


def test_csv_download_is_one_record_per_row():
    """Issue 13: the explorer's CSV download wrote a bare CR unquoted, splitting the row."""
    posts = ["武汉加油\r=cmd|' /C calc'!A0", " =1+1", "-1_无内容"]
    frame = pd.DataFrame({"doc_id": ["a", "b", "c"], "text_norm": posts})
    rows = list(csv.reader(io.StringIO(to_csv_bytes(frame).decode("utf-8-sig"), newline="")))
    assert rows == [["doc_id", "text_norm"], ["a", posts[0]], ["b", "' =1+1"], ["c", "'-1_无内容"]]


def test_render_frame_converts_labels_terms_and_texts_only():
    frame = pd.DataFrame({"label": ["1_直播_带货_国货"], "top_terms": [["国货", "直播"]],
                          "text_norm": ["国货与非遗的结合受到欢迎"], "source": ["news-cn"], "size": [4]})
    shown = render_frame(frame, "zh-HK")
    assert shown.loc[0, "label"] == "1_直播_帶貨_國貨"
    assert shown.loc[0, "top_terms"] == ["國貨", "直播"]
    assert shown.loc[0, "text_norm"] == "國貨與非遺的結合受到歡迎"
    assert shown.loc[0, "source"] == "news-cn" and shown.loc[0, "size"] == 4
    assert render_frame(frame, "zh-Hans") is frame


def test_values_shown_in_chinese_while_the_frame_for_downloads_keeps_them():
    from opinion.explore.widgets import values_shown

    frame = pd.DataFrame({"emotion_label": ["anger", "fear", None], "sentiment_label": ["negative", "positive", "neutral"],
                          "source": ["neutral", "weibo", "news"]})
    shown = values_shown(frame, "zh-Hant-TW")
    assert shown["emotion_label"].tolist()[:2] == ["憤怒", "恐懼"] and shown["emotion_label"].isna().iloc[2]
    assert shown["sentiment_label"].tolist() == ["負面", "正面", "中性"]
    assert shown["source"].tolist() == ["neutral", "weibo", "news"]  # only the label columns
    assert frame["emotion_label"].tolist()[:2] == ["anger", "fear"]  # the downloaded frame is untouched


def test_static_frame_headings_counts_empty_cells_and_markup():
    """The Overview's static tables: hidden columns left out, headings in Chinese, 12,345 with a
    separator, an empty cell "—", and a source named like Markdown shown as typed."""
    frame = pd.DataFrame({"script": ["zh-Hans", None], "script_name": ["简体", None],
                          "source": ["![img](http://127.0.0.1/x.png)", "新华网"],
                          "documents": [12345, 7]})
    config = {"script": None, "script_name": {"label": "文字名称"}, "documents": {"label": "文档数"}}
    shown = static_frame(frame, config)
    assert shown.columns.tolist() == ["文字名称", "source", "文档数"]
    assert shown["文档数"].tolist() == ["12,345", "7"] and shown["文字名称"].tolist() == ["简体", "—"]
    assert shown["source"][0] == escape_markdown(frame["source"][0]) and "](" not in shown["source"][0]
    assert shown["source"][1] == "新华网"


def test_markdown_table_keeps_each_row_on_one_line_and_pipes_inside_cells():
    """A source named with a line break or a "|" stays one row of the Overview's Markdown table."""
    frame = pd.DataFrame({"source": ["新华网\n第二行", "a|b"], "documents": [12345, 7]})
    shown = static_frame(frame, {"documents": {"label": "文档数"}})
    lines = markdown_table(shown, right=["文档数"]).splitlines()
    assert lines[:2] == ["| source | 文档数 |", "| :-- | --: |"]
    assert lines[2:] == ["| 新华网 第二行 | 12,345 |", "| a\\|b | 7 |"]
    assert markdown_tables_of(lines)[0]["source"].tolist() == ["新华网 第二行", "a\\|b"]


def markdown_tables_of(lines: list[str]) -> list[pd.DataFrame]:
    from types import SimpleNamespace

    from factory import markdown_tables

    return markdown_tables(SimpleNamespace(markdown=[SimpleNamespace(value="\n".join(lines))]))


APP = Path(__file__).resolve().parents[1] / "app.py"


start = open_explorer  # an explorer session on a workspace, opened at a section


def test_a_new_search_starts_on_page_1(monkeypatch, tmp_path):
    """Bug hunt h47 #4: a new search kept the page number of the last list."""
    make_workspace(tmp_path / "ws")
    at = start(monkeypatch, tmp_path / "ws", "Documents")
    at.number_input(key="documents_page").set_value(3).run()  # 20 a page
    assert at.number_input(key="documents_page").value == 3
    at.text_input(key="documents_query").input("口罩").run()
    assert not at.exception, at.exception
    assert at.number_input(key="documents_page").value == 1
    assert any("第 1 / " in m.value for m in at.markdown)


def test_a_loaded_workspace_is_told_to_run_prepare_first(monkeypatch, tmp_path):
    """Bug hunt h47 #5: the Topics page said to run `opinion topics`, which fails before
    `opinion prepare`; the Overview says it once."""
    posts = tmp_path / "posts.csv"
    posts.write_text("text,date\n武汉加油，口罩够用吗,2020-01-24\n直播带货的国货卖得很好,2020-01-25\n",
                     encoding="utf-8")
    result = CliRunner().invoke(app, ["load", str(posts), "-w", str(tmp_path / "ws")])
    assert result.exit_code == 0, result.output
    store = ExploreStore.open(tmp_path / "ws", texts_in_memory=False)
    assert first_missing(store, S.TOPICS) == first_missing(store, S.SENTIMENT) == S.PREPARED
    assert first_missing(store, S.CORPUS) == ""
    for section in ("Topics", "Overview", "Compare"):
        notes = [i.value for i in start(monkeypatch, tmp_path / "ws", section).info if "需要" in i.value]
        assert notes == [f"需要 `prepared`：请先运行 `opinion prepare -w {tmp_path / 'ws'}`。"], section


def test_render_frame_shows_theme_names_in_the_readers_script_either_way():
    """A theme file written in Traditional showed 國貨 in the zh-Hans explorer while the report
    said 国货; a Simplified name is converted for a Traditional reader as before."""
    from opinion.explore.text import render_theme
    from opinion.explore.widgets import render_frame

    frame = pd.DataFrame({"theme": ["國貨", "直播电商"], "docs": [3, 4]})
    assert render_frame(frame, "zh-Hans")["theme"].tolist() == ["国货", "直播电商"]
    assert render_frame(frame, "zh-Hant-TW")["theme"].tolist() == ["國貨", "直播電商"]
    assert render_theme("國貨", "zh-Hans") == "国货" and render_theme("国货", "zh-HK") == "國貨"
