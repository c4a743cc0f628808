"""`import opinion`: the notebook example of docs/api.md runs as written, on 554 real posts
(400 THUCNews titles and 150 Weibo posts, tests/data/topics); the front door stays light and
opens a workspace once."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import opinion
from opinion.io.workspace import Workspace
from tests.test_topics_model import _rows

DOC = Path(__file__).parents[1] / "docs" / "api.md"
MARK = "<!-- notebook example: tests/test_front_door.py runs this block -->"
NAMES = ["load", "prepare", "sentiment", "topics", "export", "run", "Workspace", "TopicModel",
         "SentimentModel"]


def notebook_code() -> str:
    found = re.search(re.escape(MARK) + r"\s*```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert found, f"{DOC} lost its notebook example"
    return found.group(1)


def test_the_notebook_example_of_the_docs_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    rows = [(date or "", source, text) for source, date, text in _rows()]
    pd.DataFrame(rows, columns=["发布时间", "来源", "内容"]).to_csv(tmp_path / "posts.csv", index=False)
    monkeypatch.chdir(tmp_path)
    exec(compile(notebook_code(), str(DOC), "exec"), {"__name__": "__notebook__"})
    out = capsys.readouterr().out
    ws = Workspace.open(tmp_path / "runs" / "demo")
    assert len(ws.read("sentiment")) == len(rows) - 1  # the empty post is rejected at load
    for label in ("neutral", "negative", "positive"):
        assert re.search(rf"^{label}\s+\d+$", out, re.M)
    topic_lines = re.findall(r"^\d+\s+(\d+)\s+(\d+)\s+(\S+)$", out, re.M)
    assert [int(t) for t, _, _ in topic_lines[:8]] == list(range(8))
    assert sum(int(n) for _, n, _ in topic_lines[:8]) == len(rows) - 1
    epidemic = next(label for _, _, label in topic_lines if "疫情" in label or "武汉" in label)
    assert re.search(rf"^0\s+\d+\s+0\.\d+\s+{re.escape(epidemic)}$", out, re.M)  # 武汉加油 goes there
    assert re.search(r"^0\s+positive\s+happiness$", out, re.M)


def test_import_opinion_is_light_and_offers_every_name() -> None:
    code = ("import sys, opinion; names = dir(opinion); "
            "print(sorted({'pandas', 'numpy', 'bertopic', 'opinion.api'} & set(sys.modules)), "
            f"all(n in names for n in {NAMES!r}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).parents[1]).stdout
    assert out.split() == ["[]", "True"]
    for name in NAMES:
        assert re.search(r"[\u4e00-\u9fff]", getattr(opinion, name).__doc__ or ""), f"{name}: no Chinese example"


def test_the_stage_modules_are_callable_and_keep_their_contents() -> None:
    import opinion.prepare
    import opinion.sentiment.score
    import opinion.topics.stage

    for module in (opinion.prepare, opinion.sentiment, opinion.topics):
        assert callable(module)
    assert opinion.prepare.PrepareSettings().stopwords is True
    assert opinion.topics.stage.fit_topics.__name__ == "fit_topics"
    with pytest.raises(AttributeError, match="no_such_name"):
        opinion.no_such_name  # noqa: B018


@pytest.mark.parametrize(("front", "module", "stage"), [
    ("prepare", "opinion.prepare", "prepare_workspace"),
    ("sentiment", "opinion.sentiment.score", "score_workspace"),
    ("topics", "opinion.topics.stage", "fit_topics"),
    ("export", "opinion.report", "export_workspace"),
])
def test_a_stage_gets_the_workspace_opened_once(front: str, module: str, stage: str, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    Workspace.open(tmp_path / "ws", create=True)
    seen = []
    monkeypatch.setattr(f"{module}.{stage}", lambda ws, *args, **kwargs: seen.append((ws, kwargs)))
    call = getattr(opinion, front)
    args = (tmp_path / "out",) if front == "export" else ()
    call(str(tmp_path / "ws"), *args, force=True) if front != "export" else call(tmp_path / "ws", *args)
    ((ws, kwargs),) = seen
    assert isinstance(ws, Workspace) and ws.root == tmp_path / "ws"
    assert kwargs.get("force", True) is True


def test_the_readme_shows_the_same_notebook_example() -> None:
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    found = re.search(r"### In a notebook\s*```python\n(.*?)```", readme, re.S)
    assert found and found.group(1) == notebook_code()  # the README's copy is the tested one


def _capture(monkeypatch: pytest.MonkeyPatch, target: str) -> list[dict]:
    seen: list[dict] = []
    monkeypatch.setattr(target, lambda *args, **kwargs: seen.append(kwargs))
    return seen


def test_prepare_takes_the_engine_and_the_tokenizer_apart(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """h47 api #5: `engine="dask"` went to PrepareSettings.engine (the tokenizer) and failed
    "engine must be one of ['auto', 'jieba', 'rjieba']"; the stored settings were dropped too."""
    from opinion.config import PrepareSettings, store_settings

    ws = Workspace.open(tmp_path / "ws", create=True)
    store_settings(ws, PrepareSettings(stopwords=False))
    seen = _capture(monkeypatch, "opinion.prepare.prepare_workspace")
    opinion.prepare(ws, engine="dask", address="tcp://127.0.0.1:8786", tokenizer="jieba", workers=2)
    opinion.prepare(ws, engine="local")
    assert seen[0]["engine"] == "dask" and seen[0]["address"] == "tcp://127.0.0.1:8786"
    assert seen[0]["settings"] == PrepareSettings(stopwords=False, engine="jieba")  # over the stored ones
    assert seen[1] == {"engine": "local"}  # nothing given: the stage reads the stored settings


def test_run_maps_flat_options_onto_each_stage_as_the_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """h47 api #8, #13: `opinion.run` took none of its documented options (TypeError) and no
    Workspace; `period` is the export's and `topic_period` the topics', as --topic-period."""
    seen = _capture(monkeypatch, "opinion.pipeline.run_pipeline")
    ws = Workspace.open(tmp_path / "ws", create=True)
    opinion.run("posts.csv", ws, text_col="内容", nr_topics=12, topic_period="week", period="month",
                tokenizer="jieba", method="lexicon", formats="csv", workers=2,
                overrides={"topics": {"nr_topics": 5, "seed": 3}})
    assert seen == [{"overrides": {"load": {"text_col": "内容"}, "topics": {"nr_topics": 12, "seed": 3, "period": "week"},
                                   "prepare": {"engine": "jieba"}, "sentiment": {"method": "lexicon"},
                                   "export": {"period": "month", "formats": "csv"}}, "workers": 2}]


@pytest.mark.parametrize(("call", "message"), [
    (lambda: opinion.run(["posts.csv"], "ws", topic_options={"nr_topics": 12}),
     r"^opinion.run: unknown option 'topic_options'; valid: address, .*nr_topics, .*topic_period"),
    (lambda: opinion.export("ws", "out", format="csv"),
     r"^opinion.export: unknown option 'format' \(did you mean 'formats'\?\); valid: formats, lang"),
    (lambda: opinion.sentiment("ws", metod="lexicon"), r"'metod' \(did you mean 'method'\?\)"),
    (lambda: opinion.prepare("ws", tokeniser="jieba"), r"'tokeniser' \(did you mean 'tokenizer'\?\)"),
    (lambda: opinion.topics("ws", nr_topic=8), r"'nr_topic' \(did you mean 'nr_topics'\?\); valid: address,"),
    (lambda: opinion.load(pd.DataFrame({"内容": ["武汉加油"]}), "ws"),
     r"opinion.load reads files, not a DataFrame; write it first, e.g. df.to_parquet"),
])
def test_unknown_options_are_one_line_listing_the_valid_ones(call, message: str) -> None:  # noqa: ANN001
    """h47 api #8, #13: unknown keywords were bare TypeErrors; a DataFrame was read as paths."""
    with pytest.raises(opinion.errors.InputError, match=message):
        call()


def test_load_takes_a_workspace(tmp_path: Path) -> None:
    (tmp_path / "posts.csv").write_text("内容\n武汉加油\n口罩告急\n", encoding="utf-8")
    ws = Workspace.open(tmp_path / "ws", create=True)
    report = opinion.load(tmp_path / "posts.csv", ws, text_col="内容")
    assert report.total("rows_loaded") == 2 and len(Workspace.open(ws.root).read("corpus")) == 2
