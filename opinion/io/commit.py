"""How a load becomes visible: parts staged aside, then committed with the manifest.

A load writes each input's parts into ``WS/.staging/corpus/`` and its rejected rows into
memory. Every few inputs, :meth:`LoadBatch.commit`

1. writes the batch's rejects to ``WS/.staging/rejects.csv`` and makes the staged parts
   durable (one ``sync`` for the batch, not one ``fsync`` per part);
2. saves the manifest with the batch's inputs and a ``commit`` note naming them: this
   atomic write is the commit point;
3. moves the staged parts into ``WS/corpus/``, removes the parts of replaced inputs,
   appends the rejects to ``WS/rejects.csv`` and saves the manifest without the note.

The manifest's ``load_pending`` lists the inputs the running load has still to commit (each
commit takes its inputs off, the last one removes the list): a killed load leaves the list,
:func:`pending_inputs` reads it, and the same ``opinion load`` command run again loads them
(inputs already loaded and unchanged are skipped).

A load killed before step 2 leaves only the staging folder, which the next writer deletes:
nothing of it was ever visible. Killed after step 2, the next writer finishes step 3
(:func:`recover_load`). Commits come after 1 input, then whenever the inputs waiting are a
half of those committed (or 30 s have passed), so loading N inputs rewrites the manifest
O(log N) times, not N times::

    >>> batch = LoadBatch(ws)  # doctest: +SKIP
    >>> batch.add(entry, rejects, replaced=None); batch.commit()  # doctest: +SKIP
"""

from __future__ import annotations

import os
import shutil
import time
from typing import Any

from opinion import schema as S
from opinion.errors import some_of
from opinion.io.atomic import sync_files
from opinion.io.dedup import part_key
from opinion.io.rejects import append_rejects, read_rejects, remove_rejects
from opinion.io.workspace import Workspace

STAGING = ".staging"
COMMIT = "commit"
PENDING = "load_pending"  # labels of the inputs the running (or a killed) load has not committed
COMMIT_SECONDS = 30.0
COMMIT_REJECTS = 100_000  # rejected rows held in memory before a commit


