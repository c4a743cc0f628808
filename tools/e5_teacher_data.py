"""Labelled rows for the e5 teacher: read the shared sets, map labels, deduplicate, split.

Every set in ``../shared/data/sentiment`` is read into rows of (text, key, polarity,
emotion), with -1 where a set has no such label:

- polarity is three-way: negative 0, neutral 1, positive 2 (``label`` 0/1 of the review
  sets, the words of the news and ECISA sets, the ``polarity`` column of emotion sets);
- emotion is SMP2020-EWECT's six: happiness, anger, sadness, fear, surprise, neutral.
  NLPCC-style labels are folded in: like -> happiness, disgust -> anger, none -> neutral.

Copies are found by :func:`opinion.sentiment.datasets.dedup_key` (Simplified, NFKC, no
punctuation); copies with different labels keep no label for that task. Validation rows
are carved by :func:`opinion.sentiment.datasets.split_validation` (a salted hash of the
key with each set's share, so copies fall on one side, and the same split the shipped
linear models are validated on).

    >>> rows = read_set(Path("chnsenticorp_train.csv"))  # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from opinion.errors import InputError
from opinion.sentiment.datasets import dedup_key, split_validation
from opinion.sentiment.features import to_simplified

POLARITY = ("negative", "neutral", "positive")
EMOTIONS = ("happiness", "anger", "sadness", "fear", "surprise", "neutral")
EMOTION_MAP = {**{e: e for e in EMOTIONS}, "like": "happiness", "disgust": "anger", "none": "neutral"}
POLARITY_MAP = {"0": 0, "negative": 0, "neutral": 1, "1": 2, "positive": 2}


def read_set(path: Path) -> pd.DataFrame:
    """One labelled CSV as columns text, key, polarity, emotion, source (-1 = no label)."""
    if not path.exists():
        raise InputError(f"{path}: missing; pass --data-dir pointing at the shared sentiment sets")
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    text_col = next((c for c in ("text", "review") if c in df.columns), None)
    if text_col is None:
        raise InputError(f"{path}: no 'text' or 'review' column; found {list(df.columns)}")
    label = df["label"] if "label" in df.columns else pd.Series("", index=df.index)
    emotion_col = df["emotion"] if "emotion" in df.columns else label
    is_emotion_set = emotion_col.isin(list(EMOTION_MAP)).mean() > 0.5
    polarity_col = df["polarity"] if "polarity" in df.columns else label
    polarity = polarity_col.map(POLARITY_MAP).fillna(-1).astype(int)
    emotion = (emotion_col.map(EMOTION_MAP).map({e: i for i, e in enumerate(EMOTIONS)})
               .fillna(-1).astype(int) if is_emotion_set else pd.Series(-1, index=df.index))
    text = df[text_col].str.replace("\ufeff", "", regex=False).map(to_simplified)
    out = pd.DataFrame({"text": text.to_numpy(), "polarity": polarity.to_numpy(),
                        "emotion": emotion.to_numpy(), "source": path.name})
    out["key"] = out["text"].map(dedup_key)
    keep = (out["key"] != "") & ((out["polarity"] >= 0) | (out["emotion"] >= 0))
    return out[keep].reset_index(drop=True)


def _agreed(values: pd.Series) -> int:
    labels = set(values[values >= 0])
    return labels.pop() if len(labels) == 1 else -1


def merge_copies(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per key; a task's label survives only where every copy agrees."""
    first = rows.drop_duplicates("key").set_index("key")
    grouped = rows.groupby("key", sort=False)
    for task in ("polarity", "emotion"):
        first[task] = grouped[task].agg(_agreed)
    first = first.reset_index()
    return first[(first["polarity"] >= 0) | (first["emotion"] >= 0)].reset_index(drop=True)


def load_rows(data_dir: Path, sets: list[str], *, exclude: list[str] = ()) -> pd.DataFrame:
    """Read, deduplicate across ``sets``, and drop every key found in the ``exclude`` sets."""
    rows = merge_copies(pd.concat([read_set(data_dir / name) for name in sets], ignore_index=True))
    held = set()
    for name in exclude:
        if (data_dir / name).exists():
            held |= set(read_set(data_dir / name)["key"])
    return rows[~rows["key"].isin(held)].reset_index(drop=True)


def cap_per_source(rows: pd.DataFrame, cap: int | None, seed: int) -> pd.DataFrame:
    """At most ``cap`` seeded rows of each source (a balanced sample; None keeps all)."""
    if not cap:
        return rows
    rng = np.random.default_rng(seed)
    keep = [np.sort(rng.permutation(idx)[:cap]) for _, idx in
            sorted(rows.groupby("source").indices.items())]
    return rows.iloc[np.sort(np.concatenate(keep))].reset_index(drop=True)


def split_rows(rows: pd.DataFrame, *, fraction: float, limit: int | None, seed: int,
               per_set: int | None = None, validation_per_set: int | None = None
               ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(fit, validation) by key hash, the shipped models' split; ``limit`` keeps a seeded
    sample of ``limit`` fit rows and ``fraction`` of that for validation; ``per_set`` and
    ``validation_per_set`` cap each source's fit and validation rows (a balanced sample)."""
    fit, validation = split_validation(rows)
    fit = cap_per_source(fit, per_set, seed)
    validation = cap_per_source(validation, validation_per_set, seed)
    if limit:
        rng = np.random.default_rng(seed)
        n_val = max(1, round(limit * fraction / (1 - fraction)))
        fit = fit.iloc[np.sort(rng.permutation(len(fit))[:limit])].reset_index(drop=True)
        validation = validation.iloc[np.sort(rng.permutation(len(validation))[:n_val])]
    return fit, validation.reset_index(drop=True)
