"""Routing classes found by the third blind triage set, each tested on its own synthetic wordings (none copied
from the cases), with look-alikes that must not move:

1. mixed pinyin and hanzi (gan炎, xue压, 甲zhuang腺) and homophone typos (转安酶) are read as the term they spell;
2. lay pictures of signs from the shared colloquial lexicon: urine like meat-washing water, 鬼剃头, pain with
   the period, bruises with no knock, squinting at the blackboard, hands washed over and over;
3. department logic: an organ department before 儿科 for a child's one-organ complaint, bleeding from several
   places → 血液内科, neck or back pain with a numb limb → 骨科, compulsions → 精神心理科, a body site told as
   fine (嗓子不紧) routes nowhere, a benign food explanation of red stool does not make it urgent, and a
   diagnosis already given counts above the symptoms around it.

All texts are synthetic, written for these tests."""

from __future__ import annotations

import pytest

from yizhu.clinical.triage import run_triage
from yizhu.clinical.triage.knowledge import positive


def triage(text: str, age: float | None = None, sex: str | None = None) -> dict:
    return run_triage(text, age=age, sex=sex, use_model=False, use_llm=False)


def top(text: str, age: float | None = None, sex: str | None = None) -> str:
    return triage(text, age, sex)["departments"][0]["name"]


def names(text: str, age: float | None = None, sex: str | None = None) -> list[str]:
    return [d["name"] for d in triage(text, age, sex)["departments"]]


# ── 1. pinyin and typos ─────────────────────────────────────────────────────────────────────────────

@pytest.mark.parametrize(("text", "dept"), [
    ("我爸查出来gan炎，转安酶一百多，要看哪个科", "肝病科"),
    ("老伴xue压一直降不下来，早上量160", "心血管内科"),
    ("体检说甲zhuang腺上有个结节，要不要紧", "内分泌科"),
    ("我有tang niao bing十年了，最近脚麻", "内分泌科"),
    ("这两天wei疼得厉害，吃完饭更明显", "消化内科"),
])
def test_mixed_pinyin_is_read_as_the_term(text: str, dept: str) -> None:
    assert top(text, 58) == dept


def test_latin_abbreviations_are_left_alone() -> None:
    out = triage("做了ct和mri都说没事，hbv dna也查了", 40)
    assert out["urgency"] == "routine"
    assert "内分泌科" not in [d["name"] for d in out["departments"][:1]]


def test_a_rewrite_adds_a_reading_and_never_removes_one() -> None:
    # the sting is written 蛰 here; a typo fix to 蜇 must not hide the anaphylaxis flag
    out = triage("被马蜂蛰了以后脸和嘴唇都肿起来，喘不上气", 30)
    assert out["red_flags"] and out["urgency"] == "emergency"


# ── 2. lay pictures of signs (the shared colloquial lexicon) ───────────────────────────────────────

def test_urine_like_meat_washing_water_is_haematuria() -> None:
    assert top("六十多了，早上起来小便像洗肉水一样，一点也不疼", 67, "male") == "泌尿外科"
    assert "血尿" in triage("小便像洗肉水一样", 67, "male")["findings"]


def test_meat_washing_water_stool_is_not_haematuria() -> None:
    assert "血尿" not in triage("拉的大便像洗肉水似的，一天五六次", 30)["findings"]


def test_patchy_hair_loss_goes_to_dermatology_even_under_stress() -> None:
    assert top("最近工作压力特别大，头顶秃了一块，家里老人说是鬼剃头", 28, "female") == "皮肤科"


def test_pain_with_the_period_goes_to_gynaecology() -> None:
    assert top("来例假的时候小肚子疼得直冒汗，还想吐，每个月都这样", 17, "female") == "妇产科"
    assert top("每回大姨妈一来就肚子疼，要吃止疼片", 24, "female") == "妇产科"


def test_squinting_at_the_board_goes_to_ophthalmology() -> None:
    assert top("儿子上四年级，老师反映他坐后排看不清黑板，看书离得很近", 10, "male") == "眼科"


def test_hands_washed_raw_over_and_over_go_to_psychiatry() -> None:
    assert top("每天反复洗手，洗到手背都裂口子了，明明知道没必要还是停不下来", 22) == "精神科"


# ── 3. department logic ───────────────────────────────────────────────────────────────────────────

