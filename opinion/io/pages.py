"""A web page's article, title, date and charset.

:func:`html_document` gives a page's article (trafilatura, without navigation, related links
and footer), its title without the site's name and the date it states; :func:`html_to_text`
is its visible text (scripts, styles and the pinyin of ``<ruby>`` annotations left out; table
cells apart)::

    >>> html_to_text("<title>直播电商</title><p>信任机制</p><script>x()</script>")
    ('直播电商', '信任机制')
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

from opinion.errors import InputError
from opinion.io.datelines import head_lines, headline_dateline, stated_date
from opinion.io.dates import parse_date
from opinion.io.encoding import (
    READS_AS_CHINESE,
    WIDE_ENCODINGS,
    cjk_count,
    common_hanzi_ratio,
    detect_encoding,
    detection_sample,
    has_bom,
    named_codec,
    normalize_encoding_name,
)
from opinion.io.pagetext import article_text

_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([\w-]+)", re.IGNORECASE)
_SKIP = frozenset({"script", "style", "noscript", "template", "svg", "iframe", "object"})
_ANNOTATION = frozenset({"rt", "rp"})  # ruby: the pinyin/zhuyin over 中国, and its brackets
_CELL = frozenset({"td", "th"})
_BLOCK = frozenset({"p", "div", "br", "li", "ul", "ol", "tr", "table", "section", "article",
                    "header", "footer", "nav", "aside", "blockquote", "pre", "hr", "h1", "h2",
                    "h3", "h4", "h5", "h6", "dd", "dt", "figcaption", "main"})
# <meta> names that state when an article was published (Open Graph, Dublin Core, schema.org, CMSes)
_PUBLISHED = frozenset({"article:published_time", "og:published_time", "og:release_date", "pubdate",
                        "publishdate", "publish_date", "publishtime", "datepublished", "dc.date.issued",
                        "dcterms.created", "sailthru.date", "parsely-pub-date"})
_FULL_DATE = re.compile(r"\s*\d{4}-\d{2}-\d{2}(?P<time>[T ]\d{2}:\d{2})?")


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title: list[str] = []
        self.parts: list[str] = []
        self.published: list[str] = []  # the dates <meta> tags state, in page order
        self.times: list[tuple[str, bool, list[str]]] = []  # <time>: datetime, marked published, its text
        self._skip = 0
        self._in_title = False
        self._in_time = False
        self._annotation = False  # inside <rt>/<rp>, whose end tags HTML lets pages leave out

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._annotation = tag in _ANNOTATION or (self._annotation and tag not in ("rb", *_BLOCK))
        found = {name: value or "" for name, value in attrs}
        if tag == "title":
            self._in_title = True
        elif tag in _SKIP:
            self._skip += 1
        elif tag in _BLOCK:
            self.parts.append("\n")
        if tag == "meta" and (found.get("property") or found.get("name") or found.get("itemprop") or "").lower() in _PUBLISHED:
            self.published.append(found.get("content", ""))
        elif tag == "time" and found.get("datetime"):
            marked = "pubdate" in found or found.get("itemprop", "").lower() == "datepublished"
            self.times.append((found["datetime"], marked, []))
            self._in_time = True

    def handle_endtag(self, tag: str) -> None:
        if tag in _ANNOTATION or tag == "ruby" or tag in _BLOCK:
            self._annotation = False
        self._in_time = self._in_time and tag != "time"
        if tag == "title":
            self._in_title = False
        elif tag in _SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK:
            self.parts.append("\n")
        elif tag in _CELL:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title.append(data)
        elif not self._skip and not self._annotation:
            self.parts.append(data)
            if self._in_time:
                self.times[-1][2].append(data)


def _parse(html: str) -> tuple[_TextExtractor, str | None, str]:
    """The parser fed ``html``, and the page's ``<title>`` and visible text."""
    parser = _TextExtractor()
    opened = html.rfind("<!--")
    if opened >= 0 and html.find("-->", opened) < 0:
        html = html[:opened]  # a page cut inside a comment: a browser shows none of the rest
    parser.feed(html)
    parser.close()
    lines = (re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in "".join(parser.parts).split("\n"))
    text = "\n".join(line for line in lines if line)
    title = re.sub(r"\s+", " ", "".join(parser.title)).strip() or None
    return parser, title, text


