"""Which input column holds the text, title, date, source and id.

The user's ``--text-col`` etc. win; otherwise common names are guessed, in English and
Chinese (``正文``/``内容``, ``标题``, ``发布时间``, ``来源`` ...)::

    >>> map_columns(["userid", "text"]).text
    'text'
    >>> map_columns(["标题", "正文", "发布时间"]).as_dict()
    {'text': '正文', 'title': '标题', 'id': None, 'date': '发布时间', 'source': None}

A file of headlines only (a title column, no text column) is read with the title as its text::

    >>> map_columns(["标题", "类别", "日期"]).as_dict()
    {'text': '标题', 'title': None, 'id': None, 'date': '日期', 'source': None}

When no text column can be found the error lists the columns that were found.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass

from opinion.errors import InputError

# Candidate names per role, best first; compared case-insensitively without spaces/_/-.
GUESSES: dict[str, tuple[str, ...]] = {
    "text": ("text", "content", "review", "body", "fulltext", "comment", "message", "post",
             "sentence", "正文", "内容", "內容", "内文", "內文", "文本", "微博正文", "微博内容",
             "微博文本", "评论", "評論", "评论内容", "評論內容", "博文", "全文", "帖子内容", "新闻内容",
             "文章内容", "笔记内容", "筆記內容", "贴文", "貼文", "作品描述", "视频描述", "視頻描述",
             # then names that hold the text in some exports only when the above are missing
             "原文", "留言", "弹幕", "彈幕", "回答", "答案", "帖子", "tweet",
             "摘要", "summary", "abstract", "description", "desc", "描述"),
    "title": ("title", "headline", "标题", "標題", "题目", "題目", "新闻标题", "文章标题",
              "subject", "question", "问题", "問題"),  # a forum's subject, a Q&A site's question
    "date": ("date", "time", "datetime", "publishedat", "publishtime", "pubdate", "pubtime",
             "createdat", "createtime", "posttime", "timestamp", "发布时间", "發布時間",
             "发表时间", "發表時間", "发布日期", "發布日期", "日期", "时间", "時間", "创建时间"),
    "source": ("source", "site", "media", "platform", "channel", "来源", "來源", "媒体",
               "媒體", "平台", "网站", "網站", "渠道", "媒体名称", "媒體名稱", "来源网站",
               "來源網站", "网站名称", "網站名稱", "站点", "站點", "发布媒体", "發布媒體",
               "sitename", "medianame", "publisher", "outlet"),
}
FALLBACK_TEXT = GUESSES["text"].index("原文")  # the text names from here on are the fallback tier
# Then a name that ends like one (發佈時間, 评论时间, 回复内容, publish_date), first in file order.
ENDINGS: dict[str, tuple[str, ...]] = {
    "text": ("内容", "內容", "正文", "内文", "內文", "文本", "content", "text"),
    "title": ("标题", "標題", "title"),
    "date": ("时间", "時間", "日期", "date", "time", "createdat", "publishedat"),
    "source": ("来源", "來源"),  # not "source": Weibo's API calls its posting client so (mblog.source)
}
# A date column named for when a crawler saved the row, not when the post was written: it is
# taken only when no other date column is there (采集时间,发帖时间: the date is 发帖时间).
_CRAWL_TIME = re.compile(r"采集|採集|抓取|爬取|入库|入庫|更新|修改|crawl|update|fetch|scrape|modif|insert")
# Beside these names a bare 评论/comment column is likely the count of comments (转发,评论,点赞): it
# comes after the other text names, and its values decide (text_by_content: a comment and its 点赞).
_COUNT_NAMES = frozenset({"转发", "轉發", "转发数", "轉發數", "点赞", "點讚", "點贊", "点赞数", "赞", "讚",
                          "赞数", "likes", "reposts", "shares", "retweets", "attitudes", "attitudescount"})
_COUNT_OR_TEXT = frozenset({"评论", "評論", "comment", "comments"})
# What a reply-level date column dates (评论时间, comment_time): of two text-and-date pairs, the
# row is the comment, not the post it answers (微博时间,微博内容,评论内容,评论时间).
_REPLY_OWNERS = ("评论", "評論", "回复", "回覆", "留言", "弹幕", "彈幕", "comment", "reply")
ROLES = ("text", "title", "id", "date", "source")
_KNOWN_KEYS = frozenset(re.sub(r"[\s_\-]+", "", c).lower() for names in GUESSES.values()
                        for c in names)


@dataclass(frozen=True)
class ColumnMapping:
    """The input column used for each role (None when the input has none); ``title_as_text``:
    the file had no text column, so its title column was guessed as the text."""

    text: str
    title: str | None = None
    id: str | None = None
    date: str | None = None
    source: str | None = None
    title_as_text: bool = False
    time: str | None = None  # a column of times of day (10:15) for the date column's days

    def as_dict(self) -> dict[str, str | None]:
        roles = {role: getattr(self, role) for role in ROLES}
        return {**roles, "time": self.time} if self.time else roles

    def mapped(self) -> set[str]:
        """The input columns that fill a corpus column (the rest go to ``meta``)."""
        return {name for name in self.as_dict().values() if name is not None}


def _key(name: str) -> str:
    return re.sub(r"[\s_\-]+", "", str(name)).lower()


_DATE_KEYS = frozenset(_key(c) for c in GUESSES["date"])


def _candidates(columns: Sequence[str], role: str, taken: set[str]) -> list[str]:
    """Every column ``role``'s names fit, best first: the known names in :data:`GUESSES`
    order, then the names ending like one in the file's order."""
    by_key: dict[str, str] = {}
    for name in columns:
        by_key.setdefault(_key(name), name)
    found = [by_key[key] for key in dict.fromkeys(map(_key, GUESSES[role])) if key in by_key]
    found += [name for key, name in by_key.items() if key.endswith(ENDINGS[role]) and name not in found]
    return [name for name in found if name not in taken]


