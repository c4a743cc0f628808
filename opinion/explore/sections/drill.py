"""A topic's posts (all of them, sorted and filtered, paged) and a period's rising and falling topics.

Called from the Topics section (:mod:`opinion.explore.sections.topics`). The lists come from
the same DuckDB store as the Documents section (:meth:`ExploreStore.search`), so a filter
is a scan of the in-memory ``facts`` table.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd
import streamlit as st

from opinion import schema as S
from opinion.errors import OpinionError
from opinion.explore.data import LABELS, ExploreStore, Filters, SearchPage
from opinion.explore.drill import (
    axis_names,
    emotion_values,
    flagged_count,
    period_bounds,
    period_movers,
    periods,
)
from opinion.explore.facts import reading
from opinion.explore.order import available_sorts
from opinion.explore.sections.documents import PAGE_SIZES, show_documents
from opinion.explore.text import render_label, render_theme
from opinion.explore.widgets import (
    cached,
    cached_query,
    choice,
    paged,
    plotly_chart,
    rerun_if_changed,
    share_format,
    table,
    tr,
    value_tr,
)
from opinion.io.safety import plot_frame
from opinion.kwic import workspace_conversion
from opinion.report.charts import percent_axis

MOVERS_DRAWN = 10  # topics drawn at each end of the period chart


def _period_name(period: dt.date | None, store: ExploreStore) -> str:
    if period is None:
        return ""
    return {"day": f"{period:%Y-%m-%d}", "week": f"{period:%Y-%m-%d} +7d", "month": f"{period:%Y-%m}"}[store.period]


def topic_filters_ui(store: ExploreStore, topic_id: int, *, script: str, key: str) -> tuple[Filters, str]:
    """Sort and filters of one topic's post list: period, source, sentiment, emotion, theme."""
    options = cached(store, "filter_options")
    cols = st.columns(6)
    sorts = available_sorts(store.fact_columns)
    sort = choice(cols[0].selectbox, tr("drill.sort", script), sorts, key=f"{key}_sort",
                  index=sorts.index("typical") if "typical" in sorts else 0,
                  format_func=lambda s: tr(f"drill.sort.{s}", script))
    known = cached_query(store, periods)
    period = choice(cols[1].selectbox, tr("drill.period", script), [None, *known], key=f"{key}_period",
                    format_func=lambda p: _period_name(p, store) if p else tr("drill.all_periods", script))
    sources = cols[2].multiselect(tr("drill.source", script), options["sources"], key=f"{key}_sources",
                                  placeholder=tr("any", script))
    labels = choice(cols[3].multiselect, tr("drill.sentiment", script), list(LABELS), key=f"{key}_labels",
                    format_func=lambda v: value_tr(v, script),
                    disabled=not store.has(S.SENTIMENT), placeholder=tr("any", script))
    emotions = choice(cols[4].multiselect, tr("drill.emotion", script), cached_query(store, emotion_values),
                      key=f"{key}_emotions", format_func=lambda v: value_tr(v, script), placeholder=tr("any", script))
    themes = choice(cols[5].multiselect, tr("drill.theme", script), store.theme_names, key=f"{key}_themes",
                    format_func=lambda t: render_theme(t, script), placeholder=tr("any", script))
    start, end = period_bounds(period, store.period) if period else (None, None)
    return Filters(topics=(int(topic_id),), themes=tuple(themes), labels=tuple(labels), emotions=tuple(emotions),
                   sources=tuple(sources), start=start, end=end, include_duplicates=False,
                   include_spam=False), sort or "newest"


def posts_caption(page: SearchPage, flagged: int, *, included: bool, script: str) -> str:
    """The list's count, and how many of the topic's posts are duplicates or spam: left out
    (``663 篇文档（另有 1,180 篇重复或垃圾帖，勾选…显示）``, which adds up to the topic's size) or
    included (``1,843 篇文档（含 1,180 篇…）``); the plain count when there are none."""
    if not flagged:
        return tr("drill.matches", script, total=page.total, page=page.page, pages=page.pages)
    return tr("drill.flagged_in" if included else "drill.flagged_out", script, total=page.total,
              flagged=flagged, box=tr("documents.flagged", script), page=page.page, pages=page.pages)


