"""The front door's functions: one call per stage, on a workspace folder or a :class:`Workspace`.

``import opinion`` offers them as ``opinion.load``, ``opinion.prepare``, ``opinion.sentiment``,
``opinion.topics``, ``opinion.export`` and ``opinion.run`` (see :mod:`opinion` and docs/api.md).
Each accepts ``Workspace | str | Path``, opens the workspace once and hands the stage a
:class:`Workspace`; each returns the stage's report. Options are the stage's own keyword
arguments (the CLI's options without the dashes).

Example:
    >>> import opinion  # doctest: +SKIP
    >>> opinion.load("posts.csv", "runs/demo", date_col="日期")  # doctest: +SKIP
    >>> opinion.prepare("runs/demo")  # doctest: +SKIP
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from opinion.io.load import LoadReport
    from opinion.io.workspace import Workspace
    from opinion.pipeline import PipelineResult
    from opinion.prepare import PrepareReport
    from opinion.runner import PartwiseReport
    from opinion.topics.stage import TopicReport

__all__ = ["export", "load", "open_workspace", "prepare", "run", "sentiment", "topics"]


def open_workspace(ws: Workspace | str | Path) -> Workspace:
    """``ws`` itself, or the workspace at that folder (opened once, at the boundary)."""
    from opinion.io.workspace import Workspace

    return ws if isinstance(ws, Workspace) else Workspace.open(ws)


def _paths(paths: str | Path | Sequence[str | Path]) -> list[str | Path]:
    return [paths] if isinstance(paths, (str, Path)) else list(paths)


def load(paths: str | Path | Sequence[str | Path], workspace: str | Path, **options: Any) -> LoadReport:
    """Read files, folders or globs into a workspace (created if needed); same as ``opinion load``.

    Options: ``text_col``, ``date_col``, ``source_col``, ``id_col``, ``encoding``, ``replace`` …
    (:func:`opinion.io.load.load_corpus`). Rejected rows are in the workspace's rejects file.
    Example: ``opinion.load("微博.csv", "runs/demo", text_col="内容", date_col="发布时间")``.
    """
    from opinion.io.load import load_corpus

    return load_corpus(_paths(paths), workspace, **options)


def prepare(ws: Workspace | str | Path, **options: Any) -> PrepareReport:
    """Clean, convert to Simplified, tokenise and count themes; same as ``opinion prepare``.

    Options: the fields of :class:`opinion.prepare.PrepareSettings` (``theme_files``,
    ``user_dicts``, ``stopwords`` …) and ``workers``, ``force``, ``engine``, ``address``, ``flags``.
    Example: ``opinion.prepare("runs/demo", theme_files=["我的主题.toml"])``.
    """
    from opinion.prepare import PrepareSettings, prepare_workspace

    names = {f.name for f in dataclasses.fields(PrepareSettings)}
    given = {k: options.pop(k) for k in list(options) if k in names}
    settings = PrepareSettings(**given) if given else None
    return prepare_workspace(open_workspace(ws), settings=settings, **options)


def sentiment(ws: Workspace | str | Path, **options: Any) -> PartwiseReport:
    """Score sentiment and emotions of every prepared document; same as ``opinion sentiment``.

    Options: ``method`` ("model" or "lexicon"), ``neutral_band``, ``model_path``, ``workers``,
    ``force`` (:func:`opinion.sentiment.score.score_workspace`).
    Example: ``opinion.sentiment("runs/demo", neutral_band=(0.4, 0.6))``.
    """
    from opinion.sentiment.score import score_workspace

    return score_workspace(open_workspace(ws), **options)


def topics(ws: Workspace | str | Path, **options: Any) -> TopicReport:
    """Fit topics on the prepared corpus and write the topic tables; same as ``opinion topics``.

    Options: those of :class:`opinion.TopicModel` (``nr_topics``, ``seed`` …) and ``workers``,
    ``force``, ``engine``, ``address`` (:func:`opinion.topics.stage.fit_topics`).
    Example: ``print("\\n".join(opinion.topics("runs/demo", nr_topics=12).lines()))``.
    """
    from opinion.topics.stage import fit_topics

    return fit_topics(open_workspace(ws), **options)


def export(ws: Workspace | str | Path, out: str | Path, **options: Any) -> list[Path]:
    """Write the report tables into the folder ``out``; same as ``opinion export``.

    Options: ``formats`` (csv, xlsx, md, html), ``script`` ("zh-Hans" or "zh-Hant"), ``period``.
    Example: ``opinion.export("runs/demo", "报告", formats=["xlsx", "html"], script="zh-Hant")``.
    """
    from opinion.report import export_workspace

    return export_workspace(open_workspace(ws), out, **options)


def run(paths: str | Path | Sequence[str | Path], workspace: str | Path, **options: Any) -> PipelineResult:
    """Every stage, load to export (``WS/export`` unless ``out``); same as ``opinion run``.

    Options: ``load_options`` (dict), ``topic_options`` (dict), ``workers``, ``export_formats`` …
    (:func:`opinion.pipeline.run_pipeline`).
    Example: ``opinion.run(["微博.csv"], "runs/demo", topic_options={"nr_topics": 12})``.
    """
    from opinion.pipeline import run_pipeline

    return run_pipeline([str(p) for p in _paths(paths)], workspace, **options)
