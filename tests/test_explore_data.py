"""ExploreStore: DuckDB queries over a small real-text workspace (tests/factory.py)."""

from __future__ import annotations

import datetime as dt

import duckdb
import numpy as np
import pandas as pd
import pytest
from factory import make_workspace

from opinion import schema as S
from opinion.errors import WorkspaceError
from opinion.explore.data import ExploreStore, Filters, workspace_stamp


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    root = tmp_path_factory.mktemp("explore") / "ws"
    make_workspace(root)
    return ExploreStore.open(root)


def test_overview_counts(store):
    facts = store.overview()
    assert facts["documents"] == 55
    assert facts["sources"] == 3
    assert facts["duplicates"] == 2  # the repeated news-cn sentence and one repeated Weibo post
    assert facts["first"].date() == dt.date(2020, 1, 24)
    assert facts["rejects"] is None


def test_counts_by_source_and_script(store):
    sources = store.counts_by("source").set_index("source")["documents"].to_dict()
    assert sources == {"weibo": 51, "news-tw": 2, "news-cn": 2}
    scripts = store.counts_by("script").set_index("script")["documents"].to_dict()
    assert scripts == {"zh-Hans": 52, "zh-Hant": 3}
    assert store.per_period()["documents"].sum() == 55
    assert store.period == "day"  # 68 days of data


def test_search_in_either_script(store):
    traditional = store.search(Filters(query="國貨"))
    simplified = store.search(Filters(query="国货"))
    assert traditional.total == simplified.total == 2
    assert all("国货" in text for text in traditional.rows["text_norm"])


def test_search_finds_latin_words_in_any_case_as_opinion_kwic(store):
    upper = store.search(Filters(query="KN95口罩")).total
    assert upper == 12 and store.search(Filters(query="kn95口罩")).total == upper


def test_search_phrase_and_all_terms(store):
    assert store.search(Filters(query="口罩")).total == 29
    assert store.search(Filters(query="口罩 特朗普")).total == 1
    assert store.search(Filters(query='"KN95口罩"')).total == 12
    assert store.search(Filters(query="美国 拒绝")).total == 12
    assert store.search(Filters(query='"美国 拒绝"')).total == 0  # a phrase keeps its space
    assert store.search(Filters(query="不存在的词")).total == 0


def test_search_is_the_same_from_parquet_and_from_memory(store, tmp_path):
    make_workspace(tmp_path / "ws")
    from_parquet = ExploreStore.open(tmp_path / "ws", texts_in_memory=False)
    assert store.wait_for_texts(timeout=30)
    for query in ("口罩", "國貨", '"KN95口罩"', "HYPERLINK"):
        assert store.search(Filters(query=query)).total == from_parquet.search(Filters(query=query)).total
    page = store.search(Filters(query="国货"))
    assert page.rows["text_norm"].str.contains("国货").all()


def test_filters_narrow_the_matches(store):
    everything = store.search(Filters(query="口罩")).total
    negative = store.search(Filters(query="口罩", labels=("negative",)))
    assert 0 < negative.total < everything
    assert set(negative.rows["sentiment_label"]) == {"negative"}
    assert store.search(Filters(sources=("news-tw",))).total == 2
    assert store.search(Filters(themes=("国货",))).total == 2
    assert store.search(Filters(topics=(1,))).total == 4
    assert store.search(Filters(start=dt.date(2020, 4, 1), end=dt.date(2020, 4, 1))).total == 15
    assert store.search(Filters(sources=("news-cn",), include_duplicates=False)).total == 1


def test_search_pages(store):
    first = store.search(Filters(), page=1, page_size=20)
    last = store.search(Filters(), page=3, page_size=20)
    assert (first.pages, len(first.rows), len(last.rows)) == (3, 20, 15)
    assert not set(first.rows["doc_id"]) & set(last.rows["doc_id"])
    assert store.search(Filters(), page=99, page_size=20).page == 3  # clamped, not empty


