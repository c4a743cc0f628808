"""The trained sentiment model: linear heads (polarity, emotion) on shared idf-weighted hashed features.

One feature extraction serves every head: a text's hashed features (:mod:`opinion.sentiment.features`)
are weighted by their idf, scaled to length 1, and multiplied by each head's coefficient
matrix; a softmax gives the class probabilities. Heads are multinomial logistic
regressions: ``polarity`` (negative / neutral / positive) and ``emotion`` (happiness,
anger, sadness, fear, surprise, neutral). Long texts are scored by their lead and their
sentences (:class:`LongTextRule`).

The artifact is one ``.safetensors`` file: the idf vector, one coefficient matrix and one
intercept vector per head, and a JSON metadata entry (feature settings, classes, training
record). Loading it runs no code from the file (no pickle).

Example:
    >>> model = load_default_model()
    >>> model.predict(["物流很快，质量很好", "太差了，再也不买了"], "polarity").tolist()
    ['positive', 'negative']
"""

from __future__ import annotations

import functools
import json
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from opinion.errors import InputError, NotFittedError
from opinion.sentiment.features import (
    FeatureConfig,
    FeatureHasher,
    has_double_negation,
    idf_weights,
    split_sentences,
    weigh_and_normalise,
)

if TYPE_CHECKING:
    import pandas as pd

MODEL_FORMAT = "opinion-sentiment-heads/3"
HEADS = ("polarity", "emotion")
# The shipped model.safetensors (round 5, docs/sentiment.md): `opinion sentiment evaluate` calls
# a model "shipped" only when its file has this digest. Update it with the file.
SHIPPED_MODEL_SHA256 = "006e073d843ce1db92b1dd4ca0d763470091a79763453665be1c3bbebaf53f85"


def default_model_path() -> Path:
    """The shipped model, ``opinion/resources/sentiment/model.safetensors``."""
    return Path(str(resources.files("opinion.resources"))) / "sentiment" / "model.safetensors"


@dataclass(frozen=True)
class HeadData:
    """Training rows of one head: texts, string labels, optional per-row weights."""

    texts: Sequence[str]
    labels: Sequence[str]
    weights: np.ndarray | None = None
    classes: tuple[str, ...] = ()  # fixed class order; default: sorted labels


@dataclass(frozen=True)
class LongTextRule:
    """How a text longer than ``min_chars`` is scored.

    ``mode``: ``whole`` (one feature vector), ``lead`` (its first ``lead_chars`` characters:
    title and lead), ``sentences`` (mean of the probabilities of its sentence chunks, at most
    ``max_chunks``), or ``lead+sentences`` (the mean of both). Chunks join consecutive
    sentences up to ``chunk_chars`` characters.
    """

    mode: str = "whole"  # chosen on pseudo-articles (docs/sentiment.md, "Long documents")
    min_chars: int = 200
    lead_chars: int = 80
    chunk_chars: int = 80
    max_chunks: int = 24

    def __post_init__(self) -> None:
        if self.mode not in ("whole", "lead", "sentences", "lead+sentences"):
            raise InputError(f"long-text mode must be whole, lead, sentences or lead+sentences; "
                             f"got {self.mode!r}")

    def segments(self, text: str) -> list[tuple[str, float]]:
        """The pieces of ``text`` that are scored, with the weight of each in the average.

        >>> LongTextRule(mode="lead", min_chars=5, lead_chars=4).segments("今天天气很好。明天下雨。")
        [('今天天气', 1.0)]
        >>> LongTextRule(min_chars=5, lead_chars=4).segments("今天天气很好。明天下雨。")
        [('今天天气', 1.0), ('今天天气很好。明天下雨。', 1.0)]
        """
        if len(text) <= self.min_chars or self.mode == "whole":
            return [(text, 1.0)]
        lead = (text[:self.lead_chars], 1.0)
        if self.mode == "lead":
            return [lead]
        chunks: list[str] = []
        for sentence in split_sentences(text):
            if chunks and len(chunks[-1]) + len(sentence) <= self.chunk_chars:
                chunks[-1] += sentence
            else:
                chunks.append(sentence)
        chunks = chunks[:self.max_chunks] or [text]
        share = 1.0 / len(chunks)  # all chunks together weigh as much as the lead
        pieces = [(chunk, share) for chunk in chunks]
        return pieces if self.mode == "sentences" else [lead, *pieces]


