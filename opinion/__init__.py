"""opinion: text mining for Chinese public-opinion analysis.

The front door (each name is imported on first use, so ``import opinion`` stays light):

- ``opinion.load(paths, workspace, ...)``, ``opinion.prepare(ws)``, ``opinion.sentiment(ws)``,
  ``opinion.topics(ws)``, ``opinion.export(ws, out)``, ``opinion.run(paths, workspace)``: the
  stages, on a workspace folder or a :class:`Workspace` (:mod:`opinion.api`);
- ``opinion.Workspace``: a workspace's tables (``ws.read("prepared")``);
- ``opinion.TopicModel``: topics of texts in memory (``fit``, ``transform``, ``get_topic_info``);
- ``opinion.SentimentModel``: the sentiment/emotion classifier
  (``SentimentModel.default().predict_frame(texts)``).

``opinion.prepare``, ``opinion.sentiment`` and ``opinion.topics`` are also the module and
packages of those stages; calling them runs the stage (see :mod:`opinion.frontdoor`).

Example:
    >>> import opinion  # doctest: +SKIP
    >>> opinion.load("微博.csv", "runs/demo", date_col="发布时间")  # doctest: +SKIP
    >>> opinion.prepare("runs/demo"); opinion.sentiment("runs/demo")  # doctest: +SKIP
    >>> opinion.TopicModel(nr_topics=8).fit(texts).get_topic_info()  # doctest: +SKIP
"""

from __future__ import annotations

import importlib
from typing import Any

from opinion.version import __version__  # noqa: F401 - the front door shows it

# name -> (module, attribute); attribute None: the module itself (callable, see frontdoor.py)
_FRONT_DOOR: dict[str, tuple[str, str | None]] = {
    "load": ("opinion.api", "load"),
    "prepare": ("opinion.prepare", None),
    "sentiment": ("opinion.sentiment", None),
    "topics": ("opinion.topics", None),
    "export": ("opinion.api", "export"),
    "run": ("opinion.api", "run"),
    "Workspace": ("opinion.io.workspace", "Workspace"),
    "TopicModel": ("opinion.topics.topic_model", "TopicModel"),
    "SentimentModel": ("opinion.sentiment.model", "SentimentModel"),
}
# Words and networks, offered as ``opinion.find_new_words`` etc. and imported on first use.
_WORDS = ("find_new_words", "accept_words", "keywords", "cooccurrence_network", "write_network", "word_cloud")

__all__ = [*_FRONT_DOOR, *_WORDS, "__version__"]


def __getattr__(name: str) -> Any:
    if name in _FRONT_DOOR:
        module_name, attribute = _FRONT_DOOR[name]
        module = importlib.import_module(module_name)
        return module if attribute is None else getattr(module, attribute)
    if name in _WORDS:
        import opinion.words

        return getattr(opinion.words, name)
    raise AttributeError(f"module 'opinion' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
