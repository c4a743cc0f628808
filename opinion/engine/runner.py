"""Run a per-document stage part by part: bounded memory, all cores, resumable.

A part-wise stage turns each part of a source table (``corpus/weibo-00000.parquet``) into
the part of the same name in a target table (``prepared/weibo-00000.parquet``) with a pure
function ``func(part_df, settings) -> DataFrame``. :func:`run_partwise`

- skips a part when the manifest records it with the same settings fingerprint and the same
  content hash (SHA-256) of the source part, and the target part exists;
- writes each computed part atomically and records it in the manifest (the first at once,
  then at most once a second), so a run killed at any point (``kill -9``) leaves a readable
  workspace, and the next run redoes only the parts that were not recorded;
- saves the stage as incomplete before it deletes or rewrites any target part, then removes
  the target parts whose source part is gone: an interrupt never leaves a table passing for whole;
- reads, for each part, the part of the same name from each source table side by side
  (``source=("corpus", "prepared")``: their rows are the same documents in the same order);
- runs the parts in a pool of processes (``workers=0``: all cores) that read and write the
  parts themselves, or on a Dask cluster (``engine="dask"``, see :mod:`opinion.engine.dask_runner`);
  the target parts are byte-identical to those of ``workers=1``.

Example:
    >>> def count_chars(df, settings):  # a module-level, pure function
    ...     return df.assign(n_chars=df["text_raw"].str.len())[["doc_id", "n_chars"]]
    >>> ws = Workspace.open("runs/weibo")  # doctest: +SKIP
    >>> run_partwise(ws, stage="chars", source="corpus", target="chars",
    ...              func=count_chars, settings={"unit": "字"}, workers=0)  # doctest: +SKIP
    PartwiseReport(stage='chars', computed=['weibo-00000', ...], skipped=[], ...)
"""

from __future__ import annotations

import dataclasses
import sys
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from opinion.engine.jobs import ENGINES, NO_SHARED, Job, StageTask, _func_name, resolve_workers
from opinion.engine.local import execute_local, unguarded_script
from opinion.errors import InputError, OpinionError, OpinionWarning, StageOrderError, some_of
from opinion.io.atomic import fingerprint
from opinion.io.lock import writes_workspace
from opinion.io.parts import PartStore
from opinion.io.workspace import Workspace
from opinion.schema import PREPARED, PRODUCED_BY, SENTIMENT, TOPIC_DOCS

ROWS_PER_WORKER = 10_000  # workers=0: all cores, but at most one process per this many rows
RECORD_VERSION = 1
# Finished parts are saved to the manifest at most this often (the first one at once), so a
# stage of N parts rewrites the manifest O(seconds) times, not N times; a kill loses at most
# this much work.
SAVE_SECONDS = 1.0


@dataclass
class PartwiseReport:
    """What :func:`run_partwise` did for one stage."""

    stage: str
    source: str
    target: str
    engine: str
    workers: int
    computed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    rows_computed: int = 0
    seconds: float = 0.0

    def summary(self) -> str:
        """One line for the terminal, e.g. ``prepare: 3 parts computed (150,000 rows) ...``."""
        return (f"{self.stage}: {len(self.computed)} parts computed ({self.rows_computed:,} rows), "
                f"{len(self.skipped)} unchanged, {len(self.removed)} removed "
                f"in {self.seconds:.1f} s [{self.engine}, {self.workers} workers]")


