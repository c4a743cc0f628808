"""The fit's corpus scan (opinion.topics.fit): which documents have topic words."""

from __future__ import annotations

import pyarrow as pa

from opinion.topics.fit import has_terms


def test_fit_has_terms_regression_bare_reposts_have_none() -> None:
    """Finding 5 (2026-12-08): 转发微博 (tokens 转发, 微博) had topic words, so 75 bare reposts
    were put into a topic; a repost with a comment, and 微博 as a word, keep theirs."""
    tokens = pa.array([["转发", "微博"], ["Repost"], ["转发", "微博", "口罩"], ["[赞]", "[赞]"],
                       ["微博", "热搜"], [], None], pa.list_(pa.string()))
    assert has_terms(tokens).tolist() == [False, False, True, False, True, False, False]


def test_document_words_bare_repost_has_no_topic_words():
    """The placing of documents counted 转发 / 微博 as topic words: 75 bare 转发微博 posts made 26%
    of a real topic (findings h47 topics §5)."""
    from opinion.topics.assign import document_words, has_topic_terms

    has, words = document_words([["转发", "微博"], ["转发", "微博", "口罩"]])
    assert has.tolist() == [False, True] and words[0] == [] and "口罩" in words[1]
    assert has_topic_terms([["轉發微博"], ["微博", "热搜"]]).tolist() == [False, True]
