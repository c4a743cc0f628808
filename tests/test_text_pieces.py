"""Pieces of a document in the reader's script, converted whole and then cut."""

from __future__ import annotations

import pytest

from opinion.text.pieces import MARGIN, render_pieces
from opinion.text.script import render_document

# GSD dev-s41 and dev-s169 (Traditional) and a real Weibo post (covid19_weibo_2020, Simplified)
FAMOUS = "成為了中國乃至世界著名的電影人"
QIANLONG = "橋東頭則立有乾隆帝題寫的「盧溝曉月」碑。"
HERBS = "重症患者有80%愿意接受中医药治疗，轻症患者有90%愿意接受中医药干预，隔离的患者也希望中医药早期介入。"


@pytest.mark.parametrize("text, script", [(FAMOUS, "zh-Hant"), (QIANLONG, "zh-Hant"), (HERBS, "zh-Hans")])
@pytest.mark.parametrize("target", ["zh-Hans", "zh-Hant-TW", "zh-HK"])
def test_pieces_are_pieces_of_the_whole_rendering(text, script, target):
    whole = render_document(text, script, target)
    for cut in range(1, len(text)):
        assert render_pieces(text, script, target, [(0, cut), (cut, len(text))]) == [whole[:cut], whole[cut:]]
        assert render_pieces(text, None, target, [(cut - 1, cut)]) == [whole[cut - 1:cut]]


def test_pieces_at_a_cut_word():
    assert render_pieces(FAMOUS, "zh-Hant", "zh-Hans", [(6, 10), (10, 11)]) == ["至世界著", "名"]
    assert render_pieces(QIANLONG, "zh-Hant", "zh-Hans", [(6, 7), (7, 8)]) == ["乾", "隆"]
    cut = HERBS.index("干预") + 1
    assert render_pieces(HERBS, "zh-Hans", "zh-Hant-TW", [(cut - 4, cut)]) == ["中醫藥干"]
    assert render_pieces("", "zh-Hans", "zh-HK", [(0, 0)]) == [""]
    assert render_pieces(HERBS, "zh-Hans", "zh-HK", []) == []


def test_pieces_when_a_phrase_changes_the_length():
    """tw2sp turns 記憶體 into 内存: the text is one character shorter, so each piece is
    converted inside a margin of its own, and a word cut at its edge still comes out right."""
    text = "我的記憶體不夠，" + "電腦" * MARGIN + "，乾隆帝題寫"
    assert len(render_document(text, "zh-Hant", "zh-Hans", hant="tw2sp")) == len(text) - 1
    start = text.index("乾隆")
    assert render_pieces(text, "zh-Hant", "zh-Hans", [(start, start + 1), (start + 1, len(text))],
                         hant="tw2sp") == ["乾", "隆帝题写"]
    assert render_pieces(text, "zh-Hant", "zh-Hans", [(2, 4), (4, 5)], hant="tw2sp") == ["记忆", "体"]
