"""New-word discovery: strings the corpus uses as words that the dictionary splits.

A candidate is a run of 2–``max_len`` Han characters of ``text_norm`` (Simplified, so both
scripts count together) that

1. **is frequent**: occurs at least ``min_count`` times in at least ``min_docs`` documents (see
   below for what is not counted), so one post repeating a phrase does not coin a word;
2. **holds together**: for every way of cutting it in two, ``a|b``,

   - *cohesion*: the pointwise mutual information ``log2(p(ab) / (p(a)·p(b)))`` is at least
     ``min_pmi`` bits (p is the count over the number of Han characters in the corpus);
   - *dependence*: ``count(ab) / min(count(a), count(b))`` is at least ``min_dependence``:
     the rarer half occurs mostly inside the word. This drops a new word glued to a common
     one (感染新冠肺炎 = 感染 + 新冠肺炎, dependence 0.15) while 钻石公主号 keeps 0.90;

3. **is free at both ends** (*boundary freedom*): the entropy (bits) of the characters seen
   just before it and just after it is at least ``min_entropy`` each. Non-Han characters
   count like any other neighbour, with all digits one symbol and all Latin letters another,
   so ``2例新冠肺炎`` gives ``例新冠肺炎`` a single left neighbour;
4. **is new against the background**: it is not in the tokenizer's dictionary (jieba's own
   349,046-word frequency list with the shipped domain dictionary and the workspace's user
   dictionary), the tokenizer cuts it into several tokens, none of them a stopword (which drops
   的时候, 都是, 辛苦了, and phrases such as 康复的患者, 人员和车辆), and it is not a piece of
   other words: a one-character first or last token that makes a dictionary word with the
   character next to it in most occurrences drops 做好防 (防护, 防控) and 件事 (一件).

Counting skips exact and near-duplicate posts and spam (as keywords and topics do) and the
inside of ``#话题#`` hashtags, which the tokenizer keeps whole: the count shown is what
accepting the word re-cuts (钻石公主号 had 151, 133 of them inside hashtags, and accepting it
changed the tokens of 16 of 4,000 posts).

They are ranked by ``score = √count · cohesion · min(left, right entropy)`` (frequency damped
by the square root, so strong but rarer names are not buried under the most frequent
phrases). The thresholds were chosen on 10 of the 57 Weibo days (docs/words.md). Counting is
streamed part by part in bounded memory (:mod:`opinion.words.ngrams`).

Example:
    >>> table = find_new_words("runs/weibo", settings=NewWordSettings(top=20))  # doctest: +SKIP
    >>> table[["word", "count", "jieba_cut"]].head(2)  # doctest: +SKIP
         word  count  jieba_cut
    0  新冠肺炎  24215  新冠 / 肺炎
    1    戴口罩   4326    戴 / 口罩
"""

from __future__ import annotations

import math
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from opinion import schema as S
from opinion.errors import InputError
from opinion.io.workspace import Workspace
from opinion.text.tokenize import HASHTAG
from opinion.words.ngrams import (
    EncodedPart,
    Level,
    count_levels,
    encode_texts,
    ngram_hashes,
    power,
    prefix_chain,
    texts_of,
)

NEWWORDS_TABLE = "newwords"  # WS/newwords.parquet: the last list found (the explorer shows it)
COLUMNS = ["rank", "word", "count", "docs", "cohesion", "dependence", "left_entropy", "right_entropy", "score", "jieba_cut",
           "example_1", "example_1_doc_id", "example_2", "example_2_doc_id"]


