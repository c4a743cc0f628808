"""The records a JSON answer holds: which of its arrays, and its objects' fields as columns.

An API answer wraps its records (``{"code": 0, "data": {"list": [...]}, "recommend": [...]}``)
and often holds other arrays of objects beside them: recommended links, included users, hot
words. :func:`records_array` takes the array whose objects have a text column, of those of
a comparable size (2 ``banners`` with ``desc`` do not beat 30 headlines)::

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
PREFERRED = 4  # taken off the tier of an array whose objects hold the --text-col field
# Names of the array a paged API answers its records in; empty on the page after the last.
_RECORD_KEYS = frozenset({"list", "data", "items", "cards", "statuses", "comments", "results",
                          "records", "posts", "articles", "docs", "rows"})


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


def rows_holding(items: list[Any], holders: list[dict[str, Any]]) -> int:
    """How many of ``items`` are, or hold at any depth, one of the objects ``holders``."""
    ids = {id(obj) for obj in holders}

    def holds(value: Any) -> bool:
        if isinstance(value, dict):
            return id(value) in ids or any(holds(v) for v in value.values())
        return isinstance(value, list) and any(holds(v) for v in value)

    return sum(holds(item) for item in items) if ids else 0


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
        """:func:`~opinion.io.columns.text_tier` of its objects' fields (0 to 3); PREFERRED
        less when they hold ``prefer`` (the ``--text-col`` field), so that of the arrays
        holding it the surest by name still wins (``title`` with ``content``, -4, before
        ``title`` alone, -2)."""
        from opinion.io.columns import text_tier

        fields: dict[str, None] = {}
        for item in [item for item in self.items if isinstance(item, dict)][:_SAMPLE]:
            fields.update(dict.fromkeys(flat_fields(item)))
        tier = text_tier(list(fields))
        return tier - PREFERRED if prefer is not None and prefer in fields else tier

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

    The arrays whose objects have a field named ``prefer`` (``--text-col``) are the only ones
    read. Else, among the arrays with a text or title column of comparable size (at least
    1/COMPARABLE of the largest one's objects), the surest text column by name wins
    (``content`` before ``description``, before a ``title`` alone): 2 ``banners`` with
    ``desc`` do not beat 30 headlines, 2 tweets with ``text`` beat 9 users with
    ``description``. Of two arrays that both have the winning kind of column, the larger is
    read when it holds COMPARABLE times the objects of the other (20 comments in
    ``data.data``, 3 in ``data.hot_data``), and the note names the one left out; arrays with a
    text column of comparable size (``data`` and ``includes.tweets``), or two of the same
    size, are an error naming them, the largest first, and the ``jq`` that writes it as
    JSON Lines. An empty records array (``data.list: []``, the page after a paged API's last)
    beside arrays with only a title or a ``desc`` gives no records, not those arrays'
    recommended links, and the note names it.
    """
    arrays = _arrays(obj)
    tiers = [array.tier(prefer) for array in arrays]
    if min(tiers, default=3) >= 2:  # no array has a text column: the arrays in their objects
        inner = _inner_arrays([a for a in arrays if a.objects])
        inner_tiers = [array.tier(prefer) for array in inner]
        if min(inner_tiers, default=3) < min(tiers, default=3):
            arrays, tiers = inner, inner_tiers
    chosen, best = _contenders(arrays, tiers)
    if not chosen:
        if len(arrays) == 1:  # {"data": []}: no records
            return FoundRecords(arrays[0].path, arrays[0].items)
        named = ", ".join(a.path for a in arrays[:5]) or "none"
        raise InputError(f"{where}: expected a JSON array of objects, or an object holding one; "
                         f"found an object whose arrays of records are [{named}]; save the records "
                         "as JSON Lines (one object per line)")
    first = chosen[0]
    empty = next((a for a in arrays if not a.items and a.keys[-1].lower() in _RECORD_KEYS), None)
    if empty is not None and best % PREFERRED >= 1:  # only titles or a desc beside an empty page
        return FoundRecords(empty.path, [], _note(empty, arrays))
    if best <= 0 and len(chosen) > 1 and _comparable(chosen[1], first):
        why = f"each with the field {prefer!r} (--text-col)" if best < 0 else "each with a text column"
        _refuse(where, [a for a in chosen if _comparable(a, first)], why)
    if len(chosen) > 1 and chosen[1].objects == first.objects:
        _refuse(where, [a for a in chosen if a.objects == first.objects], "of the same size")
    return FoundRecords(first.path, first.items, _note(first, arrays))


COMPARABLE = 5  # an array with 1/5 of another's objects or fewer is not of a size to compare with it


def _comparable(array: _Array, largest: _Array) -> bool:
    return array.objects * COMPARABLE > largest.objects  # 5 times the objects or more: not comparable


def _contenders(arrays: list[_Array], tiers: list[int]) -> tuple[list[_Array], int]:
    """The arrays of objects the records may be in, largest first, and their tier: those
    holding ``--text-col``'s field (tier -1); else those of the surest tier among the arrays
    with a text or title column of comparable size (all arrays of objects when none has one)."""
    held = [(a, tier) for a, tier in zip(arrays, tiers) if a.objects]
    if any(tier < 0 for _, tier in held):
        held = [(a, tier) for a, tier in held if tier < 0]
    readable = [(a, tier) for a, tier in held if tier <= 2] or held
    if not readable:
        return [], 3
    largest = max((a for a, _ in readable), key=lambda a: a.objects)
    near = [(a, tier) for a, tier in readable if _comparable(a, largest)]
    best = min(tier for _, tier in near)
    return sorted((a for a, tier in near if tier == best), key=lambda a: -a.objects), best


def _refuse(where: object, arrays: list[_Array], why: str) -> None:
    """The error for ``arrays`` (largest first) that cannot be told apart."""
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
