"""engine="dask" on a LocalCluster with 2 worker processes gives the same parts, byte for
byte, as the local engine; resumes the same way; broadcasts a model once."""

from __future__ import annotations

import os

import pytest
from test_runner import char_stats, load_converter, split_corpus, with_model

from opinion import schema as S
from opinion.engine.runner import map_assign, run_partwise
from opinion.io.atomic import file_sha256

distributed = pytest.importorskip("distributed")
pytest.importorskip("dask.dataframe")


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address=None) as local:
        yield local


def _chars(ws, **options):
    return run_partwise(ws, stage="chars", source=S.CORPUS, target="chars", func=char_stats,
                        settings={"opencc": "t2s"}, columns=[S.DOC_ID, S.TEXT_RAW],
                        initializer=load_converter, **options)


def _setups() -> int:
    import test_runner

    return len(test_runner._SETUP_PIDS)


def _hashes(ws, table):
    return {p: file_sha256(ws.part_path(table, p)) for p in ws.parts(table)}


def test_dask_engine_same_bytes_as_local_and_resumes(tmp_path, cluster):
    local = split_corpus(tmp_path / "local")
    remote = split_corpus(tmp_path / "dask")
    _chars(local, workers=1)
    report = _chars(remote, engine="dask", address=cluster.scheduler_address)
    assert report.engine == "dask" and report.computed == remote.parts(S.CORPUS)
    assert _hashes(remote, "chars") == _hashes(local, "chars")
    assert remote.stage_record("chars")["complete"] is True
    with distributed.Client(cluster) as client:  # OpenCC loaded once per worker, not per part
        assert sorted(client.run(_setups).values()) == [1, 1]

    part = remote.parts("chars")[1]
    remote.remove_part("chars", part)  # lost output is computed again, nothing else
    again = _chars(remote, engine="dask", address=cluster.scheduler_address)
    assert again.computed == [part] and len(again.skipped) == len(remote.parts(S.CORPUS)) - 1
    assert _hashes(remote, "chars") == _hashes(local, "chars")


def test_dask_engine_address_from_environment_and_broadcast_model(tmp_path, cluster,
                                                                  monkeypatch):
    monkeypatch.setenv("DASK_SCHEDULER_ADDRESS", cluster.scheduler_address)
    ws = split_corpus(tmp_path / "ws")
    model = {"keywords": {"口罩": 0, "直播": 1}}
    report = map_assign(ws, model, assign=with_model, model_fingerprint="m1", source=S.CORPUS,
                        target="topic_parts", engine="dask", columns=[S.DOC_ID, S.TEXT_RAW])
    assert report.computed == ws.parts(S.CORPUS)
    topics = ws.read("topic_parts").merge(ws.read(S.CORPUS), on=S.DOC_ID)
    live = topics[S.TEXT_RAW].str.contains("直播") & ~topics[S.TEXT_RAW].str.contains("口罩")
    assert live.any() and (topics.loc[live, S.TOPIC_ID] == 1).all()
    with distributed.Client(cluster) as client:
        worker_pids = set(client.run(os.getpid).values())
    assert set(topics["worker_pid"]) <= worker_pids and os.getpid() not in worker_pids


def test_dask_engine_failure_keeps_finished_parts(tmp_path, cluster):
    from test_runner import run_failing_stage

    ws = split_corpus(tmp_path / "ws")
    last, record = run_failing_stage(ws, engine="dask", address=cluster.scheduler_address)
    assert record["complete"] is False and last not in record["parts"]
    # a part can be written but not yet recorded when the error arrives: it is redone
    assert last not in ws.parts("failed") and set(record["parts"]) <= set(ws.parts("failed"))
    for part, entry in record["parts"].items():
        assert file_sha256(ws.part_path("failed", part)) == entry["target_sha256"]


def test_own_cluster_hides_only_the_nannys_kill_notice(caplog):
    """h45 #6: each Dask stage ended with two "Worker process still alive after 4.0 seconds,
    killing" warnings, after every part was written; other nanny warnings still show."""
    import logging

    from opinion.engine.dask_runner import quiet_worker_kills

    nanny = logging.getLogger("distributed.nanny")
    with caplog.at_level(logging.WARNING, logger="distributed.nanny"), quiet_worker_kills():
        nanny.warning("Worker process still alive after 4.0 seconds, killing")
        nanny.warning("Worker exceeded 95% memory budget. Restarting")
    nanny.warning("Worker process still alive after 4.0 seconds, killing")  # outside the run: shown
    assert [r.getMessage() for r in caplog.records] == [
        "Worker exceeded 95% memory budget. Restarting", "Worker process still alive after 4.0 seconds, killing"]
