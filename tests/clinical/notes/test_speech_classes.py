"""Speech becomes record language, by class (issue 13, items 4 and 8).

Every dialogue here is synthetic (合成), written for these tests in wording of its own; none copies a blind
case of tests/realworld/. A dialogue turn is read clause by clause: a clause that names a clinical term is a
fact, kept and written in record wording through the colloquial lexicon; a clause that names none and is
conversation (thanks, a bare answer word, a pointer, a social circumstance) is dropped. Relative times are
counted back from the visit; a value-only answer takes the subject of its question; the doctor's spoken
orders read as orders; the 主诉 is site + symptom + time whenever a site is known, and never empty when the
visit has a reason. Rewritten sentences stay grounded in the spans they came from.
"""

from __future__ import annotations

import pytest

from tests.clinical.notes.drafts import draft as _draft
from tests.clinical.notes.drafts import section_text as _sec
from yizhu.clinical.notes.speech import (
    conversation_class,
    doctor_to_record,
    drop_conversation,
    needs_subject,
    patient_to_record,
    question_subject,
    speech_rules,
)
from yizhu.clinical.notes.types import NoteDraft
from yizhu.knowledge.terminology.colloquial import colloquial
from yizhu.safety.grounding import GroundingChecker, SourceText


def _text(d: NoteDraft) -> str:
    return "".join(s.text for sec in d.sections for s in sec.sentences)


# synthetic: a toddler's cold told by the mother, with relative days, a short answer and thanks
COLD = """医生：孩子哪里不舒服？
家属：上星期开始流鼻涕，前几天又咳起来了，昨儿晚上烧到38度6。
医生：大便怎么样？
家属：三天没排了。
医生：咳得厉害吗？
家属：嗯，晚上咳得多。
医生：我听一下。双肺呼吸音粗，没有听到啰音。咽部充血。
医生：考虑急性上呼吸道感染。烧到38度5以上给他吃布洛芬混悬液，一次4毫升。
家属：好嘞，辛苦大夫了。"""

# synthetic: a fall on the hand; the patient never names where it hurts, the doctor's examination does
FALL = """医生：怎么弄的？
患者：今天上午骑车摔了一跤，撑地以后一动就疼，还有点麻。
医生：别的地方有没有摔到？
患者：没有，就那一块。
医生：右腕背侧肿胀，桡骨远端压痛明显，手指活动可，末梢血运好。
医生：片子看了，没看到骨折。
医生：先给你上个护腕，固定两周，冰敷。布洛芬缓释胶囊一次0.3克，一天2次。一周后还疼得做个磁共振看看。
患者：知道了，谢谢大夫。"""

# synthetic: a follow-up visit with no new complaint
FOLLOW_UP = """医生：今天来复查是吧，最近怎么样？
患者：挺好的，没什么不舒服。
医生：药按时吃了吗？
患者：每天都吃，一次一片。
医生：血压132/80，心率70。
医生：高血压控制得可以，药继续吃，三个月后再来复查。
患者：好的。"""

# synthetic: lay body words, a date answer and a social circumstance
ITCH = """医生：哪里不舒服？
患者：下身痒，快一个礼拜了，晚上还要起夜两三次。
医生：末次月经是哪天？
患者：12月1号。
医生：最近有什么特别的事吗？
患者：上个月去朋友家打牌，回来就有点尿频。
医生：外阴潮红，阴道分泌物增多。
医生：考虑外阴阴道炎，做个白带常规。
患者：行，麻烦您了。"""


# ── 1. relative times are counted back from the visit ──────────────────────────────────────────────


@pytest.mark.parametrize(("said", "written"), [
    ("上星期开始流鼻涕", "1周前开始"),
    ("上个礼拜淋了雨", "1周前淋了雨"),
    ("前几天又咳起来了", "数天前又"),
    ("昨儿晚上烧起来的", "1天前晚上"),
    ("上个月体检说血糖高", "1个月前体检"),
    ("去年做过胃镜", "1年前做过胃镜"),
])
def test_relative_times_are_written_from_the_visit(said: str, written: str):
    assert written in colloquial().normalise(said).text


def test_the_history_keeps_no_relative_time_word():
    hpi = _sec(_draft("outpatient", COLD), "现病史")
    for spoken in ("上星期", "前几天", "昨儿"):
        assert spoken not in hpi
    assert "1周前" in hpi and "数天前" in hpi and "1天前" in hpi


