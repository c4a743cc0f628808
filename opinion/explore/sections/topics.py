"""Topics: the topic table, and for the chosen topic its terms, trend, sentiment and posts."""

from __future__ import annotations

import streamlit as st

from opinion import schema as S
from opinion.explore.data import ExploreStore
from opinion.explore.sections.documents import show_documents
from opinion.explore.sections.topic_edits import render_topic_edits
from opinion.explore.text import render_label
from opinion.explore.widgets import cached, missing, render_frame, share_format, table
from opinion.io.safety import plot_frame
from opinion.report.display import short_label

TOPIC_COLUMNS = ["topic_id", "label", "size", "share", "top_terms", S.MEAN_SENTIMENT, "positive_share",
                 "negative_share"]


def _compact(figure, height: int = 320):
    figure.update_layout(height=height, margin=dict(l=10, r=10, t=40, b=10))
    return figure


def render_topics(store: ExploreStore, *, script: str, key: str = "topics") -> None:
    """Topic table, then the chosen topic: top terms, over time, sentiment, posts, and a map.

    Example: choose ``1_直播_带货_国货`` to see 直播 / 带货 / 国货 as bars and its posts.
    """
    import plotly.express as px  # not at module import: the Overview needs no Plotly

    if missing(store, S.TOPICS):
        return
    topics = cached(store, "topics")
    shown = topics[[c for c in TOPIC_COLUMNS if c in topics.columns]]
    table(shown, name="topics", key=f"{key}_all", script=script,
          column_config=share_format(shown.columns) | {S.MEAN_SENTIMENT: st.column_config.NumberColumn(format="%.3f")})
    render_topic_edits(store, topics, script=script, key=key)  # rename, merge, drop (stored in the workspace)
    labels = dict(zip(topics[S.TOPIC_ID], topics["label"]))
    topic_id = st.selectbox("Topic", list(labels), format_func=lambda t: render_label(str(labels[t]), script),
                            key=f"{key}_choice")
    if topic_id is None:
        return
    row = topics[topics[S.TOPIC_ID] == topic_id].iloc[0]
    left, right = st.columns(2)
    with left:
        terms = plot_frame(render_frame(_terms_frame(row), script), ("term",))  # hashtags drawn as text
        figure = px.bar(terms, x="weight", y="term", orientation="h", title="Top terms")
        figure.update_yaxes(autorange="reversed")
        st.plotly_chart(_compact(figure), key=f"{key}_terms")
    with right:
        over_time = cached(store, "topic_over_time", int(topic_id))
        if over_time.empty:
            st.info(f"No topics_over_time table: run `opinion topics -w {store.root}`.")
        else:
            figure = px.line(over_time, x="period", y="share", markers=True, title="Share of documents over time")
            figure.update_yaxes(tickformat=".0%")
            st.plotly_chart(_compact(figure), key=f"{key}_time")
    left, right = st.columns(2)
    with left:
        if not missing(store, S.SENTIMENT):
            mood = cached(store, "topic_sentiment", int(topic_id))
            figure = px.bar(mood, x="sentiment_label", y="documents", color="sentiment_label", title="Sentiment",
                            color_discrete_map={"positive": "#2a9d8f", "neutral": "#adb5bd", "negative": "#e76f51"})
            st.plotly_chart(_compact(figure), key=f"{key}_sentiment")
    with right:
        _topic_map(store, script=script, key=key, chosen=int(topic_id))
    st.subheader("Representative posts")
    show_documents(cached(store, "representative_docs", int(topic_id)), terms=list(row["top_terms"]),
                   script=script, labels=labels)
    _hierarchy(store, script=script, key=key)
    metrics = cached(store, "topic_metrics")
    if metrics:
        with st.expander("Topic model metrics"):
            st.json(metrics)


def _terms_frame(row):
    import pandas as pd

    weights = list(row.get("top_terms_weights", [])) or [None] * len(row["top_terms"])
    return pd.DataFrame({"term": list(row["top_terms"]), "weight": weights[: len(row["top_terms"])]})


def _topic_map(store: ExploreStore, *, script: str, key: str, chosen: int) -> None:
    import plotly.express as px  # not at module import: the Overview needs no Plotly

    positions = render_frame(cached(store, "topic_map"), script)
    if positions.empty:
        return
    positions = plot_frame(positions.assign(chosen=positions[S.TOPIC_ID] == chosen,
                                            short=positions["label"].map(lambda label: short_label(label, width=16))),
                           ("short", "label"))
    figure = px.scatter(positions, x="x", y="y", size="size", text="short", color="chosen", size_max=45,
                        title="Intertopic map", hover_name="label",
                        hover_data={"short": False, "chosen": False, "x": False, "y": False, "size": True},
                        color_discrete_map={True: "#e76f51", False: "#457b9d"})
    figure.update_traces(textposition="top center")
    figure.update_layout(showlegend=False)
    for axis, update in (("x", figure.update_xaxes), ("y", figure.update_yaxes)):
        low, high = positions[axis].min(), positions[axis].max()
        pad = 0.35 * (high - low or 1)  # room for the labels at the edges
        update(visible=False, range=[low - pad, high + pad])
    st.plotly_chart(_compact(figure), key=f"{key}_map")


def _hierarchy(store: ExploreStore, *, script: str, key: str) -> None:
    if not store.has(S.TOPIC_HIERARCHY):
        return
    with st.expander("Topic hierarchy"):
        hierarchy = cached(store, "query", f"SELECT * FROM {S.TOPIC_HIERARCHY}")
        table(hierarchy, name="topic_hierarchy", key=f"{key}_hierarchy", script=script)
