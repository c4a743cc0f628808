from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from opinion.config import LoadSettings
from opinion.errors import InputError
from opinion.io.dates import date_from_filename, parse_date


@pytest.mark.parametrize("value, expected", [
    ("2020-01-19", "2020-01-19 00:00:00"),
    ("2020/1/19 08:00", "2020-01-19 08:00:00"),
    ("2020/01/19 08:00:30", "2020-01-19 08:00:30"),
    ("2020.1.19", "2020-01-19 00:00:00"),
    ("2020年1月19日", "2020-01-19 00:00:00"),
    ("2020年1月19日 8时30分", "2020-01-19 08:30:00"),
    ("2020年01月19日 20:15", "2020-01-19 20:15:00"),
    ("20200119", "2020-01-19 00:00:00"),
    ("1579392000", "2020-01-19 08:00:00"),  # epochs on Beijing/Taipei/Hong Kong time
    ("1579392000000", "2020-01-19 08:00:00"),
    (1579392000, "2020-01-19 08:00:00"),
    (1579392000123, "2020-01-19 08:00:00.123000"),
    ("2020-01-19T08:00:00+08:00", "2020-01-19 08:00:00"),
    ("2020-01-19T00:00:00Z", "2020-01-19 08:00:00"),
    ("2020-01-19 23:30:00 +0000", "2020-01-20 07:30:00"),
    ("Sun Jan 19 12:30:00 +0800 2020", "2020-01-19 12:30:00"),  # Weibo's API
    ("Sun Jan 19 04:30:00 +0000 2020", "2020-01-19 12:30:00"),
    ("Wed Jan 01 00:00:00 CST 2020", "2020-01-01 00:00:00"),  # Java: CST is ambiguous, kept
    (pd.Timestamp("2020-01-19 04:00", tz="UTC"), "2020-01-19 12:00:00"),
    (20200119, "2020-01-19 00:00:00"),  # a yyyymmdd date stored as a number (Parquet, Excel)
    (43849, "2020-01-19 00:00:00"),  # Excel serial days, as a "General" cell or its CSV shows them
    ("43849.5", "2020-01-19 12:00:00"),
    (dt.datetime(2020, 1, 19, 8, 0), "2020-01-19 08:00:00"),
    (dt.date(2020, 1, 19), "2020-01-19 00:00:00"),
])
def test_dates_parse_chinese_formats(value, expected):
    assert parse_date(value) == pd.Timestamp(expected)


