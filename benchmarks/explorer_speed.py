"""Explorer speed on the 620k Weibo posts: time to first chart and filter latency.

Workspace: an existing one given on the command line (e.g. made by ``opinion run`` on the
Weibo files), else ``benchmarks/_weibo_workspace.py`` builds one from the real Weibo files
in ``../shared/data`` (real texts and days; keyword-rule stage outputs, see that file).

Measured, each in the same run:
1. Browser (Debian's headless Chromium, if installed), ``--repeat`` times, median printed:
   from starting ``opinion explore`` to the Overview's first chart drawn on the page.
   Chromium itself is started, on ``about:blank``, *before* the clock and left 3 s to finish
   starting (``BROWSER_SETTLE``): a user's browser is already open. (Until 2026-11-25 this
   benchmark launched Chromium just before the clock, so part of Chromium's own start-up,
   which goes on after it first answers, was counted.) The clock covers the server's start, the wait for its health check (polled
   every 50 ms), the page's load with an empty browser cache (Streamlit's JavaScript),
   the page script, and the chart's own JavaScript and drawing. Each run prints where the
   time went: server answering, page loaded (``loadEventEnd``), chart library fetched,
   chart drawn. Then, from pressing Enter on a search, and from picking a sentiment filter,
   to the new result count on the page, and from picking a sort of a topic's posts to its new
   first post. Since 2026-12-06 every "drawn" and "shown" moment is stamped inside the page by
   a MutationObserver (``DRAWN_JS``, ``WATCH_JS``) and the benchmark only reads the stamp;
   before, it polled the page through WebDriver every 20 ms, and reading ``body.text`` that
   way took most of the browser's time on the big Topics page (docs/explorer.md, Speed).
2. Chart library, in the browser: the same documents-per-day bars drawn by Plotly and by
   Streamlit's built-in Vega-Lite (``benchmarks/_chart_page.py``), each in a fresh
   browser (empty cache), alternating, ``--repeat`` times; from navigation to chart drawn.
3. The page script alone (``AppTest``, no browser): its first run (which here also opens the
   store) and a rerun per filter change.
4. The query layer: ``ExploreStore.open`` (the in-memory facts table) and uncached
   ``search`` calls for several filter changes, against the obvious alternative of loading
   every post into pandas and filtering there. Ratios are printed.

Run: ``nice -n 10 python3 benchmarks/explorer_speed.py [WORKSPACE] [--repeat 3]`` (about
2 minutes on 2 cores). Timings need a quiet machine: the load average is printed with them.
``--baseline DIR`` times the first chart of another checkout (``git worktree add DIR
COMMIT``) in turn with this one, so a before/after comparison sees the same load.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import re
import resource
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(REPO / "tools"))

from _weibo_workspace import build  # noqa: E402
from explorer_browser import CHROMIUM, DRIVER, chromium, explorer_process, free_port, wait_healthy  # noqa: E402

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
    docs = docs.merge(Workspace.open(root).read("topic_documents"), on="doc_id")  # parts or one file
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
        duck, page = _timed(lambda f=f: store.search(f, page=1, page_size=20))
        slow, count = _timed(lambda f=f: pandas_search(f))
        assert count == page.total, (name, count, page.total)
        print(f"{name:55s} {page.total:8,d} {duck:9.3f} {slow:9.3f} {slow / duck:6.1f}")
    drill_down(store, docs)


def drill_down(store: ExploreStore, docs: pd.DataFrame) -> None:
    """A topic followed to its posts (issue 17): one sorted page of the biggest topic, filtered,
    against pandas filtering and sorting the same rows."""
    topic = int(docs["topic_id"].value_counts().index[0])
    cases = {"topic, most typical": (Filters(topics=(topic,)), "typical", "topic_prob", False),
             "topic, most negative": (Filters(topics=(topic,)), "negative", "sentiment_score", True),
             "topic + negative, newest": (Filters(topics=(topic,), labels=("negative",)), "newest",
                                          "published_at", False)}
    print(f"{'drill-down (page of 20, sorted)':55s} {'matches':>8s} {'duckdb s':>9s} {'pandas s':>9s} {'ratio':>6s}")
    for name, (f, sort, column, ascending) in cases.items():
        if column not in docs.columns:
            continue
        duck, page = _timed(lambda f=f, sort=sort: store.search(f, page=1, page_size=20, sort=sort))

        def pandas_page(f: Filters = f, column: str = column, ascending: bool = ascending) -> int:
            mask = docs["topic_id"].isin(f.topics)
            if f.labels:
                mask &= docs["sentiment_label"].isin(f.labels)
            rows = docs[mask].sort_values(column, ascending=ascending).head(20)
            return int(mask.sum()) if len(rows) else 0

        slow, count = _timed(pandas_page)
        assert count == page.total, (name, count, page.total)
        print(f"{name:55s} {page.total:8,d} {duck:9.3f} {slow:9.3f} {slow / duck:6.1f}")
    from opinion.explore.drill import period_movers, periods, topic_timeline

    for name, call in (("topic timeline (documents, mean sentiment per period)", lambda: topic_timeline(store, topic)),
                       ("period movers (last period vs the one before)",
                        lambda: period_movers(store, periods(store)[-1]))):
        took, _ = _timed(call)
        print(f"{name:55s} {'':8s} {took:9.3f}")


CHART = ".stVegaLiteChart .role-mark path, .js-plotly-plot .bars"  # a drawn bar, in either library
CHART_PAGE = Path(__file__).resolve().parent / "_chart_page.py"
# Seconds a just-launched Chromium is left to finish its own start-up (it keeps working for
# a while after it answers) before the clock starts: a user's browser has been open a while.
BROWSER_SETTLE = 3.0


def _browser_ready() -> bool:
    try:
        import selenium  # noqa: F401
    except ImportError:
        return False
    return bool(CHROMIUM and DRIVER)


def _wait(driver, condition, timeout: float = 120, poll: float = 0.02):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout, poll_frequency=poll).until(condition)


# Stamps, from inside the page, when a chart's first bar is in it (``performance.now()``: ms
# since the navigation began). Installed before the navigation, so the benchmark only reads a
# variable until then instead of querying the page every 20 ms while it loads.
DRAWN_JS = """
(() => {
  const observer = new MutationObserver(() => {
    if (window.__opinionDrawn == null && document.querySelector(CHART)) {
      window.__opinionDrawn = performance.now(); observer.disconnect();
    }
  });
  observer.observe(document, {subtree: true, childList: true, attributes: true});
})();
""".replace("CHART", json.dumps(CHART))


def watch_for_chart(driver) -> None:
    """Have every page ``driver`` opens from now on stamp when its first chart is drawn."""
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": DRAWN_JS})


def wait_drawn(driver) -> float:
    """Block until the page has drawn its chart (:func:`watch_for_chart`); when, in seconds
    since the epoch (``time.time()``'s clock)."""
    _wait(driver, lambda d: d.execute_script("return window.__opinionDrawn") is not None, poll=0.05)
    origin, drawn = driver.execute_script("return [performance.timeOrigin, window.__opinionDrawn]")
    return (origin + drawn) / 1000


def _page_timings(driver, wall_start: float) -> dict[str, float]:
    """When (seconds after ``wall_start``) the page finished loading and the chart library arrived."""
    origin = driver.execute_script("return performance.timeOrigin") / 1000 - wall_start
    nav = driver.execute_script("return performance.getEntriesByType('navigation')[0].loadEventEnd")
    chunks = driver.execute_script(
        "return performance.getEntriesByType('resource').filter(e => /(PlotlyChart|embed)\\./.test(e.name))"
        ".map(e => e.responseEnd)")
    return {"page loaded": origin + nav / 1000,
            "chart library fetched": origin + max(chunks) / 1000 if chunks else float("nan")}


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system, all threads) a process has used so far; NaN without /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


