"""The shipped model: safe artifact, three-way labels, negation, emotions; fit/save/load; training."""

from __future__ import annotations

import json
import struct
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from opinion.errors import InputError
from opinion.sentiment.features import FeatureConfig
from opinion.sentiment.model import (
    CharMix,
    HeadData,
    LongTextRule,
    NotFittedError,
    SentimentModel,
    default_model_path,
    fit_head,
    load_default_model,
    nb_feature_scale,
    softmax,
)

DATA = Path(__file__).parent / "data" / "sentiment"
TINY = FeatureConfig(n_features=2**14)


@pytest.fixture(scope="module")
def model() -> SentimentModel:
    return load_default_model()


def test_model_artifact_is_small_safetensors_without_pickle() -> None:
    path = default_model_path()
    assert path.stat().st_size <= 30 * 1024 * 1024
    raw = path.read_bytes()
    (header_len,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + header_len])
    assert set(header) == {"__metadata__", "idf", "polarity.coef", "polarity.intercept",
                           "emotion.coef", "emotion.intercept",
                           "char.idf", "char.polarity.coef", "char.polarity.intercept"}
    assert header["polarity.coef"]["shape"] == [2**20, 3] and header["emotion.coef"]["shape"] == [2**20, 6]
    assert header["char.polarity.coef"]["shape"] == [2**19, 3]  # the character model of short texts
    meta = json.loads(header["__metadata__"]["opinion"])
    assert meta["char_model"]["mix"] == {"weight": 0.65, "max_chars": 140}
    assert meta["char_model"]["feature_config"]["raw_char_ngrams"] is True
    assert meta["feature_config"]["version"] == FeatureConfig.version  # features as this code reads them
    assert b"\x80\x04\x95" not in raw[:8 + header_len]  # no pickle protocol-4 stream


def test_model_records_its_training(model: SentimentModel) -> None:
    assert model.n_train_["polarity"] > 100_000 and model.n_train_["emotion"] > 40_000
    assert model.classes("polarity") == ("negative", "neutral", "positive")
    assert model.classes("emotion") == ("happiness", "anger", "sadness", "fear", "surprise", "neutral")
    assert "news_sentiment_ccf_bdci2019_truncated.csv" in model.info_["train_sources"]["polarity"]


@pytest.mark.parametrize("text", [
    "明天白天多云转晴，最高气温二十三度，东南风三到四级。",  # 天气预报
    "关于召开二〇二四年度工作总结会议的通知：会议定于周五上午九点在三楼会议室举行。",  # 会议通知
    "本赛季联赛第十二轮赛程公布，主队将于周六晚七点半在主场迎战客队。",  # 赛程公告
    "市统计局发布上月居民消费价格数据。",
])
def test_model_factual_sentences_are_neutral(model: SentimentModel, text: str) -> None:
    assert model.predict([text], "polarity")[0] == "neutral", model.predict_proba([text])


@pytest.mark.parametrize("text, label", [
    ("质量很好，物流也快，推荐购买", "positive"),
    ("太差了，再也不会买了", "negative"),
    ("客服态度恶劣，投诉无门", "negative"),
])
def test_model_opinions_are_not_neutral(model: SentimentModel, text: str, label: str) -> None:
    assert model.predict([text], "polarity")[0] == label


@pytest.mark.parametrize("positive, negative", [
    ("好", "不好"),
    ("喜欢", "不喜欢"),
    ("我今天很高兴", "我今天不高兴"),
    ("没有不好", "不好"),
    ("不是不喜欢", "不喜欢"),
    ("味道不错", "味道不好"),
    ("不太贵", "太贵"),
    ("武汉加油[心]", "太可怕了[泪]"),
])
def test_model_negation_pairs(model: SentimentModel, positive: str, negative: str) -> None:
    pos, neg = model.score([positive, negative])
    assert pos > neg, (positive, pos, negative, neg)


