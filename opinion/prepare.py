"""The prepare stage: clean → script → tokens → themes, per corpus part.

:func:`prepare_part` is a pure ``DataFrame -> DataFrame`` function (it can run under
Dask ``map_partitions``). :func:`prepare_workspace` runs it on every part of a loaded
workspace and writes ``prepared/<part>.parquet`` with the columns ``doc_id``,
``text_clean`` (as written: original script and wording), ``clean_removed`` (what cleaning
removed, one piece per line), ``script``, ``text_norm`` (the analysis text, Simplified),
``tokens`` (list of strings) and one int32 ``theme_<name>`` per theme. A part whose input and settings are unchanged is skipped,
so a second run is a no-op and a killed run resumes. With ``workers > 1`` the parts run
in a process pool (each worker loads the dictionary once); the output is identical to one
worker.

The module itself is callable: ``opinion.prepare("runs/微博", theme_files=["我的主题.toml"])``
is :func:`opinion.api.prepare`.

Example:
    >>> report = prepare_workspace("runs/weibo", workers=2)  # doctest: +SKIP
    >>> print(report)  # doctest: +SKIP
    prepare: 8 parts (8 prepared, 0 unchanged), 2000 documents in 1.9 s ...
"""

from __future__ import annotations

import functools
import os
from collections import Counter
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from opinion.config import PrepareSettings, settings_for, store_settings, with_workspace_dictionary
from opinion.engine.runner import PartwiseReport, run_partwise
from opinion.errors import WorkspaceError
from opinion.frontdoor import make_callable
from opinion.io.atomic import file_sha256, fingerprint
from opinion.io.lock import writes_workspace
from opinion.io.workspace import Workspace
from opinion.schema import (
    CLEAN_REMOVED,
    CORPUS,
    DOC_ID,
    PREPARED,
    SCRIPT,
    TEXT_CLEAN,
    TEXT_NORM,
    TEXT_RAW,
    TITLE,
    TOKENS,
)
from opinion.text.clean import clean_document, normalize_for_analysis
from opinion.text.script import detect_and_convert
from opinion.text.tokenize import Tokenizer
from opinion.themes import Theme, ThemeCounter, load_themes, theme_terms

__all__ = ["PrepareReport", "PrepareSettings", "prepare_part", "prepare_workspace",
           "settings_fingerprint", "with_workspace_dictionary"]

STAGE = "prepare"
ROWS_PER_WORKER = 10_000  # with workers=0, at most one worker per this many documents
# bump when the output of the same settings changes (24, 2026-12-08: numbers keep thousands separators
# and a minus, 1,234例 and -6.8% not 234例 and 6.8%, 4万多例 is one token, 〇 and 二〇一九年 are kept;
# 23: a negator joins the word it negates in the tokens, 不满意 not 满意; 22: cleaning keeps real
# content the furniture rules took)
PREPARE_VERSION = 24
THEME_FILES = "theme_files"  # the prepare record's {theme file: sha256} of the last complete run
HITS_MAX = np.iinfo(np.int32).max

def settings_fingerprint(settings: PrepareSettings) -> str:
    """Changes when anything that shapes the output of ``settings`` changes (dictionary and
    theme file contents included); :meth:`PrepareSettings.fingerprint` calls it."""
    payload = asdict(settings)
    payload.pop("engine")  # every engine gives the same tokens
    payload.pop("content_fingerprint")
    payload["user_dicts"] = [(p, file_sha256(p)) for p in settings.user_dicts if Path(p).exists()]
    payload["theme_files"] = [(p, file_sha256(p)) for p in settings.theme_files if Path(p).exists()]
    payload["version"] = PREPARE_VERSION
    runtime = _runtime(settings)
    payload["tokenizer"] = runtime.tokenizer.settings()
    payload["themes"] = [t.signature() for t in runtime.themes]
    return fingerprint(payload)


@dataclass
class _Runtime:
    themes: list[Theme]
    tokenizer: Tokenizer
    counter: ThemeCounter
    notes: list[str]  # user themes that replace others (國貨 of a file replaces the built-in 国货)


