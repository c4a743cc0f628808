"""@mentions on real posts: the old rule (any run of up to 30 word characters after ``@``)
against the current one (a run no wider than a Weibo nickname, 30 with a Chinese character
counting 2, else kept as text), in the same run.

Prints how many @runs each rule replaces, how many characters of text the old rule took
with a run too wide to be a nickname, and examples of those runs.

    python benchmarks/clean_mentions.py ../shared/data/weibo/covid19_weibo_2020 [--titles FILE.tsv]
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from opinion.text import contacts as C  # noqa: E402

OLD = re.compile(rf"@[\w\-{C._HAN}]{{1,30}}")


def texts(folder: Path, titles: Path | None) -> list[str]:
    out: list[str] = []
    for path in sorted(folder.glob("*.csv.gz")):
        frame = pd.read_csv(path, encoding="gb18030", encoding_errors="replace", on_bad_lines="skip",
                            dtype=str, usecols=lambda c: c in ("text", "content"))
        out += frame.iloc[:, 0].dropna().tolist()
    if titles:
        out += pd.read_csv(titles, sep="\t", header=None, dtype=str)[0].dropna().tolist()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--titles", type=Path, default=None)
    args = parser.parse_args(argv)
    posts = [t for t in texts(args.folder, args.titles) if "@" in t]
    old_runs = new_runs = kept = kept_chars = 0
    examples: list[str] = []
    for text in posts:
        for match in C._MENTION.finditer(text):
            name = match.group()[1:]
            if C._name_width(name) <= C.MENTION_WIDTH:
                new_runs += 1
            else:
                kept += 1
                kept_chars += len(OLD.match(text, match.start()).group()) - 1  # what the old rule took
                if len(examples) < 8 and match.group()[:40] not in examples:
                    examples.append(match.group()[:40])
        old_runs += len(OLD.findall(text))
    print(f"{len(posts):,} texts with @; @runs replaced: old rule {old_runs:,}, current {new_runs:,}; "
          f"kept as text now {kept:,} runs ({kept_chars:,} characters the old rule replaced)")
    for example in examples:
        print("  kept:", example)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
