"""Does a small character CNN, averaged with character n-grams, lift review polarity?

A check for issue 15 (reviews ≥ 0.89), the route it names: "a small convolutional network
trained here (its inference in numpy, starting from the static-zh vectors)". torch is used here,
at training time only (``pip install torch``); nothing in ``opinion`` imports it.

Rows: the review sets' part of the fit split of
:func:`opinion.sentiment.datasets.split_validation` (the rows the static-vector check used). A
further 10 % of them (by a hash of the text, salt ``cnn:``) is the inner validation part: it
picks the CNN's epoch and the mixing weight. The CNN and the plain baseline (character 1–3-gram
TF-IDF + logistic regression) are both fitted on the other 90 %, in the same run, and scored on
the three review validation splits: CNN alone, baseline alone, and their probabilities averaged
with the weight chosen on the inner part, with the differences to the baseline.

    pip install -e '.[teacher]' -c constraints.txt     # torch, training time only
    python benchmarks/sentiment_cnn.py                 # about 6 minutes on 2 cores
    python benchmarks/sentiment_cnn.py --init static-zh --dim 256
    python benchmarks/sentiment_cnn.py --dim 32 --filters 64

It ends with the speed the CNN would cost at run time: its forward pass in numpy (checked
against torch's) on the validation texts, against the shipped model's polarity + emotions on the
same texts in the same process.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from sentiment_eval import DATA, validation_splits  # noqa: E402
from sentiment_static_vectors import REVIEW_SETS  # noqa: E402

from opinion.sentiment.datasets import load_rows, split_validation, task_rows  # noqa: E402

PAD, UNK = 0, 1


def inner_share(text: str, salt: str = "cnn:") -> float:
    """A stable number in [0, 1) for a text: ``inner_share("好评") < 1``."""
    digest = hashlib.blake2b((salt + text).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


def char_vocabulary(texts: list[str], *, min_count: int = 2, limit: int = 8000) -> dict[str, int]:
    """Characters seen at least ``min_count`` times, most frequent first, ids from 2."""
    from collections import Counter

    counts = Counter(ch for text in texts for ch in text.lower())
    kept = [ch for ch, n in counts.most_common(limit) if n >= min_count]
    return {ch: i + 2 for i, ch in enumerate(kept)}


def encode(texts: list[str], vocab: dict[str, int], max_len: int) -> list[np.ndarray]:
    """Character ids of each text (lowercased, cut to ``max_len``; at least 4 long)."""
    out = []
    for text in texts:
        ids = [vocab.get(ch, UNK) for ch in text.lower()[:max_len]] or [UNK]
        out.append(np.asarray(ids + [PAD] * (4 - len(ids)) if len(ids) < 4 else ids, dtype=np.int64))
    return out


def batches(encoded: list[np.ndarray], order: np.ndarray, size: int):
    """(index array, padded id matrix) per batch; texts of similar length batched together."""
    for start in range(0, len(order), size * 50):
        chunk = order[start:start + size * 50]
        chunk = chunk[np.argsort([len(encoded[i]) for i in chunk], kind="stable")]
        for b in range(0, len(chunk), size):
            idx = chunk[b:b + size]
            width = max(len(encoded[i]) for i in idx)
            matrix = np.zeros((len(idx), width), dtype=np.int64)
            for row, i in enumerate(idx):
                matrix[row, :len(encoded[i])] = encoded[i]
            yield idx, matrix


def build_model(n_chars: int, dim: int, widths: tuple[int, ...], filters: int, init=None):
    import torch
    from torch import nn

    class CharCNN(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.embed = nn.Embedding(n_chars, dim, padding_idx=PAD)
            if init is not None:
                with torch.no_grad():
                    self.embed.weight.copy_(torch.from_numpy(init))
            self.convs = nn.ModuleList(nn.Conv1d(dim, filters, w) for w in widths)
            self.drop = nn.Dropout(0.5)
            self.out = nn.Linear(filters * len(widths), 2)

        def forward(self, ids):
            x = self.embed(ids).transpose(1, 2)
            pooled = [torch.relu(conv(x)).amax(dim=2) for conv in self.convs]
            return self.out(self.drop(torch.cat(pooled, dim=1)))

    return CharCNN()


def static_init(vocab: dict[str, int], dim: int) -> np.ndarray:
    """Embedding rows from static-zh's character vectors (random where it has none), scaled."""
    from opinion.topics.static import StaticEmbedder

    static = StaticEmbedder()
    static._load()
    rows = {f: i for i, f in enumerate(static.features_) if len(f) == 1}
    rng = np.random.default_rng(0)
    init = rng.normal(0, 1, (len(vocab) + 2, dim)).astype(np.float32)
    found = [(i, rows[ch]) for ch, i in vocab.items() if ch in rows]
    vectors = static.vectors_[[r for _, r in found], :dim]
    vectors = vectors / (vectors.std() + 1e-9)
    init[[i for i, _ in found]] = vectors
    init[PAD] = 0
    print(f"static-zh vectors for {len(found):,} of {len(vocab):,} characters", flush=True)
    return init


