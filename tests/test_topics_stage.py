"""The workspace topics stage over TopicModel: its tables are those recorded (a digest, first
recorded at commit 83f069f before the split, again when the static-zh model was rebuilt on
2026-12-06), and TopicModel on the same tokens in memory gives the same topics. Texts: 400 THUCNews titles and 150 Weibo posts (tests/data/topics)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from opinion import schema as S
from opinion.io.workspace import Workspace
from opinion.topics.labels import GENERIC_COHERENCE
from opinion.topics.model import fit_topics as old_name
from opinion.topics.stage import METRICS, fit_topics
from opinion.topics.topic_model import TopicModel
from tests.test_topics_model import build_workspace

GOLDEN = Path(__file__).parent / "data" / "topics" / "stage_golden.json"
TABLES = (S.TOPICS, S.TOPICS_OVER_TIME, S.TOPICS_PER_SOURCE, S.TOPIC_HIERARCHY, S.TOPIC_DOCS)


def with_old_generic_rule(topics: pd.DataFrame) -> pd.DataFrame:
    """``topics`` with ``is_generic`` as the golden's code set it (coherence < 0.08 alone); the
    rule now also asks for a low lift (``GENERIC_LIFT``), so it flags a subset of those."""
    return topics.assign(is_generic=topics["coherence"] < GENERIC_COHERENCE)


def stage_digest(ws: Workspace) -> dict[str, Any]:
    """SHA-256 of each topic table's contents (15 significant digits) and the metrics."""
    out: dict[str, Any] = {}
    for table in TABLES:
        frame = ws.read(table)
        if table == S.TOPICS:
            frame = with_old_generic_rule(frame)
        text = frame.to_json(orient="split", double_precision=15)
        out[table] = hashlib.sha256(text.encode()).hexdigest()
    metrics = ws.read_json(METRICS)
    for key in ("seconds", "versions"):
        metrics.pop(key)
    out["metrics"] = metrics
    return out