class LoadBatch:
    """Inputs loaded but not yet visible; :meth:`commit` makes them visible together."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.folder = ws.root / STAGING / S.CORPUS
        self.entries: list[dict[str, Any]] = []
        self.replaced: list[str] = []
        self.rejects: list[dict[str, Any]] = []
        self.rewritten: list[str] = []  # staged parts of inputs kept, their duplicate_of redone
        self.counts: dict[str, int] = {}
        self.commits = 0
        self._since = time.monotonic()

    def add(self, entry: dict[str, Any], rejects: list[dict[str, Any]], *,
            replaced: str | None) -> None:
        """Queue one loaded input (its parts are in :attr:`folder`)."""
        self.entries.append(entry)
        self.rejects.extend(rejects)
        if replaced is not None:
            self.replaced.append(replaced)

    def rewrite(self, parts: list[str], counts: dict[str, int]) -> None:
        """Queue parts of inputs already loaded, staged again in :attr:`folder` with their
        ``duplicate_of`` redone, and those inputs' new duplicate counts (key -> count)."""
        self.rewritten.extend(parts)
        self.counts.update(counts)

    def due(self) -> bool:
        """Whether to commit now: enough inputs waiting, rejects held, or time passed."""
        committed = len(self.ws.manifest["inputs"])
        return (len(self.entries) >= max(1, committed // 2)
                or len(self.rejects) >= COMMIT_REJECTS
                or time.monotonic() - self._since >= COMMIT_SECONDS)

    def commit(self) -> None:
        """Make the queued inputs visible, all together (see the module docstring)."""
        if not self.entries and not self.rewritten:
            return
        ws, keys = self.ws, [entry["key"] for entry in self.entries]
        staged_rejects = ws.root / STAGING / "rejects.csv"
        staged_rejects.unlink(missing_ok=True)
        if self.rejects:
            append_rejects(staged_rejects, self.rejects)
        sync_files(sorted(self.folder.glob("*.parquet")) if self.folder.is_dir() else [])
        gone = set(self.replaced)
        ws.manifest["inputs"] = [e for e in ws.manifest["inputs"] if e["key"] not in gone]
        ws.manifest["inputs"].extend(self.entries)
        for entry in ws.manifest["inputs"]:
            if entry["key"] in self.counts:
                entry["duplicates"] = self.counts[entry["key"]]
        ws.manifest[COMMIT] = {"keys": keys, "replaced": self.replaced, "rewritten": self.rewritten}
        _take_off_pending(ws, {entry["label"] for entry in self.entries})
        ws.save_manifest()  # the commit point
        _apply(ws, recovering=False)
        self.entries, self.replaced, self.rejects, self.rewritten, self.counts = [], [], [], [], {}
        self.commits += 1
        self._since = time.monotonic()


def _apply(ws: Workspace, *, recovering: bool) -> None:
    """Step 3 of a commit recorded in the manifest; safe to repeat after a crash."""
    note = ws.manifest[COMMIT]
    keys = set(note["keys"]) | set(note["replaced"])
    keep = {part for entry in ws.manifest["inputs"] if entry["key"] in keys
            for part in entry.get("parts", [])}
    rewritten = set(note.get("rewritten", []))  # parts of inputs kept, duplicate_of redone
    for part in ws.parts(S.CORPUS):
        if part_key(part) in keys and part not in keep:
            ws.remove_part(S.CORPUS, part)  # a replaced input's parts
    folder = ws.root / STAGING / S.CORPUS
    if folder.is_dir():
        ws.table_dir(S.CORPUS).mkdir(exist_ok=True)
        for path in sorted(folder.glob("*.parquet")):
            if (path.stem in keep or path.stem in rewritten) and not path.name.startswith("."):
                os.replace(path, ws.part_path(S.CORPUS, path.stem))
    if recovering or note["replaced"]:
        remove_rejects(ws.rejects_path, keys)
    staged_rejects = ws.root / STAGING / "rejects.csv"
    rows = list(read_rejects(staged_rejects)) if staged_rejects.exists() else []
    append_rejects(ws.rejects_path, rows)
    del ws.manifest[COMMIT]
    ws.save_manifest()
    shutil.rmtree(ws.root / STAGING, ignore_errors=True)


def recover_load(ws: Workspace) -> str | None:
    """Finish a commit a killed load recorded, or drop what it staged; says which.

    Call only while holding the workspace's write lock.
    """
    if COMMIT in ws.manifest:
        _apply(ws, recovering=True)
        return "finished the commit of an interrupted load"
    if (ws.root / STAGING).exists():
        shutil.rmtree(ws.root / STAGING, ignore_errors=True)
        return "removed the uncommitted parts of an interrupted load"
    return None


def remove_orphan_parts(ws: Workspace) -> None:
    """Corpus parts no input of the manifest owns (left by older versions of the loader)."""
    keys = {entry["key"] for entry in ws.manifest["inputs"]}
    for part in ws.parts(S.CORPUS):
        if part_key(part) not in keys:
            ws.remove_part(S.CORPUS, part)


def mark_pending(ws: Workspace, labels: list[str]) -> None:
    """Record the inputs a load is about to read (``["微博/2.14.csv.gz", "微博/3.17.csv.gz"]``)
    before it reads them; each commit takes its own off (:meth:`LoadBatch.commit`). Inputs an
    earlier, interrupted load left pending stay listed until they are loaded: a load of other
    files does not hide that ``b`` of ``opinion load a b`` never came in."""
    left = [label for label in pending_inputs(ws) if label not in set(labels)]
    ws.manifest.pop(PENDING, None)
    if left or labels:
        ws.manifest[PENDING] = [*left, *labels]
    ws.save_manifest()


def _take_off_pending(ws: Workspace, labels: set[str]) -> None:
    left = [label for label in pending_inputs(ws) if label not in labels]
    ws.manifest.pop(PENDING, None)
    if left:
        ws.manifest[PENDING] = left


def pending_inputs(ws: Workspace) -> list[str]:
    """Inputs an interrupted load was to read but never committed: ``["微博/4.4.csv.gz"]``;
    [] when the last load finished."""
    value = ws.manifest.get(PENDING)
    return [str(label) for label in value] if isinstance(value, list) else []


def pending_note(labels: list[str]) -> str:
    """What to tell the user of ``labels`` (:func:`pending_inputs`): the corpus lacks them."""
    return (f"the last `opinion load` was interrupted: {len(labels)} input(s) not loaded "
            f"({some_of(labels, 3)}), so the corpus is partial; run the same `opinion load` "
            "command again to load them (inputs already loaded are skipped)")
