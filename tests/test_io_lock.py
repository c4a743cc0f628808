"""One writer per workspace, and loads that are visible only once committed (issue 13, item 6)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from opinion import schema as S
from opinion.cli import app
from opinion.io.info import workspace_info
from opinion.io.load import load_corpus
from opinion.io.lock import WorkspaceBusyError, holds_lock, workspace_lock
from opinion.io.workspace import Workspace

ROOT = Path(__file__).resolve().parents[1]
LOAD = Path(__file__).parent / "data" / "load"
JSONL = LOAD / "chnsenticorp_htl.jsonl"  # 24 rows


def _python(code: str) -> subprocess.Popen[str]:
    """A Python process importing this checkout's opinion, its stdout piped."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(code)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _holder(ws: Path) -> subprocess.Popen[str]:
    """Another process holding the lock of ``ws`` until killed."""
    proc = _python(f"""
        import time
        from opinion.io.lock import workspace_lock
        with workspace_lock({str(ws)!r}):
            print("locked", flush=True)
            time.sleep(120)
    """)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
    return proc


def test_lock_second_writer_gets_one_line_naming_the_holder_then_recovers(tmp_path):
    ws = tmp_path / "ws"
    load_corpus([str(JSONL)], ws)
    holder = _holder(ws)
    try:
        with pytest.raises(WorkspaceBusyError, match=f"in use by pid {holder.pid} "):
            load_corpus([str(LOAD / "gsd_traditional_big5.csv")], ws)
        result = CliRunner().invoke(app, ["prepare", "-w", str(ws)])
        assert result.exit_code == 1
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in result.output, result.output
        assert f"pid {holder.pid}" in lines[0] and "one command writes" in lines[0]
    finally:
        holder.send_signal(signal.SIGKILL)  # a killed holder: its lock is stale
        holder.wait()
    report = load_corpus([str(LOAD / "gsd_traditional_big5.csv")], ws, text_col="traditional")
    f = report.files[0]
    assert f.rows_loaded == 40 and f.rows_read == f.rows_loaded + f.rows_rejected
    assert len(Workspace.open(ws).manifest["inputs"]) == 2


def test_lock_is_reentrant_and_reads_need_none(tmp_path):
    ws = tmp_path / "ws"
    load_corpus([str(JSONL)], ws)
    with workspace_lock(ws):
        with workspace_lock(ws):
            assert holds_lock(ws)
        assert holds_lock(ws)
        assert workspace_info(ws)["documents"] == 24  # readers do not lock
    assert not holds_lock(ws)


def _killed_load(ws: Path, inputs: list[Path], patch: str) -> None:
    """Run a load in another process that dies (os._exit) where ``patch`` says."""
    proc = _python(f"""
        import os
        import opinion.io.commit as C
        import opinion.io.intake as I
        {patch}
        from opinion.io.load import load_corpus
        load_corpus({[str(p) for p in inputs]!r}, {str(ws)!r}, chunk_rows=5)
    """)
    proc.wait(timeout=120)
    assert proc.returncode == 9, proc.stderr.read() if proc.stderr else ""


def _inputs(tmp_path: Path) -> list[Path]:
    lines = JSONL.read_text(encoding="utf-8").splitlines()
    paths = []
    for n in range(3):
        path = tmp_path / f"in{n}.jsonl"
        path.write_text("\n".join(lines[n * 8:(n + 1) * 8]) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def test_load_killed_before_its_commit_leaves_nothing_visible(tmp_path):
    inputs, ws = _inputs(tmp_path), tmp_path / "ws"
    # dies after writing the second part of the first input, before any commit
    _killed_load(ws, inputs, """
        flush = I.PartWriter.flush
        def dying(self):
            flush(self)
            if len(self.parts) == 2:
                os._exit(9)
        I.PartWriter.flush = dying
    """)
    info = workspace_info(ws)
    assert (info["inputs"], info["documents"]) == (0, 0)
    assert not Workspace.open(ws).parts(S.CORPUS)
    report = load_corpus([str(p) for p in inputs], ws, chunk_rows=5)
    assert report.total("rows_loaded") == 24 == report.total("rows_read")
    assert not (ws / ".staging").exists()
    clean = load_corpus([str(p) for p in inputs], tmp_path / "clean", chunk_rows=5)
    assert clean.total("rows_loaded") == 24
    assert (Workspace.open(ws).read(S.CORPUS)[S.DOC_ID].tolist()
            == Workspace.open(tmp_path / "clean").read(S.CORPUS)[S.DOC_ID].tolist())


def test_load_killed_after_its_commit_point_is_finished_by_the_next_writer(tmp_path):
    inputs, ws = _inputs(tmp_path), tmp_path / "ws"
    # dies right after the manifest recorded the first batch, before moving its parts
    _killed_load(ws, inputs, """
        def dying(ws, *, recovering):
            os._exit(9)
        C._apply = dying
    """)
    assert "commit" in Workspace.open(ws).manifest
    rejects_before = (ws / "rejects.csv").exists()
    # the first input was committed: loading the other two finishes its commit first
    result = CliRunner().invoke(app, ["load", *map(str, inputs[1:]), "-w", str(ws),
                                      "--chunk-rows", "5"])
    assert result.exit_code == 0, result.output
    opened = Workspace.open(ws)
    assert "commit" not in opened.manifest and not (ws / ".staging").exists()
    assert len(opened.manifest["inputs"]) == 3 and len(opened.read(S.CORPUS)) == 24
    assert opened.read(S.CORPUS)[S.DOC_ID].is_unique
    assert not rejects_before and (ws / "rejects.csv").exists()


def test_load_many_inputs_commits_the_manifest_a_logarithmic_number_of_times(tmp_path,
                                                                           monkeypatch):
    folder = tmp_path / "many"
    folder.mkdir()
    for n in range(300):
        (folder / f"{n:04d}.csv").write_text(f"text\n第{n}条微博：武汉加油\n", encoding="utf-8")
    saves = []
    original = Workspace.save_manifest
    monkeypatch.setattr(Workspace, "save_manifest",
                        lambda self: (saves.append(1), original(self))[1])
    report = load_corpus([str(folder)], tmp_path / "ws")
    assert report.total("rows_loaded") == 300 == report.total("rows_read")
    assert len(saves) <= 2 * 30  # two saves per commit; per input it would be 300+
    manifest = Workspace.open(tmp_path / "ws").manifest
    assert len(manifest["inputs"]) == 300 and "commit" not in manifest
