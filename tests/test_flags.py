"""The flags pass at the end of prepare: near-duplicates across parts, spam, reruns."""

from __future__ import annotations

import pandas as pd
import pytest

from opinion import schema as S
from opinion.flags import excluded_ids, flag_workspace, kept_mask
from opinion.prepare import prepare_workspace


@pytest.fixture(scope="module")
def ws(tmp_path_factory):
    from test_prepare import _corpus, write_text_corpus

    workspace = write_text_corpus(tmp_path_factory.mktemp("flags") / "ws", weibo_rows=30)
    posts = workspace.read_part(S.CORPUS, "b-00000")
    long_posts = posts[posts[S.TEXT_RAW].str.len() > 40].head(3)
    copies = [{S.DOC_ID: f"copy-{i}", S.TEXT_RAW: "😷😷 " + t.replace("，", " ") + " 🙏🙏",
               S.PUBLISHED_AT: "2020-03-01", S.SOURCE: "weibo"} for i, t in enumerate(long_posts[S.TEXT_RAW])]
    copies.append({S.DOC_ID: "tags-only", S.TEXT_RAW: "#湖北司机被困高速一周# ?",
                   S.PUBLISHED_AT: "2020-03-01", S.SOURCE: "weibo"})
    workspace.write_part(S.CORPUS, "c-00000", _corpus(copies))
    report = prepare_workspace(workspace, workers=1)
    workspace.first_report = report
    workspace.copied = dict(zip([c[S.DOC_ID] for c in copies], long_posts[S.DOC_ID]))
    return workspace


def test_flags_table_has_the_corpus_parts_and_columns(ws):
    assert ws.parts(S.FLAGS) == ws.parts(S.CORPUS)
    flags = ws.read(S.FLAGS)
    assert list(flags.columns) == [S.DOC_ID, S.NEAR_DUPLICATE_OF, S.SPAM_SCORE, S.IS_SPAM]
    assert flags[S.DOC_ID].tolist() == ws.read(S.CORPUS, columns=[S.DOC_ID])[S.DOC_ID].tolist()
    assert "flags:" in str(ws.first_report) and "near-duplicates" in str(ws.first_report)


def test_flags_near_duplicates_point_to_the_first_across_parts(ws):
    flags = ws.read(S.FLAGS).set_index(S.DOC_ID)
    for copy, original in ws.copied.items():
        if copy.startswith("copy-"):
            assert flags.loc[copy, S.NEAR_DUPLICATE_OF] == original  # part c -> part b
            assert pd.isna(flags.loc[original, S.NEAR_DUPLICATE_OF])
    assert flags.loc["s-2", S.NEAR_DUPLICATE_OF] == "s-1"  # an exact copy is near too
    assert bool(flags.loc["tags-only", S.IS_SPAM]) and flags.loc["tags-only", S.SPAM_SCORE] >= 0.5
    assert not flags.loc["seed", S.IS_SPAM]


def test_flags_rerun_is_skipped_and_force_recomputes_the_same(ws):
    before = ws.read(S.FLAGS)
    assert flag_workspace(ws).skipped
    again = flag_workspace(ws, force=True)
    assert not again.skipped and again.near_duplicates >= 4
    pd.testing.assert_frame_equal(ws.read(S.FLAGS), before)


def test_flags_excluded_ids_and_kept_mask(ws):
    assert {"copy-0", "copy-1", "copy-2", "tags-only"} <= excluded_ids(ws, "c-00000")
    assert excluded_ids(ws, "c-00000", duplicates=False) == {"tags-only"}
    ids = ws.read_part(S.CORPUS, "c-00000")[S.DOC_ID]
    assert not kept_mask(ws, "c-00000", ids).any()
    assert kept_mask(ws, "c-00000", ids, include_flagged=True).all()


def test_flags_keep_copies_out_of_kwic_by_default(ws):
    from opinion.kwic import kwic

    text = ws.read_part(S.PREPARED, "c-00000")[S.TEXT_NORM].iloc[0]
    word = next(t for t in ws.read_part(S.PREPARED, "c-00000")[S.TOKENS].iloc[0] if len(t) >= 2)
    assert word in text
    default = set(kwic(ws, word)[S.DOC_ID])
    everything = set(kwic(ws, word, include_flagged=True)[S.DOC_ID])
    assert "copy-0" in everything and "copy-0" not in default
    assert ws.copied["copy-0"] in default


def _flagged_texts(root) -> tuple[set[str], set[str]]:
    """Texts flagged as near-duplicates (not exact copies), and texts left for the topic fit."""
    from opinion.io.workspace import Workspace

    workspace = Workspace.open(root)
    table = workspace.read(S.CORPUS).merge(workspace.read(S.FLAGS), on=S.DOC_ID)
    near = table[S.NEAR_DUPLICATE_OF].notna()
    kept = ~near & table[S.DUPLICATE_OF].isna()
    return set(table.loc[near & table[S.DUPLICATE_OF].isna(), S.TEXT_RAW]), set(table.loc[kept, S.TEXT_RAW])


