"""CLI commands of words and networks: ``newwords``, ``keywords``, ``network`` and ``wordcloud``.

    opinion newwords -w runs/weibo --top 50 --out newwords.csv
    opinion newwords -w runs/weibo --accept 火神山,雷神山 --accept-file chosen.txt
    opinion keywords -w runs/weibo --by period --period week --out report
    opinion network -w runs/weibo --theme 信任 --top 100 --out report/network
    opinion wordcloud -w runs/weibo --by period --out report/clouds --script zh-Hant-TW
    opinion wordcloud -w runs/weibo --exclude 主要,目前 --exclude-file 停用词.txt

Every option left out falls back to the command's settings dataclass
(:class:`opinion.words.newwords.NewWordSettings`, ``KeywordSettings``, ``NetworkSettings``,
``CloudSettings``), where the defaults are written once.
"""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path
from typing import Annotated, Any

import typer

from opinion.cli.common import ScriptOpt, WorkspaceOpt, format_table, handle_errors, shown_script
from opinion.errors import InputError, some_of

PeriodUnitOpt = Annotated[str | None, typer.Option(  # noqa: UP007 - typer reads Optional
    "--period-unit", help="day, week or month; picked from the date range (as export does) when left out.")]


ExcludeOpt = Annotated[list[str] | None, typer.Option(  # noqa: UP007
    "--exclude", help="Leave these words out (comma-separated or repeated, either script), "
    "e.g. --exclude 主要,目前.")]
ExcludeFileOpt = Annotated[Path | None, typer.Option(  # noqa: UP007
    "--exclude-file", help="Leave out the words of this file (one per line; # comments), "
    "a stoplist kept for the project.")]

EverydayOpt = Annotated[bool, typer.Option(
    "--everyday-words", help="Also show everyday words (没有, 真的, 知道, 转发 …), left out by default.")]


def excluded(words: list[str] | None, file: Path | None) -> tuple[str, ...] | None:
    """The words of ``--exclude`` and ``--exclude-file`` in Simplified, or None when neither is given."""
    if not words and file is None:
        return None
    from opinion.io.userdict import read_word_file
    from opinion.words.groups import excluded_words

    if file is not None and not file.is_file():
        raise InputError(f"--exclude-file {file}: no such file")
    return excluded_words([*(words or []), *(read_word_file(file) if file else [])])


def given(settings_class: type, **options: Any) -> Any:
    """``settings_class`` built from the options the user gave (None means not given)."""
    names = {f.name for f in fields(settings_class)}
    return settings_class(**{k: v for k, v in options.items() if v is not None and k in names})


def _write_csv(table, out: Path, name: str) -> Path:
    from opinion.io.csv_writer import write_csv

    if out.exists() and not out.is_dir():
        raise InputError(f"--out {out}: is a file; give a folder")
    return write_csv({name: table}, out)[0]


@handle_errors
def newwords(
    workspace: WorkspaceOpt,
    accept: Annotated[list[str] | None, typer.Option(  # noqa: UP007
        "--accept", help="Add these words (comma-separated or repeated, either script) to the "
        "workspace's user dictionary instead of searching.")] = None,
    accept_file: Annotated[Path | None, typer.Option(  # noqa: UP007
        "--accept-file", help="Add the words of this file (one per line, the first column) to "
        "the user dictionary, e.g. a trimmed copy of the --out CSV.")] = None,
    top: Annotated[int | None, typer.Option("--top", min=1, help="Candidates to list.")] = None,  # noqa: UP007
    min_count: Annotated[int | None, typer.Option("--min-count", min=2, help="Occurrences needed.")] = None,  # noqa: UP007
    min_docs: Annotated[int | None, typer.Option(  # noqa: UP007
        "--min-docs", min=1, help="Documents that must use the word (default 3): two ad posts repeating "
        "a phrase 36 times no longer make it a new word.")] = None,
    max_len: Annotated[int | None, typer.Option("--max-len", min=2, max=12, help="Longest word, characters.")] = None,  # noqa: UP007
    script: ScriptOpt = None,
    out: Annotated[Path | None, typer.Option(  # noqa: UP007
        "--out", "-o", help="Also write the list as CSV to this file.")] = None,
) -> None:
    """List candidate new words (frequent, cohesive, free at both ends, split by jieba), or accept some."""
    if accept or accept_file:
        from opinion.io.userdict import accept_words, read_word_file, word_pieces

        if accept_file is not None and not accept_file.is_file():
            raise InputError(f"--accept-file {accept_file}: no such file")
        words = [*(accept or []), *(read_word_file(accept_file) if accept_file else [])]
        if not word_pieces(words):  # --accept "" or " , ": nothing would be added, say so
            raise InputError(f"--accept-file {accept_file}: no word in it" if accept_file else
                             "--accept: no word given; e.g. --accept 火神山,雷神山")
        typer.echo(str(accept_words(workspace, words)))
        return
    from opinion.engine.runner import require_finished
    from opinion.io.workspace import Workspace
    from opinion.schema import PREPARED
    from opinion.words.newwords import NewWordSettings, find_new_words

    require_finished(Workspace.open(workspace), PREPARED)  # not a corpus changed since prepare
    settings = given(NewWordSettings, top=top, min_count=min_count, min_docs=min_docs, max_len=max_len)
    table = find_new_words(workspace, settings=settings, script=shown_script(script, workspace),
                           progress=lambda message: typer.echo(f"… {message}", err=True))
    if table.empty:
        typer.echo("no candidate new words; try a lower --min-count or --min-docs")
        return
    rows = [[str(r.rank), r.word, str(r.count), str(r.docs), f"{r.cohesion:.1f}", f"{min(r.left_entropy, r.right_entropy):.2f}",
             r.jieba_cut, str(r.example_1 if isinstance(r.example_1, str) else "")]
            for r in table.itertuples(index=False)]
    typer.echo(format_table(["#", "word", "count", "docs", "PMI", "freedom", "jieba cuts it", "example"], rows,
                            numeric_from=99))
    if out is not None:
        from opinion.io.atomic import atomic_path
        from opinion.io.safety import write_csv_frame

        with atomic_path(out) as tmp:
            write_csv_frame(table, tmp)
        typer.echo(f"wrote {out}; keep the rows you want and accept them with --accept-file {out}")


