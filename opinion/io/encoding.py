"""Which encoding a file uses, and decoding it line by line so a broken byte flags one row.

Chinese corpora arrive as UTF-8 (with or without BOM), GB18030/GBK, Big5 or UTF-16.
:func:`detect_encoding` looks at a sample of the file; :class:`LineDecoder` then decodes each
line strictly, falls back to another Chinese encoding for a line that does not decode (files
that mix encodings), and only as a last resort replaces the broken bytes with U+FFFD and
flags the line::

    >>> detect_encoding("疫情防控".encode("gb18030"))
    'gb18030'
    >>> LineDecoder("gb18030").decode("武汉".encode("gb18030") + b"\\x80" + "加油".encode("gb18030"))
    DecodedLine(text='武汉�加油', encoding='gb18030', error=True)
"""

from __future__ import annotations

import codecs
import re
from collections import Counter
from pathlib import Path
from typing import NamedTuple

from opinion.errors import InputError

SAMPLE_BYTES = 256 * 1024
_NON_ASCII = re.compile(rb"[\x80-\xff]")


def detection_sample(data: bytes) -> tuple[bytes, bool]:
    """The bytes of a whole file in memory to detect its encoding on, and whether they are cut:
    its first :data:`SAMPLE_BYTES`, or when those are plain ASCII (an English preamble, a
    page's long inline script), as many from the line that holds the first other byte; a
    GB18030 article after 272 KB of ASCII was read as UTF-8 with 鄂A牌照 lost (2026-12-08)."""
    head = data[:SAMPLE_BYTES]
    if len(data) > SAMPLE_BYTES and head.isascii() and b"\x00" not in head:  # not UTF-16's NULs
        found = _NON_ASCII.search(data)
        if found is not None:
            start = data.rfind(b"\n", 0, found.start()) + 1
            if found.start() - start > SAMPLE_BYTES // 2:  # a page on one line: from the byte itself
                start = found.start()
            head = data[start:start + SAMPLE_BYTES]
            return head, start + len(head) < len(data)
    return head, len(data) > len(head)

# The 500 most frequent characters of jieba's dictionary (MIT), with their Traditional forms
# (OpenCC s2t). Real Chinese text draws most of its characters from this set; text decoded
# with the wrong CJK codec (Big5 read as GB18030 and vice versa) draws few of them.
COMMON_HANZI = frozenset(
    "一是人了不在有大中国和为这上他个地年来我会以到时要出的生学说道民家子也成行下们于后就发自之对得"
    "主长可过天作分方用多你着部能市等业全里工公经本都而高政法面门动日进区事代那去心小同北定开产前其"
    "军还然起种所如现理机体表力好外与文当两实重新三么只山水关明从化平建又制南内西没此将员名手最东头"
    "者月间无安看见各城十相但已些正口通想度加第她合院物性战由位常点海意场武使次二向治因立数样身情入"
    "原问把路被并利石老教万知级量任江及应省资委务元美特期世湖回系比气汉总展电科金先声提品设或义王社"
    "很统处四首共马形己儿司太目基领队直计别女权话少流命至报米给打变果书清活几州华解议更称程今决张导"
    "术府才保交放管结师便走达族反再题色五京河接条规式县白它改风光运信受什组听布百济党指论强做取技黄"
    "神选记斯真却职号界件花类何眼兵传带空干农边据集联古广完质阳难增历史专官每住商即步认车台林必死游"
    "举线言皇土团收考求德叫近备研争非具李众连调感转笑革该持始英克士尔让拉思根格造较际亲单朝红型价校"
    "约器字段周亚深候则功属积快图火千准究往极育装许参半令吃观鱼精办像帝八复影告远群包整构料随划算象"
    "容示投势热值夫网望源息语股铁断派速怎需片爱律纪支早况病境证编並亞來個們備傳價兒內兩別則動務勢區"
    "卻參員問喫單國圖團報場學實將專對導屬師帶幹幾廣張強後從復愛應戰據數斷於時書會東條業極構樣機權歷"
    "氣決沒況準漢濟無熱爭爲爾現產當發種稱積紀約紅級組結給統經網線編縣總羣義聯聲職聽臺與舉華萬處號衆"
    "術裏裝見規親觀計記設許話該認語說調論證議變讓資質車軍較轉辦農這連進遊運過達遠選還邊鐵長門開間關"
    "陽隊際隨難電領頭題類風馬體魚麼黃點黨"
)

