"""The 预问诊 rule path: which question comes next, how answers are read, when the interview stops.
Answers are synthetic, written for these tests."""

from __future__ import annotations

import pytest

from yizhu.clinical.intake.bank import load_bank
from yizhu.clinical.intake.engine import AnswerIn, Engine, parse_duration, parse_severity
from yizhu.errors import InputError


@pytest.fixture(scope="module")
def eng() -> Engine:
    return Engine()


def answer(eng: Engine, iv, qid: str, options: list[str] | None = None, text: str | None = None):  # type: ignore[no-untyped-def]
    return eng.answer(iv, AnswerIn(question_id=qid, options=options or [], text=text))


def test_the_bank_is_valid_data_with_sources() -> None:
    bank = load_bank()
    assert bank.source and all(p.source for p in bank.profiles)
    assert bank.profiles[-1].id == "general"


@pytest.mark.parametrize(("complaint", "profile"), [
    ("胸口疼，像压着东西", "chest_pain"), ("肚子疼两天", "abdominal_pain"), ("头疼得厉害", "headache"),
    ("咳嗽有黄痰", "respiratory"), ("发烧三天", "fever"), ("拉肚子", "gi"), ("天旋地转", "dizziness"),
    ("身上起了好多红疙瘩，很痒", "skin"), ("腰疼", "musculoskeletal"), ("尿频尿痛", "urinary"),
    ("月经量很多", "gynaecology"), ("晚上睡不着", "mood_sleep"), ("说不上来，就是不舒服", "general"),
])
def test_the_complaint_chooses_its_interview(eng: Engine, complaint: str, profile: str) -> None:
    assert eng.start(complaint, age=40).profile == profile


def test_without_a_complaint_the_first_question_asks_for_it(eng: Engine) -> None:
    iv = eng.start(None, age=30, sex="male")
    q = eng.next_question(iv)
    assert q is not None and q.id == "complaint"
    answer(eng, iv, "complaint", text="这两天咳嗽，有黄痰")
    assert iv.profile == "respiratory"
    assert eng.next_question(iv).id == "duration"


def test_a_full_interview_asks_each_slot_once_and_completes(eng: Engine) -> None:
    iv = eng.start("胸口疼", age=58, sex="male")
    seen = []
    while (q := eng.next_question(iv)) is not None:
        seen.append(q.id)
        opts = [o["id"] for o in q.options]
        none = [o["id"] for o in q.options if o["exclusive"]]
        answer(eng, iv, q.id, none[:1] or opts[:1] if q.id != "associated" else ["palpitation"])
    assert iv.status == "complete"
    assert len(seen) == len(set(seen)) <= load_bank().max_questions
    assert "menstrual" not in seen  # a man is not asked about periods
    assert eng.completeness(iv) == 1.0


def test_women_of_childbearing_age_are_asked_about_periods(eng: Engine) -> None:
    assert "menstrual" in eng.applicable(eng.start("肚子疼", age=28, sex="female"))
    assert "menstrual" not in eng.applicable(eng.start("肚子疼", age=70, sex="female"))


def test_every_answer_keeps_its_question_and_reads_free_text(eng: Engine) -> None:
    iv = eng.start("肚子疼", age=40, sex="male")
    answer(eng, iv, "duration", text="三天了")
    a = iv.answers[-1]
    assert a.question == load_bank().questions["duration"].prompt
    assert a.duration == "3天" and a.days == 3
    answer(eng, iv, "onset", text="突然开始的")
    assert iv.answers[-1].positives == ["突然"]


def test_associated_free_text_reads_negation_and_unticked_options_become_negatives(eng: Engine) -> None:
    iv = eng.start("肚子疼", age=40, sex="male")
    for qid, opt in (("duration", "d2"), ("onset", "gradual"), ("site", "epigastric"), ("character", "dull"),
                     ("severity", "mild"), ("modifiers", "meal")):
        answer(eng, iv, qid, [opt])
    answer(eng, iv, "associated", text="有点恶心，没发烧")
    a = iv.answers[-1]
    # 恶心 said, 呕吐 not said: the combined option 恶心呕吐 is written as what was said, never as both
    assert "恶心" in a.positives and "恶心、呕吐" not in a.positives and "发热" in a.negatives
    iv2 = eng.start("肚子疼", age=40, sex="male")
    for qid, opt in (("duration", "d2"), ("onset", "gradual"), ("site", "epigastric"), ("character", "dull"),
                     ("severity", "mild"), ("modifiers", "meal"), ("associated", "nil")):
        answer(eng, iv2, qid, [opt])
    assert iv2.answers[-1].none and "呕血" in iv2.answers[-1].negatives


