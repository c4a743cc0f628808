"""Theme sentiment before and after score version 4 (2026-12-07), on real reviews and Weibo posts.

``sentiment_theme_<name>`` is the mean sentence score of a theme document's sentences that
mention the theme. Before version 4 a sentence counted only when it met the theme's
document-level gate (``min_weight``, ``min_terms``) on its own, without ``exclude_context``,
and the sentence splitter dropped some marks; so a document whose evidence was spread over
weak terms in several sentences (退货 … 售后服务 …) got null. The old rule is rebuilt here;
"after" is the stage's own code. Texts go through the prepare stage's ``prepare_part``.

    python benchmarks/theme_sentiment.py [--reviews 20000] [--posts 40000] [--seed 0]

Prints, per corpus (reviews, Weibo posts, the seed article) and theme: theme documents, null
before and after, documents whose value changed, and the mean absolute change of those with a
value both times.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a clone

from opinion import schema as S
from opinion.config import PrepareSettings, SentimentSettings
from opinion.prepare import prepare_part
from opinion.sentiment.score import _theme_runtime, _theme_scores, score_texts
from opinion.themes import Theme

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
REVIEWS = SHARED / "sentiment" / "online_shopping_10_cats.csv"
WEIBO = SHARED / "weibo" / "covid19_weibo_2020"
WEIBO_DAYS = ("1.20", "2.1", "2.21", "3.1")
SEED_ARTICLE = SHARED / "seed" / "live_commerce_trust_article.txt"
OLD_SENTENCE_RE = re.compile(r"[^。！？!?；;\n…]+(?:[。！？!?；;\n…]+[”’」』）》〉】\)]*|$)")


def old_theme_scores(texts: list[str], mentioned: np.ndarray, themes: list[Theme],
                     settings: SentimentSettings) -> np.ndarray:
    """The rule of score version 3: the old splitter, and ``theme.matches(tokens)`` per sentence."""
    out = np.full((len(texts), len(themes)), np.nan)
    _, tokenizer = _theme_runtime(settings.theme_files, settings.user_dicts)
    for i in np.flatnonzero(mentioned.any(axis=1)):
        sentences = [s.strip() for s in OLD_SENTENCE_RE.findall(texts[i]) if s.strip()]
        scores = score_texts(sentences)
        tokens = [tokenizer.tokenize(s) for s in sentences]
        for j, theme in enumerate(themes):
            values = [v for v, t in zip(scores, tokens) if mentioned[i, j] and theme.matches(t)
                      and not np.isnan(v)]
            if values:
                out[i, j] = float(np.mean(values))
    return out


def load_reviews(n: int, seed: int) -> pd.DataFrame:
    table = pd.read_csv(REVIEWS, dtype=str).dropna(subset=["review"])
    table = table.sample(n=min(n, len(table)), random_state=seed)
    return pd.DataFrame({S.DOC_ID: [f"r{i}" for i in table.index], S.TEXT_RAW: table["review"].tolist()})


def load_posts(n: int, seed: int) -> pd.DataFrame:
    frames = [pd.read_csv(WEIBO / f"{day}.csv.gz", encoding="gb18030", encoding_errors="replace",
                          dtype=str, on_bad_lines="skip", engine="python").rename(columns=str.strip)
              for day in WEIBO_DAYS]
    table = pd.concat(frames, ignore_index=True).dropna(subset=["text"])
    table = table.sample(n=min(n, len(table)), random_state=seed)
    return pd.DataFrame({S.DOC_ID: [f"w{i}" for i in table.index], S.TEXT_RAW: table["text"].tolist()})


def compare(name: str, corpus: pd.DataFrame) -> None:
    started = time.perf_counter()
    prepared = prepare_part(corpus, PrepareSettings())
    settings = SentimentSettings()
    themes = _theme_runtime(settings.theme_files, settings.user_dicts)[0]
    mentioned = prepared[[t.column for t in themes]].to_numpy() > 0
    texts = prepared[S.TEXT_NORM].tolist()
    before = old_theme_scores(texts, mentioned, themes, settings)
    after = _theme_scores(texts, mentioned, themes, settings)
    print(f"\n{name}: {len(corpus):,} text(s), {time.perf_counter() - started:.0f} s")
    print("theme: documents, null before -> after, values changed, mean |change| of those with a value both times")
    for j, theme in enumerate(themes):
        rows = mentioned[:, j]
        b, a = before[rows, j], after[rows, j]
        both = ~np.isnan(b) & ~np.isnan(a)
        moved = both & ~np.isclose(np.nan_to_num(b), np.nan_to_num(a))
        changed = int((np.isnan(b) != np.isnan(a)).sum() + moved.sum())
        delta = f"{np.abs(b[moved] - a[moved]).mean():.4f}" if moved.any() else "-"
        values = f" ({b[0]:.3f} -> {a[0]:.3f})" if len(b) == 1 else ""
        print(f"  {theme.name}: {int(rows.sum()):,} documents, null {int(np.isnan(b).sum())} -> "
              f"{int(np.isnan(a).sum())}, changed {changed}, mean |change| {delta}{values}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reviews", type=int, default=20000)
    parser.add_argument("--posts", type=int, default=40000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    compare(f"online_shopping_10_cats, {args.reviews:,} reviews drawn with seed {args.seed}",
            load_reviews(args.reviews, args.seed))
    compare(f"Weibo covid19_weibo_2020 {', '.join(WEIBO_DAYS)}, {args.posts:,} posts drawn with seed {args.seed}",
            load_posts(args.posts, args.seed))
    seed = pd.DataFrame({S.DOC_ID: ["seed"], S.TEXT_RAW: [SEED_ARTICLE.read_text(encoding="utf-8")]})
    compare("the seed article (Traditional, about 3,000 characters)", seed)


if __name__ == "__main__":
    main()
