"""The source label of a document, one rule for the explorer, the report and the word tables.

A document's label is its ``source``; a document loaded without one (a CSV with no source
column, like the Weibo files) is labelled by its input file: the file's name (``1.19.csv``),
or, where inputs of one workspace share a name, the shortest end of the path that tells them
apart (``weibo/1.19.csv``, ``douyin/1.19.csv``); one with neither is labelled
:data:`NO_SOURCE`. So each input file is its own source. :func:`source_label_sql` writes the
rule for DuckDB (the explorer's ``facts`` table, ``opinion info``), :func:`source_labels`
for pandas (the report); both name files by :func:`file_labels_sql`.

Example:
    >>> import pandas as pd
    >>> source_labels(pd.DataFrame({"source": ["新华社", None, None, None],
    ...                             "input_file": ["a.csv", "微博/1.19.csv", "抖音/1.19.csv", None]})).tolist()
    ['新华社', '微博/1.19.csv', '抖音/1.19.csv', '（无来源）']
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import TYPE_CHECKING

from opinion import schema as S

if TYPE_CHECKING:
    import pandas as pd

    from opinion.io.workspace import Workspace

NO_SOURCE = "（无来源）"  # the label of a document with neither a source nor a file name
_SEPARATOR = r"[/\\]"  # either separator of a path


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def file_labels_sql(relation: str) -> str:
    """SQL of ``(f, label)`` for each distinct ``input_file`` ``f`` of ``relation``: the
    file's name, or the shortest end of its path no other file of ``relation`` shares
    (``微博/2.14.csv.gz`` and ``抖音/2.14.csv.gz``), else the whole path; NULL for a folder."""
    return f"""(
    WITH files AS (SELECT DISTINCT {S.INPUT_FILE} AS f FROM {relation} WHERE {S.INPUT_FILE} <> ''),
    ends AS (SELECT f, k, array_to_string(p[len(p) - k + 1:], '/') AS suffix
             FROM (SELECT f, p, unnest(range(1, len(p) + 1)) AS k
                   FROM (SELECT f, string_split_regex(f, '{_SEPARATOR}') AS p FROM files))),
    counted AS (SELECT *, count(*) OVER (PARTITION BY k, suffix) AS n FROM ends)
    SELECT f, CASE WHEN regexp_matches(f, '{_SEPARATOR}$') THEN NULL
                   ELSE coalesce(arg_min(suffix, k) FILTER (WHERE n = 1), f) END AS label
    FROM counted GROUP BY f)"""


def source_label_sql(corpus_columns: list[str], *, alias: str = "c", relation: str = S.CORPUS) -> str:
    """SQL (on the corpus alias ``alias``) of a document's source label: its source, else its
    input file's label among the files of ``relation`` (the whole corpus: a table or a
    ``read_parquet(...)``), else :data:`NO_SOURCE`."""
    choices = [f"{alias}.{S.SOURCE}"]
    if S.INPUT_FILE in corpus_columns:
        choices.append(f"(SELECT l.label FROM {file_labels_sql(relation)} l "
                       f"WHERE l.f = {alias}.{S.INPUT_FILE})")
    return f"coalesce({', '.join(choices)}, {_literal(NO_SOURCE)})"


def file_labels(files: Iterable[str]) -> dict[str, str | None]:
    """The label of each input file path (the rule of :func:`file_labels_sql`):
    ``file_labels(["微博/1.19.csv", "抖音/1.19.csv", "2.1.csv"])`` gives
    ``{"微博/1.19.csv": "微博/1.19.csv", "抖音/1.19.csv": "抖音/1.19.csv", "2.1.csv": "2.1.csv"}``."""
    return dict(_file_labels(tuple(sorted(set(files)))))


@functools.lru_cache(maxsize=32)  # word views and topics label every part of one corpus alike
def _file_labels(files: tuple[str, ...]) -> tuple[tuple[str, str | None], ...]:
    import duckdb
    import pandas as pd

    names = pd.DataFrame({S.INPUT_FILE: pd.Series(files, dtype=object)})
    with duckdb.connect() as con:
        con.register("names", names)
        return tuple(con.execute(f"SELECT f, label FROM {file_labels_sql('names')} ORDER BY f").fetchall())


def corpus_files(ws: Workspace) -> tuple[str, ...]:
    """Every input file of a workspace's corpus, sorted, for :func:`source_labels` of one part
    at a time (labels tell apart files sharing a name); () for a corpus without the column."""
    import pyarrow.parquet as pq

    parts = ws.parts(S.CORPUS)
    if not parts or S.INPUT_FILE not in pq.read_schema(ws.part_path(S.CORPUS, parts[0])).names:
        return ()
    return tuple(sorted(ws.read(S.CORPUS, columns=[S.INPUT_FILE])[S.INPUT_FILE].dropna().astype(str).unique()))


def source_labels(frame: pd.DataFrame, *, files: Iterable[str] | None = None) -> pd.Series:
    """The source label of each row of a corpus frame (``source`` and, if present,
    ``input_file``). ``files``: every input file of the corpus when ``frame`` holds part of
    it (labels tell apart files that share a name); default: the frame's own."""
    import pandas as pd

    labels = frame[S.SOURCE] if S.SOURCE in frame.columns else pd.Series(None, index=frame.index, dtype=object)
    labels = labels.astype(object).where(labels.notna() & (labels.astype(str) != ""), None)
    if S.INPUT_FILE in frame.columns:
        paths = frame[S.INPUT_FILE]
        named = file_labels(paths.dropna().astype(str).unique() if files is None else files)
        by_file = paths.map(named).astype(object)
        labels = labels.fillna(by_file.where(by_file.notna(), None))
    return labels.fillna(NO_SOURCE).astype(str)
