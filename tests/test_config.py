"""opinion.config: settings of every stage with their defaults written once, stored in the
workspace and reused; TOML in and out; CLI options that default to "not given"."""

from __future__ import annotations

import inspect
from pathlib import Path

import numpy as np
import pytest
from factory import make_workspace
from typer.testing import CliRunner

from opinion.cli import app
from opinion.cli.export_cmd import export
from opinion.cli.load_cmd import load
from opinion.cli.options import FLAGS
from opinion.cli.run_cmd import run
from opinion.cli.sentiment_cmd import sentiment
from opinion.cli.text_cmd import prepare
from opinion.cli.topics_cmd import topics
from opinion.config import (
    DEFAULT_EMBEDDING,
    DEFAULT_SAMPLE_SIZE,
    EXPORT_FORMATS,
    LEXICON_BAND,
    ExportSettings,
    LoadSettings,
    PrepareSettings,
    RunConfig,
    SentimentSettings,
    TopicSettings,
    settings_for,
    store_settings,
    stored_settings,
)
from opinion.errors import InputError, NotFittedError
from opinion.io.workspace import Workspace

ROOT = Path(__file__).resolve().parents[1]
COMMANDS = {"load": load, "prepare": prepare, "sentiment": sentiment, "topics": topics,
            "export": export, "run": run}


# --- defaults written once ------------------------------------------------------------------
def test_settings_classes_carry_the_defaults() -> None:
    assert LoadSettings().chunk_rows == 50_000 and LoadSettings().max_field_mb == 64.0
    assert TopicSettings().embedding == DEFAULT_EMBEDDING == "static-zh"
    assert TopicSettings().sample_size == DEFAULT_SAMPLE_SIZE
    assert SentimentSettings().method == "model" and SentimentSettings().neutral_band is None
    assert ExportSettings().formats == EXPORT_FORMATS and ExportSettings().script == "zh-Hans"
    assert PrepareSettings().theme_files == ()


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_settings_option_of_every_command_defaults_to_not_given(name: str) -> None:
    params = inspect.signature(COMMANDS[name]).parameters
    flags = [f for s in FLAGS.values() for f in s if f.param in params]
    assert flags, name
    for flag in flags:
        assert params[flag.param].default is None, (name, flag.param)
    if name == "run":  # run takes every stage's settings options
        assert len(flags) == sum(len(s) for s in FLAGS.values())


def test_help_shows_the_default_of_the_settings_class() -> None:
    helps = {f.name: f.annotation(False).__metadata__[0].help for f in FLAGS["topics"]}
    assert helps["embedding"].endswith(f"(default: {DEFAULT_EMBEDDING})")
    assert helps["sample_size"].endswith(f"(default: {DEFAULT_SAMPLE_SIZE})")
    assert helps["period"].endswith("(default: from the date range).")  # None: no value shown


def test_no_stage_default_is_written_again_in_the_cli_or_the_stages() -> None:
    sources = [*(ROOT / "opinion" / "cli").glob("*.py"), ROOT / "opinion" / "pipeline.py",
               ROOT / "opinion" / "topics" / "model.py", ROOT / "opinion" / "sentiment" / "score.py",
               ROOT / "opinion" / "io" / "load.py", ROOT / "opinion" / "report" / "export.py"]
    band = ", ".join(map(str, LEXICON_BAND))
    for path in sources:
        code = "\n".join(line for line in path.read_text(encoding="utf-8").splitlines()
                         if ">>>" not in line)  # doctest examples may show values
        for literal in (f'"{DEFAULT_EMBEDDING}"', "100_000", "50_000", f"({band})", '"placeholder"'):
            assert literal not in code, (path.name, literal)
    assert "chunk_rows" not in inspect.signature(__import__("opinion.io.load").io.load.load_corpus).parameters


