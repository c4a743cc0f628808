"""Contacts in scraped text: URLs, e-mail, @mentions and phone numbers, replaced by
placeholders (``<URL>``, ``<EMAIL>``, ``<USER>``, ``<PHONE>``), removed or kept.

The ``contacts`` step of :mod:`opinion.text.clean`; every rule here keeps what was written
next to a contact (``http://t.cn/A6P9xJqX新京报`` → ``<URL>新京报``) and runs in linear time
on hostile input.

    >>> replace_contacts("//@新浪福建:见 http://t.cn/A6 ")
    '//<USER>:见 <URL> '
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Callable
from typing import NamedTuple

from opinion.errors import InputError

CONTACT_MODES = ("placeholder", "remove", "keep")
DEFAULT_CONTACTS = CONTACT_MODES[0]
PLACEHOLDERS = {"url": "<URL>", "email": "<EMAIL>", "mention": "<USER>", "phone": "<PHONE>"}
HAN = r"\u3400-\u4dbf\u4e00-\u9fff"
_HAN = HAN


_URL_END = r"\s\u3000-\u303f\uff00-\uffef\u3400-\u4dbf\u4e00-\u9fff<>\"'，。"  # Han ends a URL too
_URL_BODY = f"[^{_URL_END}]"
_URL = re.compile(
    rf"(?i:https?|ftp)(?:：//{_URL_BODY}+|:(?:"  # a full-width colon too (https：//gaokao.cn)
    rf"//{_URL_BODY}+"
    # a scheme broken by scraping (http:t.cn/x, http:\\t.cn\x): only before a host name
    rf"|(?:/|\\{{1,2}})?(?=[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{{2,}}[/\\]){_URL_BODY}+"
    # a scheme cut off at the end of a post (他们?? http:/) or before Chinese text: a lost link
    rf"|//(?=[{_URL_END}]|$)|/?(?=\s|$)))"
    rf"|www\.[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+{_URL_BODY}*"
)
# Weibo's short links without a scheme or with what is left of one (t.cn/A6v, ://t.cn/A6h, tp://…)
_SHORT_LINK = re.compile(r"(?<![A-Za-z0-9./@])(?:[A-Za-z]{0,5}:?//)?t\.cn/[A-Za-z0-9]*")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
# A nickname holds a letter, digit or Han character (_ZZHhhhhh does), and an @ right after _ or
# another @ starts none: @_@ and 颜色也@@不一样了 are written, not names.
_MENTION = re.compile(rf"(?<![_@])@(?=[\w\-]*[^\W_])[\w\-{_HAN}]+")
MENTION_WIDTH = 30  # a Weibo nickname: at most 30 characters, a Chinese one counting 2
# A mobile written whole or in groups of 3-4-4 (135 3870 2427, 138-0013-8000, +86 138 0013 8000,
# one separator throughout), also right after letters (vx18941020705: a WeChat name that is the
# number); a landline with its area code (021-53521907, （021）53521907) and a 400/800 service
# number, but not in a run of letters (微信号 Y4000119001 is a name).
_PHONE = re.compile(
    r"(?<![\d.])(?:\+?86[-\s]?)?1[3-9]\d(?:\d{8}|([ -])\d{4}\1\d{4})(?![\d.])"
    r"|(?<![\dA-Za-z.])(?:0\d{2,3}-\d{7,8}|[(（]0\d{2,3}[)）] ?\d{7,8}|[48]00-?\d{3}-?\d{4})(?![\d.])"
)


def _check_mode(mode: str) -> None:
    if mode not in CONTACT_MODES:
        raise InputError(f"contacts must be one of {list(CONTACT_MODES)}; got {mode!r}")


def _replacer(pattern: re.Pattern[str], kind: str, triggers: tuple[str, ...] = (),
              check: Callable[[re.Match[str], str], str] | None = None) -> Callable[..., str]:
    """A contact step; ``triggers`` are substrings without which the pattern cannot match;
    ``check(match, replacement)`` (optional) returns what a match becomes."""

    def step(text: str, *, mode: str = "placeholder") -> str:
        _check_mode(mode)
        if mode == "keep" or (triggers and not any(t in text for t in triggers)):
            return text
        repl = PLACEHOLDERS[kind] if mode == "placeholder" else " "
        return pattern.sub(repl if check is None else (lambda m: check(m, repl)), text)

    step.__name__ = f"replace_{kind}s"
    step.__doc__ = f"Replace {kind}s by {PLACEHOLDERS[kind]} (mode='placeholder') or drop them ('remove')."
    return step


def _url(match: re.Match[str], repl: str) -> str:
    """``repl`` for the address, and what the pattern took after it back as text: a ``#`` that
    opens a hashtag written right after a link (``http://t.cn/A6hHktx#湖北以外地区…#``), and
    closing punctuation and brackets that are not the address's own (``(www.lottery.gov.cn)``,
    ``http://t.cn/A6PFBt9E(人民日报)``, a full stop)."""
    url, text = match.group(), match.string
    start = url.find("//") + 2 if "//" in url else url.find(".") + 1  # never cut into the scheme or host
    end = len(url)
    fragment = url.find("#", start)
    if fragment > 0 and re.match(f"[{_HAN}]", text[match.end():match.end() + 1]):
        end = fragment  # the Chinese after it says the # opens a hashtag
    balance = {")": url.count("(", 0, end) - url.count(")", 0, end),
               "]": url.count("[", 0, end) - url.count("]", 0, end)}  # opened minus closed
    while end > start + 1:
        last = url[end - 1]
        if last in ")]" and balance[last] < 0:  # closes a bracket the address did not open
            balance[last] += 1
        elif last in "([":
            balance[")" if last == "(" else "]"] -= 1
        elif last not in ".,;!?":
            break
        end -= 1
    return repl + url[end:]


_replace_full_urls = _replacer(_URL, "url", (":", "：//", "www."), _url)
_replace_short_links = _replacer(_SHORT_LINK, "url")


def replace_urls(text: str, *, mode: str = "placeholder") -> str:
    """Replace URLs by <URL> (mode='placeholder') or drop them ('remove'); schemes broken by
    scraping and Weibo's bare short links count: ``replace_urls("见 http:t.cn/zl7X 与 t.cn/A6v") ==
    "见 <URL> 与 <URL>"``. A URL ends at a Chinese character, which is text, not address."""
    text = _replace_full_urls(text, mode=mode)
    return _replace_short_links(text, mode=mode) if "t.cn/" in text else text


replace_emails = _replacer(_EMAIL, "email", ("@",))


def _name_width(name: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in name)


class _Marks(NamedTuple):
    """Positions of a text's ``#`` and of its title marks' openings and closings, found once per
    text so that each mention is checked in logarithmic time (linear on ``#@a#@a…``)."""

    signs: list[int]
    opens: list[int]
    closes: list[int]


_HAN_CHAR = re.compile(f"[{_HAN}]")


def _ends_a_title(marks: _Marks, start: int, end: int) -> bool:
    """Does ``start:end`` end a title ``《…》`` or ``〈…〉``: opened before it and not closed in
    between, and closed right after it?"""
    opened = bisect.bisect_left(marks.opens, start)
    closed = bisect.bisect_left(marks.closes, start)
    if not opened or (closed and marks.closes[closed - 1] > marks.opens[opened - 1]):
        return False
    return closed < len(marks.closes) and marks.closes[closed] == end


def _mention(match: re.Match[str], repl: str, marks: _Marks) -> str:
    """``repl`` for an @name that can be a nickname; a longer run is text written after an
    ``@`` (``@北京魅力深秋真情暖冬DIY系列活动即将开幕``) and is kept whole rather than lost, and
    so is an @ inside a hashtag (``#@千钧客被禁言30天#``: an odd number of the text's ``#``
    positions before it) and an @ glued to the Han character before it in a title that the
    name closes (``《青春@Y2K》``, a TV series): a mention in a title is set apart
    (``《@哈佛商业评论 》``, ``《经典回顾！！@JeremyLin林书豪 大型纪录片》``)."""
    text, start, end = match.string, match.start(), match.end()
    if text[end:end + 1] == "#" and bisect.bisect_left(marks.signs, start) % 2:
        return match.group()
    if marks.opens and start and _HAN_CHAR.match(text, start - 1) and _ends_a_title(marks, start, end):
        return match.group()
    return repl if _name_width(match.group()[1:]) <= MENTION_WIDTH else match.group()


def replace_mentions(text: str, *, mode: str = "placeholder") -> str:
    """Replace @mentions by <USER> (mode='placeholder') or drop them ('remove'); see :func:`_mention`.

    ``replace_mentions("//@头条新闻:《青春@Y2K》") == "//<USER>:《青春@Y2K》"``
    """
    _check_mode(mode)
    if mode == "keep" or "@" not in text:
        return text
    repl = PLACEHOLDERS["mention"] if mode == "placeholder" else " "
    marks = _Marks([i for i, c in enumerate(text) if c == "#"],
                   [i for i, c in enumerate(text) if c in "《〈"], [i for i, c in enumerate(text) if c in "》〉"])
    return _MENTION.sub(lambda m: _mention(m, repl, marks), text)


replace_phones = _replacer(_PHONE, "phone")


def replace_contacts(text: str, *, mode: str = DEFAULT_CONTACTS) -> str:
    """URLs, e-mail, @mentions and phone numbers → ``<URL>``, ``<EMAIL>``, ``<USER>``,
    ``<PHONE>`` (``mode="placeholder"``), removed (``"remove"``) or kept (``"keep"``).

    ``replace_contacts("//@新浪福建:见 http://t.cn/A6 ") == "//<USER>:见 <URL> "``
    """
    for step in (replace_urls, replace_emails, replace_mentions, replace_phones):
        text = step(text, mode=mode)
    return text
