"""The register gate's rebuild invents no finding (notes10): a finding is read only from a word that means it.

Every sentence here is synthetic (合成), written for these tests; none copies a case of tests/realworld/.
Classes: (1) a character of a finding inside another word (吐 in 吐口水, 烧 in 烧饭, 疼 in 心疼, 酸 in 酸奶, a
drug's name) gives no finding; (2) a verb said with 了 and an object is read with its object (吐了口痰 is 吐痰,
咳痰; 吐了口血 is 呕血; an object the packs name no finding with gives none), while a count or a time after the
verb is no object (吐了两次 stays 呕吐); (3) a colour or quality said without its subject (有点黄, 有点红) is no
finding: written with the subject the clause before names (咳痰，痰黄; 大便稀，黄色), else left out; (4) a rebuilt
clause does not write again a finding the sentence already says.
"""

from __future__ import annotations

import re

import pytest

from yizhu.clinical.notes.register import QUALITY_ALONE, gate, quality_only, rebuild, register_data
from yizhu.clinical.notes.speech import GATED, LEFT_OUT, record_clauses

#: findings a rebuild could invent from a look-alike character
_INVENTED = ("呕吐", "恶心", "发热", "高热", "疼痛", "酸胀", "麻木", "无力", "皮温升高", "胀感", "头晕", "次数增多", "发红",
             "渗液", "呕血", "咳痰")


@pytest.mark.parametrize("clause", [
    "他老是吐口水",        # spitting
    "一直吐唾沫",
    "孩子吐字不清楚",      # articulation (a finding for the clinician, never vomiting)
    "在家烧饭的时候",      # cooking
    "晚上烧水洗澡",
    "我心疼孩子",          # feeling for someone
    "喝了酸奶就好了",      # yoghurt
    "吃了麻辣烫",          # a food: neither numbness nor a warm skin
    "平时玩软件",          # software
    "水太烫了",            # the water is hot, not the skin
    "吃了止痛药",          # a painkiller named: the pain was not said
    "吃了醋酸泼尼松",      # 酸 inside a drug's name
    "吐了点东西",          # an object the packs name no finding with: left to the clinician
    "他坐车晕车",          # motion sickness
    "做了个烫发",
    "家里人都很勤快",
    "有点红",              # a colour without its place
    "有点黄",              # a colour without its subject
])
def test_a_finding_is_never_read_from_a_character_of_another_word(clause: str):
    built = rebuild(clause)
    assert not any(f in built for f in _INVENTED), (clause, built)
    verdict, text, _ = gate(clause)
    assert not any(f in text for f in _INVENTED), (clause, verdict, text)


@pytest.mark.parametrize(("clause", "want"), [
    ("早上吐了口痰", "咳痰"),      # 吐痰 is expectoration
    ("吐了一口血", "呕血"),
    ("昨天吐了两次", "呕吐"),      # a count is no object: vomiting stays vomiting
    ("发烧到半夜", "发热"),
    ("腿疼得厉害", "疼痛"),
    ("心口烧", "烧心"),            # 烧 in a finding's own word
    ("额头摸着烫", "皮温升高"),    # 烫 said of the body
    ("眼睛有点红", "眼发红"),      # a colour with its place
    ("手烫伤了", "烫伤"),          # a look-alike the packs name as a finding is that finding
])
def test_look_alikes_that_are_findings_stay_findings(clause: str, want: str):
    assert want in rebuild(clause), (clause, rebuild(clause))


def test_look_alikes_are_facts_with_a_reason():
    data = register_data()
    assert all(la.means for la in data.look_alikes)
    assert len({la.word for la in data.look_alikes}) == len(data.look_alikes)


@pytest.mark.parametrize(("clause", "quality"), [
    ("黄", "黄"), ("黄色的", "黄色"), ("颜色偏黄", "偏黄"), ("稀的", "稀"), ("有点黄", "黄"),
])
def test_a_quality_alone_is_recognised(clause: str, quality: str):
    assert quality_only(clause) == quality
    assert gate(clause)[0] == "left_out" and gate(clause)[2] == QUALITY_ALONE


@pytest.mark.parametrize("clause", ["黄色稀便", "大便黄色", "痰黄", "咳黄痰"])
def test_a_quality_with_its_subject_is_no_quality_alone(clause: str):
    assert quality_only(clause) is None


