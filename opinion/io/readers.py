"""Readers that turn one input file into records, losing none.

Every reader yields :class:`Record` objects: the row number a user can find in the file
(line of a CSV/JSONL, row of an Excel sheet, record number in JSON/Parquet), the values by
column, the encoding that decoded it and whether bytes were broken. A row that cannot be
read is yielded too, with ``reject`` saying why, so that rows read = loaded + rejected:
a broken quote, a ragged row, a field over the size limit (``field too long``), the rest
of a gzip file that is cut short.

    >>> table = open_table(Path("weibo.csv.gz"), "csv")  # doctest: +SKIP
    >>> table.columns, table.encoding  # doctest: +SKIP
    (['userid', 'text'], 'gb18030')
"""

from __future__ import annotations

import abc
import csv
import itertools
import re
import sys
from collections import deque
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from opinion.errors import InputError
from opinion.io.columns import is_known_name, looks_like_header, numbered_names, unique_names
from opinion.io.encoding import (
    SAMPLE_BYTES,
    DecodedLine,
    binary_kind,
    check_named_encoding,
    detect_encoding,
    named_codec,
    normalize_encoding_name,
)
from opinion.io.lines import (
    DEFAULT_MAX_BYTES,
    InputCutShort,
    LineTooLong,
    decoded_lines,
    line_end_of,
    record_ends,
)
from opinion.io.sources import open_bytes, read_sample

# A quoted CSV field may span lines, but one spanning more than this is taken to be an
# unclosed quote: its first line is rejected and parsing resumes on the next line.
MAX_RECORD_LINES = 5_000
HEADERLESS_SAMPLE = 50
FIELD_SIZE_LIMIT = min(sys.maxsize, 2**31 - 1)  # lines and records are bounded instead
TITLE_ROW = ("title line above the header row (one filled cell over a wider row), not a document; "
             "the header is the next row")
_OTHER_DELIMITERS = ("\t", ",", ";", "|")  # tried on a header line the format's own leaves whole
COLUMNS_HINT = " (pass --columns to read it otherwise)"  # a load option: callers without it drop it

_DELIMITER_NAMES = {"\t": "tabs", ",": "commas", ";": "semicolons", "|": "vertical bars"}
_SEP_LINE = re.compile(r"^\ufeff?sep=(.)\s*$", re.IGNORECASE)  # Excel's first line


def _blank(record: Record) -> bool:
    """Whether a parsed record is a blank line (no fields)."""
    return record.values is not None and not record.values["fields"]


def _fields(record: Record | None) -> list[str]:
    return record.values["fields"] if record is not None and record.values else []


MAX_TITLE_ROWS = 5  # title lines a 舆情 export may put over its header (report name, export time …)


GROUP_ROW = ("group header above the header row (merged cells over the column names), not a "
             "document; the header is the next row")


def is_group_header(cells: Sequence[Any], below: Sequence[Any]) -> bool:
    """Whether a row is a group header over the real header, as exports with merged cells
    have them (``基本信息 | | 内容信息 |`` over ``序号 | 发布时间 | 标题 | 正文``): its filled
    cells are no known column names and fewer than its width, and the row below has more
    filled cells, one of them a known column name."""
    filled = [str(c).strip() for c in cells if str(c).strip()]
    width = len(list(cells)) - next((i for i, c in enumerate(reversed(list(cells))) if str(c).strip()), 0)
    names = [str(c).strip() for c in below if str(c).strip()]
    return (bool(filled) and len(filled) < width and not any(is_known_name(c) for c in filled)
            and len(names) > len(filled) and any(is_known_name(c) for c in names))


def is_title_line(cells: Sequence[Any]) -> bool:
    """Whether a row is a title line over a header: one filled cell, in the first column,
    that is not a known column name (``舆情监测导出``, ``导出时间：2020-02-05 10:00``)."""
    filled = [c for c in cells if str(c).strip()]
    return len(filled) == 1 and bool(str(cells[0]).strip()) and not is_known_name(str(cells[0]))


class Record(NamedTuple):
    """One row of an input; ``values`` is None and ``reject`` says why when unreadable."""

    row: int
    values: dict[str, Any] | None
    raw: str | None
    encoding: str
    decode_error: bool = False
    reject: str | None = None


