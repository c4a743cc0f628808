"""Run a part-wise stage on a Dask cluster: the same stage function through ``map_partitions``.

The parts become the partitions of a Dask DataFrame (``dd.from_map``, one partition per part
file, so each result can be written to the part of the same name and recorded as soon as it
is done); the stage function runs on them with ``map_partitions(func, settings, meta=...)``;
each worker writes its result part itself. A worker plugin runs the stage's initializer once
per worker (jieba, OpenCC, models), and a model fitted once is scattered to every worker
(``client.scatter(model, broadcast=True)``) and passed to each partition.

Which cluster: ``address`` (``tcp://HOST:8786``), else ``DASK_SCHEDULER_ADDRESS``, else the
client already active in this process, else a ``LocalCluster`` with one single-threaded worker
process per core on 127.0.0.1.

Example:
    >>> run_partwise(ws, stage="prepare", source="corpus", target="prepared",
    ...              func=prepare_part, settings=settings, engine="dask",
    ...              address="tcp://10.0.0.5:8786")  # doctest: +SKIP
"""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from typing import TYPE_CHECKING, Any

import pandas as pd

from opinion.engine.jobs import NO_SHARED, resolve_workers
from opinion.errors import OpinionError, require
from opinion.io.parts import PartStore

if TYPE_CHECKING:  # pragma: no cover
    from opinion.engine.jobs import Job, StageTask

_PURPOSE = "the Dask engine"
distributed = require("distributed", "dask", _PURPOSE)
require("dask.dataframe", "dask", _PURPOSE)


_WorkerPlugin: Any = distributed.WorkerPlugin  # an optional module's class: typed as Any


class InitializerPlugin(_WorkerPlugin):
    """Runs a stage's ``initializer(settings)`` once on every worker, also on workers that
    join later, so jieba, OpenCC and models load once per worker, not once per part."""

    def __init__(self, initializer: Callable[[Any], None], settings: Any) -> None:
        self.initializer = initializer
        self.settings = settings

    def setup(self, worker: Any) -> None:
        self.initializer(self.settings)


def scheduler_address(address: str | None = None) -> str | None:
    """The scheduler to use: ``address``, else ``DASK_SCHEDULER_ADDRESS``, else None."""
    return address or os.environ.get("DASK_SCHEDULER_ADDRESS") or None


@contextmanager
def connect(address: str | None = None, *, workers: int = 0) -> Iterator[Any]:
    """A ``distributed.Client`` for the run; closes only what it opened.

    Example:
        >>> with connect("tcp://127.0.0.1:8786") as client:  # doctest: +SKIP
        ...     client.ncores()
    """
    address = scheduler_address(address)
    if address:
        try:
            client = distributed.Client(address, timeout="20s")
        except OSError as exc:
            raise OpinionError(
                f"cannot reach the Dask scheduler at {address} ({exc}); start one with "
                "`dask scheduler`, or give its address / unset DASK_SCHEDULER_ADDRESS") from None
        with client:
            yield client
        return
    try:
        current = distributed.Client.current(allow_global=True)
    except ValueError:
        current = None
    if current is not None:
        yield current
        return
    saved = dict(os.environ)
    try:
        with quiet_worker_kills(), distributed.LocalCluster(
                n_workers=resolve_workers(workers), threads_per_worker=1, processes=True, host="127.0.0.1",
                dashboard_address=None) as cluster:
            _restore_environ(saved)
            with distributed.Client(cluster) as client:
                yield client
    finally:
        _restore_environ(saved)


