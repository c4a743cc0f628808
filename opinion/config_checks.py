"""Checks of single settings values, shared by :mod:`opinion.config`'s settings classes and
the CLI: the export formats, the neutral band, ``nr_topics``, the period, names from a fixed
list, files that must exist, and a ``--config`` value's type against its field. Each raises an
:class:`~opinion.errors.InputError` that names the setting and the value it got.

    >>> parse_formats("xlsx, csv"), check_names(("markup",), ("markup", "weibo"), "clean_steps")
    (('xlsx', 'csv'), ('markup',))
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, get_type_hints

from opinion.config_types import expected, fits, shown, toml_value
from opinion.errors import InputError
from opinion.io.encoding import normalize_encoding_name

if TYPE_CHECKING:
    from opinion.config import PrepareSettings
    from opinion.io.workspace import Workspace

EXPORT_FORMATS = ("csv", "xlsx", "md", "html")
FORMAT_ALIASES = {"markdown": "md", "excel": "xlsx", "htm": "html"}
LEXICON_BAND = (0.4, 0.6)  # the lexicon's neutral band on its 0..1 score
PERIODS = ("day", "week", "month")  # opinion.periods chooses among them
AUTO = "auto"  # a period setting that clears the stored unit: picked from the date range again
# Examples per topic: 3 report columns each, so 100 make 300 columns, which a sheet still shows
# and far below xlsx's 16,384; a larger --top only repeats near-identical posts (since 2026-12-08:
# there was no bound, and top = 10**23 got the export killed for memory on every later run).
MAX_TOP = 100
# The part-of-speech tags jieba.posseg gives: its dictionary's 55 and `eng` (Latin words); a
# `pos` entry keeps the words whose tag starts with it, so it must begin one of them (or a tag
# of the user dictionaries), else it keeps no Chinese word at all (``名词``, ``N``: 2026-12-08).
JIEBA_TAGS = ("a", "ad", "ag", "an", "b", "c", "d", "df", "dg", "e", "eng", "f", "g", "h", "i", "j",
              "k", "l", "m", "mg", "mq", "n", "ng", "nr", "nrfg", "nrt", "ns", "nt", "nz", "o", "p",
              "q", "r", "rg", "rr", "rz", "s", "t", "tg", "u", "ud", "ug", "uj", "ul", "uv", "uz",
              "v", "vd", "vg", "vi", "vn", "vq", "x", "y", "z", "zg")
BAND_OFF = ("none", "off", "")  # --neutral-band values that clear a stored band (since 2026-12-07)
SEED_LIMIT = 2**32  # numpy and scikit-learn take seeds 0 .. 2**32 - 1
S = TypeVar("S")


def parse_formats(spec: str | Iterable[str]) -> tuple[str, ...]:
    """``"csv,xlsx"``, ``"all"`` or a list of names as a tuple of known formats, in order.

    >>> parse_formats("xlsx, csv"), parse_formats("all")
    (('xlsx', 'csv'), ('csv', 'xlsx', 'md', 'html'))
    """
    names = spec.split(",") if isinstance(spec, str) else [n for s in spec for n in s.split(",")]
    chosen: list[str] = []
    for raw in names:
        name = FORMAT_ALIASES.get(raw.strip().lower(), raw.strip().lower())
        if name == "all":
            chosen.extend(EXPORT_FORMATS)
        elif name in EXPORT_FORMATS:
            chosen.append(name)
        elif name:
            raise InputError(f"must be one or more of {', '.join(EXPORT_FORMATS)} or all; "
                             f"got {raw.strip()!r}", param="formats")
    if not chosen:
        raise InputError(f"is empty; choose from {', '.join(EXPORT_FORMATS)} or all", param="formats")
    return tuple(dict.fromkeys(chosen))


def parse_band(band: str | tuple[float, float] | list[float] | None) -> tuple[float, float] | None:
    """``"0.4,0.6"`` or ``(0.4, 0.6)`` → ``(0.4, 0.6)``, checked: 0 ≤ low ≤ high ≤ 1; "" → None."""
    if band is None or (isinstance(band, str) and not band.strip()):
        return None
    example = ",".join(str(x) for x in LEXICON_BAND)
    if band_off(band):  # "" was None above
        raise InputError(f"{band!r} clears a band only in `opinion sentiment -w WS --neutral-band none`; "
                         f"here give LOW,HIGH such as {example}", param="neutral_band")
    try:
        parts = [float(x) for x in (band.replace("，", ",").split(",") if isinstance(band, str) else band)]
    except ValueError as exc:
        raise InputError(f"{band!r}: expected two numbers such as {example}",
                         param="neutral_band") from exc
    if len(parts) != 2 or not 0.0 <= parts[0] <= parts[1] <= 1.0:
        raise InputError(f"{band!r}: expected LOW,HIGH with 0 <= LOW <= HIGH <= 1, e.g. {example}",
                         param="neutral_band")
    return (parts[0], parts[1])


def band_off(value: object) -> bool:
    """Whether a ``--neutral-band`` value turns the band off (``none``, ``off`` or empty).

    >>> band_off("None"), band_off(""), band_off("0.4,0.6"), band_off(None)
    (True, True, False, False)
    """
    return isinstance(value, str) and value.strip().lower() in BAND_OFF


def band_option(value: tuple[float, float] | list[float] | str | None) -> tuple[float, float] | None:
    """A ``--neutral-band`` value as a band, None for ``none``/``off``/empty or None.

    >>> band_option("0.3,0.7"), band_option("off")
    ((0.3, 0.7), None)
    """
    return None if band_off(value) else parse_band(value)


def band_flag(raw: str) -> tuple[float, float] | str | None:
    """The ``--neutral-band`` option as commands receive it: ``"none"`` for none/off, which the
    sentiment stage takes as "clear the stored band" (``SentimentSettings`` refuses it, so
    `opinion run` names the command that can), else :func:`parse_band` (``""`` → None)."""
    return "none" if band_off(raw) and raw.strip() else parse_band(raw)


def parse_nr_topics(value: int | str) -> int | str:
    """``"auto"`` stays; ``"20"`` → 20; anything else is an error naming ``nr_topics``."""
    if value == "auto" or isinstance(value, int):
        return value
    try:
        return int(value)
    except ValueError:
        raise InputError(f"must be 'auto' or a whole number ≥ 2; got {value!r}",
                         param="nr_topics") from None


def check_period(period: str | None, *, flag: str | None = None, auto: bool = False) -> str | None:
    """``period`` itself when it is None or one of :data:`PERIODS`, else an :class:`InputError`
    naming ``period``, shown on the command line as ``flag`` when given (the word commands set
    the unit with ``--period-unit``, their ``--period`` being a date). ``auto``: the message
    offers ``auto`` too (a stage's stored period, :func:`period_setting`)."""
    if period is not None and period not in PERIODS:
        also = f", or {AUTO} (picked from the date range)" if auto else ""
        error = InputError(f"must be one of {', '.join(PERIODS)}{also}; got {period!r}", param="period")
        if flag is not None:
            error.flag = flag  # type: ignore[attr-defined]  # read by opinion.cli.options.flag_for
        raise error
    return period


def period_setting(period: str | None) -> str | None:
    """A stage's ``period`` setting, checked: ``"auto"`` → None (picked from the date range; given,
    it clears a stored unit, as ``--nr-topics auto`` does, since 2026-12-08), else a :data:`PERIODS` unit.

    >>> period_setting("auto"), period_setting("week")
    (None, 'week')
    """
    return None if period == AUTO else check_period(period, auto=True)


def check_top(top: int) -> int:
    """``top`` (example posts per topic) when it is 0 … :data:`MAX_TOP`, else an error naming it."""
    if not 0 <= top <= MAX_TOP:
        raise InputError(f"must be between 0 and {MAX_TOP} example posts per topic (3 report columns "
                         f"each); got {top}", param="top")
    return top


def check_pos(tags: tuple[str, ...], user_dicts: Iterable[str] = ()) -> tuple[str, ...]:
    """``tags`` when each begins a jieba tag (:data:`JIEBA_TAGS`) or a tag of ``user_dicts``
    (read only for a tag jieba lacks), else an error naming ``pos``.

    >>> check_pos(("n", "v", "nr"))
    ('n', 'v', 'nr')
    """
    theirs: list[str] | None = None  # the user dictionaries' tags, read once when needed
    for tag in tags:
        if _begins_one(tag, JIEBA_TAGS):
            continue
        theirs = _dictionary_tags(user_dicts) if theirs is None else theirs
        if not _begins_one(tag, theirs):
            raise InputError(f"must be jieba part-of-speech tags such as n, v, a, nr, ns (lower case; a tag "
                             f"keeps the words whose tag starts with it); got {tag!r}", param="pos")
    return tags


def _begins_one(tag: Any, tags: Iterable[str]) -> bool:
    return isinstance(tag, str) and bool(tag) and any(t.startswith(tag) for t in tags)


def _dictionary_tags(paths: Iterable[str]) -> list[str]:
    """The tags the user dictionaries give their words (``火神山 100 nz`` → ``nz``); unreadable
    files are left to the stage, which names them."""
    from opinion.text.dictionary import read_dictionary

    tags: set[str] = set()
    for path in paths:
        try:
            tags.update(e.tag for e in read_dictionary(path) if e.tag)
        except (InputError, OSError):
            continue
    return sorted(tags)


def check_paths(paths: Iterable[str], param: str) -> tuple[str, ...]:
    """``paths`` when none is empty: ``theme_files = [""]`` passed, then the prepare stage
    hashed the folder ``.`` and failed with a traceback (2026-12-08)."""
    paths = tuple(paths)
    if any(not str(p).strip() for p in paths):
        raise InputError("names no file: '' (an empty path); give the file's path or leave the entry out",
                         param=param)
    return paths


def check_names(values: tuple[str, ...], known: Iterable[str], param: str) -> tuple[str, ...]:
    """``values`` when each is one of ``known``, else an error naming ``param`` and the choices
    (``clean_steps = ["bogus"]`` was found only by the prepare stage, after the load)."""
    choices = list(known)
    for value in values:
        if value not in choices:
            raise InputError(f"must be one of {', '.join(choices)}; got {value!r}", param=param)
    return values


def check_seed(seed: int) -> int:
    """``seed`` when numpy and scikit-learn take it (0 … 2**32 - 1), else an error naming it.

    >>> check_seed(-1)
    Traceback (most recent call last):
    ...
    opinion.errors.InputError: seed must be between 0 and 4294967295; got -1
    """
    if not 0 <= seed < SEED_LIMIT:
        raise InputError(f"must be between 0 and {SEED_LIMIT - 1}; got {seed}", param="seed")
    return seed


def missing_file(paths: Iterable[str]) -> str | None:
    """The first of ``paths`` that is not a readable file, or None (empty strings are skipped:
    an empty ``model_path`` means the shipped model)."""
    return next((p for p in paths if p and not Path(p).is_file()), None)


def check_files(paths: Iterable[str], param: str) -> None:
    """An error naming ``param`` when one of ``paths`` is not a file (a moved theme file or
    model found only stages later, after load and prepare had run)."""
    missing = missing_file(paths)
    if missing is not None:
        raise InputError(f"names no file: {missing}", param=param)


def user_fields(cls: type) -> list[dataclasses.Field]:
    """The fields a user sets (not the ones the stage fills in, such as fingerprints)."""
    return [f for f in dataclasses.fields(cls) if f.name not in cls.derived]  # type: ignore[attr-defined]


def settings_from_dict(cls: type[S], data: Mapping[str, Any], *, where: str = "") -> S:
    """``cls`` from a plain mapping (TOML, JSON): lists become tuples; an unknown key is an
    :class:`InputError` naming it. ``where`` prefixes the message (a file and section)."""
    known = {f.name for f in user_fields(cls)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise InputError(f"{where}unknown setting {unknown[0]!r}; valid: {', '.join(sorted(known))}")
    values = {k: tuple(v) if isinstance(v, list) else v for k, v in data.items()}
    try:
        return cls(**values)
    except InputError as exc:
        if not where:
            raise
        raise InputError(f"{where}{exc}") from None  # a file's setting: named as in the file


def settings_dict(settings: Any) -> dict[str, Any]:
    """The user fields of ``settings`` as plain JSON/TOML values (tuples as lists)."""
    plain = dataclasses.asdict(settings)
    return {f.name: list(plain[f.name]) if isinstance(plain[f.name], tuple) else plain[f.name]
            for f in user_fields(type(settings))}


# fields whose class also parses a comma-separated string ("csv,xlsx", "0.4,0.6")
_ALSO_TEXT = frozenset({"formats", "neutral_band"})


def check_types(cls: type, data: Mapping[str, Any], *, where: str = "") -> None:
    """An :class:`InputError` naming the first key of ``data`` whose value does not fit the
    type of ``cls``'s field (``where`` prefixes it: a file and section); unknown keys are left
    to ``settings_from_dict``.

    >>> from opinion.config import TopicSettings
    >>> check_types(TopicSettings, {"seed": 1.5}, where="seed.toml: [topics] ")
    Traceback (most recent call last):
    ...
    opinion.errors.InputError: seed.toml: [topics] seed must be a whole number; got 1.5
    """
    hints = get_type_hints(cls)
    names = {f.name for f in user_fields(cls)}
    for key, value in data.items():
        if key not in names:
            continue  # unknown: settings_from_dict names it
        hint = hints[key] | str if key in _ALSO_TEXT else hints[key]
        if not fits(hint, value):
            said = "'auto' or a whole number" if key == "nr_topics" else expected(hint)
            raise InputError(f"{where}{key} must be {said}; got {shown(value)}")


def input_differs(entry: Mapping[str, Any], name: str, value: Any) -> bool:
    """Whether load option ``name`` = ``value`` would read the input that the manifest record
    ``entry`` describes otherwise than it was read. Options it has no record of (inputs loaded
    before 2026-12-07 record fewer) count as the same, and so does a column role naming the
    column the input was read from, or an encoding naming the one detected.

    >>> entry = {"settings": {"year": 2020, "text_col": None}, "columns": {"text": "评论"}}
    >>> input_differs(entry, "year", 2019), input_differs(entry, "text_col", "评论")
    (True, False)
    """
    was = (entry.get("settings") or {}).get(name, value)
    if _plain(was) == _plain(value):
        return False
    if name.endswith("_col") and value is not None and (entry.get("columns") or {}).get(name[:-4]) == value:
        return False
    if name == "encoding" and value != "auto" and entry.get("encoding"):
        try:
            return normalize_encoding_name(value) != normalize_encoding_name(entry["encoding"])
        except InputError:
            return True
    return True


def _plain(value: Any) -> Any:
    """Lists and tuples alike (the manifest holds JSON lists, the settings tuples)."""
    return list(value) if isinstance(value, list | tuple) else value

def load_notes(inputs: Iterable[Mapping[str, Any]], now: Mapping[str, Any]) -> tuple[str, ...]:
    """Warning lines for `config show` naming each input whose recorded load options differ
    from ``now`` (``LoadSettings.per_input()``: ``multi/a.csv: text_col = "评论"``), or () when
    all were read alike (a workspace loaded by one `opinion load`)."""
    odd = []
    for entry in inputs:
        names = [n for n, v in now.items() if not entry.get("error") and input_differs(entry, n, v)]
        if names:
            odd.append(f"  {entry.get('label', entry.get('path'))}: "
                       + ", ".join(f"{n} = {_read_with(entry, n)}" for n in names))
    if not odd:
        return ()
    return ("WARNING: the inputs below were loaded with other [load] options than this file's, which",
            "`opinion run --config` would read them with (other text, ids or dates). To rebuild: load",
            "each of them into NEW with `opinion load FILE -w NEW` and its options, then the other",
            "inputs with [load]'s, then `opinion run` on NEW with this file.", *odd)


def _read_with(entry: Mapping[str, Any], name: str) -> str:
    """The value of load option ``name`` an input was read with, as TOML (a column role: the
    column it was read from)."""
    column = (entry.get("columns") or {}).get(name[:-4]) if name.endswith("_col") else None
    value = column if column is not None else (entry.get("settings") or {}).get(name)
    return "(not set)" if value is None else toml_value(value)


PRIVACY_OPTIONS = ("drop_cols", "pseudonymize_cols")  # stored as a union of every load's


def shown_value(value: Any) -> str:
    """A stored option's value in a note: ``userid,uid``, ``2020``, ``true``, ``none``."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list | tuple):
        return ",".join(map(str, value)) or "none"
    return "none" if value is None else str(value)


def load_options_note(old: Mapping[str, Any], new: Mapping[str, Any], default: Mapping[str, Any],
                      given: Mapping[str, Any]) -> str:
    """The note of a load whose options (``given``, stored as ``new``) change the ``old`` stored ones
    that are not at their ``default``, and which privacy options were kept though not given; ""."""
    changed = [f"{k} {shown_value(old[k])} → {shown_value(new[k])}" for k in old
               if k != "chunk_rows" and old[k] != new[k] and old[k] != default[k]]
    kept_back = [f"{k} {shown_value(old[k])}" for k in PRIVACY_OPTIONS if old[k] and list(given[k]) != old[k]]
    notes = [f"this load changes the workspace's stored load options ({'; '.join(changed)}); a later `opinion "
             "run` reads new inputs with them (`opinion config show` lists them)"] if changed else []
    notes += [f"stored privacy options kept for later runs ({'; '.join(kept_back)}); give them to `opinion "
              "load` too for the inputs it loads"] if kept_back else []
    return "; ".join(notes)


def from_base(value: Any, base: Path) -> Any:
    """``value`` (a path or a list of paths) made absolute against ``base``, resolved."""
    if isinstance(value, list):
        return [from_base(v, base) for v in value]
    return str((base / value).resolve()) if isinstance(value, str) and value else value


def with_workspace_dictionary(ws: Workspace, settings: PrepareSettings) -> PrepareSettings:
    """``settings`` with the workspace's user dictionary (``WS/user_dict.txt``, the words
    accepted with ``opinion newwords --accept``) added last, by its resolved path, so its
    content is in the fingerprint and a changed dictionary re-tokenizes every part."""
    from opinion.io.userdict import workspace_user_dicts

    extra = tuple(str(Path(p).resolve()) for p in workspace_user_dicts(ws))
    missing = tuple(p for p in extra if p not in settings.user_dicts)
    return replace(settings, user_dicts=settings.user_dicts + missing) if missing else settings


def legacy_settings(ws: Workspace, section: str, cls: type) -> dict[str, Any] | None:
    """The settings of ``section`` (class ``cls``) as a workspace from before the ``settings`` record
    kept them: in its stage record, without the workspace's own dictionary."""
    record = (ws.stage_record(section) or {}).get("settings") if section != "load" else None
    if not isinstance(record, dict):
        return None
    names = {f.name for f in user_fields(cls)}
    plain = {k: v for k, v in record.items() if k in names}
    if "user_dicts" in plain:
        root = ws.root.resolve()
        plain["user_dicts"] = [p for p in plain["user_dicts"] if not Path(p).is_relative_to(root)]
    return plain


MODEL_DEFAULT = ("default", "none")  # --model values that go back to the shipped model (2026-12-07)


def model_option(value: str | Path | None) -> str | None:
    """A ``--model`` value as ``model_path``: None (not given: keep the stored one), "" for
    ``default``/``none`` (the shipped model; the CLI passes them resolved, ``/cwd/default``,
    so a name that is no file counts too), else the path.

    >>> model_option("default"), model_option(None), model_option("m.safetensors")
    ('', None, 'm.safetensors')
    """
    if value is None or str(value) == "":
        return None
    path = Path(value)
    return "" if path.name.lower() in MODEL_DEFAULT and not path.is_file() else str(value)
