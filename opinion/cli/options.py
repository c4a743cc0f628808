"""The settings options of every stage, declared once, and a decorator that adds them to a command.

Each option maps a flag to a field of a settings class in :mod:`opinion.config`. Its default
is None ("not given"): a command passes on only what the user typed, and the stage keeps
the rest of what the workspace was built with (or the defaults, written once in
:mod:`opinion.config` and shown in the help). `opinion prepare`, `opinion sentiment`,
`opinion topics`, `opinion export`, `opinion load` and `opinion run` all take their
settings options from here::

    @handle_errors
    @with_settings("prepare")
    def prepare(workspace: WorkspaceOpt, *, given: Given) -> None:
        ...  # given == {"prepare": {"theme_files": ("/abs/我的主题.toml",)}}
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from opinion.config import (
    LEXICON_BAND,
    SECTIONS,
    band_flag,
    parse_formats,
    parse_nr_topics,
)
from opinion.errors import InputError, OpinionError

F = TypeVar("F", bound=Callable[..., Any])
Given = dict[str, dict[str, Any]]  # section -> field -> value, only what the user gave


def _existing_files(paths: list[Path]) -> tuple[str, ...]:
    """Files as absolute paths (a stored setting must not depend on the working folder)."""
    for path in paths:
        if not path.is_file():
            raise InputError(f"{path}: no such file")
    return tuple(str(p.resolve()) for p in paths)


def _columns(spec: str) -> tuple[str, ...]:
    return tuple(c.strip() for c in spec.split(","))


@dataclass(frozen=True)
class Flag:
    """One settings option: ``decls`` (``--nr-topics``) set ``section.name``.

    ``run_decls`` replace ``decls`` in `opinion run`, where two stages share a flag name
    (load's ``--format`` and export's, topics' ``--period`` and export's).
    """

    section: str
    name: str
    decls: tuple[str, ...]
    kind: Any
    help: str
    convert: Callable[[Any], Any] | None = None
    run_decls: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def param(self) -> str:
        return f"{self.section}__{self.name}"

    def flags(self, run: bool) -> tuple[str, ...]:
        return self.run_decls if run and self.run_decls else self.decls

    def annotation(self, run: bool) -> Any:
        decls = self.flags(run)
        if self.kind is bool:
            decls = (f"{decls[0]}/--no-{decls[0][2:]}",)
        return Annotated[self.kind | None, typer.Option(
            *decls, help=self.help + _default_note(self), show_default=False, **self.extra)]

    def value(self, raw: Any) -> Any:
        return self.convert(raw) if self.convert else raw


def _default_note(flag: Flag) -> str:
    """`` (default: static-zh)`` from the settings class: the defaults are written once."""
    (found,) = [f for f in dataclasses.fields(SECTIONS[flag.section]) if f.name == flag.name]
    default = found.default
    if default is None or default == () or default is dataclasses.MISSING:
        return ""
    shown = ",".join(map(str, default)) if isinstance(default, tuple) else str(default).lower() \
        if isinstance(default, bool) else str(default)
    return f" (default: {shown})"  # not [...]: the help would read it as rich markup


FLAGS: dict[str, tuple[Flag, ...]] = {
    "load": (
        Flag("load", "fmt", ("--format",), str, "auto|csv|tsv|jsonl|json|parquet|xlsx|xls|txt|html."),
        Flag("load", "encoding", ("--encoding",), str,
             "auto, or an encoding name such as gb18030, big5, utf-16."),
        Flag("load", "text_col", ("--text-col",), str, "Column holding the text."),
        Flag("load", "title_col", ("--title-col",), str, "Column holding the title."),
        Flag("load", "id_col", ("--id-col",), str, "Column of unique ids (else file-row ids)."),
        Flag("load", "date_col", ("--date-col",), str, "Column holding the date."),
        Flag("load", "source_col", ("--source-col",), str, "Column holding the source."),
        Flag("load", "sheet", ("--sheet",), str, "Excel sheet (default: the first); '*': every sheet "
             "that holds data, each an input of its own."),
        Flag("load", "drop_duplicates", ("--drop-duplicates",), bool,
             "Reject exact copies instead of flagging them."),
        Flag("load", "date_from_filename", ("--date-from-filename",), bool,
             "Date rows by their file's name (2020.1.20.csv.gz, 20200120.txt) when there is "
             "no date column."),
        Flag("load", "source_from_page", ("--source-from-page",), bool,
             "For .txt/.html documents, the source is the outlet the page names (来源：新华社) "
             "instead of the folder's name, where it names one."),
        Flag("load", "txt_lines", ("--txt-lines",), bool,
             "Read each line of a .txt file as one document (a list of posts or comments, as "
             "ROST CM takes them) instead of the whole file as one."),
        Flag("load", "year", ("--year",), int,
             "Year for file names (1.27.csv.gz) and dates (02-01 12:30, 2月1日) with month and "
             "day only."),
        Flag("load", "drop_cols", ("--drop-col",), list[str],
             "Leave this column out (personal data), with the fields nested in it (user: "
             "user.screen_name ...); repeatable.", tuple),
        Flag("load", "pseudonymize_cols", ("--pseudonymize-col",), list[str],
             "Replace this column's values, and those of the fields nested in it, by a salted "
             "hash; repeatable.", tuple),
        Flag("load", "column_names", ("--columns",), str,
             "Comma-separated column names for CSV/TSV files without a header line, "
             "e.g. title,label.", _columns),
        Flag("load", "chunk_rows", ("--chunk-rows",), int, "Rows per corpus part.",
             extra={"min": 1}),
        Flag("load", "timezone", ("--timezone",), str,
             "Clock for epoch values and times that name their zone (2020-01-19T04:30Z): "
             "Asia/Shanghai (UTC+8, also Taiwan and Hong Kong), UTC, +08:00 ... Times without "
             "a zone are kept as written."),
        Flag("load", "max_field_mb", ("--max-field-mb",), float,
             "A line, field or whole-read file (.txt/.html, .json) larger than this is "
             "rejected as 'field too long'."),
    ),
    "prepare": (
        Flag("prepare", "theme_files", ("--themes",), list[Path],
             "Extra theme file (TOML); repeatable.", _existing_files),
        Flag("prepare", "user_dicts", ("--user-dict",), list[Path],
             "jieba user dictionary ('word [freq] [tag]'); repeatable.", _existing_files),
    ),
    "sentiment": (
        Flag("sentiment", "method", ("--method",), str,
             "model (trained classifier), lexicon (HowNet words, explainable), transformer (fine-tuned "
             "e5 encoder: ahead on news and emotions, about 400x slower; see docs/teacher.md) or "
             "transformer-int8 (the same quantised: about 2x its speed on CPUs with VNNI, 96-99.8% "
             "of its labels)."),
        Flag("sentiment", "neutral_band", ("--neutral-band",), str,
             "LOW,HIGH: label by a band on P(positive) + P(neutral)/2 instead of the model's "
             "most probable class (inside 'neutral', below 'negative', above 'positive'). "
             f"Default: the model's class; the lexicon's band is "
             f"{','.join(map(str, LEXICON_BAND))}. 'none' or 'off': no band (opinion sentiment; "
             "clears a band the workspace stored).", band_flag),
        Flag("sentiment", "model_path", ("--model",), Path,
             "A model file from `opinion sentiment train` (default: the shipped one).",
             lambda p: str(p.resolve())),
    ),
    "topics": (
        Flag("topics", "embedding", ("--embedding",), str,
             "Embedder: static-zh, tfidf, use-m3, e5-small, sbert:PATH."),
        Flag("topics", "nr_topics", ("--nr-topics",), str, "'auto' or the number of topics.",
             parse_nr_topics),
        Flag("topics", "min_topic_size", ("--min-topic-size",), int,
             "Smaller clusters become outliers, then reassigned.", extra={"min": 1}),
        Flag("topics", "seed", ("--seed",), int, "Random seed: same input and seed, same topics."),
        Flag("topics", "guided", ("--guided",), bool, "Seed topics with the theme lexicons."),
        Flag("topics", "sample_size", ("--sample",), int,
             "Fit on at most this many distinct texts (stratified); assign the rest."),
        Flag("topics", "period", ("--period",), str,
             "Topics over time by day, week or month; auto clears a unit stored by an earlier "
             "--period (default: from the date range).",
             run_decls=("--topic-period",)),
        Flag("topics", "keep_duplicates", ("--keep-duplicates",), bool,
             "Fit, words and examples with near-duplicates and spam too."),
    ),
    "export": (
        Flag("export", "formats", ("--format", "-f"), list[str],
             "csv, xlsx, md, html, several joined by commas (csv,xlsx), or all.", parse_formats,
             run_decls=("--export-format",)),
        Flag("export", "script", ("--script",), str,
             "Script of what is shown: zh-Hans, zh-Hant-TW or zh-HK."),
        Flag("export", "lang", ("--lang",), str,
             "Language of the report's headings and notes: zh (in --script) or en."),
        Flag("export", "period", ("--period",), str,
             "day, week or month; auto clears a unit stored by an earlier --period (default: the "
             "topics' period, else from the date range)."),
        Flag("export", "top", ("--top",), int, "Example posts per topic, 0 to 100.", extra={"min": 0}),
    ),
}


def with_settings(*sections: str, run: bool = False) -> Callable[[F], F]:
    """Add the settings options of ``sections`` (default None) to a typer command, which
    receives what the user gave as ``given`` (:data:`Given`); an :class:`OpinionError`
    about one of the fields is shown with its flag (``--nr-topics: must be ...``)."""
    flags = [f for s in sections for f in FLAGS[s]]
    flag_of = {f.name: f.flags(run)[0] for f in flags}

    def decorate(func: F) -> F:
        own = [p for p in inspect.signature(func, eval_str=True).parameters.values()
               if p.name != "given"]
        extra = [inspect.Parameter(f.param, inspect.Parameter.KEYWORD_ONLY, default=None,
                                   annotation=f.annotation(run)) for f in flags]

        @functools.wraps(func)
        def command(**kwargs: Any) -> Any:
            try:
                given: Given = {s: {} for s in sections}
                for flag in flags:
                    raw = kwargs.pop(flag.param)
                    if raw is not None and raw != []:
                        given[flag.section][flag.name] = flag.value(raw)
                return func(**kwargs, given=given)
            except OpinionError as exc:
                if exc.param in flag_of:
                    exc.flag = flag_of[exc.param]  # type: ignore[attr-defined]
                raise

        params = [*own, *extra]
        command.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
        command.__annotations__ = {p.name: p.annotation for p in params}
        return command  # type: ignore[return-value]

    return decorate


def flag_for(exc: OpinionError) -> str:
    """The flag an error's parameter is set with (``nr_topics`` → ``--nr-topics``)."""
    return getattr(exc, "flag", None) or "--" + str(exc.param).replace("_", "-")
