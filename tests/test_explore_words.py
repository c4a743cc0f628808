"""The explorer's Words section through AppTest: keywords, network, cloud and new words, in both scripts."""

from __future__ import annotations

import pytest
from test_app import start

from opinion.words.newwords import NewWordSettings, find_new_words


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    from factory import make_workspace

    root = tmp_path_factory.mktemp("app_words") / "ws"
    make_workspace(root)
    return root


def test_words_section_keywords_and_network(monkeypatch, workspace):
    at = start(monkeypatch, workspace, section="Words", script="zh-Hant-TW")
    text = " ".join(df.value.to_string() for df in at.dataframe)
    assert "口罩" in text or "武漢" in text  # keywords rendered in Traditional
    assert not at.get("plotly_chart")  # only the chosen view runs
    at.radio(key="words_view").set_value("Network").run()
    charts = at.get("plotly_chart")
    assert charts, "the network is drawn"
    assert "武漢" in str(charts[0].proto.spec) and "武汉" not in str(charts[0].proto.spec)
    assert not at.exception


def test_words_network_legend_titled_community_not_last_number(monkeypatch, workspace):
    import json

    at = start(monkeypatch, workspace, section="Words", script="zh-Hant-TW")
    at.radio(key="words_view").set_value("Network").run()
    layout = json.loads(at.get("plotly_chart")[0].proto.spec)["layout"]
    assert layout["legend"]["title"]["text"] == "社區"  # was the last community's number


def test_words_section_cloud_and_new_words(monkeypatch, workspace):
    find_new_words(workspace, settings=NewWordSettings(min_count=2, top=10))
    at = start(monkeypatch, workspace, section="Words")
    at.radio(key="words_view").set_value("Word cloud").run()
    assert at.get("imgs") or at.get("image"), "the word cloud is shown"
    assert any(b.label == "PNG" for b in at.get("download_button"))
    at.radio(key="words_view").set_value("New words").run()
    assert any("jieba_cut" in df.value.columns for df in at.dataframe)


def test_words_left_out_in_the_explorer_as_with_exclude(monkeypatch, workspace):
    """The words typed (here in Traditional) leave the keyword grid and the network, as --exclude does."""
    at = start(monkeypatch, workspace, section="Words", script="zh-Hans")
    grid = next(df.value for df in at.dataframe if df.value.index.name == "名次")
    first = str(grid.iloc[0, 0])
    at.radio(key="words_view").set_value("Network").run()
    assert first in str(at.get("plotly_chart")[0].proto.spec)
    at.text_input(key="words_exclude").set_value(render(first, "zh-Hant-TW") + ",不存在").run()
    assert first not in str(at.get("plotly_chart")[0].proto.spec)
    at.radio(key="words_view").set_value("Keywords").run()
    words = " ".join(df.value.to_string() for df in at.dataframe)
    assert first not in words and not at.exception


def test_everyday_words_shown_in_the_explorer_only_when_asked(monkeypatch, workspace):
    """The box 显示常用词 (off) keeps 没有, 真的 … out of the network, as the commands do."""
    import json

    from opinion.text.everyday import EVERYDAY_WORDS

    def node_words(at) -> set[str]:
        spec = json.loads(at.get("plotly_chart")[0].proto.spec)
        return {word for trace in spec["data"] for word in (trace.get("customdata") or trace.get("text") or [])
                if isinstance(word, str)}

    at = start(monkeypatch, workspace, section="Words", script="zh-Hans")
    at.radio(key="words_view").set_value("Network").run()
    at.slider(key="words_net_top").set_value(150).run()
    assert not node_words(at) & EVERYDAY_WORDS
    at.checkbox(key="words_everyday").check().run()
    assert node_words(at) & EVERYDAY_WORDS and not at.exception


def render(text: str, script: str) -> str:
    from opinion.text.script import render as to_script

    return to_script(text, script)


def test_words_keywords_in_traditional_count_words_shown_alike_once(monkeypatch, tmp_path):
    """想象 and 想像 are both 想像 in zh-Hant-TW: the explorer listed 想像 twice with half the
    count each (it rendered the Simplified keywords), as `opinion keywords` had before."""
    from factory import make_workspace

    from opinion import schema as S

    ws = make_workspace(tmp_path / "ws")
    corpus = ws.read_part(S.CORPUS, "sample-00000")
    posts = corpus.index[corpus[S.DUPLICATE_OF].isna()][:6]
    corpus.loc[posts, S.SOURCE] = "论坛"  # a source of six posts, three with each spelling (--min-docs 3)
    ws.write_part(S.CORPUS, "sample-00000", corpus)
    prepared = ws.read_part(S.PREPARED, "sample-00000").set_index(S.DOC_ID)
    tokens = prepared[S.TOKENS].map(list)
    for n, post in enumerate(posts):
        tokens[corpus.loc[post, S.DOC_ID]] += ["想象" if n < 3 else "想像"] * 2
    ws.write_part(S.PREPARED, "sample-00000", prepared.assign(**{S.TOKENS: tokens}).reset_index())
    at = start(monkeypatch, ws.root, section="Words", script="zh-Hant-TW")
    at.radio(key="words_kw_by").set_value("source").run()
    assert not at.exception
    found = next(df.value for df in at.dataframe if "word" in df.value.columns)
    shown = found[found["word"] == "想像"]
    assert len(shown) == 1 and shown["count"].item() == 12
