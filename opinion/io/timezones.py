"""The clock dates are read on (``--timezone``), checked without importing pandas.

    >>> check_timezone("Asia/Taipei"), check_timezone("+08:00")
    ('Asia/Taipei', '+08:00')
"""

from __future__ import annotations

import re

from opinion.errors import InputError

DEFAULT_TIMEZONE = "Asia/Shanghai"  # UTC+8: mainland China, Taiwan, Hong Kong
_OFFSET = re.compile(r"[+-](?:0\d|1[0-4]):?[0-5]\d")


def check_timezone(name: str) -> str:
    """``name`` if it is a time zone (``Asia/Shanghai``, ``UTC``, ``+08:00``), else an error."""
    import zoneinfo

    if isinstance(name, str) and _OFFSET.fullmatch(name):
        return name
    try:
        zoneinfo.ZoneInfo(name)
    except (ValueError, TypeError, zoneinfo.ZoneInfoNotFoundError):
        raise InputError(f"must be a time zone such as Asia/Shanghai, Asia/Taipei, UTC or +08:00; "
                         f"got {name!r}", param="timezone") from None
    return name
