"""What an evaluation reports: every row of the file counted once, the text the stage scores,
how labels were read, and the model it was measured with (digest, version, date)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from opinion import schema as S
from opinion.cli import app
from opinion.errors import InputError
from opinion.sentiment.evaluate import evaluate_file, figures, normalise_labels
from opinion.sentiment.model import SHIPPED_MODEL_SHA256, default_model_path

DATA = Path(__file__).parent / "data" / "sentiment"
REVIEWS = DATA / "chnsenticorp_validation_head40.csv"
runner = CliRunner()


def _file(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_rows_read_are_scored_skipped_or_rejected_and_rejects_are_named(tmp_path) -> None:
    """A text opening with " swallowed the next lines into one text: n 2 of 6 rows, 0 skipped."""
    path = _file(tmp_path, "quote.csv", "text,label\n很好吃,1\n\"太差了 再也不来,0\n服务态度好,1\n"
                                        "味道一般般,0\n送餐很快,1\n\"真的\"很棒,1\n,1\n")
    result = evaluate_file(path)
    assert (result.rows_read, result.n, result.skipped, len(result.rejected)) == (7, 5, 1, 1)
    assert result.rows_read == result.n + result.skipped + len(result.rejected)
    text = str(result)
    assert "n: 5 (7 rows read: 1 rejected, 1 skipped: 1 without text)" in text
    assert "rejected: quote.csv line 3: malformed CSV (unclosed quote?" in text
    assert json.loads(result.to_json())["rejected"][0].startswith("quote.csv line 3:")


def test_evaluate_scores_the_text_the_stage_scores(tmp_path) -> None:
    """evaluate scored the raw text; the stage scores it cleaned and normalised (武汉??? →
    武汉？), so the printed figures were not those of the workspace's labels."""
    from opinion.config import SentimentSettings
    from opinion.sentiment.score import analysis_text, model_text, score_documents

    rows = pd.DataFrame({"text": ["武汉???", "吃完第二天拉肚子～", "速度真的好块也！！", "看這裡 http://t.cn/x 太差了",
                                  "\u200b"],
                         "label": ["neutral", "negative", "positive", "negative", "neutral"]})
    path = tmp_path / "stage.csv"
    rows.to_csv(path, index=False)
    result = evaluate_file(path)
    stage = score_documents([model_text(analysis_text(t)) for t in rows.text[:4]], SentimentSettings())
    expected = figures(rows.label[:4].to_numpy(), stage[S.SENTIMENT_LABEL].to_numpy(), result.labels)
    assert (result.accuracy, result.macro_f1) == (expected["accuracy"], expected["macro_f1"])
    assert result.skipped_reasons["blank after cleaning"] == 1 and result.n == 4  # a zero-width space
    assert "scored: the text as the stage scores it" in str(result)
    raw = evaluate_file(path, raw=True)
    assert raw.n == 5 and "--raw" in json.loads(raw.to_json())["scored_text"]


def test_a_binary_minus_one_one_file_says_how_it_was_read(tmp_path) -> None:
    path = _file(tmp_path, "pm1.csv", "text,label\n这家店真不错,1\n太失望了,-1\n服务很好,1\n质量太差,-1\n")
    note = "labels read as -1/0/1 without 0: predictions include neutral"
    assert any(note in n for n in evaluate_file(path).notes)
    named = evaluate_file(path, labels="-1=negative,1=positive")
    assert named.labels == ["negative", "positive"] and not any(note in n for n in named.notes)


def test_a_row_without_text_or_label_is_skipped_once(tmp_path) -> None:
    """The reasons added up to 5 for 4 skipped rows (a row with neither counted twice)."""
    path = _file(tmp_path, "stars.csv", "text,label\n房间很干净，服务也好,5\n一般般吧,3\n太差了,1\n"
                                        ",5\n挺好,\n,\n服务很好,NA\n")
    result = evaluate_file(path, labels="1=negative,3=neutral,5=positive")
    assert result.skipped == 4 and sum(result.skipped_reasons.values()) == 4
    assert result.skipped_reasons["without text"] == 2 and result.skipped_reasons["without a label"] == 2


def test_the_report_names_the_models_digest_version_and_date(tmp_path) -> None:
    """Two models gave indistinguishable reports, and a model retrained over the shipped
    file was still "the shipped model" (the path decided)."""
    from opinion.version import __version__

    shipped = json.loads(evaluate_file(REVIEWS).to_json())
    assert shipped["model_sha256"] == SHIPPED_MODEL_SHA256 and shipped["shipped"] is True
    assert shipped["opinion_version"] == __version__ and len(shipped["date"]) == 10
    text = str(evaluate_file(REVIEWS))
    assert f"scored with: {default_model_path()} (the shipped model), SHA-256 {SHIPPED_MODEL_SHA256}" in text
    from test_sentiment_model import _polarity_model

    mine = _polarity_model(flip=False).save(tmp_path / "mine.safetensors")
    other = evaluate_file(REVIEWS, model_path=str(mine))
    assert other.shipped is False and "shipped" not in str(other) and other.model_sha256 != SHIPPED_MODEL_SHA256
    lexicon = json.loads(evaluate_file(REVIEWS, method="lexicon").to_json())
    assert lexicon["model_sha256"] == "" and lexicon["shipped"] is False


@pytest.mark.parametrize("values, expected", [
    (["１", "０"], ["positive", "negative"]),  # typed with a Chinese input method
    (["－１", "０", "１"], ["negative", "neutral", "positive"]),
    (["1.00", "0.0"], ["positive", "negative"]),
])
def test_full_width_and_decimal_codes_are_codes(values, expected) -> None:
    assert normalise_labels(pd.Series(values)).tolist() == expected


def test_an_unknown_label_names_its_rows_and_first_line(tmp_path) -> None:
    path = _file(tmp_path, "typo.csv", "text,label\n很好,positive\n很差,negative\n不错,postive\n好,postive\n")
    with pytest.raises(InputError, match=r"unknown labels \['postive'\] \(2 rows, the first on line 4\)"):
        evaluate_file(path)


def test_a_neutral_band_with_emotions_is_an_error_not_ignored() -> None:
    with pytest.raises(InputError, match="--neutral-band applies to --task polarity"):
        evaluate_file(DATA / "weibo_emotions_42.csv", task="emotion", label_col="emotion",
                      label_map="like=happiness,disgust=anger", neutral_band="0.4,0.6")


def test_cli_evaluate_raw_and_json_cite_the_model() -> None:
    result = runner.invoke(app, ["sentiment", "evaluate", str(REVIEWS), "--json", "--raw"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["shipped"] is True and payload["scored_text"].startswith("the text as written")
