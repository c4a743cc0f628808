"""Write the seen-texts filter (opinion/sentiment/seen.py) beside an existing model file, from
the rows it was trained on, without training it again.

``opinion sentiment train`` writes the filter itself; this is for a model trained before the
filter existed (the shipped file of 2026-12-06): the same data folder and soft-label folders
as its training (docs/sentiment.md, Rebuild).

    python tools/write_seen_texts.py ../shared/data/sentiment --soft /work/soft/weibo /work/soft/news \\
        --model opinion/resources/sentiment/model.safetensors
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from opinion.sentiment.datasets import load_rows  # noqa: E402
from opinion.sentiment.distill import read_soft  # noqa: E402
from opinion.sentiment.model import default_model_path  # noqa: E402
from opinion.sentiment.train import write_seen_texts  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--soft", nargs="*", default=[], help="the soft-label folders of the training")
    parser.add_argument("--model", type=Path, default=default_model_path())
    args = parser.parse_args(argv)
    rows = load_rows(args.data_dir)
    soft = read_soft(args.soft, drop_keys=rows["key"]) if args.soft else None
    path = write_seen_texts(rows, soft, args.model)
    print(f"{path}: {len(rows):,} labelled rows + {0 if soft is None else len(soft):,} soft-labelled posts, "
          f"{path.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
