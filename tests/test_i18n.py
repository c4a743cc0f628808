"""Interface text in Taiwan and Hong Kong wording (opinion.i18n)."""

from __future__ import annotations

import re

import pytest

from opinion.i18n import MESSAGES, text

# mainland words a Taiwan (Hong Kong) reader writes otherwise, in their OpenCC form
MAINLAND = {"zh-Hant-TW": ["運行", "信息", "數據", "默認", "字符", "文檔", "保存", "打開", "導出", "模板", "視圖",
                           "搜索", "界面", "網絡", "帖子"],
            "zh-HK": ["默認", "字符", "搜索", "界面", "帖子"]}


@pytest.mark.parametrize("message_id, script, expected", [
    ("report.run", "zh-Hant-TW", "執行資訊"),
    ("report.no_data", "zh-Hant-TW", "無資料"),
    ("app.needs", "zh-Hant-TW", "需要 `{table}`：請先執行 `{command} -w {root}`。"),
    ("report.run_note", "zh-Hant-TW", "參數、版本、輸入檔案與定義；逐文件結果見 documents.csv 或 report.xlsx。"),
    ("overview.sources_help", "zh-Hant-TW", "沒有來源的文件按其輸入檔名計，或計為 {none}。"),
    ("overview.rejects_help", "zh-Hant-TW", "rejects.csv 中無法載入的行（檔案、行號與原因）。"),
    ("report.period.week", "zh-Hant-TW", "週（週一至週日）"),
    ("flags.duplicates_help", "zh-HK", "文字與較早貼文完全相同的貼文。列表預設不含。"),
    ("definition.excerpt", "zh-HK", "text_clean（沒有則 text_raw）的前 80 個字元，寫在一行：按文檔自身的文字寫出，"
                                    "報告所用文字不同時轉換"),
])
def test_i18n_regional_wording(message_id: str, script: str, expected: str) -> None:
    """h47 i18n 7: the run heading read 運行信息, 無數據 and 請先運行 in Taiwan, and one 文件 meant
    both "input files" and "per document"; Hong Kong read 默認 and 字符."""
    assert text(message_id, script) == expected


@pytest.mark.parametrize("script", ["zh-Hant-TW", "zh-HK"])
def test_i18n_no_message_keeps_mainland_wording(script: str) -> None:
    left = {key: word for key in MESSAGES for word in MAINLAND[script] if word in text(key, script)}
    assert left == {}


def test_i18n_taiwan_file_and_document_are_two_words() -> None:
    """In Taiwan a file is 檔案 and a document 文件: no message says 文件 for a file."""
    for key, (_, english) in MESSAGES.items():
        shown = text(key, "zh-Hant-TW")
        if re.search(r"\bfiles?\b", english) and "document" not in english:
            assert "文件" not in shown, key
        if "檔" in shown:
            assert re.search(r"\bfiles?\b", english), key
