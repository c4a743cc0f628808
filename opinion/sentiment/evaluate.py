"""Measure a scorer on a labelled file: n, accuracy, macro-F1 and the confusion matrix.

Labels may be 0/1, or words (pos/neg, positive/negative, 正面/负面 ...). A file with a
neutral class (neutral, 中性, or -1/0/1) is scored in three classes with the neutral band;
otherwise a score ≥ 0.5 means positive.

Example:
    >>> result = evaluate_file("reviews.csv", text_col="text", label_col="label")  # doctest: +SKIP
    >>> result.as_dict()  # doctest: +SKIP
    {'n': 1138, 'accuracy': 0.89, 'macro_f1': 0.89, ...}
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from opinion.errors import InputError, require
from opinion.sentiment.features import to_simplified
from opinion.sentiment.score import LABELS, label_scores, parse_band, score_texts

EVAL_METHODS = ("model", "lexicon", "snownlp")
LABEL_WORDS = {
    "positive": "positive", "pos": "positive", "正面": "positive", "积极": "positive", "正": "positive",
    "negative": "negative", "neg": "negative", "负面": "negative", "消极": "negative", "负": "negative",
    "neutral": "neutral", "neu": "neutral", "中性": "neutral", "中立": "neutral",
}


@dataclass
class Evaluation:
    """The figures of one evaluation run."""

    n: int
    accuracy: float
    macro_f1: float
    labels: list[str]
    confusion: pd.DataFrame  # rows: true label, columns: predicted label
    method: str = "model"
    skipped: int = 0  # rows without text or label
    per_class_f1: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"n": self.n, "accuracy": self.accuracy, "macro_f1": self.macro_f1,
                "method": self.method, "labels": self.labels, "skipped": self.skipped,
                "per_class_f1": self.per_class_f1,
                "confusion": {t: {p: int(v) for p, v in row.items()}
                              for t, row in self.confusion.to_dict("index").items()}}

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), ensure_ascii=False)

    def __str__(self) -> str:
        lines = [f"method: {self.method}", f"n: {self.n}" + (f" ({self.skipped} rows skipped)"
                                                              if self.skipped else ""),
                 f"accuracy: {self.accuracy:.4f}", f"macro-F1: {self.macro_f1:.4f}",
                 "confusion (rows: true, columns: predicted):",
                 self.confusion.to_string()]
        return "\n".join(lines)


def normalise_labels(values: pd.Series, *, source: str = "labels") -> pd.Series:
    """Map 0/1, -1/0/1 or label words to ``negative``/``neutral``/``positive`` (None if blank).

    >>> normalise_labels(pd.Series(["1", "0", "pos", "负面", ""])).tolist()
    ['positive', 'negative', 'positive', 'negative', None]
    """
    text = values.map(lambda v: "" if pd.isna(v) else str(v).strip().lower())
    text = text.str.replace(r"\.0$", "", regex=True)
    three_numeric = set(text[text != ""]) <= {"-1", "0", "1"} and "-1" in set(text)
    mapping = ({"-1": "negative", "0": "neutral", "1": "positive"} if three_numeric
               else {**LABEL_WORDS, "0": "negative", "1": "positive"})
    out = text.map(lambda v: mapping.get(v) if v else None)
    bad = sorted(set(text[(text != "") & out.isna()]))
    if bad:
        raise InputError(f"{source}: unknown labels {bad[:5]}; use 0/1, -1/0/1 or "
                         f"{sorted(set(LABEL_WORDS))}")
    return out


def read_table(path: str | Path) -> pd.DataFrame:
    """Read a CSV, TSV, JSON Lines or Excel file as strings."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: file not found")
    suffix = path.suffix.lower()
    try:
        if suffix in (".tsv", ".tab"):
            return pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False, encoding="utf-8-sig")
        if suffix in (".jsonl", ".ndjson"):
            return pd.read_json(path, lines=True, dtype=False)
        if suffix in (".xlsx", ".xls"):
            return pd.read_excel(path, dtype=str)
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise InputError(f"{path}: cannot read it as a table ({exc})") from exc


def _snownlp_scores(texts: list[str]) -> np.ndarray:
    snownlp = require("snownlp", "compare", "the SnowNLP baseline")
    return np.array([snownlp.SnowNLP(t).sentiments if t.strip() else np.nan for t in texts])


def score_for_method(texts: list[str], method: str) -> np.ndarray:
    """Scores (0..1) of raw ``texts`` (any script) by ``model``, ``lexicon`` or ``snownlp``."""
    if method not in EVAL_METHODS:
        raise InputError(f"method must be one of {list(EVAL_METHODS)}; got {method!r}")
    simplified = [to_simplified(t) for t in texts]
    if method == "snownlp":
        return _snownlp_scores(simplified)
    return score_texts(simplified, method=method)


def evaluate_scores(truth: pd.Series, scores: np.ndarray, *, method: str,
                    neutral_band: tuple[float, float] = (0.4, 0.6), skipped: int = 0) -> Evaluation:
    """Figures for normalised ``truth`` labels and ``scores``; 3 classes if truth has neutral."""
    from sklearn.metrics import accuracy_score, confusion_matrix, f1_score

    three = (truth == "neutral").any()
    scores = np.nan_to_num(np.asarray(scores, dtype=np.float64), nan=0.5)
    if three:
        predicted = label_scores(scores, neutral_band)
        labels = list(LABELS)
    else:
        predicted = np.where(scores > 0.5, "positive", "negative")
        labels = ["negative", "positive"]
    y = truth.to_numpy(dtype=object)
    matrix = confusion_matrix(y, predicted, labels=labels)
    f1 = f1_score(y, predicted, labels=labels, average=None, zero_division=0)
    return Evaluation(
        n=len(y), accuracy=round(float(accuracy_score(y, predicted)), 4),
        macro_f1=round(float(np.mean(f1)), 4), labels=labels,
        confusion=pd.DataFrame(matrix, index=labels, columns=labels), method=method,
        skipped=skipped, per_class_f1={k: round(float(v), 4) for k, v in zip(labels, f1)})


def evaluate_file(path: str | Path, *, text_col: str, label_col: str, method: str = "model",
                  neutral_band: tuple[float, float] | str = (0.4, 0.6)) -> Evaluation:
    """Score the texts of a labelled file and compare with its labels."""
    band = parse_band(neutral_band)
    table = read_table(path)
    for column in (text_col, label_col):
        if column not in table.columns:
            raise InputError(f"{path}: no column '{column}'; found {list(table.columns)}; "
                             "pass --text-col and --label-col")
    truth = normalise_labels(table[label_col], source=f"{path} column '{label_col}'")
    texts = table[text_col].map(lambda v: "" if pd.isna(v) else str(v))
    keep = truth.notna() & (texts.str.strip() != "")
    if not keep.any():
        raise InputError(f"{path}: no row has both a text and a label")
    scores = score_for_method(texts[keep].tolist(), method)
    return evaluate_scores(truth[keep].reset_index(drop=True), scores, method=method,
                           neutral_band=band, skipped=int((~keep).sum()))
