"""Chinese script: detect Simplified/Traditional, convert to the analysis script, render.

The analysis script is Simplified (jieba's dictionary is Simplified). A document is shown
as written when the reader's script is its own (:func:`render_document`), and converted
only across scripts: Traditional → Simplified as mainland text is written (:func:`to_simplified`:
OpenCC, a small table of 著 words, 「」 → “”), Simplified → Traditional character by
character (``s2tw``/``s2hk``, no phrase rewriting). Words, topic labels and interface text
(:func:`render`) are Simplified and converted the same way, so 比特 stays 比特 (``s2twp``
would write 位元). All conversions use the ``opencc`` C++ binding, cached per process.

Example:
    >>> detect_script("直播電商風生水起")
    'zh-Hant'
    >>> to_analysis("直播電商風生水起")
    '直播电商风生水起'
    >>> render("比特币和软件", "zh-Hant-TW")
    '比特幣和軟件'
    >>> render_document("台北天文台的用戶數據化", "zh-Hant", "zh-Hant-TW")
    '台北天文台的用戶數據化'
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from opinion.errors import InputError
from opinion.text.conversion import HANT_CONVERTERS as HANT_CONVERTERS  # re-exported for config
from opinion.text.conversion import align, analysis_hant, check_hant, hant_config

HANS = "zh-Hans"
HANT = "zh-Hant"
MIXED = "mixed"
NONE = "none"
SCRIPTS = (HANS, HANT, MIXED, NONE)

# Simplified → target, character by character with regional variants (no phrase rewriting:
# s2twp would turn 比特 into 位元 and 用户 into 使用者); ``render(..., phrases=True)`` uses
# the phrase configurations.
RENDER_TARGETS = {"zh-Hans": None, "zh-Hant-TW": "s2tw", "zh-HK": "s2hk"}
PHRASE_TARGETS = {"zh-Hans": None, "zh-Hant-TW": "s2twp", "zh-HK": "s2hk"}

# A document is "mixed" when the minority script has more than this share of the evidence.
MIXED_MINORITY_SHARE = 0.2

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


@functools.cache
def converter(config: str):
    """The cached ``opencc.OpenCC`` object for ``config`` (e.g. ``"t2s"``)."""
    import opencc

    return opencc.OpenCC(config)


@functools.lru_cache(maxsize=1)
def _simplified_only() -> frozenset[str]:
    """Han characters that no Traditional standard (OpenCC, Taiwan, Hong Kong) uses as is.

    ``台`` is not in the set (Taiwan and Hong Kong write it), ``发`` is.
    """
    changed = None
    for config in ("s2t", "s2tw", "s2hk"):
        here = {c for c, o in zip(HAN_CHARS, _each_han_char(config)) if o != c}
        changed = here if changed is None else changed & here
    return frozenset(changed or ())


HAN_CHARS = tuple(chr(c) for c in [*range(0x4E00, 0xA000), *range(0x3400, 0x4DC0)])  # BMP Han


def _each_han_char(config: str) -> list[str]:
    """OpenCC ``config`` of each character of :data:`HAN_CHARS` on its own, in one call (each
    table built from it is cached by its own function)."""
    return converter(config).convert("\n".join(HAN_CHARS)).split("\n")


@functools.lru_cache(maxsize=1)
def _hong_kong_variants() -> dict[int, str]:
    """Hong Kong-standard characters that ``hk2s`` simplifies and ``tw2s``/``t2s`` leave as
    they are (敍 → 叙, 枱 → 台, 粧 → 妆 …), read from OpenCC's own tables: a Hong Kong post
    without a marker such as 嘅 goes through ``tw2s`` and would keep them in the analysis text.
    """
    return {ord(c): hk for c, hk, tw in zip(HAN_CHARS, _each_han_char("hk2s"), _each_han_char("tw2s"))
            if hk != c and tw == c and len(hk) == 1}


def _count_changed(text: str, converted: str, *, only: frozenset[str] | None = None) -> int:
    """Characters of ``text`` that ``converted`` replaced (optionally only those in ``only``)."""
    if converted == text:
        return 0
    if len(converted) != len(text):  # phrase conversions may change length: count by set
        changed = set(text) - set(converted)
        return sum(1 for c in text if c in changed and (only is None or c in only))
    if only is None:
        return sum(1 for a, b in zip(text, converted) if a != b)
    return sum(1 for a, b in zip(text, converted) if a != b and a in only)


def script_evidence(text: str) -> tuple[int, int, str]:
    """``(traditional_chars, simplified_chars, t2s_text)`` for ``text``.

    Traditional evidence: characters OpenCC ``t2s`` changes (phrase-aware, so ``著名`` in
    Simplified text is no evidence), and those it leaves that only Traditional writes: the
    Hong Kong-standard 衞 衹 粧 枱 糭 敍 and 牠 揹 (:func:`_traditional_kept`). Simplified
    evidence: characters ``s2t`` changes that no Traditional standard writes (so ``台`` and
    the ``后`` of ``皇后`` are no evidence). The Simplified side is only computed when there is
    Traditional evidence. ``script_evidence("衞生署")[:2] == (1, 0)``
    """
    t2s_text = converter("t2s").convert(text)
    n_trad = _count_changed(text, t2s_text) + len(_traditional_kept().findall(text))
    if n_trad == 0:
        return 0, 0, t2s_text
    n_simp = _count_changed(text, converter("s2t").convert(text), only=_simplified_only())
    return n_trad, n_simp, t2s_text


@functools.lru_cache(maxsize=1)
def _traditional_kept() -> re.Pattern[str]:
    """Traditional characters that ``t2s`` leaves as they are, which :func:`mainland_conventions`
    simplifies: the Hong Kong-standard variants (:func:`_hong_kong_variants`) and 牠, 揹."""
    return re.compile("[" + "".join(map(chr, _hong_kong_variants())) + "牠揹]")


def _decide(text: str, n_trad: int, n_simp: int) -> str:
    if n_trad == 0 and n_simp == 0:
        # No distinguishing character: valid Simplified as written (e.g. "中国人"), or no Han.
        return HANS if _HAN.search(text) else NONE
    total = n_trad + n_simp
    if n_simp / total <= MIXED_MINORITY_SHARE:
        return HANT
    if n_trad / total <= MIXED_MINORITY_SHARE:
        return HANS
    return MIXED


def detect_script(text: str) -> str:
    """The script of ``text``: ``"zh-Hans"``, ``"zh-Hant"``, ``"mixed"`` or ``"none"``.

    Works on short texts because a single distinguishing character decides:
    ``detect_script("發") == "zh-Hant"``, ``detect_script("发") == "zh-Hans"``,
    ``detect_script("OK!") == "none"``.
    """
    n_trad, n_simp, _ = script_evidence(text)
    return _decide(text, n_trad, n_simp)


def _opencc_simplified(text: str, config: str) -> str:
    """OpenCC's ``config`` pass over ``text``; after ``hk2s``, a 著 meaning 着 (随著, 看著, 睇著:
    Hong Kong writers use both) becomes 着 where ``tw2s``, whose phrases keep 著名 and 显著,
    writes 着, so one marker such as 綫 does not change how the document's 著 is read."""
    out = converter(config).convert(text)
    if config != "hk2s" or "著" not in out:
        return out
    taiwan = converter("tw2s").convert(text)
    if len(taiwan) != len(out):
        return out
    return "".join("着" if old == "著" and new == "着" else old for old, new in zip(out, taiwan))


