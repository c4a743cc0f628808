"""What the exported report shows of words: keywords per period and word clouds.

``opinion export`` adds the table ``keywords_by_period`` (CSV, an XLSX sheet, and a
keywords section in Markdown and HTML, from :func:`keywords_for_export`) and, in
``report.html``, word clouds of all documents and of each period, topic and theme
(:func:`cloud_images`, PNG inlined as ``data:`` URLs so the file stays self-contained).
The word counts of the three groupings are made in one pass over the tokens and kept in
``WS/words/`` (:mod:`opinion.words.store`), so a second export counts nothing.

Example:
    >>> keywords_for_export(ws, period="week", script="zh-HK").head(2)  # doctest: +SKIP
"""

from __future__ import annotations

import base64
import html
from pathlib import Path

import pandas as pd

from opinion import schema as S
from opinion.io.workspace import Workspace
from opinion.words.groups import top_words, without_words
from opinion.words.keywords import KeywordSettings, keywords

EXPORT_TOP = 20  # keywords per period in the exported table
MAX_CLOUDS = 12  # period clouds in report.html (the periods with the most documents)
MAX_GROUP_CLOUDS = 8  # topic clouds and theme clouds in report.html (the largest)
REPORT_CLOUD = dict(width=640, height=320, max_words=80)


def report_groupings(ws: Workspace) -> tuple[str, ...]:
    """The groupings the report shows: periods, and topics and themes when the workspace has them."""
    from opinion.words.groups import theme_names

    bys = ["period"]
    if ws.has(S.TOPIC_DOCS):
        bys.append("topic")
    if theme_names(ws):
        bys.append("theme")
    return tuple(bys)


def _report_counts(ws: Workspace, period: str) -> dict:
    """The word counts of every grouping the report shows, counted in one pass (and kept)."""
    from opinion.words.keywords import group_counts_many

    return group_counts_many(ws, bys=report_groupings(ws), settings=KeywordSettings(period=period))


def keywords_for_export(ws: Workspace | str | Path, *, period: str, script: str) -> pd.DataFrame:
    """The keyword table of each period, or an empty table when there is no prepared stage."""
    ws = ws if isinstance(ws, Workspace) else Workspace.open(ws)
    if not ws.has(S.PREPARED):
        return pd.DataFrame(columns=["period", "rank", "word", "count", "docs", "rest_count", "per_10k",
                                     "rest_per_10k", "log_ratio", "g2"])
    _report_counts(ws, period)  # every grouping in one pass: the clouds then read them
    table = keywords(ws, by="period", settings=KeywordSettings(period=period, top=EXPORT_TOP), script=script)
    return table.rename(columns={"group": "period"})


def keywords_without_dates(ws: Workspace | str | Path, *, script: str) -> tuple[str, pd.DataFrame]:
    """For a corpus without dates: ``(by, table)``, the keywords of each source when there are
    two or more, else of each topic (``by`` is ``source``, ``topic``, or ``""`` with an empty
    table when neither has two groups or there is no prepared stage)."""
    ws = ws if isinstance(ws, Workspace) else Workspace.open(ws)
    if not ws.has(S.PREPARED):
        return "", pd.DataFrame()
    sources = ws.read(S.CORPUS, columns=[S.SOURCE])[S.SOURCE].nunique()
    by = "source" if sources >= 2 else "topic" if ws.has(S.TOPIC_DOCS) else ""
    if not by:
        return "", pd.DataFrame()
    return by, keywords(ws, by=by, settings=KeywordSettings(top=EXPORT_TOP), script=script)


def cloud_images(ws: Workspace | str | Path, *, period: str, script: str,
                 lang: str = "zh") -> list[tuple[str, bytes]]:
    """``(caption, PNG)`` of all documents, then of the :data:`MAX_CLOUDS` periods with the most
    documents (in time order), the :data:`MAX_GROUP_CLOUDS` largest topics and the themes;
    ``[]`` when there is no prepared stage or no CJK font. One counting serves every cloud
    and the keyword table. Captions are in ``lang`` (``zh`` in ``script``, or ``en``)."""
    from opinion.i18n import text
    from opinion.text.script import render
    from opinion.words.cloud import CloudSettings, MissingFontError, png_bytes, word_cloud

    ws = ws if isinstance(ws, Workspace) else Workspace.open(ws)
    if not ws.has(S.PREPARED):
        return []
    settings = CloudSettings(width=REPORT_CLOUD["width"], height=REPORT_CLOUD["height"],
                             max_words=REPORT_CLOUD["max_words"])
    top = settings.words_counted
    found = _report_counts(ws, period)
    def shown_words(counts: pd.Series) -> pd.Series:  # everyday words (没有, 真的 …) left out, as everywhere
        return top_words(counts[without_words(counts.index.to_series(), ())], top)  # ties by word: reproducible

    groups = {text("report.all_documents", script, lang=lang): shown_words(found["period"][1])}  # undated too
    for by, message, limit in (("period", "", MAX_CLOUDS), ("topic", "report.cloud.topic", MAX_GROUP_CLOUDS),
                               ("theme", "report.cloud.theme", MAX_GROUP_CLOUDS)):
        if by not in found:
            continue
        counts, _, documents = found[by]
        chosen = sorted(documents, key=lambda g: (-documents[g], g))[:limit]  # ties by name
        for group in sorted(chosen) if by == "period" else chosen:
            words = shown_words(counts[counts["group"] == group].set_index("word")["count"])
            shown = render(str(group), script)
            groups[text(message, script, lang=lang, group=shown) if message else shown] = words
    try:
        return [(caption, png_bytes(word_cloud(counts.to_dict(), script=script, settings=settings)))
                for caption, counts in groups.items() if len(counts)]
    except MissingFontError:
        return []


def clouds_html(images: list[tuple[str, bytes]]) -> str:
    """The clouds as ``<figure>`` elements with inline PNG (each one can be saved as PNG)."""
    figures = []
    for caption, png in images:
        data = base64.b64encode(png).decode("ascii")
        figures.append(f'<figure class="cloud"><img alt="{html.escape(caption)}" src="data:image/png;base64,{data}">'
                       f"<figcaption>{html.escape(caption)}</figcaption></figure>")
    return f'<div class="clouds">{"".join(figures)}</div>' if figures else ""
