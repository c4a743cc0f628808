"""The sentiment stage: per-document, per-sentence and per-theme scores of prepared parts.

:func:`score_part` is a pure ``DataFrame -> DataFrame`` function (it runs under Dask
``map_partitions`` too). :func:`score_workspace` runs it on every prepared part through
:func:`opinion.runner.run_partwise` and writes ``sentiment/<part>.parquet`` with

- ``doc_id``;
- ``sentiment_score``: probability of positive in the three-way model, 0..1 (the lexicon:
  sigmoid of its summed word weights); null for empty texts;
- ``sentiment_label``: the most probable of negative / neutral / positive (model), or the
  neutral band on P(positive) + P(neutral)/2 when one is given (the lexicon: default band 0.4..0.6);
- ``sentiment_prob_<class>``: the three class probabilities (null with the lexicon);
- ``emotion_label`` and ``emotion_prob_<emotion>``: the emotion head's most probable emotion
  and its probabilities (always from the model);
- ``sentiment_theme_<name>``: mean P(positive) of the sentences that mention the theme, null
  when no sentence does.

Example:
    >>> part = pd.DataFrame({"doc_id": ["a"], "text_norm": ["物流很快。客服态度很差！"]})
    >>> score_part(part, SentimentSettings())[["doc_id", "sentiment_label"]].to_dict("records")
    [{'doc_id': 'a', 'sentiment_label': 'negative'}]
"""

from __future__ import annotations

import functools
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from opinion.errors import InputError, WorkspaceError
from opinion.io.atomic import file_sha256, fingerprint
from opinion.io.lock import writes_workspace
from opinion.io.workspace import Workspace
from opinion.runner import PartwiseReport, run_partwise
from opinion.schema import (
    DOC_ID,
    EMOTION_LABEL,
    EMOTION_PROB_PREFIX,
    PREPARED,
    SENTIMENT,
    SENTIMENT_LABEL,
    SENTIMENT_PROB_PREFIX,
    SENTIMENT_SCORE,
    TEXT_NORM,
    THEME_PREFIX,
    THEME_SENTIMENT_PREFIX,
)
from opinion.sentiment.datasets import EMOTIONS, POLARITIES
from opinion.sentiment.features import split_sentences
from opinion.sentiment.transformer import load_transformer

STAGE = "sentiment"
SCORE_VERSION = 2  # bump when the same settings give other output
METHODS = ("model", "lexicon", "transformer")
LABELS = POLARITIES
LEXICON_BAND = (0.4, 0.6)


@dataclass(frozen=True)
class SentimentSettings:
    """Settings of the sentiment stage (plain values: fingerprinted and sent to workers).

    ``model_path`` empty means the shipped model; ``theme_files`` and ``user_dicts`` are
    the prepare stage's, so that themes are found in sentences as in documents.
    ``neutral_band`` None: labels are the model's most probable class (the lexicon's band
    is 0.4..0.6).
    """

    method: str = "model"
    neutral_band: tuple[float, float] | None = None
    model_path: str = ""
    theme_files: tuple[str, ...] = ()
    user_dicts: tuple[str, ...] = ()
    content_fingerprint: str = ""  # model file hash, set by score_workspace

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise InputError(f"method must be one of {list(METHODS)}; got {self.method!r}")
        if self.neutral_band is not None:
            object.__setattr__(self, "neutral_band", parse_band(self.neutral_band))
        for name in ("theme_files", "user_dicts"):
            object.__setattr__(self, name, tuple(str(p) for p in getattr(self, name)))

    def fingerprint(self) -> str:
        """Changes when anything that shapes the output changes (model file included)."""
        from opinion.sentiment.model import default_model_path

        payload = asdict(self)
        payload.pop("content_fingerprint")
        # the emotion columns come from the model whatever the method
        payload["model_sha256"] = file_sha256(self.model_path or default_model_path())
        if self.method == "transformer":
            payload["transformer_sha256"] = file_sha256(load_transformer().path)
        payload["version"] = SCORE_VERSION
        return fingerprint(payload)


