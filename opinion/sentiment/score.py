"""The sentiment stage: per-document, per-sentence and per-theme scores of prepared parts.

:func:`score_part` is a pure ``DataFrame -> DataFrame`` function (it runs under Dask
``map_partitions`` too). :func:`score_workspace` runs it on every prepared part through
:func:`opinion.engine.runner.run_partwise` and writes ``sentiment/<part>.parquet`` with

- ``doc_id``;
- ``sentiment_score``: probability of positive in the three-way model, 0..1 (the lexicon:
  sigmoid of its summed word weights); null for empty texts;
- ``sentiment_label``: the most probable of negative / neutral / positive (model), or the
  neutral band on P(positive) + P(neutral)/2 when one is given (the lexicon: default band 0.4..0.6);
- ``sentiment_prob_<class>``: the three class probabilities (null with the lexicon);
- ``emotion_label`` and ``emotion_prob_<emotion>``: the emotion head's most probable emotion
  and its probabilities (always from the model);
- ``sentiment_theme_<name>``: for a document of the theme, the mean P(positive) of its
  sentences that hold one of the theme's terms (outside its ``exclude_context``), null when no
  sentence does.

Example:
    >>> part = pd.DataFrame({"doc_id": ["a"], "text_norm": ["物流很快。客服态度很差！"]})
    >>> score_part(part, SentimentSettings())[["doc_id", "sentiment_label"]].to_dict("records")
    [{'doc_id': 'a', 'sentiment_label': 'negative'}]
"""

from __future__ import annotations

import functools
from dataclasses import asdict, replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from opinion.config import (
    LEXICON_BAND,
    SENTIMENT_METHODS,
    TRANSFORMER_METHODS,
    PrepareSettings,
    SentimentSettings,
    band_off,
    band_option,
    model_option,  # re-exported: it lived here until 2026-12-08
    parse_band,  # noqa: F401 - re-exported: `from opinion.sentiment.score import parse_band` worked before
    settings_for,
    store_settings,
)
from opinion.engine.runner import PartwiseReport, run_partwise
from opinion.errors import InputError, WorkspaceError
from opinion.io.atomic import file_sha256, fingerprint
from opinion.io.lock import writes_workspace
from opinion.io.workspace import Workspace
from opinion.schema import (
    DOC_ID,
    EMOTION_LABEL,
    EMOTION_PROB_PREFIX,
    PREPARED,
    SENTIMENT,
    SENTIMENT_LABEL,
    SENTIMENT_PROB_PREFIX,
    SENTIMENT_SCORE,
    TEXT_CLEAN,
    TEXT_NORM,
    THEME_PREFIX,
    THEME_SENTIMENT_PREFIX,
)
from opinion.schema import SCRIPT as SCRIPT_COLUMN
from opinion.sentiment.columns import argmax_labels as argmax_labels  # re-exported: the stage's label rules
from opinion.sentiment.columns import band_labels as band_labels
from opinion.sentiment.columns import label_scores, model_columns, non_empty
from opinion.sentiment.datasets import POLARITIES
from opinion.sentiment.features import split_sentences
from opinion.sentiment.inputs import MODEL_FORMS, model_text  # noqa: F401  (MODEL_FORMS re-exported)
from opinion.sentiment.transformer import transformer_for_method
from opinion.themes import Theme

if TYPE_CHECKING:
    from opinion.sentiment.model import SentimentModel
    from opinion.sentiment.transformer import TransformerModel

