"""The orders a document list can take, as SQL on the explorer's ``facts`` table (alias ``f``).

Every order ends with the documents' file order (source label, then row in the input
file), never with the string order of their ids, so ``posts-9`` comes before ``posts-10``.
``typical`` is the topic model's probability that the document belongs to its topic
(``topic_prob``), highest first: the posts that best stand for the topic.

Example:
    >>> order_sql("negative", ["sentiment_score", "input_row"])
    'f.sentiment_score ASC NULLS LAST, f.source, f.input_row, f.doc_id'
"""

from __future__ import annotations

# sort key -> (column it needs, SQL); without the column the list falls back to newest first
SORTS: dict[str, tuple[str | None, str]] = {
    "newest": (None, "f.published_at DESC NULLS LAST"),
    "oldest": (None, "f.published_at ASC NULLS LAST"),
    "typical": ("topic_prob", "f.topic_prob DESC NULLS LAST"),
    "negative": ("sentiment_score", "f.sentiment_score ASC NULLS LAST"),
    "positive": ("sentiment_score", "f.sentiment_score DESC NULLS LAST"),
}


def order_sql(sort: str, columns: list[str]) -> str:
    """``ORDER BY`` terms for ``sort`` given the ``facts`` columns; unknown sorts are newest first."""
    needed, first = SORTS.get(sort, SORTS["newest"])
    if needed is not None and needed not in columns:
        first = SORTS["newest"][1]
    file_order = "f.source, f.input_row, " if "input_row" in columns else "f.source, "
    return f"{first}, {file_order}f.doc_id"


def available_sorts(columns: list[str]) -> list[str]:
    """The sorts the workspace can offer (``typical`` needs topics, the others sentiment)."""
    return [key for key, (needed, _) in SORTS.items() if needed is None or needed in columns]
