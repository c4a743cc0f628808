"""Safe file-name parts from analyst- and corpus-chosen names (opinion.words.names)."""

from __future__ import annotations

import doctest

import pytest

from opinion.words import names
from opinion.words.names import MAX_NAME_BYTES, file_part


@pytest.mark.parametrize("name, part", [
    ("信任", "信任"),
    ("防疫/口罩", "防疫_口罩"),  # was a folder 防疫 holding 口罩.gexf
    ("新冠\\COVID", "新冠_COVID"),
    ("../../../出界", "______出界"),  # no `..`: was written outside --out
    ("中美: 贸易?", "中美__贸易_"),  # Windows refuses : ? * " < > |
    ('"引号"<>|*', "_引号_____"),
    ("evil\u202egnp.exe", "evilgnp.exe"),  # a right-to-left override showed the name backwards
    ("a\u2066b\x00c\x1fd", "abc_d"),  # bidi isolate and NUL out; a separator (a space to Python) is _
    ("行\n内\t空 格", "行_内_空_格"),
    (".隐藏", "隐藏"),  # not a hidden file
    ("结尾. ", "结尾"),  # Windows drops trailing dots and spaces
    ("CON", "CON_"),
    ("nul.txt", "nul.txt_"),
    ("", "all"),
    ("..", "_"),
    ("\u202e", "all"),
])
def test_file_part_makes_a_name_safe(name: str, part: str) -> None:
    assert file_part(name) == part


@pytest.mark.parametrize("name", ["这是一个很长的议题名称" * 30, "🌸" * 70, "ab" * 200])
def test_file_part_cuts_long_names_in_bytes_and_keeps_them_apart(name: str) -> None:
    """h46 exports #3: a theme of 72 CJK characters (216 bytes) or ~54 emoji passed 255 bytes once
    the temporary name's suffix was added, and ended in a traceback."""
    part, other = file_part(name), file_part(name + "2")
    assert len(part.encode()) <= MAX_NAME_BYTES and len(other.encode()) <= MAX_NAME_BYTES
    assert part != other and part.rsplit("~", 1)[0] == other.rsplit("~", 1)[0]
    assert part.encode().decode() == part  # cut on a character


def test_file_part_doctests() -> None:
    assert doctest.testmod(names).failed == 0


@pytest.mark.parametrize("name, part", [
    ("a\ud800b", "ab"),  # 2026-12-08 review: a lone surrogate raised UnicodeEncodeError
    ("COM¹", "COM¹_"),  # Windows reserves COM¹-³ and LPT¹-³ too
    ("lpt³", "lpt³_"),
    ("COM10", "COM10"),
])
def test_words_names_file_part_surrogates_and_superscript_devices(name, part):
    assert file_part(name) == part


def test_words_names_names_that_give_one_part_get_numbered_clouds():
    """``防疫/口罩`` and ``防疫:口罩`` give one part; the clouds of one command stay apart."""
    from opinion.cli.words_cmd import cloud_file_names

    groups = ["防疫/口罩", "防疫:口罩", "防疫_口罩"]
    names_of = cloud_file_names(groups, by=None, script="keep")
    assert names_of["防疫_口罩"] == "wordcloud_防疫_口罩.png"
    assert len(set(names_of.values())) == 3
