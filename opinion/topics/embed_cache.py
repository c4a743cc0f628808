"""Cache a workspace's document embeddings, so re-running topics does not re-embed.

Only embedders that learn nothing from the corpus are cached (``static-zh``, the teachers,
``sbert:``): their vectors depend on the prepared text and the model files alone. The
cache lives in ``WS/embeddings/<name>.npy`` with a JSON stamp of what it was made from.

Example:
    >>> vectors = cached_encode(ws, "static-zh", embedder, tokens, texts,
    ...                         inputs=stamp, encode=encode)  # doctest: +SKIP
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from opinion import __version__
from opinion.io.atomic import atomic_path, fingerprint, write_json_atomic
from opinion.io.workspace import Workspace

CACHE_DIR = "embeddings"


def is_cacheable(embedder: Any) -> bool:
    """Whether ``embedder``'s vectors depend on nothing learnt from the corpus."""
    from opinion.topics.embed import TfidfEmbedder

    return not isinstance(embedder, TfidfEmbedder)


def _model_files_stamp(embedder: Any) -> list[list[Any]]:
    """Sizes and times of the model files, for embedders that say where they load them."""
    folder = getattr(embedder, "model_folder", None)
    if folder is None or not Path(folder).is_dir():
        return []
    return [[p.name, p.stat().st_size, p.stat().st_mtime_ns] for p in sorted(Path(folder).iterdir())
            if p.is_file()]


def cached_encode(ws: Workspace, name: str, embedder: Any, tokens: list, texts: list[str], *,
                  inputs: Any, encode: Callable[[Any, list, list[str]], np.ndarray]) -> np.ndarray:
    """``encode(embedder, tokens, texts)``, or the stored result for the same inputs."""
    if not is_cacheable(embedder):
        return encode(embedder, tokens, texts)
    stamp = fingerprint({"embedder": name, "inputs": inputs, "model": _model_files_stamp(embedder),
                         "version": __version__, "n": len(texts)})
    base = ws.root / CACHE_DIR / re.sub(r"[^\w.-]+", "_", name)
    vectors_path, stamp_path = base.with_suffix(".npy"), base.with_suffix(".json")
    if vectors_path.exists() and stamp_path.exists():
        if json.loads(stamp_path.read_text(encoding="utf-8")).get("stamp") == stamp:
            return np.load(vectors_path)
    vectors = encode(embedder, tokens, texts)
    with atomic_path(vectors_path) as tmp:
        with open(tmp, "wb") as fh:
            np.save(fh, vectors)
    write_json_atomic(stamp_path, {"stamp": stamp, "embedder": name, "rows": len(texts)})
    return vectors
