"""``--method transformer`` in onnxruntime: same numbers as numpy, built once per file, cached."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from e5_factory import QUANTISED, write_tiny_transformer

from opinion.errors import InputError
from opinion.sentiment import transformer as T
from opinion.sentiment.e5 import onnx_runtime
from opinion.sentiment.e5.encoder import E5NumpyEncoder

needs_onnxruntime = pytest.mark.skipif(not onnx_runtime.onnxruntime_available(),
                                       reason="needs the transformer extra (onnx, onnxruntime)")
TEXTS = ["房间很干净", "服务太差了，再也不来了", "今天天气不错[哈哈]", "a a 很", "房间很干净"]
WEIBO = Path(__file__).parent / "data" / "sentiment" / "weibo_emotions_42.csv"


@pytest.fixture(autouse=True)
def _cache_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Built ONNX files go to a temporary cache folder, never the user's."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "opinion" / "e5-onnx"


@pytest.fixture(params=["q4_layers", "q8_layers"])
def tiny(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """The tiny transformer with Q4_0 linears (today's frozen layers) or Q8_0 ones (fine-tuned)."""
    path = tmp_path / "tiny.e5s1"
    write_tiny_transformer(path)
    if request.param == "q8_layers":  # same tensors, every linear Q8_0 (an all-fine-tuned export)
        from opinion.sentiment.e5.fileformat import read_e5_file, write_e5_file

        shipped = read_e5_file(path)
        tensors = {name: shipped.tensor(name) for name in shipped.entries}
        write_e5_file(path, shipped, tensors, quantised=("emb.word",), int8=QUANTISED[1:])
    return path


@needs_onnxruntime
def test_onnx_float32_gives_the_numpy_probabilities(tiny: Path) -> None:
    from opinion.sentiment.e5.fileformat import DTYPE_Q4, DTYPE_Q8

    numpy_model = T.TransformerModel(tiny, runtime="numpy", batch_size=2)
    dtypes = {e.dtype for n, e in numpy_model.encoder.model.entries.items() if n.endswith("fi.w")}
    assert dtypes in ({DTYPE_Q4}, {DTYPE_Q8})
    onnx_model = T.TransformerModel(tiny, runtime="onnx", batch_size=2)
    assert isinstance(numpy_model.encoder, E5NumpyEncoder)
    assert isinstance(onnx_model.encoder, onnx_runtime.E5OnnxEncoder)
    expected, got = numpy_model.predict_proba_all(TEXTS), onnx_model.predict_proba_all(TEXTS)
    for head in ("polarity", "emotion"):
        assert np.allclose(got[head], expected[head], atol=1e-5)
    # padding inside a batch does not change a text: the repeated text scores the same
    assert np.allclose(got["polarity"][0], got["polarity"][4], atol=1e-6)


@needs_onnxruntime
def test_onnx_file_is_built_once_per_file_content(tiny: Path, _cache_in_tmp: Path) -> None:
    T.TransformerModel(tiny, runtime="onnx")
    built = sorted(_cache_in_tmp.iterdir())
    assert len(built) == 1 and built[0].suffix == ".onnx"  # no temporary file left behind
    stamp = built[0].stat().st_mtime_ns
    T.TransformerModel(tiny, runtime="onnx")  # same bytes: loaded, not rebuilt
    assert built[0].stat().st_mtime_ns == stamp
    write_tiny_transformer(tiny, seed=3)  # the file is replaced (a new export)
    model = T.TransformerModel(tiny, runtime="onnx")
    assert len(list(_cache_in_tmp.iterdir())) == 2
    assert np.allclose(model.predict_proba(TEXTS[:2]),
                       T.TransformerModel(tiny, runtime="numpy").predict_proba(TEXTS[:2]), atol=1e-5)


@needs_onnxruntime
def test_onnx_int8_quantises_weight_matmuls_only(tiny: Path) -> None:
    import onnx

    model = T.TransformerModel(tiny, runtime="onnx-int8")
    graph = onnx.load(str(model.encoder.onnx_path)).graph
    ops = {node.op_type for node in graph.node}
    assert "MatMulInteger" in ops or "DynamicQuantizeMatMul" in ops
    float_matmuls = {node.name for node in graph.node if node.op_type == "MatMul"}
    assert float_matmuls == {"l0.scores", "l0.context", "l1.scores", "l1.context"}
    probs = model.predict_proba_all(TEXTS)
    assert np.allclose(probs["emotion"].sum(1), 1.0) and probs["polarity"].shape == (5, 3)


def test_auto_without_onnxruntime_uses_numpy_and_says_so_once(
        tiny: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(onnx_runtime, "onnxruntime_available", lambda: False)
    T._say_once.cache_clear()
    with caplog.at_level(logging.WARNING, logger="opinion.sentiment.transformer"):
        first = T.TransformerModel(tiny)
        T.TransformerModel(tiny)
    assert isinstance(first.encoder, E5NumpyEncoder)
    lines = [r.getMessage() for r in caplog.records]
    assert len(lines) == 1 and "opinion[transformer]" in lines[0]
    with pytest.raises(InputError, match="runtime must be one of"):
        T.TransformerModel(tiny, runtime="gpu")  # type: ignore[arg-type]


@needs_onnxruntime
def test_shipped_model_same_labels_in_onnx_on_real_weibo_posts() -> None:
    path = T.transformer_path()
    if not path.exists():
        pytest.skip("the shipped transformer file is missing (a partial clone)")
    texts = pd.read_csv(WEIBO)["text"].astype(str).tolist()[:16]
    expected = T.TransformerModel(path, runtime="numpy").predict_proba_all(texts)
    got = T.TransformerModel(path, runtime="onnx").predict_proba_all(texts)
    for head in ("polarity", "emotion"):
        assert (got[head].argmax(1) == expected[head].argmax(1)).all()
        assert np.abs(got[head] - expected[head]).max() < 1e-4
