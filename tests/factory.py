"""Build a small workspace holding every stage's table, for tests of the readers of those
tables (export, explorer) that must not depend on fitting models.

The texts are real (``tests/data/workspace_sample.jsonl``); the stage outputs follow the
column contract of :mod:`opinion.schema` and are derived from the texts by simple,
documented rules (keyword topics, a token-count sentiment), not by the real models. Tests of
the real stages build their workspaces with the stages themselves.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import jieba
import opencc
import pandas as pd

from opinion import schema as S
from opinion.io.workspace import Workspace
from opinion.topics.tables import topics_per_source_table

SAMPLE = Path(__file__).parent / "data" / "workspace_sample.jsonl"

THEMES = {"信任": ["信任", "诚信", "品控", "假货", "投诉", "售后"], "国货": ["国货"],
          "非遗": ["非遗"], "直播电商": ["直播", "带货", "直播电商", "主播"]}
TOPIC_RULES = [  # (topic_id, label, keywords), first match wins
    (0, "0_口罩_戴口罩_防护", ["口罩"]),
    (1, "1_直播_带货_国货", ["直播", "带货", "国货", "非遗"]),
    (2, "2_确诊_病例_新型肺炎", ["确诊", "病例", "肺炎"]),
]
OTHER = (3, "3_武汉_加油_疫情")


def _topic_of(text: str) -> tuple[int, str]:
    for topic_id, label, words in TOPIC_RULES:
        if any(w in text for w in words):
            return topic_id, label
    return OTHER


def make_workspace(root: str | Path, *, with_topics: bool = True) -> Workspace:
    """Write corpus, prepared, sentiment and (optionally) topic tables for the sample."""
    rows = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines()]
    t2s = opencc.OpenCC("t2s")
    ws = Workspace.open(root, create=True)
    corpus, prepared, sentiment, topic_docs = [], [], [], []
    first_by_hash: dict[str, str] = {}
    for i, row in enumerate(rows, start=1):
        doc_id = f"sample-{i}"
        text = row["text"]
        digest = hashlib.sha1(text.encode("utf-8")).hexdigest()
        corpus.append({
            S.DOC_ID: doc_id, S.TITLE: None, S.TEXT_RAW: text,
            S.PUBLISHED_AT: pd.Timestamp(row["date"]), S.SOURCE: row["source"],
            S.INPUT_FILE: "workspace_sample.jsonl", S.INPUT_ROW: i, S.ENCODING: "utf-8",
            S.DECODE_ERROR: False, S.TEXT_HASH: digest,
            S.DUPLICATE_OF: first_by_hash.get(digest), S.META: "{}",
        })
        first_by_hash.setdefault(digest, doc_id)
        norm = t2s.convert(text)
        tokens = [t for t in jieba.lcut(norm) if t.strip()]
        hits = {S.theme_column(name): sum(t in words for t in tokens) for name, words in THEMES.items()}
        prepared.append({S.DOC_ID: doc_id, S.TEXT_CLEAN: text,
                         S.SCRIPT: "zh-Hant" if norm != text else "zh-Hans",
                         S.TEXT_NORM: norm, S.TOKENS: tokens, **hits})
        score = round(0.15 + 0.7 * ((len(tokens) * 7) % 10) / 9, 4)
        label = "positive" if score > 0.6 else "negative" if score < 0.4 else "neutral"
        emotion = {"positive": "happiness", "neutral": "neutral"}.get(label, ("anger", "sadness")[i % 2])
        sentiment.append({S.DOC_ID: doc_id, S.SENTIMENT_SCORE: score, S.SENTIMENT_LABEL: label,
                          S.EMOTION_LABEL: emotion,
                          # the class probabilities the real stage writes (the label's class 1.0)
                          **{f"{S.SENTIMENT_PROB_PREFIX}{c}": float(c == label)
                             for c in ("negative", "neutral", "positive")},
                          **{f"{S.EMOTION_PROB_PREFIX}{e}": float(e == emotion) for e in S.EMOTIONS},
                          **{f"{S.THEME_SENTIMENT_PREFIX}{name}": (score if hits[S.theme_column(name)] else None)
                             for name in THEMES}})
        topic_id, topic_label = _topic_of(norm)
        topic_docs.append({S.DOC_ID: doc_id, S.TOPIC_ID: topic_id, S.TOPIC_ID_ORIGINAL: topic_id,
                           S.TOPIC_PROB: 0.9, S.TOPIC_LABEL: topic_label})
    corpus_df = pd.DataFrame(corpus)
    corpus_df[S.PUBLISHED_AT] = pd.to_datetime(corpus_df[S.PUBLISHED_AT])
    ws.write_part(S.CORPUS, "sample-00000", corpus_df)
    ws.write_part(S.PREPARED, "sample-00000", pd.DataFrame(prepared))
    ws.write_part(S.SENTIMENT, "sample-00000", pd.DataFrame(sentiment))
    ws.manifest["inputs"].append({"path": str(SAMPLE), "key": "sample", "rows_read": len(rows),
                                  "rows_loaded": len(rows), "rows_rejected": 0, "sha256": "test"})
    ws.save_manifest()
    if with_topics:
        _write_topic_tables(ws, corpus_df, pd.DataFrame(topic_docs))
    return ws


def _write_topic_tables(ws: Workspace, corpus: pd.DataFrame, docs: pd.DataFrame) -> None:
    ws.write_table(S.TOPIC_DOCS, docs)
    merged = docs.merge(corpus, on=S.DOC_ID)
    topics = []
    for (topic_id, label), group in merged.groupby([S.TOPIC_ID, S.TOPIC_LABEL]):
        terms = label.split("_")[1:]
        topics.append({S.TOPIC_ID: topic_id, "label": label, "size": len(group),
                       "share": len(group) / len(merged), "top_terms": terms,
                       "top_terms_weights": [0.3, 0.2, 0.1][: len(terms)],
                       "representative_doc_ids": group[S.DOC_ID].head(3).tolist()})
    ws.write_table(S.TOPICS, pd.DataFrame(topics))
    merged["period"] = merged[S.PUBLISHED_AT].dt.to_period("D").dt.start_time
    over_time = merged.groupby([S.TOPIC_ID, "period"]).size().rename("count").reset_index()
    over_time["share"] = over_time["count"] / over_time.groupby("period")["count"].transform("sum")
    ws.write_table(S.TOPICS_OVER_TIME, over_time)
    ws.write_table(S.TOPICS_PER_SOURCE,
                   topics_per_source_table(merged.groupby([S.TOPIC_ID, S.SOURCE]).size().to_dict()))
    ws.write_json("topic_metrics", {"npmi_mean": 0.05, "diversity": 0.9, "outlier_share": 0.1,
                                    "n_topics": len(topics), "seed": 42, "embedder": "tfidf"})


HTML_POST = '<script>alert("x")</script><img src="http://evil.example/a.png">口罩 [点我](http://evil.example)'
HOSTILE_LABEL = "=cmd|' /C calc'!A0_口罩"


def make_hostile_workspace(root: str | Path) -> Workspace:
    """:func:`make_workspace` where the hostile posts are what a report shows first.

    Topic 0 is labelled ``HOSTILE_LABEL`` (a formula) and its representative documents are
    the two formula posts and a post whose text is ``HTML_POST`` (markup and links).
    """
    ws = make_workspace(root)
    part = "sample-00000"
    corpus, prepared = ws.read_part(S.CORPUS, part), ws.read_part(S.PREPARED, part)
    corpus.loc[corpus[S.DOC_ID] == "sample-25", S.TEXT_RAW] = HTML_POST
    prepared.loc[prepared[S.DOC_ID] == "sample-25", [S.TEXT_CLEAN, S.TEXT_NORM]] = HTML_POST
    ws.write_part(S.CORPUS, part, corpus)
    ws.write_part(S.PREPARED, part, prepared)
    topics, docs = ws.read(S.TOPICS), ws.read(S.TOPIC_DOCS)
    topics.loc[topics[S.TOPIC_ID] == 0, "label"] = HOSTILE_LABEL
    topics["representative_doc_ids"] = [["sample-53", "sample-54", "sample-25"] if t == 0 else list(ids)
                                        for t, ids in zip(topics[S.TOPIC_ID], topics["representative_doc_ids"])]
    docs.loc[docs[S.TOPIC_ID] == 0, S.TOPIC_LABEL] = HOSTILE_LABEL
    ws.write_table(S.TOPICS, topics)
    ws.write_table(S.TOPIC_DOCS, docs)
    return ws


CR_POST = "武汉加油\r=cmd|' /C calc'!A0"  # a bare CR split a CSV row and left a live formula (issue 13)
SPACE_FORMULA = " =1+1 口罩"  # a space before = escaped the Markdown guard (issue 13)
OUTLIER_LABEL = "-1_无内容"  # BERTopic's outlier label: showed as '-1_无内容 in report.md (issue 13)


def markup_names(url: str) -> dict[str, str]:
    """Hostile source names, a hashtag topic label and a theme name pointing at ``url``."""
    return {
        "md_source": f"![img]({url}/md-source.png)",
        "html_source": f'<a href="{url}/a-source">链接</a><b>粗体</b><img src="{url}/img-source.png">',
        "hashtag": f"#<b>粗体</b><img src={url}/img-hashtag.png>#",
        "label": f"1_#<b>粗体</b><img src={url}/img-hashtag.png>#_<a href=\"{url}/a-label\">国货</a>_%{{x}}",
        "theme": f"<b>议题</b><img src={url}/img-theme.png>",
        "post": f"武汉加油 看图 ![图]({url}/img-post.png) <img src=\"{url}/img-post-html.png\"> "
                f"原文 {url}/post-link 邮箱 news@xinhua.cn",
    }


def make_markup_workspace(root: str | Path, url: str = "http://127.0.0.1:9") -> Workspace:
    """:func:`make_hostile_workspace` plus markup in the names every view draws (issue 13).

    The ``weibo`` posts of 2020-03-01 come from two sources named in Markdown and HTML that
    load ``url``; topic 1's label and first term hold a hashtag with HTML; a theme named in
    HTML is mentioned by every post; post ``sample-1`` holds a bare CR before a formula,
    ``sample-2`` a formula after a space and ``sample-3`` images and links to ``url``.
    Sorted, the two hostile sources come first.
    """
    names = markup_names(url)
    ws = make_hostile_workspace(root)
    part = "sample-00000"
    corpus, prepared = ws.read_part(S.CORPUS, part), ws.read_part(S.PREPARED, part)
    for doc_id, text in (("sample-1", CR_POST), ("sample-2", SPACE_FORMULA), ("sample-3", names["post"])):
        corpus.loc[corpus[S.DOC_ID] == doc_id, S.TEXT_RAW] = text
        prepared.loc[prepared[S.DOC_ID] == doc_id, [S.TEXT_CLEAN, S.TEXT_NORM]] = text
    march = corpus[S.PUBLISHED_AT] >= pd.Timestamp("2020-03-01")
    corpus.loc[march, S.SOURCE] = [names["md_source"] if i % 2 else names["html_source"] for i in range(march.sum())]
    prepared[S.theme_column(names["theme"])] = 1
    ws.write_part(S.CORPUS, part, corpus)
    ws.write_part(S.PREPARED, part, prepared)
    topics, docs = ws.read(S.TOPICS), ws.read(S.TOPIC_DOCS)
    topics.loc[topics[S.TOPIC_ID] == 1, "label"] = names["label"]
    topics["top_terms"] = [[names["hashtag"], *list(terms)[1:]] if t == 1 else list(terms)
                           for t, terms in zip(topics[S.TOPIC_ID], topics["top_terms"])]
    docs.loc[docs[S.TOPIC_ID] == 1, S.TOPIC_LABEL] = names["label"]
    topics.loc[topics[S.TOPIC_ID] == 2, "label"] = OUTLIER_LABEL
    docs.loc[docs[S.TOPIC_ID] == 2, S.TOPIC_LABEL] = OUTLIER_LABEL
    ws.write_table(S.TOPICS, topics)
    ws.write_table(S.TOPIC_DOCS, docs)
    return ws


def make_flagged_workspace(root: str | Path) -> Workspace:
    """:func:`make_workspace` with a ``flags`` table as ``opinion prepare`` writes it (:mod:`opinion.flags`).

    Exact copies point to their original as near-duplicates too (the real pass puts them in
    their original's cluster). Of topic 0 (口罩), the 2nd and 3rd posts are near-duplicates of
    its 1st, and the 3rd and 4th are spam. So: 2 exact duplicates, 2 near-duplicates, 2 spam
    posts, and 3 of topic 0's posts are left out of its default list.
    """
    ws = make_workspace(root)
    part = "sample-00000"
    corpus = ws.read_part(S.CORPUS, part)
    docs = ws.read(S.TOPIC_DOCS)
    first, second, third, fourth = docs.loc[docs[S.TOPIC_ID] == 0, S.DOC_ID].head(4)
    assert corpus.set_index(S.DOC_ID).loc[[first, second, third, fourth], S.DUPLICATE_OF].isna().all()
    near = dict(zip(corpus[S.DOC_ID], corpus[S.DUPLICATE_OF])) | {second: first, third: first}
    spam = {third, fourth}
    ws.write_part(S.FLAGS, part, pd.DataFrame({
        S.DOC_ID: corpus[S.DOC_ID], S.NEAR_DUPLICATE_OF: corpus[S.DOC_ID].map(near),
        S.SPAM_SCORE: [0.9 if d in spam else 0.1 for d in corpus[S.DOC_ID]],
        S.IS_SPAM: [d in spam for d in corpus[S.DOC_ID]]}))
    return ws


def markdown_tables(at) -> list[pd.DataFrame]:
    """The Markdown tables an ``AppTest`` page shows (the explorer's static tables), each as a
    frame of its cells as written (still escaped: ``news\\-cn``), the header row as columns."""
    import re

    tables = []
    for element in at.markdown:
        lines = str(element.value).splitlines()
        if len(lines) < 2 or not re.fullmatch(r"\|( :?-+:? \|)+", lines[1]):
            continue
        split = [re.split(r"(?<!\\)\|", line.strip())[1:-1] for line in lines]
        rows = [[cell.strip() for cell in cells] for cells in split]
        tables.append(pd.DataFrame(rows[2:], columns=rows[0]))
    return tables


APP = Path(__file__).resolve().parents[1] / "app.py"


def open_explorer(monkeypatch, root: str | Path, section: str = "Topics", **params: str):
    """An explorer session (Streamlit's ``AppTest``) on ``root``, opened at ``section`` through
    the URL as a link does, with ``params`` in the URL too; checked to have run cleanly."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setattr(sys, "argv", ["app.py", "--workspace", str(root)])
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params.update({"section": section, **params})
    at.run()
    assert not at.exception, at.exception
    return at

