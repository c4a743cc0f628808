"""Label unlabelled posts with the e5 teacher's probabilities (for distillation).

Takes ``--posts`` posts spread evenly over the days of the 620k COVID-19 Weibo corpus
(seeded sample per day, Simplified, empty and duplicate texts dropped), or with
``--texts FILE`` a seeded sample of the lines (first tab-separated column) of a TSV or text file (news titles:
``../shared/data/news/thucnews_titles_dev.tsv``), scores them with
the exported transformer file (numpy, no torch) and writes parquet chunks of 500 rows to
``--out`` (``part-00000.parquet`` ...): ``text``, ``key``, ``polarity_<class>`` and
``emotion_<class>``. Chunks already written are skipped, so a killed run goes on where it
stopped. The soft labels stay outside git (``/work/e5_soft/``): they derive from Weibo
posts that are not ours to redistribute.

    nice -n 10 python tools/e5_soft_labels.py --model opinion/resources/sentiment/transformer.e5s1 \\
        --posts 20000 --out /work/e5_soft/weibo
    nice -n 10 python tools/e5_soft_labels.py --model opinion/resources/sentiment/transformer.e5s1 \\
        --texts ../shared/data/news/thucnews_titles_dev.tsv --posts 5000 --out /work/e5_soft/news
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
WEIBO = ROOT.parent / "shared" / "data" / "weibo" / "covid19_weibo_2020"
CHUNK = 500


def take_distinct(candidates: Iterable[str], texts: dict[str, str], limit: int) -> None:
    """Add to ``texts`` (dedup key -> Simplified text), in order, up to ``limit`` candidates
    whose key is new; empty ones are skipped."""
    from opinion.sentiment.datasets import dedup_key
    from opinion.sentiment.features import to_simplified

    taken = 0
    for text in candidates:
        simple = to_simplified(text).strip()
        key = dedup_key(simple)
        if key and key not in texts:
            texts[key] = simple
            taken += 1
            if taken == limit:
                return


def sample_posts(folder: Path, posts: int, seed: int = 19) -> list[str]:
    """``posts`` distinct Simplified posts spread over the corpus's days (seeded)."""
    import pandas as pd

    days = sorted(folder.glob("*.csv.gz"))
    if not days:
        raise SystemExit(f"e5_soft_labels: {folder}: no *.csv.gz day files; pass --weibo")
    per_day = -(-posts // len(days))
    rng = np.random.default_rng(seed)
    texts: dict[str, str] = {}
    for day in days:
        frame = pd.read_csv(day, encoding="gb18030", encoding_errors="replace", dtype=str,
                            usecols=["text"])
        day_texts = frame["text"].dropna().to_numpy()
        take_distinct((str(t) for t in day_texts[rng.permutation(len(day_texts))]), texts, per_day)
    return list(texts.values())[:posts]


def sample_file(path: Path, posts: int, seed: int = 19) -> list[str]:
    """``posts`` distinct Simplified texts from the first column of ``path`` (seeded sample)."""
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    order = np.random.default_rng(seed).permutation(len(lines))
    texts: dict[str, str] = {}
    take_distinct((lines[i].split("\t")[0] for i in order), texts, posts)
    return list(texts.values())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, required=True, help="the exported transformer file")
    parser.add_argument("--posts", type=int, default=20000)
    parser.add_argument("--weibo", type=Path, default=WEIBO)
    parser.add_argument("--texts", type=Path, default=None,
                        help="a TSV or plain-text file, one text per line (its first tab-separated column), instead of Weibo")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--first", type=int, default=None,
                        help="label only the first N posts of the --posts sample (the sample, and so "
                             "the chunks, stay those of --posts: a stopped run is reproduced exactly)")
    args = parser.parse_args(argv)
    import pandas as pd

    from opinion.sentiment.datasets import dedup_key
    from opinion.sentiment.transformer import HEAD_CLASSES, TransformerModel

    texts = (sample_file(args.texts, args.posts) if args.texts
             else sample_posts(args.weibo, args.posts))
    texts = texts[:args.first] if args.first is not None else texts
    model = TransformerModel(args.model)
    args.out.mkdir(parents=True, exist_ok=True)
    started, done = time.perf_counter(), 0
    for index, start in enumerate(range(0, len(texts), CHUNK)):
        path = args.out / f"part-{index:05d}.parquet"
        if path.exists():
            continue
        chunk = texts[start:start + CHUNK]
        probs = model.predict_proba_all(chunk)
        frame = pd.DataFrame({"text": chunk, "key": [dedup_key(t) for t in chunk]})
        for task, classes in HEAD_CLASSES.items():
            for j, name in enumerate(classes):
                frame[f"{task}_{name}"] = probs[task][:, j].astype(np.float32)
        tmp = path.with_suffix(".tmp")
        frame.to_parquet(tmp, index=False)
        tmp.replace(path)
        done += len(chunk)
        print(f"{path.name}: {done:,} posts, {done / (time.perf_counter() - started):.1f} posts/s",
              flush=True)
    print(f"{args.out}: {len(texts):,} posts labelled")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