def parse_band(band: str | tuple[float, float] | list[float] | None) -> tuple[float, float] | None:
    """``"0.4,0.6"`` or ``(0.4, 0.6)`` → ``(0.4, 0.6)``, checked: 0 ≤ low ≤ high ≤ 1; "" → None."""
    if band is None or (isinstance(band, str) and not band.strip()):
        return None
    try:
        parts = [float(x) for x in (band.split(",") if isinstance(band, str) else band)]
    except ValueError as exc:
        raise InputError(f"neutral band {band!r}: expected two numbers such as 0.4,0.6") from exc
    if len(parts) != 2 or not 0.0 <= parts[0] <= parts[1] <= 1.0:
        raise InputError(f"neutral band {band!r}: expected LOW,HIGH with 0 <= LOW <= HIGH <= 1, "
                         "e.g. 0.4,0.6")
    return (parts[0], parts[1])


def label_scores(scores: np.ndarray, band: tuple[float, float]) -> np.ndarray:
    """``negative`` below ``band[0]``, ``positive`` above ``band[1]``, else ``neutral``; null stays null.

    >>> label_scores(np.array([0.1, 0.5, 0.9, np.nan]), (0.4, 0.6)).tolist()
    ['negative', 'neutral', 'positive', None]
    """
    scores = np.asarray(scores, dtype=np.float64)
    labels = np.where(scores < band[0], "negative", np.where(scores > band[1], "positive", "neutral"))
    out = labels.astype(object)
    out[np.isnan(scores)] = None
    return out


def band_labels(probs: np.ndarray, band: tuple[float, float]) -> np.ndarray:
    """Labels from the band on P(positive) + P(neutral)/2 of (n, 3) negative/neutral/positive rows.

    >>> band_labels(np.array([[0.1, 0.8, 0.1], [0.7, 0.1, 0.2]]), (0.4, 0.6)).tolist()
    ['neutral', 'negative']
    """
    return label_scores(probs[:, 2] + probs[:, 1] / 2, band)


def argmax_labels(probs: np.ndarray, classes: tuple[str, ...]) -> np.ndarray:
    """The most probable class per row; rows of NaN give None."""
    out = np.asarray(classes, dtype=object)[np.nan_to_num(probs, nan=0).argmax(axis=1)]
    out[np.isnan(probs).any(axis=1)] = None
    return out


# --- scorers ----------------------------------------------------------------------------
@functools.lru_cache(maxsize=4)
def _scorer(method: str, model_path: str):
    """A function ``list[str] -> np.ndarray`` of P(positive), loaded once per process."""
    if method == "lexicon":
        from opinion.sentiment.lexicon import LexiconScorer

        lexicon = LexiconScorer.load()
        return lambda texts: np.array(lexicon.score(texts), dtype=np.float64)
    if method == "transformer":
        return load_transformer().score
    from opinion.sentiment.model import load_model

    return load_model(model_path or None).score


def _non_empty(texts: list[str]) -> list[int]:
    return [i for i, t in enumerate(texts) if isinstance(t, str) and t.strip()]


def score_texts(texts: list[str], *, method: str = "model", model_path: str = "") -> np.ndarray:
    """P(positive) (0..1) of Simplified ``texts``; empty texts get NaN.

    >>> score_texts(["质量很好", ""]).round(1).tolist()
    [0.9, nan]
    """
    scores = np.full(len(texts), np.nan)
    keep = _non_empty(texts)
    if keep:
        scores[keep] = _scorer(method, model_path)([texts[i] for i in keep])
    return scores


