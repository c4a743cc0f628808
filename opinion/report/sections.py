"""The reading order of a report, shared by the Markdown and HTML writers.

A report is a list of :class:`Section`: a title, a note, display tables (text cells with
reader headings, in the reader's script) and, for HTML, the name of a chart. A section
whose stage has not run keeps its title and says which command to run.

Example:
    >>> [s.title for s in report_sections(build_tables(ws), script="zh-Hans")]  # doctest: +SKIP
    ['概览', '主题', '主题趋势', '各主题情感', '情绪', '议题趋势', '关键词与词云', '来源', '运行信息']
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from opinion import schema as S
from opinion.flagged import DEFINITIONS as FLAG_DEFINITIONS
from opinion.i18n import MESSAGES, text, value_text
from opinion.periods import period_start
from opinion.report.display import (
    NO_DOCUMENTS,
    display_frame,
    format_value,
    is_share_column,
    ordered_topics,
    pivot_by_period,
    recent_periods,
    render_name,
    short_label,
    theme_topic_order,
    topic_names,
)
from opinion.report.run_table import reader_run, run_summary
from opinion.topics.skipped import skipped_text

SHOWN_TERMS = 6  # top terms shown per topic in Markdown and HTML
LIST_MARKS = {"zh": ("、", "（{}）"), "en": ("; ", " ({})")}  # lang -> (list separator, brackets)
TOPIC_COLUMNS = ["topic_id", "label", "top_terms", "size", "share", "trend", "trend_growth",
                 "mean_sentiment", "positive_share", "negative_share"]


@dataclass
class Section:
    """One part of a report."""

    key: str  # anchor and chart name
    title: str
    note: str = ""
    tables: list[tuple[str, pd.DataFrame]] = field(default_factory=list)  # (caption, display frame)
    appendix: list[tuple[str, pd.DataFrame]] = field(default_factory=list)  # folded in HTML, not in Markdown


def _value(run: pd.DataFrame, section: str, key: str) -> object:
    rows = run[(run["section"] == section) & (run["key"] == key)]["value"]
    return rows.iloc[0] if len(rows) else None


_RUN_COMMAND = re.compile(r"run (`[^`]+`)")


def joined(notes: tuple[str, ...] | list[str], *, lang: str) -> str:
    """Sentences of a note one after another: no space between Chinese ones, one in English."""
    return ("" if lang == "zh" else " ").join(note for note in notes if note)


def _missing_note(run: pd.DataFrame, table: str, script: str = "zh-Hans", lang: str = "zh") -> str:
    state = _value(run, "tables", table)
    if isinstance(state, str) and state.startswith("skipped"):  # too few documents for topics
        note = {key: _value(run, "topics skipped", key) for key in ("unit", "have", "needed")}
        return skipped_text(note, script, lang=lang)
    if not (isinstance(state, str) and state.startswith("missing")):
        return ""
    command = _RUN_COMMAND.search(state)  # the run table's "missing: run `opinion topics -w WS`"
    if command:
        return text("report.missing_run", script, lang=lang, command=command.group(1))
    return text("report.missing", script, lang=lang, state=state)


def undated(tables: dict[str, pd.DataFrame]) -> bool:
    """Whether no document of the report has a date (so nothing is shown by period)."""
    docs = tables["documents"]
    without = pd.to_numeric(pd.Series([_value(tables["run"], "corpus", "documents_without_date")]), errors="coerce")
    return len(docs) > 0 and without.iloc[0] == len(docs)


def overview(tables: dict[str, pd.DataFrame], *, script: str = "zh-Hans", lang: str = "zh") -> pd.DataFrame:
    """Key figures of the corpus and its results as ``(指标, 值)`` rows, in ``script`` and ``lang``."""
    run, docs, topics = tables["run"], tables["documents"], tables["topics"]
    period = "" if undated(tables) else str(_value(run, "export", "period"))  # no dates: no periods
    figures: list[tuple[str, object]] = [
        ("documents", len(docs)),
        ("dates", f"{format_value(_value(run, 'corpus', 'first_date'))} – "
                  f"{format_value(_value(run, 'corpus', 'last_date'))}"),
        ("period", text(f"report.period.{period}", script, lang=lang) if f"report.period.{period}" in MESSAGES else "–"),
        ("sources", _source_names(tables, lang=lang)),
        *[(name, _value(run, "corpus", name)) for name in FLAG_DEFINITIONS  # as the explorer names them
          if _value(run, "corpus", name) is not None],
        ("rejects", _value(run, "corpus", "rejected_rows")),
        ("undated", _value(run, "corpus", "documents_without_date")),
    ]
    if not topics.empty:
        largest = topics[topics["topic_id"] != -1].sort_values("size", ascending=False, kind="stable")
        first = int((largest if len(largest) else topics)["topic_id"].iloc[0])
        figures += [("topics", len(largest)),  # the outliers (-1) are shown apart, not a topic
                    ("largest", topic_names(topics)[first])]  # label #id if shared
    every = _all_documents_sentiment(docs, "")
    if not every.empty:
        figures += [(name, format_value(every[column].iloc[0], column)) for name, column in
                    (("mean", "mean_sentiment"), ("positive", "positive_share"), ("negative", "negative_share"))]
    heading = {name: f"flags.{name}" for name in FLAG_DEFINITIONS}  # the explorer's card names
    return pd.DataFrame([(text(heading.get(name, f"report.figure.{name}"), script, lang=lang),
                          format_value(v, script=script, lang=lang)) for name, v in figures],
                        columns=[text("report.figure", script, lang=lang), text("report.value", script, lang=lang)])


def _source_names(tables: dict[str, pd.DataFrame], *, shown: int = 10, lang: str = "zh") -> str:
    """The largest sources by documents, labelled as everywhere (the input file's name when a
    document has no source), and how many there are in all."""
    sources = tables["sources"]
    if sources.empty:
        return ""
    counts = sources.groupby("source")["count"].sum().sort_values(ascending=False, kind="stable")
    separator, brackets = LIST_MARKS.get(lang, LIST_MARKS["zh"])
    names = separator.join(str(s) for s in counts.index[:shown])
    return names if len(counts) <= shown else f"{names} …{brackets.format(len(counts))}"


def _examples(topics: pd.DataFrame) -> list[list[str]]:
    """Each topic's example posts as ``doc_id · date · excerpt`` lines."""
    cells = []
    for _, row in topics.iterrows():
        lines, k = [], 1
        while f"example_{k}_doc_id" in topics.columns:
            if isinstance(row[f"example_{k}_doc_id"], str):
                lines.append(" · ".join(filter(None, (row[f"example_{k}_doc_id"],
                                                      format_value(row[f"example_{k}_date"]),
                                                      row[f"example_{k}_excerpt"]))))
            k += 1
        cells.append(lines)
    return cells


