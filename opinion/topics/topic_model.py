"""`TopicModel`: topics of a list of texts in memory, in the scikit-learn/BERTopic manner.

``TopicModel(**options)`` only stores the options (the fields of :class:`TopicSettings`, with
its defaults); ``fit`` tokenises the texts with the product's text stage (cleaning, OpenCC,
jieba, stopwords), embeds them with the offline embedder (``static-zh`` unless told), fits
BERTopic with our projection and k-means and places every document, as the workspace stage
does part by part (:mod:`opinion.topics.stage` is a thin layer over the same steps). Nothing is
downloaded. Column names are the workspace's (``topic_id``, ``topic_prob``, ``topic_label``).

Example:
    >>> model = TopicModel(nr_topics=8, seed=42).fit(df["text"])  # doctest: +SKIP
    >>> model.get_topic_info()[["topic_id", "count", "label"]].head(2)  # doctest: +SKIP
       topic_id  count           label
    0         0    133  0_疫情_加油_视频_病毒
    1         1     89  1_巴萨_骑士_人气_游戏
    >>> model.transform(["武汉加油，口罩告急"])  # doctest: +SKIP
"""

from __future__ import annotations

import dataclasses
import json
import warnings
from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from opinion import schema as S
from opinion.errors import InputError, WorkspaceError
from opinion.topics import assign as A
from opinion.topics import fit as F
from opinion.topics import labels as L
from opinion.topics import tables as T
from opinion.topics.components import topic_terms
from opinion.topics.embed import NotFittedError
from opinion.topics.embed_cache import PREFIX, encode, is_cacheable
from opinion.topics.settings import TopicSettings, require_enough, require_words

__all__ = ["NotFittedError", "TopicModel", "fit_sample"]

STATE = "opinion_topic_state.json"
CENTRES = "opinion_topic_centres.safetensors"
INFO = "topic_info.parquet"
FLAG_COLUMNS = (S.DUPLICATE_OF, S.NEAR_DUPLICATE_OF, S.IS_SPAM)
FIT_TEXTS = "fit_texts.parquet"  # only for embedders that learn from the corpus (tfidf)


@dataclass
class Fitted:
    """What the BERTopic fit on the sample gave, per fit document."""

    model: Any
    hierarchy: pd.DataFrame
    empty: np.ndarray       # fit documents without words or with a zero embedding
    original: np.ndarray    # topic of each fit document (-1: outlier or no content)
    final: np.ndarray       # after outlier reassignment
    guide: np.ndarray | None = None  # guided fits: the anchors the fit moved embeddings to


def fit_sample(settings: TopicSettings, embedder: Any, fit: F.FitRows, embeddings: np.ndarray,
               seeds: list[list[str]] | None) -> Fitted:
    """BERTopic fitted on the fit documents that have words and a non-zero embedding."""
    empty = np.array([not t for t in fit.terms], dtype=bool) | (np.linalg.norm(embeddings, axis=1) == 0)
    model = F.build_model(settings, embedder, seeds)
    # BERTopic warns about steps we do on purpose (custom topics, pandas chained assignment
    # inside hierarchical_topics); silence those two only.
    F.quiet_bertopic()
    rows = np.flatnonzero(~empty)
    documents = fit.documents
    fit_docs = [documents[i] for i in rows]
    fit_embeddings = embeddings[rows]
    topics, _ = model.fit_transform(fit_docs, embeddings=fit_embeddings.copy())  # guided: changed in place
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pd.errors.SettingWithCopyWarning)
        hierarchy = T.hierarchy_table(model, fit_docs)
    original = np.full(len(fit.doc_ids), -1, dtype=np.int64)
    original[rows] = topics
    return Fitted(model, hierarchy, empty, original, original,
                  guide=A.guide_anchors(model, fit_embeddings) if seeds else None)


def _with_vectors(frame: pd.DataFrame, embeddings: np.ndarray) -> pd.DataFrame:
    vectors = pd.DataFrame(embeddings, columns=[f"{PREFIX}{i}" for i in range(embeddings.shape[1])])
    return pd.concat([frame.reset_index(drop=True), vectors], axis=1)


