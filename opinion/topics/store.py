"""Save and load a fitted topic model without pickle: safetensors + JSON + Parquet.

Layout of ``WS/topic_model/``::

    topic_embeddings.safetensors, topics.json, config.json,     BERTopic's own safetensors save
    ctfidf.safetensors, ctfidf_config.json                       (c-TF-IDF and vocabulary kept)
    opinion_components.safetensors   projection mean/components, k-means centres and label map;
                                     the fit's outlier centres and guided anchors when it had them
    opinion_model.json               embedder name, token settings, settings, versions
    fit_documents.parquet            doc_id and topic_id (before reassignment) of the fit sample

BERTopic drops our vectorizer's analyzer and its reducer/clusterer when it saves to
safetensors; :func:`load_topic_model` puts them back, so ``transform`` after loading gives
exactly the topics the fitted model gave.

Example:
    >>> model, meta = load_topic_model("runs/weibo/topic_model")  # doctest: +SKIP
    >>> meta["embedder"]  # doctest: +SKIP
    'static-zh'
"""

from __future__ import annotations

import json
import logging
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from opinion import schema as S
from opinion.errors import WorkspaceError, some_of
from opinion.io.atomic import write_json_atomic
from opinion.topics.components import CentroidClusterer, LinearProjection, split_terms

MODEL_DIR = "topic_model"
COMPONENTS = "opinion_components.safetensors"
META = "opinion_model.json"
FIT_DOCS = "fit_documents.parquet"
FORMAT_VERSION = 1
PLACING = "placing_"  # prefix of the placing arrays in COMPONENTS
STAGE = "topics"  # the stage record of the fit that saved the model (opinion.topics.stage)


def save_topic_model(model, folder: str | Path, *, meta: dict[str, Any],
                     fit_doc_ids: list[str], fit_topics: list[int],
                     extra: Callable[[Path], None] | None = None,
                     placing: dict[str, np.ndarray] | None = None) -> Path:
    """Write ``model`` (a fitted BERTopic with our components) and ``meta`` to ``folder``.

    ``placing`` (:meth:`opinion.topics.assign.Assigner.placing_arrays`: ``fit_centres``,
    ``guide``) is kept beside the components, so that a loaded model places documents as
    the fit did (:func:`read_placing`).

    The folder is written beside the target (``.topic_model.tmp``) and swapped in by two
    renames (:func:`_swap_in`), so a kill never leaves half a model: the folder is the old
    model or the new one, and :func:`finish_swap` completes or cleans up what a killed swap
    left; ``extra(tmp_folder)`` adds files before the swap
    (:meth:`opinion.topics.topic_model.TopicModel.save` adds its own state).
    """
    from safetensors.numpy import save_file

    folder = Path(folder)
    finish_swap(folder)
    tmp = _beside(folder, "tmp")
    logger = logging.getLogger("BERTopic")
    level = logger.level
    logger.setLevel(logging.ERROR)  # it warns that no sentence-transformers model is named
    try:
        model.save(tmp, serialization="safetensors", save_ctfidf=True, save_embedding_model=False)
    finally:
        logger.setLevel(level)
    reducer, clusterer = model.umap_model, model.hdbscan_model
    arrays = {
        "projection_mean": reducer.mean_, "projection_components": reducer.components_,
        "cluster_centers": clusterer.cluster_centers_, "cluster_label_map": clusterer.label_map_,
        **{f"{PLACING}{k}": v for k, v in (placing or {}).items()},
    }
    # safetensors writes the raw buffer: a Fortran-ordered array (PCA's components_) would
    # come back transposed, so store C-ordered copies.
    save_file({k: np.ascontiguousarray(v) for k, v in arrays.items()}, str(tmp / COMPONENTS))
    write_json_atomic(tmp / META, {"format_version": FORMAT_VERSION, **meta})
    pd.DataFrame({S.DOC_ID: fit_doc_ids, S.TOPIC_ID: fit_topics}).to_parquet(tmp / FIT_DOCS, index=False)
    if extra is not None:
        extra(tmp)
    _swap_in(tmp, folder)
    return folder


def _beside(folder: Path, kind: str) -> Path:
    """The hidden folder beside ``folder`` a swap uses: ``.topic_model.tmp`` (the new model
    being written) or ``.topic_model.old`` (the old one, renamed aside)."""
    return folder.with_name(f".{folder.name}.{kind}")


def _swap_in(tmp: Path, folder: Path) -> None:
    """Replace ``folder`` by the complete ``tmp``: rename the old folder aside, rename ``tmp``
    in, then delete the old one. Each rename is atomic, so a kill at any point leaves a whole
    model at ``folder`` or a state :func:`finish_swap` completes (before 2026-12-08 the old
    folder was deleted in place first, and a kill during the delete left half a model)."""
    old = _beside(folder, "old")
    if old.exists():
        shutil.rmtree(old)
    if folder.exists():
        folder.rename(old)
    tmp.rename(folder)
    shutil.rmtree(old, ignore_errors=True)


