"""Fit topics with BERTopic on the stored tokens, and assign new documents to them.

What we change against a plain ``BERTopic()`` (see docs/topics.md for the measurements):

- an embedder from :mod:`opinion.topics.embed` (offline, no hub download, no English
  default that deletes Chinese words);
- a vectorizer over the stored tokens (no re-tokenization): stopwords, punctuation, numbers
  and single characters never become topic words;
- seeded PCA + k-means instead of UMAP + HDBSCAN: byte-identical results for a seed, no
  numba compilation, no collapse into 2-3 giant topics; k-means clusters smaller than
  ``min_topic_size`` are the outliers, reassigned with ``reduce_outliers`` (the original
  label is kept in ``topic_id_original``);
- big corpora are fit on a stratified sample of distinct texts and the rest is assigned with
  ``transform``; the report says so.

Example:
    >>> report = fit_topics(Workspace.open("runs/weibo"), seed=42)  # doctest: +SKIP
    >>> print("\\n".join(report.lines()))  # doctest: +SKIP
    topics: 24 topics on 620,187 documents (fit on a stratified sample of 100,000) ...
"""

from __future__ import annotations

import logging
import math
import time
import warnings
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from opinion import schema as S
from opinion.errors import InputError
from opinion.io.atomic import fingerprint
from opinion.io.workspace import Workspace
from opinion.topics import metrics
from opinion.topics import tables as T
from opinion.topics.components import (
    CentroidClusterer,
    LinearProjection,
    embedder_backend,
    normalise_rows,
    split_terms,
    topic_terms,
)
from opinion.topics.store import MODEL_DIR, save_topic_model

DEFAULT_EMBEDDING = "static-zh"
DEFAULT_MIN_TOPIC_SIZE = 10
DEFAULT_SAMPLE_SIZE = 100_000
PROJECTION_DIMS = 50
STAGE = "topics"
METRICS = "topic_metrics"


@dataclass(frozen=True)
class TopicSettings:
    """Everything that decides the topics (stored with the model and in the metrics)."""

    embedding: str = DEFAULT_EMBEDDING
    nr_topics: int | str = "auto"
    min_topic_size: int = DEFAULT_MIN_TOPIC_SIZE
    seed: int = 42
    guided: bool = False
    sample_size: int = DEFAULT_SAMPLE_SIZE
    period: str | None = None
    projection_dims: int = PROJECTION_DIMS

    def check(self) -> TopicSettings:
        if not (self.nr_topics == "auto" or (isinstance(self.nr_topics, int) and self.nr_topics >= 2)):
            raise InputError(f"--nr-topics must be 'auto' or a whole number ≥ 2; got {self.nr_topics!r}")
        if self.min_topic_size < 1:
            raise InputError(f"--min-topic-size must be ≥ 1; got {self.min_topic_size}")
        if self.sample_size < 100:
            raise InputError(f"--sample must be ≥ 100 documents; got {self.sample_size}")
        if self.period is not None and self.period not in T.PERIODS:
            raise InputError(f"--period must be one of {list(T.PERIODS)}; got {self.period!r}")
        return self


@dataclass
class TopicReport:
    """What :func:`fit_topics` did, for printing and for the pipeline."""

    n_documents: int
    n_fit: int
    sampled: bool
    n_topics: int
    outlier_share: float
    npmi_mean: float
    diversity: float
    embedder: str
    period: str
    seconds: float
    skipped: bool = False
    topics: list[dict[str, Any]] = field(default_factory=list)

    def lines(self) -> list[str]:
        """Human-readable summary lines (topic labels are canonical Simplified)."""
        how = (f"fit on a stratified sample of {self.n_fit:,} distinct texts, the rest assigned "
               "with transform" if self.sampled else f"fit on {self.n_fit:,} distinct texts")
        head = "topics (unchanged, skipped)" if self.skipped else "topics"
        return [
            f"{head}: {self.n_topics} topics on {self.n_documents:,} documents ({how}); "
            f"embedder {self.embedder}; period {self.period}",
            f"metrics: NPMI {self.npmi_mean:.3f}, diversity {self.diversity:.3f}, "
            f"outliers before reassignment {self.outlier_share:.1%}; {self.seconds:.1f} s",
        ]


