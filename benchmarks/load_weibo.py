"""Benchmark: load all 57 files of the COVID-19 Weibo corpus in one command.

Compares ``opinion load`` with the obvious alternative, pandas ``read_csv`` per file
(GB18030; ``encoding_errors="replace"`` is needed or 5 files fail) concatenated and written
to one Parquet file. Each side runs in its own process so that its peak memory is its own.
Checks that every row is accounted for (read = loaded + rejected, and the same row count as
pandas) and prints wall time, peak RSS and the ratios.

    nice -n 10 python3 benchmarks/load_weibo.py            # needs ../shared/data
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "weibo" / "covid19_weibo_2020"


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu_seconds() -> float:
    """User + system CPU time of this process: steadier than wall time on a busy machine."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run_opinion(out: Path) -> dict:
    """The one command a user types, run in this process."""
    from opinion.cli import app

    start = time.perf_counter()
    app(["load", str(DATA), "-w", str(out / "ws"), "--date-from-filename", "--year", "2020",
         "--drop-col", "userid"], standalone_mode=False)
    seconds = time.perf_counter() - start
    manifest = json.loads((out / "ws" / "manifest.json").read_text(encoding="utf-8"))
    files = manifest["inputs"]
    return {
        "seconds": seconds, "cpu_seconds": _cpu_seconds(), "peak_mb": _peak_mb(),
        "files": len(files),
        "rows_read": sum(f["rows_read"] for f in files),
        "rows_loaded": sum(f["rows_loaded"] for f in files),
        "rows_rejected": sum(f["rows_rejected"] for f in files),
        "decode_errors": sum(f["decode_errors"] for f in files),
        "duplicates": sum(f["duplicates"] for f in files),
        "other_encoding_rows": sum(f["other_encoding_rows"] for f in files),
        "accounted": all(f["rows_read"] == f["rows_loaded"] + f["rows_rejected"] for f in files),
        "per_file_rows": {Path(f["label"]).name: f["rows_read"] for f in files},
    }


def run_pandas(out: Path) -> dict:
    """The obvious alternative: read_csv per file, concat, one Parquet file."""
    import pandas as pd

    start = time.perf_counter()
    frames, per_file, strict_failures = [], {}, 0
    for path in sorted(DATA.glob("*.csv.gz")):
        try:
            df = pd.read_csv(path, encoding="gb18030", dtype=str)
        except UnicodeDecodeError:
            strict_failures += 1
            df = pd.read_csv(path, encoding="gb18030", encoding_errors="replace", dtype=str)
        df["file"] = path.name
        per_file[path.name] = len(df)
        frames.append(df)
    corpus = pd.concat(frames, ignore_index=True)
    corpus.to_parquet(out / "pandas.parquet", index=False)
    return {"seconds": time.perf_counter() - start, "cpu_seconds": _cpu_seconds(),
            "peak_mb": _peak_mb(),
            "rows": len(corpus), "files_failing_strict_decode": strict_failures,
            "rows_with_replacement_char_unflagged": int(
                corpus["text"].fillna("").str.contains("\ufffd").sum()),
            "per_file_rows": per_file}


def _spawn(mode: str, out: Path) -> dict:
    result = subprocess.run([sys.executable, __file__, "--worker", mode, str(out)],
                            capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    if not DATA.is_dir():
        sys.exit(f"{DATA} not found: this benchmark needs ../shared/data")
    with tempfile.TemporaryDirectory() as tmp:
        ours = _spawn("opinion", Path(tmp))
        theirs = _spawn("pandas", Path(tmp))
    same_rows = ours.pop("per_file_rows") == theirs.pop("per_file_rows")
    print(json.dumps({"opinion_load": ours, "pandas_read_csv": theirs}, indent=2))
    print(f"\nfiles: {ours['files']}; rows read {ours['rows_read']} = loaded "
          f"{ours['rows_loaded']} + rejected {ours['rows_rejected']}: {ours['accounted']}; "
          f"same rows per file as pandas: {same_rows}")
    for name, side in (("opinion load", ours), ("pandas", theirs)):
        print(f"{name}: wall {side['seconds']:.1f} s, CPU {side['cpu_seconds']:.1f} s "
              f"(whole process, imports included), peak {side['peak_mb']:.0f} MB")
    print(f"ratios opinion/pandas: wall {ours['seconds'] / theirs['seconds']:.2f}, "
          f"CPU {ours['cpu_seconds'] / theirs['cpu_seconds']:.2f}, "
          f"memory {ours['peak_mb'] / theirs['peak_mb']:.2f}")
    print(f"rows flagged decode_error: {ours['decode_errors']} (pandas: "
          f"{theirs['rows_with_replacement_char_unflagged']} rows with U+FFFD, unflagged; "
          f"{theirs['files_failing_strict_decode']} files fail without encoding_errors)")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--worker":
        sys.path.insert(0, str(ROOT))
        worker = run_opinion if sys.argv[2] == "opinion" else run_pandas
        print(json.dumps(worker(Path(sys.argv[3]))))
    else:
        main()
