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
    # names that end like a known one: 發佈 is Taiwan's usual form of 發布
    (["新聞標題", "回覆內容", "發佈時間", "新聞來源"], "回覆內容", "新聞標題", "發佈時間", "新聞來源"),
    (["post_content", "publish_date"], "post_content", None, "publish_date", None),
    (["评论时间", "内容", "发布时间"], "内容", None, "发布时间", None),  # a known name first
    # names some exports give the text and the outlet: 博文, 弹幕, 媒体名称, 来源网站
    (["博文", "时间"], "博文", None, "时间", None),
    (["弹幕", "发送时间"], "弹幕", None, "发送时间", None),
    (["正文内容", "媒体名称", "发布日期"], "正文内容", None, "发布日期", "媒体名称"),
    (["原文", "来源网站"], "原文", None, None, "来源网站"),
    (["标题", "摘要", "正文"], "正文", "标题", None, None),  # a summary only when there is no text
    (["title", "description"], "description", "title", None, None),
    (["问题", "回答", "回答时间"], "回答", "问题", "回答时间", None),  # a Q&A site's export
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
    (["id", "", "text"], False),
    (["text", "date", "", ""], True),  # Excel's empty columns after the last name
    (["标题", "正文", "发布时间", ""], True),
    (["60年铁树开花形状似玉米芯(组图)", "5", ""], False),
])
def test_columns_looks_like_header(cells, expected):
    assert looks_like_header(cells) is expected


def test_columns_unique_names_and_longest():
    assert unique_names(["a", "", "a", None]) == ["a", "column_2", "a_2", "column_4"]
    rows = [["长长的新闻标题在这里", "5"], ["另一个标题", "8"]]
    assert longest_column(rows, ["column_1", "column_2"]) == "column_1"


def _rows(**columns: list[object]) -> list[dict[str, object]]:
    return [dict(zip(columns, values)) for values in zip(*columns.values())]


@pytest.mark.parametrize("columns, day, time", [
    (["内容", "发布日期", "发布时间"], "发布日期", "发布时间"),  # 发布时间 is guessed first: swapped
    (["text", "date", "time"], "date", "time"),
    (["微博正文", "日期", "时间"], "日期", "时间"),
])
def test_columns_a_day_and_a_time_of_day_kept_apart_make_one_date(columns, day, time):
    """A Chinese export with 发布日期 2020-02-01 beside 发布时间 10:15 had every date read
    from the time column and lost (3 of 3 'could not be read')."""
    from opinion.io.columns import split_date_time

    rows = _rows(**{columns[0]: ["武汉加油", "口罩到了", "辛苦了"], day: ["2020-02-01", "2020年2月2日", "2020/2/3"],
                    time: ["10:15", "23:59:30", "8时05分"]})
    mapping = split_date_time(map_columns(columns), columns, rows)
    assert (mapping.date, mapping.time) == (day, time)
    assert mapping.as_dict()["time"] == time and time not in set(columns) - mapping.mapped()


def test_columns_date_and_time_stay_as_they_are_unless_they_are_a_day_and_a_time():
    from opinion.io.columns import split_date_time

    columns = ["text", "date", "time"]
    full = _rows(text=["a", "b"], date=["2020-02-01 10:00", "2020-02-02 11:00"], time=["10:15", "11:00"])
    assert split_date_time(map_columns(columns), columns, full).time is None  # the date has its time
    plain = ["text", "date", "remark"]  # a time-like column without a date column's name
    rows = _rows(text=["a", "b"], date=["2020-02-01", "2020-02-02"], remark=["10:15", "11:00"])
    assert split_date_time(map_columns(plain), plain, rows).time is None


@pytest.mark.parametrize("columns, text, date", [
    # a comment export: the comment (评论内容, dated by 评论时间), not the post it answers
    (["评论id", "评论用户", "评论内容", "评论时间", "点赞数", "微博id", "微博内容"], "评论内容", "评论时间"),
    (["comment_id", "weibo_content", "comment_content", "comment_time"], "comment_content", "comment_time"),
    (["回复内容", "帖子内容", "回复时间"], "回复内容", "回复时间"),
    # a scraped Weibo page: 评论 beside 转发 and 点赞 is the comment count, 博文 the post
    (["昵称", "博文", "发博时间", "转发", "评论", "点赞"], "博文", "发博时间"),
    (["user", "tweet", "retweets", "comment", "likes"], "tweet", None),
    (["评论", "时间"], "评论", "时间"),  # a list of comments: 评论 is the text
    # the crawl's time loses to the post's
    (["采集时间", "用户", "帖子内容", "发帖时间"], "帖子内容", "发帖时间"),
    (["抓取时间", "入库时间", "正文", "发文日期"], "正文", "发文日期"),
    (["crawl_time", "content", "post_date"], "content", "post_date"),
    (["采集时间", "正文"], "正文", "采集时间"),  # the only date there is
    # bodies Taiwan's, Douyin's, Xiaohongshu's and Weibo's exports name so
    (["標題", "內文", "作者", "時間"], "內文", "時間"),
    (["作品标题", "作品描述", "发布时间"], "作品描述", "发布时间"),
    (["视频描述", "点赞数"], "视频描述", None),
    (["微博id", "发布者", "微博文本", "发布时间"], "微博文本", "发布时间"),
    (["笔记标题", "笔记内容"], "笔记内容", None),
    (["貼文", "讚數"], "貼文", None),
])
def test_columns_guess_row_level_text_and_post_date(columns, text, date):
    mapping = map_columns(columns)
    assert (mapping.text, mapping.date) == (text, date)


