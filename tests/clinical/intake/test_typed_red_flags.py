"""Red flags typed into any answer of the interview stop it with the right reason; what is told about the
past (过敏史, 既往史, 用药史) is read as history, not as something happening now. Synthetic wordings written
for these tests (none copied from the blind personas)."""

from __future__ import annotations

import pytest

from yizhu.clinical.intake.engine import AnswerIn, Engine


@pytest.fixture(scope="module")
def eng() -> Engine:
    return Engine()


def say(eng: Engine, iv, qid: str, text: str | None = None, options: list[str] | None = None):  # type: ignore[no-untyped-def]
    """Answer ``qid`` with ``text``; the questions before it get a plain 说不清 (which raises no flag)."""
    while (q := eng.next_question(iv)) is not None and q.id != qid:
        eng.answer(iv, AnswerIn(question_id=q.id, options=[], text="说不清"))
        assert iv.status == "open", iv.red_flag
    assert q is not None, f"{qid} is not asked"
    return eng.answer(iv, AnswerIn(question_id=qid, options=options or [], text=text))


@pytest.mark.parametrize(("complaint", "slot", "typed", "flag"), [
    ("头晕", "onset", "今天中午吃着饭，左手的勺子就掉了，讲话也大舌头", "rf:stroke"),
    ("头疼", "associated", "嘴角往一边耷拉，右边胳膊抬不起来", "rf:stroke"),
    ("睡不好", "associated", "我已经偷偷攒了一瓶安眠药，实在撑不下去了", "rf:suicide"),
    ("心情差", "onset", "就想从楼顶跳下去，一了百了", "rf:suicide"),
    ("咳嗽", "associated", "哮喘的喷雾喷了好几下没用，一句话要分好几次说", "rf:severe_asthma"),
])
def test_a_red_flag_typed_mid_interview_stops_it_with_its_reason(
        eng: Engine, complaint: str, slot: str, typed: str, flag: str) -> None:
    iv = eng.start(complaint, age=45, sex="male")
    say(eng, iv, "duration", "两天")
    assert iv.status == "open"
    say(eng, iv, slot, typed)
    assert iv.status == "red_flag" and iv.red_flag["id"] == flag
    assert eng.next_question(iv) is None


def test_late_period_with_pain_and_bleeding_stops_as_a_pregnancy_emergency(eng: Engine) -> None:
    iv = eng.start("肚子疼", age=26, sex="female")
    say(eng, iv, "duration", "半天")
    say(eng, iv, "menstrual", "大姨妈晚了快三周还没来，这两天内裤上有血")
    assert iv.status == "red_flag" and iv.red_flag["id"] == "rf:ectopic_pregnancy"


@pytest.mark.parametrize(("slot", "typed"), [
    ("allergy", "对头孢过敏，以前打过出一身疙瘩"),
    ("past", "以前得过荨麻疹"),
    ("allergy", "磺胺过敏"),
    ("allergy", "青霉素和头孢都过敏，别的没发现"),
])
def test_an_allergy_told_as_history_is_not_a_reaction_now(eng: Engine, slot: str, typed: str) -> None:
    iv = eng.start("头晕", age=60, sex="female")
    say(eng, iv, "duration", "三天")
    say(eng, iv, "onset", "站起来的时候眼前发黑，要晕倒一样")
    say(eng, iv, slot, typed)
    assert iv.status != "red_flag", iv.red_flag


def test_an_allergic_reaction_told_as_now_in_the_allergy_answer_still_stops(eng: Engine) -> None:
    iv = eng.start("皮疹", age=30, sex="male")
    say(eng, iv, "duration", "一小时")
    say(eng, iv, "allergy", "对海鲜过敏，刚才吃了虾，现在嗓子发紧喘不上气")
    assert iv.status == "red_flag" and iv.red_flag["id"] == "rf:anaphylaxis"


def test_a_pregnant_woman_denying_pain_and_bleeding_is_not_stopped(eng: Engine) -> None:
    iv = eng.start("尿痛", age=30, sex="female")
    say(eng, iv, "duration", "两天")
    say(eng, iv, "associated", "怀孕五个月了，小肚子一点都不疼，下面也没见红")
    assert iv.status == "open", iv.red_flag


@pytest.mark.parametrize("typed", [
    "不发烧，嗓子不紧，喘气正常，嘴唇也不肿",
    "嘴唇没肿，舌头也没肿，就是痒",
    "脸不肿，嘴唇都不肿",
])
def test_a_rash_after_a_drug_with_the_airway_signs_denied_is_not_stopped(eng: Engine, typed: str) -> None:
    iv = eng.start("皮疹", age=6, sex="female")
    say(eng, iv, "duration", "半天")
    say(eng, iv, "modifiers", "前两天感冒开始吃阿莫西林，今天就出疹子了")
    say(eng, iv, "associated", typed)
    assert iv.status == "open", iv.red_flag
