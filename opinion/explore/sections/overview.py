"""Overview: documents, date range, sources, duplicates and spam, rejects, script mix, documents per day."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from opinion import schema as S
from opinion.explore.data import ExploreStore
from opinion.explore.facts import NO_SOURCE
from opinion.explore.widgets import cached, first_missing, language, missing, table, tr

SCRIPT_NAMES = {"zh-Hans": "简体", "zh-Hant": "繁體"}  # mixed, none: in the interface language


def _day(value: object) -> str:
    return "—" if value is None or pd.isna(value) else pd.Timestamp(value).date().isoformat()


def warm_overview(store: ExploreStore) -> None:
    """Run the Overview's queries into the cache (``opinion explore`` calls it before the
    first page view, so that view only draws)."""
    cached(store, "overview")
    cached(store, "per_period")
    cached(store, "counts_by", S.SOURCE)
    if store.has(S.PREPARED):
        cached(store, "counts_by", S.SCRIPT)


def per_period_spec(period: str, *, title: str | None = None, y_title: str = "documents") -> dict:
    """Vega-Lite bars of documents per ``period`` (columns ``period``, ``end``, ``documents``),
    titled ``title`` (default ``Documents per {period}``) with the count axis ``y_title``.

    Drawn with Streamlit's built-in Vega-Lite, which the browser loads far faster than Plotly
    (docs/explorer.md, Speed); each bar spans its day, week or month.
    """
    date_format = "%Y-%m" if period == "month" else "%m-%d"
    return {"title": title or f"Documents per {period}", "height": 300,
            "mark": {"type": "bar", "tooltip": True, "stroke": "white", "strokeWidth": 0.5},
            "encoding": {"x": {"field": "period", "type": "temporal", "title": None,
                               "axis": {"format": date_format, "labelAngle": 0}},
                         "x2": {"field": "end"},
                         "y": {"field": "documents", "type": "quantitative", "title": y_title},
                         "y2": {"datum": 0}}}


def period_bars(per_period: pd.DataFrame, period: str) -> pd.DataFrame:
    """``per_period`` (``period``, ``documents``) with each bar's ``end``: the next day, week or month."""
    step = {"day": pd.DateOffset(days=1), "week": pd.DateOffset(weeks=1), "month": pd.DateOffset(months=1)}
    return per_period.assign(end=pd.to_datetime(per_period["period"]) + step[period])


def render_overview(store: ExploreStore, *, script: str, key: str = "overview") -> None:
    """Cards for the corpus, documents per day, and the source and script tables.

    Example: 55 documents, 2020-01-24 → 2020-04-01, 3 sources, 2 exact duplicates.
    """
    facts = cached(store, "overview")
    cards = st.columns(4)
    cards[0].metric(tr("overview.documents", script), f"{facts['documents']:,}")
    cards[1].metric(tr("overview.first", script), _day(facts["first"]))
    cards[2].metric(tr("overview.last", script), _day(facts["last"]))
    cards[3].metric(tr("overview.sources", script), facts["sources"],
                    help=tr("overview.sources_help", script, none=NO_SOURCE))
    cards = st.columns(4)  # the report's figures, under the report's names (opinion.flagged)
    for card, name in zip(cards, ("duplicates", "near_duplicates", "spam")):
        value = facts[name]
        card.metric(tr(f"flags.{name}", script), "—" if value is None else f"{value:,}",
                    help=tr(f"flags.{name}_help", script) if value is not None
                    else tr("flags.not_flagged", script, root=store.root))
    rejects = facts["rejects"]
    cards[3].metric(tr("overview.rejects", script), "—" if rejects is None else f"{rejects:,}",
                    help=tr("overview.rejects_help", script))
    per_period = cached(store, "per_period")
    if per_period.empty:
        st.info(tr("overview.no_dates", script), icon=":material/calendar_today:")
    else:
        spec = per_period_spec(store.period, y_title=tr("topics.documents", script),
                               title=tr("overview.per_period", script, unit=tr(f"unit.{store.period}", script)))
        st.vega_lite_chart(period_bars(per_period, store.period), spec, key=f"{key}_per_day")
    left, right = st.columns(2)
    with left:
        st.subheader(tr("overview.sources", script))
        table(cached(store, "counts_by", S.SOURCE), name="sources", key=f"{key}_sources", script=script,
              static=True)
    with right:
        st.subheader(tr("overview.script_mix", script))
        if not missing(store, S.PREPARED, script=script):
            mix = cached(store, "counts_by", S.SCRIPT)
            names = SCRIPT_NAMES | {name: tr(f"overview.script.{name}", script) for name in ("mixed", "none")}
            mix = mix.assign(script_name=mix[S.SCRIPT].map(names))[[S.SCRIPT, "script_name", "documents"]]
            table(mix, name="script_mix", key=f"{key}_scripts", script=script,  # the download keeps the codes
                  column_config={S.SCRIPT: None}, static=True)  # the name only: 简体, not zh-Hans
    for name in (S.SENTIMENT, S.TOPICS):
        if first_missing(store, name) != S.PREPARED:  # the script mix says `opinion prepare` already
            missing(store, name, script=script)
    _report_download(store, script=script, key=key)


def build_report_html(root: str, script: str, lang: str = "zh") -> bytes:
    """The workspace's HTML report (``opinion export --format html``) in ``script`` and ``lang``,
    built into a temp folder."""
    import tempfile

    from opinion.report import export_workspace

    with tempfile.TemporaryDirectory(prefix="opinion-report-") as out:
        (path,) = export_workspace(root, out, formats=("html",), script=script, lang=lang,
                                       remember=False)
        return path.read_bytes()


def _report_download(store: ExploreStore, *, script: str, key: str) -> None:
    """Download the HTML report in the chosen script; it is built when the button is clicked.

    On a workspace whose stages are behind its data the export refuses, and a refusal inside
    the button's callback reaches the browser only as "Failed to generate file": the button
    is shown disabled then, with the commands that bring the stages up to date as its help.
    """
    from opinion.io.info import stages_to_rerun
    from opinion.io.workspace import Workspace

    if not store.has(S.TOPICS):
        return
    root, lang = str(store.root), language()
    late = stages_to_rerun(Workspace.open(root))
    hint = (tr("app.behind", script, commands=", ".join(f"`{c}`" for c in late)) if late
            else tr("overview.report_help", script))
    name = f"report-{script}.html" if lang == "zh" else f"report-{lang}.html"
    st.download_button(tr("overview.report", script), data=lambda: build_report_html(root, script, lang),
                       file_name=name, mime="text/html", key=f"{key}_report", disabled=bool(late),
                       icon=":material/description:", help=hint)
