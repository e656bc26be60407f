"""Routing classes found after the fifth blind set was measured (written in our own words, none copied from a
blind case): a known lesion whose treatment is an operation goes to the organ's surgical department; low mood
with loss of interest, crying and poor sleep goes to 精神心理科 before 神经内科; something coming out of the anus
with blood on the paper is 肛肠外科, not a skin lump. Look-alikes keep their department. All texts are synthetic."""

from __future__ import annotations

import pytest

from yizhu.clinical.triage import run_triage


def first(text: str, age: float | None = None) -> str:
    out = run_triage(text, age=age, use_model=False, use_llm=False)
    assert out["urgency"] != "emergency" and not out["red_flags"]
    return out["departments"][0]["name"]


@pytest.mark.parametrize(("text", "age", "dept"), [
    ("体检做了个头颅核磁，说右边额头那里有个脑膜瘤两公分，医生说可以观察也可以做手术，该挂哪个科", 58, "神经外科"),
    ("我妈脑子里长了个垂体瘤，视力越来越差，想问问手术的事", 62, "神经外科"),
    ("去年体检肺上有个结节8毫米，今年复查长到12毫米了，呼吸科让我看看要不要切", 50, "胸外科"),
    ("肺部磨玻璃结节，医生建议微创手术切除", 45, "胸外科"),
    ("最近一个多月晚上睡不着，早上四点就醒，干什么都提不起兴趣，动不动就想哭", 35, "精神科"),
    ("心情不好，老想哭，睡不好", 28, "精神科"),
    ("拉完大便纸上有鲜血，屁股那里有个肉疙瘩掉出来，要用手推回去", 46, "肛肠外科"),
])
def test_the_class_goes_to_its_department(text: str, age: float, dept: str) -> None:
    assert first(text, age) == dept


@pytest.mark.parametrize(("text", "age", "dept"), [
    ("肺结节5毫米，医生说一年后复查就行，没啥症状", 40, "呼吸内科"),  # a stable nodule under watch is not surgical
    ("咳嗽两周，拍片说肺上有点阴影，是肺炎", 40, "呼吸内科"),
    ("身上起了个肉疙瘩，不疼不痒", 30, "皮肤科"),
])
def test_look_alikes_keep_their_department(text: str, age: float, dept: str) -> None:
    assert first(text, age) == dept
