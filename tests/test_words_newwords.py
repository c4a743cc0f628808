"""New-word discovery on real Weibo posts, in both scripts, and the accept → prepare → KWIC loop."""

from __future__ import annotations

import gzip
import json
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from opinion.errors import InputError
from opinion.io.userdict import accept_words, read_word_file, user_dict_path
from opinion.words.newwords import NewWordSettings, find_new_words
from opinion.words.ngrams import count_levels, encode_texts, prefix_chain, texts_of

SAMPLE = Path(__file__).parent / "data" / "words" / "weibo_newwords_sample.jsonl.gz"
# Names the epidemic coined that jieba's dictionary splits (火神 / 山, 雷 / 神山, 逆 / 行者); 钻石公主号
# (钻石 / 公主 / 号) is 4 times outside a #hashtag# of its 68, and a hashtag is one token anyway.
NAMES = ["火神山", "雷神山", "逆行者"]
SMALL = NewWordSettings(min_count=5, top=30)  # the sample has 840 posts, not 620k


def _rows() -> list[dict]:
    with gzip.open(SAMPLE, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def _workspace(root: Path, rows: list[dict]) -> Path:
    from opinion.io.load import load_corpus
    from opinion.prepare import prepare_workspace

    source = root.parent / f"{root.name}.jsonl"
    source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    load_corpus([str(source)], root, date_col="date")
    prepare_workspace(root, workers=1)
    return root


@pytest.fixture(scope="module")
def ws(tmp_path_factory) -> Path:
    return _workspace(tmp_path_factory.mktemp("newwords") / "ws", _rows())


def test_ngram_counts_equal_brute_force_counts():
    texts = [r["text"] for r in _rows()[:80]]
    levels = count_levels([encode_texts(texts)], max_len=4, min_count=3)
    for level in levels[1:]:
        _, chars = prefix_chain(levels, level.n, np.arange(len(level.keys)))
        found = dict(zip(texts_of(chars), level.counts.tolist()))
        brute = Counter(t[i:i + level.n] for t in texts for i in range(len(t) - level.n + 1)
                        if all("\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf" for c in t[i:i + level.n]))
        assert found == {k: v for k, v in brute.items() if v >= 3}


def test_newwords_top_holds_the_names_jieba_splits(ws):
    table = find_new_words(ws, settings=SMALL)
    top = table["word"].head(15).tolist()
    assert set(NAMES) <= set(top), top
    row = table.set_index("word").loc["火神山"]
    assert row["jieba_cut"] == "火神 / 山" and row["count"] >= 30
    assert "【火神山】" in row["example_1"]
    assert not table["word"].isin(["的时候", "都是", "钻石公主号"]).any()  # stopwords at an edge are not words


def test_newwords_examples_stay_inside_their_own_post(ws):
    """An example is cut from the one post it names; it used to run on into the next post."""
    from opinion import schema as S
    from opinion.io.workspace import Workspace

    table = find_new_words(ws, settings=SMALL)
    norm = Workspace.open(ws).read(S.PREPARED).set_index(S.DOC_ID)[S.TEXT_NORM]
    flat = lambda text: "".join(str(text).split())  # noqa: E731 - the example collapses spaces
    for k in (1, 2):
        for word, example, doc_id in table[["word", f"example_{k}", f"example_{k}_doc_id"]].dropna().itertuples(
                index=False):
            assert flat(example.replace(f"【{word}】", word, 1)) in flat(norm[doc_id]), (example, doc_id)
    part = encode_texts(["武汉加油", "火神山医院"])
    assert part.context(4 + 1, 4 + 1 + 3, 10) == ("", "医院")  # 火神山 opens the second post
    assert part.context(0, 2, 10) == ("", "加油")


def test_newwords_work_on_traditional_text(tmp_path):
    from opinion.text.script import render

    rows = [{**r, "text": render(r["text"], "zh-Hant-TW")} for r in _rows()]
    table = find_new_words(_workspace(tmp_path / "hant", rows), settings=SMALL, script="zh-Hant-TW")
    top = table["word"].head(15).tolist()
    assert {"火神山", "雷神山", "逆行者", "新冠肺炎"} <= set(top), top


def test_newwords_count_outside_hashtags_and_without_flagged_posts(ws):
    """The count shown is what accepting the word re-cuts: not the inside of #话题# (one token), not
    near-duplicates or spam (which keywords and topics leave out). 钻石公主号 was counted 68 times
    in the sample, 64 of them inside hashtags; copy-paste campaigns reached --min-count."""
    import re

    from opinion import schema as S
    from opinion.flags import excluded_ids
    from opinion.io.workspace import Workspace
    from opinion.text.tokenize import HASHTAG

    opened = Workspace.open(ws)
    part = opened.parts(S.PREPARED)[0]
    prepared = opened.read_part(S.PREPARED, part, columns=[S.DOC_ID, S.TEXT_NORM])
    excluded = excluded_ids(opened, part)
    assert len(excluded) > 20  # the sample has near-duplicates and spam
    kept = [HASHTAG.sub("#", t) for d, t in zip(prepared[S.DOC_ID], prepared[S.TEXT_NORM]) if d not in excluded]
    table = find_new_words(ws, settings=SMALL)
    for word, count in zip(table["word"], table["count"]):
        assert count == sum(len(re.findall(f"(?={word})", text)) for text in kept), word
    low = find_new_words(ws, settings=NewWordSettings(min_count=2, top=500), save=False).set_index("word")
    assert low.loc["钻石公主号", "count"] == 4


def test_newwords_leave_out_pieces_of_words_and_phrases(ws):
    """做好防 (防护), 援武汉 (驰援), 正月十 (十四) are pieces of other words; a candidate with a stopword
    inside (康复的患者, 人员和车辆) is a phrase."""
    from opinion.text.tokenize import shipped_stopwords

    table = find_new_words(ws, settings=NewWordSettings(min_count=3, top=300), save=False)
    assert not table["word"].isin(["做好防", "援武汉", "正月十"]).any()
    assert {"做好防护", *NAMES} <= set(table["word"])
    stop = shipped_stopwords()
    assert not any(w in stop for cut in table["jieba_cut"] for w in cut.split(" / "))


def test_newwords_accept_what_the_list_shows_in_either_script(ws, tmp_path):
    """Accepting a candidate as `--script zh-Hant-TW` or `zh-HK` shows it stores the candidate: the
    zh-HK --out CSV stored 衞生健康 for 卫生健康, which never matched."""
    from opinion.io.workspace import Workspace
    from opinion.text.script import render_many

    candidates = find_new_words(ws, settings=NewWordSettings(min_count=3, top=500), save=False)["word"].tolist()
    candidates += ["卫生健康委", "保卫", "看着", "原著党"]
    for target in ("zh-Hant-TW", "zh-HK"):
        copy = Workspace.open(tmp_path / target, create=True)
        report = accept_words(copy, render_many(candidates, target))
        assert report.added == list(dict.fromkeys(candidates)), target


def test_accept_then_prepare_makes_one_token(ws, tmp_path):
    from opinion.kwic import kwic
    from opinion.prepare import prepare_workspace

    assert kwic(ws, "火神山", whole_token=True).empty  # jieba: 火神 / 山
    assert kwic(ws, "没有这个词", whole_token=True).empty  # no document contains it at all
    report = accept_words(ws, ["火神山", "鑽石公主號"])
    assert report.added == ["火神山", "钻石公主号"]
    assert accept_words(ws, ["火神山"]).already == ["火神山"]
    assert prepare_workspace(ws, workers=1).runner.computed  # the dictionary is in the fingerprint
    lines = kwic(ws, "火神山", whole_token=True)
    assert len(lines) > 50 and set(lines["term"]) == {"火神山"}
    assert not prepare_workspace(ws, workers=1).runner.computed  # unchanged now
    assert "火神山" not in find_new_words(ws, settings=SMALL)["word"].tolist()  # no longer split
    words = tmp_path / "chosen.txt"
    words.write_text("# chosen\n雷神山,1.0\n\n逆行者\n", encoding="utf-8")
    assert read_word_file(words) == ["雷神山", "逆行者"]
    assert accept_words(ws, read_word_file(words)).added == ["雷神山", "逆行者"]
    stored = user_dict_path(ws).read_text(encoding="utf-8").splitlines()[1:]
    assert stored == [f"{w} 20000" for w in ["火神山", "钻石公主号", "雷神山", "逆行者"]]


def test_word_file_of_the_out_table_gives_its_word_column(tmp_path):
    out = tmp_path / "nw.csv"  # a trimmed copy of `opinion newwords --out`: rank first
    out.write_text("\ufeffrank,word,count,cohesion\n1,方舱医院,120,8.1\n3,\"钻石公主号\",88,9.0\n", encoding="utf-8")
    assert read_word_file(out) == ["方舱医院", "钻石公主号"]  # was ['rank', '1', '3']


def test_newwords_entropy_of_a_length_without_candidates():
    """A length with no candidate left crashed (numpy cannot add floats into bincount's int64)."""
    from opinion.words.newwords import _entropy

    empty = _entropy(np.zeros(0, np.int64), np.zeros(0), np.zeros(0, np.int64))
    assert empty.dtype == np.float64 and empty.size == 0


def test_newwords_settings_are_checked():
    with pytest.raises(InputError, match="min_len"):
        NewWordSettings(min_len=1)
    with pytest.raises(InputError, match="min-count"):
        NewWordSettings(min_count=1)


def test_newwords_stop_when_a_dictionary_prepare_used_is_gone(tmp_path):
    """prepare stops when its --user-dict is gone; newwords went on with another dictionary."""
    from opinion.config import PrepareSettings
    from opinion.prepare import prepare_workspace

    root = _workspace(tmp_path / "ws", _rows()[:60])
    words = tmp_path / "ud.txt"
    words.write_text("火神山\n", encoding="utf-8")
    prepare_workspace(root, settings=PrepareSettings(user_dicts=(str(words),)), workers=1)
    words.unlink()
    with pytest.raises(InputError, match=r"ud.txt: the user dictionary `opinion prepare` used is gone"):
        find_new_words(root, settings=SMALL)


def test_newwords_leave_out_the_theme_terms_prepare_keeps_whole(tmp_path):
    """Regression: newwords cut without the --themes terms that prepare adds to the dictionary, so
    火神山 of a theme file, already one token, was proposed (cut 火神 / 山) and accepting it changed nothing."""
    from opinion.config import PrepareSettings
    from opinion.prepare import prepare_workspace

    root = _workspace(tmp_path / "ws", _rows())
    assert "火神山" in find_new_words(root, settings=SMALL, save=False)["word"].tolist()
    themes = tmp_path / "mythemes.toml"
    themes.write_text('["防疫"]\nterms = ["火神山", "戴口罩"]\n', encoding="utf-8")
    prepare_workspace(root, settings=PrepareSettings(theme_files=(str(themes),)), workers=1)
    words = find_new_words(root, settings=SMALL, save=False)["word"].tolist()
    assert "火神山" not in words and "戴口罩" not in words and {"雷神山", "逆行者"} <= set(words)


# One advertiser's post of 2020-02-10 (trial 2026-12-08: 区块链 ranked 4th on 36 occurrences in 2 posts
# of 3,000, one a copy of the other), cut to its paragraphs on 区块链.
AD_POST = ("#全国累计确诊40171例新冠肺炎#搪瓷反应罐恒久科技此前收购闽保股份实现区块链软硬件一体化发展，是区块链+密保"
           "行业第一股，在信息安全领域取得A股区块链业务营收利润双双第一的成绩。 美国《连线》杂志在近日的报道指出，"
           "中国正在向全球区块链领导的主导地位推进。区块链的发展需要和前沿技术融合，近日，恒久科技(002808)子公司"
           "闽保股份与OKLink投资币牛牛，将推进区块链在大数据、信息安全、数字金融等方面的融合与创新。 区块链发展日新"
           "月异，2009年世界第一个区块链的比特币诞生到今天已经过去10个年头，业内人士表示，区块链很可能是人类有史以来"
           "发展最快的行业。")


def test_newwords_need_several_documents_not_one_posts_repeats(tmp_path):
    """Regression (trial 2026-12-08, #13): the list ranked by occurrences, so one ad post repeating
    区块链 nine times made a "new word"; a word now needs --min-docs (3) documents, shown as ``docs``."""
    from opinion import schema as S
    from opinion.flags import excluded_ids
    from opinion.io.workspace import Workspace

    root = _workspace(tmp_path / "ws", [*_rows(), {"text": AD_POST, "date": "2020-02-10", "file": "2.10"}])
    table = find_new_words(root, settings=SMALL, save=False)
    assert "区块链" not in table["word"].tolist() and {"火神山", "雷神山"} <= set(table["word"])
    one = find_new_words(root, settings=NewWordSettings(min_count=5, min_docs=1, top=30), save=False)
    assert one.set_index("word").loc["区块链", ["count", "docs"]].tolist() == [9, 1]
    opened = Workspace.open(root)
    part = opened.parts(S.PREPARED)[0]
    prepared = opened.read_part(S.PREPARED, part, columns=[S.DOC_ID, S.TEXT_NORM])
    kept = [t for d, t in zip(prepared[S.DOC_ID], prepared[S.TEXT_NORM]) if d not in excluded_ids(opened, part)]
    for word, docs in zip(table["word"], table["docs"]):  # hashtags aside, as counts are
        assert 3 <= docs <= sum(word in text for text in kept), word
    with pytest.raises(InputError, match="--min-docs must be at least 1"):
        NewWordSettings(min_docs=0)
