"""From the PATH arguments of ``opinion load`` to a list of inputs.

A PATH is a file (gzip-compressed or not), a folder (every supported file inside) or a
glob. Tabular files (CSV, TSV, JSONL, JSON, Parquet, Excel) are one input each; the
``.txt``/``.html`` documents of one folder form one input, one document per file::

    >>> [s.fmt for s in discover_inputs(["corpora/demo"])]  # doctest: +SKIP
    ['csv', 'csv', ..., 'txt']
"""

from __future__ import annotations

import glob
import gzip
import hashlib
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import pandas as pd

from opinion.errors import InputError
from opinion.io.atomic import file_sha256
from opinion.io.dates import date_from_filename

TABULAR_FORMATS = ("csv", "tsv", "jsonl", "json", "parquet", "xlsx", "xls")
WORKBOOK_FORMATS = ("xlsx", "xls")  # inputs with sheets (--sheet)
DOCUMENT_FORMATS = ("txt", "html")
FORMATS = ("auto", *TABULAR_FORMATS, *DOCUMENT_FORMATS)
EXTENSIONS = {
    ".csv": "csv", ".tsv": "tsv", ".tab": "tsv", ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".json": "json", ".parquet": "parquet", ".pq": "parquet", ".xlsx": "xlsx", ".xlsm": "xlsx",
    ".xls": "xls",
    ".txt": "txt", ".text": "txt", ".html": "html", ".htm": "html", ".shtml": "html", ".xhtml": "html",
}
GZIP_MAGIC = b"\x1f\x8b"
SAVED_PAGE = "saved-page"  # the format of a file in a saved page's resource folder: left out
_SURROGATE = re.compile("[\ud800-\udfff]")
_PIECES = re.compile(r"([/\s]+)")  # never a byte of a GBK character (\\ can be one: 0x5C)
_RESOURCE_DIR = re.compile(r"(?P<page>.+)[_.]files", re.IGNORECASE)  # 钟南山_files, 钟南山.files
PAGE_SUFFIXES = (".html", ".htm", ".shtml", ".xhtml")


def readable(name: str | os.PathLike[str]) -> str:
    """A path, name or message as text that UTF-8 can write (Parquet, JSON, CSV, a terminal).

    Unchanged unless it holds bytes that are not UTF-8: a zip made on Chinese Windows and
    unpacked on Linux names its files in GBK, which Python keeps as surrogate escapes. Each
    such piece is read as GB18030 (``微博导出.csv``), else written as ``\\xce\\xa2``; any
    other lone surrogate becomes U+FFFD. ``readable("/data/\\udcce\\udca2.csv")`` is
    ``"/data/微.csv"``.
    """
    text = os.fspath(name)
    if not _SURROGATE.search(text):
        return text
    return "".join(_readable_piece(piece) for piece in _PIECES.split(text))


def _readable_piece(piece: str) -> str:
    if not _SURROGATE.search(piece):
        return piece
    try:
        raw = os.fsencode(piece)  # the bytes on disk, exactly
    except UnicodeEncodeError:  # a surrogate that is no escaped byte (half an emoji)
        return _SURROGATE.sub("\ufffd", piece)
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        return raw.decode("utf-8", errors="backslashreplace")


@dataclass
class InputSource:
    """One input of a load: a tabular file, or the documents of one folder.

    ``label`` is the path as the user gave it (or found under a folder), made
    :func:`readable` (a GBK name reads as GB18030); ``files`` the
    files read (one for tabular inputs); ``source_name`` the folder name for documents.
    ``named`` is False for files found in a folder or by a glob: one that cannot be read is
    rejected (listed in rejects.csv) while the others load.
    """

    label: str
    path: Path
    fmt: str
    files: list[Path] = field(default_factory=list)
    source_name: str | None = None
    named: bool = True
    sheet: str | None = None  # the workbook sheet this input is (``--sheet '*'`` makes one per sheet)

    @property
    def is_document_group(self) -> bool:
        return self.fmt in DOCUMENT_FORMATS

    def sha256(self) -> str:
        """Hash of the content (for a folder of documents: of names and contents)."""
        if not self.is_document_group:
            if not self.files[0].is_file():  # a broken link or a pipe (rejected whole): never read
                return hashlib.sha256(f"not a file\0{readable(self.files[0])}".encode()).hexdigest()
            return file_sha256(self.files[0])
        digest = hashlib.sha256()
        for path in self.files:  # a GBK name (surrogate escapes) hashed as it reads
            digest.update(f"{readable(path.name)}\0{file_sha256(path)}\n".encode())
        return digest.hexdigest()

    def size(self) -> int:
        return sum(path.stat().st_size for path in self.files if path.is_file())

    def base_key(self) -> str:
        """A readable key for part names: ``1.27.csv.gz`` -> ``1_27``."""
        name = readable(self.path.name)
        if not self.is_document_group or self.path.is_file():
            name = strip_extensions(name)
        if self.sheet:
            name = f"{name}_{self.sheet}"
        return re.sub(r"\W+", "_", name).strip("_") or "input"


