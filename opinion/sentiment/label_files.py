"""Read a labelled file for `opinion sentiment evaluate` through the readers ``opinion load``
uses (:func:`opinion.io.formats.open_table`): CSV, TSV, JSON Lines, JSON, Excel or Parquet, as
strings, in whatever encoding ``opinion load`` would detect (``read_table("标注.csv")``).

Every line is accounted for: ``table.attrs`` holds ``rows_read`` and the ``rejected`` rows
(line, why and what to do), so rows read = rows scored + rows skipped + rows rejected.
Until 2026-12-08 pandas read CSV/TSV: a text that opened with an unpaired ``"`` swallowed
every line up to the next quote into one text (200 rows in, 150 scored, 0 skipped), Excel's
``None``/``NA`` cells were blank, and a tab-separated ``.txt`` was split at commas.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pandas as pd

from opinion.errors import InputError

__all__ = ["read_table", "rejected_line"]

# Suffixes the readers know; a .txt (Excel's "Unicode Text") or an unknown one is delimited
# text whose header line decides the delimiter (tab, comma, semicolon, bar).
FORMATS = {".csv": "csv", ".txt": "csv", ".tsv": "tsv", ".tab": "tsv", ".jsonl": "jsonl",
           ".ndjson": "jsonl", ".json": "json", ".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xls",
           ".parquet": "parquet", ".pq": "parquet"}
UNCLOSED_QUOTE_FIX = ('quote the whole text ("…", its own " written as "") or remove the " '
                      "that opens it")


def _format(path: Path) -> str:
    """The reader for ``path`` by its suffix (``.gz`` ignored); csv when unknown."""
    name = path.name.lower().removesuffix(".gz")
    return FORMATS.get(Path(name).suffix, "csv")


def _cell(value: Any) -> str | None:
    """A cell as the string the file holds; None for a missing one (JSON null, empty Excel cell).

    >>> _cell(1), _cell(1.0), _cell(None), _cell("NA")
    ('1', '1.0', None, 'NA')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return value if isinstance(value, str) else str(value)


def rejected_line(path: str | Path, row: int, why: str) -> str:
    """One line naming a rejected row, why, and the fix.

    >>> rejected_line("a.csv", 3, "malformed CSV (unclosed quote? ...); line 3 rejected")
    'a.csv line 3: malformed CSV (unclosed quote? ...); line 3 rejected; quote the whole text ("…", its own " written as "") or remove the " that opens it'
    """
    fix = f"; {UNCLOSED_QUOTE_FIX}" if "unclosed quote" in why else ""
    return f"{Path(path).name} line {row}: {why}{fix}"


def read_table(path: str | Path) -> pd.DataFrame:
    """Read a labelled file as strings (None where a cell is missing), with the header line
    as column names; text files in UTF-8, GB18030, Big5 or UTF-16 (``labels_gbk.csv`` reads
    as is), tab-separated text named ``.csv``/``.txt`` by its header.

    ``attrs``: ``rows_read`` (data rows, rejected ones included), ``lines`` (the line of
    each row, for messages), ``rejected`` (``(line,
    why)`` for each row that cannot be read: an unclosed quote, more fields than the header),
    ``broken_rows`` (rows read with U+FFFD for bytes not in the file's encoding) and
    ``notes`` (how the file was read).
    """
    from opinion.io.formats import open_table
    from opinion.io.readers import COLUMNS_HINT

    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: file not found")
    if not path.is_file():
        raise InputError(f"{path}: not a file; give the labelled CSV, TSV, JSONL or XLSX file")
    rows: list[dict[str, str | None]] = []
    rejected: list[tuple[int, str]] = []
    lines: list[int] = []  # the file's line (sheet row, JSON record) of each row
    broken = 0
    with open_table(path, _format(path)) as table:
        if not table.has_header:
            raise InputError(f"{path}: the first line does not look like column names "
                             f"({', '.join(map(str, table.columns[:4]))} …); add a header line that "
                             "names the text and label columns (text,label)")
        columns = list(table.columns)
        for record in table.records():
            if record.values is None:
                rejected.append((record.row, record.reject or "cannot be read"))
                continue
            rows.append({c: _cell(record.values.get(c)) for c in columns})
            lines.append(record.row)
            broken += bool(record.decode_error)
        notes = [note.replace(COLUMNS_HINT, "") for note in table.notes]  # evaluate has no --columns
    frame = pd.DataFrame(rows, columns=columns, dtype=object)
    frame.attrs.update(rows_read=len(rows) + len(rejected), rejected=rejected, broken_rows=broken,
                       notes=notes, lines=lines)
    return frame
