"""Screenshots of the views made for many topics, and the report's height (issue 17).

Usage:
    python3 tools/screenshot_topics.py WORKSPACE OUTDIR [--report REPORT.html] [--script zh-Hans] [--lang zh]

On a workspace with about 50 topics (``opinion run ... --nr-topics 50``), in the explorer's
Chinese interface (its default: 简体; ``--script zh-Hant-TW`` or ``zh-HK`` for 繁體, ``--lang en``
for English, each adding a suffix to the names as in ``screenshot_explorer.py``: ``-hant``,
``-hk``, ``-en``), writes to OUTDIR:

- ``explorer50-topic.png``: Topics, the largest topic followed to its posts (terms,
  documents and mean sentiment over time, sentiment, intertopic map, the sorted post list);
- ``explorer50-map.png``: the intertopic map alone (the whole labels that fit, the largest first);
- ``explorer50-period.png``: Topics by period: what rose and fell in the last period;
- ``explorer50-compare.png``: Compare, the topics ordered by change;
- ``report50.png``: the top of the HTML report (``--report``, default WORKSPACE/export/report.html;
  export another script's report with ``opinion export -w WS --format html --script zh-Hant-TW``),

and prints the report's full height in CSS pixels at 1400 px wide and in 1000-pixel screens.
Needs what ``tools/explorer_browser.py`` needs: chromium, chromium-driver, selenium, fonts-noto-cjk.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from explorer_browser import (  # noqa: E402
    chromium,
    click_option,
    save_png,
    serve_explorer,
    settle,
    ui_text,
    wait_for_text,
    with_query,
)
from screenshot_explorer import SCRIPT_NAMES, shot_suffix  # noqa: E402

WIDTH = 1400


def report_height(driver, report: Path) -> int:
    """The report's scroll height in CSS pixels, once its charts are drawn."""
    driver.set_window_size(WIDTH, 1000)
    driver.get(report.resolve().as_uri())
    time.sleep(3)  # Plotly draws after the load event
    return int(driver.execute_script("return document.documentElement.scrollHeight"))


def screenshot_topics(workspace: Path, outdir: Path, report: Path, *, script: str = "zh-Hans",
                      lang: str = "zh") -> dict[str, object]:
    """Write the PNGs to ``outdir``; return their paths and the report's height.

    Example: ``screenshot_topics(Path("/tmp/shots/weibo50"), Path("docs/img"),
    Path("/tmp/shots/weibo50/export/report.html"))`` writes ``docs/img/explorer50-topic.png`` and the rest.
    """
    from selenium.webdriver.common.by import By

    outdir.mkdir(parents=True, exist_ok=True)
    suffix = shot_suffix(script, lang)
    say = {"script": script, "lang": lang}
    shots: dict[str, object] = {}
    with serve_explorer(workspace, lang=lang) as url, chromium(window_size=f"{WIDTH},2600") as driver:
        driver.get(with_query(url, section="Topics", script=script))
        wait_for_text(driver, ui_text("topics.all_posts", **say))
        settle(driver)
        shots["topic"] = save_png(driver, outdir / f"explorer50-topic{suffix}.png")
        chart = driver.find_element(By.CSS_SELECTOR, ".st-key-topics_map")
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", chart)
        time.sleep(1)
        shots["map"] = save_png(chart, outdir / f"explorer50-map{suffix}.png")
        view = driver.find_element(By.CSS_SELECTOR, ".st-key-topics_view")  # Streamlit scrolls its main block,
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", view)  # not the window
        time.sleep(0.5)
        click_option(driver, "topics_view", ui_text("topics.by_period", **say))
        wait_for_text(driver, ui_text("period.movers", **say))
        settle(driver)
        shots["period"] = save_png(driver, outdir / f"explorer50-period{suffix}.png")
        click_option(driver, "section", ui_text("section.compare", **say))
        wait_for_text(driver, ui_text("compare.topic_shares", **say))
        settle(driver)
        shots["compare"] = save_png(driver, outdir / f"explorer50-compare{suffix}.png")
        shots["report_height"] = report_height(driver, report)
        driver.set_window_size(WIDTH, 2600)
        driver.get(report.resolve().as_uri())
        time.sleep(3)
        shots["report"] = save_png(driver, outdir / f"report50{suffix}.png")
    return shots


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workspace", type=Path)
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--report", type=Path, help="the HTML report (default: WORKSPACE/export/report.html)")
    parser.add_argument("--script", default="zh-Hans", choices=list(SCRIPT_NAMES), help="the sidebar's script switch")
    parser.add_argument("--lang", default="zh", choices=["zh", "en"], help="the interface language")
    args = parser.parse_args()
    report = args.report or args.workspace / "export" / "report.html"
    if not report.exists():
        raise SystemExit(f"{report}: no report; make one with `python3 -m opinion export -w {args.workspace} "
                         "--format html`")
    shots = screenshot_topics(args.workspace, args.outdir, report, script=args.script, lang=args.lang)
    for name, value in shots.items():
        print(f"{name}: {value}")
    height = int(shots["report_height"])  # type: ignore[call-overload]
    print(f"report height at {WIDTH} px wide: {height:,} px = {height / 1000:.1f} screens of 1000 px")


if __name__ == "__main__":
    main()
