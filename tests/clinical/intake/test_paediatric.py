"""A child's interview (the parent answering): the child's questions (one checklist for feeding, urine and
activity; contact and vaccination where the complaint makes them worth asking; birth history and development
for the under-threes in one question; the highest temperature unless already told), the parent's wording, the
question budget, and the children's red flags. Answers are synthetic, written for these tests."""

from __future__ import annotations

import statistics

import pytest

from yizhu.clinical.intake.bank import load_bank
from yizhu.clinical.intake.engine import AnswerIn, Engine, parse_birth, parse_temperature
from yizhu.clinical.intake.record import as_text, build_record

CHILD_SLOTS = {"child_state", "contact", "vaccination"}


@pytest.fixture(scope="module")
def eng() -> Engine:
    return Engine()


def run(eng: Engine, iv, answers: dict[str, dict]):  # type: ignore[no-untyped-def]
    seen = []
    while (q := eng.next_question(iv)) is not None:
        seen.append(q.id)
        none = [o["id"] for o in q.options if o["exclusive"]]
        eng.answer(iv, AnswerIn(question_id=q.id, **answers.get(q.id, {"options": none[:1] or [q.options[0]["id"]]})))
    return seen


def test_every_child_question_names_its_guideline() -> None:
    bank = load_bank()
    assert bank.paediatric is not None
    for slot in bank.paediatric.slots:
        src = bank.questions[slot].source
        assert src and any(str(y) in src for y in range(1990, 2030)), slot  # a guideline with its year


def test_a_child_by_visit_age_gets_the_childs_questions_and_the_parents_wording(eng: Engine) -> None:
    iv = eng.start("咳嗽三天", age=5, sex="male")
    assert iv.child and iv.age_source == "visit"
    slots = eng.applicable(iv)
    assert set(slots) >= CHILD_SLOTS and "fever_child" in slots
    assert "past_child" in slots and "past" not in slots
    assert "birth" not in slots  # birth history and milestones: under three
    assert slots.index("contact") < slots.index("course")
    q = eng.next_question(iv)
    assert q is not None and q.prompt.startswith("孩子")


def test_an_adult_and_an_unknown_age_get_no_child_questions(eng: Engine) -> None:
    for iv in (eng.start("咳嗽三天", age=30, sex="male"), eng.start("咳嗽三天")):
        assert not iv.child and not CHILD_SLOTS & set(eng.applicable(iv))


def test_the_age_said_in_the_complaint_makes_it_a_childs_interview(eng: Engine) -> None:
    iv = eng.start("宝宝8个月，拉肚子两天")
    assert iv.child and iv.age_source == "stated" and iv.age == pytest.approx(8 / 12)
    assert "birth" in set(eng.applicable(iv)) and "development" not in eng.applicable(iv)  # one question


def test_the_fever_profile_asks_the_temperature_once(eng: Engine) -> None:
    iv = eng.start("发烧两天", age=3)
    slots = eng.applicable(iv)
    assert "fever_child" not in slots and "severity" in slots
    q = eng.next_question(iv)
    while q is not None and q.id != "severity":
        eng.answer(iv, AnswerIn(question_id=q.id, options=[q.options[0]["id"]]))
        q = eng.next_question(iv)
    assert q is not None and "多少度" in q.prompt
    eng.answer(iv, AnswerIn(question_id="severity", text="最高烧到39度5"))
    a = iv.answers[-1]
    assert a.values["temperature"] == 39.5 and a.options == ["high"]


def test_a_whole_childs_interview_writes_the_paediatric_record(eng: Engine) -> None:
    iv = eng.start("孩子咳嗽", age=2, sex="female")
    run(eng, iv, {
        "duration": {"text": "五天了"}, "associated": {"options": ["fever"]},
        "fever_child": {"text": "最高38度6"},
        "child_state": {"options": ["much_less", "urine_less"]},
        "contact": {"options": ["class", "hfmd"]}, "vaccination": {"options": ["missed"]},
        "birth": {"options": ["dev_usual"], "text": "足月，3.4公斤"},
        "past_child": {"options": ["febrile_seizure"]},
    })
    assert iv.status == "complete"
    assert eng.asked(iv) <= load_bank().paediatric.max_questions  # type: ignore[union-attr]
    text = as_text(build_record(iv, eng))
    assert "病史陈述者：家长" in text and "患儿" in text
    assert "体温最高38.6℃" in text
    assert "病来精神反应好，进食（奶）量明显减少（不足平时一半），尿量减少" in text
    assert "所在幼儿园/学校有类似患儿" in text and "手足口病" in text
    assert "既往热性惊厥" in text and "预防接种未按计划完成" in text
    assert "出生体重3.40kg（足月出生，出生体重正常）" in text
    assert "个人史" in text and "生长发育与同龄儿相仿" in text


