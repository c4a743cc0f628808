"""Themes: named, weighted lexicons matched on a document's tokens.

A theme file is TOML, one table per theme (see ``opinion/resources/themes.toml``)::

    [信任]
    label = "trust"
    terms = { 信任 = 2, 诚信 = 2, 品控 = 1, 售後 = 1 }
    exclude = ["信任投票"]

Terms may be Simplified or Traditional; they are converted to Simplified with OpenCC and
matched on the tokens of ``text_norm``. A document's hits for a theme are the summed
weights of its matching tokens, or 0 when it contains an excluded token.

Example:
    >>> themes = load_themes()
    >>> count_themes(["主播", "诚信", "国货"], themes)["信任"]
    2
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from opinion.errors import InputError

BUILTIN_THEMES = "themes.toml"
PERIODS = {"day": "D", "week": "W-SUN", "month": "M"}


@dataclass(frozen=True)
class Theme:
    """A named lexicon: ``Theme("国货", {"国货": 2, "老字号": 1}, exclude=frozenset())``."""

    name: str
    terms: Mapping[str, int]
    exclude: frozenset[str] = frozenset()
    label: str = ""
    _key: tuple = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "terms", dict(self.terms))
        object.__setattr__(self, "exclude", frozenset(self.exclude))
        key = (self.name, tuple(sorted(self.terms.items())), tuple(sorted(self.exclude)))
        object.__setattr__(self, "_key", key)

    def __hash__(self) -> int:
        return hash(self._key)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Theme) and self._key == other._key

    @property
    def column(self) -> str:
        """Its column in the prepared table: ``theme_<name>``."""
        from opinion.schema import theme_column

        return theme_column(self.name)

    def hits(self, tokens: Iterable[str]) -> int:
        """Summed weights of matching tokens; 0 if an excluded token occurs."""
        tokens = tokens if isinstance(tokens, (list, tuple)) else list(tokens)
        if self.exclude and not self.exclude.isdisjoint(tokens):
            return 0
        terms = self.terms
        return sum(terms.get(t, 0) for t in tokens)

    def matches(self, tokens: Iterable[str]) -> bool:
        """Whether the document has at least one hit."""
        return self.hits(tokens) > 0


# --- loading --------------------------------------------------------------------------
def _simplified(word: str) -> str:
    from opinion.text.script import to_analysis

    return to_analysis(word.strip())


def _parse_theme(name: str, table: Any, source: str) -> Theme:
    where = f"{source} theme [{name}]"
    if not isinstance(table, dict):
        raise InputError(f"{where}: expected a table with 'terms'; got {type(table).__name__}")
    unknown = set(table) - {"terms", "exclude", "label"}
    if unknown:
        raise InputError(f"{where}: unknown keys {sorted(unknown)}; "
                         "use only 'terms', 'exclude' and 'label'")
    raw_terms = table.get("terms")
    if isinstance(raw_terms, list):  # a plain list means weight 1 for each
        raw_terms = {t: 1 for t in raw_terms}
    if not isinstance(raw_terms, dict) or not raw_terms:
        raise InputError(f"{where}: 'terms' must be a non-empty table such as "
                         "terms = { 信任 = 2, 诚信 = 1 }")
    terms: dict[str, int] = {}
    for term, weight in raw_terms.items():
        if isinstance(weight, bool) or not isinstance(weight, int) or weight < 1:
            raise InputError(f"{where}: weight of {term!r} must be a whole number >= 1; "
                             f"got {weight!r}")
        word = _simplified(str(term))
        if not word or any(c.isspace() for c in word):
            raise InputError(f"{where}: term {term!r} must be one word without spaces")
        terms[word] = max(weight, terms.get(word, 0))
    exclude = table.get("exclude", [])
    if not isinstance(exclude, list) or not all(isinstance(x, str) for x in exclude):
        raise InputError(f"{where}: 'exclude' must be a list of words")
    return Theme(name=name.strip(), terms=terms,
                 exclude=frozenset(_simplified(x) for x in exclude if x.strip()),
                 label=str(table.get("label", "")))


def parse_themes(text: str, *, source: str = "<themes>") -> list[Theme]:
    """Themes from TOML text (see the module docstring for the format)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{source}: not valid TOML ({exc}); see docs/text.md for the format") from exc
    return [_parse_theme(name, table, source) for name, table in data.items()]


