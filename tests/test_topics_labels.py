"""Readable topic labels (opinion.topics.labels) on real Weibo posts, and the label rules."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import sparse

from opinion import schema as S
from opinion.io.workspace import Workspace
from opinion.topics import labels as L
from opinion.topics.components import token_words
from opinion.topics.model import fit_topics
from tests.test_topics_model import write_workspace

DATA = Path(__file__).parent / "data" / "topics"


@pytest.fixture(scope="module")
def weibo(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    posts = pd.read_csv(DATA / "weibo_labels_601.tsv", sep="\t", dtype=str)
    rows = [("weibo", d, t) for d, t in zip(posts["date"], posts["text"].fillna(""))]
    ws = write_workspace(tmp_path_factory.mktemp("labels") / "ws", rows, parts=2)
    fit_topics(ws, seed=42)  # the default embedder (static-zh, shipped)
    return ws


def test_labels_on_real_posts_follow_the_rules(weibo: Workspace) -> None:
    topics = weibo.read(S.TOPICS)
    docs = weibo.read(S.TOPIC_DOCS).merge(weibo.read(S.PREPARED)[[S.DOC_ID, S.TOKENS]], on=S.DOC_ID)
    docs = docs.merge(weibo.read(S.CORPUS)[[S.DOC_ID, S.DUPLICATE_OF]], on=S.DOC_ID)
    docs["words"] = [{w for t in tokens for w in token_words(t)} for tokens in docs[S.TOKENS]]
    real = topics[topics[S.TOPIC_ID] >= 0]
    assert len(real) >= 5 and real["label"].is_unique
    for row in real.itertuples():
        assert row.name.startswith(f"{row.topic_id}_")          # BERTopic's name is kept
        assert "#" not in row.label and "_" not in row.label
        assert L.content_length(row.label) <= L.MAX_CONTENT
        assert not re.search(r"<|>|https?|www|\bdt\b|\bkbd\b", row.label)
        if row.is_generic and not len(row.label_terms):
            continue
        assert 1 <= len(row.label_terms) <= 3
        assert row.label.split("·")[0].rstrip("…") not in L.GENERIC_WORDS
        members = docs[docs[S.TOPIC_ID] == row.topic_id]
        distinct = members[members[S.DUPLICATE_OF].isna()]
        for term in row.label_terms:
            corpus_share = np.mean([term in words for words in docs.loc[docs[S.DUPLICATE_OF].isna(), "words"]])
            lift = np.mean([term in words for words in distinct["words"]]) / corpus_share
            for group in (members, distinct):  # every document, and the distinct ones
                held = sum(term in words for words in group["words"])
                lifted = held >= L.LIFTED_SHARE * len(group) and lift >= L.GENERIC_LIFT
                assert held >= 3 and (held >= 0.05 * len(group) or held >= 20 or lifted), (row.label, term)
            assert L.display_term(term) in row.label
    assert topics["coherence"].between(0, 1).all()
    # topic_documents carries the readable label
    by_topic = dict(zip(topics[S.TOPIC_ID], topics["label"]))
    assert (docs[S.TOPIC_LABEL] == docs[S.TOPIC_ID].map(by_topic)).all()


@pytest.mark.parametrize(("term", "shown"), [
    ("#武汉加油#", "武汉加油"),
    ("#钟南山表示无症状感染者不会引起大暴发#", "钟南山表示无症状…"),
    ("口罩", "口罩"),
])
def test_hashtags_shown_as_words_and_shortened(term: str, shown: str) -> None:
    assert L.display_term(term) == shown
    assert L.content_length(shown) <= L.MAX_HASHTAG


@pytest.mark.parametrize(("term", "markup"), [
    ("dt", True), ("dtid", True), ("kbd", True), ("kbdid", True), ("http", True), ("nbsp", True),
    ("www.weibo.com", True), ("a3f9c2e71b", True), ("N95", False), ("WHO", False),
    ("iPhone", False), ("口罩", False),
])
def test_markup_is_recognised(term: str, markup: bool) -> None:
    assert L.is_markup(term) is markup


def _labels(words: list[str], df_rows: list[list[int]], counted: list[int]) -> pd.DataFrame:
    df = sparse.csr_matrix(np.array(df_rows, dtype=float))
    n = dict(enumerate(counted))
    return L.readable_labels(list(range(len(counted))), words, df, df, n, n)


def test_one_post_never_names_a_topic_and_generic_words_never_lead() -> None:
    words = ["极极", "真的", "双黄连", "抢购", "药店", "口罩", "dtid", "#双黄连口服液#"]
    df = [[1, 90, 60, 30, 25, 0, 50, 40],    # 极极: one post; 真的: chatter; dtid: markup
          [0, 80, 0, 0, 0, 70, 0, 0],
          [0, 85, 0, 0, 3, 0, 0, 0]]
    out = _labels(words, df, [100, 100, 100])
    first = out.iloc[0]
    assert first["label"] == "双黄连·双黄连口服液·抢购" or first["label"].startswith("双黄连")
    assert "极极" not in first["label"] and "dtid" not in first["label"]
    assert not first["is_generic"]
    assert out.iloc[1]["label"] == "口罩"
    assert out.iloc[2]["is_generic"] and out.iloc[2]["label"] == L.GENERIC_LABEL  # only chatter


def test_news_furniture_never_names_a_topic() -> None:
    """Scraped news repeats its byline (原标题, 记者, 责任编辑) in every article of a topic; seen on
    400 CCF BDCI articles, where a weather topic was labelled 标题·天气·最低气温."""
    words = ["原标题", "标题", "记者", "责任编辑", "天气", "最低气温", "火灾", "有人"]
    df = [[40, 38, 35, 30, 22, 12, 0, 9],
          [2, 2, 3, 2, 0, 0, 25, 9]]
    out = _labels(words, df, [43, 40])
    assert out.iloc[0]["label"] == "天气·最低气温"
    assert out.iloc[1]["label"] == "火灾"


def test_photo_tags_of_news_titles_never_name_a_topic() -> None:
    """THUCNews titles end in (组图), (附图), (多图) or start with 图文： / 高清组图：; on 3,000
    dev titles (2026-12-07) the entertainment topic (382 titles, 54 with 组图) was labelled
    组图. The next terms that pass the rules make the label."""
    words = ["组图", "高清组图", "图文", "附图", "多图", "明星", "婚礼", "基金", "震荡"]
    df = [[54, 21, 20, 25, 22, 25, 21, 0, 0],
          [3, 0, 17, 0, 0, 0, 0, 60, 40]]
    out = _labels(words, df, [382, 546])
    assert out.iloc[0]["label"] == "明星·婚礼"
    assert out.iloc[1]["label"] == "基金·震荡"


def test_a_not_a_questions_never_lead_a_label() -> None:
    """6,157 CCF BDCI news items (2026-12-07): a topic of readers' questions was labelled
    有没有·生活; 有没有, 是不是 … ask, they name nothing."""
    words = ["有没有", "是不是", "生活", "朋友圈", "火灾"]
    df = [[40, 30, 20, 15, 0], [3, 2, 0, 0, 30]]
    out = _labels(words, df, [100, 100])
    assert out.iloc[0]["label"] == "生活·朋友圈"


def test_a_cut_hashtag_leads_a_label_or_stays_out() -> None:
    """620k Weibo posts (2026-12-07): 开学·学校·海南2月24日前… — half of #海南2月24日前不得开学#."""
    words = ["开学", "学校", "#海南2月24日前不得开学#", "推迟", "#钟南山表示无症状感染者不会引起大暴发#"]
    out = _labels(words, [[60, 50, 40, 30, 0], [0, 0, 0, 0, 70]], [100, 100])
    assert out.iloc[0]["label"] == "开学·学校·推迟"
    assert out.iloc[1]["label"].startswith("钟南山") and out.iloc[1]["label"].endswith("…")


