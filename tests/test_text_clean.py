"""Cleaning steps, on real scraped text (tests/data/text/live_commerce_trust_article.txt)."""

from __future__ import annotations

import re

import pytest

from opinion.errors import InputError
from opinion.text import clean as C

TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü"


@pytest.fixture(scope="module")
def seed_text(request) -> str:
    from pathlib import Path

    return (Path(__file__).parent / "data" / "text" / "live_commerce_trust_article.txt").read_text("utf-8")


@pytest.mark.parametrize("text_in, text_out", [
    ("市場規(guī)模的迅速增長", "市場規模的迅速增長"),
    ("長(cháng)城", "長城"),
    ("“三農(nóng)”主播", "“三農”主播"),
    ("全角括號（guī）也行", "全角括號也行"),
    ("中國互聯網絡信息中心(CNNIC)發布", "中國互聯網絡信息中心(CNNIC)發布"),
    ("發布《報告》(以下簡稱《報告》),聚焦", "發布《報告》(以下簡稱《報告》),聚焦"),
    ("现场直击(组图)", "现场直击(组图)"),
    ("方案(a)与方案(b)", "方案(a)与方案(b)"),
    ("步履蹒跚（pán shān）", "步履蹒跚"),  # a word's syllables, spaced or not
    ("饕餮(tāotiè)之徒", "饕餮之徒"),
    ("咖啡（a la）与中国(China)", "咖啡（a la）与中国(China)"),
    # a converter's character-by-character pinyin: the neutral tone carries no mark (since 2026-12-07)
    ("我(wǒ)们(men)的(de)祖(zǔ)国(guó)美(měi)丽(lì)了(le)", "我们的祖国美丽了"),
    ("我们（wǒ men）的（de）家", "我们的家"),
    ("他们(men)来了", "他们(men)来了"),  # no tone mark beside it: text, kept
    ("好(hǎo)的选项(a)", "好的选项(a)"),
])
def test_clean_remove_pinyin_keeps_real_parentheticals(text_in, text_out):
    assert C.remove_pinyin(text_in) == text_out


@pytest.mark.parametrize("text_in, text_out", [
    ("ＫＯＬ主播，銷量１００萬!", "KOL主播，銷量100萬！"),
    ("规模,迅速增长", "规模，迅速增长"),
    ("(以下簡稱《報告》),聚焦", "(以下簡稱《報告》)，聚焦"),  # ")" closing Chinese text
    ("(簡稱央行);另", "(簡稱央行)；另"),
    ("中心(CNNIC),发布", "中心(CNNIC),发布"), ("f(x), g(y)", "f(x), g(y)"),
    ("价格1,000元", "价格1,000元"),
    ("零\u200b宽", "零宽"), ("加油\u200d！", "加油！"),
    # the joiner inside an emoji stays: 👩‍⚕️ (health worker) did become 👩⚕️, two signs
    ("致敬👩\u200d⚕️医护人员，一家人👨\u200d👩\u200d👧在家", "致敬👩\u200d⚕️医护人员，一家人👨\u200d👩\u200d👧在家"),
    ("全角ＡＢＣ👩\u200d⚕️\u200b", "全角ABC👩\u200d⚕️"),
    ("全角　空格", "全角 空格"),
    ("①号", "①号"),  # a circled number is a list marker: ①95% had become 195%
    ("①95%以上；②3月", "①95%以上；②3月"),
    ("难过o(╥﹏╥)o 怪我咯╮(￣▽￣)╭ 研究︰", "难过o(╥﹏╥)o 怪我咯╮(￣▽￣)╭ 研究︰"),
    ("服务挺好的:) 唉:-( 注意:(1) 答案:D", "服务挺好的:) 唉:-( 注意：(1) 答案：D"),
    ("plain ascii, stays!", "plain ascii, stays!"),
])
def test_clean_normalize_unicode(text_in, text_out):
    assert C.normalize_unicode(text_in) == text_out


