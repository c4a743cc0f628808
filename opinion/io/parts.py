"""The one store of a workspace's part files, on a local folder or behind an fsspec URL.

Every :class:`~opinion.io.workspace.Workspace` owns one (``ws.store``) and reads, writes,
lists and removes its parts through it; the engine's workers use the same store by URL.

Workers read and write the parts themselves, by path or URL, so big frames never travel
between processes. Writes are atomic: a local part is written beside its target and moved
into place; a remote part is written under a temporary name and moved, which object stores
(S3, GCS, Azure) make visible only once complete.

Example:
    >>> store = ws.store  # the workspace's own  # doctest: +SKIP
    >>> store.parts("corpus")  # doctest: +SKIP
    ['weibo-00000', 'weibo-00001']
    >>> url = store.url("corpus", "weibo-00000")  # doctest: +SKIP
    >>> PartStore.read(url, columns=("doc_id", "text_raw"))  # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import io
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

from opinion.errors import require
from opinion.io.atomic import atomic_path, file_sha256

if TYPE_CHECKING:  # pandas is imported where parts are read: opening a workspace stays light
    import pandas as pd

SUFFIX = ".parquet"


def is_remote(url: str) -> bool:
    """Whether ``url`` needs fsspec: ``s3://b/x`` yes; ``/data/x`` and ``file:///x`` no."""
    return "://" in url and not url.startswith("file://")


def _local(url: str) -> Path:
    return Path(url[len("file://"):] if url.startswith("file://") else url)


def _fs(url: str) -> tuple[Any, str]:
    fsspec = require("fsspec", "dask", "parts on shared storage (fsspec URLs)")
    return fsspec.core.url_to_fs(url)


class PartStore:
    """The tables under one workspace root: a local folder, or an fsspec URL (``s3://...``)."""

    def __init__(self, root: str) -> None:
        self.root = root.rstrip("/")
        self.remote = is_remote(self.root)

    # -- naming ----------------------------------------------------------------------
    def url(self, table: str, part: str) -> str:
        """Path or URL of one part: ``<root>/<table>/<part>.parquet``."""
        return f"{self.root}/{table}/{part}{SUFFIX}"

    def parts(self, table: str) -> list[str]:
        """Names of the parts of ``table``, sorted (temporary files are not parts)."""
        if self.remote:
            fs, path = _fs(f"{self.root}/{table}")
            if not fs.isdir(path):
                return []
            names = [name.rsplit("/", 1)[-1] for name in fs.ls(path, detail=False)]
        else:
            folder = _local(self.root) / table
            names = [p.name for p in folder.iterdir()] if folder.is_dir() else []
        return sorted(n[: -len(SUFFIX)] for n in names
                      if n.endswith(SUFFIX) and not n.startswith("."))

    # -- fingerprints ----------------------------------------------------------------
    def stamp(self, table: str, part: str) -> dict[str, Any]:
        """Size and modification time of a part: a cheap "has it changed?" check."""
        url = self.url(table, part)
        if self.remote:
            fs, path = _fs(url)
            info = fs.info(path)
            modified = info.get("mtime") or info.get("LastModified") or info.get("created")
            return {"size": int(info["size"]), "modified": str(modified)}
        stat = _local(url).stat()
        return {"size": stat.st_size, "modified": str(stat.st_mtime_ns)}

    def sha256(self, table: str, part: str) -> str:
        """SHA-256 of a part file's bytes."""
        url = self.url(table, part)
        if not self.remote:
            return file_sha256(_local(url))
        fs, path = _fs(url)
        digest = hashlib.sha256()
        with fs.open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
        return digest.hexdigest()

    def num_rows(self, table: str, part: str) -> int:
        """Row count from the Parquet footer, without reading the data."""
        import pyarrow.parquet as pq

        url = self.url(table, part)
        if not self.remote:
            return pq.ParquetFile(_local(url)).metadata.num_rows
        fs, path = _fs(url)
        with fs.open(path, "rb") as fh:
            return pq.ParquetFile(fh).metadata.num_rows

    # -- removing --------------------------------------------------------------------
    def remove(self, table: str, part: str) -> None:
        url = self.url(table, part)
        if self.remote:
            fs, path = _fs(url)
            if fs.exists(path):
                fs.rm(path)
        else:
            _local(url).unlink(missing_ok=True)

    def remove_temporary(self, table: str) -> list[str]:
        """Delete half-written files left by a killed run (``.<part>.parquet.*.tmp``)."""
        if self.remote:
            fs, path = _fs(f"{self.root}/{table}")
            names = fs.ls(path, detail=False) if fs.isdir(path) else []
            stale = [n for n in names
                     if n.rsplit("/", 1)[-1].startswith(".") and n.endswith(".tmp")]
            for name in stale:
                fs.rm(name)
            return stale
        folder = _local(self.root) / table
        stale = sorted(folder.glob(".*.tmp")) if folder.is_dir() else []
        for path in stale:
            path.unlink(missing_ok=True)
        return [str(p) for p in stale]

    # -- reading and writing (run inside the workers) ----------------------------------
    @staticmethod
    def read(url: str, columns: tuple[str, ...] | list[str] | None = None) -> pd.DataFrame:
        """Read one part, like :meth:`Workspace.read_part`."""
        import pandas as pd

        cols = list(columns) if columns is not None else None
        if not is_remote(url):
            return pd.read_parquet(_local(url), columns=cols)
        fs, path = _fs(url)
        with fs.open(path, "rb") as fh:
            return pd.read_parquet(fh, columns=cols)

    @staticmethod
    def save(df: pd.DataFrame, url: str) -> None:
        """Write one local part atomically: beside its target, then moved into place."""
        with atomic_path(_local(url)) as tmp:
            df.to_parquet(tmp, index=False)

    @staticmethod
    def write(df: pd.DataFrame, url: str) -> str:
        """Write one part atomically (as :meth:`Workspace.write_part` does); returns its SHA-256."""
        if not is_remote(url):
            PartStore.save(df, url)
            return file_sha256(_local(url))
        buffer = io.BytesIO()
        df.to_parquet(buffer, index=False)
        data = buffer.getvalue()
        fs, path = _fs(url)
        folder, name = path.rsplit("/", 1)
        tmp = f"{folder}/.{name}.{uuid.uuid4().hex}.tmp"
        fs.makedirs(folder, exist_ok=True)
        fs.pipe_file(tmp, data)
        fs.mv(tmp, path)
        return hashlib.sha256(data).hexdigest()