@pytest.mark.parametrize(("said", "option"), [
    ("36周，4斤8两", {"preterm", "lbw"}), ("孕39周，3200克", {"term"}), ("足月，六斤半", {"term"}),
    ("34+2周 2.6公斤", {"preterm"}),
])
def test_birth_history_is_read_from_the_parents_words(eng: Engine, said: str, option: set[str]) -> None:
    iv = eng.start("宝宝拉肚子", age=0.5)
    while (q := eng.next_question(iv)) is not None and q.id != "birth":
        eng.answer(iv, AnswerIn(question_id=q.id, options=[q.options[0]["id"]]))
    assert q is not None
    eng.answer(iv, AnswerIn(question_id="birth", text=said))
    assert set(iv.answers[-1].options) == option


def test_parsers() -> None:
    assert parse_temperature("烧到三十九度") == 39.0 and parse_temperature("38.6℃") == 38.6
    assert parse_temperature("咳嗽3天") is None
    assert parse_birth("38周，6斤4两") == {"birth_weeks": 38, "birth_weight_g": 3200.0}
    assert parse_birth("出生3200克") == {"birth_weight_g": 3200.0}
    assert parse_birth("不记得了") == {}


@pytest.mark.parametrize(("complaint", "age", "answers", "flag"), [
    # a febrile infant under 3 months stops at check-in, whether the age comes from the visit or the words
    ("发烧了，38度2", 0.15, {}, "rf:febrile_infant"),
    ("宝宝出生40天，发烧", None, {}, "rf:febrile_infant"),
    # danger signs answered in the child's questions
    ("孩子拉肚子", 1.5, {"child_state": {"options": ["refuse"]}}, "rf:child_danger_signs"),
    ("孩子拉肚子", 1.5, {"child_state": {"options": ["urine_none"]}}, "rf:child_danger_signs"),
    ("孩子咳嗽", 4, {"child_state": {"options": ["less", "lethargic"]}}, "rf:child_danger_signs"),
    ("孩子拉肚子", 1.5, {"child_state": {"text": "尿布一直是干的，大半天了"}}, "rf:child_danger_signs"),
])
def test_childrens_red_flags_stop_the_interview(eng: Engine, complaint: str, age: float | None,
                                                answers: dict, flag: str) -> None:
    iv = eng.start(complaint, age=age)
    run(eng, iv, answers)
    assert iv.status == "red_flag" and iv.red_flag is not None and iv.red_flag["id"] == flag


def test_an_ordinary_answer_does_not_raise_a_childs_danger_sign(eng: Engine) -> None:
    iv = eng.start("孩子拉肚子", age=1.5)
    run(eng, iv, {"child_state": {"options": ["less", "urine_less", "tired"]}})
    assert iv.status == "complete"


def test_a_child_of_unknown_age_still_stops_on_a_danger_sign(eng: Engine) -> None:
    iv = eng.start("孩子拉肚子")
    assert iv.child and iv.age is None
    run(eng, iv, {"child_state": {"options": ["refuse"]}})
    assert iv.status == "red_flag" and iv.red_flag is not None and iv.red_flag["id"] == "rf:child_danger_signs"


def _answer_all(eng: Engine, iv, typed: dict[str, str] | None = None) -> None:  # type: ignore[no-untyped-def]
    """Tap 'none' (or the first option) everywhere, or type ``typed[slot]``."""
    while (q := eng.next_question(iv)) is not None:
        if typed and q.id in typed:
            eng.answer(iv, AnswerIn(question_id=q.id, text=typed[q.id]))
            continue
        none = [o["id"] for o in q.options if o["exclusive"]]
        eng.answer(iv, AnswerIn(question_id=q.id, options=none[:1] or [q.options[0]["id"]]))


