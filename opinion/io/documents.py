"""One document per .txt or .html file: title, text and source.

The title of a .txt file is its first non-blank line and the text is the whole file; an
.html page gives its article (:func:`html_document`: trafilatura, without navigation, related
links and footer), its title and the date it states; :func:`html_to_text` is its visible text
(scripts, styles and the pinyin of ``<ruby>`` annotations left out; table cells apart)::

    >>> html_to_text("<title>直播电商</title><p>信任机制</p><script>x()</script>")
    ('直播电商', '信任机制')
"""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path

from opinion.errors import InputError, some_of
from opinion.io.columns import looks_like_header
from opinion.io.encoding import (
    BIG5_NAMES,
    SAMPLE_BYTES,
    WIDE_ENCODINGS,
    LineDecoder,
    big5_table,
    binary_kind,
    check_named_encoding,
    detect_encoding,
    named_big5,
    normalize_encoding_name,
)
from opinion.io.lines import DEFAULT_MAX_BYTES, InputCutShort, LineTooLong, read_whole
from opinion.io.readers import Record
from opinion.io.sources import open_bytes
from opinion.text.clean import PAGE_MIN_LINES, is_page_furniture

_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([\w-]+)", re.IGNORECASE)
_SKIP = frozenset({"script", "style", "noscript", "template", "svg", "iframe", "object"})
_ANNOTATION = frozenset({"rt", "rp"})  # ruby: the pinyin/zhuyin over 中国, and its brackets
_CELL = frozenset({"td", "th"})
_BLOCK = frozenset({"p", "div", "br", "li", "ul", "ol", "tr", "table", "section", "article",
                    "header", "footer", "nav", "aside", "blockquote", "pre", "hr", "h1", "h2",
                    "h3", "h4", "h5", "h6", "dd", "dt", "figcaption", "main"})


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title: list[str] = []
        self.parts: list[str] = []
        self._skip = 0
        self._in_title = False
        self._annotation = False  # inside <rt>/<rp>, whose end tags HTML lets pages leave out

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._annotation = tag in _ANNOTATION or (self._annotation and tag not in ("rb", *_BLOCK))
        if tag == "title":
            self._in_title = True
        elif tag in _SKIP:
            self._skip += 1
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _ANNOTATION or tag == "ruby" or tag in _BLOCK:
            self._annotation = False
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


def html_to_text(html: str) -> tuple[str | None, str]:
    """The ``<title>`` (or None) and the visible text of a page, one block per line."""
    parser = _TextExtractor()
    opened = html.rfind("<!--")
    if opened >= 0 and html.find("-->", opened) < 0:
        html = html[:opened]  # a page cut inside a comment: a browser shows none of the rest
    parser.feed(html)
    parser.close()
    lines = (re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in "".join(parser.parts).split("\n"))
    text = "\n".join(line for line in lines if line)
    title = re.sub(r"\s+", " ", "".join(parser.title)).strip() or None
    return title, text


PAGE_DATE = "page_date"  # the publication date a page states (a document's value, not a column)
PAGE_SOURCE = "page_source"  # the outlet a page names (来源：新华社), kept in meta
_STATED_SOURCE = re.compile(r"(?:新闻来源|新聞來源|来源|來源|稿源|出处|出處)\s*[:：]\s*"
                            r"([^\s|｜/,，。；;:：()（）\[\]【】<>《》]{2,20})")
SOURCE_LINES = 30  # the head of a page where its 来源 line stands


def stated_source(text: str) -> str | None:
    """The outlet a saved article names in its head (``来源：新华社``, ``來源: 中央社``), or None:
    ``stated_source("钟南山：疫情有望4月底结束\n2020年02月27日 14:35 来源：中国新闻网\n正文") == "中国新闻网"``.
    Only the first lines count: a 来源 in the body quotes another text."""
    head = [line for line in text.splitlines() if line.strip()][:SOURCE_LINES]
    match = _STATED_SOURCE.search("\n".join(head))
    return match.group(1) if match else None


