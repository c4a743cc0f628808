"""What a workspace holds: counts, dates, sources, scripts, duplicates and rejects.

    >>> info = workspace_info("runs/weibo")  # doctest: +SKIP
    >>> info["documents"], info["date_min"], info["rejects"]  # doctest: +SKIP
    (620817, '2020-01-19 00:00:00', 0)

Used by ``opinion info`` and by the explorer. Reads only the small columns (DuckDB over the
Parquet parts), never the texts.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

from opinion import schema as S
from opinion.io.atomic import fingerprint
from opinion.io.commit import pending_inputs
from opinion.io.rejects import read_rejects
from opinion.io.workspace import Workspace

TOP_SOURCES = 20


def reason_kind(reason: str) -> str:
    """The kind of a reject reason: ``"duplicate of 1_27-5"`` -> ``"duplicate"``."""
    kind = re.split(r"\s*[(:;]|\s+of\s|\s+in\s", reason, maxsplit=1)[0].strip()
    return kind or "other"


def _query(sql: str) -> list[tuple[Any, ...]]:
    import duckdb

    with duckdb.connect() as con:
        return con.execute(sql).fetchall()


def _corpus_stats(ws: Workspace) -> dict[str, Any]:
    from opinion.sources import source_label_sql

    glob = ws.glob(S.CORPUS).replace("'", "''")
    source = f"read_parquet('{glob}')"
    columns = [name for (name,) in _query(f"SELECT column_name FROM (DESCRIBE SELECT * FROM {source})")]
    label = source_label_sql(columns, relation=source)  # as the report and the explorer name sources
    labelled = f"(SELECT *, {label} AS source_label FROM {source} c)"
    (docs, date_min, date_max, dates_missing, dups, broken, distinct_sources), = _query(
        f"SELECT count(*), min({S.PUBLISHED_AT}), max({S.PUBLISHED_AT}), "
        f"count(*) - count({S.PUBLISHED_AT}), count({S.DUPLICATE_OF}), "
        f"count(*) FILTER (WHERE {S.DECODE_ERROR}), count(DISTINCT source_label) FROM {labelled}"
    )
    sources = _query(
        f"SELECT source_label AS s, count(*) AS n FROM {labelled} "
        f"GROUP BY s ORDER BY n DESC, s LIMIT {TOP_SOURCES}"
    )
    encodings = _query(f"SELECT {S.ENCODING}, count(*) FROM {source} GROUP BY 1 ORDER BY 2 DESC")
    return {
        "documents": docs,
        "date_min": None if date_min is None else str(date_min),
        "date_max": None if date_max is None else str(date_max),
        "dates_missing": dates_missing,
        "duplicates": dups,
        "decode_errors": broken,
        "sources_distinct": distinct_sources,
        "sources": dict(sources),
        "encodings": dict(encodings),
    }


def flags_parts_fingerprint(ws: Workspace) -> str:
    """Digest of what the pass reads: per part, the prepared part (``text_norm``) and the corpus
    part it was prepared from (``published_at``, ``text_hash`` and ``duplicate_of``, which
    :func:`content_order` reads), both from the ``prepare`` record (no file is read). Until
    2026-12-08 only the prepared part counted, and a reload that changed only the dates
    (``load --replace --date-from-filename``) kept flags whose kept post was not the earliest."""
    record = ws.stage_record("prepare") or {}
    return fingerprint({p: [e.get("source_sha256"), e.get("target_sha256")]
                        for p, e in sorted((record.get("parts") or {}).items())})


def flags_behind(ws: Workspace) -> bool:
    """Whether a workspace that `opinion prepare` prepared lacks current flags: the pass was
    killed (its record says ``complete: false``), never ran (a kill between the last prepared
    part and the pass) or ran on other prepared or corpus parts. Then topic fits, words and
    the report would count near-duplicates and spam without a word; ``opinion prepare -w WS``
    finishes it. A workspace whose prepared parts no ``opinion prepare`` recorded (written
    directly, as tests do) is not checked; nor is one whose prepare is itself unfinished."""
    prepare = ws.stage_record("prepare") or {}
    if not prepare.get("runner") or prepare.get("complete") is not True:
        return False
    record = ws.stage_record(S.FLAGS) or {}
    if record.get("complete") is not True or ws.parts(S.FLAGS) != ws.parts(S.PREPARED):
        return True
    inputs = record.get("inputs")  # absent from the records of before 2026-12-08
    return inputs is not None and inputs != flags_parts_fingerprint(ws)


# whole-corpus stages without a part-wise record: stage -> the table it writes
WHOLE_STAGES = {S.FLAGS: S.FLAGS, "topics": S.TOPICS}


def _interrupted(ws: Workspace) -> dict[str, str]:
    """Stage -> the table it writes, for the stages a kill or Ctrl-C left incomplete: the
    part-wise ones of :func:`opinion.engine.runner.require_complete`, and (since 2026-12-08)
    the topic fit and the flags pass, whose records say ``complete: false`` while they run;
    the flags also when missing or older than the prepared parts (:func:`flags_behind`)."""
    out = {stage: str(record.get("target") or WHOLE_STAGES.get(stage))
           for stage, record in ws.manifest["stages"].items()
           if isinstance(record, dict) and record.get("complete") is False
           and (record.get("runner") or stage in WHOLE_STAGES)}
    if S.FLAGS not in out and flags_behind(ws):
        out[S.FLAGS] = S.FLAGS
    return out


def incomplete_stages(ws: Workspace) -> dict[str, str]:
    """Interrupted stages, each with the command that finishes it:
    ``{"prepare": "opinion prepare -w runs/微博", "topic_stats": "opinion topics -w runs/微博"}``."""
    return {stage: f"{S.produced_by(table, f'opinion {stage}')} -w {ws.root}"
            for stage, table in _interrupted(ws).items()}


def stages_behind(ws: Workspace) -> dict[str, list[str]]:
    """Stage tables written part by part that miss parts of the corpus loaded after them:
    ``{"prepared": ["extra-00000"]}`` after `opinion load` of more files without `opinion run`.
    A table no stage has written yet is not listed (nothing there to be out of date)."""
    corpus = ws.parts(S.CORPUS)
    behind = {}
    for table in STAGE_TABLES:
        written = set(ws.parts(table))
        missing = [part for part in corpus if part not in written]
        if written and missing:
            behind[table] = missing
    return behind


STAGE_TABLES = (S.PREPARED, S.SENTIMENT, S.TOPIC_DOCS)  # the per-document stages, in run order
# tables an interrupted stage leaves behind -> the stage table whose command redoes it
_STAGE_TABLE_OF = {S.FLAGS: S.PREPARED, S.TOPICS: S.TOPIC_DOCS, "topic_stats": S.TOPIC_DOCS}


def commands_from(ws: Workspace, table: str) -> list[str]:
    """The commands that write ``table`` and the stage tables after it that the workspace has:
    ``commands_from(ws, "sentiment") == ["opinion sentiment -w 微博", "opinion topics -w 微博"]``.
    The command that writes ``table`` is there even when the table is gone (a run that
    skipped topics left the message "run , then export again")."""
    later = STAGE_TABLES[STAGE_TABLES.index(table):]
    return [f"{S.PRODUCED_BY[t]} -w {ws.root}" for t in later if t == table or ws.has(t)]


def stages_to_rerun(ws: Workspace) -> list[str]:
    """The commands that bring the stages up to date with the loaded corpus, in stage order:
    for a stage that was interrupted or has not seen every loaded part (and for the stages
    after it). ``["opinion prepare -w 微博", "opinion sentiment -w 微博"]``; empty when current."""
    late = set(stages_behind(ws)) | {_STAGE_TABLE_OF.get(table, table) for table in _interrupted(ws).values()}
    late &= set(STAGE_TABLES)
    if not late:
        return []
    return commands_from(ws, min(late, key=STAGE_TABLES.index))


def script_counts(ws: Workspace) -> dict[str, int] | None:
    """Documents per detected script (``{"zh-Hant": 480, "zh-Hans": 20}``); None before
    `opinion prepare`, and while an interrupted prepare has left only some parts (counts of
    part of the corpus would pass for the whole)."""
    if not ws.has(S.PREPARED) or S.PREPARED in _interrupted(ws).values():
        return None
    glob = ws.glob(S.PREPARED).replace("'", "''")
    try:
        rows = _query(f"SELECT {S.SCRIPT}, count(*) FROM read_parquet('{glob}') "
                      "GROUP BY 1 ORDER BY 2 DESC")
    except Exception:  # noqa: BLE001 - a prepared table without a script column
        return None
    return {str(script): count for script, count in rows}


def workspace_info(workspace: Workspace | str | Path) -> dict[str, Any]:
    """Counts of a workspace as a plain dict (JSON-serialisable).

    Keys: ``workspace, inputs, files`` (each input's counts, the columns it was read with and
    the load's warnings about it: ``notes``), ``documents, date_min, date_max, dates_missing,
    duplicates, decode_errors, sources_distinct, sources, encodings, scripts, rejects,
    reject_kinds, stages, stages_incomplete, stages_to_rerun, load_pending``. ``scripts`` is None until the
    prepare stage has run, and while it is incomplete (``stages_incomplete`` names the command
    that finishes each interrupted stage; ``stages_to_rerun`` the commands that bring stages
    behind the loaded corpus up to date, :func:`stages_to_rerun`; ``load_pending`` the inputs an
    interrupted load left out). :func:`info_warnings` words them for ``opinion info``.
    Raises :class:`opinion.errors.WorkspaceError` if ``workspace`` is not one.
    """
    ws = workspace if isinstance(workspace, Workspace) else Workspace.open(workspace)
    inputs = ws.manifest["inputs"]
    info: dict[str, Any] = {"workspace": str(ws.root), "inputs": len(inputs)}
    info["files"] = [
        {name: entry.get(name) for name in (
            "label", "key", "format", "encoding", "rows_read", "rows_loaded", "rows_rejected",
            "duplicates", "decode_errors", "dates_missing", "loaded_at")}
        | {"dates_unreadable": entry.get("dates_unreadable", 0),  # absent before issue 13
           "notes": list(entry.get("notes") or []), "columns": entry.get("columns") or {}}
        for entry in inputs
    ]
    if ws.has(S.CORPUS):
        info.update(_corpus_stats(ws))
    else:
        info.update(documents=0, date_min=None, date_max=None, dates_missing=0, duplicates=0,
                    decode_errors=0, sources_distinct=0, sources={}, encodings={})
    info["scripts"] = script_counts(ws)
    kinds = Counter(reason_kind(row.get("reason", "")) for row in read_rejects(ws.rejects_path))
    info["rejects"] = sum(kinds.values())
    info["reject_kinds"] = dict(kinds.most_common())
    info["stages"] = sorted(ws.manifest.get("stages", {}))
    info["stages_incomplete"] = incomplete_stages(ws)  # stage -> the command that finishes it
    info["stages_to_rerun"] = stages_to_rerun(ws)  # behind the loaded corpus: the commands, in order
    info["load_pending"] = pending_inputs(ws)  # inputs an interrupted `opinion load` left out
    skipped = ws.manifest.get(S.TOPICS_SKIPPED)  # a corpus too small for topics (opinion.topics.skipped)
    info["topics_skipped"] = skipped.get("message") if isinstance(skipped, dict) else None
    return info


def info_warnings(info: dict[str, Any]) -> list[str]:
    """The warning lines ``opinion info`` prints for a :func:`workspace_info` dict: each
    interrupted stage with its command, then the commands that bring every stage up to date,
    e.g. ``warning: stages are behind the loaded corpus; to bring them up to date, run
    `opinion prepare -w 微博`, then `opinion topics -w 微博```."""
    unfinished = info.get("stages_incomplete") or {}
    lines = [f"warning: stage {name} was interrupted; run `{command}` again to finish it"
             for name, command in unfinished.items()]
    rerun = info.get("stages_to_rerun") or []
    if rerun:
        lines.append("warning: stages are behind the loaded corpus; to bring them up to date, run "
                     + ", then ".join(f"`{command}`" for command in rerun))
    return lines
