"""Plotly charts of the report tables, for the HTML report and the explorer.

Each function takes the tables of :func:`opinion.report.tables.build_tables` and returns a
figure, or ``None`` when there is nothing to draw, so that no report shows an empty chart.
Every text from the data (topic labels, theme names) reaches Plotly through
:func:`opinion.io.safety.plot_text`, after it is cut, so a label holding ``<a href>``,
``<b>`` or ``%{x}`` is drawn as typed.

Example:
    >>> fig = topic_trends_chart(tables, script="zh-Hant-TW")  # doctest: +SKIP
    >>> fig.write_html("trends.html", include_plotlyjs=True)  # doctest: +SKIP
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from opinion.i18n import text, value_text
from opinion.io.safety import plot_text

FONTS = {  # CJK font stacks per script, most common system fonts first
    "zh-Hans": ["PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC",
                "Source Han Sans SC", "WenQuanYi Micro Hei"],
    "zh-Hant-TW": ["PingFang TC", "Microsoft JhengHei", "Noto Sans CJK TC", "Source Han Sans TC"],
    "zh-HK": ["PingFang HK", "Microsoft JhengHei", "Noto Sans CJK HK", "Source Han Sans HK"],
}
MAX_SERIES = 10  # topics drawn in line charts (the largest)
LABEL_CHARS = 24  # longer topic labels are cut in legends and axes
SENTIMENT_COLOURS = {"positive": "#2e7d32", "neutral": "#9e9e9e", "negative": "#c62828"}
ZH_DATE_TICKS = [  # date ticks by their spacing (ms or months), the Chinese way; Plotly takes the first that fits
    {"dtickrange": ["M12", None], "value": "%Y年"},
    {"dtickrange": ["M1", "M12"], "value": "%Y年%-m月"},
    {"dtickrange": [86_400_000, "M1"], "value": "%-m月%-d日"},
    {"dtickrange": [None, 86_400_000], "value": "%-m月%-d日 %H:%M"},
]
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")  # 2020-01-24 as text


def short_label(label: object, *, chars: int = LABEL_CHARS) -> str:
    """A topic label cut for a legend or an axis (the tables keep it whole), inert for Plotly."""
    text = str(label)
    return plot_text(text if len(text) <= chars else text[: chars - 1] + "…")


def _short_labels(labels: list[str]) -> list[str]:
    short = [short_label(label) for label in labels]
    return short if len(set(short)) == len(set(labels)) else [plot_text(str(label)) for label in labels]


def percent_axis(values: Any, *, ticks: int = 5) -> dict[str, Any]:
    """Plotly axis settings for shares (0–1) whose ticks never repeat: a round step (1, 2 or 5
    × 10^k) giving about ``ticks`` ticks over the values' range, and as many decimals as the
    step needs. On shares up to 2 % this gives 0.0% 0.5% 1.0% 1.5% 2.0%, not 0% 1% 1% 2% 2%.

    >>> percent_axis([0.0, 0.021])
    {'tickformat': '.1%', 'dtick': 0.005, 'rangemode': 'tozero'}
    """
    import math

    found = [float(v) for v in values if v is not None and math.isfinite(float(v))]
    top = max([abs(v) for v in found] + [max(found, default=0) - min(found, default=0), 1e-4])
    raw = top / ticks
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    decimals = max(0, -math.floor(math.log10(step * 100) + 1e-9))
    return {"tickformat": f".{decimals}%", "dtick": round(step, 12), "rangemode": "tozero"}


def font_stack(script: str) -> str:
    """A CSS ``font-family`` value that shows CJK text in ``script``."""
    names = FONTS.get(script, FONTS["zh-Hans"]) + ["Noto Sans CJK SC", "sans-serif"]
    return ", ".join(f'"{n}"' if " " in n else n for n in dict.fromkeys(names))


def date_axes(fig: Any, *, lang: str = "zh") -> Any:
    """``fig`` with Chinese date ticks (1月24日, 2020年2月) and hover dates (2020-01-24) on every
    axis that holds dates, in the Chinese interface; in English Plotly's own (Jan 24 2020) stay.
    Every figure of the report (:func:`_layout`) and of the explorer
    (:func:`opinion.explore.widgets.plotly_chart`) passes here.

    >>> import plotly.graph_objects as go
    >>> date_axes(go.Figure(go.Scatter(x=["2020-01-24"], y=[1]))).layout.xaxis.hoverformat
    '%Y-%m-%d'
    """
    if lang == "en":
        return fig
    for axis in sorted(_date_axis_names(fig)):
        fig.layout[axis].update(tickformatstops=ZH_DATE_TICKS, hoverformat="%Y-%m-%d")
    return fig


def _date_axis_names(fig: Any) -> set[str]:
    """Layout names (``xaxis``, ``xaxis2``…) of the axes whose traces hold dates."""
    import datetime as dt

    import numpy as np

    names = set()
    for trace in fig.data:
        for letter in ("x", "y"):
            values = getattr(trace, letter, None)
            if values is None:
                continue
            anchor = getattr(trace, f"{letter}axis", None) or letter  # go.Scatter leaves it unset: x
            first = next((v for v in values if v is not None and not (isinstance(v, float) and v != v)), None)
            if isinstance(first, (dt.date, np.datetime64)) or (isinstance(first, str) and ISO_DATE.fullmatch(first)):
                names.add(f"{letter}axis{anchor[1:]}")
    return names


PERIOD_STEPS = {"day": pd.DateOffset(days=1), "week": pd.DateOffset(weeks=1), "month": pd.DateOffset(months=1)}


def period_unit(tables: dict[str, pd.DataFrame]) -> str | None:
    """The unit of the tables' periods (day, week, month), as the run table records it."""
    run = tables.get("run")
    if run is None or run.empty:
        return None
    value = run.loc[(run["section"] == "export") & (run["key"] == "period"), "value"]
    return str(value.iloc[0]) if len(value) and str(value.iloc[0]) in PERIOD_STEPS else None


