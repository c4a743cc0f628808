"""`opinion run`: load → prepare → sentiment → topics → export in one command;
`opinion config show`: the settings a workspace was built with, as TOML.

`run` takes every stage's settings options (declared once in :mod:`opinion.cli.options`)
and ``--config FILE``; what is left out keeps what the workspace was built with, so a re-run
redoes nothing::

    opinion run corpora/demo -w demo-workspace --date-from-filename --themes 我的主题.toml
    opinion config show -w demo-workspace > opinion.toml
    opinion run corpora/demo -w copy --config opinion.toml
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from opinion.cli.common import (
    AddressOpt,
    EngineOpt,
    WorkersOpt,
    WorkspaceOpt,
    handle_errors,
)
from opinion.cli.options import FLAGS, Given, with_settings

if TYPE_CHECKING:
    from opinion.pipeline import PipelineResult


@handle_errors
@with_settings(*FLAGS, run=True)
def run(
    paths: Annotated[list[str], typer.Argument(help="Files (.gz too), folders or globs.",
                                               show_default=False)],
    workspace: WorkspaceOpt,
    config: Annotated[Path | None, typer.Option(
        "--config", help="TOML settings (as `opinion config show` prints); the options given "
                         "here win over it.")] = None,
    replace: Annotated[bool, typer.Option(
        "--replace", help="Load again inputs that are already in the workspace.")] = False,
    workers: WorkersOpt = 0,
    engine: EngineOpt = "local",
    address: AddressOpt = None,
    out: Annotated[Path | None, typer.Option(
        "--out", help="Export folder (default: WORKSPACE/export).")] = None,
    *,
    given: Given,
) -> None:
    """Run load → prepare → sentiment → topics → export on PATHS, skipping what is already done."""
    from opinion.config import RunConfig
    from opinion.pipeline import run_pipeline

    overrides: dict[str, dict[str, Any]] = RunConfig.read_overrides(config) if config else {}
    for section, values in given.items():
        overrides.setdefault(section, {}).update(values)
    result = run_pipeline(paths, workspace, overrides=overrides, replace=replace,
                          workers=workers, engine=engine, address=address, out=out)
    typer.echo("")
    for timing in result.timings:
        typer.echo(f"{timing.stage:<10} {timing.seconds:7.1f} s")
    for notice in recap(result):
        typer.echo(f"\nnotice: {notice}")
    typer.echo(f"\nworkspace: {result.workspace}")
    for path in result.exported:
        typer.echo(f"exported:  {path}")
    typer.echo(f"explore:   opinion explore -w {result.workspace}")


def recap(result: PipelineResult) -> list[str]:
    """The notices repeated at the end of a run: what needs the user (warnings, rejected rows,
    skipped topics, the script hint), not which column was read as what (``load: columns: text
    'text' (…)``), which ``[load]`` has printed already, as `opinion load` prints it."""
    load = result.reports.get("load")
    described = {f"load: {note}" for note in (load.column_notes() if load is not None else [])}
    return [notice for notice in result.notices if notice not in described]


config_app = typer.Typer(name="config", no_args_is_help=True,
                         help="The settings a workspace was built with, as TOML for --config.")


@config_app.command("show")
@handle_errors
def show(workspace: WorkspaceOpt) -> None:
    """Print the settings of every stage of WORKSPACE as TOML (`opinion run --config` reads it)."""
    from opinion.config import RunConfig
    from opinion.io.workspace import Workspace

    config = RunConfig.from_workspace(Workspace.open(workspace))
    typer.echo(config.to_toml(), nl=False)
    for note in config.notes:  # also on stderr: `config show > run.toml` hides the file's comments
        typer.echo(note, err=True)


def register(app: typer.Typer) -> None:
    """Add `opinion run` and `opinion config` to `app`."""
    app.command("run")(run)
    app.add_typer(config_app, name="config")
