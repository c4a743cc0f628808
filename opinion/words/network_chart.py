"""A co-occurrence network (:mod:`opinion.words.network`) drawn with Plotly, legible at 150 words.

networkx places the words: ``spring_layout`` (Fruchterman-Reingold, seeded), started from
``kamada_kawai_layout`` so that communities do not fold over each other, with an optimal
distance ``k`` above networkx's default ``1/sqrt(n)`` to spread the nodes. Every word is a
marker sized by its document frequency and coloured by its community; the word and its
document count show on hover. Only the words whose label fits are written on the drawing
(:func:`fitting_labels`): in order of document frequency, a word is labelled when its text,
at the chart's size in pixels, overlaps no label already placed. A dense centre then shows
its most frequent words rather than a blot of text, and the number labelled grows with the
room the chart has.

Example:
    >>> figure = network_figure(cooccurrence_network("runs/weibo"))  # doctest: +SKIP
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from typing import Any

PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
           "#bcbd22", "#17becf"]
HEIGHT = 620  # pixels
WIDTH = 1000  # pixels the explorer's wide page gives the chart, about (a narrower chart overlaps less than it
# would seem: Plotly keeps the text size, so fewer labels would fit; the labels are chosen for this width)
PLOT_MARGIN = (20, 70)  # pixels of the width and height outside the plot area (margins, the legend below)
FONT_PX = 12
PAD = 0.1  # share of the x and y span added on each side: room for the labels of the outermost nodes
Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in pixels, y upwards


def text_width(label: str, font_px: float = FONT_PX) -> float:
    """Pixels ``label`` takes at ``font_px``: a CJK character about its font size, others about 0.6 of it."""
    return sum(font_px if unicodedata.east_asian_width(ch) in "WF" else 0.6 * font_px for ch in label)


def label_box(x: float, y: float, label: str, *, marker_px: float, font_px: float = FONT_PX) -> Box:
    """The box of ``label`` written above a marker of diameter ``marker_px`` centred at (x, y) pixels."""
    half = text_width(label, font_px) / 2 + 2
    bottom = y + marker_px / 2 + 1
    return (x - half, bottom, x + half, bottom + 1.3 * font_px)


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def fitting_labels(points: Sequence[tuple[float, float]], labels: Sequence[str], marker_px: Sequence[float], *,
                   area: tuple[float, float] | None = None, font_px: float = FONT_PX,
                   avoid_markers: bool = False) -> list[bool]:
    """Which labels to write: taken in the order given (most important first), each one whose
    box (:func:`label_box`, at ``points`` in pixels) overlaps none of those already taken and,
    given the plot ``area`` (width, height in pixels), lies inside it. With ``avoid_markers``,
    a label after the first must also keep off every other marker (big bubbles that would
    hide it); the first is always written when it fits the area."""
    markers = [(x - s / 2, y - s / 2, x + s / 2, y + s / 2) for (x, y), s in zip(points, marker_px)] \
        if avoid_markers else []  # the words network does not need them
    taken: list[Box] = []
    chosen = []
    for i, ((x, y), label, size) in enumerate(zip(points, labels, marker_px)):
        box = label_box(x, y, label, marker_px=size, font_px=font_px)
        inside = area is None or (box[0] >= 0 and box[2] <= area[0] and box[3] <= area[1])
        covered = avoid_markers and i > 0 and any(_overlap(box, m) for j, m in enumerate(markers) if j != i)
        fits = inside and not covered and not any(_overlap(box, other) for other in taken)
        if fits:
            taken.append(box)
        chosen.append(fits)
    return chosen


def layout(graph: Any, *, seed: int = 42) -> dict[Any, tuple[float, float]]:
    """Positions of the graph's nodes (see the module docstring)."""
    import networkx as nx

    start = nx.kamada_kawai_layout(graph, weight=None) if len(graph) > 1 else None  # spread by graph distance
    positions = nx.spring_layout(graph, pos=start, weight="weight", seed=seed, iterations=30,
                                 k=2.5 / max(1, len(graph)) ** 0.5)
    return {node: (float(x), float(y)) for node, (x, y) in positions.items()}


