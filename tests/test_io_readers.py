from __future__ import annotations

import gzip
import json
from pathlib import Path

import pandas as pd
import pytest

from opinion import schema as S
from opinion.errors import InputError
from opinion.io.documents import html_document, html_to_text, read_document
from opinion.io.formats import open_table
from opinion.io.load import load_corpus
from opinion.io.readers import MAX_RECORD_LINES
from opinion.io.sources import discover_inputs
from opinion.io.workspace import Workspace


def _records(path: Path, fmt: str = "csv", **kwargs):
    with open_table(path, fmt, **kwargs) as table:
        return table.columns, list(table.records())


def test_readers_csv_unclosed_quote_rejects_one_line_and_resumes(tmp_path):
    path = tmp_path / "quote.csv"
    path.write_text('id,text\n1,正常的一行\n2,"坏的引号没有结束\n3,正常三\n4,"好的"\n5,最后\n',
                    encoding="utf-8")
    columns, records = _records(path)
    assert columns == ["id", "text"]
    rejected = [r for r in records if r.reject]
    assert [r.row for r in rejected] == [3]
    assert "unclosed quote" in rejected[0].reject and "line 3" in rejected[0].reject
    assert rejected[0].raw.startswith('2,"坏的引号')
    loaded = [r.values["id"] for r in records if r.values]
    assert loaded == ["1", "3", "4", "5"]


def test_readers_quotes_that_are_only_text_are_read_as_written(tmp_path):
    """A post that opens with a quotation ("武汉加油" 他说) in a file that does not quote was
    a malformed row; its quotes pair up and it splits into the header's fields, so it reads as
    written, quotes kept. An unclosed quote, or a split that does not fit, is still rejected."""
    tsv = tmp_path / "posts.tsv"
    tsv.write_text('text\tdate\n"武汉加油" 他说\t2020-02-01\n他说"口罩"告急\t2020-02-02\n'
                   '"没有结束 的引号\t2020-02-03\n最后\t2020-02-04\n', encoding="utf-8")
    _, records = _records(tsv, "tsv")
    assert [(r.values or {}).get("text") for r in records] == ['"武汉加油" 他说', '他说"口罩"告急', None, "最后"]
    assert [r.row for r in records if r.reject] == [4]
    csv_path = tmp_path / "posts.csv"
    csv_path.write_text('text,date\n"武汉加油" 他说,2020-02-01\n"好的" 然后,逗号,2020-02-02\n', encoding="utf-8")
    _, records = _records(csv_path)
    assert records[0].values["text"] == '"武汉加油" 他说' and records[1].reject  # three fields: not a fit


def test_readers_csv_unclosed_quote_at_end_of_file(tmp_path):
    path = tmp_path / "tail.csv"
    path.write_text('id,text\n1,好\n2,"没有结束\n3,还在\n', encoding="utf-8")
    _, records = _records(path)
    assert [(r.row, bool(r.reject)) for r in records] == [(2, False), (3, True), (4, False)]


def test_readers_csv_quoted_field_may_span_lines(tmp_path):
    path = tmp_path / "multi.csv"
    path.write_text('id,text\n1,"第一行\n第二行, 有逗号"\n2,下一条\n', encoding="utf-8")
    _, records = _records(path)
    assert [r.values["text"] for r in records] == ["第一行\n第二行, 有逗号", "下一条"]
    assert [r.row for r in records] == [2, 4]


def test_readers_csv_runaway_quote_is_bounded(tmp_path):
    path = tmp_path / "runaway.csv"
    body = "".join(f"{i},第{i}条\n" for i in range(3, MAX_RECORD_LINES + 10))
    path.write_text('id,text\n1,"开了引号\n' + body, encoding="utf-8")
    _, records = _records(path)
    assert records[0].reject and records[0].row == 2
    assert len([r for r in records if r.values]) == MAX_RECORD_LINES + 7


def test_readers_csv_ragged_rows_are_rejected_trailing_empties_are_not(tmp_path):
    path = tmp_path / "ragged.csv"
    path.write_text("id,text\n1,好\n2,多,了,字段\n3\n4,好的,,\n\n", encoding="utf-8")
    _, records = _records(path)
    reasons = {r.row: r.reject for r in records}
    assert reasons[2] is None and reasons[5] is None
    assert "ragged row: 4 fields, header has 2" in reasons[3]
    assert "ragged row: 1 fields" in reasons[4]
    assert len(records) == 4  # the blank line is not a row


