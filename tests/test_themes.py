"""Theme lexicons: loading (both scripts), weights, exclusions, counting, prevalence."""

from __future__ import annotations

import pytest

from opinion.config import PrepareSettings
from opinion.errors import InputError
from opinion.text.tokenize import Tokenizer, default_tokenizer
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
    tokenizer = default_tokenizer()  # the domain dictionary holds every built-in term
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
    ('["a"]\nterms = ["信任"]\nmin_weight = 0', "'min_weight' must be a whole number >= 1 .*; got 0"),
    ('["a"]\nterms = { "信任" = 2, "放心" = 1 }\nmin_weight = 4',
     r"'min_weight' must be .* at most 3 \(the weights of all its terms together: a larger one can never count\)"),
    ('["a"]\nterms = ["信任"]\nmin_weight = "2"', "'min_weight' must be a whole number"),
    ('["a"]\nterms = ["信任", "放心"]\nmin_terms = 3', r"'min_terms' must be .* at most 2 \(the number of terms"),
    ('["a"]\nterms = ["主播"]\nexclude_context = "节目主播"', "'exclude_context' must be a list of words"),
    ('["a"]\nterms = ["主播"]\nexclude_context = ["新闻联播"]', "contains no term of the theme"),
    # since 2026-12-07: a huge weight crashed prepare (int32 hits); a blank name was a theme
    ('["a"]\nterms = { "口罩" = 3000000000 }', "weight of '口罩' must be a whole number >= 1 and at most 1000"),
    ('[""]\nterms = ["口罩"]', r"theme \[\]: a theme needs a name"),
    ('[" "]\nterms = ["口罩"]', "a theme needs a name"),
    ('["a"]\nterms = ["口罩", "疫苗"]\nmin_weight = 100', "'min_weight' must be .* at most 2"),
])
def test_themes_new_keys_are_validated_in_one_line(text, message):
    with pytest.raises(InputError, match=message) as info:
        parse_themes(text, source="mine.toml")
    assert str(info.value).startswith("mine.toml theme [") and "\n" not in str(info.value)


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
    negative = CliRunner().invoke(app, ["themes", "check", "信任", "-w", str(ws.root), "--seed", "-1"])
    assert negative.exit_code == 2 and "--seed" in negative.output  # was numpy's traceback


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


# --- themes check quotes posts as written; exact names; unmatchable terms (2026-12-07) ------
def _small_workspace(root, texts: dict[str, str]):
    from test_prepare import _corpus

    from opinion import schema as S
    from opinion.io.workspace import Workspace

    ws = Workspace.open(root, create=True)
    ws.write_part(S.CORPUS, "a-00000", _corpus([
        {S.DOC_ID: k, S.TEXT_RAW: v, S.PUBLISHED_AT: "2021-10-12", S.SOURCE: "test"} for k, v in texts.items()]))
    return ws


