"""Loading into a workspace that already holds the inputs: an input is skipped only when the
options given now would read it as it was read (opinion.io.load, since 2026-12-07)."""

from __future__ import annotations

import pytest

from opinion import schema as S
from opinion.config import LoadSettings, stored_settings
from opinion.errors import InputError
from opinion.io.load import load_corpus
from opinion.io.workspace import Workspace


def test_load_run_skips_inputs_loaded_with_their_own_options_and_refuses_a_new_one(tmp_path):
    """2026-12-07: options that would read an already loaded input otherwise were stored as if
    applied (`run --drop-col userid`: userid stayed in every row). A run (skip_loaded) starts
    from the stored settings, so inputs each loaded with options of their own are still skipped."""
    posts, news = tmp_path / "posts.csv", tmp_path / "news.jsonl"
    posts.write_text("编号,正文,评论,userid\n1,今天口罩又涨价了，药店排长队。,支持,u1\n"
                     "2,武汉加油，医护人员辛苦了！,加油,u2\n", encoding="utf-8")
    news.write_text('{"content": "第二批物资已经送达医院", "date": "2020-02-01"}\n', encoding="utf-8")
    ws = tmp_path / "ws"
    load_corpus([posts], ws, text_col="评论", id_col="编号")
    load_corpus([news], ws, date_col="date")
    entry = Workspace.open(ws).manifest["inputs"][0]
    assert entry["settings"]["text_col"] == "评论" and entry["settings"]["id_col"] == "编号"
    stored = stored_settings(Workspace.open(ws), LoadSettings)
    report = load_corpus([posts, news], ws, settings=stored, skip_loaded=True)  # what `opinion run` does
    assert report.files == [] and len(report.skipped) == 2
    with pytest.raises(InputError) as info:
        load_corpus([posts, news], ws, settings=LoadSettings(date_col="date", drop_cols=("userid",)),
                    skip_loaded=True)
    assert info.value.param == "drop_cols" and str(info.value).startswith(
        f"drop_cols userid: {posts} was loaded without it, and an input already loaded is not read again; "
        "pass --replace")
    assert stored_settings(Workspace.open(ws), LoadSettings) == stored  # nothing stored as applied
    report = load_corpus([posts], ws, settings=LoadSettings(text_col="评论", id_col="编号",
                                                            drop_cols=("userid",)), replace=True)
    assert report.files[0].rows_loaded == 2
    assert not Workspace.open(ws).read(S.CORPUS)["meta"].str.contains("u1").any()
    assert set(Workspace.open(ws).read(S.CORPUS)["text_raw"]) == {"支持", "加油", "第二批物资已经送达医院"}
