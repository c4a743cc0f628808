"""Topics: the topic table; a chosen topic's words, timeline, sentiment, map and all its posts;
or a chosen period's rising and falling topics."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from opinion import schema as S
from opinion.explore.data import ExploreStore
from opinion.explore.drill import topic_timeline
from opinion.explore.intertopic import spread
from opinion.explore.sections.documents import show_documents
from opinion.explore.sections.drill import render_period_movers, render_topic_posts
from opinion.explore.sections.topic_edits import render_topic_edits
from opinion.explore.text import render_label
from opinion.explore.widgets import (
    cached,
    cached_query,
    missing,
    plotly_chart,
    render_frame,
    share_format,
    table,
    tr,
    value_tr,
)
from opinion.io.safety import plot_frame
from opinion.report.display import short_label

TOPIC_COLUMNS = ["topic_id", "label", "size", "share", "top_terms", S.MEAN_SENTIMENT, "positive_share",
                 "negative_share", "coherence", "is_generic"]
SENTIMENT_COLOURS = {"positive": "#2a9d8f", "neutral": "#adb5bd", "negative": "#e76f51"}
MAP_LABELS = 12  # the largest topics named on the intertopic map; every topic's label shows on hover


def _compact(figure, height: int = 320):
    figure.update_layout(height=height, margin=dict(l=10, r=10, t=40, b=10))
    return figure


def ordered_topics(topics: pd.DataFrame) -> pd.DataFrame:
    """Topics largest first, generic catch-all topics (``is_generic``, when the topic stage
    flags them) last, outliers (-1) at the very end."""
    if topics.empty:
        return topics
    keys = pd.DataFrame({"outlier": topics[S.TOPIC_ID] == -1, "size": -topics["size"],
                         "generic": topics["is_generic"].fillna(False).astype(bool) if "is_generic" in topics
                         else False})
    order = keys.sort_values(["outlier", "generic", "size"], kind="stable").index
    return topics.loc[order].reset_index(drop=True)


def render_topics(store: ExploreStore, *, script: str, key: str = "topics") -> None:
    """Topic table, then a topic (terms, timeline, sentiment, map, every post) or a period's movers.

    Example: choose ``1_直播_带货_国货`` to see 直播 / 带货 / 国货 as bars and all its posts.
    """
    if missing(store, S.TOPICS, script=script):
        return
    topics = ordered_topics(cached(store, "topics"))
    labels = dict(zip(topics[S.TOPIC_ID].astype(int), topics["label"].astype(str)))
    view = st.radio(tr("topics.follow", script), ["topic", "period"], horizontal=True, key=f"{key}_view",
                    format_func=lambda v: tr(f"topics.by_{v}", script))
    shown = topics[[c for c in TOPIC_COLUMNS if c in topics.columns]]
    table(shown, name="topics", key=f"{key}_all", script=script, height=300,
          column_config=share_format(shown.columns) | {c: st.column_config.NumberColumn(format="%.3f")
                                                       for c in (S.MEAN_SENTIMENT, "coherence")}
          | {"size": st.column_config.NumberColumn(help=tr("topics.size_help", script))})  # why the list has fewer
    render_topic_edits(store, topics, script=script, key=key)  # rename, merge, drop (stored in the workspace)
    if view == "period":
        render_period_movers(store, script=script, key=f"{key}_period", labels=labels)
        return
    topic_id = st.selectbox(tr("topics.topic", script), list(labels), key=f"{key}_choice",
                            format_func=lambda t: render_label(labels[t], script))
    if topic_id is None:
        return
    row = topics[topics[S.TOPIC_ID] == topic_id].iloc[0]
    _topic_charts(store, row, script=script, key=key)
    with st.expander(tr("topics.representative", script)):
        show_documents(cached(store, "representative_docs", int(topic_id)), terms=list(row["top_terms"]),
                       script=script, labels=labels)
    render_topic_posts(store, int(topic_id), script=script, key=f"{key}_posts", terms=list(row["top_terms"]),
                       labels=labels)
    _hierarchy(store, script=script, key=key)
    metrics = cached(store, "topic_metrics")
    if metrics:
        with st.expander(tr("topics.metrics", script)):
            st.json(metrics)


def _topic_charts(store: ExploreStore, row: pd.Series, *, script: str, key: str) -> None:
    """Top terms and the timeline side by side; the sentiment labels and the intertopic map below."""
    import plotly.express as px  # not at module import: the Overview needs no Plotly

    topic_id = int(row[S.TOPIC_ID])
    left, right = st.columns(2)
    with left:
        terms = plot_frame(render_frame(_terms_frame(row), script), ("term",))  # hashtags drawn as text
        figure = px.bar(terms, x="weight", y="term", orientation="h", title=tr("topics.top_terms", script),
                        labels={"term": "", "weight": ""})
        figure.update_yaxes(autorange="reversed")
        plotly_chart(_compact(figure), key=f"{key}_terms")
    with right:
        _timeline(cached_query(store, topic_timeline, topic_id), script=script, key=key)
    left, right = st.columns(2)
    with left:
        if not missing(store, S.SENTIMENT, script=script):
            mood = cached(store, "topic_sentiment", topic_id)
            mood = mood.assign(sentiment_label=mood["sentiment_label"].map(lambda v: value_tr(v, script)))
            figure = px.bar(mood, x="sentiment_label", y="documents", color="sentiment_label",
                            title=tr("topics.sentiment", script), labels={"sentiment_label": "", "documents": ""},
                            color_discrete_map={value_tr(v, script): c for v, c in SENTIMENT_COLOURS.items()})
            plotly_chart(_compact(figure), key=f"{key}_sentiment")
    with right:
        _topic_map(store, script=script, key=key, chosen=topic_id)


def _timeline(timeline: pd.DataFrame, *, script: str, key: str) -> None:
    """The topic's documents per period (bars) and their mean sentiment (line, right axis)."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    if timeline.empty:
        return
    figure = make_subplots(specs=[[{"secondary_y": True}]])
    figure.add_trace(go.Bar(x=timeline["period"], y=timeline["documents"], name=tr("topics.documents", script),
                            marker_color="#457b9d", customdata=timeline["share"],
                            hovertemplate="%{x|%Y-%m-%d}: %{y} (%{customdata:.1%})<extra></extra>"))
    if timeline["mean_sentiment"].notna().any():
        figure.add_trace(go.Scatter(x=timeline["period"], y=timeline["mean_sentiment"], mode="lines+markers",
                                    name=tr("topics.mean_sentiment", script), line_color="#e76f51",
                                    connectgaps=False), secondary_y=True)
        figure.update_yaxes(range=[0, 1], dtick=0.25, secondary_y=True, showgrid=False)
    figure.update_layout(title=tr("topics.timeline", script), legend=dict(orientation="h", y=-0.2))
    plotly_chart(_compact(figure), key=f"{key}_time")


