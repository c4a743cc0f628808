"""Word clouds: the CJK font of the reader's region, PNG output, and the error when no font exists."""

from __future__ import annotations

import io

import pytest

from opinion.errors import OpinionError
from opinion.words import cloud
from opinion.words.cloud import CloudSettings, MissingFontError, cjk_font, png_bytes, word_cloud

WORDS = {"疫情": 40, "武汉": 30, "口罩": 20, "医院": 10, "钻石公主号": 8, "逆行者": 6}


@pytest.fixture(autouse=True)
def _fresh_font_cache(monkeypatch):
    monkeypatch.delenv(cloud.FONT_ENV, raising=False)
    cjk_font.cache_clear()
    yield
    cjk_font.cache_clear()


def test_font_face_follows_the_script():
    from PIL import ImageFont

    try:
        faces = {s: cjk_font(s) for s in ("zh-Hans", "zh-Hant-TW", "zh-HK")}
    except MissingFontError:
        pytest.skip("no CJK font installed")
    names = {s: ImageFont.truetype(f.path, 12, index=f.index).getname()[0] for s, f in faces.items()}
    if names["zh-Hans"].endswith("SC"):  # a collection with regional faces (Noto Sans CJK)
        assert names["zh-Hant-TW"].endswith("TC") and names["zh-HK"].endswith("HK")


def test_word_cloud_is_a_png_in_the_reader_script():
    from PIL import Image

    try:
        image = word_cloud(WORDS, script="zh-Hant-TW", settings=CloudSettings(width=300, height=150))
    except MissingFontError:
        pytest.skip("no CJK font installed")
    data = png_bytes(image)
    assert data[:4] == b"\x89PNG"
    assert Image.open(io.BytesIO(data)).size == (300, 150)
    again = png_bytes(word_cloud(WORDS, script="zh-Hant-TW", settings=CloudSettings(width=300, height=150)))
    assert again == data  # seeded layout


def test_missing_font_names_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setenv(cloud.FONT_ENV, str(tmp_path / "none.otf"))
    with pytest.raises(MissingFontError, match="pip install noto-cjk-sans-otc"):
        cjk_font("zh-Hans")


def test_no_words_is_a_user_error():
    with pytest.raises(OpinionError, match="no words"):
        word_cloud({}, script="zh-Hans")


def test_each_font_size_is_opened_once_and_the_cloud_is_unchanged():
    words = {"疫情": 30, "口罩": 12, "武汉": 20, "加油": 9, "医院": 7}
    settings = CloudSettings(width=200, height=100, max_words=5)
    cloud._opened_font.cache_clear()
    try:
        first = png_bytes(word_cloud(words, settings=settings))
    except MissingFontError:
        pytest.skip("no CJK font installed")
    opened = cloud._opened_font.cache_info().misses
    assert png_bytes(word_cloud(words, settings=settings)) == first
    again = cloud._opened_font.cache_info()
    assert again.misses == opened > 0 and again.hits > 0  # the second cloud opened no font


def test_a_cloud_opens_no_font_size_above_its_largest_word():
    """Finding 2 of the new-user run (2026-12-07): wordcloud sized the largest word by laying
    out the first two from the full height down, opening the font at every size on the way;
    with each opened size kept (1 MB, 3 MB resident), one 100-word cloud held ~400 faces, 1.1 GB."""
    words = {f"词语{i}": 200 - i for i in range(100)}
    settings = CloudSettings(width=400, height=200, max_words=100)
    cloud._opened_font.cache_clear()
    try:
        image = word_cloud(words, settings=settings)
    except MissingFontError:
        pytest.skip("no CJK font installed")
    opened = cloud._opened_font.cache_info()
    assert 0 < opened.currsize <= 60  # sizes 60 (30 % of the height) and below; before: 190
    assert settings.largest_font == 60 and CloudSettings(max_font_size=50).largest_font == 50
    assert opened.maxsize == cloud.FONT_SIZES_KEPT
    assert image.size == (400, 200)


