"""Pieces every section uses: cached queries, tables with downloads, script rendering.

Query results are cached with ``st.cache_data`` keyed by the workspace path and the
mtimes of its table files (:func:`opinion.explore.facts.workspace_stamp`), so a rerun of a
stage invalidates them and nothing else does. The stamp is taken once a page run
(:func:`current_store`), not once a query.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import threading
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Literal

import pandas as pd
import streamlit as st

from opinion import schema as S
from opinion.explore.data import ExploreStore, SearchPage
from opinion.explore.facts import FactsDB, workspace_stamp
from opinion.explore.text import render, render_label, render_theme
from opinion.io.safety import write_csv_frame
from opinion.report.xlsx_writer import xlsx_bytes
from opinion.topics.skipped import is_topic_table, skipped_text

TEXT_COLUMNS = ("label", "topic_label", "top_terms", "text_norm", "left", "right", "term", "words",
                "parent_label", "child_left_label", "child_right_label")
VALUE_COLUMNS = (S.SENTIMENT_LABEL, S.EMOTION_LABEL)  # stored values shown through opinion.i18n.value_text


@st.cache_resource(max_entries=1, show_spinner=False)  # one workspace per server
def open_store(root: str, stamp: str, _db: FactsDB | None = None) -> ExploreStore:  # noqa: ARG001
    """The store of ``root``, rebuilt when a table file changes (``stamp``, the cache key).

    ``_db`` (not part of the key) is a database already built for this ``root`` and
    ``stamp``, as ``opinion explore`` builds it while the server starts. The texts are
    copied into memory once the first page is drawn (``app.main``).
    """
    store = ExploreStore.open(root, db=_db, texts_in_memory=False)
    store.stamp = stamp  # the key this store is cached under: cached() asks for it again
    return store


def current_store(root: str, script: str = "zh-Hans") -> ExploreStore:
    """The store of ``root`` as it is now, opened under a spinner in the reader's language."""
    with st.spinner(tr("app.opening", script)):
        return open_store(root, workspace_stamp(root))


@st.cache_data(max_entries=512, show_spinner=False)
def _cached_call(root: str, stamp: str, method: str, args: tuple, kwargs: tuple) -> Any:
    return getattr(open_store(root, stamp), method)(*args, **dict(kwargs))


def cached(store: ExploreStore, method: str, *args: Any, **kwargs: Any) -> Any:
    """``store.method(*args, **kwargs)``, cached per workspace state (the store's stamp)."""
    return _cached_call(str(store.root), store.stamp, method, args, tuple(sorted(kwargs.items())))


@st.cache_data(max_entries=256, show_spinner=False)
def _cached_function(root: str, stamp: str, module: str, name: str, args: tuple, kwargs: tuple) -> Any:
    import importlib

    return getattr(importlib.import_module(module), name)(open_store(root, stamp), *args, **dict(kwargs))


def rerun_if_changed(store: ExploreStore) -> None:
    """Rerun the whole page when the workspace changed since ``store`` was opened (a topic edit
    saved in another tab or by the CLI, a stage rerun). A fragment calls it first: it reruns
    with the store of the page's last full run, and a query under that store's stamp would
    rebuild the store from the changed files under the old key (and the rebuilt store, being
    the one cached, would evict the current one)."""
    if workspace_stamp(store.root) != store.stamp:
        st.rerun(scope="app")


PAGED = "_pages_for"  # session_state: {page box key: the list (topic, filters, sort...) its page is of}


def paged(box: Any, label: str, *, key: str, listing: Any, fetch: Callable[[int], SearchPage]) -> SearchPage:
    """The page of a list that the page number box ``key`` (drawn in ``box``: a column) chooses:
    page 1 for a new ``listing`` (another topic, filter, search, sort or page size: the value
    that says which list it is), and the box shows the page listed (page 5 of a list now 2
    pages long lists, and shows, page 2). ``fetch(number)`` returns the page."""
    seen: dict[str, Any] = st.session_state.setdefault(PAGED, {})
    if seen.get(key, listing) != listing:
        st.session_state[key] = 1
    seen[key] = listing
    page = fetch(max(1, int(st.session_state.get(key) or 1)))
    st.session_state[key] = page.page  # set before the box is drawn: it shows the page listed
    box.number_input(label, min_value=1, max_value=page.pages, step=1, key=key)
    return page


SHOWN = "_choices_shown"  # session_state: {widget key: the texts its options were shown as on its last run}
DEFAULTS = ("index", "default")  # the arguments of a first value, left out when the value is set again


