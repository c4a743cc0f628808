"""Keyword in context: every occurrence of a term with its left and right context.

The search runs on ``text_norm`` (Simplified), so a term written in either script
(``国货`` or ``國貨``) finds the same lines. Terms and documents are converted as the
workspace's ``prepare`` made ``text_norm`` (its ``hant``: :func:`workspace_conversion`), so
with ``hant = "tw2sp"`` a Taiwanese 軟體 is found as 软件. The lines quote the document as written
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
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
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
from opinion.text.conversion import analysis_conversion, analysis_hant, find_spans
from opinion.text.pieces import render_pieces
from opinion.text.script import (
    HANS,
    HANT,
    MIXED,
    aligned_simplified,
    check_target,
    render,
    script_evidence,
    to_analysis,
)

KWIC_COLUMNS = [DOC_ID, PUBLISHED_AT, "left", "term", "right"]
_NEWLINES = re.compile(r"\s*\n\s*")
# brackets that mark the match in printed lines, each pair full-width (two columns, as 【】)
MATCH_MARKS = (("【", "】"), ("〖", "〗"), ("〘", "〙"), ("〚", "〛"))


def match_marks(texts: Iterable[str]) -> tuple[str, str]:
    """The first pair of :data:`MATCH_MARKS` that none of ``texts`` (the lines' contexts) holds,
    so a Weibo headline's own 【】 is not taken for the match: ``【买不到 〖口罩〗 ，还能…】``; the
    last pair when every one occurs.

    ``match_marks(["戴口罩"]) == ("【", "】")``, ``match_marks(["【头条】戴口罩"]) == ("〖", "〗")``
    """
    used = set("".join(texts))
    return next((pair for pair in MATCH_MARKS if not used & set(pair)), MATCH_MARKS[-1])


def workspace_hant(ws: Workspace) -> str:
    """The converter ``ws``'s ``prepare`` made ``text_norm`` with (``[prepare] hant``;
    ``"auto"`` before it ran)."""
    from opinion.config import PrepareSettings, stored_settings

    settings = stored_settings(ws, PrepareSettings)
    return settings.hant if settings is not None else "auto"


@contextmanager
def workspace_conversion(ws: Workspace | str | Path) -> Iterator[str]:
    """Within the block, terms and documents are converted to Simplified as ``ws``'s
    ``text_norm`` was (:func:`opinion.text.conversion.analysis_conversion` of
    :func:`workspace_hant`): KWIC, highlights and excerpts of that workspace run inside it.

    ``with workspace_conversion(ws): query_forms("軟體")`` is ``("软件",)`` for ``tw2sp``.
    """
    ws = ws if isinstance(ws, Workspace) else Workspace.open(ws)
    with analysis_conversion(workspace_hant(ws)) as hant:
        yield hant


def query_forms(term: str) -> tuple[str, ...]:
    """The forms a search term takes in ``text_norm``, any of which is a hit: the term made
    as documents are (:func:`to_analysis` with the conversion in effect, then
    :func:`normalize_for_analysis`: ``隨著`` → 随着, ``Ｎ９５`` → N95, ``衞生`` → 卫生). A term
    with no Traditional evidence may be written either way (看著, 「口罩」: Simplified posts
    keep them, a Traditional post holding them gets 看着, “口罩”), so its form in a Traditional
    post is added, and the form a Traditional writer's spelling of it takes (软体 → 軟體 →
    软件 under ``tw2sp``).

    ``query_forms("隨著") == ("随着",)``, ``query_forms("「口罩」") == ("「口罩」", "“口罩”")``
    """
    term = term.strip()
    if not term:
        return ()
    forms = [to_analysis(term)]
    if script_evidence(term)[0] == 0:  # nothing Traditional to go by: both readings
        region = "zh-HK" if analysis_hant() == "hk2s" else "zh-Hant-TW"
        forms += [to_analysis(term, HANT), to_analysis(render(term, region), HANT)]
    return tuple(dict.fromkeys(f for f in map(normalize_for_analysis, forms) if f))


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
    for start, end in find_spans(re.escape(term), text, flags):  # in an aligned key, 博客 is 部落格
        left = _NEWLINES.sub(" ", text[max(0, start - width):start])
        right = _NEWLINES.sub(" ", text[end:end + width])
        rows.append({DOC_ID: doc_id, "left": left, "term": text[start:end], "right": right, "start": start})
    return rows


def _count(text: str, needle: str) -> int:
    """Occurrences of ``needle`` in ``text`` as :func:`kwic_lines` finds them (Latin letters in any case)."""
    return len(re.findall(re.escape(needle), text, re.IGNORECASE if any_case(needle) else 0))


def _located(doc_id: str, text_clean: str, script: str | None, needle: str, *, width: int,
             text_norm: str | None) -> tuple[list[dict], str, str | None]:
    """The occurrences of ``needle`` that :func:`document_lines` quotes, with the text they are
    quoted from and its script (counting them needs no rendering)."""
    text_clean = text_clean if isinstance(text_clean, str) else ""
    key = narrow_width(aligned_simplified(text_clean, script)) if text_clean else ""
    spans = kwic_lines(doc_id, key, needle, width=width)
    if text_norm and script != MIXED and len(spans) < _count(text_norm, needle):
        # a Simplified post quoting a Traditional form (City(武漢), #武漢肺炎#): look in a copy
        # with every Traditional character converted, as text_norm was made
        mixed = kwic_lines(doc_id, narrow_width(aligned_simplified(text_clean, MIXED)), needle, width=width)
        spans = mixed if len(mixed) > len(spans) else spans
    if not spans and text_norm and (not text_clean or script not in (HANT, MIXED)):
        return kwic_lines(doc_id, text_norm, needle, width=width), text_norm, HANS
    return spans, text_clean, script


def document_lines(doc_id: str, text_clean: str, script: str | None, needle: str, *,
                   width: int = 20, target: str = "zh-Hans", text_norm: str | None = None) -> list[dict]:
    """KWIC lines of the Simplified ``needle`` in one document, quoted from ``text_clean``
    (the document as written, in ``script``) and shown in ``target``.

    Occurrences are found in a Simplified copy of ``text_clean`` that keeps its character
    positions (:func:`aligned_simplified`); the document is converted whole and then cut
    (:func:`render_pieces`), so a word cut at a line's edge keeps its conversion (中醫藥干|預,
    世界著|名). A Simplified post that quotes a Traditional form (``City(武漢)挺住``) is searched
    with its Traditional characters converted too, when that finds more. When the needle is
    only in the analysis text of a ``zh-Hans`` document (``text_norm`` cut a run such as
    哈哈哈哈), the lines come from ``text_norm``; a Traditional document is never quoted from
    it, which would put words its author did not write in a quotation. Documents are
    converted as :func:`opinion.text.conversion.analysis_hant` says (:func:`workspace_conversion`).
    Example: ``document_lines("d", "台北的用戶說", "zh-Hant", "用户", width=3,
    target="zh-Hant-TW")`` gives left ``台北的``, term ``用戶``, right ``說``.
    """
    spans, quoted, quoted_script = _located(doc_id, text_clean, script, needle, width=width, text_norm=text_norm)
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
    """KWIC lines for ``term`` in a prepared workspace (at most ``limit``; how many there are
    in all is ``attrs["lines_total"]`` of the frame, so a caller can say "200 of 283").

    ``theme`` keeps documents with at least one hit of that theme; ``script`` is
    ``zh-Hans``, ``zh-Hant-TW`` or ``zh-HK``; ``whole_token`` keeps only documents whose
    tokens hold the term as one token (火神山 after ``opinion newwords --accept 火神山``,
    not 火神 / 山). Latin letters match in any case (``sars`` finds SARS). Exact and near-duplicates and spam (:mod:`opinion.flags`) are left out
    unless ``include_flagged``, so a post copied a hundred times gives one line.
    Columns: doc_id, published_at, left, term, right.
    """
    from opinion.engine.runner import require_finished

    check_target(script)
    if width < 1 or limit < 1:
        raise InputError(f"--width and --limit must be at least 1; got {width} and {limit}")
    ws = ws if isinstance(ws, Workspace) else Workspace.open(ws)
    with workspace_conversion(ws):
        needles = query_forms(term or "")
        if not needles:
            raise InputError("the search term is empty; give a word, e.g. opinion kwic 信任 -w WS")
        require_finished(ws, PREPARED)  # an interrupted prepare would give the lines of some parts only
        rows, total = _rows(ws, needles, width=width, theme=theme, script=script, limit=limit,
                            whole_token=whole_token, include_flagged=include_flagged)
    out = pd.DataFrame(rows[:limit], columns=[DOC_ID, "left", "term", "right"])
    out.insert(1, PUBLISHED_AT, _dates(ws, out[DOC_ID]))
    out = out[KWIC_COLUMNS]
    out.attrs["lines_total"] = total
    return out


def _rows(ws: Workspace, needles: tuple[str, ...], *, width: int, theme: str | None, script: str,
          limit: int, whole_token: bool, include_flagged: bool) -> tuple[list[dict], int]:
    """The KWIC lines of any of ``needles`` (the forms of one term), part by part, up to
    ``limit``, and how many lines there are in all (those past ``limit`` counted in ``text_norm``,
    not located in the document and rendered)."""
    from opinion.flags import kept_mask

    rows: list[dict] = []
    total = 0
    for part in ws.parts(PREPARED):
        columns = [DOC_ID, TEXT_NORM, TEXT_CLEAN, SCRIPT, *([TOKENS] if whole_token else [])]
        if theme is not None:
            columns.append(_theme_column(ws, part, theme))
        frame = ws.read_part(PREPARED, part, columns=columns)
        if theme is not None:
            frame = frame[frame[columns[-1]] > 0]
        holds = pd.Series(False, index=frame.index)
        for needle in needles:
            holds |= frame[TEXT_NORM].str.contains(needle, regex=False, case=not any_case(needle), na=False)
        frame = frame[holds]
        frame = frame[kept_mask(ws, part, frame[DOC_ID], include_flagged=include_flagged)]
        if whole_token:
            frame = frame[frame[TOKENS].map(
                lambda tokens: any(_holds_token(tokens, n, any_case(n)) for n in needles)).astype(bool)]
        for doc_id, norm, clean, doc_script in zip(frame[DOC_ID], frame[TEXT_NORM], frame[TEXT_CLEAN],
                                                   frame[SCRIPT]):
            for needle in needles:
                if len(rows) < limit:
                    lines = document_lines(doc_id, clean, doc_script, needle, width=width, target=script,
                                           text_norm=norm)
                    rows.extend(lines)
                    total += len(lines)
                else:  # past the limit: counted in the analysis text, not located and converted
                    total += _count(norm, needle) if isinstance(norm, str) else 0  # (located: 10-20 s on 620k)
    return rows, total


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
