"""The intertopic map: topics placed in 2-D by how much their weighted top terms overlap.

Classical multidimensional scaling of the cosine distances between the topics' top-term
weight vectors, computed from the stored ``topics`` table (a few dozen rows), never from
the documents. Topics that share weighted terms sit close together.

Example:
    >>> topics = pd.DataFrame({"topic_id": [0, 1], "label": ["0_口罩_防护", "1_直播_带货"],
    ...                        "size": [29, 4], "top_terms": [["口罩", "防护"], ["直播", "带货"]],
    ...                        "top_terms_weights": [[0.3, 0.2], [0.3, 0.2]]})
    >>> intertopic_map(topics)[["topic_id", "x"]].shape
    (2, 2)

:func:`map_figure` draws the map legibly at 50+ topics: every topic a bubble, its whole label
written only where it fits, the largest topics first, with the same overlap rule as the words
network (:func:`opinion.words.network_chart.fitting_labels`); every label shows on hover.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from opinion.schema import TOPIC_ID

MAP_COLUMNS = [TOPIC_ID, "label", "size", "x", "y"]


def _term_vectors(topics: pd.DataFrame) -> np.ndarray:
    """One row per topic, one column per term, holding the term's weight (1.0 when unweighted)."""
    vocab = sorted({term for terms in topics["top_terms"] for term in terms})
    index = {term: i for i, term in enumerate(vocab)}
    weights = topics["top_terms_weights"] if "top_terms_weights" in topics else [None] * len(topics)
    vectors = np.zeros((len(topics), max(1, len(vocab))))
    for row, (terms, term_weights) in enumerate(zip(topics["top_terms"], weights)):
        term_weights = list(term_weights) if term_weights is not None else [1.0] * len(terms)
        for term, weight in zip(terms, term_weights):
            vectors[row, index[term]] = float(weight)
    return vectors


def classical_mds(dist2: np.ndarray, dims: int = 2) -> np.ndarray:
    """Coordinates whose distances best match the squared distances ``dist2`` (Torgerson MDS)."""
    n = len(dist2)
    centre = np.eye(n) - 1 / n
    values, vectors = np.linalg.eigh(-0.5 * centre @ dist2 @ centre)
    top = np.argsort(values)[::-1][:dims]
    coords = vectors[:, top] * np.sqrt(np.clip(values[top], 0, None))
    return np.pad(coords, ((0, 0), (0, dims - coords.shape[1])))


def intertopic_map(topics: pd.DataFrame) -> pd.DataFrame:
    """``topic_id, label, size, x, y`` for each topic of a ``topics`` table (empty if none).

    Topic −1 (outliers, or documents with no content: ``未归入主题``) has no terms of its own and
    is left off the map, as BERTopic's ``visualize_topics`` leaves it off."""
    if "top_terms" not in topics:
        return pd.DataFrame(columns=MAP_COLUMNS)
    topics = topics[topics[TOPIC_ID] >= 0]
    if topics.empty:
        return pd.DataFrame(columns=MAP_COLUMNS)
    vectors = _term_vectors(topics)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    unit = vectors / np.where(norms == 0, 1, norms)
    coords = classical_mds(np.clip(2 - 2 * unit @ unit.T, 0, None))
    return topics[[TOPIC_ID, "label", "size"]].assign(x=coords[:, 0].round(6), y=coords[:, 1].round(6))


def spread(positions: pd.DataFrame) -> pd.DataFrame:
    """The map's topics on an even grid that keeps the MDS order: columns left to right by
    ``x``, and within a column bottom to top by ``y``.

    With many topics that share few terms, the cosine distances are nearly all equal and
    MDS piles most topics on one spot (45 of 51 on the Weibo sample); on the grid no two
    bubbles overlap, and topics close in ``x`` stay in the same or a nearby column.
    """
    n = len(positions)
    if n < 3:
        return positions
    columns = int(np.ceil(np.sqrt(n * 1.5)))  # wider than tall, like the chart
    rows = int(np.ceil(n / columns))
    out = positions.copy()
    by_x = np.argsort(out["x"].to_numpy(), kind="stable")
    grid_x, grid_y = np.zeros(n), np.zeros(n)
    for column in range(columns):
        members = by_x[column * rows:(column + 1) * rows]
        for row, index in enumerate(members[np.argsort(out["y"].to_numpy()[members], kind="stable")]):
            grid_x[index], grid_y[index] = column, row
    return out.assign(x=grid_x, y=grid_y)


MANY = 12  # more topics than this: the even grid of :func:`spread`, and the map in a row of its own
MAP_HEIGHT = 440  # pixels
MAP_MARGIN = (20, 50)  # pixels of the width and height outside the plot area (margins, the title)
MAP_FONT_PX = 11


