"""The Topics drill-down, the period view and the language switch, through AppTest."""

from __future__ import annotations

from pathlib import Path

import pytest
from factory import make_workspace, open_explorer
from streamlit.testing.v1 import AppTest

from opinion.i18n import text

APP = Path(__file__).resolve().parents[1] / "app.py"


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("drill_app") / "ws"
    make_workspace(root)
    return root


def topics_page(monkeypatch: pytest.MonkeyPatch, root: Path, **params: str) -> AppTest:
    return open_explorer(monkeypatch, root, "Topics", **params)


def post_meta(at: AppTest) -> list[str]:
    """The meta lines (id · date · source · topic · sentiment) of the posts listed, in order."""
    lines = [str(c.value).replace("\\", "") for c in at.caption if str(c.value).startswith("sample\\-")]
    representative = next(e for e in at.expander if e.label.startswith(text("topics.representative")))
    return lines[len(representative.caption):]  # after the representative posts


def test_a_topic_lists_every_post_sorted_and_filtered(monkeypatch, workspace):
    at = topics_page(monkeypatch, workspace)
    at.selectbox(key="topics_choice").set_value(0).run()  # 口罩, 29 posts
    assert at.selectbox(key="topics_posts_sort").value == "typical"  # the default order
    at.selectbox(key="topics_posts_page_size").set_value(50).run()
    size = int(at.dataframe[0].value.set_index("topic_id").loc[0, "size"])
    assert f"**{size}** 篇文档" in " ".join(m.value for m in at.markdown)  # every post, not three
    at.selectbox(key="topics_posts_sort").set_value("negative").run()
    scores = [float(line.rsplit(" ", 1)[-1]) for line in post_meta(at)]
    assert len(scores) == size and scores == sorted(scores)
    at.selectbox(key="topics_posts_sort").set_value("positive").run()
    scores = [float(line.rsplit(" ", 1)[-1]) for line in post_meta(at)]
    assert scores == sorted(scores, reverse=True)
    at.multiselect(key="topics_posts_labels").set_value(["negative"]).run()
    assert post_meta(at) and all("负面" in line for line in post_meta(at))  # negative, in the interface
    at.multiselect(key="topics_posts_emotions").set_value(["anger"]).run()
    angry = post_meta(at)
    assert 0 < len(angry) < size
    first_period = at.selectbox(key="topics_posts_period").options[1]
    at.multiselect(key="topics_posts_labels").set_value([]).run()
    at.multiselect(key="topics_posts_emotions").set_value([]).run()
    at.selectbox(key="topics_posts_period").select_index(1).run()
    assert all(first_period in line for line in post_meta(at))  # one day's posts only
    titles = [f["layout"]["title"]["text"] for f in figures(at)]
    assert "文档数与平均情感" in titles  # the topic's volume and sentiment over time


def figures(at: AppTest) -> list[dict]:
    import json

    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def test_a_period_shows_what_rose_and_fell(monkeypatch, workspace):
    at = topics_page(monkeypatch, workspace)
    at.radio(key="topics_view").set_value("period").run()
    assert not at.exception, at.exception
    movers = at.dataframe[1].value
    assert movers["change"].is_monotonic_decreasing
    assert {"share", "share_before", "documents", "documents_before"} <= set(movers.columns)


def test_language_switch_and_script(monkeypatch, workspace):
    at = topics_page(monkeypatch, workspace)
    assert at.header[0].value == "主题" and at.sidebar.title[0].value == "舆情分析浏览器"
    at.radio(key="script").set_value("zh-Hant-TW").run()
    assert at.header[0].value == "主題"  # Chinese follows the 简/繁 switch
    at.radio(key="lang").set_value("en").run()
    assert at.header[0].value == "Topics" and at.sidebar.title[0].value == "opinion explorer"
    assert at.query_params["lang"] == "en" and at.query_params["section"] == "Topics"
    english = topics_page(monkeypatch, workspace, lang="en")  # a shared link opens in English
    assert english.header[0].value == "Topics"


def browser_holds(radio, shown: str) -> None:
    """Make AppTest send ``radio``'s choice as ``shown``, as a browser does that still holds the
    text of the run that last set the choice (主题 after the page was re-drawn in 繁體 as 主題)."""
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    def held(self) -> WidgetState:
        state = WidgetState(id=self.id)
        state.string_value = shown
        return state

    radio.__class__ = type("HeldRadio", (type(radio),), {"_widget_state": property(held)})


def test_script_then_language_switch_keeps_the_section(monkeypatch, workspace):
    """In a browser, 繁體 then English sent the section back to Overview: the browser sent the
    section as the first run's text (主题), which no option showed any more."""
    at = topics_page(monkeypatch, workspace)
    at.radio(key="script").set_value("zh-Hant-TW").run()
    assert at.header[0].value == "主題"
    browser_holds(at.radio(key="section"), "主题")
    at.radio(key="lang").set_value("en").run()
    assert not at.exception, at.exception
    assert at.header[0].value == "Topics" and at.radio(key="section").value == "Topics"
    assert at.query_params["section"] == "Topics" and at.query_params["lang"] == "en"
