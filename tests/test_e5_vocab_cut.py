"""tools/e5_vocab_cut.py: a cut vocabulary keeps ids' meaning, tokens and embeddings."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
from e5_factory import QUANTISED, write_tiny_model

from opinion.sentiment.e5.encoder import E5NumpyEncoder
from opinion.sentiment.e5.fileformat import read_e5_file, write_e5_file
from opinion.sentiment.e5.tokenizer import E5Tokenizer

TOOL = Path(__file__).resolve().parents[1] / "tools" / "e5_vocab_cut.py"


def _tool():
    spec = importlib.util.spec_from_file_location("e5_vocab_cut", TOOL)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("e5_vocab_cut", module)
    spec.loader.exec_module(module)
    return module


def test_vocab_cut_keeps_tokens_and_embeddings_of_covered_text(tmp_path: Path) -> None:
    full = write_tiny_model(tmp_path / "full.bin")
    tok = E5Tokenizer.from_file(full)
    text = "房间很干净"
    used = np.array(tok.content_ids("passage: " + text))
    pieces, scores, tensors, remap = _tool().cut_model(full, used)
    assert pieces[:4] == ["<s>", "<pad>", "</s>", "<unk>"] and len(pieces) < len(full.pieces)
    write_e5_file(tmp_path / "cut.bin", full, tensors, pieces=pieces, scores=scores,
                  quantised=QUANTISED)
    cut = read_e5_file(tmp_path / "cut.bin")
    assert cut.config.vocab_rows == len(pieces)
    assert E5Tokenizer.from_file(cut).encode(text) == [int(remap[i]) for i in tok.encode(text)]
    assert np.allclose(E5NumpyEncoder(cut).embed([text]), E5NumpyEncoder(full).embed([text]),
                       atol=1e-6)