# --- inputs ----------------------------------------------------------------------------
def _read_inputs(ws: Workspace) -> pd.DataFrame:
    """Corpus columns we need joined with the prepared tokens, in corpus order."""
    from opinion.runner import require_complete

    ws.require(S.CORPUS)
    ws.require(S.PREPARED)
    require_complete(ws, S.PREPARED)  # a killed prepare must be finished before a fit
    corpus = ws.read(S.CORPUS, columns=[S.DOC_ID, S.PUBLISHED_AT, S.SOURCE, S.DUPLICATE_OF])
    prepared = ws.read(S.PREPARED, columns=[S.DOC_ID, S.TEXT_NORM, S.TOKENS])
    frame = corpus.merge(prepared, on=S.DOC_ID, how="inner", validate="one_to_one")
    if frame.empty:
        raise InputError(f"{ws.root}: no prepared documents; run `opinion prepare -w {ws.root}`")
    frame[S.TEXT_NORM] = frame[S.TEXT_NORM].fillna("")
    return frame


def _input_fingerprint(ws: Workspace) -> list[list[Any]]:
    """Names, sizes and modification times of the input parts (cheap change detection)."""
    out = []
    for table in (S.CORPUS, S.PREPARED):
        for part in ws.parts(table):
            stat = ws.part_path(table, part).stat()
            out.append([table, part, stat.st_size, stat.st_mtime_ns])
    return out


def _versions() -> dict[str, str]:
    import bertopic
    import sklearn

    return {"bertopic": bertopic.__version__, "scikit-learn": sklearn.__version__,
            "pandas": pd.__version__, "numpy": np.__version__}


def _stratified_sample(frame: pd.DataFrame, size: int, *, seed: int, period: str) -> np.ndarray:
    """Row positions of a sample of ``size`` rows, proportional per (source, period)."""
    strata = (frame[S.SOURCE].fillna("").astype(str) + "|"
              + T.period_start(frame[S.PUBLISHED_AT], period).astype(str))
    rng = np.random.default_rng(seed)
    keys = rng.random(len(frame))
    # Within each stratum take the rows with the smallest random keys, in proportion.
    order = pd.DataFrame({"s": strata.to_numpy(), "k": keys, "i": np.arange(len(frame))})
    order["rank"] = order.groupby("s")["k"].rank(method="first")
    order["n"] = order.groupby("s")["k"].transform("size")
    chosen = order[order["rank"] <= np.ceil(order["n"] * size / len(frame))]
    if len(chosen) > size:  # ceil may overshoot by up to one row per stratum
        chosen = chosen.nsmallest(size, "k")
    return np.sort(chosen["i"].to_numpy())


