"""Word clouds in the reader's script, drawn with a CJK font that ships with a package.

The words are the stored tokens (stopwords, numbers, hashtags and emoticons out, at least two
characters), sized by their count in the chosen group (a period, a topic, a theme, or all
documents; in the order of the counts, not in proportion: :attr:`CloudSettings.relative_scaling`)
and rendered in ``zh-Hans``, ``zh-Hant-TW`` or ``zh-HK``. Drawing uses the ``wordcloud``
package, every word horizontal (a Chinese word turned on its side is hard
to read), the most frequent at 30 % of the height (:attr:`CloudSettings.largest_font`).

The font: ``OPINION_CJK_FONT`` when set (a font file, optionally ``path#face``), else the
Noto Sans CJK collection of the ``noto-cjk-sans-otc`` package (a default dependency; SIL
Open Font License 1.1), else a Noto Sans CJK / Source Han Sans / WenQuanYi font of the
operating system. Of a collection, the face of the reader's region is used (SC for
Simplified, TC for Taiwan, HK for Hong Kong), so the glyphs have the forms readers expect.

Example:
    >>> image = word_cloud({"疫情": 30, "口罩": 12, "武汉": 20}, script="zh-Hant-TW")  # doctest: +SKIP
    >>> png_bytes(image)[:4]  # doctest: +SKIP
    b'\\x89PNG'
"""

from __future__ import annotations

import functools
import io
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from opinion.errors import OpinionError

FONT_ENV = "OPINION_CJK_FONT"
# The largest word's font size as a share of the cloud's height. wordcloud's own choice (no
# max_font_size) lays out the first two words from the full height down, one opened font face
# per size tried: ~200 sizes per cloud, and ~1 MB of memory each once kept (docs/words.md).
LARGEST_SHARE = 0.3
FONT_SIZES_KEPT = 160  # opened (face, size) pairs kept: every size of a 400-px-high cloud (4…120)
FACES = {"zh-Hans": "SC", "zh-Hant-TW": "TC", "zh-HK": "HK"}
SYSTEM_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/source-han-sans/SourceHanSans-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/System/Library/Fonts/PingFang.ttc",
    "C:/Windows/Fonts/msyh.ttc",
)
MISSING_FONT = ("no CJK font found for word clouds; install one with: pip install noto-cjk-sans-otc "
                "(or apt-get install fonts-noto-cjk), or set OPINION_CJK_FONT=/path/to/font.otf")


class MissingFontError(OpinionError):
    """No font that can draw Chinese was found."""


@dataclass(frozen=True)
class CloudSettings:
    """Settings of the word clouds (defaults written once; the CLI falls back to them)."""

    width: int = 800
    height: int = 400
    max_words: int = 100
    seed: int = 42
    background: str = "white"
    colormap: str = "viridis"
    max_font_size: int | None = None  # None: LARGEST_SHARE of the height (96 px of 320)
    # How far sizes follow counts (wordcloud's relative_scaling): 0.5 puts each word's size
    # halfway between its count's share of the larger word's and that word's size, so sizes
    # rank the words but are not proportional (643 → 120 px, 212 → 72 px, docs/words.md); 1.0
    # is proportional, and left a day whose first word had 61 × the count of its 100th with
    # 38 words of 100 at 4 px and up (measured 2026-12-08).
    relative_scaling: float = 0.5

    @property
    def words_counted(self) -> int:
        """Words to hand a cloud: twice ``max_words``, room for words that render alike and add up."""
        return 2 * self.max_words

    @property
    def largest_font(self) -> int:
        """The font size of the most frequent word (smaller when it does not fit)."""
        return self.max_font_size or max(round(LARGEST_SHARE * self.height), 1)


@dataclass(frozen=True)
class FontChoice:
    """A font file and the face of it to use (collections hold several)."""

    path: str
    index: int = 0


def _faces(path: str) -> list[str]:
    """Family names of the faces of a font file or collection."""
    from PIL import ImageFont

    names = []
    for index in range(32):
        try:
            names.append(ImageFont.truetype(path, 12, index=index).getname()[0] or "")
        except OSError:
            break
    return names


