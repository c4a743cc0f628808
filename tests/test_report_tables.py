"""Report tables built from a workspace (opinion.report.tables)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from factory import make_workspace

from opinion import schema as S
from opinion.errors import InputError, StageOrderError
from opinion.io.workspace import Workspace
from opinion.report import TABLE_NAMES, build_tables
from opinion.report.tables import excerpt


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    return make_workspace(tmp_path_factory.mktemp("report") / "ws")


@pytest.fixture(scope="module")
def tables(ws: Workspace) -> dict[str, pd.DataFrame]:
    return build_tables(ws, period="week")  # 68 days: "day" by the rule; weeks test the bins


def corpus_only(root: Path) -> Workspace:
    ws = make_workspace(root, with_topics=False)
    for name in (S.PREPARED, S.SENTIMENT):
        ws.remove_table(name)
    return ws


def test_report_tables_all_names(tables: dict[str, pd.DataFrame]) -> None:
    assert list(tables) == list(TABLE_NAMES)


def test_report_tables_topics_add_up(tables: dict[str, pd.DataFrame]) -> None:
    topics = tables["topics"]
    assert topics["size"].sum() == 55
    assert topics["share"].sum() == pytest.approx(1.0)
    assert topics["size"].is_monotonic_decreasing
    assert topics.loc[topics["topic_id"] == 1, "top_terms"].item() == "直播 带货 国货"
    assert topics.loc[topics["topic_id"] == 2, "first_seen"].item() == pd.Timestamp("2020-01-24")


def test_report_tables_trend_of_topics(tables: dict[str, pd.DataFrame]) -> None:
    trends = tables["topics"].set_index("topic_id")["trend"]
    # 口罩 grows from January to April, 确诊 disappears (gone, not merely fading), 直播 appears only at the end.
    assert trends.to_dict() == {0: "rising", 2: "gone", 1: "new"}


def test_report_tables_examples_skip_duplicates(ws: Workspace, tmp_path: Path) -> None:
    topics = ws.read(S.TOPICS)
    # sample-52 is an exact copy of sample-51: a report shows the text once.
    topics["representative_doc_ids"] = [["sample-51", "sample-52", "sample-49"] if t == 1 else list(i)
                                        for t, i in zip(topics[S.TOPIC_ID], topics["representative_doc_ids"])]
    copy = make_workspace(tmp_path / "ws")
    copy.write_table(S.TOPICS, topics)
    row = build_tables(copy, top=3)["topics"].set_index("topic_id").loc[1]
    assert [row["example_1_doc_id"], row["example_2_doc_id"], row["example_3_doc_id"]] == \
        ["sample-51", "sample-49", "sample-50"]


def test_report_tables_over_time_shares(tables: dict[str, pd.DataFrame]) -> None:
    over_time = tables["topics_over_time"]
    assert over_time.groupby("period")["share"].sum().tolist() == pytest.approx([1.0] * 4)
    assert over_time["count"].sum() == 55
    assert set(over_time["period"].dt.dayofweek) == {0}  # weeks start on Monday


def test_report_tables_themes_and_overlap(tables: dict[str, pd.DataFrame]) -> None:
    themes = tables["themes_by_period"]
    assert set(themes["theme"]) == {"信任", "国货", "非遗", "直播电商"}
    assert themes["prevalence"].between(0, 1).all()
    overlap = tables["theme_topic"].set_index(["theme", "topic_id"])
    assert overlap.loc[("直播电商", 1), "share_of_topic"] == pytest.approx(0.75)
    assert overlap.loc[("直播电商", 0), "docs_with_theme"] == 0


def test_report_tables_sources_and_sentiment(tables: dict[str, pd.DataFrame]) -> None:
    sources = tables["sources"]
    assert sources.groupby("source")["share_of_source"].sum().tolist() == pytest.approx([1.0] * 3)
    sentiment = tables["sentiment_by_topic_period"]
    shares = sentiment[["positive_share", "neutral_share", "negative_share"]].sum(axis=1)
    assert shares.tolist() == pytest.approx([1.0] * len(sentiment))
    assert sentiment["docs"].sum() == 55


def test_report_tables_emotion_shares(tables: dict[str, pd.DataFrame]) -> None:
    shares_of = [f"{e}_share" for e in S.EMOTIONS]
    by_topic = tables["emotion_by_topic_period"]
    assert by_topic[shares_of].sum(axis=1).tolist() == pytest.approx([1.0] * len(by_topic))
    every = by_topic[by_topic["topic_id"] == -2]
    assert every["docs"].sum() == 55 and by_topic.loc[by_topic["topic_id"] >= 0, "docs"].sum() == 55
    shares = tables["emotion_shares"]
    assert set(shares["by"]) == {"all", "period", "topic", "theme", "source"}
    assert shares.loc[shares["by"] == "all", "docs"].item() == 55
    assert shares.loc[shares["by"] == "source", "docs"].sum() == 55
    assert shares["top_emotion"].dropna().isin(S.EMOTIONS).all()


def test_report_tables_documents_columns(tables: dict[str, pd.DataFrame]) -> None:
    docs = tables["documents"]
    for column in (S.DOC_ID, S.TITLE, S.TEXT_RAW, S.PUBLISHED_AT, S.SOURCE, S.TOPIC_ID, S.TOPIC_LABEL,
                   S.SENTIMENT_SCORE, S.SENTIMENT_LABEL, S.EMOTION_LABEL, "theme_信任", "sentiment_theme_信任",
                   S.TEXT_CLEAN, S.SCRIPT, S.TEXT_NORM, S.TOKENS):
        assert column in docs.columns
    traditional = docs.set_index(S.DOC_ID).loc["sample-49"]
    assert "直播電商" in traditional[S.TEXT_CLEAN] and "直播电商" in traditional[S.TEXT_NORM]
    assert docs.loc[0, S.TOKENS].startswith("【 # 北京 取消")


def test_report_tables_run_says_how(tables: dict[str, pd.DataFrame]) -> None:
    run = tables["run"].set_index(["section", "key"])["value"]
    assert run[("export", "period")] == "week"
    assert run[("input 1", "rows_read")] == 55
    assert run[("corpus", "duplicates")] == 2
    assert run[("tables", "sentiment")] == "found"
    assert run[("library", "pandas")] == pd.__version__
    try:  # the runtime of --method transformer(-int8) is named, installed or not
        import onnxruntime
        assert run[("library", "onnxruntime")] == onnxruntime.__version__
    except ImportError:
        assert run[("library", "onnxruntime")] == "not installed"
    assert "k = min(3" in run[("definition", "trend")]


def test_report_tables_render_traditional(ws: Workspace) -> None:
    tables = build_tables(ws, script="zh-Hant-TW")
    labels = set(tables["topics"]["label"])
    assert "1_直播_帶貨_國貨" in labels
    assert "國貨" in set(tables["themes_by_period"]["theme"])
    examples = tables["topics"].set_index("topic_id").loc[1, "example_3_excerpt"]
    assert "帶貨" in examples  # a Simplified post shown in Traditional
    raw = tables["documents"].set_index(S.DOC_ID).loc["sample-51", S.TEXT_RAW]
    assert raw == "直播带货要守住品控底线，诚信经营才能赢得消费者信任。"  # user data never changed


def test_report_tables_corpus_only_degrades(tmp_path: Path) -> None:
    tables = build_tables(corpus_only(tmp_path / "ws"))
    assert tables["topics"].empty and "trend" in tables["topics"].columns
    assert tables["themes_by_period"].empty and tables["sentiment_by_topic_period"].empty
    assert list(tables["documents"].columns[:5]) == [S.DOC_ID, S.TITLE, S.TEXT_RAW, S.PUBLISHED_AT, S.SOURCE]
    assert tables["sources"]["count"].sum() == 55
    run = tables["run"].set_index(["section", "key"])["value"]
    assert run[("tables", "sentiment")].startswith("missing: run `opinion sentiment -w")


def test_report_tables_undated_documents_left_out(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    corpus = ws.read(S.CORPUS)
    corpus.loc[:4, S.PUBLISHED_AT] = pd.NaT
    ws.write_part(S.CORPUS, "sample-00000", corpus)
    tables = build_tables(ws)
    assert tables["topics_over_time"]["count"].sum() == 50
    run = tables["run"].set_index(["section", "key"])["value"]
    assert run[("corpus", "documents_without_date")] == 5


def test_report_tables_user_errors(ws: Workspace, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="period must be one of day, week, month"):
        build_tables(ws, period="year")
    with pytest.raises(InputError, match="--script must be one of"):
        build_tables(ws, script="zh-TW")
    empty = Workspace.open(tmp_path / "empty", create=True)
    with pytest.raises(StageOrderError, match="opinion load"):
        build_tables(empty)


def test_report_tables_documents_source_is_the_source_every_table_groups_by(tmp_path: Path) -> None:
    """Weibo day files have no source column: sources.csv and the report grouped by file name
    (2.12.csv.gz) while documents.csv left every source empty."""
    ws = make_workspace(tmp_path / "ws")
    corpus = ws.read_part("corpus", "sample-00000")
    day = corpus["doc_id"].str[-1].isin(list("13579")).map({True: "weibo/2.12.csv.gz", False: "weibo/2.13.csv.gz"})
    ws.write_part("corpus", "sample-00000", corpus.assign(source=corpus["source"].where(day.str.contains("12")),
                                                          input_file=day))
    tables = build_tables(ws)
    documents, sources = tables["documents"], tables["sources"]
    assert documents[S.SOURCE].notna().all()
    assert documents[S.SOURCE].value_counts().to_dict() == sources.groupby("source")["count"].sum().to_dict()
    assert "2.13.csv.gz" in set(documents[S.SOURCE]) and "weibo" in set(documents[S.SOURCE])


def test_report_tables_excerpt() -> None:
    assert excerpt("  武汉\n加油  ") == "武汉 加油"
    assert excerpt("口" * 100, chars=10) == "口" * 10 + "…"
    assert excerpt(None) == ""


def test_report_tables_excerpt_is_cut_after_conversion() -> None:
    """The excerpt is cut after the whole text is converted, so a word at the cut keeps its
    conversion (GSD dev-s41: 世界著|名 stays 著, not 着; a Weibo post's 中医药干|预: 干, not 幹)."""
    famous = "成為了中國乃至世界著名的電影人"
    assert excerpt(famous, chars=10, doc_script="zh-Hant", script="zh-Hans") == "成为了中国乃至世界著…"
    assert excerpt(famous, chars=10, script="zh-Hans") == "成为了中国乃至世界著…"  # script detected
    herbs = "轻症患者有90%愿意接受\n中医药干预"
    assert excerpt(herbs, chars=17, doc_script="zh-Hans", script="zh-Hant-TW") == "輕症患者有90%願意接受 中醫藥干…"
    assert excerpt(famous, chars=10, doc_script="zh-Hant", script="zh-HK") == "成為了中國乃至世界著…"


def test_report_tables_document_without_topic(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    docs = ws.read(S.TOPIC_DOCS)
    ws.write_table(S.TOPIC_DOCS, docs[docs[S.DOC_ID] != "sample-55"])
    tables = build_tables(ws)
    documents = tables["documents"].set_index(S.DOC_ID)
    assert str(documents[S.TOPIC_ID].dtype) == "Int64"  # 0, 1, 2 stay integers
    assert documents.loc["sample-55", S.TOPIC_ID] is pd.NA
    assert tables["topics"]["size"].sum() == 54
    run = tables["run"].set_index(["section", "key"])["value"]
    assert run[("tables", "documents_without_topic")] == 1


@pytest.mark.parametrize("script, own", [("zh-Hant-TW", "zh-Hant"), ("zh-HK", "zh-Hant"), ("zh-Hans", "zh-Hans")])
def test_report_tables_examples_as_written_in_their_own_script(ws: Workspace, script: str, own: str) -> None:
    """issue 14: an example in the reader's own script is the document's text_clean, verbatim."""
    prepared = ws.read(S.PREPARED).set_index(S.DOC_ID)
    topics = build_tables(ws, script=script)["topics"]
    checked = 0
    for k in range(1, 4):
        for doc_id, shown in zip(topics[f"example_{k}_doc_id"], topics[f"example_{k}_excerpt"]):
            if isinstance(doc_id, str) and prepared.loc[doc_id, S.SCRIPT] == own:
                assert shown == excerpt(prepared.loc[doc_id, S.TEXT_CLEAN])
                checked += 1
    assert checked >= 1


def test_report_tables_emotion_shares_keep_topics_renamed_alike_apart(tmp_path: Path) -> None:
    """Two topics renamed 防疫 gave two `topic,防疫` rows in emotion_shares.csv (which is which?);
    they read `防疫 #0` and `防疫 #1`, as everywhere else in the report."""
    from opinion.topics.edit_store import record_edits
    from opinion.topics.edits import TopicEdit

    ws = make_workspace(tmp_path / "ws")
    record_edits(ws, [TopicEdit("rename", (0,), "防疫"), TopicEdit("rename", (1,), "防疫")])
    shares = build_tables(ws)["emotion_shares"]
    topics = shares.loc[shares["by"] == "topic", "group"].tolist()
    assert "防疫 #0" in topics and "防疫 #1" in topics and "防疫" not in topics
    assert len(set(topics)) == len(topics)


def traditional_theme_names(root: Path) -> Workspace:
    """The sample workspace with themes named by a Taiwanese theme file: 國貨, 直播電商."""
    ws = make_workspace(root)
    renames = {"国货": "國貨", "直播电商": "直播電商"}
    for table, prefix in ((S.PREPARED, S.THEME_PREFIX), (S.SENTIMENT, S.THEME_SENTIMENT_PREFIX)):
        frame = ws.read_part(table, "sample-00000")
        ws.write_part(table, "sample-00000", frame.rename(columns={f"{prefix}{old}": f"{prefix}{new}"
                                                                   for old, new in renames.items()}))
    return ws


@pytest.mark.parametrize("script, shown", [("zh-Hans", {"国货", "直播电商", "信任", "非遗"}),
                                           ("zh-Hant-TW", {"國貨", "直播電商", "信任", "非遺"}),
                                           ("zh-HK", {"國貨", "直播電商", "信任", "非遺"})])
def test_report_tables_theme_names_in_the_readers_script(tmp_path: Path, script: str, shown: set[str]) -> None:
    """h47 i18n 3: a theme file written in Traditional put 國貨 beside 非遗 in a zh-Hans report."""
    tables = build_tables(traditional_theme_names(tmp_path / "ws"), script=script)
    shares = tables["emotion_shares"]
    assert set(tables["themes_by_period"]["theme"]) == shown
    assert set(tables["theme_topic"]["theme"]) == shown
    assert set(shares.loc[shares["by"] == "theme", "group"]) == shown
    assert "theme_國貨" in tables["documents"].columns  # column names stay as the theme file wrote them


def test_report_tables_themes_by_period_keep_undated_documents(tmp_path: Path) -> None:
    """h47 themes 6: themes_by_period.csv left the undated documents out without a word, so a
    theme whose hits were all undated read 0 in every period; they make a row of their own."""
    ws = make_workspace(tmp_path / "ws")
    corpus = ws.read(S.CORPUS)
    prepared = ws.read(S.PREPARED).set_index(S.DOC_ID)
    undated = corpus[S.DOC_ID].isin(prepared.index[prepared[S.theme_column("国货")] > 0][:2]) | (corpus.index < 3)
    ws.write_part(S.CORPUS, "sample-00000", corpus.assign(**{S.PUBLISHED_AT: corpus[S.PUBLISHED_AT].mask(undated)}))
    themes = build_tables(ws, period="month")["themes_by_period"]
    rows = themes[themes["undated"]]
    assert rows["theme"].tolist() == ["信任", "国货", "非遗", "直播电商"] and rows["period"].isna().all()
    assert (rows["docs"] == undated.sum()).all()
    hits = (prepared[[S.theme_column(t) for t in ("信任", "国货", "非遗", "直播电商")]] > 0).sum()
    assert themes.groupby("theme", sort=False)["docs_with_theme"].sum().tolist() == hits.tolist()  # nothing lost
    assert not themes.loc[~themes["undated"], "period"].isna().any()


def _with_flags(root: Path, *, keep_duplicates: bool) -> Workspace:
    """The factory workspace with prepare's flags: sample-26 is spam, sample-27 a near-duplicate
    of sample-4 (one of the model's examples) and sample-29 one of sample-28."""
    ws = make_workspace(root)
    ids = ws.read(S.CORPUS)[S.DOC_ID]
    near = {"sample-27": "sample-4", "sample-29": "sample-28"}
    ws.write_table(S.FLAGS, pd.DataFrame({S.DOC_ID: ids, S.NEAR_DUPLICATE_OF: ids.map(near),
                                          S.SPAM_SCORE: 0.0, S.IS_SPAM: ids.eq("sample-26")}))
    ws.set_stage_record(S.TOPICS, {"settings": {"keep_duplicates": keep_duplicates}})
    return ws


@pytest.mark.parametrize("keep_duplicates, shown", [
    (False, ["sample-4", "sample-5", "sample-25", "sample-28", "sample-30", "sample-31"]),
    (True, ["sample-4", "sample-5", "sample-25", "sample-26", "sample-28", "sample-30"]),
])
def test_report_tables_examples_regression_skip_flagged_posts(tmp_path: Path, keep_duplicates: bool,
                                                              shown: list[str]) -> None:
    """Finding 1 (2026-12-08): examples beyond the model's three were filled with near-duplicates
    (nine copies of one poll template) and spam. Spam is shown only when the topics were fitted
    with keep_duplicates, and never a second post of a near-duplicate cluster."""
    ws = _with_flags(tmp_path / "ws", keep_duplicates=keep_duplicates)
    row = build_tables(ws, top=6)["topics"].set_index("topic_id").loc[0]
    assert [row[f"example_{k}_doc_id"] for k in range(1, 7)] == shown


def _with_outliers(root: Path) -> Workspace:
    """The factory workspace with the 确诊 topic (2, gone after January) unassigned (-1)."""
    ws = make_workspace(root)
    docs = ws.read(S.TOPIC_DOCS)
    outliers = docs[S.TOPIC_ID] == 2
    docs.loc[outliers, S.TOPIC_ID] = -1
    docs.loc[outliers, S.TOPIC_LABEL] = S.OUTLIER_LABEL
    ws.write_table(S.TOPIC_DOCS, docs)
    topics = ws.read(S.TOPICS)
    ws.write_table(S.TOPICS, topics[topics[S.TOPIC_ID] != 2])
    return ws


def test_report_tables_outlier_row_regression_has_no_trend(tmp_path: Path) -> None:
    """Finding 3 (2026-12-08): the unassigned posts (-1) were a topic 已消失 (gone) or ★ 新出现."""
    topics = build_tables(_with_outliers(tmp_path / "ws"), period="week")["topics"].set_index("topic_id")
    assert pd.isna(topics.loc[-1, "trend"]) and pd.isna(topics.loc[-1, "trend_growth"])
    assert topics.loc[0, "trend"] == "rising"  # the topics keep theirs


def test_report_tables_share_is_of_every_document_with_a_topic_id(tmp_path: Path) -> None:
    """Finding 4: ``share`` is of every document the topic stage placed, -1 included, as in
    topics_over_time and the trend; the column adds up to 1 (docs/export.md)."""
    topics = build_tables(_with_outliers(tmp_path / "ws"))["topics"].set_index("topic_id")
    assert topics["share"].sum() == pytest.approx(1.0)
    assert topics.loc[-1, "share"] == pytest.approx(topics.loc[-1, "size"] / 55)


def test_report_tables_documents_say_which_posts_the_views_set_aside(tmp_path: Path) -> None:
    """documents.csv had no spam or near-duplicate column: an analyst in Excel could not see which
    posts topics, KWIC and keywords leave out, nor add them back (a new user, 2026-12-08)."""
    ws = _with_flags(tmp_path / "ws", keep_duplicates=False)
    flags = ws.read(S.FLAGS).set_index(S.DOC_ID)
    documents = build_tables(ws)["documents"].set_index(S.DOC_ID)
    assert {S.NEAR_DUPLICATE_OF, S.IS_SPAM} <= set(documents.columns)
    assert documents[S.IS_SPAM].eq(flags[S.IS_SPAM].reindex(documents.index)).all()
    near = flags[S.NEAR_DUPLICATE_OF].dropna()
    assert len(near) and documents.loc[near.index, S.NEAR_DUPLICATE_OF].tolist() == near.tolist()


def test_report_run_table_records_how_the_files_were_read(tmp_path: Path) -> None:
    """run.csv named each input's path and rows, but not the year, time zone or dropped columns
    behind its dates and texts, nor the report's language and formats (findings h47 config §7)."""
    ws = make_workspace(tmp_path / "ws")
    ws.manifest["settings"] = {"load": {"year": 2020, "timezone": "Asia/Shanghai", "drop_cols": ["userid"]},
                               "export": {"lang": "zh", "formats": ["csv", "md"]}}
    ws.manifest["inputs"] = [{"path": "1.24.csv.gz", "key": "1_24", "sha256": "0" * 64, "rows_read": 3,
                              "settings": {"year": 2020}},
                             {"path": "旧.csv", "key": "旧", "sha256": "1" * 64, "rows_read": 2,
                              "settings": {"year": 2019, "timezone": "Asia/Shanghai"}}]
    ws.save_manifest()
    run = build_tables(ws)["run"]
    rows = {(section, key): value for section, key, value in run.itertuples(index=False)}
    assert rows[("settings load", "year")] == 2020 and rows[("settings load", "drop_cols")] == '["userid"]'
    assert rows[("settings export", "lang")] == "zh"
    assert rows[("input 2", "settings.year")] == 2019  # read otherwise than the workspace's [load]
    assert ("input 1", "settings.year") not in rows and ("input 2", "settings.timezone") not in rows