class _DropDeliberate(logging.Filter):
    """Drop BERTopic's warning about custom topics in ``update_topics``: we do it on purpose."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "custom list of topic assignments" not in record.getMessage()


def _quiet_bertopic() -> None:
    log = logging.getLogger("BERTopic")
    if not any(isinstance(f, _DropDeliberate) for f in log.filters):
        log.addFilter(_DropDeliberate())


def _prepare_settings(ws: Workspace):
    """The settings the prepare stage ran with (its manifest record), else the defaults."""
    import dataclasses

    from opinion.prepare import PrepareSettings

    stored = (ws.stage_record("prepare") or {}).get("settings") or {}
    names = {f.name for f in dataclasses.fields(PrepareSettings)} - {"content_fingerprint"}
    known = {k: v for k, v in stored.items() if k in names}
    if isinstance(known.get("pos"), list):
        known["pos"] = tuple(known["pos"])
    return PrepareSettings(**known)


def _guided_seeds(ws: Workspace) -> list[list[str]]:
    """Seed word lists from the theme lexicons the prepare stage used (one per theme)."""
    from opinion.themes import load_themes

    themes = load_themes(_prepare_settings(ws).theme_files)
    seeds = [topic_terms(theme.terms) for theme in themes]
    return [s for s in seeds if s]


def _build_model(settings: TopicSettings, embedder, n_topics: int | str,
                 seeds: list[list[str]] | None):
    from bertopic import BERTopic
    from bertopic.vectorizers import ClassTfidfTransformer
    from sklearn.feature_extraction.text import CountVectorizer

    seed_words = sorted({w for s in seeds for w in s}) if seeds else None
    return BERTopic(
        embedding_model=embedder_backend(embedder),
        umap_model=LinearProjection(n_components=settings.projection_dims, seed=settings.seed),
        hdbscan_model=CentroidClusterer(n_clusters=n_topics, min_size=settings.min_topic_size,
                                        seed=settings.seed),
        vectorizer_model=CountVectorizer(analyzer=split_terms),
        ctfidf_model=ClassTfidfTransformer(reduce_frequent_words=True, seed_words=seed_words),
        top_n_words=10,
        seed_topic_list=seeds or None,
        calculate_probabilities=False,
    )


ENCODE_BATCH = 20_000


def _encode(embedder, tokens: list, texts: list[str]) -> np.ndarray:
    """Embeddings in batches, so an embedder's intermediate matrices stay small."""
    if len(tokens) <= ENCODE_BATCH:
        return embedder.encode(tokens, texts=texts)
    return np.vstack([embedder.encode(tokens[i:i + ENCODE_BATCH], texts=texts[i:i + ENCODE_BATCH])
                      for i in range(0, len(tokens), ENCODE_BATCH)])


def _topic_centres(topics: np.ndarray, embeddings: np.ndarray) -> dict[int, np.ndarray]:
    """Normalised mean embedding of each topic (outliers excluded)."""
    ids = sorted(int(t) for t in set(topics.tolist()) if t != -1)
    return {t: normalise_rows(embeddings[topics == t].mean(axis=0, keepdims=True))[0] for t in ids}


def _similarity_to_topic(topics: np.ndarray, embeddings: np.ndarray,
                         centres: dict[int, np.ndarray]) -> np.ndarray:
    """Cosine of each document with its topic's centre, clipped to [0, 1]; 0 for -1."""
    prob = np.zeros(len(topics), dtype=np.float64)
    for topic, centre in centres.items():
        rows = topics == topic
        prob[rows] = np.clip(embeddings[rows] @ centre, 0.0, 1.0)
    return prob