@pytest.mark.parametrize("line", [
    "首頁 / 帶貨新聞 / 直播電商風生水起 信任機制如何建立",
    "当前位置：首页 > 新闻 > 正文", "当前位置：首页 > 新闻", "您现在的位置: 首页 >> 国内新闻",
    "上一篇", "下一篇：国货品牌如何出海", "返回頂部", "推薦閱讀:",
    "來源:會員自助發布,內容來自網絡,不代表本站立場,侵權請聯系刪除。",
    "分享到：微信 微博 QQ空间", "【打印】【关闭】",
    "版權所有 © 2021 帶貨新聞網", "Copyright © 2021 xx.com All Rights Reserved", "© 2020 新华网 版权所有",
    "责任编辑：张三", "（编辑 李四 校对：王五）", "【责任编辑:刘洋】", "責任編輯：陳大文", "审核：王五",
    "点击查看更多>>", "长按二维码关注我们", "↓点击阅读原文", "下载新华社客户端", "歡迎關注我們的公眾號",
])
def test_clean_remove_furniture_drops_whole_lines(line):
    assert C.remove_furniture(f"正文第一段。\n{line}\n正文第二段。") == "正文第一段。\n正文第二段。"


@pytest.mark.parametrize("line", ["来源：新华社", "这条消息的来源不明，请大家不要转发。", "推荐阅读这本书的理由有三",
                                  "法院认定，该公司对这部作品享有版权所有权。", "当前位置：武汉，疫情仍在持续。"])
def test_clean_remove_furniture_keeps_sentences(line):
    assert C.remove_furniture(line) == line


@pytest.mark.parametrize("line", ["编辑部今天收到了很多来信。", "点击这里的人很多，关注度很高。", "关注我们身边的英雄",
                                  "记者 张三", "本文来源：新华网", "编辑：", "下载量一周突破百万"])
def test_clean_credits_and_calls_to_act_rules_keep_page_sentences(line):
    text = f"正文第一段。\n{line}\n正文第二段。"
    assert C.remove_furniture(text) == text


def test_clean_footer_section_link_removed_but_title_kept():
    text = "首頁 / 帶貨新聞 / 標題\n\n標題\n\n正文。\n\n帶貨新聞\n"
    assert C.remove_furniture(text).split() == ["標題", "正文。"]


def test_clean_contacts_modes():
    text = "联系 a.b@qq.com 或 13812345678，转发 //@新浪福建:见 https://t.cn/A6x 与 www.abc.com.cn"
    assert C.replace_contacts(text) == ("联系 <EMAIL> 或 <PHONE>，转发 //<USER>:见 <URL> 与 <URL>")
    removed = C.replace_contacts(text, mode="remove")
    assert "@" not in removed and "http" not in removed and "138" not in removed
    assert C.replace_contacts(text, mode="keep") == text
    with pytest.raises(InputError, match="contacts must be one of"):
        C.replace_contacts(text, mode="mask")


