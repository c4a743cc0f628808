"""Settings values refused or cleared where they are given (2026-12-08 fixes): the number of
example posts, `auto` for a stored period, part-of-speech tags, empty paths, and config-file
errors named by file, section and key. Texts: tests/factory.py's sample posts."""

from __future__ import annotations

from pathlib import Path

import pytest
from factory import make_workspace
from typer.testing import CliRunner

from opinion.cli import app
from opinion.config import (
    MAX_TOP,
    ExportSettings,
    PrepareSettings,
    RunConfig,
    TopicSettings,
    stored_settings,
)
from opinion.config_checks import JIEBA_TAGS
from opinion.errors import InputError
from opinion.io.workspace import Workspace


def run_cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, [str(a) for a in args])
    return result.exit_code, result.output


def write_toml(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "设置.toml"
    path.write_text(text, encoding="utf-8")
    return path


# --- [export] top ----------------------------------------------------------------------------
@pytest.mark.parametrize("top", [MAX_TOP + 1, 20_000, 10**23])
def test_top_above_the_bound_is_refused_naming_the_key(top: int) -> None:
    """`top = 99999999999999999999999` got the export killed for memory, every time (2026-12-08)."""
    with pytest.raises(InputError, match=rf"^top must be between 0 and {MAX_TOP} .*; got {top}$"):
        ExportSettings(top=top)
    assert ExportSettings(top=MAX_TOP).top == MAX_TOP


def test_a_refused_top_is_not_stored_and_the_file_names_section_and_key(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    code, said = run_cli("export", "-w", ws.root, "--top", "20000", "--format", "csv")
    assert code == 1 and said.startswith("error: --top must be between 0 and 100")
    assert stored_settings(Workspace.open(ws.root), ExportSettings) is None
    config = write_toml(tmp_path, "[export]\ntop = 99999999999999999999999\n")
    with pytest.raises(InputError, match=r"设置.toml: \[export\] top must be between 0 and 100"):
        RunConfig.read_overrides(config)


def test_a_failed_export_puts_the_earlier_settings_back(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The settings were stored before the tables were built: a failed export kept them."""
    from opinion.report import export as export_module

    ws = make_workspace(tmp_path / "ws")
    assert run_cli("export", "-w", ws.root, "--format", "csv", "--top", "2")[0] == 0

    def failing(*args: object, **kwargs: object) -> None:
        raise InputError("the disk said no")

    monkeypatch.setattr(export_module, "build_tables", failing)
    code, said = run_cli("export", "-w", ws.root, "--format", "csv", "--top", "7", "--period", "week")
    assert code == 1 and "the disk said no" in said
    kept = stored_settings(Workspace.open(ws.root), ExportSettings)
    assert kept is not None and (kept.top, kept.period) == (2, None)


def test_topic_examples_have_columns_only_up_to_what_topics_have(tmp_path: Path) -> None:
    """`--top 20000` gave topics.csv 60,017 columns for 15 topics, nearly all empty."""
    from opinion.report.tables import build_tables

    ws = make_workspace(tmp_path / "ws")
    topics = build_tables(ws, top=MAX_TOP)["topics"]
    examples = [c for c in topics.columns if c.startswith("example_") and c.endswith("_doc_id")]
    assert 0 < len(examples) < MAX_TOP
    assert topics[examples[-1]].notna().any()  # the last column is used by some topic


# --- period = "auto" ---------------------------------------------------------------------------
def test_auto_clears_a_stored_export_period(tmp_path: Path) -> None:
    """Once `--period week` was given nothing set it back: `auto`, `none` and "" were refused."""
    ws = make_workspace(tmp_path / "ws")
    assert run_cli("export", "-w", ws.root, "--format", "csv", "--period", "week")[0] == 0
    assert stored_settings(Workspace.open(ws.root), ExportSettings).period == "week"
    code, said = run_cli("export", "-w", ws.root, "--period", "auto")
    assert code == 0, said
    assert stored_settings(Workspace.open(ws.root), ExportSettings).period is None
    run_csv = (ws.root / "export" / "run.csv").read_text(encoding="utf-8")
    assert "from export --period" not in run_csv


def test_config_show_writes_auto_for_a_period_left_to_the_dates() -> None:
    text = RunConfig().to_toml()
    assert text.count('period = "auto"') == 2  # [topics] and [export]
    again = RunConfig.from_toml_text(text)
    assert again.topics.period is None and again.export.period is None
    assert TopicSettings(period="auto").check().period is None
    with pytest.raises(InputError, match=r"must be one of day, week, month, or auto \(picked from the date range\); got 'Week'"):
        TopicSettings(period="Week").check()


# --- [prepare] pos, engine, empty paths --------------------------------------------------------
@pytest.mark.parametrize("tag", ["名词", "N", "bogus", ""])
def test_pos_tags_jieba_does_not_give_are_refused(tag: str) -> None:
    """`pos = ["名词"]` kept no Chinese word at all: 3.35 tokens per post instead of 27.2."""
    with pytest.raises(InputError, match=rf"^pos must be jieba part-of-speech tags .*; got '{tag}'$"):
        PrepareSettings(pos=(tag,))


def test_pos_takes_jieba_tags_their_prefixes_and_the_user_dictionary_tags(tmp_path: Path) -> None:
    assert PrepareSettings(pos=("n", "v", "a", "nr", "ns", "eng")).pos == ("n", "v", "a", "nr", "ns", "eng")
    assert all(PrepareSettings(pos=(tag,)) for tag in JIEBA_TAGS)
    words = tmp_path / "词典.txt"
    words.write_text("火神山医院 100 hosp\n", encoding="utf-8")
    assert PrepareSettings(pos=("hosp",), user_dicts=(str(words),)).pos == ("hosp",)


def test_rjieba_with_pos_is_refused_in_the_config_file(tmp_path: Path) -> None:
    """Found only by the prepare stage, after the load, naming neither the file nor the key."""
    config = write_toml(tmp_path, '[prepare]\nengine = "rjieba"\npos = ["n"]\n')
    with pytest.raises(InputError, match=r"设置.toml: \[prepare\] engine cannot be rjieba with pos"):
        RunConfig.read_overrides(config)


@pytest.mark.parametrize("key", ["theme_files", "user_dicts"])
def test_an_empty_path_is_refused_naming_the_key(tmp_path: Path, key: str) -> None:
    """`theme_files = [""]` passed, then prepare hashed the folder `.`: a FileNotFoundError traceback."""
    config = write_toml(tmp_path, f'[prepare]\n{key} = [""]\n')
    with pytest.raises(InputError, match=rf"设置.toml: \[prepare\] {key} names no file: ''"):
        RunConfig.read_overrides(config)


# --- config-file errors name the file, section and key ------------------------------------------
def test_config_file_errors_name_the_key_not_a_flag(tmp_path: Path) -> None:
    for text, said in (('[export]\nscript = "zh-TW"\n', r"\[export\] script must be one of"),):
        with pytest.raises(InputError, match=rf"^.*设置.toml: {said}") as info:
            RunConfig.read_overrides(write_toml(tmp_path, text))
        assert "--" not in str(info.value)


def test_model_path_default_in_a_config_file_means_the_shipped_model(tmp_path: Path) -> None:
    """`--model default` meant the shipped model, `model_path = "default"` a missing file."""
    config = write_toml(tmp_path, '[sentiment]\nmodel_path = "default"\n')
    assert RunConfig.read_overrides(config)["sentiment"]["model_path"] == ""
