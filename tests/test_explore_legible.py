"""Views that stay legible at 50 topics and 150 words (issue 17): Compare's axis and the theme ×
topic heatmap name every topic in full, and the word network and the intertopic map write only
the labels that fit."""

from __future__ import annotations

import pandas as pd
import pytest
from factory import make_workspace

from opinion.explore.intertopic import MAP_FONT_PX, MAP_MARGIN, map_figure, map_ranges, spread
from opinion.explore.sections.compare import ROW_HEIGHT, topic_changes_figure
from opinion.io.safety import plot_text
from opinion.report.charts import HEATMAP_ROW_PX, theme_topic_chart
from opinion.report.display import axis_label, display_width, short_label
from opinion.report.sections import _theme_tables
from opinion.words.network import NetworkSettings, cooccurrence_network
from opinion.words.network_chart import FONT_PX, HEIGHT, WIDTH, network_figure, text_width, to_pixels

# Terms of real Weibo topics (issue 17); joined by "·" into readable labels of up to 16 characters.
TERMS = ["钻石公主号", "双黄连", "红十字会捐款", "方舱医院", "医疗队", "支援湖北", "复工复产", "口罩",
         "境外输入", "无症状感染者", "开学", "武汉加油"]


def labels_of_50_topics() -> dict[int, str]:
    labels = [f"{a}·{b}·{c}" for a in TERMS for b in TERMS for c in TERMS if len({a, b, c}) == 3
              and len(a + b + c) <= 16]
    chosen = sorted(labels, key=lambda label: (-len(label), label))[:50]
    assert len(chosen) == 50 and max(len(label.replace("·", "")) for label in chosen) == 16
    return dict(enumerate(chosen))


def test_axis_label_keeps_a_readable_label_whole():
    label = "无症状感染者·红十字会捐款·口罩"  # 16 characters of content
    assert short_label(label) != label  # the cut Compare used: ~6 characters and …
    assert axis_label(label) == label
    long_name = "9_#钟南山表示无症状感染者不会引起大暴发#_开学_学校_上班_复工_口罩_武汉"
    assert axis_label(long_name).endswith("…") and display_width(axis_label(long_name)) <= 36


def test_compare_at_50_topics_names_every_topic_in_full():
    labels = labels_of_50_topics()
    rows = [{"side": side, "topic_id": t, "documents": 10 + (t * 7) % 13 + (5 if side.startswith("B") and t % 3
                                                                            else 0)}
            for side in ("A: 2020-01-24 → 2020-02-27", "B: 2020-02-28 → 2020-04-01") for t in labels]
    shares = pd.DataFrame(rows)
    shares["share"] = shares["documents"] / shares.groupby("side")["documents"].transform("sum")
    figure, changes = topic_changes_figure(shares, labels, title="各主题占比")
    drawn = list(figure.layout.yaxis.categoryarray)[::-1]  # Plotly lists them bottom up
    assert drawn == [plot_text(label) for label in changes["label"]]  # every label whole, biggest rise on top
    assert set(drawn) == {plot_text(label) for label in labels.values()}
    assert figure.layout.yaxis.automargin is True and figure.layout.yaxis.dtick == 1
    assert figure.layout.height >= ROW_HEIGHT * 50
    hovered = {name for trace in figure.data for name in trace.hovertext}
    assert hovered == {plot_text(label) for label in labels.values()}


@pytest.fixture(scope="module")
def network(tmp_path_factory):
    ws = make_workspace(tmp_path_factory.mktemp("network_chart") / "ws")
    return cooccurrence_network(ws, settings=NetworkSettings(top=150, min_cooccurrence=1))


