"""XLSX export: one workbook, one sheet per table.

Each sheet has a frozen, filterable header and column widths fitted to the content (a CJK
character counts twice). Numbers are stored as numbers, dates as dates, text as text:
cells are written by type with XlsxWriter's formula, URL and number guessing switched off.
Text a spreadsheet would run as a formula (:func:`opinion.io.safety.is_dangerous`) is
stored unchanged with Excel's quote-prefix style, what typing a leading ``'`` does: it
shows as text and stays text when the cell is edited, and the value has no ``'``. A table
longer than Excel's 1,048,576 rows goes on as ``documents (2)``, ``documents (3)``...; a
cell longer than Excel's 32,767 characters is cut and marked. Text cells are cleaned as the
CSV's are (:func:`opinion.io.safety.text_frame`): control characters other than tab, CR and
LF are left out, where XlsxWriter would store them as ``_x0000_`` escapes.

Example:
    >>> write_xlsx(build_tables(ws), Path("report/report.xlsx"))  # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from opinion.io.atomic import atomic_path
from opinion.io.safety import is_dangerous, text_frame
from opinion.report.display import display_width, is_share_column

MAX_ROWS = 1_048_575  # data rows per sheet (one row is the header)
MAX_CELL = 32_767
CUT_MARK = "…[cut]"
WIDTH_SAMPLE = 300  # rows looked at to fit a column's width
MIN_WIDTH, MAX_WIDTH = 6, 60
HEADER = {"bold": True, "bg_color": "#E8EEF7", "bottom": 1, "text_wrap": True, "valign": "top"}


def _cell_text(value: Any) -> str:
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        return "2020-01-01 00:00"
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)


def _column_width(name: str, values: pd.Series) -> int:
    sample = values.head(WIDTH_SAMPLE).map(_cell_text)
    widest = max([display_width(str(name)), *(display_width(s) for s in sample)], default=0)
    return min(max(widest + 2, MIN_WIDTH), MAX_WIDTH)


class _Formats:
    """The workbook's cell formats, made once."""

    def __init__(self, book: Any) -> None:
        self.header = book.add_format(HEADER)
        self.date = book.add_format({"num_format": "yyyy-mm-dd"})
        self.datetime = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
        self.percent = book.add_format({"num_format": "0.0%"})
        self.growth = book.add_format({"num_format": "+0%;-0%;0%"})
        self.decimal = book.add_format({"num_format": "0.000"})
        self.integer = book.add_format({"num_format": "0"})
        self.quoted = book.add_format({"quote_prefix": True})
        self.header_quoted = book.add_format({**HEADER, "quote_prefix": True})

    def text(self, value: str) -> Any:
        """The quote-prefix format for text a spreadsheet would run, else None."""
        return self.quoted if is_dangerous(value) else None

    def number_format(self, column: str, values: pd.Series) -> Any:
        if column == "trend_growth":
            return self.growth
        if is_share_column(column):
            return self.percent
        if pd.api.types.is_integer_dtype(values):
            return self.integer
        return self.decimal if pd.api.types.is_float_dtype(values) else None


def _utf16_units(text: str) -> int:
    return len(text) + sum(ord(c) > 0xFFFF for c in text) if len(text) > MAX_CELL // 2 else len(text)


def _cut(text: str) -> str:
    """``text`` cut to Excel's cell limit, marked when cut. Excel counts UTF-16 units, so an
    emoji or a CJK Extension B character (😷, 𠵱) counts twice."""
    if _utf16_units(text) <= MAX_CELL:
        return text
    room, kept = MAX_CELL - len(CUT_MARK), 0
    for end, char in enumerate(text):
        kept += 2 if ord(char) > 0xFFFF else 1
        if kept > room:
            return text[:end] + CUT_MARK
    return text  # pragma: no cover - the count above says it is longer


