"""Routing, urgency and red-flag classes named by the fourth blind triage set (held by the lead, never read here),
each tested on synthetic wordings of our own with look-alikes that must not move:

1. 吐 read as "spit" (tǔ) near tooth-brushing, the gums or saliva: pink toothpaste foam is bleeding gums (口腔科),
   not vomited blood; a child's gum bleeding with no other bleeding sign is 口腔科's first;
2. a child's complaint about one organ (eye glued by discharge, ear running with fluid) goes to that organ's
   department first; a whole-child illness (fever, cough, diarrhoea) stays with 儿科;
3. the meaning beats a body word: the pulse felt at the wrist, a lingering cough with an itchy throat, sour fluid
   rising to the throat, bulging eyes with weight loss, a red patch on the white of the eye;
4. departments that had no lay words: 风湿免疫科, 血液内科/肿瘤科 (lymph nodes), 康复医学科, 乳腺外科, 血管外科, 骨科
   (chest-wall strain, knee osteoarthritis in northern dialect);
5. long-standing, stable urinary symptoms of an older man are routine; a bladder that will not empty is urgent;
6. a denied thought (没说过不想活) and black stool after animal blood fire nothing.

All texts are synthetic, written for these tests."""

from __future__ import annotations

import pytest

from yizhu.clinical.triage import run_triage


def triage(text: str, age: float | None = None, sex: str | None = None) -> dict:
    return run_triage(text, age=age, sex=sex, use_model=False, use_llm=False)


def names(text: str, age: float | None = None, sex: str | None = None) -> list[str]:
    return [d["name"] for d in triage(text, age, sex)["departments"]]


def flags(out: dict) -> list[str]:
    return [f["id"] for f in out["red_flags"]]


# ── 1. 吐 as "spit" ─────────────────────────────────────────────────────────────────────────────────

@pytest.mark.parametrize(("text", "age"), [
    ("早上刷牙吐出来的牙膏沫是粉红色的，牙龈一碰就出血", None),
    ("刷完牙吐的口水里带着血丝，牙龈有点红肿", 35),
    ("最近每次刷牙吐出来的泡沫都带血，牙花子有点肿", 40),
    ("吐口水的时候发现有血，好像是牙龈那里渗出来的", 30),
    ("漱口以后吐出来的水是淡红色的，牙缝里老出血", 52),
    ("刷牙的时候牙龈出血，吐出来的水红红的", 28),
])
def test_pink_spit_after_brushing_is_gum_bleeding(text: str, age: float | None) -> None:
    out = triage(text, age)
    assert out["departments"][0]["name"] == "口腔科"
    assert not out["red_flags"] and out["urgency"] == "routine"
    assert "呕吐" not in out["findings"]


@pytest.mark.parametrize("text", [
    "孩子7岁，刷牙的时候牙龈出血，吐出来的水红红的，身上没有青紫，也不流鼻血",
    "女儿5岁，这几天刷牙吐的沫子里有血，牙龈肿",
    "儿子8岁，刷完牙吐出来的口水带血，别的都挺好",
])
def test_a_childs_gum_bleeding_is_the_dentists_first(text: str) -> None:
    got = names(text)
    assert got[0] == "口腔科"
    assert "儿科" in got


@pytest.mark.parametrize("text", [
    "今天吐了好几口血，头晕心慌",
    "喝完酒吐出来的东西里全是血",
    "早上刷牙一阵恶心，吐出来的东西里带血",      # a retch while brushing is vomiting
    "刷完牙突然吐了一大口血，止不住",              # a mouthful of blood keeps the vomiting reading
])
def test_real_haematemesis_still_flags(text: str) -> None:
    out = triage(text, 50)
    assert "rf:gi_bleed" in flags(out) and out["urgency"] == "emergency"


def test_a_fit_with_foam_at_the_mouth_is_not_spitting() -> None:
    out = triage("我爸刚才突然倒地口吐白沫，流口水，手脚一直在抽，已经5分钟了", 60)
    assert "rf:seizure" in flags(out)


