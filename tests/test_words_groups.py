"""Which tokens the word views read (opinion.words.groups): Weibo emoticons are left out."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd
import pytest

from opinion.errors import InputError
from opinion.words.groups import EMOTICON, DocFilter, group_tokens

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
    everything = KeywordSettings(top=10_000, min_count=1, min_docs=1, min_g2=0.0)
    for script in ("zh-Hans", "zh-Hant-TW"):
        table = keywords(ws, by="period", settings=everything, script=script)
        assert len(table) and not table["word"].str.match(EMOTICON).any()
    kept = keywords(ws, by="period", settings=KeywordSettings(top=10_000, min_count=1, min_docs=1, min_g2=0.0, emoticons=True))
    assert "[抠鼻]" in set(kept["word"])  # emoticons=True keeps them
    clouds = group_frequencies(ws, by=None, top=100_000)["all"]
    assert len(clouds) and not clouds.index.str.match(EMOTICON).any()
    net = cooccurrence_network(ws, settings=NetworkSettings(top=1_000, min_cooccurrence=1))
    assert len(net.nodes) and not net.nodes["id"].str.match(EMOTICON).any()
    with_them = cooccurrence_network(ws, settings=NetworkSettings(top=1_000, min_cooccurrence=1, emoticons=True))
    assert stored & set(with_them.nodes["id"])


FLAGGED = Path(__file__).parent / "data" / "words" / "flagged_weibo_posts.tsv"


@pytest.fixture(scope="module")
def flagged_ws(tmp_path_factory) -> Path:
    """Load and prepare of 21 real Weibo posts (covid19_weibo_2020, 12–14 February): five
    coupon ads (原价 … 券后 … 领券) that prepare flags as spam, a news post with three
    near-copies (牛牛, the first child patient to recover), and twelve other posts."""
    from opinion.io.load import load_corpus
    from opinion.prepare import prepare_workspace

    root = tmp_path_factory.mktemp("flagged") / "ws"
    load_corpus([str(FLAGGED)], root)
    prepare_workspace(root, workers=1)
    return root


def test_word_views_leave_out_spam_and_near_duplicates(flagged_ws):
    """Finding 1 of the new-user run (2026-12-07): keywords, clouds and networks left out only
    exact duplicates, so coupon ads flagged as spam took five of a day's 20 keywords (券后,
    原价, 限时, 专享, 领券) while topics, KWIC and themes check left them out."""
    from opinion.io.workspace import Workspace
    from opinion.words.cloud import group_frequencies
    from opinion.words.keywords import KeywordSettings, keywords
    from opinion.words.network import NetworkSettings, cooccurrence_network

    flags = Workspace.open(flagged_ws).read("flags")
    assert flags["is_spam"].sum() >= 5 and flags["near_duplicate_of"].notna().sum() >= 3
    ads = {"券后", "原价", "领券"}
    assert not ads & _words(flagged_ws)
    assert ads <= _words(flagged_ws, include_duplicates=True)
    kept = {chunk.documents for chunk in group_tokens(flagged_ws, by=None)}
    assert sum(kept) == 21 - int((flags["is_spam"] | flags["near_duplicate_of"].notna()).sum())
    every = KeywordSettings(top=10_000, min_count=1, min_docs=1, min_g2=0.0)
    assert not ads & set(keywords(flagged_ws, by="period", settings=every, save=False)["word"])
    flagged_in = KeywordSettings(top=10_000, min_count=1, min_docs=1, min_g2=0.0, include_duplicates=True)
    assert ads <= set(keywords(flagged_ws, by="period", settings=flagged_in, save=False)["word"])
    cloud = group_frequencies(flagged_ws, by=None, top=100_000)["all"]
    assert "牛牛" in cloud.index and cloud["牛牛"] < group_frequencies(
        flagged_ws, by=None, top=100_000, include_duplicates=True)["all"]["牛牛"]
    net = cooccurrence_network(flagged_ws, settings=NetworkSettings(top=1_000, min_cooccurrence=1))
    assert not ads & set(net.nodes["id"])


def test_kept_counts_are_made_again_when_the_flags_change(flagged_ws, tmp_path):
    """The counts kept in WS/words/ follow the flags table: a prepare that flags other posts
    (another spam threshold) must not be answered with counts made before it."""
    import shutil

    from opinion.io.workspace import Workspace
    from opinion.words.keywords import KeywordSettings, group_counts

    root = tmp_path / "ws"
    shutil.copytree(flagged_ws, root)
    ws = Workspace.open(root)
    _, totals, _ = group_counts(ws, by="period", settings=KeywordSettings())
    assert "券后" not in totals.index and list((root / "words").glob("counts_*.parquet"))
    for part in ws.parts("flags"):  # as if prepare had flagged no post
        flags = ws.read_part("flags", part)
        flags["is_spam"], flags["near_duplicate_of"] = False, None
        ws.write_part("flags", part, flags)
    _, totals, _ = group_counts(ws, by="period", settings=KeywordSettings())
    assert totals["券后"] >= 5


def test_theme_names_and_excluded_words_resolve_as_kwic_and_themes_check_do(tmp_path):
    """`network --theme 卫生署` refused a theme named 衞生署 that kwic and themes check found, and
    `--exclude 衞生署` never left out the token 卫生署 (the documents' form)."""
    from opinion.errors import InputError
    from opinion.io.workspace import Workspace
    from opinion.words.groups import DocFilter, excluded_words, named_filter

    ws = Workspace.open(tmp_path / "ws", create=True)
    assert named_filter(ws, DocFilter(theme="卫生署"), ["衞生署", "国货"]).theme == "衞生署"
    assert named_filter(ws, DocFilter(theme="國貨"), ["衞生署", "国货"]).theme == "国货"
    with pytest.raises(InputError, match="no theme '非遗'"):
        named_filter(ws, DocFilter(theme="非遗"), ["衞生署", "国货"])
    assert excluded_words(["衞生署, 沒有", "ＭＣＮ"]) == ("MCN", "卫生署", "没有")


@pytest.mark.parametrize("doc_filter, slug", [
    (DocFilter(), "all"),
    (DocFilter(theme="信任"), "theme-信任"),
    (DocFilter(topic=3, period="2020-02-03", unit="week"), "topic-3_period-week-2020-02-03"),
    (DocFilter(period="2020-02-01", unit="month"), "period-month-2020-02-01"),
    (DocFilter(period="2020-02-01", unit="day"), "period-day-2020-02-01"),
    (DocFilter(theme="防疫/口罩"), "theme-防疫_口罩"),  # was a folder 防疫 holding 口罩.gexf
    (DocFilter(theme="../../../出界"), "theme-______出界"),  # was written outside --out
    (DocFilter(theme="中美:贸易?\u202e"), "theme-中美_贸易_"),  # Windows-forbidden, a bidi override
])
def test_doc_filter_slug_names_the_period_unit_and_is_a_safe_file_name(doc_filter, slug):
    """h46 words #4 / exports #1: a month and a day starting 2020-02-01 both wrote
    network_period-2020-02-01.*, and a theme's `/` or `..` went into the path (2026-12-08)."""
    assert doc_filter.slug() == slug


def test_doc_filter_slug_of_a_long_theme_keeps_the_period_and_fits_a_file_name():
    name = "这是一个非常非常非常长的议题名称用来测试文件名长度限制的情况" * 3
    slug = DocFilter(theme=name, topic=12, period="2020-02-01", unit="month").slug()
    assert slug.endswith("_topic-12_period-month-2020-02-01") and len(slug.encode()) <= 150
    other = DocFilter(theme=name + "之二", topic=12, period="2020-02-01", unit="month").slug()
    assert other != slug and len(other.encode()) <= 150  # cut alike, still two files


def test_doc_filter_period_is_read_in_its_own_unit(ws):
    """The month starting 2020-01-01 holds the 12 posts of 01-24; the day 2020-01-01 none, whatever
    unit the groups are counted in."""
    def kept(unit: str | None) -> int:
        chosen = DocFilter(period="2020-01-01", unit=unit)
        return sum(chunk.documents for chunk in group_tokens(ws, by="period", period="day", doc_filter=chosen))

    assert (kept("month"), kept("day"), kept(None)) == (12, 0, 0)
    with pytest.raises(InputError, match="got 'year'"):
        DocFilter(period="2020-01-01", unit="year")
