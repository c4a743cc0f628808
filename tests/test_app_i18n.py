"""No English left in the explorer's Chinese interface: every section and view through AppTest,
in 简体 and 繁體, reading what a reader sees (headings, labels, options, captions, notices,
metrics, chart titles and axes, table headings); English stays the English option."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from factory import make_workspace, markdown_tables
from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[1] / "app.py"

# Technical names, file formats and the sample's own data (sources, ids) may stay in Latin letters;
# "Script" and "Language" are the switches' deliberate second names, for a reader who cannot read 中文.
ALLOWED = {"CSV", "XLSX", "HTML", "PNG", "GEXF", "Gephi", "GraphML", "BERTopic", "NMI", "Louvain", "Jaccard",
           "Dunning", "PMI", "jieba_cut", "topics_over_time", "doc_id", "Script", "Language", "English",
           "weibo", "news", "tw", "cn", "sample", "ws"}
CODE_OR_FILE = re.compile(r"`[^`]*`|\b[\w.-]+\.(?:csv|xlsx|html|md|json|parquet)\b")
WORD = re.compile(r"[A-Za-z][A-Za-z_]+")


def english_words(text: str) -> set[str]:
    """ASCII words of ``text`` outside code spans and file names that are not allowed names."""
    return set(WORD.findall(CODE_OR_FILE.sub(" ", text.replace("\\", "")))) - ALLOWED


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("i18n_app") / "ws"
    make_workspace(root)
    return root


def _chart_texts(spec: dict) -> Iterator[str]:
    layout = spec.get("layout", {})
    for part in (layout.get("title"), layout.get("legend", {}).get("title")):
        if isinstance(part, dict) and part.get("text"):
            yield str(part["text"])
    for name, axis in layout.items():
        if name.startswith(("xaxis", "yaxis")) and isinstance(axis, dict):
            title = axis.get("title")
            if isinstance(title, dict) and title.get("text"):
                yield str(title["text"])
    for trace in spec.get("data", []):
        if trace.get("showlegend", True) and trace.get("name") and trace.get("type") != "scatter":
            yield str(trace["name"])
    for axis in sorted(_date_axes(spec)):  # Plotly writes month names in English unless told a format
        ticks = layout.get(axis, {}).get("tickformatstops") or [{"value": "Jan 24 2020"}]
        yield " ".join(str(stop.get("value", "")) for stop in ticks)


ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _date_axes(spec: dict) -> set[str]:
    """Layout names of the axes (``xaxis``, ``xaxis2``) whose traces hold dates."""
    found = set()
    for trace in spec.get("data", []):
        for letter in ("x", "y"):
            values = trace.get(letter)
            if isinstance(values, list) and values and isinstance(values[0], str) and ISO_DATE.match(values[0]):
                found.add(f"{letter}axis{trace.get(f'{letter}axis', letter)[1:]}")
    return found


def _shown_columns(element) -> Iterator[tuple[str, dict]]:
    config = json.loads(element.proto.columns or "{}")
    for column in element.value.columns:
        given = config.get(str(column)) or {}
        if not given.get("hidden"):
            yield str(column), given


def _table_headings(element) -> Iterator[str]:
    for column, given in _shown_columns(element):
        yield str(given.get("label") or column)


VALUE_COLUMNS = ("sentiment_label", "emotion_label", "script", "script_name")  # stored values a reader reads


def _table_values(element) -> Iterator[str]:
    """The cells of the columns holding stored values (``negative``, ``anger``, ``zh-Hans``), and
    what an empty cell shows ("None" unless the table sets a placeholder)."""
    for column, _ in _shown_columns(element):
        if column in VALUE_COLUMNS:
            yield from (str(value) for value in element.value[column].dropna().unique())
    if element.value.isna().any().any():
        yield element.proto.placeholder if element.proto.HasField("placeholder") else "None"


STORED_CODES = {"zh-Hans", "zh-Hant", "mixed", "none", "None", "nan", "negative", "neutral", "positive",
                "happiness", "anger", "sadness", "fear", "surprise"}  # a static cell showing one is untranslated


def shown_texts(at: AppTest) -> Iterator[tuple[str, str]]:
    """``(where, text)`` for everything of the page a reader reads, leaving out documents' own text."""
    for kind in ("title", "header", "subheader", "caption", "info", "warning", "success", "error", "metric"):
        for element in at.get(kind):
            if kind == "metric":
                yield kind, element.label
                yield kind, element.proto.help
            else:
                yield kind, str(element.value)
    for markdown in at.markdown:  # the page-count lines; posts are the documents' own words
        if str(markdown.value).startswith("**"):
            yield "markdown", str(markdown.value)
    for kind in ("radio", "selectbox", "multiselect", "text_input", "number_input", "date_input", "checkbox",
                 "slider", "button", "download_button", "expander"):
        for element in at.get(kind):
            yield kind, element.proto.label
            yield f"{kind} help", getattr(element.proto, "help", "")
            placeholder = getattr(element.proto, "placeholder", "")
            if kind == "multiselect" and not placeholder:
                placeholder = "Choose options"  # what the browser shows in an empty one when the page sets none
            yield f"{kind} placeholder", placeholder
            for option in getattr(element.proto, "options", []):
                yield f"{kind} option", str(option)
    for chart in at.get("plotly_chart"):
        for text in _chart_texts(json.loads(chart.proto.spec)):
            yield "plotly", text
    for chart in at.get("vega_lite_chart"):
        spec = json.loads(chart.proto.spec)
        yield "vega-lite", str(spec.get("title", ""))
        for axis in spec.get("encoding", {}).values():
            if isinstance(axis, dict) and axis.get("title"):
                yield "vega-lite axis", str(axis["title"])
    for table in at.dataframe:
        for heading in _table_headings(table):
            yield "table heading", heading
        for value in _table_values(table):
            yield "table value", value
    for table in markdown_tables(at):  # static tables: headings and cells are what the reader reads
        yield from (("static table heading", str(column)) for column in table.columns)
        yield from (("static table value", str(value)) for value in table.stack().unique()
                    if str(value).replace("\\", "") in STORED_CODES)  # cells are escaped Markdown
    for image in at.get("image"):
        for shown in image.proto.imgs:
            yield "image caption", shown.caption


