"""Every report table, built as DataFrames from a workspace.

:func:`build_tables` reads whichever stage outputs exist and returns the tables the
exporters write and the explorer shows. A stage that has not run leaves its tables empty
(with their columns) and says so in the ``run`` table; it never fails, except when there
is no corpus at all.

Text in the workspace is Simplified; labels, terms and excerpts are rendered to the
reader's script. ``text_raw`` is the user's data and is never changed.

Example:
    >>> tables = build_tables(Workspace.open("runs/weibo"), script="zh-Hant-TW")  # doctest: +SKIP
    >>> tables["topics"][["label", "size", "trend"]].head()  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from opinion import schema as S
from opinion.errors import InputError
from opinion.io.workspace import Workspace
from opinion.periods import check_period, period_start
from opinion.report.display import check_script, render_names, render_series, topic_names
from opinion.report.examples import EXCERPT_CHARS, excerpt, representative_docs  # noqa: F401  (excerpt re-exported)
from opinion.report.run_table import run_table
from opinion.report.trend import NO_TREND, trend_of
from opinion.sources import source_labels
from opinion.topics.settings import workspace_period_choice

TABLE_NAMES = ("topics", "topics_over_time", "sentiment_by_topic_period", "emotion_by_topic_period",
               "emotion_shares", "themes_by_period", "theme_topic", "sources", "documents", "run")
ALL_DOCUMENTS = "(all documents)"  # topic label of rows computed over every document

COLUMNS = {
    "topics": ["topic_id", "label", "top_terms", "size", "share", "first_seen", "last_seen",
               "trend", "trend_growth", "mean_sentiment", "positive_share", "negative_share",
               "is_generic", "coherence", "name",
               "label_auto", "merged_from"],  # the model's label and ids (opinion topics edit)
    "topics_over_time": ["topic_id", "topic_label", "period", "count", "share"],
    "sentiment_by_topic_period": ["topic_id", "topic_label", "period", "docs", "mean_sentiment",
                                  "positive_share", "neutral_share", "negative_share"],
    "emotion_by_topic_period": ["topic_id", "topic_label", "period", "docs",
                                *[f"{e}_share" for e in S.EMOTIONS], "top_emotion"],
    "emotion_shares": ["by", "group", "docs", *[f"{e}_share" for e in S.EMOTIONS], "top_emotion"],
    "themes_by_period": ["theme", "period", "docs", "docs_with_theme", "prevalence", "hits",
                         "mean_sentiment", "undated"],  # undated: the row of the documents without a date
    "theme_topic": ["theme", "topic_id", "topic_label", "docs_with_theme", "topic_size",
                    "share_of_topic", "share_of_theme", "lift", "mean_sentiment"],
    "sources": ["source", "topic_id", "topic_label", "count", "share_of_source",
                "share_of_topic", "mean_sentiment"],
}


@dataclass
class WorkspaceTables:
    """The stage outputs found in a workspace; a stage that has not run is ``None``."""

    root: Path
    corpus: pd.DataFrame
    prepared: pd.DataFrame | None = None
    sentiment: pd.DataFrame | None = None
    topic_docs: pd.DataFrame | None = None
    topics: pd.DataFrame | None = None
    topic_metrics: dict[str, Any] | None = None
    manifest: dict[str, Any] = field(default_factory=dict)

    @property
    def themes(self) -> list[str]:
        """Theme names, from the ``theme_<name>`` columns of the prepared table."""
        if self.prepared is None:
            return []
        return [c[len(S.THEME_PREFIX):] for c in self.prepared.columns if c.startswith(S.THEME_PREFIX)]


CORPUS_READ = (S.DOC_ID, S.TITLE, S.TEXT_RAW, S.PUBLISHED_AT, S.SOURCE, S.INPUT_FILE, S.DUPLICATE_OF,
               S.DECODE_ERROR, S.TEXT_HASH, S.META)


def _read(ws: Workspace, name: str, keep: Callable[[str], bool]) -> pd.DataFrame:
    """Read the columns of table ``name`` that ``keep`` accepts; token lists arrive space-joined.

    Joining tokens in Arrow avoids building 600k Python lists only to join them again.
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    files = [ws.part_path(name, p) for p in ws.parts(name)] or [ws.table_path(name)]
    parts = []
    for path in files:
        table = pq.read_table(path, columns=[c for c in pq.read_schema(path).names if keep(c)])
        kind = table.schema.field(S.TOKENS).type if S.TOKENS in table.column_names else None
        if kind is not None and (pa.types.is_list(kind) or pa.types.is_large_list(kind)):
            joined = pc.binary_join(table[S.TOKENS].cast(pa.list_(pa.string())), " ")
            table = table.set_column(table.column_names.index(S.TOKENS), S.TOKENS, joined)
        parts.append(table)
    return pa.concat_tables(parts, promote_options="default").to_pandas()