@pytest.mark.parametrize("text, is_positive", [
    ("不好", False), ("不太好", False), ("很不好", False), ("不喜欢", False),
    ("我今天不高兴", False),  # an expected failure until round 5 (P(positive) 0.64 in round 4)
    ("今天一点都不开心", False), ("这次旅行过得不愉快", False),
    ("一点也不好吃", False), ("质量很好，推荐购买", True),
    ("不错，下次还来", True), ("不是不喜欢", True),
    # real posts and reviews: weibo_emotions_train.csv (the first three) and
    # chnsenticorp_train.csv (the last two), all labelled negative
    ("很不舒服！", False), ("是啊，我也不喜欢", False),
    ("虽然也是我萨的荣誉，但我还是不开心，很不开心。", False),
    ("酒店设施、环境很差，很不舒适，非常不满意！", False),
    ("这个如家实在是太小了,房间很小很小,就不舒服了", False),
])
def test_model_negation_table(model: SentimentModel, text: str, is_positive: bool) -> None:
    probs = model.predict_proba([text])[0]  # negative, neutral, positive
    assert (probs[2] > probs[0]) == is_positive


@pytest.mark.parametrize("text, emotion", [
    ("今天终于拿到录取通知书了，太开心了！[哈哈]", "happiness"),
    ("气死我了！这种人就该被抓起来！[怒]", "anger"),
    ("外婆走了，再也见不到她了，好难过[泪]", "sadness"),
    ("半夜听到门外有人撬锁，吓得我不敢出声，好害怕", "fear"),
    ("明天上午九点在三楼会议室开会。", "neutral"),
])
def test_model_emotions_of_clear_posts(model: SentimentModel, text: str, emotion: str) -> None:
    assert model.predict([text], "emotion")[0] == emotion, model.predict_proba([text], "emotion")


def test_model_probabilities_sum_to_one(model: SentimentModel) -> None:
    texts = pd.read_csv(DATA / "weibo_emotions_42.csv", dtype=str, keep_default_na=False)["text"].tolist()
    probs = model.predict_proba_all(texts)
    assert probs["polarity"].shape == (42, 3) and probs["emotion"].shape == (42, 6)
    for values in probs.values():
        assert np.allclose(values.sum(axis=1), 1.0) and (values > 0).all()
    assert np.allclose(model.score(texts), probs["polarity"][:, 2])


def test_long_text_rule_segments_lead_and_sentence_chunks() -> None:
    rule = LongTextRule(mode="lead+sentences", min_chars=10, lead_chars=6, chunk_chars=8)
    pieces = rule.segments("标题：某地召开会议。会议强调安全。与会者表示支持。")
    assert pieces[0] == ("标题：某地召", 1.0)
    assert [p for p, _ in pieces[1:]] == ["标题：某地召开会议。", "会议强调安全。", "与会者表示支持。"]
    assert sum(w for _, w in pieces[1:]) == pytest.approx(1.0)
    assert LongTextRule().segments("短文本") == [("短文本", 1.0)]
    assert LongTextRule().mode == "whole"  # the shipped choice: one vector per text
    with pytest.raises(InputError, match="long-text mode"):
        LongTextRule(mode="middle")


def test_model_long_factual_text_is_neutral(model: SentimentModel) -> None:
    article = "。".join(["市政府召开新闻发布会通报本市经济运行情况"] * 20) + "。"
    assert len(article) > model.long_text.min_chars
    assert model.predict([article], "polarity")[0] == "neutral"


def test_model_unfitted_raises_clear_error() -> None:
    with pytest.raises(NotFittedError, match="not fitted"):
        SentimentModel().score(["好"])


def _tiny_heads() -> dict[str, HeadData]:
    frame = pd.read_csv(DATA / "chnsenticorp_validation_head40.csv", dtype=str)
    labels = frame["label"].map({"1": "positive", "0": "negative"}).tolist()
    neutral = ["明天上午九点开会。", "本周六有小雨。", "列车于八点发车。"]
    emotions = pd.read_csv(DATA / "weibo_emotions_42.csv", dtype=str, keep_default_na=False)
    return {
        "polarity": HeadData(frame["text"].tolist() + neutral, labels + ["neutral"] * 3,
                             classes=("negative", "neutral", "positive")),
        "emotion": HeadData(emotions["text"].tolist(), emotions["emotion"].tolist()),
    }