# ── 2. conversation is dropped, a clause naming a clinical term never is ──────────────────────────


@pytest.mark.parametrize(("clause", "cls"), [
    ("好嘞大夫", "pleasantry"),
    ("嗯嗯", "pleasantry"),
    ("大夫您好", "greeting"),
    ("那我先去缴费了", "leave-taking"),
    ("辛苦大夫了", "thanks"),
    ("麻烦您了", "thanks"),
    ("知道了", "understood"),
    ("都没有", "answer word"),
    ("就那一块", "pointer"),
    ("上个月去朋友家打牌", "social circumstance"),
])
def test_conversation_classes(clause: str, cls: str):
    assert conversation_class(clause) == cls


@pytest.mark.parametrize("clause", ["左边那块", "就这儿疼", "去朋友家打牌摔了腿", "回来就有点尿频", "没有咳嗽", "脚那儿",
                                    "就肚子这块"])
def test_a_clause_with_a_clinical_term_is_a_fact(clause: str):
    assert conversation_class(clause) is None


def test_a_sentence_keeps_its_facts_and_loses_its_conversation():
    assert drop_conversation("没有，就那一块。") == ""
    assert drop_conversation("好嘞，谢谢大夫。") == ""
    assert drop_conversation("上个月去朋友家打牌，回来就有点尿频。") == "有点尿频。"
    assert drop_conversation("就这儿，肚脐右边，一阵一阵疼") == "肚脐右边，一阵一阵疼"


def test_the_draft_keeps_no_thanks_no_pointer_and_no_social_circumstance():
    for talk in (COLD, FALL, ITCH):
        text = _text(_draft("outpatient", talk))
        for said in ("辛苦", "谢谢", "麻烦", "知道了", "好嘞", "就那一块", "打牌", "嗯"):
            assert said not in text, (said, text)
    assert "尿频" in _sec(_draft("outpatient", ITCH), "现病史")  # the fact after the circumstance stays


# ── 3. a value-only answer takes the subject of its question ─────────────────────────────────────


def test_subjects_of_questions():
    assert question_subject("末次月经是哪天？") == "末次月经"
    assert question_subject("大便怎么样？") == "大便"
    assert question_subject("有没有头晕？") is None
    assert needs_subject("12月1号。") and needs_subject("三天没排了") and needs_subject("一个多礼拜了")
    assert not needs_subject("咳了三天") and not needs_subject("晚上咳得多")


def test_short_answers_are_written_with_what_was_asked():
    assert "末次月经12月1号" in _sec(_draft("outpatient", ITCH), "现病史")
    hpi = _sec(_draft("outpatient", COLD), "现病史")
    assert "大便3天未排" in hpi and "没排" not in hpi


def test_patient_spoken_forms():
    assert patient_to_record("大便4天没解了") == "大便4天未解"
    assert patient_to_record("咳嗽2周了，") == "咳嗽2周，"
    assert patient_to_record("膝盖这儿疼") == "膝盖疼"


# ── 4. lay body words in clinical terms ──────────────────────────────────────────────────────────


def test_lay_body_words_are_written_clinically():
    hpi = _sec(_draft("outpatient", ITCH), "现病史")
    assert "外阴瘙痒" in hpi and "下身痒" not in hpi
    assert "夜尿" in hpi and "起夜" not in hpi
    assert "剑突下" in colloquial().normalise("心口窝胀").text


# ── 5. the doctor's speech reads as orders ──────────────────────────────────────────────────────


@pytest.mark.parametrize(("said", "written"), [
    ("华法林先停了吧", "停用华法林"),
    ("二甲双胍就停掉", "停用二甲双胍"),
    ("得做个胃镜看看", "需行胃镜"),
    ("给孩子吃点蒙脱石散", "口服蒙脱石散"),
    ("给她做雾化", "予做雾化"),
    ("给你上个颈托", "予颈托"),
    ("多喝水啊", "多喝水"),
    ("那就头孢克洛，一次0.25克", "头孢克洛，一次0.25克"),
])
def test_doctor_orders_in_record_wording(said: str, written: str):
    assert doctor_to_record(said) == written


@pytest.mark.parametrize("said", ["这个药不能停", "阿司匹林别停", "降压药已经停了", "药不要停吧",
                                  "吃满一周，不能不咳了就停", "咳嗽好了就停吧"])