def test_flags_do_not_depend_on_the_row_order(tmp_path):
    """Three overlapping excerpts of one post (A~B, B~C, A not ~C) and a later exact copy of B:
    the earliest post (B) is kept and A and C are flagged, in either row order (the pass took
    rows as they came: B first flagged A and C, C first flagged only B)."""
    from test_text_neardup import _overlapping_excerpts

    from opinion.io.load import load_corpus

    a, b, c = _overlapping_excerpts()
    rows = [(b, "2020-02-03"), (a, "2020-02-02"), (b, "2020-02-01"), (c, "2020-02-02"),
            ("武汉今天天气晴朗，大家出门注意防护", "2020-02-02")]
    found = []
    for name, ordered in (("forward", rows), ("reversed", rows[::-1])):
        src = tmp_path / f"{name}.csv"
        pd.DataFrame(ordered, columns=["content", "date"]).to_csv(src, index=False)
        load_corpus([src], tmp_path / name)
        prepare_workspace(tmp_path / name, workers=1)
        found.append(_flagged_texts(tmp_path / name))
    assert found[0] == found[1]
    near, kept = found[0]
    assert near == {a, c} and b in kept  # the copy the load kept of B stays in the fit


def _post_and_copy() -> tuple[str, str]:
    """A long Weibo post of tests/data/text and an emoji-padded, re-punctuated copy of it."""
    import csv

    from test_prepare import DATA

    with (DATA / "weibo_sample.tsv").open(encoding="utf-8") as fh:
        text = next(p["text"] for p in csv.DictReader(fh, delimiter="\t") if len(p["text"]) > 60)
    return text, "😷😷 " + text.replace("，", " ") + " 🙏🙏"


def test_flags_follow_a_reload_that_changes_only_the_dates(tmp_path):
    """`load --replace --date-from-filename` writes other corpus parts but the same prepared
    parts: the flags stayed "unchanged" and kept a post published after its copy (71 such
    posts in 11,205 Weibo posts, 2026-12-08)."""
    from test_prepare import _corpus

    from opinion.io.workspace import Workspace

    post, copy = _post_and_copy()
    ws = Workspace.open(tmp_path / "ws", create=True)

    def load(post_date: str, copy_date: str) -> None:
        ws.write_part(S.CORPUS, "a-00000", _corpus([
            {S.DOC_ID: "post", S.TEXT_RAW: post, S.PUBLISHED_AT: post_date, S.SOURCE: "weibo"},
            {S.DOC_ID: "copy", S.TEXT_RAW: copy, S.PUBLISHED_AT: copy_date, S.SOURCE: "weibo"}]))

    load("2020-01-19", "2020-01-20")
    prepare_workspace(ws, workers=1)
    assert ws.read(S.FLAGS).set_index(S.DOC_ID)[S.NEAR_DUPLICATE_OF].to_dict() == {"post": None, "copy": "post"}
    prepared = ws.read(S.PREPARED)
    load("2020-01-21", "2020-01-20")  # the copy was posted first
    report = prepare_workspace(ws, workers=1)
    pd.testing.assert_frame_equal(ws.read(S.PREPARED), prepared)
    assert not report.flags.skipped
    assert ws.read(S.FLAGS).set_index(S.DOC_ID)[S.NEAR_DUPLICATE_OF].to_dict() == {"post": "copy", "copy": None}


def test_flags_a_killed_pass_leaves_the_flags_behind_until_prepare_runs_again(tmp_path, monkeypatch):
    """A kill in the pass (after the prepared parts were recorded) left no flags and no record:
    `opinion info` said nothing and the topic fit counted duplicates and spam (2026-12-08)."""
    from test_prepare import _corpus

    from opinion import flags
    from opinion.errors import InputError
    from opinion.io.info import workspace_info
    from opinion.io.workspace import Workspace
    from opinion.topics.stage import fit_topics

    post, copy = _post_and_copy()
    ws = Workspace.open(tmp_path / "ws", create=True)
    ws.write_part(S.CORPUS, "a-00000", _corpus([
        {S.DOC_ID: "post", S.TEXT_RAW: post, S.PUBLISHED_AT: "2020-01-19", S.SOURCE: "weibo"},
        {S.DOC_ID: "copy", S.TEXT_RAW: copy, S.PUBLISHED_AT: "2020-01-20", S.SOURCE: "weibo"}]))

    def killed(*args, **kwargs):
        raise KeyboardInterrupt

    with monkeypatch.context() as patch:
        patch.setattr(flags, "near_duplicates", killed)
        with pytest.raises(KeyboardInterrupt):
            prepare_workspace(ws, workers=1)
    ws = Workspace.open(ws.root)
    assert ws.stage_record("prepare")["complete"] and flags.flags_behind(ws)
    again = f"opinion prepare -w {ws.root}"
    assert workspace_info(ws)["stages_incomplete"] == {"flags": again}
    with pytest.raises(InputError, match=f"run `{again}`"):
        fit_topics(ws, workers=1)
    ws.remove_table(S.FLAGS)  # no flags and no record at all: a kill before the pass wrote them
    ws.manifest["stages"].pop(flags.STAGE)
    ws.save_manifest()
    assert flags.flags_behind(ws)
    report = prepare_workspace(ws, workers=1)
    assert report.runner.skipped == ["a-00000"] and not report.flags.skipped
    assert not flags.flags_behind(ws) and workspace_info(ws)["stages_incomplete"] == {}
