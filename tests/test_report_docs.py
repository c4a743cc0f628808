"""docs/export.md says what the export does: the period rule, the files and the columns."""

from __future__ import annotations

import re
from pathlib import Path

from factory import make_workspace

from opinion.periods import DAY_SPAN_MAX, WEEK_SPAN_MAX
from opinion.report import EXPORT_TABLE_NAMES
from opinion.report.tables import build_tables

DOC = Path(__file__).resolve().parents[1] / "docs" / "export.md"
PATTERNS = ("theme_", "sentiment_prob_", "emotion_prob_", "sentiment_theme_")  # documented as <name>


def _row(start: str) -> str:
    return next(line for line in DOC.read_text(encoding="utf-8").splitlines() if line.startswith(start))


def _names(line: str) -> set[str]:
    """Every name in the line's code spans (``a, b`` spans give both)."""
    return {name for span in re.findall(r"`([^`]+)`", line) for name in re.split(r",\s*", span)}


def test_report_docs_period_rule_files_and_document_columns_match_the_code(tmp_path: Path) -> None:
    """export.md said day up to 45 days and week up to 400 (periods.py: 92 and 730), left
    keywords_by_period out of the files written and text_clean and text_norm out of documents."""
    period = _row("| `--period P` |")
    assert f"at most {DAY_SPAN_MAX} calendar days" in period and f"up to {WEEK_SPAN_MAX} days" in period
    assert "45 days of data" not in period
    assert {f"{name}.csv" for name in EXPORT_TABLE_NAMES} <= _names(_row("| `csv` |"))
    assert "keywords_by_period" in _names(_row("| `keywords_by_period` |"))
    columns = build_tables(make_workspace(tmp_path / "ws"))["documents"].columns
    documented = _names(_row("| `documents` |"))
    assert {"text_clean", "text_norm"} <= documented
    assert [c for c in columns if c not in documented and not c.startswith(PATTERNS)] == []
