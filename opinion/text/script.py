"""Chinese script: detect Simplified/Traditional, convert to the analysis script, render.

The analysis script is Simplified (jieba's dictionary is Simplified). Every user-facing
output can be rendered back in ``zh-Hans``, ``zh-Hant-TW`` (Taiwan phrasing) or ``zh-HK``.
All conversions use the ``opencc`` C++ binding; converter objects are cached per process.

Example:
    >>> detect_script("直播電商風生水起")
    'zh-Hant'
    >>> to_analysis("直播電商風生水起")
    '直播电商风生水起'
    >>> render("软件和网络", "zh-Hant-TW")
    '軟體和網路'
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from opinion.errors import InputError

HANS = "zh-Hans"
HANT = "zh-Hant"
MIXED = "mixed"
NONE = "none"
SCRIPTS = (HANS, HANT, MIXED, NONE)

RENDER_TARGETS = {"zh-Hans": None, "zh-Hant-TW": "s2twp", "zh-HK": "s2hk"}
HANT_CONVERTERS = ("auto", "t2s", "tw2s", "tw2sp", "hk2s")

# A document is "mixed" when the minority script has more than this share of the evidence.
MIXED_MINORITY_SHARE = 0.2

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Characters and particles used in Hong Kong writing (Cantonese, HK standard variants).
_HK_MARKERS = re.compile(r"[嘅咗喺冇佢哋啲嘢嚟噉冚揾攞嗰啱睇諗衞綫]")


@functools.lru_cache(maxsize=None)
def converter(config: str):
    """The cached ``opencc.OpenCC`` object for ``config`` (e.g. ``"t2s"``)."""
    import opencc

    return opencc.OpenCC(config)


@functools.lru_cache(maxsize=1)
def _simplified_only() -> frozenset[str]:
    """Han characters that no Traditional standard (OpenCC, Taiwan, Hong Kong) uses as is.

    ``台`` is not in the set (Taiwan and Hong Kong write it), ``发`` is.
    """
    chars = [chr(c) for c in range(0x4E00, 0xA000)] + [chr(c) for c in range(0x3400, 0x4DC0)]
    joined = "\n".join(chars)
    changed = None
    for config in ("s2t", "s2tw", "s2hk"):
        out = converter(config).convert(joined).split("\n")
        here = {c for c, o in zip(chars, out) if o != c}
        changed = here if changed is None else changed & here
    return frozenset(changed or ())


def _count_changed(text: str, converted: str, *, only: frozenset[str] | None = None) -> int:
    """Characters of ``text`` that ``converted`` replaced (optionally only those in ``only``)."""
    if converted == text:
        return 0
    if len(converted) != len(text):  # phrase conversions may change length: count by set
        changed = set(text) - set(converted)
        return sum(1 for c in text if c in changed and (only is None or c in only))
    if only is None:
        return sum(1 for a, b in zip(text, converted) if a != b)
    return sum(1 for a, b in zip(text, converted) if a != b and a in only)


def script_evidence(text: str) -> tuple[int, int, str]:
    """``(traditional_chars, simplified_chars, t2s_text)`` for ``text``.

    Traditional evidence: characters OpenCC ``t2s`` changes (phrase-aware, so ``著名`` in
    Simplified text is no evidence). Simplified evidence: characters ``s2t`` changes that
    no Traditional standard writes (so ``台`` and the ``后`` of ``皇后`` are no evidence).
    The Simplified side is only computed when there is Traditional evidence.
    """
    t2s_text = converter("t2s").convert(text)
    n_trad = _count_changed(text, t2s_text)
    if n_trad == 0:
        return 0, 0, t2s_text
    n_simp = _count_changed(text, converter("s2t").convert(text), only=_simplified_only())
    return n_trad, n_simp, t2s_text


def _decide(text: str, n_trad: int, n_simp: int) -> str:
    if n_trad == 0 and n_simp == 0:
        # No distinguishing character: valid Simplified as written (e.g. "中国人"), or no Han.
        return HANS if _HAN.search(text) else NONE
    total = n_trad + n_simp
    if n_simp / total <= MIXED_MINORITY_SHARE:
        return HANT
    if n_trad / total <= MIXED_MINORITY_SHARE:
        return HANS
    return MIXED


def detect_script(text: str) -> str:
    """The script of ``text``: ``"zh-Hans"``, ``"zh-Hant"``, ``"mixed"`` or ``"none"``.

    Works on short texts because a single distinguishing character decides:
    ``detect_script("發") == "zh-Hant"``, ``detect_script("发") == "zh-Hans"``,
    ``detect_script("OK!") == "none"``.
    """
    n_trad, n_simp, _ = script_evidence(text)
    return _decide(text, n_trad, n_simp)


def _hant_config(text: str, hant: str) -> str:
    if hant == "auto":
        return "hk2s" if _HK_MARKERS.search(text) else "tw2s"
    return hant


def detect_and_convert(text: str, *, hant: str = "auto") -> tuple[str, str]:
    """``(script, text_in_simplified)`` with one OpenCC pass for Simplified text.

    ``hant`` picks the converter for Traditional text: ``"auto"`` (``hk2s`` when Hong Kong
    markers such as 嘅/咗/係 appear, otherwise ``tw2s``), ``"t2s"``, ``"tw2s"``,
    ``"tw2sp"`` (also Taiwan phrases: 軟體 → 软件) or ``"hk2s"``.
    """
    _check_hant(hant)
    n_trad, n_simp, t2s_text = script_evidence(text)
    script = _decide(text, n_trad, n_simp)
    if n_trad == 0:
        return script, text
    config = _hant_config(text, hant)
    norm = t2s_text if config == "t2s" else converter(config).convert(text)
    return script, norm


def to_analysis(text: str, script: str | None = None, *, hant: str = "auto") -> str:
    """``text`` in the analysis script (Simplified).

    ``script`` is the detected script when known (saves a detection). Example:
    ``to_analysis("國貨發光") == "国货发光"``.
    """
    if script is None:
        return detect_and_convert(text, hant=hant)[1]
    if script not in SCRIPTS:
        raise InputError(f"script must be one of {list(SCRIPTS)}; got {script!r}")
    _check_hant(hant)
    if script in (HANS, NONE):
        return text
    return converter(_hant_config(text, hant)).convert(text)


def _check_hant(hant: str) -> None:
    if hant not in HANT_CONVERTERS:
        raise InputError(f"hant converter must be one of {list(HANT_CONVERTERS)}; got {hant!r}")


def check_target(target: str) -> str:
    """Return ``target`` if it is a render target, else raise a one-line error."""
    if target not in RENDER_TARGETS:
        nearest = _nearest_target(target)
        hint = f"; did you mean {nearest}?" if nearest else ""
        raise InputError(
            f"--script must be one of {list(RENDER_TARGETS)}; got {target!r}{hint}"
        )
    return target


def _nearest_target(target: str) -> str | None:
    """The render target a mistyped one most likely meant: ``zh-TW`` -> ``zh-Hant-TW``."""
    import difflib

    wanted = target.strip().lower().replace("_", "-")
    for name in RENDER_TARGETS:  # a region or script tag that names one target
        if wanted == name.lower() or wanted.split("-")[-1] in ("tw", "hk") and \
                name.lower().endswith(wanted.split("-")[-1]):
            return name
    if wanted in ("zh", "zh-cn", "zh-sg", "cn", "hans", "zh-hans-cn", "simplified"):
        return "zh-Hans"
    if wanted in ("zh-hant", "hant", "traditional", "zh-mo"):
        return "zh-Hant-TW" if wanted != "zh-mo" else "zh-HK"
    close = difflib.get_close_matches(target, list(RENDER_TARGETS), n=1, cutoff=0.5)
    return close[0] if close else None


def render(text: str, target: str) -> str:
    """Simplified ``text`` shown in ``target``: ``"zh-Hans"`` (as is), ``"zh-Hant-TW"``, ``"zh-HK"``.

    Example: ``render("国货", "zh-HK") == "國貨"``.
    """
    config = RENDER_TARGETS[check_target(target)]
    return text if config is None else converter(config).convert(text)


def render_many(texts: Iterable[str], target: str) -> list[str]:
    """:func:`render` for many texts, in one OpenCC call when none contains a newline."""
    items = [str(t) for t in texts]
    config = RENDER_TARGETS[check_target(target)]
    if config is None or not items:
        return items
    conv = converter(config)
    if any("\n" in t for t in items):
        return [conv.convert(t) for t in items]
    out = conv.convert("\n".join(items)).split("\n")
    if len(out) != len(items):  # pragma: no cover - OpenCC keeps newlines
        return [conv.convert(t) for t in items]
    return out
