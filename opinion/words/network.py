"""Co-occurrence (semantic) networks of the top words, with communities, for Gephi.

Nodes are the ``top`` words by **document frequency** among the chosen documents (a theme, a
topic and/or a period; words of at least two characters, numbers, hashtags and ``[捂脸]``
emoticons left out, as for keywords), ties by the Simplified word in every script. Two words
co-occur when they appear in the same document (a post is short: the document is the window).
Each edge carries

- ``cooccurrence``: documents holding both words;
- ``weight`` = the **Jaccard coefficient** ``co / (df_a + df_b − co)`` (KH Coder's default
  measure): the share of the documents with either word that hold both. It is not pulled
  up by two very frequent words the way a raw count is, nor by two rare ones the way PMI is;
- ``pmi``: ``log2(co · D / (df_a · df_b))`` for reference.

Only edges with at least ``min_cooccurrence`` documents are candidates; of those each word
keeps its ``per_word`` (3) strongest, and at most ``edges`` (default: twice the number of
words) are drawn: every word's best edge first, then the strongest of the rest. A global
top-N by weight would spend the edges on a few tight clusters (templated posts repeat the
same words) and cut most words off; this keeps the drawing readable and every word in it.
Words without any candidate edge are dropped. Communities are Louvain's
(``networkx.community.louvain_communities`` with a fixed ``seed``), numbered by size.
:func:`write_network` writes GEXF and GraphML (Gephi opens both) and CSV node and edge
lists; node ids are the Simplified words, labels are in the reader's script. Words a reader
sees alike are one node (想象 and 想像 are 想像 in zh-Hant-TW: :class:`Shown`).

Example:
    >>> net = cooccurrence_network("runs/weibo", settings=NetworkSettings(top=100), theme="信任")  # doctest: +SKIP
    >>> write_network(net, "report/network")  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from opinion.errors import InputError
from opinion.io.workspace import Workspace
from opinion.text.script import HANS
from opinion.words.groups import (
    DocFilter,
    PartTokens,
    choose_workspace_period,
    excluded_forms,
    group_tokens,
    named_filter,
    shown_words,
    top_words,
    without_words,
)

NODE_COLUMNS = ["id", "label", "doc_freq", "community", "degree"]
EDGE_COLUMNS = ["source", "target", "source_label", "target_label", "cooccurrence", "weight", "pmi"]


@dataclass(frozen=True)
class NetworkSettings:
    """Settings of ``opinion network`` (defaults written once; the CLI falls back to them).

    ``top`` words, ``edges`` kept (None: ``2 × top``) from each word's ``per_word`` strongest,
    ``min_cooccurrence`` documents per edge, words of at least ``min_length`` characters, ``seed`` of the community search,
    ``resolution`` of Louvain (higher: more, smaller communities), ``period`` unit for
    ``--period`` filters, ``include_duplicates`` to count exact and near-duplicate posts and
    spam too, ``exclude``
    words never made nodes (Simplified, :func:`opinion.words.groups.excluded_words`),
    ``everyday_words`` to let everyday words (没有, 真的 …: left out by default) be nodes too,
    ``emoticons`` to let ``[捂脸]`` emoticon tokens be nodes.
    """

    top: int = 100
    edges: int | None = None
    per_word: int = 3
    min_cooccurrence: int = 3
    min_length: int = 2
    seed: int = 42
    resolution: float = 1.0
    period: str | None = None
    include_duplicates: bool = False
    exclude: tuple[str, ...] = ()
    everyday_words: bool = False
    emoticons: bool = False

    def __post_init__(self) -> None:
        if self.top < 2 or (self.edges is not None and self.edges < 1) or self.min_cooccurrence < 1:
            raise InputError(f"--top must be at least 2, --edges and --min-cooccurrence at least 1; "
                             f"got {self.top}, {self.edges}, {self.min_cooccurrence}")

    @property
    def max_edges(self) -> int:
        return self.edges if self.edges is not None else 2 * self.top


@dataclass
class Network:
    """A co-occurrence network: node and edge tables and the networkx graph."""

    nodes: pd.DataFrame  # NODE_COLUMNS
    edges: pd.DataFrame  # EDGE_COLUMNS
    graph: Any  # networkx.Graph
    documents: int
    doc_filter: DocFilter = field(default_factory=DocFilter)
    drawn: int = 0  # words drawn as candidates (at most ``top``); those with no edge are not nodes


@dataclass
class Shown:
    """The reader's script and the form it shows each Simplified word in, filled as tokens are
    read: in zh-Hant-TW 想象 and 想像 are both 想像, so one node (with one label) rather than two."""

    script: str
    forms: dict[str, str] = field(default_factory=dict)

    def kept(self, frequencies: pd.Series, settings: NetworkSettings) -> pd.Series:
        """``frequencies`` without the excluded words (and everyday ones unless asked)."""
        if self.script == HANS:
            return frequencies[without_words(frequencies.index.to_series(), settings.exclude,
                                             everyday=settings.everyday_words)]
        gone = excluded_forms(self.forms, settings.exclude, everyday=settings.everyday_words)
        return frequencies[~frequencies.index.isin(list(gone))]

    def ids(self, words: list[str]) -> list[str]:
        """Node ids of shown ``words``: Simplified, the first (by code point) word shown so."""
        if self.script == HANS:
            return words
        first: dict[str, str] = {}
        for word, form in self.forms.items():
            first[form] = min(first.get(form, word), word)
        return [first[w] for w in words]


def _document_frequencies(ws: Workspace, settings: NetworkSettings, doc_filter: DocFilter,
                          shown: Shown) -> tuple[pd.Series, int]:
    """Documents holding each word, and the number of documents, over the chosen documents."""
    import pyarrow as pa

    tables, documents = [], 0
    for chunk in _chunks(ws, settings, doc_filter, shown):
        documents += chunk.documents
        pairs = pa.table({"doc": chunk.doc, "word": chunk.words}).group_by(["doc", "word"]).aggregate([])
        tables.append(pairs.group_by("word").aggregate([("doc", "count")]))
    if not tables:
        return pd.Series(dtype="int64"), 0
    merged = pa.concat_tables(tables).group_by("word").aggregate([("doc_count", "sum")]).to_pandas()
    return merged.set_index("word")["doc_count_sum"].astype("int64"), documents


def _chunks(ws: Workspace, settings: NetworkSettings, doc_filter: DocFilter, shown: Shown) -> Iterator[PartTokens]:
    """The chosen documents' tokens, as the reader's script shows them (words shown alike are one)."""
    for chunk in group_tokens(ws, by=None, period=settings.period, doc_filter=doc_filter,
                              include_duplicates=settings.include_duplicates, min_length=settings.min_length,
                              emoticons=settings.emoticons):
        if shown.script != HANS:
            chunk.words = shown_words(chunk.words, shown.script, shown.forms)
        yield chunk


def _cooccurrence(ws: Workspace, settings: NetworkSettings, doc_filter: DocFilter, vocabulary: list[str],
                  shown: Shown) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Documents holding both words, for every pair of ``vocabulary`` that shares one: indices
    ``a < b`` into ``vocabulary`` and the counts. Kept sparse: a dense square matrix of a
    ``--top 100000`` (every word of 2,515 posts, 14,653 words) needed 1.6 GB per part, 4.5 GB in all."""
    import pyarrow as pa
    import pyarrow.compute as pc
    from scipy import sparse

    index = pa.array(vocabulary, type=pa.string())
    size = len(vocabulary)
    matrix = sparse.csr_matrix((size, size), dtype=np.int64)
    for chunk in _chunks(ws, settings, doc_filter, shown):
        column = pc.fill_null(pc.index_in(chunk.words, value_set=index), -1).to_numpy()
        known = column >= 0
        rows, cols = chunk.doc[known], column[known].astype(np.int64)
        if not len(rows):
            continue
        docs = sparse.csr_matrix((np.ones(len(rows), dtype=np.int64), (rows, cols)),
                                 shape=(int(rows.max()) + 1, size))
        docs.data[:] = 1  # presence in the document, not the number of times
        matrix = matrix + sparse.triu(docs.T @ docs, k=1, format="csr")
    pairs = matrix.tocoo()
    order = np.lexsort((pairs.col, pairs.row))  # pairs in the order of the word ranks
    return pairs.row[order].astype(np.int64), pairs.col[order].astype(np.int64), pairs.data[order]


