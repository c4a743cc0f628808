"""Pinyin that converters and teaching texts put after characters, and how to remove it.

    >>> remove_pinyin("市場規(guī)模(CNNIC)")
    '市場規模(CNNIC)'
    >>> remove_pinyin("我(wǒ)们(men)的(de)祖(zǔ)国(guó)")
    '我们的祖国'
"""

from __future__ import annotations

import re

_HAN = r"\u3400-\u4dbf\u4e00-\u9fff"
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ"
_SYLLABLE = (
    rf"(?:[bpmfdtnlgkhjqxrzcsyw]|zh|ch|sh)?[aeiouv{_TONED}]{{1,4}}(?:ng|n|r)?"
)
# A Han character, then "(pīnyīn)" in half- or full-width brackets, toned or not (的(de),
# 们(men)); a word's syllables may be spaced (蹒跚（pán shān）). Real parentheticals such as
# (CNNIC), (组图) are never syllables; (a) is, and stays unless a tone mark beside it shows it is
# pinyin (see remove_pinyin).
_SYLLABLES = re.compile(
    rf"(?<=[{_HAN}])[(（]({_SYLLABLE}(?: ?{_SYLLABLE}){{0,5}})[)）]"
)
_TONE_MARK = re.compile(f"[{_TONED}]")
_ONE_HAN = re.compile(f"[{_HAN}]")
_UNTONED = str.maketrans("āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ", "aaaaeeeeiiiioooouuuuvvvvvnnnm")
# Every syllable of Mandarin, by initial (ü written v): a bracketed group is pinyin only when each
# of its words splits into these, so café (ca + fé), rosé, fiancée and purée (pu + re + e: a
# syllable opening with a vowel inside a word would need an apostrophe) stay as written.
_FINALS_BY_INITIAL = {
    "": "a ai an ang ao e ei en eng er o ou m n ng hm",
    "b": "a ai an ang ao ei en eng i ian iao ie in ing o u",
    "p": "a ai an ang ao ei en eng i ian iao ie in ing o ou u",
    "m": "a ai an ang ao e ei en eng i ian iao ie in ing iu o ou u",
    "f": "a an ang ei en eng o ou u",
    "d": "a ai an ang ao e ei en eng i ia ian iao ie ing iu ong ou u uan ui un uo",
    "t": "a ai an ang ao e ei eng i ian iao ie ing ong ou u uan ui un uo",
    "n": "a ai an ang ao e ei en eng i ian iang iao ie in ing iu ong ou u uan un uo v ve",
    "l": "a ai an ang ao e ei eng i ia ian iang iao ie in ing iu o ong ou u uan un uo v ve",
    "g": "a ai an ang ao e ei en eng ong ou u ua uai uan uang ui un uo",
    "k": "a ai an ang ao e ei en eng ong ou u ua uai uan uang ui un uo",
    "h": "a ai an ang ao e ei en eng ong ou u ua uai uan uang ui un uo",
    "j": "i ia ian iang iao ie in ing iong iu u uan ue un",
    "q": "i ia ian iang iao ie in ing iong iu u uan ue un",
    "x": "i ia ian iang iao ie in ing iong iu u uan ue un",
    "zh": "a ai an ang ao e ei en eng i ong ou u ua uai uan uang ui un uo",
    "ch": "a ai an ang ao e en eng i ong ou u ua uai uan uang ui un uo",
    "sh": "a ai an ang ao e ei en eng i ou u ua uai uan uang ui un uo",
    "r": "an ang ao e en eng i ong ou u ua uan ui un uo",
    "z": "a ai an ang ao e ei en eng i ong ou u uan ui un uo",
    "c": "a ai an ang ao e en eng i ong ou u uan ui un uo",
    "s": "a ai an ang ao e en eng i ong ou u uan ui un uo",
    "y": "a an ang ao e i in ing o ong ou u uan ue un",
    "w": "a ai an ang ei en eng o u",
}
_VALID = frozenset(initial + final for initial, finals in _FINALS_BY_INITIAL.items() for final in finals.split())
# A reading taught in the text is kept: 三个羊念（shān）, 垚读作(yáo), 拼音(pīn yīn).
_READING = re.compile(rf"(?:念|读|讀|读作|讀作|读音|讀音|拼音|注音|发音|發音)[{_HAN}]?$")


def _splits(word: str, toned: list[bool], start: int = 0) -> bool:
    """Can ``word[start:]`` be cut into syllables of one tone mark at most, none but the first
    opening with a, o or e, and, in a word with tone marks, none but the last without one
    (``résumé``: re + su + mé)?"""
    if start == len(word):
        return True
    for end in range(min(len(word), start + 6), start, -1):
        piece = word[start:end]
        if piece not in _VALID or (start and piece[0] in "aoe") or sum(toned[start:end]) > 1:
            continue
        if end < len(word) and any(toned) and not any(toned[start:end]):
            continue
        if _splits(word, toned, end):
            return True
    return False


def is_pinyin(group: str) -> bool:
    """Whether each word of ``group`` is pinyin syllables: ``is_pinyin("pán shān")`` is True,
    ``is_pinyin("café")`` False."""
    for word in group.split(" "):
        toned = [c in _TONED and c != "ü" for c in word]
        if not _splits(word.lower().translate(_UNTONED), toned):
            return False
    return True


def split_pinyin(text: str) -> tuple[str, list[str]]:
    """``(text without pinyin annotations, the annotations removed)``; see :func:`remove_pinyin`.

    ``split_pinyin("規(guī)模") == ("規模", ["(guī)"])``
    """
    if "(" not in text and "（" not in text:
        return text, []
    groups = [g for g in _SYLLABLES.finditer(text) if is_pinyin(g.group(1))]
    if not groups:
        return text, []
    drop: set[int] = set()
    run = [0]
    for i in range(1, len(groups) + 1):  # runs of groups one character apart: 我(wǒ)们(men)的(de)
        if i < len(groups) and _ONE_HAN.fullmatch(text[groups[i - 1].end():groups[i].start()]):
            run.append(i)
            continue
        toned = [j for j in run if _TONE_MARK.search(groups[j].group(1))]
        if len(run) > 1:
            drop.update(run if toned else [])
        elif toned and not _READING.search(text[max(groups[run[0]].start() - 4, 0):groups[run[0]].start()]):
            drop.update(toned)
        run = [i]
    kept, removed, last = [], [], 0
    for j in sorted(drop):
        kept.append(text[last:groups[j].start()])
        removed.append(groups[j].group())
        last = groups[j].end()
    return "".join(kept) + text[last:], removed


def remove_pinyin(text: str) -> str:
    """Remove pinyin that converters insert after characters: ``規(guī)模`` → ``規模``.

    Bracketed pinyin with a tone mark goes wherever it stands, but a reading the text teaches
    (``三个羊念（shān）``) and a word that is not syllables (``咖啡(café)``) stay. A syllable without
    a mark (the neutral tone of ``的(de)``, ``们(men)``) goes where characters are annotated one
    after another and a tone mark shows the run is pinyin (``我(wǒ)们(men)`` → ``我们``); alone, a
    bracketed ``(a)`` or ``(men)`` is text and stays.

    ``remove_pinyin("長(cháng)城(CNNIC)(以下簡稱《報告》)") == "長城(CNNIC)(以下簡稱《報告》)"``
    """
    return split_pinyin(text)[0]
