"""What openpyxl's read-only mode does not give of an ``.xlsx`` sheet, read from its XML.

- ``_xHHHH_`` escapes (ECMA-376 ST_Xstring: ``_x000D_`` is a CR, ``_x005F_x000D_`` the text
  ``_x000D_``), undone in one pass as Excel shows them (:func:`unescape_row`; the shared
  strings are read as written by :func:`open_book`, since openpyxl only drops ``x005F_``);
- merged ranges (``<mergeCells>``) and whether the sheet holds formulas (:func:`scan_sheet`);
- each formula and whether a value was saved beside it, even an empty one
  (``<v></v>``, Excel's result of ``=IF(…,"",…)``) (:func:`formula_rows`)::

    >>> unescape_row(("第一行_x000D_\\n第二行", 3))
    (('第一行\\r\\n第二行', 3), False)
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import IO, Any

_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_SURROGATE = re.compile("[\ud800-\udfff]")
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")
_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*?\bref=\"([A-Za-z]{1,3})(\d+):([A-Za-z]{1,3})(\d+)\"")
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_CELL = re.compile(r"([A-Za-z]{1,3})(\d+)")
SERIAL_DAYS = (20_000, 80_000)  # as opinion.io.dates reads a serial day number
MAC_1904 = dt.datetime(1904, 1, 1)

Merge = tuple[int, int, int, int]  # first row, first column, last row, last column (1-based)


def _unescape(text: str) -> tuple[str, bool]:
    """``text`` with its ``_xHHHH_`` escapes undone; a lone surrogate (``_xD83D_``, half an
    emoji) becomes U+FFFD, and then the second value is True."""
    text = _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    if not _SURROGATE.search(text):
        return text, False
    joined = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return joined, joined.count("\ufffd") > text.count("\ufffd")


def unescape_row(row: tuple[Any, ...]) -> tuple[tuple[Any, ...], bool]:
    """The cells of ``row`` with the escapes of their texts undone, and whether a text held
    a lone surrogate (a broken character)."""
    if not any(isinstance(c, str) and "_x" in c for c in row):
        return row, False
    cells, broken = [], False
    for cell in row:
        if isinstance(cell, str) and "_x" in cell:
            cell, bad = _unescape(cell)
            broken = broken or bad
        cells.append(cell)
    return tuple(cells), broken


def _string_table(source: IO[bytes]) -> list[str]:
    """The shared strings as written (escapes kept; :func:`unescape_row` undoes them)."""
    from openpyxl.cell.text import Text
    from openpyxl.xml.functions import iterparse  # defusedxml's when installed, as openpyxl reads

    strings = []
    for _, node in iterparse(source):
        if node.tag == f"{_MAIN}si":
            strings.append(Text.from_tree(node).content)
            node.clear()
    return strings


def open_book(source: Any, *, data_only: bool = True) -> Any:
    """``load_workbook(source, read_only=True)``, but with the shared strings as written:
    openpyxl deletes every ``x005F_`` from them, so ``_x005F_x000D_`` (the text ``_x000D_``)
    could not be told from ``_x000D_`` (a CR)."""
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.xml.constants import SHARED_STRINGS

    class _Reader(ExcelReader):
        def read_strings(self) -> None:
            part = self.package.find(SHARED_STRINGS)
            if part is not None:
                with self.archive.open(part.PartName[1:]) as fh:
                    self.shared_strings = _string_table(fh)

    reader = _Reader(source, read_only=True, data_only=data_only)
    reader.read()
    return reader.wb


def scan_sheet(archive: Any, member: str) -> tuple[bool, list[Merge]]:
    """Whether the sheet's XML holds a formula, and its merged ranges of two or more cells,
    sorted; the XML is read in chunks, never whole."""
    from openpyxl.utils import column_index_from_string as column

    formulas, merges, tail = False, set(), b""
    with archive.open(member) as fh:
        while chunk := fh.read(1 << 20):
            window = tail + chunk
            formulas = formulas or bool(_FORMULA_TAG.search(window))
            if b"mergeCell" in window:
                for c1, r1, c2, r2 in _MERGE.findall(window):
                    merges.add((int(r1), column(c1.decode()), int(r2), column(c2.decode())))
            tail = chunk[-512:]
    return formulas, sorted(m for m in merges if m[0] < m[2] or m[1] < m[3])


def formula_rows(archive: Any, member: str) -> Iterator[tuple[int, dict[int, tuple[str, bool]]]]:
    """For each row holding formulas, in sheet order: its number and, by column index
    (0-based), the formula (``=IF(…)``, shared formulas translated as openpyxl does) and
    whether a value was saved beside it (a ``<v>``, even empty). Rows and cells without
    ``r`` are counted as openpyxl counts them."""
    from openpyxl.formula.translate import Translator
    from openpyxl.utils import column_index_from_string, get_column_letter
    from openpyxl.xml.functions import iterparse  # defusedxml's when installed, as openpyxl reads

    row_tag, cell_tag = f"{_MAIN}row", f"{_MAIN}c"
    shared: dict[str | None, Any] = {}
    number, column = 0, 0
    found: dict[int, tuple[str, bool]] = {}
    with archive.open(member) as fh:
        for event, el in iterparse(fh, events=("start", "end")):
            if el.tag == row_tag:
                if event == "start":
                    number = _row_number(el.get("r"), number)
                    column, found = 0, {}
                    continue
                if found:
                    yield number, found
                el.clear()
            elif el.tag == cell_tag and event == "end":
                ref = _CELL.fullmatch(el.get("r") or "")
                column = column_index_from_string(ref.group(1)) if ref else column + 1
                formula = el.find(f"{_MAIN}f")
                if formula is None or formula.get("t") == "dataTable":
                    continue
                text = "=" + (formula.text or "")
                if formula.get("t") == "shared":
                    coordinate = f"{get_column_letter(column)}{number}"
                    key = formula.get("si")
                    if key in shared and text == "=":
                        text = shared[key].translate_formula(coordinate)
                    elif text != "=":
                        shared[key] = Translator(text, coordinate)
                saved = el.find(f"{_MAIN}v") is not None or el.find(f"{_MAIN}is") is not None
                found[column - 1] = (text, saved)


def _row_number(written: str | None, previous: int) -> int:
    if written is None:
        return previous + 1
    try:
        return int(float(written))
    except ValueError:
        return previous + 1


class MergeFill:
    """Gives the value of each merged range below the header to every row the range spans,
    in its first column (where Excel shows it); a range across columns is not copied
    sideways, so a heading merged over a row never becomes a row of copies."""

    def __init__(self, merges: list[Merge], below: int) -> None:
        self._waiting = [m for m in merges if m[0] > below]
        self._next = 0
        self._open: list[tuple[Merge, Any]] = []
        self.filled = 0  # cells given a merged value

    def __bool__(self) -> bool:
        return self._next < len(self._waiting) or bool(self._open)

    def apply(self, number: int, cells: list[Any]) -> list[Any]:
        """``cells`` of row ``number`` (rows come in order) with merged values filled in;
        a row with nothing else in it is left empty."""
        self._open = [(m, v) for m, v in self._open if m[2] >= number]
        while self._next < len(self._waiting) and self._waiting[self._next][0] <= number:
            merge = self._waiting[self._next]
            self._next += 1
            if merge[0] == number:
                index = merge[1] - 1
                self._open.append((merge, cells[index] if index < len(cells) else None))
        if not any(c is not None and str(c).strip() for c in cells):
            return cells
        for (first, col, _, _), value in self._open:
            index = col - 1
            if first == number or value is None:
                continue
            if index >= len(cells):
                cells = cells + [None] * (index + 1 - len(cells))
            cells[index] = value
            self.filled += 1
        return cells


def from_1904_serial(value: Any) -> Any:
    """A serial day number of a 1904-system workbook (days since 1904-01-01) as a datetime;
    other values as they are."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return value
    if not SERIAL_DAYS[0] <= value < SERIAL_DAYS[1]:
        return value
    seconds = round(float(value) * 86_400)
    return MAC_1904 + dt.timedelta(seconds=seconds)
