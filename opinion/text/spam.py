"""Template and bot posts: a documented spam score from three signals.

``spam_score`` is the largest of:

1. **scrambled text** — bots shuffle the characters of scraped text so that copies look
   new (``区链块 … 字数币货``). jieba then finds few words: the share of Chinese characters
   left in one-character tokens (:func:`single_char_share`) is about 0.30 in ordinary posts
   (99th percentile 0.48 on the 620k Weibo posts) and 0.58 in such posts. The score rises
   linearly from 0 at ``scrambled_from`` (0.45) to 1 at ``scrambled_to`` (0.65), for texts
   with at least ``min_chars`` (40) Chinese characters in their tokens.
2. **campaign template** — a leading run of hashtags (``#每日一善# #阳光信用#``) shared by
   at least ``template_posts`` (20) posts, of which at least half look scrambled (score ≥
   0.5): every post opening with that template scores 1. No hashtag is named in advance.
3. **hashtags only** — a post whose text besides its ``#话题#`` tags has fewer than
   ``min_letters`` (5) letters or digits (``#武汉加油# ?``) scores ``hashtag_only`` (0.6).

A post is spam when its score is at least ``threshold`` (0.5).

Example:
    >>> spam_scores(["#每日一善# 区链块是字数币货的术技", "今天天气很好"], None)  # doctest: +SKIP
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from opinion.text.neardup import without_hashtags

_LEAD = re.compile(r"^\s*((?:#[^#\n]{1,60}#\s*)+)")
_CJK_TOKEN = "^[\u4e00-\u9fff]+$"
_LETTERS = re.compile(r"[^\W_]")


@dataclass(frozen=True)
class SpamSettings:
    """Thresholds of :func:`spam_scores` (see the module docstring)."""

    threshold: float = 0.5
    scrambled_from: float = 0.45
    scrambled_to: float = 0.65
    min_chars: int = 40
    template_posts: int = 20
    hashtag_only: float = 0.6
    min_letters: int = 5


def single_char_share(tokens) -> tuple[np.ndarray, np.ndarray]:
    """Per document of an Arrow list column of tokens: the share of Chinese characters in
    one-character tokens, and the number of Chinese characters in tokens.

    ``[["区", "链", "块", "技术"]]`` -> share 0.6 of 5 characters.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    lists = tokens.combine_chunks() if isinstance(tokens, pa.ChunkedArray) else tokens
    n = len(lists)
    flat = pc.list_flatten(lists)
    if len(flat) == 0:
        return np.zeros(n), np.zeros(n)
    parents = pc.list_parent_indices(lists).to_numpy(zero_copy_only=False)
    length = pc.utf8_length(flat).to_numpy(zero_copy_only=False).astype(np.float64)
    cjk = pc.fill_null(pc.match_substring_regex(flat, _CJK_TOKEN), False).to_numpy(zero_copy_only=False)
    chars = np.bincount(parents, weights=np.where(cjk, length, 0), minlength=n)
    single = np.bincount(parents, weights=(cjk & (length == 1)).astype(np.float64), minlength=n)
    share = np.divide(single, chars, out=np.zeros(n), where=chars > 0)
    return share, chars


def lead_template(text: str) -> str:
    """The hashtags a post opens with, spaces removed: ``"#每日一善#  #阳光信用# 区链块"`` ->
    ``"#每日一善##阳光信用#"`` (``""`` when it opens with text)."""
    match = _LEAD.match(text or "")
    return re.sub(r"\s+", "", match.group(1)) if match else ""


def spam_scores(texts: Sequence[str], tokens, settings: SpamSettings = SpamSettings()) -> np.ndarray:
    """The spam score of each text (``tokens``: Arrow list columns, one per part, in order)."""
    n = len(texts)
    if tokens is None:
        share, chars = np.zeros(n), np.zeros(n)
    else:
        columns = tokens if isinstance(tokens, (list, tuple)) else [tokens]
        pieces = [single_char_share(c) for c in columns] if columns else []
        share = np.concatenate([p[0] for p in pieces]) if pieces else np.zeros(n)
        chars = np.concatenate([p[1] for p in pieces]) if pieces else np.zeros(n)
    span = settings.scrambled_to - settings.scrambled_from
    scrambled = np.clip((share - settings.scrambled_from) / span, 0.0, 1.0)
    scrambled[chars < settings.min_chars] = 0.0
    score = scrambled.copy()
    leads = [lead_template(t) for t in texts]
    posts = Counter(leads)
    mostly = Counter(lead for lead, s in zip(leads, scrambled) if s >= 0.5)
    campaigns = {lead for lead, k in posts.items()
                 if lead and k >= settings.template_posts and mostly[lead] * 2 >= k}
    if campaigns:
        score[[i for i, lead in enumerate(leads) if lead in campaigns]] = 1.0
    only_tags = np.array([has_hashtag(t) and len(_LETTERS.findall(without_hashtags(t))) < settings.min_letters
                          for t in texts], dtype=bool).reshape(n)
    score[only_tags] = np.maximum(score[only_tags], settings.hashtag_only)
    return score


def has_hashtag(text: str) -> bool:
    """Whether the text has a ``#话题#`` tag."""
    return "#" in text and without_hashtags(text) != text