def _require_unique(ids: list[str], *, given: bool) -> None:
    """An :class:`InputError` when a doc_id repeats: the fit keys documents on their ids, so
    repeated ones (a Series index after ``pd.concat``) would mix documents up."""
    seen: set[str] = set()
    for doc_id in ids:
        if doc_id in seen:
            where = "doc_ids" if given else "the Series index (used as doc_ids)"
            raise InputError(f"doc_ids must be unique; {doc_id!r} is in {where} {ids.count(doc_id)} times; "
                             "pass doc_ids=, or the texts after .reset_index(drop=True)")
        seen.add(doc_id)


def _dates(timestamps: Sequence[Any] | None, n: int) -> pd.Series:
    """``timestamps`` by position (not by a Series' index, which the texts do not follow), as
    naive times: zone-aware ones on the clock `opinion load` puts them on (Asia/Shanghai), so
    that ``2020-01-24 17:00 UTC`` is the 25th as in a workspace. Unreadable ones are NaT."""
    from opinion.io.timezones import DEFAULT_TIMEZONE

    if timestamps is None:
        return pd.Series(pd.NaT, index=range(n), dtype="datetime64[ns]")
    values = (timestamps.reset_index(drop=True) if isinstance(timestamps, pd.Series)
              else pd.Series(list(timestamps), dtype=object))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # format inference and mixed-zone notices: handled below
        dates = pd.to_datetime(values, errors="coerce")
    if isinstance(dates.dtype, pd.DatetimeTZDtype) or dates.dtype == object \
            or dates.isna().sum() > values.isna().sum():  # zones mixed, or with naive times: one by one
        dates = pd.Series([_on_clock(v, DEFAULT_TIMEZONE) for v in values], dtype="datetime64[ns]")
    return dates


def _on_clock(value: Any, timezone: str) -> pd.Timestamp:
    """``value`` as a naive Timestamp, on ``timezone``'s clock when it names its zone; else NaT."""
    try:
        stamp = pd.Timestamp(value)
    except (ValueError, TypeError, OverflowError):
        return pd.NaT
    if stamp is pd.NaT or stamp.tzinfo is None:
        return stamp
    return stamp.tz_convert(timezone).tz_localize(None)


