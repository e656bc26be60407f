"""Patient-safety classes of the rule-based draft (blind set 2 of tests/realworld/notes).

Every dialogue and record here is synthetic (合成), written for these tests; none copies a blind case.
Each test states one class: a negated finding never reads as present; a denied or excluded diagnosis is
never a diagnosis; ages in years+months, months and days are read whole; a one-line numbered diagnosis
list is split into items; a prohibition (禁用/避免/停用) is not an order.
"""

from __future__ import annotations

from functools import cache

import pytest

from yizhu.clinical.notes import dialogue_context, draft_note
from yizhu.clinical.notes.extractive import exam_wording
from yizhu.clinical.notes.types import NoteDraft


@cache
def _draft(kind: str, talk: str) -> NoteDraft:
    return draft_note(kind, dialogue_context(talk), use_llm=False)


def _sec(d: NoteDraft, name: str) -> str:
    return "".join(s.text for sec in d.sections if sec.name == name for s in sec.sentences)


def _all(d: NoteDraft) -> str:
    return "".join(s.text for sec in d.sections for s in sec.sentences)


# ── 1. a negated examination finding is never rendered as present ────────────────────────────────────
@pytest.mark.parametrize(("said", "record"), [
    ("双肺呼吸音清，没有听到干湿啰音", "未闻及干湿啰音"),
    ("心律齐，没听到杂音", "未闻及杂音"),
    ("两肺没听见哮鸣音", "未闻及哮鸣音"),
    ("心脏没有听到明显的收缩期杂音", "未闻及明显收缩期杂音"),
    ("双肺未闻及干、湿性啰音", "未闻及干、湿性啰音"),
    ("无胸膜摩擦音", "未闻及胸膜摩擦音"),
    ("腹部没摸到包块", "未触及包块"),
    ("颈部没有触及肿大淋巴结", "未触及肿大淋巴结"),
    ("皮肤没看到皮疹", "未见皮疹"),
])
def test_a_negated_finding_keeps_its_negation(said: str, record: str):
    out = exam_wording(said)
    assert record in out
    assert "可闻及" not in out


@pytest.mark.parametrize(("said", "record"), [
    ("右下肺湿啰音", "右下肺可闻及湿啰音"),
    ("双肺可以听到少量干湿啰音", "双肺可闻及少量干湿啰音"),
    ("左肺没有干啰音，右肺听见湿啰音", "左肺未闻及干啰音，右肺可闻及湿啰音"),
])
def test_a_present_finding_is_heard_only_in_its_own_clause(said: str, record: str):
    assert exam_wording(said) == record


def test_a_denied_auscultation_finding_in_a_dialogue_is_denied_in_the_exam():
    talk = """医生：哪里不舒服？
患者：咳嗽4天了，有白痰。
医生：我听一下。双肺呼吸音稍粗，没有听到干湿啰音，心脏也没听到杂音。
医生：考虑急性上呼吸道感染，多喝水，一周不好再来。"""
    d = _draft("outpatient", talk)
    exam = _sec(d, "体格检查")
    assert "未闻及干湿啰音" in exam and "未闻及杂音" in exam
    assert "可闻及" not in _all(d)
