"""Formula neutralisation: a post must never become a formula in the analyst's spreadsheet.

Spreadsheet programs run a cell whose text starts with ``=``, ``+``, ``-`` or ``@`` (and,
after a tab or carriage return, whatever follows). Following the OWASP advice on CSV
injection, such text is prefixed with a single quote so it is shown, not run. Numbers
are left alone: a real ``-3.5`` stays a number, and text that is only a number (``"-12"``)
cannot run anything, so it stays as it is too.

Example:
    >>> neutralise('=HYPERLINK("http://evil.example","点我")')
    '\\'=HYPERLINK("http://evil.example","点我")'
    >>> neutralise("武汉加油"), neutralise(-3.5)
    ('武汉加油', -3.5)
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

# ASCII triggers plus their full-width forms, which some spreadsheet locales also accept.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?%?")


def is_dangerous(value: Any) -> bool:
    """Whether ``value`` is text a spreadsheet could run as a formula."""
    return (isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)
            and not _PLAIN_NUMBER.fullmatch(value))


def neutralise(value: Any) -> Any:
    """Return ``value`` with a leading ``'`` if it is dangerous text, else unchanged."""
    return "'" + value if is_dangerous(value) else value


def neutralise_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` with every dangerous text cell and column name neutralised.

    Only text (object/string) columns are touched, so numeric and date columns keep
    their types.
    """
    out = df.copy()
    for column in out.columns:
        if out[column].dtype == object or isinstance(out[column].dtype, pd.StringDtype):
            out[column] = out[column].map(neutralise)
    out.columns = [neutralise(str(c)) for c in out.columns]
    return out


def _flat(value: Any) -> Any:
    """Lists (Parquet list cells arrive as numpy arrays) as space-joined text."""
    if isinstance(value, (list, tuple, np.ndarray)):
        return " ".join(str(v) for v in value)
    return value


def spreadsheet_frame(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` ready for a spreadsheet cell by cell: lists joined by spaces, text neutralised.

    >>> spreadsheet_frame(pd.DataFrame({"t": ["@SUM(1+1)", "口罩"], "n": [-1.5, 2.0]}))["t"].tolist()
    ["'@SUM(1+1)", '口罩']
    """
    out = df.copy()
    for column in out.columns:
        if out[column].dtype == object and pd.api.types.infer_dtype(out[column], skipna=True) != "string":
            out[column] = out[column].map(_flat)
    return neutralise_frame(out)
