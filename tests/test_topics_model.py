"""Topics on a small real workspace: 400 THUCNews titles and 150 Weibo posts (see tests/data)."""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

import numpy as np
import opencc
import pandas as pd
import pytest
from typer.testing import CliRunner

from opinion import schema as S
from opinion.errors import InputError
from opinion.io.workspace import Workspace
from opinion.text.tokenize import tokenize
from opinion.topics.components import CentroidClusterer, topic_terms
from opinion.topics.model import TopicSettings, assign_topics, fit_topics
from opinion.topics.skipped import KEY as SKIPPED
from opinion.topics.skipped import skipped_note
from opinion.topics.store import MODEL_DIR, load_topic_model

DATA = Path(__file__).parent / "data" / "topics"
EXTRA = [  # Traditional, an emoji post, an empty text and an exact duplicate of a title
    ("weibo", "2020-02-01", "國貨品牌在直播間賣得很好，消費者信任度提升"),
    ("weibo", "2020-02-01", "😷😷😷 武汉加油"),
    ("weibo", "2020-02-10", ""),
]


def _rows() -> list[tuple[str, str | None, str]]:
    news = pd.read_csv(DATA / "thucnews_titles_400.tsv", sep="\t", quoting=csv.QUOTE_NONE)
    weibo = pd.read_csv(DATA / "weibo_posts_150.tsv", sep="\t", quoting=csv.QUOTE_NONE,
                        escapechar="\\", dtype=str)
    rows = [("news", None, t) for t in news["title"]]
    rows += [("weibo", d, t) for d, t in zip(weibo["date"], weibo["text"].fillna(""))]
    rows += EXTRA + [("news", None, news["title"][0])]
    return rows


def build_workspace(root: Path, *, parts: int = 2) -> Workspace:
    """The news titles and Weibo posts of tests/data/topics in a workspace (:func:`write_workspace`)."""
    return write_workspace(root, _rows(), parts=parts)


def write_workspace(root: Path, rows: list[tuple[str, str | None, str]], *, parts: int = 2) -> Workspace:
    """Corpus and prepared parts of ``(source, date, text)`` rows written directly: OpenCC
    t2s, then the text stage's jieba tokenizer (so that `assign` on the same texts sees the
    same tokens); ``parts`` parts."""
    t2s = opencc.OpenCC("t2s")
    ws = Workspace.open(root, create=True)
    corpus, prepared, first = [], [], {}
    for i, (source, date, text) in enumerate(rows, start=1):
        doc_id = f"d{i:04d}"
        digest = hashlib.sha1(text.encode("utf-8")).hexdigest()
        corpus.append({S.DOC_ID: doc_id, S.PUBLISHED_AT: pd.Timestamp(date) if date else pd.NaT,
                       S.SOURCE: source, S.TEXT_RAW: text, S.TEXT_HASH: digest,
                       S.DUPLICATE_OF: first.get(digest)})
        first.setdefault(digest, doc_id)
        norm = t2s.convert(text)
        prepared.append({S.DOC_ID: doc_id, S.TEXT_CLEAN: text, S.TEXT_NORM: norm,
                         S.TOKENS: tokenize(norm)})
    bounds = np.linspace(0, len(corpus), parts + 1).astype(int)
    for name, rows in ((S.CORPUS, corpus), (S.PREPARED, prepared)):
        frame = pd.DataFrame(rows)
        for number, (lo, hi) in enumerate(zip(bounds[:-1], bounds[1:])):
            ws.write_part(name, f"part-{number:05d}", frame.iloc[lo:hi])
    return ws


@pytest.fixture(scope="module", autouse=True)
def _small_tfidf():
    """A 32-dimension tfidf embedder keeps these tests fast (the default is 256)."""
    from functools import partial

    from opinion.topics import embed

    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(embed._REGISTRY, "tfidf", partial(embed.TfidfEmbedder, dim=32))
        yield


@pytest.fixture(scope="module")
def fitted(tmp_path_factory: pytest.TempPathFactory, _small_tfidf) -> Workspace:
    ws = build_workspace(tmp_path_factory.mktemp("topics") / "ws")
    fit_topics(ws, embedding="tfidf", seed=7)
    return ws


