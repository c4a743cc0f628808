"""Rebuild the shipped sentiment model from every labelled set.

``opinion sentiment train --data-dir ../shared/data/sentiment`` runs :func:`train_model`:
read every set, map its labels (:mod:`opinion.sentiment.datasets`), deduplicate across
sets, fit the polarity and emotion heads of :class:`~opinion.sentiment.model.SentimentModel`
on **all** rows, and write the artifact (default: the shipped resource). The settings were
chosen on validation splits (``benchmarks/sentiment_eval.py``); the same data give the same
file, byte for byte.

Example:
    >>> report = train_model("../shared/data/sentiment", out="model.safetensors")  # doctest: +SKIP
    >>> report.n_train["emotion"]  # doctest: +SKIP
    45526
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from opinion.sentiment.datasets import SOURCES_BY_FILE, TASK_CLASSES, load_rows, task_rows
from opinion.sentiment.features import FeatureConfig
from opinion.sentiment.model import CharMix, HeadData, SentimentModel, default_model_path

# Chosen on the validation splits (benchmarks/sentiment_eval.py, docs/sentiment.md).
# Rows of the smaller, in-domain sets count more, so that 60k shopping reviews do not
# drown 6k news items; noisy sets (hashtag-chosen or undocumented labels) count less.
TRAIN_SETTINGS: dict[str, Any] = {
    "config": FeatureConfig(lexicon=True),
    "c": {"polarity": 8.0, "emotion": 8.0},
    "source_weights": {
        "news_sentiment_ccf_bdci2019_truncated.csv": 3.0,
        "chnsenticorp_train.csv": 2.0,
        "chnsenticorp_validation.csv": 2.0,
        "ChnSentiCorp_htl_all.csv": 2.0,
        "weibo_emotion_smp2020_ewect.csv": 2.0,
        "weibo_emotions_train.csv": 2.0,
    },
    "noisy_weight": 0.5,
    # The plain baseline's character model (1-3-grams of the whole text, punctuation included;
    # gold polarity rows, unweighted) averaged into the polarity of texts of at most 140
    # characters (CharMix); weight 0 turns it off. Chosen with benchmarks/e5_distill.py
    # --char-mix on the validation splits by mean macro-F1: 0.65 over 0.5, and 0.5 over 0.35
    # in an earlier run (docs/sentiment.md, "Round 5").
    "char_mix": {"weight": 0.65, "max_chars": 140, "c": 1.0, "n_features": 2**19, "max_iter": 1000},
}


def head_data(rows: pd.DataFrame, settings: dict[str, Any]) -> dict[str, HeadData]:
    """Training rows of each head with their weights (sources with weight 0 are left out)."""
    heads = {}
    for task, classes in TASK_CLASSES.items():
        frame = task_rows(rows, task)
        weights = frame["source"].map(lambda s: _weight(s, settings)).to_numpy(np.float64)
        weights *= np.where(frame["label"] == "neutral", settings.get("neutral_weight", 1.0), 1.0)
        keep = weights > 0
        frame = frame[keep]
        heads[task] = HeadData(frame["text"].tolist(), frame["label"].tolist(), weights[keep],
                               classes)
    return heads


def fit_char_model(rows: pd.DataFrame, settings: dict[str, Any]) -> tuple[SentimentModel, CharMix] | None:
    """The character n-gram polarity model of ``settings["char_mix"]`` fitted on the gold
    polarity rows of ``rows`` (every row weight 1), or ``None`` when the settings have none."""
    spec = settings.get("char_mix")
    if not spec or not spec["weight"]:
        return None
    frame = task_rows(rows, "polarity")
    head = HeadData(frame["text"].tolist(), frame["label"].tolist(), None, TASK_CLASSES["polarity"])
    model = SentimentModel(config=char_config(spec), c={"polarity": float(spec["c"])},
                           max_iter=int(spec.get("max_iter", 100)),
                           nb_beta={"polarity": float(spec.get("nb_beta", 0.0))})
    return (model.fit({"polarity": head}),
            CharMix(weight=float(spec["weight"]), max_chars=int(spec["max_chars"])))


def char_config(spec: dict[str, Any]) -> FeatureConfig:
    """The plain baseline's features: character 1-3-grams of the whole text, punctuation included."""
    return FeatureConfig(char_ngram_max=3, word_ngrams=False, negation_scope=0, lexicon=False,
                         raw_char_ngrams=True, n_features=int(spec["n_features"]))


