"""Evaluation: label parsing (--labels, --map), figures and intervals, file reading; the sentiment CLI."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from opinion import schema as S
from opinion.cli import app
from opinion.errors import InputError
from opinion.sentiment.evaluate import (
    bootstrap_intervals,
    evaluate_file,
    figures,
    fold_and_predict,
    normalise_labels,
    parse_labels,
    parse_map,
    read_table,
)

DATA = Path(__file__).parent / "data" / "sentiment"
REVIEWS = DATA / "chnsenticorp_validation_head40.csv"
WEIBO = DATA / "weibo_emotions_42.csv"
runner = CliRunner()
# Made-up posts with NLPCC-style labels (like / disgust / none), written for these tests.
NLPCC_STYLE = pd.DataFrame({
    "内容": ["今天收到礼物，太开心了！", "这种插队的人真让人恶心", "明天上午九点开会。",
             "气死我了，快递又丢了！", "好喜欢这首歌", "晚上看到蛇，吓死我了"],
    "标注": ["happiness", "disgust", "none", "anger", "like", "fear"],
})


@pytest.mark.parametrize("values, expected", [
    (["1", "0", "1.0"], ["positive", "negative", "positive"]),
    (["-1", "0", "1"], ["negative", "neutral", "positive"]),
    (["pos", "NEG", "neutral"], ["positive", "negative", "neutral"]),
    (["正面", "负面", "中性", ""], ["positive", "negative", "neutral", None]),
])
def test_normalise_labels(values, expected) -> None:
    assert normalise_labels(pd.Series(values)).tolist() == expected


def test_normalise_labels_rejects_unknown_in_one_line() -> None:
    with pytest.raises(InputError, match="unknown labels \\['2'\\]") as error:
        normalise_labels(pd.Series(["0", "1", "2"]), source="f.csv column 'y'")
    assert "\n" not in str(error.value) and "--labels" in str(error.value)


@pytest.mark.parametrize("spec, expected", [
    ("0=positive,1=neutral,2=negative", {"0": "positive", "1": "neutral", "2": "negative"}),
    (" A = Positive , b=negative ", {"a": "positive", "b": "negative"}),
])
def test_parse_labels(spec, expected) -> None:
    assert parse_labels(spec) == expected


@pytest.mark.parametrize("spec", ["0:positive", "=positive", "0=", ","])
def test_parse_labels_and_map_reject_malformed(spec) -> None:
    with pytest.raises(InputError, match="--labels"):
        parse_labels(spec)
    with pytest.raises(InputError, match="--map"):
        parse_map(spec)


def test_normalise_labels_with_codes_and_map() -> None:
    codes = parse_labels("0=positive,1=neutral,2=negative")
    assert normalise_labels(pd.Series(["2", "0", "1", ""]), codes=codes).tolist() == \
        ["negative", "positive", "neutral", None]
    with pytest.raises(InputError, match="unknown labels \\['3'\\]"):
        normalise_labels(pd.Series(["0", "3"]), codes=codes)
    folded = normalise_labels(NLPCC_STYLE["标注"], task="emotion",
                              label_map=parse_map("like=happiness,disgust=anger,none=neutral"))
    assert folded.tolist() == ["happiness", "anger", "neutral", "anger", "happiness", "fear"]
    with pytest.raises(InputError, match="unknown labels \\['disgust', 'like', 'none'\\]"):
        normalise_labels(NLPCC_STYLE["标注"], task="emotion")


def test_fold_and_predict_sums_mapped_classes_and_keeps_to_the_files_classes() -> None:
    probs = np.array([[0.2, 0.45, 0.35], [0.5, 0.1, 0.4]])
    classes = ["negative", "neutral", "positive"]
    assert fold_and_predict(probs, classes, {}, ["negative", "positive"]).tolist() == \
        ["positive", "negative"]
    assert fold_and_predict(probs, classes, {"neutral": "negative"}, ["negative", "positive"]).tolist() == \
        ["negative", "negative"]


def test_figures_and_bootstrap_intervals() -> None:
    truth = np.array(["a", "a", "b", "b"] * 25)
    predicted = np.array(["a", "b", "b", "b"] * 25)
    result = figures(truth, predicted, ["a", "b"])
    assert result["accuracy"] == 0.75
    assert result["per_class_f1"] == {"a": round(2 / 3, 4), "b": 0.8}
    assert result["confusion"].tolist() == [[25, 25], [0, 50]]
    ci = bootstrap_intervals(truth, predicted, ["a", "b"])
    assert ci["accuracy_ci"][0] < 0.75 < ci["accuracy_ci"][1]
    assert ci["macro_f1_ci"][0] < result["macro_f1"] < ci["macro_f1_ci"][1]
    assert bootstrap_intervals(truth, predicted, ["a", "b"]) == ci  # fixed seed


def test_evaluate_file_on_reviews_binary() -> None:
    result = evaluate_file(REVIEWS, text_col="text", label_col="label")
    assert result.n == 40 and result.skipped == 0 and result.labels == ["negative", "positive"]
    assert result.accuracy >= 0.75
    lexicon = evaluate_file(REVIEWS, text_col="text", label_col="label", method="lexicon")
    assert lexicon.n == 40 and 0.5 <= lexicon.accuracy <= 1.0


def test_evaluate_file_emotions_with_map(tmp_path) -> None:
    path = tmp_path / "nlpcc_style.csv"
    NLPCC_STYLE.to_csv(path, index=False)
    result = evaluate_file(path, task="emotion", text_col="内容", label_col="标注",
                           label_map="like=happiness,disgust=anger,none=neutral")
    assert result.n == 6 and set(result.labels) == {"happiness", "anger", "neutral", "fear"}
    assert result.accuracy >= 0.5
    with pytest.raises(InputError, match="--map"):
        evaluate_file(path, task="emotion", text_col="内容", label_col="标注")


def test_evaluate_file_three_classes_and_skipped_rows(tmp_path) -> None:
    weibo = pd.read_csv(WEIBO, dtype=str, keep_default_na=False)
    names = {"happiness": "positive", "like": "positive", "surprise": "neutral"}
    weibo["sentiment"] = weibo["emotion"].map(names).fillna("negative")
    weibo.loc[0, "text"] = ""
    path = tmp_path / "weibo.tsv"
    weibo.to_csv(path, sep="\t", index=False)
    result = evaluate_file(path, text_col="text", label_col="sentiment")
    assert result.labels == ["negative", "neutral", "positive"]
    assert (result.n, result.skipped) == (41, 1)
    assert int(result.confusion.to_numpy().sum()) == 41
    banded = evaluate_file(path, text_col="text", label_col="sentiment", neutral_band="0.3,0.7")
    assert banded.n == 41


def test_evaluate_file_errors_name_the_fix(tmp_path) -> None:
    with pytest.raises(InputError, match="--text-col"):
        evaluate_file(REVIEWS, text_col="review", label_col="label")
    with pytest.raises(InputError, match="not found"):
        evaluate_file(tmp_path / "none.csv", text_col="text", label_col="label")
    with pytest.raises(InputError, match="--task"):
        evaluate_file(REVIEWS, task="stance")
    with pytest.raises(InputError, match="polarity only"):
        evaluate_file(REVIEWS, task="emotion", method="lexicon")


def test_cli_evaluate_json_and_table() -> None:
    result = runner.invoke(app, ["sentiment", "evaluate", str(REVIEWS), "--text-col", "text",
                                 "--label-col", "label", "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert {"n", "accuracy", "macro_f1", "per_class_f1", "confusion", "accuracy_ci",
            "macro_f1_ci"} <= set(payload) and payload["n"] == 40
    low, high = payload["accuracy_ci"]
    assert low <= payload["accuracy"] <= high
    table = runner.invoke(app, ["sentiment", "evaluate", str(REVIEWS), "--method", "lexicon"])
    assert table.exit_code == 0, table.output
    assert "macro-F1" in table.output and "confusion" in table.output and "95% CI" in table.output


def test_cli_evaluate_labels_option(tmp_path) -> None:
    frame = pd.read_csv(REVIEWS, dtype=str)
    frame["code"] = frame["label"].map({"1": "A", "0": "B"})
    path = tmp_path / "coded.csv"
    frame.to_csv(path, index=False)
    result = runner.invoke(app, ["sentiment", "evaluate", str(path), "--label-col", "code",
                                 "--labels", "a=positive,b=negative", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["n"] == 40


def test_cli_evaluate_bad_label_file_is_one_line_naming_the_labels(tmp_path) -> None:
    path = tmp_path / "bad.csv"
    pd.DataFrame({"text": ["很好", "很差", "一般"], "label": ["推荐", "踩", "1"]}).to_csv(path, index=False)
    result = runner.invoke(app, ["sentiment", "evaluate", str(path)])  # (好评/差评 are known since 2026-12-07)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "unknown labels ['推荐', '踩']" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_cli_evaluate_bad_column_is_one_line_error() -> None:
    result = runner.invoke(app, ["sentiment", "evaluate", str(REVIEWS), "--text-col", "内容"])
    assert result.exit_code == 1
    assert "no column '内容'" in result.output and "Traceback" not in result.output


def test_cli_explain_and_bare_group() -> None:
    result = runner.invoke(app, ["sentiment", "explain", "我今天不高兴"])
    assert result.exit_code == 0 and "高兴 -1.00 (不)" in result.output
    assert "emotion" in result.output
    bare = runner.invoke(app, ["sentiment"])
    assert bare.exit_code == 2 and "--workspace" in bare.output
    for blank in ("", "   "):  # was a TypeError traceback
        empty = runner.invoke(app, ["sentiment", "explain", blank])
        assert empty.exit_code == 1 and "nothing to score" in empty.output and "Traceback" not in empty.output
    piped = runner.invoke(app, ["sentiment", "explain", "-"], input="我今天不高兴\n")  # a long article
    assert piped.exit_code == 0 and "高兴 -1.00 (不)" in piped.output


def test_cli_scores_workspace_with_band(tmp_path) -> None:
    from test_prepare import write_text_corpus

    from opinion import schema as S
    from opinion.prepare import prepare_workspace

    ws = write_text_corpus(tmp_path / "ws", weibo_rows=10)
    prepare_workspace(ws, workers=1)
    result = runner.invoke(app, ["sentiment", "-w", str(ws.root), "--workers", "1",
                                 "--neutral-band", "0.2,0.8", "--method", "lexicon"])
    assert result.exit_code == 0, result.output
    assert "sentiment: 2 parts computed" in result.output
    table = ws.read(S.SENTIMENT)
    assert set(table[S.SENTIMENT_LABEL].dropna()) <= {"negative", "neutral", "positive"}
    assert set(table[S.EMOTION_LABEL].dropna()) <= set(S.EMOTIONS)
    bad = runner.invoke(app, ["sentiment", "-w", str(ws.root), "--neutral-band", "0.8,0.2"])
    assert bad.exit_code == 1 and "--neutral-band '0.8,0.2': expected LOW,HIGH" in bad.output


@pytest.mark.parametrize("encoding, name", [("gb18030", "labels.csv"), ("big5", "labels.tsv"),
                                            ("gb18030", "labels.jsonl"), ("utf-16", "labels.csv")])
def test_evaluate_reads_label_files_in_chinese_encodings(tmp_path, encoding, name):
    frame = pd.DataFrame({"text": ["服務態度很好", "房間太小，不推薦"], "label": ["1", "0"]})
    path = tmp_path / name
    if name.endswith(".jsonl"):
        path.write_bytes(frame.to_json(orient="records", lines=True, force_ascii=False).encode(encoding))
    else:
        frame.to_csv(path, sep="\t" if name.endswith(".tsv") else ",", index=False, encoding=encoding)
    assert read_table(path).astype(str).to_dict("records") == frame.to_dict("records")


def test_labels_in_traditional_script_and_review_words_need_no_codes() -> None:
    """A Taiwanese label file's 負面 was an 'unknown label' while 正面 (the same in both
    scripts) was known; review sites' 好评/差评 needed --labels."""
    from opinion.sentiment.evaluate import normalise_labels

    labels = pd.Series(["正面", "負面", "中性", "好評", "差評", "中评", "負向"])
    assert normalise_labels(labels).tolist() == ["positive", "negative", "neutral", "positive",
                                                 "negative", "neutral", "negative"]
    assert normalise_labels(pd.Series(["憤怒", "悲傷", "驚訝"]), task="emotion").tolist() == [
        "anger", "sadness", "surprise"]
    with pytest.raises(InputError, match="unknown labels"):  # codes the user names stay exact
        normalise_labels(pd.Series(["負面"]), codes={"负面": "negative"})


