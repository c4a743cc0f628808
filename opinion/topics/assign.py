"""Assign every part to the fitted topics, and reduce what the topic tables need.

The fitted model becomes an :class:`Assigner`: the projection, the k-means centres, BERTopic's
topic map, the fit documents' topics and the vocabulary (plus the embedder when it learnt
from the corpus). It is sent once to each worker by :func:`opinion.engine.runner.map_assign`, which
runs two passes over the parts (corpus, prepared and the cached embeddings side by side):

1. :func:`stats_part` places the part's documents (``transform``; outliers to the nearest
   topic centre of the fit, as BERTopic's ``reduce_outliers(strategy="embeddings")``) and
   returns small aggregates in long form (table ``topic_stats``): per-topic embedding sums,
   per-topic and per-(topic, period) term counts over the fitted vocabulary, per-(topic,
   source) counts. :func:`reduce_stats` adds them up in the parent, part by part.
2. :func:`documents_part` places them again (the same code, the same result) and writes the
   part of ``topic_documents`` with ``topic_prob`` against the topic centres from every
   document and the topic labels from (1).

Example:
    >>> assigner = Assigner.from_model(model, fit_topics={"d1": 0}, period="day")  # doctest: +SKIP
    >>> stats_part(part_df, {}, assigner).query("kind == 'size'")  # doctest: +SKIP
"""

from __future__ import annotations

import collections
import dataclasses
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse

from opinion import schema as S
from opinion.io.atomic import fingerprint
from opinion.io.workspace import Workspace
from opinion.periods import period_start
from opinion.sources import source_labels
from opinion.topics import tables as T
from opinion.topics.components import has_content, normalise_rows, token_words
from opinion.topics.embed_cache import encode, one_thread, vectors_of

STATS = "topic_stats"
STATS_COLUMNS = ["kind", S.TOPIC_ID, "period", S.SOURCE, "index", "value"]
DOC_COUNTS = ("n_documents", "no_content", "outliers", "content")
UNKNOWN_SOURCE = "(未知)"


def model_topics(model: Any) -> tuple[dict[int, int], int]:
    """``(cluster → topic id, number of topics)`` of a fitted BERTopic model (its topic mapper
    after any reduction; -1 stays -1)."""
    mapping = {int(k): int(v) for k, v in model.topic_mapper_.get_mappings(original_topics=True).items()}
    return mapping, max([v for v in mapping.values() if v >= 0], default=-1) + 1