def test_topics_with_sentiment_and_representatives(store):
    topics = store.topics()
    assert "1_直播_带货_国货" in set(topics["label"])
    row = topics.set_index("topic_id").loc[1]
    assert row["size"] == 4 and row["negative_share"] == pytest.approx(0.75)
    docs = store.representative_docs(1)
    assert list(docs["doc_id"]) == ["sample-49", "sample-50", "sample-51"]
    assert store.topic_sentiment(1)["documents"].sum() == 4
    assert store.topic_over_time(0)["count"].sum() == 29


@pytest.mark.parametrize("by", ["period", "topic", "theme", "source"])
def test_emotion_shares_by_each_grouping(store, by):
    shares = store.emotion_shares(by)
    assert not shares.empty and list(shares.columns) == ["group", "emotion_label", "documents", "share"]
    assert shares.groupby("group")["share"].sum().tolist() == pytest.approx([1.0] * shares["group"].nunique())
    if by in ("period", "source"):
        assert shares["documents"].sum() == 55
    if by == "source":
        assert set(shares["group"]) == {"weibo", "news-tw", "news-cn"}
    assert store.emotion_shares("month-of-year").empty


def test_emotion_shares_come_in_a_meaningful_order(store):
    # topics as the topic table lists them (largest first, the catch-all ones after them and
    # the outliers last, as the report orders them); sources by documents, periods by date,
    # and within a group the emotions in the documented order
    topics = store.query("SELECT topic_id, label, size FROM topics")
    ids = dict(zip(topics["label"], topics["topic_id"]))
    groups = store.emotion_shares("topic")["group"].drop_duplicates().map(lambda g: ids.get(g, g)).tolist()
    by_size = topics.sort_values("size", ascending=False)["topic_id"].tolist()
    assert groups == [t for t in by_size if t in groups] and len(groups) > 1
    sources = store.emotion_shares("source")
    totals = sources.groupby("group", sort=False)["documents"].sum()
    assert totals.tolist() == sorted(totals, reverse=True)
    periods = store.emotion_shares("period")["group"].drop_duplicates().tolist()
    assert periods == sorted(periods)
    for _, group in sources.groupby("group", sort=False):
        rank = [S.EMOTIONS.index(e) for e in group["emotion_label"]]
        assert rank == sorted(rank)


def test_topic_map_places_every_topic(store):
    positions = store.topic_map()
    assert len(positions) == 3
    assert positions[["x", "y"]].notna().all().all()
    assert positions[["x", "y"]].drop_duplicates().shape[0] == 3


def test_intertopic_map_leaves_out_the_outlier_topic():
    from opinion.explore.intertopic import intertopic_map

    topics = pd.DataFrame({"topic_id": [-1, 0, 1], "label": ["无内容", "口罩·防护", "直播·带货"], "size": [1, 29, 4],
                           "top_terms": [[], ["口罩", "防护"], ["直播", "带货"]]})
    assert intertopic_map(topics)["topic_id"].tolist() == [0, 1]
    assert intertopic_map(topics[topics["topic_id"] < 0]).empty


def test_themes_and_kwic(store):
    totals = store.theme_totals().set_index("theme")["documents"].to_dict()
    assert totals["信任"] == 3 and totals["非遗"] == 0
    over_time = store.themes_over_time()
    assert set(over_time["theme"]) == set(store.theme_names)
    lines = store.kwic("直播", width=6)  # the duplicate's line is left out by default
    assert len(lines) == 4 and set(lines["term"]) == {"直播"}
    assert len(store.kwic("直播", width=6, include_flagged=True)) == 5
    in_theme = store.kwic("直播", theme="国货", width=6)
    assert set(in_theme["doc_id"]) == {"sample-49", "sample-50"}
    assert store.kwic("直播帶貨")["term"].iloc[0] == "直播带货"


def test_kwic_of_a_shipped_theme_without_a_term(store):
    lines = store.kwic("", theme="国货", width=6)
    assert set(lines["doc_id"]) == {"sample-49", "sample-50"}
    assert "国货" in set(lines["term"])
    assert store.kwic("", theme=None).empty