@dataclass(frozen=True)
class NewWordSettings:
    """Settings of ``opinion newwords`` (defaults written once; the CLI falls back to them).

    ``min_count`` occurrences in at least ``min_docs`` documents (two posts of one advertiser
    repeating 区块链 36 times are not a word the corpus coins), ``min_pmi`` bits of cohesion and
    ``min_dependence`` at the
    weakest cut, ``min_entropy`` bits of freedom on each side, lengths ``min_len``..``max_len``
    characters, ``top`` rows, ``include_duplicates`` to count duplicate, near-duplicate and spam posts too,
    ``context`` characters of example on each side.
    """

    min_len: int = 2
    max_len: int = 6
    min_count: int = 10
    min_docs: int = 3
    min_pmi: float = 3.0
    min_dependence: float = 0.2
    min_entropy: float = 1.0
    top: int = 100
    include_duplicates: bool = False
    context: int = 12

    def __post_init__(self) -> None:
        if not 2 <= self.min_len <= self.max_len <= 12:
            raise InputError(f"new words need 2 <= min_len <= max_len <= 12; got {self.min_len}..{self.max_len}")
        if self.min_count < 2 or self.top < 1:
            raise InputError(f"--min-count must be at least 2 and --top at least 1; got {self.min_count}, {self.top}")
        if self.min_docs < 1:
            raise InputError(f"--min-docs must be at least 1; got {self.min_docs}")


# --- reading the workspace --------------------------------------------------------------
def _part_texts(ws: Workspace, part: str, *, include_duplicates: bool) -> tuple[list[str], list[str]]:
    """doc_ids and text_norm of one prepared part, without duplicates (exact and near) and spam
    unless asked, as keywords and topics count (a copy-paste campaign reached --min-count)."""
    from opinion.flags import excluded_ids

    prepared = ws.read_part(S.PREPARED, part, columns=[S.DOC_ID, S.TEXT_NORM])
    if not include_duplicates:
        excluded = excluded_ids(ws, part)
        if excluded:
            prepared = prepared[~prepared[S.DOC_ID].isin(excluded)]
    return prepared[S.DOC_ID].astype(str).tolist(), prepared[S.TEXT_NORM].fillna("").tolist()


class _PartCache:
    """Encoded parts saved once as ``.npy`` files and memory-mapped on every later pass."""

    def __init__(self, ws: Workspace, *, include_duplicates: bool) -> None:
        self.ws, self.include_duplicates = ws, include_duplicates
        self.parts = ws.parts(S.PREPARED)
        self._dir = tempfile.TemporaryDirectory(prefix="opinion-newwords-")
        self.characters = 0

    def first_pass(self) -> Iterator[EncodedPart]:
        for i, part in enumerate(self.parts):
            ids, texts = _part_texts(self.ws, part, include_duplicates=self.include_duplicates)
            encoded = encode_texts(texts, ids, skip=HASHTAG)
            self.characters += int(encoded.han.sum())
            folder = Path(self._dir.name)
            np.save(folder / f"{i}.codes.npy", encoded.codes)
            np.save(folder / f"{i}.han.npy", encoded.han)
            np.save(folder / f"{i}.starts.npy", encoded.starts)
            yield encoded

    def again(self, *, with_ids: bool = False) -> Iterator[EncodedPart]:
        folder = Path(self._dir.name)
        for i, part in enumerate(self.parts):
            codes = np.load(folder / f"{i}.codes.npy", mmap_mode="r")
            han = np.load(folder / f"{i}.han.npy", mmap_mode="r")
            ids = (_part_texts(self.ws, part, include_duplicates=self.include_duplicates)[0]
                   if with_ids else [])
            yield EncodedPart(codes=codes, han=han, starts=np.load(folder / f"{i}.starts.npy"), doc_ids=ids)

    def close(self) -> None:
        self._dir.cleanup()


# --- scoring ----------------------------------------------------------------------------
@dataclass
class _Candidates:
    """Candidates of one length: their hashes (sorted), counts, cohesion and texts."""

    n: int
    keys: np.ndarray
    counts: np.ndarray
    cohesion: np.ndarray
    dependence: np.ndarray
    texts: list[str]

    def subset(self, keep: np.ndarray) -> _Candidates:
        return _Candidates(self.n, self.keys[keep], self.counts[keep], self.cohesion[keep],
                           self.dependence[keep], [t for t, k in zip(self.texts, keep) if k])


