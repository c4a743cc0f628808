"""Atomic writes (opinion.io.atomic): a target that cannot be a file is one line, before writing."""

from __future__ import annotations

import pytest

from opinion.errors import InputError
from opinion.io.atomic import atomic_path, write_text_atomic


def test_atomic_write_onto_a_folder_is_one_line(tmp_path):
    """h47 #5: writing onto a folder ended in IsADirectoryError (after the whole file was written)."""
    folder = tmp_path / "导出"
    folder.mkdir()
    with pytest.raises(InputError, match="导出 is a folder, not a file; give a file inside it, such as"):
        with atomic_path(folder):
            raise AssertionError("nothing is written")  # pragma: no cover
    assert list(folder.iterdir()) == [] and sorted(p.name for p in tmp_path.iterdir()) == ["导出"]


def test_atomic_write_under_a_file_is_one_line(tmp_path):
    (tmp_path / "notes").write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match="notes is a file, not a folder"):
        write_text_atomic(tmp_path / "notes" / "a" / "b.csv", "x")


def test_atomic_write_replaces_a_file(tmp_path):
    target = tmp_path / "new" / "a.csv"
    write_text_atomic(target, "一")
    write_text_atomic(target, "二")
    assert target.read_text(encoding="utf-8") == "二" and sorted(p.name for p in target.parent.iterdir()) == ["a.csv"]