# Tried in this order when the file's own encoding fails on a line. Big5 comes in two
# tables: Big5-HKSCS, and Microsoft's cp950, which Windows in Taiwan writes. They agree on
# every Chinese character of Big5; cp950 also reads a few kana (ぱ, は) that Big5-HKSCS
# cannot, places the other kana elsewhere, and reads 11 punctuation codes differently.
CJK_ENCODINGS = ("utf-8", "gb18030", "big5hkscs", "cp950")
# The punctuation codes the two Big5 tables read differently, as (Big5-HKSCS, cp950) pairs.
# Where cp950's reading is what people type (～ 0xA1E3, ‧ 0xA145), a file holding the code was
# written by cp950; where Big5-HKSCS's is (／ 0xA241: cp950 writes ／ as 0xA1FE), by another
# Big5 writer; ¥ / ￥ and the like tell nothing.
CP950_TYPED = {"∼": "～", "•": "‧", "､": "﹑", "‾": "¯", "♁": "⊕", "☉": "⊙"}
HKSCS_TYPED = {"／": "∕", "＼": "﹨"}
EITHER_TYPED = {"¥": "￥", "¢": "￠", "£": "￡"}
READS_AS_CHINESE = 0.4  # common_hanzi_ratio of real text is above; of a wrong codec's mojibake, below
# A short real post can score under 0.4 (#疫情期间停止影视剧拍摄#: 0.36); a wrong codec's strict
# reading of a real post scores under 0.3 (0.12 for 99% of 13,252 Weibo posts read as Big5).
# Such a reading is taken when it is clearly the best one: the encoding earlier lines of the file
# fell back to, or 0.2 above every other reading.
NEAR_CHINESE, CLEAR_MARGIN = 0.3, 0.2
# Share of U+FFFD and private-use characters above which a reading is broken: Weibo's link icon
# U+E627 is at most 0.06 of a real post; Big5 read as GB18030 is at least 0.1 of it.
MAX_BROKEN = 0.1
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_BINARY_MAGIC = {
    b"PK\x03\x04": "a zip archive (an .xlsx workbook? pass --format xlsx)",
    b"PAR1": "a Parquet file (pass --format parquet)",
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"GIF8": "a GIF image",
    b"\xff\xd8\xff": "a JPEG image",
    b"\xd0\xcf\x11\xe0": "an old Office file (an .xls workbook? pass --format xls; a .doc: save it as .txt)",
    b"7z\xbc\xaf": "a 7z archive",
    b"Rar!": "a RAR archive",
}
# Whole-file encodings: their lines cannot be split on b"\n" byte-wise.
WIDE_ENCODINGS = frozenset({"utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"})


class DecodedLine(NamedTuple):
    """One line of text, the encoding that decoded it, and whether bytes were replaced."""

    text: str
    encoding: str
    error: bool


def normalize_encoding_name(name: str) -> str:
    """Python's canonical name for ``name``, or an :class:`InputError` listing examples."""
    try:
        return codecs.lookup(name).name
    except LookupError:
        raise InputError(
            f"unknown encoding {name!r}; use auto or a name such as utf-8, gb18030, big5, utf-16"
        ) from None


def _whole_lines(sample: bytes, truncated: bool) -> bytes:
    """``sample`` without its last, partial line when it was cut from a longer file."""
    return sample[: sample.rindex(b"\n") + 1] if truncated and b"\n" in sample else sample


