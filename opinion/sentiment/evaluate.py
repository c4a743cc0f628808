"""Measure the model (or the lexicon) on a labelled file: n, accuracy, macro-F1, confusion, intervals.

Two tasks: ``polarity`` (negative / neutral / positive) and ``emotion`` (the model's
:data:`~opinion.sentiment.datasets.EMOTIONS`). Label files in the wild use many codes:

- ``labels="0=positive,1=neutral,2=negative"`` names the file's codes (a NAME may be a label
  word too: ``0=正面``, ``0=pos``);
- ``label_map="like=happiness,disgust=anger,none=neutral"`` renames labels on both sides:
  the file's labels and the model's classes (whose probabilities are summed), so a finer
  file folds onto the model's set, the model's set folds onto a coarser file, and
  ``happiness=joy`` names a class as the file does.

Pairs are separated by commas, full-width ``，`` included.

Predictions are the most probable of the model's classes (after the map; narrowed only by a
binary scheme, :func:`scheme_classes`), or, with a neutral band (given, or the lexicon's 0.4..0.6
on a file that uses neutral), the band's labels renamed by the map. Without ``labels``, polarity
files may use 0/1, -1/0/1 or words (pos/neg/neutral, 正面/负面/中性 ...); emotion files the
class names (or 喜悦/愤怒/悲伤/恐惧/惊奇/中性). Blank labels and NA/NaN/null are skipped.

Example:
    >>> result = evaluate_file("weibo.csv", task="emotion", text_col="text", label_col="label",
    ...                        label_map="like=happiness,disgust=anger,none=neutral")  # doctest: +SKIP
    >>> result.as_dict()["macro_f1_ci"]  # doctest: +SKIP
    [0.58, 0.63]
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd

from opinion.config import TRANSFORMER_METHODS
from opinion.errors import InputError, require
from opinion.sentiment.datasets import EMOTIONS, POLARITIES, TASK_CLASSES
from opinion.sentiment.evaluation import Evaluation, model_identity
from opinion.sentiment.features import to_simplified
from opinion.sentiment.label_files import read_table, rejected_line

EVAL_METHODS = ("model", "lexicon", "snownlp", *TRANSFORMER_METHODS)
LABEL_WORDS = {  # Simplified; a Traditional label (負面, 差評) is looked up in Simplified
    "positive": "positive", "pos": "positive", "正面": "positive", "积极": "positive", "正": "positive",
    "正向": "positive", "好评": "positive", "褒义": "positive",
    "negative": "negative", "neg": "negative", "负面": "negative", "消极": "negative", "负": "negative",
    "负向": "negative", "差评": "negative", "贬义": "negative",
    "neutral": "neutral", "neu": "neutral", "中性": "neutral", "中立": "neutral", "中评": "neutral",
}
FULL_WIDTH = str.maketrans({"，": ",", "＝": "="})  # separators typed with a Chinese input method
MISSING = {"na", "n/a", "#n/a", "nan", "null", "<na>"}  # blank labels of R/Excel exports ("none" is NLPCC's)
TWO_CODES = {"0": "negative", "1": "positive"}
THREE_CODES = {"-1": "negative", "0": "neutral", "1": "positive"}
EMOTION_WORDS = {**{e: e for e in EMOTIONS}, "喜悦": "happiness", "高兴": "happiness",
                 "快乐": "happiness", "愤怒": "anger", "悲伤": "sadness", "恐惧": "fear",
                 "惊奇": "surprise", "惊讶": "surprise", "中性": "neutral", "无情绪": "neutral"}


# --- label parsing ------------------------------------------------------------------------
def _pairs(spec: str, option: str) -> dict[str, str]:
    pairs = {}
    spec = spec.translate(FULL_WIDTH)  # "0=正面，1=负面" as typed with a Chinese input method
    for item in (p.strip() for p in spec.split(",") if p.strip()):
        left, sep, right = item.partition("=")
        if not sep or not left.strip() or not right.strip():
            raise InputError(f"{option} {spec!r}: expected CODE=NAME pairs separated by commas, "
                             f"e.g. {option} \"0=positive,1=neutral,2=negative\"")
        pairs[left.strip().lower()] = right.strip().lower()
    if not pairs:
        raise InputError(f"{option} {spec!r}: no CODE=NAME pair")
    return pairs


def parse_labels(spec: str) -> dict[str, str]:
    """``"0=positive,1=neutral,2=negative"`` → ``{"0": "positive", ...}`` (codes lower-cased;
    a full-width ``，`` or ``＝`` separates too).

    >>> parse_labels("0=positive, 1=Neutral，2=negative")
    {'0': 'positive', '1': 'neutral', '2': 'negative'}
    """
    return _pairs(spec, "--labels")


def parse_map(spec: str) -> dict[str, str]:
    """``"like=happiness,disgust=anger"`` → ``{"like": "happiness", "disgust": "anger"}``.

    >>> parse_map("like=happiness,none=neutral")
    {'like': 'happiness', 'none': 'neutral'}
    """
    return _pairs(spec, "--map")


def _clean(values: pd.Series) -> pd.Series:
    """Labels NFKC-normalised and lower-cased (full-width ``１``, ``－１`` typed with a Chinese
    input method are ``1``, ``-1``), ``1.0``/``1.00`` → ``1``; NA/NaN/null → blank.

    >>> _clean(pd.Series(["１", "－１", "1.00", " Pos ", "NA"])).tolist()
    ['1', '-1', '1', 'pos', '']
    """
    text = values.map(lambda v: "" if pd.isna(v) else unicodedata.normalize("NFKC", str(v)).strip().lower())
    text = text.str.replace("\u2212", "-", regex=False)  # the minus sign NFKC keeps
    return text.where(~text.isin(MISSING), "").str.replace(r"^(-?\d+)\.0+$", r"\1", regex=True)


def code_reading(values: pd.Series, *, task: str = "polarity", codes: dict[str, str] | None = None
                 ) -> str | None:
    """How bare 0/1 or -1/1 codes were read when the file could mean either scheme (None otherwise).

    >>> code_reading(pd.Series(["0", "1"])).split(";")[0]
    'labels read as 0=negative, 1=positive'
    """
    present = set(_clean(values))
    if codes is not None or task != "polarity":
        return None
    if "-1" in present and "1" in present and "0" not in present:  # silent until 2026-12-08
        return ("labels read as -1/0/1 without 0: predictions include neutral, and each one counts as "
                "an error; if the file is binary, pass --labels \"-1=negative,1=positive\"")
    if "0" not in present or "-1" in present:
        return None
    return ("labels read as 0=negative, 1=positive; if 0 means neutral (a -1/0/1 file without -1), "
            "pass --labels \"-1=negative,0=neutral,1=positive\"")


def _word(value: str, words: dict[str, str]) -> str | None:
    """The class a label word names, in either script: ``_word("負面", LABEL_WORDS) == "negative"``."""
    return words.get(value) or words.get(to_simplified(value))


def _named_codes(codes: dict[str, str], task: str, label_map: dict[str, str]) -> dict[str, str]:
    """``--labels`` NAMEs through the same label-word table as a file's labels (``0=正面`` and
    ``0=pos`` name ``positive``); a NAME that is no class raises one error naming the classes."""
    classes = _folded_classes(task, label_map)
    named, bad = {}, []
    for code, name in codes.items():
        word = name if name in label_map or name in classes else _word(name, EMOTION_WORDS if task == "emotion" else LABEL_WORDS)
        if word is None or label_map.get(word, word) not in classes:
            bad.append(name)
        named[code] = word or name
    if bad:
        raise InputError(f"--labels: NAME {bad[0]!r} is not a {task} class; use {'/'.join(classes)} "
                         f"(or a label word such as {_EXAMPLE_WORDS[task]}), e.g. --labels "
                         f"\"{_EXAMPLES[task]['labels']}\"")
    return named


_EXAMPLES = {"polarity": {"labels": "0=positive,1=neutral,2=negative",
                          "map": "支持=positive,反对=negative,中立=neutral"},
             "emotion": {"labels": "0=happiness,1=anger,2=neutral",
                         "map": "like=happiness,disgust=anger,none=neutral"}}
_EXAMPLE_WORDS = {"polarity": "正面/中性/负面 or pos/neu/neg", "emotion": "喜悦/愤怒/悲伤/恐惧/惊奇/中性"}


def normalise_labels(values: pd.Series, *, task: str = "polarity", codes: dict[str, str] | None = None,
                     label_map: dict[str, str] | None = None, source: str = "labels",
                     lines: list[int] | None = None) -> pd.Series:
    """The file's labels as class names (None where blank); unknown labels raise one error.

    ``codes`` (``--labels``) name the file's codes with class names or label words;
    ``label_map`` (``--map``) renames on both sides, so a file label may be one of its keys
    or one of its targets (``happiness=joy``: the file's ``joy`` is the model's happiness).

    >>> normalise_labels(pd.Series(["1", "0", "pos", "负面", ""])).tolist()
    ['positive', 'negative', 'positive', 'negative', None]
    >>> normalise_labels(pd.Series(["好評", "負面", "中性"])).tolist()
    ['positive', 'negative', 'neutral']
    >>> normalise_labels(pd.Series(["2", "0"]), codes={"0": "正面", "2": "neg"}).tolist()
    ['negative', 'positive']
    """
    text = _clean(values)
    present = set(text[text != ""])
    label_map = label_map or {}
    if codes is not None:
        mapping = _named_codes(codes, task, label_map)
    elif task == "emotion":
        mapping = EMOTION_WORDS
    else:  # -1 anywhere means the -1/0/1 scheme: a stray "2" is then the one unknown label
        mapping = {**LABEL_WORDS, **(THREE_CODES if "-1" in present else TWO_CODES)}
    renamed = set(label_map) | set(label_map.values())

    def name(value: str) -> str | None:
        known = mapping.get(value) or (mapping.get(to_simplified(value)) if codes is None else None)
        base = known or (value if value in renamed and codes is None else None)
        return label_map.get(base, base) if base else ""

    named = text.map(lambda v: name(v) if v else None)
    classes = _folded_classes(task, label_map)
    unknown = (text != "") & ~named.isin(classes)
    bad = sorted(set(text[unknown]))
    if bad:
        hint = (f"name the codes with --labels \"{_EXAMPLES[task]['labels']}\"" if codes is None
                else "every code needs a NAME in --labels")
        first = int(np.flatnonzero(unknown.to_numpy())[0])
        where = f"line {lines[first]}" if lines else f"row {first + 1}"
        raise InputError(f"{source}: unknown labels {bad[:8]} ({_rows(int(unknown.sum()))}, the first "
                         f"on {where}); the model's {task} classes are "
                         f"{list(classes)}; {hint} or fold them with --map "
                         f"\"{_EXAMPLES[task]['map']}\" (pairs separated by commas)")
    return named


def _rows(count: int) -> str:
    """``1 row``, ``1,200 rows``."""
    return f"{count:,} row" + ("" if count == 1 else "s")


def _folded_classes(task: str, label_map: dict[str, str]) -> list[str]:
    """The model's classes of ``task`` after ``label_map`` (order kept, duplicates once)."""
    return list(dict.fromkeys(label_map.get(c, c) for c in TASK_CLASSES[task]))