@st.fragment
def render_topic_posts(store: ExploreStore, topic_id: int, *, script: str, key: str, terms: list[str],
                       labels: dict[int, str]) -> None:
    """Every post of the topic, a page at a time, in the chosen order; duplicates and spam left
    out unless ticked, and the caption says how many they are.

    A fragment: a new sort, filter or page reruns this list only, not the topic table and the
    four Plotly charts above it (their figures took most of a full rerun's time); the whole
    page reruns instead when the workspace changed since (:func:`rerun_if_changed`). A
    fragment rerun runs outside the page's ``main``, so the list is drawn here in what ``main``
    draws a section in: the workspace's conversion (the highlights of page 2 as of page 1) and
    one line for a table file that cannot be read.
    """
    rerun_if_changed(store)  # a fragment rerun holds the store of the last full run
    try:
        with reading(store.root), workspace_conversion(store.root):
            _topic_posts(store, topic_id, script=script, key=key, terms=terms, labels=labels)
    except OpinionError as exc:
        st.error(str(exc))


def _topic_posts(store: ExploreStore, topic_id: int, *, script: str, key: str, terms: list[str],
                 labels: dict[int, str]) -> None:
    """The body of :func:`render_topic_posts`: sort, filters, the page box, the caption and the posts."""
    st.subheader(tr("topics.all_posts", script))
    filters, sort = topic_filters_ui(store, topic_id, script=script, key=key)
    cols = st.columns([1, 1, 1.6, 4], vertical_alignment="bottom")
    page_size = cols[1].selectbox(tr("drill.per_page", script), PAGE_SIZES, index=0, key=f"{key}_page_size")
    included = cols[2].checkbox(tr("documents.flagged", script), value=False, key=f"{key}_flagged",
                                help=tr("app.flagged_help", script))
    filters = dataclasses.replace(filters, include_duplicates=included, include_spam=included)
    page = paged(cols[0], tr("drill.page", script), key=f"{key}_page", listing=(filters, sort, page_size),
                 fetch=lambda number: cached(store, "search", filters, page=number, page_size=int(page_size),
                                             sort=sort))  # a new topic or filter starts on page 1
    flagged = cached_query(store, flagged_count, filters)
    cols[3].markdown(posts_caption(page, flagged, included=included, script=script))
    show_documents(page.rows, terms=terms, script=script, labels=labels)


def render_period_movers(store: ExploreStore, *, script: str, key: str, labels: dict[int, str]) -> None:
    """Pick a period; its topics ordered by the change of their share against the period before."""
    import plotly.express as px  # not at module import: the Overview needs no Plotly

    known = cached_query(store, periods)
    if not known:
        st.info(tr("period.no_dates", script))
        return
    period = choice(st.selectbox, tr("period.choose", script), known, index=len(known) - 1, key=f"{key}_period",
                    format_func=lambda p: _period_name(p, store))
    if known.index(period) == 0:
        st.caption(tr("period.first", script))
    movers = cached_query(store, period_movers, period)
    if movers.empty:
        return
    movers = movers.assign(label=movers[S.TOPIC_ID].map(lambda t: render_label(labels.get(int(t), str(t)), script)))
    drawn = pd.concat([movers.head(MOVERS_DRAWN), movers.tail(MOVERS_DRAWN)]).drop_duplicates(S.TOPIC_ID)
    names = axis_names(dict(zip(movers[S.TOPIC_ID].astype(int), movers["label"])))  # a row per topic
    drawn = plot_frame(drawn.assign(topic=drawn[S.TOPIC_ID].map(lambda t: names[int(t)]),
                                    direction=[tr("period.rose" if c >= 0 else "period.fell", script)
                                               for c in drawn["change"]]), ("topic", "label"))
    figure = px.bar(drawn, x="change", y="topic", orientation="h", color="direction", hover_name="label",
                    hover_data={"topic": False, "share": ":.1%", "share_before": ":.1%", "documents": True,
                                "direction": False},
                    title=tr("period.movers", script),
                    labels={"topic": "", "change": tr("period.change", script)}
                    | {c: tr(f"column.{c}", script) for c in ("share", "share_before", "documents")},
                    color_discrete_map={tr("period.rose", script): "#2a9d8f", tr("period.fell", script): "#e76f51"})
    figure.update_yaxes(autorange="reversed", dtick=1, automargin=True)  # whole labels
    figure.update_xaxes(**percent_axis(drawn["change"]) | {"rangemode": "normal"})
    figure.update_layout(height=max(360, 24 * len(drawn) + 120), margin=dict(l=10, r=10, t=40, b=10),
                         legend_title_text="")
    plotly_chart(figure, key=f"{key}_movers_chart")
    table(movers, name="period_movers", key=f"{key}_movers", script=script,
          column_config=share_format(movers.columns) | {
              "change": st.column_config.NumberColumn(format="percent"),
              "change_ratio": st.column_config.NumberColumn(format="percent")})