def common_hanzi_ratio(text: str) -> float:
    """Share of the CJK characters of ``text`` that are among the most frequent ones.

    ``common_hanzi_ratio("我们的")`` is 1.0; Big5 bytes read as GB18030 score about 0.3.
    Text without CJK characters scores 1.0.
    """
    cjk = [ch for ch in text[:20_000] if "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"]
    if not cjk:
        return 1.0
    return sum(ch in COMMON_HANZI for ch in cjk) / len(cjk)


def binary_kind(sample: bytes, *, encoding: str | None = None) -> str | None:
    """Say what a sample looks like if it is not text (``"a PNG image"``), else None.

    A sample said to be in a UTF-16/32 ``encoding`` is only checked for magic bytes.
    """
    for magic, kind in _BINARY_MAGIC.items():
        if sample.startswith(magic):
            return kind
    if not sample or encoding in WIDE_ENCODINGS or _bom_encoding(sample) or _utf16_without_bom(sample):
        return None
    head = sample[:65536]
    nuls = head.count(0)  # a stray NUL in a scraped cell does not make a binary file
    if nuls > 16 and nuls > 0.01 * len(head):
        return "binary data (NUL bytes)"
    controls = sum(1 for b in head if b < 32 and b not in (0, 9, 10, 12, 13, 27))
    if controls > 0.05 * len(head):
        return "binary data (control bytes)"
    return None


def has_bom(data: bytes) -> bool:
    """Whether ``data`` starts with a UTF-8, UTF-16 or UTF-32 byte order mark, which decides
    its encoding over any declaration: ``has_bom("\ufeff疫情".encode("utf-8")) is True``."""
    return _bom_encoding(data) is not None


def _bom_encoding(sample: bytes) -> str | None:
    for bom, name in _BOMS:
        if sample.startswith(bom):
            return name
    return None


def _utf16_without_bom(sample: bytes) -> str | None:
    head = sample[:4096]
    if len(head) < 4:
        return None
    even = head[0::2].count(0)
    odd = head[1::2].count(0)
    half = len(head) // 2
    if odd > 0.3 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.3 * half and odd < 0.05 * half:
        return "utf-16-be"
    if b"\x00" in head:  # Chinese-only UTF-16 has NULs only in its few ASCII characters
        chinese = [enc for enc in ("utf-16-le", "utf-16-be") if _reads_as_chinese(head, enc)]
        # every CJK reading of a NUL byte is a NUL character: a clean UTF-16 reading wins over
        # it, though it has few common characters (#疫情期间停止影视剧拍摄#: 0.36)
        clean = chinese or [enc for enc in ("utf-16-le", "utf-16-be") if _reads_as_chinese(head, enc, common=0)]
        return clean[0] if len(clean) == 1 or chinese else None
    return None


def _reads_as_chinese(data: bytes, encoding: str, *, common: float = READS_AS_CHINESE) -> bool:
    """Whether ``data`` decodes strictly (a cut last character aside) as Chinese text: CJK
    characters, punctuation (…… “” ·) and printable ASCII, ``common`` of them common ones."""
    text = _strictly_decodes(data[: len(data) - len(data) % 4 or None], encoding)
    if text is None:
        text = _strictly_decodes(data[: max(0, len(data) - len(data) % 4 - 2)], encoding)
    if not text:
        return False
    cjk = sum("\u3400" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f"
              or "\uff00" <= ch <= "\uffef" for ch in text)
    plain = sum(ch.isprintable() or ch in "\r\n\t" for ch in text if ch.isascii())
    punctuation = sum("\u2000" <= ch <= "\u206f" or ch == "\u00b7" for ch in text)  # …… “” ·
    return (cjk + plain + punctuation >= 0.95 * len(text) and cjk >= 0.3 * len(text)
            and common_hanzi_ratio(text) >= common)