def test_a_child_bleeding_from_several_places_is_not_the_dentists() -> None:
    got = names("孩子6岁，身上老是青一块紫一块，刷牙牙龈出血，还经常流鼻血")
    assert got[0] != "口腔科"


def test_a_knocked_out_tooth_is_still_urgent() -> None:
    out = triage("孩子摔了一跤，门牙磕掉了一整颗", 9)
    assert out["urgency"] == "urgent" and names("孩子摔了一跤，门牙磕掉了一整颗", 9)[0] == "口腔科"


# ── 2. a child's one-organ complaint ────────────────────────────────────────────────────────────────

@pytest.mark.parametrize(("text", "dept"), [
    ("孩子3岁，眼白发红，早上起来眼屎把眼皮粘住了睁不开", "眼科"),
    ("宝宝4岁，两只眼睛红红的，黄色的分泌物很多，上下眼皮都黏在一起", "眼科"),
    ("女儿两岁，一直用手揪耳朵，耳朵里流出黄水", "耳鼻咽喉科"),
    ("儿子1岁半老抓耳朵哭，今天发现耳朵眼往外流黄色的水", "耳鼻咽喉科"),
    ("宝宝两岁多老拽耳朵哭闹，枕头上有黄色的水印，是从耳朵里流出来的", "耳鼻咽喉科"),
])
def test_a_childs_one_organ_complaint_goes_to_that_organ_first(text: str, dept: str) -> None:
    got = names(text)
    assert got[0] == dept
    assert "儿科" in got[:3]


@pytest.mark.parametrize("text", [
    "孩子3岁发烧39度，咳嗽有痰",
    "宝宝1岁拉肚子三天了，一天七八次",
    "孩子4岁发烧两天，今天身上出了红疹子",
    "孩子5岁，耳朵疼，还发烧38.6，精神也不好",
    "宝宝两岁，发烧，老揪耳朵，耳朵流脓",
])
def test_a_whole_child_illness_stays_with_paediatrics(text: str) -> None:
    assert names(text)[0] == "儿科"


# ── 3. the meaning beats a body word ────────────────────────────────────────────────────────────────

@pytest.mark.parametrize(("text", "dept"), [
    ("我自己摸手腕的脉，跳得乱七八糟的，一会快一会慢，心里发慌", "心血管内科"),
    ("给自己号脉发现脉搏不齐，时不时停一下，心慌", "心血管内科"),
    ("手腕上的脉搏摸着一下快一下慢，有时候漏跳", "心血管内科"),
    ("感冒好了以后咳嗽一个多月了，一躺下咳得更厉害，嗓子痒", "呼吸内科"),
    ("上个月感冒后一直干咳，晚上平躺就咳，喉咙发痒", "呼吸内科"),
    ("咳了快两个月了，嗓子一痒就咳，感冒早好了", "呼吸内科"),
    ("胸骨下面火辣辣的烧，酸水往嗓子眼反", "消化内科"),
    ("吃完饭以后心口下面烧xin，有酸水反到喉咙里", "消化内科"),
    ("最近老是烧心，酸水涌到嗓子，躺下更明显", "消化内科"),
    ("吃得多反而瘦了十几斤，手抖，眼睛往外鼓", "内分泌科"),
    ("最近饭量大增但是体重一直掉，手发抖，眼珠子突出来", "内分泌科"),
    ("有高血压，昨天咳得厉害，今天发现眼白上一大块鲜红的，不疼也不痒", "眼科"),
    ("早上照镜子发现眼白一片血红，不疼，我血压高", "眼科"),
])
def test_the_meaning_beats_the_body_word(text: str, dept: str) -> None:
    assert names(text, 50)[0] == dept


@pytest.mark.parametrize(("text", "dept"), [
    ("手腕疼，拧毛巾的时候更疼，大拇指那边肿", "手外科"),        # the wrist itself
    ("嗓子疼了三天，咽口水都疼，扁桃体肿", "耳鼻咽喉科"),        # a sore throat is the throat's
    ("一只眼睛往外突，看东西重影", "眼科"),                      # one bulging eye alone
    ("眼睛红，看东西模糊，怕光流泪", "眼科"),
])
def test_look_alikes_keep_their_department(text: str, dept: str) -> None:
    assert names(text, 40)[0] == dept


