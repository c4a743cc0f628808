"""Readers that turn one input file into records, losing none.

Every reader yields :class:`Record` objects: the row number a user can find in the file
(line of a CSV/JSONL, row of an Excel sheet, record number in JSON/Parquet), the values by
column, the encoding that decoded it and whether bytes were broken. A row that cannot be
read is yielded too, with ``reject`` saying why, so that rows read = loaded + rejected.

    >>> table = open_table(Path("weibo.csv.gz"), "csv")  # doctest: +SKIP
    >>> table.columns, table.encoding  # doctest: +SKIP
    (['userid', 'text'], 'gb18030')
"""

from __future__ import annotations

import abc
import csv
import itertools
import json
import sys
from collections import deque
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple

from opinion.errors import InputError
from opinion.io.columns import looks_like_header, numbered_names, unique_names
from opinion.io.encoding import (
    SAMPLE_BYTES,
    WIDE_ENCODINGS,
    DecodedLine,
    LineDecoder,
    binary_kind,
    detect_encoding,
    normalize_encoding_name,
)
from opinion.io.sources import open_bytes, read_sample

# A quoted CSV field may span lines, but one spanning more than this is taken to be an
# unclosed quote: its first line is rejected and parsing resumes on the next line.
MAX_RECORD_LINES = 5_000
HEADERLESS_SAMPLE = 50
FIELD_SIZE_LIMIT = min(sys.maxsize, 2**31 - 1)  # a 50 MB post is still one field


class Record(NamedTuple):
    """One row of an input; ``values`` is None and ``reject`` says why when unreadable."""

    row: int
    values: dict[str, Any] | None
    raw: str | None
    encoding: str
    decode_error: bool = False
    reject: str | None = None


class _TooManyLines(Exception):
    pass


def file_encoding(path: Path, encoding: str, *, fmt: str) -> str:
    """The encoding to read ``path`` with: the given one, or detected from a sample.

    Raises :class:`InputError` when the file is binary rather than text.
    """
    sample, truncated = read_sample(path, SAMPLE_BYTES)
    kind = binary_kind(sample)
    if kind is not None:
        raise InputError(f"{path}: looks like {kind}, not a {fmt} text file; check the file")
    if encoding != "auto":
        return normalize_encoding_name(encoding)
    return detect_encoding(sample, truncated=truncated)


def decoded_lines(fh: BinaryIO, encoding: str) -> Iterator[tuple[int, DecodedLine]]:
    """Number and decode each line; only wide encodings (UTF-16/32) decode the whole file."""
    if encoding in WIDE_ENCODINGS:
        data = fh.read()
        try:
            text, broken = data.decode(encoding), False
        except UnicodeDecodeError:
            text, broken = data.decode(encoding, errors="replace"), True
        lines = text.split("\n")
        for number, line in enumerate(lines, start=1):
            if number < len(lines):
                line += "\n"
            elif not line:
                break
            yield number, DecodedLine(line, encoding, broken and "\ufffd" in line)
        return
    decoder = LineDecoder(encoding)
    for number, raw in enumerate(fh, start=1):
        yield number, decoder.decode(raw)


class _LineFeed:
    """Feeds decoded lines to ``csv.reader``, remembering those of the current record."""

    def __init__(self, lines: Iterator[tuple[int, DecodedLine]]) -> None:
        self._source = lines
        self._back: deque[tuple[int, DecodedLine]] = deque()
        self.taken: list[tuple[int, DecodedLine]] = []

    def __iter__(self) -> _LineFeed:
        return self

    def __next__(self) -> str:
        item = self._back.popleft() if self._back else next(self._source)
        self.taken.append(item)
        if len(self.taken) > MAX_RECORD_LINES:
            raise _TooManyLines
        return item[1].text

    def push_back(self, items: list[tuple[int, DecodedLine]]) -> None:
        self._back.extendleft(reversed(items))