@dataclass(frozen=True)
class CharMix:
    """How a short text's polarity mixes in the character model (:attr:`SentimentModel.char_model_`).

    A text of at most ``max_chars`` characters gets ``(1 - weight) × main + weight × char``;
    a longer one keeps the main model's probabilities (the character model is weak on
    articles), and so does a double negation (不是不喜欢: the character model reads 不喜欢).
    Weight 0 is off; the shipped values, chosen on the validation splits, are
    ``TRAIN_SETTINGS["char_mix"]`` (:mod:`opinion.sentiment.train`), stored in the model file.
    """

    weight: float = 0.0
    max_chars: int = 140


def nb_feature_scale(X, y: np.ndarray, n_classes: int, beta: float, alpha: float = 1.0) -> np.ndarray:
    """Per-feature factors from naive-Bayes log-count ratios (Wang & Manning 2012, "NBSVM").

    For each class, the ratio of a feature's smoothed share of documents in that class to
    its share in the others; a feature's factor is its largest absolute log ratio, scaled
    to mean 1 and blended with 1 by ``beta`` (0: no scaling). A logistic regression fitted
    on ``X`` times these factors equals one on ``X`` whose L2 penalty is lighter on features
    that tell the classes apart, so the factors fold into the coefficients and the saved
    model scores plain features as before.
    """
    import scipy.sparse as sp

    present = sp.csr_matrix(X, copy=True)
    present.data = np.ones_like(present.data, dtype=np.float64)
    ratios = []
    for k in range(n_classes):
        inside = alpha + np.asarray(present[y == k].sum(axis=0)).ravel()
        outside = alpha + np.asarray(present[y != k].sum(axis=0)).ravel()
        ratios.append(np.abs(np.log((inside / inside.sum()) / (outside / outside.sum()))))
    factor = np.max(ratios, axis=0)
    return ((1 - beta) + beta * factor / factor.mean()).astype(np.float32)


