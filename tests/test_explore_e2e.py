"""End to end in a real headless Chromium: `opinion explore` on 127.0.0.1, the 简/繁 switch,
a search, and a screenshot of every section.

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
from factory import make_workspace

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
from explorer_browser import (CHROMIUM, DRIVER, chromium, click_option, find, serve_explorer,  # noqa: E402
                              settle, wait_for_text)

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
    browser.get(explorer)
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
    wait_for_text(browser, "5 lines")
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
