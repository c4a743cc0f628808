"""Pieces of a document shown in the reader's script, cut after conversion.

A KWIC line, a highlighted hit or a report excerpt is a piece of ``text_clean``. Converting
each piece on its own gets the characters at its edges wrong, because OpenCC decides a
character by the word around it: 中醫藥|干預 cut after 干 gives 幹, 世界著|名 cut before 名
gives 着, 干|隆 gives 干. :func:`render_pieces` converts the document once (up to the last
piece and a margin) and cuts the converted text at the same positions.

Example:
    >>> render_pieces("故宮博物院乾隆御賞物", "zh-Hant", "zh-Hans", [(5, 6), (6, 7)])
    ['乾', '隆']
"""

from __future__ import annotations

from collections.abc import Sequence

from opinion.text.script import SCRIPTS, check_target, detect_script, hant_config, render_document

# Characters converted after the last piece, so that a word cut at its end is converted
# whole (OpenCC's longest phrases are a dozen characters).
MARGIN = 16


def render_pieces(text: str, script: str | None, target: str, spans: Sequence[tuple[int, int]], *,
                  hant: str | None = None) -> list[str]:
    """``text[i:j]`` for each ``(i, j)`` of ``spans``, in ``target`` as :func:`render_document`
    shows the whole ``text`` (written in ``script``; ``None`` detects it).

    The text is converted once, from its start (quotation marks pair across it) to a margin
    past the last piece, and cut at the same positions, which holds because the conversion
    keeps one character for one. Where a phrase changes the length (``hant="tw2sp"``), each
    piece is converted with a margin either side, or alone as a last resort. ``hant`` None is
    the conversion in effect (:func:`opinion.text.conversion.analysis_hant`: the workspace's).
    ``render_pieces("世界著名", "zh-Hant", "zh-Hans", [(0, 3), (3, 4)]) == ["世界著", "名"]``
    """
    check_target(target)
    if not spans or not text:
        return ["" for _ in spans]
    if script not in SCRIPTS:
        script = detect_script(text)
    hant = hant_config(text, hant)  # the whole document's converter, not the window's
    stop = min(len(text), max(j for _, j in spans) + MARGIN)
    shown = render_document(text[:stop], script, target, hant=hant)
    if len(shown) == stop:
        return [shown[i:j] for i, j in spans]
    return [_piece(text, script, target, i, j, hant) for i, j in spans]


def _piece(text: str, script: str, target: str, i: int, j: int, hant: str) -> str:
    """``text[i:j]`` converted inside a window of :data:`MARGIN` characters either side."""
    start, stop = max(0, i - MARGIN), min(len(text), j + MARGIN)
    shown = render_document(text[start:stop], script, target, hant=hant)
    if len(shown) == stop - start:
        return shown[i - start:j - start]
    return render_document(text[i:j], script, target, hant=hant)
