"""Put new documents into a workspace's fitted topics (`opinion topics assign`).

The saved model (:mod:`opinion.topics.store`) is loaded, its embedder refit exactly as at fit
time, and the new texts go through the text stage as the corpus did; they are placed by the
stage's own :class:`~opinion.topics.assign.Assigner` (the same projection, k-means, guided
anchors and outlier centres), so a document of the corpus gets the topic it has there.

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
from opinion.topics.assign import Assigner, documents_part, model_topics
from opinion.topics.embed_cache import is_cacheable
from opinion.topics.fit import prepare_settings
from opinion.topics.store import MODEL_DIR, read_placing


def _fit_documents(ws: Workspace, fit_ids: pd.Series) -> pd.DataFrame:
    """Tokens and texts of the fit documents, in fit order, read part by part."""
    wanted = set(fit_ids)
    found = [part[part[S.DOC_ID].isin(wanted)] for part in
             (ws.read_part(S.PREPARED, p, columns=[S.DOC_ID, S.TEXT_NORM, S.TOKENS])
              for p in ws.parts(S.PREPARED))]
    return pd.concat(found, ignore_index=True).set_index(S.DOC_ID).loc[fit_ids]


def read_new_documents(paths: str | Path | Sequence[str | Path], *, text_col: str | None = None,
                       id_col: str | None = None, fmt: str = "auto", encoding: str = "auto",
                       column_names: Sequence[str] = ()) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    """Ids and texts of new documents, read by the loader: every format, encoding and
    ``.gz`` that ``opinion load`` reads; a ``.txt`` file holds one text per line.

    ``column_names`` names the columns of CSV/TSV files without a header line (``--columns``).
    Returns a frame with ``doc_id`` and ``text`` and the rejected rows (file, row, reason).
    Example: ``docs, rejects = read_new_documents("new_posts.csv.gz", id_col="mid")``.
    """
    from opinion.io.load import read_documents

    if isinstance(paths, (str, Path)):
        paths = [paths]
    frame, _, rejects = read_documents(paths, fmt=fmt, encoding=encoding, text_col=text_col,
                                       id_col=id_col, column_names=tuple(column_names), txt_lines=True)
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
    from opinion.topics.skipped import require_topics
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
    require_topics(ws, "assign documents to")
    folder = ws.root / MODEL_DIR
    model, meta = load_topic_model(folder)
    embedder = get_embedder(meta["embedder"])
    if not is_cacheable(embedder):  # it learnt from the fit documents: refit it on them
        fit_docs = _fit_documents(ws, read_fit_documents(folder)[S.DOC_ID])
        embedder.fit(fit_docs[S.TOKENS].tolist(), texts=fit_docs[S.TEXT_NORM].fillna("").tolist())

    # The text stage exactly as it ran on the corpus (same cleaning, dictionaries, stopwords).
    new = prepare_part(pd.DataFrame({S.DOC_ID: docs[S.DOC_ID].tolist(), S.TEXT_RAW: texts}),
                       prepare_settings(ws))
    placed = documents_part(new, {}, saved_assigner(model, meta, read_placing(folder), embedder))
    placed.insert(1, "text", texts)
    return placed


def saved_assigner(model: Any, meta: dict[str, Any], placing: dict[str, np.ndarray],
                   embedder: Any) -> Assigner:
    """The fit's :class:`~opinion.topics.assign.Assigner` from the saved model: the same
    projection, k-means, guided anchors and outlier centres, so a document of the corpus gets
    the topic the fit gave it, and the final centres and labels for ``topic_prob``.

    A model saved before 2026-12-07 lacks the fit's outlier centres: its outliers then go to
    the nearest final centre, as they did then.
    """
    mapping, n_topics = model_topics(model)
    labels = {int(k): str(v) for k, v in meta["labels"].items()}
    labels.setdefault(-1, S.OUTLIER_LABEL)  # a document without words, also when the fit had none
    centre_ids = sorted(t for t in labels if t != -1)
    final = np.asarray(model.topic_embeddings_, dtype=np.float32)
    centres = dict(zip(centre_ids, final))
    fit_centres = placing.get("fit_centres")
    if fit_centres is None and centre_ids and (model.hdbscan_model.label_map_ == -1).any():
        fit_centres = np.zeros((max(centre_ids) + 1, final.shape[1]), dtype=np.float32)
        fit_centres[centre_ids] = final  # row = topic id; a missing id never wins
    return Assigner(projection=model.umap_model, clusterer=model.hdbscan_model, mapping=mapping,
                    fit_centres=fit_centres, fit_topics={}, vocabulary={},
                    n_topics=n_topics, period="", embedder=embedder, centres=centres, labels=labels,
                    guide=placing.get("guide"))