def test_map_renames_a_model_class_to_the_files_name() -> None:
    """--map renames on both sides: with happiness=joy a file that writes joy is read as is
    (the file's joy was an 'unknown label' until 2026-12-07)."""
    assert normalise_labels(pd.Series(["joy", "anger", "happiness"]), task="emotion",
                            label_map={"happiness": "joy"}).tolist() == ["joy", "anger", "joy"]
    weibo = pd.read_csv(WEIBO, dtype=str, keep_default_na=False)
    joy = weibo.assign(emotion=weibo["emotion"].replace({"happiness": "joy"}))
    path = Path("joy.csv")
    joy.to_csv(path, index=False)
    renamed = evaluate_file(path, task="emotion", label_col="emotion",
                            label_map="happiness=joy,like=joy,disgust=anger")
    plain = evaluate_file(WEIBO, task="emotion", label_col="emotion", label_map="like=happiness,disgust=anger")
    assert renamed.n == plain.n == 42 and "joy" in renamed.labels
    assert (renamed.accuracy, renamed.macro_f1) == (plain.accuracy, plain.macro_f1)


def test_label_errors_show_an_example_of_the_task() -> None:
    with pytest.raises(InputError) as polarity:
        normalise_labels(pd.Series(["支持", "反对"]))
    assert "happiness" not in str(polarity.value) and "--map \"支持=positive" in str(polarity.value)
    with pytest.raises(InputError, match="--map \"like=happiness"):
        normalise_labels(pd.Series(["like"]), task="emotion")


