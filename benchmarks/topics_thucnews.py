"""Topics on 10,000 THUCNews titles: our default against the BERTopic docs' Chinese recipe.

Both get the same document embeddings (``--embedding``, default static-zh; computed once and
served to both from memory, so the wall times below exclude embedding) and the same prepared
tokens for scoring. Reported per method: NMI/ARI against the 10 categories, NPMI of
the top-10 terms (document co-occurrence over the prepared tokens), topic diversity, outlier
share and wall time, then the ratios.

- ours: ``opinion.topics.fit_topics`` on a workspace (the whole stage: PCA+k-means, outlier
  reassignment, topic words, tables, metrics and the saved model);
- recipe: ``BERTopic(vectorizer_model=CountVectorizer(tokenizer=jieba.lcut))`` with its default
  UMAP + HDBSCAN (min_topic_size 10), given the same embeddings (``fit_transform`` only; the
  first UMAP call in a process includes numba compilation, as it does for every user).

Usage: ``python benchmarks/topics_thucnews.py [--embedding static-zh] [--limit 10000] [--seeds 0,1,2,3,4]``
(``--static-path DIR`` scores another static-zh build, ``--no-recipe`` skips BERTopic's recipe).
Reads ``../shared/data/news/thucnews_titles_dev.tsv`` (beside the repository).
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from opinion import schema as S
from opinion.io.dedup import text_hash
from opinion.io.workspace import Workspace
from opinion.prepare import PrepareSettings, prepare_part
from opinion.topics.components import topic_terms
from opinion.topics.metrics import npmi_coherence, outlier_share, topic_diversity
from opinion.topics.model import fit_topics

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "news"
OUT = Path(__file__).resolve().parent / "out"


def _load(limit: int) -> pd.DataFrame:
    frame = pd.read_csv(DATA / "thucnews_titles_dev.tsv", sep="\t", header=None,
                        names=["title", "label"], quoting=csv.QUOTE_NONE, dtype={"title": str})
    return frame.head(limit).reset_index(drop=True)


def _workspace(root: Path, titles: pd.DataFrame) -> tuple[Workspace, pd.DataFrame]:
    ws = Workspace.open(root, create=True)
    corpus = pd.DataFrame({S.DOC_ID: [f"t{i:05d}" for i in range(len(titles))],
                           S.TEXT_RAW: titles["title"].fillna(""), S.SOURCE: "thucnews",
                           S.PUBLISHED_AT: pd.NaT, S.DUPLICATE_OF: None})
    first: dict[str, str] = {}
    dups = []
    for doc_id, text in zip(corpus[S.DOC_ID], corpus[S.TEXT_RAW]):
        dups.append(first.get(text))
        first.setdefault(text, doc_id)
    corpus[S.DUPLICATE_OF] = dups
    corpus[S.TEXT_HASH] = corpus[S.TEXT_RAW].map(text_hash)  # the topic stage orders its sample by it
    prepared = prepare_part(corpus, PrepareSettings())
    ws.write_part(S.CORPUS, "thucnews", corpus)
    ws.write_part(S.PREPARED, "thucnews", prepared)
    return ws, prepared


def _rows(titles: pd.DataFrame, split: str) -> np.ndarray:
    """Rows to score: all, or the held-out half of the distillation's THUCNews split."""
    if split == "all":
        return np.arange(len(titles))
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
    from distill_static_zh import thucnews_split

    _, held_out = thucnews_split(titles["label"].tolist())
    return held_out


def _embeddings(name: str, titles: pd.DataFrame, static_path: Path | None = None) -> np.ndarray:
    """Embeddings of every title; the slow teachers' are cached in benchmarks/out."""
    from opinion.topics.embed import get_embedder

    prepared = prepare_part(pd.DataFrame({S.DOC_ID: [f"t{i:05d}" for i in range(len(titles))],
                                          S.TEXT_RAW: titles["title"].fillna("")}),
                            PrepareSettings())
    tokens, texts = prepared[S.TOKENS].tolist(), prepared[S.TEXT_NORM].tolist()
    cache = OUT / f"thucnews_{name}_{len(titles)}.npy"
    if name in ("e5-small", "use-m3") and cache.exists():
        return np.load(cache)
    options = {"path": static_path} if name == "static-zh" and static_path else {}
    vectors = get_embedder(name, **options).fit(tokens, texts=texts).encode(tokens, texts=texts)
    if name in ("e5-small", "use-m3"):
        OUT.mkdir(exist_ok=True)
        np.save(cache, vectors)
    return vectors


