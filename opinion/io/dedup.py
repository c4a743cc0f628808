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

from opinion import schema as S
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
    empty (reading new documents without a workspace).
    """

    def __init__(self, ws: Workspace | None, *, skip_keys: set[str]) -> None:
        import pyarrow.parquet as pq

        self.first: dict[str, str] = {}
        self.ids: set[str] = set()
        for part in ws.parts(S.CORPUS) if ws is not None else []:
            if part_key(part) in skip_keys:
                continue
            assert ws is not None  # the loop runs only with a workspace
            table = pq.read_table(ws.part_path(S.CORPUS, part),
                                  columns=[S.DOC_ID, S.TEXT_HASH, S.DUPLICATE_OF])
            ids = table.column(S.DOC_ID).to_pylist()
            self.ids.update(ids)
            for doc_id, digest, dup in zip(ids, table.column(S.TEXT_HASH).to_pylist(),
                                           table.column(S.DUPLICATE_OF).to_pylist()):
                if dup is None:
                    self.first.setdefault(digest, doc_id)
