"""The record for the doctor: 主诉 ≤ 20 字 with the duration, note-style sections, every sentence traced to
the answers it came from, nothing written that was not said. Golden files hold whole records of scripted
interviews (synthetic); regenerate with ``YIZHU_UPDATE_GOLDEN=1`` after a deliberate change and read the diff."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from yizhu.clinical.intake.engine import AnswerIn, Engine
from yizhu.clinical.intake.record import CC_MAX, NOT_ASKED, as_text, build_record

GOLDEN = Path(__file__).parent / "golden"

SCRIPTS = {
    "chest_pain_male_58": ("胸口疼", 58, "male", [
        ("duration", [], "三天了"), ("onset", ["recurrent"], None), ("site", ["sternum"], None),
        ("character", [], "像有石头压着"), ("severity", [], "6分"), ("modifiers", ["exertion", "rest"], None),
        ("associated", ["palpitation"], "没发烧"), ("course", ["selfmed_ok"], "吃了速效救心丸"),
        ("past", ["htn", "dm"], None), ("meds", [], "氨氯地平、二甲双胍"), ("allergy", ["penicillin"], None)]),
    "abdominal_pain_female_26": ("肚子疼，拉肚子", 26, "female", [
        ("duration", ["d1"], None), ("onset", ["sudden"], None), ("site", ["periumbilical"], None),
        ("character", ["colic"], None), ("severity", ["moderate"], None), ("modifiers", ["stool"], None),
        ("associated", ["diarrhea", "vomit"], None), ("course", ["none"], None), ("past", ["nil"], None),
        ("meds", ["nil"], None), ("allergy", ["nil"], None), ("menstrual", ["normal"], None), ("lmp", ["w4"], None),
        ("obstetric", [], "怀过两次，生过一个")]),
    # a parent answering for an 8-month-old (the age said in the complaint, none given at the visit)
    "fever_infant_8_months": ("宝宝8个月，发烧两天，有点咳嗽", None, None, [
        ("duration", ["d2"], None), ("onset", ["sudden"], None), ("severity", [], "最高39度5"),
        ("modifiers", ["rebound", "drug"], None), ("associated", ["cough"], None),
        ("child_state", ["less", "tired"], None), ("contact", ["class"], None),
        ("vaccination", ["on_time"], None), ("birth", ["dev_usual"], "36周，4斤8两"),
        ("course", ["none"], None), ("past_child", ["nil"], None), ("meds", ["nil"], None),
        ("allergy", [], "鸡蛋过敏")]),
    "gynaecology_female_32": ("月经量很多，来了十天还没干净", 32, "female", [
        ("duration", [], "两个多月"), ("onset", ["gradual"], None), ("character", ["heavy"], None),
        ("severity", ["moderate"], None), ("associated", ["clots"], None), ("course", ["none"], None),
        ("menstrual", ["irregular"], None), ("lmp", ["unknown"], None), ("obstetric", ["g0"], None),
        ("past", ["nil"], None), ("meds", ["nil"], None), ("allergy", ["nil"], None)]),
}


def interview(name: str):  # type: ignore[no-untyped-def]
    complaint, age, sex, steps = SCRIPTS[name]
    eng = Engine()
    iv = eng.start(complaint, age=age, sex=sex)
    for qid, opts, text in steps:
        eng.answer(iv, AnswerIn(question_id=qid, options=opts, text=text))
    return eng, iv


def stable(record: dict) -> dict:
    out = dict(record)
    out["answers"] = [{k: v for k, v in a.items() if k != "at"} for a in record["answers"]]
    return out


@pytest.mark.parametrize("name", sorted(SCRIPTS))
def test_record_matches_its_golden_file(name: str) -> None:
    eng, iv = interview(name)
    rec = stable(build_record(iv, eng))
    path = GOLDEN / f"{name}.json"
    text = json.dumps(rec, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    if os.environ.get("YIZHU_UPDATE_GOLDEN") or not path.exists():
        path.write_text(text, encoding="utf-8")
        (GOLDEN / f"{name}.txt").write_text(as_text(rec), encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")
    assert as_text(rec) == (GOLDEN / f"{name}.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(SCRIPTS))
def test_every_sentence_is_traced_and_the_chief_complaint_is_short(name: str) -> None:
    eng, iv = interview(name)
    rec = build_record(iv, eng)
    seqs = {a.seq for a in iv.answers}
    cc = rec["chief_complaint"]
    assert len(cc["text"]) <= CC_MAX and any(ch.isdigit() for ch in cc["text"])  # with the duration
    for sec in rec["sections"]:
        for s in sec["sentences"]:
            assert s["sources"] and set(s["sources"]) <= seqs


def test_what_was_not_asked_is_said_to_be_not_asked() -> None:
    eng = Engine()
    iv = eng.start("肚子疼", age=40, sex="male")
    eng.answer(iv, AnswerIn(question_id="duration", options=["d2"]))
    rec = build_record(iv, eng)
    by = {s["name"]: s["sentences"] for s in rec["sections"]}
    for name in ("既往史", "过敏史", "用药史"):
        assert by[name] == [{"text": NOT_ASKED, "sources": []}]
    assert rec["completeness"] < 0.3


def test_the_patients_own_words_are_kept_when_not_understood() -> None:
    eng = Engine()
    iv = eng.start("腰疼", age=40, sex="male")
    eng.answer(iv, AnswerIn(question_id="duration", text="从搬家那会儿开始的"))
    text = as_text(build_record(iv, eng))
    assert "从搬家那会儿开始的" in text
