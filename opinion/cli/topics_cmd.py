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
    shown_script,
)
from opinion.cli.options import Given, with_settings
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
    script: ScriptOpt = None,
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

    script = check_target(shown_script(script, workspace))
    report = fit_topics(Workspace.open(workspace), **given["topics"], force=force,
                        workers=workers, engine=engine, address=address)
    for line in report.lines():
        typer.echo(line)
    for row in _edited_rows(workspace, report.topics):
        if row["topic_id"] == -1:
            continue
        typer.echo(f"  {row['topic_id']:>3}  {row['size']:>8,}  {row['share']:6.1%}  "
                   f"{render(row['label'], script)}  ({render(' '.join(row['top_terms'][:8]), script)})")


def _edited_rows(workspace: Path, rows: list[dict]) -> list[dict]:
    """The fitted topics with the workspace's edits (renames, merges, drops) applied."""
    import pandas as pd

    from opinion.topics.edit_store import workspace_topics

    return workspace_topics(workspace, pd.DataFrame(rows))[0].to_dict("records")


@topics_app.command("assign")
@handle_errors
def assign(
    workspace: WorkspaceOpt,
    new_files: Annotated[list[Path], typer.Argument(
        help="New documents: any file, folder or glob `opinion load` reads (.gz too); a .txt "
             "file holds one text per line.", show_default=False)],
    text_col: Annotated[str | None, typer.Option("--text-col", help="Column holding the text (default: found as by `opinion load`).")] = None,
    id_col: Annotated[str | None, typer.Option("--id-col", help="Column of unique ids (default: <file>-<row>).")] = None,
    fmt: Annotated[str, typer.Option("--format", help="auto|csv|tsv|jsonl|json|parquet|xlsx|xls|txt|html")] = "auto",
    encoding: Annotated[str, typer.Option(help="auto, or an encoding name such as gb18030.")] = "auto",
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write the assignments to this CSV.")] = None,
    script: ScriptOpt = None,
) -> None:
    """Put the documents of NEW_FILES into the workspace's fitted topics."""
    from opinion.io.safety import write_csv_frame
    from opinion.io.workspace import Workspace
    from opinion.text.script import check_target, render
    from opinion.topics.model import assign_topics
    from opinion.topics.newdocs import read_new_documents

    script = check_target(shown_script(script, workspace))
    if out is not None and out.suffix.lower() != ".csv":
        raise InputError(f"--out {out}: give a file name ending in .csv")
    ws = Workspace.open(workspace)
    docs, rejects = read_new_documents(new_files, text_col=text_col, id_col=id_col, fmt=fmt,
                                       encoding=encoding)
    result = assign_topics(ws, docs)
    result = _edited_rows_frame(ws, result)
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


@topics_app.command("edit")
@handle_errors
def edit(
    workspace: WorkspaceOpt,
    rename: Annotated[list[str] | None, typer.Option(
        "--rename", help="ID=LABEL: name a topic (repeatable), e.g. --rename 3=口罩与防护.")] = None,
    merge: Annotated[list[str] | None, typer.Option(
        "--merge", help="ID,ID[,ID]: merge topics into the lowest id (repeatable).")] = None,
    drop: Annotated[list[int] | None, typer.Option(
        "--drop", help="ID: send a topic's documents to the outliers, -1 (repeatable).")] = None,
    from_file: Annotated[Path | None, typer.Option(
        "--from", help="A CSV (action,topic,value) or TOML ([[edit]]) file of edits.")] = None,
    show: Annotated[bool, typer.Option("--list", help="Show the stored edits and the edited topics.")] = False,
    undo: Annotated[bool, typer.Option("--undo", help="Remove the last edit.")] = False,
    clear: Annotated[bool, typer.Option("--clear", help="Remove every edit.")] = False,
    script: ScriptOpt = None,
) -> None:
    """Rename, merge or drop topics; kept in the workspace and applied to every table,
    export and explorer view. Within one command: --from rows, then merges, renames, drops."""
    from opinion.io.workspace import Workspace
    from opinion.text.script import check_target, render
    from opinion.topics import edit_store as E
    from opinion.topics.edits import TopicEdit
    from opinion.topics.skipped import require_topics

    script = check_target(shown_script(script, workspace))
    ws = Workspace.open(workspace)
    require_topics(ws, "edit")
    if undo or clear:
        if undo and clear:
            raise InputError("give --undo or --clear, not both")
        if clear:
            typer.echo(f"removed {E.clear_edits(ws)} topic edit(s)")
        else:
            last = E.undo_edit(ws)
            typer.echo(f"undone: {render(last.describe(), script)}" if last else "no topic edits to undo")
    new: list[TopicEdit] = []
    sources: list[str] = []
    if from_file is not None:
        new += E.read_edit_file(from_file)
        sources += [f"{from_file} {'row' if from_file.suffix.lower() != '.toml' else 'edit'} {i}"
                    for i in range(1, len(new) + 1)]
    for spec in merge or []:
        new.append(TopicEdit("merge", E.parse_ids(spec, f"--merge {spec}")))
        sources.append(f"--merge {spec}")
    for spec in rename or []:
        new.append(E.parse_rename(spec))
        sources.append(f"--rename {spec}")
    for topic_id in drop or []:
        new.append(TopicEdit("drop", (topic_id,)))
        sources.append(f"--drop {topic_id}")
    if new:
        E.record_edits(ws, new, sources)
        typer.echo(f"recorded {len(new)} topic edit(s)")
    elif not (show or undo or clear):
        raise InputError("nothing to do: give --rename ID=LABEL, --merge ID,ID, --drop ID, --from FILE, "
                         "--list, --undo or --clear")
    _show_edits(ws, script=script, edits=show)


def _show_edits(ws, *, script: str, edits: bool) -> None:
    """The stored edits (with --list) and the topic table they give."""
    from opinion.text.script import render
    from opinion.topics import edit_store as E
    from opinion.topics.edits import apply_edits

    active, stale = E.active_edits(ws)
    if edits:
        lines = E.edit_log(ws)
        typer.echo(f"{len(lines)} topic edit(s)" + (":" if lines else ""))
        for number, line in enumerate(lines, start=1):
            typer.echo(f"  {number:>3}. {render(line, script)}")
    if stale:
        typer.echo(f"warning: {E.stale_note(ws, stale)}", err=True)
    topics, _ = apply_edits(ws.read("topics"), None, active)
    for row in topics.itertuples(index=False):
        others = [t for t in row.merged_from if t != row.topic_id]
        note = f"  ({'dropped' if row.topic_id == -1 else 'merged'}: {', '.join(map(str, others))})" if others else ""
        typer.echo(f"  {row.topic_id:>3}  {row.size:>8,}  {render(str(row.label), script)}{note}")


def _edited_rows_frame(ws, result):
    """New documents' topics with the workspace's edits applied (merged ids, renamed labels)."""
    from opinion.topics.edit_store import workspace_topics

    return workspace_topics(ws, ws.read("topics"), result)[1]


def register(app: typer.Typer) -> None:
    """Add the `topics` command group to `app`."""
    app.add_typer(topics_app, name="topics")
