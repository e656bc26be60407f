"""Urgent signs (red_flags.yaml ``urgent``): findings that must be seen today though not by ambulance —
suspected appendicitis, a fracture, something in the eye, renal colic, a scald with blisters, sudden
deafness. Each sends to the department that treats it and sets urgency ``urgent``; a large burn is a red flag.
Texts are synthetic, written for these tests."""

from __future__ import annotations

import pytest

from yizhu.clinical.triage import run_triage


def triage(text: str) -> dict:
    return run_triage(text, use_model=False)


@pytest.mark.parametrize(("text", "dept"), [
    ("从胃那块开始疼，后来疼到右下腹去了，按一下就疼得叫", "外科"),
    ("骑车摔了，脚踝肿得老高，脚都歪了，不敢动", "骨科"),
    ("切割钢板时一块金属碎片飞进眼睛里", "眼科"),
    ("右边腰疼一阵一阵的，尿是红的，以前有结石", "泌尿"),
    ("做饭被热油烫了手背，起了几个水泡", "烧伤"),
    ("昨天睡醒左耳朵忽然听不到声音了", "耳"),
])
def test_an_urgent_sign_is_urgent_and_reaches_its_department(text: str, dept: str) -> None:
    out = triage(text)
    assert out["urgency"] == "urgent"
    assert not out["red_flags"]
    assert any(dept in d["name"] for d in out["departments"][:3]), out["departments"]


def test_a_large_scald_is_an_emergency() -> None:
    out = triage("孩子三岁，被热汤烫伤了，后背一大片都红了")
    assert out["urgency"] == "emergency"
    assert "rf:major_burn" in {f["id"] for f in out["red_flags"]}


@pytest.mark.parametrize("text", [
    "右下腹偶尔有点隐隐不舒服，没什么别的",
    "手腕有点酸，打字多了就不舒服",
    "眼睛有点干涩，看手机久了",
    "耳朵里有点痒",
])
def test_look_alikes_stay_routine(text: str) -> None:
    assert triage(text)["urgency"] == "routine"
