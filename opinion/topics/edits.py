"""Topic edits (rename, merge, drop), applied in one place to every topic table.

An analyst's decisions about the fitted topics are kept as an ordered list of
:class:`TopicEdit` in the workspace (:mod:`opinion.topics.edit_store`) and applied by
:func:`apply_edits` whenever a topic table is read: by the export tables
(:func:`opinion.report.tables.read_workspace`), the explorer (:mod:`opinion.explore.facts`)
and ``opinion topics assign``. The stored topic tables are never changed, so an edit can be
undone and a refit starts from the model's own topics.

Rules, applied in the order the edits were made; ids are the topic model's ids:

- ``rename 3 口罩与防护`` sets the ``label`` of topic 3; the automatic label stays in
  ``label_auto``.
- ``merge 1,4`` puts topic 4's documents into topic 1: the merged topic keeps the **lowest
  id** and that topic's label (rename it afterwards to name the union); sizes and shares add
  up, top terms are re-ranked by weight × size, the example posts are pooled.
- ``drop 7`` sends topic 7's documents to the outliers (topic -1, label ``未归入主题``).

Every table gets ``label_auto`` and ``merged_from`` (the model ids now in the row; a
dropped id is in row -1), from which :func:`id_mapping` builds the document mapping.

Example:
    >>> info = pd.DataFrame({"topic_id": [0, 1, 2], "label": ["0_口罩", "1_直播", "2_确诊"],
    ...                      "size": [6, 3, 1], "share": [0.6, 0.3, 0.1]})
    >>> edits = [TopicEdit("merge", (0, 2)), TopicEdit("rename", (0,), "口罩与确诊")]
    >>> topics, _ = apply_edits(info, None, edits)
    >>> topics[["topic_id", "label", "size"]].values.tolist()
    [[0, '口罩与确诊', 7], [1, '1_直播', 3]]
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from opinion import schema as S
from opinion.errors import InputError

ACTIONS = ("rename", "merge", "drop")
DONE = {"rename": "renamed", "merge": "merged", "drop": "dropped"}  # for messages
OUTLIER = -1
# The -1 row a drop creates: what topics.parquet's own -1 row holds (no label terms, a catch-all).
OUTLIER_ROW: dict[str, Any] = {"coherence": 0.0, "is_generic": True}
MAX_LABEL = 60  # characters of a user's label
TOP_TERMS = 10


@dataclasses.dataclass(frozen=True)
class TopicEdit:
    """One edit: ``TopicEdit("rename", (3,), "口罩")``, ``TopicEdit("merge", (1, 4))``,
    ``TopicEdit("drop", (7,))``. ``model`` is the fingerprint of the topic model it was made on."""

    action: str
    topics: tuple[int, ...]
    label: str | None = None
    model: str = ""
    at: str = ""

    def describe(self) -> str:
        """``rename 3 = 口罩``, ``merge 1, 4``, ``drop 7``."""
        ids = ", ".join(str(t) for t in self.topics)
        return f"rename {ids} = {self.label}" if self.action == "rename" else f"{self.action} {ids}"

    def to_json(self) -> dict[str, Any]:
        return {"action": self.action, "topics": list(self.topics), "label": self.label,
                "model": self.model, "at": self.at}

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> TopicEdit:
        return cls(action=str(obj["action"]), topics=tuple(int(t) for t in obj["topics"]),
                   label=obj.get("label"), model=str(obj.get("model", "")), at=str(obj.get("at", "")))


def check_edit(edit: TopicEdit, where: str = "") -> TopicEdit:
    """Raise one line naming the problem and the fix when ``edit`` is malformed on its own
    (unknown action, a merge of one topic, an empty label); ``where`` prefixes the message."""
    prefix = f"{where}: " if where else ""
    if edit.action not in ACTIONS:
        raise InputError(f"{prefix}unknown action {edit.action!r}; use rename, merge or drop")
    if edit.action == "merge" and len(set(edit.topics)) < 2:
        raise InputError(f"{prefix}merge needs two or more different topic ids, e.g. --merge 1,4; "
                         f"got {', '.join(map(str, edit.topics)) or 'none'}")
    if edit.action != "merge" and len(edit.topics) != 1:
        raise InputError(f"{prefix}{edit.action} takes one topic id; got {len(edit.topics)}")
    if OUTLIER in edit.topics:
        raise InputError(f"{prefix}topic -1 holds the outliers and cannot be {DONE[edit.action]}; "
                         "give the id of a topic (see `opinion topics edit -w WS --list`)")
    if edit.action == "rename":
        label = (edit.label or "").strip()
        if not label:
            raise InputError(f"{prefix}rename {edit.topics[0]} to an empty label; give one, "
                             f"e.g. --rename {edit.topics[0]}=口罩与防护")
        if len(label) > MAX_LABEL:
            raise InputError(f"{prefix}label of topic {edit.topics[0]} has {len(label)} characters; "
                             f"give at most {MAX_LABEL}")
        edit = dataclasses.replace(edit, label=" ".join(label.split()))
    return edit


@dataclasses.dataclass
class _Topic:
    row: dict[str, Any]
    members: list[int]
    label: str


def _state(topic_info: pd.DataFrame) -> dict[int, _Topic]:
    state = {}
    for row in topic_info.to_dict("records"):
        topic_id = int(row[S.TOPIC_ID])
        label = str(row.get("label", topic_id))
        state[topic_id] = _Topic(row={**row, "label_auto": row.get("label_auto", label)},
                                 members=[topic_id], label=label)
    return state


def _unknown(topic_id: int, state: dict[int, _Topic], gone: dict[int, str], where: str) -> InputError:
    prefix = f"{where}: " if where else ""
    if topic_id in gone:
        return InputError(f"{prefix}topic {topic_id} {gone[topic_id]}; edit the topic it went to instead")
    ids = sorted(t for t in state if t != OUTLIER)
    shown = ", ".join(map(str, ids[:30])) + (" …" if len(ids) > 30 else "")
    return InputError(f"{prefix}no topic {topic_id}; the topics are {shown} "
                      "(`opinion topics edit -w WS --list`)")


def _apply_one(state: dict[int, _Topic], gone: dict[int, str], edit: TopicEdit, where: str) -> None:
    for topic_id in edit.topics:
        if topic_id not in state or topic_id == OUTLIER:
            raise _unknown(topic_id, state, gone, where)
    if edit.action == "rename":
        state[edit.topics[0]].label = str(edit.label)
    elif edit.action == "merge":
        keep, *others = sorted(set(edit.topics))
        for other in others:
            state[keep].members += state[other].members
            state[keep].row = _combine(state[keep].row, state.pop(other).row)
            gone[other] = f"was merged into topic {keep}"
    else:
        (dropped,) = edit.topics
        topic = state.pop(dropped)
        gone[dropped] = "was dropped (its documents are outliers, -1)"
        outliers = state.get(OUTLIER)
        if outliers is None:
            row: dict[str, Any] = {key: [] if isinstance(value, (list, tuple, np.ndarray)) else None
                   for key, value in topic.row.items()}
            row.update({k: v for k, v in OUTLIER_ROW.items() if k in row})
            outliers = state[OUTLIER] = _Topic(row={**row, S.TOPIC_ID: OUTLIER, "size": 0, "share": 0.0,
                                                    "label_auto": S.OUTLIER_LABEL},
                                               members=[], label=S.OUTLIER_LABEL)
            if "name" in row:
                outliers.row["name"] = S.OUTLIER_NAME
        outliers.members += topic.members
        outliers.label = S.OUTLIER_LABEL
        for column in ("size", "share"):
            if column in outliers.row and column in topic.row:
                outliers.row[column] = outliers.row[column] + topic.row[column]


def _combine(keep: dict[str, Any], other: dict[str, Any]) -> dict[str, Any]:
    """The row of topic ``keep`` after ``other`` is merged into it."""
    size_keep, size_other = float(keep.get("size") or 0), float(other.get("size") or 0)
    total = size_keep + size_other or 1.0
    out = dict(keep)
    for column, value in keep.items():
        if column in (S.TOPIC_ID, "label", "label_auto"):
            continue
        theirs = other.get(column)
        if column in ("size", "share") and theirs is not None:
            out[column] = value + theirs
        elif column == "representative_doc_ids":
            first, second = (value, theirs) if size_keep >= size_other else (theirs, value)
            out[column] = [*_as_list(first), *_as_list(second)]
        elif isinstance(value, (bool, np.bool_)) and isinstance(theirs, (bool, np.bool_)):
            out[column] = bool(value and theirs)  # e.g. is_generic: only if both were
        elif isinstance(value, (float, np.floating)) and isinstance(theirs, (int, float, np.number)):
            out[column] = (value * size_keep + theirs * size_other) / total  # size-weighted mean
    if "top_terms" in keep:
        out["top_terms"], weights = _merge_terms(keep, other, size_keep, size_other)
        if "top_terms_weights" in keep:
            out["top_terms_weights"] = weights
    return out


def _as_list(value: Any) -> list[Any]:
    return [] if value is None else list(value)


def _merge_terms(a: dict[str, Any], b: dict[str, Any], size_a: float, size_b: float) -> tuple[list[str], list[float]]:
    """Top terms of the union: each term's weight × its topic's size, summed, best first."""
    scores: dict[str, float] = {}
    for row, size in ((a, size_a), (b, size_b)):
        terms = _as_list(row.get("top_terms"))
        weights = _as_list(row.get("top_terms_weights")) or [1.0 / (rank + 1) for rank in range(len(terms))]
        for term, weight in zip(terms, weights):
            scores[term] = scores.get(term, 0.0) + float(weight) * size
    total = (size_a + size_b) or 1.0
    ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:TOP_TERMS]
    return [t for t, _ in ranked], [s / total for _, s in ranked]


def edited_topics(topic_info: pd.DataFrame, edits: Sequence[TopicEdit], *,
                  where: Sequence[str] = ()) -> pd.DataFrame:
    """The topic table after ``edits``, with ``label_auto`` and ``merged_from`` columns.

    Raises a one-line :class:`InputError` for an edit that names a topic that does not exist
    (any more), prefixed with ``where[i]`` (what the user typed) for edit ``i``. Rows keep
    the table's order; merged rows sit where their kept topic was.
    """
    state: dict[int, _Topic] = _state(topic_info)
    gone: dict[int, str] = {}
    for number, edit in enumerate(edits):
        prefix = where[number] if number < len(where) else ""
        _apply_one(state, gone, check_edit(edit, prefix), prefix)
    rows = [{**topic.row, "label": topic.label, "merged_from": sorted(topic.members)} for topic in state.values()]
    columns = list(topic_info.columns)
    for extra in ("label_auto", "merged_from"):
        if extra not in columns:
            columns.insert(columns.index("label") + 1 if "label" in columns else len(columns), extra)
    out = pd.DataFrame(rows).reindex(columns=columns)
    if S.TOPIC_ID in out.columns:
        out[S.TOPIC_ID] = out[S.TOPIC_ID].astype(np.int64)
    return out


def id_mapping(topics: pd.DataFrame) -> dict[int, int]:
    """``{model id: edited id}`` from an edited table's ``merged_from`` (identity when unedited)."""
    return {int(member): int(topic_id) for topic_id, members in zip(topics[S.TOPIC_ID], topics["merged_from"])
            for member in members}


