"""The screenshot tools' page helpers (tools/explorer_browser.py, tools/screenshot_explorer.py),
without a browser: the page's words in any script or language, URLs that keep ``?lang=en``."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
from explorer_browser import ui_pattern, ui_text, with_query  # noqa: E402
from screenshot_explorer import shot_suffix  # noqa: E402

from opinion.i18n import text


@pytest.mark.parametrize("script, lang, shown", [
    ("zh-Hans", "zh", "244 篇文档匹配（不含重复与垃圾帖）· 第 1 / 13 页"),
    ("zh-Hant-TW", "zh", "244 篇文件匹配（不含重複與垃圾貼文）· 第 1 / 13 頁"),
    ("zh-Hans", "en", "1,244 documents match (duplicates and spam excluded) · page 1 of 13"),
])
def test_ui_pattern_matches_the_count_line_as_the_page_shows_it(script, lang, shown):
    found = re.search(ui_pattern("documents.matches", script, lang=lang, total=r"([\d,]+)"), f"页首\n{shown}\n")
    assert found and found.group(1) in ("244", "1,244")


def test_ui_text_drops_markdown_bold_and_follows_the_script():
    assert ui_text("section.documents", "zh-Hant-TW") == "文件"
    assert "**" in text("drill.matches") and "**" not in ui_text("drill.matches")


def test_with_query_keeps_the_language_the_server_asked_for():
    assert with_query("http://127.0.0.1:8501/?lang=en", section="Topics") == \
        "http://127.0.0.1:8501/?lang=en&section=Topics"
    assert with_query("http://127.0.0.1:8501/", script="zh-Hant-TW") == "http://127.0.0.1:8501/?script=zh-Hant-TW"


def test_shot_suffix_names_only_what_differs_from_the_default_page():
    assert [shot_suffix(s, "zh") for s in ("zh-Hans", "zh-Hant-TW", "zh-HK")] == ["", "-hant", "-hk"]
    assert shot_suffix("zh-Hant-TW", "en") == "-en"