def test_readers_csv_broken_byte_flags_only_its_row(data_dir):
    columns, records = _records(data_dir / "load" / "weibo_2.14_slice.csv.gz")
    assert columns == ["userid", "text"]
    broken = [r for r in records if r.decode_error]
    assert len(records) == 51 and len(broken) == 1
    assert broken[0].values["userid"] == "4774061026"
    assert "\ufffd" in broken[0].values["text"]
    assert all("\ufffd" not in r.values["text"] for r in records if not r.decode_error)


def test_readers_headerless_tsv_numbers_columns(data_dir):
    with open_table(data_dir / "load" / "thucnews_titles_headerless.tsv", "tsv") as table:
        assert not table.has_header
        assert table.columns == ["column_1", "column_2"]
        records = list(table.records())
    assert len(records) == 30
    assert records[0].values == {"column_1": "体验2D巅峰 倚天屠龙记十大创新概览",
                                 "column_2": "8"}


def test_readers_utf16_tsv(tmp_path):
    path = tmp_path / "u16.tsv"
    path.write_bytes("标题\t正文\n武汉\t加油，中国\n".encode("utf-16"))
    columns, records = _records(path, "tsv")
    assert columns == ["标题", "正文"]
    assert records[0].values == {"标题": "武汉", "正文": "加油，中国"}
    assert records[0].encoding == "utf-16"


def test_readers_jsonl_rejects_bad_lines(data_dir, tmp_path):
    path = tmp_path / "x.jsonl"
    lines = (data_dir / "load" / "chnsenticorp_htl.jsonl").read_text(encoding="utf-8")
    path.write_text(lines + "{broken\n[1, 2]\n\n", encoding="utf-8")
    columns, records = _records(path, "jsonl")
    assert columns == ["label", "review"]
    assert len(records) == 26
    assert "invalid JSON" in records[24].reject and records[24].row == 25
    assert "not a JSON object" in records[25].reject


def test_readers_json_array_and_wrapped_array(tmp_path):
    rows = [{"content": "第一"}, {"content": "第二"}, "不是对象"]
    (tmp_path / "a.json").write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "b.json").write_text(json.dumps({"data": rows}, ensure_ascii=False),
                                     encoding="utf-8")
    for name in ("a.json", "b.json"):
        columns, records = _records(tmp_path / name, "json")
        assert columns == ["content"]
        assert [r.reject is None for r in records] == [True, True, False]


def test_readers_json_arrays_under_a_line_of_column_names(tmp_path):
    """A table written as JSON: a first array of names, then one array per row (JSON Lines'
    tabular form, Google Sheets' "values"); a row of another length is rejected, and a first
    array of data is never taken for names."""
    rows = [["标题", "内容", "发布时间"], ["武汉", "武汉加油，大家一起努力", "2020-02-01"], ["武汉", "少一个值"]]
    (tmp_path / "t.jsonl").write_text("\n" + "\n".join(json.dumps(r, ensure_ascii=False) for r in rows)
                                      + '\n{"内容": "对象也读", "发布时间": "2020-02-03"}\n', encoding="utf-8")
    (tmp_path / "t.json").write_text(json.dumps({"range": "A1:C3", "values": rows}, ensure_ascii=False),
                                     encoding="utf-8")
    for name, fmt, first in (("t.jsonl", "jsonl", 3), ("t.json", "json", 2)):
        columns, records = _records(tmp_path / name, fmt)
        assert columns == ["标题", "内容", "发布时间"]
        assert records[0].values == {"标题": "武汉", "内容": "武汉加油，大家一起努力", "发布时间": "2020-02-01"}
        assert records[0].row == first
        assert "2 values where the header names 3" in records[1].reject
    (tmp_path / "data.jsonl").write_text('["武汉加油", "2020-02-01"]\n["香港加油", "2020-02-02"]\n',
                                         encoding="utf-8")
    columns, records = _records(tmp_path / "data.jsonl", "jsonl")
    assert len(records) == 2 and all("a first line of column names" in r.reject for r in records)


def test_readers_excel_sheet_and_rows(data_dir):
    path = data_dir / "load" / "waimai_reviews.xlsx"
    columns, records = _records(path, "xlsx", sheet="reviews")
    assert columns == ["label", "review"]
    assert len(records) == 30 and records[0].row == 2
    with pytest.raises(InputError, match=r"no sheet 'nope'; sheets are \[说明, reviews\]"):
        open_table(path, "xlsx", sheet="nope")


