"""Tokens: special units, the domain dictionary, stopwords, and jieba/rjieba identity."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from opinion.errors import InputError
from opinion.text.clean import clean_text
from opinion.text.script import to_analysis
from opinion.text.tokenize import (
    DictEntry,
    Tokenizer,
    analysis_words,
    default_tokenizer,
    parse_dictionary,
    read_dictionary,
    tokenize,
)

DATA = Path(__file__).parent / "data" / "text"


@pytest.fixture(scope="module")
def weibo_norm() -> list[str]:
    with (DATA / "weibo_sample.tsv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    return [to_analysis(clean_text(r["text"])) for r in rows]


@pytest.fixture(scope="module")
def seed_tokens() -> list[str]:
    text = (DATA / "live_commerce_trust_article.txt").read_text("utf-8")
    return tokenize(to_analysis(clean_text(text)))


@pytest.mark.parametrize("text, expected", [
    ("#直播带货#主播带货国货[赞]", ["#直播带货#", "主播", "带货", "国货", "[赞]"]),
    ("#武汉加油##中国加油#", ["#武汉加油#", "#中国加油#"]),
    ("销售额6.38亿，占63.1%，4111.2万次，500多家", ["销售额", "6.38亿", "占", "63.1%", "4111.2万次", "500多家"]),
    ("2021年6月确诊830例", ["2021年", "6月", "确诊", "830例"]),
    ("KOL主播与CNNIC报告", ["KOL", "主播", "CNNIC", "报告"]),
    ("检测出2019-nCoV核酸", ["检测", "出", "2019-nCoV", "核酸"]),
    ("转发 <USER>：看 <URL>", ["转发"]),
    ("三农主播助力非遗，银发族爱国潮", ["三农", "主播", "助力", "非遗", "银发族", "爱", "国潮"]),
    ("我们的", []),
    ("", []),
    ("？！…… ", []),
    ("𠵱家好多人排队买口罩", ["𠵱", "家", "好多", "排队", "买", "口罩"]),  # supplementary-plane Han: was dropped
    ("吉野家和𠮷野家", ["吉野家", "𠮷", "野家"]),
    # until 2026-12-08: 234例 (a wrong figure), 6.8% (a fall read as a rise), 4万 + 多例, 九年
    ("截至目前累计确诊1,234例", ["目前", "累计", "确诊", "1,234例"]),
    ("营运利润约2,530万美元，去年同期亏损2,860万美元", ["营运", "利润", "约", "2,530万美元", "去年同期", "亏损", "2,860万美元"]),
    ("一季度GDP同比-6.8%，降幅收窄", ["一季度", "GDP", "同比", "-6.8%", "降幅", "收窄"]),
    ("全国确诊4万多例，治愈1万多人", ["全国", "确诊", "4万多例", "治愈", "1万多人"]),
    ("二〇一九年", ["二〇一九年"]),
    ("一九八四年出生，一二三四年级的学生", ["一九八四年", "出生", "一二三四", "年级", "学生"]),  # grades, not a year
    ("预告-18日14时 杨毅做客新浪", ["预告", "18日", "杨毅", "做客", "新浪"]),  # a headline's dash, not a sign
    ("西甲-10人塞维利亚", ["西甲", "10人", "塞维利亚"]),
    ("前值为-0.6%", ["前值", "-0.6%"]),
    ("某某发展有限公司二〇二〇年三月十日", ["发展", "有限公司", "二〇二〇年", "三月", "十日"]),
    ("河北第九八〇医院超200名医护人员", ["河北", "第九", "八〇", "医院", "超", "200名", "医护人员"]),
])
def test_tokenize_units(text, expected):
    assert tokenize(text) == expected


def test_tokenize_stopwords_and_numbers_switch():
    tk = Tokenizer(stopwords=False)
    assert tk.tokenize("我们的2020") == ["我们", "的", "2020"]
    assert tokenize("我们的2020") == []


def test_tokenize_stopword_file(tmp_path):
    path = tmp_path / "stop.txt"
    path.write_text("# mine\n主播\n", encoding="utf-8")
    assert Tokenizer(stopwords=path).tokenize("主播的国货") == ["的", "国货"]


def test_tokenize_seed_article_domain_words(seed_tokens):
    for word in ("直播电商", "国货", "非遗", "三农", "银发族", "KOL", "CNNIC", "带货"):
        assert word in seed_tokens, word
    assert "的" not in seed_tokens and "，" not in seed_tokens


def test_tokenize_user_dict_and_extra_words(tmp_path):
    path = tmp_path / "words.txt"
    path.write_text("# my words\n零界新业态 5000 nz\n带货王\n", encoding="utf-8")
    text = "零界新业态的带货王讲诚信经营之道"
    tokens = Tokenizer(user_dicts=[path], extra_words=["诚信经营之道"]).tokenize(text)
    assert tokens == ["零界新业态", "带货王", "讲", "诚信经营之道"]
    assert "零界新业态" not in default_tokenizer().tokenize(text)


def test_tokenize_user_dict_in_traditional_cuts_the_simplified_text(tmp_path):
    path = tmp_path / "tw.txt"  # a Taiwan or Hong Kong analyst's dictionary
    path.write_text("鑽石公主號 10 n\n方艙醫院\n", encoding="utf-8")
    assert read_dictionary(path) == [DictEntry("钻石公主号", 10, "n"), DictEntry("方舱医院")]
    tokens = Tokenizer(user_dicts=[path]).tokenize("钻石公主号上的乘客转入方舱医院")
    assert "钻石公主号" in tokens and "方舱医院" in tokens  # never matched before 2026-12-07


def test_tokenize_extra_words_are_never_stopwords():
    assert Tokenizer(extra_words=["我们"]).tokenize("我们的国货") == ["我们", "国货"]


def test_tokenize_dictionary_errors(tmp_path):
    assert parse_dictionary("国货 20 nz\n非遗\n\n# c\n品控 n") == [
        DictEntry("国货", 20, "nz"), DictEntry("非遗"), DictEntry("品控", None, "n")]
    bad = tmp_path / "bad.txt"
    bad.write_text("国货 20 nz\n直播 电商 9\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad.txt line 2: expected 'word \[freq\] \[tag\]'"):
        read_dictionary(bad)
    with pytest.raises(InputError, match="cannot read the user dictionary"):
        read_dictionary(tmp_path / "missing.txt")
    (tmp_path / "gbk.txt").write_bytes("新冠肺炎 100 n\n钟南山\n".encode("gb18030"))
    with pytest.raises(InputError, match=r"not UTF-8 .* reads as gb18030 or big5 .*`iconv -f gb18030"):
        read_dictionary(tmp_path / "gbk.txt")


def test_tokenize_big5_dictionary_is_not_said_to_be_gb18030(tmp_path):
    """Regression: a Big5 file was said to read as gb18030, and following that gave 苝ホそ腹 for 鑽石公主號."""
    (tmp_path / "big5.txt").write_bytes("鑽石公主號 100 nz\n臺灣疫情\n口罩實名制\n".encode("big5"))
    with pytest.raises(InputError, match=r"Hong Kong one big5\): .*`iconv -f big5 -t utf-8 big5.txt > big5.utf8.txt`"):
        read_dictionary(tmp_path / "big5.txt")


@pytest.mark.parametrize("line, message", [
    ("word,freq,tag", r"'word,freq,tag' is not 'word \[freq\] \[tag\]': separate the columns with spaces"),
    ("火神山，20000", "separate the columns with spaces, not commas"),  # a full-width comma
    ("COVID-19 100", "Han characters only"),  # Latin is cut before the dictionary applies
    ("B站", "Han characters only"),
    ("火神\u200b山", "Han characters only"),  # a zero-width space copied from a web page
    ("火神山 100.0", "frequency must be a whole number"),  # had blamed spaces
    ("火神山 1e5", "frequency must be a whole number"),
    ("火神山 ² nz", "frequency must be a whole number"),  # had been a ValueError traceback
    ("火神山 99999999999999999999999 nz", "frequency must be a whole number from 0 to 1,000,000,000"),  # OverflowError
])
def test_tokenize_dictionary_entries_that_never_apply_are_refused(tmp_path, line, message):
    """Regression: an Excel CSV (火神山,20000,nz was one 'word') and words that can never be a token
    loaded silently and changed no token; odd frequencies crashed with a traceback."""
    path = tmp_path / "excel.csv"
    path.write_text(f"{line}\n雷神山 20000 nz\n", encoding="utf-8")
    with pytest.raises(InputError, match=f"excel.csv line 1: .*{message}"):
        read_dictionary(path)


def test_tokenize_dictionary_full_width_frequency_still_loads():
    assert parse_dictionary("火神山 １００ nz") == [DictEntry("火神山", 100, "nz")]


def test_tokenize_engines_give_identical_tokens(weibo_norm, seed_tokens, tmp_path):
    """rjieba is the fast path; jieba is the reference. Same tokens, user dictionary included."""
    pytest.importorskip("rjieba")
    words = tmp_path / "words.txt"
    words.write_text("双黄连口服液\n方舱医院 3 n\n居家隔离 80000\n", encoding="utf-8")
    texts = [*weibo_norm, " ".join(seed_tokens)]
    for options in ({}, {"user_dicts": [words], "extra_words": ["抢购口罩"]}):
        reference = Tokenizer(engine="jieba", **options).tokenize_many(texts)
        fast = Tokenizer(engine="rjieba", **options).tokenize_many(texts)
        assert fast == reference
    assert sum(len(t) for t in reference) > 5000


def test_tokenize_joined_runs_equal_runs_cut_alone(weibo_norm):
    tk = Tokenizer(stopwords=False)
    for text in weibo_norm[:60]:
        import re

        runs = re.findall(r"[\u4e00-\u9fd5]+", text)
        assert tk._han_words(runs) == [tk.segmenter.cut(r) for r in runs]


@pytest.mark.parametrize("text", ["天津太太太太太优秀了", "啊啊啊啊啊加油加油加油加油", "会越来越来越好的",
                                  "呜呜呜本神农架人太骄傲了", "不停买买买供养出来的大数据库"])
def test_tokenize_tied_cuts_follow_jieba(text):
    """Regression: jieba-rs breaks ties between equally likely cuts otherwise than jieba."""
    pytest.importorskip("rjieba")
    options = {"stopwords": False}
    assert Tokenizer(engine="rjieba", **options).tokenize(text) == Tokenizer(
        engine="jieba", **options).tokenize(text)


def test_tokenize_pos_filter_uses_jieba():
    tk = Tokenizer(pos=("n", "v", "a"))
    assert tk.engine == "jieba"
    tokens = tk.tokenize("消费者非常信任国货品牌#国货#")
    assert "非常" not in tokens and {"消费者", "信任", "国货", "品牌", "#国货#"} <= set(tokens)
    with pytest.raises(InputError, match="POS filtering needs engine 'jieba'"):
        Tokenizer(pos=("n",), engine="rjieba")
    with pytest.raises(InputError, match="engine must be one of"):
        Tokenizer(engine="thulac")


def test_tokenize_default_tokenizer_is_cached():
    assert default_tokenizer() is default_tokenizer()


def test_tokenize_cuts_a_very_long_han_run_in_pieces(monkeypatch):
    """jieba's HMM is quadratic in a run's length: a post of 40,000 的 took 4 s. Runs longer
    than MAX_HAN_RUN reach the engine in pieces; text of ordinary runs is cut as before."""
    from opinion.text.tokenize import MAX_HAN_RUN, Tokenizer

    tokenizer = Tokenizer()
    seen: list[int] = []
    cut = tokenizer._han_words
    monkeypatch.setattr(tokenizer, "_han_words", lambda runs: seen.extend(map(len, runs)) or cut(runs))
    tokens = tokenizer.tokenize("武汉加油" * 700 + "，口罩")  # 2,800 Han characters in one run
    assert max(seen) <= MAX_HAN_RUN and sum(seen) == 2_802
    assert tokens == tokenizer.tokenize("武汉加油") * 700 + ["口罩"]


def test_tokenize_simplified_dictionary_words_stay_as_written(tmp_path):
    """tw2s on every entry wrote 原着党, 显着性: the words never matched the Simplified text. A
    word whose character makes a post convert (乾, 沈) takes the form that post's text has."""
    from opinion.text.script import detect_and_convert

    path = tmp_path / "zh.txt"
    words = ["原著党", "原著粉", "显著性", "土著居民", "著称", "么"]
    path.write_text("\n".join(words) + "\n", encoding="utf-8")
    assert [e.word for e in read_dictionary(path)] == words
    tokens = Tokenizer(user_dicts=[path]).tokenize("这部剧的原著党和原著粉都很失望")
    assert "原著党" in tokens and "原著粉" in tokens
    for word in ("周乾", "李乾", "沈思"):
        assert analysis_words([word])[0] in detect_and_convert(f"今天看了{word}的新剧，大家都说好")[1]


