"""`opinion export` on the command line."""

from __future__ import annotations

import csv
from pathlib import Path

from factory import make_workspace
from typer.testing import CliRunner

from opinion import schema as S
from opinion.cli import app
from opinion.io.workspace import Workspace

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
                          (["--script", "zh-TW"], "--script must be one of"),
                          (["--lang", "zh-Hant"], "--lang must be one of zh, en; got 'zh-Hant' (Chinese follows --script")):
        result = runner.invoke(app, ["export", "-w", str(ws.root), "--out", str(tmp_path / "o"), *args])
        assert result.exit_code == 1
        assert result.output.strip().startswith("error:") and message in result.output
        assert "Traceback" not in result.output
    result = runner.invoke(app, ["export", "-w", str(tmp_path / "nowhere"), "--out", str(tmp_path / "o")])
    assert result.exit_code == 1 and "not an opinion workspace" in result.output


def heading_texts(html: str) -> list[str]:
    """The report's title, section headings and their notes, in page order."""
    import re

    return [re.sub(r"<[^>]+>", "", m) for m in re.findall(r"<h1>(.*?)</h1>|<h2>(.*?)</h2>", html)
            for m in m if m]


def test_report_cli_lang_heads_the_report_in_each_language(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    expected = {  # (--lang, --script): title and section headings the reader sees
        ("zh", "zh-Hans"): ["舆情分析报告", "概览", "主题", "主题趋势", "各主题情感", "情绪", "议题趋势", "关键词与词云",
                            "来源", "运行信息"],
        ("zh", "zh-Hant-TW"): ["輿情分析報告", "概覽", "主題", "主題趨勢", "各主題情感", "情緒", "議題趨勢", "關鍵詞與詞雲", "來源",
                               "執行資訊"],
        ("en", "zh-Hant-TW"): ["Opinion report", "Overview", "Topics", "Topic trends", "Sentiment by topic", "Emotions",
                               "Theme trends", "Keywords and word clouds", "Sources", "Run"],
    }
    for (lang, script), headings in expected.items():
        out = tmp_path / f"{lang}-{script}"
        result = runner.invoke(app, ["export", "-w", str(ws.root), "-o", str(out), "-f", "md,html",
                                     "--lang", lang, "--script", script])
        assert result.exit_code == 0, result.output
        html = (out / "report.html").read_text(encoding="utf-8")
        markdown = (out / "report.md").read_text(encoding="utf-8")
        assert heading_texts(html) == headings
        assert [line.lstrip("# ") for line in markdown.splitlines() if line.startswith("#")] == headings
        if lang == "en":  # notes, table headings and figures in English; the posts stay in the script
            assert '<html lang="en">' in html and "Mean sentiment" in html and "Documents" in markdown
            assert "Example posts" in html and "主題編號" not in html and "平均情感" not in markdown
            assert "直播_帶貨_國貨" in html  # a topic label, in the chosen script
            sources = html.split('<section id="sources">')[1].split("</section>")[0]
            assert ("%); " in sources or "%)</td>" in sources) and "（" not in sources  # English punctuation
    own = runner.invoke(app, ["export", "-w", str(ws.root), "-f", "md", "--lang", "en"])  # into WS/export
    assert own.exit_code == 0, own.output
    again = runner.invoke(app, ["export", "-w", str(ws.root), "-o", str(tmp_path / "again"), "-f", "md"])
    assert again.exit_code == 0, again.output  # --lang of the last export into WS/export is kept
    assert (tmp_path / "again" / "report.md").read_text(encoding="utf-8").startswith("# Opinion report")


def test_report_cli_refuses_a_part_loaded_after_the_stages(tmp_path: Path) -> None:
    """A day loaded without `opinion run`: its source had been left out of sources.csv and its
    posts counted as 0 % in every theme, without a word. Export now names the commands to run."""
    ws = make_workspace(tmp_path / "ws", with_topics=False)
    corpus = ws.read_part(S.CORPUS, "sample-00000").head(5)
    corpus[S.DOC_ID] = [f"extra-{i}" for i in range(5)]
    corpus[S.SOURCE] = "新来源"
    ws.write_part(S.CORPUS, "extra-00000", corpus)
    out = tmp_path / "out"
    result = runner.invoke(app, ["export", "-w", str(ws.root), "--out", str(out), "--format", "csv"])
    assert result.exit_code == 1 and not out.exists()
    assert "1 part(s) loaded after the last `opinion prepare` (extra-00000)" in result.output
    assert f"run `opinion prepare -w {ws.root}`, then `opinion sentiment -w {ws.root}`, then export" in result.output
    for table in (S.PREPARED, S.SENTIMENT):
        rows = ws.read_part(table, "sample-00000").head(5)
        ws.write_part(table, "extra-00000", rows.assign(**{S.DOC_ID: corpus[S.DOC_ID].tolist()}))
    result = runner.invoke(app, ["export", "-w", str(ws.root), "--out", str(out), "--format", "csv"])
    assert result.exit_code == 0, result.output
    with open(out / "sources.csv", encoding="utf-8-sig", newline="") as fh:
        assert "新来源" in {row["source"] for row in csv.DictReader(fh)}


def test_report_cli_an_earlier_exports_files_are_removed_or_named(tmp_path: Path) -> None:
    """An earlier export's keywords_by_source.csv stayed beside the new tables, and its
    report.xlsx beside a CSV-only export, with nothing saying they were older. Only the
    workspace's own WS/export is tidied; in a folder of the user's such files are named."""
    ws = make_workspace(tmp_path / "ws")
    for out, own in ((ws.root / "export", True), (tmp_path / "shared", False)):
        args = ["export", "-w", str(ws.root)] + ([] if own else ["--out", str(out)])
        assert runner.invoke(app, [*args, "--format", "xlsx"]).exit_code == 0
        (out / "keywords_by_source.csv").write_text("source,word\nweibo,旧\n", encoding="utf-8")
        (out / "我的笔记.csv").write_text("mine\n", encoding="utf-8")
        result = runner.invoke(app, [*args, "--format", "csv"])
        assert result.exit_code == 0, result.output
        assert (out / "keywords_by_source.csv").exists() is not own and (out / "我的笔记.csv").exists()
        assert "report.xlsx" in result.output and "from an earlier export, not written this time" in result.output


def test_report_cli_names_an_interrupted_stage(tmp_path: Path) -> None:
    """A killed prepare leaves some parts: the export says the stage was interrupted (not that
    parts were loaded later) and names the command that finishes it."""
    ws = make_workspace(tmp_path / "ws")
    ws.manifest["stages"]["prepare"] = {"runner": "local", "target": S.PREPARED, "complete": False}
    ws.save_manifest()
    result = runner.invoke(app, ["export", "-w", str(ws.root), "--out", str(tmp_path / "out"), "--format", "csv"])
    assert result.exit_code == 1 and "stage prepare was interrupted" in result.output
    assert f"run `opinion prepare -w {ws.root}` to finish it" in result.output


def test_report_cli_refuses_sentiment_older_than_the_prepared_table(tmp_path: Path) -> None:
    """`opinion prepare --themes new.toml` after `opinion sentiment`: the report had the new
    themes without their sentiment columns (mean_sentiment fell back to the documents')."""
    from factory import make_flagged_workspace

    ws = make_flagged_workspace(tmp_path / "ws")
    stale = {"source_sha256": "an earlier prepared part", "source_size": 0, "source_modified": "0"}
    ws.set_stage_record("sentiment", {"runner": 1, "source": S.PREPARED, "target": S.SENTIMENT,
                                      "parts": {"sample-00000": stale}, "complete": True})
    result = runner.invoke(app, ["export", "-w", str(ws.root), "--out", str(tmp_path / "out"), "--format", "csv"])
    assert result.exit_code == 1
    assert "the prepared table of 1 part(s) changed after the last `opinion sentiment`" in result.output
    assert f"run `opinion sentiment -w {ws.root}`, then `opinion topics -w {ws.root}`, then export" in result.output
    ws.set_stage_record("prepare", {"runner": 1, "source": S.CORPUS, "target": S.PREPARED,
                                    "parts": {"sample-00000": stale}, "complete": True})
    from opinion.io.info import flags_parts_fingerprint  # the flags pass ran after that prepare

    ws.set_stage_record(S.FLAGS, {"complete": True, "inputs": flags_parts_fingerprint(ws)})
    result = runner.invoke(app, ["export", "-w", str(ws.root), "--out", str(tmp_path / "out"), "--format", "csv"])
    assert "the corpus of 1 part(s) changed after the last `opinion prepare`" in result.output  # load --replace
    assert f"run `opinion prepare -w {ws.root}`, then `opinion sentiment -w {ws.root}`" in result.output


def test_report_cli_a_report_into_another_folder_does_not_change_the_workspaces_settings(tmp_path: Path) -> None:
    """A one-off Markdown copy for a colleague (`--out elsewhere --format md --script zh-HK`) had
    become the workspace's settings: the next `opinion run` wrote only report.md, in zh-HK."""
    from opinion.config import ExportSettings, settings_for

    ws = make_workspace(tmp_path / "ws")
    result = runner.invoke(app, ["export", "-w", str(ws.root), "--out", str(tmp_path / "for-hk"),
                                 "--format", "md", "--script", "zh-HK"])
    assert result.exit_code == 0, result.output
    stored = settings_for(Workspace.open(ws.root), ExportSettings, None, {})
    assert stored.formats == ExportSettings().formats and stored.script == "zh-Hans"
    result = runner.invoke(app, ["export", "-w", str(ws.root), "--format", "csv"])  # its own folder
    assert result.exit_code == 0, result.output
    assert settings_for(Workspace.open(ws.root), ExportSettings, None, {}).formats == ("csv",)


def test_report_export_holds_the_workspace_lock_while_it_reads(tmp_path: Path, monkeypatch) -> None:
    """A check placed between the decorator and export_workspace had taken the lock for itself:
    the tables were read unlocked while a prepare could rewrite them."""
    from opinion.io.lock import holds_lock
    from opinion.report import export as E

    ws = make_workspace(tmp_path / "ws")
    seen = []

    def tables(ws_, **kwargs):
        seen.append(holds_lock(ws.root))
        raise RuntimeError("stop")

    monkeypatch.setattr(E, "build_tables", tables)
    try:
        E.export_workspace(ws, tmp_path / "out", formats="csv")
    except RuntimeError:
        pass
    assert seen == [True]


def test_report_cli_run_table_says_where_the_period_came_from(tmp_path: Path) -> None:
    """After `opinion topics --period week`, a plain `opinion export` recorded period_choice
    "given" though no period was given to it (2026-12-08)."""
    from opinion.config import TopicSettings, store_settings

    ws = make_workspace(tmp_path / "ws")
    store_settings(ws, TopicSettings(period="week"))
    ws.save_manifest()

    def choice(*options: str) -> tuple[str, str]:
        out = tmp_path / "out"
        result = runner.invoke(app, ["export", "-w", str(ws.root), "--out", str(out), "--format", "csv", *options])
        assert result.exit_code == 0, result.output
        rows = {row["key"]: row["value"] for row in csv.DictReader(open(out / "run.csv", encoding="utf-8-sig"))
                if row["section"] == "export"}
        return rows["period"], rows["period_choice"]

    assert choice() == ("week", "from topics --period")
    assert choice("--period", "month") == ("month", "given")


def test_report_cli_an_interrupted_export_leaves_the_earlier_files_whole(tmp_path: Path, monkeypatch) -> None:
    """Ctrl-C after the CSVs and the XLSX left them new beside the earlier report.md and
    report.html (a renamed topic in one, the old label in the other); now every file is
    written aside first and moved in at the end."""
    import pytest

    import opinion.report.markdown_writer as markdown_writer
    from opinion.report.export import export_workspace

    ws = make_workspace(tmp_path / "ws")
    out = tmp_path / "out"
    export_workspace(ws, out, formats="csv,md")
    before = {path.name: path.read_bytes() for path in out.iterdir()}

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(markdown_writer, "write_markdown", interrupted)
    from opinion.topics.edit_store import record_edits
    from opinion.topics.edits import TopicEdit

    record_edits(ws, [TopicEdit("rename", (0,), "新标签测试")])  # topics.csv would differ now
    with pytest.raises(KeyboardInterrupt):
        export_workspace(ws, out, formats="csv,md")
    assert {path.name: path.read_bytes() for path in out.iterdir()} == before  # no staging folder either


def test_report_cli_a_file_that_cannot_be_replaced_leaves_the_earlier_set(tmp_path: Path) -> None:
    """The files were moved in one at a time: a report.md that could not be replaced (here a
    folder; on Windows a report.xlsx open in Excel) left new CSVs beside the earlier report.html,
    the staging folder, and a traceback. Another running export's staging folder is left alone."""
    import os
    import subprocess
    import sys

    ws = make_workspace(tmp_path / "ws")
    out = tmp_path / "out"
    assert runner.invoke(app, ["export", "-w", str(ws.root), "--out", str(out), "--format", "csv,html"]).exit_code == 0
    (out / "report.md").mkdir()
    before = {path.name: path.read_bytes() for path in out.iterdir() if path.is_file()}
    with subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"]) as other:
        from opinion.io.atomic import _HOST

        live = out / f".export.{other.pid}@{_HOST}-running.tmp"  # as another export names its staging folder
        live.mkdir()
        (live / "topics.csv").write_text("partial", encoding="utf-8")
        os.utime(out / "topics.csv", (0, 0))
        result = runner.invoke(app, ["export", "-w", str(ws.root), "--out", str(out), "--format", "csv,md,html"])
        assert result.exit_code == 1 and "report.md: is a folder" in result.output
        assert {path.name: path.read_bytes() for path in out.iterdir() if path.is_file()} == before
        assert (out / "topics.csv").stat().st_mtime == 0  # not replaced, not even for a moment
        assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == [live.name]
        other.kill()
        other.wait()
    (out / "report.md").rmdir()  # its process gone, the next export removes what it left
    assert runner.invoke(app, ["export", "-w", str(ws.root), "--out", str(out), "--format", "csv"]).exit_code == 0
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


def test_report_cli_an_earlier_file_that_cannot_be_put_back_is_kept(tmp_path: Path, monkeypatch) -> None:
    """2026-12-08 review: when the new report.xlsx could not be moved in and the earlier one
    could not be put back either (a Windows indexer holding it), the staging folder was
    removed with the earlier file in it, after a message saying it was left as it was."""
    import errno
    import os

    from opinion.report import export

    ws = make_workspace(tmp_path / "ws")
    out = tmp_path / "out"
    assert runner.invoke(app, ["export", "-w", str(ws.root), "--out", str(out), "--format", "csv,md"]).exit_code == 0
    earlier = (out / "report.md").read_bytes()
    real = os.replace

    def held(src, dst, *args, **kwargs):  # every move onto report.md from the staging folder fails
        if Path(dst) == out / "report.md" and ".export." in str(src):
            raise PermissionError(errno.EACCES, "being used by another process", str(dst))
        return real(src, dst, *args, **kwargs)

    monkeypatch.setattr(export.os, "replace", held)
    result = runner.invoke(app, ["export", "-w", str(ws.root), "--out", str(out), "--format", "csv,md"])
    assert result.exit_code == 1 and "could not be put back either" in result.output
    kept = [p for p in out.glob(".export.*/.earlier/report.md")]
    assert len(kept) == 1 and kept[0].read_bytes() == earlier and str(kept[0].parent) in result.output.replace("\n", "")
