"""Phone numbers in the contacts step, on real posts of the shared Weibo corpus."""

from __future__ import annotations

import pytest

from opinion.text.contacts import replace_phones


@pytest.mark.parametrize("text_in, text_out", [
    # real posts (shared/data/weibo/covid19_weibo_2020): spaced, dashed and bracketed numbers
    ("添加课程老师卫星：135 3870 2427，添加时备注", "添加课程老师卫星：<PHONE>，添加时备注"),
    ("直接负责人 齐经理187 5502 5868，在确认需求后", "直接负责人 齐经理<PHONE>，在确认需求后"),
    ("座机：（021）53521907 手机：133-2189-6118", "座机：<PHONE> 手机：<PHONE>"),
    ("+86 138 0013 8000", "<PHONE>"), ("vx18941020705【新年游戏】", "vx<PHONE>【新年游戏】"),
    ("电话010-12345678", "电话<PHONE>"), ("拨打400-011-9001", "拨打<PHONE>"),
])
def test_contacts_phones_in_groups_and_brackets(text_in, text_out):
    assert replace_phones(text_in) == text_out


@pytest.mark.parametrize("text", [
    "游遍云南公众微信号：Y4000119001",  # a WeChat name (weibo_emotion_nlpcc2013.csv), not a service number
    "2020-01-24", "13.8万", "订单号 138001380001234", "138 0013-8000", "ISBN 978-7-115-42802-8",
])
def test_contacts_phones_leave_names_and_numbers(text):
    assert replace_phones(text) == text