SHOWN_PERIODS = 12  # period columns of a by-period table in the report (the CSV and XLSX hold all)


def _topic_rows(long: pd.DataFrame, value: str, topics: pd.DataFrame, unit: str | None) -> pd.DataFrame:
    """Topic × period rows pivoted with one row per topic id (two topics may share a label),
    in the topic table's order (:func:`ordered_topics`), then named as everywhere (:func:`topic_names`:
    ``label #id`` when a label repeats)."""
    wide = pivot_by_period(long, value=value, index="topic_id", unit=unit).set_index("topic_id")
    shown = [t for t in ordered_topics(topics)["topic_id"] if t in wide.index] if not topics.empty else []
    wide = wide.loc[shown + [t for t in wide.index if t not in set(shown)]]  # -2 (all documents) last
    return _named(wide, long, topics).reset_index()


def _named(wide: pd.DataFrame, long: pd.DataFrame, topics: pd.DataFrame | None) -> pd.DataFrame:
    """``wide`` (indexed by topic id) indexed by the topics' reader names instead: those of
    :func:`topic_names`, else the label ``long`` gives (全部文档 for the all-document row)."""
    labels = long.drop_duplicates("topic_id").set_index("topic_id")["topic_label"]
    names = topic_names(topics) if topics is not None and not topics.empty else {}
    return wide.set_axis([names.get(int(t), labels.get(t)) for t in wide.index]).rename_axis("topic_label")