@handle_errors
def keywords(
    workspace: WorkspaceOpt,
    by: Annotated[str, typer.Option("--by", help="period, source, topic or theme.")] = "period",
    period_unit: PeriodUnitOpt = None,
    top: Annotated[int | None, typer.Option("--top", min=1, help="Keywords per group.")] = None,  # noqa: UP007
    min_count: Annotated[int | None, typer.Option("--min-count", min=1, help="Occurrences in the group needed.")] = None,  # noqa: UP007
    min_docs: Annotated[int | None, typer.Option(  # noqa: UP007
        "--min-docs", min=1, help="Documents of the group that must use the word (default 3): one post "
        "repeating a word 57 times no longer makes it a keyword.")] = None,
    exclude: ExcludeOpt = None,
    exclude_file: ExcludeFileOpt = None,
    everyday_words: EverydayOpt = False,
    script: ScriptOpt = None,
    out: Annotated[Path | None, typer.Option(  # noqa: UP007
        "--out", "-o", help="Also write keywords_by_<by>.csv into this folder.")] = None,
) -> None:
    """Distinctive words of each group against the rest (Dunning log-likelihood G², with counts)."""
    from opinion.words.keywords import KeywordSettings, keyword_grid
    from opinion.words.keywords import keywords as find

    settings = given(KeywordSettings, period=period_unit, top=top, min_count=min_count, min_docs=min_docs,
                     exclude=excluded(exclude, exclude_file), everyday_words=everyday_words)
    table = find(workspace, by=by, settings=settings, script=shown_script(script, workspace))
    undated = table.attrs.get("undated_documents")
    if table.empty:
        typer.echo(_no_keywords(workspace, by, settings))  # an error when no document has a date
    if undated:
        typer.echo(f"note: {undated:,} document(s) without a date are in no period and left out", err=True)
    if table.empty:
        return
    grid = keyword_grid(table, top=min(settings.top, 10))
    for start in range(0, len(grid.columns), 6):  # six groups side by side
        block = grid.iloc[:, start:start + 6]
        typer.echo(format_table(["#", *map(str, block.columns)],
                                [[str(i), *row] for i, row in zip(block.index, block.to_numpy().tolist())],
                                numeric_from=99) + "\n")
    if out is not None:
        typer.echo(f"wrote {_write_csv(table, out, f'keywords_by_{by}')}")


