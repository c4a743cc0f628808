"""Errors raised by opinion.

Every error a user can cause is an :class:`OpinionError`. The CLI catches it at the
command boundary, prints its message as one line and exits with code 1, so the message
must name the file, the row and what to do, e.g.::

    raise InputError("weibo.csv row 12: no text column; found [id, 内容x]; pass --text-col")
"""

from __future__ import annotations


class OpinionError(Exception):
    """Base class for errors caused by input or usage, shown to users as one line.

    ``param`` names the parameter at fault (a settings field such as ``nr_topics``) and the
    message is written to follow it: it reads ``nr_topics must be ...`` from Python, and the
    CLI shows the flag instead (``--nr-topics must be ...``), so library messages never
    name CLI flags::

        raise InputError("must be 'auto' or a whole number ≥ 2; got '二十'", param="nr_topics")
    """

    def __init__(self, message: str = "", *, param: str | None = None) -> None:
        super().__init__(message)
        self.detail = message
        self.param = param

    def __str__(self) -> str:
        return f"{self.param} {self.detail}" if self.param else super().__str__()

    def shown_as(self, name: str) -> str:
        """The message with the parameter written as ``name`` (e.g. its CLI flag)."""
        return f"{name} {self.detail}" if self.param else str(self)


class InputError(OpinionError):
    """An input file or value that cannot be used as given."""


class WorkspaceError(OpinionError):
    """A workspace that is missing, corrupt, or lacks a stage's output."""


class StorageError(OpinionError):
    """A file could not be written: the disk is full, or the folder is not writable."""


class NotFittedError(InputError, RuntimeError):
    """A model or embedder was used before ``fit`` (or ``load``): the one "not fitted" error
    of the package, e.g. ``TopicModel().transform(["物流很快"])``."""


class StageOrderError(WorkspaceError):
    """A stage was run before the stage whose output it needs."""


class MissingExtraError(OpinionError, ImportError):
    """An optional dependency is not installed; the message names the extra."""

    def __init__(self, package: str, extra: str, purpose: str = "") -> None:
        what = f" for {purpose}" if purpose else ""
        super().__init__(
            f"{package} is needed{what} but is not installed; "
            f"install it with: pip install 'opinion[{extra}]'"
        )
        self.package = package
        self.extra = extra


def require(module: str, extra: str, purpose: str = ""):
    """Import and return an optional module, or raise :class:`MissingExtraError`."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise MissingExtraError(module, extra, purpose) from exc


def some_of(items: list[str], shown: int, separator: str = ", ") -> str:
    """The first ``shown`` of ``items`` for a message, and how many more there are:
    ``some_of(["a.csv", "b.csv", "c.csv"], 2) == "a.csv, b.csv and 1 more"``."""
    more = f" and {len(items) - shown} more" if len(items) > shown else ""
    return separator.join(items[:shown]) + more


class OpinionWarning(Warning):
    """Something the user should know that does not stop the work, e.g. topic edits made on an
    earlier topic model. Raised with :func:`warnings.warn`; the CLI prints each one as a
    ``warning: ...`` line on stderr (:func:`opinion.cli.common.handle_errors`), Python callers see
    it as a warning, and a test catches it with ``pytest.warns`` — no logging set-up is involved::

        warnings.warn(OpinionWarning("3 topic edit(s) were made on an earlier topic model ..."), stacklevel=2)

    A category of its own, not a :class:`UserWarning` (since 2026-12-07): libraries silence
    ``UserWarning`` when imported (BERTopic does), which hid these lines in any command that
    imported them after the CLI set its filter.
    """
