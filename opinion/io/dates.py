"""Dates as Chinese sources write them, and dates carried by file names.

    >>> parse_date("2020年1月19日 08:30")
    Timestamp('2020-01-19 08:30:00')
    >>> parse_date("2020/1/19 08:00"), parse_date("1579392000")
    (Timestamp('2020-01-19 08:00:00'), Timestamp('2020-01-19 08:00:00'))
    >>> parse_date("2020-01-19T00:00:00Z"), parse_date("1579392000", timezone="UTC")
    (Timestamp('2020-01-19 08:00:00'), Timestamp('2020-01-19 00:00:00'))
    >>> parse_date("民國109年2月1日（六） 下午 3:15")
    Timestamp('2020-02-01 15:15:00')
    >>> date_from_filename("1.27.csv.gz", year=2020)
    Timestamp('2020-01-27 00:00:00')

A value that cannot be read gives ``None`` (kept as missing and counted by the loader),
never an error: an impossible day (``2020-02-30T10:00Z``) or a date outside 1900-2200
(``9999-12-31``, a common "never" sentinel, which pandas cannot even hold) included.
Timestamps are naive, on one clock: ``timezone`` (default Asia/Shanghai, UTC+8, the clock
of mainland China, Taiwan and Hong Kong). An epoch value or a time that names its zone
(``Z``, ``+0000``, a zoned Parquet/Excel cell) is converted to that clock; a time without a
zone is kept as written.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

import pandas as pd

from opinion.errors import InputError
from opinion.io.timezones import DEFAULT_TIMEZONE

MIN_YEAR, MAX_YEAR = 1900, 2200
MAX_DATE_CHARS = 100  # the longest form read, JavaScript's with its zone name, is about 50

_TIME = r"(?:[ T]*(\d{1,2})[:：时時点點](\d{1,2})?(?:[:：分](\d{1,2}(?:\.\d+)?)?)?秒?)?"
_YMD = re.compile(
    r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号號]?" + _TIME + r"\s*$"
)
_MONTH_DAY = re.compile(  # Weibo's own page for this year's posts: 02-01 12:30, 2月1日 12:30
    r"^\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号號]?" + _TIME + r"\s*$")
# yyyymmdd, yyyymmddHH, yyyymmddHHmm, yyyymmddHHmmss (MySQL's and many Chinese systems' stamps)
_COMPACT = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})(?:[ T]?(\d{2})(?:(\d{2})(\d{2})?)?)?\s*$")
_COMPACT_DIGITS = (8, 10, 12, 14)
# Written by pages and office software for the ASCII they stand for: no-break and other wide
# spaces, zero-width marks, Unicode's and full-width dashes, full-width digits and signs
# (２０２０－０３－０１　１２：００, 2020年3月1日&nbsp;12:00, 2020‐03‐01).
_ASCII_FORMS = str.maketrans(
    {**{c: " " for c in "\xa0\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"},
     **{c: "" for c in "\u200b\u200c\u200d\u2060\ufeff"},
     **{c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uff0d"},
     **{chr(0xFF10 + i): str(i) for i in range(10)}, "／": "/", "．": ".", "：": ":", "＋": "+"})
# Excel's serial day numbers (43849 = 2020-01-19; 43849.5 is noon), as a "General" cell or
# its CSV export writes them: 5 digits, 1954-2119, never an epoch (those have 9-13 digits).
_SERIAL = re.compile(r"^\s*\d{5}(?:\.\d+)?\s*$")
_SERIAL_DAYS = (20_000, 80_000)
_EPOCH = re.compile(r"^\s*(\d{9,13})(?:\.\d+)?\s*$")
# ISO 8601 with a zone; PostgreSQL writes a whole-hour zone as +08 (timestamptz in a CSV export)
_ISO_TZ = re.compile(r"^\s*\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)? ?(Z|[+-]\d{2}(?::?\d{2})?)\s*$")
# Beijing, Taipei or Hong Kong time named in words (北京时间2020年2月1日10时, news' wire style,
# 臺北時間, 香港時間): UTC+8; a trailing
# CST (China Standard Time, or US Central) is kept as written, as in Java's date text.
_UTC8_NAMES = r"(?:北京[时時]間|北京时间|[台臺]北[时時]間|香港[时時]間|香港时间)"  # all UTC+8
_BEIJING = re.compile(rf"^\s*[(（]?{_UTC8_NAMES}[)）]?\s*[:：]?\s*|\s*[(（]?{_UTC8_NAMES}[)）]?\s*$")
_CST = re.compile(r"\s+CST\s*$")
_PLAIN = re.compile(r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?|\d+(?:\.\d+)?")
# Weibo's and Twitter's APIs: "Sun Jan 19 12:30:00 +0800 2020"; Java's Date: "... CST 2020"
_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)}
_API = re.compile(r"^\s*(?:mon|tue|wed|thu|fri|sat|sun)\w*,?\s+([a-z]{3})\w*\s+(\d{1,2})\s+"
                  r"(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s+([+-]\d{4}|utc|gmt|cst))?\s+(\d{4})\s*$", re.IGNORECASE)
# English month names, as Hong Kong's English exports and spreadsheets write them: "Feb 1,
# 2020 3:15 PM", "1 Feb 2020 15:15", "01-Feb-2020"; JavaScript's Date: "Sat Feb 01 2020
# 10:00:00 GMT+0800 (中国标准时间)" (a zone written as GMT+8 / UTC+08:00 after any date form).
_FULL_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
                "september", "october", "november", "december")
_NAMED_MDY = re.compile(r"^\s*([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4}),?" + _TIME + r"\s*$",
                        re.IGNORECASE)
_NAMED_DMY = re.compile(r"^\s*(\d{1,2})(?:st|nd|rd|th)?[\s-]+([a-z]{3,9})\.?,?[\s-]+(\d{4}),?" + _TIME + r"\s*$",
                        re.IGNORECASE)
_EN_WEEKDAY = re.compile(r"^\s*(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+", re.IGNORECASE)
# RSS feeds and e-mail (RFC 2822) write the zone last too: "Sat, 01 Feb 2020 10:00:00 +0800", "... GMT".
_ZONE = re.compile(r"(?:\s+(?:GMT|UTC|UT)(?:\s*([+-])(\d{1,2})(?::?(\d{2}))?)?|(?<=\d)\s+([+-])(\d{2}):?(\d{2})|\s+Z)"
                   r"(?:\s*\([^()]{1,40}\))?\s*$", re.IGNORECASE)
# A label before the date and what a page writes after it, when a scraper kept the whole line:
# 发布时间：2020-02-01 10:30, 2020-02-01 10:30 来源：新华网, Weibo's 02月01日 10:30 来自iPhone客户端.
_LABEL = re.compile(r"^\s*(?:(?:发布|發佈|發布|更新|发表|發表|创建|建立)?(?:时间|時間|日期)|发表于|發表於|发布于|發佈於)\s*[:：]?\s*")
_TAIL = re.compile(r"\s*(?:(?:来自|來自)\s*\S|(?:来源|來源|作者|编辑|編輯|责任编辑|責任編輯|阅读|閱讀)\s*[:：])"
                   r"[^。！？!?\n]{0,40}$")  # short: never a post that starts with a date
# A month without a day: 2020年2月, 2020-02, 2020/2 (monthly reports).
_MONTH_ONLY = re.compile(r"^\s*\d{4}\s*(?:年\s*\d{1,2}\s*月份?|[-/.]\d{1,2})\s*$")
# A time as a page showed it relative to when it was read: 3分钟前, 昨天 10:30, 刚刚.
_RELATIVE = re.compile(r"^\s*(?:刚刚|剛剛|刚才|剛才|\d+\s*(?:秒|分钟|分鐘|小时|小時|天)前"
                       r"|(?:今天|昨天|前天)(?:\s*\d{1,2}[:：]\d{2})?)\s*$")
# Written around the numbers, in Taiwan and Hong Kong above all: 下午 03:15 (Windows' zh-TW
# clock), a weekday (星期六, (六)), a Minguo year (民國109年, 109/02/01) and 二〇二〇年二月一日.
_MERIDIEM = re.compile(r"(?:(?<=[\d\s日号號])|^)\s*(上午|早上|凌晨|中午|下午|晚上|傍晚|[AaPp]\.?[Mm]\.?)(?=\s|\d|$)\s*")
_AFTERNOON = ("下午", "晚上", "傍晚", "p")
_WEEKDAY = re.compile(r"\s*(?:[(（]\s*(?:星期|週|周|禮拜|礼拜)?[一二三四五六日天]\s*[)）]"
                      r"|(?:星期|週|周|禮拜|礼拜)[一二三四五六日天])")
_MINGUO = re.compile(r"^\s*(?:民[國国]\s*(\d{1,3})|(\d{3}))(?=\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}(?!\d))")
_MINGUO_START = 1911  # 民國1年 is 1912
_HAN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0}
_HAN_DATE = re.compile(r"^\s*([〇零○一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月"
                       r"\s*([一二三四五六七八九十]{1,3})\s*[日号號]")

# File names: 2020.1.20 / 2020-01-20 / 2020_01_20 / 20200120, or M.D with a --year.
_NAME_YMD = re.compile(r"(?<!\d)(\d{4})(?:[-_.]|年)(\d{1,2})(?:[-_.]|月)(\d{1,2})(?!\d)")  # 2020年1月20日 too
_NAME_COMPACT = re.compile(r"(?<!\d)(\d{4})(\d{2})(\d{2})(?!\d)")
_NAME_MD = re.compile(r"^(\d{1,2})(?:[-_.]|月)(\d{1,2})(?![\d])")  # 1.27, 1月27日


def _han_number(text: str) -> int:
    """一 → 1, 十 → 10, 十二 → 12, 二十 → 20, 三十一 → 31."""
    if "十" not in text:
        return _HAN_DIGITS[text]
    tens, _, ones = text.partition("十")
    return (_HAN_DIGITS[tens] if tens else 1) * 10 + (_HAN_DIGITS[ones] if ones else 0)


def _as_numbers(text: str) -> tuple[str, str | None]:
    """``text`` with what is written around a date's numbers taken off, and its 上午/下午
    (AM/PM) mark: ``("2020/2/1 03:15:00", "下午")`` for ``2020/2/1 下午 03:15:00``,
    ``"2020/02/01"`` for ``民國109年02月01日`` or ``109/02/01``, ``"2020年2月1日"`` for
    ``二〇二〇年二月一日`` and ``2020年2月1日（六）``."""
    han = _HAN_DATE.match(text)
    if han:
        digits = "".join(str(_HAN_DIGITS[c]) for c in han.group(1))
        month, day = _han_number(han.group(2)), _han_number(han.group(3))
        text = f"{digits}年{month}月{day}日{text[han.end():]}"
    minguo = _MINGUO.match(text)
    if minguo:
        text = f"{int(minguo.group(1) or minguo.group(2)) + _MINGUO_START}{text[minguo.end():]}"
    text = _WEEKDAY.sub(" ", text)
    marks = _MERIDIEM.findall(text)
    if len(marks) != 1:
        return text, None
    return _MERIDIEM.sub(" ", text).strip(), marks[0]


def _hour(hour: str | None, mark: str | None) -> int:
    """The hour on a 24-hour clock: 下午 3 → 15, 上午 12 → 0, 中午 1 → 13."""
    value = int(hour or 0)
    if mark is None or hour is None or value > 12:
        return value
    if mark.lower().startswith(_AFTERNOON):
        return value % 12 + 12
    if mark == "中午":
        return value + 12 if value < 6 else value
    return value % 12


def _timestamp(year: int, month: int, day: int, hour: int = 0, minute: int = 0,
               second: float = 0.0) -> pd.Timestamp | None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        whole = int(second)
        micro = round((second - whole) * 1_000_000)
        return pd.Timestamp(dt.datetime(year, month, day, hour, minute, whole, micro))
    except ValueError:
        return None


def _compact(text: str) -> pd.Timestamp | None:
    """``20200301``, ``2020030112``, ``202003011200`` or ``20200301120000`` as a date, or None."""
    match = _COMPACT.match(text)
    if match is None:
        return None
    y, m, d, hh, mm, ss = match.groups()
    return _timestamp(int(y), int(m), int(d), int(hh or 0), int(mm or 0), float(ss or 0))


def _from_epoch(number: float, timezone: str) -> pd.Timestamp | None:
    seconds = number / 1000 if number > 1e11 else number  # 13 digits: milliseconds
    if seconds > 1e10:
        return None
    stamp = pd.Timestamp(dt.datetime(1970, 1, 1) + dt.timedelta(seconds=seconds))
    return _in_range(stamp.tz_localize("UTC"), timezone) if 1990 <= stamp.year <= MAX_YEAR else None


def _from_serial(days: float) -> pd.Timestamp | None:
    """An Excel serial day number (days since 1899-12-30, the time as the fraction)."""
    if not _SERIAL_DAYS[0] <= days < _SERIAL_DAYS[1]:
        return None
    return pd.Timestamp(dt.datetime(1899, 12, 30) + dt.timedelta(days=days)).round("s")


def _in_range(stamp: Any, timezone: str) -> pd.Timestamp | None:
    """``stamp`` as a naive Timestamp on ``timezone``'s clock (a naive one as it is) if its
    year is within MIN_YEAR..MAX_YEAR, else None."""
    if stamp is None or pd.isna(stamp) or not MIN_YEAR <= stamp.year <= MAX_YEAR:
        return None
    stamp = pd.Timestamp(stamp)
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert(timezone).tz_localize(None)
    return stamp if MIN_YEAR <= stamp.year <= MAX_YEAR else None


def join_time(day: Any, time: Any) -> Any:
    """A day value and a time-of-day value (two columns of an export) as one date value:
    ``join_time("2020-02-01", "10:15") == "2020-02-01 10:15"``; the day alone when the time
    is empty, and nothing when the day is."""
    if day is None or (isinstance(day, str) and not day.strip()):
        return day
    clock = time.strftime("%H:%M:%S") if isinstance(time, dt.time) else str(time or "").strip()
    if not clock:
        return day
    text = day.strftime("%Y-%m-%d") if isinstance(day, (dt.date, pd.Timestamp)) else str(day).strip()
    return f"{text} {clock}"


def lacks_year(value: Any) -> bool:
    """Whether ``value`` is a month and day without a year (``02-01 12:30``, ``2月1日``)."""
    return (isinstance(value, str) and len(value) <= MAX_DATE_CHARS
            and _MONTH_DAY.match(_bare(value)) is not None)


def unreadable_dates_fix(values: list[Any], *, year: int | None) -> str:
    """What to do about date values that could not be read, for the load's note, or "":
    a month and day without a year read with ``--year``; a time relative to when a page was
    read (``3分钟前``, ``昨天 10:30``) cannot be dated from the file."""
    fixes = []
    if year is None and any(lacks_year(v) for v in values):
        fixes.append("a month and day without a year reads with --year YYYY")
    if any(isinstance(v, str) and _MONTH_ONLY.match(v) for v in values):
        fixes.append("a month without a day (2020年2月, 2020-02) names no day and stays undated; "
                     "choose a day for such rows in the file if a day is meant")
    if any(isinstance(v, str) and _RELATIVE.match(v) for v in values):
        fixes.append("times relative to when the page was saved (3分钟前, 昨天 10:30) cannot be dated "
                     "from the file: export the posts with their absolute time")
    return "".join(f"; {fix}" for fix in fixes)


def _named_month(name: str) -> int | None:
    """The month of an English name or abbreviation: ``Feb``, ``Sept``, ``February``."""
    low = name.lower()
    month = _MONTHS.get(low[:3])
    return month if month and _FULL_MONTHS[month - 1].startswith(low) else None


def _with_zone(text: str, timezone: str, year: int | None) -> pd.Timestamp | None:
    """A date written with a zone after it (``2020/02/01 10:00:00 GMT+8``) on ``timezone``'s clock."""
    zone = _ZONE.search(text)
    if zone is None:
        return None
    stamp = parse_date(text[:zone.start()], timezone, year=year)
    if stamp is None or stamp.tzinfo is not None:
        return None
    sign, hours, minutes = (zone.group(1, 2, 3) if zone.group(2) else zone.group(4, 5, 6) if zone.group(5)
                            else ("+", "0", "00"))  # a bare GMT, UTC or Z
    if int(hours) > 14 or int(minutes or 0) > 59:
        return None
    return _in_range(stamp.tz_localize(f"{sign}{int(hours):02d}:{minutes or '00'}"), timezone)


