"""Interface text in 简体, 繁體 (Taiwan, Hong Kong) or English: one message table.

Each message id maps to its Simplified Chinese and English text. Traditional text is made
from the Simplified with OpenCC (``opinion.report.display.render``: s2tw, s2hk), reviewed
for every message below; :data:`HANT` holds the few where a phrase differs and OpenCC's
character conversion is not what a Taiwan or Hong Kong reader expects. Chinese follows the
script switch (``zh-Hans``, ``zh-Hant-TW``, ``zh-HK``); English is the ``en`` language.

Example:
    >>> text("section.topics", "zh-Hans")
    '主题'
    >>> text("section.topics", "zh-Hant-TW")
    '主題'
    >>> text("section.topics", "zh-Hans", lang="en")
    'Topics'
"""

from __future__ import annotations

LANGUAGES = {"zh": "中文", "en": "English"}

MESSAGES: dict[str, tuple[str, str]] = {  # id -> (zh-Hans, en)
    # sidebar and sections
    "app.title": ("舆情分析浏览器", "opinion explorer"),
    "app.script": ("文字", "Script"),
    "app.language": ("界面语言", "Language"),
    "app.section": ("栏目", "Section"),
    "app.workspace": ("工作区", "Workspace"),
    "section.overview": ("概览", "Overview"),
    "section.topics": ("主题", "Topics"),
    "section.themes": ("议题", "Themes"),
    "section.emotions": ("情绪", "Emotions"),
    "section.documents": ("文档", "Documents"),
    "section.compare": ("对比", "Compare"),
    "section.words": ("词语", "Words"),
    # topics and drill-down
    "topics.follow": ("查看", "Follow"),
    "topics.by_topic": ("一个主题", "A topic"),
    "topics.by_period": ("一个时段", "A period"),
    "topics.topic": ("主题", "Topic"),
    "topics.top_terms": ("关键词", "Top terms"),
    "topics.timeline": ("文档数与平均情感", "Documents and mean sentiment"),
    "topics.documents": ("文档数", "documents"),
    "topics.mean_sentiment": ("平均情感", "mean sentiment"),
    "topics.sentiment": ("情感", "Sentiment"),
    "topics.map": ("主题分布图", "Intertopic map"),
    "topics.map_note": ("只标出最大的 {n} 个主题；其余主题悬停可见完整名称。",
                        "Only the {n} largest topics are labelled; hover for every topic's full label."),
    "topics.all_posts": ("该主题的全部帖子", "All posts of this topic"),
    "topics.representative": ("代表性帖子", "Representative posts"),
    "topics.hierarchy": ("主题层级", "Topic hierarchy"),
    "topics.metrics": ("主题模型指标", "Topic model metrics"),
    "topics.no_over_time": ("没有 topics_over_time 表：请运行 `opinion topics -w {root}`。",
                            "No topics_over_time table: run `opinion topics -w {root}`."),
    "drill.sort": ("排序", "Sort"),
    "drill.sort.newest": ("最新", "Newest"),
    "drill.sort.oldest": ("最早", "Oldest"),
    "drill.sort.typical": ("最典型", "Most typical"),
    "drill.sort.negative": ("最负面", "Most negative"),
    "drill.sort.positive": ("最正面", "Most positive"),
    "drill.period": ("时段", "Period"),
    "drill.all_periods": ("全部时段", "All periods"),
    "drill.source": ("来源", "Source"),
    "drill.sentiment": ("情感", "Sentiment"),
    "drill.emotion": ("情绪", "Emotion"),
    "drill.theme": ("议题", "Theme"),
    "drill.page": ("页", "Page"),
    "drill.per_page": ("每页", "Per page"),
    "drill.matches": ("**{total:,}** 篇文档 · 第 {page} / {pages} 页",
                      "**{total:,}** documents · page {page} of {pages}"),
    "period.choose": ("时段", "Period"),
    "period.movers": ("与前一时段相比升降的主题", "Topics that rose and fell against the period before"),
    "period.first": ("这是第一个时段，没有可比较的前一时段。", "This is the first period: there is none before it."),
    "period.change": ("占比变化（百分点）", "Change of share (points)"),
    "period.rose": ("上升", "rose"),
    "period.fell": ("下降", "fell"),
    # compare
    "compare.mode": ("对比", "Compare"),
    "compare.periods": ("两个时段", "Two periods"),
    "compare.sources": ("两个来源", "Two sources"),
    "compare.period": ("时段 {side}", "Period {side}"),
    "compare.source": ("来源 {side}", "Source {side}"),
    "compare.topic_shares": ("主题占比（按变化排序）", "Topic shares (by change)"),
    "compare.sentiment": ("情感标签", "Sentiment labels"),
    "compare.mean": ("平均情感 {side}", "Mean sentiment {side}"),
    # documents
    "documents.search": ("搜索（关键词或 \"短语\"，简体或繁體）", "Search (keyword or \"a phrase\", 简体 or 繁體)"),
    "documents.no_documents": ("没有文档。", "No documents."),
    "documents.download": ("下载全部匹配的文档（最多 100,000 篇）及其得分：",
                           "Download every matching document (up to 100,000) with its scores:"),
    # report headings
    "report.title": ("舆情分析报告", "Opinion report"),
    "report.overview": ("概览", "Overview"),
    "report.topics": ("主题", "Topics"),
    "report.topic_trends": ("主题趋势", "Topic trends"),
    "report.sentiment": ("各主题情感", "Sentiment by topic"),
    "report.themes": ("议题趋势", "Theme trends"),
    "report.keywords": ("关键词与词云", "Keywords and word clouds"),
    "report.sources": ("来源", "Sources"),
    "report.run": ("运行信息", "Run"),
    "report.examples": ("代表性帖子", "Example posts"),
    "report.posts": ("{n} 篇帖子", "{n} posts"),
    "report.every_topic": ("每个主题的占比趋势", "Every topic's share over time"),
    "report.rows": ("展开表格（{n} 行）", "Show the table ({n} rows)"),
    "report.source_summary": ("各来源：文档数、平均情感与最大的主题；来源 × 主题的完整表见 sources.csv。",
                              "Per source: documents, mean sentiment and largest topics; the full source × "
                              "topic table is sources.csv."),
}

# Reviewed exceptions where OpenCC's conversion of the Simplified text is not the usual phrase.
HANT: dict[str, dict[str, str]] = {
    "zh-Hant-TW": {"app.language": "介面語言", "section.documents": "文件", "topics.documents": "文件數",
                   "topics.timeline": "文件數與平均情感", "topics.all_posts": "該主題的全部貼文",
                   "drill.matches": "**{total:,}** 篇文件 · 第 {page} / {pages} 頁",
                   "documents.search": "搜尋（關鍵詞或 \"短語\"，簡體或繁體）",
                   "documents.no_documents": "沒有文件。",
                   "documents.download": "下載全部符合的文件（最多 100,000 篇）及其分數："},
    "zh-HK": {"app.language": "介面語言", "documents.search": "搜尋（關鍵詞或 \"短語\"，簡體或繁體）"},
}


def text(message_id: str, script: str = "zh-Hans", *, lang: str = "zh", **values: object) -> str:
    """The message ``message_id`` in ``lang`` (``zh``: in ``script``; ``en``), formatted with ``values``."""
    zh, en = MESSAGES[message_id]
    if lang == "en":
        chosen = en
    elif script == "zh-Hans":
        chosen = zh
    else:
        from opinion.report.display import render

        chosen = HANT.get(script, {}).get(message_id) or render(zh, script)
    return chosen.format(**values) if values else chosen
