"""Modules that can be called: ``opinion.prepare(ws)`` runs the stage, ``opinion.prepare.X`` stays.

``opinion.prepare`` is a module and ``opinion.sentiment``/``opinion.topics`` are packages, so a
function of the same name on :mod:`opinion` would be replaced by the module the moment anything
imports it. Instead each of those modules is made callable: calling it runs the front-door
function of :mod:`opinion.api`, and everything inside it keeps its import path.

Example:
    >>> import opinion.prepare
    >>> callable(opinion.prepare)
    True
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any


class CallableModule(types.ModuleType):
    """A module whose call runs ``opinion.api.<its front-door name>``."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        api = importlib.import_module("opinion.api")
        return getattr(api, self.__dict__["__front_door__"])(*args, **kwargs)


def make_callable(module_name: str, front_door: str) -> None:
    """Make the module ``module_name`` call :func:`opinion.api.<front_door>`."""
    module = sys.modules[module_name]
    module.__dict__["__front_door__"] = front_door
    module.__class__ = CallableModule
