"""Scale benchmark: the 620k Weibo posts end to end, per stage, in three modes.

    python benchmarks/scale_weibo.py                      # everything at once
    python benchmarks/scale_weibo.py --files 5 --sizes 20000   # a quick slice
    # or in shorter runs that add up (each under ~10 min on 2 cores):
    nice -n 10 python benchmarks/scale_weibo.py --modes all --sizes 150000,300000
    nice -n 10 python benchmarks/scale_weibo.py --append --modes one --sizes ''
    nice -n 10 python benchmarks/scale_weibo.py --append --modes dask2 --sizes ''

Loads ``../shared/data/weibo/covid19_weibo_2020/`` (57 files ``M.D.csv.gz``, GB18030) once
with ``--date-from-filename --year 2020``, then runs the pipeline's stages (the functions
``opinion.pipeline.run_pipeline`` calls: prepare, sentiment, topics, export) on copies of that
corpus for three modes: one worker, all cores, and Dask with a 2-worker LocalCluster (prepare,
sentiment and the topic assignment take the mode; the topic fit and the export run in the
stage's own process in every mode; export writes CSV, Markdown and HTML, plus XLSX with
``--xlsx``), so each mode's total is a whole ``opinion run``. Each
stage runs in its own subprocess; the parent times it and samples the resident memory of the
subprocess and all its descendants (pool workers, Dask workers) every 0.1 s, so "peak RSS" is
the peak of their sum. Then it runs prepare, sentiment and topics with all cores on the first
parts that reach each of ``--sizes`` posts, to show how memory grows with the corpus (the
full corpus is the "all" mode's run).

Prints a Markdown table per experiment, speed-ups of all cores and Dask over one worker,
and whether the three modes wrote identical parts and topic tables; writes
``benchmarks/out/scale_weibo.json``.
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
PARALLEL_STAGES = ("prepare", "sentiment", "topics")  # take --workers / --engine
TOPIC_TABLES = ("topic_documents", "topics", "topics_over_time", "topics_per_source",
                "topic_hierarchy")
EXPORT_FORMATS = ("csv", "md", "html")  # --xlsx adds report.xlsx (about 3 min at 620k)


# --- the child: one stage in one process -------------------------------------------------
def _supports(func, name: str) -> bool:
    return name in inspect.signature(func).parameters


def run_stage(stage: str, root: str, *, workers: int, engine: str, files: int,
              embedding: str = "") -> dict:
    """Run one stage of the pipeline on workspace ``root``; returns what it reports."""
    from opinion.io.workspace import Workspace

    options = {"workers": workers}
    if stage == "load":
        from opinion.io.load import load_corpus

        paths = sorted(WEIBO.glob("*.csv.gz"),
                       key=lambda p: tuple(int(x) for x in p.name.split(".")[:2]))
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
        if embedding:
            options["embedding"] = embedding
    elif stage == "export":
        from opinion.report import export_workspace

        formats = (*EXPORT_FORMATS, "xlsx") if os.environ.get("SCALE_XLSX") else EXPORT_FORMATS
        files_out = export_workspace(ws, ws.root / "export", formats=formats)
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
    summary = (report.summary() if hasattr(report, "summary") else
               " ".join(report.lines()) if hasattr(report, "lines") else str(report))
    summary = summary.splitlines()[0]
    return {"summary": (summary if len(summary) <= 160 else summary[:157] + "...") + note}


# --- the parent: time and memory of each stage ---------------------------------------------
def measure(stage: str, root: Path, *, workers: int, engine: str, files: int,
            embedding: str = "") -> dict:
    """Run ``stage`` in a subprocess; wall time and peak RSS (process tree, summed)."""
    import psutil

    command = [sys.executable, __file__, "--child", stage, str(root), "--workers", str(workers),
               "--engine", engine, "--files", str(files), "--embedding", embedding]
    paths = [str(REPO), os.environ.get("PYTHONPATH", "")]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
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
    """Every topic table equal, and the per-document parts byte-identical."""
    from opinion.io.workspace import Workspace

    left, right = Workspace.open(a), Workspace.open(b)
    return (all(left.read(t).equals(right.read(t)) for t in TOPIC_TABLES)
            and part_hashes(a, "topic_documents") == part_hashes(b, "topic_documents"))


def table(rows: list[dict], title: str) -> str:
    lines = [f"\n### {title}", "", "| run | stage | wall s | peak RSS MB | note |",
             "|---|---|---:|---:|---|"]
    for row in rows:
        lines.append(f"| {row.get('run', '')} | {row['stage']} | {row.get('seconds', '')} | "
                     f"{row.get('peak_rss_mb', '')} | "
                     f"{row.get('error') or row.get('summary', '')} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", nargs=2, metavar=("STAGE", "WORKSPACE"), help=argparse.SUPPRESS)
    parser.add_argument("--workers", type=int, default=0)
    parser.add_argument("--engine", default="local")
    parser.add_argument("--files", type=int, default=57, help="first N daily files (57 = all)")
    parser.add_argument("--sizes", default="150000,300000",
                        help="post counts for the memory curve (all cores); '' for none")
    parser.add_argument("--modes", default="one,all,dask2", help="'' for none")
    parser.add_argument("--out", type=Path, default=OUT / "scale")
    parser.add_argument("--embedding", default="", help="topic embedder (default: the stage's)")
    parser.add_argument("--xlsx", action="store_true", help="export report.xlsx too")
    parser.add_argument("--append", action="store_true",
                        help="reuse the loaded corpus and add to the previous results "
                             "(to run the modes in several shorter runs)")
    args = parser.parse_args()
    if args.child:
        result = run_stage(args.child[0], args.child[1], workers=args.workers,
                           engine=args.engine, files=args.files, embedding=args.embedding)
        print(json.dumps(result, ensure_ascii=False))
        return

    import pyarrow.parquet as pq

    sys.path.insert(0, str(REPO))
    if args.xlsx:
        os.environ["SCALE_XLSX"] = "1"
    args.out.mkdir(parents=True, exist_ok=True)
    results_path = OUT / "scale_weibo.json"
    previous = json.loads(results_path.read_text(encoding="utf-8")) if (
        args.append and results_path.exists()) else {}
    rows: list[dict] = previous.get("rows", [])
    curve: list[dict] = previous.get("curve", [])
    base = args.out / "loaded"
    if not (args.append and (base / "corpus").is_dir()):
        if base.exists():
            shutil.rmtree(base)  # time a fresh load
        rows = [r for r in rows if r["run"] != "load"]
        rows.append({"run": "load", **measure("load", base, workers=0, engine="local",
                                              files=args.files)})
        print(table(rows[-1:], "load"), flush=True)
    total = sum(pq.ParquetFile(p).metadata.num_rows for p in (base / "corpus").glob("*.parquet"))

    modes = [m for m in args.modes.split(",") if m]
    for mode in modes:
        rows = [r for r in rows if r["run"] != mode]
        root = args.out / mode
        copy_corpus(base, root)
        for stage in STAGES:
            rows.append({"run": mode, **measure(stage, root, **MODES[mode], files=args.files,
                                                embedding=args.embedding)})
            print(table(rows[-1:], f"{mode}: {stage}"), flush=True)
        done = [r for r in rows if r["run"] == mode]
        rows.append({"run": mode, "stage": "total " + "+".join(r["stage"] for r in done),
                     "seconds": round(sum(r.get("seconds", 0) for r in done), 1),
                     "peak_rss_mb": max(r.get("peak_rss_mb", 0) for r in done)})

    for size in [int(s) for s in args.sizes.split(",") if s and int(s) < total]:
        root = args.out / f"size-{size}"
        posts = copy_corpus(base, root, max_rows=size)
        curve = [r for r in curve if r["run"] != f"{posts:,} posts"]
        for stage in ("prepare", "sentiment", "topics"):
            curve.append({"run": f"{posts:,} posts", **measure(
                stage, root, **MODES["all"], files=args.files, embedding=args.embedding)})
            print(table(curve[-1:], f"{posts:,} posts: {stage}"), flush=True)
        shutil.rmtree(root)

    present = [m for m in MODES if (args.out / m / "prepared").is_dir()]
    checks = {}
    for other in present[1:]:
        for name in ("prepared", "sentiment"):
            checks[f"{name} {present[0]} == {other}"] = (
                part_hashes(args.out / present[0], name) == part_hashes(args.out / other, name))
        if all((args.out / m / "topics.parquet").exists() for m in (present[0], other)):
            checks[f"topics {present[0]} == {other}"] = same_topics(args.out / present[0],
                                                                    args.out / other)
    full = [{**r, "run": f"{total:,} posts"} for r in rows
            if r["run"] == "all" and r["stage"] in ("prepare", "sentiment", "topics")]
    report = [f"{total:,} posts, {os.cpu_count()} cores, {time.strftime('%Y-%m-%d %H:%M')}",
              table(rows, "per stage and mode"),
              table(curve + full, "memory as the corpus grows (all cores)")]
    by = {(r["run"], r["stage"]): r for r in rows}
    for mode in MODES:  # the parallel stages' sum, comparable across modes
        parts = [by.get((mode, stage), {}).get("seconds") for stage in PARALLEL_STAGES]
        if all(parts):
            by[(mode, "total prepare+sentiment+topics")] = {"seconds": round(sum(parts), 1)}
    report.append("\n### speed-up over one worker\n")
    for stage in (*STAGES, "total prepare+sentiment+topics"):
        one = by.get(("one", stage), {}).get("seconds")
        for mode in ("all", "dask2"):
            other = by.get((mode, stage), {}).get("seconds")
            if one and other:
                report.append(f"- {stage}: {mode} {one / other:.2f}x")
    report.append("\n### identical results\n")
    report += [f"- {name}: {'yes' if ok else 'NO'}" for name, ok in checks.items()]
    text = "\n".join(report)
    print(text)
    results_path.parent.mkdir(parents=True, exist_ok=True)
    results_path.write_text(json.dumps(
        {"date": time.strftime("%Y-%m-%d %H:%M"), "cpus": os.cpu_count(), "posts": total,
         "rows": rows, "curve": curve, "identical": checks}, ensure_ascii=False, indent=2),
        encoding="utf-8")
    (OUT / "scale_weibo.md").write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