def _record(text: str) -> tuple[str, list]:
    tl, tg = LEFT_OUT.set([]), GATED.set([])
    try:
        return record_clauses(text), GATED.get() or []
    finally:
        LEFT_OUT.reset(tl)
        GATED.reset(tg)


@pytest.mark.parametrize(("said", "want", "never"), [
    ("吐了口痰，有点黄。", "痰黄", ("呕吐", "，黄")),
    ("咳嗽，吐了口痰，有点白。", "痰白", ("呕吐",)),
    # the clause before opens with the subject: the quality continues its description, as a record lists them
    ("大便稀，黄色的。", "大便稀，黄色", ()),
    ("小便少，有点黄。", "小便少，黄", ()),
])
def test_a_quality_is_written_with_the_subject_said_before_it(said: str, want: str, never: tuple[str, ...]):
    out, _ = _record(said)
    assert want in out and not any(n in out for n in never), out


@pytest.mark.parametrize("said", ["早上起来，有点黄。", "嗓子不舒服，有点红。", "有点黄。"])
def test_a_quality_with_no_subject_before_it_is_left_out_and_listed(said: str):
    out, gated = _record(said)
    assert "黄" not in out and "红" not in out, out
    assert any(g.written == "" and g.reason == QUALITY_ALONE for g in gated)


@pytest.mark.parametrize(("said", "finding"), [
    ("半个月气促，爬两层楼就气促。", "气促"),
    ("3天腹痛，吃完饭就腹痛。", "腹痛"),
    ("头晕2天，一转身头就晕。", "头晕"),
])
def test_a_rebuilt_clause_does_not_repeat_a_finding_of_its_sentence(said: str, finding: str):
    out, _ = _record(said)
    assert out.count(finding) == 1, out
    clauses = [c for c in re.split(r"[，。；]", out) if c]
    assert len(clauses) == len(set(clauses)), out


# ── what a clause tells of no finding of the patient's (hand-judged IMCS sample, notes10) ─────────────────


@pytest.mark.parametrize(("clause", "never"), [
    ("刚才也问过患儿有无头痛", "无头痛"),              # a question asked is no denial
    ("是否有发热", "发热"),
    ("家属害怕是肠套叠", "肠套叠"),                    # a fear is no diagnosis
    ("看着是消化不良", "消化不良"),                    # a guess is no finding
    ("患儿很少有流涕", "流涕"),                        # a rarity is neither present nor denied
    ("患儿咳嗽不是太勤", "次数增多"),                  # a hedged denial
    ("这个年龄段的患儿肺炎多见", "肺炎"),              # children in general
    ("贫血会导致生长发育落后", "贫血"),                # what a disease causes
    ("感冒多是病毒感染引起", "感冒"),
    ("家属婆婆感冒", "感冒"),                          # another person's illness
    ("班上同学都在咳嗽", "咳嗽"),
    ("不过家属也感冒了", "感冒"),                      # the relative's own illness
    ("患儿现在咳嗽是白天严重还是夜间严重", "夜间"),    # an either-or question
    ("患儿还有流涕喷嚏吗现在", "流涕"),                # 吗 before a time word is still a question
    ("有的患儿会有消化不良症状", "消化不良"),          # some children
    ("这个药对腹泻的患儿有效果", "腹泻"),              # children with a disease, in general
    ("声音嘶哑也是一种感冒症状", "感冒"),
    ("里边有热退的成分", "热退"),                      # a medicine's content
    ("家属把咳嗽药换了", "咳嗽"),                      # a medicine named by a finding
    ("口服肺力咳嗽合剂", "咳嗽"),
    ("没有腹泻次数很多", "腹泻"),                      # an amount denied: neither the finding nor its denial
    ("稀稀的像水样", "水样"),                          # a quality without its subject
    ("有时候还干呕是怎么回事", "干呕"),                # a question
    ("还得小心患儿高热", "高热"),                      # advice: what to watch for
    ("以防患儿着凉感冒", "感冒"),                      # prevention
    ("吸入性肺炎的话", "肺炎"),                        # a condition
    ("呼吸道感染患儿在早期会出现反复的发热", "发热"),  # what a disease does, in general
    ("心肌损伤的患儿就会出现精神状态差", "精神"),      # children of a kind
    ("接触的患儿就是咳嗽咳痰流涕", "咳嗽"),            # the child in contact
    ("不会出现发热", "发热"),                          # what would not happen: neither a finding nor a denial
    ("患儿无发热时见好不好用", "发热"),                # an A-not-A question
    ("黄痰还是白痰", "痰"),                            # an either-or question without 是
    ("比如发热", "发热"),                              # examples
    ("是针对患儿呼吸道感染咳嗽咳痰症状", "咳嗽"),      # a medicine's indication
    ("发热是种症状", "发热"),                          # a statement about a finding in general
    ("所以患儿夜间发热很常见", "发热"),
    ("肚脐发炎与黄疸有直接的关系", "黄疸"),            # a relation
    ("于1个月还黄的患儿最好找一下黄疸的原因", "黄疸"),  # children of a kind
    ("患儿爷爷感冒了", "感冒"),                        # the patient's grandfather
])
def test_a_clause_that_tells_no_finding_of_the_patient_is_not_rebuilt_into_one(clause: str, never: str):
    assert never not in rebuild(clause), (clause, rebuild(clause))


