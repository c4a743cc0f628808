"""Emotions: the share of each emotion (happiness, anger, sadness, fear, surprise, neutral) by
period, topic, theme or source."""

from __future__ import annotations

import streamlit as st

from opinion import schema as S
from opinion.explore.data import ExploreStore
from opinion.explore.widgets import (
    cached,
    choice,
    has_dates,
    missing,
    plotly_chart,
    render_frame,
    share_format,
    table,
    tr,
    value_tr,
)
from opinion.io.safety import plot_frame

GROUPINGS = {"period": "drill.period", "topic": "topics.topic", "theme": "drill.theme",
             "source": "drill.source"}  # grouping -> the message naming it
COLORS = {"happiness": "#f4a261", "anger": "#e63946", "sadness": "#457b9d", "fear": "#6d597a",
          "surprise": "#2a9d8f", "neutral": "#adb5bd"}


def groupings_of(store: ExploreStore) -> list[str]:
    """The groupings offered: by topic only when the workspace has topics (as in Words)."""
    return [g for g in GROUPINGS if g != "topic" or store.has(S.TOPIC_DOCS)]


def empty_message(store: ExploreStore, by: str, *, dated: bool, script: str) -> str:
    """Why a grouping has no emotion shares: no emotion model ran, no document has a date
    (by period), or no document falls in a group (e.g. none matches a theme)."""
    if S.EMOTION_LABEL not in store.fact_columns:
        return tr("emotions.none", script, root=store.root)
    if by == "period" and not dated:
        return tr("emotions.no_dates", script)
    return tr("emotions.empty_group", script)


def render_emotions(store: ExploreStore, *, script: str, key: str = "emotions") -> None:
    """Stacked bars of emotion shares per group, and the table behind them.

    Example: group by Period to see the share of 恐惧 (fear) rise in the first weeks of an outbreak.
    """
    import plotly.express as px  # not at module import: the Overview needs no Plotly

    if missing(store, S.SENTIMENT, script=script):
        return
    dated = has_dates(store)
    groupings = groupings_of(store)
    first = "period" if dated else "topic" if "topic" in groupings else "source"  # a grouping with groups
    by = choice(st.radio, tr("emotions.group_by", script), groupings, horizontal=True, key=f"{key}_by",
                index=groupings.index(first), format_func=lambda g: tr(GROUPINGS[g], script))
    shares = cached(store, "emotion_shares", by).rename(columns={"group": "label"})
    if by != "source":  # source names are shown as stored, as in the Overview and the Documents filter
        shares = render_frame(shares, script)
    if shares.empty:
        st.info(empty_message(store, by, dated=dated, script=script))
        return
    named = {e: value_tr(e, script) for e in S.EMOTIONS}
    drawn = plot_frame(shares.assign(emotion_label=shares["emotion_label"].map(lambda e: named.get(e, e))),
                       ("label",))  # source, theme and topic names drawn as text, not Plotly markup
    figure = px.bar(drawn, x="label", y="share", color="emotion_label", title=tr("emotions.share", script),
                    category_orders={"emotion_label": list(named.values())},
                    color_discrete_map={named[e]: c for e, c in COLORS.items()}, hover_data={"documents": True},
                    labels={c: tr(f"column.{c}", script) for c in ("share", "documents", "emotion_label")})
    figure.update_yaxes(tickformat=".0%")
    figure.update_layout(height=380, margin=dict(l=10, r=10, t=40, b=10),
                         xaxis_title=tr(GROUPINGS[by], script))
    plotly_chart(figure, key=f"{key}_chart")
    table(shares, name=f"emotions_by_{by}", key=f"{key}_table", script=script, rendered=True,  # rendered above
          column_config=share_format(["share"]) | {"label": st.column_config.Column(tr(GROUPINGS[by], script))})
