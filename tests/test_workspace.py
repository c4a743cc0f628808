from __future__ import annotations

import pandas as pd
import pytest

from opinion.errors import StageOrderError, WorkspaceError
from opinion.io.workspace import Workspace


def test_workspace_open_requires_create(tmp_path):
    with pytest.raises(WorkspaceError, match="not an opinion workspace"):
        Workspace.open(tmp_path / "ws")
    ws = Workspace.open(tmp_path / "ws", create=True)
    assert (ws.root / "manifest.json").exists()
    assert Workspace.open(tmp_path / "ws").manifest["inputs"] == []


def test_workspace_refuses_non_empty_folder(tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "keep.txt").write_text("mine")
    with pytest.raises(WorkspaceError, match="not empty"):
        Workspace.open(tmp_path / "x", create=True)


def test_workspace_parts_roundtrip_and_missing_stage(tmp_path):
    ws = Workspace.open(tmp_path / "ws", create=True)
    ws.write_part("corpus", "b-00000", pd.DataFrame({"doc_id": ["b1"], "text_raw": ["第二"]}))
    ws.write_part("corpus", "a-00000", pd.DataFrame({"doc_id": ["a1"], "text_raw": ["第一"]}))
    assert ws.parts("corpus") == ["a-00000", "b-00000"]
    assert ws.read("corpus")["doc_id"].tolist() == ["a1", "b1"]
    assert not list(ws.table_dir("corpus").glob("*.tmp"))
    with pytest.raises(StageOrderError, match="opinion prepare"):
        ws.read("prepared")


# --- issue 13: faults of the storage and the manifest -------------------------------------
import errno  # noqa: E402
import json  # noqa: E402
from pathlib import Path  # noqa: E402

from typer.testing import CliRunner  # noqa: E402

from opinion.cli import app  # noqa: E402

JSONL = Path(__file__).parent / "data" / "load" / "chnsenticorp_htl.jsonl"  # 24 rows


def _one_line_error(result) -> str:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.output
    return lines[0]


