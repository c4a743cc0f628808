"""A one-chart Streamlit page for ``explorer_speed.py``: the Overview's documents per period,
drawn with Plotly (``?lib=plotly``, as the Overview drew it until 2026-11-25) or with
Streamlit's built-in Vega-Lite (``?lib=vega-lite``, as it draws it now).

Run: ``streamlit run benchmarks/_chart_page.py -- WORKSPACE``. The counts come from the
workspace's corpus through DuckDB, cached after the first view.
"""

from __future__ import annotations

import sys

import pandas as pd
import streamlit as st

from opinion.explore.data import ExploreStore
from opinion.explore.sections.overview import per_period_spec, period_bars


@st.cache_data
def documents_per_period(root: str) -> tuple[pd.DataFrame, str]:
    store = ExploreStore.open(root, texts_in_memory=False)
    return store.per_period(), store.period


def main() -> None:
    frame, period = documents_per_period(sys.argv[-1])
    if st.query_params.get("lib") == "plotly":
        import plotly.express as px

        figure = px.bar(frame, x="period", y="documents", title=f"Documents per {period}")
        figure.update_layout(height=320, margin=dict(l=10, r=10, t=40, b=10))
        st.plotly_chart(figure)
    else:
        st.vega_lite_chart(period_bars(frame, period), per_period_spec(period))


main()