def map_ranges(positions: pd.DataFrame, *, many: bool, width: int = 1000) -> tuple[list[float], list[float]]:
    """The x and y ranges drawn: the points' span with room for the outermost labels (on the grid
    of :func:`spread` a column and more; else a fifth of the span, and across at least half the
    widest label at ``width`` pixels)."""
    from opinion.report.display import axis_label
    from opinion.words.network_chart import text_width

    ranges = []
    for axis in ("x", "y"):
        low, high = float(positions[axis].min()), float(positions[axis].max())
        span = high - low or 1.0
        pad = (1.2 if axis == "x" else 0.6) if many else 0.2 * span
        if axis == "x" and not many:
            half = max((text_width(axis_label(str(label)), MAP_FONT_PX) for label in positions["label"]),
                       default=0.0) / 2 + 4
            plot_w = width - MAP_MARGIN[0]
            pad = max(pad, half * span / max(plot_w - 2 * half, plot_w / 4))
        ranges.append([low - pad, high + pad])
    return ranges[0], ranges[1]


def map_labels(positions: pd.DataFrame, chosen: int, *, width: int, height: int = MAP_HEIGHT,
               size_max: float = 40) -> list[str]:
    """The text written by each point of ``positions``: its whole label (:func:`opinion.report.display.axis_label`)
    where the label fits, taking the chosen topic first and then the largest
    (:func:`opinion.words.network_chart.fitting_labels`), else ``""``. A label never lies on
    another topic's bubble (where MDS piles topics up, bubbles drawn later would hide it);
    the chosen topic's trace is drawn last, so its label is never hidden either."""
    from opinion.report.display import axis_label
    from opinion.words.network_chart import fitting_labels, plot_area, to_pixels

    x_range, y_range = map_ranges(positions, many=len(positions) > MANY, width=width)
    top = max(float(positions["size"].max()), 1.0)
    order = sorted(range(len(positions)), key=lambda i: (int(positions[TOPIC_ID].iloc[i]) != chosen,
                                                         -float(positions["size"].iloc[i]), i))
    names = [axis_label(str(positions["label"].iloc[i])) for i in order]
    points = [to_pixels((float(positions["x"].iloc[i]), float(positions["y"].iloc[i])), x_range, y_range,
                        width=width, height=height, margin=MAP_MARGIN) for i in order]
    diameters = [size_max * (max(float(positions["size"].iloc[i]), 0.0) / top / 2) ** 0.5  # as Plotly Express
                 for i in order]
    fits = fitting_labels(points, names, diameters, area=plot_area(width, height, margin=MAP_MARGIN),
                          font_px=MAP_FONT_PX, avoid_markers=True)
    text = [""] * len(positions)
    for i, name, fit in zip(order, names, fits):
        text[i] = name if fit else ""
    return text


def map_figure(positions: pd.DataFrame, chosen: int, *, title: str, size_label: str, width: int) -> Any:
    """The intertopic map of ``positions`` (:func:`intertopic_map`) as a Plotly scatter ``width``
    pixels wide: at more than :data:`MANY` topics on the grid of :func:`spread`; the chosen topic
    in orange; the labels that fit written (:func:`map_labels`), every label whole on hover."""
    import plotly.express as px

    from opinion.io.safety import plot_frame

    many = len(positions) > MANY
    if many:  # many topics: a grid in MDS order instead of one MDS pile
        positions = spread(positions)
    size_max = 22 if many else 40
    drawn = positions.assign(chosen=positions[TOPIC_ID] == chosen,
                             short=map_labels(positions, chosen, width=width, size_max=size_max))
    drawn = plot_frame(drawn, ("short", "label"))  # labels drawn as text, not Plotly markup
    figure = px.scatter(drawn, x="x", y="y", size="size", text="short", color="chosen", size_max=size_max,
                        title=title, hover_name="label",
                        hover_data={"short": False, "chosen": False, "x": False, "y": False, "size": True},
                        labels={"size": size_label, "chosen": ""}, category_orders={"chosen": [False, True]},
                        color_discrete_map={True: "#e76f51", False: "#457b9d"})
    figure.update_traces(textposition="top center", textfont_size=MAP_FONT_PX)
    x_range, y_range = map_ranges(positions, many=many, width=width)
    figure.update_xaxes(visible=False, range=x_range)
    figure.update_yaxes(visible=False, range=y_range)
    figure.update_layout(showlegend=False, height=MAP_HEIGHT, margin=dict(l=10, r=10, t=40, b=10))
    return figure
