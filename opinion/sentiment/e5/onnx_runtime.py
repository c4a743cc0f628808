"""The e5 encoder run by onnxruntime (the fast path of ``--method transformer``).

The first use of an ``E5S1`` file builds its ONNX graph (:mod:`opinion.sentiment.e5.onnx_graph`)
and caches it under the user's cache folder (``$XDG_CACHE_HOME/opinion/e5-onnx`` or
``~/.cache/opinion/e5-onnx``), keyed by the file's SHA-256: a new file builds anew, the
same file loads in about a second. Writes are atomic, so two processes building at once
leave one whole file. Needs the ``transformer`` extra:
``pip install 'opinion[transformer]' -c constraints.txt``.

Two precisions. ``float32`` (the default) computes the numpy encoder's numbers (labels
identical, probabilities within 1e-5) about three times as fast. ``int8`` quantises the
weight MatMuls with ``onnxruntime.quantization.quantize_dynamic`` (weights int8 per
column, activations one scale per batch), after smoothing the inputs of the feed-forward
output MatMuls (:mod:`opinion.sentiment.e5.smoothing`), whose few large GELU outputs
otherwise swamp the batch's one scale: about twice float32's speed on a CPU with int8
dot products (AVX-512 VNNI), 1.2-1.4 times without, and 1-2 % of labels change.
docs/teacher.md has the figures.

Example:
    >>> encoder = E5OnnxEncoder(read_e5_file(path), path, threads=2)  # doctest: +SKIP
    >>> encoder.pooled_ids([encoder.tokenizer.encode("房间很干净", prefix="query: ")]).shape  # doctest: +SKIP
    (1, 384)
"""

from __future__ import annotations

import importlib.util
import logging
import os
from pathlib import Path
from typing import Any, Literal

import numpy as np

from opinion.errors import require
from opinion.io.atomic import atomic_path, file_sha256
from opinion.sentiment.e5.encoder import pooled_in_batches, word_rows
from opinion.sentiment.e5.fileformat import E5File
from opinion.sentiment.e5.onnx_graph import INPUTS, OUTPUT, activation_matmuls, build_e5_graph
from opinion.sentiment.e5.smoothing import smoothed_graph
from opinion.sentiment.e5.tokenizer import E5Tokenizer

Precision = Literal["float32", "int8"]
PRECISIONS: tuple[Precision, ...] = ("float32", "int8")
# bump a precision's version when its graph or quantisation changes: its cached files are rebuilt
BUILD_VERSIONS: dict[str, int] = {"float32": 1, "int8": 2}  # int8 2: smoothed feed-forward outputs
EXTRA_HINT = "pip install 'opinion[transformer]' -c constraints.txt"


def onnxruntime_available() -> bool:
    """Whether the ``transformer`` extra (onnx and onnxruntime) is installed."""
    return all(importlib.util.find_spec(name) is not None for name in ("onnx", "onnxruntime"))


def cache_dir() -> Path:
    """Where built ONNX files live: ``$XDG_CACHE_HOME/opinion/e5-onnx``, else ``~/.cache/...``."""
    root = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(root) / "opinion" / "e5-onnx"


def cached_model_path(source: str | Path, precision: Precision = "float32", *,
                      folder: Path | None = None) -> Path:
    """The cache file for ``source`` (an ``E5S1`` file) at ``precision``, named by its SHA-256.

    >>> cached_model_path(__file__, "int8", folder=Path("/c")).name.endswith("-int8-b2.onnx")
    True
    """
    if precision not in PRECISIONS:
        raise ValueError(f"precision must be one of {list(PRECISIONS)}; got {precision!r}")
    digest = file_sha256(source)[:24]
    return (folder or cache_dir()) / f"e5-{digest}-{precision}-b{BUILD_VERSIONS[precision]}.onnx"


