"""Cleaning scraped Chinese text: small ``str -> str`` steps, composed by a pipeline.

Each step does one thing and can be used, tested and switched off on its own::

    >>> remove_pinyin("市場規(guī)模(CNNIC)")
    '市場規模(CNNIC)'
    >>> clean_text("首頁 / 帶貨新聞 / 直播\\n直播電商風生水起!!!")
    '直播電商風生水起！'

:func:`clean_text` runs :data:`DEFAULT_STEPS` in order: pinyin annotations,
Unicode/width, page furniture, Weibo artifacts, contacts (URLs, @mentions, e-mail, phone numbers),
repeated punctuation, whitespace. ``#话题#`` hashtags and ``[哈哈]`` emoticons pass
through untouched so that the tokenizer keeps them as single units.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Sequence

from opinion.errors import InputError

Step = Callable[[str], str]
CONTACT_MODES = ("placeholder", "remove", "keep")
PLACEHOLDERS = {"url": "<URL>", "email": "<EMAIL>", "mention": "<USER>", "phone": "<PHONE>"}

_HAN = r"\u3400-\u4dbf\u4e00-\u9fff"


def make_pipeline(*funcs: Step) -> Step:
    """Chain ``str -> str`` steps left to right: ``make_pipeline(a, b)(t) == b(a(t))``."""

    def pipeline(text: str) -> str:
        for func in funcs:
            text = func(text)
        return text

    pipeline.steps = funcs  # type: ignore[attr-defined]
    return pipeline


# --- Unicode and width ----------------------------------------------------------------
# Full-width ASCII variants become ASCII (as NFKC does), except the Chinese sentence
# punctuation ，！？：； which stays full-width; ASCII ,;:!? right after Han text becomes
# full-width ("规模,迅速" → "规模，迅速"). Brackets become half-width: "(CNNIC)".
_KEEP_FULLWIDTH = "，！？：；"
_WIDTH_TABLE = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F) if chr(c) not in _KEEP_FULLWIDTH}
_WIDTH_TABLE.update({0x3000: 0x20, 0x00A0: 0x20})
_WIDTH_TABLE.update(dict.fromkeys(map(ord, "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u00ad")))
_CJK_PUNCT = re.compile(rf"(?<=[{_HAN}”」』）》])[,;:!?]+")
_TO_FULLWIDTH = str.maketrans({",": "，", ";": "；", ":": "：", "!": "！", "?": "？"})
# Characters NFKC would still change: other compatibility forms (①, ㈱, ™, ｶ, 𝐀, compatibility
# ideographs, Kangxi radicals). The ellipsis … and dashes are left as Chinese text uses them.
_COMPAT = re.compile(
    "[\u00a8-\u00bf\u2100-\u24ff\u2e80-\u2fdf\u3200-\u33ff\uf900-\ufaff\ufb00-\ufe4f"
    "\ufe50-\ufe6f\uff5f-\uffef\U0001d400-\U0001d7ff\U0001f100-\U0001f1ff]"
)


def _restore_chinese_punct(text: str) -> str:
    return _CJK_PUNCT.sub(lambda m: m.group().translate(_TO_FULLWIDTH), text)


def normalize_unicode(text: str) -> str:
    """Full-width Latin/digits/symbols to ASCII, compatibility characters by NFKC,
    zero-width characters removed, Chinese sentence punctuation kept full-width.

    ``normalize_unicode("ＫＯＬ主播，銷量１００萬!") == "KOL主播，銷量100萬！"``
    """
    if text.isascii():
        return text
    text = text.translate(_WIDTH_TABLE)
    if _COMPAT.search(text):
        text = unicodedata.normalize("NFKC", text).translate(_WIDTH_TABLE)
    return _restore_chinese_punct(text)


# --- page furniture -------------------------------------------------------------------
_BREADCRUMB = re.compile(r"^\s*(?:首页|首頁|主页|主頁|当前位置|當前位置|您的位置|位置)\s*[:：]?\s*(?:[/>»›|]|$)")
_BREADCRUMB_SEPS = re.compile(r"\s*[/>»›|／＞]\s*")
_NAV_LINE = re.compile(
    r"^\s*(?:上一篇|下一篇|上一页|下一页|上一頁|下一頁|返回顶部|返回頂部|返回首页|返回首頁|回到顶部|回到頂部"
    r"|推荐阅读|推薦閱讀|相关阅读|相關閱讀|相关新闻|相關新聞|延伸阅读|延伸閱讀|热门推荐|熱門推薦)"
    r"(?:\s*[:：].{0,40})?\s*$"
)
_DISCLAIMER = re.compile(
    r"^\s*(?:来源|來源|声明|聲明|免责声明|免責聲明|版权声明|版權聲明)\s*[:：].*"
    r"(?:不代表|立场|立場|侵权|侵權|删除|刪除|版权|版權|转载|轉載)"
)
_WIDGET_WORDS = re.compile(
    r"分享到|分享|打印|列印|收藏|关闭窗口|關閉窗口|关闭|關閉|字号|字號|大|中|小|微信|微博|朋友圈"
    r"|QQ空间|QQ空間|QQ|复制链接|複製鏈接|扫一扫|掃一掃|点赞|點讚|评论|評論|[\s【】\[\]|/:：·•]"
)


def _is_breadcrumb(line: str) -> bool:
    if _BREADCRUMB.match(line):
        return True
    return len(line) <= 80 and len(re.findall(r"\s[/>»›|／＞]\s", line)) >= 2


def _is_furniture(line: str) -> bool:
    stripped = line.strip()
    if not stripped:
        return False
    if _is_breadcrumb(stripped):
        return True
    if _NAV_LINE.match(stripped) or _DISCLAIMER.match(stripped):
        return True
    return len(stripped) <= 40 and not _WIDGET_WORDS.sub("", stripped)


def remove_furniture(text: str) -> str:
    """Drop lines of site furniture: breadcrumbs (``首頁 / 帶貨新聞 / …``), 上一篇/下一篇,
    返回頂部, 推薦閱讀, 来源/來源 disclaimers and share/print widgets.

    Only whole lines go; a sentence that mentions 来源 stays. A short line that repeats a
    breadcrumb section (``帶貨新聞`` as a footer link) goes too; the page title stays.
    """
    if "\n" not in text:
        return "" if _is_furniture(text) else text
    lines = text.split("\n")
    sections: set[str] = set()
    for line in lines:
        if _is_breadcrumb(line.strip()):
            parts = [p.strip() for p in _BREADCRUMB_SEPS.split(line.strip()) if p.strip()]
            sections.update(parts[:-1])  # the last part is the page's own title
    return "\n".join(
        line for line in lines if not _is_furniture(line) and line.strip() not in sections
    )


# --- pinyin annotations ---------------------------------------------------------------
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ"
_SYLLABLE = (
    rf"(?:[bpmfdtnlgkhjqxrzcsyw]|zh|ch|sh)?[aeiouv{_TONED}]{{1,4}}(?:ng|n|r)?"
)
# A Han character, then "(pīnyīn)" in half- or full-width brackets, with at least one tone
# mark (or ü) so that real parentheticals such as (CNNIC), (组图), (a) are left alone.
_PINYIN = re.compile(
    rf"(?<=[{_HAN}])[(（](?=[a-z{_TONED}]*[{_TONED}])({_SYLLABLE})[)）]"
)


def remove_pinyin(text: str) -> str:
    """Remove pinyin that converters insert after characters: ``規(guī)模`` → ``規模``.

    ``remove_pinyin("長(cháng)城(CNNIC)(以下簡稱《報告》)") == "長城(CNNIC)(以下簡稱《報告》)"``
    """
    if "(" not in text and "（" not in text:
        return text
    return _PINYIN.sub("", text)


# --- Weibo artifacts ------------------------------------------------------------------
_WEIBO_ARTIFACTS = re.compile(
    r"(?:收起全文|展开全文|展開全文)[a-z]?"
    r"|L[^\s#@]{1,30}?的(?:微博|秒拍|优酷|腾讯|美拍)视频"
    r"|O网页链接|O網頁鏈接"
)


def remove_weibo_artifacts(text: str) -> str:
    """Remove scraping leftovers of Weibo: ``收起全文d``, ``L央视新闻的微博视频``, ``O网页链接``."""
    if "全文" in text or "视频" in text or "链接" in text or "鏈接" in text:
        return _WEIBO_ARTIFACTS.sub(" ", text)
    return text


# --- contacts -------------------------------------------------------------------------
_URL = re.compile(r"(?:https?|ftp)://[^\s\u3000-\u303f\uff00-\uffef<>\"'，。]+|www\.[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+[^\s\u3000-\u303f\uff00-\uffef<>\"'，。]*")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_MENTION = re.compile(rf"@[\w\-{_HAN}]{{1,30}}")
_PHONE = re.compile(
    r"(?<![\d.])(?:(?:\+?86[-\s]?)?1[3-9]\d{9}|0\d{2,3}-\d{7,8}|[48]00-?\d{3}-?\d{4})(?![\d.])"
)


def _check_mode(mode: str) -> None:
    if mode not in CONTACT_MODES:
        raise InputError(f"contacts must be one of {list(CONTACT_MODES)}; got {mode!r}")


def _replacer(pattern: re.Pattern[str], kind: str, triggers: tuple[str, ...] = ()) -> Callable[..., str]:
    """A contact step; ``triggers`` are substrings without which the pattern cannot match."""

    def step(text: str, *, mode: str = "placeholder") -> str:
        _check_mode(mode)
        if mode == "keep" or (triggers and not any(t in text for t in triggers)):
            return text
        return pattern.sub(PLACEHOLDERS[kind] if mode == "placeholder" else " ", text)

    step.__name__ = f"replace_{kind}s"
    step.__doc__ = f"Replace {kind}s by {PLACEHOLDERS[kind]} (mode='placeholder') or drop them ('remove')."
    return step


replace_urls = _replacer(_URL, "url", ("/", "www."))
replace_emails = _replacer(_EMAIL, "email", ("@",))
replace_mentions = _replacer(_MENTION, "mention", ("@",))
replace_phones = _replacer(_PHONE, "phone")


def replace_contacts(text: str, *, mode: str = "placeholder") -> str:
    """URLs, e-mail, @mentions and phone numbers → ``<URL>``, ``<EMAIL>``, ``<USER>``,
    ``<PHONE>`` (``mode="placeholder"``), removed (``"remove"``) or kept (``"keep"``).

    ``replace_contacts("//@新浪福建:见 http://t.cn/A6 ") == "//<USER>:见 <URL> "``
    """
    for step in (replace_urls, replace_emails, replace_mentions, replace_phones):
        text = step(text, mode=mode)
    return text


# --- punctuation and whitespace -------------------------------------------------------
_REPEATED = re.compile(r"([!?！？。，,~～、；;])\1+")
_ELLIPSIS = re.compile(r"(?:…{3,}|\.{4,}|。{3,})")
_SPACES = re.compile(r"[ \t\u3000\xa0]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def collapse_punctuation(text: str) -> str:
    """``！！！`` → ``！``, ``???`` → ``?``, long ellipses → ``……``."""
    text = _ELLIPSIS.sub("……", text)
    return _REPEATED.sub(r"\1", text)


def normalize_whitespace(text: str) -> str:
    """Runs of spaces → one space, lines trimmed, blank-line runs → one paragraph break."""
    text = _SPACES.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n"))
    if "\n" in text:
        text = "\n".join(line.strip() for line in text.split("\n"))
        text = _BLANK_LINES.sub("\n\n", text)
    return text.strip()


STEPS: dict[str, Step] = {
    "pinyin": remove_pinyin,
    "unicode": normalize_unicode,
    "furniture": remove_furniture,
    "weibo": remove_weibo_artifacts,
    "contacts": replace_contacts,
    "punctuation": collapse_punctuation,
    "whitespace": normalize_whitespace,
}
DEFAULT_STEPS: tuple[str, ...] = tuple(STEPS)


@functools.lru_cache(maxsize=32)
def _pipeline(steps: tuple[str, ...], contacts: str) -> Step:
    funcs = []
    for name in steps:
        if name not in STEPS:
            raise InputError(f"unknown cleaning step {name!r}; available: {list(STEPS)}")
        func = STEPS[name]
        if name == "contacts":
            func = functools.partial(replace_contacts, mode=contacts)
        funcs.append(func)
    return make_pipeline(*funcs)


def clean_text(text: str, *, steps: Sequence[str | Step] | None = None,
               contacts: str = "placeholder") -> str:
    """Clean one text with ``steps`` (names from :data:`STEPS` or callables; default all).

    ``contacts`` is ``"placeholder"``, ``"remove"`` or ``"keep"``. Example:
    ``clean_text("規(guī)模達6.38億!!! @新浪 http://t.cn/x") == "規模達6.38億！ <USER> <URL>"``
    """
    _check_mode(contacts)
    if text is None or text != text:  # None or NaN
        return ""
    if steps is None:
        return _pipeline(DEFAULT_STEPS, contacts)(text)
    if all(isinstance(s, str) for s in steps):
        return _pipeline(tuple(steps), contacts)(text)  # type: ignore[arg-type]
    funcs = [_pipeline((s,), contacts) if isinstance(s, str) else s for s in steps]
    return make_pipeline(*funcs)(text)
