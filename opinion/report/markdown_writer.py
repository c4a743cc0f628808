"""Markdown export: ``report.md``, tables ready to paste into a document or a wiki.

Cells are escaped so that a post cannot break the table or become markup: ``|``, brackets,
angle brackets, backticks, asterisks and backslashes are escaped, line breaks become
spaces, and text a spreadsheet could run as a formula is neutralised (a pasted table often
ends up in Excel). The per-document table is left out (see ``documents.csv``).

Example:
    >>> markdown_table(pd.DataFrame({"主题": ["口罩|防护"], "占比": ["52.7%"]}))
    '| 主题 | 占比 |\\n| --- | ---: |\\n| 口罩\\\\|防护 | 52.7% |'
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd

from opinion.io.atomic import write_text_atomic
from opinion.report.display import render
from opinion.report.safety import neutralise
from opinion.report.sections import report_sections

_SPECIAL = re.compile(r"([\\|\[\]<>`*])")
_NUMERIC = re.compile(r"^[+-]?[\d,.]+%?$")


def escape_cell(value: Any) -> str:
    """One cell as inline Markdown text that cannot break the table or add markup."""
    if isinstance(value, list):
        return "<br>".join(escape_cell(v) for v in value)
    text = " ".join(str(neutralise(value)).split())
    return _SPECIAL.sub(r"\\\1", text)


def markdown_table(df: pd.DataFrame) -> str:
    """A GitHub-flavoured Markdown table; columns of numbers are right-aligned."""
    if df.empty:
        return ""
    header = "| " + " | ".join(escape_cell(c) for c in df.columns) + " |"
    aligns = []
    for column in df.columns:
        values = [v for v in df[column].tolist() if isinstance(v, str) and v]
        aligns.append("---:" if values and all(_NUMERIC.match(v) for v in values) else "---")
    rows = ["| " + " | ".join(escape_cell(v) for v in row) + " |" for row in df.itertuples(index=False)]
    return "\n".join([header, "| " + " | ".join(aligns) + " |", *rows])


def markdown_report(tables: dict[str, pd.DataFrame], *, script: str) -> str:
    """The whole report as Markdown text."""
    title = render("舆情分析报告", script)
    parts = [f"# {title}", ""]
    for section in report_sections(tables, script=script):
        parts += [f"## {section.title}", ""]
        if section.note:
            parts += [escape_cell(section.note), ""]
        for caption, table in section.tables:
            if caption:
                parts += [f"**{escape_cell(caption)}**", ""]
            parts += [markdown_table(table) or "—", ""]
    return "\n".join(parts)


def write_markdown(tables: dict[str, pd.DataFrame], path: Path, *, script: str) -> Path:
    """Write ``report.md`` atomically."""
    write_text_atomic(path, markdown_report(tables, script=script))
    return Path(path)
