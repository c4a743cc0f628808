"""Readable topic labels: two or three words that many of a topic's documents use.

BERTopic's name (``9_#41架包机近6000人同天抵达武汉#_#外省支援湖北对口支援表#_医疗队_支援``) is
kept as the ``name`` column; :func:`readable_labels` gives the ``label`` a report can show
(``医疗队·支援湖北·41架包机…``) and flags catch-all topics. The rules (docs/topics.md):

- **Many documents, not one post.** A label term is held by ≥ :data:`MIN_SHARE` (5%) of the
  topic's documents or by ≥ :data:`MIN_DOCS` (20) of them, and by ≥ 3 in any case, counted
  both over the distinct documents (the ones the topic words come from) and over every
  document of the topic (duplicates included). A topic where no term passes (short titles hold
  ≈ 10 words each) is labelled from the terms held by ≥ :data:`LIFTED_SHARE` (2%) of its
  documents, ≥ 3 in any case, that are ≥ :data:`GENERIC_LIFT` (3) × as common in it as in the
  corpus: 曼联·火箭·夺冠 for 270 sports titles whose best term is in 4.8% of them (11 × the corpus).
- **Sets the topic apart.** Among those, terms are ranked by ``p·log(p / q)`` (``p``: share
  of the topic's documents holding the term, ``q``: share of all documents), so a word
  every topic uses scores about 0.
- **Distinct in a fit** (since 2026-12-08, :func:`set_apart`): no two topics show the same
  words, in any order; of a clash the topic that holds them most keeps them, the others are
  labelled from their own candidate terms ranked against the other topics of the clash.
- **Stopword-like words never appear**: the documented list :data:`GENERIC_WORDS` plus the
  words that this corpus uses in ≥ 2% of the documents of ≥ 75% of its topics
  (:func:`generic_terms`).
- **No markup**: HTML tags and attributes, URL pieces and lowercase ASCII scraps
  (``dt``, ``dtid``, ``kbd``, ``http``) are never terms (:func:`is_markup`).
- **Hashtags as words**: ``#武汉加油#`` → ``武汉加油``; one longer than 10 characters is cut
  at a word boundary (``钟南山表示无症状…``).
- **At most 16 characters of content** (``·`` and ``…`` do not count), 2-3 terms joined by
  ``·``; a term contained in one already chosen is skipped.

``coherence`` is the mean share of the topic's (distinct) documents holding each label term;
``is_generic`` marks topics that have no term passing the rules, whose label terms are
both rare in them (coherence < 0.08) and hardly more common in them than in the corpus (lift,
geometric mean, < 3), or where 6 of the 10 words most of their documents use are
listed chatter (没有 真的 知道 觉得 不要 现在 …, even if 孩子·家里 can label it): catch-all chatter
that views sort last. Short texts (news titles) hold
few words each, so a clear topic (火箭·皇马·巴萨: 4% of its titles per term, 10 × the corpus)
has a low coherence too; its lift tells it from chatter (生活·国家·人生: 1.9 ×).

Example:
    >>> display_term("#钟南山表示无症状感染者不会引起大暴发#")
    '钟南山表示无症状…'
    >>> content_length("医疗队·支援湖北·41架包机…")
    12
    >>> is_markup("dtid"), is_markup("N95")
    (True, False)
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from opinion import schema as S
from opinion.text.everyday import EVERYDAY_WORDS
from opinion.topics.components import REPOST_WORDS

MIN_SHARE = 0.05          # a label term is held by this share of the topic's documents ...
MIN_DOCS = 20             # ... or by this many of them
MIN_ANY = 3               # and never by fewer than this
MAX_CONTENT = 16          # characters of content in a label
MAX_TERMS = 3
MAX_HASHTAG = 10          # a longer hashtag is cut at a word boundary
GENERIC_SHARE = 0.02      # a word held by ≥ 2% of the documents ...
GENERIC_TOPICS = 0.75     # ... of ≥ 75% of the topics, and nowhere ≥ 3 × its median share,
GENERIC_SPREAD = 3.0      # is stopword-like in this corpus
GENERIC_COHERENCE = 0.08  # below this coherence a topic is a catch-all ...
GENERIC_LIFT = 3.0        # ... unless its label terms are ≥ 3 × as common in it as in the corpus
# A topic without any term passing MIN_SHARE / MIN_DOCS (short titles: ≈ 10 words each) is
# labelled from the terms that are frequent in it (held by ≥ GENERIC_SHARE of its documents, the
# share at which generic_terms() calls a word frequent in a topic) and set it apart (lift ≥ GENERIC_LIFT)
LIFTED_SHARE = GENERIC_SHARE
CHATTER_TERMS = 10        # a topic is chatter when most of the words its documents use most ...
CHATTER_MAJORITY = 6      # ... (6 of the 10) are stopword-like, whatever its label says
SEPARATOR = "·"
ELLIPSIS = "…"
# Bumped when the rules above give other labels or flags: part of the topic stage's fingerprint,
# so a workspace fitted with older rules is fitted again rather than kept as "unchanged".
LABEL_RULES = 8
GENERIC_LABEL = "杂谈"     # label head of a topic without any term passing the rules

# Words of everyday chatter and page furniture (opinion.text.everyday); extended per corpus by
# generic_terms().
GENERIC_WORDS = EVERYDAY_WORDS

# Markup and URL pieces that scraped text leaves behind.
MARKUP_WORDS = frozenset("""
a abbr b br body cite code dd div dl dt em font h1 h2 h3 h4 head hr html i iframe img input kbd
li link meta nav ol p pre q s samp script small span strong style sub sup table tbody td th
thead title tr tt u ul var video audio source href src alt class id style width height
target rel type name value nbsp amp quot lt gt apos http https www com cn net org html htm
php asp jsp url uri utm ref amp;nbsp jpg jpeg png gif mp4 sinaimg weibo
""".split())
_URL_OR_TAG = re.compile(r"^(?:https?|www)|\.(?:com|cn|net|org|html?|php)\b|^&\w+;?$|[<>=/\\{}]")
_LOWER_SCRAP = re.compile(r"^[a-z]{1,6}id$|^[a-z]{1,3}$|^(?=.*\d)(?=.*[a-z])[a-z0-9]{8,}$")
_ASCII = re.compile(r"^[\x00-\x7f]+$")
_NOT_CONTENT = re.compile(rf"[\s{SEPARATOR}{ELLIPSIS}／/]")


def is_markup(term: str) -> bool:
    """HTML tags/attributes, URL pieces and lowercase ASCII scraps: ``is_markup("kbd") is True``.

    Latin words in capitals or mixed case (``N95``, ``WHO``, ``iPhone``) stay.
    """
    if not _ASCII.match(term):
        return False
    low = term.lower()
    return (low in MARKUP_WORDS or bool(_URL_OR_TAG.search(low))
            or (term.islower() and bool(_LOWER_SCRAP.match(term))))


def label_rules_key() -> dict[str, object]:
    """What the topic stage's fingerprint takes from the label rules: :data:`LABEL_RULES` and
    the word lists (Weibo's repost words too, which decide the documents with topic words), so
    that editing a list refits a workspace without a manual version bump."""
    return {"version": LABEL_RULES, "generic": sorted(GENERIC_WORDS), "markup": sorted(MARKUP_WORDS),
            "repost": sorted(REPOST_WORDS)}


def content_length(label: str) -> int:
    """Characters of a label that are content (not ``·``, ``…``, ``／`` or spaces)."""
    return len(_NOT_CONTENT.sub("", label))


@functools.cache
def display_term(term: str) -> str:
    """How a term is shown: hashtag marks removed, a long hashtag cut at a word boundary."""
    bare = term.replace("#", "").strip("_ ")
    if not term.startswith("#") or len(bare) <= MAX_HASHTAG:
        return bare
    import jieba

    jieba.setLogLevel(60)
    kept = ""
    for word in jieba.lcut(bare):
        if len(kept) + len(word) > MAX_HASHTAG - 1:
            break
        kept += word
    return (kept or bare[:MAX_HASHTAG - 1]) + ELLIPSIS


def generic_terms(df: sparse.csr_matrix, counted: np.ndarray) -> np.ndarray:
    """Per term: is it everyday chatter in this corpus, frequent everywhere and special nowhere?

    Held by ≥ 2% of the documents of ≥ 75% of the topics, and its largest share in a topic
    under 3 × its median share over the topics (口罩 in a covid corpus is frequent in many
    topics but is the subject of one, so it stays). ``df`` holds topics × terms document
    counts, ``counted`` the documents of each topic. Needs ≥ 3 topics.
    """
    used = np.flatnonzero(counted > 0)
    if len(used) < 3:
        return np.zeros(df.shape[1], dtype=bool)
    share = (sparse.diags(1.0 / counted[used]) @ df[used]).tocsc()
    frequent = (share >= GENERIC_SHARE).astype(np.int64).sum(axis=0).A1 >= math.ceil(GENERIC_TOPICS * len(used))
    out = np.zeros(df.shape[1], dtype=bool)
    for j in np.flatnonzero(frequent):
        column = share[:, j].toarray().ravel()
        out[j] = column.max() < GENERIC_SPREAD * np.median(column)
    return out


def _allowed(words: Sequence[str], generic: np.ndarray) -> np.ndarray:
    return np.array([not g and w not in GENERIC_WORDS and not is_markup(w.replace("#", ""))
                     and bool(display_term(w)) for w, g in zip(words, generic)], dtype=bool)


def _passes(df_row: np.ndarray, n_docs: int, *, lifted: bool = False) -> np.ndarray:
    """Terms held by ≥ 5% of ``n_docs`` documents or ≥ 20 of them, and ≥ 3 in any case;
    ``lifted``: by ≥ 2% (:data:`LIFTED_SHARE`) and ≥ 3 (the caller asks for the lift)."""
    if lifted:
        return (df_row >= MIN_ANY) & (df_row >= LIFTED_SHARE * n_docs)
    return (df_row >= MIN_ANY) & ((df_row >= MIN_SHARE * n_docs) | (df_row >= MIN_DOCS))


def _compose(ranked: list[str]) -> tuple[str, list[str]]:
    """The label from ranked terms: up to 3, no term inside another, ≤ 16 content characters; a
    hashtag cut short only as the first term."""
    shown: list[str] = []
    used: list[str] = []
    for term in ranked:
        text = display_term(term)
        if shown and text.endswith(ELLIPSIS):
            continue  # a cut hashtag (海南2月24日前…) only ever leads: beside words it reads as broken
        if any(text.rstrip(ELLIPSIS) in s or s.rstrip(ELLIPSIS) in text for s in shown):
            continue
        if content_length(SEPARATOR.join([*shown, text])) > MAX_CONTENT:
            continue
        shown.append(text)
        used.append(term)
        if len(shown) == MAX_TERMS:
            break
    return SEPARATOR.join(shown), used


def _ranked(ok: np.ndarray, share: np.ndarray, corpus_share: np.ndarray, words: np.ndarray) -> list[str]:
    """The best 50 terms where ``ok``, by ``p·log(p/q)``, terms of ≥ 5% of the documents first,
    ties by the word."""
    candidates = np.flatnonzero(ok)
    score = share[candidates] * np.log(share[candidates] / np.maximum(corpus_share[candidates], 1e-12))
    common = share[candidates] >= MIN_SHARE
    order = candidates[np.lexsort((words[candidates], -score, ~common))]
    return [str(words[j]) for j in order[:50]]


def _chatter(row_df: np.ndarray, words: Sequence[str]) -> bool:
    """Whether most of the words the topic's documents use most are everyday chatter
    (:data:`GENERIC_WORDS`: 没有 真的 知道 觉得 …), even when a label can be made of its rarer words.

    The corpus's own stopword-like words (:func:`generic_terms`) do not count here: in a corpus
    of one subject they are that subject's words (酒店 房间 服务 in every topic of hotel
    reviews), and counting them flagged every topic of such a corpus."""
    top = [j for j in np.argsort(-row_df, kind="stable")[:CHATTER_TERMS] if row_df[j] > 0]
    stopword_like = sum(words[j] in GENERIC_WORDS for j in top)
    return len(top) == CHATTER_TERMS and stopword_like >= CHATTER_MAJORITY


def _coherence(used: Sequence[str], share: np.ndarray, index: dict[str, int]) -> float:
    """Mean share of the topic's documents holding each of ``used`` (0 without terms)."""
    return float(np.mean([share[index[w]] for w in used])) if used else 0.0


