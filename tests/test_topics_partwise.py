"""Topic assignment part by part (a small real corpus: tests/data/topics, in 4 parts).

- 1 worker, 2 worker processes and a Dask LocalCluster of 2 workers write identical tables;
- the part-wise tables equal those of the whole-corpus computation they replaced (every
  document transformed at once, BERTopic's ``reduce_outliers``, ``update_topics`` and
  ``topics_over_time`` on all documents), kept here as the reference;
- a run killed with SIGKILL while assigning resumes without redoing the recorded parts.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import sparse

from opinion import schema as S
from opinion.io.atomic import file_sha256
from opinion.io.workspace import Workspace
from opinion.periods import choose_period, period_start
from opinion.topics import assign as A
from opinion.topics import fit as F
from opinion.topics import labels as L
from opinion.topics.model import TopicSettings, fit_topics
from tests.test_topics_model import build_workspace

TABLES = (S.TOPIC_DOCS, S.TOPICS, S.TOPICS_OVER_TIME, S.TOPICS_PER_SOURCE, S.TOPIC_HIERARCHY)
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _small_tfidf(monkeypatch: pytest.MonkeyPatch):
    """A 32-dimension tfidf embedder keeps these tests fast (the default is 256)."""
    from functools import partial

    from opinion.topics import embed

    monkeypatch.setitem(embed._REGISTRY, "tfidf", partial(embed.TfidfEmbedder, dim=32))


def _metrics(ws: Workspace) -> dict:
    doc = json.loads((ws.root / "topic_metrics.json").read_text(encoding="utf-8"))
    doc.pop("seconds")
    return doc


def _assert_same_topics(left: Workspace, right: Workspace) -> None:
    for table in TABLES:
        pd.testing.assert_frame_equal(left.read(table), right.read(table), check_exact=True)
    assert _metrics(left) == _metrics(right)


def test_topics_one_worker_two_workers_and_dask_are_identical(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    runs = {name: build_workspace(tmp_path / name, parts=4) for name in ("one", "two", "dask")}
    fit_topics(runs["one"], seed=3, workers=1)
    fit_topics(runs["two"], seed=3, workers=2)
    environ = dict(os.environ)
    fit_topics(runs["dask"], seed=3, engine="dask", workers=2)  # a LocalCluster of 2 workers
    # Dask's worker settings (OMP_NUM_THREADS=1 ...) must not stay in this process: the fit
    # that follows a cluster start would use other thread counts than the local engine's.
    assert dict(os.environ) == environ
    assert len(runs["one"].parts(S.TOPIC_DOCS)) == 4  # the per-document table is part-wise
    for name in ("two", "dask"):
        _assert_same_topics(runs["one"], runs[name])
        for table in (S.TOPIC_DOCS, A.STATS, "embeddings/static-zh"):
            assert {p: file_sha256(runs[name].part_path(table, p)) for p in runs[name].parts(table)} == \
                {p: file_sha256(runs["one"].part_path(table, p)) for p in runs["one"].parts(table)}


# --- the whole-corpus computation the part-wise one replaced ---------------------------------
def _whole_corpus_reference(ws: Workspace, settings: TopicSettings) -> dict[str, pd.DataFrame]:
    """Every document in memory at once, as `fit_topics` did before it worked part by part."""
    from opinion.topics import tables as T
    from opinion.topics.components import normalise_rows, topic_terms
    from opinion.topics.embed import get_embedder
    from opinion.topics.embed_cache import encode

    corpus = ws.read(S.CORPUS, columns=[S.DOC_ID, S.PUBLISHED_AT, S.SOURCE, S.DUPLICATE_OF])
    frame = corpus.merge(ws.read(S.PREPARED, columns=[S.DOC_ID, S.TEXT_NORM, S.TOKENS]), on=S.DOC_ID)
    terms = [topic_terms(t) for t in frame[S.TOKENS]]
    documents = [" ".join(t) for t in terms]
    period = choose_period(frame[S.PUBLISHED_AT])
    fit_rows = np.flatnonzero(frame[S.DUPLICATE_OF].isna().to_numpy() & np.array([bool(t) for t in terms]))
    tokens, texts = frame[S.TOKENS].tolist(), frame[S.TEXT_NORM].fillna("").tolist()
    in_order = F.FitRows(doc_ids=[], tokens=[tokens[i] for i in fit_rows], texts=[texts[i] for i in fit_rows],
                         terms=[], embeddings=None)
    fit_rows = fit_rows[F.fit_order(in_order)]  # the fit sees its documents in content order
    embedder = get_embedder(settings.embedding)
    embedder.fit([tokens[i] for i in fit_rows], texts=[texts[i] for i in fit_rows])
    embeddings = encode(embedder, tokens, texts)
    empty = ~np.array([bool(t) for t in terms]) | (np.linalg.norm(embeddings, axis=1) == 0)
    model = F.build_model(settings, embedder, None)
    model_rows = fit_rows[~empty[fit_rows]]
    fitted, _ = model.fit_transform([documents[i] for i in model_rows], embeddings=embeddings[model_rows])
    original = np.full(len(frame), -1)
    original[model_rows] = fitted
    rest = np.setdiff1d(np.flatnonzero(~empty), model_rows)
    original[rest] = model.transform([documents[i] for i in rest], embeddings=embeddings[rest])[0]
    final = original.copy()
    rows = np.flatnonzero(~empty)
    if model._outliers:
        final[rows] = model.reduce_outliers([documents[i] for i in rows], original[rows].tolist(),
                                            strategy="embeddings", embeddings=embeddings[rows])
    assigned = np.flatnonzero(final != -1)
    counted = assigned[frame[S.DUPLICATE_OF].isna().to_numpy()[assigned]]  # words: no duplicates
    model.update_topics([documents[i] for i in counted], topics=final[counted].tolist(),
                        top_n_words=10, vectorizer_model=model.vectorizer_model,
                        ctfidf_model=model.ctfidf_model)
    centres = {t: normalise_rows(embeddings[final == t].mean(axis=0, keepdims=True))[0]
               for t in sorted(set(final[assigned].tolist()))}
    prob = np.zeros(len(frame))
    for topic, centre in centres.items():
        prob[final == topic] = np.clip(embeddings[final == topic] @ centre, 0.0, 1.0)
    representations = {t: list(model.topic_representations_.get(t, [])) for t in centres}
    # Readable labels from document frequencies over the whole corpus at once.
    words = sorted({w for doc in documents for w in doc.split()})
    vocab = {w: j for j, w in enumerate(words)}
    by_topic = {t: np.flatnonzero(final == t) for t in centres}
    df, df_all = np.zeros((max(centres) + 1, len(words))), np.zeros((max(centres) + 1, len(words)))
    for topic, rows_t in by_topic.items():
        for i in rows_t:
            hits = sorted({vocab[w] for w in documents[i].split()})
            df_all[topic, hits] += 1
            if frame[S.DUPLICATE_OF].isna().iloc[i]:
                df[topic, hits] += 1
    counted_n = {t: int(frame[S.DUPLICATE_OF].isna().to_numpy()[r].sum()) for t, r in by_topic.items()}
    readable = L.readable_labels(sorted(centres), words, sparse.csr_matrix(df), sparse.csr_matrix(df_all),
                                 counted_n, {t: len(r) for t, r in by_topic.items()})
    topics = T.topics_table(pd.Series(final).value_counts().to_dict(), representations, {}, readable)
    labels = dict(zip(topics[S.TOPIC_ID], topics["label"]))
    docs = pd.DataFrame({S.DOC_ID: frame[S.DOC_ID], S.TOPIC_ID: final, S.TOPIC_ID_ORIGINAL: original,
                         S.TOPIC_PROB: prob, S.TOPIC_LABEL: [labels.get(int(t), "") for t in final]})
    starts = period_start(frame[S.PUBLISHED_AT], period)
    dated = starts.notna().to_numpy() & (final != -1)
    kept = dated & frame[S.DUPLICATE_OF].isna().to_numpy()
    words = model.topics_over_time([documents[i] for i in np.flatnonzero(kept)], list(starts[kept]),
                                   topics=final[kept].tolist(), global_tuning=True, evolution_tuning=False)
    words = words.rename(columns={"Topic": S.TOPIC_ID, "Timestamp": "period", "Words": "words"})
    counts = pd.DataFrame({S.TOPIC_ID: final[dated], "period": starts[dated].to_numpy()}).value_counts()
    words["Frequency"] = [counts.get((t, p), 0) for t, p in zip(words[S.TOPIC_ID], words["period"])]
    return {"docs": docs, "topics": topics, "words": words}


def test_topics_partwise_equals_the_whole_corpus_computation(tmp_path: Path) -> None:
    ws = build_workspace(tmp_path / "ws", parts=4)
    fit_topics(ws, embedding="tfidf", seed=7, workers=2)  # the fitted tfidf goes to the workers
    reference = _whole_corpus_reference(ws, TopicSettings(embedding="tfidf", seed=7))

    docs = ws.read(S.TOPIC_DOCS)
    expected = reference["docs"]
    for column in (S.DOC_ID, S.TOPIC_ID, S.TOPIC_ID_ORIGINAL, S.TOPIC_LABEL):
        assert docs[column].tolist() == expected[column].tolist(), column
    # centres: float64 sums of parts vs one float32 mean: equal to float32 precision
    assert np.allclose(docs[S.TOPIC_PROB], expected[S.TOPIC_PROB], rtol=0, atol=1e-6)
    topics = ws.read(S.TOPICS)
    for column in (S.TOPIC_ID, "label", "name", "size", "share", "coherence", "is_generic"):
        assert topics[column].tolist() == reference["topics"][column].tolist(), column
    assert [list(t) for t in topics["top_terms"]] == reference["topics"]["top_terms"].tolist()
    over_time = ws.read(S.TOPICS_OVER_TIME)
    # every dated document is counted, topic -1 too (it has no words)
    assert over_time["count"].sum() == ws.read(S.CORPUS)[S.PUBLISHED_AT].notna().sum()
    assert (over_time.loc[over_time[S.TOPIC_ID] == -1, "words"] == "").all()
    over_time = over_time[over_time[S.TOPIC_ID] != -1]
    words = reference["words"].assign(words=reference["words"]["words"].str.replace(", ", " "))
    merged = over_time.merge(words, on=[S.TOPIC_ID, "period"], suffixes=("", "_reference"))
    assert len(merged) == len(over_time) == len(words)
    assert (merged["words"] == merged["words_reference"]).all()
    assert (merged["count"] == merged["Frequency"]).all()


# --- resuming --------------------------------------------------------------------------------
RUN = """
import time, sys
sys.path[:0] = {paths!r}
from functools import partial
from opinion.io.workspace import Workspace
from opinion.topics import assign, embed
from opinion.topics.model import fit_topics
embed._REGISTRY["tfidf"] = partial(embed.TfidfEmbedder, dim=32)
original, calls = assign.stats_part, []
def stats_part(frame, settings, assigner):  # the same stage, slowed down per part
    calls.append(len(frame))
    time.sleep({delay})
    return original(frame, settings, assigner)
