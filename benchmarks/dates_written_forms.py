"""Date values as Chinese, Taiwanese and Hong Kong exports write them, read by the loader's
``parse_date`` and by the obvious alternative, ``pandas.to_datetime(format="mixed")``, in the
same run.

Each form writes the same seeded random times (2015-2025, any minute); a value counts as read
when it gives back the time it was written from (to the minute, or the day for day-only forms).
Prints, per form, the share each reader gets right and the difference.

    python benchmarks/dates_written_forms.py [--n 500] [--seed 0]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import warnings
from collections.abc import Callable

import pandas as pd

from opinion.io.dates import parse_date

_HAN = "〇一二三四五六七八九"
_WEEK = "一二三四五六日"


def _han_small(n: int) -> str:
    tens, ones = divmod(n, 10)
    return ("" if tens == 0 else ("十" if tens == 1 else _HAN[tens] + "十")) + (_HAN[ones] if ones or not tens else "")


def _twelve(t: dt.datetime) -> tuple[str, int]:
    return ("上午" if t.hour < 12 else "下午"), (t.hour % 12 or 12)


FORMS: dict[str, tuple[Callable[[dt.datetime], str], bool]] = {  # name: (writer, has a time)
    "ISO 2020-02-01 15:15": (lambda t: t.strftime("%Y-%m-%d %H:%M"), True),
    "2020年2月1日 15:15": (lambda t: f"{t.year}年{t.month}月{t.day}日 {t:%H:%M}", True),
    "zh-TW Windows 2020/2/1 下午 03:15:00": (
        lambda t: f"{t.year}/{t.month}/{t.day} {_twelve(t)[0]} {_twelve(t)[1]:02d}:{t:%M}:00", True),
    "2020年2月1日下午3時15分": (
        lambda t: f"{t.year}年{t.month}月{t.day}日{_twelve(t)[0]}{_twelve(t)[1]}時{t.minute}分", True),
    "2020-02-01 3:15 PM": (
        lambda t: f"{t:%Y-%m-%d} {_twelve(t)[1]}:{t:%M} {'AM' if t.hour < 12 else 'PM'}", True),
    "weekday 2020年2月1日（週六） 15：15": (
        lambda t: f"{t.year}年{t.month}月{t.day}日（週{_WEEK[t.weekday()]}） {t.hour}：{t:%M}", True),
    "Minguo 109/02/01": (lambda t: f"{t.year - 1911}/{t:%m/%d}", False),
    "Minguo 民國109年2月1日": (lambda t: f"民國{t.year - 1911}年{t.month}月{t.day}日", False),
    "二〇二〇年二月一日": (
        lambda t: "".join(_HAN[int(c)] for c in str(t.year)) + f"年{_han_small(t.month)}月{_han_small(t.day)}日",
        False),
    "PTT Sat Feb  1 15:15:00 2020": (lambda t: t.strftime("%a %b %e %H:%M:%S %Y"), True),
    "English Feb 1, 2020 3:15 PM": (
        lambda t: f"{t:%b} {t.day}, {t.year} {_twelve(t)[1]}:{t:%M} {'AM' if t.hour < 12 else 'PM'}", True),
    "English 1 Feb 2020 15:15": (lambda t: f"{t.day} {t:%b %Y %H:%M}", True),
    "JavaScript Sat Feb 01 2020 15:15:00 GMT+0800": (
        lambda t: f"{t:%a %b %d %Y %H:%M:%S} GMT+0800 (中国标准时间)", True),
    "zone after 2020/02/01 15:15:00 GMT+8": (lambda t: f"{t:%Y/%m/%d %H:%M:%S} GMT+8", True),
    "RSS Sat, 01 Feb 2020 15:15:00 +0800": (lambda t: f"{t:%a, %d %b %Y %H:%M:%S} +0800", True),
    "RSS in GMT Sat, 01 Feb 2020 07:15:00 GMT": (
        lambda t: f"{t - dt.timedelta(hours=8):%a, %d %b %Y %H:%M:%S} GMT", True),
    "label 发布时间：2020-02-01 15:15": (lambda t: f"发布时间：{t:%Y-%m-%d %H:%M}", True),
    "page tail 2020-02-01 15:15 来源：新华网": (lambda t: f"{t:%Y-%m-%d %H:%M} 来源：新华网", True),
    "Weibo 2020年2月1日 15:15 来自iPhone客户端": (
        lambda t: f"{t.year}年{t.month}月{t.day}日 {t:%H:%M} 来自iPhone客户端", True),
    "PostgreSQL 2020-02-01 15:15:00+08": (lambda t: f"{t:%Y-%m-%d %H:%M:%S}+08", True),
    "北京时间2020年2月1日15时15分": (lambda t: f"北京时间{t.year}年{t.month}月{t.day}日{t.hour}时{t.minute}分", True),
}


def _pandas(value: str) -> pd.Timestamp | None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            stamp = pd.to_datetime(value, format="mixed")
        except (ValueError, OverflowError, TypeError):
            return None
    if pd.isna(stamp):
        return None
    return stamp.tz_convert("Asia/Shanghai").tz_localize(None) if stamp.tzinfo else stamp


def seeded_run(doc: str | None, n: int) -> tuple[argparse.Namespace, random.Random, list[dt.datetime]]:
    """The command line (``--n``, ``--seed``), the seeded generator and ``n`` seeded times in
    2015-2025 (any minute), shared by the date benchmarks."""
    parser = argparse.ArgumentParser(description=(doc or "").splitlines()[0])
    parser.add_argument("--n", type=int, default=n)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    start = dt.datetime(2015, 1, 1)
    return args, rng, [start + dt.timedelta(minutes=rng.randrange(11 * 365 * 24 * 60)) for _ in range(args.n)]


def main() -> None:
    args, _, times = seeded_run(__doc__, 500)
    print(f"{args.n} times per form (seed {args.seed}); share read back exactly")
    print(f"{'form':42} {'parse_date':>10} {'pandas':>8} {'diff':>7}")
    for name, (write, timed) in FORMS.items():
        shares = []
        for reader in (parse_date, _pandas):
            right = 0
            for t in times:
                want = pd.Timestamp(t if timed else t.date())
                right += reader(write(t)) == want
            shares.append(right / len(times))
        print(f"{name:42} {shares[0]:10.1%} {shares[1]:8.1%} {shares[0] - shares[1]:+7.1%}")


if __name__ == "__main__":
    main()
