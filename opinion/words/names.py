"""File-name parts made from names the analyst or the corpus chose (themes, sources, topic labels).

A theme called ``防疫/口罩`` or ``../../出界``, a source of 70 emoji or one holding a
right-to-left override must still give one file inside the chosen folder, on Linux, macOS
and Windows alike. :func:`file_part` makes such a name safe; the network's file names
(:meth:`opinion.words.groups.DocFilter.slug`) and the word clouds' use it.

Example:
    >>> file_part("防疫/口罩")
    '防疫_口罩'
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

MAX_NAME_BYTES = 150  # a file-name part, in UTF-8 bytes: room for a prefix, an extension and a temp suffix under 255
UNSAFE = '/\\:*?"<>|'  # path separators, and the characters Windows refuses in a file name
# Windows' device names, a superscript digit too (COM¹, LPT³: Microsoft's "Naming Files" lists them)
RESERVED = {"con", "prn", "aux", "nul", *(f"{port}{digit}" for port in ("com", "lpt") for digit in "0123456789¹²³")}
_DOTS = re.compile(r"\.{2,}")


def _visible(char: str) -> bool:
    """Not a control or format character (NUL, U+202E RIGHT-TO-LEFT OVERRIDE, U+2066, ZWSP) nor
    half of a surrogate pair (``\ud800`` alone, which no file system can write)."""
    return unicodedata.category(char) not in ("Cc", "Cf", "Cs")


def file_part(name: str, *, max_bytes: int = MAX_NAME_BYTES, empty: str = "all") -> str:
    """``name`` as one safe part of a file name.

    Whitespace around it is dropped; path separators, ``:*?"<>|`` and whitespace inside become
    ``_``, runs of dots ``_`` (no ``..``), control and format characters (bidi overrides) are
    left out (a lone surrogate too), leading and trailing dots are dropped (no hidden file;
    Windows drops them), a Windows device name (``CON``, ``NUL``, ``COM¹``) gets a ``_``, and a
    part longer than ``max_bytes``
    UTF-8 bytes is cut on a character and ends in ``~`` and 8 hex digits of the whole name, so
    two long names that begin alike stay two files. ``empty`` stands for a name with nothing left.
    Two names may give one part (``防疫/口罩`` and ``防疫:口罩``): callers that write several
    files in one folder number the later ones (``防疫_口罩_2``: ``cloud_file_names``).

    >>> file_part("../../出界"), file_part("中美: 贸易?"), file_part("")
    ('____出界', '中美__贸易_', 'all')
    >>> len(file_part("很长的议题名称" * 20).encode())
    150
    """
    text = "".join("_" if c in UNSAFE or c.isspace() else c for c in name.strip() if c.isspace() or _visible(c))
    text = _DOTS.sub("_", text).lstrip(".").rstrip(". ")
    if not text:
        return empty
    if text.split(".")[0].casefold() in RESERVED:
        text = f"{text}_"
    encoded = text.encode("utf-8")
    if len(encoded) <= max_bytes:
        return text
    digest = hashlib.sha1(name.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    head = encoded[:max_bytes - len(digest) - 1].decode("utf-8", "ignore")
    return f"{head}~{digest}"
