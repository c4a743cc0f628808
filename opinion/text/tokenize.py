"""Tokens: jieba segmentation with a domain dictionary, stopwords and Weibo-aware units.

Input is cleaned text in the analysis script (Simplified, ``text_norm``). A regular
expression first cuts the text into spans: ``#话题#`` hashtags, ``[哈哈]`` emoticons,
Latin words (``KOL``, ``CNNIC``, ``2019-nCoV``) and numbers with units (``6.38亿``,
``830例``, ``63.1%``) become single tokens; runs of Han characters go to the segmenter.
Punctuation and spaces are dropped, and so are stopwords and bare numbers when
``stopwords`` is on.

Two engines give identical tokens: ``jieba`` (the reference) and ``rjieba`` (the
jieba-rs binding, about 20x faster). ``engine="auto"`` uses rjieba when it is installed.
Both get the same dictionary entries with explicit frequencies, so user dictionaries
behave the same in both (entries without a frequency are resolved once with jieba's
own rule). Each engine's dictionary is loaded once per process.

Example:
    >>> Tokenizer().tokenize("#直播带货#主播带货国货，销售额6.38亿[赞]")  # doctest: +SKIP
    ['#直播带货#', '主播', '带货', '国货', '销售额', '6.38亿', '[赞]']
"""

from __future__ import annotations

import functools
import itertools
import logging
import re
from collections.abc import Iterable, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from opinion.errors import InputError
from opinion.text.dict_words import analysis_words  # noqa: F401  (re-exported)
from opinion.text.dictionary import (  # noqa: F401  (re-exported: the dictionary files' API lived here)
    HAN_WORD,
    MAX_FREQ,
    DictEntry,
    never_a_token,
    parse_dictionary,
    read_dictionary,
    read_dictionary_text,
)
from opinion.text.negation import negation_joins, negation_settings

ENGINES = ("auto", "jieba", "rjieba")
EXTRA_WORD_FREQ = 20000  # frequency given to extra words (theme terms) the dictionary lacks
_RESOURCES = resources.files("opinion.resources")

# Spans: placeholders left by cleaning, hashtags, emoticons, Latin/number words, Han runs.
# Han runs use jieba's own Han range (U+4E00..U+9FD5); other ideographs are single tokens,
# those of the supplementary planes too (U+20000..U+3134F: Cantonese 𠵱, 𨋢; dropped until 2026-12-07).
# Han runs are cut in pieces of at most this many characters: jieba's HMM (for runs with a
# repeated substring, see Tokenizer._han_words) takes time quadratic in a run's length (a post of
# 40,000 的 took 4 s, 80,000 four times that); no run of the 620k Weibo posts reaches 1,000.
MAX_HAN_RUN = 1_000
HASHTAG = re.compile(r"#[^#\s]{1,40}#")  # a Weibo #话题#: one token, never cut by jieba
# Latin letters with their accented forms (Latin-1, Extended-A and B: café, naïve, São Paulo);
# a word may end in ++ (C++), and one letter in # (C#, F#) unless that # opens a #话题#. Until 2026-12-07
# (prepare version 20) café was the token caf and C++/C#/F# were C, C and F.
LATIN = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"
# A number may have thousands separators (1,234例, 2,530万美元: not 1,2,3 or 2020,3) and a minus
# after anything but a letter, digit or joiner (同比-6.8%; COVID-19 and 2019-nCoV stay whole; a
# minus right after a number and its unit is a range: 5亿元-16.5亿, see first_cut). Until
# 2026-12-08 (prepare version 24) 1,234例 was the token 234例 and -6.8% was 6.8%.
_THOUSANDS = r"(?<![0-9.,])[0-9]{1,3}(?:,[0-9]{3})+(?![0-9]|,[0-9])(?:\.[0-9]+)?"
_MINUS = rf"(?:(?<![{LATIN}0-9_.&+'%‰-])-(?=[0-9]))?"
_RANGE_BEFORE = re.compile(r"[0-9](?:[^\W\d]|[%‰℃°]){0,3}$")  # 8日-11日, 5%-10%, 20时-21时


