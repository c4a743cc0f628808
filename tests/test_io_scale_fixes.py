"""Findings of the scale/resume test (h44, 2026-12-07): info after an interrupted prepare, a
killed multi-file load finished by the same command, stale temporary files, sources that
share a file name, the lock taken for a workspace given as a Path, blank lines of text-only CSVs."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from typer.testing import CliRunner

from opinion import schema as S
from opinion.cli import app
from opinion.errors import OpinionWarning
from opinion.io import atomic
from opinion.io.atomic import atomic_path
from opinion.io.info import workspace_info
from opinion.io.intake import InputLoader
from opinion.io.load import load_corpus
from opinion.io.lock import WorkspaceBusyError, writes_workspace
from opinion.io.workspace import LOCK_FILE, Workspace
from opinion.sources import source_label_sql, source_labels

runner = CliRunner()


def _csv(path: Path, *texts: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("text\n" + "".join(f"{t}\n" for t in texts), encoding="utf-8")
    return path


# --- 1. info after an interrupted prepare -----------------------------------------------
def test_info_after_an_interrupted_prepare_shows_no_partial_script_counts(tmp_path):
    root = tmp_path / "ws"
    load_corpus([str(_csv(tmp_path / "a.csv", "武汉加油", "疫情防控"))], root)
    ws = Workspace.open(root)
    ws.write_part(S.PREPARED, ws.parts(S.CORPUS)[0],
                  pd.DataFrame({S.DOC_ID: ["a-2"], S.SCRIPT: ["zh-Hans"]}))  # one part of many
    ws.set_stage_record("prepare", {"runner": 1, "source": S.CORPUS, "target": S.PREPARED,
                                    "complete": False, "parts": {}})
    info = workspace_info(root)
    assert info["scripts"] is None
    assert info["stages_incomplete"] == {"prepare": f"opinion prepare -w {root}"}
    out = runner.invoke(app, ["info", "-w", str(root)]).output
    assert "prepare was interrupted" in out and "prepare (incomplete)" in out
    assert "zh-Hans" not in out


# --- 3. a killed multi-file load, run again -----------------------------------------------
def _killed_load(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Three inputs given to a load killed while it reads the second; returns their labels."""
    files = [str(_csv(tmp_path / f"{n}.csv", f"第{n}条", f"又一条{n}")) for n in (1, 2, 3)]
    real_run = InputLoader.run

    def killed_at_the_second(self, *args, **kwargs):
        if self.plan.source.label == files[1]:
            raise KeyboardInterrupt
        return real_run(self, *args, **kwargs)

    monkeypatch.setattr(InputLoader, "run", killed_at_the_second)
    with pytest.raises(KeyboardInterrupt):
        load_corpus(files, tmp_path / "ws")
    monkeypatch.undo()
    ws = Workspace.open(tmp_path / "ws")
    assert [e["label"] for e in ws.manifest["inputs"]] == files[:1]  # the first was committed
    return files


def test_a_killed_load_is_finished_by_the_same_command(tmp_path, monkeypatch):
    files = _killed_load(tmp_path, monkeypatch)
    report = load_corpus(files, tmp_path / "ws")  # the same command again
    assert [f.path for f in report.files] == files[1:] and report.skipped == files[:1]
    assert "already loaded and unchanged, skipped" in str(report)
    info = workspace_info(tmp_path / "ws")
    assert info["inputs"] == 3 and info["documents"] == 6 and info["load_pending"] == []


def test_a_partial_load_is_named_by_info_and_every_stage(tmp_path, monkeypatch):
    files = _killed_load(tmp_path, monkeypatch)
    ws = Workspace.open(tmp_path / "ws")
    assert workspace_info(ws).get("load_pending") == files[1:]

    @writes_workspace
    def a_stage(ws: Workspace) -> str:
        return "ran"

    with pytest.warns(OpinionWarning, match="interrupted: 2 input"):
        assert a_stage(ws) == "ran"
    out = runner.invoke(app, ["info", "-w", str(tmp_path / "ws")]).output
    assert "run the same `opinion load` command again" in out


