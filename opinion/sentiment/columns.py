"""The sentiment stage's columns from the model's probabilities: labels by argmax or by a
neutral band, and one probability column per polarity and per emotion.

Example:
    >>> label_scores(np.array([0.1, 0.5, 0.9]), (0.4, 0.6)).tolist()
    ['negative', 'neutral', 'positive']
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from opinion.schema import (
    EMOTION_LABEL,
    EMOTION_PROB_PREFIX,
    SENTIMENT_LABEL,
    SENTIMENT_PROB_PREFIX,
    SENTIMENT_SCORE,
)
from opinion.sentiment.datasets import EMOTIONS, POLARITIES


def label_scores(scores: np.ndarray, band: tuple[float, float]) -> np.ndarray:
    """``negative`` below ``band[0]``, ``positive`` above ``band[1]``, else ``neutral``; null stays null.

    >>> label_scores(np.array([0.1, 0.5, 0.9, np.nan]), (0.4, 0.6)).tolist()
    ['negative', 'neutral', 'positive', None]
    """
    scores = np.asarray(scores, dtype=np.float64)
    labels = np.where(scores < band[0], "negative", np.where(scores > band[1], "positive", "neutral"))
    out = labels.astype(object)
    out[np.isnan(scores)] = None
    return out


def band_labels(probs: np.ndarray, band: tuple[float, float]) -> np.ndarray:
    """Labels from the band on P(positive) + P(neutral)/2 of (n, 3) negative/neutral/positive rows.

    >>> band_labels(np.array([[0.1, 0.8, 0.1], [0.7, 0.1, 0.2]]), (0.4, 0.6)).tolist()
    ['neutral', 'negative']
    """
    return label_scores(probs[:, 2] + probs[:, 1] / 2, band)


def argmax_labels(probs: np.ndarray, classes: tuple[str, ...]) -> np.ndarray:
    """The most probable class per row; rows of NaN give None."""
    out = np.asarray(classes, dtype=object)[np.nan_to_num(probs, nan=0).argmax(axis=1)]
    out[np.isnan(probs).any(axis=1)] = None
    return out


def non_empty(texts: Sequence[str]) -> list[int]:
    """Positions of the texts with something to score (not None, not only whitespace)."""
    return [i for i, t in enumerate(texts) if isinstance(t, str) and t.strip()]


def model_columns(model: Any, texts: Sequence[str], neutral_band: tuple[float, float] | None) -> pd.DataFrame:
    """Score, label, class probabilities and emotions of Simplified ``texts`` from ``model``
    (a :class:`~opinion.sentiment.model.SentimentModel`); one feature extraction serves both
    heads; empty texts get nulls. ``neutral_band``: None labels by the most probable class."""
    keep = non_empty(texts)
    probs = {"polarity": np.full((len(texts), len(POLARITIES)), np.nan),
             "emotion": np.full((len(texts), len(EMOTIONS)), np.nan)}
    if keep:
        for head, values in model.predict_proba_all([texts[i] for i in keep]).items():
            probs[head][keep] = values[:, [model.classes(head).index(c) for c in
                                           (POLARITIES if head == "polarity" else EMOTIONS)]]
    polarity = probs["polarity"]
    scores = polarity[:, POLARITIES.index("positive")]
    labels = argmax_labels(polarity, POLARITIES) if neutral_band is None else band_labels(polarity, neutral_band)
    labels[np.isnan(scores)] = None
    columns: dict[str, Any] = {SENTIMENT_SCORE: scores, SENTIMENT_LABEL: labels}
    columns |= {SENTIMENT_PROB_PREFIX + c: polarity[:, j] for j, c in enumerate(POLARITIES)}
    columns[EMOTION_LABEL] = argmax_labels(probs["emotion"], EMOTIONS)
    columns |= {EMOTION_PROB_PREFIX + e: probs["emotion"][:, j] for j, e in enumerate(EMOTIONS)}
    return pd.DataFrame(columns)
