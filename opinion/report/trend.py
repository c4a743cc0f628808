"""Whether a topic is rising or fading: its share of the last periods against the ones before.

Example:
    >>> trend_of(pd.Series([0.1, 0.1, 0.2, 0.3]), window=2)  # 口罩 topic: 10 % → 25 %
    ('rising', 1.5)
"""

from __future__ import annotations

import numpy as np
import pandas as pd

TREND_WINDOW = 3  # periods compared at the end of the range (see trend_of)
TREND_THRESHOLD = 0.2  # |growth| below this is "stable"


def trend_of(shares: pd.Series, *, window: int = TREND_WINDOW) -> tuple[str, float]:
    """Growth of a topic's share of documents over the last periods.

    ``shares`` is the topic's share of each period, in time order. With ``k = min(window,
    periods // 2)``, growth = mean share of the last ``k`` periods / mean share of the ``k``
    periods before, minus 1. ``rising`` at +20 % or more, ``fading`` at -20 % or less,
    else ``stable``; ``new`` when the topic was absent before; ``n/a`` with under 2 periods.

    >>> trend_of(pd.Series([0.1, 0.1, 0.2, 0.3]), window=2)
    ('rising', 1.5)
    """
    k = min(window, len(shares) // 2)
    if k == 0:
        return "n/a", np.nan
    recent, before = shares.iloc[-k:].mean(), shares.iloc[-2 * k:-k].mean()
    if before == 0:
        return ("new", np.nan) if recent > 0 else ("n/a", np.nan)
    growth = float(recent / before - 1)
    label = "rising" if growth >= TREND_THRESHOLD else "fading" if growth <= -TREND_THRESHOLD else "stable"
    return label, round(growth, 6)