@pytest.mark.parametrize("manifest, what", [
    ([], "a JSON list"),
    ({"inputs": {"a": 1}}, "'inputs' is not a list"),
    ({"inputs": [{"path": "x"}]}, "input 1 lacks"),
    ({"inputs": [], "stages": []}, "'stages'"),
])
def test_workspace_manifest_of_the_wrong_shape_is_one_line(tmp_path, manifest, what):
    ws = tmp_path / "ws"
    ws.mkdir()
    (ws / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    for command in (["info", "-w", str(ws)], ["load", str(JSONL), "-w", str(ws)],
                    ["prepare", "-w", str(ws)]):
        line = _one_line_error(CliRunner().invoke(app, command))
        assert "not an opinion manifest" in line and what in line


def test_workspace_full_disk_is_one_line_and_leaves_nothing_visible(tmp_path, monkeypatch):
    import opinion.io.atomic as atomic

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    ws = tmp_path / "ws"
    Workspace.open(ws, create=True)
    monkeypatch.setattr(atomic.os, "fsync", full)
    line = _one_line_error(CliRunner().invoke(app, ["load", str(JSONL), "-w", str(ws)]))
    assert "No space left on device" in line and "disk is full" in line
    monkeypatch.undo()
    opened = Workspace.open(ws)
    assert opened.manifest["inputs"] == [] and not opened.parts("corpus")
    assert not list(ws.rglob("*.tmp"))
    report = CliRunner().invoke(app, ["load", str(JSONL), "-w", str(ws)])  # space again
    assert report.exit_code == 0 and len(Workspace.open(ws).read("corpus")) == 24


def test_workspace_read_only_is_one_line_and_can_still_be_exported(tmp_path, monkeypatch):
    import builtins

    from factory import make_workspace

    import opinion.io.lock as lock

    ws = make_workspace(tmp_path / "ws").root

    def read_only(path, *args, **kwargs):
        if str(path).endswith(".lock"):
            raise PermissionError(errno.EROFS, "Read-only file system", str(path))
        return builtins.open(path, *args, **kwargs)

    monkeypatch.setattr(lock, "open", read_only, raising=False)
    line = _one_line_error(CliRunner().invoke(app, ["prepare", "-w", str(ws)]))
    assert "cannot write the workspace (Read-only file system)" in line
    line = _one_line_error(CliRunner().invoke(app, ["load", str(JSONL), "-w", str(ws)]))
    assert "Read-only" in line
    out = tmp_path / "elsewhere"
    result = CliRunner().invoke(app, ["export", "-w", str(ws), "--out", str(out),
                                      "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert (out / "documents.csv").exists()


def test_workspace_owns_the_one_part_store(tmp_path):
    """The workspace's part I/O and the engine's workers go through the same store."""
    from opinion.io.parts import PartStore

    ws = Workspace.open(tmp_path / "ws", create=True)
    frame = pd.DataFrame({"doc_id": ["a", "b"], "text_raw": ["戴口罩", "武汉加油"]})
    path = ws.write_part("corpus", "weibo-00000", frame)
    url = ws.store.url("corpus", "weibo-00000")
    assert path == ws.part_path("corpus", "weibo-00000") and str(path) == url
    assert PartStore.read(url).equals(frame)  # what a worker reads is what the workspace wrote
    sha = PartStore.write(frame.iloc[:1], ws.store.url("corpus", "weibo-00001"))
    assert ws.parts("corpus") == ws.store.parts("corpus") == ["weibo-00000", "weibo-00001"]
    assert sha == ws.store.sha256("corpus", "weibo-00001")
    (ws.table_dir("corpus") / ".weibo-00002.parquet.1234.tmp").write_bytes(b"half")  # a killed write
    assert ws.parts("corpus") == ["weibo-00000", "weibo-00001"]
    ws.remove_part("corpus", "weibo-00000")
    assert ws.store.parts("corpus") == ["weibo-00001"]
    assert ws.read_part("corpus", "weibo-00001", columns=["text_raw"])["text_raw"].tolist() == ["戴口罩"]


def test_workspace_unreadable_manifest_names_the_fix(tmp_path):
    """A manifest cut short said only 'cannot read the manifest (Expecting value …)' (2026-12-07)."""
    ws = tmp_path / "ws"
    ws.mkdir()
    (ws / "manifest.json").write_text('{"inputs": [', encoding="utf-8")
    line = _one_line_error(CliRunner().invoke(app, ["info", "-w", str(ws)]))
    assert "cannot read the manifest" in line and "opinion load FILES -w NEW" in line


def test_workspace_file_name_too_long_is_one_line(tmp_path):
    """A word cloud named after a source of 72 Chinese characters went over the 255-byte name
    limit once the temporary suffix was added: a traceback instead of a line."""
    from opinion.errors import StorageError
    from opinion.io.atomic import write_text_atomic

    with pytest.raises(StorageError, match="file name is too long") as caught:
        write_text_atomic(tmp_path / ("议题" * 45 + ".png"), "x")
    assert "\n" not in str(caught.value) and not list(tmp_path.iterdir())


@pytest.mark.parametrize(("rows", "why"), [("", "no data rows, only headers"), ("1,\n2,   \n", "rejects.csv")])
def test_workspace_with_every_row_rejected_says_so_not_run_load(tmp_path, rows, why):
    """After a load that kept nothing, `opinion export` said "table 'corpus' is missing; run
    `opinion load -w ws` first": a command without a file, for a user who had just loaded."""
    (tmp_path / "posts.csv").write_text("id,text\n" + rows, encoding="utf-8")
    ws = tmp_path / "ws"
    assert CliRunner().invoke(app, ["load", str(tmp_path / "posts.csv"), "-w", str(ws)]).exit_code == 0
    line = _one_line_error(CliRunner().invoke(app, ["export", "-w", str(ws)]))
    assert "holds no documents" in line and why in line and "opinion load FILES" in line


def test_workspace_read_refuses_a_table_of_an_interrupted_stage(tmp_path):
    """`ws.read("prepared")` after a killed `opinion prepare` returned the parts written so far,
    and the notebook's merge with the corpus dropped the rest without a word (2026-12-08)."""
    from opinion.errors import OpinionWarning

    ws = Workspace.open(tmp_path / "ws", create=True)
    for part, text in (("a-00000", "武汉加油"), ("b-00000", "口罩告急")):
        ws.write_part("corpus", part, pd.DataFrame({"doc_id": [part], "text_raw": [text]}))
    ws.write_part("prepared", "a-00000", pd.DataFrame({"doc_id": ["a-00000"], "text_norm": ["武汉加油"]}))
    ws.set_stage_record("prepare", {"runner": 1, "source": "corpus", "target": "prepared",
                                    "parts": {}, "complete": False})
    with pytest.raises(StageOrderError, match=r"'prepared' is incomplete .* run `opinion prepare -w .*` again"
                                              r".*partial=True"):
        ws.read("prepared")
    assert ws.read("prepared", partial=True)["doc_id"].tolist() == ["a-00000"]
    ws.set_stage_record("prepare", {**ws.stage_record("prepare"), "complete": True})
    with pytest.warns(OpinionWarning, match=r"lacks 1 part\(s\) loaded after the last `opinion prepare` "
                                            r"\(b-00000\); run `opinion prepare -w "):
        assert len(ws.read("prepared")) == 1
    assert len(ws.read("corpus")) == 2  # the corpus itself: no word
