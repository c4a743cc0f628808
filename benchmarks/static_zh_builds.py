"""static-zh builds side by side on the held-out THUCNews titles, the shipped model first.

    python benchmarks/static_zh_builds.py DIR [DIR ...] [--seeds 42,0,1,2,3,4]

Each DIR is a model folder written by ``tools/distill_static_zh.py fit --out DIR``. Every build
(the shipped ``opinion/resources/static_zh`` and each DIR) is scored in the same run on the
5,000 held-out titles of ``thucnews_split`` (500 per class, never in any build's training
rows):

- KMeans(10 clusters, n_init 10) NMI for KMeans seeds 0-4 (mean, min), as
  ``benchmarks/embeddings_thucnews.py`` scores embedders;
- the whole topics stage with the automatic count (``fit_topics``) for each of ``--seeds``:
  the counts chosen and the NMI (mean, min), as ``benchmarks/topics_thucnews.py`` scores it;
- Traditional/Simplified cosine on the 500 GSD dev sentences, size on disk.

Then each build's difference from the shipped model. Reads ``../shared/data``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))
sys.path.insert(0, str(REPO / "tools"))

from embeddings_thucnews import cluster_scores, disk_mib, script_invariance  # noqa: E402
from topics_thucnews import _embeddings, _load, _Precomputed, _rows, _workspace, run_ours  # noqa: E402

from opinion import schema as S  # noqa: E402
from opinion.topics.components import topic_terms  # noqa: E402


def score_build(path: Path | None, titles, held: np.ndarray, seeds: list[int]) -> dict:
    """KMeans(10) and whole-stage scores of one build (``None``: the shipped model)."""
    from opinion.topics import embed

    start = time.perf_counter()
    vectors = _embeddings("static-zh", titles, path)[held]
    encode_s = time.perf_counter() - start
    held_titles = titles.iloc[held].reset_index(drop=True)
    labels = held_titles["label"].to_numpy()
    kmeans = [cluster_scores(vectors, list(labels), seed=s)[0] for s in range(5)]
    with tempfile.TemporaryDirectory() as tmp:
        ws, prepared = _workspace(Path(tmp) / "ws", held_titles)
        texts = prepared[S.TEXT_NORM].tolist()
        token_docs = [topic_terms(t) for t in prepared[S.TOKENS]]
        lookup = dict(zip(texts, vectors))
        name = f"precomputed-{path or 'shipped'}"  # the stage keeps one embedder per name in a process
        embed._REGISTRY[name] = lambda: _Precomputed(lookup)
        auto = [run_ours(ws, labels, token_docs, embedding=name, nr_topics="auto", seed=s) for s in seeds]
    return {"kmeans_nmi": np.array(kmeans), "auto_nmi": np.array([r["nmi"] for r in auto]),
            "auto_topics": [r["n_topics"] for r in auto], "ts_cosine": script_invariance("static-zh", None, path),
            "mib": disk_mib("static-zh", path), "encode_s": encode_s}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("builds", nargs="*", type=Path, help="model folders to compare with the shipped one")
    parser.add_argument("--seeds", default="42,0,1,2,3,4", help="seeds of the whole stage (42 is the default)")
    args = parser.parse_args(argv)
    seeds = [int(s) for s in args.seeds.split(",") if s.strip()]
    titles = _load(10_000)
    held = _rows(titles, "held-out")
    results = {}
    for path in [None, *args.builds]:
        name = "shipped" if path is None else str(path)
        results[name] = score_build(path, titles, held, seeds)
        print(f"{name}: done", flush=True)
    print(f"\nTHUCNews held-out titles: {len(held):,}; KMeans(10) seeds 0-4; whole stage seeds {seeds}\n")
    print("| build | KMeans(10) NMI mean (min) | auto NMI mean (min) | auto NMI seed 42 | topics chosen | "
          "T/S cosine | MiB |")
    print("|---|---:|---:|---:|---|---:|---:|")
    for name, r in results.items():
        first = r["auto_nmi"][seeds.index(42)] if 42 in seeds else float("nan")
        print(f"| {name} | {r['kmeans_nmi'].mean():.3f} ({r['kmeans_nmi'].min():.3f}) | "
              f"{r['auto_nmi'].mean():.3f} ({r['auto_nmi'].min():.3f}) | {first:.3f} | {r['auto_topics']} | "
              f"{r['ts_cosine']:.3f} | {r['mib']:.1f} |")
    base = results["shipped"]
    for name, r in list(results.items())[1:]:
        print(f"{name} - shipped: KMeans(10) NMI {r['kmeans_nmi'].mean() - base['kmeans_nmi'].mean():+.3f}, "
              f"auto NMI {r['auto_nmi'].mean() - base['auto_nmi'].mean():+.3f} (mean over seeds)")


if __name__ == "__main__":
    main()