def test_readers_binary_file_is_a_clear_error(tmp_path):
    path = tmp_path / "image.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    with pytest.raises(InputError, match="image.csv: looks like a PNG image"):
        open_table(path, "csv")


def test_readers_empty_and_header_only(tmp_path):
    (tmp_path / "empty.csv").write_bytes(b"")
    (tmp_path / "header.csv").write_text("id,text\n", encoding="utf-8")
    assert _records(tmp_path / "empty.csv") == ([], [])
    assert _records(tmp_path / "header.csv") == (["id", "text"], [])


def test_documents_seed_article_title_and_text(data_dir):
    record = read_document(data_dir / "load" / "live_commerce_trust_article.txt", "txt",
                           source="seed")
    # the breadcrumb line above the headline is page furniture, as cleaning says
    assert record.values["title"] == "直播電商風生水起 信任機制如何建立"
    assert "規(guī)模" in record.values["text"] and record.encoding == "utf-8"


def test_documents_title_passes_over_furniture_only_on_a_page(tmp_path):
    (tmp_path / "page.txt").write_text("当前位置：首页 > 新闻\n\n春运首日客流平稳\n今日全国铁路发送旅客。\n",
                                       encoding="utf-8")
    (tmp_path / "short.txt").write_text("首页 > 新闻\n春运首日", encoding="utf-8")
    (tmp_path / "all.txt").write_text("首页 > 新闻\n返回顶部\n上一篇", encoding="utf-8")
    assert read_document(tmp_path / "page.txt", "txt").values["title"] == "春运首日客流平稳"
    assert read_document(tmp_path / "short.txt", "txt").values["title"] == "首页 > 新闻"  # not a page
    assert read_document(tmp_path / "all.txt", "txt").values["title"] == "首页 > 新闻"  # nothing better


def test_documents_html_title_and_visible_text(tmp_path):
    page = ('<html><head><meta charset="gbk"><title>直播 电商</title>'
            "<style>p{}</style></head><body><p>信任&amp;机制</p><script>var x;</script>"
            "<div>国货</div></body></html>")
    (tmp_path / "p.html").write_bytes(page.encode("gbk"))
    record = read_document(tmp_path / "p.html", "html")
    assert record.values["title"] == "直播 电商"
    assert record.values["text"] == "信任&机制\n国货"
    assert record.encoding == "gb18030"  # a page's gbk is read as GB18030, as browsers do
    assert html_to_text("<p>a</p>")[0] is None


def test_documents_html_drops_ruby_pinyin_and_keeps_table_cells_apart():
    assert html_to_text("<p>这是<ruby>中<rt>zhōng</rt>国<rt>guó</rt></ruby>的新闻。</p>"
                        "<table><tr><td>确诊</td><td>治愈</td></tr></table>")[1] == "这是中国的新闻。\n确诊 治愈"
    # zhuyin with <rp> brackets, and <rt> left open as HTML allows: the page after it stays
    assert html_to_text("<p><ruby>漢<rp>(</rp><rt>ㄏㄢˋ<rp>)</rp></ruby>字</p>") == (None, "漢字")
    assert html_to_text("<p><ruby>中<rt>zhōng</p><p>下一段</p>")[1] == "中\n下一段"
    # a page cut inside a comment (a scraper's size limit): the comment's text is not the page's
    assert html_to_text("<p>正文。</p><!-- 广告开始 <div>广告</div>")[1] == "正文。"
    assert html_to_text("<p>a</p><!-- x --><p>b</p>")[1] == "a\nb"


def test_documents_news_page_gives_its_article_title_and_date(tmp_path):
    """A news page as scraped: menu, breadcrumb, related links, copyright footer around the
    article (tests/data/load/news_page_zh.html, built on a 2020-02-27 China News report)."""
    page = (Path(__file__).parent / "data" / "load" / "news_page_zh.html").read_text(encoding="utf-8")
    title, text, date = html_document(page)
    assert title == "钟南山：疫情有望4月底结束"  # without _新闻中心_新浪网
    assert text.startswith("中新网广州2月27日电") and "拐点" in text
    for furniture in ("体育", "财经", "相关阅读", "武汉新增确诊病例持续下降", "Copyright", "返回顶部"):
        assert furniture not in text
    assert date == "2020-02-27 14:35"  # the time the page writes after the day (the day alone until 2026-12-07)
    (tmp_path / "page.gbk.html").write_bytes(page.replace("utf-8", "gb18030").encode("gb18030"))
    record = read_document(tmp_path / "page.gbk.html", "html")
    assert record.values["text"] == text and record.values["page_date"] == "2020-02-27 14:35"


