"""The explorer page through AppTest: choices kept through a 简/繁 or language switch, names
drawn as typed in the Emotions chart, the edit list and the word cloud's caption, a damaged
table file named in one line, and a workspace without ``topic_documents`` (findings h44)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from factory import make_markup_workspace, make_workspace, markup_names
from streamlit.testing.v1 import AppTest

from opinion.explore.data import ExploreStore, Filters
from opinion.explore.sections.topic_edits import describe
from opinion.explore.text import escape_markdown
from opinion.topics.edits import TopicEdit

APP = Path(__file__).resolve().parents[1] / "app.py"
MARKUP = "**星号** :red[红] [链](javascript:alert(1)) $x^2$"  # Markdown, colour, a link, LaTeX


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("choices") / "ws"
    make_workspace(root)
    return root


def start(monkeypatch: pytest.MonkeyPatch, root: Path, section: str = "Overview") -> AppTest:
    monkeypatch.setattr(sys, "argv", ["app.py", "--workspace", str(root)])
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    if section != "Overview":
        at.radio(key="section").set_value(section).run()
    assert not at.exception, at.exception
    return at


def test_filters_are_sent_to_the_browser_again_in_the_new_script(monkeypatch, workspace):
    """Finding 1: the browser keeps a choice as the text it shows and sends that text back. After
    a 简/繁 switch the page must send each choice again in the new texts (``set_value``), or the
    browser shows none and its next rerun drops the filter (41 filtered documents → 116 unfiltered
    in Chromium). AppTest sends back the new texts by itself, so the test reads what the page sends."""
    at = start(monkeypatch, workspace, "Documents")
    at.multiselect(key="documents_labels").set_value(["negative"]).run()
    at.multiselect(key="documents_topics").set_value([1]).run()
    at.radio(key="script").set_value("zh-Hant-TW").run()
    labels, topics = at.multiselect(key="documents_labels"), at.multiselect(key="documents_topics")
    assert labels.value == ["negative"] and topics.value == [1]
    assert labels.proto.set_value and list(labels.proto.raw_values) == ["負面"]
    assert topics.proto.set_value and list(topics.proto.raw_values) == ["1_直播_帶貨_國貨"]
    section = at.radio(key="section")
    assert section.proto.set_value and section.proto.raw_value == "文件"
    at.text_input(key="documents_query").input("直播").run()  # another click: nothing sent again, nothing lost
    labels = at.multiselect(key="documents_labels")
    assert not labels.proto.set_value and labels.value == ["negative"]


def test_radio_with_a_default_is_sent_again_after_a_switch(monkeypatch, workspace):
    at = start(monkeypatch, workspace, "Emotions")
    at.radio(key="emotions_by").set_value("source").run()
    at.radio(key="script").set_value("zh-HK").run()
    grouping = at.radio(key="emotions_by")
    assert grouping.value == "source" and grouping.proto.set_value and grouping.proto.raw_value == "來源"
    assert not at.exception


def test_emotions_chart_draws_source_names_as_text(monkeypatch, tmp_path):
    """Finding 2: a source named ``<a href=…>链接</a><b>粗体</b>`` was a live link on the Emotions axis."""
    root = tmp_path / "ws"
    make_markup_workspace(root)
    at = start(monkeypatch, root, "Emotions")
    at.radio(key="emotions_by").set_value("source").run()
    (chart,) = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    names = {x for trace in chart["data"] for x in trace["x"]}
    assert "&lt;a href=\"http://127.0.0.1:9/a-source\"&gt;链接&lt;/a&gt;&lt;b&gt;粗体&lt;/b&gt;" \
           "&lt;img src=\"http://127.0.0.1:9/img-source.png\"&gt;" in names
    assert not any("<" in name for name in names)


def test_a_damaged_table_file_is_one_message_naming_the_file_and_the_fix(monkeypatch, tmp_path):
    """Finding 3: a cut-short Parquet file gave DuckDB's traceback on every section."""
    root = tmp_path / "ws"
    make_workspace(root)
    topics = root / "topics.parquet"
    topics.write_bytes(topics.read_bytes()[:200])
    at = start(monkeypatch, root)
    (error,) = [e.value for e in at.error]
    assert error.startswith(f"{topics}: cannot read this table file (No magic bytes found at end of file)")
    assert f"`opinion topics -w {root.resolve()} --force`" in error and "`opinion run`" in error