STAGE = "sentiment"
# bump when the same settings give other output (3: sentences keep their closing quotes;
# 4, 2026-12-07: a theme's sentences need one term, not the document's gate; no mark is lost;
# 5, 2026-12-07: <USER>/<URL> are scored as the raw forms the model was trained on, model_text;
# 6, 2026-12-07: theme terms normalised as documents are, 衞生署 → 卫生署, as prepare does;
# 7, 2026-12-08: an ASCII "." after a Chinese character and "..." end a sentence, a #话题# is never
# cut; the lexicon softens 不怎么/不甚/没怎么 and negates with 并非/谈不上/算不上/称不上)
SCORE_VERSION = 7
METHODS = SENTIMENT_METHODS
LABELS = POLARITIES
# The cleaner's placeholders as the raw forms the model was trained on (the transformer too):
# on 1,500 Weibo posts with @/URLs, labels agreed with the raw text's on 92.2 % as <USER>/<URL>,
# 93.9 % so (95.2 % with contacts kept: the rest is other cleaning); held-out EWECT rows with
# @/URLs: accuracy 0.8193 → 0.8276 (raw 0.8282). benchmarks/sentiment_placeholders.py; <EMAIL>
# and <PHONE> (rare; <PHONE> already reads neutral) stay.
def settings_fingerprint(settings: SentimentSettings) -> str:
    """Changes when anything that shapes the output of ``settings`` changes (the model file
    included); :meth:`SentimentSettings.fingerprint` calls it."""
    from opinion.sentiment.model import default_model_path

    payload = asdict(settings)
    payload.pop("content_fingerprint")
    # the emotion columns come from the model whatever the method
    payload["model_sha256"] = file_sha256(settings.model_path or default_model_path())
    if settings.method in TRANSFORMER_METHODS:
        payload["transformer_sha256"] = file_sha256(transformer_for_method(settings.method).path)
    payload["version"] = SCORE_VERSION
    return fingerprint(payload)


# --- scorers ----------------------------------------------------------------------------
@functools.lru_cache(maxsize=4)
def _scorer(method: str, model_path: str):
    """A function ``list[str] -> np.ndarray`` of P(positive), loaded once per process."""
    if method == "lexicon":
        from opinion.sentiment.lexicon import LexiconScorer

        lexicon = LexiconScorer.load()
        return lambda texts: np.array(lexicon.score(texts), dtype=np.float64)
    if method in TRANSFORMER_METHODS:
        return transformer_for_method(method).score
    from opinion.sentiment.model import load_model

    # looked up on each call: load_model reads a model retrained into the same file again
    return lambda texts: load_model(model_path or None).score(texts)


def score_texts(texts: list[str], *, method: str = "model", model_path: str = "") -> np.ndarray:
    """P(positive) (0..1) of Simplified ``texts``; empty texts get NaN.

    >>> scores = score_texts(["质量很好", ""])
    >>> bool(scores[0] > 0.5), bool(np.isnan(scores[1]))
    (True, True)
    """
    scores = np.full(len(texts), np.nan)
    keep = non_empty(texts)
    if keep:
        scores[keep] = _scorer(method, model_path)([texts[i] for i in keep])
    return scores


def score_documents(texts: list[str], settings: SentimentSettings, *,
                    model: SentimentModel | None = None) -> pd.DataFrame:
    """Score, label, class probabilities and emotions of Simplified ``texts`` (one row each).

    One feature extraction serves the polarity and emotion heads; empty texts get nulls.

    >>> score_documents(["今天天气预报：多云转晴。"], SentimentSettings())["sentiment_label"].tolist()
    ['neutral']
    """
    from opinion.sentiment.model import load_model

    scorer: SentimentModel | TransformerModel = model or (
        transformer_for_method(settings.method) if settings.method in TRANSFORMER_METHODS
        else load_model(settings.model_path or None))
    frame = model_columns(scorer, texts, settings.neutral_band)
    if settings.method == "lexicon":  # the lexicon's score and band; the emotions stay the model's
        scores = score_texts(texts, method="lexicon")
        frame[SENTIMENT_SCORE] = scores
        frame[SENTIMENT_LABEL] = label_scores(scores, settings.neutral_band or LEXICON_BAND)
        for c in POLARITIES:
            frame[SENTIMENT_PROB_PREFIX + c] = np.nan
    return frame


