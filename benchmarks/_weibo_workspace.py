"""Build a big explorer workspace from the 620k real Weibo posts (benchmark input only).

The corpus table is real (text, day, ``weibo`` as source, exact-duplicate links). The stage
outputs are *not* the real models: they follow the table contract with cheap vectorised rules
(keyword theme hits, keyword topics, a length-based sentiment score), which is enough to
time the explorer's queries at full size. Tokens are left empty (the explorer does not read
them). Used by ``benchmarks/explorer_speed.py``; the workspace is cached in
``benchmarks/out/weibo-explore-ws``.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd

from opinion import schema as S
from opinion.io.workspace import Workspace
from opinion.topics.tables import topics_per_source_table

WEIBO = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "weibo" / "covid19_weibo_2020"
THEMES = {"防护": ["口罩", "防护", "消毒"], "信任": ["信任", "谣言", "辟谣", "真相"],
          "医疗": ["医院", "医生", "护士", "确诊"], "武汉": ["武汉"]}
TOPICS = [(0, "0_口罩_防护_消毒", "口罩|防护|消毒"), (1, "1_确诊_病例_新增", "确诊|病例|新增"),
          (2, "2_武汉_加油_中国", "武汉加油|中国加油|加油"), (3, "3_医生_医院_护士", "医生|医院|护士"),
          (4, "4_谣言_辟谣_真相", "谣言|辟谣|真相"), (5, "5_春节_回家_过年", "春节|回家|过年")]
OTHER = (6, "6_疫情_肺炎_冠状病毒")


def _read_day(path: Path) -> pd.DataFrame:
    month, day = path.name.split(".")[:2]
    frame = pd.read_csv(path, encoding="gb18030", encoding_errors="replace", dtype=str,
                        on_bad_lines="skip", engine="python")
    frame = frame.rename(columns=str.strip)
    text = frame["text"].fillna("").astype(str)
    stamp = pd.Timestamp(2020, int(month), int(day))
    rows = np.arange(1, len(frame) + 1)
    return pd.DataFrame({
        S.DOC_ID: [f"weibo-{month}.{day}-{r}" for r in rows], S.TITLE: None, S.TEXT_RAW: text,
        S.PUBLISHED_AT: stamp + pd.to_timedelta(rows % 86400, unit="s"), S.SOURCE: "weibo",
        S.INPUT_FILE: path.name, S.INPUT_ROW: rows, S.ENCODING: "gb18030", S.DECODE_ERROR: False,
        S.TEXT_HASH: [hashlib.sha1(t.encode("utf-8")).hexdigest()[:16] for t in text],
        S.DUPLICATE_OF: None, S.META: "{}",
    })


def build(root: Path) -> Workspace:
    """Write the workspace at ``root`` (reused when it already has topic tables)."""
    if (root / "topics.parquet").exists():
        return Workspace.open(root)
    ws = Workspace.open(root, create=True)
    seen: dict[str, str] = {}
    docs, metas = [], []
    for path in sorted(WEIBO.glob("*.csv.gz"), key=lambda p: tuple(int(x) for x in p.name.split(".")[:2])):
        corpus = _read_day(path)
        corpus[S.DUPLICATE_OF] = [seen.get(h) for h in corpus[S.TEXT_HASH]]
        for h, d in zip(corpus[S.TEXT_HASH], corpus[S.DOC_ID]):
            seen.setdefault(h, d)
        part = path.name.removesuffix(".csv.gz")
        text = corpus[S.TEXT_RAW]
        hits = {S.theme_column(n): sum(text.str.count(w) for w in words) for n, words in THEMES.items()}
        ws.write_part(S.CORPUS, part, corpus)
        ws.write_part(S.PREPARED, part, pd.DataFrame({
            S.DOC_ID: corpus[S.DOC_ID], S.TEXT_CLEAN: text, S.SCRIPT: "zh-Hans", S.TEXT_NORM: text,
            S.TOKENS: [[] for _ in range(len(text))], **hits}))
        score = (0.15 + 0.7 * ((text.str.len() * 7) % 10) / 9).round(4)
        label = np.where(score > 0.6, "positive", np.where(score < 0.4, "negative", "neutral"))
        ws.write_part(S.SENTIMENT, part, pd.DataFrame({
            S.DOC_ID: corpus[S.DOC_ID], S.SENTIMENT_SCORE: score, S.SENTIMENT_LABEL: label,
            **{f"{S.THEME_SENTIMENT_PREFIX}{n}": score.where(hits[S.theme_column(n)] > 0) for n in THEMES}}))
        topic = pd.Series(OTHER[0], index=text.index)
        for topic_id, _label, pattern in reversed(TOPICS):
            topic[text.str.contains(pattern, regex=True)] = topic_id
        docs.append(pd.DataFrame({S.DOC_ID: corpus[S.DOC_ID], S.TOPIC_ID: topic, S.TOPIC_ID_ORIGINAL: topic,
                                  S.TOPIC_PROB: 0.9}))
        metas.append(corpus[[S.DOC_ID, S.PUBLISHED_AT, S.SOURCE]])
        ws.manifest["inputs"].append({"path": path.name, "key": path.name.split(".csv")[0], "sha256": "benchmark",
                                      "rows_loaded": len(corpus)})  # the keys a manifest must have
    ws.save_manifest()
    labels = dict([(t, lab) for t, lab, _ in TOPICS] + [OTHER])
    topic_docs = pd.concat(docs, ignore_index=True)
    topic_docs[S.TOPIC_LABEL] = topic_docs[S.TOPIC_ID].map(labels)
    ws.write_table(S.TOPIC_DOCS, topic_docs)
    merged = topic_docs.merge(pd.concat(metas, ignore_index=True), on=S.DOC_ID)
    sizes = merged.groupby(S.TOPIC_ID).size()
    ws.write_table(S.TOPICS, pd.DataFrame([{
        S.TOPIC_ID: t, "label": labels[t], "size": int(sizes.get(t, 0)), "share": sizes.get(t, 0) / len(merged),
        "top_terms": labels[t].split("_")[1:], "top_terms_weights": [0.3, 0.2, 0.1],
        "representative_doc_ids": merged.loc[merged[S.TOPIC_ID] == t, S.DOC_ID].head(3).tolist()}
        for t in labels]))
    merged["period"] = merged[S.PUBLISHED_AT].dt.floor("D")
    over = merged.groupby([S.TOPIC_ID, "period"]).size().rename("count").reset_index()
    over["share"] = over["count"] / over.groupby("period")["count"].transform("sum")
    ws.write_table(S.TOPICS_OVER_TIME, over)
    ws.write_table(S.TOPICS_PER_SOURCE,
                   topics_per_source_table(merged.groupby([S.TOPIC_ID, S.SOURCE]).size().to_dict()))
    ws.write_json("topic_metrics", {"n_topics": len(labels), "embedder": "keyword rules (benchmark)"})
    return ws


if __name__ == "__main__":
    out = Path(__file__).resolve().parent / "out" / "weibo-explore-ws"
    print(build(out).root)