@pytest.mark.parametrize("value, expected", [
    ("2020/2/1 下午 03:15:00", "2020-02-01 15:15:00"),  # Windows' zh-TW clock (Excel, CSV exports)
    ("2020/2/1 上午 11:05:00", "2020-02-01 11:05:00"),
    ("2020/2/1 上午 12:05:00", "2020-02-01 00:05:00"),  # 上午 12 is just after midnight
    ("2020/2/1 下午 12:30:00", "2020-02-01 12:30:00"),
    ("2020年2月1日下午3时15分", "2020-02-01 15:15:00"),
    ("2020-02-01 中午 1:30", "2020-02-01 13:30:00"),
    ("2020-02-01 晚上 9:00", "2020-02-01 21:00:00"),
    ("2020-02-01 下午 15:30", "2020-02-01 15:30:00"),  # already a 24-hour clock
    ("2020-02-01 3:15 PM", "2020-02-01 15:15:00"),
    ("2020-02-01 12:15 a.m.", "2020-02-01 00:15:00"),
    ("2020年2月1日（週六） 14：30", "2020-02-01 14:30:00"),  # a weekday and a full-width colon
    ("2020年2月1日 星期六", "2020-02-01 00:00:00"),
    ("2020年2月1日(六) 14:00", "2020-02-01 14:00:00"),
    ("民國109年2月1日", "2020-02-01 00:00:00"),  # Minguo years, Taiwan's official calendar
    ("109/02/01", "2020-02-01 00:00:00"),
    ("109年2月1日 14:00", "2020-02-01 14:00:00"),
    ("二〇二〇年二月一日", "2020-02-01 00:00:00"),  # as official documents write dates
    ("二〇二〇年十二月三十一日 14:00", "2020-12-31 14:00:00"),
    ("２０２０年２月１日", "2020-02-01 00:00:00"),
    ("Sat Feb  1 15:30:00 2020", "2020-02-01 15:30:00"),  # PTT's post times: no zone, kept
    ("Feb 1, 2020 3:15 PM", "2020-02-01 15:15:00"),  # English month names (Hong Kong exports)
    ("1 Feb 2020 15:15", "2020-02-01 15:15:00"),
    ("01-Feb-2020", "2020-02-01 00:00:00"),
    ("September 3rd, 2020", "2020-09-03 00:00:00"),
    ("Sat Feb 01 2020 10:00:00 GMT+0800 (中国标准时间)", "2020-02-01 10:00:00"),  # JavaScript's Date
    ("2020/02/01 10:00:00 GMT+8", "2020-02-01 10:00:00"),  # a zone after the time: on the clock
    ("2020-02-01 02:00 UTC+0", "2020-02-01 10:00:00"),
    ("Sat, 01 Feb 2020 10:00:00 +0800", "2020-02-01 10:00:00"),  # RSS feeds' pubDate (RFC 2822)
    ("Sat, 01 Feb 2020 02:00:00 GMT", "2020-02-01 10:00:00"),
    ("2020-02-01 10:00 -0500", "2020-02-01 23:00:00"),
    ("发布时间：2020-02-01 10:30", "2020-02-01 10:30:00"),  # a scraper kept the page's label
    ("發佈時間:2020/02/01", "2020-02-01 00:00:00"),
    ("2020-02-01 10:30 来源：新华网 编辑：李四", "2020-02-01 10:30:00"),  # ... and what follows
    ("2020年2月1日 10:30 来自 iPhone客户端", "2020-02-01 10:30:00"),  # Weibo's page: time, then device
    ("2020-02-01 10:00:00+08", "2020-02-01 10:00:00"),  # PostgreSQL's timestamptz in a CSV export
    ("2020-02-01 02:00:00+00", "2020-02-01 10:00:00"),
    ("北京时间2020年2月1日10时", "2020-02-01 10:00:00"),  # the zone named in words
    ("2020-02-01 10:00（臺北時間）", "2020-02-01 10:00:00"),
    ("2020-02-01 10:00:00 CST", "2020-02-01 10:00:00"),  # China's or US Central: kept as written
])
def test_dates_parse_what_is_written_around_the_numbers(value, expected):
    assert parse_date(value) == pd.Timestamp(expected)


def test_dates_month_and_day_read_with_a_year_only():
    assert parse_date("02-01 12:30") is None and parse_date("2月1日") is None
    assert parse_date("02-01 12:30", year=2020) == pd.Timestamp("2020-02-01 12:30")
    assert parse_date("2月1日 8时30分", year=2020) == pd.Timestamp("2020-02-01 08:30")
    assert parse_date("2020-03-05", year=2019) == pd.Timestamp("2020-03-05")  # a full date wins
    assert parse_date("02-30", year=2020) is None


def test_dates_timezone_sets_the_clock_of_zoned_times_and_epochs_only():
    assert parse_date("北京时间2020年2月1日10时", "UTC") == pd.Timestamp("2020-02-01 02:00")
    assert parse_date("1579392000", "UTC") == pd.Timestamp("2020-01-19 00:00")
    assert parse_date("2020-01-19T08:00:00+08:00", "UTC") == pd.Timestamp("2020-01-19 00:00")
    assert parse_date("2020-01-19 08:00", "UTC") == pd.Timestamp("2020-01-19 08:00")  # no zone
    assert parse_date("Sun Jan 19 12:30:00 +0800 2020", "+09:00") == pd.Timestamp("2020-01-19 13:30")
    with pytest.raises(InputError, match="must be a time zone"):
        LoadSettings(timezone="Beijing")


@pytest.mark.parametrize("value", [
    None, "", "   ", "昨天 08:00", "Sun Foo 19 12:30:00 +0800 2020", "Mon Feb 30 12:30:00 +0800 2020", "3分钟前", "2020-13-45", "not a date", float("nan"), 42,
    True, "0000-00-00", "下午 03:15", "2020/2/1 上午 下午 3:00", "12/02/01", "1234/02/01",
    "Foo 1, 2020", "Fab 1, 2020", "Jan 35, 2020", "GMT+8", "not a date GMT+8",
    "GMT", "2020 Z", "来自 iPhone", "2020-02-01 10:00 +9999",
    "2020-02-01" + " " * 100 + "10:30", "1" + " " * 5000 + "x",  # never a date, and read in no time
    "2020-02-01 来源：新华网 新华社北京2月1日电，记者从国家卫健委获悉，截至今日全国共确诊病例一万余例。",  # a post
])
def test_dates_unreadable_values_are_none_not_errors(value):
    assert parse_date(value) is None


