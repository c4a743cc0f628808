"""Everyday words (没有, 真的, 知道 …) in the words views, left out (the default since
2026-12-07) against shown (``--everyday-words``, what every view did before), in one run.

On a prepared workspace (topics not needed) it prints, for both settings: the share of the
network's nodes that are everyday words, the communities made mostly (half or more of their
words) of everyday words, the share of everyday words among the 50 largest words of the
all-documents cloud, and among each period's top-10 keywords; then the differences.

    python benchmarks/words_everyday.py --workspace WS [--top 60]
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # this checkout's opinion, not an installed one

from opinion.text.everyday import EVERYDAY_WORDS  # noqa: E402
from opinion.words.cloud import group_frequencies  # noqa: E402
from opinion.words.keywords import KeywordSettings, keywords  # noqa: E402
from opinion.words.network import NetworkSettings, cooccurrence_network  # noqa: E402


def _share(words: list[str]) -> float:
    return sum(w in EVERYDAY_WORDS for w in words) / max(len(words), 1)


def measure(workspace: str, *, top: int, everyday: bool) -> dict[str, float]:
    """The four figures of one setting."""
    net = cooccurrence_network(workspace, settings=NetworkSettings(top=top, everyday_words=everyday))
    communities = net.nodes.groupby("community")["label"].apply(list)
    mostly = sum(_share(words) >= 0.5 for words in communities)
    cloud = group_frequencies(workspace, by=None, top=50, everyday_words=everyday)["all"]
    found = keywords(workspace, by="period", settings=KeywordSettings(top=10, everyday_words=everyday))
    return {"network nodes that are everyday words": _share(net.nodes["label"].tolist()),
            "communities mostly of everyday words": float(mostly),
            "communities": float(len(communities)),
            "everyday words in the cloud's 50 largest": _share(cloud.index.tolist()),
            "everyday words in the periods' top-10 keywords": _share(found["word"].tolist()) if len(found) else 0.0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workspace", required=True)
    parser.add_argument("--top", type=int, default=60)
    args = parser.parse_args()
    started = time.perf_counter()
    shown = measure(args.workspace, top=args.top, everyday=True)
    left_out = measure(args.workspace, top=args.top, everyday=False)
    print(f"# {time.strftime('%Y-%m-%d %H:%M')} {platform.node()} ({platform.processor() or platform.machine()}), "
          f"workspace {args.workspace}, network --top {args.top}")
    print(f"{'figure':<48} {'shown (before)':>15} {'left out':>10} {'difference':>11}")
    for name in shown:
        before, after = shown[name], left_out[name]
        fmt = (lambda v: f"{v:.0f}") if name.startswith("communities") else (lambda v: f"{v:.1%}")
        print(f"{name:<48} {fmt(before):>15} {fmt(after):>10} {fmt(after - before):>11}")
    print(f"({time.perf_counter() - started:.1f} s)")


if __name__ == "__main__":
    main()
