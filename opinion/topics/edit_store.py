"""Where topic edits live: ``WS/topic_edits.json``, an ordered list written atomically
under the workspace lock, each edit with the fingerprint of the topic model it was made on.

Readers call :func:`workspace_topics` (or :func:`active_edits` and
:func:`opinion.topics.edits.apply_edits`): edits made on the current model apply; edits
made on another model (the topics were refit with other settings or data, so the ids name
other topics) stay stored but are not applied, and one :class:`~opinion.errors.OpinionWarning`
says so (the CLI prints it as one ``warning:`` line on stderr).

The model fingerprint is the SHA-256 of ``topic_model/opinion_components.safetensors``
(projection, k-means centres, label map): a refit with the same data, settings and seed
writes the same bytes, so edits survive ``opinion topics --force``; any other refit does not
match. A workspace without a saved model (older versions) uses the topic table's ids and terms.

Example:
    >>> record_edits("runs/weibo", [TopicEdit("rename", (3,), "口罩与防护")])  # doctest: +SKIP
    >>> topics, docs = workspace_topics(Workspace.open("runs/weibo"), topics, docs)  # doctest: +SKIP
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import tomllib
import warnings
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from opinion import schema as S
from opinion.errors import InputError, OpinionWarning, WorkspaceError
from opinion.io.atomic import write_json_atomic
from opinion.io.encoding import read_user_text
from opinion.io.lock import workspace_lock
from opinion.io.workspace import Workspace
from opinion.topics.edits import TopicEdit, apply_edits, check_edit, edited_topics
from opinion.topics.skipped import require_topics

EDITS_FILE = "topic_edits.json"
FORMAT_VERSION = 1
COMPONENTS = Path("topic_model") / "opinion_components.safetensors"


def _open(ws: Workspace | str | Path) -> Workspace:
    return ws if isinstance(ws, Workspace) else Workspace.open(ws)


def model_fingerprint(ws: Workspace | str | Path) -> str:
    """A short digest naming the fitted topic model of ``ws`` ("" without topics)."""
    ws = _open(ws)
    components = ws.root / COMPONENTS
    if components.exists():
        return hashlib.sha256(components.read_bytes()).hexdigest()[:16]
    if not ws.table_path(S.TOPICS).exists():
        return ""
    topics = ws.read(S.TOPICS)
    terms = topics["top_terms"] if "top_terms" in topics.columns else topics["label"]
    blob = json.dumps([[int(t), [str(x) for x in (v if not isinstance(v, str) else [v])]]
                       for t, v in zip(topics[S.TOPIC_ID], terms)], ensure_ascii=False)
    return "t" + hashlib.sha256(blob.encode("utf-8")).hexdigest()[:15]


def read_edits(ws: Workspace | str | Path) -> list[TopicEdit]:
    """Every stored edit, oldest first ([] when there are none)."""
    path = _open(ws).root / EDITS_FILE
    if not path.exists():
        return []
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        return [TopicEdit.from_json(e) for e in doc["edits"]]
    except (ValueError, KeyError, TypeError) as exc:
        raise WorkspaceError(f"{path}: not a topic edits file ({exc}); fix it or remove it with "
                             f"`opinion topics edit -w {path.parent} --clear`") from None


def _readable_edits(ws: Workspace | str | Path) -> list[TopicEdit]:
    """:func:`read_edits` for readers: an unreadable file (a bad hand edit, a cut copy) is one
    ``topic edits not applied: …`` warning and no edits, so exports and views still work;
    ``opinion topics edit --clear`` removes it."""
    try:
        return read_edits(ws)
    except WorkspaceError as exc:
        warnings.warn(OpinionWarning(f"topic edits not applied: {exc}"), stacklevel=3)
        return []


def _write(ws: Workspace, edits: Sequence[TopicEdit]) -> None:
    write_json_atomic(ws.root / EDITS_FILE, {"format_version": FORMAT_VERSION,
                                             "edits": [e.to_json() for e in edits]})


def active_edits(ws: Workspace | str | Path) -> tuple[list[TopicEdit], list[TopicEdit]]:
    """``(edits made on the current model, edits made on another model)``; none (and a
    warning) when the edits file cannot be read."""
    stored = _readable_edits(ws)
    if not stored:
        return [], []
    current = model_fingerprint(ws)
    return [e for e in stored if e.model == current], [e for e in stored if e.model != current]


def stale_note(ws: Workspace | str | Path, stale: Sequence[TopicEdit]) -> str:
    """The one warning line for edits made on another topic model ("" when there are none)."""
    if not stale:
        return ""
    root = _open(ws).root
    return (f"{len(stale)} topic edit(s) were made on an earlier topic model (the topics were refit) "
            f"and are not applied; see `opinion topics edit -w {root} --list`, redo them on the new "
            "topics, then --clear the old ones")


def workspace_topics(ws: Workspace | str | Path, topics: pd.DataFrame,
                     assignments: pd.DataFrame | None = None) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """The workspace's topic table and assignments with its edits applied (the readers' call).

    Warns (:class:`~opinion.errors.OpinionWarning`) when stored edits belong to another model.
    An edit that no longer applies (a hand-edited file) is reported the same way and skipped,
    never half-applied.
    """
    active, stale = active_edits(ws)
    if stale:
        warnings.warn(OpinionWarning(stale_note(ws, stale)), stacklevel=2)
    try:
        return apply_edits(topics, assignments, active)
    except InputError as exc:
        warnings.warn(OpinionWarning(f"topic edits not applied: {exc}"), stacklevel=2)
        return apply_edits(topics, assignments, [])


def edit_log(ws: Workspace | str | Path) -> list[str]:
    """One line per stored edit, oldest first: ``merge 1, 4``, ``rename 1 = 直播带货``, with
    ``(not applied: made on an earlier topic model)`` for the edits of another model."""
    current = model_fingerprint(ws)
    return [e.describe() + ("" if e.model == current else " (not applied: made on an earlier topic model)")
            for e in _readable_edits(ws)]


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def simplified_label(label: str | None) -> str | None:
    """A label as stored: in Simplified, the script of every topic label, which each view renders
    in its reader's script (``愛情與人生`` → ``爱情与人生``); a Simplified label stays as typed."""
    from opinion.text.script import to_simplified

    return to_simplified(label) if label else label


