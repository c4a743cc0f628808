"""From the records of one input to corpus rows, rejects and counts.

:class:`InputLoader` takes the records an input's reader yields, checks each (text, id,
duplicates, date) and hands the good rows to a writer: :class:`PartWriter` writes Parquet
parts (``opinion load``), :class:`RowCollector` keeps them in memory (``opinion topics
assign``). Every record is counted: ``rows_read == rows_loaded + rows_rejected``::

    >>> loader = InputLoader(plan, opts, index, writer=RowCollector())  # doctest: +SKIP
    >>> report = loader.run()  # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import hmac
import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import pyarrow as pa

from opinion import schema as S
from opinion.errors import InputError, some_of
from opinion.io.atomic import atomic_path
from opinion.io.columns import ColumnMapping
from opinion.io.dates import join_time, parse_date, unreadable_dates_fix
from opinion.io.dedup import DuplicateIndex, text_hash
from opinion.io.documents import PAGE_DATE, PAGE_SOURCE
from opinion.io.inputrecords import (
    FILE_ERRORS,
    document_ids,
    file_error,
    header_again,
    header_order,
    input_records,
    sheet_of,
)
from opinion.io.jsonfiles import regrouped, within
from opinion.io.lines import CUT_SHORT, DEFAULT_MAX_BYTES
from opinion.io.readers import Record
from opinion.io.sources import WORKBOOK_FORMATS, InputSource, readable
from opinion.io.timezones import DEFAULT_TIMEZONE

CORPUS_SCHEMA = pa.schema([
    (S.DOC_ID, pa.string()), (S.TITLE, pa.string()), (S.TEXT_RAW, pa.string()),
    (S.PUBLISHED_AT, pa.timestamp("ns")), (S.SOURCE, pa.string()),
    (S.INPUT_FILE, pa.string()), (S.INPUT_ROW, pa.int64()), (S.ENCODING, pa.string()),
    (S.DECODE_ERROR, pa.bool_()), (S.TEXT_HASH, pa.string()), (S.DUPLICATE_OF, pa.string()),
    (S.META, pa.string()),
])
__all__ = ["CORPUS_SCHEMA", "FILE_ERRORS", "FileReport", "InputLoader", "Options", "PartWriter", "Plan",
           "RowCollector", "file_error", "rows_table", "sheet_of"]  # file_error, sheet_of: inputrecords'
_strict = json.JSONEncoder(ensure_ascii=False, default=str, allow_nan=False).encode


def _finite(value: Any) -> Any:
    """``value`` with each NaN or infinite float in it made None."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value


def _to_json(meta: dict[str, Any]) -> str:
    """``meta`` as strict JSON: a NaN or infinite number (a Parquet float) is null, never the
    ``NaN``/``Infinity`` that JSON readers other than Python's refuse (since 2026-12-08)."""
    try:
        return _strict(meta)
    except ValueError:
        return _strict(_finite(meta))


@dataclass
class FileReport:
    """Counts for one input; ``rows_read == rows_loaded + rows_rejected`` always.

    ``error`` says why a file found in a folder or by a glob could not be read at all; it
    then counts as one rejected row.
    """

    path: str
    key: str
    format: str
    encoding: str
    sheet: str | None = None
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    duplicates: int = 0
    decode_errors: int = 0
    dates_missing: int = 0
    dates_unreadable: int = 0
    other_encoding_rows: int = 0
    columns: dict[str, Any] = field(default_factory=dict)
    parts: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    error: str | None = None


@dataclass
class Options:
    """The load settings that apply to every input."""

    encoding: str
    sheet: str | None
    drop_duplicates: bool
    date_from_filename: bool
    year: int | None
    chunk_rows: int
    drop_cols: tuple[str, ...]
    pseudonymize_cols: tuple[str, ...]
    column_names: tuple[str, ...] = ()
    salt: bytes = b""
    max_bytes: int = DEFAULT_MAX_BYTES
    txt_lines: bool = False  # a .txt file holds one document per line (--txt-lines, topics assign)
    timezone: str = DEFAULT_TIMEZONE  # the clock epoch values and zoned times are put on
    source_from_page: bool = False  # a document's source: the outlet its page names (PAGE_SOURCE)


@dataclass
class Plan:
    """One input checked and ready to read; ``error`` set when it is rejected whole."""

    source: InputSource
    key: str
    sha256: str
    encoding: str
    mapping: ColumnMapping
    columns: list[str]
    old: dict[str, Any] | None
    error: str | None = None
    rows: int | None = None  # the rows of an input rejected whole, when known (a copy of another)


class RowSink(Protocol):
    """Where an :class:`InputLoader` puts its rows."""

    parts: list[str]

    def add(self, row: tuple[Any, ...]) -> None: ...
    def flush(self) -> None: ...
    def discard(self) -> None: ...