def html_to_text(html: str) -> tuple[str | None, str]:
    """The ``<title>`` (or None) and the visible text of a page, one block per line."""
    return _parse(html)[1:]


def html_document(html: str) -> tuple[str | None, str, str | None]:
    """``(title, text, date)`` of a web page: its article (and reader comments) without the
    navigation, related links and footer, by trafilatura, one paragraph a line (a layout
    table's cells as their paragraphs, see :mod:`opinion.io.pagetext`); the title without the site's name;
    the publication date the page states (``2020-02-27``) or None.

    A page trafilatura finds no article in (a bare list, a tiny page) keeps all its visible
    text (:func:`html_to_text`), so no page is emptied.
    """
    return page_parts(html)[:3]


def page_parts(html: str) -> tuple[str | None, str, str | None, str]:
    """:func:`html_document`'s ``(title, text, date)`` and the page's visible text, which
    holds what the article leaves out (its 来源 line)."""
    parser, tag_title, visible = _parse(html)
    page = _extracted(html)
    if page is None:
        return tag_title, visible, None, visible
    title = page_title(tag_title, page.get("title"), visible)
    article = page.get("text")
    if page.get("body") is not None:
        article = article_text(page["body"], title, visible, str(article or ""))
    text = "\n".join(str(part).strip() for part in (article, page.get("comments")) if part and str(part).strip())
    date = (_markup_date(parser, visible, title) or stated_date(page.get("date"), visible)
            or headline_dateline(visible, title) or stated_date(_searched_date(html), visible))
    return title, (text or visible), date, visible


def _extracted(html: str) -> dict[str, Any] | None:
    """trafilatura's reading of a page (text, comments, title, date), elements marked
    ``hidden`` left out as a browser leaves them; None when it finds no article."""
    try:
        import trafilatura
        from trafilatura.utils import load_html
    except ImportError:  # pragma: no cover - a dependency; the visible text still serves
        return None
    try:
        tree = load_html(html)
        for element in tree.xpath("//*[@hidden]") if tree is not None else ():
            element.drop_tree()  # <span hidden>SEO spam</span>: the text after it stays
        page = trafilatura.bare_extraction(html if tree is None else tree, include_comments=True,
                                           include_tables=True, as_dict=True, with_metadata=True,
                                           date_extraction_params=_DATE_SEARCH)
    except Exception:  # noqa: BLE001 - a page the extractor chokes on keeps its visible text
        return None
    return page if isinstance(page, dict) else None


_SEPARATOR = re.compile(r"\s*(?:[_|｜]|\s[-–—]\s|[-–—]{1,2})")  # before a site's name in <title>
_SITE_BEFORE = re.compile(r"(?:[_|｜]|[-–—])\s*$")


def page_title(tag_title: str | None, extracted: str | None, visible: str) -> str | None:
    """A page's title without the site's name: trafilatura's (its ``<h1>`` or ``og:title``)
    unless that is the site's name (``某某网``, the logo as ``<h1>``) or the whole ``<title>``
    with it; then the headline the page shows that ``<title>`` starts with
    (``直播电商风生水起`` for ``直播电商风生水起_电商频道_某某网``), else ``<title>`` as it is."""
    tag = (tag_title or "").strip()
    site = bool(extracted and tag != extracted and tag.endswith(extracted)
                and _SITE_BEFORE.search(tag[: -len(extracted)]))
    if extracted and not site and extracted != tag:
        return extracted
    return _shown_headline(tag, visible) or (None if site else extracted) or tag_title


def _shown_headline(tag: str, visible: str) -> str | None:
    """The longest line of ``visible`` that ``tag`` starts with, followed by a site-name
    separator (``_``, ``|``, `` - ``) and a rest no longer than itself (a menu's ``中美贸易`` is
    not the headline of ``中美贸易-谈判进展``), or None."""
    found = [line for line in visible.splitlines()
             if 2 <= len(line) < len(tag) and tag.startswith(line) and _SEPARATOR.match(tag, len(line))
             and len(tag) - len(line) <= len(line)]
    return max(found, key=len, default=None)


