"""`opinion explore -w WS [--port N]`: the Streamlit explorer on 127.0.0.1."""

from __future__ import annotations

import logging
import sys
import threading
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


def _warm(root: Path) -> None:
    """Open the workspace's store while the server starts, so the first page view finds it ready."""
    try:
        import opinion.explore.sections  # noqa: F401 - imports Plotly before the first page view
        from opinion.explore.widgets import current_store

        current_store(str(root))
    except Exception:  # noqa: BLE001 - the page shows the same error itself, as one line
        pass


def run_explorer(workspace: Path, *, port: int = 8501) -> None:
    """Serve the explorer for ``workspace`` until Ctrl+C or SIGTERM (``streamlit run``, in process).

    Running in this process lets the store (the in-memory ``facts`` table) be built while
    the server starts, instead of after the first browser connects.
    """
    root = check_workspace(workspace, port=port)
    from streamlit.web import cli as streamlit_cli

    # Outside a page run Streamlit warns "missing ScriptRunContext": expected for this thread.
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(
        lambda record: record.threadName != WARM_THREAD)
    threading.Thread(target=_warm, args=(root,), name=WARM_THREAD, daemon=True).start()
    streamlit_cli.main.main(args=streamlit_args(root, port=port), prog_name="streamlit", standalone_mode=False)


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
