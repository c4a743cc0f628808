"""Near-duplicates and spam, flagged over the whole corpus at the end of ``prepare``.

Exact copies are flagged at load (``duplicate_of``). This pass adds, per document, in the
table ``flags`` (same parts as ``corpus``):

- ``near_duplicate_of``: the ``doc_id`` of the kept document of its cluster of
  near-identical texts (re-punctuated, emoji-padded, lightly scrambled or re-tagged copies;
  :mod:`opinion.text.neardup`), null for the kept one and for documents without copies.
  Texts are taken in :func:`content_order` (earliest published first, then by a hash of the
  text), so the same posts in any row order give the same flags and keep the same texts;
- ``spam_score`` (0–1) and ``is_spam`` (``spam_score >= 0.5``), by the rule of
  :func:`opinion.text.spam.spam_scores`: character-scrambled text, posts of a campaign
  template whose posts are mostly scrambled, and posts that are only hashtags.

Clusters span parts, so the pass reads ``text_norm`` of every part (a few
hundred MB for 620k posts) and runs once for the corpus: about 25 s for 620k Weibo posts
(``benchmarks/neardup_weibo.py``). It is seeded, and skipped when the prepared parts and
the settings are those of its manifest record. Topic fitting, topic words and examples,
KWIC and the explorer's document lists leave flagged documents out by default
(:func:`excluded_ids`).

Example:
    >>> flag_workspace("runs/weibo")  # doctest: +SKIP
    FlagReport(documents=620783, near_duplicates=280571, clusters=43702, spam=4127, ...)
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from opinion import schema as S
from opinion.errors import InputError
from opinion.io.atomic import fingerprint
from opinion.io.dedup import text_hash
from opinion.io.info import flags_behind, flags_parts_fingerprint
from opinion.io.workspace import Workspace
from opinion.text.neardup import NearDupSettings, near_duplicates
from opinion.text.spam import SpamSettings, spam_scores

STAGE = "flags"
FLAGS_VERSION = 3  # 2: coupon ads are spam (2026-12-05); 3: near-duplicates in content order (2026-12-07)


@dataclass(frozen=True)
class FlagSettings:
    """Settings of the pass: the near-duplicate and the spam rules."""

    near: NearDupSettings = field(default_factory=NearDupSettings)
    spam: SpamSettings = field(default_factory=SpamSettings)


@dataclass
class FlagReport:
    """What :func:`flag_workspace` found (``skipped``: the stored flags were current)."""

    documents: int = 0
    exact_duplicates: int = 0
    near_duplicates: int = 0
    clusters: int = 0
    spam: int = 0
    seconds: float = 0.0
    skipped: bool = False

    def __str__(self) -> str:
        if self.skipped:
            return "flags: unchanged"
        return (f"flags: {self.near_duplicates:,} near-duplicates in {self.clusters:,} clusters "
                f"(exact copies: {self.exact_duplicates:,}), {self.spam:,} spam posts, "
                f"of {self.documents:,} documents in {self.seconds:.1f} s")


def _inputs_fingerprint(ws: Workspace, settings: FlagSettings) -> str:
    return fingerprint({"version": FLAGS_VERSION, "settings": asdict(settings),
                        "parts": flags_parts_fingerprint(ws)})


def require_flags(ws: Workspace, then: str = "run this command again") -> None:
    """Raise :class:`InputError` when :func:`flags_behind`: ``runs/微博: the near-duplicate and
    spam flags of `opinion prepare` are missing or out of date (...); run `opinion prepare -w
    runs/微博`, then run this command again``."""
    if flags_behind(ws):
        raise InputError(f"{ws.root}: the near-duplicate and spam flags of `opinion prepare` are "
                         "missing or out of date (a prepare killed in its flags pass?); "
                         f"run `opinion prepare -w {ws.root}`, then {then}")


def flag_workspace(ws: Workspace | str | Path, *, settings: FlagSettings | None = None,
                   force: bool = False) -> FlagReport:
    """Compute the ``flags`` table for a prepared workspace (skipped when current)."""
    import pyarrow.parquet as pq

    from opinion.engine.runner import require_finished

    ws = ws if isinstance(ws, Workspace) else Workspace.open(ws)
    require_finished(ws, S.PREPARED)
    settings = settings or FlagSettings()
    wanted = _inputs_fingerprint(ws, settings)
    parts = ws.parts(S.PREPARED)
    record = ws.stage_record(STAGE) or {}
    if (not force and record.get("fingerprint") == wanted and record.get("complete")
            and ws.parts(S.FLAGS) == parts):
        return FlagReport(skipped=True, **record.get("counts", {}))
    started = time.perf_counter()
    # incomplete from the start, so a kill in the pass is seen (opinion info, the topic fit, export)
    ws.set_stage_record(STAGE, {"fingerprint": wanted, "complete": False})
    ids, texts, sizes, facts = [], [], [], []
    for part in parts:
        table = pq.read_table(ws.part_path(S.PREPARED, part), columns=[S.DOC_ID, S.TEXT_NORM])
        ids += table.column(S.DOC_ID).to_pylist()
        texts += [t or "" for t in table.column(S.TEXT_NORM).to_pylist()]
        sizes.append(table.num_rows)
        facts.append(_order_facts(ws, part, ids[len(ids) - table.num_rows:]))
    order = None
    if texts:
        corpus = pd.concat(facts, ignore_index=True)
        hashes = [h if isinstance(h, str) else text_hash(t) for h, t in zip(corpus[S.TEXT_HASH], texts)]
        order = content_order(hashes, corpus[S.PUBLISHED_AT], corpus[S.DUPLICATE_OF].notna().to_numpy())
        del corpus, facts
    firsts, bare_letters = near_duplicates(texts, settings.near, order=order)
    scores = spam_scores(texts, settings.spam, bare_letters=bare_letters)
    near_of = [None if f is None else ids[f] for f in firsts]
    frame = pd.DataFrame({S.DOC_ID: ids, S.NEAR_DUPLICATE_OF: near_of,
                          S.SPAM_SCORE: scores.astype(np.float32),
                          S.IS_SPAM: scores >= settings.spam.threshold})
    for name in set(ws.parts(S.FLAGS)) - set(parts):
        ws.remove_part(S.FLAGS, name)
    start = 0
    for part, size in zip(parts, sizes):
        ws.write_part(S.FLAGS, part, frame.iloc[start:start + size].reset_index(drop=True))
        start += size
    exact = sum(int(ws.read_part(S.CORPUS, p, columns=[S.DUPLICATE_OF])[S.DUPLICATE_OF].notna().sum())
                for p in ws.parts(S.CORPUS))
    flagged = frame[S.NEAR_DUPLICATE_OF].notna()
    report = FlagReport(documents=len(frame), exact_duplicates=exact, near_duplicates=int(flagged.sum()),
                        clusters=int(frame.loc[flagged, S.NEAR_DUPLICATE_OF].nunique()),
                        spam=int(frame[S.IS_SPAM].sum()), seconds=time.perf_counter() - started)
    counts = {k: v for k, v in asdict(report).items() if k not in ("seconds", "skipped")}
    ws.set_stage_record(STAGE, {"fingerprint": wanted, "complete": True, "settings": asdict(settings),
                                "counts": counts, "inputs": flags_parts_fingerprint(ws)})
    return report


def _order_facts(ws: Workspace, part: str, ids: list[str]) -> pd.DataFrame:
    """The corpus columns :func:`content_order` needs, for the rows of a prepared part."""
    wanted = [S.DOC_ID, S.PUBLISHED_AT, S.TEXT_HASH, S.DUPLICATE_OF]
    if part not in ws.parts(S.CORPUS):
        return pd.DataFrame({S.DOC_ID: ids, S.PUBLISHED_AT: pd.NaT, S.TEXT_HASH: None, S.DUPLICATE_OF: None})
    corpus = ws.read_part(S.CORPUS, part, columns=wanted)
    if corpus[S.DOC_ID].tolist() != ids:
        raise InputError(f"{ws.part_path(S.PREPARED, part)}: its rows are not those of the corpus part; "
                         f"run `opinion prepare -w {ws.root} --force`")
    return corpus


def content_order(hashes: list[str], published_at: pd.Series, copies: np.ndarray) -> np.ndarray:
    """The order the near-duplicate pass takes documents in: it depends on the texts and
    dates only, so the same posts in any row order give the same clusters and keep the
    same texts.

    Earliest first, by the earliest ``published_at`` of the document's exact copies (same
    ``text_hash``; undated last), then by ``text_hash``; exact copies of one text stay
    together, the one the load kept (``duplicate_of`` null, ``copies`` False) first, so it
    is the one kept. ``content_order(["b", "a", "a"], pd.Series([None] * 3), np.array([0, 0, 1]))``
    is ``[1, 2, 0]`` (undated: by hash).
    """
    codes, _ = pd.factorize(pd.Series(hashes, dtype=object), sort=True)
    times = pd.to_datetime(pd.Series(published_at).reset_index(drop=True), errors="coerce")
    if getattr(times.dt, "tz", None) is not None:
        times = times.dt.tz_convert("UTC").dt.tz_localize(None)
    ns = times.to_numpy("datetime64[ns]").view(np.int64).copy()
    ns[times.isna().to_numpy()] = np.iinfo(np.int64).max
    earliest = pd.Series(ns).groupby(codes).transform("min").to_numpy()
    return np.lexsort((np.arange(len(codes)), np.asarray(copies, dtype=bool), codes, earliest))


def excluded_ids(ws: Workspace, part: str, *, duplicates: bool = True, spam: bool = True) -> set[str]:
    """``doc_id`` of a part's exact and near-duplicates and/or spam (what lists leave out).

    Empty when the workspace has no ``flags`` yet (exact duplicates still count).
    """
    out: set[str] = set()
    if duplicates and ws.has(S.CORPUS) and part in ws.parts(S.CORPUS):
        corpus = ws.read_part(S.CORPUS, part, columns=[S.DOC_ID, S.DUPLICATE_OF])
        out.update(corpus.loc[corpus[S.DUPLICATE_OF].notna(), S.DOC_ID])
    if part in ws.parts(S.FLAGS):
        flags = ws.read_part(S.FLAGS, part)
        mask = pd.Series(False, index=flags.index)
        if duplicates:
            mask |= flags[S.NEAR_DUPLICATE_OF].notna()
        if spam:
            mask |= flags[S.IS_SPAM].astype(bool)
        out.update(flags.loc[mask, S.DOC_ID])
    return out


def kept_mask(ws: Workspace, part: str, doc_ids: pd.Series, *, include_flagged: bool = False) -> np.ndarray:
    """True for the documents a default list keeps: not a duplicate (exact or near), not spam."""
    if include_flagged:
        return np.ones(len(doc_ids), dtype=bool)
    return ~doc_ids.isin(excluded_ids(ws, part)).to_numpy()


def included_note(include_flagged: bool) -> str:
    """The words every count carries: whether duplicates and spam are in it."""
    return ("duplicates and spam included" if include_flagged
            else "duplicates and spam excluded")