def score_sentences(text: str, *, method: str = "model", model_path: str = "") -> pd.DataFrame:
    """One row per sentence of ``text``: ``sentence``, ``sentiment_score``.

    >>> score_sentences("房间很干净。早餐太差了！").sentence.tolist()
    ['房间很干净。', '早餐太差了！']
    """
    sentences = split_sentences(text)
    return pd.DataFrame({"sentence": sentences,
                         SENTIMENT_SCORE: score_texts(sentences, method=method, model_path=model_path)})


def analysis_text(text: str, prepare: PrepareSettings | None = None) -> str:
    """``text`` as the prepare stage writes its ``text_norm`` (cleaned with ``prepare``'s
    steps and contacts, in Simplified, normalised for analysis), which the stage scores.

    >>> analysis_text("質量很好??看這裡 http://t.cn/x")
    '质量很好？看这里 <URL>'
    """
    from opinion.prepare import normalized_text

    return normalized_text(text, prepare or PrepareSettings())[3]


def shown_sentences(norm_sentences: list[str], written: str | None, written_script: str | None,
                    target: str | None) -> list[str]:
    """The sentences of a ``text_norm`` as the reader is shown them: cut from the cleaned text
    as written (``written``, in ``written_script``; None detects it), rendered in ``target``
    (None: as written), when it splits into as many sentences; else the normalised ones,
    rendered. ``explain`` quoted Traditional input back in Simplified until 2026-12-08.

    >>> shown_sentences(["这家饭店很差。", "早餐不错。"], "這家飯店很差。早餐不錯。", None, None)
    ['這家飯店很差。', '早餐不錯。']
    """
    from opinion.text.pieces import render_pieces
    from opinion.text.script import HANS, render_document

    cut = split_sentences(written) if written else []
    spans, at = [], 0
    for sentence in cut:
        start = written.find(sentence, at) if written else -1
        if start < 0:
            break
        spans.append((start, at := start + len(sentence)))
    if written and len(spans) == len(norm_sentences) == len(cut):
        return cut if target is None else render_pieces(written, written_script, target, spans)
    return norm_sentences if target in (None, HANS) else [render_document(s, HANS, target) for s in norm_sentences]