def first_chart(root: Path, *, repo: Path = REPO, then=None) -> tuple[float, float]:
    """Seconds from starting ``opinion explore`` (of checkout ``repo``) to the first chart drawn,
    the browser being open already, and the server's CPU seconds until then; ``then(driver)``
    runs afterwards on the same page."""
    with chromium() as driver:
        driver.get("about:blank")  # the browser is up, and done starting, before the clock starts
        watch_for_chart(driver)
        time.sleep(BROWSER_SETTLE)
        wall_start = time.time()
        with explorer_process(root, repo=repo) as (url, server):
            healthy, healthy_cpu = time.time() - wall_start, cpu_seconds(server.pid)
            driver.get(url)
            drawn = wait_drawn(driver) - wall_start
            drawn_cpu = cpu_seconds(server.pid)
            steps = {"server answering": healthy, **_page_timings(driver, wall_start), "chart drawn": drawn}
            name = "" if repo == REPO else f" [{repo.name}]"
            print(f"browser{name}: first chart " + ", ".join(f"{k} {v:.2f} s" for k, v in steps.items())
                  + f"; server CPU {healthy_cpu:.2f} s until answering, {drawn_cpu:.2f} s until drawn")
            if then is not None:
                then(driver, server.pid)
    return drawn, drawn_cpu


