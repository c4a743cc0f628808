"""Cache a workspace's document embeddings part by part, so re-running topics does not re-embed.

Only embedders that learn nothing from the corpus are cached (``static-zh``, the teachers,
``sbert:``): their vectors depend on the prepared text and the model files alone. The cache
is a part-wise table ``WS/embeddings/<name>/<part>.parquet`` (one float32 column per
dimension, ``e000`` ...), written by :func:`opinion.engine.runner.run_partwise` from
``prepared``: each part is embedded once, in parallel, and its manifest record (stage
``topic_embed:<name>``: the prepared part's SHA-256, the embedder and its model files)
is the stamp that says whether it is still valid. A killed run keeps the finished parts.

Example:
    >>> table = ensure_embeddings(ws, "static-zh", embedder, workers=0)  # doctest: +SKIP
    >>> table  # doctest: +SKIP
    'embeddings/static-zh'
    >>> vectors_of(ws.read_part(table, "weibo-00000")).shape  # doctest: +SKIP
    (50000, 256)
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from opinion import schema as S
from opinion.io.workspace import Workspace
from opinion.topics.components import one_thread
from opinion.version import __version__

CACHE_DIR = "embeddings"
ENCODE_BATCH = 20_000
PREFIX = "e"


def is_cacheable(embedder: Any) -> bool:
    """Whether ``embedder``'s vectors depend on nothing learnt from the corpus."""
    from opinion.topics.embed import TfidfEmbedder

    return not isinstance(embedder, TfidfEmbedder)


def cache_table(name: str) -> str:
    """The part-wise table holding embedder ``name``'s vectors: ``embeddings/static-zh``."""
    slug = re.sub(r"[^\w.-]+", "_", name)
    return f"{CACHE_DIR}/{slug}"


def encode(embedder: Any, tokens: list, texts: list[str]) -> np.ndarray:
    """Embeddings in batches, so an embedder's intermediate matrices stay small."""
    if len(tokens) <= ENCODE_BATCH:
        return np.asarray(embedder.encode(tokens, texts=texts), dtype=np.float32)
    return np.vstack([embedder.encode(tokens[i:i + ENCODE_BATCH], texts=texts[i:i + ENCODE_BATCH])
                      for i in range(0, len(tokens), ENCODE_BATCH)]).astype(np.float32, copy=False)


def vector_columns(frame: pd.DataFrame) -> list[str]:
    """The embedding columns of a cache part, in order."""
    return [c for c in frame.columns if c.startswith(PREFIX) and c[len(PREFIX):].isdigit()]


def vectors_of(frame: pd.DataFrame) -> np.ndarray:
    """The ``(rows, dim)`` float32 matrix held by a cache part (or a frame joined with one)."""
    return frame[vector_columns(frame)].to_numpy(dtype=np.float32)


def model_files_stamp(embedder: Any) -> list[list[Any]]:
    """Sizes and times of the model files, for embedders that say where they load them."""
    folder = getattr(embedder, "model_folder", None)
    if folder is None or not Path(folder).is_dir():
        return []
    return [[p.name, p.stat().st_size, p.stat().st_mtime_ns] for p in sorted(Path(folder).iterdir())
            if p.is_file()]


@functools.lru_cache(maxsize=2)
def _embedder(name: str) -> Any:
    from opinion.topics.embed import get_embedder

    return get_embedder(name)


def warm_up(settings: dict[str, Any]) -> None:
    """Load the embedder once per worker process."""
    _embedder(settings["embedding"])


def embed_part(prepared: pd.DataFrame, settings: dict[str, Any]) -> pd.DataFrame:
    """One cache part: the vectors of a prepared part's documents, ``e000`` … ``eNNN``."""
    tokens = [list(t) if t is not None else [] for t in prepared[S.TOKENS]]
    texts = prepared[S.TEXT_NORM].fillna("").tolist()
    with one_thread():
        vectors = encode(_embedder(settings["embedding"]), tokens, texts)
    width = max(3, len(str(vectors.shape[1] - 1)))
    return pd.DataFrame(vectors, columns=[f"{PREFIX}{i:0{width}d}" for i in range(vectors.shape[1])])


def ensure_embeddings(ws: Workspace, name: str, embedder: Any, *, workers: int = 0,
                      engine: str = "local", address: str | None = None) -> str | None:
    """Embed every prepared part not cached yet; returns the cache table, or None when
    ``embedder`` learns from the corpus (``tfidf``) and cannot be cached."""
    from opinion.engine.runner import run_partwise

    if not is_cacheable(embedder):
        return None
    base = ws.root / cache_table(name)
    for legacy in (base.with_suffix(".npy"), base.with_suffix(".json")):  # whole-corpus cache
        legacy.unlink(missing_ok=True)
    settings = {"embedding": name, "model": model_files_stamp(embedder), "version": __version__}
    run_partwise(ws, stage=f"topic_embed:{name}", source=S.PREPARED, target=cache_table(name),
                 func=embed_part, settings=settings, workers=workers, engine=engine,
                 address=address, columns=[S.TOKENS, S.TEXT_NORM], desc=f"embed ({name})",
                 initializer=warm_up)
    return cache_table(name)