def explain_text(text: str, *, neutral_band: tuple[float, float] | str | None = None,
                 settings: SentimentSettings | None = None, prepare: PrepareSettings | None = None,
                 normalized: bool = False, script: str | None = None,
                 written: tuple[str, str | None] | None = None) -> str:
    """A readable account of one text: the model's classes per sentence, lexicon words and weights.

    The text is scored as the stage scores a document: cleaned and normalised as ``prepare``
    would (unless ``normalized``: a stored ``text_norm``), then :func:`model_text`, with the
    model of ``settings`` (until 2026-12-08 the raw text was scored, and 3.7 % of 3,000 Weibo
    posts got another label than in the workspace). Sentences are shown as written, or in
    ``script`` (zh-Hans, zh-Hant-TW, zh-HK); ``written`` is a stored document's (text_clean,
    script), the text its ``text_norm`` was made from.

    >>> print(explain_text("房间很干净，但是服务不太好"))  # doctest: +SKIP
    model: negative (negative 0.62, neutral 0.05, positive 0.33); emotion anger 0.41
      negative 0.62  房间很干净，但是服务不太好
    lexicon: 0.56 neutral (total +0.25)
      干净 +1.00 (很)
      好 -0.75 (不 太)
    """
    from opinion.sentiment.lexicon import LexiconScorer
    from opinion.text.script import render

    base = settings or SentimentSettings()
    band = base.neutral_band if neutral_band is None else band_option(neutral_band)  # "none": off
    settings = replace(base, neutral_band=band,
                       method=base.method if base.method in TRANSFORMER_METHODS else "model")
    if normalized:
        norm = text
    else:
        from opinion.prepare import normalized_text

        cleaned, _, written_script, norm = normalized_text(text, prepare or PrepareSettings())
        written = (cleaned, written_script)
    doc = score_documents([model_text(norm)], settings).iloc[0]
    if doc[SENTIMENT_LABEL] is None or doc[EMOTION_LABEL] is None:  # empty, blank: nothing scored
        raise InputError("nothing to score: the text is empty or blank (after cleaning)")
    probs = ", ".join(f"{c} {doc[SENTIMENT_PROB_PREFIX + c]:.2f}" for c in POLARITIES)
    name = "transformer" if settings.method in TRANSFORMER_METHODS else "model"
    lines = [f"{name}: {doc[SENTIMENT_LABEL]} ({probs}); emotion {doc[EMOTION_LABEL]} "
             f"{doc[EMOTION_PROB_PREFIX + doc[EMOTION_LABEL]]:.2f}"]
    sentences = split_sentences(norm)
    if len(sentences) > 1 or len(norm) > 200:
        scored = score_documents([model_text(s) for s in sentences], settings)
        clean, doc_script = written or (None, None)
        shown = shown_sentences(sentences, clean, doc_script, script)
        for sentence, row in zip(shown, scored.itertuples(index=False)):
            label = getattr(row, SENTIMENT_LABEL)
            lines.append(f"  {label:<8} {getattr(row, SENTIMENT_PROB_PREFIX + label):.2f}  {sentence}")
    result = LexiconScorer.load().explain(model_text(norm))
    lines.append(f"lexicon: {result.score:.2f} {label_scores(np.array([result.score]), settings.neutral_band or LEXICON_BAND)[0]} "
                 f"(total {result.total:+.2f})")
    words = (lambda w: w) if script in (None, "zh-Hans") else (lambda w: render(w, script))
    lines += [f"  {words(hit.word)} {hit.weight:+.2f}" + (f" ({' '.join(map(words, hit.modifiers))})"
                                                         if hit.modifiers else "") for hit in result.hits]
    return "\n".join(lines)


def explain_workspace(ws: Workspace | str | Path, *, text: str | None = None, doc_id: str | None = None,
                      neutral_band: tuple[float, float] | str | None = None,
                      model_path: str | Path | None = None, script: str | None = None) -> str:
    """:func:`explain_text` with the workspace's settings: its cleaning, and the model, method
    and band it was scored with (``model_path``/``neutral_band`` override them); ``doc_id``
    explains the stored ``text_norm`` of that document and shows the label it was given;
    sentences are shown in ``script`` (the CLI: the workspace's export script). Example: ``explain_workspace("runs/weibo", doc_id="weibo-000042")``.
    """
    ws = ws if isinstance(ws, Workspace) else Workspace.open(ws)
    ws.require(PREPARED)
    settings = settings_for(ws, SentimentSettings, None, {"model_path": model_option(model_path)})
    if model_path is None and settings.model_path and not Path(settings.model_path).is_file():
        raise InputError(f"the workspace was scored with model {settings.model_path}, which is gone; "
                         "pass --model FILE, or --model default for the shipped model")
    settings.check()
    if doc_id is None:
        return explain_text(text or "", neutral_band=neutral_band, settings=settings,
                            prepare=settings_for(ws, PrepareSettings), script=script)
    norm = _stored_value(ws, PREPARED, doc_id, TEXT_NORM)
    if norm is None:
        raise InputError(f"--doc {doc_id}: no such doc_id in {ws.root}; the doc_id column of "
                         "`opinion export` (documents.csv) lists them")
    stored = _stored_value(ws, SENTIMENT, doc_id, SENTIMENT_LABEL) if ws.has(SENTIMENT) else None
    head = f"document {doc_id}: {stored or 'not scored yet'} in the workspace (method {settings.method})"
    clean, doc_script = (_stored_value(ws, PREPARED, doc_id, c) for c in (TEXT_CLEAN, SCRIPT_COLUMN))
    written = (clean, doc_script if isinstance(doc_script, str) else None) if isinstance(clean, str) else None
    return head + "\n" + explain_text(norm if isinstance(norm, str) else "", neutral_band=neutral_band,
                                      settings=settings, normalized=True, script=script, written=written)


