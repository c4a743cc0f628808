"""Hostile Excel workbooks (findings of 2026-12-07: items 1, 3, 4, 8 and the minor ones): each
workbook is written with openpyxl (or pandas), then its XML patched the way WPS, Excel or
other writers save it; every row is read, and loaded + rejected = rows read.

The texts are real Weibo posts from ``tests/data/text/weibo_sample.tsv``.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest
from test_io_hostile import _corpus, _load

from opinion import schema as S
from opinion.io.workbooks import ExcelTable, workbook_sheets

DATA = Path(__file__).parent / "data"
POSTS = [line.split("\t", 1)[1].strip()[:40] for line in
         (DATA / "text" / "weibo_sample.tsv").read_text(encoding="utf-8").splitlines()[1:21]]




def _reasons(ws: Path) -> dict[int, tuple[str, str]]:
    with open(ws / "rejects.csv", encoding="utf-8-sig", newline="") as fh:
        return {int(row["row"]): (row["reason"], row["raw"]) for row in csv.DictReader(fh)}


def _patch(path: Path, edits: dict[str, Callable[[str], str]]) -> None:
    """Rewrite members of the workbook at ``path`` (``xl/worksheets/sheet1.xml`` …)."""
    with zipfile.ZipFile(path) as z:
        members = [(info, z.read(info.filename)) for info in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in members:
            if info.filename in edits:
                data = edits[info.filename](data.decode("utf-8")).encode("utf-8")
            out.writestr(info, data)


def _dimension(ref: str) -> Callable[[str], str]:
    return lambda xml: re.sub(r'<dimension ref="[^"]*"/>', f'<dimension ref="{ref}"/>', xml)


# --- item 1: a wrong <dimension> (WPS, streaming writers) ------------------------------------

@pytest.mark.parametrize("ref", ["A1", "A1:B5"])
def test_excel_wrong_dimension_reads_every_row_and_column(tmp_path, ref):
    """WPS saves ``<dimension ref="A1"/>``; openpyxl's read-only mode trusted it: 0 of 20 rows
    were read (``A1:B5``: 4 rows, without the date column C), with no word."""
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["标题", "内容", "发布时间"])
    for i in range(20):
        book.active.append([f"标题{i}", POSTS[i], f"2020-02-{i + 1:02d} 10:00"])
    notes = book.create_sheet("备注")  # column A empty: only a full read finds its data
    notes.append([None, "内容", "发布时间"])
    notes.append([None, POSTS[0], "2020-03-01"])
    path = tmp_path / "wps.xlsx"
    book.save(path)
    _patch(path, {"xl/worksheets/sheet1.xml": _dimension(ref), "xl/worksheets/sheet2.xml": _dimension("A1")})
    report = _load([path], tmp_path / "ws")
    f = report.files[0]
    assert (f.rows_read, f.rows_loaded, f.rows_rejected, f.dates_missing) == (20, 20, 0, 0)
    corpus = _corpus(tmp_path / "ws")
    assert corpus[S.TEXT_RAW].tolist() == POSTS
    assert corpus[S.PUBLISHED_AT].iloc[-1] == pd.Timestamp("2020-02-20 10:00")
    assert "'备注'" in f.notes[0]  # the other sheet is seen to hold data
    assert workbook_sheets(path) == ["Sheet", "备注"]


# --- item 3: a formula whose saved value is "" ----------------------------------------------

def test_excel_formula_with_an_empty_saved_value_loads_and_one_without_a_value_is_rejected(tmp_path):
    """Excel saves ``=IF(A2="重要","关注","")`` as ``<f>…</f><v></v>``: the row loads (it was
    rejected as "formula without a saved value"); a formula with no ``<v>`` at all, here a
    shared formula, is still rejected with its formula translated to its own row."""
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["标题", "正文", "发布时间", "备注"])
    for i, title in enumerate(["口罩", "重要", "加油"]):
        book.active.append([title, POSTS[i], f"2020-02-0{i + 1}", f'=IF(A{i + 2}="重要","关注","")'])
    path = tmp_path / "report.xlsx"
    book.save(path)
    saved = {"D2": '<f>IF(A2="重要","关注","")</f><v></v>', "D3": '<f t="shared" ref="D3:D4" si="0">'
             'IF(A3="重要","关注","")</f><v>关注</v>', "D4": '<f t="shared" si="0"/>'}

    def excel(xml: str) -> str:
        for ref, body in saved.items():
            xml = re.sub(rf'<c r="{ref}"[^>]*>.*?</c>', f'<c r="{ref}" t="str">{body}</c>', xml)
        return xml

    _patch(path, {"xl/worksheets/sheet1.xml": excel,
                  "xl/workbook.xml": lambda xml: xml.replace(' fullCalcOnLoad="1"', "")})
    report = _load([path], tmp_path / "ws")
    assert (report.files[0].rows_loaded, report.files[0].rows_rejected) == (2, 1)
    corpus = _corpus(tmp_path / "ws")
    assert corpus[S.TEXT_RAW].tolist() == POSTS[:2]
    assert [json.loads(m).get("备注") for m in corpus[S.META]] == [None, "关注"]
    reason, raw = _reasons(tmp_path / "ws")[4]
    assert 'formula without a saved value in column 备注 (=IF(A4="重要","关注",""))' in reason
    assert raw == f'加油\t{POSTS[2]}\t2020-02-03\t=IF(A4="重要","关注","")'


# --- item 4: _xHHHH_ escapes -----------------------------------------------------------------

def test_excel_x000d_escapes_are_undone_in_shared_and_inline_strings(tmp_path):
    """pandas' xlsxwriter stores a CR as ``_x000D_`` in the shared strings; openpyxl writes
    inline strings as they are. Both read as Excel shows them: ``_x000D_`` a CR,
    ``_x005F_x0041_`` the text ``_x0041_``, half an emoji a broken character (U+FFFD)."""
    from openpyxl import Workbook

    crlf, bell, literal = f"{POSTS[0]}\r\n{POSTS[1]}", f"含\x07控制符{POSTS[2]}", f"正常_x0041_文字{POSTS[3]}"
    pd.DataFrame({"内容": [crlf, bell, literal], "发布时间": ["2020-02-01"] * 3}).to_excel(
        tmp_path / "shared.xlsx", index=False, engine="xlsxwriter")
    book = Workbook()
    book.active.append(["内容", "发布时间"])
    written = [f"{POSTS[4]}_x000D_\n{POSTS[5]}", f"{POSTS[6]}_x005F_x000D_", f"{POSTS[7]}_xD83D__xDE37_",
               f"{POSTS[8]}_xD83D_"]
    for text in written:
        book.active.append([text, "2020-02-02"])
    book.save(tmp_path / "inline.xlsx")
    report = _load([tmp_path / "shared.xlsx", tmp_path / "inline.xlsx"], tmp_path / "ws")
    assert {Path(f.path).name: f.decode_errors for f in report.files} == {"shared.xlsx": 0, "inline.xlsx": 1}
    assert sorted(_corpus(tmp_path / "ws")[S.TEXT_RAW]) == sorted([
        crlf, bell, literal, f"{POSTS[4]}\r\n{POSTS[5]}", f"{POSTS[6]}_x000D_", f"{POSTS[7]}😷",
        f"{POSTS[8]}\ufffd"])


# --- item 8: merged cells ----------------------------------------------------------------------

def test_excel_merged_cells_give_their_value_to_every_row_they_span(tmp_path):
    """A 舆情日报 with 日期 merged over a day's rows and 来源 over an outlet's: every row is
    dated and sourced (rows 2–4 were undated). A title merged across the top stays a title, a
    merged range running over blank rows adds no row, a heading merged across a row is not
    copied into its other columns."""
    from openpyxl import Workbook

    sheet = Workbook().active
    sheet.append(["舆情日报 2020年2月", None, None, None])
    sheet.append(["日期", "来源", "标题", "内容"])
    sheet.append([dt.datetime(2020, 2, 1), "人民网", "标题1", POSTS[0]])
    sheet.append([None, None, "标题2", POSTS[1]])
    sheet.append([None, "新华网", "标题3", POSTS[2]])
    sheet.append([dt.datetime(2020, 2, 2), None, "标题4", POSTS[3]])
    sheet.append(["二、负面舆情", None, None, None])
    sheet.append([dt.datetime(2020, 2, 3), "澎湃新闻", "标题5", POSTS[4]])
    sheet.append([None, None, None, None])
    for ref in ("A1:D1", "A3:A5", "B3:B4", "B5:B6", "A7:D7", "A8:A9", "B8:B9"):
        sheet.merge_cells(ref)
    path = tmp_path / "日报.xlsx"
    sheet.parent.save(path)
    report = _load([path], tmp_path / "ws")
    f = report.files[0]
    assert (f.rows_read, f.rows_loaded, f.rows_rejected, f.dates_missing) == (7, 5, 2, 0)
    corpus = _corpus(tmp_path / "ws")
    assert corpus[S.SOURCE].tolist() == ["人民网", "人民网", "新华网", "新华网", "澎湃新闻"]
    assert corpus[S.PUBLISHED_AT].dt.day.tolist() == [1, 1, 1, 2, 3]
    reasons = _reasons(tmp_path / "ws")
    assert sorted(reasons) == [1, 7] and reasons[1][1] == "舆情日报 2020年2月"


# --- minor: hidden first sheet, 1904 date system -----------------------------------------------

def test_excel_default_sheet_is_the_visible_active_one_not_a_hidden_template(tmp_path):
    """A hidden ``模板`` sheet in front of ``数据``: the template's example row was loaded."""
    from openpyxl import Workbook

    book = Workbook()
    template = book.active
    template.title, template.sheet_state = "模板", "hidden"
    template.append(["内容", "发布时间"])
    template.append(["示例：请在此填写微博正文", "2019-01-01"])
    data = book.create_sheet("数据")
    data.append(["内容", "发布时间"])
    for i in range(3):
        data.append([POSTS[i], "2020-02-01"])
    book.create_sheet("汇总").append(["内容"])
    book.active = 0  # the active sheet is the hidden one: the first visible sheet is read
    book.save(tmp_path / "hidden_active.xlsx")
    book.active = 2  # an active visible sheet is read
    book.save(tmp_path / "summary_active.xlsx")
    report = _load([tmp_path / "hidden_active.xlsx"], tmp_path / "ws")
    assert report.files[0].rows_loaded == 3
    assert "read sheet '数据' only; 2 other sheet(s) hold data: '模板' (hidden), '汇总'" in report.files[0].notes[0]
    assert _corpus(tmp_path / "ws")[S.TEXT_RAW].tolist() == POSTS[:3]
    with ExcelTable(tmp_path / "summary_active.xlsx", sheet=None) as table:
        assert table.sheet == "汇总"


