"""Theme lexicons: loading (both scripts), weights, exclusions, counting, prevalence."""

from __future__ import annotations

import pytest

from opinion.errors import InputError
from opinion.text.tokenize import default_tokenizer
from opinion.theme_tables import theme_prevalence
from opinion.themes import (
    Theme,
    builtin_themes,
    count_themes,
    load_themes,
    parse_themes,
    theme_terms,
)


def test_themes_builtin_names_and_traditional_terms():
    themes = {t.name: t for t in load_themes()}
    assert list(themes) == ["信任", "国货", "非遗", "直播电商"]
    assert themes["信任"].terms["售后"] == 1 and "售後" not in themes["信任"].terms
    assert themes["国货"].terms["国货"] == 2 and "國貨" not in themes["国货"].terms
    assert themes["信任"].label == "trust"


def test_themes_every_builtin_term_is_one_token():
    tokenizer = default_tokenizer()
    for word in theme_terms(builtin_themes()):
        assert tokenizer.tokenize(word) == [word], word


def test_themes_hits_weights_and_exclusions():
    theme = Theme("信任", {"信任": 2, "投诉": 1}, exclude=frozenset({"信任投票"}))
    assert theme.hits(["信任", "主播", "投诉", "信任"]) == 5
    assert theme.hits(["信任", "信任投票"]) == 0
    assert theme.matches(["投诉"]) and not theme.matches(["主播"]) and not theme.matches([])
    assert theme.column == "theme_信任"
    assert theme == Theme("信任", {"投诉": 1, "信任": 2}, exclude=frozenset({"信任投票"}))


def test_themes_count_matches_hits():
    themes = load_themes()
    tokens = ["直播电商", "诚信", "国货", "老字号", "非遗", "带货", "信任", "口罩"]
    counted = count_themes(tokens, themes)
    assert counted == {t.name: t.hits(tokens) for t in themes}
    assert counted == {"信任": 4, "国货": 4, "非遗": 3, "直播电商": 5}
    assert count_themes([], themes) == dict.fromkeys(counted, 0)


