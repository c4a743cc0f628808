"""The topic stage when things go wrong (findings of 2026-12-07): a period of only duplicates,
a warning other libraries silence, a rejected setting, the export's period, an all-spam
corpus, and the outlier row after a drop. Real titles and posts of tests/data/topics."""

from __future__ import annotations

import csv
import json
import warnings
from functools import partial
from pathlib import Path

import pandas as pd
import pytest
from test_topics_model import DATA, build_workspace, write_workspace
from typer.testing import CliRunner

from opinion import schema as S
from opinion.cli import app
from opinion.cli.common import warnings_to_stderr
from opinion.config import TopicSettings, store_settings
from opinion.errors import InputError, OpinionWarning
from opinion.io.workspace import Workspace
from opinion.topics import embed
from opinion.topics.edits import TopicEdit, apply_edits, check_edit
from opinion.topics.settings import TooFewDocumentsError
from opinion.topics.skipped import KEY as SKIPPED
from opinion.topics.stage import fit_topics

runner = CliRunner()


@pytest.fixture(scope="module", autouse=True)
def _small_tfidf():
    """A 32-dimension tfidf embedder keeps these tests fast (the default is 256)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(embed._REGISTRY, "tfidf", partial(embed.TfidfEmbedder, dim=32))
        yield


def _titles(n: int) -> list[str]:
    news = pd.read_csv(DATA / "thucnews_titles_400.tsv", sep="\t", quoting=csv.QUOTE_NONE)
    return news["title"].head(n).tolist()


def _manifest(root: Path) -> dict:
    return json.loads((root / "manifest.json").read_text(encoding="utf-8"))


# --- 1. a period whose documents are all duplicates --------------------------------------
def test_a_period_of_only_duplicates_keeps_its_count_and_gets_no_words(tmp_path: Path) -> None:
    titles = _titles(300)
    rows = [("news", f"2020-01-{1 + i % 28:02d}", t) for i, t in enumerate(titles)]
    rows.append(("news", "2020-03-30", titles[0]))  # an exact copy, alone on its day
    ws = write_workspace(tmp_path / "ws", rows)
    fit_topics(ws, embedding="tfidf", seed=7, workers=1)  # was: KeyError Timestamp('2020-03-30')
    over_time = ws.read(S.TOPICS_OVER_TIME)
    day = over_time[over_time["period"] == pd.Timestamp("2020-03-30")]
    assert day["count"].tolist() == [1] and day["words"].tolist() == [""]
    assert day["share"].tolist() == [1.0]
    first = ws.read(S.TOPIC_DOCS).set_index(S.DOC_ID)[S.TOPIC_ID]["d0001"]
    assert day[S.TOPIC_ID].tolist() == [first]  # where its first copy went
    # sizes count every document: the counts over time add up to them
    sizes = ws.read(S.TOPICS).set_index(S.TOPIC_ID)["size"]
    assert over_time.groupby(S.TOPIC_ID)["count"].sum().to_dict() == sizes.to_dict()
    assert (over_time.loc[over_time["period"] < pd.Timestamp("2020-03-01"), "words"] != "").all()


# --- 2. the warning survives a library that silences UserWarning ------------------------
def test_opinion_warnings_print_after_a_library_silences_user_warnings(capsys: pytest.CaptureFixture) -> None:
    with warnings_to_stderr():
        warnings.filterwarnings("ignore", category=UserWarning)  # what `import bertopic` does
        warnings.warn(OpinionWarning("3 topic edit(s) were made on an earlier topic model"), stacklevel=1)
    assert "warning: 3 topic edit(s) were made on an earlier topic model" in capsys.readouterr().err


# --- 3. a rejected setting leaves the workspace as it was --------------------------------
@pytest.fixture
def fitted(tmp_path: Path) -> Workspace:
    ws = build_workspace(tmp_path / "ws")
    fit_topics(ws, embedding="tfidf", seed=7, workers=1)
    return Workspace.open(ws.root)


def test_a_rejected_topic_setting_is_not_stored_and_keeps_the_topics(fitted: Workspace) -> None:
    before = _manifest(fitted.root)
    tables = fitted.read(S.TOPICS)
    result = runner.invoke(app, ["topics", "-w", str(fitted.root), "--min-topic-size", "300", "--workers", "1"])
    assert result.exit_code == 1 and "topics need at least 600" in result.output, result.output
    after = _manifest(fitted.root)
    assert after["settings"] == before["settings"] and after["stages"] == before["stages"]
    assert SKIPPED not in after  # old topics and no "skipped" note: consistent
    pd.testing.assert_frame_equal(Workspace.open(fitted.root).read(S.TOPICS), tables)
    assert fit_topics(fitted.root, workers=1).skipped  # the next plain fit: nothing changed


def test_a_run_too_small_for_its_settings_clears_the_topics_and_keeps_the_old_setting(fitted: Workspace) -> None:
    from opinion.pipeline import PipelineResult, _topics

    result = PipelineResult(workspace=fitted.root)
    settings = TopicSettings(embedding="tfidf", seed=7, min_topic_size=300)
    _topics(fitted, result, {"workers": 1}, settings, echo=False)
    assert "topics skipped" in result.notices[0]
    manifest = _manifest(fitted.root)
    assert manifest[SKIPPED]["needed"] == 600 and not (fitted.root / "topics.parquet").exists()
    assert manifest["settings"]["topics"]["min_topic_size"] != 300


# --- 4. the export's timelines follow the topic period -----------------------------------
def test_the_export_follows_the_topic_period_unless_given_its_own(tmp_path: Path) -> None:
    from factory import make_workspace

    from opinion.report.export import export_workspace

    ws = make_workspace(tmp_path / "ws")
    store_settings(ws, TopicSettings(period="week"))  # `opinion topics --period week`
    export_workspace(ws, tmp_path / "week", formats="csv")
    periods = pd.to_datetime(pd.read_csv(tmp_path / "week" / "topics_over_time.csv")["period"])
    assert (periods.dt.dayofweek == 0).all()  # week starts: Mondays (the posts' days are not)
    export_workspace(ws, tmp_path / "day", formats="csv", period="day")
    periods = pd.to_datetime(pd.read_csv(tmp_path / "day" / "topics_over_time.csv")["period"])
    assert (periods.dt.dayofweek != 0).any()


# --- 5. a corpus of spam -----------------------------------------------------------------
def test_an_all_spam_corpus_says_so_and_edit_and_assign_do_not_advise_a_refit(tmp_path: Path) -> None:
    ws = write_workspace(tmp_path / "ws", [("weibo", "2020-02-01", t) for t in _titles(40)], parts=1)
    corpus = ws.read(S.CORPUS)
    ws.write_part(S.FLAGS, ws.parts(S.CORPUS)[0], pd.DataFrame({
        S.DOC_ID: corpus[S.DOC_ID], S.NEAR_DUPLICATE_OF: None, S.SPAM_SCORE: 0.6, S.IS_SPAM: True}))
    with pytest.raises(TooFewDocumentsError, match="40 more with words were left out as near-duplicates "
                       "or spam.*keep_duplicates"):
        fit_topics(ws, embedding="tfidf", workers=1)
    assert _manifest(ws.root)[SKIPPED]["have"] == 0
    new = tmp_path / "new.txt"
    new.write_text("武汉加油\n", encoding="utf-8")
    for args in (["edit", "-w", str(ws.root), "--rename", "1=口罩"], ["assign", "-w", str(ws.root), str(new)]):
        result = runner.invoke(app, ["topics", *args])
        assert result.exit_code == 1 and "not fitted" in result.output and "keep_duplicates" in result.output
        assert "run `opinion topics" not in result.output, result.output
    assert not fit_topics(ws, embedding="tfidf", workers=1, keep_duplicates=True).skipped


# --- 6. messages and the outlier row of an edit ------------------------------------------
def test_dropping_the_outliers_is_refused_in_plain_english() -> None:
    with pytest.raises(InputError, match="cannot be dropped;"):
        check_edit(TopicEdit("drop", (-1,)))


def test_a_drop_makes_an_outlier_row_like_the_models() -> None:
    info = pd.DataFrame({S.TOPIC_ID: [0, 1], "label": ["口罩·防护", "直播·带货"], "size": [6, 4],
                         "share": [0.6, 0.4], "coherence": [0.3, 0.2], "is_generic": [False, False]})
    topics, _ = apply_edits(info, None, [TopicEdit("drop", (1,))])
    outliers = topics.set_index(S.TOPIC_ID).loc[-1]
    assert outliers["coherence"] == 0.0 and bool(outliers["is_generic"]) is True
    assert topics["is_generic"].dtype == bool and topics["coherence"].notna().all()
    assert outliers["size"] == 4


# --- 7. the row order of the corpus does not change the topics ---------------------------
def test_the_same_documents_in_another_order_give_the_same_topics() -> None:
    from test_topics_model import _rows

    from opinion.topics.topic_model import TopicModel

    texts = [text for _, _, text in _rows()]
    shuffled = pd.Series(texts).sample(frac=1, random_state=3).tolist()
    seen = []
    for order in (texts, texts[::-1], shuffled):
        model = TopicModel(embedding="tfidf", seed=7).fit(order)
        docs = model.documents_.assign(text=order)
        topics = model.topics_[[S.TOPIC_ID, "label", "size", "top_terms"]].to_dict("records")
        seen.append((dict(zip(docs["text"], docs[S.TOPIC_ID])), topics))
    assert seen[0] == seen[1] == seen[2]  # the same topics, ids and documents in each


# --- topics per source name sources as the report does ----------------------------------
def test_topics_per_source_names_file_sources_as_the_report_does(tmp_path: Path) -> None:
    """Inputs without a source column were all `(未知)` in topics_per_source (all 57 days of
    the 620k Weibo posts, 2026-12-07); two files sharing a name stay two sources."""
    from opinion.io.load import load_corpus
    from opinion.prepare import prepare_workspace

    titles = _titles(300)
    paths = []
    for folder, chunk in (("sina", titles[:150]), ("qq", titles[150:])):
        (tmp_path / folder).mkdir()
        pd.DataFrame({"text": chunk}).to_csv(tmp_path / folder / "news.csv", index=False)
        paths.append(str(tmp_path / folder / "news.csv"))
    load_corpus(paths, tmp_path / "ws")
    prepare_workspace(tmp_path / "ws", workers=1)
    ws = Workspace.open(tmp_path / "ws")
    fit_topics(ws, embedding="tfidf", seed=7, workers=1)
    per_source = ws.read(S.TOPICS_PER_SOURCE)
    assert per_source.groupby(S.SOURCE)["count"].sum().to_dict() == {"sina/news.csv": 150, "qq/news.csv": 150}


def test_the_sample_above_sample_size_does_not_follow_the_row_order(tmp_path: Path) -> None:
    """Above --sample the fit took the rows with the smallest random keys by position, so the
    620k posts in another row order were fitted on another sample; the keys are now a seeded
    hash of each text."""
    from opinion.io.load import load_corpus
    from opinion.prepare import prepare_workspace
    from opinion.topics.fit import scan_corpus

    titles = _titles(300)
    chosen = []
    for name, order in (("forward", titles), ("reversed", titles[::-1])):
        path = tmp_path / f"{name}.csv"
        pd.DataFrame({"text": order}).to_csv(path, index=False)
        load_corpus([str(path)], tmp_path / name)
        prepare_workspace(tmp_path / name, workers=1)
        scan = scan_corpus(Workspace.open(tmp_path / name))
        rows, sampled = scan.fit_rows(100, seed=42, period="day")
        assert sampled and 90 <= len(rows) <= 100
        chosen.append(set(scan.text_hash[rows]))
        other = set(scan.text_hash[scan.fit_rows(100, seed=7, period="day")[0]])
    assert chosen[0] == chosen[1] and other != chosen[1]
