"""Keyword in context on a prepared workspace, in both scripts."""

from __future__ import annotations

import pytest

from opinion.errors import InputError
from opinion.kwic import kwic, kwic_lines


@pytest.fixture(scope="module")
def ws(tmp_path_factory):
    from test_prepare import write_text_corpus

    from opinion.prepare import prepare_workspace

    workspace = write_text_corpus(tmp_path_factory.mktemp("kwic") / "ws", weibo_rows=40)
    prepare_workspace(workspace, workers=1)
    return workspace


def test_kwic_lines_centre_the_term():
    rows = kwic_lines("d1", "主播带货，\n国货带货好", "带货", width=3)
    assert [(r["left"], r["term"], r["right"]) for r in rows] == [
        ("主播", "带货", "， 国"), (" 国货", "带货", "好")]
    assert kwic_lines("d1", "", "带货") == []


def test_kwic_latin_letters_match_in_any_case_and_are_quoted_as_written():
    rows = kwic_lines("d1", "SARS和sars，还有N95口罩", "sars", width=2)
    assert [(r["left"], r["term"], r["right"]) for r in rows] == [("", "SARS", "和s"), ("S和", "sars", "，还")]
    assert [r["term"] for r in kwic_lines("d1", "戴n95还是N95", "N95")] == ["n95", "N95"]
    assert len(kwic_lines("d1", "国货国貨", "国货")) == 1  # Han is matched as it is


def test_kwic_finds_term_in_either_script(ws):
    simplified = kwic(ws, "国货", width=5)
    traditional = kwic(ws, "國貨", width=5)
    assert list(simplified.columns) == ["doc_id", "published_at", "left", "term", "right"]
    assert len(simplified) >= 8 and simplified.equals(traditional)
    assert set(simplified["doc_id"]) >= {"seed", "s-4"}
    assert str(simplified.loc[simplified["doc_id"] == "seed", "published_at"].iloc[0])[:10] == "2021-10-11"
    assert all(len(left) <= 5 and len(right) <= 5 for left, right in zip(simplified["left"], simplified["right"]))


def test_kwic_renders_script_and_limits(ws):
    hk = kwic(ws, "国货", width=5, script="zh-HK", limit=2)
    assert len(hk) == 2 and set(hk["term"]) == {"國貨"}
    with pytest.raises(InputError, match="--script must be one of"):
        kwic(ws, "国货", script="zh-TW")


def test_kwic_theme_filter(ws):
    all_lines = kwic(ws, "直播")
    trust_only = kwic(ws, "直播", theme="信任")
    assert 0 < len(trust_only) < len(all_lines)
    assert set(trust_only["doc_id"]) <= {"seed", "s-1", "s-2"}
    with pytest.raises(InputError, match=r"no theme 'nope'.*available: \['信任'"):
        kwic(ws, "直播", theme="nope")


def test_kwic_finds_latin_words_in_any_case(ws):
    lower, upper = kwic(ws, "cnnic", width=3), kwic(ws, "CNNIC", width=3)
    assert len(lower) >= 1 and lower.equals(upper) and set(lower["term"]) == {"CNNIC"}  # as written


def test_kwic_empty_term_and_no_hit(ws):
    with pytest.raises(InputError, match="the search term is empty"):
        kwic(ws, "  ")
    assert kwic(ws, "不存在的词语").empty


def test_kwic_quotes_traditional_documents_as_written(ws):
    """issue 14: in the document's own script a KWIC line is the cleaned original, verbatim."""
    from opinion import schema as S

    prepared = ws.read(S.PREPARED).set_index(S.DOC_ID)
    for target in ("zh-Hant-TW", "zh-HK"):
        lines = kwic(ws, "数据", width=10, script=target)
        lines = lines[lines["doc_id"] == "seed"]
        flat = " ".join(prepared.loc["seed", S.TEXT_CLEAN].split())
        assert len(lines) >= 1
        for row in lines.itertuples():
            assert row.term == "數據"
            assert f"{row.left}{row.term}{row.right}" in flat
    simplified = kwic(ws, "数据", width=10, script="zh-Hans")
    assert set(simplified.loc[simplified["doc_id"] == "seed", "term"]) == {"数据"}


