"""Read a labelled file for `opinion sentiment evaluate`: CSV, TSV, JSON Lines or Excel, as
strings, in whatever encoding ``opinion load`` would detect (``read_table("标注.csv")``)."""

from __future__ import annotations

import io
import re
import warnings
from pathlib import Path

import pandas as pd

from opinion.errors import InputError

__all__ = ["read_table"]


def read_table(path: str | Path) -> pd.DataFrame:
    """Read a CSV, TSV, JSON Lines or Excel file as strings; text files in UTF-8, GB18030,
    Big5 or UTF-16 (detected as ``opinion load`` does: ``labels_gbk.csv`` reads as is).

    A file with broken bytes is read with them replaced (U+FFFD); ``table.attrs["broken_rows"]``
    counts the rows that held one. A first data row with more fields than the header (an
    unquoted comma in ``房间很大,就是有点吵``) is an error naming the line, as a later one is.
    """
    from opinion.io.encoding import SAMPLE_BYTES, detect_encoding

    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: file not found")
    if not path.is_file():
        raise InputError(f"{path}: not a file; give the labelled CSV, TSV, JSONL or XLSX file")
    suffix = path.suffix.lower()
    try:
        if suffix in (".xlsx", ".xls"):
            return pd.read_excel(path, dtype=str)
        data = path.read_bytes()
        encoding = detect_encoding(data[:SAMPLE_BYTES], truncated=len(data) > SAMPLE_BYTES)
        try:
            text, broken = data.decode(encoding), False
        except UnicodeDecodeError:  # past the sample (ASCII, then GB18030), or a few broken bytes
            encoding = detect_encoding(data)
            text = data.decode(encoding, errors="replace")
            broken = True
        text = text.removeprefix("\ufeff")
        if suffix in (".jsonl", ".ndjson"):
            table = pd.read_json(io.StringIO(text), lines=True, dtype=False)
        else:
            table = _read_delimited(text, "\t" if suffix in (".tsv", ".tab") else ",")
    except (ValueError, pd.errors.ParserError) as exc:
        raise InputError(f"{path}: cannot read it as a table ({_parser_reason(exc)})") from exc
    table.attrs["broken_rows"] = (int(table.apply(lambda c: c.astype(str).str.contains("\ufffd")).any(axis=1).sum())
                                  if broken else 0)
    return table


def _read_delimited(text: str, sep: str) -> pd.DataFrame:
    """A CSV/TSV text as strings; the first data row with more fields than the header raises
    (pandas would make the first column an index and shift every row: 999 rows "skipped")."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", pd.errors.ParserWarning)
        try:
            return pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False, index_col=False)
        except pd.errors.ParserWarning:  # re-read headerless: pandas names line 2 and its width
            return pd.read_csv(io.StringIO(text), sep=sep, dtype=str, header=None)


def _parser_reason(exc: Exception) -> str:
    """pandas' "Expected 2 fields in line 3, saw 3" as what to do."""
    found = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
    if not found:
        return str(exc)
    want, line, saw = found.groups()
    return (f"line {line} has {saw} fields where the header has {want}; put a text that holds "
            "the separator in double quotes, \"房间很大,就是有点吵\"")
