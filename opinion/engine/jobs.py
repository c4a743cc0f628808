"""What the engine runs: one job per part, the stage task every worker runs them with.

A :class:`Job` names where one part is read and where its result is written (paths or
fsspec URLs of the workspace's :class:`~opinion.io.parts.PartStore`); a :class:`StageTask`
holds the stage's pure function, its settings, the per-process initializer and an optional
object fitted once (a topic model). Both are plain picklable values, so the local process
pool (:mod:`opinion.engine.local`) and Dask (:mod:`opinion.engine.dask_runner`) run the same
jobs the same way; :mod:`opinion.engine.runner` plans them and records the results.

Example:
    >>> task = StageTask(stage="prepare", func=prepare_part, settings=settings)  # doctest: +SKIP
    >>> task.run(job)  # 读、算、写一个分片  # doctest: +SKIP
    {'rows': 10000, 'target_sha256': '…'}
"""

from __future__ import annotations

import enum
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from opinion import schema as S
from opinion.errors import InputError, StageOrderError
from opinion.io.parts import PartStore

ENGINES = ("local", "dask")


class _Sentinel(enum.Enum):
    NO_SHARED = "no shared object"  # an Enum member stays itself across pickling


NO_SHARED: Any = _Sentinel.NO_SHARED


@dataclass(frozen=True)
class Job:
    """One part to compute: where to read it and where to write the result.

    ``inputs`` holds one ``(url, columns)`` per source table (the first is ``source_url``).
    """

    part: str
    source_url: str
    target_url: str
    columns: tuple[str, ...] | None
    source_stamp: tuple[tuple[str, Any], ...]  # sha256, size, modified of the source part
    rows: int  # rows of the source part, for the progress bar
    extra_inputs: tuple[tuple[str, tuple[str, ...] | None], ...] = ()

    def read(self) -> pd.DataFrame:
        """The source part; with several sources, their columns side by side."""
        frame = PartStore.read(self.source_url, columns=self.columns)
        for url, columns in self.extra_inputs:
            more = PartStore.read(url, columns=columns)
            if len(more) != len(frame) or (S.DOC_ID in more.columns and S.DOC_ID in frame.columns and
                                           not more[S.DOC_ID].equals(frame[S.DOC_ID])):
                raise StageOrderError(f"{url}: its rows are not those of {self.source_url}; "
                                      "run the stage that writes it again")
            more = more.drop(columns=[c for c in more.columns if c in frame.columns])
            frame = pd.concat([frame, more], axis=1) if len(more.columns) else frame
        return frame


@dataclass
class StageTask:
    """What every worker needs once: the function, its settings and the setup hook."""

    stage: str
    func: Callable[..., pd.DataFrame]
    settings: Any
    initializer: Callable[[Any], None] | None = None
    shared: Any = NO_SHARED

    def setup(self) -> None:
        """Run the per-process initializer (load jieba, OpenCC, models) once."""
        if self.initializer is not None:
            self.initializer(self.settings)

    def apply(self, df: pd.DataFrame) -> pd.DataFrame:
        if self.shared is NO_SHARED:
            return self.func(df, self.settings)
        return self.func(df, self.settings, self.shared)

    def run(self, job: Job) -> dict[str, Any]:
        """Read the source part, apply the function, write the target part atomically."""
        try:
            out = self.apply(job.read())
            if not isinstance(out, pd.DataFrame):
                raise TypeError(f"{_func_name(self.func)} returned {type(out).__name__}, "
                                "expected a pandas DataFrame")
            return {"rows": len(out), "target_sha256": PartStore.write(out, job.target_url)}
        except BaseException as exc:
            exc.add_note(f"stage {self.stage!r}, part {job.part!r} ({job.source_url})")
            raise


def resolve_workers(workers: int) -> int:
    """``0`` means all cores: ``resolve_workers(0) == os.cpu_count()``."""
    if workers < 0:
        raise InputError(f"must be 0 (all cores) or more; got {workers}", param="workers")
    return workers if workers > 0 else (os.cpu_count() or 1)


def _func_name(func: Callable[..., Any]) -> str:
    return f"{getattr(func, '__module__', '?')}:{getattr(func, '__qualname__', repr(func))}"