def test_documents_txt_dateline_dates_a_saved_article_but_a_reported_date_does_not(tmp_path):
    (tmp_path / "a.txt").write_text("钟南山：疫情有望4月底结束\n2020年02月27日 14:35 来源：中国新闻网\n"
                                    "中新网广州2月27日电 钟南山表示，有信心在4月底基本控制疫情。\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("钟南山表态\n据报道，2020年2月27日，钟南山在广州表示，有信心在4月底基本控制疫情。\n",
                                    encoding="utf-8")
    assert read_document(tmp_path / "a.txt", "txt").values["page_date"] == "2020-02-27 14:35"
    assert read_document(tmp_path / "b.txt", "txt").values["page_date"] is None
    report = load_corpus([str(tmp_path)], tmp_path / "ws")
    dates = Workspace.open(tmp_path / "ws").read(S.CORPUS).set_index(S.TITLE)[S.PUBLISHED_AT]
    assert dates["钟南山：疫情有望4月底结束"] == pd.Timestamp("2020-02-27 14:35") and pd.isna(dates["钟南山表态"])
    assert report.files[0].dates_missing == 1


def test_documents_page_dated_by_the_line_under_its_headline_not_the_portals_today_line(tmp_path):
    """人民网 writes 2020年02月01日08:21 under the headline, which the date finder did not read;
    it took the portal's "today" line above the headline instead (2020-02-07, a crawl date)."""
    page = ("<html><head><meta charset='utf-8'><title>召开专题会议部署工作_新闻_人民网</title></head><body>"
            "<div>2020年2月7日 星期五</div><div>首页 新闻 评论</div><h1>召开专题会议部署工作</h1>"
            "<p>{byline}</p><p>记者从有关部门获悉，当地近日召开专题会议，部署下一阶段的重点工作，要求各单位"
            "压实责任、加强协调。</p><p>会议指出，要坚持问题导向，及时回应群众关切。</p></body></html>")
    assert html_document(page.format(byline="2020年02月01日08:21  来源：人民网"))[2] == "2020-02-01 08:21"
    assert html_document(page.format(byline="发布时间：2020年2月1日"))[2] == "2020-02-01"
    reported = page.format(byline="据报道，2020年2月1日，当地召开了专题会议，部署下一阶段的各项重点工作。")
    assert html_document(reported)[2] != "2020-02-01"  # what the article reports on is not its date
    saved = "2020年2月7日 星期五\n召开专题会议部署工作\n2020年02月01日08:21  来源：人民网\n记者从有关部门获悉。\n"
    (tmp_path / "saved.txt").write_text(saved, encoding="utf-8")  # the same page saved as text
    values = read_document(tmp_path / "saved.txt", "txt").values
    assert values["title"] == "召开专题会议部署工作" and values["page_date"] == "2020-02-01 08:21"
    (tmp_path / "dated_title.txt").write_text("2020年2月1日湖北新增确诊病例1921例\n来源：新华网\n正文。\n",
                                              encoding="utf-8")  # a headline that starts with a date stays the title
    assert read_document(tmp_path / "dated_title.txt", "txt").values["title"] == "2020年2月1日湖北新增确诊病例1921例"


def test_documents_page_date_must_be_written_in_full_and_no_page_is_emptied():
    # a copyright year is not a publication date (htmldate would say 2019-01-01)
    assert html_document("<body><p>楼主：今天去医院排队三个小时，太难了。</p><footer>© 2019 论坛</footer></body>")[2] is None
    assert html_document("<body><p>发布时间：2020-03-06 09:00</p><p>正文内容足够长一些以便被识别为正文。</p></body>")[2] \
        == "2020-03-06 09:00"
    assert html_document("<body><p>发布时间：2020-03-06</p><p>正文内容足够长一些以便被识别为正文。</p></body>")[2] \
        == "2020-03-06"  # no time written: the day
    assert html_document("<p>a</p>")[1] == "a"