@pytest.mark.parametrize("text, expected", [
    # real reviews and posts (online_shopping_10_cats, SMP2019-ECISA, the 620k Weibo posts)
    ("新蒙牛 新变化 http:t.cn/zlwxz2P", "新蒙牛 新变化 <URL>"),
    ("台下的观众都笑的直不起腰来了!! http:\\\\t.cn\\zovaxwj", "台下的观众都笑的直不起腰来了!! <URL>"),
    ("的亲可以把这新闻翻译成韩文发给他们?? http:/", "的亲可以把这新闻翻译成韩文发给他们?? <URL>"),
    ("可怕的埃博拉病毒～? t.cn/A6PvyL9v", "可怕的埃博拉病毒～? <URL>"),
    ("谢医护# ://t.cn/A6hNCEJn ??", "谢医护# <URL> ??"),
    ("黑心企业始终是没良心t.cn/", "黑心企业始终是没良心<URL>"),
    ("高考信息平台”（https：//gaokao.chsi.com.cn）", "高考信息平台”（<URL>）"),
    # the address ends at a Chinese character: the text after it is not lost
    ("#武汉新增17例新型冠状病毒肺炎病例# http://t.cn/A6P9xJqX新京报 收起",
     "#武汉新增17例新型冠状病毒肺炎病例# <URL>新京报 收起"),
    ("HTTPS://x.com/a?b=1，好", "<URL>，好"),
    # what is written right after a link stays text: a hashtag's #, brackets, a full stop
    ("渠道。 http://t.cn/A6hHktx#湖北以外地区新增病例出现反弹# 好", "渠道。 <URL>#湖北以外地区新增病例出现反弹# 好"),
    ("#最新疫情报道# http://t.cn/A6hXog67#1038快报#", "#最新疫情报道# <URL>#1038快报#"),
    ("才稳住。http://t.cn/A6PFBt9E(人民日报)", "才稳住。<URL>(人民日报)"),
    ("中国体彩网(www.lottery.gov.cn)和竞彩网", "中国体彩网(<URL>)和竞彩网"),
    ("见 http://t.cn/A6hX. 好", "见 <URL>. 好"),
    # an address's own brackets and fragment stay in it
    ("见 https://en.wikipedia.org/wiki/Foo_(bar) 与 https://a.com/p#sec 好", "见 <URL> 与 <URL> 好"),
    # not links
    ("协议http:后面", "协议http:后面"),
    ("比例 1.5/2 与 at.cn/x", "比例 1.5/2 与 at.cn/x"),
])
def test_clean_urls_broken_schemes_and_bare_short_links(text, expected):
    assert C.replace_contacts(text) == expected
    assert "t.cn" not in C.replace_contacts(text, mode="remove") or expected == text


@pytest.mark.parametrize("text, expected", [
    # a THUCNews title that starts with @: no nickname is 21 Chinese characters long; kept whole
    ("@北京魅力深秋真情暖冬DIY系列活动即将开幕", "@北京魅力深秋真情暖冬DIY系列活动即将开幕"),
    ("@人民日报 发布消息", "<USER> 发布消息"),
    ("回复@一二三四五六七八九十一二三四五:好的", "回复<USER>:好的"),  # 15 Chinese characters: a nickname
    ("回复@一二三四五六七八九十一二三四五六:好的", "回复@一二三四五六七八九十一二三四五六:好的"),
    # an @ that starts no name: faces, doubled @, a hashtag that starts with @ (real reviews and posts)
    ("父母还说我不懂事@_@还说，是你的病", "父母还说我不懂事@_@还说，是你的病"),
    ("我到现在还忘不了那里的早餐 @_@", "我到现在还忘不了那里的早餐 @_@"),
    ("味道不一样，连颜色也@@不一样了！", "味道不一样，连颜色也@@不一样了！"),
    ("#@千钧客被禁言30天# 支持", "#@千钧客被禁言30天# 支持"),
    ("//@新浪福建:见 转发@人民日报 //@_ZZHhhhhh:好 2017.02.24@头条新闻", "//<USER>:见 转发<USER> //<USER>:好 2017.02.24<USER>"),
    ("#好运2020#@克拉克拉APP#星座晒日常#", "#好运2020#<USER>#星座晒日常#"),  # between two hashtags: a name
    # an @ glued to a Han character inside a title is the title's (GSD dev-s426, a TV series);
    # a mention written in a title is set apart (real Weibo posts)
    ("參演「香港電台」的電視劇《青春@Y2K》同期演員", "參演「香港電台」的電視劇《青春@Y2K》同期演員"),
    ("【《@哈佛商业评论 》：新冠疫情期间，", "【《<USER> 》：新冠疫情期间，"),
    ("《经典回顾！！@JeremyLin林书豪 大型纪录片》", "《经典回顾！！<USER> 大型纪录片》"),
    ("青春@Y2K》和《好》", "青春<USER>》和《好》"),  # no title opened before the @
])
def test_clean_mentions_are_nicknames_at_most_30_wide(text, expected):
    assert C.replace_contacts(text) == expected
    assert C.clean_text(text).strip() != "<USER>"


