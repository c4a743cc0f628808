"""The explorer page through AppTest when the workspace changes under it or holds what the
stages make of real texts (findings h46): date ranges that follow new days, the report button
of a stale workspace, KWIC counts and theme words, Traditional searches, a load that rejected
every row, source names as stored."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pandas as pd
import pytest
from factory import make_workspace
from streamlit.testing.v1 import AppTest
from test_explore_queries import prepared_workspace

from opinion import schema as S
from opinion.io.workspace import Workspace

APP = Path(__file__).resolve().parents[1] / "app.py"


def start(monkeypatch: pytest.MonkeyPatch, root: Path, section: str = "Overview",
          script: str = "zh-Hans") -> AppTest:
    monkeypatch.setattr(sys, "argv", ["app.py", "--workspace", str(root)])
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    if script != "zh-Hans":
        at.radio(key="script").set_value(script).run()
    if section != "Overview":
        at.radio(key="section").set_value(section).run()
    assert not at.exception, at.exception
    return at


def load_new_day(ws: Workspace, day: str = "2020-04-05") -> None:
    """Three new posts of a later day, as `opinion load` adds them while the page is open."""
    new = ws.read_part(S.CORPUS, "sample-00000").head(3).copy()
    new[S.DOC_ID] = ["new-1", "new-2", "new-3"]
    new[S.TEXT_RAW] = ["今天新增口罩捐赠", "武汉今天又有好消息", "社区今天继续消毒"]
    new[S.TEXT_HASH], new[S.DUPLICATE_OF] = ["n1", "n2", "n3"], None
    new[S.PUBLISHED_AT] = pd.Timestamp(day)
    ws.write_part(S.CORPUS, "new-00000", new)


def matches(at: AppTest) -> str:
    return next(str(m.value) for m in at.markdown if "篇文档匹配" in str(m.value))


def test_untouched_document_range_follows_new_days(monkeypatch, tmp_path):
    """h46 #2: Streamlit keeps a keyed date_input's value when its bounds change, so the whole
    range became 01-24 → 04-01 after 04-05 was loaded: a filter nobody set (53 of 56 posts)."""
    ws = make_workspace(tmp_path / "ws")
    at = start(monkeypatch, ws.root, "Documents")
    assert matches(at).startswith("**53**")
    load_new_day(ws)
    at.run()
    assert at.date_input(key="documents_dates").value == (dt.date(2020, 1, 24), dt.date(2020, 4, 5))
    assert matches(at).startswith("**56**")
    narrowed = (dt.date(2020, 1, 24), dt.date(2020, 3, 1))
    at.date_input(key="documents_dates").set_value(narrowed).run()
    load_new_day(ws, "2020-04-09")
    at.run()
    assert at.date_input(key="documents_dates").value == narrowed  # the user's range stays


def test_compare_periods_follow_new_days_unless_narrowed(monkeypatch, tmp_path):
    ws = make_workspace(tmp_path / "ws")
    at = start(monkeypatch, ws.root, "Compare")
    narrowed = (dt.date(2020, 1, 25), dt.date(2020, 2, 8))
    at.date_input(key="compare_period_a").set_value(narrowed).run()
    load_new_day(ws)
    at.run()
    assert not at.exception, at.exception
    assert at.date_input(key="compare_period_a").value == narrowed
    assert at.date_input(key="compare_period_b").value == (dt.date(2020, 3, 1), dt.date(2020, 4, 5))


def test_report_button_of_a_stale_workspace_is_disabled_and_names_the_commands(monkeypatch, tmp_path):
    """h46 #6: the export refuses a stale workspace inside the download callback, which the
    browser shows only as "Failed to generate file for download"."""
    ws = make_workspace(tmp_path / "ws")
    report = next(b for b in start(monkeypatch, ws.root).get("download_button") if b.proto.label == "HTML 报告")
    assert not report.proto.disabled
    load_new_day(ws)
    report = next(b for b in start(monkeypatch, ws.root).get("download_button") if b.proto.label == "HTML 报告")
    assert report.proto.disabled and f"`opinion prepare -w {ws.root}`" in report.proto.help


def test_kwic_caption_gives_the_lines_shown_of_all(monkeypatch, tmp_path):
    """h46 #7: the caption gave the 200-line cap as the count (200 行 where there are 383)."""
    from opinion.explore.sections import themes

    monkeypatch.setattr(themes, "KWIC_LINES", 2)
    at = start(monkeypatch, make_workspace(tmp_path / "ws").root, "Themes")
    at.text_input(key="themes_kwic_term").input("口罩").run()
    assert len(at.dataframe[-1].value) == 2
    (caption,) = [str(c.value) for c in at.caption if "行，共" in str(c.value)]
    assert caption.startswith("前 2 行，共 ") and int(caption.split("共 ")[1].split(" ")[0].replace(",", "")) > 2


@pytest.fixture(scope="module")
def prepared(tmp_path_factory) -> Path:
    return prepared_workspace(tmp_path_factory.mktemp("updates") / "ws")


def test_traditional_search_and_user_theme_kwic_on_the_page(monkeypatch, prepared):
    """h46 #1 and #5: 堅持著 is found in 繁體 and marked; the KWIC of a user's 国货 (口罩) has lines,
    and a theme of the user's only is offered lines, not the "shipped theme" hint."""
    at = start(monkeypatch, prepared, "Documents", script="zh-Hant-TW")
    at.checkbox(key="documents_dups").check().run()
    at.text_input(key="documents_query").input("堅持著").run()
    shown = "\n".join(str(m.value) for m in at.markdown)
    assert "**1** 篇文件匹配" in shown and ":orange-background[堅持著]" in shown
    at.radio(key="section").set_value("Themes").run()
    at.selectbox(key="themes_kwic_theme").set_value("防疫").run()
    assert sorted(at.dataframe[-1].value["term"]) == ["消毒", "隔離", "隔離"]
    at.selectbox(key="themes_kwic_theme").set_value("国货").run()
    assert set(at.dataframe[-1].value["term"]) == {"口罩"}


def test_a_load_that_rejected_every_row_says_so(monkeypatch, tmp_path):
    """h46 #8: not "no corpus yet; run opinion load", which would reject the rows again."""
    from opinion.io.load import load_corpus

    csv = tmp_path / "empty.csv"
    csv.write_text("text,date\n,2020-01-01\n   ,2020-01-02\n", encoding="utf-8")
    load_corpus([csv], tmp_path / "ws", text_col="text", date_col="date")
    monkeypatch.setattr(sys, "argv", ["app.py", "--workspace", str(tmp_path / "ws")])
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    (error,) = [str(e.value) for e in at.error]
    assert "0 documents loaded; 2 rows rejected (empty text: 2)" in error and "rejects.csv" in error


def test_emotions_by_source_show_source_names_as_stored(monkeypatch, tmp_path):
    """Sources are names, shown as stored in the Overview and the Documents filter: in 繁體 the
    Emotions table had 人民日報 for 人民日报."""
    ws = make_workspace(tmp_path / "ws")
    corpus = ws.read_part(S.CORPUS, "sample-00000")
    corpus[S.SOURCE] = corpus[S.SOURCE].replace({"news-cn": "人民日报"})
    ws.write_part(S.CORPUS, "sample-00000", corpus)
    at = start(monkeypatch, ws.root, "Emotions", script="zh-Hant-TW")
    at.radio(key="emotions_by").set_value("source").run()
    labels = set(at.dataframe[-1].value["label"])
    assert "人民日报" in labels and "人民日報" not in labels
