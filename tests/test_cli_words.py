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
