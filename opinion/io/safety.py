"""Inert cells: what the corpus says is shown as written, never run as a formula or drawn as markup.

Every export and view takes its cells from here, after all other normalisation (lists
joined, whitespace collapsed, labels cut), so nothing can undo the protection afterwards.

One rule decides what a spreadsheet would run (:func:`is_dangerous`): text whose first
character after any leading whitespace (spaces, tabs, CR/LF, U+3000...) is ``=``, ``+``,
``-`` or ``@`` (or a full-width ``＝＋－＠``), unless the text is only a number (``-12``,
``+3.5%``), which cannot run anything. Each format then neutralises in its own way, only
where that format needs it:

- CSV (:func:`neutralise`, :func:`spreadsheet_frame`): a leading ``'``, the OWASP advice;
  CSV has no other way to say "this cell is text". Quoting is done by :func:`write_csv_frame`,
  which also leaves out control characters (a NUL byte from a broken scrape ends the cell
  early in pandas and R: ``武汉\x00加油`` read back as ``武汉``); tab, CR and LF stay.
- XLSX: the text is stored unchanged as a string cell with Excel's quote-prefix style
  (``opinion.report.xlsx_writer``), which is what typing ``'`` does: shown as text, kept
  as text when edited, and no ``'`` in the value.
- Markdown (:func:`markdown_cell`): backslash escapes, so the raw file has no live
  leading trigger and the rendered page shows the text as written (``-1_未归入主题``); URLs and
  e-mail addresses get an invisible U+2060 (:func:`defuse_autolinks`) so they stay text.
- HTML (:func:`html_cell`): HTML escaping, the leading trigger as a character reference.
- Plotly labels, legends and hover (:func:`plot_text`): ``& < > % $`` as character
  references, so ``<a href>``, ``<b>``, ``%{...}`` and ``$...$`` show as typed.

Example:
    >>> neutralise('=HYPERLINK("http://evil.example","点我")')
    '\\'=HYPERLINK("http://evil.example","点我")'
    >>> neutralise("武汉加油"), neutralise(-3.5), neutralise("\\u3000=1+1")
    ('武汉加油', -3.5, "'\\u3000=1+1")
    >>> markdown_cell(" =cmd|' /C calc'!A0"), html_cell("-1_未归入主题")
    ("\\\\=cmd\\\\|' /C calc'!A0", '&#45;1_未归入主题')
"""

from __future__ import annotations

import csv
import html
import re
from pathlib import Path
from typing import IO, Any

import numpy as np
import pandas as pd

from opinion.io.atomic import atomic_path

# ASCII triggers plus their full-width forms, which some spreadsheet locales also accept.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "＝", "＋", "－", "＠")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?%?")
_TRIGGER_SET = frozenset(FORMULA_TRIGGERS)
BOM = "\ufeff"  # written first in a CSV file, so Excel reads it as UTF-8
CSV_LINE_END = "\r\n"  # RFC 4180; with it, the csv module quotes any cell holding a CR or an LF
# invisible; NUL cuts a cell short in pandas and R; U+FFFE/U+FFFF are not characters, and XLSX
# (XML) can only write them as the text _xFFFE_
_CONTROL = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]"
_CONTROL_RE = re.compile(_CONTROL)


def is_dangerous(value: Any) -> bool:
    """Whether ``value`` is text a spreadsheet could run as a formula.

    Leading whitespace does not hide a trigger: ``"\\t=1+1"`` and ``"\\u3000@SUM(A1)"`` are
    dangerous; ``"-12"`` and ``"a=b"`` are not.
    """
    if not isinstance(value, str):
        return False
    head = value.lstrip()
    return head.startswith(FORMULA_TRIGGERS) and not _PLAIN_NUMBER.fullmatch(head.rstrip())


def neutralise(value: Any) -> Any:
    """``value`` for a CSV cell: a leading ``'`` if it is dangerous text, else unchanged."""
    return "'" + value if is_dangerous(value) else value


def _is_text_column(values: pd.Series) -> bool:
    return values.dtype == object or isinstance(values.dtype, pd.StringDtype)


def _flat(value: Any) -> Any:
    """Lists (Parquet list cells arrive as numpy arrays) as space-joined text."""
    if isinstance(value, (list, tuple, np.ndarray)):
        return " ".join(str(v) for v in value)
    return value