def _dash_after_word(text: str, start: int, word: str, end: int) -> bool:
    """A dash right after a Han character before a whole count is a headline's separator, not a
    sign (预告-18日, 西甲-10人); after a Han character a sign stands before a rate or a measure
    (同比-6.8%, 气温-5℃)."""
    after_han = start > 0 and "\u4e00" <= text[start - 1] <= "\u9fff"
    return after_han and "." not in word and text[end:end + 1] not in ("%", "‰", "℃", "°")
# 〇 (U+3007, the numeral zero of 二〇二〇年) is in Han runs and cut as 零; a year in Chinese
# numerals is one token like 2020年 (二〇一九年 was the token 九年 until 2026-12-08).
_ZERO = str.maketrans("〇", "零")
# a year 一五xx–一九xx or 二〇xx/二零xx (not 四五六七年, nor 一二三四年级: grades one to four)
_CN_YEAR = re.compile(r"(?<![〇零一二三四五六七八九十百千万])(?:一[五六七八九]|二[〇零])[〇零一二三四五六七八九]{2}年")
_SPAN = re.compile(
    r"(?P<placeholder><(?:URL|EMAIL|PHONE|USER)>)"
    rf"|(?P<hashtag>{HASHTAG.pattern})"
    r"|(?P<emoticon>\[[\u4e00-\u9fffA-Za-z]{1,8}\])"
    rf"|(?P<alnum>[A-Za-z]#(?![{LATIN}0-9])(?![^#\s]{{0,40}}#)|{_MINUS}(?:{_THOUSANDS}"
    rf"|[{LATIN}0-9]+(?:[-_.&+'][{LATIN}0-9]+)*(?:\+\+)?))"
    r"|(?P<han>[\u4e00-\u9fd5\u3007]+)"
    r"|(?P<rare>[\u3400-\u4dbf\u9fd6-\u9fff\uf900-\ufaff\U00020000-\U0003134f])"
)
_HAS_LETTER = re.compile(f"[{LATIN}]")
# A doubled substring (哈哈, 买买买, 来越来越): where equally likely cuts can tie.
_DOUBLED = re.compile(r"(.{1,4})\1")
# A unit after a number joins it: 6.38亿, 830例, 4111.2万次, 500多家, 4万多例, 2021年, 63.1%.
_UNIT = re.compile(
    r"[%‰]|(?:多|余)?(?:(?:万亿|亿|万|千|百)(?:多|余)?)?"
    r"(?:人次|万元|亿元|美元|港元|欧元|公里|千米|厘米|毫米|公斤|千克|毫升|小时|分钟|平方米"
    r"|元|块|年|月|日|号|岁|天|周|个|位|名|人|例|次|家|米|克|斤|吨|升|度|倍|层|户|件|张"
    r"|条|台|辆|部|架|款|项|座|间|场|届|期|股|枚|剂|床|所)"
    r"|(?:多|余)?(?:万亿|亿|万|千|百)(?:多|余)?"
)


@functools.lru_cache(maxsize=1)
def domain_entries() -> tuple[DictEntry, ...]:
    """The shipped domain dictionary (e-commerce, live-streaming, public opinion, heritage)."""
    text = (_RESOURCES / "dict" / "domain.txt").read_text(encoding="utf-8")
    return tuple(parse_dictionary(text, source="opinion/resources/dict/domain.txt"))


@functools.lru_cache(maxsize=1)
def shipped_stopwords() -> frozenset[str]:
    """Stopwords ISO's Chinese list in Simplified and Traditional forms (MIT licence)."""
    words: set[str] = set()
    for name in ("zh_hans.txt", "zh_hant.txt"):
        text = (_RESOURCES / "stopwords" / name).read_text(encoding="utf-8")
        words.update(w.strip() for w in text.splitlines() if w.strip())
    return frozenset(words)


# --- engines --------------------------------------------------------------------------
class _JiebaEngine:
    """jieba (the reference): a private ``jieba.Tokenizer`` so the global one is untouched."""

    name = "jieba"

    def __init__(self) -> None:
        import jieba

        jieba.setLogLevel(logging.WARNING)
        self._tk = jieba.Tokenizer()
        self._tk.initialize()
        self._pos: Any = None  # jieba.posseg.POSTokenizer, made on first use

    def has_word(self, word: str) -> bool:
        return self._tk.FREQ.get(word, 0) > 0

    def add_word(self, word: str, freq: int | None, tag: str | None) -> int:
        self._tk.add_word(word, freq, tag)
        return self._tk.FREQ[word]

    def cut(self, text: str) -> list[str]:
        return self._tk.lcut(text)

    def tag(self, text: str) -> list[tuple[str, str]]:
        if self._pos is None:
            from jieba import posseg

            self._pos = posseg.POSTokenizer(self._tk)
        return [(p.word, p.flag) for p in self._pos.lcut(text)]


