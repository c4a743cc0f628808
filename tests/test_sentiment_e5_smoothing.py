"""Smoothing before int8 (``opinion.sentiment.e5.smoothing``): same float outputs, narrower input ranges."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from e5_factory import write_tiny_transformer

from opinion.sentiment import transformer as T
from opinion.sentiment.e5 import onnx_runtime, smoothing

pytestmark = pytest.mark.skipif(not onnx_runtime.onnxruntime_available(),
                                reason="needs the transformer extra (onnx, onnxruntime)")
TEXTS = ["房间很干净", "服务太差了，再也不来了", "今天天气不错[哈哈]", "a a 很", "房间干净 a"]


@pytest.fixture(autouse=True)
def _cache_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Built ONNX files go to a temporary cache folder, never the user's."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def _run(graph, model, encoded, pad_id) -> np.ndarray:
    import onnxruntime as ort

    from opinion.sentiment.e5.encoder import pad_batch, word_rows
    from opinion.sentiment.e5.onnx_graph import INPUTS, OUTPUT

    ids, mask = pad_batch(encoded, pad_id)
    session = ort.InferenceSession(graph.SerializeToString(), providers=["CPUExecutionProvider"])
    return session.run([OUTPUT], {INPUTS[0]: word_rows(model, ids), INPUTS[1]: mask.astype(np.int64)})[0]


def test_smoothing_keeps_the_outputs_and_narrows_each_input_range(tmp_path: Path) -> None:
    from opinion.sentiment.e5.fileformat import read_e5_file
    from opinion.sentiment.e5.onnx_graph import build_e5_graph
    from opinion.sentiment.e5.tokenizer import CLASSIFY_PREFIX, E5Tokenizer

    path = tmp_path / "tiny.e5s1"
    write_tiny_transformer(path)
    model = read_e5_file(path)
    tokenizer = E5Tokenizer.from_file(model)
    encoded = [tokenizer.encode(t, prefix=CLASSIFY_PREFIX, max_tokens=model.config.max_positions)
               for t in TEXTS]
    graph = build_e5_graph(model)
    names = smoothing.smoothed_names(model.config.layers)
    before = smoothing.input_maxima(graph, names, model, encoded, tokenizer.eos, batch_size=2)
    smoothed = smoothing.smooth(graph, before)
    order = [node.name for node in smoothed.graph.node]
    assert all(order.index(f"{name}.smooth") == order.index(name) - 1 for name in names)
    # the float product is unchanged: the scale moved from the input into the weight
    assert np.allclose(_run(smoothed, model, encoded, tokenizer.eos),
                       _run(graph, model, encoded, tokenizer.eos), atol=1e-5)
    after = smoothing.input_maxima(smoothed, names, model, encoded, tokenizer.eos)
    for name in names:  # the MatMul now reads the smoothed input: its channels are closer in range
        spread_before = before[name].max() / np.median(before[name])
        spread_after = after[name].max() / np.median(after[name])
        assert spread_after < spread_before


def test_calibration_texts_are_real_and_encode(tmp_path: Path) -> None:
    from opinion.sentiment.e5.fileformat import read_e5_file
    from opinion.sentiment.e5.tokenizer import E5Tokenizer

    lines = smoothing.CALIBRATION_FILE.read_text(encoding="utf-8").splitlines()
    assert len(lines) >= 200 and all(line.strip() for line in lines)
    assert any("疫情" in line for line in lines) and any(len(line) > 150 for line in lines)
    path = tmp_path / "tiny.e5s1"
    write_tiny_transformer(path)
    ids = smoothing.calibration_ids(E5Tokenizer.from_file(read_e5_file(path)), max_tokens=16)
    assert len(ids) == len(lines) and max(map(len, ids)) == 16


def test_shipped_model_int8_keeps_the_float_labels_on_real_posts() -> None:
    import pandas as pd

    path = T.transformer_path()
    if not path.exists():
        pytest.skip("the shipped transformer file is missing (a partial clone)")
    weibo = Path(__file__).parent / "data" / "sentiment" / "weibo_emotions_42.csv"
    texts = pd.read_csv(weibo)["text"].astype(str).tolist()
    expected = T.TransformerModel(path, runtime="onnx").predict_proba_all(texts)
    got = T.TransformerModel(path, runtime="onnx-int8").predict_proba_all(texts)
    for head in ("polarity", "emotion"):  # 1,000 posts: 99 % and 98 % (docs/teacher.md)
        same = (got[head].argmax(1) == expected[head].argmax(1)).mean()
        assert same >= 0.9, (head, same)
