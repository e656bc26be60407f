"""诊疗经过 of a discharge draft from printed course notes (class found by blind set 3 of tests/realworld/notes).

Every record here is synthetic (合成), written for these tests in wording of our own; none copies a blind case.
The class: when the course notes are one block of dated entries, 诊疗经过 is drafted from them — each
procedure, key result and drug change, after its date, every sentence citing its source and supported by
grounding; how the patient feels and the discharge itself are left for 出院情况; results never reach 出院医嘱.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from yizhu.cli.note import load_input
from yizhu.clinical.notes import draft_note
from yizhu.clinical.notes.course import course_kind
from yizhu.clinical.notes.types import NoteDraft

ADMISSION = """合成医院
入 院 记 录
姓名：合成患者　性别：女　年龄：61岁　科别：普外科　床号：3　住院号：SYN0001
入院日期：2026-10-02 08:30　记录日期：2026-10-02 10:00
主诉：右上腹痛伴发热2天。
现病史：患者2天前进食油腻后出现右上腹持续性胀痛，伴发热，最高38.6℃，无黄疸。
既往史：否认高血压、糖尿病。否认药物过敏史。
体格检查：T 38.2℃　BP 132/78mmHg。右上腹压痛，墨菲征阳性。
辅助检查：腹部超声：胆囊增大，壁厚0.5cm，胆囊颈部结石1.2cm。白细胞13.1×10^9/L。
初步诊断：
1.急性结石性胆囊炎
医师签名：合成医师
"""

COURSE = """2026-10-03 10:00　手术记录摘要
全麻下行腹腔镜胆囊切除术，术中见胆囊充血水肿，颈部结石嵌顿，手术顺利。

2026-10-04 09:00　主治医师查房
患者诉切口轻微疼痛，无发热，已排气。头孢呋辛改为口服头孢克洛0.25g tid。复查白细胞7.2×10^9/L。

2026-10-06 10:00　出院前病程
患者无不适，切口干燥。病理回报：慢性胆囊炎急性发作伴胆囊结石。今日出院。
出院诊断：1.急性结石性胆囊炎
出院带药：头孢克洛胶囊 0.25g po tid×3天。
出院医嘱：清淡饮食；术后1周普外科门诊复诊。
"""


@pytest.fixture(scope="module")
def discharge(tmp_path_factory: pytest.TempPathFactory) -> NoteDraft:
    d: Path = tmp_path_factory.mktemp("admission")
    (d / "01-入院记录.txt").write_text(ADMISSION, encoding="utf-8")
    (d / "02-病程记录.txt").write_text(COURSE, encoding="utf-8")
    ctx, _ = load_input(str(d))
    return draft_note("discharge", ctx, use_llm=False)


def _sec(d: NoteDraft, name: str):
    return next(s for s in d.sections if s.name == name)


def test_the_course_is_drafted_from_the_dated_entries(discharge: NoteDraft):
    course = _sec(discharge, "诊疗经过")
    text = "".join(s.text for s in course.sentences)
    assert course.sentences, "诊疗经过 is empty although the course notes record an operation"
    assert "腹腔镜胆囊切除术" in text  # the procedure
    assert "头孢克洛" in text  # the drug switch
    assert "病理回报" in text  # the key result
    assert text.startswith("2026-10-03") and "2026-10-04" in text  # each entry after its date


def test_how_the_patient_is_stays_out_of_the_course(discharge: NoteDraft):
    text = "".join(s.text for s in _sec(discharge, "诊疗经过").sentences)
    assert "今日出院" not in text
    assert "切口轻微疼痛" not in text
    assert "出院诊断" not in text and "出院带药" not in text


def test_every_course_sentence_cites_its_source_and_is_supported(discharge: NoteDraft):
    sources = {s.id: s.text for s in discharge.sources}
    for s in _sec(discharge, "诊疗经过").sentences:
        assert s.status == "supported", (s.text, s.reasons)
        spans = [sources[p.source][p.start:p.end] for p in s.provenance]
        assert any(x and x.rstrip("。") in s.text for x in spans)


def test_a_course_result_is_not_a_discharge_instruction(discharge: NoteDraft):
    orders = "".join(s.text for s in _sec(discharge, "出院医嘱").sentences)
    assert "7.2" not in orders and "病理" not in orders
    assert "复诊" in orders


@pytest.mark.parametrize(("sentence", "kind"), [
    ("局麻下行左侧腹股沟疝无张力修补术，手术顺利。", "procedure"),
    ("停用氨氯地平，改为硝苯地平控释片30mg qd。", "drug"),
    ("头颅MRI示左侧基底节区急性梗死灶。", "result"),
    ("复查血钾4.1mmol/L，已纠正。", "result"),
    ("患者精神食欲好，无不适。", None),
    ("今日出院。", None),
])
def test_what_a_course_sentence_tells(sentence: str, kind: str | None):
    assert course_kind(sentence) == kind


def test_course_notes_in_several_files_are_read_in_date_order_and_said_once(tmp_path: Path):
    (tmp_path / "01-入院记录.txt").write_text(ADMISSION, encoding="utf-8")
    # the later note first by file name: the entries are ordered by their dates, not by file
    (tmp_path / "02-病程记录.txt").write_text(
        "2026-10-05 09:00　主治医师查房\n复查腹部超声：胆囊窝少量积液。患者无发热。\n\n"
        "2026-10-06 10:00　出院前病程\n患者无不适。今日出院。\n出院医嘱：术后1周普外科门诊复诊。\n", encoding="utf-8")
    (tmp_path / "03-手术记录.txt").write_text(
        "2026-10-03 10:00　手术记录\n全麻下行腹腔镜胆囊切除术，手术顺利。\n", encoding="utf-8")
    ctx, _ = load_input(str(tmp_path))
    d = draft_note("discharge", ctx, use_llm=False)
    text = "".join(s.text for s in _sec(d, "诊疗经过").sentences)
    assert text.index("腹腔镜胆囊切除术") < text.index("胆囊窝少量积液")
    assert text.count("胆囊窝少量积液") == 1
    assert "患者无发热" not in text and "今日出院" not in text


@pytest.mark.parametrize("stamp", ["2026-10-03 10:00", "2026/10/3 10:00", "2026年10月3日 10:00", "2026-10-03"])
def test_an_entry_dated_in_any_usual_way_is_read(tmp_path: Path, stamp: str):
    (tmp_path / "01-入院记录.txt").write_text(ADMISSION, encoding="utf-8")
    (tmp_path / "02-病程记录.txt").write_text(
        f"{stamp}　手术记录摘要\n全麻下行腹腔镜胆囊切除术，手术顺利。\n", encoding="utf-8")
    ctx, _ = load_input(str(tmp_path))
    d = draft_note("discharge", ctx, use_llm=False)
    course = _sec(d, "诊疗经过")
    text = "".join(s.text for s in course.sentences)
    assert stamp.split()[0] in text and "腹腔镜胆囊切除术" in text
    assert all(s.status == "supported" for s in course.sentences), [(s.text, s.reasons) for s in course.sentences]
