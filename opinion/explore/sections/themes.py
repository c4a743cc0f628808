"""Themes: prevalence and sentiment over time per theme, and KWIC lines for a theme or a term."""

from __future__ import annotations

import streamlit as st

from opinion import schema as S
from opinion.explore.data import ExploreStore
from opinion.explore.queries import kwic_total, theme_words
from opinion.explore.text import render_label, render_theme
from opinion.explore.widgets import (
    cached,
    cached_query,
    choice,
    has_dates,
    language,
    missing,
    plotly_chart,
    render_frame,
    share_format,
    table,
    tr,
)
from opinion.io.safety import plot_frame
from opinion.report.charts import percent_axis, theme_topic_chart

KWIC_LINES = 200  # lines shown; the caption says how many there are in all


def render_themes(store: ExploreStore, *, script: str, key: str = "themes") -> None:
    """Theme totals, share of documents and theme sentiment per day, then KWIC lines.

    Example: theme 信任 with term 直播 lists ``…主播的信任成为关键。国货品牌借助 | 直播 | 带货走红…``.
    """
    if missing(store, S.PREPARED, script=script):
        return
    if not store.theme_names:
        st.info(tr("themes.none", script, root=store.root))
        return
    table(cached(store, "theme_totals"), name="theme_totals", key=f"{key}_totals", script=script)
    _over_time(store, script=script, key=key)
    _theme_topic(store, script=script, key=key)
    _kwic(store, script=script, key=key)


def _over_time(store: ExploreStore, *, script: str, key: str) -> None:
    """Each chosen theme's share of the documents, and its sentiment, per period (a line each)."""
    import plotly.express as px  # not at module import: the Overview needs no Plotly

    if not has_dates(store):  # no periods: no lines, but the totals above and the sections below hold
        st.info(tr("overview.no_dates", script), icon=":material/calendar_today:")
        return
    chosen = choice(st.multiselect, tr("themes.chosen", script), store.theme_names, default=store.theme_names,
                    key=f"{key}_chosen", format_func=lambda t: render_theme(t, script), placeholder=tr("choose", script))
    over_time = cached(store, "themes_over_time")
    over_time = render_frame(over_time[over_time["theme"].isin(chosen)], script)
    drawn = plot_frame(over_time, ("theme",))  # theme names drawn as text, not Plotly markup
    axes = {name: tr(f"column.{name}", script) for name in ("period", S.PREVALENCE, "sentiment", "theme")}
    left, right = st.columns(2)
    with left:
        figure = px.line(drawn, x="period", y=S.PREVALENCE, color="theme", markers=True, labels=axes,
                         title=tr("themes.prevalence", script, unit=tr(f"unit.{store.period}", script)))
        figure.update_yaxes(**percent_axis(drawn[S.PREVALENCE]))  # no repeated ticks on small shares
        figure.update_layout(height=340, margin=dict(l=10, r=10, t=40, b=10))
        plotly_chart(figure, key=f"{key}_prevalence")
    with right:
        if not missing(store, S.SENTIMENT, script=script):
            figure = px.line(drawn.dropna(subset=["sentiment"]), x="period", y="sentiment", color="theme",
                             markers=True, title=tr("themes.sentiment", script), labels=axes)
            figure.update_yaxes(range=[0, 1])
            figure.update_layout(height=340, margin=dict(l=10, r=10, t=40, b=10))
            plotly_chart(figure, key=f"{key}_sentiment")
    table(over_time, name="themes_over_time", key=f"{key}_over_time", script=script,
          column_config=share_format([S.PREVALENCE]) | {"period": st.column_config.DateColumn(format="YYYY-MM-DD")},
          height=240)


def _theme_topic(store: ExploreStore, *, script: str, key: str) -> None:
    """The theme × topic heatmap of the report (:func:`opinion.report.charts.theme_topic_chart`):
    every topic a row named by its whole label, largest first, catch-all topics last."""
    if not store.has(S.TOPICS):
        return
    overlap = cached(store, "theme_topic")
    overlap = overlap.assign(topic_label=overlap["topic_label"].map(lambda label: render_label(str(label), script)),
                             theme=overlap["theme"].map(lambda theme: render_theme(str(theme), script)))
    figure = theme_topic_chart({"theme_topic": overlap, "topics": cached(store, "topics")}, script=script,
                               lang=language())
    if figure is not None:
        plotly_chart(figure, key=f"{key}_theme_topic")


def _kwic(store: ExploreStore, *, script: str, key: str) -> None:
    st.subheader(tr("kwic.title", script))
    cols = st.columns([2, 2, 1, 1])
    term = cols[0].text_input(tr("kwic.term", script), key=f"{key}_kwic_term", placeholder="信任")
    theme = choice(cols[1].selectbox, tr("kwic.theme", script), [None, *store.theme_names], key=f"{key}_kwic_theme",
                   format_func=lambda t: tr("any", script) if t is None else render_theme(t, script))
    width = cols[2].number_input(tr("kwic.width", script), min_value=5, max_value=80, value=20, step=5,
                                 key=f"{key}_kwic_width")
    flagged = cols[3].checkbox(tr("app.flagged", script), value=False, key=f"{key}_kwic_flagged",
                               help=tr("app.flagged_help", script))
    if not term.strip() and not (theme and cached_query(store, theme_words, theme)):  # the workspace's themes
        st.caption(tr("kwic.hint", script))
        return
    lines = cached(store, "kwic", term, theme=theme, width=int(width), limit=KWIC_LINES, script=script,
                   include_flagged=flagged)
    total = cached_query(store, kwic_total, term, theme=theme, include_flagged=flagged)
    which = tr("app.flagged_in" if flagged else "app.flagged_out", script)
    st.caption(tr("kwic.lines", script, n=f"{len(lines):,}", flagged=which) if total <= len(lines)
               else tr("kwic.first_lines", script, n=len(lines), total=total, flagged=which))
    table(lines, name="kwic", key=f"{key}_kwic", script=script, rendered=True,  # lines come in `script` already
          column_config={"left": st.column_config.TextColumn(width="large"),
                         "right": st.column_config.TextColumn(width="large")})
