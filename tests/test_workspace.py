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