def test_themes_check_quotes_text_clean_and_marks_each_hit_once(tmp_path):
    from typer.testing import CliRunner

    from opinion.cli import app
    from opinion.prepare import prepare_workspace
    from opinion.theme_tables import theme_sample
    from opinion.themes import mark_terms

    ws = _small_workspace(tmp_path / "ws", {
        "hant": "直播電商風生水起（CNNIC），經典品牌、老字號國貨實現了逆襲！哈哈哈哈哈",
        "hans": "国货品牌诚信经营，老字号国货真香",
    })
    prepare_workspace(ws, workers=1)
    sample, total = theme_sample(ws, "国货", n=5)
    texts = dict(zip(sample["doc_id"], sample["text"]))
    assert total == 2
    assert texts["hant"] == "直播電商風生水起（CNNIC），經典品牌、老字號國貨實現了逆襲！哈哈哈哈哈"  # as written
    assert texts["hans"] == "国货品牌诚信经营，老字号国货真香"
    shown, _ = theme_sample(ws, "国货", n=5, script="zh-Hans")
    assert dict(zip(shown["doc_id"], shown["text"]))["hant"].startswith("直播电商风生水起（CNNIC）")
    assert mark_terms(texts["hant"], ["国货", "老字号"]) == \
        "直播電商風生水起（CNNIC），經典品牌、【老字號】【國貨】實現了逆襲！哈哈哈哈哈"
    assert mark_terms("经典品牌、老国货实现了", ["国货", "老国货"]) == "经典品牌、【老国货】实现了"
    assert mark_terms("老國貨與國貨", ["国货", "老国货"]) == "【老國貨】與【國貨】"
    result = CliRunner().invoke(app, ["themes", "check", "国货", "-w", str(ws.root), "--sample", "5"])
    assert result.exit_code == 0, result.output
    assert "【老字號】【國貨】實現了" in result.output and "【" + "【" not in result.output
    # --script shows the words, the other script's posts and `opinion themes`' names in it (2026-12-07)
    result = CliRunner().invoke(app, ["themes", "check", "国货", "-w", str(ws.root), "--script", "zh-Hant-TW"])
    assert result.exit_code == 0, result.output
    assert "【老字號】【國貨】實現了" in result.output and "【老字號】【國貨】真香" in result.output
    assert "[國貨×2 老字號×1]" in result.output
    result = CliRunner().invoke(app, ["themes", "-w", str(ws.root), "--script", "zh-Hant-TW"])
    assert result.exit_code == 0 and "國貨" in result.output.splitlines()[0], result.output


def test_themes_a_user_theme_in_traditional_replaces_the_builtin_of_that_name(tmp_path):
    # 2026-12-07: a user 國貨 beside the built-in 国货 gave two columns that read 國貨 alike
    # in zh-Hant-TW output; names are compared in Simplified, as a same-name theme replaces
    from opinion.prepare import prepare_workspace
    from opinion.theme_tables import theme_prevalence, theme_sample

    ws = _small_workspace(tmp_path / "ws", {"mask": "口罩到貨了，謝謝", "goods": "国货真香，老字号"})
    mine = tmp_path / "tradname.toml"
    mine.write_text('["國貨"]\nterms = ["口罩"]\n', encoding="utf-8")
    report = prepare_workspace(ws, settings=PrepareSettings(theme_files=(str(mine),)), workers=1)
    assert f"themes: theme [國貨] of {mine} replaces the built-in [国货]" in str(report)
    assert set(theme_prevalence(ws)["theme"]) == {"信任", "國貨", "非遗", "直播电商"}
    for name in ("國貨", "国货"):
        user, total = theme_sample(ws, name, n=5)
        assert total == 1 and user["doc_id"].tolist() == ["mask"] and user["terms"].tolist() == ["口罩×1"]


def test_themes_a_name_defined_again_in_a_later_file_is_noted(tmp_path):
    first, second = tmp_path / "d1.toml", tmp_path / "d2.toml"
    first.write_text('["防疫"]\nterms = ["口罩"]\n', encoding="utf-8")
    second.write_text('["防疫 "]\nterms = ["疫苗"]\n', encoding="utf-8")
    notes: list[str] = []
    themes = {t.name: t for t in load_themes([first, second], notes=notes)}
    assert themes["防疫"].terms == {"疫苗": 1}
    assert notes == [f"theme [防疫] of {second} replaces [防疫] of {first}"]


def test_themes_terms_that_are_never_one_token_warn_once_each(tmp_path):
    import warnings

    from opinion.errors import OpinionWarning
    from opinion.themes import read_theme_file, term_pieces

    path = tmp_path / "punct.toml"
    path.write_text('["标点"]\nterms = ["N95口罩", "雙11", "A+", "C++", "口罩", "6.38億", "#武汉加油#"]\n',
                    encoding="utf-8")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        themes = read_theme_file(path)
    lines = [str(w.message) for w in caught if issubclass(w.category, OpinionWarning)]
    assert themes[0].terms.keys() == {"N95口罩", "双11", "A+", "C++", "口罩", "6.38亿", "#武汉加油#"}  # kept
    assert lines == [
        f"{path} theme [标点]: term 'N95口罩' is cut into N95 / 口罩 and can never match; use 'N95' and '口罩'",
        f"{path} theme [标点]: term '双11' is cut into 双 / 11 and can never match; use '双' "
        "(bare numbers such as '11' are dropped)",
        f"{path} theme [标点]: term 'A+' is cut into A and can never match; use 'A'",
    ]  # C++ is one token since 2026-12-07
    tokenizer = default_tokenizer()
    for term in ("N95口罩", "双11", "A+", "C++", "6.38亿", "#武汉加油#"):  # the warning says what tokens do
        assert term_pieces(term) == Tokenizer(stopwords=False, extra_words=[term]).tokenize(term), term
    assert tokenizer.tokenize("口罩") == ["口罩"]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        load_themes()
    assert not caught  # every built-in term is one token


