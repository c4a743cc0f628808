"""Words and networks on the 620k real Weibo posts, each against the obvious alternative.

Every step runs in its own process so that its peak memory (max RSS) is its own:

- ``newwords``: time and peak memory of ``find_new_words``; the ranks of names the period
  coined that jieba splits, against the obvious ranking (the most frequent n-grams the
  tokenizer splits, same counting, no cohesion or freedom);
- ``ngram_speed`` (on ``--subset`` daily files): the streamed numpy counting of
  :mod:`opinion.words.ngrams` against a ``collections.Counter`` of every 2–6-gram;
- ``keywords``: keywords by week, cold (counting) and warm (counts kept in ``WS/words/``);
  how different the weeks' top-10 lists are (mean pairwise Jaccard, lower is more
  distinctive) for G² against the raw most frequent words of each week;
- ``network``: the co-occurrence network of the top 100 words of all posts;
- ``export``: what ``opinion export`` adds (keywords_by_period and the HTML word clouds),
  cold and warm;
- ``accept`` (last; it changes the workspace): accept the names, ``prepare`` again, and
  count the KWIC lines where 火神山 is one token.

    python3 benchmarks/words_weibo.py --workspace WS            # WS: load + prepare of the 57 files
    python3 benchmarks/words_weibo.py --workspace WS --steps newwords,keywords
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import time
from collections import Counter
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # this checkout's opinion, not an installed one
NAMES = ["火神山", "雷神山", "钻石公主号", "逆行者", "方舱医院", "健康码", "李文亮医生", "双黄连口服液"]
STEPS = ("newwords", "ngram_speed", "keywords", "network", "export", "accept")


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _ranks(words: list[str]) -> dict[str, int | None]:
    position = {w: i + 1 for i, w in enumerate(words)}
    return {n: position.get(n) for n in NAMES}


def step_newwords(ws: Path, args) -> dict:
    import numpy as np

    from opinion.io.workspace import Workspace
    from opinion.words.newwords import NewWordSettings, _PartCache, _segmenter, find_new_words
    from opinion.words.ngrams import count_levels, prefix_chain, texts_of

    start = time.perf_counter()
    table = find_new_words(ws, settings=NewWordSettings(top=1000))
    seconds = time.perf_counter() - start
    peak = _peak_mb()
    # the obvious ranking: the most frequent n-grams that the tokenizer splits (same counts)
    workspace = Workspace.open(ws)
    cache = _PartCache(workspace, include_duplicates=False)
    levels = count_levels(cache.first_pass(), max_len=6, min_count=10, reread=cache.again)
    cache.close()
    segmenter = _segmenter(workspace)
    frequent = []
    for level in levels[1:]:
        _, chars = prefix_chain(levels, level.n, np.arange(len(level.keys)))
        frequent += zip(level.counts.tolist(), texts_of(chars))
    frequent.sort(key=lambda x: (-x[0], x[1]))
    baseline = [w for _, w in frequent[:20000] if len(segmenter.cut(w)) > 1 and not segmenter.has_word(w)]
    return {"seconds": round(seconds, 1), "peak_mb": round(peak), "top30": table["word"].head(30).tolist(),
            "ranks": _ranks(table["word"].tolist()), "baseline_top30": baseline[:30],
            "baseline_ranks": _ranks(baseline)}


def step_ngram_speed(ws: Path, args) -> dict:
    from opinion.io.workspace import Workspace
    from opinion.words.ngrams import count_levels, encode_texts

    w = Workspace.open(ws)
    texts = []
    for part in w.parts("prepared")[: args.subset]:
        texts += w.read_part("prepared", part, columns=["text_norm"])["text_norm"].fillna("").tolist()
    out = {"posts": len(texts)}
    start = time.perf_counter()
    base = _peak_mb()
    levels = count_levels([encode_texts(texts)], max_len=6, min_count=10)
    out["numpy_seconds"] = round(time.perf_counter() - start, 2)
    out["numpy_extra_mb"] = round(_peak_mb() - base)
    kept = sum(len(level.keys) for level in levels[1:])
    start = time.perf_counter()
    counter: Counter = Counter()
    for text in texts:
        for n in range(2, 7):
            counter.update(text[i:i + n] for i in range(len(text) - n + 1))
    naive = sum(1 for g, c in counter.items() if c >= 10 and all("\u4e00" <= ch <= "\u9fff" for ch in g))
    out["counter_seconds"] = round(time.perf_counter() - start, 2)
    out["counter_extra_mb"] = round(_peak_mb() - base)
    out["same_ngrams_kept"] = kept == naive
    out["ngrams_kept"] = kept
    return out


def _overlap(lists: list[list[str]]) -> float:
    pairs = list(combinations([set(x) for x in lists], 2))
    return round(sum(len(a & b) / len(a | b) for a, b in pairs) / max(1, len(pairs)), 3)


def step_keywords(ws: Path, args) -> dict:
    from opinion.words.keywords import KeywordSettings, group_counts, keywords

    shutil.rmtree(ws / "words", ignore_errors=True)
    settings = KeywordSettings(period="week", top=10)
    start = time.perf_counter()
    table = keywords(ws, by="period", settings=settings)
    cold = time.perf_counter() - start
    start = time.perf_counter()
    keywords(ws, by="period", settings=settings)
    warm = time.perf_counter() - start
    counts, _, documents = group_counts(ws, by="period", settings=settings)
    weeks = sorted(g for g, n in documents.items() if n >= 1000)
    frequent = [counts[counts["group"] == g].nlargest(10, "count")["word"].tolist() for g in weeks]
    g2 = [table[table["group"] == g]["word"].tolist() for g in weeks]
    readme = KeywordSettings(period="week", top=8, min_count=50, min_g2=10.83)
    rows = keywords(ws, by="period", settings=readme)
    return {"cold_seconds": round(cold, 1), "warm_seconds": round(warm, 2), "peak_mb": round(_peak_mb()),
            "weeks": len(weeks), "jaccard_g2": _overlap(g2), "jaccard_frequency": _overlap(frequent),
            "frequency_week_1": frequent[0], "readme": {g: r["word"].tolist() for g, r in rows.groupby("group")},
            "documents": documents}


def step_network(ws: Path, args) -> dict:
    from opinion.words.network import NetworkSettings, cooccurrence_network, write_network

    start = time.perf_counter()
    net = cooccurrence_network(ws, settings=NetworkSettings(top=100))
    seconds = time.perf_counter() - start
    write_network(net, ws / "network", name="network_all")
    communities = net.nodes.groupby("community")["id"].apply(lambda s: " ".join(s.head(6))).tolist()
    return {"seconds": round(seconds, 1), "peak_mb": round(_peak_mb()), "nodes": len(net.nodes),
            "edges": len(net.edges), "documents": net.documents, "communities": communities}


def step_export(ws: Path, args) -> dict:
    from opinion.words.report import cloud_images, keywords_for_export

    shutil.rmtree(ws / "words", ignore_errors=True)
    out = {}
    for label in ("cold", "warm"):
        start = time.perf_counter()
        keywords_for_export(ws, period="week", script="zh-Hans")
        middle = time.perf_counter()
        images = cloud_images(ws, period="week", script="zh-Hans")
        out[label] = {"keywords_seconds": round(middle - start, 1),
                      "clouds_seconds": round(time.perf_counter() - middle, 1), "clouds": len(images),
                      "cloud_kb": round(sum(len(p) for _, p in images) / 1024)}
    out["peak_mb"] = round(_peak_mb())
    return out


def step_accept(ws: Path, args) -> dict:
    from opinion.io.userdict import accept_words
    from opinion.kwic import kwic
    from opinion.prepare import prepare_workspace

    before = len(kwic(ws, "火神山", whole_token=True, limit=100000))
    accepted = accept_words(ws, NAMES[:4])
    start = time.perf_counter()
    report = prepare_workspace(ws, workers=2)
    seconds = time.perf_counter() - start
    after = kwic(ws, "火神山", whole_token=True, limit=100000)
    return {"accepted": accepted.added, "prepare_seconds": round(seconds, 1),
            "parts_prepared": len(report.runner.computed), "kwic_token_lines_before": before,
            "kwic_token_lines_after": len(after), "kwic_any_lines": len(kwic(ws, "火神山", limit=100000)),
            "example": " ".join(after.iloc[0][["left", "term", "right"]]) if len(after) else ""}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workspace", type=Path, required=True, help="a prepared workspace of the Weibo files")
    parser.add_argument("--steps", default=",".join(STEPS))
    parser.add_argument("--subset", type=int, default=10, help="daily parts for ngram_speed")
    parser.add_argument("--step", help=argparse.SUPPRESS)  # run one step in this process
    args = parser.parse_args()
    if args.step:
        result = globals()[f"step_{args.step}"](args.workspace, args)
        usage = resource.getrusage(resource.RUSAGE_SELF)
        result["step_cpu_seconds"] = round(usage.ru_utime + usage.ru_stime, 1)
        result["step_peak_mb"] = round(usage.ru_maxrss / 1024)
        print(json.dumps(result, ensure_ascii=False))
        return
    print(time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "load", open("/proc/loadavg").read().split()[:3])
    for step in args.steps.split(","):
        start = time.perf_counter()
        result = subprocess.run([sys.executable, __file__, "--workspace", str(args.workspace), "--step", step,
                                 "--subset", str(args.subset)], capture_output=True, text=True, cwd=ROOT)
        if result.returncode:
            print(step, "failed:", result.stderr[-2000:])
            continue
        load = open("/proc/loadavg").read().split()[0]
        print(f"## {step} ({time.perf_counter() - start:.0f} s wall, load {load} at the end)")
        print(json.dumps(json.loads(result.stdout.strip().splitlines()[-1]), ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
