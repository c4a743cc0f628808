"""The workspace's user dictionary: what `opinion newwords --accept` stores, and how safely."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from opinion.errors import InputError
from opinion.io.lock import WorkspaceBusyError
from opinion.io.userdict import HEADER, accept_pieces, accept_words, user_dict_path
from opinion.io.workspace import Workspace
from opinion.text.tokenize import EXTRA_WORD_FREQ, Tokenizer, read_dictionary


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return Workspace.open(tmp_path / "ws", create=True)


def _stored(ws: Workspace) -> list[str]:
    return [line.split()[0] for line in user_dict_path(ws).read_text(encoding="utf-8").splitlines()[1:]]


def test_userdict_accept_stores_the_form_the_documents_have(ws):
    """A Hong Kong 衞 and a Taiwan 看著 were stored as written, a Simplified 原著党 read back as 原着党."""
    report = accept_words(ws, ["衞生中心,看著", "原著党、鑽石公主號", "周乾"])
    assert report.added == ["卫生中心", "看着", "原著党", "钻石公主号", "周干"]  # 周乾's posts read 周干
    assert [e.word for e in read_dictionary(user_dict_path(ws))] == report.added  # read back unchanged
    assert accept_words(ws, ["衛生中心", "卫生中心"]).already == ["卫生中心", "卫生中心"]


def test_userdict_a_word_stored_before_in_its_own_script_is_already_there(ws):
    user_dict_path(ws).write_text(HEADER + "衞生中心\n", encoding="utf-8")  # as accepted before 2026-12-07
    assert accept_words(ws, ["卫生中心"]).already == ["卫生中心"]


@pytest.mark.parametrize("value", ["钻石公主号 100 nz", "foo 3 n", "New York", "B站", "N95口罩", "C++", "12345",
                                   "ｆｏｏ", "#火神山#", "𠮷野家", "火神山\u200b", "火" * 31])
def test_userdict_accept_refuses_what_can_never_be_a_token(ws, value):
    """Letters, digits, # and rare ideographs are cut apart before jieba: such a word never applied,
    and a pasted 'word freq tag' line added three words."""
    with pytest.raises(InputError, match=r"^--accept "):
        accept_words(ws, ["雷神山", value])
    assert not user_dict_path(ws).exists()  # nothing of the call is written


def test_userdict_accept_splits_only_at_commas_and_lines():
    assert accept_pieces(["火神山, 雷神山、方舱，宅家\n逆行者", " , "]) == ["火神山", "雷神山", "方舱", "宅家", "逆行者"]
    assert accept_pieces(["钻石公主号 100 nz"]) == ["钻石公主号 100 nz"]  # one piece, refused whole


def test_userdict_accept_into_a_file_that_is_not_utf8_is_one_line(ws):
    user_dict_path(ws).write_bytes("火神山\n方舱医院\n".encode("gbk"))  # saved by a GBK editor
    with pytest.raises(InputError, match=r"user_dict.txt: the user dictionary is not UTF-8 .*iconv -f gb18030"):
        accept_words(ws, ["雷神山"])


def test_userdict_accept_holds_the_workspace_lock(ws):
    """Two accepts at once kept 4 of 8 words; now the second writer stops with one line."""
    holder = textwrap.dedent(f"""
        import sys, time
        from opinion.io.lock import workspace_lock
        with workspace_lock({str(ws.root)!r}):
            print("held", flush=True)
            time.sleep(60)
    """)
    process = subprocess.Popen([sys.executable, "-c", holder], stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None and process.stdout.readline().strip() == "held"
        with pytest.raises(WorkspaceBusyError, match="in use by"):
            accept_words(ws, ["雷神山"])
    finally:
        process.kill()
        process.wait()
    assert accept_words(ws, ["雷神山"]).added == ["雷神山"]


def test_userdict_accepted_words_stay_whole_in_context(ws):
    """With jieba's minimal frequency (1), 央视新闻频道 was cut 央视 / 新闻频道."""
    accept_words(ws, ["央视新闻,吃野味"])
    text = user_dict_path(ws).read_text(encoding="utf-8")
    assert text.splitlines()[1:] == [f"央视新闻 {EXTRA_WORD_FREQ}", f"吃野味 {EXTRA_WORD_FREQ}"]
    tokens = Tokenizer(user_dicts=[user_dict_path(ws)]).tokenize("关注央视新闻频道，拒绝吃野味")
    assert tokens == ["关注", "央视新闻", "频道", "拒绝", "吃野味"]
    assert _stored(ws) == ["央视新闻", "吃野味"]


@pytest.mark.parametrize("value", ["B站", "COVID-19", "火神\u200b山"])
def test_userdict_user_dict_file_refuses_what_accept_refuses(ws, tmp_path, value):
    """A --user-dict file took B站 or a word with a zero-width space without a word and changed no
    token; it is now refused for the same reason --accept gives (one rule: never_a_token)."""
    from opinion.text.dictionary import never_a_token

    with pytest.raises(InputError) as accepted:
        accept_words(ws, [value])
    path = tmp_path / "mine.txt"
    path.write_text(f"雷神山 100 nz\n{value} 100\n", encoding="utf-8")
    with pytest.raises(InputError) as read:
        read_dictionary(path)
    reason = never_a_token(value)
    assert reason and reason in str(accepted.value) and reason in str(read.value)
    assert f"mine.txt line 2: '{value} 100'".replace("\u200b", "\\u200b") in str(read.value)
