"""The package's import graph: no circles between modules, no arrow running back up the layers.

The layers are the import-linter contract in pyproject.toml (drawn in docs/architecture.md);
imports named only for the type checker (``if TYPE_CHECKING:``) are not run, so they do not
count. Imports inside functions do count: a lazy import is still an arrow.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import pytest

grimp = pytest.importorskip("grimp")
importlinter_cli = pytest.importorskip("importlinter.cli")

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def graph():
    sys.path.insert(0, str(ROOT))  # this checkout's package, not another installed copy
    try:
        return grimp.build_graph("opinion", cache_dir=None, exclude_type_checking_imports=True)
    finally:
        sys.path.remove(str(ROOT))


def import_cycles(graph) -> list[list[str]]:
    """Groups of modules that import each other, directly or around a circle (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in sorted(graph.find_modules_directly_imported_by(module)):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                cycles.append(sorted(group))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return cycles


def test_import_graph_has_no_cycles(graph) -> None:
    assert "opinion.engine.runner" in graph.modules  # the graph is of this package
    assert import_cycles(graph) == []


def test_import_graph_cycle_finder_finds_a_circle() -> None:
    made = grimp.ImportGraph()
    for name in ("p", "p.a", "p.b", "p.c"):
        made.add_module(name)
    made.add_import(importer="p.a", imported="p.b")
    made.add_import(importer="p.b", imported="p.a")
    made.add_import(importer="p.c", imported="p.a")
    assert import_cycles(made) == [["p.a", "p.b"]]


def test_import_graph_layers_contract_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    """import-linter calls ``logging.config.dictConfig``, which disables every logger that
    exists (``disable_existing_loggers`` defaults to true): run in this process, it silenced
    ``opinion.*`` loggers for the rest of the suite, so tests of logged notices that ran later
    saw nothing. Each logger's ``disabled`` flag is put back after the check."""
    monkeypatch.chdir(ROOT)
    monkeypatch.syspath_prepend(str(ROOT))
    loggers = [logging.getLogger(), *(x for x in logging.root.manager.loggerDict.values()
                                      if isinstance(x, logging.Logger))]
    disabled = {id(x): x.disabled for x in loggers}
    try:
        status = importlinter_cli.lint_imports(config_filename=str(ROOT / "pyproject.toml"),
                                               no_cache=True, no_logo=True)
    finally:
        for x in loggers:
            x.disabled = disabled[id(x)]
    assert status == importlinter_cli.EXIT_STATUS_SUCCESS
    assert not logging.getLogger("opinion.sentiment.transformer").disabled
