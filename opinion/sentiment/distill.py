"""Soft labels from the e5 teacher, for training the fast model on gold + teacher rows.

``tools/e5_soft_labels.py`` writes parquet chunks (``part-*.parquet``: ``text``, ``key``,
``polarity_<class>``, ``emotion_<class>``) of unlabelled posts scored by the teacher.
:func:`read_soft` reads them back, :func:`with_soft` adds them to each head's gold rows:
every post enters once per class with weight ``λ × P(class)`` (classes under 2 % left
out), which is the cross-entropy against the teacher's distribution.

Example:
    >>> import numpy as np, pandas as pd
    >>> gold = {"polarity": HeadData(["好"], ["positive"], np.ones(1), ("negative", "positive"))}
    >>> soft = pd.DataFrame({"text": ["差"], "polarity_negative": [0.9], "polarity_positive": [0.1]})
    >>> out = with_soft(gold, soft, 0.5)["polarity"]
    >>> out.labels, out.weights.round(2).tolist()
    (['positive', 'negative', 'positive'], [1.0, 0.45, 0.05])
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from opinion.errors import InputError
from opinion.sentiment.model import HeadData

if TYPE_CHECKING:
    import pandas as pd

MIN_PROB = 0.02  # a class under this teacher probability adds no row


def read_soft(folders: Sequence[str | Path], *, drop_keys: Iterable[str] = ()) -> pd.DataFrame:
    """Every chunk written into ``folders``, one row per post, in a fixed order.

    Posts whose ``key`` (:func:`opinion.sentiment.datasets.dedup_key`) is in ``drop_keys``
    (labelled or validation rows) are left out, so a post is never both gold and soft.
    """
    import pandas as pd

    parts = sorted(p for folder in folders for p in Path(folder).glob("part-*.parquet"))
    if not parts:
        names = ", ".join(map(str, folders))
        raise InputError(f"{names}: no part-*.parquet soft-label chunks; write them with "
                         "tools/e5_soft_labels.py")
    soft = pd.concat([pd.read_parquet(p) for p in parts], ignore_index=True)
    soft = soft.drop_duplicates("key").sort_values("key", kind="stable", ignore_index=True)
    return without_keys(soft, drop_keys)


def without_keys(soft: pd.DataFrame, keys: Iterable[str]) -> pd.DataFrame:
    """``soft`` without the posts whose ``key`` is in ``keys`` (order kept)."""
    drop = set(keys)
    return soft[~soft["key"].isin(drop)].reset_index(drop=True) if drop else soft


def soft_digest(soft: pd.DataFrame) -> str:
    """SHA-256 of the soft rows' keys and probabilities (recorded in the model's metadata)."""
    digest = hashlib.sha256()
    for column in soft.columns:
        values = soft[column].to_numpy()
        digest.update(column.encode())
        digest.update("\x00".join(map(str, values)).encode() if values.dtype == object
                      else np.ascontiguousarray(values).tobytes())
    return digest.hexdigest()


def with_soft(heads: dict[str, HeadData], soft: pd.DataFrame, weight: float) -> dict[str, HeadData]:
    """Each head's gold rows plus one row per (post, class) weighted ``weight × P(class)``."""
    out = {}
    for task, data in heads.items():
        columns = [f"{task}_{c}" for c in data.classes]
        missing = [c for c in columns if c not in soft.columns]
        if missing:
            raise InputError(f"soft labels lack the columns {missing}; write them again with "
                             "tools/e5_soft_labels.py")
        probs = soft[columns].to_numpy(np.float64)
        rows, cols = np.nonzero(probs >= MIN_PROB)
        texts = soft["text"].to_numpy()[rows].tolist()
        gold_weights = data.weights if data.weights is not None else np.ones(len(data.texts))
        out[task] = HeadData([*data.texts, *texts], [*data.labels, *(data.classes[c] for c in cols)],
                             np.concatenate([gold_weights, weight * probs[rows, cols]]), data.classes)
    return out