class _RjiebaEngine:
    """jieba-rs through ``rjieba``: the same algorithm and dictionary, compiled."""

    name = "rjieba"

    def __init__(self) -> None:
        try:
            import rjieba
        except ImportError as exc:  # pragma: no cover - rjieba is a default dependency
            raise InputError("engine 'rjieba' needs the rjieba package: pip install rjieba; "
                             "or use the jieba engine ([prepare] engine = \"jieba\"; "
                             "tokenizer='jieba' in opinion.prepare)") from exc
        self._jb = rjieba.Jieba()
        self.cut = functools.partial(self._jb.cut, hmm=True)

    def has_word(self, word: str) -> bool:
        return self._jb.has_word(word)

    def add_word(self, word: str, freq: int | None, tag: str | None) -> int:
        if freq is None:  # pragma: no cover - entries are resolved before they get here
            raise ValueError("rjieba entries need an explicit frequency")
        return self._jb.add_word(word, freq, tag)

    def tag(self, text: str) -> list[tuple[str, str]]:
        return self._jb.tag(text, hmm=True)


def resolve_engine(engine: str) -> str:
    """``"auto"`` → ``"rjieba"`` when importable, else ``"jieba"``."""
    if engine not in ENGINES:
        raise InputError(f"engine must be one of {list(ENGINES)}; got {engine!r}")
    if engine != "auto":
        return engine
    try:
        import rjieba  # noqa: F401
    except ImportError:
        return "jieba"
    return "rjieba"


@functools.lru_cache(maxsize=8)
def _resolved_entries(entries: tuple[DictEntry, ...]) -> tuple[DictEntry, ...]:
    """Entries with every missing frequency filled in by jieba's own rule, in order."""
    if all(e.freq is not None for e in entries):
        return entries
    engine = _JiebaEngine()
    return tuple(DictEntry(e.word, engine.add_word(e.word, e.freq, e.tag), e.tag) for e in entries)


@functools.lru_cache(maxsize=8)
def _engine(name: str, entries: tuple[DictEntry, ...], extra_words: tuple[str, ...]):
    """A loaded engine with ``entries`` and ``extra_words`` added (cached per process)."""
    engine = _RjiebaEngine() if name == "rjieba" else _JiebaEngine()
    for e in _resolved_entries(entries):
        engine.add_word(e.word, e.freq, e.tag)
    for word in extra_words:
        if not engine.has_word(word):
            engine.add_word(word, EXTRA_WORD_FREQ, "nz")
    return engine


