"""The whole pipeline in one call: load → prepare → sentiment → topics → export.

Each stage skips work whose inputs and settings have not changed, so re-running
``run_pipeline`` on the same workspace is cheap and gives the same result. Every option is
checked before the first stage starts; the run holds the workspace's write lock throughout;
a corpus too small for topics gets a notice instead of topics, and the rest is exported.

Example:
    >>> run_pipeline(["corpora/demo"], "demo-workspace",
    ...              overrides={"load": {"date_from_filename": True}})  # doctest: +SKIP
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from opinion import schema as S
from opinion.config import SECTIONS, RunConfig, TopicSettings, settings_for
from opinion.errors import InputError
from opinion.io.lock import workspace_lock
from opinion.io.workspace import Workspace, check_creatable


@dataclass
class StageTiming:
    """Wall time of one stage of a run, in seconds."""

    stage: str
    seconds: float


@dataclass
class PipelineResult:
    """What :func:`run_pipeline` did: the workspace, export files and per-stage timings."""

    workspace: Path
    exported: list[Path] = field(default_factory=list)
    timings: list[StageTiming] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    config: RunConfig | None = None  # the settings every stage ran with
    reports: dict[str, Any] = field(default_factory=dict)  # each stage's report, by stage


def _timed(result: PipelineResult, stage: str, func: Callable[[], Any], *, echo: bool) -> Any:
    if echo:
        print(f"[{stage}] …", file=sys.stderr, flush=True)
    start = time.perf_counter()
    value = func()
    seconds = time.perf_counter() - start
    result.timings.append(StageTiming(stage, seconds))
    result.reports[stage] = value
    if echo:
        print(f"[{stage}] done in {seconds:.1f} s", file=sys.stderr, flush=True)
    return value


def run_pipeline(
    paths: Sequence[str],
    workspace: str | Path,
    *,
    config: RunConfig | None = None,
    overrides: Mapping[str, Mapping[str, Any]] | None = None,
    replace: bool = False,
    workers: int = 0,
    engine: str = "local",
    address: str | None = None,
    out: str | Path | None = None,
    echo: bool = True,
) -> PipelineResult:
    """Run every stage on ``paths`` into ``workspace``; returns timings and exported files.

    Each stage runs with the settings the workspace already holds (what an earlier
    `opinion prepare --themes ...` was told), else the defaults; ``config`` replaces them
    (every section of a :class:`~opinion.config.RunConfig`), and ``overrides`` (section →
    field → value, None: not given) replace single fields, e.g.
    ``{"prepare": {"theme_files": ("主题.toml",)}, "topics": {"nr_topics": 20}}``.
    Files already loaded are not loaded again (``replace``: load them again).
    ``engine``/``address`` choose where the per-document stages (prepare, sentiment, topic
    assignment) run: local processes or a Dask cluster, see docs/scale.md.
    """
    from opinion.io.load import load_corpus
    from opinion.prepare import prepare_workspace
    from opinion.report import export_workspace
    from opinion.sentiment.score import score_workspace

    settings = resolve_run(workspace, config=config, overrides=overrides)
    check_run_options(settings, workers=workers, engine=engine, out=out)
    result = PipelineResult(workspace=Path(workspace), config=settings)
    check_creatable(workspace)
    with workspace_lock(workspace):
        loaded = _timed(result, "load", lambda: load_corpus(
            list(paths), workspace, settings=settings.load, replace=replace, skip_loaded=True), echo=echo)
        _load_notices(result, loaded, echo=echo)
        ws = Workspace.open(workspace)
        if not ws.parts(S.CORPUS):  # every row rejected: say why here, not "corpus is missing" at prepare
            raise InputError(f"nothing loaded into {ws.root} ({loaded.total('rows_read'):,} rows read, all rejected); "
                             f"the file, row and fix of each are in {ws.root / 'rejects.csv'}")
        where: dict[str, Any] = {"workers": workers, "engine": engine, "address": address}
        _timed(result, "prepare", lambda: prepare_workspace(ws, settings=settings.prepare, **where),
               echo=echo)
        _script_notice(result, ws, settings.export.script,
                       given=bool((overrides or {}).get("export", {}).get("script")) or config is not None, echo=echo)
        _timed(result, "sentiment", lambda: score_workspace(ws, settings=settings.sentiment, **where),
               echo=echo)
        _timed(result, "topics", lambda: _topics(ws, result, where, settings.topics, echo=echo),
               echo=echo)
        result.exported = _timed(
            result, "export", lambda: export_workspace(ws, out, settings=settings.export), echo=echo)
    return result


def _load_notices(result: PipelineResult, report: Any, *, echo: bool) -> None:
    """The load's warnings (another sheet, another delimiter, unreadable dates) and where the
    rejected rows are, as notices: `opinion load` prints them, and so must a run."""
    notices = report.column_notes()  # which column is the text: `opinion load` says it too
    notices += [note for f in report.files for note in f.notes]
    notices.extend(report.input_notes())  # files no reader takes, inputs named by day without dates
    if echo:  # how many documents the run goes on with: loaded N documents ... (N duplicates)
        print(f"[load] {report}", file=sys.stderr, flush=True)
    rejected = report.total("rows_rejected")
    if rejected:
        notices.append(f"{rejected:,} row(s) rejected, with file, row and reason: "
                       f"{Path(result.workspace) / 'rejects.csv'}")
    for notice in notices:
        result.notices.append(f"load: {notice}")
        if echo:
            print(f"[load] {notice}", file=sys.stderr, flush=True)


def traditional_notice(ws: Workspace, script: str, *, given: bool, shown: str = "the report") -> str | None:
    """The notice when most documents are Traditional and ``shown`` (the report, a view's output)
    will be Simplified because nobody chose a script, else None: ``--script zh-Hant-TW`` or
    ``zh-HK`` shows it as most were written. Every view that takes ``--script`` gives it.

    ``1,200 of 1,500 documents are in Traditional script, and the report shows Simplified …``"""
    from opinion.io.info import script_counts
    from opinion.text.script import HANS, HANT

    if given or script != HANS:  # a script was chosen: nothing to say, and no table to read
        return None
    counts = script_counts(ws) or {}
    traditional, total = counts.get(HANT, 0), sum(counts.values())
    if not total or traditional * 2 <= total:
        return None
    return (f"{traditional:,} of {total:,} documents are in Traditional script, and {shown} shows "
            f"Simplified ({HANS}, the default): pass --script zh-Hant-TW or --script zh-HK to show "
            "it in Traditional")


def _script_notice(result: PipelineResult, ws: Workspace, script: str, *, given: bool, echo: bool) -> None:
    """:func:`traditional_notice` of the run's report, kept and printed."""
    notice = traditional_notice(ws, script, given=given)
    if notice is None:
        return
    result.notices.append(f"export: {notice}")
    if echo:
        print(f"[export] {notice}", file=sys.stderr, flush=True)


def resolve_run(workspace: str | Path, *, config: RunConfig | None = None,
                overrides: Mapping[str, Mapping[str, Any]] | None = None) -> RunConfig:
    """The settings a run on ``workspace`` uses: ``config``'s sections, else the workspace's
    stored ones, else the defaults; each field of ``overrides`` that is not None wins."""
    from opinion.io.workspace import MANIFEST

    unknown = sorted(set(overrides or {}) - set(SECTIONS))
    if unknown:
        raise InputError(f"unknown settings section {unknown[0]!r}; valid: {', '.join(SECTIONS)}")
    ws = Workspace.open(workspace) if (Path(workspace) / MANIFEST).is_file() else None
    sections = {name: settings_for(ws, cls, getattr(config, name) if config else None,
                                   (overrides or {}).get(name))
                for name, cls in SECTIONS.items()}
    return RunConfig(**sections)


def _topics(ws: Workspace, result: PipelineResult, where: dict[str, Any],
            settings: TopicSettings, *, echo: bool) -> None:
    """Fit topics; on a corpus too small for them, a notice (and no stale topic tables)."""
    from opinion.topics.model import TooFewDocumentsError, clear_topics, fit_topics
    from opinion.topics.skipped import note_skipped

    try:
        fit_topics(ws, settings, **where)
    except TooFewDocumentsError as exc:
        clear_topics(ws)
        note_skipped(ws, exc)  # the stage notes it only where no topics were left to keep
        notice = f"topics skipped: {exc}; the other tables are exported"
        result.notices.append(notice)
        if echo:
            print(f"[topics] {notice}", file=sys.stderr, flush=True)


def check_run_options(settings: RunConfig, *, workers: int, engine: str,
                      out: str | Path | None) -> None:
    """Check every option of a run before any stage starts (the settings checked themselves
    when they were made; here what needs more: topic limits, embedder names, the engine).

    Example: ``check_run_options(RunConfig(), workers=0, engine="spark", out=None)`` raises
    "engine must be one of ['local', 'dask']".
    """
    from opinion.config import model_option
    from opinion.engine.jobs import ENGINES, resolve_workers
    from opinion.report.export import check_out
    from opinion.topics.embed import available_embedders

    resolve_workers(workers)
    if engine not in ENGINES:
        raise InputError(f"must be one of {list(ENGINES)}; got {engine!r}", param="engine")
    if engine == "dask":  # before the load, not when prepare starts the cluster
        check_dask_installed()
    settings.topics.check()
    # a --model that names no file stops the run before the load (default/none: the shipped model)
    replace(settings.sentiment, model_path=model_option(settings.sentiment.model_path) or "").check()
    embedding = settings.topics.embedding
    if not embedding.startswith("sbert:") and embedding not in available_embedders():
        raise InputError(f"names an unknown embedder {embedding!r}; valid names: "
                         f"{', '.join(available_embedders())}", param="embedding")
    if out is not None:
        check_out(out)


def check_dask_installed() -> None:
    """Raise :class:`~opinion.errors.MissingExtraError` unless ``distributed`` and
    ``dask.dataframe`` can be imported: looked up, not imported (that takes seconds and starts
    nothing the load needs)."""
    import importlib.util

    from opinion.errors import MissingExtraError

    for module in ("distributed", "dask.dataframe"):
        try:
            found = importlib.util.find_spec(module) is not None
        except ImportError:  # a parent package (dask) is missing
            found = False
        if not found:
            raise MissingExtraError(module, "dask", "the Dask engine")
