"""Text shown by the explorer: the 简/繁 switch, safe Markdown and highlighted hits.

Searches run on the Simplified analysis text (``text_norm``). A document is shown as
written (``text_clean``) when the user's script is its own, and converted only across
scripts (:func:`highlight_document`); labels and terms are Simplified and rendered word by
word (:func:`render`). Every piece of user text goes through :func:`escape_markdown`
before it reaches ``st.markdown``: no HTML is ever passed through.

Example:
    >>> render("疫情防控，武汉加油", "zh-Hant-TW")
    '疫情防控，武漢加油'
    >>> highlight_markdown("戴口罩<b>", ["口罩"], "zh-Hans")
    '戴:orange-background[口罩]\\\\<b\\\\>'
"""

from __future__ import annotations

import functools
import re
import string
from collections.abc import Callable, Sequence

from opinion.io.safety import defuse_autolinks
from opinion.schema import SCRIPTS_OUT
from opinion.text.script import render as script_render

_MARKDOWN_SPECIAL = re.compile("([" + re.escape(string.punctuation) + "])")
SCRIPT_NAMES = {"zh-Hans": "简体", "zh-Hant-TW": "繁體（台灣）", "zh-HK": "繁體（香港）"}


def check_script(script: str) -> str:
    """Return ``script`` if it is one the page can show, else raise ValueError."""
    if script not in SCRIPTS_OUT:
        raise ValueError(f"script must be one of {list(SCRIPTS_OUT)}; got {script!r}")
    return script


def render(text: str | None, script: str) -> str:
    """Render canonical Simplified ``text`` in ``script`` (zh-Hans, zh-Hant-TW or zh-HK)."""
    if not text:
        return ""
    if check_script(script) == "zh-Hans":
        return text
    return script_render(text, script)


@functools.lru_cache(maxsize=4096)
def render_label(text: str, script: str) -> str:
    """:func:`render` for short repeated strings (topic labels, terms), cached."""
    return render(text, script)


def render_theme(name: str, script: str) -> str:
    """A theme's name in the reader's script whichever script its theme file used, as the
    report shows it (:func:`opinion.report.display.render_name`): ``render_theme("國貨",
    "zh-Hans") == "国货"``; :func:`render_label` only converts Simplified names."""
    from opinion.report.display import render_name

    return render_name(name, script)


def query_forms(term: str) -> tuple[str, ...]:
    """The forms a search term takes in ``text_norm``, any of which is a hit, as ``opinion
    kwic`` makes them (:func:`opinion.kwic.query_forms`: with the workspace's conversion when
    the page runs inside :func:`opinion.kwic.workspace_conversion`).

    ``query_forms("隨著") == ("随着",)``, ``query_forms("衞生") == ("卫生",)``
    """
    from opinion.kwic import query_forms as kwic_forms

    return kwic_forms(term)


def escape_markdown(text: str) -> str:
    """Backslash-escape every ASCII punctuation mark so Markdown and HTML show as typed, and
    defuse URLs and e-mail addresses (:func:`opinion.io.safety.defuse_autolinks`), which
    Streamlit's Markdown would otherwise turn into links whatever the escapes."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", defuse_autolinks(text))
    return escaped.replace("\r\n", "\n").replace("\n", "  \n")


def split_query(query: str) -> list[str]:
    """Terms of a search box: quoted phrases stay whole, other words split on spaces.

    ``split_query('口罩 "武汉 加油"') == ["口罩", "武汉 加油"]``
    """
    terms = [(a or b).strip('"') for a, b in re.findall(r'"([^"]+)"|(\S+)', query or "")]
    return [t for t in (term.strip() for term in terms) if t]


def _highlight(text: str, key: str, terms: Sequence[str],
               show: Callable[[list[tuple[int, int]]], list[str]]) -> str:
    """Escaped Markdown of ``text`` with the hits of ``terms`` in ``key`` marked; ``key`` has
    one character per character of ``text`` (it may be ``text`` itself), and ``show`` gives
    the pieces ``text[i:j]`` of its spans in the reader's script, cut after converting the
    whole text (:func:`opinion.text.pieces.render_pieces`), so the marks stay right and a word
    cut at a mark keeps its conversion (乾|隆 stays 乾隆)."""
    from opinion.kwic import any_case
    from opinion.text.conversion import find_spans

    terms = sorted({t for t in terms if t}, key=len, reverse=True)
    spans, last = [], 0
    if terms:  # Latin letters in any case, as the search finds them (n95 marks N95)
        flags = re.IGNORECASE if any(map(any_case, terms)) else 0
        for start, end in find_spans("|".join(re.escape(t) for t in terms), key, flags):  # 博客 marks 部落格
            spans += [(last, start), (start, end)]
            last = end
    spans.append((last, len(text)))
    pieces = show(spans)
    marked = (f":orange-background[{escape_markdown(piece)}]" if k % 2 else escape_markdown(piece)
              for k, piece in enumerate(pieces))
    return "".join(marked)


def highlight_markdown(text: str, terms: Sequence[str], script: str) -> str:
    """Escaped Markdown of Simplified ``text`` in ``script`` with every Simplified ``terms``
    hit marked (hits found in the Simplified text, the text rendered whole and then cut)."""
    if not text:
        return ""
    from opinion.text.pieces import render_pieces

    check_script(script)
    return _highlight(text, text, terms, lambda spans: render_pieces(text, "zh-Hans", script, spans))


def highlight_document(text_clean: str, doc_script: str | None, terms: Sequence[str], script: str) -> str:
    """Escaped Markdown of a document as written (``text_clean``, in ``doc_script``) shown in
    ``script``, with every Simplified ``terms`` hit marked.

    Verbatim in the document's own script (a Taiwanese 用戶 stays 用戶), converted across
    scripts; hits are found in a Simplified copy that keeps the character positions, made
    with the workspace's conversion (:func:`opinion.text.conversion.analysis_hant`).
    ``highlight_document("乾隆御賞", "zh-Hant", ["隆"], "zh-Hans") == "乾:orange-background[隆]御赏"``
    """
    if not text_clean:
        return ""
    from opinion.text.clean import narrow_width
    from opinion.text.conversion import analysis_hant
    from opinion.text.pieces import render_pieces
    from opinion.text.script import aligned_simplified

    check_script(script)
    hant = analysis_hant()
    key = narrow_width(aligned_simplified(text_clean, doc_script if doc_script else None, hant=hant))
    return _highlight(text_clean, key, terms,
                      lambda spans: render_pieces(text_clean, doc_script or None, script, spans, hant=hant))


def script_choices(first: str | None = None) -> list[str]:
    """The scripts of the global switch, in order; ``first`` (the default) leads."""
    choices = list(SCRIPTS_OUT)
    return [first, *(c for c in choices if c != first)] if first in choices else choices
