"""CLI commands of the load stage: ``opinion load`` and ``opinion info``.

    opinion load weibo/*.csv.gz -w runs/weibo --date-from-filename --year 2020 \\
        --drop-col userid
    opinion info -w runs/weibo
"""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from opinion.cli.common import WorkspaceOpt, format_table, handle_errors

_COLUMNS = (("read", "rows_read"), ("loaded", "rows_loaded"), ("rejected", "rows_rejected"),
            ("dups", "duplicates"), ("broken", "decode_errors"), ("no date", "dates_missing"),
            ("bad date", "dates_unreadable"))


def _summary(report: Any) -> str:
    header = ["file", "format", "encoding", *[label for label, _ in _COLUMNS]]
    rows = [[f.path, f.format, f.encoding, *[str(getattr(f, name)) for _, name in _COLUMNS]]
            for f in report.files]
    rows.append(["total", "", "", *[str(report.total(name)) for _, name in _COLUMNS]])
    return format_table(header, rows, numeric_from=3)


@handle_errors
def load(
    paths: Annotated[list[str], typer.Argument(help="Files (.gz too), folders or globs.",
                                               show_default=False)],
    workspace: WorkspaceOpt,
    fmt: Annotated[str, typer.Option("--format", help="auto|csv|tsv|jsonl|json|parquet|xlsx|"
                                                      "txt|html")] = "auto",
    encoding: Annotated[str, typer.Option(help="auto, or an encoding name such as gb18030, "
                                               "big5, utf-16.")] = "auto",
    text_col: Annotated[str | None, typer.Option(help="Column holding the text.")] = None,
    title_col: Annotated[str | None, typer.Option(help="Column holding the title.")] = None,
    id_col: Annotated[str | None, typer.Option(help="Column of unique ids (else file-row ids).")
                      ] = None,
    date_col: Annotated[str | None, typer.Option(help="Column holding the date.")] = None,
    source_col: Annotated[str | None, typer.Option(help="Column holding the source.")] = None,
    sheet: Annotated[str | None, typer.Option(help="Excel sheet (default: the first).")] = None,
    drop_duplicates: Annotated[bool, typer.Option(
        "--drop-duplicates", help="Reject exact copies instead of flagging them.")] = False,
    replace: Annotated[bool, typer.Option(
        "--replace", help="Load again inputs that are already in the workspace.")] = False,
    date_from_filename: Annotated[bool, typer.Option(
        "--date-from-filename",
        help="Date rows by their file's name (2020.1.20.csv.gz, 20200120.txt) when there is "
             "no date column.")] = False,
    year: Annotated[int | None, typer.Option(
        help="Year for file names with month and day only (1.27.csv.gz).")] = None,
    drop_col: Annotated[list[str] | None, typer.Option(
        "--drop-col", help="Leave this column out (personal data); repeatable.")] = None,
    pseudonymize_col: Annotated[list[str] | None, typer.Option(
        "--pseudonymize-col", help="Replace this column's values by a salted hash; "
                                   "repeatable.")] = None,
    columns: Annotated[str | None, typer.Option(
        "--columns", help="Comma-separated column names for CSV/TSV files without a header "
                          "line, e.g. title,label.")] = None,
    chunk_rows: Annotated[int, typer.Option(help="Rows per corpus part.", min=1)] = 50_000,
    max_field_mb: Annotated[float, typer.Option(
        "--max-field-mb", help="A line, field or whole-read file (.txt/.html, .json) larger "
                               "than this is rejected as 'field too long'.")] = 64.0,
) -> None:
    """Load corpora into a workspace: every row is loaded or listed in rejects.csv."""
    options = load_options(**{k: v for k, v in locals().items() if k not in ("paths", "workspace")})
    from opinion.io.load import load_corpus

    report = load_corpus(paths, workspace, show_progress=True, **options)
    print_load_report(report, workspace)


def load_options(*, fmt: str, encoding: str, text_col: str | None, title_col: str | None,
                 id_col: str | None, date_col: str | None, source_col: str | None,
                 sheet: str | None, drop_duplicates: bool, replace: bool,
                 date_from_filename: bool, year: int | None, drop_col: list[str] | None,
                 pseudonymize_col: list[str] | None, columns: str | None,
                 chunk_rows: int, max_field_mb: float = 64.0) -> dict[str, Any]:
    """Map the `load` flags (shared with `opinion run`) to `load_corpus` keyword arguments."""
    return dict(
        fmt=fmt, encoding=encoding, text_col=text_col, title_col=title_col,
        id_col=id_col, date_col=date_col, source_col=source_col, sheet=sheet,
        drop_duplicates=drop_duplicates, replace=replace,
        date_from_filename=date_from_filename, year=year, chunk_rows=chunk_rows,
        drop_cols=drop_col or (), pseudonymize_cols=pseudonymize_col or (),
        column_names=[c.strip() for c in columns.split(",")] if columns else (),
        max_field_mb=max_field_mb,
    )


def print_load_report(report: Any, workspace: Any) -> None:
    """Print the per-file summary table of a load and where the rejects are."""
    typer.echo(_summary(report))
    for note in (note for f in report.files for note in f.notes):
        typer.echo(f"warning: {note}", err=True)
    typer.echo(f"\n{report}")
    if report.total("rows_rejected"):
        typer.echo(f"rejected rows, with file, row and reason: {workspace / 'rejects.csv'}")


def _print_info(info: dict[str, Any]) -> None:
    echo = typer.echo
    echo(f"workspace   {info['workspace']}")
    echo(f"inputs      {info['inputs']}")
    echo(f"documents   {info['documents']}")
    dates = (f"{info['date_min']} .. {info['date_max']}" if info["date_min"] else "none")
    echo(f"dates       {dates} ({info['dates_missing']} without a date)")
    echo(f"duplicates  {info['duplicates']} (exact copies of an earlier document)")
    echo(f"broken      {info['decode_errors']} documents with undecodable bytes")
    echo(f"encodings   {', '.join(f'{k}: {v}' for k, v in info['encodings'].items()) or '-'}")
    shown = ", ".join(f"{k}: {v}" for k, v in info["sources"].items()) or "-"
    echo(f"sources     {info['sources_distinct']} distinct; {shown}")
    scripts = info["scripts"]
    echo("scripts     " + (", ".join(f"{k}: {v}" for k, v in scripts.items()) if scripts
                           else "not known yet (run `opinion prepare`)"))
    kinds = ", ".join(f"{k}: {v}" for k, v in info["reject_kinds"].items())
    echo(f"rejects     {info['rejects']}" + (f" ({kinds})" if kinds else ""))
    if info["stages"]:
        echo(f"stages      {', '.join(info['stages'])}")
    if info["files"]:
        echo("")
        rows = [[f["label"], f["format"], f["encoding"],
                 *[str(f.get(name, "")) for _, name in _COLUMNS]] for f in info["files"]]
        echo(format_table(["file", "format", "encoding", *[c for c, _ in _COLUMNS]], rows,
                          numeric_from=3))


@handle_errors
def info(
    workspace: WorkspaceOpt,
    as_json: Annotated[bool, typer.Option("--json", help="Print the counts as JSON.")] = False,
) -> None:
    """Show what a workspace holds: counts, dates, sources, scripts, duplicates, rejects."""
    from opinion.io.info import workspace_info

    result = workspace_info(workspace)
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False, indent=2, default=str))
    else:
        _print_info(result)


def register(app: typer.Typer) -> None:
    """Add this module's commands to `app`."""
    app.command("load")(load)
    app.command("info")(info)
