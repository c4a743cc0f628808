"""Negated words kept whole: 不透明, 不信任, 不满意 as one token, not 透明, 信任, 满意.

jieba cuts 政府不透明 into 政府 / 不 / 透明, and 不 is a stopword: without this step a post
complaining that something is 不透明 counts 透明 in the keywords, word clouds and networks.
:func:`join_negations` joins a one-character negator (不, 没, 未, 无) with the word cut right
after it in the same run of Han characters, before stopwords are dropped, when that word is
a content word: two or :data:`MAX_NEGATED` characters (不 + 满意, not 不 + 是 or 不 + 了; not
不 + 尽如人意, 不 + 一无所有: jieba's four-character idioms after a negator are mostly cut
wrong), neither a stopword nor an everyday word (不 + 知道 stays 知道, which the word views
leave out: :mod:`opinion.text.everyday`), nor a theme term (不信任 would leave the 信任 theme:
the tokenizer passes its ``extra_words``). Words jieba already keeps whole (没有, 不是, 无法,
不能) are untouched. Measured 2026-12-08 on 20,312 Weibo posts and 10,000 shopping reviews:
the tokens of 11.5 % and 16.7 % of them change; the commonest new words are 不明确, 不出门,
不容易, 未出现 (posts) and 不满意, 不方便, 不新鲜, 不支持 (reviews).

Example:
    >>> join_negations(["政府", "不", "透明", "不", "是", "好事"], frozenset({"是"}))
    ['政府', '不透明', '不', '是', '好事']
"""

from __future__ import annotations

from collections.abc import Container, Sequence
from typing import Any

from opinion.text.everyday import EVERYDAY_WORDS

NEGATORS = frozenset("不没未无")
NEGATION_RULE = 1  # in the tokenizer's settings: a change of the rule re-runs `opinion prepare`
MAX_NEGATED = 3  # longest word a negator joins: 不 + 负责任, 不 + 当回事


def negation_settings() -> dict[str, Any]:
    """What decides the joins, for the tokenizer's settings fingerprint."""
    return {"rule": NEGATION_RULE, "negators": sorted(NEGATORS), "longest": MAX_NEGATED,
            "not_joined": sorted(EVERYDAY_WORDS)}


def negation_joins(words: Sequence[str], unjoined: Container[str]) -> list[int]:
    """Indices ``i`` of the negators that join ``words[i + 1]`` (see the module), unless that word
    is in ``unjoined`` (stopwords, theme terms); two joins never touch, as a joined word is no
    negator. The tokenizer uses them to join before a POS filter drops 不 (and keeps the tag of
    the negated word): ``negation_joins(["政府", "不", "透明"], frozenset()) == [1]``."""
    return [i for i, (word, following) in enumerate(zip(words, words[1:]))
            if word in NEGATORS and 2 <= len(following) <= MAX_NEGATED and following[0] not in NEGATORS
            and following not in unjoined and following not in EVERYDAY_WORDS]


def join_negations(words: Sequence[str], unjoined: Container[str]) -> list[str]:
    """``words`` (one Han run, as jieba cut it) with each negator joined to the content word
    after it: ``["不", "透明"]`` → ``["不透明"]``."""
    out = list(words)
    for i in reversed(negation_joins(words, unjoined)):
        out[i:i + 2] = [out[i] + out[i + 1]]
    return out
