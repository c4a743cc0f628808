"""Lines of a text input, read with bounded memory and decoded one by one.

A line (or a whole document file) longer than the field limit is not kept in memory: it
is skipped to its end and reported as :class:`LineTooLong`, so a 1 GB line costs no more
memory than the limit. A gzip file that ends early (a cut download) or is corrupt raises
:class:`InputCutShort` after the lines before the damage. Files saved with old Mac line
ends (CR only, "CSV (Macintosh)") are split on CR; UTF-16/32 are decoded as a stream::

    >>> import io
    >>> [line.text for _, line in decoded_lines(io.BytesIO("武汉\\r加油\\r".encode()), "utf-8",
    ...                                         newline=b"\\r")]
    ['武汉\\r', '加油\\r']

The limit is :data:`DEFAULT_MAX_BYTES` (64 MB), changed with ``--max-field-mb``.
"""

from __future__ import annotations

import codecs
import csv
import io
import math
import re
import zlib
from collections.abc import Iterator
from typing import BinaryIO, NamedTuple

from opinion.errors import InputError
from opinion.io.encoding import WIDE_ENCODINGS, DecodedLine, LineDecoder

DEFAULT_MAX_BYTES = 64 * 1024 * 1024
CHUNK_BYTES = 1 << 20
# What a wide decoder puts for bytes it cannot decode: a lone surrogate, which no strict
# UTF-16/32 reading yields, so the line that holds it is known, and it becomes U+FFFD there.
# (A count of errors was kept before 2026-12-08: the decoder reads ahead of the line returned,
# and once one error was counted every later line holding a U+FFFD of its own was flagged.)
_BROKEN = "\udcff"


def _flag_error(exc: UnicodeError) -> tuple[str, int]:
    return _BROKEN, exc.end  # type: ignore[attr-defined]


codecs.register_error("opinion.flag", _flag_error)


class LineTooLong(NamedTuple):
    """A line over the limit, skipped: its length in bytes (characters for UTF-16/32)."""

    size: int
    limit: int

    def reason(self, what: str = "line") -> str:
        return (f"field too long: {what} of {self.size:,} bytes is over the limit of "
                f"{self.limit:,} bytes (--max-field-mb {megabytes(self.limit)})")


CUT_SHORT = "the file is cut short or corrupt"


class InputCutShort(Exception):
    """The compressed stream ends early or is corrupt; the lines before were read."""

    def __init__(self, exc: BaseException) -> None:
        super().__init__(f"{CUT_SHORT} ({type(exc).__name__}: {exc}); "
                         "the rest of it could not be read")


def megabytes(limit: int) -> str:
    """``67108864`` -> ``'64'``; ``1536`` -> ``'0.0015'``."""
    mb = limit / (1024 * 1024)
    return f"{mb:g}" if mb >= 1 else f"{mb:.2g}"


def max_bytes_from_mb(mb: float) -> int:
    """The limit in bytes for ``--max-field-mb``; an :class:`InputError` unless it is a finite
    number above 0 (``inf`` was a traceback; no limit would let one broken line fill memory).

    >>> max_bytes_from_mb(0.5)
    524288
    """
    if not (mb > 0 and math.isfinite(mb)):
        raise InputError(f"must be more than 0 and finite, a number of megabytes such as 64 or 1024; "
                         f"got {mb}", param="max_field_mb")
    return int(mb * 1024 * 1024)


def read_chunk(fh: BinaryIO, size: int = CHUNK_BYTES) -> bytes:
    """``fh.read(size)``, turning a cut or corrupt gzip stream into :class:`InputCutShort`."""
    try:
        return fh.read(size)
    except (EOFError, zlib.error, OSError) as exc:  # gzip.BadGzipFile is an OSError
        raise InputCutShort(exc) from None


def read_whole(fh: BinaryIO, limit: int) -> bytes | LineTooLong:
    """All bytes of ``fh``, or :class:`LineTooLong` (read to the end, not kept) past ``limit``."""
    data = read_chunk(fh, limit + 1)
    if len(data) <= limit:
        return data
    size = len(data)
    del data
    while chunk := read_chunk(fh):
        size += len(chunk)
    return LineTooLong(size, limit)


def raw_lines(fh: BinaryIO, limit: int, newline: bytes = b"\n", *,
              chunk_bytes: int = CHUNK_BYTES) -> Iterator[bytes | LineTooLong]:
    """The lines of ``fh`` with their ends; a line over ``limit`` bytes as LineTooLong."""
    rest = b""
    skipped = 0  # > 0 while inside a line over the limit
    while chunk := read_chunk(fh, chunk_bytes):
        if skipped:
            end = chunk.find(newline)
            if end < 0:
                skipped += len(chunk)
                continue
            yield LineTooLong(skipped + end + 1, limit)
            skipped, chunk = 0, chunk[end + 1:]
        *complete, rest = (rest + chunk).split(newline)
        for line in complete:
            yield LineTooLong(len(line) + 1, limit) if len(line) >= limit else line + newline
        if len(rest) > limit:
            skipped, rest = len(rest), b""
    if skipped:
        yield LineTooLong(skipped, limit)
    elif rest:
        yield rest


