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
