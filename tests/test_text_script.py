"""Script detection and conversion, checked on a slice of UD Chinese-GSD / GSDSimp."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from opinion.errors import InputError
from opinion.text import script as S

GSD = Path(__file__).parent / "data" / "text" / "gsd_trad_simp_slice.tsv"


@pytest.fixture(scope="module")
def gsd() -> list[dict[str, str]]:
    with GSD.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


@pytest.mark.parametrize("text, script", [
    ("直播電商風生水起", "zh-Hant"), ("直播电商风生水起", "zh-Hans"),
    ("發", "zh-Hant"), ("发", "zh-Hans"),
    ("台灣的國貨", "zh-Hant"),  # 台 is Taiwan's usual form, no Simplified evidence
    ("皇后", "zh-Hans"), ("中国人", "zh-Hans"),  # no distinguishing character: valid as Simplified
    ("著名的显著成果", "zh-Hans"),  # 著 in 著名 is Simplified too
    ("OK! 123 🙂", "none"), ("", "none"),
    ("【醫院管理局主席范鴻齡：醫護天職救急扶危】#请勿抢购自行服用双黄连口服液##武汉加油#", "mixed"),
])
def test_script_detect(text, script):
    assert S.detect_script(text) == script


def test_script_detect_gsd_sentences(gsd):
    trad = [S.detect_script(r["traditional"]) for r in gsd]
    simp = [S.detect_script(r["simplified"]) for r in gsd]
    assert sum(s == "zh-Hant" for s in trad) / len(gsd) >= 0.99
    assert sum(s == "zh-Hans" for s in simp) / len(gsd) >= 0.99


def test_script_to_analysis_agrees_with_gsd_reference(gsd):
    same_chars = total = same_sentences = 0
    for row in gsd:
        out, ref = S.to_analysis(row["traditional"]), row["simplified"]
        same_sentences += out == ref
        if len(out) == len(ref):
            same_chars += sum(a == b for a, b in zip(out, ref))
            total += len(ref)
    assert same_chars / total >= 0.99
    assert same_sentences / len(gsd) >= 0.85


def test_script_to_analysis_variants():
    assert S.to_analysis("國貨發光") == "国货发光"
    assert S.to_analysis("直播电商") == "直播电商"
    assert S.to_analysis("佢哋喺度食緊嘢") == S.converter("hk2s").convert("佢哋喺度食緊嘢")
    assert S.to_analysis("軟體與網路", hant="tw2sp") == "软件与网络"
    assert S.to_analysis("軟體與網路") == "软体与网路"  # characters only by default
    assert S.to_analysis("發", "zh-Hans") == "發"  # a given script is trusted
    with pytest.raises(InputError, match="hant converter must be one of"):
        S.to_analysis("發", hant="x2y")


def test_script_detect_and_convert_simplified_is_untouched():
    assert S.detect_and_convert("#武汉加油# 戴口罩[哈哈]") == ("zh-Hans", "#武汉加油# 戴口罩[哈哈]")


@pytest.mark.parametrize("target, expected", [
    ("zh-Hans", "软件和网络信息"), ("zh-Hant-TW", "軟體和網路資訊"), ("zh-HK", "軟件和網絡信息"),
])
def test_script_render(target, expected):
    assert S.render("软件和网络信息", target) == expected


def test_script_render_many_matches_render():
    words = ["国货", "非遗", "发展\n历史", "", "KOL"]
    for target in S.RENDER_TARGETS:
        assert S.render_many(words, target) == [S.render(w, target) for w in words]
    with pytest.raises(InputError, match="--script must be one of"):
        S.render_many(words, "zh-TW")