class TopicModel:
    """Topics of Chinese texts: ``fit``, ``transform``, ``get_topic_info``, ``save``/``load``.

    Options are the fields of :class:`~opinion.topics.settings.TopicSettings` (``embedding``,
    ``nr_topics``, ``min_topic_size``, ``seed``, ``guided``, ``sample_size``, ``period``,
    ``projection_dims``, ``keep_duplicates``) with its defaults. Exact duplicates stay out of
    the fit, the topic words and the examples (they are still placed and counted).
    Example: ``TopicModel(nr_topics=8).fit(["武汉加油", ...]).get_topic_info()``.
    """

    def __init__(self, **options: Any) -> None:
        names = [f.name for f in fields(TopicSettings)]
        unknown = sorted(set(options) - set(names))
        if unknown:
            raise TypeError(f"TopicModel got unknown option(s) {unknown}; the options are {names}")
        self.settings = TopicSettings(**options).check()

    def __repr__(self) -> str:
        given = {k: v for k, v in asdict(self.settings).items() if v != getattr(TopicSettings(), k)}
        return f"TopicModel({', '.join(f'{k}={v!r}' for k, v in given.items())})"

    def get_params(self) -> dict[str, Any]:
        """The options, as scikit-learn's ``get_params``."""
        return asdict(self.settings)

    # -- the steps the workspace stage shares ----------------------------------------------
    def fit_on_sample(self, fit: F.FitRows, embeddings: np.ndarray, *, embedder: Any,
                    seeds: list[list[str]] | None, period: str, cached: bool) -> Fitted:
        """Fit on the sample; ``assigner_`` then places documents (pass 1, no centres yet)."""
        fitted = fit_sample(self.settings, embedder, fit, embeddings, seeds)
        placed = ~fitted.empty
        self.assigner_ = A.Assigner.from_model(
            fitted.model, fit_topics=dict(zip(np.asarray(fit.doc_ids)[placed].tolist(),
                                              fitted.original[placed].tolist())),
            period=period, embedder=None if cached else embedder, guide=fitted.guide)
        fitted.final = self.assigner_.reassign(fitted.original, embeddings, fitted.empty)
        self.model_, self.embedder_, self.period_ = fitted.model, embedder, period
        self.hierarchy_ = fitted.hierarchy
        self.fit_doc_ids_, self.fit_topics_ = list(fit.doc_ids), fitted.original
        return fitted

    def summarise_totals(self, totals: A.Totals, fitted: Fitted) -> None:
        """Topic words, centres and labels from the totals of every document (pass 1);
        ``assigner_`` then also gives similarities and labels (pass 2)."""
        model = self.model_
        T.update_representations(model, totals.terms, dict(totals.sizes))
        model.topics_ = fitted.final[~fitted.empty].tolist()
        centres = totals.centres()
        model.topic_embeddings_ = np.vstack([centres[t] for t in sorted(centres)])
        self.representations_ = {t: list(model.topic_representations_.get(t, [])) for t in centres}
        self.sizes_ = dict(totals.sizes)
        self.readable_ = L.labels_from_totals(totals, self.assigner_.vocabulary)  # label, coherence, is_generic
        labels_df = T.topics_table(self.sizes_, self.representations_, {}, self.readable_)
        labels = dict(zip(labels_df[S.TOPIC_ID].tolist(), labels_df["label"]))
        self.assigner_ = A.with_tables(self.assigner_, centres, labels)

    def set_topics_table(self, representatives: dict[int, list[str]]) -> pd.DataFrame:
        self.topics_ = T.topics_table(self.sizes_, self.representations_, representatives, self.readable_)
        return self.topics_

    # -- in memory -----------------------------------------------------------------------------
    def _frame(self, documents: Sequence[Any] | pd.Series, *, doc_ids: Sequence[Any] | None,
               timestamps: Sequence[Any] | None = None) -> pd.DataFrame:
        """doc_id, text_norm, tokens, published_at, source and duplicate_of of the documents:
        texts go through the text stage; token lists (or a prepared table's ``tokens`` and
        ``text_norm``) are taken as they are."""
        from opinion.io.dedup import text_hash
        from opinion.prepare import PrepareSettings, prepare_part

        norms: list[str] | None = None
        flags: dict[str, list[Any]] = {}
        if isinstance(documents, str):  # one text, not its characters
            documents = [documents]
        if isinstance(documents, pd.DataFrame):  # a prepared table: its tokens and texts
            frame = documents
            flags = {c: frame[c].tolist() for c in FLAG_COLUMNS if c in frame.columns}
            if S.TOKENS not in frame.columns:
                raise InputError(f"a DataFrame to fit needs a '{S.TOKENS}' column (the workspace's "
                                 f"prepared table); got {list(frame.columns)}; or pass a column of texts")
            if doc_ids is None and S.DOC_ID in frame.columns:
                doc_ids = frame[S.DOC_ID].tolist()
            if timestamps is None and S.PUBLISHED_AT in frame.columns:
                timestamps = frame[S.PUBLISHED_AT].tolist()
            if S.TEXT_NORM in frame.columns:
                norms = frame[S.TEXT_NORM].fillna("").astype(str).tolist()
            documents = [list(t) if t is not None else [] for t in frame[S.TOKENS]]
        items = list(documents)
        if doc_ids is None:
            ids = ([str(i) for i in documents.index] if isinstance(documents, pd.Series)
                   else [str(i) for i in range(len(items))])
        else:
            ids = [str(i) for i in doc_ids]
        if len(ids) != len(items) or (timestamps is not None and len(timestamps) != len(items)):
            raise InputError(f"{len(items)} documents but {len(ids)} doc_ids"
                             + ("" if timestamps is None else f" and {len(timestamps)} timestamps"))
        _require_unique(ids, given=doc_ids is not None)
        if any(isinstance(d, (list, tuple, np.ndarray)) for d in items):
            tokens = [[str(t) for t in d] if isinstance(d, (list, tuple, np.ndarray)) else [] for d in items]
            norms = norms if norms is not None else ["".join(t) for t in tokens]
        else:
            raw = ["" if not isinstance(d, str) else d for d in items]
            prepared = prepare_part(pd.DataFrame({S.DOC_ID: ids, S.TEXT_RAW: raw}), PrepareSettings())
            tokens, norms = prepared[S.TOKENS].tolist(), prepared[S.TEXT_NORM].tolist()
        if S.DUPLICATE_OF not in flags:  # the load stage's rule: the first copy is kept
            first: dict[str, str] = {}
            flags[S.DUPLICATE_OF] = []
            for doc_id, text in zip(ids, norms):
                digest = text_hash(text)
                flags[S.DUPLICATE_OF].append(first.get(digest))
                first.setdefault(digest, doc_id)
        return pd.DataFrame({
            S.DOC_ID: ids, S.TEXT_NORM: norms, S.TOKENS: tokens,
            S.PUBLISHED_AT: _dates(timestamps, len(ids)),
            S.SOURCE: pd.Series([None] * len(ids), dtype=object), **flags,
        })

    def _embed(self, frame: pd.DataFrame, embeddings: Any) -> np.ndarray:
        if embeddings is None:
            return encode(self.embedder_, frame[S.TOKENS].tolist(), frame[S.TEXT_NORM].tolist())
        matrix = np.asarray(embeddings, dtype=np.float32)
        if matrix.ndim != 2 or len(matrix) != len(frame):
            raise InputError(f"embeddings must be a (documents, dimensions) matrix with {len(frame)} "
                             f"rows; got shape {matrix.shape}")
        return matrix

    def fit(self, documents: Sequence[Any] | pd.Series, *, embeddings: Any = None,
            doc_ids: Sequence[Any] | None = None, timestamps: Sequence[Any] | None = None) -> TopicModel:
        """Fit on texts, token lists or a prepared table and place every document; returns ``self``.

        ``documents``: a list or Series of texts (cleaned, converted to Simplified and
        tokenised as ``opinion prepare`` does), of token lists, or a DataFrame with ``tokens``
        (and ``text_norm``, ``doc_id``, ``published_at``, ``duplicate_of``,
        ``near_duplicate_of``, ``is_spam`` when present), e.g. ``ws.read("prepared")`` joined
        with the corpus and flags, whose tokens and flags are used as they are.

        ``embeddings``: your own (documents × dimensions) vectors instead of the embedder's
        (then ``transform`` needs them too); ``doc_ids``: unique ids (default: the Series index or
        the position); ``timestamps``: dates for the sampling strata and :attr:`topics_over_time_`,
        matched to the documents by position (zone-aware ones read on Asia/Shanghai's clock).
        Example: ``TopicModel(nr_topics=8).fit(df["text"], timestamps=df["date"])``.
        """
        from opinion.io.dedup import text_hash
        from opinion.themes import load_themes
        from opinion.topics.embed import get_embedder

        settings = self.settings
        frame = self._frame(documents, doc_ids=doc_ids, timestamps=timestamps)
        tokens, texts = frame[S.TOKENS].tolist(), frame[S.TEXT_NORM].tolist()
        # As the stage: exact copies never enter the fit; near-duplicates and spam (when the
        # table carries their flags) only with keep_duplicates, which also counts their words.
        left_out = frame[S.DUPLICATE_OF].notna().to_numpy()
        if not settings.keep_duplicates:
            left_out |= A.flagged(frame)
        distinct = ~left_out & A.has_topic_terms(tokens)
        require_enough(int(distinct.sum()), settings)
        scan = F.CorpusScan(parts=["memory"], part_of=np.zeros(len(frame), dtype=np.int32),
                            row=np.arange(len(frame), dtype=np.int32), distinct=distinct,
                            published_at=frame[S.PUBLISHED_AT],
                            source=np.full(len(frame), "", dtype=object),
                            text_hash=np.array([text_hash(t) for t in texts], dtype=object))  # sample keys
        period = settings.period or scan.choose_period()
        rows, self.sampled_ = scan.fit_rows(settings.sample_size, seed=settings.seed, period=period)
        fit = F.FitRows(doc_ids=[frame[S.DOC_ID].iat[i] for i in rows], tokens=[tokens[i] for i in rows],
                        texts=[texts[i] for i in rows], terms=[topic_terms(tokens[i]) for i in rows],
                        embeddings=None)
        order = F.fit_order(fit)  # as the stage: in content order
        fit, rows = fit.take(order), rows[order]
        require_words(fit.terms)
        self.embedder_ = get_embedder(settings.embedding)
        self.embedder_.fit(fit.tokens, texts=fit.texts)
        learnt = not is_cacheable(self.embedder_)  # save() keeps what it learnt from
        self.fit_tokens_, self.fit_texts_ = (fit.tokens, fit.texts) if learnt else ([], [])
        self.own_embeddings_ = embeddings is not None
        vectors = self._embed(frame, embeddings)
        seeds = None
        if settings.guided:
            seeds = [s for s in (topic_terms(theme.terms) for theme in load_themes()) if s] or None
        fitted = self.fit_on_sample(fit, vectors[rows], embedder=self.embedder_, seeds=seeds,
                                  period=period, cached=True)
        kept = np.ones(len(frame), dtype=bool) if settings.keep_duplicates else ~A.flagged(frame)
        if settings.keep_duplicates:  # the stage reads no flag columns then
            frame = frame.drop(columns=[c for c in FLAG_COLUMNS if c in frame.columns])
        frame = _with_vectors(frame, vectors)
        totals = A.Totals(n_topics=max(self.assigner_.n_topics, 1),
                          vocabulary_size=len(self.assigner_.vocabulary))
        totals.add(A.stats_part(frame, {}, self.assigner_))
        if totals.terms is None:
            from scipy import sparse

            totals.terms = sparse.csr_matrix((totals.n_topics, totals.vocabulary_size))
        self.summarise_totals(totals, fitted)
        self.documents_ = A.documents_part(frame, {}, self.assigner_)
        candidates: A.Candidates = {t: [] for t in sorted(self.assigner_.centres)}
        A.add_candidates(candidates, self.documents_, texts, kept, number=0, n=T.N_REPRESENTATIVE)
        topics = self.set_topics_table(A.choose_representatives(candidates, n=T.N_REPRESENTATIVE))
        by_id = dict(zip(frame[S.DOC_ID], texts))
        self.representative_docs_ = {int(t): [by_id[d] for d in ids]
                                     for t, ids in zip(topics[S.TOPIC_ID], topics["representative_doc_ids"])}
        self.topics_over_time_ = T.topics_over_time_table(self.model_, dict(totals.period_sizes),
                                                          totals.period_terms)
        return self

    def _require_fitted(self) -> None:
        if not hasattr(self, "topics_"):
            raise NotFittedError("this TopicModel is not fitted yet; call fit(texts) or "
                                 "TopicModel.load(path) first")

    def fit_transform(self, documents: Sequence[Any] | pd.Series, **kwargs: Any) -> pd.DataFrame:
        """``fit`` then the topic of each fitted document (the table :meth:`transform` gives)."""
        return self.fit(documents, **kwargs).documents_.copy()

    def transform(self, documents: Sequence[Any] | pd.Series, *, embeddings: Any = None,
                  doc_ids: Sequence[Any] | None = None) -> pd.DataFrame:
        """Place new texts (or token lists): one row each with ``doc_id``, ``topic_id``,
        ``topic_id_original`` (before outlier reassignment), ``topic_prob`` (cosine with the
        topic centre, 0-1) and ``topic_label``. Example: ``model.transform(["口罩告急"])``."""
        self._require_fitted()
        if self.own_embeddings_ and embeddings is None:
            raise InputError("this model was fitted on your own embeddings; pass embeddings= "
                             "for the new documents too")
        frame = self._frame(documents, doc_ids=doc_ids)
        frame = _with_vectors(frame, self._embed(frame, embeddings))
        placing = dataclasses.replace(self.assigner_, fit_topics={})  # by their text alone
        return A.documents_part(frame, {}, placing)

    def get_topic_info(self) -> pd.DataFrame:
        """One row per topic, like BERTopic's: ``topic_id``, ``count``, ``share``, ``label``,
        ``top_terms`` (with ``top_terms_weights``), ``representative_docs`` (texts) and their ids.
        Topic -1 holds the documents without words."""
        self._require_fitted()
        info = self.topics_.rename(columns={"size": "count"})
        info["representative_docs"] = [self.representative_docs_.get(int(t), [])
                                       for t in info[S.TOPIC_ID]]
        return info[[S.TOPIC_ID, "count", "share", "label", "top_terms", "top_terms_weights",
                     "representative_docs", "representative_doc_ids"]]

    # -- save and load -------------------------------------------------------------------------
    def save(self, path: str | Path) -> Path:
        """Write the model to the folder ``path`` (safetensors, JSON and Parquet, no pickle)."""
        from safetensors.numpy import save_file

        from opinion.topics.store import save_topic_model

        self._require_fitted()
        assigner = self.assigner_
        centre_ids = sorted(assigner.centres)

        def write_state(folder: Path) -> None:
            arrays = {"centres": np.vstack([assigner.centres[t] for t in centre_ids])}
            arrays.update(assigner.placing_arrays())  # fit_centres, guide
            save_file({k: np.ascontiguousarray(v) for k, v in arrays.items()}, str(folder / CENTRES))
            (folder / STATE).write_text(json.dumps({
                "centre_ids": centre_ids, "mapping": sorted(assigner.mapping.items()),
                "labels": sorted(assigner.labels.items()), "period": self.period_,
                "own_embeddings": self.own_embeddings_, "sampled": bool(self.sampled_),
            }, ensure_ascii=False), encoding="utf-8")
            info = self.get_topic_info()
            info.to_parquet(folder / INFO, index=False)
            self.topics_over_time_.to_parquet(folder / "topics_over_time.parquet", index=False)
            if not is_cacheable(self.embedder_):
                pd.DataFrame({"tokens": self.fit_tokens_, "text": self.fit_texts_}).to_parquet(
                    folder / FIT_TEXTS, index=False)

        return save_topic_model(self.model_, path, meta={
            "embedder": self.settings.embedding, "settings": asdict(self.settings),
            "labels": {str(k): v for k, v in assigner.labels.items()}, "versions": F.versions(),
        }, fit_doc_ids=self.fit_doc_ids_, fit_topics=self.fit_topics_.tolist(), extra=write_state)

    @classmethod
    def load(cls, path: str | Path) -> TopicModel:
        """A model written by :meth:`save`; ``transform`` gives what it gave before saving."""
        from safetensors.numpy import load_file

        from opinion.topics.embed import get_embedder
        from opinion.topics.store import load_topic_model

        folder = Path(path)
        if (folder / "opinion_model.json").exists() and not (folder / STATE).exists():
            raise WorkspaceError(f"{folder}: a workspace's topic model, not one saved by "
                                 "TopicModel.save; place new texts in it with "
                                 "opinion.topics.assign_topics(workspace, texts)")
        model, meta = load_topic_model(folder)
        state = json.loads((folder / STATE).read_text(encoding="utf-8"))
        arrays = load_file(str(folder / CENTRES))
        out = cls(**{k: v for k, v in meta["settings"].items()})
        out.model_, out.period_, out.own_embeddings_ = model, state["period"], state["own_embeddings"]
        out.sampled_ = state["sampled"]
        mapping = {int(k): int(v) for k, v in state["mapping"]}
        out.assigner_ = A.Assigner(
            projection=model.umap_model, clusterer=model.hdbscan_model, mapping=mapping,
            fit_centres=arrays.get("fit_centres"), guide=arrays.get("guide"), fit_topics={},
            vocabulary={str(k): int(v) for k, v in model.vectorizer_model.vocabulary_.items()},
            n_topics=max([v for v in mapping.values() if v >= 0], default=-1) + 1, period=state["period"],
            centres=dict(zip(state["centre_ids"], arrays["centres"])),
            labels={int(k): v for k, v in state["labels"]})
        out.embedder_ = get_embedder(meta["embedder"])
        if (folder / FIT_TEXTS).exists():
            fit_texts = pd.read_parquet(folder / FIT_TEXTS)
            out.fit_tokens_ = [list(t) for t in fit_texts["tokens"]]
            out.fit_texts_ = fit_texts["text"].tolist()
            out.embedder_.fit(out.fit_tokens_, texts=out.fit_texts_)
        else:
            out.fit_tokens_, out.fit_texts_ = [], []
        info = pd.read_parquet(folder / INFO)
        out.representative_docs_ = {int(t): list(d) for t, d in zip(info[S.TOPIC_ID], info["representative_docs"])}
        out.topics_ = info.drop(columns=["representative_docs"]).rename(columns={"count": "size"})
        out.topics_over_time_ = pd.read_parquet(folder / "topics_over_time.parquet")
        fit_docs = pd.read_parquet(folder / "fit_documents.parquet")
        out.fit_doc_ids_, out.fit_topics_ = fit_docs[S.DOC_ID].tolist(), fit_docs[S.TOPIC_ID].to_numpy()
        return out