def with_gaps(periods: pd.Series, values: pd.Series, unit: str | None) -> tuple[list[Any], list[Any]]:
    """``(x, y)`` of a line over ``periods`` with a missing value at the first calendar period of
    each gap, so that Plotly (``connectgaps=False``) breaks the line where the tables show ``—``
    rather than drawing 2020-02-10 → 2020-03-01 as if the 19 days between had been measured.
    One point per gap, not the whole calendar: a stray 1970 date adds one point, not 18,000.

    >>> with_gaps(pd.Series(pd.to_datetime(["2020-02-10", "2020-03-01"])), pd.Series([0.1, 0.2]), "day")[1]
    [0.1, None, 0.2]
    """
    stamps, shown = pd.to_datetime(periods).reset_index(drop=True), list(values)
    if unit not in PERIOD_STEPS or len(stamps) < 2:
        return list(stamps), shown
    x: list[Any] = []
    y: list[Any] = []
    for i, stamp in enumerate(stamps):
        x.append(stamp)
        y.append(shown[i])
        following = stamp + PERIOD_STEPS[unit]
        if i + 1 < len(stamps) and following < stamps[i + 1]:
            x.append(following)
            y.append(None)
    return x, y


def _layout(fig: Any, *, title: str, script: str, lang: str, yaxis: dict[str, Any] | None = None) -> Any:
    date_axes(fig, lang=lang)
    fig.update_layout(
        title={"text": title, "x": 0, "font": {"size": 15}},
        font={"family": font_stack(script), "size": 12}, template="plotly_white",
        height=380, margin={"l": 50, "r": 20, "t": 50, "b": 40},
        legend={"orientation": "v", "font": {"size": 11}}, yaxis=yaxis or {},
    )
    return fig


def topic_trends_chart(tables: dict[str, pd.DataFrame], *, script: str, lang: str = "zh") -> Any | None:
    """Lines of each large topic's share of documents per period."""
    import plotly.graph_objects as go

    over_time, topics = tables["topics_over_time"], tables["topics"]
    if over_time.empty or over_time["period"].nunique() < 1:
        return None
    from opinion.report.display import topic_names

    fig, names, unit = go.Figure(), topic_names(topics), period_unit(tables)  # label #id when two share a label
    for topic_id in topics["topic_id"].head(MAX_SERIES):
        rows = over_time[over_time["topic_id"] == topic_id].sort_values("period")
        label = names.get(int(topic_id), str(rows["topic_label"].iloc[0]))
        x, y = with_gaps(rows["period"], rows["share"], unit)
        fig.add_trace(go.Scatter(x=x, y=y, mode="lines+markers", connectgaps=False,
                                 name=short_label(label), hovertext=plot_text(label)))
    return _layout(fig, title=text("chart.topic_trends", script, lang=lang), script=script, lang=lang,
                   yaxis=percent_axis(over_time["share"]))


