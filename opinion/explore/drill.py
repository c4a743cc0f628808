"""Follow a topic to its posts, and a period to the topics that rose and fell in it.

Queries on the explorer's ``facts`` table (DuckDB, :mod:`opinion.explore.data`); each takes
the open :class:`~opinion.explore.data.ExploreStore`. Periods are the store's timeline
buckets (:attr:`ExploreStore.period`: day, week or month).

Example:
    >>> timeline = topic_timeline(store, 3)  # doctest: +SKIP
    >>> timeline.columns.tolist()  # doctest: +SKIP
    ['period', 'documents', 'share', 'mean_sentiment']
    >>> period_movers(store, dt.date(2020, 2, 10)).head(3)  # doctest: +SKIP
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence

import pandas as pd

from opinion import schema as S
from opinion.explore.data import ExploreStore, Filters
from opinion.report.display import axis_label, topic_names
from opinion.topics.edits import distinct_names

MOVER_COLUMNS = [S.TOPIC_ID, "label", "documents_before", "documents", "share_before", "share", "change",
                 "change_ratio"]


def flagged_count(store: ExploreStore, filters: Filters) -> int:
    """How many documents matching ``filters`` (their other fields) are duplicates (exact or
    near) or spam: what a list leaves out by default. The list without them plus this number
    is the list with them (a topic's posts add up to its size)."""
    every = dataclasses.replace(filters, include_duplicates=True, include_spam=True)
    kept = dataclasses.replace(filters, include_duplicates=False, include_spam=False)
    return store.count(every) - store.count(kept)


def topic_timeline(store: ExploreStore, topic_id: int) -> pd.DataFrame:
    """Per period: the topic's documents, its share of the period's documents with a topic (as
    ``topics_over_time.csv``: documents the topic stage has not seen yet are left out) and its
    mean sentiment (``NaN`` without the sentiment stage). Periods without the topic count 0."""
    if not store.has(S.TOPIC_DOCS):
        return pd.DataFrame(columns=["period", "documents", "share", "mean_sentiment"])
    mean = ("avg(f.sentiment_score) FILTER (f.topic_id = $1)" if S.SENTIMENT_SCORE in store.fact_columns
            else "NULL::DOUBLE")
    return store.query(
        f"SELECT {store._bucket()} AS period, count(*) FILTER (f.topic_id = $1) AS documents, "
        f"coalesce(count(*) FILTER (f.topic_id = $1) / nullif(count(f.topic_id), 0), 0) AS share, "
        f"{mean} AS mean_sentiment "
        "FROM facts f WHERE f.day IS NOT NULL GROUP BY 1 ORDER BY 1", [int(topic_id)])


def periods(store: ExploreStore) -> list[dt.date]:
    """The timeline's periods that hold a dated document, in order."""
    frame = store.query(f"SELECT DISTINCT {store._bucket()} AS period FROM facts f WHERE f.day IS NOT NULL "
                        "ORDER BY 1")
    return [pd.Timestamp(p).date() for p in frame["period"]]


def period_movers(store: ExploreStore, period: dt.date) -> pd.DataFrame:
    """Every topic's share of ``period`` against the period before, biggest rise first.

    ``change`` is the difference of shares (percentage points as a fraction: 0.05 is +5
    points); ``change_ratio`` is share / share before - 1 (NaN when the topic was absent
    before). The first period is compared with nothing (its ``share_before`` is 0).
    """
    if not store.has(S.TOPIC_DOCS):
        return pd.DataFrame(columns=MOVER_COLUMNS)
    known = periods(store)
    if period not in known:
        return pd.DataFrame(columns=MOVER_COLUMNS)
    index = known.index(period)
    before = known[index - 1] if index > 0 else None
    counts = store.query(
        f"SELECT {store._bucket()} AS period, f.topic_id, count(*) AS documents FROM facts f "
        f"WHERE f.topic_id IS NOT NULL AND {store._bucket()} IN (?, ?) GROUP BY 1, 2",
        [period, before or period])
    counts["period"] = [pd.Timestamp(p).date() for p in counts["period"]]
    wide = counts.pivot_table(index=S.TOPIC_ID, columns="period", values="documents", fill_value=0)
    now = wide[period] if period in wide.columns else pd.Series(0, index=wide.index)
    then = wide[before] if before in wide.columns else pd.Series(0, index=wide.index)
    out = pd.DataFrame({"documents_before": then.astype(int), "documents": now.astype(int)})
    out["share_before"] = out["documents_before"] / max(1, out["documents_before"].sum())
    out["share"] = out["documents"] / max(1, out["documents"].sum())
    out["change"] = out["share"] - out["share_before"]
    out["change_ratio"] = (out["share"] / out["share_before"].where(out["share_before"] > 0) - 1)
    out = out.reset_index()
    labels = topic_labels(store)
    out["label"] = out[S.TOPIC_ID].map(lambda t: labels.get(int(t), str(t)))
    return out.sort_values(["change", "documents", S.TOPIC_ID], ascending=[False, False, True],
                           ignore_index=True)[MOVER_COLUMNS]


def topic_labels(store: ExploreStore) -> dict[int, str]:
    """Topic id → the label shown: the readable ``label`` column of the topic table (a short
    name when the topic stage wrote one, else BERTopic's ``3_口罩_防护`` name)."""
    if not store.has(S.TOPICS):
        return {}
    topics = store.query(f"SELECT * FROM {S.TOPICS}")
    return topic_names(topics)


def axis_names(labels: dict[int, str]) -> dict[int, str]:
    """Topic id → its name on a chart axis: the label cut to fit (:func:`axis_label`) and ``#id``
    added where two cut labels read the same, so every topic keeps a row of its own (two long
    labels that differ only past the cut would otherwise share one, and their bars overlap).

    ``axis_names({6: "关于新冠肺炎疫情期间口罩价格上涨与囤积现象的讨论之二", 9: "关于新冠肺炎…讨论之一",
    1: "直播·带货·国货"})`` is ``{6: "关于新冠肺… #6", 9: "关于新冠肺… #9", 1: "直播·带货·国货"}``.
    """
    return distinct_names({int(t): axis_label(str(label)) for t, label in labels.items()})


def emotion_values(store: ExploreStore) -> list[str]:
    """The emotion labels present (in the order of :data:`opinion.schema.EMOTIONS`), or []."""
    if S.EMOTION_LABEL not in store.fact_columns:
        return []
    found = set(store.query("SELECT DISTINCT emotion_label FROM facts WHERE emotion_label IS NOT NULL")
                ["emotion_label"])
    return [e for e in S.EMOTIONS if e in found] + sorted(found - set(S.EMOTIONS))


def period_bounds(period: dt.date, unit: str) -> tuple[dt.date, dt.date]:
    """First and last day of the ``unit`` (day, week or month) period starting on ``period``."""
    start = pd.Timestamp(period)
    end = {"day": start, "week": start + pd.Timedelta(days=6),
           "month": start + pd.offsets.MonthEnd(0)}[unit]
    return start.date(), pd.Timestamp(end).date()


def compare_topics(topic_shares: pd.DataFrame, labels: dict[int, str],
                   sides: Sequence[str] = ()) -> pd.DataFrame:
    """Compare's topic shares as one row per topic, biggest rise from side A to side B first.

    ``topic_shares`` has ``side, topic_id, documents, share`` rows (:meth:`ExploreStore.compare`);
    ``sides`` names the two sides in order (default: those in ``topic_shares``), so a side with
    no documents, which has no rows, still gets its columns. The result has ``topic_id, label``,
    then ``documents`` and ``share`` of each side (``documents A: …``), and ``change`` = share
    B - share A. A topic absent on one side counts 0 there: with side A empty, every topic of B
    is listed, its change equal to its share in B.
    """
    rows = (topic_shares if "side" in topic_shares.columns  # no side had a document: no columns
            else pd.DataFrame(columns=["side", S.TOPIC_ID, "documents", "share"]))
    names = list(sides) or list(dict.fromkeys(rows["side"]))
    if len(names) != 2:
        return pd.DataFrame(columns=[S.TOPIC_ID, "label", "change"])
    rows = rows[rows["side"].isin(names)]
    out = pd.DataFrame({S.TOPIC_ID: pd.Series(list(dict.fromkeys(rows[S.TOPIC_ID].astype(int))), dtype=int)})
    out["label"] = [labels.get(int(t), str(t)) for t in out[S.TOPIC_ID]]

    def column(value: str, side: str) -> pd.Series:
        """``value`` of ``side`` for each topic of ``out``, 0 where the side has none."""
        found = rows[rows["side"] == side]
        return out[S.TOPIC_ID].map(dict(zip(found[S.TOPIC_ID].astype(int), found[value]))).fillna(0)

    for side in names:
        out[f"documents {side}"] = column("documents", side).astype(int)
    for side in names:
        out[f"share {side}"] = column("share", side).astype(float)
    out["change"] = out[f"share {names[1]}"] - out[f"share {names[0]}"]
    return out.sort_values(["change", S.TOPIC_ID], ascending=[False, True], ignore_index=True)
