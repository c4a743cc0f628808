"""Folders of saved pages and articles: charsets, linked folders and files, names, titles,
dates and outlets (the 2026-12-07 findings on loading .txt/.html folders).

The pages are built from the seed article (tests/data/load/live_commerce_trust_article.txt,
its pinyin annotations removed) in a news page's frame, as the tester built them."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pandas as pd
import pytest

from opinion import schema as S
from opinion.io.documents import html_document, read_document, stated_source
from opinion.io.load import load_corpus
from opinion.io.sources import discover_inputs
from opinion.io.workspace import Workspace

SEED = (Path(__file__).parent / "data" / "load" / "live_commerce_trust_article.txt").read_text(encoding="utf-8")
_LINES = [line.strip() for line in SEED.splitlines() if line.strip()]
HEADLINE = _LINES[1]  # 直播電商風生水起 信任機制如何建立
PARAGRAPHS = [re.sub(r"\([^()\u4e00-\u9fff\sA-Z0-9]+\)", "", line) for line in _LINES[2:_LINES.index("推薦閱讀:")]]


def page(*, charset: str = '<meta charset="utf-8">', title: str = f"{HEADLINE}_某某網",
         headline: str = f"<h1>{HEADLINE}</h1>", byline: str = "2021年10月12日 08:21 來源：中央社",
         head: str = "", body: str = "") -> str:
    """A news page: menu, breadcrumb, headline, byline, the article, related links, footer."""
    paragraphs = body or "\n".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return (f"<!DOCTYPE html><html><head>{charset}<title>{title}</title>{head}</head><body>"
            "<div class='nav'><ul><li><a href='/'>首頁</a></li><li><a>國內</a></li><li><a>財經</a></li></ul></div>"
            f"<div class='crumb'>當前位置：首頁 &gt; 電商 &gt; 正文</div>\n{headline}<div class='info'>{byline}</div>"
            f"<div class='content'>{paragraphs}</div><div class='editor'>（責任編輯：王小明）</div>"
            "<div class='related'><h3>相關新聞</h3><ul><li><a>市場監管總局：嚴查直播電商虛假宣傳行為</a></li></ul></div>"
            "<div class='footer'>Copyright 2021 某某網 版權所有</div></body></html>")


def _corpus(ws: Path) -> pd.DataFrame:
    frame = Workspace.open(ws).read(S.CORPUS)
    return frame.assign(name=frame[S.INPUT_FILE].map(lambda p: Path(p).name)).set_index("name")


def test_a_declared_charset_loses_to_the_bom_and_to_a_reading_that_reads_as_chinese(tmp_path):
    """Old CMSes send charset=iso-8859-1 on GB18030 pages: the page loaded as Ö±²¥µçÉÌ with
    no broken byte and no warning, as did a Big5 page declaring gb18030 (冀筿坝ネ)."""
    pages = {
        "gbk_declared_latin1.html": (page(charset='<meta http-equiv="Content-Type" content="text/html; '
                                             'charset=iso-8859-1">').encode("gb18030"), "gb18030"),
        "utf8_declared_utf16.html": (page(charset='<meta charset="utf-16">').encode("utf-8") + b"\n", "utf-8"),
        "big5_declared_gb18030.html": (page(charset='<meta charset="gb18030">').encode("big5"), "big5hkscs"),
        "bom_declared_latin1.html": (b"\xef\xbb\xbf" + page(charset='<meta charset="latin1">').encode("utf-8"),
                                     "utf-8-sig"),
        # read as GB18030, as browsers read gbk (Python's gbk refuses U+E627 and 😷): since 2026-12-08
        "gbk_declared_gbk.html": (page(charset='<meta charset="gbk">').encode("gbk"), "gb18030"),
        "gbk_declared_with_emoji.html": ((page(charset='<meta charset="gbk">') + "😷").encode("gb18030"), "gb18030"),
    }
    for name, (data, encoding) in pages.items():
        (tmp_path / name).write_bytes(data)
        record = read_document(tmp_path / name, "html")
        assert (record.values["title"], record.encoding) == (HEADLINE, encoding), name
        assert record.values["text"].startswith(PARAGRAPHS[0]) and not record.decode_error
        assert record.values["page_date"] == "2021-10-12 08:21"
    english = "<html><head><meta charset='iso-8859-1'><title>Caf\xe9</title></head><body><p>Caf\xe9 cr\xe8me</p></body></html>"
    (tmp_path / "latin1.html").write_bytes(english.encode("latin-1"))  # a page that is Latin-1 stays so
    record = read_document(tmp_path / "latin1.html", "html")
    assert record.encoding == "iso8859-1" and "Café crème" in record.values["text"]


def test_linked_folders_are_read_once_and_a_loop_ends(tmp_path):
    """rglob did not enter linked folders: their pages were neither read nor
    counted, and a folder holding only such a link was 'no supported file'."""
    real = tmp_path / "archive" / "news_2021"
    real.mkdir(parents=True)
    for i in range(3):
        (real / f"a{i}.html").write_text(page(title=f"{HEADLINE}{i}_某某網"), encoding="utf-8")
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "local.txt").write_text(f"{HEADLINE}\n{PARAGRAPHS[0]}\n", encoding="utf-8")
    os.symlink(real, folder / "news_2021")
    os.symlink(folder, folder / "loop")  # back up the tree: read once, no endless walk
    sources = discover_inputs([str(folder)])
    assert [(s.fmt, s.source_name, len(s.files)) for s in sources] == [("txt", "corpus", 1), ("html", "news_2021", 3)]
    only = tmp_path / "only"
    only.mkdir()
    os.symlink(real, only / "linked")
    assert [(s.source_name, len(s.files)) for s in discover_inputs([str(only)])] == [("linked", 3)]
    os.symlink(real, real / "again")  # a link to a folder of the tree adds nothing
    assert sum(len(s.files) for s in discover_inputs([str(tmp_path / "archive")])) == 3


def test_a_linked_file_is_read_under_its_own_name_and_dated_by_its_targets(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "2020-02-01_report.txt").write_text(f"{HEADLINE}\n{PARAGRAPHS[1]}\n", encoding="utf-8")
    os.symlink("2020-02-01_report.txt", folder / "0_latest.txt")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "2020-02-02.txt").write_text(f"{HEADLINE}\n{PARAGRAPHS[2]}\n", encoding="utf-8")
    os.symlink(tmp_path / "elsewhere" / "2020-02-02.txt", folder / "latest2.txt")
    load_corpus([str(folder)], tmp_path / "ws", date_from_filename=True)
    dates = _corpus(tmp_path / "ws")[S.PUBLISHED_AT].to_dict()
    assert dates == {"2020-02-01_report.txt": pd.Timestamp("2020-02-01"), "latest2.txt": pd.Timestamp("2020-02-02")}


def test_gbk_byte_file_names_give_their_date(tmp_path):
    """A zip made on Chinese Windows, unpacked on Linux: the names are GBK bytes, and
    --date-from-filename dated nothing while its note asked for --date-from-filename."""
    folder = tmp_path / "gbk"
    folder.mkdir()
    base = os.fsencode(folder) + b"/"
    with open(base + "微博_2020年2月1日.txt".encode("gbk"), "wb") as fh:
        fh.write("武汉加油，口罩告急\n".encode("gbk"))
    with open(base + "微博_2020年2月2日.csv".encode("gbk"), "wb") as fh:
        fh.write("text\n武汉加油，医护人员辛苦了\n".encode("gbk"))
    load_corpus([str(folder)], tmp_path / "ws", date_from_filename=True)
    dates = _corpus(tmp_path / "ws")[S.PUBLISHED_AT].to_dict()
    assert dates == {"微博_2020年2月1日.txt": pd.Timestamp("2020-02-01"), "微博_2020年2月2日.csv": pd.Timestamp("2020-02-02")}


def test_a_footer_disclaimer_names_no_outlet(tmp_path):
    """The seed article ends 來源:會員自助發(fā)布,內容來自網絡: it became the outlet 會員自助發."""
    (tmp_path / "seed.txt").write_text(SEED, encoding="utf-8")
    assert "page_source" not in read_document(tmp_path / "seed.txt", "txt").values
    assert stated_source(SEED) is None
    assert stated_source("标题\n2020年2月1日 来源：网络\n正文") is None  # 来源：网络 names no outlet
    assert stated_source(f"{HEADLINE}\n來源：中央社\n" + "正文。\n" * 10) == "中央社"
    footer = page(byline="2021年10月12日 08:21", body="<p>" + PARAGRAPHS[1] + "</p><p>来源：互联网 不代表本站立场</p>")
    (tmp_path / "footer.html").write_text(footer, encoding="utf-8")
    assert "page_source" not in read_document(tmp_path / "footer.html", "html").values


def test_shtml_and_xhtml_pages_are_read_as_html(tmp_path):
    (tmp_path / "doc-iktzscyx1234567.shtml").write_text(page(title=f"{HEADLINE}_新浪新聞"), encoding="utf-8")
    (tmp_path / "a.xhtml").write_text(page(title=f"{HEADLINE}2_新浪新聞"), encoding="utf-8")
    sources = discover_inputs([str(tmp_path)])
    assert [(s.fmt, len(s.files)) for s in sources] == [("html", 2)]
    assert read_document(sources[0].files[1], "html").values["title"] == HEADLINE


@pytest.mark.parametrize(("head", "byline", "date"), [
    ('<meta property="article:published_time" content="2021-10-12T08:21:00+08:00">', "來源：人民網",
     "2021-10-12 08:21+08:00"),  # stated only in the markup, with its zone (the load puts it on --timezone)
    ("", '<time datetime="2021-10-12T08:21:00+08:00">10月12日 08:21</time> 來源：人民網', "2021-10-12 08:21+08:00"),
    ("", "民國110年10月12日 08:21 來源：中央社", "2021-10-12 08:21"),
    ("", "2021年10月12日 下午3:15 來源：中央社", "2021-10-12 15:15"),
])
def test_page_dates_from_markup_minguo_years_and_afternoon_times(head, byline, date):
    assert html_document(page(head=head, byline=byline))[2] == date


def test_txt_datelines_with_minguo_years_and_afternoon_times(tmp_path):
    for name, line, date in (("minguo.txt", "民國110年10月12日 08:21 來源：中央社", "2021-10-12 08:21"),
                             ("xiawu.txt", "2021年10月12日 下午3:15 來源：中央社", "2021-10-12 15:15")):
        (tmp_path / name).write_text(f"{HEADLINE}\n{line}\n{PARAGRAPHS[1]}\n", encoding="utf-8")
        assert read_document(tmp_path / name, "txt").values["page_date"] == date


def test_a_time_element_in_a_sidebar_does_not_date_the_page():
    side = "<div class='side'><time datetime='2019-05-01T10:00:00+08:00'>5月1日</time></div>"  # above the headline
    assert html_document(page(byline="來源：人民網", headline=f"{side}<h1>{HEADLINE}</h1>"))[2] is None


def test_titles_without_the_site_name_when_the_headline_is_no_h1_or_the_logo_is():
    no_h1 = page(title=f"{HEADLINE}_電商頻道_某某網", headline=f"<div class='title'>{HEADLINE}</div>")
    logo = page(headline=f"<h2>{HEADLINE}</h2>").replace("<div class='nav'>", "<h1 class='logo'><a href='/'>某某網</a></h1><div class='nav'>")
    assert html_document(no_h1)[0] == HEADLINE
    assert html_document(logo)[0] == HEADLINE
    assert html_document(page(title="中美貿易-談判進展", headline="<h1>中美貿易-談判進展</h1>"))[0] == "中美貿易-談判進展"
    menu = "<div class='tag'>中美貿易</div><div class='title'>中美貿易-談判進展</div>"  # a menu item is no headline
    assert html_document(page(title="中美貿易-談判進展", headline=menu))[0] == "中美貿易-談判進展"


def test_hidden_elements_are_left_out_of_the_article():
    body = "".join(f"<p>{p}</p>" + ("<span hidden>隱藏的垃圾文字</span>" if i == 1 else "") for i, p in enumerate(PARAGRAPHS))
    text = html_document(page(body=body))[1]
    assert "隱藏的垃圾文字" not in text and PARAGRAPHS[2] in text


def test_opinion_clean_reads_a_page_as_load_does_and_refuses_binary(tmp_path):
    """`opinion clean page.html` printed <!DOCTYPE html>, the menu, related headlines and the
    footer (F9, 2026-12-07); a binary file got advice to convert it with iconv."""
    from typer.testing import CliRunner

    from opinion.cli import app

    (tmp_path / "page.shtml").write_bytes(page(charset='<meta charset="gbk">').encode("gbk"))
    result = CliRunner().invoke(app, ["clean", str(tmp_path / "page.shtml"), "--script", "zh-Hant-TW"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == HEADLINE and PARAGRAPHS[-1][:10] in result.output  # cleaning makes , into ，
    assert not [w for w in ("DOCTYPE", "首頁", "相關新聞", "版權所有") if w in result.output]
    (tmp_path / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    result = CliRunner().invoke(app, ["clean", str(tmp_path / "photo.txt")])
    assert result.exit_code == 1 and "looks like" in result.output and "iconv" not in result.output


def _in_main_frame(html: str) -> str:
    """The page with its headline, byline, article and 责任编辑 inside ``<div class="main">``: the
    frame trafilatura widens to when the article's own frame holds a single block."""
    return html.replace("<div class='nav'>", "<div class='main'><div class='nav'>").replace(
        "<div class='related'>", "</div><div class='related'>")