def test_model_fit_save_load_round_trip_is_byte_identical(tmp_path: Path) -> None:
    heads = _tiny_heads()
    fitted = SentimentModel(config=TINY, c=1.0).fit(heads)
    path = fitted.save(tmp_path / "m.safetensors", info={"note": "测试"})
    loaded = SentimentModel.load(path)
    texts = list(heads["polarity"].texts)
    assert np.array_equal(loaded.predict_proba(texts), fitted.predict_proba(texts))
    assert loaded.info_ == {"note": "测试"} and loaded.config == fitted.config
    assert loaded.classes("emotion") == tuple(sorted(set(heads["emotion"].labels)))
    again = SentimentModel(config=TINY, c=1.0).fit(_tiny_heads())
    same = again.save(tmp_path / "m2.safetensors", info={"note": "测试"})
    assert same.read_bytes() == path.read_bytes()  # training is deterministic


def test_model_save_gives_the_usual_file_mode_not_0600(tmp_path: Path) -> None:
    """safetensors' save_file made the model 0600 (its .seen 0644): on a shared install every
    other user's `opinion sentiment` failed with PermissionError after an admin retrained."""
    import os

    mask = os.umask(0o022)
    try:
        path = SentimentModel(config=TINY, c=1.0).fit(_tiny_heads()).save(tmp_path / "m.safetensors")
    finally:
        os.umask(mask)
    assert path.stat().st_mode & 0o777 == 0o644


def _with_char_model(mix: CharMix) -> SentimentModel:
    heads = _tiny_heads()
    main = SentimentModel(config=TINY, c=1.0).fit(heads)
    char_config = FeatureConfig(word_ngrams=False, negation_scope=0, raw_char_ngrams=True, n_features=2**12)
    main.char_model_ = SentimentModel(config=char_config, c=1.0).fit({"polarity": heads["polarity"]})
    main.char_mix_ = mix
    return main


def test_model_char_mix_only_in_short_texts_and_survives_save_load(tmp_path: Path) -> None:
    mixed = _with_char_model(CharMix(weight=0.5, max_chars=20))
    alone = SentimentModel(config=TINY, c=1.0).fit(_tiny_heads())
    char = mixed.char_model_
    short, long = "房间很干净，服务很好。", "酒店位置不错，离地铁站很近，早餐种类也多，就是房间隔音一般，晚上能听到走廊的声音。"
    got = mixed.predict_proba([short, long])
    expected_short = 0.5 * alone.predict_proba([short]) + 0.5 * char.predict_proba([short])
    assert np.allclose(got[0], expected_short[0]) and np.allclose(got[1], alone.predict_proba([long])[0])
    assert np.allclose(mixed.predict_proba([short], "emotion"), alone.predict_proba([short], "emotion"))
    # the character model reads 不喜欢 inside 不是不喜欢: a double negation keeps the main model's
    double, single = mixed.predict_proba(["不是不喜欢", "不喜欢"])
    assert np.allclose(double, alone.predict_proba(["不是不喜欢"])[0])
    assert not np.allclose(single, alone.predict_proba(["不喜欢"])[0])
    path = mixed.save(tmp_path / "mixed.safetensors")
    loaded = SentimentModel.load(path)
    assert loaded.char_mix_ == CharMix(weight=0.5, max_chars=20)
    assert np.array_equal(loaded.predict_proba([short, long]), mixed.predict_proba([short, long]))
    assert _with_char_model(CharMix(0.5, 20)).save(tmp_path / "again.safetensors").read_bytes() == path.read_bytes()
    assert SentimentModel.load(alone.save(tmp_path / "alone.safetensors")).char_model_ is None