@pytest.mark.parametrize(("clause", "want"), [
    ("1天前跟朋友喝了1斤白酒", "白酒"),                # a companion: the patient is still the subject
    ("怕冷", ""),                                      # 怕冷 is a finding word, no fear (read by the packs, or listed)
    ("患儿咳嗽加重", "咳嗽加重"),
])
def test_look_alikes_of_clauses_that_tell_nothing(clause: str, want: str):
    assert want in rebuild(clause), (clause, rebuild(clause))


def test_the_rest_of_a_conditional_sentence_is_what_would_happen():
    out, _ = _record("如果大便次数增多，患儿不吃奶，精神差就要及时到医院。")
    assert "精神差" not in out and "不吃奶" not in out and "吃奶差" not in out, out
    out, _ = _record("患儿精神差，不吃奶。")  # no condition: the findings are told
    assert "精神差" in out, out


@pytest.mark.parametrize(("clause", "want"), [
    ("家属注意到患儿夜间咳嗽", "咳嗽"),                # 注意到 is noticing, no advice
    ("患儿6个月的时候发热", "发热"),                   # an age said with 的 is no children in general
    ("患儿没有再发热", "无发热"),                      # a denial across 再
    ("患儿现在咽部还有口腔未见溃疡", "无溃疡"),        # a denial across 见
    ("患儿咳嗽还是很厉害", "咳嗽"),                    # 还是 as "still": no either-or question
    ("静脉输液以后咳嗽症状缓解了", "咳嗽好转"),        # an easing is written with its finding
])
def test_look_alikes_of_advice_and_children_in_general(clause: str, want: str):
    assert want in rebuild(clause), (clause, rebuild(clause))


def test_the_rest_of_a_sentence_about_children_of_a_kind_is_theirs():
    out, _ = _record("乳糖不耐受的患儿，由于缺乏乳糖酶，就会腹泻。")
    assert "腹泻" not in out, out


def test_the_rest_of_a_sentence_about_children_of_an_age_is_theirs():
    out, _ = _record("对于这个年龄段的患儿来说，肺炎是比较严重的。")
    assert "肺炎" not in out, out


def test_an_either_or_question_across_two_clauses_is_asked_not_told():
    out, _ = _record("是活动后出汗多，还是睡眠后出汗多？")
    assert "汗" not in out, out
    out, _ = _record("打针吃药半个月，还是咳嗽。")  # 还是 as 'still': told
    assert "咳嗽" in out, out


@pytest.mark.parametrize(("clause", "want", "never"), [
    ("患儿腹泻还是没有好转", "腹泻未见好转", "腹泻好转"),  # a denied easing, written after its finding
    ("咳嗽不严重", "咳嗽", "明显"),                    # a denied severity
    ("患儿一直无咳嗽", "无咳嗽", "持续无"),            # a denial read as one term is a denial
    ("体温反复超过39度了", "超过39", "体温39℃"),       # a value said as a bound keeps it
])
def test_a_denied_course_is_no_course(clause: str, want: str, never: str):
    built = rebuild(clause)
    assert want in built and never not in built, (clause, built)


def test_an_occasional_finding_is_never_written_persistent():
    built = rebuild("所以一直偶尔咳嗽")
    assert "持续" not in built and "反复" not in built, built


