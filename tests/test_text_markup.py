"""HTML markup inside text fields (crawler and news-API exports), on real posts of the Weibo corpus."""

from __future__ import annotations

import pytest

from opinion.text import clean as C
from opinion.text.markup import split_markup, strip_markup


@pytest.mark.parametrize("text_in, text_out", [
    ("<p>武汉&nbsp;加油！</p><p>致敬&lt;医护&gt;</p>", "武汉 加油！\n\n致敬<医护>"),
    ("转发了&nbsp;人民日报&nbsp;的微博:【#日本专家称日本已处在疫情早期#】", "转发了 人民日报 的微博：【#日本专家称日本已处在疫情早期#】"),
    ("Steph&amp;Jo丝乔 雾面润泽唇膏", "Steph&Jo丝乔 雾面润泽唇膏"),
    ('<div class="content"><img src="a.jpg" alt=""/>图片来自网络</div><br>第二段&#12290;', "图片来自网络\n\n第二段。"),
    ("<ruby>長<rt>cháng</rt></ruby>城<script>var a = 1;</script><!-- ad -->", "長城"),
    ("<table><tr><td>张三</td><td>李四</td></tr></table>", "张三 李四"),
    ("<P STYLE='color:red'>大写标签</P>", "大写标签"),
    # Weibo's API and pages: emoticons are images whose alt is the emoticon; 全文 links a cut post
    ('太好了<span class="url-icon"><img alt=[哈哈] src="https://h5.sinaimg.cn/m/emoticon/icon/default/'
     'd_haha-bdd7c7e2a7.png" style="width:1em; height:1em;" /></span>', "太好了[哈哈]"),
    ('气死了<img alt="[怒]" src="d_nu.png"><img alt="😡" src="e.png">', "气死了[怒]😡"),
    ('医护人员辛苦了...<a href="/status/4467123456">全文</a>', "医护人员辛苦了..."),
    # Weibo's API link cards (网页链接, a video card) go; hashtag and @ links keep their text
    ('好消息<a data-url="http://t.cn/A6vX" href="https://weibo.cn/sinaurl?u=http%3A%2F%2Ft.cn" data-hide="">'
     "<span class='url-icon'><img style='width: 1rem;height: 1rem' src='https://h5.sinaimg.cn/upload/2015/09/25/3/"
     "timeline_card_small_web_default.png'></span><span class=\"surl-text\">网页链接</span></a>", "好消息"),
    ('看<a href="https://video.weibo.com/show?fid=1034:4467" data-hide=""><span class="surl-text">央视新闻的微博视频'
     '</span></a>', "看"),
    ('<a href="https://m.weibo.cn/search?containerid=231522type%3D1%26q%3D%23武汉加油%23" data-hide="">'
     '<span class="surl-text">#武汉加油#</span></a>我在武汉', "#武汉加油#我在武汉"),
    ("我看了央视新闻的微博视频，很感动", "我看了央视新闻的微博视频，很感动"),  # written, not a link
    ('<img alt="记者 摄于武汉火神山医院工地" src="p.jpg">工地现场', "工地现场"),  # a caption is not text
    # entities escaped twice by a scraper, as real posts of the Weibo emotion sets have them
    ("面回头看看她爸和医生，哭着说，&amp;quot;你们男人真是没一个好东西&amp;quot;", '面回头看看她爸和医生，哭着说，"你们男人真是没一个好东西"'),
    ("原来是混非洲的:&amp;amp;gt;", "原来是混非洲的：>"),
    ("我&amp;amp;你", "我&你"),
    # a tag cut off by the end of the field (a cell limit, a scraper's cut)
    ('真好笑<img alt=[doge] src="https://h5.sinaimg.cn/x.png" style="w...', "真好笑[doge]"),
    ('我为中国加油！<span class="surl-te...', "我为中国加油！"),
])
def test_markup_is_removed_and_entities_decoded(text_in, text_out):
    assert C.clean_text(text_in) == text_out


@pytest.mark.parametrize("text", [
    "a<b 这不是标签 6>4", "3<5 且 6>4", "AT&T 和 &copy 与 & 符号", "<URL> 与 <USER>", "箭头 <<< 和 >>>",
    "&lt 没有分号", "#<武汉>#", "<b这不是标签>", "文本<p", "a<b 6",
    # a title in angle brackets whose first word names an element (a real Weibo post)
    "合唱经典曲目:<I Want it that way>#全球疫情#", "单曲循环<Big Big World>和<Time after time>",
])
def test_text_that_only_uses_angle_brackets_or_ampersands_is_written_as_is(text):
    assert strip_markup(text) == text


def test_markup_removed_content_is_recorded_and_a_post_of_markup_only_is_not_emptied():
    assert split_markup("好<style>p {color: red}</style>")[1] == ["<style>p {color: red}</style>"]
    assert C.clean_document('<img src="x.jpg"/>') == C.Cleaned('<img src="x.jpg"/>', ())
    cleaned = C.clean_document("<p>正文。</p><script>track()</script>")
    assert cleaned.text == "正文。" and cleaned.removed == ("<script>track()</script>",)
    assert "markup" in C.DEFAULT_STEPS and C.clean_text("<p>正文</p>", steps=["pinyin"]) == "<p>正文</p>"


@pytest.mark.parametrize("text_in, text_out", [
    ("好评&#x202E;反转文字", "好评反转文字"), ("&#8238;abc", "abc"), ("a&#x2066;b", "ab"),
    ("&amp;#x202E;双重", "双重"), ("a&#x1b;[31mb", "a[31mb"),
])
def test_markup_entities_never_write_bidi_overrides_or_controls(text_in, text_out):
    """Finding h46/clean #1: remove_controls ran before the entities were decoded."""
    assert C.clean_text(text_in) == text_out
    assert split_markup(text_in)[0].isprintable()


def test_markup_controls_removed_after_any_step():
    def writes_override(text: str) -> str:
        return text + "\u202e"

    assert C.clean_document("好评", steps=[writes_override]).text == "好评"
