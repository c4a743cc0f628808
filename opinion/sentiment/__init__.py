"""Sentiment and emotions: a trained classifier (default) and an explainable lexicon scorer.

The model has two heads on shared features: three-way polarity (negative / neutral /
positive) and six emotions (happiness, anger, sadness, fear, surprise, neutral).

- :func:`opinion.sentiment.score.score_workspace` / :func:`~opinion.sentiment.score.score_part`:
  the workspace stage (per document, per theme).
- :func:`~opinion.sentiment.score.score_texts`, :func:`~opinion.sentiment.score.score_sentences`:
  scores of plain texts and of a text's sentences.
- :class:`~opinion.sentiment.lexicon.LexiconScorer`: HowNet words with negators, degree words
  and adversatives; ``explain(text)`` lists the words behind a score.
- :func:`~opinion.sentiment.score.score_documents`: every column of the stage for plain texts.
- :func:`~opinion.sentiment.train.train_model`, :func:`~opinion.sentiment.evaluate.evaluate_file`.

The package itself is callable: ``opinion.sentiment("runs/demo")`` scores a workspace
(:func:`opinion.api.sentiment`).

Example:
    >>> from opinion.sentiment.score import score_texts
    >>> bool(score_texts(["质量很好，推荐购买"])[0] > 0.5)
    True
"""

from opinion.frontdoor import make_callable

make_callable(__name__, "sentiment")
