"""The automatic topic count: the rules side by side, on dev news titles and on Weibo posts.

Rules (``opinion/topics/count.py``): ``best`` (the first rule: the single best cosine
silhouette), ``within-noise`` (the default: the largest count whose mean silhouette over three
k-means runs + its standard deviation reaches the best mean), ``within-noise full-dim``
(the same, silhouettes measured on the full unit-length embeddings instead of the 50-d
projection) and ``stability`` (the largest count whose mean ARI between k-means runs on four
seeded 80% subsamples + its standard deviation reaches the most stable count's).

1. THUCNews dev titles: the TRAIN half of the distillation split (``thucnews_split`` in
   tools/distill_static_zh.py, 5,000 titles; the held-out half is never read here), then six
   seeded random halves of them (2,500 titles each), all through the clusterer as the stage
   runs it (projection + k-means + small clusters to outliers, outliers then to the nearest
   kept centre). Printed per data set and rule: count chosen, NMI against the 10 categories,
   outlier share, seconds of the count selection; then, on the whole split, the whole topic
   stage (``fit_topics``) at each count a rule chose.
2. Weibo (``--weibo-ws WS``, a prepared workspace such as a 50k sample of the 2020 covid
   posts): the fit documents the stage would use (distinct texts, same sample and embedder),
   the count each rule chooses, and for each event keyword (双黄连, 钻石公主号, 红十字会, ...)
   the topic holding most of the posts that mention it: its share of the event's posts
   (recall) and the event's share of that topic (purity), and how many distinct topics the
   five named events get.

Usage: ``python benchmarks/topics_count.py [--weibo-ws /tmp/ws50k] [--skip-titles] [--counts 15,30,50]``;
``--make-weibo-ws /tmp/ws50k`` builds that sample first (880 posts per daily file, seed 17).
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
from opinion.topics.components import AUTO_CANDIDATES, CentroidClusterer, LinearProjection, normalise_rows  # noqa: E402
from opinion.topics.metrics import outlier_share  # noqa: E402
from opinion.topics.model import fit_topics  # noqa: E402

EVENTS = ("双黄连", "钻石公主号", "红十字会", "李文亮", "方舱医院", "复工", "开学")
NAMED = EVENTS[:5]  # the events the issue wants kept apart
RULES = ("best", "within-noise", "within-noise full-dim", "stability")
MIN_SIZE = 10


def choose(X: np.ndarray, vectors: np.ndarray, rule: str, seed: int) -> tuple[int, dict[int, float], float]:
    """The count ``rule`` picks on the projected ``X`` (``vectors``: the full embeddings)."""
    start = time.perf_counter()
    full = rule.endswith("full-dim")
    k, scores = count.choose_count(X, candidates=AUTO_CANDIDATES, min_size=MIN_SIZE, seed=seed,
                                   rule=rule.split()[0], space=normalise_rows(vectors) if full else None)
    return k, scores, time.perf_counter() - start


def cluster_at(X: np.ndarray, k: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Topics as the stage's clusterer gives them at ``k``: before and after outlier reassignment."""
    model = CentroidClusterer(n_clusters=k, min_size=MIN_SIZE, seed=seed).fit(X)
    original = model.labels_.copy()
    final = original.copy()
    kept = sorted(set(original.tolist()) - {-1})
    if kept and (original == -1).any():
        centres = normalise_rows(np.vstack([X[original == t].mean(axis=0) for t in kept]))
        final[original == -1] = np.asarray(kept)[np.argmax(X[original == -1] @ centres.T, axis=1)]
    return original, final


def compare(name: str, vectors: np.ndarray, labels: np.ndarray, seed: int,
            per_count: bool = False) -> dict[str, int]:
    """One table row per rule on one data set; returns the count each rule chose. With
    ``per_count``, then every candidate's score under each rule and its NMI (diagnostic)."""
    from sklearn.metrics import normalized_mutual_info_score as nmi

    X = LinearProjection(n_components=50, seed=seed).fit_transform(vectors)
    done: dict[int, tuple[float, float]] = {}
    chosen, scores = {}, {}
    for rule in RULES:
        k, scores[rule], seconds = choose(X, vectors, rule, seed)
        if k not in done:
            original, final = cluster_at(X, k, seed)
            done[k] = (nmi(labels, final), outlier_share(original))
        chosen[rule] = k
        print(f"| {name} | {rule} | {k} | {done[k][0]:.3f} | {done[k][1]:.1%} | {seconds:.1f} |", flush=True)
    if per_count:
        print(f"\nPer candidate count on {name} (mean score of each rule; NMI of the clusterer at that count):\n")
        print("| topics | " + " | ".join(RULES[1:]) + " | NMI |\n|---:|" + "---:|" * len(RULES))
        for k in scores[RULES[1]]:
            print(f"| {k} | " + " | ".join(f"{scores[r][k]:.4f}" for r in RULES[1:])
                  + f" | {nmi(labels, cluster_at(X, k, seed)[1]):.3f} |", flush=True)
        print()
    return chosen


