"""Loading into a workspace that already holds the inputs: an input is skipped only when the
options given now would read it as it was read (opinion.io.load, since 2026-12-07)."""

from __future__ import annotations

import pytest

from opinion import schema as S
from opinion.config import LoadSettings, stored_settings
from opinion.errors import InputError
from opinion.io.load import load_corpus
from opinion.io.workspace import Workspace


def test_load_run_skips_inputs_loaded_with_their_own_options_and_refuses_a_new_one(tmp_path):
    """2026-12-07: options that would read an already loaded input otherwise were stored as if
    applied (`run --drop-col userid`: userid stayed in every row). A run (skip_loaded) starts
    from the stored settings, so inputs each loaded with options of their own are still skipped."""
    posts, news = tmp_path / "posts.csv", tmp_path / "news.jsonl"
    posts.write_text("编号,正文,评论,userid\n1,今天口罩又涨价了，药店排长队。,支持,u1\n"
                     "2,武汉加油，医护人员辛苦了！,加油,u2\n", encoding="utf-8")
    news.write_text('{"content": "第二批物资已经送达医院", "date": "2020-02-01"}\n', encoding="utf-8")
    ws = tmp_path / "ws"
    load_corpus([posts], ws, text_col="评论", id_col="编号")
    load_corpus([news], ws, date_col="date")
    entry = Workspace.open(ws).manifest["inputs"][0]
    assert entry["settings"]["text_col"] == "评论" and entry["settings"]["id_col"] == "编号"
    stored = stored_settings(Workspace.open(ws), LoadSettings)
    report = load_corpus([posts, news], ws, settings=stored, skip_loaded=True)  # what `opinion run` does
    assert report.files == [] and len(report.skipped) == 2
    with pytest.raises(InputError) as info:
        load_corpus([posts, news], ws, settings=LoadSettings(date_col="date", drop_cols=("userid",)),
                    skip_loaded=True)
    assert info.value.param == "drop_cols" and str(info.value).startswith(
        f"drop_cols userid: {posts} was loaded without it, and an input already loaded is not read again; "
        "pass --replace")
    assert stored_settings(Workspace.open(ws), LoadSettings) == stored  # nothing stored as applied
    report = load_corpus([posts], ws, settings=LoadSettings(text_col="评论", id_col="编号",
                                                            drop_cols=("userid",)), replace=True)
    assert report.files[0].rows_loaded == 2
    assert not Workspace.open(ws).read(S.CORPUS)["meta"].str.contains("u1").any()
    assert set(Workspace.open(ws).read(S.CORPUS)["text_raw"]) == {"支持", "加油", "第二批物资已经送达医院"}


def _two_sheets(path):
    import openpyxl

    book = openpyxl.Workbook()
    first = book.active
    first.title = "一月"
    first.append(["正文", "发布时间"])
    first.append(["一月的帖子，武汉加油", "2020-01-05"])
    second = book.create_sheet("二月")
    second.append(["正文", "发布时间"])
    second.append(["二月的帖子，口罩难买", "2020-02-05"])
    book.save(path)


def test_load_knows_the_sheet_a_plain_load_read_when_asked_for_every_sheet(tmp_path):
    """2026-12-08: a plain load recorded no sheet, so `--sheet '*'` (as its warning advises)
    loaded the active sheet a second time. The sheet read is recorded and compared, and a
    record from before (no sheet) stands for the active sheet."""
    book, ws = tmp_path / "two.xlsx", tmp_path / "ws"
    _two_sheets(book)
    load_corpus([book], ws)
    assert Workspace.open(ws).manifest["inputs"][0]["sheet"] == "一月"
    report = load_corpus([book], ws, sheet="*")
    assert [f.path for f in report.files] == [f"{book}[二月]"] and report.skipped == [f"{book}[一月]"]
    assert len(Workspace.open(ws).read(S.CORPUS)) == 2
    old = tmp_path / "old"  # a workspace loaded before: its record names no sheet
    load_corpus([book], old)
    w = Workspace.open(old)
    w.manifest["inputs"][0]["sheet"] = None
    w.save_manifest()
    assert load_corpus([book], old, sheet="一月").skipped == [str(book)]


