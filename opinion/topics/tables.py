"""The topic tables stored in a workspace: topics, over time, per source, hierarchy.

All tables hold canonical Simplified text; the CLI and exports render it in the user's
script. Representative documents are chosen by ``doc_id`` (closest to the topic centre,
one per distinct text), never by matching text, so duplicated posts cannot all win.

Example:
    >>> choose_period(pd.Series(pd.to_datetime(["2020-01-19", "2020-04-07"])))
    'day'
"""

from __future__ import annotations

import contextlib
import io

import numpy as np
import pandas as pd

from opinion import schema as S

PERIODS = ("day", "week", "month")
_FREQ = {"day": "D", "week": "W-MON", "month": "M"}
N_REPRESENTATIVE = 3


def choose_period(timestamps: pd.Series) -> str:
    """``day`` for up to ~3 months of dates, ``week`` up to ~2 years, else ``month``."""
    ts = pd.to_datetime(timestamps, errors="coerce").dropna()
    if ts.empty:
        return "day"
    span = (ts.max() - ts.min()).days
    return "day" if span <= 92 else "week" if span <= 730 else "month"


def period_start(timestamps: pd.Series, period: str) -> pd.Series:
    """Each timestamp floored to the start of its day, ISO week (Monday) or month."""
    ts = pd.to_datetime(timestamps, errors="coerce")
    if period == "day":
        return ts.dt.floor("D")
    if period == "week":
        return (ts.dt.floor("D") - pd.to_timedelta(ts.dt.dayofweek, unit="D"))
    return ts.dt.to_period("M").dt.start_time


def topic_label(topic_id: int, terms: list[str], *, n_terms: int = 4) -> str:
    """BERTopic-style label from the top terms: ``topic_label(3, ["口罩", "防护"]) == "3_口罩_防护"``."""
    return "_".join([str(topic_id), *terms[:n_terms]])


def representative_doc_ids(doc_ids: np.ndarray, topics: np.ndarray, embeddings: np.ndarray,
                           topic_embeddings: dict[int, np.ndarray], text_keys: np.ndarray, *,
                           n: int = N_REPRESENTATIVE) -> dict[int, list[str]]:
    """Per topic, the ids of the ``n`` documents closest to its centre, one per distinct text."""
    out: dict[int, list[str]] = {}
    for topic, centre in topic_embeddings.items():
        members = np.flatnonzero(topics == topic)
        if members.size == 0:
            out[topic] = []
            continue
        scores = embeddings[members] @ centre
        chosen, seen = [], set()
        for idx in members[np.argsort(-scores, kind="stable")]:
            key = text_keys[idx]
            if key in seen:
                continue
            seen.add(key)
            chosen.append(str(doc_ids[idx]))
            if len(chosen) == n:
                break
        out[topic] = chosen
    return out


def topics_table(topics: np.ndarray, representations: dict[int, list[tuple[str, float]]],
                 representatives: dict[int, list[str]], *, top_n: int = 10) -> pd.DataFrame:
    """One row per topic: id, label, size, share, top terms and weights, representative ids."""
    sizes = pd.Series(topics).value_counts()
    total = max(int(sizes.sum()), 1)
    rows = []
    for topic in sorted(int(t) for t in sizes.index):
        pairs = [(w, float(s)) for w, s in representations.get(topic, []) if w and s > 0][:top_n]
        terms = [w for w, _ in pairs]
        rows.append({
            S.TOPIC_ID: topic,
            "label": topic_label(topic, terms) if topic != -1 else "-1_无内容",
            "size": int(sizes[topic]),
            "share": int(sizes[topic]) / total,
            "top_terms": terms,
            "top_terms_weights": [s for _, s in pairs],
            "representative_doc_ids": representatives.get(topic, []),
        })
    return pd.DataFrame(rows, columns=[S.TOPIC_ID, "label", "size", "share", "top_terms",
                                       "top_terms_weights", "representative_doc_ids"])