def read_workspace(ws: Workspace) -> WorkspaceTables:
    """Read every stage output that exists (the corpus is required).

    Only the columns reports use are read (not the input bookkeeping).
    """
    ws.require(S.CORPUS)

    def optional(name: str, keep: Callable[[str], bool] = lambda c: True) -> pd.DataFrame | None:
        return _read(ws, name, keep) if ws.has(name) else None

    metrics_path = ws.root / "topic_metrics.json"
    topics, topic_docs = optional(S.TOPICS), optional(S.TOPIC_DOCS)
    if topics is not None:  # the analyst's renames, merges and drops (opinion topics edit)
        from opinion.topics.edit_store import workspace_topics

        topics, topic_docs = workspace_topics(ws, topics, topic_docs)
    return WorkspaceTables(
        root=ws.root, corpus=_read(ws, S.CORPUS, lambda c: c in CORPUS_READ),
        prepared=optional(S.PREPARED, lambda c: c != S.CLEAN_REMOVED),
        sentiment=optional(S.SENTIMENT), topic_docs=topic_docs, topics=topics,
        topic_metrics=ws.read_json("topic_metrics") if metrics_path.exists() else None,
        manifest=ws.manifest,
    )


# --- the per-document frames every table is cut from -------------------------------
def merge_documents(data: WorkspaceTables) -> pd.DataFrame:
    """Corpus rows joined (on ``doc_id``) with the prepared, topic and sentiment outputs."""
    merged = data.corpus
    for table in (data.prepared, data.topic_docs, data.sentiment):
        if table is not None:  # a column an earlier table already holds is kept from there
            extra = table.drop(columns=[c for c in table.columns if c in merged.columns and c != S.DOC_ID])
            merged = merged.join(extra.set_index(S.DOC_ID), on=S.DOC_ID)
            for column in table.columns:  # a document the stage skipped: keep ints as ints
                if pd.api.types.is_integer_dtype(table[column]) and merged[column].dtype.kind == "f":
                    merged[column] = merged[column].astype("Int64")
    return merged


def document_frame(merged: pd.DataFrame, *, period: str) -> pd.DataFrame:
    """The columns the summary tables need, with the source labelled as the explorer labels it
    (:func:`opinion.sources.source_labels`: the input file's name when there is no source)
    and the period added."""
    keep = [S.DOC_ID, S.PUBLISHED_AT, S.SOURCE, S.TOPIC_ID, S.TOPIC_LABEL, S.SENTIMENT_SCORE,
            S.SENTIMENT_LABEL, S.EMOTION_LABEL]
    docs = merged[[c for c in merged.columns if c in keep or c.startswith((S.THEME_PREFIX,
                                                                            S.THEME_SENTIMENT_PREFIX))]].copy()
    docs[S.SOURCE] = source_labels(merged)
    docs["period"] = period_start(docs[S.PUBLISHED_AT], period)
    return docs


