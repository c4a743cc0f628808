"""Check the readable topic labels of a workspace against the rules, and print the largest.

For every topic of ``topics.parquet``: each label term is held by ≥ 5% of the topic's
documents or ≥ 20 of them, or (a topic of short texts, label rules 7) by ≥ 2% and ≥ 3 of them
and ≥ 3 × as often as in the corpus (counted over every document of the topic, from
``topic_documents`` and the prepared tokens, part by part), the label has ≤ 16 characters of
content, no markup and no ``#``; then the largest topics with label, size, coherence,
``is_generic`` and BERTopic's name beside it.

Usage: ``python benchmarks/topics_labels_check.py WS [--top 20]``
"""

from __future__ import annotations

import argparse
import collections
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout's opinion

from opinion import schema as S  # noqa: E402
from opinion.io.workspace import Workspace  # noqa: E402
from opinion.topics import labels as L  # noqa: E402
from opinion.topics.components import token_words  # noqa: E402

MARKUP = re.compile(r"<|>|https?|www\.|&\w+;|\b(?:dt|dtid|kbd|kbdid|div|span)\b")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workspace", type=Path)
    parser.add_argument("--top", type=int, default=20)
    args = parser.parse_args()
    ws = Workspace.open(args.workspace)
    topics = ws.read(S.TOPICS)
    wanted = {int(t): set(terms) for t, terms in zip(topics[S.TOPIC_ID], topics["label_terms"])}
    every_term = set().union(*wanted.values())
    held: collections.Counter = collections.Counter()
    held_all: collections.Counter = collections.Counter()  # documents of the corpus holding a label term
    sizes: collections.Counter = collections.Counter()
    for part in ws.parts(S.TOPIC_DOCS):
        docs = ws.read_part(S.TOPIC_DOCS, part, columns=[S.TOPIC_ID])
        tokens = ws.read_part(S.PREPARED, part, columns=[S.TOKENS])[S.TOKENS]
        for topic, doc_tokens in zip(docs[S.TOPIC_ID], tokens):
            sizes[int(topic)] += 1
            words = {w for t in (doc_tokens if doc_tokens is not None else []) for w in token_words(t)}
            held_all.update(every_term & words)
            held.update((int(topic), w) for w in wanted.get(int(topic), set()) & words)
    failures = []
    for row in topics.itertuples():
        if L.content_length(row.label) > L.MAX_CONTENT:
            failures.append(f"topic {row.topic_id}: {row.label!r} has {L.content_length(row.label)} characters")
        if "#" in row.label or MARKUP.search(row.label):
            failures.append(f"topic {row.topic_id}: {row.label!r} holds # or markup")
        for term in row.label_terms:
            n, size = held[(row.topic_id, term)], sizes[row.topic_id]
            lift = (n / size) / (held_all[term] / sum(sizes.values())) if n and held_all[term] else 0.0
            lifted = n >= L.MIN_ANY and n >= L.LIFTED_SHARE * size and lift >= L.GENERIC_LIFT
            if not (n >= 0.05 * size or n >= 20 or lifted):
                failures.append(f"topic {row.topic_id}: {term!r} in {n} of {size} documents")
    print(f"{ws.root}: {len(topics)} topics, {sum(sizes.values()):,} documents; "
          f"{len(failures)} rule failures")
    for line in failures:
        print("  FAIL", line)
    print("\n| topic | size | label | coherence | generic | name |\n|---:|---:|---|---:|---|---|")
    for row in topics.sort_values("size", ascending=False).head(args.top).itertuples():
        print(f"| {row.topic_id} | {row.size:,} | {row.label} | {row.coherence:.3f} | "
              f"{'yes' if row.is_generic else ''} | {row.name} |")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