class TextSpec(NamedTuple):
    """How to read a text file: its encoding, whether other encodings may be tried line by
    line (``fallback``, only when detected) and the byte ending its lines."""

    encoding: str
    fallback: bool = True
    newline: bytes = b"\n"
    nul_padded: bool = False  # text padded with NUL bytes, read without them (CSV/TSV, a named encoding)

NUL_KIND = "binary data (NUL bytes)"


def _binary_refusal(path: Path, kind: str, fmt: str) -> InputError:
    """The error for a file that looks binary; NUL-padded CSV names its way in."""
    padded = (" If it is text padded with NUL bytes (a database's CHAR(n) columns), pass --encoding "
              "with its encoding (utf-8, gb18030 …): the NULs are then left out" if kind == NUL_KIND and
              fmt in ("csv", "tsv") else "")
    return InputError(f"{path}: looks like {kind}, not a {fmt} text file; check the file.{padded}")


def text_spec(path: Path, encoding: str, *, fmt: str, known: str | None = None) -> TextSpec:
    """How to read ``path``: the named encoding, ``known`` (detected before) or a detected one.
    A CSV/TSV that is text but for NUL padding reads without the NULs with a named encoding.

    Raises :class:`InputError` when the file is binary, or is not in the named encoding.
    """
    sample, truncated = read_sample(path, SAMPLE_BYTES)
    named = named_codec(sample, normalize_encoding_name(encoding), truncated=truncated) if encoding != "auto" else None
    kind = binary_kind(sample, encoding=named)
    padded = (kind == NUL_KIND and named is not None and fmt in ("csv", "tsv")
              and binary_kind(sample.replace(b"\0", b""), encoding=named) is None)
    if kind is not None and not padded:
        raise _binary_refusal(path, kind, fmt)
    if named is not None:
        sample = sample.replace(b"\0", b"") if padded else sample
        why = check_named_encoding(sample, named, truncated=truncated)
        if why:
            guess = detect_encoding(sample, truncated=truncated)
            raise InputError(f"{path}: not {named} as --encoding says ({why}); it looks like "
                             f"{guess}: pass --encoding {guess}, or --encoding auto")
        return TextSpec(named, False, line_end_of(sample), padded)
    return TextSpec(known or detect_encoding(sample, truncated=truncated), True,
                    line_end_of(sample))


def too_long_field(record: Record, limit: int) -> Record:
    """``record``, or a reject when one of its text values is over ``limit`` bytes."""
    for column, value in (record.values or {}).items():
        if isinstance(value, str) and len(value) > limit // 4:
            size = len(value.encode("utf-8", errors="replace"))
            if size > limit:
                reason = LineTooLong(size, limit).reason(f"column {column}")
                return Record(record.row, None, record.raw, record.encoding,
                              record.decode_error, reason)
    return record


class _RecordTooLong(Exception):
    pass