def _sentiment_stats(group: pd.DataFrame) -> dict[str, float]:
    labels = group[S.SENTIMENT_LABEL].dropna()
    n = len(labels)
    return {
        "mean_sentiment": group[S.SENTIMENT_SCORE].mean(),
        "positive_share": (labels == "positive").sum() / n if n else np.nan,
        "neutral_share": (labels == "neutral").sum() / n if n else np.nan,
        "negative_share": (labels == "negative").sum() / n if n else np.nan,
    }


def _empty(name: str, extra: list[str] | None = None) -> pd.DataFrame:
    return pd.DataFrame(columns=COLUMNS[name] + (extra or []))


# --- topics over time, trends -----------------------------------------------------------
def topics_over_time(docs: pd.DataFrame) -> pd.DataFrame:
    """Topic × period document counts and shares of the period, zeros included."""
    if S.TOPIC_ID not in docs.columns or docs["period"].isna().all():
        return _empty("topics_over_time")
    dated = docs.dropna(subset=["period", S.TOPIC_ID])
    counts = dated.groupby([S.TOPIC_ID, "period"]).size().unstack(fill_value=0)
    shares = counts / counts.sum(axis=0)
    table = pd.DataFrame({"count": counts.stack(), "share": shares.stack()}).reset_index()
    table[S.TOPIC_ID] = table[S.TOPIC_ID].astype(int)
    return table.sort_values([S.TOPIC_ID, "period"], ignore_index=True)


# --- topics --------------------------------------------------------------------------
def _flags(ws: Workspace) -> pd.DataFrame:
    """``near_duplicate_of`` and ``is_spam`` by ``doc_id`` (no rows before prepare flagged any)."""
    if not ws.has(S.FLAGS):
        return pd.DataFrame(columns=[S.DOC_ID, S.NEAR_DUPLICATE_OF, S.IS_SPAM]).set_index(S.DOC_ID)
    return _read(ws, S.FLAGS, lambda c: c in (S.DOC_ID, S.NEAR_DUPLICATE_OF, S.IS_SPAM)).set_index(S.DOC_ID)


