"""The explorer's text helpers: script rendering, query terms, safe highlighted Markdown."""

from __future__ import annotations

import pytest

from opinion.explore.text import (
    escape_markdown,
    highlight_document,
    highlight_markdown,
    query_forms,
    render,
    split_query,
)


@pytest.mark.parametrize("text, script, expected", [
    ("直播带货要守住品控底线", "zh-Hans", "直播带货要守住品控底线"),
    ("直播带货要守住品控底线", "zh-Hant-TW", "直播帶貨要守住品控底線"),
    ("国货与非遗的结合", "zh-HK", "國貨與非遺的結合"),
    ("", "zh-Hant-TW", ""),
    (None, "zh-HK", ""),
])
def test_render_scripts(text, script, expected):
    assert render(text, script) == expected


def test_render_rejects_unknown_script():
    with pytest.raises(ValueError, match="zh-Hant-TW"):
        render("口罩", "zh-TW")


@pytest.mark.parametrize("query, terms", [
    ("口罩", ["口罩"]),
    ('口罩  "武汉 加油"', ["口罩", "武汉 加油"]),
    ("   ", []),
    ('""', []),
])
def test_split_query_keeps_phrases(query, terms):
    assert split_query(query) == terms


@pytest.mark.parametrize("term, forms", [
    ("國貨", ("国货",)),
    ("国货", ("国货",)),
    # issue 46 #1: made as text_norm and `opinion kwic` make it (to_analysis + normalize_for_analysis),
    # not by plain t2s, which wrote 随著 / 坚持著 and kept the full width
    ("隨著", ("随着",)),
    ("堅持著", ("坚持着",)),
    ("Ｎ９５", ("N95",)),
    ("哈哈哈哈", ("哈哈",)),  # runs cut to two, as in text_norm
    # nothing Traditional to go by: as typed (a Simplified post) and as a Traditional post has it
    ("「口罩」", ("「口罩」", "“口罩”")),
    ("看著", ("看著", "看着")),
    ("著名", ("著名",)),
    ("衞生", ("卫生",)),  # h47 i18n #2: a Hong Kong character is Traditional evidence
    ("  ", ()),
])
def test_query_forms_are_the_forms_of_text_norm(term, forms):
    assert query_forms(term) == forms


def test_highlight_marks_every_form_and_latin_in_any_case():
    text = "隨著疫情升溫，「口罩」與Ｎ９５一罩難求"
    marked = highlight_document(text, "zh-Hant", ["随着", "“口罩”", "n95"], "zh-Hant-TW")
    assert ":orange-background[隨著]" in marked and ":orange-background[Ｎ９５]" in marked
    assert ":orange-background[「口罩」]" in marked


@pytest.mark.parametrize("hostile", [
    '<script>alert("x")</script>口罩',
    '=HYPERLINK("http://evil.example/x","点我领口罩")',
    "**粗体** [链接](http://evil.example) :red[红字] $x^2$ &lt;b&gt;",
])
def test_escape_markdown_leaves_no_markup(hostile):
    escaped = escape_markdown(hostile)
    for mark in "<>[]()*:$&=":
        assert f"\\{mark}" in escaped or mark not in hostile
    assert escaped.replace("\\", "").replace("\u2060", "") == hostile.replace("\\", "")
    assert "http://" not in escaped.replace("\\", "")  # no autolink either (a WORD JOINER after http)


def test_highlight_marks_hits_in_the_chosen_script():
    marked = highlight_markdown("直播带货要守住品控底线，直播", ["直播", "品控"], "zh-Hant-TW")
    assert marked.count(":orange-background[直播]") == 2
    assert ":orange-background[品控]" in marked
    assert "帶貨" in marked and "底線" in marked


def test_highlight_escapes_text_and_terms():
    marked = highlight_markdown("<b>口罩</b>😷", ["口罩"], "zh-Hans")
    assert marked == "\\<b\\>:orange-background[口罩]\\<\\/b\\>😷"


def test_highlight_without_terms_is_plain_escaped_text():
    assert highlight_markdown("戴口罩(必须)", [], "zh-Hans") == "戴口罩\\(必须\\)"
    assert highlight_markdown("", ["口罩"], "zh-Hans") == ""


def test_short_labels_cut_long_terms_and_keep_the_topic_id():
    from opinion.report.display import display_width, short_label, truncate_width

    assert truncate_width("钟南山表示无症状", 9) == "钟南山表…"
    assert truncate_width("口罩", 4) == "口罩"
    label = "9_#钟南山表示无症状感染者不会引起大暴发#_开学_学校_上班_复工_口罩_武汉"
    short = short_label(label)
    assert short.startswith("9_#钟南山表示…_开学") and short.endswith("…")
    assert display_width(short) <= 30
    assert short_label("0_病例_确诊_新增_累计") == "0_病例_确诊_新增_累计"


def test_highlight_document_shows_traditional_verbatim():
    """issue 14: a Taiwanese post keeps its words (用戶, 數據化, 台北) in zh-Hant-TW."""
    from opinion.explore.text import highlight_document

    text = "台北天文台的用戶數據化了"
    marked = highlight_document(text, "zh-Hant", ["用户"], "zh-Hant-TW")
    assert marked == "台北天文台的:orange-background[用戶]數據化了"
    assert highlight_document(text, "zh-Hant", ["用户"], "zh-HK") == marked
    simplified = highlight_document(text, "zh-Hant", ["用户"], "zh-Hans")
    assert simplified == "台北天文台的:orange-background[用户]数据化了"
    assert highlight_document("比特币用户", "zh-Hans", ["比特币"], "zh-Hant-TW") == ":orange-background[比特幣]用戶"
    assert highlight_document("", "zh-Hant", ["用户"], "zh-Hans") == ""


def test_highlight_document_converts_the_whole_text_before_marking():
    """GSD dev-s169 and dev-s41: a hit next to 乾 or 著 keeps them as the whole text has them
    (乾隆, 著名), not as the characters alone convert (干, 着)."""
    from opinion.explore.text import highlight_document

    text = "故宮博物院乾隆御賞物陳列室，世界著名的電影人"
    marked = highlight_document(text, "zh-Hant", ["隆", "名"], "zh-Hans")
    assert marked == "故宫博物院乾:orange-background[隆]御赏物陈列室，世界著:orange-background[名]的电影人"
    herbs = "轻症患者有90%愿意接受中医药干预"
    assert highlight_markdown(herbs, ["干"], "zh-Hant-TW").endswith("中醫藥:orange-background[干]預")
    assert highlight_document(herbs, "zh-Hans", ["预"], "zh-HK").endswith("中醫藥干:orange-background[預]")


def test_highlight_document_converts_as_the_workspace_did():
    """h47 i18n #1: in a workspace prepared with hant = "tw2sp", text_norm holds 用户界面 for
    使用者介面 (GSD dev-s375); the highlight looked with tw2s and marked nothing."""
    from opinion.text.conversion import analysis_conversion

    text = "在現在的圖形使用者介面的操作系統中"
    with analysis_conversion("tw2sp"):
        shown = highlight_document(text, "zh-Hant", ["用户界面"], "zh-Hant-TW")
        assert query_forms("使用者") == ("使用者", "用户")  # as typed, and as a Taiwanese post has it
    assert shown == "在現在的圖形:orange-background[使用者介面]的操作系統中"
    assert ":orange-background" not in highlight_document(text, "zh-Hant", ["用户界面"], "zh-Hant-TW")
