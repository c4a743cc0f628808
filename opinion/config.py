"""One home for settings: typed, frozen settings of every stage, their defaults written once.

``LoadSettings``, ``PrepareSettings``, ``SentimentSettings``, ``TopicSettings`` and
``ExportSettings`` hold what decides each stage's output; :class:`RunConfig` groups them and
reads and writes TOML. Every stage stores the settings it was given in the workspace
(``manifest.json``, key ``settings``) with :func:`store_settings` and reads them back with
:func:`stored_settings`; a later call reuses them unless the caller overrides a field
(:func:`settings_for`). So ``opinion prepare --themes 我的主题.toml`` followed by
``opinion run`` keeps the theme column, and ``opinion config show -w WS`` prints TOML that
``opinion run --config`` turns back into the same workspace. The checks of single values
(formats, band, seed, files …) live in :mod:`opinion.config_checks`, imported from here too.

Example:
    >>> config = RunConfig.from_toml_text('[sentiment]\\nmethod = "lexicon"\\n')
    >>> config.sentiment.method, config.topics.embedding
    ('lexicon', 'static-zh')
"""

from __future__ import annotations

import contextlib
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from opinion.config_checks import (
    AUTO,
    EXPORT_FORMATS,
    PRIVACY_OPTIONS,
    check_files,
    check_names,
    check_paths,
    check_pos,
    check_seed,
    check_top,
    check_types,
    from_base,
    legacy_settings,
    load_notes,
    load_options_note,
    parse_band,
    parse_formats,
    period_setting,
    settings_dict,
    settings_from_dict,
)
from opinion.config_checks import FORMAT_ALIASES as FORMAT_ALIASES  # re-exported
from opinion.config_checks import LEXICON_BAND as LEXICON_BAND  # re-exported
from opinion.config_checks import MAX_TOP as MAX_TOP  # re-exported
from opinion.config_checks import PERIODS as PERIODS  # re-exported
from opinion.config_checks import band_flag as band_flag  # re-exported
from opinion.config_checks import band_off as band_off  # re-exported
from opinion.config_checks import band_option as band_option  # re-exported
from opinion.config_checks import check_period as check_period  # re-exported
from opinion.config_checks import model_option as model_option  # re-exported
from opinion.config_checks import parse_nr_topics as parse_nr_topics  # re-exported
from opinion.config_checks import shown_value as shown_value  # re-exported
from opinion.config_checks import with_workspace_dictionary as with_workspace_dictionary  # re-exported
from opinion.config_types import toml_value
from opinion.errors import InputError, OpinionError
from opinion.io.encoding import normalize_encoding_name
from opinion.io.lines import DEFAULT_MAX_BYTES, max_bytes_from_mb
from opinion.io.timezones import DEFAULT_TIMEZONE, check_timezone
from opinion.text.clean import CONTACT_MODES, DEFAULT_CONTACTS, DEFAULT_STEPS, STEPS
from opinion.text.script import HANS, HANT_CONVERTERS
from opinion.text.tokenize import resolve_engine

if TYPE_CHECKING:
    from opinion.io.workspace import Workspace

# --- defaults that more than one module needs --------------------------------------------
DEFAULT_SCRIPT = HANS  # the script reports are shown in unless told otherwise
# --method values that run the fine-tuned transformer, each with its runtime (docs/teacher.md):
# float32 gives the reference numbers; int8 is about twice as fast where the CPU has int8 dot
# products (AVX-512 VNNI) and keeps 96-99.8 % of its labels
TRANSFORMER_METHODS: dict[str, str] = {"transformer": "auto", "transformer-int8": "onnx-int8"}
SENTIMENT_METHODS = ("model", "lexicon", *TRANSFORMER_METHODS)
DEFAULT_EMBEDDING = "static-zh"
DEFAULT_MIN_TOPIC_SIZE = 10
DEFAULT_SAMPLE_SIZE = 100_000
PROJECTION_DIMS = 50
SETTINGS_KEY = "settings"  # the manifest key holding each stage's given settings
REPORT_LANGUAGES = ("zh", "en")  # the explorer's language switch: Chinese (in the script) or English

