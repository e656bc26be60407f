"""月经史 and 婚育史 for women of child-bearing age: the last menstrual period (a date or a band), regularity,
pregnancy possible, and G_P_ — read from the patient's words and written in the hospital's note style.
Answers are synthetic, written for these tests."""

from __future__ import annotations

from datetime import date

import pytest

from yizhu.clinical.intake.engine import Answered, AnswerIn, Engine, Interview, parse_lmp, parse_obstetric
from yizhu.clinical.intake.record import build_record

TODAY = date(2026, 12, 7)


@pytest.fixture(scope="module")
def eng() -> Engine:
    return Engine()


@pytest.mark.parametrize(("said", "want"), [
    ("11月20号", (date(2026, 11, 20), 17)), ("上个月20号", (date(2026, 11, 20), 17)),
    ("20号", (date(2026, 11, 20), 17)),  # a day after today's date is last month's
    ("2026-11-02", (date(2026, 11, 2), 35)), ("半个月前", (date(2026, 11, 22), 15)),
    ("上周", (date(2026, 11, 30), 7)), ("不记得了", None), ("12月30号", None),
])
def test_the_last_period_is_read_as_a_date(said: str, want: tuple[date, int] | None) -> None:
    assert parse_lmp(said, TODAY) == want


@pytest.mark.parametrize(("said", "want"), [
    ("G2P1", {"gravida": 2, "para": 1}), ("怀过两次，生过一个", {"gravida": 2, "para": 1}),
    ("生了两个孩子，流产过一次", {"gravida": 3, "para": 2, "abortion": 1}),
    ("没怀过孕", {"gravida": 0, "para": 0}), ("没生过，人流1次", {"gravida": 1, "para": 0, "abortion": 1}),
    ("不想说", {}),
])
def test_pregnancies_and_births_are_read_as_g_and_p(said: str, want: dict[str, int]) -> None:
    assert parse_obstetric(said) == want


def _to(eng: Engine, iv: Interview, slot: str) -> None:
    while (q := eng.next_question(iv)) is not None and q.id != slot:
        none = [o["id"] for o in q.options if o["exclusive"]]
        eng.answer(iv, AnswerIn(question_id=q.id, options=none[:1] or [q.options[0]["id"]]))


def test_a_woman_with_abdominal_pain_is_asked_lmp_and_obstetric_history(eng: Engine) -> None:
    iv = eng.start("肚子疼", age=30, sex="female")
    slots = eng.applicable(iv)
    assert slots[-3:] == ["menstrual", "lmp", "obstetric"]
    _to(eng, iv, "menstrual")
    eng.answer(iv, AnswerIn(question_id="menstrual", options=["normal"]))
    eng.answer(iv, AnswerIn(question_id="lmp", text="上周三来的"))
    eng.answer(iv, AnswerIn(question_id="obstetric", text="怀过3次，生了1个，人流2次"))
    assert iv.status == "complete"
    rec = build_record(iv, eng)
    by = {s["name"]: "".join(x["text"] for x in s["sentences"]) for s in rec["sections"]}
    assert "月经规律，否认妊娠可能" in by["月经史"] and "末次月经" in by["月经史"]
    assert by["婚育史"] == "G3P1，流产2次。"
    traced = {s["name"]: s["sentences"][0]["sources"] for s in rec["sections"]}
    assert len(traced["月经史"]) == 2 and len(traced["婚育史"]) == 1


def test_after_menopause_no_lmp_nor_obstetric_question(eng: Engine) -> None:
    iv = eng.start("肚子疼", age=54, sex="female")
    _to(eng, iv, "menstrual")
    eng.answer(iv, AnswerIn(question_id="menstrual", options=["menopause"]))
    assert iv.status == "complete" and "lmp" not in eng.applicable(iv)


def test_men_girls_and_older_women_are_not_asked(eng: Engine) -> None:
    for iv in (eng.start("肚子疼", age=30, sex="male"), eng.start("肚子疼", age=10, sex="female"),
               eng.start("肚子疼", age=70, sex="female")):
        assert not {"menstrual", "lmp", "obstetric"} & set(eng.applicable(iv))


def test_a_period_over_five_weeks_ago_is_a_late_period_and_can_raise_the_ectopic_flag(eng: Engine) -> None:
    iv = eng.start("小肚子疼", age=27, sex="female")
    _to(eng, iv, "associated")
    eng.answer(iv, AnswerIn(question_id="associated", options=["dizzy"]))
    # 头晕、出冷汗 alone is not enough; with the late period it is
    if iv.status == "open":
        _to(eng, iv, "lmp")
        eng.answer(iv, AnswerIn(question_id="lmp", text="四十多天前"))
    assert iv.status == "red_flag" and iv.red_flag is not None
    assert iv.red_flag["id"] in ("rf:ectopic_pregnancy", "rf:pregnancy_bleeding_pain")


def test_an_lmp_date_in_the_record_uses_the_answer_day() -> None:
    a = Answered(seq=3, slot="lmp", question="q", at="2026-12-07T09:00:00", values={"lmp": "2026-11-20", "lmp_days": 17})
    iv = Interview(complaint="月经量很多", sex="female", age=30, answers=[a])
    rec = build_record(iv, Engine())
    men = next(s for s in rec["sections"] if s["name"] == "月经史")
    assert men["sentences"][0]["text"] == "末次月经2026-11-20（就诊前17天）。"


def test_a_one_choice_question_takes_one_tap(eng: Engine) -> None:
    from yizhu.errors import InputError

    iv = eng.start("肚子疼", age=30, sex="female")
    _to(eng, iv, "lmp")
    with pytest.raises(InputError, match="takes one option"):
        eng.answer(iv, AnswerIn(question_id="lmp", options=["w1", "m2"]))
    assert iv.answers[-1].slot == "menstrual"  # nothing was stored