# --- fit -------------------------------------------------------------------------------
def fit_topics(ws: Workspace, *, embedding: str = DEFAULT_EMBEDDING, nr_topics: int | str = "auto",
               min_topic_size: int = DEFAULT_MIN_TOPIC_SIZE, seed: int = 42, guided: bool = False,
               sample_size: int = DEFAULT_SAMPLE_SIZE, period: str | None = None,
               force: bool = False) -> TopicReport:
    """Fit topics on the workspace's prepared tokens and write every topic table.

    Skips the work (and returns the stored report) when the inputs and settings have not
    changed since the last run, unless ``force``. Example: ``fit_topics(ws, nr_topics=20)``.
    """
    from opinion.topics.embed import get_embedder
    from opinion.topics.embed_cache import cached_encode

    start = time.perf_counter()
    settings = TopicSettings(embedding=embedding, nr_topics=nr_topics, min_topic_size=min_topic_size,
                             seed=seed, guided=guided, sample_size=sample_size, period=period).check()
    stamp = fingerprint({"inputs": _input_fingerprint(ws), "settings": asdict(settings)})
    record = ws.stage_record(STAGE)
    if (not force and record and record.get("fingerprint") == stamp
            and ws.has(S.TOPIC_DOCS) and (ws.root / f"{METRICS}.json").exists()):
        return _stored_report(ws, time.perf_counter() - start)

    frame = _read_inputs(ws)
    frame["terms"] = [topic_terms(t) for t in frame[S.TOKENS]]
    documents = [" ".join(t) for t in frame["terms"]]
    chosen_period = settings.period or T.choose_period(frame[S.PUBLISHED_AT])

    # Fit on distinct texts with words; duplicates follow their first copy via transform.
    has_terms = frame["terms"].map(bool).to_numpy()
    distinct = (frame[S.DUPLICATE_OF].isna() & has_terms).to_numpy()
    candidates = np.flatnonzero(distinct)
    if len(candidates) < max(2 * settings.min_topic_size, 20):
        raise InputError(f"{ws.root}: only {len(candidates)} distinct documents with words; topics "
                         f"need at least {max(2 * settings.min_topic_size, 20)}")
    sampled = len(candidates) > settings.sample_size
    if sampled:
        picked = _stratified_sample(frame.iloc[candidates], settings.sample_size, seed=settings.seed,
                                    period=chosen_period)
        fit_rows = candidates[picked]
    else:
        fit_rows = candidates

    tokens = frame[S.TOKENS].tolist()
    texts = frame[S.TEXT_NORM].tolist()
    embedder = get_embedder(settings.embedding)
    embedder.fit([tokens[i] for i in fit_rows], texts=[texts[i] for i in fit_rows])
    embeddings = cached_encode(ws, settings.embedding, embedder, tokens, texts,
                               inputs=_input_fingerprint(ws), encode=_encode)
    empty = ~has_terms | (np.linalg.norm(embeddings, axis=1) == 0)

    seeds = _guided_seeds(ws) if settings.guided else None
    model = _build_model(settings, embedder, settings.nr_topics, seeds)
    # BERTopic warns about steps we do on purpose (custom topics in update_topics, pandas
    # chained assignment inside hierarchical_topics); silence those two only.
    _quiet_bertopic()
    # The embedder learnt from fit_rows; the model skips those it cannot embed (all-zero).
    model_rows = fit_rows[~empty[fit_rows]]
    fit_docs = [documents[i] for i in model_rows]
    fit_topics_, _ = model.fit_transform(fit_docs, embeddings=embeddings[model_rows].copy())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pd.errors.SettingWithCopyWarning)
        hierarchy = T.hierarchy_table(model, fit_docs)

    original = np.full(len(frame), -1, dtype=np.int64)
    original[model_rows] = fit_topics_
    rest = np.setdiff1d(np.flatnonzero(~empty), model_rows)
    if rest.size:
        predicted, _ = model.transform([documents[i] for i in rest], embeddings=embeddings[rest])
        original[rest] = predicted
    original[empty] = -1
    final = original.copy()
    to_reassign = (original == -1) & ~empty
    if to_reassign.any() and model._outliers:
        rows = np.flatnonzero(~empty)
        final[rows] = model.reduce_outliers([documents[i] for i in rows], original[rows].tolist(),
                                            strategy="embeddings", embeddings=embeddings[rows])
    # Topic words and centres from every assigned document, not only the fit sample.
    assigned = np.flatnonzero(final != -1)
    model.update_topics([documents[i] for i in assigned], topics=final[assigned].tolist(),
                        top_n_words=10, vectorizer_model=model.vectorizer_model,
                        ctfidf_model=model.ctfidf_model)
    centres = _topic_centres(final, embeddings)
    model.topic_embeddings_ = np.vstack([centres[t] for t in sorted(centres)])

    representations = {t: list(model.topic_representations_.get(t, [])) for t in centres}
    text_keys = frame[S.TEXT_NORM].to_numpy()
    reps = T.representative_doc_ids(frame[S.DOC_ID].to_numpy(), final, embeddings, centres, text_keys)
    topics_df = T.topics_table(final, representations, reps)
    labels = dict(zip(topics_df[S.TOPIC_ID], topics_df["label"]))
    doc_table = pd.DataFrame({
        S.DOC_ID: frame[S.DOC_ID].to_numpy(), S.TOPIC_ID: final, S.TOPIC_ID_ORIGINAL: original,
        S.TOPIC_PROB: _similarity_to_topic(final, embeddings, centres),
        S.TOPIC_LABEL: [labels.get(int(t), "") for t in final],
    })
    over_time = T.topics_over_time_table(model, documents, final, frame[S.PUBLISHED_AT],
                                         period=chosen_period)
    per_source = T.topics_per_source_table(final, frame[S.SOURCE])

    # Metrics: NPMI over the distinct texts' words; outliers before reassignment.
    term_lists = [[w for w, _ in representations[t]] for t in sorted(representations)]
    npmi = metrics.npmi_coherence(term_lists, frame.loc[distinct, "terms"])
    content = original[~empty]
    metric_doc = {
        "n_topics": len(centres),
        "npmi_mean": _nan_to_none(float(np.nanmean(npmi)) if len(npmi) else math.nan),
        "npmi_per_topic": {str(t): _nan_to_none(v) for t, v in zip(sorted(representations), npmi)},
        "diversity": _nan_to_none(metrics.topic_diversity(term_lists)),
        "outlier_share": metrics.outlier_share(content),
        "outliers_reassigned": int(to_reassign.sum()),
        "no_content": int(empty.sum()),
        "n_documents": len(frame), "n_fit": len(model_rows), "sampled": bool(sampled),
        "sample_size": settings.sample_size, "period": chosen_period,
        "n_clusters": int(model.hdbscan_model.n_clusters_),
        "auto_silhouette": {str(k): v for k, v in getattr(model.hdbscan_model, "selection_", {}).items()},
        "seed": settings.seed, "embedder": settings.embedding,
        "settings": asdict(settings), "versions": _versions(),
        "seconds": round(time.perf_counter() - start, 2),
    }

    ws.write_table(S.TOPIC_DOCS, doc_table)
    ws.write_table(S.TOPICS, topics_df)
    ws.write_table(S.TOPICS_OVER_TIME, over_time)
    ws.write_table(S.TOPICS_PER_SOURCE, per_source)
    ws.write_table(S.TOPIC_HIERARCHY, hierarchy)
    ws.write_json(METRICS, metric_doc)
    save_topic_model(model, ws.root / MODEL_DIR, meta={
        "embedder": settings.embedding, "settings": asdict(settings),
        "token_settings": {"terms": "prepared.tokens filtered by opinion.topics.components.topic_terms",
                           "stopwords": "opinion.text.tokenize.shipped_stopwords"},
        "labels": {str(k): v for k, v in labels.items()}, "versions": _versions(),
    }, fit_doc_ids=frame[S.DOC_ID].to_numpy()[fit_rows].tolist(),
        fit_topics=[int(t) for t in original[fit_rows]])
    ws.set_stage_record(STAGE, {"fingerprint": stamp, "settings": asdict(settings),
                                "n_topics": len(centres), "n_documents": len(frame),
                                "seconds": metric_doc["seconds"]})
    return _report_from_metrics(metric_doc, topics_df, skipped=False,
                                seconds=time.perf_counter() - start)


