"""Themes: prevalence and sentiment over time per theme, and KWIC lines for a theme or a term."""

from __future__ import annotations

import streamlit as st

from opinion import schema as S
from opinion.explore.data import ExploreStore
from opinion.explore.text import render_label
from opinion.explore.widgets import cached, missing, render_frame, share_format, table
from opinion.io.safety import plot_frame
from opinion.report.charts import percent_axis


def render_themes(store: ExploreStore, *, script: str, key: str = "themes") -> None:
    """Theme totals, share of documents and theme sentiment per day, then KWIC lines.

    Example: theme 信任 with term 直播 lists ``…主播的信任成为关键。国货品牌借助 | 直播 | 带货走红…``.
    """
    import plotly.express as px  # not at module import: the Overview needs no Plotly

    if missing(store, S.PREPARED):
        return
    if not store.theme_names:
        st.info(f"No theme columns in `prepared`: run `opinion prepare --themes FILE -w {store.root}`.")
        return
    table(cached(store, "theme_totals"), name="theme_totals", key=f"{key}_totals", script=script)
    chosen = st.multiselect("Themes", store.theme_names, default=store.theme_names, key=f"{key}_chosen",
                            format_func=lambda t: render_label(t, script))
    over_time = cached(store, "themes_over_time")
    over_time = render_frame(over_time[over_time["theme"].isin(chosen)], script)
    drawn = plot_frame(over_time, ("theme",))  # theme names drawn as text, not Plotly markup
    left, right = st.columns(2)
    with left:
        figure = px.line(drawn, x="period", y=S.PREVALENCE, color="theme", markers=True,
                         title=f"Share of documents per {store.period}")
        figure.update_yaxes(**percent_axis(drawn[S.PREVALENCE]))  # no repeated ticks on small shares
        figure.update_layout(height=340, margin=dict(l=10, r=10, t=40, b=10))
        st.plotly_chart(figure, key=f"{key}_prevalence")
    with right:
        if not missing(store, S.SENTIMENT):
            figure = px.line(drawn.dropna(subset=["sentiment"]), x="period", y="sentiment", color="theme",
                             markers=True, title="Theme sentiment (0 neg … 1 pos)")
            figure.update_yaxes(range=[0, 1])
            figure.update_layout(height=340, margin=dict(l=10, r=10, t=40, b=10))
            st.plotly_chart(figure, key=f"{key}_sentiment")
    table(over_time, name="themes_over_time", key=f"{key}_over_time", script=script,
          column_config=share_format([S.PREVALENCE]) | {"period": st.column_config.DateColumn(format="YYYY-MM-DD")},
          height=240)
    _kwic(store, script=script, key=key)


def _kwic(store: ExploreStore, *, script: str, key: str) -> None:
    st.subheader("Keyword in context")
    cols = st.columns([2, 2, 1, 1])
    term = cols[0].text_input("Term (简体 or 繁體)", key=f"{key}_kwic_term", placeholder="信任")
    theme = cols[1].selectbox("In the documents of theme", [None, *store.theme_names], key=f"{key}_kwic_theme",
                              format_func=lambda t: "any" if t is None else render_label(t, script))
    width = cols[2].number_input("Context", min_value=5, max_value=80, value=20, step=5, key=f"{key}_kwic_width")
    flagged = cols[3].checkbox("Duplicates and spam", value=False, key=f"{key}_kwic_flagged",
                               help="Include exact and near-duplicates and template or bot posts.")
    if not term.strip() and not (theme and cached(store, "theme_terms", theme)):
        st.caption("Type a term, or choose a shipped theme, to see its lines.")
        return
    lines = cached(store, "kwic", term, theme=theme, width=int(width), limit=200, script=script,
                   include_flagged=flagged)
    st.caption(f"{len(lines)} lines (duplicates and spam {'included' if flagged else 'excluded'})")
    table(lines, name="kwic", key=f"{key}_kwic", script="zh-Hans",  # lines come in `script` already
          column_config={"left": st.column_config.TextColumn(width="large"),
                         "right": st.column_config.TextColumn(width="large")})
