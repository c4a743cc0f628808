"""Template, bot and advert posts: a documented spam score from four signals.

``spam_score`` is the largest of:

1. **scrambled or garbled text** — bots shuffle the characters of scraped text so that
   copies look new (``区链块 … 字数币货``). Then few adjacent Chinese characters form a pair
   seen inside a dictionary word: :func:`dictionary_pair_share` (text without its tags) is
   0.58 in the median Weibo post of 50+ pairs (1st percentile 0.43) and 0.38 in the median
   ``#每日一善#`` bot post. The two ranges overlap, so per post only clear
   cases score: from 0 at ``scrambled_from`` (0.33) to 1 at ``scrambled_to`` (0.23), for
   texts with at least ``min_pairs`` (50) pairs (one phrase repeated forty times, ads
   with a symbol between characters, and a few lists of names). A campaign is clearer:
2. **campaign template** — a leading run of hashtags (``#每日一善# #阳光信用#``) shared by
   at least ``template_posts`` (20) posts (of ``template_pairs``, 30, pairs or more)
   whose median share is at most ``template_share`` (0.40): every post opening with that
   template scores 1. On the 620k Weibo posts the bot template's median is 0.381 and
   the next lowest of the 1,114 such templates 0.433. No hashtag is named in advance.
3. **hashtags only** — a post whose text besides its ``#话题#`` tags has fewer than
   ``min_letters`` (5) letters or digits (``#武汉加油# ?``) scores ``hashtag_only`` (0.6):
   it says nothing of its own, and such check-ins come in thousands.
4. **coupon ad** — a post with both a coupon (领券, 需用券, 券后, ``30元券``, 优惠券) and a price
   (``19.9元``, ``【24.90】``, ``¥9``) scores ``coupon_ad`` (1.0): a product listing, often under
   a trending hashtag (``#意大利宣布进入国家紧急状态# … 【70元券】微博专享限时领券``). A price alone
   (口罩原价10元现在卖50元) or a coupon alone (a brand's live-stream announcement) is opinion,
   not an ad. On the 620k Weibo posts 2,570 posts (0.4%) have both; 30 of 30 drawn at random
   are product listings, none of which the other signals flagged (2026-12-05).

A post is spam when its score is at least ``threshold`` (0.5). The figures are measured by
``benchmarks/neardup_weibo.py`` on the 620k Weibo posts.

Example:
    >>> spam_scores(["#武汉加油# ?", "今天天气很好，出去走走"]).tolist()
    [0.6, 0.0]
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from opinion.text.neardup import without_hashtags

_LEAD = re.compile(r"^\s*((?:#[^#\n]{1,60}#\s*)+)")
_LETTERS = re.compile(r"[^\W_]")
_TAG = re.compile(r"#[^#\n]{1,60}#")
_COUPON = re.compile(r"领券|需用券|券后|\d元券|优惠券")
_PRICE = re.compile(r"\d+(?:\.\d+)?\s?元|【\d+(?:\.\d+)?】|[¥￥]\s?\d")


@dataclass(frozen=True)
class SpamSettings:
    """Thresholds of :func:`spam_scores` (see the module docstring)."""

    threshold: float = 0.5
    scrambled_from: float = 0.33
    scrambled_to: float = 0.23
    min_pairs: int = 50
    template_posts: int = 20
    template_pairs: int = 30
    template_share: float = 0.40
    hashtag_only: float = 0.6
    min_letters: int = 5
    coupon_ad: float = 1.0


_CJK_FIRST, _CJK_SIZE = 0x4E00, 0x9FFF - 0x4E00 + 1


@functools.lru_cache(maxsize=1)
def _word_pairs() -> np.ndarray:
    """Bitmap of the pairs of Chinese characters found inside jieba's dictionary words
    (words with frequency >= 3): bit ``a * 20992 + b`` for characters ``a``, ``b``."""
    import jieba

    text = Path(jieba.__file__).with_name("dict.txt").read_text(encoding="utf-8")
    words = [w for w, freq, *_ in (line.split(" ") for line in text.splitlines() if " " in line)
             if len(w) > 1 and not (freq.isdigit() and int(freq) < 3)]
    codes = np.frombuffer("\n".join(words).encode("utf-32-le"), dtype=np.uint32).astype(np.int64) - _CJK_FIRST
    inside = (codes[:-1] >= 0) & (codes[:-1] < _CJK_SIZE) & (codes[1:] >= 0) & (codes[1:] < _CJK_SIZE)
    index = np.unique(codes[:-1][inside] * _CJK_SIZE + codes[1:][inside])
    bits = np.zeros(_CJK_SIZE * _CJK_SIZE // 8 + 1, dtype=np.uint8)
    np.bitwise_or.at(bits, index >> 3, (1 << (index & 7)).astype(np.uint8))
    return bits


def dictionary_pair_share(texts: Sequence[str], *, chunk: int = 50_000) -> tuple[np.ndarray, np.ndarray]:
    """Per text: the share of its adjacent Chinese characters (punctuation and spaces
    dropped) that form a pair seen inside a dictionary word, and how many pairs it has.

    ``"今天天气很好，我们出去走走吧"`` -> 7 of 12 pairs; scrambled, ``"天今气天很好，们我去出走走吧"``
    -> 4 of 12.
    """
    from opinion.text.neardup import _codes

    bits = _word_pairs()
    shares, totals = [], []
    for begin in range(0, len(texts), chunk):
        codes, lengths = _codes(list(texts[begin:begin + chunk]))
        codes = codes.astype(np.int64) - _CJK_FIRST
        doc = np.repeat(np.arange(len(lengths)), lengths)
        pair = (doc[1:] == doc[:-1]) & (codes[1:] >= 0) & (codes[1:] < _CJK_SIZE) \
            & (codes[:-1] >= 0) & (codes[:-1] < _CJK_SIZE)
        where = np.flatnonzero(pair)
        index = codes[where] * _CJK_SIZE + codes[where + 1]
        known = (bits[index >> 3] >> (index & 7).astype(np.uint8)) & 1
        total = np.bincount(doc[where], minlength=len(lengths)).astype(np.float64)
        hits = np.bincount(doc[where], weights=known.astype(np.float64), minlength=len(lengths))
        shares.append(np.divide(hits, total, out=np.ones(len(lengths)), where=total > 0))
        totals.append(total)
    if not shares:
        return np.zeros(0), np.zeros(0)
    return np.concatenate(shares), np.concatenate(totals)


def lead_template(text: str) -> str:
    """The hashtags a post opens with, spaces removed: ``"#每日一善#  #阳光信用# 区链块"`` ->
    ``"#每日一善##阳光信用#"`` (``""`` when it opens with text)."""
    match = _LEAD.match(text or "")
    return re.sub(r"\s+", "", match.group(1)) if match else ""


def spam_scores(texts: Sequence[str], settings: SpamSettings = SpamSettings(), *,
                bare_letters: np.ndarray | None = None) -> np.ndarray:
    """The spam score of each text (see the module docstring for the rule).

    ``bare_letters``: letters and digits of each text besides its tags, when already known
    (:func:`opinion.text.neardup.near_duplicates` returns them).
    """
    texts = [t if isinstance(t, str) else "" for t in texts]
    n = len(texts)
    share, pairs = dictionary_pair_share([without_hashtags(t) for t in texts])
    span = settings.scrambled_from - settings.scrambled_to
    scrambled = np.clip((settings.scrambled_from - share) / span, 0.0, 1.0)
    scrambled[pairs < settings.min_pairs] = 0.0
    score = scrambled.copy()
    leads = [lead_template(t) for t in texts]
    groups: dict[str, list[float]] = {}
    for lead, value, count in zip(leads, share.tolist(), pairs.tolist()):
        if lead and count >= settings.template_pairs:
            groups.setdefault(lead, []).append(value)
    campaigns = {lead for lead, values in groups.items()
                 if len(values) >= settings.template_posts and np.median(values) <= settings.template_share}
    if campaigns:
        score[[i for i, lead in enumerate(leads) if lead in campaigns]] = 1.0
    if bare_letters is None:
        bare_letters = np.array([len(_LETTERS.findall(without_hashtags(t))) for t in texts], dtype=np.int64)
    only_tags = (np.asarray(bare_letters) < settings.min_letters) & np.array(
        [has_hashtag(t) for t in texts], dtype=bool).reshape(n)
    score[only_tags] = np.maximum(score[only_tags], settings.hashtag_only)
    ads = [i for i, t in enumerate(texts) if "券" in t and _COUPON.search(t) and _PRICE.search(t)]
    if ads:
        score[ads] = np.maximum(score[ads], settings.coupon_ad)
    return score


def has_hashtag(text: str) -> bool:
    """Whether the text has a ``#话题#`` tag."""
    return "#" in text and _TAG.search(text) is not None
