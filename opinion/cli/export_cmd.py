"""`opinion export`: write the report tables as CSV, XLSX, Markdown and/or HTML."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from opinion.cli.common import ScriptOpt, WorkspaceOpt, handle_errors, progress


@handle_errors
def export(
    workspace: WorkspaceOpt,
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder to write the report files into.")],
    formats: Annotated[list[str], typer.Option(
        "--format", "-f", help="csv, xlsx, md, html, several joined by commas (csv,xlsx), or all.",
    )] = ["csv"],  # noqa: B006 - typer needs a literal default
    script: ScriptOpt = "zh-Hans",
    period: Annotated[str | None, typer.Option(  # noqa: UP007 - typer reads Optional
        "--period", help="day, week or month; picked from the date range when left out.")] = None,
    top: Annotated[int, typer.Option("--top", min=0, help="Example posts per topic.")] = 3,
) -> None:
    """Write report-ready tables: topics, trends, sentiment, themes, sources, documents, run."""
    from opinion.io.workspace import Workspace
    from opinion.report import export_workspace

    written = export_workspace(Workspace.open(workspace), out, formats=formats, script=script,
                               period=period, top=top,
                               progress=lambda steps: progress(steps, desc="export", unit="step"))
    typer.echo(f"wrote {len(written)} file(s) to {out}:")
    for path in written:
        typer.echo(f"  {path}")


def register(app: typer.Typer) -> None:
    """Add `opinion export` to `app`."""
    app.command("export")(export)