# Mainland conventions OpenCC leaves out (a general rule each, not a list of answers):
# - Taiwan writes 著 for both zhe/zhuó (Simplified 着) and zhù (著); tw2s turns every 著
#   into 着 unless a phrase says otherwise, and misses these zhù words. Only words where
#   着 cannot be meant are listed (not 编著/论著/译著: 编着辫子, 讨论着, 翻译着).
# - 牠 (Taiwan's pronoun for animals) is 它 in the mainland, and 揹 (to carry on the back,
#   which s2hk writes and no OpenCC table takes back) is 背: both are listed as variants in the
#   mainland's 通用规范汉字表.
# - Quotation marks: 「」 → “”, and 『』 nested in 「」 → ‘’ (GB/T 15834). A 『』 that is not
#   inside 「」 is left as written. The other way (Simplified shown in Traditional) swaps them
#   back (:func:`swap_quotes`).
_ZHU_WORDS = re.compile(r"(?<=[土卓专遗拙撰彰])着|(?<![复还]原)(?<=原)着")
_VARIANTS = str.maketrans({"牠": "它", "揹": "背"})
MAINLAND_QUOTES = "“”‘’"     # GB/T 15834: outer, then nested
TRADITIONAL_QUOTES = "「」『』"  # Taiwan and Hong Kong


