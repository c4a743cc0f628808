"""The local executor: a part-wise stage's jobs in this process or a pool of processes.

Workers are started with ``spawn``; each runs the stage's initializer once, then the jobs it
is given, reading and writing the parts itself. A worker ends when the run that started it
is killed. The Dask executor (:mod:`opinion.engine.dask_runner`) takes the same jobs.

``spawn`` imports the script that started the run (``__main__``) again in every worker: a
script whose calls are not under ``if __name__ == "__main__":`` would run them all again
there. :func:`unguarded_script` finds such a call before a pool starts (the runner then uses
this process), and a pool broken anyway ends in one line naming the fix.

Example:
    >>> execute_local(jobs, task, workers=2, on_done=record)  # 两个进程  # doctest: +SKIP
"""

from __future__ import annotations

import ast
import multiprocessing
import os
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from opinion.engine.jobs import Job, StageTask
from opinion.errors import OpinionError

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
    try:
        _execute_pool(jobs, task, workers=workers, on_done=on_done)
    except BrokenProcessPool:
        script = rerun_script()
        rerun = (f"spawn runs {script} again in each worker: put its calls under "
                 "`if __name__ == \"__main__\":`, or pass workers=1; " if script else "")
        raise OpinionError(f"a worker process of stage {task.stage!r} ended abruptly; {rerun}if the "
                           "system stopped it for memory, pass fewer workers; the finished parts are "
                           "kept, run the stage again to finish it") from None


def _execute_pool(jobs: list[Job], task: StageTask, *, workers: int,
                  on_done: Callable[[Job, dict[str, Any]], None]) -> None:
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


def rerun_script() -> str | None:
    """The file that ``spawn`` runs again in each new process, as
    :func:`multiprocessing.spawn.get_preparation_data` picks it: the script (``python 分析.py``)
    or module (``python -m mypkg.run``) run as ``__main__``; None in Jupyter, ``python -c``,
    the REPL, and for a package's ``__main__`` (``python -m opinion``), which spawn skips."""
    main = sys.modules.get("__main__")
    spec_name = getattr(getattr(main, "__spec__", None), "name", None)
    if spec_name is not None and (spec_name == "__main__" or spec_name.endswith(".__main__")):
        return None
    path = getattr(main, "__file__", None)
    if not path or Path(path).stem == "ipython":
        return None
    return str(path)


def unguarded_script() -> str | None:
    """The script that each spawned worker would run again, calls and all, because the call
    that got here was made from its top level outside ``if __name__ == "__main__":``
    (``opinion.prepare("runs/demo")`` as the script's last line); None when it is guarded,
    there is no such script, or its source cannot be read."""
    script = rerun_script()
    main = sys.modules.get("__main__")
    if script is None or main is None:
        return None
    frame = sys._getframe(1)
    while frame is not None and not (frame.f_globals is vars(main) and frame.f_code.co_name == "<module>"):
        frame = frame.f_back  # type: ignore[assignment]
    if frame is None:  # not called from the script's top level (a thread, a callback)
        return None
    line = frame.f_lineno
    try:
        tree = ast.parse(Path(script).read_bytes(), filename=script)
    except (OSError, SyntaxError, ValueError):
        return None
    guarded = any(isinstance(node, ast.If) and _is_main_test(node.test)
                  and node.lineno <= line <= (node.end_lineno or node.lineno) for node in ast.walk(tree))
    return None if guarded else script


def _is_main_test(test: ast.expr) -> bool:
    """Whether ``test`` compares ``__name__`` with ``"__main__"`` anywhere in it:
    ``__name__ == "__main__"`` either way round, ``... and args``, ``__name__ in ("__main__",)``
    (a false "unguarded" forced one process with a wrong warning)."""
    if isinstance(test, ast.BoolOp):  # `... and args` guards; `... or DEBUG` runs without the guard
        return isinstance(test.op, ast.And) and any(_is_main_test(value) for value in test.values)
    return (isinstance(test, ast.Compare)
            and any(isinstance(n, ast.Name) and n.id == "__name__" for n in ast.walk(test))
            and any(isinstance(n, ast.Constant) and n.value == "__main__" for n in ast.walk(test)))


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