def _nan_to_none(value: float) -> float | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


def _report_from_metrics(doc: dict[str, Any], topics_df: pd.DataFrame, *, skipped: bool,
                         seconds: float) -> TopicReport:
    nan = float("nan")
    return TopicReport(
        n_documents=doc["n_documents"], n_fit=doc["n_fit"], sampled=doc["sampled"],
        n_topics=doc["n_topics"], outlier_share=doc["outlier_share"],
        npmi_mean=nan if doc["npmi_mean"] is None else doc["npmi_mean"],
        diversity=nan if doc["diversity"] is None else doc["diversity"],
        embedder=doc["embedder"], period=doc["period"], seconds=seconds, skipped=skipped,
        topics=topics_df[[S.TOPIC_ID, "label", "size", "share", "top_terms"]].to_dict("records"),
    )


def _stored_report(ws: Workspace, seconds: float) -> TopicReport:
    return _report_from_metrics(ws.read_json(METRICS), ws.read(S.TOPICS), skipped=True,
                                seconds=seconds)


# --- assign ----------------------------------------------------------------------------
def read_new_texts(path: str | Path, *, text_col: str = "text") -> list[str]:
    """Texts of a new file: ``.txt`` one per line; ``.csv``/``.tsv``/``.jsonl``/``.xlsx`` by column."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix == ".txt":
        return [line.strip() for line in path.read_text(encoding="utf-8-sig").splitlines() if line.strip()]
    readers = {".csv": lambda: pd.read_csv(path, dtype=str), ".tsv": lambda: pd.read_csv(path, sep="\t", dtype=str),
               ".jsonl": lambda: pd.read_json(path, lines=True, dtype=False),
               ".xlsx": lambda: pd.read_excel(path, dtype=str)}
    if suffix not in readers:
        raise InputError(f"{path}: unsupported file type {suffix!r}; use .txt, .csv, .tsv, .jsonl or .xlsx")
    frame = readers[suffix]()
    if text_col not in frame.columns:
        raise InputError(f"{path}: no column {text_col!r}; found {list(frame.columns)}; pass --text-col")
    return frame[text_col].fillna("").astype(str).tolist()


def assign_topics(ws: Workspace, texts_or_path: list[str] | str | Path, *,
                  text_col: str = "text") -> pd.DataFrame:
    """Put new documents into the workspace's fitted topics.

    Returns one row per text: ``text``, ``topic_id``, ``topic_id_original``, ``topic_prob``,
    ``topic_label``. Example: ``assign_topics(ws, ["武汉加油，口罩告急"])``.
    """
    from opinion.prepare import prepare_part
    from opinion.topics.embed import get_embedder
    from opinion.topics.store import load_topic_model, read_fit_documents

    texts = (read_new_texts(texts_or_path, text_col=text_col)
             if isinstance(texts_or_path, (str, Path)) else [str(t) for t in texts_or_path])
    folder = ws.root / MODEL_DIR
    model, meta = load_topic_model(folder)
    # Refit the embedder exactly as at fit time (same documents, same order, same seed).
    fit_ids = read_fit_documents(folder)[S.DOC_ID]
    prepared = ws.read(S.PREPARED, columns=[S.DOC_ID, S.TEXT_NORM, S.TOKENS]).set_index(S.DOC_ID)
    fit_docs = prepared.loc[fit_ids]
    embedder = get_embedder(meta["embedder"])
    embedder.fit(fit_docs[S.TOKENS].tolist(), texts=fit_docs[S.TEXT_NORM].fillna("").tolist())

    # The text stage exactly as it ran on the corpus (same cleaning, dictionaries, stopwords).
    new = prepare_part(pd.DataFrame({S.DOC_ID: [f"new-{i}" for i in range(len(texts))],
                                     S.TEXT_RAW: texts}), _prepare_settings(ws))
    norms = new[S.TEXT_NORM].tolist()
    tokens = new[S.TOKENS].tolist()
    documents = [" ".join(topic_terms(t)) for t in tokens]
    embeddings = _encode(embedder, tokens, norms)
    empty = np.array([not d for d in documents]) | (np.linalg.norm(embeddings, axis=1) == 0)
    original = np.full(len(texts), -1, dtype=np.int64)
    rows = np.flatnonzero(~empty)
    if rows.size:
        predicted, _ = model.transform([documents[i] for i in rows], embeddings=embeddings[rows])
        original[rows] = predicted
    centre_ids = sorted(int(k) for k in meta["labels"] if int(k) != -1)
    centres = np.asarray(model.topic_embeddings_, dtype=np.float32)
    final = original.copy()
    # Outliers go to the most similar topic centre (BERTopic's "embeddings" strategy).
    outliers = np.flatnonzero((original == -1) & ~empty)
    if outliers.size:
        final[outliers] = np.asarray(centre_ids)[(embeddings[outliers] @ centres.T).argmax(axis=1)]
    by_id = dict(zip(centre_ids, centres))
    return pd.DataFrame({
        "text": texts, S.TOPIC_ID: final, S.TOPIC_ID_ORIGINAL: original,
        S.TOPIC_PROB: _similarity_to_topic(final, embeddings, by_id),
        S.TOPIC_LABEL: [meta["labels"].get(str(int(t)), "") for t in final],
    })
