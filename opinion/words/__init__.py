"""Words and networks: new words, keywords by group, co-occurrence networks, word clouds.

Each command has one frozen settings dataclass whose defaults are written once:

>>> from opinion.words import NewWordSettings, find_new_words, accept_words  # doctest: +SKIP
>>> find_new_words("runs/weibo", settings=NewWordSettings(top=50))  # doctest: +SKIP
>>> accept_words("runs/weibo", ["火神山", "雷神山"])  # then `opinion prepare`  # doctest: +SKIP
>>> keywords("runs/weibo", by="period", settings=KeywordSettings(period="week"))  # doctest: +SKIP
>>> write_network(cooccurrence_network("runs/weibo", theme="信任"), "out")  # doctest: +SKIP

Names are imported on first use, so ``import opinion.words`` stays light.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "NewWordSettings": "newwords", "find_new_words": "newwords",
    "accept_words": "opinion.io.userdict", "read_word_file": "opinion.io.userdict",
    "KeywordSettings": "keywords", "keywords": "keywords", "keyword_grid": "keywords",
    "log_likelihood": "keywords",
    "NetworkSettings": "network", "cooccurrence_network": "network", "write_network": "network",
    "CloudSettings": "cloud", "word_cloud": "cloud", "png_bytes": "cloud", "group_frequencies": "cloud",
    "DocFilter": "groups",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'opinion.words' has no attribute {name!r}")
    module = _EXPORTS[name]  # a module of this package, or a full name
    return getattr(importlib.import_module(module if "." in module else f"opinion.words.{module}"), name)