def test_document_lines_quote_the_source_words():
    from opinion.kwic import document_lines

    rows = document_lines("tw", "台北天文台的用戶數據化", "zh-Hant", "用户", width=3, target="zh-Hant-TW")
    assert [(r["left"], r["term"], r["right"]) for r in rows] == [("文台的", "用戶", "數據化")]
    rows = document_lines("tw", "台北天文台的用戶數據化", "zh-Hant", "用户", width=3, target="zh-Hans")
    assert [(r["left"], r["term"], r["right"]) for r in rows] == [("文台的", "用户", "数据化")]
    rows = document_lines("cn", "哈哈哈哈哈", "zh-Hans", "哈哈哈", width=2, text_norm="哈哈")
    assert [(r["left"], r["term"], r["right"]) for r in rows] == [("", "哈哈哈", "哈哈")]
    rows = document_lines("old", None, None, "国货", width=2, target="zh-HK", text_norm="老国货好")
    assert [(r["left"], r["term"], r["right"]) for r in rows] == [("老", "國貨", "好")]


# A real Weibo post (covid19_weibo_2020) and GSD dev-s41 / dev-s169 (Traditional)
HERBS = "重症患者有80%愿意接受中医药治疗，轻症患者有90%愿意接受中医药干预，\n隔离的患者也希望中医药早期介入。"


@pytest.mark.parametrize("text, script, needle, width, target, line", [
    (HERBS, "zh-Hans", "患者", 12, "zh-Hant-TW", ("願意接受中醫藥治療，輕症", "患者", "有90%願意接受中醫藥干")),
    (HERBS, "zh-Hans", "患者", 12, "zh-HK", ("願意接受中醫藥治療，輕症", "患者", "有90%願意接受中醫藥干")),
    ("成為了中國乃至世界著名的電影人", "zh-Hant", "名", 4, "zh-Hans", ("至世界著", "名", "的电影人")),
    ("橋東頭則立有乾隆帝題寫的「盧溝曉月」碑。", "zh-Hant", "隆", 6, "zh-Hans", ("东头则立有乾", "隆", "帝题写的“卢")),
])
def test_document_lines_are_pieces_of_the_converted_document(text, script, needle, width, target, line):
    """A word cut at a line's edge keeps the conversion it has in the whole text (中醫藥干|預,
    not 幹; 世界著|名, not 着; 乾|隆, not 干)."""
    from opinion.kwic import document_lines
    from opinion.text.script import render_document

    rows = document_lines("d", text, script, needle, width=width, target=target)
    assert line in [(row["left"], row["term"], row["right"]) for row in rows]
    whole = render_document(text, script, target).replace("\n", " ")
    for row in rows:
        assert row["left"] + row["term"] + row["right"] in whole


def test_kwic_command_shows_the_script_of_the_workspace_export(ws):
    """`opinion run --script zh-Hant-TW` once: kwic, topics and words show that script after it."""
    from typer.testing import CliRunner

    from opinion.cli import app
    from opinion.config import ExportSettings, store_settings

    runner = CliRunner()
    simplified = runner.invoke(app, ["kwic", "数据", "-w", str(ws.root), "--limit", "3"])
    assert simplified.exit_code == 0 and "【数据】" in simplified.output
    store_settings(ws, ExportSettings(script="zh-Hant-TW"))
    try:
        shown = runner.invoke(app, ["kwic", "数据", "-w", str(ws.root), "--limit", "3"])
        assert shown.exit_code == 0 and "【數據】" in shown.output and "【数据】" not in shown.output
        given = runner.invoke(app, ["kwic", "数据", "-w", str(ws.root), "--limit", "3", "--script", "zh-Hans"])
        assert "【数据】" in given.output
    finally:
        store_settings(ws, ExportSettings(script="zh-Hans"))


def test_kwic_refuses_an_interrupted_prepare(ws, tmp_path):
    """h45 #1: a killed prepare leaves some parts; KWIC of them would miss lines without a word."""
    import shutil

    from opinion import schema as S
    from opinion.errors import StageOrderError
    from opinion.io.workspace import Workspace

    shutil.copytree(ws.root, tmp_path / "ws")
    copy = Workspace.open(tmp_path / "ws")
    copy.set_stage_record("prepare", {**copy.stage_record("prepare"), "runner": 1, "target": S.PREPARED,
                                      "complete": False})
    with pytest.raises(StageOrderError, match="stage 'prepare' was interrupted; run `opinion prepare"):
        kwic(copy, "国货")