# --- figures ------------------------------------------------------------------------------
def figures(truth: np.ndarray, predicted: np.ndarray, labels: list[str]) -> dict:
    """Accuracy, macro-F1 (over ``labels``), F1 per class and the confusion matrix.

    >>> figures(np.array(["a", "b", "b"]), np.array(["a", "b", "a"]), ["a", "b"])["accuracy"]
    0.6667
    """
    index = {label: i for i, label in enumerate(labels)}
    t = np.array([index[x] for x in truth], dtype=np.int64)
    p = np.array([index[x] for x in predicted], dtype=np.int64)
    matrix = np.bincount(t * len(labels) + p, minlength=len(labels) ** 2).reshape(len(labels), -1)
    f1 = _f1(matrix[None])[0]
    return {"accuracy": round(float((t == p).mean()), 4), "macro_f1": round(float(f1.mean()), 4),
            "per_class_f1": {k: round(float(v), 4) for k, v in zip(labels, f1)},
            "confusion": matrix}


def _f1(matrices: np.ndarray) -> np.ndarray:
    """F1 per class of a stack of confusion matrices (b, k, k); 0 where undefined."""
    tp = np.diagonal(matrices, axis1=1, axis2=2).astype(np.float64)
    denominator = matrices.sum(axis=1) + matrices.sum(axis=2)
    return np.divide(2 * tp, denominator, out=np.zeros_like(tp), where=denominator > 0)