def _bare(text: str) -> str:
    """``text`` without a label before the date or a page's words after it:
    ``"2020-02-01 10:30"`` for ``发布时间：2020-02-01 10:30 来源：新华网``."""
    return _TAIL.sub("", _LABEL.sub("", text, count=1), count=1)


def parse_date(value: Any, timezone: str = DEFAULT_TIMEZONE, *, year: int | None = None
               ) -> pd.Timestamp | None:
    """Read one date value; ``None`` when it is empty or cannot be read.

    Accepts datetime/date objects, epoch seconds or milliseconds (numbers or digit strings),
    Excel serial day numbers (``43849``, ``43849.5``),
    ``2020-01-19``, ``2020/1/19 08:00``, ``2020.1.19``, ``2020年1月19日 8时30分``,
    ``20200119``, ISO 8601 with a time zone, Weibo's API form ``Sun Jan 19 12:30:00
    +0800 2020``, English month names (``Feb 1, 2020 3:15 PM``, ``1 Feb 2020``, JavaScript's
    ``Sat Feb 01 2020 10:00:00 GMT+0800 (中国标准时间)``) and a zone written after a date
    (``2020/02/01 10:00 GMT+8``). Epoch values and zoned times are put on ``timezone``'s clock. With
    ``year``, a month and day without one (``02-01 12:30``, ``2月1日``) is read in that year.
    """
    if value is None:
        return None
    if isinstance(value, (pd.Timestamp, dt.date)):  # datetime is a date too
        return _in_range(value, timezone)
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
            return None
        if _SERIAL_DAYS[0] <= value < _SERIAL_DAYS[1]:
            return _from_serial(float(value))
        if 1e7 <= value < 1e15 and float(value).is_integer():  # 20200119, 20200301120000 as numbers
            digits = str(int(value))
            compact = _compact(digits) if len(digits) in _COMPACT_DIGITS else None
            if compact is not None or value < 1e8:
                return compact
        return _from_epoch(float(value), timezone) if value >= 1e8 else None
    written = str(value).strip()
    if len(written) > MAX_DATE_CHARS:  # never a date; and the patterns below are not linear on
        return None  # a run of 20,000 spaces (seconds per cell)
    if not written.isascii():
        written = written.translate(_ASCII_FORMS).strip()
    if _PLAIN.fullmatch(written):  # most cells of an export: nothing written around the numbers
        text, mark = written, None
    else:
        written = _bare(written)
        if _BEIJING.search(written):
            stamp = parse_date(_BEIJING.sub("", written), timezone, year=year)
            return None if stamp is None else _in_range(stamp.tz_localize("+08:00"), timezone)
        written = _CST.sub("", written)
        if _ZONE.search(written):
            return _with_zone(written, timezone, year)
        text, mark = _as_numbers(written)
    if not text:
        return None
    match = _YMD.match(text)
    if match:
        y, m, d, hh, mm, ss = match.groups()
        return _timestamp(int(y), int(m), int(d), _hour(hh, mark), int(mm or 0), float(ss or 0))
    match = _MONTH_DAY.match(text)
    if match and year is not None:
        m, d, hh, mm, ss = match.groups()
        return _timestamp(year, int(m), int(d), _hour(hh, mark), int(mm or 0), float(ss or 0))
    compact = _compact(text)
    if compact is not None:  # else an epoch, perhaps (1579392000 is no 1579-39-39)
        return compact
    if _SERIAL.match(text):
        return _from_serial(float(text))
    match = _EPOCH.match(text)
    if match:
        return _from_epoch(float(match.group(1)), timezone)
    match = _API.match(text)
    if match and match.group(1).lower() in _MONTHS:
        mon, d, hh, mm, ss, zone, y = match.groups()
        stamp = _timestamp(int(y), _MONTHS[mon.lower()], int(d), int(hh), int(mm), float(ss or 0))
        if stamp is None or zone is None or zone.lower() == "cst":  # PTT's ctime has no zone;
            return stamp  # CST is China's or US Central: both kept as written
        return _in_range(stamp.tz_localize("UTC" if zone[0].isalpha() else zone), timezone)
    named = _NAMED_MDY.match(_EN_WEEKDAY.sub("", text, count=1))
    if named:
        mon, d, y, hh, mm, ss = named.groups()
    elif (named := _NAMED_DMY.match(_EN_WEEKDAY.sub("", text, count=1))):
        d, mon, y, hh, mm, ss = named.groups()
    if named and _named_month(mon):
        return _timestamp(int(y), _named_month(mon) or 0, int(d), _hour(hh, mark), int(mm or 0), float(ss or 0))
    if _ISO_TZ.match(text):
        try:
            return _in_range(pd.Timestamp(text), timezone)
        except (ValueError, OverflowError):  # 2020-02-30T10:00Z, 9999-12-31T00:00Z
            return None
    return None


