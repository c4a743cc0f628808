"""Hash every part file of a workspace, to show a refactor left the prepared parts byte-identical.

Run the pipeline on the same inputs before and after a change, hash the workspace's part files (``WS/TABLE/PART.parquet``) and other stored files each time,
and compare the two listings (sha256 of every file, relative path sorted)::

    python benchmarks/parts_identical.py hash demo-workspace > before.json
    python benchmarks/parts_identical.py hash demo-workspace > after.json
    python benchmarks/parts_identical.py compare before.json after.json

``sample`` writes a reproducible N-post sample of the 620k Weibo corpus (the first rows of
every daily file, in order) as a folder of UTF-8 CSVs, the input of the larger check.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import sys
from pathlib import Path

VOLATILE = {".lock", "manifest.json", "topic_metrics.json"}  # times, input paths, seconds


def hash_parts(workspace: Path) -> dict[str, str]:
    """sha256 of every stored file (part files ``TABLE/PART.parquet`` of corpus, prepared,
    sentiment, topic documents ..., whole tables, the topic model), keyed by relative path,
    plus each stage's settings fingerprint from the manifest. Left out: the export folder and
    the files that hold times or input paths (:data:`VOLATILE`)."""
    out = {str(p.relative_to(workspace)): hashlib.sha256(p.read_bytes()).hexdigest()
           for p in sorted(workspace.rglob("*"))
           if p.is_file() and p.relative_to(workspace).parts[0] != "export" and p.name not in VOLATILE}
    stages = json.loads((workspace / "manifest.json").read_text(encoding="utf-8"))["stages"]
    for stage, record in sorted(stages.items()):
        for key in ("settings_fingerprint", "fingerprint"):
            if key in record:
                out[f"manifest:{stage}:{key}"] = str(record[key])
    return out


def compare(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """Lines naming every part file that differs, appeared or disappeared (empty: identical)."""
    lines = [f"only before: {k}" for k in sorted(before.keys() - after.keys())]
    lines += [f"only after: {k}" for k in sorted(after.keys() - before.keys())]
    lines += [f"differs: {k}" for k in sorted(before.keys() & after.keys()) if before[k] != after[k]]
    return lines


def sample_weibo(source: Path, out: Path, total: int) -> int:
    """Write the first ``total / files`` rows of every daily Weibo file into ``out`` (as 2020.M.D.csv)."""
    files = sorted(source.glob("*.csv.gz"), key=lambda p: tuple(int(x) for x in p.name.split(".")[:2]))
    per_file = max(1, -(-total // len(files)))
    out.mkdir(parents=True, exist_ok=True)
    written = 0
    for path in files:
        with gzip.open(path, "rb") as handle:
            lines = handle.read().split(b"\n")
        head = [line for line in lines[: per_file + 1] if line.strip()]
        (out / ("2020." + path.name.replace(".csv.gz", ".csv"))).write_bytes(b"\n".join(head) + b"\n")
        written += len(head) - 1
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    h = sub.add_parser("hash")
    h.add_argument("workspace", type=Path)
    c = sub.add_parser("compare")
    c.add_argument("before", type=Path)
    c.add_argument("after", type=Path)
    s = sub.add_parser("sample")
    s.add_argument("out", type=Path)
    s.add_argument("--rows", type=int, default=20_000)
    s.add_argument("--source", type=Path, default=Path(__file__).resolve().parents[2]
                   / "shared" / "data" / "weibo" / "covid19_weibo_2020")
    args = parser.parse_args(argv)
    if args.cmd == "hash":
        json.dump(hash_parts(args.workspace), sys.stdout, indent=1, sort_keys=True)
        print()
        return 0
    if args.cmd == "sample":
        print(f"{sample_weibo(args.source, args.out, args.rows)} posts written to {args.out}")
        return 0
    before = json.loads(args.before.read_text())
    after = json.loads(args.after.read_text())
    diff = compare(before, after)
    print("\n".join(diff) if diff else f"identical: {len(before)} part files")
    return 1 if diff else 0


if __name__ == "__main__":
    sys.exit(main())