def read_theme_file(path: str | Path) -> list[Theme]:
    """Themes from one TOML file; errors name the file and the theme."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the theme file ({exc}); give a UTF-8 TOML file") from exc
    return parse_themes(text, source=str(path))


@functools.lru_cache(maxsize=1)
def builtin_themes() -> tuple[Theme, ...]:
    """The shipped themes: 信任 (trust), 国货, 非遗 and 直播电商."""
    text = (resources.files("opinion.resources") / BUILTIN_THEMES).read_text(encoding="utf-8")
    return tuple(parse_themes(text, source="opinion/resources/themes.toml"))


def load_themes(paths: Sequence[str | Path] = (), *, builtin: bool = True) -> list[Theme]:
    """Built-in themes plus those in ``paths``; a later theme replaces one of the same name."""
    by_name: dict[str, Theme] = {t.name: t for t in builtin_themes()} if builtin else {}
    for path in paths:
        for theme in read_theme_file(path):
            by_name[theme.name] = theme
    return list(by_name.values())


def theme_terms(themes: Iterable[Theme]) -> list[str]:
    """Every term and excluded word of ``themes`` (the tokenizer keeps them whole)."""
    words = {w for t in themes for w in (*t.terms, *t.exclude)}
    return sorted(words)


# --- counting -------------------------------------------------------------------------
class ThemeCounter:
    """Counts all themes in one pass over the tokens (used by ``prepare``)."""

    def __init__(self, themes: Sequence[Theme]) -> None:
        self.themes = tuple(themes)
        self._terms: dict[str, list[tuple[int, int]]] = {}
        self._exclude: dict[str, list[int]] = {}
        for i, theme in enumerate(self.themes):
            for term, weight in theme.terms.items():
                self._terms.setdefault(term, []).append((i, weight))
            for word in theme.exclude:
                self._exclude.setdefault(word, []).append(i)

    def counts(self, tokens: Iterable[str]) -> list[int]:
        """Hits per theme, in the order of ``themes``."""
        hits = [0] * len(self.themes)
        excluded: set[int] = set()
        terms, exclude = self._terms, self._exclude
        for token in tokens:
            found = terms.get(token)
            if found:
                for i, weight in found:
                    hits[i] += weight
            if token in exclude:
                excluded.update(exclude[token])
        for i in excluded:
            hits[i] = 0
        return hits


@functools.lru_cache(maxsize=16)
def _counter(themes: tuple[Theme, ...]) -> ThemeCounter:
    return ThemeCounter(themes)


def count_themes(tokens: Iterable[str], themes: Sequence[Theme]) -> dict[str, int]:
    """Hits per theme name: ``count_themes(["国货", "老字号"], themes)["国货"] == 3``."""
    counter = _counter(tuple(themes))
    return dict(zip((t.name for t in counter.themes), counter.counts(tokens)))


# --- prevalence -----------------------------------------------------------------------
def theme_prevalence(ws, *, period: str = "month") -> pd.DataFrame:
    """Share of documents with at least one hit, per theme and period.

    Columns: ``period`` (start date, or "all" when no document has a date), ``theme``,
    ``documents``, ``documents_with_theme``, ``share`` and ``hits``.
    """
    from opinion.io.workspace import Workspace
    from opinion.schema import DOC_ID, PREPARED, PUBLISHED_AT, THEME_PREFIX

    if period not in PERIODS:
        raise InputError(f"--period must be one of {list(PERIODS)}; got {period!r}")
    ws = ws if isinstance(ws, Workspace) else Workspace.open(ws)
    ws.require(PREPARED)
    prepared = ws.read(PREPARED)
    columns = [c for c in prepared.columns if c.startswith(THEME_PREFIX)]
    dates = ws.read("corpus", columns=[DOC_ID, PUBLISHED_AT])
    frame = prepared[[DOC_ID, *columns]].merge(dates, on=DOC_ID, how="left")
    stamps = pd.to_datetime(frame[PUBLISHED_AT], errors="coerce")
    if stamps.notna().any():
        labels = stamps.dt.to_period(PERIODS[period]).dt.start_time.dt.date.astype("string")
        frame["period"] = labels.fillna("undated")
    else:
        frame["period"] = "all"
    rows = []
    for label, group in frame.groupby("period", sort=True):
        for col in columns:
            rows.append({
                "period": label,
                "theme": col[len(THEME_PREFIX):],
                "documents": len(group),
                "documents_with_theme": int((group[col] > 0).sum()),
                "hits": int(group[col].sum()),
            })
    out = pd.DataFrame(rows, columns=["period", "theme", "documents", "documents_with_theme", "hits"])
    out["share"] = (out["documents_with_theme"] / out["documents"]).round(4)
    return out[["period", "theme", "documents", "documents_with_theme", "share", "hits"]]