def test_compare_two_sources(store):
    topics, sentiment = store.compare({"tw": Filters(sources=("news-tw",)), "cn": Filters(sources=("news-cn",))})
    assert topics.groupby("side")["share"].sum().round(6).to_dict() == {"cn": 1.0, "tw": 1.0}
    assert set(sentiment["side"]) == {"tw", "cn"}


def test_workspace_without_topics(tmp_path):
    make_workspace(tmp_path / "ws", with_topics=False)
    store = ExploreStore.open(tmp_path / "ws")
    assert store.topics().empty
    assert store.missing_table("topics") == "topics"
    assert store.search(Filters(query="口罩")).total == 29
    # no document is known to be in topic 1: none matches, not every one (findings h44 §5; an error neither)
    assert store.search(Filters(topics=(1,), query="口罩")).total == 0


def test_open_refuses_a_folder_that_is_no_workspace(tmp_path):
    with pytest.raises(WorkspaceError, match="opinion load"):
        ExploreStore.open(tmp_path)


def test_stamp_changes_when_a_table_is_rewritten(tmp_path):
    ws = make_workspace(tmp_path / "ws")
    before = workspace_stamp(ws.root)
    ws.write_table("topics", pd.DataFrame({"topic_id": [0]}))
    assert workspace_stamp(ws.root) != before


def test_intertopic_map_puts_topics_with_shared_terms_closer():
    from opinion.explore.intertopic import intertopic_map

    topics = pd.DataFrame({
        "topic_id": [0, 1, 2], "label": ["0_口罩_防护", "1_口罩_戴口罩", "2_直播_带货"], "size": [10, 8, 5],
        "top_terms": [["口罩", "防护"], ["口罩", "戴口罩"], ["直播", "带货"]],
        "top_terms_weights": [[0.3, 0.2], [0.3, 0.2], [0.3, 0.2]]})
    xy = intertopic_map(topics).set_index("topic_id")[["x", "y"]].to_numpy()
    near = ((xy[0] - xy[1]) ** 2).sum()
    far = ((xy[0] - xy[2]) ** 2).sum()
    assert near < far
    assert intertopic_map(pd.DataFrame()).empty


def test_search_tables_are_reused_and_bounded(tmp_path):
    make_workspace(tmp_path / "ws")
    store = ExploreStore.open(tmp_path / "ws", texts_in_memory=False)
    first = store.hits_table(["口罩"])
    assert store.hits_table(["口罩"]) == first
    for i in range(20):
        store.search(Filters(query=f"口罩 {i}"))
    tables = set(store.query("SELECT table_name FROM duckdb_tables() WHERE table_name LIKE 'hits_%'")["table_name"])
    assert len(tables) == 16 and first not in tables
    assert store.search(Filters(query="口罩")).total == 29  # rebuilt after it was dropped


def test_long_corpora_are_bucketed_by_week_or_month(tmp_path):
    ws = make_workspace(tmp_path / "ws")
    corpus = ws.read_part("corpus", "sample-00000")
    spread = pd.to_datetime("2019-01-01") + pd.to_timedelta(corpus.index * 25, unit="D")  # ~3.7 years
    ws.write_part("corpus", "sample-00000", corpus.assign(published_at=spread))
    store = ExploreStore.open(ws.root, texts_in_memory=False)
    assert store.period == "month"
    per_month = store.per_period()
    assert per_month["documents"].sum() == 55
    assert all(pd.Timestamp(p).day == 1 for p in per_month["period"])
    assert all(pd.Timestamp(p).day == 1 for p in store.themes_over_time()["period"])


def test_documents_without_a_source_get_their_file_name_or_no_source(tmp_path):
    from opinion.explore.facts import NO_SOURCE

    ws = make_workspace(tmp_path / "ws")
    corpus = ws.read_part("corpus", "sample-00000")
    no_source = corpus["source"] == "weibo"  # 51 rows, as a CSV without a source column loads
    corpus.loc[no_source, "source"] = None
    corpus.loc[no_source, "input_file"] = "../data/weibo/1.19.csv"
    corpus.loc[corpus["doc_id"] == "sample-1", "input_file"] = None  # and one row with no file either
    ws.write_part("corpus", "sample-00000", corpus)
    store = ExploreStore.open(ws.root, texts_in_memory=False)
    sources = store.counts_by("source").set_index("source")["documents"].to_dict()
    assert sources == {"1.19.csv": 50, NO_SOURCE: 1, "news-tw": 2, "news-cn": 2}
    assert store.search(Filters(sources=("1.19.csv",))).total == 50
    assert store.search(Filters(sources=(NO_SOURCE,))).rows["doc_id"].tolist() == ["sample-1"]
    assert store.overview()["sources"] == 4
    assert NO_SOURCE in store.filter_options()["sources"]


