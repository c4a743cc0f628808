"""The local engine and scripts without ``if __name__ == "__main__":``: ``spawn`` runs the
calling script again in every worker process, so such a call runs in this process instead
(with a warning that names the fix), and a pool broken anyway ends in one line (2026-12-08)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from test_runner import split_corpus

from opinion.io.workspace import Workspace

TESTS = Path(__file__).resolve().parent
SCRIPT = """
import os, sys
from opinion.engine import runner
from opinion.io.workspace import Workspace
from test_runner import char_stats
{patch}
def main():
    report = runner.run_partwise(Workspace.open({root!r}), stage="chars", source="corpus", target="chars",
                                 func=char_stats, settings={{"opencc": "t2s", "with_pid": True}}, workers=2, force=True)
    print("workers", report.workers, "pid", os.getpid())
{call}
"""


def _script(tmp_path: Path, *, guarded: bool, patch: str = "") -> tuple[Workspace, subprocess.CompletedProcess]:
    """Run the README's kind of script on a 4-part corpus with workers=2 (spawn, as everywhere)."""
    ws = split_corpus(tmp_path / "ws")
    call = 'if __name__ == "__main__":\n    main()' if guarded else "main()  # at the top level, no guard"
    path = tmp_path / "分析.py"
    path.write_text(SCRIPT.format(root=str(ws.root), patch=patch, call=call), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(TESTS.parent), str(TESTS)])}
    done = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, env=env, timeout=300)
    return Workspace.open(ws.root), done


def test_local_unguarded_script_runs_in_this_process_with_the_fix(tmp_path):
    """The README's notebook block saved as a script: each worker ran the script again, hit the
    lock its parent held, and the run died with a BrokenProcessPool traceback."""
    ws, done = _script(tmp_path, guarded=False)
    assert done.returncode == 0, done.stderr
    assert 'put its calls under `if __name__ == "__main__":`' in done.stderr
    assert "分析.py" in done.stderr and "Traceback" not in done.stderr
    pid = int(done.stdout.split()[-1])
    assert "workers 1" in done.stdout and set(ws.read("chars")["worker_pid"]) == {pid}


def test_local_guarded_script_uses_the_worker_processes(tmp_path):
    ws, done = _script(tmp_path, guarded=True)
    assert done.returncode == 0, done.stderr
    assert "workers 2" in done.stdout and "__main__" not in done.stderr
    assert int(done.stdout.split()[-1]) not in set(ws.read("chars")["worker_pid"])


def test_local_broken_pool_is_one_line_and_keeps_the_table(tmp_path):
    """Should the check above miss a script, each worker stops with one line (not a busy lock
    blamed on its parent), the run ends with one line naming the fix, and the old table stays."""
    first, _ = _script(tmp_path / "first", guarded=True)
    assert first.stage_record("chars")["complete"] is True
    ws, done = _script(tmp_path, guarded=False, patch="runner.unguarded_script = lambda: None")
    assert done.returncode == 1
    assert "a worker process started by this script is running it again" in done.stderr
    assert "WorkspaceBusyError" not in done.stderr
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("opinion.errors.OpinionError: a worker process of stage 'chars' ended abruptly; "
                           "spawn runs ") and "pass workers=1" in last
    assert ws.stage_record("chars")["complete"] is False


def test_local_rerun_script_and_guard_detection(tmp_path, monkeypatch: pytest.MonkeyPatch):
    """Which file spawn would run again: none for `python -m pkg` (a package's __main__) or a
    REPL; a guard is recognised either way round."""
    import ast
    import types

    from opinion.engine.local import _is_main_test, rerun_script

    main = types.ModuleType("__main__")
    main.__file__ = str(tmp_path / "分析.py")
    monkeypatch.setitem(sys.modules, "__main__", main)
    assert rerun_script() == main.__file__
    main.__spec__ = types.SimpleNamespace(name="opinion.__main__")  # type: ignore[assignment]
    assert rerun_script() is None
    del main.__file__
    main.__spec__ = None
    assert rerun_script() is None
    tests = [ast.parse(code).body[0].test for code in (  # type: ignore[attr-defined]
        'if __name__ == "__main__": pass', "if '__main__' == __name__: pass",
        'if __name__ == "__main__" and args: pass', 'if __name__ in ("__main__",): pass', 'if x == "__main__": pass',
        'if __name__ == "__main__" or DEBUG: pass')]
    assert [_is_main_test(test) for test in tests] == [True, True, True, True, False, False]