def test_a_stop_is_never_read_into_a_negation_or_the_past(said: str):
    assert "停用" not in doctor_to_record(said)


def test_the_plan_of_a_draft_has_no_spoken_orders():
    plan = _sec(_draft("outpatient", FALL), "处理意见")
    assert "护腕" in plan and "上个" not in plan and "看看" not in plan
    assert "需行磁共振成像" in plan
    cold = _sec(_draft("outpatient", COLD), "处理意见")
    assert "口服布洛芬混悬液" in cold and "给他" not in cold


# ── 5b. a relative speaks of the patient; a symptom said twice is written once ─────────────────────


def test_a_relative_names_the_patient_and_is_not_the_patient():
    from yizhu.clinical.notes.speech import family_to_record

    assert family_to_record("我爸早上说胸口闷") == "患者早上诉胸口闷"
    assert family_to_record("孩子一直哭闹") == "患儿一直哭闹"
    assert family_to_record("她以前中过风") == "患者以前中过风"
    assert family_to_record("我给他量了体温") == "家属给他量了体温"
    assert family_to_record("她没说肚子疼") == "患者未诉肚子疼"  # a denial stays a denial
    talk = "医生：老人怎么了？\n家属：我爸今天早上起来左手没劲，我发现他说话也不清楚。\n医生：左上肢肌力3级。"
    hpi = _sec(_draft("admission", talk), "现病史")
    assert "肢体无力" in hpi and "我" not in hpi and "他" not in hpi, hpi


def test_a_symptom_said_twice_is_written_once():
    from yizhu.clinical.notes.speech import once

    assert once("咳嗽咳嗽5天") == "咳嗽5天"
    assert once("开始发热，发热，最高体温39℃") == "开始发热，最高体温39℃"
    assert once("一阵一阵") == "一阵一阵"  # not a symptom term: left as said


def test_an_answer_denies_what_was_asked_not_the_moment_it_was_asked_about():
    talk = "医生：怎么了？\n患者：咳了五天了。\n医生：咳的时候有没有胸口疼？\n患者：没有，就是咳得睡不好。"
    hpi = _sec(_draft("outpatient", talk), "现病史")
    assert "无咳嗽" not in hpi and "咳嗽" in hpi, hpi


def test_an_uncounted_time_with_the_main_symptom_is_its_duration():
    talk = "医生：哪里不好？\n患者：前些日子开始腰酸，昨天搬东西又扭了一下。\n医生：腰椎旁压痛。"
    chief = _sec(_draft("outpatient", talk), "主诉")
    assert "数天" in chief or "数周" in chief, chief


def test_a_relative_the_patient_names_is_that_relative():
    talk = "医生：哪里不舒服？\n患者：咳嗽三天。\n医生：家里人有这个病吗？\n患者：有，我妈。"
    d = _draft("admission", talk)
    fam = _sec(d, "家族史")
    assert "母亲" in fam and "患者妈" not in fam, fam
    assert all(s.status == "supported" for sec in d.sections if sec.name == "家族史" for s in sec.sentences)


def test_a_frequency_in_another_answer_is_not_the_complaint_duration():
    talk = "医生：哪里不舒服？\n患者：头晕得厉害。\n医生：小便怎么样？\n患者：一天也就解两回。"
    chief = _sec(_draft("outpatient", talk), "主诉")
    assert chief.startswith("头晕") and "1天" not in chief, chief


def test_an_uncounted_span_after_the_complaint_is_its_duration():
    talk = "医生：怎么了？\n患者：胳膊上起了些疙瘩，挺痒的，就这几天的事。\n医生：双上肢散在丘疹。"
    chief = _sec(_draft("outpatient", talk), "主诉")
    assert "皮疹" in chief and chief.endswith("数天"), chief


def test_exam_wording_never_doubles_what_the_doctor_said():
    talk = "医生：怎么了？\n患者：咳嗽两天。\n医生：右下肺可闻及湿啰音。"
    exam = _sec(_draft("outpatient", talk), "体格检查")
    assert "可闻及湿啰音" in exam and "可可" not in exam, exam


