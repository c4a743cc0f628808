"""CLI commands of the sentiment stage (filled in by the sentiment work)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add this module's commands to `app`."""
