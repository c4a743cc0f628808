"""The source label of a document, one rule for the explorer, the report and the word tables.

A document's label is its ``source``; a document loaded without one (a CSV with no source
column, like the Weibo files) is labelled by its input file's name (``1.19.csv``), and one
with neither by :data:`NO_SOURCE`. :func:`source_label_sql` writes the rule for DuckDB (the
explorer's ``facts`` table), :func:`source_labels` for pandas (the report).

Example:
    >>> import pandas as pd
    >>> source_labels(pd.DataFrame({"source": ["新华社", None, None],
    ...                             "input_file": ["a.csv", "data/1.19.csv", None]})).tolist()
    ['新华社', '1.19.csv', '（无来源）']
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from opinion import schema as S

if TYPE_CHECKING:
    import pandas as pd

NO_SOURCE = "（无来源）"  # the label of a document with neither a source nor a file name
_FILE_NAME = r"[^/\\]+$"  # the last part of a path, either separator


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def source_label_sql(corpus_columns: list[str], *, alias: str = "c") -> str:
    """SQL (on the corpus alias ``alias``) of a document's source label: its source, else its
    input file's name, else :data:`NO_SOURCE`."""
    choices = [f"{alias}.source"]
    if S.INPUT_FILE in corpus_columns:
        choices.append(f"nullif(regexp_extract({alias}.input_file, '{_FILE_NAME}'), '')")
    return f"coalesce({', '.join(choices)}, {_literal(NO_SOURCE)})"


def source_labels(frame: pd.DataFrame) -> pd.Series:
    """The source label of each row of a corpus frame (``source`` and, if present, ``input_file``)."""
    import pandas as pd

    labels = frame[S.SOURCE] if S.SOURCE in frame.columns else pd.Series(None, index=frame.index, dtype=object)
    labels = labels.astype(object).where(labels.notna() & (labels.astype(str) != ""), None)
    if S.INPUT_FILE in frame.columns:
        names = frame[S.INPUT_FILE].astype("string").str.extract(f"({_FILE_NAME})", expand=False)
        labels = labels.fillna(names.astype(object).where(names.notna() & (names != ""), None))
    return labels.fillna(NO_SOURCE).astype(str)
