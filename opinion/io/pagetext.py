"""The text of the article trafilatura found on a page, one paragraph a line.

trafilatura's own text renders every table as markdown (``| 导读：… | ``), so an old portal's
layout table (the whole article in one ``<td>``) came out as one line between pipes; and when
the article's frame holds a single block (a ``<br><br>`` article, a one-paragraph 快讯, a
layout table) it widens to the frame around it and appends that frame's headline, dateline
and 责任编辑 after the article. :func:`article_text` reads its XML instead::

    >>> from lxml import etree
    >>> body = etree.fromstring("<body><table><row><cell><p>导读：直播电商</p><p>信任机制</p>"
    ...                         "</cell></row></table></body>")
    >>> article_text(body)
    '导读：直播电商\\n信任机制'
"""

from __future__ import annotations

import re
from copy import deepcopy
from typing import Any

# trafilatura's block elements: what a table cell holding the article is made of
_BLOCKS = frozenset({"p", "head", "list", "quote", "code", "table", "graphic", "div"})
_MOVED_HEAD_LINES = 8  # at most this many lines trail an article: headline, byline, credits
_SPACES = re.compile(r"\s+")


def article_text(body: Any, title: str | None = None, visible: str = "", text: str | None = None) -> str:
    """The text of trafilatura's ``body`` (its XML), one paragraph a line: a layout table's
    cells as the paragraphs they hold, a data table one row a line (``快手 | 3.84亿 | 38%``),
    and without the headline block trafilatura moved after the article (see
    :func:`without_moved_head`; ``visible`` is the page's visible text). ``text``, trafilatura's
    own rendering of ``body``, serves as it is when ``body`` holds no table."""
    if text is None or body.find(".//table") is not None:
        from trafilatura.xml import xmltotxt

        body = deepcopy(body)
        _flatten_tables(body)
        text = xmltotxt(body, False)
    return without_moved_head(text, title, visible)


def _flatten_tables(root: Any) -> None:
    """Flatten the outermost tables under ``root`` (the ones inside them as they come)."""
    outermost = []
    for table in root.iterdescendants("table"):
        above = table.getparent()
        while above is not root and above.tag != "table":
            above = above.getparent()
        if above is root:
            outermost.append(table)
    for table in outermost:
        _flatten(table)


def _flatten(table: Any) -> None:
    """Replace ``table`` in its parent by what it says: the blocks a layout table's cells hold,
    or a data table's rows, each a ``<p>`` of its cells (``平台 | 用户规模 | 占比``)."""
    rows = [[cell for cell in row if cell.tag == "cell"] for row in table.iter("row")
            if next(row.iterancestors("table")) is table]
    cells = [cell for row in rows for cell in row]
    layout = all(len(row) <= 1 for row in rows) or any(
        sum(child.tag in _BLOCKS for child in cell) > 1 or any(d.tag == "table" for d in cell.iterdescendants())
        for cell in cells)
    if layout:
        blocks = [block for cell in cells for block in _cell_blocks(cell)]
    else:
        blocks = []
        for row in rows:
            for part in (d for cell in row for d in cell.iterdescendants() if d.tag == "lb" or d.tag in _BLOCKS):
                part.text = " " + (part.text or "")  # 快手<br>(2021), which trafilatura makes 快手<p>(2021)</p>
            words = [_SPACES.sub(" ", "".join(cell.itertext())).strip() for cell in row]
            if any(words):
                blocks.append(_paragraph(" | ".join(word for word in words if word)))
    parent = table.getparent()
    at = parent.index(table)
    for offset, block in enumerate(blocks):
        parent.insert(at + offset, block)
    if blocks:
        blocks[-1].tail = table.tail
    elif (table.tail or "").strip():
        blocks.append(_paragraph(table.tail))
        parent.insert(at, blocks[0])
    parent.remove(table)
    for block in blocks:  # a table inside a layout cell
        if block.tag == "table":
            _flatten(block)
        else:
            _flatten_tables(block)


def _cell_blocks(cell: Any) -> list[Any]:
    """A layout cell's content as blocks: its block children, and the text and inline
    elements (``<hi>``, ``<lb>``) around them gathered in ``<p>``s."""
    blocks: list[Any] = []
    loose: Any = None

    def take(text: str | None) -> None:
        nonlocal loose
        if text and text.strip():
            if loose is None:
                loose = _paragraph("")
                blocks.append(loose)
            if len(loose):
                loose[-1].tail = (loose[-1].tail or "") + text
            else:
                loose.text = (loose.text or "") + text

    take(cell.text)
    for child in list(cell):
        tail, child.tail = child.tail, None
        if child.tag in _BLOCKS:
            blocks.append(child)
            loose = None
        else:
            if loose is None:
                loose = _paragraph("")
                blocks.append(loose)
            loose.append(child)
        take(tail)
    return blocks


def _paragraph(text: str) -> Any:
    from lxml.etree import Element

    element = Element("p")
    element.text = text
    return element


def without_moved_head(text: str, title: str | None, visible: str) -> str:
    """``text`` without the page's head trafilatura appended after the article: from the
    first line after the article's first that the page shows above it (a breadcrumb, the
    headline, the dateline) on, when those lines hold the headline (``title``) and are a few
    short lines (the 责任编辑 of the frame around the article goes with them)::

        >>> without_moved_head("钟南山表示，疫情有望4月底结束。\\n标题\\n来源：人民网", "标题",
        ...                    "首页\\n标题\\n来源：人民网\\n钟南山表示，疫情有望4月底结束。")
        '钟南山表示，疫情有望4月底结束。'
    """
    head = (title or "").strip()
    lines = text.split("\n")
    start = _shown_at(lines[0], visible)
    if not head or start is None or head not in lines[1:] or not 0 <= visible.find(head) < start:
        return text
    headline = lines.index(head, 1)
    above = [i for i in range(1, headline) if (shown := _shown_at(lines[i], visible)) is not None and shown < start]
    at = min(above, default=headline)
    kept, moved = "\n".join(lines[:at]), lines[at:]
    if len(moved) > _MOVED_HEAD_LINES or sum(map(len, moved)) >= len(kept):
        return text  # more than a page's head follows: the article goes on
    return kept.rstrip()


def _shown_at(line: str, visible: str) -> int | None:
    """Where the page's visible text shows ``line`` (its first 30 characters), or None."""
    words = line.strip()[:30]
    found = visible.find(words) if words else -1
    return None if found < 0 else found