def score_documents(texts: list[str], settings: SentimentSettings) -> pd.DataFrame:
    """Score, label, class probabilities and emotions of Simplified ``texts`` (one row each).

    One feature extraction serves the polarity and emotion heads; empty texts get nulls.

    >>> score_documents(["今天天气预报：多云转晴。"], SentimentSettings())["sentiment_label"].tolist()
    ['neutral']
    """
    from opinion.sentiment.model import load_model

    keep = _non_empty(texts)
    model = (load_transformer() if settings.method == "transformer"
             else load_model(settings.model_path or None))
    probs = {"polarity": np.full((len(texts), len(POLARITIES)), np.nan),
             "emotion": np.full((len(texts), len(EMOTIONS)), np.nan)}
    if keep:
        for head, values in model.predict_proba_all([texts[i] for i in keep]).items():
            probs[head][keep] = values[:, [model.classes(head).index(c) for c in
                                           (POLARITIES if head == "polarity" else EMOTIONS)]]
    polarity = probs["polarity"]
    if settings.method == "lexicon":
        scores = score_texts(texts, method="lexicon")
        labels = label_scores(scores, settings.neutral_band or LEXICON_BAND)
        polarity = np.full_like(polarity, np.nan)
    else:
        scores = polarity[:, POLARITIES.index("positive")]
        labels = (argmax_labels(polarity, POLARITIES) if settings.neutral_band is None
                  else band_labels(polarity, settings.neutral_band))
        labels[np.isnan(scores)] = None
    columns = {SENTIMENT_SCORE: scores, SENTIMENT_LABEL: labels}
    columns |= {SENTIMENT_PROB_PREFIX + c: polarity[:, j] for j, c in enumerate(POLARITIES)}
    columns[EMOTION_LABEL] = argmax_labels(probs["emotion"], EMOTIONS)
    columns |= {EMOTION_PROB_PREFIX + e: probs["emotion"][:, j] for j, e in enumerate(EMOTIONS)}
    return pd.DataFrame(columns)


def score_sentences(text: str, *, method: str = "model", model_path: str = "") -> pd.DataFrame:
    """One row per sentence of ``text``: ``sentence``, ``sentiment_score``.

    >>> score_sentences("房间很干净。早餐太差了！").sentence.tolist()
    ['房间很干净。', '早餐太差了！']
    """
    sentences = split_sentences(text)
    return pd.DataFrame({"sentence": sentences,
                         SENTIMENT_SCORE: score_texts(sentences, method=method, model_path=model_path)})


def explain_text(text: str, *, neutral_band: tuple[float, float] | str | None = None) -> str:
    """A readable account of one text: the model's classes per sentence, lexicon words and weights.

    >>> print(explain_text("房间很干净，但是服务不太好"))  # doctest: +SKIP
    model: negative (negative 0.62, neutral 0.05, positive 0.33); emotion anger 0.41
      negative 0.62  房间很干净，但是服务不太好
    lexicon: 0.56 neutral (total +0.25)
      干净 +1.00 (很)
      好 -0.75 (不 太)
    """
    from opinion.sentiment.features import to_simplified
    from opinion.sentiment.lexicon import LexiconScorer

    settings = SentimentSettings(neutral_band=parse_band(neutral_band))
    norm = to_simplified(text)
    doc = score_documents([norm], settings).iloc[0]
    probs = ", ".join(f"{c} {doc[SENTIMENT_PROB_PREFIX + c]:.2f}" for c in POLARITIES)
    lines = [f"model: {doc[SENTIMENT_LABEL]} ({probs}); emotion {doc[EMOTION_LABEL]} "
             f"{doc[EMOTION_PROB_PREFIX + doc[EMOTION_LABEL]]:.2f}"]
    sentences = split_sentences(norm)
    if len(sentences) > 1 or len(norm) > 200:
        scored = score_documents(sentences, settings)
        for sentence, row in zip(sentences, scored.itertuples(index=False)):
            label = getattr(row, SENTIMENT_LABEL)
            lines.append(f"  {label:<8} {getattr(row, SENTIMENT_PROB_PREFIX + label):.2f}  {sentence}")
    result = LexiconScorer.load().explain(norm)
    band = settings.neutral_band or LEXICON_BAND
    lines.append(f"lexicon: {result.score:.2f} {label_scores(np.array([result.score]), band)[0]} "
                 f"(total {result.total:+.2f})")
    lines += [f"  {hit.word} {hit.weight:+.2f}" + (f" ({' '.join(hit.modifiers)})" if hit.modifiers else "")
              for hit in result.hits]
    return "\n".join(lines)


