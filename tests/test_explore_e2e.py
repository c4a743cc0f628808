"""End to end in a real headless Chromium: `opinion explore` on 127.0.0.1, the 简/繁 switch,
a search, and a screenshot of every section.

Needs Debian's ``chromium`` and ``chromium-driver`` packages and ``selenium`` (in the
``test`` extra); skipped, with the reason, when one is missing. Screenshots go to the folder in
``OPINION_SCREENSHOTS`` (``docs/img`` to refresh the docs) or to the test's temp folder.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from factory import make_workspace

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")

pytestmark = pytest.mark.skipif(
    not (CHROMIUM and DRIVER),
    reason="needs Debian's chromium and chromium-driver: apt-get install -y chromium chromium-driver",
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_healthy(port: int, process: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"opinion explore exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"the explorer did not answer on 127.0.0.1:{port} within {timeout:.0f}s")


@pytest.fixture
def explorer(tmp_path):
    """`opinion explore` serving a small real-text workspace; yields its URL."""
    make_workspace(tmp_path / "ws")
    port = _free_port()
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])))
    process = subprocess.Popen(
        [sys.executable, "-m", "opinion", "explore", "-w", str(tmp_path / "ws"), "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        _wait_healthy(port, process)
        yield f"http://127.0.0.1:{port}/"
    finally:
        os.killpg(process.pid, signal.SIGTERM)  # our own session: the CLI and its Streamlit child
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


@pytest.fixture
def browser():
    webdriver = pytest.importorskip("selenium.webdriver", reason="needs selenium: pip install 'opinion[test]'")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1400,2000", "--lang=zh-CN"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def _wait_for_text(driver, text: str, timeout: float = 60) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, timeout).until(lambda d: text in d.find_element(By.TAG_NAME, "body").text,
                                         message=f"page never showed {text!r}")


def _settle(driver) -> None:
    """Wait until Streamlit has finished its rerun (no running indicator), then for charts to draw."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    time.sleep(0.5)
    WebDriverWait(driver, 60).until(
        lambda d: not d.find_elements(By.CSS_SELECTOR, "[data-testid='stStatusWidget']"))
    time.sleep(1.5)


def _find(driver, css: str, timeout: float = 60):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(EC.element_to_be_clickable((By.CSS_SELECTOR, css)))


def _click_option(driver, key: str, text: str) -> None:
    from selenium.webdriver.common.by import By

    driver.find_element(By.XPATH, f"//div[contains(@class,'st-key-{key}')]//label[contains(., '{text}')]").click()


def test_explorer_in_chromium(browser, explorer, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    shots = Path(os.environ.get("OPINION_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    browser.get(explorer)
    _wait_for_text(browser, "Documents")
    _wait_for_text(browser, "55")
    _settle(browser)
    browser.save_screenshot(str(shots / "explorer-overview.png"))

    _click_option(browser, "script", "繁體（台灣）")
    _click_option(browser, "section", "Topics")
    _wait_for_text(browser, "0_口罩_戴口罩_防護")  # the chosen topic, re-rendered in Traditional
    _wait_for_text(browser, "Representative posts")
    _settle(browser)
    browser.save_screenshot(str(shots / "explorer-topics.png"))

    _click_option(browser, "section", "Themes")
    _wait_for_text(browser, "Keyword in context")
    kwic = _find(browser, ".st-key-themes_kwic_term input")
    kwic.send_keys("直播", Keys.ENTER)
    _wait_for_text(browser, "5 lines")
    _settle(browser)
    browser.save_screenshot(str(shots / "explorer-themes.png"))

    _click_option(browser, "section", "Documents")
    search = _find(browser, ".st-key-documents_query input")
    search.send_keys("國貨", Keys.ENTER)
    _wait_for_text(browser, "2 documents match")
    body = browser.find_element(By.TAG_NAME, "body").text
    assert "國貨與非遺的結合受到歡迎" in body  # a Simplified hit, shown in Traditional
    _settle(browser)
    browser.save_screenshot(str(shots / "explorer-documents.png"))

    _click_option(browser, "section", "Compare")
    _wait_for_text(browser, "Topic shares")
    _settle(browser)
    browser.save_screenshot(str(shots / "explorer-compare.png"))
    for name in ("overview", "topics", "themes", "documents", "compare"):
        assert (shots / f"explorer-{name}.png").stat().st_size > 10_000
