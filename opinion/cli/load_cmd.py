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
from opinion.cli.options import Given, with_settings

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
@with_settings("load")
def load(
    paths: Annotated[list[str], typer.Argument(help="Files (.gz too), folders or globs.",
                                               show_default=False)],
    workspace: WorkspaceOpt,
    replace: Annotated[bool, typer.Option(
        "--replace", help="Load again inputs that are already in the workspace.")] = False,
    *,
    given: Given,
) -> None:
    """Load corpora into a workspace: every row is loaded or listed in rejects.csv."""
    from opinion.config import LoadSettings
    from opinion.io.load import load_corpus

    report = load_corpus(paths, workspace, settings=LoadSettings(**given["load"]),
                         replace=replace, show_progress=True)
    print_load_report(report, workspace)


def print_load_report(report: Any, workspace: Any) -> None:
    """Print the per-file summary table of a load and where the rejects are."""
    typer.echo(_summary(report))
    _print_columns(report)
    for note in (note for f in report.files for note in f.notes):
        typer.echo(f"warning: {note}", err=True)
    for note in report.input_notes():
        typer.echo(f"note: {note}", err=True)
    typer.echo(f"\n{report}")
    if report.total("rows_rejected"):
        typer.echo(f"rejected rows, with file, row and reason: {workspace / 'rejects.csv'}")


def _print_columns(report: Any) -> None:
    """:meth:`LoadReport.column_notes`, a line each."""
    for line in report.column_notes():
        typer.echo(line)


def _print_info(info: dict[str, Any]) -> None:
    from opinion.io.commit import pending_note
    from opinion.io.info import info_warnings

    echo = typer.echo
    echo(f"workspace   {info['workspace']}")
    echo(f"inputs      {info['inputs']}")
    echo(f"documents   {info['documents']}")
    first, last = info["date_min"], info["date_max"]
    if first and all(str(v).endswith(" 00:00:00") for v in (first, last)):  # days only: no clock to show
        first, last = str(first)[:-9], str(last)[:-9]
    dates = f"{first} .. {last}" if first else "none"
    echo(f"dates       {dates} ({info['dates_missing']} without a date)")
    echo(f"duplicates  {info['duplicates']} (exact copies of an earlier document)")
    echo(f"broken      {info['decode_errors']} documents with undecodable bytes")
    echo(f"encodings   {', '.join(f'{k}: {v}' for k, v in info['encodings'].items()) or '-'}")
    shown = ", ".join(f"{k}: {v}" for k, v in info["sources"].items()) or "-"
    echo(f"sources     {info['sources_distinct']} distinct; {shown}")
    scripts, unfinished = info["scripts"], info.get("stages_incomplete") or {}
    if scripts:
        behind = " (of the prepared documents; prepare is behind the corpus)" if info.get("stages_to_rerun") else ""
        echo("scripts     " + ", ".join(f"{k}: {v}" for k, v in scripts.items()) + behind)
    elif "prepare" in unfinished:  # the parts on disk are of part of the corpus: no counts
        echo(f"scripts     not known: prepare was interrupted (run `{unfinished['prepare']}` again)")
    else:
        echo("scripts     not known yet (run `opinion prepare`)")
    kinds = ", ".join(f"{k}: {v}" for k, v in info["reject_kinds"].items())
    echo(f"rejects     {info['rejects']}" + (f" ({kinds})" if kinds else ""))
    if info["stages"]:
        echo("stages      " + ", ".join(f"{name} (incomplete)" if name in unfinished else name
                                        for name in info["stages"]))
    for line in info_warnings(info):  # interrupted stages, then the commands that bring all up to date
        echo(line)
    if info.get("load_pending"):
        echo(f"warning: {pending_note(info['load_pending'])}")
    if info.get("topics_skipped"):
        echo(f"topics      skipped: {info['topics_skipped']}")
    if info["files"]:
        echo("")
        rows = [[f["label"], f["format"], f["encoding"],
                 *[str(f.get(name, "")) for _, name in _COLUMNS]] for f in info["files"]]
        echo(format_table(["file", "format", "encoding", *[c for c, _ in _COLUMNS]], rows,
                          numeric_from=3))
        for note in (note for f in info["files"] for note in f["notes"]):
            echo(f"warning: {note}")  # what the load said of its inputs, kept in the manifest


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