def test_a_layout_table_gives_the_article_one_paragraph_a_line_without_pipes():
    """An old portal's article in one <td> came out as one line between markdown pipes
    (``| 导读:… |``, F8 2026-12-07)."""
    paragraphs = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    nav = "<td><ul><li><a>國內</a></li><li><a>財經</a></li></ul></td>"
    for body in (f"<table><tr><td>{paragraphs}</td></tr></table>", f"<table><tr>{nav}<td>{paragraphs}</td></tr></table>",
                 f"<table><tr><td>{'<br><br>'.join(PARAGRAPHS)}</td></tr></table>"):
        for html in (page(body=body), _in_main_frame(page(body=body))):
            assert html_document(html)[1].split("\n") == PARAGRAPHS


def test_the_headline_dateline_and_editor_are_not_appended_after_the_article():
    """A `<br>`-paragraph or one-paragraph article (and a layout table) in a page's main frame
    had the headline, the 来源 line and 责任编辑 appended after it, so prepare counted the
    headline twice (F8)."""
    brs = "<div>" + "<br><br>".join(PARAGRAPHS) + "</div>"
    table = "<table><tr><td>" + "".join(f"<p>{p}</p>" for p in PARAGRAPHS) + "</td></tr></table>"
    for body, article in ((brs, PARAGRAPHS), (table, PARAGRAPHS), (f"<p>{PARAGRAPHS[1]}</p>", PARAGRAPHS[1:2])):
        title, text, date = html_document(_in_main_frame(page(body=body)))
        assert (title, date) == (HEADLINE, "2021-10-12 08:21")
        assert text.split("\n") == article, text[-80:]


def test_a_data_table_in_an_article_keeps_one_row_a_line():
    """A real table keeps its rows, cells apart (``快手 | 3.84億 | 38%``), where trafilatura
    wrote markdown (``| 快手 | 3.84億 | 38% | ``)."""
    table = ("<table><tr><th>平台</th><th>用戶規模</th><th>占比</th></tr>"
             "<tr><td>快手<br>(2021)</td><td>3.84億</td><td>38%</td></tr></table>")
    body = "".join(f"<p>{p}</p>" + (table if i == 5 else "") for i, p in enumerate(PARAGRAPHS))
    lines = html_document(page(body=body))[1].split("\n")
    assert lines == [*PARAGRAPHS[:6], "平台 | 用戶規模 | 占比", "快手 (2021) | 3.84億 | 38%", *PARAGRAPHS[6:]]
