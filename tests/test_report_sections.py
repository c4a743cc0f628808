"""The report's sections (opinion.report.sections): how a report names topics."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from factory import make_workspace

from opinion.report.html_writer import html_report
from opinion.report.markdown_writer import markdown_report
from opinion.report.sections import source_summary
from opinion.report.tables import build_tables
from opinion.topics.edit_store import record_edits
from opinion.topics.edits import TopicEdit


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pd.DataFrame]:
    """The sample workspace with topics 0 and 1 both renamed 防疫 (``opinion topics edit --rename``)."""
    ws = make_workspace(tmp_path_factory.mktemp("shared") / "ws")
    record_edits(ws, [TopicEdit("rename", (0,), "防疫"), TopicEdit("rename", (1,), "防疫")])
    return build_tables(ws)


def test_report_names_topics_that_share_a_label_label_hash_id_everywhere(shared: dict[str, pd.DataFrame]) -> None:
    """The overview's largest topic, the topic table's label column and the sources' largest
    topics showed a bare 防疫 (which one?), and the heatmap 防疫 (0): one rule, 防疫 #0."""
    markdown = markdown_report(shared, script="zh-Hans").splitlines()
    assert "| 最大主题 | 防疫 #0 |" in markdown
    assert any(line.startswith("| 0 | 防疫 #0 |") for line in markdown)
    assert any(line.startswith("| 1 | 防疫 #1 |") for line in markdown)
    sources = [line for line in markdown if line.startswith(("| weibo |", "| news-cn |"))]
    assert len(sources) == 2 and "防疫 #0（" in sources[0] and "防疫 #1（" in sources[1]
    assert not [line for line in markdown if "| 防疫 |" in line or "防疫（" in line]
    page = html_report(shared, script="zh-Hans")
    assert "防疫 #0" in page and "防疫 #1" in page and "防疫 (0)" not in page and "防疫 (1)" not in page


def test_report_source_summary_names_topics_from_the_sources_alone() -> None:
    sources = pd.DataFrame({"source": ["weibo", "weibo"], "topic_id": [0, 4], "topic_label": ["疫情", "疫情"],
                            "count": [3, 2], "share_of_source": [0.6, 0.4], "mean_sentiment": [0.5, 0.5]})
    summary = source_summary(sources)
    assert summary["largest_topics"].tolist() == ["疫情 #0（60%）、疫情 #4（40%）"]


def test_report_without_shared_labels_names_topics_by_label(tmp_path: Path) -> None:
    markdown = markdown_report(build_tables(make_workspace(tmp_path / "ws")), script="zh-Hans")
    assert "| 最大主题 | 0_口罩_戴口罩_防护 |" in markdown.splitlines() and " #0" not in markdown


def test_report_overview_counts_topics_not_the_outlier_row(tmp_path: Path) -> None:
    """After ``--drop 1`` the topic table holds topics 0 and 2 and the outliers' row (-1,
    未归入主题): the overview said 主题数 3."""
    ws = make_workspace(tmp_path / "ws")
    record_edits(ws, [TopicEdit("drop", (1,))])
    tables = build_tables(ws)
    assert sorted(tables["topics"]["topic_id"]) == [-1, 0, 2]
    markdown = markdown_report(tables, script="zh-Hans").splitlines()
    assert "| 主题数 | 2 |" in markdown
