"""The workspace: a folder holding the corpus and every stage's output as Parquet.

Layout::

    WS/manifest.json          what was loaded, with which settings; one record per stage
    WS/rejects.csv            rows that could not be loaded, with file, row and reason
    WS/corpus/*.parquet       one part per input chunk (part names are shared by the
    WS/prepared/*.parquet     per-document stages, so a stage can run and resume per part)
    WS/sentiment/*.parquet
    WS/<table>.parquet        whole-corpus tables (topics, topics_over_time, ...)

Every write is atomic. DuckDB reads a table with ``read_parquet('WS/corpus/*.parquet')``.

Example:
    >>> ws = Workspace.open("runs/weibo", create=True)  # doctest: +SKIP
    >>> ws.read("corpus", columns=["doc_id", "text_raw"]).head()  # doctest: +SKIP
"""

from __future__ import annotations

import json
import shutil
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

from opinion.errors import OpinionWarning, StageOrderError, WorkspaceError, some_of
from opinion.io.atomic import atomic_path, write_json_atomic, write_text_atomic
from opinion.io.parts import PartStore
from opinion.schema import CORPUS, PREPARED, produced_by

MANIFEST = "manifest.json"
MANIFEST_FIX = "restore it from a backup, or load the corpus into a new workspace (opinion load FILES -w NEW)"
REJECTS = "rejects.csv"
FORMAT_VERSION = 1
LOCK_FILE = ".lock"  # see opinion.io.lock
INPUT_KEYS = ("path", "key", "sha256")

if TYPE_CHECKING:  # pandas is imported where tables are read, so opening a workspace stays light
    import pandas as pd



def manifest_text(manifest: dict[str, Any]) -> str:
    """The manifest as JSON with one line per input and per stage record.

    Still readable, and written by the C encoder: ``indent=2`` would run the pure-Python
    one, which made saving a manifest of 2,000 inputs take a second.
    """
    encode = json.JSONEncoder(ensure_ascii=False, default=str).encode
    items = []
    for key, value in manifest.items():
        if isinstance(value, list) and value:
            body = "[\n" + ",\n".join(f"    {encode(v)}" for v in value) + "\n  ]"
        elif isinstance(value, dict) and value:
            body = "{\n" + ",\n".join(f"    {encode(k)}: {encode(v)}"
                                       for k, v in value.items()) + "\n  }"
        else:
            body = encode(value)
        items.append(f"  {encode(key)}: {body}")
    return "{\n" + ",\n".join(items) + "\n}\n"


def check_creatable(root: str | Path) -> None:
    """Raise a one-line error unless ``root`` is a workspace, an empty folder or missing."""
    root = Path(root)
    if (root / MANIFEST).exists():
        return
    if root.exists() and not root.is_dir():
        raise WorkspaceError(f"{root}: is a file, not a workspace folder; choose a folder for -w")
    if root.is_dir() and any(p.name != LOCK_FILE for p in root.iterdir()):
        raise WorkspaceError(
            f"{root}: folder exists and is not empty but is not a workspace; "
            "choose a new or empty folder for -w"
        )


def check_manifest(manifest: Any, path: Path) -> dict[str, Any]:
    """The manifest if it has the expected shape, else a one-line :class:`WorkspaceError`."""
    def bad(what: str) -> WorkspaceError:
        return WorkspaceError(f"{path}: not an opinion manifest ({what}); {MANIFEST_FIX}")

    if not isinstance(manifest, dict):
        raise bad(f"a JSON {type(manifest).__name__} instead of an object")
    manifest.setdefault("inputs", [])
    manifest.setdefault("stages", {})
    inputs, stages = manifest["inputs"], manifest["stages"]
    if not isinstance(inputs, list):
        raise bad("'inputs' is not a list")
    for n, entry in enumerate(inputs, start=1):
        if not isinstance(entry, dict) or not all(isinstance(entry.get(k), str)
                                                  for k in INPUT_KEYS):
            raise bad(f"input {n} lacks {', '.join(INPUT_KEYS)}")
    if not isinstance(stages, dict) or not all(isinstance(v, dict) for v in stages.values()):
        raise bad("'stages' is not an object of records")
    note = manifest.get("commit")  # see opinion.io.commit
    if note is not None and not (isinstance(note, dict) and isinstance(note.get("keys"), list)
                                 and isinstance(note.get("replaced"), list)):
        raise bad("'commit' is not a load's commit note")
    return manifest


