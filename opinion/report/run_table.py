"""The ``run`` table: how the numbers were made.

One row per fact, as ``(section, key, value)``: export settings, library versions, seed,
input files with row counts and hashes, rejects, exact and near-duplicates and spam
(:mod:`opinion.flagged`, the explorer's figures), each stage's settings from the manifest,
topic metrics, which stage outputs were found (and the command to run for a missing one),
and the definitions of the derived columns. Numbers stay numbers.

Example:
    >>> run_table(ws, data, docs, script="zh-Hans", period="week",  # doctest: +SKIP
    ...           period_origin="dates", top=3).query("section == 'tables'")
"""

from __future__ import annotations

import csv
import json
import platform
import re
from datetime import UTC, datetime
from importlib import metadata
from typing import TYPE_CHECKING, Any

import pandas as pd

from opinion import schema as S
from opinion.flagged import DEFINITIONS as FLAG_DEFINITIONS
from opinion.flagged import workspace_flag_counts
from opinion.i18n import MESSAGES, text
from opinion.io.workspace import Workspace
from opinion.report.trend import TREND_MIN_DOCS, TREND_THRESHOLD, TREND_WINDOW
from opinion.topics.skipped import is_topic_table, skipped_note
from opinion.version import __version__

if TYPE_CHECKING:  # a type only: the tables module imports this one
    from opinion.report.tables import WorkspaceTables

LIBRARIES = ("pandas", "numpy", "pyarrow", "jieba", "opencc", "scikit-learn", "bertopic",
             "umap-learn", "hdbscan", "plotly", "xlsxwriter",
             "onnxruntime")  # the last decides --method transformer(-int8) numbers
STAGE_TABLES = {S.PREPARED: "prepared", S.SENTIMENT: "sentiment", S.TOPIC_DOCS: "topic_documents",
                S.TOPICS: "topics"}
TREND_VALUES: dict[str, Any] = {"window": TREND_WINDOW, "threshold": f"{TREND_THRESHOLD:.0%}", "min_docs": TREND_MIN_DOCS}
DEFINITION_NAMES = ("period", "share", "trend", "mean_sentiment", "label_auto", "merged_from", "prevalence",
                    "lift", "excerpt")
DEFINITIONS = {name: text(f"definition.{name}", lang="en", **TREND_VALUES) for name in DEFINITION_NAMES}


NOT_INSTALLED = "not installed"
PERIOD_CHOICES = {"undated": "no document has a date", "picked": "picked from the date range", "given": "given",
                  "export": "from export --period", "topics": "from topics --period"}
ORIGIN_CHOICE = {"dates": "picked", "undated": "undated", "export": "export", "topics": "topics"}  # where -> choice
NOTES = {"undated": ("documents without a date are left out of the per-period tables; theme trends give "
                     "them a column of their own"),
         "no_topics": "topic tables are empty; sources and sentiment are over all documents"}
READER_VALUES = {  # run.csv's fixed English values -> the report's message (opinion/i18n_report.py)
    NOT_INSTALLED: "run.not_installed", "found": "run.found", PERIOD_CHOICES["undated"]: "run.no_dates",
    PERIOD_CHOICES["picked"]: "run.picked", PERIOD_CHOICES["given"]: "run.given",
    PERIOD_CHOICES["export"]: "run.from_export", PERIOD_CHOICES["topics"]: "run.from_topics",
    NOTES["undated"]: "run.note_undated", NOTES["no_topics"]: "run.note_no_topics"}


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return NOT_INSTALLED


def _flatten(prefix: str, value: Any) -> list[tuple[str, Any]]:
    """Nested settings as ``a.b`` keys; lists and odd values as JSON text."""
    if isinstance(value, dict):
        return [item for k, v in value.items() for item in _flatten(f"{prefix}.{k}" if prefix else str(k), v)]
    if value is None or isinstance(value, (bool, int, float, str)):
        return [(prefix, value)]
    return [(prefix, json.dumps(value, ensure_ascii=False, default=str))]


def count_rejects(ws: Workspace) -> int | None:
    """Records in ``rejects.csv`` (None when the file does not exist)."""
    if not ws.rejects_path.exists():
        return None
    with open(ws.rejects_path, encoding="utf-8-sig", newline="") as fh:
        return max(sum(1 for _ in csv.reader(fh)) - 1, 0)


def _find_seed(data: WorkspaceTables) -> Any:
    for record in data.manifest.get("stages", {}).values():
        for key, value in _flatten("", record):
            if key.split(".")[-1] in ("seed", "random_state"):
                return value
    return (data.topic_metrics or {}).get("seed")


