"""Labelled files for `opinion sentiment evaluate`, read through `opinion load`'s readers:
every line accounted for (rows read = kept + rejected), the same cells in every format."""

from __future__ import annotations

import pandas as pd
import pytest

from opinion.errors import InputError
from opinion.sentiment.label_files import read_table, rejected_line

REVIEWS = ["送餐很快，味道不错", "太难吃了", "服务态度好", "味道一般般", "送餐很慢", "包装很好"]


def _unquoted(path, rows: list[tuple[str, str]], sep: str = ",") -> None:
    """A file written by hand or by an export that does not quote (a text may open with a ")."""
    path.write_text(f"label{sep}review\n" + "".join(f"{y}{sep}{t}\n" for y, t in rows), encoding="utf-8")


def test_a_text_that_opens_with_a_quote_is_rejected_by_line_not_merged(tmp_path) -> None:
    """pandas opened a quoted field at row 3's " and read every line up to the next quote
    into that one text: 200 rows in, 150 scored, 0 skipped, no word."""
    rows = [(str(i % 2), f"{REVIEWS[i % 6]}{i}") for i in range(60)]
    rows[2] = ("0", '"' + rows[2][1])  # a review that opens with a quotation mark
    rows[40] = ("1", '"' + rows[40][1])  # and another one 38 rows later
    path = tmp_path / "naive.csv"
    _unquoted(path, rows)
    table = read_table(path)
    assert len(table) == 58 and table.attrs["rows_read"] == 60
    assert [line for line, _ in table.attrs["rejected"]] == [4, 42]
    assert not table["review"].str.contains("\n").any()
    assert table.attrs["lines"][:3] == [2, 3, 5]
    message = rejected_line(path, *table.attrs["rejected"][0])
    assert message.startswith("naive.csv line 4: malformed CSV (unclosed quote?") and "remove the \"" in message


def test_paired_quotes_inside_a_text_are_text(tmp_path) -> None:
    path = tmp_path / "quotes.csv"
    _unquoted(path, [("1", '"真的"很棒'), ("0", "太差了")])
    assert read_table(path)["review"].tolist() == ['"真的"很棒', "太差了"]


def test_an_unquoted_comma_rejects_its_row_and_names_the_fix(tmp_path) -> None:
    """The first row with more fields than the header was an error that stopped the run;
    it is now rejected by line as `opinion load` rejects it, and the rest is read."""
    path = tmp_path / "comma.csv"
    path.write_text("text,label\n房间很大,就是有点吵,0\n服务很好,1\n早餐太差了,0\n", encoding="utf-8")
    table = read_table(path)
    assert table["text"].tolist() == ["服务很好", "早餐太差了"] and table.attrs["rows_read"] == 3
    ((line, why),) = table.attrs["rejected"]
    assert line == 2 and "3 fields, header has 2" in why and "quote" in why


def test_excel_keeps_none_and_na_cells_as_csv_does(tmp_path) -> None:
    """Excel was read with pandas' NA strings: NLPCC's label None and the texts NA/null were
    blank there but kept in the same table as CSV (n 3 vs 6)."""
    frame = pd.DataFrame([("今天心情不错", "like"), ("无所谓", "None"), ("NA", "none"), ("null", "like")],
                         columns=["text", "label"])
    frame.to_excel(tmp_path / "nlpcc.xlsx", index=False)
    frame.to_csv(tmp_path / "nlpcc.csv", index=False)
    excel, csv = read_table(tmp_path / "nlpcc.xlsx"), read_table(tmp_path / "nlpcc.csv")
    assert excel.to_dict("records") == csv.to_dict("records") == frame.to_dict("records")


@pytest.mark.parametrize("name", ["excel_unicode.txt", "tabs.csv"])
def test_a_tab_separated_file_by_another_name_is_split_at_tabs(tmp_path, name) -> None:
    """Excel's "Unicode Text" (UTF-16, tabs, .txt) was split at commas: "no column 'text';
    found ['text\\tlabel']", a fix about columns for a file whose delimiter was the problem."""
    path = tmp_path / name
    path.write_bytes("text\tlabel\n很好，真的\t1\n太差\t0\n".encode("utf-16"))
    table = read_table(path)
    assert table.to_dict("records") == [{"text": "很好，真的", "label": "1"}, {"text": "太差", "label": "0"}]
    assert any("split by tabs" in note and "--columns" not in note for note in table.attrs["notes"])


def test_jsonl_nulls_are_missing_and_numbers_are_strings(tmp_path) -> None:
    path = tmp_path / "labels.jsonl"
    path.write_text('{"text": "很好", "label": 1}\n{"text": null, "label": 0}\n{"text": "太差", "label": -1.0}\n',
                    encoding="utf-8")
    assert read_table(path).to_dict("records") == [{"text": "很好", "label": "1"},
                                                   {"text": None, "label": "0"},
                                                   {"text": "太差", "label": "-1.0"}]


def test_a_file_without_a_header_line_is_one_error(tmp_path) -> None:
    path = tmp_path / "headless.csv"
    path.write_text("1,很好吃\n0,太难吃了，再也不来了\n", encoding="utf-8")
    with pytest.raises(InputError, match="does not look like column names.*add a header line"):
        read_table(path)