# --- TOML -----------------------------------------------------------------------------------
def test_toml_round_trip_with_chinese_values_and_relative_paths(tmp_path: Path) -> None:
    config = RunConfig(
        load=LoadSettings(text_col="微博正文", date_from_filename=True, year=2020,
                          drop_cols=("用户名",), column_names=("标题", "标签")),
        prepare=PrepareSettings(theme_files=(str(tmp_path / "主题.toml"),)),
        sentiment=SentimentSettings(method="lexicon", neutral_band=(0.3, 0.7)),
        topics=TopicSettings(nr_topics=12, seed=7, period="week"),
        export=ExportSettings(formats=("xlsx", "html"), script="zh-Hant-TW", top=5))
    assert RunConfig.from_toml_text(config.to_toml()) == config
    path = tmp_path / "conf" / "opinion.toml"
    path.parent.mkdir()
    path.write_text('[prepare]\ntheme_files = ["我的主题.toml"]\n[topics]\nnr_topics = "auto"\n',
                    encoding="utf-8")
    (path.parent / "我的主题.toml").write_text("", encoding="utf-8")  # a config's files must exist
    sections = RunConfig.read_overrides(path)
    assert sections == {"prepare": {"theme_files": (str(path.parent.resolve() / "我的主题.toml"),)},
                        "topics": {"nr_topics": "auto"}}


def test_relative_paths_in_a_config_are_stored_absolute_from_its_own_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # since 2026-12-07: they were joined with the path as given ("cfg/../th/user.toml"), so a
    # later command run from another folder could not find them
    (tmp_path / "cfg").mkdir()
    (tmp_path / "cfg" / "rel.toml").write_text(
        '[prepare]\ntheme_files = ["../th/user.toml"]\nuser_dicts = ["../th/词典.txt"]\n'
        '[sentiment]\nmodel_path = "model.joblib"\n', encoding="utf-8")
    for name in ("th/user.toml", "th/词典.txt", "cfg/model.joblib"):  # a config's files must exist
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    sections = RunConfig.read_overrides("cfg/rel.toml")
    root = tmp_path.resolve()
    assert sections["prepare"] == {"theme_files": (str(root / "th" / "user.toml"),),
                                   "user_dicts": (str(root / "th" / "词典.txt"),)}
    assert sections["sentiment"] == {"model_path": str(root / "cfg" / "model.joblib")}


@pytest.mark.parametrize("text, said", [
    ("[topic]\nseed = 1\n", "unknown section [topic]"),
    ("[topics]\nseeds = 1\n", "[topics] unknown setting 'seeds'"),
    ("[sentiment]\nmethod = 'bert'\n", "method must be one of"),
    ("[topics\n", "not a TOML file"),
])
def test_bad_config_files_name_the_file_and_the_setting(tmp_path: Path, text: str, said: str) -> None:
    path = tmp_path / "opinion.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match="opinion.toml") as info:
        RunConfig.read_overrides(path)
    assert said in str(info.value)


@pytest.mark.parametrize("text, said", [
    ("[topics]\nseed = 1.5\n", "[topics] seed must be a whole number; got 1.5"),
    ("[topics]\nseed = true\n", "[topics] seed must be a whole number; got true"),
    ("[topics]\nkeep_duplicates = \"false\"\n", '[topics] keep_duplicates must be true or false; got "false"'),
    ("[topics]\nmin_topic_size = \"5\"\n", '[topics] min_topic_size must be a whole number; got "5"'),
    ("[topics]\nnr_topics = 1.5\n", "[topics] nr_topics must be 'auto' or a whole number; got 1.5"),
    ("[topics]\nnr_topics = \"20\"\n", "[topics] nr_topics must be 'auto' or a whole number ≥ 2; got '20'"),
    ("[export]\ntop = \"3\"\n", '[export] top must be a whole number; got "3"'),
    ("[load]\nyear = \"2020\"\n", '[load] year must be a whole number; got "2020"'),
    ("[load]\ndrop_cols = [\"a\", 1]\n", '[load] drop_cols must be a list of strings; got ["a", 1]'),
    ("[prepare]\ntheme_files = \"my.toml\"\n", '[prepare] theme_files must be a list of strings; got "my.toml"'),
    ("[prepare]\npos = \"nv\"\n", '[prepare] pos must be a list of strings; got "nv"'),
    ("[prepare]\nstopwords = \"false\"\n", '[prepare] stopwords must be true or false; got "false"'),
    ("[sentiment]\nneutral_band = [0.3]\n", "[sentiment] neutral_band must be a list of 2 numbers"),
    ("[topics]\nseed = -1\n", "[topics] seed must be between 0 and 4294967295; got -1"),
    ("[topics]\nseed = 4294967296\n", "[topics] seed must be between 0 and 4294967295; got 4294967296"),
    ("[topics]\nprojection_dims = 0\n", "[topics] projection_dims must be ≥ 2; got 0"),
    ('[prepare]\nclean_steps = ["bogus"]\n', "[prepare] clean_steps must be one of markup, pinyin, unicode, "
                                               "furniture, weibo, contacts, punctuation, whitespace; got 'bogus'"),
    ('[prepare]\nhant = "bogus"\n', "[prepare] hant must be one of auto, t2s, tw2s, tw2sp, hk2s; got 'bogus'"),
    ('[load]\nfmt = "docx"\n', "[load] fmt must be one of auto, csv, tsv, jsonl, json, parquet, xlsx, xls, "
                                "txt, html; got 'docx'"),
    ('[load]\nencoding = "klingon"\n', "[load] encoding must be auto or an encoding such as utf-8, gb18030, "
                                        "big5, utf-16; got 'klingon'"),
    ("[load]\nmax_field_mb = inf\n", "[load] max_field_mb must be more than 0 and finite"),
    ('[sentiment]\nmodel_path = "nope.joblib"\n', "[sentiment] model_path names no file: {dir}/nope.joblib"),
    ('[prepare]\ntheme_files = ["主题.toml"]\n', "[prepare] theme_files names no file: {dir}/主题.toml"),
    ('[prepare]\nuser_dicts = ["词典.txt"]\n', "[prepare] user_dicts names no file: {dir}/词典.txt"),
])
def test_config_values_of_the_wrong_type_or_range_name_the_file_section_and_key(
        tmp_path: Path, text: str, said: str) -> None:
    # since 2026-12-07: they went to the settings unchecked (a traceback later, or "false" read as
    # true), or passed the file check and were found stages later (some stayed stored)
    path, message = _refused_config(tmp_path, text)
    assert message.startswith(f"{path}: {said.format(dir=tmp_path.resolve())}")
    if "names no file" not in said:  # a file's existence is checked where paths are read
        with pytest.raises(InputError, match=said.split(" must ")[0].replace("[", r"\[").replace("]", r"\]")):
            RunConfig.from_toml_text(text)