@pytest.mark.parametrize("spec", ["0=正面,1=中性,2=负面", "0=pos,1=neu,2=neg", "0=正面，1=中性，2=負面",
                                  "0=positive，1=neutral，2=negative", "0＝positive,1=neutral,2=negative"])
def test_labels_names_are_label_words_and_a_full_width_comma_separates(spec: str) -> None:
    """--labels NAMEs go through the file's label-word table (正面, pos ...); a full-width
    comma separates pairs. All were 'unknown labels ['0', '1', '2']' until 2026-12-07."""
    codes = parse_labels(spec)
    assert list(codes) == ["0", "1", "2"]
    assert normalise_labels(pd.Series(["2", "0", "1"]), codes=codes).tolist() == \
        ["negative", "positive", "neutral"]


def test_labels_with_a_name_that_is_no_class_blame_the_name() -> None:
    with pytest.raises(InputError, match="NAME 'angry' is not a polarity class; use "
                                         "negative/neutral/positive") as error:
        normalise_labels(pd.Series(["0", "1"]), codes=parse_labels("0=positive,1=angry"))
    assert "unknown labels" not in str(error.value)
    with pytest.raises(InputError, match="NAME '开心' is not a emotion class"):
        normalise_labels(pd.Series(["0"]), task="emotion", codes=parse_labels("0=开心"))
    # a NAME that --map folds is a class too
    assert normalise_labels(pd.Series(["0", "1"]), task="emotion", codes=parse_labels("0=like,1=喜悦"),
                            label_map=parse_map("like=happiness")).tolist() == ["happiness", "happiness"]
    assert parse_map("like=happiness，none=neutral") == {"like": "happiness", "none": "neutral"}