def rows_table(rows: list[tuple[Any, ...]]) -> pa.Table:
    """Rows in the order of :data:`opinion.schema.CORPUS_COLUMNS` as an Arrow table."""
    columns = zip(*rows) if rows else [[] for _ in CORPUS_SCHEMA]
    return pa.Table.from_arrays(
        [pa.array(values, type=column.type) for values, column in zip(columns, CORPUS_SCHEMA)],
        schema=CORPUS_SCHEMA)


class PartWriter:
    """Writes the rows of one input as Parquet parts ``<key>-<nnnnn>`` of ``chunk_rows``
    into ``folder`` (the load's staging folder: they become visible on commit, which makes
    them durable all at once before the manifest names them)."""

    def __init__(self, folder: Path, key: str, chunk_rows: int) -> None:
        self.folder, self.key, self.chunk_rows = folder, key, chunk_rows
        self.rows: list[tuple[Any, ...]] = []
        self.parts: list[str] = []

    def add(self, row: tuple[Any, ...]) -> None:
        self.rows.append(row)
        if len(self.rows) >= self.chunk_rows:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        import pyarrow.parquet as pq

        part = f"{self.key}-{len(self.parts):05d}"
        with atomic_path(self.folder / f"{part}.parquet", durable=False) as tmp:
            pq.write_table(rows_table(self.rows), tmp)
        self.parts.append(part)
        self.rows = []

    def discard(self) -> None:
        for part in self.parts:
            (self.folder / f"{part}.parquet").unlink(missing_ok=True)
        self.parts, self.rows = [], []


class RowCollector:
    """Keeps the rows in memory (for reading new documents without a workspace)."""

    def __init__(self) -> None:
        self.rows: list[tuple[Any, ...]] = []
        self.parts: list[str] = []

    def add(self, row: tuple[Any, ...]) -> None:
        self.rows.append(row)

    def flush(self) -> None:
        pass

    def discard(self) -> None:
        self.rows = []


# Text made only of these is empty: whitespace, zero-width and direction marks, BOM, controls.
_INVISIBLE = re.compile(r"[\s\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\x00-\x1f\x7f-\x9f]+")


def _empty_text_reason(text: str, values: dict[str, Any], field: str | None) -> str:
    """Why a row has no text; a JSON record without the text ``field`` says which fields it has:
    ``_empty_text_reason("", {"text": "换了个字段名"}, "content")`` names ``text``."""
    if field is not None and field not in values and values:
        return (f"empty text: no field {field!r} in this row (it has {', '.join(map(str, values))}); "
                "rename the field or pass --text-col NAME")
    return "empty text (only invisible characters)" if text.strip() else "empty text"


def _readable(text: str) -> bool:
    """Whether ``text`` has something to read: not blank, not only zero-width or control characters."""
    return bool(text.strip()) and not _INVISIBLE.fullmatch(text)


def as_text(value: Any) -> str | None:
    """A cell as text; None for missing values (None, NaN). A list of strings (an article's
    paragraphs in JSON or Parquet) is one paragraph per line; other lists and objects are JSON
    (``{"zh": "嵌套"}``, not Python's ``{'zh': '嵌套'}``)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, str):
        return value
    if hasattr(value, "tolist") and not isinstance(value, (int, float)):  # numpy arrays (Parquet lists)
        value = value.tolist()
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        return "\n".join(v for v in value if v.strip())
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def id_text(value: Any) -> str:
    """An id cell as text; a whole number read as a float (a Parquet float64 column with a
    null, an Excel cell written ``1.0``) without its ``.0``: ``id_text(1.0) == "1"``."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    return (as_text(value) or "").strip()


def _pseudonym(value: Any, salt: bytes) -> str | None:
    text = as_text(value)
    if text is None or text == "":
        return text
    return hmac.new(salt, text.encode("utf-8"), hashlib.sha256).hexdigest()[:16]