def test_excel_1904_date_system_serials_are_read_in_it(tmp_path):
    """A Mac Excel workbook (``date1904``): the serial 42400.5 in a "General" 发布时间 cell is
    2020-02-01 12:00 (read in the 1900 system it was 2016-01-31 12:00); a count is no date."""
    from openpyxl import Workbook
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    book = Workbook()
    book.epoch = CALENDAR_MAC_1904
    book.active.append(["内容", "发布时间", "转发数"])
    book.active.append([POSTS[0], 42400.5, 25000])
    book.active.append([POSTS[1], dt.datetime(2020, 2, 2, 9, 30), 42400])  # a typed date cell
    book.save(tmp_path / "mac.xlsx")
    _load([tmp_path / "mac.xlsx"], tmp_path / "ws")
    corpus = _corpus(tmp_path / "ws")
    assert corpus[S.PUBLISHED_AT].tolist() == [pd.Timestamp("2020-02-01 12:00"), pd.Timestamp("2020-02-02 09:30")]
    assert [json.loads(m)["转发数"] for m in corpus[S.META]] == [25000, 42400]


def test_excel_1904_serials_in_the_column_given_with_date_col(tmp_path):
    """``--date-col 日子``, a name the loader does not know as a date: its serials count from 1904 too."""
    from openpyxl import Workbook
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    book = Workbook()
    book.epoch = CALENDAR_MAC_1904
    book.active.append(["内容", "日子"])
    book.active.append([POSTS[0], 42400.5])
    book.save(tmp_path / "mac.xlsx")
    _load([tmp_path / "mac.xlsx"], tmp_path / "ws", date_col="日子")
    assert _corpus(tmp_path / "ws")[S.PUBLISHED_AT].tolist() == [pd.Timestamp("2020-02-01 12:00")]


