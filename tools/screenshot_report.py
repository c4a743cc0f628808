"""Render an HTML report to PNG with headless Chromium (for docs/img/report.png).

Usage:
    python3 tools/screenshot_report.py REPORT.html OUT.png [--width 1280] [--height 2400]

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
    return png


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report", type=Path)
    parser.add_argument("png", type=Path)
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=2400)
    args = parser.parse_args()
    print(screenshot(args.report, args.png, width=args.width, height=args.height))


if __name__ == "__main__":
    main()
