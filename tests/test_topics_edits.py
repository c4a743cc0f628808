"""Topic edits: the rules of apply_edits, the edits file, `opinion topics edit`, and the
exports that must show the edited topics (factory workspace of real posts, see factory.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from factory import make_workspace
from typer.testing import CliRunner

from opinion import schema as S
from opinion.cli import app
from opinion.errors import InputError, OpinionWarning
from opinion.report.tables import build_tables
from opinion.topics import edit_store as E
from opinion.topics.edits import TopicEdit, apply_edits, regroup_counts

runner = CliRunner()

INFO = pd.DataFrame({
    S.TOPIC_ID: [0, 1, 2, 3],
    "label": ["0_口罩_防护", "1_直播_带货", "2_确诊_病例", "3_国货_品牌"],
    "size": [60, 30, 8, 2], "share": [0.6, 0.3, 0.08, 0.02],
    "top_terms": [["口罩", "防护"], ["直播", "带货"], ["确诊", "病例"], ["国货", "直播"]],
    "top_terms_weights": [[0.3, 0.2], [0.4, 0.1], [0.5, 0.2], [0.9, 0.8]],
    "representative_doc_ids": [["a"], ["b"], ["c"], ["d"]],
    "coherence": [0.5, 0.1, 0.2, 0.4], "is_generic": [False, True, False, True],
})
DOCS = pd.DataFrame({S.DOC_ID: ["a", "b", "c", "d", "e"], S.TOPIC_ID: [0, 1, 2, 3, 1],
                     S.TOPIC_LABEL: ["0_口罩_防护", "1_直播_带货", "2_确诊_病例", "3_国货_品牌", "1_直播_带货"]})


def test_rename_keeps_the_automatic_label() -> None:
    topics, docs = apply_edits(INFO, DOCS, [TopicEdit("rename", (2,), "  确诊  病例 ")])
    row = topics.set_index(S.TOPIC_ID).loc[2]
    assert row["label"] == "确诊 病例" and row["label_auto"] == "2_确诊_病例"
    assert docs.loc[docs[S.DOC_ID] == "c", S.TOPIC_LABEL].item() == "确诊 病例"


def test_merge_keeps_the_lowest_id_adds_sizes_and_reranks_terms() -> None:
    topics, docs = apply_edits(INFO, DOCS, [TopicEdit("merge", (3, 1))])
    assert topics[S.TOPIC_ID].tolist() == [0, 1, 2]
    row = topics.set_index(S.TOPIC_ID).loc[1]
    assert row["size"] == 32 and row["share"] == pytest.approx(0.32)
    assert row["label"] == "1_直播_带货" and row["merged_from"] == [1, 3]
    # 直播: 0.4*30 + 0.8*2 = 13.6 beats 带货 0.1*30 = 3 and 国货 0.9*2 = 1.8
    assert row["top_terms"] == ["直播", "带货", "国货"]
    assert row["representative_doc_ids"] == ["b", "d"]  # the larger topic's examples first
    assert row["coherence"] == pytest.approx((0.1 * 30 + 0.4 * 2) / 32) and bool(row["is_generic"])
    assert docs.set_index(S.DOC_ID).loc["d", S.TOPIC_ID] == 1
    assert docs.set_index(S.DOC_ID).loc["d", S.TOPIC_LABEL] == "1_直播_带货"


def test_drop_sends_documents_to_outliers_and_rename_after_merge_names_the_union() -> None:
    edits = [TopicEdit("drop", (2,)), TopicEdit("merge", (1, 3)), TopicEdit("rename", (1,), "直播带货")]
    topics, docs = apply_edits(INFO, DOCS, edits)
    by_id = topics.set_index(S.TOPIC_ID)
    assert by_id.loc[-1, "size"] == 8 and by_id.loc[-1, "merged_from"] == [2]
    assert by_id.loc[-1, "label"] == S.OUTLIER_LABEL == "未归入主题" and list(by_id.loc[-1, "top_terms"]) == []
    assert by_id.loc[1, "label"] == "直播带货" and by_id.loc[1, "size"] == 32
    assert docs[S.TOPIC_ID].tolist() == [0, 1, -1, 1, 1]
    assert topics["size"].sum() == INFO["size"].sum()  # nothing lost


@pytest.mark.parametrize(("edits", "message"), [
    ([TopicEdit("rename", (9,), "x")], "no topic 9; the topics are 0, 1, 2, 3"),
    ([TopicEdit("merge", (1, 3)), TopicEdit("drop", (3,))], "topic 3 was merged into topic 1"),
    ([TopicEdit("merge", (1, 1))], "merge needs two or more different topic ids"),
    ([TopicEdit("rename", (1,), "  ")], "empty label"),
    ([TopicEdit("drop", (-1,))], "topic -1 holds the outliers"),
    ([TopicEdit("split", (1,))], "unknown action 'split'; use rename, merge or drop"),
])
def test_bad_edits_name_the_problem(edits: list[TopicEdit], message: str) -> None:
    with pytest.raises(InputError, match=message.replace("(", r"\(")):
        apply_edits(INFO, DOCS, edits)


def test_counts_over_time_add_up_for_merged_topics() -> None:
    over_time = pd.DataFrame({S.TOPIC_ID: [1, 3, 1], "period": ["d1", "d1", "d2"], "count": [3, 1, 2],
                              "share": [0.3, 0.1, 0.5], "words": ["直播 带货", "国货 直播", "直播"]})
    topics, _ = apply_edits(INFO, None, [TopicEdit("merge", (1, 3))])
    out = regroup_counts(over_time, topics, "period")
    assert out.values.tolist() == [[1, "d1", 4, pytest.approx(0.4), "直播 带货 国货"], [1, "d2", 2, 0.5, "直播"]]


def test_edit_file_csv_and_toml_with_row_numbers(tmp_path: Path) -> None:
    good = tmp_path / "edits.csv"
    good.write_text('action,topic,value\nrename,3,国货品牌\nmerge,"1,4",\nmerge,2,5\ndrop,7,\n', encoding="utf-8")
    assert [e.describe() for e in E.read_edit_file(good)] == [
        "rename 3 = 国货品牌", "merge 1, 4", "merge 2, 5", "drop 7"]
    bad = tmp_path / "bad.csv"
    bad.write_text("action,topic,value\nrename,3,国货\nrename,x,口罩\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad.csv row 2: topic ids must be whole numbers"):
        E.read_edit_file(bad)
    toml = tmp_path / "edits.toml"
    toml.write_text('[[edit]]\naction = "merge"\ntopic = [1, 4]\n\n[[edit]]\naction = "rename"\n'
                    'topic = 1\nvalue = "直播带货"\n[[edit]]\naction = "rename"\ntopic = 2\nvalue = ""\n',
                    encoding="utf-8")
    with pytest.raises(InputError, match=r"edits.toml edit 3: rename 2 to an empty label"):
        E.read_edit_file(toml)
    unquoted = tmp_path / "unquoted.toml"
    unquoted.write_text('[[edit]]\naction = "rename"\ntopic = 3\nvalue = 口罩与防护\n', encoding="utf-8")
    with pytest.raises(InputError, match='line 4 = 口罩与防护 should read = "口罩与防护"'):
        E.read_edit_file(unquoted)
    excel = tmp_path / "excel.csv"  # Excel on a Chinese Windows saves "ANSI": GB18030
    excel.write_bytes("action,topic,value\r\nrename,3,国货品牌\r\n".encode("gb18030"))
    assert [e.describe() for e in E.read_edit_file(excel)] == ["rename 3 = 国货品牌"]


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    make_workspace(tmp_path / "ws")
    return tmp_path / "ws"


def edit(root: Path, *args: str):
    return runner.invoke(app, ["topics", "edit", "-w", str(root), *args])


def test_cli_records_lists_undoes_and_clears(workspace: Path) -> None:
    result = edit(workspace, "--merge", "1,2", "--rename", "0=口罩与防护")
    assert result.exit_code == 0, result.output
    assert "recorded 2 topic edit(s)" in result.output and "口罩与防护" in result.output
    stored = json.loads((workspace / E.EDITS_FILE).read_text(encoding="utf-8"))["edits"]
    assert [e["action"] for e in stored] == ["merge", "rename"]
    assert stored[0]["model"] == E.model_fingerprint(workspace) != ""
    listed = edit(workspace, "--list", "--script", "zh-Hant-TW")
    assert "1. merge 1, 2" in listed.output and "口罩與防護" in listed.output and "(merged: 2)" in listed.output
    assert "undone: rename 0 = 口罩与防护" in edit(workspace, "--undo").output
    assert len(E.read_edits(workspace)) == 1
    assert "removed 1 topic edit(s)" in edit(workspace, "--clear").output
    assert not (workspace / E.EDITS_FILE).exists()


@pytest.mark.parametrize(("args", "message"), [
    (["--rename", "7=口罩"], "error: --rename 7=口罩: no topic 7; the topics are 0, 1, 2"),
    (["--merge", "1"], "error: --merge 1: merge needs two or more different topic ids"),
    (["--rename", "1="], "error: --rename 1=: rename 1 to an empty label; give one"),
    (["--rename", "1"], "error: --rename '1': give ID=LABEL"),
    ([], "error: nothing to do"),
])
def test_cli_bad_input_is_one_line_and_records_nothing(workspace: Path, args: list[str], message: str) -> None:
    result = edit(workspace, "--drop", "0", *args) if args else edit(workspace)
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [result.output.strip()] and message in result.output
    assert E.read_edits(workspace) == []  # all or nothing: the good --drop 0 is not kept either


def test_cli_bad_file_row(workspace: Path, tmp_path: Path) -> None:
    path = tmp_path / "edits.csv"
    path.write_text("action,topic,value\nrename,0,口罩\nmerge,1,9\n", encoding="utf-8")
    result = edit(workspace, "--from", str(path))
    assert result.exit_code == 1 and f"{path} row 2: no topic 9" in result.output
    assert E.read_edits(workspace) == []


def test_export_shows_edited_topics_in_every_table(workspace: Path, tmp_path: Path) -> None:
    before = build_tables(workspace)
    assert edit(workspace, "--merge", "1,2", "--rename", "1=直播与疫情", "--rename", "0=口罩与防护").exit_code == 0
    out = tmp_path / "out"
    result = runner.invoke(app, ["export", "-w", str(workspace), "-o", str(out), "--format", "csv,xlsx,md,html"])
    assert result.exit_code == 0, result.output
    topics = pd.read_csv(out / "topics.csv", encoding="utf-8-sig").set_index("topic_id")
    sizes = before["topics"].set_index("topic_id")["size"]
    assert topics.loc[1, "label"] == "直播与疫情" and topics.loc[1, "size"] == sizes[1] + sizes[2]
    assert topics.loc[1, "label_auto"] == "1_直播_带货_国货" and topics.loc[1, "merged_from"] == "1 2"
    assert topics.loc[0, "label"] == "口罩与防护" and 2 not in topics.index
    documents = pd.read_csv(out / "documents.csv", encoding="utf-8-sig")
    assert set(documents["topic_label"]) == {"直播与疫情", "口罩与防护"}
    by_period = pd.read_csv(out / "sentiment_by_topic_period.csv", encoding="utf-8-sig")
    assert by_period.groupby("topic_id")["docs"].sum().to_dict() == {0: sizes[0], 1: sizes[1] + sizes[2]}
    assert set(by_period["topic_label"]) == {"直播与疫情", "口罩与防护"}
    merged = before["documents"][before["documents"][S.TOPIC_ID].isin([1, 2])]
    assert by_period.query("topic_id == 1")["mean_sentiment"].mul(
        by_period.query("topic_id == 1")["docs"]).sum() / len(merged) == pytest.approx(merged[S.SENTIMENT_SCORE].mean())
    for name in ("theme_topic.csv", "sources.csv", "emotion_by_topic_period.csv", "topics_over_time.csv"):
        labels = set(pd.read_csv(out / name, encoding="utf-8-sig")["topic_label"])
        assert "直播与疫情" in labels and "2_确诊_病例_新型肺炎" not in labels, name
    assert "直播与疫情" in (out / "report.md").read_text(encoding="utf-8")
    assert "直播与疫情" in (out / "report.html").read_text(encoding="utf-8")
    assert "直播与疫情" in pd.read_excel(out / "report.xlsx", sheet_name="topics")["label"].tolist()
    run = pd.read_csv(out / "run.csv", encoding="utf-8-sig").query("section == 'topic edits'")
    assert run["value"].tolist() == ["merge 1, 2", "rename 1 = 直播与疫情", "rename 0 = 口罩与防护"]
    assert len(E.read_edits(workspace)) == 3  # still stored after the export
    again = tmp_path / "again"
    assert runner.invoke(app, ["export", "-w", str(workspace), "-o", str(again), "--format", "csv"]).exit_code == 0
    assert (again / "topics.csv").read_bytes() == (out / "topics.csv").read_bytes()


def test_a_dropped_topic_joins_the_outliers_listed_last_under_one_label(workspace: Path) -> None:
    sizes = build_tables(workspace)["topics"].set_index("topic_id")["size"]
    largest = int(sizes.drop(-1, errors="ignore").idxmax())
    assert edit(workspace, "--drop", str(largest)).exit_code == 0
    topics = build_tables(workspace)["topics"]
    assert topics["topic_id"].iloc[-1] == -1 and topics["size"].iloc[-1] >= sizes[largest]
    assert topics["size"].iloc[-1] > topics["size"].iloc[0]  # the biggest row, still listed last
    assert topics["label"].iloc[-1] == "未归入主题"


def test_edits_of_another_model_are_kept_but_not_applied(workspace: Path) -> None:
    assert edit(workspace, "--rename", "0=口罩与防护").exit_code == 0
    ws_topics = pd.read_parquet(workspace / "topics.parquet")
    ws_topics["top_terms"] = [["新", "词"]] * len(ws_topics)  # a refit: other topics
    ws_topics.to_parquet(workspace / "topics.parquet")
    with pytest.warns(OpinionWarning, match="made on an earlier topic model") as caught:
        tables = build_tables(workspace)
    assert "口罩与防护" not in tables["topics"]["label"].tolist()
    assert len([w for w in caught if issubclass(w.category, OpinionWarning)]) == 1
    assert len(E.read_edits(workspace)) == 1
    listed = edit(workspace, "--list")
    assert "1. rename 0 = 口罩与防护 (not applied: made on an earlier topic model)" in listed.output


# --- on a real fitted model: assign, refit -----------------------------------------------
@pytest.fixture(scope="module")
def fitted(tmp_path_factory: pytest.TempPathFactory):
    """The 550 real titles and posts of tests/test_topics_model.py, fit with a small tfidf."""
    from functools import partial

    from test_topics_model import build_workspace

    from opinion.topics import embed
    from opinion.topics.model import fit_topics

    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(embed._REGISTRY, "tfidf", partial(embed.TfidfEmbedder, dim=32))
        ws = build_workspace(tmp_path_factory.mktemp("edits") / "ws")
        fit_topics(ws, embedding="tfidf", seed=7)
        yield ws


def test_edits_survive_assign_and_an_identical_refit_but_not_another_model(fitted, tmp_path: Path) -> None:
    from opinion.topics.model import assign_topics

    root = fitted.root
    ids = sorted(t for t in fitted.read(S.TOPICS)[S.TOPIC_ID] if t != -1)
    keep, merged, dropped = ids[0], ids[1], ids[2]
    result = edit(root, "--merge", f"{merged},{keep}", "--rename", f"{keep}=合并主题", "--drop", str(dropped))
    assert result.exit_code == 0, result.output

    titles = pd.read_csv(Path(__file__).parent / "data" / "topics" / "thucnews_titles_400.tsv", sep="\t")["title"]
    new = tmp_path / "new.txt"
    new.write_text("\n".join(titles[:60]) + "\n", encoding="utf-8")
    plain = assign_topics(fitted, new)  # the Python call gives the model's own ids
    out = tmp_path / "assigned.csv"
    result = runner.invoke(app, ["topics", "assign", "-w", str(root), str(new), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assigned = pd.read_csv(out)
    expected = plain[S.TOPIC_ID].map(lambda t: keep if t in (keep, merged) else -1 if t == dropped else t)
    assert assigned[S.TOPIC_ID].tolist() == expected.tolist()
    assert set(plain[S.TOPIC_ID]) & {keep, merged, dropped}  # the check is not empty
    assert set(assigned.loc[assigned[S.TOPIC_ID] == keep, S.TOPIC_LABEL]) <= {"合并主题"}

    def labels() -> list[str]:  # of the topics, not of the outliers (-1)
        return build_tables(root)["topics"].query("topic_id >= 0")["label"].tolist()

    fingerprint = E.model_fingerprint(root)
    refit = runner.invoke(app, ["topics", "-w", str(root), "--embedding", "tfidf", "--seed", "7", "--force"])
    assert refit.exit_code == 0, refit.output
    assert E.model_fingerprint(root) == fingerprint and "合并主题  (" in refit.output
    assert "合并主题" in labels() and len(labels()) == len(ids) - 2

    other = runner.invoke(app, ["topics", "-w", str(root), "--embedding", "tfidf", "--seed", "7",
                                "--nr-topics", str(len(ids) + 2)])
    assert other.exit_code == 0, other.output
    assert E.model_fingerprint(root) != fingerprint
    warned = [line for line in other.stderr.splitlines() if line.startswith("warning:")]
    assert warned == ["warning: 3 topic edit(s) were made on an earlier topic model (the topics were refit) "
                      f"and are not applied; see `opinion topics edit -w {root} --list`, redo them on the "
                      "new topics, then --clear the old ones"]  # one line on stderr, from the CLI itself
    assert "合并主题" not in labels() and len(labels()) == len(ids) + 2
    assert len(E.read_edits(root)) == 3  # kept, not applied


def test_keywords_by_topic_use_the_edited_topics(workspace: Path) -> None:
    assert edit(workspace, "--merge", "1,2", "--rename", "1=直播与疫情").exit_code == 0
    result = runner.invoke(app, ["keywords", "-w", str(workspace), "--by", "topic"])
    assert result.exit_code == 0, result.output
    header = result.output.splitlines()[0]
    assert "直播与疫情" in header and "0_口罩_戴口罩_防护" in header and "2_确诊" not in header


def test_topics_given_one_label_stay_two_groups_of_words(workspace: Path) -> None:
    assert edit(workspace, "--rename", "0=疫情", "--rename", "1=疫情").exit_code == 0
    result = runner.invoke(app, ["keywords", "-w", str(workspace), "--by", "topic"])
    assert result.exit_code == 0, result.output
    assert "疫情 #0" in result.output.splitlines()[0]  # named as the report names it, not pooled with #1
    from opinion.io.workspace import Workspace
    from opinion.words.groups import topic_labels

    labels = topic_labels(Workspace.open(workspace))
    assert labels[0] == "疫情 #0" and labels[1] == "疫情 #1"  # one group each (the clouds too)


def test_a_label_typed_in_traditional_is_stored_in_simplified(workspace: Path) -> None:
    """Labels are Simplified and each view renders them in its reader's script (issue of
    2026-12-07: `--rename 1=愛情與人生` stayed Traditional in the 简体 view and exports)."""
    assert edit(workspace, "--rename", "1=愛情與人生", "--rename", "0=口罩与防护").exit_code == 0
    assert [e.label for e in E.read_edits(workspace)] == ["爱情与人生", "口罩与防护"]  # Simplified kept as typed
    listed = edit(workspace, "--list", "--script", "zh-Hant-TW")
    assert "愛情與人生" in listed.output  # rendered back for a Traditional reader
    assert "爱情与人生" in edit(workspace, "--list").output


# --- what the finding of 2026-12-07 showed on 5,130 real Weibo posts -------------------------
def test_a_dropped_topics_documents_lose_their_old_similarity() -> None:
    """Documents of a dropped topic kept its ``topic_prob`` (mean 0.75), so a filter such as
    topic_prob ≥ 0.7 kept outliers as confident assignments; they now have 0, as the model's
    own outliers."""
    docs = DOCS.assign(**{S.TOPIC_PROB: [0.9, 0.8, 0.7, 0.6, 0.5]})
    docs.loc[len(docs)] = ["f", -1, S.OUTLIER_LABEL, 0.0]
    _, out = apply_edits(INFO, docs, [TopicEdit("drop", (1,))])
    assert out[S.TOPIC_ID].tolist() == [0, -1, 2, 3, -1, -1]
    assert out[S.TOPIC_PROB].tolist() == [0.9, 0.0, 0.7, 0.6, 0.0, 0.0]


def test_a_toml_edit_that_is_not_a_table_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "e7.toml"
    path.write_text("edit = [1, 2]\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"e7.toml edit 1: 1 is not a table; write each edit as \[\[edit\]\]"):
        E.read_edit_file(path)


def test_an_unreadable_edits_file_warns_in_exports_and_clear_removes_it(workspace: Path, tmp_path: Path) -> None:
    """A cut ``topic_edits.json`` stopped every export, and the advised ``--clear`` failed the
    same way."""
    assert edit(workspace, "--rename", "0=口罩与防护").exit_code == 0
    (workspace / E.EDITS_FILE).write_text('{"edits": [', encoding="utf-8")
    with pytest.warns(OpinionWarning, match="topic edits not applied: .* --clear"):
        tables = build_tables(workspace)
    assert tables["topics"]["label"].iloc[0] == "0_口罩_戴口罩_防护"
    result = runner.invoke(app, ["export", "-w", str(workspace), "-o", str(tmp_path / "out"), "--format", "csv"])
    assert result.exit_code == 0 and "warning: topic edits not applied" in result.stderr
    undo = edit(workspace, "--undo")
    assert undo.exit_code == 1 and "--clear" in undo.output  # nothing to undo in a file that cannot be read
    cleared = edit(workspace, "--clear")
    assert cleared.exit_code == 0 and "removed the unreadable" in cleared.output
    assert not (workspace / E.EDITS_FILE).exists()


def test_the_topic_list_is_the_exports_table_with_outliers_and_edited_count(workspace: Path, tmp_path: Path) -> None:
    """`opinion topics` printed a merged topic's words from 1/rank weights (the exports use
    c-TF-IDF weights), kept the model's topic count after drops and left out the -1 row."""
    from opinion.cli.topics_cmd import topic_lines
    from opinion.io.workspace import Workspace

    assert edit(workspace, "--merge", "0,2", "--drop", "1").exit_code == 0
    lines = topic_lines(Workspace.open(workspace), 3)
    out = tmp_path / "out"
    assert runner.invoke(app, ["export", "-w", str(workspace), "-o", str(out), "--format", "csv"]).exit_code == 0
    exported = pd.read_csv(out / "topics.csv", encoding="utf-8-sig").set_index("topic_id")
    assert lines[0].startswith("after 2 topic edit(s): 1 topics of the model's 3")
    assert lines[1].endswith(f"({' '.join(exported.loc[0, 'top_terms'].split()[:8])})")
    assert lines[2].split()[:2] == ["-1", str(exported.loc[-1, "size"])]
    assert lines[2].endswith("未归入主题  (outliers: dropped topics 1)")
    assert sum(int(line.split()[1].replace(",", "")) for line in lines[1:]) == exported["size"].sum()
