"""Web pages: the article extractor (``html_document``, trafilatura) against the visible text
(``html_to_text``, what ``.html`` loading gave before 2026-12-05), in the same run.

For the news page of ``tests/data/load/news_page_zh.html`` (menu, breadcrumb, related links,
copyright footer around a two-paragraph report) and the same page grown to 10 and 50 article
paragraphs, prints per reader: milliseconds per page (median of ``--repeat``), characters
kept, and how many of the page's furniture strings are left in the text.

    python benchmarks/html_pages.py [--repeat 50]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from opinion.io.documents import html_document, html_to_text  # noqa: E402

PAGE = REPO / "tests" / "data" / "load" / "news_page_zh.html"
FURNITURE = ("首页", "体育", "娱乐", "财经", "国内新闻", "相关阅读", "武汉新增确诊病例持续下降",
             "多地下调应急响应级别", "Copyright", "版权所有", "返回顶部")
PARAGRAPH = "<p>钟南山说，在全国各地的共同努力下，疫情的发展趋势已经出现了拐点。他同时提醒公众，不能放松警惕。</p>"


def timed(func, html: str, repeat: int) -> tuple[float, str]:
    func(html)  # warm up
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        out = func(html)
        runs.append(time.perf_counter() - start)
    return statistics.median(runs) * 1000, out[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args(argv)
    base = PAGE.read_text(encoding="utf-8")
    print(f"{'page':<22} {'reader':<14} {'ms/page':>8} {'chars':>7} {'furniture left':>15}")
    for paragraphs in (2, 10, 50):
        html = base.replace("<p>【编辑", PARAGRAPH * (paragraphs - 2) + "<p>【编辑")
        for name, func in (("html_document", html_document), ("html_to_text", html_to_text)):
            ms, text = timed(func, html, args.repeat)
            left = sum(f in text for f in FURNITURE)
            print(f"{f'{paragraphs} paragraphs, {len(html):,} ch':<22} {name:<14} {ms:8.2f} {len(text):7,} "
                  f"{left:>9} of {len(FURNITURE)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