def test_labels_fit_16_characters() -> None:
    words = ["#武汉市第一医院急诊科全体医护人员#", "#外省支援湖北对口支援表#", "医疗队", "支援"]
    out = _labels(words, [[50, 40, 30, 20], [0, 0, 0, 0]], [100, 100])
    assert L.content_length(out.iloc[0]["label"]) <= 16
    assert "#" not in out.iloc[0]["label"]


def test_a_clear_topic_of_short_titles_is_not_generic_but_chatter_is() -> None:
    """Titles hold few words: 火箭 in 4% of the sports titles is low coherence but ten times the
    corpus rate (THUCNews dev, measured); chatter words are spread over every topic."""
    words = ["火箭", "皇马", "巴萨", "生活", "人生", "国家", "基金", "市场", "反弹"]
    df = [[40, 40, 40, 0, 0, 0, 0, 0, 0],      # sports: 4% each, nowhere else
          [3, 2, 2, 60, 50, 60, 30, 30, 20],   # chatter: 5–6% each, common in other topics too
          [0, 0, 0, 30, 25, 30, 200, 150, 120],
          [0, 0, 0, 30, 25, 30, 60, 60, 60]]
    out = _labels(words, df, [1000, 1000, 1000, 1000])
    assert out.iloc[0]["coherence"] < L.GENERIC_COHERENCE and not out.iloc[0]["is_generic"]
    assert out.iloc[1]["coherence"] < L.GENERIC_COHERENCE and out.iloc[1]["is_generic"]
    assert not out.iloc[2]["is_generic"]