@handle_errors
def network(
    workspace: WorkspaceOpt,
    theme: Annotated[str | None, typer.Option("--theme", help="Only documents of this theme.")] = None,  # noqa: UP007
    topic: Annotated[int | None, typer.Option("--topic", help="Only documents of this topic id.")] = None,  # noqa: UP007
    period: Annotated[str | None, typer.Option(  # noqa: UP007
        "--period", help="Only documents of the period holding this date (YYYY-MM-DD).")] = None,
    period_unit: PeriodUnitOpt = None,
    top: Annotated[int | None, typer.Option("--top", min=2, help="Words (nodes).")] = None,  # noqa: UP007
    edges: Annotated[int | None, typer.Option("--edges", min=1, help="Strongest edges kept (default 2 × top).")] = None,  # noqa: UP007
    min_cooccurrence: Annotated[int | None, typer.Option(  # noqa: UP007
        "--min-cooccurrence", min=1, help="Documents two words must share.")] = None,
    exclude: ExcludeOpt = None,
    exclude_file: ExcludeFileOpt = None,
    everyday_words: EverydayOpt = False,
    script: ScriptOpt = None,
    out: Annotated[Path | None, typer.Option(  # noqa: UP007
        "--out", "-o", help="Folder for the GEXF, GraphML and CSV files (default WS/network).")] = None,
) -> None:
    """Co-occurrence network of the top words with Louvain communities; GEXF/GraphML for Gephi, CSV."""
    from opinion.words.groups import period_of
    from opinion.words.network import NetworkSettings, cooccurrence_network, write_network

    settings = given(NetworkSettings, top=top, edges=edges, min_cooccurrence=min_cooccurrence, period=period_unit,
                     exclude=excluded(exclude, exclude_file), everyday_words=everyday_words)
    start = period_of(workspace, period, settings.period) if period else None
    net = cooccurrence_network(workspace, settings=settings, theme=theme, topic=topic, period=start, script=shown_script(script, workspace))
    folder = out or Path(workspace) / "network"
    written = write_network(net, folder, name=f"network_{net.doc_filter.slug()}")
    communities = net.nodes.groupby("community")["label"].apply(lambda s: " ".join(s.head(8)))
    typer.echo(f"{len(net.nodes)} words, {len(net.edges)} edges, {len(communities)} communities "
               f"from {net.documents:,} documents ({net.doc_filter.slug()})")
    for community, words in communities.items():
        typer.echo(f"  {community}: {words}")
    if len(net.nodes) < net.drawn and settings.min_cooccurrence > 1:  # words without an edge are left out
        typer.echo(f"note: {net.drawn - len(net.nodes):,} of the top {net.drawn} words share no edge with "
                   f"≥ {settings.min_cooccurrence} documents (--min-cooccurrence) and are left out; try "
                   f"--min-cooccurrence {settings.min_cooccurrence - 1}", err=True)
    for path in written:
        typer.echo(f"wrote {path}")


@handle_errors
def wordcloud(
    workspace: WorkspaceOpt,
    by: Annotated[str | None, typer.Option(  # noqa: UP007
        "--by", help="period, source, topic or theme: one cloud per group (default: one for all documents).")] = None,
    period_unit: PeriodUnitOpt = None,
    max_words: Annotated[int | None, typer.Option("--max-words", min=1, help="Words per cloud.")] = None,  # noqa: UP007
    exclude: ExcludeOpt = None,
    exclude_file: ExcludeFileOpt = None,
    everyday_words: EverydayOpt = False,
    script: ScriptOpt = None,
    out: Annotated[Path | None, typer.Option(  # noqa: UP007
        "--out", "-o", help="Folder for the PNG files (default WS/wordclouds).")] = None,
) -> None:
    """Word clouds (PNG) in the reader's script with a shipped CJK font, one per group."""
    from opinion.io.atomic import atomic_path
    from opinion.words.cloud import CloudSettings, cloud_frequencies, png_bytes, word_cloud

    settings = given(CloudSettings, max_words=max_words)
    words_out = excluded(exclude, exclude_file) or ()
    shown = shown_script(script, workspace)
    found, skipped = cloud_frequencies(workspace, by=by, period=period_unit, top=settings.words_counted,
                                       exclude=words_out, everyday_words=everyday_words)  # --max-words above 200 drawn since 2026-12-07
    folder = out or Path(workspace) / "wordclouds"  # beside network/: another workspace's clouds are never overwritten
    for group, name in cloud_file_names(list(found), by=by, script=shown).items():
        path = folder / name
        image = word_cloud(found[group].to_dict(), script=shown, settings=settings)
        with atomic_path(path) as tmp:
            tmp.write_bytes(png_bytes(image))
        typer.echo(f"wrote {path}")
    if not found and not skipped:  # no group at all: by period, no document has a date
        require_dates(workspace, by)
        raise InputError(f"no word cloud written: {workspace} has no {by} group")
    if skipped:
        lines = [f"{f'{by} {name}' if by else 'all documents'}: {_why_no_cloud(*why)}"
                 for name, why in zip(_group_names(list(skipped), by=by, script=shown), skipped.values())]
        if not found:
            raise InputError("no word cloud written: " + some_of(lines, 3, "; "))
        for line in lines:
            typer.echo(f"no cloud for {line}", err=True)