def test_model_fit_in_two_processes_gives_the_same_file(tmp_path: Path) -> None:
    one = SentimentModel(config=TINY, c=1.0).fit(_tiny_heads()).save(tmp_path / "1.safetensors")
    two = SentimentModel(config=TINY, c=1.0).fit(_tiny_heads(), workers=2).save(tmp_path / "2.safetensors")
    assert one.read_bytes() == two.read_bytes()


def test_nb_feature_scale_favours_features_that_split_the_classes() -> None:
    import scipy.sparse as sp

    # columns: 好 (positive posts only), 差 (negative only), 的 (everywhere)
    X = sp.csr_matrix(np.array([[1, 0, 1], [1, 0, 1], [0, 1, 1], [0, 1, 1]], dtype=np.float32))
    y = np.array([1, 1, 0, 0])
    scale = nb_feature_scale(X, y, 2, beta=1.0)
    assert scale[0] == scale[1] > 1 > scale[2] and np.isclose(scale.mean(), 1)
    assert np.allclose(nb_feature_scale(X, y, 2, beta=0.0), 1)
    half = nb_feature_scale(X, y, 2, beta=0.5)
    assert np.allclose(half, 0.5 + 0.5 * scale)


def test_fit_head_folds_the_nb_factors_into_the_coefficients() -> None:
    """Scored on plain features, the folded model gives what a fit on scaled features gives."""
    import scipy.sparse as sp
    from sklearn.linear_model import LogisticRegression

    from opinion.sentiment.features import FeatureHasher, weigh_and_normalise

    heads = _tiny_heads()["polarity"]
    classes = heads.classes
    counts = FeatureHasher(TINY).binary_counts(list(heads.texts))
    X = weigh_and_normalise(counts.astype(np.float32))
    y = np.array([classes.index(label) for label in heads.labels])
    coef, intercept = fit_head(X, y, None, 1.0, 200, classes, nb_beta=0.5)
    scale = nb_feature_scale(X, y, len(classes), 0.5)
    direct = LogisticRegression(C=1.0, max_iter=200, tol=1e-4).fit(X @ sp.diags(scale), y)
    expected = direct.predict_proba(X @ sp.diags(scale))
    assert np.allclose(softmax(np.asarray(X @ coef) + intercept), expected, atol=2e-3)  # float16 rounding
    plain, _ = fit_head(X, y, None, 1.0, 200, classes)
    assert not np.allclose(plain, coef)


def test_model_nb_beta_is_recorded_and_survives_save_load(tmp_path: Path) -> None:
    fitted = SentimentModel(config=TINY, c=1.0, nb_beta={"polarity": 0.5}).fit(_tiny_heads())
    loaded = SentimentModel.load(fitted.save(tmp_path / "nb.safetensors"))
    texts = ["房间很干净，服务很好。", "太差了，再也不来了。"]
    assert np.array_equal(loaded.predict_proba(texts), fitted.predict_proba(texts))
    assert json.loads(_metadata(tmp_path / "nb.safetensors"))["nb_beta"] == {"polarity": 0.5}
    plain = SentimentModel(config=TINY, c=1.0).fit(_tiny_heads()).save(tmp_path / "plain.safetensors")
    assert "nb_beta" not in json.loads(_metadata(plain))  # a file without the scaling is as before


def _metadata(path: Path) -> str:
    from safetensors import safe_open

    with safe_open(str(path), framework="numpy") as fh:
        return (fh.metadata() or {})["opinion"]


def test_model_two_class_head_keeps_both_columns() -> None:
    heads = _tiny_heads()
    binary = {"polarity": HeadData(heads["polarity"].texts[:40], heads["polarity"].labels[:40])}
    fitted = SentimentModel(config=TINY, c=1.0).fit(binary)
    probs = fitted.predict_proba(["很好", "很差"])
    assert probs.shape == (2, 2) and fitted.classes("polarity") == ("negative", "positive")


