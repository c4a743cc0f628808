"""Export a workspace's report tables as CSV, XLSX, Markdown and HTML.

Example:
    >>> export_workspace("runs/weibo", "report", formats=("csv", "html"),  # doctest: +SKIP
    ...                  script="zh-Hant-TW", period="week")
    [PosixPath('report/topics.csv'), ..., PosixPath('report/report.html')]
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path

from opinion.config import (
    EXPORT_FORMATS,
    FORMAT_ALIASES,
    ExportSettings,
    parse_formats,
    settings_for,
    settings_stored_while,
)
from opinion.errors import InputError, StorageError, some_of
from opinion.io.atomic import remove_stale_temporaries, temp_prefix
from opinion.io.lock import exports_workspace
from opinion.io.workspace import Workspace
from opinion.report.tables import TABLE_NAMES, build_tables

FORMATS = EXPORT_FORMATS
EXPORT_TABLE_NAMES = (*TABLE_NAMES, "keywords_by_period")  # the tables a CSV/XLSX export writes
__all__ = ["EXPORT_TABLE_NAMES", "FORMATS", "FORMAT_ALIASES", "export_workspace", "parse_formats"]


def _require_current(ws: Workspace) -> None:
    """Refuse a report whose stages have not seen every loaded part, or saw other inputs than
    the workspace holds now: new documents would be missing from the sources and topics and
    count as 0 % in the themes, or show the cleaned text of what a `load --replace` replaced
    (:func:`opinion.engine.runner.require_current`, which the word views share)."""
    from opinion.engine.runner import require_current
    from opinion.io.info import incomplete_stages

    for stage, command in incomplete_stages(ws).items():
        raise InputError(f"{ws.root}: stage {stage} was interrupted and holds part of the corpus; "
                         f"run `{command}` to finish it, then export again")
    require_current(ws, then="export again", remember=True)  # under the export's lock


@exports_workspace
def export_workspace(ws: Workspace | str | Path, out: str | Path | None = None, *,
                     settings: ExportSettings | None = None,
                     formats: str | Iterable[str] | None = None, script: str | None = None,
                     lang: str | None = None, period: str | None = None, top: int | None = None,
                     progress: Callable[[list[str]], Iterable[str]] | None = None,
                     remember: bool = True) -> list[Path]:
    """Write the report of workspace ``ws`` into the folder ``out``; return the files written.

    ``out`` defaults to ``WS/export``. Without ``settings`` the workspace's last export
    settings are reused (else :class:`~opinion.config.ExportSettings`: every format);
    ``formats``, ``script``, ``lang``, ``period`` and ``top`` replace single values. ``lang``
    (``zh``, the default, or ``en``) is the language of the Markdown and HTML headings and notes;
    the data (labels, terms, posts) are shown in ``script`` either way. Settings given for the
    workspace's own ``WS/export`` are remembered for later exports and runs; a report written into
    another folder leaves them as they are. Without a ``period`` the
    timelines use the topic period the user chose (``opinion topics --period week``), else one
    picked from the date range.
    ``csv`` writes one ``<table>.csv`` per table (``keywords_by_period.csv`` included); ``xlsx``
    writes ``report.xlsx``; ``md`` writes ``report.md``; ``html`` writes ``report.html`` with
    word clouds (:mod:`opinion.words.report`). ``progress`` wraps the list of
    steps (``"tables"``, then each format), e.g. in a progress bar. ``remember=False`` leaves
    the workspace's stored export settings as they are (a one-off report, e.g. the explorer's).
    """
    ws = ws if isinstance(ws, Workspace) else Workspace.open(ws)
    _require_current(ws)
    given = settings
    settings = settings_for(ws, ExportSettings, given, {
        "formats": None if formats is None else parse_formats(formats), "script": script, "lang": lang,
        "period": period, "top": top})
    # run.csv says where the period came from: given (`auto`: the topics' or the dates'), or stored
    given_period = settings.period if period is not None else given.period if given is not None else None
    out = Path(out) if out is not None else ws.root / "export"
    check_out(out)
    own = out.resolve() == (ws.root / "export").resolve()
    # A report made into another folder (for someone else, in another script) is a one-off: it
    # does not change what `opinion export -w WS` and `opinion run` write into WS/export. The
    # settings are stored while the tables read them back, and put back when the export fails
    # (since 2026-12-08: a failed `--top 6000` stayed stored and failed every later export).
    with settings_stored_while(ws, settings, store=remember and own):
        return _write_report(ws, settings, out, own=own, given_period=given_period, progress=progress)


def _write_report(ws: Workspace, settings: ExportSettings, out: Path, *, own: bool, given_period: str | None,
                  progress: Callable[[list[str]], Iterable[str]] | None) -> list[Path]:
    """The body of :func:`export_workspace`: every table, then each format, moved into ``out``."""
    from opinion.io.csv_writer import write_csv
    from opinion.kwic import workspace_conversion
    from opinion.report.html_writer import write_html
    from opinion.report.markdown_writer import write_markdown
    from opinion.report.sections import undated
    from opinion.report.xlsx_writer import write_xlsx
    from opinion.words.report import cloud_images, keywords_for_export, keywords_without_dates

    chosen, script, lang, top = settings.formats, settings.script, settings.lang, settings.top
    steps = ["tables", *chosen]
    written: list[Path] = []
    # every file first in a staging folder named as atomic writes name theirs, then all moved in at the end
    staged = out / f"{temp_prefix('export')}{secrets.token_hex(4)}.tmp"
    try:
        for name in progress(steps) if progress else steps:
            if name == "tables":
                # the stored export period, else the topics', else the dates' (build_tables says which)
                with workspace_conversion(ws):  # excerpts cut as prepare converted (its `hant`)
                    tables = build_tables(ws, script=script, period=given_period, top=top)
                tables["keywords_by_period"] = keywords_for_export(ws, period=_period_of(tables), script=script)
                if undated(tables):  # the report's keyword section shows sources (or topics) instead
                    by, found = keywords_without_dates(ws, script=script)
                    if by:
                        tables[f"keywords_by_{by}"] = found
                out.mkdir(parents=True, exist_ok=True)
                remove_stale_temporaries(out)  # what a killed export left, not a running one's
                staged.mkdir()
            elif name == "csv":
                written += write_csv(tables, staged)
            elif name == "xlsx":
                written.append(write_xlsx(tables, staged / "report.xlsx"))
            elif name == "md":
                written.append(write_markdown(tables, staged / "report.md", script=script, lang=lang))
            else:
                clouds = cloud_images(ws, period=_period_of(tables), script=script, lang=lang)
                written.append(write_html(tables, staged / "report.html", script=script, clouds=clouds, lang=lang))
    except BaseException:  # an error or Ctrl-C: the earlier export stays whole, and nothing half-written
        shutil.rmtree(staged, ignore_errors=True)
        raise
    written = _move_in(written, out, staged)  # an interrupted export leaves the earlier set whole
    _tidy_earlier_files(out, written, own=own)
    return written


def _move_in(written: list[Path], out: Path, staged: Path) -> list[Path]:
    """Move the files of ``staged`` into ``out``, the earlier ones set aside first: when one cannot
    be replaced (``report.xlsx`` open in Excel or WPS on Windows, a folder of that name) the moved
    ones go back, so the folder holds the earlier set whole, and the error is one line."""
    aside = staged / ".earlier"
    aside.mkdir()
    set_aside: list[str] = []
    moved: list[str] = []
    try:
        for path in written:
            target = out / path.name
            if target.is_dir():
                raise InputError(f"{target}: is a folder, not a file this export can replace; move it away and "
                                 "export again")
            if target.exists():
                os.replace(target, aside / path.name)
                set_aside.append(path.name)
            os.replace(path, target)
            moved.append(path.name)
    except (OSError, InputError) as exc:
        kept = _put_back(out, staged, moved, set_aside)
        if isinstance(exc, InputError) and not kept:
            raise
        why = (f"{exc.filename or out}: cannot be replaced ({exc.strerror or exc}); close it if another "
               "program (Excel, WPS) has it open, then export again" if isinstance(exc, OSError) else str(exc))
        raise StorageError(f"{why}; the earlier export is left as it was" if not kept else
                           f"{why}; the earlier {', '.join(n.name for n in kept)} could not be put back "
                           f"either: it is in {kept[0].parent}, move it into {out} by hand") from None
    shutil.rmtree(staged)
    return [out / path.name for path in written]


def _put_back(out: Path, staged: Path, moved: list[str], set_aside: list[str]) -> list[Path]:
    """Undo a move-in that failed: the new files back to ``staged``, the earlier ones back to
    ``out``. Returns the earlier files that could not go back (a Windows indexer or antivirus
    holding the new file); they are kept, in a hidden folder of ``out`` that no later export
    removes (``.export.<pid>@<host>-<random>.kept/.earlier``), and ``staged`` is removed only when there are none."""
    for name in moved:
        with contextlib.suppress(OSError):
            os.replace(out / name, staged / name)
    stuck = []
    for name in set_aside:
        try:
            os.replace(staged / ".earlier" / name, out / name)
        except OSError:
            stuck.append(name)
    if not stuck:
        shutil.rmtree(staged, ignore_errors=True)
        return []
    kept = staged.with_suffix(".kept")
    try:
        os.replace(staged, kept)
    except OSError:
        kept = staged  # left where it is
    return [kept / ".earlier" / name for name in stuck]


EXPORT_FILES = (*(f"{name}.csv" for name in (*EXPORT_TABLE_NAMES, "keywords_by_source", "keywords_by_topic")),
                "report.xlsx", "report.md", "report.html")


def _tidy_earlier_files(out: Path, written: list[Path], *, own: bool) -> None:
    """An earlier export's files left in ``out`` beside this one's: in the workspace's ``own``
    ``WS/export``, a table CSV this export did not write while writing CSVs
    (``keywords_by_source.csv`` of a corpus that has dates now) is removed; anything else (a
    report in a format not asked for this time, any file in a folder of the user's) stays, with a
    warning that it is older."""
    import warnings

    from opinion.errors import OpinionWarning

    names = {path.name for path in written}
    wrote_csv = any(name.endswith(".csv") for name in names)
    older = []
    for name in EXPORT_FILES:
        if name in names or not (out / name).is_file():
            continue
        if own and wrote_csv and name.endswith(".csv"):
            (out / name).unlink()
        else:
            older.append(name)
    if older:
        warnings.warn(OpinionWarning(f"{out}: {some_of(older, 4)} {'is' if len(older) == 1 else 'are'} from an earlier "
                                     "export, not written this time; remove or re-export them"), stacklevel=2)


def check_out(out: str | Path) -> None:
    """An error naming ``out`` when it is a file, not a folder to write the report into."""
    if Path(out).exists() and not Path(out).is_dir():
        raise InputError(f"{out}: is a file; give a folder to write the report into", param="out")


def _period_of(tables: dict) -> str:
    """The period the tables were built with (from the run table)."""
    run = tables["run"]
    value = run.loc[(run["section"] == "export") & (run["key"] == "period"), "value"]
    return str(value.iloc[0]) if len(value) else "week"
