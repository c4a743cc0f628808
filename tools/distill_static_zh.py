"""Build the shipped ``static-zh`` embedder from a teacher encoder, reproducibly.

The tokenlearn idea, made linear: a document's features are the TF-IDF weights of its
Simplified character 1-2-grams and jieba words; a ridge regression maps them onto the
teacher's sentence embeddings. The coefficient matrix holds one vector per feature, so the
result *is* a static model: a document vector is the IDF-weighted (Zipf-style) mean of its
n-gram and word vectors, and any word outside the vocabulary still gets the vectors of its
characters.

Training rows (THUCNews: only the TRAIN half of its dev titles, see :func:`thucnews_split`;
the other half is held out for ``benchmarks/embeddings_thucnews.py``):

- texts of real corpora: Weibo posts (COVID-19 2020 and NLPCC emotions) and reviews
  (ChnSentiCorp hotels/laptops/books, food delivery, online shopping), cut to 96 characters;
- 2,500 news-style headlines that open Weibo posts of media accounts (``【...】``);
- 5,000 THUCNews titles (500 per class, stratified and seeded), the TRAIN part of the split;
- since 2026-12-06 (:func:`collect_extra`): part "news", the CCF BDCI 2019 news texts (title +
  30 characters) and 15,000 more Weibo headlines; part "posts", 8,000 more Weibo posts;
- single words, model2vec-style: the most frequent words of jieba's dictionary, of the shipped
  domain dictionary (``opinion/resources/dict/`` when present) and of the corpora.

Stages (each cached under ``.cache/static_zh/``, so a re-run resumes)::

    nice -n 10 python3 tools/distill_static_zh.py collect   # training texts and words
    nice -n 10 python3 tools/distill_static_zh.py teach     # teacher embeddings (slow part)
    nice -n 10 python3 tools/distill_static_zh.py fit       # ridge -> opinion/resources/static_zh/
    nice -n 10 python3 tools/distill_static_zh.py all

The corpora are read from ``../shared/data`` beside the repository (``--data`` to change).
"""

from __future__ import annotations

import argparse
import csv
import functools
import gzip
import json
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

DEFAULT_DATA = REPO.parent / "shared" / "data"
CACHE = REPO / ".cache" / "static_zh"
OUT = REPO / "opinion" / "resources" / "static_zh"

SEED = 20261124
MAX_CHARS = 96
# rows sampled per corpus: (file under data/, text column, rows)
REVIEW_SOURCES = (
    ("sentiment/weibo_emotions_train.csv", "text", 2500),
    ("sentiment/chnsenticorp_train.csv", "text", 1500),
    ("sentiment/ChnSentiCorp_htl_all.csv", "review", 500),
    ("sentiment/waimai_10k.csv", "review", 1200),
    ("sentiment/online_shopping_10_cats.csv", "review", 2300),
)
WEIBO_DIR = "weibo/covid19_weibo_2020"
WEIBO_POSTS = 4000  # sampled evenly over the 57 days, in file-name order ...
WEIBO_POSTS_TAUGHT = 1216  # ... of which the first are used: the teacher ran at 4-8 texts/s on
# the shared 2-core machine, so the build kept to about 35 minutes of teacher time
WEIBO_HEADLINES = 2500  # news-style 【headline】 of media accounts' posts, taught last
THUCNEWS = "news/thucnews_titles_dev.tsv"
THUCNEWS_TRAIN_PER_CLASS = 500  # the other 500 per class are the benchmark's held-out titles
THUCNEWS_SPLIT_SEED = 0
# Rows added by the 2026-12-06 build, after all of the above (so the teacher cache of the
# earlier rows stays valid); each carries "part" so that `fit --without PART` can leave it out
EXTRA_NEWS = "sentiment/news_sentiment_ccf_bdci2019_truncated.csv"  # title + 30 characters
EXTRA_HEADLINES = 15_000  # more 【headline】s of media accounts (28,658 distinct in the corpus)
EXTRA_WEIBO_POSTS = 8_000  # more posts, sampled evenly over the 57 days
EXTRA_PARTS = ("news", "posts")
JIEBA_WORDS = 7000
CORPUS_WORDS = 3000

_URL = re.compile(r"https?://\S+|www\.\S+")
_SPACE = re.compile(r"\s+")
_WEIBO_JUNK = re.compile(r"\s?O(?=[\u4e00-\u9fff])|\?{1,}$|\u200b|网页链接|展开全文c?")