# --- the tokenizer ----------------------------------------------------------------------
class Tokenizer:
    """Segment Simplified text into tokens.

    Args:
        user_dicts: jieba-format dictionary files added after the shipped domain dictionary.
        stopwords: ``True`` for the shipped lists, ``False`` for none, or a file of words.
        pos: keep only Han words whose jieba POS tag starts with one of these
            (``("n", "v", "a")`` for topics); hashtags, emoticons, Latin words and
            numbers are always kept. ``None`` keeps all.
        extra_words: words that must stay whole and are never stopwords (theme terms).
        engine: ``"auto"``, ``"jieba"`` or ``"rjieba"``; all give the same tokens.
            With ``pos`` the engine is jieba (``jieba.posseg``), whose tagger rjieba's differs from.

    Example: ``Tokenizer().tokenize("三农主播助力非遗") == ["三农", "主播", "助力", "非遗"]``.
    """

    def __init__(self, *, user_dicts: Sequence[str | Path] = (), stopwords: bool | str | Path = True,
                 pos: Sequence[str] | None = None, extra_words: Iterable[str] = (),
                 engine: str = "auto") -> None:
        self.user_dicts = tuple(str(p) for p in user_dicts)
        self.stopwords = stopwords
        self.pos = tuple(pos) if pos else None
        self.extra_words = tuple(sorted(set(extra_words)))
        self.engine = resolve_engine(engine)
        if self.pos and self.engine == "rjieba":
            # rjieba's tagger segments differently from jieba.posseg: keep the reference.
            if engine == "rjieba":
                raise InputError("POS filtering needs engine 'jieba' (rjieba's tagger gives "
                                 "other words than jieba.posseg); use engine='auto' or 'jieba'")
            self.engine = "jieba"
        self._entries = domain_entries() + tuple(
            e for path in self.user_dicts for e in read_dictionary(path)
        )
        self._stop = self._load_stopwords(stopwords) - set(self.extra_words)
        self._unjoined = self._stop | frozenset(self.extra_words)  # no negator joins these
        self._segmenter = None
        self._reference = None

    @staticmethod
    def _load_stopwords(stopwords: bool | str | Path) -> frozenset[str]:
        if stopwords is True:
            return shipped_stopwords()
        if stopwords is False or stopwords is None:
            return frozenset()
        path = Path(stopwords)
        try:
            lines = path.read_text(encoding="utf-8-sig").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"{path}: cannot read the stopword file ({exc}); "
                             "give a UTF-8 file with one word per line") from exc
        return frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#"))

    def settings(self) -> dict:
        """What determines the tokens (for fingerprints): dictionaries, stopwords, pos, words."""
        return {
            "entries": [[e.word, e.freq, e.tag] for e in self._entries],
            "stopwords": sorted(self._stop),
            "pos": list(self.pos) if self.pos else None,
            "extra_words": list(self.extra_words),
            "negations": negation_settings() if self._stop else None,
        }

    @property
    def segmenter(self):
        """The loaded engine (loads the dictionary on first use)."""
        if self._segmenter is None:
            self._segmenter = _engine(self.engine, self._entries, self.extra_words)
        return self._segmenter

    def _cut_runs(self, segmenter, runs: list[str]) -> list[list[str]]:
        """Words of each Han run, from one engine call on the runs joined by newlines; with
        stopwords on, a negator is joined to the word after it (before a POS filter, which keeps
        不满意 when 满意's tag passes: dropping 不 first turned 不满意 into 满意 until 2026-12-08).

        Both engines cut text into independent blocks at non-Han characters, so this
        equals cutting each run alone (a test checks it) at a fraction of the calls.
        〇 is cut as 零 (the engines treat 〇 as punctuation) and given back as written.
        """
        joined = "\n".join(runs)
        text = joined.translate(_ZERO) if "〇" in joined else joined
        if self.pos is None:
            words, tags = segmenter.cut(text), None
        else:
            tagged = segmenter.tag(text)
            words, tags = [w for w, _ in tagged], [t for _, t in tagged]
        if text is not joined:  # 〇 as written
            words = [joined[end - len(w):end] for w, end in zip(words, itertools.accumulate(map(len, words)))]
        groups: list[list[str]] = []
        start = 0
        for end in [*(i for i, w in enumerate(words) if w == "\n"), len(words)]:
            groups.append(self._run_words(words[start:end], None if tags is None else tags[start:end]))
            start = end + 1
        return groups

    def _run_words(self, words: list[str], tags: list[str] | None) -> list[str]:
        """One run's words with negations joined (when stopwords are on) and the POS filter applied."""
        joins = negation_joins(words, self._unjoined) if self._stop else ()
        for i in reversed(joins):
            words[i:i + 2] = [words[i] + words[i + 1]]
            if tags is not None:
                del tags[i]  # 不满意 has the tag of 满意
        if tags is None:
            return words
        keep = self.pos or ("",)
        return [w for w, tag in zip(words, tags) if tag.startswith(keep)]

    @property
    def reference_segmenter(self):
        """The jieba engine with the same dictionary (for runs rjieba may cut otherwise)."""
        if self._reference is None:
            self._reference = _engine("jieba", self._entries, self.extra_words)
        return self._reference

    def _han_words(self, runs: list[str]) -> list[list[str]]:
        """Words of each run; with rjieba, runs with a doubled substring go to jieba.

        jieba and jieba-rs break ties between equally likely cuts differently (哈哈哈哈哈 →
        哈哈/哈哈哈 vs 哈哈哈/哈哈); such ties need a repeated substring, so those runs are
        cut by the reference engine and every token stays identical to jieba's.
        """
        if self.engine != "rjieba":
            return self._cut_runs(self.segmenter, runs)
        tied = [i for i, run in enumerate(runs) if _DOUBLED.search(run)]
        if not tied:
            return self._cut_runs(self.segmenter, runs)
        groups: list[list[str]] = [[] for _ in runs]
        plain = [i for i in range(len(runs)) if i not in set(tied)]
        for indices, segmenter in ((plain, self.segmenter), (tied, self.reference_segmenter)):
            if indices:
                for i, words in zip(indices, self._cut_runs(segmenter, [runs[i] for i in indices])):
                    groups[i] = words
        return groups

    def tokenize(self, text_norm: str) -> list[str]:
        """Tokens of one Simplified text (stopwords and punctuation removed; when stopwords
        are, a negator joins the word after it: 不透明, :mod:`opinion.text.negation`)."""
        if not text_norm:
            return []
        stop = self._stop
        items, runs = first_cut(text_norm, bare_numbers=not stop)
        if not runs:
            return [w for w in items if w is not None and w not in stop]
        groups = iter(self._han_words(runs))
        out: list[str] = []
        for item in items:
            if item is None:
                words = next(groups)
                out.extend(w for w in words if w not in stop)
            elif item not in stop:
                out.append(item)
        return out

    def tokenize_many(self, texts: Iterable[str]) -> list[list[str]]:
        """:meth:`tokenize` for each text."""
        return [self.tokenize(t) for t in texts]


