"""Whether a topic is rising or fading: its pooled share of the last periods against the ones before.

Each window's share is pooled, the topic's documents in the window over all documents in it,
so a period of 3 posts weighs 3 posts, not as much as a day of 400. A tiny period (under
:data:`TINY_PERIOD_SHARE` of the median period, e.g. a crawl that stopped just after midnight)
joins the window it falls in without counting as one of its ``k`` periods, so it does not
shift the windows either.

Example:
    >>> trend_of(pd.Series([10, 10, 20, 30]), pd.Series([100] * 4), window=2)  # 口罩 topic: 10 % → 25 %
    ('rising', 1.5)
    >>> trend_of(pd.Series([515, 0, 0]), pd.Series([1000, 900, 950]))  # 疫苗研发 topic: gone after the first day
    ('gone', -1.0)
"""

from __future__ import annotations

import numpy as np
import pandas as pd

TREND_WINDOW = 3  # periods compared at the end of the range (see trend_of)
TREND_THRESHOLD = 0.2  # |growth| below this is "stable"
TREND_MIN_DOCS = 3  # a window with fewer of the topic's documents counts as absent (see trend_of)
TRENDS = ("rising", "stable", "fading", "new", "gone", "too_few")  # every value of the trend column
NO_TREND: tuple[None, float] = (None, np.nan)  # topic -1 (未归入主题) is no topic: trend empty
GONE_SHARE = 0.5  # gone: the recent window's share under half the share of the periods before it
TINY_PERIOD_SHARE = 0.1  # a period with fewer documents than this share of the median period is tiny
TREND_Z = 1.96  # a change within chance (two-proportion z-test, p >= 0.05) is "stable", not a direction


def tiny_periods(totals: pd.Series) -> pd.Series:
    """Which periods hold fewer documents than :data:`TINY_PERIOD_SHARE` of the median period
    (a last day of 3 posts after days of 400): their shares say little, and they do not count as
    one of a trend window's periods. ``tiny_periods(pd.Series([400, 400, 3])).tolist() == [False, False, True]``."""
    totals = pd.Series(totals, dtype=float).reset_index(drop=True)
    sized = totals[totals > 0]
    if sized.empty:
        return pd.Series(False, index=totals.index)
    return totals < TINY_PERIOD_SHARE * float(sized.median())


def trend_windows(totals: pd.Series, window: int = TREND_WINDOW) -> tuple[np.ndarray, np.ndarray, int]:
    """Masks of the recent and the earlier window over the periods of ``totals`` (time order), and
    ``k = min(window, full periods // 2)``: the last ``k`` periods that are not tiny (with any tiny
    period after or among them) against the ``k`` before."""
    full = ~tiny_periods(totals).to_numpy()
    k = min(window, int(full.sum()) // 2)
    rank = np.cumsum(full[::-1])[::-1]  # full periods from each period to the end
    recent = rank <= k
    return recent, (rank > k) & (rank <= 2 * k), k


def growth_label(growth: float) -> str:
    """``rising`` at +20 % (:data:`TREND_THRESHOLD`) or more, ``fading`` at −20 % or less, else ``stable``."""
    return "rising" if growth >= TREND_THRESHOLD else "fading" if growth <= -TREND_THRESHOLD else "stable"


def beyond_chance(found: tuple[float, float], against: tuple[float, float]) -> bool:
    """Whether ``found`` (documents of the topic, all documents) differs from ``against`` by more
    than chance: a two-proportion z-test at :data:`TREND_Z` (p < 0.05). 6 of 160 against 3 of 173
    is not (``False``); 50 of 200 against 20 of 200 is."""
    (x1, n1), (x0, n0) = found, against
    if n1 <= 0 or n0 <= 0:
        return False
    pooled = (x1 + x0) / (n1 + n0)
    if pooled <= 0 or pooled >= 1:
        return x1 / n1 != x0 / n0
    return abs(x1 / n1 - x0 / n0) >= TREND_Z * np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n0))


def trend_of(counts: pd.Series, totals: pd.Series, *, window: int = TREND_WINDOW,
             min_docs: int = TREND_MIN_DOCS) -> tuple[str, float]:
    """Growth of a topic's pooled share of documents over the last periods, and its trend word.

    ``counts`` is the topic's documents in each period, in time order, and ``totals`` every
    document of those periods. The windows are those of :func:`trend_windows`; growth = the
    topic's documents in the recent window / all documents in it, over the same ratio for the
    earlier window, minus 1. A window holding fewer than ``min_docs`` of the topic's documents
    counts as absent, so one stray earlier post does not make a story "+29,400 %":

    - both windows present: ``rising`` at +20 % or more, ``fading`` at -20 % or less, and only
      when the change is beyond chance (:func:`beyond_chance`), else ``stable``: 6 documents of
      160 against 3 of 173 is noise, not "fading -54 %";
    - absent in the earlier window, present in the recent one: ``new`` (growth NaN) when it was
      absent from every period before too; a topic present earlier is measured against the
      share of all the periods before the recent window instead;
    - present before the recent window (in the earlier window or any period before it), absent
      in the recent one and under half its earlier pooled share: ``gone``, its growth the fall
      from that share of every period before the recent window, the one the rule compares
      (-100 %, or -99 % for a few stray posts: always under -50 %, never the "+0 %" of an
      earlier window as empty as the recent one); a topic of 2 posts every period is ``too_few``;
    - ``too_few``: under 2 periods that are not tiny, or never enough documents to tell.

    >>> trend_of(pd.Series([1, 295]), pd.Series([1000, 1335]))  # one stray post before
    ('new', nan)
    """
    counts = pd.Series(counts, dtype=float).reset_index(drop=True)
    totals = pd.Series(totals, dtype=float).reset_index(drop=True)
    recent_mask, before_mask, k = trend_windows(totals, window)
    if k == 0:
        return "too_few", np.nan

    def share(mask: np.ndarray) -> float:
        total = float(totals[mask].sum())
        return float(counts[mask].sum()) / total if total else np.nan

    recent = share(recent_mask)
    has_recent = counts[recent_mask].sum() >= min_docs
    has_before = counts[before_mask].sum() >= min_docs
    earlier = ~recent_mask
    if has_recent:
        reference = before_mask if has_before else earlier
        if not has_before and counts[earlier].sum() < min_docs:
            return "new", np.nan
        growth = float(recent / share(reference) - 1)
        changed = beyond_chance((counts[recent_mask].sum(), totals[recent_mask].sum()),
                                (counts[reference].sum(), totals[reference].sum()))
        return growth_label(growth) if changed else "stable", round(growth, 6)
    past = share(earlier)
    if counts[earlier].sum() >= min_docs and recent < GONE_SHARE * past:
        return "gone", round(recent / past - 1, 6)
    return "too_few", np.nan  # small and steady (2 posts a period): no trend to tell
