"""Hostile exports found on 2026-12-07 (findings_load 2, 5, 6, 7 and two minor ones): half an
emoji in JSON, file names in GBK bytes, a browser's saved-page folders, a CSV whose first row
is a post, a JSON array named .jsonl and a repeated header with a repeated name. Each input
loads its rows or stops with one line, and loaded + rejected = rows read.
"""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from opinion import schema as S
from opinion.cli import app
from opinion.errors import InputError
from opinion.io.load import load_corpus
from opinion.io.workspace import Workspace

HALF_EMOJI = [  # a Weibo API dump cut at a length limit: half a surrogate pair, as JSON writes it
    '{"text": "武汉加油\\ud83d", "created_at": "2020-02-01 10:00"}',
    '{"text": "正常的帖子", "created_at": "2020-02-01 11:00"}',
    '{"text": "第三条", "user": "昵称\\ud83d", "created_at": "2020-02-01 12:00"}',
]


def _load(paths, ws, **kwargs):
    report = load_corpus([str(p) for p in paths], ws, **kwargs)
    for f in report.files:
        assert f.rows_read == f.rows_loaded + f.rows_rejected, f
    return report


def _corpus(ws: Path):
    return Workspace.open(ws).read(S.CORPUS)


def _rejects(ws: Path) -> list[dict[str, str]]:
    with open(ws / "rejects.csv", encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


# --- 2: half an emoji in a JSON string ----------------------------------------------------

@pytest.mark.parametrize("in_folder", [False, True])
def test_json_half_emoji_loads_as_fffd_and_counts_the_row_broken(tmp_path, in_folder):
    """A lone ``\\ud83d`` crashed the load with a traceback (file named) or rejected the
    whole file (in a folder); now the rows load, the half becomes U+FFFD and is counted."""
    folder = tmp_path / "dump"
    folder.mkdir()
    (folder / "weibo.jsonl").write_text("\n".join(HALF_EMOJI) + "\n", encoding="utf-8")
    report = _load([folder if in_folder else folder / "weibo.jsonl"], tmp_path / "ws")
    f = report.files[0]
    assert (f.rows_read, f.rows_loaded, f.rows_rejected, f.decode_errors) == (3, 3, 0, 2)
    df = _corpus(tmp_path / "ws")
    assert df[S.TEXT_RAW].tolist() == ["武汉加油\ufffd", "正常的帖子", "第三条"]
    assert df[S.DECODE_ERROR].tolist() == [True, False, True]
    assert json.loads(df[S.META].iloc[2]) == {"user": "昵称\ufffd"}


def test_json_array_half_emoji_and_cli_has_no_traceback(tmp_path):
    records = [json.loads(line) for line in HALF_EMOJI]
    path = tmp_path / "weibo.json"
    path.write_text(json.dumps(records), encoding="utf-8")  # ensure_ascii: "\ud83d" escapes
    result = CliRunner().invoke(app, ["load", str(path), "-w", str(tmp_path / "ws")])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    df = _corpus(tmp_path / "ws")
    assert df[S.TEXT_RAW].tolist() == ["武汉加油\ufffd", "正常的帖子", "第三条"]
    assert df[S.DECODE_ERROR].sum() == 2


# --- 6: file names in GBK bytes (a Windows zip unpacked on Linux) -------------------------

def _gbk(folder: Path, name: str) -> Path:
    return Path(os.fsdecode(os.fsencode(folder) + b"/" + name.encode("gbk")))


def test_gbk_file_names_load_and_are_stored_as_they_read(tmp_path):
    """Their surrogate escapes crashed the hash, the Parquet ``input_file`` and rejects.csv."""
    exports, news = tmp_path / "exports", _gbk(tmp_path, "新闻")
    exports.mkdir()
    news.mkdir()
    _gbk(exports, "微博导出.csv").write_text("内容,时间\n武汉加油,2020-02-01\n", encoding="utf-8")
    _gbk(exports, "坏文件.csv").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))  # rejected whole
    _gbk(news, "钟南山.txt").write_text("钟南山：疫情有望4月底结束\n正文内容。\n", encoding="utf-8")
    report = _load([exports, news], tmp_path / "ws")
    loaded = {Path(f.path).name: f.rows_loaded for f in report.files}
    assert loaded == {"微博导出.csv": 1, "坏文件.csv": 0, "新闻": 1}
    df = _corpus(tmp_path / "ws").sort_values(S.DOC_ID)
    assert df[S.INPUT_FILE].tolist() == [str(exports / "微博导出.csv"), str(tmp_path / "新闻" / "钟南山.txt")]
    assert df[S.SOURCE].tolist() == [None, "新闻"]
    assert df[S.DOC_ID].tolist() == ["微博导出-2", "新闻-钟南山"]
    rejected = _rejects(tmp_path / "ws")
    assert [r["file"] for r in rejected] == [str(exports / "坏文件.csv")]
    manifest = json.loads((tmp_path / "ws" / "manifest.json").read_text(encoding="utf-8"))
    assert str(exports / "微博导出.csv") in [i["path"] for i in manifest["inputs"]]
    again = _load([exports, news], tmp_path / "ws", skip_loaded=True)  # `opinion run` again
    assert len(again.skipped) == 3 and not again.files


