"""Shared CLI pieces: the script a view is shown in, and the hint for a Traditional corpus."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from opinion.cli import app

GSD = Path(__file__).parent / "data" / "gsd_trad_simp_sample.tsv"
HINT = "notice: 12 of 12 documents are in Traditional script"


@pytest.fixture(scope="module")
def taiwan(tmp_path_factory):
    """A prepared workspace of 12 Taiwanese sentences (UD Chinese GSD), no export yet."""
    from test_prepare import _corpus

    from opinion import schema as S
    from opinion.io.workspace import Workspace
    from opinion.prepare import prepare_workspace

    rows = pd.read_csv(GSD, sep="\t").head(12)
    ws = Workspace.open(tmp_path_factory.mktemp("taiwan") / "ws", create=True)
    ws.write_part(S.CORPUS, "a-00000", _corpus([
        {S.DOC_ID: f"tw-{i}", S.TEXT_RAW: text, S.PUBLISHED_AT: "2024-03-01"}
        for i, text in enumerate(rows["traditional"])]))
    prepare_workspace(ws, workers=1)
    return ws


@pytest.mark.parametrize("view", [["kwic", "不同"], ["themes"], ["network", "--top", "10", "--min-cooccurrence", "1", "--out", "NET"]])
def test_views_of_a_traditional_corpus_say_how_to_show_it_in_traditional(taiwan, view, tmp_path):
    """Trial 2026-12-08 #9: `topics`, `keywords`, `themes` and `kwic` printed an all-Traditional corpus in
    Simplified without the hint `opinion run` gives; every view now gives it once, unless --script is given."""
    view = [str(tmp_path / "net") if v == "NET" else v for v in view]
    shown = CliRunner().invoke(app, [*view, "-w", str(taiwan.root)])
    assert shown.exit_code == 0, shown.output
    assert shown.output.count(HINT) == 1 and "pass --script zh-Hant-TW" in shown.output
    chosen = CliRunner().invoke(app, [*view, "-w", str(taiwan.root), "--script", "zh-Hant-TW"])
    assert chosen.exit_code == 0 and "Traditional script" not in chosen.output, chosen.output


def test_the_hint_follows_the_script_the_export_stored(taiwan):
    """After `opinion run --script zh-HK` the views show zh-HK, and there is nothing to hint."""
    from opinion.cli.common import shown_script, traditional_hint
    from opinion.config import ExportSettings, store_settings

    assert traditional_hint(taiwan.root, "zh-Hans").startswith("12 of 12 documents")
    assert traditional_hint(taiwan.root, "zh-HK") is None
    assert traditional_hint(taiwan.root.parent / "missing", "zh-Hans") is None
    store_settings(taiwan, ExportSettings(script="zh-HK"))
    try:
        assert shown_script(None, taiwan.root) == "zh-HK"
        shown = CliRunner().invoke(app, ["kwic", "不同", "-w", str(taiwan.root)])
        assert shown.exit_code == 0 and "Traditional script" not in shown.output, shown.output
    finally:
        store_settings(taiwan, ExportSettings(script="zh-Hans"))