stats_part.__module__, stats_part.__qualname__ = original.__module__, original.__qualname__
assign.stats_part = stats_part
fit_topics(Workspace.open({root!r}), embedding="tfidf", seed=7, workers=1)
print("computed", len(calls))
"""
# The same BLAS threads in every run: the fit (PCA, k-means) is reproducible for a given
# number of threads, and a Dask cluster started by an earlier test sets them to 1 here.
THREADS = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def _start(root: Path, delay: float) -> subprocess.Popen:
    code = RUN.format(paths=[str(REPO), str(REPO / "tests")], root=str(root), delay=delay)
    return subprocess.Popen([sys.executable, "-c", code], env={**os.environ, **THREADS},
                            stdout=subprocess.PIPE, text=True, start_new_session=True)


def _recorded(root: Path, stage: str) -> dict:
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    return (manifest["stages"].get(stage) or {}).get("parts", {})


def test_topics_killed_while_assigning_resumes_the_unfinished_parts(tmp_path: Path) -> None:
    ws = build_workspace(tmp_path / "ws", parts=6)
    proc = _start(ws.root, delay=1.5)
    try:
        deadline = time.monotonic() + 120
        while not _recorded(ws.root, A.STATS):
            assert proc.poll() is None, "the run ended before it could be killed"
            assert time.monotonic() < deadline, "no part was recorded within 120 s"
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)  # as `kill -9 PID` does
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    recorded = _recorded(ws.root, A.STATS)
    parts = Workspace.open(ws.root).parts(S.CORPUS)
    assert recorded and len(recorded) < len(parts)
    assert not (ws.root / "topics.parquet").exists()  # the tables come only at the end

    resumed = _start(ws.root, delay=0)  # refits the same model, skips the recorded parts
    out, _ = resumed.communicate(timeout=300)
    assert resumed.returncode == 0 and f"computed {len(parts) - len(recorded)}" in out
    done = Workspace.open(ws.root)
    assert {p: e["target_sha256"] for p, e in _recorded(ws.root, A.STATS).items() if p in recorded} == \
        {p: e["target_sha256"] for p, e in recorded.items()}
    assert done.stage_record(A.STATS)["complete"] and done.stage_record(S.TOPIC_DOCS)["complete"]

    fresh = build_workspace(tmp_path / "fresh", parts=6)
    uninterrupted = _start(fresh.root, delay=0)
    assert uninterrupted.communicate(timeout=300)[0].strip().endswith(f"computed {len(parts)}")
    _assert_same_topics(done, fresh)