def sentiment_chart(tables: dict[str, pd.DataFrame], *, script: str, lang: str = "zh") -> Any | None:
    """Stacked bars of positive, neutral and negative shares per topic."""
    import plotly.graph_objects as go

    from opinion import schema as S
    from opinion.report.display import ordered_topics, topic_names

    docs, topics = tables["documents"], tables["topics"]
    if topics.empty or "sentiment_label" not in docs.columns or docs["sentiment_label"].isna().all():
        return None
    order = ordered_topics(topics)[S.TOPIC_ID].head(MAX_SERIES * 2).tolist()[::-1]  # as the topic table
    shares = (docs.dropna(subset=["sentiment_label", S.TOPIC_ID])
              .groupby(S.TOPIC_ID)["sentiment_label"].value_counts(normalize=True)  # by id: labels may repeat
              .unstack(fill_value=0).reindex(order).fillna(0))
    names = topic_names(topics)
    labels = [names.get(t, str(t)) for t in shares.index]
    fig = go.Figure()
    for label, colour in SENTIMENT_COLOURS.items():
        values = shares[label] if label in shares.columns else pd.Series(0.0, index=shares.index)
        fig.add_trace(go.Bar(y=_short_labels(labels), x=values.to_numpy(), orientation="h",
                             marker_color=colour, hovertext=[plot_text(t) for t in labels],
                             name=value_text(label, script, lang=lang)))
    fig.update_layout(barmode="stack", xaxis={"tickformat": ".0%", "range": [0, 1]})
    fig = _layout(fig, title=text("chart.sentiment", script, lang=lang), script=script, lang=lang,
                  yaxis={"automargin": True})
    fig.update_layout(height=max(260, 32 * len(order) + 110), legend={"traceorder": "normal"})
    return fig


def theme_trends_chart(tables: dict[str, pd.DataFrame], *, script: str, lang: str = "zh") -> Any | None:
    """Lines of each theme's prevalence per period (themes never mentioned are left out)."""
    import plotly.graph_objects as go

    themes = tables["themes_by_period"].dropna(subset=["period"])  # the undated row is a column of the table, not a point
    if themes.empty:
        return None
    mentioned = themes.groupby("theme", sort=False)["docs_with_theme"].sum()
    if not (mentioned > 0).any():
        return None
    fig, unit = go.Figure(), period_unit(tables)
    for theme in mentioned[mentioned > 0].index:
        rows = themes[themes["theme"] == theme].sort_values("period")
        x, y = with_gaps(rows["period"], rows["prevalence"], unit)
        fig.add_trace(go.Scatter(x=x, y=y, mode="lines+markers", connectgaps=False, name=plot_text(str(theme))))
    return _layout(fig, title=text("chart.theme_trends", script, lang=lang), script=script, lang=lang,
                   yaxis=percent_axis(themes["prevalence"]))