def swap_quotes(text: str, source: str, target: str) -> str:
    """Quotation marks of one convention (outer open/close, nested open/close) in another.

    Nested marks change only inside an outer pair, and ‘’ only as a pair, so an apostrophe
    (``don’t``) or a mark outside quotation stays as written.
    ``swap_quotes("他说“这是‘新’的”", MAINLAND_QUOTES, TRADITIONAL_QUOTES) == "他说「这是『新』的」"``
    """
    if not any(mark in text for mark in source):
        return text
    open_outer, close_outer, open_inner, close_inner = source[0], source[1], source[2], source[3]
    paired = close_inner == "’"  # the apostrophe: a nested mark only when it closes a pair
    depth = inner = 0
    out: list[str] = []
    for ch in text:
        if ch == open_outer:
            depth += 1
            ch = target[0]
        elif ch == close_outer:
            depth, inner = max(0, depth - 1), 0
            ch = target[1]
        elif ch == open_inner and depth and (not paired or _closes(text, len(out), open_inner, close_inner)):
            inner += 1
            ch = target[2]
        elif ch == close_inner and (inner if paired else depth):
            inner = max(0, inner - 1)
            ch = target[3]
        out.append(ch)
    return "".join(out)


def _closes(text: str, at: int, opening: str, closing: str) -> bool:
    """Is the nested mark opened at ``at`` closed (before another one opens)?"""
    stop = text.find(closing, at + 1)
    return stop != -1 and opening not in text[at + 1:stop]


def mainland_conventions(simplified: str) -> str:
    """Fix-ups after an OpenCC Traditional→Simplified pass: 著 words, 牠, Hong Kong variants
    (敍旧 → 叙旧, :func:`_hong_kong_variants`), quotation marks.

    ``mainland_conventions("北极土着说「他们『来』了」") == "北极土著说“他们‘来’了”"``
    """
    if "着" in simplified:
        simplified = _ZHU_WORDS.sub("著", simplified)
    simplified = simplified.translate(_VARIANTS).translate(_hong_kong_variants())
    return swap_quotes(simplified, TRADITIONAL_QUOTES, MAINLAND_QUOTES)


def detect_and_convert(text: str, *, hant: str | None = None) -> tuple[str, str]:
    """``(script, text_in_simplified)`` with one OpenCC pass for Simplified text.

    ``hant`` picks the converter for Traditional text: ``"auto"`` (``hk2s`` when Hong Kong
    markers such as 嘅/咗/係 appear, otherwise ``tw2s``), ``"t2s"``, ``"tw2s"``,
    ``"tw2sp"`` (also Taiwan phrases: 軟體 → 软件) or ``"hk2s"``; None: the analysis conversion
    in effect (:func:`opinion.text.conversion.analysis_hant`, ``"auto"`` unless set).
    """
    hant = check_hant(analysis_hant() if hant is None else hant)
    n_trad, n_simp, t2s_text = script_evidence(text)
    script = _decide(text, n_trad, n_simp)
    if n_trad == 0:
        return script, text
    config = hant_config(text, hant)
    norm = t2s_text if config == "t2s" else _opencc_simplified(text, config)
    return script, mainland_conventions(norm)


