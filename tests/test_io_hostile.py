"""Hostile inputs for the readers (issue 13, items 2, 3, 4 and 8): each minimal input loads
the right rows or stops with one line, and loaded + rejected = rows read.

The texts are real Weibo posts from ``tests/data/text/weibo_sample.tsv``.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from opinion import schema as S
from opinion.cli import app
from opinion.errors import InputError
from opinion.io.load import load_corpus
from opinion.io.workspace import Workspace

DATA = Path(__file__).parent / "data"
POSTS = [line.split("\t", 1)[1].strip()[:60] for line in
         (DATA / "text" / "weibo_sample.tsv").read_text(encoding="utf-8").splitlines()[1:13]]
KB = 1 / 1024  # --max-field-mb of one kilobyte


def _load(paths, ws, **kwargs):
    report = load_corpus([str(p) for p in paths], ws, **kwargs)
    for f in report.files:
        assert f.rows_read == f.rows_loaded + f.rows_rejected, f
    return report


def _corpus(ws: Path) -> pd.DataFrame:
    return Workspace.open(ws).read(S.CORPUS)


def _reasons(ws: Path) -> dict[int, str]:
    with open(ws / "rejects.csv", encoding="utf-8-sig", newline="") as fh:
        return {int(row["row"]): row["reason"] for row in csv.DictReader(fh)}


def _cli(*args: str):
    return CliRunner().invoke(app, list(args))


# --- item 2: header detection refuses to guess silently -------------------------------------

def test_hostile_pandas_index_column_is_an_index_not_a_document(tmp_path):
    path = tmp_path / "to_csv.csv"
    path.write_text(f",date,text\n0,2020-01-24 10:00:00,{POSTS[0]}\n1,2020-01-25 11:00:00,"
                    f"{POSTS[1]}\n", encoding="utf-8")
    report = _load([path], tmp_path / "ws")
    assert report.files[0].rows_read == 2
    df = _corpus(tmp_path / "ws")
    assert df[S.TEXT_RAW].tolist() == POSTS[:2]
    assert df[S.PUBLISHED_AT].tolist() == [pd.Timestamp("2020-01-24 10:00"),
                                           pd.Timestamp("2020-01-25 11:00")]
    assert json.loads(df[S.META].iloc[1]) == {"index": "1"}
    pd.DataFrame({"text": POSTS[:2]}).to_excel(tmp_path / "to_excel.xlsx")  # index too
    _load([tmp_path / "to_excel.xlsx"], tmp_path / "ws2")
    assert json.loads(_corpus(tmp_path / "ws2")[S.META].iloc[1]) == {"index": 1}


def test_hostile_excel_sep_line_sets_the_delimiter(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_text(f"sep=;\r\ndate;text\r\n2020-01-24;{POSTS[2]}\r\n", encoding="utf-8-sig")
    _load([path], tmp_path / "ws")
    df = _corpus(tmp_path / "ws")
    assert df[S.TEXT_RAW].tolist() == [POSTS[2]] and df[S.INPUT_ROW].tolist() == [3]


@pytest.mark.parametrize("delimiter, name", [("\t", "tabs"), (";", "semicolons"), ("|", "vertical bars")])
def test_hostile_csv_split_by_another_delimiter_is_read_with_a_note(tmp_path, delimiter, name):
    path = tmp_path / "export.csv"  # a tab-separated file saved as .csv, and the like
    path.write_text(f"date{delimiter}text\n2020-01-24{delimiter}{POSTS[2]}\n"
                    f"2020-01-25{delimiter}{POSTS[3]}, 转发\n", encoding="gb18030")
    report = load_corpus([str(path)], tmp_path / "ws")
    df = _corpus(tmp_path / "ws")
    assert df[S.TEXT_RAW].tolist() == [POSTS[2], f"{POSTS[3]}, 转发"]
    assert df[S.PUBLISHED_AT].notna().all()
    assert report.files[0].notes == [f"{path}: the header is split by {name}, not by commas: "
                                     "read as such (pass --columns to read it otherwise)"]


def test_hostile_title_line_above_a_csv_header_is_rejected_and_the_header_read(tmp_path):
    path = tmp_path / "export.csv"  # 舆情 monitoring exports put a title line above the header
    path.write_text(f"舆情监测导出 2020-02-01\n标题,正文,发布时间\n武汉,{POSTS[2]},2020-01-24\n",
                    encoding="gb18030")
    report = _load([path], tmp_path / "ws")
    df = _corpus(tmp_path / "ws")
    assert df[S.TEXT_RAW].tolist() == [POSTS[2]] and df[S.INPUT_ROW].tolist() == [3]
    assert report.files[0].rows_rejected == 1
    reasons = _reasons(tmp_path / "ws")
    assert list(reasons) == [1] and reasons[1].startswith("title line above the header row")


def test_hostile_several_title_lines_over_a_header_are_rejected_and_the_header_read(tmp_path):
    """A 舆情 export with a report name and an export time over its header (a blank line
    between), as CSV and as .xlsx: both lines are rejected rows, the header below names the
    columns; one-cell lines and nothing wider stay a one-column file."""
    from openpyxl import Workbook

    titles = [["某某舆情监测系统导出数据", ""], ["导出时间：2020-02-05 10:00", ""]]
    rows = [["标题", "正文"], ["口罩", POSTS[0]], ["加油", POSTS[1]]]
    with open(tmp_path / "export.csv", "w", encoding="gb18030", newline="") as fh:
        csv.writer(fh).writerows([*titles, [], *rows])
    book = Workbook()
    for row in [*titles, [], *rows]:
        book.active.append(row)
    book.save(tmp_path / "export.xlsx")
    (tmp_path / "one.csv").write_text("\n".join(POSTS[:7]) + "\n", encoding="utf-8")  # no header
    report = _load([tmp_path / "export.csv", tmp_path / "export.xlsx", tmp_path / "one.csv"],
                   tmp_path / "ws")
    assert [(f.rows_loaded, f.rows_rejected) for f in report.files] == [(2, 2), (2, 2), (7, 0)]
    corpus = _corpus(tmp_path / "ws")
    assert corpus[S.TEXT_RAW].tolist() == [*POSTS[:2], *POSTS[:2], *POSTS[:7]]
    assert corpus[S.TITLE].tolist()[:4] == ["口罩", "加油"] * 2
    with open(tmp_path / "ws" / "rejects.csv", encoding="utf-8-sig", newline="") as fh:
        rejected = [(r["row"], r["raw"], r["reason"][:10]) for r in csv.DictReader(fh)]
    assert rejected == [("1", titles[0][0], "title line"), ("2", titles[1][0], "title line")] * 2


def test_hostile_merged_group_cells_over_the_header_are_rejected_and_the_header_read(tmp_path):
    """Exports with a two-level header (基本信息 | 内容信息 merged over 序号, 发布时间, 标题, 正文),
    with and without a title line over them, as CSV and .xlsx: each row above the column
    names is one rejected row and the header below names the columns."""
    from openpyxl import Workbook

    group = ["基本信息", "", "内容信息", ""]
    header = ["序号", "发布时间", "标题", "正文"]
    data = [["1", "2020-02-01 10:00", "口罩", POSTS[0]], ["2", "2020-02-02 11:00", "加油", POSTS[1]]]
    for name, rows in (("group", [group, header, *data]), ("titled", [["某某舆情报告", "", "", ""], group, header, *data])):
        with open(tmp_path / f"{name}.csv", "w", encoding="gb18030", newline="") as fh:
            csv.writer(fh).writerows(rows)
        book = Workbook()
        for row in rows:
            book.active.append([cell or None for cell in row])
        book.active.merge_cells(f"A{len(rows) - 3}:B{len(rows) - 3}")
        book.save(tmp_path / f"{name}.xlsx")
    inputs = [tmp_path / n for n in ("group.csv", "group.xlsx", "titled.csv", "titled.xlsx")]
    report = _load(inputs, tmp_path / "ws")
    assert [(f.rows_loaded, f.rows_rejected) for f in report.files] == [(2, 1), (2, 1), (2, 2), (2, 2)]
    corpus = _corpus(tmp_path / "ws")
    assert corpus[S.TEXT_RAW].tolist() == POSTS[:2] * 4 and corpus[S.PUBLISHED_AT].notna().all()
    with open(tmp_path / "ws" / "rejects.csv", encoding="utf-8-sig", newline="") as fh:
        raws = [(r["row"], r["raw"]) for r in csv.DictReader(fh)]
    assert raws == [("1", "基本信息 | 内容信息")] * 2 + [("1", "某某舆情报告"), ("2", "基本信息 | 内容信息")] * 2


def test_hostile_empty_columns_after_the_header_names_keep_the_header(tmp_path):
    """An Excel CSV export with empty columns after the last name (``标题,正文,发布时间,,``):
    the first line is the header, not a document whose text is 正文."""
    path = tmp_path / "export.csv"
    path.write_text(f"标题,正文,发布时间,,\n口罩,{POSTS[0]},2020-02-01,,\n加油,{POSTS[1]},2020-02-02,,\n",
                    encoding="utf-8")
    report = _load([path], tmp_path / "ws")
    df = _corpus(tmp_path / "ws")
    assert df[S.TEXT_RAW].tolist() == POSTS[:2] and df[S.TITLE].tolist() == ["口罩", "加油"]
    assert df[S.PUBLISHED_AT].notna().all() and report.files[0].rows_rejected == 0


def test_hostile_text_of_only_invisible_characters_is_rejected_as_empty(tmp_path):
    path = tmp_path / "zw.csv"  # zero-width spaces and a BOM: nothing a reader could see
    path.write_text(f"id,text\n1,\u200b\u200b\n2,\ufeff \u200d\n3,武\u200b汉{POSTS[0]}\n", encoding="utf-8")
    report = _load([path], tmp_path / "ws")
    assert (report.files[0].rows_loaded, report.files[0].rows_rejected) == (1, 2)
    assert set(_reasons(tmp_path / "ws").values()) == {"empty text (only invisible characters)"}


def test_hostile_headline_without_body_is_loaded_as_its_title_not_rejected(tmp_path):
    path = tmp_path / "news.csv"  # a news export: one article's body is missing, another's is blank
    path.write_text(f"标题,正文\n武汉封城,\n双黄连,{POSTS[1]}\n,\n口罩到货,\u200b\n", encoding="gb18030")
    report = _load([path], tmp_path / "ws")
    f = report.files[0]
    assert (f.rows_read, f.rows_loaded, f.rows_rejected, f.duplicates) == (4, 3, 1, 0)
    assert any("2 row(s) have a title and no text" in note for note in f.notes)
    df = _corpus(tmp_path / "ws")
    assert df[S.TITLE].tolist() == ["武汉封城", "双黄连", "口罩到货"]
    assert df[S.TEXT_RAW].tolist() == ["", POSTS[1], ""]
    assert _reasons(tmp_path / "ws") == {4: "empty text"}  # neither title nor text


def test_hostile_one_column_csv_keeps_its_delimiter_when_rows_disagree(tmp_path):
    path = tmp_path / "one.csv"  # "text;tags" would split, but the row below has no ;
    path.write_text(f"text;tags\n{POSTS[2]}\n", encoding="utf-8")
    report = load_corpus([str(path)], tmp_path / "ws", text_col="text;tags")
    assert _corpus(tmp_path / "ws")[S.TEXT_RAW].tolist() == [POSTS[2]]
    assert report.files[0].notes == []


def test_hostile_repeated_column_names_get_suffixes(tmp_path):
    path = tmp_path / "repeat.csv"
    path.write_text(f"text,text,date\n{POSTS[3]},转发,2020-01-24\n", encoding="utf-8")
    _load([path], tmp_path / "ws")
    df = _corpus(tmp_path / "ws")
    assert df[S.TEXT_RAW].tolist() == [POSTS[3]]
    assert json.loads(df[S.META].iloc[0]) == {"text_2": "转发"}


def test_hostile_dates_chosen_as_text_stop_with_one_line(tmp_path):
    path = tmp_path / "noheader.csv"
    path.write_text("2020-01-24 10:00:00,好\n2020-01-25 10:00:00,差\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"noheader.csv: the text column 'column_1' holds dates "
                                         r".*column_1 \(date\), column_2 \(text\).*--text-col"):
        _load([path], tmp_path / "ws")
    result = _cli("load", str(path), "-w", str(tmp_path / "ws"))
    assert result.exit_code == 1 and result.output.count("\n") == 1
    assert "Traceback" not in result.output
    _load([path], tmp_path / "ws", text_col="column_2")  # the way out the message gives


def test_hostile_numbers_in_a_text_named_column_stop(tmp_path):
    path = tmp_path / "scores.csv"
    path.write_text("id,comment\n1,5\n2,3\n", encoding="utf-8")
    with pytest.raises(InputError, match="text column 'comment' holds numbers"):
        _load([path], tmp_path / "ws")


# --- item 3: bounded memory, field too long -------------------------------------------------

def test_hostile_line_over_the_limit_is_rejected_gzip_too(tmp_path):
    body = f"id,text\n1,{POSTS[0]}\n2,{'疫' * 2000}\n3,{POSTS[1]}\n"
    (tmp_path / "long.csv.gz").write_bytes(gzip.compress(body.encode()))
    report = _load([tmp_path / "long.csv.gz"], tmp_path / "ws", max_field_mb=KB)
    assert (report.files[0].rows_loaded, report.files[0].rows_rejected) == (2, 1)
    assert _reasons(tmp_path / "ws")[3].startswith("field too long: line 3 of 6,003 bytes")
    assert _corpus(tmp_path / "ws")[S.TEXT_RAW].tolist() == POSTS[:2]


def test_hostile_quoted_record_over_the_limit_is_rejected(tmp_path):
    lines = "\n".join(["疫情" * 100] * 10)
    path = tmp_path / "quoted.csv"
    path.write_text(f'id,text\n1,"{lines}"\n2,{POSTS[0]}\n', encoding="utf-8")
    report = _load([path], tmp_path / "ws", max_field_mb=KB)
    assert "quoted field longer than" in _reasons(tmp_path / "ws")[2]
    assert POSTS[0] in _corpus(tmp_path / "ws")[S.TEXT_RAW].tolist()
    assert report.files[0].rows_read == report.files[0].rows_loaded + report.files[0].rows_rejected


def test_hostile_jsonl_utf16_and_documents_over_the_limit(tmp_path):
    jsonl = tmp_path / "a.jsonl"
    jsonl.write_text(json.dumps({"text": POSTS[0]}, ensure_ascii=False) + "\n"
                     + json.dumps({"text": "疫" * 2000}, ensure_ascii=False) + "\n",
                     encoding="utf-8")
    wide = tmp_path / "b.tsv"
    wide.write_bytes(f"text\n{'疫' * 2000}\n{POSTS[1]}\n".encode("utf-16"))
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "short.txt").write_text(POSTS[2], encoding="utf-8")
    (docs / "long.txt").write_text("疫" * 2000, encoding="utf-8")
    report = _load([jsonl, wide, docs], tmp_path / "ws", max_field_mb=KB)
    assert [(f.rows_loaded, f.rows_rejected) for f in report.files] == [(1, 1), (1, 1), (1, 1)]
    with open(tmp_path / "ws" / "rejects.csv", encoding="utf-8-sig", newline="") as fh:
        reasons = [row["reason"] for row in csv.DictReader(fh)]
    assert all(r.startswith("field too long") for r in reasons), reasons
    assert sorted(_corpus(tmp_path / "ws")[S.TEXT_RAW]) == sorted(POSTS[:3])


def test_hostile_json_file_over_the_limit_is_one_line(tmp_path):
    path = tmp_path / "big.json"
    path.write_text(json.dumps([{"text": p} for p in POSTS] * 5, ensure_ascii=False),
                    encoding="utf-8")
    with pytest.raises(InputError, match=r"big.json: a JSON file is read whole .* over the "
                                         r"limit .*JSON Lines"):
        _load([path], tmp_path / "ws", max_field_mb=KB)


def test_hostile_max_field_mb_must_be_positive(tmp_path):
    with pytest.raises(InputError, match="max_field_mb must be more than 0"):
        load_corpus(["x.csv"], tmp_path / "ws", max_field_mb=0)


# --- item 4: values never abort a load ------------------------------------------------------

def test_hostile_impossible_and_far_dates_become_missing_and_counted(tmp_path):
    path = tmp_path / "dates.csv"
    path.write_text(f"date,text\n2020-02-30T10:00Z,{POSTS[0]}\n9999-12-31,{POSTS[1]}\n"
                    f"2020-01-24,{POSTS[2]}\n,{POSTS[3]}\n", encoding="utf-8")
    f = _load([path], tmp_path / "ws").files[0]
    assert (f.rows_loaded, f.dates_missing, f.dates_unreadable) == (4, 3, 2)
    assert f.notes == [f"{path}: 2 value(s) of date column 'date' could not be read (e.g. "
                       "'2020-02-30T10:00Z', '9999-12-31'); those rows are loaded without a date"]
    assert _corpus(tmp_path / "ws")[S.PUBLISHED_AT].notna().tolist() == [False, False, True,
                                                                          False]


def test_hostile_far_dates_in_xlsx_and_parquet(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["date", "text"])
    book.active.append([dt.datetime(9999, 12, 31), POSTS[0]])
    book.active.append([dt.datetime(2020, 1, 24), POSTS[1]])
    book.save(tmp_path / "far.xlsx")
    pq.write_table(pa.table({
        "date": pa.array([dt.datetime(9999, 12, 31), dt.datetime(2020, 1, 24)],
                         pa.timestamp("us")),
        "day": pa.array([dt.date(9999, 12, 31), dt.date(2020, 1, 24)], pa.date32()),
        "text": POSTS[2:4]}), tmp_path / "far.parquet")
    report = _load([tmp_path / "far.xlsx", tmp_path / "far.parquet"], tmp_path / "ws")
    assert [(f.rows_loaded, f.dates_unreadable) for f in report.files] == [(2, 1), (2, 1)]
    corpus = _corpus(tmp_path / "ws")
    meta = json.loads(corpus.loc[corpus[S.INPUT_FILE].str.endswith("far.parquet"), S.META].iloc[0])
    assert meta["day"] == "9999-12-31"  # a far date in another column is kept as written


def test_hostile_json_nested_100000_deep_is_one_rejected_row(tmp_path):
    deep = '{"text": ' + "[" * 100_000 + "]" * 100_000 + "}"
    good = json.dumps({"text": POSTS[0]}, ensure_ascii=False)
    (tmp_path / "deep.jsonl").write_text(f"{good}\n{deep}\n", encoding="utf-8")
    (tmp_path / "deep.json").write_text(f"[{good}, {deep}]", encoding="utf-8")
    report = _load([tmp_path / "deep.jsonl", tmp_path / "deep.json"], tmp_path / "ws")
    assert [(f.rows_read, f.rows_loaded, f.rows_rejected) for f in report.files] == [
        (2, 1, 1), (2, 1, 1)]
    with open(tmp_path / "ws" / "rejects.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["row"] for r in rows] == ["2", "2"]
    assert all("JSON nested too deep" in r["reason"] for r in rows)


# --- item 8: everything else that gave a traceback or a wrong message ----------------------

def test_hostile_truncated_gzip_keeps_rows_before_and_says_so(tmp_path):
    rows = "".join(f"{i},{POSTS[i % len(POSTS)]}{i}\n" for i in range(30_000))
    packed = gzip.compress(f"id,text\n{rows}".encode(), compresslevel=1)
    path = tmp_path / "cut.csv.gz"
    path.write_bytes(packed[: len(packed) * 3 // 4])  # past the first 256 KB unpacked
    report = _load([path], tmp_path / "ws")
    f = report.files[0]
    assert 0 < f.rows_loaded < 30_000 and f.rows_rejected == 1
    assert "cut short or corrupt" in f.notes[0] and "cut.csv.gz" in f.notes[0]
    result = _cli("load", str(path), "-w", str(tmp_path / "ws2"))
    assert result.exit_code == 0 and "Aborted" not in result.output
    assert "warning: " in result.output and "cut short or corrupt" in result.output


def test_hostile_xlsx_gz_and_uncached_formulas(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["text", "n"])
    for i in range(5):
        book.active.append([f'="{POSTS[i]}"', f"=1+{i}"])  # never calculated: no saved value
    book.save(tmp_path / "formulas.xlsx")
    book = Workbook()
    book.active.append(["text"])
    book.active.append([POSTS[5]])
    book.save(tmp_path / "plain.xlsx")
    (tmp_path / "plain.xlsx.gz").write_bytes(gzip.compress((tmp_path / "plain.xlsx").read_bytes()))
    (tmp_path / "plain.xlsx").unlink()
    report = _load([tmp_path / "formulas.xlsx", tmp_path / "plain.xlsx.gz"], tmp_path / "ws")
    assert [(f.rows_read, f.rows_loaded, f.rows_rejected) for f in report.files] == [
        (5, 0, 5), (1, 1, 0)]
    reasons = _reasons(tmp_path / "ws")
    assert "formula without a saved value in column text" in reasons[2]
    assert _corpus(tmp_path / "ws")[S.TEXT_RAW].tolist() == [POSTS[5]]


def test_hostile_xlsx_from_pandas_keeps_text_that_starts_with_equals(tmp_path):
    """pandas writes a post starting with "=" as a formula, and xlsxwriter saves 0 as its value;
    the workbook asks to be recalculated on opening, so that 0 is no text: the row is rejected
    with its formula and the fix, never loaded as "0"."""
    frame = pd.DataFrame({"text": ["=_= 无语了，又排队", POSTS[0], '=HYPERLINK("http://x.cn","点我")']})
    frame.to_excel(tmp_path / "export.xlsx", index=False, engine="xlsxwriter")
    report = _load([tmp_path / "export.xlsx"], tmp_path / "ws")
    assert (report.files[0].rows_loaded, report.files[0].rows_rejected) == (1, 2)
    assert _corpus(tmp_path / "ws")[S.TEXT_RAW].tolist() == [POSTS[0]]
    reasons = _reasons(tmp_path / "ws")
    assert "formula without a saved value in column text (=_= 无语了，又排队)" in reasons[2]
    assert "HYPERLINK" in reasons[4]


def test_hostile_headlines_only_and_json_lines_without_the_text_field(tmp_path):
    (tmp_path / "titles.csv").write_text("标题,类别\n" + "\n".join(f"{p[:20]},社会" for p in POSTS[:3]),
                                         encoding="gb18030")
    (tmp_path / "posts.jsonl").write_text(
        json.dumps({"content": POSTS[3]}, ensure_ascii=False) + "\n"
        + json.dumps({"text": POSTS[4], "time": "2020-02-02"}, ensure_ascii=False) + "\n"
        + json.dumps({"content": ""}) + "\n", encoding="utf-8")
    report = _load([tmp_path / "titles.csv", tmp_path / "posts.jsonl"], tmp_path / "ws")
    titles, posts = report.files
    assert titles.rows_loaded == 3 and any("read from the title column '标题'" in n for n in titles.notes)
    assert set(_corpus(tmp_path / "ws")[S.TEXT_RAW]) == {*(p[:20] for p in POSTS[:3]), POSTS[3]}
    reasons = _reasons(tmp_path / "ws")
    assert reasons[2] == ("empty text: no field 'content' in this row (it has text, time); "
                          "rename the field or pass --text-col NAME")
    assert reasons[3] == "empty text"  # the field is there, empty
    assert not any("title column" in n for n in posts.notes)


def test_hostile_chinese_only_utf16_without_bom(tmp_path):
    path = tmp_path / "u16.csv"
    path.write_bytes(("正文\n" + "\n".join(POSTS[:3]) + "\n").encode("utf-16-le"))
    for i, encoding in enumerate(("auto", "utf-16-le")):
        report = _load([path], tmp_path / f"ws{i}", encoding=encoding)
        assert report.files[0].rows_loaded == 3 and report.files[0].encoding == "utf-16-le"
    assert _corpus(tmp_path / "ws0")[S.TEXT_RAW].tolist() == POSTS[:3]


def test_hostile_named_encoding_is_honoured_or_one_line(tmp_path):
    wrong = tmp_path / "gbk.csv"
    wrong.write_bytes(("text\n" + "\n".join(POSTS[:3]) + "\n").encode("gb18030"))
    with pytest.raises(InputError, match=r"gbk.csv: not utf-8 as --encoding says .* looks like "
                                         r"gb18030: pass --encoding gb18030"):
        _load([wrong], tmp_path / "ws", encoding="utf-8")
    mixed = tmp_path / "mixed.csv"  # UTF-8 with one GB18030 line among twelve
    lines = [p.encode("gb18030") if i == 5 else p.encode() for i, p in enumerate(POSTS)]
    mixed.write_bytes(b"text\n" + b"\n".join(lines) + b"\n")
    named = _load([mixed], tmp_path / "named", encoding="utf-8").files[0]
    auto = _load([mixed], tmp_path / "auto").files[0]
    assert (named.rows_loaded, named.decode_errors, named.other_encoding_rows) == (12, 1, 0)
    assert "\ufffd" in _corpus(tmp_path / "named")[S.TEXT_RAW].iloc[5]  # not re-read as GB18030
    assert (auto.rows_loaded, auto.decode_errors) == (12, 0)  # auto: every line read right
    assert _corpus(tmp_path / "auto")[S.TEXT_RAW].tolist() == POSTS


def test_hostile_cr_only_csv_loads(tmp_path):
    path = tmp_path / "mac.csv"
    path.write_bytes(("id,text\r" + "".join(f'{i},"{p}"\r' for i, p in enumerate(POSTS[:3]))
                      + '9,"两行\r之间"\r').encode("utf-8"))
    report = _load([path], tmp_path / "ws")
    assert (report.files[0].rows_loaded, report.files[0].rows_rejected) == (4, 0)
    df = _corpus(tmp_path / "ws")
    assert df[S.TEXT_RAW].tolist() == [*POSTS[:3], "两行\r之间"]
    assert df[S.INPUT_ROW].tolist() == [2, 3, 4, 5]


def test_hostile_parquet_value_over_the_limit_is_rejected(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"text": [POSTS[0], "疫" * 2000, POSTS[1]]}), tmp_path / "p.parquet")
    report = _load([tmp_path / "p.parquet"], tmp_path / "ws", max_field_mb=KB)
    assert (report.files[0].rows_loaded, report.files[0].rows_rejected) == (2, 1)
    assert _reasons(tmp_path / "ws")[2].startswith("field too long: column text of 6,000 bytes")


@pytest.mark.parametrize("chunk", [1, 3, 7, 64])
def test_hostile_lines_split_the_same_across_chunk_edges(chunk):
    import io

    from opinion.io.lines import LineTooLong, raw_lines

    lines = [p.encode() + b"\n" for p in ("武汉", "加油" * 9, "", "中国", "x" * 30)]
    got = list(raw_lines(io.BytesIO(b"".join(lines) + b"tail"), 20, chunk_bytes=chunk))
    assert got == [lines[0], LineTooLong(55, 20), lines[2], lines[3], LineTooLong(31, 20),
                   b"tail"]


def test_rejects_csv_cells_are_inert_and_one_record_each(tmp_path):
    """Issue 13: rejects.csv is an export too: no live formula, a CR keeps its row whole."""
    import csv

    from opinion.io.rejects import append_rejects

    path = tmp_path / "rejects.csv"
    append_rejects(path, [
        {"file": "=evil.csv", "row": 2, "reason": "empty text", "raw": "武汉加油\r=cmd|' /C calc'!A0",
         "input_key": "a"},
        {"file": "b.csv", "row": 3, "reason": "empty text", "raw": " @SUM(A1)", "input_key": "b"},
    ])
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 2
    assert rows[0]["file"] == "'=evil.csv" and rows[0]["raw"] == "武汉加油\r=cmd|' /C calc'!A0"
    assert rows[1]["raw"] == "' @SUM(A1)"


def test_hostile_xlsx_title_line_above_the_header(tmp_path):
    """舆情 system exports put a title line over the header: it is one rejected row, the header
    below it names the columns; a one-column sheet keeps its first row as the header."""
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["舆情监测导出 2020-02-01"])
    book.active.append([])
    book.active.append(["标题", "正文", "发布时间"])
    book.active.append(["口罩", POSTS[0], "2020-02-01 10:00"])
    book.active.append(["加油", POSTS[1], "2020/2/2"])
    book.save(tmp_path / "export.xlsx")
    one = Workbook()
    for row in (["正文"], [POSTS[2]], [POSTS[3]]):
        one.active.append(row)
    one.save(tmp_path / "one.xlsx")
    report = _load([tmp_path / "export.xlsx", tmp_path / "one.xlsx"], tmp_path / "ws")
    assert [(f.rows_read, f.rows_loaded, f.rows_rejected) for f in report.files] == [(3, 2, 1), (2, 2, 0)]
    corpus = _corpus(tmp_path / "ws")
    assert corpus[S.TEXT_RAW].tolist() == POSTS[:4] and corpus[S.TITLE].tolist()[:2] == ["口罩", "加油"]
    with open(tmp_path / "ws" / "rejects.csv", encoding="utf-8-sig", newline="") as fh:
        rejected = list(csv.DictReader(fh))
    assert [(r["row"], r["raw"]) for r in rejected] == [("1", "舆情监测导出 2020-02-01")]