def remap_documents(assignments: pd.DataFrame, topics: pd.DataFrame) -> pd.DataFrame:
    """``assignments`` (``topic_id`` and maybe ``topic_label`` per document) with the edited
    ids and labels of ``topics`` (an :func:`edited_topics` table).

    A document whose topic was dropped gets ``topic_prob`` 0, as the model's own outliers have:
    its similarity to the dropped topic says nothing about a topic it is in.
    """
    mapping = id_mapping(topics)
    out = assignments.copy()
    ids = out[S.TOPIC_ID]
    out[S.TOPIC_ID] = ids.map(mapping).fillna(ids).astype(ids.dtype)  # ids the edits do not name stay
    if S.TOPIC_PROB in out.columns:
        dropped = ((out[S.TOPIC_ID] == OUTLIER) & (ids != OUTLIER)).to_numpy()
        if dropped.any():
            out.loc[dropped, S.TOPIC_PROB] = 0.0
    if S.TOPIC_LABEL in out.columns:
        labels = dict(zip(topics[S.TOPIC_ID].astype(int), topics["label"]))
        out[S.TOPIC_LABEL] = out[S.TOPIC_ID].map(labels).fillna(out[S.TOPIC_LABEL])
    return out


def apply_edits(topic_info: pd.DataFrame, assignments: pd.DataFrame | None,
                edits: Sequence[TopicEdit]) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """The topic table and the per-document assignments after ``edits`` (the one place edits
    are applied). ``assignments`` may be None (only the topic table is wanted)."""
    topics = edited_topics(topic_info, edits)
    if assignments is None or not edits:
        return topics, assignments
    return topics, remap_documents(assignments, topics)