def test_sources_folder_glob_and_groups(tmp_path):
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "a.txt").write_text("标题\n正文", encoding="utf-8")
    (folder / "b.txt").write_text("标题二\n正文二", encoding="utf-8")
    (folder / "c.csv.gz").write_bytes(gzip.compress("text\n一\n".encode()))
    (folder / "notes.md").write_bytes(b"ignored")
    (folder / "report.docx").write_bytes(b"PK\x03\x04")  # read by nobody: rejected whole with a way out
    (folder / ".hidden.csv").write_text("text\nx\n")
    sources = discover_inputs([str(folder), str(folder / "*.txt")])
    assert [(s.fmt, len(s.files)) for s in sources] == [("txt", 2), ("csv", 1), ("not-read", 1)]
    assert sources[0].source_name == "news" and sources[1].base_key() == "c"
    with pytest.raises(InputError, match="no file matches"):
        discover_inputs([str(tmp_path / "*.nope")])
    with pytest.raises(InputError, match="cannot tell the format.*--format"):
        discover_inputs([str(folder / "notes.md")])
    with pytest.raises(InputError, match="report.docx: a Word document is not read"):
        discover_inputs([str(folder / "report.docx")])


def test_documents_name_the_outlet_their_page_states_and_the_flag_makes_it_the_source(tmp_path):
    """A folder of pages scraped from one site had every article's source = the folder's name;
    the 来源 line (the outlet: 新华社, 中国新闻网) was dropped with the page's furniture."""
    from opinion.io.documents import stated_source

    assert stated_source("标题\n2020年02月27日 14:35 来源：中国新闻网\n正文") == "中国新闻网"
    assert stated_source("2020-02-20 來源: 中央社 記者王小明") == "中央社"
    assert stated_source("标题\n" + "正文一句。\n" * 40 + "来源：新华社") is None  # the body quotes it
    page = (Path(__file__).parent / "data" / "load" / "news_page_zh.html").read_text(encoding="utf-8")
    folder = tmp_path / "sina"
    folder.mkdir()
    (folder / "page.html").write_text(page, encoding="utf-8")
    (folder / "a.txt").write_text("钟南山表态\n2020年2月27日 来源：新华社\n正文内容。\n", encoding="utf-8")
    load_corpus([str(folder)], tmp_path / "ws")
    as_folder = Workspace.open(tmp_path / "ws").read(S.CORPUS).set_index(S.TITLE)
    assert set(as_folder[S.SOURCE]) == {"sina"}  # the default stays the folder
    assert json.loads(as_folder.loc["钟南山表态", "meta"]) == {"page_source": "新华社"}
    load_corpus([str(folder)], tmp_path / "ws2", source_from_page=True)
    outlets = Workspace.open(tmp_path / "ws2").read(S.CORPUS).set_index(S.TITLE)[S.SOURCE].to_dict()
    # the Sina page writes its outlet without a 来源 label (2020年02月27日 14:35 中国新闻网): until
    # 2026-12-07 it kept the folder's name
    assert outlets == {"钟南山表态": "新华社", "钟南山：疫情有望4月底结束": "中国新闻网"}
    from opinion.io.documents import dateline_outlet

    assert dateline_outlet("标题\n2020-02-01 10:30 | 澎湃新闻\n正文") == "澎湃新闻"
    for line in ("2020年2月1日 本报讯", "2020年2月1日 星期六", "2020年2月1日 作者 张三"):  # no outlet named
        assert dateline_outlet(f"标题\n{line}\n正文") is None
    labelled = page.replace("<a>中国新闻网</a>", "来源：<a>中国新闻网</a>")
    assert stated_source(html_to_text(labelled)[1]) == "中国新闻网"


def test_readers_csv_record_ended_by_a_lone_cr_in_an_lf_file_is_its_own_row(tmp_path):
    """2026-12-08: a file joined from a Mac ("CSV (Macintosh)", CR) and a Windows export was
    split on LF only: each CR-ended post was glued to the next and both rejected as one
    malformed row. Now every post is a row, numbered as an editor numbers the lines, and a CR
    inside a quoted cell stays in it."""
    rows = ["标题,正文,发布时间"] + [f"标题{i},武汉加油第{i}条,2020年3月{i}日 12:00" for i in range(1, 10)]
    rows[4] = '标题4,"单元格内\r换行",2020年3月4日 12:00'
    path = tmp_path / "mixed.csv"
    path.write_bytes(b"".join(line.encode("gb18030") + (b"\r\n", b"\n", b"\r")[i % 3]
                              for i, line in enumerate(rows)))
    columns, records = _records(path)
    assert not [r for r in records if r.reject]
    assert [r.row for r in records] == list(range(2, 11))
    assert [r.values["正文"] for r in records][2:4] == ["武汉加油第3条", "单元格内\r换行"]


