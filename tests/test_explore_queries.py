"""The explorer's queries on a workspace made by `opinion load` and `opinion prepare`: search and
KWIC terms in the form of ``text_norm``, theme KWIC from the workspace's own themes."""

from __future__ import annotations

from pathlib import Path

import pytest

from opinion.config import PrepareSettings
from opinion.explore import queries as Q
from opinion.explore.data import ExploreStore, Filters
from opinion.io.load import load_corpus
from opinion.kwic import kwic as cli_kwic
from opinion.prepare import prepare_workspace

POSTS = [  # Taiwan posts (著, 「」, full width) beside mainland ones
    ("2020-02-01", "ptt", "隨著疫情升溫，「口罩」一罩難求，大家都在排隊。"),
    ("2020-02-02", "ptt", "接著政府宣布Ｎ９５口罩禁止出口，白衣女士們堅持著。"),
    ("2020-02-03", "weibo", "随着疫情发展，「口罩」供应紧张，小区开始隔离。"),
    ("2020-02-04", "weibo", "社区每天消毒两次，居家隔离的人越来越多。"),
    ("2020-02-05", "weibo", "国货品牌纷纷转产口罩，国潮也来支援。"),
]
USER_THEMES = """\
["国货"]
label = "my domestic"
terms = { "口罩" = 1 }
["防疫"]
label = "epidemic prevention"
terms = { "隔离" = 1, "消毒" = 1 }
"""


def prepared_workspace(root: Path) -> Path:
    """A workspace of :data:`POSTS` loaded from CSV and prepared with :data:`USER_THEMES`
    (a 国货 that replaces the shipped one, and a theme of the user's only)."""
    root.parent.mkdir(parents=True, exist_ok=True)
    csv = root.parent / "posts.csv"
    csv.write_text("date,source,text\n" + "".join(f"{d},{s},{t}\n" for d, s, t in POSTS), encoding="utf-8")
    themes = root.parent / "mythemes.toml"
    themes.write_text(USER_THEMES, encoding="utf-8")
    load_corpus([csv], root, text_col="text", date_col="date", source_col="source")
    prepare_workspace(root, settings=PrepareSettings(theme_files=(str(themes),)), workers=1)
    return root


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    root = prepared_workspace(tmp_path_factory.mktemp("queries") / "ws")
    return ExploreStore.open(root, texts_in_memory=False)


@pytest.mark.parametrize("query, documents", [
    ("隨著", 2), ("随着", 2),  # issue 46 #1: plain t2s searched 随著 and found neither
    ("堅持著", 1), ("坚持着", 1),
    ("Ｎ９５", 1), ("n95", 1),  # full width, as a Chinese IME types it
    ("「口罩」", 2),  # the mainland post keeps 「」, the Taiwan post's text_norm has “”
    ("“口罩”", 1),
    ("隨著 「口罩」", 2),  # every term, each in any of its forms
])
def test_search_finds_terms_in_the_form_of_text_norm(store, query, documents):
    assert Q.count(store, Filters(query=query)) == documents


@pytest.mark.parametrize("term", ["隨著", "Ｎ９５", "堅持著"])
def test_explorer_kwic_gives_the_lines_of_opinion_kwic(store, term):
    lines = Q.kwic(store, term, limit=200)
    expected = cli_kwic(store.root, term)
    assert sorted(lines["doc_id"]) == sorted(expected["doc_id"]) and len(lines) > 0
    assert Q.kwic_total(store, term) == len(expected)


def test_kwic_total_counts_the_lines_beyond_the_limit(store):
    assert len(Q.kwic(store, "口罩", limit=2)) == 2
    assert Q.kwic_total(store, "口罩") == len(cli_kwic(store.root, "口罩")) == 4


def test_theme_kwic_uses_the_workspace_themes(store):
    """issue 46 #5: the 国货 of a user's file (口罩) replaces the shipped words (国货, 国潮 …),
    and a theme of the user's only (防疫) has lines too."""
    assert Q.theme_words(store, "国货") == ["口罩"]
    assert Q.theme_words(store, "國貨") == ["口罩"]  # names matched in either script
    assert Q.theme_words(store, "防疫") == ["消毒", "隔离"]
    assert Q.theme_words(store, "没有这个") == []
    mine = Q.kwic(store, "", theme="国货", limit=200)
    assert set(mine["term"]) == {"口罩"} and len(mine) == Q.kwic_total(store, "", theme="国货") == 4
    prevention = Q.kwic(store, "", theme="防疫", limit=200)
    assert sorted(prevention["term"]) == ["消毒", "隔离", "隔离"]