def _cpu_seconds() -> float:
    """CPU time of this process (wall time on a shared machine depends on the neighbours)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _scores(labels: np.ndarray, topics: np.ndarray, terms: list[list[str]],
            token_docs: list[list[str]], seconds: tuple[float, float],
            outliers: float) -> dict[str, float]:
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    npmi = npmi_coherence(terms, token_docs)
    return {"nmi": normalized_mutual_info_score(labels, topics),
            "ari": adjusted_rand_score(labels, topics), "npmi": float(np.nanmean(npmi)),
            "diversity": topic_diversity(terms), "outliers": outliers,
            "n_topics": len(terms), "seconds": seconds[0], "cpu_seconds": seconds[1]}


class _Precomputed:
    """Serves embeddings computed once, looked up by the Simplified text."""

    name = "precomputed"

    def __init__(self, vectors: dict[str, np.ndarray]) -> None:
        self.vectors = vectors

    def fit(self, docs, *, texts=None):
        return self

    def encode(self, docs, *, texts=None) -> np.ndarray:
        return np.vstack([self.vectors[t] for t in texts])


def run_ours(ws: Workspace, labels: np.ndarray, token_docs: list[list[str]], *, embedding: str,
             nr_topics: int | str, seed: int = 42) -> dict[str, float]:
    start, cpu = time.perf_counter(), _cpu_seconds()
    fit_topics(ws, embedding=embedding, nr_topics=nr_topics, seed=seed, force=True)
    seconds = (time.perf_counter() - start, _cpu_seconds() - cpu)
    docs = ws.read(S.TOPIC_DOCS)
    topics = ws.read(S.TOPICS)
    terms = [list(t) for t in topics.loc[topics[S.TOPIC_ID] >= 0, "top_terms"]]
    return _scores(labels, docs[S.TOPIC_ID].to_numpy(), terms, token_docs, seconds,
                   outlier_share(docs[S.TOPIC_ID_ORIGINAL]))


def run_recipe(texts: list[str], embeddings: np.ndarray, labels: np.ndarray,
               token_docs: list[list[str]]) -> dict[str, float]:
    import jieba
    from bertopic import BERTopic
    from sklearn.feature_extraction.text import CountVectorizer

    jieba.initialize()
    start, cpu = time.perf_counter(), _cpu_seconds()
    model = BERTopic(vectorizer_model=CountVectorizer(tokenizer=jieba.lcut), language=None)
    topics, _ = model.fit_transform(texts, embeddings=embeddings)
    seconds = (time.perf_counter() - start, _cpu_seconds() - cpu)
    topics = np.asarray(topics)
    terms = [[w for w, _ in model.get_topic(t)][:10] for t in sorted(set(topics)) if t != -1]
    return _scores(labels, topics, terms, token_docs, seconds, outlier_share(topics))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--embedding", default="static-zh")
    parser.add_argument("--limit", type=int, default=10_000)
    parser.add_argument("--split", choices=("held-out", "all"), default="held-out",
                        help="held-out: only the titles static-zh's distillation never saw "
                             "(tools/distill_static_zh.py thucnews_split); all: every title")
    parser.add_argument("--seeds", default="0,1,2,3,4",
                        help="extra seeds for 'ours (auto)', to show how much the automatic count "
                             "and NMI move with the seed ('' for none)")
    parser.add_argument("--static-path", type=Path, default=None,
                        help="another static-zh folder built by tools/distill_static_zh.py")
    parser.add_argument("--no-recipe", action="store_true", help="skip BERTopic's docs recipe")
    args = parser.parse_args()
    titles = _load(args.limit)
    rows = _rows(titles, args.split)
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        embeddings = _embeddings(args.embedding, titles, args.static_path)[rows]
        embed_s = time.perf_counter() - start
        titles = titles.iloc[rows].reset_index(drop=True)
        labels = titles["label"].to_numpy()
        ws, prepared = _workspace(Path(tmp) / "ws", titles)
        tokens = prepared[S.TOKENS].tolist()
        texts = prepared[S.TEXT_NORM].tolist()
        token_docs = [topic_terms(t) for t in tokens]
        from opinion.topics import embed

        vectors = dict(zip(texts, embeddings))
        embed._REGISTRY["precomputed"] = lambda: _Precomputed(vectors)
        results = {
            "ours (auto)": run_ours(ws, labels, token_docs, embedding="precomputed", nr_topics="auto"),
            "ours (10 topics)": run_ours(ws, labels, token_docs, embedding="precomputed", nr_topics=10),
        }
        if not args.no_recipe:
            results["BERTopic docs recipe"] = run_recipe(texts, embeddings, labels, token_docs)
        seeds = [int(x) for x in args.seeds.split(",") if x.strip()]
        by_seed = {seed: run_ours(ws, labels, token_docs, embedding="precomputed", nr_topics="auto",
                                  seed=seed) for seed in seeds}
    print(f"THUCNews titles: {len(titles):,} ({args.split}); embedding {args.embedding} computed once in "
          f"{embed_s:.1f} s (not in the times below)\n")
    print("| method | topics | NMI | ARI | NPMI | diversity | outliers | wall s | CPU s |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, r in results.items():
        print(f"| {name} | {r['n_topics']} | {r['nmi']:.3f} | {r['ari']:.3f} | {r['npmi']:.3f} | "
              f"{r['diversity']:.3f} | {r['outliers']:.1%} | {r['seconds']:.1f} | "
              f"{r['cpu_seconds']:.1f} |")
    ours, recipe = results["ours (auto)"], results.get("BERTopic docs recipe")
    if recipe:
        print(f"\nrecipe / ours: wall {recipe['seconds'] / ours['seconds']:.2f}x, CPU "
              f"{recipe['cpu_seconds'] / ours['cpu_seconds']:.2f}x; "
              f"NMI ours - recipe: {ours['nmi'] - recipe['nmi']:+.3f}")
    if by_seed:
        nmis = np.array([r["nmi"] for r in by_seed.values()])
        print(f"\nours (auto) with seeds {seeds}: topics {[r['n_topics'] for r in by_seed.values()]}, "
              f"NMI {' / '.join(f'{v:.3f}' for v in nmis)}; mean {nmis.mean():.3f} ± {nmis.std():.3f}, "
              f"min {nmis.min():.3f}")
    OUT.mkdir(exist_ok=True)
    build = f"_{args.static_path.name}" if args.static_path else ""
    (OUT / f"topics_thucnews_{args.embedding}{build}_{args.split}_{len(titles)}.json").write_text(
        json.dumps({"embedding": args.embedding, "static_path": str(args.static_path or ""),
                    "embed_seconds": embed_s, "results": results,
                    "auto_by_seed": {str(k): v for k, v in by_seed.items()}},
                   indent=2, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