NOT_READ = "not-read"  # the format of a file found in a folder that is listed in _NOT_READ
# Files people point the loader at that it does not read, with the way to a format it does.
_NOT_READ = {
    ".et": "a WPS spreadsheet is not read; save it as .xlsx or as CSV UTF-8",
    ".doc": "a Word document is not read; save it as plain text (.txt, UTF-8) and load its folder",
    ".docx": "a Word document is not read; save it as plain text (.txt, UTF-8) and load its folder",
    ".wps": "a WPS document is not read; save it as plain text (.txt, UTF-8)",
    ".pdf": "a PDF is not read; extract its text first (pdftotext -enc UTF-8 file.pdf file.txt)",
    ".zip": "an archive is not read; unpack it and load the folder",
    ".rar": "an archive is not read; unpack it and load the folder",
    ".7z": "an archive is not read; unpack it and load the folder",
    ".numbers": "a Numbers spreadsheet is not read; export it as .xlsx or CSV",
}


def _odd_file(path: Path) -> bool:
    """Whether ``path``, not a file, is a link to nothing or something other than a folder (a
    pipe, a device, a socket), named like an input (``a.csv`` → a deleted file)."""
    named = format_of(path) is not None or path.suffix.lower() in _NOT_READ
    return named and not path.is_dir() and (path.is_symlink() or path.exists())


def unread_format(path: Path) -> str:
    """Why ``path`` is not read, and what to do: a known other format, else ``--format``."""
    if path.is_symlink() and not path.exists():
        return "a link to a file that does not exist (moved or deleted?); link it again or remove it"
    if path.exists() and not path.is_file() and not path.is_dir():
        return "not a regular file (a pipe, device or socket); copy the data into a file"
    known = _NOT_READ.get(path.suffix.lower())
    if known:
        return known
    return f"cannot tell the format from the extension; pass --format ({', '.join(FORMATS[1:])})"


def strip_extensions(name: str) -> str:
    """``2020.1.20.csv.gz`` -> ``2020.1.20``."""
    stem = name[:-3] if name.lower().endswith(".gz") else name
    suffix = Path(stem).suffix.lower()
    return stem[: -len(suffix)] if suffix in EXTENSIONS else stem


def format_of(path: Path) -> str | None:
    """The format named by a file's extension (``.gz`` ignored), or None."""
    name = path.name.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    return EXTENSIONS.get(Path(name).suffix)


def name_date(path: Path, year: int | None = None) -> pd.Timestamp | None:
    """The date ``path``'s name carries (:func:`~opinion.io.dates.date_from_filename`), read as
    it shows (a GBK name: ``微博_2020年2月1日.txt``), else, for a link, its target's name's:
    ``0_latest.txt -> 2020-02-01_report.txt`` is 2020-02-01."""
    date = date_from_filename(readable(path.name), year=year)
    if date is None and path.is_symlink():
        date = date_from_filename(readable(path.resolve().name), year=year)
    return date


def open_bytes(path: Path) -> BinaryIO:
    """Open a file for reading bytes, decompressing gzip (recognised by its magic bytes)."""
    with open(path, "rb") as probe:
        magic = probe.read(2)
    if magic == GZIP_MAGIC:
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return open(path, "rb")


def read_sample(path: Path, size: int) -> tuple[bytes, bool]:
    """The first ``size`` bytes (decompressed) and whether the file is longer."""
    try:
        with open_bytes(path) as fh:
            data = fh.read(size + 1)
    except (OSError, EOFError) as exc:
        raise InputError(f"{path}: cannot read ({exc})") from exc
    return data[:size], len(data) > size


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise InputError(f"unknown format {fmt!r}; choose one of: {', '.join(FORMATS)}")


def _expand(path_arg: str) -> list[Path]:
    path = Path(path_arg)
    if path.exists():
        return [path]
    if any(ch in path_arg for ch in "*?["):
        matches = sorted(Path(p) for p in glob.glob(path_arg, recursive=True))
        if not matches:
            raise InputError(f"{path_arg}: no file matches this pattern")
        return matches
    raise InputError(f"{path_arg}: no such file or folder")


