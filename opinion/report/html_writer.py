"""HTML export: ``report.html``, one self-contained file that opens without a network.

The page holds an overview, the topic table, topic trends, sentiment by topic, theme
trends, sources and the run table. Charts are Plotly figures whose JavaScript is inlined
once; styles are inline; nothing is loaded from a URL. Every text from the corpus is
HTML-escaped (:func:`opinion.io.safety.html_cell`, a leading ``= + - @`` as a character
reference) and every chart label, legend and hover text is made inert for Plotly
(:func:`opinion.io.safety.plot_text`, in :mod:`opinion.report.charts`). The fonts are a CJK stack for the reader's script, and a print stylesheet
lays the report out on A4.

Example:
    >>> write_html(build_tables(ws), Path("report/report.html"), script="zh-Hans")  # doctest: +SKIP
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from opinion.i18n import text
from opinion.io.atomic import write_text_atomic
from opinion.io.safety import html_cell
from opinion.report.charts import CHARTS, font_stack
from opinion.report.display import CODE_SPAN, SPARKS, format_value
from opinion.report.sections import Section, reader_tables, report_sections

FOLD_ROWS = 20  # a longer table (but the topic table) is folded in a <details>
UNFOLDED = ("overview", "topics", "run")  # sections whose tables always show (the run summary)
PLOTLY_CONFIG = {"displaylogo": False, "responsive": True,
                 "modeBarButtonsToRemove": ["select2d", "lasso2d"]}
_NUMERIC_CHARS = set("0123456789.,%+-−–∞ ")
_SPARK_CHARS = frozenset(SPARKS + "·")

CSS = """
:root { --ink: #1f2933; --muted: #616e7c; --line: #d9e2ec; --head: #f0f4f8; --accent: #1f5fa8; }
* { box-sizing: border-box; }
body { font-family: FONT_STACK; color: var(--ink); margin: 0; line-height: 1.55;
       font-size: 14px; background: #fff; }
header { padding: 24px 32px 12px; border-bottom: 3px solid var(--accent); }
h1 { margin: 0 0 4px; font-size: 26px; }
.meta { color: var(--muted); margin: 0; font-size: 13px; }
nav { margin-top: 10px; }
nav a { color: var(--accent); margin-right: 14px; text-decoration: none; font-size: 13px; }
main { padding: 8px 32px 40px; max-width: 1400px; margin: 0 auto; }
header > * { max-width: 1336px; margin-left: auto; margin-right: auto; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(560px, 1fr)); gap: 0 16px; }
.charts .wide { grid-column: 1 / -1; }
.charts .cell { min-width: 0; }
details.table { margin: 6px 0 12px; }
details.table > summary, td details > summary { cursor: pointer; color: var(--accent); }
td details ul { margin: 4px 0 0; padding-left: 18px; }
td details li { margin-bottom: 4px; }
section { margin-top: 28px; }
h2 { font-size: 20px; border-left: 4px solid var(--accent); padding-left: 10px; margin: 0 0 8px; }
h3 { font-size: 15px; margin: 16px 0 6px; }
.note { color: var(--muted); margin: 4px 0 10px; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; font-size: 13px; margin: 6px 0 12px; }
th, td { border: 1px solid var(--line); padding: 4px 8px; vertical-align: top; text-align: left; }
td { white-space: nowrap; }  /* short cells (趋势 ↑ 上升) stay on one line; .mid and .long wrap */
td .mid, td .long { white-space: normal; }
th { background: var(--head); font-weight: 600; white-space: nowrap; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td .long { width: 26em; }
td .mid { min-width: 11em; max-width: 18em; overflow-wrap: anywhere; }
td .posts { min-width: 8em; max-width: 40em; white-space: normal; }
tr:nth-child(even) td { background: #fafcfe; }
.chart { margin: 8px 0 12px; border: 1px solid var(--line); border-radius: 4px; }
.clouds { display: flex; flex-wrap: wrap; gap: 12px; }
.cloud { margin: 0; border: 1px solid var(--line); border-radius: 4px; }
.cloud img { display: block; width: 320px; height: auto; }
.cloud figcaption { font-size: 12px; color: var(--muted); padding: 2px 6px; }
@media print {
  @page { size: A4; margin: 12mm; }
  body { font-size: 10pt; }
  header { padding: 0 0 6px; }
  nav, .modebar-container { display: none !important; }
  .charts { display: block; }
  details > *:not(summary) { display: block; }
  main { padding: 0; max-width: none; }
  .table-wrap { overflow: visible; }
  table { font-size: 8.5pt; }
  th { white-space: normal; }
  th, td { padding: 2px 4px; }
  td .long { width: 13em; }
  td .mid { min-width: 4em; max-width: 8em; }
  thead { display: table-header-group; }
  tr, .chart { break-inside: avoid; page-break-inside: avoid; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  section { break-before: auto; }
}
"""


# Fit the charts to their cells once the page is read, and to the paper width when printing (and
# back to the window afterwards). Each chart is drawn by a script right after its cell, while the
# cell beside it is not parsed yet: the grid gave the first chart of a pair the whole row, and it
# stayed 1,334 px wide in a 660 px cell, under its neighbour (a new user's report, 2026-12-08).
PRINT_RESIZE = """<script>
(function () {
  function fit() { document.querySelectorAll(".js-plotly-plot").forEach(function (p) { Plotly.Plots.resize(p); }); }
  window.addEventListener("load", fit);
  window.addEventListener("beforeprint", fit);
  window.addEventListener("afterprint", fit);
})();
</script>
"""


def html_table(df: pd.DataFrame, *, posts_label: Callable[[int], str] = "{} posts".format) -> str:
    """An escaped HTML table; number cells are right-aligned, long texts wrap, and a cell
    holding a list (a topic's example posts) is folded in a ``<details>`` titled ``posts_label(n)``."""
    if df.empty:
        return ""
    head = "".join(f"<th>{html_cell(c)}</th>" for c in df.columns)
    rows = []
    for row in df.itertuples(index=False):
        cells = []
        for value in row:
            if isinstance(value, list) and value:  # a topic's example posts: folded, one line each
                items = "".join(f"<li>{html_cell(v)}</li>" for v in value)
                cells.append(f'<td><div class="posts"><details><summary>{html.escape(posts_label(len(value)))}'
                             f"</summary><ul>{items}</ul></details></div></td>")
                continue
            text = value if isinstance(value, str) else ""
            kind = ("num" if text and set(text) <= _NUMERIC_CHARS
                    else "" if set(text) <= _SPARK_CHARS  # a whole-span line stays on one line
                    else "long" if isinstance(value, list) or len(text) > 80
                    else "mid" if len(text) > 12 else "")
            if kind == "num":
                cells.append(f'<td class="num">{html_cell(value)}</td>')
            elif kind:  # a sized box inside the cell: browsers ignore widths on cells
                cells.append(f'<td><div class="{kind}">{html_cell(value)}</div></td>')
            else:
                cells.append(f"<td>{html_cell(value)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (f'<div class="table-wrap"><table><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table></div>")


class _ChartRenderer:
    """Figures as HTML; Plotly's JavaScript is inlined with the first one only. Each chart's
    ``<div>`` gets the id ``div_id`` (``chart-themes-2``) instead of Plotly's random one, so the
    same workspace gives the same page (only the generation time differs)."""

    def __init__(self) -> None:
        self.script_included = False

    def __call__(self, fig: Any, div_id: str) -> str:
        div = fig.to_html(full_html=False, include_plotlyjs=not self.script_included,
                          config=PLOTLY_CONFIG, default_width="100%", div_id=div_id)
        self.script_included = True
        return f'<div class="chart">{div}</div>'


def _section_html(section: Section, tables: dict[str, pd.DataFrame], script: str,
                  chart: _ChartRenderer, clouds: str = "", lang: str = "zh") -> str:
    """A section: its charts side by side (two columns on a wide screen), then its tables; a
    long table other than the topic table and the run summary is folded (``<details>``), and
    so is the section's appendix (the whole run table), so the page stays short."""
    parts = [f'<section id="{section.key}"><h2>{html.escape(section.title)}</h2>']
    if section.note:
        note = CODE_SPAN.sub(r"<code>\1</code>", html_cell(section.note))  # `opinion run` as code
        parts.append(f'<p class="note">{note}</p>')
    figures = [fig for fig in (make(tables, script=script, lang=lang) for make in CHARTS.get(section.key, ()))
               if fig is not None]
    if figures:
        wide = ' wide' if len(figures) == 1 else ''
        parts.append('<div class="charts">' + "".join(f'<div class="cell{wide}">{chart(fig, f"chart-{section.key}-{n}")}</div>'
                                                      for n, fig in enumerate(figures, start=1)) + "</div>")
    posts = lambda n: text("report.post" if n == 1 else "report.posts", script, lang=lang, n=n)  # noqa: E731
    shown = [(caption, table, False) for caption, table in section.tables]
    for caption, table, folded in shown + [(caption, table, True) for caption, table in section.appendix]:
        body = html_table(table, posts_label=posts) or \
            f'<p class="note">{html.escape(text("report.no_data", script, lang=lang))}</p>'
        if not folded and (section.key in UNFOLDED or len(table) <= FOLD_ROWS):
            if caption:
                parts.append(f"<h3>{html_cell(caption)}</h3>")
            parts.append(body)
        else:
            summary = html_cell(caption) + " · " if caption else ""
            rows = html.escape(text("report.rows", script, lang=lang, n=len(table)))
            parts.append(f'<details class="table"><summary>{summary}{rows}</summary>{body}</details>')
    if section.key == "keywords" and clouds:
        parts.append(f'<details class="table"><summary>{html.escape(text("report.clouds", script, lang=lang))}'
                     f"</summary>{clouds}</details>")  # folded: a cloud per period is a page of images
    parts.append("</section>")
    return "\n".join(parts)


def html_report(tables: dict[str, pd.DataFrame], *, script: str,
                clouds: Sequence[tuple[str, bytes]] = (), lang: str = "zh") -> str:
    """The whole report as one HTML document, headed in ``lang`` (``zh`` in ``script``, or
    ``en``); ``clouds`` are ``(caption, PNG)`` word clouds."""
    from opinion.words.report import clouds_html

    tables = reader_tables(tables, script=script, lang=lang)  # the charts name rows as the tables do
    run = tables["run"]
    generated = run.loc[(run["section"] == "export") & (run["key"] == "generated_at"), "value"]
    title = text("report.title", script, lang=lang)
    sections = report_sections(tables, script=script, lang=lang)
    chart = _ChartRenderer()
    cloud_html = clouds_html(list(clouds))
    body = "\n".join(_section_html(s, tables, script, chart, cloud_html, lang) for s in sections)
    nav = "".join(f'<a href="#{s.key}">{html.escape(s.title)}</a>' for s in sections)
    meta = text("report.generated_one" if len(tables["documents"]) == 1 else "report.generated", script,
                lang=lang, n=len(tables["documents"]),
                at=format_value(generated.iloc[0]) if len(generated) else "")
    return (f'<!DOCTYPE html>\n<html lang="{script if lang == "zh" else lang}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{html.escape(title)}</title>\n"
            f"<style>{CSS.replace('FONT_STACK', font_stack(script))}</style>\n</head>\n<body>\n"
            f'<header><h1>{html.escape(title)}</h1><p class="meta">{html.escape(meta)}</p>'
            f"<nav>{nav}</nav></header>\n<main>\n{body}\n</main>\n"
            f"{PRINT_RESIZE if chart.script_included else ''}</body>\n</html>\n")


def write_html(tables: dict[str, pd.DataFrame], path: Path, *, script: str,
               clouds: Sequence[tuple[str, bytes]] = (), lang: str = "zh") -> Path:
    """Write ``report.html`` atomically."""
    write_text_atomic(path, html_report(tables, script=script, clouds=clouds, lang=lang))
    return Path(path)
