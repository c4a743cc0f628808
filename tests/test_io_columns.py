from __future__ import annotations

import pytest

from opinion.errors import InputError
from opinion.io.columns import longest_column, looks_like_header, map_columns, unique_names


@pytest.mark.parametrize("columns, text, title, date, source", [
    (["userid", "text"], "text", None, None, None),
    (["label", "review"], "review", None, None, None),
    (["标题", "正文", "发布时间", "来源"], "正文", "标题", "发布时间", "来源"),
    (["標題", "內容", "發布時間", "來源"], "內容", "標題", "發布時間", "來源"),
    (["Title", "Content", "Published_At", "Source"], "Content", "Title", "Published_At",
     "Source"),
    (["id", "内容", "time"], "内容", None, "time", None),
    (["标题", "类别", "日期"], "标题", None, "日期", None),  # headlines only: the title is the text
    (["Title", "Text"], "Text", "Title", None, None),
])
def test_columns_guess(columns, text, title, date, source):
    mapping = map_columns(columns)
    assert (mapping.text, mapping.title, mapping.date, mapping.source) == (text, title, date,
                                                                          source)
    assert mapping.id is None  # ids are never guessed


def test_columns_title_read_as_text_only_when_the_file_has_no_text_column():
    assert map_columns(["标题", "类别"]).title_as_text
    chosen = map_columns(["标题", "正文"], text_col="标题")  # the user's choice, not a fallback
    assert chosen.text == "标题" and not chosen.title_as_text
    assert "title_as_text" not in map_columns(["标题"]).as_dict()  # the manifest records roles only


def test_columns_given_names_win_over_guesses():
    mapping = map_columns(["text", "摘要", "id"], text_col="摘要", id_col="id")
    assert mapping.text == "摘要" and mapping.id == "id"
    assert mapping.mapped() == {"摘要", "id"}


def test_columns_missing_text_lists_columns_found():
    with pytest.raises(InputError, match=r"weibo.csv: .*found \[userid, 内容x\].*--text-col"):
        map_columns(["userid", "内容x"], where="weibo.csv")


def test_columns_given_column_must_exist():
    with pytest.raises(InputError, match=r"no column 'body' for --text-col; found \[a, b\]"):
        map_columns(["a", "b"], text_col="body")


@pytest.mark.parametrize("cells, expected", [
    (["userid", "text"], True),
    (["label", "review"], True),
    (["60年铁树开花形状似玉米芯(组图)", "5"], False),
    (["体验2D巅峰 倚天屠龙记十大创新概览", "8"], False),
    (["a", "a"], False),
    (["id", ""], False),
])
def test_columns_looks_like_header(cells, expected):
    assert looks_like_header(cells) is expected


def test_columns_unique_names_and_longest():
    assert unique_names(["a", "", "a", None]) == ["a", "column_2", "a_2", "column_4"]
    rows = [["长长的新闻标题在这里", "5"], ["另一个标题", "8"]]
    assert longest_column(rows, ["column_1", "column_2"]) == "column_1"