def to_analysis(text: str, script: str | None = None, *, hant: str | None = None) -> str:
    """``text`` in the analysis script (Simplified).

    ``script`` is the detected script when known (saves a detection); ``hant`` as in
    :func:`detect_and_convert`. Example:
    ``to_analysis("國貨發光") == "国货发光"``.
    """
    if script is None:
        return detect_and_convert(text, hant=hant)[1]
    if script not in SCRIPTS:
        raise InputError(f"script must be one of {list(SCRIPTS)}; got {script!r}")
    hant = check_hant(analysis_hant() if hant is None else hant)
    if script in (HANS, NONE):
        return text
    return mainland_conventions(_opencc_simplified(text, hant_config(text, hant)))


to_simplified = to_analysis  # the same text, named for where it is shown


def check_target(target: str) -> str:
    """Return ``target`` if it is a render target, else raise a one-line error."""
    if target not in RENDER_TARGETS:
        nearest = _nearest_target(target)
        hint = f"; did you mean {nearest}?" if nearest else ""
        raise InputError(
            f"--script must be one of {list(RENDER_TARGETS)}; got {target!r}{hint}"
        )
    return target


def _taiwan_tai(original: str, converted: str) -> str:
    """Put back the 台 that ``s2tw`` wrote as 臺: Taiwan writes both, and 台 most of the time
    (台灣, 台北), as ``s2hk`` does; 颱 (颱風) and 檯 (櫃檯) stay."""
    if "台" not in original or len(converted) != len(original):
        return converted
    return "".join("台" if old == "台" and new == "臺" else new for old, new in zip(original, converted))


# OpenCC's s2t dictionaries hold 个中 → 箇中 ("therein": 个中滋味), and its longest-match
# segmentation takes it inside 一个中国 or 是个中国人 (BYVoid/OpenCC#982: 堅持一箇中國原則).
# 个 before 中 is the classifier 個 after a numeral, a demonstrative or a quantifier, and
# wherever 中 starts a word (中国人, 中年, 中餐; jieba's cut in context); 箇中 stays where 中
# stands alone (个中/原因, 个中的含义).
_CLASSIFIER_GE = re.compile(r"(?<=[一二三四五六七八九十百千万亿两俩几多每这那哪某各整半上下零〇0-9０-９])个(?=中)")


def _words_around(text: str, at: int) -> list[tuple[int, int]]:
    """The ``(start, end)`` of the words of jieba's cut of the context of ``at`` (jieba's own
    dictionary: the tokenizer's reads dictionary words through this module)."""
    import jieba

    jieba.setLogLevel(60)
    spans, offset = [], max(0, at - 4)
    for word in jieba.cut(text[offset:at + 8]):
        spans.append((offset, offset + len(word)))
        offset += len(word)
    return spans


def _starts_a_word(text: str, at: int) -> bool:
    """Does a word of two or more characters start at ``at`` in jieba's cut of its context?"""
    return any(start == at and end - start >= 2 for start, end in _words_around(text, at))


# After a number in digits, 天后 is "days later" (14天后解除隔离), not the goddess 天后 that
# OpenCC's phrase list keeps as is; Chinese numerals (三天后) are converted right already.
_DAYS_LATER = re.compile(r"(?<=[0-9０-９]天)后")
# Two-character phrases of OpenCC's s2t list that its longest match takes across a word
# boundary: 包括|发动机 (括髮, a mourning hairstyle), 本国|历史 (國曆, the calendar), 并|成为
# (併成, merged into). Where jieba puts a boundary between the two, each character is
# converted inside its own word (發動機, 歷史, 並; 合并|成 keeps 合併). Converting every
# character by its word is not done: on GSD it corrects 4 characters and breaks 5.
_CROSSING = re.compile("(?=括发|国历|并成)")


def _by_words(original: str, chars: list[str], at: int, config: str) -> None:
    """Convert ``original[at]`` and ``original[at + 1]`` each inside its own jieba word when a
    word boundary falls between them."""
    spans = _words_around(original, at)
    if not any(end == at + 1 for _, end in spans):
        return
    for start, end in spans:
        if start <= at + 1 and end > at:
            alone = converter(config).convert(original[start:end])
            if len(alone) == end - start:
                for k in range(max(start, at), min(end, at + 2)):
                    chars[k] = alone[k - start]