def test_topics_tables_follow_the_contract(fitted: Workspace) -> None:
    docs = fitted.read(S.TOPIC_DOCS)
    corpus = fitted.read(S.CORPUS)
    assert docs[S.DOC_ID].tolist() == corpus[S.DOC_ID].tolist()
    assert set(docs.columns) == {S.DOC_ID, S.TOPIC_ID, S.TOPIC_ID_ORIGINAL, S.TOPIC_PROB, S.TOPIC_LABEL}
    empty_id = corpus.loc[corpus[S.TEXT_RAW] == "", S.DOC_ID].item()
    assert docs.set_index(S.DOC_ID).loc[empty_id, S.TOPIC_ID] == -1  # nothing to place
    assert (docs.loc[docs[S.DOC_ID] != empty_id, S.TOPIC_ID] >= 0).all()
    assert docs[S.TOPIC_PROB].between(0, 1).all()
    # The exact duplicate lands where its first copy did.
    dup = corpus.dropna(subset=[S.DUPLICATE_OF]).iloc[0]
    by_id = docs.set_index(S.DOC_ID)[S.TOPIC_ID]
    assert by_id[dup[S.DOC_ID]] == by_id[dup[S.DUPLICATE_OF]]

    topics = fitted.read(S.TOPICS)
    real = topics[topics[S.TOPIC_ID] >= 0]
    assert len(real) >= 5
    assert real["size"].sum() == (docs[S.TOPIC_ID] >= 0).sum()
    for terms, weights, reps in zip(real["top_terms"], real["top_terms_weights"],
                                    real["representative_doc_ids"]):
        assert 0 < len(terms) <= 10 and len(weights) == len(terms)
        assert all(len(t) >= 2 and t not in {"，", "：", "》", "的"} for t in terms)
        assert list(weights) == sorted(weights, reverse=True)
        assert 1 <= len(reps) <= 3 and len(set(reps)) == len(reps)
    texts = corpus.set_index(S.DOC_ID)[S.TEXT_RAW]
    for reps in real["representative_doc_ids"]:  # chosen by id: never two copies of one text
        assert len({texts[r] for r in reps}) == len(reps)
    assert all(name.startswith(f"{t}_") for t, name in zip(real[S.TOPIC_ID], real["name"]))


def test_topics_over_time_source_and_hierarchy(fitted: Workspace) -> None:
    over_time = fitted.read(S.TOPICS_OVER_TIME)
    assert {S.TOPIC_ID, "period", "count", "share"} <= set(over_time.columns)
    assert pd.api.types.is_datetime64_any_dtype(over_time["period"])
    # Six days of posts between 2020-01-24 and 2020-03-15, binned by day (auto).
    assert len(over_time["period"].unique()) == 6
    assert np.allclose(over_time.groupby("period")["share"].sum(), 1.0)
    assert over_time["count"].sum() == 153  # every dated post, the empty one (topic -1) too
    per_source = fitted.read(S.TOPICS_PER_SOURCE)
    assert set(per_source[S.SOURCE]) == {"news", "weibo"}
    assert np.allclose(per_source.groupby(S.SOURCE)["share"].sum(), 1.0)
    tree = fitted.read(S.TOPIC_HIERARCHY)
    n_topics = (fitted.read(S.TOPICS)[S.TOPIC_ID] >= 0).sum()
    assert len(tree) == n_topics - 1  # a binary merge tree
    assert sorted(tree.iloc[-1]["topic_ids"]) == list(range(n_topics))


def test_topics_metrics_are_stored(fitted: Workspace) -> None:
    doc = json.loads((fitted.root / "topic_metrics.json").read_text(encoding="utf-8"))
    assert -1 <= doc["npmi_mean"] <= 1 and 0 < doc["diversity"] <= 1
    assert 0 <= doc["outlier_share"] <= 0.15
    assert doc["sampled"] is False and doc["embedder"] == "tfidf" and doc["seed"] == 7
    assert doc["versions"]["bertopic"] == "0.17.4"
    assert len(doc["npmi_per_topic"]) == doc["n_topics"]


