"""Whether a topic is rising or fading: its share of the last periods against the ones before.

Example:
    >>> trend_of(pd.Series([0.1, 0.1, 0.2, 0.3]), window=2)  # 口罩 topic: 10 % → 25 %
    ('rising', 1.5)
    >>> trend_of(pd.Series([0.515, 0.0, 0.0]))  # 疫苗研发 topic: gone after the first day
    ('gone', -1.0)
"""

from __future__ import annotations

import numpy as np
import pandas as pd

TREND_WINDOW = 3  # periods compared at the end of the range (see trend_of)
TREND_THRESHOLD = 0.2  # |growth| below this is "stable"
TREND_MIN_DOCS = 3  # a window with fewer of the topic's documents counts as absent (see trend_of)
TRENDS = ("rising", "stable", "fading", "new", "gone", "too_few")  # every value of the trend column


GONE_SHARE = 0.5  # gone: the recent window under half the documents per period of the earlier ones


def trend_of(shares: pd.Series, *, counts: pd.Series | None = None, window: int = TREND_WINDOW,
             min_docs: int = TREND_MIN_DOCS) -> tuple[str, float]:
    """Growth of a topic's share of documents over the last periods, and its trend word.

    ``shares`` is the topic's share of each period, in time order; ``counts`` its documents in
    those periods (without them a window is present when its share is above 0). With ``k =
    min(window, periods // 2)``, growth = mean share of the last ``k`` periods / mean share of the
    ``k`` periods before, minus 1. A window holding fewer than ``min_docs`` of the topic's
    documents counts as absent, so one stray earlier post does not make a story "+29,400 %":

    - both windows present: ``rising`` at +20 % or more, ``fading`` at -20 % or less, else ``stable``;
    - absent in the earlier window, present in the recent one: ``new`` (growth NaN);
    - present before the recent window (in the earlier window or any period before it), absent
      in the recent one and under half its earlier rate per period: ``gone`` (growth -100 %, or
      the measured fall to a few stray posts); a topic of 2 posts every period is ``too_few``;
    - ``too_few``: under 2 periods, or never enough documents to tell.

    >>> trend_of(pd.Series([0.001, 0.221]), counts=pd.Series([1, 295]))  # one stray post before
    ('new', nan)
    """
    k = min(window, len(shares) // 2)
    if k == 0:
        return "too_few", np.nan
    if counts is None:
        counts, min_docs = (shares > 0).astype(int), 1
    recent, before = shares.iloc[-k:].mean(), shares.iloc[-2 * k:-k].mean()
    has_recent = counts.iloc[-k:].sum() >= min_docs
    has_before = counts.iloc[-2 * k:-k].sum() >= min_docs
    if has_recent:
        if not has_before:
            return "new", np.nan
        growth = float(recent / before - 1)
        label = "rising" if growth >= TREND_THRESHOLD else "fading" if growth <= -TREND_THRESHOLD else "stable"
        return label, round(growth, 6)
    earlier = counts.iloc[:-k]
    if earlier.sum() >= min_docs and counts.iloc[-k:].mean() < GONE_SHARE * earlier.mean():
        return "gone", round(float(recent / before - 1), 6) if before > 0 else -1.0
    return "too_few", np.nan  # small and steady (2 posts a period): no trend to tell