def english_left(at: AppTest) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for where, text in shown_texts(at):
        words = english_words(text or "")
        if words:
            found.setdefault(where, set()).update(words)
    return found


VIEWS = [  # (section, widget kind, key, value): one view of each section and of its sub-views
    ("Overview", None, None, None),
    ("Topics", None, None, None),
    ("Topics", "radio", "topics_view", "period"),
    ("Themes", "text_input", "themes_kwic_term", "信任"),
    ("Emotions", None, None, None),
    ("Documents", None, None, None),
    ("Compare", None, None, None),
    ("Compare", "radio", "compare_mode", "Two sources"),
    ("Words", None, None, None),
    ("Words", "radio", "words_view", "Network"),
    ("Words", "radio", "words_view", "Word cloud"),
    ("Words", "radio", "words_view", "New words"),
]


def english_in_views(monkeypatch, root: Path, script: str, views: list[tuple]) -> dict[str, list[str]]:
    """The English words left on each view of ``views``, opened one after the other in ``script``."""
    monkeypatch.setattr(sys, "argv", ["app.py", "--workspace", str(root)])
    at = AppTest.from_file(str(APP), default_timeout=90)
    at.query_params["script"] = script  # the code, as a shared link carries it (it held the shown name)
    at.run()
    assert at.radio(key="script").value == script  # `?script=zh-Hant-TW` had opened 简体 without a word
    left = {}
    for section, kind, key, value in views:
        at.radio(key="section").set_value(section).run()
        if kind == "radio":
            at.radio(key=key).set_value(value).run()
        elif kind == "text_input":
            at.text_input(key=key).input(value).run()
        assert not at.exception, (section, at.exception)
        for where, words in english_left(at).items():
            left[f"{section}/{value or ''}: {where}"] = sorted(words)
    return left


def test_app_simplified_interface_has_no_english_left(monkeypatch, workspace):
    left = english_in_views(monkeypatch, workspace, "zh-Hans", VIEWS)
    assert not left, "\n".join(f"{where}: {words}" for where, words in left.items())


def test_app_traditional_interface_has_no_english_left(monkeypatch, workspace):
    views = [view for view in VIEWS if view[0] in ("Overview", "Topics", "Documents") and view[1] is None]
    # 繁體 is the same messages converted: three sections show that the conversion adds no English
    left = english_in_views(monkeypatch, workspace, "zh-Hant-TW", views)
    assert not left, "\n".join(f"{where}: {words}" for where, words in left.items())


