"""The whole pipeline in one call: load → prepare → sentiment → topics → export.

Each stage skips work whose inputs and settings have not changed, so re-running
``run_pipeline`` on the same workspace is cheap and gives the same result. Every option is
checked before the first stage starts; the run holds the workspace's write lock throughout;
a corpus too small for topics gets a notice instead of topics, and the rest is exported.

Example:
    >>> run_pipeline(["corpora/demo"], "demo-workspace",
    ...              load_options={"date_from_filename": True})  # doctest: +SKIP
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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


def _timed(result: PipelineResult, stage: str, func: Callable[[], Any], *, echo: bool) -> Any:
    if echo:
        print(f"[{stage}] …", file=sys.stderr, flush=True)
    start = time.perf_counter()
    value = func()
    seconds = time.perf_counter() - start
    result.timings.append(StageTiming(stage, seconds))
    if echo:
        print(f"[{stage}] done in {seconds:.1f} s", file=sys.stderr, flush=True)
    return value


def run_pipeline(
    paths: Sequence[str],
    workspace: str | Path,
    *,
    load_options: dict[str, Any] | None = None,
    workers: int = 0,
    engine: str = "local",
    address: str | None = None,
    topic_options: dict[str, Any] | None = None,
    export_formats: Sequence[str] = ("csv", "xlsx", "md", "html"),
    script: str = "zh-Hans",
    out: str | Path | None = None,
    echo: bool = True,
) -> PipelineResult:
    """Run every stage on ``paths`` into ``workspace``; returns timings and exported files.

    ``load_options`` are passed to :func:`opinion.io.load.load_corpus` (column flags,
    ``replace``, ``date_from_filename`` ...). Files already loaded are not loaded again.
    ``engine``/``address`` choose where the per-document stages (prepare, sentiment, topic
    assignment) run: local processes or a Dask cluster, see docs/scale.md. ``topic_options`` go to
    :func:`opinion.topics.model.fit_topics` (``embedding``, ``seed``, ``nr_topics`` ...).
    """
    from opinion.io.load import load_corpus
    from opinion.prepare import prepare_workspace
    from opinion.report import export_workspace
    from opinion.sentiment.score import score_workspace

    formats = check_run_options(workers=workers, engine=engine, topic_options=topic_options,
                                export_formats=export_formats, script=script, out=out)
    result = PipelineResult(workspace=Path(workspace))
    options = dict(load_options or {})
    options.setdefault("skip_loaded", True)
    check_creatable(workspace)
    with workspace_lock(workspace):
        _timed(result, "load", lambda: load_corpus(list(paths), workspace, **options), echo=echo)
        ws = Workspace.open(workspace)
        where: dict[str, Any] = {"workers": workers, "engine": engine, "address": address}
        _timed(result, "prepare", lambda: prepare_workspace(ws, **where), echo=echo)
        _timed(result, "sentiment", lambda: score_workspace(ws, **where), echo=echo)
        _timed(result, "topics", lambda: _topics(ws, result, where, topic_options, echo=echo),
               echo=echo)
        out_dir = Path(out) if out else ws.root / "export"
        result.exported = _timed(
            result, "export",
            lambda: export_workspace(ws, out_dir, formats=formats, script=script), echo=echo)
    return result


def _topics(ws: Workspace, result: PipelineResult, where: dict[str, Any],
            topic_options: dict[str, Any] | None, *, echo: bool) -> None:
    """Fit topics; on a corpus too small for them, a notice (and no stale topic tables)."""
    from opinion.topics.model import TooFewDocumentsError, clear_topics, fit_topics

    try:
        fit_topics(ws, **where, **(topic_options or {}))
    except TooFewDocumentsError as exc:
        clear_topics(ws)
        notice = f"topics skipped: {exc}; the other tables are exported"
        result.notices.append(notice)
        if echo:
            print(f"[topics] {notice}", file=sys.stderr, flush=True)


def check_run_options(*, workers: int, engine: str, topic_options: dict[str, Any] | None,
                      export_formats: Sequence[str], script: str,
                      out: str | Path | None) -> tuple[str, ...]:
    """Check every option of a run before any stage starts; returns the export formats.

    Example: ``check_run_options(workers=0, engine="local", topic_options=None,
    export_formats=["csv"], script="zh-TW", out=None)`` raises "did you mean zh-Hant-TW?".
    """
    import dataclasses
    import inspect

    from opinion.engine.jobs import ENGINES, resolve_workers
    from opinion.report.export import parse_formats
    from opinion.text.script import check_target
    from opinion.topics.embed import available_embedders
    from opinion.topics.model import TopicSettings, fit_topics

    check_target(script)
    formats = parse_formats(export_formats)
    resolve_workers(workers)
    if engine not in ENGINES:
        raise InputError(f"--engine must be one of {list(ENGINES)}; got {engine!r}")
    topic = dict(topic_options or {})
    known = set(inspect.signature(fit_topics).parameters) - {"ws"}
    unknown = sorted(set(topic) - known)
    if unknown:
        raise InputError(f"unknown topic option {unknown[0]!r}; valid: {', '.join(sorted(known))}")
    fields = {f.name for f in dataclasses.fields(TopicSettings)}
    TopicSettings(**{k: v for k, v in topic.items() if k in fields}).check()
    embedding = topic.get("embedding")
    if embedding is not None and not embedding.startswith("sbert:") and \
            embedding not in available_embedders():
        raise InputError(f"--embedding: unknown embedder {embedding!r}; valid names: "
                         f"{', '.join(available_embedders())}")
    if out is not None and Path(out).exists() and not Path(out).is_dir():
        raise InputError(f"--out {out}: is a file; give a folder to write the report into")
    return formats
