"""tools/train_e5_teacher.py: learns both heads, and a killed run resumes to the same weights."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest
from e5_factory import write_tiny_model

torch = pytest.importorskip("torch", reason="needs the teacher extra (torch)")
TOOLS = Path(__file__).resolve().parents[1] / "tools"


def _tool():
    sys.path.insert(0, str(TOOLS))
    spec = importlib.util.spec_from_file_location("train_e5_teacher", TOOLS / "train_e5_teacher.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def setup(tmp_path: Path) -> tuple[Path, Path]:
    data = tmp_path / "data"
    data.mkdir()
    reviews = [(1, "房间很干净"), (0, "房间很"), (1, "干净"), (0, "房"), (1, "很干净 很干净"),
               (0, "房 房 房"), (1, "干净干净"), (0, "房间房间")] * 3
    (data / "reviews.csv").write_text(
        "label,text\n" + "".join(f"{y},{t}{i}\n" for i, (y, t) in enumerate(reviews)), "utf-8")
    emotions = ["happiness", "like", "anger", "none", "disgust", "sadness"] * 4
    (data / "weibo.csv").write_text("text,label,polarity\n" + "".join(
        f"{'干净' * (i % 3 + 1)}{i}a,{e},\n" for i, e in enumerate(emotions)), "utf-8")
    write_tiny_model(tmp_path / "tiny.bin")
    return data, tmp_path / "tiny.bin"


def _args(data: Path, model: Path, out: Path, *extra: str) -> list[str]:
    return ["--data-dir", str(data), "--polarity-sets", "reviews.csv", "--emotion-sets", "weibo.csv",
            "--exclude", "--model-file", str(model), "--out", str(out), "--batch-size", "4",
            "--checkpoint-every", "2", "--validation-fraction", "0.2", "--epochs", "3", *extra]


def test_train_reports_both_tasks_and_the_baseline(setup: tuple[Path, Path], tmp_path: Path) -> None:
    tool = _tool()
    data, model = setup
    export = tmp_path / "teacher.bin"
    assert tool.main(_args(data, model, tmp_path / "run", "--max-steps", "3",
                           "--export", str(export))) == 0
    report = json.loads((tmp_path / "run" / "report.json").read_text())
    # the exported Q4_0 file, run by the numpy encoder, scores the same validation rows
    assert export.exists() and export.with_suffix(".heads.npz").exists()
    assert report["teacher_numpy_q8"]["polarity"]["rows"] == report["teacher"]["polarity"]["rows"]
    assert report["steps"] == 3 and set(report["teacher"]) == {"polarity", "emotion"}
    assert "polarity" in report["char_ngram_logreg"]
    assert report["fit_rows"] + report["validation_rows"] == 48


def test_train_resume_after_a_stop_gives_the_same_weights(setup: tuple[Path, Path],
                                                          tmp_path: Path) -> None:
    tool = _tool()
    data, model = setup
    tool.main(_args(data, model, tmp_path / "straight", "--max-steps", "6"))
    tool.main(_args(data, model, tmp_path / "stopped", "--max-steps", "6", "--stop-after", "3"))
    state = torch.load(tmp_path / "stopped" / "checkpoint.pt", weights_only=False)
    assert state["step"] == 3
    tool.main(_args(data, model, tmp_path / "stopped", "--max-steps", "6", "--resume"))
    straight = torch.load(tmp_path / "straight" / "checkpoint.pt", weights_only=False)["model"]
    resumed = torch.load(tmp_path / "stopped" / "checkpoint.pt", weights_only=False)["model"]
    assert straight.keys() == resumed.keys() and "heads.emotion.weight" in straight
    for name in straight:
        assert torch.equal(straight[name], resumed[name]), name


def test_export_writes_one_file_that_the_runtime_reads(setup: tuple[Path, Path], tmp_path: Path) -> None:
    import numpy as np

    from opinion.sentiment.e5.fileformat import DTYPE_Q4, DTYPE_Q8, read_e5_file
    from opinion.sentiment.transformer import TransformerModel

    tool = _tool()
    data, model = setup
    run = tmp_path / "run"
    tool.main(_args(data, model, run, "--max-steps", "2", "--freeze-layers", "1",
                    "--max-tokens", "10"))
    sys.path.insert(0, str(TOOLS))
    from e5_export_transformer import export

    keep = np.array([0, 1, 2, 3, 4, 5, 8, 9])  # a cut vocabulary: 房间 很 干净 and the specials
    info = export(run, tmp_path / "t.e5s1", keep=keep, model_file=model)
    written = read_e5_file(tmp_path / "t.e5s1")
    assert info["step"] == 2 and len(written.pieces) == 8 and written.config.vocab_rows == 8
    assert written.entries["l0.q.w"].dtype == DTYPE_Q4 and written.entries["l1.q.w"].dtype == DTYPE_Q8
    state = torch.load(run / "checkpoint.pt", weights_only=False)["model"]
    runtime = TransformerModel(tmp_path / "t.e5s1")
    assert runtime.max_tokens == 10
    assert np.allclose(runtime.heads["emotion"][0], state["heads.emotion.weight"].numpy())
    assert runtime.token_ids("房间很干净")[-1] == written.eos
    assert runtime.predict_proba_all(["房间很干净"])["polarity"].shape == (1, 3)


def test_training_goes_on_from_an_exported_file(setup: tuple[Path, Path], tmp_path: Path) -> None:
    """A new session starts from the shipped file: encoder and heads, at the step it reached."""
    import numpy as np

    from opinion.sentiment.e5.fileformat import read_e5_file

    tool = _tool()
    data, model = setup
    tool.main(_args(data, model, tmp_path / "first", "--max-steps", "3"))
    sys.path.insert(0, str(TOOLS))
    from e5_export_transformer import export

    export(tmp_path / "first", tmp_path / "t.e5s1", keep=None, model_file=model)
    exported = read_e5_file(tmp_path / "t.e5s1")
    built = tool.build_model(tool.parse_args(_args(data, tmp_path / "t.e5s1", tmp_path / "x")), exported)
    assert np.allclose(built.heads["polarity"].weight.detach().numpy(),
                       exported.tensor("head.polarity.w").reshape(3, -1))
    assert tool.main(_args(data, tmp_path / "t.e5s1", tmp_path / "next", "--max-steps", "6",
                           "--start-step", "3")) == 0
    steps = [json.loads(line)["step"] for line in (tmp_path / "next" / "log.jsonl").read_text().splitlines()]
    assert steps == [4, 5, 6]
