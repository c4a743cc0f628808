"""The analysis conversion (opinion.text.conversion): one setting for every view of a workspace."""

from __future__ import annotations

import pytest

from opinion.errors import InputError
from opinion.text.conversion import FILLER, align, analysis_conversion, analysis_hant, find_spans
from opinion.text.script import converter

# GSD dev-s375 (Taiwan wording) and dev-s66.
TAIWAN = "所以，在現在的圖形使用者介面的操作系統中，通常都保留著可選的命令列介面。"
DATABASE = "消費者通過線下十二籃體重秤稱重，將數據傳輸到十二籃體重資料庫雲端。"


def test_conversion_is_set_for_a_block_only():
    assert analysis_hant() == "auto"
    with analysis_conversion("tw2sp"):
        assert analysis_hant() == "tw2sp"
    assert analysis_hant() == "auto"
    with pytest.raises(InputError, match="hant converter must be one of"):
        with analysis_conversion("tw2"):
            pass


@pytest.mark.parametrize("text, aligned", [
    ("看部落格。", "看博客" + FILLER + "。"),
    ("網際網路很快", "互联网" + FILLER + "很快"),
    ("圖形使用者介面", "图形用户" + FILLER + "界面"),  # the filler after the word, not inside it
])
def test_align_keeps_each_word_in_place(text, aligned):
    tw2sp = converter("tw2sp").convert
    assert align(text, tw2sp(text), tw2sp) == aligned


def test_find_spans_reads_past_the_filler():
    key = "图形用户" + FILLER + "界面"
    assert list(find_spans("用户界面", key)) == [(2, 7)]
    assert list(find_spans("用户", key)) == [(2, 5)]  # the whole of 使用者
    assert list(find_spans("界面", "图形用户界面")) == [(4, 6)]


def test_report_excerpt_simplifies_as_the_workspace_did():
    """h47 i18n #1: a zh-Hans excerpt of a Taiwanese post read 资料库 while the topic words,
    made from text_norm with tw2sp, said 数据库."""
    from opinion.report.tables import excerpt

    with analysis_conversion("tw2sp"):
        shown = excerpt(DATABASE, chars=30, doc_script="zh-Hant", script="zh-Hans")
        assert excerpt(TAIWAN, chars=30, doc_script="zh-Hant", script="zh-Hant-TW") == TAIWAN[:30] + "…"
    assert shown == "消费者通过线下十二篮体重秤称重，将数据传输到十二篮体重数据库…"
    assert "资料库" in excerpt(DATABASE, chars=30, doc_script="zh-Hant", script="zh-Hans")
