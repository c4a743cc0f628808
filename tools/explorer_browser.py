"""Drive `opinion explore` in Debian's headless Chromium with selenium.

Shared by ``tests/test_explore_e2e.py`` and ``tools/screenshot_explorer.py``. Needs the
``chromium`` and ``chromium-driver`` packages (``apt-get install -y chromium chromium-driver``),
``selenium`` (the ``test`` extra) and a CJK font (``fonts-noto-cjk``) so 中文 is not drawn as boxes.
selenium is imported inside the functions, so importing this module never fails.

Example::

    with serve_explorer(Path("ws")) as url, chromium() as driver:
        driver.get(url)
        click_option(driver, "script", "繁體（台灣）")
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
CHROMIUM_ARGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--window-size=1400,2000", "--lang=zh-CN")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(port: int, process: subprocess.Popen, *, timeout: float = 90) -> None:
    """Block until Streamlit's health check on ``port`` answers 200; fail if ``process`` exits.

    Polls with the product's own check (``opinion.cli.explore_cmd.wait_healthy``, every
    20 ms; benchmarks/explorer_speed.py times the start with it), looking at ``process``
    between half-second waits.
    """
    from opinion.cli.explore_cmd import wait_healthy as answers

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"opinion explore exited with {process.returncode}")
        if answers("127.0.0.1", port, timeout=min(0.5, max(deadline - time.monotonic(), 0.0))):
            return
    raise RuntimeError(f"the explorer did not answer on 127.0.0.1:{port} within {timeout:.0f}s")


@contextlib.contextmanager
def serve_explorer(workspace: Path, *, timeout: float = 90, repo: Path = REPO) -> Iterator[str]:
    """Run ``python3 -m opinion explore -w WORKSPACE`` on a free port; yield its URL, then stop it.

    ``repo`` is the checkout whose ``opinion`` runs (another one, e.g. an older commit, to compare).
    """
    port = free_port()
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(repo), os.environ.get("PYTHONPATH")])))
    process = subprocess.Popen(
        [sys.executable, "-m", "opinion", "explore", "-w", str(workspace), "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        wait_healthy(port, process, timeout=timeout)
        yield f"http://127.0.0.1:{port}/"
    finally:
        os.killpg(process.pid, signal.SIGTERM)  # our own session: the CLI and its Streamlit child
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


@contextlib.contextmanager
def chromium(*, window_size: str | None = None) -> Iterator[object]:
    """A headless Chromium selenium driver (1400×2000 unless ``window_size="W,H"``), quit on exit."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    if not (CHROMIUM and DRIVER):
        raise RuntimeError("needs Debian's chromium and chromium-driver: apt-get install -y chromium chromium-driver")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in CHROMIUM_ARGS:
        if window_size and arg.startswith("--window-size="):
            arg = f"--window-size={window_size}"
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def wait_for_text(driver, text: str, *, timeout: float = 60) -> None:
    """Block until ``text`` (e.g. ``"Keyword in context"``) shows anywhere in the page body."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, timeout).until(lambda d: text in d.find_element(By.TAG_NAME, "body").text,
                                         message=f"page never showed {text!r}")


def settle(driver, *, timeout: float = 60) -> None:
    """Wait until Streamlit has finished its rerun (no running indicator), then for charts to draw."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    time.sleep(0.5)
    WebDriverWait(driver, timeout).until(
        lambda d: not d.find_elements(By.CSS_SELECTOR, "[data-testid='stStatusWidget']"))
    time.sleep(1.5)


def find(driver, css: str, *, timeout: float = 60):
    """The first clickable element matching ``css``, e.g. ``".st-key-documents_query input"``."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(EC.element_to_be_clickable((By.CSS_SELECTOR, css)))


def click_option(driver, key: str, text: str) -> None:
    """Click the radio option labelled ``text`` in the widget with Streamlit key ``key``."""
    from selenium.webdriver.common.by import By

    driver.find_element(By.XPATH, f"//div[contains(@class,'st-key-{key}')]//label[contains(., '{text}')]").click()


def type_into(driver, css: str, text: str) -> None:
    """Type ``text`` into the input at ``css`` and press Enter (a Streamlit text_input submits)."""
    from selenium.webdriver.common.keys import Keys

    find(driver, css).send_keys(text, Keys.ENTER)