class _LineFeed:
    """Feeds decoded lines to ``csv.reader``, remembering those of the current record. A line
    holding several records (ends outside quotes before its own) is fed as one line each,
    numbered on (the lines after it too), as an editor numbers them."""

    def __init__(self, lines: Iterator[tuple[int, DecodedLine | LineTooLong]],
                 limit: int) -> None:
        self._source, self.limit = lines, limit
        self._back: deque[tuple[int, DecodedLine | LineTooLong]] = deque()
        self.taken: list[tuple[int, DecodedLine]] = []
        self.size = 0
        self.last = 0  # number of the last line taken
        self.too_long: tuple[int, LineTooLong] | None = None
        self._error: InputCutShort | None = None  # met while peeking, raised when reached
        self._shift = 0  # lines added by cutting lines of several records
        self._looked = 0  # the last line number looked at for more records
        self.width: int | None = None  # the header's fields, once read: a cut leaves whole records
        self.delimiter = ","

    def __iter__(self) -> _LineFeed:
        return self

    def _draw(self) -> tuple[int, DecodedLine | LineTooLong]:
        number, line = next(self._source)
        return number + self._shift, line

    def _cut(self, number: int, line: DecodedLine) -> DecodedLine:
        """``line``'s first record; its others go back to be read next, numbered on. Once the
        header is read (``shape``), a line is cut only where the record before is whole."""
        self._looked = number
        body = line.text.rstrip("\r\n")
        if "\r" not in body and "\n" not in body:
            return line  # the common case: one record
        head = "".join(taken.text for _, taken in self.taken)
        pieces = record_ends(line.text, head.count('"') % 2 == 1, width=self.width,
                             delimiter=self.delimiter, head=head)
        if len(pieces) == 1:
            return line
        more = len(pieces) - 1
        self._back = deque((n + more if n > number else n, x) for n, x in self._back)
        self._back.extendleft(reversed([(number + i, line._replace(text=piece))
                                        for i, piece in enumerate(pieces[1:], start=1)]))
        self._shift += more
        self._looked = number + more
        return line._replace(text=pieces[0])

    def __next__(self) -> str:
        if self._back:
            number, line = self._back.popleft()
        elif self._error is not None:
            raise self._error
        else:
            number, line = self._draw()
        if number > self._looked and not isinstance(line, LineTooLong):
            line = self._cut(number, line)
        self.last = number
        if isinstance(line, LineTooLong):
            self.too_long = (number, line)
            raise _RecordTooLong(line.reason(f"line {number}"))
        self.taken.append((number, line))
        self.size += len(line.text)
        if len(self.taken) > MAX_RECORD_LINES:
            raise _RecordTooLong(f"quoted field still open after {MAX_RECORD_LINES} lines")
        if self.size > self.limit and len(self.taken) > 1:
            raise _RecordTooLong(f"quoted field longer than {self.limit:,} characters")
        return line.text

    def next_record(self) -> None:
        self.taken, self.size, self.too_long = [], 0, None

    def push_back(self, items: list[tuple[int, DecodedLine]]) -> None:
        self._back.extendleft(reversed(items))

    def peek(self, ahead: int = 0) -> tuple[int, DecodedLine | LineTooLong] | None:
        """The next line (``ahead=1``: the one after it), left to be taken."""
        while len(self._back) <= ahead:
            if self._error is not None:
                return None
            try:
                item = self._draw()
            except StopIteration:
                return None
            except InputCutShort as exc:
                self._error = exc
                return None
            self._back.append(item)
        return self._back[ahead]


class Table(abc.ABC):
    """An open tabular input: ``columns``, ``encoding``, ``has_header`` and ``records()``."""

    columns: list[str]
    encoding: str
    has_header: bool = True
    sample_rows: list[list[Any]]
    notes: tuple[str, ...] = ()  # what the reader left out and how to read it (other sheets)

    @abc.abstractmethod
    def records(self) -> Iterator[Record]:
        """Every row of the input, readable or not, in file order."""

    def bytes_read(self) -> int:
        """How far into the file (bytes on disk) reading has got, for progress bars."""
        return 0

    def close(self) -> None:  # noqa: B027 (optional hook: most tables hold nothing open)
        """Release the file."""

    def __enter__(self) -> Table:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def cut_short_record(path: Path, number: int, partial: str, encoding: str,
                     exc: InputCutShort) -> Record:
    """The reject standing for everything from line ``number`` of a cut-short file on."""
    return Record(number, None, partial, encoding, False,
                  f"{exc} (from line {number} on)")


