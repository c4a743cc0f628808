"""What the sentiment model reads: :func:`model_text` (the stage's placeholders as the raw forms
the model was trained on) and the texts :meth:`SentimentModel.predict_frame` is given.

``predict_frame`` takes a list, a Series (whose index its result keeps) or one ``str`` (one
text, not its characters); numbers are read as their digits, missing values give null rows,
and anything else (bytes, lists) is an :class:`~opinion.errors.InputError` naming the row.

Example:
    >>> model_text("//<USER>:谢谢你 <URL>")
    '//@用户:谢谢你 http://t.cn'
    >>> model_inputs(["物流很快", None, 123])[0]
    ['物流很快', '', '123']
"""

from __future__ import annotations

import numbers
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import pandas as pd

from opinion.errors import InputError
from opinion.text.contacts import PLACEHOLDERS

if TYPE_CHECKING:
    from opinion.sentiment.model import SentimentModel

# The cleaner's placeholders as the raw forms the model was trained on (the transformer too):
# on 1,500 Weibo posts with @/URLs, labels agreed with the raw text's on 92.2 % as <USER>/<URL>,
# 93.9 % so (95.2 % with contacts kept: the rest is other cleaning); held-out EWECT rows with
# @/URLs: accuracy 0.8193 → 0.8276 (raw 0.8282). benchmarks/sentiment_placeholders.py; <EMAIL>
# and <PHONE> (rare; <PHONE> already reads neutral) stay.
MODEL_FORMS = {PLACEHOLDERS["mention"]: "@用户", PLACEHOLDERS["url"]: "http://t.cn"}
_PLACEHOLDER = re.compile("|".join(map(re.escape, MODEL_FORMS)))


def model_text(text: str) -> str:
    """``text_norm`` as the scorers read it: the cleaner's ``<USER>`` and ``<URL>`` as a mention
    and a link, which the model saw in training (``<USER>`` alone read negative 0.50).

    >>> model_text("//<USER>:谢谢你 <URL>")
    '//@用户:谢谢你 http://t.cn'
    """
    return _PLACEHOLDER.sub(lambda m: MODEL_FORMS[m.group()], text) if "<" in text else text


def _text(value: Any, row: str) -> str:
    """One cell as text: a str as it is, a number as its digits, a missing value as ""."""
    if isinstance(value, str):
        return value
    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):
        return ""
    if isinstance(value, numbers.Number) and not isinstance(value, bool):
        return str(value)
    fix = " decode it first (b.decode('utf-8'), or 'gb18030')" if isinstance(value, bytes) else " pass text"
    raise InputError(f"predict_frame: {row} is {type(value).__name__}, not text;{fix}")


def model_inputs(texts: str | Iterable[Any]) -> tuple[list[str], pd.Index | None]:
    """The texts of ``texts`` and, for a Series, its index (the result keeps it).

    >>> model_inputs("好评")[0], model_inputs(pd.Series(["好评"], index=[7]))[1].tolist()
    (['好评'], [7])
    """
    if isinstance(texts, str):  # one text, not its characters
        return [texts], None
    if isinstance(texts, pd.DataFrame):
        raise InputError(f"predict_frame takes texts, not a DataFrame; pass its text column, e.g. "
                         f"df[{next(iter(texts.columns), 'text')!r}]")
    index = texts.index if isinstance(texts, pd.Series) else None
    labels = index.tolist() if index is not None else None  # Python values: 9, not np.int64(9)
    return [_text(value, f"row {i}" + (f" (index {labels[i]!r})" if labels is not None else ""))
            for i, value in enumerate(texts)], index


def predict_frame(model: SentimentModel, texts: str | Iterable[Any],
                  neutral_band: tuple[float, float] | None = None) -> pd.DataFrame:
    """:meth:`SentimentModel.predict_frame`: each text read as the stage reads a document's
    ``text_norm`` (:func:`model_text`, in Simplified), the result on the Series' index."""
    from opinion.sentiment.columns import model_columns
    from opinion.sentiment.features import to_simplified

    values, index = model_inputs(texts)
    frame = model_columns(model, [to_simplified(model_text(t)) for t in values], neutral_band)
    if index is not None:
        frame.index = index
    return frame
