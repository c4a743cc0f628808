"""The groups of the explorer's Emotions view: topics named and ordered as the topic table.

Example:
    >>> counts = pd.DataFrame({"topic_id": [0, 1], "emotion_label": ["anger", "fear"], "documents": [3, 1]})
    >>> topic_groups(counts, pd.DataFrame({"topic_id": [0, 1], "label": ["口罩", "口罩"], "size": [3, 1]}))["group"].tolist()
    ['口罩 #0', '口罩 #1']
"""

from __future__ import annotations

import pandas as pd

from opinion import schema as S
from opinion.report.display import ordered_topics, topic_names


def topic_groups(counts: pd.DataFrame, topics: pd.DataFrame) -> pd.DataFrame:
    """Emotion counts per ``topic_id`` as groups named by the topic's label, with their shares
    and a ``group_order``: the topic table's (:func:`opinion.report.display.ordered_topics`,
    outliers last). One group per topic id: two topics sharing a label read ``label #id``."""
    known = ordered_topics(topics)[S.TOPIC_ID].tolist() if S.TOPIC_ID in topics else []
    others = sorted(set(counts[S.TOPIC_ID]) - set(known), key=lambda t: (t < 0, abs(t)))
    listed = [*known, *others]
    rank = {t: i for i, t in enumerate([t for t in listed if t >= 0] + [t for t in listed if t < 0])}  # -1 last
    name = topic_names(topics, rank)
    return counts.assign(group=counts[S.TOPIC_ID].map(name), group_order=counts[S.TOPIC_ID].map(rank),
                         share=counts["documents"] / counts.groupby(S.TOPIC_ID)["documents"].transform("sum"))


def emotion_order(shares: pd.DataFrame, by: str) -> pd.DataFrame:
    """:meth:`ExploreStore.emotion_shares` rows in order: periods by date, topics in their
    ``group_order`` (:func:`topic_groups`), other groups by their documents; emotions as
    :data:`S.EMOTIONS` lists them."""
    emotion = shares["emotion_label"].map({e: i for i, e in enumerate(S.EMOTIONS)}).fillna(len(S.EMOTIONS))
    if by == "period":
        keys = {"_group": shares["group"]}
    elif by == "topic":
        keys = {"_group": shares["group_order"]}
    else:
        keys = {"_group": -shares.groupby("group")["documents"].transform("sum")}
    ordered = shares.assign(**keys, _emotion=emotion).sort_values([*keys, "group", "_emotion"], kind="stable")
    return ordered[["group", "emotion_label", "documents", "share"]].reset_index(drop=True)