def clean(text: str) -> str:
    """Light cleaning for teacher input: ``"#口罩#  优惠 ?"`` -> ``"口罩 优惠"``."""
    text = _URL.sub(" ", text)
    text = _WEIBO_JUNK.sub(" ", text)
    text = text.replace("#", " ").replace("\ufeff", "")
    return _SPACE.sub(" ", text).strip()[:MAX_CHARS].strip()


def _read_csv_column(path: Path, column: str) -> list[str]:
    with path.open(encoding="utf-8", errors="replace", newline="") as handle:
        return [row.get(column) or "" for row in csv.DictReader(handle)]


@functools.cache  # collect reads every day four times: posts, headlines, more headlines, more posts
def _read_weibo_day(path: Path) -> tuple[str, ...]:
    raw = gzip.decompress(path.read_bytes()).decode("gb18030", errors="replace")
    rows = csv.reader(raw.splitlines())
    header = next(rows, [])
    col = header.index("text") if "text" in header else 0
    return tuple(r[col] for r in rows if len(r) > col)


def collect_texts(data: Path, rng: random.Random) -> list[dict]:
    """Sampled, cleaned, de-duplicated training texts with their source."""
    seen: set[str] = set()
    out: list[dict] = []

    def add(texts: Sequence[str], source: str, k: int) -> None:
        cleaned = [c for c in (clean(t) for t in texts) if len(c) >= 4]
        rng.shuffle(cleaned)
        taken = 0
        for text in cleaned:
            if taken >= k:
                break
            if text not in seen:
                seen.add(text)
                out.append({"text": text, "source": source})
                taken += 1

    for rel, column, k in REVIEW_SOURCES:
        add(_read_csv_column(data / rel, column), rel, k)
    days = sorted((data / WEIBO_DIR).glob("*.csv.gz"))
    per_day = WEIBO_POSTS // max(1, len(days)) + 1
    first_weibo = len(out)
    for day in days:
        add(_read_weibo_day(day), f"{WEIBO_DIR}/{day.name}", per_day)
    return out[:first_weibo + WEIBO_POSTS_TAUGHT]


_HEADLINE = re.compile(r"\s*(?:#[^#]*#\s*)*【([^】]{6,60})】")


def collect_headlines(data: Path, rng: random.Random, seen: set[str],
                      limit: int = WEIBO_HEADLINES) -> list[dict]:
    """News-style headlines that open Weibo posts of media accounts: ``【武汉恢复过江交通】...``."""
    found: dict[str, str] = {}
    for day in sorted((data / WEIBO_DIR).glob("*.csv.gz")):
        for post in _read_weibo_day(day):
            match = _HEADLINE.match(post)
            if match:
                found.setdefault(clean(match.group(1)), f"{WEIBO_DIR}/{day.name}")
    heads = [h for h in found if len(h) >= 6 and h not in seen]
    rng.shuffle(heads)
    return [{"text": h, "source": found[h]} for h in heads[:limit]]


def read_thucnews(data: Path) -> tuple[list[str], list[str]]:
    """Titles and labels of the THUCNews dev file, in file order."""
    lines = (data / THUCNEWS).read_text(encoding="utf-8").splitlines()
    pairs = [line.rsplit("\t", 1) for line in lines if "\t" in line]
    return [p[0] for p in pairs], [p[1] for p in pairs]


def thucnews_split(labels: list[str], *, train_per_class: int = THUCNEWS_TRAIN_PER_CLASS,
                   seed: int = THUCNEWS_SPLIT_SEED) -> tuple[np.ndarray, np.ndarray]:
    """(train, held-out) row indices: per label a seeded permutation, its first rows train.

    The 200-per-class sample of earlier benchmark runs is the first 200 of each permutation,
    so it lies inside the train part.
    """
    rng = np.random.default_rng(seed)
    labels_arr = np.asarray(labels)
    train, held = [], []
    for label in sorted(set(labels)):
        order = rng.permutation(np.flatnonzero(labels_arr == label))
        train.append(order[:train_per_class])
        held.append(order[train_per_class:])
    return np.sort(np.concatenate(train)), np.sort(np.concatenate(held))


def collect_thucnews_train(data: Path, seen: set[str]) -> list[dict]:
    """The TRAIN part of the THUCNews split as training rows (titles as they are)."""
    titles, labels = read_thucnews(data)
    train, _ = thucnews_split(labels)
    out = []
    for i in train:
        if titles[i] not in seen:
            seen.add(titles[i])
            out.append({"text": titles[i], "source": f"{THUCNEWS}#{i}"})
    return out


