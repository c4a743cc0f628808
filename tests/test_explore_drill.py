"""Drill-down queries: a topic's documents in a chosen order, its timeline, a period's movers."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest
from factory import make_workspace, open_explorer

from opinion import schema as S
from opinion.explore.data import ExploreStore, Filters
from opinion.explore.drill import axis_names, compare_topics, period_movers, periods, topic_timeline
from opinion.explore.facts import workspace_stamp
from opinion.explore.order import available_sorts, order_sql
from opinion.explore.sections import drill as drill_section
from opinion.explore.widgets import open_store
from opinion.topics import edit_store as E
from opinion.topics.edits import TopicEdit

APP = Path(__file__).resolve().parents[1] / "app.py"


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


LONG = "关于新冠肺炎疫情期间口罩价格上涨与囤积现象的讨论之"  # two renamed topics whose axis cut reads the same


def test_axis_names_keep_topics_whose_cut_labels_read_the_same_apart():
    names = axis_names({6: LONG + "二", 9: LONG + "一", 1: "直播·带货·国货"})
    assert len(set(names.values())) == 3 and names[1] == "直播·带货·国货"  # a label that fits stays whole
    assert names[6].endswith(" #6") and names[9].endswith(" #9")


start = open_explorer  # an explorer session on a workspace, opened at a section


def test_period_movers_give_each_topic_its_own_row_when_labels_cut_alike(monkeypatch, tmp_path):
    """Bug hunt h47 #1: two long renamed labels became one axis row, their rises stacked."""
    root = tmp_path / "ws"
    make_workspace(root)
    E.record_edits(root, [TopicEdit("rename", (0,), LONG + "一"), TopicEdit("rename", (2,), LONG + "二")])
    at = start(monkeypatch, root)
    at.radio(key="topics_view").set_value("period").run()
    at.selectbox(key="topics_period_period").set_value(dt.date(2020, 3, 1)).run()  # topics 0, 1 and 2
    assert not at.exception, at.exception
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    rows = [y for trace in spec["data"] for y in trace["y"]]
    assert len(rows) == len(set(rows)) == 3  # one row per topic


def test_topic_timeline_shares_leave_out_documents_without_a_topic_yet(tmp_path):
    """Bug hunt h47 #3: posts loaded after the topic stage counted in the share's denominator."""
    ws = make_workspace(tmp_path / "ws")
    corpus = ws.read_part(S.CORPUS, "sample-00000")
    day = pd.Timestamp(corpus[S.PUBLISHED_AT].iloc[0]).normalize()
    late = corpus.head(8).assign(doc_id=[f"late-{i}" for i in range(8)], published_at=day)
    ws.write_part(S.CORPUS, "late-00000", late)  # loaded, not yet through prepare or topics
    store = ExploreStore.open(ws.root, texts_in_memory=False)
    topic = int(store.topics()[S.TOPIC_ID].iloc[0])
    row = topic_timeline(store, topic).set_index("period").loc[day]
    with_topic = store.query("SELECT count(*) AS n FROM facts WHERE day = ? AND topic_id IS NOT NULL",
                             [day.date()])["n"].iloc[0]
    assert row["share"] == pytest.approx(row["documents"] / with_topic)


def test_topic_posts_rerun_the_page_when_the_workspace_changed(monkeypatch, tmp_path):
    """Bug hunt h47 #2: a fragment rerun queried under the stale stamp of the last full run,
    which rebuilt the store from the edited files under the old key (topic 4: 0 posts)."""
    root = tmp_path / "ws"
    make_workspace(root)
    store = open_store(str(root), workspace_stamp(root))
    E.record_edits(root, [TopicEdit("merge", (0, 2))])  # another tab (or the CLI) saves an edit

    class Rerun(Exception):
        pass

    def rerun(scope: str = "app") -> None:
        raise Rerun(scope)

    monkeypatch.setattr(drill_section.st, "rerun", rerun)
    with pytest.raises(Rerun, match="app"):  # the fragment's body, as a fragment rerun runs it
        drill_section.render_topic_posts.__wrapped__(store, 2, script="zh-Hans", key="posts", terms=[], labels={})
    open_store.clear()


def test_another_topic_opens_its_posts_on_page_1(monkeypatch, tmp_path):
    """Bug hunt h47 #4: a new topic kept the old page number (page 3 of topic 0 → topic 2 opened
    on its page 3); the box shows the page listed."""
    root = tmp_path / "ws"
    make_workspace(root)
    at = start(monkeypatch, root)
    at.selectbox(key="topics_choice").set_value(0).run()
    at.number_input(key="topics_posts_page").set_value(3).run()  # posts 21-29 of topic 0
    assert at.number_input(key="topics_posts_page").value == 3
    at.selectbox(key="topics_choice").set_value(2).run()  # 21 posts: 3 pages
    assert not at.exception, at.exception
    assert at.number_input(key="topics_posts_page").value == 1
    assert any("第 1 / 3 页" in m.value for m in at.markdown)
    at.number_input(key="topics_posts_page").set_value(3).run()
    at.selectbox(key="topics_choice").set_value(1).run()  # 3 posts: 1 page
    assert at.number_input(key="topics_posts_page").value == 1
    assert any("第 1 / 1 页" in m.value for m in at.markdown)


def test_topic_posts_are_drawn_in_the_workspaces_conversion(monkeypatch, tmp_path):
    """A fragment rerun (page 2) runs outside the page's ``main``: the list is drawn in the
    workspace's conversion itself, so a ``tw2sp`` workspace's highlights are those of page 1."""
    from opinion import kwic
    from opinion.text.conversion import analysis_hant

    root = tmp_path / "ws"
    make_workspace(root)
    monkeypatch.setattr(kwic, "workspace_hant", lambda ws: "tw2sp")  # prepared with [prepare] hant = tw2sp
    drawn: list[str] = []
    monkeypatch.setattr(drill_section, "show_documents", lambda rows, **kwargs: drawn.append(analysis_hant()))
    store = open_store(str(root), workspace_stamp(root))
    drill_section.render_topic_posts.__wrapped__(store, 0, script="zh-Hans", key="posts", terms=["口罩"], labels={})
    open_store.clear()
    assert drawn == ["tw2sp"]