@dataclass
class Assigner:
    """Everything a worker needs to place documents in the fitted topics (picklable)."""

    projection: Any
    clusterer: Any
    mapping: dict[int, int]                 # clusterer label -> topic id (BERTopic's map)
    fit_centres: np.ndarray | None          # fit topic embeddings, when the fit had outliers
    fit_topics: dict[str, int]              # doc_id -> topic the fit gave it
    vocabulary: dict[str, int]
    n_topics: int
    period: str
    embedder: Any = None                    # only for embedders fitted on the corpus
    centres: dict[int, np.ndarray] = field(default_factory=dict)  # from every document
    labels: dict[int, str] = field(default_factory=dict)
    guide: np.ndarray | None = None         # guided fits: seed topic embeddings + the fit mean
    files: tuple[str, ...] = ()             # every input file of the corpus: source labels (opinion.sources)

    @classmethod
    def from_model(cls, model: Any, *, fit_topics: dict[str, int], period: str,
                   embedder: Any = None, guide: np.ndarray | None = None) -> Assigner:
        mapping, n_topics = model_topics(model)
        centres = np.asarray(model.topic_embeddings_)[model._outliers:] if model._outliers else None
        return cls(projection=model.umap_model, clusterer=model.hdbscan_model, mapping=mapping,
                   fit_centres=centres, fit_topics=fit_topics,
                   vocabulary={str(k): int(v) for k, v in model.vectorizer_model.vocabulary_.items()},
                   n_topics=n_topics, period=period, embedder=embedder, guide=guide)

    def placing_arrays(self) -> dict[str, np.ndarray]:
        """What placing needs beyond the saved BERTopic model: the fit's outlier centres and
        the guided anchors, when the fit had them (saved with the model, so that
        `opinion topics assign` places a document exactly as the fit did)."""
        arrays = {"fit_centres": self.fit_centres, "guide": self.guide}
        return {k: np.ascontiguousarray(v) for k, v in arrays.items() if v is not None}

    def fingerprint(self) -> str:
        """SHA-256 of what decides the assignment (the same fit gives the same value)."""
        arrays = [self.projection.mean_, self.projection.components_, self.clusterer.cluster_centers_,
                  self.clusterer.label_map_]
        if self.fit_centres is not None:
            arrays.append(self.fit_centres)
        if self.guide is not None:
            arrays.append(self.guide)
        centres = {str(t): c.tolist() for t, c in sorted(self.centres.items())}
        return fingerprint({
            "arrays": [np.ascontiguousarray(a).tobytes().hex() for a in arrays],
            "mapping": sorted(self.mapping.items()), "fit_topics": sorted(self.fit_topics.items()),
            "vocabulary": len(self.vocabulary), "period": self.period, "centres": centres,
            "labels": sorted(self.labels.items()), "stats": 3,  # 2: document frequencies; 3: source labels
            "files": list(self.files),
            "embedder": None if self.embedder is None else type(self.embedder).__name__,
        })

    # -- placing documents -------------------------------------------------------------------
    def reassign(self, original: np.ndarray, embeddings: np.ndarray, empty: np.ndarray) -> np.ndarray:
        """Outliers with content go to the most similar fit topic centre (cosine > 0)."""
        from sklearn.metrics.pairwise import cosine_similarity

        if self.n_topics == 0:  # every cluster of the fit was an outlier: nothing to place in
            self.require_topics(embeddings[~empty])
        final = original.copy()
        outliers = np.flatnonzero((original == -1) & ~empty)
        if outliers.size and self.fit_centres is not None:
            similarity = cosine_similarity(embeddings[outliers], self.fit_centres)
            similarity[similarity < 0] = 0
            best = np.argmax(similarity, axis=1)
            final[outliers] = np.where(similarity.sum(axis=1) > 0, best, -1)
        return final

    def require_topics(self, embeddings: np.ndarray) -> None:
        """Raise :class:`~opinion.topics.settings.TooFewDocumentsError` when the fit of these
        ``embeddings`` (its documents with content) left no topic: every k-means cluster was
        smaller than ``min_topic_size``. Before 2026-12-08 scikit-learn failed on the empty
        centres ("Found array with 0 sample(s)"), e.g. ``--min-topic-size 30`` on 75 documents:
        ``every one of the 12 clusters of 75 documents is smaller than min_topic_size 30 (the
        largest has 11)``."""
        from opinion.topics.settings import TooFewDocumentsError

        if self.n_topics:
            return
        centres = np.asarray(self.clusterer.cluster_centers_, dtype=np.float32)
        points = self.projection.transform(guided(embeddings, self.guide)).astype(np.float32)
        nearest = ((centres ** 2).sum(axis=1)[None, :] - 2 * points @ centres.T).argmin(axis=1)
        largest = int(np.bincount(nearest, minlength=len(centres)).max()) if len(points) else 0
        need = int(self.clusterer.min_size)
        raise TooFewDocumentsError(
            f"every one of the {len(centres):,} clusters of {len(points):,} documents is smaller than "
            f"min_topic_size {need} (the largest has {largest}); lower min_topic_size "
            "(`--min-topic-size`) or nr_topics (`--nr-topics`)", unit="documents", have=largest, needed=need)

    def place(self, frame: pd.DataFrame, *, words: bool = True) -> Placed:
        """Topic of every document of a part: before and after outlier reassignment (with
        ``words=False`` the counted words are left out, for when only topics are needed)."""
        tokens = [t if t is not None else [] for t in frame[S.TOKENS]]
        has_terms, words_ = document_words(tokens) if words else (has_topic_terms(tokens), [])
        if self.embedder is None:
            embeddings = vectors_of(frame)
        else:
            embeddings = encode(self.embedder, [list(t) for t in tokens],
                                frame[S.TEXT_NORM].fillna("").tolist())
        empty = ~has_terms | (np.linalg.norm(embeddings, axis=1) == 0)
        original = np.full(len(frame), -1, dtype=np.int64)
        fitted = frame[S.DOC_ID].map(self.fit_topics)
        known = fitted.notna().to_numpy() & ~empty
        original[known] = fitted[known].astype(np.int64)
        rest = np.flatnonzero(~known & ~empty)
        if rest.size:
            raw = self.clusterer.predict(self.projection.transform(guided(embeddings[rest], self.guide)))
            original[rest] = [self.mapping.get(int(r), -1) for r in raw]
        return Placed(words_, embeddings, empty, original, self.reassign(original, embeddings, empty))


