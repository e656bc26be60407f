"""The side of a limb or a paired organ is kept from the patient's words into 现病史 and 主诉 (左腿有点麻 is
伴左下肢麻木, not 伴麻木). Wording synthetic, written for these tests."""

from __future__ import annotations

import pytest

from yizhu.clinical.intake import laterality
from yizhu.clinical.intake.engine import AnswerIn, Engine, Interview
from yizhu.clinical.intake.record import as_text, build_record, chief_complaint


@pytest.fixture(scope="module")
def eng() -> Engine:
    return Engine()


@pytest.mark.parametrize(("said", "want"), [
    ("右边小腿抽筋", [("下肢", "右", None)]),
    ("两只脚都肿了，左边厉害", [("足", "双", "左")]),
    ("双膝", [("膝关节", "双", None)]),
    ("左耳朵嗡嗡的", [("耳", "左", None)]),
    ("右手腕", [("腕部", "右", None)]),
    ("左右都有", []), ("两天了", []), ("右下腹", []),  # no part, a number, not a limb
])
def test_a_side_is_read_only_when_attached_to_a_part(said: str, want: list) -> None:
    assert [(s.part, s.side, s.worse) for s in laterality.read(said)] == want


def _answer_to(eng: Engine, iv: Interview, slot: str, text: str, taps: list[str] | None = None) -> None:
    while (q := eng.next_question(iv)) is not None and q.id != slot:
        none = [o["id"] for o in q.options if o["exclusive"]]
        eng.answer(iv, AnswerIn(question_id=q.id, options=none[:1] or [q.options[0]["id"]]))
    eng.answer(iv, AnswerIn(question_id=slot, options=taps or [], text=text))


@pytest.mark.parametrize(("complaint", "site", "written"), [
    ("膝盖疼", "两边膝盖都疼，左边更重", "部位在双侧膝关节（左侧为重）"),
    ("肩膀疼", "右边肩膀", "部位在右侧肩部"),
    ("腰疼", "腰，右边大腿后面也疼", "部位在腰部、右侧下肢"),
    ("胸口疼", "左边胸口", "部位在左侧胸部"),
    ("头疼", "半边头，左边", "部位在左侧头部"),
])
def test_the_site_keeps_its_side(eng: Engine, complaint: str, site: str, written: str) -> None:
    iv = eng.start(complaint, age=50, sex="male")
    _answer_to(eng, iv, "site", site)
    assert written in as_text(build_record(iv, eng))


def test_a_sided_option_is_not_sided_twice(eng: Engine) -> None:
    iv = eng.start("胸口疼", age=50, sex="male")
    _answer_to(eng, iv, "site", "左边", taps=["left"])
    assert "部位在左胸部" in as_text(build_record(iv, eng))


def test_a_symptom_keeps_the_side_of_its_own_clause(eng: Engine) -> None:
    iv = eng.start("腰疼", age=45, sex="male")
    _answer_to(eng, iv, "associated", "右脚有点发麻，没发烧")
    text = as_text(build_record(iv, eng))
    assert "右足" in text.split("伴")[1].split("。")[0] and "无发热" in text


@pytest.mark.parametrize(("complaint", "cc"), [
    ("右膝盖疼", "右膝关节痛"), ("两个膝盖疼", "双膝关节痛"), ("左腿疼", "左下肢疼痛"),
    ("右耳朵听不清", "右耳听力下降"), ("膝盖疼", "膝关节痛"), ("右下腹疼", "右下腹痛"),
])
def test_the_chief_complaint_keeps_the_side(eng: Engine, complaint: str, cc: str) -> None:
    assert chief_complaint(eng.start(complaint, age=40, sex="male"), eng)["text"] == cc


def test_the_chief_complaint_takes_the_side_from_the_site_answer(eng: Engine) -> None:
    iv = eng.start("膝盖疼", age=70, sex="female")
    _answer_to(eng, iv, "site", "左边膝盖")
    cc = chief_complaint(iv, eng)
    assert cc["text"].startswith("左膝关节痛") and iv.answers[-1].seq in cc["sources"]