def check_named_encoding(sample: bytes, encoding: str, *, truncated: bool = False) -> str | None:
    """Why a file whose sample is ``sample`` is not in ``encoding`` (None when it may be).

    Most non-ASCII lines must decode, and read as real Chinese when another encoding reads
    better: a GB18030 file named UTF-8, or a UTF-8 file named GB18030, is caught.
    """
    sample = _whole_lines(sample, truncated)
    if encoding in WIDE_ENCODINGS:
        text = sample.decode(encoding, errors="replace")
        odd = sum(not (ch.isprintable() or ch in "\r\n\t") for ch in text)
        if odd > 0.05 * len(text) + 1:
            return "its bytes do not read as text"
        return None
    lines = [line for line in sample.splitlines() if not line.isascii()]
    if not lines:
        return None
    failed = sum(_strictly_decodes(line, encoding) is None for line in lines)
    if failed > 0.1 * len(lines):
        return f"{failed} of {len(lines)} non-ASCII lines in its first part do not decode"
    own = common_hanzi_ratio(sample.decode(encoding, errors="replace"))
    guess = detect_encoding(sample)
    if codecs.lookup(guess).name != codecs.lookup(encoding).name and own < 0.3:
        other = common_hanzi_ratio(sample.decode(guess, errors="replace"))
        if other >= 0.6:
            return f"it reads as garbled characters (common-character share {own:.2f})"
    return None


_PRIVATE_USE = re.compile("[\ue000-\uf8ff\ufffd]")
_ONLY_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")  # a quicker test, for lines that decoded strictly


def broken_ratio(text: str) -> float:
    """Share of ``text`` that is U+FFFD or private-use code points: what a wrong codec leaves.

    ``broken_ratio("台灣的口罩")`` is 0.0; the same Big5 bytes read as GB18030 give 0.6.
    """
    return len(_PRIVATE_USE.findall(text)) / max(len(text), 1)


def _strictly_decodes(data: bytes, encoding: str, *, cut: bool = False) -> str | None:
    """``data`` decoded, or None if a byte does not decode; with ``cut``, a last character
    cut in half (a sample taken from a longer file) is left out rather than failing."""
    try:
        if cut:
            return codecs.getincrementaldecoder(encoding)().decode(data, final=False)
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def detect_encoding(sample: bytes, *, truncated: bool = False) -> str:
    """Guess the encoding of a file from its first bytes.

    BOMs win; then UTF-16 without BOM (NUL pattern); then strict UTF-8; then whichever of
    GB18030 and Big5 decodes strictly and reads most like real Chinese; for samples with
    broken bytes, the CJK encoding with fewest errors, then the one most of the lines that
    are not UTF-8 read as Chinese in; charset-normalizer for the rest.
    ``truncated`` says the sample was cut from a longer file (its last line may be partial).
    """
    if not sample:
        return "utf-8"
    bom = _bom_encoding(sample)
    if bom:
        return bom
    wide = _utf16_without_bom(sample)
    if wide:
        return wide
    sample = _whole_lines(sample, truncated)
    if _strictly_decodes(sample, "utf-8", cut=truncated) is not None:
        return "utf-8"
    decoded = {enc: _strictly_decodes(sample, enc, cut=truncated) for enc in CJK_ENCODINGS[1:]}
    fits = _one_big5({enc: text for enc, text in decoded.items() if text is not None})
    if fits:
        best = max(fits, key=lambda enc: (common_hanzi_ratio(fits[enc]), cjk_count(fits[enc])))  # kana-only mojibake: 0 CJK
        # One stray byte pair no Big5 table reads left GB18030 the only strict reading, and a
        # whole Big5 file was loaded as mojibake; a UTF-8 post cut inside its last emoji too: a
        # strict reading must also read as Chinese when another one does, but for a few broken characters.
        hanzi = common_hanzi_ratio(fits[best])
        return best if hanzi >= READS_AS_CHINESE else _nearly(sample, hanzi) or best
    # No encoding decodes every byte: prefer the CJK one with the fewest broken characters
    # (U+FFFD, and the private-use code points GB18030 gives Big5 bytes), then the one that
    # reads most like real Chinese.
    errors, chinese = {}, []
    for enc in CJK_ENCODINGS:
        text = sample.decode(enc, errors="replace")
        errors[enc] = (broken_ratio(text), -common_hanzi_ratio(text))
        if errors[enc][0] < MAX_BROKEN and -errors[enc][1] >= READS_AS_CHINESE and cjk_count(text):
            chinese.append(enc)
    best = min(errors, key=errors.__getitem__)
    if errors[best][0] < 0.01:
        return best
    # a short sample with one broken line, or a UTF-8 post cut inside its last emoji (GB18030
    # reads all but its last 2 bytes, as mojibake: fewer broken characters)
    near = [enc for enc in chinese if errors[enc][0] < 0.05]
    if near:
        return min(near, key=errors.__getitem__)
    voted = _line_vote(sample)  # a Big5 export with UTF-8 rows appended
    if voted:
        return voted
    from charset_normalizer import from_bytes

    guess = from_bytes(sample).best()
    name = normalize_encoding_name(guess.encoding) if guess is not None else best
    if chinese and common_hanzi_ratio(sample.decode(name, errors="replace")) < READS_AS_CHINESE:
        return min(chinese, key=errors.__getitem__)
    return name