def _markup_date(parser: _TextExtractor, visible: str, title: str | None) -> str | None:
    """The date the page's markup states: a ``<meta>`` such as ``article:published_time``, else
    a ``<time datetime>`` marked as the publication's (``pubdate``, ``itemprop=datePublished``)
    or shown in the byline under the headline (``<time datetime="2021-10-12T08:21+08:00">10月12日
    08:21</time>``); ``YYYY-MM-DD[ HH:MM]``, with the page's zone when it states one
    (``2021-10-11 16:30+00:00`` for ``…T16:30:00Z``: the load puts it on ``--timezone``), or None."""
    head = head_lines(visible, title)
    shown = [stamp for stamp, marked, text in parser.times
             if marked or ((words := " ".join("".join(text).split())) and words in head)]
    for value in (*parser.published, *shown):
        full = _FULL_DATE.match(value)
        stamp = parse_date(value.strip()) if full else None
        if stamp is not None:
            return _zoned(value.strip()) or stamp.strftime(
                "%Y-%m-%d %H:%M" if full and full.group("time") else "%Y-%m-%d")
    return None


def _zoned(value: str) -> str | None:
    """A zoned time as ``YYYY-MM-DD HH:MM+hh:mm`` on its own clock (``2021-10-12T08:21:00+08:00``
    gives ``2021-10-12 08:21+08:00``, ``…Z`` ``+00:00``); None when ``value`` names no zone."""
    import pandas as pd

    utc = parse_date(value, "UTC")
    if utc is None or utc == parse_date(value):
        return None  # the same on every clock: written without a zone
    try:
        own = pd.Timestamp(value)
    except ValueError:
        own = None
    if own is None or own.tzinfo is None:  # a zone pandas does not read: the instant in UTC
        own = utc.tz_localize("UTC")
    offset = own.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    sign, minutes = ("-" if minutes < 0 else "+"), abs(minutes)
    return f"{own:%Y-%m-%d %H:%M}{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def _searched_date(html: str) -> str | None:
    """The date htmldate finds looking through the whole page's text, the last resort: it
    takes a portal's "today" line (``2020年2月7日 星期五``) as readily as the article's."""
    try:
        from htmldate import find_date

        return find_date(html, extensive_search=True, original_date=True)
    except Exception:  # noqa: BLE001 - a page the date finder chokes on is undated
        return None


# The page's date: first what its markup states (meta tags, <time>), then trafilatura's date
# and the dateline under its headline, then htmldate's search through the whole text. That
# search also turns a bare year (© 2019) into 2019-01-01, so a date it finds is kept only when
# the page writes that day in full (see stated_date).
_DATE_SEARCH = {"extensive_search": False, "original_date": True}


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares (``<meta charset="gbk">``) when its reading is to be
    trusted: None when a BOM decides instead, for UTF-16/32 (a page whose ``<meta>`` reads as
    ASCII is not UTF-16; browsers take it as UTF-8), and when the reading does not read as
    Chinese while :func:`detect_encoding`'s does (an old CMS's ``charset=iso-8859-1`` on a
    GB18030 page, ``gb18030`` on a Big5 one)."""
    match = _META_CHARSET.search(data[:4096])
    if not match or has_bom(data):
        return None
    sample, truncated = detection_sample(data)  # a 16 MB page is not decoded whole 4 times
    try:
        # gbk/gb2312 read as GB18030 (Weibo's U+E627 and 😷 broke gbk), big5 as the table that reads it
        name = named_codec(sample, normalize_encoding_name(match.group(1).decode("ascii")), truncated=truncated)
        text = data.decode(name)
    except (InputError, UnicodeDecodeError, LookupError):
        return None
    if name in WIDE_ENCODINGS:
        return None
    detected = detect_encoding(sample, truncated=truncated)
    if detected == name or detected in WIDE_ENCODINGS:
        return name
    theirs = data.decode(detected, errors="replace")
    if cjk_count(theirs) and common_hanzi_ratio(theirs) >= READS_AS_CHINESE and (
            cjk_count(text) < cjk_count(theirs) / 2 or common_hanzi_ratio(text) < READS_AS_CHINESE):
        return None  # the declared reading is mojibake (Ö±²¥µçÉÌ, 冀筿坝ネ); the detector's reads
    return name