# Watches the page from inside (a MutationObserver) for a filter's result: the new result count
# (``count``) or a new first post of a topic's list (``first_meta``), optionally once Streamlit's
# "running" widget is gone too, and stamps the time. Until 2026-12-06 the benchmark polled
# WebDriver's ``body.text`` every 20 ms instead: that atom walks the whole page calling
# getComputedStyle, and a Chromium CPU profile of one topic re-sort showed it taking 1.75 s of
# the page's 2.8 s of main-thread time, slowing the very update it timed (docs/explorer.md).
_READERS_JS = r"""
const countOf = () => {
  const p = [...document.querySelectorAll('p')].find(e => e.textContent.includes('documents match'));
  return p ? p.textContent.split('documents match')[0].trim() : '';
};
const firstMeta = () => {
  const head = [...document.querySelectorAll('p')].find(e => /documents.*· page \d/.test(e.textContent));
  if (!head) return '';
  const meta = [...document.querySelectorAll('[data-testid="stCaptionContainer"]')].find(
    e => (head.compareDocumentPosition(e) & Node.DOCUMENT_POSITION_FOLLOWING) && e.textContent.includes(' · '));
  return meta ? meta.textContent.trim() : '';
};
const read = arguments[0] === 'count' ? countOf : firstMeta;
"""
READ_JS = _READERS_JS + "return read();"
WATCH_JS = _READERS_JS + r"""
const [before, needIdle] = [arguments[1], arguments[2]];
const idle = () => !document.querySelector("[data-testid='stStatusWidget']");
const watch = {hit: null, value: null};
window.__opinionWatch = watch;
const observer = new MutationObserver(() => {
  if (watch.hit !== null) return;
  const value = read();
  if (value !== '' && value !== before && (!needIdle || idle())) {
    watch.hit = performance.now(); watch.value = value; observer.disconnect();
  }
});
observer.observe(document.body, {subtree: true, childList: true, characterData: true, attributes: true});
"""


def watched(driver, name: str, kind: str, action, *, server_pid: int, need_idle: bool = True) -> None:
    """Run ``action`` (a click, a key press) and print the seconds until the page shows a new
    ``kind`` (``count`` or ``first_meta``, see :data:`WATCH_JS`), timed inside the page, and
    the server's CPU seconds meanwhile."""
    driver.execute_script(WATCH_JS, kind, driver.execute_script(READ_JS, kind), need_idle)
    start_page, cpu = driver.execute_script("return performance.now()"), cpu_seconds(server_pid)
    action()
    _wait(driver, lambda d: d.execute_script("return window.__opinionWatch.hit") is not None, poll=0.2)
    hit, value = driver.execute_script("return [window.__opinionWatch.hit, window.__opinionWatch.value]")
    _wait(driver, lambda d: not d.find_elements(By_CSS, "[data-testid='stStatusWidget']"))
    print(f"browser: {name} {(hit - start_page) / 1000:.2f} s ({value}), "
          f"server CPU {cpu_seconds(server_pid) - cpu:.2f} s")


