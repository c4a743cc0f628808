"""The explorer's topic edit form (AppTest, as tests/test_app.py): rename, merge and drop
are written to the workspace, shown in every view and still there after a restart."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from factory import make_workspace
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

from opinion.cli import app
from opinion.explore.data import ExploreStore
from opinion.topics import edit_store as E

APP = Path(__file__).resolve().parents[1] / "app.py"


def start(monkeypatch: pytest.MonkeyPatch, root: Path, section: str = "Topics") -> AppTest:
    """A fresh explorer session (a restart: nothing kept from an earlier AppTest)."""
    monkeypatch.setattr(sys, "argv", ["app.py", "--workspace", str(root)])
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    at.radio(key="section").set_value(section).run()
    assert not at.exception, at.exception
    return at


def topic_labels(at: AppTest) -> dict[int, str]:
    table = at.dataframe[0].value
    return dict(zip(table["topic_id"], table["label"]))


def rename_in_form(at: AppTest, topic_id: int, label: str) -> None:
    """Rename a topic with the edit form, as a user does, and check that the page ran cleanly."""
    at.radio(key="topics_edit_action").set_value("rename").run()
    at.selectbox(key="topics_edit_topic").set_value(topic_id)
    at.text_input(key="topics_edit_label").input(label)
    at.button(key="topics_edit_save").click().run()
    assert not at.exception, at.exception


def test_form_edits_survive_a_restart(monkeypatch, tmp_path: Path) -> None:
    root = tmp_path / "ws"
    make_workspace(root)
    at = start(monkeypatch, root)
    assert topic_labels(at) == {0: "0_口罩_戴口罩_防护", 2: "2_确诊_病例_新型肺炎", 1: "1_直播_带货_国货"}
    rename_in_form(at, 0, "口罩与防护")
    assert topic_labels(at)[0] == "口罩与防护"
    assert any("已保存：重命名 0 = 口罩与防护" in s.value for s in at.success)  # in the interface language

    at.radio(key="topics_edit_action").set_value("merge").run()
    at.multiselect(key="topics_edit_topics").set_value([2, 1])
    at.button(key="topics_edit_save").click().run()
    assert not at.exception, at.exception
    labels = topic_labels(at)
    assert set(labels) == {0, 1} and at.dataframe[0].value.set_index("topic_id").loc[1, "size"] == 26

    at.radio(key="topics_edit_action").set_value("drop").run()
    at.selectbox(key="topics_edit_drop").set_value(1)
    at.button(key="topics_edit_save").click().run()
    assert not at.exception, at.exception
    assert [e.describe() for e in E.read_edits(root)] == ["rename 0 = 口罩与防护", "merge 2, 1", "drop 1"]

    at = start(monkeypatch, root)  # restart: the edits come from the workspace
    assert topic_labels(at) == {0: "口罩与防护", -1: "未归入主题"}
    overview = ExploreStore.open(root, texts_in_memory=False)
    assert overview.query("SELECT topic_id, count(*) AS n FROM facts GROUP BY 1 ORDER BY 1").values.tolist() == [
        [-1, 26], [0, 29]]
    at.button(key="topics_edit_undo").click().run()  # undo the drop
    assert not at.exception, at.exception
    assert set(topic_labels(at)) == {0, 1}


def test_form_rejects_a_merge_of_one_topic_and_cli_edits_show_after_restart(monkeypatch, tmp_path: Path) -> None:
    root = tmp_path / "ws"
    make_workspace(root)
    at = start(monkeypatch, root)
    at.radio(key="topics_edit_action").set_value("merge").run()
    at.multiselect(key="topics_edit_topics").set_value([2])
    at.button(key="topics_edit_save").click().run()
    assert any("merge needs two or more different topic ids" in e.value for e in at.error)
    assert E.read_edits(root) == []
    result = CliRunner().invoke(app, ["topics", "edit", "-w", str(root), "--rename", "2=确诊病例"])
    assert result.exit_code == 0, result.output
    at = start(monkeypatch, root, "Documents")
    at = start(monkeypatch, root)
    assert topic_labels(at)[2] == "确诊病例"


def test_a_label_typed_in_traditional_reads_right_in_every_script(monkeypatch, tmp_path: Path) -> None:
    """A Taiwanese analyst renames a topic in 繁體: the label is stored in Simplified, so the 简体
    view (table, topic picker) shows 爱情与人生 and the 繁體 view 愛情與人生."""
    root = tmp_path / "ws"
    make_workspace(root)
    at = start(monkeypatch, root)
    at.radio(key="script").set_value("zh-Hant-TW").run()
    rename_in_form(at, 1, "愛情與人生")
    assert topic_labels(at)[1] == "愛情與人生"
    assert [e.label for e in E.read_edits(root)] == ["爱情与人生"]
    at.radio(key="script").set_value("zh-Hans").run()
    assert not at.exception, at.exception
    assert topic_labels(at)[1] == "爱情与人生"
    assert "爱情与人生" in at.selectbox(key="topics_choice").options


def test_explorer_gives_a_dropped_topics_documents_topic_prob_0(tmp_path):
    """The exports give documents of a dropped topic topic_prob 0 (they are outliers); the
    explorer's edited view kept their old probability, so a sort by it put them first."""
    from factory import make_workspace

    from opinion import schema as S
    from opinion.explore.data import ExploreStore
    from opinion.topics.edits import TopicEdit

    root = make_workspace(tmp_path / "ws").root
    E.record_edits(root, [TopicEdit("drop", (1,))])
    docs = ExploreStore.open(root).query(f"SELECT {S.TOPIC_ID}, {S.TOPIC_PROB} FROM {S.TOPIC_DOCS}")
    outliers = docs[docs[S.TOPIC_ID] == -1]
    assert len(outliers) and (outliers[S.TOPIC_PROB] == 0).all()
    assert (docs.loc[docs[S.TOPIC_ID] != -1, S.TOPIC_PROB] > 0).all()