@pytest.mark.parametrize("name, year, expected", [
    ("2020.1.20.csv.gz", None, "2020-01-20"),
    ("2020-01-20.csv", None, "2020-01-20"),
    ("20200120.txt", None, "2020-01-20"),
    ("weibo_2020_03_05.jsonl", None, "2020-03-05"),
    ("微博_2020年1月20日.csv", None, "2020-01-20"),  # Chinese file names
    ("1月27日.csv", 2020, "2020-01-27"),
    ("1.27.csv.gz", 2020, "2020-01-27"),
    ("4.7.csv.gz", 2020, "2020-04-07"),
])
def test_dates_from_filename(name, year, expected):
    assert date_from_filename(name, year=year) == pd.Timestamp(expected)


def test_dates_from_filename_without_date_is_none():
    assert date_from_filename("live_commerce_trust_article.txt") is None


def test_dates_from_filename_month_day_needs_year():
    with pytest.raises(InputError, match="1.27.csv.gz.*--year"):
        date_from_filename("1.27.csv.gz")


def test_dates_unreadable_values_get_the_fix_there_is():
    from opinion.io.dates import unreadable_dates_fix

    assert "--year YYYY" in unreadable_dates_fix(["02-01 12:30"], year=None)
    assert "--year YYYY" in unreadable_dates_fix(["02月01日 10:30 来自iPhone客户端"], year=None)
    assert parse_date("02月01日 10:30 来自iPhone客户端", year=2020) == pd.Timestamp("2020-02-01 10:30")
    assert unreadable_dates_fix(["02-01 12:30"], year=2020) == ""
    relative = unreadable_dates_fix(["3分钟前", "昨天 10:30"], year=None)
    assert "relative to when the page was saved" in relative and "--year" not in relative
    assert "a month without a day" in unreadable_dates_fix(["2020年2月", "2020-03"], year=None)
    assert parse_date("2020年2月") is None and parse_date("2020-02") is None  # no day is made up
    assert unreadable_dates_fix(["not a date"], year=None) == ""



@pytest.mark.parametrize("value", [
    20200301120000, "20200301120000", 202003011200, "2020030112",  # compact stamps, numbers too
    "2020年3月1日\xa012:00", "2020-03-01 12:00:00\u200b",  # &nbsp; and a zero-width space of a page
    "２０２０－０３－０１　１２：００", "2020‐03‐01 12:00", "2020—03—01 12:00",  # full-width, U+2010, U+2014
])  # all of them 2020-03-01 12:00
def test_parse_date_reads_compact_numbers_and_page_spaces_and_dashes(value):
    """2026-12-08: 14- and 12-digit numbers (Excel turns a typed 20200301120000 into one) were
    bad dates, 2020030112 was read as epoch seconds (2034-01-05), and NBSP, ZWSP, full-width
    digits and Unicode dashes made a readable date a bad one."""
    assert parse_date(value) == pd.Timestamp("2020-03-01 12:00")


def test_parse_date_still_reads_epochs_that_look_like_no_compact_date():
    assert parse_date(1579392000) == parse_date("1579392000") == pd.Timestamp("2020-01-19 08:00")
    assert parse_date(12345678) is None and parse_date("20201301") is None


def test_impossible_name_day_says_the_year_has_no_such_day():
    from opinion.io.dates import impossible_name_day

    assert impossible_name_day("2.29.csv.gz", 2019) == (
        "2019-02-29 is not a day (2019 is not a leap year); check --year")
    assert impossible_name_day("4.31.csv", 2020) == "2020-04-31 is not a day; check --year"
    assert impossible_name_day("2.29.csv.gz", 2020) is None and impossible_name_day("posts.csv", 2019) is None


def test_far_dates_flags_sentinels_not_the_spread_of_an_outbreak():
    """A NULL epoch written in UTC+8 (1970-01-01 08:00) and a typed 2030 are far; a post of
    last spring in a corpus of 80 days is not (20 inter-quartile spans, at least a year)."""
    from opinion.io.dates import far_dates

    days = pd.Series(pd.date_range("2020-01-19", "2020-04-07", freq="D").repeat(50))
    extra = pd.Series([pd.Timestamp(v) for v in ("1970-01-01 08:00", "2030-01-01", "2019-05-01")] + [pd.NaT])
    flagged = far_dates(extra, pd.concat([days, extra], ignore_index=True))
    assert flagged.tolist() == [True, True, False, False]
    assert not far_dates(days).any()
