"""Write the calibration texts of the int8 transformer build (``opinion/resources/sentiment/e5_calibration.txt``).

``--method transformer --runtime onnx-int8`` smooths the activations of each feed-forward
output MatMul before quantising it (:mod:`opinion.sentiment.e5.smoothing`); the per-channel
maxima it needs are measured on these texts when the ONNX file is built. They come from the
bundled demo corpus (``corpora/demo``, real 2020 Weibo posts, already shipped) and the
bundled news article's paragraphs, so short posts and long text both set the ranges. One text
a line, newlines folded to spaces, each cut to ``--max-chars``; a fixed seed, so the file is
the same on every run::

    python tools/make_e5_calibration.py            # rewrites the resource
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from opinion.sentiment.e5.smoothing import CALIBRATION_FILE  # noqa: E402

DEMO = ROOT / "corpora" / "demo"


def calibration_texts(posts: int, max_chars: int, seed: int = 0) -> list[str]:
    """``posts`` distinct demo posts (seeded sample) and the article's paragraphs, cut to ``max_chars``."""
    texts: dict[str, None] = {}
    for path in sorted(DEMO.glob("*.csv.gz")):
        for text in pd.read_csv(path, encoding="gb18030", dtype=str)["text"].dropna():
            text = " ".join(text.split())[:max_chars]
            if text:
                texts.setdefault(text)
    chosen = random.Random(seed).sample(sorted(texts), min(posts, len(texts)))
    article = (DEMO / "live_commerce_trust_article.txt").read_text(encoding="utf-8")
    paragraphs = [" ".join(p.split())[:max_chars] for p in article.split("\n\n") if len(p.strip()) > 40]
    return chosen + paragraphs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=240)
    parser.add_argument("--max-chars", type=int, default=300)
    parser.add_argument("--out", type=Path, default=CALIBRATION_FILE)
    args = parser.parse_args(argv)
    texts = calibration_texts(args.posts, args.max_chars)
    args.out.write_text("\n".join(texts) + "\n", encoding="utf-8")
    print(f"wrote {args.out}: {len(texts)} texts")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
