"""Why a workspace has no topics, kept in its manifest so every view can say so.

A corpus too small for topics (:class:`~opinion.topics.settings.TooFewDocumentsError`)
gets no topic tables. The fit records why, and the report and the explorer say it in the
reader's language instead of asking for ``opinion topics``, which would fail the same way.
A later fit that succeeds removes the note.

Example:
    >>> skipped_text({"unit": "documents", "have": 6, "needed": 20})
    '主题未拟合：只有 6 篇不同的有词文档，主题至少需要 20 篇；加入更多文档后再运行 `opinion run`（或 `opinion topics`）。'
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from opinion import schema as S

if TYPE_CHECKING:
    from opinion.io.workspace import Workspace
    from opinion.topics.settings import TooFewDocumentsError

KEY = S.TOPICS_SKIPPED  # the manifest's key for the note


def note_skipped(ws: Workspace, exc: TooFewDocumentsError) -> None:
    """Record in ``ws``'s manifest that topics were not fitted, and why."""
    ws.manifest[KEY] = {"unit": exc.unit, "have": exc.have, "needed": exc.needed, "message": str(exc)}
    ws.save_manifest()


def clear_skipped(ws: Workspace) -> None:
    """Forget the note (topics were fitted); the caller saves the manifest."""
    ws.manifest.pop(KEY, None)


def skipped_note(manifest: dict[str, Any]) -> dict[str, Any] | None:
    """The note of a workspace manifest, or None (topics fitted, or never tried)."""
    note = manifest.get(KEY)
    return note if isinstance(note, dict) and note.get("unit") in ("documents", "words") else None


def require_topics(ws: Workspace, action: str) -> None:
    """Raise when ``ws`` has no topic table, saying why when the fit was skipped (instead of
    advising ``opinion topics``, which would fail the same way), e.g. ``no topics to edit, they were
    not fitted: WS: only 6 distinct documents with words; topics need at least 20; add documents ...``."""
    from opinion.errors import WorkspaceError

    note = skipped_note(ws.manifest)
    if note is not None and not ws.has(S.TOPICS):
        message = str(note.get("message") or f"only {note['have']} {note['unit']}; topics need {note['needed']}")
        advice = ("" if "keep_duplicates" in message else
                  f"; add documents (`opinion run MORE_FILES -w {ws.root}`), then try again")
        raise WorkspaceError(f"no topics to {action}, they were not fitted: {message}{advice}")
    ws.require(S.TOPICS)


def is_topic_table(table: str) -> bool:
    """Whether ``table`` is one the topic stage writes (and the note explains its absence)."""
    return S.PRODUCED_BY.get(table) == "opinion topics"


def skipped_text(note: dict[str, Any], script: str = "zh-Hans", *, lang: str = "zh") -> str:
    """The note for a reader, in ``lang`` (``zh`` in ``script``, or ``en``)."""
    from opinion.i18n import text

    return text(f"topics.skipped_{note['unit']}", script, lang=lang, have=note["have"], needed=note["needed"])