def test_unreadable_names_the_stage_of_the_file(tmp_path):
    from opinion.explore.facts import unreadable

    part = tmp_path / "prepared" / "a-00000.parquet"
    problem = unreadable(tmp_path, Exception(f"Invalid Input Error: File '{part}' too small to be a Parquet file"))
    assert str(problem) == (f"{part}: cannot read this table file (File too small to be a Parquet file); it is "
                            f"damaged or cut short: write it again with `opinion prepare -w {tmp_path} --force` "
                            "(or rerun every stage with `opinion run`)")
    corpus = unreadable(tmp_path, Exception("Invalid Input Error: no file named"), table="corpus")
    assert "`opinion load FILE -w" in str(corpus) and "--replace`" in str(corpus)
    assert unreadable(tmp_path, Exception("Binder Error: no such column")) is None  # not a file: raised as it is


def test_reading_turns_a_file_error_of_a_query_into_the_message(tmp_path):
    """A file whose footer reads but whose data does not fails in a section's query, not at opening."""
    import duckdb

    from opinion.errors import WorkspaceError
    from opinion.explore.facts import reading

    damaged = tmp_path / "topics.parquet"
    with pytest.raises(WorkspaceError, match="write it again with `opinion topics -w"):
        with reading(tmp_path):
            raise duckdb.InvalidInputException(f"Invalid Input Error: bad page in file '{damaged}'\x0f")
    with pytest.raises(duckdb.BinderException):  # not about a file: as it is
        with reading(tmp_path):
            raise duckdb.BinderException("Binder Error: no such column")


def test_edit_list_and_saved_message_show_the_label_as_typed(monkeypatch, tmp_path):
    """Finding 4: a label typed into the rename box came back bold, red, as a link and as KaTeX."""
    root = tmp_path / "ws"
    make_workspace(root)
    at = start(monkeypatch, root, "Topics")
    at.radio(key="topics_edit_action").set_value("rename").run()
    at.selectbox(key="topics_edit_topic").set_value(1).run()
    at.text_input(key="topics_edit_label").input(MARKUP).run()
    at.button(key="topics_edit_save").click().run()
    assert not at.exception, at.exception
    (saved,) = [s.value for s in at.success]
    escaped = r"\*\*星号\*\* \:red\[红\] \[链\]\(javascript\:alert\(1\)\) \$x\^2\$"
    assert saved == f"已保存：重命名 1 = {escaped}"
    assert f"1\\) 重命名 1 = {escaped}" in [c.value for c in at.caption]


def test_describe_escapes_the_label():
    assert describe(TopicEdit("rename", (3,), "<b>口罩</b>"), "zh-Hans") == r"重命名 3 = \<b\>口罩\<\/b\>"


def test_word_cloud_caption_shows_a_theme_name_as_typed(monkeypatch, tmp_path):
    root = tmp_path / "ws"
    make_markup_workspace(root)
    at = start(monkeypatch, root, "Words")
    at.radio(key="words_view").set_value("Word cloud").run()
    at.radio(key="words_cloud_by").set_value("theme").run()
    theme = markup_names("http://127.0.0.1:9")["theme"]  # <b>议题</b><img src=…>
    at.selectbox(key="words_cloud_group").set_value(theme).run()
    assert not at.exception, at.exception
    (captions,) = [[image.caption for image in element.proto.imgs] for element in at.get("image")]
    assert captions == [f"{escape_markdown(theme)} · 已去除停用词 · 简体"] and "<b>" not in captions[0]


@pytest.fixture(scope="module")
def no_topic_documents(tmp_path_factory) -> Path:
    """A workspace whose ``topic_documents`` table was deleted, ``topics.parquet`` kept."""
    import shutil

    root = tmp_path_factory.mktemp("no_topic_documents") / "ws"
    make_workspace(root)
    shutil.rmtree(root / "topic_documents", ignore_errors=True)  # a folder of parts,
    (root / "topic_documents.parquet").unlink(missing_ok=True)  # or one file
    return root


def test_topic_filter_without_topic_documents_matches_nothing(no_topic_documents):
    """Finding 5: the topic condition was dropped, so "topic 1's posts" were the whole corpus."""
    store = ExploreStore.open(no_topic_documents, texts_in_memory=False)
    assert store.search(Filters()).total > 0
    assert store.search(Filters(topics=(1,))).total == 0


def test_topic_page_says_what_to_run_for_its_posts(monkeypatch, no_topic_documents):
    at = start(monkeypatch, no_topic_documents, "Topics")
    assert any("topic_documents" in info.value and "opinion topics -w" in info.value for info in at.info)
    assert not [m.value for m in at.markdown if "篇文档" in m.value]  # no list of "the topic's" posts
    at.radio(key="section").set_value("Documents").run()
    assert at.multiselect(key="documents_topics").options == []  # no topic to filter on