def flat_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` with list cells joined by spaces (``["口罩", "防护"]`` -> ``"口罩 防护"``)."""
    out = df.copy()
    for column in out.columns:
        if out[column].dtype == object and pd.api.types.infer_dtype(out[column], skipna=True) != "string":
            out[column] = out[column].map(_flat)
    return out


def _may_be_dangerous(value: Any) -> bool:
    """A cheap first test: only text whose first character is whitespace or a trigger can be
    dangerous (:func:`is_dangerous` decides)."""
    return isinstance(value, str) and (value[:1] in _TRIGGER_SET or value[:1].isspace())


def _neutralise_column(values: pd.Series) -> pd.Series:
    """:func:`neutralise` of every cell. A column of text and nulls only (the usual one) is
    changed in place of its few candidate cells, the same result as ``values.map(neutralise)``
    without a Python call per cell; any other column goes through ``map`` (its type inference
    included)."""
    if values.dtype != object or pd.api.types.infer_dtype(values, skipna=True) != "string":
        return values.map(neutralise)
    cells = values.to_numpy(dtype=object, copy=True)
    for i in [i for i, v in enumerate(cells.tolist()) if _may_be_dangerous(v)]:
        cells[i] = neutralise(cells[i])
    return pd.Series(cells, index=values.index, name=values.name, dtype=object)


def neutralise_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` with every dangerous text cell and column name neutralised for CSV.

    Only text (object/string) columns are touched, so numeric and date columns keep
    their types.
    """
    out = df.copy()
    for column in out.columns:
        if _is_text_column(out[column]):
            out[column] = _neutralise_column(out[column])
    out.columns = [neutralise(str(c)) for c in out.columns]
    return out


def spreadsheet_frame(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` ready for CSV cell by cell: lists joined by spaces, then text neutralised.

    >>> spreadsheet_frame(pd.DataFrame({"t": ["@SUM(1+1)", "口罩"], "n": [-1.5, 2.0]}))["t"].tolist()
    ["'@SUM(1+1)", '口罩']
    """
    return neutralise_frame(flat_frame(df))