def test_what_is_brought_up_after_a_cough_is_no_vomiting():
    assert "呕吐" not in rebuild("呕吐出来", written="咳嗽明显，")
    assert "呕吐" in rebuild("患儿一口服药物就呕吐出来")  # no cough before: vomiting


def test_what_a_measure_would_bring_is_no_history():
    out, _ = _record("这样就能保证患儿的营养，又无腹泻了。")
    assert "腹泻" not in out, out


def test_what_will_happen_as_the_child_grows_is_no_history():
    out, _ = _record("随着患儿年龄长大，就无呕吐了。")
    assert "呕吐" not in out, out


def test_a_denial_covers_the_run_of_findings_after_it():
    built = rebuild("患儿无咳嗽咳痰过")
    assert "无咳嗽" in built and "咳痰" not in built.replace("无咳嗽、咳痰", ""), built
    assert "无咳嗽" not in rebuild("患儿无发热，咳嗽")  # a finding apart is no run


def test_the_time_since_another_event_is_no_duration_of_the_finding():
    assert "15天" not in rebuild("之前患儿就是肺炎出院有15天")
    assert "42天" not in rebuild("患儿从42天以后就消化不良")  # a start, no duration


@pytest.mark.parametrize("said", ["感冒了，患儿也会有发热，流涕。", "患儿大部分肺炎都无咳嗽，早期只有口吐泡泡，像小金鱼一样。",
                                  "缺乏会导致患儿睡眠不沉，哭闹。", "患儿不吃东西，哭闹，就是精神不好的表现。",
                                  "有的患儿肠道内缺乏消化酶，吃母乳就腹泻。",
                                  "小孩子的肺炎表现，1是咳嗽咳痰；2是可能发热。"])
def test_a_sentence_about_children_in_general_gives_no_finding(said: str):
    out, _ = _record(said)
    assert not any(w in out for w in ("感冒", "发热", "流涕", "肺炎", "金鱼", "哭闹", "腹泻", "咳嗽")), out


def test_an_easing_says_more_than_marked():
    built = rebuild("肺炎的症状明显的缓解了")
    assert "好转" in built and "肺炎明显" not in built, built


def test_a_count_said_right_after_its_finding_is_kept():
    assert "2次" in rebuild("昨天呕吐了2次") and "3次" in rebuild("腹泻3次")


def test_a_finding_said_gone_is_written_gone():
    assert rebuild("发热没有了") == "发热好转"


def test_diarrhoea_said_as_diarrhoea_stays():
    assert "腹泻" in rebuild("患儿今天腹泻3次")


def test_the_rest_of_a_sentence_of_things_to_watch_is_no_history():
    out, _ = _record("在家观察患儿的精神食欲，咳嗽及鼻塞的情况。")
    assert "咳嗽" not in out and "鼻塞" not in out, out


def test_a_relative_who_tells_is_no_other_person():
    assert "咳嗽" in rebuild("家属发现患儿夜间咳嗽")


def test_the_sentence_after_another_persons_illness_is_theirs():
    out, gated = _record("1天前家里来个小朋友，一直咳嗽。")
    assert "咳嗽" not in out, out
    assert any(g.clause.endswith("一直咳嗽") and g.written == "" for g in gated)
    out, _ = _record("家属婆婆感冒，患儿1天前开始流涕。")
    assert "流涕" in out and "感冒" not in out, out


@pytest.mark.parametrize(("clause", "never"), [
    ("患儿没口服头孢类药物", "头孢"),                  # a drug denied
    ("家属家里有罗红霉素和头孢", "罗红霉素"),          # a drug at home is no drug taken
    ("想给患儿吃点阿莫西林", "阿莫西林"),              # a drug wished for
    ("给患儿吃了止咳嗽祛痰的", "咳嗽"),                # a medicine named by its aim: the cough was not said
    ("用了退热贴", "发热"),
])
def test_a_drug_named_but_not_taken_gives_no_drug_or_finding(clause: str, never: str):
    assert never not in rebuild(clause), (clause, rebuild(clause))


