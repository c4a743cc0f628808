"""One document per .txt file (:mod:`opinion.io.documents`): its encoding and how it is detected."""

from __future__ import annotations

from pathlib import Path

import opinion.io.documents as documents
from opinion.io.documents import read_document
from opinion.io.encoding import SAMPLE_BYTES

ARTICLE = Path(__file__).parent / "data" / "load" / "live_commerce_trust_article.txt"
BIG5_LINE = "該部位於北京大學醫學部逸夫樓7樓。\n"


def test_a_utf8_article_with_one_big5_line_is_utf8_and_reads_the_line(tmp_path):
    """The Big5 line loaded as GB18030 mojibake (赣场ㄊ厩洛…), unflagged, and the whole
    article was reported as gb18030: the encoding of its first line not in UTF-8."""
    text = ARTICLE.read_text(encoding="utf-8").rstrip("\n") + "\n"
    path = tmp_path / "article.txt"
    path.write_bytes(text.encode("utf-8") + BIG5_LINE.encode("big5"))
    record = read_document(path, "txt")
    assert record.values is not None and record.values["text"] == text + BIG5_LINE
    assert record.encoding == "utf-8" and not record.decode_error


def test_a_large_document_is_detected_on_its_first_part(tmp_path, monkeypatch):
    """The whole file went to the detector, which decodes it four times: a 16.5 MB GB18030
    text with two broken bytes peaked at 1.04 GB."""
    text = ARTICLE.read_text(encoding="utf-8")
    body = (text * (2 * SAMPLE_BYTES // len(text.encode("gb18030")) + 1)).encode("gb18030")
    path = tmp_path / "big.txt"
    path.write_bytes(body[:1000] + b"\x80" + body[1000:])
    seen = []

    def spy(sample: bytes, *, truncated: bool = False) -> str:
        seen.append((len(sample), truncated))
        return detect(sample, truncated=truncated)

    detect = documents.detect_encoding
    monkeypatch.setattr(documents, "detect_encoding", spy)
    record = read_document(path, "txt")
    assert seen == [(SAMPLE_BYTES, True)]
    assert record.encoding == "gb18030" and record.decode_error
    assert record.values is not None and record.values["text"].count("\ufffd") == 1


def test_documents_gb18030_after_more_than_a_sample_of_ascii_is_read_whole(tmp_path):
    """Detection on the first 256 KB (2026-12-08) read an article after 272 KB of ASCII as
    UTF-8, and its GB18030 lines became U+FFFD (鄂A牌照 → ��A����)."""
    body = "疫情期间\n鄂A牌照\n魑魅魍魉\n武汉加油，中国加油！\n他说：“谢谢。”\n"
    path = tmp_path / "long.txt"
    path.write_bytes(("x" * 79 + "\n").encode() * 3400 + body.encode("gb18030"))
    record = read_document(path, "txt")
    assert record.values["text"].endswith(body) and not record.decode_error
    assert record.encoding == "gb18030"


def test_documents_gb18030_after_a_long_ascii_line_is_read_whole(tmp_path):
    """The same on one line (a saved page with no line breaks): the sample began at the line's
    start, 300 KB before the first Chinese byte, and 14 characters were lost."""
    body = "疫情期间\n鄂A牌照\n魑魅魍魉\n武汉加油，中国加油！\n他说：“谢谢。”\n"  # short lines, rare characters
    path = tmp_path / "one_line.txt"
    path.write_bytes(b"x" * 300_000 + body.encode("gb18030"))
    record = read_document(path, "txt")
    assert body in record.values["text"] and not record.decode_error and record.encoding == "gb18030"
