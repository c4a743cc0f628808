"""The records a JSON answer holds: which of its arrays, and its objects' fields as columns.

An API answer wraps its records (``{"code": 0, "data": {"list": [...]}, "recommend": [...]}``)
and often holds other arrays of objects beside them: recommended links, included users, hot
words. :func:`records_array` takes the array whose objects have a text column::

    >>> found = records_array({"data": {"list": [{"content": "武汉加油"}]},
    ...                        "recommend": [{"title": "推荐"}, {"title": "阅读"}]}, "a.json")
    >>> found.path, len(found.records), found.note
    ('data.list', 1, 'records read from data.list (1 objects); not read: recommend (2 objects)')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from opinion.errors import InputError

FLAT_DEPTH = 4  # nested objects are read as dotted columns (user.screen_name) to this depth
ARRAY_DEPTH = 4  # how deep in a wrapping object the array of records is looked for
_SAMPLE = 50  # objects of an array whose fields are looked at
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def flat_fields(obj: dict[str, Any], prefix: str = "", depth: int = 1) -> dict[str, Any]:
    """An object's fields with nested objects read as dotted names, as API responses nest them:
    ``{"text": "加油", "user": {"name": "小明"}}`` → ``{"text": "加油", "user.name": "小明"}``.
    Arrays, empty objects and objects nested deeper than FLAT_DEPTH stay values; a dotted name
    the object already has keeps its own value."""
    out: dict[str, Any] = {}
    for key, value in obj.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and value and depth < FLAT_DEPTH:
            for inner, inner_value in flat_fields(value, f"{name}.", depth + 1).items():
                out.setdefault(inner, inner_value)
        else:
            out.setdefault(name, value)
    return out


@dataclass
class _Array:
    keys: tuple[str, ...]  # the keys leading to it; "[]" steps into each object of an array
    items: list[Any]

    @property
    def path(self) -> str:
        return ".".join(self.keys).replace(".[]", "[]")

    @property
    def objects(self) -> int:
        return sum(isinstance(item, dict) for item in self.items)

    def tier(self, prefer: str | None) -> int:
        """:func:`~opinion.io.columns.text_tier` of its objects' fields; -1 when they hold
        ``prefer`` (the ``--text-col`` field)."""
        from opinion.io.columns import text_tier

        fields: dict[str, None] = {}
        for item in [item for item in self.items if isinstance(item, dict)][:_SAMPLE]:
            fields.update(dict.fromkeys(flat_fields(item)))
        return -1 if prefer is not None and prefer in fields else text_tier(list(fields))

    def jq(self) -> str:
        """The ``jq`` filter that writes its objects one per line: ``.data.list[]``."""
        steps = [step if step == "[]" else f".{step}" if _NAME.fullmatch(step) else f'.["{step}"]'
                 for step in self.keys]
        return ("".join(steps) + "[]").replace(".[]", "[]") if steps else ".[]"


@dataclass
class FoundRecords:
    """The array a JSON answer's records were read from: ``path`` (``data.list``), its
    ``records``, and a ``note`` naming it and the other arrays of objects, left out ("" when
    there were none)."""

    path: str
    records: list[Any]
    note: str = ""


def _arrays(obj: dict[str, Any]) -> list[_Array]:
    """Every array in ``obj`` down to ARRAY_DEPTH levels, shallowest first."""
    found: list[_Array] = []
    level: list[tuple[tuple[str, ...], dict[str, Any]]] = [((), obj)]
    for _ in range(ARRAY_DEPTH):
        deeper: list[tuple[tuple[str, ...], dict[str, Any]]] = []
        for keys, node in level:
            for key, value in node.items():
                if isinstance(value, list):
                    found.append(_Array((*keys, str(key)), value))
                elif isinstance(value, dict):
                    deeper.append(((*keys, str(key)), value))
        level = deeper
    return found


def _inner_arrays(arrays: list[_Array]) -> list[_Array]:
    """The arrays the objects of ``arrays`` hold, each joined across them: Weibo's search
    answer nests its posts in ``cards[].card_group``."""
    inner: list[_Array] = []
    for array in arrays:
        keys = dict.fromkeys(key for item in array.items if isinstance(item, dict)
                             for key, value in item.items()
                             if isinstance(value, list) and any(isinstance(v, dict) for v in value))
        for key in keys:
            items = [v for item in array.items if isinstance(item, dict)
                     and isinstance(item.get(key), list) for v in item[key]]
            inner.append(_Array((*array.keys, "[]", str(key)), items))
    return inner


def records_array(obj: dict[str, Any], where: object, prefer: str | None = None) -> FoundRecords:
    """The array of records an object wraps, at any depth up to ARRAY_DEPTH: ``{"data":
    [...]}``, or ``{"ok": 1, "data": {"cards": [...]}}`` as Weibo's API answers, or arrays in
    those records (``cards[].card_group``) when no array of the answer has a text column.

    The array whose objects have a field named ``prefer`` (``--text-col``) wins, else the one
    whose objects have the surest text column by name (``content`` before ``description``,
    before a ``title`` alone), else the one holding the most objects. Two arrays with a text
    column (``data`` and ``includes.tweets``, both with ``text``), or two of the same size,
    are an error naming them and the ``jq`` that writes one as JSON Lines.
    """
    arrays = _arrays(obj)
    tiers = [array.tier(prefer) for array in arrays]
    if min(tiers, default=3) >= 2:  # no array has a text column: the arrays in their objects
        inner = _inner_arrays([a for a in arrays if a.objects])
        inner_tiers = [array.tier(prefer) for array in inner]
        if min(inner_tiers, default=3) < min(tiers, default=3):
            arrays, tiers = inner, inner_tiers
    best = min(tiers, default=3)
    chosen = [a for a, tier in zip(arrays, tiers) if tier == best]
    if best <= 0 and len(chosen) > 1:
        _refuse(where, chosen, "each with a text column")
    most = max((a.objects for a in chosen), default=0)
    chosen = [a for a in chosen if a.objects == most]
    if len(chosen) == 1 and (most or len(arrays) == 1):
        return FoundRecords(chosen[0].path, chosen[0].items, _note(chosen[0], arrays))
    if not most:
        named = ", ".join(a.path for a in arrays[:5]) or "none"
        raise InputError(f"{where}: expected a JSON array of objects, or an object holding one; "
                         f"found an object whose arrays of records are [{named}]; save the records "
                         "as JSON Lines (one object per line)")
    _refuse(where, chosen, "of the same size")
    raise AssertionError  # _refuse raises


def _refuse(where: object, arrays: list[_Array], why: str) -> None:
    named = ", ".join(a.path for a in arrays[:5])
    counts = " and ".join(f"{a.objects:,}" for a in arrays[:5])
    stem = str(where).rsplit("/", 1)[-1].split(".")[0] or "records"
    raise InputError(f"{where}: found an object whose arrays of records are [{named}] ({counts} objects), "
                     f"{why}; load one of them, written as JSON Lines: jq -c '{arrays[0].jq()}' {where} "
                     f"> {stem}.jsonl")


def _note(chosen: _Array, arrays: list[_Array]) -> str:
    """Which array was read and the objects of the others, which were not ("" for one array)."""
    others = [a for a in arrays if a is not chosen and a.objects and a.keys[: len(chosen.keys)] != chosen.keys]
    if not others:
        return ""
    left = ", ".join(f"{a.path} ({a.objects:,} objects)" for a in others[:5])
    return f"records read from {chosen.path} ({chosen.objects:,} objects); not read: {left}"
