"""Open one tabular input file in its format's reader: the one door to the readers.

CSV/TSV are read by :mod:`opinion.io.readers`, JSON and JSON Lines by
:mod:`opinion.io.jsonfiles`, Parquet and Excel by :mod:`opinion.io.workbooks`; all of them
yield the same :class:`~opinion.io.readers.Record` rows, losing none.

Example:
    >>> table = open_table(Path("微博.csv"), "csv")  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from opinion.errors import InputError
from opinion.io.jsonfiles import JsonLinesTable, JsonTable
from opinion.io.lines import DEFAULT_MAX_BYTES
from opinion.io.readers import DelimitedTable, Table
from opinion.io.workbooks import ExcelTable, ParquetTable


def open_table(path: Path, fmt: str, *, encoding: str = "auto", sheet: str | None = None,
               names: Sequence[str] | None = None, known_encoding: str | None = None,
               max_bytes: int = DEFAULT_MAX_BYTES, date_column: str | None = None,
               prefer: str | None = None) -> Table:
    """Open a tabular input of format ``fmt`` (csv, tsv, jsonl, json, parquet, xlsx, xls).

    ``names`` names the columns of a CSV/TSV file that has no header line;
    ``known_encoding`` is the encoding detected by an earlier opening (``encoding="auto"``);
    ``max_bytes`` bounds a line, a field and a file read whole (``field too long``);
    ``date_column`` is the load's date column (a workbook's serials there are dates);
    ``prefer`` is the text column of a JSON answer holding several arrays (``--text-col``).
    """
    text = {"encoding": encoding, "known": known_encoding, "max_bytes": max_bytes}
    if fmt in ("csv", "tsv"):
        return DelimitedTable(path, delimiter="," if fmt == "csv" else "\t", fmt=fmt,
                              names=names, **text)  # type: ignore[arg-type]
    if names:
        raise InputError(f"{path}: --columns names the columns of CSV/TSV files without a "
                         f"header; this is a {fmt} file")
    if fmt == "jsonl":
        return JsonLinesTable(path, **text)  # type: ignore[arg-type]
    if fmt == "json":
        return JsonTable(path, prefer=prefer, **text)  # type: ignore[arg-type]
    if fmt == "parquet":
        return ParquetTable(path, max_bytes=max_bytes)
    if fmt == "xlsx":
        return ExcelTable(path, sheet=sheet, max_bytes=max_bytes, date_column=date_column)
    if fmt == "xls":
        from opinion.io.xls import XlsTable

        return XlsTable(path, sheet=sheet, max_bytes=max_bytes, date_column=date_column)
    raise InputError(f"{path}: {fmt} is not a tabular format")
