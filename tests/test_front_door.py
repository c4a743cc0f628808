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