S = TypeVar("S")


def _strings(values: Iterable[Any]) -> tuple[str, ...]:
    return tuple(str(v) for v in values)


# --- the stages' settings ----------------------------------------------------------------
@dataclass(frozen=True)
class LoadSettings:
    """How `opinion load` reads a corpus (see :func:`opinion.io.load.load_corpus`).

    Example: ``LoadSettings(text_col="微博正文", date_from_filename=True, year=2020)``.
    """

    fmt: str = "auto"
    encoding: str = "auto"
    text_col: str | None = None
    title_col: str | None = None
    id_col: str | None = None
    date_col: str | None = None
    source_col: str | None = None
    sheet: str | None = None
    drop_duplicates: bool = False
    date_from_filename: bool = False
    source_from_page: bool = False  # a .txt/.html document's source: the outlet it names (来源：新华社)
    txt_lines: bool = False  # a .txt file holds one document per line (a list of posts, as ROST CM reads it)
    year: int | None = None
    chunk_rows: int = 50_000
    drop_cols: tuple[str, ...] = ()
    pseudonymize_cols: tuple[str, ...] = ()
    column_names: tuple[str, ...] = ()
    max_field_mb: float = DEFAULT_MAX_BYTES / 2**20
    timezone: str = DEFAULT_TIMEZONE

    derived: ClassVar[tuple[str, ...]] = ()

    def __post_init__(self) -> None:
        for name in ("drop_cols", "pseudonymize_cols", "column_names"):
            object.__setattr__(self, name, _strings(getattr(self, name)))
        if self.chunk_rows < 1:
            raise InputError(f"must be at least 1; got {self.chunk_rows}", param="chunk_rows")
        if self.year is not None and not 1900 <= self.year <= 2200:
            raise InputError(f"must be a four-digit year; got {self.year}", param="year")
        max_bytes_from_mb(self.max_field_mb)  # checks it is a finite number above 0
        check_timezone(self.timezone)
        if self.fmt != "auto":  # since 2026-12-07 here, not at the first input: a config names it
            from opinion.io.sources import FORMATS

            check_names((self.fmt,), FORMATS, "fmt")
        if self.encoding != "auto":
            try:
                normalize_encoding_name(self.encoding)
            except InputError:
                raise InputError(f"must be auto or an encoding such as utf-8, gb18030, big5, utf-16; "
                                 f"got {self.encoding!r}", param="encoding") from None

    def kept_over(self, stored: LoadSettings | None) -> tuple[LoadSettings, str]:
        """What to store after a load with these settings over the ``stored`` ones, and a note
        naming the stored (non-default) options they change, or "". Since 2026-12-08 the
        privacy options add up: over ``LoadSettings(year=2020, drop_cols=("userid",))``,
        ``LoadSettings()`` stores ``drop_cols=("userid",)`` and notes ``year 2020 → none``."""
        if stored is None:
            return self, ""
        union: dict[str, Any] = {k: tuple(dict.fromkeys((*getattr(stored, k), *getattr(self, k))))
                                 for k in PRIVACY_OPTIONS}
        kept = replace(self, **union)
        return kept, load_options_note(settings_dict(stored), settings_dict(kept), settings_dict(LoadSettings()),
                                       settings_dict(self))

    def per_input(self) -> dict[str, Any]:
        """The options that decide how each input is read, recorded with it in the manifest
        (all but ``fmt`` and ``sheet``, which name the input, and ``chunk_rows``, which only
        sizes the parts): a later load or ``config show`` compares them."""
        return {k: v for k, v in settings_dict(self).items() if k not in ("fmt", "sheet", "chunk_rows")}


