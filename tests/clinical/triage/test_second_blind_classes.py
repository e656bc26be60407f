"""The error classes the second blind set (triage-101..140) showed, each checked on wordings of our own
(not the cases'): red flags that were missing from the list, indirect wording of listed flags, same-day
urgency, lay body words, symptom clusters, and over-triage. Texts are synthetic, written for these tests."""

from __future__ import annotations

import pytest

from yizhu.clinical.triage import run_triage
from yizhu.clinical.triage.knowledge import department_rules, red_flags


def triage(text: str, **kw: object) -> dict:
    return run_triage(text, use_model=False, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "flag", "kw"), [
    # missing flags
    ("老公有糖尿病，三天没打胰岛素了，一直吐，呼吸又深又快，说话迷迷糊糊", "rf:dka", {}),
    ("冬天屋里烧着炭盆，一家三口早上起来都头痛想吐，孩子叫不醒", "rf:co_poisoning", {}),
    ("三岁女儿吃瓜子时呛到了，现在一直咳，喉咙里呼呼响", "rf:airway_foreign_body", {"age": 3}),
    ("今晚左眼突然胀痛得厉害，看路灯外面一圈彩虹，还恶心吐了", "rf:angle_closure_glaucoma", {}),
    ("怀孕36周，头痛得厉害，眼前发黑看不清，下午量血压170/105", "rf:severe_preeclampsia", {}),
    ("顺产后第十天，下面突然流血止不住，床单都湿透了", "rf:postpartum_haemorrhage", {}),
    # indirect wording of listed flags
    ("例假推迟十来天了，右边小腹越来越疼，刚刚在厕所差点晕倒，冒冷汗", "rf:ectopic_pregnancy", {"sex": "female"}),
    ("15岁的儿子早上突然说睾丸疼，肿起来了，疼得直冒汗吐了一次", "rf:testicular_torsion", {}),
    ("我已经把存款都转给爸妈，狗也托付给邻居了，觉得自己是个累赘", "rf:suicide", {}),
])
def test_each_new_red_flag_fires_on_our_own_wording(text: str, flag: str, kw: dict) -> None:
    out = triage(text, **kw)
    assert out["urgency"] == "emergency", out
    assert flag in {f["id"] for f in out["red_flags"]}, out["red_flags"]


@pytest.mark.parametrize(("text", "dept", "kw"), [
    ("打篮球被撞了一下，门牙整颗掉出来了", "口腔", {}),
    ("右眼前面突然好多黑点飘来飘去，还一闪一闪的，今天像有块帘子挡住了下面", "眼科", {}),
    ("我爸72岁，从昨晚到现在一直尿不出来，小肚子胀得鼓鼓的", "泌尿", {}),
    ("孩子4岁，半夜咳嗽像狗叫一样，声音也哑了", "儿科", {"age": 4}),
    ("怀孕31周，从早上到现在没感觉到胎动", "产科", {}),
    ("儿子把一颗小珠子塞进鼻孔里了，掏不出来", "耳鼻", {}),
    ("我姐这几天整夜不睡，总说有人在饭里下毒要害她，还砸东西", "精神", {}),
])
def test_same_day_signs_are_urgent_not_routine(text: str, dept: str, kw: dict) -> None:
    out = triage(text, **kw)
    assert out["urgency"] == "urgent", out
    assert any(dept in d["name"] for d in out["departments"][:3]), out["departments"]


@pytest.mark.parametrize(("text", "dept", "not_dept"), [
    ("屁股眼那里痒，还有点肿", "肛肠", "眼科"),
    ("肚脐眼里面有点红，流黄水", None, "眼科"),
    ("上厕所拉屎的时候像刀割一样，手纸上有鲜红的血", "肛肠", None),
    ("做B超说左肾里有个5毫米的结石，没有疼", "泌尿", "肾内"),
    ("手指早上伸不直，一掰咔哒响", "手外科", "心血管"),
    ("牙疼得钻心，半边脸都疼", "口腔", "心血管"),
])
def test_lay_body_words_route_to_the_body_part_they_name(text: str, dept: str | None, not_dept: str | None) -> None:
    names = [d["name"] for d in triage(text)["departments"]]
    if dept:
        assert dept in names[0], names
    if not_dept:
        assert not names or not_dept not in names[0], names


@pytest.mark.parametrize(("text", "dept"), [
    ("两边脸颊上有红斑像蝴蝶，一晒太阳就加重，手指关节疼，头发掉得多", "风湿"),
    ("这半年特别怕冷，脸肿肿的，体重涨了十斤，便秘，反应也慢了", "内分泌"),
    ("上个月从非洲援外回来，这几天隔一天就发冷发抖然后高烧", "感染"),
])
def test_symptom_clusters_point_to_one_specialty(text: str, dept: str) -> None:
    names = [d["name"] for d in triage(text)["departments"]]
    assert dept in names[0], names


def test_one_word_of_a_cluster_alone_does_not_move_the_patient() -> None:
    names = [d["name"] for d in triage("最近掉头发有点多")["departments"]]
    assert "风湿" not in names[0]
    names = [d["name"] for d in triage("嘴里老长口腔溃疡，一个好了又长一个")["departments"]]
    assert "口腔" in names[0], names


@pytest.mark.parametrize("text", [
    "天天加班累死了，领导又烦死了，晚上睡不着，白天没精神",
    "老公打呼噜很响，有时候睡着睡着不喘气，白天犯困",
])
def test_adult_tiredness_and_snoring_are_routine(text: str) -> None:
    out = triage(text, age=40)
    assert out["urgency"] == "routine", out


def test_an_infant_who_stops_breathing_is_still_urgent() -> None:
    assert triage("宝宝2个月，睡着的时候有几次不喘气")["urgency"] != "routine"


def test_the_new_knowledge_names_its_sources() -> None:
    for f in red_flags().flags + red_flags().urgent:
        assert any(ch.isdigit() for ch in f.source), f.id
    for s in red_flags().symptom_scope:
        assert s.source
    assert all(c.source for c in department_rules().compounds)