def strongest_edges(edges: pd.DataFrame, *, per_word: int, limit: int) -> pd.DataFrame:
    """The edges to draw: each word's ``per_word`` strongest edges (so no word is cut off by a
    few tight clusters), at most ``limit`` in all; each word's best edge is kept first, then
    the strongest of the rest. Sorted by weight, strongest first."""
    ranked = edges.sort_values(["weight", "cooccurrence", "source", "target"],
                               ascending=[False, False, True, True]).reset_index(drop=True)
    ends = pd.DataFrame({"word": pd.concat([ranked["source"], ranked["target"]], ignore_index=True),
                         "edge": np.tile(ranked.index.to_numpy(), 2)}).sort_values("edge", kind="stable")
    ends["rank"] = ends.groupby("word").cumcount()  # 0 = the word's strongest edge
    best = ends.groupby("edge")["rank"].min().reindex(ranked.index).to_numpy()  # rank at its better end
    chosen = ranked.index[best < per_word]
    first = ranked.index[best == 0]
    rest = chosen.difference(first)
    keep = first[:limit].union(rest[:max(0, limit - len(first))])
    return ranked.loc[keep].reset_index(drop=True)


def _topic_hint(ws: Workspace, topic: int | None) -> str:
    """Why ``--topic`` has no documents, when it is not one of the workspace's topics after its
    edits: ``" (topic 1 was merged into topic 0 (opinion topics edit); …)"``, ``" (topic 7 was
    dropped …)"`` or ``" (no topic 99: its topics are 0–14 …)"``; ``""`` for a current topic."""
    from opinion import schema as S
    from opinion.words.groups import edited_topics

    if topic is None or not ws.has(S.TOPICS):
        return ""
    labels, mapping = edited_topics(ws)  # ids after `opinion topics edit`, as the filter uses
    ids = sorted(t for t in labels if t >= 0)
    if topic in ids or not ids:
        return ""
    went = mapping.get(topic, topic)
    if went != topic and went >= 0:
        return f" (topic {topic} was merged into topic {went} (opinion topics edit); use --topic {went})"
    if went != topic:
        return f" (topic {topic} was dropped by opinion topics edit: its documents are outliers, --topic {went})"
    contiguous = ids == list(range(ids[0], ids[-1] + 1))
    shown = f"{ids[0]}–{ids[-1]}" if contiguous else ", ".join(map(str, ids[:30])) + (" …" if len(ids) > 30 else "")
    return f" (no topic {topic}: its topics are {shown}; `opinion topics -w {ws.root}` lists them)"