def test_a_database_built_before_the_page_is_the_one_the_page_uses(tmp_path):
    from opinion.explore.facts import connect

    make_workspace(tmp_path / "ws")
    db = connect(tmp_path / "ws", threads=1)
    assert db.stamp == workspace_stamp(db.root)
    default = duckdb.connect().execute("SELECT current_setting('threads')").fetchone()[0]
    assert db.con.execute("SELECT current_setting('threads')").fetchone()[0] == default  # back after the build
    store = ExploreStore.open(tmp_path / "ws", texts_in_memory=False, db=db)
    assert store._con is db.con and store.overview()["documents"] == 55
    assert store.theme_names == ["信任", "国货", "非遗", "直播电商"]
    columns = [r[0] for r in db.con.execute("DESCRIBE facts").fetchall()]
    assert {"sentiment_score", "sentiment_label", "emotion_label"} <= set(columns)
    assert not [c for c in columns if "_prob_" in c]  # no chart reads the class probabilities


def test_a_search_copies_the_texts_now_instead_of_waiting(tmp_path):
    make_workspace(tmp_path / "ws")
    store = ExploreStore.open(tmp_path / "ws", texts_in_memory=False)
    store.load_texts(after=600)  # the explorer asks for the copy for later
    assert not store.wait_for_texts(timeout=0.1)
    assert store.search(Filters(query="口罩")).total == 29  # ... but a search needs it now
    assert store.wait_for_texts(timeout=0)
    assert store._text_source() == ("texts", "text_norm")


def test_spread_puts_topics_on_a_grid_in_mds_order():
    from opinion.explore.intertopic import spread

    piled = pd.DataFrame({"topic_id": range(6), "x": [0.0, 1e-6, 2e-6, 0.5, 3e-6, 0.4],
                          "y": [3.0, 2.0, 1.0, 0.0, 1.5, 9.0]})
    grid = spread(piled)
    assert len(set(zip(grid["x"], grid["y"]))) == 6  # no two topics on one spot
    order = piled.sort_values("x").index
    assert grid.loc[order, "x"].is_monotonic_increasing  # columns keep the left-to-right order
    for _, column in grid.groupby("x"):  # within a column, bottom to top by y
        assert piled.loc[column.sort_values("y").index, "y"].is_monotonic_increasing


def test_emotion_shares_put_catch_all_topics_after_the_others(tmp_path):
    """A topic flagged ``is_generic`` comes after the other topics and before the outliers, as
    in the report (a hotel-review corpus had its catch-all praise topic in the middle)."""
    ws = make_workspace(tmp_path / "ws")
    topics = pd.read_parquet(ws.table_path(S.TOPICS))
    largest = int(topics.loc[topics[S.TOPIC_ID] >= 0, S.TOPIC_ID].min())
    ws.write_table(S.TOPICS, topics.assign(is_generic=topics[S.TOPIC_ID].eq(largest)))
    store = ExploreStore.open(ws.root, texts_in_memory=False)
    ids = dict(zip(topics["label"], topics[S.TOPIC_ID]))
    groups = store.emotion_shares("topic")["group"].drop_duplicates().map(ids).tolist()
    by_size = topics.sort_values("size", ascending=False)[S.TOPIC_ID].tolist()
    others = [t for t in by_size if t >= 0 and t != largest and t in groups]
    assert groups == [*others, largest, *[t for t in groups if t < 0]]


