"""The workspace topics stage: :class:`TopicModel`'s steps, part by part over a workspace.

The stage reads the sample, runs the model's fit on it, places every part with the model's
assigner (local processes or Dask) and writes the tables; :class:`TopicModel` does the same
steps on a list of texts in memory.

What we change against a plain ``BERTopic()`` (see docs/topics.md for the measurements):

- an embedder from :mod:`opinion.topics.embed` (offline, no hub download, no English
  default that deletes Chinese words);
- a vectorizer over the stored tokens (no re-tokenization): stopwords, punctuation, numbers
  and single characters never become topic words;
- a seeded uncentred projection (truncated SVD) + k-means instead of UMAP + HDBSCAN:
  byte-identical results for a seed, no numba compilation, no collapse into 2-3 giant topics; k-means clusters smaller than
  ``min_topic_size`` are the outliers, reassigned with ``reduce_outliers`` (the original
  label is kept in ``topic_id_original``);
- big corpora are fit on a stratified sample of distinct texts and every part is assigned
  with ``transform`` (:mod:`opinion.topics.assign`, one process per core or a Dask cluster);
  the topic words, centres and tables come from every document, added up part by part, so
  memory is bounded by the sample and the part size, not by the corpus; the report says so.

Example:
    >>> report = fit_topics(Workspace.open("runs/weibo"), seed=42)  # doctest: +SKIP
    >>> print("\\n".join(report.lines()))  # doctest: +SKIP
    topics: 24 topics on 620,187 documents (fit on a stratified sample of 100,000) ...
"""

from __future__ import annotations

import contextlib
import math
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from opinion import schema as S
from opinion.config import settings_for, store_settings
from opinion.errors import InputError
from opinion.io.atomic import fingerprint
from opinion.io.lock import writes_workspace
from opinion.io.workspace import Workspace
from opinion.sources import corpus_files
from opinion.topics import assign as A
from opinion.topics import fit as F
from opinion.topics import metrics
from opinion.topics import tables as T
from opinion.topics.labels import label_rules_key
from opinion.topics.settings import (
    TooFewDocumentsError,
    TopicSettings,
    require_enough,
    require_words,
)
from opinion.topics.skipped import clear_skipped, note_skipped
from opinion.topics.store import MODEL_DIR, finish_swap, missing_files, save_topic_model

__all__ = ["TopicReport", "clear_topics", "fit_topics"]

STAGE = "topics"
T_ = TypeVar("T_")
METRICS = "topic_metrics"
# Bumped when the same inputs and settings give other topics: part of the stage's fingerprint,
# so an older workspace is fitted again instead of kept as "unchanged".
# 2: the fit documents in content order (2026-12-07; row order no longer changes the topics).
# 3: above --sample, the sample drawn by a hash of each text, not by position (2026-12-07).
# 4: topic_prob computed in float64, then rounded to float32: it no longer depends on the part
#    size (2026-12-08).
STAGE_VERSION = 4


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
    keep_duplicates: bool = False
    nr_topics: int | str = "auto"  # the number asked for, and the size a topic needs
    min_topic_size: int = 0

    def lines(self) -> list[str]:
        """Human-readable summary lines (topic labels are canonical Simplified)."""
        how = (f"fit on a stratified sample of {self.n_fit:,} distinct texts, the rest assigned "
               "with transform" if self.sampled else f"fit on {self.n_fit:,} distinct texts")
        how += ("; duplicates and spam included" if self.keep_duplicates else
                "; sizes count every document, the fit, words and examples leave out "
                "duplicates and spam")
        head = "topics (unchanged, skipped)" if self.skipped else "topics"
        return [
            f"{head}: {self.n_topics} topics on {self.n_documents:,} documents ({how}); "
            f"embedder {self.embedder}; period {self.period}",
            f"metrics: NPMI {self.npmi_mean:.3f}, diversity {self.diversity:.3f}, "
            f"outliers before reassignment {self.outlier_share:.1%}; {self.seconds:.1f} s",
            *self._fewer_note(),
        ]

    def _fewer_note(self) -> list[str]:
        """A line when fewer topics were found than ``nr_topics`` asked for (since 2026-12-08:
        ``--nr-topics 500`` on 1,085 documents gave 5 topics without a word)."""
        if not isinstance(self.nr_topics, int) or self.n_topics >= self.nr_topics:
            return []
        return [f"note: {self.n_topics} of the {self.nr_topics} topics asked for (nr_topics) were found; "
                f"clusters under min_topic_size {self.min_topic_size} documents go to the nearest topic, "
                "and clusters too alike are merged (a lower min_topic_size may give more)"]


