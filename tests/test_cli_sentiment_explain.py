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


TAIWAN = "這家飯店的服務很差，房間也很髒。但是早餐不錯。"


@pytest.mark.parametrize("args, sentences", [
    ([], ["這家飯店的服務很差，房間也很髒。", "但是早餐不錯。"]),  # as written
    (["--script", "zh-Hans"], ["这家饭店的服务很差，房间也很脏。", "但是早餐不错。"]),
    (["--script", "zh-Hant-TW"], ["這家飯店的服務很差，房間也很髒。", "但是早餐不錯。"]),
])
def test_cli_explain_quotes_the_sentences_as_written_or_in_script(args, sentences) -> None:
    """Traditional input was quoted back in Simplified (the normalised text), with no --script."""
    result = runner.invoke(app, ["sentiment", "explain", TAIWAN, *args])
    assert result.exit_code == 0, result.output
    shown = [line.split(maxsplit=2)[2] for line in result.output.splitlines()[1:3]]
    assert shown == sentences


def test_cli_explain_in_a_workspace_defaults_to_its_script_and_checks_it(scored) -> None:
    plain = runner.invoke(app, ["sentiment", "explain", TAIWAN, "-w", str(scored.root)])
    assert plain.exit_code == 0 and "这家饭店的服务很差" in plain.output  # zh-Hans: no export yet
    taiwan = runner.invoke(app, ["sentiment", "explain", TAIWAN, "-w", str(scored.root), "--script", "zh-Hant-TW"])
    assert "這家飯店的服務很差" in taiwan.output
    bad = runner.invoke(app, ["sentiment", "explain", TAIWAN, "--script", "zh-TW"])
    assert bad.exit_code == 1 and "--script must be one of" in bad.output


def test_shown_sentences_fall_back_to_the_normalised_ones_when_the_cut_differs() -> None:
    from opinion.sentiment.score import shown_sentences

    assert shown_sentences(["好。", "差。"], "好。差。又差。", None, None) == ["好。", "差。"]
    assert shown_sentences(["服务很差。"], None, None, "zh-Hant-TW") == ["服務很差。"]