@functools.lru_cache(maxsize=4)
def _runtime(settings: PrepareSettings) -> _Runtime:
    """Themes, tokenizer and counter for ``settings``, built once per process."""
    notes: list[str] = []
    themes = load_themes(settings.theme_files, notes=notes)
    tokenizer = Tokenizer(user_dicts=settings.user_dicts, stopwords=settings.stopwords,
                          pos=settings.pos, extra_words=theme_terms(themes),
                          engine=settings.engine)
    return _Runtime(themes, tokenizer, ThemeCounter(themes), notes)


def check_theme_files(ws: Workspace, theme_files: tuple[str, ...]) -> None:
    """Refuse, in one line, theme files that changed since the workspace was prepared: its
    ``theme_*`` columns come from the files as they were, so the sentiment stage and
    ``opinion themes check`` must read the same (a workspace prepared before this record
    existed, 2026-12-07, is not checked)."""
    stored = (ws.stage_record(STAGE) or {}).get(THEME_FILES)
    if not isinstance(stored, dict):
        return
    again = f"run `opinion prepare -w {ws.root}` first"
    if list(stored) != list(theme_files):
        raise WorkspaceError(f"the workspace was prepared with the theme files {list(stored)}, "
                             f"not {list(theme_files)}; {again}")
    for path, sha in stored.items():
        try:
            current = file_sha256(path)
        except OSError:
            raise WorkspaceError(f"{path}: the theme file `opinion prepare` used cannot be read; "
                                 f"put it back, or {again} with other --themes") from None
        if current != sha:
            raise WorkspaceError(f"{path} changed since `opinion prepare`; {again}")


def _record_theme_files(ws: Workspace, settings: PrepareSettings) -> None:
    """Store the hash of each theme file the completed run used (:func:`check_theme_files`)."""
    record = dict(ws.stage_record(STAGE) or {})
    record[THEME_FILES] = {p: file_sha256(p) for p in settings.theme_files}
    ws.set_stage_record(STAGE, record)


TITLE_LINES = 5  # a title among a page's first lines (under a breadcrumb) is already there


def _document_text(title: object, text: object) -> str:
    """The text to prepare: the title first when the text does not open with it, on its first
    line or on one of its first :data:`TITLE_LINES` lines (a saved page's breadcrumb, then the
    headline: the seed article had its title twice)."""
    body = text if isinstance(text, str) else ""
    if not isinstance(title, str) or not title.strip():
        return body
    head = title.strip()
    opening = [line.strip() for line in body.lstrip()[:4000].splitlines() if line.strip()][:TITLE_LINES]
    if body.lstrip().startswith(head) or any(line.startswith(head) for line in opening):
        return body
    return f"{head}\n{body}"


def normalized_text(text: str, settings: PrepareSettings) -> tuple[str, tuple[str, ...], str, str]:
    """``text`` as prepare writes it: ``(text_clean, what cleaning removed, script, text_norm)``;
    ``normalized_text("質量很好??", PrepareSettings())[3] == "质量很好？"``."""
    clean, removed = clean_document(text, steps=settings.clean_steps, contacts=settings.contacts)
    script, norm = detect_and_convert(clean, hant=settings.hant)
    return clean, tuple(removed), script, normalize_for_analysis(norm)