def test_bootstrap_macro_f1_averages_the_classes_each_resample_holds() -> None:
    """11 rows, all right, one neutral: a resample without the neutral row scored 2/3 (F1 0 for
    the missing class), so the interval was [0.6667, 1.0] for a perfect file."""
    truth = np.array(["positive"] * 5 + ["negative"] * 5 + ["neutral"])
    labels = ["negative", "neutral", "positive"]
    assert bootstrap_intervals(truth, truth, labels)["macro_f1_ci"] == (1.0, 1.0)
    assert figures(truth, truth, labels)["macro_f1"] == 1.0
    # a class only predicted counts, as in scikit-learn: wrong predictions still cost
    predicted = truth.copy()
    predicted[0] = "neutral"
    low, high = bootstrap_intervals(truth, predicted, labels)["macro_f1_ci"]
    assert low < figures(truth, predicted, labels)["macro_f1"] <= high


def test_map_folds_the_bands_predictions_too(tmp_path) -> None:
    """--map neutral=negative with a band: the band's neutral answers were kept as 'neutral'
    (a neutral column of errors, accuracy 0.54 instead of 0.97 on 600 CCF news rows)."""
    weibo = pd.read_csv(WEIBO, dtype=str, keep_default_na=False)
    names = {"happiness": "positive", "like": "positive", "surprise": "neutral"}
    weibo["sentiment"] = weibo["emotion"].map(names).fillna("negative")
    path = tmp_path / "weibo3.csv"
    weibo.to_csv(path, index=False)
    # a band of 0..1 answers neutral for every text: folded, every answer is negative
    result = evaluate_file(path, text_col="text", label_col="sentiment", label_map="neutral=negative",
                           neutral_band="0,1")
    assert result.labels == ["negative", "positive"]
    assert list(result.confusion.columns) == ["negative", "positive"]
    assert result.confusion["positive"].sum() == 0
    truth = weibo["sentiment"].replace("neutral", "negative")
    assert result.accuracy == round(float((truth == "negative").mean()), 4)


