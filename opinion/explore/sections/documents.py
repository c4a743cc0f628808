"""Documents: full-text search in either script with filters, paged, hits highlighted."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import streamlit as st

from opinion import schema as S
from opinion.explore.data import LABELS, ExploreStore, Filters
from opinion.explore.text import (
    escape_markdown,
    highlight_document,
    highlight_markdown,
    render_label,
    render_theme,
)
from opinion.explore.widgets import (
    cached,
    choice,
    date_range,
    download_buttons,
    paged,
    render_frame,
    tr,
    value_tr,
)
from opinion.report.display import topic_names

PAGE_SIZES = (10, 20, 50)
MAX_TEXT = 1000  # characters of a post shown on the page; the download has them all


def _meta_line(row: pd.Series, script: str, labels: dict[int, str]) -> str:
    parts = [str(row[S.DOC_ID])]
    if pd.notna(row.get(S.PUBLISHED_AT)):
        parts.append(pd.Timestamp(row[S.PUBLISHED_AT]).strftime("%Y-%m-%d %H:%M"))
    if pd.notna(row.get(S.SOURCE)):
        parts.append(str(row[S.SOURCE]))
    if pd.notna(row.get(S.TOPIC_ID)) and int(row[S.TOPIC_ID]) in labels:
        parts.append(render_label(str(labels[int(row[S.TOPIC_ID])]), script))
    if pd.notna(row.get(S.SENTIMENT_SCORE)):
        parts.append(f"{value_tr(row.get(S.SENTIMENT_LABEL), script)} {float(row[S.SENTIMENT_SCORE]):.2f}")
    if row.get("is_duplicate"):
        parts.append(value_tr("duplicate", script))
    if row.get("is_spam"):
        parts.append(value_tr("spam", script))
    return escape_markdown(" · ".join(parts))


def document_markdown(row: pd.Series, terms: list[str], script: str) -> str:
    """The row's text as written (``text_clean``: verbatim in its own script, converted
    across scripts) with the hits marked; ``text_norm`` rendered before prepare's columns."""
    shown = row.get(S.TEXT_CLEAN)
    if isinstance(shown, str):
        suffix = "…" if len(shown) > MAX_TEXT else ""
        doc_script = row.get(S.SCRIPT)
        return highlight_document(shown[:MAX_TEXT], doc_script if isinstance(doc_script, str) else None,
                                  terms, script) + suffix
    text = row.get(S.TEXT_NORM)
    text = "" if text is None or pd.isna(text) else str(text)
    suffix = "…" if len(text) > MAX_TEXT else ""
    return highlight_markdown(text[:MAX_TEXT], terms, script) + suffix


def show_documents(rows: pd.DataFrame, *, terms: list[str], script: str, labels: dict[int, str]) -> None:
    """Each row as a meta line (id, date, source, topic, sentiment) over its highlighted text."""
    if rows.empty:
        st.caption(tr("documents.no_documents", script))
        return
    for _, row in rows.iterrows():
        with st.container(border=True):
            st.caption(_meta_line(row, script, labels))
            st.markdown(document_markdown(row, terms, script))


def _date_range(value: Any) -> tuple[dt.date | None, dt.date | None]:
    if isinstance(value, (tuple, list)):
        start = value[0] if len(value) > 0 else None
        end = value[1] if len(value) > 1 else None
        return start, end
    return value, value


def whole_range(chosen: tuple[dt.date | None, dt.date | None], first: dt.date,
                last: dt.date) -> tuple[dt.date | None, dt.date | None]:
    """The ``(start, end)`` to filter on: an end left at the first or last day is no bound, so
    the untouched range (the whole of it) keeps the documents without a date (a NULL day
    fails every comparison); a range narrowed at either end keeps dated documents only.

    ``whole_range((first, last), first, last) == (None, None)``
    """
    start, end = chosen
    return (None if start == first else start), (None if end == last else end)


def filters_ui(store: ExploreStore, *, script: str, key: str, labels: dict[int, str]) -> Filters:
    """Search box and filters; returns the user's :class:`Filters`."""
    options = cached(store, "filter_options")
    query = st.text_input(tr("documents.search", script), key=f"{key}_query",
                          placeholder="口罩  或  \"武漢 加油\"")
    cols = list(st.columns(4))
    topics = choice(cols[0].multiselect, tr("documents.topic", script), list(labels), key=f"{key}_topics",
                    format_func=lambda t: render_label(str(labels[t]), script), placeholder=tr("any", script))
    themes = choice(cols[1].multiselect, tr("drill.theme", script), store.theme_names, key=f"{key}_themes",
                    format_func=lambda t: render_theme(t, script), placeholder=tr("any", script))
    sentiment = choice(cols[2].multiselect, tr("drill.sentiment", script), list(LABELS), key=f"{key}_labels",
                       format_func=lambda v: value_tr(v, script),
                       disabled=not store.has(S.SENTIMENT), placeholder=tr("any", script))
    sources = cols[3].multiselect(tr("drill.source", script), options["sources"], key=f"{key}_sources",
                                  placeholder=tr("any", script))
    cols = st.columns([2, 1])
    start, end = None, None
    if options["first"] is not None:
        first, last = options["first"], options["last"]
        value = date_range(cols[0].date_input, tr("documents.dates", script), default=(first, last),
                           first=first, last=last, key=f"{key}_dates")
        start, end = whole_range(_date_range(value), first, last)
    flagged = cols[1].checkbox(tr("documents.flagged", script), value=False, key=f"{key}_dups",
                               help=tr("app.flagged_help", script))
    return Filters(query=query, topics=tuple(topics), themes=tuple(themes), labels=tuple(sentiment),
                   sources=tuple(sources), start=start, end=end, include_duplicates=flagged,
                   include_spam=flagged)


def _topic_labels(store: ExploreStore) -> dict[int, str]:
    """The topics to filter on: none without ``topic_documents``, which says which posts are in a topic."""
    if not (store.has(S.TOPICS) and store.has(S.TOPIC_DOCS)):
        return {}
    topics = cached(store, "topics")
    return topic_names(topics)


def render_documents(store: ExploreStore, *, script: str, key: str = "documents") -> None:
    """Search and filter the posts; a page of results with highlighted hits and scores.

    Example: search ``國貨`` (Traditional) and it finds the Simplified 国货 posts too.
    """
    labels = _topic_labels(store)
    filters = filters_ui(store, script=script, key=key, labels=labels)
    cols = st.columns([1, 1, 4])
    page_size = cols[1].selectbox(tr("drill.per_page", script), PAGE_SIZES, index=1, key=f"{key}_page_size")
    page = paged(cols[0], tr("drill.page", script), key=f"{key}_page", listing=(filters, page_size),
                 fetch=lambda number: cached(store, "search", filters, page=number, page_size=int(page_size)))
    note = tr("app.flagged_in" if filters.include_duplicates else "app.flagged_out", script)
    cols[2].markdown(tr("documents.matches", script, total=page.total, flagged=note, page=page.page,
                        pages=page.pages))
    show_documents(page.rows, terms=filters.marks, script=script, labels=labels)  # every form of each term
    st.caption(tr("documents.download", script))
    download_buttons(lambda: render_frame(store.export_frame(filters), script), name="documents",
                     key=f"{key}_download")
