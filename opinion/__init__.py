"""opinion: text mining for Chinese public-opinion analysis.

Example:
    >>> from opinion.text.clean import clean_text  # doctest: +SKIP
    >>> clean_text("規(guī)模擴大")  # doctest: +SKIP
    '規模擴大'
"""

from opinion.version import __version__  # noqa: F401 - the front door shows it

# Words and networks, offered as ``opinion.find_new_words`` etc. and imported on first use.
_WORDS = ("find_new_words", "accept_words", "keywords", "cooccurrence_network", "write_network", "word_cloud")


def __getattr__(name: str):
    if name in _WORDS:
        import opinion.words

        return getattr(opinion.words, name)
    raise AttributeError(f"module 'opinion' has no attribute {name!r}")
