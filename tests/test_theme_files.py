"""Theme files as prepare used them (2026-12-07): hashtags stay one token, terms are normalised as
documents are, edits after prepare are refused, bad values give one line."""

from __future__ import annotations

import pandas as pd
import pytest

from opinion import schema as S
from opinion.config import PrepareSettings
from opinion.errors import WorkspaceError
from opinion.prepare import prepare_part, prepare_workspace
from opinion.themes import Theme, load_themes, parse_themes, quote_hint, tokens_in_context


def _prepared(texts: list[str], theme_files: tuple[str, ...] = ()) -> pd.DataFrame:
    corpus = pd.DataFrame({S.DOC_ID: [f"d{i}" for i in range(len(texts))], S.TEXT_RAW: texts})
    return prepare_part(corpus, PrepareSettings(theme_files=theme_files))


def _theme_file(tmp_path, text: str, name: str = "mine.toml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


# --- hashtags (finding 2: measured, not taken) ---------------------------------------------
def test_theme_terms_inside_a_hashtag_do_not_count():
    """Counting the words of #话题# gained 186 of the 620k Weibo posts, 32 of them on the theme
    (trending tags pasted on ads: #全民带货#, #买过最无语的假货#); a hashtag stays one token."""
    prepared = _prepared(["作为新彩妆品牌见证了#国潮#崛起，中国加油", "今天国潮品牌真不错"])
    assert "#国潮#" in prepared["tokens"][0]
    assert prepared["theme_国货"].tolist() == [0, 2]


def test_theme_context_phrase_in_a_hashtag_silences_only_its_own_term():
    """#花式种草# (an exclude_context phrase) cancelled the body's real 种草 (finding 7)."""
    prepared = _prepared(["#花式种草# 今天种草一款口红，直播带货"])
    assert prepared["theme_直播电商"][0] == 4  # 直播带货 3 + the body's 种草 1 (the tag's is no token)


def test_theme_overlapping_context_phrases_cover_one_occurrence_once():
    tokens = ["节目", "主播", "台", "主播", "带货"]
    assert tokens_in_context(tokens, "节目主播台，主播带货", {"主播": ["节目主播", "主播台"]}) == {"主播": 1}
    theme = Theme("t", {"主播": 1}, exclude_context=("节目主播", "主播台"))
    assert theme.hits(["节目", "主播", "台", "主播"], "节目主播台，主播带货") == 1  # was 0


# --- terms normalised as documents are (findings 3 and 6) ------------------------------------
def test_theme_hong_kong_and_full_width_terms_match(tmp_path):
    path = _theme_file(tmp_path, '["衞生署"]\nterms = ["衞生署"]\n["机构"]\nterms = ["ＭＣＮ", "ＫＯＬ"]\n'
                       '["乾"]\nterms = ["乾清宫"]\n')
    prepared = _prepared(["衞生署今日公布新增確診個案", "卫生署今日公布新增确诊个案", "ＭＣＮ机构和ＫＯＬ带货",
                          "故宫乾清宫今天闭馆"], (path,))
    assert prepared["theme_衞生署"].tolist() == [1, 1, 0, 0]  # was [0, 0, 0, 0]
    assert prepared["theme_机构"].tolist() == [0, 0, 2, 0]  # was 0: ＭＣＮ was never narrowed
    themes = {t.name: t for t in load_themes([path])}
    assert set(themes["机构"].terms) == {"MCN", "KOL"}
    assert set(themes["乾"].terms) == {"干清宫"}  # as the post's text_norm reads it (乾 converts a post)
    assert prepared["theme_乾"].tolist() == [0, 0, 0, 1]


def test_theme_full_width_digit_hint_asks_for_ascii_digits():
    assert quote_hint('["a"]\nterms = ["口罩"]\nmin_weight = ２\n').endswith("line 3 = ２ should read = 2")


def test_theme_context_phrase_check_ignores_latin_case():
    theme = parse_themes('["机构"]\nterms = ["MCN"]\nexclude_context = ["mcn公司"]\n')[0]
    assert theme.hits(["MCN", "公司"], "MCN公司") == 0 and theme.hits(["mcn"], "mcn机构") == 1


# --- theme files edited after prepare (finding 1) -----------------------------------------------
def test_theme_file_edited_after_prepare_is_refused(tmp_path):
    from test_themes import _small_workspace

    from opinion.sentiment.score import score_workspace
    from opinion.theme_tables import theme_sample

    ws = _small_workspace(tmp_path / "ws", {"e1": "口罩太贵了，真让人生气。今天新增确诊病例。"})
    path = _theme_file(tmp_path, '["防疫"]\nterms = ["口罩"]\n')
    prepare_workspace(ws, settings=PrepareSettings(theme_files=(path,)), workers=1)
    assert theme_sample(ws, "防疫", n=5)[0]["terms"].tolist() == ["口罩×1"]
    _theme_file(tmp_path, '["防疫"]\nterms = ["确诊"]\n')
    changed = f"{path} changed since `opinion prepare`; run `opinion prepare -w {ws.root}` first"
    for use in (lambda: score_workspace(ws, workers=1), lambda: theme_sample(ws, "防疫")):
        with pytest.raises(WorkspaceError) as info:
            use()
        assert str(info.value) == changed
    (tmp_path / "mine.toml").unlink()
    with pytest.raises(WorkspaceError, match="the theme file `opinion prepare` used cannot be read"):
        theme_sample(ws, "防疫")
    _theme_file(tmp_path, '["防疫"]\nterms = ["确诊"]\n')
    prepare_workspace(ws, workers=1)  # prepared again: the file is what the columns come from
    assert theme_sample(ws, "防疫", n=5)[0]["terms"].tolist() == ["确诊×1"]
