"""Excel 97-2003 workbooks (``.xls``, WPS's "compatible" format), read through the ``.xlsx`` reader.

xlrd (BSD) reads the old binary format; each sheet is written, values only, into a temporary
``.xlsx`` that :class:`opinion.io.workbooks.ExcelTable` then reads, so both kinds of workbook
share one reader (title rows, header detection, sheets, row numbers)::

    >>> with XlsTable(Path("导出.xls"), sheet=None) as table:  # doctest: +SKIP
    ...     table.columns
    ['标题', '正文', '发布时间']

Dates become datetimes (xlrd's date cells, in the workbook's date system), whole numbers
ints (Excel stores every number as a float: ids stay ``4774061026``, not ``4774061026.0``),
error cells empty. The copy keeps what the ``.xlsx`` reader needs besides the values: the
date system (1904 or 1900), hidden sheets and the active one, merged ranges, and texts as
written (control characters and ``_x0041_`` escaped, so they read back as they were).
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import Any

from opinion.errors import InputError
from opinion.io.lines import DEFAULT_MAX_BYTES
from opinion.io.sources import open_bytes
from opinion.io.workbooks import ExcelTable

_LITERAL = re.compile(r"_(x[0-9A-Fa-f]{4}_)")  # text that reads as an escape: _x005F_ keeps it
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")


def _book(path: Path) -> Any:
    """The xlrd workbook of ``path`` (``.xls`` or ``.xls.gz``), or an error naming the file."""
    try:
        import xlrd
    except ImportError:  # pragma: no cover - a dependency
        raise InputError(f"{path}: reading .xls needs xlrd (pip install xlrd)") from None
    with open_bytes(path) as fh:
        data = fh.read()
    try:  # formatting_info: the merged ranges; a workbook whose formats xlrd cannot read is read without
        return xlrd.open_workbook(file_contents=data, on_demand=True, formatting_info=True)
    except Exception:  # noqa: BLE001 - tried again below without the formats
        pass
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
    if isinstance(cell.value, str):
        return _escaped(cell.value)
    return cell.value


def _escaped(text: str) -> str:
    """``text`` as an ``.xlsx`` string holds it (ECMA-376 ST_Xstring): a control character
    or half a surrogate pair as ``_x0007_``, a written ``_x0041_`` as ``_x005F_x0041_``
    (a control character stopped the load with openpyxl's IllegalCharacterError until 2026-12-07)."""
    if "_x" in text:
        text = _LITERAL.sub(r"_x005F_\1", text)
    return _NOT_IN_XML.sub(lambda m: f"_x{ord(m.group()):04X}_", text)


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
    from openpyxl.utils import get_column_letter
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    book = _book(path)
    out = Workbook(write_only=True)
    if book.datemode == 1:  # Mac Excel's 1904 date system: "General" serials read in it
        out.epoch = CALENDAR_MAC_1904
    try:
        active: list[int | None] = [None, None]  # the sheet Excel opens on, else the one selected
        for index, name in enumerate(book.sheet_names()):
            sheet, target = book.sheet_by_name(name), out.create_sheet(title=name[:31])
            if getattr(sheet, "visibility", 0):
                target.sheet_state = "hidden"
            for rank, flag in enumerate(("sheet_visible", "sheet_selected")):
                if getattr(sheet, flag, 0) and active[rank] is None:
                    active[rank] = index
            for rlo, rhi, clo, chi in getattr(sheet, "merged_cells", None) or ():
                if rhi - rlo > 1 or chi - clo > 1:
                    target.merged_cells.add(f"{get_column_letter(clo + 1)}{rlo + 1}:"
                                            f"{get_column_letter(chi)}{rhi}")
            for row in range(sheet.nrows):
                target.append([_value(cell, book.datemode) for cell in sheet.row(row)])
        out.active = next((i for i in active if i is not None), 0)
    finally:
        book.release_resources()
    handle, temp = tempfile.mkstemp(prefix="opinion-", suffix=".xlsx")
    os.close(handle)
    out.save(temp)
    return temp


class XlsTable(ExcelTable):
    """One sheet of an ``.xls`` workbook; row numbers and messages are the workbook's own."""

    def __init__(self, path: Path, *, sheet: str | None,
                 max_bytes: int = DEFAULT_MAX_BYTES, date_column: str | None = None) -> None:
        self._temp = xls_as_xlsx(path)
        try:
            super().__init__(Path(self._temp), sheet=sheet, max_bytes=max_bytes, date_column=date_column)
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
