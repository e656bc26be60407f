"""The patient's words are put in record wording or left out — never copied (issue 13 item 4, issue 12 item 4).

Every dialogue here is synthetic (合成), written for these tests in wording of its own; none copies a blind
case of tests/realworld/. A patient's or relative's clause is read in three steps: dialect function and
measure words in standard Mandarin (没得 → 没有, 一天拉四五道 → 每日排便四五次), lay and dialect words through
the shared colloquial lexicon (气紧 → 气促, 脚杆 → 下肢), then the patient's spoken forms (老公说 → 家属诉).
A clause that still carries a spoken form (a dialect word, a reduplicated description such as 好好的 or
迷迷糊糊, an intensifier such as 得很, a near miss) is never copied: it is listed as left out when it names a
clinical term, and dropped as conversation when it names none. Lexicon matches respect word boundaries
(担心|口服 holds no 心口), so a rewrite never turns words into another finding.
"""

from __future__ import annotations

import re

import pytest

from tests.clinical.notes.drafts import draft as _draft
from tests.clinical.notes.drafts import section_text as _sec
from yizhu.clinical.notes.speech import LEFT_OUT, dialect_to_standard, record_clauses, spoken_marker
from yizhu.clinical.notes.types import NoteDraft
from yizhu.knowledge.terminology.colloquial import colloquial


def _left(d: NoteDraft) -> list[dict]:
    return [o for o in d.omissions if o["kind"] == "patient_words"]


# synthetic: an old man from the south-west with breathlessness, answering in dialect
BREATH = """医生：老人家哪里不舒服？
患者：这半个月气紧，爬两层楼就出气不赢。
医生：发不发烧？
患者：没得。
医生：脚肿不肿？
患者：脚杆子有点肿。
医生：晚上睡得平吗？
患者：躺平了就咳，要垫高枕头。
医生：双肺底可闻及湿啰音，双下肢凹陷性水肿。
医生：考虑慢性心力衰竭。
患者：要得，麻烦医生了。"""

# synthetic: a woman whose husband noticed her memory, with reduplicated and intensified lay words
MEMORY = """医生：哪里不舒服？
患者：最近脑子里昏昏沉沉的，老公说我丢三落四。
医生：还有别的吗？
患者：肚子胀鼓鼓的，家里闲得慌。
医生：有没有摔过？
患者：上礼拜差点摔倒。
医生：神志清，定向力正常。
医生：考虑焦虑状态。"""


def test_dialect_function_and_measure_words_read_as_standard_mandarin():
    assert dialect_to_standard("没得痰") == "没有痰"
    assert dialect_to_standard("不晓得") == "不知道"
    assert dialect_to_standard("一天拉四五道") == "每日排便四五次"


@pytest.mark.parametrize(("said", "written"), [
    ("走两步就气紧", "气促"), ("出气不赢", "气促"), ("脚杆子肿", "下肢"), ("腰杆疼", "腰"),
    ("屙稀三天", "腹泻"), ("脑壳疼", "头"), ("翻不得身", "翻身困难"), ("脚上烂了个洞", "溃疡"),
    ("说话含含糊糊的", "言语不清"), ("差点摔倒", "站立不稳"),
])
def test_dialect_and_lay_words_have_record_terms_in_the_lexicon(said: str, written: str):
    assert written in colloquial().normalise(said).text


@pytest.mark.parametrize(("clause", "marker"), [
    ("在家玩得好好的", "reduplicated description"), ("晕晕乎乎", "reduplicated description"),
    ("痒得很", "spoken intensifier"), ("差一点晕过去", "near miss"), ("啥子都吃不下", "dialect word"),
])
def test_spoken_forms_that_no_rule_rewrote_are_recognised(clause: str, marker: str):
    assert spoken_marker(clause) == marker


@pytest.mark.parametrize("clause", ["大便是黄的", "母亲有高血压", "下肢水肿", "每天早晚各1次", "反复咳嗽"])
def test_record_wording_carries_no_spoken_marker(clause: str):
    assert spoken_marker(clause) is None


def test_a_clause_left_in_speech_is_listed_when_it_names_a_finding_and_dropped_when_it_does_not():
    token = LEFT_OUT.set([])
    try:
        out = record_clauses("腹胀鼓鼓的，在家闲得慌，无发热。")
        left = LEFT_OUT.get() or []
    finally:
        LEFT_OUT.reset(token)
    # register gate (round 10): the finding is rebuilt in record words; the clause with no finding is
    # listed for the clinician, never silently dropped
    assert out == "腹胀，无发热。"
    assert [x.clause for x in left] == ["在家闲得慌"]


def test_a_dialect_dialogue_is_written_in_record_wording():
    d = _draft("outpatient", BREATH)
    hpi = _sec(d, "现病史")
    # 脚杆子有点肿: rebuilt only when grounding reads it, else listed with its turn (never copied)
    assert "气促" in hpi and "无发热" in hpi
    # a finding is written once: a rebuilt clause never repeats what its sentence already says
    assert hpi.count("气促") == 1, hpi
    clauses = [c for c in re.split(r"[，。；]", hpi) if c]
    assert len(clauses) == len(set(clauses)), hpi
    assert "下肢" in hpi or any("下肢" in g["clause"] for g in d.register_gate if g["verdict"] == "left_out")
    for said in ("气紧", "出气不赢", "没得", "脚杆", "要得", "老人家"):
        assert said not in d.text, said
    assert _sec(d, "主诉").startswith(("气促", "呼吸急促"))


