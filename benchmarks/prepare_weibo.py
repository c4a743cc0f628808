"""Throughput of ``prepare`` on real Weibo posts, against the loop a user would write.

The baseline is the obvious loop: for each post, ``opencc.OpenCC("t2s").convert`` then
``jieba.lcut``, in one process. ``prepare`` does more (cleaning, script detection, theme
counts, Parquet output) with rjieba and a process pool. Each variant runs in its own
process so that its peak memory (max RSS, workers included) is its own; all run in the
same invocation, so the ratios compare like with like on a shared machine. Wall-clock and
CPU seconds (all processes of a variant) are both printed.

Token identity is checked on every post: the tokens ``prepare`` stored (rjieba) against
the reference tokenizer run with ``engine="jieba"`` on the same ``text_norm``, and the
outputs of 1 and N workers against each other.

    python3 benchmarks/prepare_weibo.py               # 6 daily files spread over the period
    python3 benchmarks/prepare_weibo.py --files 57    # the whole corpus (620k posts)
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WEIBO = ROOT.parent / "shared" / "data" / "weibo" / "covid19_weibo_2020"


def _cpu_seconds() -> float:
    """User + system CPU time of this process and its finished children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _peak_mb() -> float:
    """Peak RSS of this process plus the largest of its finished children, in MB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + children) / 1024


def _date_key(path: Path) -> tuple[int, int]:
    month, day = path.name.split(".")[:2]
    return int(month), int(day)


def build_workspace(root: Path, n_files: int) -> dict:
    """Write one corpus part per daily file (GB18030, undecodable bytes replaced)."""
    import pandas as pd

    from opinion import schema as S
    from opinion.io.workspace import Workspace

    files = sorted(WEIBO.glob("*.csv.gz"), key=_date_key)
    step = max(1, len(files) // n_files)
    chosen = files[::step][:n_files]
    ws = Workspace.open(root, create=True)
    docs = chars = utf8 = 0
    for path in chosen:
        reader = csv.reader(io.StringIO(gzip.open(path).read().decode("gb18030", "replace")))
        header = next(reader)
        at = header.index("text")
        texts = [",".join(row[at:]) for row in reader if len(row) > at]
        month, day = _date_key(path)
        part = f"2020-{month:02d}-{day:02d}"
        frame = pd.DataFrame({S.DOC_ID: [f"{part}-{i}" for i in range(len(texts))], S.TEXT_RAW: texts})
        for column in S.CORPUS_COLUMNS:
            if column not in frame:
                frame[column] = None
        frame[S.PUBLISHED_AT] = pd.Timestamp(part)
        ws.write_part(S.CORPUS, part, frame[list(S.CORPUS_COLUMNS)])
        docs += len(texts)
        chars += sum(map(len, texts))
        utf8 += sum(len(t.encode("utf-8")) for t in texts)
    return {"files": [p.name for p in chosen], "docs": docs, "chars": chars, "mb": utf8 / 1e6}


# --- variants, each run in a fresh process --------------------------------------------
def variant_plain(ws_root: Path) -> dict:
    """The user's loop: OpenCC t2s + jieba.lcut per post, one process."""
    import jieba
    import opencc

    from opinion.io.workspace import Workspace

    texts = Workspace.open(ws_root).read("corpus", columns=["text_raw"])["text_raw"].tolist()
    started, cpu = time.perf_counter(), _cpu_seconds()
    jieba.setLogLevel(60)
    converter = opencc.OpenCC("t2s")
    tokens = [jieba.lcut(converter.convert(t)) for t in texts]
    seconds, cpu = time.perf_counter() - started, _cpu_seconds() - cpu
    result = {"seconds": seconds, "cpu": cpu, "peak_mb": _peak_mb(), "tokens": sum(map(len, tokens))}
    try:  # do the raw engines agree on raw text? (why prepare cuts only Han runs)
        import rjieba

        same = sum(rjieba.cut(converter.convert(t)) == tok for t, tok in zip(texts, tokens))
        result["raw_engines_same_docs"] = same
    except ImportError:
        pass
    return result


def variant_prepare(ws_root: Path, workers: int) -> dict:
    from opinion.prepare import prepare_workspace

    started, cpu = time.perf_counter(), _cpu_seconds()
    report = prepare_workspace(ws_root, workers=workers, force=True)
    seconds, cpu = time.perf_counter() - started, _cpu_seconds() - cpu
    return {"seconds": seconds, "cpu": cpu, "peak_mb": _peak_mb(), "engine": report.engine,
            "digest": _digest(ws_root), "scripts": report.scripts}


