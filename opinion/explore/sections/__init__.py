"""The explorer's sections; each ``render_*(store, *, script, key)`` draws one page."""

from opinion.explore.sections.compare import render_compare
from opinion.explore.sections.documents import render_documents
from opinion.explore.sections.emotions import render_emotions
from opinion.explore.sections.overview import render_overview
from opinion.explore.sections.themes import render_themes
from opinion.explore.sections.topics import render_topics
from opinion.explore.sections.words import render_words

SECTIONS = {"Overview": render_overview, "Topics": render_topics, "Themes": render_themes,
            "Emotions": render_emotions, "Documents": render_documents, "Compare": render_compare,
            "Words": render_words}

__all__ = ["SECTIONS", "render_compare", "render_documents", "render_emotions", "render_overview",
           "render_themes", "render_topics", "render_words"]
