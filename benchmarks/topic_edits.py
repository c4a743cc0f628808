"""What topic edits cost the readers: export tables and the explorer's store, with and without.

Edits are applied when a table is read (:func:`opinion.topics.edits.apply_edits`), never
written into the stored tables, so every read pays for them. This measures, in the same run
on the same workspace, ``build_tables`` (what ``opinion export`` builds) and
``ExploreStore.open`` (the explorer's start: views and the in-memory ``facts`` table) with no
edits and with a rename, a merge of the two largest topics and a drop of the smallest,
``--repeat`` times each (median), and prints the ratios. The workspace's own edits are put back.
Then the part that grows with the corpus, :func:`opinion.topics.edits.remap_documents` (ids
and labels of every document), on the workspace's ``topic_documents`` repeated to
``--rows`` rows (620,783 by default, the Weibo corpus), against a plain copy of the frame.

Run: ``nice -n 10 python3 benchmarks/topic_edits.py WORKSPACE [--repeat 3]`` (a workspace with
topics, e.g. made by ``opinion run corpora/demo -w runs/demo``).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from opinion.explore.data import ExploreStore  # noqa: E402
from opinion.io.workspace import Workspace  # noqa: E402
from opinion.report.tables import build_tables  # noqa: E402
from opinion.topics import edit_store as E  # noqa: E402
from opinion.topics.edits import TopicEdit  # noqa: E402


def timed(func, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workspace", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--rows", type=int, default=620_783)
    args = parser.parse_args()
    ws = Workspace.open(args.workspace)
    saved = ws.root / E.EDITS_FILE
    backup = Path(tempfile.mkdtemp()) / "edits.json"
    if saved.exists():
        shutil.copy2(saved, backup)
    topics = ws.read("topics").query("topic_id >= 0").sort_values("size", ascending=False)
    ids = topics["topic_id"].tolist()
    edits = [TopicEdit("merge", (ids[0], ids[1])), TopicEdit("rename", (min(ids[0], ids[1]),), "合并的主题"),
             TopicEdit("drop", (ids[-1],))]
    n_docs = len(ws.read("topic_documents", columns=["doc_id"]))
    print(f"workspace {ws.root}: {n_docs:,} documents, {len(ids)} topics; load average "
          f"{os.getloadavg()[0]:.1f}; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    results = {}
    try:
        for name in ("no edits", "3 edits"):
            E.clear_edits(ws)
            if name != "no edits":
                E.record_edits(ws, edits)
            build_tables(ws), ExploreStore.open(ws.root, texts_in_memory=False)  # warm: imports, file cache
            results[name] = (timed(lambda: build_tables(ws), args.repeat),
                             timed(lambda: ExploreStore.open(ws.root, texts_in_memory=False), args.repeat))
            labels = build_tables(ws)["topics"]["label"].tolist()
            print(f"{name:>9}: build_tables {results[name][0]:.2f} s, ExploreStore.open {results[name][1]:.2f} s"
                  f" ({'合并的主题' in labels and 'renamed label shown' or 'automatic labels'})")
    finally:
        E.clear_edits(ws)
        if backup.exists():
            shutil.copy2(backup, saved)
    base, edited = results["no edits"], results["3 edits"]
    print(f"ratio with edits / without: build_tables {edited[0] / base[0]:.2f}x, "
          f"ExploreStore.open {edited[1] / base[1]:.2f}x")
    import pandas as pd

    from opinion.topics.edits import apply_edits, remap_documents

    docs = ws.read("topic_documents")
    big = pd.concat([docs] * (args.rows // len(docs) + 1), ignore_index=True).iloc[:args.rows]
    table, _ = apply_edits(ws.read("topics"), None, edits)
    remap = timed(lambda: remap_documents(big, table), args.repeat)
    copy = timed(lambda: big.copy(), args.repeat)
    print(f"remap_documents on {len(big):,} rows: {remap:.3f} s; a plain copy {copy:.3f} s "
          f"({remap / copy:.1f}x)")


if __name__ == "__main__":
    main()
