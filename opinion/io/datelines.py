"""What the head of a saved article states: its title, dateline and outlet.

A saved article (a ``.txt``, or a page's visible text) opens with its headline, then a
dateline and a 来源 line; :func:`dateline` and :func:`stated_source` read them there only, as a
date or a 来源 further down is what the article reports on, or the site's footer::

    >>> dateline("钟南山：疫情有望4月底结束\\n民國109年2月27日 下午2:35 來源：中央社\\n正文")
    '2020-02-27 14:35'
"""

from __future__ import annotations

import re

from opinion.io.dates import parse_date
from opinion.text.clean import PAGE_MIN_LINES, is_page_furniture

_STATED_SOURCE = re.compile(r"(?:新闻来源|新聞來源|来源|來源|稿源|出处|出處)\s*[:：]\s*"
                            r"([^\s|｜/,，。；;:：()（）\[\]【】<>《》]{2,20})")
# What a 来源 line names when it names no outlet: a site's footer disclaimer (来源：网络 /
# 会员自助发布 / 互联网, 不代表本站立场) or a reposter's shrug.
_NO_OUTLET = re.compile(r"(?:网络|網絡|網路|互联网|互聯網|网友|網友|网上|網上|本站|本网|本網|未知|不详|不詳"
                        r"|转载|轉載|会员|會員|用户|用戶|自助|整理)")
SOURCE_LINES = 30  # the head of a text whose headline is unknown, where its 来源 line stands
HEAD_LINES = 8  # the headline's line and the lines under it where a byline stands


def head_lines(text: str, title: str | None = None) -> str:
    """The head of an article, where its byline stands: the :data:`HEAD_LINES` non-blank lines
    from its headline's line on when ``title`` is a line of ``text``, else its first
    :data:`SOURCE_LINES`: ``head_lines("首页\\n标题\\n来源：新华社\\n正文", "标题")`` starts at 标题."""
    below = from_headline(text, title)
    lines = [line for line in (text if below is None else below).splitlines() if line.strip()]
    return "\n".join(lines[:SOURCE_LINES if below is None else HEAD_LINES])


def stated_source(text: str, title: str | None = None) -> str | None:
    """The outlet a saved article names in its head (``来源：新华社``, ``來源: 中央社``), or None:
    ``stated_source("钟南山：疫情有望4月底结束\n2020年02月27日 14:35 来源：中国新闻网\n正文") == "中国新闻网"``.
    Only the head counts (:func:`head_lines`): a 来源 in the body quotes another text, one in
    the footer is the site's disclaimer; and ``来源：网络``, ``会员自助发布`` name no outlet."""
    for match in _STATED_SOURCE.finditer(head_lines(text, title)):
        if not _NO_OUTLET.search(match.group(1)):
            return match.group(1)
    return None


def from_headline(visible: str, title: str | None) -> str | None:
    """``visible`` from the line that holds ``title`` on, or None when none does."""
    head = (title or "").strip()
    lines = visible.splitlines()
    at = next((i for i, line in enumerate(lines) if head and head in line), None)
    return None if at is None else "\n".join(lines[at:])


def headline_dateline(visible: str, title: str | None) -> str | None:
    """The :func:`dateline` under a page's headline (``2020年02月01日 08:21 来源：人民网``, which
    the date finder does not read), looked for from the headline's line on: a portal's
    "today" line above it (``2020年2月7日 星期五``) is not the article's date. None when
    ``title`` is not a line of ``visible`` or no dateline follows it."""
    below = from_headline(visible, title)
    return None if below is None else dateline(below)


_MERIDIEM = r"(?:上午|早上|凌晨|中午|下午|晚上|傍晚)"
_CLOCK = rf"(?P<clock>\s*{_MERIDIEM}?\s*\d{{1,2}}[:：时時]\d{{2}})?(?!\d)"
# A day as pages write it, with a 民國 year too (民國109年2月27日), and the time after it (下午2:35).
_DATELINE = re.compile(r"(?<!\d)(?:民[國国]\s*\d{1,3}|\d{4})\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}"
                       r"(?!\d)\s*[日号號]?" + _CLOCK)
DATELINE_LINES, DATELINE_CHARS, DATELINE_OTHER = 5, 60, 20
_LETTER = re.compile(r"[^\W\d_]")


def written_date(written: str, timed: bool) -> str | None:
    """A day as a page writes it (``2020年02月27日 下午2:35``, ``民國109年2月27日``) as
    ``YYYY-MM-DD``, with `` HH:MM`` when ``timed``; None when it is no real day (2020-02-30)."""
    stamp = parse_date(written)
    if stamp is None:
        return None
    return stamp.strftime("%Y-%m-%d %H:%M" if timed else "%Y-%m-%d")


