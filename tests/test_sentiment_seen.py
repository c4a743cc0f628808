"""The seen-texts filter: which texts the shipped model was trained on, without the rows."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from opinion.cli import app
from opinion.sentiment.evaluate import evaluate_file
from opinion.sentiment.model import default_model_path
from opinion.sentiment.seen import FALSE_POSITIVES, SeenTexts, seen_path

DATA = Path(__file__).parent / "data" / "sentiment"
REVIEWS = DATA / "chnsenticorp_validation_head40.csv"  # 40 real ChnSentiCorp validation reviews
NEW_REVIEWS = ["这家民宿的床单有股霉味，老板态度倒是很热情", "外卖送到已经凉透了，汤也洒了一半",
               "耳机音质出乎意料地好，降噪一般", "客服回复很快，退款两天就到账了"]  # written for this test


def test_a_text_is_found_in_either_script_and_without_its_punctuation():
    seen = SeenTexts.build(["房间很干净，服务也好！", "早餐太差了"])
    assert seen.holds(["房間很乾淨服務也好", "早餐太差了。。。", "早餐一般", ""]).tolist() == [True, True, False, False]


def test_unseen_texts_are_rarely_taken_for_seen():
    seen = SeenTexts.build([f"评论第{i}条" for i in range(20_000)])
    assert seen.count([f"评论第{i}条" for i in range(20_000)]) == 20_000  # never a miss
    assert seen.count([f"新帖子{i}号" for i in range(20_000)]) <= 3 * FALSE_POSITIVES * 20_000


def test_the_file_is_the_same_bytes_for_the_same_texts_in_any_order(tmp_path):
    texts = [f"评论{i}" for i in range(500)]
    a = SeenTexts.build(texts).save(tmp_path / "a.seen")
    b = SeenTexts.build(texts[::-1] + texts[:10]).save(tmp_path / "b.seen")
    assert a.read_bytes() == b.read_bytes()
    assert SeenTexts.load(a).holds(texts[:3]).all()
    assert "评论1" not in a.read_bytes().decode("latin-1")  # bits of hashes, no text


def test_the_shipped_model_has_its_filter_and_evaluate_warns_on_its_training_texts(tmp_path):
    assert seen_path(default_model_path()).is_file()
    trained = evaluate_file(REVIEWS, text_col="text", label_col="label")
    assert trained.seen_in_training == 40 and "40 of 40 texts (100.0%)" in str(trained)
    path = tmp_path / "new.csv"
    pd.DataFrame({"text": NEW_REVIEWS, "label": [0, 0, 1, 1]}).to_csv(path, index=False)
    fresh = evaluate_file(path)
    assert fresh.seen_in_training == 0 and "training texts" not in str(fresh)
    assert evaluate_file(path, method="lexicon").seen_in_training is None  # the lexicon learned nothing


def test_cli_evaluate_json_says_how_many_texts_were_seen():
    result = CliRunner().invoke(app, ["sentiment", "evaluate", str(REVIEWS), "--json"])
    assert result.exit_code == 0, result.output
    assert '"seen_in_training": 40' in result.output


@pytest.mark.parametrize("soft", [False, True])
def test_train_writes_the_filter_of_its_rows_beside_the_model(tmp_path, soft):
    from test_sentiment_datasets import write_tiny_sets

    from opinion.sentiment.datasets import load_rows
    from opinion.sentiment.train import write_seen_texts

    write_tiny_sets(tmp_path / "data")
    rows = load_rows(tmp_path / "data")
    posts = pd.DataFrame({"key": ["一条只在软标签里的帖子"]}) if soft else None
    path = write_seen_texts(rows, posts, tmp_path / "m.safetensors")
    assert path == tmp_path / "m.seen"
    seen = SeenTexts.load(path)
    assert seen.holds(rows["text"]).all()
    assert seen.count(["一条只在软标签里的帖子"]) == int(soft)
