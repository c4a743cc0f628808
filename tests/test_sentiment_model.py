"""The shipped model: safe artifact, negation behaviour, calibration; fit/save/load; training."""

from __future__ import annotations

import json
import struct
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from opinion.errors import InputError
from opinion.sentiment.features import FeatureConfig
from opinion.sentiment.model import (
    NotFittedError, SentimentModel, default_model_path, load_default_model,
)

DATA = Path(__file__).parent / "data" / "sentiment"


@pytest.fixture(scope="module")
def model() -> SentimentModel:
    return load_default_model()


def test_model_artifact_is_small_safetensors_without_pickle() -> None:
    path = default_model_path()
    assert path.stat().st_size <= 20 * 1024 * 1024
    raw = path.read_bytes()
    (header_len,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + header_len])
    assert set(header) == {"__metadata__", "coef", "idf"}
    assert header["coef"]["dtype"] == header["idf"]["dtype"] == "F32"
    assert b"\x80\x04\x95" not in raw[:8 + header_len]  # no pickle protocol-4 stream


def test_model_records_its_training(model: SentimentModel) -> None:
    assert model.n_train_ > 50_000
    assert set(model.info_["heldout_accuracy"]) == {
        "chnsenticorp_validation", "waimai", "online_shopping", "weibo_emotions"}


@pytest.mark.parametrize("positive, negative", [
    ("好", "不好"),
    ("喜欢", "不喜欢"),
    ("我今天很高兴", "我今天不高兴"),
    ("没有不好", "不好"),
    ("不是不喜欢", "不喜欢"),
    ("味道不错", "味道不好"),
    ("不太贵", "太贵"),
    ("武汉加油[心]", "太可怕了[泪]"),
])
def test_model_negation_pairs(model: SentimentModel, positive: str, negative: str) -> None:
    pos, neg = model.score([positive, negative])
    assert pos > neg, (positive, pos, negative, neg)


@pytest.mark.parametrize("text, is_positive", [
    ("不好", False), ("不太好", False), ("很不好", False), ("不喜欢", False),
    ("我今天不高兴", False), ("一点也不好吃", False), ("质量很好，推荐购买", True),
    ("不错，下次还来", True), ("不是不喜欢", True),
])
def test_model_negation_table(model: SentimentModel, text: str, is_positive: bool) -> None:
    assert (model.score([text])[0] > 0.5) == is_positive


def test_model_scores_are_probabilities(model: SentimentModel) -> None:
    texts = pd.read_csv(DATA / "weibo_emotions_42.csv", dtype=str, keep_default_na=False)["text"]
    scores = model.score(texts.tolist())
    assert ((scores > 0) & (scores < 1)).all()
    proba = model.predict_proba(["很好"])
    assert proba.shape == (1, 2) and abs(proba.sum() - 1.0) < 1e-9


def test_model_unfitted_raises_clear_error() -> None:
    with pytest.raises(NotFittedError, match="not fitted"):
        SentimentModel().score(["好"])


def _tiny_data() -> tuple[list[str], np.ndarray]:
    frame = pd.read_csv(DATA / "chnsenticorp_validation_head40.csv", dtype=str)
    return frame["text"].tolist(), frame["label"].astype(int).to_numpy()


def test_model_fit_save_load_round_trip(tmp_path: Path) -> None:
    texts, labels = _tiny_data()
    fitted = SentimentModel(config=FeatureConfig(n_features=2**14), c=1.0).fit(texts, labels)
    path = fitted.save(tmp_path / "m.safetensors", info={"note": "测试"})
    loaded = SentimentModel.load(path)
    assert np.allclose(loaded.score(texts), fitted.score(texts))
    assert loaded.info_ == {"note": "测试"} and loaded.config == fitted.config
    again = SentimentModel(config=FeatureConfig(n_features=2**14), c=1.0).fit(texts, labels)
    same = again.save(tmp_path / "m2.safetensors", info={"note": "测试"})
    assert same.read_bytes() == path.read_bytes()  # training is deterministic


