"""The topic stage on the 620k real Weibo posts: wall time and peak memory.

    python benchmarks/topics_weibo.py [--embedding static-zh] [--sample 100000]

The corpus is loaded and prepared once with the real stages (``load_corpus`` with dates from
the file names, ``prepare_workspace`` on all cores) into ``benchmarks/out/topics-weibo-ws``
(reused by later runs). Then this process times ``fit_topics`` alone (fit on a stratified
sample, the rest assigned with ``transform``, topics over time by day) and reports its wall
time and the process's peak resident memory (imports included, preparation not).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
WEIBO = REPO.parent / "shared" / "data" / "weibo" / "covid19_weibo_2020"
OUT = REPO / "benchmarks" / "out"
WS = OUT / "topics-weibo-ws"

PREPARE = """
import sys, time
from opinion.io.load import load_corpus
from opinion.prepare import prepare_workspace
t = time.perf_counter()
load_corpus([sys.argv[1]], sys.argv[2], date_from_filename=True, year=2020, skip_loaded=True)
print(f"load {time.perf_counter() - t:.1f} s", flush=True)
t = time.perf_counter()
print(prepare_workspace(sys.argv[2], workers=0))
print(f"prepare {time.perf_counter() - t:.1f} s", flush=True)
"""


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu_seconds() -> float:
    """CPU time of this process (wall time on a shared machine depends on the neighbours)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--embedding", default="static-zh")
    parser.add_argument("--sample", type=int, default=100_000)
    parser.add_argument("--nr-topics", default="auto")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    if not (WS / "prepared").is_dir():
        subprocess.run([sys.executable, "-c", PREPARE, str(WEIBO), str(WS)], check=True,
                       cwd=REPO, env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})

    from opinion import schema as S
    from opinion.io.workspace import Workspace
    from opinion.topics.model import fit_topics

    ws = Workspace.open(WS)
    rss_before = _peak_rss_mb()
    start, cpu_start = time.perf_counter(), _cpu_seconds()
    nr_topics = args.nr_topics if args.nr_topics == "auto" else int(args.nr_topics)
    report = fit_topics(ws, embedding=args.embedding, sample_size=args.sample, nr_topics=nr_topics,
                        seed=42, force=True)
    seconds = time.perf_counter() - start
    cpu = _cpu_seconds() - cpu_start
    peak = _peak_rss_mb()
    over_time = ws.read(S.TOPICS_OVER_TIME)
    result = {"embedding": args.embedding, "sample": args.sample, "documents": report.n_documents,
              "fit_documents": report.n_fit, "topics": report.n_topics, "seconds": round(seconds, 1),
              "cpu_seconds": round(cpu, 1),
              "peak_rss_mb": round(peak), "peak_rss_before_mb": round(rss_before),
              "npmi": report.npmi_mean, "diversity": report.diversity,
              "outliers": report.outlier_share, "period": report.period,
              "periods": int(over_time["period"].nunique())}
    print("\n".join(report.lines()))
    for row in report.topics[:15]:
        print(f"  {row['topic_id']:>3} {row['size']:>8,} {' '.join(row['top_terms'][:8])}")
    print(json.dumps(result, ensure_ascii=False, indent=2))
    (OUT / f"topics_weibo_{args.embedding}.json").write_text(json.dumps(result, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
