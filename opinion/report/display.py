"""Showing tables to people: script rendering, number formats and column headings.

Tables keep Simplified words and labels (the analysis script) and machine column names;
what a reader sees is rendered to their script (zh-Hans, zh-Hant-TW or zh-HK) and formatted
here, once, for the Markdown and HTML reports and for the explorer. Words are converted
character by character (比特 stays 比特, never 位元); documents are shown as written in
their own script and converted only across scripts (:func:`render_document`).

Example:
    >>> render("国货直播带货", "zh-Hant-TW")
    '國貨直播帶貨'
    >>> render_document("台北的用戶", "zh-Hant", "zh-Hant-TW")
    '台北的用戶'
    >>> render_name("鐵路運輸", "zh-Hans"), render_name("铁路运输", "zh-HK")
    ('铁路运输', '鐵路運輸')
    >>> format_value(0.1234, "share"), format_value(0.61234, "mean_sentiment")
    ('12.3%', '0.61')
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
import pandas as pd

from opinion import schema as S
from opinion.errors import InputError
from opinion.text.script import render as script_render
from opinion.text.script import render_document as script_render_document
from opinion.text.script import render_name as script_render_name
from opinion.topics.edits import distinct_names

CODE_SPAN = re.compile(r"`([^`\n]+)`")  # `opinion run` in a note: code in the Markdown and HTML reports


def check_script(script: str) -> str:
    """Return ``script`` if it is a known output script, else raise a one-line error."""
    if script not in S.SCRIPTS_OUT:
        raise InputError(f"--script must be one of {', '.join(S.SCRIPTS_OUT)}; got {script!r}")
    return script


@functools.cache
def _renderer(script: str) -> Callable[[str], str]:
    if script == "zh-Hans":
        return lambda text: text
    return functools.partial(script_render, target=script)


def render(text: Any, script: str) -> Any:
    """Render Simplified ``text`` in ``script``; anything that is not text is returned as is."""
    if not isinstance(text, str) or not text:
        return text
    return _renderer(check_script(script))(text)


def render_document(text: Any, doc_script: str | None, script: str) -> Any:
    """A document's ``text_clean`` (in ``doc_script``) shown in ``script``: verbatim in its own
    script, converted across scripts (:func:`opinion.text.script.render_document`)."""
    if not isinstance(text, str) or not text:
        return text
    return script_render_document(text, doc_script, check_script(script))


def render_name(name: Any, script: str) -> Any:
    """A name the user wrote (a theme of their theme file) in the reader's ``script``, whichever
    script it was written in: as written in its own script, converted across
    (``render_name("國貨", "zh-Hans") == "国货"``, ``render_name("国货", "zh-Hant-TW") == "國貨"``).
    Labels the workspace keeps in Simplified (topic labels, words) take :func:`render`."""
    if not isinstance(name, str) or not name:
        return name
    return script_render_name(name, check_script(script))


def render_names(values: pd.Series, script: str) -> pd.Series:
    """:func:`render_name` of every value of a column (a ``theme`` column)."""
    check_script(script)
    return values.map(lambda value: render_name(value, script))


def render_series(values: pd.Series, script: str) -> pd.Series:
    """Render every text value of a column (lists of terms are rendered item by item)."""
    if script == "zh-Hans":
        return values
    convert = _renderer(check_script(script))

    def one(value: Any) -> Any:
        if isinstance(value, str):
            return convert(value) if value else value
        if isinstance(value, (list, tuple, np.ndarray)):
            return [one(v) for v in list(value)]
        return value

    return values.map(one)


# --- formats -------------------------------------------------------------------------
def display_width(text: str) -> int:
    """Columns ``text`` takes on screen or in a spreadsheet: wide (CJK) characters count
    twice, so ``display_width("武汉 ok") == 7``."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def truncate_width(text: str, width: int) -> str:
    """``text`` cut to at most ``width`` display columns (:func:`display_width`), ending in
    "…" when cut: ``truncate_width("钟南山表示无症状", 9) == "钟南山表…"``."""
    if display_width(text) <= width:
        return text
    kept, used = [], display_width("…")
    for ch in text:
        used += display_width(ch)
        if used > width:
            break
        kept.append(ch)
    return "".join(kept) + "…"


def short_label(label: str, *, width: int = 30, term_width: int = 12) -> str:
    """A topic label short enough for a chart axis or a map (show the full label on hover):
    each ``_``-separated term cut to ``term_width`` columns, and whole terms kept while the
    label fits in ``width`` columns, "…" marking what was left out.

    ``short_label("9_#钟南山表示无症状感染者不会引起大暴发#_开学") == "9_#钟南山表示…_开学"``
    """
    terms = [truncate_width(term, term_width) for term in label.split("_")]
    if display_width("_".join(terms)) <= width:
        return "_".join(terms)
    kept = terms[0]
    for term in terms[1:]:
        if display_width(f"{kept}_{term}…") > width:
            break
        kept = f"{kept}_{term}"
    return truncate_width(kept if kept.endswith("…") else kept + "…", width)


