"""Trend labels of the topic table: the old unweighted mean of per-period shares against the
pooled window shares of :func:`opinion.report.trend.trend_of` (2026-12-08).

    python benchmarks/trend_pooling.py /tmp/h46/periods/ws_wb /tmp/h46/periods/ws_wb2

For each workspace (its topics fitted) it prints every topic's label, size, old and new trend
and growth, the periods the new rule calls tiny, and how many topics' labels changed.
"""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd

from opinion.report import trend
from opinion.report.tables import build_tables
from opinion.report.trend import (
    GONE_SHARE,
    TREND_MIN_DOCS,
    TREND_WINDOW,
    growth_label,
    tiny_periods,
    trend_of,
)


def old_trend_of(shares: pd.Series, counts: pd.Series) -> tuple[str, float]:
    """The rule before 2026-12-08: mean per-period shares of the last k periods against the k before."""
    k = min(TREND_WINDOW, len(shares) // 2)
    if k == 0:
        return "too_few", np.nan
    recent, before = shares.iloc[-k:].mean(), shares.iloc[-2 * k:-k].mean()
    has_recent, has_before = counts.iloc[-k:].sum() >= TREND_MIN_DOCS, counts.iloc[-2 * k:-k].sum() >= TREND_MIN_DOCS
    if has_recent:
        if not has_before:
            return "new", np.nan
        growth = float(recent / before - 1)
        return growth_label(growth), round(growth, 6)
    earlier = counts.iloc[:-k]
    if earlier.sum() >= TREND_MIN_DOCS and counts.iloc[-k:].mean() < GONE_SHARE * earlier.mean():
        return "gone", round(float(recent / before - 1), 6) if before > 0 else -1.0
    return "too_few", np.nan


def compare(root: str) -> int:
    """Print old and new trends of every topic of ``root``; return how many labels changed."""
    tables = build_tables(root, top=0)
    over_time, topics = tables["topics_over_time"], tables["topics"].set_index("topic_id")
    totals = over_time.groupby("period")["count"].sum()
    tiny = totals[tiny_periods(totals).to_numpy()]
    print(f"\n## {root}: {len(totals)} periods, {int(totals.sum())} documents; tiny periods: "
          f"{', '.join(f'{p.date()} ({n})' for p, n in tiny.items()) or 'none'}")
    changed = by_chance = 0
    for topic_id, rows in over_time.groupby("topic_id"):
        rows = rows.sort_values("period")
        old = old_trend_of(rows["share"].reset_index(drop=True), rows["count"].reset_index(drop=True))
        new = trend_of(rows["count"], rows["period"].map(totals))
        trend.TREND_Z, kept = 0.0, trend.TREND_Z  # pooled, without the test for chance (2026-12-08 first version)
        ungated = trend_of(rows["count"], rows["period"].map(totals))
        trend.TREND_Z = kept
        changed += old[0] != new[0]
        by_chance += ungated[0] != new[0]
        mark = "  *" if old[0] != new[0] else ""
        print(f"{topic_id:>3} {str(topics.at[topic_id, 'label'])[:24]:<24} {topics.at[topic_id, 'size']:>6} "
              f"old {old[0]:<8}{old[1]:>+9.3f}  pooled {ungated[0]:<8} new {new[0]:<8}{new[1]:>+9.3f}{mark}")
    print(f"changed: {changed} of {over_time['topic_id'].nunique()} topics; "
          f"{by_chance} pooled labels within chance now stable")
    return changed


if __name__ == "__main__":
    total = sum(compare(root) for root in sys.argv[1:])
    print(f"\nchanged in all: {total}")