def test_clean_contacts_leave_statistics_alone():
    text = "确诊病例830例，累计报告11791例，时间2020-01-24"
    assert C.replace_contacts(text) == text


def test_clean_keeps_hashtags_and_emoticons():
    text = "#武汉加油#[哈哈][泪]转发微博 收起全文d"
    assert C.clean_text(text) == "#武汉加油#[哈哈][泪]转发微博"


def test_clean_weibo_artifacts():
    assert C.clean_text("好消息 L央视新闻的微博视频 O网页链接 ?") == "好消息 ?"
    # the Kuaishou and Kuran cards too (244 and 27 in a third of the COVID-19 Weibo days)
    assert C.clean_text("武汉加油 L1818黄金眼的酷燃视频") == "武汉加油"
    assert C.clean_text("快看 L腾讯新闻的快手视频 哈哈") == "快看 哈哈"
    # the card's L is an icon, never the L of a word, and a nickname holds no punctuation
    vaccine = "对于病毒样颗粒（VLP）疫苗，小鼠免疫实验已产生特异性抗体。（徐明睿）L中新视频的秒拍视频 收起全文d"
    assert C.clean_text(vaccine) == "对于病毒样颗粒（VLP）疫苗，小鼠免疫实验已产生特异性抗体。（徐明睿）"
    assert C.clean_text("好L肖博士健康科普（医生）的快手视频 L一滴醉《情感主播+红娘》的快手视频") == "好"
    assert C.clean_text("估计又是一个”Dr. Li”L世面的秒拍视频 #关注新型肺炎#") == "估计又是一个”Dr. Li” #关注新型肺炎#"


# Real Weibo posts (covid19_weibo_2020) with their cards, and the texts the card rule must
# keep; the same posts written in Traditional (OpenCC s2hk, s2t, and s2twp: Taiwan's 影片,
# 網頁連結) must lose the same cards.
WEIBO_CARDS = [
    ("好消息 L央视新闻的微博视频 O网页链接 ?", "好消息 ?"),
    ("武汉加油 L柴知道的微博视频 收起全文d", "武汉加油"),
    ("好消息 L一手video的秒拍视频", "好消息"),
    ("快看 L腾讯新闻的快手视频 哈哈 L某某的优酷视频", "快看 哈哈"),
    ("对于病毒样颗粒（VLP）疫苗，小鼠免疫实验已产生特异性抗体。（徐明睿）L中新视频的秒拍视频 收起全文d",
     "对于病毒样颗粒（VLP）疫苗，小鼠免疫实验已产生特异性抗体。（徐明睿）"),
    ("估计又是一个”Dr. Li”L世面的秒拍视频 #关注新型肺炎#", "估计又是一个”Dr. Li” #关注新型肺炎#"),
]


@pytest.mark.parametrize("config", ["s2hk", "s2t", "s2twp"])
@pytest.mark.parametrize("text, expected", WEIBO_CARDS)
def test_clean_weibo_cards_in_traditional(config, text, expected):
    from opinion.text.script import converter

    convert = converter(config).convert
    assert C.clean_text(text) == expected
    assert C.clean_text(convert(text)) == convert(expected)
    assert len(C.clean_document(convert(text)).removed) == len(C.clean_document(text).removed)


def test_clean_punctuation_and_whitespace():
    assert C.clean_text("真的吗？？？  太好了!!!!  等等……………") == "真的吗？ 太好了！ 等等……"
    assert C.normalize_whitespace(" a \r\n\r\n\r\n b \n") == "a\n\nb"


def test_clean_empty_and_missing():
    assert C.clean_text("") == ""
    assert C.clean_text(None) == ""  # type: ignore[arg-type]
    assert C.clean_text(float("nan")) == ""  # type: ignore[arg-type]


def test_clean_steps_are_switchable():
    text = "規(guī)模!!! http://t.cn/x"
    assert C.clean_text(text, steps=["pinyin"]) == "規模!!! http://t.cn/x"
    assert C.clean_text(text, steps=[str.upper]) == text.upper()
    assert C.make_pipeline(C.remove_pinyin, C.normalize_unicode)(text) == "規模！！！ http://t.cn/x"
    with pytest.raises(InputError, match="unknown cleaning step 'stem'"):
        C.clean_text(text, steps=["stem"])


