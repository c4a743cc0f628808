"""`opinion explore -w WS [--port N]`: the Streamlit explorer on 127.0.0.1."""

from __future__ import annotations

import contextlib
import importlib.abc
import logging
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer

from opinion.cli.common import WorkspaceOpt, handle_errors
from opinion.errors import OpinionError
from opinion.io.workspace import Workspace

PACKAGE_DIR = Path(__file__).resolve().parents[1]  # .../opinion
WARM_THREAD = "opinion-explore-warm"


def app_script() -> Path:
    """The page to run: the repo's ``app.py`` in a checkout or editable install, else the packaged one."""
    repo_app = PACKAGE_DIR.parent / "app.py"
    if repo_app.is_file() and (PACKAGE_DIR.parent / "pyproject.toml").is_file():
        return repo_app
    return PACKAGE_DIR / "explore" / "app.py"


def streamlit_args(workspace: Path, *, port: int = 8501, host: str = "127.0.0.1") -> list[str]:
    """Arguments of ``streamlit run`` for ``workspace``: local, headless, no usage statistics."""
    return ["run", str(app_script()),
            "--server.address", host, "--server.port", str(port), "--server.headless", "true",
            "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
            "--client.toolbarMode", "viewer",
            "--", "--workspace", str(workspace)]


def explore_command(workspace: Path, *, port: int = 8501, host: str = "127.0.0.1") -> list[str]:
    """The equivalent shell command line (``python -m streamlit run app.py ...``)."""
    return [sys.executable, "-m", "streamlit", *streamlit_args(workspace, port=port, host=host)]


def check_workspace(workspace: Path, *, port: int = 8501) -> Path:
    """The absolute workspace folder; one-line errors for a missing workspace or a bad port."""
    root = Path(workspace).expanduser().resolve()
    Workspace.open(root)
    if not 1 <= port <= 65535:
        raise OpinionError(f"--port must be between 1 and 65535; got {port}")
    return root


def wait_healthy(host: str, port: int, *, timeout: float = 60.0) -> bool:
    """Block until Streamlit's health check on ``host:port`` answers 200; whether it did in time."""
    import http.client

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        connection = http.client.HTTPConnection(host, port, timeout=1)
        try:
            connection.request("GET", "/_stcore/health")
            if connection.getresponse().status == 200:
                return True
        except OSError:
            pass
        finally:
            connection.close()
        time.sleep(0.02)
    return False


def _warm(root: Path, host: str, port: int) -> None:
    """Build the workspace's ``facts`` table while the server starts, then, once it answers,
    open the store on it and run the Overview's queries into the cache.

    The join runs in DuckDB, outside Python's interpreter lock, so it overlaps the server's
    start-up; pandas and the page's modules are imported only once the server answers, as
    the two threads share one interpreter lock. The first page view then finds the
    Overview's numbers cached, and only draws.
    """
    try:
        from opinion.explore.facts import connect

        db = connect(root, threads=1)
        wait_healthy(host, port)
        from opinion.explore.sections.overview import warm_overview
        from opinion.explore.widgets import open_store

        warm_overview(open_store(str(db.root), db.stamp, _db=db))
    except Exception:  # noqa: BLE001 - the page shows the same error itself, as one line
        pass


class _NoPlotly(importlib.abc.MetaPathFinder):
    """An import finder under which ``import plotly`` fails, as if Plotly were not installed."""

    def find_spec(self, name: str, path: object = None, target: object = None) -> None:
        if name == "plotly" or name.startswith("plotly."):
            raise ImportError(f"{name} is imported later (opinion explore)")


@contextlib.contextmanager
def _plotly_hidden() -> Iterator[None]:
    """Hide Plotly while Streamlit is imported.

    Streamlit imports Plotly at start-up only to register its Plotly theme (and skips that
    when Plotly is missing); the explorer's Overview draws no Plotly chart, so
    :func:`opinion.explore.widgets.plotly_theme` registers it later, off the first chart's path.
    """
    finder = _NoPlotly()
    sys.meta_path.insert(0, finder)
    try:
        yield
    finally:
        sys.meta_path.remove(finder)


def _no_component_scan() -> bool:
    """Skip Streamlit's scan of every installed package for custom components (0.3-0.5 s
    of start-up with 200 packages, more in a big environment): the explorer uses none.
    Whether the scan was found to skip (a later Streamlit may move it)."""
    try:
        from streamlit.components.v2 import manifest_scanner
    except ImportError:
        return False
    if not callable(getattr(manifest_scanner, "scan_component_manifests", None)):
        return False
    manifest_scanner.scan_component_manifests = _no_components
    return True


def _no_direct_run_check() -> bool:
    """Skip Streamlit's check, at the first element a process draws, for a script run without
    `streamlit run` (to print a warning): it calls ``inspect.stack()``, which reads the source
    of every frame and resolves the file of every loaded module, 0.1 s of the first page run.
    The explorer always runs under `streamlit run`. Whether the check was found to skip."""
    from streamlit import delta_generator

    if not isinstance(getattr(delta_generator, "_use_warning_has_been_displayed", None), bool):
        return False
    delta_generator._use_warning_has_been_displayed = True
    return True


def _no_components(max_workers: int | None = None) -> list:  # noqa: ARG001 - the scan's signature
    """No custom components (:func:`_no_component_scan`)."""
    return []


def run_explorer(workspace: Path, *, port: int = 8501, host: str = "127.0.0.1") -> None:
    """Serve the explorer for ``workspace`` until Ctrl+C or SIGTERM (``streamlit run``, in process).

    Running in this process lets the store (the in-memory ``facts`` table) be built while
    the server starts and the browser loads the page, instead of after it connects, and
    lets the server start without things the page never needs at its start: Plotly
    (:func:`_plotly_hidden`), the scan for custom components (:func:`_no_component_scan`) and,
    in the first page run, the check for a script run outside `streamlit run`
    (:func:`_no_direct_run_check`).
    """
    root = check_workspace(workspace, port=port)
    # Outside a page run Streamlit warns "missing ScriptRunContext": expected for this thread.
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(
        lambda record: record.threadName != WARM_THREAD)
    threading.Thread(target=_warm, args=(root, host, port), name=WARM_THREAD, daemon=True).start()
    with _plotly_hidden():
        from streamlit.web import cli as streamlit_cli
    _no_component_scan()
    _no_direct_run_check()
    streamlit_cli.main.main(args=streamlit_args(root, port=port, host=host), prog_name="streamlit",
                            standalone_mode=False)


def register(app: typer.Typer) -> None:
    """Add ``opinion explore`` to ``app``."""

    @app.command("explore")
    @handle_errors
    def explore(
        workspace: WorkspaceOpt,
        port: Annotated[int, typer.Option("--port", help="Port on 127.0.0.1 to serve the page on.")] = 8501,
    ) -> None:
        """Open the explorer for a workspace at http://127.0.0.1:PORT (Ctrl+C stops it)."""
        check_workspace(workspace, port=port)
        typer.echo(f"opinion explorer: http://127.0.0.1:{port}  (Ctrl+C to stop)", err=True)
        run_explorer(workspace, port=port)