def _choose_face(path: str, script: str) -> FontChoice:
    region = FACES.get(script, "SC")
    faces = _faces(path)
    for preferred in (f"CJK {region}", region, "CJK SC", "SC"):
        for index, name in enumerate(faces):
            if name.endswith(preferred) and "Mono" not in name:
                return FontChoice(path, index)
    return FontChoice(path, 0)


@functools.lru_cache(maxsize=8)
def cjk_font(script: str = "zh-Hans") -> FontChoice:
    """The font for ``script`` (see the module docstring); :class:`MissingFontError` if none."""
    configured = os.environ.get(FONT_ENV, "").strip()
    if configured:
        path, _, face = configured.partition("#")
        if not Path(path).is_file():
            raise MissingFontError(f"{FONT_ENV}={configured}: no such font file; {MISSING_FONT}")
        return FontChoice(path, int(face)) if face.isdigit() else _choose_face(path, script)
    try:
        import noto_cjk_sans_otc

        return _choose_face(str(noto_cjk_sans_otc.FONT_PATH), script)
    except ImportError:
        pass
    for path in SYSTEM_FONTS:
        if Path(path).is_file():
            return _choose_face(path, script)
    raise MissingFontError(MISSING_FONT)


class _FaceAwareFonts:
    """Stands in for ``PIL.ImageFont`` inside ``wordcloud``: a path ``file#N`` opens face N.

    wordcloud opens its font as ``ImageFont.truetype(font_path, size)`` and has no way to
    pick a face of a collection; everything else is PIL's own.
    """

    def __init__(self, image_font: Any) -> None:
        self._image_font = image_font

    def truetype(self, font: Any, size: float = 10, *args: Any, **kwargs: Any) -> Any:
        if isinstance(font, str) and "#" in font:
            font, _, face = font.rpartition("#")
            kwargs.setdefault("index", int(face))
        if isinstance(font, str) and not args and set(kwargs) <= {"index"}:
            return _opened_font(self._image_font, font, size, kwargs.get("index", 0))
        return self._image_font.truetype(font, size, *args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._image_font, name)


@functools.lru_cache(maxsize=FONT_SIZES_KEPT)
def _opened_font(image_font: Any, path: str, size: float, index: int) -> Any:
    """A font face at one size, opened once: wordcloud asks for each size again for every
    word it places, and opening a face of a 20 MB CJK collection took 40 % of the drawing.
    Each kept face holds ~1 MB (3 MB of resident pages): the sizes of clouds drawn from
    :attr:`CloudSettings.largest_font` down fit in :data:`FONT_SIZES_KEPT`."""
    return image_font.truetype(path, size, index=index)


@functools.lru_cache(maxsize=1)
def _wordcloud_class() -> Any:
    try:
        from wordcloud import WordCloud
        from wordcloud import wordcloud as module
    except ImportError as exc:  # pragma: no cover - a default dependency
        raise OpinionError("word clouds need the wordcloud package: pip install wordcloud") from exc
    if not isinstance(module.ImageFont, _FaceAwareFonts):
        module.ImageFont = _FaceAwareFonts(module.ImageFont)
    return WordCloud


def word_cloud(frequencies: Mapping[str, float], *, script: str = "zh-Hans",
               settings: CloudSettings | None = None) -> Any:
    """A word cloud (PIL image) of Simplified ``frequencies``, drawn in ``script``.

    Words that render to the same text (rare) add up. Words are drawn by count, ties by the
    Simplified word (处罚 before 村屯 in every script, though 處罰 sorts after 村屯), so the
    picture does not depend on the order of ``frequencies`` and shows the same words in any script. Raises
    :class:`OpinionError` when there is no word to draw.
    """
    from opinion.text.script import check_target, render_many

    check_target(script)
    settings = settings or CloudSettings()
    words = {w: float(f) for w, f in frequencies.items() if f > 0 and str(w).strip()}
    if not words:
        raise OpinionError("no words to draw: the chosen documents have no tokens")
    shown: dict[str, float] = {}
    simplified: dict[str, str] = {}  # shown word -> its Simplified form (the first of those shown alike)
    for word, rendered in zip(words, render_many(list(words), script)):
        shown[rendered] = shown.get(rendered, 0.0) + words[word]
        simplified[rendered] = min(simplified.get(rendered, str(word)), str(word))
    # wordcloud keeps ties in order: by the Simplified word, so every script draws the same words
    shown = dict(sorted(shown.items(), key=lambda item: (-item[1], simplified[item[0]])))
    font = cjk_font(script)
    cloud = _wordcloud_class()(font_path=f"{font.path}#{font.index}", width=settings.width,
                               height=settings.height, max_words=settings.max_words,
                               background_color=settings.background, colormap=settings.colormap,
                               random_state=settings.seed, prefer_horizontal=1.0,
                               max_font_size=settings.largest_font,
                               relative_scaling=settings.relative_scaling)
    return cloud.generate_from_frequencies(shown).to_image()