class DelimitedTable(Table):
    """CSV or TSV, parsed record by record with resynchronisation after broken quoting.

    Excel's ``sep=;`` first line sets the delimiter; CR-only line ends are read as such.
    """

    def __init__(self, path: Path, *, delimiter: str, encoding: str, fmt: str,
                 names: Sequence[str] | None = None, known: str | None = None,
                 max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.path, self.delimiter, self.fmt = path, delimiter, fmt
        csv.field_size_limit(FIELD_SIZE_LIMIT)  # process-wide; others may lower it
        spec = text_spec(path, encoding, fmt=fmt, known=known)
        self.encoding = spec.encoding
        self._fh = open_bytes(path)
        self._disk = getattr(self._fh, "fileobj", None) or self._fh  # under gzip
        lines = decoded_lines(self._fh, spec.encoding, fallback=spec.fallback,
                              limit=max_bytes, newline=spec.newline)
        if spec.nul_padded:
            lines = ((n, x._replace(text=x.text.replace("\0", "")) if isinstance(x, DecodedLine) else x)
                     for n, x in lines)
        self._feed = _LineFeed(lines, max_bytes)
        self._choose_delimiter(sniff=not names)
        self._rows = self._parse()
        self._pending: list[Record] = []
        self.columns, self.sample_rows = [], []
        if names:  # the user named the columns: there is no header line
            self.columns, self.has_header = unique_names(names), False
            self._feed.width, self._feed.delimiter = len(self.columns), self.delimiter
            return
        filled = (r for r in self._rows if not _blank(r))  # blank lines over the header: none
        first = next(filled, None)
        if first is None:
            return
        if first.reject is not None:
            raise InputError(f"{path} line {first.row}: cannot read the header ({first.reject})")
        cells = first.values["fields"] if first.values else []
        titles: list[Record] = []  # title lines (舆情监测导出 / 导出时间：…) over the header?
        while is_title_line(cells) and len(titles) < MAX_TITLE_ROWS:
            titles.append(first)
            below = next(filled, None)
            if below is None:
                break
            first, cells = below, _fields(below)
        group, after = None, None  # merged group cells (基本信息 | 内容信息) over the column names?
        if (not titles or first is not titles[-1]) and any(c.strip() for c in cells) and not looks_like_header(cells):
            after = next(filled, None)
            if after is not None and is_group_header(cells, _fields(after)) and looks_like_header(_fields(after)):
                group, first, cells, after = first, after, _fields(after), None
        if (titles or group) and len(cells) >= 2 and looks_like_header(cells):
            self._pending.extend(Record(t.row, None, t.values["fields"][0], self.encoding, False, TITLE_ROW)
                                 for t in titles if t.values)
            if group is not None:
                named = " | ".join(c.strip() for c in _fields(group) if c.strip())
                self._pending.append(Record(group.row, None, named, self.encoding, False, GROUP_ROW))
        elif titles or group:  # neither after all: read from the first of them again, in file order
            last = titles[-1] if titles else None
            rows = [*titles, *([group] if group else []), *([first] if first is not last else [])]
            first, cells = rows[0], _fields(rows[0])
            self._pending.extend(rows[1:])
        if after is not None:
            self._pending.append(after)
        self.has_header = looks_like_header(cells)
        if self.has_header:
            self.columns = unique_names(cells, first_blank="index")
            self._feed.width, self._feed.delimiter = len(cells), self.delimiter
            return
        self._pending.insert(0, first)  # before the row looked at below it, if any
        for record in self._rows:
            self._pending.append(record)
            if len(self._pending) >= HEADERLESS_SAMPLE:
                break
        good = [r.values["fields"] for r in self._pending if r.values is not None and not _blank(r)]
        self.columns = numbered_names(max((len(f) for f in good), default=0))
        self.sample_rows = good

    def _choose_delimiter(self, *, sniff: bool = True) -> None:
        """The delimiter: Excel's ``sep=X`` first line sets it (the line is no row). Without
        one, a header line that the format's delimiter leaves whole but another (tab, ``;``,
        ``|``, ``,``) splits into column names sets it, with a note (a tab-separated ``.csv``:
        ``id<TAB>text<TAB>date``)."""
        first = self._feed.peek()
        if first is None or isinstance(first[1], LineTooLong):
            return
        line = first[1].text.rstrip("\r\n")
        match = _SEP_LINE.match(line)
        if match:
            self.delimiter = match.group(1)
            next(self._feed)
        elif sniff and self.delimiter not in line:
            second = self._feed.peek(1)
            row = "" if second is None or isinstance(second[1], LineTooLong) else second[1].text
            for other in _OTHER_DELIMITERS:
                names = next(csv.reader([line], delimiter=other))
                fields = len(next(csv.reader([row], delimiter=other), names))  # and the next row
                if (other != self.delimiter and len(names) >= 2 and looks_like_header(names)
                        and (not row.strip() or fields == len(names))):
                    self.notes = (f"the header is split by {_DELIMITER_NAMES[other]}, not by "
                                  f"{_DELIMITER_NAMES[self.delimiter]}: read as such{COLUMNS_HINT}",)
                    self.delimiter = other
                    return

    def bytes_read(self) -> int:
        return self._disk.tell()

    def close(self) -> None:
        self._fh.close()

    def _reader(self) -> Iterator[list[str]]:
        return csv.reader(self._feed, delimiter=self.delimiter, strict=True)

    def _malformed(self, why: str) -> Record:
        """Reject the first line of the record being read; the others are read again. A line
        whose quotes are only text (``"武汉加油" 他说``, a post that opens with a quotation, in
        a file that does not quote) is read as written when its quotes pair up and its fields,
        split at the delimiter, are exactly as many as the header's; an unclosed quote is
        still rejected."""
        (number, first), rest = self._feed.taken[0], self._feed.taken[1:]
        kind = "CSV" if self.delimiter != "\t" else "TSV"
        self._feed.push_back(rest)
        cells = first.text.rstrip("\r\n").split(self.delimiter)
        if self.columns and len(cells) == len(self.columns) and first.text.count('"') % 2 == 0:
            return Record(number, {"fields": cells}, first.text, first.encoding, first.error)
        return Record(number, None, first.text, first.encoding, first.error,
                      f"malformed {kind} (unclosed quote? {why}); line {number} rejected, "
                      f"reading resumed at line {number + 1}")

    def _too_long(self, why: str) -> Record:
        """Reject the record that holds a line over the limit, that line included."""
        feed = self._feed
        number = feed.taken[0][0] if feed.taken else feed.too_long[0]  # type: ignore[index]
        kept = "".join(line.text for _, line in feed.taken)
        return Record(number, None, kept + f"[line {feed.too_long[0]} not kept]",  # type: ignore[index]
                      self.encoding, False, why)

    def _parse(self) -> Iterator[Record]:
        """Raw records: ``values={"fields": [...]}``; a blank line has no fields (a row of
        a one-column file, else skipped: :meth:`records`)."""
        feed, reader = self._feed, self._reader()
        while True:
            feed.next_record()
            try:
                fields = next(reader)
            except StopIteration:
                return
            except InputCutShort as exc:
                partial = "".join(line.text for _, line in feed.taken)
                number = feed.taken[0][0] if feed.taken else feed.last + 1
                yield cut_short_record(self.path, number, partial, self.encoding, exc)
                return
            except (csv.Error, _RecordTooLong) as exc:
                if feed.too_long is not None:
                    yield self._too_long(str(exc))
                elif feed.taken:
                    yield self._malformed(str(exc))
                else:
                    return
                reader = self._reader()
                continue
            taken = feed.taken
            if not fields or (len(fields) == 1 and not fields[0].strip()):  # a blank line
                number, line = taken[0]
                yield Record(number, {"fields": []}, line.text, line.encoding, line.error)
                continue
            if len(taken) == 1:  # the common case, kept cheap
                number, line = taken[0]
                yield Record(number, {"fields": fields}, line.text, line.encoding, line.error)
                continue
            lines = [line for _, line in taken]
            encoding = next((ln.encoding for ln in lines if ln.encoding != self.encoding),
                            self.encoding)
            yield Record(taken[0][0], {"fields": fields}, "".join(ln.text for ln in lines),
                         encoding, any(ln.error for ln in lines))

    def records(self) -> Iterator[Record]:
        columns, width = self.columns, len(self.columns)
        for record in itertools.chain(self._pending, self._rows):
            if record.values is None:
                yield record
                continue
            fields = record.values["fields"]
            if not fields:  # a blank line: an empty post of a text-only file, else no row
                if width != 1:
                    continue
                fields = [""]
            if len(fields) != width:
                if len(fields) > width and not any(f.strip() for f in fields[width:]):
                    fields = fields[:width]
                elif width == 1 and record.raw is not None:  # one column: its commas are text
                    fields = [record.raw.rstrip("\r\n")]
                else:
                    yield Record(record.row, None, record.raw, record.encoding,
                                 record.decode_error,
                                 f"ragged row: {len(fields)} fields, header has {width} (quote a field "
                                 f"that holds the delimiter {self.delimiter!r})")
                    continue
            yield Record(record.row, dict(zip(columns, fields)), record.raw, record.encoding,
                         record.decode_error)