def _segmentation_fixes(original: str, converted: str, config: str) -> str:
    """Put back what OpenCC's segmentation gets wrong around a number, a classifier or a word
    boundary: 個 for the classifier 个 before 中 (一个中国 → 一個中國), 後 in 14天后 (14天後),
    a phrase taken across two words (包括发动机 → 包括發動機)."""
    if len(converted) != len(original) or not any(p in original for p in ("个中", "天后", "括发", "国历", "并成")):
        return converted
    chars = list(converted)
    for match in re.finditer("个(?=中)", original):
        at = match.start()
        if chars[at] == "箇" and (_CLASSIFIER_GE.match(original, at) or _starts_a_word(original, at + 1)):
            chars[at] = "個"
    for match in _DAYS_LATER.finditer(original):
        if chars[match.start()] == "后":
            chars[match.start()] = "後"
    for match in _CROSSING.finditer(original):
        _by_words(original, chars, match.start(), config)
    return "".join(chars)


def _nearest_target(target: str) -> str | None:
    """The render target a mistyped one most likely meant: ``zh-TW`` -> ``zh-Hant-TW``."""
    import difflib

    wanted = target.strip().lower().replace("_", "-")
    for name in RENDER_TARGETS:  # a region or script tag that names one target
        if wanted == name.lower() or wanted.split("-")[-1] in ("tw", "hk") and \
                name.lower().endswith(wanted.split("-")[-1]):
            return name
    if wanted in ("zh", "zh-cn", "zh-sg", "cn", "hans", "zh-hans-cn", "simplified"):
        return "zh-Hans"
    if wanted in ("zh-hant", "hant", "traditional", "zh-mo"):
        return "zh-Hant-TW" if wanted != "zh-mo" else "zh-HK"
    close = difflib.get_close_matches(target, list(RENDER_TARGETS), n=1, cutoff=0.5)
    return close[0] if close else None


def _s2t(text: str, target: str, *, phrases: bool = False) -> str:
    config = (PHRASE_TARGETS if phrases else RENDER_TARGETS)[target]
    if config is None:
        return text
    return _after_opencc(text, converter(config).convert(text), target, config)


def _after_opencc(original: str, converted: str, target: str, config: str) -> str:
    """What follows OpenCC's ``config`` pass for one text: segmentation fixes, quotation marks, 台."""
    converted = _segmentation_fixes(original, converted, config)
    converted = swap_quotes(converted, MAINLAND_QUOTES, TRADITIONAL_QUOTES)
    return _taiwan_tai(original, converted) if target == "zh-Hant-TW" else converted


def render(text: str, target: str, *, phrases: bool = False) -> str:
    """Simplified ``text`` (a word, a label, interface text) shown in ``target``.

    ``"zh-Hans"``: as is; ``"zh-Hant-TW"``/``"zh-HK"``: OpenCC ``s2tw``/``s2hk``, character
    by character with the region's variants, so a word keeps its wording
    (``render("比特", "zh-Hant-TW") == "比特"``; ``phrases=True`` uses ``s2twp``: 位元).
    Example: ``render("国货", "zh-HK") == "國貨"``.
    """
    return _s2t(text, check_target(target), phrases=phrases)


def _keep_traditional(original: str, converted: str) -> str:
    """``converted`` with every character of ``original`` that a Traditional standard writes
    put back (for mixed texts: only the Simplified characters are converted)."""
    if len(converted) != len(original):
        return converted
    simplified_only = _simplified_only()
    return "".join(new if old in simplified_only else old for old, new in zip(original, converted))


@functools.lru_cache(maxsize=1)
def _traditional_only() -> re.Pattern[str]:
    """Han characters that OpenCC ``t2s`` changes on their own: written only in Traditional
    (熱, 羣, 衛, 惡); a Simplified post that has them quotes Traditional text."""
    return re.compile("[" + "".join(c for c, s in zip(HAN_CHARS, _each_han_char("t2s")) if s != c) + "]")


