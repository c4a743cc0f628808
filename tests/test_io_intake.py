"""From records to corpus rows (opinion.io.intake): repeated headers, document ids, page dates."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from opinion import schema as S
from opinion.io.load import load_corpus
from opinion.io.workspace import Workspace


def _corpus(ws: Path) -> pd.DataFrame:
    return Workspace.open(ws).read(S.CORPUS)


def test_a_header_repeated_in_another_order_reads_the_rows_after_it_by_that_order(tmp_path):
    """Exports of two tool versions joined: the second header (正文,标题) loaded as a document
    whose text was 标题, and the rows after it had title and text swapped."""
    (tmp_path / "joined.csv").write_text(
        "标题,正文,发布时间\nt1,武汉加油，一起努力,2020-01-20\n"
        "正文,标题,发布时间\n口罩难买怎么办呢,t2,2020-01-21\n"
        "标题,正文,发布时间\nt3,医生辛苦了,2020-01-22\n", encoding="utf-8")
    report = load_corpus([str(tmp_path / "joined.csv")], tmp_path / "ws")
    corpus = _corpus(tmp_path / "ws")
    assert list(zip(corpus[S.TITLE], corpus[S.TEXT_RAW])) == [
        ("t1", "武汉加油，一起努力"), ("t2", "口罩难买怎么办呢"), ("t3", "医生辛苦了")]
    assert report.total("dates_missing") == 0
    with open(tmp_path / "ws" / "rejects.csv", encoding="utf-8-sig", newline="") as fh:
        reasons = [(row["row"], row["reason"]) for row in csv.DictReader(fh)]
    assert [row for row, _ in reasons] == ["3", "5"]
    assert "in another column order (正文, 标题, 发布时间)" in reasons[0][1]
    assert reasons[1][1].startswith("the header row again, not a document")


def test_folder_document_ids_do_not_change_when_a_page_is_added(tmp_path):
    """Ids were the ordinal in the folder: adding a.txt made tf-1 name a.txt instead of b.txt."""
    folder = tmp_path / "tf"
    folder.mkdir()
    for name in "bcd":
        (folder / f"{name}.txt").write_text(f"文章{name}的标题\n正文内容{name}。\n", encoding="utf-8")
    load_corpus([str(folder)], tmp_path / "ws")
    before = dict(zip(_corpus(tmp_path / "ws")[S.DOC_ID], _corpus(tmp_path / "ws")[S.INPUT_FILE]))
    (folder / "a.txt").write_text("新文章\n正文\n", encoding="utf-8")
    load_corpus([str(folder)], tmp_path / "ws", replace=True)
    after = dict(zip(_corpus(tmp_path / "ws")[S.DOC_ID], _corpus(tmp_path / "ws")[S.INPUT_FILE]))
    assert before == {"tf-b": f"{folder}/b.txt", "tf-c": f"{folder}/c.txt", "tf-d": f"{folder}/d.txt"}
    assert after == {**before, "tf-a": f"{folder}/a.txt"}
    load_corpus([str(folder)], tmp_path / "lines", txt_lines=True)
    assert _corpus(tmp_path / "lines")[S.DOC_ID].tolist()[:3] == ["tf-a-1", "tf-a-2", "tf-b-1"]


def test_a_zoned_page_date_is_put_on_the_load_timezone(tmp_path):
    """A page's `…T16:30:00Z` became 2021-10-12 00:30 whatever --timezone said, while the
    same value in a CSV followed it."""
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "a.html").write_text(
        '<html><head><meta property="article:published_time" content="2021-10-11T16:30:00Z">'
        "<title>测试新闻标题</title></head><body><h1>测试新闻标题</h1><p>这是一篇关于疫情防控的新闻报道，"
        "内容较长以便被识别为正文。记者在现场采访了多位市民，他们表示支持防控措施。</p></body></html>", encoding="utf-8")
    (tmp_path / "z.csv").write_text("text,date\n测试新闻,2021-10-11T16:30:00Z\n", encoding="utf-8")
    for zone, want in (("UTC", "2021-10-11 16:30:00"), ("Asia/Shanghai", "2021-10-12 00:30:00")):
        load_corpus([str(folder), str(tmp_path / "z.csv")], tmp_path / zone.replace("/", "_"), timezone=zone)
        assert _corpus(tmp_path / zone.replace("/", "_"))[S.PUBLISHED_AT].astype(str).tolist() == [want, want]


def _xlsx_with_float_ids(path: Path) -> None:
    """A workbook whose id cells are written ``1.0`` (as some exporters write numbers)."""
    import zipfile

    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["id", "正文"])
    for i, text in enumerate(["武汉加油", "口罩难买", "医生辛苦了"], start=1):
        book.active.append([i, text])
    plain = path.with_suffix(".tmp.xlsx")
    book.save(plain)
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w") as out:
        for item in src.infolist():
            data = src.read(item)
            if item.filename.startswith("xl/worksheets/"):
                for i in (1, 2, 3):
                    data = data.replace(f"<v>{i}</v>".encode(), f"<v>{i}.0</v>".encode())
            out.writestr(item, data)


def test_whole_number_ids_read_as_floats_are_ids_without_a_point(tmp_path):
    """2026-12-08: a Parquet id column with one null is float64, and its ids were `1.0`, `2.0`
    (an Excel cell written `1.0` too); a whole number is now `1`. Text ids are kept as written."""
    pd.DataFrame({"id": [1.0, 2.0, None, 4.0], "text": ["武汉加油", "口罩难买", "医生辛苦了", "物资送到了"]}).to_parquet(
        tmp_path / "posts.parquet")
    load_corpus([tmp_path / "posts.parquet"], tmp_path / "ws", id_col="id")
    assert _corpus(tmp_path / "ws")[S.DOC_ID].tolist() == ["1", "2", "4"]
    _xlsx_with_float_ids(tmp_path / "posts.xlsx")
    load_corpus([tmp_path / "posts.xlsx"], tmp_path / "ws2", id_col="id")
    assert _corpus(tmp_path / "ws2")[S.DOC_ID].tolist() == ["1", "2", "3"]
    (tmp_path / "ids.csv").write_text("id,text\n1.0,武汉加油\n007,口罩难买\n", encoding="utf-8")
    load_corpus([tmp_path / "ids.csv"], tmp_path / "ws3", id_col="id")
    assert _corpus(tmp_path / "ws3")[S.DOC_ID].tolist() == ["1.0", "007"]