def test_model_idf_weighs_rare_features_more_and_plain_binary_still_loads(tmp_path: Path) -> None:
    texts, labels = _tiny_data()
    config = FeatureConfig(n_features=2**14)
    weighted = SentimentModel(config=config, c=1.0).fit(texts, labels)
    plain = SentimentModel(config=config, c=1.0, use_idf=False).fit(texts, labels)
    assert plain.idf_ is None and weighted.idf_.shape == (2**14,)
    assert weighted.idf_.min() >= 1.0 and weighted.idf_.max() > 3.0  # unseen columns weigh most
    loaded = SentimentModel.load(plain.save(tmp_path / "plain.safetensors"))
    assert loaded.idf_ is None and np.allclose(loaded.score(texts), plain.score(texts))
    assert not np.allclose(weighted.score(texts), plain.score(texts))


def test_model_without_calibration_folds_skips_platt() -> None:
    texts, labels = _tiny_data()
    quick = SentimentModel(config=FeatureConfig(n_features=2**14), calibration_folds=0).fit(texts, labels)
    assert quick.platt_ == (1.0, 0.0)
    assert np.allclose(quick.score(texts), 1 / (1 + np.exp(-quick.decision_function(texts))))


def test_carve_validation_is_disjoint_and_stable() -> None:
    from opinion.sentiment.datasets import carve_validation

    rows = pd.DataFrame({"key": [f"评论{i}" for i in range(400)] + ["评论1"], "label": 1})
    fit, validation = carve_validation(rows)
    again_fit, again_validation = carve_validation(rows)
    assert set(fit["key"]).isdisjoint(validation["key"])  # the copy of 评论1 stays on one side
    assert len(fit) + len(validation) == 401 and 30 < len(validation) < 100
    assert validation["key"].tolist() == again_validation["key"].tolist()


def test_model_load_errors_name_the_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="opinion sentiment train"):
        SentimentModel.load(tmp_path / "missing.safetensors")
    bad = tmp_path / "bad.safetensors"
    bad.write_bytes(b"not a model")
    with pytest.raises(InputError, match="bad.safetensors"):
        SentimentModel.load(bad)


def _write_tiny_sets(folder: Path) -> None:
    """The six shared file names, filled with the real rows of the test samples."""
    reviews = pd.read_csv(DATA / "chnsenticorp_validation_head40.csv", dtype=str)
    weibo = pd.read_csv(DATA / "weibo_emotions_42.csv", dtype=str, keep_default_na=False)
    reviews.iloc[:20].to_csv(folder / "chnsenticorp_train.csv", index=False)
    reviews.iloc[20:].to_csv(folder / "chnsenticorp_validation.csv", index=False)
    renamed = reviews.rename(columns={"text": "review"})[["label", "review"]]
    renamed.to_csv(folder / "ChnSentiCorp_htl_all.csv", index=False)  # duplicates of both
    renamed.to_csv(folder / "waimai_10k.csv", index=False)
    renamed.assign(cat="酒店")[["cat", "label", "review"]].to_csv(
        folder / "online_shopping_10_cats.csv", index=False)
    weibo.to_csv(folder / "weibo_emotions_train.csv", index=False)


def test_train_model_deduplicates_and_holds_out(tmp_path: Path) -> None:
    from opinion.sentiment.datasets import load_splits
    from opinion.sentiment.train import train_model

    _write_tiny_sets(tmp_path)
    splits = load_splits(tmp_path)
    held = set().union(*(set(f["key"]) for f in splits.heldout.values()))
    assert held.isdisjoint(splits.train["key"])
    assert splits.train["key"].is_unique
    assert len(splits.heldout["chnsenticorp_validation"]) == 20
    assert "" not in set(splits.heldout["weibo_emotions"]["label"].astype(str))  # surprise dropped
    report = train_model(tmp_path, out=tmp_path / "model.safetensors",
                         config=FeatureConfig(n_features=2**14))
    assert report.n_train == len(splits.train)
    assert SentimentModel.load(report.path).n_train_ == report.n_train
    assert "held-out chnsenticorp_validation" in str(report)


def test_cli_train_writes_a_loadable_model(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from opinion.cli import app

    _write_tiny_sets(tmp_path)
    out = tmp_path / "out" / "model.safetensors"
    result = CliRunner().invoke(app, ["sentiment", "train", "--data-dir", str(tmp_path),
                                      "--out", str(out), "--c", "2"])
    assert result.exit_code == 0, result.output
    assert "held-out weibo_emotions" in result.output
    assert SentimentModel.load(out).c == 2.0
    missing = CliRunner().invoke(app, ["sentiment", "train", "--data-dir", str(tmp_path / "none")])
    assert missing.exit_code == 1 and "--data-dir" in missing.output