def _without_controls(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` (changed in place: pass a copy) with control characters other than tab, CR and
    LF left out of its text cells and column names (a column holding one is searched cell by
    cell, and only those cells are rewritten)."""
    for column in df.columns:
        values = df[column]
        if not _is_text_column(values) or not _CONTROL_RE.search("".join(v for v in values.tolist() if isinstance(v, str))):
            continue  # one search over the column: the usual column has none
        cells = values.to_numpy(dtype=object, copy=True)
        hits = [i for i, v in enumerate(cells.tolist()) if isinstance(v, str) and _CONTROL_RE.search(v)]
        if hits:
            for i in hits:
                cells[i] = _CONTROL_RE.sub("", cells[i])
            df[column] = pd.Series(cells, index=values.index, name=values.name, dtype=object)
    df.columns = [_CONTROL_RE.sub("", str(c)) for c in df.columns]
    return df


def text_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` as every spreadsheet export writes it (CSV and XLSX): list cells joined
    by spaces (:func:`flat_frame`), then control characters other than tab, CR and LF left out
    of text cells and column names, so ``"武汉\\x00加油"`` is ``"武汉加油"`` in both formats."""
    return _without_controls(flat_frame(df))


def write_csv_frame(df: pd.DataFrame, target: str | Path | IO[str]) -> None:
    """Write ``df`` as CSV made safe by :func:`spreadsheet_frame`, every cell quoted as needed.

    Lines end in CRLF, so a cell holding a bare CR (``"武汉加油\\r=cmd"``) or LF is quoted
    and reads back as one record in Python's ``csv``, pandas and spreadsheets. Pass a path
    (written atomically as UTF-8 with a BOM, so Excel reads Chinese right) or a text stream.
    """
    safe = neutralise_frame(text_frame(df))  # "\x00=cmd" must not become "=cmd"
    options = dict(index=False, lineterminator=CSV_LINE_END, quoting=csv.QUOTE_MINIMAL)
    if isinstance(target, (str, Path)):
        # Atomic (an interrupted write leaves no cut CSV under the name; missing folders are
        # made); the BOM by hand and plain UTF-8: the same bytes as encoding="utf-8-sig", but
        # the file object encodes in C instead of calling the utf-8-sig codec once per row.
        with atomic_path(target) as tmp, open(tmp, "w", encoding="utf-8", newline="") as handle:
            handle.write(BOM)
            safe.to_csv(handle, **options)
    else:
        safe.to_csv(target, **options)


# --- Markdown, HTML and Plotly --------------------------------------------------------
# Backslash-escaped in Markdown: table pipes, links and images, HTML and autolinks, code,
# emphasis and strikethrough, entities, math, and e-mail autolinks. An underscore between two
# word characters (0_口罩_防护) cannot start or end emphasis, so it stays as it is.
_MARKDOWN_SPECIAL = re.compile(r"([\\|\[\]<>`*~&$@]|(?<!\w)_|_(?!\w))")
# Renderers find autolinks (http://, www., a@b.cn) and GitHub's :emoji: codes in the text
# after escapes are resolved, so a backslash cannot stop them; an invisible WORD JOINER can.
WORD_JOINER = "\u2060"
# An :emoji: code's first colon, but not one between digits with only digits up to the next
# colon: 16:48:52 is a time (no renderer draws :48: as an emoji), :smile: :+1: :100: are codes.
_TEXT_LINKS = re.compile(r"(?i)(?:https?|ftp)(?=://)|www(?=\.)|[-.\w+](?=@[-\w]+\.)"
                         r"|(?<![0-9]):(?=[a-z0-9_+\-]+:)|:(?=[0-9]*[a-z_+\-][a-z0-9_+\-]*:)")
_PLOTLY_SPECIAL = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "%": "&#37;", "$": "&#36;"})


def _mark_leading(text: str, ascii_mark: str | None) -> str:
    """``text`` with its formula trigger made inert: ``ascii_mark`` before an ASCII trigger
    (``None``: a character reference), a character reference for a full-width one."""
    if not is_dangerous(text):
        return text
    start = len(text) - len(text.lstrip())
    trigger = text[start]
    mark = ascii_mark + trigger if ascii_mark is not None and trigger.isascii() else f"&#{ord(trigger)};"
    return text[:start] + mark + text[start + 1:]


def defuse_autolinks(text: str) -> str:
    """``text`` with a WORD JOINER (U+2060, invisible) after ``http``/``www`` and before the
    ``@`` of an e-mail address, so no Markdown renderer turns it into a link; GitHub's
    ``:emoji:`` codes likewise, but not a time's colons (``16:48:52`` stays as it is).

    >>> defuse_autolinks("看 https://t.cn/x") == "看 https\u2060://t.cn/x"
    True
    >>> defuse_autolinks("生成于 2026-12-07T16:48:52Z")
    '生成于 2026-12-07T16:48:52Z'
    """
    return _TEXT_LINKS.sub(lambda m: m.group() + WORD_JOINER, text)


def markdown_cell(value: Any) -> str:
    """One cell as inline Markdown that cannot break a table, add markup or links, or start
    a formula: whitespace collapsed first, then links defused and markup escaped.

    >>> markdown_cell("口罩|防护 ![x](a.png) =1")
    '口罩\\\\|防护 !\\\\[x\\\\](a.png) =1'
    """
    if isinstance(value, (list, tuple, np.ndarray)):
        return "<br>".join(markdown_cell(v) for v in value)
    text = defuse_autolinks(" ".join(str(value).split()))
    return _mark_leading(_MARKDOWN_SPECIAL.sub(r"\\\1", text), "\\")


def html_cell(value: Any) -> str:
    """One cell as HTML text: escaped, lists one item a line, no live leading trigger.

    >>> html_cell(['<img src="http://evil.example/a.png">', "=1+1"])
    '&lt;img src=&quot;http://evil.example/a.png&quot;&gt;<br>&#61;1+1'
    """
    if isinstance(value, (list, tuple, np.ndarray)):
        return "<br>".join(html_cell(v) for v in value)
    return _mark_leading(html.escape(str(value)), None)


def plot_text(value: Any) -> Any:
    """Text for a Plotly label, legend, axis or hover: whitespace collapsed, and the
    characters Plotly reads as markup (``<b>``, ``<a href>``, entities, ``%{x}``
    templates, ``$TeX$``) as character references, which Plotly draws as the characters.
    Anything that is not text is returned as is.

    >>> plot_text('<a href="http://evil.example">点我</a>')
    '&lt;a href="http://evil.example"&gt;点我&lt;/a&gt;'
    """
    if not isinstance(value, str):
        return value
    return " ".join(value.split()).translate(_PLOTLY_SPECIAL)


def plot_frame(df: pd.DataFrame, columns: list[str] | tuple[str, ...]) -> pd.DataFrame:
    """A copy of ``df`` with the text of ``columns`` made inert for Plotly (:func:`plot_text`)."""
    out = df.copy()
    for column in columns:
        if column in out.columns:
            out[column] = out[column].map(plot_text)
    return out
