"""Keyword in context on a prepared workspace, in both scripts."""

from __future__ import annotations

import pytest

from opinion.errors import InputError
from opinion.kwic import kwic, kwic_lines


@pytest.fixture(scope="module")
def ws(tmp_path_factory):
    from test_prepare import write_text_corpus

    from opinion.prepare import prepare_workspace

    workspace = write_text_corpus(tmp_path_factory.mktemp("kwic") / "ws", weibo_rows=40)
    prepare_workspace(workspace, workers=1)
    return workspace


def test_kwic_lines_centre_the_term():
    rows = kwic_lines("d1", "主播带货，\n国货带货好", "带货", width=3)
    assert [(r["left"], r["term"], r["right"]) for r in rows] == [
        ("主播", "带货", "， 国"), (" 国货", "带货", "好")]
    assert kwic_lines("d1", "", "带货") == []


def test_kwic_finds_term_in_either_script(ws):
    simplified = kwic(ws, "国货", width=5)
    traditional = kwic(ws, "國貨", width=5)
    assert list(simplified.columns) == ["doc_id", "published_at", "left", "term", "right"]
    assert len(simplified) >= 8 and simplified.equals(traditional)
    assert set(simplified["doc_id"]) >= {"seed", "s-4"}
    assert str(simplified.loc[simplified["doc_id"] == "seed", "published_at"].iloc[0])[:10] == "2021-10-11"
    assert all(len(left) <= 5 and len(right) <= 5 for left, right in zip(simplified["left"], simplified["right"]))


def test_kwic_renders_script_and_limits(ws):
    hk = kwic(ws, "国货", width=5, script="zh-HK", limit=2)
    assert len(hk) == 2 and set(hk["term"]) == {"國貨"}
    with pytest.raises(InputError, match="--script must be one of"):
        kwic(ws, "国货", script="zh-TW")


def test_kwic_theme_filter(ws):
    all_lines = kwic(ws, "直播")
    trust_only = kwic(ws, "直播", theme="信任")
    assert 0 < len(trust_only) < len(all_lines)
    assert set(trust_only["doc_id"]) <= {"seed", "s-1", "s-2"}
    with pytest.raises(InputError, match=r"no theme 'nope'.*available: \['信任'"):
        kwic(ws, "直播", theme="nope")


def test_kwic_empty_term_and_no_hit(ws):
    with pytest.raises(InputError, match="the search term is empty"):
        kwic(ws, "  ")
    assert kwic(ws, "不存在的词语").empty
