"""Keywords and word clouds in the exported report."""

from __future__ import annotations

import base64
import re

import pandas as pd

from opinion.report import export_workspace


def test_export_writes_keywords_and_inlines_clouds(tmp_path):
    from factory import make_hostile_workspace

    ws = make_hostile_workspace(tmp_path / "ws")
    export_workspace(ws, tmp_path / "out", formats="csv,md,html", script="zh-HK", period="month")
    table = pd.read_csv(tmp_path / "out" / "keywords_by_period.csv", encoding="utf-8-sig")
    assert list(table.columns)[:4] == ["period", "rank", "word", "count"]
    assert set(table["period"]) <= {"2020-01-01", "2020-02-01", "2020-03-01", "2020-04-01"} and len(table)
    page = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert 'id="keywords"' in page and "關鍵詞與詞雲" in page  # the section, in the reader's script
    images = re.findall(r'<img alt="([^"]*)" src="data:image/png;base64,([^"]+)"', page)
    captions = [caption for caption, _ in images]
    assert captions[0] == "全部文檔"
    assert any(c.startswith("主題 ") for c in captions) and "議題 信任" in captions  # topics and themes too
    assert base64.b64decode(images[0][1])[:4] == b"\x89PNG"
    markdown = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert "關鍵詞與詞雲" in markdown
    keywords = markdown.split("## 關鍵詞與詞雲")[1].split("\n## ")[0]
    assert "| 名次 | 2020-01-01 |" in keywords and "rank" not in keywords  # the heading in Chinese, like every table
    assert "名次" in page.split('id="keywords"')[1]


def test_keywords_without_dates_use_topics_when_there_is_one_source(tmp_path):
    from factory import make_workspace

    from opinion.words.report import keywords_without_dates

    ws = make_workspace(tmp_path / "ws")
    corpus = ws.read_part("corpus", "sample-00000")
    ws.write_part("corpus", "sample-00000", corpus.assign(published_at=pd.NaT, source="one"))
    by, table = keywords_without_dates(ws, script="zh-Hans")
    assert by == "topic" and list(table.columns)[:3] == ["group", "rank", "word"]
    ws.remove_table("prepared")
    assert keywords_without_dates(ws, script="zh-Hans")[0] == ""  # no tokens, no keywords


def test_report_clouds_do_not_depend_on_the_row_order_of_kept_counts(tmp_path, monkeypatch):
    """Item 1 of the words findings (2026-12-07): ``nlargest`` kept the first of tied words in
    row order, so the report's clouds changed whenever the counts were made again."""
    from factory import make_workspace
    from test_words_cloud import reverse_kept_counts

    from opinion.words import cloud
    from opinion.words.report import cloud_images

    drawn: list = []
    monkeypatch.setattr(cloud, "word_cloud", lambda frequencies, **_: drawn.append(list(frequencies.items())) or "")
    monkeypatch.setattr(cloud, "png_bytes", lambda image: b"png")
    ws = make_workspace(tmp_path / "ws")
    first = cloud_images(ws, period="month", script="zh-Hans")
    fresh, drawn[:] = list(drawn), []
    reverse_kept_counts(ws.root)
    assert cloud_images(ws, period="month", script="zh-Hans") == first
    assert drawn == fresh and len(fresh) > 5
    for items in fresh:
        assert items == sorted(items, key=lambda item: (-item[1], item[0]))
