from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from opinion.cli import app

LOAD = Path(__file__).parent / "data" / "load"
runner = CliRunner()


def test_cli_load_prints_summary_and_info(tmp_path):
    src = tmp_path / "1.27.csv.gz"
    shutil.copy(LOAD / "weibo_2.14_slice.csv.gz", src)
    article = tmp_path / "docs"
    article.mkdir()
    shutil.copy(LOAD / "live_commerce_trust_article.txt", article)
    (article / "抓取说明.md").write_text("# 来源与日期", encoding="utf-8")  # in the folder, of no format read
    result = runner.invoke(app, ["load", str(src), str(article), "-w", str(tmp_path / "ws"),
                                 "--date-from-filename", "--year", "2020",
                                 "--pseudonymize-col", "userid"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["file", "format", "encoding", "read", "loaded", "rejected",
                                "dups", "broken", "no", "date", "bad", "date"]
    assert lines[1].split()[1:] == ["csv", "gb18030", "51", "51", "0", "3", "1", "0", "0"]
    assert lines[3].split()[:3] == ["total", "52", "52"]
    assert lines[4] == f"columns: text 'text' ({src})"  # the folder of documents has no columns
    assert "loaded 52 documents from 2 input(s)" in result.output
    assert f"note: 1 file(s) in the input folders were not read (.md 1): {article / '抓取说明.md'};" in result.output

    result = runner.invoke(app, ["info", "-w", str(tmp_path / "ws")])
    assert result.exit_code == 0, result.output
    assert "documents   52" in result.output
    assert "2020-01-27 .. 2020-01-27 (1 without a date)" in result.output  # days: no 00:00:00
    result = runner.invoke(app, ["info", "-w", str(tmp_path / "ws"), "--json"])
    assert json.loads(result.output)["decode_errors"] == 1


def test_cli_load_user_errors_are_one_line_exit_1(tmp_path):
    (tmp_path / "x.csv").write_text("userid,内容x\n1,你好\n", encoding="utf-8")
    result = runner.invoke(app, ["load", str(tmp_path / "x.csv"), "-w", str(tmp_path / "ws")])
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and "--text-col" in result.output
    assert "Traceback" not in result.output

    result = runner.invoke(app, ["load", str(tmp_path / "x.csv"), "-w", str(tmp_path / "ws"),
                                 "--text-col", "内容x"])
    assert result.exit_code == 0
    result = runner.invoke(app, ["load", str(tmp_path / "x.csv"), "-w", str(tmp_path / "ws"),
                                 "--text-col", "内容x"])
    assert result.exit_code == 0 and "nothing new to load" in result.output and "already loaded and unchanged" in result.output
    result = runner.invoke(app, ["load", str(tmp_path / "x.csv"), "-w", str(tmp_path / "ws"),
                                 "--text-col", "内容x", "--replace", "--format", "csv",
                                 "--encoding", "utf-8"])
    assert result.exit_code == 0, result.output


def test_cli_load_bad_options(tmp_path):
    (tmp_path / "x.csv").write_text("text\n你好\n", encoding="utf-8")
    for args, message in (
        (["--format", "docx"], "--format must be one of auto, csv, tsv, jsonl, json, parquet, xlsx, xls, "
                               "txt, html; got 'docx'"),
        (["--encoding", "klingon"], "--encoding must be auto or an encoding such as utf-8, gb18030, big5, "
                                    "utf-16; got 'klingon'"),
        (["--sheet", "s"], None),
    ):
        result = runner.invoke(app, ["load", str(tmp_path / "x.csv"), "-w",
                                     str(tmp_path / f"ws{len(args)}{args[0]}"), *args])
        if message:
            assert result.exit_code == 1 and message in result.output
    result = runner.invoke(app, ["info", "-w", str(tmp_path / "none")])
    assert result.exit_code == 1 and "not an opinion workspace" in result.output


def test_cli_load_columns_names_a_headerless_file(tmp_path):
    src = LOAD / "thucnews_titles_headerless.tsv"
    result = runner.invoke(app, ["load", str(src), "-w", str(tmp_path / "ws"),
                                 "--columns", "title,label", "--text-col", "title"])
    assert result.exit_code == 0, result.output
    from opinion.io.workspace import Workspace

    df = Workspace.open(tmp_path / "ws").read("corpus")
    assert len(df) == 30 and json.loads(df["meta"].iloc[0]) == {"label": "8"}
    assert df["text_raw"].iloc[0] == "体验2D巅峰 倚天屠龙记十大创新概览"


def test_cli_load_again_with_drop_col_is_refused_not_recorded_as_applied(tmp_path):
    """2026-12-07: `load --drop-col userid` on a workspace that already held the file said
    "nothing new to load", stored drop_cols = ["userid"], and left userid in every row."""
    src = tmp_path / "1.27.csv.gz"
    shutil.copy(LOAD / "weibo_2.14_slice.csv.gz", src)
    ws = tmp_path / "ws"
    first = ["load", str(src), "-w", str(ws), "--date-from-filename", "--year", "2020"]
    assert runner.invoke(app, first).exit_code == 0
    manifest = (ws / "manifest.json").read_bytes()
    again = runner.invoke(app, [*first, "--drop-col", "userid"])
    assert again.exit_code == 1
    assert again.output.strip() == (
        f"error: --drop-col userid: {src} was loaded without it, and an input already loaded is not "
        "read again; pass --replace to load it again with the options given now (its rows replace the "
        "old ones), or leave the option out")
    assert (ws / "manifest.json").read_bytes() == manifest  # nothing stored as applied
    plain = runner.invoke(app, ["load", str(src), "-w", str(ws), "--date-from-filename"])
    assert plain.exit_code == 0 and "nothing new to load" in plain.output  # --year left out: not asked
    shown = runner.invoke(app, ["config", "show", "-w", str(ws)]).output
    assert "year = 2020" in shown and "drop_cols = []" in shown  # what the rows were loaded with
    replaced = runner.invoke(app, [*first, "--drop-col", "userid", "--replace"])
    assert replaced.exit_code == 0, replaced.output
    from opinion.io.workspace import Workspace

    corpus = Workspace.open(ws).read("corpus")
    assert len(corpus) == 51 and not corpus["meta"].str.contains("userid").any()
    assert 'drop_cols = ["userid"]' in runner.invoke(app, ["config", "show", "-w", str(ws)]).output