def test_one_complaint_said_twice_is_named_once_by_its_site():
    talk = "医生：哪里不好？\n患者：右边膝盖疼，两个多月了，下楼更疼。\n医生：右膝内侧压痛。"
    chief = _sec(_draft("outpatient", talk), "主诉")
    assert chief.startswith("右膝关节痛") and "伴" not in chief, chief
    d = _draft("outpatient", talk)
    assert next(s for sec in d.sections if sec.name == "主诉" for s in sec.sentences).status == "supported"


def test_announcing_a_measurement_is_commentary():
    assert doctor_to_record("我先给你量一下血压，血压150/90") == "血压150/90"
    assert doctor_to_record("我帮你测个体温，37度6") == "体温，37度6"


def test_a_dangling_just_after_a_dropped_answer_goes_with_it():
    assert drop_conversation("没有，就贴了块膏药") == "贴了块膏药"


# ── 6. 主诉: site + symptom + time ───────────────────────────────────────────────────────────────


def test_a_pain_said_without_a_site_takes_the_examined_site():
    chief = _sec(_draft("outpatient", FALL), "主诉")
    assert chief.startswith("右腕痛"), chief
    assert "伴疼" not in chief


def test_a_side_said_earlier_in_the_clause_goes_with_the_site():
    talk = "医生：哪里疼？\n患者：左边这个肩膀到胳膊这一片，酸疼三天了。\n医生：左肩外侧压痛，上举受限。"
    chief = _sec(_draft("outpatient", talk), "主诉")
    assert chief.startswith("左") and "3天" in chief, chief


def test_a_pain_with_no_site_anywhere_is_not_a_bare_companion():
    talk = "医生：怎么了？\n患者：发烧两天了，浑身疼，没力气。\n医生：体温38.3度，咽部充血。"
    chief = _sec(_draft("outpatient", talk), "主诉")
    assert chief.startswith("发热") and "伴疼" not in chief and "2天" in chief, chief


def test_a_follow_up_visit_has_a_complaint():
    chief = _sec(_draft("outpatient", FOLLOW_UP), "主诉")
    assert "高血压" in chief and "复诊" in chief, chief


def test_a_visit_without_a_reason_has_no_invented_complaint():
    talk = "医生：哪里不舒服？\n患者：没有不舒服。\n医生：血压120/80。"
    d = _draft("outpatient", talk)
    assert _sec(d, "主诉") == ""
    assert next(sec for sec in d.sections if sec.name == "主诉").note


# ── 7. the rewrite stays grounded ──────────────────────────────────────────────────────────────


@pytest.mark.parametrize("talk", [COLD, FALL, ITCH, FOLLOW_UP])
def test_rewritten_history_and_plan_sentences_stay_supported(talk: str):
    d = _draft("outpatient", talk)
    for sec in d.sections:
        if sec.name not in ("主诉", "现病史", "处理意见", "体格检查"):
            continue
        for s in sec.sentences:
            assert s.status == "supported", (sec.name, s.text, s.reasons)
            assert any(p.kind == "span" for p in s.provenance), s.text


def test_a_spoken_prohibition_supports_its_record_wording():
    checker = GroundingChecker([SourceText("turn:1", "伤口两天内别碰水，别吃辣的。", "医生", "doctor")])
    assert checker.check("勿吃辣的。").status == "supported"


def test_every_speech_rule_matches_its_example():
    rules = speech_rules()
    assert rules.conversation and rules.patient and "末次月经" in rules.subjects


def test_a_vendor_draft_in_record_wording_is_supported_and_planted_errors_are_caught():
    from yizhu.clinical.notes.verify import verify_note

    good = ("现病史：患儿1周前开始流涕，数天前出现咳嗽，1天前发热，体温38.6℃。大便3天未排。\n"
            "处理意见：体温38.5℃以上口服布洛芬混悬液，每次4ml。")
    assert {r["status"] for r in verify_note(COLD, good)["sentences"]} == {"supported"}
    bad = ("现病史：患儿2周前开始流涕。大便5天未排。无咳嗽。\n"
           "处理意见：体温38.5℃以上口服对乙酰氨基酚，每次4ml。")
    statuses = [r["status"] for r in verify_note(COLD, bad)["sentences"]]
    assert statuses.count("supported") == 0, statuses
    good_itch = "主诉：外阴瘙痒1周。\n现病史：夜尿2-3次。末次月经12月1号。1个月前出现尿频。"
    assert {r["status"] for r in verify_note(ITCH, good_itch)["sentences"]} == {"supported"}
