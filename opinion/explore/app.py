"""The explorer page: parse ``--workspace``, draw the sidebar switches and one section.

Run with ``opinion explore -w WS`` (or ``streamlit run app.py -- --workspace WS``). The
workspace comes only from the command line; nothing in the URL can point the page at
another folder. Only the chosen section runs, so a page view costs one section's queries.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import streamlit as st

from opinion.config import export_script
from opinion.errors import OpinionError
from opinion.explore.facts import reading
from opinion.explore.sections import SECTIONS
from opinion.explore.text import SCRIPT_NAMES, script_choices
from opinion.explore.widgets import choice, current_store, plotly_theme, plotly_theme_later, tr
from opinion.i18n import LANGUAGES, text
from opinion.io.info import stages_to_rerun
from opinion.io.workspace import Workspace
from opinion.kwic import workspace_conversion

TEXTS_AFTER = 2.0  # seconds after the first page run: time for the browser to draw it


def parse_workspace(argv: Sequence[str]) -> Path:
    """The ``--workspace``/``-w`` folder given after ``--`` on the streamlit command line."""
    parser = argparse.ArgumentParser(prog="app.py", add_help=False)
    parser.add_argument("--workspace", "-w", type=Path)
    known, _ = parser.parse_known_args(list(argv))
    if known.workspace is None:
        raise OpinionError("no workspace given; start the explorer with: opinion explore -w WORKSPACE")
    return known.workspace.expanduser().resolve()


def url_radio(label: str, options: list[str], *, key: str, format_func: Callable[[str], str],
              horizontal: bool = False) -> str:
    """A radio whose *option* (``Topics``, ``en``), not its shown text, is kept in the URL as
    ``?key=option``, so a shared link opens the same view in any language.

    A new page starts from the URL's option; after that the radio keeps its choice through a
    switch of script or language as every choice widget does (:func:`~opinion.explore.widgets.choice`).
    """
    if key not in st.session_state or st.session_state[key] not in options:
        wanted = st.query_params.get(key)
        st.session_state[key] = wanted if wanted in options else options[0]
    chosen = choice(st.radio, label, options, key=key, format_func=format_func, horizontal=horizontal)
    if chosen == options[0]:
        st.query_params.pop(key, None)  # the default keeps the URL clean
    else:
        st.query_params[key] = chosen
    return chosen


def sidebar_ui(first_script: str | None = None) -> tuple[str, str]:
    """The global 简/繁 switch, the interface language and the section picker (all kept in the URL).

    Chinese follows the script switch; English is the other choice of the language switch,
    whose label is the same in both languages (界面语言 · Language), for a reader of either.
    ``first_script`` (the workspace's export script) is the switch's default.
    """
    with st.sidebar:
        choices = script_choices(first_script)
        script = url_radio("文字 Script", choices, key="script", format_func=SCRIPT_NAMES.__getitem__)
        url_radio(text("app.language", script) + " · Language", list(LANGUAGES), key="lang",  # one label
                  format_func=LANGUAGES.__getitem__, horizontal=True)
        st.title(tr("app.title", script))
        section = url_radio(tr("app.section", script), list(SECTIONS), key="section",
                            format_func=lambda name: tr(f"section.{name.lower()}", script))
    return script, section


def main(argv: Sequence[str] | None = None) -> None:
    """Draw the page for the workspace named in ``argv`` (default: ``sys.argv[1:]``)."""
    st.set_page_config(page_title=text("app.title", lang="en" if st.query_params.get("lang") == "en" else "zh"),
                       page_icon=":material/travel_explore:", layout="wide")
    try:
        root: Path | None = parse_workspace(sys.argv[1:] if argv is None else argv)
    except OpinionError as exc:
        root, problem = None, exc
    script, section = sidebar_ui(export_script(root) if root is not None else None)
    try:
        if root is None:
            raise problem
        store = current_store(str(root), script)
    except OpinionError as exc:
        st.error(str(exc))
        st.stop()
        return
    st.sidebar.caption(f"{tr('app.workspace', script)}: `{root.name}`")
    late = stages_to_rerun(Workspace.open(root))
    if late:
        st.warning(tr("app.behind", script, commands=", ".join(f"`{c}`" for c in late)), icon=":material/warning:")
    st.header(tr(f"section.{section.lower()}", script))
    if section != "Overview":  # the Overview draws no Plotly chart, the other sections do
        plotly_theme()
    try:
        # a damaged table file the opening did not read: one line, no traceback; search terms,
        # highlights and excerpts converted as prepare converted (its `hant`)
        with reading(root), workspace_conversion(root):
            SECTIONS[section](store, script=script, key=section.lower())
    except OpinionError as exc:
        st.error(str(exc))
        return
    store.load_texts(after=TEXTS_AFTER)  # once per store: after the first page, not during it
    plotly_theme_later(TEXTS_AFTER + 1.0)  # once per process, after the texts copy has started


if __name__ == "__main__":
    main()