def _guess(columns: Sequence[str], role: str, taken: set[str], date: str | None = None,
           texts: Sequence[str] = ()) -> str | None:
    """The column guessed for ``role``. A date column named for the crawl (采集时间) loses to
    any other date column, and one that dates one of the ``texts`` columns wins: text and
    date are a pair (评论时间 with 评论内容 in a comment export that also holds the post's
    微博内容 and 发布时间); of several pairs, the comment's (:func:`_pair_rank`). A text column
    that belongs with the ``date`` column wins; else a bare 评论 beside 转发 and 点赞 comes after
    the other text names (its values decide: :func:`text_by_content`)."""
    found = _candidates(columns, role, taken)
    if role == "date":
        found = [n for n in found if not _CRAWL_TIME.search(_key(n))] or found
        order = {name: i for i, name in enumerate(columns)}
        paired = sorted((n for n in found if _dates_one_of(n, texts)), key=lambda n: _pair_rank(n, order))
        found = paired + found
    if role == "text":
        found = _counts_last(found, columns)
        owner = _owner(date) if date else ""
        found = [n for n in found if owner and _key(n).startswith(owner)] + found
    return found[0] if found else None


def _counts_last(found: list[str], columns: Sequence[str]) -> list[str]:
    """``found`` with a bare 评论/comment last when a 转发/点赞/likes column is beside it."""
    if not {_key(name) for name in columns} & _COUNT_NAMES:
        return found
    return sorted(found, key=lambda name: _key(name) in _COUNT_OR_TEXT)


def _pair_rank(date: str, order: dict[str, int]) -> tuple[bool, int]:
    """Of the date columns that date a text column, the reply's first (评论时间 before 微博时间,
    ``comment_date`` before ``post_date``), then the later in the file: exports list the post
    before its comments."""
    return not _owner(date).startswith(_REPLY_OWNERS), -order.get(date, 0)


def _dates_one_of(date: str, texts: Sequence[str]) -> bool:
    """Whether ``date`` is named for one of the ``texts`` columns (评论时间 for 评论内容); never
    a nested object's (retweeted_status.created_at dates the post retweeted, not the record)."""
    owner = _owner(date)
    return bool(owner) and "." not in owner and any(_key(text).startswith(owner) for text in texts)


def _owner(date: str) -> str:
    """What a date column dates: ``评论`` for ``评论时间``, ``comment`` for ``comment_time``;
    "" when the name says nothing more than "date" (``发布时间`` gives ``发布``, no text name)."""
    key = _key(date)
    for ending in ENDINGS["date"]:
        if key.endswith(ending):
            key = key[: -len(ending)]
            break
    return key if len(key) >= 2 else ""


def text_tier(columns: Sequence[str]) -> int:
    """How surely ``columns`` hold a text column, by name: 0 a text name (``content``,
    ``正文``, ``回复内容``), 1 one that holds the text only in some exports (``description``,
    ``摘要``), 2 a title only, 3 none. For choosing among the arrays of a JSON answer."""
    found = _candidates(columns, "text", set())
    if found:
        keys = {_key(name) for name in GUESSES["text"][FALLBACK_TEXT:]}
        return 1 if all(_key(name) in keys for name in found) else 0
    return 2 if _candidates(columns, "title", set()) else 3


