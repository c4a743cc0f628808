"""The checks the topic fit makes (too few documents, too few words), beside
:class:`TopicSettings`, which lives with every default in :mod:`opinion.config` and is
re-exported here.

Used by :class:`opinion.topics.topic_model.TopicModel` (in memory) and by the workspace stage
(:mod:`opinion.topics.stage`); :mod:`opinion.topics.model` re-exports both for old imports.

Example:
    >>> TopicSettings(nr_topics=12).check().min_topic_size
    10
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from opinion.config import (  # the settings and their defaults live in opinion.config
    DEFAULT_EMBEDDING as DEFAULT_EMBEDDING,
)
from opinion.config import (
    DEFAULT_MIN_TOPIC_SIZE as DEFAULT_MIN_TOPIC_SIZE,
)
from opinion.config import (
    DEFAULT_SAMPLE_SIZE as DEFAULT_SAMPLE_SIZE,
)
from opinion.config import (
    PROJECTION_DIMS as PROJECTION_DIMS,
)
from opinion.config import (
    TopicSettings as TopicSettings,
)
from opinion.errors import InputError

if TYPE_CHECKING:
    from opinion.io.workspace import Workspace

MIN_TOPIC_WORDS = 5  # with fewer distinct topic words in a corpus, topics cannot differ


class TooFewDocumentsError(InputError):
    """The corpus has too few distinct documents, or words, to find topics in: it has
    ``have`` of the ``needed`` ``unit`` (``documents`` or ``words``)."""

    def __init__(self, message: str, *, unit: str = "documents", have: int = 0, needed: int = 0) -> None:
        super().__init__(message)
        self.unit, self.have, self.needed = unit, have, needed


def require_enough(n_distinct: int, settings: TopicSettings, *, where: str = "",
                   flagged: int = 0) -> None:
    """Raise :class:`TooFewDocumentsError` below ``max(2 * min_topic_size, 20)`` distinct
    documents with words (``where``: the workspace, for the message). ``flagged`` documents
    with words were left out as near-duplicates or spam; when they would make enough, the
    message says how to fit them (e.g. 300 hashtag-only posts, every one flagged spam:
    "only 0 distinct documents with words ...; 300 more ... keep_duplicates ...").
    """
    needed = max(2 * settings.min_topic_size, 20)
    if n_distinct < needed:
        hint = ""
        if flagged and not settings.keep_duplicates and n_distinct + flagged >= needed:
            hint = (f"; {flagged} more with words were left out as near-duplicates or spam: "
                    "fit them too with keep_duplicates (`--keep-duplicates`) if they are real posts")
        raise TooFewDocumentsError(f"{where}only {n_distinct} distinct documents with words; "
                                   f"topics need at least {needed}{hint}",
                                   unit="documents", have=n_distinct, needed=needed)


def require_words(terms: list[list[str]], *, where: str = "") -> None:
    """Raise :class:`TooFewDocumentsError` when the fit documents share too few topic words."""
    n_words = len({term for doc in terms for term in doc})
    if n_words < MIN_TOPIC_WORDS:
        raise TooFewDocumentsError(f"{where}the documents share only {n_words} distinct topic words; "
                                   f"topics need at least {MIN_TOPIC_WORDS}",
                                   unit="words", have=n_words, needed=MIN_TOPIC_WORDS)


def topic_period(ws: Workspace) -> str | None:
    """The topic period the user chose for ``ws`` (``opinion topics --period week``, ``opinion
    run --topic-period week``), or None (picked from the date range). The export's timelines
    follow it unless given their own (since 2026-12-07), e.g. ``topic_period(ws) == "week"``."""
    from opinion.config import stored_settings

    stored = stored_settings(ws, TopicSettings)
    return stored.period if stored is not None else None


def workspace_period_choice(ws: Workspace) -> tuple[str, str]:
    """The unit of every timeline of this workspace and where it came from (:data:`PERIOD_ORIGINS`):
    the stored ``opinion export --period`` (``export``), else the topic period (``opinion topics
    --period``, ``opinion run --topic-period``: ``topics``), else `opinion.periods.choose_period` of the
    corpus dates (``dates``; ``undated`` when no document has one), as ``opinion export`` does.
    Example: after ``opinion topics --period week``, ``("week", "topics")``."""
    import pandas as pd

    from opinion import schema as S
    from opinion.config import ExportSettings, stored_settings
    from opinion.periods import choose_period

    export = stored_settings(ws, ExportSettings)
    if export is not None and export.period is not None:
        return export.period, "export"
    topics = topic_period(ws)
    if topics is not None:
        return topics, "topics"
    dates = ws.read(S.CORPUS, columns=[S.PUBLISHED_AT])[S.PUBLISHED_AT] if ws.has(S.CORPUS) else pd.Series([])
    return choose_period(dates), "dates" if pd.to_datetime(dates, errors="coerce").notna().any() else "undated"


def workspace_period(ws: Workspace) -> str:
    """The unit of every timeline of this workspace (:func:`workspace_period_choice`): ``"day"``
    for a 79-day 疫情 corpus with no period stored."""
    return workspace_period_choice(ws)[0]
