"""CLI commands of the text stage: ``clean``, ``prepare``, ``themes`` and ``kwic``.

    opinion clean article.txt --whole --script zh-Hans
    cat posts.txt | opinion clean - --contacts remove   # one post a line, line by line
    opinion prepare -w runs/weibo --workers 2 --themes my_themes.toml --user-dict words.txt
    opinion themes -w runs/weibo --period week
    opinion themes check 直播电商 -w runs/weibo --sample 50
    opinion kwic 信任 -w runs/weibo --width 15 --theme 信任 --script zh-Hant-TW
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from opinion.cli.common import (
    AddressOpt,
    EngineOpt,
    ScriptOpt,
    WorkersOpt,
    WorkspaceOpt,
    format_table,
    handle_errors,
    shown_script,
)
from opinion.cli.options import Given, with_settings
from opinion.errors import InputError
from opinion.io.sources import GZIP_MAGIC, PAGE_SUFFIXES
from opinion.text.clean import DEFAULT_CONTACTS

CLEAN_SCRIPTS = ("keep", "zh-Hans", "zh-Hant-TW", "zh-HK")


def _read_input(source: str) -> str:
    """Text of a file (UTF-8, else the detected encoding; gzip-compressed too) or of stdin for ``-``; a web page
    (``.html``, ``.htm``, ``.shtml``, ``.xhtml``) gives its title and article, as ``opinion load`` reads it."""
    from opinion.io.encoding import binary_kind

    if source == "-":
        data = sys.stdin.buffer.read()
        name = "stdin"
    else:
        path = Path(source)
        if not path.is_file():
            raise InputError(f"{source}: no such file; give a text file or - for stdin")
        if path.name.lower().removesuffix(".gz").endswith(PAGE_SUFFIXES):
            from opinion.io.documents import read_document

            record = read_document(path, "html")
            if record.values is None:
                raise InputError(f"{source}: {record.reject}")
            values = record.values
            return "\n".join(v for v in (values.get("title"), values.get("text")) if v)
        data = path.read_bytes()
        name = source
    if data[:2] == GZIP_MAGIC:  # posts.txt.gz, as `opinion load` reads it
        import gzip

        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise InputError(f"{name}: a gzip file that cannot be read ({exc}); check the file") from None
    kind = binary_kind(data[:65536])
    if kind is not None:
        raise InputError(f"{name}: looks like {kind}, not text; check the file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # the loader's detector (GB18030, Big5, UTF-16 …): charset-normalizer alone read a
        # short GB18030 line (国货品牌老字号很好) as Korean
        from opinion.io.encoding import detect_encoding

        encoding = detect_encoding(data)
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            raise InputError(f"{name}: does not read as {encoding} throughout (broken bytes?); "
                             f"convert it to UTF-8, e.g. iconv -f {encoding} -t utf-8") from None


def clean_lines(text: str, *, contacts: str = DEFAULT_CONTACTS, whole: bool = False) -> list[str]:
    """The lines to print: each line cleaned as a document of its own, so that line i out is
    line i in (an empty line stays empty, a line break a post's ``<br>`` made becomes a space);
    with ``whole``, the text cleaned as one page.

    ``clean_lines("好消息 O网页链接\n\n首页") == ["好消息", "", "首页"]``
    """
    from opinion.text.clean import clean_text

    if whole:
        cleaned = clean_text(text, contacts=contacts)
        return [cleaned] if cleaned else []
    lines = text.split("\n")
    if lines and lines[-1] == "":  # the newline that ends the last line
        lines.pop()
    return [" ".join(clean_text(line.removesuffix("\r"), contacts=contacts).split("\n")) for line in lines]


@handle_errors
def clean(
    source: Annotated[str, typer.Argument(help="Text file, or - for stdin.")] = "-",
    script: Annotated[str, typer.Option(
        "--script", help="keep (as written), zh-Hans, zh-Hant-TW or zh-HK.")] = "keep",
    contacts: Annotated[str, typer.Option(
        help="URLs, @mentions, e-mail, phones: placeholder, remove or keep.")] = DEFAULT_CONTACTS,
    whole: Annotated[bool, typer.Option(
        "--whole", help="Clean the input as one document (an article: page furniture such as "
        "breadcrumbs and 上一篇 removed) instead of line by line.")] = False,
) -> None:
    """Clean text (pinyin, width, Weibo cards, contacts) from a file or stdin to stdout.

    Line by line: each line is one document (one post a line), so line i out is line i in; empty lines stay.

    --whole: the input is one document, a page; its furniture lines (breadcrumbs, 上一篇) go too (always for .html).

    --script: text in that script is printed as written; other text is converted (「」 → “”).
    """
    from opinion.text.script import render_document

    if script not in CLEAN_SCRIPTS:
        raise InputError(f"--script must be one of {list(CLEAN_SCRIPTS)}; got {script!r}")
    page = source != "-" and source.lower().removesuffix(".gz").endswith(PAGE_SUFFIXES)  # one article
    lines = clean_lines(_read_input(source), contacts=contacts, whole=whole or page)
    if script != "keep":
        lines = [render_document(line, None, script) if line else line for line in lines]
    if lines:  # nothing in, nothing out (not a blank line)
        typer.echo("\n".join(lines))


@handle_errors
@with_settings("prepare")
def prepare(
    workspace: WorkspaceOpt,
    workers: WorkersOpt = 0,
    force: Annotated[bool, typer.Option("--force", help="Prepare every part again.")] = False,
    engine: EngineOpt = "local",
    address: AddressOpt = None,
    *,
    given: Given,
) -> None:
    """Clean → script → tokens → themes on a loaded workspace (skipped when unchanged).

    Options left out keep what the workspace was last prepared with.
    """
    from opinion.config import PrepareSettings, settings_for
    from opinion.io.workspace import Workspace
    from opinion.prepare import prepare_workspace

    ws = Workspace.open(workspace)
    settings = settings_for(ws, PrepareSettings, overrides=given["prepare"])
    report = prepare_workspace(ws, settings=settings, workers=workers, force=force,
                               engine=engine, address=address)
    typer.echo(str(report))


themes_app = typer.Typer(name="themes", invoke_without_command=True, no_args_is_help=False,
                         help="Theme prevalence per period; check a theme's precision on a sample.")
KeepOpt = Annotated[bool, typer.Option(
    "--keep-duplicates", help="Keep exact and near-duplicates and spam (left out by default).")]


@themes_app.callback()
@handle_errors
def themes(
    ctx: typer.Context,
    workspace: Annotated[Path | None, typer.Option(
        "--workspace", "-w", help="Workspace folder (after `opinion prepare`).")] = None,
    period: Annotated[str | None, typer.Option(
        help="day, week or month; picked from the date range when left out.")] = None,
    script: ScriptOpt = None,
) -> None:
    """Print the share of documents with each theme, per period (all documents)."""
    if ctx.invoked_subcommand is not None:
        return
    if workspace is None:
        typer.echo(ctx.get_help())
        raise typer.Exit(code=2)
    from opinion.report.display import render_name
    from opinion.text.script import check_target
    from opinion.theme_tables import theme_prevalence

    target = check_target(shown_script(script, workspace))

    table = theme_prevalence(workspace, period=period)
    if table.empty:
        typer.echo("no documents")
        return
    names = list(dict.fromkeys(table["theme"]))
    header = ["period", "docs", *[render_name(name, target) for name in names]]  # 國貨 is 国货 in zh-Hans
    rows = []
    for label, group in table.groupby("period", sort=True):
        documents = int(group["documents"].iloc[0])
        counts = dict(zip(group["theme"], group["documents_with_theme"]))
        # the share from the counts, rounded once, as the export's tables print it (not the
        # 4-decimal prevalence rounded again: 40/611 read 6.6% here, 6.5% in report.md)
        rows.append([str(label), str(documents), *[f"{counts[n] / documents:.1%} ({counts[n]})" for n in names]])
    typer.echo(format_table(header, rows, numeric_from=1))
    typer.echo("(all documents: duplicates and spam included)")


@themes_app.command("check")
@handle_errors
def themes_check(
    theme: Annotated[str, typer.Argument(help="Theme name (either script), e.g. 信任.")],
    workspace: WorkspaceOpt,
    sample: Annotated[int, typer.Option("--sample", help="Documents to show.", min=1)] = 50,
    seed: Annotated[int, typer.Option(help="Seed of the random sample (0 to 2**32 - 1).", min=0,
                                      max=2**32 - 1)] = 0,
    keep_duplicates: KeepOpt = False,
    out: Annotated[Path | None, typer.Option(
        "--out", help="Also write the sample as CSV (add a column with your judgement).")] = None,
    script: ScriptOpt = None,
) -> None:
    """Print a random sample of a theme's hits with the words that matched, to judge precision.

    Posts are quoted as written; with ``--script``, posts in another script are converted, as
    KWIC does, and the matched words are shown in it."""
    from opinion.flags import included_note
    from opinion.kwic import workspace_conversion
    from opinion.text.script import check_target, render
    from opinion.theme_tables import theme_sample
    from opinion.themes import mark_terms

    target = check_target(script) if script else None
    if out is not None and out.is_dir():  # before the sample is drawn, not after it is printed
        raise InputError(f"--out {out} is a folder; give a file such as {out / 'sample.csv'}")
    with workspace_conversion(workspace):  # posts converted and marked as prepare converted them
        table, total = theme_sample(workspace, theme, n=sample, seed=seed, include_flagged=keep_duplicates,
                                    script=target)
        typer.echo(f"{theme}: {total:,} documents count ({included_note(keep_duplicates)}); "
                   f"{len(table)} at random (seed {seed}):")
        for row in table.itertuples(index=False):
            terms = [t.split("×")[0] for t in row.terms.split()]
            shown = render(row.terms, target) if target else row.terms
            typer.echo(f"{row.doc_id}  [{shown}]  {mark_terms(row.text, terms)}")
    if out is not None:  # the exports' writer: no live formula, no control character
        from opinion.io.atomic import atomic_path
        from opinion.io.safety import write_csv_frame

        with atomic_path(out) as tmp:
            write_csv_frame(table, tmp)


@handle_errors
def kwic(
    term: Annotated[str, typer.Argument(help="Word to find (either script).")],
    workspace: WorkspaceOpt,
    width: Annotated[int, typer.Option(help="Characters of context on each side.", min=1)] = 20,
    theme: Annotated[str | None, typer.Option(help="Only documents with this theme.")] = None,
    script: ScriptOpt = None,
    limit: Annotated[int, typer.Option(help="At most this many lines.", min=1)] = 200,
    token: Annotated[bool, typer.Option(
        "--token", help="Only documents where the term is one token (e.g. a word added with "
        "`opinion newwords --accept`).")] = False,
    keep_duplicates: KeepOpt = False,
) -> None:
    """Print keyword-in-context lines: doc id, date, left context, the term, right context.

    The term is marked 【】, or 〖〗 when the lines hold 【】 themselves (a Weibo headline)."""
    from opinion.flags import included_note
    from opinion.kwic import kwic as find
    from opinion.kwic import match_marks
    from opinion.report.display import display_width  # here, so `opinion --help` needs no pandas

    lines = find(workspace, term, width=width, theme=theme, script=shown_script(script, workspace), limit=limit,
                 whole_token=token, include_flagged=keep_duplicates)
    if lines.empty:
        typer.echo(f"no occurrence of {term!r} ({included_note(keep_duplicates)})", err=True)
        return
    id_width = max(display_width(str(d)) for d in lines["doc_id"])
    opening, closing = match_marks([*lines["left"], *lines["term"], *lines["right"]])
    for row in lines.itertuples(index=False):
        date = "" if row.published_at is None or str(row.published_at) == "NaT" else str(row.published_at)[:10]
        doc = str(row.doc_id) + " " * (id_width - display_width(str(row.doc_id)))
        left = " " * max(0, 2 * width - display_width(row.left)) + row.left
        typer.echo(f"{doc}  {date:10}  {left} {opening}{row.term}{closing} {row.right}")
    typer.echo(kwic_summary(len(lines), lines.attrs.get("lines_total", len(lines)), included_note(keep_duplicates)),
               err=True)


def kwic_summary(shown: int, total: int, note: str) -> str:
    """The count line under the KWIC lines: ``200 of 283 lines (…; --limit 283 shows all)`` when
    ``--limit`` cut them, else ``283 lines (…)``."""
    if shown < total:
        return f"{shown:,} of {total:,} lines ({note}; --limit {total} shows all)"
    return f"{total:,} lines ({note})"


def register(app: typer.Typer) -> None:
    """Add this module's commands to `app`."""
    app.command("clean")(clean)
    app.command("prepare")(prepare)
    app.add_typer(themes_app, name="themes")
    app.command("kwic")(kwic)
