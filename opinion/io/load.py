"""The load stage: read corpora into a workspace, losing nothing.

    >>> report = load_corpus(["weibo/1.27.csv.gz"], "ws", date_from_filename=True,
    ...                      year=2020)  # doctest: +SKIP
    >>> f = report.files[0]  # doctest: +SKIP
    >>> f.rows_read == f.rows_loaded + f.rows_rejected  # doctest: +SKIP
    True

``text_hash`` (re-exported from :mod:`opinion.io.dedup`) hashes a text the way the loader
does. Each input becomes parts ``corpus/<key>-<nnnnn>.parquet`` with the columns of
:data:`opinion.schema.CORPUS_COLUMNS`; unreadable rows go to ``rejects.csv``; the manifest
records every input with its hash, settings and counts. A file found in a folder or by a
glob that cannot be read at all is rejected whole (one row of ``rejects.csv``, row 0) and the
others load. The load holds the workspace's write lock (:mod:`opinion.io.lock`) and its parts
become visible only with the manifest that records them (:mod:`opinion.io.commit`).
:func:`read_documents` reads inputs the same way into memory, without a workspace.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import re
import secrets
import time
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from opinion.config import LoadSettings, shown_value, store_settings, stored_settings
from opinion.config_checks import input_differs
from opinion.errors import InputError
from opinion.io.columns import (
    ColumnMapping,
    NoTextColumnError,
    check_text_column,
    first_row_fix,
    guess_date_column,
    longest_column,
    map_columns,
    split_date_time,
    text_by_content,
)
from opinion.io.commit import LoadBatch, mark_pending, recover_load, remove_orphan_parts
from opinion.io.dedup import DuplicateIndex, fixes_note, text_hash, write_fixes
from opinion.io.documents import refuse_named_tables
from opinion.io.encoding import normalize_encoding_name
from opinion.io.formats import open_table
from opinion.io.intake import (
    CORPUS_SCHEMA,
    FILE_ERRORS,
    FileReport,
    InputLoader,
    Options,
    PartWriter,
    Plan,
    RowCollector,
    file_error,
    rows_table,
    sheet_of,
)
from opinion.io.jsonfiles import within
from opinion.io.lines import max_bytes_from_mb
from opinion.io.loadreport import TWIN, LoadReport, Progress, dropped_copies_note, far_dates_note
from opinion.io.loadsheets import by_sheet, input_sheets, read_sheets
from opinion.io.lock import workspace_lock
from opinion.io.sources import (
    NOT_READ,
    WORKBOOK_FORMATS,
    InputSource,
    discover_inputs,
    files_left_out,
    name_date,
    readable,
    unread_format,
)
from opinion.io.workbooks import ALL_SHEETS
from opinion.io.workspace import Workspace, check_creatable

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["CORPUS_SCHEMA", "FileReport", "LoadReport", "load_corpus", "read_documents",
           "text_hash"]

DOCUMENT_MAPPING = ColumnMapping(text="text", title="title", source="source")


def _key_for(source: InputSource, taken: set[str], shared: dict[str, str] | None = None) -> str:
    """The input's key (its parts' and doc ids' prefix): its name (``posts``); when another input
    of this load has that name, with what tells them apart, whatever the order of the arguments:
    the folder (``xinhua_posts``, ``people_posts``) or the format (``export_xlsx``); then numbered
    (``posts_2``), as for a name an earlier load took."""
    base = source.base_key()
    by = (shared or {}).get(base)
    if by is not None:
        extra = readable(source.path.parent.name) if by == "folder" else source.fmt
        base = "_".join(p for p in (re.sub(r"\W+", "_", extra).strip("_"), base) if p) if by == "folder" \
            else f"{base}_{extra}"
    key, n = base, 2
    while key in taken:
        key, n = f"{base}_{n}", n + 1
    return key


def _shared_names(sources: Sequence[InputSource]) -> dict[str, str]:
    """The names several inputs of one load share, each with what tells them apart: ``folder``
    (``xinhua/posts.csv``, ``people/posts.csv``) or ``format`` (``export.csv``, ``export.xlsx``)."""
    groups: dict[str, list[InputSource]] = {}
    for source in sources:
        groups.setdefault(source.base_key(), []).append(source)
    shared = {}
    for name, group in groups.items():
        if len(group) < 2:
            continue
        if len({s.path.parent for s in group}) == len(group):
            shared[name] = "folder"
        elif len({s.fmt for s in group}) == len(group):
            shared[name] = "format"
    return shared


def _probe(source: InputSource, opts: Options,
           roles: dict[str, str | None]) -> tuple[str, list[str], ColumnMapping]:
    """Encoding, columns and column mapping of one input, read from its first rows."""
    if source.fmt == NOT_READ:
        raise InputError(f"{source.label}: {unread_format(source.path)}")
    if source.is_document_group:
        encoding = opts.encoding if opts.encoding == "auto" else normalize_encoding_name(
            opts.encoding)
        if opts.date_from_filename:
            for path in source.files:
                name_date(path, opts.year)
        return encoding, ["title", "text", "source"], DOCUMENT_MAPPING
    with open_table(source.files[0], source.fmt, encoding=opts.encoding, sheet=sheet_of(source, opts.sheet),
                    names=opts.column_names, max_bytes=opts.max_bytes, prefer=roles["text_col"]) as table:
        given = dict(roles)
        if not table.has_header and not given["text_col"]:
            given["text_col"] = longest_column(table.sample_rows, table.columns)
        if table.columns:
            try:
                mapping = map_columns(table.columns, where=source.label, **given)
            except NoTextColumnError as exc:  # a first row of short posts taken for names?
                if source.fmt not in ("csv", "tsv") or not table.has_header:
                    raise
                raise NoTextColumnError(exc.found, first_row_fix(len(table.columns))) from None
            if not roles["text_col"] or not roles["date_col"]:
                sample = [r.values for r in itertools.islice(table.records(), 50) if r.values]
                if not roles["text_col"]:  # 评论 holding counts (3, 暂无, 1万+) gives way to 博文
                    mapping = text_by_content(mapping, table.columns, sample)
                    check_text_column(mapping, table.columns, sample, where=source.label)
                if mapping.date is None and not opts.date_from_filename:
                    mapping = dataclasses.replace(
                        mapping, date=guess_date_column(mapping, table.columns, sample))
                if not roles["date_col"]:  # 发布日期 + 发布时间 kept apart: one date with its time
                    mapping = split_date_time(mapping, table.columns, sample)
        else:
            mapping = ColumnMapping(text="text")  # an empty file: nothing to map
    if opts.date_from_filename and mapping.date is None:
        name_date(source.path, opts.year)
    for col in (*opts.drop_cols, *opts.pseudonymize_cols):
        if within(mapping.text, (col,)) and mapping.text in table.columns:  # user.text under user too
            raise InputError(f"{source.label}: column {col!r} holds the text ({mapping.text}); it cannot be "
                             "dropped or pseudonymised")
    return table.encoding, table.columns, mapping


def _probe_sheets(source: InputSource, opts: Options,
                  roles: dict[str, str | None]) -> tuple[str, list[str], ColumnMapping]:
    """:func:`_probe`; when a workbook's first sheet has no text column (a 说明 sheet before
    the data) and no sheet was named, the error names the sheets that have one."""
    try:
        return _probe(source, opts, roles)
    except NoTextColumnError as exc:
        if source.fmt not in WORKBOOK_FORMATS or source.sheet or opts.sheet:
            raise
        found = []
        for name in input_sheets(source):
            try:
                found.append((name, _probe(dataclasses.replace(source, sheet=name), opts, roles)[2].text))
            except InputError:
                continue
        if not found:
            raise
        named = ", ".join(f"{name} ({text})" for name, text in found[:3])
        raise InputError(f"{exc.found} in its first sheet; sheet(s) "
                         f"with a text column: {named}: pass --sheet {found[0][0]}, or --sheet '*' to load "
                         "every sheet") from None


def _identity(path: Path | str, fmt: str, sheet: str | None = None) -> str:
    """What names an input in the manifest: its path, and for documents their format too
    (the .txt and the .html files of one folder are two inputs); for a workbook, the sheet
    read (each sheet of one workbook is an input)."""
    return f"{readable(path)}\0{fmt}" + (f"\0{sheet}" if fmt in WORKBOOK_FORMATS and sheet else "")


def _earlier(by_path: dict[str, dict[str, Any]], source: InputSource,
             opts: Options) -> dict[str, Any] | None:
    """The manifest record of ``source`` loaded before, if any; a workbook's default sheet
    also matches a record without a sheet (loads before 2026-12-08 recorded none)."""
    path = source.path.resolve()
    sheet, default = read_sheets(source, opts)
    old = by_path.get(_identity(path, source.fmt, sheet))
    if old is None and sheet is not None and sheet == default:
        old = by_path.get(_identity(path, source.fmt))
    return old


def _rows_in(source: InputSource, opts: Options) -> int | None:
    """How many rows an input holds (a header-only day file holds none); None if unsure."""
    if source.is_document_group or source.fmt == NOT_READ:
        return None
    try:
        with open_table(source.files[0], source.fmt, encoding=opts.encoding, sheet=sheet_of(source, opts.sheet),
                        names=opts.column_names, max_bytes=opts.max_bytes) as table:
            return sum(1 for _ in table.records())
    except FILE_ERRORS:
        return None


def _other_sheet(entry: dict[str, Any], source: InputSource) -> bool:
    """Whether a manifest ``entry`` is another sheet of the workbook ``source``."""
    return source.fmt in WORKBOOK_FORMATS and entry["path"] == readable(source.path.resolve())


def _plan(sources: list[InputSource], inputs: list[dict[str, Any]], *, root: Path | None,
          replace: bool, skip_loaded: bool, opts: Options, roles: dict[str, str | None],
          asked: dict[str, Any] | None = None) -> tuple[list[Plan], list[str]]:
    """Check every input before anything is written: encoding, columns, re-loads, dates.

    ``inputs`` are the manifest's records of earlier loads. A file found in a folder or by a
    glob that cannot be read gets a plan with ``error`` set (it is rejected whole); any other
    problem stops the load here. An input loaded before and unchanged is skipped, unless one
    of the options ``asked`` for now would read it otherwise: then it is loaded again with
    ``replace``, else refused (:func:`_loaded_otherwise`). Returns the plans and the labels of
    inputs skipped as already loaded unchanged.
    """
    asked = asked or {}
    by_path = {_identity(entry["path"], entry.get("format", ""), entry.get("sheet")): entry
               for entry in inputs}
    by_sha = {entry["sha256"]: entry for entry in inputs if not entry.get("error")}
    taken = {entry["key"] for entry in inputs}
    shared = _shared_names(sources)  # two posts.csv: named by their folders, in any order
    plans: list[Plan] = []
    skipped: list[str] = []
    for source in sources:
        digest = source.sha256()
        old = _earlier(by_path, source, opts)
        if old is not None and old["sha256"] == digest:
            other = [name for name, value in asked.items() if input_differs(old, name, value)]
            if other and not replace:  # stored as applied, never applied (--drop-col userid left in)
                raise _loaded_otherwise(source.label, old, other, asked[other[0]])
            if not other and (skip_loaded or not replace):
                skipped.append(source.label)  # loaded and unchanged: a re-run finishes a killed load
                continue
        if old is not None and not replace:  # edited or grown since: run does not skip it either
            raise InputError(f"{source.label}: changed since it was loaded into {root} (on "
                             f"{old.get('loaded_at', '?')}); pass --replace to load it again, its "
                             "rows replacing the old ones")
        key = old["key"] if old is not None else _key_for(source, taken, shared)
        taken.add(key)
        twin = by_sha.get(digest)
        rows = _rows_in(source, opts) if twin is not None and twin is not old and not replace else 0
        if twin is not None and rows != 0 and not _other_sheet(twin, source):  # header-only: alike, hold nothing
            plans.append(_twin_plan(source, twin, Plan(source, key, digest, opts.encoding,
                                                       ColumnMapping(text="text"), [], old, rows=rows)))
            continue
        try:
            encoding, columns, mapping = _probe_sheets(source, opts, roles)
        except NoTextColumnError as exc:  # with --sheet '*', a sheet of notes is left out, as a bad file
            if not (source.sheet and opts.sheet == ALL_SHEETS):
                raise
            reason = f"sheet without a text column, left out: {exc.found}"
            plans.append(Plan(source, key, digest, opts.encoding, ColumnMapping(text="text"), [], old,
                              error=reason.replace(f"{source.label}: ", "")))
            continue
        except FILE_ERRORS as exc:
            if source.named:
                raise
            plans.append(Plan(source, key, digest, opts.encoding, ColumnMapping(text="text"),
                              [], old, error=file_error(source.label, exc)))
            continue
        plans.append(Plan(source, key, digest, encoding, mapping, columns, old))
        by_sha.setdefault(digest, {"label": source.label, "path": readable(source.path.resolve()),
                                   "now": True})  # only once read: a file rejected is no twin's first
    usable = [plan for plan in plans if plan.error is None]
    if plans and not usable and not skipped:
        first = plans[0]
        raise InputError(f"{first.source.label}: {first.error}; no input could be read")
    seen = {c for plan in usable for c in plan.columns}
    for flag, option in (("--drop-col", "drop_cols"), ("--pseudonymize-col", "pseudonymize_cols")):
        cols = asked.get(option) or ()  # those given now; stored ones (a run's) may be of other inputs
        missing = [c for c in cols if not any(within(name, [c]) for name in seen)]  # user: user.name
        if usable and missing:
            raise InputError(f"{flag} {missing[0]}: no input has this column; found "
                             f"[{', '.join(sorted(map(str, seen)))}]")
    return plans, skipped


def _twin_plan(source: InputSource, twin: dict[str, Any], plan: Plan) -> Plan:
    """``plan`` rejected as a copy of ``twin`` (a manifest entry, or an input of this command
    marked ``now``); an error when ``source`` was named: ``b.csv: same content as a.csv, given
    twice in this command; …``."""
    when = "given twice in this command" if twin.get("now") else "already loaded"
    same = f"{TWIN}{twin['label']}, {when}"
    if source.named:
        raise InputError(f"{source.label}: {same}; leave one out, or pass --replace to load it anyway (its "
                         "rows become duplicates)")
    return dataclasses.replace(plan, error=f"{same}; name it with --replace to load it anyway")


def _loaded_otherwise(label: str, entry: dict[str, Any], names: list[str], value: Any) -> InputError:
    """The error for an input already loaded that options ``names`` would read otherwise, the
    first now asking for ``value``: ``drop_cols userid: wb/1.20.csv.gz was loaded without it …``."""
    was = (entry.get("settings") or {}).get(names[0])
    then = "with it" if was is True else "without it" if was in (None, False, [], ()) else f"with {shown_value(was)}"
    also = f" ({', '.join(names[1:])} too)" if names[1:] else ""
    return InputError(f"{shown_value(value)}: {label} was loaded {then}{also}, and an input already loaded is not "
                      "read again; pass --replace to load it again with the options given now (its rows "
                      "replace the old ones), or leave the option out", param=names[0])


def _options(settings: LoadSettings) -> Options:
    """The reader options of ``settings`` (checked when the settings were made)."""
    if settings.encoding != "auto":
        normalize_encoding_name(settings.encoding)
    return Options(settings.encoding, settings.sheet, settings.drop_duplicates,
                   settings.date_from_filename, settings.year, settings.chunk_rows,
                   settings.drop_cols, settings.pseudonymize_cols, settings.column_names,
                   max_bytes=max_bytes_from_mb(settings.max_field_mb), timezone=settings.timezone,
                   source_from_page=settings.source_from_page, txt_lines=settings.txt_lines)


def _entry(plan: Plan, report: FileReport, settings: dict[str, Any]) -> dict[str, Any]:
    """The manifest record of one loaded input."""
    return {
        "path": readable(plan.source.path.resolve()), "label": plan.source.label,  # GBK names as text
        "key": plan.key, "sha256": plan.sha256, "files": len(plan.source.files),
        "loaded_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "settings": settings,
        **{k: v for k, v in asdict(report).items() if k not in ("path", "key")},
    }


def load_corpus(
    paths: Sequence[str | Path],
    workspace: str | Path,
    *,
    settings: LoadSettings | None = None,
    replace: bool = False,
    skip_loaded: bool = False,
    show_progress: bool = False,
    **options: Any,
) -> LoadReport:
    """Load files, folders or globs into ``workspace`` (created if missing).

    ``settings`` (:class:`opinion.config.LoadSettings`) say how to read the inputs;
    ``options`` are its fields as keywords (``text_col="微博正文"``, ``date_from_filename=True``)
    and replace single values. Every input is checked first (format, encoding, columns,
    earlier loads), so a mistake stops the load before anything is written. An input loaded
    before and unchanged is skipped (so the same command run again finishes a killed load),
    unless ``replace`` without ``skip_loaded`` loads it again; a changed one is refused unless
    ``replace``. ``column_names`` names the columns of CSV/TSV files without a header
    line (THUCNews: ``["title", "label"]``); without it such files get ``column_1 ... column_N``.
    A line, field or whole-read file over ``max_field_mb`` is rejected (``field too long``).
    The settings are recorded in the workspace (``opinion config show``) when an input was
    loaded with them; an input already loaded that an option given now would read otherwise
    (``drop_cols``, ``year`` …) is refused unless ``replace`` (it was skipped and the option
    recorded as applied). The options given now are those that differ from the defaults, or
    with ``skip_loaded`` (`opinion run`) from the workspace's stored load settings.
    Raises :class:`InputError` for user errors, :class:`~opinion.io.lock.WorkspaceBusyError`
    when another command is writing the workspace.
    """
    started = time.perf_counter()
    settings = _load_settings(settings, options)
    opts = _options(settings)
    sources = by_sheet(discover_inputs([str(p) for p in paths], fmt=settings.fmt), settings.sheet)
    refuse_named_tables([s.path for s in sources if s.fmt == "txt" and s.named and s.path.is_file()
                         and settings.fmt != "txt"], encoding=settings.encoding)
    roles = {"text_col": settings.text_col, "title_col": settings.title_col,
             "id_col": settings.id_col, "date_col": settings.date_col,
             "source_col": settings.source_col}
    recorded = settings.per_input()  # with each input: how it was read (all of it since 2026-12-07)
    check_creatable(workspace)
    with workspace_lock(workspace):
        ws = Workspace.open(workspace, create=True)
        recover_load(ws)
        # asked for now: what differs from what the caller starts from (run: the stored settings)
        start = ((stored_settings(ws, LoadSettings) if skip_loaded else None) or LoadSettings()).per_input()
        asked = {k: v for k, v in recorded.items() if v != start[k]}
        plans, skipped = _plan(sources, ws.manifest["inputs"], root=ws.root, replace=replace,
                               skip_loaded=skip_loaded, opts=opts, roles=roles, asked=asked)
        if opts.pseudonymize_cols:
            salt = ws.manifest.setdefault("pseudonym_salt", secrets.token_hex(16))
            opts.salt = salt.encode("ascii")
        remove_orphan_parts(ws)
        mark_pending(ws, [plan.source.label for plan in plans])
        reports = _load_plans(ws, plans, opts, recorded, show_progress=show_progress)
        ws.reload()
        note = ""
        if plans:  # only settings something was loaded with: all skipped, the stored ones stay true
            kept, note = settings.kept_over(stored_settings(ws, LoadSettings))
            store_settings(ws, kept)
        far = far_dates_note(ws, [part for report in reports for part in report.parts])
    not_read, saved_pages = files_left_out([str(p) for p in paths], fmt=settings.fmt)
    return LoadReport(str(ws.root), reports, time.perf_counter() - started, skipped,
                      [readable(p) for p in not_read], [readable(p) for p in saved_pages], settings_note=note,
                      far_note=far, name_year=(settings.year or 0) if settings.date_from_filename else None)


def _load_settings(settings: LoadSettings | None, options: dict[str, Any]) -> LoadSettings:
    """``settings`` (default: :class:`LoadSettings`) with the keyword ``options`` applied."""
    known = {f.name for f in dataclasses.fields(LoadSettings)}
    unknown = sorted(set(options) - known)
    if unknown:
        raise InputError(f"unknown load option {unknown[0]!r}; valid: {', '.join(sorted(known))}")
    return dataclasses.replace(settings or LoadSettings(), **options)


def _load_plans(ws: Workspace, plans: list[Plan], opts: Options, settings: dict[str, Any], *,
                show_progress: bool) -> list[FileReport]:
    """Read every planned input into the staging folder, committing in batches; with an id
    column, all at the end, so that ids repeated in a later input leave nothing loaded."""
    index = DuplicateIndex(ws, skip_keys={p.key for p in plans if p.old is not None})
    replaced = {p.old["key"]: p.source.label for p in plans if p.old is not None}
    stale = dropped_copies_note(ws, replaced) if opts.drop_duplicates and replaced else ""
    whole = any(plan.mapping.id for plan in plans)
    progress = Progress(sum(plan.source.size() for plan in plans), show=show_progress)
    batch = LoadBatch(ws)
    if index.fixes:  # posts of inputs kept whose first copy is replaced: redone, in the first commit
        batch.rewrite(write_fixes(ws, index.fixes, batch.folder), index.counts)
    reports: list[FileReport] = []
    try:
        for plan in plans:
            writer = PartWriter(batch.folder, plan.key, opts.chunk_rows)
            loader = InputLoader(plan, opts, index, writer)
            report = loader.run(progress.reading)
            report.sheet = read_sheets(plan.source, opts)[0] if report.error is None else report.sheet
            batch.add(_entry(plan, report, settings), loader.rejects,
                      replaced=plan.old["key"] if plan.old is not None else None)
            if batch.due() and not whole:
                batch.commit()
            reports.append(report)
            progress.input_done(plan.source.size())
        batch.commit()
    finally:
        progress.close()
    if index.changed and reports:
        labels = {entry["key"]: entry["label"] for entry in ws.manifest["inputs"]}
        reports[0].notes.append(fixes_note(index.changed, labels))
    if stale and reports:
        reports[0].notes.append(stale)
    return reports


def read_documents(
    paths: Sequence[str | Path], *, txt_lines: bool = False, **options: Any,
) -> tuple[pd.DataFrame, LoadReport, list[dict[str, Any]]]:
    """Read files, folders or globs as ``opinion load`` would, into memory (no workspace).

    Returns the rows (columns of :data:`opinion.schema.CORPUS_COLUMNS`, ids as a load would
    give them), the per-input counts and the rejected rows (``file, row, reason, raw``).
    With ``txt_lines`` a .txt file holds one document per line (ids ``<file>-<line>``);
    ``options`` are the reading fields of :class:`~opinion.config.LoadSettings` (``fmt``,
    ``encoding``, ``text_col`` ... ``sheet``, ``column_names``). Example: ``docs, report, rejects = read_documents(["new_posts.csv.gz"])``.
    """
    started = time.perf_counter()
    settings = _load_settings(None, options)
    opts = _options(dataclasses.replace(settings, drop_duplicates=False, date_from_filename=False,
                                        year=None, chunk_rows=1, drop_cols=(), pseudonymize_cols=()))
    opts.txt_lines = txt_lines or settings.txt_lines
    sources = by_sheet(discover_inputs([str(p) for p in paths], fmt=settings.fmt), settings.sheet)
    roles = {"text_col": settings.text_col, "title_col": settings.title_col,
             "id_col": settings.id_col, "date_col": settings.date_col,
             "source_col": settings.source_col}
    plans, _ = _plan(sources, [], root=None, replace=False, skip_loaded=False, opts=opts,
                     roles=roles)
    index = DuplicateIndex(None, skip_keys=set())
    rows: list[tuple[Any, ...]] = []
    reports: list[FileReport] = []
    rejects: list[dict[str, Any]] = []
    for plan in plans:
        collector = RowCollector()
        loader = InputLoader(plan, opts, index, collector)
        reports.append(loader.run())
        rows.extend(collector.rows)
        rejects.extend(loader.rejects)
    frame = rows_table(rows).to_pandas()
    return frame, LoadReport("", reports, time.perf_counter() - started), rejects