def _cohesive(levels: list[Level], n: int, total: int, min_pmi: float) -> _Candidates:
    """The n-grams of level ``n`` whose weakest cut has PMI ≥ ``min_pmi`` bits."""
    level = levels[n - 1]
    index = np.arange(len(level.keys))
    prefixes, chars = prefix_chain(levels, n, index)
    weakest = np.full(len(index), np.inf)
    dependence = np.ones(len(index))
    log_total = math.log2(total)
    for k in range(1, n):  # cut after k characters: a = first k, b = last n-k
        left = levels[k - 1].count_of(prefixes[:, k - 1])
        with np.errstate(over="ignore"):
            suffix = level.keys - prefixes[:, k - 1] * power(n - k)
        right = levels[n - k - 1].count_of(suffix)
        with np.errstate(divide="ignore"):
            pmi = np.log2(level.counts) + log_total - np.log2(np.maximum(left, 1)) - np.log2(np.maximum(right, 1))
        weakest = np.minimum(weakest, pmi)
        owned = level.counts / np.maximum(np.minimum(left, right), 1)
        dependence = np.minimum(dependence, owned)
    keep = weakest >= min_pmi
    return _Candidates(n, level.keys[keep], level.counts[keep], weakest[keep], dependence[keep],
                       texts_of(chars[keep]))