def _unit(tables: dict[str, pd.DataFrame]) -> str | None:
    """The period unit of the report's timelines (day, week, month), as the run table records it."""
    unit = _value(tables["run"], "export", "period") if "run" in tables else None
    return str(unit) if unit is not None else None


def _by_period(long: pd.DataFrame, caption: str, *, value: str, file: str, script: str, lang: str,
               unit: str | None, topics: pd.DataFrame | None = None) -> tuple[str, pd.DataFrame]:
    """A by-period table as ``(caption, display frame)``, topics in ``topics``' order (themes as
    they come without it): every period when there are at most :data:`SHOWN_PERIODS`, else the
    last ones and a whole-span line, which the caption explains. Rows of the undated documents
    (``themes_by_period``) make a last column, 无日期文档, after the periods."""
    undated = long["period"].isna()
    wide = (_topic_rows(long[~undated], value, topics, unit) if topics is not None
            else pivot_by_period(long[~undated], value=value, index="theme", unit=unit))
    total = wide.shape[1] - 1
    if total > SHOWN_PERIODS:
        step = 0.001 if is_share_column(value) else 0.01  # as display_frame prints: 0.1%, 0.12
        wide = recent_periods(wide, shown=SHOWN_PERIODS, step=step)
        recent = text("report.recent_periods", script, lang=lang, shown=SHOWN_PERIODS, total=total, file=file)
        caption = f"{caption} · {recent}" if caption else recent
    if undated.any() and topics is None and not wide.empty:
        values = long[undated].drop_duplicates("theme").set_index("theme")[value]
        wide[text("report.figure.undated", script, lang=lang)] = wide["theme"].map(values).to_numpy()
    if wide.iloc[:, 1:].eq(NO_DOCUMENTS).all().any():
        empty = text("report.no_documents_period", script, lang=lang, mark=NO_DOCUMENTS)
        caption = f"{caption} · {empty}" if caption else empty
    return caption, display_frame(wide, script, values_like=value, lang=lang)


def _sentiment_tables(tables: dict[str, pd.DataFrame], script: str, lang: str) -> list[tuple[str, pd.DataFrame]]:
    topics, by_period = tables["topics"], tables["sentiment_by_topic_period"]
    out = []
    overall = pd.DataFrame()
    if not topics.empty and topics["mean_sentiment"].notna().any():
        overall = topics[["label", "size", "mean_sentiment", "positive_share", "negative_share"]].assign(
            label=topics["topic_id"].map(topic_names(topics)))
    elif topics.empty:  # no topics fitted: the one row there is, all documents, as the emotions section
        overall = _all_documents_sentiment(tables["documents"], text("report.all_documents", script, lang=lang))
    if not overall.empty:
        out.append((text("report.overall", script, lang=lang), display_frame(overall, script, lang=lang)))
    if not by_period.empty:
        out.append(_by_period(by_period, text("report.sentiment_by_period", script, lang=lang),
                              value="mean_sentiment", file="sentiment_by_topic_period.csv",
                              script=script, lang=lang, unit=_unit(tables), topics=topics))
    return out


def _all_documents_sentiment(docs: pd.DataFrame, label: str) -> pd.DataFrame:
    """The topic sentiment table's columns over every document, as one row named ``label``
    (empty without sentiment)."""
    if "sentiment_score" not in docs.columns or docs["sentiment_score"].isna().all():
        return pd.DataFrame()
    labels = docs["sentiment_label"].dropna()
    return pd.DataFrame([{"label": label, "size": len(docs), "mean_sentiment": float(docs["sentiment_score"].mean()),
                          "positive_share": float((labels == "positive").mean()),
                          "negative_share": float((labels == "negative").mean())}])


