"""`opinion topics`: fit topics on a prepared workspace; `opinion topics assign`: new documents."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from opinion.cli.common import (
    AddressOpt,
    EngineOpt,
    ScriptOpt,
    WorkersOpt,
    WorkspaceOpt,
    handle_errors,
)
from opinion.cli.options import Given, with_settings
from opinion.config import DEFAULT_SCRIPT
from opinion.errors import InputError

topics_app = typer.Typer(help="Topics with BERTopic: fit, tables, metrics; assign new documents.",
                         invoke_without_command=True, no_args_is_help=False)


@topics_app.callback()
@handle_errors
@with_settings("topics")
def topics(
    ctx: typer.Context,
    workspace: Annotated[Path | None, typer.Option(
        "--workspace", "-w", help="Workspace folder (created by `opinion load`).")] = None,
    script: ScriptOpt = DEFAULT_SCRIPT,
    force: Annotated[bool, typer.Option("--force", help="Refit even if inputs and settings are unchanged.")] = False,
    workers: WorkersOpt = 0,
    engine: EngineOpt = "local",
    address: AddressOpt = None,
    *,
    given: Given,
) -> None:
    """Fit topics on the prepared tokens and write the topic tables and metrics.

    The fit runs here, on a sample; every part is then assigned with --workers processes
    (0: all cores) or on a Dask cluster (--engine dask), with the same result. Options left
    out keep what the workspace last fitted with.
    """
    if ctx.invoked_subcommand is not None:
        return
    if workspace is None:
        raise InputError("opinion topics: give the workspace with -w WS")
    from opinion.io.workspace import Workspace
    from opinion.text.script import check_target, render
    from opinion.topics.model import fit_topics

    check_target(script)
    report = fit_topics(Workspace.open(workspace), **given["topics"], force=force,
                        workers=workers, engine=engine, address=address)
    for line in report.lines():
        typer.echo(line)
    for row in report.topics:
        if row["topic_id"] == -1:
            continue
        typer.echo(f"  {row['topic_id']:>3}  {row['size']:>8,}  {row['share']:6.1%}  "
                   f"{render(' '.join(row['top_terms'][:8]), script)}")


@topics_app.command("assign")
@handle_errors
def assign(
    workspace: WorkspaceOpt,
    new_files: Annotated[list[Path], typer.Argument(
        help="New documents: any file, folder or glob `opinion load` reads (.gz too); a .txt "
             "file holds one text per line.", show_default=False)],
    text_col: Annotated[str | None, typer.Option("--text-col", help="Column holding the text (default: found as by `opinion load`).")] = None,
    id_col: Annotated[str | None, typer.Option("--id-col", help="Column of unique ids (default: <file>-<row>).")] = None,
    fmt: Annotated[str, typer.Option("--format", help="auto|csv|tsv|jsonl|json|parquet|xlsx|txt|html")] = "auto",
    encoding: Annotated[str, typer.Option(help="auto, or an encoding name such as gb18030.")] = "auto",
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write the assignments to this CSV.")] = None,
    script: ScriptOpt = DEFAULT_SCRIPT,
) -> None:
    """Put the documents of NEW_FILES into the workspace's fitted topics."""
    from opinion.io.workspace import Workspace
    from opinion.report.safety import write_csv_frame
    from opinion.text.script import check_target, render
    from opinion.topics.model import assign_topics
    from opinion.topics.newdocs import read_new_documents

    check_target(script)
    if out is not None and out.suffix.lower() != ".csv":
        raise InputError(f"--out {out}: give a file name ending in .csv")
    ws = Workspace.open(workspace)
    docs, rejects = read_new_documents(new_files, text_col=text_col, id_col=id_col, fmt=fmt,
                                       encoding=encoding)
    result = assign_topics(ws, docs)
    result["topic_label"] = [render(label, script) for label in result["topic_label"]]
    if rejects:
        first = rejects[0]
        typer.echo(f"{len(rejects):,} rows not assigned (first: {first['file']} row {first['row']}: "
                   f"{first['reason']})", err=True)
    if out is not None:
        write_csv_frame(result, out)  # formulas neutralised, CR/LF quoted
        typer.echo(f"assigned {len(result):,} documents to topics; wrote {out}")
        return
    for row in result.itertuples(index=False):
        typer.echo(f"{row.doc_id}\t{row.topic_id}\t{row.topic_prob:.3f}\t{row.topic_label}\t"
                   f"{render(row.text[:60], script)}")


def register(app: typer.Typer) -> None:
    """Add the `topics` command group to `app`."""
    app.add_typer(topics_app, name="topics")
