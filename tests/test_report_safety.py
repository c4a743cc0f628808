"""Inert cells (opinion.io.safety): formulas neutralised, markup escaped, CSV rows intact."""

from __future__ import annotations

import csv
import io
import re

import numpy as np
import pandas as pd
import pytest

from opinion.io.safety import (
    WORD_JOINER,
    defuse_autolinks,
    html_cell,
    is_dangerous,
    markdown_cell,
    neutralise,
    neutralise_frame,
    plot_frame,
    plot_text,
    spreadsheet_frame,
    write_csv_frame,
)

CR_POST = "武汉加油\r=cmd|' /C calc'!A0"  # issue 13: a bare CR split the row and left a live formula


@pytest.mark.parametrize("text_in, text_out", [
    ('=HYPERLINK("http://evil.example/x","点我领口罩")', '\'=HYPERLINK("http://evil.example/x","点我领口罩")'),
    ("@SUM(1+1)*cmd|' /C calc'!A0 口罩到货了", "'@SUM(1+1)*cmd|' /C calc'!A0 口罩到货了"),
    ("+1+cmd", "'+1+cmd"),
    ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
    ("-1_无内容", "'-1_无内容"),  # Excel reads a leading - as a formula: only ' keeps it text
    ("\t=1+1", "'\t=1+1"),
    ("\r=1+1", "'\r=1+1"),
    (" =1+1", "' =1+1"),  # leading whitespace does not hide the trigger
    ("\u3000@SUM(A1)", "'\u3000@SUM(A1)"),
    ("\n\t -x", "'\n\t -x"),
    ("＝HYPERLINK()", "'＝HYPERLINK()"),
    ("-12\n=cmd", "'-12\n=cmd"),
    ("武汉加油", "武汉加油"),
    ("\t武汉加油", "\t武汉加油"),  # whitespace before plain text runs nothing
    (CR_POST, CR_POST),  # the formula is not at the start of the cell
    ("今天终于买到口罩了😷😷", "今天终于买到口罩了😷😷"),
    ("", ""),
    ("-12", "-12"),  # only a number: cannot run anything
    (" -12 ", " -12 "),
    ("+3.5%", "+3.5%"),
    ("a=b", "a=b"),
])
def test_safety_neutralise_text(text_in: str, text_out: str) -> None:
    assert neutralise(text_in) == text_out
    assert is_dangerous(text_in) == (text_in != text_out)


@pytest.mark.parametrize("value", [-3.5, -1, 0, None, np.nan, True])
def test_safety_non_text_is_never_changed(value: object) -> None:
    assert not is_dangerous(value)
    assert neutralise(value) is value
    assert plot_text(value) is value


def test_safety_frame_keeps_numbers_and_neutralises_names() -> None:
    df = pd.DataFrame({"text": ["=1+1", "口罩"], "growth": [-1.0, 0.5], "=bad": [1, 2]})
    out = neutralise_frame(df)
    assert out["text"].tolist() == ["'=1+1", "口罩"]
    assert out["growth"].dtype == float and out["growth"].iloc[0] == -1.0
    assert list(out.columns) == ["text", "growth", "'=bad"]
    assert df["text"].iloc[0] == "=1+1"  # the input is not modified


def test_safety_spreadsheet_frame_joins_lists_before_neutralising() -> None:
    df = pd.DataFrame({"terms": [np.array(["口罩", "防护"]), ["=cmd", "x"], [" ", "@x"]]})
    assert spreadsheet_frame(df)["terms"].tolist() == ["口罩 防护", "'=cmd x", "'  @x"]


def test_safety_csv_bare_carriage_return_is_one_record() -> None:
    df = pd.DataFrame({"doc_id": ["a", "b"], "text_raw": [CR_POST, "第二行\n=1+1\r\n口罩"], "n": [-1.5, 2]})
    buffer = io.StringIO()
    write_csv_frame(df, buffer)
    rows = list(csv.reader(io.StringIO(buffer.getvalue(), newline="")))
    assert rows == [["doc_id", "text_raw", "n"], ["a", CR_POST, "-1.5"], ["b", "第二行\n=1+1\r\n口罩", "2.0"]]
    assert len(pd.read_csv(io.StringIO(buffer.getvalue()))) == 2


