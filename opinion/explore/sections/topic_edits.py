"""编辑主题 / Edit topics: rename, merge or drop topics from the Topics page.

The form writes through :func:`opinion.topics.edit_store.record_edits`, the function behind
``opinion topics edit``: the edit is stored in the workspace (``topic_edits.json``), so it
applies to every view, to the next ``opinion export`` and after a restart of the explorer.
Writing changes the workspace's stamp, so the page then reopens the workspace with the edit.

Example: choose 合并 / Merge, pick ``1_直播_带货_国货`` and ``3_国货_品牌``, Save: the two
topics become topic 1 everywhere.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from opinion import schema as S
from opinion.errors import OpinionError, WorkspaceError
from opinion.explore.data import ExploreStore
from opinion.explore.text import escape_markdown, render_label
from opinion.explore.widgets import choice, tr
from opinion.topics.edits import TopicEdit, check_edit

ACTIONS = ("rename", "merge", "drop")  # each named by the message edits.<action>
DONE = "topic_edit_done"  # session key of the message shown after the page reloads


def render_topic_edits(store: ExploreStore, topics: pd.DataFrame, *, script: str, key: str) -> None:
    """The edit form and the list of stored edits, in an expander under the topic table."""
    from opinion.topics import edit_store as E

    try:
        active, stale = E.active_edits(store.root)
        stored_edits = E.read_edits(store.root)
    except WorkspaceError as exc:  # an unreadable topic_edits.json: the views show unedited topics
        st.warning(str(exc), icon=":material/warning:")
        return
    if stale:
        st.warning(tr("edits.stale", script, n=len(stale), root=store.root), icon=":material/warning:")
    if DONE in st.session_state:
        st.success(st.session_state.pop(DONE), icon=":material/check:")
    labels = {int(t): str(label) for t, label in zip(topics[S.TOPIC_ID], topics["label"]) if int(t) != -1}
    shown = lambda t: render_label(f"{t}: {labels[t]}", script)  # noqa: E731
    with st.expander(tr("edits.title", script, n=len(active)), expanded=False):
        action = choice(st.radio, tr("edits.action", script), ACTIONS, horizontal=True, key=f"{key}_edit_action",
                        format_func=lambda a: tr(f"edits.{a}", script))
        edit = None
        if action == "rename":
            topic = choice(st.selectbox, tr("edits.topic", script), list(labels), format_func=shown,
                           key=f"{key}_edit_topic")
            label = st.text_input(tr("edits.new_label", script), key=f"{key}_edit_label", placeholder="口罩与防护")
            edit = (TopicEdit("rename", (int(topic),), E.simplified_label(label))  # stored in Simplified
                    if topic is not None else None)
        elif action == "merge":
            chosen = choice(st.multiselect, tr("edits.topics", script), list(labels), format_func=shown,
                            key=f"{key}_edit_topics", placeholder=tr("choose", script))
            edit = TopicEdit("merge", tuple(int(t) for t in chosen))
        else:
            topic = choice(st.selectbox, tr("edits.topic", script), list(labels), format_func=shown,
                           key=f"{key}_edit_drop")
            edit = TopicEdit("drop", (int(topic),)) if topic is not None else None
        row = st.container(horizontal=True)
        if row.button(tr("edits.save", script), key=f"{key}_edit_save", type="primary") and edit is not None:
            _write(lambda: E.record_edits(store.root, [edit]),  # the label as stored: 口罩\n防护 → 口罩 防护
                   lambda: tr("edits.saved", script, edit=describe(check_edit(edit), script)))
        if active and row.button(tr("edits.undo", script), key=f"{key}_edit_undo"):
            _write(lambda: E.undo_edit(store.root), lambda: tr("edits.undone", script,
                                                                 edit=describe(active[-1], script)))
        for number, stored in enumerate(stored_edits, start=1):
            note = "" if stored in active else tr("edits.not_applied", script)
            st.caption(f"{number}\\) {describe(stored, script)}{note}")  # "1)" as typed, not a Markdown list


def describe(edit: TopicEdit, script: str) -> str:
    """An edit in the interface language, as Markdown (the captions and messages that show it
    read Markdown) that shows the label as typed: ``重命名 3 = 口罩``, ``合并 1, 4``, ``删除 7``
    (:meth:`TopicEdit.describe` in English); a label ``**口罩**`` stays ``**口罩**``, not bold."""
    ids = ", ".join(str(t) for t in edit.topics)
    label = escape_markdown(render_label(edit.label or "", script))
    return tr(f"edits.describe.{edit.action}", script, topics=ids, label=label)


def _write(action: Callable[[], object], message: Callable[[], str]) -> None:
    """Run the write; on success reload the page (the workspace stamp changed) and show
    ``message()`` (made once the edit is stored, as stored), else say why."""
    try:
        action()
    except OpinionError as exc:
        st.error(str(exc), icon=":material/error:")
        return
    st.session_state[DONE] = message()
    st.rerun()