@dataclass(frozen=True)
class PrepareSettings:
    """Settings of the prepare stage (all hashable, so per-process objects are cached).

    ``clean_steps``/``contacts`` go to :func:`opinion.text.clean.clean_text`, ``hant`` to
    :func:`opinion.text.script.detect_and_convert`, the rest to the tokenizer and themes.
    Example: ``PrepareSettings(theme_files=("直播电商主题.toml",))``.
    """

    clean_steps: tuple[str, ...] = DEFAULT_STEPS
    contacts: str = DEFAULT_CONTACTS
    hant: str = "auto"
    user_dicts: tuple[str, ...] = ()
    theme_files: tuple[str, ...] = ()
    stopwords: bool = True
    pos: tuple[str, ...] | None = None
    engine: str = "auto"
    content_fingerprint: str = ""  # set by prepare_workspace: see :meth:`fingerprint`

    derived: ClassVar[tuple[str, ...]] = ("content_fingerprint",)

    def __post_init__(self) -> None:
        if self.contacts not in CONTACT_MODES:
            raise InputError(f"must be one of {list(CONTACT_MODES)}; got {self.contacts!r}",
                             param="contacts")
        for name in ("clean_steps", "user_dicts", "theme_files"):
            object.__setattr__(self, name, check_paths(_strings(getattr(self, name)), name)
                               if name in PATH_FIELDS["prepare"] else _strings(getattr(self, name)))
        resolve_engine(self.engine)  # validates the name
        if self.pos is not None:  # since 2026-12-08 checked here, not found at prepare (or never)
            object.__setattr__(self, "pos", check_pos(tuple(self.pos), self.user_dicts))
            if self.pos and self.engine == "rjieba":
                raise InputError("cannot be rjieba with pos (rjieba's tagger gives other words than "
                                 "jieba.posseg); use auto or jieba", param="engine")
        check_names(self.clean_steps, STEPS, "clean_steps")  # both were found only by the stage
        check_names((self.hant,), HANT_CONVERTERS, "hant")


@dataclass(frozen=True)
class SentimentSettings:
    """Settings of the sentiment stage (plain values: fingerprinted and sent to workers).

    ``model_path`` empty means the shipped model; ``theme_files`` and ``user_dicts`` are
    the prepare stage's (set by the stage, not by users), so that themes are found in
    sentences as in documents. ``neutral_band`` None: labels are the model's most probable
    class (the lexicon's band is :data:`LEXICON_BAND`). Example:
    ``SentimentSettings(method="lexicon")``.
    """

    method: str = "model"
    neutral_band: tuple[float, float] | None = None
    model_path: str = ""
    theme_files: tuple[str, ...] = ()
    user_dicts: tuple[str, ...] = ()
    content_fingerprint: str = ""  # model file hash, set by score_workspace

    derived: ClassVar[tuple[str, ...]] = ("theme_files", "user_dicts", "content_fingerprint")

    def __post_init__(self) -> None:
        if self.method not in SENTIMENT_METHODS:
            raise InputError(f"must be one of {list(SENTIMENT_METHODS)}; got {self.method!r}",
                             param="method")
        if self.neutral_band is not None:
            object.__setattr__(self, "neutral_band", parse_band(self.neutral_band))
        object.__setattr__(self, "model_path", str(self.model_path or ""))
        for name in ("theme_files", "user_dicts"):
            object.__setattr__(self, name, _strings(getattr(self, name)))

    def check(self) -> SentimentSettings:
        """``self`` if ``model_path`` is empty or a file, else an :class:`InputError` naming it.
        Not made at construction: a workspace whose model was moved still shows its settings."""
        check_files((self.model_path,), "model_path")
        return self


