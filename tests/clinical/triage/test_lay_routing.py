"""Lay descriptions of a condition route to its specialty (departments.yaml, the block of lay descriptions):
an overactive thyroid, an enlarged prostate, Parkinson-like tremor, memory loss, positional vertigo, cloudy
vision, toothache, a breast lump, a groin bulge, frothy urine with puffy eyelids, morning sickness with
antenatal booking, anxiety. Texts are synthetic, written for these tests."""

from __future__ import annotations

import pytest

from yizhu.clinical.triage import run_triage


@pytest.mark.parametrize(("text", "dept", "rank"), [
    ("最近特别怕热，吃得多人却瘦了，脖子好像粗了一圈", "内分泌", 3),
    ("我外公晚上起夜三四次，尿线细，总觉得尿不尽", "泌尿", 1),
    ("我爸坐着不动的时候抖，走路变成小碎步了", "神经", 1),
    ("我奶奶最近记性差，出门好几次走丢了", "神经", 3),
    ("早上一翻身就天旋地转，过一会就好", "耳鼻", 3),
    ("右眼看东西越来越模糊，雾蒙蒙的", "眼科", 1),
    ("下面的大牙疼得整晚睡不着", "口腔", 1),
    ("左边乳房摸到一个硬硬的小疙瘩", "乳腺", 1),
    ("右边腹股沟站着时鼓出来，躺下就没了", "外科", 1),
    ("晨起眼皮肿，小便泡沫特别多", "肾", 3),
    ("怀孕10周了，想知道什么时候去建档产检", "产", 1),
    ("总是莫名焦虑，一紧张就心跳快", "精神", 3),
])
def test_a_lay_description_reaches_its_specialty(text: str, dept: str, rank: int) -> None:
    out = run_triage(text, use_model=False)
    assert any(dept in d["name"] for d in out["departments"][:rank]), out["departments"][:3]
    assert out["urgency"] == "routine" and not out["red_flags"]


@pytest.mark.parametrize("text", ["最近特别怕冷", "别人说我脸色发黄", "格外容易累"])
def test_words_holding_a_negation_character_do_not_negate(text: str) -> None:
    from yizhu.clinical.triage.knowledge import is_negated

    last = text[-2:]
    i = text.index(last)
    assert not is_negated(text, i, i + 2)


def test_morning_sickness_with_booking_goes_to_obstetrics_first() -> None:
    out = run_triage("怀孕八周，天天恶心吐，想问怎么建档", use_model=False)
    assert "产" in out["departments"][0]["name"]
