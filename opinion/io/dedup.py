"""Exact duplicates: a hash of the normalised text and the index of first copies.

Two posts are exact copies when they are equal after full-width ASCII is made half-width
and whitespace runs (U+3000 included) are collapsed::

    >>> text_hash("武汉加油！ ") == text_hash("武汉加油!")
    True

The index holds, for the whole workspace, the ``doc_id`` of the first copy of every hash.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from opinion import schema as S
from opinion.io.atomic import atomic_path
from opinion.io.workspace import Workspace

_WIDE = re.compile("[\uff01-\uff5e]+")  # full-width ASCII: ！ ， Ａ １ ...
_PART = re.compile(r"^(?P<key>.+)-\d{5}$")


_NARROW = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}


def _narrow(match: re.Match[str]) -> str:
    return match.group().translate(_NARROW)


def normalize_text(text: str) -> str:
    """Width- and whitespace-normalised text: ``"ＡＢＣ，  加油\\n"`` -> ``"ABC, 加油"``."""
    return " ".join(_WIDE.sub(_narrow, text).split())  # split() also splits on U+3000


def text_hash(text: str) -> str:
    """Hash of :func:`normalize_text`; equal for exact copies up to width and spacing."""
    return hashlib.blake2b(normalize_text(text).encode("utf-8"), digest_size=12).hexdigest()


def part_key(part: str) -> str | None:
    """The input key of a corpus part name: ``"1_27-00003"`` -> ``"1_27"``."""
    match = _PART.match(part)
    return match.group("key") if match else None


class DuplicateIndex:
    """First copies (hash -> doc_id) and ids already in the workspace, kept up to date.

    ``skip_keys`` leaves out the parts of inputs about to be replaced; ``ws=None`` starts
    empty (reading new documents without a workspace). The exact-duplicate pass is run
    again over the inputs kept, in load order (the manifest's), as a fresh load of them
    would run it: since 2026-12-08 a post whose first copy was in a replaced input points at
    the first copy left, or at none. :attr:`fixes` holds the new ``duplicate_of`` of each
    part where that differs from what is stored (:func:`write_fixes` writes them),
    :attr:`counts` the duplicates of each input with such a part.
    """

    def __init__(self, ws: Workspace | None, *, skip_keys: set[str]) -> None:
        import pyarrow.parquet as pq

        self.first: dict[str, str] = {}
        self.ids: set[str] = set()
        self.fixes: dict[str, list[str | None]] = {}
        self.changed: dict[str, int] = {}  # key -> rows of the input whose duplicate_of changes
        self.counts: dict[str, int] = {}  # key -> duplicates, for the inputs that change
        tally: dict[str, int] = {}
        for part in load_order(ws, skip_keys) if ws is not None else []:
            assert ws is not None  # the loop runs only with a workspace
            table = pq.read_table(ws.part_path(S.CORPUS, part),
                                  columns=[S.DOC_ID, S.TEXT_HASH, S.DUPLICATE_OF])
            ids = table.column(S.DOC_ID).to_pylist()
            self.ids.update(ids)
            firsts = [self.first.setdefault(digest, doc_id) for doc_id, digest
                      in zip(ids, table.column(S.TEXT_HASH).to_pylist())]
            redone: list[str | None] = [None if first == doc_id else first
                                        for doc_id, first in zip(ids, firsts)]
            key = part_key(part) or part
            tally[key] = tally.get(key, 0) + sum(first is not None for first in redone)
            changed = sum(a != b for a, b in zip(redone, table.column(S.DUPLICATE_OF).to_pylist()))
            if changed:
                self.fixes[part] = redone
                self.changed[key] = self.changed.get(key, 0) + changed
        self.counts = {key: tally[key] for key in self.changed}


def load_order(ws: Workspace, skip_keys: set[str]) -> list[str]:
    """The corpus parts in load order: the manifest's inputs in turn, each input's parts in
    order (by name if it lists none), leaving out those of ``skip_keys``; parts no input
    lists come last, by name."""
    present = set(ws.parts(S.CORPUS))
    listed = [part for entry in ws.manifest["inputs"] if entry["key"] not in skip_keys
              for part in entry.get("parts") or sorted(p for p in present if part_key(p) == entry["key"])
              if part in present]
    rest = sorted(part for part in present - set(listed) if part_key(part) not in skip_keys)
    return listed + rest


def write_fixes(ws: Workspace, fixes: dict[str, list[str | None]], folder: Path) -> list[str]:
    """Write each part of ``fixes`` with its new ``duplicate_of`` into ``folder`` (the load's
    staging folder; the commit moves them in); returns the parts written."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder.mkdir(parents=True, exist_ok=True)
    for part, values in fixes.items():
        table = pq.read_table(ws.part_path(S.CORPUS, part))
        where = table.schema.get_field_index(S.DUPLICATE_OF)
        table = table.set_column(where, table.schema.field(where),
                                 pa.array(values, type=table.schema.field(where).type))
        with atomic_path(folder / f"{part}.parquet", durable=False) as tmp:
            pq.write_table(table, tmp)
    return list(fixes)


def fixes_note(changed: dict[str, int], labels: dict[str, str]) -> str:
    """What redoing the duplicate pass changed (:attr:`DuplicateIndex.changed`), for the load's
    notes; ``labels`` names the inputs by key: ``"b.csv: duplicate_of of 1 row(s) redone …"``."""
    named = ", ".join(f"{labels.get(key, key)} {n:,}" for key, n in changed.items())
    return (f"exact duplicates checked again over the inputs kept, in load order: duplicate_of redone "
            f"for {sum(changed.values()):,} row(s) ({named}) whose first copy was replaced (they now "
            "point at the first copy left, or at none)")