def test_load_header_only_day_files_are_no_twins_and_a_twin_in_a_folder_is_rejected_alone(tmp_path):
    """2026-12-08: daily exports with no posts have the same bytes; loaded a day at a time the
    second was refused ("same content as …") and nothing new loaded. The twin check now leaves
    inputs without rows alone, and applies within one command as across commands: a twin found
    in a folder is rejected whole and the rest loads; named, it stays a one-line error."""
    days, ws = tmp_path / "days", tmp_path / "ws"
    days.mkdir()
    (days / "2020-01-01.csv").write_text("正文,发布时间\n", encoding="utf-8")
    (days / "2020-01-02.csv").write_text("正文,发布时间\n", encoding="utf-8")
    (days / "2020-01-03.csv").write_text("正文,发布时间\n武汉加油,2020-01-03\n", encoding="utf-8")
    assert len(load_corpus([days], ws).files) == 3
    (days / "2020-01-04.csv").write_text("正文,发布时间\n", encoding="utf-8")
    (days / "2020-01-05.csv").write_text("正文,发布时间\n口罩难买,2020-01-05\n", encoding="utf-8")
    report = load_corpus([days], ws)
    assert report.total("rows_loaded") == 1 and not report.rejected_files
    (days / "copy.csv").write_bytes((days / "2020-01-05.csv").read_bytes())
    report = load_corpus([days], ws)
    (twin,) = report.rejected_files
    assert twin.path.endswith("copy.csv") and twin.error.startswith("same content as ")
    fresh = tmp_path / "fresh"  # within one command, alike
    assert [f.path for f in load_corpus([days], fresh).rejected_files] == [twin.path]
    with pytest.raises(InputError, match="copy.csv: same content as .*pass --replace"):
        load_corpus([days / "2020-01-05.csv", days / "copy.csv"], tmp_path / "named")


def test_load_twin_messages_say_given_twice_and_count_twins_apart_from_unreadable_files(tmp_path):
    """2026-12-08 review: a twin named in the same command was "already loaded" (nothing was),
    and a twin in a folder was counted among the "unreadable file(s)"."""
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text("text\n武汉加油\n", encoding="utf-8")
    b.write_bytes(a.read_bytes())
    with pytest.raises(InputError, match="b.csv: same content as .*a.csv, given twice in this command; leave one out"):
        load_corpus([a, b], tmp_path / "ws")
    load_corpus([a], tmp_path / "ws")
    with pytest.raises(InputError, match="b.csv: same content as .*a.csv, already loaded"):
        load_corpus([b], tmp_path / "ws")
    folder = tmp_path / "f"
    folder.mkdir()
    for name in ("1.csv", "2.csv"):
        (folder / name).write_bytes(a.read_bytes())
    (folder / "3.json").write_text("武汉加油", encoding="utf-8")  # not JSON: unreadable
    summary = str(load_corpus([folder], tmp_path / "ws2"))
    assert summary.endswith("; 1 unreadable file(s) rejected whole; 1 file(s) left out as copies of another "
                            "input (2.csv; --replace loads them)")


def test_load_twin_of_a_file_rejected_whole_is_loaded(tmp_path):
    """A file rejected whole (a.json: not JSON) was recorded first, so its copy b.csv, which
    reads, was left out as "same content as a.json, already loaded": nothing was loaded."""
    folder = tmp_path / "f"
    folder.mkdir()
    (folder / "a.json").write_text("text\n武汉加油\n", encoding="utf-8")
    (folder / "b.csv").write_text("text\n武汉加油\n", encoding="utf-8")
    report = load_corpus([folder], tmp_path / "ws")
    assert [f.path.rsplit("/", 1)[-1] for f in report.rejected_files] == ["a.json"]
    assert report.total("rows_loaded") == 1


def test_load_repeated_ids_in_a_later_input_leave_nothing_loaded(tmp_path):
    """2026-12-08: the first input was committed before the second's ids were checked."""
    a, b, ws = tmp_path / "a.csv", tmp_path / "b.csv", tmp_path / "ws"
    a.write_text("id,text\n1,帖子一\n2,帖子二\n", encoding="utf-8")
    b.write_text("id,text\n2,另一个帖子二\n3,帖子三\n", encoding="utf-8")
    with pytest.raises(InputError, match="repeats ids: '2'"):
        load_corpus([a, b], ws, id_col="id")
    assert Workspace.open(ws).manifest["inputs"] == []


def test_load_one_off_keeps_stored_privacy_options_and_names_what_it_changes(tmp_path):
    """2026-12-08: a side `opinion load other.csv` replaced the stored `--drop-col userid
    --date-from-filename --year 2020` that the daily `opinion run newday/` relies on, silently:
    the new days kept userid. Privacy options now add up; other changes are named."""
    day, other, ws = tmp_path / "2.1.csv", tmp_path / "other.csv", tmp_path / "ws"
    day.write_text("userid,text\nu1,武汉加油\nu2,口罩难买\n", encoding="utf-8")
    other.write_text("text,date\n医生辛苦了,2020-02-02\n", encoding="utf-8")
    load_corpus([day], ws, date_from_filename=True, year=2020, drop_cols=("userid",))
    report = load_corpus([other], ws)
    stored = stored_settings(Workspace.open(ws), LoadSettings)
    assert stored.drop_cols == ("userid",) and stored.year is None
    assert "date_from_filename true → false; year 2020 → none" in report.settings_note
    assert "privacy options kept for later runs (drop_cols userid)" in report.settings_note
    newday = tmp_path / "2.2.csv"
    newday.write_text("userid,text\nu3,物资送到了\n", encoding="utf-8")
    load_corpus([newday, other], ws, settings=stored, skip_loaded=True)  # what `opinion run` does
    assert "u3" not in Workspace.open(ws).read(S.CORPUS)[S.META].str.cat()


