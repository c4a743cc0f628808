"""Shared pieces of the CLI: error handling, common options, progress bars."""

from __future__ import annotations

import contextlib
import functools
import sys
import warnings
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from opinion.errors import OpinionError, OpinionWarning
from opinion.io.atomic import is_storage_error, storage_error

F = TypeVar("F", bound=Callable[..., Any])

WorkspaceOpt = Annotated[
    Path, typer.Option("--workspace", "-w", help="Workspace folder (created by `opinion load`).")
]
WorkersOpt = Annotated[
    int, typer.Option("--workers", help="Processes to use; 0 means all cores.", min=0)
]
ScriptOpt = Annotated[
    str | None,
    typer.Option("--script", help="Script of what is shown: zh-Hans, zh-Hant-TW or zh-HK "
                 "(default: the script of the workspace's last export, else zh-Hans).",
                 show_default=False),
]


def shown_script(script: str | None, workspace: Path) -> str:
    """``--script`` as given; else the script the workspace's export was last made in (so
    ``opinion run --script zh-Hant-TW`` once is enough), else zh-Hans. Without ``--script``, a
    Simplified view of a mostly Traditional corpus prints the run's hint on stderr once
    (:func:`traditional_hint`), as `opinion run` does. A view calls it once."""
    from opinion.config import DEFAULT_SCRIPT, export_script

    chosen = script or export_script(workspace) or DEFAULT_SCRIPT
    if script is None:
        hint = traditional_hint(workspace, chosen)
        if hint:
            typer.echo(f"notice: {hint}", err=True)
    return chosen


def traditional_hint(workspace: Path, script: str) -> str | None:
    """The hint `opinion run` gives when most documents are Traditional and ``script`` is
    Simplified (``20 of 20 documents are in Traditional script … pass --script zh-Hant-TW …``: the
    run's own words, from :mod:`opinion.pipeline`), or None (another script, mostly Simplified,
    not prepared, no workspace)."""
    from opinion.errors import OpinionError
    from opinion.io.workspace import Workspace
    from opinion.pipeline import traditional_notice

    try:
        ws = Workspace.open(workspace)
    except OpinionError:  # the command itself says what is wrong with the workspace
        return None
    return traditional_notice(ws, script, given=False, shown="this output")


EngineOpt = Annotated[
    str,
    typer.Option("--engine", help="Where per-document stages run: local (a process pool) or "
                 "dask (a Dask cluster; needs the 'dask' extra)."),
]
AddressOpt = Annotated[
    str | None,
    typer.Option("--address", envvar="DASK_SCHEDULER_ADDRESS",
                 help="Dask scheduler, e.g. tcp://10.0.0.5:8786 (default: a local cluster)."),
]


def handle_errors(func: F) -> F:
    """Turn an :class:`OpinionError` into one line on stderr and exit code 1; an error about a
    parameter names its flag (``nr_topics`` → ``--nr-topics``). Each distinct
    :class:`OpinionWarning` of the command is one ``warning: ...`` line on stderr, printed when
    it is raised (:func:`warnings_to_stderr`)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            with warnings_to_stderr():
                return func(*args, **kwargs)
        except OpinionError as exc:
            from opinion.cli.options import flag_for

            message = exc.shown_as(flag_for(exc)) if exc.param else str(exc)
            typer.echo(f"error: {message}", err=True)
            raise typer.Exit(code=1) from None
        except OSError as exc:
            if not is_storage_error(exc):
                raise
            typer.echo(f"error: {storage_error(exc)}", err=True)
            raise typer.Exit(code=1) from None

    return wrapper  # type: ignore[return-value]


@contextlib.contextmanager
def warnings_to_stderr() -> Iterator[None]:
    """Inside: every distinct :class:`OpinionWarning` is printed once as ``warning: ...`` on
    stderr, whatever the warning filters outside (other warnings go where they went before)."""
    shown: set[str] = set()
    with warnings.catch_warnings():
        default = warnings.showwarning

        def show(message: Warning | str, category: type[Warning], *args: Any, **kwargs: Any) -> None:
            if not issubclass(category, OpinionWarning):
                default(message, category, *args, **kwargs)
            elif str(message) not in shown:
                shown.add(str(message))
                typer.echo(f"warning: {message}", err=True)

        warnings.simplefilter("always", OpinionWarning)
        warnings.showwarning = show
        yield


def progress(iterable: Iterable[Any], *, desc: str, total: int | None = None,
             unit: str = "it") -> Iterable[Any]:
    """A tqdm progress bar on stderr, shown only on a terminal (never in CI logs)."""
    from tqdm.auto import tqdm

    return tqdm(iterable, desc=desc, total=total, unit=unit, file=sys.stderr,
                disable=not sys.stderr.isatty(), dynamic_ncols=True)


def format_table(header: list[str], rows: list[list[str]], *, numeric_from: int) -> str:
    """A plain text table for the terminal; columns from ``numeric_from`` on are
    right-aligned, and CJK characters count as two columns."""
    from opinion.report.display import display_width

    def pad(text: str, width: int, right: bool) -> str:
        fill = " " * max(0, width - display_width(text))
        return fill + text if right else text + fill

    widths = [max(display_width(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    return "\n".join("  ".join(pad(str(c), widths[i], i >= numeric_from) for i, c in enumerate(row)).rstrip()
                     for row in [header, *rows])