def record_edits(ws: Workspace | str | Path, new: Sequence[TopicEdit],
                 sources: Sequence[str] = ()) -> pd.DataFrame:
    """Check ``new`` against the current topics (after the stored edits) and append them, a
    rename's label in Simplified (:func:`simplified_label`).

    All or nothing: one bad edit records none and raises a one-line :class:`InputError`
    starting with ``sources[i]`` (what the user typed, e.g. ``--merge 1,4`` or ``edits.csv
    row 3``). Returns the edited topic table.
    """
    ws = _open(ws)
    require_topics(ws, "edit")
    with workspace_lock(ws.root):
        stored = read_edits(ws)
        fingerprint = model_fingerprint(ws)
        active = [e for e in stored if e.model == fingerprint]
        stamped = [check_edit(TopicEdit(e.action, e.topics, simplified_label(e.label), fingerprint, _now()),
                              sources[i] if i < len(sources) else "") for i, e in enumerate(new)]
        where = [f"stored edit {i} ({e.describe()})" for i, e in enumerate(active, start=1)]
        where += [sources[i] if i < len(sources) else e.describe() for i, e in enumerate(stamped)]
        topics = edited_topics(ws.read(S.TOPICS), active + stamped, where=where)
        _write(ws, stored + stamped)
        return topics


def undo_edit(ws: Workspace | str | Path) -> TopicEdit | None:
    """Remove the last stored edit and return it (None when there is none)."""
    ws = _open(ws)
    with workspace_lock(ws.root):
        stored = read_edits(ws)
        if not stored:
            return None
        _write(ws, stored[:-1])
        return stored[-1]


