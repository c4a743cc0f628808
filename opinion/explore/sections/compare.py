"""Compare: two periods or two sources side by side (topic shares and sentiment)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import pandas as pd
import streamlit as st

from opinion import schema as S
from opinion.explore.data import ExploreStore, Filters
from opinion.explore.drill import axis_names, compare_topics
from opinion.explore.text import escape_markdown, render_label
from opinion.explore.widgets import (
    cached,
    choice,
    date_range,
    first_missing,
    language,
    missing,
    plotly_chart,
    share_format,
    table,
    tr,
    value_tr,
)
from opinion.io.safety import plot_frame, plot_text
from opinion.report.charts import percent_axis
from opinion.report.display import topic_names

ROW_HEIGHT = 26  # pixels per topic: its two bars and its label


def _halves(first: dt.date, last: dt.date) -> tuple[tuple[dt.date, dt.date], tuple[dt.date, dt.date]]:
    middle = first + (last - first) / 2
    return (first, middle), (min(last, middle + dt.timedelta(days=1)), last)


def sides_ui(store: ExploreStore, *, key: str, script: str = "zh-Hans") -> dict[str, Filters]:
    """Two named :class:`Filters`: two date ranges, or two sources."""
    options = cached(store, "filter_options")
    if options["first"] is None and len(options["sources"]) < 2:  # neither two periods nor two sources
        st.info(tr("compare.nothing", script))
        return {}
    mode = choice(st.radio, tr("compare.mode", script), ["Two periods", "Two sources"], horizontal=True,
                  key=f"{key}_mode",
                  index=0 if options["first"] is not None else 1,  # no dates: two sources
                  format_func=lambda m: tr("compare.periods" if m == "Two periods" else "compare.sources", script))
    cols = st.columns(2)
    if mode == "Two sources":
        sources = options["sources"]
        if len(sources) < 2:
            st.info(tr("compare.few_sources", script))
            return {}
        a = cols[0].selectbox(tr("compare.source", script, side="A"), sources, index=0, key=f"{key}_source_a")
        b = cols[1].selectbox(tr("compare.source", script, side="B"), sources, index=1, key=f"{key}_source_b")
        return {f"A: {a}": Filters(sources=(a,)), f"B: {b}": Filters(sources=(b,))}
    if options["first"] is None:
        st.info(tr("compare.no_dates", script))
        return {}
    first, last = options["first"], options["last"]
    a, b = (date_range(col.date_input, tr("compare.period", script, side=side), default=half, first=first,
                       last=last, key=f"{key}_period_{side.lower()}")  # untouched, they follow new days
            for col, side, half in zip(cols, "AB", _halves(first, last)))
    sides = {}
    for name, value in (("A", a), ("B", b)):
        if not isinstance(value, (tuple, list)) or len(value) != 2:
            st.caption(tr("compare.both_ends", script, side=name))
            return {}
        sides[f"{name}: {value[0]} → {value[1]}"] = Filters(start=value[0], end=value[1])
    return sides


def side_shares(changes: pd.DataFrame) -> pd.DataFrame:
    """``topic_id, side, share`` rows from the table of changes: every topic on both sides,
    0 where a topic (or the whole side) has no document."""
    frames = [pd.DataFrame({S.TOPIC_ID: changes[S.TOPIC_ID], "side": column.removeprefix("share "),
                            "share": changes[column]}) for column in changes.columns if column.startswith("share ")]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=[S.TOPIC_ID, "side", "share"])


def topic_changes_figure(topic_shares: pd.DataFrame, labels: dict[int, str], *, title: str,
                         sides: Sequence[str] = ()) -> tuple[Any, pd.DataFrame]:
    """Both sides' topic shares as grouped horizontal bars, the topics ordered by change (B - A),
    and the table of changes (:func:`opinion.explore.drill.compare_topics`; ``sides``: the two
    sides' names, so a side without documents is drawn at 0, not left out).

    Every topic is named by its whole label (:func:`opinion.explore.drill.axis_names`; the
    full label on hover too), the margin grows to fit the longest one and each topic gets a
    row of its own (``#id`` added where two cut labels read the same), so 50 topics stay legible.
    """
    import plotly.express as px  # not at module import: the Overview needs no Plotly

    changes = compare_topics(topic_shares, labels, sides)
    full = dict(zip(changes[S.TOPIC_ID].astype(int), changes["label"]))
    names = axis_names(full)  # one row per topic, even where two labels cut alike
    order = [names[int(t)] for t in changes[S.TOPIC_ID]]
    bars = side_shares(changes)
    bars = bars.assign(topic_label=bars[S.TOPIC_ID].map(lambda t: full[int(t)]),
                       topic=bars[S.TOPIC_ID].map(lambda t: names[int(t)]))
    bars = plot_frame(bars, ("topic", "topic_label", "side"))  # full label on hover; data drawn as text
    figure = px.bar(bars, x="share", y="topic", color="side", barmode="group", orientation="h",
                    title=title, hover_name="topic_label", hover_data={"topic": False},
                    labels={"topic": "", "share": ""}, category_orders={"topic": [plot_text(t) for t in order]})
    figure.update_xaxes(**percent_axis(bars["share"]))
    figure.update_yaxes(dtick=1, automargin=True)  # every topic named in full; the first (biggest rise) on top
    height = max(380, ROW_HEIGHT * len(order) + 140)
    figure.update_layout(height=height, margin=dict(l=10, r=10, t=40, b=10), legend_title_text="",
                         legend=dict(orientation="h", y=-60 / height))
    return figure, changes


def _topic_changes(store: ExploreStore, topic_shares: pd.DataFrame, sides: list[str], *, script: str,
                   key: str) -> None:
    """Both sides' topic shares, the topics ordered by change (B - A), and the table with every column."""
    topics = cached(store, "topics")
    labels = {t: render_label(name, script) for t, name in topic_names(topics).items()}  # 疫情 #0, 疫情 #4
    figure, changes = topic_changes_figure(topic_shares, labels, title=tr("compare.topic_shares", script),
                                           sides=sides)
    plotly_chart(figure, key=f"{key}_topics_chart")
    table(changes, name="compare_topics", key=f"{key}_topics", script=script,
          column_config=share_format(changes.columns) | {"change": st.column_config.NumberColumn(format="percent")})


def empty_sides_text(sides: dict[str, Filters], empty: list[str], script: str) -> str:
    """The one notice for the sides in ``empty`` (names of ``sides``) that hold no document:
    ``时段 A：没有文档。``, ``时段 A、时段 B：没有文档。``, ``Source B: No documents.``"""
    names = [tr("compare.source" if sides[name].sources else "compare.period", script, side=name.split(":")[0])
             for name in empty]
    separator, colon = (", ", ": ") if language() == "en" else ("、", "：")
    return separator.join(names) + colon + tr("documents.no_documents", script)


def render_compare(store: ExploreStore, *, script: str, key: str = "compare") -> None:
    """Topic shares and sentiment of two periods or two sources, as grouped bars and tables.

    Example: period A 2020-01-24 → 2020-02-27 against B 2020-02-28 → 2020-04-01.
    """
    import plotly.express as px  # not at module import: the Overview needs no Plotly

    sides = sides_ui(store, key=key, script=script)
    if not sides:
        return
    topic_shares, sentiment = cached(store, "compare", sides)
    empty = [name for name, filters in sides.items() if cached(store, "count", filters) == 0]
    if empty:
        st.info(empty_sides_text(sides, empty, script), icon=":material/info:")
        if len(empty) == len(sides):  # nothing to draw on either side
            return
    left, right = st.columns([3, 2])
    with left:
        if not missing(store, S.TOPICS, script=script) and not topic_shares.empty:
            _topic_changes(store, topic_shares, list(sides), script=script, key=key)
    with right:
        said = first_missing(store, S.SENTIMENT) == first_missing(store, S.TOPICS) == S.PREPARED  # on the left
        if not said and not missing(store, S.SENTIMENT, script=script) and not sentiment.empty:
            order = [value_tr(v, script) for v in ("negative", "neutral", "positive")]
            drawn = sentiment.assign(sentiment_label=sentiment["sentiment_label"].map(lambda v: value_tr(v, script)))
            figure = px.bar(plot_frame(drawn, ("side",)), x="sentiment_label", y="share", color="side",
                            barmode="group", title=tr("compare.sentiment", script),
                            category_orders={"sentiment_label": order}, labels={"sentiment_label": "", "share": ""})
            figure.update_yaxes(**percent_axis(sentiment["share"]))
            figure.update_layout(height=380, margin=dict(l=10, r=10, t=40, b=10), legend_title_text="",
                                 legend=dict(orientation="h", y=-0.2))
            plotly_chart(figure, key=f"{key}_sentiment_chart")
            means = sentiment.groupby("side", sort=False).apply(
                lambda g: (g[S.MEAN_SENTIMENT] * g["documents"]).sum() / g["documents"].sum(), include_groups=False)
            for column, (side, mean) in zip(st.columns(len(means)), means.items()):
                column.metric(tr("compare.mean", script, side=side.split(':')[0]), f"{mean:.3f}", help=escape_markdown(side))
            table(sentiment, name="compare_sentiment", key=f"{key}_sentiment", script=script,
                  column_config=share_format(["share"]))
