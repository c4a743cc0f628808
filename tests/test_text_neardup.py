"""Near-duplicates: real Weibo posts and made-up copies of them (scrambled, re-punctuated,
emoji-padded, re-tagged); ``tests/data/text/weibo_neardup_posts.tsv`` holds 120 real posts
no two of which share 30% of their character bigrams."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest

from opinion.text.neardup import (
    NearDupSettings,
    _codes,
    bigram_hashes,
    near_duplicate_firsts,
    near_duplicates,
    shingle_key,
    signatures,
)

POSTS = Path(__file__).parent / "data" / "text" / "weibo_neardup_posts.tsv"
PUNCT = "，。！？、；：…"
EMOJI = ["😷", "🙏", "💪", "❤️", "😭", "👍", "[doge]", "🌸"]


def _posts() -> list[str]:
    lines = POSTS.read_text(encoding="utf-8").splitlines()[1:]
    return [line.split("\t", 1)[1] for line in lines]


def scrambled(text: str, rng: random.Random, share: float = 0.05) -> str:
    """Swap adjacent characters at ``share`` of the positions (at least once)."""
    chars = list(text)
    for _ in range(max(1, int(len(chars) * share))):
        i = rng.randrange(len(chars) - 1)
        chars[i], chars[i + 1] = chars[i + 1], chars[i]
    return "".join(chars)


def repunctuated(text: str, rng: random.Random) -> str:
    """Punctuation swapped, dropped or added, full-width made half-width, spaces added."""
    out = []
    for char in text:
        if char in PUNCT:
            out.append(rng.choice(["", " ", "!", "，", "。。。", "?"]))
        else:
            out.append(char)
            if rng.random() < 0.05:
                out.append(rng.choice(["，", " ", "！！", "~"]))
    return "".join(out)


def emoji_padded(text: str, rng: random.Random) -> str:
    """Emoji at both ends and between some characters."""
    middle = "".join(c + (rng.choice(EMOJI) if rng.random() < 0.05 else "") for c in text)
    return "".join(rng.choices(EMOJI, k=3)) + middle + " " + "".join(rng.choices(EMOJI, k=4))


def retagged(text: str, rng: random.Random) -> str:
    """Another trending tag in front, with a scramble (the bot pattern of the corpus)."""
    return f"#{rng.choice(['武汉加油', '钟南山说', '全国确诊病例'])}#" + scrambled(text, rng, 0.02)


VARIANTS = {"scrambled": scrambled, "repunctuated": repunctuated, "emoji": emoji_padded,
            "retagged": retagged}


def test_neardup_finds_copies_of_real_posts_and_spares_distinct_ones() -> None:
    posts = _posts()
    assert len(posts) == 120
    rng = random.Random(14)
    copies, origin = [], []
    for make in VARIANTS.values():
        for i, post in enumerate(posts):
            copies.append(make(post, rng))
            origin.append(i)
    firsts = near_duplicate_firsts(posts + copies)
    wrongly = sum(f is not None for f in firsts[:len(posts)])
    assert wrongly <= 0.01 * len(posts)  # distinct real posts flagged by mistake: at most 1%
    found = [firsts[len(posts) + k] == origin[k] for k in range(len(copies))]
    for name in VARIANTS:  # each kind of copy: at least 90% point to their original
        start = list(VARIANTS).index(name) * len(posts)
        assert np.mean(found[start:start + len(posts)]) >= 0.9, name


def test_neardup_is_seeded_and_order_independent_of_runs() -> None:
    posts = _posts()[:40]
    texts = posts + [emoji_padded(p, random.Random(i)) for i, p in enumerate(posts)]
    assert near_duplicate_firsts(texts) == near_duplicate_firsts(texts)
    other = near_duplicate_firsts(texts, NearDupSettings(seed=7))
    assert sum(a != b for a, b in zip(near_duplicate_firsts(texts), other)) <= 2  # seed: same clusters


@pytest.mark.parametrize("texts, expected", [
    (["#武汉加油# ?", "#武汉 加油#", "#武汉必胜#"], [None, 0, None]),  # tags only: exact copies only
    (["#钟南山# 大家一定要戴口罩勤洗手", "#武汉# 大家一定要戴口罩勤洗手！"], [None, 0]),  # another tag
    (["#新冠肺炎# 万众一心，热干面加油", "#新冠肺炎# 病毒退散！"], [None, None]),  # a shared tag only
    (["", "", "?"], [None, None, None]),  # nothing to compare
])
def test_neardup_tags_and_short_posts(texts: list[str], expected: list[int | None]) -> None:
    assert near_duplicate_firsts(texts) == expected


def test_neardup_clusters_do_not_chain() -> None:
    a = "今天的新闻说武汉新增病例明显下降大家继续坚持"
    b = a[:12] + "上海北京广州深圳杭州成都重庆"
    c = b[12:] + "南京苏州天津西安长沙郑州"
    firsts = near_duplicate_firsts([a, a + "！", b, c])
    assert firsts[1] == 0 and firsts[3] != 0  # c resembles b, not a


def test_neardup_keys_and_lengths() -> None:
    assert shingle_key("武汉 加油！！ABC😷") == "武汉加油abc"
    _, letters = near_duplicates(["#武汉加油# 大家保重", "#武汉加油#"])
    assert letters.tolist() == [4, 0]


def test_signatures_estimate_jaccard() -> None:
    rng = random.Random(0)
    posts = [p for p in _posts() if len(shingle_key(p)) > 60][:60]
    copies = [scrambled(p, rng, 0.08) for p in posts]
    codes, lengths = _codes(posts + copies)
    hashes, starts = bigram_hashes(codes, lengths)
    sig = signatures(hashes, starts, 64)
    n = len(posts)
    estimate = (sig[:n] == sig[n:]).mean(axis=1)

    def exact(a: str, b: str) -> float:
        x = {a[i:i + 2] for i in range(len(a) - 1)}
        y = {b[i:i + 2] for i in range(len(b) - 1)}
        return len(x & y) / len(x | y)

    truth = np.array([exact(shingle_key(a), shingle_key(b)) for a, b in zip(posts, copies)])
    assert abs((estimate - truth).mean()) < 0.03  # unbiased
    assert np.abs(estimate - truth).mean() < 0.08


def _overlapping_excerpts() -> list[str]:
    """Three excerpts of one real post, each overlapping the next: A~B and B~C, A not ~C."""
    key = next(shingle_key(p) for p in _posts() if len(set(shingle_key(p))) > 60)
    return [key[0:30], key[8:38], key[16:46]]


def test_neardup_order_decides_which_texts_are_kept() -> None:
    a, b, c = _overlapping_excerpts()
    assert near_duplicate_firsts([a, b, c]) == [None, 0, None]  # A first: B joins A, C stays
    assert near_duplicate_firsts([a, b, c], order=[1, 0, 2]) == [1, None, 1]  # B first: A and C join B
    rows = [c, a, b]  # another row order, taken in the same order of texts: the same clusters
    assert near_duplicate_firsts(rows, order=[1, 2, 0]) == [None, None, 1]
    letters = near_duplicates(["#武汉加油# 大家保重", "#武汉加油#"], order=[1, 0])[1]
    assert letters.tolist() == [4, 0]  # per text, whatever the order
    with pytest.raises(ValueError, match="permutation"):
        near_duplicate_firsts([a, b], order=[0, 0])