def run_table(ws: Workspace, data: WorkspaceTables, docs: pd.DataFrame, *, script: str,
              period: str, period_origin: str, top: int) -> pd.DataFrame:
    """The provenance of a report as ``section, key, value`` rows; ``period_origin`` says where
    the period came from (:func:`opinion.topics.settings.workspace_period_choice`, or ``given``)."""
    rows: list[tuple[str, str, Any]] = []
    add = rows.append
    dates = pd.to_datetime(data.corpus[S.PUBLISHED_AT])
    how = PERIOD_CHOICES["undated" if dates.isna().all() else ORIGIN_CHOICE.get(period_origin, "given")]
    for key, value in (("generated_at", datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")),
                       ("workspace", str(ws.root)), ("script", script), ("period", period),
                       ("period_choice", how), ("examples_per_topic", top), ("seed", _find_seed(data))):
        add(("export", key, value))
    add(("library", "opinion", __version__))
    add(("library", "python", platform.python_version()))
    for package in LIBRARIES:
        add(("library", package, _version(package)))
    # how the files were read and what the report was asked for (since 2026-12-08: the year, time
    # zone and dropped columns behind every date and text were not in run.csv)
    stored = data.manifest.get("settings", {})
    for section in ("load", "export"):
        rows += [(f"settings {section}", key, value) for key, value in _flatten("", stored.get(section) or {})]
    load = dict(_flatten("", stored.get("load") or {}))
    for number, record in enumerate(data.manifest.get("inputs", []), start=1):
        for key in ("path", "sha256", "rows_read", "rows_loaded", "rows_rejected"):
            add((f"input {number}", key, record.get(key)))
        rows += [(f"input {number}", f"settings.{key}", value)  # only what this file was read with otherwise
                 for key, value in _flatten("", record.get("settings") or {}) if load.get(key, value) != value]
    rejects = count_rejects(ws)
    add(("corpus", "documents", len(data.corpus)))
    add(("corpus", "rejected_rows", rejects if rejects is not None else 0))
    if S.DUPLICATE_OF in data.corpus.columns:  # exact, near (with the flags table) and spam, as the explorer counts
        rows += [("corpus", name, count) for name, count in workspace_flag_counts(ws).figures()]
    if S.DECODE_ERROR in data.corpus.columns:
        add(("corpus", "rows_with_decode_errors", int(data.corpus[S.DECODE_ERROR].eq(True).sum())))
    add(("corpus", "first_date", dates.min()))
    add(("corpus", "last_date", dates.max()))
    add(("corpus", "documents_without_date", int(dates.isna().sum())))
    if dates.isna().any():
        add(("corpus", "note", NOTES["undated"]))
    skipped = skipped_note(data.manifest)  # a corpus too small for topics: say so, not "run opinion topics"
    for name, label in STAGE_TABLES.items():
        found = getattr(data, {S.TOPIC_DOCS: "topic_docs"}.get(name, name)) is not None
        state = "found" if found else f"missing: run `{S.PRODUCED_BY.get(name, 'its stage')} -w {ws.root}`"
        if not found and skipped and is_topic_table(name):
            state = f"skipped: {skipped['message']}"
        add(("tables", label, state))
    if skipped and data.topic_docs is None:
        rows += [("topics skipped", key, skipped[key]) for key in ("unit", "have", "needed")]
    if data.topic_docs is None:
        add(("tables", "note", NOTES["no_topics"]))
    if data.topic_docs is not None and docs[S.TOPIC_ID].isna().any():
        add(("tables", "documents_without_topic", int(docs[S.TOPIC_ID].isna().sum())))
    for stage, record in sorted(data.manifest.get("stages", {}).items()):
        for key, value in _flatten("", record):
            add((f"stage {stage}", key, value))
    if data.topics is not None:  # the analyst's renames, merges and drops, in order
        from opinion.topics.edit_store import edit_log

        rows += [("topic edits", str(n), line) for n, line in enumerate(edit_log(ws), start=1)]
    for key, value in _flatten("", data.topic_metrics or {}):
        add(("topic_metrics", key, value))
    for key, definition in (DEFINITIONS | FLAG_DEFINITIONS).items():
        add(("definition", key, definition))
    return pd.DataFrame(rows, columns=["section", "key", "value"])


_MISSING = re.compile(r"missing: run (`[^`]+`)")  # a stage's state in the tables section
KEY_NOTES = {  # (section, key) -> what the key counts, said beside it in the report (two near_duplicates)
    ("corpus", "near_duplicates"): "run.key_exact_left_out", ("stage flags", "counts.near_duplicates"):
    "run.key_exact_included"}
SUMMARY_KEYS = tuple((re.compile(section), re.compile(key)) for section, key in (  # the report's run summary
    ("export", "script|period|period_choice|seed"),
    ("corpus", "rows_with_decode_errors"),  # the other corpus figures are the overview's
    ("tables", "(?!prepared$|sentiment$|topic_documents$|topics$).*"),  # notes; a stage's state when not found
    ("stage prepare", r"settings\.(clean_steps|hant|user_dicts|theme_files|stopwords|contacts)"),
    ("stage sentiment", r"settings\.(method|neutral_band|model_path)"),
    ("stage flags", r"settings\.(near|spam)\.threshold"),
    ("stage topics", r"settings\.(embedding|nr_topics|min_topic_size|seed|keep_duplicates|period)|n_topics|n_documents"),
    ("stage .*", "seconds"),  # stage times, where a stage records them
    ("topic_metrics", "npmi_mean|diversity|outlier_share|n_fit"),
    ("topic edits", ".*"),
))


def _summarised(section: str, key: str, value: Any) -> bool:
    """Whether a run row is one of the summary's (:data:`SUMMARY_KEYS`), with a value to show."""
    if value is None or (isinstance(value, float) and value != value) or value in ("", "[]"):
        return False
    if section == "corpus" and value == 0:  # a count of problems, said only when there are some
        return False
    if section == "tables" and key in STAGE_TABLES.values():
        return value != "found"
    return any(s.fullmatch(section) and k.fullmatch(key) for s, k in SUMMARY_KEYS)


def run_summary(run: pd.DataFrame, *, script: str, lang: str = "zh", undated: bool = False) -> pd.DataFrame:
    """The run table as a methods section needs it, for report.md and report.html: the settings
    that shape the results (:data:`SUMMARY_KEYS`), the libraries' versions on one row, each
    input on one row with its row counts, and the stages' times; in the reader's language
    (:func:`reader_run`). ``run.csv`` keeps every row (hashes, fingerprints, parts)."""
    rows: list[tuple[str, str, Any]] = []
    libraries = [f"{k} {v}" for s, k, v in run[["section", "key", "value"]].itertuples(index=False)
                 if s == "library" and v != NOT_INSTALLED]
    for section, group in run.groupby("section", sort=False):
        values = dict(zip(group["key"], group["value"]))
        if section == "library":
            rows.append(("library", "versions", " · ".join(libraries)))
        elif str(section).startswith("input "):
            counts = {k: format_count(values.get(f"rows_{k}")) for k in ("read", "loaded", "rejected")}
            rows.append((str(section), str(values.get("path")), text("run.input_rows", script, lang=lang, **counts)))
        else:
            rows += [(str(section), k, v) for k, v in values.items() if _summarised(str(section), k, v)]
    return reader_run(pd.DataFrame(rows, columns=["section", "key", "value"]), script=script, lang=lang,
                      undated=undated)


def format_count(value: Any) -> str:
    """A row count as the report writes it (1,500), or ``?`` when the manifest has none."""
    number = pd.to_numeric(pd.Series([value]), errors="coerce").iloc[0]
    return f"{int(number):,}" if number == number else "?"


def reader_run(run: pd.DataFrame, *, script: str, lang: str = "zh", undated: bool = False) -> pd.DataFrame:
    """The run table as a report shows it: its fixed values in the reader's language
    (``not installed`` → 未安装, ``missing: run `opinion topics -w WS``` → 未找到：请运行 …), the
    period as the overview names it (日, 周…; ``–`` when no document has a date, as the
    overview says), and a key that two rows count differently with what it counts
    (``counts.near_duplicates（含完全重复）``). ``run.csv`` keeps the English a program reads."""
    def shown(section: str, key: str, value: Any) -> Any:
        if section == "definition" and f"definition.{key}" in MESSAGES:  # run.csv keeps the English
            return text(f"definition.{key}", script, lang=lang, **TREND_VALUES)
        if section == "export" and key == "period":
            return "–" if undated else (text(f"report.period.{value}", script, lang=lang)
                                        if f"report.period.{value}" in MESSAGES else value)
        if section in ("export", "library", "corpus", "tables") and isinstance(value, str) and value in READER_VALUES:
            return text(READER_VALUES[value], script, lang=lang)
        command = _MISSING.fullmatch(value) if isinstance(value, str) else None
        return text("run.missing", script, lang=lang, command=command.group(1)) if command else value

    values = [shown(s, k, v) for s, k, v in run[["section", "key", "value"]].itertuples(index=False)]
    keys = [text(KEY_NOTES[(s, k)], script, lang=lang, key=k) if (s, k) in KEY_NOTES else k
            for s, k in run[["section", "key"]].itertuples(index=False)]
    return run.assign(key=keys, value=pd.Series(values, index=run.index, dtype=object))

