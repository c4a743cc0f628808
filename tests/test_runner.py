"""run_partwise on a real-text workspace: skip on re-run, force, settings changes, removed
parts, workers=2 byte-identical to workers=1, models shared once per worker, errors."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pandas as pd
import pytest
from factory import make_workspace

from opinion import schema as S
from opinion.engine.runner import map_assign, run_partwise
from opinion.errors import InputError, StageOrderError
from opinion.io.atomic import file_sha256
from opinion.io.workspace import Workspace

N_PARTS = 4
_CONVERTER = None
_SETUP_PIDS: list[int] = []


def split_corpus(root: Path, n_parts: int = N_PARTS) -> Workspace:
    """The factory's real posts (Traditional, Simplified, a duplicate, emoji, empty text)
    as ``n_parts`` corpus parts, like `opinion load` writes them."""
    ws = make_workspace(root, with_topics=False)
    corpus = ws.read(S.CORPUS)
    empty = corpus.iloc[:1].assign(**{S.DOC_ID: "empty-1", S.TEXT_RAW: ""})
    corpus = pd.concat([corpus, empty], ignore_index=True)
    for table in (S.CORPUS, S.PREPARED, S.SENTIMENT):
        ws.remove_table(table)
    size = -(-len(corpus) // n_parts)
    for i in range(n_parts):
        ws.write_part(S.CORPUS, f"weibo-{i:05d}", corpus.iloc[i * size:(i + 1) * size])
    return ws


def load_converter(settings: dict) -> None:
    """Initializer: load OpenCC once per process."""
    global _CONVERTER
    import opencc

    _CONVERTER = opencc.OpenCC(settings.get("opencc", "t2s"))
    _SETUP_PIDS.append(os.getpid())


def char_stats(df: pd.DataFrame, settings: dict) -> pd.DataFrame:
    """A pure toy stage: Simplified text, its length and its hashtags."""
    if _CONVERTER is None:
        load_converter(settings)
    norm = df[S.TEXT_RAW].fillna("").map(_CONVERTER.convert)
    return pd.DataFrame({
        S.DOC_ID: df[S.DOC_ID].to_numpy(),
        S.TEXT_NORM: norm.to_numpy(),
        "n_chars": norm.str.len().to_numpy() * settings.get("scale", 1),
        "hashtags": norm.str.findall(r"#([^#]+)#").to_numpy(),
        "worker_pid": os.getpid() if settings.get("with_pid") else 0,
    })


def with_model(df: pd.DataFrame, settings: dict, model: dict) -> pd.DataFrame:
    """A toy assignment with a model fitted once: keyword -> topic id."""
    text = df[S.TEXT_RAW].fillna("")
    topic = pd.Series(-1, index=df.index)
    for word, topic_id in model["keywords"].items():
        topic = topic.mask((topic == -1) & text.str.contains(word, regex=False), topic_id)
    return pd.DataFrame({S.DOC_ID: df[S.DOC_ID].to_numpy(), S.TOPIC_ID: topic.to_numpy(),
                         "worker_pid": os.getpid()})


def failing(df: pd.DataFrame, settings: dict) -> pd.DataFrame:
    if (df[S.DOC_ID] == settings["bad"]).any():
        raise ValueError("cannot handle this post")
    return df[[S.DOC_ID]]


def _hashes(ws: Workspace, table: str) -> dict[str, str]:
    return {p: file_sha256(ws.part_path(table, p)) for p in ws.parts(table)}


def _run(ws: Workspace, **options):
    options.setdefault("settings", {"opencc": "t2s"})
    options.setdefault("workers", 1)
    return run_partwise(ws, stage="chars", source=S.CORPUS, target="chars", func=char_stats,
                        columns=[S.DOC_ID, S.TEXT_RAW], initializer=load_converter, **options)


def test_runner_computes_every_part_then_skips_on_rerun(tmp_path):
    ws = split_corpus(tmp_path / "ws")
    first = _run(ws)
    assert first.computed == ws.parts(S.CORPUS) and first.skipped == []
    out = ws.read("chars")
    corpus = ws.read(S.CORPUS)
    assert out[S.DOC_ID].tolist() == corpus[S.DOC_ID].tolist()
    assert first.rows_computed == len(corpus)
    traditional = corpus[S.TEXT_RAW].str.contains("國貨|帶貨|規範", regex=True)
    assert traditional.any()
    assert not out.loc[traditional.to_numpy(), S.TEXT_NORM].str.contains("國貨|帶貨").any()
    assert out.set_index(S.DOC_ID).loc["empty-1", "n_chars"] == 0
    record = ws.stage_record("chars")
    assert record["complete"] is True and sorted(record["parts"]) == ws.parts(S.CORPUS)
    assert all(len(p["source_sha256"]) == 64 for p in record["parts"].values())

    before = _hashes(ws, "chars")
    again = _run(ws)
    assert again.computed == [] and again.skipped == ws.parts(S.CORPUS)
    assert _hashes(ws, "chars") == before
    assert "0 parts computed" in again.summary()


def test_runner_force_and_settings_change_rerun_every_part(tmp_path):
    ws = split_corpus(tmp_path / "ws")
    _run(ws)
    forced = _run(ws, force=True)
    assert forced.computed == ws.parts(S.CORPUS) and forced.skipped == []
    changed = _run(ws, settings={"opencc": "t2s", "scale": 2})
    assert changed.computed == ws.parts(S.CORPUS)
    assert (ws.read("chars")["n_chars"] % 2 == 0).all()
    back = _run(ws)  # back to the first settings: computed again, never mixed
    assert back.computed == ws.parts(S.CORPUS)


def test_runner_redoes_only_changed_sources_and_removes_orphans(tmp_path):
    ws = split_corpus(tmp_path / "ws")
    _run(ws)
    part0, part1 = ws.parts(S.CORPUS)[:2]
    df = ws.read_part(S.CORPUS, part0)
    df.loc[df.index[0], S.TEXT_RAW] = "疫情期间，大家都要戴口罩！#武汉加油#"
    ws.write_part(S.CORPUS, part0, df)
    ws.remove_part(S.CORPUS, part1)
    report = _run(ws)
    assert report.computed == [part0] and report.removed == [part1]
    assert part1 not in ws.parts("chars") and part1 not in ws.stage_record("chars")["parts"]
    assert ws.read_part("chars", part0)["hashtags"].iloc[0].tolist() == ["武汉加油"]


def test_runner_rewritten_identical_source_is_not_recomputed(tmp_path):
    ws = split_corpus(tmp_path / "ws")
    _run(ws)
    part = ws.parts(S.CORPUS)[0]
    ws.write_part(S.CORPUS, part, ws.read_part(S.CORPUS, part))  # new mtime, same bytes
    assert _run(ws).computed == []


def test_runner_two_workers_byte_identical_to_one(tmp_path):
    one = split_corpus(tmp_path / "one")
    two = split_corpus(tmp_path / "two")
    _run(one, workers=1)
    report = _run(two, workers=2)
    assert report.workers == 2 and report.computed == two.parts(S.CORPUS)
    assert _hashes(one, "chars") == _hashes(two, "chars")
    records = [ws.stage_record("chars")["parts"] for ws in (one, two)]
    assert [{k: v["target_sha256"] for k, v in r.items()} for r in records][0] == \
        {k: v["target_sha256"] for k, v in records[1].items()}


def test_map_assign_sends_model_and_reruns_when_it_changes(tmp_path):
    ws = split_corpus(tmp_path / "ws")
    model = {"keywords": {"口罩": 0, "直播": 1}}
    first = map_assign(ws, model, assign=with_model, model_fingerprint="m1", source=S.CORPUS,
                       target="topic_parts", workers=2, columns=[S.DOC_ID, S.TEXT_RAW])
    assert first.computed == ws.parts(S.CORPUS)
    topics = ws.read("topic_parts").merge(ws.read(S.CORPUS), on=S.DOC_ID)
    masks = topics[S.TEXT_RAW].str.contains("口罩")
    assert masks.any() and (topics.loc[masks, S.TOPIC_ID] == 0).all()
    assert os.getpid() not in set(topics["worker_pid"])  # ran in the pool's processes
    same = map_assign(ws, model, assign=with_model, model_fingerprint="m1", source=S.CORPUS,
                      target="topic_parts", workers=1)
    assert same.computed == []
    refit = map_assign(ws, {"keywords": {}}, assign=with_model, model_fingerprint="m2",
                       source=S.CORPUS, target="topic_parts", workers=1)
    assert refit.computed == ws.parts(S.CORPUS)
    assert (ws.read("topic_parts")[S.TOPIC_ID] == -1).all()


def test_runner_fsspec_storage_url(tmp_path):
    fsspec = pytest.importorskip("fsspec")
    ws = split_corpus(tmp_path / "ws")
    remote = f"memory://runs/{tmp_path.name}"
    memory = fsspec.filesystem("memory")
    for part in ws.parts(S.CORPUS):
        memory.pipe_file(f"/runs/{tmp_path.name}/corpus/{part}.parquet",
                         ws.part_path(S.CORPUS, part).read_bytes())
    report = _run(ws, storage=remote)
    assert report.computed == ws.parts(S.CORPUS)
    assert _run(ws, storage=remote).computed == []
    _run(ws)  # the same stage on the local copy gives the same bytes
    for part, digest in _hashes(ws, "chars").items():
        data = memory.cat_file(f"/runs/{tmp_path.name}/chars/{part}.parquet")
        assert hashlib.sha256(data).hexdigest() == digest


def run_failing_stage(ws, **where) -> tuple[str, dict]:
    """Run a stage that fails on the last part; check the error names that part.

    Returns the failing part's name and the stage record left behind. ``where`` chooses
    the engine (``workers=2``, or ``engine="dask", address=...``).
    """
    last = ws.parts(S.CORPUS)[-1]
    bad = ws.read_part(S.CORPUS, last)[S.DOC_ID].iloc[0]
    with pytest.raises(ValueError, match="cannot handle") as info:
        run_partwise(ws, stage="fail", source=S.CORPUS, target="failed", func=failing,
                     settings={"bad": bad}, **where)
    assert any(last in note for note in getattr(info.value, "__notes__", []))
    return last, ws.stage_record("fail")


@pytest.mark.parametrize("workers", [1, 2])
def test_runner_failure_names_the_part_and_keeps_finished_parts(tmp_path, workers):
    ws = split_corpus(tmp_path / "ws")
    last, record = run_failing_stage(ws, workers=workers)
    assert record["complete"] is False and last not in ws.parts("failed")
    assert sorted(record["parts"]) == ws.parts("failed")
    if workers == 1:
        assert ws.parts("failed") == ws.parts(S.CORPUS)[:-1]


def test_runner_all_cores_starts_no_pool_for_a_small_corpus(tmp_path):
    ws = split_corpus(tmp_path / "ws")  # 56 posts: not worth starting a process
    report = _run(ws, workers=0, settings={"opencc": "t2s", "with_pid": True})
    assert report.workers == 1 and set(ws.read("chars")["worker_pid"]) == {os.getpid()}


def test_runner_user_errors(tmp_path):
    ws = Workspace.open(tmp_path / "ws", create=True)
    with pytest.raises(StageOrderError, match="opinion load"):
        _run(ws)
    ws = split_corpus(tmp_path / "ws2")
    with pytest.raises(InputError, match="local, dask"):
        _run(ws, engine="spark")
    with pytest.raises(InputError, match="workers must be"):
        _run(ws, workers=-1)


def test_parts_out_of_date_lists_parts_whose_source_changed_after_the_stage(tmp_path: Path) -> None:
    """What export asks before reporting: a source part rewritten with other content after the
    stage ran is out of date; the same bytes written again (a new time stamp) are not."""
    from opinion.engine.runner import parts_out_of_date

    ws = split_corpus(tmp_path / "ws")
    run_partwise(ws, stage="chars", source=S.CORPUS, target="chars", func=char_stats, settings={}, workers=1)
    assert parts_out_of_date(ws, "chars") == [] and parts_out_of_date(ws, "nothing") == []
    same = ws.read_part(S.CORPUS, "weibo-00001")
    ws.write_part(S.CORPUS, "weibo-00001", same)
    assert parts_out_of_date(ws, "chars") == []
    stamp = ws.store.stamp(S.CORPUS, "weibo-00001")  # the new stamp is kept: no hashing next time
    assert ws.stage_record("chars")["parts"]["weibo-00001"]["source_modified"] == stamp["modified"]
    ws.write_part(S.CORPUS, "weibo-00002", same.assign(**{S.TEXT_RAW: "口罩告急，國貨加油"}))
    assert parts_out_of_date(ws, "chars") == ["weibo-00002"]
    run_partwise(ws, stage="chars", source=S.CORPUS, target="chars", func=char_stats, settings={}, workers=1)
    assert parts_out_of_date(ws, "chars") == []


# --- 2026-12-08: nothing deleted or rewritten before the stage is saved as incomplete ------------
def _interrupt(monkeypatch: pytest.MonkeyPatch, name: str, at: int) -> None:
    """Ctrl-C at the ``at``-th call of ``PartStore.<name>`` (remove: a deletion; write: a part)."""
    from opinion.io.parts import PartStore

    original, calls = getattr(PartStore, name), [0]

    def interrupted(*args, **kwargs):
        calls[0] += 1
        if calls[0] == at:
            raise KeyboardInterrupt
        return original(*args, **kwargs)

    monkeypatch.setattr(PartStore, name, staticmethod(interrupted) if name == "write" else interrupted)


def _refused_by_readers(ws: Workspace) -> None:
    """A reader of the whole table and the next stage both refuse it, naming the way out."""
    ws = Workspace.open(ws.root)  # what the next process sees
    assert ws.stage_record("chars")["complete"] is False
    with pytest.raises(StageOrderError, match="'chars' is incomplete .* run `the chars stage"):
        ws.read("chars")
    with pytest.raises(StageOrderError, match="'chars' is incomplete"):
        run_partwise(ws, stage="next", source="chars", target="next", func=char_stats, workers=1)


def test_runner_interrupt_while_removing_parts_leaves_the_stage_incomplete(tmp_path, monkeypatch):
    """A Ctrl-C among the deletions of target parts whose corpus part is gone left the old
    record (complete, every part listed) beside a table with parts missing: the next stage then
    computed on a subset without a word. The record is now saved incomplete first."""
    ws = split_corpus(tmp_path / "ws")
    _run(ws)
    gone = ws.parts(S.CORPUS)[:2]
    for part in gone:
        ws.remove_part(S.CORPUS, part)
    _interrupt(monkeypatch, "remove", at=2)
    with pytest.raises(KeyboardInterrupt):
        _run(ws)
    _refused_by_readers(ws)
    monkeypatch.undo()
    again = _run(ws)
    assert again.removed == gone[1:] and again.computed == []
    assert ws.parts("chars") == ws.parts(S.CORPUS) and ws.stage_record("chars")["complete"] is True


def test_runner_interrupted_force_keeps_the_old_parts_and_marks_the_stage_incomplete(tmp_path, monkeypatch):
    """`--force` (or new settings) deleted every old part before computing one: an interrupt
    then left a stage without its data. Each part is now replaced when its job writes it."""
    ws = split_corpus(tmp_path / "ws")
    _run(ws)
    _interrupt(monkeypatch, "write", at=2)
    with pytest.raises(KeyboardInterrupt):
        _run(ws, force=True)
    assert ws.parts("chars") == ws.parts(S.CORPUS)  # nothing deleted
    _refused_by_readers(ws)
    assert len(ws.read("chars", partial=True)) == len(ws.read(S.CORPUS))
    monkeypatch.undo()
    assert _run(ws).computed == ws.parts(S.CORPUS)[1:]  # the first part was recorded


# --- 2026-12-08: engine="dask" checks Dask and its scheduler before touching the table ----------
def _dask_fails_before_planning(ws: Workspace, error: type[Exception], match: str, **where) -> None:
    before = _hashes(ws, "chars")
    with pytest.raises(error, match=match):
        _run(ws, engine="dask", force=True, **where)
    assert _hashes(ws, "chars") == before and ws.stage_record("chars")["complete"] is True


def test_runner_dask_without_the_extra_leaves_the_table_intact(tmp_path, monkeypatch):
    """`--engine dask` without Dask deleted the whole target table, then said to install it."""
    import sys

    from opinion.errors import MissingExtraError

    ws = split_corpus(tmp_path / "ws")
    _run(ws)
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if not installed
    monkeypatch.delitem(sys.modules, "opinion.engine.dask_runner", raising=False)
    _dask_fails_before_planning(ws, MissingExtraError, r"pip install 'opinion\[dask\]'")


def test_runner_dask_scheduler_out_of_reach_leaves_the_table_intact(tmp_path, monkeypatch):
    """A mistyped --address: the scheduler was looked for only after every part was deleted."""
    distributed = pytest.importorskip("distributed")
    from opinion.errors import OpinionError

    def refused(*args, **kwargs):
        raise OSError("Timed out trying to connect to tcp://127.0.0.1:9")

    ws = split_corpus(tmp_path / "ws")
    _run(ws)
    monkeypatch.setattr(distributed, "Client", refused)
    _dask_fails_before_planning(ws, OpinionError, "cannot reach the Dask scheduler at tcp://127.0.0.1:9",
                                address="tcp://127.0.0.1:9")