def test_clean_seed_article(seed_text):
    cleaned = C.clean_text(seed_text)
    assert len(re.findall(rf"\([a-z{TONED}]+\)", seed_text)) == 125  # the raw article's annotations
    assert not re.search(rf"\([a-z{TONED}]+\)", cleaned)
    assert "(CNNIC)" in cleaned and "(以下簡稱《報告》)" in cleaned
    lines = [line.strip() for line in cleaned.splitlines() if line.strip()]
    for furniture in ("首頁", "上一篇", "下一篇", "返回頂部", "推薦閱讀", "不代表本站立場", "帶貨新聞"):
        assert not any(line.startswith(furniture) for line in lines), furniture
    assert lines[0] == "直播電商風生水起 信任機制如何建立"
    assert lines[-1].endswith("打下了深厚基礎。")
    assert C.clean_text(cleaned) == cleaned  # idempotent


# --- issue 14: nothing is emptied, and what goes is recorded ----------------------------
@pytest.mark.parametrize("post", [
    "苹果 / 华为 / 小米，哪个更值得信任？",
    "今天 | 我很好 | 你呢",
    # a real Weibo post (shared/data/weibo/covid19_weibo_2020) that used to end empty
    "#仁爱医院院长回应口罩使用情况# 『荐见 | 全世界都在捐助，为什么武汉前线医疗物资还在告急？』"
    "O荐见 | 全世界都在捐助，为什么武汉前线医疗物资还在告急？ ?",
    "我的头发在沙发上 / 在床上 / 在地板上为什么就是不在我的头上??#病毒会在头发上滞留吗# ?",
    "GREEN 环保  ｜ 新冠肺炎 ｜ #张文宏谈中医药抗疫#：确实发挥很大作用",
    "分享",  # a one-word post is a post, not a share widget
])
def test_clean_breadcrumb_like_posts_keep_their_text(post):
    cleaned = C.clean_text(post)
    assert cleaned.strip()
    assert cleaned.startswith(C.normalize_unicode(post)[:6].strip())


def test_clean_post_of_two_lines_is_not_a_page():
    post = "今天 | 我很好 | 你呢\n返回顶部"
    assert C.clean_document(post) == C.Cleaned(post, ())


def test_clean_multiline_post_keeps_title_separators():
    post = "荐见 | 全世界都在捐助 | 武汉\n物资还在告急。\n大家加油！"
    assert C.clean_text(post) == post


def test_clean_document_records_what_it_removed():
    page = "首頁 / 帶貨新聞 / 標題\n標題\n正文。\n返回頂部\n好消息 O网页链接"
    done = C.clean_document(page)
    assert done.text == "標題\n正文。\n好消息"
    assert done.removed == ("首頁 / 帶貨新聞 / 標題", "返回頂部", "O网页链接")


@pytest.mark.parametrize("text", ["收起全文d", "O网页链接", "上一篇\n下一篇\n返回顶部"])
def test_clean_never_empties_a_text(text):
    done = C.clean_document(text)
    assert done.text.strip() and done.removed == ()


def test_clean_weibo_sample_loses_no_post():
    import csv
    from pathlib import Path

    with (Path(__file__).parent / "data" / "text" / "weibo_sample.tsv").open(encoding="utf-8") as fh:
        posts = [row["text"] for row in csv.DictReader(fh, delimiter="\t")]
    assert len(posts) == 300
    assert [p for p in posts if p.strip() and not C.clean_text(p).strip()] == []


