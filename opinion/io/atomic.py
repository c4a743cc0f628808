"""Atomic file writes: a crash never leaves a half-written file behind.

The temporary file is ``.<name>.<pid>@<host>-<random>.tmp`` beside the target. A process
killed mid-write leaves it behind; the next atomic write into that folder (once per process
and folder) removes such files of processes no longer running (:func:`remove_stale_temporaries`).

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
import re
import shutil
import socket
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from opinion.errors import InputError, StorageError

# A full disk, a read-only folder or missing permissions: the user's to fix, not a bug.
STORAGE_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.ENAMETOOLONG}


# A temporary file of :func:`atomic_path` (or of a writer naming its own with :func:`temp_prefix`):
# ``.<name>.<pid>@<host>-<random>.tmp``; the host tag is required, so a user's ``.notes.2024-draft.tmp`` never matches
_TEMP = re.compile(r"^\..+\.(?P<pid>\d+)@(?P<host>[0-9a-f]{6})-[A-Za-z0-9_]+\.tmp$")
# mkstemp's names of older versions (no pid), beside the files opinion writes
_LEGACY = re.compile(r"^\..+\.(?:csv|tsv|xlsx|md|html|json|jsonl|parquet|png|gexf|graphml|txt|toml|duckdb)"
                     r"\.[a-z0-9_]{8}\.tmp$")
LEGACY_AGE = 3600.0  # seconds: a temporary file without a pid this old is a killed write's
FOREIGN_AGE = 86400.0  # one of another machine (a shared folder), whose pids cannot be checked
_HOST = hashlib.sha256(socket.gethostname().encode("utf-8", "replace")).hexdigest()[:6]
_swept: set[str] = set()  # folders already cleaned by this process


def is_storage_error(exc: OSError) -> bool:
    """Whether ``exc`` is a full disk or an unwritable folder (pyarrow gives no errno)."""
    return exc.errno in STORAGE_ERRORS or "No space left on device" in str(exc)


def storage_error(exc: OSError) -> str:
    """One line for an OSError of the storage: what failed, where, and what to do."""
    where = f"{exc.filename}: " if exc.filename else ""
    reason = exc.strerror or str(exc)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT) or "No space left" in reason:
        fix = "the disk is full; free some space (or use a workspace on another disk) and run again"
    elif exc.errno == errno.ENAMETOOLONG:  # a name made from a long source or theme name
        fix = "the file name is too long for this disk; give the source or theme a shorter name"
    else:
        fix = "the folder is not writable; check its permissions, or use another folder"
    return f"{where}cannot write ({reason}); {fix}"


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str], *, durable: bool = True) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; move it into place only on success.

    ``durable=False`` skips the ``fsync`` (for files made durable later, together, with
    :func:`sync_files`). A full disk or a folder that cannot be written raises
    :class:`StorageError` (one line saying what to do), and the half-written file is removed;
    a ``path`` that is a folder, or lies under a file, raises :class:`InputError` before
    anything is written (:func:`check_file_target`).
    """
    target = Path(path)
    tmp: Path | None = None
    check_file_target(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        if str(target.parent) not in _swept:
            _swept.add(str(target.parent))
            remove_stale_temporaries(target.parent)
        fd, tmp_name = tempfile.mkstemp(prefix=temp_prefix(target.name), suffix=".tmp", dir=target.parent)
        os.close(fd)
        tmp = Path(tmp_name)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600 files; give the usual mode
        yield tmp
        if durable:
            with open(tmp, "rb+") as fh:
                os.fsync(fh.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        if exc.errno in (errno.EISDIR, errno.ENOTDIR, errno.EEXIST):  # made a folder (or file) meanwhile
            check_file_target(target)
        if not is_storage_error(exc):
            raise
        if exc.filename is None or str(exc.filename) == str(tmp):
            exc.filename = str(target)
        raise StorageError(storage_error(exc)) from None
    finally:
        if tmp is not None and tmp.exists():
            tmp.unlink()


def check_file_target(target: Path) -> None:
    """Refuse, in one line, a file to write that is a folder or lies under a file:
    ``check_file_target(Path("导出"))`` → ``导出 is a folder; give a file inside it, such as 导出/out.csv``."""
    try:
        folder = target.is_dir()
    except OSError:  # a name over the file system's limit: the write says so in its own line
        return
    if folder:
        example = target / f"out{target.suffix or '.csv'}"
        raise InputError(f"{target} is a folder, not a file; give a file inside it, such as {example}")
    blocking = None if target.parent.is_dir() else next((p for p in target.parents if p.is_file()), None)
    if blocking is not None:
        raise InputError(f"{target}: {blocking} is a file, not a folder; give a path in a folder")


def temp_prefix(name: str) -> str:
    """The start of a temporary file's name for ``name`` that :func:`remove_stale_temporaries`
    recognises once its process is gone: ``temp_prefix("报告.csv") == ".报告.csv.4242@1a2b3c-"``."""
    return f".{name}.{os.getpid()}@{_HOST}-"


def remove_stale_temporaries(folder: str | os.PathLike[str]) -> list[Path]:
    """Delete the temporary files (and staging folders named alike) killed writes left in
    ``folder``; return them.

    ``.report.xlsx.4242@1a2b3c-k3j5d8.tmp`` goes when process 4242 of this machine is no
    longer running; one without a pid (older versions) once it is an hour old, one of another
    machine once it is a day old. A live process's temporary file is never removed, nor any
    file not named so. Errors are ignored: cleaning never stops a write.
    Example: ``remove_stale_temporaries("报告")``.
    """
    removed = []
    now = time.time()
    try:
        candidates = [p for p in Path(folder).glob(".*.tmp") if p.is_file() or _TEMP.match(p.name)]
    except OSError:
        return []
    for path in candidates:
        with contextlib.suppress(OSError):
            if _stale(path, now):
                if path.is_dir():  # a staging folder (an export's files before they are moved in)
                    shutil.rmtree(path)
                else:
                    path.unlink()
                removed.append(path)
    return removed


def _stale(path: Path, now: float) -> bool:
    """Whether the temporary file ``path`` is a dead process's (``now``: the time)."""
    match = _TEMP.match(path.name)
    if match is None:
        return _LEGACY.match(path.name) is not None and now - path.stat().st_mtime > LEGACY_AGE
    if match["host"] != _HOST or os.name == "nt":  # no pid to check here
        return now - path.stat().st_mtime > FOREIGN_AGE
    return not process_running(int(match["pid"]))


def process_running(pid: int) -> bool:
    """Whether process ``pid`` of this machine is running (POSIX; os.kill would end it on Windows)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process
        return True
    return True


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
