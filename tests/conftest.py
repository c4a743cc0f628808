"""Shared fixtures: every test works in its own temporary folder."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"


@pytest.fixture(autouse=True)
def _isolated_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run each test inside a fresh temporary folder so nothing leaks into the repo."""
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def data_dir() -> Path:
    """Folder of the small real samples copied from ../shared/data (see tests/data/README.md)."""
    return DATA
