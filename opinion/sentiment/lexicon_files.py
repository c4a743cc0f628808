"""The HowNet word lists shipped in ``opinion/resources/sentiment/lexicon`` and our additions,
read into the dictionaries the lexicon scorer and the model's lexicon features share.

Example:
    >>> polarity, degree, negators, adversatives = read_lexicon()  # doctest: +SKIP
    >>> polarity["满意"]  # doctest: +SKIP
    1.0
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from opinion.errors import InputError

LEXICON_FILES = {
    "positive": ["hownet_positive.txt"],
    "negative": ["hownet_negative.txt"],
    "degree": ["hownet_degree.txt"],
    "negators": ["hownet_negators.txt"],
}
ADDITIONS = "opinion_additions.txt"
SECTIONS = ("positive", "negative", "degree", "negators", "adversatives", "ignore")


def _resource_dir() -> Path:
    return Path(str(resources.files("opinion.resources"))) / "sentiment" / "lexicon"


def _read_lines(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def _read_sections(path: Path) -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {name: [] for name in SECTIONS}
    current: str | None = None
    for line in _read_lines(path):
        if line.startswith("[") and line[1:-1] in SECTIONS:
            current = line[1:-1]
        elif current is None:
            raise InputError(f"{path}: line '{line}' comes before any [section] header")
        else:
            sections[current].append(line)
    return sections


def read_lexicon(folder: str | Path | None = None
                 ) -> tuple[dict[str, float], dict[str, float], frozenset[str], frozenset[str]]:
    """Polarity (+1/-1 per word), degree weights, negators and adversatives of the lexicon
    files in ``folder`` (default: the shipped resource)."""
    root = Path(folder) if folder else _resource_dir()
    lists = {key: [w for name in names for w in _read_lines(root / name)]
             for key, names in LEXICON_FILES.items()}
    extra = _read_sections(root / ADDITIONS)
    # HowNet's one-character entries are too ambiguous (上, 是, 会 ...): the additions
    # file lists the ones kept.
    polarity = {w: 1.0 for w in lists["positive"] if len(w) > 1}
    polarity.update({w: -1.0 for w in lists["negative"] if len(w) > 1})
    polarity.update({w: 1.0 for w in extra["positive"]})
    polarity.update({w: -1.0 for w in extra["negative"]})
    degree: dict[str, float] = {}
    for line in lists["degree"] + extra["degree"]:
        word, _, weight = line.partition("\t")
        degree[word] = float(weight)
    negators = frozenset(lists["negators"] + extra["negators"])
    for word in negators | degree.keys() | set(extra["ignore"]):  # not sentiment words
        polarity.pop(word, None)
    return polarity, degree, negators, frozenset(extra["adversatives"])