def topic_small_multiples(tables: dict[str, pd.DataFrame], *, script: str, lang: str = "zh",
                          columns: int = 5) -> Any | None:
    """Every topic's share of documents per period, one small panel each (largest topics first),
    each on its own scale so a small topic's rise shows too; the full label on hover."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    from opinion.report.display import axis_label, ordered_topics, topic_names

    over_time, topics = tables["topics_over_time"], tables["topics"]
    if over_time.empty or topics.empty or over_time["period"].nunique() < 2:
        return None
    order = [t for t in ordered_topics(topics)["topic_id"] if t != -1]  # as the topic table
    labels, titles = topic_names(topics), topic_names(topics, shorten=axis_label)  # label #id if shared
    rows = -(-len(order) // columns)
    fig = make_subplots(rows=rows, cols=columns, shared_xaxes=True, vertical_spacing=min(0.3 / rows, 0.08),
                        horizontal_spacing=0.03,
                        subplot_titles=[plot_text(titles[t]) for t in order])  # whole labels
    unit = period_unit(tables)
    for i, topic_id in enumerate(order):
        series = over_time[over_time["topic_id"] == topic_id].sort_values("period")
        x, y = with_gaps(series["period"], series["share"], unit)
        # Plotly fills an area across a gap whatever connectgaps says: two crawl days 17 days apart
        # read as a steady fall (2026-12-08); a series with a gap is drawn as lines and points
        gaps = any(value is None or value != value for value in y)
        fig.add_trace(go.Scatter(x=x, y=y, mode="lines+markers" if gaps else "lines", connectgaps=False,
                                 line={"width": 1.5, "color": "#1f5fa8"}, marker={"size": 4},
                                 fill=None if gaps else "tozeroy", showlegend=False, name=plot_text(labels[topic_id]),
                                 hovertemplate="%{x|%Y-%m-%d}: %{y:.1%}<extra>%{fullData.name}</extra>"),
                      row=i // columns + 1, col=i % columns + 1)
        fig.update_yaxes(percent_axis(series["share"], ticks=2), row=i // columns + 1, col=i % columns + 1)
    fig.update_annotations(font_size=11)
    fig = _layout(fig, title=text("chart.small_multiples", script, lang=lang), script=script, lang=lang)
    fig.update_yaxes(tickfont_size=9)
    fig.update_xaxes(tickfont_size=9, nticks=4)
    fig.update_layout(height=110 * rows + 90, margin={"l": 40, "r": 10, "t": 70, "b": 30})
    return fig


def theme_topic_chart(tables: dict[str, pd.DataFrame], *, script: str, lang: str = "zh") -> Any | None:
    """Heatmap of the share of each topic's documents that mention each theme, legible at 50
    topics: a row of :data:`HEATMAP_ROW_PX` per topic, largest first and catch-all topics last
    (:func:`opinion.report.display.theme_topic_order`), each named by its whole label
    (:func:`opinion.report.display.axis_label`) in a margin as wide as the longest, the full
    label on hover; a column per theme that some document mentions (the table keeps the others),
    the colour bar's percentages never repeated and never stacked (:func:`colorbar_ticks`).
    ``None`` for a single row (one topic, or all documents when topics were not fitted): the
    table below gives the same numbers, and a one-row heatmap's colour bar had no room.

    The explorer's Themes section draws the same chart from its own ``theme_topic`` rows.
    """
    import plotly.graph_objects as go

    from opinion.report.display import theme_topic_order

    overlap = tables["theme_topic"]
    mentioned = overlap.groupby("theme", sort=False)["docs_with_theme"].sum() > 0
    topics = theme_topic_order(overlap, tables.get("topics"))
    if not mentioned.any() or len(topics) < 2:  # one row (one topic, or all documents): the table says it
        return None
    grid = overlap.pivot_table(index="topic_id", columns="theme", values="share_of_topic", sort=False)
    grid = grid.reindex(index=topics["topic_id"], columns=mentioned[mentioned].index.tolist())
    names = heatmap_labels(topics["topic_label"].astype(str).tolist(), topics["topic_id"].tolist())
    full = heatmap_labels(topics["topic_label"].astype(str).tolist(), topics["topic_id"].tolist(), whole=True)
    top = max(float(grid.max().max()), 0.01)
    fig = go.Figure(go.Heatmap(z=grid.to_numpy(), y=[plot_text(n) for n in names],
                               x=[plot_text(str(t)) for t in grid.columns], xgap=1, ygap=1,
                               customdata=[[plot_text(label)] * len(grid.columns) for label in full],
                               colorscale="Blues", zmin=0, zmax=top,
                               colorbar={k: v for k, v in percent_axis([0, top], ticks=colorbar_ticks(len(names))).items()
                                         if k != "rangemode"},
                               hovertemplate="%{customdata} × %{x}: %{z:.1%}<extra></extra>"))
    fig = _layout(fig, title=text("chart.theme_topic", script, lang=lang), script=script, lang=lang,
                  yaxis={"automargin": True, "autorange": "reversed", "dtick": 1, "tickfont": {"size": 12}})
    fig.update_xaxes(automargin=True, side="top")
    left = heatmap_margin(names)
    fig.update_layout(height=HEATMAP_ROW_PX * len(names) + 170, margin={"l": left, "r": 20, "t": 110, "b": 20})
    return fig


HEATMAP_ROW_PX = 24  # pixels per topic row: a 12-pixel label with room above and below
COLORBAR_TICK_PX = 30  # at least this much colour bar per tick label, so no two labels overlap


def colorbar_ticks(rows: int) -> int:
    """How many steps the colour bar of a heatmap of ``rows`` rows has room for: 5 at most, 1
    (two labels, 0 and the top) for two rows; six labels had stacked on a one-row bar (2026-12-08)."""
    return max(1, min(5, HEATMAP_ROW_PX * rows // COLORBAR_TICK_PX))


def heatmap_labels(labels: list[str], topic_ids: list[Any], *, whole: bool = False) -> list[str]:
    """Axis names for ``labels``: each whole when it fits (:func:`opinion.report.display.axis_label`;
    never cut with ``whole``, for hover), named as everywhere (:func:`opinion.report.display.topic_names`):
    ``label #id`` where two would read the same (Plotly would draw them as one row)."""
    from opinion.report.display import axis_label, topic_names

    names = topic_names(pd.DataFrame({"topic_id": topic_ids, "label": labels}),
                        shorten=None if whole else axis_label)
    return [names[int(t)] for t in topic_ids]


def heatmap_margin(names: list[str], *, font_px: int = 12) -> int:
    """Left margin in pixels that holds the longest of ``names`` at ``font_px`` whole."""
    from opinion.words.network_chart import text_width

    return int(max((text_width(n, font_px) for n in names), default=0)) + 24


CHARTS = {  # section key -> charts drawn in it
    "topic_trends": (topic_small_multiples,),
    "sentiment": (sentiment_chart,),
    "themes": (theme_trends_chart, theme_topic_chart),
}
