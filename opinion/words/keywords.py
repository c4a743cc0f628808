"""Keywords: the distinctive words of each group (period, source, topic, theme) against the rest.

For a word with ``a`` occurrences among the ``c`` tokens of a group and ``b`` among the
``d`` tokens of every other document, keyness is Dunning's **log-likelihood G²** (Dunning
1993; in the form of Rayson & Garside 2000)::

    E1 = c·(a+b)/(c+d)    E2 = d·(a+b)/(c+d)
    G² = 2·(a·ln(a/E1) + b·ln(b/E2))          (0·ln 0 = 0)

Only words used *more* in the group than in the rest are kept (G² alone is two-sided), with
at least ``min_count`` occurrences in the group, used by at least ``min_docs`` of its documents
(``docs``: one ad repeating 淘小铺 57 times is not a day's keyword) and G² ≥ ``min_g2`` (3.84:
p < 0.05 with one degree of freedom; 10.83: p < 0.001). ``log_ratio`` is Hardie's effect size, ``log2`` of the ratio of
relative frequencies (0.5 added to a zero count). ``per_10k`` columns give the relative
frequencies. Counts are token occurrences of the stored ``tokens`` (stopwords already out).

Example:
    >>> keywords("runs/weibo", by="period", settings=KeywordSettings(period="week", top=5))  # doctest: +SKIP
           group  rank  word  count  rest_count  per_10k  rest_per_10k  log_ratio       g2
    0  2020-01-20     1  肺炎  ...
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from opinion.errors import InputError
from opinion.io.workspace import Workspace
from opinion.words.groups import DocFilter, group_tokens, without_words

COLUMNS = ["group", "rank", "word", "count", "docs", "rest_count", "per_10k", "rest_per_10k", "log_ratio", "g2"]
SIGNIFICANT_G2 = 10.83  # chi-square, 1 degree of freedom, p < 0.001
MIN_DOCS = 3  # documents of a group a keyword must be used in (one long post is not a period's word)
CANONICAL = "canonical"  # column of counts_as_shown: the Simplified word of a shown form (ties)


@dataclass(frozen=True)
class KeywordSettings:
    """Settings of ``opinion keywords`` (defaults written once; the CLI falls back to them).

    ``top`` words per group, at least ``min_count`` occurrences in the group and ``min_docs``
    documents of it using the word (:data:`MIN_DOCS`), words of at
    least ``min_length`` characters, ``period`` (``day``/``week``/``month``; None: the workspace's,
    as the export's: :func:`opinion.words.groups.choose_workspace_period`), ``include_duplicates`` to count exact and near-duplicate posts and spam
    too, ``hashtags`` to keep ``#话题#`` tokens, ``emoticons`` to keep ``[捂脸]`` emoticon tokens,
    ``min_g2`` the least keyness shown (3.84: p < 0.05), ``exclude``
    words never listed (Simplified, :func:`opinion.words.groups.excluded_words`),
    ``everyday_words`` to list everyday words too (没有, 真的 …: left out by default).
    """

    top: int = 20
    min_count: int = 5
    min_docs: int = MIN_DOCS
    min_length: int = 2
    period: str | None = None
    include_duplicates: bool = False
    hashtags: bool = False
    emoticons: bool = False
    min_g2: float = 3.84  # p < 0.05 with one degree of freedom
    exclude: tuple[str, ...] = ()
    everyday_words: bool = False

    def __post_init__(self) -> None:
        from opinion.config_checks import check_period
        from opinion.words.groups import UNIT_FLAG

        check_period(self.period, flag=UNIT_FLAG)
        if min(self.top, self.min_count, self.min_docs, self.min_length) < 1:
            raise InputError(f"--top, --min-count, --min-docs and --min-length must be at least 1; got "
                             f"{self.top}, {self.min_count}, {self.min_docs}, {self.min_length}")


def log_likelihood(a: np.ndarray, b: np.ndarray, c: np.ndarray | float, d: np.ndarray | float) -> np.ndarray:
    """Dunning's G² for ``a`` of ``c`` tokens in the group and ``b`` of ``d`` in the rest.

    >>> round(float(log_likelihood(np.array([10]), np.array([10]), 100, 1000)[0]), 2)
    22.14
    """
    a, b = np.asarray(a, float), np.asarray(b, float)
    c, d = np.asarray(c, float), np.asarray(d, float)
    e1 = c * (a + b) / (c + d)
    e2 = d * (a + b) / (c + d)
    with np.errstate(divide="ignore", invalid="ignore"):
        t1 = np.where(a > 0, a * np.log(a / e1), 0.0)
        t2 = np.where(b > 0, b * np.log(b / e2), 0.0)
    return 2 * (t1 + t2)


Counts = tuple[pd.DataFrame, pd.Series, dict[str, int]]


def group_counts(ws: Workspace | str | Path, *, by: str | None, settings: KeywordSettings | None = None,
                 doc_filter: DocFilter | None = None, save: bool = True) -> Counts:
    """Word counts per group of ``by`` (see :func:`count_groups`), kept in ``WS/words/`` until a
    stage output changes (:mod:`opinion.words.store`), so the explorer, the export and the
    commands count once; ``save=False`` reads a kept file but writes none."""
    return group_counts_many(ws, bys=(by,), settings=settings, doc_filter=doc_filter, save=save)[by]


def group_counts_many(ws: Workspace | str | Path, *, bys: tuple[str | None, ...],
                      settings: KeywordSettings | None = None, doc_filter: DocFilter | None = None,
                      save: bool = True) -> dict[str | None, Counts]:
    """:func:`group_counts` of several groupings; those not kept yet are counted in one pass."""
    from dataclasses import replace

    from opinion.engine.runner import require_finished
    from opinion.schema import PREPARED
    from opinion.words.groups import choose_workspace_period
    from opinion.words.store import load_counts, save_counts

    settings = settings or KeywordSettings()
    ws = ws if isinstance(ws, Workspace) else Workspace.open(ws)
    require_finished(ws, PREPARED)  # kept counts of an interrupted prepare are never read either
    if settings.period is None:  # the automatic choice, made now: one kept file whoever asks
        settings = replace(settings, period=choose_workspace_period(ws))

    def params(by: str | None) -> dict:
        return {"by": by, "filter": repr(doc_filter or DocFilter()), "period": settings.period,
                "totals": "grouped",  # since 2026-12-08 the rest of a period is the other dated periods
                "duplicates": settings.include_duplicates, "min_length": settings.min_length,
                "hashtags": settings.hashtags, "emoticons": settings.emoticons}

    kept = {by: load_counts(ws, params(by)) for by in bys}
    found = {by: counts for by, counts in kept.items() if counts is not None}
    missing = tuple(by for by in bys if by not in found)
    if missing:
        for by, counts in count_groups(ws, by=missing, settings=settings, doc_filter=doc_filter).items():
            found[by] = counts
            if save:
                save_counts(ws, params(by), counts)
    return {by: found[by] for by in bys}


def count_groups(ws: Workspace | str | Path, *, by: tuple[str | None, ...], settings: KeywordSettings | None = None,
                 doc_filter: DocFilter | None = None) -> dict[str | None, Counts]:
    """Word counts per group of each grouping in ``by``, from one reading of the tokens.

    Returns ``{grouping: (counts, totals, documents)}``: ``counts`` has columns group, word,
    count (occurrences) and docs (documents using the word); ``totals`` is the occurrences of each word in the kept documents of the grouping's
    groups (:meth:`PartTokens.totals`: every dated document for periods, every kept one for
    themes); ``documents`` the kept documents per group. Counts are merged in Arrow every few parts, so memory
    follows the vocabulary, not the corpus.
    """
    import pyarrow as pa

    settings = settings or KeywordSettings()
    chunks: dict = {b: [] for b in by}
    documents: dict = {b: {} for b in by}
    totals: dict = {b: [] for b in by}

    def merge(tables: list, keys: list[str]) -> list:
        values = [c for c in ("count", "docs") if c in tables[0].column_names]
        merged = pa.concat_tables(tables).group_by(keys).aggregate([(c, "sum") for c in values])
        return [merged.select([*keys, *(f"{c}_sum" for c in values)]).rename_columns([*keys, *values])]

    for chunk in group_tokens(ws, by=by, period=settings.period, doc_filter=doc_filter,
                              include_duplicates=settings.include_duplicates, min_length=settings.min_length,
                              hashtags=settings.hashtags, emoticons=settings.emoticons):
        for b in by:
            totals[b].append(chunk.totals(b))
            chunks[b].append(chunk.counts(b))
            for group, n in chunk.group_documents(b).items():
                documents[b][group] = documents[b].get(group, 0) + n
        if len(chunks[by[0]]) >= 8:
            totals = {b: merge(tables, ["word"]) for b, tables in totals.items()}
            chunks = {b: merge(tables, ["group", "word"]) for b, tables in chunks.items()}
    if not chunks[by[0]]:
        empty: Counts = (pd.DataFrame(columns=["group", "word", "count", "docs"]), pd.Series(dtype="int64"), {})
        return {b: empty for b in by}
    return {b: (_arrow_frame(merge(chunks[b], ["group", "word"])[0], ["group", "word", "count", "docs"]),
                _arrow_frame(merge(totals[b], ["word"])[0], ["word", "count"]).set_index("word")["count"],
                documents[b])
            for b in by}


def _arrow_frame(table, columns: list[str]) -> pd.DataFrame:
    """An aggregated Arrow table as a DataFrame with the given column order."""
    frame = table.to_pandas()
    frame.columns = [c.removesuffix("_sum") for c in frame.columns]
    return frame[columns]


def keyness(counts: pd.DataFrame, totals: pd.Series, *, top: int, min_count: int, min_docs: int = 1,
            min_g2: float = 0.0, exclude: Sequence[str] = (), everyday_words: bool = False) -> pd.DataFrame:
    """The ``top`` over-used words of each group by G² (columns :data:`COLUMNS`), each used at
    least ``min_count`` times in at least ``min_docs`` documents of the group; words of
    ``exclude`` and, unless ``everyday_words``, everyday words are never listed but still
    count in the group sizes. Equal G² goes by the word, or by its Simplified form when
    ``counts`` has :data:`CANONICAL` (:func:`counts_as_shown`), so every script lists the same words."""
    if counts.empty:
        return pd.DataFrame(columns=COLUMNS)
    grand = float(totals.sum())
    table = counts.copy()
    table["c"] = table.groupby("group")["count"].transform("sum").astype(float)
    table["rest_count"] = table["word"].map(totals).astype(float) - table["count"]
    table["d"] = grand - table["c"]
    table = table[(table["count"] >= min_count) & (table["docs"] >= min_docs) & (table["d"] > 0)
                  & without_words(table["word"], exclude, everyday=everyday_words)]
    a, b, c, d = (table[k].to_numpy(float) for k in ("count", "rest_count", "c", "d"))
    table = table.assign(
        per_10k=a / c * 1e4, rest_per_10k=b / d * 1e4,
        log_ratio=np.log2(((np.maximum(a, 0.5)) / c) / (np.maximum(b, 0.5) / d)),
        g2=log_likelihood(a, b, c, d),
    )
    table = table[(table["per_10k"] > table["rest_per_10k"]) & (table["g2"] >= min_g2)]
    tie = CANONICAL if CANONICAL in table.columns else "word"  # ties by the Simplified word, in any script
    table = table.sort_values(["group", "g2", tie], ascending=[True, False, True])
    table = table.groupby("group", sort=True).head(top).copy()
    table["rank"] = table.groupby("group").cumcount() + 1
    table[["rest_count", "docs"]] = table[["rest_count", "docs"]].astype(int)
    for column in ("per_10k", "rest_per_10k", "log_ratio", "g2"):
        table[column] = table[column].round(2)
    return table[COLUMNS].reset_index(drop=True)


def keywords(ws: Workspace | str | Path, *, by: str = "period", settings: KeywordSettings | None = None,
             script: str = "zh-Hans", save: bool = True) -> pd.DataFrame:
    """Distinctive words of each group of ``by`` (period, source, topic, theme), words and
    group names rendered in ``script``.

    A group that is the whole corpus (one source, one dated period) has no rest to compare with
    and gives no rows. By period, the rest is the other dated periods: undated documents are in
    no group and no rest, and ``table.attrs["undated_documents"]`` counts them (a note for the
    reader). ``save=False`` keeps the word counts out of ``WS/words/``.
    """
    from opinion.text.script import HANS, check_target, render_many, render_name

    check_target(script)
    settings = settings or KeywordSettings()
    counts, totals, _ = group_counts(ws, by=by, settings=settings, save=save)
    exclude, everyday = settings.exclude, settings.everyday_words
    if script != HANS:  # words shown alike are one word: 想象 and 想像 are both 想像 in zh-Hant-TW
        counts, totals, exclude = counts_as_shown(counts, totals, script=script, exclude=exclude, everyday=everyday)
        everyday = True  # everyday words are in ``exclude`` now, as shown
    table = keyness(counts, totals, top=settings.top, min_count=settings.min_count, min_docs=settings.min_docs,
                    min_g2=settings.min_g2, exclude=exclude, everyday_words=everyday)
    if by == "topic":
        table["group"] = render_many(table["group"].astype(str).tolist(), script)
    if by == "theme":  # as the theme file wrote it, in either script: 國貨 is 国货 in zh-Hans
        table["group"] = [render_name(str(group), script) for group in table["group"]]
    if by == "period":
        table.attrs["undated_documents"] = undated_documents(ws, include_duplicates=settings.include_duplicates)
    return table


def undated_documents(ws: Workspace | str | Path, *, include_duplicates: bool = False) -> int:
    """Prepared documents that keyword lists count (duplicates and spam out unless
    ``include_duplicates``) but that have no date, so are in no period: 40 for 40 疫苗 posts
    loaded without a date beside 40 dated 口罩 posts."""
    from opinion import schema as S
    from opinion.flags import kept_mask

    ws = ws if isinstance(ws, Workspace) else Workspace.open(ws)
    undated = 0
    for part in ws.parts(S.PREPARED):
        ids = ws.read_part(S.PREPARED, part, columns=[S.DOC_ID])[S.DOC_ID]
        dates = ws.read_part(S.CORPUS, part, columns=[S.DOC_ID, S.PUBLISHED_AT]).set_index(S.DOC_ID)[S.PUBLISHED_AT]
        missing = pd.to_datetime(ids.map(dates), errors="coerce").isna().to_numpy()
        undated += int((missing & kept_mask(ws, part, ids, include_flagged=include_duplicates)).sum())
    return undated


def counts_as_shown(counts: pd.DataFrame, totals: pd.Series, *, script: str, exclude: Sequence[str] = (),
                    everyday: bool = False) -> tuple[pd.DataFrame, pd.Series, tuple[str, ...]]:
    """Counts and totals of the words as ``script`` shows them: words shown alike add up
    (想象 12 and 想像 12 are 想像 24 in zh-Hant-TW, one keyword rather than two of half the count; the
    documents add up too, so a post using both counts twice there),
    with the shown forms of the words to leave out (``exclude``, everyday words unless ``everyday``).
    Column :data:`CANONICAL` keeps each shown word's Simplified form (the first by code point of
    those shown alike), which breaks ties as zh-Hans does: 处罚 before 村屯, though 處罰 sorts after."""
    from opinion.words.groups import excluded_forms, shown_forms

    forms = shown_forms(totals.index.astype(str), script)
    gone = tuple(sorted(excluded_forms(forms, exclude, everyday=everyday)))
    canonical: dict[str, str] = {}
    for word, form in forms.items():
        canonical[form] = min(canonical.get(form, word), word)
    counts = (counts.assign(word=counts["word"].astype(str).map(forms))
              .groupby(["group", "word"], as_index=False, sort=False)[["count", "docs"]].sum())
    counts[CANONICAL] = counts["word"].map(canonical)
    totals = totals.groupby(totals.index.astype(str).map(forms)).sum()
    return counts, totals, gone


def keyword_grid(table: pd.DataFrame, *, top: int = 10) -> pd.DataFrame:
    """The keyword table as one column per group and one row per rank (for reading and README tables)."""
    if table.empty:
        return pd.DataFrame()
    shown = table[table["rank"] <= top]
    return shown.pivot(index="rank", columns="group", values="word").fillna("")
