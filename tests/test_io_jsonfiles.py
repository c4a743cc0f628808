"""Which array of a JSON answer holds the records (opinion.io.jsonarrays, JsonTable)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from opinion import schema as S
from opinion.errors import InputError
from opinion.io.jsonarrays import records_array
from opinion.io.jsonfiles import JsonTable
from opinion.io.load import load_corpus
from opinion.io.workspace import Workspace

ARTICLES = [{"title": f"钟南山：第{i}条新闻", "content": f"新冠肺炎存在人传人现象，第{i}条新闻的正文",
             "pubtime": "2020-01-20 10:00"} for i in range(4)]
LINKS = [{"title": f"推荐阅读{i}", "url": f"http://x/{i}"} for i in range(6)]


def _write(path: Path, obj: object) -> Path:
    path.write_text(json.dumps(obj, ensure_ascii=False), encoding="utf-8")
    return path


def test_json_answer_reads_the_array_with_a_text_column_not_the_longer_side_array(tmp_path):
    """A news API answer: 4 articles in data.list, 6 recommended links beside them. The links
    were loaded (their titles as texts, undated) and the articles neither loaded nor counted."""
    path = _write(tmp_path / "news_api.json", {"code": 0, "data": {"list": ARTICLES, "total": 4}, "recommend": LINKS})
    report = load_corpus([str(path)], tmp_path / "ws")
    f = report.files[0]
    assert (f.rows_read, f.rows_loaded) == (4, 4)
    assert f.columns == {"text": "content", "title": "title", "id": None, "date": "pubtime", "source": None,
                         "array": "data.list"}
    assert [note.split(": ", 1)[1] for note in f.notes] == [
        "records read from data.list (4 objects); not read: recommend (6 objects)"]
    corpus = Workspace.open(tmp_path / "ws").read(S.CORPUS)
    assert corpus[S.TEXT_RAW].tolist() == [a["content"] for a in ARTICLES]


def test_json_answer_with_two_arrays_of_texts_is_refused_naming_both(tmp_path):
    comments = [{"content": f"评论{i}"} for i in range(6)]
    path = _write(tmp_path / "two.json", {"data": {"list": ARTICLES}, "comments": comments})
    with pytest.raises(InputError, match=r"arrays of records are \[comments, data\.list\] \(6 and 4 objects\), "
                                         r"each with a text column.*jq -c '\.comments\[\]'"):
        load_corpus([str(path)], tmp_path / "ws")


def test_json_answer_prefers_the_array_holding_the_text_col_field(tmp_path):
    """``--text-col``'s field names the array (JsonTable's ``prefer``)."""
    posts = [{"c": f"帖子{i}", "t": "2020-01-20"} for i in range(2)]
    obj = {"data": posts, "users": [{"name": f"u{i}", "description": "简介"} for i in range(5)]}
    assert records_array(obj, "a.json").path == "users"  # description: a text name, c is none
    assert records_array(obj, "a.json", prefer="c").path == "data"
    table = JsonTable(_write(tmp_path / "a.json", obj), encoding="auto", prefer="c")
    assert table.columns == ["c", "t"] and table.array == "data"


def test_json_twitter_answer_reads_tweets_not_the_longer_list_of_users():
    tweets = [{"id": str(i), "text": f"武汉加油{i}", "created_at": "2020-02-01T10:00:00.000Z"} for i in range(2)]
    users = [{"id": str(i), "name": f"u{i}", "description": f"简介{i}"} for i in range(9)]
    found = records_array({"data": tweets, "includes": {"users": users}}, "tw.json")
    assert found.path == "data" and found.note.endswith("not read: includes.users (9 objects)")


def test_json_pandas_table_orient_reads_data_not_schema_fields(tmp_path):
    import pandas as pd

    frame = pd.DataFrame({"标题": ["t1", "t2"], "正文": ["武汉加油", "口罩难买"], "发布时间": ["2020-01-20", "2020-01-21"]})
    frame.to_json(tmp_path / "pd_table.json", orient="table", force_ascii=False)
    report = load_corpus([str(tmp_path / "pd_table.json")], tmp_path / "ws")
    assert report.files[0].columns["text"] == "正文" and report.files[0].rows_loaded == 2


def test_json_weibo_search_answer_reads_the_posts_in_card_groups(tmp_path):
    """Weibo's search API nests its posts in cards[].card_group[]: the load stopped with
    `found [card_type, card_group]; pass --text-col`."""
    def card(i: int) -> dict[str, object]:
        return {"card_type": 9, "mblog": {"id": str(i), "text": f"第{i}条微博", "created_at": "Sun Jan 19 12:30:00 +0800 2020"}}
    obj = {"ok": 1, "data": {"cards": [{"card_type": 11, "card_group": [card(0), card(1)]},
                                       {"card_type": 11, "card_group": [card(2)]}]}}
    report = load_corpus([str(_write(tmp_path / "wb.json", obj))], tmp_path / "ws")
    f = report.files[0]
    assert f.columns["text"] == "mblog.text" and f.columns["array"] == "data.cards[].card_group"
    assert (f.rows_read, f.rows_loaded) == (3, 3)


def test_json_columns_are_the_fields_of_the_first_objects_not_only_the_first(tmp_path):
    """A card without a post first: its fields were the columns, and no text column was found."""
    obj = {"data": {"cards": [{"card_type": 11, "card_group": []},
                              {"card_type": 9, "mblog": {"text": "武汉加油"}}]}}
    report = load_corpus([str(_write(tmp_path / "c.json", obj))], tmp_path / "ws")
    f = report.files[0]
    assert f.columns["text"] == "mblog.text" and (f.rows_read, f.rows_loaded, f.rows_rejected) == (2, 1, 1)


def test_json_answer_text_col_picks_the_array_that_holds_it(tmp_path):
    """`--text-col summary` names a field of the other array, so the load reads the array whose
    objects have it (the probe and the reading pick the same one): it said "no column 'summary'"."""
    briefs = [{"summary": f"疫情简报第{i}期：武汉新增确诊病例", "day": "2020-02-01"} for i in range(3)]
    path = _write(tmp_path / "answer.json", {"data": {"list": ARTICLES}, "briefs": briefs})
    load_corpus([str(path)], tmp_path / "ws0")  # summary is no text name: the articles
    assert Workspace.open(tmp_path / "ws0").read(S.CORPUS)[S.TEXT_RAW].str.contains("人传人").all()
    load_corpus([str(path)], tmp_path / "ws", text_col="summary")
    corpus = Workspace.open(tmp_path / "ws").read(S.CORPUS)
    assert corpus[S.TEXT_RAW].tolist() == [brief["summary"] for brief in briefs]


@pytest.mark.parametrize("name, text", [
    ("posts.jsonl", '{"text": "第一个", "text": "重复键第二个"}\n{"text": "武汉加油"}\n'
                    '{"text": "口罩难买", "user": {"id": 1, "id": 2}}\n'),
    ("posts.json", '[{"text": "第一个", "text": "重复键第二个"}, {"text": "武汉加油"}, '
                   '{"text": "口罩难买", "user": {"id": 1, "id": 2}}]'),
])
def test_json_repeated_key_keeps_the_earlier_value_in_meta_and_warns_once(tmp_path, name, text):
    """2026-12-08: `{"text": "第一个", "text": "重复键第二个"}` kept the last value and lost the
    first without a word. The last is still read (as Python's json and pandas read it); the
    earlier ones are in meta as text#1, and one note per file names the keys."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    report = load_corpus([path], tmp_path / "ws")
    corpus = Workspace.open(tmp_path / "ws").read(S.CORPUS)
    assert corpus[S.TEXT_RAW].tolist() == ["重复键第二个", "武汉加油", "口罩难买"]
    assert [json.loads(m) for m in corpus[S.META]] == [{"text#1": "第一个"}, {}, {"user.id": 2, "user.id#1": 1}]
    notes = [n for n in report.files[0].notes if "repeated" in n]
    assert len(notes) == 1 and "2 key(s) repeated within an object (text, id" in notes[0]


REPEATS = [f'{{"text": "转发", "text": "武汉加油{i}", "user": {{"id": 1, "id": {i}}}}}' for i in range(3)]


@pytest.mark.parametrize("name, text, where", [
    ("posts.jsonl", "\n".join(REPEATS) + "\n", ", first at row 1"),
    ("posts.json", "[" + ", ".join(REPEATS) + "]", ""),
])
def test_json_repeated_note_counts_distinct_keys_and_rows_apart(tmp_path, name, text, where):
    """2026-12-08 review: the note counted each key of each object: one key repeated on each
    of 620,000 lines was "620,000 key(s) repeated"."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    report = load_corpus([path], tmp_path / "ws")
    (note,) = [n for n in report.files[0].notes if "repeated" in n]
    assert f"2 key(s) repeated within an object (id, text{where}) in 3 row(s): the last value" in note


def _strict_loads(text: str) -> object:
    def refuse(name: str) -> object:
        raise ValueError(f"not strict JSON: {name}")
    return json.loads(text, parse_constant=refuse)


def test_json_meta_is_strict_json_without_nan_or_infinity(tmp_path):
    """2026-12-08: `{"score": 1e400}` was written to meta as `{"score": Infinity}`, which the
    explorer's JavaScript and DuckDB's JSON refuse. A number too large is kept as the text read,
    NaN (a missing value) is null, and a Parquet float NaN or inf is null."""
    path = tmp_path / "tw.jsonl"
    path.write_text('{"text": "武汉加油", "score": 1e400, "likes": NaN, "rank": -Infinity, "x": 0.5}\n',
                    encoding="utf-8")
    load_corpus([path], tmp_path / "ws")
    (meta,) = Workspace.open(tmp_path / "ws").read(S.CORPUS)[S.META]
    assert _strict_loads(meta) == {"score": "1e400", "likes": None, "rank": "-Infinity", "x": 0.5}
    pd.DataFrame({"text": ["口罩难买", "医生辛苦了"], "score": [float("inf"), float("nan")]}).to_parquet(
        tmp_path / "scores.parquet")
    load_corpus([tmp_path / "scores.parquet"], tmp_path / "ws2")
    metas = Workspace.open(tmp_path / "ws2").read(S.CORPUS)[S.META]
    assert [_strict_loads(m) for m in metas] == [{"score": None}, {"score": None}]


HEADLINES = [{"title": f"新闻标题{i}：武汉疫情最新通报", "url": f"http://x/{i}", "ctime": "2020-02-01 10:00"}
             for i in range(30)]
BANNERS = [{"title": "广告：口罩特价", "desc": "点击购买", "url": "http://ad"},
           {"title": "下载APP", "desc": "看更多新闻", "url": "http://app"}]


@pytest.mark.parametrize("text_col", [None, "title"])
def test_json_answer_two_banners_with_desc_do_not_beat_thirty_headlines(tmp_path, text_col):
    """2026-12-08 review: `desc` (a fallback text name) made 2 ads win over 30 headlines of
    `title` only, and `--text-col title` was refused (both arrays hold it). The tier decides
    only among arrays of comparable size."""
    path = _write(tmp_path / "news.json", {"code": 0, "data": {"list": HEADLINES}, "banners": BANNERS})
    report = load_corpus([str(path)], tmp_path / "ws", text_col=text_col)
    f = report.files[0]
    assert (f.rows_loaded, f.columns["array"]) == (30, "data.list")
    assert f.notes[0].endswith("records read from data.list (30 objects); not read: banners (2 objects)")


@pytest.mark.parametrize("text_col", [None, "text"])
def test_json_weibo_comments_read_the_page_not_the_three_hot_comments(tmp_path, text_col):
    """m.weibo.cn's comment answer: 20 comments in data.data, 3 hot ones in data.hot_data, all
    with `text`. It loaded data.data, then (2026-12-08) the load was refused, with --text-col
    too; one array several times larger is read and the other named in the note."""
    comments = [{"id": i, "text": f"第{i}条评论：武汉加油", "created_at": "Sat Feb 01 10:00:00 +0800 2020"}
                for i in range(20)]
    obj = {"ok": 1, "data": {"data": comments, "hot_data": comments[:3], "max_id": 0}}
    report = load_corpus([str(_write(tmp_path / "comments.json", obj))], tmp_path / "ws", text_col=text_col)
    f = report.files[0]
    assert (f.rows_loaded, f.columns["array"]) == (20, "data.data")
    assert f.notes[0].endswith("not read: data.hot_data (3 objects)")


def test_json_arrays_of_texts_of_similar_size_are_refused_largest_first():
    """The refusal named the arrays in file order and its jq wrote the first one, the smaller."""
    obj = {"hot": [{"text": f"热评{i}"} for i in range(4)], "data": [{"text": f"评论{i}"} for i in range(6)]}
    with pytest.raises(InputError, match=r"\[data, hot\] \(6 and 4 objects\), each with a text column.*"
                                         r"jq -c '\.data\[\]'"):
        records_array(obj, "c.json")
    with pytest.raises(InputError, match=r"\[data, hot\] .* each with the field 'text' \(--text-col\)"):
        records_array(obj, "c.json", prefer="text")


def test_json_answer_text_col_in_the_records_and_a_small_side_list_reads_the_records():
    """2026-12-08 regression: ``--text-col title`` on a news answer whose 2 recommended links
    also have a title was refused; of the arrays holding the field, the surest by name wins
    (``title`` with ``content`` before ``title`` alone)."""
    obj = {"data": {"list": [{"title": f"标题{i}", "content": f"正文内容第{i}条，武汉加油"} for i in range(5)]},
           "recommend": [{"title": "推荐1"}, {"title": "推荐2"}]}
    found = records_array(obj, "a.json", prefer="title")
    assert (found.path, len(found.records)) == ("data.list", 5)


def test_json_answer_with_an_empty_records_array_reads_no_side_list(tmp_path):
    """2026-12-08 review: the page after a paged API's last (``data.list: []``) loaded its 2
    recommended links as the corpus, without a word."""
    obj = {"code": 0, "data": {"list": []}, "recommend": [{"title": "推荐1", "url": "x"}, {"title": "推荐2"}]}
    found = records_array(obj, "b.json")
    assert (found.path, found.records) == ("data.list", [])
    assert "not read: recommend (2 objects)" in found.note
    report = load_corpus([str(_write(tmp_path / "b.json", obj))], tmp_path / "ws")
    assert report.total("rows_loaded") == 0
    assert any("data.list (0 objects)" in note for note in report.files[0].notes)
