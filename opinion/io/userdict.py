"""The workspace's user dictionary, ``WS/user_dict.txt``: words the analyst accepted.

``opinion newwords --accept 火神山`` adds words here; ``opinion prepare`` always reads this
file (after the shipped domain dictionary and any ``--user-dict``), and its content is part
of the prepare fingerprint, so the next ``prepare`` re-tokenizes every part once. Words are
stored in Simplified (the script of ``text_norm``), one per line in jieba's format with the
frequency theme terms get (20000), so the word stays whole in context too (with jieba's own
minimal frequency, 央视新闻 got 1 and 不吃野味 was cut 不吃 / 野味).

Example:
    >>> accept_words("runs/weibo", ["火神山", "雷神山"])  # doctest: +SKIP
    AcceptReport(added=['火神山', '雷神山'], already=[], path=PosixPath('runs/weibo/user_dict.txt'))
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from opinion.errors import InputError
from opinion.io.atomic import write_text_atomic
from opinion.io.encoding import read_user_text
from opinion.io.workspace import Workspace
from opinion.text.dict_words import analysis_words
from opinion.text.dictionary import never_a_token, parse_dictionary, read_dictionary_text
from opinion.text.tokenize import EXTRA_WORD_FREQ

USER_DICT = "user_dict.txt"
HEADER = "# Words accepted with `opinion newwords --accept` (jieba format: word [freq] [tag]).\n"


def user_dict_path(ws: Workspace | str | Path) -> Path:
    """``WS/user_dict.txt`` (it may not exist yet)."""
    root = ws.root if isinstance(ws, Workspace) else Path(ws)
    return root / USER_DICT


def workspace_user_dicts(ws: Workspace | str | Path) -> tuple[str, ...]:
    """The workspace's user dictionary as a tuple of paths: ``()`` when there is none."""
    path = user_dict_path(ws)
    return (str(path),) if path.is_file() else ()


@dataclass
class AcceptReport:
    """What :func:`accept_words` did."""

    added: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    path: Path | None = None

    def __str__(self) -> str:
        lines = [f"added {len(self.added)} word(s) to {self.path}: {' '.join(self.added) or '-'}"]
        if self.already:
            lines.append(f"already there: {' '.join(self.already)}")
        if self.added and self.path is not None:
            lines.append(f"run `opinion prepare -w {self.path.parent}` to re-tokenize with them")
        return "\n".join(lines)


def read_word_file(path: str | Path) -> list[str]:
    """Words of a file, one per line (the first column; ``#`` comments and blank lines skipped);
    a CSV with a ``word`` column (the ``--out`` table of `opinion newwords`, rank first) gives
    that column, so a trimmed copy of it accepts the words kept, not ``rank``, ``1``, ``2`` …"""
    lines = read_user_text(path, "word list (one word per line)").splitlines()
    table = [line for line in lines if line.strip() and not line.startswith("#")]
    if table:
        import csv

        header = next(csv.reader([table[0]]))
        if "word" in header:
            column = header.index("word")
            return [row[column].strip() for row in csv.reader(table[1:]) if len(row) > column and row[column].strip()]
    words = []
    for line in lines:
        line = line.strip()
        if line and not line.startswith("#"):
            words.append(re.split(r"[\s,，\t]", line, maxsplit=1)[0])
    return words


def word_pieces(raws: Iterable[str]) -> list[str]:
    """The words typed in ``raws``, each split at spaces and commas (``,，、``):
    ``word_pieces(["火神山, 雷神山", "方舱"]) == ["火神山", "雷神山", "方舱"]``."""
    return [piece for raw in raws for piece in re.split(r"[\s,，、]+", raw.strip()) if piece]


def accept_pieces(raws: Iterable[str]) -> list[str]:
    """The words of ``--accept`` values: split at commas (``,，、``) and line breaks only, so a
    pasted ``钻石公主号 100 nz`` stays one (refused) piece instead of three words."""
    return [piece.strip() for raw in raws for piece in re.split(r"[,，、\r\n]+", raw) if piece.strip()]


def _check_word(piece: str, word: str) -> None:
    """One-line :class:`InputError` unless ``word`` can become a token: up to 30 characters of the
    Han run jieba cuts (:func:`~opinion.text.dictionary.never_a_token`, which ``--user-dict`` files
    are checked with too); ``B站`` stays ``B`` / ``站``."""
    if " " in piece.strip() or "\t" in piece:
        raise InputError(f"--accept {piece!r}: one word per value, without spaces; separate words "
                         "with commas (--accept 火神山,雷神山), and give no frequency or tag")
    problem = never_a_token(word)
    if problem:
        raise InputError(f"--accept {piece!r}: {problem}")
    if len(word) > 30:
        raise InputError(f"--accept {piece!r}: a word is at most 30 characters long")


def accept_words(ws: Workspace | str | Path, words: Iterable[str]) -> AcceptReport:
    """Add ``words`` (either script, split at commas) to the workspace's user dictionary, in the
    analysis script (:func:`~opinion.text.dict_words.analysis_words`: 衞生中心 → 卫生中心) with
    frequency :data:`~opinion.text.tokenize.EXTRA_WORD_FREQ`, holding the workspace's lock."""
    from opinion.io.lock import workspace_lock

    ws = ws if isinstance(ws, Workspace) else Workspace.open(ws)
    pieces = accept_pieces(words)
    converted = analysis_words(pieces)
    for piece, word in zip(pieces, converted):
        _check_word(piece, word)
    path = user_dict_path(ws)
    report = AcceptReport(path=path)
    with workspace_lock(ws.root):  # read, add, write: a second writer waits its turn or stops
        existing_text = read_dictionary_text(path) if path.is_file() else HEADER
        stored = [e.word for e in parse_dictionary(existing_text, source=str(path))]
        existing = set(stored) | set(analysis_words(stored))
        for word in converted:
            if word in existing:
                report.already.append(word)
            else:
                existing.add(word)
                report.added.append(word)
        if report.added:
            body = existing_text if existing_text.endswith("\n") else existing_text + "\n"
            write_text_atomic(path, body + "".join(f"{w} {EXTRA_WORD_FREQ}\n" for w in report.added))
    return report
