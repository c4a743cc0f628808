"""Tokens of a prepared workspace, part by part, with the groups each document belongs to.

Keywords, co-occurrence networks and word clouds all read the stored ``tokens`` (no
re-tokenizing) of one part at a time, so memory stays bounded. A document's groups come
from the other stages' outputs, which share the part names: ``period`` (the export's rule,
:func:`opinion.periods.period_start`: days, Monday–Sunday weeks or months, the workspace's
period when not given: :func:`opinion.topics.settings.workspace_period`), ``source`` (the corpus), ``topic`` (``topic_documents`` and
the labels of ``topics``) and ``theme`` (documents with at least one hit; a document can be
in several themes). Words shorter than ``min_length`` characters are left out (single
characters such as 说, 好 carry little), and so are numbers with a unit (30日, 85万: they
name the period rather than what was said), ``#话题#`` hashtags unless asked (a whole
headline as one token crowds out the words), ``[捂脸]`` Weibo emoticons unless asked (the
tokenizer keeps them for sentiment; they are not words, and have no Traditional form) and,
unless asked, exact and near-duplicate posts and spam (``opinion.flags``: the coupon ads of
券后, 原价, 领券 took five of a day's twenty keywords). A Latin word written in several cases is one word, in
the spelling the corpus uses most (SARS, sars → SARS: :mod:`opinion.words.forms`).

Example:
    >>> for chunk in group_tokens("runs/weibo", by="period", period="week"):  # doctest: +SKIP
    ...     chunk.pairs.head(2)
           group  word
    0  2020-01-20  武汉
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, cast

import numpy as np
import pandas as pd

from opinion import schema as S
from opinion.errors import InputError
from opinion.io.workspace import Workspace
from opinion.periods import check_period, period_label
from opinion.sources import corpus_files, source_labels
from opinion.text.everyday import EVERYDAY_WORDS
from opinion.topics.settings import workspace_period
from opinion.words.forms import latin_forms, with_preferred_forms

GROUPINGS = ("period", "source", "topic", "theme")
UNIT_FLAG = "--period-unit"  # the word commands' unit option (their --period is a date)
NUMBER = r"^[0-9]"  # numbers with a unit (30日, 85万, 4月): the period, not what was said
HASHTAG = r"^#.*#$"
EMOTICON = r"^\[[^\[\]]+\]$"  # Weibo emoticons: [捂脸], [旺柴], [去旅行]


@dataclass(frozen=True)
class DocFilter:
    """Which documents to keep: those of a theme, a topic and/or a period (start date, in
    ``unit``: day, week or month; None: the unit of the grouping, the workspace's by default)."""

    theme: str | None = None
    topic: int | None = None
    period: str | None = None  # the period's first day, e.g. "2020-02-03"
    unit: str | None = None  # the period's unit, e.g. "week"

    def __post_init__(self) -> None:
        check_period(self.unit, flag=UNIT_FLAG)

    @property
    def active(self) -> bool:
        return any(v is not None for v in (self.theme, self.topic, self.period))

    def slug(self) -> str:
        """A file-name part: ``all``, ``theme-信任``, ``topic-3_period-week-2020-02-03``; the
        period's unit is in it (a month and a day that start on 2020-02-01 are two files), and
        it is safe as a file name, at most 150 UTF-8 bytes (:func:`opinion.words.names.file_part`:
        theme ``防疫/口罩`` → ``theme-防疫_口罩``)."""
        from opinion.words.names import MAX_NAME_BYTES, file_part

        period = None if self.period is None else "-".join(v for v in (self.unit, self.period) if v)
        rest = "_".join(f"{name}-{file_part(str(value))}" for name, value in
                        (("topic", self.topic), ("period", period)) if value is not None)
        if self.theme is None:
            return rest or "all"
        room = MAX_NAME_BYTES - len("theme-") - (len(rest.encode()) + 1 if rest else 0)
        return "_".join(p for p in (f"theme-{file_part(self.theme, max_bytes=room)}", rest) if p)


@dataclass
class PartTokens:
    """One part's kept tokens and the groups of their documents.

    ``words`` (Arrow strings) and ``doc`` (the document's row in the part) have one entry per
    token occurrence. ``layers`` holds, per layer, one group code per document (-1: no group)
    with the codes' names; a grouping where a document has one group (period, source, topic)
    has one layer, ``theme`` has one layer per theme.
    """

    part: str
    words: Any  # pyarrow.StringArray
    doc: np.ndarray
    layers: list[tuple[np.ndarray, list[str]]]  # of the first grouping asked for
    documents: int  # documents kept in this part
    groupings: dict[str | None, list[tuple[np.ndarray, list[str]]]] = field(default_factory=dict)

    def counts(self, by: str | None | object = ...) -> Any:
        """A pyarrow table (group, word, count, docs) of this part, for ``by`` (default: the
        first): ``count`` occurrences, ``docs`` documents using the word (a document is in one
        part, so the parts' docs add up)."""
        import pyarrow as pa

        tables = []
        for codes, names in self.layers if by is ... else self.groupings[cast(str | None, by)]:
            token_codes = codes[self.doc]
            mask = token_codes >= 0
            if not mask.any():
                continue
            table = pa.table({"code": token_codes[mask], "doc": self.doc[mask],
                              "word": self.words.filter(pa.array(mask))})
            table = table.group_by(["code", "doc", "word"]).aggregate([("word", "count")])
            table = table.group_by(["code", "word"]).aggregate([("word_count", "sum"), ("doc", "count")])
            group = pa.array(np.asarray(names, dtype=object)[table["code"].to_numpy()], type=pa.string())
            tables.append(pa.table({"group": group, "word": table["word"], "count": table["word_count_sum"],
                                    "docs": table["doc_count"]}))
        if not tables:
            return pa.table({"group": pa.array([], pa.string()), "word": pa.array([], pa.string()),
                             "count": pa.array([], pa.int64()), "docs": pa.array([], pa.int64())})
        return pa.concat_tables(tables)

    def totals(self, by: str | None | object = ...) -> Any:
        """A pyarrow table (word, count) over every kept document of the part; with ``by`` a
        grouping where a document has at most one group (period, source, topic), over the
        documents in a group, so each group's rest is the other groups (an undated post is in
        no period's rest)."""
        import pyarrow as pa

        words = self.words
        if by is not ... and by != "theme":
            codes = self.groupings[cast(str | None, by)][0][0]
            words = words.filter(pa.array(codes[self.doc] >= 0))
        return pa.table({"word": words}).group_by("word").aggregate([("word", "count")]).rename_columns(
            ["word", "count"])

    def group_documents(self, by: str | None | object = ...) -> dict[str, int]:
        """Kept documents per group of ``by`` (default: the first grouping)."""
        out: dict[str, int] = {}
        for codes, names in self.layers if by is ... else self.groupings[cast(str | None, by)]:
            for code, n in zip(*np.unique(codes[codes >= 0], return_counts=True)):
                out[names[code]] = out.get(names[code], 0) + int(n)
        return out


def excluded_words(words: Iterable[str]) -> tuple[str, ...]:
    """Words to leave out of keyword lists, networks and clouds, in the analysis script
    (either script, comma- or space-separated): ``excluded_words(["沒有, 主要"]) == ("主要", "没有")``."""
    from opinion.io.userdict import word_pieces
    from opinion.themes import normalized_words

    return tuple(sorted(set(normalized_words(word_pieces(words)))))  # 衞生署 → 卫生署, as the tokens


def without_words(words: pd.Series, excluded: Iterable[str], *, everyday: bool = False) -> np.ndarray:
    """Mask of ``words`` to keep: those not in ``excluded`` (letters compared in any case)
    and, unless ``everyday``, not everyday words (:data:`opinion.text.everyday.EVERYDAY_WORDS`:
    没有, 真的, 知道, 转发 …), which every group of a corpus uses and which say nothing about it."""
    gone = {w.casefold() for w in excluded} | (set() if everyday else EVERYDAY_WORDS)
    if not gone:
        return np.ones(len(words), dtype=bool)
    return ~words.astype(str).str.casefold().isin(gone).to_numpy()


def shown_forms(words: Iterable[str], script: str, known: dict[str, str] | None = None) -> dict[str, str]:
    """``{word: the form a reader of script sees}`` of Simplified ``words``; two words can show
    alike, and then are one word to that reader: ``shown_forms(["想象", "想像"], "zh-Hant-TW")
    == {"想象": "想像", "想像": "想像"}``. ``known`` (filled in) spares rendering a word twice."""
    from opinion.text.script import render_many

    known = {} if known is None else known
    new = [w for w in dict.fromkeys(words) if w not in known]
    known.update(zip(new, render_many(new, script)))
    return known


def shown_words(words: Any, script: str, known: dict[str, str]) -> Any:
    """A pyarrow string array of Simplified ``words`` as :func:`shown_forms` shows them."""
    import pyarrow as pa
    import pyarrow.compute as pc

    encoded = pc.dictionary_encode(words)
    vocabulary = encoded.dictionary.to_pylist()
    forms = shown_forms(vocabulary, script, known)
    return pa.array([forms[w] for w in vocabulary], type=pa.string()).take(encoded.indices)


def excluded_forms(forms: dict[str, str], excluded: Iterable[str], *, everyday: bool = False) -> set[str]:
    """The shown forms of ``forms`` to leave out: those of a word :func:`without_words` leaves
    out (想像 in zh-Hant-TW when 想象 is excluded)."""
    words = pd.Series(list(forms), dtype=object)
    return {forms[w] for w in words[~without_words(words, excluded, everyday=everyday)]}


def _check_by(by: str | None) -> None:
    if by is not None and by not in GROUPINGS:
        raise InputError(f"--by must be one of {', '.join(GROUPINGS)}; got {by!r}")


@functools.lru_cache(maxsize=8)
def _edited_topics(root: str, stamp: tuple[float, ...]) -> tuple[dict[int, str], dict[int, int]]:  # noqa: ARG001
    from opinion.topics.edit_store import workspace_topics
    from opinion.topics.edits import id_mapping

    ws = Workspace(root)
    topics, _ = workspace_topics(ws, ws.read(S.TOPICS))
    return dict(zip(topics[S.TOPIC_ID].astype(int), topics["label"].astype(str))), id_mapping(topics)


def _edited(ws: Workspace) -> tuple[dict[int, str], dict[int, int]]:
    """Labels and model id → edited id after the workspace's topic edits (cached per file state)."""
    if not ws.table_path(S.TOPICS).exists():
        return {}, {}
    from opinion.topics.edit_store import EDITS_FILE

    edits = ws.root / EDITS_FILE
    stamp = (ws.table_path(S.TOPICS).stat().st_mtime, edits.stat().st_mtime if edits.exists() else 0.0)
    return _edited_topics(str(ws.root), stamp)


def edited_topics(ws: Workspace) -> tuple[dict[int, str], dict[int, int]]:
    """``({topic_id: label}, {model id: edited id})`` after the workspace's topic edits
    (``({}, {})`` without a topics table); a merged id maps to the topic it went to, a dropped one to -1."""
    return _edited(ws)


def topic_labels(ws: Workspace) -> dict[int, str]:
    """``{topic_id: label}`` from the ``topics`` table, with the topic edits ({} without one);
    topics that share a label are ``label #id``, as the report and the explorer name them, so
    each stays a group of its own (two topics renamed 疫情 had become one cloud of both)."""
    from opinion.topics.edits import distinct_names

    return distinct_names(_edited(ws)[0])


def choose_workspace_period(ws: Workspace) -> str:
    """The workspace's period (``day``, ``week`` or ``month``) as every timeline uses it: the
    stored ``opinion export --period``, else the topic period, else the date range's
    (:func:`opinion.topics.settings.workspace_period`)."""
    return workspace_period(ws)


def period_of(ws: Workspace | str | Path, date: str, unit: str | None = None) -> str:
    """The first day (``YYYY-MM-DD``) of the period holding ``date``, in ``unit`` (day, week,
    month; the workspace's period when None: :func:`choose_workspace_period`): ``period_of(ws, "2020-02-05", "week") == "2020-02-03"``."""
    ws = ws if isinstance(ws, Workspace) else Workspace.open(ws)
    stamp = pd.to_datetime(pd.Series([date]), errors="coerce")
    if stamp.isna().all():
        raise InputError(f"--period {date!r}: not a date; give one as YYYY-MM-DD")
    unit = check_period(unit, flag=UNIT_FLAG) or choose_workspace_period(ws)
    return period_label(stamp, unit).iloc[0]


def theme_names(ws: Workspace) -> list[str]:
    """Theme names, from the ``theme_<name>`` columns of the first prepared part."""
    import pyarrow.parquet as pq

    parts = ws.parts(S.PREPARED)
    if not parts:
        return []
    names = pq.read_schema(ws.part_path(S.PREPARED, parts[0])).names
    return [n[len(S.THEME_PREFIX):] for n in names if n.startswith(S.THEME_PREFIX)]


def named_filter(ws: Workspace, doc_filter: DocFilter, themes: list[str] | None = None) -> DocFilter:
    """``doc_filter`` with its theme as the workspace names it, whichever script it was typed
    in (國貨 → 国货: one network file name, ``theme-国货``); :class:`InputError` for a theme the
    workspace lacks."""
    from opinion.themes import resolve_theme_name

    themes = theme_names(ws) if themes is None else themes
    if doc_filter.theme is None or doc_filter.theme in themes:
        return doc_filter
    found = resolve_theme_name(doc_filter.theme, themes)  # as kwic and themes check find it
    if found is None:
        raise InputError(f"no theme {doc_filter.theme!r} in {ws.root}; available: {themes}")
    return replace(doc_filter, theme=found)


def _part_groups(ws: Workspace, part: str, doc_ids: pd.Series, themes_hit: dict[str, np.ndarray], *,
                 bys: tuple[str | None, ...], period: str, doc_filter: DocFilter, include_duplicates: bool,
                 files: tuple[str, ...] | None = None) -> tuple[np.ndarray, dict[str | None, list[tuple[np.ndarray, list[str]]]]]:
    """Which documents of the part are kept, and the group layers of each grouping in ``bys``."""
    docs = doc_ids.to_frame(S.DOC_ID)
    from opinion.flags import kept_mask

    corpus = ws.read_part(S.CORPUS, part, columns=[S.DOC_ID, S.PUBLISHED_AT, S.SOURCE, S.INPUT_FILE])
    docs = docs.merge(corpus, on=S.DOC_ID, how="left")
    # exact and near-duplicates and spam, as topics, KWIC and themes check leave them out
    keep = kept_mask(ws, part, docs[S.DOC_ID], include_flagged=include_duplicates)
    starts = None
    if "period" in bys or doc_filter.period is not None:
        starts = period_label(docs[S.PUBLISHED_AT], period)
        if doc_filter.period is not None:  # in the filter's own unit when it names one
            unit = doc_filter.unit or period
            chosen = starts if unit == period else period_label(docs[S.PUBLISHED_AT], unit)
            keep &= (chosen == doc_filter.period).to_numpy()
    topics = None
    if "topic" in bys or doc_filter.topic is not None:
        if ws.part_path(S.TOPIC_DOCS, part).exists():
            topic_docs = ws.read_part(S.TOPIC_DOCS, part, columns=[S.DOC_ID, S.TOPIC_ID])
        elif ws.table_path(S.TOPIC_DOCS).exists():  # one whole-corpus file
            topic_docs = ws.read(S.TOPIC_DOCS, columns=[S.DOC_ID, S.TOPIC_ID])
        else:
            raise InputError(f"{ws.root}: no topics for part {part}; run `opinion topics -w {ws.root}` first")
        topics = docs[[S.DOC_ID]].merge(topic_docs, on=S.DOC_ID, how="left")[S.TOPIC_ID]
        mapping = _edited(ws)[1]  # merged and dropped topics (opinion topics edit)
        topics = topics.map(lambda t: mapping.get(int(t), t) if pd.notna(t) else t)
        if doc_filter.topic is not None:
            keep &= (topics == doc_filter.topic).to_numpy()
    if doc_filter.theme is not None:
        keep &= themes_hit[doc_filter.theme]
    layers: dict[str | None, list[tuple[np.ndarray, list[str]]]] = {}
    for by in bys:
        if by == "theme":  # one layer per theme: a document can be in several
            layers[by] = [(np.where(keep & hit, 0, -1), [name]) for name, hit in themes_hit.items()]
            continue
        if by is None:
            values = pd.Series("all", index=docs.index)
        elif by == "period":
            values = starts
        elif by == "source":
            values = source_labels(docs, files=files)  # as the explorer and the report label sources
        else:
            assert topics is not None  # read above whenever "topic" is among bys
            labels = topic_labels(ws)
            values = topics.map(lambda t, labels=labels: labels.get(int(t), str(int(t))) if pd.notna(t) else None)
        codes, names = pd.factorize(values)
        layers[by] = [(np.where(keep, codes, -1), [str(n) for n in names])]
    return keep, layers


def group_tokens(ws: Workspace | str | Path, *, by: str | None | tuple[str | None, ...], period: str | None = None,
                 doc_filter: DocFilter | None = None, include_duplicates: bool = False,
                 min_length: int = 2, hashtags: bool = False, emoticons: bool = False) -> Iterator[PartTokens]:
    """For each prepared part, the kept documents' tokens and their groups (:class:`PartTokens`).

    ``by=None`` puts every kept document in the group ``all``; a tuple of groupings gives
    them all from one reading of each part (``PartTokens.groupings``). ``period`` is ``day``,
    ``week`` or ``month`` (the workspace's, :func:`choose_workspace_period`, when None). ``include_duplicates=False`` leaves
    out exact and near-duplicates and spam (:func:`opinion.flags.excluded_ids`). ``hashtags=False`` leaves out
    ``#话题#`` tokens, whose whole-headline names would crowd out words; ``emoticons=False``
    leaves out ``[捂脸]`` emoticon tokens (kept in ``tokens`` for sentiment, not words).
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from opinion.engine.runner import require_finished

    bys = by if isinstance(by, tuple) else (by,)
    for one in bys:
        _check_by(one)
    ws = ws if isinstance(ws, Workspace) else Workspace.open(ws)
    require_finished(ws, S.PREPARED)  # a killed prepare's counts would miss a period
    doc_filter = doc_filter or DocFilter()
    period = check_period(period, flag=UNIT_FLAG) or choose_workspace_period(ws)
    themes = theme_names(ws)
    doc_filter = named_filter(ws, doc_filter, themes)
    forms = latin_forms(ws)  # SARS, sars and Sars are one word, shown as the corpus writes it most
    # every input file: two files named 1.27.csv in two folders are two sources
    files = (corpus_files(ws) or None) if "source" in bys else None
    for part in ws.parts(S.PREPARED):
        table = pq.read_table(ws.part_path(S.PREPARED, part),
                              columns=[S.DOC_ID, S.TOKENS, *(S.theme_column(t) for t in themes)])
        hits = {t: pc.fill_null(table[S.theme_column(t)], 0).to_numpy() > 0 for t in themes}
        keep, layers = _part_groups(ws, part, table[S.DOC_ID].to_pandas(), hits, bys=bys, period=period,
                                    doc_filter=doc_filter, include_duplicates=include_duplicates, files=files)
        tokens = table[S.TOKENS].combine_chunks()
        words = pc.list_flatten(tokens).cast(pa.string())  # all-empty parts flatten to nulls
        doc = pc.list_parent_indices(tokens).to_numpy()
        mask = pc.and_(pc.greater_equal(pc.utf8_length(words), min_length), pa.array(keep[doc]))
        mask = pc.and_(mask, pc.invert(pc.match_substring_regex(words, NUMBER)))
        if not hashtags:
            mask = pc.and_(mask, pc.invert(pc.match_substring_regex(words, HASHTAG)))
        if not emoticons:
            mask = pc.and_(mask, pc.invert(pc.match_substring_regex(words, EMOTICON)))
        mask = mask.to_numpy(zero_copy_only=False)
        kept = with_preferred_forms(words.filter(pa.array(mask)), forms)
        yield PartTokens(part=part, words=kept, doc=doc[mask], layers=layers[bys[0]],
                         documents=int(keep.sum()), groupings=layers)


def top_words(counts: pd.Series, top: int) -> pd.Series:
    """The ``top`` words of ``counts`` (word → count) by count, ties by word: the same words in
    the same order whatever the row order of the counts (Arrow's ``group_by`` fixes none): clouds, networks."""
    return counts.sort_index(kind="stable").sort_values(ascending=False, kind="stable").head(top)