def test_excel_sheet_without_a_header_row_loads_its_first_post(tmp_path):
    """A sheet whose first row is a post, a date and 微博: it was taken for column names, and
    following the error's advice (--text-col <the post>) lost that post without a count."""
    from openpyxl import Workbook

    book = Workbook()
    for i, post in enumerate(POSTS[:5]):
        book.active.append([post, dt.datetime(2020, 2, 1, 10, i), "微博"])
    book.save(tmp_path / "posts.xlsx")
    report = _load([tmp_path / "posts.xlsx"], tmp_path / "ws")
    corpus = _corpus(tmp_path / "ws")
    assert report.files[0].rows_read == 5 and corpus[S.TEXT_RAW].tolist() == POSTS[:5]
    assert corpus[S.PUBLISHED_AT].iloc[0] == pd.Timestamp("2020-02-01 10:00")


# --- the same for .xls (through the .xlsx copy) ----------------------------------------------

def test_excel_xls_copy_keeps_date_system_hidden_sheets_merges_and_texts(tmp_path, monkeypatch):
    """An ``.xls`` (xlrd's book, faked here: no .xls writer is installed) is read through an
    ``.xlsx`` copy; the copy keeps the 1904 date system, a hidden first sheet, merged
    ranges, a control character (openpyxl refused it: the load stopped) and a written ``_x0041_``."""
    import xlrd
    from xlrd.sheet import Cell

    from opinion.io import xls

    def text(value: str) -> Cell:
        return Cell(xlrd.XL_CELL_TEXT, value)

    def sheet(rows, **attrs):
        return SimpleNamespace(nrows=len(rows), row=lambda i: rows[i], **attrs)

    template = sheet([[text("内容")], [text("示例")]], visibility=1, sheet_visible=0, sheet_selected=0,
                     merged_cells=[])
    empty = Cell(xlrd.XL_CELL_EMPTY, "")
    rows = [[text("日期"), text("内容")],
            [Cell(xlrd.XL_CELL_NUMBER, 42400.5), text(f"{POSTS[0]}\x07")],
            [empty, text(f"{POSTS[1]}_x0041_")]]
    data = sheet(rows, visibility=0, sheet_visible=1, sheet_selected=1, merged_cells=[(1, 3, 0, 1)])
    sheets = {"模板": template, "数据": data}
    book = SimpleNamespace(datemode=1, sheet_names=lambda: list(sheets), sheet_by_name=sheets.__getitem__,
                           release_resources=lambda: None)
    monkeypatch.setattr(xls, "_book", lambda path: book)
    path = tmp_path / "导出.xls"
    path.write_bytes(b"")
    report = _load([path], tmp_path / "ws")
    assert report.files[0].rows_loaded == 2 and "'模板' (hidden)" in report.files[0].notes[0]
    corpus = _corpus(tmp_path / "ws")
    assert corpus[S.TEXT_RAW].tolist() == [f"{POSTS[0]}\x07", f"{POSTS[1]}_x0041_"]
    assert corpus[S.PUBLISHED_AT].tolist() == [pd.Timestamp("2020-02-01 12:00")] * 2
