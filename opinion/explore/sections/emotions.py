"""Emotions: the share of each emotion (happiness, anger, sadness, fear, surprise, neutral) by
period, topic, theme or source."""

from __future__ import annotations

import streamlit as st

from opinion import schema as S
from opinion.explore.data import ExploreStore
from opinion.explore.widgets import cached, missing, render_frame, table

GROUPINGS = {"period": "Period", "topic": "Topic", "theme": "Theme", "source": "Source"}
COLORS = {"happiness": "#f4a261", "anger": "#e63946", "sadness": "#457b9d", "fear": "#6d597a",
          "surprise": "#2a9d8f", "neutral": "#adb5bd"}


def render_emotions(store: ExploreStore, *, script: str, key: str = "emotions") -> None:
    """Stacked bars of emotion shares per group, and the table behind them.

    Example: group by Period to see the share of 恐惧 (fear) rise in the first weeks of an outbreak.
    """
    import plotly.express as px  # not at module import: the Overview needs no Plotly

    if missing(store, S.SENTIMENT):
        return
    by = st.radio("Group by", list(GROUPINGS), format_func=GROUPINGS.get, horizontal=True, key=f"{key}_by")
    shares = render_frame(cached(store, "emotion_shares", by).rename(columns={"group": "label"}), script)
    if shares.empty:
        st.info(f"No emotions for this grouping: run `opinion sentiment -w {store.root} --force` "
                "with a model that has emotions, or pick another grouping.")
        return
    figure = px.bar(shares, x="label", y="share", color="emotion_label", title="Emotion share",
                    category_orders={"emotion_label": list(S.EMOTIONS)}, color_discrete_map=COLORS,
                    hover_data={"documents": True})
    figure.update_yaxes(tickformat=".0%")
    figure.update_layout(height=380, margin=dict(l=10, r=10, t=40, b=10), xaxis_title=GROUPINGS[by])
    st.plotly_chart(figure, key=f"{key}_chart")
    table(shares, name=f"emotions_by_{by}", key=f"{key}_table", script=script)