def _macro_f1(matrices: np.ndarray) -> np.ndarray:
    """Macro-F1 of each confusion matrix of a stack (b, k, k), over the classes it holds (true
    or predicted), as scikit-learn's ``f1_score(average="macro")`` on the labels present: a
    bootstrap resample without the rare class is not scored 0 for it (since 2026-12-07)."""
    present = (matrices.sum(axis=1) + matrices.sum(axis=2)) > 0
    return (_f1(matrices) * present).sum(axis=1) / np.maximum(present.sum(axis=1), 1)


def bootstrap_intervals(truth: np.ndarray, predicted: np.ndarray, labels: list[str], *,
                        resamples: int = 1000, seed: int = 0) -> dict[str, tuple[float, float]]:
    """95 % percentile bootstrap intervals of accuracy and macro-F1 (rows resampled; each
    resample's macro-F1 over the classes it holds).

    >>> ci = bootstrap_intervals(np.array(["a", "b"] * 50), np.array(["a", "a"] * 50), ["a", "b"])
    >>> ci["accuracy_ci"][0] < 0.5 < ci["accuracy_ci"][1]
    True
    """
    index = {label: i for i, label in enumerate(labels)}
    k = len(labels)
    cell = np.array([index[t] * k + index[p] for t, p in zip(truth, predicted)], dtype=np.int64)
    rng = np.random.default_rng(seed)
    accuracies, f1s = [], []
    for start in range(0, resamples, 100):
        draws = cell[rng.integers(0, len(cell), size=(min(100, resamples - start), len(cell)))]
        offsets = (np.arange(len(draws)) * k * k)[:, None]
        matrices = np.bincount((draws + offsets).ravel(), minlength=len(draws) * k * k)
        matrices = matrices.reshape(len(draws), k, k)
        accuracies.append(np.trace(matrices, axis1=1, axis2=2) / len(cell))
        f1s.append(_macro_f1(matrices))
    def interval(values: list[np.ndarray]) -> tuple[float, float]:
        low, high = np.percentile(np.concatenate(values), [2.5, 97.5])
        return round(float(low), 4), round(float(high), 4)

    return {"accuracy_ci": interval(accuracies), "macro_f1_ci": interval(f1s)}