def axis_ranges(positions: dict[Any, tuple[float, float]]) -> tuple[list[float], list[float]]:
    """The x and y ranges drawn: the nodes' span and :data:`PAD` of it on each side."""
    xs, ys = [p[0] for p in positions.values()] or [0.0], [p[1] for p in positions.values()] or [0.0]

    def padded(low: float, high: float) -> list[float]:
        pad = PAD * (high - low or 1.0)
        return [low - pad, high + pad]

    return padded(min(xs), max(xs)), padded(min(ys), max(ys))


def plot_area(width: int = WIDTH, height: int = HEIGHT, *,
              margin: tuple[int, int] = PLOT_MARGIN) -> tuple[float, float]:
    """Width and height in pixels of the plot area of a ``width`` × ``height`` chart whose
    margins take ``margin`` (width, height) pixels."""
    return width - margin[0], height - margin[1]


def to_pixels(point: tuple[float, float], x_range: list[float], y_range: list[float], *,
              width: int = WIDTH, height: int = HEIGHT, margin: tuple[int, int] = PLOT_MARGIN) -> tuple[float, float]:
    """A position in pixels of the plot area (origin bottom left) of a ``width`` × ``height`` chart."""
    plot_w, plot_h = plot_area(width, height, margin=margin)
    return ((point[0] - x_range[0]) / (x_range[1] - x_range[0]) * plot_w,
            (point[1] - y_range[0]) / (y_range[1] - y_range[0]) * plot_h)


def marker_sizes(doc_freq: Sequence[int]) -> list[float]:
    """Marker diameters in pixels: 10 to 40, by the square root of the document frequency."""
    top = max(1, max(doc_freq, default=1))
    return [10 + 30 * (int(d) / top) ** 0.5 for d in doc_freq]


def network_figure(net: Any, *, community: str = "community", docs: Callable[[int], str] = "{} docs".format,
                   width: int = WIDTH) -> Any:
    """A Plotly drawing of the network ``net`` (:class:`opinion.words.network.Network`): nodes
    coloured by community, sized by document frequency, the labels that fit written in the
    network's script (:func:`fitting_labels`), every word on hover; ``community`` titles the
    legend and ``docs(n)`` words a node's document count on hover."""
    import plotly.graph_objects as go

    from opinion.io.safety import plot_text

    positions = layout(net.graph)
    nodes = net.nodes.sort_values(["doc_freq", "degree", "id"], ascending=[False, False, True])  # priority
    x_range, y_range = axis_ranges(positions)
    sizes = marker_sizes(nodes["doc_freq"].tolist())
    shown = fitting_labels([to_pixels(positions[n], x_range, y_range, width=width) for n in nodes["id"]],
                           nodes["label"].tolist(), sizes, area=plot_area(width))
    nodes = nodes.assign(size=sizes, text=[plot_text(label) if fit else "" for label, fit in zip(nodes["label"], shown)])
    xs: list[float | None] = []
    ys: list[float | None] = []
    for a, b in net.graph.edges:
        xs += [positions[a][0], positions[b][0], None]
        ys += [positions[a][1], positions[b][1], None]
    figure = go.Figure(go.Scatter(x=xs, y=ys, mode="lines", line=dict(width=0.6, color="#b8c2cc"),
                                  hoverinfo="skip", showlegend=False))
    for number, group in nodes.groupby("community"):  # not ``community``: that names the legend
        figure.add_trace(go.Scatter(
            x=[positions[n][0] for n in group["id"]], y=[positions[n][1] for n in group["id"]],
            mode="markers+text", text=group["text"].tolist(), textposition="top center",
            textfont=dict(size=FONT_PX),
            marker=dict(size=group["size"].tolist(), color=PALETTE[int(number) % len(PALETTE)],
                        line=dict(width=1, color="white")),
            name=f"{int(number)}", hovertext=[plot_text(f"{label}: {docs(d)}") for label, d in zip(group["label"], group["doc_freq"])],
            hoverinfo="text"))
    figure.update_layout(height=HEIGHT, margin=dict(l=10, r=10, t=10, b=10), legend_title_text=community,
                         legend=dict(orientation="h", yanchor="top", y=-0.02, xanchor="left", x=0),
                         xaxis=dict(visible=False, range=x_range), yaxis=dict(visible=False, range=y_range),
                         plot_bgcolor="white")
    return figure
