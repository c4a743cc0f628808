"""Saving the topic model (opinion/topics/store.py): the folder is swapped in by renames, what
a killed swap left is finished or cleaned, and a damaged model is a one-line error. The texts
of the files do not matter here: the swap moves folders."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from opinion.errors import WorkspaceError
from opinion.topics.store import (
    FORMAT_VERSION,
    META,
    MODEL_FILES,
    _beside,
    _swap_in,
    finish_swap,
    load_topic_model,
    missing_files,
)


def model_folder(path: Path, label: str) -> Path:
    """A folder holding every model file, each with ``label`` (which model it is)."""
    path.mkdir(parents=True)
    for name in MODEL_FILES:
        (path / name).write_text(label, encoding="utf-8")
    return path


def label_of(path: Path) -> str:
    return (path / "config.json").read_text(encoding="utf-8")


def test_store_swap_replaces_the_folder_and_leaves_nothing_beside(tmp_path: Path) -> None:
    folder = model_folder(tmp_path / "topic_model", "旧模型")
    _swap_in(model_folder(_beside(folder, "tmp"), "新模型"), folder)
    assert label_of(folder) == "新模型" and not missing_files(folder)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["topic_model"]


@pytest.mark.parametrize("left, expected", [
    # killed between the renames: the old model aside, the complete new one beside: it goes in
    ({".topic_model.old": "旧模型", ".topic_model.tmp": "新模型"}, "新模型"),
    # killed while the new model was written: the old one stays
    ({"topic_model": "旧模型", ".topic_model.tmp": "半个"}, "旧模型"),
    # killed while the old one was deleted after the swap
    ({"topic_model": "新模型", ".topic_model.old": "半个"}, "新模型"),
    # the old one aside and nothing new: it comes back
    ({".topic_model.old": "旧模型"}, "旧模型"),
])
def test_store_finish_swap_completes_or_cleans_a_killed_swap(tmp_path: Path, left: dict[str, str],
                                                            expected: str) -> None:
    for name, label in left.items():
        model_folder(tmp_path / name, label)
    finish_swap(tmp_path / "topic_model")
    assert label_of(tmp_path / "topic_model") == expected
    assert sorted(p.name for p in tmp_path.iterdir()) == ["topic_model"]


def test_store_finish_swap_drops_a_half_written_first_model(tmp_path: Path) -> None:
    model_folder(tmp_path / ".topic_model.tmp", "半个")
    finish_swap(tmp_path / "topic_model")
    assert list(tmp_path.iterdir()) == []


def test_store_a_half_deleted_model_is_a_one_line_error(tmp_path: Path) -> None:
    """A kill during the old code's ``rmtree`` left ``topic_model/`` without ``config.json``;
    loading it was a FileNotFoundError traceback."""
    folder = model_folder(tmp_path / "topic_model", "{}")
    (folder / "config.json").unlink()
    (folder / "ctfidf.safetensors").unlink()
    with pytest.raises(WorkspaceError, match=r"incomplete \(config\.json, ctfidf\.safetensors missing.*"
                                             r"run `opinion topics -w"):
        load_topic_model(folder)


def test_store_an_unreadable_model_file_is_a_one_line_error(tmp_path: Path) -> None:
    folder = model_folder(tmp_path / "topic_model", "不是 JSON")
    (folder / META).write_text(json.dumps({"format_version": FORMAT_VERSION}), encoding="utf-8")
    with pytest.raises(WorkspaceError, match="cannot be read") as error:
        load_topic_model(folder)
    assert "\n" not in str(error.value)


def test_store_no_model_says_run_topics_first(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError, match="no saved topic model"):
        load_topic_model(tmp_path / "topic_model")