@pytest.mark.parametrize("age", [0.5, 2, 5, 10])
def test_a_childs_interview_stays_within_the_adults_bound_for_every_complaint(eng: Engine, age: float) -> None:
    bank = load_bank()
    counts = []
    for prof in bank.profiles:
        iv = eng.start(f"孩子{prof.match[0] if prof.match else '不舒服'}", age=age, sex="female")
        # the associated answer typed without a word about fever: the temperature question is asked too
        _answer_all(eng, iv, typed={"associated": "还有点咳嗽"})
        assert iv.status == "complete" and eng.completeness(iv) == 1.0, prof.id  # ended by being complete, not cut
        assert eng.asked(iv) <= bank.max_questions, (prof.id, eng.asked(iv))
        counts.append(eng.asked(iv))
    assert statistics.median(counts) <= 13 and max(counts) <= 15, counts


def test_the_danger_signs_are_asked_in_every_childs_interview(eng: Engine) -> None:
    for prof in load_bank().profiles:
        for age in (0.5, 6, None):
            iv = eng.start(f"孩子{prof.match[0] if prof.match else '不舒服'}", age=age)
            assert "child_state" in eng.applicable(iv), (prof.id, age)


def test_questions_are_chosen_by_value_for_the_complaint_and_age(eng: Engine) -> None:
    toddler_cough = eng.applicable(eng.start("孩子咳嗽", age=2))
    assert "severity" not in toddler_cough and "birth" in toddler_cough  # no 0–10 self-rating under four
    assert {"contact", "vaccination"} <= set(toddler_cough)
    assert "severity" in eng.applicable(eng.start("孩子发烧", age=2))  # the fever profile's is the temperature
    assert "severity" in eng.applicable(eng.start("孩子咳嗽", age=6))
    headache = eng.applicable(eng.start("孩子头疼", age=9))
    assert "contact" not in headache and "vaccination" not in headache  # not an infectious picture
    belly = eng.applicable(eng.start("孩子肚子疼", age=9))
    assert "contact" in belly and "vaccination" not in belly


@pytest.mark.parametrize(("said", "written"), [
    ("吐了两次，有点低烧37.8", "体温最高37.8℃"), ("最高烧到38度5，还吐", "体温最高38.5℃"),
])
def test_a_temperature_already_told_is_not_asked_again(eng: Engine, said: str, written: str) -> None:
    iv = eng.start("孩子拉肚子", age=1.5)
    _answer_all(eng, iv, typed={"associated": said})
    assert "fever_child" not in [a.slot for a in iv.answers]
    text = as_text(build_record(iv, eng))
    assert text.count(written) == 1


def test_a_fever_already_denied_is_not_asked_again(eng: Engine) -> None:
    iv = eng.start("孩子肚子疼", age=10)
    _answer_all(eng, iv, typed={"associated": "拉了两次稀的，不发烧"})
    assert "fever_child" not in [a.slot for a in iv.answers]
    assert "发热" in as_text(build_record(iv, eng)).split("现病史：")[1].split("无")[1]


@pytest.mark.parametrize(("taps", "typed", "written"), [
    (["urine_less"], None, "病来精神反应好，进食（奶）量如常，尿量减少。"),
    (["nil"], None, "病来精神反应好，进食（奶）量如常，尿量如常。"),
    (["tired", "much_less"], None, "病来精神稍差，逗引有反应，进食（奶）量明显减少（不足平时一半），尿量如常。"),
    ([], "还行吧", "病来精神、进食（奶）量、尿量（家长原话：还行吧）。"),
])
def test_the_childs_checklist_is_written_group_by_group(eng: Engine, taps: list[str], typed: str | None,
                                                       written: str) -> None:
    iv = eng.start("孩子咳嗽", age=5)
    while (q := eng.next_question(iv)) is not None and q.id != "child_state":
        none = [o["id"] for o in q.options if o["exclusive"]]
        eng.answer(iv, AnswerIn(question_id=q.id, options=none[:1] or [q.options[0]["id"]]))
    eng.answer(iv, AnswerIn(question_id="child_state", options=taps, text=typed))
    assert written in as_text(build_record(iv, eng))