def reverse_kept_counts(root) -> None:
    """Rewrite the word counts kept in ``WS/words/`` with their rows reversed: the same counts,
    in another row order (as Arrow's group_by may give them on another run)."""
    from pathlib import Path

    import pandas as pd

    paths = sorted((Path(root) / "words").glob("counts_*.parquet"))
    assert paths
    for path in paths:
        pd.read_parquet(path).iloc[::-1].to_parquet(path, index=False)


def test_tied_words_are_cut_and_ordered_by_count_then_word(tmp_path):
    """Item 1 of the words findings (2026-12-07): the words at the cut and their order depended
    on the row order of the counts, so a recount gave another cloud."""
    from factory import make_workspace

    from opinion.words.cloud import group_frequencies

    ws = make_workspace(tmp_path / "ws")
    full = {by: group_frequencies(ws.root, by=by, top=100_000) for by in (None, "period")}
    fresh = {by: group_frequencies(ws.root, by=by, top=30) for by in (None, "period")}
    reverse_kept_counts(ws.root)
    kept = {by: group_frequencies(ws.root, by=by, top=30) for by in (None, "period")}
    tied_at_cut = 0
    for by in (None, "period"):
        assert fresh[by].keys() == kept[by].keys()
        for group, counts in fresh[by].items():
            assert list(counts.items()) == list(kept[by][group].items())
            assert list(counts.index) == sorted(counts.index, key=lambda w, c=counts: (-c[w], w))
            assert list(counts.index) == list(full[by][group].index[:30])
            tied_at_cut += len(full[by][group]) > 30 and full[by][group].iloc[29] == full[by][group].iloc[30]
    assert tied_at_cut  # the sample has ties at the cut, so the test means something


def test_tied_words_are_drawn_the_same_whatever_order_they_come_in():
    words = {"疫情": 9, "口罩": 5, "武汉": 5, "加油": 5, "医院": 5, "逆行者": 3, "钻石公主号": 3}
    settings = CloudSettings(width=300, height=150, max_words=5)
    try:
        forward = png_bytes(word_cloud(words, settings=settings))
    except MissingFontError:
        pytest.skip("no CJK font installed")
    assert png_bytes(word_cloud(dict(reversed(words.items())), settings=settings)) == forward


def test_cloud_sizes_follow_counts_by_the_documented_scaling():
    """Sizes rank the words but are not proportional (wordcloud's relative_scaling 0.5, now a
    setting, docs/words.md): 1.0 draws them in proportion, and leaves a long tail at 4 px."""
    counts = {"疫情": 643, "加油": 212, "物资": 82, "口罩": 60, "武汉": 40, "医院": 30}
    assert CloudSettings().relative_scaling == 0.5
    default = png_bytes(word_cloud(counts))
    proportional = png_bytes(word_cloud(counts, settings=CloudSettings(relative_scaling=1.0)))
    assert default != proportional and default == png_bytes(word_cloud(counts))


def test_tied_words_are_the_same_words_in_every_script(monkeypatch):
    """h47 i18n 5: ties went by the word shown, so a cloud of 5 words drew 村屯 in zh-Hant-TW
    (處罰 sorts after it) and 处罚 in zh-Hans; they go by the Simplified word now."""
    handed: dict[str, list[str]] = {}

    class Recorder:  # wordcloud's WordCloud, keeping the words it is handed, in order
        def __init__(self, **kwargs):
            pass

        def generate_from_frequencies(self, frequencies):
            handed[script] = list(frequencies)
            return self

        def to_image(self):
            return None

    monkeypatch.setattr(cloud, "_wordcloud_class", lambda: Recorder)
    words = {"村屯": 3, "处罚": 3, "防控": 6}
    for script in ("zh-Hans", "zh-Hant-TW", "zh-HK"):
        try:
            word_cloud(words, script=script)
        except MissingFontError:
            pytest.skip("no CJK font installed")
    assert handed["zh-Hans"] == ["防控", "处罚", "村屯"]
    assert handed["zh-Hant-TW"] == handed["zh-HK"] == ["防控", "處罰", "村屯"]
