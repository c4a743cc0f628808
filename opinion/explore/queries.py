"""The explorer's document lists: filters, search pages, downloads, KWIC lines, Compare's shares.

Queries on the ``facts`` table of an open :class:`~opinion.explore.data.ExploreStore`
(which keeps them as methods: ``store.search(...)`` is :func:`search`), each taking the store
first, as :mod:`opinion.explore.drill` does. Texts are read for the rows of a page only.

Example:
    >>> page = search(store, Filters(query="口罩", labels=("negative",)), page=1)  # doctest: +SKIP
    >>> page.total, page.rows[["doc_id", "text_norm"]].head()  # doctest: +SKIP
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import TYPE_CHECKING

import pandas as pd

from opinion import schema as S
from opinion.explore.facts import literal
from opinion.explore.order import order_sql
from opinion.explore.text import query_forms, split_query

if TYPE_CHECKING:
    from opinion.explore.data import ExploreStore


@dataclasses.dataclass(frozen=True)
class Filters:
    """What the user narrowed the documents to. Empty fields do not filter.

    ``Filters(query='口罩 "武汉 加油"', topics=(0,), labels=("negative",))`` keeps the
    negative posts of topic 0 that contain 口罩 and the phrase 武汉 加油 (in either script).
    """

    query: str = ""
    topics: tuple[int, ...] = ()
    themes: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    emotions: tuple[str, ...] = ()  # emotion_label values (happiness, anger, ...)
    sources: tuple[str, ...] = ()
    start: dt.date | None = None
    end: dt.date | None = None
    include_duplicates: bool = True  # exact and near-duplicates
    include_spam: bool = True

    @property
    def term_forms(self) -> list[tuple[str, ...]]:
        """Each query term's forms in ``text_norm`` (:func:`~opinion.explore.text.query_forms`):
        a document matches when it holds one form of every term."""
        return [forms for forms in map(query_forms, split_query(self.query)) if forms]

    @property
    def terms(self) -> list[str]:
        """The query's terms as ``opinion kwic`` makes them, one each (隨著 → 随着)."""
        return [forms[0] for forms in self.term_forms]

    @property
    def marks(self) -> list[str]:
        """Every form of every term: the hits to highlight."""
        return [form for forms in self.term_forms for form in forms]


@dataclasses.dataclass(frozen=True)
class SearchPage:
    """One page of matching documents and how many match in all."""

    total: int
    page: int
    page_size: int
    rows: pd.DataFrame

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


def empty_rows() -> pd.DataFrame:
    return pd.DataFrame(columns=[S.DOC_ID, S.PUBLISHED_AT, S.SOURCE, S.TEXT_NORM])


def with_text(store: ExploreStore, rows: pd.DataFrame) -> pd.DataFrame:
    """Add the analysis text of ``rows`` and, once prepared, the text as written
    (``text_clean``, shown to users), both read for these ids only (from memory once the
    texts are copied there; a page does not wait for the copy)."""
    if rows.empty:
        return rows.assign(**{S.TEXT_NORM: pd.Series(dtype=str)})
    table, column = store._text_source(wait=False)
    ids = [rows[S.DOC_ID].tolist()]
    texts = store.query(f"SELECT doc_id, {column} AS text_norm FROM {table} WHERE list_contains(?, doc_id)", ids)
    rows = rows.merge(texts, on=S.DOC_ID, how="left")
    if S.TEXT_CLEAN in store._columns(S.PREPARED):
        shown = store.query(f"SELECT doc_id, {S.TEXT_CLEAN} FROM {S.PREPARED} WHERE list_contains(?, doc_id)", ids)
        rows = rows.merge(shown, on=S.DOC_ID, how="left")
    return rows


def count(store: ExploreStore, filters: Filters) -> int:
    """How many documents match ``filters``."""
    clause, params = store.where(filters)
    return int(store.scalar(f"SELECT count(*) FROM facts f WHERE {clause}", params))


