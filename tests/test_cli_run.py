"""`opinion run`: the whole pipeline in one command, and a re-run that redoes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from opinion import schema as S
from opinion.cli import app
from opinion.io.workspace import Workspace

SAMPLE = Path(__file__).parent / "data" / "workspace_sample.jsonl"


def _stage_records(ws: Path) -> dict:
    return json.loads((ws / "manifest.json").read_text(encoding="utf-8"))["stages"]


def test_cli_run_whole_pipeline_then_rerun_is_a_no_op(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    args = ["run", str(SAMPLE), "-w", str(ws), "--export-format", "csv,html",
            "--min-topic-size", "3"]
    first = CliRunner().invoke(app, args)
    assert first.exit_code == 0, first.output
    docs = pd.read_csv(ws / "export" / "documents.csv")
    assert len(docs) == 55
    for column in ("doc_id", "text_raw", "text_clean", "text_norm", "script", "tokens",
                   "sentiment_score", "sentiment_label", "topic_id", "topic_label", "theme_信任"):
        assert column in docs.columns, column
    assert docs["topic_id"].notna().all()
    assert (ws / "export" / "report.html").stat().st_size > 10_000
    assert "opinion explore -w" in first.output

    records = _stage_records(ws)
    topics_before = Workspace.open(ws).read(S.TOPIC_DOCS)  # part-wise, like prepared
    second = CliRunner().invoke(app, args)
    assert second.exit_code == 0, second.output
    assert _stage_records(ws) == records  # nothing recomputed, nothing re-recorded
    pd.testing.assert_frame_equal(Workspace.open(ws).read(S.TOPIC_DOCS), topics_before)


def test_cli_run_user_error_is_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["run", str(tmp_path / "missing.csv"), "-w", str(tmp_path / "ws")])
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "missing.csv" in errors[0]
    assert "Traceback" not in result.output


# --- issue 13: options checked first; small and degenerate corpora -------------------------
LOAD = Path(__file__).parent / "data" / "load"


def test_cli_run_bad_script_stops_before_any_stage_and_suggests(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    result = CliRunner().invoke(app, ["run", str(SAMPLE), "-w", str(ws), "--script", "zh-TW"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "did you mean zh-Hant-TW?" in lines[0], result.output
    assert not ws.exists()  # nothing ran, nothing was written
    for flag, value, said in (("--export-format", "pdf", "pdf"), ("--engine", "spark", "--engine"),
                              ("--embedding", "bert", "unknown embedder"),
                              ("--model", str(tmp_path / "gone.safetensors"), "--model names no file")):
        bad = CliRunner().invoke(app, ["run", str(SAMPLE), "-w", str(ws), flag, value])
        assert bad.exit_code == 1 and said in bad.output and not ws.exists(), bad.output


def _small_corpora(tmp_path: Path) -> dict[str, Path]:
    one = tmp_path / "one_article"
    one.mkdir()
    (one / "article.txt").write_bytes((LOAD / "live_commerce_trust_article.txt").read_bytes())
    posts = [json.loads(line)["text"] for line in SAMPLE.read_text(encoding="utf-8").splitlines()]
    five = tmp_path / "five.csv"
    pd.DataFrame({"text": posts[:5]}).to_csv(five, index=False)
    chars = tmp_path / "one_char.csv"  # 3,000 one-character rows: no words at all
    pd.DataFrame({"text": list("好啊哈的了" * 600)}).to_csv(chars, index=False)
    one_word = tmp_path / "one_word.csv"  # 30 distinct posts, one topic word between them
    pd.DataFrame({"text": [f"武汉{'！' * n}" for n in range(1, 31)]}).to_csv(one_word, index=False)
    return {"one": one, "five": five, "chars": chars, "one_word": one_word}


def test_cli_run_small_corpora_skip_topics_and_export_the_rest(tmp_path: Path) -> None:
    for name, path in _small_corpora(tmp_path).items():
        ws = tmp_path / f"ws_{name}"
        result = CliRunner().invoke(app, ["run", str(path), "-w", str(ws),
                                          "--export-format", "csv,xlsx,md,html"])
        assert result.exit_code == 0, result.output
        assert "notice: topics skipped" in result.output and "distinct" in result.output
        info = json.loads((ws / "manifest.json").read_text(encoding="utf-8"))["inputs"]
        assert sum(e["rows_read"] for e in info) == sum(
            e["rows_loaded"] + e["rows_rejected"] for e in info)
        docs = pd.read_csv(ws / "export" / "documents.csv", keep_default_na=False)
        assert len(docs) == sum(e["rows_loaded"] for e in info) > 0
        assert "sentiment_label" in docs.columns
        for report in ("report.xlsx", "report.md", "report.html"):
            assert (ws / "export" / report).stat().st_size > 0
        assert not (ws / "topics.parquet").exists()
        note = json.loads((ws / "manifest.json").read_text(encoding="utf-8"))["topics_skipped"]
        unit = "篇不同的有词文档" if note["unit"] == "documents" else "主题词只有"
        markdown = (ws / "export" / "report.md").read_text(encoding="utf-8")
        assert "主题未拟合：" in markdown and unit in markdown and "missing: run" not in markdown  # not "run opinion topics"
        shown = CliRunner().invoke(app, ["info", "-w", str(ws)]).output
        assert f"topics      skipped: {note['message']}" in shown


def test_cli_run_says_what_the_load_warned_of_and_where_the_rejects_are(tmp_path: Path) -> None:
    book = tmp_path / "导出.xlsx"
    with pd.ExcelWriter(book) as writer:
        pd.DataFrame({"内容": ["口罩买不到了", "医生辛苦了"]}).to_excel(writer, sheet_name="一月", index=False)
        pd.DataFrame({"内容": ["第二张表的帖子"]}).to_excel(writer, sheet_name="二月", index=False)
    ragged = tmp_path / "posts.csv"
    ragged.write_text("text,date\n武汉加油,2020-01-24\n多,了,字段\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["run", str(book), str(ragged), "-w", str(tmp_path / "ws"),
                                      "--export-format", "csv"])
    assert result.exit_code == 0, result.output
    assert "notice: load: " in result.output and "other sheet(s) hold data: '二月'" in result.output
    assert f"1 row(s) rejected, with file, row and reason: {tmp_path / 'ws' / 'rejects.csv'}" in result.output
    assert "[load] loaded 3 documents from 2 input(s)" in result.output  # what the run goes on with
    # as `opinion load` says it, once (2026-12-08: the run repeated it as a notice at the end)
    assert result.output.count(f"columns: text '内容' ({book})") == 1
    assert f"[load] columns: text '内容' ({book})" in result.output
    dated = tmp_path / "2.14.csv"  # named by day, no date column
    dated.write_text("text\n武汉加油，口罩告急\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["run", str(dated), "-w", str(tmp_path / "ws"), "--export-format", "csv"])
    assert "no date column but are named by day (2.14.csv)" in result.output, result.output


# --- issue 16: a run keeps what each stage was told; config show → --config ------------------
THEMES = '["防疫"]\nlabel = "epidemic prevention"\nterms = { "口罩" = 1, "隔离" = 1, "防控" = 1, "疫情" = 1 }\n'


def _part_files(ws: Path) -> dict[str, tuple[str, int]]:
    """Every part file of the per-document stages: its content hash and modification time."""
    import hashlib

    return {str(p.relative_to(ws)): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
            for table in (S.PREPARED, S.SENTIMENT, S.TOPIC_DOCS) for p in sorted((ws / table).glob("*.parquet"))}


def test_run_after_prepare_with_themes_keeps_them_and_recomputes_nothing(tmp_path: Path) -> None:
    from opinion.pipeline import run_pipeline

    ws, themes = tmp_path / "ws", tmp_path / "mine.toml"
    themes.write_text(THEMES, encoding="utf-8")
    cli = CliRunner()
    for args in (["load", str(SAMPLE), "-w", str(ws)],
                 ["prepare", "-w", str(ws), "--themes", str(themes), "--workers", "1"],
                 ["sentiment", "-w", str(ws), "--method", "lexicon", "--workers", "1"]):
        result = cli.invoke(app, args)
        assert result.exit_code == 0, result.output
    prepared = _stage_records(ws)
    files = _part_files(ws)
    assert "theme_防疫" in Workspace.open(ws).read(S.PREPARED).columns

    result = cli.invoke(app, ["run", str(SAMPLE), "-w", str(ws), "--min-topic-size", "3",
                              "--export-format", "csv"])
    assert result.exit_code == 0, result.output
    after = _stage_records(ws)
    for stage in ("prepare", "sentiment"):  # same fingerprints, same parts: nothing recomputed
        assert after[stage] == prepared[stage], stage
    assert {k: v for k, v in _part_files(ws).items() if not k.startswith(S.TOPIC_DOCS)} == files
    docs = pd.read_csv(ws / "export" / "documents.csv")
    assert (docs["theme_防疫"] > 0).sum() >= 3
    assert docs["sentiment_prob_positive"].isna().all()  # still the lexicon, not the model

    again = run_pipeline([str(SAMPLE)], ws, overrides={"export": {"formats": ("csv",)}}, echo=False)
    assert again.reports["prepare"].runner.computed == []
    assert again.reports["sentiment"].computed == []
    assert again.config.prepare.theme_files == (str(themes.resolve()),)
    assert again.config.sentiment.method == "lexicon"


def test_run_with_themes_then_config_show_reproduces_the_workspace(tmp_path: Path) -> None:
    themes = tmp_path / "mine.toml"
    themes.write_text(THEMES, encoding="utf-8")
    first, second = tmp_path / "first", tmp_path / "second"
    cli = CliRunner()
    result = cli.invoke(app, ["run", str(SAMPLE), "-w", str(first), "--themes", str(themes),
                              "--method", "lexicon", "--min-topic-size", "3", "--nr-topics", "4",
                              "--export-format", "csv", "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert "theme_防疫" in pd.read_csv(first / "export" / "documents.csv").columns

    shown = cli.invoke(app, ["config", "show", "-w", str(first)])
    assert shown.exit_code == 0, shown.output
    assert "[prepare]" in shown.output and str(themes.resolve()) in shown.output
    assert 'method = "lexicon"' in shown.output and "nr_topics = 4" in shown.output
    config = tmp_path / "opinion.toml"
    config.write_text(shown.output, encoding="utf-8")

    result = cli.invoke(app, ["run", str(SAMPLE), "-w", str(second), "--config", str(config),
                              "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert cli.invoke(app, ["config", "show", "-w", str(second)]).output == shown.output
    ones, twos = _part_files(first), _part_files(second)
    assert ones.keys() == twos.keys() and ones
    assert {k: v[0] for k, v in ones.items()} == {k: v[0] for k, v in twos.items()}  # same bytes
    records = [_stage_records(ws) for ws in (first, second)]
    for stage in ("prepare", "sentiment"):
        assert records[0][stage]["settings_fingerprint"] == records[1][stage]["settings_fingerprint"]
    pd.testing.assert_frame_equal(Workspace.open(first).read(S.TOPICS),
                                  Workspace.open(second).read(S.TOPICS))


def test_run_bad_config_file_is_one_line(tmp_path: Path) -> None:
    config = tmp_path / "opinion.toml"
    config.write_text('[topics]\nnr_topic = 5\n', encoding="utf-8")
    ws = tmp_path / "ws"
    result = CliRunner().invoke(app, ["run", str(SAMPLE), "-w", str(ws), "--config", str(config)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "opinion.toml" in result.output and "'nr_topic'" in result.output and not ws.exists()
    result = CliRunner().invoke(app, ["run", str(SAMPLE), "-w", str(ws), "--nr-topics", "many"])
    assert result.exit_code == 1 and "--nr-topics must be 'auto'" in result.output, result.output


def test_cli_run_says_when_a_traditional_corpus_gets_a_simplified_report(tmp_path: Path) -> None:
    """Taiwanese sentences (UD Chinese GSD): without --script the report is Simplified, and the
    run says how to show it in Traditional; with --script zh-HK it says nothing."""
    rows = pd.read_csv(Path(__file__).parent / "data" / "gsd_trad_simp_sample.tsv", sep="\t").head(12)
    corpus = tmp_path / "台灣.csv"
    pd.DataFrame({"text": rows["traditional"]}).to_csv(corpus, index=False)
    result = CliRunner().invoke(app, ["run", str(corpus), "-w", str(tmp_path / "ws"), "--export-format", "csv"])
    assert result.exit_code == 0, result.output
    assert "notice: export: 12 of 12 documents are in Traditional script" in result.output
    assert "--script zh-Hant-TW or --script zh-HK" in result.output
    again = CliRunner().invoke(app, ["run", str(corpus), "-w", str(tmp_path / "hk"), "--export-format", "csv",
                                     "--script", "zh-HK"])
    assert again.exit_code == 0, again.output
    assert "Traditional script" not in again.output


def test_run_stops_after_a_load_that_rejected_every_row(tmp_path):
    """A file of posts whose texts are all empty: every row rejected, and the run went on to
    say "table 'corpus' is missing; run `opinion load -w ws`" (2026-12-07)."""
    from typer.testing import CliRunner

    from opinion.cli import app

    (tmp_path / "posts.csv").write_text("id,text\n1,\n2,\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["run", str(tmp_path / "posts.csv"), "-w", str(tmp_path / "ws")])
    assert result.exit_code == 1, result.output
    assert "nothing loaded" in result.output and "rejects.csv" in result.output
    assert "corpus' is missing" not in result.output


def test_run_with_the_dask_engine_missing_stops_before_the_load(tmp_path, monkeypatch):
    """h45 #6: without distributed, `--engine dask` loaded the corpus and failed at prepare."""
    import importlib.util

    found = importlib.util.find_spec

    def without_dask(name, *args, **kwargs):
        if name.split(".")[0] in ("dask", "distributed"):
            return None
        return found(name, *args, **kwargs)

    monkeypatch.setattr(importlib.util, "find_spec", without_dask)
    ws = tmp_path / "ws"
    result = CliRunner().invoke(app, ["run", str(SAMPLE), "-w", str(ws), "--engine", "dask"])
    assert result.exit_code == 1 and not ws.exists(), result.output  # nothing loaded
    assert result.output.strip().splitlines() == [
        "error: distributed is needed for the Dask engine but is not installed; "
        "install it with: pip install 'opinion[dask]'"]