def _emotion_tables(tables: dict[str, pd.DataFrame], script: str, lang: str) -> list[tuple[str, pd.DataFrame]]:
    """Emotion shares of all documents, then of each topic in the topic table's order; the other
    groupings stay in ``emotion_shares.csv``."""
    shares, topics = tables["emotion_shares"], tables["topics"]
    if shares.empty:
        return []
    every = shares[shares["by"] == "all"].assign(group=text("report.all_documents", script, lang=lang))
    by_topic = shares[shares["by"] == "topic"]
    if not topics.empty:  # named as the topic table names them (label #id when two share a label)
        names = topic_names(topics)
        order = [names[t] for t in ordered_topics(topics)["topic_id"].astype(int)]
        by_topic = by_topic.assign(_order=by_topic["group"].map({n: i for i, n in enumerate(order)}))
        by_topic = by_topic.sort_values("_order", kind="stable", na_position="last").drop(columns="_order")
    rows = pd.concat([every, by_topic], ignore_index=True)
    emotions = {f"{e}_share": value_text(e, script, lang=lang).capitalize() for e in S.EMOTIONS}  # 喜悦, Happiness
    view = rows.rename(columns={"group": "topic_label", **emotions})[["topic_label", "docs", *emotions.values(),
                                                                     "top_emotion"]]
    view = view.assign(top_emotion=view["top_emotion"].map(
        lambda e: value_text(e, script, lang=lang) if isinstance(e, str) else e))
    return [("", display_frame(view, script, values_like="share", lang=lang))]


def _theme_tables(tables: dict[str, pd.DataFrame], script: str, lang: str) -> list[tuple[str, pd.DataFrame]]:
    themes, theme_topic = tables["themes_by_period"], tables["theme_topic"]
    out = []
    if not themes.empty:
        out.append(_by_period(themes, text("report.prevalence_by_period", script, lang=lang),
                              value="prevalence", file="themes_by_period.csv", script=script, lang=lang,
                              unit=_unit(tables)))
    if not theme_topic.empty:
        order = theme_topic_order(theme_topic, tables.get("topics"))  # as the heatmap: largest first
        wide = theme_topic.pivot_table(index="topic_id", columns="theme", values="share_of_topic", sort=False)
        wide = _named(wide.reindex(order["topic_id"]), theme_topic, tables.get("topics")).reset_index()
        out.append((text("report.theme_topic", script, lang=lang),
                    display_frame(wide, script, values_like="share", lang=lang)))
    return out


def unmentioned_themes(tables: dict[str, pd.DataFrame]) -> list[str]:
    """The themes no document mentions (in ``themes_by_period`` and ``theme_topic``), in table
    order: the charts leave them out and the themes section names them."""
    hits: dict[str, int] = {}
    for name in ("themes_by_period", "theme_topic"):
        table = tables.get(name, pd.DataFrame())
        if not table.empty:
            for theme, n in table.groupby("theme", sort=False)["docs_with_theme"].sum().items():
                hits[str(theme)] = hits.get(str(theme), 0) + int(n)
    return [theme for theme, n in hits.items() if n == 0]


def _unmentioned_note(tables: dict[str, pd.DataFrame], script: str, lang: str) -> str:
    """One line naming the shipped example themes (信任, 国货 …) no document mentions and how to
    add one's own, and one naming the reader's own such themes; "" when every theme has hits."""
    from opinion.themes import builtin_themes, theme_key

    silent, shipped_keys = unmentioned_themes(tables), {theme_key(t.name) for t in builtin_themes()}
    shipped = [theme for theme in silent if theme_key(theme) in shipped_keys]
    own = [theme for theme in silent if theme not in shipped]
    separator = LIST_MARKS.get(lang, LIST_MARKS["zh"])[0]
    return joined([text(key, script, lang=lang, names=separator.join(render_name(n, script) for n in names))
                   for key, names in
                   (("report.themes_unmentioned_builtin", shipped), ("report.themes_unmentioned", own)) if names],
                  lang=lang)