By_CSS = "css selector"  # selenium's By.CSS_SELECTOR, without importing selenium at module import


def search_and_filter(driver, server_pid: int) -> None:
    """Documents: a new search (Enter → new page) and a sentiment filter (click → new count);
    Topics: the first topic's posts sorted most negative first (→ a new first post). With each,
    the server's CPU seconds meanwhile. Each is timed inside the page (:func:`watched`)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    body = lambda d: d.find_element(By.TAG_NAME, "body").text  # noqa: E731 - between timings only
    idle = lambda d: not d.find_elements(By.CSS_SELECTOR, "[data-testid='stStatusWidget']")  # noqa: E731

    driver.find_element(By.XPATH, "//div[contains(@class,'st-key-section')]//label[contains(., 'Documents')]").click()
    _wait(driver, lambda d: "documents match" in body(d) and idle(d))
    box = _wait(driver, lambda d: d.find_element(By.CSS_SELECTOR, ".st-key-documents_query input"))
    watched(driver, "search 口罩 -> new page", "count", lambda: box.send_keys("口罩", Keys.ENTER),
            server_pid=server_pid)
    driver.find_element(By.CSS_SELECTOR, ".st-key-documents_labels input").click()
    option = _wait(driver, lambda d: d.find_element(By.XPATH, "//*[@role='option' and contains(., 'negative')]"))
    watched(driver, "+ sentiment=negative -> new count", "count", option.click, server_pid=server_pid,
            need_idle=False)
    driver.find_element(By.XPATH, "//div[contains(@class,'st-key-section')]//label[contains(., 'Topics')]").click()
    _wait(driver, lambda d: "All posts of this topic" in body(d) and _PAGE_COUNT.search(body(d))
          and idle(d))
    _wait(driver, lambda d: d.find_element(By.CSS_SELECTOR, ".st-key-topics_posts_sort input")).click()
    option = _wait(driver, lambda d: d.find_element(By.XPATH, "//*[@role='option' and contains(., 'Most negative')]"))
    watched(driver, "topic's posts: most negative first -> new first post", "first_meta", option.click,
            server_pid=server_pid)


_PAGE_COUNT = re.compile(r" documents.*· page \d")  # also "(N more are duplicates or spam ...) · page"


def browser(root: Path, repeat: int, baseline: Path | None = None) -> None:
    """First chart ``repeat`` times (alternating with the ``baseline`` checkout, if given, so both
    see the same machine load), then a search and filters on the last page of each."""
    if not _browser_ready():
        print("browser timings skipped: needs chromium, chromium-driver and selenium")
        return
    times: dict[Path, list[tuple[float, float]]] = {REPO: [], **({baseline: []} if baseline else {})}
    for i in range(repeat):
        then = search_and_filter if i == repeat - 1 else None
        if baseline:
            times[baseline].append(first_chart(root, repo=baseline, then=then))
        times[REPO].append(first_chart(root, then=then))
    for repo, runs in times.items():
        walls, cpus = [wall for wall, _ in runs], [cpu for _, cpu in runs]
        print(f"browser{'' if repo == REPO else f' [{repo.name}]'}: first chart, median of {repeat}: "
              f"{statistics.median(walls):.2f} s ({' '.join(f'{t:.2f}' for t in walls)}); server CPU until "
              f"drawn {statistics.median(cpus):.2f} s ({' '.join(f'{t:.2f}' for t in cpus)})")


def chart_libraries(root: Path, repeat: int) -> None:
    """The Overview's bars in Plotly and in Vega-Lite: navigation to chart drawn, fresh browser each."""
    if not _browser_ready():
        return
    port = free_port()
    env = dict(os.environ, PYTHONPATH=str(REPO))
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(CHART_PAGE), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
         "--", str(root)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    libraries = ("plotly", "vega-lite")
    times: dict[str, list[float]] = {lib: [] for lib in libraries}
    try:
        wait_healthy(port, server)
        for round_ in range(repeat + 1):  # round 0 warms the server (data cached, modules imported)
            for lib in libraries:
                with chromium() as driver:
                    driver.get("about:blank")
                    watch_for_chart(driver)
                    time.sleep(BROWSER_SETTLE)
                    start = time.time()
                    driver.get(f"http://127.0.0.1:{port}/?lib={lib}")
                    drawn = wait_drawn(driver)
                    if round_:
                        times[lib].append(drawn - start)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
    for lib in libraries:
        print(f"chart library: {lib:9s} navigation -> chart drawn, median of {repeat}: "
              f"{statistics.median(times[lib]):.2f} s ({' '.join(f'{t:.2f}' for t in times[lib])})")


