"""Which tokens the word views read (opinion.words.groups): Weibo emoticons are left out."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd
import pytest

from opinion.words.groups import EMOTICON, group_tokens

POSTS = Path(__file__).parent / "data" / "text" / "weibo_sample.tsv"
BRACKETED = re.compile(EMOTICON)


@pytest.fixture(scope="module")
def ws(tmp_path_factory) -> Path:
    """A workspace made by load and prepare of 16 real posts: the four of the sample with
    Weibo emoticons ([抠鼻], [去旅行], [咖啡] …) and twelve without, on three days."""
    from opinion.io.load import load_corpus
    from opinion.prepare import prepare_workspace

    with POSTS.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    with_emoticons = [r for r in rows if re.search(r"\[[\u4e00-\u9fff]{1,8}\]", r["text"])]
    folder = tmp_path_factory.mktemp("emoticons")
    pd.DataFrame(with_emoticons + rows[:12]).to_csv(folder / "posts.csv", index=False)
    load_corpus([str(folder / "posts.csv")], folder / "ws")
    prepare_workspace(folder / "ws", workers=1)
    return folder / "ws"


def _words(ws: Path, **options) -> set[str]:
    return {w for chunk in group_tokens(ws, by=None, **options) for w in chunk.words.to_pylist()}


def test_emoticons_stay_tokens_but_are_left_out_of_the_word_views(ws):
    """Item 4 of the words findings (2026-12-07): [捂脸], [旺柴] were nodes of networks, keywords
    and cloud words, and --script zh-Hant-TW 'converted' them to names Weibo does not have."""
    from opinion.io.workspace import Workspace
    from opinion.words.cloud import group_frequencies
    from opinion.words.keywords import KeywordSettings, keywords
    from opinion.words.network import NetworkSettings, cooccurrence_network

    tokens = Workspace.open(ws).read("prepared", columns=["tokens"])["tokens"]
    stored = {t for ts in tokens for t in ts if BRACKETED.match(t)}
    assert {"[抠鼻]", "[去旅行]"} <= stored  # the tokenizer keeps them, for sentiment
    assert not {w for w in _words(ws) if BRACKETED.match(w)}
    assert stored <= _words(ws, emoticons=True)
    everything = KeywordSettings(top=10_000, min_count=1, min_g2=0.0)
    for script in ("zh-Hans", "zh-Hant-TW"):
        table = keywords(ws, by="period", settings=everything, script=script)
        assert len(table) and not table["word"].str.match(EMOTICON).any()
    kept = keywords(ws, by="period", settings=KeywordSettings(top=10_000, min_count=1, min_g2=0.0, emoticons=True))
    assert "[抠鼻]" in set(kept["word"])  # emoticons=True keeps them
    clouds = group_frequencies(ws, by=None, top=100_000)["all"]
    assert len(clouds) and not clouds.index.str.match(EMOTICON).any()
    net = cooccurrence_network(ws, settings=NetworkSettings(top=1_000, min_cooccurrence=1))
    assert len(net.nodes) and not net.nodes["id"].str.match(EMOTICON).any()
    with_them = cooccurrence_network(ws, settings=NetworkSettings(top=1_000, min_cooccurrence=1, emoticons=True))
    assert stored & set(with_them.nodes["id"])