@pytest.mark.parametrize("columns, given, text, date", [
    # 2026-12-08 review: the post's 发布时间 ranked first, so each comment loaded the post's text
    (["微博id", "微博内容", "发布时间", "评论id", "评论用户", "评论内容", "评论时间"], None, "评论内容", "评论时间"),
    (["文章标题", "文章内容", "发布日期", "评论内容", "评论日期"], None, "评论内容", "评论日期"),  # not the article's date
    (["微博内容", "发布时间", "评论内容", "评论时间"], "评论内容", "评论内容", "评论时间"),  # --text-col 评论内容
    (["微博内容", "发布时间", "评论内容", "评论时间"], "微博内容", "微博内容", "发布时间"),  # --text-col 微博内容
    # a nested object's date dates the post it holds, not the record
    (["created_at", "text", "retweeted_status.created_at", "retweeted_status.text"], None, "text", "created_at"),
])
def test_columns_text_and_date_are_chosen_as_a_pair(columns, given, text, date):
    mapping = map_columns(columns, text_col=given)
    assert (mapping.text, mapping.date) == (text, date)


def test_columns_comment_export_with_the_post_time_loads_each_comment_with_its_time(tmp_path):
    from opinion import schema as S
    from opinion.io.load import load_corpus
    from opinion.io.workspace import Workspace

    path = tmp_path / "ce.csv"
    path.write_text("微博id,微博内容,发布时间,评论id,评论用户,评论内容,评论时间\n"
                    "1,钟南山：新冠肺炎存在人传人现象,2020-01-20 21:00,11,张三,太可怕了大家小心,2020-01-20 21:05\n"
                    "1,钟南山：新冠肺炎存在人传人现象,2020-01-20 21:00,12,李四,钟老辛苦了,2020-01-20 21:10\n"
                    "1,钟南山：新冠肺炎存在人传人现象,2020-01-20 21:00,13,王五,戴好口罩少出门,2020-01-21 08:00\n",
                    encoding="utf-8")
    report = load_corpus([path], tmp_path / "ws")
    assert report.total("duplicates") == 0  # were 2: the post's text three times
    corpus = Workspace.open(tmp_path / "ws").read(S.CORPUS)
    assert corpus[S.TEXT_RAW].tolist() == ["太可怕了大家小心", "钟老辛苦了", "戴好口罩少出门"]
    assert corpus[S.PUBLISHED_AT].dt.strftime("%m-%d %H:%M").tolist() == ["01-20 21:05", "01-20 21:10", "01-21 08:00"]


def test_columns_a_count_column_taken_for_the_text_gives_way_to_the_text_by_content():
    from opinion.io.columns import text_by_content

    columns = ["昵称", "原文", "评论数量", "评论"]  # no 转发/点赞 beside it: the name cannot tell
    rows = [{"昵称": "张三", "原文": "武汉加油，大家保重", "评论": "3"}, {"昵称": "李四", "原文": "口罩买不到怎么办", "评论": "暂无"},
            {"昵称": "王五", "原文": "医生辛苦了", "评论": "1万+"}, {"昵称": "赵六", "原文": "转发微博", "评论": "评论"}]
    mapping = map_columns(columns)
    assert mapping.text == "评论"
    assert text_by_content(mapping, columns, rows).text == "原文"
    posts = [{"评论": "说得对，支持", "原文": "钟南山：新冠肺炎存在人传人现象"}, {"评论": "太可怕了", "原文": "钟南山：新冠肺炎存在人传人现象"}]
    assert text_by_content(mapping, columns, posts) is mapping  # comments are text: kept


def test_columns_header_repeated_in_another_order():
    from opinion.io.inputrecords import header_order

    columns = ["标题", "正文", "发布时间"]
    assert header_order(dict(zip(columns, ["正文", "标题", "发布时间"])), columns) == ["正文", "标题", "发布时间"]
    assert header_order(dict(zip(columns, ["\ufeff标题", "正文", "发布时间"])), columns) == columns
    assert header_order(dict(zip(columns, ["正文", "口罩难买", "2020-01-21"])), columns) is None
    repeated = ["标题", "内容", "发布时间", "内容_2"]  # 标题,内容,发布时间,内容
    assert header_order(dict(zip(repeated, ["内容", "标题", "内容", "发布时间"])), repeated) == [
        "内容", "标题", "内容_2", "发布时间"]