# --- scoring ------------------------------------------------------------------------------
def _check_method(task: str, method: str) -> None:
    if method not in EVAL_METHODS:
        raise InputError(f"method must be one of {list(EVAL_METHODS)}; got {method!r}")
    if method not in ("model", *TRANSFORMER_METHODS) and task != "polarity":
        raise InputError(f"--method {method} scores polarity only; use --method model or "
                         "transformer for emotions")


def scored_texts(texts: list[str], *, raw: bool = False) -> list[str]:
    """``texts`` as the sentiment stage scores a document: cleaned and normalised as ``opinion
    prepare`` does with its default settings, then :func:`~opinion.sentiment.score.model_text`
    (as ``explain`` does); ``raw``: only converted to Simplified. "" where nothing is left.

    >>> scored_texts(["武汉???", "看這裡 http://t.cn/x", "\u200b"])
    ['武汉？', '看这里 http://t.cn', '']
    """
    if raw:
        return [to_simplified(t) for t in texts]
    from opinion.config import PrepareSettings
    from opinion.sentiment.score import analysis_text, model_text

    prepare = PrepareSettings()
    return [model_text(analysis_text(t, prepare)) for t in texts]


def class_probabilities(texts: list[str], *, task: str, method: str = "model",
                        model_path: str = "") -> tuple[np.ndarray, list[str]]:
    """(probabilities (n, k), class names) of ``texts`` as given (Simplified; see :func:`scored_texts`).

    The lexicon and SnowNLP give one score; it becomes (1 - s, 0, s) over
    negative/neutral/positive, with ``neutral`` 1 where the lexicon found no word (0.5).
    """
    _check_method(task, method)
    simplified = texts
    if method in ("model", *TRANSFORMER_METHODS):
        from opinion.sentiment.model import load_model
        from opinion.sentiment.transformer import transformer_for_method

        model = (transformer_for_method(method) if method in TRANSFORMER_METHODS
                 else load_model(model_path or None))
        return model.predict_proba(simplified, task), list(model.classes(task))
    if method == "snownlp":
        snownlp = require("snownlp", "compare", "the SnowNLP baseline")
        scores = np.array([snownlp.SnowNLP(t).sentiments if t.strip() else 0.5 for t in simplified])
    else:
        from opinion.sentiment.score import score_texts

        scores = np.nan_to_num(score_texts(simplified, method="lexicon"), nan=0.5)
    tie = (scores == 0.5).astype(np.float64)
    probs = np.column_stack([(1 - scores) * (1 - tie), tie, scores * (1 - tie)])
    return probs, list(POLARITIES)


