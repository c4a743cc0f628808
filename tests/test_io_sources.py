"""Inputs found under a folder (opinion/io/sources.py)."""

from __future__ import annotations

from pathlib import Path

from opinion.api import load
from opinion.io.sources import discover_inputs

POSTS = "正文,发布时间\n武汉加油，一起努力,2020-01-20\n口罩买不到怎么办,2020-01-21\n"


def test_a_workspace_or_export_inside_the_input_folder_is_not_read_back(tmp_path: Path) -> None:
    """`opinion run 数据 -w 数据/分析 --out 数据/报告` read its own report back as a document on
    the next run, and stopped on the workspace's embedding tables."""
    data = tmp_path / "数据"
    data.mkdir()
    (data / "posts.csv").write_text(POSTS, encoding="utf-8")
    load([str(data / "posts.csv")], data / "分析")  # a real workspace inside the folder
    report = data / "报告"
    report.mkdir()
    (report / "run.csv").write_text("\ufeffsection,key,value\nexport,script,zh-Hans\n", encoding="utf-8")
    (report / "report.html").write_text("<html><body><h1>舆情分析报告</h1><p>" + "正文" * 200 + "</p></body></html>",
                                        encoding="utf-8")
    (report / "topics.csv").write_text("topic_id,label\n0,武汉\n", encoding="utf-8")
    other = data / "其他"  # a folder of the user's own with a manifest.json of another program
    other.mkdir()
    (other / "manifest.json").write_text('{"name": "app", "version": 1}', encoding="utf-8")
    (other / "more.csv").write_text(POSTS, encoding="utf-8")
    found = sorted(Path(s.path).relative_to(data).as_posix() for s in discover_inputs([str(data)]))
    assert found == ["posts.csv", "其他/manifest.json", "其他/more.csv"]
    assert [Path(s.path).name for s in discover_inputs([str(report / "topics.csv")])] == ["topics.csv"]  # named: read
