"""The `opinion` command line: thin commands over the library functions.

Each command group lives in its own module with a ``register(app)`` function; the
commands parse arguments, call a plain function and print. User errors
(:class:`opinion.errors.OpinionError`) become one line on stderr and exit code 1.
"""

from __future__ import annotations

import typer

from opinion.version import __version__

app = typer.Typer(
    name="opinion",
    help="Text mining for Chinese public-opinion analysis: load, clean, sentiment, topics, export.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"opinion {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Print the version and exit."),
) -> None:
    """Text mining for Chinese public-opinion analysis."""


def _register_all() -> None:
    from opinion.cli import (
        explore_cmd,
        export_cmd,
        load_cmd,
        run_cmd,
        sentiment_cmd,
        text_cmd,
        topics_cmd,
        words_cmd,
    )

    for module in (load_cmd, text_cmd, sentiment_cmd, topics_cmd, words_cmd, export_cmd, explore_cmd, run_cmd):
        module.register(app)


_register_all()


def main() -> None:
    """Entry point of the ``opinion`` console script."""
    app()
