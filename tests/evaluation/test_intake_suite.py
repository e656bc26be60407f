"""``yizhu eval run intake``: scripted personas answer the 预问诊 from their case files. The shipped cases are
synthetic and written by the engine's author (a consistency check, not a blind figure)."""

from __future__ import annotations

from pathlib import Path

from yizhu.config import Settings
from yizhu.evaluation.runner import run_suite
from yizhu.evaluation.suites import get_suite
from yizhu.evaluation.suites.intake import Persona, _fits


def test_the_shipped_personas_run_and_every_red_flag_stops(tmp_path: Path, settings: Settings) -> None:
    o = run_suite("intake", out=tmp_path / "run", settings=settings)
    (m,) = o.report.models
    met = m.summary.metrics
    assert met["red_flag_sensitivity"].value == 1.0 and met["red_flag_sensitivity"].n >= 5
    assert met["red_flag_specificity"].value == 1.0
    assert met["median_questions"].value <= 12
    assert met["completeness"].value >= 0.9


def test_a_persona_taps_what_it_knows_and_writes_the_rest() -> None:
    p = Persona({"associated_yes": ["心慌", "晚上出汗很多"], "duration": "三天了"})
    q = {"id": "associated", "kind": "multi", "options": [
        {"id": "palpitation", "label": "心慌", "exclusive": False}, {"id": "nil", "label": "以上都没有", "exclusive": True}]}
    assert p.answer(q, "胸口疼") == {"options": ["palpitation"], "text": "晚上出汗很多"}
    assert p.answer({"id": "duration", "kind": "duration", "options": []}, "") == {"text": "三天了"}
    assert p.answer({"id": "allergy", "kind": "multi", "options": [{"id": "nil", "label": "没有过敏", "exclusive": True}]},
                    "") == {"options": ["nil"]}
    assert _fits("腰", "腰") and not _fits("腰", "脖子")


def test_a_persona_types_its_associated_facts_as_written() -> None:
    """``associated`` (what a blind writer gives: symptoms present and denied in one sentence) is typed as the
    patient wrote it, never matched to options (不发烧 must not tap 发烧); ``associated_yes`` items are tapped."""
    q = {"id": "associated", "kind": "multi", "options": [
        {"id": "fever", "label": "发烧", "exclusive": False}, {"id": "vomit", "label": "恶心呕吐", "exclusive": False},
        {"id": "nil", "label": "以上都没有", "exclusive": True}]}
    assert Persona({"associated": "吐了两次，不发烧"}).answer(q, "") == {"text": "吐了两次，不发烧"}
    both = Persona({"associated_yes": ["恶心呕吐"], "associated": "不发烧"}).answer(q, "")
    assert both == {"options": ["vomit"], "text": "不发烧"}
    assert Persona({"associated": {"tap": ["发烧"], "text": "最高38度"}}).answer(q, "") == {
        "options": ["fever"], "text": "最高38度"}


def test_a_persona_answers_a_combined_question_from_the_facts_it_combines() -> None:
    q = {"id": "child_state", "kind": "multi", "options": [
        {"id": "less", "group": "feeding", "label": "吃奶/吃饭比平时少", "exclusive": False},
        {"id": "urine_less", "group": "urine", "label": "尿比平时少", "exclusive": False},
        {"id": "tired", "group": "activity", "label": "比平时蔫、不爱玩，但逗他能笑", "exclusive": False},
        {"id": "nil", "label": "吃喝、尿量、精神都和平时一样", "exclusive": True}]}
    # 比平时少一些 told about feeding taps the feeding option, not the urine one that shares its words
    p = Persona({"feeding": "比平时少一些", "urine": "和平时差不多", "activity": "比平时蔫"})
    assert p.answer(q, "") == {"options": ["less", "tired"]}
    assert Persona({"feeding": "和平时差不多", "urine": "和平时差不多"}).answer(q, "") == {"options": ["nil"]}


def test_a_case_file_of_ones_own(tmp_path: Path) -> None:
    f = tmp_path / "c.yaml"
    f.write_text("id: x1\nsynthetic: true\npatient: {age: 40, sex: male}\ncomplaint: 咳嗽\n"
                 "facts: {duration: 2天}\nred_flag: false\nexpect: {chief_complaint: 咳嗽2天, record_has: [2天]}\n",
                 encoding="utf-8")
    ds = get_suite("intake").dataset(f)
    assert [c.id for c in ds.cases] == ["x1"] and ds.synthetic