def regroup_counts(table: pd.DataFrame, topics: pd.DataFrame, by: str) -> pd.DataFrame:
    """A per-topic count table (``topics_over_time`` by ``period``, ``topics_per_source`` by
    ``source``) with edited ids: counts and shares of merged topics add up; ``words`` (if
    any) are the members' words, the largest member's first."""
    out = table.copy()
    if out.empty:
        return out
    mapping = id_mapping(topics)
    out[S.TOPIC_ID] = out[S.TOPIC_ID].map(lambda t: mapping.get(int(t), int(t)))
    sums: dict[str, Any] = {c: "sum" for c in ("count", "share") if c in out.columns}
    if "words" in out.columns:
        out = out.sort_values("count", ascending=False, kind="stable") if "count" in out.columns else out
        sums["words"] = _pooled_words
    grouped = out.groupby([S.TOPIC_ID, by], as_index=False, sort=True).agg(sums)
    return grouped.reindex(columns=table.columns)


def _pooled_words(words: pd.Series) -> str:
    """The distinct words of several members' ``words`` strings, in order, at most 10."""
    pooled = " ".join(w for w in words if isinstance(w, str)).split()
    return " ".join(list(dict.fromkeys(pooled))[:TOP_TERMS])


def distinct_names(names: dict[int, str]) -> dict[int, str]:
    """Topic id → name, ``name #id`` where two topics share a name (after a rename), so every
    view keeps them apart: ``distinct_names({0: "防疫", 1: "防疫", 2: "口罩"})`` is
    ``{0: '防疫 #0', 1: '防疫 #1', 2: '口罩'}``."""
    shared = Counter(names.values())
    return {t: f"{n} #{t}" if shared[n] > 1 else n for t, n in names.items()}
