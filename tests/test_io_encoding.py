from __future__ import annotations

import codecs
import gzip
from pathlib import Path

import pytest

from opinion import schema as S
from opinion.errors import InputError
from opinion.io.encoding import (
    LineDecoder,
    binary_kind,
    broken_ratio,
    common_hanzi_ratio,
    detect_encoding,
)
from opinion.io.encoding import _strictly_decodes as _strict
from opinion.io.load import load_corpus
from opinion.io.workspace import Workspace

TRAD = "這間酒店環境和服務態度亦算不錯，但房間空間太小。大多數的加長型禮車則是租車公司的財產。"
SIMP = "武汉加油！钟南山院士说，戴口罩是有效的防护措施，大家不要恐慌。"


@pytest.mark.parametrize("data, expected", [
    (b"", "utf-8"),
    (b"id,text\n1,hello\n", "utf-8"),
    (SIMP.encode("utf-8"), "utf-8"),
    (codecs.BOM_UTF8 + SIMP.encode("utf-8"), "utf-8-sig"),
    (SIMP.encode("gb18030"), "gb18030"),
    (TRAD.encode("big5"), "big5hkscs"),
    (TRAD.encode("gb18030"), "gb18030"),
    (SIMP.encode("utf-16"), "utf-16"),
    (SIMP.encode("utf-16-le"), "utf-16-le"),
    ("text\n你好，世界和平\n".encode("utf-16-be"), "utf-16-be"),
])
def test_encoding_detect_table(data, expected):
    assert detect_encoding(data) == expected


def test_encoding_detect_real_weibo_slice_is_gb18030(data_dir):
    data = gzip.open(data_dir / "load" / "weibo_2.14_slice.csv.gz").read()
    assert detect_encoding(data) == "gb18030"  # despite one undecodable byte inside


def test_encoding_detect_real_big5_file(data_dir):
    assert detect_encoding((data_dir / "load" / "gsd_traditional_big5.csv").read_bytes()) \
        == "big5hkscs"


def test_encoding_detect_small_big5_file_with_a_broken_line():
    """GB18030 "decodes" Big5 bytes into private-use code points with fewer U+FFFD than Big5
    leaves on the one broken line; a new user's 3-line Big5 CSV was read as GB18030 mojibake."""
    data = ("text,date\r\n" + "台灣的口罩很好用,2020-02-01\r\n").encode("big5") \
        + b"\xff\xfe\x81broken,2020-02-02\r\n" + "今天天氣很好,2020-02-03\r\n".encode("big5")
    assert detect_encoding(data) == "big5hkscs"
    assert broken_ratio("台灣的口罩") == 0.0
    assert broken_ratio("台灣的口罩".encode("big5").decode("gb18030", errors="replace")) > 0.3


def _gsd_traditional(n: int = 40) -> list[str]:
    path = Path(__file__).parent / "data" / "gsd_trad_simp_sample.tsv"
    return [line.split("\t")[0] for line in path.read_text(encoding="utf-8").splitlines()[1:n + 1]]


def test_a_taiwanese_windows_file_keeps_its_tilde_and_middle_dot(tmp_path):
    """Excel on a Taiwanese Windows saves cp950: ～ (U+FF5E) and ‧ (U+2027) are 0xA1E3 and
    0xA145, which Big5-HKSCS reads as ∼ (U+223C) and • (U+2022): the posts were altered."""
    rows = [f"{t}好棒～,2021-0{1 + i % 9}-01" for i, t in enumerate(_gsd_traditional())] + ["哈利‧波特真好看～,2021-02-02"]
    path = tmp_path / "tw.csv"
    path.write_bytes(("text,date\r\n" + "\r\n".join(rows) + "\r\n").encode("cp950"))
    assert detect_encoding(path.read_bytes()) == "cp950"
    report = load_corpus([str(path)], tmp_path / "ws")
    texts = Workspace.open(tmp_path / "ws").read(S.CORPUS)[S.TEXT_RAW].tolist()
    assert report.total("rows_loaded") == len(rows) and texts[-1] == "哈利‧波特真好看～"
    assert all(t.endswith("好棒～") for t in texts[:-1])


