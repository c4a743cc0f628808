"""The cleaner's <USER>/<URL> placeholders against the raw text the model was trained on, in one run.

The model is trained on raw text (``datasets.read_source``: Simplified only); the stage scores
``text_norm``, where the cleaner wrote ``<USER>`` and ``<URL>``. On the same posts this compares
the labels of (a) the raw text, (b) ``text_norm`` as scored before 2026-12-07, (c) ``text_norm``
through :func:`opinion.sentiment.score.model_text` (the stage now), and (d) ``text_norm`` cleaned
with ``contacts="keep"`` (every other cleaning step the same: the most a placeholder rule can
give back). It prints agreement with (a) and the label shares, for

- ``--posts`` Weibo posts holding ``@`` or ``http`` (COVID-19 Weibo, GB18030, three days);
- the validation rows holding ``@`` or ``http`` of the labelled Weibo sets, with accuracy. The
  shipped model was trained on every row, so it favours (a) by memory: ``--heldout FILE`` scores
  them with a model fitted on the ``fit`` part only (built there on first use, ~10 min).

    python benchmarks/sentiment_placeholders.py
    python benchmarks/sentiment_placeholders.py --heldout /tmp/heldout.safetensors
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from opinion.config import PrepareSettings, SentimentSettings  # noqa: E402
from opinion.prepare import prepare_part  # noqa: E402
from opinion.sentiment.features import to_simplified  # noqa: E402
from opinion.sentiment.score import model_text, score_documents  # noqa: E402

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
DAYS = ("2.1", "2.21", "3.1")
LABELLED = ("weibo_emotion_smp2020_ewect.csv", "weibo_emotion_nlpcc2013.csv", "weibo_emotions_train.csv")


def variants(raw: list[str]) -> dict[str, list[str]]:
    """The four texts of each post: raw, text_norm before, text_norm now, contacts kept."""
    part = pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(raw))], "text_raw": raw})
    norm = prepare_part(part, PrepareSettings()).text_norm.tolist()
    kept = prepare_part(part, PrepareSettings(contacts="keep")).text_norm.tolist()
    return {"(a) raw": [to_simplified(t) for t in raw], "(b) text_norm, placeholders": norm,
            "(c) model_text(text_norm)": [model_text(t) for t in norm], "(d) contacts kept": kept}


def compare(raw: list[str], truth: np.ndarray | None, model: str) -> None:
    labels = {name: score_documents(texts, SentimentSettings(model_path=model))
              for name, texts in variants(raw).items()}
    base = labels["(a) raw"]
    for name, frame in labels.items():
        pol, emo = frame.sentiment_label.to_numpy(), frame.emotion_label.to_numpy()
        counts = pd.Series(pol).value_counts(normalize=True)
        shares = ", ".join(f"{k} {counts.get(k, 0):.1%}" for k in ("negative", "neutral", "positive"))
        accuracy = f", accuracy {np.mean(pol == truth):.4f}" if truth is not None else ""
        print(f"  {name:30s} agree with raw: polarity {np.mean(pol == base.sentiment_label):.1%}, "
              f"emotion {np.mean(emo == base.emotion_label):.1%}; {shares}{accuracy}")


def heldout_model(path: Path) -> str:
    """A model fitted on the fit part of the labelled sets (benchmarks/sentiment_eval.py)."""
    if not path.is_file():
        from sentiment_eval import fit_model  # type: ignore[import-not-found]

        from opinion.sentiment.datasets import load_rows, split_validation

        fit, _ = split_validation(load_rows(SHARED / "sentiment"))
        fit_model(fit, {}, None, None).save(path)
    return str(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1500)
    parser.add_argument("--heldout", type=Path, default=None, help="held-out model file (built if missing)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    frames = [pd.read_csv(SHARED / "weibo" / "covid19_weibo_2020" / f"{day}.csv.gz", encoding="gb18030",
                          encoding_errors="replace", usecols=["text"], dtype=str).dropna() for day in DAYS]
    posts = pd.concat(frames).drop_duplicates("text")
    posts = posts[posts.text.str.contains("@|http")].sample(args.posts, random_state=0)
    print(f"{len(posts):,} Weibo posts with @ or http ({', '.join(DAYS)}), shipped model:")
    compare(posts.text.tolist(), None, "")

    from opinion.sentiment.datasets import load_rows, split_validation

    _, validation = split_validation(load_rows(SHARED / "sentiment"))
    model = heldout_model(args.heldout) if args.heldout else ""
    for source in LABELLED:
        rows = validation[(validation.source == source) & validation.text.str.contains("@|http")
                          & validation.polarity.notna()].drop_duplicates("key")
        print(f"{source}: {len(rows):,} validation rows with @ or http, "
              f"{'held-out model ' + model if model else 'shipped model (trained on them)'}:")
        compare(rows.text.tolist(), rows.polarity.to_numpy(), model)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
