"""Pinyin annotations: removed where a converter put them, kept where they are words or lessons."""

from __future__ import annotations

import pytest

from opinion.text import clean as C
from opinion.text.pinyin import is_pinyin, remove_pinyin, split_pinyin


@pytest.mark.parametrize("text", [
    "这家店的咖啡(café)很好喝", "请把简历(résumé)发给我", "她是我的未婚妻(fiancée)", "桃红葡萄酒(rosé)",
    "土豆泥(purée)做法", "嫩煎(sauté)牛肉",
])
def test_pinyin_accented_loanwords_stay(text):
    """Finding h46/clean #5: any initial + vowel passed as a syllable (ca + fé)."""
    assert remove_pinyin(text) == text


def test_pinyin_readings_taught_stay():
    # a real post of weibo_emotion_nlpcc2013.csv; the rare character of 三个羊念（shān） was lost
    post = "三个土念垚（yáo）三个牛念犇（bēn）三个羊念（shān）三个犬念猋（biāo），你会读了嘛！？"
    assert remove_pinyin(post) == post


@pytest.mark.parametrize("text_in, text_out", [
    ("市場規(guī)模", "市場規模"), ("步履蹒跚（pán shān）", "步履蹒跚"), ("饕餮(tāotiè)之徒", "饕餮之徒"),
    ("我(wǒ)们(men)的(de)祖(zǔ)国(guó)", "我们的祖国"), ("念(niàn)书(shū)", "念书"),
])
def test_pinyin_converter_annotations_go(text_in, text_out):
    assert remove_pinyin(text_in) == text_out


@pytest.mark.parametrize("group, expected", [
    ("pán shān", True), ("tāotiè", True), ("zhuàng", True), ("lüè", True), ("café", False), ("purée", False),
    ("résumé", False), ("xīān", False),  # 西安 is xī'ān: a syllable opening with a vowel needs the apostrophe
])
def test_pinyin_is_every_syllable_valid(group, expected):
    assert is_pinyin(group) is expected


def test_pinyin_removals_are_recorded():
    assert split_pinyin("規(guī)模(CNNIC)") == ("規模(CNNIC)", ["(guī)"])
    assert C.clean_document("長(cháng)城").removed == ("(cháng)",)
