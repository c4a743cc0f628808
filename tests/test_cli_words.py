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


def test_newwords_accept_refusals_are_one_line(tmp_path):
    """A pasted 'word freq tag' line added three words, B站 and #火神山# were added and never applied,
    and a GBK user_dict.txt gave a UnicodeDecodeError traceback."""
    from factory import make_workspace

    ws = make_workspace(tmp_path / "ws")
    for value, says in (("钻石公主号 100 nz", "without spaces"), ("B站", "Han characters only"),
                        ("#火神山#", "Han characters only")):
        result = runner.invoke(app, ["newwords", "-w", str(ws.root), "--accept", value])
        assert result.exit_code == 1 and says in result.output, result.output
        assert len(result.output.strip().splitlines()) == 1
    assert not (ws.root / "user_dict.txt").exists()
    (ws.root / "user_dict.txt").write_bytes("火神山\n方舱医院\n".encode("gbk"))
    result = runner.invoke(app, ["newwords", "-w", str(ws.root), "--accept", "雷神山"])
    assert result.exit_code == 1 and "not UTF-8" in result.output and "iconv" in result.output, result.output
    assert len(result.output.strip().splitlines()) == 1

def test_wordcloud_max_words_above_200_reach_the_cloud(tmp_path, monkeypatch):
    """Item 2 of the words findings (2026-12-07): --max-words 500 drew 200 words, the most
    group_frequencies handed on whatever was asked."""
    from factory import make_workspace
    from PIL import Image

    from opinion.words import cloud

    drawn: list[tuple[int, int]] = []

    def record(frequencies, *, script, settings):  # noqa: ARG001 - the CLI's call, recorded
        drawn.append((len(frequencies), settings.max_words))
        return Image.new("RGB", (8, 4), "white")

    monkeypatch.setattr(cloud, "word_cloud", record)
    ws = make_workspace(tmp_path / "ws")
    result = runner.invoke(app, ["wordcloud", "-w", str(ws.root), "--max-words", "300", "--out", str(tmp_path / "c")])
    assert result.exit_code == 0, result.output
    assert len(drawn) == 1 and drawn[0][1] == 300 and drawn[0][0] >= 300  # the sample has 600 words


def test_wordcloud_file_names_follow_the_script_and_never_overwrite(tmp_path):
    """Item 5 of the words findings (2026-12-07): file names were the Simplified group name,
    and two groups equal after sanitising (a/b, a_b) wrote one file, the second replacing the first."""
    from factory import make_workspace

    ws = make_workspace(tmp_path / "ws")
    corpus = ws.read_part("corpus", "sample-00000")
    half = len(corpus) // 2
    corpus["source"] = ["新华社/北京"] * half + ["新华社_北京"] * (len(corpus) - half)
    ws.write_part("corpus", "sample-00000", corpus)
    result = runner.invoke(app, ["wordcloud", "-w", str(ws.root), "--by", "source", "--max-words", "10",
                                 "--out", str(tmp_path / "by_source")])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (tmp_path / "by_source").glob("*.png"))
    assert names == ["wordcloud_新华社_北京.png", "wordcloud_新华社_北京_2.png"]  # the group named so keeps its name
    assert result.output.count("wrote ") == 2 and len(set(result.output.splitlines())) == 2
    result = runner.invoke(app, ["wordcloud", "-w", str(ws.root), "--by", "topic", "--max-words", "10",
                                 "--script", "zh-Hant-TW", "--out", str(tmp_path / "by_topic")])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (tmp_path / "by_topic").glob("*.png"))
    assert "wordcloud_0_口罩_戴口罩_防護.png" in names and len(names) == 3  # as the picture and `keywords` show it
    from opinion.cli.words_cmd import cloud_file_names

    long = "长" * 90  # 270 bytes: cut to about 150 bytes, with a digest, so two long names stay two files
    names = cloud_file_names(["a/b", "a_b", "A_B", long, long + "尾"], by="source", script="zh-Hans")
    assert {k: names[k] for k in ("a/b", "a_b", "A_B")} == {
        "a/b": "wordcloud_a_b_3.png", "a_b": "wordcloud_a_b.png", "A_B": "wordcloud_A_B_2.png"}
    assert names[long] != names[long + "尾"] and all(
        names[k].startswith("wordcloud_长长") and len(names[k].encode()) <= 180 for k in (long, long + "尾"))


