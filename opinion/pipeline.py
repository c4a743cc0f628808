"""The whole pipeline in one call: load → prepare → sentiment → topics → export.

Each stage skips work whose inputs and settings have not changed, so re-running
``run_pipeline`` on the same workspace is cheap and gives the same result.

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

from opinion.io.workspace import Workspace


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
    from opinion.topics.model import fit_topics

    result = PipelineResult(workspace=Path(workspace))
    options = dict(load_options or {})
    options.setdefault("skip_loaded", True)
    _timed(result, "load", lambda: load_corpus(list(paths), workspace, **options), echo=echo)
    ws = Workspace.open(workspace)
    where = {"workers": workers, "engine": engine, "address": address}
    _timed(result, "prepare", lambda: prepare_workspace(ws, **where), echo=echo)
    _timed(result, "sentiment", lambda: score_workspace(ws, **where), echo=echo)
    _timed(result, "topics", lambda: fit_topics(ws, **where, **(topic_options or {})), echo=echo)
    out_dir = Path(out) if out else ws.root / "export"
    result.exported = _timed(
        result, "export",
        lambda: export_workspace(ws, out_dir, formats=tuple(export_formats), script=script),
        echo=echo,
    )
    return result
