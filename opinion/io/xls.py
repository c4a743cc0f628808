"""Excel 97-2003 workbooks (``.xls``, WPS's "compatible" format), read through the ``.xlsx`` reader.

xlrd (BSD) reads the old binary format; each sheet is written, values only, into a temporary
``.xlsx`` that :class:`opinion.io.workbooks.ExcelTable` then reads, so both kinds of workbook
share one reader (title rows, header detection, sheets, row numbers)::

    >>> with XlsTable(Path("导出.xls"), sheet=None) as table:  # doctest: +SKIP
    ...     table.columns
    ['标题', '正文', '发布时间']

Dates become datetimes (xlrd's date cells, in the workbook's date system), whole numbers
ints (Excel stores every number as a float: ids stay ``4774061026``, not ``4774061026.0``),
error cells empty.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from opinion.errors import InputError
from opinion.io.lines import DEFAULT_MAX_BYTES
from opinion.io.sources import open_bytes
from opinion.io.workbooks import ExcelTable


def _book(path: Path) -> Any:
    """The xlrd workbook of ``path`` (``.xls`` or ``.xls.gz``), or an error naming the file."""
    try:
        import xlrd
    except ImportError:  # pragma: no cover - a dependency
        raise InputError(f"{path}: reading .xls needs xlrd (pip install xlrd)") from None
    with open_bytes(path) as fh:
        data = fh.read()
    try:
        return xlrd.open_workbook(file_contents=data, on_demand=True)
    except Exception as exc:  # noqa: BLE001 - xlrd raises its own and struct errors
        raise InputError(f"{path}: not a readable .xls workbook ({exc}); open it in Excel or WPS "
                         "and save it as .xlsx") from None


def _value(cell: Any, datemode: int) -> Any:
    import xlrd

    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return xlrd.xldate_as_datetime(cell.value, datemode)
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return cell.value
    if cell.ctype == xlrd.XL_CELL_NUMBER and float(cell.value).is_integer():
        return int(cell.value)
    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return None
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return bool(cell.value)
    return cell.value


def xls_sheets(path: Path) -> list[str]:
    """The sheets of an ``.xls`` workbook that hold a filled cell (``--sheet '*'``)."""
    book = _book(path)
    try:
        return [name for name in book.sheet_names() if _filled(book.sheet_by_name(name))]
    finally:
        book.release_resources()


def _filled(sheet: Any) -> bool:
    return any(str(value).strip() for row in range(min(sheet.nrows, 50)) for value in sheet.row_values(row))


def xls_as_xlsx(path: Path) -> str:
    """A temporary ``.xlsx`` holding the values of every sheet of ``path``; the caller removes it."""
    from openpyxl import Workbook

    book = _book(path)
    out = Workbook(write_only=True)
    try:
        for name in book.sheet_names():
            sheet, target = book.sheet_by_name(name), out.create_sheet(title=name[:31])
            for row in range(sheet.nrows):
                target.append([_value(cell, book.datemode) for cell in sheet.row(row)])
    finally:
        book.release_resources()
    handle, temp = tempfile.mkstemp(prefix="opinion-", suffix=".xlsx")
    os.close(handle)
    out.save(temp)
    return temp


class XlsTable(ExcelTable):
    """One sheet of an ``.xls`` workbook; row numbers and messages are the workbook's own."""

    def __init__(self, path: Path, *, sheet: str | None,
                 max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self._temp = xls_as_xlsx(path)
        try:
            super().__init__(Path(self._temp), sheet=sheet, max_bytes=max_bytes)
        except InputError as exc:
            self._remove()
            raise InputError(str(exc).replace(self._temp, str(path))) from None
        self.path = path
        self.notes = tuple(note.replace(self._temp, str(path)) for note in self.notes)

    def close(self) -> None:
        super().close()
        self._remove()

    def _remove(self) -> None:
        try:
            os.unlink(self._temp)
        except OSError:
            pass