def test_config_values_of_the_right_type_are_kept(tmp_path: Path) -> None:
    config = RunConfig.from_toml_text('[load]\nmax_field_mb = 8\nyear = 2020\n'
                                      '[sentiment]\nneutral_band = "0.3,0.7"\n'
                                      '[export]\nformats = "csv,xlsx"\n[topics]\nnr_topics = 12\n')
    assert config.load.max_field_mb == 8 and config.load.year == 2020
    assert config.sentiment.neutral_band == (0.3, 0.7) and config.export.formats == ("csv", "xlsx")
    assert config.topics.nr_topics == 12


def test_a_config_with_a_wrong_type_stops_the_run_before_anything_is_stored(tmp_path: Path) -> None:
    ws = Workspace.open(tmp_path / "ws", create=True)
    before = (ws.root / "manifest.json").read_bytes()
    config = tmp_path / "seed.toml"
    config.write_text("[topics]\nseed = 1.5\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["run", str(ROOT / "tests/data/workspace_sample.jsonl"),
                                      "-w", str(ws.root), "--config", str(config)])
    assert result.exit_code == 1
    assert result.output.strip() == f"error: {config}: [topics] seed must be a whole number; got 1.5"
    assert (ws.root / "manifest.json").read_bytes() == before


def _refused_config(tmp_path: Path, text: str) -> tuple[Path, str]:
    """The config file written with ``text`` and the error reading it raises."""
    path = tmp_path / "opinion.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        RunConfig.read_overrides(path)
    return path, str(info.value)


@pytest.mark.parametrize("args, said", [
    (["--seed", "-1"], "error: --seed must be between 0 and 4294967295; got -1"),
    (["--max-field-mb", "inf"], "error: --max-field-mb must be more than 0 and finite"),
])
def test_a_bad_run_option_stops_the_run_before_anything_is_written(
        tmp_path: Path, args: list[str], said: str) -> None:
    # --seed -1 was a scikit-learn traceback after load, prepare and sentiment, and stayed stored
    result = CliRunner().invoke(app, ["run", str(ROOT / "tests/data/workspace_sample.jsonl"),
                                      "-w", str(tmp_path / "ws"), "--method", "lexicon", *args])
    assert result.exit_code == 1 and result.output.startswith(said), result.output
    assert not (tmp_path / "ws").exists()