# --- issue 14: text_clean keeps the writer's punctuation; text_norm normalises ----------
@pytest.mark.parametrize("text_in, text_out", [
    ("動作冒險遊戲（A-AVG）：是冒險遊戲的分支", "動作冒險遊戲（A-AVG）：是冒險遊戲的分支"),
    ("媒體稱之為「40多年來最激動人心的發現」", "媒體稱之為「40多年來最激動人心的發現」"),
    ("＃武汉加油＃ ＠新浪 １０％", "#武汉加油# <USER> 10%"),
])
def test_clean_keeps_chinese_punctuation(text_in, text_out):
    assert C.clean_text(text_in) == text_out


@pytest.mark.parametrize("text_in, text_out", [
    ("（CNNIC）", "(CNNIC)"),
    ("极极极极极好！", "极极好！"),
    ("哈哈哈哈哈", "哈哈"),
    ("好好学习", "好好学习"),
    ("1000万", "1000万"),
])
def test_clean_normalize_for_analysis(text_in, text_out):
    assert C.normalize_for_analysis(text_in) == text_out
    assert len(C.narrow_width(text_in)) == len(text_in)


def test_clean_removes_terminal_escapes_controls_and_bidi_overrides():
    """Hostile posts: ANSI colours and an OSC title would rewrite the analyst's terminal in
    `opinion kwic`; U+202E reverses the rest of a report row. Tab and newlines stay."""
    from opinion.text.clean import clean_document, remove_controls

    hostile = "正常文本\u202e反转的文字\u202c结束，\x1b[31m红色\x1b[0m\x1b]0;标题\x07服务很好\x07"
    cleaned = clean_document(hostile, steps=[]).text  # whatever the steps
    assert cleaned == "正常文本反转的文字结束，红色服务很好"
    assert C.clean_text("第一页\x0c第二页\t完") == "第一页\n第二页 完"
    assert remove_controls("零宽\u2066隔离\u2069完毕") == "零宽隔离完毕"
    assert remove_controls("普通文本，没有控制字符") == "普通文本，没有控制字符"


# --- 2026-12-08: furniture rules keep content lines (findings h46/clean #2, #6) ------------
@pytest.mark.parametrize("page, line", [
    # a studio's statement: 声明： and 立场/删除/侵权, but no site and no takedown on request
    ("某明星工作室发布声明\n近日，网络上出现大量不实传言。\n声明：网传视频系恶意剪辑，不代表艺人本人立场，我方已委托律师取证，"
     "要求相关平台立即删除侵权内容并公开道歉，保留追究法律责任的权利。\n工作室表示将持续关注。",
     "声明：网传视频系恶意剪辑，不代表艺人本人立场，我方已委托律师取证，要求相关平台立即删除侵权内容并公开道歉，保留追究法律责任的权利。"),
    ("报告列出三项数据：\n(a) 2019年销售额增长10%\n(b) 2020年销售额增长20%\n(c) 2021年销售额增长30%\n以上数据来自统计局。",
     "(c) 2021年销售额增长30%"),
    ("数字时代的著作权保护\n近年来，网络侵权案件频发。\n一、版权所有人如何维权\n权利人可以向法院提起诉讼。", "一、版权所有人如何维权"),
    ("移动支付安全调查\n记者走访了多家商户。\n扫码支付背后的安全隐患引关注\n不少商户的收款码被人替换。", "扫码支付背后的安全隐患引关注"),
    ("移动支付安全调查\n记者走访了多家商户。\n下载APP前要关注隐私条款\n专家提醒消费者谨慎授权。", "下载APP前要关注隐私条款"),
    ("iPhone如何关闭定位\n很多用户担心隐私泄露。\n设置 > 隐私 > 定位服务\n在这里可以关闭定位。\n隐私\n以上就是全部步骤。",
     "设置 > 隐私 > 定位服务"),
    ("iPhone如何关闭定位\n很多用户担心隐私泄露。\n设置 > 隐私 > 定位服务\n在这里可以关闭定位。\n隐私\n以上就是全部步骤。", "隐私"),
    ("本次活动覆盖城市\n北京 / 上海 / 广州 / 深圳\n活动时间为三月。\n上海\n站的报名已经开始。", "上海"),
    ("各平台反应\n微博\n热搜第一，阅读量破亿。\n微信\n朋友圈刷屏。", "微博"),
    ("尺码说明\n本款有三个尺码可选\n大\n中\n小\n请按身高选择", "中"),
    ("专家解读新政策\n新政策将于下月实施。\n评论\n这项政策影响深远。", "评论"),
    ("访谈实录\n记者：你好\n编辑：你好\n记者：最近在忙什么\n编辑：审稿\n记者：谢谢", "编辑：审稿"),  # a speaker
    ("判决书节选\n原告提交了署名为“©张三 2018”的样书\n法院认为该证据足以证明权属。", "原告提交了署名为“©张三 2018”的样书"),
])
def test_clean_furniture_keeps_content_lines(page, line):
    kept, removed = C.split_furniture(page)
    assert line in kept.split("\n") and line not in removed


