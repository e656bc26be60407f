"""Every symptom word in a typed answer keeps the polarity of its own clause (synthetic wording, written for
these tests; not taken from the blind personas)."""

from __future__ import annotations

import pytest

from tests.clinical.intake.test_engine import answer
from yizhu.clinical.intake import polarity
from yizhu.clinical.intake.engine import Engine, default_engine
from yizhu.clinical.intake.record import as_text, build_record
from yizhu.clinical.triage.engine import _symptom_terms


@pytest.fixture(scope="module")
def eng() -> Engine:
    return default_engine()


TERMS = [(t, n) for t, n, _d, _r in _symptom_terms()]


def _read(text: str) -> dict[str, bool]:
    return {f.name: f.negated for f in polarity.read(text, TERMS)}


@pytest.mark.parametrize(("text", "name", "negated"), [
    ("肚子胀，没有拉肚子", "腹泻", True),
    ("肚子胀，没有拉肚子", "腹胀", False),
    ("头也不晕", "头晕", True),
    ("眼皮也不肿，嘴唇都不肿", "口唇肿胀", True),      # topic, 也/都, cue, then the symptom
    ("嘴没歪", "口角歪斜", True),
    ("恶心得厉害，可就是吐不出来", "恶心", False),
    ("未发烧但是咳嗽", "咳嗽", False),                  # a contrast word ends the cue's reach
    ("未发烧但是咳嗽", "发热", True),
    ("不会吐", "呕吐", True),
    ("今天吐了三回", "呕吐", False),
    ("早上没发烧，下午又发烧了", "发热", False),        # told both ways: the positive mention stands
])
def test_each_symptom_takes_the_polarity_of_its_clause(text: str, name: str, negated: bool) -> None:
    assert _read(text)[name] is negated


def test_a_one_character_word_inside_a_longer_symptom_is_that_symptom() -> None:
    got = _read("昨晚吐了点血")
    assert "呕吐" in got or "呕血" in got
    assert _read("吐血") == {"呕血": False}


@pytest.mark.parametrize(("text", "negative"), [
    ("屎尿都没问题", "大小便异常"),
    ("胳膊腿都有力气", "肢体无力"),
    ("讲话挺利索的", "言语不清"),
    ("呼吸还算顺畅", "呼吸困难"),
])
def test_normal_statements_become_the_record_negative(text: str, negative: str) -> None:
    assert negative in polarity.normal_negatives(text)


def test_a_normal_statement_is_not_read_as_the_symptom_inside_it() -> None:
    assert _read("喘气正常").get("气促") is None
    assert polarity.normal_negatives("说话不清楚") == []   # a denied 'normal' is not a negative


def _to_associated(eng: Engine, text: str, complaint: str = "肚子疼"):
    iv = eng.start(complaint, age=40, sex="male")
    for qid, opt in (("duration", "d2"), ("onset", "gradual"), ("site", "epigastric"), ("character", "dull"),
                     ("severity", "mild"), ("modifiers", "meal")):
        answer(eng, iv, qid, [opt])
    answer(eng, iv, "associated", text=text)
    return iv


def test_a_negated_half_of_a_combined_option_is_written_as_a_negative(eng: Engine) -> None:
    iv = _to_associated(eng, "想吐又吐不出，其实没吐过；拉肚子也没有")
    a = iv.answers[-1]
    assert "恶心、呕吐" not in a.positives
    assert "腹泻" in a.negatives


def test_the_record_never_writes_a_denied_symptom_as_present(eng: Engine) -> None:
    iv = _to_associated(eng, "稍微有点反胃恶心，吐倒是一次没吐，身上没起疹子，小便大便都正常")
    text = as_text(build_record(iv, eng))
    assert "伴恶心" in text and "呕吐" not in text.split("伴")[1].split("。")[0]
    hpi = next(line for line in text.splitlines() if line.startswith("现病史"))
    neg = next(s for s in hpi.split("。") if s.startswith("无"))
    assert "呕吐" in neg and "皮疹" in neg and "大小便异常" in neg


def test_a_symptom_outside_the_options_is_still_written(eng: Engine) -> None:
    iv = _to_associated(eng, "有点耳鸣，不咳嗽")
    a = iv.answers[-1]
    assert "耳鸣" in a.positives and "咳嗽" in a.negatives


def test_the_side_named_in_the_site_answer_is_kept(eng: Engine) -> None:
    iv = eng.start("头疼", age=30, sex="female")
    a = None
    for _q in range(3):
        nq = eng.next_question(iv)
        assert nq is not None
        if nq.id == "site":
            answer(eng, iv, "site", text="右边太阳穴那块")
            a = iv.answers[-1]
            break
        answer(eng, iv, nq.id, [nq.options[0]["id"]])
    assert a is not None and any(p.startswith("右侧") for p in a.positives)


# ── not knowing is not denying ─────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("text", ["这个我真不晓得", "记不得了", "说不准，没太注意过"])
def test_an_unsure_allergy_answer_is_not_written_as_denied(eng: Engine, text: str) -> None:
    iv = eng.start("咳嗽三天", age=35, sex="male")
    for _ in range(20):
        nq = eng.next_question(iv)
        if nq is None:
            break
        if nq.id == "allergy":
            answer(eng, iv, "allergy", text=text)
            break
        answer(eng, iv, nq.id, [nq.options[0]["id"]] if nq.options else [], text=None if nq.options else "两天")
    a = iv.answers[-1]
    assert a.slot == "allergy" and a.unknown and not a.none
    allergy = next(s for s in build_record(iv, eng)["sections"] if s["name"] == "过敏史")
    said = "".join(x["text"] for x in allergy["sentences"])
    assert "否认" not in said and "无" not in said and "不详" in said


def test_a_clause_the_patient_is_unsure_about_is_neither_present_nor_absent() -> None:
    assert "发热" not in _read("也不知道有没有发烧")
    assert "呕吐" not in _read("吐没吐记不清了")
