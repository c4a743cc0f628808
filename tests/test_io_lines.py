"""Lines of a text input decoded one by one (:mod:`opinion.io.lines`)."""

from __future__ import annotations

import io

import pytest

from opinion.io.lines import decoded_lines


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le"])
def test_a_wide_file_flags_only_the_line_with_a_decoding_error(codec):
    """After one real error (a lone surrogate, half an emoji), every later row holding a U+FFFD
    of its own (written into the source by an earlier import) was counted as broken."""
    rows = ["第一条正常的帖子\r\n", "之前系统导入时已经坏掉的字：\ufffd\ufffd，原样保留\r\n",
            "第四条正常的帖子\r\n", "又一条含\ufffd的历史数据\r\n"]
    cut = "半个表情".encode(codec) + ("\ud83d".encode(codec, "surrogatepass") if "16" in codec else b"\xff" * 4)
    data = rows[0].encode(codec) + cut + "\r\n".encode(codec) + "".join(rows[1:]).encode(codec)
    lines = [line for _, line in decoded_lines(io.BytesIO(data), codec)]
    assert [line.error for line in lines] == [False, True, False, False, False]
    assert lines[1].text == "半个表情\ufffd\r\n" and [ln.text for ln in lines[2:]] == rows[1:]
