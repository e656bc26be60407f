"""``yizhu eval run intake``: scripted personas answer the 预问诊 from their case files. The shipped cases are
synthetic and written by the engine's author (a consistency check, not a blind figure)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from yizhu.config import Settings
from yizhu.evaluation.cli import app
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


GOOD = """id: p1
synthetic: true
patient: {age: 40, sex: male}
complaint: 咳嗽
facts: {duration: 两周了}
expect: {red_flag: false}
"""


@pytest.mark.parametrize(("body", "message"), [
    (GOOD.replace("duration:", "duraton:"), "c.yaml: invalid intake case 'p1' at facts: Value error, unknown fact(s) duraton"),
    (GOOD.replace("age: 40", "age: forty"), "c.yaml: invalid intake case 'p1' at patient.age"),
    (GOOD.replace("sex: male", "sex: m"), "c.yaml: invalid intake case 'p1' at patient.sex"),
    (GOOD.replace("red_flag: false", "red_flag: true, red_flag_at: allergy"),
     "red_flag_at names 'allergy', which is not one of the facts"),
    (GOOD + "notes: x\n", "c.yaml: invalid intake case 'p1' at notes: Extra inputs are not permitted"),
    (GOOD.replace("expect:", "expected:"), "c.yaml: invalid intake case 'p1' at expect: Field required"),
    (GOOD.replace("complaint: 咳嗽\n", ""), "no complaint"),
    ("- " + GOOD.replace("\n", "\n  ") + "\n- " + GOOD.replace("\n", "\n  ").replace("two", "x"),
     "intake case id 'p1' is also used in"),
    ("- " + GOOD.replace("\n", "\n  ") + "\n- id: p2\n  patient: []\n", "c.yaml: invalid intake case 'p2' (#2) at patient"),
])
def test_a_bad_persona_file_is_one_line_naming_the_file_and_the_case_exit_2(tmp_path: Path, body: str,
                                                                             message: str) -> None:
    (tmp_path / "c.yaml").write_text(body, encoding="utf-8")
    r = CliRunner().invoke(app, ["run", "intake", "--data", str(tmp_path / "c.yaml"), "--out", str(tmp_path / "run")])
    assert r.exit_code == 2, r.output
    err = r.stderr.replace("\n", "")
    assert message in err and len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in err


def test_a_blind_style_persona_is_scored_against_every_expectation(tmp_path: Path) -> None:
    """The keys a blind writer uses (expect.red_flag, alternatives, chief_complaint_has, record_not_has,
    max_questions, a {tap, text} fact) are read and scored; a case meeting them all counts as passed."""
    (tmp_path / "c.yaml").write_text("""id: b1
synthetic: true
written_by: a test
input: {complaint: 右膝盖疼, age: 66, sex: female}
facts:
  duration: 三个月了
  site: {tap: [膝盖], text: 右边膝盖}
  associated: 不发烧，膝盖不肿
  allergy: 没有
expect:
  red_flag: false
  chief_complaint_has: [[右膝, 右侧膝], [3个月, 三个月]]
  record_has: [[右侧膝关节, 右膝]]
  record_negatives: [[发热, 发烧]]
  record_not_has: [伴发热]
  max_questions: 14
""", encoding="utf-8")
    o = run_suite("intake", data=tmp_path / "c.yaml", out=tmp_path / "run")
    (m,) = o.report.models
    met = m.summary.metrics
    assert met["passed"].value == 1.0 and met["completeness"].value == 1.0 and met["chief_complaint"].value == 1.0


def test_the_worked_example_in_the_docs_runs_and_passes(tmp_path: Path) -> None:
    """docs/intake.md "Persona files": the example is a valid file and meets its own expectations."""
    doc = (Path(__file__).resolve().parents[2] / "docs" / "intake.md").read_text(encoding="utf-8")
    block = doc.split("## Persona files", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    (tmp_path / "example.yaml").write_text(block, encoding="utf-8")
    o = run_suite("intake", data=tmp_path / "example.yaml", out=tmp_path / "run")
    (m,) = o.report.models
    assert m.summary.metrics["passed"].value == 1.0, m.summary.tables[0].rows
