"""The explorer's DuckDB database of one workspace: views over its Parquet, and ``facts``.

``facts`` joins, once, the per-document columns that filters and charts need (date,
source, duplicate and spam flags, script, theme hits, sentiment score and labels, topic; no text and
no class probabilities, which no chart reads: nine float columns fewer to join) into DuckDB's
memory. This module needs only DuckDB (no pandas), so ``opinion explore`` can start the
join as soon as it starts: DuckDB works outside Python's interpreter lock, in parallel
with the web server's own start-up.

A document without a ``source`` is shown under its input file's name (``1.19.csv``), or
under :data:`NO_SOURCE` when that is unknown too (:mod:`opinion.sources`, the rule the report
uses too), so every row has a label one can filter on.

Building ``facts`` reads five tables and joins them on ``doc_id`` (1.7 s of CPU for 620k
posts). Once built, it is kept in the workspace (:func:`save_cache`:
``.cache/explore-facts-KEY.duckdb``, 14–20 MB for 620k posts), and the next start attaches
that file read-only instead of joining again (milliseconds). KEY digests the workspace's
table files (:func:`workspace_stamp`), the DuckDB version and the code that builds the table,
so rerunning a stage, editing topics or upgrading either builds it again.

Example:
    >>> db = connect("runs/weibo")  # doctest: +SKIP
    >>> db.con.execute("SELECT source, count(*) FROM facts GROUP BY 1").fetchall()  # doctest: +SKIP
    [('1.19.csv', 10671), ...]
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import os
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb

from opinion import schema as S
from opinion.errors import WorkspaceError
from opinion.explore.edited import EDITS_FILE, has_edits, literal, replace_topic_views
from opinion.flagged import flag_columns_sql
from opinion.io.atomic import temp_prefix
from opinion.io.workspace import Workspace
from opinion.sources import NO_SOURCE as NO_SOURCE  # re-exported: the explorer's sections use it
from opinion.sources import source_label_sql
from opinion.topics.skipped import skipped_note

PART_TABLES = (S.CORPUS, S.PREPARED, S.SENTIMENT, S.FLAGS)
WHOLE_TABLES = (S.TOPIC_DOCS, S.TOPICS, S.TOPICS_OVER_TIME, S.TOPICS_PER_SOURCE, S.TOPIC_HIERARCHY)
CACHE_DIR = ".cache"  # in the workspace: files made from its tables, safe to delete
CACHE_PREFIX = "explore-facts-"
# The code whose change changes ``facts`` (relative to the ``opinion`` package): part of the cache key.
FACTS_CODE = ("explore/facts.py", "explore/edited.py", "sources.py", "flagged.py", "schema.py",
              "topics/edits.py", "topics/edit_store.py")


def quote(identifier: str) -> str:
    """``identifier`` as a DuckDB quoted identifier: ``quote('theme_信任') == '"theme_信任"'``."""
    return '"' + identifier.replace('"', '""') + '"'


def workspace_stamp(root: str | Path) -> str:
    """A digest of (file, mtime_ns, size) of every table file: a cache key that changes when a
    stage reruns, and is cheap for ``st.cache_data`` to hash.

    Taken once per page run, so it lists the folders with ``os.scandir`` (the 286 files of a
    620k-post workspace: 16 ms at load 10, where ``Path.glob`` and sorting paths took 42 ms).
    """
    root = Path(root)
    files = [(name, str(root / name))
             for name in ("manifest.json", "rejects.csv", "topic_metrics.json", EDITS_FILE)]
    files += _parquet_files(root, "")
    for name in PART_TABLES + WHOLE_TABLES:  # topic_documents is part-wise since the part-wise topic stage
        files += _parquet_files(root / name, f"{name}/")
    digest = hashlib.sha1(str(root).encode("utf-8"))
    for relative, path in files:
        try:
            info = os.stat(path)
        except OSError:
            continue
        digest.update(f"{relative}\0{info.st_mtime_ns}\0{info.st_size}\n".encode())
    return digest.hexdigest()


def _parquet_files(folder: Path, prefix: str) -> list[tuple[str, str]]:
    """(``prefix`` + name, path) of the ``*.parquet`` files in ``folder``, sorted by name."""
    try:
        with os.scandir(folder) as entries:
            names = sorted(e.name for e in entries if e.name.endswith(".parquet"))
    except OSError:
        return []
    return [(prefix + name, os.path.join(folder, name)) for name in names]


@dataclasses.dataclass
class FactsDB:
    """An open DuckDB connection holding a workspace's views and its ``facts`` table."""

    root: Path
    con: duckdb.DuckDBPyConnection
    tables: frozenset[str]
    theme_names: list[str]
    stamp: str
    cache_path: Path | None = None  # where ``facts`` is kept between starts (None: not kept)
    from_cache: bool = False  # ``facts`` is the kept file, attached read-only
    topics_skipped: dict[str, Any] | None = None  # why there are no topics (opinion.topics.skipped)
    _column_names: dict[str, list[str]] = dataclasses.field(default_factory=dict, repr=False)
    _lock: threading.Lock = dataclasses.field(default_factory=threading.Lock, repr=False)

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A cursor of :attr:`con` of its own (safe from the explorer's session threads)."""
        with self._lock:
            return self.con.cursor()

    def columns(self, table: str) -> list[str]:
        """Column names of a view (``[]`` for a table the workspace lacks), asked once per database."""
        if table not in self.tables:
            return []
        if table not in self._column_names:
            cursor = self.cursor()
            try:
                self._column_names[table] = [row[0] for row in cursor.execute(f"DESCRIBE {quote(table)}").fetchall()]
            finally:
                cursor.close()
        return self._column_names[table]


def no_corpus_message(ws: Workspace) -> str:
    """Why ``ws`` has no documents: nothing loaded yet, or every row rejected, with the reasons
    (``…/ws: 0 documents loaded; 2 rows rejected (empty text: 2), each with its file, row and
    reason in …/ws/rejects.csv``)."""
    from collections import Counter

    from opinion.io.info import reason_kind
    from opinion.io.rejects import read_rejects

    kinds = Counter(reason_kind(row.get("reason", "")) for row in read_rejects(ws.rejects_path))
    if not kinds:
        return f"{ws.root}: no corpus yet; run `opinion load FILE -w {ws.root}` first"
    reasons = ", ".join(f"{kind}: {n:,}" for kind, n in kinds.most_common())
    return (f"{ws.root}: 0 documents loaded; {sum(kinds.values()):,} rows rejected ({reasons}), each with its "
            f"file, row and reason in {ws.rejects_path}; fix the file or the column options "
            f"(--text-col) and run `opinion load FILE -w {ws.root}` again")


def connect(root: str | Path, *, threads: int | None = None, cache: bool = True) -> FactsDB:
    """Open the workspace at ``root``: a view per table and the ``facts`` table, attached from
    the workspace's cache when one was kept for this state of it (``cache``), else built in memory
    (keep it for the next start with :func:`save_cache`).

    ``threads`` caps DuckDB's threads while ``facts`` is built (all cores afterwards), so
    a build that overlaps other start-up work leaves it a core. Raises a one-line
    :class:`WorkspaceError` when the workspace has no corpus yet.
    """
    root = Path(root).resolve()
    stamp = workspace_stamp(root)
    ws = Workspace.open(root)
    if not ws.has(S.CORPUS):
        raise WorkspaceError(no_corpus_message(ws))
    con = duckdb.connect()
    tables = set()
    for name in PART_TABLES + WHOLE_TABLES:
        if ws.has(name):
            source = f"read_parquet({literal(ws.glob(name))}, union_by_name=true)"
            with reading(root, table=name):  # DuckDB reads each file's footer here: a cut file fails now
                con.execute(f"CREATE VIEW {quote(name)} AS SELECT * FROM {source}")
            tables.add(name)
    if has_edits(root):  # the analyst's renames, merges and drops apply to every topic view
        replace_topic_views(con, ws, tables)
    db = FactsDB(root=root, con=con, tables=frozenset(tables), theme_names=[], stamp=stamp,
                 cache_path=cache_path(root, stamp) if cache else None,
                 topics_skipped=skipped_note(ws.manifest))
    db.theme_names = [c.removeprefix(S.THEME_PREFIX) for c in db.columns(S.PREPARED)
                      if c.startswith(S.THEME_PREFIX)]
    if _attach_cache(db):
        return db
    default_threads = con.execute("SELECT current_setting('threads')").fetchone()[0]  # type: ignore[index] # one row
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    with reading(root):  # a file whose footer reads but whose data does not
        con.execute(_facts_sql(db))
    con.execute(f"SET threads = {int(default_threads)}")
    return db


@contextlib.contextmanager
def reading(root: str | Path, *, table: str | None = None) -> Iterator[None]:
    """Raise DuckDB's failure to read a table file of the workspace at ``root`` as the
    :class:`WorkspaceError` of :func:`unreadable` (``table``: the table being read, when the
    error may name no file); other errors as they are."""
    try:
        yield
    except duckdb.Error as exc:
        problem = unreadable(root, exc, table=table)
        if problem is None:
            raise
        raise problem from exc


def unreadable(root: str | Path, exc: Exception, *, table: str | None = None) -> WorkspaceError | None:
    """``exc`` (DuckDB failing to read a table file of the workspace at ``root``) as one line
    naming the file and the command that writes it again; None when ``exc`` names no file of
    the workspace and ``table`` is not given (another kind of error).

    ``…/topics.parquet: cannot read this table file (No magic bytes found at end of file);
    it is damaged or cut short: write it again with `opinion topics -w WS --force` (or rerun
    every stage with `opinion run`)``
    """
    root = Path(root)
    named = re.search(r"'([^']+\.parquet)'", str(exc))
    path = Path(named.group(1)) if named else None
    if path is not None and path.is_relative_to(root):
        table = path.relative_to(root).parts[0].removesuffix(".parquet")
    elif table is None:
        return None
    elif (root / f"{table}.parquet").is_file():  # a table of one file, not a folder of parts
        path = root / f"{table}.parquet"
    reason = re.sub(r"^\w[\w ]* Error: ", "", (str(exc).splitlines() or [""])[0]).replace(f" '{path}'", "")
    reason = "".join(c for c in reason if c.isprintable()).strip().rstrip(":") or type(exc).__name__
    return WorkspaceError(f"{path or root / table}: cannot read this table file ({reason}); it is damaged or cut "
                          f"short: write it again with `{rewrite_command(table, root)}` (or rerun every stage "
                          f"with `opinion run`)")


def rewrite_command(table: str, root: str | Path) -> str:
    """The command that writes ``table`` of the workspace at ``root`` again, all of it:
    ``opinion prepare -w WS --force`` for ``flags``."""
    command = S.PRODUCED_BY.get(table, "opinion topics")  # topic_hierarchy: the topic stage
    if table == S.CORPUS:
        return f"{command} FILE -w {root} --replace"
    return f"{command} -w {root} --force"


@functools.cache
def _code_digest() -> str:
    """Digest of the code that builds ``facts`` (:data:`FACTS_CODE`), read once per process."""
    package = Path(__file__).resolve().parents[1]
    digest = hashlib.sha1(duckdb.__version__.encode())
    for name in FACTS_CODE:
        path = package / name
        digest.update(name.encode() + b"\0" + (path.read_bytes() if path.is_file() else b""))
    return digest.hexdigest()


def cache_path(root: str | Path, stamp: str) -> Path:
    """The file that keeps ``facts`` for the workspace at ``root`` in the state ``stamp``
    (:func:`workspace_stamp`), with this DuckDB and this code: ``ROOT/.cache/explore-facts-KEY.duckdb``."""
    key = hashlib.sha1(f"{stamp}\0{_code_digest()}".encode()).hexdigest()[:20]
    return Path(root) / CACHE_DIR / f"{CACHE_PREFIX}{key}.duckdb"


def _attach_cache(db: FactsDB) -> bool:
    """Make ``facts`` a view of the kept file, if there is one and DuckDB can read it."""
    if db.cache_path is None or not db.cache_path.is_file():
        return False
    try:
        db.con.execute(f"ATTACH {literal(str(db.cache_path))} AS facts_cache (READ_ONLY)")
        db.con.execute("CREATE VIEW facts AS SELECT * FROM facts_cache.facts")
    except duckdb.Error:  # damaged, or written by another DuckDB: build the table again
        db.con.execute("DROP VIEW IF EXISTS facts")
        with contextlib.suppress(OSError, duckdb.Error):
            db.con.execute("DETACH facts_cache")
        return False
    db.from_cache = True
    return True


def save_cache(db: FactsDB, con: duckdb.DuckDBPyConnection | None = None) -> Path | None:
    """Keep ``db``'s in-memory ``facts`` in :attr:`FactsDB.cache_path` for the next start, and
    remove the files kept for earlier states of the workspace; the path, or None when nothing
    was written (kept already, the workspace changed since ``facts`` was built, or its folder
    is not writable: the next start builds the table again).

    The file is written under a temporary name and moved into place, so a reader never sees
    half of it. ``con``: a cursor of ``db.con`` to write with (default ``db.con``).
    """
    path = db.cache_path
    if path is None or db.from_cache or workspace_stamp(db.root) != db.stamp:
        return None
    con = con or db.con
    tmp = path.with_name(f"{temp_prefix(path.name)}{threading.get_ident()}.tmp")
    try:
        path.parent.mkdir(exist_ok=True)
        con.execute(f"ATTACH {literal(str(tmp))} AS facts_out")
        try:
            con.execute("CREATE TABLE facts_out.facts AS SELECT * FROM facts")
        finally:
            con.execute("DETACH facts_out")
        os.replace(tmp, path)
    except (OSError, duckdb.Error):
        for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
            with contextlib.suppress(OSError):
                leftover.unlink(missing_ok=True)
        return None
    for old in path.parent.glob(f"{CACHE_PREFIX}*.duckdb"):
        if old != path:
            with contextlib.suppress(OSError):
                old.unlink()
    return path


def _facts_sql(db: FactsDB) -> str:
    flagged = S.FLAGS in db.tables
    select = ["c.doc_id", "c.published_at", "CAST(c.published_at AS DATE) AS day",
              f"{source_label_sql(db.columns(S.CORPUS))} AS source",
              flag_columns_sql(corpus="c", flags="g" if flagged else None),  # the rule of opinion.flagged
              "is_exact_duplicate OR is_near_duplicate AS is_duplicate"]  # what the lists leave out
    if S.INPUT_ROW in db.columns(S.CORPUS):  # file order: the tie-break of every document list
        select.insert(4, "c.input_row")
    joins = [f"LEFT JOIN {S.FLAGS} g USING (doc_id)"] if flagged else []
    if S.PREPARED in db.tables:
        select += ["p.script"] + [f"p.{quote(S.theme_column(n))}" for n in db.theme_names]
        joins.append(f"LEFT JOIN {S.PREPARED} p USING (doc_id)")
    if S.SENTIMENT in db.tables:
        select += [f"s.{quote(c)}" for c in db.columns(S.SENTIMENT) if c != S.DOC_ID
                   and not c.startswith((S.SENTIMENT_PROB_PREFIX, S.EMOTION_PROB_PREFIX))]
        joins.append(f"LEFT JOIN {S.SENTIMENT} s USING (doc_id)")
    if S.TOPIC_DOCS in db.tables:
        select += ["t.topic_id"] + (["t.topic_prob"] if S.TOPIC_PROB in db.columns(S.TOPIC_DOCS) else [])
        joins.append(f"LEFT JOIN {S.TOPIC_DOCS} t USING (doc_id)")
    return f"CREATE TABLE facts AS SELECT {', '.join(select)} FROM {S.CORPUS} c {' '.join(joins)}"
