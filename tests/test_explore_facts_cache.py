"""The explorer's ``facts`` table kept in the workspace between starts (opinion/explore/facts.py)."""

from __future__ import annotations

import pandas as pd
import pytest
from factory import make_workspace

from opinion.explore.data import ExploreStore, Filters
from opinion.explore.facts import CACHE_DIR, connect, save_cache


def _facts(db) -> pd.DataFrame:
    return db.con.execute("SELECT * FROM facts ORDER BY doc_id").df()


@pytest.fixture()
def ws(tmp_path):
    return make_workspace(tmp_path / "ws")


def test_facts_kept_in_the_workspace_are_attached_at_the_next_start(ws):
    built = connect(ws.root)
    assert not built.from_cache
    path = save_cache(built)
    assert path is not None and path.parent == ws.root / CACHE_DIR and path.is_file()
    kept = connect(ws.root)
    assert kept.from_cache and kept.cache_path == path
    pd.testing.assert_frame_equal(_facts(kept), _facts(built))
    assert save_cache(kept) is None  # nothing to write: it is the kept file
    store = ExploreStore.open(ws.root, texts_in_memory=False, db=kept)
    assert store.overview()["documents"] == 55
    assert store.search(Filters(query="口罩", labels=("negative",))).total == \
        ExploreStore.open(ws.root, texts_in_memory=False, db=built).search(
            Filters(query="口罩", labels=("negative",))).total


def test_a_rerun_stage_builds_facts_again_and_drops_the_old_file(ws):
    old = save_cache(connect(ws.root))
    for part in ws.parts("sentiment"):  # `opinion sentiment` again, with other labels
        ws.write_part("sentiment", part, ws.read_part("sentiment", part).assign(sentiment_label="neutral"))
    db = connect(ws.root)
    assert not db.from_cache and db.cache_path != old
    assert set(_facts(db)["sentiment_label"]) == {"neutral"}
    assert save_cache(db) == db.cache_path
    assert old is not None and not old.exists()  # one file per workspace
    assert connect(ws.root).from_cache


def test_facts_built_before_a_stage_reran_are_not_kept(ws):
    db = connect(ws.root)
    ws.write_table("topics", ws.read("topics"))  # the workspace changed while the page was open
    assert save_cache(db) is None
    assert not list((ws.root / CACHE_DIR).glob("*.duckdb"))


def test_a_damaged_file_is_built_again_and_an_unwritable_cache_is_skipped(ws):
    path = connect(ws.root).cache_path
    path.parent.mkdir()
    path.write_bytes(b"not a database")
    db = connect(ws.root)
    assert not db.from_cache and len(_facts(db)) == 55
    assert save_cache(db) == path and connect(ws.root).from_cache
    path.unlink()
    path.parent.rmdir()
    (ws.root / CACHE_DIR).write_text("a file where the folder goes")  # mkdir fails: like a read-only folder
    db = connect(ws.root)
    assert save_cache(db) is None and not db.from_cache
    assert not [p for p in ws.root.iterdir() if p.name.endswith(".tmp")]


def test_the_store_keeps_facts_after_copying_the_texts(ws):
    store = ExploreStore.open(ws.root)  # copies the texts into memory, then keeps facts
    assert store.wait_for_texts(timeout=30)
    store._texts_thread.join(timeout=30)
    assert connect(ws.root).from_cache
