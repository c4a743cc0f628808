"""The load stage: read corpora into a workspace, losing nothing.

    >>> report = load_corpus(["weibo/1.27.csv.gz"], "ws", date_from_filename=True,
    ...                      year=2020)  # doctest: +SKIP
    >>> f = report.files[0]  # doctest: +SKIP
    >>> f.rows_read == f.rows_loaded + f.rows_rejected  # doctest: +SKIP
    True

``text_hash`` (re-exported from :mod:`opinion.io.dedup`) hashes a text the way the loader
does. Each input becomes parts ``corpus/<key>-<nnnnn>.parquet`` with the columns of
:data:`opinion.schema.CORPUS_COLUMNS`; unreadable rows go to ``rejects.csv``; the manifest
records every input with its hash, settings and counts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import itertools
import json
import math
import secrets
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from opinion import schema as S
from opinion.errors import InputError
from opinion.io.atomic import atomic_path
from opinion.io.columns import ColumnMapping, check_text_column, longest_column, map_columns
from opinion.io.dates import date_from_filename as filename_date
from opinion.io.dates import parse_date
from opinion.io.dedup import DuplicateIndex, part_key, text_hash
from opinion.io.documents import read_document
from opinion.io.encoding import normalize_encoding_name
from opinion.io.lines import CUT_SHORT, DEFAULT_MAX_BYTES, max_bytes_from_mb
from opinion.io.readers import Record, open_table
from opinion.io.rejects import append_rejects, remove_rejects
from opinion.io.sources import InputSource, discover_inputs
from opinion.io.workspace import Workspace

__all__ = ["CORPUS_SCHEMA", "FileReport", "LoadReport", "load_corpus", "text_hash"]

CORPUS_SCHEMA = pa.schema([
    (S.DOC_ID, pa.string()), (S.TITLE, pa.string()), (S.TEXT_RAW, pa.string()),
    (S.PUBLISHED_AT, pa.timestamp("ns")), (S.SOURCE, pa.string()),
    (S.INPUT_FILE, pa.string()), (S.INPUT_ROW, pa.int64()), (S.ENCODING, pa.string()),
    (S.DECODE_ERROR, pa.bool_()), (S.TEXT_HASH, pa.string()), (S.DUPLICATE_OF, pa.string()),
    (S.META, pa.string()),
])
DOCUMENT_MAPPING = ColumnMapping(text="text", title="title", source="source")
_to_json = json.JSONEncoder(ensure_ascii=False, default=str).encode


@dataclass
class FileReport:
    """Counts for one input; ``rows_read == rows_loaded + rows_rejected`` always."""

    path: str
    key: str
    format: str
    encoding: str
    sheet: str | None = None
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    duplicates: int = 0
    decode_errors: int = 0
    dates_missing: int = 0
    dates_unreadable: int = 0
    other_encoding_rows: int = 0
    columns: dict[str, Any] = field(default_factory=dict)
    parts: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class LoadReport:
    """What one ``load_corpus`` call did, per input."""

    workspace: str
    files: list[FileReport]
    seconds: float = 0.0
    skipped: list[str] = field(default_factory=list)

    def total(self, name: str) -> int:
        """Sum of one count over the inputs: ``report.total("rows_loaded")``."""
        return sum(getattr(f, name) for f in self.files)

    def __str__(self) -> str:
        skipped = f"; {len(self.skipped)} already loaded, skipped" if self.skipped else ""
        return (f"loaded {self.total('rows_loaded')} documents from {len(self.files)} input(s) "
                f"into {self.workspace} in {self.seconds:.1f} s ({self.total('rows_read')} "
                f"rows read, {self.total('rows_rejected')} rejected, "
                f"{self.total('duplicates')} duplicates){skipped}")


def _as_text(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return value if isinstance(value, str) else str(value)


@dataclass
class _Plan:
    source: InputSource
    key: str
    sha256: str
    encoding: str
    mapping: ColumnMapping
    columns: list[str]
    old: dict[str, Any] | None


@dataclass
class _Options:
    encoding: str
    sheet: str | None
    drop_duplicates: bool
    date_from_filename: bool
    year: int | None
    chunk_rows: int
    drop_cols: tuple[str, ...]
    pseudonymize_cols: tuple[str, ...]
    column_names: tuple[str, ...] = ()
    salt: bytes = b""
    max_bytes: int = DEFAULT_MAX_BYTES


def _key_for(source: InputSource, taken: set[str]) -> str:
    base = source.base_key()
    key, n = base, 2
    while key in taken:
        key, n = f"{base}_{n}", n + 1
    return key


def _probe(source: InputSource, opts: _Options,
           roles: dict[str, str | None]) -> tuple[str, list[str], ColumnMapping]:
    """Encoding, columns and column mapping of one input, read from its first rows."""
    if source.is_document_group:
        encoding = opts.encoding if opts.encoding == "auto" else normalize_encoding_name(
            opts.encoding)
        if opts.date_from_filename:
            for path in source.files:
                filename_date(path.name, year=opts.year)
        return encoding, ["title", "text", "source"], DOCUMENT_MAPPING
    with open_table(source.files[0], source.fmt, encoding=opts.encoding, sheet=opts.sheet,
                    names=opts.column_names, max_bytes=opts.max_bytes) as table:
        given = dict(roles)
        if not table.has_header and not given["text_col"]:
            given["text_col"] = longest_column(table.sample_rows, table.columns)
        if table.columns:
            mapping = map_columns(table.columns, where=source.label, **given)
            if not roles["text_col"]:
                sample = [r.values for r in itertools.islice(table.records(), 50) if r.values]
                check_text_column(mapping, table.columns, sample, where=source.label)
        else:
            mapping = ColumnMapping(text="text")  # an empty file: nothing to map
    if opts.date_from_filename and mapping.date is None:
        filename_date(source.path.name, year=opts.year)
    for col in (*opts.drop_cols, *opts.pseudonymize_cols):
        if col == mapping.text and col in table.columns:
            raise InputError(f"{source.label}: column {col!r} holds the text; it cannot be "
                             "dropped or pseudonymised")
    return table.encoding, table.columns, mapping


def _plan(sources: list[InputSource], ws: Workspace, *, replace: bool, skip_loaded: bool,
          opts: _Options, roles: dict[str, str | None]) -> tuple[list[_Plan], list[str]]:
    """Check every input before anything is written: encoding, columns, re-loads, dates.

    Returns the plans and the labels of inputs skipped as already loaded unchanged.
    """
    by_path = {entry["path"]: entry for entry in ws.manifest["inputs"]}
    by_sha = {entry["sha256"]: entry for entry in ws.manifest["inputs"]}
    taken = {entry["key"] for entry in ws.manifest["inputs"]}
    plans: list[_Plan] = []
    skipped: list[str] = []
    for source in sources:
        digest = source.sha256()
        old = by_path.get(str(source.path.resolve()))
        if old is not None and skip_loaded and old["sha256"] == digest:
            skipped.append(source.label)
            continue
        if old is not None and not replace:
            raise InputError(f"{source.label}: already loaded into {ws.root} "
                             f"(on {old.get('loaded_at', '?')}); pass --replace to load it again")
        twin = by_sha.get(digest)
        if twin is not None and twin is not old and not replace:
            raise InputError(f"{source.label}: same content as {twin['label']}, already loaded; "
                             "pass --replace to load it anyway (its rows become duplicates)")
        key = old["key"] if old is not None else _key_for(source, taken)
        taken.add(key)
        encoding, columns, mapping = _probe(source, opts, roles)
        plans.append(_Plan(source, key, digest, encoding, mapping, columns, old))
    seen = {c for plan in plans for c in plan.columns}
    for flag, cols in (("--drop-col", opts.drop_cols),
                       ("--pseudonymize-col", opts.pseudonymize_cols)):
        missing = [c for c in cols if c not in seen]
        if plans and missing:
            raise InputError(f"{flag} {missing[0]}: no input has this column; found "
                             f"[{', '.join(sorted(map(str, seen)))}]")
    return plans, skipped


class _Writer:
    """Collects corpus rows of one input and writes them as parts of ``chunk_rows``."""

    def __init__(self, ws: Workspace, key: str, chunk_rows: int) -> None:
        self.ws, self.key, self.chunk_rows = ws, key, chunk_rows
        self.rows: list[tuple[Any, ...]] = []
        self.parts: list[str] = []

    def add(self, row: tuple[Any, ...]) -> None:
        """Add one row, its values in the order of :data:`opinion.schema.CORPUS_COLUMNS`."""
        self.rows.append(row)
        if len(self.rows) >= self.chunk_rows:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        import pyarrow.parquet as pq

        columns = zip(*self.rows)
        table = pa.Table.from_arrays(
            [pa.array(values, type=column.type) for values, column in zip(columns, CORPUS_SCHEMA)],
            schema=CORPUS_SCHEMA)
        part = f"{self.key}-{len(self.parts):05d}"
        with atomic_path(self.ws.part_path(S.CORPUS, part)) as tmp:
            pq.write_table(table, tmp)
        self.parts.append(part)
        self.rows = []

    def discard(self) -> None:
        for part in self.parts:
            self.ws.remove_part(S.CORPUS, part)


def _records(plan: _Plan, opts: _Options
             ) -> Iterable[tuple[Record, str, Any, Callable[[], int]]]:
    """Records of an input with the file each came from, the date its name carries and a
    function telling how many bytes of the input have been read (for the progress bar)."""
    source = plan.source
    if source.is_document_group:
        done = 0
        for path in source.files:
            date = filename_date(path.name, year=opts.year) if opts.date_from_filename else None
            record = read_document(path, source.fmt, encoding=opts.encoding,
                                   source=source.source_name, max_bytes=opts.max_bytes)
            done += path.stat().st_size
            yield record, str(path), date, lambda: done
        return
    path = source.files[0]
    date = None
    if opts.date_from_filename and plan.mapping.date is None:
        date = filename_date(path.name, year=opts.year)
    with open_table(path, source.fmt, encoding=opts.encoding, known_encoding=plan.encoding,
                    sheet=opts.sheet, names=opts.column_names, max_bytes=opts.max_bytes) as table:
        for record in table.records():
            yield record, source.label, date, table.bytes_read


def _pseudonym(value: Any, salt: bytes) -> str | None:
    text = _as_text(value)
    if text is None or text == "":
        return text
    return hmac.new(salt, text.encode("utf-8"), hashlib.sha256).hexdigest()[:16]


class _InputLoader:
    """Turns the records of one input into corpus rows, rejects and counts."""

    def __init__(self, plan: _Plan, ws: Workspace, opts: _Options, index: DuplicateIndex,
                 rejects: list[dict[str, Any]]) -> None:
        self.plan, self.opts, self.index, self.rejects = plan, opts, index, rejects
        self.mapping, self.key = plan.mapping, plan.key
        self.mapped = plan.mapping.mapped()
        self.group = plan.source.is_document_group
        self.report = FileReport(
            path=plan.source.label, key=plan.key, format=plan.source.fmt,
            encoding=plan.encoding, sheet=opts.sheet if plan.source.fmt == "xlsx" else None,
            columns=plan.mapping.as_dict())
        self.writer = _Writer(ws, plan.key, opts.chunk_rows)
        self.seen_ids: dict[str, int] = {}
        self.id_clashes: list[str] = []
        self.encodings: set[str] = set()

    def run(self, progress: _Progress) -> FileReport:
        try:
            records = _records(self.plan, self.opts)
            for ordinal, (record, file, file_date, where) in enumerate(records, start=1):
                self.report.rows_read += 1
                if ordinal % 5000 == 0:
                    progress.reading(5000, where())
                self._take(record, file, file_date, ordinal)
            if self.id_clashes:
                shown = "; ".join(self.id_clashes[:5])
                more = f" and {len(self.id_clashes) - 5} more" if len(self.id_clashes) > 5 else ""
                raise InputError(
                    f"{self.plan.source.label}: column {self.mapping.id} repeats ids: {shown}"
                    f"{more}; ids must be unique (drop --id-col to number rows)")
            self.writer.flush()
        except BaseException:
            self.writer.discard()
            raise
        self.report.parts = self.writer.parts
        if self.group and self.encodings:
            self.report.encoding = "+".join(sorted(self.encodings))
        return self.report

    def _reject(self, record: Record, file: str, reason: str,
                values: dict[str, Any] | None = None) -> None:
        self.report.rows_rejected += 1
        raw = record.raw if record.raw is not None else json.dumps(
            values or {}, ensure_ascii=False, default=str)
        self.rejects.append({"file": file, "row": record.row, "reason": reason,
                             "raw": raw.rstrip("\r\n"), "input_key": self.key})

    def _values(self, record: Record) -> dict[str, Any]:
        values = record.values or {}
        if self.opts.drop_cols or self.opts.pseudonymize_cols:
            values = {k: v for k, v in values.items() if k not in self.opts.drop_cols}
            for col in self.opts.pseudonymize_cols:
                if col in values:
                    values[col] = _pseudonym(values[col], self.opts.salt)
        return values

    def _doc_id(self, record: Record, values: dict[str, Any], ordinal: int) -> str | None:
        """The row's id; None when the user's id is repeated (collected for the error)."""
        if self.mapping.id is None:
            return f"{self.key}-{ordinal if self.group else record.row}"
        doc_id = (_as_text(values.get(self.mapping.id)) or "").strip()
        if doc_id in self.seen_ids or doc_id in self.index.ids:
            first = self.seen_ids.get(doc_id)
            where = f"row {first}" if first else "an earlier input"
            self.id_clashes.append(f"{doc_id!r} (row {record.row}, also {where})")
            return None
        self.seen_ids[doc_id] = record.row
        return doc_id

    def _take(self, record: Record, file: str, file_date: Any, ordinal: int) -> None:
        if record.reject is not None:
            self._reject(record, file, record.reject)
            if record.reject.startswith(CUT_SHORT):
                self.report.notes.append(f"{file}: {record.reject}; the {self.report.rows_read - 1} "
                                         "rows before were read")
            return
        mapping, report = self.mapping, self.report
        values = self._values(record)
        text = _as_text(values.get(mapping.text))
        if text is None or not text.strip():
            self._reject(record, file, "empty text", values)
            return
        if mapping.id is not None and not (_as_text(values.get(mapping.id)) or "").strip():
            self._reject(record, file, f"empty id in column {mapping.id}", values)
            return
        doc_id = self._doc_id(record, values, ordinal)
        if doc_id is None or self.id_clashes:
            return  # only collecting the clashes now; the input will not be kept
        digest = text_hash(text)
        first = self.index.first.get(digest)
        if first is None:
            self.index.first[digest] = doc_id
        else:
            report.duplicates += 1
            if self.opts.drop_duplicates:
                self._reject(record, file, f"duplicate of {first}", values)
                return
        published = parse_date(values.get(mapping.date)) if mapping.date else file_date
        report.dates_missing += published is None
        report.dates_unreadable += published is None and mapping.date is not None and bool(
            (_as_text(values.get(mapping.date)) or "").strip())
        report.decode_errors += record.decode_error
        self.encodings.add(record.encoding)
        report.other_encoding_rows += not self.group and record.encoding != self.plan.encoding
        meta = {k: v for k, v in values.items() if k not in self.mapped}
        self.writer.add((  # in the order of schema.CORPUS_COLUMNS
            doc_id,
            (_as_text(values.get(mapping.title)) or None) if mapping.title else None,
            text, published,
            (_as_text(values.get(mapping.source)) or None) if mapping.source else None,
            file, record.row, record.encoding, record.decode_error, digest, first,
            _to_json(meta) if meta else "{}",
        ))
        report.rows_loaded += 1
        self.index.ids.add(doc_id)


def _remove_input(ws: Workspace, entry: dict[str, Any]) -> None:
    for part in ws.parts(S.CORPUS):
        if part_key(part) == entry["key"]:
            ws.remove_part(S.CORPUS, part)
    ws.manifest["inputs"] = [e for e in ws.manifest["inputs"] if e["key"] != entry["key"]]
    remove_rejects(ws.rejects_path, {entry["key"]})
    ws.save_manifest()


def _remove_orphan_parts(ws: Workspace) -> None:
    """Parts left by a load that crashed before recording its input."""
    keys = {entry["key"] for entry in ws.manifest["inputs"]}
    for part in ws.parts(S.CORPUS):
        if part_key(part) not in keys:
            ws.remove_part(S.CORPUS, part)


class _Progress:
    """A bar over the bytes of all inputs, counting rows; shown only on a terminal."""

    def __init__(self, total_bytes: int, *, show: bool) -> None:
        import sys

        from tqdm.auto import tqdm

        self._rows, self._done = 0, 0
        self._bar = tqdm(total=total_bytes, desc="load", unit="B", unit_scale=True,
                         file=sys.stderr, disable=not (show and sys.stderr.isatty()),
                         dynamic_ncols=True)

    def reading(self, rows: int, offset: int) -> None:
        """``rows`` more rows read; ``offset`` bytes into the current input."""
        self._rows += rows
        self._bar.n = min(self._done + offset, self._bar.total)
        self._bar.set_postfix(rows=f"{self._rows:,}", refresh=True)

    def input_done(self, size: int) -> None:
        self._done += size
        self._bar.n = min(self._done, self._bar.total)
        self._bar.refresh()

    def close(self) -> None:
        self._bar.close()


def load_corpus(
    paths: Sequence[str | Path],
    workspace: str | Path,
    *,
    fmt: str = "auto",
    encoding: str = "auto",
    text_col: str | None = None,
    title_col: str | None = None,
    id_col: str | None = None,
    date_col: str | None = None,
    source_col: str | None = None,
    sheet: str | None = None,
    drop_duplicates: bool = False,
    replace: bool = False,
    date_from_filename: bool = False,
    year: int | None = None,
    chunk_rows: int = 50_000,
    drop_cols: Sequence[str] = (),
    pseudonymize_cols: Sequence[str] = (),
    skip_loaded: bool = False,
    column_names: Sequence[str] = (),
    show_progress: bool = False,
    max_field_mb: float = DEFAULT_MAX_BYTES / 2**20,
) -> LoadReport:
    """Load files, folders or globs into ``workspace`` (created if missing).

    Every input is checked first (format, encoding, columns, earlier loads), so a mistake
    stops the load before anything is written. An input loaded before is refused unless
    ``replace``; with ``skip_loaded`` one whose content has not changed is skipped.
    ``column_names`` names the columns of CSV/TSV files without a header line (THUCNews:
    ``["title", "label"]``); without it such files get ``column_1 ... column_N``.
    A line, field or whole-read file over ``max_field_mb`` is rejected (``field too long``).
    Raises :class:`InputError` for user errors.
    """
    started = time.perf_counter()
    if chunk_rows < 1:
        raise InputError(f"chunk_rows must be at least 1; got {chunk_rows}")
    if year is not None and not 1900 <= year <= 2200:
        raise InputError(f"--year must be a four-digit year; got {year}")
    if encoding != "auto":
        normalize_encoding_name(encoding)
    max_bytes = max_bytes_from_mb(max_field_mb)
    sources = discover_inputs([str(p) for p in paths], fmt=fmt)
    ws = Workspace.open(workspace, create=True)
    opts = _Options(encoding, sheet, drop_duplicates, date_from_filename, year, chunk_rows,
                    tuple(drop_cols), tuple(pseudonymize_cols), tuple(column_names),
                    max_bytes=max_bytes)
    roles = {"text_col": text_col, "title_col": title_col, "id_col": id_col,
             "date_col": date_col, "source_col": source_col}
    plans, skipped = _plan(sources, ws, replace=replace, skip_loaded=skip_loaded, opts=opts,
                           roles=roles)
    if opts.pseudonymize_cols:
        salt = ws.manifest.setdefault("pseudonym_salt", secrets.token_hex(16))
        opts.salt = salt.encode("ascii")
    _remove_orphan_parts(ws)
    index = DuplicateIndex(ws, skip_keys={p.key for p in plans if p.old is not None})
    progress = _Progress(sum(plan.source.size() for plan in plans), show=show_progress)
    reports: list[FileReport] = []
    try:
        for plan in plans:
            if plan.old is not None:
                _remove_input(ws, plan.old)
            rejects: list[dict[str, Any]] = []
            report = _InputLoader(plan, ws, opts, index, rejects).run(progress)
            append_rejects(ws.rejects_path, rejects)
            entry = {
                "path": str(plan.source.path.resolve()), "label": plan.source.label,
                "key": plan.key, "sha256": plan.sha256,
                "files": len(plan.source.files),
                "loaded_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                "settings": {"drop_duplicates": drop_duplicates,
                             "date_from_filename": date_from_filename, "year": year,
                             "drop_cols": list(drop_cols),
                             "pseudonymize_cols": list(pseudonymize_cols),
                             "column_names": list(column_names)},
                **{k: v for k, v in asdict(report).items() if k not in ("path", "key")},
            }
            ws.manifest["inputs"].append(entry)
            ws.save_manifest()
            reports.append(report)
            progress.input_done(plan.source.size())
    finally:
        progress.close()
    return LoadReport(str(ws.root), reports, time.perf_counter() - started, skipped)