def test_network_writes_only_labels_that_do_not_overlap(network):
    assert len(network.nodes) >= 100  # a crowded drawing
    figure = network_figure(network)
    x_range, y_range = list(figure.layout.xaxis.range), list(figure.layout.yaxis.range)
    boxes, written, hovers = [], [], []
    for trace in figure.data[1:]:  # the first trace draws the edges
        for x, y, text, size, hover in zip(trace.x, trace.y, trace.text, trace.marker.size, trace.hovertext):
            hovers.append(hover)
            if not text:
                continue
            written.append(text)
            px, py = to_pixels((x, y), x_range, y_range, width=WIDTH, height=HEIGHT)
            half = 0.45 * FONT_PX * len(text)  # at least this wide: a CJK character is nearly its font size
            boxes.append((px - half, py + size / 2, px + half, py + size / 2 + FONT_PX))
    overlaps = [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:]
                if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]]
    assert not overlaps
    assert 15 <= len(written) < len(network.nodes)  # the ones that fit, not all 150 in a blot
    top_word = network.nodes.sort_values("doc_freq", ascending=False)["label"].iloc[0]
    assert top_word in written  # the most frequent word is always written
    assert len(hovers) == len(network.nodes)  # every word on hover, labelled or not
    assert {hover.split(":")[0] for hover in hovers} == set(network.nodes["label"])


def _overlaps(boxes: list[tuple[float, float, float, float]]) -> list[tuple]:
    return [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:]
            if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]]


def _theme_topic(labels: dict[int, str], generic: set[int] = frozenset()) -> dict[str, pd.DataFrame]:
    sizes = {t: 300 - 5 * t for t in labels}  # topic 0 the largest
    rows = [{"theme": theme, "topic_id": t, "topic_label": label, "topic_size": sizes[t],
             "docs_with_theme": (t * k) % 7, "share_of_topic": ((t * k) % 7) / sizes[t]}
            for k, theme in enumerate(["信任", "防疫", "经济"], start=1) for t, label in labels.items()]
    topics = pd.DataFrame({"topic_id": list(labels), "label": list(labels.values()),
                           "size": [sizes[t] for t in labels], "is_generic": [t in generic for t in labels]})
    return {"theme_topic": pd.DataFrame(rows).sample(frac=1, random_state=0), "topics": topics}


def test_theme_topic_heatmap_at_50_topics_names_every_topic_whole_in_size_order():
    labels = labels_of_50_topics()
    figure = theme_topic_chart(_theme_topic(labels, generic={0, 1}), script="zh-Hans")
    rows = list(figure.data[0].y)
    expected = [labels[t] for t in range(2, 50)] + [labels[0], labels[1]]  # by size, catch-all topics last
    assert rows == [plot_text(label) for label in expected]  # whole labels, 16 characters of content
    assert {row[0] for row in figure.data[0].customdata} == {plot_text(label) for label in labels.values()}  # hover
    assert figure.layout.margin.l >= max(text_width(label) for label in labels.values())
    assert figure.layout.height >= HEATMAP_ROW_PX * 50 and HEATMAP_ROW_PX >= 2 * FONT_PX
    ticks = [f"{i * figure.data[0].colorbar.dtick:{figure.data[0].colorbar.tickformat}}" for i in range(6)]
    assert len(set(ticks)) == len(ticks)  # shares up to ~3%: 0.0% 0.5% 1.0%…, never 0% 1% 1%
    tables = _theme_tables(_theme_topic(labels, generic={0, 1}) | {"themes_by_period": pd.DataFrame()}, "zh-Hans", "zh")
    (_, table), = tables
    assert table.iloc[:, 0].tolist() == expected  # the report's table in the heatmap's order


def test_theme_topic_heatmap_margin_and_height_grow_with_labels_and_topics():
    few = theme_topic_chart(_theme_topic({0: "口罩", 1: "开学"}), script="zh-Hans")
    many = theme_topic_chart(_theme_topic(labels_of_50_topics()), script="zh-Hans")
    assert many.layout.margin.l > few.layout.margin.l and many.layout.height > few.layout.height
    twice = theme_topic_chart(_theme_topic({0: "口罩·防护", 1: "口罩·防护"}), script="zh-Hans")
    assert len(set(twice.data[0].y)) == 2  # two topics with one label stay two rows


