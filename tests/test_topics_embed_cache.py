"""Re-running topics on the same workspace reuses the stored embeddings, part by part."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from opinion import schema as S
from opinion.topics import static
from opinion.topics.embed_cache import cache_table
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
    fit_topics(ws, embedding="static-zh", seed=1, workers=1)
    table = cache_table("static-zh")
    assert table == "embeddings/static-zh"
    assert sum(calls) == len(ws.read(S.PREPARED))  # every document once, the fit sample included
    assert ws.parts(table) == ws.parts(S.PREPARED)  # one cache part per prepared part
    first = {part: ws.read_part(table, part) for part in ws.parts(table)}
    assert all(len(first[p]) == len(ws.read_part(S.PREPARED, p)) for p in first)

    embedded = sum(calls)
    fit_topics(ws, embedding="static-zh", seed=2, nr_topics=12, workers=1)  # new settings: refit
    assert sum(calls) == embedded  # ... from the cached vectors
    for part, frame in first.items():
        pd.testing.assert_frame_equal(ws.read_part(table, part), frame)

    changed = "part-00001"
    ws.write_part(S.PREPARED, changed, ws.read_part(S.PREPARED, changed).iloc[:-1])
    ws.write_part(S.CORPUS, changed, ws.read_part(S.CORPUS, changed).iloc[:-1])
    fit_topics(ws, embedding="static-zh", seed=2, nr_topics=12, workers=1)
    # only the changed part is embedded again
    assert sum(calls) - embedded == len(ws.read_part(S.PREPARED, changed))
    pd.testing.assert_frame_equal(ws.read_part(table, "part-00000"), first["part-00000"])