def choice(widget: Callable[..., Any], label: str, options: Sequence[Any], *, key: str,
           format_func: Callable[[Any], Any] = str, **kwargs: Any) -> Any:
    """``widget(label, options, key=key, format_func=format_func, **kwargs)``: a radio, selectbox
    or multiselect (``st.radio``, ``cols[0].multiselect``) whose choice survives a change of the
    texts its options are shown as: a 简/繁 or language switch, a renamed topic.

    The options are stable values (ids, keys, stored names) shown through ``format_func``, but
    the browser keeps a choice as the *text* it shows (Streamlit 1.67), as set by the last run
    that sent it: once the texts change it shows no choice, and on the next rerun sends back a
    text that no option has any more, so Streamlit falls back to the first option (nothing, for a
    multiselect) and a filter quietly goes. When the texts differ from the widget's last run, the
    value is therefore set again in ``st.session_state`` before the widget is drawn, which makes
    Streamlit send it to the browser in the new texts. On that run ``index``/``default`` are
    left out: the value set wins over them anyway, and Streamlit would log a warning.
    """
    shown = tuple(str(format_func(option)) for option in options)
    last: dict[str, tuple[str, ...]] = st.session_state.setdefault(SHOWN, {})
    if last.get(key, shown) != shown and key in st.session_state:
        st.session_state[key] = st.session_state[key]
        kwargs = {name: value for name, value in kwargs.items() if name not in DEFAULTS}
    last[key] = shown
    return widget(label, options, key=key, format_func=format_func, **kwargs)


DRAWN = "_ranges_drawn"  # session_state: {date widget key: the default its value was drawn with}


def date_range(widget: Callable[..., Any], label: str, *, default: tuple[dt.date, dt.date], first: dt.date,
               last: dt.date, key: str) -> Any:
    """``widget(label, value=default, min_value=first, max_value=last, key=key)``, a date range
    (``st.date_input``, ``cols[0].date_input``) that follows new data.

    Streamlit keeps a keyed date_input's value when its ``value`` and bounds change, so once a
    new day is loaded an untouched range would still end on the old last day: a filter nobody
    set, which leaves out the new days (and the undated posts). So a value still equal to the
    default it was drawn with moves to the new default (2020-02-01 → 02-20 becomes → 02-21);
    a range the user narrowed stays, cut to the new first and last day.
    """
    drawn: dict[str, tuple[dt.date, dt.date]] = st.session_state.setdefault(DRAWN, {})
    old, kwargs = drawn.get(key), {"value": default}
    if old is not None and old != default and key in st.session_state:
        value = tuple(st.session_state[key] or ())
        kept = tuple(min(max(day, first), last) for day in value)
        crossed = len(kept) == 2 and kept[0] > kept[1]  # the narrowed range lies outside the new days
        st.session_state[key] = default if value == tuple(old) or crossed else kept
        kwargs = {}  # the value set wins; a default as well would only log a warning
    drawn[key] = default
    return widget(label, min_value=first, max_value=last, key=key, **kwargs)


def has_dates(store: ExploreStore) -> bool:
    """Whether any document has a date (else there are no periods to group by)."""
    return not cached(store, "per_period").empty


