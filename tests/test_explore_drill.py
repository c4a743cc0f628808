"""Drill-down queries: a topic's documents in a chosen order, its timeline, a period's movers."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from factory import make_workspace

from opinion import schema as S
from opinion.explore.data import ExploreStore, Filters
from opinion.explore.drill import compare_topics, period_movers, periods, topic_timeline
from opinion.explore.order import available_sorts, order_sql


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    root = tmp_path_factory.mktemp("drill") / "ws"
    make_workspace(root)
    return ExploreStore.open(root, texts_in_memory=False)


def test_documents_of_one_day_follow_the_file_order_not_the_string_order_of_ids(tmp_path):
    ws = make_workspace(tmp_path / "ws")
    corpus = ws.read_part(S.CORPUS, "sample-00000")
    ws.write_part(S.CORPUS, "sample-00000", corpus.assign(published_at=pd.Timestamp("2020-02-01"),
                                                          source="weibo"))
    store = ExploreStore.open(ws.root, texts_in_memory=False)
    ids = store.search(Filters(), page_size=20).rows[S.DOC_ID].tolist()
    assert ids == [f"sample-{i}" for i in range(1, 21)]  # string order would be sample-1, -10, -11, ...
    assert store.export_frame(Filters())[S.DOC_ID].tolist()[:12] == [f"sample-{i}" for i in range(1, 13)]


def test_sorts_by_sentiment_date_and_typicality(store):
    negative = store.search(Filters(), sort="negative", page_size=55).rows[S.SENTIMENT_SCORE]
    assert negative.is_monotonic_increasing and len(negative) == 55
    positive = store.search(Filters(), sort="positive", page_size=55).rows[S.SENTIMENT_SCORE]
    assert positive.is_monotonic_decreasing
    oldest = store.search(Filters(), sort="oldest", page_size=55).rows[S.PUBLISHED_AT]
    assert oldest.is_monotonic_increasing
    assert set(available_sorts(store.fact_columns)) == {"newest", "oldest", "typical", "negative", "positive"}
    assert "topic_prob" in order_sql("typical", store.fact_columns)
    assert "topic_prob" not in order_sql("typical", ["sentiment_score"])  # no topics: newest first


def test_a_topic_filtered_by_emotion_period_and_source(store):
    topic = int(store.topics()[S.TOPIC_ID].iloc[0])
    all_docs = store.search(Filters(topics=(topic,)), page_size=55).rows
    angry = store.search(Filters(topics=(topic,), emotions=("anger",)), page_size=55).rows
    assert 0 < len(angry) < len(all_docs) and set(angry[S.EMOTION_LABEL]) == {"anger"}
    day = pd.Timestamp(all_docs[S.PUBLISHED_AT].iloc[0]).date()
    one_day = store.search(Filters(topics=(topic,), start=day, end=day), page_size=55).rows
    assert {pd.Timestamp(t).date() for t in one_day[S.PUBLISHED_AT]} == {day}


def test_topic_timeline_counts_every_period(store):
    topic = int(store.topics()[S.TOPIC_ID].iloc[0])
    timeline = topic_timeline(store, topic)
    assert timeline["documents"].sum() == int(store.topics()["size"].iloc[0])
    assert len(timeline) == len(periods(store))  # periods without the topic show 0
    assert timeline["share"].between(0, 1).all() and timeline["mean_sentiment"].notna().any()


def test_period_movers_compare_with_the_period_before(store):
    known = periods(store)
    second = known[1]
    movers = period_movers(store, second)
    assert movers["change"].is_monotonic_decreasing
    assert movers["share"].sum() == pytest.approx(1) and movers["share_before"].sum() == pytest.approx(1)
    before = store.search(Filters(start=known[0], end=known[0]), page_size=55).rows
    now = store.search(Filters(start=second, end=second), page_size=55).rows
    top = movers.iloc[0]
    expected = ((now[S.TOPIC_ID] == top[S.TOPIC_ID]).mean() - (before[S.TOPIC_ID] == top[S.TOPIC_ID]).mean())
    assert top["change"] == pytest.approx(expected)
    assert period_movers(store, dt.date(1999, 1, 1)).empty


def test_compare_lists_every_topic_of_the_other_side_when_one_side_has_no_documents(store):
    a, b = "A: 2020-01-25 → 2020-02-08", "B: 2020-02-28 → 2020-04-01"  # no post between 1-25 and 2-8
    sides = {a: Filters(start=dt.date(2020, 1, 25), end=dt.date(2020, 2, 8)),
             b: Filters(start=dt.date(2020, 2, 28), end=dt.date(2020, 4, 1))}
    shares, _ = store.compare(sides)
    assert set(shares["side"]) == {b}  # side A adds no rows
    labels = {0: "口罩", 1: "直播", 2: "确诊", 3: "武汉"}
    changes = compare_topics(shares, labels, list(sides))
    assert set(changes[S.TOPIC_ID]) == set(shares[S.TOPIC_ID]) and len(changes) >= 2  # every topic of B
    assert (changes[f"documents {a}"] == 0).all() and (changes[f"share {a}"] == 0).all()
    assert changes["change"].tolist() == pytest.approx(changes[f"share {b}"].tolist())
    assert changes[f"documents {b}"].sum() == store.count(sides[b])
    nothing, _ = store.compare({a: sides[a], "B: 2020-01-25 → 2020-02-08": sides[a]})
    both_empty = compare_topics(nothing, labels, [a, "B: 2020-01-25 → 2020-02-08"])
    assert both_empty.empty and f"share {a}" in both_empty.columns