def guide_anchors(model: Any, embeddings: np.ndarray) -> np.ndarray | None:
    """The anchors of BERTopic's guided modelling (``_guided_topic_modeling``): the seed
    topics' embeddings and, last, the mean of the fit ``embeddings``; None when not guided."""
    if not getattr(model, "seed_topic_list", None):
        return None
    seeds = model._extract_embeddings([" ".join(s) for s in model.seed_topic_list], verbose=False)
    return np.vstack([seeds, embeddings.mean(axis=0)])


def guided(embeddings: np.ndarray, anchors: np.ndarray | None) -> np.ndarray:
    """The embeddings the guided fit clustered: each one nearer (cosine) to a seed topic than
    to the fit mean is moved a quarter of the way to that seed, as BERTopic's
    ``_guided_topic_modeling`` does before the projection and k-means. Placing a document
    with the same step gives a fit document the topic the fit gave it (without it, 118 of
    2,000 fit documents of a guided tfidf fit moved, 2026-12-07)."""
    if anchors is None or not len(embeddings):
        return embeddings
    from sklearn.metrics.pairwise import cosine_similarity

    nearest = cosine_similarity(embeddings, anchors).argmax(axis=1)
    seeded = nearest < len(anchors) - 1
    out = embeddings.copy()
    out[seeded] = embeddings[seeded] * 0.75 + anchors[nearest[seeded]] * 0.25
    return out


def document_words(tokens: list) -> tuple[np.ndarray, list[list[str]]]:
    """Per document: whether it has topic terms, and the words the vectorizer counts.

    The same as ``split_terms(" ".join(topic_terms(t)))``, decided once per distinct token.
    """
    has = has_topic_terms(tokens)  # a bare repost (转发微博) has none, as topic_terms gives it none
    return has, [[w for token in doc for w in token_words(token)] if h else [] for doc, h in zip(tokens, has)]


def has_topic_terms(tokens: list) -> np.ndarray:
    """Per document: whether any token survives :func:`topic_terms` (cheaper than the words)."""
    return np.array([any(has_content(token) for token in doc) for doc in tokens], dtype=bool)


def count_matrix(words: list[list[str]], vocabulary: dict[str, int]) -> sparse.csr_matrix:
    """Documents × vocabulary term counts (words outside the vocabulary are ignored)."""
    indices: list[int] = []
    indptr = [0]
    for doc in words:
        indices.extend(j for j in map(vocabulary.get, doc) if j is not None)
        indptr.append(len(indices))
    matrix = sparse.csr_matrix((np.ones(len(indices)), np.asarray(indices, dtype=np.int64), indptr),
                               shape=(len(words), len(vocabulary)))
    matrix.sum_duplicates()
    return matrix


@dataclass
class Placed:
    """One part's documents placed in the topics."""

    words: list[list[str]]
    embeddings: np.ndarray
    empty: np.ndarray
    original: np.ndarray
    final: np.ndarray


# --- pass 1: aggregates -----------------------------------------------------------------------
def _long(kind: str, matrix: sparse.spmatrix, topics: np.ndarray, **keys: np.ndarray) -> pd.DataFrame:
    coo = matrix.tocoo()
    out = {"kind": kind, S.TOPIC_ID: topics[coo.row], "index": coo.col.astype(np.int64),
           "value": coo.data.astype(np.float64)}
    out.update({k: v[coo.row] for k, v in keys.items()})
    return pd.DataFrame(out)


def _binary(matrix: sparse.csr_matrix) -> sparse.csr_matrix:
    """1 where a document holds a term (document frequency instead of counts)."""
    out = matrix.copy()
    out.data[:] = 1.0
    return out


def _indicator(codes: np.ndarray, n: int) -> sparse.csr_matrix:
    return sparse.csr_matrix((np.ones(len(codes)), (codes, np.arange(len(codes)))), shape=(n, len(codes)))


def flagged(frame: pd.DataFrame) -> np.ndarray:
    """Exact or near-duplicates and spam, from whichever flag columns the frame carries."""
    out = np.zeros(len(frame), dtype=bool)
    for column in (S.DUPLICATE_OF, S.NEAR_DUPLICATE_OF):
        if column in frame.columns:
            out |= frame[column].notna().to_numpy()
    if S.IS_SPAM in frame.columns:
        out |= frame[S.IS_SPAM].fillna(False).to_numpy(bool)
    return out


