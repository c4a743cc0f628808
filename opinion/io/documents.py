"""One document per .txt or .html file: title, text and source.

The title of a .txt file is its first non-blank line and the text is the whole file; an
.html page gives its article (:func:`~opinion.io.pages.html_document`: trafilatura, without
navigation, related links and footer), its title and the date it states::

    >>> read_document(Path("钟南山.html"), "html").values["title"]  # doctest: +SKIP
    '钟南山：疫情有望4月底结束'
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from opinion.errors import InputError, some_of
from opinion.io.columns import looks_like_header
from opinion.io.datelines import dateline, dateline_outlet, first_line, from_headline, stated_source
from opinion.io.encoding import (
    WIDE_ENCODINGS,
    LineDecoder,
    binary_kind,
    check_named_encoding,
    detect_encoding,
    detection_sample,
    named_codec,
    normalize_encoding_name,
)
from opinion.io.lines import DEFAULT_MAX_BYTES, InputCutShort, LineTooLong, read_whole
from opinion.io.pages import declared_charset, html_document, html_to_text, page_parts
from opinion.io.readers import Record
from opinion.io.sources import open_bytes

__all__ = ["PAGE_DATE", "PAGE_SOURCE", "dateline", "dateline_outlet", "document_shape", "first_line",
           "html_document", "html_to_text", "read_document", "refuse_named_tables", "shape_note",
           "stated_source"]

PAGE_DATE = "page_date"  # the publication date a page states (a document's value, not a column)
PAGE_SOURCE = "page_source"  # the outlet a page names (来源：新华社), kept in meta


def _decode(data: bytes, encoding: str, fallback: bool) -> tuple[str, str, bool]:
    """Text, the encoding it came from, and whether bytes were broken (decoded per line)."""
    if encoding in WIDE_ENCODINGS:
        try:
            return data.decode(encoding), encoding, False
        except UnicodeDecodeError:
            return data.decode(encoding, errors="replace"), encoding, True
    decoder = LineDecoder(encoding, fallback=fallback)
    lines = [decoder.decode(line) for line in data.splitlines(keepends=True)]
    # the encoding most of the text came from: a UTF-8 article with one Big5 line appended is
    # UTF-8 (until 2026-12-08 the first line read in another encoding named the document's)
    share = Counter[str]()
    for line in lines:
        share[line.encoding] += len(line.text)
    used = share.most_common(1)[0][0] if share else encoding
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
    named = named_codec(data, normalize_encoding_name(encoding)) if encoding != "auto" else None
    kind = binary_kind(data[:65536], encoding=named)
    if kind is not None:
        raise InputError(f"{path}: looks like {kind}, not a {fmt} text file; check the file")
    if named is not None:
        sample, truncated = detection_sample(data)
        why = check_named_encoding(sample, named, truncated=truncated)
        if why:
            raise InputError(f"{path}: not {named} as --encoding says ({why}); pass another "
                             "--encoding, or --encoding auto")
        chosen = named
    else:
        # detected on the first 256 KB, as for a table: the whole of a 16 MB file was decoded
        # four times over and peaked at 60 times its size in memory (until 2026-12-08)
        sample, truncated = detection_sample(data)
        chosen = (fmt == "html" and declared_charset(data)) or detect_encoding(sample, truncated=truncated)
    text, used, broken = _decode(data, chosen, fallback=named is None)
    text = text.lstrip("\ufeff")
    date = None
    if fmt == "html":
        title, body, date, visible = page_parts(text)
    else:
        title, body, visible = first_line(text), text, text
    below = from_headline(visible, title)
    if fmt != "html":  # a page's date is found with its article (page_parts)
        date = (dateline(below) if below is not None else None) or dateline(text)
    # the 来源 line is furniture the article leaves out; Sina writes the outlet unlabelled
    outlet = stated_source(visible, title) or dateline_outlet(below if below is not None else visible)
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

