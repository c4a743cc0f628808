"""Activation smoothing before int8: the feed-forward output MatMuls quantise without their outliers.

``onnx-int8`` quantises each weight MatMul dynamically: the activations get one scale per
batch. The input of every feed-forward output MatMul (``l{i}.fo``, after GELU) has a few
channels near 30 where most stay under 1, so that one scale leaves typical values a handful
of levels and 5-6 % of emotion labels changed. SmoothQuant (Xiao et al., 2023) moves the
range into the weights: channel *j* of the input is divided by
``s_j = max|X_j|^α / max|W_j|^(1-α)`` and row *j* of the weight multiplied by it, which
leaves the float product unchanged. The maxima ``max|X_j|`` are measured once, when the
ONNX file is built, on the shipped calibration texts (``e5_calibration.txt``, real posts
and news paragraphs from the bundled corpora; ``tools/make_e5_calibration.py``).

Example:
    >>> graph = smoothed_graph(read_e5_file(path), tokenizer)  # doctest: +SKIP
    >>> [n.name for n in graph.graph.node if n.name.endswith(".smooth")][:1]  # doctest: +SKIP
    ['l0.fo.smooth']
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from opinion.sentiment.e5.encoder import pad_batch, word_rows
from opinion.sentiment.e5.fileformat import E5File
from opinion.sentiment.e5.onnx_graph import INPUTS, build_e5_graph
from opinion.sentiment.e5.tokenizer import CLASSIFY_PREFIX, E5Tokenizer

if TYPE_CHECKING:
    import onnx

CALIBRATION_FILE = Path(str(resources.files("opinion.resources"))) / "sentiment" / "e5_calibration.txt"
ALPHA = 0.8  # migration strength: 0.8-1.0 kept 98-99 % of labels on real posts, 0.5 97 %
SMOOTHED_PARTS = ("fo",)  # the feed-forward output MatMuls; q/k/v, ao and fi quantise well as they are
# Calibration texts are cut here, at or beyond any shipped file's trained input length (the
# shipped file reads 96 tokens), so the measured ranges cover the longest inputs it sees.
CALIBRATION_TOKENS = 128


def calibration_ids(tokenizer: E5Tokenizer, *, max_tokens: int = CALIBRATION_TOKENS,
                    path: Path = CALIBRATION_FILE) -> list[list[int]]:
    """Token ids of the calibration texts with ``--method transformer``'s prefix, cut to ``max_tokens``."""
    texts = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [tokenizer.encode(t, prefix=CLASSIFY_PREFIX, max_tokens=max_tokens) for t in texts]


def smoothed_names(layers: int) -> list[str]:
    """The MatMuls that get smoothed: ``['l0.fo', 'l1.fo', ...]``.

    >>> smoothed_names(2)
    ['l0.fo', 'l1.fo']
    """
    return [f"l{i}.{part}" for i in range(layers) for part in SMOOTHED_PARTS]


def input_maxima(graph: onnx.ModelProto, matmuls: list[str], model: E5File,
                 encoded: list[list[int]], pad_id: int, *, batch_size: int = 32) -> dict[str, np.ndarray]:
    """Per-channel max |input| of each MatMul in ``matmuls`` over the real tokens of ``encoded``."""
    import onnx
    import onnxruntime as ort

    nodes = {node.name: node for node in graph.graph.node}
    inputs = list(dict.fromkeys(nodes[name].input[0] for name in matmuls))
    probe = onnx.ModelProto()
    probe.CopyFrom(graph)
    for name in inputs:
        probe.graph.output.append(onnx.helper.make_tensor_value_info(name, onnx.TensorProto.FLOAT, None))
    options = ort.SessionOptions()
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    session = ort.InferenceSession(probe.SerializeToString(), options, providers=["CPUExecutionProvider"])
    maxima: dict[str, np.ndarray] = {}
    order = sorted(range(len(encoded)), key=lambda i: len(encoded[i]))
    for start in range(0, len(order), batch_size):
        ids, mask = pad_batch([encoded[i] for i in order[start:start + batch_size]], pad_id)
        values = session.run(inputs, {INPUTS[0]: word_rows(model, ids), INPUTS[1]: mask.astype(np.int64)})
        for name, value in zip(inputs, values):
            batch_max = np.abs(value[mask]).max(axis=0)
            maxima[name] = np.maximum(maxima[name], batch_max) if name in maxima else batch_max
    return {matmul: maxima[nodes[matmul].input[0]] for matmul in matmuls}


def smooth(graph: onnx.ModelProto, maxima: dict[str, np.ndarray], alpha: float = ALPHA) -> onnx.ModelProto:
    """A copy of ``graph`` where each MatMul named in ``maxima`` reads its input divided by
    ``s`` (a ``Mul`` node ``{name}.smooth``) and its weight's rows multiplied by ``s``."""
    import onnx

    out = onnx.ModelProto()
    out.CopyFrom(graph)
    weights = {init.name: init for init in out.graph.initializer}
    before: dict[str, Any] = {}
    for node in out.graph.node:
        if node.name not in maxima:
            continue
        source, weight_name = node.input
        weight = onnx.numpy_helper.to_array(weights[weight_name])  # (in, out)
        scale = (np.maximum(maxima[node.name], 1e-5) ** alpha
                 / np.maximum(np.abs(weight).max(axis=1), 1e-5) ** (1 - alpha)).astype(np.float32)
        weights[weight_name].CopyFrom(onnx.numpy_helper.from_array(
            (weight * scale[:, None]).astype(np.float32), weight_name))
        out.graph.initializer.append(onnx.numpy_helper.from_array((1 / scale).astype(np.float32),
                                                                  f"{node.name}.inverse_scale"))
        before[node.name] = onnx.helper.make_node("Mul", [source, f"{node.name}.inverse_scale"],
                                                  [f"{node.name}.smoothed"], name=f"{node.name}.smooth")
        node.input[0] = f"{node.name}.smoothed"
    nodes = list(out.graph.node)
    del out.graph.node[:]
    for node in nodes:  # each Mul right before its MatMul keeps the order topological
        if node.name in before:
            out.graph.node.append(before[node.name])
        out.graph.node.append(node)
    return out


def smoothed_graph(model: E5File, tokenizer: E5Tokenizer) -> onnx.ModelProto:
    """The float32 graph of ``model`` with its feed-forward output MatMuls smoothed (same outputs
    up to rounding), ready for dynamic int8 quantisation."""
    graph = build_e5_graph(model)
    names = smoothed_names(model.config.layers)
    encoded = calibration_ids(tokenizer, max_tokens=min(CALIBRATION_TOKENS, model.config.max_positions))
    maxima = input_maxima(graph, names, model, encoded, tokenizer.eos)
    return smooth(graph, maxima)
