"""Interface text in 简体, 繁體 (Taiwan, Hong Kong) or English: one message table.

Each message id maps to its Simplified Chinese and English text. Traditional text is made
from the Simplified with OpenCC (``opinion.text.script.render``: s2tw, s2hk), reviewed
for every message below; :data:`PHRASES` swaps the few words a Taiwan or Hong Kong reader
writes differently (文檔 → 文件, 文件 → 檔案 in Taiwan) and :data:`HANT` holds whole messages
that differ more. Chinese follows the script switch (``zh-Hans``, ``zh-Hant-TW``, ``zh-HK``);
English is the ``en`` language.

Example:
    >>> text("section.topics", "zh-Hans")
    '主题'
    >>> text("section.topics", "zh-Hant-TW")
    '主題'
    >>> text("section.topics", "zh-Hans", lang="en")
    'Topics'
"""

from __future__ import annotations

from opinion.i18n_report import REPORT_MESSAGES

LANGUAGES = {"zh": "中文", "en": "English"}

MESSAGES: dict[str, tuple[str, str]] = {  # id -> (zh-Hans, en)
    # sidebar and sections
    "app.title": ("舆情分析浏览器", "opinion explorer"),
    "app.script": ("文字", "Script"),
    "app.language": ("界面语言", "Language"),
    "app.section": ("栏目", "Section"),
    "app.workspace": ("工作区", "Workspace"),
    "app.behind": ("这个工作区的阶段尚未处理全部已载入的数据（中断或之后又载入），下面的图表和数字不完整；"
                   "请先运行 {commands}。",
                   "This workspace's stages have not processed all the data loaded into it (interrupted, or "
                   "files loaded since): the figures below are incomplete. Run {commands} first."),
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
    "topics.map_note": ("从最大的主题起，只写出放得下、不与其他名称重叠的完整名称；悬停可见每个主题的名称。",
                        "Whole labels are written where they fit without overlapping, the largest topics "
                        "first; hover for every topic's label."),
    "topics.all_posts": ("该主题的全部帖子", "All posts of this topic"),
    "topics.size_help": ("该主题的全部文档，含重复与垃圾帖；下方的帖子列表默认不含它们，并注明有多少篇。",
                         "Every document of the topic, duplicates and spam included; the post list below leaves "
                         "them out unless asked, and says how many they are."),
    "topics.representative": ("代表性帖子", "Representative posts"),
    "topics.hierarchy": ("主题层级", "Topic hierarchy"),
    "topics.hierarchy_unedited": ("层级是拟合时的模型，不含主题编辑（重命名、合并、删除）",
                                  "The hierarchy is of the model as fitted, before the topic edits (renames, "
                                  "merges, drops)"),
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
    "drill.flagged_out": ("**{total:,}** 篇文档（另有 {flagged:,} 篇重复或垃圾帖，勾选“{box}”显示）· 第 {page} / {pages} 页",
                          "**{total:,}** documents ({flagged:,} more are duplicates or spam: tick “{box}” to show "
                          "them) · page {page} of {pages}"),
    "drill.flagged_in": ("**{total:,}** 篇文档（含 {flagged:,} 篇重复或垃圾帖）· 第 {page} / {pages} 页",
                         "**{total:,}** documents (including {flagged:,} duplicates or spam) · page {page} of {pages}"),
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
    # shared words: units, values, columns, notices
    "unit.day": ("日", "day"),
    "unit.week": ("周", "week"),
    "unit.month": ("月", "month"),
    "all": ("全部", "all"),
    "any": ("不限", "any"),
    "choose": ("请选择", "Choose"),
    "value.positive": ("正面", "positive"),
    "value.neutral": ("中性", "neutral"),
    "value.negative": ("负面", "negative"),
    "value.happiness": ("喜悦", "happiness"),
    "value.anger": ("愤怒", "anger"),
    "value.sadness": ("悲伤", "sadness"),
    "value.fear": ("恐惧", "fear"),
    "value.surprise": ("惊讶", "surprise"),
    "value.duplicate": ("重复", "duplicate"),
    "value.spam": ("垃圾", "spam"),
    # column headings: report tables (Markdown, HTML) and explorer tables; downloads keep the names
    "column.topic_id": ("主题编号", "Topic id"),
    "column.label": ("主题", "Topic"),
    "column.topic_label": ("主题", "Topic"),
    "column.sparkline": ("全程走势", "Whole span"),
    "column.top_terms": ("关键词", "Top terms"),
    "column.size": ("文档数", "Documents"),
    "column.share": ("占比", "Share"),
    "column.first_seen": ("首次出现", "First seen"),
    "column.last_seen": ("最后出现", "Last seen"),
    "column.trend": ("趋势", "Trend"),
    "column.trend_growth": ("增长", "Growth"),
    "column.mean_sentiment": ("平均情感", "Mean sentiment"),
    "column.positive_share": ("正面占比", "Positive share"),
    "column.neutral_share": ("中性占比", "Neutral share"),
    "column.negative_share": ("负面占比", "Negative share"),
    "column.period": ("时段", "Period"),
    "column.count": ("文档数", "Documents"),
    "column.docs": ("文档数", "Documents"),
    "column.documents": ("文档数", "Documents"),
    "column.theme": ("议题", "Theme"),
    "column.docs_with_theme": ("含议题文档", "Documents with theme"),
    "column.prevalence": ("覆盖率", "Prevalence"),
    "column.hits": ("命中次数", "Hits"),
    "column.topic_size": ("主题文档数", "Topic documents"),
    "column.share_of_topic": ("占主题比例", "Share of topic"),
    "column.share_of_theme": ("占议题比例", "Share of theme"),
    "column.lift": ("提升度", "Lift"),
    "column.source": ("来源", "Source"),
    "column.share_of_source": ("占来源比例", "Share of source"),
    "column.examples": ("代表性帖子", "Example posts"),
    "column.section": ("类别", "Section"),
    "column.key": ("项目", "Key"),
    "column.value": ("值", "Value"),
    "column.largest_topics": ("最大的主题（占来源比例）", "Largest topics (share of source)"),
    "column.is_generic": ("泛谈主题", "Generic"),
    "column.coherence": ("标签覆盖度", "Label coverage"),
    "column.name": ("原始名称", "Raw name"),
    "column.script": ("文字", "Script"),
    "column.script_name": ("文字名称", "Script name"),
    "column.sentiment": ("情感", "Sentiment"),
    "column.sentiment_label": ("情感标签", "Sentiment label"),
    "column.emotion_label": ("情绪", "Emotion"),
    "column.change": ("变化", "Change"),
    "column.share_before": ("前一时段占比", "Share before"),
    "column.side": ("对比方", "Side"),
    "column.word": ("词语", "Word"),
    "column.group": ("分组", "Group"),
    "column.rank": ("名次", "Rank"),
    "column.left": ("左侧上下文", "Left context"),
    "column.right": ("右侧上下文", "Right context"),
    "column.term": ("词语", "Term"),
    "column.change_ratio": ("变化比例", "Change ratio"),
    "column.documents_before": ("前一时段文档数", "Documents before"),
    "column.occurrences": ("出现次数", "Occurrences"),
    "column.rest_count": ("其他组次数", "Count elsewhere"),
    "column.per_10k": ("每万词次数", "Per 10k tokens"),
    "column.rest_per_10k": ("其他组每万词次数", "Per 10k tokens elsewhere"),
    "column.log_ratio": ("对数比", "Log ratio"),
    "column.g2": ("G²", "G²"),
    "column.word_a": ("词语 A", "Word A"),
    "column.word_b": ("词语 B", "Word B"),
    "column.weight": ("权重（Jaccard）", "Weight (Jaccard)"),
    "column.cooccurrence": ("共现文档数", "Co-occurring documents"),
    "column.pmi": ("PMI", "PMI"),
    "app.opening": ("正在打开工作区…", "Opening the workspace…"),
    "topics.skipped_documents": ("主题未拟合：只有 {have} 篇不同的有词文档，主题至少需要 {needed} 篇；"
                                 "加入更多文档后再运行 `opinion run`（或 `opinion topics`）。",
                                 "No topics: only {have} distinct documents with words, and topics need at "
                                 "least {needed}; add documents, then run `opinion run` (or `opinion topics`)."),
    "topics.skipped_words": ("主题未拟合：这些文档共有的主题词只有 {have} 个，主题至少需要 {needed} 个；"
                             "加入更多文档后再运行 `opinion run`（或 `opinion topics`）。",
                             "No topics: the documents share only {have} topic words, and topics need at "
                             "least {needed}; add documents, then run `opinion run` (or `opinion topics`)."),
    "app.needs": ("需要 `{table}`：请先运行 `{command} -w {root}`。", "This needs `{table}`: run `{command} -w {root}` first."),
    "app.flagged": ("重复与垃圾帖", "Duplicates and spam"),
    "app.flagged_help": ("包括完全重复与近似重复的帖子，以及模板或机器人帖子。",
                         "Include exact and near-duplicates and template or bot posts."),
    "app.flagged_in": ("含重复与垃圾帖", "duplicates and spam included"),
    "app.flagged_out": ("不含重复与垃圾帖", "duplicates and spam excluded"),
    # overview
    "overview.documents": ("文档", "Documents"),
    "overview.first": ("首日", "First day"),
    "overview.last": ("末日", "Last day"),
    "overview.sources": ("来源", "Sources"),
    "overview.sources_help": ("没有来源的文档按其输入文件名计，或计为 {none}。",
                              "A document without a source counts under its input file's name, or {none}."),
    # flagged documents (opinion.flagged): the same names in the explorer and the report
    "flags.duplicates": ("完全重复", "Exact duplicates"),
    "flags.near_duplicates": ("近似重复", "Near-duplicates"),
    "flags.spam": ("垃圾帖", "Spam posts"),
    "flags.duplicates_help": ("文字与较早帖子完全相同的帖子。列表默认不含。",
                              "Posts whose text repeats an earlier post exactly. Lists leave them out unless asked."),
    "flags.near_duplicates_help": ("与较早帖子近乎相同（改了标点、加了表情或打乱了字）、又不算完全重复的帖子。列表默认不含。",
                                   "Posts nearly identical to an earlier one (re-punctuated, emoji-padded, "
                                   "scrambled) that are not exact duplicates. Lists leave them out unless asked."),
    "flags.spam_help": ("模板或机器人帖子，也可能同时是重复帖。列表默认不含。",
                        "Template or bot posts; a spam post may also be a duplicate. Lists leave them out unless asked."),
    "flags.not_flagged": ("尚未标记：请运行 `opinion prepare -w {root}`。", "Not flagged yet: run `opinion prepare -w {root}`."),
    "overview.rejects": ("被拒行", "Rejected rows"),
    "overview.rejects_help": ("rejects.csv 中无法载入的行（文件、行号与原因）。",
                              "Rows in rejects.csv that could not be loaded (file, row and reason)."),
    "overview.no_dates": ("没有文档带日期，因此没有时间线：载入时请用 `--date-col COLUMN` 或 `--date-from-filename`。",
                          "No document has a date, so there is no timeline: load with `--date-col COLUMN` "
                          "or `--date-from-filename`."),
    "overview.per_period": ("每{unit}文档数", "Documents per {unit}"),
    "overview.script_mix": ("文字构成", "Script mix"),
    "overview.script.mixed": ("混合", "mixed"),
    "overview.script.none": ("无中文", "none"),
    "overview.report": ("HTML 报告", "HTML report"),
    "overview.report_help": ("`opinion export` 的报告，使用当前的文字与界面语言。",
                             "The report of `opinion export`, in this script and language."),
    # themes
    "themes.none": ("`prepared` 中没有议题列：请运行 `opinion prepare --themes FILE -w {root}`。",
                    "No theme columns in `prepared`: run `opinion prepare --themes FILE -w {root}`."),
    "themes.chosen": ("议题", "Themes"),
    "themes.prevalence": ("每{unit}文档占比", "Share of documents per {unit}"),
    "themes.sentiment": ("议题情感（0 负面 … 1 正面）", "Theme sentiment (0 neg … 1 pos)"),
    "kwic.title": ("关键词上下文", "Keyword in context"),
    "kwic.term": ("词语（简体或繁體）", "Term (简体 or 繁體)"),
    "kwic.theme": ("限于议题的文档", "In the documents of theme"),
    "kwic.width": ("上下文字数", "Context"),
    "kwic.hint": ("输入一个词，或选一个议题，以查看其上下文。", "Type a term, or choose a theme, to see its lines."),
    "kwic.lines": ("{n} 行（{flagged}）", "{n} lines ({flagged})"),
    "kwic.first_lines": ("前 {n:,} 行，共 {total:,} 行（{flagged}；最新的文档在前）",
                         "The first {n:,} of {total:,} lines ({flagged}; newest documents first)"),
    # emotions
    "emotions.group_by": ("分组方式", "Group by"),
    "emotions.none": ("此分组没有情绪：请用带情绪的模型运行 `opinion sentiment -w {root} --force`，或换一种分组。",
                      "No emotions for this grouping: run `opinion sentiment -w {root} --force` with a model that "
                      "has emotions, or pick another grouping."),
    "emotions.no_dates": ("没有文档带日期，无法按时期分组：请换一种分组，或载入时用 `--date-col COLUMN`。",
                          "No document has a date, so there are no periods: pick another grouping, or load "
                          "with `--date-col COLUMN`."),
    "emotions.empty_group": ("此分组下没有文档（例如没有文档命中任何主题词表）：请换一种分组。",
                             "No document falls in this grouping (e.g. none matches a theme): pick another grouping."),
    "emotions.share": ("情绪占比", "Emotion share"),
    # documents
    "documents.topic": ("主题", "Topic"),
    "documents.dates": ("日期范围", "Date range"),
    "documents.flagged": ("包括重复与垃圾帖", "Include duplicates and spam"),
    "documents.matches": ("**{total:,}** 篇文档匹配（{flagged}）· 第 {page} / {pages} 页",
                          "**{total:,}** documents match ({flagged}) · page {page} of {pages}"),
    "period.no_dates": ("没有带日期的文档。", "No dated documents."),
    # compare
    "compare.nothing": ("没有文档带日期，来源也只有一个，因此没有可对比的两组：载入时请用 `--date-col COLUMN`"
                        "（按时段对比）或 `--source-col COLUMN`（按来源对比）。",
                        "No document has a date and there is only one source, so there are no two groups to "
                        "compare: load with `--date-col COLUMN` (to compare periods) or `--source-col COLUMN` "
                        "(to compare sources)."),
    "compare.few_sources": ("此工作区的来源少于两个；请改为对比两个时段。",
                            "This workspace has fewer than two sources; compare two periods instead."),
    "compare.no_dates": ("没有文档带日期；请改为对比两个来源。", "No document has a date; compare two sources instead."),
    "compare.both_ends": ("请选择时段 {side} 的起止两端。", "Pick both ends of period {side}."),
    # topic edits
    "edits.title": ("编辑主题（{n} 项编辑）", "Edit topics ({n} edits)"),
    "edits.action": ("操作", "Action"),
    "edits.rename": ("重命名", "Rename"),
    "edits.merge": ("合并", "Merge"),
    "edits.drop": ("删除（→ -1）", "Drop (→ -1)"),
    "edits.topic": ("主题", "Topic"),
    "edits.new_label": ("新名称", "New label"),
    "edits.topics": ("主题（保留编号最小者）", "Topics (kept: the lowest id)"),
    "edits.save": ("保存", "Save"),
    "edits.undo": ("撤销上一项", "Undo last"),
    "edits.saved": ("已保存：{edit}", "saved: {edit}"),
    "edits.undone": ("已撤销：{edit}", "undone: {edit}"),
    "edits.describe.rename": ("重命名 {topics} = {label}", "rename {topics} = {label}"),
    "edits.describe.merge": ("合并 {topics}", "merge {topics}"),
    "edits.describe.drop": ("删除 {topics}", "drop {topics}"),
    "edits.not_applied": ("（未应用：编辑于较早的主题模型）", " (not applied: made on an earlier topic model)"),
    "edits.stale": ("{n} 项主题编辑是在较早的主题模型上做的（主题已重新拟合），未被应用；"
                    "请在新主题上重做，再用 `opinion topics edit -w {root} --clear` 清除旧编辑。",
                    "{n} topic edit(s) were made on an earlier topic model (the topics were refit) and are not "
                    "applied; redo them on the new topics, then clear the old ones with "
                    "`opinion topics edit -w {root} --clear`."),
    # words
    "words.view": ("视图", "View"),
    "words.exclude": ("不显示这些词（逗号分隔）", "Leave out these words (comma-separated, as --exclude)"),
    "words.exclude_example": ("例如：主要,目前,进行", "e.g. 主要,目前,进行"),
    "words.everyday": ("显示常用词（没有、真的、知道…）", "Show everyday words (没有, 真的, 知道 …)"),
    "words.everyday_help": ("常用词在每个时段、主题里都有，说明不了什么，默认不显示。",
                            "Everyday words are in every period and topic and say nothing about any; "
                            "they are left out unless shown (as --everyday-words)."),
    "words.counting": ("正在统计词语…", "Counting words…"),
    "words.building": ("正在构建网络…", "Building the network…"),
    "words.drawing": ("正在绘制词云…", "Drawing the cloud…"),
    "words.keywords": ("关键词", "Keywords"),
    "words.network": ("共现网络", "Network"),
    "words.cloud": ("词云", "Word cloud"),
    "words.new_words": ("新词", "New words"),
    "words.keywords_of": ("按此分组提取关键词", "Keywords of each"),
    "words.keywords_note": ("组内比其他所有文档用得更多的词，按 Dunning 对数似然 G² 排序"
                            "（G² ≥ 3.84：p < 0.05；≥ 10.83：p < 0.001）。次数为词例出现次数。",
                            "Words used more in the group than in all other documents, by Dunning's log-likelihood G² "
                            "(G² ≥ 3.84: p < 0.05; ≥ 10.83: p < 0.001). Counts are token occurrences."),
    "words.no_keywords": ("没有关键词：只有一个分组，或没有词在某组中出现至少 5 次、在至少 3 篇文档中并明显多于其他组；"
                          "按日分组时每组文档太少，可试按周或按月。",
                          "No keywords: there is only one group, or no word is used at least 5 times, in at least "
                          "3 of a group's documents and clearly more than in the others; groups of one day may be "
                          "too small: try weeks or months."),
    "words.words": ("词数", "Words"),
    "words.period": ("时段（{unit}）", "Period ({unit})"),
    "words.network_note": ("{nodes} 个词，{edges} 条边（按同时含两词的文档算 Jaccard 系数），"
                           "{communities} 个 Louvain 社区，{documents:,} 篇文档。颜色表示社区。",
                           "{nodes} words, {edges} edges (Jaccard coefficient of the documents holding each pair), "
                           "{communities} Louvain communities, {documents:,} documents. Colours are communities."),
    "words.labels_note": ("图上写出其中 {labelled} 个放得下的词（文档数多的优先），全部 {nodes} 个词悬停可见。",
                          "{labelled} of them are written where they fit (the most frequent first); hover for all "
                          "{nodes} words."),
    "words.community": ("社区", "community"),
    "words.docs": ("{n} 篇文档", "{n} docs"),
    "words.cloud_for": ("词云范围", "One cloud for"),
    "words.all_documents": ("全部文档", "All documents"),
    "words.group": ("分组", "Group"),
    "words.no_words": ("没有可画的词。", "No words to draw."),
    "words.cloud_caption": ("{group} · 已去除停用词 · {shown_in}", "{group} · stopwords removed · {shown_in}"),
    "words.no_new_words": ("用 `opinion newwords -w {root}` 找候选新词（60 万帖约两分钟），结果会显示在这里。"
                           "用 `--accept` 接受合适的词，再运行 `opinion prepare`。",
                           "Find candidate new words with `opinion newwords -w {root}` (about two minutes for "
                           "600k posts); they appear here. Accept the right ones with `--accept`, then run "
                           "`opinion prepare`."),
    "words.new_words_note": ("上一次 `opinion newwords` 的结果：高频、内部凝固、左右自由，而词典会切开的字串（jieba_cut）。",
                             "The last `opinion newwords` list: frequent, cohesive strings free at both ends that the "
                             "dictionary splits (jieba_cut)."),
    **REPORT_MESSAGES,  # the report's headings, notes and trend words (opinion/i18n_report.py)
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


# Words Taiwan or Hong Kong readers write differently, fixed after OpenCC's character conversion,
# in this order. Posts are 貼文 (帖子 reads as mainland forum wording) and quotations take 「」, not “”.
# Taiwan: a file is 檔案 and a document 文件, so 文件 (file) goes to 檔案 before 文檔 becomes 文件
# (輸入檔案與定義；逐文件結果, not 輸入文件…逐文件); 執行 (run), 資訊, 資料 (data), 儲存, 開啟, 匯出,
# 範本 (template), 檢視 (view) and 週 (week: s2tw wrote 周（週一至週日）).
HANT_POSTS = {"帖子": "貼文", "萬帖": "萬篇貼文", "帖": "貼文", "“": "「", "”": "」", "‘": "『", "’": "』"}
HANT_SETTINGS = {"默認": "預設", "字符": "字元"}  # default, character: Taiwan and Hong Kong alike
PHRASES: dict[str, dict[str, str]] = {
    "zh-Hant-TW": {"文件名": "檔名", "文件": "檔案", "文檔": "文件", "搜索": "搜尋", "界面": "介面", "網絡": "網路",
                   "運行": "執行", "信息": "資訊", "數據": "資料", "保存": "儲存", "打開": "開啟", "導出": "匯出",
                   "模板": "範本", "視圖": "檢視", "周": "週", **HANT_SETTINGS, **HANT_POSTS},
    "zh-HK": {"搜索": "搜尋", "界面": "介面", **HANT_SETTINGS, **HANT_POSTS},
}


def text(message_id: str, script: str = "zh-Hans", *, lang: str = "zh", **values: object) -> str:
    """The message ``message_id`` in ``lang`` (``zh``: in ``script``; ``en``), formatted with ``values``."""
    zh, en = MESSAGES[message_id]
    if lang == "en":
        chosen = en
    elif script == "zh-Hans":
        chosen = zh
    else:
        chosen = HANT.get(script, {}).get(message_id) or _traditional(zh, script)
    return chosen.format(**values) if values else chosen


def _traditional(zh: str, script: str) -> str:
    from opinion.text.script import render

    converted = render(zh, target=script)
    for simplified_word, local_word in PHRASES.get(script, {}).items():
        converted = converted.replace(simplified_word, local_word)
    return converted


def value_text(value: str, script: str = "zh-Hans", *, lang: str = "zh") -> str:
    """A stored value shown to a reader (``negative`` → 负面, ``anger`` → 愤怒); others as they are.

    >>> value_text("negative"), value_text("negative", lang="en"), value_text("weibo")
    ('负面', 'negative', 'weibo')
    """
    key = f"value.{value}"
    return text(key, script, lang=lang) if key in MESSAGES else value


def column_text(column: str, script: str = "zh-Hans", *, lang: str = "zh") -> str:
    """A table column's heading (``size`` → 文档数); a column without one keeps its name, and a
    column named for one side of a comparison (``share A: 2020-01-24 → …``) keeps its side.

    >>> column_text("size"), column_text("doc_id"), column_text("share A: weibo")
    ('文档数', 'doc_id', '占比 A: weibo')
    """
    key = f"column.{column}"
    if key in MESSAGES:
        return text(key, script, lang=lang)
    head, _, side = column.partition(" ")
    return f"{text(f'column.{head}', script, lang=lang)} {side}" if side and f"column.{head}" in MESSAGES else column
