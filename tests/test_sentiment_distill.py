"""Soft labels from the teacher: reading the chunks, weighting them, training on them."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from opinion.errors import InputError
from opinion.sentiment.datasets import TASK_CLASSES, dedup_key
from opinion.sentiment.distill import read_soft, soft_digest, with_soft
from opinion.sentiment.features import FeatureConfig
from opinion.sentiment.model import HeadData, SentimentModel

# Real posts from the 620k COVID-19 Weibo corpus (the kind tools/e5_soft_labels.py scores).
POSTS = ["武汉加油！致敬一线的医护人员[心]", "口罩到现在还买不到，太难了[泪]",
         "今天新增确诊病例公布了", "武汉加油！致敬一线的医护人员[心]"]


def write_chunk(folder: Path, texts: list[str], name: str = "part-00000.parquet") -> None:
    folder.mkdir(parents=True, exist_ok=True)
    frame = pd.DataFrame({"text": texts, "key": [dedup_key(t) for t in texts]})
    rng = np.random.default_rng(len(texts))
    for task, classes in TASK_CLASSES.items():
        probs = rng.dirichlet(np.ones(len(classes)), size=len(texts))
        for j, label in enumerate(classes):
            frame[f"{task}_{label}"] = probs[:, j].astype(np.float32)
    frame.to_parquet(folder / name, index=False)


def test_read_soft_drops_copies_and_labelled_keys(tmp_path: Path) -> None:
    write_chunk(tmp_path / "weibo", POSTS)
    soft = read_soft([tmp_path / "weibo"])
    assert len(soft) == 3  # the repeated post once
    labelled = {dedup_key(POSTS[2])}
    assert POSTS[2] not in set(read_soft([tmp_path / "weibo"], drop_keys=labelled)["text"])
    assert soft_digest(soft) == soft_digest(read_soft([tmp_path / "weibo"]))
    with pytest.raises(InputError, match="e5_soft_labels"):
        read_soft([tmp_path / "empty"])


def test_with_soft_adds_weighted_rows_per_class() -> None:
    gold = {"polarity": HeadData(["服务很好"], ["positive"], np.ones(1),
                                 ("negative", "neutral", "positive"))}
    soft = pd.DataFrame({"text": ["太难了"], "polarity_negative": [0.90],
                         "polarity_neutral": [0.09], "polarity_positive": [0.01]})
    out = with_soft(gold, soft, 0.5)["polarity"]
    assert out.labels == ["positive", "negative", "neutral"]  # 0.01 < 2 %: no row
    assert out.weights.round(3).tolist() == [1.0, 0.45, 0.045]
    with pytest.raises(InputError, match="lack the columns"):
        with_soft({"emotion": HeadData(["好"], ["neutral"], None, ("neutral",))}, soft, 0.5)


def test_train_model_with_soft_labels_records_them_and_repeats(tmp_path: Path) -> None:
    from test_sentiment_datasets import write_tiny_sets

    from opinion.sentiment.train import train_model

    write_tiny_sets(tmp_path / "data")
    write_chunk(tmp_path / "soft", POSTS)
    settings = {"config": FeatureConfig(n_features=2**14)}
    plain = train_model(tmp_path / "data", out=tmp_path / "plain.safetensors", settings=settings)
    soft = train_model(tmp_path / "data", out=tmp_path / "a.safetensors", settings=settings,
                       soft=[tmp_path / "soft"], soft_weight=0.5)
    again = train_model(tmp_path / "data", out=tmp_path / "b.safetensors", settings=settings,
                        soft=[tmp_path / "soft"], soft_weight=0.5)
    assert again.path.read_bytes() == soft.path.read_bytes()
    assert soft.path.read_bytes() != plain.path.read_bytes()
    # the report counts labelled texts; the soft posts are a line of their own
    assert soft.n_train == plain.n_train
    assert SentimentModel.load(soft.path).n_train_["polarity"] > plain.n_train["polarity"]
    info = SentimentModel.load(soft.path).info_
    assert info["soft_labels"]["posts"] == 3 and info["soft_labels"]["weight"] == 0.5
    assert "3 soft-labelled posts" in str(soft) and "soft-labelled" not in str(plain)
