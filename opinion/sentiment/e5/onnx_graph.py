"""The e5 encoder of an ``E5S1`` file as an ONNX graph, built with ``onnx.helper`` (no torch).

The same network as :class:`opinion.sentiment.e5.encoder.E5NumpyEncoder`, node for node:
position + token-type embeddings added to the word rows, LayerNorm, then per layer one
q/k/v MatMul, 12-head softmax attention with the padding mask, the output MatMul,
LayerNorm, an exact (erf) GELU feed-forward and LayerNorm; then the mean over each text's
real tokens. Weights are the file's, dequantised to float32 (Q4_0 / Q8_0 / float32 alike),
so any file the exporter writes builds.

Inputs: ``word_embeddings`` (batch, tokens, hidden) float32 (the word table stays in
numpy: :func:`opinion.sentiment.e5.encoder.word_rows`) and ``attention_mask`` (batch,
tokens) int64, 1 for real tokens. Output: ``pooled`` (batch, hidden) float32.

The weight MatMuls are named ``l{i}.{qkv,ao,fi,fo}``; the two attention MatMuls
(activations only) are named apart so that quantisation can leave
them out (:func:`activation_matmuls`). Needs the ``transformer`` extra (``onnx``).

Example:
    >>> graph = build_e5_graph(read_e5_file("transformer.e5s1"))  # doctest: +SKIP
    >>> [i.name for i in graph.graph.input]  # doctest: +SKIP
    ['word_embeddings', 'attention_mask']
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from opinion.sentiment.e5.fileformat import E5File

if TYPE_CHECKING:
    import onnx

OPSET = 17  # LayerNormalization is a standard op from 17
INPUTS = ("word_embeddings", "attention_mask")
OUTPUT = "pooled"
ATTENTION_SCORE, ATTENTION_CONTEXT = "scores", "context"


def activation_matmuls(layers: int) -> list[str]:
    """Names of the MatMuls of two activations (attention), which have no weight to quantise.

    >>> activation_matmuls(1)
    ['l0.scores', 'l0.context']
    """
    return [f"l{i}.{n}" for i in range(layers) for n in (ATTENTION_SCORE, ATTENTION_CONTEXT)]


def import_onnx() -> Any:
    """``onnx``, or an ImportError that names the extra."""
    try:
        import onnx
    except ImportError as exc:
        raise ImportError("the ONNX build of --method transformer needs onnx and onnxruntime: "
                          "pip install 'opinion[transformer]' -c constraints.txt") from exc
    return onnx


class _GraphBuilder:
    """Collects nodes and float32 initialisers; ``op`` adds a node and returns its output name."""

    def __init__(self, onnx: Any) -> None:
        self.onnx = onnx
        self.nodes: list[Any] = []
        self.initialisers: list[Any] = []
        self._count = 0
        self._constants: set[str] = set()

    def constant(self, name: str, value: np.ndarray) -> str:
        if name in self._constants:  # shared constants (scalars) are added once
            return name
        self._constants.add(name)
        self.initialisers.append(self.onnx.numpy_helper.from_array(np.ascontiguousarray(value), name))
        return name

    def op(self, op_type: str, *inputs: str, name: str | None = None, **attributes: Any) -> str:
        self._count += 1
        node_name = name or f"{op_type.lower()}_{self._count}"
        output = f"{node_name}:out"
        self.nodes.append(self.onnx.helper.make_node(op_type, list(inputs), [output],
                                                     name=node_name, **attributes))
        return output

    def linear(self, x: str, weight: np.ndarray, bias: np.ndarray, name: str) -> str:
        """``x @ weight.T + bias``, ``weight`` (out, in) as PyTorch and the file store it."""
        w = self.constant(f"{name}.w", np.ascontiguousarray(weight.T.astype(np.float32)))
        product = self.op("MatMul", x, w, name=name)
        return self.op("Add", product, self.constant(f"{name}.b", bias.astype(np.float32)))

    def layer_norm(self, x: str, model: E5File, prefix: str) -> str:
        w = self.constant(f"{prefix}.w", model.tensor(f"{prefix}.w"))
        b = self.constant(f"{prefix}.b", model.tensor(f"{prefix}.b"))
        return self.op("LayerNormalization", x, w, b, axis=-1, epsilon=model.config.eps)


def _attention(g: _GraphBuilder, x: str, model: E5File, index: int, additive_mask: str) -> str:
    """Multi-head self-attention of layer ``index`` (before its output projection)."""
    cfg = model.config
    head_dim = cfg.hidden // cfg.heads
    scale = np.float32(1.0 / np.sqrt(head_dim))
    tensor = model.tensor
    # q, k, v as one MatMul; the 1/sqrt(d) scale folded into q's weight and bias
    weight, bias = (np.concatenate([tensor(f"l{index}.q.{k}") * scale, tensor(f"l{index}.k.{k}"),
                                    tensor(f"l{index}.v.{k}")]) for k in "wb")
    qkv = g.linear(x, weight, bias, f"l{index}.qkv")  # (B, L, 3H)
    split_heads = g.constant(f"l{index}.split_shape", np.array([0, 0, 3 * cfg.heads, head_dim], np.int64))
    heads = g.op("Transpose", g.op("Reshape", qkv, split_heads), perm=[0, 2, 1, 3])  # (B, 3h, L, d)
    q, k, v = (g.op("Slice", heads, g.constant(f"l{index}.{n}.start", np.array([i * cfg.heads], np.int64)),
                    g.constant(f"l{index}.{n}.end", np.array([(i + 1) * cfg.heads], np.int64)),
                    g.constant(f"l{index}.{n}.axis", np.array([1], np.int64)))
               for i, n in enumerate("qkv"))
    keys_t = g.op("Transpose", k, perm=[0, 1, 3, 2])
    scores = g.op("Add", g.op("MatMul", q, keys_t, name=f"l{index}.{ATTENTION_SCORE}"), additive_mask)
    probs = g.op("Softmax", scores, axis=-1)
    context = g.op("MatMul", probs, v, name=f"l{index}.{ATTENTION_CONTEXT}")  # (B, h, L, d)
    merge = g.constant(f"l{index}.merge_shape", np.array([0, 0, cfg.hidden], np.int64))
    return g.op("Reshape", g.op("Transpose", context, perm=[0, 2, 1, 3]), merge)


def _gelu(g: _GraphBuilder, x: str, name: str) -> str:
    """Exact GELU, ``0.5 x (1 + erf(x / sqrt 2))`` (onnxruntime fuses it into one op)."""
    root_half = g.constant(f"{name}.rsqrt2", np.array(0.7071067811865476, np.float32))
    one = g.constant(f"{name}.one", np.array(1.0, np.float32))
    half = g.constant(f"{name}.half", np.array(0.5, np.float32))
    erf = g.op("Erf", g.op("Mul", x, root_half))
    return g.op("Mul", g.op("Mul", x, half), g.op("Add", erf, one))


def build_e5_graph(model: E5File) -> onnx.ModelProto:
    """The float32 ONNX model of ``model``'s encoder and mean pooling (opset 17)."""
    onnx = import_onnx()
    helper, cfg, tensor = onnx.helper, model.config, model.tensor
    g = _GraphBuilder(onnx)
    words, mask = INPUTS
    length = g.op("Shape", words, start=1, end=2)  # (1,) tokens in this batch
    position = g.constant("emb.pos_type", tensor("emb.pos") + tensor("emb.type")[0])
    zero = g.constant("zero", np.array([0], np.int64))
    x = g.op("Add", words, g.op("Slice", position, zero, length, zero))
    x = g.layer_norm(x, model, "emb.ln")
    real = g.op("Cast", mask, to=onnx.TensorProto.FLOAT)  # (B, L) 1.0 / 0.0
    minus_big = g.constant("mask_fill", np.array(-1e30, np.float32))
    one = g.constant("one", np.array(1.0, np.float32))
    additive = g.op("Mul", g.op("Sub", one, real), minus_big)  # 0 for tokens, -1e30 for padding
    additive = g.op("Unsqueeze", additive, g.constant("mask_axes", np.array([1, 2], np.int64)))

    def linear(x: str, index: int, part: str) -> str:
        name = f"l{index}.{part}"
        return g.linear(x, tensor(f"{name}.w"), tensor(f"{name}.b"), name)

    for index in range(cfg.layers):
        attended = linear(_attention(g, x, model, index, additive), index, "ao")
        x = g.layer_norm(g.op("Add", x, attended), model, f"l{index}.aln")
        inner = _gelu(g, linear(x, index, "fi"), f"l{index}.gelu")
        x = g.layer_norm(g.op("Add", x, linear(inner, index, "fo")), model, f"l{index}.oln")
    token_weights = g.op("Unsqueeze", real, g.constant("last_axis", np.array([-1], np.int64)))
    token_axis = g.constant("token_axis", np.array([1], np.int64))
    summed = g.op("ReduceSum", g.op("Mul", x, token_weights), token_axis, keepdims=0)
    counts = g.op("ReduceSum", token_weights, token_axis, keepdims=0)
    g.nodes.append(helper.make_node("Div", [summed, counts], [OUTPUT], name="mean_pool"))
    graph = helper.make_graph(
        g.nodes, "e5_encoder",
        [helper.make_tensor_value_info(words, onnx.TensorProto.FLOAT, ["batch", "tokens", cfg.hidden]),
         helper.make_tensor_value_info(mask, onnx.TensorProto.INT64, ["batch", "tokens"])],
        [helper.make_tensor_value_info(OUTPUT, onnx.TensorProto.FLOAT, ["batch", cfg.hidden])],
        g.initialisers)
    built = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                              producer_name="opinion.sentiment.e5.onnx_graph")
    built.ir_version = 8  # readable by onnxruntime >= 1.14
    return built
