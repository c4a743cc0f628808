"""Duplicates and spam counted one way in the explorer and the report, and a topic's post list
that says how many of its posts it leaves out (issue 17)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from factory import make_flagged_workspace, make_workspace
from streamlit.testing.v1 import AppTest

from opinion import schema as S
from opinion.explore.data import ExploreStore, Filters
from opinion.explore.drill import flagged_count
from opinion.flagged import workspace_flag_counts
from opinion.report.sections import overview
from opinion.report.tables import build_tables

APP = Path(__file__).resolve().parents[1] / "app.py"


@pytest.fixture(scope="module")
def flagged(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("flagged") / "ws"
    make_flagged_workspace(root)
    return root


@pytest.fixture(scope="module")
def store(flagged) -> ExploreStore:
    return ExploreStore.open(flagged, texts_in_memory=False)


def run_rows(tables) -> dict[tuple[str, str], object]:
    return tables["run"].set_index(["section", "key"])["value"].to_dict()


def test_flag_counts_are_the_same_figures_in_the_explorer_and_the_report(flagged, store):
    facts = store.overview()
    # exact copies are in their original's near cluster too: counted once, as exact
    assert (facts["duplicates"], facts["near_duplicates"], facts["spam"]) == (2, 2, 2)
    tables = build_tables(flagged)
    run = run_rows(tables)
    assert (run[("corpus", "duplicates")], run[("corpus", "near_duplicates")], run[("corpus", "spam")]) == (2, 2, 2)
    assert "not exact duplicates" in run[("definition", "near_duplicates")]
    figures = dict(overview(tables).itertuples(index=False))
    assert (figures["完全重复"], figures["近似重复"], figures["垃圾帖"]) == ("2", "2", "2")
    english = dict(overview(tables, lang="en").itertuples(index=False))
    assert {"Exact duplicates", "Near-duplicates", "Spam posts"} <= set(english)


def test_flag_counts_without_the_flags_table_know_only_exact_copies(tmp_path):
    ws = make_workspace(tmp_path / "ws")
    counts = workspace_flag_counts(ws)
    assert (counts.duplicates, counts.near_duplicates, counts.spam) == (2, None, None)
    facts = ExploreStore.open(ws.root, texts_in_memory=False).overview()
    assert (facts["duplicates"], facts["near_duplicates"], facts["spam"]) == (2, None, None)
    tables = build_tables(ws)
    assert ("corpus", "near_duplicates") not in run_rows(tables)
    assert "近似重复" not in set(overview(tables)["指标"])


def test_topic_posts_left_out_add_up_to_the_topic_size(store):
    size = int(store.topics().set_index(S.TOPIC_ID).loc[0, "size"])
    kept = Filters(topics=(0,), include_duplicates=False, include_spam=False)
    assert flagged_count(store, kept) == 3  # two near-duplicates (one also spam) and one more spam post
    assert store.count(kept) + 3 == size == store.count(Filters(topics=(0,)))
    for topic_id, size in store.topics().set_index(S.TOPIC_ID)["size"].items():  # every topic adds up
        kept = Filters(topics=(int(topic_id),), include_duplicates=False, include_spam=False)
        assert store.count(kept) + flagged_count(store, kept) == size


def start(monkeypatch: pytest.MonkeyPatch, root: Path, **params: str) -> AppTest:
    monkeypatch.setattr(sys, "argv", ["app.py", "--workspace", str(root)])
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params.update(params)
    at.run()
    assert not at.exception, at.exception
    return at


def test_overview_cards_name_the_report_figures(monkeypatch, flagged):
    at = start(monkeypatch, flagged)
    metrics = {m.label: m.value for m in at.metric}
    assert (metrics["完全重复"], metrics["近似重复"], metrics["垃圾帖"]) == ("2", "2", "2")
    assert "重复" not in metrics  # no figure of exact and near together under another name


def test_topic_post_list_says_what_it_leaves_out_and_shows_it_when_asked(monkeypatch, flagged):
    at = start(monkeypatch, flagged, section="Topics")
    at.selectbox(key="topics_choice").set_value(0).run()
    size = int(at.dataframe[0].value.set_index("topic_id").loc[0, "size"])
    lines = " ".join(str(m.value) for m in at.markdown)
    assert f"**{size - 3}** 篇文档（另有 3 篇重复或垃圾帖，勾选“包括重复与垃圾帖”显示）" in lines
    at.checkbox(key="topics_posts_flagged").check().run()
    assert not at.exception, at.exception
    lines = " ".join(str(m.value) for m in at.markdown)
    assert f"**{size}** 篇文档（含 3 篇重复或垃圾帖）" in lines