def _write_cell(sheet: Any, row: int, col: int, value: Any, number_format: Any,
                formats: _Formats) -> None:
    """Write one cell by the type of ``value``; missing values stay blank."""
    if value is None or value is pd.NaT or value is pd.NA:
        return
    if isinstance(value, (bool, np.bool_)):
        sheet.write_boolean(row, col, bool(value))
    elif isinstance(value, (int, float, np.integer, np.floating)):
        if math.isfinite(value):
            sheet.write_number(row, col, value, number_format)
    elif isinstance(value, (pd.Timestamp, dt.datetime, dt.date)):
        stamp = pd.Timestamp(value)
        fmt = formats.date if stamp == stamp.normalize() else formats.datetime
        sheet.write_datetime(row, col, stamp.to_pydatetime(), fmt)
    else:
        text = str(value)
        sheet.write_string(row, col, _cut(text), formats.text(text))


CellWriter = Callable[[int, int, Any], None]


def _column_writer(sheet: Any, name: str, values: pd.Series, formats: _Formats) -> tuple[list[Any], CellWriter]:
    """A column's cells as a list and the function writing one of them, chosen once per column.

    Choosing by the column's type rather than by each cell's halves the time of a big sheet.
    """
    if pd.api.types.is_bool_dtype(values) and not values.isna().any():
        return values.tolist(), lambda r, c, v: sheet.write_boolean(r, c, bool(v))
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        fmt = formats.number_format(name, values)

        def number(r: int, c: int, v: float) -> None:
            if math.isfinite(v):
                sheet.write_number(r, c, v, fmt)

        return values.astype("float64").tolist(), number
    if pd.api.types.is_datetime64_any_dtype(values):
        present = values.dropna()
        fmt = formats.date if (present == present.dt.normalize()).all() else formats.datetime
        cells = [None if v is pd.NaT else v.to_pydatetime() for v in values.dt.tz_localize(None).tolist()]

        def stamp(r: int, c: int, v: Any) -> None:
            if v is not None:
                sheet.write_datetime(r, c, v, fmt)

        return cells, stamp
    if pd.api.types.infer_dtype(values, skipna=True) == "string":

        def text(r: int, c: int, v: Any) -> None:
            if isinstance(v, str):
                sheet.write_string(r, c, _cut(v), formats.text(v))

        return values.tolist(), text
    return values.tolist(), lambda r, c, v: _write_cell(sheet, r, c, v, None, formats)


def _write_sheet(book: Any, name: str, table: pd.DataFrame, formats: _Formats) -> None:
    sheet = book.add_worksheet(name)
    sheet.freeze_panes(1, 0)
    columns = [str(c) for c in table.columns]
    cells, writers = [], []
    for col, column in enumerate(columns):
        sheet.write_string(0, col, column, formats.header_quoted if is_dangerous(column) else formats.header)
        sheet.set_column(col, col, _column_width(column, table.iloc[:, col]))
        values, writer = _column_writer(sheet, column, table.iloc[:, col], formats)
        cells.append(values)
        writers.append(writer)
    if columns:
        sheet.autofilter(0, 0, max(len(table), 1), len(columns) - 1)
    order = list(zip(range(len(columns)), cells, writers))
    for row in range(len(table)):  # constant_memory mode: rows strictly in order
        for col, values, write in order:
            write(row + 1, col, values[row])


def write_xlsx(tables: dict[str, pd.DataFrame], path: Path) -> Path:
    """Write every table as a sheet of the workbook ``path``, atomically."""
    import xlsxwriter

    path = Path(path)
    with atomic_path(path) as tmp:
        book = xlsxwriter.Workbook(str(tmp), {
            "constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
            "strings_to_numbers": False, "remove_timezone": True,
        })
        formats = _Formats(book)
        for name, table in tables.items():
            table = text_frame(table)  # as the CSV: no NUL, VT, ESC... (tab, CR, LF kept)
            chunks = range(0, max(len(table), 1), MAX_ROWS)
            for number, start in enumerate(chunks, start=1):
                sheet_name = name if number == 1 else f"{name} ({number})"
                _write_sheet(book, sheet_name, table.iloc[start:start + MAX_ROWS], formats)
        book.close()
    return path


def xlsx_bytes(tables: dict[str, pd.DataFrame]) -> bytes:
    """The workbook of :func:`write_xlsx` as bytes (the explorer's XLSX downloads)."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="opinion-xlsx-") as folder:
        return write_xlsx(tables, Path(folder) / "table.xlsx").read_bytes()
