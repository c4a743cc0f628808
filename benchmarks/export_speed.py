"""How long `opinion export` takes on the 620k real Weibo posts, and XlsxWriter vs openpyxl.

Reads the big benchmark workspace of ``benchmarks/_weibo_workspace.py`` (real texts and
dates; stage outputs made by cheap rules, see there), building it when missing. Prints:

1. ``build_tables`` time on the whole corpus, and each writer's time (CSV, Markdown, HTML,
   XLSX) on the full tables;
2. the XLSX writer against the obvious alternative, ``DataFrame.to_excel`` with openpyxl,
   on the same first N documents (same neutralised cells), with the ratio.

Usage: ``nice -n 10 python3 benchmarks/export_speed.py [--xlsx-rows 50000] [--skip-full-xlsx]``
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from opinion.io.csv_writer import write_csv  # noqa: E402
from opinion.io.safety import spreadsheet_frame  # noqa: E402
from opinion.io.workspace import Workspace  # noqa: E402
from opinion.report.html_writer import write_html  # noqa: E402
from opinion.report.markdown_writer import write_markdown  # noqa: E402
from opinion.report.tables import build_tables  # noqa: E402
from opinion.report.xlsx_writer import write_xlsx  # noqa: E402

WORKSPACE = Path(__file__).resolve().parent / "out" / "weibo-explore-ws"


def timed(label: str, func, *args, **kwargs):  # noqa: ANN001, ANN201 - a tiny timing helper
    start = time.perf_counter()
    result = func(*args, **kwargs)
    seconds = time.perf_counter() - start
    print(f"{label:<44} {seconds:8.2f} s")
    return result, seconds


def open_workspace() -> Workspace:
    if (WORKSPACE / "manifest.json").exists():
        return Workspace.open(WORKSPACE)
    from _weibo_workspace import build

    print(f"building {WORKSPACE} (once)...")
    return build(WORKSPACE)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--xlsx-rows", type=int, default=50_000)
    parser.add_argument("--skip-full-xlsx", action="store_true")
    args = parser.parse_args()
    ws = open_workspace()
    tables, _ = timed("build_tables (whole corpus)", build_tables, ws)
    run = tables["run"].set_index(["section", "key"])["value"]
    print(f"documents: {len(tables['documents']):,}; topics: {len(tables['topics'])}; "
          f"periods: {tables['topics_over_time']['period'].nunique()} ({run[('export', 'period')]})")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        timed("CSV, all tables", write_csv, tables, out)
        timed("Markdown report", write_markdown, tables, out / "report.md", script="zh-Hans")
        timed("HTML report", write_html, tables, out / "report.html", script="zh-Hans")
        print(f"{'report.html size':<44} {(out / 'report.html').stat().st_size / 1e6:8.2f} MB")
        if not args.skip_full_xlsx:
            timed("XLSX, all tables (XlsxWriter)", write_xlsx, tables, out / "report.xlsx")
        print(f"\nXLSX of the first {args.xlsx_rows:,} documents (same cells):")
        docs = tables["documents"].head(args.xlsx_rows)

        def with_openpyxl() -> None:
            spreadsheet_frame(docs).to_excel(out / "openpyxl.xlsx", sheet_name="documents", index=False,
                                             engine="openpyxl")

        ratios = []
        for attempt in (1, 2):  # the machine is shared: alternate the two, twice
            _, ours = timed(f"  opinion write_xlsx (XlsxWriter), run {attempt}", write_xlsx,
                            {"documents": docs}, out / "ours.xlsx")
            _, theirs = timed(f"  DataFrame.to_excel(engine='openpyxl'), run {attempt}", with_openpyxl)
            ratios.append(theirs / ours)
        print(f"  ratio openpyxl / ours: {', '.join(f'{r:.2f}x' for r in ratios)}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak memory (max RSS): {peak:,.0f} MB")


if __name__ == "__main__":
    pd.set_option("mode.chained_assignment", None)
    main()
