"""The run section of report.md and report.html (opinion.report.run_table.run_summary): a summary
a methods section can cite; run.csv and the HTML's folded table keep every row."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
from factory import make_workspace

from opinion.report.export import export_workspace
from opinion.report.run_table import reader_run

PART = {"source_sha256": "4d93386b9759fe7068c11f210d19db04e860ed78eb51542a7c9f1dfa06dff1e7",
        "source_modified": "1796701077106305084", "rows": 43978}  # a part's record, as a real run's


def _export(tmp_path: Path, *, lang: str = "zh") -> tuple[str, str, list[dict[str, str]]]:
    ws = make_workspace(tmp_path / "ws")
    ws.manifest["stages"]["topic_stats"] = {"settings": {"model": "0d2425e7aa3e1345"},
                                            "settings_fingerprint": "a099035a2643d394", "parts": {"1_24-00000": PART}}
    ws.manifest["stages"]["topics"] = {"settings": {"nr_topics": "auto", "min_topic_size": 10,
                                                    "keep_duplicates": False}, "seconds": 5.11, "complete": True}
    ws.manifest["stages"]["flags"] = {"counts": {"exact_duplicates": 399, "near_duplicates": 837}}
    ws.save_manifest()
    out = tmp_path / "out"
    export_workspace(ws, out, formats="md,html,csv", lang=lang)
    with open(out / "run.csv", encoding="utf-8-sig", newline="") as fh:
        run = list(csv.DictReader(fh))
    return (out / "report.md").read_text(encoding="utf-8"), (out / "report.html").read_text(encoding="utf-8"), run


def _run_section(markdown: str, title: str) -> str:
    return markdown.split(f"## {title}\n")[1]


def test_report_markdown_run_section_is_a_summary_pointing_to_run_csv(tmp_path: Path) -> None:
    """New user #10: report.md ended with 235 rows of per-part sha256, nanosecond stamps and
    fingerprints; it shows what a methods section needs and says where the rest is."""
    markdown, page, run = _export(tmp_path)
    section = _run_section(markdown, "运行信息")
    for internal in ("sha256", "fingerprint", "parts.", "source_modified", "43978"):
        assert internal not in section, internal
    assert f"完整的运行表（{len(run)} 行" in section and "run.csv" in section
    lines = section.splitlines()
    assert any(line.startswith("| library | versions | opinion ") for line in lines)
    assert any(line.startswith("| input 1 |") and "读入 " in line and " 行，载入 " in line for line in lines)
    assert "| stage topics | settings.min_topic_size | 10 |" in lines and "| stage topics | seconds | 5.11 |" in lines
    assert "**定义**" in lines and any(line.startswith("| share |") for line in lines)
    assert len([line for line in lines if line.startswith("| ")]) < 60
    keys = {(row["section"], row["key"]) for row in run}  # run.csv keeps every row
    assert ("stage topic_stats", "parts.1_24-00000.source_sha256") in keys
    folded = page.split('<section id="run">')[1].split("</section>")[0]  # HTML: summary shown, the rest folded
    assert folded.index("<table") < folded.index("<details") and "parts.1_24-00000.source_sha256" in folded


def test_report_run_names_say_which_near_duplicates_they_count(tmp_path: Path) -> None:
    """`counts.near_duplicates 837` (exact copies included) stood beside the overview's
    `近似重复 438` (left out): the report says which is which; run.csv keeps its keys."""
    _, page, run = _export(tmp_path)
    assert ("stage flags", "counts.near_duplicates") in {(row["section"], row["key"]) for row in run}
    assert "counts.near_duplicates（含完全重复）" in page
    rows = pd.DataFrame([("corpus", "near_duplicates", 438), ("stage flags", "counts.near_duplicates", 837)],
                        columns=["section", "key", "value"])
    assert reader_run(rows, script="zh-Hant-TW")["key"].tolist() == ["near_duplicates（不含完全重複）",
                                                                    "counts.near_duplicates（含完全重複）"]
    assert reader_run(rows, script="zh-Hans", lang="en")["key"].iloc[1] == \
        "counts.near_duplicates (exact duplicates included)"


def test_report_english_run_summary_says_yes_and_no(tmp_path: Path) -> None:
    markdown, _, _ = _export(tmp_path, lang="en")
    section = _run_section(markdown, "Run").splitlines()
    assert "| stage topics | settings.keep_duplicates | no |" in section
    assert any(line.startswith("| input 1 |") and "rows read" in line for line in section)