def finish_swap(folder: str | Path) -> None:
    """Complete or clean up what a killed :func:`save_topic_model` left beside ``folder``.

    ``.old`` beside a missing folder: the kill came between the two renames, and ``.tmp``
    is the complete new model (it is renamed only once written): it goes in. Otherwise a
    ``.tmp`` is a half-written model and an ``.old`` one that was being deleted: both go.
    Call it holding the workspace lock.
    """
    folder = Path(folder)
    tmp, old = _beside(folder, "tmp"), _beside(folder, "old")
    if not folder.exists() and old.exists():
        (tmp if tmp.exists() else old).rename(folder)
    for leftover in (tmp, old):
        if leftover.exists():
            shutil.rmtree(leftover)


# what BERTopic's safetensors save writes, and what ours adds
MODEL_FILES = ("config.json", "topics.json", "topic_embeddings.safetensors", "ctfidf.safetensors",
               "ctfidf_config.json", COMPONENTS, META)


def missing_files(folder: str | Path) -> list[str]:
    """The files of a saved model that ``folder`` lacks (all of them when it does not exist):
    ``["config.json"]`` for a folder a kill left half deleted by the code before 2026-12-08."""
    folder = Path(folder)
    return [name for name in MODEL_FILES if not (folder / name).is_file()]


def load_topic_model(folder: str | Path):
    """Load ``(model, meta)`` saved by :func:`save_topic_model`; ``model.transform`` works."""
    from bertopic import BERTopic
    from safetensors.numpy import load_file

    folder = Path(folder)
    again = f"run `opinion topics -w {folder.parent}`"
    missing = missing_files(folder)
    if len(missing) == len(MODEL_FILES) and not _beside(folder, "tmp").exists():
        raise WorkspaceError(f"{folder}: no saved topic model; {again} first")
    if missing:
        raise WorkspaceError(f"{folder}: the saved topic model is incomplete ({some_of(missing, 2)} "
                             f"missing; an `opinion topics` killed while saving it?); {again} to fit it again")
    _require_finished_fit(folder, again)
    try:
        meta = json.loads((folder / META).read_text(encoding="utf-8"))
        if meta.get("format_version") != FORMAT_VERSION:
            raise WorkspaceError(f"{folder}: topic model format {meta.get('format_version')} is not "
                                 f"{FORMAT_VERSION}; refit with `opinion topics -w {folder.parent}`")
        logger = logging.getLogger("BERTopic")
        level = logger.level
        logger.setLevel(logging.ERROR)
        try:
            model = BERTopic.load(str(folder))
        finally:
            logger.setLevel(level)
        arrays = load_file(str(folder / COMPONENTS))
    except WorkspaceError:
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged file: any reader error, one line
        raise WorkspaceError(f"{folder}: the saved topic model cannot be read "
                             f"({type(exc).__name__}: {str(exc)[:120]}); {again} to fit it again") from exc
    reducer = LinearProjection(n_components=arrays["projection_components"].shape[0])
    reducer.mean_, reducer.components_ = arrays["projection_mean"], arrays["projection_components"]
    clusterer = CentroidClusterer(n_clusters=arrays["cluster_centers"].shape[0])
    clusterer.cluster_centers_ = arrays["cluster_centers"]
    clusterer.label_map_ = arrays["cluster_label_map"].astype(np.int64)
    model.umap_model, model.hdbscan_model = reducer, clusterer
    model.vectorizer_model.set_params(analyzer=split_terms)
    return model, meta


def _require_finished_fit(folder: Path, again: str) -> None:
    """Refuse the model of a workspace whose last ``opinion topics`` was killed: its topic
    tables and its model may come from different fits (the stage record says ``complete:
    false`` until the fit has written both). A folder outside a workspace is not checked."""
    from opinion.io.workspace import MANIFEST, Workspace

    if folder.name != MODEL_DIR or not (folder.parent / MANIFEST).exists():
        return
    try:
        record = Workspace.open(folder.parent).stage_record(STAGE) or {}
    except WorkspaceError:
        return
    if record.get("complete") is False:
        raise WorkspaceError(f"{folder.parent}: the last `opinion topics` was interrupted, so the "
                             f"topic model and tables may be from different fits; {again} to finish it")


def read_fit_documents(folder: str | Path) -> pd.DataFrame:
    """The ``doc_id``/``topic_id`` of the fit sample (the embedder is refit on these)."""
    return pd.read_parquet(Path(folder) / FIT_DOCS)


def read_placing(folder: str | Path) -> dict[str, np.ndarray]:
    """The placing arrays saved with the model (``fit_centres``, ``guide``); empty for a
    model saved before 2026-12-07 or a fit without outliers and guidance."""
    from safetensors.numpy import load_file

    arrays = load_file(str(Path(folder) / COMPONENTS))
    return {k[len(PLACING):]: v for k, v in arrays.items() if k.startswith(PLACING)}
