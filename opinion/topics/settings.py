"""What decides the topics: :class:`TopicSettings`, with every default written once.

Used by :class:`opinion.topics.topic_model.TopicModel` (in memory) and by the workspace stage
(:mod:`opinion.topics.stage`); :mod:`opinion.topics.model` re-exports both for old imports.

Example:
    >>> TopicSettings(nr_topics=12).check().min_topic_size
    10
"""

from __future__ import annotations

from dataclasses import dataclass

from opinion.errors import InputError
from opinion.topics import tables as T

DEFAULT_EMBEDDING = "static-zh"
DEFAULT_MIN_TOPIC_SIZE = 10
DEFAULT_SAMPLE_SIZE = 100_000
PROJECTION_DIMS = 50
MIN_TOPIC_WORDS = 5  # with fewer distinct topic words in a corpus, topics cannot differ


@dataclass(frozen=True)
class TopicSettings:
    """Everything that decides the topics (stored with the model and in the metrics)."""

    embedding: str = DEFAULT_EMBEDDING
    nr_topics: int | str = "auto"
    min_topic_size: int = DEFAULT_MIN_TOPIC_SIZE
    seed: int = 42
    guided: bool = False
    sample_size: int = DEFAULT_SAMPLE_SIZE
    period: str | None = None
    projection_dims: int = PROJECTION_DIMS
    keep_duplicates: bool = False  # near-duplicates and spam in the fit, words and examples

    def check(self) -> TopicSettings:
        if not (self.nr_topics == "auto" or (isinstance(self.nr_topics, int) and self.nr_topics >= 2)):
            raise InputError(f"--nr-topics must be 'auto' or a whole number ≥ 2; got {self.nr_topics!r}")
        if self.min_topic_size < 1:
            raise InputError(f"--min-topic-size must be ≥ 1; got {self.min_topic_size}")
        if self.sample_size < 100:
            raise InputError(f"--sample must be ≥ 100 documents; got {self.sample_size}")
        if self.period is not None and self.period not in T.PERIODS:
            raise InputError(f"--period must be one of {list(T.PERIODS)}; got {self.period!r}")
        return self


class TooFewDocumentsError(InputError):
    """The corpus has too few distinct documents, or words, to find topics in."""


def require_enough(n_distinct: int, settings: TopicSettings, *, where: str = "") -> None:
    """Raise :class:`TooFewDocumentsError` below ``max(2 * min_topic_size, 20)`` distinct
    documents with words (``where``: the workspace, for the message)."""
    needed = max(2 * settings.min_topic_size, 20)
    if n_distinct < needed:
        raise TooFewDocumentsError(f"{where}only {n_distinct} distinct documents with words; "
                                   f"topics need at least {needed}")


def require_words(terms: list[list[str]], *, where: str = "") -> None:
    """Raise :class:`TooFewDocumentsError` when the fit documents share too few topic words."""
    n_words = len({term for doc in terms for term in doc})
    if n_words < MIN_TOPIC_WORDS:
        raise TooFewDocumentsError(f"{where}the documents share only {n_words} distinct topic words; "
                                   f"topics need at least {MIN_TOPIC_WORDS}")