def test_words_commands_refuse_an_interrupted_prepare(tmp_path):
    """h45 #1: after a killed prepare, keywords, network and clouds counted the finished parts
    only (a period missing) and exited 0."""
    from factory import make_workspace

    from opinion import schema as S

    ws = make_workspace(tmp_path / "ws")
    ws.set_stage_record("prepare", {"runner": 1, "source": S.CORPUS, "target": S.PREPARED,
                                    "complete": False, "parts": {}})
    for args in (["keywords"], ["network", "--out", str(tmp_path / "net")], ["wordcloud", "--out", str(tmp_path / "c")]):
        result = runner.invoke(app, [*args, "-w", str(ws.root)])
        assert result.exit_code == 1, (args, result.output)
        assert result.output.strip().splitlines() == [
            f"error: {ws.root}: table 'prepared' is incomplete because stage 'prepare' was interrupted; "
            f"run `opinion prepare -w {ws.root}` again to finish it"]
    assert not (tmp_path / "net").exists() and not (tmp_path / "c").exists()


def test_wordcloud_says_which_groups_have_no_cloud_and_why(tmp_path):
    """h45 #4: a group without words was skipped silently, and with none the command wrote
    nothing and exited 0; --exclude removing every word read "the documents have no tokens"."""
    from factory import make_workspace

    from opinion import schema as S
    from opinion.words.cloud import group_frequencies

    ws = make_workspace(tmp_path / "ws")
    part = ws.parts(S.PREPARED)[0]
    prepared = ws.read_part(S.PREPARED, part)
    ws.write_part(S.PREPARED, part, prepared.assign(**{S.theme_column("非遗"): 0}))  # a theme nobody writes of
    result = runner.invoke(app, ["wordcloud", "-w", str(ws.root), "--by", "theme", "--script", "zh-Hant-TW",
                                 "--out", str(tmp_path / "themes")])
    assert result.exit_code == 0, result.output
    assert "no cloud for theme 非遺: no document in it" in result.output  # named as the reader's script shows it
    assert len(list((tmp_path / "themes").glob("*.png"))) == 3

    every = ",".join(group_frequencies(ws.root, by=None, top=100_000)["all"].index)
    result = runner.invoke(app, ["wordcloud", "-w", str(ws.root), "--exclude", every, "--out", str(tmp_path / "none")])
    assert result.exit_code == 1 and not (tmp_path / "none").exists()
    assert result.output.startswith("error: no word cloud written: all documents: --exclude/--exclude-file left out "
                                    "every word") and len(result.output.strip().splitlines()) == 1

    ws.write_part(S.PREPARED, part, prepared.assign(**{S.TOKENS: [["的"]] * len(prepared)}))
    result = runner.invoke(app, ["wordcloud", "-w", str(ws.root), "--out", str(tmp_path / "empty")])
    assert result.exit_code == 1 and "all documents: no word to draw in its" in result.output, result.output


def test_network_of_a_theme_has_one_name_and_says_why_it_has_no_edges(tmp_path):
    """h45 #5: --theme 國貨 and --theme 国货 wrote two file names for one network, and a network
    with no edge was written as empty files with "0 words, 0 edges"."""
    from factory import make_workspace

    ws = make_workspace(tmp_path / "ws")
    for typed in ("國貨", "国货"):
        result = runner.invoke(app, ["network", "-w", str(ws.root), "--theme", typed, "--min-cooccurrence", "1",
                                     "--out", str(tmp_path / "net")])
        assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "net").iterdir()) == [
        "network_theme-国货.gexf", "network_theme-国货.graphml", "network_theme-国货_edges.csv",
        "network_theme-国货_nodes.csv"]
    result = runner.invoke(app, ["network", "-w", str(ws.root), "--theme", "国货", "--min-cooccurrence", "1000",
                                 "--out", str(tmp_path / "none")])
    assert result.exit_code == 1 and not (tmp_path / "none").exists()
    assert result.output.startswith("error: --min-cooccurrence is 1000, but no two of the top ")
    assert "(theme-国货; the most two share is " in result.output and len(result.output.strip().splitlines()) == 1


