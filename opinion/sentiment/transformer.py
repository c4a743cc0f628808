"""The accurate sentiment method: the fine-tuned e5 teacher run in numpy (``--method transformer``).

One file, ``opinion/resources/sentiment/transformer.e5s1`` (an ``E5S1`` file, see
:mod:`opinion.sentiment.e5.fileformat`), holds everything: the tokenizer (the vocabulary
cut to the pieces Chinese text uses), the encoder (word table Q4_0, fine-tuned layers
Q8_0) and the two heads as float32 tensors ``head.polarity.{w,b}`` (negative, neutral,
positive) and ``head.emotion.{w,b}`` (happiness, anger, sadness, fear, surprise,
neutral), plus ``head.max_tokens`` (the input length it was trained with). It is written
by ``tools/e5_export_transformer.py`` from a ``tools/train_e5_teacher.py`` checkpoint.

No torch. With the ``transformer`` extra (``pip install 'opinion[transformer]'``) the
encoder runs in onnxruntime (:mod:`opinion.sentiment.e5.onnx_runtime`: same numbers, about
three times as fast); without it, in numpy and scipy, as the default install has, and the log
says so once. Either way it is hundreds of times slower than the default model; see
``docs/teacher.md`` for when to choose it.

Example:
    >>> model = load_transformer()  # doctest: +SKIP
    >>> model.predict_proba(["房间很干净", "服务太差了"]).argmax(1)  # doctest: +SKIP
    array([2, 0])
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import numpy as np

from opinion.config import TRANSFORMER_METHODS
from opinion.errors import InputError, StorageError
from opinion.sentiment.datasets import EMOTIONS, POLARITIES
from opinion.sentiment.e5.tokenizer import CLASSIFY_PREFIX

if TYPE_CHECKING:
    from opinion.sentiment.e5.encoder import E5NumpyEncoder
    from opinion.sentiment.e5.fileformat import E5File
    from opinion.sentiment.e5.onnx_runtime import E5OnnxEncoder

HEAD_CLASSES: dict[str, tuple[str, ...]] = {"polarity": POLARITIES, "emotion": EMOTIONS}
PREFIX = CLASSIFY_PREFIX
DEFAULT_MAX_TOKENS = 128
TOKEN_CACHE = 200_000  # texts whose token ids are kept (repeated texts tokenise once)
Runtime = Literal["auto", "numpy", "onnx", "onnx-int8"]
RUNTIMES: tuple[Runtime, ...] = ("auto", "numpy", "onnx", "onnx-int8")
log = logging.getLogger("opinion.sentiment.transformer")


def transformer_path() -> Path:
    """The shipped file, ``opinion/resources/sentiment/transformer.e5s1``."""
    return Path(str(resources.files("opinion.resources"))) / "sentiment" / "transformer.e5s1"


def head_tensors(polarity: tuple[np.ndarray, np.ndarray], emotion: tuple[np.ndarray, np.ndarray],
                 max_tokens: int) -> dict[str, np.ndarray]:
    """The heads as the file stores them (weights (classes, hidden), biases (classes,)).

    >>> sorted(head_tensors((np.zeros((3, 4)), np.zeros(3)), (np.zeros((6, 4)), np.zeros(6)), 64))
    ['head.emotion.b', 'head.emotion.w', 'head.max_tokens', 'head.polarity.b', 'head.polarity.w']
    """
    out = {"head.max_tokens": np.array([max_tokens], np.float32)}
    for task, (weight, bias) in (("polarity", polarity), ("emotion", emotion)):
        out[f"head.{task}.w"] = np.asarray(weight, np.float32)
        out[f"head.{task}.b"] = np.asarray(bias, np.float32)
    return out


@functools.cache
def _say_once(message: str) -> None:
    log.warning(message)


def transformer_encoder(model: E5File, path: Path, runtime: Runtime = "auto", *,
                        threads: int | None = None) -> E5NumpyEncoder | E5OnnxEncoder:
    """The encoder of ``model`` for ``runtime``: ``auto`` takes onnxruntime float32 when the
    ``transformer`` extra is installed (built once per file, cached), else numpy."""
    from opinion.sentiment.e5.encoder import E5NumpyEncoder
    from opinion.sentiment.e5.onnx_runtime import E5OnnxEncoder, onnxruntime_available

    if runtime not in RUNTIMES:
        raise InputError(f"runtime must be one of {list(RUNTIMES)}; got {runtime!r}")
    if runtime == "numpy":
        return E5NumpyEncoder(model)
    if runtime == "auto" and not onnxruntime_available():
        _say_once("--method transformer runs in numpy (slow): onnxruntime is not installed; pip "
                  "install 'opinion[transformer]' -c constraints.txt for about three times the speed")
        return E5NumpyEncoder(model)
    try:
        return E5OnnxEncoder(model, path, precision="int8" if runtime == "onnx-int8" else "float32",
                             threads=threads)
    except (OSError, StorageError) as exc:
        if runtime != "auto":
            raise
        _say_once(f"--method transformer runs in numpy (slow): its ONNX build could not be "
                  f"cached ({exc})")
        return E5NumpyEncoder(model)


def _softmax(logits: np.ndarray) -> np.ndarray:
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


class TransformerModel:
    """The encoder and its two heads; same prediction interface as the default model.

    ``runtime``: ``auto`` (onnxruntime when installed, else numpy), ``numpy``, ``onnx``
    (float32, the numpy numbers) or ``onnx-int8`` (faster, changes some labels);
    ``threads``: onnxruntime's threads (None: one per core).
    """

    def __init__(self, path: str | Path, *, batch_size: int = 32, runtime: Runtime = "auto",
                 threads: int | None = None) -> None:
        from opinion.sentiment.e5.fileformat import read_e5_file

        self.path = Path(path)
        try:
            model = read_e5_file(self.path)
        except (ValueError, OSError) as exc:
            raise InputError(f"{self.path}: not a transformer sentiment file ({exc}); write one "
                             "with tools/e5_export_transformer.py") from exc
        missing = [f"head.{t}.{k}" for t in HEAD_CLASSES for k in "wb"
                   if f"head.{t}.{k}" not in model.entries]
        if missing:
            raise InputError(f"{self.path}: no {missing[0]} tensor; this is a bare e5 encoder, "
                             "not a fine-tuned one (tools/e5_export_transformer.py writes both)")
        hidden = model.config.hidden
        self.heads = {t: (model.tensor(f"head.{t}.w").reshape(len(c), hidden),
                          model.tensor(f"head.{t}.b")) for t, c in HEAD_CLASSES.items()}
        self.max_tokens = (int(model.tensor("head.max_tokens")[0]) if "head.max_tokens"
                           in model.entries else DEFAULT_MAX_TOKENS)
        self.encoder = transformer_encoder(model, self.path, runtime, threads=threads)
        self.batch_size = batch_size
        self._ids: dict[str, list[int]] = {}

    def classes(self, head: str) -> tuple[str, ...]:
        """The class names of ``head`` in column order."""
        if head not in HEAD_CLASSES:
            raise InputError(f"head must be one of {list(HEAD_CLASSES)}; got {head!r}")
        return HEAD_CLASSES[head]

    def token_ids(self, text: str) -> list[int]:
        """``<s> query: text </s>`` ids cut to the trained length (cached per text)."""
        ids = self._ids.get(text)
        if ids is None:
            ids = self.encoder.tokenizer.encode(text, prefix=PREFIX, max_tokens=self.max_tokens)
            if len(self._ids) < TOKEN_CACHE:
                self._ids[text] = ids
        return ids

    def pooled(self, texts: Sequence[str]) -> np.ndarray:
        """Mean-pooled last-layer states (n, hidden), texts batched by length."""
        return self.encoder.pooled_ids([self.token_ids(t) for t in texts],
                                       batch_size=self.batch_size)

    def predict_proba_all(self, texts: Sequence[str], heads: Sequence[str] | None = None
                          ) -> dict[str, np.ndarray]:
        """Probabilities (n, k) of every head from one pass of the encoder."""
        return self.head_probabilities(self.pooled(texts), heads)

    def head_probabilities(self, pooled: np.ndarray, heads: Sequence[str] | None = None
                           ) -> dict[str, np.ndarray]:
        """Probabilities (n, k) of each head from pooled states (n, hidden)."""
        heads = list(heads or HEAD_CLASSES)
        for head in heads:
            self.classes(head)
        wide = pooled.astype(np.float64)
        return {h: _softmax(wide @ self.heads[h][0].T.astype(np.float64) + self.heads[h][1])
                for h in heads}

    def predict_proba(self, texts: Sequence[str], head: str = "polarity") -> np.ndarray:
        """Class probabilities of one head, columns in :meth:`classes` order."""
        return self.predict_proba_all(texts, [head])[head]

    def score(self, texts: Sequence[str]) -> np.ndarray:
        """Probability of positive of each text, 0..1."""
        return self.predict_proba(texts, "polarity")[:, POLARITIES.index("positive")]


def transformer_for_method(method: str) -> TransformerModel:
    """The shipped model in the runtime of a ``--method`` value (``transformer``: float32,
    ``transformer-int8``: smoothed int8; :data:`opinion.config.TRANSFORMER_METHODS`)."""
    return load_transformer(runtime=TRANSFORMER_METHODS[method])


@functools.lru_cache(maxsize=2)
def load_transformer(path: str | None = None, runtime: Runtime = "auto") -> TransformerModel:
    """The model at ``path`` (default: the shipped file) in ``runtime``, loaded once per process."""
    target = Path(path) if path else transformer_path()
    if not target.exists():
        raise InputError(f"{target}: transformer model missing; reinstall opinion from a full "
                         "clone, or write it with tools/e5_export_transformer.py")
    return TransformerModel(target, runtime=runtime)
