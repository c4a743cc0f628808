"""Re-running topics on the same workspace reuses the stored embeddings."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from opinion.topics import static
from opinion.topics.embed_cache import CACHE_DIR
from opinion.topics.model import fit_topics
from tests.test_topics_model import build_workspace


def test_topics_rerun_with_other_settings_does_not_re_embed(tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    ws = build_workspace(tmp_path / "ws")
    calls: list[int] = []
    original = static.StaticEmbedder.encode

    def counting(self, docs, *, texts=None):
        calls.append(len(docs))
        return original(self, docs, texts=texts)

    monkeypatch.setattr(static.StaticEmbedder, "encode", counting)
    fit_topics(ws, embedding="static-zh", seed=1)
    embedded = sum(calls)
    assert embedded == len(ws.read("prepared")) and (ws.root / CACHE_DIR / "static-zh.npy").exists()
    first = np.load(ws.root / CACHE_DIR / "static-zh.npy")

    fit_topics(ws, embedding="static-zh", seed=2, nr_topics=12)  # new settings: refit
    assert sum(calls) == embedded  # ... from the cached vectors
    assert np.array_equal(np.load(ws.root / CACHE_DIR / "static-zh.npy"), first)

    ws.write_part("prepared", "part-00001", ws.read_part("prepared", "part-00001").iloc[:-1])
    fit_topics(ws, embedding="static-zh", seed=2, nr_topics=12)  # prepared changed: re-embed
    assert sum(calls) > embedded
