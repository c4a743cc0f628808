"""Export a workspace's report tables as CSV, XLSX, Markdown and HTML.

Example:
    >>> export_workspace("runs/weibo", "report", formats=("csv", "html"),  # doctest: +SKIP
    ...                  script="zh-Hant-TW", period="week")
    [PosixPath('report/topics.csv'), ..., PosixPath('report/report.html')]
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from opinion.errors import InputError
from opinion.io.lock import exports_workspace
from opinion.io.workspace import Workspace
from opinion.report.tables import TABLE_NAMES, build_tables

FORMATS = ("csv", "xlsx", "md", "html")
EXPORT_TABLE_NAMES = (*TABLE_NAMES, "keywords_by_period")  # the tables a CSV/XLSX export writes
FORMAT_ALIASES = {"markdown": "md", "excel": "xlsx", "htm": "html"}


def parse_formats(spec: str | Iterable[str]) -> tuple[str, ...]:
    """``"csv,xlsx"``, ``"all"`` or a list of names as a tuple of known formats, in order.

    >>> parse_formats("xlsx, csv"), parse_formats("all")
    (('xlsx', 'csv'), ('csv', 'xlsx', 'md', 'html'))
    """
    names = spec.split(",") if isinstance(spec, str) else [n for s in spec for n in s.split(",")]
    chosen: list[str] = []
    for raw in names:
        name = FORMAT_ALIASES.get(raw.strip().lower(), raw.strip().lower())
        if name == "all":
            chosen.extend(FORMATS)
        elif name in FORMATS:
            chosen.append(name)
        elif name:
            raise InputError(f"--format must be one or more of {', '.join(FORMATS)} or all; got {raw.strip()!r}")
    if not chosen:
        raise InputError(f"--format is empty; choose from {', '.join(FORMATS)} or all")
    return tuple(dict.fromkeys(chosen))


@exports_workspace
def export_workspace(ws: Workspace | str | Path, out: str | Path, *,
                     formats: str | Iterable[str] = ("csv",), script: str = "zh-Hans",
                     period: str | None = None, top: int = 3,
                     progress: Callable[[list[str]], Iterable[str]] | None = None) -> list[Path]:
    """Write the report of workspace ``ws`` into the folder ``out``; return the files written.

    ``csv`` writes one ``<table>.csv`` per table (``keywords_by_period.csv`` included); ``xlsx``
    writes ``report.xlsx``; ``md`` writes ``report.md``; ``html`` writes ``report.html`` with
    word clouds (:mod:`opinion.words.report`). ``progress`` wraps the list of
    steps (``"tables"``, then each format), e.g. in a progress bar.
    """
    from opinion.io.csv_writer import write_csv
    from opinion.report.html_writer import write_html
    from opinion.report.markdown_writer import write_markdown
    from opinion.report.xlsx_writer import write_xlsx
    from opinion.words.report import cloud_images, keywords_for_export

    chosen = parse_formats(formats)
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise InputError(f"--out {out}: is a file; give a folder to write the report into")
    steps = ["tables", *chosen]
    written: list[Path] = []
    for name in progress(steps) if progress else steps:
        if name == "tables":
            tables = build_tables(ws, script=script, period=period, top=top)
            tables["keywords_by_period"] = keywords_for_export(ws, period=_period_of(tables), script=script)
            out.mkdir(parents=True, exist_ok=True)
        elif name == "csv":
            written += write_csv(tables, out)
        elif name == "xlsx":
            written.append(write_xlsx(tables, out / "report.xlsx"))
        elif name == "md":
            written.append(write_markdown(tables, out / "report.md", script=script))
        else:
            clouds = cloud_images(ws, period=_period_of(tables), script=script)
            written.append(write_html(tables, out / "report.html", script=script, clouds=clouds))
    return written


def _period_of(tables: dict) -> str:
    """The period the tables were built with (from the run table)."""
    run = tables["run"]
    value = run.loc[(run["section"] == "export") & (run["key"] == "period"), "value"]
    return str(value.iloc[0]) if len(value) else "week"
