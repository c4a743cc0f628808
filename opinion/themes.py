"""Themes: named, weighted lexicons matched on a document's tokens.

A theme file is TOML, one table per theme (see ``opinion/resources/themes.toml``)::

    [信任]
    label = "trust"
    terms = { 信任 = 2, 诚信 = 2, 品控 = 1, 售後 = 1 }
    exclude = ["信任投票"]
    exclude_context = ["信任危机"]
    min_weight = 2
    min_terms = 1

Terms may be Simplified or Traditional, in full or half width; they are normalised as
documents are (``ＭＣＮ`` → ``MCN``, ``衞生署`` → ``卫生署``: :func:`normalized_words`) and
matched on the tokens of ``text_norm``, so not inside a ``#话题#`` hashtag, which is one token
(measured 2026-12-07: counting hashtag words gained 186 documents of the 620k Weibo posts, 32
of them on the theme); Latin letters match in any case (a term ``MCN`` finds mcn and Mcn too). A document's hits for a theme are the summed
weights of its matching tokens, or 0 when the evidence is too weak:

- it contains an ``exclude`` token (a sense of the word that belongs elsewhere);
- the distinct terms found weigh less than ``min_weight`` in all (default 1; each term
  counts once, so 放心 said three times is still weight 1), or fewer than ``min_terms``
  distinct terms are found (default 1);
- a term token that lies inside an ``exclude_context`` phrase of the text does not count
  (``exclude_context = ["节目主播"]`` keeps 主播 of "节目主播康辉" out of 直播电商); a phrase
  that holds no token of the term (信用风险 cut as one token) cancels nothing.

Example:
    >>> themes = load_themes()
    >>> count_themes(["主播", "诚信", "国货"], themes)["信任"]
    2
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from opinion.errors import InputError

BUILTIN_THEMES = "themes.toml"
MAX_WEIGHT = 1000  # a term's weight; hits are int32, and 1, 2, 3 are the weights in use
_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_LATIN = re.compile(r"[A-Za-z]")


def fold_latin(word: str) -> str:
    """``word`` with its Latin letters in lower case, nothing else changed (same length), so
    that a term matches in any case: ``fold_latin("MCN机构") == "mcn机构"``."""
    return word.translate(_LOWER)


def has_latin(word: str) -> bool:
    """Whether ``word`` holds a Latin letter: ``has_latin("KOL") is True``."""
    return bool(_LATIN.search(word))


@dataclass(frozen=True)
class Theme:
    """A named lexicon: ``Theme("国货", {"国货": 2, "老字号": 1}, min_weight=2)``."""

    name: str
    terms: Mapping[str, int]
    exclude: frozenset[str] = frozenset()
    label: str = ""
    min_weight: int = 1
    min_terms: int = 1
    exclude_context: tuple[str, ...] = ()
    _key: tuple = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "terms", dict(self.terms))
        object.__setattr__(self, "exclude", frozenset(self.exclude))
        object.__setattr__(self, "exclude_context", tuple(self.exclude_context))
        key = (self.name, tuple(sorted(self.terms.items())), tuple(sorted(self.exclude)),
               self.min_weight, self.min_terms, tuple(sorted(self.exclude_context)))
        object.__setattr__(self, "_key", key)

    def signature(self) -> list:
        """Everything that decides the hits, as JSON-able lists (for fingerprints)."""
        parts = [list(part) if isinstance(part, tuple) else part for part in self._key]
        # Latin terms match in any case since 2026-12-07: workspaces with such terms recount
        return parts + ["latin-any-case"] if any(map(has_latin, (*self.terms, *self.exclude))) else parts

    def contexts(self) -> dict[str, list[str]]:
        """For each term, the ``exclude_context`` phrases that contain it (Latin letters in any case)."""
        found = {term: [p for p in self.exclude_context if fold_latin(term) in fold_latin(p)] for term in self.terms}
        return {term: phrases for term, phrases in found.items() if phrases}

    def __hash__(self) -> int:
        return hash(self._key)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Theme) and self._key == other._key

    @property
    def column(self) -> str:
        """Its column in the prepared table: ``theme_<name>``."""
        from opinion.schema import theme_column

        return theme_column(self.name)

    def hits(self, tokens: Iterable[str], text: str = "") -> int:
        """Summed weights of matching tokens; 0 when the evidence is too weak (see the module)."""
        return _counter((self,)).counts(tokens, text)[0]

    def matches(self, tokens: Iterable[str], text: str = "") -> bool:
        """Whether the document counts for the theme."""
        return self.hits(tokens, text) > 0

    def matched_terms(self, tokens: Iterable[str], text: str = "") -> dict[str, int]:
        """The terms found and how often, context exclusions applied: ``{"主播": 1}``."""
        written = _written_terms(self)
        folded = [fold_latin(t) for t in tokens]
        found = Counter(written[key] for key in folded if key in written)
        contexts = {fold_latin(t): [fold_latin(p) for p in ps] for t, ps in self.contexts().items() if found.get(t)}
        if contexts and text:
            for key, n in tokens_in_context(folded, fold_latin(text), contexts).items():
                found[written[key]] -= n
        return {t: n for t, n in found.items() if n > 0}


def tokens_in_context(tokens: Sequence[str], text: str, contexts: Mapping[str, Sequence[str]]) -> Counter[str]:
    """How many tokens of each term of ``contexts`` lie inside one of its phrases in ``text``.

    The tokens are found in ``text`` in order, each after the one before, so only an occurrence
    that is a token is cancelled: in "银行关注信用风险。消费者看重信用" (tokens 信用风险 … 信用) no
    信用 token lies in 信用风险, so ``tokens_in_context(tokens, text, {"信用": ["信用风险"]})`` is
    empty and the later 信用 counts. A token not found as written (a caller's own) is kept."""
    covered: Counter[str] = Counter()
    at = 0
    for token in tokens:
        start = text.find(token, at)
        if start < 0:
            continue
        if token in contexts and _inside_phrase(text, start, token, contexts[token]):
            covered[token] += 1
        at = start + len(token)
    return covered


def _inside_phrase(text: str, start: int, term: str, phrases: Sequence[str]) -> bool:
    """Whether ``term``, at ``start`` of ``text``, lies inside one of the ``phrases`` there."""
    for phrase in phrases:
        offset = phrase.find(term)
        while offset >= 0:
            if start >= offset and text.startswith(phrase, start - offset):
                return True
            offset = phrase.find(term, offset + 1)
    return False


@functools.lru_cache(maxsize=64)
def _written_terms(theme: Theme) -> dict[str, str]:
    """``{folded term: the term as written}`` of a theme (made once per theme)."""
    return {fold_latin(term): term for term in theme.terms}


# --- loading --------------------------------------------------------------------------
def resolve_theme_name(name: str, names: Sequence[str]) -> str | None:
    """The one of ``names`` that ``name`` means: itself, else the one with the same analysis
    form in either script, width or Latin case (:func:`theme_key`: ``resolve_theme_name("卫生署",
    ["衞生署"]) == "衞生署"``); None when none is."""
    if name in names:
        return name
    wanted = theme_key(name)
    return next((known for known in names if theme_key(known) == wanted), None)


def normalized_words(words: Sequence[str]) -> list[str]:
    """Theme terms (and names, ``exclude`` words, context phrases) in the form documents take
    in ``text_norm``: widths narrowed as :func:`opinion.text.clean.normalize_unicode` does,
    Traditional converted as user dictionaries are (:func:`opinion.text.dict_words.analysis_words`),
    then :func:`~opinion.text.clean.normalize_for_analysis`:
    ``normalized_words(["ＭＣＮ", "衞生署", "原著党", "國貨"]) == ["MCN", "卫生署", "原著党", "国货"]``."""
    from opinion.text.clean import normalize_for_analysis, normalize_unicode
    from opinion.text.dict_words import analysis_words

    narrow = [normalize_unicode(w.strip()).strip() for w in words]
    return [normalize_for_analysis(w) for w in analysis_words(narrow)]


def theme_key(name: str) -> str:
    """The form theme names are compared in: :func:`normalized_words`, Latin letters in
    lower case (DuckDB's columns ignore case): ``theme_key("國貨") == "国货"``,
    ``theme_key("KOL") == theme_key("kol")``."""
    return fold_latin(normalized_words([name])[0])


_KEYS = ("terms", "exclude", "exclude_context", "min_weight", "min_terms", "label")


def _whole_number(table: dict, key: str, where: str, *, most: int, what: str) -> int:
    value = table.get(key, 1)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1 or value > most:
        raise InputError(f"{where}: '{key}' must be a whole number >= 1 and at most {most} "
                         f"({what}: a larger one can never count); got {value!r}")
    return value


def _words(table: dict, key: str, where: str, example: str) -> list[str]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
        raise InputError(f"{where}: '{key}' must be a list of words such as {key} = {example}")
    return normalized_words([x for x in value if x.strip()])


def _parse_theme(name: str, table: Any, source: str) -> Theme:
    where = f"{source} theme [{name}]"
    if not name.strip():
        raise InputError(f'{where}: a theme needs a name, such as ["防疫"]')
    if not isinstance(table, dict):
        raise InputError(f"{where}: expected a table with 'terms'; got {type(table).__name__}")
    unknown = set(table) - set(_KEYS)
    if unknown:
        raise InputError(f"{where}: unknown keys {sorted(unknown)}; use only {', '.join(_KEYS)}")
    raw_terms = table.get("terms")
    if isinstance(raw_terms, list):  # a plain list means weight 1 for each
        raw_terms = {t: 1 for t in raw_terms}
    if not isinstance(raw_terms, dict) or not raw_terms:
        raise InputError(f"{where}: 'terms' must be a non-empty table or list such as "
                         'terms = { "信任" = 2, "诚信" = 1 } or terms = ["信任", "诚信"]')
    terms: dict[str, int] = {}
    for (term, weight), word in zip(raw_terms.items(), normalized_words([str(t) for t in raw_terms])):
        if isinstance(weight, bool) or not isinstance(weight, int) or not 1 <= weight <= MAX_WEIGHT:
            raise InputError(f"{where}: weight of {term!r} must be a whole number >= 1 and at most "
                             f"{MAX_WEIGHT}; got {weight!r}")
        if not word or any(c.isspace() for c in word):
            raise InputError(f"{where}: term {term!r} must be one word without spaces")
        terms[word] = max(weight, terms.get(word, 0))
    contexts = _words(table, "exclude_context", where, '["节目主播"]')
    useless = [p for p in contexts if not any(fold_latin(t) in fold_latin(p) for t in terms)]
    if useless:
        raise InputError(f"{where}: exclude_context phrase {useless[0]!r} contains no term of the "
                         "theme; a context phrase must contain the term it silences (节目主播 for 主播)")
    return Theme(name=name.strip(), terms=terms,
                 exclude=frozenset(_words(table, "exclude", where, '["信任投票"]')),
                 label=str(table.get("label", "")),
                 min_weight=_whole_number(table, "min_weight", where, most=sum(terms.values()),
                                          what="the weights of all its terms together"),
                 min_terms=_whole_number(table, "min_terms", where, most=len(terms),
                                         what="the number of terms"),
                 exclude_context=tuple(contexts))


_BARE_CHINESE_KEY = re.compile(  # [口罩], 口罩 = 2, terms = { 口罩 = 2 }
    r'(?:^[ \t]*\[?|[{,])[ \t]*[^\x00-\x7f"\'\[\]#{},=\s][^"\'\[\]#{},=\n]*?[ \t]*(?:\]|=)', re.MULTILINE)


_BARE_CHINESE_VALUE = re.compile(r'=[ \t]*[^\x00-\x7f"\'\[{\s][^\n#]*', re.MULTILINE)  # value = 口罩


def quote_hint(text: str) -> str:
    """A hint when TOML holds Chinese without quotes: a key (``[口罩]``, ``口罩 = 2``) or a
    value (``value = 口罩与防护``)."""
    def line(at: int) -> int:
        return text.count("\n", 0, at) + 1

    match = _BARE_CHINESE_KEY.search(text)
    if match:
        written = match.group().strip(" \t{,")
        name = written.strip("[]= \t")
        quoted = f'["{name}"]' if written.startswith("[") else f'"{name}" ='
        return (f"; Chinese names and terms must be quoted in TOML: line {line(match.start())} "
                f"{written!r} should read {quoted}")
    match = _BARE_CHINESE_VALUE.search(text)
    if match:
        value = match.group()[1:].strip()
        narrow = normalized_words([value])[0]
        if narrow.isascii() and narrow.isdigit():  # min_weight = ２: a full-width digit
            return (f"; numbers must be written in ASCII digits in TOML: line {line(match.start())} "
                    f"= {value} should read = {narrow}")
        return (f"; Chinese text must be quoted in TOML: line {line(match.start())} "
                f"= {value} should read = \"{value}\"")
    return ""


def parse_themes(text: str, *, source: str = "<themes>") -> list[Theme]:
    """Themes from TOML text (see the module docstring for the format)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{source}: not valid TOML ({exc}){quote_hint(text)}; see docs/text.md "
                         "for the format") from exc
    return [_parse_theme(name, table, source) for name, table in data.items()]


def term_pieces(word: str, *, bare_numbers: bool = True) -> list[str]:
    """The tokens the tokenizer's first cut makes of a (Simplified) term, before jieba:
    ``term_pieces("N95口罩") == ["N95", "口罩"]``, ``term_pieces("C++") == ["C"]``; a bare
    number is left out with ``bare_numbers=False``, as prepare's tokens (stopwords on) leave it:
    ``term_pieces("双11", bare_numbers=False) == ["双"]``. A term counts only when this is
    the term itself (Han runs stay whole: theme terms join the dictionary), since hits are
    matched on whole tokens."""
    from opinion.text.tokenize import first_cut

    items, runs = first_cut(word, bare_numbers=bare_numbers)
    han = iter(runs)
    return [next(han) if item is None else item for item in items]


def unmatchable_terms(themes: Iterable[Theme], source: str) -> list[str]:
    """One line for each term that can never be one of prepare's tokens (so never counts),
    with the fix: ``mine.toml theme [防疫]: term 'N95口罩' is cut into N95 / 口罩 and can never
    match; use 'N95' and '口罩'``. Bare numbers (``12315``, ``618``) are no tokens either
    (prepare drops them with its stopwords on, the default), so they are never suggested."""
    lines = []
    for theme in themes:
        for term in theme.terms:
            kept = term_pieces(term, bare_numbers=False)
            if kept == [term]:
                continue
            pieces = term_pieces(term)
            if pieces == [term]:
                cut, fix = "is a bare number, which the tokenizer drops,", f"remove it (`opinion kwic {term}` finds it)"
            elif not kept:
                cut, fix = "has no token (the tokenizer drops punctuation, symbols and bare numbers)", "remove it"
            else:
                cut = f"is cut into {' / '.join(pieces)}"
                fix = "use " + " and ".join(repr(p) for p in dict.fromkeys(kept))
                dropped = [p for p in pieces if p not in kept]
                fix += f" (bare numbers such as {dropped[0]!r} are dropped)" if dropped else ""
            lines.append(f"{source} theme [{theme.name}]: term {term!r} {cut} and can never match; {fix}")
    return lines


def read_theme_file(path: str | Path) -> list[Theme]:
    """Themes from one TOML file; errors name the file and the theme. A term the tokenizer
    cuts into several tokens (``N95口罩``, ``双11``, ``C++``) is kept but warned about, one
    :class:`~opinion.errors.OpinionWarning` line per term (by the main process only)."""
    import multiprocessing
    import warnings

    from opinion.errors import OpinionWarning
    from opinion.io.encoding import read_user_text

    path = Path(path)
    themes = parse_themes(read_user_text(path, "theme file"), source=str(path))
    if multiprocessing.parent_process() is None:  # workers load the same file: warn once
        for line in unmatchable_terms(themes, str(path)):
            warnings.warn(OpinionWarning(line), stacklevel=2)
    return themes


@functools.lru_cache(maxsize=1)
def builtin_themes() -> tuple[Theme, ...]:
    """The shipped themes: 信任 (trust), 国货, 非遗 and 直播电商."""
    text = (resources.files("opinion.resources") / BUILTIN_THEMES).read_text(encoding="utf-8")
    return tuple(parse_themes(text, source="opinion/resources/themes.toml"))


def load_themes(paths: Sequence[str | Path] = (), *, builtin: bool = True,
                notes: list[str] | None = None) -> list[Theme]:
    """Built-in themes plus those in ``paths``; a later theme replaces one of the same name,
    names compared by :func:`theme_key`: a user 國貨 replaces the built-in 国货, and kol a KOL
    before it (one column, not two that read alike). Each replacement is added to ``notes`` as a line (prepare prints them)."""
    by_name: dict[str, tuple[Theme, str | Path | None]] = {}  # theme_key(name): theme, its file
    if builtin:
        by_name = {theme_key(t.name): (t, None) for t in builtin_themes()}
    for path in paths:
        for theme in read_theme_file(path):
            key = theme_key(theme.name)
            if key in by_name and notes is not None:
                old, source = by_name[key]
                replaced = f"the built-in [{old.name}]" if source is None else f"[{old.name}] of {source}"
                notes.append(f"theme [{theme.name}] of {path} replaces {replaced}")
            by_name[key] = (theme, path)
    return [theme for theme, _ in by_name.values()]


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
        self._contexts: dict[tuple[int, str], list[str]] = {}
        # Latin terms match in any case (MCN, mcn, Mcn): tokens are folded only when a term has letters
        self._fold = any(has_latin(w) for t in self.themes for w in (*t.terms, *t.exclude))
        key = fold_latin if self._fold else str
        for i, theme in enumerate(self.themes):
            weights: dict[str, int] = {}  # APP and app in one theme are one term (its larger weight)
            for term, weight in theme.terms.items():
                weights[key(term)] = max(weight, weights.get(key(term), 0))
            for term, weight in weights.items():
                self._terms.setdefault(term, []).append((i, weight))
            for word in theme.exclude:
                self._exclude.setdefault(key(word), []).append(i)
            for term, phrases in theme.contexts().items():
                self._contexts[(i, key(term))] = [key(p) for p in phrases]
        self._plain = [t.min_weight <= min(t.terms.values()) and t.min_terms == 1 and not t.exclude_context
                       for t in self.themes]

    def counts(self, tokens: Iterable[str], text: str = "") -> list[int]:
        """Hits per theme, in the order of ``themes`` (``text``: for ``exclude_context``)."""
        words = tokens if isinstance(tokens, list) else list(tokens)
        hits = [0] * len(self.themes)
        excluded: set[int] = set()
        found: dict[str, int] = {}
        terms, exclude = self._terms, self._exclude
        for token in map(fold_latin, words) if self._fold else words:
            if token in terms:
                found[token] = found.get(token, 0) + 1
            if token in exclude:
                excluded.update(exclude[token])
        if not found:
            return hits
        weight = [0] * len(self.themes)
        distinct = [0] * len(self.themes)
        cancelled = self._cancelled(words, text, found)
        for token, n in found.items():
            for i, w in terms[token]:
                n_here = n - cancelled.get((i, token), 0)
                if n_here:
                    hits[i] += w * n_here
                    weight[i] += w
                    distinct[i] += 1
        for i, theme in enumerate(self.themes):
            if i in excluded or (not self._plain[i] and (weight[i] < theme.min_weight
                                                         or distinct[i] < theme.min_terms)):
                hits[i] = 0
        return hits

    def _cancelled(self, tokens: Sequence[str], text: str, found: Mapping[str, int]) -> dict[tuple[int, str], int]:
        """``{(theme index, term): its tokens inside the theme's exclude_context phrases}``."""
        wanted = [key for key in self._contexts if key[1] in found]
        if not wanted or not text:
            return {}
        if self._fold:
            tokens, text = [fold_latin(t) for t in tokens], fold_latin(text)
        return {(i, term): tokens_in_context(tokens, text, {term: self._contexts[(i, term)]})[term]
                for i, term in wanted}


@functools.lru_cache(maxsize=16)
def _counter(themes: tuple[Theme, ...]) -> ThemeCounter:
    return ThemeCounter(themes)


def count_themes(tokens: Iterable[str], themes: Sequence[Theme], text: str = "") -> dict[str, int]:
    """Hits per theme name: ``count_themes(["国货", "老字号"], themes)["国货"] == 3``."""
    counter = _counter(tuple(themes))
    return dict(zip((t.name for t in counter.themes), counter.counts(tokens, text)))


def mark_terms(text: str, terms: Iterable[str], *, width: int = 60, script: str | None = None) -> str:
    """The text around its first matched term, each hit once in 【】: ``"…节目【主播】康辉…"``.

    ``text`` is shown as given (``text_clean``, in any script); the Simplified ``terms`` are
    found in a Simplified copy that keeps its positions (:func:`aligned_simplified`, as KWIC
    does), so ``mark_terms("買國貨", ["国货"]) == "買【國貨】"``. Overlapping terms are marked
    once, the longest first: ``mark_terms("老国货", ["国货", "老国货"]) == "【老国货】"``.
    """
    from opinion.text.clean import narrow_width
    from opinion.text.conversion import find_spans
    from opinion.text.script import aligned_simplified

    text = text if isinstance(text, str) else ""
    key = fold_latin(narrow_width(aligned_simplified(text, script))) if text else ""
    if len(key) != len(text):  # pragma: no cover - both keep one character for one
        key = text
    words = sorted({fold_latin(t) for t in terms if t}, key=lambda w: (-len(w), w))
    taken = [False] * len(text)
    spans: list[tuple[int, int]] = []
    for word in words:
        for at, end in find_spans(re.escape(word), key):  # past the fillers of a tw2sp phrase (部落格 → 博客)
            if not any(taken[at:end]):
                taken[at:end] = [True] * (end - at)
                spans.append((at, end))
    spans.sort()
    first = spans[0][0] if spans else 0
    start = max(0, first - width // 2)
    stop = start + width
    pieces, pos = [], start
    for a, b in spans:
        if a < start or b > stop:
            continue
        pieces += [text[pos:a], "【", text[a:b], "】"]
        pos = b
    pieces.append(text[pos:stop])
    snippet = "".join(pieces).replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
    return ("…" if start else "") + snippet + ("…" if stop < len(text) else "")