def test_explorer_topics_page_with_an_unreadable_edits_file_warns_and_shows_the_topics(monkeypatch, tmp_path):
    """A cut topic_edits.json: exports warn and write unedited tables; the Topics page raised in
    the edit form (one error line, no topic list)."""
    from factory import make_workspace

    root = make_workspace(tmp_path / "ws").root
    (root / "topic_edits.json").write_text('{"edits": [', encoding="utf-8")
    at = start(monkeypatch, root)
    assert not at.exception and not at.error
    assert any("topic_edits.json" in str(w.value) and "--clear" in str(w.value) for w in at.warning)
    assert topic_labels(at)


def test_saved_message_shows_the_label_as_stored(monkeypatch, tmp_path: Path) -> None:
    """Bug hunt h47 #7: a label typed over two lines was stored as 口罩 防护, but the message
    showed the label as typed."""
    root = tmp_path / "ws"
    make_workspace(root)
    at = start(monkeypatch, root)
    rename_in_form(at, 0, "口罩\n防护")
    assert [e.label for e in E.read_edits(root)] == ["口罩 防护"]
    assert [s.value for s in at.success] == ["已保存：重命名 0 = 口罩 防护"]


def test_hierarchy_says_it_is_the_fitted_model_when_edits_are_active(monkeypatch, tmp_path):
    """Findings h47 explorer §6: after a merge and a drop the hierarchy still listed the merged and
    dropped topics as leaves, with nothing to say it predates the edits."""
    import pandas as pd
    from factory import open_explorer

    from opinion import schema as S
    from opinion.i18n import text
    from opinion.topics.edit_store import TopicEdit

    root = tmp_path / "ws"
    ws = make_workspace(root)
    ws.write_table(S.TOPIC_HIERARCHY, pd.DataFrame({
        "parent_id": [3], "parent_label": ["口罩·防护"], "child_left_id": [0], "child_left_label": ["口罩"],
        "child_right_id": [1], "child_right_label": ["防护"], "distance": [0.4]}))
    note = text("topics.hierarchy_unedited", "zh-Hans")
    assert note not in [c.value for c in open_explorer(monkeypatch, root).caption]
    E.record_edits(root, [TopicEdit("merge", (0, 2))])
    assert note in [c.value for c in open_explorer(monkeypatch, root).caption]