def _check_given(columns: Sequence[str], role: str, name: str, where: str) -> str:
    if name in columns:
        return name
    found = ", ".join(map(str, columns)) or "none"
    raise InputError(f"{where}: no column {name!r} for --{role}-col; found [{found}]")


class NoTextColumnError(InputError):
    """No column of an input can be taken for the text (:func:`map_columns`); ``found`` is
    the message without its hint (``fix``, default ``pass --text-col NAME``), for callers
    that give another fix."""

    def __init__(self, found: str, fix: str = "pass --text-col NAME") -> None:
        super().__init__(f"{found}; {fix}")
        self.found = found


def first_row_fix(width: int) -> str:
    """The fix for a CSV/TSV whose first row, taken for column names, names no text column:
    it may be a post (``武汉加油,微博``), which ``--columns`` keeps as a row; ``--text-col``
    would make it the header, and that post would be lost without a count."""
    example = ",".join(["text", *(f"col{i}" for i in range(2, width + 1))])
    return ("the first row may be data, not column names: if so, name the columns with --columns "
            f"(e.g. --columns {example}, the text column named text) and that row is loaded too; "
            "if it is the header, pass --text-col NAME")


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
    if chosen["date"] is None:  # first: the text that belongs with it is preferred
        names = _candidates(columns, "text", taken)  # never a date column taken from the text
        texts = [chosen["text"]] if chosen["text"] else names
        chosen["date"] = _guess(columns, "date", taken | set(names), texts=texts)
        taken |= {chosen["date"]} - {None}  # type: ignore[arg-type]
    for role in ("text", "title", "source"):
        if chosen[role] is None:
            guessed = _guess(columns, role, taken, chosen["date"])
            chosen[role] = guessed
            if guessed:
                taken.add(guessed)
    title_as_text = chosen["text"] is None and chosen["title"] is not None
    if title_as_text:  # headlines only: 标题 is the text
        chosen["text"], chosen["title"] = chosen["title"], None
    if chosen["text"] is None:
        found = ", ".join(map(str, columns)) or "none"
        raise NoTextColumnError(f"{where}: cannot tell which column holds the text; found [{found}]")
    return ColumnMapping(**chosen, title_as_text=title_as_text)  # type: ignore[arg-type]


def is_known_name(cell: str) -> bool:
    """Whether ``cell`` is a column name this loader knows (``正文``, ``text``, ``发布时间`` ...)."""
    return _key(str(cell)) in _KNOWN_KEYS


def looks_like_header(cells: Sequence[str]) -> bool:
    """Whether the first row of a CSV looks like column names rather than data.

    Names are short, not numbers and not empty: ``["userid", "text"]`` is a header,
    ``["60年铁树开花形状似玉米芯(组图)", "5"]`` (THUCNews, no header) is not. An empty first
    cell (the unnamed index column pandas writes), empty cells after the last name (Excel's
    ``text,date,,``) and repeated names are allowed when the other names are short and
    distinct or one of them is a known column name.
    """
    names = [str(c).replace("\ufeff", "").strip() for c in cells]
    while len(names) > 1 and not names[-1]:
        names.pop()  # Excel's empty columns after the last named one: "text,date,,"
    if names and not names[0] and len(names) > 1:
        names = names[1:]  # pandas' index column: ",date,text"
    if not names or any(not n for n in names):
        return False
    if any(value_kind(n) in ("number", "date") for n in names):
        return False
    if any(_key(n) in _KNOWN_KEYS for n in names):
        return True
    return len(set(names)) == len(names) and all(len(n) <= 32 for n in names)


def unique_names(cells: Sequence[object], *, first_blank: str | None = None) -> list[str]:
    """Column names from a header row: blanks become ``column_N``, repeats get ``_2``.

    ``first_blank`` names a blank first cell (``"index"`` for pandas' index column).
    """
    names: list[str] = []
    seen: set[str] = set()
    for index, cell in enumerate(cells, start=1):
        text = "" if cell is None else str(cell).replace("\ufeff", "").strip()
        base = text or (first_blank if index == 1 and first_blank else f"column_{index}")
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


_NUMBER = re.compile(r"[-+]?[\d,]*\.?\d+(?:[eE][-+]?\d+)?%?")