def predict(model, encoded: list[np.ndarray], size: int = 256) -> np.ndarray:
    """Probability of the positive class (column 1) for each encoded text."""
    import torch

    model.eval()
    probs = np.zeros(len(encoded))
    with torch.no_grad():
        for idx, matrix in batches(encoded, np.arange(len(encoded)), size):
            probs[idx] = torch.softmax(model(torch.from_numpy(matrix)), dim=1)[:, 1].numpy()
    return probs


def numpy_forward(weights: dict[str, np.ndarray], widths: tuple[int, ...], encoded: list[np.ndarray],
                  size: int = 256) -> np.ndarray:
    """The trained CNN's P(positive) in numpy alone (what run time would do), batched as :func:`predict`."""
    from numpy.lib.stride_tricks import sliding_window_view

    embed = weights["embed.weight"]
    kernels = [(weights[f"convs.{i}.weight"].transpose(1, 2, 0).reshape(-1, weights[f"convs.{i}.weight"].shape[0]),
                weights[f"convs.{i}.bias"]) for i in range(len(widths))]
    probs = np.zeros(len(encoded))
    for idx, matrix in batches(encoded, np.arange(len(encoded)), size):
        x = embed[matrix]  # batch, length, dim
        pooled = []
        for width, (kernel, bias) in zip(widths, kernels):
            windows = np.ascontiguousarray(sliding_window_view(x, width, axis=1))  # b, t, dim, width
            b, t = windows.shape[:2]
            hidden = windows.reshape(b * t, -1) @ kernel + bias
            pooled.append(np.maximum(hidden, 0).reshape(b, t, -1).max(axis=1))
        margins = np.concatenate(pooled, axis=1) @ weights["out.weight"].T + weights["out.bias"]
        margins -= margins.max(axis=1, keepdims=True)
        exp = np.exp(margins)
        probs[idx] = exp[:, 1] / exp.sum(axis=1)
    return probs


def speed(model, widths: tuple[int, ...], frames, vocab: dict[str, int], max_len: int) -> None:
    """Posts per second: the numpy CNN against the shipped model (polarity + emotions), same texts."""
    from opinion.sentiment.model import load_default_model

    texts = [t for frame in frames for t in frame["text"]]
    encoded = encode(texts, vocab, max_len)
    weights = {k: v.numpy().astype(np.float32) for k, v in model.state_dict().items()}
    started = time.perf_counter()
    numpy_probs = numpy_forward(weights, widths, encoded)
    cnn_s = time.perf_counter() - started
    difference = float(np.abs(numpy_probs - predict(model, encoded)).max())
    shipped = load_default_model()
    shipped.predict_proba_all(texts[:200])
    started = time.perf_counter()
    shipped.predict_proba_all(texts)
    shipped_s = time.perf_counter() - started
    print(f"\n{len(texts):,} validation texts (mean {np.mean([len(t) for t in texts]):.0f} characters), "
          f"one process: numpy CNN {len(texts) / cnn_s:,.0f}/s, shipped model (polarity + emotions) "
          f"{len(texts) / shipped_s:,.0f}/s; CNN time / shipped time {cnn_s / shipped_s:.2f}; "
          f"numpy vs torch, largest difference in P(positive) {difference:.1e}", flush=True)


def train_cnn(args, texts, labels, inner_texts, inner_labels, vocab):
    import torch

    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    init = static_init(vocab, args.dim) if args.init == "static-zh" else None
    model = build_model(len(vocab) + 2, args.dim, args.widths, args.filters, init)
    optimiser = torch.optim.Adam(model.parameters(), lr=args.lr)
    encoded, inner_encoded = encode(texts, vocab, args.max_len), encode(inner_texts, vocab, args.max_len)
    y = torch.from_numpy(np.asarray(labels, dtype=np.int64))
    rng = np.random.default_rng(args.seed)
    best, best_state = -1.0, None
    for epoch in range(1, args.epochs + 1):
        model.train()
        started, total = time.time(), 0.0
        for idx, matrix in batches(encoded, rng.permutation(len(encoded)), args.batch):
            optimiser.zero_grad()
            loss = torch.nn.functional.cross_entropy(model(torch.from_numpy(matrix)), y[idx])
            loss.backward()
            optimiser.step()
            total += float(loss.detach()) * len(idx)
        accuracy = float(((predict(model, inner_encoded) > 0.5) == np.asarray(inner_labels)).mean())
        print(f"epoch {epoch}: loss {total / len(encoded):.4f}, inner accuracy {accuracy:.4f} "
              f"({time.time() - started:.0f} s)", flush=True)
        if accuracy > best:
            best, best_state = accuracy, {k: v.clone() for k, v in model.state_dict().items()}
    model.load_state_dict(best_state)
    return model


