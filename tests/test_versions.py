"""The pinned pair works: BERTopic 0.17.4's topics_over_time with pandas < 3.

BERTopic 0.17.4 calls ``pd.to_datetime(..., infer_datetime_format=...)`` in
``topics_over_time`` when timestamps are strings; pandas 3 removed that argument, so the
call raises there. pyproject.toml pins ``pandas>=2.2,<3`` for this reason.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from opinion.topics.components import CentroidClusterer, LinearProjection, split_terms

DOCS = [  # terms of real Weibo posts and THUCNews titles, space-joined as we feed BERTopic
    "疫情 防控 口罩", "口罩 告急 武汉", "武汉 加油 疫情", "确诊 病例 新增", "新增 确诊 武汉",
    "股市 基金 上涨", "基金 净值 上涨", "股市 大跌 基金", "央行 降息 股市", "基金 经理 股市",
]
DAYS = ["2020-01-24", "2020-01-24", "2020-02-01", "2020-02-01", "2020-02-10"] * 2


def test_versions_are_the_pinned_ones() -> None:
    import bertopic

    assert bertopic.__version__ == "0.17.4"
    assert int(pd.__version__.split(".")[0]) < 3


@pytest.fixture(scope="module")
def model():
    from bertopic import BERTopic
    from sklearn.feature_extraction.text import CountVectorizer

    rng = np.random.default_rng(0)
    centres = rng.normal(size=(2, 16))
    embeddings = np.vstack([centres[i // 5] + 0.05 * rng.normal(size=16) for i in range(10)])
    topic_model = BERTopic(umap_model=LinearProjection(n_components=2, seed=0),
                           hdbscan_model=CentroidClusterer(n_clusters=2, min_size=2, seed=0),
                           vectorizer_model=CountVectorizer(analyzer=split_terms),
                           language=None)  # no embedding model: offline, embeddings given
    topic_model.fit_transform(DOCS, embeddings=embeddings.astype("float32"))
    return topic_model


def test_versions_topics_over_time_with_string_timestamps(model) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pandas 2 deprecates infer_datetime_format
        table = model.topics_over_time(DOCS, DAYS)
    assert pd.api.types.is_datetime64_any_dtype(table["Timestamp"])
    assert table["Frequency"].sum() == len(DOCS)
    assert set(table["Timestamp"].dt.strftime("%Y-%m-%d")) == set(DAYS)
    assert all(w for w in table["Words"])  # Chinese words kept (no English-only filter)


def test_versions_topics_over_time_with_timestamps_and_bins(model) -> None:
    table = model.topics_over_time(DOCS, list(pd.to_datetime(DAYS)), nr_bins=2,
                                   evolution_tuning=False)
    assert table["Frequency"].sum() == len(DOCS)
    assert table["Timestamp"].nunique() == 2
