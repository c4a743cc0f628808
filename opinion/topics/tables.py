"""The topic tables stored in a workspace: topics, over time, per source, hierarchy.

All tables hold canonical Simplified text; the CLI and exports render it in the user's
script. They are built from aggregates added up part by part (:mod:`opinion.topics.assign`):
topic sizes, term counts per topic and per (topic, period), counts per (topic, source); the
c-TF-IDF words are computed by BERTopic's own code on those counts
(:class:`CountedVectorizer`), never on one string per topic of all its documents.

Periods come from :mod:`opinion.periods` (the one rule every timeline uses).
"""

from __future__ import annotations

import collections
import contextlib
import io

import numpy as np
import pandas as pd
from scipy import sparse

from opinion import schema as S

N_REPRESENTATIVE = 3


def topic_label(topic_id: int, terms: list[str], *, n_terms: int = 4) -> str:
    """BERTopic-style label from the top terms: ``topic_label(3, ["口罩", "防护"]) == "3_口罩_防护"``."""
    return "_".join([str(topic_id), *terms[:n_terms]])


class CountedVectorizer:
    """Stands in for BERTopic's CountVectorizer: each "document" is a key whose term counts
    were added up part by part, so BERTopic's own c-TF-IDF code runs on them unchanged."""

    def __init__(self, rows: dict[str, sparse.csr_matrix], words: np.ndarray) -> None:
        self.rows = rows
        self.words = words

    def fit_transform(self, documents: list[str]) -> sparse.csr_matrix:
        return sparse.vstack([self.rows[d] for d in documents]).tocsr()

    transform = fit_transform

    def get_feature_names_out(self) -> np.ndarray:
        return self.words


@contextlib.contextmanager
def _counted(model, rows: dict[str, sparse.csr_matrix]):
    fitted = model.vectorizer_model
    model.vectorizer_model = CountedVectorizer(rows, fitted.get_feature_names_out())
    try:
        yield
    finally:
        model.vectorizer_model = fitted


def update_representations(model, topic_terms: sparse.csr_matrix, sizes: dict[int, int]) -> None:
    """BERTopic's ``update_topics`` from term counts: c-TF-IDF and top words of every topic
    with documents, over the fitted vocabulary (row ``t`` of ``topic_terms`` is topic ``t``)."""
    topics = sorted(t for t, n in sizes.items() if t != -1 and n > 0)
    keys = [f"t{t}" for t in topics]
    with _counted(model, {k: topic_terms[t] for k, t in zip(keys, topics)}):
        model.c_tf_idf_, words = model._c_tf_idf(pd.DataFrame({"Document": keys}))
    model.topic_representations_ = model._extract_words_per_topic(words, pd.DataFrame({"Topic": topics}))
    model.topic_sizes_ = collections.Counter({t: sizes[t] for t in topics})


TOPIC_COLUMNS = [S.TOPIC_ID, "label", "name", "size", "share", "top_terms", "top_terms_weights",
                 "representative_doc_ids", "label_terms", "coherence", "is_generic"]


def topics_table(sizes: dict[int, int], representations: dict[int, list[tuple[str, float]]],
                 representatives: dict[int, list[str]], readable: pd.DataFrame | None = None, *,
                 top_n: int = 10) -> pd.DataFrame:
    """One row per topic: id, readable label, BERTopic-style name, size, share, top terms and
    weights, representative ids, and the label's terms, coherence and catch-all flag.

    ``readable`` comes from :func:`opinion.topics.labels.readable_labels`; without it (or for
    a topic it lacks) the label is the name.
    """
    sizes = {int(t): int(n) for t, n in sizes.items() if n > 0}
    total = max(sum(sizes.values()), 1)
    known = readable.set_index(S.TOPIC_ID).to_dict("index") if readable is not None else {}
    rows = []
    for topic in sorted(sizes):
        pairs = [(w, float(s)) for w, s in representations.get(topic, []) if w and s > 0][:top_n]
        terms = [w for w, _ in pairs]
        name = topic_label(topic, terms) if topic != -1 else S.OUTLIER_NAME
        extra = known.get(topic, {"label": name if topic != -1 else S.OUTLIER_LABEL, "label_terms": [],
                                  "coherence": 0.0 if topic == -1 else float("nan"),
                                  "is_generic": topic == -1})
        rows.append({
            S.TOPIC_ID: topic,
            "label": extra["label"],
            "name": name,
            "size": sizes[topic],
            "share": sizes[topic] / total,
            "top_terms": terms,
            "top_terms_weights": [s for _, s in pairs],
            "representative_doc_ids": representatives.get(topic, []),
            "label_terms": list(extra["label_terms"]),
            "coherence": float(extra["coherence"]),
            "is_generic": bool(extra["is_generic"]),
        })
    return pd.DataFrame(rows, columns=TOPIC_COLUMNS)