AXIS_LABEL_WIDTH = 36  # display columns: a readable topic label (16 characters, "·" between terms) fits whole


def axis_label(label: str, *, width: int = AXIS_LABEL_WIDTH) -> str:
    """A topic label for a chart axis: whole when it fits ``width`` display columns (every
    readable label does), else cut by :func:`short_label`. Show the full label on hover.

    ``axis_label("钻石公主号·邮轮·确诊") == "钻石公主号·邮轮·确诊"``
    """
    return label if display_width(label) <= width else short_label(label, width=width)


def ordered_topics(topics: pd.DataFrame) -> pd.DataFrame:
    """Topics largest first (the order charts and lists show them in), generic catch-all topics (``is_generic``, when the topic stage
    flags them) last, outliers (-1) at the very end."""
    if topics.empty:
        return topics
    keys = pd.DataFrame({"outlier": topics[S.TOPIC_ID] == -1,
                         "size": -topics["size"] if "size" in topics else 0,  # without sizes: as listed
                         "generic": topics["is_generic"].eq(True) if "is_generic" in topics
                         else False})
    order = keys.sort_values(["outlier", "generic", "size"], kind="stable").index
    return topics.loc[order].reset_index(drop=True)


def topic_names(topics: pd.DataFrame, ids: Iterable[int] = (),
                shorten: Callable[[str], str] | None = None) -> dict[int, str]:
    """Topic id → the name readers see (report and explorer): the topic table's ``label``, and ``label #id``
    when two topics share it (after a rename), so lists and charts keep them apart; ``ids``
    missing from the table are named by their number. With ``shorten`` (a chart axis's
    :func:`axis_label`, a list's :func:`short_label`) the label is cut first and ``#id`` added
    where two cut labels read the same, so the id is never cut off.

    ``topic_names(pd.DataFrame({"topic_id": [0, 1], "label": ["防疫", "防疫"]}))`` is
    ``{0: '防疫 #0', 1: '防疫 #1'}``.
    """
    labels = (dict(zip(topics[S.TOPIC_ID].astype(int), topics["label"].astype(str)))
              if {S.TOPIC_ID, "label"} <= set(topics.columns) else {})
    names = {**labels, **{int(t): labels.get(int(t), str(t)) for t in ids}}
    if shorten is not None:
        names = {t: shorten(n) for t, n in names.items()}
    return distinct_names(names)


def theme_topic_order(overlap: pd.DataFrame, topics: pd.DataFrame | None = None) -> pd.DataFrame:
    """The topics of theme × topic rows (``topic_id, topic_label, size``) in :func:`ordered_topics`
    order, ``is_generic`` taken from the ``topics`` table when it has one."""
    rows = overlap.drop_duplicates(S.TOPIC_ID)[[S.TOPIC_ID, "topic_label", "topic_size"]].rename(
        columns={"topic_size": "size"})
    if topics is not None and "is_generic" in topics:
        rows = rows.merge(topics[[S.TOPIC_ID, "is_generic"]], on=S.TOPIC_ID, how="left")
    return ordered_topics(rows)


def is_share_column(name: str) -> bool:
    """Columns holding a fraction shown as a percentage (``share``, ``prevalence``...)."""
    return name.startswith("share") or name.endswith(("share", "prevalence")) or name == "trend_growth"


def format_value(value: Any, column: str = "", *, script: str = "zh-Hans", lang: str = "zh") -> str:
    """One cell as text for a reader: percentages, 2 decimals, ISO dates, joined lists, and
    true or false in the reader's language (``是``/``否`` in ``script``, ``yes``/``no`` in English)."""
    if value is None or value is pd.NaT:
        return ""
    if isinstance(value, (list, tuple, np.ndarray)):
        return "、".join(format_value(v, script=script, lang=lang) for v in list(value))
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d" if value == value.normalize() else "%Y-%m-%d %H:%M")
    if isinstance(value, bool):
        from opinion.i18n import text

        return text("report.yes" if value else "report.no", script, lang=lang)
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if math.isinf(value):
            return "∞"
        if is_share_column(column):
            return f"{value:+.0%}" if column == "trend_growth" else f"{value:.1%}"
        return f"{value:.2f}" if abs(value) < 1000 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}" if abs(value) >= 10000 else str(value)
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    return str(value)


def heading(column: str, script: str, lang: str = "zh") -> str:
    """The heading readers see for ``column`` (:func:`opinion.i18n.column_text`): ``size`` → 文档数."""
    from opinion.i18n import column_text

    return column_text(column, script, lang=lang)


def _has_heading(column: Any) -> bool:
    from opinion.i18n import MESSAGES

    return f"column.{column}" in MESSAGES


def display_frame(df: pd.DataFrame, script: str, *, values_like: str = "", lang: str = "zh") -> pd.DataFrame:
    """``df`` as text cells with reader headings in ``lang`` (for Markdown and HTML).

    Columns without a heading of their own (the periods of a pivot) are formatted like the
    column named ``values_like`` (e.g. ``"share"`` for percentages).
    """
    def kind(column: Any) -> str:
        return str(column) if _has_heading(column) or not values_like else values_like

    out = pd.DataFrame({
        heading(str(c), script, lang): [format_value(v, kind(c), script=script, lang=lang) for v in df[c].tolist()]
        for c in df.columns
    })
    if "trend" in df.columns:
        out[heading("trend", script, lang)] = [_trend_word(v, script, lang) if isinstance(v, str) else ""
                                               for v in df["trend"].tolist()]
    return out