@functools.lru_cache(maxsize=4)
def _theme_runtime(theme_files: tuple[str, ...], user_dicts: tuple[str, ...]):
    """Themes and a tokenizer that keeps their terms whole (as the prepare stage does)."""
    from opinion.text.tokenize import Tokenizer
    from opinion.themes import load_themes, theme_terms

    themes = load_themes(theme_files)
    tokenizer = Tokenizer(user_dicts=user_dicts, stopwords=False, extra_words=theme_terms(themes))
    return themes, tokenizer


def _theme_scores(texts: list[str], mentioned: np.ndarray, themes: list, settings: SentimentSettings
                  ) -> np.ndarray:
    """Mean sentence score per (document, theme); NaN where no sentence mentions the theme."""
    out = np.full((len(texts), len(themes)), np.nan)
    rows = np.flatnonzero(mentioned.any(axis=1))
    if not len(rows):
        return out
    _, tokenizer = _theme_runtime(settings.theme_files, settings.user_dicts)
    sentences = {i: split_sentences(texts[i]) for i in rows}
    flat = [s for i in rows for s in sentences[i]]
    scores = iter(score_texts(flat, method=settings.method, model_path=settings.model_path))
    for i in rows:
        per_theme: list[list[float]] = [[] for _ in themes]
        for sentence in sentences[i]:
            score = next(scores)
            tokens = tokenizer.tokenize(sentence)
            for j, theme in enumerate(themes):
                if mentioned[i, j] and theme.matches(tokens) and not np.isnan(score):
                    per_theme[j].append(score)
        for j, values in enumerate(per_theme):
            if values:
                out[i, j] = float(np.mean(values))
    return out


def score_part(prepared_part: pd.DataFrame, settings: SentimentSettings) -> pd.DataFrame:
    """Score the documents of one prepared part (see the module docstring for the columns).

    Needs ``doc_id`` and ``text_norm``; every ``theme_<name>`` column present gets a
    ``sentiment_theme_<name>`` column. Rows with the same text are scored once.
    """
    missing = [c for c in (DOC_ID, TEXT_NORM) if c not in prepared_part.columns]
    if missing:
        raise WorkspaceError(f"prepared part lacks columns {missing}; run `opinion prepare` first")
    texts = [t if isinstance(t, str) else "" for t in prepared_part[TEXT_NORM].tolist()]
    unique = list(dict.fromkeys(texts))
    position = {t: i for i, t in enumerate(unique)}
    scored = score_documents(unique, settings).iloc[[position[t] for t in texts]]
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


def _prepare_settings(ws: Workspace) -> dict:
    record = ws.stage_record("prepare") or {}
    return record.get("settings") or {}


@writes_workspace
def score_workspace(ws: Workspace | str | Path, *, method: str = "model", workers: int = 0,
                    neutral_band: tuple[float, float] | str | None = None, force: bool = False,
                    model_path: str | Path | None = None, engine: str = "local",
                    address: str | None = None) -> PartwiseReport:
    """Run :func:`score_part` on every prepared part that changed since the last run.

    A part is skipped when its content and the settings fingerprint (the model file's hash
    included) are unchanged; ``workers > 1`` uses a process pool with identical output.
    """
    ws = ws if isinstance(ws, Workspace) else Workspace.open(ws)
    ws.require(PREPARED)
    prepared = _prepare_settings(ws)
    settings = SentimentSettings(
        method=method, neutral_band=parse_band(neutral_band),
        model_path=str(model_path) if model_path else "",
        theme_files=tuple(prepared.get("theme_files") or ()),
        user_dicts=tuple(prepared.get("user_dicts") or ()),
    )
    settings = replace(settings, content_fingerprint=settings.fingerprint())
    return run_partwise(ws, stage=STAGE, source=PREPARED, target=SENTIMENT, func=score_part,
                        settings=settings, workers=workers, force=force, engine=engine,
                        address=address, desc="sentiment", initializer=_warm)
