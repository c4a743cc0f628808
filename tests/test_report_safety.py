"""Formula neutralisation (opinion.report.safety)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from opinion.report.safety import is_dangerous, neutralise, neutralise_frame, spreadsheet_frame


@pytest.mark.parametrize("text_in, text_out", [
    ('=HYPERLINK("http://evil.example/x","点我领口罩")', '\'=HYPERLINK("http://evil.example/x","点我领口罩")'),
    ("@SUM(1+1)*cmd|' /C calc'!A0 口罩到货了", "'@SUM(1+1)*cmd|' /C calc'!A0 口罩到货了"),
    ("+1+cmd", "'+1+cmd"),
    ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
    ("\t=1+1", "'\t=1+1"),
    ("\r=1+1", "'\r=1+1"),
    ("＝HYPERLINK()", "'＝HYPERLINK()"),
    ("武汉加油", "武汉加油"),
    ("今天终于买到口罩了😷😷", "今天终于买到口罩了😷😷"),
    ("", ""),
    ("-12", "-12"),  # only a number: cannot run anything
    ("+3.5%", "+3.5%"),
    ("a=b", "a=b"),
])
def test_safety_neutralise_text(text_in: str, text_out: str) -> None:
    assert neutralise(text_in) == text_out


@pytest.mark.parametrize("value", [-3.5, -1, 0, None, np.nan, True])
def test_safety_non_text_is_never_changed(value: object) -> None:
    assert not is_dangerous(value)
    assert neutralise(value) is value


def test_safety_frame_keeps_numbers_and_neutralises_names() -> None:
    df = pd.DataFrame({"text": ["=1+1", "口罩"], "growth": [-1.0, 0.5], "=bad": [1, 2]})
    out = neutralise_frame(df)
    assert out["text"].tolist() == ["'=1+1", "口罩"]
    assert out["growth"].dtype == float and out["growth"].iloc[0] == -1.0
    assert list(out.columns) == ["text", "growth", "'=bad"]
    assert df["text"].iloc[0] == "=1+1"  # the input is not modified


def test_safety_spreadsheet_frame_joins_lists() -> None:
    df = pd.DataFrame({"terms": [np.array(["口罩", "防护"]), ["=cmd", "x"]]})
    assert spreadsheet_frame(df)["terms"].tolist() == ["口罩 防护", "'=cmd x"]
