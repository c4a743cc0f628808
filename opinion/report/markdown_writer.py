"""Markdown export: ``report.md``, tables ready to paste into a document or a wiki.

Cells go through :func:`opinion.io.safety.markdown_cell`: line breaks and runs of
whitespace become one space, then everything Markdown would read as markup (``|``, links
and images, HTML, code, emphasis, entities, ``$``, autolinks) is backslash-escaped, and a
leading ``= + - @`` too, so the raw file starts no formula while the rendered page shows
the text as written (``-1_未归入主题``, not ``'-1_未归入主题``). The per-document table is left
out (see ``documents.csv``), and so is a section's appendix: the run section shows the summary a
methods section needs and points to ``run.csv`` for the whole run table (hashes, fingerprints,
per-part records), which ``report.html`` folds. A ``<details>`` block would fold it on GitHub, but
Markdown has no folding of its own: pasted into a document, or converted with pandoc, the 200-odd
rows would come back whole.

Example:
    >>> markdown_table(pd.DataFrame({"主题": ["口罩|防护"], "占比": ["52.7%"]}))
    '| 主题 | 占比 |\\n| --- | ---: |\\n| 口罩\\\\|防护 | 52.7% |'
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from opinion.i18n import text
from opinion.io.atomic import write_text_atomic
from opinion.io.safety import markdown_cell
from opinion.report.display import CODE_SPAN
from opinion.report.sections import report_sections

_NUMERIC = re.compile(r"^[+-]?[\d,.]+%?$")


def markdown_note(note: str) -> str:
    """A note or caption of the report as Markdown: its ``code`` spans (commands, file names)
    stay code (``<code>`` in the HTML report); the rest is escaped as a cell is
    (:func:`markdown_cell`): ``markdown_note("运行 `opinion run`")`` is ``"运行 `opinion run`"``."""
    flat, out, pos = " ".join(str(note).split()), [], 0
    for span in [*CODE_SPAN.finditer(flat), None]:
        end = span.start() if span else len(flat)
        part = flat[pos:end]
        out.append(" " * part.startswith(" ") + markdown_cell(part) + " " * (part.endswith(" ") and part != " "))
        if span:
            out.append(span.group())
            pos = span.end()
    return "".join(out)


def markdown_table(df: pd.DataFrame) -> str:
    """A GitHub-flavoured Markdown table; columns of numbers are right-aligned."""
    if df.empty:
        return ""
    header = "| " + " | ".join(markdown_cell(c) for c in df.columns) + " |"
    aligns = []
    for column in df.columns:
        values = [v for v in df[column].tolist() if isinstance(v, str) and v]
        aligns.append("---:" if values and all(_NUMERIC.match(v) for v in values) else "---")
    rows = ["| " + " | ".join(markdown_cell(v) for v in row) + " |" for row in df.itertuples(index=False)]
    return "\n".join([header, "| " + " | ".join(aligns) + " |", *rows])


def markdown_report(tables: dict[str, pd.DataFrame], *, script: str, lang: str = "zh") -> str:
    """The whole report as Markdown text, headed in ``lang`` (``zh`` in ``script``, or ``en``)."""
    parts = [f"# {text('report.title', script, lang=lang)}", ""]
    for section in report_sections(tables, script=script, lang=lang):
        parts += [f"## {section.title}", ""]
        if section.note:
            parts += [markdown_note(section.note), ""]
        for caption, table in section.tables:
            if caption:
                parts += [f"**{markdown_note(caption)}**", ""]
            parts += [markdown_table(table) or "—", ""]
    return "\n".join(parts)


def write_markdown(tables: dict[str, pd.DataFrame], path: Path, *, script: str, lang: str = "zh") -> Path:
    """Write ``report.md`` atomically."""
    write_text_atomic(path, markdown_report(tables, script=script, lang=lang))
    return Path(path)