def value_kind(value: object) -> str | None:
    """``"number"``, ``"date"`` or ``"text"`` for a sample value; None when it is empty."""
    import datetime as dt

    from opinion.io.dates import parse_date

    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return "number"
    if isinstance(value, dt.date):
        return "date"
    text = str(value).strip()
    if _NUMBER.fullmatch(text):
        return "number"
    return "date" if parse_date(text) is not None else "text"


def guess_date_column(mapping: ColumnMapping, columns: Sequence[str],
                      rows: Sequence[dict[str, object]]) -> str | None:
    """A column no name marks as the date whose sample values are all dates (typed Parquet
    or Excel date cells; at least three ``2020-01-19 12:00`` strings; never plain numbers,
    which may be ids): ``ts`` in a Parquet export. None when there is none."""
    import datetime as dt

    taken = mapping.mapped()
    for name in columns:
        if name in taken:
            continue
        filled = [(value, kind) for value in (row.get(name) for row in rows)
                  if (kind := value_kind(value)) is not None]
        typed = all(isinstance(value, dt.date) for value, _ in filled)
        if filled and all(kind == "date" for _, kind in filled) and (typed or len(filled) >= 3):
            return name
    return None


_TIME_OF_DAY = re.compile(r"(?:(?:上午|早上|凌晨|中午|下午|晚上|傍晚)\s*)?\d{1,2}[:：时時点點]\d{2}"
                          r"(?:分|[:：分]\d{2}(?:\.\d+)?秒?)?(?:\s*[AaPp]\.?[Mm]\.?)?")


def _day_kind(value: object) -> str | None:
    """``"time"`` for a time of day alone (``10:15``, ``23:59:30``, an Excel time cell),
    ``"day"`` for a date without a time (``2020-02-01``, ``2020年2月1日``), else None."""
    import datetime as dt

    from opinion.io.dates import parse_date

    if isinstance(value, dt.time):
        return "time"
    if isinstance(value, dt.datetime):
        return "day" if value.time() == dt.time() else None
    if isinstance(value, dt.date):
        return "day"
    text = str(value).strip() if value is not None else ""
    if _TIME_OF_DAY.fullmatch(text):
        return "time"
    stamp = parse_date(text) if text and not _NUMBER.fullmatch(text) else None
    return "day" if stamp is not None and stamp == stamp.normalize() and not _TIME_OF_DAY.search(text) else None


def split_date_time(mapping: ColumnMapping, columns: Sequence[str],
                    rows: Sequence[dict[str, object]]) -> ColumnMapping:
    """Join a day column and a time-of-day column that exports keep apart (发布日期 2020-02-01
    beside 发布时间 10:15): the date is the day column, ``time`` the other. The date column
    was guessed by name and may be either; the other must have a date column's name too.
    ``mapping`` as it is when there is no such pair."""
    def kind(name: str) -> str | None:  # what two thirds of the column's filled sample values are
        found = [_day_kind(row.get(name)) for row in rows if value_kind(row.get(name)) is not None]
        top = max(set(found), key=found.count) if found else None
        return top if top and found.count(top) * 3 >= 2 * len(found) else None

    if mapping.date is None or mapping.time is not None:
        return mapping
    taken = mapping.mapped()
    own = kind(mapping.date)
    for other in (name for name in columns if name not in taken and is_date_name(name)):
        theirs = kind(other)
        if (own, theirs) == ("time", "day"):
            return dataclasses.replace(mapping, date=other, time=mapping.date)
        if (own, theirs) == ("day", "time"):
            return dataclasses.replace(mapping, time=other)
    return mapping


def is_date_name(name: str) -> bool:
    """Whether ``name`` is one of the date column names the loader knows (``发布时间``, ``time``)."""
    key = _key(name)
    return key in _DATE_KEYS or key.endswith(ENDINGS["date"])


# A count as a scraped page shows it (3, 1,234, 1.2万, 1万+), or none (暂无, —, N/A). Not a signed
# number: "+1" is a reply. Nor the numbers people reply with: 666, 111, 8888 (one digit 3 times or
# more) and 233, 2333 (laughter), which fill 弹幕 and live-stream comments.
_COUNT = re.compile(r"[\d,，]*\d(?:\.\d+)?\s*[万萬千百亿億kKwWmM]?\+?|[-—–/]+|暂无|暫無|无|無|N/?A|null|none",
                    re.IGNORECASE)