def _resource_dirs(folder: Path, entries: Sequence[Path]) -> set[Path]:
    """The folders under ``folder`` a browser saved with a page ("save page, complete"):
    ``钟南山_files`` (or ``钟南山.files``) beside ``钟南山.html`` (or ``.htm``). They hold the
    page's frames (ads, share bars, comment widgets as ``.html``), images and scripts."""
    names = {str(path).lower() for path in entries}
    found: set[Path] = set()
    for path in entries:
        match = _RESOURCE_DIR.fullmatch(path.name)
        if match and path != folder and path.is_dir():
            page = str(path.parent / match.group("page")).lower()
            if any(page + suffix in names for suffix in PAGE_SUFFIXES):
                found.add(path)
    return found


def folder_entries(folder: Path) -> list[Path]:
    """Every file and folder under ``folder``, sorted, linked folders followed (``新闻 ->
    /data/新闻2021``: its files are read as if copied there), each real folder once: a link
    to a folder of the tree, or back up it (``loop -> ..``), adds nothing and cannot loop.
    ``folder_entries(Path("导出"))`` is ``[PosixPath('导出/一月'), PosixPath('导出/一月/a.txt')]``."""
    real = {_inode(root) for root, _, _ in os.walk(folder)}  # the folders there without links
    seen: set[tuple[int, int] | None] = {None}
    entries: list[Path] = []
    for root, dirs, files in os.walk(folder, followlinks=True):
        here = _inode(root)
        if here in seen or (here in real and linked(Path(root), folder)):
            dirs[:] = []  # walked already, or to be walked under its own name
            continue
        seen.add(here)
        entries.extend(Path(root, name) for name in (*dirs, *files))
    return sorted(entries)


def _inode(path: str) -> tuple[int, int] | None:
    try:
        found = os.stat(path)
    except OSError:
        return None
    return found.st_dev, found.st_ino


def linked(path: Path, root: Path) -> bool:
    """Whether ``path``, under ``root``, is reached through a symbolic link (itself or a folder
    between them): ``linked(Path("导出/latest.txt"), Path("导出"))`` for ``latest.txt -> a.txt``."""
    parts = path.relative_to(root).parts if path != root else ()
    return any(root.joinpath(*parts[:i]).is_symlink() for i in range(1, len(parts) + 1))


def _opinion_output(folder: Path, entries: Sequence[Path]) -> set[Path]:
    """The folders under ``folder`` that opinion itself wrote: a workspace (its ``manifest.json``
    holds ``inputs`` and ``stages``) or an export (its ``run.csv`` starts ``section,key,value``).
    ``opinion run 数据 -w 数据/分析 --out 数据/报告`` had read its own report back as a document
    on the next run, and the workspace's embeddings as a table."""
    import json

    found: set[Path] = set()
    for path in entries:
        if path.parent == folder or path.name not in ("manifest.json", "run.csv") or not path.is_file():
            continue
        try:
            with open(path, "rb") as fh:
                head = fh.read() if path.name == "manifest.json" else fh.read(64)
            if path.name == "run.csv":
                mine = head.removeprefix(b"\xef\xbb\xbf").split(b"\n")[0].strip() == b"section,key,value"
            else:
                manifest = json.loads(head)
                mine = isinstance(manifest, dict) and {"inputs", "stages"} <= manifest.keys()
        except (OSError, ValueError):
            continue
        if mine:
            found.add(path.parent)
    return found


def _walk_folder(folder: Path, fmt: str) -> Iterator[tuple[Path, str | None]]:
    """Every visible file under ``folder`` with the format it is read as (None: not read;
    :data:`SAVED_PAGE`: in a saved page's resource folder, left out). Hidden files and what
    opinion wrote (a workspace, an export folder: :func:`_opinion_output`) are not listed."""
    entries = folder_entries(folder)
    resources = _resource_dirs(folder, entries)
    outputs = _opinion_output(folder, entries)
    for path in entries:
        rel = path.relative_to(folder)
        if any(part.startswith(".") for part in rel.parts) or (
                outputs and any(parent in outputs for parent in (path, *path.parents))):
            continue
        saved = bool(resources) and any(folder.joinpath(*rel.parts[:i]) in resources
                                  for i in range(1, len(rel.parts)))
        if not path.is_file():
            if _odd_file(path):  # a broken link, a pipe or a device: said, not silently left out
                yield path, SAVED_PAGE if saved else NOT_READ
            continue
        if saved:  # a frame of the page beside it, not an article
            yield path, SAVED_PAGE
            continue
        file_fmt = fmt if fmt != "auto" else format_of(path)
        if file_fmt is None and path.suffix.lower() in _NOT_READ:
            file_fmt = NOT_READ  # an .xls or .docx beside the CSVs: rejected whole, with the way out
        yield path, file_fmt


