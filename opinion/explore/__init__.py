"""The explorer: a Streamlit page over one workspace (``opinion explore -w WS``).

``facts`` opens the workspace in DuckDB (views and the in-memory ``facts`` table; no
pandas, so ``opinion explore`` builds it while the server starts), ``data.ExploreStore``
holds the read-only queries over it, ``text`` the 简/繁 rendering and
safe Markdown, ``sections`` one ``render_*`` function per page section, and ``app.main``
draws the page. Nothing here recomputes analysis.
"""