@pytest.mark.parametrize(("text", "dept"), [
    ("孩子8岁，这周右边耳朵里面疼，掏耳朵有点黄水", "耳鼻咽喉科"),
    ("女儿6岁，下面的大牙有个黑洞，吃甜的就疼", "口腔科"),
    ("儿子10岁，手背上长了几个瘊子，越长越多", "皮肤科"),
])
def test_a_childs_one_organ_complaint_goes_to_that_organ_first(text: str, dept: str) -> None:
    got = names(text)
    assert got[0] == dept and "儿科" in got


@pytest.mark.parametrize("text", [
    "孩子5岁，耳朵疼，还发烧38.6，精神也不好",          # fever: a whole-child illness
    "宝宝3岁，手上脚上起红点，嘴里也长了泡，烧到38度",   # skin and mouth at once, with fever
])
def test_a_childs_systemic_illness_stays_with_paediatrics(text: str) -> None:
    assert names(text)[0] == "儿科"


def test_bleeding_from_several_places_goes_to_haematology() -> None:
    text = "腿上胳膊上总有乌青，想不起在哪碰的，这阵子流鼻血也多，刷牙出血"
    got = names(text, 35, "female")
    assert got[0] == "血液内科"


def test_gum_bleeding_alone_stays_with_the_dentist() -> None:
    assert top("刷牙的时候牙龈出血，有点口臭", 35) == "口腔科"


def test_neck_pain_with_numb_fingers_goes_to_orthopaedics_not_the_hand_surgeon() -> None:
    got = names("低头玩手机久了脖子又酸又疼，右手小拇指和无名指发麻", 32)
    assert got[0] == "骨科"
    assert got.index("骨科") < got.index("手外科") if "手外科" in got else True


def test_back_pain_running_into_a_numb_leg_goes_to_orthopaedics() -> None:
    assert top("搬完家腰疼了一礼拜，左腿外侧一直麻到脚面", 45) == "骨科"


def test_a_body_site_told_as_fine_routes_nowhere() -> None:
    out = triage("吃了海鲜后胳膊上起了一片风团，很痒，眼睛不肿，嗓子也不紧，呼吸也正常", 30)
    assert out["departments"][0]["name"] == "皮肤科"
    assert "耳鼻咽喉科" not in [d["name"] for d in out["departments"]]
    assert not out["red_flags"]


def test_a_conditional_not_is_not_a_negation() -> None:
    # 不…就: the cue governs the condition, not what follows 就
    assert positive("不锁三遍门就特别焦虑", ["焦虑"])
    assert positive("没吃药就头疼", ["头疼"])
    assert not positive("就是没发烧", ["发烧"])


def test_red_stool_after_red_fruit_in_a_well_child_is_not_urgent() -> None:
    out = triage("儿子4岁，昨天吃了好多红心火龙果，今天大便是红的，玩得挺好，是便血吗", 4, "male")
    assert out["urgency"] == "routine" and not out["red_flags"]
    assert out["departments"][0]["name"] == "儿科"


def test_red_stool_after_red_fruit_with_a_warning_sign_stays_urgent() -> None:
    out = triage("孩子4岁吃了火龙果，今天拉的是血便，肚子疼得直哭，脸色发白", 4)
    assert out["urgency"] != "routine"


def test_a_diagnosis_already_given_counts_above_the_symptoms() -> None:
    out = triage("去年确诊了肝硬化，最近肚子胀，吃不下饭", 55)
    assert out["departments"][0]["name"] == "肝病科"
    assert any("已诊断" in r for r in out["departments"][0]["reasons"])


def test_black_stool_after_animal_blood_without_a_warning_sign_stays_calm() -> None:
    out = triage("前天晚上吃了毛血旺，今天解的大便黑乎乎的，人没什么不舒服", 35)
    assert out["urgency"] == "routine" and not out["red_flags"]


def test_black_stool_after_animal_blood_with_dizziness_is_still_a_red_flag() -> None:
    out = triage("吃了猪血以后大便发黑，站起来头晕眼前发黑", 60)
    assert out["red_flags"] and out["urgency"] == "emergency"


def test_a_red_nappy_area_is_not_red_urine() -> None:
    assert "泌尿外科" not in names("宝宝10个月，纸尿裤包着的地方一片红红的")
