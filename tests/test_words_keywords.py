"""Keywords by group with Dunning's log-likelihood on the demo corpus."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import replace

import numpy as np
import pytest

from opinion.errors import InputError
from opinion.words.keywords import KeywordSettings, keyword_grid, keywords, log_likelihood


@pytest.fixture(scope="module")
def ws(tmp_path_factory):
    from test_words_network import DEMO

    from opinion.io.load import load_corpus
    from opinion.prepare import prepare_workspace

    root = tmp_path_factory.mktemp("keywords") / "ws"
    load_corpus([str(DEMO)], root, date_from_filename=True)
    prepare_workspace(root, workers=1)
    return root


@pytest.mark.parametrize("a, b, c, d, expected", [
    (10, 10, 100, 1000, 22.138),  # twice as common in the group as E1 = 1.82 expects
    (5, 50, 1000, 10000, 0.0),  # the same rate on both sides
])
def test_log_likelihood_known_values(a, b, c, d, expected):
    assert float(log_likelihood(np.array([a]), np.array([b]), c, d)[0]) == pytest.approx(expected, abs=1e-3)


def test_keywords_by_week_match_a_direct_count(ws):
    from opinion.flags import excluded_ids
    from opinion.io.workspace import Workspace
    from opinion.periods import period_start

    table = keywords(ws, by="period", settings=KeywordSettings(period="week", top=5))
    w = Workspace.open(ws)
    docs = w.read("prepared", columns=["doc_id", "tokens"]).merge(
        w.read("corpus", columns=["doc_id", "published_at"]), on="doc_id")
    flagged = {d for part in w.parts("corpus") for d in excluded_ids(w, part)}  # duplicates and spam
    docs = docs[~docs["doc_id"].isin(flagged)]
    docs["week"] = period_start(docs["published_at"], "week").dt.strftime("%Y-%m-%d")
    keep = lambda t: (len(t) >= 2 and not t[0].isdigit() and not (t.startswith("#") and t.endswith("#"))  # noqa: E731
                      and not re.fullmatch(r"\[[^\[\]]+\]", t))  # emoticons ([捂脸]) out since 2026-12-07
    row = table.iloc[0]
    group = Counter(t for ts in docs.loc[docs["week"] == row["group"], "tokens"] for t in ts if keep(t))
    other = docs["week"].notna() & (docs["week"] != row["group"])  # the other weeks: not the undated article
    rest = Counter(t for ts in docs.loc[other, "tokens"] for t in ts if keep(t))
    assert (row["count"], row["rest_count"]) == (group[row["word"]], rest[row["word"]])
    expected = log_likelihood(np.array([group[row["word"]]]), np.array([rest[row["word"]]]),
                              sum(group.values()), sum(rest.values()))[0]
    assert row["g2"] == pytest.approx(expected, abs=0.01)
    assert (table["per_10k"] > table["rest_per_10k"]).all() and (table["count"] >= 5).all()
    assert table.groupby("group")["g2"].apply(lambda s: s.is_monotonic_decreasing).all()
    grid = keyword_grid(table, top=3)
    assert list(grid.index) == [1, 2, 3] and row["group"] in grid.columns
    assert math.isfinite(table["log_ratio"].max())


def test_keywords_by_theme_and_source_render_the_script(ws):
    by_theme = keywords(ws, by="theme", script="zh-Hant-TW", settings=KeywordSettings(min_count=2))
    assert set(by_theme["group"]) <= {"信任", "國貨", "非遺", "直播電商"} and len(by_theme)
    # the demo folder, and the article without a source (one document: a keyword needs 3 since 2026-12-08)
    by_source = keywords(ws, by="source", settings=KeywordSettings(min_docs=1))
    groups = set(by_source["group"])  # no source: the input file's name, as in the explorer and report
    assert "demo" in groups and all(g.endswith(".csv.gz") for g in groups - {"demo"})
    assert (by_source["g2"] >= 3.84).all()
    assert set(by_source.loc[by_source["group"] == "demo", "docs"]) == {1}
    assert "demo" not in set(keywords(ws, by="source")["group"])
    with pytest.raises(InputError, match="--by"):
        keywords(ws, by="author")
    with pytest.raises(InputError, match="run `opinion topics"):
        keywords(ws, by="topic")


def _partly_dated(root, days: int):
    """40 posts about 口罩 on 2020-02-01, 40 about 疫苗 on 02-02 when ``days`` is 2, and 40
    about 口罩 without a date, prepared."""
    from opinion.io.load import load_corpus
    from opinion.prepare import prepare_workspace

    masks = ["口罩抢购药店看到我们真的消息", "药店防护口罩消息生活我们希望", "抢购消毒酒精朋友城市工作真的"]
    vaccines = ["试验临床接种看到希望大家真的", "疫苗临床抗体消息看到希望觉得", "临床疫苗抗体消息生活城市今天"]
    rows = [f"{(masks, vaccines)[d - 1][i % 3]}，第{i}条,2020-02-0{d} 10:00"
            for d in range(1, days + 1) for i in range(40)]
    rows += [f"{masks[i % 3]}，第{i}号," for i in range(40)]
    path = root / "partial.csv"
    path.write_text("text,date\n" + "\n".join(rows) + "\n", encoding="utf-8")
    load_corpus([str(path)], root / "ws")
    prepare_workspace(root / "ws", workers=1)
    return root / "ws"


def test_keywords_by_period_leave_undated_documents_out_of_the_rest(tmp_path):
    """The rest of each period held the undated posts, and one dated period got a full keyword
    list of "dated against undated" with no note of the 40 undated posts (2026-12-08)."""
    ws = _partly_dated(tmp_path, days=1)
    settings = KeywordSettings(include_duplicates=True, min_count=3)
    one = keywords(ws, by="period", settings=settings, save=False)
    assert one.empty and one.attrs["undated_documents"] == 40  # one dated period: no rest, as documented


def test_keywords_rest_of_a_period_is_the_other_dated_periods(tmp_path):
    ws = _partly_dated(tmp_path, days=2)
    settings = KeywordSettings(include_duplicates=True, min_count=3, min_g2=0)
    table = keywords(ws, by="period", settings=settings, save=False).set_index(["group", "word"])
    assert table.loc[("2020-02-01", "药店"), "rest_count"] == 0  # was 27: the undated 口罩 posts
    assert table.attrs["undated_documents"] == 40


def test_keywords_period_unit_errors_name_the_period_unit_flag():
    from opinion.cli.options import flag_for

    with pytest.raises(InputError, match="must be one of day, week, month; got 'Month'") as caught:
        KeywordSettings(period="Month")
    assert flag_for(caught.value) == "--period-unit"


MARY = ("到21岁的时候，就开始在纽约找工作了。玛丽没有接受过太多教育，所以找不到什么好工作。她唯一擅长的就是做饭，"
        "所以开始了自己的厨子生涯。那时候的美国富人，愿意雇佣一些厨艺不错的人当厨师，所以玛丽还是很容易找工作的。"
        "总之，1900年，玛丽在一个雇主家当厨师的时候，那家人就患上了伤寒。此后，玛丽来到哪一家当厨子，这一家就会感染上伤寒。"
        "但是，玛丽这种不固定的工作，流动性很强，她也从不留下的自己的联系方式，所以一直都没人注意到她。")


def test_keywords_need_the_word_in_min_docs_documents_of_the_group(tmp_path):
    """h46 words #2: one 1,700-character post about Typhoid Mary made 玛丽 (38 times, 1 post) the
    7th keyword of its day, with a G² above words of dozens of posts; 6 of 60 keywords of 2,515
    Weibo posts came from one or two posts (2026-12-08)."""
    from opinion.io.load import load_corpus
    from opinion.prepare import prepare_workspace
    from opinion.words.keywords import COLUMNS

    masks = ["口罩抢购药店看到我们真的消息", "药店防护口罩消息生活我们希望", "抢购消毒酒精朋友城市工作真的"]
    vaccines = ["试验临床接种看到希望大家真的", "疫苗临床抗体消息看到希望觉得", "临床疫苗抗体消息生活城市今天"]
    rows = [f"{(masks, vaccines)[d - 1][i % 3]}，第{i}条,2020-02-0{d} 10:00" for d in (1, 2) for i in range(40)]
    rows.append(f"{MARY},2020-02-02 11:00")
    (tmp_path / "posts.csv").write_text("text,date\n" + "\n".join(rows) + "\n", encoding="utf-8")
    load_corpus([str(tmp_path / "posts.csv")], tmp_path / "ws")
    prepare_workspace(tmp_path / "ws", workers=1)
    loose = KeywordSettings(include_duplicates=True, min_count=3, min_g2=0, min_docs=1)
    table = keywords(tmp_path / "ws", by="period", settings=loose, save=False)
    assert list(table.columns) == COLUMNS and "docs" in COLUMNS
    mary = table.set_index("word").loc["玛丽"]
    assert (mary["count"], mary["docs"], mary["group"]) == (5, 1, "2020-02-02")
    assert table.set_index("word").loc["临床", "docs"] == 40  # 临床 in every vaccine post, once each
    default = keywords(tmp_path / "ws", by="period", settings=replace(loose, min_docs=KeywordSettings().min_docs))
    assert "玛丽" not in set(default["word"]) and (default["docs"] >= 3).all()
    assert set(default["word"]) == set(table.loc[table["docs"] >= 3, "word"])
    with pytest.raises(InputError, match="--min-docs"):
        KeywordSettings(min_docs=0)


def test_keywords_tied_at_the_cut_are_the_same_words_in_every_script():
    """h47 i18n 5: words of equal G² went by the word shown, so the 20th keyword of a day was
    处罚 in zh-Hans and 村屯 in zh-Hant-TW (處罰 sorts after 村屯); ties go by the Simplified word."""
    import pandas as pd

    from opinion.text.script import render
    from opinion.words.keywords import counts_as_shown, keyness

    counts = pd.DataFrame({"group": ["2020-02-04"] * 3 + ["2020-02-05"] * 3,
                           "word": ["处罚", "村屯", "防控", "处罚", "村屯", "防控"],
                           "count": [5, 5, 9, 0, 0, 30], "docs": [5, 5, 9, 0, 0, 30]})
    totals = counts.groupby("word")["count"].sum()
    simplified = keyness(counts, totals, top=1, min_count=1).set_index("group")["word"]
    assert simplified["2020-02-04"] == "处罚"  # g2 as 村屯's
    for script in ("zh-Hant-TW", "zh-HK"):
        shown_counts, shown_totals, _ = counts_as_shown(counts, totals, script=script)
        shown = keyness(shown_counts, shown_totals, top=1, min_count=1).set_index("group")["word"]
        assert shown.tolist() == [render(w, script) for w in simplified] and shown["2020-02-04"] == "處罰"


def test_keywords_by_theme_name_in_the_readers_script(tmp_path):
    """h47 i18n 3: a theme named 國貨 by a Taiwanese theme file stayed 國貨 in a zh-Hans list."""
    from factory import make_workspace

    from opinion import schema as S

    ws = make_workspace(tmp_path / "ws")
    prepared = ws.read_part(S.PREPARED, "sample-00000")
    ws.write_part(S.PREPARED, "sample-00000", prepared.rename(columns={"theme_国货": "theme_國貨"}))
    settings = KeywordSettings(min_count=1, min_docs=1, min_g2=0.0)
    assert "国货" in set(keywords(ws.root, by="theme", settings=settings, save=False)["group"])
    shown = set(keywords(ws.root, by="theme", settings=settings, script="zh-Hant-TW", save=False)["group"])
    assert "國貨" in shown and "信任" in shown
