"""tools/distill_static_zh.py: the rows added by the 2026-12-06 build (``collect_extra``)."""

from __future__ import annotations

import csv
import gzip
import io
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))

import distill_static_zh as distill  # noqa: E402


def _weibo_day(path: Path, posts: list[str]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["id", "text"])
    writer.writerows([i, post] for i, post in enumerate(posts))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(buffer.getvalue().encode("gb18030")))


def test_collect_extra_tags_parts_and_never_repeats_a_row(tmp_path: Path) -> None:
    news = tmp_path / distill.EXTRA_NEWS
    news.parent.mkdir(parents=True)
    news.write_text("text,label\n大妈拉着手刹开车冒烟都不知。上午江苏徐州一辆红色轿车,negative\n"
                    "已经学过的文本,neutral\n短,neutral\n", encoding="utf-8")
    day = tmp_path / distill.WEIBO_DIR / "2020-02-01.csv.gz"
    _weibo_day(day, ["【武汉恢复过江桥隧交通管控措施】今天起恢复 http://t.cn/A6P9xJqX",
                     "#抗击肺炎# 【武汉恢复过江桥隧交通管控措施】另一个账号转发",
                     "今天也要好好戴口罩啊 #武汉加油#", "已经学过的文本"])
    rows = distill.collect_extra(tmp_path, {"已经学过的文本"})
    texts = [r["text"] for r in rows]
    assert len(texts) == len(set(texts))  # the same headline from two accounts is taught once
    assert "已经学过的文本" not in texts and "短" not in texts
    by_part = {r["text"]: r["part"] for r in rows}
    assert by_part["大妈拉着手刹开车冒烟都不知。上午江苏徐州一辆红色轿车"] == "news"
    assert by_part["武汉恢复过江桥隧交通管控措施"] == "news"  # the headline, without its post
    assert by_part["今天也要好好戴口罩啊 武汉加油"] == "posts"  # cleaned: no "#"
    assert all(r["part"] in distill.EXTRA_PARTS for r in rows)