@dataclass(frozen=True)
class TopicSettings:
    """Everything that decides the topics (stored with the model and in the metrics).

    Example: ``TopicSettings(nr_topics=20, seed=7).check()``.
    """

    embedding: str = DEFAULT_EMBEDDING
    nr_topics: int | str = "auto"
    min_topic_size: int = DEFAULT_MIN_TOPIC_SIZE
    seed: int = 42
    guided: bool = False
    sample_size: int = DEFAULT_SAMPLE_SIZE
    period: str | None = None
    projection_dims: int = PROJECTION_DIMS
    keep_duplicates: bool = False  # near-duplicates and spam in the fit, words and examples

    derived: ClassVar[tuple[str, ...]] = ()

    def __post_init__(self) -> None:
        if self.period == AUTO:  # given: clears a stored unit (checked by check)
            object.__setattr__(self, "period", None)

    def check(self) -> TopicSettings:
        """``self`` if every value is usable, else an :class:`InputError` naming the field (the
        embedder's name is checked by :func:`opinion.pipeline.check_run_options`: the settings
        sit below the topics layer that knows the embedders)."""
        if not (self.nr_topics == "auto" or (isinstance(self.nr_topics, int) and self.nr_topics >= 2)):
            raise InputError(f"must be 'auto' or a whole number ≥ 2; got {self.nr_topics!r}",
                             param="nr_topics")
        if self.min_topic_size < 1:
            raise InputError(f"must be ≥ 1; got {self.min_topic_size}", param="min_topic_size")
        if self.sample_size < 100:
            raise InputError(f"must be ≥ 100 documents; got {self.sample_size}", param="sample_size")
        period_setting(self.period)
        check_seed(self.seed)
        if self.projection_dims < 2:  # 0 or 1: every document projected onto one line, one topic
            raise InputError(f"must be ≥ 2; got {self.projection_dims}", param="projection_dims")
        return self


@dataclass(frozen=True)
class ExportSettings:
    """What `opinion export` writes: formats, the script shown, the language of the report's
    headings and notes (``zh``: Chinese in ``script``; ``en``: English), the period, examples per topic.

    Example: ``ExportSettings(formats=("xlsx",), script="zh-Hant-TW", period="week")``.
    """

    formats: tuple[str, ...] = EXPORT_FORMATS
    script: str = DEFAULT_SCRIPT
    lang: str = "zh"
    period: str | None = None  # day, week or month; None (given as "auto"): picked from the date range
    top: int = 3  # example posts per topic, at most MAX_TOP

    derived: ClassVar[tuple[str, ...]] = ()

    def __post_init__(self) -> None:
        from opinion.text.script import check_target

        object.__setattr__(self, "formats", parse_formats(self.formats))
        try:
            check_target(self.script)
        except InputError as exc:  # its message names --script: here the setting, shown as the CLI or file has it
            raise InputError(str(exc).removeprefix("--script "), param="script") from None
        if self.lang not in REPORT_LANGUAGES:
            hint = f" (Chinese follows --script: {self.lang})" if self.lang.startswith("zh") else ""
            raise InputError(f"must be one of {', '.join(REPORT_LANGUAGES)}; got {self.lang!r}{hint}", param="lang")
        object.__setattr__(self, "period", period_setting(self.period))
        check_top(self.top)


SECTIONS: dict[str, type] = {"load": LoadSettings, "prepare": PrepareSettings,
                             "sentiment": SentimentSettings, "topics": TopicSettings,
                             "export": ExportSettings}
PATH_FIELDS = {"prepare": ("user_dicts", "theme_files"), "sentiment": ("model_path",)}


def section_of(cls: type) -> str:
    """The section name of a settings class: ``section_of(TopicSettings) == "topics"``."""
    for name, known in SECTIONS.items():
        if known is cls:
            return name
    raise TypeError(f"{cls.__name__} is not a stage's settings class")


# --- the workspace: one place to store and read back --------------------------------------
def store_settings(ws: Workspace, settings: Any) -> None:
    """Record ``settings`` (as given, before the stage adds derived values) in ``ws``."""
    section = section_of(type(settings))
    stored = ws.manifest.setdefault(SETTINGS_KEY, {})
    plain = settings_dict(settings)
    if stored.get(section) != plain:
        stored[section] = plain
        ws.save_manifest()