def topic_table(data: WorkspaceTables, merged: pd.DataFrame, docs: pd.DataFrame,
                over_time: pd.DataFrame, *, script: str, top: int,
                flags: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per topic: size, share, first/last seen, trend, sentiment and up to ``top``
    examples, with columns for as many as the topic with the most has (since 2026-12-08: 3 ×
    ``top`` columns, 60,017 of them for ``--top 20000`` on 15 topics of 1,580 posts).

    ``share`` is of every document with a ``topic_id``, −1 included, as in ``topics_over_time``
    and the trend: the column adds up to 1. Topic −1 (未归入主题) has no trend (empty)."""
    if data.topic_docs is None:
        return _empty("topics", _example_columns(top))
    info = data.topics.set_index(S.TOPIC_ID) if data.topics is not None else pd.DataFrame()
    examples = representative_docs(data, top=top, flags=_flags(Workspace.open(data.root)) if flags is None else flags)
    example_cols = _example_columns(max(map(len, examples.values()), default=0))
    shown = merged[merged[S.DOC_ID].isin({d for ids in examples.values() for d in ids})].set_index(S.DOC_ID)
    texts = shown[S.TEXT_RAW]  # the text stage's text_clean (as written) when there is one
    scripts = shown[S.SCRIPT] if S.SCRIPT in shown.columns else pd.Series(None, index=shown.index, dtype=object)
    if S.TEXT_CLEAN in shown.columns:
        cleaned = shown[S.TEXT_CLEAN].fillna("").str.strip().astype(bool)
        texts = shown[S.TEXT_CLEAN].where(cleaned, texts)
        scripts = scripts.where(cleaned, None)
    has_sentiment = S.SENTIMENT_SCORE in docs.columns
    rows = []
    totals = over_time.groupby("period")["count"].sum()  # documents of each period: shares are pooled
    for topic_id, group in docs.dropna(subset=[S.TOPIC_ID]).groupby(S.TOPIC_ID):
        topic_id = int(topic_id)
        meta = info.loc[topic_id] if topic_id in info.index else {}
        periods = over_time.loc[over_time[S.TOPIC_ID] == topic_id].reset_index(drop=True)
        trend, growth = (trend_of(periods["count"], periods["period"].map(totals))  # pooled, stray posts absent
                         if topic_id >= 0 else NO_TREND)
        terms = meta.get("top_terms") if len(meta) else None
        row = {
            "topic_id": topic_id,
            "label": meta.get("label") if len(meta) else group[S.TOPIC_LABEL].iloc[0],
            "label_auto": meta.get("label_auto") if len(meta) else None,
            "merged_from": " ".join(map(str, meta.get("merged_from", []))) if len(meta) else "",
            **{k: meta.get(k) for k in ("is_generic", "coherence", "name") if len(meta) and k in meta},
            "top_terms": " ".join(terms) if terms is not None else "",
            "size": len(group), "share": len(group) / docs[S.TOPIC_ID].notna().sum(),
            "first_seen": group[S.PUBLISHED_AT].min(), "last_seen": group[S.PUBLISHED_AT].max(),
            "trend": trend, "trend_growth": growth,
            **({k: v for k, v in _sentiment_stats(group).items() if k != "neutral_share"}
               if has_sentiment else {}),
        }
        for k, doc_id in enumerate(examples.get(topic_id, []), start=1):
            row[f"example_{k}_doc_id"] = doc_id
            row[f"example_{k}_date"] = shown.at[doc_id, S.PUBLISHED_AT]
            row[f"example_{k}_excerpt"] = excerpt(texts.get(doc_id), doc_script=scripts.get(doc_id), script=script)
        rows.append(row)
    table = pd.DataFrame(rows).reindex(columns=COLUMNS["topics"] + example_cols)
    for column in ("label", "label_auto", "top_terms", "name"):
        table[column] = render_series(table[column], script)
    outliers_last = table.assign(_outlier=table["topic_id"] < 0)  # -1 last, however many documents
    return outliers_last.sort_values(["_outlier", "size", "topic_id"], ascending=[True, False, True],
                                     ignore_index=True).drop(columns="_outlier")


def _example_columns(n: int) -> list[str]:
    """``example_1_doc_id``, ``example_1_date``, ``example_1_excerpt``, … up to example ``n``."""
    return [f"example_{k}_{part}" for k in range(1, n + 1) for part in ("doc_id", "date", "excerpt")]


# --- sentiment, themes, sources ------------------------------------------------------
def _topic_keys(docs: pd.DataFrame) -> pd.DataFrame:
    """``docs`` with topic columns; without a topic stage every document is one pseudo-topic."""
    if S.TOPIC_ID in docs.columns:
        return docs.dropna(subset=[S.TOPIC_ID])
    return docs.assign(**{S.TOPIC_ID: -2, S.TOPIC_LABEL: ALL_DOCUMENTS})


def sentiment_by_topic_period(docs: pd.DataFrame) -> pd.DataFrame:
    """Mean sentiment and label shares per topic and period."""
    if S.SENTIMENT_SCORE not in docs.columns or docs["period"].isna().all():
        return _empty("sentiment_by_topic_period")
    keyed = _topic_keys(docs).dropna(subset=["period"])
    rows = [{"topic_id": t, "topic_label": g[S.TOPIC_LABEL].iloc[0], "period": p, "docs": len(g),
             **_sentiment_stats(g)}
            for (t, p), g in keyed.groupby([S.TOPIC_ID, "period"])]
    return pd.DataFrame(rows, columns=COLUMNS["sentiment_by_topic_period"])


def _emotion_stats(group: pd.DataFrame) -> dict[str, Any]:
    """Share of each emotion among the group's labelled documents, and the most common one."""
    labels = group[S.EMOTION_LABEL].dropna()
    counts = labels.value_counts().reindex(list(S.EMOTIONS), fill_value=0)
    shares = {f"{e}_share": (counts[e] / len(labels) if len(labels) else np.nan) for e in S.EMOTIONS}
    return {"docs": len(group), **shares, "top_emotion": counts.idxmax() if len(labels) else None}


def emotion_by_topic_period(docs: pd.DataFrame) -> pd.DataFrame:
    """Emotion shares per topic and period; rows of topic -2 ``(all documents)`` per period."""
    if S.EMOTION_LABEL not in docs.columns or docs["period"].isna().all():
        return _empty("emotion_by_topic_period")
    keyed = _topic_keys(docs).dropna(subset=["period"])
    if S.TOPIC_ID in docs.columns:  # the whole corpus per period too
        every = docs.dropna(subset=["period"]).assign(**{S.TOPIC_ID: -2, S.TOPIC_LABEL: ALL_DOCUMENTS})
        keyed = pd.concat([every, keyed], ignore_index=True)
    rows = [{"topic_id": t, "topic_label": g[S.TOPIC_LABEL].iloc[0], "period": p, **_emotion_stats(g)}
            for (t, p), g in keyed.groupby([S.TOPIC_ID, "period"])]
    return pd.DataFrame(rows, columns=COLUMNS["emotion_by_topic_period"])


def emotion_shares(docs: pd.DataFrame, themes: list[str]) -> pd.DataFrame:
    """Emotion shares by period, topic, theme (documents mentioning it) and source."""
    if S.EMOTION_LABEL not in docs.columns:
        return _empty("emotion_shares")
    groups: list[tuple[str, Any, pd.DataFrame]] = [("all", ALL_DOCUMENTS, docs)]
    groups += [("period", str(p.date()), g) for p, g in docs.dropna(subset=["period"]).groupby("period")]
    if S.TOPIC_ID in docs.columns:  # two topics renamed alike read `防疫 #3`, `防疫 #5`
        labels = docs.dropna(subset=[S.TOPIC_ID]).drop_duplicates(S.TOPIC_ID)
        names = topic_names(labels[[S.TOPIC_ID, S.TOPIC_LABEL]].rename(columns={S.TOPIC_LABEL: "label"}))
        groups += [("topic", names[int(t)], g) for t, g in docs.groupby(S.TOPIC_ID)]
    groups += [("theme", t, docs[docs[S.theme_column(t)].fillna(0) > 0]) for t in themes]
    groups += [("source", s, g) for s, g in docs.groupby(S.SOURCE)]
    rows = [{"by": by, "group": name, **_emotion_stats(g)} for by, name, g in groups]
    return pd.DataFrame(rows, columns=COLUMNS["emotion_shares"])


def _theme_sentiment(group: pd.DataFrame, theme: str) -> float:
    """Mean of the theme's own sentiment when the stage gave one, else of the documents'."""
    column = f"{S.THEME_SENTIMENT_PREFIX}{theme}"
    if column in group.columns:
        return pd.to_numeric(group[column], errors="coerce").mean()
    return group[S.SENTIMENT_SCORE].mean() if S.SENTIMENT_SCORE in group.columns else np.nan


def themes_by_period(docs: pd.DataFrame, themes: list[str]) -> pd.DataFrame:
    """Per theme and period: documents mentioning it, prevalence, hits and sentiment. The
    documents without a date (in a corpus with dates) make one more row per theme, last, with
    an empty ``period`` and ``undated`` true, as ``opinion themes`` counts them (``undated``)."""
    if not themes or docs["period"].isna().all():
        return _empty("themes_by_period")
    periods = list(docs.dropna(subset=["period"]).groupby("period"))
    undated = docs[docs["period"].isna()]
    if len(undated):
        periods.append((pd.NaT, undated))
    rows = []
    for period, group in periods:
        for theme in themes:
            hits = group[S.theme_column(theme)].fillna(0)
            with_theme = group[hits > 0]
            rows.append({"theme": theme, "period": period, "docs": len(group),
                         "docs_with_theme": len(with_theme), "prevalence": len(with_theme) / len(group),
                         "hits": int(hits.sum()), "mean_sentiment": _theme_sentiment(with_theme, theme),
                         "undated": period is pd.NaT})
    return pd.DataFrame(rows, columns=COLUMNS["themes_by_period"]).sort_values(
        ["theme", "period"], ignore_index=True, na_position="last",
        key=lambda s: s.map(themes.index) if s.name == "theme" else s)


def theme_topic(docs: pd.DataFrame, themes: list[str]) -> pd.DataFrame:
    """Theme × topic overlap: how much of each topic mentions the theme, and the lift."""
    if not themes:
        return _empty("theme_topic")
    keyed = _topic_keys(docs)
    rows = []
    for theme in themes:
        mentions = keyed[S.theme_column(theme)].fillna(0) > 0
        total_with, prevalence = int(mentions.sum()), mentions.mean() if len(keyed) else np.nan
        for topic_id, group in keyed.groupby(S.TOPIC_ID):
            with_theme = group[mentions.loc[group.index]]
            share = len(with_theme) / len(group)
            rows.append({"theme": theme, "topic_id": topic_id, "topic_label": group[S.TOPIC_LABEL].iloc[0],
                         "docs_with_theme": len(with_theme), "topic_size": len(group),
                         "share_of_topic": share,
                         "share_of_theme": len(with_theme) / total_with if total_with else np.nan,
                         "lift": share / prevalence if prevalence else np.nan,
                         "mean_sentiment": _theme_sentiment(with_theme, theme)})
    return pd.DataFrame(rows, columns=COLUMNS["theme_topic"])


def sources_table(docs: pd.DataFrame) -> pd.DataFrame:
    """Source × topic counts, each as a share of the source and of the topic."""
    keyed = _topic_keys(docs)
    if keyed.empty:
        return _empty("sources")
    counts = keyed.groupby([S.SOURCE, S.TOPIC_ID]).size().rename("count").reset_index()
    labels = keyed.drop_duplicates(S.TOPIC_ID).set_index(S.TOPIC_ID)[S.TOPIC_LABEL]
    counts["topic_label"] = counts[S.TOPIC_ID].map(labels)
    counts["share_of_source"] = counts["count"] / counts.groupby(S.SOURCE)["count"].transform("sum")
    counts["share_of_topic"] = counts["count"] / counts.groupby(S.TOPIC_ID)["count"].transform("sum")
    if S.TOPIC_ID not in docs.columns:  # the pseudo-topic is the whole corpus
        counts["share_of_topic"] = counts["count"] / len(keyed)
    if S.SENTIMENT_SCORE in keyed.columns:
        means = keyed.groupby([S.SOURCE, S.TOPIC_ID])[S.SENTIMENT_SCORE].mean().rename("mean_sentiment")
        counts = counts.merge(means.reset_index(), on=[S.SOURCE, S.TOPIC_ID], how="left")
    return counts.reindex(columns=COLUMNS["sources"]).sort_values(
        [S.SOURCE, "count"], ascending=[True, False], ignore_index=True)


# --- documents -----------------------------------------------------------------------
def documents_table(merged: pd.DataFrame, *, script: str, flags: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per-document results: corpus fields, script, tokens, topic, sentiment and themes. The
    ``source`` is the one every table groups by (:func:`opinion.sources.source_labels`): the
    input file's name (``2.12.csv.gz``) for a document loaded without a source. With ``flags``
    (:func:`_flags`), ``near_duplicate_of`` and ``is_spam`` say which posts the views leave out
    (since 2026-12-08: an analyst could not see in Excel which 258 posts were set aside as spam)."""
    if flags is not None and not flags.empty:  # no flags stage: no empty columns
        merged = merged.join(flags, on=S.DOC_ID)
    first = [S.DOC_ID, S.TITLE, S.TEXT_RAW, S.PUBLISHED_AT, S.SOURCE, S.DUPLICATE_OF, S.NEAR_DUPLICATE_OF,
             S.IS_SPAM, S.DECODE_ERROR, S.TEXT_CLEAN, S.SCRIPT, S.TEXT_NORM, S.TOKENS]
    themes = [c for c in merged.columns if c.startswith(S.THEME_PREFIX)]
    topic = [S.TOPIC_ID, S.TOPIC_LABEL, S.TOPIC_PROB]
    sentiment = [c for c in merged.columns if c in (S.SENTIMENT_SCORE, S.SENTIMENT_LABEL, S.EMOTION_LABEL)
                 or c.startswith((S.THEME_SENTIMENT_PREFIX, S.SENTIMENT_PROB_PREFIX,
                                  S.EMOTION_PROB_PREFIX))]
    meta = [S.META] if S.META in merged.columns and merged[S.META].fillna("{}").ne("{}").any() else []
    order = [c for c in [*first, *themes, *topic, *sentiment, *meta] if c in merged.columns]
    table = merged[order].reset_index(drop=True)
    if S.SOURCE in table.columns:  # as sources.csv and the report label it
        table[S.SOURCE] = source_labels(merged.reset_index(drop=True))
    if S.TOPIC_LABEL in table.columns:
        table[S.TOPIC_LABEL] = render_series(table[S.TOPIC_LABEL], script)
    return table


def _render_labels(tables: dict[str, pd.DataFrame], script: str) -> None:
    """Render the topic labels (Simplified in the workspace) and the theme names (as the theme
    file wrote them, in either script: :func:`~opinion.report.display.render_name`)."""
    for name in ("sentiment_by_topic_period", "emotion_by_topic_period", "emotion_shares",
                 "themes_by_period", "theme_topic", "sources"):
        if "topic_label" in tables[name].columns:
            tables[name]["topic_label"] = render_series(tables[name]["topic_label"], script)
        if "theme" in tables[name].columns:
            tables[name]["theme"] = render_names(tables[name]["theme"], script)
    shares = tables["emotion_shares"]
    for by, rendered in (("topic", render_series), ("theme", render_names)):
        rows = shares["by"] == by
        shares.loc[rows, "group"] = rendered(shares.loc[rows, "group"], script)


def build_tables(ws: Workspace | str | Path, *, script: str = "zh-Hans", period: str | None = None,
                 top: int = 3) -> dict[str, pd.DataFrame]:
    """Build every report table from a workspace.

    ``period`` is ``day``, ``week`` or ``month`` (when None, the workspace's period:
    :func:`opinion.topics.settings.workspace_period_choice`); ``top`` is the number of example posts per
    topic. Returns the tables named in :data:`TABLE_NAMES`.
    """
    if not isinstance(ws, Workspace):
        ws = Workspace.open(ws)
    check_script(script)
    if top < 0:
        raise InputError(f"--top must be 0 or more; got {top}")
    chosen, origin = check_period(period), "given"
    data = read_workspace(ws)
    if chosen is None:
        chosen, origin = workspace_period_choice(ws)
    merged = merge_documents(data)
    docs = document_frame(merged, period=chosen)
    over_time = topics_over_time(docs)
    flags = _flags(ws)  # read once: the examples skip flagged posts, documents.csv shows the flags
    topics = topic_table(data, merged, docs, over_time, script=script, top=top, flags=flags)
    over_time["topic_label"] = over_time[S.TOPIC_ID].map(topics.set_index("topic_id")["label"])
    tables = {
        "topics": topics,
        "topics_over_time": over_time.reindex(columns=COLUMNS["topics_over_time"]),
        "sentiment_by_topic_period": sentiment_by_topic_period(docs),
        "emotion_by_topic_period": emotion_by_topic_period(docs),
        "emotion_shares": emotion_shares(docs, data.themes),
        "themes_by_period": themes_by_period(docs, data.themes),
        "theme_topic": theme_topic(docs, data.themes),
        "sources": sources_table(docs),
        "documents": documents_table(merged, script=script, flags=flags),
    }
    _render_labels(tables, script)
    tables["run"] = run_table(ws, data, docs, script=script, period=chosen, period_origin=origin,
                              top=top)
    return tables
