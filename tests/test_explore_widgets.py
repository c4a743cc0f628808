"""The explorer's table helpers: spreadsheet-safe downloads and script rendering of tables."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd

from opinion.explore.widgets import render_frame, to_csv_bytes, to_xlsx_bytes


def test_downloads_neutralise_formulas_and_keep_chinese():
    frame = pd.DataFrame({"text_norm": ['=HYPERLINK("http://evil.example/x","点我领口罩")', "国货"],
                          "top_terms": [["口罩", "防护"], ["直播"]], "score": [-3.5, 0.7]})
    csv_text = to_csv_bytes(frame).decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_text and "口罩 防护" in csv_text and "-3.5" in csv_text
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(frame))).active
    assert sheet["A2"].value.startswith("'=HYPERLINK") and sheet["A3"].value == "国货"
    assert sheet["C2"].value == -3.5


def test_render_frame_converts_labels_terms_and_texts_only():
    frame = pd.DataFrame({"label": ["1_直播_带货_国货"], "top_terms": [["国货", "直播"]],
                          "text_norm": ["国货与非遗的结合受到欢迎"], "source": ["news-cn"], "size": [4]})
    shown = render_frame(frame, "zh-HK")
    assert shown.loc[0, "label"] == "1_直播_帶貨_國貨"
    assert shown.loc[0, "top_terms"] == ["國貨", "直播"]
    assert shown.loc[0, "text_norm"] == "國貨與非遺的結合受到歡迎"
    assert shown.loc[0, "source"] == "news-cn" and shown.loc[0, "size"] == 4
    assert render_frame(frame, "zh-Hans") is frame