@contextlib.contextmanager
def settings_stored_while(ws: Workspace, settings: Any, *, store: bool = True) -> Iterator[None]:
    """Store ``settings`` in ``ws`` (as :func:`store_settings`) for a block that reads them back,
    and put the earlier ones back when the block fails: a failed `opinion export --top 6000`
    left its value stored for every later export (2026-12-08). A read-only workspace stores nothing."""
    section = section_of(type(settings))
    earlier = (ws.manifest.get(SETTINGS_KEY) or {}).get(section)
    with contextlib.suppress(OpinionError, OSError):  # a read-only workspace exports too
        store_settings(ws, settings) if store else None
    try:
        yield
    except BaseException:
        stored = ws.manifest.setdefault(SETTINGS_KEY, {})
        if store and stored.get(section) != earlier:
            stored.pop(section, None)
            stored.update({section: earlier} if earlier is not None else {})
            with contextlib.suppress(OpinionError, OSError):
                ws.save_manifest()
        raise


def stored_settings(ws: Workspace, cls: type[S]) -> S | None:
    """The settings ``ws``'s stage last ran with, or None (never run).

    Workspaces from before this record existed fall back to the stage's record (the
    workspace's own dictionary, which the stage adds itself, left out).
    """
    section = section_of(cls)
    stored = (ws.manifest.get(SETTINGS_KEY) or {}).get(section)
    if stored is None:
        stored = legacy_settings(ws, section, SECTIONS[section])
        if stored is None:
            return None
    return settings_from_dict(cls, stored, where=f"{ws.root}/manifest.json [{section}]: ")


def export_script(workspace: Workspace | str | Path) -> str | None:
    """The script the workspace's export was last made in (``opinion run --script zh-HK``),
    or None (no workspace, no export yet): the default of every view that shows text."""
    from opinion.errors import OpinionError
    from opinion.io.workspace import Workspace

    try:
        ws = workspace if isinstance(workspace, Workspace) else Workspace.open(workspace)
        stored = stored_settings(ws, ExportSettings)
    except OpinionError:
        return None
    return stored.script if stored is not None else None


def settings_for(ws: Workspace | None, cls: type[S], settings: S | None = None,
                 overrides: Mapping[str, Any] | None = None) -> S:
    """The settings a stage runs with: ``settings`` if given, else the stored ones, else the
    defaults; then each field in ``overrides`` that is not None replaces the value.

    >>> settings_for(None, TopicSettings, overrides={"nr_topics": 20, "seed": None}).nr_topics
    20
    """
    base = settings if settings is not None else (stored_settings(ws, cls) if ws is not None else None)
    base = base if base is not None else cls()
    given = {k: v for k, v in (overrides or {}).items() if v is not None}
    return replace(base, **given) if given else base  # type: ignore[type-var]


