"""Readers of the binary tabular formats: Excel workbooks (.xlsx) and Parquet files.

Both may come gzip-compressed (``news.xlsx.gz``): they are unpacked to a temporary file
first, since both formats need to seek. A row of an Excel sheet whose formulas have no
saved value (a workbook written by a script and never opened in Excel) is rejected with
that reason instead of vanishing as a blank row. Every row and column is read whatever the
sheet's ``<dimension>`` says, ``_x000D_`` escapes are undone, and a range merged down a
column gives its value to each row it spans (see :mod:`opinion.io.sheetxml`)::

    >>> with ExcelTable(Path("news.xlsx"), sheet="新闻") as table:  # doctest: +SKIP
    ...     table.columns
    ['标题', '正文', '发布时间']
"""

from __future__ import annotations

import itertools
import re
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any
from xml.etree.ElementTree import ParseError

from opinion.errors import InputError
from opinion.io.columns import is_date_name, looks_like_header, numbered_names, unique_names
from opinion.io.jsonfiles import FLAT_DEPTH
from opinion.io.lines import DEFAULT_MAX_BYTES, InputCutShort, read_chunk
from opinion.io.readers import (
    GROUP_ROW,
    HEADERLESS_SAMPLE,
    MAX_TITLE_ROWS,
    TITLE_ROW,
    Record,
    Table,
    is_group_header,
    is_title_line,
    too_long_field,
)
from opinion.io.sheetxml import (
    MAC_1904,
    MergeFill,
    formula_rows,
    from_1904_serial,
    open_book,
    scan_sheet,
    unescape_row,
)
from opinion.io.sources import GZIP_MAGIC, open_bytes

# a workbook asking to be recalculated when opened: written by a program that never calculated
# its formulas (pandas through xlsxwriter stores 0 as every formula's value, openpyxl nothing)
_CALC_ON_LOAD = re.compile(rb"<(?:\w+:)?calcPr\b[^>]*\bfullCalcOnLoad=\"(?:1|true)\"")
UNCACHED_FORMULA = ("formula without a saved value in column {column} ({formula}); open the "
                    "workbook in Excel or LibreOffice and save it, so the values are stored (a text "
                    "starting with = was stored as a formula: export the table as CSV instead)")


def seekable_copy(path: Path) -> tuple[Path | IO[bytes], IO[bytes] | None]:
    """``path`` itself, or for a gzip file an unpacked temporary copy (and that copy to close)."""
    with open(path, "rb") as probe:
        if probe.read(2) != GZIP_MAGIC:
            return path, None
    copy = tempfile.TemporaryFile(prefix="opinion-")
    try:
        with open_bytes(path) as fh:
            while chunk := read_chunk(fh):
                copy.write(chunk)
    except InputCutShort as exc:
        copy.close()
        raise InputError(f"{path}: {exc}") from None
    copy.seek(0)
    return copy, copy