def first_cut(text_norm: str, *, bare_numbers: bool = True) -> tuple[list[str | None], list[str]]:
    """The tokenizer's first pass, before jieba: the special tokens in order (placeholders
    dropped; hashtags, emoticons, Latin words, a number with its unit: ``830例``, ``1,234例``,
    ``-6.8%``, ``二〇一九年``), a None slot for each Han run, and the Han runs (a long one in
    pieces of :data:`MAX_HAN_RUN`); a bare number (``2020``) is kept unless ``bare_numbers`` is False.

    ``first_cut("N95口罩830例")`` is ``(['N95', None, '830例'], ['口罩'])``.
    """
    items: list[str | None] = []
    runs: list[str] = []
    pos = 0
    search = _SPAN.search
    while True:
        m = search(text_norm, pos)
        if m is None:
            break
        kind = m.lastgroup
        pos = m.end()
        if kind == "han":
            run = m.group()
            if len(run) <= MAX_HAN_RUN and "年" not in run:
                runs.append(run)
                items.append(None)
            else:
                _add_han_run(run, items, runs)
        elif kind == "alnum":
            word = m.group()
            if word[0] == "-" and (_HAS_LETTER.search(word) or _RANGE_BEFORE.search(text_norm, max(0, m.start() - 4),
                                                                                      m.start())
                                   or _dash_after_word(text_norm, m.start(), word, pos)):
                word = word[1:]  # -5G, 8日-11日, 预告-18日: not a negative number
            if _HAS_LETTER.search(word):
                items.append(word)
                continue
            unit = _UNIT.match(text_norm, pos)
            if unit and unit.end() > pos:
                items.append(word + unit.group())
                pos = unit.end()
            elif bare_numbers:
                items.append(word)
        elif kind != "placeholder":
            items.append(m.group())
    return items, runs


def _add_han_run(run: str, items: list[str | None], runs: list[str]) -> None:
    """Add a Han run to ``runs`` (a None slot in ``items`` for each piece of :data:`MAX_HAN_RUN`),
    a year in Chinese numerals in it as a token of its own: 公司二〇二〇年三月 → 公司, 二〇二〇年, 三月."""
    start = 0
    years = _CN_YEAR.finditer(run) if "年" in run else ()
    for end, year in [*((y.start(), y.group()) for y in years), (len(run), "")]:
        for piece in range(start, end, MAX_HAN_RUN):  # one slot per piece of a long run
            runs.append(run[piece:min(piece + MAX_HAN_RUN, end)])
            items.append(None)
        if year:
            items.append(year)
        start = end + len(year)


@functools.lru_cache(maxsize=1)
def default_tokenizer() -> Tokenizer:
    """The shipped-settings tokenizer, created once per process."""
    return Tokenizer()


def tokenize(text_norm: str) -> list[str]:
    """Tokens of ``text_norm`` with the default tokenizer: ``tokenize("国货发光") == ["国货", "发光"]``."""
    return default_tokenizer().tokenize(text_norm)
