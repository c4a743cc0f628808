"""How fast could the Overview's first chart be here? The explorer against the same page with
none of its work (``_overview_floor_page.py``), alternating, each from a fresh server and a
fresh browser with an empty cache, timed as ``explorer_speed.py`` times the first chart.

The floor page draws the same elements (sidebar radios, eight metrics, the documents-per-day
bars, two Markdown tables, four download buttons) from the workspace's numbers written to a
JSON file beforehand: no pandas, no DuckDB, no opinion modules, no command line. Whatever the
explorer's own work costs is the difference; what the floor page takes is Streamlit's start,
its JavaScript and the browser on this machine.

    python benchmarks/explorer_floor.py WS [--repeat 7]
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from explorer_speed import BROWSER_SETTLE, wait_drawn, watch_for_chart  # noqa: E402

from opinion import schema as S  # noqa: E402
from tools.explorer_browser import chromium, explorer_process, free_port, wait_healthy  # noqa: E402

FLOOR_PAGE = Path(__file__).resolve().parent / "_overview_floor_page.py"


def overview_numbers(root: Path, path: Path) -> None:
    """Write the Overview's numbers of workspace ``root`` to ``path`` (JSON)."""
    from opinion.explore.data import ExploreStore

    store = ExploreStore.open(str(root), texts_in_memory=False)
    per_period = store.per_period()
    as_text = lambda frame: frame.astype(str).values.tolist()  # noqa: E731
    path.write_text(json.dumps({
        "overview": {key: str(value) for key, value in store.overview().items()},
        "per_period": {"period": [str(day) for day in per_period["period"]],
                       "documents": [int(n) for n in per_period["documents"]]},
        "sources": as_text(store.counts_by(S.SOURCE)), "scripts": as_text(store.counts_by(S.SCRIPT)),
    }, ensure_ascii=False), encoding="utf-8")


def timed(kind: str, root: Path, data: Path) -> tuple[float, float]:
    """(server answering, chart drawn), seconds from starting the server of ``kind``."""
    with chromium() as driver:
        driver.get("about:blank")
        watch_for_chart(driver)
        time.sleep(BROWSER_SETTLE)
        start = time.time()
        if kind == "explorer":
            with explorer_process(root) as (url, _):
                healthy = time.time() - start
                driver.get(url)
                return healthy, wait_drawn(driver) - start
        port = free_port()
        server = subprocess.Popen([sys.executable, str(FLOOR_PAGE), str(port), str(data)],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            wait_healthy(port, server)
            healthy = time.time() - start
            driver.get(f"http://127.0.0.1:{port}/")
            return healthy, wait_drawn(driver) - start
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=20)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workspace", type=Path)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)
    print(f"machine: {os.cpu_count()} cores; load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    drawn: dict[str, list[float]] = {"explorer": [], "floor page": []}
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "overview.json"
        overview_numbers(args.workspace.resolve(), data)
        for _ in range(args.repeat):
            for kind in drawn:
                healthy, chart = timed(kind, args.workspace.resolve(), data)
                drawn[kind].append(chart)
                print(f"{kind:10s} server answering {healthy:.2f} s, chart drawn {chart:.2f} s", flush=True)
    for kind, times in drawn.items():
        print(f"{kind:10s} first chart, median of {args.repeat}: {statistics.median(times):.2f} s "
              f"({' '.join(f'{t:.2f}' for t in times)})")
    gap = statistics.median(drawn["explorer"]) - statistics.median(drawn["floor page"])
    print(f"explorer − floor page: {gap:+.2f} s (medians); load average after: "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