def test_chatter_is_generic_even_when_its_rarer_words_make_a_label() -> None:
    """620k Weibo posts (2026-12-05): the 67,181-post topic 不好·家里·孩子 had 没有 真的 知道 觉得
    不要 现在 … as 7 of the 10 words its posts use most, and was not flagged."""
    chatter = ["没有", "真的", "知道", "觉得", "现在", "不要", "很多"]
    words = [*chatter, "孩子", "家里", "不好", "确诊", "病例", "新增", "死亡", "出院", "治愈", "累计"]
    df = [[90, 80, 70, 60, 55, 50, 45, 40, 30, 25, 0, 0, 0, 0, 0, 0, 0],  # chatter, 孩子/家里/不好 beside
          [30, 20, 20, 10, 10, 10, 10, 0, 0, 2, 70, 60, 55, 50, 45, 40, 35],  # a subject, chatter around
          [20, 10, 10, 10, 10, 10, 10, 0, 0, 0, 10, 10, 10, 10, 10, 10, 10]]
    out = _labels(words, df, [300, 300, 300])
    assert out.iloc[0]["label"].startswith("孩子") and out.iloc[0]["coherence"] >= L.GENERIC_COHERENCE
    assert out.iloc[0]["is_generic"]  # 7 of its 10 most-used words are chatter
    assert not out.iloc[1]["is_generic"]  # 3 of 10: a subject with everyday words around it


def test_a_corpus_of_one_subject_keeps_its_topics_apart_from_chatter() -> None:
    """Hotel reviews (ChnSentiCorp_htl_all, 7,375 reviews run as a corpus, 2026-12-07): 酒店 房间
    服务 不错 住 are among the words most used in every topic, so they are the corpus's own
    stopword-like words (kept out of labels), yet they are not chatter: before, all 8 topics
    (早餐·品种·好吃, 隔音·空调·声音, 前台·携程·打电话 …) were flagged generic."""
    domain = ["酒店", "房间", "服务", "不错", "入住", "住", "比较", "设施", "价格", "环境"]
    subjects = ["早餐", "品种", "好吃", "隔音", "空调", "声音", "前台", "携程", "打电话"]
    words = [*domain, "没有", *subjects]
    shared = [80, 78, 70, 60, 55, 50, 45, 40, 35, 30, 25]  # per 100 documents, in every topic
    df = [shared + [60, 40, 35, 0, 0, 0, 0, 0, 0],
          shared + [0, 0, 0, 50, 45, 40, 0, 0, 0],
          shared + [0, 0, 0, 0, 0, 0, 45, 40, 35]]
    counts = [[n * 10 for n in row] for row in df]  # 1,000 documents a topic
    out = _labels(words, counts, [1000, 1000, 1000])
    assert L.generic_terms(sparse.csr_matrix(np.array(counts, dtype=float)),
                           np.array([1000.0, 1000.0, 1000.0]))[:len(domain)].all()
    assert out["label"].tolist() == ["早餐·品种·好吃", "隔音·空调·声音", "前台·携程·打电话"]
    assert not out["is_generic"].any()


def test_a_topic_of_short_titles_without_a_5_percent_term_is_labelled_by_its_lift() -> None:
    """3,000 THUCNews dev titles (2026-12-07): the sports topic (270 titles, 89% sports) was
    杂谈 and flagged generic, its best term 曼联 in 13 titles (4.8%), yet 11 × the corpus rate.
    Terms held by ≥ 2% of a topic and ≥ 3 × as common there as in the corpus now label it; a
    topic whose frequent terms are common everywhere stays 杂谈."""
    words = ["曼联", "火箭", "夺冠", "中国", "基金", "公司", "生活", "人生"]
    df = [[13, 11, 9, 9, 0, 0, 0, 0],           # sports titles: 3–5% each, ~10 × the corpus
          [0, 0, 0, 20, 60, 50, 0, 0],
          [0, 0, 0, 20, 0, 0, 8, 8],            # 3% each, but as common in the other topics
          [1, 1, 1, 20, 10, 10, 20, 20]]
    out = _labels(words, df, [270, 1000, 270, 1000])
    assert out.iloc[0]["label"] == "曼联·火箭·夺冠" and not out.iloc[0]["is_generic"]
    assert out.iloc[2]["label"] == L.GENERIC_LABEL and out.iloc[2]["is_generic"]
    few = _labels(["曼联", "基金"], [[2, 0], [0, 30]], [40, 300])  # 5% of 40, but 2 titles
    assert few.iloc[0]["label"] == L.GENERIC_LABEL