def cooccurrence_network(ws: Workspace | str | Path, *, settings: NetworkSettings | None = None,
                         theme: str | None = None, topic: int | None = None, period: str | None = None,
                         script: str = "zh-Hans") -> Network:
    """The co-occurrence network of the chosen documents (see the module docstring).

    ``period`` is a period's first day (``2020-02-03``), in units of ``settings.period``.
    """
    import networkx as nx

    from opinion.engine.runner import require_finished
    from opinion.schema import PREPARED
    from opinion.text.script import check_target

    check_target(script)
    settings = settings or NetworkSettings()
    ws = ws if isinstance(ws, Workspace) else Workspace.open(ws)
    require_finished(ws, PREPARED)
    unit = (settings.period or choose_workspace_period(ws)) if period else None  # named: a month is not a day
    doc_filter = named_filter(ws, DocFilter(theme=theme, topic=topic, period=period, unit=unit))
    shown = Shown(script)
    frequencies, documents = _document_frequencies(ws, settings, doc_filter, shown)
    frequencies = shown.kept(frequencies, settings)
    if frequencies.empty:
        what = ("no document left once duplicates, near-duplicates and spam are left out" if not documents
                else f"no word to draw in its {documents:,} document(s) (one-character words, numbers, "
                     "hashtags, emoticons, stopwords and excluded words are left out)")
        raise InputError(f"no network of the chosen documents ({doc_filter.slug()}) of {ws.root}: {what}; "
                         f"choose another --theme, --topic or --period{_topic_hint(ws, topic)}")
    ids = shown.ids(frequencies.index.tolist())  # Simplified: ties go alike in every script
    labels = dict(zip(ids, frequencies.index))
    top = top_words(frequencies.set_axis(ids), settings.top)
    vocabulary = top.index.tolist()
    a, b, both = _cooccurrence(ws, settings, doc_filter, [labels[w] for w in vocabulary], shown)
    df = top.to_numpy(dtype=float)
    keep = both >= settings.min_cooccurrence
    if not keep.any():
        raise InputError(f"is {settings.min_cooccurrence}, but no two of the top {len(vocabulary)} words share "
                         f"that many of the {documents:,} chosen documents ({doc_filter.slug()}; the most two "
                         f"share is {int(both.max(initial=0))}); give a lower value or choose more documents",
                         param="min_cooccurrence")
    a, b, both = a[keep], b[keep], both[keep].astype(float)
    edges = pd.DataFrame({
        "source": np.asarray(vocabulary, dtype=object)[a], "target": np.asarray(vocabulary, dtype=object)[b],
        "cooccurrence": both.astype(int), "weight": np.round(both / (df[a] + df[b] - both), 4),
        "pmi": np.round(np.log2(both * documents / (df[a] * df[b])), 3),
    })
    edges = strongest_edges(edges, per_word=settings.per_word, limit=settings.max_edges)
    graph = nx.Graph()
    graph.add_weighted_edges_from(edges[["source", "target", "weight"]].itertuples(index=False))
    communities = sorted(nx.community.louvain_communities(graph, weight="weight", seed=settings.seed,
                                                          resolution=settings.resolution),
                         key=lambda c: (-len(c), min(c))) if graph.number_of_nodes() else []
    community = {word: i for i, members in enumerate(communities) for word in members}
    words = sorted(graph.nodes, key=lambda w: (-int(top[w]), w))
    nodes = pd.DataFrame({"id": words, "label": [labels[w] for w in words],
                          "doc_freq": [int(top[w]) for w in words],
                          "community": [community[w] for w in words],
                          "degree": [graph.degree(w) for w in words]}, columns=NODE_COLUMNS)
    edges["source_label"] = edges["source"].map(labels)
    edges["target_label"] = edges["target"].map(labels)
    for row in nodes.itertuples(index=False):
        graph.nodes[row.id].update(label=row.label, doc_freq=row.doc_freq, community=row.community)
    for row in edges.itertuples(index=False):
        graph.edges[row.source, row.target].update(cooccurrence=int(row.cooccurrence), pmi=float(row.pmi))
    return Network(nodes=nodes, edges=edges[EDGE_COLUMNS], graph=graph, documents=documents,
                   doc_filter=doc_filter, drawn=len(top))


def write_network(network: Network, out: str | Path, *, name: str = "network") -> list[Path]:
    """Write ``name.gexf``, ``name.graphml``, ``name_nodes.csv`` and ``name_edges.csv`` into
    the folder ``out``, atomically; CSV cells are made spreadsheet-safe."""
    import networkx as nx

    from opinion.io.atomic import atomic_path
    from opinion.io.csv_writer import write_csv

    out = Path(out)
    if out.exists() and not out.is_dir():
        raise InputError(f"--out {out}: is a file; give a folder for the network files")
    written = []
    for suffix, write in (("gexf", nx.write_gexf), ("graphml", nx.write_graphml)):
        path = out / f"{name}.{suffix}"
        with atomic_path(path) as tmp:
            write(network.graph, tmp)
        written.append(path)
    written += write_csv({f"{name}_nodes": network.nodes, f"{name}_edges": network.edges}, out)
    return written
