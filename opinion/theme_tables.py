"""Theme tables read from a prepared workspace: prevalence per period, samples to check precision.

The lexicons and the counting live in :mod:`opinion.themes` (the prepare stage uses them);
this module reads what prepare wrote, so it sits above it.

Example:
    >>> theme_prevalence("runs/weibo", period="week").head(2)  # doctest: +SKIP
           period theme  documents  documents_with_theme   share  hits
    0  2020-01-20    信任       9120                   371  0.0407   402
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from opinion.errors import InputError
from opinion.io.workspace import Workspace
from opinion.periods import check_period, period_label
from opinion.themes import Theme, load_themes, theme_key
from opinion.topics.settings import workspace_period


# --- prevalence -----------------------------------------------------------------------
def theme_prevalence(ws: Workspace | str | Path, *, period: str | None = None) -> pd.DataFrame:
    """Share of documents with at least one hit, per theme and period.

    Columns: ``period`` (start date, or "all" when no document has a date), ``theme``,
    ``documents``, ``documents_with_theme``, ``prevalence`` and ``hits``. ``period`` is ``day``,
    ``week`` or ``month``; when None, the workspace's period as ``opinion export`` uses it
    (:func:`opinion.topics.settings.workspace_period`: the export's ``--period``, else the topics', else
    the one of the date range). A prepare that was interrupted, or that has not seen every
    part loaded as the workspace holds it now, is refused with the command to run
    (:func:`opinion.engine.runner.require_finished`), not counted as the whole corpus.
    """
    from opinion.engine.runner import require_finished
    from opinion.schema import DOC_ID, PREPARED, PREVALENCE, PUBLISHED_AT, THEME_PREFIX

    check_period(period)
    ws = ws if isinstance(ws, Workspace) else Workspace.open(ws)
    require_finished(ws, PREPARED)  # not a killed prepare's parts, nor a corpus loaded since
    prepared = ws.read(PREPARED)
    columns = [c for c in prepared.columns if c.startswith(THEME_PREFIX)]
    dates = ws.read("corpus", columns=[DOC_ID, PUBLISHED_AT])
    frame = prepared[[DOC_ID, *columns]].merge(dates, on=DOC_ID, how="left")
    stamps = pd.to_datetime(frame[PUBLISHED_AT], errors="coerce")
    if stamps.notna().any():
        labels = period_label(stamps, period or workspace_period(ws)).astype("string")
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
    out[PREVALENCE] = (out["documents_with_theme"] / out["documents"]).round(4)
    return out[["period", "theme", "documents", "documents_with_theme", PREVALENCE, "hits"]]


# --- checking precision ----------------------------------------------------------------
SAMPLE_COLUMNS = ["doc_id", "hits", "terms", "text"]


def theme_sample(ws: Workspace | str | Path, theme: str, *, n: int = 50, seed: int = 0,
                 include_flagged: bool = False, script: str | None = None) -> tuple[pd.DataFrame, int]:
    """A seeded random sample of ``n`` documents that count for ``theme``, with the words
    that matched (``terms``: ``"主播×1 下单×2"``), and how many documents count in all.

    ``text`` is the post as written (``text_clean``, in its own script), or shown in
    ``script`` (``zh-Hans``, ``zh-Hant-TW``, ``zh-HK``) with :func:`render_document`, as KWIC
    shows it; :func:`opinion.themes.mark_terms` marks the Simplified terms in it.

    Duplicates (exact and near) and spam are left out unless ``include_flagged``. The
    themes are those the workspace was prepared with (``prepare --themes`` files included;
    a file edited since is refused: :func:`prepared_themes`).
    """
    from opinion.engine.runner import require_finished
    from opinion.flags import kept_mask
    from opinion.schema import DOC_ID, PREPARED, SCRIPT, TEXT_CLEAN, TEXT_NORM, TOKENS
    from opinion.text.script import check_target, render_document

    if script is not None:
        check_target(script)
    ws = ws if isinstance(ws, Workspace) else Workspace.open(ws)
    require_finished(ws, PREPARED)
    chosen = _prepared_theme(ws, theme)
    column = chosen.column
    hits = []
    for part in ws.parts(PREPARED):
        frame = ws.read_part(PREPARED, part, columns=[DOC_ID, column])
        keep = (frame[column] > 0).to_numpy() & kept_mask(ws, part, frame[DOC_ID],
                                                           include_flagged=include_flagged)
        hits.append(frame.loc[keep, [DOC_ID, column]].assign(part=part))
    found = pd.concat(hits, ignore_index=True) if hits else pd.DataFrame(columns=[DOC_ID, column, "part"])
    picked = found.sample(n=min(n, len(found)), random_state=seed) if len(found) else found
    rows = []
    for part, group in picked.groupby("part", sort=True):
        wanted = set(group[DOC_ID])
        frame = ws.read_part(PREPARED, part, columns=[DOC_ID, TEXT_CLEAN, SCRIPT, TEXT_NORM, TOKENS])
        frame = frame[frame[DOC_ID].isin(wanted)]
        for doc_id, clean, written, norm, tokens in zip(frame[DOC_ID], frame[TEXT_CLEAN], frame[SCRIPT],
                                                        frame[TEXT_NORM], frame[TOKENS]):
            terms = chosen.matched_terms(list(tokens) if tokens is not None else [], norm or "")
            clean = clean if isinstance(clean, str) else ""
            shown = clean if script is None else render_document(clean, written, script)
            rows.append({"doc_id": doc_id, "terms": " ".join(f"{t}×{k}" for t, k in terms.items()),
                         "text": shown})
    out = pd.DataFrame(rows, columns=["doc_id", "terms", "text"])
    out = picked[[DOC_ID, column]].rename(columns={column: "hits"}).merge(out, on=DOC_ID, how="left")
    return out[SAMPLE_COLUMNS].reset_index(drop=True), len(found)


def prepared_themes(ws: Workspace) -> list[Theme]:
    """The themes the workspace was prepared with (``prepare --themes`` files included); a
    theme file edited or removed since gives one line naming it and ``opinion prepare``
    (:func:`opinion.prepare.check_theme_files`), not lexicons that disagree with the columns."""
    from opinion.prepare import check_theme_files
    from opinion.topics.fit import prepare_settings

    files = prepare_settings(ws).theme_files
    check_theme_files(ws, files)
    return load_themes(files)


def _prepared_theme(ws: Workspace, theme: str) -> Theme:
    """The theme named ``theme`` among those the workspace was prepared with: the exact name
    first, then :func:`~opinion.themes.theme_key` (either script since 2026-12-07, any Latin case
    since 2026-12-08)."""
    themes = prepared_themes(ws)
    for candidate in themes:
        if candidate.name == theme.strip():
            return candidate
    for candidate in themes:
        if theme_key(candidate.name) == theme_key(theme):
            return candidate
    raise InputError(f"no theme {theme!r} in {ws.root}; available: {[t.name for t in themes]}")
