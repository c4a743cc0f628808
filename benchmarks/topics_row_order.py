"""Do the topics depend on the order of the input rows? Before and after fitting in content order.

    python benchmarks/topics_row_order.py [--titles 5000] [--posts 2000] [--embedding static-zh]
                                          [--seeds 0,1,2,3,4] [--sample 100000]

For each fit order (``input``: the rows as given, the code before 2026-12-07; ``content``: the
fit documents sorted by a hash of their text, :data:`opinion.topics.fit.FIT_ORDER`), fits
``opinion.TopicModel`` (automatic topic count, seed 42) on

- the first ``--titles`` THUCNews dev titles (``shared/data/news/thucnews_titles_dev.tsv``) in
  file order, reversed and shuffled: topics, NMI and ARI against the 10 categories;
- ``--posts`` real Weibo posts (``shared/data/weibo/covid19_weibo_2020``: 150 posts of more than
  15 characters drawn per day file, shuffled, the first N: the tester's ``med.csv``) in the
  same three orders;

and prints, per corpus, the ARI of the reversed and shuffled partitions against the file-order
one (1.0: the same topics whatever the order), with the wall time of each fit; then the titles
in file order with each of ``--seeds``: topic counts and the mean and spread of NMI and ARI. Example output
line: ``thucnews content reversed  topics 10  NMI 0.590  ARI 0.497  vs file order ARI 1.000  31.2 s``.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "data"
sys.path.insert(0, str(REPO))  # this checkout's opinion, not an installed one


def titles(n: int) -> pd.DataFrame:
    frame = pd.read_csv(SHARED / "news" / "thucnews_titles_dev.tsv", sep="\t", header=None,
                        names=["text", "label"], quoting=csv.QUOTE_NONE, dtype=str)
    return frame.head(n).reset_index(drop=True)


def posts(n: int) -> pd.DataFrame:
    """150 posts of more than 15 characters per day file, shuffled (seed 5), the first ``n``."""
    rows = []
    for path in sorted((SHARED / "weibo" / "covid19_weibo_2020").glob("*.csv.gz")):
        text = gzip.open(path).read().decode("gb18030", "replace")
        day = pd.read_csv(io.StringIO(text), on_bad_lines="skip", engine="python").dropna(subset=["text"])
        rows += day.sample(min(150, len(day)), random_state=3)["text"].astype(str).tolist()
    pool = pd.DataFrame({"text": rows})
    pool = pool[pool["text"].str.len() > 15].reset_index(drop=True)
    return pool.sample(frac=1, random_state=5).reset_index(drop=True).head(n).assign(label=None)


def fit(frame: pd.DataFrame, embedding: str, seed: int = 42, sample: int = 100_000) -> tuple[pd.Series, float]:
    """Topic per original row index, and the seconds the fit took (a fit on at most ``sample``
    distinct texts, the rest assigned)."""
    from opinion import TopicModel

    start = time.perf_counter()
    model = TopicModel(embedding=embedding, seed=seed, sample_size=sample).fit(frame["text"].tolist(),
                                                        doc_ids=[str(i) for i in frame.index])
    docs = model.documents_
    topics = pd.Series(docs["topic_id"].to_numpy(), index=docs["doc_id"].astype(int).to_numpy())
    return topics.sort_index(), time.perf_counter() - start


def main() -> None:
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    from opinion.topics import fit as F

    parser = argparse.ArgumentParser()
    parser.add_argument("--titles", type=int, default=5000)
    parser.add_argument("--posts", type=int, default=2000)
    parser.add_argument("--embedding", default="static-zh")
    parser.add_argument("--orders", default="input,content")
    parser.add_argument("--sample", type=int, default=100_000,
                        help="fit on at most N texts (the --sample of opinion topics; below the corpus size "
                             "the sample itself is drawn: by position with 'input', by text with 'content')")
    parser.add_argument("--seeds", default="0,1,2,3,4",
                        help="seeds of the extra file-order fits on the titles (quality spread)")
    args = parser.parse_args()
    corpora = {"thucnews": titles(args.titles), "weibo": posts(args.posts)}
    shuffled = {name: np.random.default_rng(9).permutation(len(frame)) for name, frame in corpora.items()}
    for order in args.orders.split(","):
        F.FIT_ORDER = order
        for name, frame in corpora.items():
            runs = {"file": frame, "reversed": frame.iloc[::-1], "shuffled": frame.iloc[shuffled[name]]}
            first: pd.Series | None = None
            for how, rows in runs.items():
                topics, seconds = fit(rows, args.embedding, sample=args.sample)
                line = f"{name:<8} {order:<7} {how:<8}  topics {len(set(topics) - {-1}):>2}"
                if frame["label"].notna().all():
                    labels = frame["label"].loc[topics.index]
                    line += (f"  NMI {normalized_mutual_info_score(labels, topics):.3f}"
                             f"  ARI {adjusted_rand_score(labels, topics):.3f}")
                if first is None:
                    first = topics
                else:
                    line += f"  vs file order ARI {adjusted_rand_score(first, topics.loc[first.index]):.3f}"
                print(f"{line}  {seconds:6.1f} s", flush=True)
        titled = corpora["thucnews"]
        scores = []
        for seed in (int(x) for x in args.seeds.split(",") if x):
            topics, _ = fit(titled, args.embedding, seed, sample=args.sample)
            labels = titled["label"].loc[topics.index]
            scores.append((len(set(topics) - {-1}), normalized_mutual_info_score(labels, topics),
                           adjusted_rand_score(labels, topics)))
        if scores:
            k, nmi, ari = (np.array(v, dtype=float) for v in zip(*scores))
            print(f"thucnews {order:<7} seeds {args.seeds}: topics {k.astype(int).tolist()}  NMI mean "
                  f"{nmi.mean():.3f} (sd {nmi.std():.3f})  ARI mean {ari.mean():.3f} (sd {ari.std():.3f})",
                  flush=True)


if __name__ == "__main__":
    main()