class _StillAlive(logging.Filter):
    """Drops the nanny's "Worker process still alive after 4.0 seconds, killing" (and nothing else)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "still alive after" not in record.getMessage()


@contextmanager
def quiet_worker_kills() -> Iterator[None]:
    """Hide, while our own ``LocalCluster`` runs, the warning its nanny logs twice when it closes:
    a worker still freeing its models (jieba, OpenCC, a sentiment model) after the stage is
    killed once every part is written and recorded, which is no fault of the run. Every other
    message of ``distributed`` (memory, a worker lost during the stage) is shown as before."""
    logger = logging.getLogger("distributed.nanny")
    still_alive = _StillAlive()
    logger.addFilter(still_alive)
    try:
        yield
    finally:
        logger.removeFilter(still_alive)


def _restore_environ(saved: dict[str, str]) -> None:
    """Undo what starting worker processes wrote into this process's environment.

    Dask sets ``OMP_NUM_THREADS=1`` (and MKL/OpenBLAS, PYTHONHASHSEED) for its workers in
    ``os.environ`` and leaves them there: a topic fit that runs afterwards in this process
    would then use one OpenMP thread, and k-means sums in another order than the local
    engine's fit, so its topics could differ.
    """
    for key in set(os.environ) - set(saved):
        del os.environ[key]
    for key, value in saved.items():
        if os.environ.get(key) != value:
            os.environ[key] = value


def _read_job(job: Job) -> pd.DataFrame:
    return job.read()


def _write_job(df: pd.DataFrame, job: Job) -> dict[str, Any]:
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"part {job.part}: the stage returned {type(df).__name__}, "
                        "expected a pandas DataFrame")
    return {"rows": len(df), "target_sha256": PartStore.write(df, job.target_url)}


def _metas(func: Callable[..., pd.DataFrame], settings: Any, job: Job,
           *extra: Any) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Empty frames with the columns and dtypes of a source part and of its result."""
    head = _read_job(job).head(5)
    return head.iloc[:0], func(head, settings, *extra).iloc[:0]


def execute_dask(jobs: list[Job], task: StageTask, *, address: str | None, workers: int,
                 on_done: Callable[[Job, dict[str, Any]], None], client: Any = None) -> None:
    """Compute ``jobs`` on a Dask cluster; ``on_done`` records each part as it finishes.

    ``client``: one the caller opened (and closes), e.g. to reach the scheduler before it
    deleted anything; else one is opened here with :func:`connect`.
    """
    import dask
    import dask.dataframe as dd

    with nullcontext(client) if client is not None else connect(address, workers=workers) as client:
        plugin_name = None
        if task.initializer is not None:
            plugin_name = f"opinion-{task.stage}-{uuid.uuid4().hex[:8]}"
            client.register_plugin(InitializerPlugin(task.initializer, task.settings),
                                   name=plugin_name)
        try:
            shared: tuple[Any, ...] = ()
            if task.shared is not NO_SHARED:  # fitted once, sent once to each worker
                shared = (client.scatter(task.shared, broadcast=True, hash=False),)
            source_meta, target_meta = client.submit(
                _metas, task.func, task.settings, jobs[0], *shared, pure=False).result()
            extra = tuple(dask.delayed(future) for future in shared)  # map_partitions wants Delayed
            # Keep the frames exactly as pandas reads them (object strings, not pyarrow
            # strings), so the results are byte-identical to the local engine.
            with dask.config.set({"dataframe.convert-string": False}):
                frames = dd.from_map(_read_job, jobs, meta=source_meta, enforce_metadata=False,
                                     label="opinion-read-part")
                results = frames.map_partitions(task.func, task.settings, *extra,
                                                meta=target_meta, enforce_metadata=False)
                pieces = results.to_delayed()
            if len(pieces) != len(jobs):  # pragma: no cover - guards a Dask behaviour change
                raise RuntimeError(f"Dask made {len(pieces)} partitions of {len(jobs)} parts")
            writes = [dask.delayed(_write_job, pure=False)(piece, job)
                      for piece, job in zip(pieces, jobs)]
            futures = client.compute(writes)
            job_of = {future.key: job for future, job in zip(futures, jobs)}
            recorded: set[Any] = set()
            failed = None
            try:
                for future in distributed.as_completed(futures):
                    if future.status != "finished":
                        failed = future
                        break
                    on_done(job_of[future.key], future.result())
                    recorded.add(future.key)
            finally:
                client.cancel([future for future in futures if not future.done()])
            if failed is not None:  # keep the parts that finished meanwhile, then raise
                for future in futures:
                    if future.status == "finished" and future.key not in recorded:
                        on_done(job_of[future.key], future.result())
                try:
                    failed.result()
                except BaseException as exc:
                    job = job_of[failed.key]
                    exc.add_note(f"stage {task.stage!r}, part {job.part!r} ({job.source_url})")
                    raise
        finally:
            if plugin_name is not None:
                client.unregister_worker_plugin(plugin_name)