KEYWORD_GROUPS_SHOWN = 12  # sources or topics in the keyword grid of an undated corpus (the largest)


def _keyword_groups(found: pd.DataFrame, topics: pd.DataFrame | None) -> list[str]:
    """The columns of an undated corpus's keyword grid, at most :data:`KEYWORD_GROUPS_SHOWN`:
    topics in the order of every other topic table (``topics`` given: :func:`ordered_topics`,
    largest first, catch-all topics last), else the groups with the most keyword occurrences first."""
    largest = found.groupby("group")["count"].sum().sort_values(ascending=False, kind="stable").index.tolist()
    if topics is not None and not topics.empty:
        order = [label for label in ordered_topics(topics)["label"].astype(str) if label in set(largest)]
        largest = order + [group for group in largest if group not in set(order)]
    return largest[:KEYWORD_GROUPS_SHOWN]


def _keyword_tables(tables: dict[str, pd.DataFrame], script: str, lang: str) -> list[tuple[str, pd.DataFrame]]:
    """Keywords as one column per period, one row per rank (名次; words already in the reader's
    script); for a corpus without dates, one column per source (the largest first) or topic
    (in the topic table's order)."""
    found, by = tables.get("keywords_by_period"), "period"
    for grouping in ("source", "topic"):
        if (found is None or found.empty) and not tables.get(f"keywords_by_{grouping}", pd.DataFrame()).empty:
            found, by = tables[f"keywords_by_{grouping}"], grouping
    if found is None or found.empty:
        return []
    column, caption = ("period", "") if by == "period" else ("group", text(f"report.keywords_by_{by}", script,
                                                                            lang=lang))
    if column == "group":
        shown = _keyword_groups(found, tables.get("topics") if by == "topic" else None)
        found = found[found["group"].isin(shown)].assign(group=lambda f: pd.Categorical(f["group"], categories=shown))
    grid = found[found["rank"] <= 10].pivot(index="rank", columns=column, values="word").fillna("")
    grid.columns = [format_value(c) for c in grid.columns]
    return [(caption, display_frame(grid.reset_index(), script, lang=lang))]


def _no_keywords_reason(tables: dict[str, pd.DataFrame]) -> str:
    """Why no group stands out, as a ``report.no_keywords.*`` key: one group only (no dates, one
    source and under two topics; or one period), groups of a day, or "" (the thresholds)."""
    topics = tables["topics"]
    if undated(tables):
        sources = tables["sources"]["source"].nunique() if not tables["sources"].empty else 0
        fitted = int((topics["topic_id"] >= 0).sum()) if not topics.empty else 0
        return "undated" if sources < 2 and fitted < 2 else ""
    unit = _unit(tables) or "day"
    dates = tables["documents"].get("published_at", pd.Series(dtype="datetime64[ns]")).dropna()
    if unit in ("day", "week", "month") and period_start(dates, unit).nunique() < 2:
        return "one_period"
    return "by_day" if unit == "day" else ""


def _keywords_note(tables: dict[str, pd.DataFrame], script: str, lang: str) -> str:
    """The keywords section's note when it has no table: why, and what to try."""
    run = tables["run"]
    missing = _missing_note(run, "prepared", script, lang)
    if missing:
        return missing
    reason = _no_keywords_reason(tables)
    return joined((text("report.no_keywords", script, lang=lang),
                   text(f"report.no_keywords.{reason}", script, lang=lang) if reason else ""), lang=lang)


def _topics_note(tables: dict[str, pd.DataFrame], generic: pd.Series, script: str, lang: str) -> str:
    """The topic section's note: not fitted (and why), one topic only (a description of every
    document, not a finding), or what the catch-all mark means."""
    topics = tables["topics"]
    fitted = topics[topics["topic_id"] >= 0] if not topics.empty else topics
    if len(fitted) == 1:
        names = topic_names(topics)
        return text("report.one_topic", script, lang=lang, label=names[int(fitted["topic_id"].iloc[0])],
                    n=format_value(fitted["size"].iloc[0], "size"))
    return (_missing_note(tables["run"], "topic_documents", script, lang)
            or (text("report.generic_note", script, lang=lang) if generic.any() else ""))


