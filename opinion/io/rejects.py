"""``WS/rejects.csv``: every row that could not be loaded, with where and why.

Columns: ``file, row, reason, raw, input_key`` (UTF-8 with BOM so Excel shows Chinese).
A cell a spreadsheet would run as a formula gets a leading ``'`` (:mod:`opinion.io.safety`);
a file name in GBK bytes or a lone surrogate is written readably (:func:`~opinion.io.sources.readable`).
Rows are appended per input; ``--replace`` removes the rows of the replaced input. Every
write is atomic::

    >>> append_rejects(Path("ws/rejects.csv"), [{"file": "a.csv", "row": 3,
    ...     "reason": "empty text", "raw": "1,", "input_key": "a"}])  # doctest: +SKIP
"""

from __future__ import annotations

import csv
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from opinion.io.atomic import atomic_path

REJECT_COLUMNS = ("file", "row", "reason", "raw", "input_key")
# Below csv's default field limit (131,072), so any CSV reader can read the file back.
MAX_RAW_CHARS = 100_000


def _clip(raw: str) -> str:
    if len(raw) <= MAX_RAW_CHARS:
        return raw
    return raw[:MAX_RAW_CHARS] + f"…[{len(raw) - MAX_RAW_CHARS} more characters in the file]"


def append_rejects(path: Path, rows: list[dict[str, Any]]) -> None:
    """Add ``rows`` to the rejects file (created with its header if missing)."""
    if not rows and path.exists():
        return
    from opinion.io.safety import neutralise  # the exports' rule: no live formula in any cell
    from opinion.io.sources import readable  # a GBK file name, half an emoji: written as text

    with atomic_path(path) as tmp:
        if path.exists():
            shutil.copyfile(path, tmp)
        with open(tmp, "a", encoding="utf-8-sig" if not path.exists() else "utf-8",
                  newline="") as fh:
            writer = csv.writer(fh)
            if not path.exists():
                writer.writerow(REJECT_COLUMNS)
            for row in rows:
                writer.writerow([neutralise(readable(row["file"])), row["row"],
                                 neutralise(readable(row["reason"])),
                                 neutralise(readable(_clip(row["raw"]))), row["input_key"]])


def read_rejects(path: Path) -> Iterable[dict[str, str]]:
    """The rows of a rejects file, as dicts of strings."""
    if not path.exists():
        return
    with open(path, encoding="utf-8-sig", newline="") as fh:
        yield from csv.DictReader(fh)


def remove_rejects(path: Path, keys: set[str]) -> None:
    """Drop the rows of the inputs ``keys`` (used by ``--replace``)."""
    if not path.exists():
        return
    kept = [row for row in read_rejects(path) if row.get("input_key") not in keys]
    with atomic_path(path) as tmp:
        with open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(REJECT_COLUMNS), extrasaction="ignore")
            writer.writeheader()
            writer.writerows(kept)