def cached_query(store: ExploreStore, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """``function(store, *args, **kwargs)`` (a module-level query such as
    :func:`opinion.explore.drill.topic_timeline`), cached per workspace state like :func:`cached`."""
    return _cached_function(str(store.root), store.stamp, function.__module__, function.__name__, args,
                            tuple(sorted(kwargs.items())))


def render_frame(df: pd.DataFrame, script: str) -> pd.DataFrame:
    """A copy of ``df`` with its text columns (labels, terms, texts) in ``script``; the
    documents' own text (``text_clean``) is kept as written in its script, converted across."""
    has_documents = "text_clean" in df.columns and "script" in df.columns
    if df.empty or (script == "zh-Hans" and not has_documents and "theme" not in df.columns):
        return df
    out = df.copy()
    if "theme" in out.columns:  # as its file wrote it, in either script: 國貨 is 国货 in zh-Hans
        out["theme"] = out["theme"].map(lambda v: render_theme(v, script) if isinstance(v, str) else v)
    if has_documents:
        from opinion.text.script import render_document

        out["text_clean"] = [render_document(t, s, script) if isinstance(t, str) else t
                             for t, s in zip(out["text_clean"], out["script"])]
    if script == "zh-Hans":
        return out
    for column in out.columns.intersection(TEXT_COLUMNS):
        out[column] = out[column].map(lambda v: _render_value(v, script))
    return out


def _render_value(value: Any, script: str) -> Any:
    if isinstance(value, str):
        return render_label(value, script) if len(value) < 64 else render(value, script)
    if isinstance(value, (list, tuple)) or hasattr(value, "tolist"):
        return [_render_value(v, script) for v in list(value)]
    return value


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """UTF-8 CSV with a BOM (so spreadsheet programs read Chinese right), written by the
    export's CSV writer: lists joined, formulas neutralised, cells with CR/LF quoted."""
    buffer = io.StringIO()
    write_csv_frame(df, buffer)
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx_bytes(df: pd.DataFrame) -> bytes:
    """One-sheet XLSX (sheet ``data``) written by the export's XLSX writer: cells by type,
    formula-like text kept as text with Excel's quote prefix."""
    return xlsx_bytes({"data": df})


def download_buttons(make_frame: Callable[[], pd.DataFrame], *, name: str, key: str) -> None:
    """CSV and XLSX download buttons; the file is built only when clicked."""
    row = st.container(horizontal=True)
    row.download_button("CSV", data=lambda: to_csv_bytes(make_frame()), file_name=f"{name}.csv",
                         mime="text/csv", key=f"{key}_csv", icon=":material/download:")
    row.download_button("XLSX", data=lambda: to_xlsx_bytes(make_frame()), file_name=f"{name}.xlsx",
                          mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                          key=f"{key}_xlsx", icon=":material/download:")


def table(df: pd.DataFrame, *, name: str, key: str, script: str,
          column_config: dict[str, Any] | None = None, height: int | Literal["auto"] = "auto",
          rendered: bool = False, static: bool = False) -> None:
    """A sortable table in ``script`` with CSV/XLSX downloads of what it shows; the headings and
    the stored values (``negative`` → 负面, :func:`value_tr`) are in the interface language, an
    empty cell shows "—", and the downloads keep the column names and the stored values.
    ``rendered``: the cells are in ``script`` already. ``static``: a plain table (no sorting),
    scrolled past :data:`STATIC_ROWS` rows: a Markdown table, which the browser draws with the
    page's own JavaScript, where the data grid (or ``st.table``) would fetch and run 0.8-1.5 MB
    more before the Overview's first chart (docs/explorer.md).
    Past :data:`STATIC_MAX_ROWS` rows (50,000 CSV or JSON files without a source column are 50,000 sources) the data
    grid draws it anyway: it draws only the rows in view, a static table draws them all."""
    shown = df if rendered else render_frame(df, script)
    config = headed(shown.columns, script, column_config)
    if static and len(shown) <= STATIC_MAX_ROWS:
        frame = static_frame(values_shown(shown, script), config)
        numbers = [column for column, kept in zip(frame.columns, visible(shown.columns, config))
                   if pd.api.types.is_numeric_dtype(shown[kept])]
        box = st.container(height=STATIC_HEIGHT) if len(shown) > STATIC_ROWS else st.container()
        box.markdown(markdown_table(frame, right=numbers))
    else:
        st.dataframe(values_shown(shown, script), hide_index=True, placeholder="—", key=f"{key}_table",
                     column_config=config, height=height)
    download_buttons(lambda: shown, name=name, key=key)


STATIC_ROWS = 10  # a static table longer than this scrolls inside STATIC_HEIGHT pixels
STATIC_HEIGHT = 400
STATIC_MAX_ROWS = 300  # longer "static" tables go to the data grid (see table)


def visible(columns: Iterable[str], config: dict[str, Any]) -> list[str]:
    """``columns`` that ``config`` does not hide (``{"script": None}`` hides ``script``)."""
    return [column for column in columns if not (column in config and config[column] is None)]


def static_frame(df: pd.DataFrame, config: dict[str, Any]) -> pd.DataFrame:
    """``df`` as a static table shows it: columns hidden by ``config`` (``None``) left out, the
    others under their ``label``, numbers with thousands separators, empty cells as "—", and
    text escaped (a static table reads its cells as Markdown: a source named ``![x](URL)``
    would load URL)."""
    from opinion.explore.text import escape_markdown

    kept = visible(df.columns, config)
    out = df[kept].copy()
    for column in kept:
        if pd.api.types.is_integer_dtype(out[column]):
            out[column] = out[column].map("{:,}".format)
        elif not pd.api.types.is_numeric_dtype(out[column]):  # one line each: a table row is a line
            out[column] = out[column].map(lambda v: escape_markdown(" ".join(v.split())) if isinstance(v, str) else v)
    out = out.astype(object).where(out.notna(), "—")
    labels = {column: escape_markdown(config[column]["label"]) for column in kept
              if isinstance(config.get(column), dict) and config[column].get("label")}
    return out.rename(columns=labels)


def markdown_table(frame: pd.DataFrame, *, right: Iterable[str] = ()) -> str:
    """``frame`` as a Markdown table, its cells as they are (escaped by :func:`static_frame`)
    and the columns named in ``right`` aligned right.

    ``markdown_table(pd.DataFrame({"来源": ["weibo"], "文档数": ["1,234"]}), right=["文档数"])``
    → ``"| 来源 | 文档数 |\n| :-- | --: |\n| weibo | 1,234 |"``
    """
    def row(cells: Iterable[object]) -> str:
        return "| " + " | ".join(str(cell) for cell in cells) + " |"

    right = set(right)
    rule = row("--:" if column in right else ":--" for column in frame.columns)
    return "\n".join([row(frame.columns), rule, *(row(cells) for cells in frame.itertuples(index=False))])


def values_shown(df: pd.DataFrame, script: str) -> pd.DataFrame:
    """``df`` with its sentiment and emotion labels in the interface language (``anger`` → 愤怒)."""
    columns = df.columns.intersection(VALUE_COLUMNS)
    if df.empty or columns.empty:
        return df
    return df.assign(**{column: df[column].map(lambda v: value_tr(v, script) if isinstance(v, str) else v)
                        for column in columns})


def headed(columns: Iterable[str], script: str, config: dict[str, Any] | None = None) -> dict[str, Any]:
    """``config`` with each column's heading in the interface language (``size`` → 文档数),
    unless ``config`` names the column itself or hides it (``None``)."""
    from opinion.i18n import column_text

    out = dict(config or {})
    for column in columns:
        heading, given = column_text(str(column), script, lang=language()), out.get(column)
        if heading != column and (column not in out or isinstance(given, dict) and not given.get("label")):
            out[column] = {**(given or {}), "label": heading}
    return out


def language() -> str:
    """The interface language chosen in the sidebar: ``zh`` (default, in the script) or ``en``."""
    return "en" if st.session_state.get("lang") == "en" else "zh"


def tr(message_id: str, script: str, **values: Any) -> str:
    """Interface text ``message_id`` (:mod:`opinion.i18n`) in the chosen language and script."""
    from opinion.i18n import text

    return text(message_id, script, lang=language(), **values)


def value_tr(value: Any, script: str) -> str:
    """A stored value in the interface language (``negative`` → 负面); others as they are."""
    from opinion.i18n import value_text

    return value_text(str(value), script, lang=language())


@functools.cache
def plotly_theme() -> None:
    """Register Streamlit's Plotly theme (the default template of new figures), once.

    Streamlit does it when it is imported, unless Plotly is hidden then, as ``opinion explore``
    does to start sooner; :func:`opinion.explore.app.main` calls this before a section that
    draws Plotly charts makes its figures.
    """
    from streamlit.elements.lib.streamlit_plotly_theme import configure_streamlit_plotly_theme

    configure_streamlit_plotly_theme()


@functools.cache
def plotly_theme_later(after: float) -> None:
    """:func:`plotly_theme` in a background thread ``after`` seconds from now, once per process:
    called after the first page, so Plotly's import (about 0.5 s) neither delays that page nor
    waits for the first Plotly section."""
    timer = threading.Timer(after, plotly_theme)
    timer.daemon = True
    timer.start()


def plotly_chart(figure: Any, *, key: str) -> None:
    """Draw a Plotly ``figure``, its date axes in the interface language (1月24日, not Jan 24:
    :func:`opinion.report.charts.date_axes`, as in the report)."""
    from opinion.report.charts import date_axes

    st.plotly_chart(date_axes(figure, lang=language()), key=key)


def first_missing(store: ExploreStore, *tables: str) -> str:
    """The table to name in "run X first" when one of ``tables`` is missing (``""`` when none
    is): the first missing one, or ``prepared`` when that is missing too and the table comes
    from a later stage (sentiment, topics), which reads it: its command would only fail."""
    absent = store.missing_table(*tables)
    later = absent and S.PRODUCED_BY.get(absent) not in (S.PRODUCED_BY[S.CORPUS], S.PRODUCED_BY[S.PREPARED])
    return S.PREPARED if later and not store.has(S.PREPARED) else absent


def missing(store: ExploreStore, *tables: str, script: str = "zh-Hans") -> bool:
    """Show "run X first" (the first command that can run: :func:`first_missing`) and return
    True when one of ``tables`` is missing."""
    absent = first_missing(store, *tables)
    if absent and store.topics_skipped and is_topic_table(absent):
        st.info(skipped_text(store.topics_skipped, script, lang=language()),  # too few documents
                icon=":material/info:")
    elif absent:
        st.info(tr("app.needs", script, table=absent, command=S.PRODUCED_BY.get(absent, "opinion run"),
                   root=store.root), icon=":material/info:")
    return bool(absent)


def share_format(columns: Iterable[str]) -> dict[str, Any]:
    """Column configs showing ``*share*`` and ``prevalence`` columns as percentages."""
    return {c: st.column_config.NumberColumn(format="percent") for c in columns
            if "share" in c or c == S.PREVALENCE}
