"""Everyday words: chatter that says nothing about a subject, and page furniture.

The shipped stopword lists (Stopwords ISO) keep words such as 没有, 真的, 知道, 觉得, 很多 and
the A-not-A questions (有没有, 是不是), since they carry sentiment and style; they are in every
period, topic and community of a Weibo corpus and say nothing about any of them. Weibo furniture (转发, 网页链接) and news
furniture (原标题, 记者, 责任编辑: a page's byline, not its subject) are here too, and the photo
tags of news titles (组图, 高清组图, 图文, 附图, 多图: 组图 is in 89 of 3,000 THUCNews titles; since
2026-12-07, after an entertainment topic was labelled 组图).

Topic labels never lead with them (:mod:`opinion.topics.labels`), and keyword lists,
co-occurrence networks and word clouds leave them out unless asked to show them
(``--everyday-words``). Words are in Simplified, the analysis script.

Example: ``"没有" in EVERYDAY_WORDS and "口罩" not in EVERYDAY_WORDS``.
"""

from __future__ import annotations

EVERYDAY_WORDS = frozenset("""
真的 知道 没有 觉得 很多 现在 今天 明天 昨天 大家 一个 什么 还是 就是 已经 可以 不是 我们 你们
他们 自己 这个 那个 这样 那样 时候 一下 一起 希望 感觉 看到 怎么 为什么 出来 起来 一定 还有
所以 因为 但是 如果 然后 而且 东西 事情 问题 一直 一样 不要 需要 应该 可能 能够 其实 确实 特别
非常 真是 好像 只是 还要 不会 不能 没事 一点 有点 每天 开始 地方 朋友 好的 时间 之后 以后 以前
之前 最后 结果 认为 表示 发现 真正 怎么办 这种 那种 这些 那些 一些 这么 那么 怎样 如何 哪里 哈哈 哈哈哈 哈哈哈哈 啊啊啊 呜呜 嘻嘻 转发 微博 视频
网页 链接 网页链接 全文 展开 收起 评论 分享 关注 原图 秒拍 哈哈哈哈哈
有没有 是不是 能不能 会不会 要不要 好不好 对不对 可不可以 行不行
有人 每个 第一次 记得 原标题 标题 记者 报道 来源 编辑 责编 责任编辑 通讯员 本报 讯 点击 原文
组图 高清组图 图文 附图 多图
""".split())
