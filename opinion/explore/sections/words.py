"""Words: keywords by group, the co-occurrence network, word clouds and candidate new words.

Everything is computed on demand from the stored tokens (:mod:`opinion.words`), cached per
workspace state, and shown in the reader's script. Keywords and clouds of periods use the
workspace's period (:attr:`ExploreStore.period`, as ``opinion export``) and read the word counts that ``opinion export`` kept in ``WS/words/``
(:mod:`opinion.words.store`); the page itself never writes to the workspace.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from opinion import schema as S
from opinion.explore.data import ExploreStore
from opinion.explore.text import SCRIPT_NAMES, escape_markdown, render_label, render_theme
from opinion.explore.widgets import cached, choice, has_dates, missing, plotly_chart, table, tr
from opinion.report.display import topic_names
from opinion.words.network_chart import network_figure

GROUPINGS = {"period": "drill.period", "source": "drill.source", "topic": "topics.topic",
             "theme": "drill.theme"}  # grouping -> the message naming it


@st.cache_data(max_entries=32, show_spinner=False)
def _keywords(root: str, stamp: str, by: str, period: str | None,  # noqa: ARG001 - stamp keys the cache
              exclude: tuple[str, ...] = (), everyday: bool = False, script: str = "zh-Hans") -> pd.DataFrame:
    """Keywords with words in ``script``, counted as shown (想象 and 想像 are one 想像 in zh-Hant-TW)."""
    from opinion.words.keywords import KeywordSettings, keywords

    settings = KeywordSettings(period=period, exclude=exclude, everyday_words=everyday)
    return keywords(root, by=by, settings=settings, script=script, save=False)


@st.cache_data(max_entries=32, show_spinner=False)
def _frequencies(root: str, stamp: str, by: str | None, period: str | None,  # noqa: ARG001
                 exclude: tuple[str, ...] = (), everyday: bool = False) -> dict[str, pd.Series]:
    from opinion.words.cloud import group_frequencies

    return group_frequencies(root, by=by, period=period, save=False, exclude=exclude, everyday_words=everyday)


@st.cache_data(max_entries=64, show_spinner=False)
def _cloud_png(root: str, stamp: str, by: str | None, period: str | None, group: str, script: str,
               exclude: tuple[str, ...] = (), everyday: bool = False) -> bytes:
    from opinion.words.cloud import png_bytes, word_cloud

    counts = _frequencies(root, stamp, by, period, exclude, everyday)[group]
    return png_bytes(word_cloud(counts.to_dict(), script=script))


@st.cache_data(max_entries=16, show_spinner=False)
def _network(root: str, stamp: str, top: int, theme: str | None, topic: int | None,  # noqa: ARG001
             period: str | None, unit: str, script: str, exclude: tuple[str, ...] = (),
             everyday: bool = False) -> Any:
    from opinion.words.network import NetworkSettings, cooccurrence_network

    settings = NetworkSettings(top=top, period=unit, exclude=exclude, everyday_words=everyday)
    return cooccurrence_network(root, settings=settings,
                                theme=theme, topic=topic,
                                period=period, script=script)


def render_words(store: ExploreStore, *, script: str, key: str = "words") -> None:
    """One view at a time: keywords of each group, the co-occurrence network, word clouds, new words.

    Example: Keywords by Period shows, week by week, the words used more than in the other
    weeks (钻石公主号 in mid-February, 境外输入 in March).
    """
    if missing(store, S.PREPARED, script=script):
        return
    root, stamp = str(store.root), store.stamp
    views = {"Keywords": (_render_keywords, "words.keywords"), "Network": (_render_network, "words.network"),
             "Word cloud": (_render_cloud, "words.cloud"), "New words": (_render_new_words, "words.new_words")}
    # a radio, not tabs: Streamlit runs every tab's body, and only the chosen view should count words
    view = choice(st.radio, tr("words.view", script), list(views), horizontal=True, key=f"{key}_view",
                  label_visibility="collapsed", format_func=lambda v: tr(views[v][1], script))
    exclude: tuple[str, ...] = ()
    everyday = False
    if view != "New words":  # the same list as `opinion keywords|network|wordcloud --exclude`
        from opinion.words.groups import excluded_words

        left, right = st.columns([3, 1], vertical_alignment="bottom")
        typed = left.text_input(tr("words.exclude", script), key=f"{key}_exclude",
                                placeholder=tr("words.exclude_example", script))
        everyday = right.checkbox(tr("words.everyday", script), key=f"{key}_everyday",
                                  help=tr("words.everyday_help", script))
        exclude = excluded_words([typed]) if typed else ()
    views[view or "Keywords"][0](store, root, stamp, script=script, key=key, exclude=exclude, everyday=everyday)


def _groupings(store: ExploreStore) -> list[str]:
    return [g for g in GROUPINGS if g != "topic" or store.has(S.TOPIC_DOCS)]


def _first_grouping(store: ExploreStore, groupings: list[str]) -> str:
    """The grouping keywords open on: periods when documents have dates, else sources when there
    are two or more, else topics (keywords need two groups to compare)."""
    if has_dates(store):
        return "period"
    if len(cached(store, "filter_options")["sources"]) >= 2 or "topic" not in groupings:
        return "source"
    return "topic"


def _render_keywords(store: ExploreStore, root: str, stamp: str, *, script: str, key: str,
                     exclude: tuple[str, ...] = (), everyday: bool = False) -> None:
    groupings = _groupings(store)
    by = choice(st.radio, tr("words.keywords_of", script), groupings, horizontal=True, key=f"{key}_kw_by",
                index=groupings.index(_first_grouping(store, groupings)),
                format_func=lambda g: tr(GROUPINGS[g], script))
    st.caption(tr("words.keywords_note", script))
    with st.spinner(tr("words.counting", script)):
        found = _keywords(root, stamp, by, store.period, exclude, everyday, script)
    if found.empty:
        st.info(tr("words.no_keywords", script))
        return
    # words come in the reader's script; so do topic and theme names (keywords renders them)
    shown = found if script == "zh-Hans" or by in ("topic", "theme") else found.assign(
        group=found["group"].map(lambda g: render_label(str(g), script)))
    grid = shown[shown["rank"] <= 10].pivot(index="rank", columns="group", values="word").fillna("")
    st.dataframe(grid.rename_axis(index=tr("column.rank", script)), key=f"{key}_kw_grid")  # 名次, not rank
    table(shown, name=f"keywords_by_{by}", key=f"{key}_kw", script=script, rendered=True, height=300,
          column_config=_occurrences(script))


def _render_network(store: ExploreStore, root: str, stamp: str, *, script: str, key: str,
                    exclude: tuple[str, ...] = (), everyday: bool = False) -> None:
    cols = st.columns([1, 1, 1, 1])
    top = cols[0].slider(tr("words.words", script), min_value=20, max_value=150, value=60, step=10, key=f"{key}_net_top")
    every = tr("all", script)
    theme = choice(cols[1].selectbox, tr("drill.theme", script), [None, *store.theme_names], key=f"{key}_net_theme",
                   format_func=lambda t: every if t is None else render_theme(t, script))
    topics = _topic_choices(store)
    topic = choice(cols[2].selectbox, tr("topics.topic", script), [None, *topics], key=f"{key}_net_topic",
                   format_func=lambda t: every if t is None else render_label(topics[t], script))
    periods = [str(p)[:10] for p in store.per_period()["period"]] if store.has(S.CORPUS) else []
    period = choice(cols[3].selectbox, tr("words.period", script, unit=tr(f"unit.{store.period}", script)),
                    [None, *periods], key=f"{key}_net_period", format_func=lambda p: p or every)
    try:
        with st.spinner(tr("words.building", script)):
            net = _network(root, stamp, int(top), theme, topic, period, store.period, script, exclude, everyday)
    except Exception as exc:  # an empty selection is a user situation, not a crash
        from opinion.errors import OpinionError

        if not isinstance(exc, OpinionError):
            raise
        st.info(str(exc))
        return
    figure = network_figure(net, community=tr("words.community", script), docs=lambda n: tr("words.docs", script, n=n))
    plotly_chart(figure, key=f"{key}_net_chart")
    labelled = sum(1 for trace in figure.data[1:] for label in trace.text if label)
    st.caption(tr("words.network_note", script, nodes=len(net.nodes), edges=len(net.edges),
                  communities=net.nodes["community"].nunique(), documents=net.documents)
               + " " + tr("words.labels_note", script, labelled=labelled, nodes=len(net.nodes)))
    _network_downloads(net, key=key)
    edges = net.edges.drop(columns=["source", "target"]).rename(columns={"source_label": "word_a",
                                                                         "target_label": "word_b"})
    table(edges, name="network_edges", key=f"{key}_net_edges", script=script, rendered=True, height=240)


def _topic_choices(store: ExploreStore) -> dict[int, str]:
    if not store.has(S.TOPICS):
        return {}
    topics = store.topics()
    return topic_names(topics)


def _network_downloads(net: Any, *, key: str) -> None:
    import io

    import networkx as nx

    def export(write) -> bytes:
        buffer = io.BytesIO()
        write(net.graph, buffer)
        return buffer.getvalue()

    name = f"network_{net.doc_filter.slug()}"
    row = st.container(horizontal=True)
    row.download_button("GEXF (Gephi)", data=lambda: export(nx.write_gexf), file_name=f"{name}.gexf",
                        mime="application/xml", key=f"{key}_net_gexf", icon=":material/download:")
    row.download_button("GraphML", data=lambda: export(nx.write_graphml), file_name=f"{name}.graphml",
                        mime="application/xml", key=f"{key}_net_graphml", icon=":material/download:")


def _render_cloud(store: ExploreStore, root: str, stamp: str, *, script: str, key: str,
                  exclude: tuple[str, ...] = (), everyday: bool = False) -> None:
    from opinion.words.cloud import MissingFontError

    choices = [None, *[g for g in _groupings(store) if g != "source"]]
    by = choice(st.radio, tr("words.cloud_for", script), choices, horizontal=True, key=f"{key}_cloud_by",
                format_func=lambda g: tr("words.all_documents" if g is None else GROUPINGS[g], script))
    period = store.period  # the export's: the counts `opinion export` kept are read
    with st.spinner(tr("words.counting", script)):
        groups = sorted(_frequencies(root, stamp, by, period, exclude, everyday))
    if not groups:
        st.info(tr("words.no_words", script))
        return
    shown = render_theme if by == "theme" else render_label  # a theme as its file wrote it, in either script
    group = choice(st.selectbox, tr("words.group", script), groups, key=f"{key}_cloud_group",
                   format_func=lambda g: shown(g, script)) if by is not None else groups[0]
    try:
        with st.spinner(tr("words.drawing", script)):
            png = _cloud_png(root, stamp, by, period, group, script, exclude, everyday)
    except MissingFontError as exc:
        st.error(str(exc))
        return
    shown_group = tr("words.all_documents", script) if by is None else shown(group, script)  # not "all"
    st.image(png, caption=tr("words.cloud_caption", script, group=escape_markdown(shown_group),  # read as Markdown
                             shown_in=SCRIPT_NAMES[script]))
    st.download_button("PNG", data=png, file_name=f"wordcloud_{group}_{script}.png", mime="image/png",
                       key=f"{key}_cloud_png", icon=":material/download:")


def _render_new_words(store: ExploreStore, root: str, stamp: str, *, script: str, key: str,  # noqa: ARG001
                      exclude: tuple[str, ...] = (), everyday: bool = False,  # noqa: ARG001
                      ) -> None:  # new words list candidates, not a view: nothing is left out
    from opinion.words.newwords import NEWWORDS_TABLE

    path = store.root / f"{NEWWORDS_TABLE}.parquet"
    if not path.exists():
        st.info(tr("words.no_new_words", script, root=store.root))
        return
    from opinion.explore.text import render

    found = pd.read_parquet(path)
    columns = ["rank", "word", "count", "docs", "cohesion", "dependence", "left_entropy", "right_entropy", "jieba_cut",
               "example_1"]
    shown = found[[c for c in columns if c in found.columns]].copy()
    for column in ("word", "jieba_cut", "example_1"):
        shown[column] = [render(v, script) if isinstance(v, str) else "" for v in shown[column]]
    st.caption(tr("words.new_words_note", script))
    table(shown, name="newwords", key=f"{key}_new", script=script, rendered=True, height=420,
          column_config=_occurrences(script))


def _occurrences(script: str) -> dict[str, Any]:
    """Words' ``count`` is of occurrences, not of documents as in the other tables."""
    return {"count": st.column_config.NumberColumn(tr("column.occurrences", script))}
