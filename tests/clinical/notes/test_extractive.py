"""The rule path end to end (no model): every note type drafts, traces and checks itself.

Specification: with no model the feature still works and says so (``degraded: no_llm``); every
sentence carries provenance spans that really are in its sources; the record's diagnoses (with
ICD-10) and medicines appear verbatim; nothing the dialogue did not say is written; QC runs.
"""

from __future__ import annotations

import pytest

from yizhu.clinical.notes import dialogue_context, draft_note, spec_for
from yizhu.clinical.notes.types import NoteDraft
from yizhu.core import ClinicalContext
from yizhu.errors import InputError


def _spans_are_real(draft: NoteDraft) -> None:
    texts = {s.id: s.text for s in draft.sources}
    for sec in draft.sections:
        for s in sec.sentences:
            assert s.provenance, f"{sec.name}: {s.text} has no provenance"
            for p in s.provenance:
                if p.kind == "span":
                    assert p.source in texts, p.source
                    assert 0 <= (p.start or 0) <= (p.end or 0) <= len(texts[p.source])


def test_outpatient_from_dialogue(transcript: str) -> None:
    d = draft_note("outpatient", dialogue_context(transcript), use_llm=False)
    assert d.degraded == ["no_llm"]
    assert [s.name for s in d.sections] == list(spec_for("outpatient").sections)
    _spans_are_real(d)
    by = {s.name: s for s in d.sections}
    chief = by["主诉"].sentences[0].text
    assert chief == "咳嗽伴发热3天" and len(chief) <= 20
    assert any(s.text == "无胸痛。" for s in by["现病史"].sentences)
    assert by["既往史"].sentences[0].text == "否认高血压、糖尿病病史。"
    assert by["过敏史"].sentences[0].text.startswith("青霉素过敏")
    assert by["初步诊断"].sentences[0].text == "急性支气管炎（J20.9）"
    assert any(p.kind == "citation" and p.source == "icd10:J20.9" for p in by["初步诊断"].sentences[0].provenance)
    assert any("阿莫西林" in s.text for s in by["处理意见"].sentences)
    assert d.counts()["contradicted"] == 0 and d.counts()["unsupported"] == 0
    # the QC engine saw the draft: the allergy/drug conflict is a finding shown with it
    assert any(f["rule_id"] == "qc.consistency.allergy_vs_drugs.v1" for f in d.findings)
    assert d.text.startswith("门诊病历") and "主诉：咳嗽伴发热3天" in d.text


def test_exam_is_left_empty_when_nothing_was_examined() -> None:
    talk = "医生：哪里不舒服？\n患者：头痛两天了。\n医生：先查个血常规。"
    d = draft_note("outpatient", dialogue_context(talk), use_llm=False)
    exam = next(s for s in d.sections if s.name == "体格检查")
    assert exam.sentences == [] and "未述及" in (exam.note or "")


def test_admission_note_from_dialogue_has_all_sections(transcript: str) -> None:
    d = draft_note("admission", dialogue_context(transcript), use_llm=False)
    assert [s.name for s in d.sections] == list(spec_for("admission").sections)
    _spans_are_real(d)


def test_preconsultation_record_is_used_first(transcript: str) -> None:
    pre = "预问诊记录\n主诉：咳嗽3天。\n现病史：3天前受凉后咳嗽，咳黄痰。"
    d = draft_note("outpatient", dialogue_context(transcript, pre_consultation=pre), use_llm=False)
    chief = d.sections[0].sentences[0]
    assert chief.text == "咳嗽3天。"
    assert chief.provenance[0].source == "preconsult#主诉"


def test_discharge_from_an_admission(admission_ctx: ClinicalContext) -> None:
    d = draft_note("discharge", admission_ctx, use_llm=False)
    assert [s.name for s in d.sections] == ["入院情况", "入院诊断", "诊疗经过", "出院诊断", "出院情况", "出院医嘱"]
    _spans_are_real(d)
    by = {s.name: s for s in d.sections}
    assert by["入院诊断"].origin == "record"
    for dx in admission_ctx.diagnoses:
        if dx.kind == "admission" and dx.code:
            assert any(s.text == f"{dx.text}（{dx.code}）" for s in by["入院诊断"].sentences)
    oral = [o for o in admission_ctx.medication_orders if o.route in ("po", "ih")]
    for o in oral:
        assert any(s.text.startswith(o.text.strip()) for s in by["出院医嘱"].sentences)
    assert by["入院情况"].sentences[0].text.startswith("患者因“")
    assert d.counts()["contradicted"] == 0
    assert d.qc["grade"] in ("甲", "乙", "丙")
    assert d.synthetic and "合成病历" in d.text


def test_progress_note_from_the_admission_note(admission_ctx: ClinicalContext) -> None:
    adm = admission_ctx.model_copy(update={"documents": [x for x in admission_ctx.documents if x.doc_type == "入院记录"]})
    d = draft_note("progress", adm, use_llm=False)
    assert [s.name for s in d.sections] == ["病例特点", "拟诊讨论", "诊疗计划"]
    assert all(s.sentences for s in d.sections)
    _spans_are_real(d)
    assert d.counts()["contradicted"] == 0


@pytest.mark.parametrize(("note_type", "make"), [
    ("outpatient", lambda: ClinicalContext()),
    ("progress", lambda: ClinicalContext()),
    ("discharge", lambda: ClinicalContext()),
])
def test_missing_input_says_what_to_give(note_type: str, make) -> None:
    with pytest.raises(InputError, match="INPUT"):
        draft_note(note_type, make(), use_llm=False)


def test_not_a_transcript_is_refused() -> None:
    with pytest.raises(InputError, match="医生"):
        dialogue_context("只是一段文字，没有说话人。")
