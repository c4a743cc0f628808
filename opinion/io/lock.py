"""One writer per workspace: an operating-system lock on ``WS/.lock``.

Every command that writes a workspace (load, prepare, sentiment, topics, export, run) holds
the lock while it works; a second writer stops at once with one line naming the holder::

    runs/weibo: in use by pid 4242 (opinion run data -w runs/weibo, since 09:12:03 UTC); wait
    for it to finish, or stop it: one command writes a workspace at a time

The lock is ``flock`` (``msvcrt.locking`` on Windows), which the system drops when its
process ends, however it ends: the lock of a killed run never blocks the next one. The lock
is re-entrant within a process, so ``opinion run`` holds it once over all its stages.

Example:
    >>> with workspace_lock("runs/weibo"):  # doctest: +SKIP
    ...     prepare_workspace("runs/weibo")
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import functools
import json
import os
import sys
import threading
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any, TypeVar

from opinion.errors import OpinionWarning, WorkspaceError
from opinion.io.workspace import LOCK_FILE

F = TypeVar("F", bound=Callable[..., Any])


class WorkspaceBusyError(WorkspaceError):
    """Another process is writing the workspace."""


class ReadOnlyWorkspaceError(WorkspaceError):
    """The workspace folder cannot be written (permissions, a read-only disk)."""


_held: dict[str, list[Any]] = {}  # resolved root -> [open lock file, depth]
_guard = threading.Lock()


def _command_line() -> str:
    name = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else "python"
    if name in ("__main__.py", "-m", "-c", ""):
        name = "opinion"
    return " ".join([name, *sys.argv[1:]])[:300]


def _try_lock(fh: IO[str]) -> bool:
    """Take the lock without waiting; False when another process holds it."""
    try:
        import fcntl
    except ImportError:  # Windows: lock one byte far past the holder's note
        import msvcrt

        fh.seek(1 << 20)
        try:
            msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined] # Windows only
        except OSError:
            return False
        return True
    try:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        if exc.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
            return False
        raise
    return True


def _holder(path: Path) -> str:
    """``pid 4242 (opinion run ..., since 09:12:03 UTC)`` from the holder's note."""
    try:
        note = json.loads(path.read_text(encoding="utf-8") or "{}")
        return f"pid {note['pid']} ({note['command']}, since {note['since']})"
    except (OSError, ValueError, KeyError, TypeError):
        return "another process"


def _open(path: Path) -> IO[str]:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        return open(path, "a+", encoding="utf-8")
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise ReadOnlyWorkspaceError(f"{path.parent}: cannot write the workspace ({reason}); a command "
                             "that writes needs a writable folder (check its permissions, or "
                             "copy the workspace somewhere writable)") from None


def _script_rerun_here() -> str | None:
    """The script this process is running again while it starts as a ``spawn`` worker, or None:
    multiprocessing runs the parent's script as ``__mp_main__`` before the worker is set up (so
    ``multiprocessing.parent_process()`` is still None), and its top level, outside
    ``if __name__ == "__main__":``, is then on the stack."""
    frame = sys._getframe(1)
    while frame is not None:
        if frame.f_code.co_name == "<module>" and frame.f_globals.get("__name__") == "__mp_main__":
            return str(frame.f_globals.get("__file__") or "the script")
        frame = frame.f_back  # type: ignore[assignment]
    return None


@contextlib.contextmanager
def workspace_lock(root: str | Path) -> Iterator[None]:
    """Hold the write lock of the workspace at ``root`` (created if missing) for the block.

    Raises :class:`WorkspaceBusyError` naming the holder when another process has it. A worker
    process that is re-running its parent's unguarded script exits with one line naming the
    fix (a traceback there would blame its own parent for holding the lock).
    """
    if (script := _script_rerun_here()) is not None:
        raise SystemExit(f"error: {script}: a worker process started by this script is running it "
                         "again (multiprocessing's spawn imports it anew); put the script's calls "
                         "under `if __name__ == \"__main__\":`, or pass workers=1")
    key = str(Path(root).resolve())
    with _guard:
        held = _held.get(key)
        if held is not None:
            held[1] += 1
        else:
            path = Path(key) / LOCK_FILE
            fh = _open(path)
            if not _try_lock(fh):
                fh.close()
                raise WorkspaceBusyError(
                    f"{root}: in use by {_holder(path)}; wait for it to finish, or stop it: "
                    "one command writes a workspace at a time")
            fh.seek(0)
            fh.truncate()
            since = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
            fh.write(json.dumps({"pid": os.getpid(), "command": _command_line(),
                                 "since": since}, ensure_ascii=False))
            fh.flush()
            _held[key] = [fh, 1]
    try:
        yield
    finally:
        with _guard:
            held = _held[key]
            held[1] -= 1
            if held[1] == 0:
                del _held[key]
                held[0].close()  # closing the file releases the lock


def holds_lock(root: str | Path) -> bool:
    """Whether this process holds the write lock of ``root``."""
    return str(Path(root).resolve()) in _held


def writes_workspace(func: F) -> F:
    """Run ``func(ws, ...)`` holding the write lock of its workspace (first argument: a
    :class:`~opinion.io.workspace.Workspace`, or a path). A folder that is not a workspace
    is passed through untouched (``func`` reports it). An interrupted load's inputs not yet
    loaded (:func:`opinion.io.commit.pending_inputs`) are an :class:`OpinionWarning`."""

    @functools.wraps(func)
    def wrapper(ws: Any, *args: Any, **kwargs: Any) -> Any:
        from opinion.io.commit import pending_inputs, pending_note, recover_load
        from opinion.io.workspace import MANIFEST, Workspace

        root = ws.root if isinstance(ws, Workspace) else Path(ws)  # Path("w").root is "/"
        if holds_lock(root) or not (root / MANIFEST).exists():
            return func(ws, *args, **kwargs)
        with workspace_lock(root):
            if isinstance(ws, Workspace):
                ws.reload()  # another writer may have changed it before we held the lock
            opened = ws if isinstance(ws, Workspace) else Workspace.open(root)
            recover_load(opened)
            if pending := pending_inputs(opened):  # a partial corpus: say so, every stage
                warnings.warn(OpinionWarning(pending_note(pending)), stacklevel=2)
            return func(ws, *args, **kwargs)

    return wrapper  # type: ignore[return-value]


def exports_workspace(func: F) -> F:
    """Like :func:`writes_workspace` (no stage writes while the report is read), but a
    read-only workspace can still be exported to a folder elsewhere."""
    locked = writes_workspace(func)

    @functools.wraps(func)
    def wrapper(ws: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return locked(ws, *args, **kwargs)
        except ReadOnlyWorkspaceError:
            return func(ws, *args, **kwargs)

    return wrapper  # type: ignore[return-value]
