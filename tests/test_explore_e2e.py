"""End to end in a real headless Chromium: `opinion explore` on 127.0.0.1, the 简/繁 switch,
a search, and a screenshot of every section; then hostile names and posts, in the explorer
and in ``report.html``, drawn as text with no request to a URL taken from the data.

Needs Debian's ``chromium`` and ``chromium-driver`` packages and ``selenium`` (in the
``test`` extra); skipped, with the reason, when one is missing. Screenshots go to the folder in
``OPINION_SCREENSHOTS`` or to the test's temp folder (the docs' screenshots of the real demo
workspace come from ``tools/screenshot_explorer.py``). The browser helpers live in
``tools/explorer_browser.py``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from factory import make_markup_workspace, make_workspace, markup_names

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
from explorer_browser import (  # noqa: E402
    CHROMIUM,
    DRIVER,
    chromium,
    click_option,
    find,
    markup_in_page,
    recording_server,
    serve_explorer,
    settle,
    type_into,
    wait_for_text,
    with_query,
)

pytestmark = pytest.mark.skipif(
    not (CHROMIUM and DRIVER),
    reason="needs Debian's chromium and chromium-driver: apt-get install -y chromium chromium-driver",
)


@pytest.fixture
def explorer(tmp_path):
    """`opinion explore` serving a small real-text workspace; yields its URL."""
    make_workspace(tmp_path / "ws")
    with serve_explorer(tmp_path / "ws") as url:
        yield url


@pytest.fixture
def browser():
    pytest.importorskip("selenium.webdriver", reason="needs selenium: pip install 'opinion[test]'")
    with chromium() as driver:
        yield driver


def test_explorer_in_chromium(browser, explorer, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    shots = Path(os.environ.get("OPINION_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    browser.get(explorer)  # serve_explorer asks for the English option: the labels below are its words
    wait_for_text(browser, "Documents")
    wait_for_text(browser, "55")
    settle(browser)
    browser.save_screenshot(str(shots / "explorer-overview.png"))

    click_option(browser, "script", "繁體（台灣）")
    click_option(browser, "section", "Topics")
    wait_for_text(browser, "0_口罩_戴口罩_防護")  # the chosen topic, re-rendered in Traditional
    wait_for_text(browser, "Representative posts")
    settle(browser)
    browser.save_screenshot(str(shots / "explorer-topics.png"))

    click_option(browser, "section", "Themes")
    wait_for_text(browser, "Keyword in context")
    kwic = find(browser, ".st-key-themes_kwic_term input")
    kwic.send_keys("直播", Keys.ENTER)
    wait_for_text(browser, "lines (duplicates and spam excluded)")
    assert "\n0 lines" not in browser.find_element(By.TAG_NAME, "body").text
    settle(browser)
    browser.save_screenshot(str(shots / "explorer-themes.png"))

    click_option(browser, "section", "Documents")
    search = find(browser, ".st-key-documents_query input")
    search.send_keys("國貨", Keys.ENTER)
    wait_for_text(browser, "2 documents match")
    body = browser.find_element(By.TAG_NAME, "body").text
    assert "國貨與非遺的結合受到歡迎" in body  # a Simplified hit, shown in Traditional
    settle(browser)
    browser.save_screenshot(str(shots / "explorer-documents.png"))

    click_option(browser, "section", "Compare")
    wait_for_text(browser, "Topic shares")
    settle(browser)
    browser.save_screenshot(str(shots / "explorer-compare.png"))
    for name in ("overview", "topics", "themes", "documents", "compare"):
        assert (shots / f"explorer-{name}.png").stat().st_size > 10_000


def _assert_inert(page: dict, where: str) -> None:
    assert page["loads"] == [] and page["links"] == [] and page["requests"] == [], (where, page)
    assert not any("粗体" in t or "议题" in t for t in page["chart_bold"]), (where, page["chart_bold"])


def test_hostile_markup_is_text_in_explorer_and_report(browser, tmp_path):
    """Issue 13: a source named ``![img](URL)`` fetched URL from Compare's tooltip; Plotly drew
    ``<a href>`` and ``<b>`` from source names and hashtags; Markdown autolinked posts' URLs."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    from opinion.report import export_workspace

    with recording_server() as (url, hits):
        names = markup_names(url)
        ws = make_markup_workspace(tmp_path / "ws", url)
        with serve_explorer(ws.root) as explorer:
            browser.get(explorer)
            wait_for_text(browser, "Documents")
            settle(browser)
            _assert_inert(markup_in_page(browser, url), "overview")

            click_option(browser, "section", "Topics")
            wait_for_text(browser, "Representative posts")
            settle(browser)
            assert "1_#<b>粗体</b…" in markup_in_page(browser, url)["chart_text"]  # the map's label, as typed
            find(browser, ".st-key-topics_choice input").send_keys("粗体", Keys.ENTER)  # topic 1
            wait_for_text(browser, "国货")
            settle(browser)
            page = markup_in_page(browser, url)
            _assert_inert(page, "topics")
            assert "#<b>粗体</b><img src=" in page["chart_text"]  # its hashtag term, as typed

            click_option(browser, "section", "Themes")
            wait_for_text(browser, "Keyword in context")
            settle(browser)
            page = markup_in_page(browser, url)
            _assert_inert(page, "themes")
            assert "<b>议题</b>" in page["chart_text"]

            click_option(browser, "section", "Documents")
            find(browser, ".st-key-documents_query input").send_keys("武汉加油", Keys.ENTER)
            wait_for_text(browser, "documents match")
            settle(browser)
            _assert_inert(markup_in_page(browser, url), "documents")
            body = browser.find_element(By.TAG_NAME, "body").text
            assert f"{url}/post-link".replace("://", "\u2060://") in body  # a URL shown, not linked

            click_option(browser, "section", "Compare")
            wait_for_text(browser, "Topic shares")
            click_option(browser, "compare_mode", "Two sources")
            wait_for_text(browser, "Mean sentiment A")
            settle(browser)
            targets = browser.find_elements(By.CSS_SELECTOR, "[data-testid=stMetric] [data-testid=stTooltipHoverTarget]")
            assert len(targets) == 2
            for target, shown in zip(targets, ("A: ![img](http\u2060://", "B: <a href=\"http\u2060://")):
                ActionChains(browser).move_to_element(target).perform()  # the tooltip: the side's source name
                wait_for_text(browser, shown)  # as typed (the legend has it too, without the WORD JOINER)
            settle(browser)
            page = markup_in_page(browser, url)
            _assert_inert(page, "compare")
            assert f"A: {names['md_source']}" in page["chart_text"]  # the legend, as typed
            assert f"B: {names['html_source']}" in page["chart_text"]

        report = export_workspace(ws, tmp_path / "report", formats="html")[0]
        browser.get(report.as_uri())
        wait_for_text(browser, "舆情分析报告")
        browser.execute_script("""
            document.querySelectorAll('.js-plotly-plot').forEach(gd =>
              gd.data.forEach((trace, i) => Plotly.Fx.hover(gd, [{curveNumber: i, pointNumber:
                trace.type === 'heatmap' ? [0, 0] : 0}])));""")  # draw hover labels too
        page = markup_in_page(browser, url)
        _assert_inert(page, "report.html")
        assert "#<b>粗体</b><img src=" in page["chart_text"] and "<b>议题</b>" in page["chart_text"]
        assert "<b>粗体</b>" in browser.find_element(By.TAG_NAME, "body").text  # tables, as typed
        time_for_late_requests = 1.0
        browser.execute_script("return new Promise(r => setTimeout(r, arguments[0]))", time_for_late_requests * 1000)
    assert hits == []