def test_tokenize_dictionary_words_in_either_region_get_the_documents_conversion(tmp_path):
    """A Hong Kong 衞 (which tw2s and t2s leave) and a Taiwan 看著 become what the documents become."""
    from opinion.text.script import to_analysis

    assert analysis_words(["衞監局", "衞生中心", "看著", "臺灣", "鑽石公主號", "乾燥"]) == [
        "卫监局", "卫生中心", "看着", "台湾", "钻石公主号", "干燥"]
    path = tmp_path / "hk.txt"
    path.write_text("衞監局\n衞生中心\n", encoding="utf-8")
    norm = to_analysis("衞生中心今日話，衞監局嘅職員喺度")
    tokens = Tokenizer(user_dicts=[path]).tokenize(norm)
    assert "卫生中心" in tokens and "卫监局" in tokens, (norm, tokens)


@pytest.mark.parametrize("target", ["zh-Hant-TW", "zh-HK"])
def test_tokenize_rendered_dictionary_words_come_back(target):
    """Every shipped word and everyday words with a regional form, shown in ``target`` and read
    back, are the word again (卫生 shown in zh-HK is 衞生, which came back as 衞生)."""
    from opinion.text.script import render_many
    from opinion.text.tokenize import domain_entries

    words = [e.word for e in domain_entries()] + [
        "卫生", "卫生部", "防卫", "保卫", "卫生健康委", "看着", "活着", "接着", "原著", "显著", "干燥", "周干", "叙旧"]
    assert analysis_words(words) == words  # Simplified stays as written
    assert analysis_words(render_many(words, target)) == words