def test_load_notes_dates_far_from_the_rest_and_days_a_year_does_not_have(tmp_path):
    """2026-12-08: one post dated 1970-01-01 08:00 (a NULL epoch in UTC+8) turned a daily
    export monthly without a word; and 2.29 with --year 2019 was told to pass the flags given."""
    posts, ws = tmp_path / "posts.csv", tmp_path / "ws"
    posts.write_text("text,date\n" + "".join(f"第{i}条，武汉加油,2020-02-{i:02d}\n" for i in range(1, 21))
                     + "零时的帖子,1970-01-01 08:00:00\n", encoding="utf-8")
    note = load_corpus([posts], ws).far_note
    assert note.startswith("1 document(s) dated far outside the rest (the rest from 2020-02-01 to 2020-02-20), "
                           f"e.g. {posts} row 22: 1970-01-01 08:00:00")
    leap = tmp_path / "2.29.csv"
    leap.write_text("text\n武汉加油\n", encoding="utf-8")
    report = load_corpus([leap], tmp_path / "ws2", date_from_filename=True, year=2019)
    assert report.undated_note() == ("1 input(s) named by a day that does not exist, loaded without dates: "
                                     "2.29.csv: 2019-02-29 is not a day (2019 is not a leap year); check --year")


def _corpus(ws):
    frame = Workspace.open(ws).read(S.CORPUS)
    return sorted(zip(frame[S.DOC_ID], frame[S.TEXT_RAW], frame[S.DUPLICATE_OF].fillna("")))


def test_load_replace_redoes_the_duplicates_of_other_inputs_as_a_fresh_load(tmp_path):
    """2026-12-08: after `load a --replace`, b's copy of a post a no longer has kept
    `duplicate_of = a-2`, which now names another post; it counted as a duplicate, left out of
    topics and keywords. The exact-duplicate pass is redone over the inputs kept, in load order
    (a replaced input counts as loaded last), to equal a fresh load of the inputs in that order."""
    a, b, c, ws = tmp_path / "a.csv", tmp_path / "b.csv", tmp_path / "c.csv", tmp_path / "ws"
    a.write_text("text\n武汉加油，大家一起挺过去\n口罩买不到了怎么办\n今天天气不错出门散步\n", encoding="utf-8")
    b.write_text("text\n武汉加油，大家一起挺过去\n医生辛苦了\n口罩买不到了怎么办\n", encoding="utf-8")
    c.write_text("text\n医生辛苦了\n口罩买不到了怎么办\n武汉加油，大家一起挺过去\n", encoding="utf-8")
    load_corpus([a, b, c], ws, chunk_rows=2)
    a.write_text("text\n口罩买不到了怎么办\n今天天气不错出门散步\n医生辛苦了\n", encoding="utf-8")
    report = load_corpus([a], ws, chunk_rows=2, replace=True)
    assert f"duplicate_of redone for 4 row(s) ({b} 2, {c} 2)" in report.files[0].notes[-1]
    fresh = tmp_path / "fresh"
    load_corpus([b, c, a], fresh, chunk_rows=2)
    assert _corpus(ws) == _corpus(fresh)
    assert ("b-2", "武汉加油，大家一起挺过去", "") in _corpus(ws)
    counts = {e["key"]: e["duplicates"] for e in Workspace.open(ws).manifest["inputs"]}
    assert counts == {e["key"]: e["duplicates"] for e in Workspace.open(fresh).manifest["inputs"]}
    load_corpus([b], ws, chunk_rows=2, replace=True)  # b now counts as loaded last
    load_corpus([c, a, b], tmp_path / "fresh2", chunk_rows=2)
    assert _corpus(ws) == _corpus(tmp_path / "fresh2") and not (ws / ".staging").exists()


