"""Read-only queries behind the explorer: DuckDB over one workspace's Parquet.

Nothing here recomputes analysis. At open, the per-document columns that filters and
charts need (date, source, duplicate flag, script, theme hits, sentiment, topic; no text)
are joined once into a ``facts`` table (:mod:`opinion.explore.facts`; kept in the
workspace, so the next start only attaches it), and a filter change is a scan of a few
narrow columns. Texts are copied into memory in the background
(:meth:`ExploreStore.load_texts`); until then the rows of the page being shown read theirs
from Parquet, and a search (``contains`` on ``text_norm``) waits for the copy. The document
lists, KWIC and Compare are written in :mod:`opinion.explore.queries` (methods here too).

Example:
    >>> store = ExploreStore.open("runs/weibo")  # doctest: +SKIP
    >>> page = store.search(Filters(query="口罩", labels=("negative",)), page=1)  # doctest: +SKIP
    >>> page.total, page.rows[["doc_id", "text_norm"]].head()  # doctest: +SKIP
"""

from __future__ import annotations

import atexit
import collections
import contextlib
import csv
import functools
import hashlib
import threading
import weakref
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from opinion import schema as S
from opinion.errors import WorkspaceError
from opinion.explore import queries
from opinion.explore.facts import FactsDB, connect, save_cache, workspace_stamp
from opinion.explore.facts import literal as _literal
from opinion.explore.facts import quote as _quote
from opinion.explore.groups import emotion_order, topic_groups
from opinion.explore.intertopic import intertopic_map
from opinion.explore.queries import Filters, SearchPage
from opinion.flagged import count_flags
from opinion.io.workspace import Workspace
from opinion.kwic import any_case
from opinion.report.display import topic_names
from opinion.topics.settings import workspace_period

__all__ = ["ExploreStore", "Filters", "SearchPage", "workspace_stamp"]

LABELS = ("positive", "neutral", "negative")
TEXTS_WAIT = 30.0  # seconds a search waits for the texts being copied into memory


_COPYING: weakref.WeakSet[ExploreStore] = weakref.WeakSet()  # stores whose texts copy was started


@atexit.register
def _stop_texts_at_exit() -> None:
    for store in list(_COPYING):
        store.stop_texts()


