"""The sentiment stage: score_part (pure, per theme), score_workspace (skip, workers), labels."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from test_prepare import write_text_corpus

from opinion import schema as S
from opinion.errors import InputError, StageOrderError, WorkspaceError
from opinion.io.workspace import Workspace
from opinion.prepare import prepare_workspace
from opinion.sentiment.score import (
    SentimentSettings,
    band_labels,
    explain_text,
    label_scores,
    parse_band,
    score_part,
    score_sentences,
    score_texts,
    score_workspace,
)

PART = pd.DataFrame({
    S.DOC_ID: ["a", "b", "c", "d", "e"],
    S.TEXT_NORM: ["主播很诚信，品控很好。但是售后太差了，再也不信任了！",
                  "主播很诚信，品控很好。但是售后太差了，再也不信任了！",  # duplicate
                  "",
                  "今天天气不错[哈哈]",
                  "国货真香😍"],
    "theme_信任": [4, 4, 0, 0, 0],
    "theme_国货": [0, 0, 0, 0, 2],
})


@pytest.mark.parametrize("method", ["model", "lexicon"])
def test_score_part_columns_and_values(method: str) -> None:
    out = score_part(PART, SentimentSettings(method=method))
    assert list(out.columns) == [
        S.DOC_ID, S.SENTIMENT_SCORE, S.SENTIMENT_LABEL,
        *[S.SENTIMENT_PROB_PREFIX + c for c in ("negative", "neutral", "positive")],
        S.EMOTION_LABEL, *[S.EMOTION_PROB_PREFIX + e for e in S.EMOTIONS],
        "sentiment_theme_信任", "sentiment_theme_国货"]
    assert out[S.DOC_ID].tolist() == ["a", "b", "c", "d", "e"]
    assert out.loc[0, S.SENTIMENT_SCORE] == out.loc[1, S.SENTIMENT_SCORE]
    assert np.isnan(out.loc[2, S.SENTIMENT_SCORE]) and out.loc[2, S.SENTIMENT_LABEL] is None
    assert out.loc[2, S.EMOTION_LABEL] is None
    assert out.loc[3, S.SENTIMENT_LABEL] == "positive"
    assert out.loc[3, S.EMOTION_LABEL] == "happiness"
    emotions = out[[S.EMOTION_PROB_PREFIX + e for e in S.EMOTIONS]].dropna()
    assert np.allclose(emotions.sum(axis=1), 1.0)
    probs = out[[c for c in out.columns if c.startswith(S.SENTIMENT_PROB_PREFIX)]]
    if method == "model":
        assert np.allclose(probs.dropna().sum(axis=1), 1.0)
        assert np.allclose(out[S.SENTIMENT_SCORE].dropna(), probs[S.SENTIMENT_PROB_PREFIX + "positive"].dropna())
    else:
        assert probs.isna().all().all()
    # 信任 is in both sentences of a; 国货 only in e; nothing for c, d
    assert out["sentiment_theme_信任"].notna().tolist() == [True, True, False, False, False]
    assert out["sentiment_theme_国货"].notna().tolist() == [False, False, False, False, True]


def test_score_part_labels_from_the_model_or_from_a_band() -> None:
    part = pd.DataFrame({S.DOC_ID: ["w", "p"], S.TEXT_NORM: ["明天白天多云转晴，最高气温二十三度。",
                                                          "太好吃了，强烈推荐！"]})
    default = score_part(part, SentimentSettings())
    assert default[S.SENTIMENT_LABEL].tolist() == ["neutral", "positive"]
    everything_neutral = score_part(part, SentimentSettings(neutral_band=(0.0, 1.0)))
    assert everything_neutral[S.SENTIMENT_LABEL].tolist() == ["neutral", "neutral"]


def test_score_part_theme_score_is_mean_of_its_sentences() -> None:
    part = pd.DataFrame({S.DOC_ID: ["x"], S.TEXT_NORM: ["品控很好，值得信任。物流太慢了！"],
                         "theme_信任": [3]})
    out = score_part(part, SentimentSettings())
    sentences = score_sentences(part.loc[0, S.TEXT_NORM])
    assert len(sentences) == 2
    assert out.loc[0, "sentiment_theme_信任"] == pytest.approx(sentences.loc[0, S.SENTIMENT_SCORE])
    assert out.loc[0, "sentiment_theme_信任"] > sentences.loc[1, S.SENTIMENT_SCORE]


def test_score_part_is_pure() -> None:
    settings = SentimentSettings()
    first = score_part(PART.copy(), settings)
    pd.testing.assert_frame_equal(score_part(PART.iloc[::-1].reset_index(drop=True), settings),
                                  first.iloc[::-1].reset_index(drop=True))
    pd.testing.assert_frame_equal(score_part(PART, settings), first)


def test_score_part_rejects_missing_columns_and_unknown_themes() -> None:
    with pytest.raises(WorkspaceError, match="opinion prepare"):
        score_part(PART.drop(columns=[S.TEXT_NORM]), SentimentSettings())
    with pytest.raises(WorkspaceError, match="不存在"):
        score_part(PART.assign(**{"theme_不存在": 1}), SentimentSettings())


@pytest.mark.parametrize("band, expected", [
    ("0.4,0.6", (0.4, 0.6)), ((0.3, 0.7), (0.3, 0.7)), ("0.5,0.5", (0.5, 0.5)), ("", None),
])
def test_parse_band(band, expected) -> None:
    assert parse_band(band) == expected


@pytest.mark.parametrize("band", ["0.6,0.4", "0.4", "a,b", "-0.1,0.5"])
def test_parse_band_rejects(band) -> None:
    with pytest.raises(InputError, match="neutral_band"):
        parse_band(band)


def test_parse_band_none_names_the_command_that_clears_a_band() -> None:
    with pytest.raises(InputError, match="opinion sentiment -w WS --neutral-band none"):
        parse_band("none")  # in `opinion run` or a TOML, where no stored band is cleared


def test_label_scores_with_band() -> None:
    assert band_labels(np.array([[0.1, 0.8, 0.1], [0.7, 0.1, 0.2], [0.0, 0.2, 0.8]]),
                       (0.4, 0.6)).tolist() == ["neutral", "negative", "positive"]
    labels = label_scores(np.array([0.39, 0.4, 0.6, 0.61, np.nan]), (0.4, 0.6))
    assert labels.tolist() == ["negative", "neutral", "neutral", "positive", None]
    assert label_scores(np.array([0.5]), (0.5, 0.5)).tolist() == ["neutral"]


def test_settings_reject_unknown_method() -> None:
    with pytest.raises(InputError, match="method must be one of"):
        SentimentSettings(method="bert")


def test_score_texts_and_explain_text() -> None:
    scores = score_texts(["服務很好", "服务很差", ""])
    assert scores[0] > 0.5 > scores[1] and np.isnan(scores[2])
    explained = explain_text("房間很乾淨，但是服務不太好")
    assert explained.startswith("model: ") and "emotion " in explained
    assert "干净 +" in explained and "好 -" in explained and "(不 太)" in explained


@pytest.fixture
def prepared_ws(tmp_path) -> Workspace:
    ws = write_text_corpus(tmp_path / "ws", weibo_rows=40)
    prepare_workspace(ws, workers=1)
    return ws


def test_score_workspace_writes_parts_and_skips_unchanged(prepared_ws: Workspace) -> None:
    report = score_workspace(prepared_ws, workers=1)
    assert report.computed == ["a-00000", "b-00000"]
    table = prepared_ws.read(S.SENTIMENT)
    prepared = prepared_ws.read(S.PREPARED)
    assert table[S.DOC_ID].tolist() == prepared[S.DOC_ID].tolist()
    themes = [c for c in prepared.columns if c.startswith(S.THEME_PREFIX)]
    assert [S.THEME_SENTIMENT_PREFIX + c[len(S.THEME_PREFIX):] for c in themes] == \
        [c for c in table.columns if c.startswith(S.THEME_SENTIMENT_PREFIX)]
    # a theme score exists exactly where the document mentions the theme
    for column in themes:
        name = S.THEME_SENTIMENT_PREFIX + column[len(S.THEME_PREFIX):]
        assert (table[name].notna() <= (prepared[column] > 0)).all()
    assert table.filter(like=S.THEME_SENTIMENT_PREFIX).notna().any().any()
    again = score_workspace(prepared_ws, workers=1)
    assert again.computed == [] and again.skipped == ["a-00000", "b-00000"]
    lexicon = score_workspace(prepared_ws, workers=1, method="lexicon")
    assert lexicon.computed == ["a-00000", "b-00000"]


def test_score_workspace_two_workers_identical(prepared_ws: Workspace, tmp_path) -> None:
    score_workspace(prepared_ws, workers=1)
    one = prepared_ws.read(S.SENTIMENT)
    other = write_text_corpus(tmp_path / "ws2", weibo_rows=40)
    prepare_workspace(other, workers=1)
    report = score_workspace(other, workers=2)
    assert report.workers == 2
    pd.testing.assert_frame_equal(other.read(S.SENTIMENT), one)


def test_score_workspace_requires_prepare(tmp_path) -> None:
    ws = write_text_corpus(tmp_path / "ws")
    with pytest.raises(StageOrderError, match="opinion prepare"):
        score_workspace(ws)


@pytest.mark.parametrize("value, expected", [("none", None), ("Off", None), ("", None), (None, None),
                                             ("0.3,0.7", (0.3, 0.7))])
def test_band_option_none_and_off_mean_no_band(value, expected) -> None:
    from opinion.sentiment.score import band_option

    assert band_option(value) == expected


def test_a_stored_band_is_cleared_by_none_off_or_empty(prepared_ws: Workspace) -> None:
    """A band, once given, was kept by every later run: no --neutral-band value meant "off"
    ('none' and 'off' were rejected, '' was ignored) until 2026-12-07."""
    from typer.testing import CliRunner

    from opinion.cli import app
    from opinion.config import settings_for
    from opinion.sentiment.datasets import POLARITIES

    def stored() -> tuple[float, float] | None:
        return settings_for(Workspace.open(prepared_ws.root), SentimentSettings).neutral_band

    def argmax_labels() -> bool:
        table = prepared_ws.read(S.SENTIMENT).dropna(subset=[S.SENTIMENT_LABEL])
        probs = table[[S.SENTIMENT_PROB_PREFIX + c for c in POLARITIES]].to_numpy()
        return table[S.SENTIMENT_LABEL].tolist() == [POLARITIES[i] for i in probs.argmax(axis=1)]

    score_workspace(prepared_ws, workers=1, neutral_band="0.45,0.55")
    assert stored() == (0.45, 0.55) and not argmax_labels()
    score_workspace(prepared_ws, workers=1)
    assert stored() == (0.45, 0.55)  # left out: kept
    for off in ("none", "OFF", ""):
        score_workspace(prepared_ws, workers=1, neutral_band=off)
        assert stored() is None and argmax_labels()
        score_workspace(prepared_ws, workers=1, neutral_band="0.45,0.55")
    runner = CliRunner()
    for off in ("off", ""):
        result = runner.invoke(app, ["sentiment", "-w", str(prepared_ws.root), "--workers", "1",
                                     "--neutral-band", off])
        assert result.exit_code == 0, result.output
        assert stored() is None and argmax_labels()
        score_workspace(prepared_ws, workers=1, neutral_band="0.45,0.55")
    help_text = runner.invoke(app, ["sentiment", "--help"], env={"COLUMNS": "200"}).output
    assert "'none' or 'off': no band" in help_text


def test_score_part_reads_placeholders_as_the_raw_forms_the_model_was_trained_on() -> None:
    """text_norm's <USER>/<URL> were scored as tokens the model never saw: "<USER>" alone read
    negative 0.50, and 7.5 % of 1,000 @-posts changed label against their raw text."""
    from opinion.sentiment.score import model_text, score_documents

    part = pd.DataFrame({S.DOC_ID: ["a", "b", "c"],
                         S.TEXT_NORM: ["<USER> 谢谢你", "//<USER>:转发微博", "今天的新闻 <URL>"]})
    scored = score_part(part, SentimentSettings())
    raw_forms = ["@用户 谢谢你", "//@用户:转发微博", "今天的新闻 http://t.cn"]
    assert [model_text(t) for t in part[S.TEXT_NORM]] == raw_forms
    expected = score_documents(raw_forms, SentimentSettings())
    assert np.allclose(scored[S.SENTIMENT_SCORE], expected[S.SENTIMENT_SCORE])
    assert scored[S.SENTIMENT_LABEL].tolist() == expected[S.SENTIMENT_LABEL].tolist()
    assert model_text("价格<100元") == "价格<100元"


def test_a_stored_model_that_is_gone_is_one_line_and_default_goes_back(prepared_ws: Workspace,
                                                                      tmp_path) -> None:
    """A stored --model file that was deleted gave a FileNotFoundError traceback, and the
    shipped model could only be named by its site-packages path."""
    import shutil

    from typer.testing import CliRunner

    from opinion.cli import app
    from opinion.config import settings_for
    from opinion.sentiment.model import default_model_path

    copy = tmp_path / "m2.safetensors"
    shutil.copyfile(default_model_path(), copy)
    score_workspace(prepared_ws, workers=1, model_path=copy)
    copy.unlink()
    with pytest.raises(InputError, match="scored with model .*m2.safetensors, which is gone; .*--model default"):
        score_workspace(prepared_ws, workers=1)
    runner = CliRunner()
    result = runner.invoke(app, ["sentiment", "-w", str(prepared_ws.root), "--workers", "1", "--model", "default"])
    assert result.exit_code == 0, result.output
    assert settings_for(Workspace.open(prepared_ws.root), SentimentSettings).model_path == ""
    score_workspace(prepared_ws, workers=1, model_path="none")  # the Python form too


@pytest.mark.parametrize("post", [
    "#疫情期间停止影视剧拍摄#疫情快点过去吧?? ?",  # Weibo, 2020: negative in the workspace
    "#最新疫情地图#拜托来点好消息吧，快要绝望了?? ?",
])
def test_explain_text_scores_as_the_stage_does(post: str) -> None:
    """explain scored the raw text (?? kept), the stage the cleaned one (？): 3.7 % of 3,000
    posts got another label; it now cleans and normalises as prepare does."""
    from opinion.config import PrepareSettings
    from opinion.prepare import prepare_part

    prepared = prepare_part(pd.DataFrame({S.DOC_ID: ["p"], S.TEXT_RAW: [post]}), PrepareSettings())
    stage = score_part(prepared, SentimentSettings())[S.SENTIMENT_LABEL][0]
    assert explain_text(post).startswith(f"model: {stage} (")