# A viral post (王辰: 新冠可能长期存在) quoted in every post of three topics cut from one day, as
# in 5,000 real Weibo posts of 2020-02-20 (ws_wb45: topics 5, 25 and 28 were all 王辰·长期存在·新冠).
VIRAL_WORDS = ["王辰", "长期存在", "新冠", "病毒", "口罩", "防护", "快递", "副业", "消灭", "窗外",
               "双黄连", "口服液", "日本", "樱花"]
VIRAL_DF = [[100, 100, 100, 40, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],      # about the quote itself
            [100, 100, 100, 10, 48, 20, 10, 0, 0, 0, 0, 0, 0, 0],   # quote + 口罩 快递 防护
            [100, 100, 100, 5, 0, 0, 0, 20, 25, 15, 0, 0, 0, 0],    # quote + 副业 消灭 窗外
            [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 800, 700, 0, 0],
            [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 700, 300]]
VIRAL_COUNTED = [100, 100, 100, 1000, 1000]


def test_labels_clash_regression_three_topics_of_one_viral_quote_get_distinct_labels() -> None:
    """Finding 2 (2026-12-08): each topic labelled on its own gave the three the same label."""
    out = _labels(VIRAL_WORDS, VIRAL_DF, VIRAL_COUNTED).set_index("topic_id")
    assert set(out.loc[0, "label"].split("·")) == {"王辰", "长期存在", "新冠"}  # it holds them most
    assert set(out.loc[1, "label"].split("·")) == {"口罩", "防护", "快递"}
    assert set(out.loc[2, "label"].split("·")) == {"消灭", "副业", "窗外"}
    word_sets = [frozenset(label.split("·")) for label in out["label"]]
    assert len(set(word_sets)) == len(word_sets)
    for topic, row in out.iterrows():  # every label still names words of its own topic's posts
        for term in row["label_terms"]:
            held = VIRAL_DF[topic][VIRAL_WORDS.index(term)]
            assert held >= L.MIN_SHARE * VIRAL_COUNTED[topic], (topic, term)
        assert row["coherence"] == pytest.approx(
            np.mean([VIRAL_DF[topic][VIRAL_WORDS.index(t)] / VIRAL_COUNTED[topic] for t in row["label_terms"]]),
            abs=1e-4)


def test_labels_in_another_order_are_a_clash(monkeypatch: pytest.MonkeyPatch) -> None:
    """ws_ms: 新冠·王辰·长期存在 and 王辰·长期存在·新冠 were two labels for a reader."""
    assert L.label_words(["新冠", "王辰", "长期存在"]) == L.label_words(["王辰", "长期存在", "新冠"])
    assert L.label_words(["#武汉加油#"]) == L.label_words(["武汉加油"])
    df = [[100, 90, 80, 40, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],  # 王辰 first
          [80, 90, 100, 10, 48, 20, 10, 0, 0, 0, 0, 0, 0, 0],  # 新冠 first, and words of its own
          *VIRAL_DF[3:]]
    with monkeypatch.context() as unset:  # each topic on its own: the same words in another order
        unset.setattr(L, "set_apart", lambda *args: None)
        alone = _labels(VIRAL_WORDS, df, [100, 100, 1000, 1000])["label"].tolist()
    assert alone[0] != alone[1] and set(alone[0].split("·")) == set(alone[1].split("·"))
    out = _labels(VIRAL_WORDS, df, [100, 100, 1000, 1000])
    assert len({frozenset(label.split("·")) for label in out["label"]}) == 4


def test_a_clash_without_words_of_its_own_keeps_its_label() -> None:
    """A topic that has nothing but the shared words is not given words it does not use."""
    df = [VIRAL_DF[0], [100, 100, 100, 40, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], *VIRAL_DF[3:]]
    out = _labels(VIRAL_WORDS, df, [100, 100, 1000, 1000])
    assert out["label"].tolist()[0] == out["label"].tolist()[1]
