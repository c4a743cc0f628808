"""Word counts kept in the workspace (``WS/words/``) so that views are computed once.

Keywords and word clouds start from the word counts of each group. Counting the tokens of
620k posts takes half a minute, so the counts of each grouping are saved as
``WS/words/counts_<key>.parquet``, where the key digests the grouping's parameters and the
(file, size, mtime) of the corpus, prepared, flags and topic tables: when a stage reruns, the key
changes and the counts are made again (older files of the same grouping are removed).
``opinion export`` (and so ``opinion run``) counts the periods for its keyword table and
clouds; the commands save what they count; the explorer reads these files but never writes.

Example:
    >>> load_counts(ws, {"by": "period"}) or save_counts(ws, {"by": "period"}, counts)  # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pandas as pd

from opinion import schema as S
from opinion.io.atomic import atomic_path
from opinion.io.workspace import Workspace

FOLDER = "words"
CACHE_VERSION = 4  # 2: Latin words counted in any case (opinion.words.forms); 3: near-duplicates and spam out;
# 4: the documents using each word of a group (docs), for keywords' --min-docs
Counts = tuple[pd.DataFrame, pd.Series, dict[str, int]]


def inputs_digest(ws: Workspace,
                  tables: tuple[str, ...] = (S.CORPUS, S.PREPARED, S.FLAGS, S.TOPIC_DOCS)) -> str:
    """A digest of (file, size, mtime_ns) of the tables word counts are made from (the part
    files of ``tables``, and, with the default tables, the whole-table topic files)."""
    files: list[Path] = []
    for name in tables:
        files += sorted(ws.table_dir(name).glob("*.parquet"))
    if S.TOPIC_DOCS in tables:
        files += [ws.table_path(S.TOPIC_DOCS), ws.table_path(S.TOPICS), ws.root / "topic_edits.json"]
    digest = hashlib.sha1()
    for path in files:
        if path.exists():
            info = path.stat()
            digest.update(f"{path.name}\0{info.st_size}\0{info.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def _path(ws: Workspace, params: dict[str, Any]) -> Path:
    blob = json.dumps({"v": CACHE_VERSION, **params}, sort_keys=True, default=str)
    grouping = hashlib.sha1(blob.encode()).hexdigest()[:12]
    state = hashlib.sha1(inputs_digest(ws).encode()).hexdigest()[:12]
    return ws.root / FOLDER / f"counts_{grouping}_{state}.parquet"


def load_counts(ws: Workspace, params: dict[str, Any]) -> Counts | None:
    """The kept counts for ``params`` in the workspace's current state, or None.

    One file holds the three parts: group counts (group, word, count, docs), the totals (rows
    without a group) and the documents per group (rows without a word).
    """
    path = _path(ws, params)
    if not path.exists():
        return None
    frame = pd.read_parquet(path)
    counts = frame[frame["group"].notna() & frame["word"].notna()].reset_index(drop=True).astype({"docs": "int64"})
    totals = frame[frame["group"].isna()].set_index("word")["count"]
    rows = frame[frame["word"].isna()]
    return counts, totals, {str(k): int(v) for k, v in zip(rows["group"], rows["count"])}


def save_counts(ws: Workspace, params: dict[str, Any], counts: Counts) -> Path:
    """Keep ``counts`` for ``params`` (older files of the same grouping are removed)."""
    groups, totals, documents = counts
    path = _path(ws, params)
    frame = pd.concat([
        groups[["group", "word", "count", "docs"]].astype({"group": object, "word": object}),
        pd.DataFrame({"group": None, "word": totals.index.astype(object), "count": totals.to_numpy()}),
        pd.DataFrame({"group": list(documents), "word": None, "count": list(documents.values())}),
    ], ignore_index=True).astype({"count": "int64", "docs": "Int64"})  # no docs on totals, group rows
    for old in path.parent.glob(path.name.rsplit("_", 1)[0] + "_*.parquet"):
        old.unlink(missing_ok=True)
    with atomic_path(path) as tmp:
        frame.to_parquet(tmp, index=False)
    return path
