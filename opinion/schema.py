"""Column and table names that flow between stages, declared once.

Each stage reads and writes DataFrames with these snake_case columns. A workspace keeps
each table as Parquet so that DuckDB can query it (``SELECT * FROM 'ws/corpus/*.parquet'``).
"""

from __future__ import annotations

from typing import Final

# --- table names inside a workspace -------------------------------------------------
CORPUS: Final = "corpus"  # one row per loaded document (parts: corpus/*.parquet)
PREPARED: Final = "prepared"  # text stage output, same parts as corpus
SENTIMENT: Final = "sentiment"  # per-document sentiment, same parts as corpus
TOPIC_DOCS: Final = "topic_documents"  # per-document topic assignment
TOPICS: Final = "topics"  # one row per topic
TOPICS_OVER_TIME: Final = "topics_over_time"
TOPICS_SKIPPED: Final = "topics_skipped"  # manifest key: why a workspace has no topics (opinion.topics.skipped)
TOPICS_PER_SOURCE: Final = "topics_per_source"
TOPIC_HIERARCHY: Final = "topic_hierarchy"
FLAGS: Final = "flags"  # near-duplicates and spam, same parts as corpus (end of prepare)

# Which command writes each table: every "run X first" message and table reads it here.
PRODUCED_BY: Final = {
    CORPUS: "opinion load",
    PREPARED: "opinion prepare",
    FLAGS: "opinion prepare",
    SENTIMENT: "opinion sentiment",
    TOPIC_DOCS: "opinion topics",
    TOPICS: "opinion topics",
    TOPICS_OVER_TIME: "opinion topics",
    TOPICS_PER_SOURCE: "opinion topics",
    TOPIC_HIERARCHY: "opinion topics",
    "topic_stats": "opinion topics",  # opinion.topics.assign.STATS: the fit's first assignment pass
}
EMBEDDINGS: Final = "embeddings"  # embeddings/<embedder>: the topic stage's vector cache (opinion.topics.embed_cache)


def produced_by(table: str, default: str = "the stage that produces it") -> str:
    """The command that writes ``table`` (:data:`PRODUCED_BY`; an embedding cache
    ``embeddings/static-zh`` is the topic stage's): ``produced_by("topic_stats") == "opinion topics"``."""
    if table.startswith(f"{EMBEDDINGS}/"):
        return PRODUCED_BY[TOPICS]
    return PRODUCED_BY.get(table, default)

# --- corpus (load stage) -------------------------------------------------------------
DOC_ID: Final = "doc_id"  # str, unique in the workspace
TITLE: Final = "title"  # str or null
TEXT_RAW: Final = "text_raw"  # str, the text as read
PUBLISHED_AT: Final = "published_at"  # timestamp (naive, local time of the source) or null
SOURCE: Final = "source"  # str or null
INPUT_FILE: Final = "input_file"  # str, path of the input as given
INPUT_ROW: Final = "input_row"  # int, 1-based data row (line for text formats) in that file
ENCODING: Final = "encoding"  # str, the encoding the row was decoded with
DECODE_ERROR: Final = "decode_error"  # bool, the row had bytes that did not decode
TEXT_HASH: Final = "text_hash"  # str, hash of the whitespace/width-normalised text
DUPLICATE_OF: Final = "duplicate_of"  # str or null: doc_id of the first exact copy
META: Final = "meta"  # str: JSON object of the input's other columns (e.g. labels)

CORPUS_COLUMNS: Final = (
    DOC_ID, TITLE, TEXT_RAW, PUBLISHED_AT, SOURCE, INPUT_FILE, INPUT_ROW,
    ENCODING, DECODE_ERROR, TEXT_HASH, DUPLICATE_OF, META,
)

# --- prepared (text stage) -----------------------------------------------------------
TEXT_CLEAN: Final = "text_clean"  # str, cleaned text in its original script and wording (shown to readers)
CLEAN_REMOVED: Final = "clean_removed"  # str, what cleaning removed (furniture lines...), one per line
SCRIPT: Final = "script"  # str: "zh-Hans", "zh-Hant", "mixed", "none"
TEXT_NORM: Final = "text_norm"  # str, analysis text: text_clean in Simplified, normalised (never shown)
TOKENS: Final = "tokens"  # list[str] in Parquet; space-joined in exports
THEME_PREFIX: Final = "theme_"  # theme_<name>: int hits per document

# --- flags (end of the text stage, whole corpus) ---------------------------------------
NEAR_DUPLICATE_OF: Final = "near_duplicate_of"  # str or null: doc_id of its cluster's kept (earliest published) document
SPAM_SCORE: Final = "spam_score"  # float 0..1 (opinion.text.spam)
IS_SPAM: Final = "is_spam"  # bool, spam_score >= 0.5

# --- sentiment -----------------------------------------------------------------------
SENTIMENT_SCORE: Final = "sentiment_score"  # float 0..1, probability of positive
SENTIMENT_LABEL: Final = "sentiment_label"  # "positive" | "neutral" | "negative"
THEME_SENTIMENT_PREFIX: Final = "sentiment_theme_"  # sentiment_theme_<name>: float or null
SENTIMENT_PROB_PREFIX: Final = "sentiment_prob_"  # sentiment_prob_<negative|neutral|positive>
EMOTION_LABEL: Final = "emotion_label"  # happiness | anger | sadness | fear | surprise | neutral
EMOTION_PROB_PREFIX: Final = "emotion_prob_"  # emotion_prob_<emotion>: float 0..1
EMOTIONS: Final = ("happiness", "anger", "sadness", "fear", "surprise", "neutral")

# --- topics --------------------------------------------------------------------------
TOPIC_ID: Final = "topic_id"  # int, -1 never remains after outlier reduction
TOPIC_ID_ORIGINAL: Final = "topic_id_original"  # int, the label before outlier reduction
TOPIC_PROB: Final = "topic_prob"  # float
TOPIC_LABEL: Final = "topic_label"  # str
# topic -1: documents no topic holds (without words, outliers, a dropped topic's)
OUTLIER_LABEL: Final = "未归入主题"
OUTLIER_NAME: Final = f"-1_{OUTLIER_LABEL}"  # its BERTopic-style name

# --- summary columns, one name each in the report, the explorer and `opinion themes` ----
PREVALENCE: Final = "prevalence"  # float 0..1: documents with a theme / documents (of the period)
MEAN_SENTIMENT: Final = "mean_sentiment"  # float 0..1: mean sentiment_score of a group

SCRIPTS_OUT: Final = ("zh-Hans", "zh-Hant-TW", "zh-HK")


def theme_column(name: str) -> str:
    """Column holding the hits of theme ``name``: ``theme_column("信任") == "theme_信任"``."""
    return f"{THEME_PREFIX}{name}"
