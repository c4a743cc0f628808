"""One stage of `opinion run`, code before against code now, on copies of one finished workspace.

Each run is a subprocess with ``PYTHONPATH`` set to the code it times (``--before``: a git
revision, checked out once in a temporary worktree; "now": this checkout), on its own copy
of the workspace (part files hard-linked, the manifest copied, the stage's own outputs
removed), so both start from the same state. Runs alternate (before, now, before, now ...)
so a busy machine slows both alike. Prints per run the wall time, the CPU time of the
subprocess and its children (user + sys, the fairer figure on a shared machine) and the load
average, then the median CPU ratio before/now, and whether the outputs are identical
(sha256 of every exported file, ``run.csv`` left out: it holds times).

Stages: ``export`` (``export_workspace``, CSV, as ``opinion run --export-format csv``) and
``topics`` (``fit_topics`` with every core, the embedding cache included, as in a first run;
outputs compared: every topic table and model file, ``topic_metrics.json`` without its
``seconds``).

Usage::

    python benchmarks/stage_ab.py /tmp/wsB --before 95f3e6c --stage export --repeat 2
    python benchmarks/stage_ab.py /tmp/ws100k --before 95f3e6c --stage topics --repeat 1
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# What each stage writes (removed from the copy, compared after the run).
DERIVED = {
    "export": ("export", "words"),
    "topics": ("embeddings", "topic_documents", "topic_stats", "topic_model", "topics.parquet",
               "topics_over_time.parquet", "topics_per_source.parquet", "topic_hierarchy.parquet",
               "topic_metrics.json", "words"),
}
VOLATILE = {"run.csv"}  # exported files that hold times and paths
VOLATILE_KEYS = {"seconds"}  # keys of JSON outputs that hold times

CHILD = r"""
import json, os, resource, sys, time
start, load = time.perf_counter(), os.getloadavg()[0]
if sys.argv[3] == "export":
    from opinion.report import export_workspace
    export_workspace(sys.argv[1], sys.argv[2], formats="csv")
else:
    from opinion.topics.model import fit_topics
    fit_topics(sys.argv[1], workers=0, force=True)
usage = [resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
print(json.dumps({"wall": time.perf_counter() - start, "load": load,
                  "cpu": sum(u.ru_utime + u.ru_stime for u in usage),
                  "peak_mb": max(u.ru_maxrss for u in usage) / 1024}))
"""


def copy_workspace(source: Path, target: Path, stage: str) -> None:
    """Hard-link the part files of ``source`` into ``target``; copy the small files (which the
    stage may rewrite in place); leave out the stage's own outputs."""
    skip = set(DERIVED[stage])
    for path in source.iterdir():
        if path.name in skip or path.name == ".lock":
            continue
        if path.is_dir():
            shutil.copytree(path, target / path.name, copy_function=os.link)
        else:
            shutil.copy2(path, target / path.name)


def checkout(revision: str, into: Path) -> Path:
    subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", str(into), revision],
                   check=True, capture_output=True)
    return into


def run_once(code: Path, workspace: Path, stage: str, scratch: Path) -> tuple[dict, dict[str, str]]:
    """Time the stage with ``code`` on a fresh copy of ``workspace``; its figures and digests."""
    copy = scratch / "ws"
    shutil.rmtree(copy, ignore_errors=True)
    copy.mkdir()
    copy_workspace(workspace, copy, stage)
    out = scratch / "out"
    shutil.rmtree(out, ignore_errors=True)
    env = {**os.environ, "PYTHONPATH": str(code)}
    done = subprocess.run([sys.executable, "-c", CHILD, str(copy), str(out), stage], env=env, cwd=code,
                          check=True, capture_output=True, text=True)
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    written = [out] if stage == "export" else [copy / name for name in DERIVED[stage]]
    return figures, digest_files(written)


def digest_files(paths: list[Path]) -> dict[str, str]:
    """sha256 of every file under ``paths`` (JSON without :data:`VOLATILE_KEYS`), by relative name."""
    out = {}
    for root in paths:
        files = sorted(root.rglob("*")) if root.is_dir() else [root] if root.exists() else []
        for path in files:
            if not path.is_file() or path.name in VOLATILE:
                continue
            data = path.read_bytes()
            if path.suffix == ".json":
                doc = json.loads(data)
                if isinstance(doc, dict):
                    data = json.dumps({k: v for k, v in doc.items() if k not in VOLATILE_KEYS},
                                      sort_keys=True).encode()
            out[str(path.relative_to(root.parent))] = hashlib.sha256(data).hexdigest()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workspace", type=Path, help="a finished workspace (read only: copies are timed)")
    parser.add_argument("--before", required=True, help="git revision of the code before")
    parser.add_argument("--stage", default="export", choices=sorted(DERIVED))
    parser.add_argument("--repeat", type=int, default=2, help="runs of each code, alternated")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="stage_ab-") as tmp:
        scratch = Path(tmp)
        before = checkout(args.before, scratch / "before")
        try:
            codes = {"before": before, "now": REPO}
            cpu: dict[str, list[float]] = {"before": [], "now": []}
            digests: dict[str, dict[str, str]] = {}
            for i in range(args.repeat):
                for name, code in codes.items():
                    figures, found = run_once(code, args.workspace, args.stage, scratch)
                    cpu[name].append(figures["cpu"])
                    digests.setdefault(name, found)
                    same = found == digests[name]
                    print(f"{args.stage} {name:<6} run {i + 1}: wall {figures['wall']:6.1f} s, "
                          f"cpu {figures['cpu']:6.1f} s, peak {figures['peak_mb']:,.0f} MB, "
                          f"load {figures['load']:.2f}{'' if same else ' (outputs differ from its 1st run!)'}",
                          flush=True)
        finally:
            subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(before)],
                           check=False, capture_output=True)
    ratio = statistics.median(cpu["before"]) / statistics.median(cpu["now"])
    print(f"median cpu: before {statistics.median(cpu['before']):.1f} s, now {statistics.median(cpu['now']):.1f} s, "
          f"before/now {ratio:.2f}x")
    identical = digests["before"] == digests["now"]
    print(f"outputs identical (sha256 of {len(digests['now'])} files; left out: {', '.join(sorted(VOLATILE))}, "
          f"JSON keys {', '.join(sorted(VOLATILE_KEYS))}): "
          f"{'yes' if identical else 'NO'}")
    if not identical:
        for name in sorted(set(digests["before"]) | set(digests["now"])):
            if digests["before"].get(name) != digests["now"].get(name):
                print(f"  differs: {name}")


if __name__ == "__main__":
    main()
