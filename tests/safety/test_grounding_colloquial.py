"""Grounding on lay speech (issue 13 item 8): a correct clinical rendering of what a patient said is not
flagged; a planted error is. The dialogue is hand-written (合成 synthetic), not from the demo generator."""

from __future__ import annotations

import pytest

from yizhu.clinical.notes.verify import sources_from_text
from yizhu.safety.grounding import GroundingChecker

VISIT = """医生：哪里不舒服？
患者：后脑勺疼，疼了五年了，这两天厉害了，昨天还吐了两次。
医生：拉肚子吗？发烧吗？
患者：没拉，也不发烧。今天没吐。
医生：平时吃什么药？
患者：吃拜新同，一天一片，一片30毫克。
医生：在家量血压多少？
患者：高压160低压95左右。
医生：今天量的是158/96，心跳88。血常规白细胞7.8，CRP 18。
医生：三天后回来复查。
"""

CASES = [
    ("枕部头痛5年。", "supported"),
    ("头痛位于枕部，近2天加重。", "supported"),
    ("1天前呕吐2次。", "supported"),
    ("今日无呕吐。", "supported"),
    ("无腹泻，无发热。", "supported"),
    ("口服硝苯地平30mg qd。", "supported"),
    ("家庭自测血压约160/95mmHg。", "supported"),
    ("BP 158/96mmHg，HR 88次/分。", "supported"),
    ("WBC 7.8×10^9/L，CRP 18mg/L。", "supported"),
    ("3天后复诊。", "supported"),
    # planted errors
    ("额部头痛5年。", "contradicted"),
    ("枕部头痛3年。", "contradicted"),
    ("呕吐3次。", "contradicted"),
    ("伴腹泻。", "contradicted"),
    ("伴发热。", "contradicted"),
    ("口服硝苯地平30mg bid。", "contradicted"),
    ("口服氨氯地平5mg qd。", "contradicted"),
    ("BP 150/90mmHg。", "contradicted"),
    ("HR 98次/分。", "contradicted"),
    ("CRP 81mg/L。", "unsupported"),
    ("1周后复诊。", "contradicted"),
]


@pytest.fixture(scope="module")
def checker() -> GroundingChecker:
    return GroundingChecker(sources_from_text(VISIT))


@pytest.mark.parametrize(("sentence", "expected"), CASES)
def test_lay_speech_against_clinical_wording(checker: GroundingChecker, sentence: str, expected: str) -> None:
    verdict = checker.check(sentence)
    assert verdict.status == expected, (sentence, verdict.reasons)


def test_evidence_points_at_the_words_as_said(checker: GroundingChecker) -> None:
    v = checker.check("今日无呕吐。")
    assert any(e.text in ("没吐", "吐") for e in v.evidence), v.evidence


def test_unit_less_values_in_a_draft_after_a_lab_name_are_checked() -> None:
    ch = GroundingChecker(sources_from_text("医生：今天INR是2.3，心率76。\n"))
    assert ch.check("INR 2.3。").status == "supported"
    assert ch.check("INR 3.2。").status == "unsupported"


def test_spoken_numbers_and_measures() -> None:
    ch = GroundingChecker(sources_from_text("患者：歇一歇三五分钟就好，咳了十来天，最高烧到39度2。\n"))
    for ok in ("休息3-5分钟可缓解。", "咳嗽10余天。", "体温最高39.2℃。"):
        assert ch.check(ok).status == "supported", ok
    assert ch.check("体温最高40.2℃。").status == "contradicted"