# --- the public function ------------------------------------------------------------------
@writes_workspace
def run_partwise(
    ws: Workspace,
    *,
    stage: str,
    source: str | Sequence[str],
    target: str,
    func: Callable[..., pd.DataFrame],
    settings: Any = None,
    workers: int = 0,
    force: bool = False,
    engine: str = "local",
    address: str | None = None,
    columns: list[str] | dict[str, list[str]] | None = None,
    desc: str | None = None,
    initializer: Callable[[Any], None] | None = None,
    shared: Any = NO_SHARED,
    storage: str | None = None,
) -> PartwiseReport:
    """Compute ``target`` from ``source`` part by part with ``func(part_df, settings)``.

    ``func`` must be a module-level function (it is sent to other processes by reference)
    and pure: the same part and settings give the same frame. ``settings`` must be picklable
    and JSON-fingerprintable (a dict or a dataclass of plain values); changing it re-runs
    every part. ``initializer(settings)`` runs once in each worker process before its first
    part: load jieba, OpenCC or a model there (and cache it at module level in ``func``'s
    module). ``shared`` is an object sent once to each worker (e.g. a fitted topic model) and
    passed as ``func(part_df, settings, shared)``; put its fingerprint into ``settings``.
    ``storage`` is the workspace root as an fsspec URL (``s3://bucket/runs/weibo``) when the
    parts live on shared storage; the manifest stays in ``ws``.

    ``source`` may name several tables with the same parts (``("corpus", "prepared")``):
    ``func`` then gets their columns side by side (``columns`` maps each table to the
    columns to read), and a part is computed again when any of its source parts changed.

    ``workers=0`` uses all cores (at most one process per 10,000 rows to compute, as a
    process costs seconds to start); ``engine="dask"`` runs on the cluster at ``address``
    (or ``DASK_SCHEDULER_ADDRESS``, or a local cluster). Returns a :class:`PartwiseReport`.

    Nothing is deleted or rewritten before the stage is saved as incomplete, the Dask extra is
    imported and its scheduler reached, and a source stage table (``prepared``) is found finished
    and current with the corpus: an interrupt or a failed start leaves a stage that readers refuse.
    """
    if engine not in ENGINES:
        raise InputError(f"unknown engine {engine!r}; choose one of: {', '.join(ENGINES)}")
    started = time.perf_counter()
    auto_workers = workers == 0
    workers = resolve_workers(workers)
    tables = [source] if isinstance(source, str) else list(source)
    store = _check_sources(ws, tables, storage)
    sources = store.parts(tables[0])
    source_name = tables[0] if len(tables) == 1 else "+".join(tables)
    report = PartwiseReport(stage=stage, source=source_name, target=target, engine=engine,
                            workers=workers)
    with ExitStack() as stack:
        client = _dask_client(stack, engine, address, workers)  # fails before anything is deleted
        store.remove_temporary(target)
        record = _current_record(ws, stage=stage, source=source_name, target=target, func=func,
                                 settings=settings, force=force)
        jobs, orphans = _plan(store, record, sources, report, sources_tables=tables, target=target,
                              columns=columns)
        if engine == "local":
            report.workers = _local_workers(jobs, workers, auto=auto_workers)
        # Marked incomplete (and saved) before any part is deleted or rewritten: a kill from
        # here on leaves a stage that readers and the next stages refuse.
        _save_record(ws, stage, record, complete=not (jobs or orphans))
        for part in orphans:
            store.remove(target, part)
        if jobs:
            task = StageTask(stage=stage, func=func, settings=settings, initializer=initializer,
                             shared=shared)
            _execute(ws, record, report, jobs, task, address=address, client=client, desc=desc or stage)
        if jobs or orphans:
            _save_record(ws, stage, record, complete=True)
    report.computed.sort()
    report.seconds = time.perf_counter() - started
    return report


def _check_sources(ws: Workspace, tables: list[str], storage: str | None) -> PartStore:
    """The store of the source ``tables`` once they are fit to read: finished, with the same
    parts, and (a stage table such as ``prepared``) current with the corpus, as
    :func:`require_current` says: sentiment of a corpus loaded after `opinion prepare` stops."""
    for table in tables:
        require_complete(ws, table)
    store = PartStore(storage) if storage else ws.store
    sources = store.parts(tables[0])
    if not sources:
        if storage is None:
            ws.require(tables[0])
        raise StageOrderError(f"{store.root}: table '{tables[0]}' has no parts; run the stage "
                              f"that produces it first")
    for table in tables[1:]:
        missing = sorted(set(sources) - set(store.parts(table)))
        if missing:
            command = PRODUCED_BY.get(table, "the stage that produces it")
            raise StageOrderError(f"{store.root}: table '{table}' lacks part '{missing[0]}' of "
                                  f"'{tables[0]}'; run `{command} -w {ws.root}` first")
    staged = [table for table in tables if table in _STAGE_INPUTS]
    if staged and storage is None:  # shared storage: the manifest's parts are elsewhere
        require_current(ws, staged, remember=True)  # under the stage's lock
    return store


def _dask_client(stack: ExitStack, engine: str, address: str | None, workers: int) -> Any:
    """For ``engine="dask"``: import Dask (a missing extra names what to install) and reach the
    scheduler at ``address`` (or ``DASK_SCHEDULER_ADDRESS``) now, before a part is planned or
    deleted; the client stays open for the run. None for the local engine, and when the run
    starts its own local cluster (only once there are parts to compute)."""
    if engine != "dask":
        return None
    from opinion.engine.dask_runner import connect, scheduler_address

    if scheduler_address(address) is None:
        return None
    return stack.enter_context(connect(address, workers=workers))


