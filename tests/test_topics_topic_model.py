"""TopicModel in memory on real texts: 400 THUCNews titles and 150 Weibo posts (tests/data/topics)."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from opinion import schema as S
from opinion.errors import InputError, WorkspaceError
from opinion.topics.settings import TooFewDocumentsError, TopicSettings
from opinion.topics.topic_model import NotFittedError, TopicModel
from tests.test_topics_model import _rows

NEW = ["武汉加油，口罩告急", "武漢加油，口罩告急", "基金市场迎来调整机会", ""]


@pytest.fixture(scope="module")
def posts() -> pd.DataFrame:
    return pd.DataFrame(_rows(), columns=["source", "date", "text"])


@pytest.fixture(scope="module")
def fitted(posts: pd.DataFrame) -> TopicModel:
    return TopicModel(nr_topics=8, seed=42).fit(posts["text"], timestamps=posts["date"])


def test_options_are_topic_settings_and_checked() -> None:
    model = TopicModel(nr_topics=8)
    assert model.settings == TopicSettings(nr_topics=8)
    assert model.get_params()["min_topic_size"] == TopicSettings().min_topic_size
    assert repr(model) == "TopicModel(nr_topics=8)"
    with pytest.raises(TypeError, match="nr_topic"):
        TopicModel(nr_topic=8)
    with pytest.raises(InputError, match="nr_topics"):
        TopicModel(nr_topics=1)


def test_an_unfitted_model_says_so(tmp_path: Path) -> None:
    model = TopicModel()
    for call in (model.get_topic_info, lambda: model.transform(["口罩"]), lambda: model.save(tmp_path / "m")):
        with pytest.raises(NotFittedError, match="not fitted"):
            call()


def test_fit_on_a_series_of_texts(fitted: TopicModel, posts: pd.DataFrame) -> None:
    info = fitted.get_topic_info()
    assert list(info.columns) == [S.TOPIC_ID, "count", "share", "label", "top_terms", "top_terms_weights",
                                  "representative_docs", "representative_doc_ids"]
    real = info[info[S.TOPIC_ID] >= 0]
    assert len(real) == 8
    assert info["count"].sum() == len(posts)  # every document placed, the empty one in -1
    assert info.loc[info[S.TOPIC_ID] == -1, "count"].tolist() == [1]
    for docs, ids in zip(real["representative_docs"], real["representative_doc_ids"]):
        assert 1 <= len(docs) == len(ids) <= 3 and len(set(docs)) == len(docs)
    placed = fitted.documents_
    assert placed[S.DOC_ID].tolist() == [str(i) for i in range(len(posts))]  # the Series index
    duplicate = len(posts) - 1  # the last row repeats the first title: same topic
    assert placed[S.TOPIC_ID].iat[duplicate] == placed[S.TOPIC_ID].iat[0]
    assert fitted.topics_over_time_["count"].sum() == 153  # every dated post, the empty one (-1) too


def test_transform_places_new_texts_traditional_as_simplified(fitted: TopicModel) -> None:
    out = fitted.transform(NEW)
    assert list(out.columns) == [S.DOC_ID, S.TOPIC_ID, S.TOPIC_ID_ORIGINAL, S.TOPIC_PROB, S.TOPIC_LABEL]
    assert out[S.TOPIC_ID].iat[0] == out[S.TOPIC_ID].iat[1] >= 0
    assert out[S.TOPIC_PROB].iat[0] == pytest.approx(out[S.TOPIC_PROB].iat[1])
    assert out[S.TOPIC_ID].iat[3] == -1 and out[S.TOPIC_PROB].iat[3] == 0
    assert out[S.TOPIC_ID].iat[2] != out[S.TOPIC_ID].iat[0]  # funds are not the epidemic
    assert out.equals(fitted.transform(NEW))  # the same every time


def test_save_and_load_give_the_same_model(fitted: TopicModel, tmp_path: Path) -> None:
    fitted.save(tmp_path / "model")
    assert not list((tmp_path / "model").glob("*.pkl"))
    loaded = TopicModel.load(tmp_path / "model")
    assert loaded.settings == fitted.settings
    pd.testing.assert_frame_equal(loaded.transform(NEW), fitted.transform(NEW))
    pd.testing.assert_frame_equal(loaded.get_topic_info(), fitted.get_topic_info(), check_dtype=False)


def test_a_corpus_embedder_is_refit_after_loading(posts: pd.DataFrame, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from opinion.topics import embed

    monkeypatch.setitem(embed._REGISTRY, "tfidf", partial(embed.TfidfEmbedder, dim=32))
    model = TopicModel(embedding="tfidf", seed=7).fit(posts["text"])
    model.save(tmp_path / "tfidf")
    pd.testing.assert_frame_equal(TopicModel.load(tmp_path / "tfidf").transform(NEW), model.transform(NEW))


def test_own_embeddings_are_needed_again_for_new_texts(posts: pd.DataFrame) -> None:
    vectors = np.random.default_rng(0).normal(size=(len(posts), 16))
    model = TopicModel(nr_topics=4).fit(posts["text"], embeddings=vectors)
    assert (model.get_topic_info()[S.TOPIC_ID] >= 0).sum() == 4
    with pytest.raises(InputError, match="embeddings="):
        model.transform(NEW)
    assert len(model.transform(NEW, embeddings=vectors[:4])) == 4
    with pytest.raises(InputError, match="rows"):
        TopicModel().fit(posts["text"], embeddings=vectors[:10])


def test_too_few_documents_and_a_workspace_model_folder(tmp_path: Path) -> None:
    with pytest.raises(TooFewDocumentsError, match="at least 20"):
        TopicModel().fit(["武汉加油", "口罩告急"])
    folder = tmp_path / "topic_model"
    folder.mkdir()
    (folder / "opinion_model.json").write_text("{}", encoding="utf-8")
    with pytest.raises(WorkspaceError, match="assign_topics"):
        TopicModel.load(folder)


def test_flag_columns_of_a_table_keep_spam_out_of_the_fit(posts: pd.DataFrame,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from opinion.text.tokenize import tokenize
    from opinion.topics import embed
    from opinion.topics.assign import has_topic_terms

    monkeypatch.setitem(embed._REGISTRY, "tfidf", partial(embed.TfidfEmbedder, dim=32))
    table = pd.DataFrame({S.DOC_ID: [f"d{i}" for i in range(len(posts))], S.TEXT_NORM: posts["text"],
                          S.TOKENS: [tokenize(t) for t in posts["text"]]})
    table[S.IS_SPAM] = np.arange(len(table)) % 10 == 0
    table[S.NEAR_DUPLICATE_OF] = None
    model = TopicModel(embedding="tfidf", seed=7).fit(table)
    spam = set(table.loc[table[S.IS_SPAM], S.DOC_ID])
    assert not spam & set(model.fit_doc_ids_)  # out of the fit ...
    placed = model.documents_.set_index(S.DOC_ID).loc[sorted(spam), S.TOPIC_ID]
    assert (placed >= 0).mean() > 0.9  # ... but placed (unless no fitted word is in them)
    reps = {d for ids in model.get_topic_info()["representative_doc_ids"] for d in ids}
    assert reps and not reps & spam
    kept = TopicModel(embedding="tfidf", seed=7, keep_duplicates=True).fit(table)
    with_words = set(table.loc[has_topic_terms(table[S.TOKENS].tolist()), S.DOC_ID])
    assert spam & with_words <= set(kept.fit_doc_ids_)


def test_timestamps_follow_their_texts_by_position_and_on_the_workspace_clock(posts: pd.DataFrame) -> None:
    """h47 api #1 and #12: a sorted or filtered frame's dates were matched to the texts by index
    label (other documents' dates, or a ValueError), and zone-aware dates were bucketed on their
    own clock (UTC: a day early) instead of Asia/Shanghai's, as `opinion load` puts them."""
    shuffled = posts.sample(frac=1, random_state=0).iloc[1:]  # the index: a permutation, not 0..n-1
    dates = pd.to_datetime(shuffled["date"])
    by_position = TopicModel(nr_topics=6, seed=42).fit(shuffled["text"].reset_index(drop=True),
                                                       timestamps=dates.reset_index(drop=True))
    by_label = TopicModel(nr_topics=6, seed=42).fit(shuffled["text"], timestamps=dates)
    pd.testing.assert_frame_equal(by_label.topics_over_time_, by_position.topics_over_time_)
    utc = dates.dt.tz_localize("Asia/Shanghai").dt.tz_convert("UTC")  # 2020-01-24 00:00 is 01-23 16:00 UTC
    aware = TopicModel(nr_topics=6, seed=42).fit(shuffled["text"], timestamps=utc)
    pd.testing.assert_frame_equal(aware.topics_over_time_, by_position.topics_over_time_)
    days = sorted(by_position.topics_over_time_["period"].astype(str).unique())
    assert days[0] == "2020-01-24" and len(days) == 6


def test_repeated_ids_are_refused_and_one_string_is_one_text(fitted: TopicModel, posts: pd.DataFrame) -> None:
    """h47 api #9, #10: a Series with a repeated index (pd.concat without ignore_index) gave
    other topics, its ids colliding in the fit; transform("武汉加油") placed each character."""
    twice = pd.concat([posts["text"].iloc[:300], posts["text"].iloc[300:].reset_index(drop=True)])
    with pytest.raises(InputError, match=r"doc_ids must be unique; '0' .*reset_index\(drop=True\)"):
        TopicModel(nr_topics=6).fit(twice)
    with pytest.raises(InputError, match="doc_ids must be unique; 'a'"):
        TopicModel(nr_topics=6).fit(posts["text"], doc_ids=["a"] * len(posts))
    one = fitted.transform("武汉加油，口罩告急")
    assert len(one) == 1 and one.drop(columns=S.DOC_ID).equals(fitted.transform([NEW[0]]).drop(columns=S.DOC_ID))
