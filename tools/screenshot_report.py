"""Render an HTML report to PNG with headless Chromium (for docs/img/report.png).

Usage:
    python3 tools/screenshot_report.py REPORT.html OUT.png [--width 1280] [--height 2400]
    python3 tools/screenshot_report.py REPORT.html OUT.png --section keywords [--width 1280]

The first form shoots the top of the page; ``--section ID`` shoots one section whole, its
folded parts opened
(``overview``, ``topics``, ``topic_trends``, ``sentiment``, ``themes``, ``keywords``,
``sources``, ``run``) through selenium, as ``tools/explorer_browser.py`` drives Chromium.
The docs' images::

    python3 tools/screenshot_report.py /tmp/shots/demo/export/report.html docs/img/report.png
    python3 -m opinion export -w /tmp/shots/demo --out /tmp/shots/demo-hant --format html --script zh-Hant-TW
    python3 tools/screenshot_report.py /tmp/shots/demo-hant/report.html docs/img/report-words.png --section keywords

Needs a Chromium binary (``apt-get install -y chromium``) and a CJK font
(``apt-get install -y fonts-noto-cjk``) so Chinese does not show as boxes. Nothing is
fetched from the network: the report is self-contained and the flags below switch off
Chromium's own background traffic.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def find_browser() -> str:
    for name in BROWSERS:
        if path := shutil.which(name):
            return path
    sys.exit("no Chromium found; install it with: apt-get install -y chromium")


def screenshot(report: Path, png: Path, *, width: int = 1280, height: int = 2400) -> Path:
    """Write a PNG of the first ``width`` × ``height`` pixels of ``report``."""
    png.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([
            find_browser(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--hide-scrollbars", f"--user-data-dir={profile}",
            "--virtual-time-budget=15000",  # let Plotly draw before the shot
            f"--screenshot={png.resolve()}", f"--window-size={width},{height}",
            report.resolve().as_uri(),
        ], check=True, capture_output=True, timeout=180)
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from explorer_browser import shrink_png

    return shrink_png(png)


def screenshot_section(report: Path, png: Path, section: str, *, width: int = 1280) -> Path:
    """Write a PNG of the section with id ``section`` of ``report`` (e.g. ``keywords``), whole, with
    its folded parts (tables, word clouds) opened."""
    from selenium.common.exceptions import NoSuchElementException
    from selenium.webdriver.common.by import By

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from explorer_browser import chromium, save_png

    png.parent.mkdir(parents=True, exist_ok=True)
    with chromium(window_size=f"{width},1000") as driver:
        driver.get(report.resolve().as_uri())
        try:
            element = driver.find_element(By.ID, section)
        except NoSuchElementException:
            ids = driver.execute_script("return [...document.querySelectorAll('section[id]')].map(e => e.id)")
            raise SystemExit(f"{report}: no section {section!r}; the sections are {ids}") from None
        driver.execute_script("arguments[0].querySelectorAll('details').forEach(d => d.open = true);", element)
        time.sleep(3)  # Plotly draws after the load event, and the opened parts after that
        height = driver.execute_script("return Math.ceil(arguments[0].getBoundingClientRect().height);", element)
        driver.set_window_size(width, height + 300)  # an element is shot only as far as the window reaches
        driver.execute_script("arguments[0].scrollIntoView();", element)
        time.sleep(1)
        save_png(element, png)
    return png


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report", type=Path)
    parser.add_argument("png", type=Path)
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=2400)
    parser.add_argument("--section", help="the id of one section to shoot whole, e.g. keywords")
    args = parser.parse_args()
    if args.section:
        print(screenshot_section(args.report, args.png, args.section, width=args.width))
        return
    print(screenshot(args.report, args.png, width=args.width, height=args.height))


if __name__ == "__main__":
    main()