def test_topics_same_seed_gives_identical_output(fitted: Workspace, tmp_path: Path) -> None:
    again = build_workspace(tmp_path / "again")
    again.manifest[SKIPPED] = {"unit": "documents", "have": 6, "needed": 20, "message": "before more posts came"}
    again.save_manifest()  # as a run on too few posts left it
    fit_topics(again, embedding="tfidf", seed=7)
    for table in (S.TOPIC_DOCS, S.TOPICS, S.TOPICS_OVER_TIME):
        pd.testing.assert_frame_equal(fitted.read(table), again.read(table))
    assert skipped_note(Workspace.open(again.root).manifest) is None  # fitted now: the note is gone


def test_topics_skip_when_unchanged(fitted: Workspace) -> None:
    report = fit_topics(fitted, embedding="tfidf", seed=7)
    assert report.skipped and report.n_topics == len(fitted.read(S.TOPICS).query("topic_id >= 0"))


def test_topics_skip_when_the_inputs_are_rewritten_with_the_same_bytes(fitted: Workspace) -> None:
    """`prepare --force`, `load --replace` of the same file or a copied workspace write the same
    bytes with new modification times: topics were refitted (80–140 s at 620k posts, 2026-12-07)."""
    import os

    for part in fitted.parts(S.PREPARED):
        path = fitted.part_path(S.PREPARED, part)
        path.write_bytes(path.read_bytes())
        os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    assert fit_topics(fitted, embedding="tfidf", seed=7).skipped


