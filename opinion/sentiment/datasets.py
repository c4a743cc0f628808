"""The labelled polarity sets in ``../shared/data/sentiment``: read, deduplicate, split.

Every text is converted to Simplified and keyed by :func:`dedup_key` (script, width,
case, spaces and punctuation removed) so that a review copied between sets counts once.
Held-out splits are chosen by a hash of that key, so copies always fall on the same side,
and every held-out key is removed from the training data.

Example:
    >>> split = load_splits("../shared/data/sentiment")  # doctest: +SKIP
    >>> split.heldout["weibo_emotions"].label.value_counts()  # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from opinion.errors import InputError
from opinion.sentiment.features import to_simplified

# file name, text column, label column, held-out rule ("all" or a fraction)
SOURCES: tuple[tuple[str, str, str, str], ...] = (
    ("chnsenticorp_train.csv", "text", "label", "train"),
    ("chnsenticorp_validation.csv", "text", "label", "all"),
    ("ChnSentiCorp_htl_all.csv", "review", "label", "train"),
    ("waimai_10k.csv", "review", "label", "0.2"),
    ("online_shopping_10_cats.csv", "review", "label", "0.1"),
    ("weibo_emotions_train.csv", "text", "polarity", "0.2"),
)
HELDOUT_NAMES = {
    "chnsenticorp_validation.csv": "chnsenticorp_validation",
    "waimai_10k.csv": "waimai",
    "online_shopping_10_cats.csv": "online_shopping",
    "weibo_emotions_train.csv": "weibo_emotions",
}
_PUNCT_SPACE_RE = re.compile(r"[\W_]+", re.UNICODE)


def dedup_key(text: str) -> str:
    """Key under which copies of a text collide: Simplified, NFKC, lower, no punctuation.

    >>> dedup_key("房間很好！ ") == dedup_key("房间很好")
    True
    """
    simplified = to_simplified(unicodedata.normalize("NFKC", str(text))).lower()
    return _PUNCT_SPACE_RE.sub("", simplified)


def _in_heldout(key: str, fraction: float, *, salt: str = "") -> bool:
    digest = hashlib.blake2b((salt + key).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64 < fraction


@dataclass
class Splits:
    """Training rows and named held-out sets, each with columns text, label, key, source."""

    train: pd.DataFrame
    heldout: dict[str, pd.DataFrame]


def read_labelled(path: Path, text_col: str, label_col: str) -> pd.DataFrame:
    """Read one set as columns text (Simplified), label (0/1), key, source; unlabelled rows dropped."""
    if not path.exists():
        raise InputError(f"{path}: missing; pass --data-dir pointing at the shared sentiment sets")
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    for column in (text_col, label_col):
        if column not in df.columns:
            raise InputError(f"{path}: no column '{column}'; found {list(df.columns)}")
    df = df[df[label_col].isin(["0", "1"]) & (df[text_col].str.strip() != "")]
    text = df[text_col].str.replace("\ufeff", "", regex=False).map(to_simplified)
    out = pd.DataFrame({"text": text.to_numpy(), "label": df[label_col].astype(int).to_numpy()})
    out["key"] = out["text"].map(dedup_key)
    out["source"] = path.name
    return out[out["key"] != ""].reset_index(drop=True)


def _drop_conflicts(df: pd.DataFrame) -> pd.DataFrame:
    """One row per key; keys labelled both ways are dropped."""
    labels = df.groupby("key")["label"].nunique()
    df = df[~df["key"].isin(labels[labels > 1].index)]
    return df.drop_duplicates("key").reset_index(drop=True)


def load_splits(data_dir: str | Path) -> Splits:
    """Read every set in ``data_dir`` and return the deduplicated train and held-out splits."""
    data_dir = Path(data_dir)
    train_parts: list[pd.DataFrame] = []
    heldout: dict[str, pd.DataFrame] = {}
    for name, text_col, label_col, rule in SOURCES:
        df = read_labelled(data_dir / name, text_col, label_col)
        if rule == "train":
            train_parts.append(df)
            continue
        if rule == "all":
            mask = pd.Series(True, index=df.index)
        else:
            mask = df["key"].map(lambda k, f=float(rule): _in_heldout(k, f))
        heldout[HELDOUT_NAMES[name]] = _drop_conflicts(df[mask])
        train_parts.append(df[~mask])
    held_keys = set().union(*(set(h["key"]) for h in heldout.values()))
    train = pd.concat(train_parts, ignore_index=True)
    train = _drop_conflicts(train[~train["key"].isin(held_keys)])
    return Splits(train=train, heldout=heldout)


def carve_validation(train: pd.DataFrame, *, fraction: float = 0.15
                     ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split training rows into (fit, validation) by a salted hash of their key.

    Settings are chosen on this validation part, never on the held-out splits, which
    are measured once at the end (``benchmarks/sentiment_eval.py --tune``). Copies share
    a key, so they fall on the same side.

    >>> rows = pd.DataFrame({"key": [f"评论{i}" for i in range(200)]})
    >>> fit, validation = carve_validation(rows)
    >>> len(fit) + len(validation), 10 < len(validation) < 50
    (200, True)
    """
    mask = train["key"].map(lambda k: _in_heldout(k, fraction, salt="validation:"))
    return train[~mask].reset_index(drop=True), train[mask].reset_index(drop=True)