class InputLoader:
    """Turns the records of one input into corpus rows, rejects and counts."""

    def __init__(self, plan: Plan, opts: Options, index: DuplicateIndex,
                 writer: RowSink) -> None:
        self.plan, self.opts, self.index, self.writer = plan, opts, index, writer
        self.rejects: list[dict[str, Any]] = []
        self.mapping, self.key = plan.mapping, plan.key
        self.mapped = plan.mapping.mapped()
        self.group = plan.source.is_document_group
        self.report = FileReport(
            path=plan.source.label, key=plan.key, format=plan.source.fmt,
            encoding=plan.encoding, sheet=sheet_of(plan.source, opts.sheet) if plan.source.fmt in WORKBOOK_FORMATS else None,
            columns=plan.mapping.as_dict())
        self.seen_ids: dict[str, int] = {}
        self.id_clashes: list[str] = []
        self.encodings: set[str] = set()
        self.new_hashes: list[str] = []  # what this input added to the index, to undo
        self.unreadable_dates: list[str] = []  # the first few, shown in a note
        self.title_only = 0  # rows with a title and an empty text, loaded as their title
        self.new_ids: list[str] = []
        self.order: dict[str, str] = {}  # after a header again in another order: a cell's column
        folder = self.group and plan.source.path.is_dir()  # not a .txt named on the command line
        self.names = document_ids(plan.source.files) if folder else {}  # ids by file name: tf-b

    def run(self, progress: Callable[[int, int], None] = lambda rows, offset: None
            ) -> FileReport:
        """Read every record; ``progress(rows, bytes_read)`` is called every 5,000 rows."""
        if self.plan.error is not None:
            self._reject_file(self.plan.error)
            return self.report
        try:
            records = input_records(self.plan, self.opts, self.report.notes, self.report.columns)
            for ordinal, (record, file, file_date, where) in enumerate(records, start=1):
                self.report.rows_read += 1
                if ordinal % 5000 == 0:
                    progress(5000, where())
                self._take(record, file, file_date)
            if self.id_clashes:
                raise InputError(
                    f"{self.plan.source.label}: column {self.mapping.id} repeats ids: "
                    f"{some_of(self.id_clashes, 5, '; ')}; ids must be unique (drop --id-col to number rows)")
            self.writer.flush()
        except FILE_ERRORS as exc:
            self._undo()
            if self.plan.source.named:
                raise
            self._reject_file(file_error(self.plan.source.label, exc))
        except BaseException:
            self._undo()
            raise
        self.report.parts = list(self.writer.parts)
        self.report.notes = [readable(note) for note in self.report.notes]  # printed, and in the manifest
        if self.report.dates_unreadable:
            self.report.notes.append(self._dates_note())
        if self.mapping.title_as_text:
            self.report.notes.append(f"{self.plan.source.label}: the text is read from the title column "
                                     f"{self.mapping.text!r} (the file has no text column; --text-col NAME "
                                     "picks another)")
        if self.title_only:
            self.report.notes.append(f"{self.plan.source.label}: {self.title_only:,} row(s) have a title and "
                                     "no text; loaded as their title (text_raw empty)")
        if self.group and self.encodings:
            self.report.encoding = "+".join(sorted(self.encodings))
        return self.report

    def _dates_note(self) -> str:
        """What the unreadable dates looked like, and the fix where there is one."""
        shown = ", ".join(repr(v) for v in self.unreadable_dates)
        fix = unreadable_dates_fix(self.unreadable_dates, year=self.opts.year)
        return (f"{self.plan.source.label}: {self.report.dates_unreadable:,} value(s) of date column "
                f"{self.mapping.date!r} could not be read (e.g. {shown}); those rows are loaded "
                f"without a date{fix}")

    def _undo(self) -> None:
        """Forget this input's rows: its parts, and its entries in the duplicate index."""
        self.writer.discard()
        for digest in self.new_hashes:
            self.index.first.pop(digest, None)
        self.index.ids.difference_update(self.new_ids)

    def _reject_file(self, reason: str) -> None:
        """The whole file is one rejected row (it was found in a folder or by a glob)."""
        counts = ("rows_loaded", "duplicates", "decode_errors", "dates_missing",
                  "dates_unreadable", "other_encoding_rows")
        for name in counts:
            setattr(self.report, name, 0)
        self.report.rows_read = self.report.rows_rejected = self.plan.rows or 1  # a copy: its rows
        self.report.error = reason
        self.rejects[:] = [{"file": self.plan.source.label, "row": 0, "reason": reason,
                            "raw": "", "input_key": self.key}]

    def _reject(self, record: Record, file: str, reason: str,
                values: dict[str, Any] | None = None) -> None:
        self.report.rows_rejected += 1
        raw = record.raw if record.raw is not None else json.dumps(
            values or {}, ensure_ascii=False, default=str)
        self.rejects.append({"file": file, "row": record.row, "reason": reason,
                             "raw": raw.rstrip("\r\n"), "input_key": self.key})

    def _values(self, record: Record) -> dict[str, Any]:
        values = regrouped(record.values or {}, self.mapped)
        if self.opts.drop_cols or self.opts.pseudonymize_cols:  # user drops user.name too
            values = {k: v for k, v in values.items() if not within(k, self.opts.drop_cols)}
            for col in [k for k in values if within(k, self.opts.pseudonymize_cols)]:
                values[col] = _pseudonym(values[col], self.opts.salt)
        return values

    def _doc_id(self, record: Record, values: dict[str, Any], file: str) -> str | None:
        """The row's id; None when the user's id is repeated (collected for the error)."""
        if self.mapping.id is None:
            if file not in self.names:  # a table's row, a single .txt's line
                return f"{self.key}-{record.row}"
            line = f"-{record.row}" if self.opts.txt_lines and self.plan.source.fmt == "txt" else ""
            return f"{self.key}-{self.names[file]}{line}"  # a folder's b.txt: tf-b, its 3rd line tf-b-3
        doc_id = id_text(values.get(self.mapping.id))
        if doc_id in self.seen_ids or doc_id in self.index.ids:
            first = self.seen_ids.get(doc_id)
            where = f"row {first}" if first else "an earlier input"
            self.id_clashes.append(f"{doc_id!r} (row {record.row}, also {where})")
            return None
        self.seen_ids[doc_id] = record.row
        return doc_id

    def _take(self, record: Record, file: str, file_date: Any) -> None:
        if record.reject is not None:
            self._reject(record, file, record.reject)
            if record.reject.startswith(CUT_SHORT):
                self.report.notes.append(f"{file}: {record.reject}; the {self.report.rows_read - 1} "
                                         "rows before were read")
            return
        mapping, report = self.mapping, self.report
        if not self.group and self.plan.source.fmt not in ("json", "jsonl") and record.values:
            order = header_order(record.values, self.plan.columns)
            if order is not None:  # the header again, in this order: the rows after it are read by it
                self.order = {old: new for old, new in zip(self.plan.columns, order) if old != new}
                self._reject(record, file, header_again(order, self.plan.columns), self._values(record))
                return
            if self.order:
                record = record._replace(values={self.order.get(k, k): v for k, v in record.values.items()})
        values = self._values(record)
        text = as_text(values.get(mapping.text)) or ""
        title = (as_text(values.get(mapping.title)) or None) if mapping.title else None
        if not _readable(text):
            if not _readable(title or ""):  # a headline without its body is still a document
                keyed = self.plan.source.fmt in ("json", "jsonl")  # a record names its own fields
                self._reject(record, file, _empty_text_reason(text, values, mapping.text if keyed else None),
                             values)
                return
            text = ""
            self.title_only += 1
        if mapping.id is not None and not (as_text(values.get(mapping.id)) or "").strip():
            self._reject(record, file, f"empty id in column {mapping.id}", values)
            return
        doc_id = self._doc_id(record, values, file)
        if doc_id is None or self.id_clashes:
            return  # only collecting the clashes now; the input will not be kept
        digest = text_hash(text or title or "")
        first = self.index.first.get(digest)
        if first is None:
            self.index.first[digest] = doc_id
            self.new_hashes.append(digest)
        else:
            report.duplicates += 1
            if self.opts.drop_duplicates:
                self._reject(record, file, f"duplicate of {first}", values)
                return
        page_date = values.pop(PAGE_DATE, None) if self.group else None  # an .html page's own date
        if self.group and self.opts.source_from_page and values.get(PAGE_SOURCE):
            values[mapping.source or "source"] = values[PAGE_SOURCE]  # 新华社, not the folder
        published = (parse_date(values.get(mapping.date), self.opts.timezone, year=self.opts.year)
                     if mapping.date else file_date)
        if mapping.time and mapping.date and published is not None:  # the day, at the time of the time column
            timed = join_time(values.get(mapping.date), values.get(mapping.time))
            published = parse_date(timed, self.opts.timezone, year=self.opts.year) or published
        if published is None and page_date:
            published = parse_date(page_date, self.opts.timezone)  # a zoned <meta> time: on --timezone
        report.dates_missing += published is None
        unreadable = (as_text(values.get(mapping.date)) or "").strip() if mapping.date else ""
        if published is None and unreadable:
            report.dates_unreadable += 1
            if len(self.unreadable_dates) < 3 and unreadable not in self.unreadable_dates:
                self.unreadable_dates.append(unreadable[:40])
        report.decode_errors += record.decode_error
        self.encodings.add(record.encoding)
        report.other_encoding_rows += not self.group and record.encoding != self.plan.encoding
        meta = {k: v for k, v in values.items() if k not in self.mapped}
        self.writer.add((  # in the order of schema.CORPUS_COLUMNS
            doc_id,
            title, text, published,
            (as_text(values.get(mapping.source)) or None) if mapping.source else None,
            file, record.row, record.encoding, record.decode_error, digest, first,
            _to_json(meta) if meta else "{}",
        ))
        report.rows_loaded += 1
        self.index.ids.add(doc_id)
        self.new_ids.append(doc_id)
