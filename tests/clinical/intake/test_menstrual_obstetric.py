"""月经史 and 婚育史 for women of child-bearing age: the last menstrual period (a date or a band), regularity,
pregnancy possible, and G_P_ — read from the patient's words and written in the hospital's note style.
Answers are synthetic, written for these tests."""

from __future__ import annotations

from datetime import date

import pytest

from yizhu.clinical.intake.engine import (
    Answered,
    AnswerIn,
    Engine,
    Interview,
    parse_lmp,
    parse_obstetric,
    parse_pregnancy,
)
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


@pytest.mark.parametrize(("said", "want"), [
    ("已经怀孕二十二周了", {"gestation_weeks": 22}),
    ("孕32+3周", {"gestation_weeks": 32 + 3 / 7}),
    ("怀孕快四个月了", {"gestation_months": 4}),
    ("前天用试纸测的，两道杠", {"pregnancy_test": "positive", "pregnancy_test_by": "urine"}),
    ("医院抽血查了HCG，阴性", {"pregnancy_test": "negative", "pregnancy_test_by": "blood"}),
    ("验孕棒测了一下，一条线，没怀上", {"pregnancy_test": "negative", "pregnancy_test_by": "urine"}),
    ("例假是10月31号来的", {"lmp": "2026-10-31", "lmp_days": 37}),
    ("上次来月经是三周前", {"lmp": "2026-11-16", "lmp_days": 21}),
    ("月经晚了一周多", {}),  # a delay, not a date
    ("备孕3个月了", {}), ("吃避孕药2个月", {}),  # trying for / preventing a pregnancy is not one
    ("不清楚有没有怀孕", {}),
])
def test_pregnancy_facts_are_read_from_the_patients_words(said: str, want: dict) -> None:
    assert parse_pregnancy(said, TODAY) == pytest.approx(want) if want else parse_pregnancy(said, TODAY) == {}


def _menstrual_section(eng: Engine, complaint: str, taps: list[str], text: str) -> tuple[Interview, str]:
    iv = eng.start(complaint, age=28, sex="female")
    _to(eng, iv, "menstrual")
    eng.answer(iv, AnswerIn(question_id="menstrual", options=taps, text=text))
    while (q := eng.next_question(iv)) is not None:
        none = [o["id"] for o in q.options if o["exclusive"]]
        eng.answer(iv, AnswerIn(question_id=q.id, options=none[:1] or [q.options[0]["id"]]))
    by = {s["name"]: "".join(x["text"] for x in s["sentences"]) for s in build_record(iv, eng)["sections"]}
    return iv, by["月经史"]


def test_the_gestational_age_and_lmp_told_in_the_menstrual_answer_reach_the_record(eng: Engine) -> None:
    iv, said = _menstrual_section(eng, "小便疼", ["pregnant"], "已经怀孕二十二周，末次月经是6月29号")
    assert "lmp" not in [a.slot for a in iv.answers]  # already told: not asked again
    v = next(a for a in iv.answers if a.slot == "menstrual").values
    assert v["lmp"][5:] == "06-29" and v["gestation_weeks"] == 22
    assert said.startswith(f"末次月经{v['lmp']}（就诊前{v['lmp_days']}天），现妊娠，孕22周")
    assert iv.status == "complete"


def test_a_negative_home_test_and_a_relative_lmp_reach_the_record(eng: Engine) -> None:
    iv, said = _menstrual_section(eng, "月经老是不准", ["late"], "上次来月经是七周前，试纸测了，一条杠")
    assert "lmp" not in [a.slot for a in iv.answers]
    assert "（就诊前49天）" in said and "月经推迟" in said and "自测尿妊娠试验阴性" in said


def test_pregnant_with_only_an_lmp_gives_the_gestational_age_by_dates(eng: Engine) -> None:
    iv = eng.start("小便疼", age=28, sex="female")
    _to(eng, iv, "menstrual")
    eng.answer(iv, AnswerIn(question_id="menstrual", options=["pregnant"]))
    eng.answer(iv, AnswerIn(question_id="lmp", text="末次月经10月1号"))
    by = {s["name"]: "".join(x["text"] for x in s["sentences"]) for s in build_record(iv, eng)["sections"]}
    days = (date.fromisoformat(iv.answers[-1].values["lmp"]) - date.fromisoformat(iv.answers[-1].at[:10])).days
    assert f"按末次月经推算孕{-days // 7}" in by["月经史"]


def test_an_lmp_told_in_passing_more_than_five_weeks_ago_is_a_late_period_for_the_red_flag_check(eng: Engine) -> None:
    iv = eng.start("小肚子疼", age=28, sex="female")
    _to(eng, iv, "menstrual")
    eng.answer(iv, AnswerIn(question_id="menstrual", options=["irregular"], text="末次月经是两个月前"))
    assert "月经两个多月没来了" in eng.statements(iv)
