"""Words a Traditional reader sees alike are one word (opinion.words.groups.shown_forms):
想象 and 想像 are both 想像 in zh-Hant-TW and zh-HK, so keywords list it once with the whole
count and networks have one node for it (h45 finding 3, 2026-12-07)."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

from opinion.words.groups import excluded_forms, shown_forms

# Weibo-style posts; mainland writers use both 想象 and its variant 想像
POSTS = [
    ("2020-02-01", "疫情的严重程度超出了想象，大家出门一定要戴口罩"),
    ("2020-02-01", "武汉人民的坚强超乎想像，武汉加油"),
    ("2020-02-01", "无法想象一线医护人员有多辛苦，医护人员加油"),
    ("2020-02-01", "无法想像没有口罩的日子，口罩真的太难买了"),
    ("2020-02-02", "今天的确诊病例又增加了，希望疫情早日结束"),
    ("2020-02-02", "医院床位紧张，希望火神山医院早日建成"),
    ("2020-02-02", "确诊病例的数据每天都在更新，大家注意防护"),
    ("2020-02-02", "在家隔离的第十天，确诊病例还在增加"),
]


@pytest.fixture(scope="module")
def ws(tmp_path_factory) -> Path:
    from opinion.io.load import load_corpus
    from opinion.prepare import prepare_workspace

    folder = tmp_path_factory.mktemp("shown")
    pd.DataFrame(POSTS, columns=["date", "text"]).to_csv(folder / "posts.csv", index=False)
    load_corpus([str(folder / "posts.csv")], folder / "ws")
    prepare_workspace(folder / "ws", workers=1)
    return folder / "ws"


def test_shown_forms_and_their_exclusions():
    forms = shown_forms(["想象", "想像", "武汉"], "zh-Hant-TW")
    assert forms == {"想象": "想像", "想像": "想像", "武汉": "武漢"}
    assert excluded_forms(forms, ["想象"]) == {"想像"}  # excluding one spelling excludes what is shown
    assert excluded_forms(forms, []) == set()


@pytest.mark.parametrize("script", ["zh-Hant-TW", "zh-HK"])
def test_keywords_list_a_word_shown_alike_once_with_the_whole_count(ws, script):
    from opinion.words.keywords import KeywordSettings, keywords

    settings = KeywordSettings(min_count=1, min_docs=1, top=50, min_g2=0)
    simplified = keywords(ws, by="period", settings=settings, save=False)
    day = simplified[simplified["group"] == "2020-02-01"].set_index("word")["count"]
    assert {"想象", "想像"} <= set(day.index)  # two words in Simplified
    shown = keywords(ws, by="period", settings=settings, script=script, save=False)
    assert not shown.duplicated(["group", "word"]).any()
    first = shown[shown["group"] == "2020-02-01"].set_index("word")
    assert first.loc["想像", "count"] == day["想象"] + day["想像"]
    gone = keywords(ws, by="period", settings=KeywordSettings(min_count=1, min_docs=1, top=50, min_g2=0, exclude=("想象",)),
                    script=script, save=False)
    assert "想像" not in set(gone["word"])


def test_network_has_one_node_for_a_word_shown_alike(ws, tmp_path):
    from opinion.words.network import NetworkSettings, cooccurrence_network, write_network

    settings = NetworkSettings(top=40, min_cooccurrence=1)
    net = cooccurrence_network(ws, settings=settings, script="zh-Hant-TW")
    assert net.nodes["label"].is_unique and net.nodes["id"].is_unique
    simplified = cooccurrence_network(ws, settings=settings)
    apart = simplified.nodes.set_index("id")["doc_freq"]
    assert apart["想象"] == 2 and apart["想像"] == 1  # Simplified readers see two words
    node = net.nodes.set_index("label").loc["想像"]
    assert node["doc_freq"] == 3 and node["id"] in {"想象", "想像"}  # the posts holding either spelling
    write_network(net, tmp_path)
    for graph in (nx.read_gexf(tmp_path / "network.gexf"), nx.read_graphml(tmp_path / "network.graphml")):
        labels = [data["label"] for _, data in graph.nodes(data=True)]
        assert len(labels) == len(set(labels))