def topics_over_time_table(model, documents: list[str], topics: np.ndarray,
                           timestamps: pd.Series, *, period: str) -> pd.DataFrame:
    """Counts and shares of each topic per period, with BERTopic's words of that period.

    ``share`` is the topic's share of the period's documents. Rows without a date are left
    out. The words come from ``BERTopic.topics_over_time`` (c-TF-IDF per period, averaged
    with the global one).
    """
    columns = [S.TOPIC_ID, "period", "count", "share", "words"]
    starts = period_start(timestamps.reset_index(drop=True), period)
    dated = starts.notna().to_numpy() & (topics != -1)
    if not dated.any():
        return pd.DataFrame(columns=columns)
    frame = pd.DataFrame({S.TOPIC_ID: topics[dated], "period": starts[dated].to_numpy()})
    counts = frame.groupby([S.TOPIC_ID, "period"]).size().rename("count").reset_index()
    counts["share"] = counts["count"] / counts.groupby("period")["count"].transform("sum")
    docs = [documents[i] for i in np.flatnonzero(dated)]
    words = model.topics_over_time(docs, list(frame["period"]), topics=frame[S.TOPIC_ID].tolist(),
                                   global_tuning=True, evolution_tuning=False)
    words = words.rename(columns={"Topic": S.TOPIC_ID, "Timestamp": "period", "Words": "words"})
    words["words"] = words["words"].str.replace(", ", " ", regex=False)
    words["period"] = pd.to_datetime(words["period"])
    out = counts.merge(words[[S.TOPIC_ID, "period", "words"]], on=[S.TOPIC_ID, "period"], how="left")
    return out.sort_values(["period", S.TOPIC_ID]).reset_index(drop=True)[columns]


def topics_per_source_table(topics: np.ndarray, sources: pd.Series) -> pd.DataFrame:
    """Counts of each topic per source; ``share`` is the topic's share of that source."""
    frame = pd.DataFrame({S.TOPIC_ID: topics, S.SOURCE: sources.fillna("(未知)").to_numpy()})
    frame = frame[frame[S.TOPIC_ID] != -1]
    counts = frame.groupby([S.TOPIC_ID, S.SOURCE]).size().rename("count").reset_index()
    counts["share"] = counts["count"] / counts.groupby(S.SOURCE)["count"].transform("sum")
    return counts.sort_values([S.SOURCE, S.TOPIC_ID]).reset_index(drop=True)


def hierarchy_table(model, documents: list[str]) -> pd.DataFrame:
    """BERTopic's merge tree of the topics (``hierarchical_topics``) in snake_case columns.

    Each row merges two children (a topic or an earlier merge) into ``parent_id``;
    ``topic_ids`` lists the topics under the parent and ``distance`` the merge height.
    """
    columns = ["parent_id", "parent_label", "topic_ids", "child_left_id", "child_left_label",
               "child_right_id", "child_right_label", "distance"]
    if len([t for t in model.topic_sizes_ if t != -1]) < 2:
        return pd.DataFrame(columns=columns)
    # hierarchical_topics draws a tqdm bar on stderr that cannot be turned off; hide it.
    with contextlib.redirect_stderr(io.StringIO()):
        tree = model.hierarchical_topics(documents, use_ctfidf=True)
    tree = tree.rename(columns={
        "Parent_ID": "parent_id", "Parent_Name": "parent_label", "Topics": "topic_ids",
        "Child_Left_ID": "child_left_id", "Child_Left_Name": "child_left_label",
        "Child_Right_ID": "child_right_id", "Child_Right_Name": "child_right_label",
        "Distance": "distance"})
    for col in ("parent_id", "child_left_id", "child_right_id"):
        tree[col] = tree[col].astype(int)
    tree["topic_ids"] = tree["topic_ids"].map(lambda ids: [int(i) for i in ids])
    tree["distance"] = tree["distance"].astype(float)
    return tree[columns].sort_values("distance").reset_index(drop=True)
