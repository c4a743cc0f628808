"""The front door's functions: one call per stage, on a workspace folder or a :class:`Workspace`.

``import opinion`` offers them as ``opinion.load``, ``opinion.prepare``, ``opinion.sentiment``,
``opinion.topics``, ``opinion.export`` and ``opinion.run`` (see :mod:`opinion` and docs/api.md).
Each accepts ``Workspace | str | Path``, opens the workspace once and hands the stage a
:class:`Workspace`; each returns the stage's report. Options are the stage's own keyword
arguments, with the names of the settings fields (``text_col``, ``theme_files``,
``nr_topics`` …); an unknown one is an :class:`~opinion.errors.InputError` listing the valid ones.

Example:
    >>> import opinion  # doctest: +SKIP
    >>> opinion.load("posts.csv", "runs/demo", date_col="日期")  # doctest: +SKIP
    >>> opinion.prepare("runs/demo", tokenizer="jieba", workers=2)  # doctest: +SKIP
"""

from __future__ import annotations

import difflib
import inspect
import sys
from collections.abc import Callable, Collection, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from opinion.errors import InputError

if TYPE_CHECKING:
    from opinion.io.load import LoadReport
    from opinion.io.workspace import Workspace
    from opinion.pipeline import PipelineResult
    from opinion.prepare import PrepareReport
    from opinion.runner import PartwiseReport
    from opinion.topics.stage import TopicReport

__all__ = ["export", "load", "open_workspace", "prepare", "run", "sentiment", "topics"]

# Settings fields whose own name means something else at the front door: ``engine`` is where the
# stages run (local or dask), so prepare's tokenizer is ``tokenizer``; in ``run``, ``period`` is
# the export's, so the topics' is ``topic_period`` (as `opinion run --topic-period`).
RENAMED: dict[str, tuple[str, str]] = {"tokenizer": ("prepare", "engine"),
                                       "topic_period": ("topics", "period")}


def open_workspace(ws: Workspace | str | Path) -> Workspace:
    """``ws`` itself, or the workspace at that folder (opened once, at the boundary)."""
    from opinion.io.workspace import Workspace

    return ws if isinstance(ws, Workspace) else Workspace.open(ws)


def _folder(ws: Workspace | str | Path) -> str | Path:
    """The folder of ``ws``: a :class:`Workspace`'s root, else ``ws`` (load creates it)."""
    from opinion.io.workspace import Workspace

    return ws.root if isinstance(ws, Workspace) else ws


def _paths(paths: str | Path | Sequence[str | Path], func: str) -> list[str | Path]:
    """``paths`` as a list; a DataFrame or Series (whose iteration gives column names or
    cells, not files) is refused with the way to load it."""
    pandas = sys.modules.get("pandas")
    if pandas is not None and isinstance(paths, (pandas.DataFrame, pandas.Series)):
        raise InputError(f"opinion.{func} reads files, not a {type(paths).__name__}; write it first, "
                         f"e.g. df.to_parquet('posts.parquet'), then opinion.{func}('posts.parquet', ...)")
    return [paths] if isinstance(paths, (str, Path)) else list(paths)


def check_options(func: str, options: Collection[str], valid: Collection[str]) -> None:
    """An :class:`InputError` naming the first of ``options`` not in ``valid``, and the valid ones.

    >>> check_options("export", ["format"], ["formats", "script"])
    Traceback (most recent call last):
    opinion.errors.InputError: opinion.export: unknown option 'format' (did you mean 'formats'?); valid: formats, script
    """
    unknown = sorted(set(options) - set(valid))
    if unknown:
        close = difflib.get_close_matches(unknown[0], valid, n=1, cutoff=0.8)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise InputError(f"opinion.{func}: unknown option {unknown[0]!r}{hint}; valid: {', '.join(sorted(valid))}")


def check_stage_options(func: str, stage: Callable[..., Any], options: Collection[str],
                        sections: Sequence[str] = (), *, positional: int = 1) -> dict[str, tuple[str, str]]:
    """Check ``options`` against the parameters of ``stage`` after the ``positional`` ones the
    front door passes, and the settings keywords of ``sections`` (a stand-in ``stage`` that
    takes only ``**kwargs`` is not checked); returns those settings keywords."""
    params = list(inspect.signature(stage).parameters.values())
    named = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
    own = [p.name for p in params[positional:] if p.kind in named]
    names = setting_keywords(sections)
    if own or not any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params):
        check_options(func, options, [*names, *own])
    return names


def setting_keywords(sections: Sequence[str]) -> dict[str, tuple[str, str]]:
    """Front-door keyword → (section, field) for every settings field of ``sections``: the
    field's name, or its :data:`RENAMED` name where ``engine`` (where the stages run) or
    another section's field has that name.

    >>> setting_keywords(["prepare"])["tokenizer"]
    ('prepare', 'engine')
    >>> setting_keywords(["topics", "export"])["period"], setting_keywords(["topics"])["period"]
    (('export', 'period'), ('topics', 'period'))
    """
    from opinion.config import SECTIONS
    from opinion.config_checks import user_fields

    fields = [(section, f.name) for section in sections for f in user_fields(SECTIONS[section])]
    renamed = {target: name for name, target in RENAMED.items()}
    clash = {"engine"} | {name for (s, name) in fields for (t, other) in fields if s != t and name == other}
    return {renamed[key] if key in renamed and key[1] in clash else key[1]: key for key in fields}