def topics_over_time_table(model, sizes: dict[tuple[int, pd.Timestamp], int],
                           terms: dict[pd.Timestamp, sparse.csr_matrix]) -> pd.DataFrame:
    """Counts and shares of each topic per period, with BERTopic's words of that period.

    ``sizes`` counts the dated documents per (topic, period start), topic -1 included;
    ``terms`` holds the term counts of the documents with a topic per period (one row per
    topic), duplicates and spam left out: a (topic, period) without counted words (e.g. a day
    of reposts only) keeps its count and gets no words ("", since 2026-12-07; before, a
    period without any counted word stopped the fit with a KeyError). ``share`` is the topic's share of all the period's documents (since 2026-12-07;
    before, of those with a topic), as in ``topics.parquet``. The words come from
    ``BERTopic.topics_over_time`` (c-TF-IDF per period, averaged with the global one), run
    on the counts; topic -1 has none ("").
    """
    columns = [S.TOPIC_ID, "period", "count", "share", "words"]
    if not sizes:
        return pd.DataFrame(columns=columns)
    counts = pd.DataFrame([(t, p, n) for (t, p), n in sizes.items()], columns=[S.TOPIC_ID, "period", "count"])
    counts["period"] = pd.to_datetime(counts["period"])
    counts["share"] = counts["count"] / counts.groupby("period")["count"].transform("sum")
    pairs = counts[counts[S.TOPIC_ID] != -1].sort_values(["period", S.TOPIC_ID]).reset_index(drop=True)
    pairs = pairs.loc[np.array([_has_words(terms, p, t) for t, p in zip(pairs[S.TOPIC_ID], pairs["period"])],
                               dtype=bool)].reset_index(drop=True)
    words = pd.DataFrame({S.TOPIC_ID: pd.Series(dtype=np.int64), "period": pd.Series(dtype="datetime64[ns]"),
                          "words": pd.Series(dtype=object)})
    if len(pairs):
        keys = [f"t{t}p{i}" for i, t in enumerate(pairs[S.TOPIC_ID])]
        rows = {k: terms[p][t] for k, t, p in zip(keys, pairs[S.TOPIC_ID], pairs["period"])}
        with _counted(model, rows):
            words = model.topics_over_time(keys, list(pairs["period"]), topics=pairs[S.TOPIC_ID].tolist(),
                                           global_tuning=True, evolution_tuning=False)
        words = words.rename(columns={"Topic": S.TOPIC_ID, "Timestamp": "period", "Words": "words"})
        words["words"] = words["words"].str.replace(", ", " ", regex=False)
        words["period"] = pd.to_datetime(words["period"])
    out = counts.merge(words[[S.TOPIC_ID, "period", "words"]], on=[S.TOPIC_ID, "period"], how="left")
    out["words"] = out["words"].fillna("")  # topic -1, and pairs without counted words
    return out.sort_values(["period", S.TOPIC_ID]).reset_index(drop=True)[columns]


def _has_words(terms: dict[pd.Timestamp, sparse.csr_matrix], period: pd.Timestamp, topic: int) -> bool:
    """Whether topic ``topic`` has counted words in ``period`` (no duplicates or spam)."""
    counts = terms.get(pd.Timestamp(period))
    return counts is not None and topic < counts.shape[0] and counts[topic].nnz > 0


def topics_per_source_table(counts: dict[tuple[int, str], int]) -> pd.DataFrame:
    """Counts of each topic per source, topic -1 included; ``share`` is the topic's share of
    all the source's documents (since 2026-12-07; before, of those with a topic)."""
    frame = pd.DataFrame([(t, s, n) for (t, s), n in counts.items()],
                         columns=[S.TOPIC_ID, S.SOURCE, "count"])
    frame = frame.astype({S.TOPIC_ID: np.int64, "count": np.int64})
    frame["share"] = frame["count"] / frame.groupby(S.SOURCE)["count"].transform("sum")
    return frame.sort_values([S.SOURCE, S.TOPIC_ID]).reset_index(drop=True)


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
