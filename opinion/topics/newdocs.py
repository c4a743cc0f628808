"""Put new documents into a workspace's fitted topics (`opinion topics assign`).

The saved model (:mod:`opinion.topics.store`) is loaded, its embedder refit exactly as at fit
time, and the new texts go through the text stage as the corpus did.

Example:
    >>> assign_topics(Workspace.open("runs/weibo"), ["武汉加油，口罩告急"])  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from opinion import schema as S
from opinion.errors import InputError
from opinion.io.workspace import Workspace
from opinion.topics.components import topic_terms
from opinion.topics.embed_cache import encode, is_cacheable
from opinion.topics.fit import prepare_settings
from opinion.topics.store import MODEL_DIR


def similarity_to_topic(topics: np.ndarray, embeddings: np.ndarray,
                        centres: dict[int, np.ndarray]) -> np.ndarray:
    """Cosine of each document with its topic's centre, clipped to [0, 1]; 0 for -1."""
    prob = np.zeros(len(topics), dtype=np.float64)
    for topic, centre in centres.items():
        rows = topics == topic
        prob[rows] = np.clip(embeddings[rows] @ centre, 0.0, 1.0)
    return prob


def _fit_documents(ws: Workspace, fit_ids: pd.Series) -> pd.DataFrame:
    """Tokens and texts of the fit documents, in fit order, read part by part."""
    wanted = set(fit_ids)
    found = [part[part[S.DOC_ID].isin(wanted)] for part in
             (ws.read_part(S.PREPARED, p, columns=[S.DOC_ID, S.TEXT_NORM, S.TOKENS])
              for p in ws.parts(S.PREPARED))]
    return pd.concat(found, ignore_index=True).set_index(S.DOC_ID).loc[fit_ids]


def read_new_documents(paths: str | Path | Sequence[str | Path], *, text_col: str | None = None,
                       id_col: str | None = None, fmt: str = "auto", encoding: str = "auto",
                       ) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    """Ids and texts of new documents, read by the loader: every format, encoding and
    ``.gz`` that ``opinion load`` reads; a ``.txt`` file holds one text per line.

    Returns a frame with ``doc_id`` and ``text`` and the rejected rows (file, row, reason).
    Example: ``docs, rejects = read_new_documents("new_posts.csv.gz", id_col="mid")``.
    """
    from opinion.io.load import read_documents

    if isinstance(paths, (str, Path)):
        paths = [paths]
    frame, _, rejects = read_documents(paths, fmt=fmt, encoding=encoding, text_col=text_col,
                                       id_col=id_col, txt_lines=True)
    docs = frame[[S.DOC_ID, S.TEXT_RAW]].rename(columns={S.TEXT_RAW: "text"})
    return docs.reset_index(drop=True), rejects


def read_new_texts(path: str | Path, *, text_col: str | None = None) -> list[str]:
    """Texts of a new file (see :func:`read_new_documents`), in file order."""
    return read_new_documents(path, text_col=text_col)[0]["text"].tolist()


def assign_topics(ws: Workspace, texts_or_path: list[str] | str | Path | pd.DataFrame, *,
                  text_col: str | None = None) -> pd.DataFrame:
    """Put new documents into the workspace's fitted topics.

    ``texts_or_path`` is a list of texts (ids ``new-1``, ``new-2`` ...), a file read by
    :func:`read_new_documents`, or a frame with ``doc_id`` and ``text``. Returns one row per
    document: ``doc_id``, ``text``, ``topic_id``, ``topic_id_original``, ``topic_prob``,
    ``topic_label``. Example: ``assign_topics(ws, ["武汉加油，口罩告急"])``.
    """
    from opinion.prepare import prepare_part
    from opinion.topics.embed import get_embedder
    from opinion.topics.store import load_topic_model, read_fit_documents

    if isinstance(texts_or_path, pd.DataFrame):
        docs = texts_or_path
    elif isinstance(texts_or_path, (str, Path)):
        docs = read_new_documents(texts_or_path, text_col=text_col)[0]
    else:
        texts = [str(t) for t in texts_or_path]
        docs = pd.DataFrame({S.DOC_ID: [f"new-{i}" for i in range(1, len(texts) + 1)],
                             "text": texts})
    texts = docs["text"].tolist()
    if not texts:
        raise InputError("no document to assign: every row was rejected (empty text?)")
    folder = ws.root / MODEL_DIR
    model, meta = load_topic_model(folder)
    embedder = get_embedder(meta["embedder"])
    if not is_cacheable(embedder):  # it learnt from the fit documents: refit it on them
        fit_docs = _fit_documents(ws, read_fit_documents(folder)[S.DOC_ID])
        embedder.fit(fit_docs[S.TOKENS].tolist(), texts=fit_docs[S.TEXT_NORM].fillna("").tolist())

    # The text stage exactly as it ran on the corpus (same cleaning, dictionaries, stopwords).
    new = prepare_part(pd.DataFrame({S.DOC_ID: docs[S.DOC_ID].tolist(), S.TEXT_RAW: texts}),
                       prepare_settings(ws))
    norms = new[S.TEXT_NORM].tolist()
    tokens = new[S.TOKENS].tolist()
    documents = [" ".join(topic_terms(t)) for t in tokens]
    embeddings = encode(embedder, tokens, norms)
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
        S.DOC_ID: docs[S.DOC_ID].tolist(), "text": texts, S.TOPIC_ID: final, S.TOPIC_ID_ORIGINAL: original,
        S.TOPIC_PROB: similarity_to_topic(final, embeddings, by_id),
        S.TOPIC_LABEL: [meta["labels"].get(str(int(t)), "") for t in final],
    })