def build_onnx_file(model: E5File, target: Path, precision: Precision = "float32", *,
                    tokenizer: E5Tokenizer | None = None, smoothing: bool = True) -> Path:
    """Write ``model``'s encoder to ``target`` as ONNX: float32, or weight MatMuls int8.

    int8 weights are signed, symmetric and per output column (``per_channel``), the
    feed-forward outputs smoothed first (calibrated with ``tokenizer``, default the file's;
    ``smoothing=False`` only for comparisons); the attention MatMuls (two activations) stay
    float32. Atomic: ``target`` is whole or absent.
    """
    with atomic_path(target) as tmp:
        if precision == "float32":
            import onnx

            onnx.save(build_e5_graph(model), str(tmp))
        else:
            quantize_dynamic, quant_type = _quantiser()
            graph = (smoothed_graph(model, tokenizer or E5Tokenizer.from_file(model)) if smoothing
                     else build_e5_graph(model))
            root = logging.getLogger()
            root.addFilter(_no_preprocessing_advice)
            try:
                quantize_dynamic(graph, str(tmp), weight_type=quant_type.QInt8, per_channel=True,
                                 op_types_to_quantize=["MatMul"],
                                 nodes_to_exclude=activation_matmuls(model.config.layers),
                                 extra_options={"MatMulConstBOnly": True})
            finally:
                root.removeFilter(_no_preprocessing_advice)
    return target


def _no_preprocessing_advice(record: logging.LogRecord) -> bool:
    """Drop the quantiser's "consider to run pre-processing" warning (meant for vision
    models; the graph is built here, already in its final shape) from a user's terminal."""
    return "pre-processing before quantization" not in record.getMessage()


def _quantiser() -> tuple[Any, Any]:
    try:
        from onnxruntime.quantization import QuantType, quantize_dynamic
    except ImportError as exc:
        raise ImportError(f"the int8 e5 encoder needs onnxruntime: {EXTRA_HINT}") from exc
    return quantize_dynamic, QuantType


def onnx_model_for(source: str | Path, model: E5File, precision: Precision = "float32", *,
                   folder: Path | None = None, tokenizer: E5Tokenizer | None = None) -> Path:
    """The cached ONNX file of ``source``, built first if missing."""
    target = cached_model_path(source, precision, folder=folder)
    if not target.exists():
        build_onnx_file(model, target, precision, tokenizer=tokenizer)
    return target


class E5OnnxEncoder:
    """The encoder of an ``E5S1`` file in onnxruntime; same ``pooled_ids`` as the numpy one.

    ``threads`` sets onnxruntime's intra-op threads (None: one per core). The word table
    stays in numpy (rows dequantised on use, exact); everything after it runs in the graph.
    """

    def __init__(self, model: E5File, source: str | Path, *, precision: Precision = "float32",
                 threads: int | None = None, folder: Path | None = None,
                 tokenizer: E5Tokenizer | None = None) -> None:
        ort = require("onnxruntime", "transformer", "--method transformer in onnxruntime")
        self.model = model
        self.config = model.config
        self.precision = precision
        self.tokenizer = tokenizer or E5Tokenizer.from_file(model)
        self.onnx_path = onnx_model_for(source, model, precision, folder=folder, tokenizer=self.tokenizer)
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")  # shared CPUs
        if threads:
            options.intra_op_num_threads = threads
            options.inter_op_num_threads = 1
        self.session = ort.InferenceSession(str(self.onnx_path), options,
                                            providers=["CPUExecutionProvider"])

    def pool(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Mean-pooled last-layer states (B, hidden) of one padded batch."""
        feeds = {INPUTS[0]: word_rows(self.model, ids), INPUTS[1]: mask.astype(np.int64)}
        return self.session.run([OUTPUT], feeds)[0]

    def pooled_ids(self, encoded: list[list[int]], *, batch_size: int = 32) -> np.ndarray:
        """Mean-pooled states (n, hidden) of tokenized texts, batched by length."""
        return pooled_in_batches(encoded, self.pool, width=self.config.hidden,
                                 pad_id=self.tokenizer.eos, batch_size=batch_size)