TOPIC_TABLES = (S.TOPICS, S.TOPICS_OVER_TIME, S.TOPICS_PER_SOURCE, S.TOPIC_HIERARCHY,
                S.TOPIC_DOCS, A.STATS)


def clear_topics(ws: Workspace) -> None:
    """Remove the topic tables, metrics and model (they no longer describe the corpus)."""
    import shutil

    for table in TOPIC_TABLES:
        ws.remove_table(table)
    (ws.root / f"{METRICS}.json").unlink(missing_ok=True)
    finish_swap(ws.root / MODEL_DIR)
    shutil.rmtree(ws.root / MODEL_DIR, ignore_errors=True)
    # Every record popped (since 2026-12-08: ``any`` over the pops stopped at the first, so
    # ``topic_documents`` stayed and every export asked for a fit the corpus cannot have).
    stages = ws.manifest["stages"]
    popped = [stages.pop(name, None) for name in (STAGE, S.TOPIC_DOCS, A.STATS)]
    if any(record is not None for record in popped):
        ws.save_manifest()


# --- fit ---------------------------------------------------------------------------------
def _noting_skip(ws: Workspace, check: Callable[..., T_], *args: Any, **kwargs: Any) -> T_:
    """``check(*args, **kwargs)``; when the corpus is too small for topics and the
    workspace has none, note why (:mod:`opinion.topics.skipped`) before the error goes on.

    A workspace that holds topics keeps them, and no note (since 2026-12-07): a rejected
    ``opinion topics --min-topic-size 300`` leaves it as it was (``opinion run`` clears the
    topics and notes why itself, :func:`opinion.pipeline.run_pipeline`).
    """
    try:
        return check(*args, **kwargs)
    except TooFewDocumentsError as exc:
        if not ws.has(S.TOPICS):
            note_skipped(ws, exc)
        raise


def _fit_sample(ws: Workspace, model: Any, fit: F.FitRows, embeddings: np.ndarray, **options: Any) -> Any:
    """``model.fit_on_sample``; a fit that left every cluster under ``min_topic_size`` is a
    :class:`TooFewDocumentsError` naming the workspace (:meth:`opinion.topics.assign.Assigner.require_topics`)."""
    try:
        return model.fit_on_sample(fit, embeddings, **options)
    except TooFewDocumentsError as exc:
        raise TooFewDocumentsError(f"{ws.root}: {exc}", unit=exc.unit, have=exc.have, needed=exc.needed) from None


def _input_fingerprint(ws: Workspace) -> list[list[Any]]:
    """Names and content digests of the input parts: ``prepare --force``, ``load --replace`` of
    the same file or a copied workspace write the same bytes and refit nothing (sizes and
    modification times had refitted 620k posts for 80–140 s; hashing their 265 MB takes ~0.5 s)."""
    return [[table, part, ws.store.sha256(table, part)]
            for table in (S.CORPUS, S.PREPARED, S.FLAGS) for part in ws.parts(table)]


def _sub_stages(settings: TopicSettings) -> tuple[str, ...]:
    """The part-wise records the stage writes: the embedding cache, then its two passes."""
    return (f"topic_embed:{settings.embedding}", A.STATS, S.TOPIC_DOCS)


