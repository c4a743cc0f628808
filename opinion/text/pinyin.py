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


def remove_pinyin(text: str) -> str:
    """Remove pinyin that converters insert after characters: ``規(guī)模`` → ``規模``.

    Bracketed pinyin with a tone mark goes wherever it stands. A syllable without a mark (the
    neutral tone of ``的(de)``, ``们(men)``) goes where characters are annotated one after
    another and a tone mark shows the run is pinyin (``我(wǒ)们(men)`` → ``我们``); alone, a
    bracketed ``(a)`` or ``(men)`` is text and stays.

    ``remove_pinyin("長(cháng)城(CNNIC)(以下簡稱《報告》)") == "長城(CNNIC)(以下簡稱《報告》)"``
    """
    if "(" not in text and "（" not in text:
        return text
    groups = list(_SYLLABLES.finditer(text))
    if not groups:
        return text
    drop: set[int] = set()
    run = [0]
    for i in range(1, len(groups) + 1):  # runs of groups one character apart: 我(wǒ)们(men)的(de)
        if i < len(groups) and _ONE_HAN.fullmatch(text[groups[i - 1].end():groups[i].start()]):
            run.append(i)
            continue
        toned = [j for j in run if _TONE_MARK.search(groups[j].group(1))]
        drop.update(run if toned and len(run) > 1 else toned)
        run = [i]
    kept, last = [], 0
    for j in sorted(drop):
        kept.append(text[last:groups[j].start()])
        last = groups[j].end()
    return "".join(kept) + text[last:]