def _entropy(keys: np.ndarray, counts: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Entropy (bits) of each candidate's neighbours: ``keys`` are ``candidate << 21 | symbol``
    with their ``counts``; ``edges[c]`` neighbours (the start or end of the part) count once each."""
    candidate = (keys >> 21).astype(np.int64)
    totals = np.bincount(candidate, weights=counts, minlength=len(edges)) + edges
    safe = np.maximum(totals, 1)
    p = counts / safe[candidate]
    entropy = np.bincount(candidate, weights=-p * np.log2(p), minlength=len(edges)).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        entropy += np.where(edges > 0, edges / safe * np.log2(safe), 0.0)
    return entropy


def neighbour_symbols(codes: np.ndarray) -> np.ndarray:
    """Neighbour characters as symbols: every digit is ``0`` and every Latin letter ``a`` (so
    ``2例`` and ``15例`` give ``例…`` one left neighbour), other characters stand for themselves."""
    symbols = codes.astype(np.int64)
    symbols[(codes >= 0x30) & (codes <= 0x39)] = 0x30
    symbols[((codes >= 0x41) & (codes <= 0x5A)) | ((codes >= 0x61) & (codes <= 0x7A))] = 0x61
    return symbols


@dataclass
class _Side:
    """A group's neighbours on one side: ``keys`` (candidate << 21 | symbol) with ``counts``,
    ``edges`` (occurrences at a part's start or end) and the ``entropy`` of each candidate."""

    keys: np.ndarray
    counts: np.ndarray
    edges: np.ndarray
    entropy: np.ndarray


Sides = tuple[_Side, _Side]


def _neighbours(parts: Iterator[EncodedPart], groups: list[_Candidates], *, examples: int,
                context: int) -> tuple[list[Sides], list[list[list[tuple[str, str]]]], list[np.ndarray]]:
    """Left/right neighbours (and their entropy) of every candidate, up to ``examples``
    contexts each and the number of documents using it (one pass)."""
    pairs: list[dict[str, list[Any]]] = [{"left": [], "right": []} for _ in groups]
    edges = [{"left": np.zeros(len(g.keys), np.int64), "right": np.zeros(len(g.keys), np.int64)} for g in groups]
    found: list[list[list[tuple[str, str]]]] = [[[] for _ in g.keys] for g in groups]
    docs = [np.zeros(len(g.keys), np.int64) for g in groups]
    for part in parts:
        size = len(part.codes)
        for g, group in enumerate(groups):
            if not len(group.keys):
                continue
            hashes, valid = ngram_hashes(part, group.n)
            at = np.searchsorted(group.keys, hashes).clip(0, len(group.keys) - 1)
            where = np.flatnonzero(valid & (group.keys[at] == hashes))
            if not len(where):
                continue
            which = at[where]
            docs[g] += _documents_using(part, where, which, len(group.keys))
            for side, neighbour in (("left", where - 1), ("right", where + group.n)):
                inside = (neighbour >= 0) & (neighbour < size)
                edges[g][side] += np.bincount(which[~inside], minlength=len(group.keys))
                symbols = neighbour_symbols(part.codes[neighbour[inside]])
                keys = (which[inside].astype(np.int64) << 21) | symbols
                pairs[g][side].append(np.unique(keys, return_counts=True))
            shown = found[g]
            candidates, first = np.unique(which, return_index=True)
            for candidate, pos in zip(candidates.tolist(), where[first].tolist()):
                if len(shown[candidate]) < examples:
                    left, right = part.context(pos, pos + group.n, context)  # within its document
                    line = left + "【" + part.text(pos, pos + group.n) + "】" + right
                    shown[candidate].append((" ".join(line.split()), part.document_at(pos)))
    out: list[Sides] = []
    for g in range(len(groups)):
        sides = []
        for side in ("left", "right"):
            chunks = pairs[g][side]
            keys = np.concatenate([k for k, _ in chunks]) if chunks else np.zeros(0, np.int64)
            counts = np.concatenate([c for _, c in chunks]) if chunks else np.zeros(0, np.int64)
            unique, inverse = np.unique(keys, return_inverse=True)
            summed = np.bincount(inverse, weights=counts) if len(keys) else np.zeros(0)
            sides.append(_Side(unique, summed, edges[g][side], _entropy(unique, summed, edges[g][side])))
        out.append((sides[0], sides[1]))
    return out, found, docs


def _documents_using(part: EncodedPart, where: np.ndarray, which: np.ndarray, size: int) -> np.ndarray:
    """For each of ``size`` candidates, the documents of ``part`` holding it (``which[i]`` occurs
    at position ``where[i]``); a document lies within one part, so parts add up."""
    documents = max(len(part.starts), 1)
    document = np.searchsorted(part.starts, where, side="right") - 1
    pairs = np.unique(which.astype(np.int64) * documents + document)
    return np.bincount(pairs // documents, minlength=size)


GLUED_SHARE = 0.5  # an edge character that makes a word with its neighbour this often is cut from one


def _glued(side: _Side, edge_chars: list[str | None], has_word: Callable[[str], bool], *, left: bool) -> np.ndarray:
    """Candidates whose one-character edge token (``edge_chars[i]``; None when the edge token is
    longer) forms a dictionary word with its neighbour in more than :data:`GLUED_SHARE` of its
    occurrences: 做好防 (防护, 防控), 基层医 (医生, 医院), 件事 (一件) are pieces of other words."""
    glued = np.zeros(len(edge_chars), dtype=np.float64)
    totals = side.edges.astype(np.float64).copy()
    for key, count in zip(side.keys.tolist(), side.counts.tolist()):
        candidate, symbol = key >> 21, key & 0x1FFFFF
        totals[candidate] += count
        char = edge_chars[candidate]
        if char is not None and has_word(chr(symbol) + char if left else char + chr(symbol)):
            glued[candidate] += count
    return glued > GLUED_SHARE * np.maximum(totals, 1)


def _segmenter(ws: Workspace):
    """The tokenizer engine as ``prepare`` cut with: its dictionaries, the workspace's own, and
    the theme terms it keeps whole (without them 戴口罩 of a --themes file, already a token, was
    proposed as cut 戴 / 口罩 until 2026-12-08)."""
    from opinion.io.userdict import workspace_user_dicts
    from opinion.text.tokenize import Tokenizer
    from opinion.themes import load_themes, theme_terms
    from opinion.topics.fit import prepare_settings

    settings = prepare_settings(ws)
    paths = [str(Path(p).resolve()) for p in [*settings.user_dicts, *workspace_user_dicts(ws)]]
    for path in paths:  # as prepare does: a dictionary gone since is an error, not a silent change
        if not Path(path).is_file():
            raise InputError(f"{path}: the user dictionary `opinion prepare` used is gone; put it back, "
                             f"or prepare again with the dictionaries you mean (opinion prepare -w {ws.root} "
                             "--user-dict FILE)")
    terms = theme_terms(load_themes(settings.theme_files))
    return Tokenizer(user_dicts=list(dict.fromkeys(paths)), stopwords=False, extra_words=terms).segmenter


def find_new_words(ws: Workspace | str | Path, *, settings: NewWordSettings | None = None,
                   script: str = "zh-Hans", progress: Callable[[str], None] | None = None,
                   save: bool = True) -> pd.DataFrame:
    """Candidate new words of a prepared workspace, best first (columns :data:`COLUMNS`).

    Words, cuts and examples are rendered in ``script``; ``example_*`` show the word in
    【】 with ``context`` characters on each side. With ``save`` the list is also written,
    in Simplified, to ``WS/newwords.parquet`` (the explorer shows it). The parts' code points
    are kept in a temporary folder during the run (4 bytes a character: 245 MB for 620k posts).
    """
    from opinion.text.script import check_target, render_many
    from opinion.text.tokenize import shipped_stopwords

    check_target(script)
    settings = settings or NewWordSettings()
    ws = ws if isinstance(ws, Workspace) else Workspace.open(ws)
    ws.require(S.PREPARED)
    say = progress or (lambda message: None)
    cache = _PartCache(ws, include_duplicates=settings.include_duplicates)
    try:
        say("counting character n-grams outside #hashtags# (the tokenizer keeps a hashtag whole), "
            + ("duplicates and spam included" if settings.include_duplicates else
               "without duplicates and spam"))
        levels = count_levels(cache.first_pass(), max_len=settings.max_len, min_count=settings.min_count,
                              reread=cache.again)
        total = max(cache.characters, 1)
        lengths = [n for n in range(settings.min_len, settings.max_len + 1) if n <= len(levels)]
        groups = [_cohesive(levels, n, total, settings.min_pmi) for n in lengths]
        segmenter = _segmenter(ws)
        stop = shipped_stopwords()
        for i, group in enumerate(groups):  # new against the dictionary: unknown, and cut apart
            cuts = [segmenter.cut(t) for t in group.texts]
            keep = np.array([len(c) > 1 and not segmenter.has_word(t) and not any(w in stop for w in c)
                             for t, c in zip(group.texts, cuts)], dtype=bool)
            groups[i] = group.subset(keep)
        say("measuring boundary freedom")
        sides, examples, used_by = _neighbours(cache.again(with_ids=True), groups, examples=2,
                                               context=settings.context)
    finally:
        cache.close()
    rows = []
    for group, (left_side, right_side), shown, docs in zip(groups, sides, examples, used_by):
        cuts = [segmenter.cut(t) for t in group.texts]
        fragment = (_glued(left_side, [c[0] if len(c[0]) == 1 else None for c in cuts], segmenter.has_word, left=True)
                    | _glued(right_side, [c[-1] if len(c[-1]) == 1 else None for c in cuts], segmenter.has_word,
                             left=False))
        left, right = left_side.entropy, right_side.entropy
        for i, text in enumerate(group.texts):
            freedom = min(left[i], right[i])
            if (freedom < settings.min_entropy or group.dependence[i] < settings.min_dependence or fragment[i]
                    or docs[i] < settings.min_docs):
                continue
            cohesion = float(group.cohesion[i])
            row = {"word": text, "count": int(group.counts[i]), "docs": int(docs[i]), "cohesion": round(cohesion, 3),
                   "dependence": round(float(group.dependence[i]), 3),
                   "left_entropy": round(float(left[i]), 3), "right_entropy": round(float(right[i]), 3),
                   "score": round(math.sqrt(group.counts[i]) * cohesion * freedom, 2),
                   "jieba_cut": " / ".join(cuts[i])}
            for k, (line, doc_id) in enumerate(shown[i][:2], start=1):
                row[f"example_{k}"], row[f"example_{k}_doc_id"] = line, doc_id
            rows.append(row)
    table = pd.DataFrame(rows).reindex(columns=COLUMNS[1:])
    table = table.sort_values(["score", "word"], ascending=[False, True], ignore_index=True).head(settings.top)
    table.insert(0, "rank", range(1, len(table) + 1))
    if save:
        ws.write_table(NEWWORDS_TABLE, table.astype({c: "string" for c in COLUMNS if c.startswith("example")}))
    for column in ("word", "jieba_cut", "example_1", "example_2"):
        table[column] = render_many(table[column].fillna("").tolist(), script)
    return table