def test_topics_fit_again_when_the_label_rules_change(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """An upgrade whose labels or flags differ (a new rule version or word list) does not
    leave the old ones as "unchanged"."""
    from opinion.topics import labels

    ws = build_workspace(tmp_path / "ws")
    fit_topics(ws, embedding="tfidf", seed=7)
    monkeypatch.setattr(labels, "LABEL_RULES", labels.LABEL_RULES + 1)
    assert not fit_topics(ws, embedding="tfidf", seed=7).skipped
    assert fit_topics(ws, embedding="tfidf", seed=7).skipped
    monkeypatch.setattr(labels, "GENERIC_WORDS", labels.GENERIC_WORDS | {"交警"})
    assert not fit_topics(ws, embedding="tfidf", seed=7).skipped


def test_topics_fit_again_when_the_static_model_changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Upgrading to a rebuilt static-zh model does not leave topics of the old one as "unchanged"."""
    import os
    import shutil

    from opinion.topics import static

    model = tmp_path / "static_zh"
    shutil.copytree(static.MODEL_DIR, model)
    monkeypatch.setattr(static, "MODEL_DIR", model)
    ws = build_workspace(tmp_path / "ws")
    assert not fit_topics(ws, seed=7).skipped
    assert fit_topics(ws, seed=7).skipped
    vocab = model / static.VOCAB_FILE
    os.utime(vocab, ns=(vocab.stat().st_atime_ns, vocab.stat().st_mtime_ns + 10**9))  # a new install
    assert not fit_topics(ws, seed=7).skipped


def test_topics_sample_is_reported_and_everything_assigned(tmp_path: Path) -> None:
    ws = build_workspace(tmp_path / "ws")
    fit_topics(ws, embedding="tfidf", seed=1)
    # The default embedder (static-zh, shipped), a sample, a fixed count and guided seeds:
    # whole settings, so the stored ones (tfidf) are not reused.
    report = fit_topics(ws, TopicSettings(seed=1, sample_size=300, nr_topics=6, guided=True))
    assert not report.skipped and report.n_topics <= 6  # new settings: refit, not skipped
    assert report.sampled and report.n_fit <= 300
    assert "stratified sample" in report.lines()[0]
    docs = ws.read(S.TOPIC_DOCS)
    # Only texts that cannot be placed at all (no words left) stay -1; the metrics count them.
    unplaced = (docs[S.TOPIC_ID] == -1).sum()
    assert unplaced <= 0.05 * len(docs)
    stored = json.loads((ws.root / "topic_metrics.json").read_text(encoding="utf-8"))
    assert stored["no_content"] == unplaced
    assert stored["settings"]["guided"] is True and stored["sample_size"] == 300
    assert stored["embedder"] == "static-zh"


def test_topics_assign_new_documents_after_reload(fitted: Workspace, tmp_path: Path) -> None:
    model, meta = load_topic_model(fitted.root / MODEL_DIR)
    assert meta["embedder"] == "tfidf"
    new = tmp_path / "new.txt"
    titles = pd.read_csv(DATA / "thucnews_titles_400.tsv", sep="\t", quoting=csv.QUOTE_NONE)["title"]
    new.write_text("\n".join(titles[:20]) + "\n", encoding="utf-8")
    out = assign_topics(fitted, new)
    assert len(out) == 20 and (out[S.TOPIC_ID] >= 0).all()
    # Titles from the fitted corpus go exactly where fitting put them: the reloaded model
    # (safetensors, no pickle) transforms like the fitted one.
    fitted_docs = fitted.read(S.TOPIC_DOCS).iloc[:20]
    assert out[S.TOPIC_ID_ORIGINAL].tolist() == fitted_docs[S.TOPIC_ID_ORIGINAL].tolist()
    assert out[S.TOPIC_LABEL].tolist() == fitted_docs[S.TOPIC_LABEL].tolist()
    assert not list((fitted.root / MODEL_DIR).glob("*.pkl")) and not list(
        (fitted.root / MODEL_DIR).glob("*.pickle"))


def test_topics_cli_prints_rendered_labels_and_assigns(fitted: Workspace, tmp_path: Path) -> None:
    from opinion.cli import app

    runner = CliRunner()
    result = runner.invoke(app, ["topics", "-w", str(fitted.root), "--embedding", "tfidf",
                                 "--seed", "7", "--script", "zh-Hant-TW"])
    assert result.exit_code == 0, result.output
    assert "NPMI" in result.output and "skipped" in result.output
    from opinion.text.script import render

    first = fitted.read(S.TOPICS).query("topic_id >= 0").iloc[0]
    assert render(" ".join(first["top_terms"][:8]), "zh-Hant-TW") in result.output
    assert render(first["label"], "zh-Hant-TW") in result.output  # the readable label first
    new = tmp_path / "new.csv"
    pd.DataFrame({"text": ["國貨品牌直播帶貨", "基金净值上涨，戴口罩"]}).to_csv(new, index=False)
    out = tmp_path / "assigned.csv"
    result = runner.invoke(app, ["topics", "assign", "-w", str(fitted.root), str(new), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assigned = pd.read_csv(out)
    assert len(assigned) == 2 and (assigned[S.TOPIC_ID] >= 0).all()
    missing = runner.invoke(app, ["topics", "assign", "-w", str(fitted.root), str(tmp_path / "no.csv")])
    assert missing.exit_code == 1 and "no such file" in missing.output
    bad = runner.invoke(app, ["topics", "-w", str(fitted.root), "--nr-topics", "many"])
    assert bad.exit_code == 1 and "--nr-topics" in bad.output


def test_topics_assign_reads_through_the_loader_gz_gb18030_with_ids(fitted: Workspace,
                                                                    tmp_path: Path) -> None:
    import gzip

    titles = pd.read_csv(DATA / "thucnews_titles_400.tsv", sep="\t", quoting=csv.QUOTE_NONE)["title"]
    frame = pd.DataFrame({"mid": [f"m{i}" for i in range(6)], "content": titles[:6]})
    gz = tmp_path / "new.csv.gz"
    gz.write_bytes(gzip.compress(frame.to_csv(index=False).encode("utf-8")))
    gbk = tmp_path / "new_gb.txt"  # one text per line, GB18030, a blank line in the middle
    gbk.write_bytes(("\n".join(titles[:3]) + "\n\n" + titles[3] + "\n").encode("gb18030"))
    runner = CliRunner()
    from opinion.cli import app

    out = tmp_path / "assigned.csv"
    result = runner.invoke(app, ["topics", "assign", "-w", str(fitted.root), str(gz),
                                 "--id-col", "mid", "--text-col", "content", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assigned = pd.read_csv(out, keep_default_na=False)
    assert assigned["doc_id"].tolist() == frame["mid"].tolist()
    assert assigned["text"].tolist() == frame["content"].tolist()
    result = runner.invoke(app, ["topics", "assign", "-w", str(fitted.root), str(gbk), "-o", str(out)])
    assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    assigned = pd.read_csv(out, keep_default_na=False)
    assert assigned["doc_id"].tolist() == ["new_gb-1", "new_gb-2", "new_gb-3", "new_gb-5"]
    assert assigned["text"].tolist() == titles[:4].tolist()
    assert "not assigned" not in result.output  # a blank line is not a row, as in a CSV
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    result = runner.invoke(app, ["topics", "assign", "-w", str(fitted.root), str(bad)])
    assert result.exit_code == 1 and len(result.output.strip().splitlines()) == 1
    assert "bad.csv: looks like" in result.output


def test_topics_errors_name_the_fix(tmp_path: Path) -> None:
    ws = Workspace.open(tmp_path / "ws", create=True)
    with pytest.raises(Exception, match="opinion load|opinion prepare"):
        fit_topics(ws, embedding="tfidf")
    with pytest.raises(InputError, match="nr_topics must be") as info:
        fit_topics(ws, embedding="tfidf", nr_topics=1)
    assert info.value.param == "nr_topics" and "--" not in str(info.value)


@pytest.mark.parametrize("tokens, expected", [
    (["疫情", "的", "，", "2020", "武汉", "加油"], ["疫情", "武汉", "加油"]),
    (["#直播带货#", "830例", "[赞]", "我们", "KOL", "》", "：", "a"], ["#直播带货#", "KOL"]),
    ([], []),
])
def test_topics_terms_drop_stopwords_punctuation_numbers(tokens: list[str], expected: list[str]) -> None:
    assert topic_terms(tokens) == expected


def test_topics_clusterer_marks_small_clusters_and_predicts_like_fit() -> None:
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(c, 0.05, size=(n, 2)) for c, n in ((0, 40), (3, 40), (9, 3))])
    model = CentroidClusterer(n_clusters=3, min_size=5, seed=0).fit(X)
    assert (model.labels_ == -1).sum() == 3
    assert (model.predict(X) == model.labels_).all()


def test_topics_auto_count_picks_the_best_silhouette() -> None:
    rng = np.random.default_rng(3)
    centres = rng.normal(size=(12, 20)) * 3
    X = np.vstack([c + 0.3 * rng.normal(size=(50, 20)) for c in centres])
    model = CentroidClusterer(n_clusters="auto", min_size=10, seed=0).fit(X)
    assert model.n_clusters_ == 12 and max(model.selection_, key=model.selection_.get) == 12
    assert set(model.selection_) == {8, 10, 12}  # up to sqrt(600) / 2 = 12.2


def test_topics_leave_near_duplicates_and_spam_out_of_fit_words_and_examples(tmp_path: Path) -> None:
    """A bot campaign flagged as spam: not fitted, not in the topic words, not an example;
    still assigned a topic (sizes count every document); --keep-duplicates brings it back."""
    from opinion.flags import flag_workspace

    ws = build_workspace(tmp_path / "ws")
    parts = ws.parts(S.PREPARED)
    bot_word = "区链块字数币货"
    for part in parts:  # one post in five becomes a spam post with a word no one else uses
        prepared = ws.read_part(S.PREPARED, part)
        rows = prepared.index[::5]
        prepared.loc[rows, S.TOKENS] = pd.Series([[bot_word, "阳光信用"] * 3] * len(rows), index=rows)
        ws.write_part(S.PREPARED, part, prepared)
    flag_workspace(ws)
    flags = ws.read(S.FLAGS)
    spam_ids = set(ws.read(S.PREPARED).loc[lambda f: f[S.TOKENS].map(lambda t: bot_word in t), S.DOC_ID])
    flags.loc[flags[S.DOC_ID].isin(spam_ids), S.IS_SPAM] = True
    start = 0
    for part in parts:
        size = len(ws.read_part(S.FLAGS, part))
        ws.write_part(S.FLAGS, part, flags.iloc[start:start + size].reset_index(drop=True))
        start += size
    report = fit_topics(ws, embedding="tfidf", seed=7)
    topics = ws.read(S.TOPICS)
    assert all(bot_word not in terms for terms in topics["top_terms"])
    assert not spam_ids & {d for ids in topics["representative_doc_ids"] for d in ids}
    docs = ws.read(S.TOPIC_DOCS)
    assert docs[S.DOC_ID].isin(spam_ids).sum() == len(spam_ids)  # every document keeps a row
    assert "leave out duplicates and spam" in report.lines()[0]
    kept = fit_topics(ws, embedding="tfidf", seed=7, keep_duplicates=True)
    assert not kept.skipped and "duplicates and spam included" in kept.lines()[0]
    assert any(bot_word in terms for terms in ws.read(S.TOPICS)["top_terms"])
