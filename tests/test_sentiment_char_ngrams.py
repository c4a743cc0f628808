"""The batch hashing of whole-text character n-grams (the character model of short texts)."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from opinion.sentiment.char_ngrams import hashed_char_ngrams, ngram_bucket, normalise

TEXTS = [
    "武汉加油！！[心]",
    "希望疫情快点过去😷😷 http://t.cn/A6 @小明",
    "好  吃\n\n不贵",          # white-space runs become one space, as in scikit-learn
    "這家餐廳的服務很好",       # Traditional
    "",
    "A",
    "？？？",
]


@pytest.mark.parametrize("text", TEXTS)
def test_char_ngrams_hash_exactly_the_baseline_analyzers_ngrams(text: str) -> None:
    analyzer = TfidfVectorizer(analyzer="char", ngram_range=(1, 3)).build_analyzer()
    row = hashed_char_ngrams([text], top=3, n_features=2**20)
    assert set(row.indices.tolist()) == {ngram_bucket(g, 2**20) for g in analyzer(text)}
    assert np.all(row.data == 1.0)  # binary, however often an n-gram occurs


def test_char_ngrams_rows_do_not_depend_on_the_batch() -> None:
    together = hashed_char_ngrams(TEXTS, top=3, n_features=2**16).toarray()
    apart = np.vstack([hashed_char_ngrams([t], top=3, n_features=2**16).toarray() for t in TEXTS])
    assert np.array_equal(together, apart)
    assert together.shape == (len(TEXTS), 2**16) and not together[4].any()  # the empty text


def test_char_ngrams_tell_order_and_length_apart() -> None:
    buckets = {ngram_bucket(g, 2**20) for g in ("好吃", "吃好", "好", "好\0", "好吃吗")}
    assert len(buckets) == 5
    assert normalise("好  吃\n") == "好 吃\n"


def test_char_ngrams_reject_bad_settings() -> None:
    with pytest.raises(ValueError, match="power of two"):
        hashed_char_ngrams(["好"], top=3, n_features=1000)
