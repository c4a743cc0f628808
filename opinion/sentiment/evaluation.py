"""The result of one `opinion sentiment evaluate` run: the figures, the rows they cover, and what
they were measured with, so that a report can be cited (``str(result)``, ``result.to_json()``).

Since 2026-12-08 a result names its model by SHA-256 as well as by path, with the opinion
version and the date, and calls the model "shipped" only when its digest is the shipped
file's: ``opinion sentiment train`` writes over the shipped resource by default, and a
retrained file there was still reported as "the shipped model".

Example:
    >>> model_identity("", method="lexicon")
    {'model_sha256': '', 'shipped': False}
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from opinion.config import TRANSFORMER_METHODS
from opinion.version import __version__

STAGE_TEXT = ("the text as the stage scores it: cleaned and normalised as `opinion prepare` does "
              "(default settings), <USER>/<URL> as the model saw them; --raw scores it as written")
RAW_TEXT = "the text as written (in Simplified), not as the stage scores it (--raw)"
SHOWN_REJECTS = 10  # rejected lines printed; the JSON lists them all


def model_identity(model_file: str, *, method: str) -> dict[str, object]:
    """The SHA-256 of the file scored with and whether it is the shipped model's file."""
    from opinion.io.atomic import file_sha256
    from opinion.sentiment.model import SHIPPED_MODEL_SHA256

    if not model_file or not Path(model_file).is_file():
        return {"model_sha256": "", "shipped": False}
    digest = file_sha256(model_file)
    return {"model_sha256": digest, "shipped": method == "model" and digest == SHIPPED_MODEL_SHA256}


@dataclass
class Evaluation:
    """The figures of one evaluation run, and the rows and model they were measured on."""

    n: int
    accuracy: float
    macro_f1: float
    labels: list[str]
    confusion: pd.DataFrame  # rows: true label, columns: predicted label
    method: str = "model"
    task: str = "polarity"
    skipped: int = 0  # rows without text or label, or blank after cleaning
    per_class_f1: dict[str, float] = field(default_factory=dict)
    accuracy_ci: tuple[float, float] = (np.nan, np.nan)
    macro_f1_ci: tuple[float, float] = (np.nan, np.nan)
    seen_in_training: int | None = None  # texts the model was trained on; None: not known
    model_file: str = ""  # the model scored with (model, transformer); "" for the others
    skipped_reasons: dict[str, int] = field(default_factory=dict)  # reason -> rows, each row once
    duplicate_texts: int = 0  # texts on more than one row (each row counts in the intervals)
    notes: list[str] = field(default_factory=list)  # how labels were read, what was narrowed
    rows_read: int = 0  # data rows of the file: n + skipped + rejected
    rejected: list[str] = field(default_factory=list)  # "file line N: why; fix", one per row
    raw: bool = False  # scored the text as written, not as the stage scores it
    model_sha256: str = ""
    shipped: bool = False  # the model file's digest is the shipped model's
    version: str = __version__
    run_date: str = field(default_factory=lambda: date.today().isoformat())

    def as_dict(self) -> dict:
        return {"n": self.n, "accuracy": self.accuracy, "macro_f1": self.macro_f1,
                "accuracy_ci": list(self.accuracy_ci), "macro_f1_ci": list(self.macro_f1_ci),
                "method": self.method, "task": self.task, "labels": self.labels,
                "rows_read": self.rows_read, "rejected": self.rejected,
                "skipped": self.skipped, "skipped_reasons": self.skipped_reasons,
                "duplicate_texts": self.duplicate_texts, "per_class_f1": self.per_class_f1,
                "seen_in_training": self.seen_in_training, "model_file": self.model_file,
                "model_sha256": self.model_sha256, "shipped": self.shipped,
                "opinion_version": self.version, "date": self.run_date,
                "scored_text": RAW_TEXT if self.raw else STAGE_TEXT,
                "notes": [*self.notes, *filter(None, [self.overlap_line()])],
                "confusion": {t: {p: int(v) for p, v in row.items()}
                              for t, row in self.confusion.to_dict("index").items()}}

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), ensure_ascii=False)

    def rows_line(self) -> str:
        """``n: 150 (200 rows read: 2 rejected, 48 skipped: …)``: every row of the file counted once."""
        reasons = ", ".join(f"{v} {k}" for k, v in self.skipped_reasons.items() if v)
        parts = [f"{len(self.rejected)} rejected"] if self.rejected else []
        parts += [f"{self.skipped} skipped: {reasons}"] if self.skipped else []
        return f"n: {self.n}" + (f" ({self.rows_read} rows read: {', '.join(parts)})" if parts else "")

    def model_line(self) -> str:
        """What the figures were measured with, to cite: file, digest, opinion version, date."""
        if not self.model_file:
            return f"scored with: {self.method}; opinion {self.version}, {self.run_date}"
        which = " (the shipped model)" if self.shipped else ""
        return (f"scored with: {self.model_file}{which}, SHA-256 {self.model_sha256 or 'unknown'}; "
                f"opinion {self.version}, {self.run_date}")

    def __str__(self) -> str:
        rejected = [f"rejected: {line}" for line in self.rejected[:SHOWN_REJECTS]]
        if len(self.rejected) > SHOWN_REJECTS:
            rejected.append(f"rejected: … {len(self.rejected) - SHOWN_REJECTS} more (--json lists them all)")
        return "\n".join([
            f"task: {self.task}, method: {self.method}", self.rows_line(), *rejected,
            f"accuracy: {self.accuracy:.4f} (95% CI {self.accuracy_ci[0]:.4f}–{self.accuracy_ci[1]:.4f})",
            f"macro-F1: {self.macro_f1:.4f} (95% CI {self.macro_f1_ci[0]:.4f}–{self.macro_f1_ci[1]:.4f})",
            "F1 per class: " + ", ".join(f"{k} {v:.4f}" for k, v in self.per_class_f1.items()),
            "confusion (rows: true, columns: predicted):", self.confusion.to_string(),
            *(f"note: {note}" for note in self.notes), *filter(None, [self.overlap_line()]),
            f"scored: {RAW_TEXT if self.raw else STAGE_TEXT}", self.model_line()])

    def overlap_line(self) -> str:
        """The training-overlap line: a warning naming the model when it was trained on some of
        the texts (figures on them are not held out), "unknown" when no filter tells."""
        from opinion.sentiment.model import default_model_path

        if seen := self.seen_in_training:
            trained = ("trained on every labelled set docs/sentiment.md lists (its held-out figures "
                       "are there)")
            whose = (f"the model is {self.model_file}" if not self.shipped
                     else f"the shipped model is {trained}" if Path(self.model_file) == default_model_path()
                     else f"the model is {self.model_file}, the shipped model's file (same SHA-256), {trained}")
            return (f"warning: {seen:,} of {self.n:,} texts ({seen / max(self.n, 1):.1%}) are among the "
                    f"model's training texts, so these figures are not held-out; {whose}")
        if self.method == "model" and seen is None:
            return (f"training overlap: unknown (no .seen file beside {self.model_file or 'the model'}); "
                    "figures on texts it was trained on are not held-out")
        if self.method in TRANSFORMER_METHODS:
            return ("training overlap: unknown (the transformer was fine-tuned on rows of the shared "
                    "labelled sets, docs/teacher.md)")
        return ""
