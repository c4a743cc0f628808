"""Atomic file writes: a crash never leaves a half-written file behind.

Example:
    >>> with atomic_path("ws/rejects.csv") as tmp:  # doctest: +SKIP
    ...     df.to_csv(tmp, index=False)
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from opinion.errors import StorageError

# A full disk, a read-only folder or missing permissions: the user's to fix, not a bug.
STORAGE_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM}


def is_storage_error(exc: OSError) -> bool:
    """Whether ``exc`` is a full disk or an unwritable folder (pyarrow gives no errno)."""
    return exc.errno in STORAGE_ERRORS or "No space left on device" in str(exc)


def storage_error(exc: OSError) -> str:
    """One line for an OSError of the storage: what failed, where, and what to do."""
    where = f"{exc.filename}: " if exc.filename else ""
    reason = exc.strerror or str(exc)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT) or "No space left" in reason:
        fix = "the disk is full; free some space (or use a workspace on another disk) and run again"
    else:
        fix = "the folder is not writable; check its permissions, or use another folder"
    return f"{where}cannot write ({reason}); {fix}"


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str], *, durable: bool = True) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; move it into place only on success.

    ``durable=False`` skips the ``fsync`` (for files made durable later, together, with
    :func:`sync_files`). A full disk or a folder that cannot be written raises
    :class:`StorageError` (one line saying what to do), and the half-written file is removed.
    """
    target = Path(path)
    tmp: Path | None = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp",
                                        dir=target.parent)
        os.close(fd)
        tmp = Path(tmp_name)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600 files; give the usual mode
        yield tmp
        if durable:
            with open(tmp, "rb+") as fh:
                os.fsync(fh.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        if not is_storage_error(exc):
            raise
        if exc.filename is None or str(exc.filename) == str(tmp):
            exc.filename = str(target)
        raise StorageError(storage_error(exc)) from None
    finally:
        if tmp is not None and tmp.exists():
            tmp.unlink()


def sync_files(paths: list[Path]) -> None:
    """Make files written with ``durable=False`` durable: one ``sync`` where the system
    has it (one journal commit, however many files), else an ``fsync`` per file."""
    try:
        if hasattr(os, "sync"):
            os.sync()
            return
        for path in paths:
            with open(path, "rb+") as fh:
                os.fsync(fh.fileno())
    except OSError as exc:
        if not is_storage_error(exc):
            raise
        raise StorageError(storage_error(exc)) from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_text_atomic(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` as UTF-8 to ``path`` atomically."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def write_json_atomic(path: str | os.PathLike[str], obj: Any) -> None:
    """Write ``obj`` as pretty UTF-8 JSON (Chinese kept readable) atomically."""
    write_text_atomic(path, json.dumps(obj, ensure_ascii=False, indent=2, default=str) + "\n")


def fingerprint(obj: Any) -> str:
    """A stable short hash of a JSON-serialisable object, for "has this changed?" checks."""
    blob = json.dumps(obj, ensure_ascii=False, sort_keys=True, default=str).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()[:16]


def file_sha256(path: str | os.PathLike[str], chunk_size: int = 1 << 20) -> str:
    """SHA-256 of a file's bytes, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(chunk_size), b""):
            digest.update(block)
    return digest.hexdigest()
