"""Topics: the topic table; a chosen topic's words, timeline, sentiment, map and all its posts;
or a chosen period's rising and falling topics."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from opinion import schema as S
from opinion.explore.data import ExploreStore
from opinion.explore.drill import topic_timeline
from opinion.explore.intertopic import MANY, map_figure
from opinion.explore.sections.documents import show_documents
from opinion.explore.sections.drill import render_period_movers, render_topic_posts
from opinion.explore.sections.topic_edits import render_topic_edits
from opinion.explore.text import render_label
from opinion.explore.widgets import (
    cached,
    cached_query,
    choice,
    missing,
    plotly_chart,
    render_frame,
    share_format,
    table,
    tr,
    value_tr,
)
from opinion.io.safety import plot_frame
from opinion.report.display import ordered_topics, topic_names

TOPIC_COLUMNS = ["topic_id", "label", "size", "share", "top_terms", S.MEAN_SENTIMENT, "positive_share",
                 "negative_share", "coherence", "is_generic"]
SENTIMENT_COLOURS = {"positive": "#2a9d8f", "neutral": "#adb5bd", "negative": "#e76f51"}
MAP_WIDTH = 1000  # pixels the explorer's wide page gives a chart of its own row, about (as the words network)


def _compact(figure, height: int = 320):
    figure.update_layout(height=height, margin=dict(l=10, r=10, t=40, b=10))
    return figure


def render_topics(store: ExploreStore, *, script: str, key: str = "topics") -> None:
    """Topic table, then a topic (terms, timeline, sentiment, map, every post) or a period's movers.

    Example: choose ``1_直播_带货_国货`` to see 直播 / 带货 / 国货 as bars and all its posts.
    """
    if missing(store, S.TOPICS, script=script):
        return
    topics = ordered_topics(cached(store, "topics"))
    labels = topic_names(topics)
    view = choice(st.radio, tr("topics.follow", script), ["topic", "period"], horizontal=True, key=f"{key}_view",
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
    topic_id = choice(st.selectbox, tr("topics.topic", script), list(labels), key=f"{key}_choice",
                      format_func=lambda t: render_label(labels[t], script))
    if topic_id is None:
        return
    row = topics[topics[S.TOPIC_ID] == topic_id].iloc[0]
    _topic_charts(store, row, script=script, key=key)
    with st.expander(tr("topics.representative", script)):
        show_documents(cached(store, "representative_docs", int(topic_id)), terms=list(row["top_terms"]),
                       script=script, labels=labels)
    if not missing(store, S.TOPIC_DOCS, script=script):  # without it no post is known to be in the topic
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
    if len(cached(store, "topic_map")) > MANY:  # many topics: the map gets the page's width
        _topic_map(store, script=script, key=key, chosen=topic_id)
        return
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


def _topic_map(store: ExploreStore, *, script: str, key: str, chosen: int) -> None:
    """The intertopic map (:func:`opinion.explore.intertopic.map_figure`): beside the sentiment
    chart, or at more than :data:`~opinion.explore.intertopic.MANY` topics the page's full width."""
    positions = render_frame(cached(store, "topic_map"), script)
    if positions.empty:
        return
    many = len(positions) > MANY
    figure = map_figure(positions, chosen, title=tr("topics.map", script), size_label=tr("column.size", script),
                        width=MAP_WIDTH if many else MAP_WIDTH // 2)
    plotly_chart(figure, key=f"{key}_map")
    if many:
        st.caption(tr("topics.map_note", script))


def _hierarchy(store: ExploreStore, *, script: str, key: str) -> None:
    if not store.has(S.TOPIC_HIERARCHY):
        return
    from opinion.topics.edit_store import active_edits

    with st.expander(tr("topics.hierarchy", script)):
        if active_edits(store.root)[0]:  # the merge tree is the fitted model's: its leaves are not the edited topics
            st.caption(tr("topics.hierarchy_unedited", script))
        hierarchy = cached(store, "query", f"SELECT * FROM {S.TOPIC_HIERARCHY}")
        table(hierarchy, name="topic_hierarchy", key=f"{key}_hierarchy", script=script)
