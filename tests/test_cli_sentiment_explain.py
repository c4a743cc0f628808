"""`opinion sentiment explain`: a workspace's document, its settings, and --model."""

from __future__ import annotations

import pytest
from test_prepare import write_text_corpus
from typer.testing import CliRunner

from opinion import schema as S
from opinion.cli import app
from opinion.prepare import prepare_workspace
from opinion.sentiment.model import default_model_path

runner = CliRunner()


@pytest.fixture(scope="module")
def scored(tmp_path_factory):
    ws = write_text_corpus(tmp_path_factory.mktemp("explain") / "ws", weibo_rows=6)
    prepare_workspace(ws, workers=1)
    result = runner.invoke(app, ["sentiment", "-w", str(ws.root), "--workers", "1", "--method", "lexicon"])
    assert result.exit_code == 0, result.output
    return ws


def test_cli_explain_document_of_a_workspace(scored) -> None:
    """`explain -w WS --doc ID` explains the stored text_norm and names the stored label."""
    table = scored.read(S.SENTIMENT)
    doc, label = next((d, lab) for d, lab in zip(table[S.DOC_ID], table[S.SENTIMENT_LABEL]) if lab)
    result = runner.invoke(app, ["sentiment", "explain", "-w", str(scored.root), "--doc", doc])
    assert result.exit_code == 0, result.output
    head, lexicon = result.output.splitlines()[0], next(
        line for line in result.output.splitlines() if line.startswith("lexicon: "))
    assert head == f"document {doc}: {label} in the workspace (method lexicon)"
    assert lexicon.split()[2] == label  # the workspace's lexicon label, explained


@pytest.mark.parametrize("args, message", [
    (["--doc", "w-0"], "--doc needs --workspace"),
    (["-w", "{ws}", "--doc", "no-such-doc"], "--doc no-such-doc: no such doc_id"),
    ([], "give a TEXT to explain"),
    (["好", "--model", "missing.safetensors"], "--model missing.safetensors: no such file"),
])
def test_cli_explain_bad_options_are_one_line_errors(scored, args, message) -> None:
    args = [a.replace("{ws}", str(scored.root)) for a in args]
    result = runner.invoke(app, ["sentiment", "explain", *args])
    assert result.exit_code == 1 and message in result.output and "Traceback" not in result.output


def test_cli_explain_with_a_model_file(scored) -> None:
    """--model FILE: a workspace scored with a model file can be explained with it."""
    model = str(default_model_path())
    alone = runner.invoke(app, ["sentiment", "explain", "我今天不高兴", "--model", model])
    assert alone.exit_code == 0 and alone.output.startswith("model: negative")
    in_ws = runner.invoke(app, ["sentiment", "explain", "我今天不高兴", "-w", str(scored.root), "--model", model])
    assert in_ws.exit_code == 0 and in_ws.output == alone.output