def test_sentiment_with_a_missing_model_is_one_line(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws", with_topics=False)
    result = CliRunner().invoke(app, ["sentiment", "-w", str(ws.root), "--model", str(tmp_path / "nope.joblib")])
    assert result.exit_code == 1
    assert result.output.strip() == f"error: --model names no file: {tmp_path.resolve() / 'nope.joblib'}"


def test_a_config_saved_with_a_bom_is_read_and_a_gbk_one_is_named(tmp_path: Path) -> None:
    # Notepad and many Chinese editors write UTF-8 with a BOM: it was "not a TOML file"
    bom = tmp_path / "bom.toml"
    bom.write_bytes("\ufeff[topics]\nnr_topics = 5\n# 主题数\n".encode())
    assert RunConfig.read_overrides(bom) == {"topics": {"nr_topics": 5}}
    gbk = tmp_path / "gbk.toml"
    gbk.write_bytes("# 主题数\n[topics]\nnr_topics = 5\n".encode("gbk"))
    with pytest.raises(InputError, match=r"gbk.toml: not UTF-8 \(byte 3 cannot be read; saved as GBK or "
                                         r"UTF-16\?\); save it as UTF-8"):
        RunConfig.read_overrides(gbk)


def test_to_toml_escapes_del_and_c1_controls_so_the_file_reads_back() -> None:
    config = RunConfig(load=LoadSettings(drop_cols=("del\x7fcol", "c1\x85列", "tab\t\"q\"")))
    assert "\x7f" not in config.to_toml() and "\\u007f" in config.to_toml()
    assert RunConfig.from_toml_text(config.to_toml()) == config


def test_config_show_warns_when_inputs_were_loaded_with_other_options(tmp_path: Path) -> None:
    """A Weibo CSV and a news JSONL loaded by two `opinion load` calls: the [load] table is the
    last one's, so `run --config` would read the CSV's 正文 instead of 评论 (2026-12-07)."""
    from opinion.io.load import load_corpus

    posts, news = tmp_path / "a.csv", tmp_path / "b.jsonl"
    posts.write_text("编号,正文,评论\n1,今天口罩又涨价了，药店排长队。,支持\n", encoding="utf-8")
    news.write_text('{"content": "第二批物资已经送达医院", "date": "2020-02-01"}\n', encoding="utf-8")
    load_corpus([posts], tmp_path / "ws", text_col="评论", id_col="编号")
    load_corpus([news], tmp_path / "ws", date_col="date")
    result = CliRunner().invoke(app, ["config", "show", "-w", str(tmp_path / "ws")])
    shown = result.stdout
    assert "WARNING: the inputs below were loaded with other [load] options" in result.stderr
    lines = shown.splitlines()
    assert lines[1].startswith("# WARNING: the inputs below were loaded with other [load] options")
    assert f'#   {posts}: text_col = "评论", id_col = "编号", date_col = (not set)' in lines
    assert RunConfig.from_toml_text(shown).load.date_col == "date"  # still a config file
    single = tmp_path / "one"
    load_corpus([posts], single, text_col="评论")  # one load: nothing to warn of
    assert "WARNING" not in RunConfig.from_workspace(Workspace.open(single)).to_toml()


# --- stored in the workspace, read back one way ----------------------------------------------
def test_settings_for_prefers_given_then_stored_then_defaults(tmp_path: Path) -> None:
    ws = Workspace.open(tmp_path / "ws", create=True)
    assert stored_settings(ws, TopicSettings) is None
    assert settings_for(ws, TopicSettings) == TopicSettings()
    store_settings(ws, TopicSettings(nr_topics=8, seed=3))
    reopened = Workspace.open(ws.root)
    assert settings_for(reopened, TopicSettings) == TopicSettings(nr_topics=8, seed=3)
    assert settings_for(reopened, TopicSettings, overrides={"seed": 5, "period": None}) == \
        TopicSettings(nr_topics=8, seed=5)
    assert settings_for(reopened, TopicSettings, TopicSettings(), {"seed": 5}) == TopicSettings(seed=5)


def test_stored_settings_of_older_workspaces_come_from_the_stage_record(tmp_path: Path) -> None:
    ws = Workspace.open(tmp_path / "ws", create=True)
    own = str((ws.root / "user_dict.txt").resolve())
    ws.set_stage_record("prepare", {"settings": {
        "theme_files": ["/data/主题.toml"], "user_dicts": ["/data/词典.txt", own],
        "content_fingerprint": "abc", "pos": None}})
    assert stored_settings(ws, PrepareSettings) == PrepareSettings(
        theme_files=("/data/主题.toml",), user_dicts=("/data/词典.txt",))


def test_config_of_a_workspace_lists_its_own_dictionary(tmp_path: Path) -> None:
    from opinion.io.userdict import user_dict_path

    ws = Workspace.open(tmp_path / "ws", create=True)
    store_settings(ws, PrepareSettings(user_dicts=("/data/词典.txt",)))
    user_dict_path(ws).write_text("方舱医院 5 n\n", encoding="utf-8")
    shown = RunConfig.from_workspace(ws)
    assert shown.prepare.user_dicts == ("/data/词典.txt", str(user_dict_path(ws).resolve()))
    assert stored_settings(ws, PrepareSettings).user_dicts == ("/data/词典.txt",)


def test_export_defaults_to_the_workspace_folder_in_every_format(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    result = CliRunner().invoke(app, ["export", "-w", str(ws.root)])
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in (ws.root / "export").iterdir())
    assert {"report.xlsx", "report.md", "report.html", "documents.csv"} <= set(written)
    shown = CliRunner().invoke(app, ["config", "show", "-w", str(ws.root)]).output
    assert 'formats = ["csv", "xlsx", "md", "html"]' in shown


def test_a_bad_export_period_is_refused_before_it_is_stored(tmp_path: Path) -> None:
    """`export --period Week` used to be stored first: every later plain export then failed."""
    ws = make_workspace(tmp_path / "ws")
    bad = CliRunner().invoke(app, ["export", "-w", str(ws.root), "--period", "Week", "--format", "csv"])
    assert bad.exit_code == 1 and "--period must be one of day, week, month, or auto" in bad.output
    plain = CliRunner().invoke(app, ["export", "-w", str(ws.root), "--format", "csv"])
    assert plain.exit_code == 0, plain.output
    config = tmp_path / "bad.toml"
    config.write_text('[export]\nperiod = "year"\n', encoding="utf-8")
    run_bad = CliRunner().invoke(app, ["run", str(tmp_path / "none.csv"), "-w", str(tmp_path / "new"),
                                       "--config", str(config)])
    assert run_bad.exit_code == 1 and "[export] period must be one of" in run_bad.output
    assert not (tmp_path / "new").exists()


# --- errors carry the parameter; the CLI names the flag --------------------------------------
def test_errors_name_the_parameter_in_python_and_the_flag_on_the_command_line(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        TopicSettings(sample_size=5).check()
    assert info.value.param == "sample_size" and str(info.value).startswith("sample_size must be")
    ws = Workspace.open(tmp_path / "ws", create=True)
    result = CliRunner().invoke(app, ["topics", "-w", str(ws.root), "--sample", "5"])
    assert result.exit_code == 1
    assert result.output.strip() == "error: --sample must be ≥ 100 documents; got 5"


def test_one_not_fitted_error_everywhere() -> None:
    from opinion.sentiment.model import SentimentModel
    from opinion.topics.components import LinearProjection
    from opinion.topics.embed import TfidfEmbedder

    for call in (lambda: TfidfEmbedder().encode([["物流", "很快"]]),
                 lambda: SentimentModel().score(["物流很快"]),
                 lambda: LinearProjection().transform(np.ones((2, 3), dtype=np.float32))):
        with pytest.raises(NotFittedError, match="not fitted"):
            call()
    assert issubclass(NotFittedError, InputError) and issubclass(NotFittedError, RuntimeError)


def test_load_settings_kept_over_adds_up_privacy_options_and_names_the_stored_ones_changed():
    """2026-12-08: the settings of the last load replaced the stored ones whole, so a one-off
    load without --drop-col dropped the privacy option later runs rely on, silently."""
    stored = LoadSettings(drop_cols=("userid",), pseudonymize_cols=("昵称",), date_from_filename=True, year=2020)
    kept, note = LoadSettings(drop_cols=("uid",), text_col="正文").kept_over(stored)
    assert kept.drop_cols == ("userid", "uid") and kept.pseudonymize_cols == ("昵称",)
    assert (kept.year, kept.date_from_filename, kept.text_col) == (None, False, "正文")
    assert note.startswith("this load changes the workspace's stored load options (date_from_filename true → "
                           "false; year 2020 → none; drop_cols userid → userid,uid)")
    assert "privacy options kept for later runs (drop_cols userid; pseudonymize_cols 昵称)" in note
    assert LoadSettings(year=2021).kept_over(None) == (LoadSettings(year=2021), "")
    assert LoadSettings(year=2021).kept_over(LoadSettings())[1] == ""  # nothing stored but defaults