def _local_workers(jobs: list[Job], workers: int, *, auto: bool) -> int:
    """How many processes the local engine starts: with ``auto`` (``workers=0``) at most one per
    :data:`ROWS_PER_WORKER` rows, as a process costs seconds to start; one, with a warning, when
    each would re-run the calling script (:func:`~opinion.engine.local.unguarded_script`)."""
    if auto:
        workers = max(1, min(workers, sum(job.rows for job in jobs) // ROWS_PER_WORKER))
    if workers > 1 and len(jobs) > 1 and (script := unguarded_script()):
        warnings.warn(OpinionWarning(
            f"{script}: ran in this process, not in {workers} worker processes, as each would run "
            "this script again (multiprocessing's spawn imports it anew); put its calls under "
            "`if __name__ == \"__main__\":` to use them"), stacklevel=_caller_outside())
        return 1
    return workers


def _caller_outside() -> int:
    """The ``stacklevel`` of the first caller outside this package: a warning names its line."""
    package = str(Path(__file__).resolve().parents[1])
    frame, level = sys._getframe(1), 1
    while frame.f_back is not None and frame.f_code.co_filename.startswith(package):
        frame, level = frame.f_back, level + 1
    return level


def _execute(ws: Workspace, record: dict[str, Any], report: PartwiseReport, jobs: list[Job],
             task: StageTask, *, address: str | None, client: Any, desc: str) -> None:
    """Compute ``jobs`` on the report's engine; record each finished part (the manifest at most
    every :data:`SAVE_SECONDS`, and at once when the run fails or is interrupted)."""
    saved = [0.0]  # when the record was last saved (the first part is saved at once)
    with _progress(desc, sum(job.rows for job in jobs)) as bar:
        def on_done(job: Job, result: dict[str, Any]) -> None:
            _record_part(record, job, result)
            if time.monotonic() - saved[0] >= SAVE_SECONDS:
                _save_record(ws, report.stage, record, complete=False)
                saved[0] = time.monotonic()
            report.computed.append(job.part)
            report.rows_computed += result["rows"]
            bar.update(job.rows)

        try:
            if report.engine == "dask":
                from opinion.engine.dask_runner import execute_dask

                execute_dask(jobs, task, address=address, workers=report.workers, on_done=on_done,
                             client=client)
            else:
                execute_local(jobs, task, workers=report.workers, on_done=on_done)
        except BaseException:
            _save_record(ws, report.stage, record, complete=False)  # keep the finished parts
            raise


def map_assign(
    ws: Workspace,
    model: Any,
    *,
    assign: Callable[[pd.DataFrame, Any, Any], pd.DataFrame],
    model_fingerprint: str,
    target: str,
    source: str | Sequence[str] = "prepared",
    stage: str = "topic_assign",
    settings: dict[str, Any] | None = None,
    **options: Any,
) -> PartwiseReport:
    """Apply a model fitted once to every part: ``assign(part_df, settings, model)``.

    The model is sent once to each worker (through the process-pool initializer, or with
    ``client.scatter(model, broadcast=True)`` on Dask), never once per part.
    ``model_fingerprint`` (e.g. the SHA-256 of the saved model file) decides whether the
    recorded parts are still valid.

    Example:
        >>> map_assign(ws, topic_model, assign=assign_topics, model_fingerprint=sha,
        ...            target="topic_parts", workers=0)  # doctest: +SKIP
    """
    merged = {"model": model_fingerprint, **(settings or {})}
    return run_partwise(ws, stage=stage, source=source, target=target, func=assign,
                        settings=merged, shared=model, **options)


def require_finished(ws: Workspace, table: str) -> None:
    """Raise unless ``table`` exists (:meth:`Workspace.require`), the stage that writes it
    ran to the end (:func:`require_complete`) and, for a per-document stage table, it has seen
    every loaded part as the workspace holds it now (:func:`require_current`): what a reader
    of a whole table needs, e.g. ``require_finished(ws, "prepared")`` before keywords, KWIC,
    the flags or a topic fit."""
    ws.require(table)
    require_complete(ws, table)
    from opinion.io.info import STAGE_TABLES

    if table in STAGE_TABLES:
        require_current(ws, (table,))


# stage table: (the part-wise stage that writes it, what it is computed from)
_STAGE_INPUTS = {PREPARED: ("prepare", "corpus"), SENTIMENT: ("sentiment", "prepared table"),
                 TOPIC_DOCS: ("topic_documents", "corpus or prepared table")}


def require_current(ws: Workspace, tables: Sequence[str] | None = None, *,
                    then: str = "run this command again", remember: bool = False) -> None:
    """Raise :class:`InputError` when a stage table (``prepared``, ``sentiment``,
    ``topic_documents``; all by default) was computed from other inputs than the workspace
    holds now (``opinion load --replace``, new themes), or misses parts loaded after it ran:
    a view of it would mix old text with new dates, or leave the new posts out without a word.
    The one line names the commands to run, e.g. ``runs/微博: 1 part(s) loaded after the last
    `opinion prepare` (3_1-00000); run `opinion prepare -w runs/微博`, then export again``.
    ``remember`` saves new time stamps of unchanged parts (:func:`parts_out_of_date`): only a
    command holding the workspace's lock should; a reader (a word view, the explorer) writes nothing."""
    from opinion.io.info import STAGE_TABLES, commands_from, stages_behind

    chosen = [t for t in STAGE_TABLES if tables is None or t in tables]

    def commands(table: str) -> str:
        return ", then ".join(f"`{command}`" for command in commands_from(ws, table))

    for table in chosen:
        stage, inputs = _STAGE_INPUTS[table]
        changed = parts_out_of_date(ws, stage, remember=remember)
        if changed:
            raise InputError(f"{ws.root}: the {inputs} of {len(changed)} part(s) changed after the last "
                             f"`{PRODUCED_BY[table]}` (reloaded with --replace, new themes or a new "
                             f"dictionary?); run {commands(table)}, then {then}")
    behind = stages_behind(ws)
    for table in (t for t in chosen if t in behind):
        parts = behind[table]
        raise InputError(f"{ws.root}: {len(parts)} part(s) loaded after the last `{PRODUCED_BY[table]}` "
                         f"({some_of(parts, 3)}); run {commands(table)}, then {then}")


def require_complete(ws: Workspace, table: str) -> None:
    """Raise :class:`StageOrderError` when the stage that writes ``table`` was interrupted
    (:meth:`Workspace.require_complete`): a killed run leaves its finished parts in place;
    stages that read the table (or fit on all of it) must wait until a re-run has finished it.
    """
    ws.require_complete(table)


def settings_fingerprint(func: Callable[..., Any], settings: Any) -> str:
    """Fingerprint of the function's name and its settings (dataclasses as dicts)."""
    return fingerprint({"func": _func_name(func), "settings": _plain(settings)})


# --- planning and the manifest ------------------------------------------------------------
def _current_record(ws: Workspace, *, stage: str, source: str, target: str,
                    func: Callable[..., Any], settings: Any, force: bool) -> dict[str, Any]:
    """The stage's record, reset (no parts) when the settings, function or tables changed."""
    wanted = settings_fingerprint(func, settings)
    record = dict(ws.stage_record(stage) or {})
    same = (record.get("settings_fingerprint") == wanted and record.get("source") == source
            and record.get("target") == target and record.get("runner") == RECORD_VERSION)
    if force or not same:
        record = {key: value for key, value in record.items() if key not in _RUNNER_KEYS}
        record.update(runner=RECORD_VERSION, source=source, target=target,
                      func=_func_name(func), settings=_plain(settings),
                      settings_fingerprint=wanted, parts={})
    record.setdefault("parts", {})
    return record


_RUNNER_KEYS = ("runner", "source", "target", "func", "settings", "settings_fingerprint",
                "parts", "complete")


def _columns_of(columns: list[str] | dict[str, list[str]] | None, table: str,
                first: bool) -> tuple[str, ...] | None:
    if isinstance(columns, dict):
        return tuple(columns[table]) if columns.get(table) else None
    return tuple(columns) if columns and first else None


def _plan(store: PartStore, record: dict[str, Any], sources: list[str],
          report: PartwiseReport, *, sources_tables: list[str], target: str,
          columns: list[str] | dict[str, list[str]] | None) -> tuple[list[Job], list[str]]:
    """Decide per part: skip, compute or remove. Returns the jobs and the target parts whose
    source part is gone; deletes nothing (a part to compute again is replaced when its job
    writes it), so the caller can mark the stage incomplete first."""
    recorded: dict[str, Any] = record["parts"]
    existing_targets = set(store.parts(target))
    jobs = []
    for part in sources:
        entry = recorded.get(part) or {}
        size, modified, same_file, source_hash = _source_state(store, entry, sources_tables, part)
        if entry.get("source_sha256") == source_hash and part in existing_targets:
            report.skipped.append(part)
            if not same_file:  # same content, new stamp: remember the stamp
                entry.update(source_size=size, source_modified=modified)
            continue
        recorded.pop(part, None)  # computed with other settings or from another source
        jobs.append(Job(part=part, source_url=store.url(sources_tables[0], part),
                        target_url=store.url(target, part),
                        columns=_columns_of(columns, sources_tables[0], True),
                        source_stamp=(("source_sha256", source_hash),
                                      ("source_size", size),
                                      ("source_modified", modified)),
                        rows=store.num_rows(sources_tables[0], part),
                        extra_inputs=tuple((store.url(table, part), _columns_of(columns, table, False))
                                           for table in sources_tables[1:])))
    orphans = sorted(existing_targets - set(sources))
    for part in orphans:
        recorded.pop(part, None)
        report.removed.append(part)
    return jobs, orphans


def _source_state(store: PartStore, entry: dict[str, Any], tables: list[str],
                  part: str) -> tuple[Any, Any, bool, str]:
    """``(size, modified, same_file, source_hash)`` of a part's sources now, against the stage
    record's ``entry``: the size and time stamp only spare re-hashing; the content hash decides."""
    single = len(tables) == 1
    stamps = [store.stamp(table, part) for table in tables]
    size = stamps[0]["size"] if single else [s["size"] for s in stamps]
    modified = stamps[0]["modified"] if single else [s["modified"] for s in stamps]
    same_file = entry.get("source_size") == size and entry.get("source_modified") == modified
    if same_file:
        return size, modified, True, entry["source_sha256"]
    if single:
        return size, modified, False, store.sha256(tables[0], part)
    return size, modified, False, fingerprint([store.sha256(table, part) for table in tables])


def parts_out_of_date(ws: Workspace, stage: str, *, remember: bool = True) -> list[str]:
    """Parts of a part-wise ``stage`` whose source parts changed after it ran: a `prepare`
    with new themes or a new dictionary since the last `opinion sentiment`
    (``parts_out_of_date(ws, "sentiment") == ["weibo-00000"]``). Parts the stage never
    computed are not listed; neither is a stage without a part-wise record. A part of the same
    content with a new time stamp (a copied workspace) is hashed, and its stamp saved unless
    ``remember`` is False."""
    record = ws.stage_record(stage) or {}
    if not record.get("runner") or not isinstance(record.get("parts"), dict):
        return []
    tables = str(record.get("source", "")).split("+")
    store = ws.store
    present = [set(store.parts(table)) for table in tables]
    changed, restamped = [], False
    for part, entry in sorted(record["parts"].items()):
        if not all(part in parts for parts in present) or "source_sha256" not in entry:
            continue
        size, modified, same_file, source_hash = _source_state(store, entry, tables, part)
        if source_hash != entry["source_sha256"]:
            changed.append(part)
        elif not same_file and remember:  # the same content with a new time stamp (a copied
            entry.update(source_size=size, source_modified=modified)  # workspace): keep it, not to
            restamped = True  # hash again
    if restamped:
        with suppress(OpinionError, OSError):  # a read-only workspace is exported too
            ws.set_stage_record(stage, record)
    return changed


def _record_part(record: dict[str, Any], job: Job, result: dict[str, Any]) -> None:
    record["parts"][job.part] = {**dict(job.source_stamp), "rows": result["rows"],
                                 "target_sha256": result["target_sha256"]}


def _save_record(ws: Workspace, stage: str, record: dict[str, Any], *, complete: bool) -> None:
    record["parts"] = dict(sorted(record["parts"].items()))
    record["complete"] = complete
    ws.set_stage_record(stage, record)


def _plain(settings: Any) -> Any:
    if dataclasses.is_dataclass(settings) and not isinstance(settings, type):
        return dataclasses.asdict(settings)
    return settings


@contextmanager
def _progress(desc: str, total_rows: int) -> Iterator[Any]:
    """A tqdm bar in documents, with ETA, on stderr; shown only on a terminal."""
    from tqdm.auto import tqdm

    bar = tqdm(desc=desc, total=total_rows, unit="doc", unit_scale=True, file=sys.stderr,
               disable=not sys.stderr.isatty(), dynamic_ncols=True)
    try:
        yield bar
    finally:
        bar.close()