def png_bytes(image: Any) -> bytes:
    """The image as PNG bytes (for a download button or an HTML ``<img>``), with a 256-colour
    palette: a third of the size, and the same to the eye. zlib's default level: ``optimize``
    made the files 6 % smaller and took three times as long (``benchmarks/cloud_speed.py``)."""
    buffer = io.BytesIO()
    image.convert("RGB").quantize(colors=256).save(buffer, format="PNG")
    return buffer.getvalue()


def group_frequencies(ws: Any, *, by: str | None, period: str | None = None, top: int = 200,
                      include_duplicates: bool = False, save: bool = True,
                      exclude: Sequence[str] = (), everyday_words: bool = False) -> dict[str, pd.Series]:
    """The ``top`` words by count (ties by word, :func:`top_words`) of each group of ``by``
    (None: one group, ``all``), without the words of ``exclude`` and, unless
    ``everyday_words``, everyday words (没有, 真的 …); ``save=False`` keeps the counts out of
    ``WS/words/``. ``top`` should be at least the cloud's ``max_words``
    (:attr:`CloudSettings.words_counted`). Groups left without a word are not in it
    (:func:`cloud_frequencies` says why)."""
    return cloud_frequencies(ws, by=by, period=period, top=top, include_duplicates=include_duplicates,
                             save=save, exclude=exclude, everyday_words=everyday_words)[0]


# Why a group has no cloud (the keys of cloud_frequencies' second result)
NO_DOCUMENTS = "no documents"  # a theme no document hits, or only duplicates and spam
NO_WORDS = "no words"  # only one-character words, numbers, hashtags, emoticons or stopwords
EXCLUDED = "excluded"  # every word is one of the excluded words
EVERYDAY = "everyday"  # every word is an everyday word (没有, 真的 …)


def cloud_frequencies(ws: Any, *, by: str | None, period: str | None = None, top: int = 200,
                      include_duplicates: bool = False, save: bool = True, exclude: Sequence[str] = (),
                      everyday_words: bool = False) -> tuple[dict[str, pd.Series], dict[str, tuple[str, int]]]:
    """:func:`group_frequencies`, and each group left without a word to draw with why and its
    documents: ``{"2021-01-05": (NO_WORDS, 1)}`` for a day whose one post is 的了吗 啊 哦.
    Themes no document hits are among them with ``(NO_DOCUMENTS, 0)``."""
    from opinion.io.workspace import Workspace
    from opinion.words.groups import theme_names, top_words, without_words
    from opinion.words.keywords import KeywordSettings, group_counts

    settings = KeywordSettings(period=period, include_duplicates=include_duplicates)
    counts, totals, documents = group_counts(ws, by=by, settings=settings, save=save)
    if by is None:
        words = {"all": totals}
        names = ["all"]
    else:
        words = {str(group): rows.set_index("word")["count"] for group, rows in counts.groupby("group", sort=True)}
        themes = theme_names(ws if isinstance(ws, Workspace) else Workspace.open(ws)) if by == "theme" else []
        names = sorted({*words, *map(str, documents), *themes})
    found: dict[str, pd.Series] = {}
    skipped: dict[str, tuple[str, int]] = {}
    for group in names:
        counted = words.get(group, pd.Series(dtype="int64"))
        kept = counted[without_words(counted.index.to_series(), exclude, everyday=everyday_words)] \
            if len(counted) else counted
        if len(kept):
            found[group] = top_words(kept, top)
            continue
        shown_docs = int(documents.get(group, 0))
        if not shown_docs:
            why = NO_DOCUMENTS
        elif not len(counted):
            why = NO_WORDS
        else:
            why = EXCLUDED if without_words(counted.index.to_series(), (), everyday=everyday_words).any() \
                else EVERYDAY
        skipped[group] = (why, shown_docs)
    return found, skipped
