"""Placing documents (opinion/topics/assign.py): the tables count topic -1, and `topics assign`
gives a document of the corpus the topic the fit gave it, also after outlier reassignment and
with guided seeds. Texts: 400 THUCNews titles and 150 Weibo posts (tests/data/topics)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from opinion import schema as S
from opinion.io.workspace import Workspace
from opinion.prepare import prepare_part
from opinion.topics.fit import prepare_settings
from opinion.topics.model import assign_topics, fit_topics
from tests.test_topics_model import build_workspace


@pytest.fixture(scope="module", autouse=True)
def _small_tfidf():
    """A 32-dimension tfidf embedder keeps these tests fast (the default is 256)."""
    from functools import partial

    from opinion.topics import embed

    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(embed._REGISTRY, "tfidf", partial(embed.TfidfEmbedder, dim=32))
        yield


def _assigned_again(ws: Workspace) -> tuple[pd.DataFrame, pd.DataFrame]:
    """`topics assign` on the corpus's own texts and ids, beside ``topic_documents``, for the
    documents the text stage tokenises as the workspace stored them (the test workspace's
    tokens are written without the cleaning step, so a few emoji posts differ)."""
    corpus, prepared = ws.read(S.CORPUS), ws.read(S.PREPARED)
    again = prepare_part(pd.DataFrame({S.DOC_ID: corpus[S.DOC_ID], S.TEXT_RAW: corpus[S.TEXT_RAW]}),
                         prepare_settings(ws))
    same = np.array([list(a) == list(b) for a, b in zip(again[S.TOKENS], prepared[S.TOKENS])])
    assert same.mean() > 0.9
    out = assign_topics(ws, pd.DataFrame({S.DOC_ID: corpus[S.DOC_ID], "text": corpus[S.TEXT_RAW]}))
    return out[same].reset_index(drop=True), ws.read(S.TOPIC_DOCS)[same].reset_index(drop=True)


def test_tables_over_time_and_per_source_count_documents_without_a_topic(tmp_path: Path) -> None:
    """Topic -1 (here the empty Weibo post of 2020-02-10) has its rows, and shares are of all
    the period's or source's documents, as in topics.parquet and the exports (until
    2026-12-07 both tables left -1 out of rows and denominators)."""
    ws = build_workspace(tmp_path / "ws")
    fit_topics(ws, embedding="tfidf", seed=7, workers=1)
    docs = ws.read(S.TOPIC_DOCS).merge(ws.read(S.CORPUS)[[S.DOC_ID, S.PUBLISHED_AT, S.SOURCE]], on=S.DOC_ID)
    assert (docs[S.TOPIC_ID] == -1).sum() >= 1
    dated = docs.dropna(subset=[S.PUBLISHED_AT]).assign(period=lambda d: d[S.PUBLISHED_AT].dt.floor("D"))
    expected = dated.groupby([S.TOPIC_ID, "period"]).size().rename("expected").reset_index()
    expected["expected_share"] = expected["expected"] / expected.groupby("period")["expected"].transform("sum")
    over_time = ws.read(S.TOPICS_OVER_TIME).merge(expected, on=[S.TOPIC_ID, "period"], how="outer")
    assert (over_time["count"] == over_time["expected"]).all()
    assert np.allclose(over_time["share"], over_time["expected_share"])
    minus = over_time[over_time[S.TOPIC_ID] == -1]
    assert minus["period"].tolist() == [pd.Timestamp("2020-02-10")] and minus["words"].tolist() == [""]
    per_source = ws.read(S.TOPICS_PER_SOURCE).set_index([S.SOURCE, S.TOPIC_ID])
    weibo = docs[docs[S.SOURCE] == "weibo"]
    assert per_source.loc[("weibo", -1), "count"] == (weibo[S.TOPIC_ID] == -1).sum()
    assert per_source.loc["weibo", "count"].sum() == len(weibo)
    topic0 = (weibo[S.TOPIC_ID] == 0).sum() / len(weibo)
    assert per_source.loc[("weibo", 0), "share"] == pytest.approx(topic0)


def test_assign_gives_corpus_documents_their_topic_after_outlier_reassignment(tmp_path: Path) -> None:
    """With small clusters made outliers and reassigned, the fit placed them by the fit's topic
    centres and `assign` by the final ones: 25 of these documents moved (2026-12-07)."""
    ws = build_workspace(tmp_path / "ws")
    fit_topics(ws, embedding="tfidf", seed=7, nr_topics=12, min_topic_size=40, workers=1)
    assert json.loads((ws.root / "topic_metrics.json").read_text())["outlier_share"] > 0.1
    out, stored = _assigned_again(ws)
    assert out[S.TOPIC_ID].tolist() == stored[S.TOPIC_ID].tolist()
    assert out[S.TOPIC_ID_ORIGINAL].tolist() == stored[S.TOPIC_ID_ORIGINAL].tolist()
    assert np.allclose(out[S.TOPIC_PROB], stored[S.TOPIC_PROB], atol=1e-5)


def test_assign_gives_corpus_documents_their_topic_in_a_guided_tfidf_fit(tmp_path: Path) -> None:
    """Guided fits cluster embeddings moved towards the seed topics; placing without that step
    moved 74 of these documents (2026-12-07)."""
    ws = build_workspace(tmp_path / "ws")
    fit_topics(ws, embedding="tfidf", seed=7, guided=True, workers=1)
    out, stored = _assigned_again(ws)
    assert out[S.TOPIC_ID].tolist() == stored[S.TOPIC_ID].tolist()
    assert np.allclose(out[S.TOPIC_PROB], stored[S.TOPIC_PROB], atol=1e-5)
    # exact copies sit with their first copy, which the fit placed
    corpus = ws.read(S.CORPUS)
    topic = ws.read(S.TOPIC_DOCS).set_index(S.DOC_ID)[S.TOPIC_ID]
    copies = corpus.dropna(subset=[S.DUPLICATE_OF])
    assert (topic[copies[S.DOC_ID]].to_numpy() == topic[copies[S.DUPLICATE_OF]].to_numpy()).all()


# --- `opinion topics assign` on the command line -------------------------------------------
@pytest.fixture(scope="module")
def titles(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """The 400 real THUCNews titles alone, fit with the small tfidf: no document lacks words,
    so the model's labels have no -1."""
    from tests.test_topics_model import DATA, write_workspace

    news = pd.read_csv(DATA / "thucnews_titles_400.tsv", sep="\t", quoting=csv.QUOTE_NONE)
    ws = write_workspace(tmp_path_factory.mktemp("titles") / "ws", [("news", None, t) for t in news["title"]])
    fit_topics(ws, embedding="tfidf", seed=7, workers=1)
    assert -1 not in set(ws.read(S.TOPICS)[S.TOPIC_ID])
    return ws