def _sentiment_note(tables: dict[str, pd.DataFrame], script: str, lang: str) -> str:
    """The sentiment section's note; without topics it first says why (not fitted, too few
    documents) its table has the one row of all documents."""
    run = tables["run"]
    missing = _missing_note(run, "sentiment", script, lang)
    if missing:
        return missing
    why = _missing_note(run, "topic_documents", script, lang) if tables["topics"].empty else ""
    return joined((why, text("report.sentiment_note", script, lang=lang)), lang=lang)


def _run_tables(run: pd.DataFrame, *, script: str, lang: str, undated: bool) -> list[tuple[str, pd.DataFrame]]:
    """The run section of report.md and report.html: the summary a methods section needs
    (:func:`run_summary`) and the definitions of the derived columns; run.csv has every row."""
    definitions = reader_run(run[run["section"] == "definition"], script=script, lang=lang)[["key", "value"]]
    return [("", display_frame(run_summary(run, script=script, lang=lang, undated=undated), script, lang=lang)),
            (text("report.definitions", script, lang=lang), display_frame(definitions, script, lang=lang))]


def source_summary(sources: pd.DataFrame, *, top: int = 2, lang: str = "zh",
                   topics: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per source: documents, mean sentiment and its ``top`` largest topics with their
    share of the source (the source × topic table of ``sources.csv`` has a row per pair), listed
    with ``lang``'s punctuation: ``口罩（57%）、确诊（43%）`` or ``口罩 (57%); 确诊 (43%)``; without
    that column when no topics were fitted. Topics are named as everywhere (:func:`topic_names`
    of ``topics``, else of the pairs in ``sources``): ``label #id`` when two share a label."""
    separator, brackets = LIST_MARKS.get(lang, LIST_MARKS["zh"])
    if sources.empty:
        return pd.DataFrame(columns=["source", "count", "mean_sentiment", "largest_topics"])
    pairs = sources.drop_duplicates("topic_id").rename(columns={"topic_label": "label"})[["topic_id", "label"]]
    if topics is not None and not topics.empty:  # the topic table's labels, the source's for the rest
        pairs = pd.concat([topics[["topic_id", "label"]], pairs[~pairs["topic_id"].isin(topics["topic_id"])]])
    names = topic_names(pairs, shorten=short_label)
    rows = []
    for source, group in sources.groupby("source", sort=False):
        largest = group.sort_values(["count", "topic_id"], ascending=[False, True]).head(top)
        mean = ((group["mean_sentiment"] * group["count"]).sum() / group["count"].sum()
                if "mean_sentiment" in group and group["mean_sentiment"].notna().any() else float("nan"))
        rows.append({"source": source, "count": int(group["count"].sum()), "mean_sentiment": mean,
                     "largest_topics": separator.join(names[int(t)] + brackets.format(f"{share:.0%}")
                                                      for t, share
                                                      in zip(largest["topic_id"], largest["share_of_source"]))})
    summary = pd.DataFrame(rows).sort_values(["count", "source"], ascending=[False, True], ignore_index=True)
    no_topics = (sources["topic_id"] == -2).all()  # topics were not fitted: only all-document rows
    return summary.drop(columns="largest_topics") if no_topics else summary


def _generic(topics: pd.DataFrame) -> pd.Series:
    """Which rows are catch-all topics (``is_generic``), the ones :func:`ordered_topics` moves
    after the others; never topic -1, which is last as unassigned documents."""
    flags = topics["is_generic"].eq(True) if "is_generic" in topics.columns else pd.Series(False, index=topics.index)
    return flags & (topics["topic_id"] >= 0)


def reader_tables(tables: dict[str, pd.DataFrame], *, script: str, lang: str = "zh") -> dict[str, pd.DataFrame]:
    """``tables`` with the rows computed over every document (topic -2, ``(all documents)`` in
    the CSV files) named in the reader's language: ``全部文档`` in a Chinese report."""
    from opinion.report.tables import ALL_DOCUMENTS

    shown = text("report.all_documents", script, lang=lang)
    return {name: (df.assign(topic_label=df["topic_label"].replace(ALL_DOCUMENTS, shown))
                   if "topic_label" in df.columns else df)
            for name, df in tables.items()}


def report_sections(tables: dict[str, pd.DataFrame], *, script: str, lang: str = "zh") -> list[Section]:
    """The sections of a report built from :func:`opinion.report.tables.build_tables`, headed
    and explained in ``lang`` (``zh`` in ``script``, or ``en``); the data stay in ``script``."""
    tables = reader_tables(tables, script=script, lang=lang)
    tables["topics"] = ordered_topics(tables["topics"])  # as the explorer and the charts: catch-all topics last
    run, topics, over_time = tables["run"], tables["topics"], tables["topics_over_time"]

    def say(key: str) -> str:
        return text(f"report.{key}", script, lang=lang)

    def note(table: str, key: str, *, by_period: bool = False) -> str:
        return (_missing_note(run, table, script, lang)
                or (say("no_dates") if by_period and undated(tables) else say(key)))

    topic_tables, generic = [], _generic(topics) if not topics.empty else pd.Series(dtype=bool)
    if not topics.empty:
        columns = [*TOPIC_COLUMNS[:2], "is_generic", *TOPIC_COLUMNS[2:]] if generic.any() else TOPIC_COLUMNS
        shown = topics.assign(  # the full list is in the CSV and XLSX tables
            top_terms=topics["top_terms"].fillna("").str.split().str[:SHOWN_TERMS].str.join(" "),
            label=topics["topic_id"].map(topic_names(topics)),  # label #id when two share a label
            is_generic=generic.map({True: True, False: None}))[columns]  # 是 on a catch-all topic's row
        topic_view = display_frame(shown, script, lang=lang)
        if "example_1_doc_id" in topics.columns:  # --top 0: no examples, no empty column
            topic_view[say("examples")] = _examples(topics)
        topic_tables.append(("", topic_view))
    by_source = source_summary(tables["sources"], lang=lang, topics=topics)
    keyword_tables = _keyword_tables(tables, script, lang)
    trend_tables = []
    if not over_time.empty:
        trend_tables.append(_by_period(over_time, "", value="share", file="topics_over_time.csv",
                                       script=script, lang=lang, unit=_unit(tables), topics=topics))
    return [
        Section("overview", say("overview"), tables=[("", overview(tables, script=script, lang=lang))]),
        Section("topics", say("topics"), _topics_note(tables, generic, script, lang), topic_tables),
        Section("topic_trends", say("topic_trends"), note("topic_documents", "topic_trends_note", by_period=True),
                trend_tables),
        Section("sentiment", say("sentiment"), _sentiment_note(tables, script, lang),
                _sentiment_tables(tables, script, lang)),
        Section("emotions", say("emotions"), note("sentiment", "emotions_note"), _emotion_tables(tables, script, lang)),
        Section("themes", say("themes"), joined((note("prepared", "themes_note", by_period=True),
                                                  _unmentioned_note(tables, script, lang)), lang=lang),
                _theme_tables(tables, script, lang)),
        Section("keywords", say("keywords"), (note("prepared", "keywords_note", by_period=True) if keyword_tables
                                              else _keywords_note(tables, script, lang)), keyword_tables),
        Section("sources", say("sources"),
                say("source_summary" if "largest_topics" in by_source else "source_summary_no_topics"),
                [("", display_frame(by_source, script, lang=lang))]),
        Section("run", say("run"), joined((say("run_note"), text("report.run_full", script, lang=lang, n=len(run))),
                                          lang=lang),
                _run_tables(run, script=script, lang=lang, undated=undated(tables)),
                appendix=[("", display_frame(reader_run(run, script=script, lang=lang, undated=undated(tables)),
                                             script, lang=lang))]),
    ]
