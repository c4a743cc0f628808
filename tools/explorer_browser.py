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
from typing import Any

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
def serve_explorer(workspace: Path, *, timeout: float = 90, repo: Path = REPO,
                   lang: str = "en") -> Iterator[str]:
    """Run ``python3 -m opinion explore -w WORKSPACE`` on a free port; yield its URL, then stop it.

    ``repo`` is the checkout whose ``opinion`` runs (another one, e.g. an older commit, to compare).
    ``lang`` is the interface language the URL asks for: ``en`` (the default here, so tests
    and benchmarks find English labels) or ``zh`` (the page's own default: Chinese).
    """
    with explorer_process(workspace, timeout=timeout, repo=repo, lang=lang) as (url, _):
        yield url


@contextlib.contextmanager
def explorer_process(workspace: Path, *, timeout: float = 90, repo: Path = REPO,
                     lang: str = "en") -> Iterator[tuple[str, subprocess.Popen]]:
    """:func:`serve_explorer` that also yields the server's process (to read its CPU time)."""
    port = free_port()
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(repo), os.environ.get("PYTHONPATH")])))
    process = subprocess.Popen(  # an absolute workspace: the process runs in ``repo``
        [sys.executable, "-m", "opinion", "explore", "-w", str(Path(workspace).resolve()), "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        cwd=repo)  # `python -m` puts the working folder first on the path: run ``repo``'s opinion
    try:
        wait_healthy(port, process, timeout=timeout)
        yield f"http://127.0.0.1:{port}/" + ("?lang=en" if lang == "en" else ""), process
    finally:
        with contextlib.suppress(ProcessLookupError):  # it may have exited already (the error above)
            os.killpg(process.pid, signal.SIGTERM)  # our own session: the CLI and its Streamlit child
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def with_query(url: str, **params: str) -> str:
    """``url`` with ``params`` added to its query: ``with_query("http://h/?lang=en", section="Topics")``
    → ``"http://h/?lang=en&section=Topics"`` (the explorer keeps its radios' choices in the URL)."""
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

    parts = urlsplit(url)
    query = urlencode([*parse_qsl(parts.query), *params.items()])
    return urlunsplit(parts._replace(query=query))


@contextlib.contextmanager
def chromium(*, window_size: str | None = None) -> Iterator[Any]:
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


CHARTS_DRAWN = """
return !document.querySelector('[data-testid="stSkeleton"], [data-testid="stSpinner"]') &&
  [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].every(c => c.querySelector('.main-svg'));
"""


def settle(driver, *, timeout: float = 60) -> None:
    """Wait until Streamlit has finished its rerun (no running indicator) and drawn every element
    (no grey placeholder or spinner left, every Plotly chart drawn), then for the charts' transitions."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    time.sleep(0.5)
    WebDriverWait(driver, timeout).until(
        lambda d: not d.find_elements(By.CSS_SELECTOR, "[data-testid='stStatusWidget']"))
    WebDriverWait(driver, timeout).until(lambda d: d.execute_script(CHARTS_DRAWN),
                                         message="a placeholder or an undrawn chart was left on the page")
    time.sleep(1.5)


def shrink_png(path: Path, *, colors: int = 256) -> Path:
    """Rewrite the PNG at ``path`` with a palette of at most ``colors`` (no dithering). A page's
    flat colours and text lose nothing visible, and the file shrinks about threefold
    (report-words.png: 1.26 MB → 0.42 MB). Pillow comes with wordcloud, a default dependency."""
    from PIL import Image

    with Image.open(path) as image:
        palette = image.convert("RGB").quantize(colors=colors, method=Image.Quantize.MEDIANCUT,
                                                dither=Image.Dither.NONE)
    palette.save(path, optimize=True)
    return path


def save_png(target, path: Path) -> Path:
    """Screenshot ``target`` (the driver: the window; an element: that element) to ``path``, shrunk."""
    save = getattr(target, "save_screenshot", None) or target.screenshot
    save(str(path))
    return shrink_png(path)


def find(driver, css: str, *, timeout: float = 60):
    """The first clickable element matching ``css``, e.g. ``".st-key-documents_query input"``."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(EC.element_to_be_clickable((By.CSS_SELECTOR, css)))


def ui_text(message_id: str, script: str = "zh-Hans", *, lang: str = "zh", **values: object) -> str:
    """The explorer's text ``message_id`` as the page shows it (Markdown's ``**`` dropped), e.g.
    ``ui_text("section.topics", "zh-Hant-TW")`` → ``"主題"``, to click or wait for in any language."""
    from opinion.i18n import text

    return text(message_id, script, lang=lang, **values).replace("**", "")


def ui_pattern(message_id: str, script: str = "zh-Hans", *, lang: str = "zh", **fields: str) -> str:
    """A regular expression for message ``message_id`` as shown, each ``{placeholder}`` matching
    any text or the expression given for it: ``ui_pattern("kwic.lines", n=r"\d[\d,]*")``."""
    import re
    import string

    parts = []
    for literal, field, _spec, _conversion in string.Formatter().parse(ui_text(message_id, script, lang=lang)):
        parts.append(re.escape(literal))
        if field is not None:
            parts.append(fields.get(field, ".+?"))
    return "".join(parts)


def click_option(driver, key: str, text: str) -> None:
    """Click the radio option labelled ``text`` in the widget with Streamlit key ``key``."""
    from selenium.webdriver.common.by import By

    driver.find_element(By.XPATH, f"//div[contains(@class,'st-key-{key}')]//label[contains(., '{text}')]").click()


def type_into(driver, css: str, text: str) -> None:
    """Type ``text`` into the input at ``css`` and press Enter (a Streamlit text_input submits)."""
    from selenium.webdriver.common.keys import Keys

    find(driver, css).send_keys(text, Keys.ENTER)


@contextlib.contextmanager
def recording_server() -> Iterator[tuple[str, list[str]]]:
    """A web server on 127.0.0.1 that answers every GET and records its path; yields its URL
    (``http://127.0.0.1:PORT``) and the list of paths requested so far, then stops.

    Point hostile data at it: any path in the list is a request the page should not have made.
    """
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    hits: list[str] = []

    class Record(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the http.server API)
            hits.append(self.path)
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Record)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", hits
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


MARKUP_PROBE = """
const needle = arguments[0];
const outer = (e) => e.outerHTML || new XMLSerializer().serializeToString(e);
// what an element would fetch: its loading attributes, not its text (an alt may quote the data)
const fetched = (e) => ['src', 'srcset', 'href', 'xlink:href', 'data', 'poster']
  .map(a => e.getAttribute(a) || '').join(' ');
return {
  loads: [...document.querySelectorAll('img, image, iframe, video, audio, source, object, embed, link')]
    .filter(e => fetched(e).includes(needle)).map(outer),
  links: [...document.getElementsByTagName('a')].map(outer)
    .filter(h => h.includes(needle) || /href="(?!#)/.test(h)),
  requests: performance.getEntriesByType('resource').map(e => e.name).filter(n => n.includes(needle)),
  chart_bold: [...document.querySelectorAll('.js-plotly-plot tspan')]
    .filter(e => /bold/.test(e.getAttribute('style') || '')).map(e => e.textContent),
  chart_text: [...document.querySelectorAll('.js-plotly-plot')].map(e => e.textContent).join('\\n'),
};
"""


def markup_in_page(driver, needle: str) -> dict:
    """What the page drew from markup: elements that load or link ``needle`` (a URL taken from
    the data), resource requests to it, bold chart text, and the charts' text."""
    return driver.execute_script(MARKUP_PROBE, needle)