def stated_date(date: str | None, visible: str) -> str | None:
    """``date`` (``YYYY-MM-DD``) if the page's text writes that day with year, month and day
    (2020年02月27日, 2020-2-27, 2020/02/27, 2020.2.27, 民國109年2月27日), with the time written
    right after it (``2020-02-20 下午3:15 来源：新华社`` gives ``2020-02-20 15:15``), else None."""
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", date or "")
    if not match:
        return None
    year, month, day = int(match.group(1)), int(match.group(2)), int(match.group(3))
    for found in _DATELINE.finditer(visible):
        stamp = parse_date(found.group(0))
        if stamp is not None and (stamp.year, stamp.month, stamp.day) == (year, month, day):
            return written_date(found.group(0), bool(found.group("clock"))) or date
    return None


def dateline(text: str) -> str | None:
    """The date a saved article states in its head: a line among its first 5 that is a full
    date and little else (at most 20 other letters: a source, an author, 发布时间), such as
    ``2020年02月27日 14:35 来源：中国新闻网``, ``发布时间：2020-02-27`` or ``民國109年2月27日 下午
    2:35``; ``YYYY-MM-DD[ HH:MM]``, or None. A sentence that mentions a date (据报道，2020年2月27日，
    钟南山表示……) is what the article reports on, not when it was published.

    ``dateline("钟南山：疫情有望4月底结束\n2020年02月27日 14:35 中国新闻网\n正文") == "2020-02-27 14:35"``
    """
    found = _dateline_parts(text)
    return found[0] if found else None


def dateline_outlet(text: str) -> str | None:
    """The outlet a :func:`dateline` names without a 来源 label, as Sina writes it
    (``2020年02月27日 14:35 中国新闻网``): the rest of the line when it is one name ending as
    outlets' names do (网, 报, 社, 台, 新闻, 周刊, 杂志, 客户端, 频道), else None.

    ``dateline_outlet("标题\n2020年02月27日 14:35 中国新闻网\n正文") == "中国新闻网"``
    """
    found = _dateline_parts(text)
    match = _OUTLET_NAME.fullmatch(found[1]) if found else None
    return match.group(1) if match else None


_OUTLET_NAME = re.compile(r"[\s|｜/]*((?!本)[^\s\d|｜/,，。；;:：()（）\[\]【】<>《》]{1,18}"
                          r"(?:网|網|报|報|社|台|新闻|新聞|周刊|週刊|杂志|雜誌|客户端|客戶端|频道|頻道))[\s|｜/]*")


def _dateline_parts(text: str) -> tuple[str, str] | None:
    """:func:`dateline`'s date and the rest of its line."""
    lines = [line.strip() for line in text.splitlines()[:50] if line.strip()][:DATELINE_LINES]
    for line in lines:
        match = _DATELINE.search(line) if len(line) <= DATELINE_CHARS else None
        rest = line[:match.start()] + line[match.end():] if match else ""
        if match and len(_LETTER.findall(rest)) <= DATELINE_OTHER:
            day = written_date(match.group(0), bool(match.group("clock")))
            if day is not None:
                return day, rest.strip()
    return None


_WEEKDAY_WORDS = re.compile(r"星期[一二三四五六日天]|[週周][一二三四五六日]|农历\S*|農曆\S*")


def _is_date_line(line: str) -> bool:
    """Whether ``line`` is a date and no headline: ``2020年2月7日 星期五``, ``2020-02-01 10:30
    来源：新华网``, ``2020年02月27日 14:35 中国新闻网``, but not ``2020年2月1日湖北新增确诊病例1921例``."""
    found = _dateline_parts(line)
    if found is None:
        return False
    rest = _WEEKDAY_WORDS.sub("", found[1]).strip()
    return (len(_LETTER.findall(rest)) <= 2 or _STATED_SOURCE.search(rest) is not None
            or _OUTLET_NAME.fullmatch(rest) is not None)


def first_line(text: str) -> str | None:
    """The first non-blank line, stripped: the title of a plain-text document. On a page
    (three lines or more) a breadcrumb or navigation line is passed over, as cleaning drops it,
    and so is a line that is a date (a portal's ``2020年2月7日 星期五``, a dateline):
    ``first_line("首頁 / 帶貨新聞 / 直播電商\n直播電商風生水起\n正文。") == "直播電商風生水起"``."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) >= PAGE_MIN_LINES:
        return next((line for line in lines if not is_page_furniture(line) and not _is_date_line(line)), lines[0])
    return lines[0] if lines else None