def _stored_value(ws: Workspace, table: str, doc_id: str, column: str) -> object:
    """``column`` of the row ``doc_id`` in ``table``'s parts, or None when no part holds it."""
    for part in ws.parts(table):
        frame = ws.read_part(table, part, columns=[DOC_ID, column])
        found = frame.loc[frame[DOC_ID].astype(str) == str(doc_id), column]
        if len(found):
            return found.iloc[0]
    return None


@functools.lru_cache(maxsize=4)
def _theme_runtime(theme_files: tuple[str, ...], user_dicts: tuple[str, ...]):
    """Themes and a tokenizer that keeps their terms whole (as the prepare stage does)."""
    from opinion.text.tokenize import Tokenizer
    from opinion.themes import load_themes, theme_terms

    themes = load_themes(theme_files)
    tokenizer = Tokenizer(user_dicts=user_dicts, stopwords=False, extra_words=theme_terms(themes))
    return themes, tokenizer


def mentions(theme: Theme, tokens: list[str], sentence: str) -> bool:
    """Whether a sentence of a document of ``theme`` counts for its theme sentiment: it holds a
    term outside the theme's ``exclude_context`` phrases. ``min_weight`` and ``min_terms`` are
    not applied to the sentence: they decided whether the document belongs to the theme.

    >>> trust = Theme("信任", {"售后": 1, "退款": 1}, min_weight=2)
    >>> mentions(trust, ["退款", "也", "慢"], "退款也慢。"), trust.matches(["退款", "也", "慢"])
    (True, False)
    """
    return bool(theme.matched_terms(tokens, sentence))


def _theme_scores(texts: list[str], mentioned: np.ndarray, themes: list[Theme], settings: SentimentSettings
                  ) -> np.ndarray:
    """Mean sentence score per (document, theme) over the sentences that :func:`mentions` the
    theme, for the documents ``mentioned`` flags (prepare's gate); NaN elsewhere."""
    out = np.full((len(texts), len(themes)), np.nan)
    rows = np.flatnonzero(mentioned.any(axis=1))
    if not len(rows):
        return out
    _, tokenizer = _theme_runtime(settings.theme_files, settings.user_dicts)
    sentences = {i: split_sentences(texts[i]) for i in rows}
    flat = [model_text(s) for i in rows for s in sentences[i]]
    scores = iter(score_texts(flat, method=settings.method, model_path=settings.model_path))
    for i in rows:
        per_theme: list[list[float]] = [[] for _ in themes]
        for sentence in sentences[i]:
            score = next(scores)
            tokens = tokenizer.tokenize(sentence)
            for j, theme in enumerate(themes):
                if mentioned[i, j] and not np.isnan(score) and mentions(theme, tokens, sentence):
                    per_theme[j].append(score)
        for j, values in enumerate(per_theme):
            if values:
                out[i, j] = float(np.mean(values))
    return out


