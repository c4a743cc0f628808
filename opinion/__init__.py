"""opinion: text mining for Chinese public-opinion analysis.

Example:
    >>> from opinion.text.clean import clean_text  # doctest: +SKIP
    >>> clean_text("規(guī)模擴大")  # doctest: +SKIP
    '規模擴大'
"""

__version__ = "0.1.0"
