"""User and domain dictionary files: ``word [freq] [tag]`` per line, as jieba reads them.

A dictionary word must be a run of the Han characters jieba cuts (:func:`never_a_token`);
a CSV saved from Excel (``火神山,20000,nz``), a fractional frequency or ``B站`` is a one-line
:class:`~opinion.errors.InputError` naming the file and line, not an entry that silently
does nothing.

Example:
    >>> parse_dictionary("火神山 20000 nz\\n# 注释\\n方舱医院")
    [DictEntry(word='火神山', freq=20000, tag='nz'), DictEntry(word='方舱医院', freq=None, tag=None)]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from opinion.errors import InputError
from opinion.text.dict_words import analysis_words

MAX_FREQ = 10**9  # largest dictionary frequency (rjieba overflowed on 10**20)
HAN_WORD = re.compile(r"[\u4e00-\u9fd5]+")  # what a dictionary word can be: a Han run jieba cuts


@dataclass(frozen=True)
class DictEntry:
    """One dictionary word: ``DictEntry("直播电商", 20000, "nz")``; freq/tag may be None."""

    word: str
    freq: int | None = None
    tag: str | None = None


def read_dictionary(path: str | Path) -> list[DictEntry]:
    """Read a jieba user dictionary: ``word [freq] [tag]`` per line, ``#`` comments; each word is
    brought to the analysis script by :func:`analysis_words` (鑽石公主號 → 钻石公主号, 衞生中心 →
    卫生中心; a Simplified word such as 原著党 stays as written).

    Raises :class:`InputError` naming the file and line of a malformed entry: ``火神山,20000,nz``
    (a CSV), ``火神山 100.0``, ``B站`` (never a token: see :func:`never_a_token`).
    """
    path = Path(path)
    entries = parse_dictionary(read_dictionary_text(path), source=str(path))
    words = analysis_words([e.word for e in entries])
    return [DictEntry(word, e.freq, e.tag) for word, e in zip(words, entries)]


def read_dictionary_text(path: str | Path) -> str:
    """The text of a UTF-8 dictionary file; one-line :class:`InputError` naming the file (with an
    ``iconv`` command for a GB18030 or Big5 file) when it cannot be read."""
    path = Path(path)
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: the user dictionary is not UTF-8 ({exc.reason} at byte "
                         f"{exc.start}){_encoding_hint(path)}") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read the user dictionary ({exc}); "
                         "give a UTF-8 text file with 'word [freq] [tag]' per line") from exc


def _encoding_hint(path: Path) -> str:
    """How to make a GB18030 or Big5 dictionary UTF-8: an ``iconv`` command for each of the two
    it decodes as. Almost any Big5 file also decodes as GB18030 (into mojibake), so when both
    do, both commands are given: until 2026-12-08 a Big5 file was said to be GB18030."""
    data = path.read_bytes()
    fits = [encoding for encoding in ("gb18030", "big5") if _decodes(data, encoding)]
    if not fits:
        return "; save it as UTF-8 with 'word [freq] [tag]' per line"
    commands = " or ".join(f"`iconv -f {e} -t utf-8 {path.name} > {path.stem}.utf8{path.suffix}`" for e in fits)
    return (f"; it reads as {' or '.join(fits)} (a mainland GBK/'ANSI' file is gb18030, a Taiwan or "
            f"Hong Kong one big5): convert it with {commands}")


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def parse_dictionary(text: str, *, source: str = "<dictionary>") -> list[DictEntry]:
    """Parse dictionary lines (see :func:`read_dictionary`); a line that is not ``word [freq] [tag]``
    with a whole-number frequency, or whose word could never be a token (:func:`never_a_token`),
    is a one-line :class:`InputError` naming ``source`` and the line."""
    entries = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        word, freq, tag = parts[0], None, None
        rest = parts[1:]
        where = f"{source} line {number}: {line[:80]!r}"
        if "," in word or "，" in word:
            raise InputError(f"{where} is not 'word [freq] [tag]': separate the columns with spaces, "
                             "not commas (a CSV saved from Excel: save it as text, or replace the commas)")
        if rest and rest[0][0].isdigit():
            if not rest[0].isdecimal() or int(rest[0]) > MAX_FREQ:
                raise InputError(f"{where}: the frequency must be a whole number from 0 to {MAX_FREQ:,} "
                                 "(jieba's commonest word, 了, has 883,634)")
            freq = int(rest.pop(0))
        if rest and re.fullmatch(r"[a-zA-Z]+", rest[0]):
            tag = rest.pop(0)
        if rest:
            raise InputError(f"{source} line {number}: expected 'word [freq] [tag]', got {line!r}; "
                             "words may not contain spaces")
        problem = never_a_token(word)
        if problem and never_a_token(analysis_words([word])[0]):
            raise InputError(f"{where}: {problem}; remove the line")
        entries.append(DictEntry(word, freq, tag))
    return entries


def never_a_token(word: str) -> str | None:
    """Why a dictionary word could never be one token, or None when it can: it must be a run of
    the Han characters jieba cuts (U+4E00..U+9FD5). ``never_a_token("火神山")`` is None;
    ``never_a_token("B站")`` says why (the user dictionary and ``newwords --accept`` both check)."""
    if HAN_WORD.fullmatch(word):
        return None
    return ("a word is made of Han characters only (not letters, digits, #, invisible characters or "
            "rare ideographs): the tokenizer cuts those apart before the dictionary applies, so the "
            "word could never be a token")