def test_readable_reads_gbk_bytes_as_gb18030_else_escapes_them():
    from opinion.io.sources import readable

    assert readable(os.fsdecode("/数据/".encode() + "微博导出.csv".encode("gbk"))) == "/数据/微博导出.csv"
    assert readable(os.fsdecode(b"/d/\xff\xfe.csv")) == "/d/\\xff\\xfe.csv"  # not GB18030 either
    assert readable("半个表情\ud83d") == "半个表情\ufffd"
    assert readable("/数据/微博.csv") == "/数据/微博.csv"


# --- 7: a browser's "save page, complete" folder ------------------------------------------

def _saved_page(folder: Path, resources: str = "钟南山_files") -> None:
    (folder / resources).mkdir(parents=True)
    (folder / "钟南山.html").write_text(
        '<html><head><meta charset="utf-8"><title>钟南山：疫情有望4月底结束</title></head><body>'
        "<h1>钟南山：疫情有望4月底结束</h1><p>中新网广州2月27日电，钟南山院士在发布会上表示，疫情有望"
        "在4月底基本控制。</p></body></html>", encoding="utf-8")
    (folder / resources / "saved_resource.html").write_text(
        "<html><body><p>热门推荐：点击领取新人红包</p></body></html>", encoding="utf-8")
    (folder / resources / "share.htm").write_text(
        "<html><body><p>分享到：微博 微信 QQ空间</p></body></html>", encoding="utf-8")
    (folder / resources / "style.css").write_text("body{}", encoding="utf-8")


@pytest.mark.parametrize("resources", ["钟南山_files", "钟南山.files"])
def test_saved_page_resource_folder_is_left_out_and_said(tmp_path, resources):
    """Its frames (ads, share bars) were loaded as documents of a source '钟南山_files'."""
    _saved_page(tmp_path / "news", resources)
    (tmp_path / "news" / "说明.md").write_text("# 抓取说明", encoding="utf-8")
    report = _load([tmp_path / "news"], tmp_path / "ws")
    assert [f.path for f in report.files] == [str(tmp_path / "news")]
    assert _corpus(tmp_path / "ws")[S.TEXT_RAW].str.contains("钟南山院士").tolist() == [True]
    note = report.not_read_note()
    assert note.startswith("1 file(s) in the input folders were not read (.md 1)")
    assert (f"; 3 file(s) in saved-page resource folders left out (.css 1, .htm 1, .html 1): "
            f"{tmp_path / 'news' / resources};") in note
    named = _load([tmp_path / "news" / resources], tmp_path / "ws2")  # named: read
    assert named.files[0].rows_loaded == 2 and not named.saved_pages