def score_part(prepared_part: pd.DataFrame, settings: SentimentSettings) -> pd.DataFrame:
    """Score the documents of one prepared part (see the module docstring for the columns).

    Needs ``doc_id`` and ``text_norm``; every ``theme_<name>`` column present gets a
    ``sentiment_theme_<name>`` column. Rows with the same text are scored once, as
    :func:`model_text` (``<USER>`` as ``@用户``, ``<URL>`` as a link).
    """
    missing = [c for c in (DOC_ID, TEXT_NORM) if c not in prepared_part.columns]
    if missing:
        raise WorkspaceError(f"prepared part lacks columns {missing}; run `opinion prepare` first")
    texts = [t if isinstance(t, str) else "" for t in prepared_part[TEXT_NORM].tolist()]
    unique = list(dict.fromkeys(texts))
    position = {t: i for i, t in enumerate(unique)}
    scored = score_documents([model_text(t) for t in unique], settings).iloc[[position[t] for t in texts]]
    out = pd.concat([pd.DataFrame({DOC_ID: prepared_part[DOC_ID].to_numpy()}),
                     scored.reset_index(drop=True)], axis=1)

    theme_columns = [c for c in prepared_part.columns if c.startswith(THEME_PREFIX)]
    if theme_columns:
        themes_by_name = {t.name: t for t in _theme_runtime(settings.theme_files, settings.user_dicts)[0]}
        names = [c[len(THEME_PREFIX):] for c in theme_columns]
        unknown = [n for n in names if n not in themes_by_name]
        if unknown:
            raise WorkspaceError(f"prepared part has theme columns {unknown} that the theme files "
                                 "do not define; run `opinion prepare` again with the same themes")
        mentioned = prepared_part[theme_columns].fillna(0).to_numpy() > 0
        values = _theme_scores(texts, mentioned, [themes_by_name[n] for n in names], settings)
        for j, name in enumerate(names):
            out[THEME_SENTIMENT_PREFIX + name] = values[:, j]
    return out


# --- the workspace runner ---------------------------------------------------------------
def _warm(settings: SentimentSettings) -> None:
    """Process-pool initializer: load the model or lexicon, the segmenter and themes once."""
    score_documents(["预热"], settings)
    _theme_runtime(settings.theme_files, settings.user_dicts)[1].tokenize("预热")


@writes_workspace
def score_workspace(ws: Workspace | str | Path, *, settings: SentimentSettings | None = None,
                    method: str | None = None, neutral_band: tuple[float, float] | str | None = None,
                    model_path: str | Path | None = None, workers: int = 0, force: bool = False,
                    engine: str = "local", address: str | None = None) -> PartwiseReport:
    """Run :func:`score_part` on every prepared part that changed since the last run.

    A part is skipped when its content and the settings fingerprint (the model file's hash
    included) are unchanged; ``workers > 1`` uses a process pool with identical output.
    Without ``settings`` it reuses the ones the workspace was last scored with; ``method``,
    ``neutral_band`` ("0.4,0.6"; "none", "off" or "" clear a stored band) and ``model_path``
    ("default" or "none": back to the shipped model) override single fields. Themes and
    dictionaries are always the prepare stage's. Example:
    ``score_workspace("runs/weibo", method="lexicon")``.
    """
    from opinion.config import with_workspace_dictionary
    from opinion.prepare import check_theme_files

    ws = ws if isinstance(ws, Workspace) else Workspace.open(ws)
    ws.require(PREPARED)
    given = settings_for(ws, SentimentSettings, settings, {
        "method": method, "neutral_band": band_option(neutral_band),
        "model_path": model_option(model_path)})
    if model_path is None and given.model_path and not Path(given.model_path).is_file():
        raise InputError(f"the workspace was scored with model {given.model_path}, which is gone; "
                         "pass --model FILE, or --model default for the shipped model")
    if band_off(neutral_band):  # "none"/"off"/"": clear the stored band (settings_for keeps it)
        given = replace(given, neutral_band=None)
    given.check()  # a missing --model: one line naming it, not a traceback from the fingerprint
    prepared = with_workspace_dictionary(ws, settings_for(ws, PrepareSettings))
    check_theme_files(ws, prepared.theme_files)  # the theme columns come from the files as prepared
    settings = replace(given, theme_files=prepared.theme_files, user_dicts=prepared.user_dicts)
    settings = replace(settings, content_fingerprint=settings_fingerprint(settings))
    report = run_partwise(ws, stage=STAGE, source=PREPARED, target=SENTIMENT, func=score_part,
                          settings=settings, workers=workers, force=force, engine=engine,
                          address=address, desc="sentiment", initializer=_warm)
    store_settings(ws, given)
    return report
