"""HTML markup left inside text fields: tags dropped, block tags as line breaks, entities decoded.

Crawler and news-API exports (CSV, JSON Lines, Excel) often carry an article body as HTML::

    >>> strip_markup("<p>武汉&nbsp;加油！</p><p>致敬&lt;医护&gt;</p>")
    '\\n武汉\\xa0加油！\\n\\n致敬<医护>\\n'
    >>> strip_markup("a<b 这不是标签 6>4 &amp 3<5")  # no element, no entity: as written
    'a<b 这不是标签 6>4 &amp 3<5'

Only a tag with an HTML element's name and well-formed attributes is markup, and only an
entity closed by ``;`` is decoded, so text that merely uses ``<``, ``>`` or ``&`` stays.
``<script>``, ``<style>``, comments and ``<rt>`` ruby annotations (pinyin over characters)
go with their content. An image whose ``alt`` is an emoticon keeps it, as Weibo's API and
pages write them (``<img alt=[哈哈] src="…/d_haha.png">`` → ``[哈哈]``), and Weibo's link
cards go (``全文`` after a cut post, ``网页链接``, ``…的微博视频``: not the post's text). Whole ``.html`` pages are read by :mod:`opinion.io` (trafilatura);
this step is for markup inside a field.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable

_BLOCK = ("address|article|aside|blockquote|body|br|caption|dd|details|div|dl|dt|fieldset|figcaption|figure"
          "|footer|h[1-6]|head|header|hr|html|legend|li|main|menu|nav|ol|p|pre|section|summary|table|tbody"
          "|tfoot|thead|title|tr|ul")
_CELL = "td|th"
_INLINE = ("a|abbr|audio|b|big|button|center|cite|code|del|em|embed|font|form|i|iframe|img|input|ins|label"
           "|link|mark|meta|o:p|object|option|param|q|rb|ruby|s|select|small|source|span|strike|strong|sub"
           "|sup|textarea|time|tt|u|var|video|wbr|kbd|dfn|samp|nobr|bdi|bdo|picture")
_ATTRIBUTES = r"""(?:\s+[A-Za-z_:][A-Za-z0-9_:.-]*(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'<>=`]+))?)*\s*/?"""


def _tag(names: str) -> str:
    return rf"<\s*/?\s*(?:{names})(?![A-Za-z0-9_:-]){_ATTRIBUTES}>"


_DROPPED = re.compile(
    rf"<!--.*?-->|<\s*(script|style|rt|rp)(?![A-Za-z0-9_:-]){_ATTRIBUTES}>.*?<\s*/\s*\1\s*>",
    re.IGNORECASE | re.DOTALL)
_BLOCK_TAG = re.compile(_tag(_BLOCK), re.IGNORECASE)
_CELL_TAG = re.compile(_tag(_CELL), re.IGNORECASE)
_INLINE_TAG = re.compile(_tag(_INLINE), re.IGNORECASE)
_IMG_TAG = re.compile(rf"<\s*img(?![A-Za-z0-9_:-])({_ATTRIBUTES})>", re.IGNORECASE)
_ALT = re.compile(r"""\balt\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'<>=`]+))""", re.IGNORECASE)
_EMOTICON = re.compile(r"\[[^\[\]\s<>]{1,8}\]")  # [哈哈] [doge] [抱抱]
# Weibo's link cards: a link whose whole text (inside its icon and surl-text spans) is 全文
# (the rest of a cut post), 网页链接, 查看图片 or "…的微博视频": furniture, not what was written.
# Hashtags and @names are links too, and stay.
_LINK_CARD = re.compile(
    r"<\s*a\s[^<>]*>(?:\s*<[^<>]*>)*\s*(?:全文|网页链接|網頁鏈接|查看图片|查看圖片"
    r"|[^<>#@\s]{1,30}?的(?:微博|秒拍|酷燃|优酷|腾讯|美拍|快手)(?:视频|視頻))\s*(?:<\s*/?\s*span[^<>]*>\s*)*<\s*/\s*a\s*>",
    re.IGNORECASE)
# A tag cut off by the end of the field (an export's cell limit, a scraper's cut): ``…<img alt=[怒] src="``
_CUT_TAG = re.compile(rf"<\s*(?:{_BLOCK}|{_CELL}|{_INLINE})(\s+[A-Za-z_:][A-Za-z0-9_:.-]*\s*=[^<>]*)$",
                      re.IGNORECASE)
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
# An entity escaped again by a second pass of a scraper (&amp;quot; for &quot;, &amp;amp;gt;):
# real Weibo posts of the shared emotion sets carry them
_ESCAPED_AGAIN = re.compile(r"&amp;(?=(?:amp;)*(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});)")
_MAYBE = re.compile(r"<\s*/?\s*[A-Za-z!]|&[#A-Za-z]")
# Invisible characters that only do harm in a text shown to readers: C0/C1 controls (BEL, DEL)
# and bidirectional overrides and isolates (U+202A-202E, U+2066-2069, U+061C), which reverse
# the text after them in a report or a spreadsheet. Tab, newline and carriage return stay;
# vertical tab and form feed become newlines. The cleaner removes them from every text
# (:func:`opinion.text.clean.remove_controls`), and no entity decodes to one.
CONTROL_TABLE: dict[int, str | None] = {
    c: ("\n" if c in (0x0B, 0x0C) else None)
    for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0), 0x061C,
              *range(0x202A, 0x202F), *range(0x2066, 0x206A)]}


