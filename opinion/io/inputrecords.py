"""Where the records of one input come from: its table, or the files of a folder of documents.

:func:`input_records` yields each record with the file it came from, the date the file's
name carries and a byte count for the progress bar; :func:`document_ids` names the documents
of a folder by their file names, so that adding a page does not renumber the others;
:func:`header_order` tells a row that holds the column names again (exports joined)::

    >>> document_ids([Path("tf/b.txt"), Path("tf/c.txt")])
    {'tf/b.txt': 'b', 'tf/c.txt': 'c'}
"""

from __future__ import annotations

import functools
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from opinion.errors import OpinionError
from opinion.io.columns import unique_names
from opinion.io.documents import document_shape, read_document, shape_note
from opinion.io.formats import open_table
from opinion.io.lines import LineTooLong, decoded_lines
from opinion.io.readers import Record, text_spec
from opinion.io.sources import InputSource, name_date, open_bytes, readable, strip_extensions
from opinion.io.workbooks import ALL_SHEETS

if TYPE_CHECKING:
    from opinion.io.intake import Options, Plan

# What makes a file found in a folder or by a glob unreadable: it is rejected, the rest loads.
FILE_ERRORS = (OpinionError, OSError, EOFError, ValueError, zlib.error)


def input_records(plan: Plan, opts: Options, notes: list[str], columns: dict[str, Any]
                  ) -> Iterable[tuple[Record, str, Any, Callable[[], int]]]:
    """Records of an input with the file each came from, the date its name carries and a
    function telling how many bytes of the input have been read (for the progress bar);
    the reader's notes (a workbook's other sheets) are added to ``notes`` at the end, and the
    array a JSON file's records were read from (``data.list``) to ``columns`` as ``array``.

    A document of a folder or glob that cannot be read is a rejected record, not an error.
    """
    source = plan.source
    if source.is_document_group:
        done, shapes = 0, dict[str, list[str]]()  # .txt files read whole: tables, lists of posts
        for path in source.files:
            date = name_date(path, opts.year) if opts.date_from_filename else None
            read = _lines if opts.txt_lines and source.fmt == "txt" else _document
            for record in read(path, source, opts):
                if read is _document and source.fmt == "txt" and (shape := document_shape(record)):
                    shapes.setdefault(shape, []).append(readable(path.name))
                yield record, readable(path), date, lambda: done  # noqa: B023 (reads the running total)
            done += path.stat().st_size
        notes.extend(shape_note(source.label, shapes))
        return
    path = source.files[0]
    date = None
    if opts.date_from_filename and plan.mapping.date is None:
        date = name_date(path, opts.year)
    with open_table(path, source.fmt, encoding=opts.encoding, known_encoding=plan.encoding,
                    sheet=sheet_of(source, opts.sheet), names=opts.column_names,
                    max_bytes=opts.max_bytes, date_column=plan.mapping.date, prefer=plan.mapping.text) as table:
        if array := getattr(table, "array", None):  # a JSON answer's records: {"data": {"list": [...]}}
            columns["array"] = array
        for record in table.records():
            yield record, source.label, date, table.bytes_read
        notes.extend(f"{source.label}: {note}" for note in table.notes)


def document_ids(files: list[Path]) -> dict[str, str]:
    """The id of each file of a folder of documents, by its readable path: its name without
    the format's extension (``b`` for ``tf/b.txt``), with ``_2``, ``_3`` after a name another
    file of the folder already gave (``b.txt`` and ``b.txt.gz``). Stable when files are added:
    until 2026-12-08 a document was numbered by its place in the folder's sorted order."""
    ids: dict[str, str] = {}
    seen: set[str] = set()
    for path in sorted(files, key=lambda p: readable(p.name)):
        base = strip_extensions(readable(path.name)) or readable(path.name)
        name, n = base, 2
        while name in seen:
            name, n = f"{base}_{n}", n + 1
        seen.add(name)
        ids[readable(path)] = name
    return ids


def _document(path: Path, source: InputSource, opts: Options) -> Iterator[Record]:
    """One .txt/.html file as one record; unreadable, a rejected record (found files)."""
    try:
        yield read_document(path, source.fmt, encoding=opts.encoding, source=source.source_name,
                            max_bytes=opts.max_bytes)
    except FILE_ERRORS as exc:
        if source.named:
            raise
        yield Record(1, None, "", opts.encoding, reject=file_error(path, exc))


