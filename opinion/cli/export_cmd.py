"""`opinion export`: write the report tables as CSV, XLSX, Markdown and/or HTML.

    opinion export -w runs/weibo                      # WS/export, every format
    opinion export -w runs/weibo -f xlsx --script zh-Hant-TW -o 报告
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from opinion.cli.common import WorkspaceOpt, handle_errors, progress
from opinion.cli.options import Given, with_settings


@handle_errors
@with_settings("export")
def export(
    workspace: WorkspaceOpt,
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", help="Folder to write the report files into (default: WORKSPACE/export).")
    ] = None,
    *,
    given: Given,
) -> None:
    """Write report-ready tables: topics, trends, sentiment, themes, sources, documents, run.

    Options left out keep what the workspace was last exported with into WORKSPACE/export (else
    every format); a report written into another --out folder does not change them.
    """
    from opinion.io.workspace import Workspace
    from opinion.report import export_workspace

    ws = Workspace.open(workspace)
    written = export_workspace(ws, out, **given["export"],
                               progress=lambda steps: progress(steps, desc="export", unit="step"))
    typer.echo(f"wrote {len(written)} file(s) to {out or ws.root / 'export'}:")
    for path in written:
        typer.echo(f"  {path}")


def register(app: typer.Typer) -> None:
    """Add `opinion export` to `app`."""
    app.command("export")(export)