def _keep_written_traditional(original: str, converted: str) -> str:
    """``converted`` with the Traditional-only characters of ``original`` put back: a
    Traditional quote in a Simplified post is shown as written (熱心羣眾 stays, not s2tw's
    熱心群眾; 衛冕 stays, not s2hk's 衞冕)."""
    if len(converted) != len(original):
        return converted
    found = list(_traditional_only().finditer(original))
    if not found:
        return converted
    chars = list(converted)
    for match in found:
        chars[match.start()] = match.group()
    return "".join(chars)


@functools.lru_cache(maxsize=4096)
def render_name(name: str, target: str) -> str:
    """A name the user wrote (a theme of their theme file) in ``target`` whichever script it was
    written in: as written in its own script, converted across (``render_name("國貨", "zh-Hans")
    == "国货"``); names the workspace keeps in Simplified (topic labels, words) take :func:`render`."""
    return render_document(name, None, target)


def render_document(text: str, script: str | None, target: str, *, hant: str | None = None) -> str:
    """A document's cleaned text (``text_clean``, in its own ``script``) shown in ``target``.

    The reader's own script shows the text verbatim: a ``zh-Hant`` document in ``zh-Hant-TW``
    or ``zh-HK``, a ``zh-Hans`` one in ``zh-Hans``. Across scripts it is converted:
    Traditional → :func:`to_simplified`; Simplified → ``s2tw``/``s2hk`` (:func:`render`);
    in a ``mixed`` text only the Simplified characters change, and in a ``zh-Hans`` one the
    Traditional-only characters of a quote stay as written. ``script=None`` detects it;
    ``hant`` as in :func:`to_analysis`.
    Example: ``render_document("用戶數據化", "zh-Hant", "zh-Hans") == "用户数据化"``.
    """
    check_target(target)
    if not isinstance(text, str) or not text:
        return text if isinstance(text, str) else ""
    if script not in SCRIPTS:
        script = detect_script(text)
    if target == HANS:
        return text if script in (HANS, NONE) else to_simplified(text, script, hant=hant)
    if script in (HANT, NONE):
        return text
    converted = _s2t(text, target)
    return _keep_traditional(text, converted) if script == MIXED else _keep_written_traditional(text, converted)


def aligned_simplified(text: str, script: str | None = None, *, hant: str | None = None) -> str:
    """``text`` in Simplified with one character for each of ``text``'s, so that a match
    found at ``i:j`` in the result is ``text[i:j]`` in the original (KWIC, highlights).
    Where a phrase changes the length (``hant="tw2sp"``: 部落格 → 博客), the phrase keeps
    its place and the characters it dropped are :data:`~opinion.text.conversion.FILLER`.

    ``aligned_simplified("用戶數據化") == "用户数据化"``
    """
    if script is None:
        script = detect_script(text)
    if script in (HANS, NONE):
        return text
    out = to_simplified(text, script, hant=hant)
    if len(out) == len(text):
        return out
    config = hant_config(text, hant)  # the whole document's converter, for each of its words
    return align(text, out, lambda piece: to_simplified(piece, script, hant=config))


def render_many(texts: Iterable[str], target: str, *, phrases: bool = False) -> list[str]:
    """:func:`render` for many texts, in one OpenCC call when none contains a newline."""
    items = [str(t) for t in texts]
    check_target(target)
    config = (PHRASE_TARGETS if phrases else RENDER_TARGETS)[target]
    if config is None or not items:
        return items
    if any("\n" in t for t in items):
        return [_s2t(t, target, phrases=phrases) for t in items]
    out = converter(config).convert("\n".join(items)).split("\n")
    if len(out) != len(items):  # pragma: no cover - OpenCC keeps newlines
        return [_s2t(t, target, phrases=phrases) for t in items]
    # each text finishes on its own: a quotation mark left open in one never pairs with the next
    return [_after_opencc(original, converted, target, config) for original, converted in zip(items, out)]
