"""The `opinion` command line: thin commands over the library functions.

Each command group lives in its own module with a ``register(app)`` function; the
commands parse arguments, call a plain function and print. User errors
(:class:`opinion.errors.OpinionError`) become one line on stderr and exit code 1.
"""

from __future__ import annotations

import sys

import typer

from opinion.version import __version__

COMMAND_MODULES = ("load_cmd", "text_cmd", "sentiment_cmd", "topics_cmd", "words_cmd", "export_cmd",
                   "explore_cmd", "run_cmd")  # each has ``register(app)``; this order is the help's
# Commands whose start is waited on, with the one module each needs: ``opinion explore`` serves
# a page the user is waiting for, and the other modules' imports (jieba's and OpenCC's settings,
# the export options: about 0.2 s) would come before the server answers.
LIGHT_COMMANDS = {"explore": "explore_cmd"}


def _version(value: bool) -> None:
    if value:
        typer.echo(f"opinion {__version__}")
        raise typer.Exit()


def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Print the version and exit."),
) -> None:
    """Text mining for Chinese public-opinion analysis."""


def build_app(modules: tuple[str, ...] = COMMAND_MODULES) -> typer.Typer:
    """The ``opinion`` command with the commands of ``modules`` (default: all of them)."""
    import importlib

    built = typer.Typer(
        name="opinion",
        help="Text mining for Chinese public-opinion analysis: load, clean, sentiment, topics, export.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    built.callback()(_root)
    for name in modules:
        importlib.import_module(f"opinion.cli.{name}").register(built)
    return built


def full_app() -> typer.Typer:
    """The whole command line, built once (also as ``opinion.cli.app``)."""
    if "app" not in globals():
        globals()["app"] = build_app()
    return globals()["app"]


def __getattr__(name: str) -> typer.Typer:
    """``opinion.cli.app``: :func:`full_app`, built on first use."""
    if name != "app":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return full_app()


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``opinion`` console script.

    ``opinion explore`` builds only its own command (:data:`LIGHT_COMMANDS`); ``opinion
    --help`` and every other command build them all.
    """
    args = sys.argv[1:] if argv is None else argv
    light = LIGHT_COMMANDS.get(args[0]) if args else None
    (build_app((light,)) if light else full_app())(args=args, prog_name="opinion")