def fit_head(X, y: np.ndarray, weights: np.ndarray | None, c: float, max_iter: int,
             classes: tuple[str, ...], nb_beta: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """One head's multinomial logistic regression: coefficients (n_features, k), intercepts (k,).

    ``nb_beta`` > 0 fits on features scaled by :func:`nb_feature_scale` and folds the factors
    into the coefficients. Coefficients are rounded to float16 as saved, so a fitted model
    scores exactly as its file.
    """
    import warnings

    import scipy.sparse as sp
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import LogisticRegression

    scale = nb_feature_scale(X, y, len(classes), nb_beta) if nb_beta else None
    classifier = LogisticRegression(C=c, solver="lbfgs", max_iter=max_iter, tol=1e-4)
    with warnings.catch_warnings():  # max_iter is a chosen budget, not a failure
        warnings.simplefilter("ignore", ConvergenceWarning)
        classifier.fit(X if scale is None else X @ sp.diags(scale), y, sample_weight=weights)
    coef, intercept = classifier.coef_, classifier.intercept_
    if len(classes) == 2:  # scikit-learn keeps one row for two classes
        coef, intercept = np.vstack([-coef / 2, coef / 2]), np.array([-1, 1]) * intercept / 2
    coef = coef.T if scale is None else coef.T * scale[:, None]
    coef = np.ascontiguousarray(coef).astype(np.float16).astype(np.float32)
    return coef, intercept.astype(np.float32)


def hash_in_chunks(hasher: FeatureHasher, texts: Sequence[str], workers: int = 1):
    """``hasher.binary_counts(texts)``, in ``workers`` processes when > 1 (same matrix)."""
    if workers <= 1 or len(texts) < 2 * workers:
        return hasher.binary_counts(texts)
    from concurrent.futures import ProcessPoolExecutor

    import scipy.sparse as sp

    size = -(-len(texts) // workers)
    chunks = [list(texts[i:i + size]) for i in range(0, len(texts), size)]
    with ProcessPoolExecutor(workers) as pool:
        parts = list(pool.map(hasher.binary_counts, chunks))
    return sp.vstack(parts, format="csr")


def softmax(margins: np.ndarray) -> np.ndarray:
    """Row-wise softmax of a (n, k) array (float64)."""
    shifted = margins - margins.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)


def _for_head(setting: float | Mapping[str, float], head: str, default: float | None = None) -> float:
    """A setting given once for every head or per head (``{"polarity": 8.0}``); a head the
    mapping leaves out gets ``default`` (an error when there is none)."""
    if not isinstance(setting, Mapping):
        return float(setting)
    return float(setting[head] if default is None else setting.get(head, default))


def _head_classes(name: str, data: HeadData) -> tuple[str, ...]:
    """The classes of a head: ``data.classes`` (each with rows, holding every label), else its
    sorted labels. A declared class without rows shifted the fitted columns onto the wrong
    classes and wrote a file that would not load (until 2026-12-08)."""
    labels = set(data.labels)
    if not data.classes:
        return tuple(sorted(labels))
    if unknown := sorted(labels - set(data.classes)):
        raise InputError(f"head {name}: labels {unknown[:8]} are not among its classes "
                         f"{list(data.classes)}; fix the labels or add them to HeadData.classes")
    if empty := [c for c in data.classes if c not in labels]:
        raise InputError(f"head {name}: classes {empty} have no training rows; give rows of each, "
                         "or leave them out of HeadData.classes")
    return tuple(data.classes)


class SentimentModel:
    """Multinomial logistic-regression heads on shared :mod:`opinion.sentiment.features`.

    Follows the scikit-learn contract: ``__init__`` stores options, :meth:`fit` returns
    ``self``, learned attributes end in ``_`` (``idf_``, ``heads_``: name → (classes,
    coefficients (n_features, k), intercepts (k,))).
    Example: ``SentimentModel.default().predict_frame(["物流很快，质量很好"])``.
    """

    info_: dict[str, Any]  # what the model was trained on (set by ``load``)
    char_model_: SentimentModel | None = None  # a character n-gram polarity model mixed into short texts
    char_mix_: CharMix = CharMix()

    def __init__(self, *, config: FeatureConfig | None = None, c: float | Mapping[str, float] = 8.0,
                 long_text: LongTextRule | None = None, max_iter: int = 100,
                 nb_beta: float | Mapping[str, float] = 0.0) -> None:
        self.config = config or FeatureConfig()
        self.c = c
        self.long_text = long_text or LongTextRule()
        self.max_iter = max_iter
        self.nb_beta = nb_beta  # per head: naive-Bayes feature scaling in the fit (fit_head)

    def _c_for(self, head: str) -> float:
        return _for_head(self.c, head)

    def _nb_beta_for(self, head: str) -> float:
        return _for_head(self.nb_beta, head, 0.0)

    # -- fitting -----------------------------------------------------------------
    def fit(self, heads: Mapping[str, HeadData], *, counts=None, row_of: Mapping[str, int] | None = None,
            workers: int = 1) -> SentimentModel:
        """Fit every head; idf is computed once on the distinct texts of all heads.

        ``counts`` and ``row_of`` (text → row of ``counts``) let a caller pass binary
        counts it already hashed (benchmarks fit many settings on the same texts).
        ``workers`` > 1 hashes the texts and fits the heads in that many processes (the
        same numbers as one process: each head's fit is single-threaded and deterministic).
        """
        if counts is None or row_of is None:
            texts = list(dict.fromkeys(t for data in heads.values() for t in data.texts))
            counts = hash_in_chunks(FeatureHasher(self.config), texts, workers)
            row_of = {t: i for i, t in enumerate(texts)}
        assert row_of is not None, "row_of is given with counts"
        all_rows = np.unique([row_of[t] for data in heads.values() for t in data.texts])
        self.idf_ = idf_weights(counts[all_rows])
        jobs = {}
        for name, data in heads.items():
            rows = np.fromiter((row_of[t] for t in data.texts), dtype=np.int64)
            X = weigh_and_normalise(counts[rows].astype(np.float32), self.idf_)
            classes = _head_classes(name, data)
            index = {c: i for i, c in enumerate(classes)}
            y = np.fromiter((index[label] for label in data.labels), dtype=np.int64)
            jobs[name] = (X, y, data.weights, self._c_for(name), self.max_iter, classes,
                          self._nb_beta_for(name))
        if workers > 1 and len(jobs) > 1:
            from concurrent.futures import ProcessPoolExecutor

            with ProcessPoolExecutor(min(workers, len(jobs))) as pool:
                futures = {name: pool.submit(fit_head, *job) for name, job in jobs.items()}
                fitted = {name: future.result() for name, future in futures.items()}
        else:
            fitted = {name: fit_head(*job) for name, job in jobs.items()}
        self.heads_: dict[str, tuple[tuple[str, ...], np.ndarray, np.ndarray]] = {}
        self.n_train_ = {}
        for name, (coef, intercept) in fitted.items():
            self.heads_[name] = (jobs[name][5], coef, intercept)
            self.n_train_[name] = int(len(jobs[name][1]))
        return self

    def _check_fitted(self) -> None:
        if not hasattr(self, "heads_"):
            raise NotFittedError("this SentimentModel is not fitted yet; call fit() or "
                                 "SentimentModel.load(path) first")

    def classes(self, head: str) -> tuple[str, ...]:
        """The class names of ``head`` in column order."""
        self._check_fitted()
        if head not in self.heads_:
            raise InputError(f"head must be one of {list(self.heads_)}; got {head!r}")
        return self.heads_[head][0]

    # -- predicting --------------------------------------------------------------
    def features(self, texts: Sequence[str]):
        """Normalised idf-weighted feature rows of ``texts`` (CSR)."""
        self._check_fitted()
        return FeatureHasher(self.config).transform(texts, idf=self.idf_)

    def proba_of_rows(self, X, head: str) -> np.ndarray:
        """Class probabilities of feature rows ``X`` (see :meth:`features`)."""
        self.classes(head)
        _, coef, intercept = self.heads_[head]
        return softmax(np.asarray(X @ coef, dtype=np.float64) + intercept)

    def predict_proba_all(self, texts: Sequence[str], heads: Sequence[str] | None = None
                          ) -> dict[str, np.ndarray]:
        """Probabilities (n, k) of every head, long texts split by the :class:`LongTextRule`."""
        self._check_fitted()
        heads = list(heads or self.heads_)
        for head in heads:
            self.classes(head)
        pieces: list[str] = []
        owner: list[int] = []
        weight: list[float] = []
        for i, text in enumerate(texts):
            for piece, share in self.long_text.segments(text):
                pieces.append(piece)
                owner.append(i)
                weight.append(share)
        X = self.features(pieces)
        out = {}
        for head in heads:
            probs = self.proba_of_rows(X, head)
            if len(pieces) != len(texts):  # weighted mean of the pieces of each text
                owner_arr, weight_arr = np.asarray(owner), np.asarray(weight)
                sums = np.zeros((len(texts), probs.shape[1]))
                np.add.at(sums, owner_arr, probs * weight_arr[:, None])
                probs = sums / np.bincount(owner_arr, weights=weight_arr, minlength=len(texts))[:, None]
            out[head] = probs
        if "polarity" in out and self.char_model_ is not None:
            out["polarity"] = self._mix_char(self.char_model_, texts, out["polarity"])
        return out

    def _mix_char(self, char: SentimentModel, texts: Sequence[str], probs: np.ndarray) -> np.ndarray:
        """``probs`` with ``char``'s mixed into the texts of at most ``char_mix_.max_chars``."""
        mix = self.char_mix_
        if mix.weight == 0:
            return probs
        scope = self.config.negation_scope
        short = np.fromiter((i for i, t in enumerate(texts) if len(t) <= mix.max_chars
                             and not has_double_negation(t, scope)), dtype=np.int64)
        if len(short) == 0:
            return probs
        other = char.predict_proba([texts[i] for i in short], "polarity")
        order = [char.classes("polarity").index(c) for c in self.classes("polarity")]
        probs = probs.copy()
        probs[short] = (1 - mix.weight) * probs[short] + mix.weight * other[:, order]
        return probs

    def predict_proba(self, texts: Sequence[str], head: str = "polarity") -> np.ndarray:
        """Class probabilities of one head, columns in :meth:`classes` order."""
        return self.predict_proba_all(texts, [head])[head]

    def predict(self, texts: Sequence[str], head: str = "polarity") -> np.ndarray:
        """The most probable class of each text (an array of strings)."""
        probs = self.predict_proba(texts, head)
        return np.asarray(self.classes(head), dtype=object)[probs.argmax(axis=1)]

    @classmethod
    def default(cls) -> SentimentModel:
        """The shipped model (loaded once per process): ``SentimentModel.default()``."""
        return load_default_model()

    def predict_frame(self, texts: str | Iterable[Any], *, neutral_band: tuple[float, float] | None = None,
                      ) -> pd.DataFrame:
        """The sentiment stage's columns (score, label, class and emotion probabilities), one row
        per text, on a Series' index; each text read as the stage reads ``text_norm``; empty ones
        give nulls (:mod:`opinion.sentiment.inputs`). ``predict_frame(["物流很快，质量很好"])``."""
        from opinion.sentiment.inputs import predict_frame

        return predict_frame(self, texts, neutral_band)

    def score(self, texts: Sequence[str]) -> np.ndarray:
        """Probability of positive of each Simplified text, 0..1 (three-way polarity)."""
        probs = self.predict_proba(texts, "polarity")
        return probs[:, self.classes("polarity").index("positive")]

    # -- persistence -------------------------------------------------------------
    def save(self, path: str | Path, *, info: dict[str, Any] | None = None) -> Path:
        """Write the model as one safetensors file (no pickle); ``info`` goes to its metadata.

        Coefficients are stored as float16 (half the size), as :meth:`fit` already rounds them.
        """
        from safetensors.numpy import save_file

        from opinion.io.atomic import atomic_path

        self._check_fitted()
        # One metadata key holding sorted JSON: the same model must give the same bytes.
        meta = {"format": MODEL_FORMAT, **self._description(), "info": info or {}}
        tensors = self._tensors()
        if self.char_model_ is not None:
            meta["char_model"] = self.char_model_._description() | {"mix": asdict(self.char_mix_)}
            tensors |= {f"char.{key}": value for key, value in self.char_model_._tensors().items()}
        metadata = {"opinion": json.dumps(meta, ensure_ascii=False, sort_keys=True)}
        path = Path(path)
        with atomic_path(path) as tmp:
            mode = tmp.stat().st_mode  # the usual mode atomic_path gave it: save_file makes a 0600 file
            save_file(tensors, str(tmp), metadata=metadata)
            tmp.chmod(mode)  # a shared install's model stays readable by every user
        return path

    def _description(self) -> dict[str, Any]:
        description = {"feature_config": self.config.to_dict(), "long_text": asdict(self.long_text),
                       "classes": {name: list(head[0]) for name, head in self.heads_.items()},
                       "c": {name: self._c_for(name) for name in self.heads_}, "n_train": self.n_train_}
        nb_beta = {name: self._nb_beta_for(name) for name in self.heads_ if self._nb_beta_for(name)}
        return description | ({"nb_beta": nb_beta} if nb_beta else {})  # a record only: folded into coef

    def _tensors(self) -> dict[str, np.ndarray]:
        tensors = {"idf": self.idf_.astype(np.float32)}
        for name, (_, coef, intercept) in self.heads_.items():
            tensors[f"{name}.coef"] = coef.astype(np.float16)
            tensors[f"{name}.intercept"] = intercept.astype(np.float32)
        return tensors

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
                tensors = {key: fh.get_tensor(key) for key in fh.keys()}
        except Exception as exc:  # safetensors raises its own error types
            raise InputError(f"{path}: not a sentiment model file ({exc})") from exc
        try:
            meta = json.loads(metadata["opinion"])
        except (KeyError, json.JSONDecodeError):
            meta = {}
        if meta.get("format") != MODEL_FORMAT:
            raise InputError(f"{path}: format {meta.get('format')!r}, expected {MODEL_FORMAT!r}; "
                             "rebuild it with `opinion sentiment train`")
        model = cls._from_parts(path, meta, tensors)
        if model.config.version != FeatureConfig.version:  # once per file: both parts share it
            warnings.warn(f"{path}: trained on features of version {model.config.version}; this opinion "
                          f"reads version {FeatureConfig.version}, so its scores differ a little from the "
                          "model's own; retrain it with `opinion sentiment train --out FILE`", stacklevel=2)
        model.info_ = meta["info"]
        if "char_model" in meta:
            char = meta["char_model"]
            model.char_model_ = cls._from_parts(path, char, {key[5:]: value for key, value in tensors.items()
                                                             if key.startswith("char.")})
            model.char_mix_ = CharMix(**char["mix"])
        return model

    @classmethod
    def _from_parts(cls, path: Path, meta: dict[str, Any], tensors: dict[str, np.ndarray]) -> SentimentModel:
        config = FeatureConfig.from_dict(meta["feature_config"])
        model = cls(config=config, c=meta["c"], long_text=LongTextRule(**meta["long_text"]))
        model.idf_ = tensors["idf"].astype(np.float32, copy=False)
        model.heads_ = {}
        for name, classes in meta["classes"].items():
            coef = tensors[f"{name}.coef"].astype(np.float32)
            if coef.shape != (config.n_features, len(classes)):
                raise InputError(f"{path}: head {name} has shape {coef.shape}, expected "
                                 f"({config.n_features}, {len(classes)})")
            model.heads_[name] = (tuple(classes), coef, tensors[f"{name}.intercept"])
        model.n_train_ = meta["n_train"]
        return model


def load_model(path: str | Path | None = None) -> SentimentModel:
    """The model at ``path`` (default: the shipped one), loaded once per file version (path,
    mtime, size): a model retrained into the same file is read again (until 2026-12-08 the
    old weights kept scoring while the workspace recorded the new file's digest)."""
    file = Path(path or default_model_path())
    try:
        stat = file.stat()
    except OSError:  # missing: SentimentModel.load names the fix
        return SentimentModel.load(file)
    return _load_version(str(file.resolve()), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=4)
def _load_version(resolved: str, mtime_ns: int, size: int) -> SentimentModel:
    """One version of one model file (see :func:`load_model`)."""
    return SentimentModel.load(resolved)


def load_default_model() -> SentimentModel:
    """The shipped model (cached)."""
    return load_model(None)