class ExploreStore:
    """Queries over one workspace. Use :meth:`open`; the constructor only stores the path."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root).resolve()
        self.tables: frozenset[str] = frozenset()
        self.theme_names: list[str] = []
        self.stamp = ""  # the workspace's state when opened (workspace_stamp): the key of cached queries
        self.topics_skipped: dict[str, Any] | None = None  # why there are no topics (opinion.topics.skipped)
        self._db: FactsDB | None = None
        self._con: duckdb.DuckDBPyConnection | None = None
        self._lock = threading.Lock()
        self._texts_thread: threading.Thread | None = None
        self._texts_now = threading.Event()  # set: stop waiting, copy the texts now
        self._texts_done = threading.Event()
        self._texts_ok = False
        self._texts_cursor: duckdb.DuckDBPyConnection | None = None
        self._closing = False  # set by stop_texts: the copy is not started, or is interrupted
        self._hits_lock = threading.Lock()
        self._hit_tables: collections.OrderedDict[tuple[str, ...], str] = collections.OrderedDict()

    # -- opening -------------------------------------------------------------------
    @classmethod
    def open(cls, root: str | Path, *, texts_in_memory: bool = True, db: FactsDB | None = None) -> ExploreStore:
        """Open the workspace at ``root`` and its ``facts`` table
        (:func:`opinion.explore.facts.connect`), or take ``db``, one already opened for ``root``.

        With ``texts_in_memory`` the texts are then copied into memory (:meth:`load_texts`).
        """
        store = cls(root)
        if db is None or db.root != store.root:
            db = connect(store.root)
        store.tables, store.theme_names, store._con = db.tables, list(db.theme_names), db.con
        store.stamp, store._db = db.stamp, db
        store.topics_skipped = db.topics_skipped
        if texts_in_memory:
            store.load_texts()
        return store

    def load_texts(self, *, after: float = 0.0) -> None:
        """Copy ``doc_id, text_norm`` into DuckDB's memory in a background thread, ``after``
        seconds from now, or as soon as a search needs the texts (once per store); then keep
        a ``facts`` table built at open in the workspace for the next start
        (:func:`opinion.explore.facts.save_cache`).

        About 400 bytes a post; it makes searches about twice as fast and page texts
        instant. Meanwhile a search waits for the copy rather than scan the Parquet files
        beside it. The explorer asks for it once its first page is drawn, so neither the copy
        nor the writing competes with that page.
        """
        with self._lock:
            if self._texts_thread is not None:
                return
            self._texts_thread = threading.Thread(target=self._load_texts, args=(after,),
                                                  name="opinion-explore-texts", daemon=True)
        _COPYING.add(self)
        self._texts_thread.start()

    def stop_texts(self, timeout: float = 10.0) -> None:
        """Stop the texts copy (interrupting DuckDB) and wait for it; run at exit, since a thread
        still inside DuckDB when Python finalises aborts the process ("terminate called …")."""
        self._closing = True
        self._texts_now.set()
        cursor = self._texts_cursor
        if cursor is not None:
            with contextlib.suppress(duckdb.Error):
                cursor.interrupt()
        thread = self._texts_thread
        if thread is not None and thread.is_alive():
            thread.join(timeout)

    def has(self, name: str) -> bool:
        return name in self.tables

    def missing_table(self, *names: str) -> str:
        """The first of ``names`` the workspace lacks, or ``""``."""
        return next((name for name in names if not self.has(name)), "")

    def _columns(self, table: str) -> list[str]:
        """Column names of ``table`` (``[]`` when absent), as its database knows them."""
        return self._db.columns(table) if self._db is not None else []

    def _load_texts(self, after: float = 0.0) -> None:
        self._texts_now.wait(after)
        if self._closing:
            self._texts_done.set()
            return
        table, column = self._text_source(parquet=True)
        self._texts_cursor = cursor = self._cursor()
        try:
            if not self._closing:
                cursor.execute(f"CREATE TABLE texts AS SELECT doc_id, {column} AS text_norm FROM {table}")
                self._texts_ok = True
        except duckdb.Error:  # interrupted by stop_texts, or failed: searches keep reading Parquet
            pass
        finally:
            self._texts_done.set()
        try:
            if self._db is not None and not self._closing:
                save_cache(self._db, cursor)
        finally:
            self._texts_cursor = None
            cursor.close()

    def wait_for_texts(self, timeout: float | None = None) -> bool:
        """Block until the in-memory texts are loaded (tests, benchmarks); whether they are."""
        return self._texts_done.wait(timeout) and self._texts_ok

    def _text_source(self, *, parquet: bool = False, wait: bool = True) -> tuple[str, str]:
        """(table, column) holding the canonical text: memory (with ``wait``, waiting for a copy
        under way), else prepared, else the raw corpus."""
        if not parquet and self._texts_thread is not None:
            if wait:
                self._texts_now.set()
            if self._texts_done.wait(TEXTS_WAIT if wait else 0) and self._texts_ok:
                return "texts", S.TEXT_NORM
        return (S.PREPARED, S.TEXT_NORM) if self.has(S.PREPARED) else (S.CORPUS, S.TEXT_RAW)

    def hits_table(self, terms: list[str]) -> str:
        """Name of a table of the doc_ids containing every term; kept for the last 16 searches,
        so changing another filter does not scan the texts again."""
        key = tuple(terms)
        with self._hits_lock:  # one search builds a given table; the others wait and reuse it
            if key in self._hit_tables:
                self._hit_tables.move_to_end(key)
                return self._hit_tables[key]
            name = "hits_" + hashlib.sha1("\x1f".join(terms).encode("utf-8")).hexdigest()[:16]
            table, column = self._text_source()
            match = " AND ".join(f"contains(lower({column}), lower(?))" if any_case(term) else f"contains({column}, ?)"
                                 for term in terms)  # Latin letters in any case, as `opinion kwic`
            cursor = self._cursor()
            try:
                cursor.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT doc_id FROM {table} WHERE {match}",
                               terms)
                self._hit_tables[key] = name
                while len(self._hit_tables) > 16:
                    _, old = self._hit_tables.popitem(last=False)
                    cursor.execute(f"DROP TABLE IF EXISTS {old}")
            finally:
                cursor.close()
            return name

    # -- running SQL ---------------------------------------------------------------
    def query(self, sql: str, params: list[Any] | None = None) -> pd.DataFrame:
        """Run ``sql`` on a cursor of its own (safe from Streamlit's session threads)."""
        cursor = self._cursor()
        try:
            return cursor.execute(sql, params or []).df()
        finally:
            cursor.close()

    def _cursor(self) -> duckdb.DuckDBPyConnection:
        if self._db is None:
            raise WorkspaceError("the explorer store is not open; use ExploreStore.open(root)")
        return self._db.cursor()

    def execute(self, sql: str) -> None:
        with self._lock:
            self._con.execute(sql)  # type: ignore[union-attr]

    def scalar(self, sql: str, params: list[Any] | None = None) -> Any:
        frame = self.query(sql, params)
        return None if frame.empty else frame.iat[0, 0]

    @functools.cached_property
    def fact_columns(self) -> list[str]:
        """Columns of the ``facts`` table (emotion_label and topic_prob only when the stages wrote them)."""
        return [row[0] for row in self.query("DESCRIBE facts").itertuples(index=False)]

    # -- filters -------------------------------------------------------------------
    def where(self, filters: Filters) -> tuple[str, list[Any]]:
        """SQL condition on ``facts`` (aliased ``f``) and its parameters."""
        clauses: list[str] = ["TRUE"]
        params: list[Any] = []
        if filters.topics:  # no topic_documents: no document is known to be in a topic, so none matches
            clauses.append("list_contains(?, f.topic_id)" if self.has(S.TOPIC_DOCS) else "FALSE")
            params.extend([[int(t) for t in filters.topics]] if self.has(S.TOPIC_DOCS) else [])
        themes = [t for t in filters.themes if t in self.theme_names]
        if themes:
            clauses.append("(" + " OR ".join(f"f.{_quote(S.theme_column(t))} > 0" for t in themes) + ")")
        if filters.labels and self.has(S.SENTIMENT):
            clauses.append("list_contains(?, f.sentiment_label)")
            params.append(list(filters.labels))
        if filters.emotions and S.EMOTION_LABEL in self.fact_columns:
            clauses.append("list_contains(?, f.emotion_label)")
            params.append(list(filters.emotions))
        if filters.sources:
            clauses.append("list_contains(?, f.source)")
            params.append(list(filters.sources))
        if filters.start:
            clauses.append("f.day >= ?")
            params.append(filters.start)
        if filters.end:
            clauses.append("f.day <= ?")
            params.append(filters.end)
        if not filters.include_duplicates:
            clauses.append("NOT f.is_duplicate")
        if not filters.include_spam:
            clauses.append("NOT f.is_spam")
        forms = filters.term_forms  # each term in any of its forms: 「口罩」 finds 「口罩」 and “口罩”
        if forms and all(len(alternatives) == 1 for alternatives in forms):  # one hits table for all
            clauses.append(f"f.doc_id IN (SELECT doc_id FROM {self.hits_table(filters.terms)})")
        elif forms:
            for alternatives in forms:
                union = " UNION ".join(f"SELECT doc_id FROM {self.hits_table([form])}" for form in alternatives)
                clauses.append(f"f.doc_id IN ({union})")
        return " AND ".join(clauses), params

    # -- overview ------------------------------------------------------------------
    def overview(self) -> dict[str, Any]:
        """Counts for the overview cards: documents, dates, sources, rejects, and the report's
        ``duplicates`` (exact), ``near_duplicates`` and ``spam`` (None without the flags table),
        counted by the one rule of :mod:`opinion.flagged`."""
        row = self.query("SELECT count(*) AS n, min(published_at) AS first, max(published_at) AS last, "
                         "count(DISTINCT source) AS sources FROM facts").iloc[0]
        cursor = self._cursor()
        try:
            flags = count_flags(cursor, "facts", flagged=self.has(S.FLAGS))
        finally:
            cursor.close()
        return {"documents": int(row["n"]), "first": row["first"], "last": row["last"],
                "sources": int(row["sources"]), "duplicates": flags.duplicates,
                "near_duplicates": flags.near_duplicates, "spam": flags.spam, "rejects": self.rejects_count()}

    def rejects_count(self) -> int | None:
        """Rows in ``rejects.csv`` (None when the file is absent); quoted newlines count once."""
        path = self.root / "rejects.csv"
        if not path.exists():
            return None
        with path.open(encoding="utf-8-sig", newline="", errors="replace") as handle:
            return max(0, sum(1 for _ in csv.reader(handle)) - 1)

    def counts_by(self, column: str, filters: Filters | None = None) -> pd.DataFrame:
        """Documents per value of a ``facts`` column (``source``, ``script``, ``day``...)."""
        where, params = self.where(filters or Filters())
        col = _quote(column)
        return self.query(f"SELECT f.{col} AS {col}, count(*) AS documents FROM facts f WHERE {where} "
                          f"GROUP BY ALL ORDER BY documents DESC", params)

    @functools.cached_property
    def period(self) -> str:
        """Bucket of the timelines and word groups: the stored ``export --period``, else the topic period,
        else the date range's, as the report's (:func:`opinion.topics.settings.workspace_period`)."""
        return workspace_period(Workspace.open(self.root))

    def _bucket(self) -> str:
        return f"CAST(date_trunc('{self.period}', f.day) AS DATE)"

    def per_period(self, filters: Filters | None = None) -> pd.DataFrame:
        """Documents per :attr:`period` (``period``, ``documents``), dated documents only."""
        where, params = self.where(filters or Filters())
        return self.query(f"SELECT {self._bucket()} AS period, count(*) AS documents FROM facts f "
                          f"WHERE {where} AND f.day IS NOT NULL GROUP BY 1 ORDER BY 1", params)

    def filter_options(self) -> dict[str, Any]:
        """Sources, date range and topics to offer in the filters."""
        sources = self.query("SELECT DISTINCT source FROM facts WHERE source IS NOT NULL ORDER BY 1")
        days = self.query("SELECT min(day) AS lo, max(day) AS hi FROM facts").iloc[0]
        return {"sources": sources["source"].tolist(),
                "first": None if pd.isna(days["lo"]) else pd.Timestamp(days["lo"]).date(),
                "last": None if pd.isna(days["hi"]) else pd.Timestamp(days["hi"]).date()}

    # -- topics --------------------------------------------------------------------
    def topics(self) -> pd.DataFrame:
        """The topic table with each topic's sentiment (mean score and label shares)."""
        if not self.has(S.TOPICS):
            return pd.DataFrame()
        topics = self.query(f"SELECT * FROM {S.TOPICS} ORDER BY size DESC")
        if self.has(S.SENTIMENT) and self.has(S.TOPIC_DOCS):
            sentiment = self.query(
                f"SELECT topic_id, avg(sentiment_score) AS {S.MEAN_SENTIMENT}, "
                "avg((sentiment_label = 'positive')::INT) AS positive_share, "
                "avg((sentiment_label = 'negative')::INT) AS negative_share "
                "FROM facts WHERE topic_id IS NOT NULL GROUP BY topic_id")
            topics = topics.merge(sentiment, on=S.TOPIC_ID, how="left")
        return topics

    def topic_over_time(self, topic_id: int) -> pd.DataFrame:
        """``topics_over_time`` rows of one topic (period, count, share)."""
        if not self.has(S.TOPICS_OVER_TIME):
            return pd.DataFrame(columns=["period", "count", "share"])
        return self.query(f"SELECT period, count, share FROM {S.TOPICS_OVER_TIME} WHERE topic_id = ? "
                          "ORDER BY period", [int(topic_id)])

    def topic_sentiment(self, topic_id: int) -> pd.DataFrame:
        """Documents per sentiment label in one topic."""
        if not (self.has(S.SENTIMENT) and self.has(S.TOPIC_DOCS)):
            return pd.DataFrame(columns=["sentiment_label", "documents"])
        return self.query("SELECT sentiment_label, count(*) AS documents FROM facts WHERE topic_id = ? "
                          "GROUP BY ALL ORDER BY documents DESC", [int(topic_id)])

    def documents_by_id(self, doc_ids: list[str]) -> pd.DataFrame:
        """Text and scores of the given documents, in the given order."""
        if not doc_ids:
            return self._empty_rows()
        rows = self._with_text(self.query("SELECT * FROM facts WHERE list_contains(?, doc_id)", [doc_ids]))
        order = {d: i for i, d in enumerate(doc_ids)}
        return rows.sort_values(S.DOC_ID, key=lambda s: s.map(order)).reset_index(drop=True)

    def representative_docs(self, topic_id: int) -> pd.DataFrame:
        """The topic's representative documents (joined on ids, never on text)."""
        ids = self.query(f"SELECT representative_doc_ids FROM {S.TOPICS} WHERE topic_id = ?", [int(topic_id)])
        if ids.empty or ids.iat[0, 0] is None:
            return self._empty_rows()
        return self.documents_by_id([str(d) for d in ids.iat[0, 0]])

    def topic_map(self) -> pd.DataFrame:
        """2-D positions of the topics for the intertopic map (see :mod:`opinion.explore.intertopic`)."""
        return intertopic_map(self.topics())

    def emotion_shares(self, by: str) -> pd.DataFrame:
        """Documents and share of each ``emotion_label`` per period, topic, theme or source.

        Columns ``group``, ``emotion_label``, ``documents``, ``share`` (of the group); groups in
        a meaningful order (periods by date, topics as the topic table lists them: largest first,
        the catch-all topics (``is_generic``) after them and the outliers last; sources and
        themes by documents), emotions in the order of :data:`opinion.schema.EMOTIONS`.
        """
        empty = pd.DataFrame(columns=["group", "emotion_label", "documents", "share"])
        if not self.has(S.SENTIMENT) or S.EMOTION_LABEL not in self._columns(S.SENTIMENT):
            return empty
        if by == "theme":
            parts = [f"SELECT {_literal(n)} AS \"group\", emotion_label, count(*) AS documents, "
                     f"count(*) / sum(count(*)) OVER () AS share FROM facts WHERE {_quote(S.theme_column(n))} > 0 "
                     "AND emotion_label IS NOT NULL GROUP BY 2" for n in self.theme_names]
            return emotion_order(self.query(" UNION ALL ".join(parts)), by) if parts else empty
        if by == "topic":
            if not self.has(S.TOPIC_DOCS):
                return empty
            counts = self.query("SELECT topic_id, emotion_label, count(*) AS documents FROM facts "
                                "WHERE emotion_label IS NOT NULL AND topic_id IS NOT NULL GROUP BY 1, 2")
            columns = ", ".join(c for c in (S.TOPIC_ID, "label", "size", "is_generic")
                                if self.has(S.TOPICS) and c in self._columns(S.TOPICS))
            topics = self.query(f"SELECT {columns} FROM {S.TOPICS}") if columns else pd.DataFrame()
            return emotion_order(topic_groups(counts, topics), by)
        group = {"period": f"CAST({self._bucket()} AS VARCHAR)", "source": "f.source"}.get(by)
        if group is None:
            return empty
        return emotion_order(self.query(
            f"SELECT {group} AS \"group\", emotion_label, count(*) AS documents, "
            f"count(*) / sum(count(*)) OVER (PARTITION BY {group}) AS share FROM facts f "
            f"WHERE emotion_label IS NOT NULL AND {group} IS NOT NULL GROUP BY 1, 2"), by)

    # -- themes --------------------------------------------------------------------
    def themes_over_time(self) -> pd.DataFrame:
        """Per day and theme: documents with a hit, their share of the day, mean theme sentiment."""
        if not self.theme_names:
            return pd.DataFrame(columns=["period", "theme", "documents", S.PREVALENCE, "sentiment"])
        has_sentiment = self.has(S.SENTIMENT)
        parts = []
        for name in self.theme_names:
            column = _quote(S.theme_column(name))
            hit = f"{column} > 0"
            sentiment_col = f"{S.THEME_SENTIMENT_PREFIX}{name}"
            if has_sentiment and sentiment_col in self._columns(S.SENTIMENT):
                mean = f"avg({_quote(sentiment_col)}) FILTER ({hit})"
            elif has_sentiment:
                mean = f"avg(sentiment_score) FILTER ({hit})"
            else:
                mean = "NULL::DOUBLE"
            parts.append(f"SELECT {self._bucket()} AS period, {_literal(name)} AS theme, "
                         f"count(*) FILTER ({hit}) AS documents, "
                         # of the prepared documents (a theme column), as the export: not posts loaded since
                         f"count(*) FILTER ({hit}) / nullif(count({column}), 0) AS {S.PREVALENCE}, {mean} AS sentiment "
                         "FROM facts f WHERE f.day IS NOT NULL GROUP BY 1")
        return self.query(" UNION ALL ".join(parts) + " ORDER BY theme, period")

    def theme_totals(self) -> pd.DataFrame:
        """Documents with a hit per theme, over the whole corpus."""
        if not self.theme_names:
            return pd.DataFrame(columns=["theme", "documents"])
        sums = ", ".join(f"count(*) FILTER ({_quote(S.theme_column(n))} > 0) AS {_quote(n)}"
                         for n in self.theme_names)
        row = self.query(f"SELECT {sums} FROM facts").iloc[0]
        return pd.DataFrame({"theme": self.theme_names, "documents": [int(row[n]) for n in self.theme_names]})

    def theme_topic(self) -> pd.DataFrame:
        """Per theme and topic: the topic's documents, those with a hit and their share, with the
        topic's label (the rows :func:`opinion.report.charts.theme_topic_chart` draws)."""
        columns = ["theme", S.TOPIC_ID, "topic_label", "docs_with_theme", "topic_size", "share_of_topic"]
        topics = self.topics()
        if not self.theme_names or topics.empty or not self.has(S.TOPIC_DOCS):
            return pd.DataFrame(columns=columns)
        sums = ", ".join(f"count(*) FILTER ({_quote(S.theme_column(n))} > 0) AS {_quote(n)}"
                         for n in self.theme_names)
        counts = self.query(f"SELECT topic_id, count(*) AS topic_size, {sums} FROM facts "
                            "WHERE topic_id IS NOT NULL GROUP BY topic_id")
        long = counts.melt(id_vars=[S.TOPIC_ID, "topic_size"], value_vars=self.theme_names, var_name="theme",
                           value_name="docs_with_theme")
        labels = topic_names(topics)
        long = long.assign(topic_label=long[S.TOPIC_ID].map(labels),
                           share_of_topic=long["docs_with_theme"] / long["topic_size"])
        return long.dropna(subset=["topic_label"])[columns].reset_index(drop=True)

    # -- documents, KWIC and Compare (opinion.explore.queries) ------------------------
    def _empty_rows(self) -> pd.DataFrame:
        return queries.empty_rows()

    def _with_text(self, rows: pd.DataFrame) -> pd.DataFrame:
        return queries.with_text(self, rows)

    def count(self, filters: Filters) -> int:
        """How many documents match ``filters`` (:func:`opinion.explore.queries.count`)."""
        return queries.count(self, filters)

    def search(self, filters: Filters, *, page: int = 1, page_size: int = 20, sort: str = "newest") -> SearchPage:
        """One page of matching documents with text (:func:`opinion.explore.queries.search`)."""
        return queries.search(self, filters, page=page, page_size=page_size, sort=sort)

    def export_frame(self, filters: Filters, *, limit: int = 100_000) -> pd.DataFrame:
        """The matching documents with text, for a download (:func:`opinion.explore.queries.export_frame`)."""
        return queries.export_frame(self, filters, limit=limit)


    def kwic(self, term: str, *, theme: str | None = None, width: int = 20, limit: int = 50,
             script: str = "zh-Hans", include_flagged: bool = False) -> pd.DataFrame:
        """Keyword-in-context lines of ``term`` or of ``theme``'s words (:func:`opinion.explore.queries.kwic`)."""
        return queries.kwic(self, term, theme=theme, width=width, limit=limit, script=script,
                            include_flagged=include_flagged)

    def compare(self, sides: dict[str, Filters]) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Topic and sentiment shares of each side (:func:`opinion.explore.queries.compare`)."""
        return queries.compare(self, sides)

    def topic_metrics(self) -> dict[str, Any]:
        """``topic_metrics.json`` or an empty dict."""
        try:
            return Workspace(self.root).read_json("topic_metrics")
        except WorkspaceError:
            return {}