def test_model_load_errors_name_the_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="opinion sentiment train"):
        SentimentModel.load(tmp_path / "missing.safetensors")
    bad = tmp_path / "bad.safetensors"
    bad.write_bytes(b"not a model")
    with pytest.raises(InputError, match="bad.safetensors"):
        SentimentModel.load(bad)
    with pytest.raises(InputError, match="head must be one of"):
        load_default_model().predict(["好"], "stance")


def test_model_trained_on_older_features_warns_on_load(tmp_path: Path) -> None:
    old = FeatureConfig(n_features=2**14, version=FeatureConfig.version - 1)
    model = SentimentModel(config=old, c=1.0).fit(_tiny_heads())
    char_config = FeatureConfig(word_ngrams=False, negation_scope=0, raw_char_ngrams=True,
                                n_features=2**12, version=old.version)
    model.char_model_ = SentimentModel(config=char_config, c=1.0).fit({"polarity": _tiny_heads()["polarity"]})
    model.char_mix_ = CharMix(weight=0.5, max_chars=20)
    path = model.save(tmp_path / "old.safetensors")
    with pytest.warns(UserWarning, match="opinion sentiment train") as caught:
        SentimentModel.load(path)
    assert len(caught) == 1  # one file, one warning, though both of its models are old


def _polarity_model(flip: bool) -> SentimentModel:
    """A tiny model of the review rows; ``flip`` swaps positive and negative labels."""
    heads = _tiny_heads()
    polarity = heads["polarity"]
    swap = {"positive": "negative", "negative": "positive"} if flip else {}
    heads["polarity"] = HeadData(polarity.texts, [swap.get(y, y) for y in polarity.labels],
                                 classes=polarity.classes)
    return SentimentModel(config=TINY, c=1.0).fit(heads)


def test_a_model_retrained_into_the_same_file_is_loaded_again(tmp_path: Path) -> None:
    """load_model cached by path: after a retrain into the same file the old weights kept
    scoring in that process (and the stage recorded the new file's digest with them)."""
    import os

    from opinion.sentiment.model import load_model
    from opinion.sentiment.score import score_texts

    path = tmp_path / "mine.safetensors"
    _polarity_model(flip=False).save(path)
    texts = ["物流很快，质量很好", "太差了，再也不买了"]
    before = load_model(str(path)).predict(texts).tolist()
    stage_before = score_texts(texts, model_path=str(path))
    _polarity_model(flip=True).save(path)
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))  # a later save, on any file system
    after = load_model(str(path)).predict(texts).tolist()
    assert after == SentimentModel.load(path).predict(texts).tolist() and after != before
    stage_after = score_texts(texts, model_path=str(path))
    assert np.allclose(stage_after, SentimentModel.load(path).score(texts)) and not np.allclose(stage_after, stage_before)
    assert load_model(str(path)) is load_model(path)  # unchanged: the cached one


def test_a_declared_class_without_rows_is_one_error_not_a_shifted_head() -> None:
    """fit gave one column per class present while heads_ kept the declared six: neutral
    texts came out as sadness, and the saved file could not be loaded."""
    texts = ["很好吃", "太难吃", "今天开会", "喜欢", "讨厌", "下午三点"] * 5
    heads = {"polarity": HeadData(texts, ["positive", "negative", "neutral"] * 10,
                                  classes=("negative", "neutral", "positive")),
             "emotion": HeadData(texts, ["happiness", "anger", "neutral"] * 10,
                                 classes=("happiness", "anger", "sadness", "fear", "surprise", "neutral"))}
    with pytest.raises(InputError, match=r"head emotion: classes \['sadness', 'fear', 'surprise'\] have no "
                                         "training rows"):
        SentimentModel(config=TINY).fit(heads)
    heads["emotion"] = HeadData(texts, ["happiness", "anger", "joy"] * 10, classes=("happiness", "anger"))
    with pytest.raises(InputError, match=r"labels \['joy'\] are not among its classes"):
        SentimentModel(config=TINY).fit(heads)
