"""`opinion explore`: the streamlit command line it builds and its one-line errors."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

from factory import make_workspace
from typer.testing import CliRunner

from opinion.cli import app
from opinion.cli.explore_cmd import app_script, explore_command, wait_healthy


def test_app_script_is_found_from_the_package():
    script = app_script()
    assert script.is_file()
    assert "opinion.explore.app" in script.read_text(encoding="utf-8")


def test_command_is_local_headless_and_private(tmp_path):
    command = explore_command(tmp_path / "ws", port=8642)
    assert command[1:4] == ["-m", "streamlit", "run"]
    pairs = dict(zip(command, command[1:]))
    assert pairs["--server.address"] == "127.0.0.1"
    assert pairs["--server.port"] == "8642"
    assert pairs["--server.headless"] == "true"
    assert pairs["--browser.gatherUsageStats"] == "false"
    assert command[-3:] == ["--", "--workspace", str(tmp_path / "ws")]


def test_explore_rejects_a_folder_that_is_no_workspace(tmp_path: Path):
    result = CliRunner().invoke(app, ["explore", "-w", str(tmp_path / "nothing")])
    assert result.exit_code == 1
    assert "not an opinion workspace" in result.output
    assert "Traceback" not in result.output


def test_explore_rejects_a_bad_port(tmp_path: Path):
    make_workspace(tmp_path / "ws", with_topics=False)
    result = CliRunner().invoke(app, ["explore", "-w", str(tmp_path / "ws"), "--port", "70000"])
    assert result.exit_code == 1
    assert "--port must be between 1 and 65535" in result.output


def test_the_command_line_imports_no_pandas_before_the_server_starts():
    # pandas, the page's modules and Plotly are imported only once the server answers (see
    # explore_cmd._warm): the two threads share one interpreter lock.
    code = "import sys, opinion.cli, opinion.explore.facts; print(sorted({'pandas', 'plotly'} & set(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_opinion_explore_imports_no_other_command():
    # The other commands' modules (OpenCC and jieba settings, export options: about 0.2 s)
    # would come before the server answers; `opinion explore` builds its command alone.
    code = ("import sys; from opinion.cli import main\n"
            "try:\n    main(['explore', '--help'])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.endswith('_cmd')), 'opinion.config' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "--workspace" in result.stdout and "--port" in result.stdout
    assert result.stdout.strip().splitlines()[-1] == "['opinion.cli.explore_cmd'] False"


def test_the_light_explore_command_is_the_full_one(tmp_path: Path):
    from opinion.cli import build_app

    light = CliRunner().invoke(build_app(("explore_cmd",)), ["explore", "-w", str(tmp_path / "nothing")])
    full = CliRunner().invoke(app, ["explore", "-w", str(tmp_path / "nothing")])
    assert (light.exit_code, light.output) == (full.exit_code, full.output) == (1, full.output)
    assert "not an opinion workspace" in light.output
    assert CliRunner().invoke(app, ["--help"]).output.count("explore") >= 1


def test_wait_healthy_gives_up_on_a_port_nothing_answers():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    assert wait_healthy("127.0.0.1", port, timeout=0.3) is False


def test_streamlit_starts_without_plotly_and_the_theme_is_registered_later():
    # `opinion explore` imports Streamlit with Plotly hidden (Streamlit imports it only for its
    # Plotly theme); a Plotly section registers the theme before it makes a figure.
    code = """
import sys
from opinion.cli.explore_cmd import _plotly_hidden
with _plotly_hidden():
    import streamlit.web.cli
    try:
        import plotly
    except ImportError:
        hidden = True
    else:
        hidden = False
print(hidden, 'plotly' in sys.modules)
import plotly.io as pio
before = pio.templates.default
from opinion.explore.widgets import plotly_theme
plotly_theme()
print(before, pio.templates.default)
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["True", "False", "plotly", "streamlit"]


def test_the_component_scan_is_skipped_with_the_pinned_streamlit():
    # Streamlit scans every installed package for custom components at start-up (0.3-0.5 s);
    # the explorer uses none. If a Streamlit upgrade moves the scan, this fails and says so.
    code = """
from opinion.cli.explore_cmd import _no_component_scan
from streamlit.components.v2 import manifest_scanner
print(_no_component_scan(), manifest_scanner.scan_component_manifests())
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["True", "[]"]


def test_the_direct_run_check_is_skipped_with_the_pinned_streamlit():
    # Streamlit's first drawn element checks for a run outside `streamlit run` with
    # inspect.stack() (0.1 s of the first page run); the explorer always runs under it. If a
    # Streamlit upgrade moves the flag, this fails and says so.
    code = """
from opinion.cli.explore_cmd import _no_direct_run_check
from streamlit import delta_generator, env_util
env_util.is_repl = lambda: 1 / 0  # the check must not run
print(_no_direct_run_check())
delta_generator._maybe_print_use_warning()
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["True"]
