"""TopicModel in a notebook against the workspace stage, on real Weibo posts.

    python benchmarks/api_topic_model.py [--day 1.24]

Loads one day of ``shared/data/weibo/covid19_weibo_2020`` through the front door
(``opinion.load`` with the date from the file name, ``opinion.prepare``), then fits topics
twice on the same prepared tokens: ``opinion.TopicModel().fit(table)`` in memory on the
prepared table joined with the corpus's ``duplicate_of`` and the flags table,
and the workspace stage ``opinion.topics(ws, workers=1)``. Prints the time of each and whether
they found the same topics (ids, sizes, labels) and placed every document the same way; then
the in-memory model on the raw texts (``fit(texts)``, tokenised again), with its topics.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
WEIBO = REPO.parent / "shared" / "data" / "weibo" / "covid19_weibo_2020"
OUT = REPO / "benchmarks" / "out"
sys.path.insert(0, str(REPO))  # this checkout's opinion, not an installed one


def main() -> None:
    import opinion
    from opinion import schema as S

    parser = argparse.ArgumentParser()
    parser.add_argument("--day", default="1.24")
    args = parser.parse_args()
    ws_dir = OUT / f"api-topic-model-{args.day}"
    shutil.rmtree(ws_dir, ignore_errors=True)
    start = time.perf_counter()
    opinion.load(WEIBO / f"{args.day}.csv.gz", ws_dir, date_from_filename=True, year=2020)
    opinion.prepare(ws_dir, workers=1)
    ws = opinion.Workspace.open(ws_dir)
    corpus = ws.read(S.CORPUS)
    prepared = ws.read(S.PREPARED).merge(corpus[[S.DOC_ID, S.DUPLICATE_OF, S.PUBLISHED_AT]], on=S.DOC_ID)
    if ws.has(S.FLAGS):  # near-duplicates and spam stay out of the fit, as in the stage
        prepared = prepared.merge(ws.read(S.FLAGS, columns=[S.DOC_ID, S.NEAR_DUPLICATE_OF, S.IS_SPAM]),
                                  on=S.DOC_ID, how="left")
    print(f"{len(prepared):,} posts loaded and prepared in {time.perf_counter() - start:.1f} s; "
          f"load average {os.getloadavg()[0]:.1f}")

    # Warm up what both pay once per process (imports, the static embedding's file), so the
    # first timed fit is not charged for it.
    import bertopic  # noqa: F401

    from opinion.topics.embed import get_embedder

    get_embedder("static-zh").encode([["预热"]], texts=["预热"])
    start = time.perf_counter()
    model = opinion.TopicModel().fit(prepared)
    memory_s = time.perf_counter() - start
    start = time.perf_counter()
    opinion.topics(ws, workers=1)
    stage_s = time.perf_counter() - start
    info, table = model.get_topic_info(), ws.read(S.TOPICS)
    same_topics = (info[[S.TOPIC_ID, "count", "label"]].values.tolist()
                   == table[[S.TOPIC_ID, "size", "label"]].values.tolist())
    docs = ws.read(S.TOPIC_DOCS)
    same_docs = (model.documents_[S.TOPIC_ID].tolist() == docs[S.TOPIC_ID].tolist())
    print(f"TopicModel.fit(prepared) in memory: {memory_s:.1f} s; workspace stage (1 worker): "
          f"{stage_s:.1f} s; ratio stage/memory {stage_s / memory_s:.2f}")
    print(f"same topics (ids, sizes, labels): {same_topics}; same topic for every document: {same_docs}")

    start = time.perf_counter()
    texts_model = opinion.TopicModel().fit(corpus[S.TEXT_RAW], doc_ids=corpus[S.DOC_ID])
    print(f"TopicModel.fit(raw texts), tokenised again: {time.perf_counter() - start:.1f} s, "
          f"{(texts_model.get_topic_info()[S.TOPIC_ID] >= 0).sum()} topics")
    print(texts_model.get_topic_info()[[S.TOPIC_ID, "count", "label"]].to_string(index=False))


if __name__ == "__main__":
    main()