def _decode(entity: re.Match[str]) -> str:
    """An entity's text; nothing for a control character or a bidi override (``&#8238;``
    reversed the rest of a report row)."""
    text = html.unescape(entity.group())
    return "" if len(text) == 1 and ord(text) in CONTROL_TABLE else text


_BARE_WORD = re.compile(r"\s[A-Za-z_:]")


def _unless_prose(replacement: str) -> Callable[[re.Match[str]], str]:
    """``replacement`` for a tag, but a title in angle brackets whose first word happens to name
    an element (``<I Want it that way>``, ``<Big Big World>``: two or more words after it and
    no ``name=value``) is prose, as written."""

    def replace(tag: re.Match[str]) -> str:
        written = tag.group()
        return written if "=" not in written and len(_BARE_WORD.findall(written)) >= 2 else replacement

    return replace


def _emoticon(tag: re.Match[str]) -> str:
    """An ``<img>``'s alt text when it is an emoticon (``[哈哈]``, 😂), else nothing."""
    alt = _ALT.search(tag.group(1) or "")
    text = next((g for g in alt.groups() if g is not None), "").strip() if alt else ""
    if _EMOTICON.fullmatch(text) or (text and len(text) <= 8 and all(
            unicodedata.category(c) in ("So", "Sk", "Mn", "Cf") for c in text)):
        return text
    return ""


# A number raised or lowered by markup is written with the characters for it, as the cleaner
# keeps them: 10<sup>3</sup> → 10³ (not 103), H<sub>2</sub>O → H₂O; a footnote <sup>[1]</sup> is text.
_SCRIPT_TAG = re.compile(r"<\s*(sup|sub)\s*>\s*([0-9+\-−=()]{1,6})\s*<\s*/\s*\1\s*>", re.IGNORECASE)
_RAISED = str.maketrans("0123456789+-−=()", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾")
_LOWERED = str.maketrans("0123456789+-−=()", "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎")


def _script_number(tag: re.Match[str]) -> str:
    return tag.group(2).translate(_RAISED if tag.group(1).lower() == "sup" else _LOWERED)


def split_markup(text: str) -> tuple[str, list[str]]:
    """``(text without markup, the scripts, styles, comments and ruby annotations removed)``."""
    if not _MAYBE.search(text):
        return text, []
    removed = [m.group().strip() for m in _DROPPED.finditer(text)]
    text = _DROPPED.sub("", text)
    removed += [m.group() for m in _LINK_CARD.finditer(text)]
    text = _LINK_CARD.sub("", text)
    text = _IMG_TAG.sub(_emoticon, text)
    text = _SCRIPT_TAG.sub(_script_number, text)
    text = _CUT_TAG.sub(lambda cut: _emoticon(cut) if cut.group().lower().lstrip("< ").startswith("img") else "",
                        text)
    text = _BLOCK_TAG.sub(_unless_prose("\n"), text)
    text = _CELL_TAG.sub(_unless_prose(" "), text)
    text = _INLINE_TAG.sub(_unless_prose(""), text)
    while _ESCAPED_AGAIN.search(text):
        text = _ESCAPED_AGAIN.sub("&", text)
    text = _ENTITY.sub(_decode, text)
    return text, removed


def strip_markup(text: str) -> str:
    """Remove HTML tags (block tags become line breaks) and decode ``&nbsp;``-style entities.

    ``strip_markup("<div>国货<br/>品牌</div>") == "\\n国货\\n品牌\\n"``
    """
    return split_markup(text)[0]
