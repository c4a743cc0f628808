"""Cleaning scraped Chinese text: small ``str -> str`` steps, composed by a pipeline.

Each step does one thing and can be used, tested and switched off on its own::

    >>> remove_pinyin("市場規(guī)模(CNNIC)")
    '市場規模(CNNIC)'
    >>> clean_text("首頁 / 帶貨新聞 / 直播\\n直播電商風生水起!!!\\n返回頂部")
    '直播電商風生水起！'
    >>> clean_text("今天 | 我很好 | 你呢")  # a post, not a page: nothing is furniture
    '今天 | 我很好 | 你呢'

:func:`clean_text` runs :data:`DEFAULT_STEPS` in order: HTML markup inside a field
(:mod:`opinion.text.markup`), pinyin annotations,
Unicode/width, page furniture, Weibo artifacts, contacts (URLs, @mentions, e-mail, phone numbers),
repeated punctuation, whitespace. :func:`clean_document` also returns what the deleting
steps removed and never empties a non-blank text; it always removes terminal escapes, control
characters and bidirectional overrides, before the steps and after them (:func:`remove_controls`).
``#话题#`` hashtags and ``[哈哈]`` emoticons pass through untouched so that the tokenizer keeps
them as single units.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Sequence
from typing import NamedTuple

from opinion.errors import InputError
from opinion.text.contacts import (  # noqa: F401 - the contacts step, re-exported
    CONTACT_MODES,
    DEFAULT_CONTACTS,
    MENTION_WIDTH,
    PLACEHOLDERS,
    _check_mode,
    replace_contacts,
    replace_emails,
    replace_mentions,
    replace_phones,
    replace_urls,
)
from opinion.text.contacts import HAN as _HAN
from opinion.text.markup import CONTROL_TABLE, split_markup, strip_markup
from opinion.text.pinyin import remove_pinyin, split_pinyin

Step = Callable[[str], str]


def make_pipeline(*funcs: Step) -> Step:
    """Chain ``str -> str`` steps left to right: ``make_pipeline(a, b)(t) == b(a(t))``."""

    def pipeline(text: str) -> str:
        for func in funcs:
            text = func(text)
        return text

    pipeline.steps = funcs  # type: ignore[attr-defined]
    return pipeline


# --- Unicode and width ----------------------------------------------------------------
# ``text_clean`` is what readers see, so cleaning keeps the writer's punctuation: full-width
# letters and digits become ASCII (ＫＯＬ → KOL), full-width symbols such as ＃＠％／｜ too,
# but Chinese punctuation stays as written (（）「」，！？：；～ …); ASCII ,;:!? right after
# Han text becomes full-width ("规模,迅速" → "规模，迅速"), the mainland convention.
_KEEP_FULLWIDTH = "！＂＇（），．：；？［］｛｝～"
_WIDTH_TABLE: dict[int, int | None] = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F) if chr(c) not in _KEEP_FULLWIDTH}
_WIDTH_TABLE.update({0x3000: 0x20, 0x00A0: 0x20})
_WIDTH_TABLE.update(dict.fromkeys(map(ord, "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u00ad")))
# but a joiner between two emoji makes them one (👩‍⚕️ health worker, 👨‍👩‍👧 family): kept
_EMOJI_ZWJ = re.compile("(?<=[\u2600-\u27bf\ufe0f\U0001f000-\U0001faff])\u200d(?=[\u2600-\u27bf\U0001f000-\U0001faff])")
# The analysis text (``text_norm``) is made narrower still: every full-width form but the
# sentence punctuation ，！？：； becomes ASCII, so "（CNNIC）" and "(CNNIC)" read the same.
_ANALYSIS_KEEP = "，！？：；"
_ANALYSIS_TABLE = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F) if chr(c) not in _ANALYSIS_KEEP}
# The same after an ASCII ")" closing Chinese text: "(以下简称《报告》),聚焦" gets "，", while
# "(CNNIC)," and "f(x)," stay as written.
_CHINESE_END = f"[{_HAN}”」』）》]"  # what Chinese text ends with before its punctuation
# An ASCII face stays as written (好的:) 难过:-( ), as a face, not a colon; :D and :P do not,
# they are also answers and options (答案:D, 选项:P).
_FACE = rf"[:;]-?(?:\)(?![A-Za-z0-9])|\((?![A-Za-z0-9{_HAN}]))"
_CJK_PUNCT = re.compile(rf"(?:(?<={_CHINESE_END})|(?<={_CHINESE_END}\)))(?!{_FACE})[,;:!?]+")
_TO_FULLWIDTH = str.maketrans({",": "，", ";": "；", ":": "：", "!": "！", "?": "？"})
# Characters NFKC would still change: other compatibility forms (①, ㈱, ™, ｶ, 𝐀, compatibility
# ideographs, Kangxi radicals). The ellipsis … and dashes are left as Chinese text uses them.
_COMPAT = re.compile(
    "[\u00a8-\u00bf\u2100-\u24ff\u2e80-\u2fdf\u3200-\u33ff\uf900-\ufaff\ufb00-\ufe4f"
    "\ufe50-\ufe6f\uff5f-\uffef\U0001d400-\U0001d7ff\U0001f100-\U0001f1ff]"
)
# A Han character written three times or more in a row: 极极极极 → 极极, 哈哈哈哈哈 → 哈哈.
_HAN_RUN = re.compile(rf"([{_HAN}])\1{{2,}}")


# Terminal escape sequences (a post with ESC[2J or an OSC title rewrites an analyst's terminal
# in `opinion kwic`), then the controls and bidi overrides of :data:`CONTROL_TABLE`.
_TERMINAL_ESCAPE = re.compile(r"\x1b(?:\[[0-9;?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_]?)")
_CONTROL = re.compile("[" + "".join(re.escape(chr(c)) for c in CONTROL_TABLE) + "]")


def remove_controls(text: str) -> str:
    """Terminal escape sequences, control characters and bidirectional overrides removed
    (always done by :func:`clean_document`, whatever the steps).

    ``remove_controls("好评\x1b[31m红色\x1b[0m\u202e反转") == "好评红色反转"``
    """
    if "\x1b" in text:
        text = _TERMINAL_ESCAPE.sub("", text)
    return text.translate(CONTROL_TABLE) if _CONTROL.search(text) else text


def _restore_chinese_punct(text: str) -> str:
    return _CJK_PUNCT.sub(lambda m: m.group().translate(_TO_FULLWIDTH), text)


_KEPT_FORMS = ("<circle>", "<vertical>", "<super>", "<sub>", "<fraction>")


@functools.lru_cache(maxsize=4096)
def _compat_form(char: str) -> str:
    """NFKC of one compatibility character, but kept as written where NFKC would change what
    is said or drawn: circled numbers and letters (``①95%`` became ``195%``, ``①3月`` ``13月``),
    vertical and wavy forms (the HK/TW colon ``︰`` became ``..``; ``(╥﹏╥)``, ``o(︶︿︶)o``),
    and spacing accents that NFKC turns into a space and a combining mark (``(￣▽￣)``); so are
    superscripts, subscripts and fractions (``10³拷贝`` became ``103拷贝``, ``1½杯`` ``11⁄2杯``)."""
    if unicodedata.decomposition(char).startswith(_KEPT_FORMS) or "\ufe49" <= char <= "\ufe4f":
        return char
    form = unicodedata.normalize("NFKC", char)
    return char if form[:1].isspace() or any(unicodedata.combining(c) for c in form) else form


def _nfkc_compat(match: re.Match[str]) -> str:
    return _compat_form(match.group())


def normalize_unicode(text: str) -> str:
    """Full-width letters, digits and symbols to ASCII, compatibility characters by NFKC,
    zero-width characters removed (but the joiner inside an emoji such as 👩‍⚕️); Chinese
    punctuation kept as written.

    ``normalize_unicode("ＫＯＬ主播（試用），銷量１００萬!") == "KOL主播（試用），銷量100萬！"``
    """
    if text.isascii():
        return text
    if "\u200d" in text and _EMOJI_ZWJ.search(text):
        return "\u200d".join(normalize_unicode(part) for part in _EMOJI_ZWJ.split(text))
    text = text.translate(_WIDTH_TABLE)
    if _COMPAT.search(text):
        text = _COMPAT.sub(_nfkc_compat, text).translate(_WIDTH_TABLE)
    return _restore_chinese_punct(text)


def narrow_width(text: str) -> str:
    """The width half of :func:`normalize_for_analysis`, one character for one:
    ``narrow_width("（CNNIC）") == "(CNNIC)"`` (positions stay, for KWIC and highlights)."""
    return text.translate(_ANALYSIS_TABLE)


def normalize_for_analysis(text: str) -> str:
    """The analysis form of cleaned text (``text_norm``), never shown to readers: full-width
    brackets and symbols to ASCII (sentence punctuation ，！？：； kept) and runs of one
    Han character cut to two.

    ``normalize_for_analysis("（好）极极极极极！哈哈哈哈哈") == "(好)极极！哈哈"``
    """
    if text.isascii():
        return text
    return _HAN_RUN.sub(r"\1\1", text.translate(_ANALYSIS_TABLE))


# --- page furniture -------------------------------------------------------------------
# Furniture is only looked for in pages: texts of at least PAGE_MIN_LINES non-blank lines.
# A post of one or two lines is never touched, whatever it looks like ("今天 | 我很好 | 你呢").
PAGE_MIN_LINES = 3
_BREADCRUMB = re.compile(r"^\s*(?:首页|首頁|主页|主頁|当前位置|當前位置|您的位置|位置)\s*[:：]?\s*(?:[/>»›|]|$)")
# "当前位置：首页 > 新闻": a location keyword and a colon open a short line with no sentence in it.
_LOCATION_LINE = re.compile(r"^\s*(?:当前位置|當前位置|您的位置|您现在的位置|您現在的位置|所在位置)\s*[:：]")
_BREADCRUMB_SEPS = re.compile(r"\s*[/>»›|／＞]\s*")
# Without a 首页/当前位置 keyword, a breadcrumb is a short line of short parts joined by two
# or more spaced / > » › (not |, which posts use in titles: "荐见 | 全世界都在捐助…"),
# with no sentence punctuation ("苹果 / 华为 / 小米，哪个更值得信任？" is a sentence).
_GENERIC_SEP = re.compile(r"\s[/>»›／＞]\s")
_SENTENCE_PUNCT = re.compile(r"[，。！？；,!?;…]")
_NAV_LINE = re.compile(
    r"^\s*(?:上一篇|下一篇|上一页|下一页|上一頁|下一頁|上一則|下一則|上一则|下一则|返回顶部|返回頂部|返回首页|返回首頁"
    r"|回到顶部|回到頂部|回首页|回首頁|推荐阅读|推薦閱讀|相关阅读|相關閱讀|相关新闻|相關新聞|相关文章|相關文章"
    r"|延伸阅读|延伸閱讀|热门推荐|熱門推薦|热门文章|熱門文章|更多新闻|更多新聞)"
    r"(?:\s*[:：].{0,40})?\s*$"
)
# A site's disclaimer, not a statement that opens with 声明： (a studio's or a company's
# statement is what opinion analysis reads): a short line that speaks of the site, the author
# as publisher, or takedown on request ("不代表本站立場,侵權請聯系刪除", "仅代表作者本人观点").
_DISCLAIMER = re.compile(
    r"^\s*(?:来源|來源|声明|聲明|免责声明|免責聲明|版权声明|版權聲明|特别声明|特別聲明|郑重声明|鄭重聲明)\s*[:：].*"
    r"(?:不代表本(?:站|网|網|平台|号|號|刊|报|報|台)|不代表.{0,6}(?:网|網)(?:观点|觀點|立场|立場)"
    r"|(?:仅|僅)?代表作者(?:本人|个人|個人)|侵删|侵刪|如有侵(?:权|權)|侵(?:权|權)(?:请|請)|(?:联系|聯系|聯繫)(?:删除|刪除)"
    r"|版(?:权|權)(?:归|歸)(?:原)?作者|(?:转|轉)(?:载|載)(?:自|请|請)|系(?:转|轉)(?:载|載)|(?:禁止|请勿|請勿)(?:转|轉)(?:载|載))"
)
_DISCLAIMER_MAX = 100
# Staff credits closing an article: "责任编辑：张三", "（编辑 李四 校对：王五）", Sina's "责任编辑：刘光博 SF185"
# (an editor's code after the name), "编辑/李四". A role, a colon, a slash or a space, a name; the
# attribution "来源：新华社" and the byline "记者 张三" are not credits, and a role that opens two
# lines of a page is a speaker ("编辑：你好" in an interview; see split_furniture).
_CREDIT_ROLE = (r"(?:责任编辑|責任編輯|值班编辑|值班編輯|实习编辑|實習編輯|编辑|編輯|责编|責編|校对|校對"
                r"|审核|審核|审校|審校|审稿|審稿|初审|初審|终审|終審|监制|監製|美编|美編)")
_CREDITS = re.compile(
    rf"^[（(【\[]?(?:{_CREDIT_ROLE}(?:\s*[:：/]\s*|\s+)[^\s:：/，,。！？!?()（）【】\[\]]{{1,12}}"
    rf"(?:\s+[A-Z]{{1,3}}\d{{2,5}})?[\s、,，/|]*)+[）)】\]]?$"
)
_CREDIT_SPEAKER = re.compile(rf"^[（(【\[]?({_CREDIT_ROLE})\s*[:：]")
# A call to act on the page, not text: "点击查看更多>>", "长按二维码关注我们", "点击阅读原文",
# "打开APP阅读全文": an act (点击, 长按, 扫码, 下载 …) reaching what is acted on (二维码, 原文,
# 客户端 …) within a few characters, and nothing after it but more of the same. A heading
# that merely opens with such a verb ("扫码支付背后的安全隐患引关注", "下载APP前要关注隐私条款") is text.
_CTA_ACT = (r"(?:点击|點擊|长按|長按|扫码|掃碼|扫描|掃描|识别|識別|下载|下載|打开|打開|展开|展開|欢迎关注|歡迎關注"
            r"|关注我们|關注我們)")
_CTA_SELF = r"(?:阅读原文|閱讀原文|查看原文|查看更多|阅读全文|閱讀全文|更多精彩|看更多|按此(?:阅读|閱讀)全文)"
_CTA_OBJECT = rf"(?:{_CTA_SELF}|二维码|二維碼|公众号|公眾號|蓝字|藍字|客户端|客戶端|原文|全文)"
_CTA_TAIL = (rf"(?:{_CTA_OBJECT}|关注|關注|下载|下載|阅读|閱讀|查看|更多|评论|評論|我们|我們|我的|的"
             r"|[>»》\s!！~～….↓👇])*")
_CALL_TO_ACTION = re.compile(
    rf"^[>»▶►↓👇\s]*(?:{_CTA_ACT}[^，。！？,!?]{{0,12}}?{_CTA_OBJECT}|{_CTA_SELF}){_CTA_TAIL}$"
)
# A copyright footer: a short line without sentence ends naming the copyright ("版權所有 © 2021
# 帶貨新聞網"); 版权所有人 and 版权所有权 are words, and "(c) 2021" is also item (c) of a list.
_COPYRIGHT = re.compile(r"版权所有(?![人者权])|版權所有(?![人者權])|copyright|all rights reserved|©",
                        re.IGNORECASE)
_SENTENCE_END = re.compile(r"[。！？!?“”「」]")
# A list item or a numbered heading is text, whatever words it holds ("一、版权所有人如何维权",
# "(c) 2021年销售额增长30%", "3. 点击设置").
_LIST_ITEM = re.compile(
    r"^\s*(?:[一二三四五六七八九十]{1,3}[、.．]|[(（][一二三四五六七八九十\dA-Za-z]{1,3}[)）]|\d{1,2}[.．、)）]"
    r"|[A-Za-z][.)](?=\s)|[\u2460-\u2473\u2776-\u277f]|第[一二三四五六七八九十\d]{1,3}[章节節条條部])")
# A widget line is two or more widget words (分享到 微信 微博; 【打印】【关闭】; 字号：大 中 小), or
# one that only a widget says (分享到：, 关闭窗口); a line of one word such as 微博, 评论 or 大 is a
# heading or a list, not a widget.
_WIDGET = (r"分享到|分享|打印|列印|收藏|关闭窗口|關閉窗口|关闭|關閉|字号|字號|大|中|小|微信|微博|朋友圈"
           r"|QQ空间|QQ空間|QQ|复制链接|複製鏈接|扫一扫|掃一掃|点赞|點讚|评论|評論")
_WIDGET_WORDS = re.compile(rf"{_WIDGET}|[\s【】\[\]|/:：·•]")
_WIDGET_WORD = re.compile(_WIDGET)
_WIDGET_ALONE = re.compile(r"分享到|关闭窗口|關閉窗口|复制链接|複製鏈接|打印|列印|字号|字號")


def _is_breadcrumb(line: str, *, edge: bool = True) -> bool:
    """A breadcrumb line; one without a 首页/当前位置 keyword only at the ``edge`` of a page
    (its first or last line): inside, "设置 > 隐私 > 定位服务" is a how-to path and
    "北京 / 上海 / 广州 / 深圳" a list."""
    if _BREADCRUMB.match(line):
        return True
    if len(line) > 80 or _SENTENCE_PUNCT.search(line):
        return False
    if _LOCATION_LINE.match(line):
        return True
    if not edge or len(_GENERIC_SEP.findall(line)) < 2:
        return False
    return all(len(part) <= 20 for part in _BREADCRUMB_SEPS.split(line))


def _is_widget_line(line: str) -> bool:
    if len(line) > 40 or _WIDGET_WORDS.sub("", line):
        return False
    return len(_WIDGET_WORD.findall(line)) >= 2 or bool(_WIDGET_ALONE.search(line))


def _is_furniture(line: str, *, edge: bool = True, speakers: frozenset[str] = frozenset()) -> bool:
    stripped = line.strip()
    if not stripped or _LIST_ITEM.match(stripped):
        return False
    if _is_breadcrumb(stripped, edge=edge) or _NAV_LINE.match(stripped):
        return True
    if len(stripped) <= _DISCLAIMER_MAX and _DISCLAIMER.match(stripped):
        return True
    if len(stripped) <= 40 and _CALL_TO_ACTION.match(stripped):
        return True
    if len(stripped) <= 40 and _CREDITS.match(stripped):
        speaker = _CREDIT_SPEAKER.match(stripped)
        return not (speaker and speaker.group(1) in speakers)
    if len(stripped) <= 80 and _COPYRIGHT.search(stripped) and not _SENTENCE_END.search(stripped):
        return True
    return _is_widget_line(stripped)


def is_page_furniture(line: str) -> bool:
    """Whether one line of a page is furniture (breadcrumb, navigation, copyright footer, widget).

    ``is_page_furniture("首頁 / 帶貨新聞 / 直播電商風生水起") is True``
    """
    return _is_furniture(line)


def split_furniture(text: str) -> tuple[str, list[str]]:
    """``(text without furniture lines, the lines removed)``; see :func:`remove_furniture`.

    ``split_furniture("首頁 / 新聞 / 標題\n標題\n正文。")[1] == ["首頁 / 新聞 / 標題"]``
    """
    lines = text.split("\n")
    filled = [i for i, line in enumerate(lines) if line.strip()]
    if len(filled) < PAGE_MIN_LINES:
        return text, []
    edges = {filled[0], filled[-1]}
    sections: set[str] = set()
    roles: dict[str, int] = {}
    for line in lines:
        stripped = line.strip()
        if _BREADCRUMB.match(stripped) or (_LOCATION_LINE.match(stripped) and _is_breadcrumb(stripped)):
            parts = [p.strip() for p in _BREADCRUMB_SEPS.split(stripped) if p.strip()]
            sections.update(parts[:-1])  # the last part is the page's own title
        speaker = _CREDIT_SPEAKER.match(stripped)
        if speaker:
            roles[speaker.group(1)] = roles.get(speaker.group(1), 0) + 1
    speakers = frozenset(role for role, count in roles.items() if count > 1)
    kept: list[str] = []
    removed: list[str] = []
    for i, line in enumerate(lines):
        gone = (_is_furniture(line, edge=i in edges, speakers=speakers)
                or (line.strip() and line.strip() in sections))
        (removed if gone else kept).append(line)
    if not any(line.strip() for line in kept):  # a page of furniture only: keep it whole
        return text, []
    return "\n".join(kept), [line.strip() for line in removed]


def remove_furniture(text: str) -> str:
    """Drop lines of site furniture from a page (a text of 3 or more non-blank lines):
    breadcrumbs (``首頁 / 帶貨新聞 / …``), 上一篇/下一篇, 返回頂部, 推薦閱讀, 来源/來源
    disclaimers, copyright footers (``版權所有 © 2021 帶貨新聞網``), share/print widgets,
    staff credits (``责任编辑：张三``) and calls to act (``长按二维码关注我们``).

    Only whole lines go; a sentence that mentions 来源 stays. A short line that repeats a
    breadcrumb section (``帶貨新聞`` as a footer link) goes too; the page title stays. A text
    of one or two lines (a post) is returned unchanged, and a page is never emptied.
    """
    return split_furniture(text)[0]


# --- Weibo artifacts ------------------------------------------------------------------
_WEIBO_ARTIFACTS = re.compile(
    # the letter after 收起全文 is the arrow icon's (d, c), not a word's (展开全文and)
    r"(?:收起全文|展开全文|展開全文)(?:[cd](?![a-z]{2}))?"
    # the image card's text, set apart from what was written (not 点击查看图片中的…)
    rf"|(?<![{_HAN}])查看(?:图片|圖片)(?![{_HAN}])"
    # a name holds no comma or quote, so the L of a word before them is not the card's icon
    # (病毒样颗粒（VLP）疫苗，…L中新视频的秒拍视频; ”Dr. Li”L世面的秒拍视频); it may hold
    # brackets, title marks and stops (L肖博士健康科普（医生）的快手视频, L一滴醉《情感主播+红娘》的快手视频)
    # and an L inside a Latin word is a letter (BLACKPINK的快手视频), one after it the icon (viaL人民日报…)
    r"|(?:(?<![A-Za-z])L|(?<=[A-Za-z])L(?![A-Za-z]))"
    r"[^\s#@，、；“”‘’「」,;\"]{1,30}?的(?:微博|秒拍|酷燃|优酷|優酷|腾讯|騰訊|美拍|快手)(?:视频|視頻|影片)"
    r"|O(?:网页|網頁)(?:链接|鏈接|連結)"
)
# The same cards in Traditional (a post converted by s2hk, or Taiwan phrasing by s2twp):
# 視頻/影片 for 视频, 優酷/騰訊, O網頁鏈接/O網頁連結; a card is never real text in any script.
_WEIBO_TRIGGERS = ("全文", "视频", "視頻", "影片", "链接", "鏈接", "連結", "查看")


def split_weibo_artifacts(text: str) -> tuple[str, list[str]]:
    """``(text without Weibo leftovers, the pieces removed)``; see :func:`remove_weibo_artifacts`.

    ``split_weibo_artifacts("武漢加油 L柴知道的微博視頻") == ("武漢加油  ", ["L柴知道的微博視頻"])``
    """
    if any(trigger in text for trigger in _WEIBO_TRIGGERS):
        removed = _WEIBO_ARTIFACTS.findall(text)
        if removed:
            return _WEIBO_ARTIFACTS.sub(" ", text), removed
    return text, []


def remove_weibo_artifacts(text: str) -> str:
    """Remove scraping leftovers of Weibo, in either script: ``收起全文d``, ``L央视新闻的微博视频``,
    ``L柴知道的微博視頻``, ``O网页链接``, ``O網頁連結``."""
    return split_weibo_artifacts(text)[0]


# --- punctuation and whitespace -------------------------------------------------------
_REPEATED = re.compile(r"([!?！？。，,~～、；;])\1+")
_ELLIPSIS = re.compile(r"(?:…{3,}|\.{4,}|。{3,})")
_SPACES = re.compile(r"[ \t\u3000\xa0]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def collapse_punctuation(text: str) -> str:
    """``！！！`` → ``！``, ``???`` → ``?``, long ellipses → ``……``."""
    text = _ELLIPSIS.sub("……", text)
    return _REPEATED.sub(r"\1", text)


def normalize_whitespace(text: str) -> str:
    """Runs of spaces → one space, lines trimmed, blank-line runs → one paragraph break."""
    text = _SPACES.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n"))
    if "\n" in text:
        text = "\n".join(line.strip() for line in text.split("\n"))
        text = _BLANK_LINES.sub("\n\n", text)
    return text.strip()


STEPS: dict[str, Step] = {
    "markup": strip_markup,
    "pinyin": remove_pinyin,
    "unicode": normalize_unicode,
    "furniture": remove_furniture,
    "weibo": remove_weibo_artifacts,
    "contacts": replace_contacts,
    "punctuation": collapse_punctuation,
    "whitespace": normalize_whitespace,
}
DEFAULT_STEPS: tuple[str, ...] = tuple(STEPS)
# Steps that delete text and say what they deleted; the rest only rewrite it.
_RECORDING: dict[str, Callable[[str], tuple[str, list[str]]]] = {
    "markup": split_markup,
    "pinyin": split_pinyin,
    "furniture": split_furniture,
    "weibo": split_weibo_artifacts,
}


class Cleaned(NamedTuple):
    """A cleaned text and what the deleting steps removed (scripts, furniture lines, Weibo leftovers)."""

    text: str
    removed: tuple[str, ...]


def _step(name: str, contacts: str) -> Step:
    if name not in STEPS:
        raise InputError(f"unknown cleaning step {name!r}; available: {list(STEPS)}")
    if name == "contacts":
        return functools.partial(replace_contacts, mode=contacts)
    return STEPS[name]


@functools.lru_cache(maxsize=32)
def _resolve(steps: tuple[str | Step, ...], contacts: str) -> tuple[tuple[Callable, bool], ...]:
    """Each step as ``(function, records_removed)``; recording steps return ``(text, removed)``."""
    out: list[tuple[Callable, bool]] = []
    for step in steps:
        if isinstance(step, str) and step in _RECORDING:
            out.append((_RECORDING[step], True))
        else:
            out.append((_step(step, contacts) if isinstance(step, str) else step, False))
    return tuple(out)


def _run(text: str, steps: tuple[str | Step, ...], contacts: str) -> Cleaned:
    removed: list[str] = []
    for func, records in _resolve(steps, contacts):
        if records:
            text, gone = func(text)
            removed += gone
        else:
            text = func(text)
    return Cleaned(text, tuple(removed))


def clean_document(text: str, *, steps: Sequence[str | Step] | None = None,
                   contacts: str = DEFAULT_CONTACTS) -> Cleaned:
    """:func:`clean_text` that also says what was removed, and never empties a text.

    When the deleting steps (``markup``, ``pinyin``, ``furniture``, ``weibo``) would leave a non-blank
    text empty, the text is cleaned without them (``"收起全文d"`` stays ``"收起全文d"``), and a post that
    ``contacts="remove"`` would empty keeps its placeholders (``"@人民日报"`` → ``"<USER>"``). Example:
    ``clean_document("好消息 O网页链接") == Cleaned("好消息", ("O网页链接",))``.
    """
    _check_mode(contacts)
    if text is None or text != text or not text:  # None, NaN or ""
        return Cleaned("", ())
    chosen = DEFAULT_STEPS if steps is None else tuple(steps)
    text = remove_controls(text)
    done = _run(text, chosen, contacts)
    if not done.text.strip() and text.strip() and any(s in _RECORDING for s in chosen):
        kept = tuple(s for s in chosen if not (isinstance(s, str) and s in _RECORDING))
        done = Cleaned(_run(text, kept, contacts).text, ())
    if not done.text.strip() and text.strip() and contacts == "remove":  # a post of only a link
        return clean_document(text, steps=steps, contacts=DEFAULT_CONTACTS)
    # and again after the steps, which may have written one (an entity such as &#x202E;)
    return Cleaned(remove_controls(done.text), tuple(remove_controls(r) for r in done.removed))


def clean_text(text: str, *, steps: Sequence[str | Step] | None = None,
               contacts: str = DEFAULT_CONTACTS) -> str:
    """Clean one text with ``steps`` (names from :data:`STEPS` or callables; default all).

    ``contacts`` is ``"placeholder"``, ``"remove"`` or ``"keep"``. A non-blank text is never
    emptied by the deleting steps (:func:`clean_document`). Example:
    ``clean_text("規(guī)模達6.38億!!! @新浪 http://t.cn/x") == "規模達6.38億！ <USER> <URL>"``
    """
    return clean_document(text, steps=steps, contacts=contacts).text