def search(store: ExploreStore, filters: Filters, *, page: int = 1, page_size: int = 20,
           sort: str = "newest") -> SearchPage:
    """One page of the documents matching ``filters`` in the order ``sort`` (a key of
    :data:`opinion.explore.order.SORTS`: newest, oldest, typical, negative, positive), with their text."""
    clause, params = store.where(filters)
    total = count(store, filters)
    page = max(1, min(int(page), max(1, -(-total // page_size))))
    rows = store.query(f"SELECT f.* FROM facts f WHERE {clause} ORDER BY {order_sql(sort, store.fact_columns)} "
                       "LIMIT ? OFFSET ?", params + [page_size, (page - 1) * page_size])
    return SearchPage(total=total, page=page, page_size=page_size, rows=with_text(store, rows))


def export_frame(store: ExploreStore, filters: Filters, *, limit: int = 100_000) -> pd.DataFrame:
    """The matching documents with text, for a download (at most ``limit`` rows)."""
    clause, params = store.where(filters)
    rows = store.query(f"SELECT f.* FROM facts f WHERE {clause} ORDER BY {order_sql('newest', store.fact_columns)} "
                       "LIMIT ?", params + [limit])
    return with_text(store, rows)


def theme_words(store: ExploreStore, theme: str) -> list[str]:
    """The words of ``theme`` as the workspace was prepared with it (``prepare --themes`` files
    included, a user 国货 in place of the shipped one), in their ``text_norm`` form; names
    matched as :func:`opinion.themes.resolve_theme_name` does (国货 finds a user's 國貨); []
    for a theme it was not prepared with."""
    from opinion.io.workspace import Workspace
    from opinion.theme_tables import prepared_themes
    from opinion.themes import resolve_theme_name

    themes = {t.name: t for t in prepared_themes(Workspace.open(store.root))}
    name = resolve_theme_name(theme, list(themes))
    return sorted(themes[name].terms) if name is not None else []


def _kwic_query(store: ExploreStore, term: str, theme: str | None,
                include_flagged: bool) -> tuple[Filters, list[str]]:
    """The documents of a KWIC (``term`` as one phrase, in ``theme``'s documents) and its
    needles: the forms of ``term``, else ``theme``'s words."""
    phrase = term.replace('"', " ").strip()
    filters = Filters(query=f'"{phrase}"' if phrase else "", themes=(theme,) if theme else (),
                      include_duplicates=include_flagged, include_spam=include_flagged)
    return filters, filters.marks if phrase else (theme_words(store, theme) if theme else [])


def kwic(store: ExploreStore, term: str, *, theme: str | None = None, width: int = 20, limit: int = 50,
         script: str = "zh-Hans", include_flagged: bool = False) -> pd.DataFrame:
    """Keyword-in-context lines of ``term`` (either script, any of its :func:`query_forms
    <opinion.explore.text.query_forms>`) or, with no term, of ``theme``'s words
    (:func:`theme_words`), already shown in ``script``: the first ``limit`` lines, newest
    documents first.

    Documents are found with DuckDB (``contains`` and the theme's hit column); the lines
    quote the documents as written, by :func:`opinion.kwic.document_lines` as ``opinion
    kwic`` does (from ``text_norm`` when a document has no ``text_clean``).
    Duplicates (exact and near) and spam are left out unless ``include_flagged``.
    """
    from opinion.kwic import document_lines

    filters, words = _kwic_query(store, term, theme, include_flagged)
    if not words:
        return pd.DataFrame(columns=[S.DOC_ID, "left", "term", "right"])
    docs = export_frame(store, filters, limit=limit)
    lines: list[dict] = []
    clean = docs[S.TEXT_CLEAN] if S.TEXT_CLEAN in docs.columns else pd.Series(None, index=docs.index)
    scripts = docs[S.SCRIPT] if S.SCRIPT in docs.columns else pd.Series(None, index=docs.index)
    for doc_id, text, shown, doc_script in zip(docs[S.DOC_ID], docs[S.TEXT_NORM].fillna(""), clean, scripts):
        for word in words:  # without text_clean, document_lines cuts and renders text_norm
            lines += document_lines(doc_id, shown, doc_script, word, width=width, target=script,
                                    text_norm=text)
        if len(lines) >= limit:
            break
    return pd.DataFrame(lines[:limit], columns=[S.DOC_ID, "left", "term", "right"])


def kwic_total(store: ExploreStore, term: str, *, theme: str | None = None, include_flagged: bool = False) -> int:
    """How many lines :func:`kwic` would give with no limit: the occurrences of its words in
    the matching documents' ``text_norm`` (Latin letters in any case), counted in DuckDB.

    ``kwic_total(store, "口罩")`` is 383 on corpora/demo, of which the page shows 200.
    """
    from opinion.kwic import any_case

    filters, words = _kwic_query(store, term, theme, include_flagged)
    if not words:
        return 0
    clause, params = store.where(filters)
    table, column = store._text_source()
    counts = []
    for word in words:  # occurrences: the characters a replace() takes out, over the word's length
        fold = any_case(word)
        text, needle = (f"lower(t.{column})", word.lower()) if fold else (f"t.{column}", word)
        counts.append(f"(length({text}) - length(replace({text}, {literal(needle)}, ''))) // {len(word)}")
    total = store.scalar(f"SELECT sum({' + '.join(counts)}) FROM {table} t WHERE t.doc_id IN "
                         f"(SELECT f.doc_id FROM facts f WHERE {clause})", params)
    return 0 if total is None or pd.isna(total) else int(total)


def compare(store: ExploreStore, sides: dict[str, Filters]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Topic shares and sentiment label shares of each named side (e.g. two periods)."""
    topic_frames, sentiment_frames = [], []
    for name, filters in sides.items():
        clause, params = store.where(filters)
        if store.has(S.TOPIC_DOCS):
            topic_frames.append(store.query(
                f"SELECT {literal(name)} AS side, f.topic_id, count(*) AS documents, "
                f"count(*) / sum(count(*)) OVER () AS share FROM facts f WHERE {clause} "
                "AND f.topic_id IS NOT NULL GROUP BY f.topic_id", params))
        if store.has(S.SENTIMENT):
            sentiment_frames.append(store.query(
                f"SELECT {literal(name)} AS side, f.sentiment_label, count(*) AS documents, "
                f"count(*) / sum(count(*)) OVER () AS share, avg(f.sentiment_score) AS {S.MEAN_SENTIMENT} "
                f"FROM facts f WHERE {clause} AND f.sentiment_label IS NOT NULL GROUP BY f.sentiment_label",
                params))

    def concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()

    return concat(topic_frames), concat(sentiment_frames)
