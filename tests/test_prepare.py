"""The prepare stage on a small real workspace: output, resumption, workers, CLI."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from opinion import schema as S
from opinion.cli import app
from opinion.io.workspace import Workspace
from opinion.prepare import PrepareSettings, prepare_part, prepare_workspace

DATA = Path(__file__).parent / "data" / "text"
SHORT = [  # (doc_id, text): Simplified, an exact duplicate, empty, emoji, Traditional
    ("s-1", "直播带货要讲诚信，品控和售后是消费者信任的基础。"),
    ("s-2", "直播带货要讲诚信，品控和售后是消费者信任的基础。"),
    ("s-3", ""),
    ("s-4", "国货真香😍[赞]#国货之光# @小红 http://t.cn/A6"),
    ("s-5", "非遺傳承人在直播間展示老手藝，網友紛紛下單。"),
]


def _corpus(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    frame[S.PUBLISHED_AT] = pd.to_datetime(frame[S.PUBLISHED_AT])
    for column in S.CORPUS_COLUMNS:
        if column not in frame:
            frame[column] = None
    frame[S.INPUT_ROW] = range(1, len(frame) + 1)
    frame[S.DECODE_ERROR] = False
    return frame[list(S.CORPUS_COLUMNS)]


def write_text_corpus(root: str | Path, *, weibo_rows: int = 60) -> Workspace:
    """A workspace with two corpus parts: the seed article plus short texts, and Weibo posts."""
    ws = Workspace.open(root, create=True)
    seed = (DATA / "live_commerce_trust_article.txt").read_text("utf-8")
    rows = [{S.DOC_ID: "seed", S.TEXT_RAW: seed, S.PUBLISHED_AT: "2021-10-11", S.SOURCE: "news"}]
    rows += [{S.DOC_ID: i, S.TEXT_RAW: t, S.PUBLISHED_AT: "2021-10-12", S.SOURCE: "test"}
             for i, t in SHORT]
    ws.write_part(S.CORPUS, "a-00000", _corpus(rows))
    with (DATA / "weibo_sample.tsv").open(encoding="utf-8") as fh:
        posts = list(csv.DictReader(fh, delimiter="\t"))[:weibo_rows]
    ws.write_part(S.CORPUS, "b-00000", _corpus([
        {S.DOC_ID: f"w-{i}", S.TEXT_RAW: p["text"], S.PUBLISHED_AT: p["date"], S.SOURCE: "weibo"}
        for i, p in enumerate(posts)]))
    return ws


@pytest.fixture
def ws(tmp_path) -> Workspace:
    return write_text_corpus(tmp_path / "ws")


def test_prepare_part_columns_and_values(ws):
    corpus = ws.read_part(S.CORPUS, "a-00000")
    before = corpus.copy()
    out = prepare_part(corpus, PrepareSettings())
    pd.testing.assert_frame_equal(corpus, before)  # the input is not modified
    assert list(out.columns) == [S.DOC_ID, S.TEXT_CLEAN, S.CLEAN_REMOVED, S.SCRIPT, S.TEXT_NORM, S.TOKENS,
                                 "theme_信任", "theme_国货", "theme_非遗", "theme_直播电商"]
    assert out[S.DOC_ID].tolist() == corpus[S.DOC_ID].tolist()
    assert out["theme_信任"].dtype == "int32"
    rows = out.set_index(S.DOC_ID)
    seed = rows.loc["seed"]
    assert seed[S.SCRIPT] == "zh-Hant" and "(CNNIC)" in seed[S.TEXT_CLEAN]
    assert {"直播电商", "国货", "非遗", "三农"} <= set(seed[S.TOKENS])
    assert seed["theme_信任"] > 0 and seed["theme_国货"] > 0 and seed["theme_非遗"] > 0
    assert rows.loc["s-1", S.TOKENS] == rows.loc["s-2", S.TOKENS]
    assert rows.loc["s-1", "theme_信任"] == 2 + 2 + 1 + 1  # 诚信, 信任 (2 each), 品控, 售后
    assert rows.loc["s-3", S.SCRIPT] == "none" and list(rows.loc["s-3", S.TOKENS]) == []
    assert rows.loc["s-4", S.TEXT_CLEAN] == "国货真香😍[赞]#国货之光# <USER> <URL>"
    assert list(rows.loc["s-4", S.TOKENS]) == ["国货", "真香", "[赞]", "#国货之光#"]
    assert rows.loc["s-5", S.SCRIPT] == "zh-Hant"
    assert rows.loc["s-5", S.TEXT_NORM] == "非遗传承人在直播间展示老手艺，网友纷纷下单。"
    assert rows.loc["s-5", "theme_非遗"] > 0
    assert rows.loc["s-5", "theme_直播电商"] == 0  # 直播间 + 下单: two weak terms, weight 2 < 3
    # issue 14: removals recorded, never in the text
    assert rows.loc["s-4", S.CLEAN_REMOVED] == ""
    removed = seed[S.CLEAN_REMOVED].split("\n")
    assert any(line.startswith("首頁 /") for line in removed) and "返回頂部" in removed
    assert not any(line in seed[S.TEXT_CLEAN].splitlines() for line in removed)


def test_prepare_part_empties_nothing_and_keeps_text_as_written():
    """issue 14: breadcrumb-like posts keep their text; text_norm is normalised apart."""
    posts = ["苹果 / 华为 / 小米，哪个更值得信任？极极极极极好", "今天 | 我很好 | 你呢",
             "他說「這是『真的』」（對）", ""]
    corpus = pd.DataFrame({S.DOC_ID: [f"p-{i}" for i in range(len(posts))], S.TEXT_RAW: posts})
    out = prepare_part(corpus, PrepareSettings()).set_index(S.DOC_ID)
    assert out[S.TEXT_CLEAN].tolist() == [*posts[:3], ""]
    assert out.loc["p-0", S.TEXT_NORM] == "苹果 / 华为 / 小米，哪个更值得信任？极极好"
    assert out.loc["p-2", S.TEXT_NORM] == "他说“这是‘真的’”(对)"
    assert out[S.CLEAN_REMOVED].tolist() == ["", "", "", ""]
    assert "信任" in list(out.loc["p-0", S.TOKENS])


def test_prepare_part_a_headline_without_body_is_prepared_from_its_title():
    corpus = pd.DataFrame({S.DOC_ID: ["n-1"], S.TITLE: ["國貨品牌信任危機"], S.TEXT_RAW: [""]})
    out = prepare_part(corpus, PrepareSettings()).iloc[0]
    assert out[S.TEXT_CLEAN] == "國貨品牌信任危機" and out[S.TEXT_NORM] == "国货品牌信任危机"
    assert list(out[S.TOKENS]) == ["国货", "品牌", "信任危机"]


def test_prepare_part_a_title_under_a_breadcrumb_is_not_put_first_again():
    from pathlib import Path

    seed_text = (Path(__file__).parent / "data" / "text" / "live_commerce_trust_article.txt").read_text("utf-8")
    title = "直播電商風生水起 信任機制如何建立"  # the seed page: breadcrumb, then its headline
    corpus = pd.DataFrame({S.DOC_ID: ["seed", "post"], S.TITLE: [title, "國貨品牌信任危機"],
                           S.TEXT_RAW: [seed_text, "主播带货，消费者更信任国货了"]})
    out = prepare_part(corpus, PrepareSettings()).set_index(S.DOC_ID)
    assert out.loc["seed", S.TEXT_CLEAN].count(title) == 1  # it was there twice
    assert out.loc["post", S.TEXT_CLEAN].startswith("國貨品牌信任危機\n主播带货")  # a headline of its own


def test_prepare_workspace_skips_unchanged_and_resumes(ws):
    first = prepare_workspace(ws, workers=1)
    assert sorted(first.runner.computed) == ["a-00000", "b-00000"] and first.documents == 66
    assert (first.empty_before, first.emptied) == (1, 0) and first.removed >= 1  # s-3 was empty
    assert "1 of them empty before, 0 emptied by cleaning" in str(first)
    assert first.scripts["zh-Hant"] >= 2 and first.themes["信任"] >= 2
    prepared = ws.read(S.PREPARED)
    assert prepared[S.TOKENS].map(len).sum() > 1000

    again = prepare_workspace(ws, workers=1)
    assert again.runner.computed == [] and sorted(again.runner.skipped) == ["a-00000", "b-00000"]

    ws.remove_part(S.PREPARED, "b-00000")  # as if a run was killed before writing it
    resumed = prepare_workspace(ws, workers=1)
    assert resumed.runner.computed == ["b-00000"]
    pd.testing.assert_frame_equal(ws.read(S.PREPARED), prepared)
    assert ws.stage_record("prepare")["settings"]["content_fingerprint"]


def test_prepare_workspace_reruns_when_theme_file_changes(ws, tmp_path):
    prepare_workspace(ws, workers=1)
    themes = tmp_path / "mine.toml"
    themes.write_text('["防疫"]\nterms = { "口罩" = 1, "隔離" = 1 }\n', encoding="utf-8")
    settings = PrepareSettings(theme_files=(str(themes),))
    report = prepare_workspace(ws, settings=settings, workers=1)
    assert sorted(report.runner.computed) == ["a-00000", "b-00000"]
    assert (ws.read(S.PREPARED)["theme_防疫"] > 0).sum() >= 3
    themes.write_text('["防疫"]\nterms = { "口罩" = 2 }\n', encoding="utf-8")
    assert sorted(prepare_workspace(ws, settings=settings, workers=1).runner.computed) == [
        "a-00000", "b-00000"]


def test_prepare_workspace_two_workers_identical(ws, tmp_path):
    prepare_workspace(ws, workers=1)
    one = ws.read(S.PREPARED)
    other = write_text_corpus(tmp_path / "ws2")
    report = prepare_workspace(other, workers=2)
    assert report.runner.workers == 2
    pd.testing.assert_frame_equal(other.read(S.PREPARED), one)


def test_prepare_requires_a_corpus(tmp_path):
    from opinion.errors import StageOrderError

    empty = Workspace.open(tmp_path / "empty", create=True)
    with pytest.raises(StageOrderError, match="opinion load"):
        prepare_workspace(empty)


def test_prepare_cli_then_themes_and_kwic(ws, tmp_path):
    runner = CliRunner()
    result = runner.invoke(app, ["prepare", "-w", str(ws.root), "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert "2 parts computed" in result.output and "信任" in result.output
    result = runner.invoke(app, ["themes", "-w", str(ws.root), "--period", "month"])
    assert result.exit_code == 0, result.output
    assert "2021-10-01" in result.output and "非遗" in result.output
    result = runner.invoke(app, ["kwic", "國貨", "-w", str(ws.root), "--width", "6",
                                 "--script", "zh-HK", "--limit", "3"])
    assert result.exit_code == 0, result.output
    assert result.output.count("【國貨】") == 3 and "seed" in result.output
    result = runner.invoke(app, ["prepare", "-w", str(ws.root), "--themes", "nope.toml"])
    assert result.exit_code == 1 and "nope.toml: no such file" in result.output


def test_clean_cli_from_stdin_and_file(tmp_path):
    runner = CliRunner()
    result = runner.invoke(app, ["clean", "-", "--script", "zh-Hant-TW"],
                           input="软件规(guī)模!!! http://t.cn/x\n".encode())
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "軟件規模！ <URL>"  # words keep their wording (not 軟體)
    path = tmp_path / "gbk.txt"
    path.write_bytes("首页 / 新闻 / 标题\n武汉加油！！收起全文d\n返回顶部\n".encode("gb18030"))
    result = runner.invoke(app, ["clean", str(path), "--whole"])  # one page: its furniture goes
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "武汉加油！"
    result = runner.invoke(app, ["clean", "x.txt", "--script", "zh-TW"])
    assert result.exit_code == 1 and "--script must be one of" in result.output


@pytest.mark.parametrize("line, encoding", [("国货品牌老字号很好", "gb18030"), ("口罩买不到怎么办", "gb18030"),
                                            ("疫情严重", "gb18030"), ("國貨品牌老字號很好", "big5")])
def test_clean_cli_reads_short_chinese_in_its_encoding(line, encoding):
    # charset-normalizer alone read these as Korean (벌새틔탬일俚뵀붤봤) and exited 0
    result = CliRunner().invoke(app, ["clean", "-"], input=(line + "\n").encode(encoding))
    assert result.exit_code == 0 and result.output == line + "\n"
    assert CliRunner().invoke(app, ["clean", "-"], input=b"").output == ""  # nothing in, nothing out
