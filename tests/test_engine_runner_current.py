"""require_current: every reader of the prepared table refuses one that the corpus has moved past."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from opinion import schema as S
from opinion.cli import app
from opinion.engine.runner import require_current, require_finished
from opinion.errors import InputError

runner = CliRunner()

WORD_VIEWS = (["keywords"], ["network", "--top", "10", "--min-cooccurrence", "1"], ["wordcloud"],
              ["kwic", "口罩"], ["newwords"])


def _load_more(ws) -> None:
    """An `opinion load` of more posts without `opinion prepare`: a corpus part the stages lack."""
    corpus = ws.read_part(S.CORPUS, "sample-00000").head(5)
    corpus[S.DOC_ID] = [f"extra-{i}" for i in range(5)]
    ws.write_part(S.CORPUS, "extra-00000", corpus)


@pytest.mark.parametrize("args", WORD_VIEWS, ids=lambda a: a[0])
def test_engine_runner_word_views_refuse_a_part_loaded_after_prepare(tmp_path: Path, args: list[str]) -> None:
    """keywords, network, wordcloud, KWIC and newwords printed figures of the corpus as it was at
    the last prepare (a whole new day missing, exit 0); now they refuse as export does."""
    from factory import make_workspace

    ws = make_workspace(tmp_path / "ws")
    out = ["--out", str(tmp_path / "out")] if args[0] in ("network", "wordcloud") else []
    assert runner.invoke(app, [*args, "-w", str(ws.root), *out]).exit_code == 0
    _load_more(ws)
    result = runner.invoke(app, [*args, "-w", str(ws.root), *out])
    assert result.exit_code == 1, result.output
    assert result.output.startswith(f"error: {ws.root}: 1 part(s) loaded after the last `opinion prepare` "
                                    "(extra-00000); run `opinion prepare")
    assert len(result.output.strip().splitlines()) == 1


def test_engine_runner_require_finished_refuses_a_corpus_reloaded_after_prepare(tmp_path: Path) -> None:
    """`opinion load --replace` of a file with other rows: KWIC quoted the old text of a doc_id
    whose corpus row is now another post; the prepare record's source hash tells."""
    from factory import make_workspace

    ws = make_workspace(tmp_path / "ws")
    require_finished(ws, S.PREPARED)  # current: no error
    stale = {"source_sha256": "the corpus part before --replace", "source_size": 0, "source_modified": "0"}
    ws.set_stage_record("prepare", {"runner": 1, "source": S.CORPUS, "target": S.PREPARED,
                                    "parts": {"sample-00000": stale}, "complete": True})
    with pytest.raises(InputError, match=r"the corpus of 1 part\(s\) changed after the last `opinion prepare`"):
        require_finished(ws, S.PREPARED)
    with pytest.raises(InputError, match="then export again"):
        require_current(ws, then="export again")


def test_engine_runner_require_current_checks_only_the_tables_asked(tmp_path: Path) -> None:
    """A sentiment table behind the prepared one does not stop a word view, which reads only
    the prepared table; the export, which reads both, still refuses."""
    from factory import make_workspace

    ws = make_workspace(tmp_path / "ws")
    rows = ws.read_part(S.PREPARED, "sample-00000").head(5)
    _load_more(ws)
    ws.write_part(S.PREPARED, "extra-00000", rows.assign(**{S.DOC_ID: [f"extra-{i}" for i in range(5)]}))
    require_finished(ws, S.PREPARED)
    with pytest.raises(InputError, match=r"loaded after the last `opinion sentiment`"):
        require_current(ws)


def test_engine_runner_a_reader_writes_no_manifest(tmp_path: Path) -> None:
    """A copied workspace has new time stamps on unchanged parts: the word views and the explorer
    hash them and go on, but leave the manifest to the commands that hold the workspace's lock."""
    from factory import make_workspace

    ws = make_workspace(tmp_path / "ws")
    sha = ws.store.sha256(S.CORPUS, "sample-00000")
    entry = {"source_sha256": sha, "source_size": 0, "source_modified": "a copy's old stamp"}
    ws.set_stage_record("prepare", {"runner": 1, "source": S.CORPUS, "target": S.PREPARED,
                                    "parts": {"sample-00000": entry}, "complete": True})
    from opinion.io.workspace import Workspace

    def saved_stamp() -> str:
        return Workspace.open(ws.root).stage_record("prepare")["parts"]["sample-00000"]["source_modified"]

    require_finished(ws, S.PREPARED)
    assert saved_stamp() == "a copy's old stamp"
    require_current(ws, (S.PREPARED,), remember=True)  # as the export does, under its lock
    assert saved_stamp() != "a copy's old stamp"


def _lengths(df, settings):
    """A toy stage on the prepared table: the length of each normalised text."""
    return df[[S.DOC_ID]].assign(n_chars=df[S.TEXT_NORM].str.len().to_numpy())


def test_engine_runner_stage_refuses_a_source_table_behind_the_corpus(tmp_path: Path) -> None:
    """`opinion sentiment` after an `opinion load` of more posts said "0 parts computed, 1 unchanged"
    and left the new posts unscored, where topics and export refuse: every part-wise stage that
    reads the prepared table now refuses one the corpus has moved past, naming the commands."""
    from factory import make_workspace

    from opinion.engine.runner import run_partwise

    ws = make_workspace(tmp_path / "ws")
    _load_more(ws)
    with pytest.raises(InputError, match=r"1 part\(s\) loaded after the last `opinion prepare` \(extra-00000\); "
                                         r"run `opinion prepare -w "):
        run_partwise(ws, stage="lengths", source=S.PREPARED, target="lengths", func=_lengths, workers=1)
    assert not ws.has("lengths") and ws.stage_record("lengths") is None
    result = runner.invoke(app, ["sentiment", "-w", str(ws.root), "--method", "lexicon", "--workers", "1"])
    assert result.exit_code == 1 and "loaded after the last `opinion prepare`" in result.output
    assert len(result.output.strip().splitlines()) == 1
