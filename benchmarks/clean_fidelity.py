"""Cleaning before and after a change, on every real text of the shared corpora, in one run.

``--before DIR`` is a checkout of the earlier code (``git worktree add /tmp/before <commit>``);
its ``clean_document`` runs in a subprocess, the current one here, on the same texts (the
620k Weibo posts, every text column of the sentiment sets, the THUCNews titles). Prints how
many texts each version changes, how many the two clean differently, those grouped by what
they hold (a circled number, a link, an @, a Weibo video card, angle brackets, an ASCII face,
a kaomoji), and up to ``--show`` examples of each group: what was written, before, after.

Also the page-furniture rules, which posts of one line never reach: each run of ``PAGE``
texts of a corpus is cleaned as one page (how many lines each version removes as furniture),
and ``CONTENT_PAGES``, lines that are content (a statement, a list item, a heading, a how-to
path), each in a small page: how many each version keeps.

    git worktree add /tmp/before c170ff6      # or: git archive <commit> opinion | tar -x -C /tmp/before
    python benchmarks/clean_fidelity.py --before /tmp/before [--show 3] [--limit N]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "data"
GROUPS = {  # what a text holds, in the order a text is given its group
    "circled number or vertical form": re.compile("[\u2460-\u24ff\u3251-\u32bf\ufe30-\ufe4f\uffe3\u00af\u00b4]"),
    "link": re.compile(r"https?|www\.|t\.cn", re.IGNORECASE),
    "@": re.compile("@"),
    "Weibo video card": re.compile("视频|視頻|影片|連結"),
    "angle brackets": re.compile("<"),
    "ASCII face": re.compile(r"[:;]-?[()DPp]"),
}
PAGE = 5
# (page, a content line of it that must stay); findings h46/clean #2, 2026-12-08
CONTENT_PAGES = [
    ("工作室发布声明\n近日出现不实传言。\n声明：网传视频系恶意剪辑，不代表艺人本人立场，我方已委托律师取证，要求相关平台立即删除"
     "侵权内容并公开道歉。\n工作室将持续关注。", 2),
    ("报告列出三项数据：\n(a) 2019年销售额增长10%\n(b) 2020年销售额增长20%\n(c) 2021年销售额增长30%\n数据来自统计局。", 3),
    ("数字时代的著作权保护\n网络侵权案件频发。\n一、版权所有人如何维权\n权利人可以向法院起诉。", 2),
    ("移动支付安全调查\n记者走访了多家商户。\n扫码支付背后的安全隐患引关注\n收款码被人替换。", 2),
    ("移动支付安全调查\n记者走访了多家商户。\n下载APP前要关注隐私条款\n专家提醒谨慎授权。", 2),
    ("iPhone如何关闭定位\n用户担心隐私泄露。\n设置 > 隐私 > 定位服务\n在这里可以关闭定位。\n隐私\n以上就是全部步骤。", 2),
    ("iPhone如何关闭定位\n用户担心隐私泄露。\n设置 > 隐私 > 定位服务\n在这里可以关闭定位。\n隐私\n以上就是全部步骤。", 4),
    ("本次活动覆盖城市\n北京 / 上海 / 广州 / 深圳\n活动时间为三月。\n上海\n站的报名已经开始。", 1),
    ("本次活动覆盖城市\n北京 / 上海 / 广州 / 深圳\n活动时间为三月。\n上海\n站的报名已经开始。", 3),
    ("各平台反应\n微博\n热搜第一，阅读量破亿。\n微信\n朋友圈刷屏。", 1),
    ("尺码说明\n本款有三个尺码可选\n大\n中\n小\n请按身高选择", 3),
    ("专家解读新政策\n新政策将于下月实施。\n评论\n这项政策影响深远。", 2),
    ("访谈实录\n记者：你好\n编辑：你好\n记者：最近在忙什么\n编辑：审稿\n记者：谢谢", 4),
]


def shared_texts(limit: int | None):
    """(corpus, text) of the shared corpora, in a fixed order."""
    import pandas as pd

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from clean_pinyin import weibo_texts

    count = 0
    for text in weibo_texts(SHARED / "weibo" / "covid19_weibo_2020"):
        if limit is not None and count >= limit:
            break
        count += 1
        yield "weibo", text
    for path in sorted((SHARED / "sentiment").glob("*.csv")):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        for column in [c for c in frame.columns if c in ("text", "review", "content", "context", "title")]:
            yield from ((path.stem, t) for t in frame[column].head(limit).tolist())
    titles = SHARED / "news" / "thucnews_titles_dev.tsv"
    if titles.exists():
        lines = titles.read_text(encoding="utf-8").splitlines()[:limit]
        yield from (("thucnews", line.split("\t")[0]) for line in lines)


def emit(out: Path, limit: int | None) -> None:
    """Write the cleaned text of every shared text, one JSON string per line (the subprocess)."""
    from opinion.text.clean import clean_document, split_furniture

    pages: dict[str, list[str]] = defaultdict(list)
    with out.open("w", encoding="utf-8") as fh:
        for corpus, text in shared_texts(limit):
            fh.write(json.dumps(clean_document(text).text, ensure_ascii=False) + "\n")
            pages[corpus].append(text.replace("\n", " "))
        removed = {corpus: sum(len(split_furniture("\n".join(texts[i:i + PAGE]))[1])
                               for i in range(0, len(texts), PAGE)) for corpus, texts in pages.items()}
        kept = sum(page.split("\n")[line] in split_furniture(page)[0].split("\n") for page, line in CONTENT_PAGES)
        fh.write(json.dumps({"furniture_removed": removed, "content_kept": kept}) + "\n")


def group_of(text: str) -> str:
    return next((name for name, pattern in GROUPS.items() if pattern.search(text)), "other")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, required=True, help="a checkout of the earlier code")
    parser.add_argument("--show", type=int, default=3)
    parser.add_argument("--limit", type=int, default=None, help="texts per corpus (a quick look)")
    parser.add_argument("--emit", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.emit:
        emit(args.emit, args.limit)
        return
    with tempfile.TemporaryDirectory() as tmp:
        before_out = Path(tmp) / "before.jsonl"
        start = time.perf_counter()
        command = [sys.executable, __file__, "--before", str(args.before), "--emit", str(before_out)]
        if args.limit is not None:
            command += ["--limit", str(args.limit)]
        subprocess.run(command, check=True, env={**os.environ, "PYTHONPATH": str(args.before.resolve())})
        before_seconds = time.perf_counter() - start
        sys.path.insert(0, str(REPO))
        from opinion.text.clean import clean_document

        start = time.perf_counter()
        corpora = list(shared_texts(args.limit))
        after = [clean_document(text).text for _, text in corpora]
        after_seconds = time.perf_counter() - start
        with before_out.open(encoding="utf-8") as fh:
            before = [json.loads(line) for line in fh]
        furniture_before = before.pop()
        after_out = Path(tmp) / "after.jsonl"
        emit(after_out, args.limit)
        furniture_after = json.loads(after_out.read_text(encoding="utf-8").splitlines()[-1])
    assert len(before) == len(corpora), "the two versions read different texts"
    changed_before = sum(b != t for b, (_, t) in zip(before, corpora))
    changed_after = sum(a != t for a, (_, t) in zip(after, corpora))
    differ: dict[str, list[tuple[str, str, str, str]]] = defaultdict(list)
    for (corpus, text), old, new in zip(corpora, before, after):
        if old != new:
            differ[group_of(text)].append((corpus, text, old, new))
    print(f"{len(corpora):,} texts; changed by cleaning: before {changed_before:,}, after {changed_after:,}; "
          f"cleaned differently: {sum(map(len, differ.values())):,}")
    print(f"time (cleaning plus reading): before {before_seconds:.1f} s, after {after_seconds:.1f} s")
    print(f"content lines kept in small pages: before {furniture_before['content_kept']} of {len(CONTENT_PAGES)}, "
          f"after {furniture_after['content_kept']}")
    for corpus, count in furniture_before["furniture_removed"].items():
        print(f"  {corpus}: texts as lines of {PAGE}-line pages, removed as furniture: before {count:,}, "
              f"after {furniture_after['furniture_removed'].get(corpus, 0):,}")
    for name, rows in sorted(differ.items(), key=lambda item: -len(item[1])):
        by_corpus: dict[str, int] = defaultdict(int)
        for corpus, *_ in rows:
            by_corpus[corpus] += 1
        print(f"\n{name}: {len(rows):,} texts ({', '.join(f'{c} {n:,}' for c, n in sorted(by_corpus.items()))})")
        for *_, old, new in rows[:args.show]:
            cut = next((i for i, (a, b) in enumerate(zip(old, new)) if a != b), min(len(old), len(new)))
            window = slice(max(cut - 30, 0), cut + 50)
            print(f"  before: {old[window]!r}\n  after:  {new[window]!r}")


if __name__ == "__main__":
    main()
