"""Theme tables (opinion.theme_tables) refuse a prepared table that is not the whole corpus."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from opinion import schema as S
from opinion.cli import app
from opinion.errors import OpinionError
from opinion.io.workspace import Workspace
from opinion.theme_tables import theme_prevalence, theme_sample


@pytest.fixture(scope="module")
def prepared(tmp_path_factory) -> Path:
    """The seed article, short texts and 30 Weibo posts, prepared."""
    from test_prepare import write_text_corpus

    from opinion.prepare import prepare_workspace

    ws = write_text_corpus(tmp_path_factory.mktemp("themes") / "ws", weibo_rows=30)
    prepare_workspace(ws, workers=1)
    return ws.root


def _copy(prepared: Path, tmp_path: Path) -> Workspace:
    shutil.copytree(prepared, tmp_path / "ws")
    return Workspace.open(tmp_path / "ws")


def _refused(ws: Workspace, message: str) -> None:
    """Both functions and both commands stop with one line holding ``message``."""
    with pytest.raises(OpinionError, match=re.escape(message)):
        theme_prevalence(ws)
    with pytest.raises(OpinionError, match=re.escape(message)):
        theme_sample(ws, "信任")
    for args in (["themes"], ["themes", "check", "信任"]):
        result = CliRunner().invoke(app, [*args, "-w", str(ws.root)])
        assert result.exit_code == 1, (args, result.output)
        assert len(result.output.strip().splitlines()) == 1 and message in result.output


def test_theme_tables_refuse_an_interrupted_prepare(prepared, tmp_path):
    """h46 scale #6: after a killed prepare, `opinion themes` gave 0.2 % of 6,000 posts for a day
    of 10,492 and `themes check 信任` 19 documents of 24, with no warning (2026-12-08)."""
    ws = _copy(prepared, tmp_path)
    record = dict(ws.stage_record("prepare") or {})
    ws.set_stage_record("prepare", {**record, "complete": False})
    _refused(ws, "'prepared' is incomplete because stage 'prepare' was interrupted")


def test_theme_tables_refuse_posts_loaded_after_prepare(prepared, tmp_path):
    """h46 scale #6: one more file loaded after prepare was left out of every period's share."""
    import pandas as pd

    ws = _copy(prepared, tmp_path)
    assert len(theme_prevalence(ws))  # current: counted
    corpus = ws.read_part(S.CORPUS, "a-00000").head(2).assign(
        **{S.DOC_ID: ["c-1", "c-2"], S.PUBLISHED_AT: pd.Timestamp("2021-10-13", tz="Asia/Shanghai")})
    ws.write_part(S.CORPUS, "c-00000", corpus)
    _refused(ws, "1 part(s) loaded after the last `opinion prepare` (c-00000)")


def test_themes_command_rounds_a_share_once(prepared, monkeypatch):
    """h47 #4: 40 of 611 printed 6.6% (the 4-decimal prevalence 0.0655 rounded again), 6.5% in
    themes_by_period.csv and report.md."""
    import pandas as pd

    frame = pd.DataFrame({"period": ["2020-03-09"], "theme": ["信任"], "documents": [611],
                          "documents_with_theme": [40], "prevalence": [round(40 / 611, 4)], "hits": [44]})
    monkeypatch.setattr("opinion.theme_tables.theme_prevalence", lambda *args, **kwargs: frame)
    result = CliRunner().invoke(app, ["themes", "-w", str(prepared), "--period", "week"])
    assert result.exit_code == 0, result.output
    assert "6.5% (40)" in result.output and "6.6%" not in result.output


def test_themes_check_out_folder_is_one_line(prepared, tmp_path):
    """h47 #5: --out naming a folder printed the sample, then an IsADirectoryError traceback."""
    folder = tmp_path / "samples"
    folder.mkdir()
    result = CliRunner().invoke(app, ["themes", "check", "信任", "-w", str(prepared), "--out", str(folder)])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"error: --out {folder} is a folder; give a file such as {folder / 'sample.csv'}"]
    assert list(folder.iterdir()) == []
