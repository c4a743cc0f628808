"""``--method transformer``: the fine-tuned e5 file run in numpy (a tiny random model here)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from e5_factory import write_tiny_model, write_tiny_transformer
from typer.testing import CliRunner

from opinion import schema as S
from opinion.cli import app
from opinion.errors import InputError
from opinion.sentiment import score as score_module
from opinion.sentiment import transformer as T
from opinion.sentiment.e5.encoder import E5NumpyEncoder
from opinion.sentiment.evaluate import evaluate_file
from opinion.sentiment.score import SentimentSettings, score_documents, score_part, settings_fingerprint

# ChnSentiCorp-style reviews and Weibo posts (tests/data/sentiment/weibo_emotions_42.csv)
TEXTS = ["房间很干净", "服务太差了，再也不来了", "今天天气不错[哈哈]", "", "房间很干净"]


@pytest.fixture(autouse=True)
def _onnx_cache_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where the transformer extra is installed, its built ONNX files go to a temporary folder."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


@pytest.fixture
def shipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A tiny transformer file standing in for the shipped one."""
    path = tmp_path / "transformer.e5s1"
    write_tiny_transformer(path)
    monkeypatch.setattr(T, "transformer_path", lambda: path)
    T.load_transformer.cache_clear()
    score_module._scorer.cache_clear()
    yield path
    T.load_transformer.cache_clear()
    score_module._scorer.cache_clear()


def test_probabilities_are_the_heads_on_the_numpy_encoder(shipped: Path) -> None:
    model = T.load_transformer()
    probs = model.predict_proba_all(TEXTS)
    assert probs["polarity"].shape == (5, 3) and probs["emotion"].shape == (5, 6)
    assert np.allclose(probs["emotion"].sum(1), 1.0)
    # the same numbers by hand: pooled states of "query: " + text cut to 12 tokens, then the head
    encoder = E5NumpyEncoder(model.encoder.model)
    pooled = encoder.pooled(TEXTS, prefix="query: ", max_tokens=12).astype(np.float64)
    weight, bias = model.heads["polarity"]
    logits = pooled @ weight.T + bias
    expected = np.exp(logits - logits.max(1, keepdims=True))
    assert np.allclose(probs["polarity"], expected / expected.sum(1, keepdims=True), atol=1e-5)
    assert model.max_tokens == 12
    # a repeated text is tokenised once and scored the same in any batch
    assert model.token_ids("房间很干净") is model.token_ids("房间很干净")
    assert np.allclose(probs["polarity"][0], probs["polarity"][4])
    assert np.allclose(model.predict_proba(TEXTS[:1]), probs["polarity"][:1], atol=1e-5)
    assert np.allclose(model.score(TEXTS), probs["polarity"][:, 2])


def test_missing_or_bare_files_name_the_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="transformer model missing") as missing:
        T.load_transformer(str(tmp_path / "nope.e5s1"))
    assert "\n" not in str(missing.value) and "nope.e5s1" in str(missing.value)
    write_tiny_model(tmp_path / "bare.bin")  # an encoder without heads
    with pytest.raises(InputError, match="head.polarity.w"):
        T.TransformerModel(tmp_path / "bare.bin")
    (tmp_path / "junk.e5s1").write_bytes(b"PK\x03\x04 not a model")
    with pytest.raises(InputError, match="not a transformer sentiment file"):
        T.TransformerModel(tmp_path / "junk.e5s1")


def test_score_documents_uses_both_heads_of_the_transformer(shipped: Path) -> None:
    out = score_documents(TEXTS, SentimentSettings(method="transformer"))
    probs = T.load_transformer().predict_proba_all([t for t in TEXTS if t])
    polarity = out[[S.SENTIMENT_PROB_PREFIX + c for c in ("negative", "neutral", "positive")]]
    assert np.allclose(polarity.dropna().to_numpy(), probs["polarity"])
    emotions = out[[S.EMOTION_PROB_PREFIX + e for e in S.EMOTIONS]].dropna().to_numpy()
    assert np.allclose(emotions, probs["emotion"])
    assert out.loc[3, S.SENTIMENT_LABEL] is None and np.isnan(out.loc[3, S.SENTIMENT_SCORE])
    part = pd.DataFrame({S.DOC_ID: ["a", "b"], S.TEXT_NORM: ["房间很干净。服务太差了！", ""]})
    scored = score_part(part, SentimentSettings(method="transformer"))
    assert scored[S.DOC_ID].tolist() == ["a", "b"] and scored[S.SENTIMENT_LABEL].iloc[1] is None


def test_transformer_settings_fingerprint_follows_the_file(shipped: Path) -> None:
    before = settings_fingerprint(SentimentSettings(method="transformer"))
    assert before != settings_fingerprint(SentimentSettings(method="model"))
    write_tiny_transformer(shipped, seed=3)
    assert settings_fingerprint(SentimentSettings(method="transformer")) != before


def test_evaluate_transformer_on_both_tasks(shipped: Path, tmp_path: Path) -> None:
    emotions, reviews = tmp_path / "emotions.csv", tmp_path / "reviews.csv"
    pd.DataFrame({"text": ["好开心", "气死了", "房间很干净"],
                  "label": ["happiness", "anger", "none"]}).to_csv(emotions, index=False)
    pd.DataFrame({"text": ["房间很干净", "服务太差了"], "label": [1, 0]}).to_csv(reviews, index=False)
    emotion = evaluate_file(emotions, task="emotion", method="transformer", label_map="none=neutral")
    assert emotion.method == "transformer" and emotion.n == 3
    polarity = evaluate_file(reviews, task="polarity", method="transformer")
    assert polarity.n == 2 and 0.0 <= polarity.accuracy <= 1.0


def test_cli_missing_transformer_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(T, "transformer_path", lambda: tmp_path / "transformer.e5s1")
    T.load_transformer.cache_clear()
    file = tmp_path / "labelled.csv"
    file.write_text("text,label\n房间很干净,1\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["sentiment", "evaluate", str(file), "--method", "transformer"])
    assert result.exit_code == 1
    assert "transformer model missing" in result.output and "Traceback" not in result.output


def test_transformer_int8_method_runs_the_int8_encoder(shipped: Path) -> None:
    from opinion.sentiment.e5.onnx_runtime import onnxruntime_available

    settings = SentimentSettings(method="transformer-int8")
    if not onnxruntime_available():  # without the extra: an error naming it, no silent float32
        with pytest.raises(ImportError, match=r"opinion\[transformer\]"):
            score_documents(TEXTS, settings)
        return
    out = score_documents(TEXTS, settings)
    model = T.load_transformer(runtime="onnx-int8")
    assert model.encoder.precision == "int8"
    probs = model.predict_proba_all([t for t in TEXTS if t])
    polarity = out[[S.SENTIMENT_PROB_PREFIX + c for c in ("negative", "neutral", "positive")]]
    assert np.allclose(polarity.dropna().to_numpy(), probs["polarity"])
    assert settings_fingerprint(settings) != settings_fingerprint(SentimentSettings(method="transformer"))
    result = evaluate_file(Path(__file__).parent / "data" / "sentiment" / "weibo_emotions_42.csv",
                           task="polarity", method="transformer-int8", label_col="polarity",
                           labels="0=negative,1=positive")
    assert result.method == "transformer-int8" and result.n > 0
