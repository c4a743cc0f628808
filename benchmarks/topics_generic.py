"""Which topics a workspace's ``is_generic`` rule flags, old rule (coherence < 0.08) against the
current one (and lift < 3), with each topic's coherence and label-term lift, and how many of
the 10 words most of its documents hold are in ``GENERIC_WORDS`` (the chatter rule flags 6 or
more; from 2026-12-05 to 2026-12-07 it counted the corpus's own stopword-like words too).

Lift is recomputed here from the workspace's documents (``topic_documents`` × ``prepared``
tokens; every document, duplicates included, so it differs a little from the labeller's
distinct-document counts): the share of the topic's documents holding a label term over the
corpus share, geometric mean over the label terms.

    python benchmarks/topics_generic.py WS [--every 4]     # --every: read every 4th part
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from opinion import schema as S  # noqa: E402
from opinion.io.workspace import Workspace  # noqa: E402
from opinion.topics.labels import CHATTER_TERMS, GENERIC_COHERENCE, GENERIC_LIFT, GENERIC_WORDS  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workspace", type=Path)
    parser.add_argument("--every", type=int, default=1, help="read every N-th part (big corpora)")
    args = parser.parse_args(argv)
    ws = Workspace(args.workspace)
    parts = sorted((args.workspace / S.TOPIC_DOCS).glob("*.parquet"))[::args.every]
    docs = pd.concat([pd.read_parquet(p, columns=[S.DOC_ID, S.TOPIC_ID]) for p in parts])
    tokens = pd.concat([pd.read_parquet(args.workspace / S.PREPARED / p.name, columns=[S.DOC_ID, "tokens"])
                        for p in parts])
    docs = docs.merge(tokens, on=S.DOC_ID)
    topics = ws.read(S.TOPICS)
    terms = {w for ts in topics["label_terms"] for w in ts}
    held = {w: np.fromiter((w in set(t) for t in docs["tokens"]), bool, len(docs)) for w in terms}
    rows = []
    for row in topics[topics[S.TOPIC_ID] >= 0].itertuples():
        mask = (docs[S.TOPIC_ID] == row.topic_id).to_numpy()
        lifts = [held[w][mask].mean() / max(held[w].mean(), 1e-12) for w in row.label_terms]
        lift = float(np.exp(np.mean(np.log(np.maximum(lifts, 1e-12))))) if lifts else float("nan")
        held_by = Counter(w for t in docs.loc[mask, "tokens"] for w in set(t))
        top = [w for w, _ in held_by.most_common(CHATTER_TERMS)]
        rows.append({"topic": row.topic_id, "label": row.label, "docs": int(mask.sum()),
                     "coherence": row.coherence, "lift": round(lift, 2),
                     "chatter words in top 10": sum(w in GENERIC_WORDS for w in top),
                     "old rule": bool(row.coherence < GENERIC_COHERENCE),
                     "new rule, this lift": bool(row.coherence < GENERIC_COHERENCE and lift < GENERIC_LIFT),
                     "table": bool(row.is_generic)})
    table = pd.DataFrame(rows)
    print(f"{args.workspace}: {len(docs):,} documents read; generic = coherence < {GENERIC_COHERENCE} "
          f"(old), and lift < {GENERIC_LIFT} (now)")
    print(table.to_string(index=False))
    print(f"flagged of {len(table)}: old rule {int(table['old rule'].sum())}, new rule "
          f"{int(table['new rule, this lift'].sum())}, the workspace's table {int(table['table'].sum())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
