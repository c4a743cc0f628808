"""The opinion explorer: ``streamlit run app.py -- --workspace WS`` (or ``opinion explore -w WS``).

Thin on purpose: reading lives in ``opinion/explore/data.py``, drawing in
``opinion/explore/sections/``.
"""

from opinion.explore.app import main

main()
