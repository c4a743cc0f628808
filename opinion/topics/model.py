"""Topics: the names older code imports from here, now at home in smaller modules.

- :class:`~opinion.topics.topic_model.TopicModel`: topics of texts in memory (``fit``,
  ``transform``, ``get_topic_info``, ``save``/``load``).
- :class:`~opinion.topics.settings.TopicSettings`: every option, with its default.
- :func:`~opinion.topics.stage.fit_topics`, :func:`~opinion.topics.stage.clear_topics`: the
  workspace stage (part by part, local processes or Dask).
- :func:`~opinion.topics.newdocs.assign_topics`: new texts into a workspace's fitted topics.

Example:
    >>> report = fit_topics(Workspace.open("runs/weibo"), seed=42)  # doctest: +SKIP
    >>> print("\\n".join(report.lines()))  # doctest: +SKIP
    topics: 24 topics on 620,187 documents (fit on a stratified sample of 100,000) ...
"""

from __future__ import annotations

from opinion.topics.newdocs import assign_topics, read_new_texts
from opinion.topics.settings import (
    DEFAULT_EMBEDDING,
    DEFAULT_MIN_TOPIC_SIZE,
    DEFAULT_SAMPLE_SIZE,
    MIN_TOPIC_WORDS,
    PROJECTION_DIMS,
    TooFewDocumentsError,
    TopicSettings,
)
from opinion.topics.stage import (
    METRICS,
    STAGE,
    TOPIC_TABLES,
    TopicReport,
    clear_topics,
    fit_topics,
    topic_settings,
)
from opinion.topics.topic_model import TopicModel

__all__ = ["DEFAULT_EMBEDDING", "DEFAULT_MIN_TOPIC_SIZE", "DEFAULT_SAMPLE_SIZE", "METRICS",
           "MIN_TOPIC_WORDS", "PROJECTION_DIMS", "STAGE", "TOPIC_TABLES", "TooFewDocumentsError",
           "TopicModel", "TopicReport", "TopicSettings", "assign_topics", "clear_topics",
           "fit_topics", "read_new_texts", "topic_settings"]
