"""The labelled sets in ``../shared/data/sentiment``: read, map labels, deduplicate, split.

Every set becomes rows with ``text`` (Simplified), ``key``, ``source``, ``domain``
(reviews, weibo, news, implicit), ``polarity`` (negative / neutral / positive or None) and
``emotion`` (one of :data:`EMOTIONS` or None). Emotion labels of the different sets are
folded onto one set by :data:`EMOTION_MAP` (NLPCC's ``like`` → happiness, ``disgust`` →
anger, ``none`` → neutral). Copies across sets share a :func:`dedup_key`; validation rows
are chosen by a salted hash of that key, so copies always fall on the same side.

Example:
    >>> rows = load_rows("../shared/data/sentiment")  # doctest: +SKIP
    >>> fit, validation = split_validation(rows)  # doctest: +SKIP
    >>> task_rows(fit, "emotion").label.value_counts()  # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from opinion.errors import InputError
from opinion.schema import EMOTIONS
from opinion.sentiment.features import to_simplified

POLARITIES: tuple[str, ...] = ("negative", "neutral", "positive")
TASK_CLASSES: dict[str, tuple[str, ...]] = {"polarity": POLARITIES, "emotion": EMOTIONS}
# Every emotion label of the shared sets onto EMOTIONS (SMP2020-EWECT's six are the target).
EMOTION_MAP: dict[str, str] = {
    "happiness": "happiness", "like": "happiness", "anger": "anger", "disgust": "anger",
    "sadness": "sadness", "fear": "fear", "surprise": "surprise", "neutral": "neutral",
    "none": "neutral",
}
_POLARITY_CODES = {"0": "negative", "1": "positive", "negative": "negative",
                   "neutral": "neutral", "positive": "positive"}


@dataclass(frozen=True)
class Source:
    """One labelled file: where its text and labels are, and how much it is trusted."""

    file: str
    domain: str
    text_col: str
    polarity_col: str | None
    emotion_col: str | None = None
    validation_share: float = 0.2  # share of its keys carved out for validation
    noisy: bool = False  # labels chosen from hashtags or of unknown origin
    subset_col: str | None = None  # a column naming parts reported apart (EWECT's domain)


# Cleaner sets first: when copies of a text appear in several sets, the first one is kept.
SOURCES: tuple[Source, ...] = (
    Source("chnsenticorp_train.csv", "reviews", "text", "label"),
    Source("chnsenticorp_validation.csv", "reviews", "text", "label", validation_share=1.0),
    Source("ChnSentiCorp_htl_all.csv", "reviews", "review", "label"),
    Source("waimai_10k.csv", "reviews", "review", "label"),
    Source("online_shopping_10_cats.csv", "reviews", "review", "label", validation_share=0.1),
    Source("news_sentiment_ccf_bdci2019_truncated.csv", "news", "text", "label"),
    Source("weibo_emotion_smp2020_ewect.csv", "weibo", "text", "polarity", "label",
           validation_share=0.3, subset_col="domain"),
    Source("weibo_emotions_train.csv", "weibo", "text", "polarity", "emotion"),
    Source("weibo_emotion_nlpcc2013.csv", "weibo", "text", "polarity", "label"),
    Source("implicit_sentiment_smp2019_ecisa_dev.csv", "implicit", "text", "label"),
    Source("weibo_emotion_clue2020.csv", "weibo", "text", "polarity", "label", noisy=True),
    Source("weibo_emotion_simplifyweibo_5moods.csv", "weibo", "text", "polarity", "label",
           noisy=True),
)
SOURCES_BY_FILE = {s.file: s for s in SOURCES}
_PUNCT_SPACE_RE = re.compile(r"[\W_]+", re.UNICODE)


def dedup_key(text: str) -> str:
    """Key under which copies of a text collide: Simplified, NFKC, lower, no punctuation.

    >>> dedup_key("房間很好！ ") == dedup_key("房间很好")
    True
    """
    simplified = to_simplified(unicodedata.normalize("NFKC", str(text))).lower()
    return _PUNCT_SPACE_RE.sub("", simplified)


def _hash_share(key: str, *, salt: str) -> float:
    digest = hashlib.blake2b((salt + key).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


def read_source(data_dir: str | Path, source: Source) -> pd.DataFrame:
    """One set as rows text, key, source, domain, polarity, emotion (unknown labels → None)."""
    path = Path(data_dir) / source.file
    if not path.exists():
        raise InputError(f"{path}: missing; pass --data-dir pointing at the shared sentiment sets")
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    wanted = [c for c in (source.text_col, source.polarity_col, source.emotion_col,
                          source.subset_col) if c]
    missing = [c for c in wanted if c not in df.columns]
    if missing:
        raise InputError(f"{path}: no column {missing[0]!r}; found {list(df.columns)}")
    text = df[source.text_col].str.replace("\ufeff", "", regex=False).str.strip()
    out = pd.DataFrame({"text": text.map(to_simplified).to_numpy()})
    out["key"] = out["text"].map(dedup_key)
    out["source"] = source.file
    out["domain"] = source.domain
    out["subset"] = df[source.subset_col].to_numpy() if source.subset_col else ""
    polarity = df[source.polarity_col].str.strip().str.lower().map(_POLARITY_CODES)
    out["polarity"] = polarity.to_numpy(dtype=object)
    emotion = (df[source.emotion_col].str.strip().str.lower().map(EMOTION_MAP)
               if source.emotion_col else pd.Series(None, index=df.index, dtype=object))
    out["emotion"] = emotion.to_numpy(dtype=object)
    out = out.astype({"polarity": object, "emotion": object})
    out = out.where(out.notna(), None)
    labelled = out["polarity"].notna() | out["emotion"].notna()
    return out[(out["key"] != "") & labelled].reset_index(drop=True)


def load_rows(data_dir: str | Path, sources: tuple[Source, ...] = SOURCES) -> pd.DataFrame:
    """Every set of ``sources`` in ``data_dir``, concatenated in order (copies kept)."""
    return pd.concat([read_source(data_dir, s) for s in sources], ignore_index=True)


def split_validation(rows: pd.DataFrame, *, salt: str = "validation:"
                     ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(fit, validation): each key goes to validation with its source's ``validation_share``.

    A key is in validation when any of its rows is (copies across sets follow the first),
    so no text of the validation part is ever fitted on.

    >>> rows = pd.DataFrame({"key": [f"评论{i}" for i in range(300)] + ["评论1"],
    ...                      "source": "waimai_10k.csv"})
    >>> fit, validation = split_validation(rows)
    >>> len(fit) + len(validation), 30 < len(validation) < 90, set(fit.key) & set(validation.key)
    (301, True, set())
    """
    share = rows["source"].map(lambda s: SOURCES_BY_FILE[s].validation_share
                               if s in SOURCES_BY_FILE else 0.2)
    chosen = [_hash_share(k, salt=salt) < f for k, f in zip(rows["key"], share)]
    held_keys = set(rows.loc[chosen, "key"])
    mask = rows["key"].isin(held_keys)
    return rows[~mask].reset_index(drop=True), rows[mask].reset_index(drop=True)


def task_rows(rows: pd.DataFrame, task: str) -> pd.DataFrame:
    """One row per key with a label for ``task`` (polarity or emotion), as column ``label``.

    Copies keep their first row (the cleaner set, see :data:`SOURCES`); a key labelled two
    ways is dropped.

    >>> rows = pd.DataFrame({"text": ["好", "好!", "差", "差"], "key": ["好", "好", "差", "差"],
    ...                      "source": "s", "polarity": ["positive", "positive", "negative", None],
    ...                      "emotion": None})
    >>> task_rows(rows, "polarity")[["text", "label"]].values.tolist()
    [['好', 'positive'], ['差', 'negative']]
    """
    if task not in TASK_CLASSES:
        raise InputError(f"task must be one of {list(TASK_CLASSES)}; got {task!r}")
    df = rows[rows[task].notna()]
    labels = df.groupby("key")[task].nunique()
    df = df[~df["key"].isin(labels[labels > 1].index)].drop_duplicates("key")
    return df.assign(label=df[task]).reset_index(drop=True)