def variant_reference(ws_root: Path) -> dict:
    """Tokens stored by prepare vs the jieba reference tokenizer on the same text_norm."""
    from opinion.io.workspace import Workspace
    from opinion.prepare import PrepareSettings, _runtime

    prepared = Workspace.open(ws_root).read("prepared", columns=["text_norm", "tokens"])
    tokenizer = _runtime(PrepareSettings(engine="jieba")).tokenizer  # same words, jieba engine
    assert tokenizer.engine == "jieba"
    reference = tokenizer.tokenize_many(prepared["text_norm"].tolist())
    same = sum(list(a) == b for a, b in zip(prepared["tokens"], reference))
    return {"same_docs": same, "docs": len(prepared),
            "tokens": int(prepared["tokens"].map(len).sum())}


def _digest(ws_root: Path) -> str:
    from opinion.io.workspace import Workspace

    frame = Workspace.open(ws_root).read("prepared")
    frame["tokens"] = frame["tokens"].map(" ".join)
    return hashlib.sha256(frame.to_csv(index=False).encode("utf-8")).hexdigest()[:16]


def _run(args: list[str]) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    out = subprocess.run([sys.executable, __file__, *args], check=True, capture_output=True,
                         text=True, env=env)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=6, help="daily files to use (57 = all)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--variant", help=argparse.SUPPRESS)
    parser.add_argument("--ws", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.variant:
        sys.path.insert(0, str(ROOT))
        if args.variant == "plain":
            result = variant_plain(args.ws)
        elif args.variant == "reference":
            result = variant_reference(args.ws)
        else:
            result = variant_prepare(args.ws, int(args.variant.removeprefix("prepare")))
        print(json.dumps(result))
        return

    sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory() as tmp:
        ws_root = Path(tmp) / "ws"
        data = build_workspace(ws_root, args.files)
        print(f"corpus: {len(data['files'])} daily files ({', '.join(data['files'])}), "
              f"{data['docs']:,} posts, {data['chars']:,} characters, {data['mb']:.1f} MB UTF-8; "
              f"{os.cpu_count()} cores")
        plain = _run(["--variant", "plain", "--ws", str(ws_root)])
        one = _run(["--variant", "prepare1", "--ws", str(ws_root)])
        many = _run(["--variant", f"prepare{args.workers}", "--ws", str(ws_root)])
        reference = _run(["--variant", "reference", "--ws", str(ws_root)])

    print(f"\n{'variant':<44} {'seconds':>8} {'docs/s':>9} {'MB/s':>6} {'peak MB':>8} "
          f"{'× loop':>7} {'CPU s':>7} {'× loop CPU':>10}")
    rows = [("loop: opencc t2s + jieba.lcut, 1 process", plain),
            (f"opinion prepare, 1 worker ({one['engine']})", one),
            (f"opinion prepare, {args.workers} workers ({many['engine']})", many)]
    for label, result in rows:
        s = result["seconds"]
        print(f"{label:<44} {s:8.1f} {data['docs'] / s:9,.0f} {data['mb'] / s:6.2f} "
              f"{result['peak_mb']:8.0f} {plain['seconds'] / s:7.2f} {result['cpu']:7.1f} "
              f"{plain['cpu'] / result['cpu']:10.2f}")
    print("(seconds: wall clock; CPU s: user+system of all processes of the variant; on a shared "
          "machine the CPU ratio is the steadier one)")
    print(f"\nscripts found: {one['scripts']}")
    print(f"tokens identical to the jieba reference: {reference['same_docs']:,} of "
          f"{reference['docs']:,} posts ({reference['tokens']:,} tokens)")
    print(f"1 worker and {args.workers} workers give the same prepared table: "
          f"{one['digest'] == many['digest']} ({one['digest']})")
    if "raw_engines_same_docs" in plain:
        print(f"(for reference, rjieba.cut and jieba.lcut on the whole raw post agree on "
              f"{plain['raw_engines_same_docs']:,} of {data['docs']:,} posts: they treat '-' and "
              f"'.' between Latin letters and digits differently, which is why prepare gives "
              f"the engine only Han runs)")


if __name__ == "__main__":
    main()