def _period_pieces(frame: pd.DataFrame, final: np.ndarray, rows: np.ndarray,
                   doc_terms: sparse.csr_matrix | None, period: str) -> list[pd.DataFrame]:
    """Counts per (topic, period) of every dated document, -1 included (since 2026-12-07:
    shares are of the period's documents, as in ``topics.parquet``), and the term counts
    per (topic, period) of the documents with a topic (``doc_terms``: one row per ``rows``)."""
    starts = period_start(frame[S.PUBLISHED_AT].reset_index(drop=True), period)
    dated = np.flatnonzero(starts.notna().to_numpy())
    if not dated.size:
        return []
    pairs = pd.DataFrame({"t": final[dated], "p": starts.iloc[dated].to_numpy()})
    codes, uniques = pd.factorize(pd.MultiIndex.from_frame(pairs))
    pieces = [_long("period", sparse.csr_matrix(np.asarray(_indicator(codes, len(uniques)).sum(axis=1))),
                    uniques.get_level_values(0).to_numpy(np.int64),
                    period=uniques.get_level_values(1).to_numpy())]
    with_topic = np.flatnonzero(starts.iloc[rows].notna().to_numpy())  # positions in rows
    if doc_terms is not None and with_topic.size:
        pairs = pd.DataFrame({"t": final[rows][with_topic], "p": starts.iloc[rows[with_topic]].to_numpy()})
        codes, uniques = pd.factorize(pd.MultiIndex.from_frame(pairs))
        pieces.append(_long("period_terms", _indicator(codes, len(uniques)) @ doc_terms[with_topic],
                            uniques.get_level_values(0).to_numpy(np.int64),
                            period=uniques.get_level_values(1).to_numpy()))
    return pieces


def stats_part(frame: pd.DataFrame, settings: dict[str, Any], assigner: Assigner) -> pd.DataFrame:
    """Aggregates of one part (long form, columns :data:`STATS_COLUMNS`).

    Sizes count every document; term counts (the topic words) leave out the documents the
    frame's flag columns mark (:func:`flagged`), when it has them.
    """
    with one_thread():
        placed = assigner.place(frame)
    final, rows = placed.final, np.flatnonzero(placed.final != -1)
    counted = ~flagged(frame)[rows]
    counts = [len(frame), int(placed.empty.sum()), int(((placed.original == -1) & ~placed.empty).sum()),
              int((~placed.empty).sum())]
    pieces = [pd.DataFrame({"kind": "docs", S.TOPIC_ID: -1, "index": np.arange(len(DOC_COUNTS)),
                            "value": np.asarray(counts, dtype=np.float64)})]
    sizes = pd.Series(final).value_counts().sort_index()
    pieces.append(pd.DataFrame({"kind": "size", S.TOPIC_ID: sizes.index.to_numpy(np.int64),
                                "index": 0, "value": sizes.to_numpy(np.float64)}))
    doc_terms: sparse.csr_matrix | None = None
    if rows.size:
        topics, codes = np.unique(final[rows], return_inverse=True)
        by_topic = _indicator(codes, len(topics))
        sums = by_topic @ placed.embeddings[rows].astype(np.float64)
        pieces.append(_long("emb", sparse.coo_matrix(sums), topics))
        doc_terms = count_matrix([placed.words[i] if keep else [] for i, keep in zip(rows, counted)],
                                 assigner.vocabulary)
        pieces.append(_long("terms", by_topic @ doc_terms, topics))
        # Document frequencies (for the readable labels): over the counted documents and
        # over every document of the topic, and how many documents were counted.
        every = count_matrix([placed.words[i] for i in rows], assigner.vocabulary)
        pieces.append(_long("df", by_topic @ _binary(doc_terms), topics))
        pieces.append(_long("df_all", by_topic @ _binary(every), topics))
        pieces.append(_long("counted", sparse.csr_matrix(by_topic @ counted.astype(np.float64)[:, None]),
                            topics))
    pieces += _period_pieces(frame, final, rows, doc_terms, assigner.period)
    # Counts per (topic, source) over every document, -1 included (since 2026-12-07), sources
    # labelled as the report and the explorer label them (a file's name when there is no source)
    if S.INPUT_FILE in frame.columns:
        source = source_labels(frame, files=assigner.files or None).to_numpy()
    else:
        source = frame[S.SOURCE].fillna(UNKNOWN_SOURCE).astype(str).to_numpy()
    per_source = pd.DataFrame({S.TOPIC_ID: final, S.SOURCE: source}).value_counts().reset_index()
    pieces.append(pd.DataFrame({"kind": "source", S.TOPIC_ID: per_source[S.TOPIC_ID].to_numpy(np.int64),
                                S.SOURCE: per_source[S.SOURCE], "index": 0,
                                "value": per_source["count"].to_numpy(np.float64)}))
    out = pd.concat(pieces, ignore_index=True).reindex(columns=STATS_COLUMNS)
    out["period"] = pd.to_datetime(out["period"])
    out[S.SOURCE] = out[S.SOURCE].astype(object)
    return out.astype({S.TOPIC_ID: np.int64, "index": np.int64, "value": np.float64})