def test_safety_csv_leaves_out_control_characters_and_then_neutralises(tmp_path) -> None:
    """A NUL byte from a broken scrape cut the cell short when pandas read the export back
    (武汉\x00加油 -> 武汉); a control character before = must not leave a live formula."""
    path = tmp_path / "documents.csv"
    frame = pd.DataFrame({"text_raw": ["武汉\x00加油", "\x00=cmd|' /C calc'!A0", "第一行\r\n第二行\t完"],
                          "n\x01": [1, 2, 3]})
    write_csv_frame(frame, path)
    back = pd.read_csv(path, encoding="utf-8-sig", keep_default_na=False)
    assert back["text_raw"].tolist() == ["武汉加油", "'=cmd|' /C calc'!A0", "第一行\r\n第二行\t完"]
    assert list(back.columns) == ["text_raw", "n"] and frame["text_raw"][0] == "武汉\x00加油"


def test_safety_csv_file_has_bom(tmp_path) -> None:
    write_csv_frame(pd.DataFrame({"t": ["口罩"]}), tmp_path / "t.csv")
    assert (tmp_path / "t.csv").read_bytes() == "\ufefft\r\n口罩\r\n".encode()


def test_safety_csv_fast_writer_matches_pandas_bytes(tmp_path) -> None:
    """The writer's shortcuts (only candidate cells neutralised, the BOM by hand) write
    the bytes of plain ``to_csv(encoding="utf-8-sig")`` on the neutralised frame."""
    floats = [0.6763869524002075, 0.1, 1 / 3, -0.0, 0.0, 1e16, 9999999999999998.0, 1e-4, 1e-5,
              5e-324, 1.7976931348623157e308, np.inf, -np.inf, np.nan, 2.0, 100.0]
    texts = ["口罩", "=1+1", " @x", "\u3000-3", "-12", "a,b", 'q"q', CR_POST, "", None, "＋1", "\t=cmd",
             "#话题# 武汉加油", "[哈哈]", "@新京报 报道", "2020年"]
    df = pd.DataFrame({
        "score": floats, "score32": np.array(floats[:13] + [0.5, 0.25, 0.75], dtype=np.float32),
        "text": texts, "n": range(16), "flag": [i % 2 == 0 for i in range(16)],
        "mixed": pd.Series([1, None, 2.5, "=x"] * 4, dtype=object),
        "tokens": [["口罩", "=x"] if i % 3 else None for i in range(16)],
        "day": pd.to_datetime("2020-01-19") + pd.to_timedelta(range(16), "D"),
        "count": pd.array([1, None] * 8, dtype="Int64"),
    })
    write_csv_frame(df, tmp_path / "fast.csv")
    spreadsheet_frame(df).to_csv(tmp_path / "plain.csv", index=False, encoding="utf-8-sig",
                                 lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    assert (tmp_path / "fast.csv").read_bytes() == (tmp_path / "plain.csv").read_bytes()
    assert "'=1+1" in (tmp_path / "fast.csv").read_text(encoding="utf-8-sig")


@pytest.mark.parametrize("text_in, text_out", [
    ("a|b\n[点我](http://x) <b>", "a\\|b \\[点我\\](http\u2060://x) \\<b\\>"),
    ("![img](http://127.0.0.1:9/a.png)", "!\\[img\\](http\u2060://127.0.0.1:9/a.png)"),
    ("0_口罩_戴口罩 _斜_", "0_口罩_戴口罩 \\_斜\\_"),
    ("访问 www.evil.example 或 https://evil.example", "访问 www\u2060.evil.example 或 https\u2060://evil.example"),
    ("写信 a@b.com", "写信 a\u2060\\@b.com"),
    ("*粗* _斜_ ~删~ `代码` $x$ &lt; :smile:", "\\*粗\\* \\_斜\\_ \\~删\\~ \\`代码\\` \\$x\\$ \\&lt; :\u2060smile:"),
    ("=1+1", "\\=1+1"),  # escaped, not prefixed: the rendered page shows =1+1
    (" =cmd|' /C calc'!A0", "\\=cmd\\|' /C calc'!A0"),  # the space before = does not escape the guard
    ("\u3000\t-1_无内容", "\\-1_无内容"),
    ("@用户 你好", "\\@用户 你好"),
    ("＝1+1", "&#65309;1+1"),
    ("-12", "-12"),
    ("10:30", "10:30"),
    (["x", "y|z", "+cmd"], "x<br>y\\|z<br>\\+cmd"),
])
def test_safety_markdown_cell(text_in: object, text_out: str) -> None:
    assert markdown_cell(text_in) == text_out


@pytest.mark.parametrize("text_in", ["看 https://t.cn/A6 和 www.weibo.com", "联系 news@xinhua.cn", "ftp://x.cn :smile:"])
def test_safety_defuse_autolinks_is_invisible(text_in: str) -> None:
    """Autolinkers run on the text after escapes are resolved; a WORD JOINER breaks them."""
    out = defuse_autolinks(text_in)
    assert out != text_in and out.replace(WORD_JOINER, "") == text_in
    assert not re.search(r"(?i)https?://|www\.|[-.\w+]@[-\w]+\.|:[a-z]+:", out)


@pytest.mark.parametrize("text_in, text_out", [
    ("2026-12-07T16:48:52Z", "2026-12-07T16:48:52Z"),
    ("10:30:00 发布", "10:30:00 发布"),
    ("比分 3:2:1", "比分 3:2:1"),
    (":smile: 和 :+1:", ":\u2060smile: 和 :\u2060+1:"),
    ("得分 :100:", "得分 :\u2060100:"),
    ("第2:smile:", "第2:\u2060smile:"),
])
def test_safety_emoji_guard_leaves_times_alone(text_in: str, text_out: str) -> None:
    """report.md put a WORD JOINER in every time (16:\u206048:52Z): :48: is not an emoji code."""
    assert defuse_autolinks(text_in) == text_out
    assert markdown_cell(text_in).replace("\\", "") == text_out


def test_safety_markdown_renders_as_the_text() -> None:
    markdown_it = pytest.importorskip("markdown_it")
    hostile = ["-1_无内容", "![img](http://evil.example/a.png)", "<b>粗</b> [点我](http://evil.example)",
               "<http://evil.example>", "a@b.cn",
               "=HYPERLINK(\"http://evil.example\")", "a & b &lt; c", "*x* _y_ `z`"]
    for text in hostile:
        rendered = markdown_it.MarkdownIt("commonmark").renderInline(markdown_cell(text))
        assert rendered.replace(WORD_JOINER, "") == text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") \
            .replace('"', "&quot;"), text


@pytest.mark.parametrize("text_in, text_out", [
    ('<img src="http://evil.example/a.png">', "&lt;img src=&quot;http://evil.example/a.png&quot;&gt;"),
    ("-1_无内容", "&#45;1_无内容"),
    ("  =1+1", "  &#61;1+1"),
    ("@x", "&#64;x"),
    ("＋1", "&#65291;1"),
    ("-12", "-12"),
    ("口罩", "口罩"),
    (["=a", "b<"], "&#61;a<br>b&lt;"),
])
def test_safety_html_cell(text_in: object, text_out: str) -> None:
    assert html_cell(text_in) == text_out


@pytest.mark.parametrize("text_in, text_out", [
    ('<a href="http://evil.example">点我</a><b>粗</b>', '&lt;a href="http://evil.example"&gt;点我&lt;/a&gt;&lt;b&gt;粗&lt;/b&gt;'),
    ("#钟南山%{x}#", "#钟南山&#37;{x}#"),
    ("$E=mc^2$", "&#36;E=mc^2&#36;"),
    ("a &amp; b", "a &amp;amp; b"),
    ("第一行\n第二行", "第一行 第二行"),
    ("口罩", "口罩"),
])
def test_safety_plot_text(text_in: str, text_out: str) -> None:
    assert plot_text(text_in) == text_out


def test_safety_plot_frame_only_named_columns() -> None:
    df = pd.DataFrame({"side": ["A: <b>x</b>"], "raw": ["<b>"], "n": [1]})
    out = plot_frame(df, ("side", "absent"))
    assert out.to_dict("records") == [{"side": "A: &lt;b&gt;x&lt;/b&gt;", "raw": "<b>", "n": 1}]
    assert df["side"].iloc[0] == "A: <b>x</b>"


def test_write_csv_frame_is_atomic_and_makes_the_folder(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``opinion topics assign -o new/out.csv`` stopped with a FileNotFoundError traceback after
    the whole assignment, and a write cut short left half a CSV under the final name."""
    target = tmp_path / "new" / "assigned.csv"
    write_csv_frame(pd.DataFrame({"text": ["武汉加油"]}), target)
    assert pd.read_csv(target, encoding="utf-8-sig")["text"].tolist() == ["武汉加油"]

    def cut_short(self: pd.DataFrame, handle: io.TextIOBase, **_: object) -> None:
        handle.write("text\r\n口罩")
        raise KeyboardInterrupt

    monkeypatch.setattr(pd.DataFrame, "to_csv", cut_short)
    with pytest.raises(KeyboardInterrupt):
        write_csv_frame(pd.DataFrame({"text": ["口罩告急"] * 3}), target)
    assert pd.read_csv(target, encoding="utf-8-sig")["text"].tolist() == ["武汉加油"]  # the old file
    assert sorted(p.name for p in target.parent.iterdir()) == ["assigned.csv"]  # no temporary left