def prepare_part(corpus_part: pd.DataFrame, settings: PrepareSettings) -> pd.DataFrame:
    """Clean, convert, tokenize and count themes for the rows of one corpus part.

    Needs ``doc_id`` and ``text_raw`` (``title`` is used when present). Rows with the
    same text are computed once. Example: a row with ``text_raw="國貨(guó)品控!!"``
    gives ``text_clean="國貨品控！"``, ``clean_removed=""``, ``script="zh-Hant"``,
    ``text_norm="国货品控！"``, ``tokens=["国货", "品控"]``, ``theme_国货=2``, ``theme_信任=1``.
    """
    missing = [c for c in (DOC_ID, TEXT_RAW) if c not in corpus_part.columns]
    if missing:
        raise WorkspaceError(f"corpus part lacks columns {missing}; run `opinion load` again")
    runtime = _runtime(settings)
    tokenize = runtime.tokenizer.tokenize
    counts = runtime.counter.counts
    titles = corpus_part[TITLE].tolist() if TITLE in corpus_part.columns else [None] * len(corpus_part)

    memo: dict[str, tuple[str, str, str, str, list[str], list[int]]] = {}
    rows = []
    for title, raw in zip(titles, corpus_part[TEXT_RAW].tolist()):
        text = _document_text(title, raw)
        done = memo.get(text)
        if done is None:
            clean, removed, script, norm = normalized_text(text, settings)
            tokens = tokenize(norm)
            done = memo[text] = (clean, "\n".join(removed), script, norm, tokens, counts(tokens, norm))
        rows.append(done)

    n_themes = len(runtime.themes)
    out = pd.DataFrame({
        DOC_ID: corpus_part[DOC_ID].to_numpy(),
        TEXT_CLEAN: [r[0] for r in rows],
        CLEAN_REMOVED: [r[1] for r in rows],
        SCRIPT: [r[2] for r in rows],
        TEXT_NORM: [r[3] for r in rows],
        TOKENS: [list(r[4]) for r in rows],
    })
    hits = np.array([r[5] for r in rows], dtype=np.int64).clip(0, HITS_MAX).astype(np.int32)
    hits = hits.reshape(len(rows), n_themes)
    for i, theme in enumerate(runtime.themes):
        out[theme.column] = hits[:, i]
    return out


# --- the workspace runner -------------------------------------------------------------
@dataclass
class PrepareReport:
    """What :func:`prepare_workspace` did (``runner`` is the part-wise runner's report)."""

    runner: PartwiseReport
    engine: str = ""
    scripts: dict[str, int] = field(default_factory=dict)  # of the parts computed now
    themes: dict[str, int] = field(default_factory=dict)  # documents with >= 1 hit, ditto
    theme_notes: list[str] = field(default_factory=list)  # user themes that replace others
    empty_before: int = 0  # documents whose text (title + text) was blank before cleaning, ditto
    emptied: int = 0  # documents that cleaning left empty though they had text (expected: 0)
    removed: int = 0  # documents cleaning removed something from (furniture, Weibo leftovers)
    flags: object = None  # opinion.flags.FlagReport: near-duplicates and spam, whole corpus

    @property
    def documents(self) -> int:
        return self.runner.rows_computed

    def __str__(self) -> str:
        flags = "".join(f"\nthemes: {note}" for note in self.theme_notes)
        flags += f"\n{self.flags}" if self.flags is not None else ""
        if not self.runner.computed:
            return self.runner.summary() + flags
        rate = self.documents / self.runner.seconds if self.runner.seconds > 0 else 0.0
        scripts = ", ".join(f"{k} {v}" for k, v in sorted(self.scripts.items())) or "-"
        themes = ", ".join(f"{k} {v}" for k, v in self.themes.items()) or "-"
        return (f"{self.runner.summary()}; {rate:,.0f} docs/s with {self.engine}\n"
                f"scripts: {scripts}\n"
                f"cleaning: {self.removed:,} documents lost furniture or Weibo leftovers "
                f"(column clean_removed); {self.empty_before + self.emptied:,} empty after cleaning, "
                f"{self.empty_before} of them empty before, {self.emptied} emptied by cleaning\n"
                f"documents with theme hits: {themes}{flags}")


def _count_cleaning(ws: Workspace, part: str, prepared: pd.DataFrame, report: PrepareReport) -> None:
    """Add a prepared part's documents with removals, and its empty ones, to ``report``;
    an empty document was emptied by cleaning when its corpus text was not blank."""
    report.removed += int(prepared[CLEAN_REMOVED].fillna("").astype(bool).sum())
    empty = ~prepared[TEXT_CLEAN].fillna("").str.strip().astype(bool)
    if not empty.any():
        return
    import pyarrow.parquet as pq

    names = pq.read_schema(ws.part_path(CORPUS, part)).names
    corpus = ws.read_part(CORPUS, part, columns=[c for c in (TITLE, TEXT_RAW) if c in names])
    titles = corpus[TITLE] if TITLE in corpus.columns else [None] * len(corpus)
    blank = [not _document_text(t, r).strip() for t, r in zip(titles, corpus[TEXT_RAW])]
    before = empty.to_numpy() & np.array(blank, dtype=bool)
    report.empty_before += int(before.sum())
    report.emptied += int(empty.sum() - before.sum())