def fold_and_predict(probs: np.ndarray, classes: list[str], label_map: dict[str, str],
                     allowed: list[str]) -> np.ndarray:
    """Sum probabilities of classes mapped together, then argmax over the ``allowed`` classes.

    >>> fold_and_predict(np.array([[0.3, 0.3, 0.4]]), ["a", "b", "c"], {"b": "a"}, ["a", "c"]).tolist()
    ['a']
    """
    folded = [label_map.get(c, c) for c in classes]
    columns = np.column_stack([probs[:, [i for i, f in enumerate(folded) if f == a]].sum(axis=1)
                               for a in allowed])
    return np.asarray(allowed, dtype=object)[columns.argmax(axis=1)]


def band_predict(probs: np.ndarray, band: tuple[float, float], label_map: dict[str, str]) -> np.ndarray:
    """The band's labels of negative/neutral/positive rows, renamed by ``label_map`` as the
    file's labels are (``--map neutral=negative`` folds the band's 中性 answers too).

    >>> band_predict(np.array([[0.1, 0.8, 0.1], [0.1, 0.1, 0.8]]), (0.4, 0.6), {"neutral": "negative"}).tolist()
    ['negative', 'positive']
    """
    from opinion.sentiment.columns import band_labels

    return np.array([label_map.get(p, p) for p in band_labels(probs, band)], dtype=object)


def _band(task: str, method: str, neutral_band: tuple[float, float] | str | None,
          used: set[str]) -> tuple[float, float] | None:
    """The neutral band the predictions use: the one given (polarity only; ``0.4，0.6`` too);
    else, for the lexicon on a file that uses neutral, the stage's own band (0.4,0.6)."""
    from opinion.config import LEXICON_BAND, band_option

    band = band_option(neutral_band.translate(FULL_WIDTH) if isinstance(neutral_band, str) else neutral_band)
    if task != "polarity":  # it was ignored without a word until 2026-12-08
        if band is not None:
            raise InputError("--neutral-band applies to --task polarity (a band on P(positive)); "
                             "leave it out with --task emotion")
        return None
    return LEXICON_BAND if band is None and method == "lexicon" and "neutral" in used else band


def scheme_classes(used: set[str], *, task: str, label_map: dict[str, str],
                   codes: dict[str, str] | None = None, three_codes: bool = False) -> list[str]:
    """The classes predictions are chosen among: the model's (after the map), narrowed only by
    a binary scheme (a polarity file of positive and negative, not read as -1/0/1 codes) or by
    ``--labels`` naming two or more classes. One class never narrows (it would score 1.0).

    >>> scheme_classes({"negative", "positive"}, task="polarity", label_map={})
    ['negative', 'positive']
    >>> scheme_classes({"negative"}, task="polarity", label_map={})
    ['negative', 'neutral', 'positive']
    """
    folded = _folded_classes(task, label_map)
    if codes is not None:
        named = {label_map.get(v, v) for v in _named_codes(codes, task, label_map).values()}
        return [c for c in folded if c in named] if len(named) >= 2 else folded
    polar = {label_map.get(c, c) for c in ("negative", "positive")}
    return [c for c in folded if c in polar] if task == "polarity" and used == polar and not three_codes \
        else folded