def html_document(html: str) -> tuple[str | None, str, str | None]:
    """``(title, text, date)`` of a web page: its article (and reader comments) without the
    navigation, related links and footer, by trafilatura; the title without the site's name;
    the publication date the page states (``2020-02-27``) or None.

    A page trafilatura finds no article in (a bare list, a tiny page) keeps all its visible
    text (:func:`html_to_text`), so no page is emptied.
    """
    return _page_parts(html)[:3]


def _page_parts(html: str) -> tuple[str | None, str, str | None, str]:
    """:func:`html_document`'s ``(title, text, date)`` and the page's visible text, which
    holds what the article leaves out (its 来源 line)."""
    title, visible = html_to_text(html)
    try:
        import trafilatura
    except ImportError:  # pragma: no cover - a dependency; the visible text still serves
        return title, visible, None, visible
    try:
        page = trafilatura.bare_extraction(html, include_comments=True, include_tables=True, as_dict=True,
                                           with_metadata=True, date_extraction_params=_DATE_SEARCH)
    except Exception:  # noqa: BLE001 - a page the extractor chokes on keeps its visible text
        page = None
    if not isinstance(page, dict):
        return title, visible, None, visible
    text = "\n".join(str(part).strip() for part in (page.get("text"), page.get("comments")) if part and str(part).strip())
    title = page.get("title") or title
    date = (_stated_date(page.get("date"), visible) or _headline_dateline(visible, title)
            or _stated_date(_searched_date(html), visible))
    return title, (text or visible), date, visible


def _searched_date(html: str) -> str | None:
    """The date htmldate finds looking through the whole page's text, the last resort: it
    takes a portal's "today" line (``2020年2月7日 星期五``) as readily as the article's."""
    try:
        from htmldate import find_date

        return find_date(html, extensive_search=True, original_date=True)
    except Exception:  # noqa: BLE001 - a page the date finder chokes on is undated
        return None


def _headline_dateline(visible: str, title: str | None) -> str | None:
    """The :func:`dateline` under a page's headline (``2020年02月01日 08:21 来源：人民网``, which
    the date finder does not read), looked for from the headline's line on: a portal's
    "today" line above it (``2020年2月7日 星期五``) is not the article's date. None when
    ``title`` is not a line of ``visible`` or no dateline follows it."""
    below = _from_headline(visible, title)
    return None if below is None else dateline(below)


def _from_headline(visible: str, title: str | None) -> str | None:
    """``visible`` from the line that holds ``title`` on, or None when none does."""
    head = (title or "").strip()
    lines = visible.splitlines()
    at = next((i for i, line in enumerate(lines) if head and head in line), None)
    return None if at is None else "\n".join(lines[at:])


# The page's date: first what its markup states (meta tags, <time>, elements named date), then
# the dateline under its headline, then htmldate's search through the whole text. That search
# also turns a bare year (© 2019) into 2019-01-01, so a date it finds is kept only when the page
# writes that day in full (see _stated_date).
_DATE_SEARCH = {"extensive_search": False, "original_date": True}


def _stated_date(date: str | None, visible: str) -> str | None:
    """``date`` (``YYYY-MM-DD``) if the page's text writes that day with year, month and day
    (2020年02月27日, 2020-2-27, 2020/02/27, 2020.2.27), with the time written right after it
    (``2020-02-20 10:30:15 来源：新华社`` gives ``2020-02-20 10:30``), else None."""
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", date or "")
    if not match:
        return None
    year, month, day = match.group(1), int(match.group(2)), int(match.group(3))
    written = re.compile(rf"{year}\s*[-/.年]\s*0?{month}\s*[-/.月]\s*0?{day}(?!\d)日?"
                         r"(?:\s*(\d{1,2})[:：时時](\d{2})(?!\d))?")
    found = written.search(visible)
    if not found:
        return None
    hour, minute = found.groups()
    return f"{date} {int(hour):02d}:{minute}" if hour and int(hour) < 24 and int(minute) < 60 else date


