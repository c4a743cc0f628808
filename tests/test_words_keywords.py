"""Keywords by group with Dunning's log-likelihood on the demo corpus."""

from __future__ import annotations

import math
import re
from collections import Counter

import numpy as np
import pytest

from opinion.errors import InputError
from opinion.words.keywords import KeywordSettings, keyword_grid, keywords, log_likelihood


@pytest.fixture(scope="module")
def ws(tmp_path_factory):
    from test_words_network import DEMO

    from opinion.io.load import load_corpus
    from opinion.prepare import prepare_workspace

    root = tmp_path_factory.mktemp("keywords") / "ws"
    load_corpus([str(DEMO)], root, date_from_filename=True)
    prepare_workspace(root, workers=1)
    return root


@pytest.mark.parametrize("a, b, c, d, expected", [
    (10, 10, 100, 1000, 22.138),  # twice as common in the group as E1 = 1.82 expects
    (5, 50, 1000, 10000, 0.0),  # the same rate on both sides
])
def test_log_likelihood_known_values(a, b, c, d, expected):
    assert float(log_likelihood(np.array([a]), np.array([b]), c, d)[0]) == pytest.approx(expected, abs=1e-3)


def test_keywords_by_week_match_a_direct_count(ws):
    from opinion.flags import excluded_ids
    from opinion.io.workspace import Workspace
    from opinion.periods import period_start

    table = keywords(ws, by="period", settings=KeywordSettings(period="week", top=5))
    w = Workspace.open(ws)
    docs = w.read("prepared", columns=["doc_id", "tokens"]).merge(
        w.read("corpus", columns=["doc_id", "published_at"]), on="doc_id")
    flagged = {d for part in w.parts("corpus") for d in excluded_ids(w, part)}  # duplicates and spam
    docs = docs[~docs["doc_id"].isin(flagged)]
    docs["week"] = period_start(docs["published_at"], "week").dt.strftime("%Y-%m-%d")
    keep = lambda t: (len(t) >= 2 and not t[0].isdigit() and not (t.startswith("#") and t.endswith("#"))  # noqa: E731
                      and not re.fullmatch(r"\[[^\[\]]+\]", t))  # emoticons ([捂脸]) out since 2026-12-07
    row = table.iloc[0]
    group = Counter(t for ts in docs.loc[docs["week"] == row["group"], "tokens"] for t in ts if keep(t))
    rest = Counter(t for ts in docs.loc[docs["week"] != row["group"], "tokens"] for t in ts if keep(t))
    assert (row["count"], row["rest_count"]) == (group[row["word"]], rest[row["word"]])
    expected = log_likelihood(np.array([group[row["word"]]]), np.array([rest[row["word"]]]),
                              sum(group.values()), sum(rest.values()))[0]
    assert row["g2"] == pytest.approx(expected, abs=0.01)
    assert (table["per_10k"] > table["rest_per_10k"]).all() and (table["count"] >= 5).all()
    assert table.groupby("group")["g2"].apply(lambda s: s.is_monotonic_decreasing).all()
    grid = keyword_grid(table, top=3)
    assert list(grid.index) == [1, 2, 3] and row["group"] in grid.columns
    assert math.isfinite(table["log_ratio"].max())


def test_keywords_by_theme_and_source_render_the_script(ws):
    by_theme = keywords(ws, by="theme", script="zh-Hant-TW", settings=KeywordSettings(min_count=2))
    assert set(by_theme["group"]) <= {"信任", "國貨", "非遺", "直播電商"} and len(by_theme)
    by_source = keywords(ws, by="source")  # the demo folder, and the article without a source
    groups = set(by_source["group"])  # no source: the input file's name, as in the explorer and report
    assert "demo" in groups and all(g.endswith(".csv.gz") for g in groups - {"demo"})
    assert (by_source["g2"] >= 3.84).all()
    with pytest.raises(InputError, match="--by"):
        keywords(ws, by="author")
    with pytest.raises(InputError, match="run `opinion topics"):
        keywords(ws, by="topic")
