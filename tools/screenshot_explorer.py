"""Screenshot every section of `opinion explore` on a workspace (for docs/img/explorer-*.png).

Usage:
    python3 tools/screenshot_explorer.py WORKSPACE OUTDIR [--search 口罩] [--kwic 口罩]

Starts ``python3 -m opinion explore -w WORKSPACE`` on a free port of 127.0.0.1, switches the
script to 繁體（台灣）, visits Overview, Topics, Themes (with a KWIC term), Documents (with a
search) and Compare in headless Chromium, and writes ``explorer-{overview,topics,themes,
documents,compare}.png`` to OUTDIR. The docs' images come from the demo workspace::

    python3 -m opinion run corpora/demo -w /tmp/shot-demo --date-from-filename
    python3 tools/screenshot_explorer.py /tmp/shot-demo docs/img

``--words`` takes the Words section instead: the network and a word cloud, in Simplified
and Traditional (``explorer-words-{network,cloud}-{hans,hant}.png``).

Needs what ``tools/explorer_browser.py`` needs: chromium, chromium-driver, selenium, fonts-noto-cjk.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from explorer_browser import chromium, click_option, serve_explorer, settle, type_into, wait_for_text  # noqa: E402

SECTIONS = ("overview", "topics", "themes", "documents", "compare")


def _wait_for_pattern(driver, pattern: str, *, timeout: float = 60) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, timeout).until(
        lambda d: re.search(pattern, d.find_element(By.TAG_NAME, "body").text),
        message=f"page never matched {pattern!r}")


def _match_count(driver) -> str | None:
    from selenium.webdriver.common.by import By

    found = re.search(r"([\d,]+) documents match", driver.find_element(By.TAG_NAME, "body").text)
    return found.group(1) if found else None


def screenshot_explorer(workspace: Path, outdir: Path, *, search: str = "口罩", kwic: str = "口罩",
                        window_size: str = "1400,2000") -> list[Path]:
    """Write the five section PNGs of ``workspace`` to ``outdir``; return their paths."""
    if not workspace.is_dir():
        raise SystemExit(f"{workspace}: no such workspace; build one with `python3 -m opinion run CORPUS -w {workspace}`")
    outdir.mkdir(parents=True, exist_ok=True)
    shots = {name: outdir / f"explorer-{name}.png" for name in SECTIONS}
    with serve_explorer(workspace) as url, chromium(window_size=window_size) as driver:
        driver.get(url)
        wait_for_text(driver, "Documents")
        click_option(driver, "script", "繁體（台灣）")
        settle(driver)
        driver.save_screenshot(str(shots["overview"]))

        click_option(driver, "section", "Topics")
        wait_for_text(driver, "Representative posts")
        settle(driver)
        driver.save_screenshot(str(shots["topics"]))

        click_option(driver, "section", "Themes")
        wait_for_text(driver, "Keyword in context")
        type_into(driver, ".st-key-themes_kwic_term input", kwic)
        _wait_for_pattern(driver, r"\d[\d,]* lines")
        settle(driver)
        driver.save_screenshot(str(shots["themes"]))

        click_option(driver, "section", "Documents")
        wait_for_text(driver, "documents match")
        settle(driver)
        unfiltered = _match_count(driver)
        type_into(driver, ".st-key-documents_query input", search)
        _wait_for_pattern(driver, r"[\d,]+ documents match")
        settle(driver)
        if _match_count(driver) == unfiltered:
            print(f"warning: searching {search!r} left {unfiltered} documents: was the search applied?", file=sys.stderr)
        driver.save_screenshot(str(shots["documents"]))

        click_option(driver, "section", "Compare")
        wait_for_text(driver, "Topic shares")
        settle(driver)
        driver.save_screenshot(str(shots["compare"]))
    return list(shots.values())


def screenshot_words(workspace: Path, outdir: Path, *, window_size: str = "1400,1500") -> list[Path]:
    """The Words section's network and word cloud, in Simplified and in Traditional (Taiwan):
    ``explorer-words-{network,cloud}-{hans,hant}.png``."""
    outdir.mkdir(parents=True, exist_ok=True)
    shots = []
    with serve_explorer(workspace) as url, chromium(window_size=window_size) as driver:
        driver.get(url)
        wait_for_text(driver, "Documents")
        click_option(driver, "section", "Words")
        wait_for_text(driver, "Keywords of each")  # the first view
        for label, suffix in (("简体", "hans"), ("繁體（台灣）", "hant")):
            click_option(driver, "script", label)
            settle(driver)
            click_option(driver, "words_view", "Network")
            _wait_for_pattern(driver, r"Louvain communities")
            settle(driver)
            shots.append(outdir / f"explorer-words-network-{suffix}.png")
            driver.save_screenshot(str(shots[-1]))
            click_option(driver, "words_view", "Word cloud")
            wait_for_text(driver, "One cloud for")
            settle(driver)
            click_option(driver, "words_cloud_by", "Period")
            _wait_for_pattern(driver, r"stopwords removed")
            settle(driver)
            shots.append(outdir / f"explorer-words-cloud-{suffix}.png")
            driver.save_screenshot(str(shots[-1]))
            click_option(driver, "words_view", "Keywords")
            wait_for_text(driver, "Keywords of each")
    return shots


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workspace", type=Path)
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--search", default="口罩", help="term typed into the Documents search")
    parser.add_argument("--kwic", default="口罩", help="term typed into the Themes keyword-in-context box")
    parser.add_argument("--window-size", default="1400,2000", help="browser window as W,H pixels")
    parser.add_argument("--words", action="store_true", help="only the Words section (network, word cloud)")
    args = parser.parse_args()
    if args.words:
        for path in screenshot_words(args.workspace, args.outdir):
            print(path)
        return
    for path in screenshot_explorer(args.workspace, args.outdir, search=args.search, kwic=args.kwic,
                                    window_size=args.window_size):
        print(path)


if __name__ == "__main__":
    main()
