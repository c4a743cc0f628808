"""`opinion export` on the command line."""

from __future__ import annotations

import csv
from pathlib import Path

from factory import make_workspace
from typer.testing import CliRunner

from opinion import schema as S
from opinion.cli import app

runner = CliRunner()


def test_report_cli_csv_right_after_load(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws", with_topics=False)
    for name in (S.PREPARED, S.SENTIMENT):
        ws.remove_table(name)
    result = runner.invoke(app, ["export", "-w", str(ws.root), "--out", str(tmp_path / "out"),
                                 "--format", "csv"])
    assert result.exit_code == 0, result.output
    with open(tmp_path / "out" / "documents.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == [S.DOC_ID, S.TITLE, S.TEXT_RAW, S.PUBLISHED_AT, S.SOURCE,
                             S.DUPLICATE_OF, S.DECODE_ERROR]
    assert rows[49][S.TEXT_RAW] == "非遺傳承人走進直播間，讓更多年輕人了解傳統手藝，國貨與非遺的結合受到歡迎。"


def test_report_cli_several_formats_and_options(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    result = runner.invoke(app, ["export", "-w", str(ws.root), "--out", str(tmp_path / "out"),
                                 "--format", "xlsx,html", "--script", "zh-Hant-TW",
                                 "--period", "month", "--top", "2"])
    assert result.exit_code == 0, result.output
    assert "wrote 2 file(s)" in result.output
    assert (tmp_path / "out" / "report.xlsx").stat().st_size > 0
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "輿情分析報告" in html and "2020-03-01" in html


def test_report_cli_user_errors_are_one_line(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    for args, message in ((["--format", "pdf"], "--format must be one or more of"),
                          (["--period", "year"], "--period must be one of day, week, month"),
                          (["--script", "zh-TW"], "--script must be one of")):
        result = runner.invoke(app, ["export", "-w", str(ws.root), "--out", str(tmp_path / "o"), *args])
        assert result.exit_code == 1
        assert result.output.strip().startswith("error:") and message in result.output
        assert "Traceback" not in result.output
    result = runner.invoke(app, ["export", "-w", str(tmp_path / "nowhere"), "--out", str(tmp_path / "o")])
    assert result.exit_code == 1 and "not an opinion workspace" in result.output
