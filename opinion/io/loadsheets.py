"""Which sheets of a workbook input are read: ``--sheet '*'`` makes one input per sheet
that holds data, and the manifest records the sheet read::

    >>> [s.label for s in by_sheet(sources, "*")]  # doctest: +SKIP
    ['导出.xlsx[一月]', '导出.xlsx[二月]']
"""

from __future__ import annotations

import dataclasses
import functools
from pathlib import Path

from opinion.errors import InputError
from opinion.io.formats import open_table
from opinion.io.inputrecords import FILE_ERRORS, sheet_of
from opinion.io.intake import Options
from opinion.io.sources import WORKBOOK_FORMATS, InputSource
from opinion.io.workbooks import ALL_SHEETS, workbook_sheets


def input_sheets(source: InputSource) -> list[str]:
    """The sheets of a workbook input that hold data; [] for other inputs."""
    if source.fmt == "xls":
        from opinion.io.xls import xls_sheets

        try:
            return xls_sheets(source.files[0])
        except InputError:
            return []  # the reader proper says what is wrong with the file
    return workbook_sheets(source.files[0]) if source.fmt == "xlsx" else []


def by_sheet(sources: list[InputSource], sheet: str | None) -> list[InputSource]:
    """With ``--sheet '*'``, every workbook becomes one input per sheet that holds data
    (``导出.xlsx[一月]``, ``导出.xlsx[二月]``); other inputs, and any other ``sheet``, stay."""
    if sheet != ALL_SHEETS:
        return sources
    out: list[InputSource] = []
    for source in sources:
        names = input_sheets(source)
        out.extend([dataclasses.replace(source, sheet=name, label=f"{source.label}[{name}]")
                    for name in names] or [dataclasses.replace(source, sheet=None)])
    return out


@functools.lru_cache(maxsize=64)
def _default_sheet(path: Path, fmt: str, stamp: tuple[int, int]) -> str | None:
    """The sheet a workbook is read at without ``--sheet`` (its active one); None when it
    cannot be opened (the reader proper says why). ``stamp`` (size, mtime) keys the cache."""
    try:
        with open_table(path, fmt) as table:
            return getattr(table, "sheet", None)
    except FILE_ERRORS:
        return None


def read_sheets(source: InputSource, opts: Options) -> tuple[str | None, str | None]:
    """The sheet of a workbook ``source`` that is read, and the one read without ``--sheet``
    (both None for other inputs): since 2026-12-08 the manifest records the sheet read, so
    that a plain load and ``--sheet '*'`` know the same sheet as one input."""
    if source.fmt not in WORKBOOK_FORMATS:
        return None, None
    path = source.files[0]
    stat = path.stat()
    default = _default_sheet(path, source.fmt, (stat.st_size, stat.st_mtime_ns))
    return sheet_of(source, opts.sheet) or default, default
