"""Red-flag classes found by the third blind triage set, each tested on its own synthetic wordings (none
copied from the cases) with look-alikes that must stay calm: stroke signs as families say them, a severe
asthma attack, a head knock followed by vomiting or drowsiness, a child who swallowed someone's tablets or a
household chemical, black stool explained by iron or bismuth, and a negation inside a gapped term."""

from __future__ import annotations

import pytest

from yizhu.clinical.triage import run_triage
from yizhu.clinical.triage.knowledge import find_terms, red_flags


def flags(text: str, age: float | None = None) -> set[str]:
    out = run_triage(text, age=age, use_model=False)
    ids = {f["id"] for f in out["red_flags"]}
    assert (out["urgency"] == "emergency") == bool(ids)
    return ids


@pytest.mark.parametrize(("text", "age"), [
    ("我姥爷端着碗碗就掉地上了，讲话舌头发硬", 80),
    ("老公嘴角一边耷拉下来了，左手没劲儿端不住杯子", 55),
    ("我妈说话含糊不清，牙刷也拿不住老往下掉", 70),
    ("奶奶看电视突然大舌头了，问她什么都答不利索", 76),
    ("爸爸嘴往右边歪，口水往外流，右胳膊抬不起来", 64),
    ("他走着走着腿就拖着走，说话也听不太懂他在讲啥", 59),
])
def test_stroke_signs_in_family_words_fire(text: str, age: float) -> None:
    assert "rf:stroke" in flags(text, age)


@pytest.mark.parametrize(("text", "age"), [
    ("两只手早上起来僵硬握不住拳，活动半小时好了", 50),   # morning stiffness of arthritis
    ("孩子换牙，说话有点漏风", 7),
    ("手腕扭了一下，拿不住重东西", 35),
])
def test_stroke_look_alikes_stay_calm(text: str, age: float) -> None:
    assert "rf:stroke" not in flags(text, age)


@pytest.mark.parametrize(("text", "age"), [
    ("闺女有哮喘，沙丁胺醇吸了好几次还是喘，说两个字就要歇", 12),
    ("我哮喘犯了，气雾剂喷了三下不管用，躺不下只能坐着", 40),
    ("孩子喘得厉害，一句话都说不全，嘴唇有点青", 9),
])
def test_severe_asthma_fires(text: str, age: float) -> None:
    assert flags(text, age) & {"rf:severe_asthma", "rf:respiratory_distress"}


def test_controlled_asthma_stays_calm() -> None:
    assert not flags("有哮喘好多年了，最近换季有点咳嗽，想开点吸入剂", 30)


@pytest.mark.parametrize(("text", "age"), [
    ("小孩从沙发上摔下来后脑勺着地，后来吐了两回", 4),
    ("儿子骑车摔了脑袋撞到马路牙子，现在老想睡，叫他也懒得理", 11),
    ("我老伴在卫生间滑倒头磕到墙上，说话迷迷糊糊的", 78),
])
def test_head_injury_with_vomiting_or_drowsiness_fires(text: str, age: float) -> None:
    assert "rf:head_injury" in flags(text, age)


def test_a_bump_on_the_head_alone_stays_calm() -> None:
    assert "rf:head_injury" not in flags("孩子额头撞到桌角起了个包，哭了一下就去玩了，没吐", 5)


@pytest.mark.parametrize(("text", "age"), [
    ("三岁的女儿偷吃了外婆的药，好几片", 3),
    ("宝宝趁大人不注意把药瓶里的胶囊吞了", 2),
    ("儿子喝了一口洁厕灵，一直哭", 2),
    ("孩子把纽扣电池吞下去了", 4),
])
def test_a_child_swallowing_medicine_or_chemicals_fires(text: str, age: float) -> None:
    assert "rf:child_ingestion" in flags(text, age)


@pytest.mark.parametrize(("text", "age"), [
    ("孩子发烧吃了一次退烧药还是烧", 4),
    ("宝宝咳嗽，按说明书吃了止咳药", 3),
])
def test_a_dose_given_by_the_parent_is_not_an_ingestion(text: str, age: float) -> None:
    assert "rf:child_ingestion" not in flags(text, age)


@pytest.mark.parametrize("text", [
    "在吃补铁的药（硫酸亚铁），这几天大便是黑的，别的没啥不舒服",
    "胃病在吃枸橼酸铋钾，拉的屎发黑",
])
def test_black_stool_on_iron_or_bismuth_alone_is_not_a_bleed(text: str) -> None:
    assert "rf:gi_bleed" not in flags(text, 40)


@pytest.mark.parametrize("text", [
    "在吃补铁的药，这几天大便是黑的，站起来就头晕心慌",
    "吃着铋剂，大便黑得发亮像柏油",
    "在吃补铁的药，今天还吐了血",
])
def test_black_stool_on_iron_with_a_bleeding_sign_still_fires(text: str) -> None:
    assert "rf:gi_bleed" in flags(text, 40)


def test_black_stool_without_a_cause_fires() -> None:
    assert "rf:gi_bleed" in flags("最近大便是黑的", 50)


def test_every_explanation_names_an_existing_rule() -> None:
    for f in red_flags().flags:
        for e in f.explained_by:
            assert 1 <= e.rule <= len(f.rules)


@pytest.mark.parametrize(("text", "term"), [
    ("肚子也不疼", "肚子…疼"),
    ("嘴也没歪", "嘴…歪"),
    ("下面一点都没出血", "下面…血"),
])
def test_a_negation_inside_a_gapped_term_negates_it(text: str, term: str) -> None:
    hits = find_terms(text, [term])
    assert hits and hits[0].negated


def test_a_pregnant_woman_denying_pain_and_bleeding_is_not_flagged() -> None:
    assert not flags("怀孕十周，这两天尿频尿急尿痛，肚子也不疼，下面也没见血", 29)


def test_a_pregnant_woman_with_bleeding_is_flagged() -> None:
    assert "rf:pregnancy_bleeding_pain" in flags("孕期七周，今天内裤上有血，小肚子往下坠", 29)