def require_dates(workspace: Path, by: str | None) -> None:
    """One-line :class:`InputError` when grouping ``by`` period a workspace none of whose
    documents has a date (loaded without ``--date-col``): there is no period to show."""
    from opinion import schema as S
    from opinion.io.workspace import Workspace

    if by != "period":
        return
    dates = Workspace.open(workspace).read(S.CORPUS, columns=[S.PUBLISHED_AT])[S.PUBLISHED_AT]
    if len(dates) and dates.isna().all():
        raise InputError(f"no document of {workspace} has a date ({len(dates):,} without one); use "
                         "--by source, theme or topic, or load the files again with --date-col "
                         "(or --date-from-filename) and --replace")


def _no_keywords(workspace: Path, by: str, settings: Any) -> str:
    """Why ``opinion keywords`` found none, with the figures: ``no keywords: in 2 period
    groups of 2 kept documents no word …``. The counts are kept in ``WS/words/``: not counted again."""
    from opinion.words.keywords import group_counts

    require_dates(workspace, by)
    documents = group_counts(workspace, by=by, settings=settings)[2]
    groups, kept = len(documents), sum(documents.values())
    if groups < 2:
        return (f"no keywords: {groups} {by} group(s) of {kept:,} kept documents (duplicates, near-duplicates "
                "and spam left out); keywords compare each group with the rest, so they need two or more")
    p_value = " (p < 0.05)" if settings.min_g2 == 3.84 else ""
    lower = "a lower --min-count or --min-docs, or " if settings.min_count > 1 or settings.min_docs > 1 else ""
    return (f"no keywords: in {groups} {by} groups of {kept:,} kept documents no word is used more than in the "
            f"rest at least {settings.min_count} time(s) (--min-count) by at least {settings.min_docs} "
            f"document(s) (--min-docs) with G² ≥ {settings.min_g2:g}{p_value}; try {lower}larger groups")


def _why_no_cloud(why: str, documents: int) -> str:
    """Why a group has no cloud, in words (:func:`opinion.words.cloud.cloud_frequencies`)."""
    from opinion.words.cloud import EVERYDAY, EXCLUDED, NO_DOCUMENTS

    if why == NO_DOCUMENTS:
        return "no document in it (duplicates, near-duplicates and spam are left out)"
    if why == EXCLUDED:
        return f"--exclude/--exclude-file left out every word of its {documents:,} document(s); exclude fewer"
    if why == EVERYDAY:
        return f"only everyday words (没有, 真的 …) in its {documents:,} document(s); --everyday-words draws them"
    return (f"no word to draw in its {documents:,} document(s) (one-character words, numbers, hashtags, "
            "emoticons and stopwords are left out)")


def _group_names(groups: list[str], *, by: str | None, script: str) -> list[str]:
    """Group names as the reader sees them: topic and theme names in ``script``, as keywords shows them
    (a theme as its file wrote it, in either script: :func:`opinion.report.display.render_name`)."""
    from opinion.report.display import render_name
    from opinion.text.script import render_many

    if by == "theme":
        return [render_name(group, script) for group in groups]
    return render_many(groups, script) if by == "topic" else groups


def cloud_file_names(groups: list[str], *, by: str | None, script: str) -> dict[str, str]:
    """``{group: "wordcloud_<name>.png"}`` for the clouds of ``groups``: topic and theme names in
    ``script`` (as ``opinion keywords`` shows them), and no two alike, letters in any case. A
    name that needs no change is kept; the others, in group order, get ``_2``, ``_3`` … when
    taken (``a/b`` and ``a_b`` give ``a_b_2`` and ``a_b``)."""
    from opinion.words.names import file_part

    shown = dict(zip(groups, _group_names(groups, by=by, script=script)))
    parts = {group: file_part(name) for group, name in shown.items()}  # opinion.words.names
    order = sorted(range(len(groups)), key=lambda i: (parts[groups[i]] != shown[groups[i]], i))
    taken: set[str] = set()
    names: dict[str, str] = {}
    for group in (groups[i] for i in order):
        part, number = parts[group], 1
        while part.casefold() in taken:
            number += 1
            part = f"{parts[group]}_{number}"
        taken.add(part.casefold())
        names[group] = f"wordcloud_{part}.png"
    return {group: names[group] for group in groups}


def register(app: typer.Typer) -> None:
    """Add this module's commands to `app`."""
    app.command("newwords")(newwords)
    app.command("keywords")(keywords)
    app.command("network")(network)
    app.command("wordcloud")(wordcloud)