@dataclass
class Totals:
    """The aggregates of every part, added up."""

    n_topics: int
    vocabulary_size: int
    docs: collections.Counter = field(default_factory=collections.Counter)
    sizes: collections.Counter = field(default_factory=collections.Counter)
    embedding_sums: dict[int, np.ndarray] = field(default_factory=dict)
    terms: sparse.csr_matrix | None = None
    df: sparse.csr_matrix | None = None       # counted documents holding each term, per topic
    df_all: sparse.csr_matrix | None = None   # every document holding each term, per topic
    counted: collections.Counter = field(default_factory=collections.Counter)
    period_sizes: collections.Counter = field(default_factory=collections.Counter)
    period_terms: dict[pd.Timestamp, sparse.csr_matrix] = field(default_factory=dict)
    sources: collections.Counter = field(default_factory=collections.Counter)

    def add(self, stats: pd.DataFrame) -> None:
        shape = (self.n_topics, self.vocabulary_size)
        for kind, group in stats.groupby("kind", sort=False):
            topics, index, value = (group[S.TOPIC_ID].to_numpy(), group["index"].to_numpy(),
                                    group["value"].to_numpy())
            if kind == "docs":
                self.docs.update({DOC_COUNTS[i]: int(v) for i, v in zip(index, value)})
            elif kind == "size":
                self.sizes.update({int(t): int(v) for t, v in zip(topics, value)})
            elif kind == "emb":
                for topic, rows in group.groupby(S.TOPIC_ID).indices.items():
                    dense = np.zeros(int(index.max()) + 1)
                    dense[index[rows]] = value[rows]
                    old = self.embedding_sums.get(int(topic))
                    self.embedding_sums[int(topic)] = dense if old is None else old + dense
            elif kind in ("terms", "df", "df_all"):
                part = sparse.csr_matrix((value, (topics, index)), shape=shape)
                old_sum = getattr(self, kind)
                setattr(self, kind, part if old_sum is None else old_sum + part)
            elif kind == "counted":
                self.counted.update({int(t): int(v) for t, v in zip(topics, value)})
            elif kind == "period":
                self.period_sizes.update({(int(t), pd.Timestamp(p)): int(v)
                                          for t, p, v in zip(topics, group["period"], value)})
            elif kind == "period_terms":
                for period, rows in group.groupby("period").indices.items():
                    part = sparse.csr_matrix((value[rows], (topics[rows], index[rows])), shape=shape)
                    key = pd.Timestamp(period)
                    old = self.period_terms.get(key)
                    self.period_terms[key] = part if old is None else old + part
            elif kind == "source":
                self.sources.update({(int(t), str(s)): int(v)
                                     for t, s, v in zip(topics, group[S.SOURCE], value)})

    def centres(self) -> dict[int, np.ndarray]:
        """Normalised mean embedding of each topic with documents (outliers excluded)."""
        return {t: normalise_rows((self.embedding_sums[t] / self.sizes[t])[None, :])[0]
                for t in sorted(self.embedding_sums) if t != -1 and self.sizes.get(t)}


def reduce_stats(ws: Workspace, assigner: Assigner) -> Totals:
    """Add up the ``topic_stats`` parts, one part at a time."""
    totals = Totals(n_topics=max(assigner.n_topics, 1), vocabulary_size=len(assigner.vocabulary))
    for part in ws.parts(STATS):
        totals.add(ws.read_part(STATS, part))
    for kind in ("terms", "df", "df_all"):
        if getattr(totals, kind) is None:
            setattr(totals, kind, sparse.csr_matrix((totals.n_topics, totals.vocabulary_size)))
    return totals


# --- pass 2: the per-document table -----------------------------------------------------------
DOT_ROWS = 4096  # rows per block of row_dots (bounds its float64 copy: 4096 x 256 x 8 bytes = 8 MB)


