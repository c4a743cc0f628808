"""Screenshot every section of `opinion explore` on a workspace (for docs/img/explorer-*.png).

Usage:
    python3 tools/screenshot_explorer.py WORKSPACE OUTDIR [--script zh-Hans] [--lang zh]
        [--sections overview,topics,...] [--search 口罩] [--kwic 口罩] [--words]

Starts ``python3 -m opinion explore -w WORKSPACE`` on a free port of 127.0.0.1, picks the
script (简体 by default; 繁體（台灣）, 繁體（香港）) and the interface language (Chinese by
default, or English), visits Overview, Topics, Themes (with a KWIC term), Emotions, Documents
(with a search) and Compare in headless Chromium, and writes ``explorer-SECTION.png`` to
OUTDIR; another script or language adds a suffix (``explorer-documents-hant.png``,
``-hk``, ``-en``). The docs' images come from the demo workspace::

    python3 -m opinion run corpora/demo -w /tmp/shots/demo --date-from-filename
    python3 tools/screenshot_explorer.py /tmp/shots/demo docs/img
    python3 tools/screenshot_explorer.py /tmp/shots/demo docs/img --script zh-Hant-TW --sections documents
    python3 tools/screenshot_explorer.py /tmp/shots/demo docs/img --words

``--words`` takes the Words section instead: the network and a word cloud, in Simplified
and Traditional (``explorer-words-{network,cloud}-{hans,hant}.png``).

Needs what ``tools/explorer_browser.py`` needs: chromium, chromium-driver, selenium, fonts-noto-cjk.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from opinion.explore.text import SCRIPT_NAMES  # the sidebar's script options (简体, 繁體（台灣）, …)

sys.path.insert(0, str(Path(__file__).resolve().parent))
from explorer_browser import (  # noqa: E402
    chromium,
    click_option,
    save_png,
    serve_explorer,
    settle,
    type_into,
    ui_pattern,
    ui_text,
    wait_for_text,
)

SECTIONS = ("overview", "topics", "themes", "emotions", "documents", "compare")
SCRIPT_SUFFIXES = {"zh-Hans": "", "zh-Hant-TW": "-hant", "zh-HK": "-hk"}


def shot_suffix(script: str, lang: str) -> str:
    """The file-name suffix of a shot: none for the default 简体 Chinese page, ``-hant``, ``-hk`` or ``-en``.

    >>> shot_suffix("zh-Hans", "zh"), shot_suffix("zh-Hant-TW", "zh"), shot_suffix("zh-Hans", "en")
    ('', '-hant', '-en')
    """
    return "-en" if lang == "en" else SCRIPT_SUFFIXES[script]


def _wait_for_pattern(driver, pattern: str, *, timeout: float = 60) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, timeout).until(
        lambda d: re.search(pattern, d.find_element(By.TAG_NAME, "body").text),
        message=f"page never matched {pattern!r}")


def _wait_for_page(driver, lang: str) -> None:
    """Block until the sidebar shows, in whichever script the page opens (the workspace's last
    display script, 简体 on a new one): ``文档`` or ``文件``."""
    labels = {ui_text("section.documents", script, lang=lang) for script in SCRIPT_NAMES}
    _wait_for_pattern(driver, "|".join(re.escape(label) for label in sorted(labels)))
    settle(driver)  # the first run may still be drawing the sidebar


def _match_count(driver, pattern: str) -> str | None:
    from selenium.webdriver.common.by import By

    found = re.search(pattern, driver.find_element(By.TAG_NAME, "body").text)
    return found.group(1) if found else None


def _open_section(driver, section: str, script: str, lang: str) -> None:
    click_option(driver, "section", ui_text(f"section.{section}", script, lang=lang))


def screenshot_explorer(workspace: Path, outdir: Path, *, script: str = "zh-Hans", lang: str = "zh",
                        sections: tuple[str, ...] = SECTIONS, search: str = "口罩", kwic: str = "口罩",
                        window_size: str = "1400,2000") -> list[Path]:
    """Write a PNG of each of ``sections`` of ``workspace`` to ``outdir``; return their paths.

    Example: ``screenshot_explorer(Path("/tmp/shots/demo"), Path("docs/img"), script="zh-Hant-TW",
    sections=("documents",))`` writes ``docs/img/explorer-documents-hant.png``.
    """
    if not workspace.is_dir():
        raise SystemExit(f"{workspace}: no such workspace; build one with `python3 -m opinion run CORPUS -w {workspace}`")
    if unknown := sorted(set(sections) - set(SECTIONS)):
        raise SystemExit(f"unknown section(s) {unknown}; choose from {list(SECTIONS)}")
    outdir.mkdir(parents=True, exist_ok=True)
    suffix = shot_suffix(script, lang)
    shots = []
    say = {"script": script, "lang": lang}
    with serve_explorer(workspace, lang=lang) as url, chromium(window_size=window_size) as driver:
        driver.get(url)
        _wait_for_page(driver, lang)
        click_option(driver, "script", SCRIPT_NAMES[script])
        wait_for_text(driver, ui_text("overview.script_mix", **say))
        for section in (s for s in SECTIONS if s in sections):
            _open_section(driver, section, **say)
            if section == "overview":
                wait_for_text(driver, ui_text("overview.script_mix", **say))
            elif section == "topics":
                wait_for_text(driver, ui_text("topics.representative", **say))
            elif section == "themes":
                wait_for_text(driver, ui_text("kwic.title", **say))
                type_into(driver, ".st-key-themes_kwic_term input", kwic)
                _wait_for_pattern(driver, ui_pattern("kwic.lines", **say, n=r"\d[\d,]*"))
            elif section == "emotions":
                wait_for_text(driver, ui_text("emotions.share", **say))
            elif section == "documents":
                count = ui_pattern("documents.matches", **say, total=r"([\d,]+)")
                _wait_for_pattern(driver, count)
                settle(driver)
                unfiltered = _match_count(driver, count)
                type_into(driver, ".st-key-documents_query input", search)
                _wait_for_pattern(driver, count)
                settle(driver)
                if _match_count(driver, count) == unfiltered:
                    print(f"warning: searching {search!r} left {unfiltered} documents: was the search applied?",
                          file=sys.stderr)
            elif section == "compare":  # or the note of a workspace with no two groups
                nothing = re.split("[：:]", ui_text("compare.nothing", **say))[0]
                _wait_for_pattern(driver, "|".join(map(re.escape, (ui_text("compare.topic_shares", **say),
                                                                  nothing))))
            settle(driver)
            shots.append(outdir / f"explorer-{section}{suffix}.png")
            save_png(driver, shots[-1])
    return shots


def screenshot_words(workspace: Path, outdir: Path, *, lang: str = "zh", window_size: str = "1400,1500") -> list[Path]:
    """The Words section's network and word cloud, in Simplified and in Traditional (Taiwan):
    ``explorer-words-{network,cloud}-{hans,hant}.png`` (``-en`` added for the English interface)."""
    outdir.mkdir(parents=True, exist_ok=True)
    shots = []
    english = "-en" if lang == "en" else ""
    with serve_explorer(workspace, lang=lang) as url, chromium(window_size=window_size) as driver:
        driver.get(url)
        _wait_for_page(driver, lang)
        for script, suffix in (("zh-Hans", "hans"), ("zh-Hant-TW", "hant")):
            say = {"script": script, "lang": lang}
            click_option(driver, "script", SCRIPT_NAMES[script])
            settle(driver)
            _open_section(driver, "words", **say)
            wait_for_text(driver, ui_text("words.keywords_of", **say))  # the first view
            click_option(driver, "words_view", ui_text("words.network", **say))
            _wait_for_pattern(driver, ui_pattern("words.network_note", **say))
            settle(driver)
            shots.append(outdir / f"explorer-words-network-{suffix}{english}.png")
            save_png(driver, shots[-1])
            click_option(driver, "words_view", ui_text("words.cloud", **say))
            wait_for_text(driver, ui_text("words.cloud_for", **say))
            settle(driver)
            click_option(driver, "words_cloud_by", ui_text("drill.period", **say))
            _wait_for_pattern(driver, ui_pattern("words.cloud_caption", **say, group=r"\d{4}-\d\d-\d\d"))  # a period's
            settle(driver)
            shots.append(outdir / f"explorer-words-cloud-{suffix}{english}.png")
            save_png(driver, shots[-1])
            click_option(driver, "words_view", ui_text("words.keywords", **say))
            wait_for_text(driver, ui_text("words.keywords_of", **say))
    return shots


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workspace", type=Path)
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--script", default="zh-Hans", choices=list(SCRIPT_NAMES), help="the sidebar's script switch")
    parser.add_argument("--lang", default="zh", choices=["zh", "en"], help="the interface language")
    parser.add_argument("--sections", default=",".join(SECTIONS), help="comma-separated sections to take")
    parser.add_argument("--search", default="口罩", help="term typed into the Documents search")
    parser.add_argument("--kwic", default="口罩", help="term typed into the Themes keyword-in-context box")
    parser.add_argument("--window-size", default="1400,2000", help="browser window as W,H pixels")
    parser.add_argument("--words", action="store_true", help="only the Words section (network, word cloud)")
    args = parser.parse_args()
    if args.words:
        for path in screenshot_words(args.workspace, args.outdir, lang=args.lang):
            print(path)
        return
    for path in screenshot_explorer(args.workspace, args.outdir, script=args.script, lang=args.lang,
                                    sections=tuple(args.sections.split(",")), search=args.search,
                                    kwic=args.kwic, window_size=args.window_size):
        print(path)


if __name__ == "__main__":
    main()