def test_files_folder_without_its_page_is_read(tmp_path):
    (tmp_path / "news" / "2020_files").mkdir(parents=True)  # a crawler's folder, no 2020.html
    (tmp_path / "news" / "2020_files" / "a.txt").write_text("武汉加油", encoding="utf-8")
    report = _load([tmp_path / "news"], tmp_path / "ws")
    assert report.files[0].rows_loaded == 1 and report.not_read_note() == ""


# --- 5 (CSV): a first row of posts, taken for column names ---------------------------------

def test_csv_first_row_of_posts_error_names_columns(tmp_path):
    path = tmp_path / "posts.csv"
    path.write_text("武汉加油,微博\n湖北挺住,微信\n中国加油,新闻\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        _load([path], tmp_path / "ws")
    message = str(err.value)
    assert "found [武汉加油, 微博]; the first row may be data" in message
    assert "--columns text,col2" in message and "--text-col NAME" in message
    report = _load([path], tmp_path / "ws", column_names=("text", "col2"))  # as the message says
    assert report.files[0].rows_loaded == 3
    assert _corpus(tmp_path / "ws")[S.TEXT_RAW].tolist() == ["武汉加油", "湖北挺住", "中国加油"]


# --- minor: a JSON array named .jsonl; a repeated header with a repeated name --------------

@pytest.mark.parametrize("last_comma", [False, True])
def test_jsonl_holding_a_json_array_one_object_per_line_is_read(tmp_path, last_comma):
    """Scrapy's ``-o items.json`` layout named .jsonl: 4 of 5 lines were rejected as invalid
    JSON (all of them with a comma after every object)."""
    objs = [json.dumps({"content": f"武汉加油{i}", "time": f"2020-02-0{i + 1}"}, ensure_ascii=False)
            for i in range(3)]
    body = ",\n".join(objs) + (",\n" if last_comma else "\n")
    path = tmp_path / "items.jsonl"
    path.write_text("[\n" + body + "]\n", encoding="utf-8")
    report = _load([path], tmp_path / "ws")
    f = report.files[0]
    assert (f.rows_read, f.rows_loaded, f.columns["text"]) == (3, 3, "content")
    assert any("a JSON array written one object per line" in n for n in f.notes)
    df = _corpus(tmp_path / "ws")
    assert df[S.TEXT_RAW].tolist() == ["武汉加油0", "武汉加油1", "武汉加油2"]
    assert df[S.INPUT_ROW].tolist() == [2, 3, 4]  # the lines, as for JSON Lines


def test_jsonl_holding_a_pretty_printed_array_names_format_json(tmp_path):
    path = tmp_path / "items.jsonl"
    path.write_text(json.dumps([{"content": "武汉加油"}], ensure_ascii=False, indent=2), encoding="utf-8")
    with pytest.raises(InputError, match=r"items.jsonl: a JSON array whose objects span several lines .*--format json$"):
        _load([path], tmp_path / "ws")
    assert _load([path], tmp_path / "ws", fmt="json").files[0].rows_loaded == 1


def test_repeated_header_with_a_repeated_name_is_the_header_again(tmp_path):
    """``标题,内容,发布时间,内容``: the second 内容 is column 内容_2, and the check compared
    the repeated header's 内容 with 内容_2, so the header loaded as a document."""
    def export(day: str, titles: str) -> str:
        rows = "".join(f"{t},正文{t},{day},摘要{t}\n" for t in titles)
        return "标题,内容,发布时间,内容\n" + rows

    path = tmp_path / "cat.csv"
    path.write_text(export("2020-02-01", "AB") + export("2020-02-02", "C"), encoding="utf-8")
    report = _load([path], tmp_path / "ws")
    assert (report.files[0].rows_loaded, report.files[0].dates_unreadable) == (3, 0)
    assert [r["row"] for r in _rejects(tmp_path / "ws")] == ["4"]
    assert _corpus(tmp_path / "ws")[S.TITLE].tolist() == ["A", "B", "C"]