def _overrides(options: dict[str, Any], names: dict[str, tuple[str, str]]) -> dict[str, dict[str, Any]]:
    """Take the settings keywords out of ``options``, as section → field → value."""
    out: dict[str, dict[str, Any]] = {}
    for name in [k for k in options if k in names]:
        section, field = names[name]
        out.setdefault(section, {})[field] = options.pop(name)
    return out


def load(paths: str | Path | Sequence[str | Path], workspace: Workspace | str | Path,
         **options: Any) -> LoadReport:
    """Read files, folders or globs into a workspace (created if needed); same as ``opinion load``.

    Options: ``text_col``, ``date_col``, ``source_col``, ``id_col``, ``encoding``, ``replace`` …
    (:func:`opinion.io.load.load_corpus`). Rejected rows are in the workspace's rejects file.
    Example: ``opinion.load("微博.csv", "runs/demo", text_col="内容", date_col="发布时间")``.
    """
    from opinion.io.load import load_corpus

    check_stage_options("load", load_corpus, options, ["load"], positional=2)
    return load_corpus(_paths(paths, "load"), _folder(workspace), **options)


def prepare(ws: Workspace | str | Path, **options: Any) -> PrepareReport:
    """Clean, convert to Simplified, tokenise and count themes; same as ``opinion prepare``.

    Options: the fields of :class:`opinion.prepare.PrepareSettings` (``theme_files``,
    ``user_dicts``, ``stopwords`` …; its ``engine``, the tokenizer, as ``tokenizer``), which
    replace single values of what the workspace was prepared with, or a whole ``settings``; and
    ``workers``, ``force``, ``engine`` ("local" or "dask"), ``address``, ``flags``.
    Example: ``opinion.prepare("runs/demo", theme_files=["我的主题.toml"], workers=2)``.
    """
    from opinion.config import PrepareSettings, settings_for
    from opinion.prepare import prepare_workspace

    names = check_stage_options("prepare", prepare_workspace, options, ["prepare"])
    given = _overrides(options, names).get("prepare")
    ws = open_workspace(ws)
    if given:
        options["settings"] = settings_for(ws, PrepareSettings, options.get("settings"), given)
    return prepare_workspace(ws, **options)


def sentiment(ws: Workspace | str | Path, **options: Any) -> PartwiseReport:
    """Score sentiment and emotions of every prepared document; same as ``opinion sentiment``.

    Options: ``method`` ("model" or "lexicon"), ``neutral_band``, ``model_path``, ``workers``,
    ``force``, ``engine``, ``address`` (:func:`opinion.sentiment.score.score_workspace`).
    Example: ``opinion.sentiment("runs/demo", neutral_band=(0.4, 0.6))``.
    """
    from opinion.sentiment.score import score_workspace

    check_stage_options("sentiment", score_workspace, options)
    return score_workspace(open_workspace(ws), **options)


def topics(ws: Workspace | str | Path, **options: Any) -> TopicReport:
    """Fit topics on the prepared corpus and write the topic tables; same as ``opinion topics``.

    Options: those of :class:`opinion.TopicModel` (``nr_topics``, ``seed`` …) and ``workers``,
    ``force``, ``engine``, ``address`` (:func:`opinion.topics.stage.fit_topics`).
    Example: ``print("\\n".join(opinion.topics("runs/demo", nr_topics=12).lines()))``.
    """
    from opinion.topics.stage import fit_topics

    check_stage_options("topics", fit_topics, options, ["topics"])
    return fit_topics(open_workspace(ws), **options)


def export(ws: Workspace | str | Path, out: str | Path, **options: Any) -> list[Path]:
    """Write the report tables into the folder ``out``; same as ``opinion export``.

    Options: ``formats`` (csv, xlsx, md, html), ``script`` ("zh-Hans", "zh-Hant-TW" or "zh-HK"),
    ``lang``, ``period``, ``top`` (:func:`opinion.report.export_workspace`).
    Example: ``opinion.export("runs/demo", "报告", formats=["xlsx", "html"], script="zh-Hant-TW")``.
    """
    from opinion.report import export_workspace

    check_stage_options("export", export_workspace, options, positional=2)
    return export_workspace(open_workspace(ws), out, **options)


def run(paths: str | Path | Sequence[str | Path], workspace: Workspace | str | Path,
        **options: Any) -> PipelineResult:
    """Every stage, load to export (``WS/export`` unless ``out``); same as ``opinion run``.

    Options: every stage's settings fields by name, as the single-stage functions take them
    (``text_col``, ``theme_files``, ``method``, ``nr_topics``, ``formats`` …; prepare's tokenizer
    as ``tokenizer``, the topics' period as ``topic_period``: ``period`` is the export's, as in
    the CLI), over what the workspace was built with; and ``config``, ``overrides`` (section →
    field → value), ``replace``, ``workers``, ``engine``, ``address``, ``out``, ``echo``
    (:func:`opinion.pipeline.run_pipeline`).
    Example: ``opinion.run(["微博.csv"], "runs/demo", text_col="内容", nr_topics=12)``.
    """
    from opinion.config import SECTIONS
    from opinion.pipeline import run_pipeline

    names = check_stage_options("run", run_pipeline, options, list(SECTIONS), positional=2)
    given = _overrides(options, names)
    overrides = {s: dict(v) for s, v in (options.pop("overrides", None) or {}).items()}
    for section, values in given.items():  # the keywords win over ``overrides``, as flags over --config
        overrides.setdefault(section, {}).update(values)
    return run_pipeline([str(p) for p in _paths(paths, "run")], _folder(workspace),
                        overrides=overrides or None, **options)