@pytest.mark.parametrize(("clause", "want"), [
    ("患儿吃了阿莫西林", "阿莫西林"),
    ("每天口服二甲双胍0.5g", "二甲双胍"),
    ("诊所给开的复方新诺明", "复方新诺明"),          # prescribed
    ("阿司匹林过敏", "阿司匹林"),                      # an allergen is written as said, with no use verb
])
def test_a_drug_taken_is_written(clause: str, want: str):
    assert want in rebuild(clause), (clause, rebuild(clause))


@pytest.mark.parametrize(("clause", "never"), [
    ("患儿10月份患支原体肺炎", "10月"),                # a month of the year is no duration
    ("患儿在2个月时腹泻比较严重", "2个月"),            # an age is no duration
    ("患儿出生5天有黄疸", "5天"),
])
def test_a_date_or_an_age_is_no_duration(clause: str, never: str):
    built = rebuild(clause)
    assert never not in built, (clause, built)


def test_a_frame_word_of_the_history_is_no_finding():
    assert rebuild("偶有鼻翼还会动") == ""


# ── closed world: a clause is rebuilt only when every word of it is read ─────────────────────────────


@pytest.mark.parametrize(("clause", "never"), [
    ("还是等便秘好了再吃", "便秘"),                    # a wait: 等…再 is unread, the clause is listed
    ("看看患儿是病毒感染", "病毒感染"),                # to be checked
    ("鹅口疮是不会影响患儿吃奶", "鹅口疮"),            # a statement about a disease
    ("要尽量减少这种溢乳", "溢乳"),                    # advice
    ("这样会使患儿腹泻好的快一些", "腹泻"),
    ("家属不喂奶患儿就无腹泻", "腹泻"),                # a condition said with 就
    ("也呕吐不出来", "呕吐"),                          # a denied result: it did not happen
    ("今天家属妹妹家的患儿咳嗽了来家属家里了", "咳嗽"),  # the sister's child
    ("患者们第1次注射后发热", "1次"),                  # which time, no count
    ("患儿大便才腹泻1次", "腹泻"),                    # a bowel movement (拉了一次) the lexicon read as diarrhoea
    ("母乳性黄疸", "母乳喂养"),                        # a cause named, no feeding
    ("现在黄疸患儿太多了", "黄疸"),                    # children in general
    ("患儿晚上睡觉咳嗽不", "咳嗽"),                    # a question said with a closing 不
    ("体温超过38.5给患儿口服解热镇痛药", "38.5"),      # a threshold to act on, no value measured
    ("不吃东西就是精神不好的表现", "精神"),            # a sign of something, in general
    ("但是呕吐黄痰", "呕吐"),                          # 吐黄痰 is expectorating (the lexicon read 吐 as 呕吐)
    ("患儿8个月！现在总是反复发热", "8个月"),          # an age said after the patient is no duration
    ("不能说患儿少许的肺炎就不严重", "肺炎"),          # what cannot be said
    ("患儿有喘息还是声音嘶哑", "喘息"),                # which of two findings: asked
    ("看来患儿也感冒了", "感冒"),                      # a guess
    ("患儿发热后大便了3次", "3次"),                    # the count is of the stools
    ("以前咳嗽吃点镇咳药就好了", "好转"),              # a past episode's course is no course now
    ("口服氨溴索呢", "氨溴索"),                        # a topic raised (…呢), no drug taken
    ("咳痰没有", "咳痰"),                              # 有痰没有: asked (or denied), never told
    ("医院患儿感冒太多了", "感冒"),                    # children in number
    ("最近感冒患儿比较多", "感冒"),
    ("或是患儿高热不退出现寒战抽搐及时去医院", "抽搐"),  # when to come back: advice, no history
])
def test_a_clause_with_words_the_rules_cannot_read_is_listed_not_rebuilt(clause: str, never: str):
    assert never not in rebuild(clause), (clause, rebuild(clause))


@pytest.mark.parametrize(("clause", "want"), [
    ("患儿吃了阿莫西林", "阿莫西林"),                  # a use verb is read
    ("2天前下楼梯崴了一下", "扭伤"),                   # the activity a finding came with
    ("2天前打球扭了一下", "扭伤"),
    ("晚上还要起夜2-3次", "夜"),
    ("孟鲁司特每天睡前嚼1片", "孟鲁司特"),
])
def test_a_clause_read_whole_is_rebuilt(clause: str, want: str):
    assert want in rebuild(clause), (clause, rebuild(clause))