class Workspace:
    """A workspace folder. Use :meth:`open`; the constructor only stores the path.

    Example: ``Workspace.open("runs/微博").read("prepared", columns=["doc_id", "tokens"])``.
    """

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self.store = PartStore(str(self.root))  # the one store of the part files
        self._manifest: dict[str, Any] | None = None

    # -- opening -------------------------------------------------------------------
    @classmethod
    def open(cls, root: str | Path, *, create: bool = False) -> Workspace:
        """Open the workspace at ``root``; with ``create=True`` make it if missing."""
        ws = cls(root)
        manifest = ws.root / MANIFEST
        if manifest.exists():
            _ = ws.manifest  # validate now, not at first use
            return ws
        if not create:
            raise WorkspaceError(
                f"{ws.root}: not an opinion workspace (no {MANIFEST}); "
                "create one with: opinion load FILE -w " + str(ws.root)
            )
        check_creatable(ws.root)
        ws.root.mkdir(parents=True, exist_ok=True)
        ws._manifest = {"format_version": FORMAT_VERSION, "inputs": [], "stages": {}}
        ws.save_manifest()
        return ws

    def reload(self) -> None:
        """Forget the cached manifest: the next use reads it again from disk."""
        self._manifest = None

    # -- manifest ------------------------------------------------------------------
    @property
    def manifest(self) -> dict[str, Any]:
        """The parsed manifest (loaded once, saved with :meth:`save_manifest`)."""
        if self._manifest is None:
            path = self.root / MANIFEST
            try:
                manifest = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
                raise WorkspaceError(f"{path}: cannot read the manifest ({exc}); {MANIFEST_FIX}") from None
            self._manifest = check_manifest(manifest, path)
        return self._manifest

    def save_manifest(self) -> None:
        """Write the manifest atomically."""
        write_text_atomic(self.root / MANIFEST, manifest_text(self.manifest))

    def stage_record(self, stage: str) -> dict[str, Any] | None:
        """The manifest record of ``stage`` (settings, fingerprints, counts) or None."""
        return self.manifest["stages"].get(stage)

    def set_stage_record(self, stage: str, record: dict[str, Any]) -> None:
        """Store ``record`` for ``stage`` and save the manifest."""
        self.manifest["stages"][stage] = record
        self.save_manifest()

    # -- paths ---------------------------------------------------------------------
    @property
    def rejects_path(self) -> Path:
        return self.root / REJECTS

    def table_dir(self, name: str) -> Path:
        """Folder of a part-wise table such as ``corpus``."""
        return self.root / name

    def part_path(self, name: str, part: str) -> Path:
        return self.table_dir(name) / f"{part}.parquet"

    def table_path(self, name: str) -> Path:
        """File of a whole-corpus table such as ``topics``."""
        return self.root / f"{name}.parquet"

    def glob(self, name: str) -> str:
        """A path DuckDB can read: the parts' glob, or the single table file."""
        if self.table_dir(name).is_dir():
            return str(self.table_dir(name) / "*.parquet")
        return str(self.table_path(name))

    # -- part-wise tables ----------------------------------------------------------
    def parts(self, name: str) -> list[str]:
        """Names of the parts of table ``name``, sorted."""
        return self.store.parts(name)

    def has(self, name: str) -> bool:
        """Whether table ``name`` exists (as parts or as one file)."""
        return bool(self.parts(name)) or self.table_path(name).exists()

    def write_part(self, name: str, part: str, df: pd.DataFrame) -> Path:
        """Write one part of a part-wise table atomically."""
        self.store.save(df, self.store.url(name, part))
        return self.part_path(name, part)

    def read_part(self, name: str, part: str, columns: list[str] | None = None) -> pd.DataFrame:
        return self.store.read(self.store.url(name, part), columns=columns)

    def remove_part(self, name: str, part: str) -> None:
        self.store.remove(name, part)

    def remove_table(self, name: str) -> None:
        """Delete a table, part-wise or single."""
        if self.table_dir(name).is_dir():
            shutil.rmtree(self.table_dir(name))
        self.table_path(name).unlink(missing_ok=True)

    def read(self, name: str, columns: list[str] | None = None, *, partial: bool = False) -> pd.DataFrame:
        """Read a whole table (all parts in part order, or the single file).

        Raises :class:`StageOrderError` naming the command to run when it is missing, or when
        the stage that writes it was interrupted (``partial=True``: the parts written so far).
        A stage table that lacks parts loaded after its stage ran is read with an
        :class:`~opinion.errors.OpinionWarning` naming the command that adds them.
        Example: ``ws.read("prepared")`` after a killed `opinion prepare` says to run it again.
        """
        import pandas as pd

        if not partial:
            self.require_complete(name, hint="; or read(..., partial=True) for the parts written so far")
            self._warn_behind(name)
        parts = self.parts(name)
        if parts:
            frames = [self.read_part(name, p, columns=columns) for p in parts]
            return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
        if self.table_path(name).exists():
            return pd.read_parquet(self.table_path(name), columns=columns)
        self.require(name)
        raise AssertionError("unreachable")  # pragma: no cover

    def interrupted_stage(self, name: str) -> str | None:
        """The part-wise stage whose run was interrupted while writing table ``name`` (its
        record says ``complete: false``), or None: ``ws.interrupted_stage("prepared") == "prepare"``."""
        for stage, record in self.manifest.get("stages", {}).items():
            if (isinstance(record, dict) and record.get("runner") and record.get("target") == name
                    and record.get("complete") is False):
                return str(stage)
        return None

    def require_complete(self, name: str, *, hint: str = "") -> None:
        """Raise :class:`StageOrderError` when the stage that writes ``name`` was interrupted:
        a killed run leaves its finished parts in place, which would pass for the whole table."""
        stage = self.interrupted_stage(name)
        if stage is not None:
            command = produced_by(name, f"the {stage} stage")
            raise StageOrderError(
                f"{self.root}: table '{name}' is incomplete because stage '{stage}' was "
                f"interrupted; run `{command} -w {self.root}` again to finish it{hint}")

    def _warn_behind(self, name: str) -> None:
        """An :class:`OpinionWarning` when ``name``, a table a part-wise stage writes, lacks corpus
        parts loaded after that stage ran (`opinion load` of more files, no `opinion run`)."""
        stages = self.manifest.get("stages", {}).values()
        if name == CORPUS or not any(isinstance(r, dict) and r.get("runner") and r.get("target") == name
                                     for r in stages):
            return
        written = set(self.parts(name))
        missing = [part for part in self.parts(CORPUS) if part not in written]
        if written and missing:
            commands = [f"`{produced_by(t)} -w {self.root}`" for t in dict.fromkeys((PREPARED, name))]
            warnings.warn(OpinionWarning(
                f"{self.root}: table '{name}' lacks {len(missing)} part(s) loaded after the last "
                f"`{produced_by(name)}` ({some_of(missing, 3)}); run {', then '.join(commands)} to "
                "include them"), stacklevel=3)

    def require(self, name: str) -> None:
        """Raise a one-line error naming the command to run if ``name`` is missing."""
        if not self.has(name):
            if name == CORPUS and self.manifest.get("inputs"):  # loaded, but nothing was kept
                read = sum(int(entry.get("rows_read") or 0) for entry in self.manifest["inputs"])
                why = f"the reasons are in {self.rejects_path}" if read else "no data rows, only headers"
                raise StageOrderError(
                    f"{self.root}: holds no documents: its {len(self.manifest['inputs'])} input(s) had "
                    f"{read} row(s), none loaded ({why}); load files with text: "
                    f"`opinion load FILES -w {self.root}`")
            command = produced_by(name)
            if name == CORPUS:
                command = "opinion load FILES"
            raise StageOrderError(
                f"{self.root}: table '{name}' is missing; run `{command} -w {self.root}` first"
            )

    # -- whole-corpus tables -------------------------------------------------------
    def write_table(self, name: str, df: pd.DataFrame) -> Path:
        """Write a whole-corpus table atomically as ``WS/<name>.parquet``."""
        path = self.table_path(name)
        with atomic_path(path) as tmp:
            df.to_parquet(tmp, index=False)
        return path

    def write_json(self, name: str, obj: Any) -> Path:
        """Write ``WS/<name>.json`` atomically."""
        path = self.root / f"{name}.json"
        write_json_atomic(path, obj)
        return path

    def read_json(self, name: str) -> Any:
        path = self.root / f"{name}.json"
        if not path.exists():
            raise WorkspaceError(f"{path}: missing")
        return json.loads(path.read_text(encoding="utf-8"))