def test_document_lines_find_a_traditional_form_in_a_simplified_post():
    """h45 #2: a Simplified post quoting 武漢 (a real post of 2020-01-27, shortened): every
    occurrence in text_norm is a line, the Traditional one quoted as written."""
    from opinion.kwic import document_lines
    from opinion.text.clean import normalize_for_analysis
    from opinion.text.script import to_analysis

    text = "#武汉加油# 500万人离开武汉，留守的人们：Wuhan City(武漢)挺住！武汉加油"
    norm = normalize_for_analysis(to_analysis(text))
    assert norm.count("武汉") == 4
    rows = document_lines("d", text, "zh-Hans", "武汉", width=5, text_norm=norm)
    assert [r["term"] for r in rows] == ["武汉", "武汉", "武漢", "武汉"]
    assert ("City(", "武漢", ")挺住！武") in [(r["left"], r["term"], r["right"]) for r in rows]


def test_kwic_theme_found_under_a_users_name_in_the_other_script(tmp_path):
    """A user's 國貨 replaces the built-in 国货 (its column is theme_國貨): `--theme 国货` found no
    column and stopped with "no theme"."""
    import pandas as pd

    from opinion import schema as S
    from opinion.io.workspace import Workspace
    from opinion.kwic import _theme_column

    ws = Workspace.open(tmp_path / "ws", create=True)
    ws.write_part(S.PREPARED, "p-00000", pd.DataFrame({S.DOC_ID: ["a"], "theme_國貨": [1], "theme_信任": [0]}))
    assert _theme_column(ws, "p-00000", "国货") == "theme_國貨"
    assert _theme_column(ws, "p-00000", "國貨") == "theme_國貨"
    with pytest.raises(InputError, match="no theme '非遗'"):
        _theme_column(ws, "p-00000", "非遗")


# GSD dev-s375 and dev-s66 (Taiwan wording: 使用者介面, 命令列, 資料庫) and a mainland sentence.
TAIWAN = "所以，在現在的圖形使用者介面的操作系統中，通常都保留著可選的命令列介面。"
DATABASE = "消費者通過線下十二籃體重秤稱重，將數據傳輸到十二籃體重資料庫雲端。"


@pytest.fixture(scope="module")
def tw2sp(tmp_path_factory):
    """A workspace prepared with ``[prepare] hant = "tw2sp"`` (Taiwan phrases: 使用者 → 用户)."""
    from test_prepare import _corpus

    from opinion import schema as S
    from opinion.io.workspace import Workspace
    from opinion.prepare import PrepareSettings, prepare_workspace

    ws = Workspace.open(tmp_path_factory.mktemp("tw2sp") / "ws", create=True)
    texts = [("tw-1", TAIWAN), ("tw-2", DATABASE), ("cn-1", "大多数的加长型礼车则是租车公司的财产。")]
    ws.write_part(S.CORPUS, "a-00000", _corpus([{S.DOC_ID: i, S.TEXT_RAW: t, S.PUBLISHED_AT: "2020-02-01"}
                                                 for i, t in texts]))
    prepare_workspace(ws, settings=PrepareSettings(hant="tw2sp"), workers=1)
    return ws


@pytest.mark.parametrize("term, left, shown, right", [
    ("使用者介面", "現在的圖形", "使用者介面", "的操作系統"),
    ("用户界面", "現在的圖形", "使用者介面", "的操作系統"),
    ("用户", "現在的圖形", "使用者", "介面的操作"),
])
def test_kwic_converts_as_the_workspaces_hant(tw2sp, term, left, shown, right):
    """h47 i18n #1: with hant = "tw2sp", `kwic 使用者` found nothing (the term was made with
    tw2s), and `kwic 用户` quoted text_norm back in Traditional (用戶界面: words the author never
    wrote). The line is text_clean as written, the phrase tw2sp shortened (使用者 → 用户) whole."""
    lines = kwic(tw2sp, term, width=5, script="zh-Hant-TW")
    assert [(r.doc_id, r.left, r.term, r.right) for r in lines.itertuples()] == [("tw-1", left, shown, right)]


def test_kwic_finds_a_taiwan_word_typed_in_either_script(tw2sp):
    """资料库 (Simplified typing of Taiwan's 資料庫), 資料庫 and 数据库 all find the post, quoted
    as written; in zh-Hans it reads 数据库, as text_norm and the topic words do."""
    for term in ("資料庫", "资料库", "数据库"):
        lines = kwic(tw2sp, term, width=3, script="zh-Hant-TW")
        assert lines["term"].tolist() == ["資料庫"], term
    assert kwic(tw2sp, "資料庫", width=3, script="zh-Hans")["term"].tolist() == ["数据库"]


