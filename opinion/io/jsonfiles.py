"""Readers of JSON Lines (one object per line) and JSON (an array of objects).

A line or an array element that is not an object, is invalid, is nested deeper than
:data:`MAX_JSON_DEPTH` or is over the size limit is rejected with that reason; the other
rows load. A JSON file is read whole, so a file over the limit is refused with a one-line
error (JSON Lines is read line by line and has no such limit)::

    >>> with JsonTable(Path("posts.json"), encoding="auto") as table:  # doctest: +SKIP
    ...     table.columns
    ['id', 'content']
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import json
import math
import re
from collections import Counter
from collections.abc import Collection, Iterable, Iterator
from pathlib import Path
from typing import Any

from opinion.errors import InputError
from opinion.io.encoding import DecodedLine, LineDecoder
from opinion.io.jsonarrays import FLAT_DEPTH as FLAT_DEPTH  # re-exported: workbooks flattens structs so
from opinion.io.jsonarrays import flat_fields, records_array, rows_holding
from opinion.io.lines import (
    DEFAULT_MAX_BYTES,
    InputCutShort,
    LineTooLong,
    decoded_lines,
    megabytes,
    read_whole,
)
from opinion.io.readers import Record, Table, cut_short_record, text_spec, too_long_field
from opinion.io.sources import open_bytes

MAX_JSON_DEPTH = 500  # deeper values are rejected before Python's parser would recurse
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")  # after json.loads, every surrogate left is lone
_MAYBE_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]|[\ud800-\udfff]")  # in the JSON text: may give one
_STRUCTURE = re.compile(r'["\[\]{},]')
_STRING_REST = re.compile(r'(?:[^"\\]|\\.)*"', re.DOTALL)


def _number(text: str) -> float | str:
    """A JSON number as a float; one too large for a float (``1e400``) as the text read,
    so that ``meta`` never holds ``Infinity`` (strict JSON readers refuse it)."""
    value = float(text)
    return value if math.isfinite(value) else text


def _constant(text: str) -> str | None:
    """Python's extensions to JSON: ``NaN`` is a missing value (None, as pandas writes it),
    ``Infinity`` and ``-Infinity`` are kept as the text read."""
    return None if text == "NaN" else text


class JsonParser:
    """``json.loads`` for records, which loses nothing silently.

    A key repeated in one object (``{"text": "第一个", "text": "重复键第二个"}``) keeps its
    last value under the key, as Python's json, pandas and JavaScript read it; each earlier
    value is kept as ``text#1``, ``text#2`` … (in ``meta``), and the key is added to
    :attr:`repeated` (since 2026-12-08; before, the earlier values were lost); :attr:`objects`
    counts the objects that repeat a key, and ``keep=True`` keeps them in :attr:`holders` (for
    :func:`rows_holding`). Numbers and constants that strict JSON cannot hold are read by
    :func:`_number` and :func:`_constant`.
    """

    def __init__(self, *, keep: bool = False) -> None:
        self.repeated: dict[str, None] = {}  # each key repeated, in the order first seen
        self.objects = 0
        self.holders: list[dict[str, Any]] | None = [] if keep else None
        self._decoder = json.JSONDecoder(strict=False, object_pairs_hook=self._object,
                                         parse_float=_number, parse_constant=_constant)

    def loads(self, text: str) -> Any:
        """The value of ``text`` (a raw tab or control inside a string is kept)."""
        return self._decoder.decode(text)

    def _object(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        obj = dict(pairs)
        if len(obj) == len(pairs):
            return obj
        counts, seen = Counter(key for key, _ in pairs), Counter[str]()
        self.objects += 1
        if self.holders is not None:
            self.holders.append(obj)
        for key, value in pairs:
            seen[key] += 1
            if seen[key] == counts[key]:
                continue  # its last value, kept under the key
            if seen[key] == 1:
                self.repeated.setdefault(key)
            name = f"{key}#{seen[key]}"
            while name in obj:
                name += "#"
            obj[name] = value
        return obj

    def reset(self) -> None:
        """Forget the repeats seen (a whole text's parse that failed part of the way in)."""
        self.repeated.clear()
        self.objects = 0
        if self.holders is not None:
            self.holders.clear()


def repeated_note(keys: Iterable[str], rows: int, row: int | None) -> str:
    """The warning for keys repeated in the objects of ``rows`` rows of a file, the first
    ``row`` (:attr:`JsonParser.repeated`): ``1 key(s) repeated within an object (text, first
    at row 1) in 620,000 row(s): …`` (since 2026-12-08; it counted each key of each row)."""
    keys = list(keys)
    names = ", ".join(keys)
    where = f", first at row {row}" if row is not None else ""
    return (f"{len(keys):,} key(s) repeated within an object ({names}{where}) in {rows:,} "
            "row(s): the last value is read, as Python's json and pandas read it; the earlier ones are "
            "kept in meta as <key>#1, <key>#2 …")


def without_surrogates(value: Any) -> tuple[Any, bool]:
    """``value`` with each lone surrogate in its strings and keys replaced by U+FFFD, and
    whether there was one. An API that cuts a post at a length limit may cut an emoji in
    half (``"武汉加油\\ud83d"``): ``json.loads`` keeps the half, which UTF-8 cannot write, so
    the row is loaded with U+FFFD and counted as broken (``decode_error``), as a broken byte
    in a CSV line is."""
    if isinstance(value, str):
        fixed, count = _LONE_SURROGATE.subn("\ufffd", value)
        return fixed, bool(count)
    if isinstance(value, dict):
        out: dict[Any, Any] = {}
        broken = False
        for key, item in value.items():
            key, bad_key = without_surrogates(key)
            out[key], bad = without_surrogates(item)
            broken = broken or bad or bad_key
        return out, broken
    if isinstance(value, list):
        pairs = [without_surrogates(item) for item in value]
        return [item for item, _ in pairs], any(bad for _, bad in pairs)
    return value, False


def _clean(value: Any, text: str) -> tuple[Any, bool]:
    """:func:`without_surrogates` of ``value`` parsed from ``text``; skipped (cheaply) when
    ``text`` holds no escape that can give a surrogate."""
    return without_surrogates(value) if _MAYBE_SURROGATE.search(text) else (value, False)


def _depth(text: str) -> int:
    """How deeply arrays and objects nest in one JSON value (strings skipped)."""
    depth = deepest = 0
    pos = 0
    while match := _STRUCTURE.search(text, pos):
        char, pos = match.group(), match.end()
        if char == '"':
            rest = _STRING_REST.match(text, pos)
            if rest is None:
                break
            pos = rest.end()
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def within(name: str, columns: Collection[str]) -> bool:
    """Whether ``name`` is one of ``columns`` or a field nested in one (``user.name`` in ``user``)."""
    if isinstance(columns, tuple):  # the load's --drop-col list, asked once per field of every row
        return _within(name, columns)
    return name in columns or any(name.startswith(f"{col}.") for col in columns)


@functools.lru_cache(maxsize=4096)
def _within(name: str, columns: tuple[str, ...]) -> bool:
    return name in columns or any(name.startswith(f"{col}.") for col in columns)


def regrouped(values: dict[str, Any], mapped: Collection[str]) -> dict[str, Any]:
    """``values`` with a mapped field that a JSON row holds as an object (read as dotted
    fields, ``text.zh``) put back together: ``{"text": {"zh": "嵌套"}}`` in this row, though
    the first row's ``text`` was a string."""
    for name in (n for n in mapped if n not in values):
        prefix = f"{name}."
        inner = {k[len(prefix):]: v for k, v in values.items() if k.startswith(prefix)}
        if inner:
            values = {k: v for k, v in values.items() if not k.startswith(prefix)}
            values[name] = inner
    return values


def header_names(value: Any) -> list[str] | None:
    """The column names a JSON array of names gives, or None when ``value`` is not one: the
    first line of a table written as JSON Lines (``["标题", "内容", "发布时间"]``, the
    tabular form jsonlines.org shows). Distinct strings, one of them a name the loader knows,
    so that a first row of data is never taken for names."""
    from opinion.io.columns import is_known_name

    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        return None
    names = [v.strip() for v in value]
    if len(set(names)) != len(names) or not all(names) or not any(map(is_known_name, names)):
        return None
    return names


def _as_row(value: Any, header: list[str] | None) -> tuple[Any, str | None]:
    if isinstance(value, list) and header is not None:
        if len(value) != len(header):
            return None, (f"{len(value)} values where the header names {len(header)} "
                          f"({', '.join(header[:3])}{' …' if len(header) > 3 else ''})")
        return flat_fields(dict(zip(header, value))), None
    if not isinstance(value, dict):
        hint = ("; a first line of column names (e.g. [\"text\", \"date\"]) would name its values"
                if isinstance(value, list) else "")
        return None, f"not a JSON object (a {type(value).__name__}){hint}"
    return flat_fields(value), None


def parse_object(text: str, header: list[str] | None = None,
                 parser: JsonParser | None = None) -> tuple[Any, str | None]:
    """A JSON object as a row (its nested objects as dotted names, :func:`flat_fields`) and
    None, or None and why it cannot be a row. With ``header``, a JSON array of as many values
    is the row those names give (``["武汉加油", "2020-02-01"]`` under ``["text", "date"]``).
    ``parser`` (:class:`JsonParser`) collects the keys repeated."""
    try:
        value = (parser or JsonParser()).loads(text)
    except RecursionError:
        return None, f"JSON nested too deep (more than {MAX_JSON_DEPTH} levels)"
    except ValueError as exc:
        return None, f"invalid JSON ({exc})"
    return _as_row(value, header)


def _elements(text: str, start: int) -> Iterator[str]:
    """The texts of the elements of the array opening at ``text[start]`` (``[``)."""
    depth, item_start, pos = 0, start + 1, start + 1
    while match := _STRUCTURE.search(text, pos):
        char, pos = match.group(), match.end()
        if char == '"':
            rest = _STRING_REST.match(text, pos)
            if rest is None:
                raise ValueError("unterminated string")
            pos = rest.end()
        elif char in "[{":
            depth += 1
        elif char in "]}" and depth:
            depth -= 1
        elif char == "]" or (char == "," and not depth):
            item = text[item_start:match.start()]
            if item.strip() or char == ",":
                yield item
            if char == "]":
                return
            item_start = pos
    raise ValueError("the array is not closed")


ARRAY_LINES = ("a JSON array written one object per line (as Scrapy's -o items.json writes it), "
               "not JSON Lines: each line between '[' and ']' is read as one record")


class JsonLinesTable(Table):
    """One JSON object per line; a line that is not an object is rejected.

    A file whose first line is ``[`` is a JSON array written one object per line (Scrapy's
    ``-o items.json``: ``[``, ``{…},``, …, ``]``): each line between the brackets is read
    without its trailing comma, and a note says so. Such an array with objects spread over
    several lines is a one-line error naming ``--format json``.
    """

    def __init__(self, path: Path, *, encoding: str, known: str | None = None,
                 max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.path = path
        spec = text_spec(path, encoding, fmt="jsonl", known=known)
        self.encoding = spec.encoding
        self._fh = open_bytes(path)
        self._disk = getattr(self._fh, "fileobj", None) or self._fh  # under gzip
        self._lines = decoded_lines(self._fh, spec.encoding, fallback=spec.fallback,
                                    limit=max_bytes, newline=spec.newline)
        self._pending: list[tuple[int, DecodedLine | LineTooLong]] = []
        self._cut: InputCutShort | None = None
        self.columns, self.sample_rows = [], []
        self._header: list[str] | None = None  # a first line of names: ["text", "date"]
        self._array = 0  # the line of the '[' opening a JSON array written one object per line
        self._parser = JsonParser()  # the keys repeated in an object
        self._repeated_at, self._repeated_rows = 0, 0  # the first row repeating one, and how many
        try:
            self._first_rows()
        except InputCutShort as exc:
            self._cut = exc
        except BaseException:
            self._fh.close()
            raise

    def _first_rows(self) -> None:
        """Read up to the first object, for the columns: a first line of names, the '[' of an
        array written one object per line, then the first object."""
        first = True  # no line with content seen yet
        for number, line in self._lines:
            text = line.text.strip().lstrip("\ufeff").strip() if isinstance(line, DecodedLine) else ""
            if first and text:
                if text == "[":
                    self._array, self.notes = number, (ARRAY_LINES,)
                    self._pending.append((number, line))
                    first = False
                    continue
                with contextlib.suppress(ValueError, RecursionError):
                    names, _ = _clean(json.loads(text, strict=False), text)
                    self._header = header_names(names)
                if self._header is not None:
                    self.columns = self._header
                    return
            first = first and isinstance(line, DecodedLine) and not text
            self._pending.append((number, line))
            if text:
                obj, why = parse_object(self._element(text))
                if self._array and why is not None and why.startswith("invalid JSON") and text != "]":
                    raise InputError(f"{self.path}: a JSON array whose objects span several lines "
                                     f"(line {number}: {text[:40]!r}), not one object per line; "
                                     "load it with --format json")
                if obj is not None:
                    self.columns = [str(without_surrogates(str(k))[0]) for k in obj]
                    return

    def _element(self, text: str) -> str:
        """A line's JSON: in an array written one object per line, without its comma."""
        return text[:-1].rstrip() if self._array and text.endswith(",") else text

    def bytes_read(self) -> int:
        return self._disk.tell()

    def close(self) -> None:
        self._fh.close()

    def records(self) -> Iterator[Record]:
        number = 0
        try:
            for number, line in itertools.chain(self._pending, self._lines):
                if isinstance(line, LineTooLong):
                    yield Record(number, None, f"[line {number} not kept]", self.encoding,
                                 False, line.reason(f"line {number}"))
                    continue
                text = line.text.strip().lstrip("\ufeff")
                if not text or (self._array and (number == self._array or text == "]")):
                    continue  # a blank line; the brackets of an array, one object per line
                text = self._element(text)
                repeats = self._parser.objects
                obj, why = parse_object(text, self._header, self._parser)
                if self._parser.objects > repeats:
                    self._repeated_at, self._repeated_rows = self._repeated_at or number, self._repeated_rows + 1
                obj, fixed = _clean(obj, text)  # half an emoji ("\\ud83d"): U+FFFD, a broken row
                if why is not None and self._array and why.startswith("invalid JSON"):
                    why += "; the file is a JSON array: --format json reads it whole"
                yield Record(number, obj, line.text, line.encoding, line.error or fixed, why)
            if self._cut is not None:
                raise self._cut
        except InputCutShort as exc:
            yield cut_short_record(self.path, number + 1, "", self.encoding, exc)
        if self._parser.repeated:  # once per file, naming the keys
            self.notes = (*self.notes, repeated_note(self._parser.repeated, self._repeated_rows,
                                                     self._repeated_at))


class JsonTable(Table):
    """A JSON array of objects (or an object holding one such array, like ``{"data": [...]}``:
    :func:`~opinion.io.jsonarrays.records_array` says which, preferring the array whose objects
    have the field ``prefer``, the ``--text-col`` given).

    The file is read whole, up to ``max_bytes``; each element is parsed on its own when the
    whole cannot be, so one invalid or too deeply nested element is one rejected row.
    """

    def __init__(self, path: Path, *, encoding: str, known: str | None = None,
                 max_bytes: int = DEFAULT_MAX_BYTES, prefer: str | None = None) -> None:
        self.path, self.max_bytes, self.prefer = path, max_bytes, prefer
        self.array: str | None = None  # the array read, when the answer held others (data.list)
        spec = text_spec(path, encoding, fmt="json", known=known)
        self.encoding = spec.encoding
        try:
            with open_bytes(path) as fh:
                data = read_whole(fh, max_bytes)
        except InputCutShort as exc:
            raise InputError(f"{path}: {exc}") from None
        if isinstance(data, LineTooLong):
            raise InputError(
                f"{path}: a JSON file is read whole and this one has {data.size:,} bytes, over "
                f"the limit of {data.limit:,} (--max-field-mb {megabytes(data.limit)}); convert "
                "it to JSON Lines (one object per line, read line by line) or raise the limit")
        self._text, self._broken = self._decode(data, spec.encoding, spec.fallback)
        self.columns, self._first_row = [], 1
        self._parser, self._repeated_rows = JsonParser(keep=True), 0
        self._items = self._top_level()
        if self._parser.repeated:
            self.notes = (*self.notes, repeated_note(self._parser.repeated, self._repeated_rows, None))
            self._parser.reset()
        self._fixed: set[int] = set()  # items that held half an emoji ("\\ud83d"): broken rows
        if _MAYBE_SURROGATE.search(self._text):
            for i, item in enumerate(self._items):
                if not isinstance(item, _Unparsed):
                    self._items[i], fixed = without_surrogates(item)
                    if fixed:
                        self._fixed.add(i)
        fields: dict[str, None] = {}  # of the first objects: a card without a post may come first
        for item in [item for item in self._items if isinstance(item, dict)][:50]:
            fields.update(dict.fromkeys(map(str, item)))
        self.columns, self.sample_rows = self.columns or list(fields), []

    @staticmethod
    def _decode(data: bytes, encoding: str, fallback: bool) -> tuple[str, bool]:
        try:
            return data.decode(encoding).lstrip("\ufeff"), False
        except UnicodeDecodeError:
            pass
        line = LineDecoder(encoding, fallback=fallback).decode(data)
        return line.text.lstrip("\ufeff"), line.error

    def _top_level(self) -> list[Any]:
        """The array's items: parsed values, or the text of those that failed to parse."""
        text, path = self._text, self.path
        try:
            obj = self._parser.loads(text)
        except (ValueError, RecursionError):
            return self._items_one_by_one()
        if isinstance(obj, dict):
            found = records_array(obj, path, self.prefer)
            obj = found.records
            if found.note or "[]" in found.path:
                self.array, self.notes = found.path, (found.note,) if found.note else ()
        if not isinstance(obj, list):
            raise InputError(f"{path}: expected a JSON array of objects; found "
                             f"{type(obj).__name__}")
        self._repeated_rows = rows_holding(obj, self._parser.holders or [])
        header = header_names(_clean(obj[0], text)[0]) if obj else None
        if header is None:
            return [flat_fields(item) if isinstance(item, dict) else item for item in obj]
        self.columns, self._first_row = header, 2  # [["标题", "内容"], ["武汉", "武汉加油"], …]
        rows = [(item, *_as_row(item, header)) for item in obj[1:]]
        return [row if why is None else _Unparsed(json.dumps(_clean(item, text)[0], ensure_ascii=False), why)
                for item, row, why in rows]

    def _items_one_by_one(self) -> list[Any]:
        head = self._text.lstrip()[:1]
        start = self._text.find("[")  # the array itself, or the first one in an object
        if head not in ("[", "{") or start < 0:
            raise InputError(f"{self.path}: invalid JSON; for one object per line use .jsonl "
                             "or --format jsonl")
        items: list[Any] = []
        self._parser.reset()  # the whole text's parse failed part of the way in
        try:
            for item in _elements(self._text, start):
                if _depth(item) > MAX_JSON_DEPTH:
                    items.append(_Unparsed(item, f"JSON nested too deep (more than "
                                                 f"{MAX_JSON_DEPTH} levels)"))
                    continue
                repeats = self._parser.objects
                obj, why = parse_object(item, parser=self._parser)
                self._repeated_rows += self._parser.objects > repeats
                items.append(obj if why is None else _Unparsed(item, why))
        except ValueError as exc:
            raise InputError(f"{self.path}: invalid JSON ({exc}); for one object per line "
                             "use .jsonl or --format jsonl") from None
        return items

    def records(self) -> Iterator[Record]:
        for index, item in enumerate(self._items):
            number = index + self._first_row
            if isinstance(item, _Unparsed):
                yield Record(number, None, item.text.strip(), self.encoding, self._broken,
                             item.reason)
                continue
            raw = json.dumps(item, ensure_ascii=False, default=str)
            broken = (self._broken and "\ufffd" in raw) or index in self._fixed
            if isinstance(item, dict):
                yield too_long_field(Record(number, item, raw, self.encoding, broken),
                                     self.max_bytes)
            else:
                yield Record(number, None, raw, self.encoding, broken,
                             f"not a JSON object (a {type(item).__name__})")


class _Unparsed:
    """An array element that could not be parsed, with why."""

    def __init__(self, text: str, reason: str) -> None:
        self.text, self.reason = text, reason
