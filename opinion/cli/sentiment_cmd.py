"""CLI commands of the sentiment stage.

    opinion sentiment -w runs/weibo --workers 2
    opinion sentiment train --data-dir ../shared/data/sentiment --out model.safetensors
    opinion sentiment evaluate reviews.csv --text-col text --label-col label --json
    opinion sentiment evaluate weibo.csv --task emotion --map "like=happiness,disgust=anger,none=neutral"
    opinion sentiment explain "房间很干净，但是服务不太好"
    opinion sentiment explain -w runs/weibo --doc weibo-000042
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from opinion.cli.common import AddressOpt, EngineOpt, ScriptOpt, WorkersOpt, handle_errors, shown_script
from opinion.cli.options import FLAGS, Flag, Given, with_settings


def _flag(name: str) -> Flag:
    (flag,) = [f for f in FLAGS["sentiment"] if f.name == name]
    return flag


def decode_input(data: bytes) -> str:
    """Standard input as text: UTF-8 (a last character cut short is dropped), else GB18030,
    Big5 or UTF-16 as detected, with broken bytes as U+FFFD (a 文章.txt saved on a Chinese
    Windows is GB18030): ``decode_input("你好".encode("gb18030")) == "你好"``."""
    import codecs

    from opinion.io.encoding import WIDE_ENCODINGS, detect_encoding

    encoding = detect_encoding(data, truncated=True)
    if encoding not in WIDE_ENCODINGS:
        try:
            return codecs.getincrementaldecoder("utf-8-sig")().decode(data, final=False)
        except UnicodeDecodeError:
            pass
    return data.decode(encoding, errors="replace").lstrip("\ufeff")


BandOpt = Annotated[str, typer.Option("--neutral-band", help=_flag("neutral_band").help)]


sentiment_app = typer.Typer(
    name="sentiment", invoke_without_command=True, no_args_is_help=False,
    help="Score sentiment per document, sentence and theme; train and evaluate the model.")


@sentiment_app.callback()
@handle_errors
@with_settings("sentiment")
def sentiment(
    ctx: typer.Context,
    workspace: Annotated[Path | None, typer.Option(
        "--workspace", "-w", help="Workspace folder (after `opinion prepare`).")] = None,
    workers: WorkersOpt = 0,
    force: Annotated[bool, typer.Option("--force", help="Score every part again.")] = False,
    engine: EngineOpt = "local",
    address: AddressOpt = None,
    *,
    given: Given,
) -> None:
    """Score the workspace: sentiment/<part>.parquet with polarity, emotion and per-theme columns.

    Options left out keep what the workspace was last scored with; --neutral-band none
    goes back to the model's most probable class (the lexicon's band with --method lexicon).
    """
    if ctx.invoked_subcommand is not None:
        return
    if workspace is None:
        typer.echo(ctx.get_help())
        raise typer.Exit(code=2)
    from opinion.sentiment.score import score_workspace

    options = dict(given["sentiment"])
    if "neutral_band" in options and options["neutral_band"] is None:  # --neutral-band "": no band either
        options["neutral_band"] = "none"
    report = score_workspace(workspace, **options, workers=workers, force=force,
                             engine=engine, address=address)
    typer.echo(report.summary())


@sentiment_app.command()
@handle_errors
def train(
    data_dir: Annotated[Path, typer.Option(
        "--data-dir", help="Folder with the labelled sets (chnsenticorp_*.csv, weibo_emotion_*.csv, ...).")],
    out: Annotated[Path | None, typer.Option(
        "--out", help="Model file to write (default: the shipped resource).")] = None,
    workers: Annotated[int, typer.Option(
        "--workers", help="Processes for hashing and for the two heads (same file for any N).")] = 1,
    soft: Annotated[list[Path] | None, typer.Option(
        "--soft", help="Folder of the e5 teacher's soft labels (tools/e5_soft_labels.py); repeatable.")
    ] = None,
    soft_weight: Annotated[float, typer.Option(
        "--soft-weight", help="Weight of a soft-labelled post, times the teacher's probability.",
        min=0.0)] = 0.5,
) -> None:
    """Rebuild the sentiment model (polarity and emotion heads) from every labelled set (same data → same file)."""
    from opinion.sentiment.train import train_model

    typer.echo(str(train_model(data_dir, out=out, workers=workers, soft=soft or (),
                               soft_weight=soft_weight)))


@sentiment_app.command()
@handle_errors
def evaluate(
    file: Annotated[Path, typer.Argument(help="Labelled CSV, TSV, JSONL or XLSX file.")],
    task: Annotated[str, typer.Option(
        "--task", help="polarity (negative/neutral/positive) or emotion (happiness, anger, sadness, "
        "fear, surprise, neutral).")] = "polarity",
    text_col: Annotated[str, typer.Option("--text-col", help="Column with the text.")] = "text",
    label_col: Annotated[str, typer.Option(
        "--label-col", help="Column with the labels (0/1, -1/0/1, pos/neg/neutral, emotion names).")
    ] = "label",
    labels: Annotated[str | None, typer.Option(
        "--labels", help='Name the file\'s codes: "0=positive,1=neutral,2=negative".')] = None,
    label_map: Annotated[str | None, typer.Option(
        "--map", help='Rename labels on both sides, e.g. "like=happiness,disgust=anger,none=neutral" '
        "(a file's finer labels onto the model's, or the model's onto a coarser file's).")] = None,
    method: Annotated[str, typer.Option(
        "--method", help="model, transformer, transformer-int8, lexicon or snownlp (the last two polarity only; "
        "snownlp needs `pip install snownlp`).")
    ] = "model",
    neutral_band: BandOpt = "",
    model: Annotated[Path | None, typer.Option(
        "--model", help="A model file from `opinion sentiment train` (default: the shipped one).")
    ] = None,
    as_json: Annotated[bool, typer.Option(
        "--json", help="Print one JSON object (n, accuracy, macro_f1, per_class_f1, confusion, "
        "95% bootstrap intervals, rows read and rejected, model SHA-256, opinion version, date).")] = False,
    raw: Annotated[bool, typer.Option(
        "--raw", help="Score the texts as written, not cleaned and normalised as the stage scores "
        "them (`opinion prepare`'s default cleaning).")] = False,
) -> None:
    """Print n, accuracy, macro-F1 (with 95% intervals), F1 per class and the confusion matrix.

    Texts are scored as the sentiment stage scores a document (cleaned as `opinion prepare`
    cleans it); rows the file's quoting breaks are rejected and named by line; the last line
    names the model file, its SHA-256, the opinion version and the date, to cite.
    """
    from opinion.sentiment.evaluate import evaluate_file

    result = evaluate_file(file, task=task, text_col=text_col, label_col=label_col, method=method,
                           labels=labels, label_map=label_map, neutral_band=neutral_band,
                           model_path=str(model) if model else "", raw=raw)
    typer.echo(result.to_json() if as_json else str(result))


@sentiment_app.command()
@handle_errors
def explain(
    text: Annotated[str | None, typer.Argument(
        help="A text to score; - reads it from standard input (a long article).")] = None,
    neutral_band: BandOpt = "",
    model: Annotated[Path | None, typer.Option(
        "--model", help="A model file from `opinion sentiment train` (default: the workspace's, "
        "else the shipped one).")] = None,
    workspace: Annotated[Path | None, typer.Option(
        "--workspace", "-w", help="Clean and score as this workspace does (its cleaning, model, band).")] = None,
    doc: Annotated[str | None, typer.Option(
        "--doc", help="Explain this document of the workspace (its stored text_norm) instead of TEXT.")] = None,
    script: ScriptOpt = None,
) -> None:
    """Show the model's score per sentence and the lexicon words behind the lexicon score.

    The text is cleaned as `opinion prepare` cleans it and scored as the stage scores it.
    Sentences are shown in --script (with -w: default the workspace's export script; without:
    as written).

    -w WS --doc DOC_ID explains the label of a document of the workspace.
    """
    import sys

    from opinion.config import model_option
    from opinion.errors import InputError
    from opinion.sentiment.evaluate import FULL_WIDTH
    from opinion.sentiment.score import explain_text, explain_workspace

    if doc is not None and workspace is None:
        raise InputError("--doc needs --workspace/-w: the workspace that holds the document")
    if (text is None) == (doc is None):
        raise InputError("give a TEXT to explain (- reads standard input) or -w WS --doc DOC_ID, not both")
    if model is not None and model_option(model) and not model.is_file():
        raise InputError(f"--model {model}: no such file; give a file from `opinion sentiment train`, "
                         "or --model default for the shipped model")
    from opinion.text.script import check_target

    target = shown_script(script, workspace) if workspace is not None else script
    if target is not None:
        check_target(target)
    if text == "-":
        text = decode_input(sys.stdin.buffer.read())
    band = neutral_band.translate(FULL_WIDTH) or None  # not given: the workspace's band, else none
    if workspace is not None:
        typer.echo(explain_workspace(workspace, text=text, doc_id=doc, neutral_band=band, model_path=model,
                                     script=target))
        return
    from opinion.config import SentimentSettings

    settings = SentimentSettings(model_path=model_option(model) or "")
    typer.echo(explain_text(text or "", neutral_band=band, settings=settings, script=target))


def register(app: typer.Typer) -> None:
    """Add the ``sentiment`` command group to ``app``."""
    app.add_typer(sentiment_app, name="sentiment")
