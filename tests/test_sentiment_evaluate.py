"""Evaluation: label parsing, 2- and 3-class figures, file reading; the sentiment CLI."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from opinion.cli import app
from opinion.errors import InputError
from opinion.sentiment.evaluate import evaluate_file, evaluate_scores, normalise_labels

DATA = Path(__file__).parent / "data" / "sentiment"
REVIEWS = DATA / "chnsenticorp_validation_head40.csv"
WEIBO = DATA / "weibo_emotions_42.csv"
runner = CliRunner()


@pytest.mark.parametrize("values, expected", [
    (["1", "0", "1.0"], ["positive", "negative", "positive"]),
    (["-1", "0", "1"], ["negative", "neutral", "positive"]),
    (["pos", "NEG", "neutral"], ["positive", "negative", "neutral"]),
    (["正面", "负面", "中性", ""], ["positive", "negative", "neutral", None]),
])
def test_normalise_labels(values, expected) -> None:
    assert normalise_labels(pd.Series(values)).tolist() == expected


def test_normalise_labels_rejects_unknown() -> None:
    with pytest.raises(InputError, match="unknown labels \\['2'\\]"):
        normalise_labels(pd.Series(["0", "1", "2"]), source="f.csv column 'y'")


def test_evaluate_scores_binary_and_three_class() -> None:
    truth = pd.Series(["positive", "negative", "positive", "negative"])
    result = evaluate_scores(truth, np.array([0.9, 0.2, 0.4, 0.6]), method="model")
    assert (result.n, result.accuracy, result.macro_f1) == (4, 0.5, 0.5)
    assert result.confusion.loc["positive", "negative"] == 1
    three = evaluate_scores(pd.Series(["positive", "neutral", "negative"]),
                            np.array([0.9, 0.5, 0.1]), method="model")
    assert three.labels == ["negative", "neutral", "positive"] and three.accuracy == 1.0


def test_evaluate_file_on_real_reviews() -> None:
    result = evaluate_file(REVIEWS, text_col="text", label_col="label")
    assert result.n == 40 and result.skipped == 0
    assert result.accuracy >= 0.75  # held-out texts: the model never saw them
    lexicon = evaluate_file(REVIEWS, text_col="text", label_col="label", method="lexicon")
    assert lexicon.n == 40 and 0.5 <= lexicon.accuracy <= 1.0


def test_evaluate_file_three_classes_and_skipped_rows(tmp_path) -> None:
    weibo = pd.read_csv(WEIBO, dtype=str, keep_default_na=False)
    names = {"happiness": "positive", "like": "positive", "surprise": "neutral"}
    weibo["sentiment"] = weibo["emotion"].map(names).fillna("negative")
    weibo.loc[0, "text"] = ""
    path = tmp_path / "weibo.tsv"
    weibo.to_csv(path, sep="\t", index=False)
    result = evaluate_file(path, text_col="text", label_col="sentiment", neutral_band="0.3,0.7")
    assert result.labels == ["negative", "neutral", "positive"]
    assert (result.n, result.skipped) == (41, 1)
    assert int(result.confusion.to_numpy().sum()) == 41


def test_evaluate_file_errors_name_the_fix(tmp_path) -> None:
    with pytest.raises(InputError, match="--text-col"):
        evaluate_file(REVIEWS, text_col="review", label_col="label")
    with pytest.raises(InputError, match="not found"):
        evaluate_file(tmp_path / "none.csv", text_col="text", label_col="label")


def test_cli_evaluate_json_and_table() -> None:
    result = runner.invoke(app, ["sentiment", "evaluate", str(REVIEWS), "--text-col", "text",
                                 "--label-col", "label", "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert {"n", "accuracy", "macro_f1"} <= set(payload) and payload["n"] == 40
    table = runner.invoke(app, ["sentiment", "evaluate", str(REVIEWS), "--method", "lexicon"])
    assert table.exit_code == 0, table.output
    assert "macro-F1" in table.output and "confusion" in table.output


def test_cli_evaluate_bad_column_is_one_line_error() -> None:
    result = runner.invoke(app, ["sentiment", "evaluate", str(REVIEWS), "--text-col", "内容"])
    assert result.exit_code == 1
    assert "no column '内容'" in result.output and "Traceback" not in result.output


def test_cli_explain_and_bare_group() -> None:
    result = runner.invoke(app, ["sentiment", "explain", "我今天不高兴"])
    assert result.exit_code == 0 and "高兴 -1.00 (不)" in result.output
    bare = runner.invoke(app, ["sentiment"])
    assert bare.exit_code == 2 and "--workspace" in bare.output


def test_cli_scores_workspace_with_band(tmp_path) -> None:
    from test_prepare import write_text_corpus

    from opinion import schema as S
    from opinion.prepare import prepare_workspace

    ws = write_text_corpus(tmp_path / "ws", weibo_rows=10)
    prepare_workspace(ws, workers=1)
    result = runner.invoke(app, ["sentiment", "-w", str(ws.root), "--workers", "1",
                                 "--neutral-band", "0.2,0.8", "--method", "lexicon"])
    assert result.exit_code == 0, result.output
    assert "sentiment: 2 parts computed" in result.output
    labels = set(ws.read(S.SENTIMENT)[S.SENTIMENT_LABEL].dropna())
    assert labels <= {"negative", "neutral", "positive"}
    bad = runner.invoke(app, ["sentiment", "-w", str(ws.root), "--neutral-band", "0.8,0.2"])
    assert bad.exit_code == 1 and "neutral band" in bad.output
