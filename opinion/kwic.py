"""Keyword in context: every occurrence of a term with its left and right context.

The search runs on ``text_norm`` (Simplified), so a term written in either script
(``国货`` or ``國貨``) finds the same lines. The lines quote the document as written
(``text_clean``): in the reader's own script verbatim, across scripts converted
(:func:`opinion.text.script.render_document`, whole, then cut: :mod:`opinion.text.pieces`), so a
Taiwanese post's 用戶 stays 用戶.

Example:
    >>> kwic("runs/demo", "國貨", width=8, script="zh-HK").head(1)  # doctest: +SKIP
      doc_id published_at      left term     right
    0   seed   2021-10-11  助力經典品牌、老   國貨  實現了生命力的延
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from opinion.errors import InputError
from opinion.io.workspace import Workspace
from opinion.schema import (
    CORPUS,
    DOC_ID,
    PREPARED,
    PUBLISHED_AT,
    SCRIPT,
    TEXT_CLEAN,
    TEXT_NORM,
    THEME_PREFIX,
    TOKENS,
    theme_column,
)
from opinion.text.clean import narrow_width, normalize_for_analysis
from opinion.text.pieces import render_pieces
from opinion.text.script import HANS, MIXED, aligned_simplified, check_target, to_analysis

KWIC_COLUMNS = [DOC_ID, PUBLISHED_AT, "left", "term", "right"]
_NEWLINES = re.compile(r"\s*\n\s*")


def any_case(term: str) -> bool:
    """Latin letters match in any case (SARS, sars; N95, n95), as writers of Chinese mix them."""
    return any(c.isascii() and c.isalpha() for c in term)


def _holds_token(tokens: list[str], needle: str, fold: bool) -> bool:
    return needle.lower() in {t.lower() for t in tokens} if fold else needle in set(tokens)


def kwic_lines(doc_id: str, text: str, term: str, *, width: int = 20) -> list[dict]:
    """Occurrences of ``term`` in ``text`` (Latin letters in any case), each quoted as written:
    ``[{"doc_id", "left", "term", "right", "start"}, ...]``."""
    rows = []
    flags = re.IGNORECASE if any_case(term) else 0
    for found in re.finditer(re.escape(term), text, flags):
        start, end = found.span()
        left = _NEWLINES.sub(" ", text[max(0, start - width):start])
        right = _NEWLINES.sub(" ", text[end:end + width])
        rows.append({DOC_ID: doc_id, "left": left, "term": found.group(), "right": right, "start": start})
    return rows


def _count(text: str, needle: str) -> int:
    """Occurrences of ``needle`` in ``text`` as :func:`kwic_lines` finds them (Latin letters in any case)."""
    return len(re.findall(re.escape(needle), text, re.IGNORECASE if any_case(needle) else 0))


def document_lines(doc_id: str, text_clean: str, script: str | None, needle: str, *,
                   width: int = 20, target: str = "zh-Hans", text_norm: str | None = None) -> list[dict]:
    """KWIC lines of the Simplified ``needle`` in one document, quoted from ``text_clean``
    (the document as written, in ``script``) and shown in ``target``.

    Occurrences are found in a Simplified copy of ``text_clean`` that keeps its character
    positions (:func:`aligned_simplified`); the document is converted whole and then cut
    (:func:`render_pieces`), so a word cut at a line's edge keeps its conversion (中醫藥干|預,
    世界著|名). A Simplified post that quotes a Traditional form (``City(武漢)挺住``) is searched
    with its Traditional characters converted too, when that finds more. When the needle is only in the analysis text (``text_norm`` cut a run such as
    哈哈哈哈), the lines come from ``text_norm``.
    Example: ``document_lines("d", "台北的用戶說", "zh-Hant", "用户", width=3,
    target="zh-Hant-TW")`` gives left ``台北的``, term ``用戶``, right ``說``.
    """
    text_clean = text_clean if isinstance(text_clean, str) else ""
    key = narrow_width(aligned_simplified(text_clean, script)) if text_clean else ""
    spans = kwic_lines(doc_id, key, needle, width=width)
    if text_norm and script != MIXED and len(spans) < _count(text_norm, needle):
        # a Simplified post quoting a Traditional form (City(武漢), #武漢肺炎#): look in a copy
        # with every Traditional character converted, as text_norm was made
        mixed = kwic_lines(doc_id, narrow_width(aligned_simplified(text_clean, MIXED)), needle, width=width)
        spans = mixed if len(mixed) > len(spans) else spans
    quoted, quoted_script = text_clean, script
    if not spans and text_norm:
        spans = kwic_lines(doc_id, text_norm, needle, width=width)
        quoted, quoted_script = text_norm, HANS
    cuts = []
    for span in spans:
        start, end = span["start"], span["start"] + len(span["term"])
        cuts += [(max(0, start - width), start), (start, end), (end, end + width)]
    shown = iter(render_pieces(quoted, quoted_script, target, cuts))
    return [{DOC_ID: doc_id, **{column: _NEWLINES.sub(" ", next(shown)) for column in ("left", "term", "right")}}
            for _ in spans]


def kwic(ws: Workspace | str | Path, term: str, *, width: int = 20, theme: str | None = None,
         script: str = "zh-Hans", limit: int = 200, whole_token: bool = False,
         include_flagged: bool = False) -> pd.DataFrame:
    """KWIC lines for ``term`` in a prepared workspace (at most ``limit``).

    ``theme`` keeps documents with at least one hit of that theme; ``script`` is
    ``zh-Hans``, ``zh-Hant-TW`` or ``zh-HK``; ``whole_token`` keeps only documents whose
    tokens hold the term as one token (火神山 after ``opinion newwords --accept 火神山``,
    not 火神 / 山). Latin letters match in any case (``sars`` finds SARS). Exact and near-duplicates and spam (:mod:`opinion.flags`) are left out
    unless ``include_flagged``, so a post copied a hundred times gives one line.
    Columns: doc_id, published_at, left, term, right.
    """
    from opinion.engine.runner import require_finished
    from opinion.flags import kept_mask

    check_target(script)
    if width < 1 or limit < 1:
        raise InputError(f"--width and --limit must be at least 1; got {width} and {limit}")
    needle = normalize_for_analysis(to_analysis(term.strip())) if term else ""
    if not needle:
        raise InputError("the search term is empty; give a word, e.g. opinion kwic 信任 -w WS")
    ws = ws if isinstance(ws, Workspace) else Workspace.open(ws)
    require_finished(ws, PREPARED)  # an interrupted prepare would give the lines of some parts only
    fold = any_case(needle)

    rows: list[dict] = []
    for part in ws.parts(PREPARED):
        columns = [DOC_ID, TEXT_NORM, TEXT_CLEAN, SCRIPT, *([TOKENS] if whole_token else [])]
        if theme is not None:
            columns.append(_theme_column(ws, part, theme))
        frame = ws.read_part(PREPARED, part, columns=columns)
        if theme is not None:
            frame = frame[frame[columns[-1]] > 0]
        frame = frame[frame[TEXT_NORM].str.contains(needle, regex=False, case=not fold, na=False)]
        frame = frame[kept_mask(ws, part, frame[DOC_ID], include_flagged=include_flagged)]
        if whole_token:
            frame = frame[frame[TOKENS].map(lambda tokens: _holds_token(tokens, needle, fold)).astype(bool)]
        for doc_id, norm, clean, doc_script in zip(frame[DOC_ID], frame[TEXT_NORM], frame[TEXT_CLEAN],
                                                   frame[SCRIPT]):
            rows.extend(document_lines(doc_id, clean, doc_script, needle, width=width, target=script,
                                       text_norm=norm))
            if len(rows) >= limit:
                break
        if len(rows) >= limit:
            break
    out = pd.DataFrame(rows[:limit], columns=[DOC_ID, "left", "term", "right"])
    out.insert(1, PUBLISHED_AT, _dates(ws, out[DOC_ID]))
    return out[KWIC_COLUMNS]


def _theme_column(ws: Workspace, part: str, theme: str) -> str:
    import pyarrow.parquet as pq

    from opinion.themes import resolve_theme_name

    names = pq.read_schema(ws.part_path(PREPARED, part)).names
    known = [n[len(THEME_PREFIX):] for n in names if n.startswith(THEME_PREFIX)]
    found = resolve_theme_name(theme, known)  # 国货 finds a user's 國貨, which replaced the built-in
    if found is not None:
        return theme_column(found)
    raise InputError(f"no theme {theme!r} in {ws.root}; available: {known}")


def _dates(ws: Workspace, doc_ids: pd.Series) -> pd.Series:
    if doc_ids.empty or not ws.has(CORPUS):
        return pd.Series(pd.NaT, index=doc_ids.index, dtype="datetime64[ns]")
    dates = ws.read(CORPUS, columns=[DOC_ID, PUBLISHED_AT]).drop_duplicates(DOC_ID)
    mapped = doc_ids.map(dates.set_index(DOC_ID)[PUBLISHED_AT])
    return mapped