def test_tokenize_accented_latin_and_programming_languages_are_whole_words():
    """café had been the token caf (é fell out), naïve na + ve, and C++/C#/F# all C or F; a
    # that opens a #话题# still starts the hashtag, and 3# (a building number) is no word."""
    from opinion.text.tokenize import first_cut

    assert tokenize("é café naïve C++ C# F# 用户") == ["é", "café", "naïve", "C++", "C#", "F#", "用户"]
    assert first_cut("Charité医院 São Paulo")[0] == ["Charité", None, "São", "Paulo"]
    assert first_cut("N95#口罩# wuhu#加油#")[0] == ["N95", "#口罩#", "wuhu", "#加油#"]
    assert first_cut("学C#编程")[0] == [None, "C#", None]


@pytest.mark.parametrize("text, expected", [
    # a negator joins the content word after it: the views had shown the opposite word
    ("政府不透明不公平不信任不满意", ["政府", "不透明", "不公平", "不信任", "不满意"]),
    ("外卖不新鲜，送餐很不方便", ["外卖", "不新鲜", "送餐", "不方便"]),
    ("官员不作为乱作为", ["官员", "不作为", "乱作为"]),  # 作为 is a stopword: 不作为 had vanished
    ("无症状感染者没来得及隔离", ["无症状", "感染者", "没来得及", "隔离"]),
    # untouched: words jieba keeps whole, stopwords, everyday words, long idioms
    ("我不是没有说", ["没有"]),
    ("我不知道", ["知道"]),  # 知道 is an everyday word: 不知道 would lead every cloud
    ("效果不尽如人意", ["效果", "尽如人意"]),  # 不 + a four-character idiom is not joined
])
def test_tokenize_negated_words_stay_whole(text, expected):
    assert tokenize(text) == expected


