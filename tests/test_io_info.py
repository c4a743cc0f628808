from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from opinion import schema as S
from opinion.errors import WorkspaceError
from opinion.io.info import reason_kind, workspace_info
from opinion.io.load import load_corpus
from opinion.io.workspace import Workspace

LOAD = Path(__file__).parent / "data" / "load"


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    src = tmp_path / "2.14.csv.gz"
    shutil.copy(LOAD / "weibo_2.14_slice.csv.gz", src)
    (tmp_path / "news.csv").write_text(
        "标题,正文,发布时间,来源\n"
        "新闻一,武汉加油,2020年1月19日,人民网\n"
        "新闻二,武汉加油,2020/1/25 08:00,新华网\n"
        ",,2020-01-26,新华网\n"  # no title, no text: rejected (a bare title would load)
        "新闻四,其他内容,不知道,新华网\n", encoding="utf-8")
    load_corpus([str(src), str(tmp_path / "news.csv")], tmp_path / "ws",
                date_from_filename=True, year=2020)
    return tmp_path / "ws"


def test_info_counts_dates_sources_rejects(ws):
    info = workspace_info(ws)
    assert info["inputs"] == 2 and info["documents"] == 51 + 3
    assert info["date_min"] == "2020-01-19 00:00:00"
    assert info["date_max"] == "2020-02-14 00:00:00"
    assert info["dates_missing"] == 1
    assert info["decode_errors"] == 1
    assert info["duplicates"] >= 1  # 武汉加油 twice
    assert info["sources"]["新华网"] == 2 and info["sources"]["2.14.csv.gz"] == 51  # no source column:
    assert info["sources_distinct"] == 3  # named by its file, as the report and the explorer name it
    assert info["encodings"] == {"gb18030": 51, "utf-8": 3}
    assert info["rejects"] == 1 and info["reject_kinds"] == {"empty text": 1}
    assert info["scripts"] is None
    assert [f["rows_read"] for f in info["files"]] == [51, 4]
    json.dumps(info)  # plain JSON for the explorer


def test_info_reports_scripts_once_prepared(ws):
    workspace = Workspace.open(ws)
    part = workspace.parts(S.CORPUS)[0]
    workspace.write_part(S.PREPARED, part, pd.DataFrame({
        S.DOC_ID: ["a", "b", "c"], S.SCRIPT: ["zh-Hans", "zh-Hans", "zh-Hant"]}))
    assert workspace_info(ws)["scripts"] == {"zh-Hans": 2, "zh-Hant": 1}


def test_info_not_a_workspace(tmp_path):
    with pytest.raises(WorkspaceError, match="not an opinion workspace"):
        workspace_info(tmp_path / "nothing")


@pytest.mark.parametrize("reason, kind", [
    ("duplicate of 1_27-33", "duplicate"),
    ("ragged row: 3 fields, header has 2", "ragged row"),
    ("malformed CSV (unclosed quote? x); line 3 rejected", "malformed CSV"),
    ("empty text", "empty text"),
    ("empty id in column mid", "empty id"),
])
def test_info_reason_kind(reason, kind):
    assert reason_kind(reason) == kind


def test_info_keeps_the_load_warnings_and_columns_of_each_input(tmp_path):
    from typer.testing import CliRunner

    from opinion.cli import app

    (tmp_path / "export.csv").write_text("date\ttext\n2020-01-24\t口罩买不到了\n2020-01-25\t医生辛苦了\n",
                                         encoding="utf-8")  # tab-separated, named .csv
    load_corpus([str(tmp_path / "export.csv")], tmp_path / "ws")
    [entry] = workspace_info(tmp_path / "ws")["files"]
    assert entry["columns"]["text"] == "text" and entry["columns"]["date"] == "date"
    assert len(entry["notes"]) == 1 and "split by tabs" in entry["notes"][0]
    shown = CliRunner().invoke(app, ["info", "-w", str(tmp_path / "ws")])
    assert shown.exit_code == 0 and "warning: " in shown.output and "split by tabs" in shown.output


def test_info_names_the_command_of_every_interrupted_stage(ws):
    """A killed topic fit's sub-stages pointed to `opinion topic_stats` and `opinion
    topic_embed:static-zh`, commands that do not exist; a topic fit killed while saving its
    model (record ``complete: false``, no part-wise ``runner``) was not reported (2026-12-08)."""
    from opinion.io.info import incomplete_stages

    workspace = Workspace.open(ws)
    for stage, target in (("topic_stats", "topic_stats"), ("topic_embed:static-zh", "embeddings/static-zh")):
        workspace.set_stage_record(stage, {"runner": 1, "target": target, "parts": {}, "complete": False})
    workspace.set_stage_record("topics", {"fingerprint": "之前的", "complete": False})
    topics = f"opinion topics -w {workspace.root}"
    assert incomplete_stages(workspace) == {"topic_stats": topics, "topic_embed:static-zh": topics,
                                            "topics": topics}


def test_info_lists_the_commands_for_stages_behind_the_corpus(ws):
    """After `opinion load` of more files, `opinion info` said nothing about the stages that had
    not seen them, and kept showing the script counts of part of the corpus (2026-12-08)."""
    from typer.testing import CliRunner

    from opinion.cli import app
    from opinion.io.info import info_warnings

    workspace = Workspace.open(ws)
    first, *rest = workspace.parts(S.CORPUS)
    workspace.write_part(S.PREPARED, first, pd.DataFrame({S.DOC_ID: ["a"], S.SCRIPT: ["zh-Hans"]}))
    info = workspace_info(ws)
    command = f"opinion prepare -w {workspace.root}"
    assert rest and info["stages_to_rerun"] == [command]
    assert info_warnings(info) == ["warning: stages are behind the loaded corpus; to bring them up "
                                   f"to date, run `{command}`"]
    shown = CliRunner().invoke(app, ["info", "-w", str(ws), "--json"])
    assert json.loads(shown.output)["stages_to_rerun"] == [command]
    printed = CliRunner().invoke(app, ["info", "-w", str(ws)]).output
    assert info_warnings(info)[0] in printed and "prepare is behind the corpus" in printed


def test_info_commands_from_names_the_table_command_when_the_table_is_gone(tmp_path):
    """After a run that skipped topics, export said "run , then export again": no command."""
    from opinion.io.info import commands_from
    from opinion.io.workspace import Workspace

    ws = Workspace.open(tmp_path / "ws", create=True)
    assert commands_from(ws, "topic_documents") == [f"opinion topics -w {ws.root}"]