def test_emotion_shares_keep_two_topics_with_one_label_apart(tmp_path):
    """Groups were labels, so two topics renamed alike (or labelled alike from their terms)
    were counted as one group, their shares summed; each topic id is its own group now, and
    the explorer's topic choosers name them apart too (two identical entries before)."""
    ws = make_workspace(tmp_path / "ws")
    topics = pd.read_parquet(ws.table_path(S.TOPICS))
    ws.write_table(S.TOPICS, topics.assign(label="防疫"))
    store = ExploreStore.open(ws.root, texts_in_memory=False)
    shares = store.emotion_shares("topic")
    assert sorted(shares["group"].unique()) == sorted(f"防疫 #{t}" for t in topics[S.TOPIC_ID])
    assert np.allclose(shares.groupby("group")["share"].sum(), 1.0)
    from opinion.explore.drill import topic_labels

    names = topic_labels(store)  # the topic chooser, the post filters and the drill-down
    assert sorted(names.values()) == sorted(f"防疫 #{t}" for t in topics[S.TOPIC_ID])


def test_the_texts_copy_stops_cleanly_before_the_interpreter_exits(tmp_path):
    """A copy still inside DuckDB when Python finalises aborted a test run once ("terminate
    called after throwing an instance of ''"); at exit the store stops it and waits."""
    root = tmp_path / "ws"
    make_workspace(root)
    waiting = ExploreStore.open(root, texts_in_memory=False)
    waiting.load_texts(after=60)  # not started yet: stopping must not start it
    waiting.stop_texts()
    assert not waiting._texts_thread.is_alive() and not waiting.wait_for_texts(0)
    import subprocess
    import sys

    code = ("import sys; from opinion.explore.data import ExploreStore\n"
            f"s = ExploreStore.open({str(root)!r})\n"  # the copy starts at once, in a daemon thread
            "print('open')")
    for _ in range(3):
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
        assert (done.returncode, done.stdout.strip()) == (0, "open"), done.stderr
        assert "terminate called" not in done.stderr


def test_timelines_follow_the_topic_period_the_user_chose(tmp_path):
    """`opinion run --topic-period week` reached the export's timelines but not the explorer's
    (which picked its own from the date range, 2026-12-07)."""
    from opinion.config import TopicSettings, store_settings

    ws = make_workspace(tmp_path / "ws")
    chosen = ExploreStore.open(ws.root).period
    other = "month" if chosen != "month" else "day"
    store_settings(ws, TopicSettings(period=other))
    ws.save_manifest()
    assert ExploreStore.open(ws.root).period == other


def test_timelines_follow_the_period_the_export_was_given(tmp_path):
    """`opinion export --period week` made the report weekly while the explorer's timelines
    stayed daily (2026-12-08): the export's stored period comes first, as in the export."""
    from opinion.config import ExportSettings, TopicSettings, store_settings

    ws = make_workspace(tmp_path / "ws")
    store_settings(ws, TopicSettings(period="day"))
    store_settings(ws, ExportSettings(period="week"))
    ws.save_manifest()
    assert ExploreStore.open(ws.root).period == "week"


def test_themes_over_time_shares_leave_out_documents_not_prepared_yet(tmp_path):
    """Posts loaded after prepare counted in the theme share's denominator (the export's share
    is of prepared documents): findings h47 explorer, note on data.py."""
    ws = make_workspace(tmp_path / "ws")
    corpus = ws.read_part(S.CORPUS, "sample-00000")
    day = pd.Timestamp(corpus[S.PUBLISHED_AT].iloc[0]).normalize()
    ws.write_part(S.CORPUS, "late-00000", corpus.head(8).assign(doc_id=[f"late-{i}" for i in range(8)],
                                                                 published_at=day))
    store = ExploreStore.open(ws.root, texts_in_memory=False)
    theme = store.theme_names[0]
    row = store.themes_over_time().set_index(["theme", "period"]).loc[(theme, day)]
    prepared = store.query(f"SELECT count(\"{S.theme_column(theme)}\") AS n FROM facts WHERE day = ?",
                           [day.date()])["n"].iloc[0]
    assert row[S.PREVALENCE] == pytest.approx(row["documents"] / prepared)