class ParquetTable(Table):
    """A Parquet file, read batch by batch."""

    def __init__(self, path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        import pyarrow.parquet as pq

        self.path, self.encoding, self.max_bytes = path, "utf-8", max_bytes
        self.values_are_placeholders = False  # saved formula values never calculated
        source, self._copy = seekable_copy(path)
        try:
            self._file = pq.ParquetFile(source)
        except Exception as exc:  # noqa: BLE001 - pyarrow raises several types
            self.close()
            raise InputError(f"{path}: not a readable Parquet file ({exc})") from None
        self._structs = _has_structs(self._file.schema_arrow)  # read as dotted columns (post.text)
        self.columns, self.sample_rows = list(_flat(self._file.schema_arrow.empty_table()).column_names), []

    def close(self) -> None:
        if self._copy is not None:
            self._copy.close()

    def records(self) -> Iterator[Record]:
        import pyarrow as pa

        number = 0
        for batch in self._file.iter_batches(batch_size=1_000):
            for item in _batch_rows(_flat(pa.Table.from_batches([batch])) if self._structs else batch):
                number += 1
                item, broken = _text_of_bytes(item)
                yield too_long_field(Record(number, item, None, self.encoding, broken), self.max_bytes)


def _text_of_bytes(item: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """``item`` with its binary cells as text, and whether bytes were broken: a crawler's
    Parquet may store a post as ``binary`` (UTF-8, else GB18030; otherwise UTF-8 with U+FFFD
    for the broken bytes), which loaded as Python's ``b'\\xe6\\xad…'`` until 2026-12-07."""
    if not any(isinstance(v, bytes) for v in item.values()):
        return item, False
    broken = False
    out = dict(item)
    for key, value in item.items():
        if isinstance(value, bytes):
            for codec in ("utf-8", "gb18030"):
                try:
                    out[key] = value.decode(codec)
                    break
                except UnicodeDecodeError:
                    continue
            else:
                out[key], broken = value.decode("utf-8", errors="replace"), True
    return out, broken


def _has_structs(schema: Any) -> bool:
    import pyarrow as pa

    return any(pa.types.is_struct(f.type) for f in schema)


def _flat(table: Any) -> Any:
    """A Parquet table with its struct columns as dotted columns (``post.text``,
    ``post.user.name``), as nested JSON objects are read, to :data:`FLAT_DEPTH` levels."""
    for _ in range(FLAT_DEPTH):
        if not _has_structs(table.schema):
            break
        table = table.flatten()
    return table


def _batch_rows(batch: Any) -> list[dict[str, Any]]:
    """The rows of a record batch; a column Python cannot hold (a timestamp in year 300000)
    is read as its raw integers instead of failing the batch."""
    try:
        return batch.to_pylist()
    except (ValueError, OverflowError):
        import pyarrow as pa

        columns = {}
        for name, column in zip(batch.schema.names, batch.columns):
            try:
                columns[name] = column.to_pylist()
            except (ValueError, OverflowError):
                columns[name] = column.cast(pa.int64()).to_pylist()
        return [dict(zip(columns, values)) for values in zip(*columns.values())]


ALL_SHEETS = "*"  # --sheet '*': every sheet that holds data, each an input of its own


def _sheet_rows(sheet: Any, **bounds: int) -> Iterator[tuple[Any, ...]]:
    """The rows of a read-only sheet as values, every row and column whatever its
    ``<dimension>`` says (WPS and streaming writers save ``A1``: read as is, the sheet was
    empty until 2026-12-07)."""
    if hasattr(sheet, "reset_dimensions"):
        sheet.reset_dimensions()
    return sheet.iter_rows(values_only=True, **bounds)


def _filled_sheets(book: Any) -> list[str]:
    """The sheets with a filled cell in their first 50 rows, in workbook order."""
    return [name for name in book.sheetnames if hasattr(book[name], "iter_rows") and any(
        any(_cell_text(c) for c in row) for row in _sheet_rows(book[name], max_row=50))]


def _hidden(book: Any, name: str) -> bool:
    return getattr(book[name], "sheet_state", "visible") != "visible"


def default_sheet(book: Any) -> str:
    """The sheet read without ``--sheet``: the active one (the one Excel opens on) when it is
    a visible worksheet, else the first visible worksheet; a hidden template sheet in front
    was read until 2026-12-07."""
    sheets = [ws for ws in book.worksheets if hasattr(ws, "iter_rows")]
    active = book.active
    if active is not None and any(ws is active for ws in sheets) and not _hidden(book, active.title):
        return str(active.title)
    visible = [ws.title for ws in sheets if not _hidden(book, ws.title)]
    return str((visible or [ws.title for ws in sheets] or book.sheetnames)[0])


def _other_sheets_note(book: Any, read: str) -> tuple[str, ...]:
    """A note naming the other sheets that hold data, when only the default one is read."""
    filled = [name for name in _filled_sheets(book) if name != read]
    if not filled:
        return ()
    named = ", ".join(repr(n) + (" (hidden)" if _hidden(book, n) else "") for n in filled)
    return (f"read sheet {read!r} only; {len(filled)} other sheet(s) hold data: "
            f"{named}; load each with --sheet NAME, or all with --sheet '*'",)


def workbook_sheets(path: Path) -> list[str]:
    """The sheets of an .xlsx workbook that hold data (``--sheet '*'``); [] if unreadable
    (the load then reports the workbook's own error)."""
    source, copy = seekable_copy(path)
    try:
        book = open_book(source)
        try:
            return _filled_sheets(book)
        finally:
            book.close()
    except Exception:  # noqa: BLE001 - the reader proper says what is wrong with the file
        return []
    finally:
        if copy is not None:
            copy.close()


class ExcelTable(Table):
    """One sheet of an .xlsx workbook; row numbers are the sheet's own."""

    def __init__(self, path: Path, *, sheet: str | None,
                 max_bytes: int = DEFAULT_MAX_BYTES, date_column: str | None = None) -> None:
        from openpyxl.utils.exceptions import InvalidFileException

        self.path, self.encoding, self.max_bytes = path, "utf-8", max_bytes
        self.date_column = date_column  # the load's date column (--date-col): its serials are dates
        self.values_are_placeholders = False  # saved formula values never calculated
        source, self._copy = seekable_copy(path)
        self._books = []
        try:
            book = open_book(source)
            self._books.append(book)
            names = book.sheetnames
            if sheet is not None and sheet not in names:
                raise InputError(f"{path}: no sheet {sheet!r}; sheets are [{', '.join(names)}]; "
                                 "pass --sheet NAME")
            self.sheet = sheet or default_sheet(book)
            if sheet is None:
                self.notes = _other_sheets_note(book, self.sheet)
            rows = _sheet_rows(book[self.sheet])
            archive = getattr(book, "_archive", None)
            member = getattr(book[self.sheet], "_worksheet_path", None)
            has_formulas, self._merges = (scan_sheet(archive, member) if archive and member
                                          else (False, []))
            formulas = formula_rows(archive, str(member)) if has_formulas else None
            self.values_are_placeholders = has_formulas and self._calculates_on_load()
            self._1904 = book.epoch == MAC_1904  # Mac Excel's date system: serials 1462 days apart
        except (zipfile.BadZipFile, OSError, KeyError, ValueError, ParseError, InvalidFileException) as exc:
            self.close()
            raise InputError(f"{path}: not a readable .xlsx workbook ({exc})") from None
        except InputError:
            self.close()
            raise
        self._rows: Iterator[tuple[int, tuple[tuple[Any, ...], dict[int, tuple[str, bool]], bool]]] = (
            _with_formulas(rows, formulas))
        self.columns, self.sample_rows, self.header_row = [], [], 0
        # rows above the header: "舆情监测导出 2020-02-01" in A1, merged group cells (基本信息 | 内容信息)
        self.title_rows: list[tuple[int, str, str]] = []
        while (item := next(self._rows, None)) is not None:
            number, (cells, _, _) = item
            filled = [_cell_text(c) for c in cells if _cell_text(c)]
            if (len(self.title_rows) < MAX_TITLE_ROWS and is_title_line([_cell_text(c) for c in cells])
                    and self._wider_row_follows()):  # a title in A1 (and an export time in A2)
                self.title_rows.append((number, filled[0], TITLE_ROW))
                continue
            if filled and is_group_header([_cell_text(c) for c in _trim(cells)], self._peek()):
                self.title_rows.append((number, " | ".join(filled), GROUP_ROW))
                continue
            if filled and not looks_like_header([_cell_text(c) for c in _trim(cells)]):
                # a sheet without a header row: its first row is a post, read as data under
                # column_1 … (as a CSV's), not taken for names and lost
                self.header_row, self.has_header = number - 1, False
                sample = [item, *itertools.islice(self._rows, HEADERLESS_SAMPLE - 1)]
                self._rows = itertools.chain(sample, self._rows)
                self.sample_rows = [[_cell_text(c) for c in _trim(row)] for _, (row, _, _) in sample]
                self.columns = numbered_names(max(len(r) for r in self.sample_rows))
                break
            if filled:
                self.columns = unique_names(_trim(cells), first_blank="index")
                self.header_row = number
                break

    def _peek(self, skip: Callable[[list[str]], bool] = lambda texts: False) -> list[str]:
        """The texts of the next non-empty row that ``skip`` does not pass over, or []; the
        rows looked at are put back."""
        seen, found = [], []
        for item in self._rows:
            seen.append(item)
            texts = [_cell_text(c) for c in item[1][0]]
            if any(texts) and not skip(texts):
                found = texts
                break
        self._rows = itertools.chain(seen, self._rows)
        return found

    def _wider_row_follows(self) -> bool:
        """Whether the next non-empty row that is not another title line has two or more
        filled cells (then a one-cell row above it is a title, not the header); the rows
        looked at are put back."""
        titles = itertools.count(len(self.title_rows) + 1)
        texts = self._peek(lambda row: is_title_line(row) and next(titles) < MAX_TITLE_ROWS)
        return sum(1 for t in texts if t) >= 2

    def _calculates_on_load(self) -> bool:
        """Whether the workbook asks to be recalculated on opening (``fullCalcOnLoad``): then
        the values saved beside its formulas are placeholders (``0`` from xlsxwriter), not results."""
        archive = getattr(self._books[0], "_archive", None)
        if archive is None:
            return False
        try:
            with archive.open("xl/workbook.xml") as fh:
                return bool(_CALC_ON_LOAD.search(fh.read(1 << 20)))
        except KeyError:
            return False

    def close(self) -> None:
        for book in self._books:
            book.close()
        if self._copy is not None:
            self._copy.close()

    def records(self) -> Iterator[Record]:
        for number, title, reason in self.title_rows:
            yield Record(number, None, title, self.encoding, False, reason)
        merged = MergeFill(self._merges, self.header_row)
        serials = [i for i, name in enumerate(self.columns)
                   if is_date_name(name) or name == self.date_column] if self._1904 else []
        for number, (row, formulas, broken) in self._rows:
            values = merged.apply(number, list(row)) if merged else list(row)
            cells = _trim(values)
            width = max(len(cells), max(formulas, default=-1) + 1)
            names = self.columns + numbered_names(width)[len(self.columns):]
            # a formula without a <v> was never calculated; an empty <v> is Excel's ""
            uncached = [(names[i], f) for i, (f, saved) in sorted(formulas.items())
                        if not saved or self.values_are_placeholders]
            if uncached:
                column, formula = uncached[0]
                shown = values + [None] * (width - len(values))
                for i, (f, _) in formulas.items():
                    shown[i] = f
                raw = "\t".join("" if f is None else str(f) for f in _trim(shown))
                yield Record(number, None, raw, self.encoding, False,
                             UNCACHED_FORMULA.format(column=column, formula=formula))
                continue
            if not cells:
                continue
            for i in serials:  # a "General" cell of a 1904 workbook's date column
                if i < len(cells):
                    cells[i] = from_1904_serial(cells[i])
            record = Record(number, dict(zip(names, cells)), None, self.encoding, broken)
            yield too_long_field(record, self.max_bytes)


def _with_formulas(rows: Iterator[tuple[Any, ...]],
                   formulas: Iterator[tuple[int, dict[int, tuple[str, bool]]]] | None,
                   ) -> Iterator[tuple[int, tuple[tuple[Any, ...], dict[int, tuple[str, bool]], bool]]]:
    """Each row by number, with its escapes undone, its formulas (by column) and whether a
    text held a broken character."""
    pending = next(formulas, None) if formulas is not None else None
    for number, cells in enumerate(rows, start=1):
        while pending is not None and pending[0] < number and formulas is not None:
            pending = next(formulas, None)
        found: dict[int, tuple[str, bool]] = {}
        if pending is not None and pending[0] == number:
            found = pending[1]
        cells, broken = unescape_row(cells)
        yield number, (cells, found, broken)


def _cell_text(cell: Any) -> str:
    return "" if cell is None else str(cell).strip()


def _trim(row: tuple[Any, ...] | list[Any]) -> list[Any]:
    cells = list(row)
    while cells and not _cell_text(cells[-1]):
        cells.pop()
    return cells