def test_encoding_big5_named_by_the_user_reads_with_the_table_that_fits(tmp_path):
    """``--encoding big5`` names Big5, not one of its tables: a cp950 file's ぱ line was broken
    (U+FFFD, flagged) and its ～ read as ∼ with Python's big5 codec."""
    path = tmp_path / "tw.csv"
    path.write_bytes("text\n今天天氣很好～\n哈利‧波特ぱ好看\n".encode("cp950"))
    report = load_corpus([str(path)], tmp_path / "ws", encoding="big5")
    corpus = Workspace.open(tmp_path / "ws").read(S.CORPUS)
    assert corpus[S.TEXT_RAW].tolist() == ["今天天氣很好～", "哈利‧波特ぱ好看"]
    assert report.total("decode_errors") == 0 and set(corpus["encoding"]) == {"cp950"}
    with pytest.raises(InputError, match="pass --encoding cp950"):  # a table named on purpose is kept
        load_corpus([str(path)], tmp_path / "ws2", encoding="big5hkscs")  # (and cannot read ぱ)


def test_a_page_declaring_big5_is_read_with_the_table_that_fits(tmp_path):
    """``<meta charset="big5">`` chose Python's big5 codec, which reads a Taiwanese page's
    0xA1E3 and 0xA145 (～ ‧, as cp950 wrote them) as ∼ and •: it now reads as the
    undeclared file would."""
    folder = tmp_path / "pages"
    folder.mkdir()
    body = "今天天氣很好～大家出去玩吧！哈利‧波特上映了。"
    page = f'<html><head><meta charset="big5"><title>新聞</title></head><body><p>{body}</p></body></html>'
    (folder / "tw.html").write_bytes(page.encode("cp950"))
    load_corpus([str(folder)], tmp_path / "ws")
    corpus = Workspace.open(tmp_path / "ws").read(S.CORPUS)
    assert body in corpus[S.TEXT_RAW].iloc[0] and corpus["encoding"].iloc[0] == "cp950"


def test_a_big5_file_with_kana_only_cp950_reads_is_not_read_as_gb18030(tmp_path):
    """One ぱ (0xC6D5 in cp950, no character in Big5-HKSCS) left GB18030 the only strict reading,
    and 300 Taiwanese hotel reviews loaded as mojibake (評論 read as 蝶阶)."""
    rows = _gsd_traditional() + ["這家的拉麵ぱ很好吃"]
    path = tmp_path / "kana.txt"
    path.write_bytes("\n".join(rows).encode("cp950"))
    assert detect_encoding(path.read_bytes()) == "cp950"
    assert path.read_bytes().decode("cp950").splitlines() == rows


def test_hong_kong_and_short_big5_texts_stay_big5_hkscs():
    assert detect_encoding("佢哋嘅嘢好正，係咪？".encode("big5hkscs")) == "big5hkscs"  # 嘅: HKSCS only
    assert detect_encoding("今天天氣很好".encode("big5")) == "big5hkscs"  # not "さぱぱ…" (GB18030, no hanzi)
    assert detect_encoding(("\n".join(_gsd_traditional())).encode("big5")) == "big5hkscs"  # same reading: as before
    written = ("\n".join([*_gsd_traditional(), "每份定價 ¥30／位"])).encode("big5hkscs")  # ／ at 0xA241, not cp950's
    assert detect_encoding(written) == "big5hkscs" and written.decode("big5hkscs").endswith("¥30／位")


def test_a_strict_reading_that_is_mojibake_loses_to_a_nearly_clean_one():
    """A Big5 file with one byte pair neither Big5 table reads (0x8140, a user-defined
    character): GB18030 reads every byte, as nonsense; Big5 reads all but one character."""
    data = ("\n".join(_gsd_traditional())).encode("big5") + b"\n\x81\x40\n"
    assert _strict(data, "big5hkscs") is None and _strict(data, "cp950") is None
    assert _strict(data, "gb18030") is not None
    assert detect_encoding(data) in ("big5hkscs", "cp950")