# ── 4. departments that needed lay words ───────────────────────────────────────────────────────────

@pytest.mark.parametrize(("text", "age", "dept"), [
    ("两只手的手指关节肿，早上起来僵硬一个多小时，握不成拳", 45, "风湿免疫科"),
    ("双手小关节对称肿痛，晨僵很久，拳头攥不紧", 50, "风湿免疫科"),
    ("脖子上长了几个疙瘩，不疼，越来越大，晚上出汗，瘦了十斤", 40, "血液内科"),
    ("腋窝下面摸到淋巴节肿大，不痛，最近盗汗体重下降", 55, "血液内科"),
    ("大腿根摸到好几个包，不疼，越长越大，夜里出汗", 48, "血液内科"),
    ("我爸中风以后左边手脚不利索，想做康复训练，挂什么科", 68, "康复医学科"),
    ("脑梗出院一个月了，想找地方做康复", 70, "康复医学科"),
    ("腿骨折手术后拆了石膏，膝盖弯不了，想做康复锻炼", 40, "康复医学科"),
    ("左边咪咪上摸到一个硬块，不疼", 35, "乳腺外科"),
    ("胸上摸到一个疙瘩，能推动，有点疼", 28, "乳腺外科"),
    ("奶子里有个包，一按有点疼", 33, "乳腺外科"),
    ("小腿上的青筋像蚯蚓一样鼓起来，腿沉，脚踝那块皮肤发黑发痒", 60, "血管外科"),
    ("腿上血管一条条凸出来弯弯曲曲，站久了腿发胀", 52, "血管外科"),
    ("搬重东西以后胸口右边疼，按着更疼，深吸气也疼", 35, "骨科"),
    ("前天扛了一袋米，今天胸前一侧痛，一压就疼，喘大气疼", 42, "骨科"),
    ("波棱盖疼，上下楼梯咔咔响，蹲下起不来", 65, "骨科"),
    ("膊楞盖子疼了好几年，腿有点罗圈，下楼疼", 70, "骨科"),
    ("我妈波罗盖疼，蹲下去就站不起来", 66, "骨科"),
])
def test_departments_reached_by_lay_words(text: str, age: float, dept: str) -> None:
    out = triage(text, age)
    assert out["departments"][0]["name"] == dept
    assert not out["red_flags"]


def test_lymph_nodes_also_list_oncology() -> None:
    assert "肿瘤科" in names("脖子上长了好几个疙瘩，不疼，越长越大，晚上出汗，瘦了十斤", 50)[:3]


@pytest.mark.parametrize(("text", "flag"), [
    ("搬重东西以后胸口压着疼，出了一身冷汗，左胳膊发麻", "rf:acs"),
    ("我爸中风过一次，今天早上起来突然又说不出话，右手没劲", "rf:stroke"),
    ("在做康复训练，刚才突然嘴歪了，说话含糊不清", "rf:stroke"),
])
def test_the_danger_reading_still_fires(text: str, flag: str) -> None:
    out = triage(text, 66)
    assert flag in flags(out) and out["urgency"] == "emergency"


@pytest.mark.parametrize(("text", "dept"), [
    ("大腿根鼓出来一个包，站着就出来，躺下一推就回去", "外科"),   # a hernia, not a lymph node
    ("嗓子疼，脖子上的淋巴结肿了有点疼", "耳鼻咽喉科"),              # a reactive node with a sore throat
    ("脸上长了好多小疙瘩，痒", "皮肤科"),
])
def test_lump_look_alikes_keep_their_department(text: str, dept: str) -> None:
    assert names(text, 30)[0] == dept


# ── 5. urgency of urinary symptoms ─────────────────────────────────────────────────────────────────

