"""The grounding check as a specification: a table of sentences against a fixed source.

Every row is (sentence, expected status). The adversarial rows are the ways a drafting model goes
wrong: a negation flipped, a number or duration changed, the side swapped, a look-alike drug, a
date moved, a symptom invented. Sources are synthetic (合成).
"""

from __future__ import annotations

import time

import pytest

from yizhu.safety.grounding import GroundingChecker, SourceText, check_sentence, cn_number, split_sentences

DIALOGUE = [
    SourceText("turn:1", "哪里不舒服？", speaker="doctor"),
    SourceText("turn:2", "我咳嗽三天了，左膝疼痛，有点头晕。", speaker="patient"),
    SourceText("turn:3", "有没有发烧？", speaker="doctor"),
    SourceText("turn:4", "没有。", speaker="patient"),
    SourceText("turn:5", "胸闷吗？", speaker="doctor"),
    SourceText("turn:6", "有，爬楼的时候。", speaker="patient"),
    SourceText("turn:7", "平时在吃什么药？", speaker="doctor"),
    SourceText("turn:8", "依那普利10mg，每天一次，还有阿糖胞苷。", speaker="patient"),
    SourceText("turn:9", "对什么药过敏吗？", speaker="doctor"),
    SourceText("turn:10", "没有过敏的。", speaker="patient"),
    SourceText("turn:11", "体温36.8℃，血压150/90mmHg，双下肢无水肿，右肺可闻及湿啰音。", speaker="doctor"),
]
NOTE = [
    SourceText("adm#主诉", "口干、多饮、多尿8年，加重4周。"),
    SourceText("adm#既往史", "高血压病史10年，口服氨氯地平5mg qd。否认糖尿病史。"),
    SourceText("enc:admitted_at", "2026-03-01 09:30"),
    SourceText("lab:1", "空腹血糖 15.3mmol/L↑（2026-03-01）"),
]

CASES = [
    # category, sentence, expected
    ("faithful", "咳嗽3天。", "supported"),
    ("faithful", "患者咳嗽三天。", "supported"),
    ("faithful", "无发热。", "supported"),
    ("faithful", "否认发烧。", "supported"),
    ("faithful", "活动后胸闷。", "supported"),
    ("faithful", "左膝疼痛。", "supported"),
    ("faithful", "口服依那普利10mg qd。", "supported"),
    ("faithful", "否认药物过敏史。", "supported"),
    ("faithful", "体温36.8℃，血压150/90mmHg。", "supported"),
    ("faithful", "双下肢无水肿。", "supported"),
    ("faithful", "右肺可闻及湿啰音。", "supported"),
    ("faithful", "口干、多饮、多尿8年，加重4周。", "supported"),
    ("faithful", "口干、多饮、多尿8年，加重1月。", "supported"),  # 4周 ≈ 1月 across units
    ("faithful", "于2026-03-01入院。", "supported"),
    ("faithful", "于2026年3月1日入院。", "supported"),
    ("faithful", "空腹血糖15.3mmol/L。", "supported"),
    ("faithful", "既往高血压10年，服用氨氯地平5mg。", "supported"),
    ("negation", "发热。", "contradicted"),
    ("negation", "有发热。", "contradicted"),
    ("negation", "无胸闷。", "contradicted"),
    ("negation", "无咳嗽。", "contradicted"),
    ("negation", "双下肢水肿。", "contradicted"),
    ("negation", "有药物过敏史。", "contradicted"),
    ("negation", "有糖尿病史。", "contradicted"),
    ("number", "咳嗽1周。", "contradicted"),
    ("number", "咳嗽5天。", "contradicted"),
    ("number", "体温38.6℃。", "contradicted"),
    ("number", "血压160/90mmHg。", "contradicted"),
    ("number", "口服依那普利20mg qd。", "contradicted"),
    ("number", "口干、多饮、多尿9年。", "contradicted"),
    ("number", "空腹血糖13.5mmol/L。", "contradicted"),
    ("number", "服用氨氯地平10mg。", "contradicted"),
    ("frequency", "口服依那普利10mg bid。", "contradicted"),
    ("laterality", "右膝疼痛。", "contradicted"),
    ("laterality", "左肺可闻及湿啰音。", "contradicted"),
    ("drug", "口服贝那普利10mg qd。", "contradicted"),
    ("drug", "服用阿糖腺苷。", "contradicted"),
    ("drug", "服用氨氯地平片5mg。", "supported"),
    ("drug", "服用硝苯地平5mg。", "contradicted"),
    ("drug", "加用阿托伐他汀20mg。", "unsupported"),
    ("date", "于2026-03-02入院。", "contradicted"),
    ("invented", "伴胸痛。", "unsupported"),
    ("invented", "伴恶心、呕吐。", "unsupported"),
    ("invented", "无腹痛。", "unsupported"),
    ("invented", "考虑急性心肌梗死。", "unsupported"),
    ("invented", "患者情绪低落，夜间难以入睡。", "unsupported"),
]


@pytest.fixture(scope="module")
def checker() -> GroundingChecker:
    return GroundingChecker(DIALOGUE + NOTE)


@pytest.mark.parametrize(("category", "sentence", "expected"), CASES, ids=[f"{c[0]}:{c[1]}" for c in CASES])
def test_sentence_status(checker: GroundingChecker, category: str, sentence: str, expected: str) -> None:
    verdict = checker.check(sentence)
    assert verdict.status == expected, verdict.reasons
    if expected == "supported":
        assert verdict.evidence, "a supported sentence names its evidence"
    else:
        assert verdict.reasons, "a flagged sentence says why"


def test_flagged_sentence_points_at_the_contradicting_span(checker: GroundingChecker) -> None:
    verdict = checker.check("咳嗽1周。")
    assert any(e.source == "turn:2" and e.text == "三天" for e in verdict.evidence)


def test_yes_no_answer_carries_the_question_as_evidence(checker: GroundingChecker) -> None:
    verdict = checker.check("无发热。")
    assert {e.source for e in verdict.evidence} == {"turn:3", "turn:4"}


def test_cited_span_first_then_the_rest_of_the_sources(checker: GroundingChecker) -> None:
    # cited the wrong turn: the fact is found elsewhere and the evidence points there
    verdict = checker.check("左膝疼痛。", [("turn:11", None, None)])
    assert verdict.status == "supported"
    assert verdict.evidence[0].source == "turn:2"


def test_a_question_alone_is_no_evidence() -> None:
    src = [SourceText("t1", "有没有胸痛？", speaker="doctor"), SourceText("t2", "不太清楚。", speaker="patient")]
    assert check_sentence("有胸痛。", src).status == "unsupported"
    assert check_sentence("无胸痛。", src).status == "unsupported"


@pytest.mark.parametrize(("text", "value"), [("三", 3), ("十二", 12), ("二十", 20), ("两", 2), ("半", 0.5), ("3.5", 3.5)])
def test_chinese_numerals(text: str, value: float) -> None:
    assert cn_number(text) == value


def test_sentences_keep_offsets_and_drop_list_numbers() -> None:
    text = "1. 2型糖尿病\n2. 高血压病。体温38.5℃。"
    spans = split_sentences(text)
    assert [text[a:b] for a, b in spans] == ["2型糖尿病", "高血压病。", "体温38.5℃。"]


def test_check_is_fast(checker: GroundingChecker) -> None:
    sentences = [c[1] for c in CASES] * 5
    t0 = time.perf_counter()
    for s in sentences:
        checker.check(s)
    per = (time.perf_counter() - t0) / len(sentences)
    assert per < 0.01, f"{per * 1000:.1f} ms per sentence"
