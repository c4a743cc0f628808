"""The explorer: a Streamlit page over one workspace (``opinion explore -w WS``).

``data.ExploreStore`` holds the read-only DuckDB queries, ``text`` the 简/繁 rendering and
safe Markdown, ``sections`` one ``render_*`` function per page section, and ``app.main``
draws the page. Nothing here recomputes analysis.
"""