@pytest.mark.parametrize(("text", "age"), [
    ("我爸72岁，晚上起夜四五次，尿线很细，不过能尿出来，不疼不发烧", None),
    ("父亲68岁，夜里起来小便四五回，尿流很细，排尿费劲，没有尿痛和血尿，不发烧", 68),
    ("我今年70，最近半年晚上起夜五六次，尿不尽，尿完还滴滴答答", 70),
    ("我爸七十多了，夜尿多，一晚上起来四五次，尿得很细", 75),
])
def test_stable_lower_urinary_symptoms_are_routine(text: str, age: float | None) -> None:
    out = triage(text, age, "male")
    assert out["departments"][0]["name"] == "泌尿外科"
    assert out["urgency"] == "routine" and not out["red_flags"]


@pytest.mark.parametrize("text", [
    "老爷子从昨晚到现在一滴尿都尿不出来，小肚子胀得疼",
    "我爸尿不出来了，憋得小肚子胀痛",
    "外公一整天没尿，下腹鼓起来很硬",
])
def test_a_bladder_that_will_not_empty_is_urgent(text: str) -> None:
    assert triage(text, 78, "male")["urgency"] in ("urgent", "emergency")


def test_denied_dysuria_is_not_anuria() -> None:
    assert "无尿" not in triage("没有尿痛，也没有尿血，就是尿频", 40)["findings"]


# ── 6. a denied thought, and black stool after animal blood ─────────────────────────────────────────

@pytest.mark.parametrize("text", [
    "最近压力大总是焦虑，睡不着，也没说过不想活",
    "焦虑了半年，心里慌，从来没想过轻生",
    "妈妈最近情绪低落，问她也说没想过不想活",
    "我最近总是心慌焦虑，晚上睡不好，但没有过轻生的念头",
])
def test_a_denied_suicidal_thought_keeps_anxiety_routine(text: str) -> None:
    out = triage(text, 40)
    assert not out["red_flags"] and out["urgency"] == "routine"


@pytest.mark.parametrize("text", [
    "昨天吃了毛血旺，今天拉的大便是黑色的，成形，不头晕不心慌",
    "中午吃了鸭血粉丝汤，晚上大便发黑，没有别的不舒服",
    "晚饭吃了猪血，早上大便发黑，成形的，没头晕也不心慌",
])
def test_black_stool_after_animal_blood_is_not_a_bleed(text: str) -> None:
    out = triage(text, 35)
    assert not out["red_flags"] and out["urgency"] == "routine"


@pytest.mark.parametrize("text", [
    "这两天总想死，不想活了",
    "昨天吃了鸭血，今天拉黑便，头晕心慌",
])
def test_the_real_thing_still_fires(text: str) -> None:
    assert triage(text, 35)["urgency"] == "emergency"


# ── second round: wordings written after the first round passed (first run 48/53), and look-alikes ──────────

@pytest.mark.parametrize(("text", "age", "dept"), [
    ("刷牙总出血，吐出来的都是血水，牙龈红肿", 45, "口腔科"),
    ("每天早上刷牙，吐出来的牙膏泡沫都是粉色的，是怎么回事", 32, "口腔科"),
    ("孩子9岁，每次刷牙都吐出血沫子", None, "口腔科"),
    ("小腿静脉突出来，脚踝附近皮肤发黑，特别痒", 62, "血管外科"),
    ("提了一桶水以后右胸肋骨那里疼，咳嗽和深吸气都疼，按上去也疼", 45, "骨科"),
    ("腰扭了，搬东西的时候闪了一下", 40, "骨科"),
    ("走快了胸口就疼，歇一会就好，按着不疼", 65, "心血管内科"),
])
def test_second_round_wordings(text: str, age: float | None, dept: str) -> None:
    out = triage(text, age)
    assert out["departments"][0]["name"] == dept
    assert not out["red_flags"]


@pytest.mark.parametrize("text", [
    "焦虑失眠，家人问过，我也没有不想活的想法",
    "我没有不想活，就是心情不好",
    "我最近焦虑得厉害，心慌出汗，不过我从来没有想过伤害自己",
])
def test_second_round_denials(text: str) -> None:
    out = triage(text, 30)
    assert not out["red_flags"] and out["urgency"] == "routine"
    assert out["departments"][0]["name"] == "精神科"