def collect_extra(data: Path, seen: set[str]) -> list[dict]:
    """The rows added in the 2026-12-06 build: part "news" (CCF BDCI news title + lead, more
    Weibo headlines) and part "posts" (more Weibo posts)."""
    out: list[dict] = []

    def keep(rows: list[dict], part: str) -> None:
        for row in rows:
            if row["text"] not in seen and len(row["text"]) >= 4:
                seen.add(row["text"])
                out.append({**row, "part": part})

    news = [clean(t) for t in _read_csv_column(data / EXTRA_NEWS, "text")]
    keep([{"text": t, "source": EXTRA_NEWS} for t in news], "news")
    keep(collect_headlines(data, random.Random(SEED + 2), seen, EXTRA_HEADLINES), "news")
    rng = random.Random(SEED + 3)
    days = sorted((data / WEIBO_DIR).glob("*.csv.gz"))
    per_day = EXTRA_WEIBO_POSTS // max(1, len(days)) + 1
    for day in days:
        posts = [c for c in (clean(t) for t in _read_weibo_day(day)) if c not in seen]
        rng.shuffle(posts)
        keep([{"text": t, "source": f"{WEIBO_DIR}/{day.name}"}
              for t in dict.fromkeys(posts)][:per_day], "posts")
    return out


def _known_teacher_vectors(teacher: str, data: Path) -> dict[str, np.ndarray]:
    """Teacher vectors of THUCNews titles already computed by the benchmarks (same encoder).

    ``benchmarks/topics_thucnews.py`` caches the teacher on all 10,000 titles (file order,
    after the text stage's normalisation) in ``benchmarks/out/thucnews_<teacher>_10000.npy``.
    """
    path = REPO / "benchmarks" / "out" / f"thucnews_{teacher}_10000.npy"
    if not path.exists() or not (data / THUCNEWS).exists():
        return {}
    vectors = np.load(path)
    titles, _ = read_thucnews(data)
    return dict(zip(titles, vectors)) if len(titles) == len(vectors) else {}


def _dictionary_words(path: Path, limit: int) -> list[str]:
    """The ``limit`` most frequent multi-character CJK words of a jieba-format dictionary."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[1].isdigit() and len(parts[0]) >= 2 \
                and all("\u4e00" <= ch <= "\u9fff" for ch in parts[0]):
            rows.append((int(parts[1]), parts[0]))
    rows.sort(reverse=True)
    return [w for _, w in rows[:limit]]


def collect_words(texts: list[str]) -> list[str]:
    """Vocabulary words to embed singly: jieba's, the domain dictionary's, the corpora's."""
    import jieba

    from opinion.topics.static import to_simplified

    jieba_dict = Path(jieba.__file__).parent / "dict.txt"
    words = _dictionary_words(jieba_dict, JIEBA_WORDS)
    domain = REPO / "opinion" / "resources" / "dict"
    for path in sorted(domain.glob("*.txt")) if domain.is_dir() else []:
        words += _dictionary_words(path, 10_000)
    counts = Counter(w for t in texts for w in jieba.lcut(to_simplified(t))
                     if len(w) >= 2 and all("\u4e00" <= ch <= "\u9fff" for ch in w))
    words = list(dict.fromkeys(to_simplified(w) for w in words))
    known = set(words)
    words += [w for w, _ in counts.most_common() if w not in known][:CORPUS_WORDS]
    return words


def stage_collect(data: Path) -> None:
    rng = random.Random(SEED)
    rows = collect_texts(data, rng)
    words = collect_words([r["text"] for r in rows])
    rows += [{"text": w, "source": "word"} for w in words]
    rows += collect_headlines(data, random.Random(SEED + 1), {r["text"] for r in rows})
    rows += collect_thucnews_train(data, {r["text"] for r in rows})
    rows += collect_extra(data, {r["text"] for r in rows})  # last: cache stays valid
    CACHE.mkdir(parents=True, exist_ok=True)
    with (CACHE / "train.jsonl").open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    by_source = Counter(r.get("part") or (r["source"].split("/")[0]
                                          if r["source"] != "word" else "word")
                        for r in rows)  # "news" = THUCNews train titles + the extra part
    print(f"collect: {len(rows)} rows {dict(by_source)}")


def load_rows() -> list[dict]:
    path = CACHE / "train.jsonl"
    if not path.exists():
        raise SystemExit("run the `collect` stage first")
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _teach_batch(embedder, texts: list[str], known: dict[str, np.ndarray]) -> np.ndarray:
    """Teacher vectors of ``texts``, taken from ``known`` where the benchmarks have them."""
    unknown = [i for i, t in enumerate(texts) if t not in known]
    fresh = embedder().encode([[]] * len(unknown), texts=[texts[i] for i in unknown]) \
        if unknown else None
    dim = fresh.shape[1] if fresh is not None else len(next(iter(known.values())))
    out = np.zeros((len(texts), dim), dtype=np.float32)
    for i, text in enumerate(texts):
        if text in known:
            out[i] = known[text]
    if fresh is not None:
        out[unknown] = fresh
    return out