def _corpus_rows(ws: Workspace) -> int:
    import pyarrow.parquet as pq

    return sum(pq.ParquetFile(ws.part_path(CORPUS, p)).metadata.num_rows for p in ws.parts(CORPUS))


def _warm(settings: PrepareSettings) -> None:
    """Process-pool initializer: load themes, OpenCC and the dictionary once per worker."""
    _ = _runtime(settings).tokenizer.segmenter
    detect_and_convert("預熱", hant=settings.hant)


@writes_workspace
def prepare_workspace(ws: Workspace | str | Path, *, settings: PrepareSettings | None = None,
                      workers: int = 0, force: bool = False, engine: str = "local",
                      address: str | None = None, flags: bool = True) -> PrepareReport:
    """Run :func:`prepare_part` on every corpus part that changed since the last run.

    Parts run in a process pool (``workers=0``: all cores, at most one per 10,000
    documents since a worker takes about a second to start) or on Dask (``engine="dask"``),
    through :func:`opinion.engine.runner.run_partwise`: a part is skipped when its content and the
    settings fingerprint (dictionary and theme file contents included) are unchanged, each
    part is recorded as soon as it is written, and the output equals ``workers=1``. The
    workspace's user dictionary is always used (:func:`with_workspace_dictionary`).
    With ``flags`` it then flags near-duplicates and spam over the whole corpus
    (:func:`opinion.flags.flag_workspace`, skipped when current; a kill in that pass leaves its
    record incomplete, which ``opinion info``, the topic fit and the export name, so the next
    ``opinion prepare`` finishes it: :func:`opinion.io.info.flags_behind`); ``flags=False`` leaves
    them to a later call (topic fits and exports refuse the workspace until then). Without ``settings`` it
    reuses the ones the workspace was last prepared with (:func:`opinion.config.settings_for`)
    and records what it ran with (:func:`opinion.config.store_settings`).
    """
    ws = ws if isinstance(ws, Workspace) else Workspace.open(ws)
    ws.require(CORPUS)
    given = settings_for(ws, PrepareSettings, settings)
    settings = with_workspace_dictionary(ws, given)
    settings = replace(settings, content_fingerprint=settings_fingerprint(settings))
    if workers <= 0:  # all cores, but a worker costs ~1 s to start: one per ROWS_PER_WORKER
        workers = max(1, min(os.cpu_count() or 1, _corpus_rows(ws) // ROWS_PER_WORKER))
    runner = run_partwise(ws, stage=STAGE, source=CORPUS, target=PREPARED, func=prepare_part,
                          settings=settings, workers=workers, force=force, engine=engine,
                          address=address, columns=[DOC_ID, TITLE, TEXT_RAW], desc="prepare",
                          initializer=_warm)
    runtime = _runtime(settings)
    _record_theme_files(ws, settings)
    report = PrepareReport(runner=runner, engine=runtime.tokenizer.engine, theme_notes=runtime.notes)
    theme_columns = [t.column for t in runtime.themes]
    for part in runner.computed:
        frame = ws.read_part(PREPARED, part, columns=[SCRIPT, TEXT_CLEAN, CLEAN_REMOVED, *theme_columns])
        _count_cleaning(ws, part, frame, report)
        for script, n in Counter(frame[SCRIPT]).items():
            report.scripts[script] = report.scripts.get(script, 0) + n
        for theme in runtime.themes:
            hits = int((frame[theme.column] > 0).sum())
            report.themes[theme.name] = report.themes.get(theme.name, 0) + hits
    store_settings(ws, given)
    if flags:
        from opinion.flags import flag_workspace

        report.flags = flag_workspace(ws, force=force)
    return report


# ``opinion.prepare("runs/demo")`` runs opinion.api.prepare (see opinion/frontdoor.py).
make_callable(__name__, "prepare")