def assign_cli(ws: Workspace, *args: str):
    from typer.testing import CliRunner

    from opinion.cli import app

    return CliRunner().invoke(app, ["topics", "assign", "-w", str(ws.root), *args])


def test_assign_labels_new_documents_without_words_as_the_outliers(titles: Workspace) -> None:
    """``？？？？`` and ``哈哈`` got topic -1 with an empty label, where the corpus's own such
    documents are 未归入主题."""
    out = assign_topics(titles, ["？？？？", "[赞][赞]", "曼联客场击败切尔西"])
    assert out[S.TOPIC_ID].tolist()[:2] == [-1, -1] and out[S.TOPIC_ID].iloc[2] != -1
    assert out[S.TOPIC_LABEL].tolist()[:2] == [S.OUTLIER_LABEL, S.OUTLIER_LABEL]


def test_assign_prints_one_line_per_document_and_reads_headerless_csv(titles: Workspace, tmp_path: Path) -> None:
    """A text with a newline and a tab printed as two lines with an extra field; the advice
    for a CSV without a header named a --columns option that assign did not have."""
    posts = tmp_path / "nl.csv"
    posts.write_text('content\n"武汉加油\n口罩告急\t=1+1"\n央行下调存款准备金率\n', encoding="utf-8")
    result = assign_cli(titles, str(posts))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 2 and [len(line.split("\t")) for line in lines] == [5, 5]
    assert lines[0].endswith("武汉加油 口罩告急 =1+1")
    headerless = tmp_path / "nums.csv"
    headerless.write_text("央行下调存款准备金率,财经\n曼联客场击败切尔西,体育\n", encoding="utf-8")
    result = assign_cli(titles, str(headerless), "--columns", "text,label")
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == 2  # the first row is a document too