@pytest.fixture(scope="module")
def stage(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    ws = build_workspace(tmp_path_factory.mktemp("stage") / "ws", parts=2)
    fit_topics(ws, seed=42, workers=1)
    return ws


def topic_summary(ws: Workspace) -> dict[str, list]:
    """The topics as a reader sees them: labels and sizes, in topic order."""
    topics = ws.read(S.TOPICS)
    return {"labels": topics["label"].tolist(), "sizes": [int(n) for n in topics["size"]]}


def test_the_stage_writes_the_tables_of_the_code_before_the_split(stage: Workspace) -> None:
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    summary = golden.pop("summary")
    # the same code gives other floating-point sums on CPUs with other BLAS kernels: each
    # machine type seen is recorded with where it came from; a code change alters them all
    variants = [golden, *golden.pop("other_machines", [])]
    for variant in variants:
        variant.pop("source")
    if stage_digest(stage) not in variants:
        # a CPU type not recorded yet: its sums round differently and a few documents may
        # change topic, but the topics must stay those recorded (labels, sizes within 3%)
        seen = topic_summary(stage)
        assert len(seen["labels"]) == len(summary["labels"])
        same = sum(a == b for a, b in zip(seen["labels"], summary["labels"]))
        assert same >= 0.8 * len(summary["labels"]), (seen["labels"], summary["labels"])
        assert all(abs(a - b) <= max(3, 0.03 * b) for a, b in zip(seen["sizes"], summary["sizes"])), seen
    topics = stage.read(S.TOPICS)
    old_rule = with_old_generic_rule(topics)["is_generic"]
    assert not (topics["is_generic"] & ~old_rule).any()  # the lift only clears flags
    assert old_name is fit_topics  # the old import path still works


def test_topic_model_in_memory_gives_the_stage_topics_on_the_same_tokens(stage: Workspace) -> None:
    corpus, prepared = stage.read(S.CORPUS), stage.read(S.PREPARED)
    model = TopicModel(seed=42).fit(prepared, timestamps=corpus[S.PUBLISHED_AT])
    info = model.get_topic_info()
    table = stage.read(S.TOPICS)
    assert info[S.TOPIC_ID].tolist() == table[S.TOPIC_ID].tolist()
    assert info["count"].tolist() == table["size"].tolist()
    assert info["label"].tolist() == table["label"].tolist()
    assert [list(t) for t in info["top_terms"]] == [list(t) for t in table["top_terms"]]
    assert ([list(r) for r in info["representative_doc_ids"]]
            == [list(r) for r in table["representative_doc_ids"]])
    docs = stage.read(S.TOPIC_DOCS)
    pd.testing.assert_frame_equal(model.documents_.reset_index(drop=True), docs.reset_index(drop=True),
                                  check_dtype=False)
    over_time = stage.read(S.TOPICS_OVER_TIME)
    assert model.topics_over_time_[[S.TOPIC_ID, "count"]].values.tolist() == \
        over_time[[S.TOPIC_ID, "count"]].values.tolist()


def copy_of(ws: Workspace, root: Path) -> Workspace:
    """A copy of a fitted workspace to change (without the lock file of the original)."""
    import shutil

    shutil.copytree(ws.root, root, ignore=shutil.ignore_patterns(".lock"))
    return Workspace.open(root)


def test_a_fit_killed_while_saving_its_model_is_fitted_again(stage: Workspace, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """A kill while the model folder was swapped in left half a model and the killed fit's
    tables; the next `opinion topics` with the old settings said "unchanged" and showed them,
    and `topics assign` was a FileNotFoundError traceback (2026-12-08)."""
    from opinion.errors import WorkspaceError
    from opinion.io.info import incomplete_stages
    from opinion.topics import store

    ws = copy_of(stage, tmp_path / "ws")
    folder = ws.root / store.MODEL_DIR

    def killed(tmp: Path, target: Path) -> None:  # between the two renames
        target.rename(store._beside(target, "old"))
        raise KeyboardInterrupt

    with monkeypatch.context() as patch:
        patch.setattr(store, "_swap_in", killed)
        with pytest.raises(KeyboardInterrupt):
            fit_topics(ws, seed=42, workers=1, nr_topics=5)
    ws = Workspace.open(ws.root)
    assert incomplete_stages(ws) == {"topics": f"opinion topics -w {ws.root}"}
    with pytest.raises(WorkspaceError, match="incomplete"):
        store.load_topic_model(folder)
    store.finish_swap(folder)  # the new model goes in, but its fit did not finish
    with pytest.raises(WorkspaceError, match="interrupted"):
        store.load_topic_model(folder)
    report = fit_topics(ws, seed=42, workers=1, nr_topics="auto")  # the settings of the stored fit
    assert not report.skipped and report.n_topics == stage.read_json(METRICS)["n_topics"]
    assert stage_digest(ws) == stage_digest(stage)
    assert incomplete_stages(ws) == {} and not store.missing_files(folder)
    assert sorted(p.name for p in ws.root.iterdir() if p.name.startswith(".topic_model")) == []


def test_a_killed_sub_stage_is_finished_by_a_plain_topics(stage: Workspace, tmp_path: Path) -> None:
    """With `topic_stats` left incomplete by a killed `--force` run, `opinion topics` said
    "unchanged" and the export refused for good (2026-12-08)."""
    from opinion.topics.assign import STATS

    ws = copy_of(stage, tmp_path / "ws")
    assert fit_topics(ws, seed=42, workers=1).skipped
    ws.set_stage_record(STATS, {**ws.stage_record(STATS), "complete": False})
    report = fit_topics(ws, seed=42, workers=1)
    assert not report.skipped and ws.stage_record(STATS)["complete"]
    assert stage_digest(ws) == stage_digest(stage)


def test_clear_topics_removes_every_topic_stage_record(stage: Workspace, tmp_path: Path) -> None:
    """`any` over the pops stopped at the first: `topic_documents` and `topic_stats` stayed, so
    after `opinion run` skipped topics every export said "run , then export again" (2026-12-08)."""
    from opinion.engine.runner import require_current
    from opinion.topics.assign import STATS
    from opinion.topics.stage import clear_topics

    ws = copy_of(stage, tmp_path / "ws")
    clear_topics(ws)
    ws = Workspace.open(ws.root)
    assert {"topics", S.TOPIC_DOCS, STATS} & set(ws.manifest["stages"]) == set()
    require_current(ws, then="export again")  # nothing left to be out of date


def test_a_fit_whose_clusters_are_all_too_small_is_one_line_and_stores_nothing(
        stage: Workspace, tmp_path: Path) -> None:
    """`--min-topic-size 30` on 75 documents passed the corpus check, then every cluster was an
    outlier: a scikit-learn traceback, and the setting stayed stored for every later run (2026-12-08)."""
    from opinion.config import TopicSettings, stored_settings
    from opinion.topics.settings import TooFewDocumentsError

    ws = copy_of(stage, tmp_path / "ws")
    before = stored_settings(ws, TopicSettings)
    with pytest.raises(TooFewDocumentsError, match=r"every one of the 250 clusters of \d+ documents is "
                                                   r"smaller than min_topic_size 20 \(the largest has \d+\)"):
        fit_topics(ws, seed=42, workers=1, nr_topics=250, min_topic_size=20)
    assert stored_settings(Workspace.open(ws.root), TopicSettings) == before
    assert stage_digest(ws) == stage_digest(stage)  # the topics it had are kept


def test_the_report_says_when_fewer_topics_were_found_than_asked_for() -> None:
    from opinion.topics.stage import TopicReport

    report = TopicReport(n_documents=120, n_fit=75, sampled=False, n_topics=1, outlier_share=0.84,
                         npmi_mean=0.1, diversity=1.0, embedder="tfidf", period="day", seconds=1.0,
                         nr_topics=12, min_topic_size=10)
    assert report.lines()[-1].startswith("note: 1 of the 12 topics asked for (nr_topics) were found")
    assert len(TopicReport(**{**report.__dict__, "nr_topics": "auto"}).lines()) == 2
