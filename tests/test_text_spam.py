"""Spam scores: scrambled text, campaign templates, hashtag-only posts (real Weibo shapes)."""

from __future__ import annotations

import random

import numpy as np
import pytest

from opinion.text.spam import SpamSettings, dictionary_pair_share, lead_template, spam_scores

# A real #每日一善# bot post of the 620k Weibo corpus (1.20–4.7, GB18030), cut to 120 characters,
# and real ordinary posts from the same corpus.
BOT = ("#每日一善#  #阳光信用# 的方式是为用的户私隐加密，避未免第授权方三查到隐信私息。比特币以和太坊用的所"
       "加密技术开是源放开密的加技术，属于常见加的密技术，而比特以币和坊太未并用这加一密术去技用户给隐的私息信加密")
ORDINARY = [
    "#武汉发来的快递不用拒收#这两天还在想要网购嘛，现在可以安心下单了 ?",
    "#受疫情影响暂无收入可延后还房贷#本来还在担忧什么时候才能出去打工还房贷了，这下没了后顾之忧了 ?",
    "#海南首例新型肺炎病例死亡#希望各个地方的都严格把控特别是三亚、海口的出站口可以的话个别车辆、高铁、飞机停一下吧别再出事了 ?",
]


def test_spam_dictionary_pairs_drop_when_characters_are_shuffled():
    share, pairs = dictionary_pair_share(["今天天气很好，我们出去走走吧", "天今气天很好，们我去出走走吧", "", "ABC"])
    assert pairs.tolist() == [12, 12, 0, 0]
    assert share[0] > share[1]
    assert share[2] == 1.0  # nothing to judge: never scrambled


def test_spam_lead_template():
    assert lead_template("#每日一善#  #阳光信用# 区链块") == "#每日一善##阳光信用#"
    assert lead_template("今天 #武汉加油#") == ""


def test_spam_campaign_template_needs_many_scrambled_posts():
    rng = random.Random(0)
    body = BOT.split("# ", 2)[-1]

    def shuffled() -> str:
        chars = list(body)
        rng.shuffle(chars)
        return "#每日一善#  #阳光信用# " + "".join(chars)

    campaign = [shuffled() for _ in range(25)]
    ordinary = [f"#武汉加油# {t}" for t in ORDINARY * 10]  # a tag shared by 30 ordinary posts
    scores = spam_scores(campaign + ordinary)
    assert (scores[:25] == 1.0).all()  # every post of the campaign
    assert (scores[25:] == 0.0).all()
    few = spam_scores(campaign[:5] + ORDINARY)  # 5 posts are not a campaign
    assert (few[5:] == 0.0).all() and few[:5].max() <= 1.0


@pytest.mark.parametrize("text, spam", [
    ("#湖北司机被困高速一周# ?", True),  # hashtags only
    ("#中国发布新冠肺炎疫情纪事#", True),
    ("#全国累计确诊新冠肺炎70548例# 加油", True),  # two letters of its own
    (ORDINARY[0], False),
    ("今天天气很好", False),
    ("", False),
])
def test_spam_hashtag_only_posts(text, spam):
    score = spam_scores([text])[0]
    assert (score >= SpamSettings().threshold) == spam
    assert 0.0 <= score <= 1.0


def test_spam_repeated_phrase_scores_high_but_ordinary_posts_do_not():
    repeated = "#一确诊病例20多天体温无异常#" + "我怕了" * 40
    scores = spam_scores([repeated, *ORDINARY])
    assert scores[0] >= 0.5 and np.all(scores[1:] < 0.5)


@pytest.mark.parametrize("text, spam", [
    # product listings from the COVID-19 Weibo posts (2026-12-05), shortened
    ("#意大利宣布进入国家紧急状态# 卡丹路毛衣男韩版潮流打底衫 【70元券】微博专享限时领券", True),
    ("小苏打牙膏205g【16.9元（需用券）】 ：原价19.9元【券后16.9元】包邮", True),
    ("【24.90】 兰威篮球正品室外耐磨 每款优惠就这几天 领券下单", True),
    # a price alone, a coupon alone: opinion, not an ad
    ("口罩原价10元现在卖50元，黑心商家！", False),
    ("3月4日晚8点来苏菲直播间，苏菲还为你准备了陆战队专属粉丝优惠券哦！", False),
    ("瑞幸拿美国投资人的钱给国内送优惠券和免费咖啡", False),
])
def test_spam_coupon_ads_need_a_coupon_and_a_price(text, spam):
    assert bool(spam_scores([text])[0] >= SpamSettings().threshold) is spam
