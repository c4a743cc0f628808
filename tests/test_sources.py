"""One source label for the explorer (DuckDB) and the report (pandas)."""

from __future__ import annotations

import duckdb
import pandas as pd

from opinion.sources import NO_SOURCE, source_label_sql, source_labels


def _corpus() -> pd.DataFrame:
    return pd.DataFrame({"doc_id": ["a", "b", "c", "d", "e"],
                         "source": ["新华社", None, None, "", None],
                         "input_file": ["x.csv", "data/weibo/1.19.csv", None, r"C:\in\2.1.csv", "dir/"]})


def test_pandas_labels_name_the_input_file_when_there_is_no_source():
    assert source_labels(_corpus()).tolist() == ["新华社", "1.19.csv", NO_SOURCE, "2.1.csv", NO_SOURCE]


def test_sql_and_pandas_give_the_same_labels():
    corpus = _corpus().assign(source=lambda f: f["source"].replace("", None))  # DuckDB keeps '' as a value
    sql = duckdb.sql(f"SELECT {source_label_sql(list(corpus.columns))} AS s FROM corpus c ORDER BY doc_id")
    assert [row[0] for row in sql.fetchall()] == source_labels(corpus).tolist()


def test_without_an_input_file_column_every_blank_source_is_no_source():
    frame = pd.DataFrame({"source": ["a", None]})
    assert source_labels(frame).tolist() == ["a", NO_SOURCE]
    assert "input_file" not in source_label_sql(["source"])
