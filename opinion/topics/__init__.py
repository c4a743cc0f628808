"""Topics: :class:`~opinion.topics.topic_model.TopicModel` in memory, the workspace stage in
:mod:`opinion.topics.stage`, new documents with :func:`opinion.topics.newdocs.assign_topics`.

The package itself is callable: ``opinion.topics("runs/demo", nr_topics=12)`` fits a workspace
(:func:`opinion.api.topics`).

Example (``TopicModel(nr_topics=8).fit(["武汉加油，口罩告急", ...])`` in memory):
    >>> import opinion.topics
    >>> callable(opinion.topics)
    True
"""

from opinion.frontdoor import make_callable

make_callable(__name__, "topics")