def _lines(path: Path, source: InputSource, opts: Options) -> Iterator[Record]:
    """A .txt file as one record per line, decoded as the CSV reader decodes lines."""
    number = 0
    try:
        spec = text_spec(path, opts.encoding, fmt="txt")
        with open_bytes(path) as fh:
            for number, line in decoded_lines(fh, spec.encoding, fallback=spec.fallback,
                                              limit=opts.max_bytes, newline=spec.newline):
                if isinstance(line, LineTooLong):
                    yield Record(number, None, "", spec.encoding, reject=line.reason())
                    continue
                text = line.text.lstrip("\ufeff").strip() if number == 1 else line.text.strip()
                if not text and not line.error:  # a blank line between posts is not a row
                    continue
                yield Record(number, {"title": None, "text": text, "source": source.source_name},
                             line.text.rstrip("\r\n"), line.encoding, line.error)
    except FILE_ERRORS as exc:
        if source.named and number == 0:
            raise
        yield Record(number + 1, None, "", opts.encoding, reject=file_error(path, exc))


def sheet_of(source: InputSource, sheet: str | None) -> str | None:
    """The workbook sheet ``source`` is read at: its own (one input per sheet with
    ``--sheet '*'``), else the ``--sheet`` given (None: the first)."""
    if source.sheet is not None:
        return source.sheet
    return None if sheet == ALL_SHEETS else sheet


def file_error(path: Path | str, exc: BaseException) -> str:
    """The reason a whole file was rejected, without repeating its name."""
    message = readable(str(exc) or type(exc).__name__)  # a GBK file name in it reads as such
    prefix = f"{readable(path)}: "
    message = message[len(prefix):] if message.startswith(prefix) else message
    kind = "" if isinstance(exc, OpinionError) else f"{type(exc).__name__}: "
    return f"file not readable: {kind}{message}"


# A row that holds the column names again: exports joined one after another (cat, copy and paste).
HEADER_AGAIN = ("the header row again, not a document (exports joined one after another?); "
                "nothing to fix, the rows after it are read")


def repeats_header(values: dict[str, object], columns: Sequence[str]) -> bool:
    """Whether a row holds the column names themselves (``标题,内容,发布时间`` again, a BOM
    before it), as files joined with ``cat`` or by copy and paste have at each join."""
    named = 0
    for name in columns:  # the first named column settles almost every row at once
        if name in values and not _unnamed(name, values):
            cell = _header_cell(values[name])
            if cell != str(name).strip() and cell != _as_written(str(name), columns):
                return False
            named += 1
    return named >= 2


def header_order(values: dict[str, object], columns: Sequence[str]) -> list[str] | None:
    """The column names in the order a row that holds the header again gives them, or None
    when the row is no header: ``columns`` for the same order (:func:`repeats_header`),
    ``["正文", "标题", "发布时间"]`` under ``标题,正文,发布时间`` for an export of another
    tool version joined after the first (its rows are then read in that order)."""
    if repeats_header(values, columns):
        return list(columns)
    first = next((name for name in columns if not _unnamed(name, values)), None)
    if first is None or _header_cell(values.get(first)) not in _written(tuple(columns)):
        return None  # almost every row stops here
    if any(name not in values for name in columns):
        return None
    order = unique_names([_header_cell(values[name]) for name in columns],
                         first_blank="index" if "index" in columns else None)
    named = sum(not name.startswith("column_") for name in order)
    return order if named >= 2 and sorted(order) == sorted(map(str, columns)) else None


def _unnamed(name: str, values: dict[str, object]) -> bool:
    """Whether a column had no name in the header (``column_3``; ``index``, pandas' index
    column, when its cell is blank here too), so its cell says nothing of a header again."""
    name = str(name)
    return name.startswith("column_") or (name == "index" and not _header_cell(values.get(name)))


def header_again(order: Sequence[str], columns: Sequence[str]) -> str:
    """The reason a row holding the header again (in ``order``) is not a document."""
    if list(order) == list(columns):
        return HEADER_AGAIN
    return (f"the header row again, in another column order ({', '.join(order)}), not a document "
            "(exports of two versions joined?); the rows after it are read in that order")


@functools.lru_cache(maxsize=64)
def _written(columns: tuple[str, ...]) -> frozenset[str]:
    """The names a header row writes for ``columns`` (``内容`` for ``内容_2`` too)."""
    return frozenset({str(name).strip() for name in columns} | {_as_written(str(name), columns) for name in columns})


def _as_written(name: str, columns: Sequence[str]) -> str:
    """A column's name as the header wrote it: ``内容`` for ``内容_2``, the name
    :func:`unique_names` gives a repeated ``内容`` (``标题,内容,发布时间,内容``)."""
    base, sep, number = name.rpartition("_")
    return base if sep and number.isdigit() and base in columns else name


def _header_cell(value: object) -> str:
    return str(value if value is not None else "").lstrip("\ufeff").strip()
