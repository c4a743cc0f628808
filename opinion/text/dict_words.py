"""Dictionary words in the analysis script: a user's 鑽石公主號 becomes the 钻石公主号 of the posts.

Split out of :mod:`opinion.text.tokenize` (2026-12-08); :func:`analysis_words` is still
importable from there.

Example:
    >>> analysis_words(["鑽石公主號", "原著党"])  # doctest: +SKIP
    ['钻石公主号', '原著党']
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["analysis_words"]

_CONVERTERS = ("tw2s", "hk2s", "t2s")  # the Traditional → Simplified passes a document may get


def analysis_words(words: Sequence[str]) -> list[str]:
    """Dictionary words in the analysis script (Simplified), converted as documents are.

    A word is first what a post holding it gets (:func:`~opinion.text.script.to_analysis`:
    鑽石公主號 → 钻石公主号, and 周乾 → 周干, since 乾 makes a post convert). A word that
    conversion leaves and no Traditional → Simplified pass changes is kept; so is a Simplified
    word a pass would misread (原著党, 显著性: ``tw2s`` writes 原着党, 显着性). A Traditional
    word of a character ``t2s`` keeps (衞, 著) becomes the Simplified word it is written from:
    ``analysis_words(["鑽石公主號", "衞生中心", "看著", "原著党"]) ==
    ["钻石公主号", "卫生中心", "看着", "原著党"]``.
    """
    from opinion.text.script import HANT, to_analysis

    words = list(words)
    if not words:
        return []
    joined = "\n".join(words)  # one pass per converter; a word no pass changes is kept
    passes = [to_analysis(joined, HANT, hant=config).split("\n") for config in _CONVERTERS]
    if any(len(p) != len(words) for p in passes):  # pragma: no cover - conversions keep newlines
        passes = [[to_analysis(w, HANT, hant=config) for w in words] for config in _CONVERTERS]
    out = []
    for i, word in enumerate(words):
        as_posts = to_analysis(word)  # what the documents' text_norm has where the word stands
        if as_posts != word:
            out.append(as_posts)
        else:
            out.append(word if all(p[i] == word for p in passes) else _analysis_word(word))
    return out


def _analysis_word(word: str) -> str:
    """One word's analysis form: when ``word`` is written as Taiwan or Hong Kong script shows
    words (rendering it changes nothing), the conversion (the documents' own first, see
    :func:`~opinion.text.script.hant_config`) whose Simplified form renders back to it (鑽石公主號,
    衞生中心, 看著); else ``word`` when every character is one Simplified writing uses (GB 2312:
    原著党, 么); else the documents' conversion (臺灣 → 台湾)."""
    from opinion.text.script import HANT, hant_config, render, to_analysis

    configs = dict.fromkeys((hant_config(word), *_CONVERTERS))
    forms = [form for form in dict.fromkeys(to_analysis(word, HANT, hant=c) for c in configs) if form != word]
    targets = [t for t in ("zh-Hant-TW", "zh-HK") if render(word, t) == word]  # written in t (么 is not)
    for form in forms:
        if any(render(form, t) == word for t in targets):
            return form
    if not forms or all(_written_in_simplified(ch) for ch in word):
        return word
    return forms[0]


def _written_in_simplified(ch: str) -> bool:
    """Is ``ch`` in GB 2312, the Simplified standard set (著, 乾, 沈 are; 衞, 臺 are not)?"""
    try:
        ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True