def test_themes_latin_terms_match_in_any_case():
    """A user term MCN or KOL missed mcn, Kol … (matched only in the case written, until 2026-12-07);
    quotes mark every spelling, and only themes with Latin terms change their fingerprint."""
    from opinion.themes import Theme, count_themes, mark_terms

    trade = Theme("直播电商", {"MCN": 2, "主播": 1}, exclude=frozenset({"NBA"}))
    assert count_themes(["这家", "mcn", "机构"], [trade])["直播电商"] == 2
    assert count_themes(["Mcn", "主播"], [trade])["直播电商"] == 3
    assert count_themes(["mcn", "nba"], [trade])["直播电商"] == 0  # exclusions fold too
    assert trade.matched_terms(["mcn", "MCN", "主播"]) == {"MCN": 2, "主播": 1}
    assert mark_terms("这家mcn机构和MCN公司", ["MCN"]) == "这家【mcn】机构和【MCN】公司"
    # review (2026-12-07): exclude_context phrases fold too; APP and app in one theme are one term
    store = Theme("应用", {"APP": 1}, exclude_context=("APP Store",))
    assert count_themes(["app"], [store], "下载app store里的")["应用"] == 0
    assert store.matched_terms(["app"], "下载app store里的") == {}
    twice = Theme("应用", {"APP": 1, "app": 1}, min_terms=2)
    assert not twice.matches(["app"])
    plain = Theme("国货", {"国货": 2})
    assert plain.signature() == [list(p) if isinstance(p, tuple) else p for p in plain._key]
    assert trade.signature()[-1] == "latin-any-case"


# --- 2026-12-08 (h47 themes findings) ------------------------------------------------------
@pytest.mark.parametrize("with_phrase, alone", [
    ("疫情让一些企业信用风险上升。但这家老店一直讲诚信，我对它的信用很放心", "这家老店一直讲诚信，我对它的信用很放心"),
    ("银行关注信用风险。消费者对商家的信用越来越看重", "消费者对商家的信用越来越看重"),
    ("中国风机出口创新高。国风国产设计走红", "国风国产设计走红"),
])
def test_themes_context_phrase_without_the_term_as_token_cancels_nothing(with_phrase, alone):
    """h47 #1: 信用风险 (one token) and 中国风机 (中国 / 风机) hold no term token, yet each cancelled
    the real 信用 / 国风 said elsewhere in the post (c = 0 where d = 2)."""
    themes = load_themes()
    tokenizer = Tokenizer(extra_words=theme_terms(themes))
    assert count_themes(tokenizer.tokenize(with_phrase), themes, with_phrase) == \
        count_themes(tokenizer.tokenize(alone), themes, alone)
    trust = themes[0]
    text = "银行关注信用风险。消费者对商家的信用越来越看重"
    assert trust.matched_terms(tokenizer.tokenize(text), text) == {"信用": 1}  # was {}
    tv = "节目主播康辉在直播间带货，主播下单"  # a term token inside a phrase still does not count
    assert count_themes(tokenizer.tokenize(tv), themes, tv)["直播电商"] == 5