@pytest.mark.parametrize(("text", "age", "dept"), [
    ("今天早上刷完牙吐了，吐出来的是早饭", 30, "消化内科"),       # 吐了 with food is vomiting
    ("乙肝小三阳能康复吗", 35, "肝病科"),                          # 康复 as getting well is not rehabilitation
    ("肝纤维化通过饮食调理能不能恢复健康", 50, "肝病科"),
    ("幽门螺杆菌杀菌过后什么时候可以去复检", 40, "消化内科"),
    ("脑梗后遗症吃什么药好", 70, "神经内科"),
    ("嗓子里总感觉有痰，咳不出来咽不下去", 40, "耳鼻咽喉科"),
    ("乳腺增生，来月经之前胀痛", 35, "乳腺外科"),
])
def test_second_round_look_alikes(text: str, age: float, dept: str) -> None:
    assert names(text, age)[0] == dept


def test_a_hot_red_painful_lump_is_not_a_lymphoma() -> None:
    assert "血液内科" not in names("脖子上长了个包，红肿热痛", 30)


def test_foam_of_a_fit_is_not_spit() -> None:
    got = names("宝宝8个月，突然牙关紧闭，四肢僵硬，口吐带血唾沫，抽了两分钟")
    assert got[0] != "口腔科"


# ── third round: wordings written after the second round passed (first run 30/35) ───────────────────

@pytest.mark.parametrize(("text", "age", "dept"), [
    ("我号了一下自己的脉，感觉跳跳停停的，胸口有点发慌", 66, "心血管内科"),
    ("我有高血压，咳嗽后眼睛白的地方出现一大片红色，不疼", 60, "眼科"),
    ("脖子和腋下都摸到肿大的淋巴结，不痛，半年瘦了二十斤，晚上出汗", 52, "血液内科"),
    ("车祸骨折做了手术，现在需要康复锻炼，去哪个科", 35, "康复医学科"),
    ("吃了猪血旺，拉的屎黑乎乎的，成形", 41, "消化内科"),
    ("怎么吃都不胖，反而瘦了，眼睛越来越大，心跳快", 25, "内分泌科"),
    ("下巴底下长了好几个疙瘩，不疼，越来越大，晚上出汗", 40, "血液内科"),
    ("胸前有个硬疙瘩，摸着不疼", 45, "乳腺外科"),
    ("我胸前长了很多小红疙瘩，痒", 25, "皮肤科"),
])
def test_third_round_wordings(text: str, age: float, dept: str) -> None:
    out = triage(text, age)
    assert out["departments"][0]["name"] == dept
    assert not out["red_flags"]


def test_explained_black_stool_does_not_put_emergency_first() -> None:
    out = triage("昨天晚上吃了毛血旺，今天早上拉的是黑便，成形的，没有头晕心慌", 33)
    assert out["departments"][0]["name"] == "消化内科"
    assert out["urgency"] == "routine" and not out["red_flags"]


@pytest.mark.parametrize("text", [
    "刚才出了车祸，腿上流了很多血，止不住",
    "车祸做完手术出院了，今天伤口又裂开流血止不住",
])
def test_trauma_bleeding_now_still_fires(text: str) -> None:
    assert "rf:major_bleeding_trauma" in flags(triage(text, 40))


# ── a hospital's combined department (甲乳外科) receives breast complaints ──────────────────────────────

def test_a_combined_thyroid_breast_department_receives_a_breast_lump() -> None:
    out = run_triage("左边咪咪上摸到一个硬块，不疼", departments=["甲乳外科", "妇科", "内科"], use_model=False,
                     use_llm=False)
    assert out["departments"][0]["name"] == "甲乳外科"


def test_without_a_combined_department_the_breast_lump_goes_to_general_surgery() -> None:
    out = run_triage("左边咪咪上摸到一个硬块，不疼", departments=["普外科", "妇科", "内科"], use_model=False,
                     use_llm=False)
    assert out["departments"][0]["name"] == "普外科"
