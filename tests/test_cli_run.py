"""`opinion run`: the whole pipeline in one command, and a re-run that redoes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from opinion import schema as S
from opinion.cli import app
from opinion.io.workspace import Workspace

SAMPLE = Path(__file__).parent / "data" / "workspace_sample.jsonl"


def _stage_records(ws: Path) -> dict:
    return json.loads((ws / "manifest.json").read_text(encoding="utf-8"))["stages"]


def test_cli_run_whole_pipeline_then_rerun_is_a_no_op(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    args = ["run", str(SAMPLE), "-w", str(ws), "--export-format", "csv,html",
            "--min-topic-size", "3"]
    first = CliRunner().invoke(app, args)
    assert first.exit_code == 0, first.output
    docs = pd.read_csv(ws / "export" / "documents.csv")
    assert len(docs) == 55
    for column in ("doc_id", "text_raw", "text_clean", "text_norm", "script", "tokens",
                   "sentiment_score", "sentiment_label", "topic_id", "topic_label", "theme_信任"):
        assert column in docs.columns, column
    assert docs["topic_id"].notna().all()
    assert (ws / "export" / "report.html").stat().st_size > 10_000
    assert "opinion explore -w" in first.output

    records = _stage_records(ws)
    topics_before = Workspace.open(ws).read(S.TOPIC_DOCS)  # part-wise, like prepared
    second = CliRunner().invoke(app, args)
    assert second.exit_code == 0, second.output
    assert _stage_records(ws) == records  # nothing recomputed, nothing re-recorded
    pd.testing.assert_frame_equal(Workspace.open(ws).read(S.TOPIC_DOCS), topics_before)


def test_cli_run_user_error_is_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["run", str(tmp_path / "missing.csv"), "-w", str(tmp_path / "ws")])
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "missing.csv" in errors[0]
    assert "Traceback" not in result.output