def titles(embedding: str) -> None:
    from sklearn.metrics import normalized_mutual_info_score as nmi

    every = _load(10_000)
    train, _ = thucnews_split(every["label"].tolist())
    dev = every.iloc[train].reset_index(drop=True)  # the held-out half is not ours
    vectors = _embeddings(embedding, dev)
    labels = dev["label"].to_numpy()
    print(f"THUCNews dev titles (train half of the distillation split): {len(dev):,}, "
          f"embedding {embedding}\n")
    print("| data | rule | topics | NMI | outliers | selection s |")
    print("|---|---|---:|---:|---:|---:|")
    chosen = compare(f"all {len(dev):,}", vectors, labels, seed=42, per_count=True)
    for half in range(6):
        rows = np.sort(np.random.default_rng(100 + half).choice(len(dev), len(dev) // 2, replace=False))
        compare(f"half {half} ({len(rows):,})", vectors[rows], labels[rows], seed=half)
    print("\nWhole topic stage (fit_topics, seed 42) at each count a rule chose on all titles:\n")
    print("| topics | rules | NMI | outliers | s |\n|---:|---|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        ws, prepared = _workspace(Path(tmp) / "ws", dev)
        from opinion.topics import embed

        table = dict(zip(prepared[S.TEXT_NORM], vectors))
        embed._REGISTRY["precomputed"] = lambda: _Precomputed(table)
        for k in sorted(set(chosen.values())):
            start = time.perf_counter()
            fit_topics(ws, embedding="precomputed", nr_topics=k, seed=42, force=True)
            docs = ws.read(S.TOPIC_DOCS)
            rules = ", ".join(r for r, c in chosen.items() if c == k)
            print(f"| {k} | {rules} | {nmi(labels, docs[S.TOPIC_ID]):.3f} | "
                  f"{outlier_share(docs[S.TOPIC_ID_ORIGINAL]):.1%} | {time.perf_counter() - start:.1f} |")


def make_weibo_ws(root: Path, per_file: int = 880, seed: int = 17) -> None:
    """The 50k Weibo sample of docs/topics.md: ``per_file`` posts drawn with ``seed`` from each
    daily file of ``covid19_weibo_2020`` (GB18030), user ids left out, loaded (dates from the
    file names) and prepared with the real stages on one worker."""
    from opinion.io.load import load_corpus
    from opinion.prepare import prepare_workspace

    source = Path(__file__).resolve().parents[2] / "shared" / "data" / "weibo" / "covid19_weibo_2020"
    files = root.parent / f"{root.name}-files"
    files.mkdir(parents=True, exist_ok=True)
    for path in sorted(source.glob("*.csv.gz")):
        frame = pd.read_csv(path, encoding="gb18030", encoding_errors="replace", dtype=str)
        frame = frame.sample(n=min(per_file, len(frame)), random_state=seed)[["text"]]
        frame.to_csv(files / path.name.removesuffix(".gz"), index=False)
    load_corpus([str(files)], root, date_from_filename=True, year=2020)
    print(prepare_workspace(root, workers=1))


def fit_documents(root: Path, embedding: str, seed: int = 42) -> tuple[list[str], np.ndarray]:
    """Texts and embeddings of the documents the topic stage would fit on (same scan and sample)."""
    from opinion.config import TopicSettings
    from opinion.topics import fit as F
    from opinion.topics.embed import get_embedder
    from opinion.topics.embed_cache import encode

    ws = Workspace.open(root)
    scan = F.scan_corpus(ws)
    rows, _ = scan.fit_rows(TopicSettings().sample_size, seed=seed, period=scan.choose_period())
    fit = F.read_fit_rows(ws, scan, rows, None)
    keep = [i for i, terms in enumerate(fit.terms) if terms]
    tokens, texts = [fit.tokens[i] for i in keep], [fit.texts[i] for i in keep]
    embedder = get_embedder(embedding).fit(tokens, texts=texts)
    vectors = encode(embedder, tokens, texts)
    content = np.linalg.norm(vectors, axis=1) > 0
    return [t for t, c in zip(texts, content) if c], vectors[content]


def event_cells(texts: pd.Series, topics: np.ndarray) -> tuple[list[str], int]:
    """Per event: home topic (recall of the event's posts, purity of the topic); distinct homes."""
    cells, homes = [], set()
    sizes = pd.Series(topics).value_counts()
    for event in EVENTS:
        hit = texts.str.contains(event, regex=False).to_numpy()
        if not hit.any():
            cells.append("—")
            continue
        top = pd.Series(topics[hit]).value_counts()
        home = int(top.index[0])
        homes.add(home) if event in NAMED else None
        cells.append(f"{home} ({top.iloc[0] / hit.sum():.0%} / {top.iloc[0] / sizes[home]:.0%})")
    return cells, len(homes)


SUB_CANDIDATES = (2, 3, 4, 5, 6, 8, 10, 12, 15)


def events_split(X: np.ndarray, topics: np.ndarray, seed: int) -> np.ndarray:
    """Each topic split again into sub-topics ("events") by the default rule on its own rows
    (candidates 2–15, ≤ √n / 2); labels ``topic * 100 + sub``."""
    out = topics * 100
    for topic in sorted(set(topics.tolist()) - {-1}):
        rows = np.flatnonzero(topics == topic)
        if len(rows) < 8 * MIN_SIZE:
            continue
        k, _ = count.choose_count(X[rows], candidates=SUB_CANDIDATES, min_size=MIN_SIZE, seed=seed)
        out[rows] += cluster_at(X[rows], k, seed)[1]
    return out


def weibo(root: Path, embedding: str, counts: list[int]) -> None:
    texts, vectors = fit_documents(root, embedding)
    texts = pd.Series(texts)
    X = LinearProjection(n_components=50, seed=42).fit_transform(vectors)
    print(f"\nWeibo workspace {root}: {len(texts):,} fit documents (distinct texts with words), "
          f"embedding {embedding}. Cells: home topic (share of the event's posts / event's share "
          f"of the topic)\n")
    print("| rule | topics | selection s | " + " | ".join(EVENTS) + " | named events' topics |")
    print("|---|---:|---:|" + "---|" * len(EVENTS) + "---:|")
    runs = [(rule, *choose(X, vectors, rule, 42)) for rule in RULES]
    runs += [(f"--nr-topics {k}", k, {}, 0.0) for k in counts]
    for rule, k, scores, seconds in runs:
        _, final = cluster_at(X, k, 42)
        cells, distinct = event_cells(texts, final)
        print(f"| {rule} | {k} | {seconds:.0f} | " + " | ".join(cells) + f" | {distinct} of {len(NAMED)} |",
              flush=True)
        if scores:
            print("  scores: " + ", ".join(f"{c}: {v}" for c, v in scores.items()), flush=True)
        if rule == count.DEFAULT_RULE:
            start = time.perf_counter()
            split = events_split(X, final, 42)
            cells, distinct = event_cells(texts, split)
            print(f"| {rule} + events split | {k} → {len(set(split.tolist()))} | "
                  f"{time.perf_counter() - start:.0f} | " + " | ".join(cells)
                  + f" | {distinct} of {len(NAMED)} |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--embedding", default="static-zh")
    parser.add_argument("--weibo-ws", type=Path)
    parser.add_argument("--skip-titles", action="store_true")
    parser.add_argument("--counts", default="", help="fixed counts to show beside the rules on Weibo")
    parser.add_argument("--make-weibo-ws", type=Path, help="build the 50k Weibo sample workspace here first")
    args = parser.parse_args()
    if args.make_weibo_ws:
        make_weibo_ws(args.make_weibo_ws)
    if not args.skip_titles:
        titles(args.embedding)
    if args.weibo_ws:
        weibo(args.weibo_ws, args.embedding, [int(c) for c in args.counts.split(",") if c])


if __name__ == "__main__":
    main()
