from __future__ import annotations

import csv
import gzip
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from opinion import schema as S
from opinion.errors import InputError
from opinion.io.dedup import normalize_text
from opinion.io.load import load_corpus
from opinion.io.workspace import Workspace

LOAD = Path(__file__).parent / "data" / "load"


def _corpus(ws: Path) -> pd.DataFrame:
    return Workspace.open(ws).read(S.CORPUS)


def _rejects(ws: Path) -> list[dict[str, str]]:
    with open(ws / "rejects.csv", encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _accounted(report) -> None:
    for f in report.files:
        assert f.rows_read == f.rows_loaded + f.rows_rejected, f


def test_load_weibo_slice_gb18030_with_broken_byte(tmp_path):
    src = tmp_path / "2.14.csv.gz"
    shutil.copy(LOAD / "weibo_2.14_slice.csv.gz", src)
    report = load_corpus([str(src)], tmp_path / "ws", date_from_filename=True, year=2020)
    _accounted(report)
    f = report.files[0]
    assert (f.rows_read, f.rows_loaded, f.decode_errors, f.encoding) == (51, 51, 1, "gb18030")
    df = _corpus(tmp_path / "ws")
    assert list(df.columns) == list(S.CORPUS_COLUMNS)
    assert df[S.DOC_ID].is_unique and df[S.DOC_ID].iloc[0] == "2_14-2"
    assert (df[S.PUBLISHED_AT] == pd.Timestamp("2020-01-14").replace(month=2)).all()
    broken = df[df[S.DECODE_ERROR]]
    assert len(broken) == 1 and "\ufffd" in broken[S.TEXT_RAW].iloc[0]
    assert json.loads(broken[S.META].iloc[0]) == {"userid": "4774061026"}
    manifest = Workspace.open(tmp_path / "ws").manifest["inputs"][0]
    assert manifest["encoding"] == "gb18030" and manifest["rows_read"] == 51
    assert len(manifest["sha256"]) == 64 and manifest["columns"]["text"] == "text"


def test_load_same_ids_on_reload_and_refuses_twice(tmp_path):
    src = str(LOAD / "chnsenticorp_htl.jsonl")
    load_corpus([src], tmp_path / "a")
    load_corpus([src], tmp_path / "b")
    assert _corpus(tmp_path / "a")[S.DOC_ID].tolist() == _corpus(tmp_path / "b")[S.DOC_ID].tolist()
    again = load_corpus([src], tmp_path / "a")  # unchanged: skipped with a note, not an error
    assert again.files == [] and again.skipped == [src] and "already loaded" in str(again)
    report = load_corpus([src], tmp_path / "a", replace=True)
    assert report.files[0].rows_loaded == 24
    assert len(_corpus(tmp_path / "a")) == 24
    assert len(Workspace.open(tmp_path / "a").manifest["inputs"]) == 1


def test_load_same_content_under_another_name_is_refused(tmp_path):
    copy = tmp_path / "copy.jsonl"
    shutil.copy(LOAD / "chnsenticorp_htl.jsonl", copy)
    load_corpus([str(LOAD / "chnsenticorp_htl.jsonl")], tmp_path / "ws")
    with pytest.raises(InputError, match="same content as"):
        load_corpus([str(copy)], tmp_path / "ws")
    report = load_corpus([str(copy)], tmp_path / "ws", replace=True)
    assert report.files[0].duplicates == 24  # every row is a copy of the first file's rows


def test_load_duplicates_flagged_across_files_and_width(tmp_path):
    (tmp_path / "a.csv").write_text("text\n武汉加油！\n疫情 防控\n", encoding="utf-8")
    (tmp_path / "b.csv").write_text("text\n武汉加油!\n 疫情　防控 \n新的一条\n", encoding="utf-8")
    load_corpus([str(tmp_path / "a.csv"), str(tmp_path / "b.csv")], tmp_path / "ws")
    df = _corpus(tmp_path / "ws").set_index(S.DOC_ID)
    assert df.loc["b-2", S.DUPLICATE_OF] == "a-2"
    assert df.loc["b-3", S.DUPLICATE_OF] == "a-3"
    assert df.loc["b-4", S.DUPLICATE_OF] is None
    assert normalize_text("ＡＢＣ，  加油\n") == "ABC, 加油"


def test_load_drop_duplicates_counts_and_keeps_them_in_rejects(tmp_path):
    (tmp_path / "a.csv").write_text("text\n同一句话\n同一句话\n另一句\n", encoding="utf-8")
    report = load_corpus([str(tmp_path / "a.csv")], tmp_path / "ws", drop_duplicates=True)
    f = report.files[0]
    assert (f.rows_read, f.rows_loaded, f.rows_rejected, f.duplicates) == (3, 2, 1, 1)
    assert _rejects(tmp_path / "ws")[0]["reason"] == "duplicate of a-2"


def test_load_hostile_csv_every_row_accounted(tmp_path):
    path = tmp_path / "hostile.csv"
    path.write_text(
        'id,text,date\n1,正常,2020-01-19\n2,"坏的引号\n3,多,了,字段,吗\n4,,2020/1/19\n'
        "5,好,昨天\n6,emoji 😷 还在,1579392000\n", encoding="utf-8")
    report = load_corpus([str(path)], tmp_path / "ws")
    _accounted(report)
    f = report.files[0]
    assert (f.rows_read, f.rows_loaded, f.rows_rejected, f.dates_missing) == (6, 3, 3, 1)
    reasons = {int(r["row"]): r["reason"] for r in _rejects(tmp_path / "ws")}
    assert set(reasons) == {3, 4, 5}
    assert "unclosed quote" in reasons[3] and "ragged" in reasons[4]
    assert reasons[5] == "empty text"
    df = _corpus(tmp_path / "ws")
    assert df[S.TEXT_RAW].tolist() == ["正常", "好", "emoji 😷 还在"]
    assert df[S.PUBLISHED_AT].isna().tolist() == [False, True, False]


def test_load_missing_text_column_names_columns_and_writes_nothing(tmp_path):
    (tmp_path / "x.csv").write_text("userid,内容x\n1,你好\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"x.csv: cannot tell.*\[userid, 内容x\].*--text-col"):
        load_corpus([str(tmp_path / "x.csv")], tmp_path / "ws")
    assert not Workspace.open(tmp_path / "ws").has(S.CORPUS)


def test_load_id_column_with_duplicates_is_an_error_naming_them(tmp_path):
    (tmp_path / "ok.csv").write_text("mid,text\nm1,甲\n", encoding="utf-8")
    (tmp_path / "dup.csv").write_text("mid,text\nm2,乙\nm3,丙\nm2,丁\nm1,戊\n", encoding="utf-8")
    load_corpus([str(tmp_path / "ok.csv")], tmp_path / "ws", id_col="mid")
    with pytest.raises(InputError, match=r"dup.csv: column mid repeats ids: 'm2' \(row 4, also "
                                         r"row 2\); 'm1' \(row 5, also an earlier input\)"):
        load_corpus([str(tmp_path / "dup.csv")], tmp_path / "ws", id_col="mid")
    ws = Workspace.open(tmp_path / "ws")
    assert ws.parts(S.CORPUS) == ["ok-00000"] and len(ws.manifest["inputs"]) == 1


def test_load_keeps_rows_with_a_stray_nul_or_a_raw_control_in_json(tmp_path):
    (tmp_path / "nul.csv").write_text("id,text\n1,第三\x00条\n2,好\n", encoding="utf-8")
    (tmp_path / "tab.jsonl").write_text('{"text": "甲\t乙"}\n{"text": "正文\x01内容"}\n',
                                        encoding="utf-8")
    report = load_corpus([str(tmp_path / "nul.csv"), str(tmp_path / "tab.jsonl")], tmp_path / "ws")
    _accounted(report)
    assert [f.rows_rejected for f in report.files] == [0, 0]
    assert _corpus(tmp_path / "ws")[S.TEXT_RAW].tolist() == ["第三\x00条", "好", "甲\t乙", "正文\x01内容"]


def test_load_workbook_names_its_other_sheets_and_each_loads_with_sheet(tmp_path):
    book = tmp_path / "导出.xlsx"
    with pd.ExcelWriter(book) as writer:
        pd.DataFrame({"内容": ["口罩买不到了", "医生辛苦了"]}).to_excel(writer, sheet_name="一月", index=False)
        pd.DataFrame({"内容": ["第二张表的帖子"]}).to_excel(writer, sheet_name="二月", index=False)
        pd.DataFrame().to_excel(writer, sheet_name="空表", index=False)
    first = load_corpus([str(book)], tmp_path / "ws")
    [note] = first.files[0].notes
    assert note.endswith("导出.xlsx: read sheet '一月' only; 1 other sheet(s) hold data: '二月'; "
                         "load each with --sheet NAME, or all with --sheet '*'")
    second = load_corpus([str(book)], tmp_path / "ws", sheet="二月")
    assert second.files[0].notes == [] and second.files[0].rows_loaded == 1
    assert load_corpus([str(book)], tmp_path / "ws", sheet="二月").files == []  # loaded: skipped
    assert _corpus(tmp_path / "ws")[S.TEXT_RAW].tolist() == ["口罩买不到了", "医生辛苦了", "第二张表的帖子"]
    every = load_corpus([str(book)], tmp_path / "ws_all", sheet="*")  # each sheet with data, one input each
    assert [f.path for f in every.files] == [f"{book}[一月]", f"{book}[二月]"]
    assert _corpus(tmp_path / "ws_all")[S.TEXT_RAW].tolist() == ["口罩买不到了", "医生辛苦了", "第二张表的帖子"]
    assert load_corpus([str(book)], tmp_path / "ws_all", sheet="*", skip_loaded=True).files == []


def test_load_workbook_whose_first_sheet_is_notes_names_the_sheet_with_the_text(tmp_path):
    """A 说明 sheet before the data: the error names the sheet to pass, not --text-col (which
    could not help); with --sheet '*' the notes sheet is one rejected input and the data loads."""
    book = tmp_path / "舆情导出.xlsx"
    with pd.ExcelWriter(book) as writer:
        pd.DataFrame({"说明": ["本表由舆情系统导出", "数据范围：2020年2月"]}).to_excel(writer, sheet_name="说明", index=False)
        pd.DataFrame({"标题": ["口罩", "加油"], "正文": ["武汉口罩告急，医院求助", "武汉加油，中国加油"]}).to_excel(
            writer, sheet_name="数据", index=False)
    with pytest.raises(InputError, match=r"舆情导出.xlsx: .*found \[说明\] in its first sheet; sheet\(s\) with a "
                       r"text column: 数据 \(正文\): pass --sheet 数据, or --sheet '\*'"):
        load_corpus([str(book)], tmp_path / "ws")
    every = load_corpus([str(book)], tmp_path / "ws", sheet="*")
    _accounted(every)
    assert [(f.rows_loaded, f.rows_rejected) for f in every.files] == [(0, 1), (2, 0)]
    assert every.files[0].error.startswith("sheet without a text column, left out")
    assert _corpus(tmp_path / "ws")[S.TEXT_RAW].tolist() == ["武汉口罩告急，医院求助", "武汉加油，中国加油"]


def test_load_takes_a_zoned_timestamp_column_no_name_marks_as_the_date(tmp_path):
    stamps = pd.to_datetime(["2020-01-19 04:30", "2020-01-20 13:00"]).tz_localize("UTC")
    pd.DataFrame({"id": [1, 2], "content": ["口罩买不到了", "医生辛苦了"], "ts": stamps}).to_parquet(
        tmp_path / "export.parquet")
    report = load_corpus([str(tmp_path / "export.parquet")], tmp_path / "ws")
    assert report.files[0].columns["date"] == "ts" and report.files[0].dates_missing == 0
    df = _corpus(tmp_path / "ws")
    assert df[S.PUBLISHED_AT].tolist() == [pd.Timestamp("2020-01-19 12:30"), pd.Timestamp("2020-01-20 21:00")]
    assert json.loads(df[S.META].iloc[0]) == {"id": 1}  # ids are numbers, never taken as dates


def test_load_reads_paragraph_lists_and_objects_as_text_not_python_repr(tmp_path):
    rows = [{"text": ["第一段：疫情防控。", "", "第二段：复工复产。"]}, {"text": {"zh": "嵌套"}}, {"text": []}]
    (tmp_path / "articles.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows),
                                             encoding="utf-8")
    pd.DataFrame({"content": [["段一", "段二"]]}).to_parquet(tmp_path / "articles.parquet")
    report = load_corpus([str(tmp_path / "articles.jsonl"), str(tmp_path / "articles.parquet")], tmp_path / "ws")
    _accounted(report)
    assert _corpus(tmp_path / "ws")[S.TEXT_RAW].tolist() == [
        "第一段：疫情防控。\n第二段：复工复产。", '{"zh": "嵌套"}', "段一\n段二"]
    assert [r["reason"] for r in _rejects(tmp_path / "ws")] == ["empty text"]  # the empty list


def test_load_folder_rejects_office_and_pdf_files_whole_with_the_way_out(tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "a.csv").write_text("text\n武汉加油\n", encoding="utf-8")
    (folder / "scan.pdf").write_bytes(b"%PDF-1.4\n" + bytes(64))
    (folder / "report.docx").write_bytes(b"PK\x03\x04" + bytes(64))
    (folder / "broken.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64))
    (folder / "notes.md").write_text("# not an input", encoding="utf-8")  # unrelated: left alone, said
    (folder / ".DS_Store").write_bytes(bytes(8))  # hidden: not even said
    report = load_corpus([str(folder)], tmp_path / "ws")
    _accounted(report)
    assert report.not_read == [str(folder / "notes.md")]
    assert report.not_read_note().startswith(f"1 file(s) in the input folders were not read (.md 1): {folder / 'notes.md'};")
    reasons = {Path(r["file"]).name: r["reason"] for r in _rejects(tmp_path / "ws")}
    assert set(reasons) == {"scan.pdf", "report.docx", "broken.xls"}
    assert "pdftotext" in reasons["scan.pdf"] and "plain text" in reasons["report.docx"]
    assert "not a readable .xls workbook" in reasons["broken.xls"]
    with pytest.raises(InputError, match="report.docx: a Word document is not read"):
        load_corpus([str(folder / "report.docx")], tmp_path / "ws2")


def test_load_folder_says_which_links_and_pipes_it_cannot_read(tmp_path):
    """A link to a deleted export and a named pipe were left out without a word (the pipe, read,
    would have blocked the load)."""
    import os

    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "a.csv").write_text("text\n武汉加油\n", encoding="utf-8")
    (folder / "gone.csv").symlink_to(tmp_path / "deleted.csv")
    os.mkfifo(folder / "pipe.csv")
    report = load_corpus([str(folder)], tmp_path / "ws")
    _accounted(report)
    reasons = {Path(r["file"]).name: r["reason"] for r in _rejects(tmp_path / "ws")}
    assert "a link to a file that does not exist" in reasons["gone.csv"]
    assert "not a regular file" in reasons["pipe.csv"]
    assert _corpus(tmp_path / "ws")[S.TEXT_RAW].tolist() == ["武汉加油"]


def test_load_xls_workbook_like_xlsx(tmp_path):
    """An Excel 97-2003 export (tests/data/load/export_2020.xls, written with xlwt): a title line
    above the header, date cells, 16-digit Weibo ids stored as numbers, a second sheet."""
    book = LOAD / "export_2020.xls"
    report = load_corpus([str(book)], tmp_path / "ws")
    _accounted(report)
    df = _corpus(tmp_path / "ws")
    assert df[S.TITLE].tolist() == ["钟南山", "口罩"] and df[S.INPUT_ROW].tolist() == [3, 4]
    assert df[S.PUBLISHED_AT].tolist() == [pd.Timestamp("2020-02-27 14:35"), pd.Timestamp("2020-01-24 09:00")]
    assert json.loads(df[S.META].iloc[0]) == {"微博id": 4477406102612345}  # not 4.477406102612345e+15
    assert report.files[0].rows_rejected == 1 and "'二月'" in report.files[0].notes[0]
    every = load_corpus([str(book)], tmp_path / "ws_all", sheet="*")
    assert [Path(f.path).name for f in every.files] == ["export_2020.xls[一月]", "export_2020.xls[二月]"]
    assert _corpus(tmp_path / "ws_all")[S.TEXT_RAW].tolist()[-1] == "第二张表的帖子：武汉加油。"


def test_load_empty_header_only_and_binary(tmp_path):
    (tmp_path / "empty.csv").write_bytes(b"")
    (tmp_path / "header.csv").write_text("id,text\n", encoding="utf-8")
    report = load_corpus([str(tmp_path / "empty.csv"), str(tmp_path / "header.csv")],
                         tmp_path / "ws")
    assert [f.rows_read for f in report.files] == [0, 0]
    assert len(Workspace.open(tmp_path / "ws").manifest["inputs"]) == 2
    (tmp_path / "blob.csv").write_bytes(bytes(range(256)) * 100)
    with pytest.raises(InputError, match="blob.csv: looks like binary data"):
        load_corpus([str(tmp_path / "blob.csv")], tmp_path / "ws")


def test_load_50mb_single_line(tmp_path):
    path = tmp_path / "huge.csv"
    line = "疫情" * (50 * 1024 * 1024 // 6) + "end"
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("id,text\n1,短\n2," + line + "\n3,之后\n")
    assert path.stat().st_size >= 50 * 1024 * 1024
    report = load_corpus([str(path)], tmp_path / "ws")
    assert report.files[0].rows_loaded == 3
    df = _corpus(tmp_path / "ws")
    assert len(df[S.TEXT_RAW].iloc[1]) == len(line) and df[S.TEXT_RAW].iloc[2] == "之后"


def test_load_big5_excel_jsonl_and_headerless(tmp_path):
    report = load_corpus(
        [str(LOAD / "gsd_traditional_big5.csv")], tmp_path / "ws", text_col="traditional")
    assert report.files[0].encoding == "big5hkscs" and report.files[0].rows_loaded == 40
    text = _corpus(tmp_path / "ws")[S.TEXT_RAW].iloc[0]
    assert text.startswith("同樣，施力的大小不同")
    report = load_corpus([str(LOAD / "waimai_reviews.xlsx")], tmp_path / "ws", sheet="reviews")
    assert report.files[0].rows_loaded == 30
    report = load_corpus([str(LOAD / "thucnews_titles_headerless.tsv")], tmp_path / "ws")
    assert report.files[0].columns["text"] == "column_1"
    df = _corpus(tmp_path / "ws")
    meta = json.loads(df[df[S.DOC_ID] == "thucnews_titles_headerless-1"][S.META].iloc[0])
    assert meta == {"column_2": "8"}
    xlsx = df[df[S.INPUT_FILE].str.endswith(".xlsx")]
    assert json.loads(xlsx[S.META].iloc[0]) == {"label": 1}


def test_load_folder_with_documents_and_dates_from_names(tmp_path):
    folder = tmp_path / "demo"
    folder.mkdir()
    shutil.copy(LOAD / "live_commerce_trust_article.txt", folder)
    (folder / "2020.1.20.csv.gz").write_bytes(gzip.compress("text\n钟南山\n".encode("gb18030")))
    report = load_corpus([str(folder)], tmp_path / "ws", date_from_filename=True)
    _accounted(report)
    df = _corpus(tmp_path / "ws").set_index(S.DOC_ID)
    assert df.loc["2020_1_20-2", S.PUBLISHED_AT] == pd.Timestamp("2020-01-20")
    article = df.loc["demo-live_commerce_trust_article"]
    assert article[S.SOURCE] == "demo" and pd.isna(article[S.PUBLISHED_AT])
    assert article[S.TITLE] == "直播電商風生水起 信任機制如何建立"  # the breadcrumb line above it is furniture


def test_load_drop_and_pseudonymize_columns(tmp_path):
    (tmp_path / "a.csv").write_text("userid,nick,text\n42,小明,一\n42,小明,二\n7,小红,三\n",
                                    encoding="utf-8")
    load_corpus([str(tmp_path / "a.csv")], tmp_path / "ws", drop_cols=["nick"],
                pseudonymize_cols=["userid"])
    metas = [json.loads(m) for m in _corpus(tmp_path / "ws")[S.META]]
    assert all(set(m) == {"userid"} for m in metas)
    assert metas[0]["userid"] == metas[1]["userid"] != metas[2]["userid"]
    assert "42" not in metas[0]["userid"] or len(metas[0]["userid"]) == 16
    with pytest.raises(InputError, match="--drop-col usr: no input has this column"):
        load_corpus([str(tmp_path / "a.csv")], tmp_path / "ws2", drop_cols=["usr"])


WEIBO_CARDS = {"ok": 1, "data": {"cardlistInfo": {"page": 2}, "cards": [  # m.weibo.cn's answer, shortened
    {"card_type": 9, "mblog": {"created_at": "Sun Feb 02 10:00:00 +0800 2020", "text": "武汉加油！",
                               "user": {"id": 1, "screen_name": "小明"}, "reposts_count": 5}},
    {"card_type": 9, "mblog": {"created_at": "Sun Feb 02 11:00:00 +0800 2020", "text": "口罩买不到了",
                               "user": {"id": 2, "screen_name": "小红"}, "reposts_count": 0}},
    {"card_type": 11, "card_group": [{"desc": "热门"}]}]}}


def test_load_reads_parquet_struct_columns_as_dotted_columns(tmp_path):
    """A Parquet file written from API data (Spark, pandas + pyarrow) keeps a post as a struct
    column: its fields are read as post.text, post.user.name, as nested JSON is; before, the
    text was the struct's JSON and the post undated."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    posts = ["武汉口罩告急，医院求助", "武汉加油，中国加油"]
    pq.write_table(pa.table({
        "id": [1, 2],
        "post": [{"text": posts[0], "created_at": "2020-02-01 10:00", "user": {"name": "甲"}},
                 {"text": posts[1], "created_at": "2020-02-02 11:00", "user": {"name": "乙"}}],
        "tags": [["武汉", "口罩"], ["加油"]]}), tmp_path / "api.parquet")
    report = load_corpus([str(tmp_path / "api.parquet")], tmp_path / "ws")
    _accounted(report)
    assert report.files[0].columns["text"] == "post.text" and report.files[0].columns["date"] == "post.created_at"
    corpus = _corpus(tmp_path / "ws")
    assert corpus[S.TEXT_RAW].tolist() == posts
    assert corpus[S.PUBLISHED_AT].astype(str).tolist() == ["2020-02-01 10:00:00", "2020-02-02 11:00:00"]
    assert json.loads(corpus[S.META].iloc[0]) == {"id": 1, "post.user.name": "甲", "tags": ["武汉", "口罩"]}
    with pytest.raises(InputError, match=r"column 'post' holds the text \(post.text\); it cannot be dropped"):
        load_corpus([str(tmp_path / "api.parquet")], tmp_path / "ws2", drop_cols=("post",))  # not every row empty


def test_load_reads_records_nested_in_an_api_answer(tmp_path):
    """The array of records deep in an API's answer, their nested fields as dotted columns
    (mblog.text, mblog.user.screen_name); a card without a post is one rejected row."""
    (tmp_path / "cards.json").write_text(json.dumps(WEIBO_CARDS, ensure_ascii=False), encoding="utf-8")
    report = load_corpus([str(tmp_path / "cards.json")], tmp_path / "ws")
    _accounted(report)
    assert report.files[0].columns["text"] == "mblog.text"
    assert report.files[0].columns["date"] == "mblog.created_at"
    df = _corpus(tmp_path / "ws")
    assert df[S.TEXT_RAW].tolist() == ["武汉加油！", "口罩买不到了"]
    assert df[S.PUBLISHED_AT].tolist() == [pd.Timestamp("2020-02-02 10:00"), pd.Timestamp("2020-02-02 11:00")]
    assert json.loads(df[S.META].iloc[0])["mblog.user.screen_name"] == "小明"
    assert [r["row"] for r in _rejects(tmp_path / "ws")] == ["3"]
    (tmp_path / "tie.json").write_text('{"a": [{"text": "一"}], "b": [{"text": "二"}]}', encoding="utf-8")
    with pytest.raises(InputError, match=r"arrays of records are \[a, b\]"):
        load_corpus([str(tmp_path / "tie.json")], tmp_path / "ws2")
    (tmp_path / "lists.json").write_text('{"statuses": [{"text": "一"}], "hot": ["热词"]}', encoding="utf-8")
    assert load_corpus([str(tmp_path / "lists.json")], tmp_path / "ws3").total("rows_loaded") == 1


def test_load_drops_and_pseudonymizes_nested_fields_with_their_object(tmp_path):
    """--drop-col user drops user.screen_name and every field under it: no name leaks into meta."""
    rows = [{"text": "武汉加油", "user": {"id": 42, "screen_name": "小明", "geo": {"city": "武汉"}},
             "author": {}},
            {"text": "口罩到了", "user": {"id": 42, "screen_name": "小明"}, "author": {"name": "小红"}}]
    (tmp_path / "a.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    load_corpus([str(tmp_path / "a.jsonl")], tmp_path / "ws", drop_cols=["user"], pseudonymize_cols=["author"])
    metas = [json.loads(m) for m in _corpus(tmp_path / "ws")[S.META]]
    assert set(metas[0]) == {"author"} and set(metas[1]) == {"author.name"} and metas[1]["author.name"] != "小红"
    assert "小明" not in _corpus(tmp_path / "ws").to_json(force_ascii=False)


def test_load_replace_removes_old_rejects_and_parts(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("text\n一\n\"坏\n", encoding="utf-8")
    load_corpus([str(path)], tmp_path / "ws", chunk_rows=1)
    assert len(_rejects(tmp_path / "ws")) == 1
    path.write_text("text\n一\n二\n三\n", encoding="utf-8")
    load_corpus([str(path)], tmp_path / "ws", replace=True, chunk_rows=2)
    ws = Workspace.open(tmp_path / "ws")
    assert _rejects(tmp_path / "ws") == []
    assert ws.parts(S.CORPUS) == ["a-00000", "a-00001"]
    assert ws.read(S.CORPUS)[S.TEXT_RAW].tolist() == ["一", "二", "三"]


def test_load_mixed_encoding_file_reads_each_line(tmp_path):
    data = b"text\n" + "武汉加油\n".encode() + "钟南山院士说的话\n".encode("gb18030")
    (tmp_path / "mixed.csv").write_bytes(data)
    report = load_corpus([str(tmp_path / "mixed.csv")], tmp_path / "ws")
    assert report.files[0].other_encoding_rows == 1 and report.files[0].decode_errors == 0
    df = _corpus(tmp_path / "ws")
    assert df[S.TEXT_RAW].tolist() == ["武汉加油", "钟南山院士说的话"]
    assert df[S.ENCODING].tolist() == ["utf-8", "gb18030"]


def test_load_orphan_parts_of_a_crashed_load_are_removed(tmp_path):
    load_corpus([str(LOAD / "chnsenticorp_htl.jsonl")], tmp_path / "ws")
    ws = Workspace.open(tmp_path / "ws")
    ws.write_part(S.CORPUS, "crashed-00000", _corpus(tmp_path / "ws").head(2))
    (tmp_path / "b.csv").write_text("text\n新\n", encoding="utf-8")
    load_corpus([str(tmp_path / "b.csv")], tmp_path / "ws")
    assert "crashed-00000" not in Workspace.open(tmp_path / "ws").parts(S.CORPUS)


def test_load_skip_loaded_skips_unchanged_inputs_only(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("text\n一\n", encoding="utf-8")
    load_corpus([str(path)], tmp_path / "ws")
    report = load_corpus([str(path)], tmp_path / "ws", skip_loaded=True)
    assert report.files == [] and report.skipped == [str(path)]
    assert "nothing new to load" in str(report) and "1 input(s) already loaded" in str(report)
    path.write_text("text\n一\n二\n", encoding="utf-8")  # grown since: said so, not "already loaded"
    with pytest.raises(InputError, match="changed since it was loaded.*--replace"):
        load_corpus([str(path)], tmp_path / "ws", skip_loaded=True)
    report = load_corpus([str(path)], tmp_path / "ws", skip_loaded=True, replace=True)
    assert report.files[0].rows_loaded == 2


def test_load_parquet_and_gzipped_jsonl_and_bom_header(tmp_path):
    frame = pd.DataFrame({
        "content": ["口罩断货了", "武汉加油"], "published_at": pd.to_datetime(
            ["2020-01-23 10:00", None]), "来源": ["微博", None], "likes": [3, 5]})
    frame.to_parquet(tmp_path / "posts.parquet")
    (tmp_path / "more.jsonl.gz").write_bytes(gzip.compress(
        '{"text": "第一条", "time": "2020年2月1日"}\n'.encode()))
    (tmp_path / "bom.csv").write_bytes("\ufefftext,date\n有BOM,2020-02-02\n".encode("utf-8"))
    report = load_corpus([str(tmp_path / "posts.parquet"), str(tmp_path / "more.jsonl.gz"),
                          str(tmp_path / "bom.csv")], tmp_path / "ws", encoding="utf-8")
    _accounted(report)
    df = _corpus(tmp_path / "ws").set_index(S.DOC_ID)
    assert df.loc["posts-1", S.PUBLISHED_AT] == pd.Timestamp("2020-01-23 10:00")
    assert df.loc["posts-1", S.SOURCE] == "微博" and df.loc["posts-2", S.SOURCE] is None
    assert json.loads(df.loc["posts-2", S.META]) == {"likes": 5}
    assert df.loc["more-1", S.PUBLISHED_AT] == pd.Timestamp("2020-02-01")
    assert df.loc["bom-2", S.TEXT_RAW] == "有BOM"


def test_load_rejects_keep_huge_raw_rows_readable(tmp_path):
    (tmp_path / "a.csv").write_text("id,text\n1," + "长" * 200_000 + ",多余\n", encoding="utf-8")
    report = load_corpus([str(tmp_path / "a.csv")], tmp_path / "ws")
    assert report.files[0].rows_rejected == 1
    old_limit = csv.field_size_limit(131_072)  # csv's default: enough to read rejects back
    try:
        row = _rejects(tmp_path / "ws")[0]
    finally:
        csv.field_size_limit(old_limit)
    assert row["raw"].startswith("1,长长") and row["raw"].endswith("more characters in the file]")


# --- issue 13: folders, globs and re-runs -------------------------------------------------
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


def _big5_articles(folder: Path, n: int = 20) -> None:
    """``n`` Big5 .txt articles: sentences of tests/data/load/gsd_traditional_big5.csv."""
    rows = (LOAD / "gsd_traditional_big5.csv").read_bytes().decode("big5").splitlines()[1:]
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        text = rows[2 * i].split(",", 1)[1] + "\n" + rows[2 * i + 1].split(",", 1)[1] + "\n"
        (folder / f"article_{i:02d}.txt").write_bytes(text.encode("big5"))


@pytest.mark.parametrize("as_glob", [False, True])
def test_load_bad_file_in_folder_or_glob_is_rejected_and_the_rest_loads(tmp_path, as_glob):
    folder = tmp_path / "news"
    _big5_articles(folder)
    (folder / "article_99.txt").write_bytes(PNG)  # a picture saved under a .txt name
    arg = str(folder / "*.txt") if as_glob else str(folder)
    report = load_corpus([arg], tmp_path / "ws")
    _accounted(report)
    assert report.total("rows_loaded") == 20 and report.total("rows_rejected") == 1
    assert report.total("rows_read") == 21
    corpus = _corpus(tmp_path / "ws")
    assert len(corpus) == 20 and all(e.startswith("big5") for e in corpus[S.ENCODING])
    assert "施力" in corpus[S.TEXT_RAW].iloc[0]
    (reject,) = _rejects(tmp_path / "ws")
    assert reject["file"].endswith("article_99.txt") and "PNG" in reject["reason"]
    # a re-run of the same folder skips what is loaded, the bad file included
    again = load_corpus([arg], tmp_path / "ws", skip_loaded=True)
    assert again.files == [] and len(again.skipped) == (21 if as_glob else 1)


def test_load_unreadable_table_in_folder_is_rejected_whole(tmp_path):
    folder = tmp_path / "posts"
    folder.mkdir()
    shutil.copy(LOAD / "chnsenticorp_htl.jsonl", folder / "good.jsonl")
    (folder / "bad.csv").write_bytes(PNG)
    report = load_corpus([str(folder)], tmp_path / "ws")
    _accounted(report)
    bad = next(f for f in report.files if f.path.endswith("bad.csv"))
    assert (bad.rows_read, bad.rows_rejected, bad.rows_loaded) == (1, 1, 0)
    assert "unreadable file" in str(report) and report.total("rows_loaded") == 24
    (reject,) = _rejects(tmp_path / "ws")
    assert reject["row"] == "0" and reject["reason"].startswith("file not readable")
    # named on the command line, the same file is a one-line error
    with pytest.raises(InputError, match="bad.csv: looks like"):
        load_corpus([str(folder / "bad.csv")], tmp_path / "ws2")
    # a folder holding only unreadable files is an error too, not "0 loaded"
    only_bad = tmp_path / "only_bad"
    only_bad.mkdir()
    (only_bad / "x.csv").write_bytes(PNG)
    with pytest.raises(InputError, match="no input could be read"):
        load_corpus([str(only_bad)], tmp_path / "ws3")


def test_load_folder_with_txt_and_html_runs_twice(tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    shutil.copy(LOAD / "live_commerce_trust_article.txt", folder / "a.txt")
    (folder / "b.html").write_text("<html><title>直播电商</title><p>信任机制与消费者权益</p></html>",
                                   encoding="utf-8")
    first = load_corpus([str(folder)], tmp_path / "ws", skip_loaded=True)
    assert [f.format for f in first.files] == ["txt", "html"]
    _accounted(first)
    second = load_corpus([str(folder)], tmp_path / "ws", skip_loaded=True)
    assert second.files == [] and len(second.skipped) == 2
    assert len(_corpus(tmp_path / "ws")) == 2


def test_read_documents_reads_like_load_without_a_workspace(tmp_path):
    from opinion.io.load import read_documents

    lines = tmp_path / "new.txt.gz"  # GB18030, gzip, one text per line, a blank line
    lines.write_bytes(gzip.compress("武汉加油\n口罩告急\n\n医院求助\n".encode("gb18030")))
    docs, report, rejects = read_documents([str(lines)], txt_lines=True)
    _accounted(report)  # a blank line between texts is not a row
    assert (report.total("rows_read"), report.total("rows_loaded")) == (3, 3)
    assert docs[S.DOC_ID].tolist() == ["new-1", "new-2", "new-4"]  # the lines they are on
    assert docs[S.TEXT_RAW].tolist() == ["武汉加油", "口罩告急", "医院求助"]
    assert rejects == []
    docs, report, _ = read_documents([str(LOAD / "chnsenticorp_htl.jsonl")])
    assert len(docs) == 24 and list(docs.columns) == list(S.CORPUS_COLUMNS)
    assert not list(tmp_path.glob("**/manifest.json"))


def test_load_reads_a_txt_list_of_posts_one_per_line_with_the_flag_and_says_so_without(tmp_path):
    """A .txt of posts, one per line with blank lines between (as ROST CM takes them): read
    whole, it is one document and the load says so; with ``--txt-lines`` each post is one."""
    from opinion.io.load import read_documents

    weibo, _, _ = read_documents([str(LOAD / "weibo_2.14_slice.csv.gz")])
    sample = [json.loads(line)["text"] for line in
              (LOAD.parent / "workspace_sample.jsonl").read_text(encoding="utf-8").splitlines()]
    posts = [" ".join(t.split()) for t in [*weibo[S.TEXT_RAW], *sample]]
    assert len(posts) >= 100
    folder = tmp_path / "rost"
    folder.mkdir()
    (folder / "posts.txt").write_text("\n\n".join(posts) + "\n", encoding="gb18030")
    whole = load_corpus([str(folder)], tmp_path / "ws")
    assert whole.total("rows_loaded") == 1
    assert any("posts.txt" in note and "--txt-lines" in note for note in whole.files[0].notes)
    lines = load_corpus([str(folder)], tmp_path / "ws", replace=True, txt_lines=True)
    _accounted(lines)
    assert lines.total("rows_loaded") == len(posts) and not lines.files[0].notes
    corpus = _corpus(tmp_path / "ws")
    assert corpus[S.TEXT_RAW].tolist() == posts


def test_load_refuses_a_txt_holding_a_tab_separated_table_and_names_format_tsv(tmp_path):
    """Excel's "Unicode text" export is a UTF-16, tab-separated table saved as .txt: read as a
    document it would be one text of 标题/正文 cells. Named, it stops the load (before anything
    is written) naming --format tsv, which reads it; found in a folder, the load says so."""
    from opinion.io.load import read_documents

    weibo, _, _ = read_documents([str(LOAD / "weibo_2.14_slice.csv.gz")])
    posts = [" ".join(t.split()) for t in weibo[S.TEXT_RAW][:20]]
    rows = ["标题\t正文\t发布时间", *(f"第{i}条\t{post}\t2020-02-14 10:{i:02d}" for i, post in enumerate(posts))]
    folder = tmp_path / "导出"
    folder.mkdir()
    path = folder / "导出.txt"
    path.write_bytes(("\r\n".join(rows) + "\r\n").encode("utf-16"))
    with pytest.raises(InputError, match=r"导出.txt: a tab-separated table \(columns 标题, 正文, 发布时间\).*--format tsv"):
        load_corpus([str(path)], tmp_path / "ws")
    assert not (tmp_path / "ws" / "manifest.json").exists()
    table = load_corpus([str(path)], tmp_path / "ws", fmt="tsv")
    _accounted(table)
    corpus = _corpus(tmp_path / "ws")
    assert corpus[S.TEXT_RAW].tolist() == posts and corpus[S.PUBLISHED_AT].notna().all()
    assert load_corpus([str(path)], tmp_path / "ws_txt", fmt="txt").total("rows_loaded") == 1  # as asked
    [note] = load_corpus([str(folder)], tmp_path / "ws_folder").files[0].notes
    assert "导出.txt hold(s) a tab-separated table" in note and "--format tsv" in note
    article = tmp_path / "article.txt"  # an article with a tab in a line is still an article
    article.write_text("直播电商\t信任\n" + (LOAD / "live_commerce_trust_article.txt").read_text(encoding="utf-8"),
                       encoding="utf-8")
    assert load_corpus([str(article)], tmp_path / "ws3").files[0].notes == []


def test_load_names_the_flags_for_inputs_named_by_day_that_have_no_dates(tmp_path):
    """The 620k Weibo corpus is files named 2.14.csv.gz with no date column: the load says
    how to date them by their names, and says nothing once they are (or have a date column)."""
    posts = ["武汉加油，口罩告急", "医院求助，物资短缺", "辛苦了，白衣天使"]
    for name in ("1.27.csv", "2020-01-28.csv", "posts.csv"):  # each its own posts: not twins
        pd.DataFrame({"text": [f"{post}（{name}）" for post in posts]}).to_csv(tmp_path / name, index=False)
    pd.DataFrame({"text": posts, "date": ["2020-01-29"] * 3}).to_csv(tmp_path / "1.29.csv", index=False)
    inputs = [str(tmp_path / n) for n in ("1.27.csv", "2020-01-28.csv", "posts.csv", "1.29.csv")]
    report = load_corpus(inputs, tmp_path / "ws")
    assert report.undated_note() == (
        "2 input(s) have no date column but are named by day (1.27.csv, 2020-01-28.csv): to date "
        "their rows by the name, load again with --date-from-filename --year YYYY --replace")
    dated = load_corpus(inputs[:2], tmp_path / "ws", replace=True, date_from_filename=True, year=2020)
    assert dated.undated_note() == ""
    assert sorted(_corpus(tmp_path / "ws")[S.PUBLISHED_AT].dt.day.dropna().unique()) == [27, 28, 29]


def test_load_joins_a_day_column_and_a_time_column(tmp_path):
    """发布日期 + 发布时间 as two columns (typed Excel cells too): one published_at with the
    time; a time that does not read keeps the day."""
    import datetime as dt

    posts = ["武汉加油", "口罩到了", "辛苦了", "晚上见"]
    csv_path = tmp_path / "split.csv"
    pd.DataFrame({"内容": posts, "发布日期": ["2020-02-01", "2020-02-02", "2020-02-03", "2020-02-04"],
                  "发布时间": ["10:15", "23:59", "08:00", "晚上"]}).to_csv(csv_path, index=False)
    xlsx_path = tmp_path / "split.xlsx"
    pd.DataFrame({"text": posts[:2], "date": [dt.date(2020, 3, 1), dt.date(2020, 3, 2)],
                  "time": [dt.time(9, 30), dt.time(18, 5)]}).to_excel(xlsx_path, index=False)
    report = load_corpus([str(csv_path), str(xlsx_path)], tmp_path / "ws")
    _accounted(report)
    dates = _corpus(tmp_path / "ws").set_index(S.TEXT_RAW)[S.PUBLISHED_AT].astype(str)
    assert dates.tolist() == ["2020-02-01 10:15:00", "2020-02-02 23:59:00", "2020-02-03 08:00:00",
                              "2020-02-04 00:00:00", "2020-03-01 09:30:00", "2020-03-02 18:05:00"]
    assert report.total("dates_missing") == 0
    assert report.files[0].columns == {"text": "内容", "title": None, "id": None, "date": "发布日期",
                                       "source": None, "time": "发布时间"}


def test_load_reads_taiwanese_dates_and_times(tmp_path):
    """Windows' zh-TW clock (下午 03:15:00), a time column of its own, a Minguo year and a
    column named 發佈時間 (not 發布時間): every row keeps its date and time of day."""
    posts = ["颱風來襲，各地停班停課。", "台北市長出席記者會說明政策。", "這家餐廳的牛肉麵很好吃！"]
    pd.DataFrame({"內容": posts, "發佈時間": ["2020/2/1 下午 03:15:00", "2020/2/2 上午 12:10:00",
                                             "民國109年2月3日 14:00"]}).to_csv(tmp_path / "tw.csv", index=False)
    pd.DataFrame({"內容": [p + "（續）" for p in posts], "發佈日期": ["109/03/01", "109/03/02", "109/03/03"],
                  "發佈時間": ["下午 03:15", "上午 09:00", "晚上 11:59"]}).to_csv(tmp_path / "split.csv", index=False)
    report = load_corpus([str(tmp_path / "tw.csv"), str(tmp_path / "split.csv")], tmp_path / "ws")
    _accounted(report)
    dates = _corpus(tmp_path / "ws")[S.PUBLISHED_AT].astype(str)
    assert sorted(dates) == ["2020-02-01 15:15:00", "2020-02-02 00:10:00", "2020-02-03 14:00:00",
                              "2020-03-01 15:15:00", "2020-03-02 09:00:00", "2020-03-03 23:59:00"]
    assert report.total("dates_missing") == 0


def test_load_rejects_the_header_row_of_exports_joined_one_after_another(tmp_path):
    """Two daily exports joined with cat: the second header (a BOM before it) was loaded as a
    document whose text is 内容, undated; it is one rejected row now, the rest all load."""
    def export(rows: list[list[str]]) -> bytes:
        lines = ["标题,内容,发布时间", *(",".join(row) for row in rows)]
        return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")
    (tmp_path / "joined.csv").write_bytes(
        export([["t1", "武汉加油", "2020-02-01 10:00"], ["t2", "口罩买不到", "2020-02-01 11:00"]])
        + export([["t3", "医生辛苦了", "2020-02-02 10:00"]]))
    report = load_corpus([str(tmp_path / "joined.csv")], tmp_path / "ws")
    _accounted(report)
    assert _corpus(tmp_path / "ws")[S.TEXT_RAW].tolist() == ["武汉加油", "口罩买不到", "医生辛苦了"]
    assert report.total("dates_missing") == 0
    assert [(r["row"], r["reason"].split(",")[0]) for r in _rejects(tmp_path / "ws")] == [
        ("4", "the header row again")]
    (tmp_path / "quoted.csv").write_text("内容,备注\n内容,备注是内容\n标题党,备注\n", encoding="utf-8")
    assert load_corpus([str(tmp_path / "quoted.csv")], tmp_path / "ws2").total("rows_loaded") == 2


def test_load_parquet_binary_text_is_decoded_not_its_repr(tmp_path):
    """A crawler's Parquet may store posts as ``binary``: they loaded as ``b'\\xe6\\xad…'``."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    posts = pa.array(["武汉加油".encode(), "香港加油".encode("gb18030"), b"\xff\xfe ok"], type=pa.binary())
    pq.write_table(pa.table({"content": posts}), tmp_path / "bin.parquet")
    report = load_corpus([str(tmp_path / "bin.parquet")], tmp_path / "ws")
    corpus = _corpus(tmp_path / "ws")
    assert corpus[S.TEXT_RAW].tolist()[:2] == ["武汉加油", "香港加油"]
    assert corpus[S.TEXT_RAW].iloc[2].endswith(" ok") and corpus[S.DECODE_ERROR].tolist() == [False, False, True]
    assert report.files[0].decode_errors == 1