def pick_reading(readings: dict[str, str], *, prefer: str | None = None) -> str | None:
    """Of the strict readings of one line (by encoding), the one that reads as Chinese, or None.

    The best has the most common characters less broken ones; it must be under
    :data:`MAX_BROKEN` broken and score :data:`READS_AS_CHINESE`, or :data:`NEAR_CHINESE` when
    it is ``prefer`` (what earlier lines fell back to) or beats every other reading by
    :data:`CLEAR_MARGIN`: ``#疫情期间停止影视剧拍摄#`` (0.36) read as GB18030 beats its Big5 reading (0.0).
    """
    quality = {enc: common_hanzi_ratio(text) - broken_ratio(text) for enc, text in readings.items()}
    ranked = sorted(quality, key=lambda enc: (quality[enc], enc == prefer), reverse=True)
    if not ranked or broken_ratio(readings[ranked[0]]) >= MAX_BROKEN:
        return None
    best, rivals = ranked[0], [quality[enc] for enc in ranked[1:]]
    hanzi = common_hanzi_ratio(readings[best])
    clearly = best == prefer or (bool(rivals) and quality[best] - max(rivals) >= CLEAR_MARGIN)
    return best if hanzi >= READS_AS_CHINESE or (clearly and hanzi >= NEAR_CHINESE) else None


def _line_vote(sample: bytes) -> str | None:
    """The CJK encoding in which most lines of ``sample`` that are not UTF-8 read as Chinese
    (:func:`pick_reading`), or None when most read in none: the lines of a Big5 export with
    UTF-8 rows appended, which no encoding reads whole."""
    votes: Counter[str] = Counter()
    lines = [line for line in sample.splitlines() if not line.isascii() and _strictly_decodes(line, "utf-8") is None]
    for line in lines:
        readings = {enc: text for enc in CJK_ENCODINGS[1:] if (text := _strictly_decodes(line, enc)) is not None}
        votes[pick_reading(readings) or ""] += 1
    winner, count = next(iter(votes.most_common(1)), ("", 0))
    if not winner or count <= len(lines) / 2:
        return None
    if winner in ("big5hkscs", "cp950"):  # which of the two tables, as for a file read whole
        return big5_table(b"\n".join(line for line in lines if _strictly_decodes(line, winner) is not None)) or winner
    return winner


def cjk_count(text: str) -> int:
    """How many CJK characters the first 20,000 of ``text`` hold: ``cjk_count("武汉加油!") == 4``."""
    return sum("\u3400" <= ch <= "\u9fff" for ch in text[:20_000])


