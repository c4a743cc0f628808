"""Plain TOML values against the settings' type annotations: whether a value fits
(``fits``), the annotation in words (``expected``) and a value written back as TOML
(``toml_value``, ``shown``). Used by :mod:`opinion.config` to check a ``--config`` file.

    >>> fits(tuple[str, ...], ["a.toml"]), fits(int, True), expected(tuple[str, ...])
    (True, False, 'a list of strings')
"""

from __future__ import annotations

import json
import re
import types
from pathlib import Path
from typing import Any, Union, get_args, get_origin

_UNSAFE = re.compile("[\x7f-\x9f]")  # DEL and the C1 controls, written as \uXXXX (since 2026-12-07)
_NAMES = {bool: ("true or false", "true/false values"), int: ("a whole number", "whole numbers"),
          float: ("a number", "numbers"), str: ("a string", "strings"), Path: ("a string", "strings")}


def fits(hint: Any, value: Any) -> bool:
    """Whether a plain (TOML) ``value`` fits the annotation ``hint``: no bool for a number, an
    int for a float, a list (not a string) for a tuple."""
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        return any(fits(arg, value) for arg in get_args(hint))
    if hint is type(None):
        return value is None
    if hint is bool:
        return isinstance(value, bool)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if hint is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if hint in (str, Path):
        return isinstance(value, str)
    if origin in (tuple, list):
        args = get_args(hint)
        if not isinstance(value, list | tuple):
            return False
        if len(args) == 2 and args[1] is Ellipsis or origin is list:
            return all(fits(args[0], v) for v in value)
        return len(value) == len(args) and all(fits(a, v) for a, v in zip(args, value, strict=True))
    return True  # a type settings do not use: left to the class


def expected(hint: Any) -> str:
    """The annotation ``hint`` in words: ``tuple[str, ...]`` → "a list of strings"."""
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        return " or ".join(dict.fromkeys(expected(a) for a in get_args(hint) if a is not type(None)))
    if origin in (tuple, list):
        args = get_args(hint)
        if len(args) == 2 and args[1] is Ellipsis or origin is list:
            return f"a list of {_NAMES.get(args[0], ('', 'values'))[1]}"
        kinds = dict.fromkeys(_NAMES.get(a, ("", "values"))[1] for a in args)
        return f"a list of {len(args)} {' or '.join(kinds)}"
    return _NAMES.get(hint, (getattr(hint, "__name__", str(hint)), ""))[0]


def shown(value: Any) -> str:
    """``value`` as it is written in TOML (``true``, ``"false"``), else its repr."""
    try:
        return toml_value(value)
    except TypeError:
        return repr(value)


def toml_value(value: Any) -> str:
    """A TOML literal for the simple values settings hold (bool, number, string, list).

    >>> toml_value(["用户名", "del\x7fcol"])
    '["用户名", "del\\\\u007fcol"]'
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):  # JSON escapes C0 controls; TOML also forbids DEL (U+007F) raw
        return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(value, ensure_ascii=False))
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {value!r} as TOML")