def test_a_load_of_other_files_keeps_the_interrupted_ones_pending(tmp_path, monkeypatch):
    """`load a b` killed after a, then `load c`: b was no longer named anywhere (review, 2026-12-07)."""
    files = _killed_load(tmp_path, monkeypatch)
    monkeypatch.undo()
    other = _csv(tmp_path / "other.csv", "另一个文件")
    load_corpus([str(other)], tmp_path / "ws")
    assert workspace_info(tmp_path / "ws")["load_pending"] == files[1:]
    load_corpus(files, tmp_path / "ws")
    assert workspace_info(tmp_path / "ws")["load_pending"] == []


def test_a_changed_input_is_still_refused_without_replace(tmp_path):
    src = _csv(tmp_path / "a.csv", "武汉加油")
    load_corpus([str(src)], tmp_path / "ws")
    _csv(src, "武汉加油", "新的一条")
    with pytest.raises(Exception, match="changed since it was loaded.*--replace"):
        load_corpus([str(src)], tmp_path / "ws")
    assert load_corpus([str(src)], tmp_path / "ws", replace=True).files[0].rows_loaded == 2


# --- 4. stale temporary files of atomic writes --------------------------------------------
def test_atomic_writes_remove_dead_processes_temporaries_only(tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    host = getattr(atomic, "_HOST", "000000")  # this machine's tag in the names
    try:
        names = {
            "dead": f".report.xlsx.{dead.pid}@{host}-k3j5d8x2.tmp",
            "alive": f".report.xlsx.{alive.pid}@{host}-a8d7f6g5.tmp",
            "mine": f".report.xlsx.{os.getpid()}@{host}-zz8d7f6g.tmp",
            "facts": f".facts.duckdb.{dead.pid}@{host}-1402.tmp",  # the explorer's own (temp_prefix)
            "old": ".report.xlsx.969p4mi3.tmp",  # a version before pids, two hours old
            "new": ".topics.csv.ab12cd34.tmp",  # the same, written a minute ago: maybe live
            "other": ".notes.tmp",
            # a user's hidden files that look alike (review, 2026-12-07): never touched
            "draft": f".notes.{dead.pid}-draft.tmp",
            "dated": ".notes.2024-draft.tmp",
            "user_old": ".notes.abcdefgh.tmp",
            "remote": f".report.xlsx.{dead.pid}@ffffff-k3j5d8x2.tmp",  # another machine's
        }
        if host == "ffffff":
            pytest.skip("this machine's tag is the other machine's")
        for name in names.values():
            (tmp_path / name).write_bytes(b"")
        hours_ago = time.time() - 7200
        os.utime(tmp_path / names["old"], (hours_ago, hours_ago))
        os.utime(tmp_path / names["remote"], (hours_ago, hours_ago))
        os.utime(tmp_path / names["user_old"], (hours_ago, hours_ago))
        with atomic_path(tmp_path / "report.xlsx") as tmp:
            assert f".{os.getpid()}@{host}-" in tmp.name  # the pid is in the name
            tmp.write_bytes(b"x")
        left = {p.name for p in tmp_path.iterdir()}
        kept = ("alive", "mine", "new", "other", "remote", "draft", "dated", "user_old")
        assert left == {"report.xlsx", *(names[k] for k in kept)}
        assert atomic.remove_stale_temporaries(tmp_path) == []
    finally:
        alive.kill()
        alive.wait()


# --- 5. files of one name in two folders are two sources ------------------------------------
def test_inputs_sharing_a_name_are_two_sources_with_short_labels(tmp_path):
    a = _csv(tmp_path / "weibo" / "1.27.csv", "武汉加油", "疫情防控")
    b = _csv(tmp_path / "douyin" / "1.27.csv", "抖音一条")
    c = _csv(tmp_path / "2.1.csv", "另一天")
    load_corpus([str(a), str(b), str(c)], tmp_path / "ws")
    info = workspace_info(tmp_path / "ws")
    assert info["sources_distinct"] == 3
    assert info["sources"] == {"weibo/1.27.csv": 2, "douyin/1.27.csv": 1, "2.1.csv": 1}
    corpus = Workspace.open(tmp_path / "ws").read(S.CORPUS).sort_values(S.DOC_ID)
    pandas_labels = source_labels(corpus).tolist()
    sql = duckdb.sql(f"SELECT {source_label_sql(list(corpus.columns))} FROM corpus c ORDER BY doc_id")
    assert [row[0] for row in sql.fetchall()] == pandas_labels  # explorer and report agree
    part = corpus[corpus[S.INPUT_FILE] == str(a)]  # a part of the corpus, told all the files
    assert set(source_labels(part, files=corpus[S.INPUT_FILE])) == {"weibo/1.27.csv"}


# --- 6. a workspace given as a Path takes the lock --------------------------------------------
def test_a_stage_given_a_path_stops_on_the_lock_of_another_process(tmp_path):
    fcntl = pytest.importorskip("fcntl")
    root = tmp_path / "ws"
    load_corpus([str(_csv(tmp_path / "a.csv", "武汉加油"))], root)

    @writes_workspace
    def a_stage(ws: object) -> str:
        return "ran without the lock"

    with open(root / LOCK_FILE, "a+") as fh:  # another open file: flock conflicts as another process
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(WorkspaceBusyError, match="in use by"):
            a_stage(Path(root))  # Path("ws").root is "/": it once skipped the lock
        result = runner.invoke(app, ["sentiment", "-w", str(root)])
        assert "in use by" in result.output and "is missing" not in result.output


# --- 7. blank lines of a text-only CSV are rows read, rejected as empty ------------------------
def test_blank_lines_of_a_one_column_csv_are_read_and_rejected(tmp_path):
    (tmp_path / "4.1.csv").write_bytes("\r\ntext\r\n武汉加油\r\n\r\n疫情防控\r\n \r\n".encode("gb18030"))
    (tmp_path / "two.csv").write_text("userid,text\n1,甲\n\n2,乙\n3,\n", encoding="utf-8")
    report = load_corpus([str(tmp_path / "4.1.csv"), str(tmp_path / "two.csv")], tmp_path / "ws")
    one, two = report.files
    assert (one.rows_read, one.rows_loaded, one.rows_rejected) == (4, 2, 2)  # loaded + rejected = read
    assert (two.rows_read, two.rows_loaded, two.rows_rejected) == (3, 2, 1)  # a blank line: no row
    rejects = pd.read_csv(tmp_path / "ws" / "rejects.csv")
    assert rejects["reason"].tolist() == ["empty text"] * 3
    assert rejects["row"].tolist()[:2] == [4, 6]  # the file's line numbers


def test_word_views_by_source_tell_apart_inputs_sharing_a_name(tmp_path):
    """`opinion keywords --by source` labelled each part alone: weibo/1.27.csv and
    douyin/1.27.csv were one group named 1.27.csv."""
    from opinion.prepare import prepare_workspace
    from opinion.words.groups import group_tokens

    a = _csv(tmp_path / "weibo" / "1.27.csv", "武汉加油，医护人员辛苦了", "疫情防控要做好")
    b = _csv(tmp_path / "douyin" / "1.27.csv", "抖音直播带货很火")
    load_corpus([str(a), str(b)], tmp_path / "ws")
    prepare_workspace(tmp_path / "ws", workers=1)
    groups = {g for chunk in group_tokens(tmp_path / "ws", by="source") for g in chunk.group_documents()}
    assert groups == {"weibo/1.27.csv", "douyin/1.27.csv"}
