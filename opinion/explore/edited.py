"""The explorer's view of the analyst's topic edits (``opinion topics edit``, or the form on
the Topics page): the topic views of :mod:`opinion.explore.facts` replaced by their edited
versions, before ``facts`` is built, so every query of every section sees the same topics.

The edited tables come from :func:`opinion.topics.edits.apply_edits` (through
:func:`opinion.topics.edit_store.workspace_topics`), the function the exports use:
``topics`` becomes the edited table, ``topic_documents`` maps each document's model id to its
edited id and label, ``topics_over_time`` and ``topics_per_source`` add up merged rows.

Example:
    >>> replace_topic_views(con, Workspace.open("runs/weibo"), tables)  # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from opinion import schema as S
from opinion.io.workspace import Workspace

EDITS_FILE = "topic_edits.json"  # opinion.topics.edit_store.EDITS_FILE, named here to import no pandas


def literal(text: str) -> str:
    """``text`` as a DuckDB string literal (single quotes doubled)."""
    return "'" + text.replace("'", "''") + "'"


def has_edits(root: str | Path) -> bool:
    """Whether the workspace stores topic edits (the cheap check made before any import)."""
    return (Path(root) / EDITS_FILE).exists()


def _table(con: duckdb.DuckDBPyConnection, name: str, frame) -> None:
    import pyarrow as pa

    arrow = pa.Table.from_pandas(frame, preserve_index=False)
    con.execute(f'DROP VIEW IF EXISTS "{name}"')
    con.register("_edited", arrow)
    con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM _edited')
    con.unregister("_edited")


def replace_topic_views(con: duckdb.DuckDBPyConnection, ws: Workspace, tables: set[str]) -> None:
    """Swap the topic views of ``con`` for their edited versions (nothing without active edits)."""
    import pandas as pd

    from opinion.topics.edit_store import active_edits, workspace_topics
    from opinion.topics.edits import OUTLIER, id_mapping, regroup_counts

    if S.TOPICS not in tables or not active_edits(ws)[0]:
        return
    topics, _ = workspace_topics(ws, con.execute(f"SELECT * FROM {S.TOPICS}").df())
    _table(con, S.TOPICS, topics)
    for name, by in ((S.TOPICS_OVER_TIME, "period"), (S.TOPICS_PER_SOURCE, S.SOURCE)):
        if name in tables:
            _table(con, name, regroup_counts(con.execute(f'SELECT * FROM "{name}"').df(), topics, by))
    if S.TOPIC_DOCS in tables:
        mapping = id_mapping(topics)
        labels = dict(zip(topics[S.TOPIC_ID].astype(int), topics["label"].astype(str)))
        edits = pd.DataFrame({"old_id": list(mapping), "new_id": list(mapping.values()),
                              "new_label": [labels[t] for t in mapping.values()]})
        _table(con, "topic_edit_map", edits)
        columns = [c for c, *_ in con.execute(f"DESCRIBE {S.TOPIC_DOCS}").fetchall()]
        replace = ["coalesce(m.new_id, t.topic_id) AS topic_id"]
        if S.TOPIC_LABEL in columns:
            replace.append("coalesce(m.new_label, t.topic_label) AS topic_label")
        if S.TOPIC_PROB in columns:  # a dropped topic's documents are outliers: prob 0, as in the exports
            replace.append(f"CASE WHEN m.new_id = {OUTLIER} AND t.topic_id <> {OUTLIER} THEN 0.0 "
                           "ELSE t.topic_prob END AS topic_prob")
        source = f"read_parquet({literal(ws.glob(S.TOPIC_DOCS))}, union_by_name=true)"
        con.execute(f"CREATE OR REPLACE VIEW {S.TOPIC_DOCS} AS SELECT t.* REPLACE ({', '.join(replace)}) "
                    f"FROM {source} t LEFT JOIN topic_edit_map m ON t.topic_id = m.old_id")