def test_intertopic_map_at_51_topics_writes_whole_labels_that_do_not_overlap():
    labels = labels_of_50_topics() | {50: "真的·知道·没有"}
    positions = pd.DataFrame({"topic_id": list(labels), "label": list(labels.values()),
                              "size": [4000 if t == 50 else 600 - 10 * t for t in labels],
                              "x": [(t * 37) % 11 / 10 for t in labels], "y": [(t * 13) % 7 / 10 for t in labels]})
    figure = map_figure(positions, 30, title="主题分布图", size_label="文档数", width=1000)
    grid = spread(positions).set_index("topic_id")
    x_range, y_range = map_ranges(grid, many=True)
    written, boxes, hovered = {}, [], set()
    for trace in figure.data:
        hovered |= set(trace.hovertext)
        for topic_label, text in zip(trace.hovertext, trace.text):
            if text:
                written[topic_label] = text
    for topic_label, text in written.items():
        assert text == topic_label  # whole, never cut to 8 characters
        row = grid[grid["label"] == topic_label].iloc[0]
        px, py = to_pixels((row["x"], row["y"]), x_range, y_range, width=1000, height=figure.layout.height,
                           margin=MAP_MARGIN)
        half = 0.45 * MAP_FONT_PX * len(text)
        boxes.append((px - half, py, px + half, py + MAP_FONT_PX))
    assert not _overlaps(boxes)
    assert 12 <= len(written) < 51  # as many as fit, not 51 in a blot
    assert {"真的·知道·没有", labels[30]} <= set(written)  # the largest and the chosen topic always
    assert hovered == set(labels.values())  # every topic on hover


def test_intertopic_map_keeps_labels_off_other_bubbles_where_topics_pile_up():
    # the map of ten topics of THUCNews titles, as MDS placed them (six piled up in the middle)
    labels = ["基金·反弹·期货", "组图·结婚·亮相", "男子·女子·司机", "中国·公司·收购", "火箭·皇马·巴萨",
              "高考·考研·招生", "游戏·网游·玩家", "总统·美国·死亡", "均价·开盘·别墅", "佳能·尼康·索尼"]
    xy = [(0.0, 0.0), (0.006, -0.019), (-0.043, -0.031), (0.104, 0.14), (-0.037, -0.186), (0.099, -0.07),
          (0.024, -0.069), (-0.114, 0.858), (-0.713, -0.363), (0.674, -0.259)]
    positions = pd.DataFrame({"topic_id": range(10), "label": labels,
                              "size": [1697, 1190, 1129, 1107, 970, 932, 865, 818, 808, 484],
                              "x": [p[0] for p in xy], "y": [p[1] for p in xy]})
    chosen = 0  # the first row: the orange trace would come first and other bubbles cover its label
    figure = map_figure(positions, chosen, title="主题分布图", size_label="文档数", width=500)
    assert list(figure.data[-1].hovertext) == [labels[chosen]]  # drawn last: nothing covers its label
    written = {label: text for trace in figure.data for label, text in zip(trace.hovertext, trace.text) if text}
    assert written[labels[chosen]] == labels[chosen]
    assert {labels[7], labels[8], labels[9]} <= set(written)  # the topics with room around them
    x_range, y_range = map_ranges(positions, many=False, width=500)
    pixels = {row.label: to_pixels((row.x, row.y), x_range, y_range, width=500, height=figure.layout.height,
                                   margin=MAP_MARGIN) for row in positions.itertuples()}
    for label in set(written) - {labels[chosen]}:
        px, py = pixels[label]
        half = 0.45 * MAP_FONT_PX * len(label)
        box = (px - half, py, px + half, py + 2 * MAP_FONT_PX)  # just above its own bubble's centre
        hidden_by = [other for other, (ox, oy) in pixels.items()
                     if other != label and box[0] < ox < box[2] and box[1] < oy < box[3]]
        assert not hidden_by, (label, hidden_by)


def test_compare_gives_topics_whose_cut_labels_read_the_same_a_row_each():
    """Bug hunt h47 #1: two long labels that differ only past the axis cut shared one row."""
    long = "关于新冠肺炎疫情期间口罩价格上涨与囤积现象的讨论之"
    labels = {6: long + "二", 9: long + "一", 1: "直播·带货·国货"}
    shares = pd.DataFrame([{"side": side, "topic_id": t, "documents": n, "share": n / 10}
                           for side, counts in (("A", (5, 3, 2)), ("B", (1, 2, 7))) for t, n in zip(labels, counts)])
    figure, changes = topic_changes_figure(shares, labels, title="各主题占比", sides=["A", "B"])
    rows = list(figure.layout.yaxis.categoryarray)
    assert len(rows) == len(set(rows)) == 3
    for trace in figure.data:  # each side's bars: one on each topic's row, hovered by its full label
        assert len(set(trace.y)) == 3 and set(trace.hovertext) == {plot_text(label) for label in labels.values()}
