"""`opinion explore -w WS [--port N]`: the Streamlit explorer on 127.0.0.1."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Annotated

import typer

from opinion.cli.common import WorkspaceOpt, handle_errors
from opinion.errors import OpinionError
from opinion.io.workspace import Workspace

PACKAGE_DIR = Path(__file__).resolve().parents[1]  # .../opinion


def app_script() -> Path:
    """The page to run: the repo's ``app.py`` in a checkout or editable install, else the packaged one."""
    repo_app = PACKAGE_DIR.parent / "app.py"
    if repo_app.is_file() and (PACKAGE_DIR.parent / "pyproject.toml").is_file():
        return repo_app
    return PACKAGE_DIR / "explore" / "app.py"


def explore_command(workspace: Path, *, port: int = 8501, host: str = "127.0.0.1") -> list[str]:
    """The ``streamlit run`` command line for ``workspace`` (headless, no usage statistics)."""
    return [sys.executable, "-m", "streamlit", "run", str(app_script()),
            "--server.address", host, "--server.port", str(port), "--server.headless", "true",
            "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
            "--client.toolbarMode", "viewer",
            "--", "--workspace", str(workspace)]


def check_workspace(workspace: Path, *, port: int = 8501) -> Path:
    """The absolute workspace folder; one-line errors for a missing workspace or a bad port."""
    root = Path(workspace).expanduser().resolve()
    Workspace.open(root)
    if not 1 <= port <= 65535:
        raise OpinionError(f"--port must be between 1 and 65535; got {port}")
    return root


def run_explorer(workspace: Path, *, port: int = 8501) -> int:
    """Run Streamlit for ``workspace`` in the foreground until it stops; its exit code."""
    root = check_workspace(workspace, port=port)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PACKAGE_DIR.parent), env.get("PYTHONPATH")]))
    process = subprocess.Popen(explore_command(root, port=port), env=env)
    in_main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, lambda *_: process.terminate()) if in_main else None
    try:
        return process.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        if in_main:
            signal.signal(signal.SIGTERM, previous)
        if process.poll() is None:  # stopped by Ctrl+C or SIGTERM: never leave Streamlit behind
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


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
        raise typer.Exit(code=run_explorer(workspace, port=port))