def test_tokenize_negation_leaves_theme_terms_and_unfiltered_tokens_alone():
    """A theme term after a negator stays the term (不信任 must still count for the 信任 theme),
    and without stopword removal nothing is joined (the sentiment lexicon reads 不 itself)."""
    assert Tokenizer(extra_words=["信任"]).tokenize("不信任不透明") == ["信任", "不透明"]
    assert Tokenizer(stopwords=False).tokenize("不透明") == ["不", "透明"]
    assert Tokenizer().settings()["negations"] != Tokenizer(stopwords=False).settings()["negations"]


@pytest.mark.parametrize("text, expected", [
    ("1,2,3号病例", ["3号", None]),  # a list, not 123号
    ("2020,3月", ["3月"]),  # no 1-3 + 3 digit groups
    ("1,234,5", []),
    ("累计109,020元，约5,340美元", [None, "109,020元", None, "5,340美元"]),
    ("COVID-19与SARS-CoV-2、2019-nCoV", ["COVID-19", None, "SARS-CoV-2", "2019-nCoV"]),
    ("分别为-11%、-13%", [None, "-11%", "-13%"]),  # a minus after 为 and after 、: negative figures
    ("2月3日-2月7日，5亿元-16.5亿元，5%-10%", ["2月", "3日", "2月", "7日", "5亿元", "16.5亿元", "5%", "10%"]),  # ranges
    ("华为-5G", [None, "5G"]),
])
def test_tokenize_number_shapes(text, expected):
    """Thousands separators only in the 1-3 + groups of 3 shape; a minus only where no letter,
    digit or number with its unit comes right before (a range is not a negative number)."""
    from opinion.text.tokenize import first_cut

    assert first_cut(text, bare_numbers=False)[0] == expected


def test_tokenize_pos_filter_keeps_negated_words():
    """Regression: with the documented pos=("n", "v", "a") the filter dropped 不 (tag d) before
    the join, so 不满意 became 满意 (没 is tagged v, so 没口罩 did join)."""
    text = "政府不透明，我不满意，不信任，没口罩"
    assert Tokenizer(pos=("n", "v", "a")).tokenize(text) == ["政府", "不透明", "不满意", "不信任", "没口罩"]
    assert Tokenizer(pos=("n",)).tokenize("我不满意没口罩") == ["没口罩"]  # 满意 is no noun: nor is 不满意
