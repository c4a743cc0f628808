"""Co-occurrence networks of the demo corpus: weights, communities, GEXF/GraphML round trips."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

from opinion.errors import InputError
from opinion.words.network import NetworkSettings, cooccurrence_network, write_network

DEMO = Path(__file__).resolve().parents[1] / "corpora" / "demo"


@pytest.fixture(scope="module")
def ws(tmp_path_factory) -> Path:
    from opinion.io.load import load_corpus
    from opinion.prepare import prepare_workspace

    root = tmp_path_factory.mktemp("network") / "ws"
    load_corpus([str(DEMO)], root, date_from_filename=True)
    prepare_workspace(root, workers=1)
    return root


@pytest.fixture(scope="module")
def net(ws):
    return cooccurrence_network(ws, settings=NetworkSettings(top=60))


def test_network_of_demo_opens_from_gexf_and_graphml_with_same_nodes_and_edges(net, tmp_path):
    written = write_network(net, tmp_path / "out")
    assert [p.name for p in written] == ["network.gexf", "network.graphml", "network_nodes.csv", "network_edges.csv"]
    expected_nodes = set(net.graph.nodes)
    expected_edges = {frozenset(e) for e in net.graph.edges}
    for graph in (nx.read_gexf(tmp_path / "out" / "network.gexf"), nx.read_graphml(tmp_path / "out" / "network.graphml")):
        assert set(graph.nodes) == expected_nodes
        assert {frozenset(e) for e in graph.edges} == expected_edges
        some = next(iter(net.graph.edges))
        assert graph.edges[some]["weight"] == pytest.approx(net.graph.edges[some]["weight"])
        assert {int(graph.nodes[n]["community"]) for n in graph.nodes} == set(net.nodes["community"])
    edges = pd.read_csv(tmp_path / "out" / "network_edges.csv", encoding="utf-8-sig")
    assert len(edges) == len(net.edges) and len(expected_nodes) > 20


def test_edge_weight_is_jaccard_of_documents(ws, net):
    from opinion.flags import excluded_ids
    from opinion.io.workspace import Workspace

    w = Workspace.open(ws)
    prepared = w.read("prepared", columns=["doc_id", "tokens"])
    flagged = {d for part in w.parts("corpus") for d in excluded_ids(w, part)}  # duplicates and spam
    kept = prepared[~prepared["doc_id"].isin(flagged)]
    sets = [set(t) for t in kept["tokens"]]
    edge = net.edges.iloc[0]
    a = sum(edge["source"] in s for s in sets)
    b = sum(edge["target"] in s for s in sets)
    both = sum(edge["source"] in s and edge["target"] in s for s in sets)
    assert edge["cooccurrence"] == both
    assert edge["weight"] == pytest.approx(both / (a + b - both), abs=1e-4)
    assert net.edges["weight"].is_monotonic_decreasing and len(net.edges) <= 120


def test_communities_are_reproducible_and_filters_apply(ws, net):
    again = cooccurrence_network(ws, settings=NetworkSettings(top=60))
    assert again.nodes.equals(net.nodes) and again.edges.equals(net.edges)
    week = cooccurrence_network(ws, settings=NetworkSettings(top=30, period="week"), period="2020-01-20")
    assert week.documents < net.documents and week.doc_filter.slug() == "period-week-2020-01-20"
    hant = cooccurrence_network(ws, settings=NetworkSettings(top=60), script="zh-Hant-TW")
    assert "武漢" in set(hant.nodes["label"]) and "武汉" in set(hant.nodes["id"])
    with pytest.raises(InputError, match="theme"):
        cooccurrence_network(ws, theme="没有这个主题")


def test_every_word_keeps_its_best_edge_before_the_strongest_others():
    from opinion.words.network import strongest_edges

    edges = pd.DataFrame({"source": ["甲", "甲", "乙", "丁"], "target": ["乙", "丙", "丙", "甲"],
                          "cooccurrence": [9, 9, 9, 3], "weight": [0.9, 0.8, 0.7, 0.1]})
    kept = strongest_edges(edges, per_word=1, limit=3)  # a top-3 by weight would drop 丁
    assert list(zip(kept["source"], kept["target"])) == [("甲", "乙"), ("甲", "丙"), ("丁", "甲")]
    assert len(strongest_edges(edges, per_word=3, limit=10)) == 4


def test_a_topic_merged_or_dropped_by_topics_edit_says_where_it_went(tmp_path):
    """Item 6 of the words findings (2026-12-07): --topic 1 after `topics edit --merge 0,1` said
    only "no words in the chosen documents", as if topic 1 had no text."""
    from factory import make_workspace
    from typer.testing import CliRunner

    from opinion.cli import app

    ws = make_workspace(tmp_path / "ws")  # topics 0, 1 and 2

    def edit(*args: str) -> None:
        result = CliRunner().invoke(app, ["topics", "edit", "-w", str(ws.root), *args])
        assert result.exit_code == 0, result.output

    edit("--merge", "0,1")
    with pytest.raises(InputError, match=r"topic 1 was merged into topic 0 \(opinion topics edit\); use --topic 0"):
        cooccurrence_network(ws.root, topic=1)
    with pytest.raises(InputError, match=r"no topic 9: its topics are 0, 2;"):  # the edited ids
        cooccurrence_network(ws.root, topic=9)
    merged = cooccurrence_network(ws.root, topic=0, settings=NetworkSettings(top=10, min_cooccurrence=1))
    assert merged.documents > 0
    edit("--drop", "2")
    with pytest.raises(InputError, match=r"topic 2 was dropped by opinion topics edit"):
        cooccurrence_network(ws.root, topic=2)


def test_network_of_every_word_stays_sparse(ws):
    """`--top 100000` built a dense words × words matrix (14,653 words of 2,515 posts: 1.6 GB per
    part, a MemoryError under a 2.5 GB limit); the pairs are now kept sparse, with the same counts."""
    import tracemalloc

    from opinion.flags import excluded_ids
    from opinion.io.workspace import Workspace

    tracemalloc.start()
    big = cooccurrence_network(ws, settings=NetworkSettings(top=100_000, min_cooccurrence=2))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    w = Workspace.open(ws)
    prepared = w.read("prepared", columns=["doc_id", "tokens"])
    flagged = {d for part in w.parts("corpus") for d in excluded_ids(w, part)}
    sets = [set(t) for t in prepared.loc[~prepared["doc_id"].isin(flagged), "tokens"]]
    words = len({t for s in sets for t in s})
    assert len(big.nodes) > 500 and peak < words * words * 8 / 4  # a fourth of the dense matrix
    for edge in big.edges.sample(20, random_state=1).itertuples():
        assert edge.cooccurrence == sum(edge.source in s and edge.target in s for s in sets)


def test_words_tied_at_the_cut_are_the_same_nodes_in_every_script(tmp_path):
    """h47 i18n 5: the top words went by the word shown, so at a tie zh-Hant-TW took 村屯 (處罰
    sorts after it) where zh-Hans took 处罚; node ids and words now follow the Simplified word."""
    from opinion.io.load import load_corpus
    from opinion.prepare import prepare_workspace

    posts = ["村屯防控这几天很紧张", "我们村屯今天加强防控", "村屯入口设卡严格防控",  # 村屯 and 处罚: 3 posts each
             "违规聚会被处罚，防控升级", "不戴口罩要处罚，防控必须严", "处罚了三户人家，防控靠大家"]
    path = tmp_path / "posts.csv"
    path.write_text("text\n" + "\n".join(posts) + "\n", encoding="utf-8")
    load_corpus([str(path)], tmp_path / "ws")
    prepare_workspace(tmp_path / "ws", workers=1)
    settings = NetworkSettings(top=2, include_duplicates=True)  # 防控 (6 posts), then one of the tie
    nodes = {script: cooccurrence_network(tmp_path / "ws", settings=settings, script=script).nodes
             for script in ("zh-Hans", "zh-Hant-TW", "zh-HK")}
    assert nodes["zh-Hans"]["id"].tolist() == ["防控", "处罚"]
    for script in ("zh-Hant-TW", "zh-HK"):
        assert nodes[script]["id"].tolist() == ["防控", "处罚"]
        assert nodes[script]["label"].tolist() == ["防控", "處罰"]
