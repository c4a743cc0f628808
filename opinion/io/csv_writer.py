"""CSV export: one UTF-8 file per table, with a BOM so Excel opens Chinese correctly.

Cells go through :func:`opinion.io.safety.write_csv_frame`: lists are joined by spaces,
text a spreadsheet would run as a formula gets a leading ``'``, and every cell holding a
CR, LF, quote or comma is quoted (CRLF line ends), so each row reads back as one record.

Example:
    >>> write_csv(build_tables(ws), Path("report"))  # doctest: +SKIP
    [PosixPath('report/topics.csv'), ..., PosixPath('report/documents.csv')]
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from opinion.io.atomic import atomic_path
from opinion.io.safety import write_csv_frame


def write_csv(tables: dict[str, pd.DataFrame], out: Path) -> list[Path]:
    """Write ``out/<table>.csv`` for every table, atomically; return the paths."""
    paths = []
    for name, table in tables.items():
        path = Path(out) / f"{name}.csv"
        with atomic_path(path) as tmp:
            write_csv_frame(table, tmp)
        paths.append(path)
    return paths
