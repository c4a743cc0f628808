"""The Overview's elements with none of its work, for ``explorer_floor.py``: the same sidebar
radios, eight metrics, documents-per-day bars (an Arrow table, as Streamlit sends it),
two Markdown tables and four download buttons, drawn from a JSON file of the workspace's
numbers. No pandas, no DuckDB, no opinion modules are imported.

Run: ``python benchmarks/_overview_floor_page.py PORT DATA.json`` (it starts Streamlit the way
``opinion explore`` does: without Plotly, the component scan or the direct-run check).
"""

from __future__ import annotations

import datetime
import json
import sys
from pathlib import Path

PAGE_FLAG = "--page"


def page(data_file: str) -> None:
    import pyarrow as pa
    import streamlit as st

    st.set_page_config(page_title="舆情分析浏览器", layout="wide")
    data = json.loads(Path(data_file).read_text(encoding="utf-8"))
    with st.sidebar:
        st.radio("文字 Script", ["简体", "繁體（台灣）", "繁體（香港）"], key="script")
        st.radio("界面语言 · Language", ["中文", "English"], key="lang", horizontal=True)
        st.title("舆情分析浏览器")
        st.radio("栏目", ["概览", "主题", "议题", "情绪", "文档", "对比", "词语"], key="section")
    st.header("概览")
    cards = list(data["overview"].items())
    for row in (cards[:4], cards[4:8]):
        for card, (name, value) in zip(st.columns(4), row):
            card.metric(name, value)
    days = [datetime.datetime.fromisoformat(day) for day in data["per_period"]["period"]]
    bars = pa.table({"period": days, "end": [day + datetime.timedelta(days=1) for day in days],
                     "documents": data["per_period"]["documents"]})
    st.vega_lite_chart(bars, {"title": "每日文档数", "height": 300, "mark": {"type": "bar", "tooltip": True},
                              "encoding": {"x": {"field": "period", "type": "temporal"}, "x2": {"field": "end"},
                                           "y": {"field": "documents", "type": "quantitative"},
                                           "y2": {"datum": 0}}})
    for column, (name, rows) in zip(st.columns(2), (("来源", data["sources"]), ("文字构成", data["scripts"]))):
        with column:
            st.subheader(name)
            box = st.container(height=400) if len(rows) > 10 else st.container()
            box.markdown("\n".join([f"| {name} | 文档数 |", "| :-- | --: |", *(f"| {a} | {b} |" for a, b in rows)]))
            buttons = st.container(horizontal=True)
            buttons.download_button("CSV", data="-", file_name=f"{name}.csv", icon=":material/download:")
            buttons.download_button("XLSX", data="-", file_name=f"{name}.xlsx", icon=":material/download:")


def serve(port: str, data_file: str) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from opinion.cli.explore_cmd import _no_component_scan, _no_direct_run_check, _plotly_hidden

    with _plotly_hidden():
        from streamlit.web import cli as streamlit_cli
    _no_component_scan()
    _no_direct_run_check()
    streamlit_cli.main.main(args=["run", __file__, "--server.address", "127.0.0.1", "--server.port", port,
                                  "--server.headless", "true", "--browser.gatherUsageStats", "false",
                                  "--server.fileWatcherType", "none", "--client.toolbarMode", "viewer",
                                  "--", PAGE_FLAG, data_file], prog_name="streamlit", standalone_mode=False)


if PAGE_FLAG in sys.argv:  # run by Streamlit as the page
    page(sys.argv[sys.argv.index(PAGE_FLAG) + 1])
elif __name__ == "__main__":
    serve(sys.argv[1], sys.argv[2])