def test_lexicon_evaluation_labels_as_the_stage_does(tmp_path) -> None:
    """Without --neutral-band the lexicon took the argmax of (1-s, tie, s): neutral only at
    s = 0.5, where the stage labels its band 0.4..0.6 neutral (房间很干净，但是服务不太好: 0.56)."""
    from opinion.config import SentimentSettings
    from opinion.sentiment.score import score_documents

    rows = pd.DataFrame({"text": ["房间很干净，但是服务不太好", "太好吃了，强烈推荐！", "质量太差了，很失望。",
                                  "明天上午九点开会。"],
                         "label": ["neutral", "positive", "negative", "neutral"]})
    path = tmp_path / "three.csv"
    rows.to_csv(path, index=False)
    result = evaluate_file(path, method="lexicon")
    stage = score_documents(rows["text"].tolist(), SentimentSettings(method="lexicon"))[S.SENTIMENT_LABEL]
    assert stage[0] == "neutral"
    expected = figures(rows["label"].to_numpy(), stage.to_numpy(), result.labels)
    assert (result.accuracy, result.macro_f1) == (expected["accuracy"], expected["macro_f1"])
    assert result.confusion.to_numpy().tolist() == expected["confusion"].tolist()
    assert evaluate_file(path, method="lexicon", neutral_band="0.4,0.6").accuracy == result.accuracy
    # a positive/negative file is still scored as positive vs negative
    binary = evaluate_file(REVIEWS, text_col="text", label_col="label", method="lexicon")
    assert binary.labels == ["negative", "positive"]


def _reviews(tmp_path: Path, name: str, rows: pd.DataFrame) -> Path:
    path = tmp_path / name
    rows.to_csv(path, index=False)
    return path


def test_a_file_of_one_class_is_not_a_perfect_score(tmp_path) -> None:
    """With one class the argmax ran over one column: 50 glowing reviews labelled negative
    scored accuracy 1.0 (CI 1.0-1.0)."""
    reviews = pd.read_csv(REVIEWS, dtype=str)
    positive = reviews[reviews.label == "1"].head(12).assign(label="0")  # labelled negative
    result = evaluate_file(_reviews(tmp_path, "one.csv", positive))
    assert result.accuracy < 0.5 and "positive" in result.labels
    assert any("one class (negative)" in note for note in result.notes)
    assert "note: the file uses one class" in str(result)


def test_only_a_binary_scheme_narrows_the_predictions(tmp_path) -> None:
    from opinion.sentiment.evaluate import scheme_classes

    assert scheme_classes({"negative", "positive"}, task="polarity", label_map={}) == ["negative", "positive"]
    assert scheme_classes({"negative", "positive"}, task="polarity", label_map={}, three_codes=True) == \
        ["negative", "neutral", "positive"]
    assert scheme_classes({"negative", "neutral"}, task="polarity", label_map={}) == \
        ["negative", "neutral", "positive"]
    assert len(scheme_classes({"happiness", "anger"}, task="emotion", label_map={})) == 6
    assert scheme_classes({"anger"}, task="emotion", label_map={},
                          codes={"0": "happiness", "1": "anger"}) == ["happiness", "anger"]


