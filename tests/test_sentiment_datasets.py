"""Labelled sets: label mapping, deduplication across sets, validation split; training the model."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from opinion.errors import InputError
from opinion.sentiment.datasets import (
    EMOTION_MAP,
    SOURCES,
    dedup_key,
    load_rows,
    split_validation,
    task_rows,
)
from opinion.sentiment.features import FeatureConfig
from opinion.sentiment.model import SentimentModel

DATA = Path(__file__).parent / "data" / "sentiment"
# Made-up rows (written for these tests) in the layout of the sets that may not be redistributed.
NEWS = pd.DataFrame({"text": ["某市发布暴雨预警。气象台提醒市民注意出行安全",
                              "工厂违规排污被查处。附近居民长期受到污染困扰",
                              "新能源汽车销量创新高。企业表示将继续扩大产能"],
                     "label": ["neutral", "negative", "positive"]})
EMOTION_SETS = {
    "weibo_emotion_smp2020_ewect.csv": (["今天好开心", "气死了", "明天开会", "好怕打雷", "今天好开心！"],
                                        ["happiness", "anger", "neutral", "fear", "happiness"]),
    "weibo_emotion_nlpcc2013.csv": (["喜欢这首歌", "真恶心", "等吧。", "明天开会"],
                                    ["like", "disgust", "none", "none"]),
    "weibo_emotion_clue2020.csv": (["好难过", "没想到啊"], ["sadness", "surprise"]),
    "weibo_emotion_simplifyweibo_5moods.csv": (["开心", "讨厌"], ["happiness", "disgust"]),
}
POLARITY_OF = {"happiness": "positive", "like": "positive", "none": "neutral", "neutral": "neutral",
               "surprise": ""}


def write_tiny_sets(folder: Path) -> None:
    """Every shared file name: the ChnSentiCorp/Weibo test samples and the made-up rows above."""
    folder.mkdir(parents=True, exist_ok=True)
    reviews = pd.read_csv(DATA / "chnsenticorp_validation_head40.csv", dtype=str)
    weibo = pd.read_csv(DATA / "weibo_emotions_42.csv", dtype=str, keep_default_na=False)
    reviews.iloc[:20].to_csv(folder / "chnsenticorp_train.csv", index=False)
    reviews.iloc[20:].to_csv(folder / "chnsenticorp_validation.csv", index=False)
    renamed = reviews.rename(columns={"text": "review"})[["label", "review"]]
    renamed.to_csv(folder / "ChnSentiCorp_htl_all.csv", index=False)  # copies of both
    renamed.to_csv(folder / "waimai_10k.csv", index=False)
    renamed.assign(cat="酒店")[["cat", "label", "review"]].to_csv(
        folder / "online_shopping_10_cats.csv", index=False)
    weibo.to_csv(folder / "weibo_emotions_train.csv", index=False)
    NEWS.to_csv(folder / "news_sentiment_ccf_bdci2019_truncated.csv", index=False)
    NEWS.to_csv(folder / "implicit_sentiment_smp2019_ecisa_dev.csv", index=False)
    for name, (texts, labels) in EMOTION_SETS.items():
        frame = pd.DataFrame({"text": texts, "label": labels,
                              "polarity": [POLARITY_OF.get(x, "negative") for x in labels]})
        if "ewect" in name:
            frame["domain"] = "usual"
        frame.to_csv(folder / name, index=False)


def test_datasets_dedup_key_ignores_script_width_and_punctuation() -> None:
    assert dedup_key("房間很好！ ") == dedup_key("房间很好") == "房间很好"


def test_datasets_every_emotion_label_maps_onto_the_six() -> None:
    assert set(EMOTION_MAP.values()) == {"happiness", "anger", "sadness", "fear", "surprise", "neutral"}
    assert (EMOTION_MAP["like"], EMOTION_MAP["disgust"], EMOTION_MAP["none"]) == \
        ("happiness", "anger", "neutral")


def test_datasets_rows_map_labels_and_drop_conflicts(tmp_path: Path) -> None:
    write_tiny_sets(tmp_path)
    rows = load_rows(tmp_path)
    assert set(rows["source"]) == {s.file for s in SOURCES}
    nlpcc = rows[rows["source"] == "weibo_emotion_nlpcc2013.csv"]
    assert nlpcc["emotion"].tolist() == ["happiness", "anger", "neutral", "neutral"]
    emotion = task_rows(rows, "emotion")
    assert emotion["key"].is_unique and set(emotion["label"]) <= set(EMOTION_MAP.values())
    assert emotion.loc[emotion["key"] == "今天好开心", "source"].tolist() == ["weibo_emotion_smp2020_ewect.csv"]
    polarity = task_rows(rows, "polarity")
    assert "没想到啊" not in set(polarity["text"])  # surprise has no polarity
    assert set(polarity["label"]) == {"negative", "neutral", "positive"}
    with pytest.raises(InputError, match="task must be one of"):
        task_rows(rows, "stance")


def test_datasets_validation_split_keeps_copies_together(tmp_path: Path) -> None:
    write_tiny_sets(tmp_path)
    rows = load_rows(tmp_path)
    fit, validation = split_validation(rows)
    assert len(fit) + len(validation) == len(rows)
    assert set(fit["key"]).isdisjoint(validation["key"])
    chnsenticorp_validation = rows[rows["source"] == "chnsenticorp_validation.csv"]
    assert set(chnsenticorp_validation["key"]) <= set(validation["key"])  # released split kept
    again_fit, again_validation = split_validation(rows)
    assert again_validation["key"].tolist() == validation["key"].tolist()


def test_datasets_missing_file_names_data_dir(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="--data-dir"):
        load_rows(tmp_path)


def test_train_model_on_every_row_is_byte_identical(tmp_path: Path) -> None:
    from opinion.sentiment.train import train_model

    write_tiny_sets(tmp_path / "data")
    settings = {"config": FeatureConfig(n_features=2**14)}
    report = train_model(tmp_path / "data", out=tmp_path / "a.safetensors", settings=settings)
    rows = load_rows(tmp_path / "data")
    assert report.n_train["polarity"] == len(task_rows(rows, "polarity"))
    assert report.n_train["emotion"] == len(task_rows(rows, "emotion"))
    model = SentimentModel.load(report.path)
    assert model.classes("emotion") == ("happiness", "anger", "sadness", "fear", "surprise", "neutral")
    assert "polarity:" in str(report) and "emotion:" in str(report)
    again = train_model(tmp_path / "data", out=tmp_path / "b.safetensors", settings=settings)
    assert again.path.read_bytes() == report.path.read_bytes()
    from opinion.sentiment.seen import SeenTexts, seen_path  # the texts it was trained on, beside it

    assert seen_path(again.path).read_bytes() == seen_path(report.path).read_bytes()
    assert SeenTexts.load(seen_path(report.path)).holds(rows["text"]).all()


def test_cli_train_errors_name_the_data_dir(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from opinion.cli import app

    missing = CliRunner().invoke(app, ["sentiment", "train", "--data-dir", str(tmp_path / "none"),
                                       "--out", str(tmp_path / "m.safetensors")])
    assert missing.exit_code == 1 and "--data-dir" in missing.output