@pytest.mark.parametrize("line", [
    "责任编辑：刘光博 SF185", "编辑/李四", "特别声明：以上内容仅代表作者本人观点，不代表新浪网观点或立场。",
    "免责声明：本文来自网络，版权归原作者所有，如有侵权请联系删除。", "打开APP阅读全文", "展开阅读全文", "查看更多评论",
    "上一則", "下一則", "回首頁", "相關文章", "熱門文章：台北今天放晴", "按此閱讀全文", "点击上方蓝字关注我们",
    "扫描二维码下载客户端", "新华网版权所有", "Copyright 2003-2021 Sina Corporation, All Rights Reserved", "字号：大 中 小",
    "分享到：",
])
def test_clean_furniture_sina_and_taiwan_hong_kong_lines(line):
    assert C.remove_furniture(f"正文第一段。\n{line}\n正文第二段。") == "正文第一段。\n正文第二段。"


def test_clean_furniture_generic_breadcrumb_only_at_the_top():
    assert C.split_furniture("新闻 > 国内 > 正文\n标题\n正文。")[1] == ["新闻 > 国内 > 正文"]


# --- 2026-12-08: superscripts, subscripts and fractions as written (#4) --------------------
@pytest.mark.parametrize("text_in, text_out", [
    ("病毒载量达到10³拷贝/毫升", "病毒载量达到10³拷贝/毫升"), ("2³=8", "2³=8"), ("加1½杯水", "加1½杯水"),
    ("每立方米含10⁻³克", "每立方米含10⁻³克"), ("10<sup>3</sup>个", "10³个"), ("H<sub>2</sub>O", "H₂O"),
    ("研究<sup>[1]</sup>显示", "研究[1]显示"), ("面积100㎡", "面积100m2"),
])
def test_clean_keeps_superscripts_and_fractions(text_in, text_out):
    assert C.clean_text(text_in) == text_out


# --- 2026-12-08: Weibo cards (#7) --------------------------------------------------------
@pytest.mark.parametrize("text_in, text_out", [
    ("#全国确诊新型肺炎病例# 麻丘返乡1270 查看图片", "#全国确诊新型肺炎病例# 麻丘返乡1270"),  # a real post
    ("请查看图片中的内容", "请查看图片中的内容"),
    ("BLACKPINK的快手视频太好看了", "BLACKPINK的快手视频太好看了"),
    ("对患者是有益的。 viaL人民日报的微博视频 收起全文", "对患者是有益的。 via"),
    ("展开全文and more", "and more"), ("好 收起全文d", "好"),
])
def test_clean_weibo_image_card_and_letters_around_cards(text_in, text_out):
    assert C.clean_text(text_in) == text_out


# --- 2026-12-08: nothing emptied by --contacts remove (#9) --------------------------------
@pytest.mark.parametrize("post, placeholder", [
    ("http://t.cn/A6abcd", "<URL>"), ("@人民日报", "<USER>"), ("13800138000", "<PHONE>"),
    ("@张三 @李四", "<USER> <USER>"),
])
def test_clean_contacts_remove_never_empties_a_post(post, placeholder):
    assert C.clean_text(post, contacts="remove") == placeholder
    assert C.clean_text(f"好 {post}", contacts="remove") == "好"