def _one_big5(fits: dict[str, str]) -> dict[str, str]:
    """Of the two Big5 tables, keep the one to read the file with: cp950 when Big5-HKSCS does
    not read it, or when they differ only in punctuation and some of it is typed as cp950
    reads it (a Taiwanese ``好棒～`` stays ～, not ∼) and none as Big5-HKSCS does (／);
    Big5-HKSCS otherwise (as for files whose kana the two tables place differently)."""
    hkscs, cp950 = fits.get("big5hkscs"), fits.get("cp950")
    if hkscs is None or cp950 is None:
        return fits
    differ = {(a, b) for a, b in zip(hkscs, cp950) if a != b}
    known = {**CP950_TYPED, **HKSCS_TYPED, **EITHER_TYPED}
    windows = (len(hkscs) == len(cp950) and all(known.get(a) == b for a, b in differ)
               and any(a in CP950_TYPED for a, _ in differ) and not any(a in HKSCS_TYPED for a, _ in differ))
    return {enc: text for enc, text in fits.items() if enc != ("big5hkscs" if windows else "cp950")}


BIG5_NAMES = frozenset({"big5"})  # codecs.lookup(...).name of a name that says Big5 but not which table


def big5_table(data: bytes) -> str | None:
    """The Big5 table to read ``data`` with, as :func:`detect_encoding` chooses it (``cp950``
    or ``big5hkscs``), or None when neither reads it: for a page that declares ``charset=big5``,
    which says Big5 but not which table (a Taiwanese page's 好棒～ read as 好棒∼ otherwise)."""
    fits = {enc: text for enc in ("big5hkscs", "cp950") if (text := _strictly_decodes(data, enc)) is not None}
    return next(iter(_one_big5(fits)), None)


GBK_NAMES = frozenset({"gbk", "gb2312"})  # codecs.lookup(...).name of gbk, cp936, gb2312, euc-cn


def named_codec(sample: bytes, named: str, *, truncated: bool = False) -> str:
    """The codec to read a file with for ``--encoding named``: ``named``, but for a GBK name
    GB18030 and for ``big5`` the Big5 table that reads ``sample`` (:func:`big5_table`).

    ``gbk``, ``gb2312`` and ``cp936`` are what users call GB18030 text (Windows' "ANSI"), and
    GB18030 reads all they read; Python's ``gbk`` refuses Weibo's link icon U+E627 and 😷, and
    each refusal shifted the rest of the post by a byte (好省口令 read as 偤檬】诹). Browsers
    read these names as GB18030 too (WHATWG Encoding Standard). ``big5`` says Big5, not which
    of its two tables (``big5hkscs`` and ``cp950`` do, and are kept).
    """
    if named in GBK_NAMES:
        return "gb18030"
    if named not in BIG5_NAMES:
        return named
    sample = _whole_lines(sample, truncated)
    return big5_table(sample) or named


