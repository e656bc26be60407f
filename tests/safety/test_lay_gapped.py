"""Lay findings said in two parts with words between them (synthetic sentences, written for these tests)."""

from __future__ import annotations

from yizhu.safety.entities import extract, gapped_mentions, lay_gapped
from yizhu.safety.grounding import SourceText, check_sentence


def _split(text: str) -> list[tuple[str, str, bool]]:
    return [(m.text, m.concept, m.negated) for m in gapped_mentions(text, extract(text))]


def test_table_is_valid_and_names_its_source():
    table = lay_gapped()
    assert table.entries and "诊断学" in table.source


def test_place_and_symptom_with_words_between_are_one_finding():
    (m,) = _split("孕妇说早上起来下面有好些鲜红的血")  # synthetic
    assert m[1] == "sym:vaginal_bleeding" and not m[2]
    (m,) = _split("小孩说肚子一抽一抽地疼")  # synthetic
    assert m[1] == "sym:abdominal_pain"


def test_a_denial_before_the_place_denies_the_finding():
    (m,) = _split("没发现下面有血")  # synthetic
    assert m[1] == "sym:vaginal_bleeding" and m[2]


def test_parts_in_different_clauses_or_too_far_apart_are_not_joined():
    assert _split("下面那个药店关门了，血压没量") == []  # synthetic: comma between the parts
    assert _split("肚子前天晚上吃了好多好多好多东西以后疼") == []  # synthetic: the gap is too long
    assert _split("小便化验血糖高") == []  # synthetic: 血糖 is a test, not blood in urine


def test_grounding_supports_a_clinical_sentence_from_split_speech():
    src = [SourceText("turn:2", "前天开始下面有一点点暗红的血，肚子不疼。", speaker="patient")]  # synthetic
    assert check_sentence("2天前出现少量阴道流血，无腹痛。", src).status == "supported"
    # the same words do not support the opposite
    assert check_sentence("无阴道流血。", src).status == "contradicted"


def test_a_site_specific_pain_is_supported_by_a_pain_with_that_site_in_the_same_turn():
    said = [SourceText("turn:2", "右边肋骨下面这一块，从早上开始疼。", speaker="patient")]  # synthetic
    assert check_sentence("右上腹痛。", said).status == "supported"
    after = [SourceText("turn:2", "肚子疼，左下腹那块。", speaker="patient")]  # synthetic: the site after the pain
    assert check_sentence("左下腹痛。", after).status == "supported"
    assert check_sentence("右下腹痛。", after).status != "supported"  # the other side is not supported
    assert check_sentence("头痛。", after).status != "supported"  # nor another site


def test_what_a_doctor_states_around_a_question_is_a_claim_and_the_answer_answers_only_the_question():
    turns = [SourceText("turn:5", "血压量了没有？心率80，双肺没有啰音。", speaker="doctor"),  # synthetic
             SourceText("turn:6", "没有。", speaker="patient")]
    assert check_sentence("双肺未闻及啰音。", turns).status == "supported"
    turns = [SourceText("turn:3", "诊断是痛风。平时有没有胸闷？", speaker="doctor"),  # synthetic
             SourceText("turn:4", "没有。", speaker="patient")]
    assert check_sentence("痛风。", turns).status == "supported"
    assert check_sentence("无胸闷。", turns).status == "supported"


def test_a_route_of_giving_a_drug_is_not_a_finding_and_bleeding_at_a_named_site_is_read_from_lay_words():
    turns = [SourceText("turn:2", "骑车摔了，右手手背蹭破了，血流了不少。", speaker="patient"),  # synthetic
             SourceText("turn:3", "给你打一针破伤风，皮试阴性。", speaker="doctor")]
    assert check_sentence("破伤风抗毒素皮试阴性后肌注。", turns).status == "supported"
    assert check_sentence("右手背出血。", turns).status == "supported"
    assert check_sentence("鼻出血。", turns).status != "supported"  # a site nobody named