def clear_edits(ws: Workspace | str | Path) -> int | None:
    """Remove every stored edit; the number removed, None when the file could not be read
    (it is removed all the same: that is the fix :func:`read_edits` advises)."""
    ws = _open(ws)
    with workspace_lock(ws.root):
        try:
            removed: int | None = len(read_edits(ws))
        except WorkspaceError:
            removed = None
        (ws.root / EDITS_FILE).unlink(missing_ok=True)
        return removed


# --- parsing what users type ------------------------------------------------------------
def parse_ids(text: str, where: str) -> tuple[int, ...]:
    """``"1,4"``, ``"1;4"``, ``"1 4"`` or ``"1，4"`` → ``(1, 4)``."""
    parts = [p for p in text.replace("，", ",").replace(";", ",").replace(" ", ",").split(",") if p]
    try:
        return tuple(int(p) for p in parts)
    except ValueError:
        raise InputError(f"{where}: topic ids must be whole numbers separated by commas, e.g. 1,4; "
                         f"got {text!r}") from None


def parse_rename(spec: str) -> TopicEdit:
    """``--rename 3=口罩与防护`` → ``TopicEdit("rename", (3,), "口罩与防护")``."""
    topic, sep, label = spec.partition("=")
    if not sep:
        raise InputError(f"--rename {spec!r}: give ID=LABEL, e.g. --rename 3=口罩与防护")
    return TopicEdit("rename", parse_ids(topic, f"--rename {spec!r}"), label)


def edit_from_row(action: str, topic: str, value: object, where: str) -> TopicEdit:
    """One edit from a file row: ``rename,3,口罩``; ``merge,"1,4",`` (or ``merge,1,4``); ``drop,7,``."""
    action = (action or "").strip().lower()
    ids = parse_ids(str(topic or ""), where)
    if action == "merge" and value and str(value).strip():
        ids += parse_ids(str(value), where)
    if not ids:
        raise InputError(f"{where}: no topic id; fill the topic column")
    label = str(value) if action == "rename" and value is not None else None
    return check_edit(TopicEdit(action, ids, label), where)


def read_edit_file(path: str | Path) -> list[TopicEdit]:
    """Edits from a CSV (columns ``action,topic,value``) or a TOML file (``[[edit]]`` tables
    with ``action``, ``topic`` (an id or a list of ids) and ``value``), in file order."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: no such file; give a CSV (action,topic,value) or TOML edits file")
    if path.suffix.lower() == ".toml":
        text = read_user_text(path, "topic edits file")
        try:
            doc = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            from opinion.themes import quote_hint

            raise InputError(f"{path}: not valid TOML ({exc}){quote_hint(text)}; see docs/topics.md "
                             "for the format") from None
        tables = doc.get("edit", doc.get("edits"))
        if not isinstance(tables, list):
            raise InputError(f"{path}: no [[edit]] tables; write each edit as [[edit]] with action, topic, value")
        out = []
        for number, item in enumerate(tables, start=1):
            if not isinstance(item, dict):
                raise InputError(f"{path} edit {number}: {item!r} is not a table; write each edit as "
                                 "[[edit]] with action, topic, value (see docs/topics.md)")
            topic = item.get("topic", item.get("topics", ""))
            topic = ",".join(map(str, topic)) if isinstance(topic, list) else str(topic)
            out.append(edit_from_row(str(item.get("action", "")), topic, item.get("value"),
                                     f"{path} edit {number}"))
        return out
    with io.StringIO(read_user_text(path, "topic edits file"), newline="") as handle:
        reader = csv.DictReader(handle)
        missing = {"action", "topic"} - {(c or "").strip().lower() for c in reader.fieldnames or []}
        if missing:
            raise InputError(f"{path}: the header needs the columns action,topic,value; "
                             f"{', '.join(sorted(missing))} missing")
        out = []
        for number, row in enumerate(reader, start=1):
            row = {(k or "").strip().lower(): v for k, v in row.items()}
            extra = row.get("", None)  # merge,1,4 without quotes: 4 lands in value, more in ""
            value = row.get("value") or ""
            if isinstance(extra, list) and extra:
                value = ",".join([value, *extra])
            out.append(edit_from_row(row.get("action") or "", row.get("topic") or "", value,
                                     f"{path} row {number}"))
        return out
