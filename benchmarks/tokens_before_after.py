"""Tokens before and after a change, on real Weibo posts, in one run.

Each version tokenizes the same posts in its own process (``--before DIR``: a checkout of the
earlier code, whole, so its cleaning and conversion are its own too); the script prints how
many posts get other tokens, the tokens gained and lost most often, and a few posts with both
versions' tokens. With ``--pos n,v,a`` both use the POS filter the docs suggest for topics.

Usage::

    mkdir /tmp/before && git archive <commit> opinion | tar -x -C /tmp/before
    python benchmarks/tokens_before_after.py --before /tmp/before [--posts 20000] [--pos n,v,a]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]
WEIBO = HERE.parent / "shared" / "data" / "weibo" / "covid19_weibo_2020"
DAILY_FILES = ("2.20", "3.10", "3.11")

WORKER = """
import json, sys
from opinion.text.clean import clean_document, normalize_for_analysis
from opinion.text.script import detect_and_convert
from opinion.text.tokenize import Tokenizer
posts, pos = json.load(open(sys.argv[1], encoding="utf-8")), sys.argv[3]
tokenizer = Tokenizer(pos=tuple(pos.split(",")) if pos else None)
norms = [normalize_for_analysis(detect_and_convert(clean_document(t)[0])[1]) for t in posts]
json.dump([tokenizer.tokenize(n) for n in norms], open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False)
"""


def read_posts(limit: int) -> list[str]:
    import pandas as pd

    posts: list[str] = []
    for name in DAILY_FILES:
        frame = pd.read_csv(WEIBO / f"{name}.csv.gz", encoding="gb18030", usecols=["text"], dtype=str)
        posts += frame["text"].dropna().tolist()[: (limit + 2) // len(DAILY_FILES)]
    return posts[:limit]


def tokens_of(root: Path, posts_file: Path, pos: str, out: Path) -> list[list[str]]:
    env = {**os.environ, "PYTHONPATH": str(root)}
    # run from the temporary folder: `python -c` puts the working folder first on the path
    subprocess.run([sys.executable, "-c", WORKER, str(posts_file), str(out), pos], env=env, check=True,
                   cwd=posts_file.parent)
    return json.loads(out.read_text(encoding="utf-8"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--before", type=Path, required=True, help="a checkout of the earlier code")
    parser.add_argument("--posts", type=int, default=20_000)
    parser.add_argument("--pos", default="", help="POS tags to keep, e.g. n,v,a (default: all)")
    parser.add_argument("--show", type=int, default=8)
    args = parser.parse_args()
    posts = read_posts(args.posts)
    with tempfile.TemporaryDirectory() as tmp:
        posts_file = Path(tmp) / "posts.json"
        posts_file.write_text(json.dumps(posts, ensure_ascii=False), encoding="utf-8")
        before = tokens_of(args.before, posts_file, args.pos, Path(tmp) / "before.json")
        after = tokens_of(HERE, posts_file, args.pos, Path(tmp) / "after.json")
    changed = [i for i, (a, b) in enumerate(zip(before, after)) if a != b]
    gained: Counter[str] = Counter()
    lost: Counter[str] = Counter()
    for i in changed:
        gained.update(Counter(after[i]) - Counter(before[i]))
        lost.update(Counter(before[i]) - Counter(after[i]))
    print(f"{len(posts):,} posts ({', '.join(DAILY_FILES)}; pos {args.pos or 'all'}): "
          f"{len(changed):,} get other tokens ({len(changed) / max(len(posts), 1):.2%})")
    print("  tokens gained:", gained.most_common(20))
    print("  tokens lost:  ", lost.most_common(20))
    for i in changed[:args.show]:
        print(f"  {posts[i][:50]!r}\n    before {before[i]}\n    after  {after[i]}")


if __name__ == "__main__":
    main()