def _weight(source: str, settings: dict[str, Any]) -> float:
    weight = float(settings["source_weights"].get(source, 1.0))
    spec = SOURCES_BY_FILE.get(source)
    return weight * settings["noisy_weight"] if spec is not None and spec.noisy else weight


@dataclass
class TrainReport:
    """What :func:`train_model` did."""

    path: Path
    n_train: dict[str, int]  # labelled texts per head (soft-labelled posts counted apart)
    train_sources: dict[str, dict[str, int]] = field(default_factory=dict)
    seconds: float = 0.0
    soft_posts: int = 0  # teacher-labelled posts added (each once per likely class)

    def __str__(self) -> str:
        lines = [f"wrote {self.path} ({self.path.stat().st_size / 1e6:.1f} MB) in {self.seconds:.0f} s"]
        for head, n in self.n_train.items():
            lines.append(f"  {head}: {n:,} training texts")
            lines += [f"    {name}: {count:,}" for name, count in self.train_sources[head].items()]
        if self.soft_posts:
            lines.append(f"  + {self.soft_posts:,} soft-labelled posts in both heads (once per class "
                         "the teacher gives ≥ 2 %)")
        return "\n".join(lines)


def write_seen_texts(rows: pd.DataFrame, soft_rows: pd.DataFrame | None, model_path: str | Path) -> Path:
    """Beside the model, the filter of every text it was trained on (labelled rows and
    soft-labelled posts), which ``opinion sentiment evaluate`` reads (:mod:`opinion.sentiment.seen`)."""
    from opinion.sentiment.seen import SeenTexts, seen_path

    keys = [*rows["key"], *(soft_rows["key"] if soft_rows is not None else [])]
    return SeenTexts.from_keys(keys).save(seen_path(model_path))


def train_model(data_dir: str | Path, *, out: str | Path | None = None,
                settings: dict[str, Any] | None = None, workers: int = 1,
                soft: Sequence[str | Path] = (), soft_weight: float = 0.5) -> TrainReport:
    """Fit both heads on every row of ``data_dir`` and save the model to ``out``.

    ``workers`` processes hash the texts and fit the two heads side by side (same file).
    ``soft``: folders of the e5 teacher's soft labels (``tools/e5_soft_labels.py``), added
    to the gold rows with weight ``soft_weight × P(class)`` (:mod:`opinion.sentiment.distill`).
    """
    started = time.perf_counter()
    settings = {**TRAIN_SETTINGS, **(settings or {})}
    rows = load_rows(data_dir)
    heads = head_data(rows, settings)
    labelled = {task: len(data.texts) for task, data in heads.items()}  # before the soft rows
    soft_info: dict[str, Any] = {}
    soft_posts = 0
    soft_rows: pd.DataFrame | None = None
    if soft:
        from opinion.sentiment.distill import read_soft, soft_digest, with_soft

        soft_rows = read_soft(soft, drop_keys=rows["key"])
        heads = with_soft(heads, soft_rows, soft_weight)
        soft_posts = len(soft_rows)
        soft_info = {"soft_labels": {"posts": soft_posts, "weight": soft_weight,
                                     "sha256": soft_digest(soft_rows)}}
    model = SentimentModel(config=settings["config"], c=settings["c"]).fit(heads, workers=workers)
    char = fit_char_model(rows, settings)
    if char is not None:
        model.char_model_, model.char_mix_ = char
    sources = {}
    for task in heads:
        counts = task_rows(rows, task)["source"].value_counts().sort_index()
        sources[task] = {str(k): int(v) for k, v in counts.items()}
    info = {"train_sources": sources, "source_weights": settings["source_weights"],
            "noisy_weight": settings["noisy_weight"], **soft_info}
    if settings.get("neutral_weight", 1.0) != 1.0:
        info["neutral_weight"] = settings["neutral_weight"]
    path = model.save(out or default_model_path(), info=info)
    write_seen_texts(rows, soft_rows, path)
    return TrainReport(path=Path(path), n_train=labelled, train_sources=sources,
                       seconds=time.perf_counter() - started, soft_posts=soft_posts)