def _finished(ws: Workspace, settings: TopicSettings) -> bool:
    """Whether the last fit ran to the end: its record and every sub-stage record say so, and
    the model folder is whole. Before 2026-12-08 only ``topic_documents`` was checked, so a
    fit killed in its first pass or while saving the model was taken as "unchanged"."""
    records = [ws.stage_record(STAGE) or {}, *(ws.stage_record(name) or {} for name in _sub_stages(settings))]
    return (all(record.get("complete") is not False for record in records)
            and ws.has(S.TOPIC_DOCS) and (ws.root / f"{METRICS}.json").exists()
            and not missing_files(ws.root / MODEL_DIR))


def _engine(engine: str, address: str | None, workers: int):
    """One Dask client for every pass of the stage (the local engine needs none)."""
    if engine != "dask":
        return contextlib.nullcontext()
    from opinion.engine.dask_runner import connect

    return connect(address, workers=workers)


def _release_memory() -> None:
    """Collect garbage and hand freed heap pages back to the system (glibc), so the parent
    does not keep the fit's peak while the workers run."""
    import ctypes
    import gc

    import pyarrow

    gc.collect()
    pyarrow.default_memory_pool().release_unused()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


@writes_workspace
def fit_topics(ws: Workspace | str | Path, settings: TopicSettings | None = None, *, force: bool = False,
               workers: int = 0, engine: str = "local", address: str | None = None,
               **options: Any) -> TopicReport:
    """Fit topics on the workspace's prepared tokens and write every topic table.

    Fits on (a sample of) the distinct texts, then assigns every part with ``workers``
    processes (0: all cores) or on a Dask cluster (``engine="dask"``, ``address``); the
    tables are identical in every mode. Near-duplicates and spam (:mod:`opinion.flags`)
    stay out of the fit, the topic words and the examples unless ``keep_duplicates``. Skips the work (and returns the stored report) when
    the inputs, the settings and the embedder's model files have not changed since the last
    run, unless ``force``; a run
    killed while assigning resumes without redoing the finished parts. Without ``settings``
    it reuses the ones the workspace last fitted with; ``options`` (fields of
    :class:`~opinion.config.TopicSettings`) override single values.
    Example: ``fit_topics(ws, nr_topics=20, workers=2)``.
    """
    from opinion.engine.jobs import resolve_workers
    from opinion.engine.runner import map_assign
    from opinion.flags import require_flags
    from opinion.topics.embed import get_embedder
    from opinion.topics.embed_cache import encode, ensure_embeddings, model_files_stamp
    from opinion.topics.topic_model import TopicModel

    ws = ws if isinstance(ws, Workspace) else Workspace.open(ws)
    start = time.perf_counter()
    finish_swap(ws.root / MODEL_DIR)  # what a run killed while saving the model left
    require_flags(ws)
    settings = topic_settings(ws, settings, options)
    keep_duplicates = settings.keep_duplicates
    resolve_workers(workers)
    embedder = get_embedder(settings.embedding)  # loads nothing yet
    stamp = fingerprint({"version": STAGE_VERSION, "inputs": _input_fingerprint(ws), "settings": asdict(settings),
                         "label_rules": label_rules_key(),
                         "model_files": model_files_stamp(embedder)})  # a new static-zh model refits
    record = ws.stage_record(STAGE)
    if not force and record and record.get("fingerprint") == stamp and _finished(ws, settings):
        store_settings(ws, settings)
        return _stored_report(ws, time.perf_counter() - start)

    # 1. Fit on distinct texts with words (a stratified sample of them above sample_size).
    scan = F.scan_corpus(ws, include_flagged=keep_duplicates)
    _noting_skip(ws, require_enough, int(scan.distinct.sum()), settings, where=f"{ws.root}: ",
                 flagged=scan.flagged_with_words)
    chosen_period = settings.period or scan.choose_period()
    fit_rows, sampled = scan.fit_rows(settings.sample_size, seed=settings.seed, period=chosen_period)
    where: dict[str, Any] = {"workers": workers, "engine": engine, "address": address}
    model = TopicModel(**asdict(settings))
    with _engine(engine, address, workers):
        table = ensure_embeddings(ws, settings.embedding, embedder, **where)
        fit = F.read_fit_rows(ws, scan, fit_rows, table)
        fit = fit.take(F.fit_order(fit))
        _noting_skip(ws, require_words, fit.terms, where=f"{ws.root}: ")
        embedder.fit(fit.tokens, texts=fit.texts)
        embeddings = fit.embeddings if fit.embeddings is not None else encode(embedder, fit.tokens, fit.texts)
        fitted = _noting_skip(ws, _fit_sample, ws, model, fit, embeddings, embedder=embedder,
                              seeds=F.guided_seeds(ws) if settings.guided else None,
                              period=chosen_period, cached=table is not None)
        # Stored once the fit found topics (since 2026-12-08; since 2026-12-07 after the corpus
        # checks): a --min-topic-size that left every cluster an outlier stayed stored, and every
        # later `opinion run` failed the same way.
        store_settings(ws, settings)
        placed = ~fitted.empty
        # Keep what the tables need from the fit (ids, and which words each text has, for
        # NPMI); free the rest before the workers start.
        fit_ids = fit.doc_ids
        fit_words = A.count_matrix(A.document_words(fit.tokens)[1], model.assigner_.vocabulary)
        del embeddings, fit
        _release_memory()
        sources = [S.CORPUS, S.PREPARED] + ([table] if table is not None else [])
        files = corpus_files(ws)
        columns = {S.CORPUS: [S.DOC_ID, S.PUBLISHED_AT, S.SOURCE, *([S.INPUT_FILE] if files else [])],
                   S.PREPARED: [S.DOC_ID, S.TOKENS, S.TEXT_NORM]}
        if not keep_duplicates:  # stats_part leaves flagged documents out of the words
            columns[S.CORPUS].append(S.DUPLICATE_OF)
            if ws.has(S.FLAGS):
                sources.append(S.FLAGS)
                columns[S.FLAGS] = [S.DOC_ID, S.NEAR_DUPLICATE_OF, S.IS_SPAM]
        passes: dict[str, Any] = {"source": sources, "columns": columns, "force": force, **where}

        # From here the tables and the model are rewritten: a kill leaves the record incomplete
        # (never "unchanged"; opinion info and export name `opinion topics`).
        ws.set_stage_record(STAGE, {**(record or {}), "complete": False})

        # 2. Place every part; add up sizes, embedding sums and term counts.
        first = model.assigner_
        first.files = files
        map_assign(ws, first, assign=A.stats_part, model_fingerprint=first.fingerprint(),
                   target=A.STATS, stage=A.STATS, desc="topics: assign", **passes)
        totals = A.reduce_stats(ws, first)
        model.summarise_totals(totals, fitted)

        # 3. The per-document table: similarity to the centres from every document, labels.
        ws.table_path(S.TOPIC_DOCS).unlink(missing_ok=True)  # one file, from an older version
        second = model.assigner_
        map_assign(ws, second, assign=A.documents_part, model_fingerprint=second.fingerprint(),
                   target=S.TOPIC_DOCS, stage=S.TOPIC_DOCS, desc="topics: documents", **passes)
    representations, labels = model.representations_, second.labels
    topics_df = model.set_topics_table(A.representative_doc_ids(ws, sorted(second.centres),
                                                             include_flagged=keep_duplicates))
    over_time = T.topics_over_time_table(model.model_, dict(totals.period_sizes), totals.period_terms)
    per_source = T.topics_per_source_table(dict(totals.sources))

    # Metrics: NPMI over the fit documents' words (every distinct text unless sampled);
    # outliers before reassignment.
    term_lists = [[w for w, _ in representations[t]] for t in sorted(representations)]
    npmi = metrics.npmi_from_matrix(term_lists, fit_words, first.vocabulary)
    content = totals.docs["content"]
    metric_doc = {
        "n_topics": len(second.centres),
        "npmi_mean": _nan_to_none(float(np.nanmean(npmi)) if len(npmi) else math.nan),
        "npmi_per_topic": {str(t): _nan_to_none(v) for t, v in zip(sorted(representations), npmi)},
        "diversity": _nan_to_none(metrics.topic_diversity(term_lists)),
        "outlier_share": totals.docs["outliers"] / content if content else 0.0,
        "outliers_reassigned": totals.docs["outliers"],
        "no_content": totals.docs["no_content"],
        "n_documents": scan.n_documents, "n_fit": int(placed.sum()), "sampled": bool(sampled),
        "sample_size": settings.sample_size, "period": chosen_period,
        "n_clusters": int(model.model_.hdbscan_model.n_clusters_),
        "auto_silhouette": {str(k): v for k, v in getattr(model.model_.hdbscan_model, "selection_", {}).items()},
        "seed": settings.seed, "embedder": settings.embedding,
        "settings": asdict(settings), "versions": F.versions(),
        "seconds": round(time.perf_counter() - start, 2),
    }

    ws.write_table(S.TOPICS, topics_df)
    ws.write_table(S.TOPICS_OVER_TIME, over_time)
    ws.write_table(S.TOPICS_PER_SOURCE, per_source)
    ws.write_table(S.TOPIC_HIERARCHY, fitted.hierarchy)
    ws.write_json(METRICS, metric_doc)
    save_topic_model(model.model_, ws.root / MODEL_DIR, meta={
        "embedder": settings.embedding, "settings": asdict(settings),
        "token_settings": {"terms": "prepared.tokens filtered by opinion.topics.components.topic_terms",
                           "stopwords": "opinion.text.tokenize.shipped_stopwords"},
        "labels": {str(k): v for k, v in labels.items()}, "versions": F.versions(),
    }, fit_doc_ids=fit_ids, fit_topics=fitted.original.tolist(), placing=second.placing_arrays())
    clear_skipped(ws)  # saved with the stage record
    ws.set_stage_record(STAGE, {"fingerprint": stamp, "settings": asdict(settings),
                                "n_topics": len(second.centres), "n_documents": scan.n_documents,
                                "seconds": metric_doc["seconds"], "complete": True})
    return _report_from_metrics(metric_doc, topics_df, skipped=False,
                                seconds=time.perf_counter() - start)


