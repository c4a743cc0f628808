"""The topic fit: pick the sample from small columns, read only its rows, fit BERTopic on it.

The corpus is never held whole: :func:`scan_corpus` reads, part by part, the columns that
choose the sample (date, source, duplicate mark) and whether each document has topic words,
keeping a few bytes per document; :func:`read_fit_rows` then reads tokens, texts and
embeddings of the sampled rows only. The model is built exactly as before the part-wise
assignment existed, so the same corpus and seed give the same clusters.

Example:
    >>> scan = scan_corpus(ws)  # doctest: +SKIP
    >>> rows = scan.fit_rows(100_000, seed=42, period="day")  # doctest: +SKIP
    >>> fit = read_fit_rows(ws, scan, rows, "embeddings/static-zh")  # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from opinion import schema as S
from opinion.errors import InputError
from opinion.io.workspace import Workspace
from opinion.periods import choose_period, period_start
from opinion.topics.components import (
    CentroidClusterer,
    LinearProjection,
    embedder_backend,
    has_content,
    split_terms,
    topic_terms,
)
from opinion.topics.embed_cache import vectors_of

SCAN_COLUMNS = [S.DOC_ID, S.PUBLISHED_AT, S.SOURCE, S.DUPLICATE_OF, S.TEXT_HASH]
# How the fit documents are ordered before the embedder, the projection and k-means see them:
# "content" (a hash of each text, since 2026-12-07: the same posts in another row order give
# the same topics) or "input" (corpus order, as before; benchmarks/topics_row_order.py).
FIT_ORDER = "content"


# --- which documents have topic words ----------------------------------------------------
def has_terms(tokens: Any) -> np.ndarray:
    """Per document of an Arrow list column: does :func:`topic_terms` leave it any word?

    Each distinct token of the column is decided once (:func:`has_content`: a topic word other
    than Weibo's repost words), then Arrow marks the documents that hold one; a bare repost
    (转发微博: ``转发``, ``微博``) has none (since 2026-12-08: 75 of them made 26 % of a topic).
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    lists = tokens.combine_chunks() if isinstance(tokens, pa.ChunkedArray) else tokens
    out = np.zeros(len(lists), dtype=bool)
    flat = pc.list_flatten(lists)
    if len(flat) == 0:
        return out
    good = pa.array([t for t in pc.unique(flat).to_pylist() if t is not None and has_content(t)],
                    pa.string())
    hit = pc.is_in(flat, value_set=good).to_numpy(zero_copy_only=False)
    parents = pc.list_parent_indices(lists).to_numpy(zero_copy_only=False)
    out[parents[hit]] = True
    return out


# --- the scan ------------------------------------------------------------------------------
@dataclass
class CorpusScan:
    """A few values per document, in corpus order (part by part)."""

    parts: list[str]
    part_of: np.ndarray     # index into ``parts``
    row: np.ndarray         # row within its part
    distinct: np.ndarray    # not a duplicate, and has topic words
    published_at: pd.Series
    source: np.ndarray      # code of the source ("" and missing share a code)
    flagged_with_words: int = 0  # near-duplicates and spam with words, left out of ``distinct``
    text_hash: np.ndarray | None = None  # the load's hash of each text (the sample's keys)

    @property
    def n_documents(self) -> int:
        return len(self.row)

    def choose_period(self) -> str:
        return choose_period(self.published_at)

    def fit_rows(self, sample_size: int, *, seed: int, period: str) -> tuple[np.ndarray, bool]:
        """Positions of the fit documents and whether they are a sample.

        Distinct texts with words; above ``sample_size`` a sample proportional per
        (source, period), the rows with the smallest keys in each stratum: a seeded hash of each
        text (:func:`sample_keys`), so the same posts in another row order give the same sample.
        """
        candidates = np.flatnonzero(self.distinct)
        if len(candidates) <= sample_size:
            return candidates, False
        starts = period_start(self.published_at.iloc[candidates].reset_index(drop=True), period)
        period_code = pd.factorize(starts.astype(str))[0]
        strata = pd.factorize(pd.Series(self.source[candidates]).astype(str) + "|" + period_code.astype(str))[0]
        keys = sample_keys(None if self.text_hash is None else self.text_hash[candidates], seed, len(candidates))
        order = pd.DataFrame({"s": strata, "k": keys, "i": np.arange(len(candidates))})
        order["rank"] = order.groupby("s")["k"].rank(method="first")
        order["n"] = order.groupby("s")["k"].transform("size")
        chosen = order[order["rank"] <= np.ceil(order["n"] * sample_size / len(candidates))]
        if len(chosen) > sample_size:  # ceil may overshoot by up to one row per stratum
            chosen = chosen.nsmallest(sample_size, "k")
        return candidates[np.sort(chosen["i"].to_numpy())], True


def sample_keys(text_hashes: np.ndarray | None, seed: int, n: int) -> np.ndarray:
    """One key in [0, 1) per document: a hash of the seed and its text's hash with
    :data:`FIT_ORDER` ``"content"`` (until 2026-12-07, and with ``"input"``, seeded random keys
    by position, so above ``--sample`` another row order drew another sample)."""
    if FIT_ORDER != "content" or text_hashes is None:
        return np.random.default_rng(seed).random(n)
    digests = [hashlib.blake2b(f"{seed}\x1f{h}".encode(), digest_size=8).digest() for h in text_hashes]
    return np.frombuffer(b"".join(digests), dtype=">u8").astype(np.float64) / 2.0**64


def scan_corpus(ws: Workspace, *, include_flagged: bool = False) -> CorpusScan:
    """Read the sampling columns and the "has topic words" flag, one part at a time.

    Exact duplicates never enter the fit; near-duplicates and spam (table ``flags``) stay
    out too unless ``include_flagged``.
    """
    import pyarrow.parquet as pq

    from opinion.engine.runner import require_finished

    ws.require(S.CORPUS)
    require_finished(ws, S.PREPARED)  # a killed prepare must be finished before a fit
    parts = ws.parts(S.CORPUS)
    missing = sorted(set(parts) - set(ws.parts(S.PREPARED)))
    if missing:
        raise InputError(f"{ws.root}: corpus part '{missing[0]}' is not prepared; run "
                         f"`opinion prepare -w {ws.root}`")
    sources: dict[str, int] = {}
    flagged_parts = set(ws.parts(S.FLAGS))
    part_of, rows, distinct, dates, codes, hashes = [], [], [], [], [], []
    flagged_with_words = 0
    for index, part in enumerate(parts):
        corpus = ws.read_part(S.CORPUS, part, columns=SCAN_COLUMNS)
        tokens = pq.read_table(ws.part_path(S.PREPARED, part), columns=[S.DOC_ID, S.TOKENS])
        if tokens.num_rows != len(corpus) or tokens.column(S.DOC_ID).to_pylist() != corpus[S.DOC_ID].tolist():
            raise InputError(f"{ws.part_path(S.PREPARED, part)}: its rows are not those of the corpus "
                             f"part; run `opinion prepare -w {ws.root} --force`")
        has = has_terms(tokens.column(S.TOKENS))
        part_of.append(np.full(len(corpus), index, dtype=np.int32))
        rows.append(np.arange(len(corpus), dtype=np.int32))
        kept = corpus[S.DUPLICATE_OF].isna().to_numpy()
        if not include_flagged and part in flagged_parts:
            flags = ws.read_part(S.FLAGS, part, columns=[S.NEAR_DUPLICATE_OF, S.IS_SPAM])
            clean = flags[S.NEAR_DUPLICATE_OF].isna().to_numpy() & ~flags[S.IS_SPAM].to_numpy(bool)
            flagged_with_words += int((kept & has & ~clean).sum())
            kept &= clean
        distinct.append(kept & has)
        dates.append(corpus[S.PUBLISHED_AT])
        hashes.append(corpus[S.TEXT_HASH].fillna("").astype(str).to_numpy(dtype=object))
        names = corpus[S.SOURCE].fillna("").astype(str)
        codes.append(np.array([sources.setdefault(s, len(sources)) for s in names], dtype=np.int32))
    if not parts or sum(len(r) for r in rows) == 0:
        raise InputError(f"{ws.root}: no prepared documents; run `opinion prepare -w {ws.root}`")
    names_by_code = np.array(list(sources), dtype=object)
    return CorpusScan(parts=parts, part_of=np.concatenate(part_of), row=np.concatenate(rows),
                      distinct=np.concatenate(distinct),
                      published_at=pd.concat(dates, ignore_index=True),
                      source=names_by_code[np.concatenate(codes)],
                      flagged_with_words=flagged_with_words, text_hash=np.concatenate(hashes))


# --- the fit rows --------------------------------------------------------------------------
@dataclass
class FitRows:
    """Tokens, texts, topic words and (when cached) embeddings of the fit documents."""

    doc_ids: list[str]
    tokens: list[list[str]]
    texts: list[str]
    terms: list[list[str]]
    embeddings: np.ndarray | None

    @property
    def documents(self) -> list[str]:
        return [" ".join(t) for t in self.terms]

    def take(self, order: np.ndarray) -> FitRows:
        """The same rows in ``order`` (positions)."""
        return FitRows(doc_ids=[self.doc_ids[i] for i in order], tokens=[self.tokens[i] for i in order],
                       texts=[self.texts[i] for i in order], terms=[self.terms[i] for i in order],
                       embeddings=None if self.embeddings is None else self.embeddings[order])


def fit_order(fit: FitRows) -> np.ndarray:
    """Positions that put the fit documents in :data:`FIT_ORDER`: by a hash of their text and
    tokens, so k-means' seeded starts and the silhouette subsamples, which pick rows by
    position, pick the same documents whatever the corpus's row order (``口罩告急`` sorts by
    its hash, not by being the first post). Rows that tie are the same text: interchangeable."""
    if FIT_ORDER != "content":
        return np.arange(len(fit.doc_ids))
    keys = [hashlib.blake2b("\x1f".join([text, *tokens]).encode("utf-8"), digest_size=16).digest()
            for text, tokens in zip(fit.texts, fit.tokens)]
    return np.argsort(np.array(keys, dtype="S16"), kind="stable")


def read_fit_rows(ws: Workspace, scan: CorpusScan, positions: np.ndarray,
                  table: str | None) -> FitRows:
    """Read the rows at ``positions`` (corpus order) from each part; vectors from ``table``."""
    doc_ids: list[str] = []
    tokens: list[list[str]] = []
    texts: list[str] = []
    vectors = []
    for index in np.unique(scan.part_of[positions]):
        part = scan.parts[index]
        rows = scan.row[positions[scan.part_of[positions] == index]]
        prepared = ws.read_part(S.PREPARED, part, columns=[S.DOC_ID, S.TOKENS, S.TEXT_NORM]).iloc[rows]
        doc_ids += prepared[S.DOC_ID].tolist()
        tokens += [list(t) if t is not None else [] for t in prepared[S.TOKENS]]
        texts += prepared[S.TEXT_NORM].fillna("").tolist()
        if table is not None:
            vectors.append(vectors_of(ws.read_part(table, part)).take(rows, axis=0))
    return FitRows(doc_ids=doc_ids, tokens=tokens, texts=texts,
                   terms=[topic_terms(t) for t in tokens],
                   embeddings=np.vstack(vectors) if table is not None else None)


# --- the model -----------------------------------------------------------------------------
def prepare_settings(ws: Workspace):
    """The settings the prepare stage ran with (the workspace's own dictionary included),
    else the defaults: :func:`opinion.config.settings_for`, the one way to read them back."""
    from opinion.config import PrepareSettings, settings_for, with_workspace_dictionary

    return with_workspace_dictionary(ws, settings_for(ws, PrepareSettings))


def guided_seeds(ws: Workspace) -> list[list[str]]:
    """Seed word lists from the theme lexicons the prepare stage used (one per theme); a theme
    file edited since is refused, as the sentiment stage refuses it."""
    from opinion.prepare import check_theme_files
    from opinion.themes import load_themes

    files = prepare_settings(ws).theme_files
    check_theme_files(ws, files)
    themes = load_themes(files)
    seeds = [topic_terms(theme.terms) for theme in themes]
    return [s for s in seeds if s]


def build_model(settings: Any, embedder: Any, seeds: list[list[str]] | None):
    """BERTopic with our reducer, clusterer, vectorizer and c-TF-IDF settings."""
    from bertopic import BERTopic
    from bertopic.vectorizers import ClassTfidfTransformer
    from sklearn.feature_extraction.text import CountVectorizer

    seed_words = sorted({w for s in seeds for w in s}) if seeds else None
    return BERTopic(
        embedding_model=embedder_backend(embedder),
        umap_model=LinearProjection(n_components=settings.projection_dims, seed=settings.seed),
        hdbscan_model=CentroidClusterer(n_clusters=settings.nr_topics, min_size=settings.min_topic_size,
                                        seed=settings.seed),
        vectorizer_model=CountVectorizer(analyzer=split_terms),
        ctfidf_model=ClassTfidfTransformer(reduce_frequent_words=True, seed_words=seed_words),
        top_n_words=10,
        seed_topic_list=seeds or None,
        calculate_probabilities=False,
    )


class _DropDeliberate(logging.Filter):
    """Drop BERTopic's warning about custom topics in ``update_topics``: we do it on purpose."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "custom list of topic assignments" not in record.getMessage()


def quiet_bertopic() -> None:
    log = logging.getLogger("BERTopic")
    if not any(isinstance(f, _DropDeliberate) for f in log.filters):
        log.addFilter(_DropDeliberate())


def versions() -> dict[str, str]:
    import bertopic
    import sklearn

    return {"bertopic": bertopic.__version__, "scikit-learn": sklearn.__version__,
            "pandas": pd.__version__, "numpy": np.__version__}
