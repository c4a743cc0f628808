"""A run killed with SIGKILL in the middle of a stage leaves a readable, consistent workspace,
and the next run finishes it without redoing the parts that were recorded."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from test_runner import char_stats, split_corpus

from opinion import schema as S
from opinion.engine.runner import run_partwise
from opinion.errors import StageOrderError
from opinion.io.atomic import file_sha256
from opinion.io.workspace import Workspace

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
DELAY_ENV = "OPINION_TEST_PART_DELAY"

RUN = """
from opinion.io.workspace import Workspace
from opinion.engine.runner import run_partwise
from test_resume import slow_chars
run_partwise(Workspace.open({root!r}), stage="chars", source="corpus", target="chars",
             func=slow_chars, settings={{"opencc": "t2s"}}, workers={workers})
"""


def slow_chars(df: pd.DataFrame, settings: dict) -> pd.DataFrame:
    """The toy stage of test_runner, slowed down per part by an environment variable."""
    time.sleep(float(os.environ.get(DELAY_ENV, "0")))
    return char_stats(df, settings)


def _recorded(root: Path) -> dict:
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    return (manifest["stages"].get("chars") or {}).get("parts", {})


def _start_and_kill(root: Path, *, workers: int) -> tuple[dict, list[int]]:
    """Run the stage in a subprocess; SIGKILL it once the first part is recorded."""
    env = {**os.environ, DELAY_ENV: "1.5",
           "PYTHONPATH": os.pathsep.join([str(REPO), str(TESTS), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.Popen([sys.executable, "-c", RUN.format(root=str(root), workers=workers)],
                            env=env, start_new_session=True)
    psutil = pytest.importorskip("psutil")
    children: list[int] = []
    try:
        deadline = time.monotonic() + 60
        while not _recorded(root):
            assert proc.poll() is None, "the run ended before it could be killed"
            assert time.monotonic() < deadline, "no part was recorded within 60 s"
            children = [c.pid for c in psutil.Process(proc.pid).children(recursive=True)]
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)  # only the run itself, as `kill -9 PID` does
        proc.wait(timeout=10)
        return _recorded(root), children
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def _check_consistent(ws: Workspace, recorded: dict) -> None:
    """Every recorded part is on disk with the recorded hash; every part file is readable."""
    for part, entry in recorded.items():
        assert file_sha256(ws.part_path("chars", part)) == entry["target_sha256"]
    assert ws.stage_record("chars")["complete"] is False
    for part in ws.parts("chars"):
        assert not ws.read_part("chars", part).empty


@pytest.mark.parametrize("workers", [1, 2])
def test_resume_after_sigkill_redoes_only_unrecorded_parts(tmp_path, workers):
    ws = split_corpus(tmp_path / "ws", n_parts=6)
    recorded, children = _start_and_kill(ws.root, workers=workers)
    parts = ws.parts(S.CORPUS)
    assert recorded and len(recorded) < len(parts)

    if workers > 1:  # the pool's processes notice and end; nothing is left running
        psutil = pytest.importorskip("psutil")
        assert children
        gone, alive = psutil.wait_procs([psutil.Process(p) for p in children
                                         if psutil.pid_exists(p)], timeout=10)
        for proc in alive:
            proc.kill()
        assert not alive

    ws = Workspace.open(ws.root)
    _check_consistent(ws, recorded)
    with pytest.raises(StageOrderError, match="'chars' is incomplete"):  # readers must wait
        run_partwise(ws, stage="next", source="chars", target="next", func=char_stats)
    (ws.table_dir("chars") / f".{parts[-1]}.parquet.killed.tmp").write_bytes(b"PAR1 half")

    resumed = run_partwise(ws, stage="chars", source=S.CORPUS, target="chars", func=slow_chars,
                           settings={"opencc": "t2s"}, workers=1)
    assert sorted(resumed.skipped) == sorted(recorded)
    assert sorted(resumed.computed) == sorted(set(parts) - set(recorded))
    assert not list(ws.table_dir("chars").glob(".*.tmp"))
    assert ws.stage_record("chars")["complete"] is True

    fresh = split_corpus(tmp_path / "fresh", n_parts=6)
    run_partwise(fresh, stage="chars", source=S.CORPUS, target="chars", func=slow_chars,
                 settings={"opencc": "t2s"}, workers=1)
    assert {p: file_sha256(ws.part_path("chars", p)) for p in parts} == \
        {p: file_sha256(fresh.part_path("chars", p)) for p in parts}
