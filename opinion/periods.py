"""The one period rule: which time unit a corpus's timelines use, and how dates are binned.

Every timeline of the product (report tables, topics over time, the explorer's charts,
``opinion themes`` and the word groups) asks this module, so one workspace shows the same
periods everywhere:

- up to :data:`DAY_SPAN_MAX` (92) calendar days between the first and the last dated
  document: ``day``; up to :data:`WEEK_SPAN_MAX` (730, two years): ``week``; else ``month``.
  The span leaves out the earliest and the latest 1 % of the dates (:data:`SPAN_TRIM`), so
  one sentinel date (``1970-01-01 08:00``, epoch 0 in Beijing time) does not turn a 79-day
  outbreak corpus into months;
- a workspace's timelines use the stored ``opinion export --period``, else the topic period
  (``opinion topics --period``), else the unit of its dates (:func:`workspace_period_choice`),
  the order ``opinion export`` uses;
- a week runs Monday to Sunday and is named by its Monday; a month by its first day.

Why 92 days: a public-opinion event is usually followed for one season, and a daily chart of
up to ~90 bars is still readable, while weekly bins would fold a fast-moving outbreak (the
COVID-19 Weibo corpus: 79 days) into 12 points. 92 was already the topic stage's cut-off, so
the stored topic parts (term counts per topic and period) keep their bins; the report's 45 and
the explorer's 120 move to it.

Example:
    >>> import pandas as pd
    >>> choose_period(pd.Series(pd.to_datetime(["2020-01-19", "2020-04-07"])))  # 79 days, 疫情
    'day'
    >>> period_label(pd.Series(pd.to_datetime(["2020-02-05 13:00"])), "week").tolist()
    ['2020-02-03']
"""

from __future__ import annotations

import pandas as pd

from opinion.config import PERIODS as PERIODS  # the names and the check live with the settings
from opinion.config import check_period as check_period
from opinion.errors import InputError

DAY_SPAN_MAX = 92    # calendar days of data still shown per day (one season)
WEEK_SPAN_MAX = 730  # calendar days of data still shown per week (two years)
SPAN_TRIM = 0.01     # share of the dates left out at each end of the span (floor: none under 100 dates)
PERIOD_ORIGINS = ("export", "topics", "dates", "undated")  # where workspace_period_choice took the unit


def period_for_span(days: int) -> str:
    """The unit for ``days`` calendar days between the first and last date: ``period_for_span(79) == "day"``."""
    return "day" if days <= DAY_SPAN_MAX else "week" if days <= WEEK_SPAN_MAX else "month"


def robust_span(dates: pd.Series) -> int:
    """Whole calendar days from the first to the last date, leaving out the earliest and the
    latest ``floor(1 % × n)`` dates (:data:`SPAN_TRIM`): 2,932 posts of 2020-01-19…04-07 and one
    of 1970-01-01 span 79 days, not 18,359; under 100 dates nothing is left out."""
    days = pd.to_datetime(dates, errors="coerce").dropna().dt.floor("D").sort_values(ignore_index=True)
    if days.empty:
        return 0
    cut = int(len(days) * SPAN_TRIM)
    return int((days.iloc[len(days) - 1 - cut] - days.iloc[cut]).days)


def choose_period(dates: pd.Series) -> str:
    """The unit for these dates (``day`` when none parses), from their :func:`robust_span`."""
    return period_for_span(robust_span(dates))


def period_start(dates: pd.Series, period: str) -> pd.Series:
    """Each date floored to the start of its day, week (Monday) or month; NaT stays NaT."""
    stamps = pd.to_datetime(dates, errors="coerce")
    if period == "day":
        return stamps.dt.floor("D")
    if period == "week":
        return stamps.dt.floor("D") - pd.to_timedelta(stamps.dt.dayofweek, unit="D")
    if period == "month":
        return stamps.dt.to_period("M").dt.start_time
    raise InputError(f"must be one of {', '.join(PERIODS)}; got {period!r}", param="period")


def period_label(dates: pd.Series, period: str) -> pd.Series:
    """The ``YYYY-MM-DD`` name of each date's period (missing for a missing date)."""
    return period_start(dates, period).dt.strftime("%Y-%m-%d")