def stage_teach(teacher: str, chunk: int = 512, data: Path = DEFAULT_DATA) -> np.ndarray:
    """Teacher embeddings of every training row, cached chunk by chunk (resumable)."""
    from opinion.topics.embed import get_embedder

    rows = load_rows()
    texts = [r["text"] for r in rows]
    folder = CACHE / f"teacher_{teacher}"
    folder.mkdir(parents=True, exist_ok=True)
    embedder = functools.lru_cache(maxsize=1)(lambda: get_embedder(teacher))
    known = _known_teacher_vectors(teacher, data)
    start = time.perf_counter()
    done = 0
    for first in range(0, len(texts), chunk):
        part = folder / f"{first:07d}.npy"
        batch = texts[first:first + chunk]
        have = np.load(part) if part.exists() else np.zeros((0, 0), dtype=np.float16)
        if len(have) == len(batch):
            continue
        new = _teach_batch(embedder, batch[len(have):], known)
        np.save(part, np.vstack([have, new.astype(np.float16)]) if len(have) else
                new.astype(np.float16))  # a chunk cut short by new rows is completed
        done += len(batch) - len(have)
        rate = done / (time.perf_counter() - start)
        print(f"teach {teacher}: {first + len(batch)}/{len(texts)} ({rate:.0f} rows/s)",
              flush=True)
    parts = [np.load(folder / f"{first:07d}.npy") for first in range(0, len(texts), chunk)]
    return np.vstack(parts).astype(np.float32)


def row_tokens(rows: list[dict]) -> list[list[str]]:
    """jieba tokens of each training row (a vocabulary word is its own token)."""
    import jieba

    from opinion.topics.static import normalise

    return [[r["text"]] if r["source"] == "word" else jieba.lcut(normalise(r["text"]))
            for r in rows]


def build_vocabulary(rows: list[dict], tokens: list[list[str]], *, min_df: int,
                     max_features: int) -> tuple[list[str], np.ndarray]:
    """Features seen in at least ``min_df`` rows (or naming a vocabulary word), and their IDF."""
    from opinion.topics.static import document_features

    df: Counter[str] = Counter()
    always: set[str] = set()
    for row, toks in zip(rows, tokens):
        features = set(document_features(row["text"], toks))
        df.update(features)
        if row["source"] == "word":
            always |= features
    ranked = sorted(df.items(), key=lambda item: (-item[1], item[0]))  # no set/hash order
    kept = [f for f, c in ranked if c >= min_df or f in always][:max_features]
    n = len(rows)
    idf = np.log((1 + n) / (1 + np.array([df[f] for f in kept], dtype=np.float64))) + 1
    return kept, idf.astype(np.float32)


def _embedder_for(features: list[str], idf: np.ndarray, vectors: np.ndarray | None = None):
    from opinion.topics.static import StaticEmbedder

    model = StaticEmbedder()
    model._index(features)
    model.idf_ = idf
    if vectors is not None:
        model.vectors_ = vectors
    return model


def fit_ridge(X, Y: np.ndarray, alpha: float) -> tuple[np.ndarray, np.ndarray]:
    """Coefficients (features, d) and intercept of a ridge regression X -> Y."""
    from sklearn.linear_model import Ridge

    ridge = Ridge(alpha=alpha, solver="sparse_cg", fit_intercept=True, max_iter=300, tol=1e-4)
    ridge.fit(X, Y)
    # C order: safetensors writes the raw buffer, so a transposed view would be scrambled
    return (np.ascontiguousarray(ridge.coef_.T, dtype=np.float32),
            ridge.intercept_.astype(np.float32))


ALPHAS = (0.1, 0.3, 1.0)


def _heldout_cosine(pred: np.ndarray, Y: np.ndarray) -> float:
    pred = pred / np.maximum(np.linalg.norm(pred, axis=1, keepdims=True), 1e-12)
    Y = Y / np.maximum(np.linalg.norm(Y, axis=1, keepdims=True), 1e-12)
    return float((pred * Y).sum(axis=1).mean())