_DATELINE = re.compile(r"(?<!\d)(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
                       r"(?:\s*(\d{1,2})[:：时](\d{2}))?(?!\d)")
DATELINE_LINES, DATELINE_CHARS, DATELINE_OTHER = 5, 60, 20
_LETTER = re.compile(r"[^\W\d_]")


def dateline(text: str) -> str | None:
    """The date a saved article states in its head: a line among its first 5 that is a full
    date and little else (at most 20 other letters: a source, an author, 发布时间), such as
    ``2020年02月27日 14:35 来源：中国新闻网`` or ``发布时间：2020-02-27``; ``YYYY-MM-DD[ HH:MM]``,
    or None. A sentence that mentions a date (据报道，2020年2月27日，钟南山表示……) is what the
    article reports on, not when it was published.

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
            year, month, day, hour, minute = match.groups()
            try:
                stamp = dt.datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0))
            except ValueError:
                continue
            return stamp.strftime("%Y-%m-%d %H:%M" if hour else "%Y-%m-%d"), rest.strip()
    return None


_WEEKDAY_WORDS = re.compile(r"星期[一二三四五六日天]|[週周][一二三四五六日]|农历\S*|農曆\S*")


def _is_date_line(line: str) -> bool:
    """Whether ``line`` is a date and no headline: ``2020年2月7日 星期五``, ``2020-02-01 10:30
    来源：新华网``, ``2020年02月27日 14:35 中国新闻网``, but not ``2020年2月1日湖北新增确诊病例1921例``."""
    found = _dateline_parts(line)
    if found is None:
        return False
    rest = _WEEKDAY_WORDS.sub("", found[1]).strip()
    return (len(_LETTER.findall(rest)) <= 2 or stated_source(rest) is not None
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


def _declared_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:4096])
    if not match:
        return None
    try:
        name = normalize_encoding_name(match.group(1).decode("ascii"))
        if name in BIG5_NAMES:  # which of the two Big5 tables, as for an undeclared file
            name = big5_table(data) or name
        data.decode(name)
        return name
    except (InputError, UnicodeDecodeError, LookupError):
        return None


def _decode(data: bytes, encoding: str, fallback: bool) -> tuple[str, str, bool]:
    """Text, the encoding it came from, and whether bytes were broken (decoded per line)."""
    if encoding in WIDE_ENCODINGS:
        try:
            return data.decode(encoding), encoding, False
        except UnicodeDecodeError:
            return data.decode(encoding, errors="replace"), encoding, True
    decoder = LineDecoder(encoding, fallback=fallback)
    lines = [decoder.decode(line) for line in data.splitlines(keepends=True)]
    used = next((ln.encoding for ln in lines if ln.encoding != encoding), encoding)
    return "".join(ln.text for ln in lines), used, any(ln.error for ln in lines)


LIST_LINES, LIST_LINE_CHARS = 100, 120  # a .txt of so many lines, most of them short: posts, not paragraphs
TABLE_LINES = 50  # lines after a tab-separated header looked at: most must have as many cells


def document_shape(record: Record) -> str | None:
    """What a .txt document read whole really is: ``"table"`` when its first line is a
    tab-separated header (``标题\t正文\t发布时间``) and most lines after it have as many
    cells (Excel's "Unicode text" export, saved as .txt), ``"list"`` when it is posts or
    comments one per line (at least 100 non-blank lines, their median at most 120
    characters, as ROST CM and many scrapers write them), else None (an article)."""
    text = (record.values or {}).get("text")
    if not isinstance(text, str):
        return None
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    cells = lines[0].split("\t") if lines else []
    if len(cells) >= 2 and looks_like_header(cells) and len(lines) > 1:
        following = lines[1:1 + TABLE_LINES]
        if sum(len(line.split("\t")) == len(cells) for line in following) >= 0.8 * len(following):
            return "table"
    lengths = sorted(len(line) for line in lines)
    return "list" if len(lengths) >= LIST_LINES and lengths[len(lengths) // 2] <= LIST_LINE_CHARS else None


def shape_note(label: str, shapes: dict[str, list[str]]) -> list[str]:
    """The load's notes on .txt files read whole that are tables or lists (see
    :func:`document_shape`), naming them and how to read them."""
    notes = []
    if shapes.get("table"):
        notes.append(f"{label}: {some_of(shapes['table'], 3)} hold(s) a tab-separated table (a header and "
                     "rows, as Excel saves 'Unicode text') but were read as one document per file; "
                     "move it out of the folder and load it with --format tsv, then load the folder "
                     "again with --replace to take its document out")
    if shapes.get("list"):
        notes.append(f"{label}: {some_of(shapes['list'], 3)} hold(s) a post or comment per line but were read "
                     "as one document per file; to make each line a document, load again with "
                     "--txt-lines --replace")
    return notes


def read_document(path: Path, fmt: str, *, encoding: str = "auto", source: str | None = None,
                  max_bytes: int = DEFAULT_MAX_BYTES) -> Record:
    """Read one .txt/.html file as a record with ``title``, ``text`` and ``source``.

    A file over ``max_bytes`` (``field too long``) or cut short is a rejected record.
    """
    try:
        with open_bytes(path) as fh:
            data = read_whole(fh, max_bytes)
    except InputCutShort as exc:
        return Record(1, None, "", encoding, False, str(exc))
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc})") from exc
    if isinstance(data, LineTooLong):
        return Record(1, None, f"[{path.name} not kept]", encoding, False,
                      data.reason("file"))
    named = named_big5(data, normalize_encoding_name(encoding)) if encoding != "auto" else None
    kind = binary_kind(data[:65536], encoding=named)
    if kind is not None:
        raise InputError(f"{path}: looks like {kind}, not a {fmt} text file; check the file")
    if named is not None:
        why = check_named_encoding(data[:SAMPLE_BYTES], named, truncated=len(data) > SAMPLE_BYTES)
        if why:
            raise InputError(f"{path}: not {named} as --encoding says ({why}); pass another "
                             "--encoding, or --encoding auto")
        chosen = named
    else:
        chosen = (fmt == "html" and _declared_charset(data)) or detect_encoding(data)
    text, used, broken = _decode(data, chosen, fallback=named is None)
    text = text.lstrip("\ufeff")
    date = None
    if fmt == "html":
        title, body, date, visible = _page_parts(text)
    else:
        title, body, visible = first_line(text), text, text
    below = _from_headline(visible, title)
    if fmt != "html":  # a page's date is found with its article (_page_parts)
        date = (dateline(below) if below is not None else None) or dateline(text)
    # the 来源 line is furniture the article leaves out; Sina writes the outlet unlabelled
    outlet = stated_source(visible) or dateline_outlet(below if below is not None else visible)
    values = {"title": title, "text": body, "source": source, PAGE_DATE: date}
    if outlet:
        values[PAGE_SOURCE] = outlet
    return Record(1, values, None, used, broken)


def refuse_named_tables(paths: list[Path], *, encoding: str = "auto") -> None:
    """Stop a load before anything is written when a .txt file named on the command line is
    a tab-separated table (:func:`document_shape`): read as a document it would be one text
    of cells. ``--format txt`` (the caller then passes no paths) reads it as a document."""
    for path in paths:
        try:
            record = read_document(path, "txt", encoding=encoding)
        except (InputError, OSError, ValueError):
            continue  # the load itself says what is wrong with the file
        if document_shape(record) == "table":
            header = str((record.values or {}).get("text", "")).lstrip("\ufeff").splitlines()[0].split("\t")
            raise InputError(f"{path}: a tab-separated table (columns {', '.join(c.strip() for c in header[:6])}), "
                             "as Excel saves 'Unicode text', not a document; load it with --format tsv "
                             "(or --format txt to read it whole)")