def _folder_files(folder: Path, fmt: str) -> list[tuple[Path, str]]:
    return [(path, file_fmt) for path, file_fmt in _walk_folder(folder, fmt)
            if file_fmt is not None and file_fmt != SAVED_PAGE]


def files_left_out(paths: Sequence[str], *, fmt: str = "auto") -> tuple[list[Path], list[Path]]:
    """The files inside the folders of ``paths`` that a load leaves out: those whose extension
    names no format it reads (``notes.md``, ``cover.jpg``), and those in saved pages' resource
    folders (``钟南山_files/saved_resource.html`` beside ``钟南山.html``). Hidden files are not
    counted; a resource folder named itself in ``paths`` is read, so not counted either."""
    unread: list[Path] = []
    saved: list[Path] = []
    for arg in paths:
        if Path(arg).is_dir():
            for path, file_fmt in _walk_folder(Path(arg), fmt):
                if file_fmt is None:
                    unread.append(path)
                elif file_fmt == SAVED_PAGE:
                    saved.append(path)
    return unread, saved


def files_not_read(paths: Sequence[str], *, fmt: str = "auto") -> list[Path]:
    """The files inside the folders of ``paths`` that a load leaves out, their extension naming
    no format it reads (``notes.md``, ``cover.jpg``); hidden files are not counted.

    Example: ``files_not_read(["微博导出/"])`` is ``[PosixPath('微博导出/说明.md')]``.
    """
    return files_left_out(paths, fmt=fmt)[0]


def _real_first(candidates: list[tuple[Path, str]], root: Path) -> list[tuple[Path, str]]:
    """``candidates`` (found under ``root``) without the paths that are links to another of
    them: a file is read under its own name (``2020-02-01_report.txt``), not a link's
    (``0_latest.txt``), whichever sorts first."""
    real = {file.resolve() for file, _ in candidates if not linked(file, root)}
    return [(file, fmt) for file, fmt in candidates if not (linked(file, root) and file.resolve() in real)]


def discover_inputs(paths: Sequence[str], *, fmt: str = "auto") -> list[InputSource]:
    """Expand PATH arguments into inputs, each file once, in a stable order.

    Raises :class:`InputError` for a missing path, a pattern matching nothing, or a file
    whose format cannot be told from its extension (pass ``fmt``).
    """
    _check_format(fmt)
    if not paths:
        raise InputError("no input given; pass one or more files, folders or globs")
    sources: list[InputSource] = []
    documents: dict[tuple[Path, str], InputSource] = {}
    seen: set[Path] = set()
    for path_arg in paths:
        pattern = not Path(path_arg).exists()  # a glob: _expand refuses missing paths
        for path in _expand(path_arg):
            named = not pattern and not path.is_dir()
            if path.is_dir():
                candidates = _folder_files(path, fmt)
                if not candidates:
                    raise InputError(
                        f"{readable(path)}: folder holds no supported file "
                        f"({', '.join(sorted(EXTENSIONS))}, optionally .gz)"
                    )
            else:
                file_fmt = fmt if fmt != "auto" else format_of(path)
                if file_fmt is None:
                    raise InputError(f"{readable(path)}: {unread_format(path)}")
                candidates = [(path, file_fmt)]
            for file, file_fmt in _real_first(candidates, path):
                resolved = file.resolve()
                if resolved in seen:
                    continue
                seen.add(resolved)
                if file_fmt in DOCUMENT_FORMATS:
                    folder = file.parent if path.is_dir() else file
                    group = documents.get((folder.resolve(), file_fmt))
                    if group is None:
                        group = InputSource(label=readable(folder), path=folder, fmt=file_fmt,
                                            source_name=readable(Path(os.path.abspath(file.parent)).name),
                                            named=named)
                        documents[(folder.resolve(), file_fmt)] = group
                        sources.append(group)
                    group.files.append(file)
                else:
                    sources.append(InputSource(label=readable(file), path=file, fmt=file_fmt,
                                               files=[file], named=named))
    return sources