def test_document_lines_never_quote_text_norm_for_a_traditional_document():
    """A Traditional document was quoted from text_norm (Simplified, shown back in Traditional)
    when the hit was not found in its text_clean: a quotation of words nobody wrote."""
    from opinion.kwic import document_lines

    assert document_lines("tw", "更新軟體", "zh-Hant", "软件", target="zh-Hant-TW", text_norm="更新软件") == []


def test_kwic_query_forms_take_hong_kong_characters_as_traditional():
    """h47 i18n #2: 衞生 (the Hong Kong spelling) was a Simplified needle, never found."""
    from opinion.kwic import query_forms

    assert query_forms("衞生署") == ("卫生署",)
    assert query_forms("衹有") == ("只有",)


# Weibo posts of 2020-01-24 (trial 2026-12-08): a headline in 【】 round the word, and a post without.
HEADLINE = "#天津出现聚集性发病# 【买不到口罩，还能这样预防感染】无论是咳嗽、喷嚏、流鼻涕，一定要用纸张、手帕遮挡。"
PLAIN = "请迅速行动！#武汉要求全市在公共场合佩戴口罩##全国确诊830例新型肺炎病例# 出门戴口罩，勤洗手。"


@pytest.fixture(scope="module")
def weibo(tmp_path_factory):
    """A prepared workspace of the two posts above."""
    from test_prepare import _corpus

    from opinion import schema as S
    from opinion.io.workspace import Workspace
    from opinion.prepare import prepare_workspace

    ws = Workspace.open(tmp_path_factory.mktemp("weibo") / "ws", create=True)
    ws.write_part(S.CORPUS, "a-00000", _corpus([{S.DOC_ID: i, S.TEXT_RAW: t, S.PUBLISHED_AT: "2020-01-24"}
                                                 for i, t in (("1_24-1379", HEADLINE), ("1_24-6", PLAIN))]))
    prepare_workspace(ws, workers=1)
    return ws


@pytest.mark.parametrize("texts, marks", [
    (["戴口罩", "勤洗手"], ("【", "】")),
    (["【买不到口罩，还能", "】无论是"], ("〖", "〗")),
    (["【头条】", "〖转发〗"], ("〘", "〙")),
    (["【】〖〗〘〙〚〛"], ("〚", "〛")),
])
def test_kwic_match_marks_avoid_the_brackets_of_the_lines(texts, marks):
    from opinion.kwic import match_marks

    assert match_marks(texts) == marks


def test_kwic_counts_the_lines_past_the_limit(weibo):
    """Trial 2026-12-08 #6: `kwic 口罩` said "200 lines" where there were 283; the frame says how many."""
    every = kwic(weibo, "口罩", width=5)
    cut = kwic(weibo, "口罩", width=5, limit=2)
    assert len(every) == every.attrs["lines_total"] == 3
    assert len(cut) == 2 and cut.attrs["lines_total"] == 3
    assert list(cut.columns) == ["doc_id", "published_at", "left", "term", "right"]


def test_kwic_command_says_how_many_lines_and_marks_outside_headline_brackets(weibo):
    """Trial 2026-12-08 #6: the command stopped at --limit without a word, and its 【】 nested in the
    post's own headline: `【买不到 【口罩】 ，还能这样预防感染】`."""
    from typer.testing import CliRunner

    from opinion.cli import app

    cut = CliRunner().invoke(app, ["kwic", "口罩", "-w", str(weibo.root), "--limit", "2", "--width", "8"])
    assert cut.exit_code == 0, cut.output
    assert "2 of 3 lines (duplicates and spam excluded; --limit 3 shows all)" in cut.output
    assert "【买不到 〖口罩〗 ，还能这样预防感" in cut.output and "【口罩】" not in cut.output
    every = CliRunner().invoke(app, ["kwic", "口罩", "-w", str(weibo.root), "--limit", "3"])
    assert "\n3 lines (duplicates and spam excluded)" in every.output
    plain = CliRunner().invoke(app, ["kwic", "勤洗手", "-w", str(weibo.root)])
    assert "【勤洗手】" in plain.output  # no bracket in the line: the usual mark
