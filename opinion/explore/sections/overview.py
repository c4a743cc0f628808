"""Overview: documents, date range, sources, script mix, duplicates, rejects, documents per day."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from opinion import schema as S
from opinion.explore.data import ExploreStore
from opinion.explore.facts import NO_SOURCE
from opinion.explore.widgets import cached, missing, table

SCRIPT_NAMES = {"zh-Hans": "简体", "zh-Hant": "繁體", "mixed": "混合 mixed", "none": "无中文 none"}


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


def per_period_spec(period: str) -> dict:
    """Vega-Lite bars of documents per ``period`` (columns ``period``, ``end``, ``documents``).

    Drawn with Streamlit's built-in Vega-Lite, which the browser loads far faster than Plotly
    (docs/explorer.md, Speed); each bar spans its day, week or month.
    """
    date_format = "%Y-%m" if period == "month" else "%m-%d"
    return {"title": f"Documents per {period}", "height": 300,
            "mark": {"type": "bar", "tooltip": True, "stroke": "white", "strokeWidth": 0.5},
            "encoding": {"x": {"field": "period", "type": "temporal", "title": None,
                               "axis": {"format": date_format, "labelAngle": 0}},
                         "x2": {"field": "end"},
                         "y": {"field": "documents", "type": "quantitative", "title": "documents"},
                         "y2": {"datum": 0}}}


def period_bars(per_period: pd.DataFrame, period: str) -> pd.DataFrame:
    """``per_period`` (``period``, ``documents``) with each bar's ``end``: the next day, week or month."""
    step = {"day": pd.DateOffset(days=1), "week": pd.DateOffset(weeks=1), "month": pd.DateOffset(months=1)}
    return per_period.assign(end=pd.to_datetime(per_period["period"]) + step[period])


def render_overview(store: ExploreStore, *, script: str, key: str = "overview") -> None:
    """Cards for the corpus, documents per day, and the source and script tables.

    Example: 55 documents, 2020-01-24 → 2020-04-01, 3 sources, 2 duplicates.
    """
    facts = cached(store, "overview")
    cards = st.columns([1.3, 1.6, 1.6, 1, 1.3, 1.1])
    cards[0].metric("Documents", f"{facts['documents']:,}")
    cards[1].metric("First day", _day(facts["first"]))
    cards[2].metric("Last day", _day(facts["last"]))
    cards[3].metric("Sources", facts["sources"],
                    help=f"A document without a source counts under its input file's name, or {NO_SOURCE}.")
    cards[4].metric("Duplicates", f"{facts['duplicates']:,}",
                    help=f"Exact and near-duplicates (copies of an earlier post); spam posts: "
                         f"{facts.get('spam', 0):,}. Lists leave both out unless asked.")
    rejects = facts["rejects"]
    cards[5].metric("Rejected rows", "—" if rejects is None else f"{rejects:,}",
                    help="Rows in rejects.csv that could not be loaded (file, row and reason).")
    per_period = cached(store, "per_period")
    if per_period.empty:
        st.info("No document has a date, so there is no timeline: load with `--date-col COLUMN` "
                "or `--date-from-filename`.", icon=":material/calendar_today:")
    else:
        st.vega_lite_chart(period_bars(per_period, store.period), per_period_spec(store.period),
                           key=f"{key}_per_day")
    left, right = st.columns(2)
    with left:
        st.subheader("Sources")
        table(cached(store, "counts_by", S.SOURCE), name="sources", key=f"{key}_sources", script=script)
    with right:
        st.subheader("Script mix")
        if not missing(store, S.PREPARED):
            mix = cached(store, "counts_by", S.SCRIPT)
            mix = mix.assign(name=mix[S.SCRIPT].map(SCRIPT_NAMES))
            table(mix, name="script_mix", key=f"{key}_scripts", script=script)
    for name in (S.SENTIMENT, S.TOPICS):
        missing(store, name)
    _report_download(store, script=script, key=key)


def build_report_html(root: str, script: str) -> bytes:
    """The workspace's HTML report (``opinion export --format html``), built into a temp folder."""
    import tempfile

    from opinion.report import export_workspace

    with tempfile.TemporaryDirectory(prefix="opinion-report-") as out:
        (path,) = export_workspace(root, out, formats=("html",), script=script, remember=False)
        return path.read_bytes()


def _report_download(store: ExploreStore, *, script: str, key: str) -> None:
    """Download the HTML report in the chosen script; it is built when the button is clicked."""
    if not store.has(S.TOPICS):
        return
    root = str(store.root)
    st.download_button("HTML report", data=lambda: build_report_html(root, script),
                       file_name=f"report-{script}.html", mime="text/html", key=f"{key}_report",
                       icon=":material/description:", help="The report of `opinion export`, in this script.")
