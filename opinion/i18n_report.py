"""The report's messages (headings, notes, trend words, run-table values) for :mod:`opinion.i18n`.

Kept apart so the interface table stays readable; :func:`opinion.i18n.text` is still the one
lookup (``text("report.topics", "zh-Hant-TW")`` → 主題). Each id maps to its Simplified
Chinese and English text; Traditional is made and reviewed as :mod:`opinion.i18n` describes.
This module imports nothing from the package.
"""

from __future__ import annotations

REPORT_MESSAGES: dict[str, tuple[str, str]] = {  # id -> (zh-Hans, en)
    # trend words of the topic table (opinion.report.trend.TRENDS)
    "trend.rising": ("↑ 上升", "↑ rising"),
    "trend.fading": ("↓ 下降", "↓ fading"),
    "trend.stable": ("→ 平稳", "→ stable"),
    "trend.new": ("★ 新出现", "★ new"),
    "trend.gone": ("○ 已消失", "○ gone"),
    "trend.too_few": ("–", "–"),  # under 2 periods, or too few documents to tell
    "report.title": ("舆情分析报告", "Opinion report"),
    "report.overview": ("概览", "Overview"),
    "report.topics": ("主题", "Topics"),
    "report.topic_trends": ("主题趋势", "Topic trends"),
    "report.sentiment": ("各主题情感", "Sentiment by topic"),
    "report.themes": ("议题趋势", "Theme trends"),
    "report.keywords": ("关键词与词云", "Keywords and word clouds"),
    "report.keywords_by_source": ("各来源的关键词：与其他来源相比用得更多的词（对数似然比 G²），每来源前 10 个。",
                                  "Keywords of each source: words used more than in the other sources "
                                  "(log-likelihood G²), the first 10 of each."),
    "report.keywords_by_topic": ("各主题的关键词：与其他主题相比用得更多的词（对数似然比 G²），每主题前 10 个。",
                                 "Keywords of each topic: words used more than in the other topics "
                                 "(log-likelihood G²), the first 10 of each."),
    "report.no_keywords": ("没有关键词：可比较的组（时段、来源或主题）少于两个，或没有哪个词在某一组中明显多于其他组"
                           "（G² ≥ 3.84，且至少 5 次、出现在该组至少 3 篇文档中）；重复帖与垃圾帖不计。",
                           "No keywords: there are fewer than two groups (periods, sources or topics) to compare, "
                           "or no word is used clearly more in one group than in the others (G² ≥ 3.84, at least "
                           "5 times, in at least 3 of the group's documents); duplicates and spam are left out."),
    # why: the one that applies is added to report.no_keywords
    "report.no_keywords.by_day": ("按日分组时每组文档太少，可按周导出（opinion export --period week）。",
                                  "Groups of one day may be too small: export by week (opinion export --period "
                                  "week)."),
    "report.no_keywords.one_period": ("这里所有文档都在同一个时段：只有一组，没有可比较的组。",
                                      "Here every document falls in one period: one group only, nothing to "
                                      "compare."),
    "report.no_keywords.undated": ("这里的文档没有日期，来源只有一个，主题也不到两个：只有一组，没有可比较的组。",
                                   "Here the documents have no dates, there is one source and fewer than two "
                                   "topics: one group only, nothing to compare."),
    "report.sources": ("来源", "Sources"),
    "report.run": ("运行信息", "Run"),
    "report.examples": ("代表性帖子", "Example posts"),
    "report.posts": ("{n} 篇帖子", "{n} posts"),
    "report.post": ("{n} 篇帖子", "{n} post"),  # one: English says "1 post"
    "report.yes": ("是", "yes"),  # a true or false cell of a report table (the run table's flags)
    "report.no": ("否", "no"),
    "report.every_topic": ("每个主题的占比趋势", "Every topic's share over time"),
    "report.rows": ("展开表格（{n} 行）", "Show the table ({n} rows)"),
    "report.period.day": ("日", "day"),
    "report.period.week": ("周（周一至周日）", "week (Monday to Sunday)"),
    "report.period.month": ("月", "month"),
    "report.figure": ("指标", "Figure"),
    "report.value": ("值", "Value"),
    "report.figure.documents": ("文档数", "Documents"),
    "report.figure.dates": ("时间范围", "Date range"),
    "report.figure.period": ("时段", "Period"),
    "report.figure.sources": ("来源", "Sources"),
    "report.figure.rejects": ("拒收行", "Rejected rows"),
    "report.figure.undated": ("无日期文档", "Documents without a date"),
    "report.figure.topics": ("主题数", "Topics"),
    "report.figure.largest": ("最大主题", "Largest topic"),
    "report.figure.mean": ("平均情感", "Mean sentiment"),
    "report.figure.positive": ("正面占比", "Positive share"),
    "report.figure.negative": ("负面占比", "Negative share"),
    "report.missing": ("未找到结果（{state}）。", "No results ({state})."),
    "report.no_documents_period": ("{mark}：该时段没有文档（数据中缺这一天、周或月）",
                                   "{mark}: no document in that period (the data lack that day, week or month)"),
    "report.missing_run": ("未找到结果：请先运行 {command}。", "No results: run {command} first."),
    "report.no_dates": ("没有文档带日期，因此没有按时段的结果：载入时请用 `--date-col COLUMN` 或 `--date-from-filename`。",
                        "No document has a date, so there are no results by period: load with `--date-col COLUMN` "
                        "or `--date-from-filename`."),
    "report.topic_trends_note": ("各时段中每个主题的文档占比。", "Each topic's share of the documents of each period."),
    "report.sentiment_note": ("平均情感为正面概率（0–1）的均值；中性文本的正面概率也低，"
                              "所以请与正面占比、负面占比一起看（例如新闻标题多为中性，平均情感约 0.2）。",
                              "Mean sentiment is the mean probability of positive (0–1). Neutral texts "
                              "have a low probability of positive too, so read it with the positive and "
                              "negative shares (news headlines, mostly neutral, average about 0.2)."),
    "report.themes_note": ("覆盖率：提及该议题的文档占该时段文档的比例。",
                           "Prevalence: the share of a period's documents that mention the theme."),
    "report.keywords_note": ("各时段的关键词：与其他时段相比用得更多的词（对数似然比 G²），每时段前 10 个；"
                             "完整表见 keywords_by_period.csv。",
                             "Keywords of each period: words used more than in the other periods (log-likelihood "
                             "G²), the top 10 of each; the full table is keywords_by_period.csv."),
    "report.run_full": ("下表为摘要；完整的运行表（{n} 行，含文件的 SHA-256、指纹与各分段记录）见 run.csv。",
                        "Below is a summary; the whole run table ({n} rows, with file hashes, fingerprints and "
                        "per-part records) is run.csv."),
    "report.definitions": ("定义", "Definitions"),
    "report.one_topic": ("拟合只得到一个主题（{label}，{n} 篇文档）：文档太少或太相近，分不出不同的主题，所以它只是"
                         "全部文档的概况，不是一项发现。加入更多文档后再运行 `opinion topics`（或 `opinion run`）。",
                         "The fit found one topic only ({label}, {n} documents): the documents are too few or "
                         "too alike to tell topics apart, so it describes all documents rather than a finding. "
                         "Add documents and run `opinion topics` (or `opinion run`) again."),
    "report.themes_unmentioned_builtin": ("没有文档提及附带的范例议题 {names}：表中保留其 0.0% 行，图中略去；"
                                          "用 `--themes 我的议题.toml`（opinion prepare 或 opinion run）加入自己的议题。",
                                          "No document mentions the built-in example themes {names}: their 0.0% "
                                          "rows stay in the tables, the charts leave them out; add your own themes "
                                          "with `--themes my_themes.toml` (opinion prepare or opinion run)."),
    "report.themes_unmentioned": ("没有文档提及议题 {names}（图中略去）。",
                                  "No document mentions the themes {names} (left out of the charts)."),
    "report.run_note": ("参数、版本、输入文件与定义；逐文档结果见 documents.csv 或 report.xlsx。",
                        "Settings, versions, input files and definitions; the results per document are in "
                        "documents.csv and report.xlsx."),
    "report.overall": ("总体", "Overall"),
    "report.sentiment_by_period": ("各时段平均情感", "Mean sentiment per period"),
    "report.prevalence_by_period": ("各时段覆盖率", "Prevalence per period"),
    "report.theme_topic": ("主题 × 议题：提及该议题的文档占主题的比例",
                           "Topic × theme: the share of a topic's documents that mention the theme"),
    "report.no_data": ("无数据", "No data"),
    "report.clouds": ("词云（右键可另存为 PNG）", "Word clouds (right-click to save as PNG)"),
    "report.generated": ("生成于 {at} · {n} 篇文档", "Generated {at} · {n} documents"),
    "report.generated_one": ("生成于 {at} · {n} 篇文档", "Generated {at} · {n} document"),
    "report.all_documents": ("全部文档", "All documents"),
    "report.cloud.topic": ("主题 {group}", "Topic {group}"),
    "report.cloud.theme": ("议题 {group}", "Theme {group}"),
    "chart.topic_trends": ("主题占比随时间变化", "Topic shares over time"),
    "chart.sentiment": ("各主题情感分布", "Sentiment by topic"),
    "chart.theme_trends": ("议题覆盖率随时间变化", "Theme prevalence over time"),
    "chart.small_multiples": ("每个主题的占比趋势（各自的纵轴）", "Every topic's share over time (each on its own scale)"),
    "chart.theme_topic": ("议题 × 主题：提及议题的文档占主题的比例",
                          "Theme × topic: the share of a topic's documents that mention the theme"),
    "report.source_summary": ("各来源：文档数、平均情感与最大的主题；来源 × 主题的完整表见 sources.csv。",
                              "Per source: documents, mean sentiment and largest topics; the full source × "
                              "topic table is sources.csv."),
    "report.recent_periods": ("最近 {shown} 个时段（共 {total} 个）；“全程走势”按时间顺序画出全部时段，每格为相邻时段的平均，"
                              "从该行最低（▁）到最高（█），按表中的精度；完整表见 {file}。",
                              "The last {shown} of {total} periods; the whole-span line draws every period in "
                              "time order, each cell the mean of neighbouring periods, from the row's lowest (▁) "
                              "to its highest (█) at the table's precision; every period is in {file}."),
    "report.source_summary_no_topics": ("各来源：文档数与平均情感（主题未拟合，没有来源 × 主题表）。",
                                        "Per source: documents and mean sentiment (no topics were fitted, "
                                        "so there is no source × topic table)."),
    # catch-all topics and emotions
    "report.generic_note": ("标为“泛谈主题”的是用词宽泛、不指向具体事件的综合主题：每张主题表都把它们排在其他主题之后，"
                            "未归入主题（−1）最后。",
                            "Topics marked Generic are broad catch-all topics with no particular story: every "
                            "topic table lists them after the other topics, and unassigned documents (−1) last."),
    "report.emotions": ("情绪", "Emotions"),
    "column.top_emotion": ("主要情绪", "Top emotion"),
    "report.emotions_note": ("各组文档中每种情绪（emotion_label，模型判定的最可能情绪）的占比；按时段、议题与来源的分组见 "
                             "emotion_shares.csv，按主题与时段见 emotion_by_topic_period.csv。",
                             "The share of each emotion (emotion_label, the model's most probable emotion) among "
                             "a group's documents; by period, theme and source in emotion_shares.csv, by topic and "
                             "period in emotion_by_topic_period.csv."),
    # values of the run table, shown in the report (run.csv keeps them in English)
    "run.no_dates": ("没有文档带日期", "no document has a date"),
    "run.picked": ("按时间范围自动选择", "picked from the date range"),
    "run.given": ("由选项指定", "given"),
    "run.from_export": ("沿用 export --period", "from export --period"),
    "run.from_topics": ("沿用 topics --period", "from topics --period"),
    "run.not_installed": ("未安装", "not installed"),
    "run.found": ("已找到", "found"),
    "run.missing": ("未找到：请运行 {command}", "missing: run {command}"),
    "run.input_rows": ("读入 {read} 行，载入 {loaded} 行，拒收 {rejected} 行",
                       "{read} rows read, {loaded} loaded, {rejected} rejected"),
    "run.key_exact_left_out": ("{key}（不含完全重复）", "{key} (exact duplicates left out)"),
    "run.key_exact_included": ("{key}（含完全重复）", "{key} (exact duplicates included)"),
    "run.note_undated": ("无日期的文档不计入按时段的表；议题趋势另列一栏“无日期文档”",
                         "documents without a date are left out of the per-period tables; theme trends "
                         "give them a column of their own"),
    "run.note_no_topics": ("主题表为空；来源与情感按全部文档计算",
                           "topic tables are empty; sources and sentiment are over all documents"),
    # definitions of the derived columns: run.csv keeps the English, the report shows the reader's
    "definition.period": ("日期所在的日、周（周一至周日）或月的第一天",
                          "first day of the day, week (Monday to Sunday) or month holding the date"),
    "definition.share": ("主题的文档数 / 有主题编号的全部文档数（含未归入主题的 −1，合计 100%；topics_over_time 中：该时段内）",
                         "documents of the topic / every document with a topic_id, topic −1 included (the column adds "
                         "up to 100%; in topics_over_time: of that period)"),
    "definition.trend": ("最近 k 个时段中该主题的文档数 / 这些时段的全部文档数，除以之前 k 个时段的同一比例再 − 1"
                         "（合并计算，不是各时段占比的平均），k = min({window}, 时段数 // 2)；文档数不到中位时段十分之一的"
                         "小时段并入所在窗口，但不算作 k 个时段之一；≥ +{threshold} 为上升，≤ −{threshold} 为下降，且须超出偶然"
                         "（两比例 z 检验，p < 0.05），否则平稳；某一窗口内该主题的文档少于 {min_docs} 篇视为未出现："
                         "new（新出现）= 之前所有时段均未出现，"
                         "gone（已消失）= 最近 k 个时段之前出现而其中未出现（−100%），too_few = 少于 2 个时段或文档太少",
                         "the topic's documents in the last k periods / all documents in them, over the same pooled "
                         "share of the k periods before, - 1 (pooled, not a mean of period shares), k = min({window}, "
                         "periods // 2); a tiny period (under a tenth of the median period's documents) joins its "
                         "window without counting as one of its k periods; rising >= +{threshold}, fading <= "
                         "-{threshold}, each only beyond chance (two-proportion z-test, p < 0.05), else stable; a "
                         "window with under {min_docs} of the topic's documents counts as absent: new = absent in "
                         "every period before, gone = present before the last k periods "
                         "and absent in them (-100%), too_few = under 2 periods or too few documents"),
    "definition.mean_sentiment": ("sentiment_score 的平均值（正面的概率，0..1）",
                                  "mean sentiment_score (probability of positive, 0..1)"),
    "definition.label_auto": ("主题模型自己给的标签；主题被改名（opinion topics edit）后 label 与它不同",
                              "the topic model's own label; label differs when the topic was renamed "
                              "(opinion topics edit)"),
    "definition.merged_from": ("该主题包含的主题模型编号：合并后有多个；主题 −1 中为被删除的主题",
                               "the topic model's ids in this topic: several after a merge; in topic -1 the "
                               "dropped ones"),
    "definition.prevalence": ("至少命中一次该议题的文档数 / 该时段的文档数",
                              "documents with at least one hit of the theme / documents of the period"),
    "definition.lift": ("主题中提到该议题的文档占比 / 全部文档中提到它的占比",
                        "share of the topic's documents mentioning the theme / share of all documents"),
    "definition.excerpt": ("text_clean（没有则 text_raw）的前 80 个字符，写在一行：按文档自身的文字写出，"
                           "报告所用文字不同时转换",
                           "first 80 characters of text_clean (else text_raw) on one line: as written in the "
                           "document's own script, converted when the report script differs"),
    "definition.duplicates": ("文本与更早某篇文档完全相同的文档（duplicate_of，载入时标记）",
                              "documents whose text repeats an earlier document's exactly (duplicate_of, set at "
                              "load)"),
    "definition.near_duplicates": ("属于另一篇文档（保留的那篇，即最早发布的；near_duplicate_of，由 prepare 标记）的"
                                   "近似重复簇、且不是完全重复的文档",
                                   "documents in the near-identical cluster of another document, the one kept (the "
                                   "earliest published; near_duplicate_of, set by prepare), that are not exact "
                                   "duplicates"),
    "definition.spam": ("由 prepare 标记为 is_spam 的文档（spam_score 达到其阈值）；垃圾帖也可能是重复帖",
                        "documents flagged is_spam by prepare (spam_score at or above its threshold); a spam post "
                        "may also be a duplicate"),
}