def quantise(vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """int8 rows with one float16 scale each: ``vectors ~= q * scale[:, None]``."""
    scale = np.abs(vectors).max(axis=1) / 127.0
    scale[scale == 0] = 1.0
    q = np.clip(np.rint(vectors / scale[:, None]), -127, 127).astype(np.int8)
    return np.ascontiguousarray(q), scale.astype(np.float16)


def stage_fit(teacher: str, *, data: Path, out: Path = OUT, alpha: float | None, dim: int,
              min_df: int, max_features: int, without: tuple[str, ...] = ()) -> None:
    """Ridge from TF-IDF features onto PCA-reduced teacher vectors; write the model.

    ``without`` leaves out the rows of those extra parts (``EXTRA_PARTS``), to compare builds.
    """
    from safetensors.numpy import save_file
    from sklearn.decomposition import PCA

    from opinion.topics.static import VECTORS_FILE, VOCAB_FILE

    rows = load_rows()
    Y = stage_teach(teacher, data=data)
    used = np.array([r.get("part") not in without for r in rows])
    rows, Y = [r for r, u in zip(rows, used) if u], Y[used]
    tokens = row_tokens(rows)
    features, idf = build_vocabulary(rows, tokens, min_df=min_df, max_features=max_features)
    texts = [r["text"] for r in rows]
    X = _embedder_for(features, idf).feature_matrix(tokens, texts)
    pca = PCA(n_components=min(dim, Y.shape[1]), random_state=SEED).fit(Y)
    Z = pca.transform(Y).astype(np.float32)
    print(f"fit: {X.shape[0]} rows, {X.shape[1]} features, PCA {Z.shape[1]} dims "
          f"({pca.explained_variance_ratio_.sum():.3f} of variance)", flush=True)

    rng = np.random.default_rng(SEED)
    is_text = np.array([r["source"] != "word" for r in rows])
    held = is_text & (rng.random(len(rows)) < 0.1)
    if alpha is None:
        scores = {}
        for a in ALPHAS:
            coef, _ = fit_ridge(X[~held], Z[~held], a)
            scores[a] = _heldout_cosine(X[held] @ coef, Z[held])
            print(f"fit: alpha {a}: held-out cosine to teacher (PCA space) {scores[a]:.4f}",
                  flush=True)
        alpha = max(scores, key=scores.get)
    coef, _ = fit_ridge(X, Z, alpha)  # the intercept (teacher's mean) is dropped: centred
    q, scale = quantise(coef)
    out.mkdir(parents=True, exist_ok=True)
    save_file({"vectors": q, "scales": scale, "idf": idf.astype(np.float16)},
              str(out / VECTORS_FILE))
    meta = {
        "name": "static-zh", "format": 1, "teacher": teacher, "dim": int(q.shape[1]),
        "alpha": alpha, "min_df": min_df, "pca_variance": float(pca.explained_variance_ratio_.sum()),
        "train_rows": {"texts": int(is_text.sum()), "words": int((~is_text).sum())},
        "thucnews_train": {"titles": sum(r["source"].startswith(THUCNEWS) for r in rows),
                           "per_class": THUCNEWS_TRAIN_PER_CLASS, "seed": THUCNEWS_SPLIT_SEED},
        "extra_parts": dict(Counter(r["part"] for r in rows if r.get("part"))),
        "built_by": "tools/distill_static_zh.py", "features": features,
    }
    (out / VOCAB_FILE).write_text(json.dumps(meta, ensure_ascii=False, separators=(",", ":")),
                                  encoding="utf-8")
    size = sum(p.stat().st_size for p in out.iterdir()) / 2**20
    print(f"fit: wrote {out} ({len(features)} features x {q.shape[1]}, {size:.1f} MiB)")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stage", choices=["collect", "teach", "fit", "all"])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--teacher", default="e5-small")
    parser.add_argument("--alpha", type=float, default=None,
                        help="ridge penalty; default: the best of ALPHAS on held-out rows")
    parser.add_argument("--dim", type=int, default=256, help="PCA dimensions kept")
    parser.add_argument("--min-df", type=int, default=2)
    parser.add_argument("--out", type=Path, default=OUT, help="model folder written by fit")
    parser.add_argument("--max-features", type=int, default=150_000)
    parser.add_argument("--without", action="append", default=[], choices=EXTRA_PARTS,
                        help="leave out the rows of this extra part (repeatable), to compare")
    args = parser.parse_args(argv)
    if args.stage in ("collect", "all"):
        stage_collect(args.data)
    if args.stage in ("teach", "all"):
        stage_teach(args.teacher, data=args.data)
    if args.stage in ("fit", "all"):
        stage_fit(args.teacher, data=args.data, out=args.out, alpha=args.alpha, dim=args.dim,
                  min_df=args.min_df, max_features=args.max_features,
                  without=tuple(args.without))


if __name__ == "__main__":
    main()