def label_words(used: Sequence[str]) -> frozenset[str]:
    """The words a label shows, in any order: two labels clash when these are equal
    (``王辰·长期存在·新冠`` and ``新冠·王辰·长期存在``)."""
    return frozenset(display_term(t).rstrip(ELLIPSIS) for t in used)


@dataclass(frozen=True)
class Counts:
    """What :func:`set_apart` needs of the fit's counts: topics × vocabulary document counts
    (``df``), documents of each topic (``counted``), the share of all documents holding each
    term (``corpus_share``), the vocabulary in column order and its index."""

    df: sparse.csr_matrix
    counted: np.ndarray
    corpus_share: np.ndarray
    words: np.ndarray
    index: dict[str, int]

    def against(self, topics: list[int]) -> np.ndarray:
        """Per term, the pooled share of ``topics``' documents holding it, at least its corpus
        share (a term none of them uses is not infinitely distinctive)."""
        pooled = np.asarray(self.df[topics].sum(axis=0)).ravel() / max(self.counted[topics].sum(), 1.0)
        return np.maximum(pooled, self.corpus_share)


def set_apart(rows: list[dict], pools: dict[int, np.ndarray], shares: dict[int, np.ndarray],
              counts: Counts) -> None:
    """Relabel, in place, topics whose label shows the same words as another topic's label.

    In each clash the topic whose documents hold the label's words most (highest coherence,
    then the lower id) keeps it; each other one is labelled from its own candidate terms (the
    pool its label was drawn from: frequent in it, commoner in it than in the corpus), ranked by
    ``p·log(p / q)`` against the other topics of the clash (``q``: their pooled share, at least
    the corpus share) rather than the corpus alone, and never with the words of a label already
    given. A viral day's phrase (王辰·长期存在·新冠) labelled three topics cut from that day; now
    two of them are named by their own words (口罩·注意·消毒, 野味·消失·几天 on 5,000 real posts).
    A topic with nothing to set it apart keeps its label (the report names it ``label #id``)."""
    by_id = {int(r["topic_id"]): r for r in rows}
    for _ in range(len(by_id)):  # each round relabels at least one topic, or stops
        groups: dict[frozenset[str], list[int]] = {}
        for topic, row in by_id.items():
            groups.setdefault(label_words(row["label_terms"]), []).append(topic)
        taken = set(groups)
        changed = False
        for clash in (sorted(g) for g in groups.values() if len(g) > 1):
            keeper = max(clash, key=lambda t: (by_id[t]["coherence"], -t))
            for topic in clash:
                if topic == keeper:
                    continue
                share, against = shares[topic], counts.against([t for t in clash if t != topic])
                ranked = _ranked(pools[topic] & (share > against), share, against, counts.words)
                label, used = _compose_new(ranked, taken)
                if used:
                    taken.add(label_words(used))
                    by_id[topic].update(label=label, label_terms=used,
                                        coherence=_coherence(used, share, counts.index))
                    changed = True
        if not changed:
            return