def test_load_replace_killed_after_its_commit_point_finishes_the_redone_duplicates(tmp_path, monkeypatch):
    """The parts of other inputs whose duplicate_of is redone are committed with the load: a load
    killed after the commit point is finished by the next writer, those parts included."""
    import opinion.io.commit as C

    a, b, ws = tmp_path / "a.csv", tmp_path / "b.csv", tmp_path / "ws"
    a.write_text("text\n武汉加油，大家一起挺过去\n口罩买不到了怎么办\n", encoding="utf-8")
    b.write_text("text\n武汉加油，大家一起挺过去\n医生辛苦了\n", encoding="utf-8")
    load_corpus([a, b], ws)
    a.write_text("text\n口罩买不到了怎么办\n今天天气不错出门散步\n", encoding="utf-8")
    apply = C._apply

    def dying(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(C, "_apply", dying)
    with pytest.raises(KeyboardInterrupt):
        load_corpus([a], ws, replace=True)
    monkeypatch.setattr(C, "_apply", apply)
    assert load_corpus([a, b], ws).skipped == [str(a), str(b)]  # the next writer finishes the commit
    load_corpus([b, a], tmp_path / "fresh")
    assert _corpus(ws) == _corpus(tmp_path / "fresh") and not (ws / ".staging").exists()


def test_load_twin_in_a_folder_counts_its_rows_read(tmp_path):
    """2026-12-08 review: a copy of another file of the folder counted as 1 row read, so the
    total said 4 rows where the files held 5."""
    folder = tmp_path / "tw"
    folder.mkdir()
    for name in ("1.20.csv", "1.21.csv"):
        (folder / name).write_text("内容,时间\n帖子一,2020-01-20\n帖子二,2020-01-20\n", encoding="utf-8")
    (folder / "1.24.csv").write_text("内容,时间\n帖子三,2020-01-24\n", encoding="utf-8")
    report = load_corpus([folder], tmp_path / "ws")
    twin = next(f for f in report.files if f.error)
    assert (twin.rows_read, twin.rows_rejected) == (2, 2)
    assert (report.total("rows_read"), report.total("rows_loaded")) == (5, 3)


def test_load_replace_with_drop_duplicates_names_the_copies_left_out(tmp_path):
    """2026-12-08 review: with --drop-duplicates, replacing a.csv left b.csv's copy of a post
    of the old a.csv out of the corpus, and rejects.csv named a doc id that now holds another
    post, without a word."""
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text("内容,时间\n帖子A甲乙丙,2020-01-20\n帖子B共同内容,2020-01-20\n", encoding="utf-8")
    b.write_text("内容,时间\n帖子B共同内容,2020-01-21\n帖子C,2020-01-21\n", encoding="utf-8")
    load_corpus([a, b], tmp_path / "ws", drop_duplicates=True)
    a.write_text("内容,时间\n帖子X新内容,2020-01-20\n帖子Y新内容,2020-01-20\n", encoding="utf-8")
    report = load_corpus([a], tmp_path / "ws", replace=True, drop_duplicates=True)
    notes = [note for note in report.files[0].notes if "stay out as copies" in note]
    assert len(notes) == 1 and "1 row(s) of " in notes[0] and "duplicate of a-3" in notes[0]
    assert f"opinion load {b} -w" in notes[0]
    assert "--replace --drop-duplicates" in notes[0]
    again = load_corpus([a], tmp_path / "ws2", drop_duplicates=True)  # nothing replaced: no note
    assert not [n for f in again.files for n in f.notes if "stay out as copies" in n]


def test_load_inputs_of_one_name_are_keyed_by_folder_in_any_order(tmp_path):
    """`xinhua/posts.csv people/posts.csv` gave posts-2 to xinhua's article and posts_2-2 to
    people's, and the other argument order the other way round: one id, two articles."""
    from opinion.io.load import load_corpus
    from opinion.io.workspace import Workspace

    for site, text in (("xinhua", "新华社稿件一：武汉加油"), ("people", "人民网稿件一：口罩告急")):
        (tmp_path / site).mkdir()
        (tmp_path / site / "posts.csv").write_text(f"正文\n{text}\n", encoding="utf-8")
    (tmp_path / "export.csv").write_text("正文\n导出一\n", encoding="utf-8")
    (tmp_path / "export.tsv").write_text("正文\n导出二\n", encoding="utf-8")
    files = [str(tmp_path / p) for p in ("xinhua/posts.csv", "people/posts.csv", "export.csv", "export.tsv")]
    ids = []
    for name, order in (("a", files), ("b", files[::-1])):
        load_corpus(order, tmp_path / name)
        corpus = Workspace.open(tmp_path / name).read("corpus")
        ids.append(dict(zip(corpus["input_file"].map(lambda p: p[len(str(tmp_path)) + 1:]), corpus["doc_id"])))
    assert ids[0] == ids[1] == {"xinhua/posts.csv": "xinhua_posts-2", "people/posts.csv": "people_posts-2",
                                "export.csv": "export_csv-2", "export.tsv": "export_tsv-2"}