def test_themes_user_file_adds_and_replaces(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text('["防疫"]\nterms = ["口罩", "隔離"]\n\n["国货"]\nterms = { "國潮" = 3 }\n'
                    'exclude = ["國潮風"]\n', encoding="utf-8")
    themes = {t.name: t for t in load_themes([path])}
    assert list(themes) == ["信任", "国货", "非遗", "直播电商", "防疫"]
    assert themes["防疫"].terms == {"口罩": 1, "隔离": 1}
    assert themes["国货"].terms == {"国潮": 3} and themes["国货"].exclude == {"国潮风"}


@pytest.mark.parametrize("text, message", [
    ('["a"]\nterms = { "信任" = 0 }', "weight of '信任' must be a whole number >= 1"),
    ('["a"]\nterms = { "信任" = 1.5 }', "must be a whole number"),
    ('["a"]\nlabel = "x"', "'terms' must be a non-empty table"),
    ('["a"]\nterms = ["信 任"]', "must be one word without spaces"),
    ('["a"]\nterms = ["信任"]\nwords = 1', r"unknown keys \['words'\]"),
    ('["a"]\nterms = ["信任"]\nexclude = "x"', "'exclude' must be a list of words"),
    ('[信任]\nterms = ["信任"]', r"not valid TOML.*must be quoted in TOML: line 1 '\[信任\]' should read \[\"信任\"\]"),
    ('["信任"]\nterms = { 诚信 = 2 }', r"must be quoted in TOML: line 2 '诚信 =' should read \"诚信\" ="),
])
def test_themes_errors_name_file_and_theme(text, message):
    with pytest.raises(InputError, match=message) as info:
        parse_themes(text, source="mine.toml")
    assert str(info.value).startswith("mine.toml")


def test_themes_missing_file(tmp_path):
    with pytest.raises(InputError, match="cannot read the theme file"):
        load_themes([tmp_path / "missing.toml"])
    (tmp_path / "big5.toml").write_bytes('["口罩"]\nterms = ["口罩", "N95"]\n'.encode("big5"))
    assert [t.name for t in load_themes([tmp_path / "big5.toml"])][-1] == "口罩"
    (tmp_path / "blob.toml").write_bytes(bytes(range(128, 256)) * 8)
    with pytest.raises(InputError, match="blob.toml: the theme file is not text in UTF-8, GB18030 or Big5"):
        load_themes([tmp_path / "blob.toml"])


def test_themes_prevalence_per_period(tmp_path):
    from test_prepare import write_text_corpus

    from opinion.prepare import prepare_workspace

    ws = write_text_corpus(tmp_path / "ws", weibo_rows=30)
    prepare_workspace(ws, workers=1)
    table = theme_prevalence(ws, period="day")
    assert list(table.columns) == ["period", "theme", "documents", "documents_with_theme",
                                   "prevalence", "hits"]
    day = table[(table["period"] == "2021-10-12") & (table["theme"] == "信任")].iloc[0]
    assert day["documents"] == 5 and day["documents_with_theme"] == 2  # s-1 and its duplicate
    assert day["prevalence"] == 0.4
    months = theme_prevalence(ws, period="month")
    assert set(months["period"]) == {"2020-01-01", "2021-10-01"}
    with pytest.raises(InputError, match="period must be one of"):
        theme_prevalence(ws, period="year")


# --- evidence: min_weight, min_terms, exclude_context (issue 14) --------------------------
def test_themes_one_weak_word_is_not_enough():
    themes = {t.name: t for t in load_themes()}
    # the CCTV anchor and the relieved reader of the issue: one weak word each
    assert count_themes(["节目", "主播", "康辉", "呼吁"], list(themes.values()))["直播电商"] == 0
    assert not themes["信任"].matches(["我", "就", "放心", "了"])
    assert not themes["信任"].matches(["放心", "放心", "放心"])  # one term said thrice: weight 1
    assert not themes["非遗"].matches(["中华", "传统文化", "讲"])
    # strong terms alone, or weak ones together, still count
    assert themes["直播电商"].matches(["李佳琦", "直播带货"])
    assert themes["直播电商"].matches(["主播", "直播间", "下单"])
    assert themes["信任"].matches(["放心", "口碑"]) and themes["信任"].matches(["诚信"])
    assert themes["非遗"].matches(["面塑", "非遗传承人"])


def test_themes_exclude_context_silences_a_term_inside_a_phrase():
    theme = Theme("直播电商", {"主播": 3, "下单": 3}, exclude_context=("节目主播",))
    assert theme.hits(["节目", "主播", "康辉"], "《一年又一年》节目主播康辉呼吁") == 0
    tokens = ["节目", "主播", "康辉", "说", "主播", "带", "大家", "下单"]
    assert theme.hits(tokens, "节目主播康辉说，主播带大家下单") == 6  # the second 主播 counts
    assert theme.matched_terms(["节目", "主播"], "节目主播康辉") == {}
    assert theme.hits(["主播"], "") == 3  # no text given: contexts cannot apply


def test_themes_min_terms_needs_distinct_terms():
    theme = Theme("t", {"信任": 2, "口碑": 1}, min_terms=2)
    assert theme.hits(["信任", "信任"]) == 0 and theme.hits(["信任", "口碑"]) == 3


@pytest.mark.parametrize("text, message", [
    ('["a"]\nterms = ["信任"]\nmin_weight = 0', "'min_weight' must be a whole number >= 1; got 0"),
    ('["a"]\nterms = ["信任"]\nmin_weight = "2"', "'min_weight' must be a whole number"),
    ('["a"]\nterms = ["信任", "放心"]\nmin_terms = 3', r"'min_terms' must be .* at most 2 \(the number of terms\)"),
    ('["a"]\nterms = ["主播"]\nexclude_context = "节目主播"', "'exclude_context' must be a list of words"),
    ('["a"]\nterms = ["主播"]\nexclude_context = ["新闻联播"]', "contains no term of the theme"),
])
def test_themes_new_keys_are_validated_in_one_line(text, message):
    with pytest.raises(InputError, match=message) as info:
        parse_themes(text, source="mine.toml")
    assert str(info.value).startswith("mine.toml theme [a]") and "\n" not in str(info.value)


def test_themes_check_samples_hits_with_their_words(tmp_path):
    from test_prepare import write_text_corpus
    from typer.testing import CliRunner

    from opinion.cli import app
    from opinion.prepare import prepare_workspace
    from opinion.theme_tables import theme_sample

    ws = write_text_corpus(tmp_path / "ws", weibo_rows=30)
    prepare_workspace(ws, workers=1)
    sample, total = theme_sample(ws, "信任", n=3, seed=1)
    assert len(sample) == min(3, total) and total >= 1
    assert all(sample["terms"].str.len() > 0) and (sample["hits"] > 0).all()
    again, _ = theme_sample(ws, "信任", n=3, seed=1)
    assert again.equals(sample)  # seeded
    everything, total_all = theme_sample(ws, "信任", n=100, include_flagged=True)
    assert total_all >= total  # duplicates and spam add to the count when kept
    out = tmp_path / "sample.csv"
    result = CliRunner().invoke(app, ["themes", "check", "信任", "-w", str(ws.root), "--sample", "2",
                                      "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "documents count (duplicates and spam excluded)" in result.output and "【" in result.output
    assert out.read_text(encoding="utf-8-sig").startswith("doc_id,hits,terms,text")
    missing = CliRunner().invoke(app, ["themes", "check", "nope", "-w", str(ws.root)])
    assert missing.exit_code == 1 and "no theme 'nope'" in missing.output


def test_theme_check_sample_csv_is_inert(tmp_path, monkeypatch):
    """The --out sample holds document text: written like the exports, a text starting with =
    is no live formula and a control character does not cut the cell (it was pandas' to_csv)."""
    import pandas as pd
    from factory import make_workspace
    from typer.testing import CliRunner

    import opinion.theme_tables as T
    from opinion.cli import app

    ws = make_workspace(tmp_path / "ws")
    sample = pd.DataFrame({"doc_id": ["d1"], "hits": [2], "terms": ["诚信×2"],
                           "text": ['=HYPERLINK("http://x","诚信")\x00 诚信经营']})
    monkeypatch.setattr(T, "theme_sample", lambda *a, **k: (sample, 1))
    out = tmp_path / "sample.csv"
    result = CliRunner().invoke(app, ["themes", "check", "信任", "-w", str(ws.root), "--out", str(out)])
    assert result.exit_code == 0, result.output
    back = pd.read_csv(out, encoding="utf-8-sig")
    assert back["text"].iloc[0] == '\'=HYPERLINK("http://x","诚信") 诚信经营'