def test_words_by_period_of_an_undated_workspace_say_no_document_has_a_date(tmp_path):
    """`wordcloud --by period` of posts loaded without a date column wrote nothing, said nothing
    and exited 0; keywords guessed "fewer than two period groups, or no word reaches --min-count"."""
    from factory import make_workspace

    from opinion import schema as S

    ws = make_workspace(tmp_path / "ws")
    corpus = ws.read_part(S.CORPUS, "sample-00000")
    ws.write_part(S.CORPUS, "sample-00000", corpus.assign(**{S.PUBLISHED_AT: pd.NaT}))
    for args in (["wordcloud", "--by", "period", "--out", str(tmp_path / "clouds")], ["keywords", "--by", "period"]):
        result = runner.invoke(app, [*args, "-w", str(ws.root)])
        assert result.exit_code == 1, result.output
        assert result.output.startswith(f"error: no document of {ws.root} has a date ({len(corpus):,} without one); "
                                        "use --by source, theme or topic") and len(result.output.splitlines()) == 1
    assert not (tmp_path / "clouds").exists()


def test_no_keywords_gives_the_groups_documents_and_threshold(tmp_path):
    """"fewer than two period groups, or no word reaches --min-count" was printed when neither was
    true: every word of two one-post days had G² < 3.84. The message now gives the figures."""
    from factory import make_workspace

    from opinion.words.keywords import KeywordSettings, group_counts

    ws = make_workspace(tmp_path / "ws")
    result = runner.invoke(app, ["keywords", "-w", str(ws.root), "--period-unit", "day", "--min-count", "10000"])
    assert result.exit_code == 0, result.output
    documents = group_counts(ws.root, by="period", settings=KeywordSettings(period="day"))[2]
    assert len(documents) >= 2
    assert result.output.strip() == (
        f"no keywords: in {len(documents)} period groups of {sum(documents.values()):,} kept documents no word is "
        "used more than in the rest at least 10000 time(s) (--min-count) by at least 3 document(s) (--min-docs) "
        "with G² ≥ 3.84 (p < 0.05); try a lower --min-count or --min-docs, or larger groups")


def test_network_of_only_flagged_posts_says_they_are_left_out(tmp_path):
    """A theme whose one hit is a duplicate or spam post gave "no words in the chosen documents";
    the word cloud said why, now the network does too."""
    from factory import make_workspace

    from opinion import schema as S

    ws = make_workspace(tmp_path / "ws")
    ids = ws.read_part(S.CORPUS, "sample-00000")[S.DOC_ID]
    ws.write_part(S.FLAGS, "sample-00000", pd.DataFrame({S.DOC_ID: ids, S.NEAR_DUPLICATE_OF: None,
                                                         S.SPAM_SCORE: 0.9, S.IS_SPAM: True}))
    result = runner.invoke(app, ["network", "-w", str(ws.root), "--theme", "国货", "--out", str(tmp_path / "net")])
    assert result.exit_code == 1, result.output
    assert result.output.startswith("error: no network of the chosen documents (theme-国货) of ")
    assert "no document left once duplicates, near-duplicates and spam are left out" in result.output


def test_network_says_how_many_top_words_had_no_edge(tmp_path):
    """500 Taiwan sentences: `--top 40` gave "2 words" and no hint that --min-cooccurrence (3)
    had left out the other 38."""
    from factory import make_workspace

    ws = make_workspace(tmp_path / "ws")
    result = runner.invoke(app, ["network", "-w", str(ws.root), "--top", "60", "--min-cooccurrence", "5",
                                 "--out", str(tmp_path / "net")])
    assert result.exit_code == 0, result.output
    shown = int(result.output.split(" words,")[0])
    assert shown < 60 and f"{60 - shown} of the top 60 words share no edge with ≥ 5 documents" in result.output
    assert "--min-cooccurrence 4" in result.output
