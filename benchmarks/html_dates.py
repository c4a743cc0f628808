"""The date of a Chinese news page: ``html_document`` against trafilatura's own date (htmldate
searching the whole page, what ``.html`` loading used until 2026-12-07), in the same run.

Pages are built from seeded random publication days (2015-2025) in the bylines Chinese news
sites write under the headline (人民网's ``2020年02月01日08:21  来源：人民网``, 新华网's
``2020-02-01 10:30:15 来源：新华网``, ``发布时间：2020年2月1日``, 2020年2月1日 10:30 中国新闻网),
each with and without a portal's "today" line above the headline (``2020年2月7日 星期五``,
a day or more after publication). A page counts as dated right when the day is the
publication day. Prints, per form, the share each reader gets right and the difference.

    python benchmarks/html_dates.py [--n 100] [--seed 0]
"""

from __future__ import annotations

import datetime as dt
import sys
import warnings
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.dates_written_forms import seeded_run  # noqa: E402
from opinion.io.documents import html_document  # noqa: E402

_WEEK = "一二三四五六日"
BYLINES: dict[str, Callable[[dt.datetime], str]] = {
    "人民网 2020年02月01日08:21  来源：人民网": lambda t: f"{t:%Y年%m月%d日%H:%M}  来源：人民网",
    "新华网 2020-02-01 10:30:15 来源：新华网": lambda t: f"{t:%Y-%m-%d %H:%M:%S} 来源：新华网",
    "发布时间：2020年2月1日": lambda t: f"发布时间：{t.year}年{t.month}月{t.day}日",
    "2020年2月1日 10:30 中国新闻网": lambda t: f"{t.year}年{t.month}月{t.day}日 {t:%H:%M} 中国新闻网",
}
BODY = ("<p>记者从有关部门获悉，当地近日召开专题会议，部署下一阶段的重点工作，要求各单位压实责任、"
        "加强协调，确保各项措施落到实处。</p><p>会议指出，要坚持问题导向，及时回应群众关切。</p>")


def page(published: dt.datetime, byline: str, today: dt.datetime | None) -> str:
    top = f"<div class=\"top\">{today.year}年{today.month}月{today.day}日 星期{_WEEK[today.weekday()]}</div>" if today else ""
    return (f"<html><head><meta charset=\"utf-8\"><title>召开专题会议部署工作_新闻_某某网</title></head><body>"
            f"{top}<div class=\"nav\">首页 新闻 评论 图片</div><h1>召开专题会议部署工作</h1>"
            f"<p>{byline}</p>{BODY}<div class=\"footer\">版权所有 © 某某网</div></body></html>")


def trafilatura_date(html: str) -> str | None:
    import trafilatura

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        found = trafilatura.bare_extraction(html, with_metadata=True, as_dict=True,
                                            date_extraction_params={"extensive_search": True,
                                                                    "original_date": True})
    return found.get("date") if isinstance(found, dict) else None


def main() -> None:
    args, rng, days = seeded_run(__doc__, 100)
    print(f"{args.n} pages per form (seed {args.seed}); share dated with the publication day")
    print(f"{'byline':42} {'today line':>10} {'ours':>7} {'trafilatura':>11} {'diff':>7}")
    for name, write in BYLINES.items():
        for with_today in (False, True):
            ours = theirs = 0
            for published in days:
                today = published + dt.timedelta(days=rng.randrange(1, 30)) if with_today else None
                html = page(published, write(published), today)
                want = f"{published:%Y-%m-%d}"
                ours += (html_document(html)[2] or "")[:10] == want
                theirs += (trafilatura_date(html) or "")[:10] == want
            print(f"{name:42} {'yes' if with_today else 'no':>10} {ours / args.n:7.1%} "
                  f"{theirs / args.n:11.1%} {(ours - theirs) / args.n:+7.1%}")


if __name__ == "__main__":
    main()
