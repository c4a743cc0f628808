"""The local executor: a part-wise stage's jobs in this process or a pool of processes.

Workers are started with ``spawn``; each runs the stage's initializer once, then the jobs it
is given, reading and writing the parts itself. A worker ends when the run that started it
is killed. The Dask executor (:mod:`opinion.engine.dask_runner`) takes the same jobs.

Example:
    >>> execute_local(jobs, task, workers=2, on_done=record)  # 两个进程  # doctest: +SKIP
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from typing import Any

from opinion.engine.jobs import Job, StageTask

_TASK: StageTask | None = None


def _init_process(task: StageTask, parent_pid: int) -> None:
    """Process-pool initializer: keep the task and run its setup hook once."""
    global _TASK
    _TASK = task
    threading.Thread(target=_exit_with_parent, args=(parent_pid,), daemon=True).start()
    task.setup()


def _exit_with_parent(parent_pid: int) -> None:
    """End this worker when the run that started it was killed (``kill -9``)."""
    while os.getppid() == parent_pid:
        time.sleep(1.0)
    os._exit(1)


def _run_in_process(job: Job) -> dict[str, Any]:
    assert _TASK is not None, "worker process was not initialised"
    return _TASK.run(job)


def execute_local(jobs: list[Job], task: StageTask, *, workers: int,
                  on_done: Callable[[Job, dict[str, Any]], None]) -> None:
    """Run ``jobs`` in this process (one worker) or in a pool of fresh processes.

    Workers are started with ``spawn``: each imports the stage afresh and runs the
    initializer once, which is safe with threads and the same on Linux, macOS and Windows.
    """
    if workers <= 1 or len(jobs) <= 1:
        task.setup()
        for job in jobs:
            on_done(job, task.run(job))
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=min(workers, len(jobs)), mp_context=context,
                             initializer=_init_process, initargs=(task, os.getpid())) as pool:
        pending = {pool.submit(_run_in_process, job): job for job in jobs}
        failed = None
        try:
            while pending and failed is None:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)  # record each at once
                failed = _record_finished(done, pending, on_done)
        finally:
            for future in pending:
                future.cancel()
        if failed is not None:  # parts that were running still finish: keep them too
            _record_finished(wait(pending).done, pending, on_done)
            failed.result()  # raises the stage's error, with the part in its notes


def _record_finished(done: Any, pending: dict[Any, Job],
                     on_done: Callable[[Job, dict[str, Any]], None]) -> Any:
    """Record the successful futures among ``done``; return the first failed one, if any."""
    failed = None
    for future in sorted(done, key=lambda f: pending[f].part):
        job = pending.pop(future)
        if future.cancelled():
            continue
        if future.exception() is None:
            on_done(job, future.result())
        elif failed is None:
            failed = future
    return failed
