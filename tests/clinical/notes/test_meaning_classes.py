"""Classes of drafting defect that change meaning (synthetic wording, written for these tests).

- an ambiguous lay form (抽了: smoking or convulsing; 烧: fever or burning pain) is rewritten only as the
  question and the neighbouring words support, else kept as said;
- a ruled-out clause (不是X，是Y) never swallows the diagnosis stated after it in the same sentence;
- a hedge (可能/考虑/疑似) stays on the diagnosis;
- the name of a scale (GAD-7, PHQ-9) is not a diagnosis.
"""

from __future__ import annotations

import pytest

from yizhu.clinical.notes import dialogue_context, draft_note
from yizhu.clinical.notes.dxphrase import stated_diagnoses
from yizhu.clinical.notes.extractive import _AROUND, clinical_wording
from yizhu.clinical.notes.types import NoteDraft
from yizhu.knowledge.terminology.colloquial import colloquial

# ── ambiguous lay forms (synthetic) ─────────────────────────────────────────────────────────────


@pytest.mark.parametrize(("said", "asked", "must", "never"), [
    ("年轻时候抽了二十年，后来戒了", "吸不吸烟？", "吸烟20年", "抽搐"),
    ("抽了快三十年了", "", "抽了", "抽搐"),  # nothing says which: kept as said
    ("嘴角一抽一抽的，抽了一分钟左右", "", "抽搐", "吸烟"),
    ("抽了两包烟", "", "抽了", "抽搐"),  # the clause says 烟 itself: kept
    ("解小便时尿道口烧着痛", "", "烧灼痛", "发热"),
    ("心口这里火辣辣的疼", "", "烧灼痛", "发热"),
    ("胃里面烧", "", "烧", "发热"),
    ("前天晚上开始烧，38度多", "", "发热", ""),
    ("烧了三天", "孩子发烧几天了？", "发热", ""),
    ("一咳就吐血，痰里带着", "", "咯血", "呕血"),
    ("喝完酒吐血了", "", "呕血", "咯血"),
    ("这两天大便见红", "", "见红", "阴道流血"),
    ("停经七周，今天早上见红", "", "阴道流血", ""),
    ("切菜拉了个口子", "", "拉了", "腹泻"),
    ("烧了三天", "", "发热", ""),  # fever is what 烧 alone says
    ("肛门那里烧得难受", "", "烧", "发热"),  # its own clause speaks of discomfort: kept
])
def test_ambiguous_lay_form_is_read_only_as_the_context_supports(said: str, asked: str, must: str, never: str) -> None:
    out = colloquial().normalise(said, context=asked).text
    assert must in out
    if never:
        assert never not in out


def test_the_question_is_the_context_of_the_answer_in_a_draft() -> None:
    token = _AROUND.set("医生：平时抽烟吗？\n患者：抽了十五年，一天一包。")
    try:
        assert clinical_wording("抽了十五年") == "吸烟15年"
    finally:
        _AROUND.reset(token)
    assert "抽搐" not in clinical_wording("抽了十五年")


# ── ruled-out clause, hedge, scale (synthetic) ──────────────────────────────────────────────────


@pytest.mark.parametrize(("said", "want", "never"), [
    ("听诊清楚，不是肺炎，是急性支气管炎。", "急性支气管炎", "肺炎"),
    ("不像痛风，考虑左膝骨关节炎可能。", "左膝骨关节炎可能", "痛风"),
    ("排除阑尾炎，诊断右侧输尿管结石。", "右侧输尿管结石", "阑尾炎"),
])
def test_a_ruled_out_clause_drops_only_what_it_rules_out(said: str, want: str, never: str) -> None:
    texts = [x.text for x in stated_diagnoses(said)]
    assert texts[:1] == [want] or want in texts
    assert not any(t == never or t.startswith(never) for t in texts)


def _draft(talk: str) -> NoteDraft:
    return draft_note("outpatient", dialogue_context(talk), use_llm=False)


def _dialogue_dx(text: str) -> list[str]:
    return [s.text for sec in _draft(text).sections if sec.name == "初步诊断" for s in sec.sentences]


@pytest.mark.parametrize(("said", "want", "never"), [
    ("血糖正常，不是糖尿病，是左侧甲沟炎。", "左侧甲沟炎", "糖尿病"),
    ("尿常规看了，不像肾结石，应该是急性膀胱炎。", "急性膀胱炎", "肾结石"),
    ("片子看了不是骨折，是右踝关节扭伤可能。", "右踝关节扭伤可能", "骨折"),
    ("这个不是带状疱疹，而是接触性皮炎。", "接触性皮炎", "带状疱疹"),
])
def test_in_a_dialogue_the_diagnosis_after_a_ruled_out_clause_is_written(said: str, want: str, never: str) -> None:
    dx = _dialogue_dx(f"医生：哪里不舒服？\n患者：难受两天了。\n医生：{said}")
    assert any(want in d for d in dx), dx
    assert not any(never in d for d in dx), dx


@pytest.mark.parametrize(("said", "want"), [
    ("目前考虑抑郁发作可能。", "抑郁发作可能"),
    ("疑似右侧股骨颈骨折。", "右侧股骨颈骨折可能"),
])
def test_a_hedged_diagnosis_stays_hedged(said: str, want: str) -> None:
    assert [x.text for x in stated_diagnoses(said)] == [want]


@pytest.mark.parametrize("said", ["PHQ-9评分12分，GAD-7是9分。", "MMSE 24分。", "GAD-7量表18分"])
def test_a_scale_is_not_a_diagnosis(said: str) -> None:
    assert stated_diagnoses(said) == []


def test_a_draft_never_invents_seizures_or_fever_from_an_ambiguous_word() -> None:
    d = _draft("医生：哪里不舒服？\n患者：咳嗽一个礼拜了，有白痰。\n医生：以前吸烟吗？\n患者：抽了二十多年，去年戒了。\n"
               "医生：小便怎么样？\n患者：解的时候前面烧得疼。\n医生：考虑急性支气管炎。")
    text = "".join(s.text for sec in d.sections for s in sec.sentences)
    assert "抽搐" not in text and "发热" not in text
    assert "吸烟20余年" in text or "吸烟20多年" in text or "抽了" in text


def test_a_relative_saying_my_father_names_the_patient() -> None:
    d = _draft("医生：怎么不舒服？\n家属：我爸昨天晚上突然左手没劲，拿不住杯子。\n医生：考虑急性脑梗死可能。")
    text = "".join(s.text for sec in d.sections for s in sec.sentences)
    assert "患者爸" not in text and "患者" in text


def test_one_lay_form_may_have_two_readings_only_when_context_tells_them_apart(tmp_path) -> None:
    from yizhu.errors import ConfigError
    from yizhu.knowledge.terminology.colloquial import load

    meta = '{"_meta": {"name": "t", "version": "1"}}'
    src = "synthetic test lexicon (2026)"
    two = [f'{{"lay": "闹", "standard": "{s}", "kind": "symptom", "source": "{src}"}}' for s in ("腹泻", "哭闹")]
    f = tmp_path / "lex.jsonl"
    f.write_text("\n".join([meta, *two]) + "\n", encoding="utf-8")
    with pytest.raises(ConfigError):
        load([f])
    told = [*two[:1], f'{{"lay": "闹", "standard": "哭闹", "kind": "symptom", "context": ["孩子"], "source": "{src}"}}']
    f.write_text("\n".join([meta, *told]) + "\n", encoding="utf-8")
    lex = load([f])
    assert lex.normalise("孩子闹", context="").text == "孩子哭闹"
    assert lex.normalise("肚子闹").text == "肚子腹泻"
