"""Red flags told in lay words: words between the parts of a finding (胸口…压), a drenching sweat with chest
tightness, tearing chest/back pain, a bottle of tablets swallowed, and a "when" told today. Each class has
its look-alikes that must stay calm. Texts are synthetic, written for these tests."""

from __future__ import annotations

import pytest

from yizhu.clinical.triage import run_triage
from yizhu.clinical.triage.knowledge import current, is_historical, locate


def flags(text: str) -> set[str]:
    out = run_triage(text, use_model=False)
    ids = {f["id"] for f in out["red_flags"]}
    assert (out["urgency"] == "emergency") == bool(ids)
    return ids


def test_a_gapped_term_matches_within_one_clause_only() -> None:
    assert locate("胸口跟压了东西似的", "胸口…压") == (0, 4)
    assert locate("胸口还好，后来压到了手", "胸口…压") == (-1, -1)  # a comma ends the clause
    assert locate("胸口一二三四五六七八九压", "胸口…压") == (-1, -1)  # more than eight characters between


@pytest.mark.parametrize(("text", "flag"), [
    ("爸爸说胸口好像被什么东西压住了，额头全是冷汗", "rf:acs"),
    ("我外公八十岁，心口闷得难受，衣服都被汗湿了，出了一身汗", "rf:acs"),
    ("晚上突然后背像撕裂一样疼，一直往下走", "rf:aortic_dissection"),
    ("早上起床头一下子像要炸开，从来没这么疼过", "rf:thunderclap_headache"),
    ("喝完酒吐了一大口血，颜色很红", "rf:gi_bleed"),
    ("爷爷这几天屎都是黑的，黏糊糊", "rf:gi_bleed"),
    ("被蜜蜂蛰了以后嘴唇越来越肿，喘气呼哧呼哧", "rf:anaphylaxis"),
    ("他把一整瓶降压药都吞了", "rf:poisoning"),
])
def test_lay_wordings_of_an_emergency_fire(text: str, flag: str) -> None:
    assert flag in flags(text)


@pytest.mark.parametrize("text", [
    "胸口闷，叹口气就好点，没有出汗",
    "跑完步出了一身汗，腿有点酸",
    "手指被纸撕开一个小口子",
    "头疼了三天，是那种闷闷的疼",
    "刷牙的时候牙龈出点血",
    "吃了一片安眠药还是睡不着",
    "买了一瓶维生素",
    "嘴唇干裂起皮",
])
def test_look_alikes_stay_calm(text: str) -> None:
    assert flags(text) == set()


def test_today_brings_a_when_clause_back_to_now() -> None:
    text = "今天下楼的时候晕过去了"
    assert not is_historical(text, text.index("晕过去"))
    assert current(text, ["晕过去"])


def test_far_past_history_still_does_not_count() -> None:
    text = "去年有一次晕过去了"
    assert is_historical(text, text.index("晕过去"))
    text = "我有胃病好几年了，今天吐了一口血"
    assert not is_historical(text, text.index("吐了"))