def _strip_extensions(name: str) -> str:
    stem = name
    for suffix in (".gz", ".csv", ".tsv", ".txt", ".jsonl", ".json", ".xlsx", ".parquet",
                   ".html", ".htm"):
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
    return stem


def date_from_filename(name: str, *, year: int | None = None) -> pd.Timestamp | None:
    """The date a file name carries, or None when it carries none.

    ``2020.1.20.csv.gz``, ``2020-01-20.csv``, ``20200120.txt`` and ``微博_2020年1月20日.csv``
    carry the year; a name like ``1.27.csv.gz`` or ``1月27日.csv`` needs ``year`` and raises
    :class:`InputError` without it.
    """
    stem = _strip_extensions(name)
    for pattern in (_NAME_YMD, _NAME_COMPACT):
        match = pattern.search(stem)
        if match:
            stamp = _timestamp(*(int(g) for g in match.groups()))
            if stamp is not None:
                return stamp
    match = _NAME_MD.match(stem)
    if match:
        if year is None:
            raise InputError(
                f"{name}: the file name gives month and day but no year; pass --year YYYY"
            )
        return _timestamp(year, int(match.group(1)), int(match.group(2)))
    return None


def impossible_name_day(name: str, year: int | None) -> str | None:
    """Why a file name's month and day read with ``year`` is no day, or None:
    ``impossible_name_day("2.29.csv.gz", 2019)`` says 2019-02-29 is not a day (2019 is not a
    leap year)."""
    stem = _strip_extensions(name)
    match = None if any(p.search(stem) for p in (_NAME_YMD, _NAME_COMPACT)) else _NAME_MD.match(stem)
    if match is None or year is None or not MIN_YEAR <= year <= MAX_YEAR:
        return None
    month, day = int(match.group(1)), int(match.group(2))
    if _timestamp(year, month, day) is not None:
        return None
    leap = " (" + str(year) + " is not a leap year)" if (month, day) == (2, 29) else ""
    return f"{year}-{month:02d}-{day:02d} is not a day{leap}; check --year"


EPOCH_ZERO = (pd.Timestamp("1970-01-01 00:00"), pd.Timestamp("1970-01-01 08:00"))  # a zero epoch, UTC and UTC+8
FAR_SPREADS, FAR_MIN = 20, pd.Timedelta(days=365)


def far_dates(stamps: pd.Series, bulk: pd.Series | None = None) -> pd.Series:
    """Which of ``stamps`` lie far outside the bulk of the dates (``bulk``, default ``stamps``):
    an epoch-zero instant (1970-01-01 00:00 or 08:00, what a NULL epoch becomes), or further
    from the median than 20 times the inter-quartile span and than a year (a typed 2030, a
    1900-01-01 "unknown")."""
    dated = (stamps if bulk is None else bulk).dropna()
    if dated.empty:
        return pd.Series(False, index=stamps.index)
    low, middle, high = dated.quantile([0.25, 0.5, 0.75])
    reach = max(FAR_SPREADS * (high - low), FAR_MIN)
    return stamps.isin(EPOCH_ZERO) | ((stamps - middle).abs() > reach)
