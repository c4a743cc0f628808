"""Scale benchmark: the 620k Weibo posts end to end, per stage, in three modes.

    python benchmarks/scale_weibo.py                      # everything (~10 min on 2 cores)
    python benchmarks/scale_weibo.py --files 3 --sizes 10000,20000   # a quick slice

Loads ``../shared/data/weibo/covid19_weibo_2020/`` (57 files ``M.D.csv.gz``, GB18030) once
with ``--date-from-filename --year 2020``, then runs the pipeline's stages (the functions
``opinion.pipeline.run_pipeline`` calls: prepare, sentiment, topics, export) on copies of that
corpus for three modes: one worker, all cores, and Dask with a 2-worker LocalCluster. Each
stage runs in its own subprocess; the parent times it and samples the resident memory of the
subprocess and all its descendants (pool workers, Dask workers) every 0.1 s, so "peak RSS" is
the peak of their sum. Then it runs prepare, sentiment and topics with all cores on the first
parts that reach each of ``--sizes`` posts, to show how memory grows with the corpus.

Prints a Markdown table per experiment, speed-ups of all cores and Dask over one worker,
and whether the three modes wrote identical parts; writes ``benchmarks/out/scale_weibo.json``.
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
WEIBO = REPO.parent / "shared" / "data" / "weibo" / "covid19_weibo_2020"
OUT = REPO / "benchmarks" / "out"
MODES = {"one": {"workers": 1, "engine": "local"},
         "all": {"workers": 0, "engine": "local"},
         "dask2": {"workers": 2, "engine": "dask"}}
STAGES = ("prepare", "sentiment", "topics", "export")


# --- the child: one stage in one process -------------------------------------------------
def _supports(func, name: str) -> bool:
    return name in inspect.signature(func).parameters


def run_stage(stage: str, root: str, *, workers: int, engine: str, files: int) -> dict:
    """Run one stage of the pipeline on workspace ``root``; returns what it reports."""
    from opinion.io.workspace import Workspace

    options = {"workers": workers}
    if stage == "load":
        from opinion.io.load import load_corpus

        paths = sorted(WEIBO.glob("*.csv.gz"), key=lambda p: tuple(int(x) for x in p.name.split(".")[:2]))
        report = load_corpus([str(p) for p in paths[:files]], root, date_from_filename=True,
                             year=2020)
        return {"summary": str(report).splitlines()[0]}
    ws = Workspace.open(root)
    if stage == "prepare":
        from opinion.prepare import prepare_workspace as func
    elif stage == "sentiment":
        from opinion.sentiment.score import score_workspace as func
    elif stage == "topics":
        from opinion.topics.model import fit_topics as func
        options = {}
    elif stage == "export":
        from opinion.report import export_workspace

        files_out = export_workspace(ws, ws.root / "export", formats=("csv", "xlsx", "md", "html"))
        return {"summary": f"{len(files_out)} files"}
    else:
        raise SystemExit(f"unknown stage {stage}")
    note = ""
    if engine != "local":
        options["engine"] = engine
        if not _supports(func, "engine"):
            note = " (no engine option: ran locally)"
    options = {k: v for k, v in options.items() if _supports(func, k)}
    report = func(ws, **options)
    return {"summary": str(report).splitlines()[0] + note}


# --- the parent: time and memory of each stage ---------------------------------------------
def measure(stage: str, root: Path, *, workers: int, engine: str, files: int) -> dict:
    """Run ``stage`` in a subprocess; wall time and peak RSS (process tree, summed)."""
    import psutil

    command = [sys.executable, __file__, "--child", stage, str(root), "--workers", str(workers),
               "--engine", engine, "--files", str(files)]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    start = time.perf_counter()
    proc = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)
    parent = psutil.Process(proc.pid)
    peak = 0
    while proc.poll() is None:
        try:
            tree = [parent, *parent.children(recursive=True)]
            peak = max(peak, sum(_rss(p) for p in tree))
        except psutil.NoSuchProcess:
            pass
        time.sleep(0.1)
    seconds = time.perf_counter() - start
    output = proc.stdout.read() if proc.stdout else ""
    if proc.returncode != 0:
        return {"stage": stage, "error": f"exit {proc.returncode}", "seconds": round(seconds, 1)}
    result = json.loads(output.strip().splitlines()[-1])
    return {"stage": stage, "seconds": round(seconds, 1), "peak_rss_mb": round(peak / 2**20),
            **result}


def _rss(proc) -> int:
    try:
        return proc.memory_info().rss
    except Exception:  # a worker that just ended
        return 0


def copy_corpus(base: Path, root: Path, *, max_rows: int | None = None) -> int:
    """A workspace with ``base``'s corpus parts (hard links), the first ones up to ``max_rows``."""
    import pyarrow.parquet as pq

    if root.exists():
        shutil.rmtree(root)
    (root / "corpus").mkdir(parents=True)
    shutil.copy(base / "manifest.json", root / "manifest.json")
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    manifest["stages"] = {k: v for k, v in manifest.get("stages", {}).items() if k == "load"}
    (root / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    rows = 0
    for part in sorted((base / "corpus").glob("*.parquet")):
        if max_rows is not None and rows >= max_rows:
            break
        os.link(part, root / "corpus" / part.name)
        rows += pq.ParquetFile(part).metadata.num_rows
    return rows


def part_hashes(root: Path, table: str) -> dict[str, str]:
    from opinion.io.atomic import file_sha256

    return {p.stem: file_sha256(p) for p in sorted((root / table).glob("*.parquet"))}


def same_topics(a: Path, b: Path) -> bool:
    import pandas as pd

    if not (a / "topic_documents.parquet").exists():
        return False
    left = pd.read_parquet(a / "topic_documents.parquet")
    right = pd.read_parquet(b / "topic_documents.parquet")
    return left.equals(right)


def table(rows: list[dict], title: str) -> str:
    lines = [f"\n### {title}", "", "| run | stage | wall s | peak RSS MB | note |",
             "|---|---|---:|---:|---|"]
    for row in rows:
        lines.append(f"| {row.get('run', '')} | {row['stage']} | {row.get('seconds', '')} | "
                     f"{row.get('peak_rss_mb', '')} | {row.get('error') or row.get('summary', '')} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", nargs=2, metavar=("STAGE", "WORKSPACE"), help=argparse.SUPPRESS)
    parser.add_argument("--workers", type=int, default=0)
    parser.add_argument("--engine", default="local")
    parser.add_argument("--files", type=int, default=57, help="first N daily files (57 = all)")
    parser.add_argument("--sizes", default="150000,300000", help="post counts for the memory curve")
    parser.add_argument("--modes", default="one,all,dask2")
    parser.add_argument("--out", type=Path, default=OUT / "scale")
    args = parser.parse_args()
    if args.child:
        result = run_stage(args.child[0], args.child[1], workers=args.workers,
                           engine=args.engine, files=args.files)
        print(json.dumps(result, ensure_ascii=False))
        return

    import pyarrow.parquet as pq

    sys.path.insert(0, str(REPO))
    args.out.mkdir(parents=True, exist_ok=True)
    base = args.out / "loaded"
    if base.exists():
        shutil.rmtree(base)  # time a fresh load every run
    rows: list[dict] = []
    load = measure("load", base, workers=0, engine="local", files=args.files)
    rows.append({"run": "load", **load})
    total = sum(pq.ParquetFile(p).metadata.num_rows for p in (base / "corpus").glob("*.parquet"))
    print(table(rows, f"load: {total:,} posts from {args.files} files"), flush=True)

    for mode in args.modes.split(","):
        root = args.out / mode
        copy_corpus(base, root)
        for stage in STAGES:
            rows.append({"run": mode, **measure(stage, root, **MODES[mode], files=args.files)})
            print(table(rows[-1:], f"{mode}: {stage}"), flush=True)
        rows.append({"run": mode, "stage": "total",
                     "seconds": round(sum(r.get("seconds", 0) for r in rows
                                          if r["run"] == mode and r["stage"] != "total"), 1),
                     "peak_rss_mb": max(r.get("peak_rss_mb", 0) for r in rows if r["run"] == mode)})

    modes = args.modes.split(",")
    checks = {}
    for other in modes[1:]:
        for table_name in ("prepared", "sentiment"):
            checks[f"{table_name} {modes[0]} == {other}"] = (
                part_hashes(args.out / modes[0], table_name) == part_hashes(args.out / other, table_name))
        checks[f"topics {modes[0]} == {other}"] = same_topics(args.out / modes[0], args.out / other)

    curve = []
    for size in [int(s) for s in args.sizes.split(",") if s] + [total]:
        root = args.out / f"size-{size}"
        posts = copy_corpus(base, root, max_rows=size)
        for stage in ("prepare", "sentiment", "topics"):
            curve.append({"run": f"{posts:,} posts", **measure(stage, root, **MODES["all"],
                                                                files=args.files)})
        if posts >= total:
            break

    report = [table(rows, "per stage and mode"), table(curve, "memory as the corpus grows (all cores)")]
    by = {(r["run"], r["stage"]): r for r in rows}
    report.append("\n### speed-up over one worker\n")
    for stage in (*STAGES, "total"):
        one = by.get(("one", stage), {}).get("seconds")
        for mode in modes[1:]:
            other = by.get((mode, stage), {}).get("seconds")
            if one and other:
                report.append(f"- {stage}: {mode} {one / other:.2f}x")
    report.append("\n### identical results\n")
    report += [f"- {name}: {'yes' if ok else 'NO'}" for name, ok in checks.items()]
    text = "\n".join(report)
    print(text)
    (OUT / "scale_weibo.json").write_text(json.dumps(
        {"date": time.strftime("%Y-%m-%d %H:%M"), "cpus": os.cpu_count(), "posts": total,
         "rows": rows, "curve": curve, "identical": checks}, ensure_ascii=False, indent=2),
        encoding="utf-8")
    (OUT / "scale_weibo.md").write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
