"""Which input column holds the text, title, date, source and id.

The user's ``--text-col`` etc. win; otherwise common names are guessed, in English and
Chinese (``正文``/``内容``, ``标题``, ``发布时间``, ``来源`` ...)::

    >>> map_columns(["userid", "text"]).text
    'text'
    >>> map_columns(["标题", "正文", "发布时间"]).as_dict()
    {'text': '正文', 'title': '标题', 'id': None, 'date': '发布时间', 'source': None}

When no text column can be found the error lists the columns that were found.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from opinion.errors import InputError

# Candidate names per role, best first; compared case-insensitively without spaces/_/-.
GUESSES: dict[str, tuple[str, ...]] = {
    "text": ("text", "content", "review", "body", "fulltext", "comment", "message", "post",
             "sentence", "正文", "内容", "內容", "文本", "微博正文", "微博内容", "评论", "評論",
             "评论内容", "評論內容", "帖子内容", "新闻内容", "文章内容"),
    "title": ("title", "headline", "标题", "標題", "题目", "題目", "新闻标题", "文章标题"),
    "date": ("date", "time", "datetime", "publishedat", "publishtime", "pubdate", "pubtime",
             "createdat", "createtime", "posttime", "timestamp", "发布时间", "發布時間",
             "发表时间", "發表時間", "发布日期", "發布日期", "日期", "时间", "時間", "创建时间"),
    "source": ("source", "site", "media", "platform", "channel", "来源", "來源", "媒体",
               "媒體", "平台", "网站", "網站", "渠道"),
}
ROLES = ("text", "title", "id", "date", "source")


@dataclass(frozen=True)
class ColumnMapping:
    """The input column used for each role (None when the input has none)."""

    text: str
    title: str | None = None
    id: str | None = None
    date: str | None = None
    source: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        return asdict(self)

    def mapped(self) -> set[str]:
        """The input columns that fill a corpus column (the rest go to ``meta``)."""
        return {name for name in asdict(self).values() if name is not None}


def _key(name: str) -> str:
    return re.sub(r"[\s_\-]+", "", str(name)).lower()


def _guess(columns: Sequence[str], role: str, taken: set[str]) -> str | None:
    by_key = {}
    for name in columns:
        by_key.setdefault(_key(name), name)
    for candidate in GUESSES[role]:
        name = by_key.get(_key(candidate))
        if name is not None and name not in taken:
            return name
    return None


def _check_given(columns: Sequence[str], role: str, name: str, where: str) -> str:
    if name in columns:
        return name
    found = ", ".join(map(str, columns)) or "none"
    raise InputError(f"{where}: no column {name!r} for --{role}-col; found [{found}]")


def map_columns(columns: Sequence[str], *, text_col: str | None = None,
                title_col: str | None = None, id_col: str | None = None,
                date_col: str | None = None, source_col: str | None = None,
                where: str = "input") -> ColumnMapping:
    """Pick the column for each role; given names must exist, the others are guessed.

    Raises :class:`InputError` naming ``where`` and the columns found when a given column
    is missing or no text column can be guessed. The id column is never guessed.
    """
    given = {"text": text_col, "title": title_col, "id": id_col, "date": date_col,
             "source": source_col}
    chosen: dict[str, str | None] = {}
    for role, name in given.items():
        chosen[role] = _check_given(columns, role, name, where) if name else None
    taken = {name for name in chosen.values() if name}
    for role in ("text", "title", "date", "source"):
        if chosen[role] is None:
            chosen[role] = _guess(columns, role, taken)
            if chosen[role]:
                taken.add(chosen[role])
    if chosen["text"] is None:
        found = ", ".join(map(str, columns)) or "none"
        raise InputError(
            f"{where}: cannot tell which column holds the text; found [{found}]; "
            "pass --text-col NAME"
        )
    return ColumnMapping(**chosen)  # type: ignore[arg-type]


def looks_like_header(cells: Sequence[str]) -> bool:
    """Whether the first row of a CSV looks like column names rather than data.

    Names are short, distinct, not numbers and not empty: ``["userid", "text"]`` is a header,
    ``["60年铁树开花形状似玉米芯(组图)", "5"]`` (THUCNews, no header) is not.
    """
    names = [str(c).strip() for c in cells]
    if not names or any(not n for n in names) or len(set(names)) != len(names):
        return False
    if any(re.fullmatch(r"[-+]?\d+(\.\d+)?", n) for n in names):
        return False
    if any(_key(n) in {_key(c) for guesses in GUESSES.values() for c in guesses} for n in names):
        return True
    return all(len(n) <= 32 for n in names)


def unique_names(cells: Sequence[object]) -> list[str]:
    """Column names from a header row: blanks become ``column_N``, repeats get ``_2``."""
    names: list[str] = []
    seen: set[str] = set()
    for index, cell in enumerate(cells, start=1):
        text = "" if cell is None else str(cell).replace("\ufeff", "").strip()
        base = text or f"column_{index}"
        name, n = base, 2
        while name in seen:
            name, n = f"{base}_{n}", n + 1
        seen.add(name)
        names.append(name)
    return names


def numbered_names(count: int) -> list[str]:
    """Names for a file without a header: ``column_1`` ... ``column_N``."""
    return [f"column_{i}" for i in range(1, count + 1)]


def longest_column(rows: Sequence[Sequence[object]], names: Sequence[str]) -> str | None:
    """For headerless files: the column with the longest values on average (the text)."""
    if not rows or not names:
        return None
    totals = [0] * len(names)
    for row in rows:
        for i, value in enumerate(row[: len(names)]):
            totals[i] += len(str(value)) if value is not None else 0
    return names[max(range(len(names)), key=totals.__getitem__)]