def _nearly(sample: bytes, rival: float) -> str | None:
    """The CJK encoding that reads ``sample`` as Chinese (the most Chinese-like of them) but for
    one broken character in a hundred, or one in a short sample (a post cut inside its last
    emoji), or None. Under :data:`READS_AS_CHINESE`, a reading must beat ``rival`` (the strict
    reading's score) by :data:`CLEAR_MARGIN`."""
    good = {}
    for enc in CJK_ENCODINGS:
        text = sample.decode(enc, errors="replace")
        hanzi = common_hanzi_ratio(text)
        if (len(_PRIVATE_USE.findall(text)) <= max(1, len(text) // 100)
                and (hanzi >= READS_AS_CHINESE or (hanzi >= NEAR_CHINESE and hanzi - rival >= CLEAR_MARGIN))):
            good[enc] = hanzi
    return max(good, key=good.__getitem__) if good else None


class LineDecoder:
    """Decode lines with a file's encoding, falling back line by line.

    A line that the file's encoding cannot decode is tried in the other Chinese encodings
    (UTF-8, GB18030, Big5-HKSCS, cp950); valid UTF-8 is taken, else the reading that reads best
    as Chinese (:func:`pick_reading`). Otherwise the broken bytes become U+FFFD and the line
    is flagged. A GB18030 or Big5 line that decodes into mostly private-use characters (a Big5
    line in a GB18030 file) gives way to a reading that reads as Chinese.
    With ``fallback=False`` (an encoding the user named) no other encoding is tried.
    """

    def __init__(self, encoding: str, *, fallback: bool = True) -> None:
        self.encoding = encoding
        self.fallbacks = tuple(
            enc for enc in CJK_ENCODINGS if codecs.lookup(enc).name != codecs.lookup(encoding).name
        ) if fallback else ()
        # GB18030 and Big5 "decode" UTF-8 bytes into mojibake without an error, so a UTF-8
        # line inside such a file is recognised first (valid UTF-8 by chance is rare).
        self._utf8_first = fallback and not codecs.lookup(encoding).name.startswith("utf")
        self._fell_back: str | None = None  # the encoding the last line that fell back was read in

    def decode(self, data: bytes) -> DecodedLine:
        """Decode one line (or record) of bytes."""
        try:
            own: str | None = data.decode(self.encoding)
        except UnicodeDecodeError:
            own = None
        if self._utf8_first and not data.isascii():
            text = _strictly_decodes(data, "utf-8")
            # Short GB18030 lines can be valid UTF-8 by chance ("哦" reads as "Ŷ"): take the
            # UTF-8 reading only if it has Chinese characters that read better than the other.
            if (text is not None and any("\u3400" <= ch <= "\u9fff" for ch in text)
                    and (own is None or common_hanzi_ratio(text) > common_hanzi_ratio(own))):
                return DecodedLine(text, "utf-8", False)
        # GB18030 reads Big5 bytes without an error, into private-use characters: only such a
        # line is compared with the other readings (Weibo's link icon U+E627 is too rare to be one).
        if own is not None and (not self._utf8_first or _ONLY_PRIVATE_USE.search(own) is None
                                or broken_ratio(own) < MAX_BROKEN):
            return DecodedLine(own, self.encoding, False)
        readings = {}
        for enc in self.fallbacks:
            text = _strictly_decodes(data, enc)
            if text is not None and enc == "utf-8":  # valid UTF-8 rarely happens by chance
                if own is None:
                    return DecodedLine(text, enc, False)
            elif text is not None:
                readings[enc] = text
        chosen = pick_reading(readings, prefer=self._fell_back)
        if chosen is not None:
            self._fell_back = chosen
            return DecodedLine(readings[chosen], chosen, False)
        if own is not None:  # no other reading does better: as it decoded
            return DecodedLine(own, self.encoding, False)
        return DecodedLine(data.decode(self.encoding, errors="replace"), self.encoding, True)


def read_user_text(path: str | Path, what: str, *, max_bytes: int = 64 * 2**20) -> str:
    """A small file the user wrote (themes, topic edits, a word list), in UTF-8, GB18030,
    Big5 or UTF-16: Excel and Notepad on a Chinese Windows save GB18030 (``ANSI``).

    Raises :class:`InputError` naming the file and ``what`` it should be when it cannot be
    read or decoded: ``read_user_text("edits.csv", "topic edits file")``.
    """
    path = Path(path)
    try:
        with open(path, "rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(f"{path}: cannot read the {what} ({exc.strerror or exc})") from None
    if len(data) > max_bytes:
        raise InputError(f"{path}: the {what} is over {max_bytes // 2**20} MB; is it the right file?")
    encoding = detect_encoding(data)
    try:
        return data.decode(encoding).lstrip("\ufeff")
    except (UnicodeDecodeError, LookupError):
        raise InputError(f"{path}: the {what} is not text in UTF-8, GB18030 or Big5 "
                         f"(it reads as {encoding} with broken bytes); save it as UTF-8") from None