def evaluate_file(path: str | Path, *, task: str = "polarity", text_col: str = "text",
                  label_col: str = "label", method: str = "model", labels: str | None = None,
                  label_map: str | None = None, neutral_band: tuple[float, float] | str | None = None,
                  model_path: str = "", raw: bool = False) -> Evaluation:
    """Score the texts of a labelled file and compare with its labels (see the module doc).

    Texts are scored as the stage scores a document (:func:`scored_texts`; ``raw``: as
    written, as before 2026-12-08, when 2.7 % of 3,600 Weibo posts were labelled otherwise
    than in the workspace). ``neutral_band`` (polarity only) labels by the band on
    P(positive) + P(neutral)/2 instead of the most probable class ("none", "off" or "": no
    band); ``label_map`` renames the band's labels too. The lexicon labels a file that uses
    neutral by its stage band (0.4,0.6) unless another is given, and one without neutral as
    positive vs negative. Rows the reader rejects (an unclosed quote) are named, not merged.
    """
    if task not in TASK_CLASSES:
        raise InputError(f"--task must be one of {list(TASK_CLASSES)}; got {task!r}")
    _check_method(task, method)
    table = read_table(path)
    for column in (text_col, label_col):
        if column not in table.columns:
            raise InputError(f"{path}: no column '{column}'; found {list(table.columns)}; "
                             "pass --text-col and --label-col")
    mapping = parse_map(label_map) if label_map else {}
    codes = parse_labels(labels) if labels else None
    truth = normalise_labels(table[label_col], task=task, label_map=mapping, codes=codes,
                             source=f"{path} column '{label_col}'", lines=table.attrs.get("lines"))
    texts = table[text_col].map(lambda v: "" if pd.isna(v) else str(v))
    written = texts.str.strip() != ""
    scored = pd.Series([""] * len(texts), index=texts.index, dtype=object)
    both = written & truth.notna()
    scored[both] = scored_texts(texts[both].tolist(), raw=raw)
    keep = both & (scored != "")
    rejected = [rejected_line(path, row, why) for row, why in table.attrs.get("rejected", [])]
    if not keep.any():
        first = f"; {rejected[0]}" if rejected else ""
        raise InputError(f"{path}: no row has both a text and a label{first}")
    probs, classes = class_probabilities(scored[keep].tolist(), task=task, method=method,
                                         model_path=model_path)
    y = truth[keep].to_numpy(dtype=object)
    used = set(y)
    allowed = scheme_classes(used, task=task, label_map=mapping, codes=codes,
                             three_codes=codes is None and "-1" in set(_clean(table[label_col])))
    band = _band(task, method, neutral_band, used)
    predicted = (band_predict(probs, band, mapping) if band is not None
                 else fold_and_predict(probs, classes, mapping, allowed))
    shown = [c for c in dict.fromkeys([*allowed, *predicted]) if c in used or c in set(predicted)]
    result = figures(y, predicted, shown)
    ci = bootstrap_intervals(y, predicted, shown)
    stripped = texts[keep].str.strip()
    repeated = stripped[stripped.duplicated(keep=False)]
    notes = _notes(table, label_col, used, allowed, repeated, task=task, codes=codes)
    seen, model_file = None, _model_file(method, model_path)
    if method == "model":
        from opinion.sentiment.seen import seen_by_model

        seen = seen_by_model(texts[keep].tolist(), model_file)
    reasons = {"without text": int((~written).sum()),
               "without a label": int((written & truth.isna()).sum()),
               "blank after cleaning": int((both & (scored == "")).sum())}
    return Evaluation(
        n=len(y), accuracy=result["accuracy"], macro_f1=result["macro_f1"], labels=shown,
        confusion=pd.DataFrame(result["confusion"], index=shown, columns=shown),
        method=method, task=task, skipped=int((~keep).sum()), per_class_f1=result["per_class_f1"],
        accuracy_ci=ci["accuracy_ci"], macro_f1_ci=ci["macro_f1_ci"], seen_in_training=seen,
        model_file=model_file, notes=notes, skipped_reasons=reasons,
        duplicate_texts=repeated.nunique(), rows_read=int(table.attrs.get("rows_read", len(table))),
        rejected=rejected, raw=raw, **model_identity(model_file, method=method))  # type: ignore[arg-type]


def _model_file(method: str, model_path: str) -> str:
    """The file scored with: the model's, the transformer's, "" for the lexicon and SnowNLP."""
    if method in TRANSFORMER_METHODS:
        from opinion.sentiment.transformer import transformer_for_method

        return str(transformer_for_method(method).path)
    if method != "model":
        return ""
    from opinion.sentiment.model import default_model_path

    return str(model_path or default_model_path())


def _notes(table: pd.DataFrame, label_col: str, used: set[str], allowed: list[str], repeated: pd.Series,
           *, task: str, codes: dict[str, str] | None) -> list[str]:
    """What the reader of the figures should know: how codes were read, a one-class file,
    rows with broken bytes, texts on several rows."""
    notes = [*table.attrs.get("notes", []),
             *[note for note in [code_reading(table[label_col], task=task, codes=codes)] if note]]
    if len(used) < 2:
        notes.append(f"the file uses one class ({next(iter(used))}): predictions are over "
                     f"{'/'.join(allowed)}, so accuracy is the share of its texts the model puts there")
    if table.attrs.get("broken_rows"):
        notes.append(f"{table.attrs['broken_rows']} rows held bytes that are not text in the file's "
                     "encoding; they were read with U+FFFD in their place")
    if len(repeated):
        notes.append(f"{repeated.nunique():,} texts occur on more than one row ({len(repeated):,} rows); "
                     "the intervals count every row as separate evidence")
    return notes