class Table(abc.ABC):
    """An open tabular input: ``columns``, ``encoding``, ``has_header`` and ``records()``."""

    columns: list[str]
    encoding: str
    has_header: bool = True
    sample_rows: list[list[Any]]

    @abc.abstractmethod
    def records(self) -> Iterator[Record]:
        """Every row of the input, readable or not, in file order."""

    def bytes_read(self) -> int:
        """How far into the file (bytes on disk) reading has got, for progress bars."""
        return 0

    def close(self) -> None:
        """Release the file."""

    def __enter__(self) -> Table:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class DelimitedTable(Table):
    """CSV or TSV, parsed record by record with resynchronisation after broken quoting."""

    def __init__(self, path: Path, *, delimiter: str, encoding: str, fmt: str,
                 names: Sequence[str] | None = None) -> None:
        self.path, self.delimiter = path, delimiter
        csv.field_size_limit(FIELD_SIZE_LIMIT)  # process-wide; others may lower it
        self.encoding = file_encoding(path, encoding, fmt=fmt)
        self._fh = open_bytes(path)
        self._disk = getattr(self._fh, "fileobj", None) or self._fh  # under gzip
        self._feed = _LineFeed(decoded_lines(self._fh, self.encoding))
        self._rows = self._parse()
        self._pending: list[Record] = []
        self.columns, self.sample_rows = [], []
        if names:  # the user named the columns: there is no header line
            self.columns, self.has_header = unique_names(names), False
            return
        first = next(self._rows, None)
        if first is None:
            return
        if first.reject is not None:
            raise InputError(f"{path} line {first.row}: cannot read the header ({first.reject})")
        cells = first.values["fields"] if first.values else []
        self.has_header = looks_like_header(cells)
        if self.has_header:
            self.columns = unique_names(cells)
            return
        self._pending.append(first)
        for record in self._rows:
            self._pending.append(record)
            if len(self._pending) >= HEADERLESS_SAMPLE:
                break
        good = [r.values["fields"] for r in self._pending if r.values is not None]
        self.columns = numbered_names(max((len(f) for f in good), default=0))
        self.sample_rows = good

    def bytes_read(self) -> int:
        return self._disk.tell()

    def close(self) -> None:
        self._fh.close()

    def _reader(self) -> Iterator[list[str]]:
        return csv.reader(self._feed, delimiter=self.delimiter, strict=True)

    def _parse(self) -> Iterator[Record]:
        """Raw records: ``values={"fields": [...]}``; blank lines are skipped."""
        feed, reader = self._feed, self._reader()
        while True:
            feed.taken = []
            try:
                fields = next(reader)
            except StopIteration:
                return
            except (csv.Error, _TooManyLines) as exc:
                taken = feed.taken
                if not taken:
                    return
                (number, first), rest = taken[0], taken[1:]
                why = (f"quoted field still open after {MAX_RECORD_LINES} lines"
                       if isinstance(exc, _TooManyLines) else str(exc))
                yield Record(number, None, first.text, first.encoding, first.error,
                             f"malformed {self.delimiter == ',' and 'CSV' or 'TSV'} "
                             f"(unclosed quote? {why}); line {number} rejected, "
                             f"reading resumed at line {number + 1}")
                feed.push_back(rest)
                reader = self._reader()
                continue
            taken = feed.taken
            if not fields or (len(fields) == 1 and not fields[0].strip()):
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
            if len(fields) != width:
                if len(fields) > width and not any(f.strip() for f in fields[width:]):
                    fields = fields[:width]
                else:
                    yield Record(record.row, None, record.raw, record.encoding,
                                 record.decode_error,
                                 f"ragged row: {len(fields)} fields, header has {width}")
                    continue
            yield Record(record.row, dict(zip(columns, fields)), record.raw, record.encoding,
                         record.decode_error)


class JsonLinesTable(Table):
    """One JSON object per line; a line that is not an object is rejected."""

    def __init__(self, path: Path, *, encoding: str) -> None:
        self.path = path
        self.encoding = file_encoding(path, encoding, fmt="jsonl")
        self._fh = open_bytes(path)
        self._disk = getattr(self._fh, "fileobj", None) or self._fh  # under gzip
        self._lines = decoded_lines(self._fh, self.encoding)
        self._pending: list[tuple[int, DecodedLine]] = []
        self.columns, self.sample_rows = [], []
        for number, line in self._lines:
            self._pending.append((number, line))
            try:
                obj = json.loads(line.text)
            except ValueError:
                continue
            if isinstance(obj, dict):
                self.columns = [str(k) for k in obj]
                break

    def bytes_read(self) -> int:
        return self._disk.tell()

    def close(self) -> None:
        self._fh.close()

    def records(self) -> Iterator[Record]:
        for number, line in itertools.chain(self._pending, self._lines):
            text = line.text.strip().lstrip("\ufeff")
            if not text:
                continue
            try:
                obj = json.loads(text)
            except ValueError as exc:
                yield Record(number, None, line.text, line.encoding, line.error,
                             f"invalid JSON ({exc})")
                continue
            if not isinstance(obj, dict):
                yield Record(number, None, line.text, line.encoding, line.error,
                             f"not a JSON object (a {type(obj).__name__})")
                continue
            yield Record(number, obj, line.text, line.encoding, line.error)