def _wide_lines(fh: BinaryIO, encoding: str, limit: int) -> Iterator[DecodedLine | LineTooLong]:
    """UTF-16/32 decoded as a stream; CR, LF and CRLF all end a line."""
    text = io.TextIOWrapper(fh, encoding=encoding, errors="opinion.flag", newline="")
    chars = max(1, limit // 2)
    skipped = 0
    while True:
        try:
            line = text.readline(chars)
        except (EOFError, zlib.error, OSError) as exc:
            raise InputCutShort(exc) from None
        if not line:
            break
        ended = line.endswith(("\n", "\r"))
        if skipped or (len(line) >= chars and not ended):
            skipped += len(line)
            if ended:
                yield LineTooLong(skipped * 2, limit)
                skipped = 0
            continue
        broken = _BROKEN in line
        yield DecodedLine(line.replace(_BROKEN, "\ufffd") if broken else line, encoding, broken)
    if skipped:
        yield LineTooLong(skipped * 2, limit)
    text.detach()


def decoded_lines(fh: BinaryIO, encoding: str, *, fallback: bool = True,
                  limit: int = DEFAULT_MAX_BYTES, newline: bytes = b"\n"
                  ) -> Iterator[tuple[int, DecodedLine | LineTooLong]]:
    """Number and decode each line (see :class:`opinion.io.encoding.LineDecoder`).

    ``fallback=False`` (an encoding named by the user) decodes every line with
    ``encoding`` only: bytes it cannot decode become U+FFFD and flag the line.
    """
    if encoding in WIDE_ENCODINGS:
        yield from enumerate(_wide_lines(fh, encoding, limit), start=1)
        return
    decoder = LineDecoder(encoding, fallback=fallback)
    for number, raw in enumerate(raw_lines(fh, limit, newline), start=1):
        yield number, raw if isinstance(raw, LineTooLong) else decoder.decode(raw)


_QUOTE_OR_END = re.compile(rb'"|\r\n?|\n')


def line_end_of(sample: bytes) -> bytes:
    """``b"\\r"`` for files whose lines end in CR only (old Mac, "CSV (Macintosh)"): more lone
    CRs outside quotes than LFs, so that an Alt-Enter LF inside a cell of such a file does not
    make it an LF file (since 2026-12-08); else ``b"\\n"`` (a lone CR ending a record in an LF
    file is cut there by the CSV reader)."""
    if b"\r" not in sample:
        return b"\n"
    if b"\n" not in sample:
        return b"\r"
    lone, quoted = 0, False
    for match in _QUOTE_OR_END.finditer(sample):
        if match.group() == b'"':
            quoted = not quoted
        elif match.group() == b"\r" and not quoted:
            lone += 1
    return b"\r" if lone > sample.count(b"\n") else b"\n"


_QUOTED_OR_END = re.compile(r'"|\r*\n|\r+')


def record_ends(text: str, quoted: bool, *, width: int | None = None, delimiter: str = ",",
                head: str = "") -> list[str]:
    """``text`` (a line as read) cut after each line end outside quotes before its own end:
    a record ended by a lone CR in an LF file, as a file joined from a Mac ("CSV (Macintosh)")
    and a Windows export has them. ``quoted``: the line starts inside a quoted field, after
    ``head`` (the record's lines before it). With ``width`` (the header's), a cut is made only
    where the record before it is whole, ``width`` fields: a lone CR inside an unquoted cell
    (``武汉封城第一天。\\r大家保重,2020-01-20``) does not cut the post. ``\\r\\r\\n`` (Python's
    csv on Windows, a file opened without ``newline=""``) is one line end.

    >>> record_ends('a,b\\rc,"d\\re"\\n', False)
    ['a,b\\r', 'c,"d\\re"\\n']
    >>> record_ends('武汉\\r加油,2020-01-20\\n', False, width=2)
    ['武汉\\r加油,2020-01-20\\n']
    """
    pieces, start = [], 0
    for match in _QUOTED_OR_END.finditer(text):
        if match.group() == '"':
            quoted = not quoted
        elif not quoted and match.end() < len(text):
            piece = text[start:match.end()]
            if width is None or _whole(head + piece, width, delimiter):
                pieces.append(piece)
                start, head = match.end(), ""
    return [*pieces, text[start:]]


def _whole(record: str, width: int, delimiter: str) -> bool:
    """Whether ``record`` parses as one CSV record of ``width`` fields (blank ones after them
    allowed, as Excel's ``text,date,,``)."""
    try:
        fields = next(csv.reader([record.rstrip("\r\n")], delimiter=delimiter, strict=True), [])
    except csv.Error:
        return False
    return len(fields) == width or (len(fields) > width and not any(f.strip() for f in fields[width:]))