def test_encoding_truncated_sample_ignores_cut_character():
    data = ("一行文字\n" * 10).encode("utf-8") + "半".encode()[:2]
    assert detect_encoding(data, truncated=True) == "utf-8"


def test_encoding_common_hanzi_ratio_separates_right_and_wrong_codec():
    wrong = TRAD.encode("big5").decode("gb18030", errors="replace")
    assert common_hanzi_ratio(TRAD) > 0.6
    assert common_hanzi_ratio(wrong) < 0.3
    assert common_hanzi_ratio("abc 123") == 1.0


@pytest.mark.parametrize("data, kind", [
    (b"\x89PNG\r\n\x1a\n\x00\x00", "PNG"),
    (b"PK\x03\x04rest", "xlsx"),
    (b"\x00\x00abcd" * 100, "NUL"),
    (bytes(range(256)) * 4, "control"),
    (b"\x01\x02\x03\x04\x05\x06abc" * 10, "control"),
])
def test_encoding_binary_kind_names_what_it_saw(data, kind):
    assert kind in binary_kind(data)


def test_encoding_binary_kind_accepts_text_and_utf16():
    assert binary_kind(SIMP.encode("gb18030")) is None
    assert binary_kind(SIMP.encode("utf-16")) is None
    # a stray NUL in one scraped cell does not make the file binary
    assert binary_kind(("id,text\n1," + SIMP + "\x00\n2,好\n").encode()) is None


def test_line_decoder_flags_only_the_broken_line():
    decoder = LineDecoder("gb18030")
    good = decoder.decode("疫情防控\n".encode("gb18030"))
    bad = decoder.decode("4774061026,我&(".encode("gb18030") + b"\x80)\n")
    assert good == ("疫情防控\n", "gb18030", False)
    assert bad.error and "\ufffd" in bad.text and bad.text.startswith("4774061026,我&(")


def test_line_decoder_reads_a_utf8_line_inside_a_gb18030_file():
    line = decode = LineDecoder("gb18030").decode("2,钟南山：戴口罩\n".encode())
    assert decode == ("2,钟南山：戴口罩\n", "utf-8", False)
    assert not line.error


def test_line_decoder_reads_a_gb18030_line_inside_a_utf8_file():
    assert LineDecoder("utf-8").decode(SIMP.encode("gb18030")) == (SIMP, "gb18030", False)


def test_line_decoder_short_gb18030_line_that_is_valid_utf8_stays_gb18030():
    # Regression: line 2998 of 4.2.csv.gz is "哦" (C5 B6), which is also UTF-8 for "Ŷ".
    assert LineDecoder("gb18030").decode("哦\r\n".encode("gb18030")) == ("哦\r\n", "gb18030", False)


# Real Weibo posts (covid19_weibo_2020/2.1.csv.gz): short hashtag posts score under 0.4 common
# characters; U+E627 is Weibo's link icon, which GB18030 writes as A4 82 (private use).
HASHTAG = "#疫情期间停止影视剧拍摄#"
HASHTAG_ONLY_GB = "#全国累计确诊新型肺炎11791例#拜托，赶紧结束吧！"  # 0.33; Big5 cannot read it at all
ICON_POST = "//@超话社区:#最新疫情地图# 播报做好防护 为\ue627武汉 加油"
BIG5_LINES = ["一個家庭收入的中間數為$16,250，國民平均收入為$5,467。", "該部位於北京大學醫學部逸夫樓7樓。",
              "最近的公交車站為九三五廠站。"]


@pytest.mark.parametrize("line", BIG5_LINES)
def test_line_decoder_reads_a_big5_line_in_a_utf8_file_as_big5_not_gb18030_mojibake(line):
    """GB18030 read these Big5 lines strictly into mojibake full of private-use characters
    (該部位於… as 赣场ㄊ厩洛…), and it was taken unflagged because its few hanzi scored 0.4."""
    assert LineDecoder("utf-8").decode(line.encode("big5")) == (line, "big5hkscs", False)