def topic_settings(ws: Workspace | None, settings: TopicSettings | None = None,
                   options: dict[str, Any] | None = None) -> TopicSettings:
    """The checked settings a fit runs with: ``settings``, else the workspace's stored ones,
    else the defaults, with ``options`` (field names; None: not given) replacing values."""
    import dataclasses

    known = {f.name for f in dataclasses.fields(TopicSettings)}
    unknown = sorted(set(options or {}) - known)
    if unknown:
        raise InputError(f"unknown topic option {unknown[0]!r}; valid: {', '.join(sorted(known))}")
    return settings_for(ws, TopicSettings, settings, options).check()


def _nan_to_none(value: float) -> float | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


def _report_from_metrics(doc: dict[str, Any], topics_df: pd.DataFrame, *, skipped: bool,
                         seconds: float) -> TopicReport:
    nan = float("nan")
    given = doc.get("settings") or {}
    return TopicReport(
        n_documents=doc["n_documents"], n_fit=doc["n_fit"], sampled=doc["sampled"],
        n_topics=doc["n_topics"], outlier_share=doc["outlier_share"],
        npmi_mean=nan if doc["npmi_mean"] is None else doc["npmi_mean"],
        diversity=nan if doc["diversity"] is None else doc["diversity"],
        embedder=doc["embedder"], period=doc["period"], seconds=seconds, skipped=skipped,
        topics=topics_df[[S.TOPIC_ID, "label", "size", "share", "top_terms"]].to_dict("records"),
        keep_duplicates=bool(given.get("keep_duplicates", False)),
        nr_topics=given.get("nr_topics", "auto"), min_topic_size=int(given.get("min_topic_size", 0)),
    )


def _stored_report(ws: Workspace, seconds: float) -> TopicReport:
    return _report_from_metrics(ws.read_json(METRICS), ws.read(S.TOPICS), skipped=True,
                                seconds=seconds)