def test_words_no_rule_can_word_are_listed_as_left_out_not_copied():
    d = _draft("outpatient", MEMORY)
    for said in ("昏昏沉沉", "鼓鼓", "闲得慌", "差点", "老公说"):
        assert said not in d.text, said
    hpi = _sec(d, "现病史")
    assert "头昏沉" in hpi or "昏沉" in hpi
    assert "站立不稳" in hpi
    # 丢三落四 names no finding the rules read: listed with the relative's account, not copied
    assert any("家属诉" in g["clause"] and g["verdict"] == "left_out" for g in d.register_gate)
    assert "腹部胀感" in hpi or "腹胀" in hpi
    left = _left(d)
    assert left and left[0]["status"] == "left_out" and left[0]["source"] and "未写入病历" in left[0]["reason"]


def test_a_bare_answer_denies_what_its_question_asks():
    d = _draft("outpatient", "医生：哪里不舒服？\n家属：孩子咳嗽三天。\n医生：跑完步会喘吗？\n家属：不会，在学校跑得欢欢的。")
    hpi = _sec(d, "现病史")
    assert "无喘息" in hpi or "无气促" in hpi
    assert "欢欢" not in d.text and "不会" not in d.text


# ── safety: a rewrite never turns words into another finding ─────────────────────────────────────────


@pytest.mark.parametrize(("said", "never"), [
    ("我担心口服药伤胃", "剑突下"),   # 担心|口服: no 心口
    ("早上吐了口痰", "呕吐"),         # spitting phlegm is not vomiting
    ("以前烟抽了二十年", "抽搐"),
])
def test_lexicon_matches_respect_word_boundaries(said: str, never: str):
    assert never not in colloquial().normalise(said, context="抽烟吗").text


def test_a_side_before_a_lay_form_is_not_a_word_boundary():
    assert colloquial().normalise("右腿没劲").text.endswith("无力")


def test_no_finding_is_invented_from_patient_words():
    talk = ("医生：哪里不舒服？\n患者：我担心口服药伤胃，早上吐了口痰，有点黄。\n医生：发烧吗？\n患者：没得。\n"
            "医生：咽部充血。考虑急性支气管炎。")
    d = _draft("outpatient", talk)
    assert "剑突下" not in d.text and "呕吐" not in d.text and "伴发热" not in d.text


# ── bare answers take the subject of the question they answer ─────────────────────────────────────────


def test_each_answer_sentence_answers_its_own_question():
    d = _draft("outpatient", "医生：哪里不舒服？\n患者：胃疼三天。\n医生：以前这样过吗？对什么药过敏吗？\n"
                             "患者：去年有过一次。没有药物过敏。\n医生：考虑急性胃炎。")
    assert "过敏去年" not in d.text and "过敏1年前" not in d.text
    assert "有类似发作1次" in d.text


def test_a_denied_use_takes_the_drug_the_question_names():
    d = _draft("outpatient", "医生：咳嗽几天了？\n患者：五天。\n医生：右美沙芬用过没有？\n"
                             "患者：一次都没用过。\n医生：考虑急性支气管炎。")
    hpi = _sec(d, "现病史")
    assert "右美沙芬未用过" in hpi and "都没用过" not in d.text


def test_a_finding_said_twice_in_one_sentence_is_written_once():
    token = LEFT_OUT.set([])
    try:
        assert record_clauses("2天前开始尿频，尿急，尿频。") == "2天前开始尿频，尿急。"
    finally:
        LEFT_OUT.reset(token)


# synthetic: a northern patient with a stomach upset, in regional lay words
UPSET = """医生：哪儿不得劲？
患者：大夫，这两天肚子贼疼，咋整啊，昨天还吐得凶，打摆子。
医生：拉肚子吗？
患者：拉了，一天拉了四五回，稀得跟水似的。
医生：还有哪里不舒服？
患者：心头慌得很，浑身没劲儿。
医生：以前有啥病没？
患者：没啥病。
医生：腹软，脐周压痛。考虑急性胃肠炎。
患者：中，谢谢大夫。"""


def test_regional_lay_words_are_written_clinically_and_grounded():
    d = _draft("outpatient", UPSET)
    hpi = _sec(d, "现病史")
    for said in ("贼", "咋整", "吐得凶", "打摆子", "稀得跟水似的", "心头慌", "没劲儿", "没啥病", "中，"):
        assert said not in d.text, said
    for written in ("疼痛明显", "呕吐明显", "寒战", "水样便", "心悸", "乏力"):
        assert written in hpi, written
    assert "既往体健" in _sec(d, "既往史")
    flagged = [s.text for sec in d.sections for s in sec.sentences if s.status != "supported"]
    assert flagged == []


def test_an_as_usual_answer_without_a_named_subject_is_listed_not_written_bare():
    d = _draft("outpatient", "医生：哪里不舒服？\n家属：孩子咳嗽三天。\n医生：尿多不多？\n家属：跟平时差不多。\n"
                             "医生：睡眠怎么样？\n家属：跟平时一样。\n医生：考虑急性支气管炎。")
    hpi = _sec(d, "现病史")
    assert "睡眠如常" in hpi and "。如常" not in hpi and not hpi.startswith("如常")
    assert any(o["text"].startswith("跟平时差不多") for o in _left(d))


def test_lay_words_of_a_sick_child_are_written_clinically():
    d = _draft("outpatient", "医生：孩子怎么了？\n家属：发烧两天，饭不怎么吃，精神蔫蔫的，老想睡，嗓子哑哑的。\n"
                             "医生：以前住过院吗？\n家属：两岁的时候肺炎住过一次。\n医生：咽部充血。考虑急性喉炎。")
    text = d.text
    for written in ("食欲减退", "精神萎靡", "嗜睡", "声音嘶哑", "2岁时因肺炎住院1次"):
        assert written in text, written
    assert "蔫" not in text and "哑哑" not in text
