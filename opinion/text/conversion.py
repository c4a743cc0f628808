"""The analysis conversion: how Traditional text is brought to Simplified, in one place.

``prepare`` makes ``text_norm`` with its ``hant`` setting (``auto``, ``t2s``, ``tw2s``,
``tw2sp`` or ``hk2s``). Every view that finds a term in ``text_norm`` and cuts it out of
``text_clean`` (KWIC, the explorer's highlights, report excerpts) must convert the same way,
or a Taiwanese 軟體 made 软件 by ``tw2sp`` is searched as 软体 and never found.
:func:`analysis_hant` is that setting: ``"auto"`` unless a block runs under
:func:`analysis_conversion` (``opinion.kwic.workspace_conversion(ws)`` sets it from the
workspace's recorded settings). The functions of :mod:`opinion.text.script` read it when
no ``hant`` is given.

Example:
    >>> with analysis_conversion("tw2sp"):
    ...     analysis_hant()
    'tw2sp'
    >>> hant_config("佢哋睇戲")
    'hk2s'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from opinion.errors import InputError

HANT_CONVERTERS = ("auto", "t2s", "tw2s", "tw2sp", "hk2s")
# Characters and particles used in Hong Kong writing (Cantonese, HK standard variants).
_HK_MARKERS = re.compile(r"[嘅咗喺冇佢哋啲嘢嚟噉冚揾攞嗰啱睇諗衞綫]")
# Stands in an aligned copy for characters a phrase conversion dropped (部落格 → 博客 + FILLER):
# a Unicode noncharacter, never in a text, so no search term matches it.
FILLER = "\ufdd0"

_HANT: ContextVar[str] = ContextVar("analysis_hant", default="auto")


def check_hant(hant: str) -> str:
    """Return ``hant`` if it names a converter, else raise a one-line error."""
    if hant not in HANT_CONVERTERS:
        raise InputError(f"hant converter must be one of {list(HANT_CONVERTERS)}; got {hant!r}")
    return hant


def analysis_hant() -> str:
    """The converter in effect: the one set by :func:`analysis_conversion`, else ``"auto"``."""
    return _HANT.get()


@contextmanager
def analysis_conversion(hant: str) -> Iterator[str]:
    """Within the block, conversions to the analysis script use ``hant`` (a workspace's
    ``[prepare] hant``), in this thread or task only."""
    token = _HANT.set(check_hant(hant))
    try:
        yield hant
    finally:
        _HANT.reset(token)


def hant_config(text: str, hant: str | None = None) -> str:
    """The OpenCC configuration that brings the Traditional ``text`` to Simplified: ``hant``
    (None: :func:`analysis_hant`), or for ``"auto"`` ``hk2s`` when a Hong Kong marker
    appears, else ``tw2s``.

    ``hant_config("佢哋睇戲") == "hk2s"``
    """
    hant = analysis_hant() if hant is None else hant
    if hant == "auto":
        return "hk2s" if _HK_MARKERS.search(text) else "tw2s"
    return hant


def align(text: str, converted: str, convert: Callable[[str], str]) -> str:
    """``converted`` (``convert(text)``, where a phrase changed the length) with one character
    per character of ``text``. Runs between punctuation pair up; a run whose length changed is
    cut where ``convert`` cuts it into words, and a word made shorter keeps its place with
    :data:`FILLER` after it (部落格 → 博客 + FILLER), one made longer is converted character by
    character.

    ``align("看部落格。", "看博客。", OpenCC("tw2sp").convert) == "看博客" + FILLER + "。"``
    """
    runs, shown = _BETWEEN.split(text), _BETWEEN.split(converted)
    if len(runs) != len(shown):
        shown = [convert(run) for run in runs]
    return "".join(new if len(new) == len(old) else _by_words(old, new, convert) for old, new in zip(runs, shown))


# Phrases never span these: a conversion keeps them, so the runs between them pair up.
_BETWEEN = re.compile(r"([，。！？；：、,.!?;:\s]+)")


def _by_words(run: str, whole: str, convert: Callable[[str], str]) -> str:
    """``run`` converted word by word, each word as long as it was: a cut ``k`` is a word
    boundary when the two sides converted apart give ``whole`` (OpenCC matches the longest
    phrase from the left, so it does not cut inside one)."""
    cuts = [0, *(k for k in range(1, len(run)) if convert(run[:k]) + convert(run[k:]) == whole), len(run)]
    out = []
    for i, j in zip(cuts, cuts[1:]):
        word = convert(run[i:j])
        if len(word) > j - i:  # made longer: character by character
            word = "".join(c if len(one := convert(c)) != 1 else one for c in run[i:j])
        out.append(word + FILLER * (j - i - len(word)))
    return "".join(out)


def find_spans(pattern: str, key: str, flags: int = 0) -> Iterator[tuple[int, int]]:
    """``(start, end)`` in ``key`` of each match of the regex ``pattern``, read past
    :data:`FILLER`: a match may span a filler (用户界面 in 用户 + FILLER + 界面) and takes the
    filler after it, so that a hit on 博客 quotes the whole 部落格 it stands for."""
    if FILLER not in key:
        yield from (found.span() for found in re.finditer(pattern, key, flags))
        return
    where = [i for i, c in enumerate(key) if c != FILLER]
    for found in re.finditer(pattern, key.replace(FILLER, ""), flags):
        if found.end() > found.start():
            end = where[found.end() - 1] + 1
            while end < len(key) and key[end] == FILLER:
                end += 1
            yield where[found.start()], end
