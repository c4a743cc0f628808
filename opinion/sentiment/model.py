"""The trained sentiment model: a linear classifier on idf-weighted hashed features, Platt-calibrated.

The artifact is one ``.safetensors`` file: the coefficient and idf vectors (float32) plus, in its
metadata, the feature settings (JSON), the intercept and the two Platt parameters. Loading
it runs no code from the file (no pickle) and takes milliseconds.

Example:
    >>> model = load_default_model()
    >>> [bool(p > 0.5) for p in model.score(["物流很快，质量很好", "太差了，再也不买了"])]
    [True, False]
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from opinion.errors import InputError
from opinion.sentiment.features import (
    FeatureConfig, FeatureHasher, idf_weights, weigh_and_normalise,
)

MODEL_FORMAT = "opinion-sentiment-linear/2"
# Files of the first format (no idf tensor: plain binary features) still load.
READABLE_FORMATS = ("opinion-sentiment-linear/1", MODEL_FORMAT)


def default_model_path() -> Path:
    """The shipped model, ``opinion/resources/sentiment/model.safetensors``."""
    return Path(str(resources.files("opinion.resources"))) / "sentiment" / "model.safetensors"


class NotFittedError(InputError):
    """The model was used before :meth:`SentimentModel.fit` or :meth:`SentimentModel.load`."""


class SentimentModel:
    """Logistic regression on :mod:`opinion.sentiment.features`, with Platt calibration.

    Each binary feature is weighted by its idf on the training texts (``idf_``) before the
    row is scaled to length 1; ``use_idf=False`` keeps plain binary features.
    ``calibration_folds=0`` skips the Platt step (for quick hyper-parameter searches).

    Follows the scikit-learn contract: ``__init__`` stores options, :meth:`fit` returns
    ``self``, learned attributes end in ``_``.
    """

    def __init__(self, *, config: FeatureConfig | None = None, c: float = 8.0,
                 calibration_folds: int = 3, use_idf: bool = True) -> None:
        self.config = config or FeatureConfig()
        self.c = c
        self.use_idf = use_idf
        self.calibration_folds = calibration_folds

    # -- fitting -----------------------------------------------------------------
    def fit(self, texts: Sequence[str], labels: Sequence[int], *,
            sample_weight: np.ndarray | None = None) -> SentimentModel:
        """Fit on Simplified ``texts`` with labels 1 (positive) / 0 (negative)."""
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import StratifiedKFold, cross_val_predict

        counts = FeatureHasher(self.config).binary_counts(texts)
        self.idf_ = idf_weights(counts) if self.use_idf else None
        X = weigh_and_normalise(counts, self.idf_)
        y = np.asarray(labels, dtype=np.int64)
        classifier = LogisticRegression(C=self.c, solver="liblinear", random_state=0)
        fit_params = {"sample_weight": sample_weight} if sample_weight is not None else None
        self.platt_ = (1.0, 0.0)  # calibration_folds=0: raw logistic scores (quick tuning)
        if self.calibration_folds:
            # Platt scaling on out-of-fold decision values, so calibration is not optimistic.
            folds = StratifiedKFold(self.calibration_folds, shuffle=True, random_state=0)
            margins = cross_val_predict(classifier, X, y, cv=folds, method="decision_function",
                                        params=fit_params)
            platt = LogisticRegression(C=1e6, solver="lbfgs").fit(margins.reshape(-1, 1), y)
            self.platt_ = (float(platt.coef_[0, 0]), float(platt.intercept_[0]))
        classifier.fit(X, y, sample_weight=sample_weight)
        self.coef_ = classifier.coef_.ravel().astype(np.float32)
        self.intercept_ = float(classifier.intercept_[0])
        self.n_train_ = int(len(y))
        return self

    def _check_fitted(self) -> None:
        if not hasattr(self, "coef_"):
            raise NotFittedError("this SentimentModel is not fitted yet; call fit() or "
                                 "SentimentModel.load(path) first")

    # -- predicting --------------------------------------------------------------
    def decision_function(self, texts: Sequence[str]) -> np.ndarray:
        """Raw margins (positive means positive sentiment)."""
        self._check_fitted()
        X = FeatureHasher(self.config).transform(texts, idf=getattr(self, "idf_", None))
        return np.asarray(X @ self.coef_, dtype=np.float64) + self.intercept_

    def score(self, texts: Sequence[str]) -> np.ndarray:
        """Calibrated probability of positive for each Simplified text, 0..1."""
        a, b = self.platt_ if hasattr(self, "platt_") else (1.0, 0.0)
        margins = self.decision_function(texts)
        return 1.0 / (1.0 + np.exp(-(a * margins + b)))

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """scikit-learn style: columns P(negative), P(positive)."""
        positive = self.score(texts)
        return np.column_stack([1.0 - positive, positive])

    # -- persistence -------------------------------------------------------------
    def save(self, path: str | Path, *, info: dict[str, Any] | None = None) -> Path:
        """Write the model as one safetensors file (no pickle); ``info`` goes to its metadata."""
        from safetensors.numpy import save_file

        from opinion.io.atomic import atomic_path

        self._check_fitted()
        # One metadata key holding sorted JSON: safetensors writes several keys in a
        # varying order, and the same model must give the same bytes.
        metadata = {"opinion": json.dumps({
            "format": MODEL_FORMAT,
            "feature_config": self.config.to_dict(),
            "intercept": self.intercept_,
            "platt": list(self.platt_),
            "c": self.c,
            "n_train": self.n_train_,
            "info": info or {},
        }, ensure_ascii=False, sort_keys=True)}
        path = Path(path)
        with atomic_path(path) as tmp:
            tensors = {"coef": self.coef_}
            if self.idf_ is not None:
                tensors["idf"] = self.idf_
            save_file(tensors, str(tmp), metadata=metadata)
        return path

    @classmethod
    def load(cls, path: str | Path) -> SentimentModel:
        """Read a model written by :meth:`save`."""
        from safetensors import safe_open

        path = Path(path)
        if not path.exists():
            raise InputError(f"{path}: no sentiment model there; build one with "
                             f"`opinion sentiment train --out {path}`")
        try:
            with safe_open(str(path), framework="numpy") as fh:
                metadata = fh.metadata() or {}
                coef = fh.get_tensor("coef")
                idf = fh.get_tensor("idf") if "idf" in fh.keys() else None
        except Exception as exc:  # safetensors raises its own error types
            raise InputError(f"{path}: not a sentiment model file ({exc})") from exc
        try:
            meta = json.loads(metadata["opinion"])
        except (KeyError, json.JSONDecodeError):
            meta = {}
        if meta.get("format") not in READABLE_FORMATS:
            raise InputError(f"{path}: format {meta.get('format')!r}, expected {MODEL_FORMAT!r}; "
                             "rebuild it with `opinion sentiment train`")
        config = FeatureConfig.from_dict(meta["feature_config"])
        model = cls(config=config, c=float(meta["c"]), use_idf=idf is not None)
        model.coef_ = coef.astype(np.float32, copy=False)
        model.idf_ = None if idf is None else idf.astype(np.float32, copy=False)
        model.intercept_ = float(meta["intercept"])
        model.platt_ = tuple(meta["platt"])
        model.n_train_ = int(meta["n_train"])
        model.info_ = meta["info"]
        if coef.shape != (config.n_features,) or (idf is not None and idf.shape != coef.shape):
            raise InputError(f"{path}: {coef.shape[0]} coefficients for {config.n_features} features")
        return model


@functools.lru_cache(maxsize=4)
def load_model(path: str | None = None) -> SentimentModel:
    """The model at ``path`` (default: the shipped one), loaded once per process."""
    return SentimentModel.load(path or default_model_path())


def load_default_model() -> SentimentModel:
    """The shipped model (cached)."""
    return load_model(None)