def test_line_decoder_keeps_short_gb18030_posts_of_a_utf8_file():
    """Valid GB18030 hashtag posts (0.33-0.38 common characters) became U+FFFD: 14 of 3,000."""
    decoder = LineDecoder("utf-8")
    assert decoder.decode(HASHTAG.encode("gb18030")) == (HASHTAG, "gb18030", False)  # Big5's reading: 0.0
    assert decoder.decode(HASHTAG_ONLY_GB.encode("gb18030")) == (HASHTAG_ONLY_GB, "gb18030", False)  # as before it
    assert LineDecoder("utf-8").decode(HASHTAG_ONLY_GB.encode("gb18030")).error  # alone, no hint: flagged


def test_line_decoder_reads_a_big5_line_in_a_gb18030_file_but_keeps_weibo_link_icons():
    trad = _gsd_traditional(3)[1]
    decoder = LineDecoder("gb18030")
    assert decoder.decode(trad.encode("big5")) == (trad, "big5hkscs", False)
    assert decoder.decode(ICON_POST.encode("gb18030")) == (ICON_POST, "gb18030", False)


def test_a_big5_export_with_utf8_rows_appended_is_big5(tmp_path):
    """No encoding read the sample whole; charset-normalizer said gb18030 (0.098 common
    characters) and every Big5 row, the header too (內容 as ず甧), loaded as silent mojibake."""
    trad, posts = _gsd_traditional(), [HASHTAG + "必须停！！！", ICON_POST, SIMP] * 10
    path = tmp_path / "export.csv"
    path.write_bytes("內容\n".encode("big5") + "".join(t + "\n" for t in trad).encode("big5")
                     + "".join(p + "\n" for p in posts).encode("utf-8"))
    assert detect_encoding(path.read_bytes()) == "big5hkscs"
    report = load_corpus([str(path)], tmp_path / "ws")
    corpus = Workspace.open(tmp_path / "ws").read(S.CORPUS)
    assert corpus[S.TEXT_RAW].tolist() == trad + posts and report.total("decode_errors") == 0


def test_encoding_gbk_named_by_the_user_reads_as_gb18030(tmp_path):
    """Python's gbk refuses U+E627 and 😷: each refusal shifted the rest of the post by a byte
    (好省口令新衣衣 read as 偤檬】诹钚乱乱) and 418 of 13,252 real posts were broken."""
    rows = ["新京报 @人民日报 \ue627好省口令新衣衣", "戴口罩😷出门", SIMP]
    path = tmp_path / "weibo.csv"
    path.write_bytes(("text\n" + "\n".join(rows) + "\n").encode("gb18030"))
    for name in ("gbk", "cp936", "gb2312"):
        report = load_corpus([str(path)], tmp_path / name, encoding=name)
        corpus = Workspace.open(tmp_path / name).read(S.CORPUS)
        assert corpus[S.TEXT_RAW].tolist() == rows and set(corpus["encoding"]) == {"gb18030"}
        assert report.total("decode_errors") == 0


@pytest.mark.parametrize("post", ["#双黄连可抑制新型冠状病毒# 土豪聚会", "#重庆首例死亡病例#",
                                  "#火神山医院将直接接收捐赠物资# 加油啊我的国"])
def test_a_short_utf8_post_cut_inside_its_last_emoji_is_utf8(post):
    """The post and half of 😷 (F0 9F) decode strictly as GB18030 mojibake (鍙岄粍…馃), and
    one U+FFFD in a 20-character post was over the 1% a nearly clean reading could have."""
    data = post.encode() + "😷".encode()[:2]
    assert detect_encoding(data) == "utf-8"
    assert detect_encoding(b"id,text\n1," + data + b"\n2," + SIMP.encode() + b"\n") == "utf-8"


@pytest.mark.parametrize("text", ["一天一个样……什么时候这个数字能不再好几千好几千的涨啊……速度也太快了……",
                                  "#上海药物所回应#……对这个疯球的世界我无话可说！", HASHTAG])
@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_a_short_utf16_post_without_bom_is_utf16(text, codec):
    """…… was neither Chinese nor ASCII, so the post missed the 95% bar; GB18030 then read it
    with NUL characters, or it was refused as binary."""
    data = (text + "\n").encode(codec)
    assert detect_encoding(data) == codec and binary_kind(data) is None