def test_themes_sovereign_credit_ratings_are_not_trust():
    """THUCNews and CCF titles: 信用 of 主权信用 / 信用评级 (credit ratings) counted for 信任."""
    themes = load_themes()
    tokenizer = Tokenizer(extra_words=theme_terms(themes))
    for text in ("标普下调美主权信用评级 商品期货面临大幅振荡", "欧元区主权信用危机再爆发 大宗商品跳水探新低",
                 "肉业巨头众品食品债务问题持续发酵信用评级再遭下调"):
        assert count_themes(tokenizer.tokenize(text), themes, text)["信任"] == 0, text


def test_themes_bare_number_terms_are_warned_about(tmp_path):
    """h47 #2: 12315, 315 and 618 never matched (prepare drops bare numbers) with no warning, and
    3·15 was told to use '3' and '15', which cannot match either."""
    import warnings

    from opinion.errors import OpinionWarning
    from opinion.themes import read_theme_file, term_pieces

    path = tmp_path / "rights.toml"
    path.write_text('["消費維權"]\nterms = { "12315" = 2, "3·15" = 2, "830例" = 1, "投訴" = 1 }\n', encoding="utf-8")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        read_theme_file(path)
    assert [str(w.message) for w in caught if issubclass(w.category, OpinionWarning)] == [
        f"{path} theme [消費維權]: term '12315' is a bare number, which the tokenizer drops, and can never "
        "match; remove it (`opinion kwic 12315` finds it)",
        f"{path} theme [消費維權]: term '3·15' has no token (the tokenizer drops punctuation, symbols and "
        "bare numbers) and can never match; remove it",
    ]  # 830例 (a number with its unit) is a token
    for term in ("12315", "3·15", "830例", "双11"):
        assert term_pieces(term, bare_numbers=False) == Tokenizer(extra_words=[term]).tokenize(term), term


@pytest.mark.parametrize("taiwan, mainland", [
    ("這家網拍賣家涉嫌詐欺，消保官已介入", "这家网店卖家涉嫌欺诈，消协已介入"),
    ("買到黑心商品，客訴三次都沒有退費", "买到三无产品，投诉三次都没有退款"),
    ("消委會接獲投訴，指網店貨不對辦", "消协接到投诉，说网店以次充好"),
    ("政府資料造假", "政府数据造假"),
    ("無形文化資產的傳統工藝師", "非遗传统工艺传承人"),
])
def test_themes_taiwan_and_hong_kong_wording_counts(taiwan, mainland):
    """h47 #3: Taiwan and Hong Kong words (詐欺, 客訴, 消委會, 資料造假, 無形文化資產) counted 0."""
    from opinion.text.clean import normalize_for_analysis
    from opinion.text.script import to_analysis

    themes = load_themes()
    tokenizer = Tokenizer(extra_words=theme_terms(themes))

    def found(text: str) -> set[str]:
        norm = normalize_for_analysis(to_analysis(text))
        return {name for name, hits in count_themes(tokenizer.tokenize(norm), themes, norm).items() if hits}

    assert found(taiwan) == found(mainland) != set()


def test_themes_builtin_file_lists_no_mere_character_variant():
    """h47 #3: 國貨 beside 国货 (and six more) read as regional vocabulary but changed nothing."""
    import tomllib
    from importlib import resources

    from opinion.themes import normalized_words

    data = tomllib.loads((resources.files("opinion.resources") / "themes.toml").read_text(encoding="utf-8"))
    for name, table in data.items():
        assert len(set(normalized_words(list(table["terms"])))) == len(table["terms"]), name


def test_themes_names_differing_only_in_latin_case_are_one_theme(tmp_path):
    """h47 #7: KOL and kol got two columns, which DuckDB (the explorer) renamed kol_1."""
    from opinion.themes import resolve_theme_name

    path = tmp_path / "case.toml"
    path.write_text('["KOL"]\nterms = ["KOL"]\n["kol"]\nterms = ["网红", "达人"]\n', encoding="utf-8")
    notes: list[str] = []
    themes = load_themes([path], builtin=False, notes=notes)
    assert [t.name for t in themes] == ["kol"]
    assert notes == [f"theme [kol] of {path} replaces [KOL] of {path}"]
    assert resolve_theme_name("Kol", ["KOL", "国货"]) == "KOL"