def _process_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def script_runs(root: Path) -> None:
    """Server-side time of the page script (no browser): the first run, and filter changes.
    With each, the CPU time of this process meanwhile (the page script's thread, and the texts
    copied and facts kept in the background once the first page has run)."""
    from streamlit.testing.v1 import AppTest

    sys.argv = ["app.py", "--workspace", str(root)]
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=300)
    start, cpu = time.perf_counter(), _process_cpu()
    at.run()
    print(f"script: first run (open the store, overview queries) {time.perf_counter() - start:.2f} s, "
          f"CPU {_process_cpu() - cpu:.2f} s")
    at.radio(key="section").set_value("Documents").run()
    steps = [("search 口罩", lambda: at.text_input(key="documents_query").input("口罩")),
             ("+ sentiment=negative", lambda: at.multiselect(key="documents_labels").set_value(["negative"])),
             ("+ topic 0", lambda: at.multiselect(key="documents_topics").set_value([0])),
             ("page 2", lambda: at.number_input(key="documents_page").set_value(2))]
    steps += [("Topics: a topic's posts", lambda: at.radio(key="section").set_value("Topics")),
              ("posts: most negative", lambda: at.selectbox(key="topics_posts_sort").set_value("negative")),
              ("posts: + sentiment", lambda: at.multiselect(key="topics_posts_labels").set_value(["negative"]))]
    for name, step in steps:
        step()
        start, cpu = time.perf_counter(), _process_cpu()
        at.run()
        assert not at.exception, at.exception
        print(f"script: {name:22s} rerun {time.perf_counter() - start:.2f} s, CPU {_process_cpu() - cpu:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description="Explorer speed: first chart, filters, queries.")
    parser.add_argument("workspace", nargs="?", type=Path,
                        help="an existing workspace (e.g. made by `opinion run`); default: build the Weibo one")
    parser.add_argument("--repeat", type=int, default=3, help="browser runs to take the median of (default 3)")
    parser.add_argument("--baseline", type=Path, help="another checkout (e.g. `git worktree add /tmp/before "
                        "COMMIT`) whose first chart is timed in turn with this one's")
    args = parser.parse_args()
    if args.workspace:
        workspace = Workspace.open(args.workspace)
    else:
        workspace = build(Path(__file__).resolve().parent / "out" / "weibo-explore-ws")
    print(f"workspace: {workspace.root}")
    if ExploreStore.open(workspace.root, texts_in_memory=False).per_period().empty:  # no texts copy here
        parser.exit(2, f"{workspace.root}: no document has a date, so the Overview draws no chart to time; "
                       "load the corpus with --date-col COLUMN or --date-from-filename (--year 2020 for "
                       "the Weibo files)\n")
    print(f"machine: {os.cpu_count()} cores; load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    browser(workspace.root, args.repeat, args.baseline.resolve() if args.baseline else None)
    chart_libraries(workspace.root, args.repeat)
    script_runs(workspace.root)
    query_layer(workspace.root)
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