def test_app_english_stays_the_english_option(monkeypatch, workspace):
    monkeypatch.setattr(sys, "argv", ["app.py", "--workspace", str(workspace)])
    at = AppTest.from_file(str(APP), default_timeout=90)
    at.query_params.update({"lang": "en"})
    at.run()
    assert {m.label for m in at.metric} >= {"Documents", "First day", "Sources", "Exact duplicates"}
    assert "Script mix" in [s.value for s in at.subheader]
    at = AppTest.from_file(str(APP), default_timeout=90)  # a shared link to the Themes section in English
    at.query_params.update({"lang": "en", "section": "Themes"})
    at.run()
    assert "Keyword in context" in [s.value for s in at.subheader]
    table = next(t for t in at.dataframe if "theme" in t.value.columns)
    assert "Theme" in list(_table_headings(table))  # headings in English; the data keeps its names


def test_app_emotions_table_is_headed_by_its_grouping(monkeypatch, workspace):
    """The group column is headed by the grouping chosen (时段 for periods), not always 主题."""
    monkeypatch.setattr(sys, "argv", ["app.py", "--workspace", str(workspace)])
    at = AppTest.from_file(str(APP), default_timeout=90)
    at.query_params["section"] = "Emotions"
    at.run()
    headings = {by: None for by in ("period", "topic", "source")}
    for by in headings:
        at.radio(key="emotions_by").set_value(by).run()
        assert not at.exception, at.exception
        table = next(t for t in at.dataframe if "emotion_label" in t.value.columns)
        headings[by] = next(_table_headings(table))
        assert set(table.value["emotion_label"]) <= {"喜悦", "愤怒", "悲伤", "恐惧", "惊讶", "中性"}
    assert headings == {"period": "时段", "topic": "主题", "source": "来源"}


@pytest.mark.parametrize("script", ["zh-Hant-TW", "zh-HK"])
def test_traditional_text_says_tiewen_and_quotes_in_corner_brackets(script):
    from opinion.i18n import MESSAGES, text

    shown = {key: text(key, script) for key in MESSAGES}
    assert not {key: t for key, t in shown.items() if "帖" in t or set(t) & set("“”‘’")}
    assert shown["flags.spam"] == "垃圾貼文"
    assert "勾選「{box}」顯示" in shown["drill.flagged_out"]
    assert text("flags.spam", "zh-Hans") == "垃圾帖"  # 简体 keeps its own wording


def test_app_opens_in_the_script_of_the_workspace_export(monkeypatch, tmp_path):
    from opinion.config import ExportSettings, store_settings
    from opinion.io.workspace import Workspace

    root = tmp_path / "ws"
    make_workspace(root)
    store_settings(Workspace.open(root), ExportSettings(script="zh-HK"))  # opinion run --script zh-HK
    monkeypatch.setattr(sys, "argv", ["app.py", "--workspace", str(root)])
    at = AppTest.from_file(str(APP), default_timeout=90).run()
    assert not at.exception, at.exception
    assert at.radio(key="script").value == "zh-HK"
    assert at.title[0].value == "輿情分析瀏覽器"  # the interface follows the switch: 繁體
    at.radio(key="script").set_value("zh-Hans").run()  # the reader's choice still wins
    assert at.radio(key="script").value == "zh-Hans"


def test_language_switch_has_one_label_in_either_language(monkeypatch, workspace):
    """界面语言 · Language from the first run of ?lang=en on, never "Language · Language"."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    from opinion.explore import widgets

    monkeypatch.setattr(sys, "argv", ["app.py", "--workspace", str(workspace)])
    at = AppTest.from_file(str(APP), default_timeout=90)
    page_language = widgets.language

    def language() -> str:  # AppTest formats the options it sends back outside the page's run
        if get_script_run_ctx() is not None:
            return page_language()
        return "en" if at.session_state["lang"] == "en" else "zh"

    monkeypatch.setattr(widgets, "language", language)
    at.query_params.update({"lang": "en"})
    labels = []
    for step in (lambda: None, lambda: None, lambda: at.radio(key="section").set_value("Topics"),
                 lambda: at.radio(key="lang").set_value("zh")):
        step()
        at.run()
        assert not at.exception, at.exception
        labels.append(at.radio(key="lang").label)
    assert labels == ["界面语言 · Language"] * 4
    assert at.header[0].value == "主题"