def row_dots(rows: np.ndarray, vector: np.ndarray) -> np.ndarray:
    """``rows @ vector``, the same for a row whatever the other rows: each product is summed
    in float64 over the row alone (numpy's pairwise sum), then rounded to float32.

    A float32 BLAS product rounds by the shape of the row block, so ``topic_prob`` changed in
    the last bit with the part size (84 of 11,205 Weibo posts between ``--chunk-rows 1000``
    and ``50000``, 2026-12-08). ``row_dots(np.ones((2, 3), np.float32), np.ones(3))`` is
    ``[3.0, 3.0]``.
    """
    vector = np.asarray(vector, dtype=np.float64)
    out = np.empty(len(rows), dtype=np.float64)
    for start in range(0, len(rows), DOT_ROWS):
        block = np.asarray(rows[start:start + DOT_ROWS], dtype=np.float64)
        out[start:start + DOT_ROWS] = (block * vector).sum(axis=1)
    return out.astype(np.float32).astype(np.float64)


def documents_part(frame: pd.DataFrame, settings: dict[str, Any], assigner: Assigner) -> pd.DataFrame:
    """One part of ``topic_documents``: topic, topic before reassignment, similarity, label."""
    with one_thread():
        placed = assigner.place(frame, words=False)
        prob = np.zeros(len(frame), dtype=np.float64)
        for topic, centre in assigner.centres.items():
            rows = placed.final == topic
            prob[rows] = np.clip(row_dots(placed.embeddings[rows], centre), 0.0, 1.0)
    return pd.DataFrame({
        S.DOC_ID: frame[S.DOC_ID].to_numpy(), S.TOPIC_ID: placed.final,
        S.TOPIC_ID_ORIGINAL: placed.original, S.TOPIC_PROB: prob,
        S.TOPIC_LABEL: [assigner.labels.get(int(t), "") for t in placed.final],
    })


def representative_doc_ids(ws: Workspace, topics: list[int], *, n: int = T.N_REPRESENTATIVE,
                           include_flagged: bool = False) -> dict[int, list[str]]:
    """Per topic, the ids of the ``n`` documents closest to its centre (highest
    ``topic_prob``, then corpus order), one per distinct text, duplicates (exact and near)
    and spam left out unless ``include_flagged``; read part by part."""
    from opinion.flags import kept_mask

    candidates: Candidates = {t: [] for t in topics}
    for number, part in enumerate(ws.parts(S.TOPIC_DOCS)):
        docs = ws.read_part(S.TOPIC_DOCS, part, columns=[S.DOC_ID, S.TOPIC_ID, S.TOPIC_PROB])
        kept = kept_mask(ws, part, docs[S.DOC_ID], include_flagged=include_flagged)
        texts = ws.read_part(S.PREPARED, part, columns=[S.TEXT_NORM])[S.TEXT_NORM].tolist()
        add_candidates(candidates, docs, texts, kept, number=number, n=n)
    return choose_representatives(candidates, n=n)


Candidates = dict[int, list[tuple[float, int, int, str, str]]]


def add_candidates(candidates: Candidates, docs: pd.DataFrame, texts: list[str], kept: np.ndarray,
                   *, number: int, n: int) -> None:
    """Add part ``number``'s best ``n`` distinct kept texts per topic to ``candidates``
    (``docs`` holds ``doc_id``, ``topic_id`` and ``topic_prob``; ``texts`` the norm texts)."""
    ids, scores = docs[S.DOC_ID].to_numpy(), docs[S.TOPIC_PROB].to_numpy()
    for topic, rows in docs.groupby(S.TOPIC_ID).indices.items():
        if int(topic) not in candidates:
            continue
        seen: set[str] = set()
        for row in rows[np.argsort(-scores[rows], kind="stable")]:
            if texts[row] in seen or not kept[row]:
                continue
            seen.add(texts[row])
            candidates[int(topic)].append((-scores[row], number, int(row), str(ids[row]), texts[row]))
            if len(seen) == n:
                break


def choose_representatives(candidates: Candidates, *, n: int) -> dict[int, list[str]]:
    """The ``n`` best candidates of each topic over every part, one per distinct text."""
    out = {}
    for topic, found in candidates.items():
        chosen, seen = [], set()
        for _, _, _, doc_id, text in sorted(found):
            if text not in seen:
                seen.add(text)
                chosen.append(doc_id)
            if len(chosen) == n:
                break
        out[topic] = chosen
    return out


def with_tables(assigner: Assigner, centres: dict[int, np.ndarray], labels: dict[int, str]) -> Assigner:
    """The assigner of pass 2: the same placing, plus centres and labels."""
    return dataclasses.replace(assigner, centres=centres, labels=labels)