_REPLY_NUMBER = re.compile(r"(\d)\1{2,}|2333*")
COUNT_SHARE = 0.8  # of a column's filled sample values, counts for the column to hold counts


def _is_count(value: str, name: str) -> bool:
    return value == str(name).strip() or (_COUNT.fullmatch(value) is not None
                                          and _REPLY_NUMBER.fullmatch(value) is None)


def _holds_counts(name: str, rows: Sequence[dict[str, object]]) -> bool:
    """Whether COUNT_SHARE of a column's filled sample values are counts (``3``, ``1万+``,
    ``暂无``, or the column's own name ``评论`` for none), most of them numbers or that name:
    ``评论`` of a scraped Weibo page, not a 弹幕 column of ``666``, ``+1`` and ``支持``."""
    filled = [str(v).strip() for v in (row.get(name) for row in rows) if value_kind(v) is not None]
    counts = [v for v in filled if _is_count(v, name)]
    numbers = sum(v == str(name).strip() or any(c.isdigit() for c in v) for v in counts)
    return bool(filled) and len(counts) >= COUNT_SHARE * len(filled) and numbers * 2 >= len(counts)


def text_by_content(mapping: ColumnMapping, columns: Sequence[str],
                    rows: Sequence[dict[str, object]]) -> ColumnMapping:
    """``mapping`` with its guessed text column chosen again by the values: one that holds
    counts (``评论``: 3, 暂无, 1万+) gives way to the other text-named column with the longest
    median value (``博文``), and a bare ``评论`` put after ``博文`` for the ``点赞`` beside it
    comes back when it holds text (a comment export: each comment has its likes). Never away
    from the column the date column is named for (``评论`` beside ``评论时间``), nor to one
    whose values repeat more than its own (the post each comment answers). For a text column
    that was guessed, not given with ``--text-col``."""
    owner = _owner(mapping.date) if mapping.date else ""
    if mapping.title_as_text or (owner and _key(mapping.text).startswith(owner)):
        return mapping
    free = mapping.mapped() - {mapping.text}
    if not _holds_counts(mapping.text, rows):
        first = next(iter(_candidates(columns, "text", free)), None)
        if first and first != mapping.text and _key(first) in _COUNT_OR_TEXT and _holds_text(first, rows):
            return dataclasses.replace(mapping, text=first)
        return mapping

    def distinct(name: str) -> int:
        return len({str(row.get(name)) for row in rows})

    def median(name: str) -> int:
        lengths = sorted(len(str(row.get(name) or "")) for row in rows)
        return lengths[len(lengths) // 2] if lengths else 0

    others = [name for name in _candidates(columns, "text", free | {mapping.text})
              if not _holds_counts(name, rows) and distinct(name) >= distinct(mapping.text)]
    best = max(others, key=median, default=None)
    return dataclasses.replace(mapping, text=best) if best and median(best) else mapping


def _holds_text(name: str, rows: Sequence[dict[str, object]]) -> bool:
    """Whether most of a column's filled sample values are text and few are counts."""
    kinds = [kind for row in rows if (kind := value_kind(row.get(name))) is not None]
    return bool(kinds) and kinds.count("text") * 2 > len(kinds) and not _holds_counts(name, rows)


def check_text_column(mapping: ColumnMapping, columns: Sequence[str],
                      rows: Sequence[dict[str, object]], *, where: str = "input") -> None:
    """Refuse a guessed text column whose sample values are mostly dates or numbers.

    Raises :class:`InputError` naming each column with what it holds, so the user can pass
    ``--text-col``: ``a.csv: the text column 'date' holds dates ('2020-01-01'), not text; ...``.
    """
    kinds = [value_kind(row.get(mapping.text)) for row in rows]
    kinds = [k for k in kinds if k is not None]
    if not kinds or sum(k == "text" for k in kinds) > 0.2 * len(kinds):
        return
    held = max(("date", "number"), key=kinds.count)
    example = next(str(row[mapping.text]) for row in rows
                   if value_kind(row.get(mapping.text)) == held)

    def holds(name: str) -> str:
        found = [value_kind(row.get(name)) for row in rows]
        found = [k for k in found if k is not None]
        return max(("text", "date", "number"), key=found.count) if found else "empty"

    shown = ", ".join(f"{name} ({holds(name)})" for name in columns)
    raise InputError(f"{where}: the text column {mapping.text!r} holds {held}s "
                     f"(e.g. {example[:40]!r}), not text; columns: {shown}; "
                     "pass --text-col NAME")