def _compose_new(ranked: list[str], taken: set[frozenset[str]]) -> tuple[str, list[str]]:
    """:func:`_compose` of ``ranked`` whose words are not those of a ``taken`` label: while
    they are, the last term chosen gives way to the next ranked one."""
    ranked = list(ranked)
    while ranked:
        label, used = _compose(ranked)
        if not used or label_words(used) not in taken:
            return label, used
        ranked.remove(used[-1])
    return "", []


def readable_labels(topic_ids: Sequence[int], words: Sequence[str], df: sparse.csr_matrix,
                    df_all: sparse.csr_matrix, counted: dict[int, int],
                    sizes: dict[int, int]) -> pd.DataFrame:
    """``label``, ``label_terms``, ``coherence`` and ``is_generic`` of every topic.

    ``df``/``df_all``: topics × vocabulary document counts over the distinct documents and
    over every document (row ``t`` is topic ``t``); ``counted``/``sizes``: documents of each
    topic in those two counts; ``words``: the vocabulary in column order. Topic -1 is
    ``S.OUTLIER_LABEL``, 未归入主题 (documents without words, outliers).
    """
    df, df_all = sparse.csr_matrix(df), sparse.csr_matrix(df_all)
    words = list(words)
    n_rows = df.shape[0]
    counted_arr = np.array([counted.get(t, 0) for t in range(n_rows)], dtype=np.float64)
    generic = generic_terms(df, counted_arr)
    allowed = _allowed(words, generic)
    total = max(counted_arr.sum(), 1.0)
    corpus_share = np.asarray(df.sum(axis=0)).ravel() / total
    index = {w: j for j, w in enumerate(words)}
    words_arr = np.array(words, dtype=str)
    rows: list[dict] = []
    pools: dict[int, np.ndarray] = {}
    shares: dict[int, np.ndarray] = {}
    for topic in topic_ids:
        topic = int(topic)
        if topic < 0 or topic >= n_rows:
            rows.append({"topic_id": topic, "label": S.OUTLIER_LABEL, "label_terms": [], "coherence": 0.0,
                         "is_generic": True})
            continue
        n_docs, n_all = int(counted.get(topic, 0)), int(sizes.get(topic, 0))
        row_df = df[topic].toarray().ravel()
        row_all = df_all[topic].toarray().ravel()
        share = row_df / max(n_docs, 1)
        pool = allowed & _passes(row_df, n_docs) & _passes(row_all, n_all) & (share > corpus_share)
        label, used = _compose(_ranked(pool, share, corpus_share, words_arr))
        if not used:  # no term of 5% or 20 documents: the frequent terms that set the topic apart
            pool = (allowed & _passes(row_df, n_docs, lifted=True) & _passes(row_all, n_all, lifted=True)
                    & (share >= GENERIC_LIFT * corpus_share))
            label, used = _compose(_ranked(pool, share, corpus_share, words_arr))
        coherence = _coherence(used, share, index)
        lift = (float(np.exp(np.mean([np.log(share[j] / corpus_share[j]) for j in (index[w] for w in used)])))
                if used else 1.0)  # label terms are chosen with share > corpus_share: lift > 1
        generic_topic = (not used or (coherence < GENERIC_COHERENCE and lift < GENERIC_LIFT)
                         or _chatter(row_df, words))
        if not used:
            label = GENERIC_LABEL
        pools[topic], shares[topic] = pool, share
        rows.append({"topic_id": topic, "label": label, "label_terms": used,
                     "coherence": coherence, "is_generic": bool(generic_topic)})
    set_apart([r for r in rows if r["label_terms"]], pools, shares,
              Counts(df, counted_arr, corpus_share, words_arr, index))
    for row in rows:
        row["coherence"] = round(row["coherence"], 4)
    return pd.DataFrame(rows, columns=["topic_id", "label", "label_terms", "coherence", "is_generic"])


def labels_from_totals(totals, vocabulary: dict[str, int]) -> pd.DataFrame:
    """:func:`readable_labels` of every topic with documents, from the added-up part stats
    (:class:`opinion.topics.assign.Totals`) and the fitted vocabulary (word -> column)."""
    words = [""] * len(vocabulary)
    for word, column in vocabulary.items():
        words[column] = word
    topics = sorted(t for t, n in totals.sizes.items() if n > 0)
    return readable_labels(topics, words, totals.df, totals.df_all, dict(totals.counted),
                           dict(totals.sizes))
