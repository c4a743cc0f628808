"""`opinion run`: load → prepare → sentiment → topics → export in one command.

It takes every flag of `opinion load` (so a corpus is described once) plus the settings
of the later stages, and skips what is already done::

    opinion run corpora/demo -w demo-workspace --date-from-filename
"""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Annotated, Any

import typer

from opinion.cli import load_cmd
from opinion.cli.common import (
    AddressOpt,
    EngineOpt,
    ScriptOpt,
    WorkersOpt,
    handle_errors,
)

_LOAD_PARAMS = [p for p in inspect.signature(inspect.unwrap(load_cmd.load), eval_str=True)
                .parameters.values()]
_LOAD_OPTION_NAMES = [p.name for p in _LOAD_PARAMS if p.name not in ("paths", "workspace")]


def _run_options(
    workers: WorkersOpt = 0,
    engine: EngineOpt = "local",
    address: AddressOpt = None,
    embedding: Annotated[str | None, typer.Option(
        help="Document embedder for topics (default: the topic stage's default).")] = None,
    seed: Annotated[int, typer.Option(help="Random seed of the topic model.")] = 42,
    nr_topics: Annotated[str, typer.Option(
        "--nr-topics", help="'auto' or the number of topics.")] = "auto",
    min_topic_size: Annotated[int | None, typer.Option(
        "--min-topic-size", help="Smaller clusters are outliers, then reassigned.", min=1)] = None,
    export_format: Annotated[str, typer.Option(
        "--export-format", help="Export formats, comma-separated: csv,xlsx,md,html or all.")
    ] = "all",
    script: ScriptOpt = "zh-Hans",
    out: Annotated[Path | None, typer.Option(
        "--out", help="Export folder (default: WORKSPACE/export).")] = None,
) -> None:
    """Only a holder of the run-specific options' declarations."""


def _run(**kwargs: Any) -> None:
    from opinion.pipeline import run_pipeline
    from opinion.report.export import parse_formats

    load_kwargs = load_cmd.load_options(**{name: kwargs[name] for name in _LOAD_OPTION_NAMES})
    result = run_pipeline(
        kwargs["paths"], kwargs["workspace"], load_options=load_kwargs,
        workers=kwargs["workers"], engine=kwargs["engine"], address=kwargs["address"],
        topic_options=_topic_options(kwargs), export_formats=parse_formats(kwargs["export_format"]),
        script=kwargs["script"], out=kwargs["out"],
    )
    typer.echo("")
    for timing in result.timings:
        typer.echo(f"{timing.stage:<10} {timing.seconds:7.1f} s")
    for notice in result.notices:
        typer.echo(f"\nnotice: {notice}")
    typer.echo(f"\nworkspace: {result.workspace}")
    for path in result.exported:
        typer.echo(f"exported:  {path}")
    typer.echo(f"explore:   opinion explore -w {result.workspace}")


def _topic_options(kwargs: dict[str, Any]) -> dict[str, Any]:
    """The `fit_topics` keywords from the run flags (unset flags keep the stage's defaults)."""
    from opinion.cli.topics_cmd import parse_nr_topics

    options: dict[str, Any] = {"seed": kwargs["seed"], "nr_topics": parse_nr_topics(kwargs["nr_topics"])}
    for name in ("embedding", "min_topic_size"):
        if kwargs[name] is not None:
            options[name] = kwargs[name]
    return options


def _build_command() -> Any:
    """`run` with `load`'s parameters followed by the run-specific ones."""
    extra = list(inspect.signature(_run_options, eval_str=True).parameters.values())
    params = [*_LOAD_PARAMS, *extra]

    def run(**kwargs: Any) -> None:
        _run(**kwargs)

    run.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    run.__annotations__ = {p.name: p.annotation for p in params}
    run.__doc__ = ("Run load → prepare → sentiment → topics → export on PATHS, "
                   "skipping what is already done.")
    return handle_errors(run)


def register(app: typer.Typer) -> None:
    """Add `opinion run` to `app`."""
    app.command("run")(_build_command())