def _terms_frame(row):
    weights = list(row.get("top_terms_weights", [])) or [None] * len(row["top_terms"])
    return pd.DataFrame({"term": list(row["top_terms"]), "weight": weights[: len(row["top_terms"])]})


def map_frame(positions: pd.DataFrame, chosen: int, *, named: int = MAP_LABELS) -> pd.DataFrame:
    """The map's points with ``short`` text only on the ``named`` largest topics and the chosen one
    (every label is whole in ``label``, for the hover)."""
    largest = set(positions.nlargest(named, "size")[S.TOPIC_ID]) | {chosen}
    short = [short_label(label, width=16) if t in largest else ""
             for t, label in zip(positions[S.TOPIC_ID], positions["label"])]
    return positions.assign(chosen=positions[S.TOPIC_ID] == chosen, short=short)


def _topic_map(store: ExploreStore, *, script: str, key: str, chosen: int) -> None:
    import plotly.express as px  # not at module import: the Overview needs no Plotly

    positions = render_frame(cached(store, "topic_map"), script)
    if positions.empty:
        return
    many = len(positions) > MAP_LABELS
    if many:  # many topics: a grid in MDS order instead of one MDS pile
        positions = spread(positions)
    positions = plot_frame(map_frame(positions, chosen), ("short", "label"))
    figure = px.scatter(positions, x="x", y="y", size="size", text="short", color="chosen",
                        size_max=22 if many else 40,
                        title=tr("topics.map", script), hover_name="label",
                        hover_data={"short": False, "chosen": False, "x": False, "y": False, "size": True},
                        labels={"size": tr("column.size", script), "chosen": ""},
                        color_discrete_map={True: "#e76f51", False: "#457b9d"})
    figure.update_traces(textposition="top center", textfont_size=11)
    if many:  # labels above the bubbles in even columns, below in odd ones: neighbours do not collide
        figure.for_each_trace(lambda trace: trace.update(
            textposition=["top center" if int(x) % 2 == 0 else "bottom center" for x in trace.x]))
    figure.update_layout(showlegend=False)
    for axis, update in (("x", figure.update_xaxes), ("y", figure.update_yaxes)):
        low, high = positions[axis].min(), positions[axis].max()
        pad = (1.2 if many and axis == "x" else 0.6) if many else 0.2 * (high - low or 1)  # room for labels
        update(visible=False, range=[low - pad, high + pad])
    plotly_chart(_compact(figure, height=420), key=f"{key}_map")
    if len(positions) > MAP_LABELS:
        st.caption(tr("topics.map_note", script, n=MAP_LABELS))


def _hierarchy(store: ExploreStore, *, script: str, key: str) -> None:
    if not store.has(S.TOPIC_HIERARCHY):
        return
    with st.expander(tr("topics.hierarchy", script)):
        hierarchy = cached(store, "query", f"SELECT * FROM {S.TOPIC_HIERARCHY}")
        table(hierarchy, name="topic_hierarchy", key=f"{key}_hierarchy", script=script)
