"""A Latin word written in several cases is one word in the word views (opinion.words.forms)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from opinion.words.forms import preferred_forms

POSTS = Path(__file__).parent / "data" / "words" / "latin_case_posts.tsv"


def test_the_spelling_used_most_wins_and_ties_go_to_the_one_that_sorts_first():
    assert preferred_forms({"SARS": 9, "sars": 4, "Sars": 1, "武汉": 3}) == {"sars": "SARS", "Sars": "SARS"}
    assert preferred_forms({"app": 5, "APP": 5}) == {"app": "APP"}
    assert preferred_forms({"N95": 1, "n95": 2, "KN95": 1}) == {"N95": "n95"}
    assert preferred_forms({"武汉": 3, "WHO": 2}) == {}


@pytest.fixture(scope="module")
def ws(tmp_path_factory) -> Path:
    """Load and prepare of 12 real posts writing SARS (8 times), sars (3), Sars (1), N95 (4), n95 (3)."""
    from opinion.io.load import load_corpus
    from opinion.prepare import prepare_workspace

    folder = tmp_path_factory.mktemp("latin")
    pd.read_csv(POSTS, sep="\t").to_csv(folder / "posts.csv", index=False)
    load_corpus([str(folder / "posts.csv")], folder / "ws", date_col="date")
    prepare_workspace(folder / "ws", workers=1)
    return folder / "ws"


def test_keywords_clouds_and_networks_count_every_case_as_one_word(ws):
    """Found on the 620k Weibo posts (2026-12-07): SARS 3,389 times, sars 244, Sars 16 were three
    words, so their counts were split and sars could be a keyword or a cloud word beside SARS."""
    from opinion.io.workspace import Workspace
    from opinion.words.cloud import group_frequencies
    from opinion.words.keywords import KeywordSettings, group_counts
    from opinion.words.network import NetworkSettings, cooccurrence_network

    tokens = [t for ts in Workspace.open(ws).read("prepared", columns=["tokens"])["tokens"] for t in ts]
    written = {w: tokens.count(w) for w in ("SARS", "sars", "Sars", "N95", "n95")}
    assert all(written.values())  # the tokens stay as written
    settings = KeywordSettings(top=10_000, min_count=1, min_g2=0.0)
    counts, totals, _ = group_counts(ws, by="period", settings=settings)
    assert totals["SARS"] == written["SARS"] + written["sars"] + written["Sars"]
    assert totals["N95"] == written["N95"] + written["n95"]
    assert not {"sars", "Sars", "n95"} & set(counts["word"])
    cloud = group_frequencies(ws, by=None, top=100_000)["all"]
    assert cloud["SARS"] == totals["SARS"] and "sars" not in cloud.index
    net = cooccurrence_network(ws, settings=NetworkSettings(top=1_000, min_cooccurrence=1))
    nodes = set(net.nodes["label"])
    assert {"SARS", "N95"} <= nodes and not {"sars", "Sars", "n95"} & nodes


def test_the_forms_are_kept_and_follow_the_prepared_table(ws):
    from opinion.io.workspace import Workspace
    from opinion.words.forms import latin_forms

    kept = list((ws / "words").glob("latin_forms_*.parquet"))
    assert len(kept) == 1
    assert latin_forms(Workspace.open(ws))["sars"] == "SARS"
