"""What `SentimentModel.predict_frame` reads (opinion/sentiment/inputs.py): its index, one string,
cells that are not text, and a prepared ``text_norm`` read as the sentiment stage reads it."""

from __future__ import annotations

import pandas as pd
import pytest

from opinion.config import SentimentSettings
from opinion.errors import InputError
from opinion.sentiment.model import SentimentModel, load_default_model
from opinion.sentiment.score import model_text, score_documents

POSTS = ["太差了，再也不买", "物流很快，质量很好", "垃圾，退货", "非常满意，五星好评"]


@pytest.fixture(scope="module")
def model() -> SentimentModel:
    return load_default_model()


def test_predict_frame_keeps_the_series_index(model: SentimentModel) -> None:
    """h47 api #9: the result had a fresh RangeIndex, so assigning it back to a filtered frame
    gave row 1 row 0's label and row 3 NaN."""
    df = pd.DataFrame({"text": POSTS})
    odd = df[df.index % 2 == 1].copy()
    odd["label"] = model.predict_frame(odd["text"])["sentiment_label"]
    assert odd["label"].tolist() == ["positive", "positive"]
    assert model.predict_frame(odd["text"]).index.tolist() == [1, 3]
    assert model.predict_frame(list(odd["text"])).index.tolist() == [0, 1]


def test_predict_frame_reads_one_string_as_one_text(model: SentimentModel) -> None:
    """h47 api #9: "好评" was read character by character, two rows (好 positive, 评 negative)."""
    one = model.predict_frame("非常满意，五星好评")
    assert len(one) == 1 and one.equals(model.predict_frame(["非常满意，五星好评"]))


@pytest.mark.parametrize(("cells", "error"), [
    ([POSTS[0], b"\xe5\xa5\xbd"], r"row 1 is bytes, not text; decode it first"),
    (pd.Series([POSTS[0], ["物流", "很快"]], index=["a", "b"]), r"row 1 \(index 'b'\) is list, not text"),
    (pd.DataFrame({"内容": POSTS}), r"pass its text column, e.g. df\['内容'\]"),
])
def test_predict_frame_refuses_what_is_not_text_naming_the_row(model: SentimentModel, cells: object,
                                                                error: str) -> None:
    """h47 api #9: bytes and other cells got null labels without a word."""
    with pytest.raises(InputError, match=error):
        model.predict_frame(cells)  # type: ignore[arg-type]


def test_predict_frame_reads_numbers_as_digits_and_missing_as_null(model: SentimentModel) -> None:
    out = model.predict_frame(pd.Series([123, None, float("nan"), "物流很快，质量很好"]))
    assert out["sentiment_label"].tolist()[1:] == [None, None, "positive"]
    assert out.iloc[[0]].reset_index(drop=True).equals(model.predict_frame(["123"]))


def test_predict_frame_reads_text_norm_as_the_stage_does(model: SentimentModel) -> None:
    """h47 api #11: a prepared table's ``text_norm`` with <USER> got another label than the
    stage gave it (1.7 % of 3,000 Weibo posts): the stage scores model_text(text_norm)."""
    norms = ["//<USER>：#全国确诊新型肺炎病例# 麻烦帮忙扩一下！", "请求延长春节假期<USER> #全国确诊新型肺炎病例#",
             "不信谣不传谣#全国确诊830例新型肺炎病例#<USER>"]
    stage = score_documents([model_text(t) for t in norms], SentimentSettings())
    assert model.predict_frame(norms)["sentiment_label"].tolist() == stage["sentiment_label"].tolist()
    assert stage["sentiment_label"].tolist() == ["neutral"] * 3