class JsonTable(Table):
    """A JSON array of objects (or an object holding one such array, like ``{"data": [...]}``)."""

    def __init__(self, path: Path, *, encoding: str) -> None:
        self.path = path
        self.encoding = file_encoding(path, encoding, fmt="json")
        with open_bytes(path) as fh:
            data = fh.read()
        try:
            text, self._broken = data.decode(self.encoding), False
        except UnicodeDecodeError:
            text, self._broken = data.decode(self.encoding, errors="replace"), True
        try:
            obj = json.loads(text.lstrip("\ufeff"))
        except ValueError as exc:
            raise InputError(
                f"{path}: invalid JSON ({exc}); for one object per line use .jsonl "
                "or --format jsonl"
            ) from None
        if isinstance(obj, dict):
            lists = [v for v in obj.values() if isinstance(v, list)]
            if len(lists) != 1:
                raise InputError(f"{path}: expected a JSON array of objects (or an object "
                                 "holding one array); found an object")
            obj = lists[0]
        if not isinstance(obj, list):
            raise InputError(f"{path}: expected a JSON array of objects; found "
                             f"{type(obj).__name__}")
        self._items = obj
        first = next((item for item in obj if isinstance(item, dict)), {})
        self.columns, self.sample_rows = [str(k) for k in first], []

    def records(self) -> Iterator[Record]:
        for number, item in enumerate(self._items, start=1):
            raw = json.dumps(item, ensure_ascii=False, default=str)
            broken = self._broken and "\ufffd" in raw
            if isinstance(item, dict):
                yield Record(number, item, raw, self.encoding, broken)
            else:
                yield Record(number, None, raw, self.encoding, broken,
                             f"not a JSON object (a {type(item).__name__})")


class ParquetTable(Table):
    """A Parquet file, read batch by batch."""

    def __init__(self, path: Path) -> None:
        import pyarrow.parquet as pq

        self.path, self.encoding = path, "utf-8"
        try:
            self._file = pq.ParquetFile(path)
        except Exception as exc:  # noqa: BLE001 - pyarrow raises several types
            raise InputError(f"{path}: not a readable Parquet file ({exc})") from None
        self.columns, self.sample_rows = list(self._file.schema_arrow.names), []

    def records(self) -> Iterator[Record]:
        number = 0
        for batch in self._file.iter_batches(batch_size=10_000):
            for item in batch.to_pylist():
                number += 1
                yield Record(number, item, None, self.encoding)


class ExcelTable(Table):
    """One sheet of an .xlsx workbook; row numbers are the sheet's own."""

    def __init__(self, path: Path, *, sheet: str | None) -> None:
        import zipfile

        from openpyxl import load_workbook

        self.path, self.encoding = path, "utf-8"
        try:
            self._book = load_workbook(path, read_only=True, data_only=True)
        except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
            raise InputError(f"{path}: not a readable .xlsx workbook ({exc})") from None
        names = self._book.sheetnames
        if sheet is not None and sheet not in names:
            raise InputError(f"{path}: no sheet {sheet!r}; sheets are [{', '.join(names)}]; "
                             "pass --sheet NAME")
        self.sheet = sheet or names[0]
        rows = self._book[self.sheet].iter_rows(values_only=True)
        self._rows = enumerate(rows, start=1)
        self.columns, self.sample_rows = [], []
        for number, cells in self._rows:
            if any(_cell_text(c) for c in cells):
                self.columns = unique_names(_trim(cells))
                self.header_row = number
                break

    def close(self) -> None:
        self._book.close()

    def records(self) -> Iterator[Record]:
        for number, cells in self._rows:
            cells = _trim(cells)
            if not cells:
                continue
            names = self.columns + numbered_names(len(cells))[len(self.columns):]
            yield Record(number, dict(zip(names, cells)), None, self.encoding)


def _cell_text(cell: Any) -> str:
    return "" if cell is None else str(cell).strip()


def _trim(cells: tuple[Any, ...]) -> list[Any]:
    cells = list(cells)
    while cells and not _cell_text(cells[-1]):
        cells.pop()
    return cells


def open_table(path: Path, fmt: str, *, encoding: str = "auto", sheet: str | None = None,
               names: Sequence[str] | None = None) -> Table:
    """Open a tabular input of format ``fmt`` (csv, tsv, jsonl, json, parquet, xlsx).

    ``names`` names the columns of a CSV/TSV file that has no header line.
    """
    if fmt in ("csv", "tsv"):
        return DelimitedTable(path, delimiter="," if fmt == "csv" else "\t",
                              encoding=encoding, fmt=fmt, names=names)
    if names:
        raise InputError(f"{path}: --columns names the columns of CSV/TSV files without a "
                         f"header; this is a {fmt} file")
    if fmt == "jsonl":
        return JsonLinesTable(path, encoding=encoding)
    if fmt == "json":
        return JsonTable(path, encoding=encoding)
    if fmt == "parquet":
        return ParquetTable(path)
    if fmt == "xlsx":
        return ExcelTable(path, sheet=sheet)
    raise InputError(f"{path}: {fmt} is not a tabular format")