# --- the whole run --------------------------------------------------------------------------
@dataclass(frozen=True)
class RunConfig:
    """The settings of every stage of `opinion run`, as one TOML file.

    >>> print(RunConfig().to_toml().splitlines()[1])
    [load]
    """

    load: LoadSettings = field(default_factory=LoadSettings)
    prepare: PrepareSettings = field(default_factory=PrepareSettings)
    sentiment: SentimentSettings = field(default_factory=SentimentSettings)
    topics: TopicSettings = field(default_factory=TopicSettings)
    export: ExportSettings = field(default_factory=ExportSettings)
    notes: tuple[str, ...] = field(default=(), compare=False)  # written as comments by to_toml

    @classmethod
    def from_workspace(cls, ws: Workspace) -> RunConfig:
        """What ``ws`` was built with (defaults for stages that never ran). The workspace's
        own dictionary (words accepted with `opinion newwords --accept`) is listed in
        ``prepare.user_dicts``, so a workspace built from this config tokenizes the same.
        Inputs read with other load options than ``[load]`` (each `opinion load` has its own)
        are named in ``notes``: a run with this config would read them otherwise."""
        sections: dict[str, Any] = {name: settings_for(ws, kind) for name, kind in SECTIONS.items()}
        sections["prepare"] = with_workspace_dictionary(ws, sections["prepare"])
        return cls(**sections, notes=load_notes(ws.manifest.get("inputs") or [], sections["load"].per_input()))

    @staticmethod
    def read_overrides(path: str | Path) -> dict[str, dict[str, Any]]:
        """The sections and fields a TOML file sets, checked; relative paths in
        ``theme_files``, ``user_dicts`` and ``model_path`` are taken from the file's folder."""
        path = Path(path)
        try:  # utf-8-sig: Notepad and many Chinese editors save UTF-8 with a BOM
            data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
        except OSError as exc:
            raise InputError(f"{path}: cannot read the config file ({exc.strerror})",
                             param="config") from None
        except UnicodeDecodeError as exc:
            raise InputError(f"{path}: not UTF-8 (byte {exc.start + 1} cannot be read; saved as GBK "
                             "or UTF-16?); save it as UTF-8", param="config") from None
        except tomllib.TOMLDecodeError as exc:
            raise InputError(f"{path}: not a TOML file ({exc})", param="config") from None
        # stored absolute, as --themes does: later commands may run from another folder
        return _checked_sections(data, where=f"{path}: ", base=path.resolve().parent)

    @classmethod
    def from_toml_text(cls, text: str) -> RunConfig:
        """A config from TOML text; sections and fields left out keep their defaults."""
        sections = _checked_sections(tomllib.loads(text), where="", base=None)
        return cls(**{name: SECTIONS[name](**values) for name, values in sections.items()})

    def to_toml(self) -> str:
        """TOML with every section and every field that has a value (None is left out, but a None
        ``period`` is written ``"auto"``: restored onto a workspace, it clears a stored unit)."""
        lines = ["# opinion run --config FILE (opinion config show -w WS writes this)"]
        lines.extend(f"# {note}" for note in self.notes)
        for name in SECTIONS:
            lines.append(f"[{name}]")
            for key, value in settings_dict(getattr(self, name)).items():
                value = AUTO if value is None and key == "period" else value
                if value is not None:
                    lines.append(f"{key} = {toml_value(value)}")
            lines.append("")
        return "\n".join(lines)


def _checked_sections(data: Mapping[str, Any], *, where: str,
                      base: Path | None) -> dict[str, dict[str, Any]]:
    unknown = sorted(set(data) - set(SECTIONS))
    if unknown:
        raise InputError(f"{where}unknown section [{unknown[0]}]; valid: {', '.join(SECTIONS)}")
    out: dict[str, dict[str, Any]] = {}
    for name, values in data.items():
        if not isinstance(values, dict):
            raise InputError(f"{where}[{name}] must be a table of settings")
        values = dict(values)
        check_types(SECTIONS[name], values, where=f"{where}[{name}] ")
        settings: Any = settings_from_dict(SECTIONS[name], values, where=f"{where}[{name}] ")  # checks them
        try:
            for key in PATH_FIELDS.get(name, ()):
                if base is not None and key in values:  # a file's paths: they exist, before the load
                    values[key] = from_base(values[key], base)
                    if key == "model_path":  # `default`/`none`, as --model takes them: the shipped model
                        values[key] = model_option(values[key]) or ""
                    check_files(values[key] if isinstance(values[key], list) else [values[key]], key)
            if isinstance(settings, TopicSettings):
                settings.check()
        except InputError as exc:
            raise InputError(f"{where}[{name}] {exc}") from None
        out[name] = {k: tuple(v) if isinstance(v, list) else v for k, v in values.items()}
    return out
