"""`opinion topics`: fit topics on a prepared workspace; `opinion topics assign`: new documents."""

from __future__ import annotations

import os
import re
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

_BREAKS = re.compile(r"[\t\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")  # what str.splitlines splits at, and tabs

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
    ws = Workspace.open(workspace)
    report = fit_topics(ws, **given["topics"], force=force, workers=workers, engine=engine, address=address)
    for line in report.lines():
        typer.echo(line)
    for line in topic_lines(ws, report.n_topics):
        typer.echo(render(line, script))


def topic_lines(ws, n_model_topics: int) -> list[str]:
    """The topic table as the exports give it (``topics.parquet`` with the workspace's edits:
    labels, merged words, sizes), one line per topic and the outliers (-1) last, so the sizes
    add up to the documents; after edits, first a line with the edited topic count."""
    import pandas as pd

    from opinion import schema as S
    from opinion.topics.edit_store import active_edits, workspace_topics

    topics, _ = workspace_topics(ws, ws.read(S.TOPICS))
    outliers = topics[S.TOPIC_ID] == -1
    lines = []
    active = active_edits(ws)[0]
    if active:
        lines.append(f"after {len(active)} topic edit(s): {int((~outliers).sum())} topics of the model's "
                     f"{n_model_topics} (`opinion topics edit -w {ws.root} --list`)")
    for row in pd.concat([topics[~outliers], topics[outliers]]).itertuples(index=False):
        if row.topic_id == -1:
            dropped = [str(t) for t in row.merged_from if t != -1]
            what = f"outliers: dropped topics {', '.join(dropped)}" if dropped else "outliers: documents without words"
        else:
            what = " ".join(list(row.top_terms)[:8])
        lines.append(f"  {row.topic_id:>3}  {row.size:>8,}  {row.share:6.1%}  {row.label}  ({what})")
    return lines


@topics_app.command("assign")
@handle_errors
def assign(
    workspace: WorkspaceOpt,
    new_files: Annotated[list[Path], typer.Argument(
        help="New documents: any file, folder or glob `opinion load` reads (.gz too); a .txt "
             "file holds one text per line.", show_default=False)],
    text_col: Annotated[str | None, typer.Option("--text-col", help="Column holding the text (default: found as by `opinion load`).")] = None,
    id_col: Annotated[str | None, typer.Option("--id-col", help="Column of unique ids (default: <file>-<row>).")] = None,
    columns: Annotated[str | None, typer.Option(
        "--columns", help="Comma-separated column names for CSV/TSV files without a header line, "
                          "e.g. text,label.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="auto|csv|tsv|jsonl|json|parquet|xlsx|xls|txt|html")] = "auto",
    encoding: Annotated[str, typer.Option(help="auto, or an encoding name such as gb18030.")] = "auto",
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write the assignments to this CSV.")] = None,
    script: ScriptOpt = None,
) -> None:
    """Put the documents of NEW_FILES into the workspace's fitted topics."""
    from opinion.io.safety import write_csv_frame
    from opinion.io.workspace import Workspace
    from opinion.kwic import workspace_conversion
    from opinion.report.tables import excerpt
    from opinion.text.script import check_target, render
    from opinion.topics.model import assign_topics
    from opinion.topics.newdocs import read_new_documents

    script = check_target(shown_script(script, workspace))
    if out is not None:
        check_out_csv(out)  # before reading, preparing and embedding every document
    ws = Workspace.open(workspace)
    names = tuple(c.strip() for c in columns.split(",")) if columns else ()
    docs, rejects = read_new_documents(new_files, text_col=text_col, id_col=id_col, fmt=fmt,
                                       encoding=encoding, column_names=names)
    result = assign_topics(ws, docs)
    result = _edited_rows_frame(ws, result)
    result["topic_label"] = [render(label, script) for label in result["topic_label"]]
    if rejects:
        first = rejects[0]
        typer.echo(f"{len(rejects):,} rows not assigned (first: {first['file']} row {first['row']}: "
                   f"{first['reason']})", err=True)
    if out is not None:
        write_csv_frame(result, out)  # atomic; formulas neutralised, CR/LF quoted
        typer.echo(f"assigned {len(result):,} documents to topics; wrote {out}")
        return
    with workspace_conversion(ws):  # a post as written in its own script, as the report quotes it
        for row in result.itertuples(index=False):  # one line per document, tab-separated
            shown = excerpt(row.text, chars=60, script=script)
            typer.echo("\t".join([one_line(row.doc_id), str(row.topic_id), f"{row.topic_prob:.3f}",
                                  one_line(row.topic_label), one_line(shown)]))


def one_line(text: object) -> str:
    """A field of a tab-separated line: tabs and line breaks as spaces (``"武汉加油\\n口罩"`` →
    ``"武汉加油 口罩"``)."""
    return _BREAKS.sub(" ", str(text))


def check_out_csv(out: Path) -> None:
    """A one-line error, before any work, when ``--out`` cannot be written: not a ``.csv``
    name, a folder, or under a file or a folder that is not writable. Missing folders are
    made when the file is written, as for every other ``--out``."""
    if out.suffix.lower() != ".csv":
        raise InputError(f"--out {out}: give a file name ending in .csv")
    if out.is_dir():
        raise InputError(f"--out {out}: is a folder; give a file name ending in .csv")
    existing = next(p for p in [out.absolute().parent, *out.absolute().parents] if p.exists())
    if not existing.is_dir():
        raise InputError(f"--out {out}: {existing} is a file, not a folder; give another path")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise InputError(f"--out {out}: cannot write in {existing}; give a folder you can write to")


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
            removed = E.clear_edits(ws)
            typer.echo(f"removed {removed} topic edit(s)" if removed is not None
                       else f"removed the unreadable {ws.root / E.EDITS_FILE}")
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
