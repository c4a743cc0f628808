"""CSV export: one UTF-8 file per table, with a BOM so Excel opens Chinese correctly.

Every text cell that a spreadsheet could run as a formula is neutralised first
(:mod:`opinion.report.safety`); lists are joined by spaces.

Example:
    >>> write_csv(build_tables(ws), Path("report"))  # doctest: +SKIP
    [PosixPath('report/topics.csv'), ..., PosixPath('report/documents.csv')]
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from opinion.io.atomic import atomic_path
from opinion.report.safety import spreadsheet_frame

ENCODING = "utf-8-sig"  # UTF-8 with BOM


def write_csv(tables: dict[str, pd.DataFrame], out: Path) -> list[Path]:
    """Write ``out/<table>.csv`` for every table, atomically; return the paths."""
    paths = []
    for name, table in tables.items():
        path = Path(out) / f"{name}.csv"
        with atomic_path(path) as tmp:
            spreadsheet_frame(table).to_csv(tmp, index=False, encoding=ENCODING)
        paths.append(path)
    return paths