def test_filters_survive_a_script_switch_and_the_next_click(browser, tmp_path):
    """Findings h44 §1: after a 简/繁 switch the browser showed no sentiment filter, and the next
    click (a search) dropped it: the count became the unfiltered one, with nothing saying so."""
    import time

    from selenium.webdriver.common.keys import Keys

    from opinion.explore.data import ExploreStore, Filters

    make_workspace(tmp_path / "ws")
    store = ExploreStore.open(tmp_path / "ws", texts_in_memory=False)
    flags = dict(include_duplicates=False, include_spam=False)
    filtered = store.search(Filters(query="口罩", labels=("negative",), **flags)).total
    assert filtered < store.search(Filters(query="口罩", **flags)).total  # the filter changes the count

    def count() -> str:
        return browser.execute_script(
            "return [...document.querySelectorAll('[data-testid=stMarkdownContainer]')]"
            ".map(e => e.innerText).filter(t => /匹配/.test(t)).join(' ')")

    with serve_explorer(tmp_path / "ws", lang="zh") as url:
        browser.get(with_query(url, section="Documents"))
        settle(browser)
        box = find(browser, ".st-key-documents_labels input")
        box.click()
        box.send_keys("负面")
        time.sleep(0.7)  # the option list filters as it is typed
        box.send_keys(Keys.ENTER, Keys.ESCAPE)
        settle(browser)
        click_option(browser, "script", "繁體（台灣）")
        settle(browser)
        assert "負面" in find(browser, ".st-key-documents_labels").text  # shown, in the new script
        type_into(browser, ".st-key-documents_query input", "口罩")
        settle(browser)
        assert "負面" in find(browser, ".st-key-documents_labels").text
        assert count().startswith(f"{filtered} 篇文件匹配"), count()


def test_report_charts_side_by_side_fit_their_cells(browser, tmp_path):
    """A new user's report (2026-12-08): each chart is drawn by a script right after its cell,
    before the cell beside it is parsed, so the first chart of a pair took the whole row's width
    (1,334 px in a 660 px cell) and lay under its neighbour, hiding half of its dates."""
    from opinion.report import export_workspace

    ws = make_workspace(tmp_path / "ws")
    report = export_workspace(ws, tmp_path / "report", formats="html")[0]
    browser.get(report.as_uri())
    settle(browser)
    cells = browser.execute_script(
        "return Array.from(document.querySelectorAll('.charts .cell')).map(function (c) {"
        "  var p = c.querySelector('.js-plotly-plot');"
        "  return [c.className, c.getBoundingClientRect().width, p && p._fullLayout ? p._fullLayout.width : 0]; });")
    pairs = [cell for cell in cells if "wide" not in cell[0]]
    assert pairs, cells  # the report has charts side by side
    assert all(0 < drawn <= width + 1 for _, width, drawn in cells), cells