def test_assign_out_is_checked_first_and_written_atomically(titles: Workspace, tmp_path: Path) -> None:
    """``-o nodir/x.csv`` gave a FileNotFoundError traceback after the whole assignment."""
    posts = tmp_path / "posts.txt"
    posts.write_text("央行下调存款准备金率\n曼联客场击败切尔西\n", encoding="utf-8")
    out = tmp_path / "new" / "assigned.csv"
    result = assign_cli(titles, str(posts), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert pd.read_csv(out)[S.DOC_ID].tolist() == ["posts-1", "posts-2"]
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    result = assign_cli(titles, str(posts), "-o", str(blocker / "x.csv"))
    assert result.exit_code == 1
    assert result.output.strip() == f"error: --out {blocker / 'x.csv'}: {blocker} is a file, not a folder; give another path"


def test_topic_prob_does_not_depend_on_the_part_size() -> None:
    """A float32 BLAS product rounds by the shape of its row block: `--chunk-rows 1000` and
    `50000` gave other last bits of `topic_prob` (84 of 11,205 Weibo posts; 33 of the 554
    documents of tests/test_topics_stage.py between 2 and 5 parts, 2026-12-08)."""
    from opinion.topics.assign import row_dots
    from opinion.topics.components import normalise_rows

    rng = np.random.default_rng(7)
    rows = np.abs(normalise_rows(rng.normal(size=(5000, 256)))).astype(np.float32)
    centre = np.abs(normalise_rows(rng.normal(size=(1, 256))))[0].astype(np.float32)
    whole = row_dots(rows, centre)
    for size in (1, 999, 1000, 4097):
        parts = np.concatenate([row_dots(rows[i:i + size], centre) for i in range(0, len(rows), size)])
        np.testing.assert_array_equal(parts, whole)
    assert whole.dtype == np.float64 and (whole.astype(np.float32) == whole).all()  # float32 values
    np.testing.assert_allclose(whole, rows.astype(np.float64) @ centre.astype(np.float64), atol=6e-8)


def test_assign_with_a_half_saved_model_is_a_one_line_error(titles: Workspace, tmp_path: Path) -> None:
    """A model folder a kill left without ``config.json``: `topics assign` was a
    FileNotFoundError traceback (2026-12-08)."""
    import shutil

    root = tmp_path / "ws"
    shutil.copytree(titles.root, root, ignore=shutil.ignore_patterns(".lock"))
    (root / "topic_model" / "config.json").unlink()
    (tmp_path / "new.csv").write_text("text\n曼联客场击败切尔西\n", encoding="utf-8")
    result = assign_cli(Workspace.open(root), str(tmp_path / "new.csv"))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "incomplete (config.json missing" in result.output and f"opinion topics -w {root}" in result.output


def test_assign_prints_each_post_as_written_in_its_own_script(titles: Workspace, tmp_path: Path) -> None:
    """h47 i18n #4: the printed post went through render(), the converter for Simplified words:
    a Taiwan post read in zh-Hant-TW had 宣布 → 宣佈 and 臺 → 台 written into it, a Traditional
    post read in zh-Hans stayed Traditional, and the text was cut before it was converted."""
    taiwan = "臺灣疾管署宣布口罩實名制，藥局裡排隊人潮眾多"
    hong_kong = "衞生署公布新增3宗確診個案，其中一宗源頭不明"
    posts = tmp_path / "posts.csv"
    posts.write_text(f"text\n{taiwan}\n{hong_kong}\n{'央行下调存款准备金率' * 7}\n", encoding="utf-8")
    shown = {}
    for script in ("zh-Hant-TW", "zh-Hans"):
        result = assign_cli(titles, str(posts), "--script", script)
        assert result.exit_code == 0, result.output
        shown[script] = [line.split("\t")[4] for line in result.stdout.splitlines()]
    assert shown["zh-Hant-TW"][:2] == [taiwan, hong_kong]
    assert shown["zh-Hans"][:2] == ["台湾疾管署宣布口罩实名制，药局里排队人潮众多", "卫生署公布新增3宗确诊个案，其中一宗源头不明"]
    assert shown["zh-Hant-TW"][2] == "央行下調存款準備金率" * 6 + "…"  # 60 characters, then the mark
