"""Explorer speed on the 620k Weibo posts: time to first chart and filter latency.

Workspace: ``benchmarks/_weibo_workspace.py`` builds it from the real Weibo files in
``../shared/data`` (real texts and days; keyword-rule stage outputs, see that file).

Measured, each in the same run:
1. Browser (headless Chromium, if installed): from starting ``opinion explore`` to the first
   Plotly chart drawn on the page; then from pressing Enter on a search, and from picking a
   sentiment filter, to the new result count on the page.
2. The page script alone (``AppTest``, no browser): its first run and a rerun per filter change.
3. The query layer: ``ExploreStore.open`` (the in-memory facts table) and uncached
   ``search`` calls for several filter changes, against the obvious alternative of loading
   every post into pandas and filtering there. Ratios are printed.

Run: ``nice -n 10 python3 benchmarks/explorer_speed.py [WORKSPACE]`` (about 2 minutes on
2 cores); with WORKSPACE, an existing workspace (e.g. made by ``opinion run``) is measured.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _weibo_workspace import build  # noqa: E402

from opinion.explore.data import ExploreStore, Filters  # noqa: E402
from opinion.io.workspace import Workspace  # noqa: E402

FILTERS = {
    "no filter": Filters(),
    "sentiment=negative": Filters(labels=("negative",)),
    "topic 0 + theme 防护": Filters(topics=(0,), themes=("防护",)),
    "search 口罩": Filters(query="口罩"),
    "search 武漢 加油 (Traditional, two terms) + negative": Filters(query="武漢 加油", labels=("negative",)),
    "date range 2020-02-01..02-07": Filters(start=pd.Timestamp("2020-02-01").date(),
                                            end=pd.Timestamp("2020-02-07").date()),
}


def _timed(func, repeat: int = 3) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def query_layer(root: Path) -> None:
    start = time.perf_counter()
    store = ExploreStore.open(root)
    opened = time.perf_counter() - start
    store.wait_for_texts()
    print(f"texts in memory after {time.perf_counter() - start:.2f} s")
    print(f"ExploreStore.open (facts table of {store.overview()['documents']:,} docs): {opened:.2f} s")
    start = time.perf_counter()
    docs = pd.read_parquet(root / "corpus", columns=["doc_id", "published_at", "source"])
    for name in ("prepared", "sentiment"):
        docs = docs.merge(pd.read_parquet(root / name), on="doc_id")
    docs = docs.merge(pd.read_parquet(root / "topic_documents.parquet"), on="doc_id")
    loaded = time.perf_counter() - start
    print(f"pandas: load every post into memory: {loaded:.2f} s  (ratio {loaded / opened:.1f}x)")

    def pandas_search(f: Filters) -> int:
        mask = pd.Series(True, index=docs.index)
        if f.labels:
            mask &= docs["sentiment_label"].isin(f.labels)
        if f.topics:
            mask &= docs["topic_id"].isin(f.topics)
        for theme in f.themes:
            mask &= docs[f"theme_{theme}"] > 0
        if f.start:
            mask &= docs["published_at"].dt.date.between(f.start, f.end)
        for term in f.terms:
            mask &= docs["text_norm"].str.contains(term, regex=False)
        return int(mask.sum())

    print(f"{'filter change':55s} {'matches':>8s} {'duckdb s':>9s} {'pandas s':>9s} {'ratio':>6s}")
    themes = [c.removeprefix("theme_") for c in docs.columns if c.startswith("theme_")]
    for name, f in FILTERS.items():
        if f.themes and f"theme_{f.themes[0]}" not in docs.columns and themes:
            # a workspace made by `opinion prepare` has its own themes (信任, 国货 ...)
            name, f = name.replace(f.themes[0], themes[0]), dataclasses.replace(f, themes=(themes[0],))
        duck, page = _timed(lambda: store.search(f, page=1, page_size=20))
        slow, count = _timed(lambda: pandas_search(f))
        assert count == page.total, (name, count, page.total)
        print(f"{name:55s} {page.total:8,d} {duck:9.3f} {slow:9.3f} {slow / duck:6.1f}")


def browser(root: Path) -> None:
    chromium, driver_path = shutil.which("chromium"), shutil.which("chromedriver")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
        from selenium.webdriver.common.by import By
        from selenium.webdriver.common.keys import Keys
        from selenium.webdriver.support.ui import WebDriverWait
    except ImportError:
        chromium = None
    if not (chromium and driver_path):
        print("browser timings skipped: needs chromium, chromium-driver and selenium")
        return
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1400,1600"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(driver_path), options=options)  # started before the clock
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = dict(os.environ, PYTHONPATH=str(REPO))
    start = time.perf_counter()
    server = subprocess.Popen([sys.executable, "-m", "opinion", "explore", "-w", str(root), "--port", str(port)],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    body = lambda d: d.find_element(By.TAG_NAME, "body").text  # noqa: E731
    try:
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1)
                break
            except OSError:
                time.sleep(0.05)
        healthy = time.perf_counter() - start
        driver.get(f"http://127.0.0.1:{port}/")
        WebDriverWait(driver, 120, poll_frequency=0.05).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".js-plotly-plot .bars"))
        first_chart = time.perf_counter() - start
        print(f"browser: server answering {healthy:.2f} s; first chart drawn {first_chart:.2f} s after start")
        driver.find_element(By.XPATH, "//div[contains(@class,'st-key-section')]//label[contains(., 'Documents')]").click()
        WebDriverWait(driver, 60, poll_frequency=0.05).until(lambda d: "documents match" in body(d))
        box = WebDriverWait(driver, 60, poll_frequency=0.05).until(
            lambda d: d.find_element(By.CSS_SELECTOR, ".st-key-documents_query input"))
        before = body(driver)
        start = time.perf_counter()
        box.send_keys("口罩", Keys.ENTER)
        WebDriverWait(driver, 60, poll_frequency=0.05).until(lambda d: "76,591 documents match" in body(d) or body(d) != before
                                        and "口罩" in body(d) and "match" in body(d))
        WebDriverWait(driver, 60, poll_frequency=0.05).until(lambda d: "documents match" in body(d)
                                        and not d.find_elements(By.CSS_SELECTOR, "[data-testid='stStatusWidget']"))
        print(f"browser: search 口罩 -> new page {time.perf_counter() - start:.2f} s ({_count(body(driver))})")
        driver.find_element(By.CSS_SELECTOR, ".st-key-documents_labels input").click()
        option = WebDriverWait(driver, 10).until(
            lambda d: d.find_element(By.XPATH, "//*[@role='option' and contains(., 'negative')]"))
        before = _count(body(driver))
        start = time.perf_counter()
        option.click()
        WebDriverWait(driver, 60, poll_frequency=0.05).until(lambda d: _count(body(d)) != before)
        print(f"browser: + sentiment=negative -> new count {time.perf_counter() - start:.2f} s ({_count(body(driver))})")
    finally:
        driver.quit()
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)


def script_runs(root: Path) -> None:
    """Server-side time of the page script (no browser): the first run, and filter changes."""
    from streamlit.testing.v1 import AppTest

    sys.argv = ["app.py", "--workspace", str(root)]
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=300)
    start = time.perf_counter()
    at.run()
    print(f"script: first run (open the store, overview queries) {time.perf_counter() - start:.2f} s")
    at.radio(key="section").set_value("Documents").run()
    steps = [("search 口罩", lambda: at.text_input(key="documents_query").input("口罩")),
             ("+ sentiment=negative", lambda: at.multiselect(key="documents_labels").set_value(["negative"])),
             ("+ topic 0", lambda: at.multiselect(key="documents_topics").set_value([0])),
             ("page 2", lambda: at.number_input(key="documents_page").set_value(2))]
    for name, step in steps:
        step()
        start = time.perf_counter()
        at.run()
        assert not at.exception, at.exception
        print(f"script: {name:22s} rerun {time.perf_counter() - start:.2f} s")


def _count(text: str) -> str:
    line = next((ln for ln in text.splitlines() if "documents match" in ln), "")
    return line.split("documents match")[0].strip()


if __name__ == "__main__":
    # ``explorer_speed.py WS`` measures an existing workspace, e.g. one made by
    # ``opinion run`` on the Weibo files (benchmarks/scale_weibo.py leaves one).
    if len(sys.argv) > 1:
        workspace = Workspace.open(sys.argv[1])
    else:
        workspace = build(Path(__file__).resolve().parent / "out" / "weibo-explore-ws")
    print(f"workspace: {workspace.root}")
    browser(workspace.root)
    script_runs(workspace.root)
    query_layer(workspace.root)
