"""What one load did: :class:`LoadReport`, its counts per input and the notes on the inputs
as a whole (files the folders held that were not read, inputs named by day without dates,
dates far from the rest, stored options changed); and :class:`Progress`, its bar while it runs.

    >>> report = load_corpus(["导出/"], "ws")  # doctest: +SKIP
    >>> report.input_notes()  # doctest: +SKIP
    ['1 file(s) in the input folders were not read (.md 1): 导出/说明.md; ...']
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from opinion import schema as S
from opinion.errors import InputError, some_of
from opinion.io.dates import date_from_filename as filename_date
from opinion.io.dates import far_dates, impossible_name_day
from opinion.io.intake import FileReport
from opinion.io.sources import PAGE_SUFFIXES

if TYPE_CHECKING:
    from opinion.io.workspace import Workspace


TWIN = "same content as "  # the start of the reason a copy of another input is left out


def _kinds(paths: Iterable[str]) -> str:
    """``.jpg 1, .md 1``: how many of ``paths`` have each extension, most first (ties by name)."""
    kinds = Counter(Path(p).suffix.lower() or "(no extension)" for p in paths)
    return ", ".join(f"{k} {n}" for k, n in sorted(kinds.items(), key=lambda kn: (-kn[1], kn[0])))


def _resource_folder(path: Path) -> Path:
    """The outermost saved-page resource folder holding ``path`` (``钟南山_files``)."""
    for parent in reversed(path.parents):
        stem = parent.name[:-6] if parent.name.lower().endswith(("_files", ".files")) else ""
        if stem and any((parent.parent / f"{stem}{s}").exists()
                        for s in (*PAGE_SUFFIXES, *(x.upper() for x in PAGE_SUFFIXES))):
            return parent
    return path.parent


class Progress:
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


@dataclass
class LoadReport:
    """What one ``load_corpus`` call did, per input."""

    workspace: str
    files: list[FileReport]
    seconds: float = 0.0
    skipped: list[str] = field(default_factory=list)
    not_read: list[str] = field(default_factory=list)  # files in the input folders of no format read
    saved_pages: list[str] = field(default_factory=list)  # files in saved pages' resource folders, left out
    settings_note: str = ""  # the stored load options this load changed (LoadSettings.kept_over)
    far_note: str = ""  # documents dated far from the rest (far_dates_note)
    name_year: int | None = None  # with --date-from-filename: its --year (0 without one), else None

    def total(self, name: str) -> int:
        """Sum of one count over the inputs: ``report.total("rows_loaded")``."""
        return sum(getattr(f, name) for f in self.files)

    @property
    def rejected_files(self) -> list[FileReport]:
        """Inputs found in a folder or by a glob that could not be read at all."""
        return [f for f in self.files if f.error is not None]

    def not_read_note(self, shown: int = 5) -> str:
        """What was left out of the folders, or "": ``2 file(s) in the input folders were not
        read (.jpg 1, .md 1): cover.jpg, 说明.md; ...``, then the files of saved pages'
        resource folders: ``3 file(s) in saved-page resource folders left out (.htm 1, …):
        news/钟南山_files; ...``."""
        notes = []
        if self.not_read:
            notes.append(f"{len(self.not_read)} file(s) in the input folders were not read "
                         f"({_kinds(self.not_read)}): {some_of(self.not_read, shown)}; their "
                         "extension names no format the loader reads (rename those holding text "
                         "to .txt and web pages to .html, or load them on their own with --format txt "
                         "or --format html)")
        if self.saved_pages:
            folders = list(dict.fromkeys(str(_resource_folder(Path(p))) for p in self.saved_pages))
            notes.append(f"{len(self.saved_pages)} file(s) in saved-page resource folders left out "
                         f"({_kinds(self.saved_pages)}): {some_of(folders, shown)}; a browser saves "
                         "them beside the page (<page>_files/ beside <page>.html): its frames "
                         "(ads, share bars, comment boxes), images and scripts, not articles; "
                         "name such a folder on the command line to load it")
        return "; ".join(notes)

    def input_notes(self) -> list[str]:
        """The notes on the inputs as a whole that apply (files the folders held that were not
        read, inputs named by day without dates), as `opinion load` and `opinion run` print them."""
        notes = (self.not_read_note(), self.undated_note(), self.far_note, self.settings_note)
        return [note for note in notes if note]

    def column_notes(self) -> list[str]:
        """Which column filled each role, once per distinct choice: ``columns: text 'content',
        date 'ts' (p.parquet)``; folders of documents have nothing to say."""
        uses: dict[str, list[str]] = {}
        for f in self.files:
            used = ", ".join(f"{role} {name!r}" for role, name in (f.columns or {}).items() if name)
            if f.format not in ("txt", "html") and used and not getattr(f, "error", None):
                uses.setdefault(used, []).append(f.path)
        return [f"columns: {used} ({some_of(paths, 3)})" for used, paths in uses.items()]

    def undated_note(self, shown: int = 3) -> str:
        """Inputs without a date column whose file names are dates, and the flags that date
        them, or "": ``2 input(s) have no date column but are named by day (2.14.csv.gz,
        2.15.csv.gz): to date their rows by the name, load again with --date-from-filename
        --year YYYY --replace``."""
        named, yearless, no_day = [], False, []
        for f in self.files:
            if (f.error or f.format in ("txt", "html") or not f.rows_loaded
                    or (f.columns or {}).get("date") or f.dates_missing < f.rows_loaded):
                continue
            name = Path(f.path).name
            if self.name_year is not None:  # dated by name, yet undated: 2.29 in 2019
                why = impossible_name_day(name, self.name_year or None)
                no_day += [f"{name}: {why}"] if why else []
                continue
            try:
                if filename_date(name) is None:
                    continue
            except InputError:  # month and day only (1.27.csv.gz)
                yearless = True
            named.append(name)
        if no_day:  # since 2026-12-08; the note named the flags given
            return (f"{len(no_day)} input(s) named by a day that does not exist, loaded without dates: "
                    f"{some_of(no_day, shown, '; ')}")
        if not named:
            return ""
        listed = some_of(named, shown)
        year = " --year YYYY" if yearless else ""
        return (f"{len(named)} input(s) have no date column but are named by day ({listed}): to "
                f"date their rows by the name, load again with --date-from-filename{year} --replace")

    def __str__(self) -> str:
        skipped = (f"; {len(self.skipped)} already loaded and unchanged, skipped ("
                   f"{some_of(self.skipped, 3)}; --replace loads them again)" if self.skipped else "")
        bad = self.rejected_files
        twins = [f for f in bad if f.error and f.error.startswith(TWIN)]
        unreadable = f"; {len(bad) - len(twins)} unreadable file(s) rejected whole" if len(bad) > len(twins) else ""
        if twins:  # since 2026-12-08; they were counted as unreadable
            unreadable += (f"; {len(twins)} file(s) left out as copies of another input ("
                           f"{some_of([Path(f.path).name for f in twins], 3)}; --replace loads them)")
        if self.skipped and not self.files and not bad:  # a rerun: say so, not "loaded 0 documents"
            return (f"nothing new to load into {self.workspace}: {len(self.skipped)} input(s) already loaded "
                    f"and unchanged ({some_of(self.skipped, 3)}; --replace loads them again)")
        return (f"loaded {self.total('rows_loaded')} documents from {len(self.files)} input(s) "
                f"into {self.workspace} in {self.seconds:.1f} s ({self.total('rows_read')} "
                f"rows read, {self.total('rows_rejected')} rejected, "
                f"{self.total('duplicates')} duplicates){skipped}{unreadable}")


def far_dates_note(ws: Workspace, parts: list[str]) -> str:
    """A note on the documents of corpus ``parts`` (those just loaded) dated far outside the
    bulk of the workspace's dates (:func:`opinion.io.dates.far_dates`), or "": one sentinel
    (1970-01-01 08:00, a NULL epoch) stretches the date range that periods are chosen from."""
    import pandas as pd

    if not parts or not ws.has(S.CORPUS):
        return ""
    every = ws.read(S.CORPUS, columns=[S.PUBLISHED_AT])[S.PUBLISHED_AT]
    if every.notna().sum() < 2:
        return ""
    new = pd.concat([ws.read_part(S.CORPUS, p, columns=[S.PUBLISHED_AT, S.INPUT_FILE, S.INPUT_ROW])
                     for p in parts], ignore_index=True)
    far = new[far_dates(new[S.PUBLISHED_AT], every)]
    if far.empty:
        return ""
    first = far.iloc[0]
    rest = every[~far_dates(every)].dropna()
    low, high = (f"{q:%Y-%m-%d}" for q in (rest.min(), rest.max()))
    bulk = f"the rest from {low} to {high}" if low != high else f"the rest on {low}"
    return (f"{len(far):,} document(s) dated far outside the rest ({bulk}), e.g. "
            f"{first[S.INPUT_FILE]} row {first[S.INPUT_ROW]}: "
            f"{first[S.PUBLISHED_AT]}; a sentinel such as 1970-01-01 08:00 (a zero epoch) stretches the "
            "date range periods are chosen from: correct those dates, or load the file without them")


def dropped_copies_note(ws: Workspace, replaced: dict[str, str]) -> str:
    """For ``--drop-duplicates`` with ``--replace``: the rows of other inputs that
    ``rejects.csv`` holds as copies of the replaced inputs' posts (``duplicate of a-3``; keys
    ``replaced``, by label). They stay out of the corpus although that post may be gone, and
    the doc id named may now be another post's; "" when there are none."""
    import shlex

    from opinion.io.rejects import read_rejects

    prefixes = tuple(f"duplicate of {key}-" for key in replaced)
    labels = {entry["key"]: entry["label"] for entry in ws.manifest["inputs"]}
    found: Counter[str] = Counter()
    example = ""
    for row in read_rejects(ws.rejects_path):
        key = row.get("input_key", "")
        if key not in replaced and row.get("reason", "").startswith(prefixes):
            found[labels.get(key, row.get("file", key))] += 1
            example = example or f"{row.get('file')} row {row.get('row')}: {row['reason']}"
    if not found:
        return ""
    command = " ".join(shlex.quote(label) for label in found)
    return (f"{found.total():,} row(s) of {', '.join(found)} stay out as copies (--drop-duplicates) of posts "
            f"of {', '.join(replaced.values())}, which was replaced: that post may be gone, and rejects.csv "
            f"still names its old doc id ({example}); load them again to check them against the new posts: "
            f"opinion load {command} -w {shlex.quote(str(ws.root))} --replace --drop-duplicates")
