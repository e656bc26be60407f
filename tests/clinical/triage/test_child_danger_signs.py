"""A child's danger signs (WHO IMCI general danger signs; severe dehydration): refusing all feeds or vomiting
everything, no urine for half a day, lethargy — an emergency in a child, whether the age is given or the words
say it is a child; not a red flag in an adult's words. Texts are synthetic, written for these tests."""

from __future__ import annotations

import pytest

from yizhu.clinical.triage import run_triage


def flags(text: str, age: float | None = None) -> list[str]:
    return [f["id"] for f in run_triage(text, age=age, use_model=False, use_llm=False)["red_flags"]]


@pytest.mark.parametrize(("text", "age"), [
    ("孩子拉肚子两天，今天开始不吃不喝", None),
    ("宝宝吐了一天，喂什么吐什么", None),
    ("儿子3岁，发烧拉肚子，尿不湿一直是干的，快一天了", None),
    ("拉肚子，半天没尿了", 1.5),
    ("感冒发烧，今天一直昏睡，抱起来软绵绵的", 2),
])
def test_danger_signs_in_a_child_are_an_emergency(text: str, age: float | None) -> None:
    out = run_triage(text, age=age, use_model=False, use_llm=False)
    assert "rf:child_danger_signs" in [f["id"] for f in out["red_flags"]] and out["urgency"] == "emergency"


@pytest.mark.parametrize(("text", "age"), [
    ("最近压力大，不吃不喝，没胃口", None),  # an adult's words
    ("孩子不吃不喝好几天了，在外地上大学", 20),  # a grown-up child
    ("孩子4岁，青菜一口不吃，挑食", 4),
    ("宝宝拉肚子，尿量和平时差不多，精神挺好", 1),
])
def test_look_alikes_are_not(text: str, age: float | None) -> None:
    assert "rf:child_danger_signs" not in flags(text, age)
