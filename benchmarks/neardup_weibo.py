"""Benchmark: near-duplicates and spam on the 620k COVID-19 Weibo posts.

Compares, on the same texts (the posts as read, GB18030):

1. the exact-duplicate baseline of the load stage (``opinion.io.dedup.text_hash``: equal
   after width and spacing are normalised): posts and clusters flagged, time;
2. ``opinion.text.neardup.near_duplicates`` (numpy one-permutation MinHash, banded LSH,
   verified pairs): the same figures on all posts;
3. ``datasketch`` MinHash + MinHashLSH (threshold 0.5, 64 permutations, the same character
   bigrams) on the first ``--datasketch`` posts, timed and compared with (2) on those posts
   (the obvious library; it is not a dependency: ``pip install datasketch`` to run this part);
4. recall and false positives on 500 real posts no two of which share 30% of their
   bigrams, and four made-up copies of each (the kinds of ``tests/test_text_neardup.py``),
   plus heavier scrambling to show where recall ends;
5. ``opinion.text.spam.spam_scores``: how many posts each signal marks, and how many of
   the ``#每日一善#`` bot posts are spam.

    nice -n 10 python3 benchmarks/neardup_weibo.py            # needs ../shared/data
    nice -n 10 python3 benchmarks/neardup_weibo.py --datasketch 0   # skip datasketch
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import resource
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "weibo" / "covid19_weibo_2020"
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def read_posts() -> list[str]:
    import pandas as pd

    texts: list[str] = []
    for path in sorted(DATA.glob("*.csv.gz"), key=lambda p: tuple(int(x) for x in p.name.split(".")[:2])):
        frame = pd.read_csv(path, encoding="gb18030", encoding_errors="replace", dtype=str,
                            on_bad_lines="skip", engine="python")
        texts += frame["text"].fillna("").astype(str).tolist()
    return texts


def timed(func, *args, **kwargs):
    wall, cpu = time.perf_counter(), _cpu()
    out = func(*args, **kwargs)
    return out, time.perf_counter() - wall, _cpu() - cpu


def exact_baseline(texts: list[str]) -> list[int | None]:
    from opinion.io.dedup import text_hash

    first: dict[str, int] = {}
    out: list[int | None] = []
    for i, text in enumerate(texts):
        leader = first.setdefault(text_hash(text), i)
        out.append(None if leader == i else leader)
    return out


def summary(firsts: list[int | None]) -> tuple[int, int]:
    flagged = [f for f in firsts if f is not None]
    return len(flagged), len(set(flagged))


def datasketch_firsts(texts: list[str]) -> list[int | None]:
    """The library way: one MinHash per post (bigrams of the same key), query, insert."""
    from datasketch import MinHash, MinHashLSH

    from opinion.text.neardup import shingle_key, without_hashtags

    lsh = MinHashLSH(threshold=0.5, num_perm=64)
    out: list[int | None] = []
    for i, text in enumerate(texts):
        key = shingle_key(without_hashtags(text))
        if len(key) < 5:
            out.append(None)
            continue
        sketch = MinHash(num_perm=64, seed=42)
        sketch.update_batch([key[j:j + 2].encode("utf-8") for j in range(len(key) - 1)])
        found = lsh.query(sketch)
        out.append(min(found) if found else None)
        lsh.insert(i, sketch)
    return out


def recall_table(texts: list[str], seed: int = 14) -> list[tuple[str, float, int]]:
    from test_text_neardup import VARIANTS, scrambled

    from opinion.text.neardup import bigram_set, near_duplicate_firsts, shingle_key, without_hashtags

    rng = random.Random(seed)
    pool = [t for t in rng.sample(texts, 3000) if 20 <= len(shingle_key(without_hashtags(t))) <= 300]
    originals: list[str] = []
    sets: list[set[str]] = []
    for text in pool:
        bigrams = bigram_set(without_hashtags(text))
        if all(len(bigrams & s) < 0.3 * len(bigrams | s) for s in sets):
            originals.append(text)
            sets.append(bigrams)
        if len(originals) == 500:
            break
    kinds = dict(VARIANTS)
    kinds["scrambled 10%"] = lambda t, r: scrambled(t, r, 0.10)
    kinds["scrambled 20%"] = lambda t, r: scrambled(t, r, 0.20)
    copies, origin, kind_of = [], [], []
    for name, make in kinds.items():
        for i, text in enumerate(originals):
            copies.append(make(text, rng))
            origin.append(i)
            kind_of.append(name)
    firsts = near_duplicate_firsts(originals + copies)
    n = len(originals)
    rows = [("distinct posts flagged by mistake", sum(f is not None for f in firsts[:n]) / n, n)]
    for name in kinds:
        hits = [firsts[n + k] == origin[k] for k in range(len(copies)) if kind_of[k] == name]
        rows.append((f"recall: {name}", float(np.mean(hits)), len(hits)))
    return rows


def spam_table(texts: list[str]) -> list[tuple[str, int]]:
    from opinion.text.spam import SpamSettings, dictionary_pair_share, lead_template, spam_scores

    settings = SpamSettings()
    scores, wall, cpu = timed(spam_scores, texts)
    from opinion.text.neardup import without_hashtags

    share, pairs = dictionary_pair_share([without_hashtags(t) for t in texts])
    bot = np.array(["每日一善" in t for t in texts])
    spam = scores >= settings.threshold
    leads = [lead_template(t) for t in texts]
    campaign = np.array([lead != "" for lead in leads]) & (scores == 1.0)
    scrambled = (pairs >= settings.min_pairs) & (share <= (settings.scrambled_from + settings.scrambled_to) / 2)
    only_tags = np.isclose(scores, settings.hashtag_only)
    print(f"spam pass: {wall:.1f} s wall, {cpu:.1f} s CPU")
    median = float(np.median(share[(pairs >= 50) & ~bot]))
    bot_median = float(np.median(share[(pairs >= 50) & bot]))
    print(f"dictionary pair share, posts with 50+ pairs: median {median:.3f} (ordinary), "
          f"{bot_median:.3f} (#每日一善# posts); 1st/0.1th percentile of ordinary: "
          f"{np.percentile(share[(pairs >= 50) & ~bot], 1):.3f} / {np.percentile(share[(pairs >= 50) & ~bot], 0.1):.3f}")
    groups: dict[str, list[float]] = {}
    for lead, value, count in zip(leads, share.tolist(), pairs.tolist()):
        if lead and count >= settings.template_pairs:
            groups.setdefault(lead, []).append(value)
    medians = sorted((float(np.median(v)), lead) for lead, v in groups.items() if len(v) >= settings.template_posts)
    print(f"{len(medians):,} leading hashtag templates with {settings.template_posts}+ posts; lowest medians: "
          + ", ".join(f"{lead} {m:.3f}" for m, lead in medians[:4]))
    return [("spam posts", int(spam.sum())), ("  of a campaign template (score 1)", int(campaign.sum())),
            ("  scrambled or garbled (per post)", int((scrambled & spam).sum())),
            ("  hashtags only (score 0.6)", int(only_tags.sum())),
            ("#每日一善# posts", int(bot.sum())), ("  of them spam", int((bot & spam).sum()))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasketch", type=int, default=30_000, help="posts for the datasketch run (0: skip)")
    args = parser.parse_args()
    from opinion.text.neardup import near_duplicates

    texts = read_posts()
    print(f"{len(texts):,} posts; {datetime.date.today()}; {os.cpu_count()} cores; "
          f"load {os.getloadavg()[0]:.1f}")
    exact, wall_e, cpu_e = timed(exact_baseline, texts)
    (near, _), wall_n, cpu_n = timed(near_duplicates, texts)
    print("\n| method | posts flagged | clusters | wall s | CPU s |\n|---|---|---|---|---|")
    print("| exact duplicates (load stage) | {:,} | {:,} | {:.1f} | {:.1f} |".format(*summary(exact), wall_e, cpu_e))
    print("| near-duplicates (opinion) | {:,} | {:,} | {:.1f} | {:.1f} |".format(*summary(near), wall_n, cpu_n))
    exact_flagged = {i for i, f in enumerate(exact) if f is not None}
    near_flagged = {i for i, f in enumerate(near) if f is not None}
    print(f"\nexact copies also flagged as near-duplicates: {len(exact_flagged & near_flagged):,} of "
          f"{len(exact_flagged):,}; peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    if args.datasketch:
        subset = texts[:args.datasketch]
        ours, wall_o, cpu_o = timed(near_duplicates, subset)
        try:
            theirs, wall_d, cpu_d = timed(datasketch_firsts, subset)
        except ImportError:
            print("datasketch is not installed: pip install datasketch")
        else:
            a = {i for i, f in enumerate(ours[0]) if f is not None}
            b = {i for i, f in enumerate(theirs) if f is not None}
            print(f"\nfirst {len(subset):,} posts: opinion {wall_o:.1f} s wall ({cpu_o:.1f} CPU), "
                  f"datasketch {wall_d:.1f} s wall ({cpu_d:.1f} CPU): {cpu_d / max(cpu_o, 1e-9):.1f}× the CPU; "
                  f"flagged {len(a):,} vs {len(b):,}, both {len(a & b):,}; at this rate datasketch "
                  f"needs ~{cpu_d * len(texts) / len(subset) / 60:.1f} CPU minutes for all posts")
    print("\n| check | value | n |\n|---|---|---|")
    for name, value, n in recall_table(texts):
        print(f"| {name} | {value:.3f} | {n} |")
    print("\n| spam | posts |\n|---|---|")
    for name, value in spam_table(texts):
        print(f"| {name} | {value:,} |")


if __name__ == "__main__":
    main()