def main(argv: list[str] | None = None) -> int:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import accuracy_score, f1_score

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=DATA)
    parser.add_argument("--dim", type=int, default=128)
    parser.add_argument("--filters", type=int, default=128)
    parser.add_argument("--widths", type=lambda s: tuple(int(w) for w in s.split(",")), default=(2, 3, 4))
    parser.add_argument("--max-len", type=int, default=256)
    parser.add_argument("--epochs", type=int, default=6)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--init", choices=("random", "static-zh"), default="random")
    parser.add_argument("--checkpoint", type=Path, help="save the trained CNN here; load it if it exists")
    args = parser.parse_args(argv)
    try:
        import torch  # noqa: F401
    except ImportError:
        print("this benchmark trains with torch: pip install -e '.[teacher]' -c constraints.txt",
              file=sys.stderr)
        return 2

    fit, validation = split_validation(load_rows(args.data_dir))
    polarity = task_rows(fit, "polarity")
    rows = polarity[polarity["source"].isin(REVIEW_SETS)]
    rows = rows[rows["label"].isin(["positive", "negative"])]
    inner = np.asarray([inner_share(t) < 0.1 for t in rows["text"]])
    train, held = rows[~inner], rows[inner]
    splits = {name.split()[-1]: spec[2] for name, spec in validation_splits(validation).items()
              if name.startswith("reviews")}
    print(f"fit rows {len(train):,}, inner validation {len(held):,}; "
          + ", ".join(f"{k} {len(v):,}" for k, v in splits.items()), flush=True)
    positive = lambda frame: (frame["label"] == "positive").astype(int).tolist()  # noqa: E731

    started = time.time()
    tfidf = TfidfVectorizer(analyzer="char", ngram_range=(1, 3))
    baseline = LogisticRegression(max_iter=1000).fit(tfidf.fit_transform(train["text"]), positive(train))
    base_prob = lambda frame: baseline.predict_proba(tfidf.transform(frame["text"]))[:, 1]  # noqa: E731
    print(f"baseline fitted in {time.time() - started:.0f} s", flush=True)

    vocab = char_vocabulary(train["text"].tolist())
    started = time.time()
    if args.checkpoint and args.checkpoint.exists():
        import torch

        model = build_model(len(vocab) + 2, args.dim, args.widths, args.filters)
        model.load_state_dict(torch.load(args.checkpoint))
    else:
        model = train_cnn(args, train["text"].tolist(), positive(train),
                          held["text"].tolist(), positive(held), vocab)
        if args.checkpoint:
            import torch

            torch.save(model.state_dict(), args.checkpoint)
    print(f"CNN trained in {time.time() - started:.0f} s ({len(vocab):,} characters)", flush=True)
    cnn_prob = lambda frame: predict(model, encode(frame["text"].tolist(), vocab, args.max_len))  # noqa: E731

    held_y = np.asarray(positive(held))
    held_base, held_cnn = base_prob(held), cnn_prob(held)
    weights = np.round(np.arange(0, 1.01, 0.1), 1)
    inner_acc = {w: float(((((1 - w) * held_base + w * held_cnn) > 0.5) == held_y).mean()) for w in weights}
    weight = max(weights, key=lambda w: (inner_acc[w], -abs(w - 0.5)))
    print(f"inner accuracy: baseline {inner_acc[0.0]:.4f}, CNN {inner_acc[1.0]:.4f}")
    print("inner accuracy by CNN weight: " + " ".join(f"{w:g}:{a:.4f}" for w, a in inner_acc.items())
          + f" -> weight {weight:g}", flush=True)

    def scored(y, prob):
        predicted = (prob > 0.5).astype(int)
        return accuracy_score(y, predicted), f1_score(y, predicted, average="macro")

    print(f"\n{'split':<16}{'n':>6}  {'baseline':>13}  {'CNN':>13}  {'mix':>13}  mix − baseline")
    for name, frame in splits.items():
        y, b, c = np.asarray(positive(frame)), base_prob(frame), cnn_prob(frame)
        base, cnn, mix = scored(y, b), scored(y, c), scored(y, (1 - weight) * b + weight * c)
        print(f"{name:<16}{len(frame):>6}  {base[0]:.3f}/{base[1]:.3f}  {cnn[0]:.3f}/{cnn[1]:.3f}  "
              f"{mix[0]:.3f}/{mix[1]:.3f}  {mix[0] - base[0]:+.3f}/{mix[1] - base[1]:+.3f}", flush=True)
    speed(model, args.widths, splits.values(), vocab, args.max_len)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