def test_readers_cr_only_file_with_an_lf_inside_a_cell_is_read_by_cr(tmp_path):
    """A Mac export whose one cell holds an Alt-Enter LF was taken for an LF file and refused
    whole ("cannot read the header"): lone CRs outside quotes outnumber the LFs."""
    rows = ["标题,正文,发布时间"] + [f"t{i},第{i}条正文内容,2020-03-{i:02d}" for i in range(1, 10)]
    rows[3] = 't3,"单元格内\n换行的正文",2020-03-03'
    path = tmp_path / "mac.csv"
    path.write_bytes("\r".join(rows).encode() + b"\r")
    columns, records = _records(path)
    assert columns == ["标题", "正文", "发布时间"] and len(records) == 9 and not [r for r in records if r.reject]
    assert records[2].values["正文"] == "单元格内\n换行的正文"


def test_readers_one_column_csv_reads_a_post_with_commas_whole(tmp_path):
    """A list of comments under one header name: a comma there is text, not a delimiter
    (every post with one was a ragged row)."""
    path = tmp_path / "onecol.csv"
    path.write_text("评论\n说得好,支持\n太难了\n哈哈哈, 笑死,我了\n", encoding="utf-8")
    columns, records = _records(path)
    assert columns == ["评论"] and [r.values["评论"] for r in records] == ["说得好,支持", "太难了", "哈哈哈, 笑死,我了"]
    wide = tmp_path / "wide.csv"
    wide.write_text("id,text\n1,好\n2,一,二\n", encoding="utf-8")
    assert "quote a field that holds the delimiter ','" in _records(wide)[1][1].reject


def test_readers_nul_padded_csv_reads_with_a_named_encoding(tmp_path):
    """A database export padding CHAR(n) cells with NUL bytes was refused as binary with no
    way out; with --encoding it reads without the NULs, and the refusal says so."""
    rows = ["id,text,source"] + [f"{i},这是第{i}条微博的内容,{'weibo'.ljust(20, chr(0))}" for i in range(100)]
    path = tmp_path / "nulpad.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="padded with NUL bytes.*pass --encoding"):
        _records(path)
    columns, records = _records(path, encoding="utf-8")
    assert len(records) == 100 and records[5].values == {"id": "5", "text": "这是第5条微博的内容", "source": "weibo"}


def test_readers_lone_cr_inside_an_unquoted_cell_does_not_cut_the_post(tmp_path):
    """2026-12-08 regression: a lone CR inside an unquoted cell of an LF file cut the record:
    its head was rejected as a ragged row, its tail loaded as the post, and every later row
    number shifted. A line is cut at a lone CR only where the record before it is whole."""
    path = tmp_path / "lonecr.csv"
    path.write_bytes("内容,时间\n武汉封城第一天。\r大家保重,2020-01-20\n正常,2020-01-21\na,2020-01-22\rb,2020-01-23\n"
                     .encode())
    columns, records = _records(path)
    assert not [r for r in records if r.reject]
    assert [(r.row, r.values["内容"]) for r in records] == [
        (2, "武汉封城第一天。\r大家保重"), (3, "正常"), (4, "a"), (5, "b")]  # a whole record before the CR: cut


def test_readers_crcrlf_line_ends_keep_the_row_numbers(tmp_path):
    """2026-12-08 regression: Python's csv on Windows without ``newline=""`` ends each line in
    ``\\r\\r\\n``; rows were numbered 3, 5, 7 … (each CR taken for a record end) instead of
    2, 3, 4 … as Excel shows them."""
    path = tmp_path / "crcrlf.csv"
    path.write_bytes(b"".join(f"{line}\r\r\n".encode() for line in
                              ["标题,内容,发布时间", "t1,内容1,2020-01-21", 't2,"多行\r\r\r\n内容2",2020-01-22',
                               "t3,内容3,2020-01-23"]))
    columns, records = _records(path)
    assert [(r.row, r.values["标题"]) for r in records] == [(2, "t1"), (3, "t2"), (5, "t3")]
    assert not [r for r in records if r.reject]
