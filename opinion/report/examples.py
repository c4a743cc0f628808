"""The example posts of a topic in a report: which posts, and their excerpts in the reader's script.

Example:
    >>> excerpt("  武汉\\n加油  ")
    '武汉 加油'
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from opinion import schema as S
from opinion.report.display import check_script
from opinion.text.pieces import render_pieces

if TYPE_CHECKING:
    from opinion.report.tables import WorkspaceTables

EXCERPT_CHARS = 80


def representative_docs(data: WorkspaceTables, *, top: int, flags: pd.DataFrame) -> dict[int, list[str]]:
    """Up to ``top`` example doc_ids per topic, joined on ids, one per distinct post.

    The topic model's representative documents come first; the topic's most probable
    documents fill the rest, never an exact copy (``text_hash``) nor a second post of a
    near-duplicate cluster (``flags.near_duplicate_of``) already picked, and neither
    near-duplicates nor spam unless the topics were fitted with ``keep_duplicates`` (since
    2026-12-08: 37 of the 80 examples of ``--top 10`` on 5,000 Weibo posts were flagged).
    ``flags``: ``near_duplicate_of`` and ``is_spam`` by ``doc_id``.
    """
    candidates: dict[int, list[str]] = {}
    if data.topics is not None and "representative_doc_ids" in data.topics.columns:
        for topic_id, ids in zip(data.topics[S.TOPIC_ID], data.topics["representative_doc_ids"]):
            candidates[int(topic_id)] = [str(i) for i in (ids if ids is not None else [])]
    assert data.topic_docs is not None, "called only when topics were fitted"
    ranked = data.topic_docs.sort_values([S.TOPIC_ID, S.TOPIC_PROB], ascending=[True, False])[
        [S.TOPIC_ID, S.DOC_ID]].join(flags, on=S.DOC_ID)
    if not data.manifest.get("stages", {}).get(S.TOPICS, {}).get("settings", {}).get("keep_duplicates"):
        ranked = ranked[ranked[S.NEAR_DUPLICATE_OF].isna() & ~ranked[S.IS_SPAM].eq(True)]
    cluster = ranked[S.NEAR_DUPLICATE_OF].fillna(ranked[S.DOC_ID])  # a cluster is named by its first post
    ranked = ranked.assign(_cluster=cluster).drop_duplicates([S.TOPIC_ID, "_cluster"])
    for topic_id, ids in ranked.groupby(S.TOPIC_ID, sort=False).head(top * 20).groupby(S.TOPIC_ID)[S.DOC_ID]:
        candidates[int(topic_id)] = candidates.get(int(topic_id), []) + ids.tolist()
    wanted = {doc_id for ids in candidates.values() for doc_id in ids}
    corpus = data.corpus[data.corpus[S.DOC_ID].isin(wanted)].join(flags, on=S.DOC_ID)
    keys = {d: {("text", h), ("cluster", c)}  # a post shown stands for its copies and near-duplicates
            for d, h, c in zip(corpus[S.DOC_ID], corpus[S.TEXT_HASH],
                               corpus[S.NEAR_DUPLICATE_OF].fillna(corpus[S.DOC_ID]))}
    chosen: dict[int, list[str]] = {}
    for topic_id, ids in candidates.items():
        picked: list[str] = []
        seen: set[tuple[str, Any]] = set()  # the texts and near-duplicate clusters shown
        for doc_id in ids:
            if doc_id in keys and not keys[doc_id] & seen and len(picked) < top:
                picked.append(doc_id)
                seen |= keys[doc_id]
        chosen[topic_id] = picked
    return chosen


def excerpt(text: Any, *, chars: int = EXCERPT_CHARS, doc_script: str | None = None,
            script: str | None = None) -> str:
    """The first ``chars`` characters of ``text`` on one line, with … when cut; with ``script``,
    shown in that script (``text`` is written in ``doc_script``, ``None``: detected), converted
    before it is cut so that a word at the cut keeps its conversion
    (``excerpt("世界著名", chars=3, doc_script="zh-Hant", script="zh-Hans") == "世界著…"``);
    a Traditional text is simplified as its workspace's ``text_norm`` was
    (:func:`opinion.text.conversion.analysis_hant`: 軟體 reads 软件 under ``tw2sp``, as the
    topic words do)."""
    if not isinstance(text, str):
        return ""
    flat = " ".join(text.split())
    shown = flat[:chars]
    if script is not None and shown:
        shown = render_pieces(flat, doc_script, check_script(script), [(0, len(shown))])[0]
    return shown if len(flat) <= chars else shown + "…"