def _trend_word(trend: str, script: str, lang: str) -> str:
    from opinion.i18n import MESSAGES, text

    return text(f"trend.{trend}", script, lang=lang) if f"trend.{trend}" in MESSAGES else trend


NO_DOCUMENTS = "—"  # a period of the calendar without a document, in a by-period table
_PERIOD_FREQ = {"day": "D", "week": "W-MON", "month": "MS"}


def pivot_by_period(df: pd.DataFrame, *, value: str, index: str = "topic_label",
                    unit: str | None = None) -> pd.DataFrame:
    """Long ``(index, period, value)`` rows as one row per ``index`` and a column per period.

    Example: topics_over_time pivoted to topics × weeks of shares. Rows keep their order
    (largest topic first); the periods run in time order, wherever a period first appears.
    With the period ``unit`` (day, week, month), every period of the calendar from the first
    to the last is a column, and one without documents reads ``—``: a corpus missing
    2020-02-02 shows that day rather than putting 02-01 and 02-03 side by side. A gap longer
    than the periods that have documents (at least 12) is not filled: one post dated 1970-01-01
    beside 79 days of 2020 would have made 18,360 columns of ``—``.
    """
    if df.empty or "period" not in df.columns:
        return pd.DataFrame()
    wide = df.pivot_table(index=index, columns="period", values=value, aggfunc="first", sort=False)
    wide = wide.sort_index(axis="columns")
    stamps = pd.to_datetime(pd.Series(wide.columns), errors="coerce")
    if unit in _PERIOD_FREQ and len(stamps) and stamps.notna().all():
        calendar = _filled_calendar(list(stamps.sort_values()), unit, longest_gap=max(12, len(stamps)))
        if len(calendar) > len(stamps) and set(stamps) <= set(calendar):
            wide = wide.set_axis(list(stamps), axis="columns").reindex(columns=calendar).astype(object)
            wide.loc[:, wide.isna().all()] = NO_DOCUMENTS
    wide.columns = [format_value(c) for c in wide.columns]
    return wide.reset_index()


def _filled_calendar(stamps: list[pd.Timestamp], unit: str, *, longest_gap: int) -> pd.DatetimeIndex:
    """``stamps`` (sorted) with the periods missing between two of them, where at most
    ``longest_gap`` are missing in a row."""
    filled: list[pd.Timestamp] = []
    for before, after in zip(stamps, stamps[1:] + [None], strict=True):
        if after is None:
            filled.append(before)
            continue
        between = pd.date_range(before, after, freq=_PERIOD_FREQ[unit])[:-1]
        filled.extend(between if len(between) - 1 <= longest_gap else [before])
    return pd.DatetimeIndex(filled)


SPARKS = "▁▂▃▄▅▆▇█"  # low to high; a cell without a value is "·"


def sparkline(values: Any, *, width: int = 24, step: float = 0.0) -> str:
    """``values`` in time order as one line of block characters, averaged into at most
    ``width`` cells and scaled from the lowest cell (▁) to the highest (█), as sparklines are.
    With ``step`` (the precision the table prints: 0.001 for 0.1%) cells are rounded to it
    first, so a row the table shows as 0.0% throughout is flat, not noise blown up to full height.

    Example: ``sparkline([0.0, 0.1, 0.5, 0.2])`` is ``'▁▂█▄'``; a cell without a value is ``·``.
    """
    series = pd.to_numeric(pd.Series(list(values), dtype=object), errors="coerce").astype(float)
    if series.empty:
        return ""
    cells = series.groupby(np.arange(len(series)) * min(width, len(series)) // len(series)).mean()
    if step > 0:
        cells = (cells / step).round() * step
    low, high = (float(np.nanmin(cells)), float(np.nanmax(cells))) if cells.notna().any() else (0.0, 0.0)
    steps = len(SPARKS) - 1
    return "".join("·" if math.isnan(v) else SPARKS[round((v - low) / (high - low) * steps) if high > low else 0]
                   for v in cells)


def recent_periods(wide: pd.DataFrame, *, shown: int = 12, step: float = 0.0) -> pd.DataFrame:
    """A :func:`pivot_by_period` table cut to its last ``shown`` periods when it has more,
    with a ``sparkline`` column of every period (see :func:`sparkline`, ``step`` the precision
    its cells are printed at) after the row names, so a two-year weekly table stays readable
    on a page; the CSV and XLSX keep every period."""
    periods = list(wide.columns[1:])
    if len(periods) <= shown:
        return wide
    lines = [sparkline(row, step=step) for row in wide[periods].itertuples(index=False)]
    return pd.concat([wide.iloc[:, :1], pd.DataFrame({"sparkline": lines}, index=wide.index),
                      wide[periods[-shown:]]], axis=1)