@pytest.mark.parametrize(("bad", "why"), [
    ({"question_id": "onset", "options": ["sudden"]}, "current question"),
    ({"question_id": "duration", "options": ["nope"]}, "unknown option"),
    ({"question_id": "duration", "options": []}, "needs a tapped option"),
    ({"question_id": "duration", "options": ["d1", "d2"]}, "takes one option"),
])
def test_bad_answers_are_refused_and_change_nothing(eng: Engine, bad: dict, why: str) -> None:
    iv = eng.start("肚子疼", age=40)
    before = iv.model_copy(deep=True)
    with pytest.raises(InputError, match=why):
        eng.answer(iv, AnswerIn(**bad))
    assert iv == before


def test_none_of_these_cannot_go_with_an_option(eng: Engine) -> None:
    iv = eng.start("腰疼", age=40)
    for qid, opt in (("duration", "d2"), ("onset", "gradual"), ("site", "low_back"), ("character", "ache"),
                     ("severity", "mild"), ("modifiers", "move")):
        answer(eng, iv, qid, [opt])
    with pytest.raises(InputError, match="none of these"):
        answer(eng, iv, "associated", ["leg", "nil"])


@pytest.mark.parametrize(("complaint", "steps", "flag"), [
    ("胸口疼", [("duration", ["hours"]), ("onset", ["sudden"]), ("site", ["sternum"]), ("character", ["press"]),
               ("severity", ["severe"]), ("modifiers", ["none"]), ("associated", ["sweat"])], "rf:acs"),
    ("头疼", [("duration", ["hours"]), ("onset", ["sudden"]), ("site", ["whole"]), ("character", ["thunder"])],
     "rf:thunderclap_headache"),
    ("心情不好，睡不着", [("duration", ["m1"]), ("onset", ["gradual"]), ("character", ["low"]), ("severity", ["severe"]),
                     ("associated", ["selfharm"])], "rf:suicide"),
])
def test_a_red_flag_on_any_answer_stops_the_interview(eng: Engine, complaint: str, steps: list, flag: str) -> None:
    iv = eng.start(complaint, age=50, sex="male")
    for qid, opts in steps:
        assert iv.status == "open"
        answer(eng, iv, qid, opts)
    assert iv.status == "red_flag" and iv.red_flag["id"] == flag
    assert "120" in iv.red_flag["message"] or "急诊" in iv.red_flag["message"]
    assert eng.next_question(iv) is None
    with pytest.raises(InputError, match="red_flag"):
        answer(eng, iv, "course", ["none"])


def test_a_red_flag_in_the_free_text_of_a_later_answer_also_stops(eng: Engine) -> None:
    iv = eng.start("肚子疼", age=40, sex="male")
    answer(eng, iv, "duration", ["d1"])
    answer(eng, iv, "onset", text="突然的，刚才还吐了好几口血")
    assert iv.status == "red_flag" and iv.red_flag["id"] == "rf:gi_bleed"


def test_a_complaint_that_is_already_a_red_flag_stops_before_the_first_question(eng: Engine) -> None:
    iv = eng.start("突然说话不清，左边手脚没劲", age=70)
    assert iv.status == "red_flag" and eng.next_question(iv) is None


def test_pregnancy_answered_in_the_interview_counts_for_red_flags(eng: Engine) -> None:
    iv = eng.start("肚子疼", age=27, sex="female")
    for qid, opt in (("duration", "hours"), ("onset", "sudden"), ("site", "llq"), ("character", "colic"),
                     ("severity", "moderate"), ("modifiers", "none"), ("associated", "nil"), ("course", "none")):
        answer(eng, iv, qid, [opt])
        assert iv.status == "open"
    for qid, opt in (("past", "nil"), ("meds", "nil"), ("allergy", "nil")):
        answer(eng, iv, qid, [opt])
    answer(eng, iv, "menstrual", ["pregnant"])
    assert iv.status == "red_flag" and iv.red_flag["id"] == "rf:pregnancy_bleeding_pain"


@pytest.mark.parametrize(("text", "days", "shown"), [
    ("三天了", 3, "3天"), ("两个多月", 60, "2个月余"), ("半年", 182.5, "半年"), ("十来天", 10, "10天余"),
    ("1周", 7, "1周"), ("昨天开始的", 1, "1天"), ("5个小时", 5 / 24, "5小时"),
])
def test_durations_in_lay_words(text: str, days: float, shown: str) -> None:
    got = parse_duration(text)
    assert got is not None and got[0] == pytest.approx(days) and got[1] == shown


def test_severity_in_words_and_numbers() -> None:
    assert parse_severity("大概7分") == 7
    assert parse_severity("疼得受不了") == 8
    assert parse_severity("有点") == 2
    assert parse_severity("说不好") is None