def test_an_unquoted_comma_in_the_first_row_names_the_line(tmp_path) -> None:
    """pandas made the first column an index: every later row's label moved into text and
    the file evaluated as "n: 1 (3 rows skipped)", accuracy 1.0. The row is rejected by line
    (since 2026-12-08, as `opinion load` does; it was an error that stopped the run)."""
    path = tmp_path / "comma.csv"
    path.write_text("text,label\n房间很大,就是有点吵,0\n服务很好,1\n早餐太差了,0\n", encoding="utf-8")
    result = evaluate_file(path)
    assert (result.n, result.rows_read, result.skipped) == (2, 3, 0)
    assert "n: 2 (3 rows read: 1 rejected)" in str(result)
    assert "rejected: comma.csv line 2: ragged row: 3 fields, header has 2 (quote a field" in str(result)
    with pytest.raises(InputError, match="not a file"):  # a folder was an IsADirectoryError traceback
        read_table(tmp_path)


def test_label_codes_reading_is_said_and_na_is_blank(tmp_path) -> None:
    """A -1/0/1 file without -1 read 0 as negative silently; one NA made -1 "unknown"."""
    rows = pd.DataFrame({"text": ["央行宣布下调存款准备金率", "股价暴跌，投资者损失惨重", "新品发布会圆满成功",
                                  "公司召开年度股东大会", "业绩大幅下滑", "用户好评如潮"],
                         "label": ["0", "-1", "1", "NA", "-1", "1"]})
    result = evaluate_file(_reviews(tmp_path, "news.csv", rows))
    assert "neutral" in result.labels  # 0 read as neutral: -1 is in the file
    assert (result.n, result.skipped, result.skipped_reasons["without a label"]) == (5, 1, 1)
    assert not any("read as 0=negative" in note for note in result.notes)
    no_negative = evaluate_file(_reviews(tmp_path, "subset.csv", rows[rows.label.isin(["0", "1"])]))
    assert any("read as 0=negative, 1=positive" in note and "--labels" in note for note in no_negative.notes)
    with pytest.raises(InputError, match=r"unknown labels \['2'\]"):  # -1 is no longer blamed
        normalise_labels(pd.Series(["-1", "0", "1", "2", "null", "NaN"]))


def test_overlap_line_names_a_custom_model_or_says_unknown(tmp_path) -> None:
    import shutil

    from opinion.sentiment.model import default_model_path

    copy = tmp_path / "copy.safetensors"  # no .seen beside it
    shutil.copyfile(default_model_path(), copy)
    result = evaluate_file(REVIEWS, model_path=str(copy))
    assert result.seen_in_training is None
    assert f"training overlap: unknown (no .seen file beside {copy})" in str(result)
    shutil.copyfile(default_model_path().with_suffix(".seen"), copy.with_suffix(".seen"))
    seen = evaluate_file(REVIEWS, model_path=str(copy))
    # a byte-identical copy is the shipped model by its SHA-256 (the path alone decided until 2026-12-08)
    assert f"the model is {copy}, the shipped model's file (same SHA-256)" in seen.overlap_line()


def test_broken_bytes_duplicates_and_a_full_width_band(tmp_path) -> None:
    """A GB18030 file with one broken byte could not be evaluated at all; 20 texts x 10 rows
    were counted as 200 rows of evidence without a word."""
    text = "text,label\n" + "".join(f"{t},{y}\n" for t, y in [("服务态度很好", 1), ("房间太小了", 0)] * 3)
    data = text.encode("gb18030")
    cut = data.index("房".encode("gb18030"))
    path = tmp_path / "broken.csv"
    path.write_bytes(data[:cut] + b"\x80" + data[cut:])
    result = evaluate_file(path, neutral_band="0.4，0.6")
    assert result.n == 6 and result.duplicate_texts == 2
    assert any("1 rows held bytes" in note for note in result.notes)
    assert any("2 texts occur on more than one row (5 rows)" in note for note in result.notes)
    assert json.loads(result.to_json())["duplicate_texts"] == 2


def test_cli_explain_reads_gbk_standard_input() -> None:
    """`explain -` read sys.stdin as UTF-8: GBK input was a UnicodeEncodeError traceback."""
    result = runner.invoke(app, ["sentiment", "explain", "-"], input="你好，服务很差".encode("gb18030"))
    assert result.exit_code == 0, result.output
    assert "差 -" in result.output and "Traceback" not in result.output
    cut = "房间很干净，服务很好".encode()[:-1]  # a character cut short
    assert runner.invoke(app, ["sentiment", "explain", "-"], input=cut).exit_code == 0
