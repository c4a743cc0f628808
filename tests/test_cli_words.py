"""The words commands: one line on a user error, files written, formulas neutralised."""

from __future__ import annotations

import pandas as pd
from typer.testing import CliRunner

from opinion.cli import app

runner = CliRunner()


def test_keywords_by_topic_writes_a_safe_csv(tmp_path):
    from factory import HOSTILE_LABEL, make_hostile_workspace

    ws = make_hostile_workspace(tmp_path / "ws")
    result = runner.invoke(app, ["keywords", "-w", str(ws.root), "--by", "topic", "--min-count", "1",
                                 "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(tmp_path / "out" / "keywords_by_topic.csv", encoding="utf-8-sig")
    assert "'" + HOSTILE_LABEL in set(table["group"])  # the formula label is shown, not run
    assert {"group", "rank", "word", "count", "rest_count", "g2"} <= set(table.columns)


def test_words_commands_fail_in_one_line(tmp_path):
    from factory import make_workspace

    ws = make_workspace(tmp_path / "ws")
    for args in (["keywords", "--by", "author"], ["network", "--theme", "没有"], ["network", "--period", "someday"],
                 ["newwords", "--accept-file", str(tmp_path / "missing.txt")]):
        result = runner.invoke(app, [*args, "-w", str(ws.root)])
        assert result.exit_code == 1, (args, result.output)
        assert result.output.startswith("error: ") and len(result.output.strip().splitlines()) == 1


def test_network_and_wordcloud_write_files(tmp_path):
    from factory import make_workspace

    ws = make_workspace(tmp_path / "ws")
    result = runner.invoke(app, ["network", "-w", str(ws.root), "--top", "20", "--min-cooccurrence", "1",
                                 "--out", str(tmp_path / "net"), "--script", "zh-HK"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "net" / "network_all.gexf").is_file() and (tmp_path / "net" / "network_all_edges.csv").is_file()
    result = runner.invoke(app, ["wordcloud", "-w", str(ws.root), "--by", "theme", "--out", str(tmp_path / "clouds")])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "clouds").glob("*.png"))
    result = runner.invoke(app, ["wordcloud", "-w", str(ws.root)])  # by default in the workspace, as network/
    assert result.exit_code == 0, result.output
    assert (ws.root / "wordclouds" / "wordcloud_all.png").is_file()


def test_excluded_words_leave_keywords_networks_and_clouds(tmp_path):
    """--exclude (either script, commas) and --exclude-file take words out of every words view."""
    from factory import make_workspace

    from opinion.words.cloud import group_frequencies
    from opinion.words.keywords import KeywordSettings, keywords
    from opinion.words.network import NetworkSettings, cooccurrence_network

    ws = make_workspace(tmp_path / "ws")
    before = keywords(ws.root, by="period", settings=KeywordSettings(min_count=1))
    top_words = before.sort_values("g2", ascending=False)["word"].drop_duplicates().head(2).tolist()
    stoplist = tmp_path / "停用词.txt"
    stoplist.write_text(f"# 项目停用词\n{top_words[1]}\n", encoding="utf-8")
    shown = render(top_words[0], "zh-Hant-TW")  # given in Traditional, matched in Simplified
    result = runner.invoke(app, ["keywords", "-w", str(ws.root), "--min-count", "1", "--exclude", f"{shown},不存在",
                                 "--exclude-file", str(stoplist), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    after = pd.read_csv(tmp_path / "out" / "keywords_by_period.csv", encoding="utf-8-sig")
    assert not set(top_words) & set(after["word"]) and len(after) > 0
    kept = before[~before["word"].isin(top_words)].set_index(["group", "word"])["g2"]
    assert after.set_index(["group", "word"])["g2"].reindex(kept.index).dropna().equals(
        kept.reindex(after.set_index(["group", "word"]).index).dropna())  # the other words keep their G²
    network = cooccurrence_network(ws.root, settings=NetworkSettings(top=20, min_cooccurrence=1,
                                                                     exclude=tuple(top_words)))
    assert not set(top_words) & set(network.nodes["label"]) and len(network.nodes) > 0
    clouds = group_frequencies(ws.root, by=None, exclude=top_words)
    assert not set(top_words) & set(clouds["all"].index)
    assert set(top_words) & set(group_frequencies(ws.root, by=None)["all"].index)  # there without --exclude


def test_everyday_words_are_left_out_unless_shown(tmp_path):
    """没有, 真的, 知道 … are in every group of a Weibo corpus and say nothing about any: the
    network, the clouds and the keyword lists leave them out; --everyday-words shows them."""
    from factory import make_workspace

    from opinion.text.everyday import EVERYDAY_WORDS
    from opinion.words.cloud import group_frequencies
    from opinion.words.network import NetworkSettings, cooccurrence_network

    ws = make_workspace(tmp_path / "ws")
    counted = group_frequencies(ws.root, by=None, top=10_000, everyday_words=True)["all"]
    everyday = [w for w in counted.index if w in EVERYDAY_WORDS]
    assert everyday  # the real posts of the fixture use them
    assert not set(everyday) & set(group_frequencies(ws.root, by=None, top=10_000)["all"].index)
    settings = NetworkSettings(top=40, min_cooccurrence=1)
    assert not set(cooccurrence_network(ws.root, settings=settings).nodes["label"]) & EVERYDAY_WORDS
    shown = cooccurrence_network(ws.root, settings=NetworkSettings(top=40, min_cooccurrence=1, everyday_words=True))
    assert set(shown.nodes["label"]) & EVERYDAY_WORDS
    for flag, present in (([], False), (["--everyday-words"], True)):
        result = runner.invoke(app, ["network", "-w", str(ws.root), "--top", "40", "--min-cooccurrence", "1",
                                     "--out", str(tmp_path / "net"), *flag])
        assert result.exit_code == 0, result.output
        nodes = pd.read_csv(tmp_path / "net" / "network_all_nodes.csv", encoding="utf-8-sig")
        assert bool(set(nodes["label"]) & EVERYDAY_WORDS) is present


def render(text: str, script: str) -> str:
    from opinion.text.script import render as to_script

    return to_script(text, script)


def test_network_of_a_topic_the_workspace_lacks_names_its_topics(tmp_path):
    from factory import make_workspace

    ws = make_workspace(tmp_path / "ws")
    result = runner.invoke(app, ["network", "-w", str(ws.root), "--topic", "999"])
    assert result.exit_code == 1 and "no topic 999: its topics are 0–" in result.output


def test_newwords_accept_without_a_word_says_so(tmp_path):
    from factory import make_workspace

    ws = make_workspace(tmp_path / "ws")
    for given in ("", " , "):  # added nothing and said "added 0 word(s)"
        result = runner.invoke(app, ["newwords", "-w", str(ws.root), "--accept", given])
        assert result.exit_code == 1 and "no word given" in result.output
    (tmp_path / "empty.txt").write_text("\n", encoding="utf-8")
    result = runner.invoke(app, ["newwords", "-w", str(ws.root), "--accept-file", str(tmp_path / "empty.txt")])
    assert result.exit_code == 1 and "no word in it" in result.output
