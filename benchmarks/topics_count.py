"""The automatic topic count: the previous rule ("best" silhouette) against the new one
("within-noise": the largest count within the run-to-run noise of the best silhouette).

1. THUCNews dev titles: the TRAIN half of the distillation split (``thucnews_split`` in
   tools/distill_static_zh.py, 5,000 titles; the held-out half is never read here), through
   the whole topic stage (``fit_topics``, static-zh), then six seeded random halves of them
   (2,500 titles each) through the clusterer alone (projection + k-means + small clusters to
   outliers, outliers then to the nearest kept centre) to see where each rule lands when the
   data move. Printed: count chosen, NMI against the 10 categories, outlier share.
2. Weibo (``--weibo-ws WS``, a prepared workspace such as a 50k sample of the 2020 covid
   posts): the topic stage with each rule, then for each event keyword (双黄连, 钻石公主号,
   红十字会, ...) the topic holding most of the posts that mention it, and how many distinct
   topics the events get (more = kept apart).

Usage: ``python benchmarks/topics_count.py [--weibo-ws /tmp/ws50k] [--skip-titles]``
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path[:0] = [str(Path(__file__).resolve().parents[1]),  # this checkout's opinion
                str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parents[1] / "tools")]
from distill_static_zh import thucnews_split  # noqa: E402
from topics_thucnews import _embeddings, _load, _Precomputed, _workspace  # noqa: E402

from opinion import schema as S  # noqa: E402
from opinion.io.workspace import Workspace  # noqa: E402
from opinion.topics import count  # noqa: E402
from opinion.topics.components import CentroidClusterer, LinearProjection, normalise_rows  # noqa: E402
from opinion.topics.metrics import outlier_share  # noqa: E402
from opinion.topics.model import fit_topics  # noqa: E402

EVENTS = ("双黄连", "钻石公主号", "红十字会", "李文亮", "方舱医院", "复工", "开学")


def _stage(ws: Workspace, rule: str, embedding: str, seed: int = 42) -> tuple[Workspace, float]:
    count.DEFAULT_RULE = rule
    start = time.perf_counter()
    fit_topics(ws, embedding=embedding, seed=seed, force=True)
    return ws, time.perf_counter() - start


def _clusterer_only(vectors: np.ndarray, rule: str, seed: int) -> tuple[np.ndarray, np.ndarray, int]:
    """Topics as the stage's clusterer gives them: before and after outlier reassignment."""
    count.DEFAULT_RULE = rule
    X = LinearProjection(n_components=50, seed=seed).fit_transform(vectors)
    model = CentroidClusterer(n_clusters="auto", min_size=10, seed=seed).fit(X)
    original = model.labels_.copy()
    final = original.copy()
    kept = sorted(set(original.tolist()) - {-1})
    if kept and (original == -1).any():
        centres = normalise_rows(np.vstack([X[original == t].mean(axis=0) for t in kept]))
        final[original == -1] = np.asarray(kept)[np.argmax(X[original == -1] @ centres.T, axis=1)]
    return original, final, model.n_clusters_


def titles(embedding: str) -> None:
    from sklearn.metrics import normalized_mutual_info_score as nmi

    every = _load(10_000)
    train, _ = thucnews_split(every["label"].tolist())
    dev = every.iloc[train].reset_index(drop=True)  # the held-out half is not ours
    vectors = _embeddings(embedding, dev)
    labels = dev["label"].to_numpy()
    print(f"THUCNews dev titles (train half of the distillation split): {len(dev):,}, "
          f"embedding {embedding}\n")
    print("| data | rule | topics | NMI | outliers | s |")
    print("|---|---|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        ws, prepared = _workspace(Path(tmp) / "ws", dev)
        from opinion.topics import embed

        table = dict(zip(prepared[S.TEXT_NORM], vectors))
        embed._REGISTRY["precomputed"] = lambda: _Precomputed(table)
        for rule in ("best", "within-noise"):
            _, seconds = _stage(ws, rule, "precomputed")
            docs = ws.read(S.TOPIC_DOCS)
            print(f"| all 5,000 (whole stage) | {rule} | {ws.read(S.TOPICS)[S.TOPIC_ID].ge(0).sum()} | "
                  f"{nmi(labels, docs[S.TOPIC_ID]):.3f} | {outlier_share(docs[S.TOPIC_ID_ORIGINAL]):.1%} | "
                  f"{seconds:.1f} |")
    gains = []
    for half in range(6):
        rows = np.sort(np.random.default_rng(100 + half).choice(len(dev), len(dev) // 2, replace=False))
        scores = {}
        for rule in ("best", "within-noise"):
            start = time.perf_counter()
            original, final, k = _clusterer_only(vectors[rows], rule, seed=half)
            scores[rule] = nmi(labels[rows], final)
            print(f"| half {half} (2,500) | {rule} | {k} | {scores[rule]:.3f} | "
                  f"{outlier_share(original):.1%} | {time.perf_counter() - start:.1f} |")
        gains.append(scores["within-noise"] - scores["best"])
    print(f"\nNMI within-noise − best over the six halves: mean {np.mean(gains):+.3f}, "
          f"min {np.min(gains):+.3f}, max {np.max(gains):+.3f}")


def weibo(root: Path, embedding: str) -> None:
    ws = Workspace.open(root)
    texts = pd.concat([ws.read_part(S.PREPARED, p, columns=[S.DOC_ID, S.TEXT_NORM])
                       for p in ws.parts(S.PREPARED)], ignore_index=True)
    print(f"\nWeibo workspace {root}: {len(texts):,} posts, embedding {embedding}\n")
    print("| rule | topics | s | " + " | ".join(EVENTS) + " | distinct topics |")
    print("|---|---:|---:|" + "---|" * len(EVENTS) + "---:|")
    for rule in ("best", "within-noise"):
        _, seconds = _stage(ws, rule, embedding)
        docs = texts.merge(ws.read(S.TOPIC_DOCS)[[S.DOC_ID, S.TOPIC_ID]], on=S.DOC_ID)
        cells, homes = [], set()
        for event in EVENTS:
            hit = docs[docs[S.TEXT_NORM].str.contains(event, regex=False)]
            if hit.empty:
                cells.append("—")
                continue
            top = hit[S.TOPIC_ID].value_counts()
            homes.add(int(top.index[0]))
            cells.append(f"{int(top.index[0])} ({top.iloc[0] / len(hit):.0%} of {len(hit)})")
        n_topics = ws.read(S.TOPICS)[S.TOPIC_ID].ge(0).sum()
        print(f"| {rule} | {n_topics} | {seconds:.0f} | " + " | ".join(cells) + f" | {len(homes)} |")
    count.DEFAULT_RULE = "within-noise"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--embedding", default="static-zh")
    parser.add_argument("--weibo-ws", type=Path)
    parser.add_argument("--skip-titles", action="store_true")
    args = parser.parse_args()
    if not args.skip_titles:
        titles(args.embedding)
    if args.weibo_ws:
        weibo(args.weibo_ws, args.embedding)


if __name__ == "__main__":
    main()