def _rows_of(columns: list[str], *rows: tuple[str, ...]) -> list[dict[str, object]]:
    return [dict(zip(columns, row)) for row in rows]


@pytest.mark.parametrize("columns, rows, text", [
    # 2026-12-08 regression: a comment export's 点赞 made 评论 a count by its name, and each
    # comment loaded as a copy of the post (9 of 12 flagged duplicates)
    (["用户", "评论", "点赞", "评论时间", "博文"],
     [("网友1", "支持武汉，一起加油", "3", "2020-01-21 10:00", "原微博：武汉封城第1天"),
      ("网友2", "医生辛苦了", "12", "2020-01-21 11:00", "原微博：武汉封城第1天")], "评论"),
    (["comment", "likes", "comment_time", "post_text"],
     [("stay strong wuhan", "12", "2020-01-23 11:00", "original post about the lockdown"),
      ("thank the doctors", "3", "2020-01-23 12:00", "original post about the lockdown")], "comment"),
    (["博文", "评论", "赞", "时间"],  # no date column names it: its values are text
     [("原微博：武汉封城，大家保重", "支持武汉，一起加油", "12", "2020-01-23"),
      ("原微博：武汉封城，大家保重", "戴好口罩", "3", "2020-01-23")], "评论"),
    # a scraped Weibo page: 评论 holds the counts, 博文 the posts
    (["昵称", "博文", "发博时间", "转发", "评论", "点赞"],
     [("张三", "武汉加油，大家保重", "1月20日", "5", "评论", "3"), ("李四", "口罩买不到怎么办", "1月20日", "1", "1万+", "2"),
      ("王五", "医生辛苦了", "1月21日", "0", "12", "8")], "博文"),
])
def test_columns_comment_beside_its_likes_is_the_text_by_its_values(columns, rows, text):
    from opinion.io.columns import text_by_content

    sample = _rows_of(columns, *rows)
    assert text_by_content(map_columns(columns), columns, sample).text == text


def test_columns_reply_numbers_are_not_counts():
    """2026-12-08 regression: a 弹幕/comment column half 666, +1, 2333 was taken for counts and
    swapped for the post repeated on every row (39 of 40 rows flagged duplicates)."""
    from opinion.io.columns import text_by_content

    replies = ["666", "+1", "2333", "哈哈哈笑死我了", "8888", "支持", "1", "武汉加油"]
    columns = ["评论", "博文", "评论时间"]
    rows = [{"评论": r, "博文": "这条微博是关于武汉封城的长篇博文", "评论时间": f"2020-01-23 10:0{i}"}
            for i, r in enumerate(replies)]
    assert text_by_content(map_columns(columns), columns, rows).text == "评论"
    plain = ["评论", "博文", "时间"]  # no date column names it: the values decide
    memes = [{"评论": r, "博文": "这条微博是关于武汉封城的长篇博文", "时间": "2020-01-23"}
             for r in ["666", "2333", "8888", "111", "666", "23333", "+1", "加油"]]
    assert text_by_content(map_columns(plain), plain, memes).text == "评论"
    half = [{**row, "评论": r} for row, r in zip(memes, replies)]
    assert text_by_content(map_columns(plain), plain, half).text == "评论"


@pytest.mark.parametrize("columns, text, date", [
    # 2026-12-08 review: post columns first, both pairs named: the comment's pair, not the post's
    (["微博时间", "微博内容", "评论内容", "评论时间"], "评论内容", "评论时间"),
    (["post_time", "post_content", "comment_content", "comment_time"], "comment_content", "comment_time"),
    (["post", "post_date", "comment", "comment_date"], "comment", "comment_date"),  # ae7defa: comment
    (["post_id", "post_content", "post_time", "comment_id", "comment_content", "comment_time", "like_count"],
     "comment_content", "comment_time"),
    (["文章内容", "文章时间", "帖子内容", "帖子时间"], "帖子内容", "帖子时间"),  # no reply word: the later pair
])
def test_columns_of_two_text_and_date_pairs_the_comments_is_taken(columns, text, date):
    mapping = map_columns(columns)
    assert (mapping.text, mapping.date) == (text, date)


def test_columns_header_repeated_with_pandas_index_column():
    """2026-12-08 review: ``,标题,正文`` (pandas' to_csv with its index) joined after another:
    the blank index cell of the header again made it a document."""
    from opinion.io.inputrecords import header_order, repeats_header

    columns = ["index", "标题", "正文", "发布时间"]
    assert repeats_header(dict(zip(columns, ["", "标题", "正文", "发布时间"])), columns)
    assert header_order(dict(zip(columns, ["", "正文", "标题", "发布时间"])), columns) == [
        "index", "正文", "标题", "发布时间"]
    assert header_order(dict(zip(columns, ["", "T2", "正文二", "2020-01-21"])), columns) is None
    assert not repeats_header(dict(zip(columns, ["0", "标题", "正文", "发布时间"])), columns)
