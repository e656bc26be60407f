"""Red-flag classes in patients' lay wording (issue 15 item 2: sensitivity 100%), each as a class with our own
synthetic wordings (none copied from a blind case) and the look-alikes that must stay calm:

1. voice-input homophones of chest, heart, head and stomach words (兄口疼, 冷寒, 吐了几口雪);
2. black stool and vomited blood told by likeness or in child words, unless a food or drug explains the colour;
3. the airway closing after a named allergen (throat tight, can't swallow, voice changed);
4. a child who took someone else's medicine or a household chemical;
5. a fit that does not stop, fits without waking, a first fit in an adult (a short febrile fit that stopped
   is urgent, not 120);
6. suicidal thoughts reported as denied never fire; affirmed in any wording (plans, farewells) always do;
7. long-standing, stable lower-urinary symptoms with voiding kept are routine;
and the same lay-language gap in other families (stroke, ACS, pregnancy, infant age in weeks, a boy's testis).
All texts are synthetic."""

from __future__ import annotations

import pytest

from yizhu.clinical.triage import run_triage
from yizhu.clinical.triage.engine import TriageEngine
from yizhu.clinical.triage.lay import HomophoneLexicon, infant_age_years


def triage(text: str, age: float | None) -> tuple[str, set[str]]:
    out = run_triage(text, age=age, use_model=False, use_llm=False)
    ids = {f["id"] for f in out["red_flags"]}
    assert (out["urgency"] == "emergency") == bool(ids)
    return out["urgency"], ids


def fires(text: str, age: float | None, flag: str) -> None:
    urgency, ids = triage(text, age)
    assert flag in ids, f"{flag} missed: urgency {urgency}, flags {ids}"


def calm(text: str, age: float | None) -> str:
    urgency, ids = triage(text, age)
    assert not ids and urgency != "emergency", f"false red flag {ids}"
    return urgency


# 1. voice-input homophones ─────────────────────────────────────────────────────────────────────────

@pytest.mark.parametrize(("text", "age", "flag"), [
    ("我兄口疼得厉害，出了一身冷汗", 60, "rf:acs"),
    ("我爸凶口疼，还出冷汗", 66, "rf:acs"),
    ("胸口闷，出了一身冷寒", 58, "rf:acs"),
    ("心口压着疼，左胳膊麻，直冒冷汉", 62, "rf:acs"),
    ("兄口压着疼，满身冷汗", 60, "rf:acs"),
    ("老公凶闷，一头大汗", 55, "rf:acs"),
    ("胃疼吐了好几口雪", 50, "rf:gi_bleed"),
])
def test_homophones_of_red_flag_words_are_read(text: str, age: float, flag: str) -> None:
    fires(text, age, flag)


@pytest.mark.parametrize("text", [
    "信口开河的人我不喜欢，胸口没事",   # 信口 is an ordinary word, not 心口
    "他抽出时间来医院复查血压",          # 抽出 is not 抽搐
    "兄弟们好，我头疼两天了",
    "他血压高，雪碧喝多了",
    "我后辈都在外地，最近胸口有点疼",    # 后辈 is not 后背
])
def test_ordinary_words_that_sound_alike_stay_calm(text: str) -> None:
    calm(text, 45)


def test_a_homophone_alone_never_fires_a_one_word_flag() -> None:
    # 中锋 (a basketball centre) sounds like 中风 but is a word of its own, and a rewritten word needs another
    # part of its rule in real characters
    calm("儿子打中锋，昨天比赛扭了脚", 16)
    lex = HomophoneLexicon(["中风", "胸口", "冷汗"])
    text, spans = lex.rewrite("我兄口疼，打中锋的，出冷寒")
    assert text == "我胸口疼，打中锋的，出冷汗"
    assert spans == [(1, 2), (12, 13)]


# 2. melaena and haematemesis in lay words, and the food/drug exception ──────────────────────────────

@pytest.mark.parametrize(("text", "age"), [
    ("我爸拉的屎跟沥青一样黑乎乎黏糊糊的", 70),
    ("宝宝拉的粑粑是黑色的，黏黏的亮亮的", 2),
    ("拉出来的便便像墨汁一样黑", 40),
    ("宝宝拉的臭臭黑乎乎的像沥青", 1),
    ("拉出来的屎跟柏油路一样又黑又亮", 60),
    ("拉的大便黑得像墨汁，还头晕", 55),
    ("吐了一大口，红红的都是血", 50),
    ("吐出来像酱油一样的黑水", 60),
    ("吐出来的都是咖啡色的渣渣", 60),
    ("我爸吐了一大口暗红色的东西", 70),
    ("吃了猪血，大便黑了，还头晕心慌出冷汗", 50),   # the food does not explain away dizziness and sweat
])
def test_black_stool_and_vomited_blood_by_likeness_fire(text: str, age: float) -> None:
    fires(text, age, "rf:gi_bleed")


@pytest.mark.parametrize(("text", "age"), [
    ("昨晚吃了鸭血粉丝，今天大便黑黑的，人没事", 30),
    ("吃了毛血旺，第二天拉的屎是黑的，不晕不慌", 28),
    ("孩子吃了好多蓝莓，拉的便便发黑", 4),
    ("在吃活性炭片，大便是黑的", 40),
    ("我贫血在吃铁剂，大便黑了", 30),
    ("宝宝吃了黑芝麻糊，拉的粑粑有点黑，精神很好", 2),
    ("吃了火龙果，吐出来红红的", 30),
])
def test_a_food_or_drug_that_explains_the_colour_is_never_a_false_emergency(text: str, age: float) -> None:
    calm(text, age)


def test_red_stool_after_red_food_in_a_well_child_is_routine() -> None:
    assert calm("儿子4岁，前天吃了好几个红心火龙果，今天便便是红色的，能吃能玩", 4) == "routine"


# 3. airway / anaphylaxis after an allergen ──────────────────────────────────────────────────────────

@pytest.mark.parametrize(("text", "age"), [
    ("吃了腰果以后嗓子发紧，咽口水都咽不下去", 25),
    ("吃完螃蟹脖子好紧，说话声音都变了", 35),
    ("被马蜂叮了一下，现在喉咙像被掐住一样", 40),
    ("打了头孢以后，感觉嗓子眼堵住了，喘不动", 50),
    ("孩子吃了虾，声音变哑了，嘴巴肿起来", 5),
    ("吃了花生酱后嗓子很紧，吞东西困难", 10),
    ("被蜜蜂蛰了后脖子发紧，喘气费劲", 40),
    ("吃了芒果后嗓子眼发紧，口水都咽不下去", 25),
])
def test_throat_closing_after_an_allergen_fires(text: str, age: float) -> None:
    fires(text, age, "rf:anaphylaxis")


@pytest.mark.parametrize(("text", "age"), [
    ("吃芒果嘴边起了红疹子，嘴唇没肿，嗓子不紧", 20),
    ("感冒了嗓子哑了，咽东西疼", 30),
    ("感冒输液三天了，嗓子还是哑", 30),
    ("鱼刺卡在嗓子里了，咽口水疼", 40),
    ("花粉过敏，嗓子痒，打喷嚏", 30),
    ("吃了海鲜以后身上起了几个疙瘩，很痒，呼吸正常", 30),
])
def test_throat_look_alikes_stay_calm(text: str, age: float) -> None:
    calm(text, age)


# 4. a child and someone else's medicine or a household chemical ─────────────────────────────────────

@pytest.mark.parametrize(("text", "age"), [
    ("两岁的孙子把他奶奶的降压药吃了几片", 2),
    ("3岁儿子把姥爷的药当糖豆吃了", 3),
    ("我家小宝把外公的降糖药拿来吃了", None),
    ("孩子两岁，把大人的安眠药吃了一颗", 2),
    ("孙女偷吃了我的降压药", None),
    ("娃把爷爷的速效救心丸吃了好几粒", 3),
    ("宝宝误喝了几口驱蚊液", 2),
    ("小孩舔了一下洁厕灵", 3),
    ("两岁宝宝吞了一个扣子电池", 2),
    ("3岁孩子把洗衣凝珠咬破了", 3),
])
def test_child_ingestion_in_every_wording_fires(text: str, age: float | None) -> None:
    fires(text, age, "rf:child_ingestion")


@pytest.mark.parametrize(("text", "age"), [
    ("给孩子喂了退烧药，一次吃了一包", 3),
    ("孩子吃了医生开的退烧药，一次一包", 3),
    ("给孩子喂了益生菌，一天两次", 1),
])
def test_a_dose_given_by_the_parent_stays_calm(text: str, age: float) -> None:
    calm(text, age)


# 5. seizures ───────────────────────────────────────────────────────────────────────────────────────

@pytest.mark.parametrize(("text", "age"), [
    ("我老公突然抽搐，已经抽了五分钟了还没停", 40),
    ("孩子在抽，十分钟了还在抽", 3),
    ("孩子抽了好几分钟，现在还没停", 3),
    ("孩子抽了两次，中间一直没醒过来", 5),
    ("孩子抽完一次接着又抽，一直不醒", 2),
    ("我爸今天第一次抽风，以前从来没有过", 55),
    ("老婆30岁，刚才突然倒地抽搐口吐白沫，以前没得过这病", 30),
    ("孩子抽搐不停，口吐白沫", 4),
])
def test_a_fit_that_goes_on_repeats_or_is_an_adults_first_fires(text: str, age: float) -> None:
    fires(text, age, "rf:seizure")


@pytest.mark.parametrize(("text", "age"), [
    ("宝宝发烧抽了一下，一分钟就停了，现在醒了在哭", 2),
    ("孩子高烧惊厥了，不到一分钟就好了，现在精神还行", 2),
])
def test_a_short_febrile_fit_that_stopped_is_urgent_not_120(text: str, age: float) -> None:
    assert calm(text, age) == "urgent"


@pytest.mark.parametrize(("text", "age"), [
    ("我小腿抽筋了，晚上睡觉经常抽筋", 40),
    ("眼皮老是抽搐，跳个不停", 35),
    ("我有癫痫，一直吃丙戊酸，想开药", 30),
    ("孩子以前有过高热惊厥，现在又发烧了38度，怎么预防", 3),
    ("抽血检查发现血脂高", 50),
])
def test_fit_look_alikes_stay_calm(text: str, age: float) -> None:
    calm(text, age)


# 6. suicide: denial reported, affirmation in any wording ────────────────────────────────────────────

@pytest.mark.parametrize("text", [
    "他从来没说过不想活",
    "我从来没想过轻生，只是最近睡不好",
    "她说她没有想死的念头，就是心情差",
    "医生问我有没有自杀的想法，我说没有",
    "我是抑郁症，没有轻生的想法，想调药",
    "他说从来没想过自杀，只是压力大",
    "朋友要出国，我们给他办了告别聚会",
    "把旧衣服都送人了，准备搬家",
])
def test_denied_or_unrelated_never_fires_the_suicide_flag(text: str) -> None:
    calm(text, 30)


@pytest.mark.parametrize("text", [
    "最近总想着一了百了",
    "我把存款密码都告诉我妹了，还给朋友们发了告别的话",
    "儿子把游戏机和球鞋都送给同学了，说以后用不着了",
    "我想从天台跳下去",
    "活着太累了，想解脱，安眠药已经攒了一瓶",
    "不想活下去了",
    "我想消失，再也不想醒来",
    "我女儿说不想活了，已经写好了遗书",
    "老公说活着没意义，把银行卡和密码都交给我了",
    "我囤了一瓶安眠药，不想再撑下去了",
    "他不是说不想活了吗，今天又说了一遍",      # a rhetorical question affirms
])
def test_suicidal_thoughts_affirmed_in_any_wording_fire(text: str) -> None:
    fires(text, 30, "rf:suicide")


# 7. stable lower-urinary symptoms are routine; acute retention is not ───────────────────────────────

@pytest.mark.parametrize("text", [
    "前列腺增生好几年了，尿频尿急，晚上起夜三四次，尿得出来就是慢",
    "前列腺肥大好几年了，有时候尿不出来，憋得难受，等半天才能尿出来",
    "前列腺增生多年，尿线细，尿不出来的时候要使劲，小肚子憋胀，但总能尿出来",
    "老年人排尿慢，尿等待，好几年了，吃坦索罗辛",
])
def test_long_standing_voiding_symptoms_are_routine(text: str) -> None:
    assert calm(text, 72) == "routine"


def test_acute_retention_is_still_seen_today() -> None:
    urgency, _ = triage("从昨晚到现在一点尿都尿不出来，肚子胀得硬", 75)
    assert urgency in ("urgent", "emergency")
    urgency, _ = triage("前列腺增生好几年了，今天一点尿都尿不出来，小肚子鼓鼓的", 75)
    assert urgency in ("urgent", "emergency")


# other families in lay words ───────────────────────────────────────────────────────────────────────

@pytest.mark.parametrize(("text", "age", "flag"), [
    ("我爸吃饭时筷子老掉，一边胳膊抬不起来", 70, "rf:stroke"),
    ("我爹刚才在沙发上突然说话舌头打结，右手拿不住遥控器", 68, "rf:stroke"),
    ("胸前像被什么东西勒着，冷汗直流", 60, "rf:acs"),
    ("心口憋得慌，满头大汗", 65, "rf:acs"),
    ("有了三个月了，肚子一阵一阵的疼", 28, "rf:pregnancy_bleeding_pain"),
    ("怀着宝宝，今天见红了", 30, "rf:pregnancy_bleeding_pain"),
    ("孩子下面那个蛋疼得直哭", 8, "rf:testicular_torsion"),
    ("孩子10岁，蛋蛋一边突然肿痛，走不了路", 10, "rf:testicular_torsion"),
])
def test_other_families_in_lay_words_fire(text: str, age: float, flag: str) -> None:
    fires(text, age, flag)


@pytest.mark.parametrize("text", [
    "宝宝7周，发烧38度",
    "宝宝刚满月，体温38.2",
    "宝宝八周大，发烧了",
    "四十天的宝宝有点烫，38度",
    "娃才5个礼拜，摸着烫手，38度5",
    "小宝出生20天，体温37.9",
])
def test_a_febrile_infant_told_in_weeks_or_days_fires(text: str) -> None:
    fires(text, None, "rf:febrile_infant")


@pytest.mark.parametrize(("text", "age"), [
    ("胸口闷闷的，天热出汗多", 40),
    ("我胳膊抬不起来，肩周炎好几年了", 55),
    ("睾丸有点坠胀，久坐后明显，好几个月了", 30),
    ("宝宝5个月，发烧38度", None),
    ("宝宝发烧3天了，38度", None),
])
def test_other_look_alikes_stay_calm(text: str, age: float | None) -> None:
    calm(text, age)


def test_infant_age_reads_weeks_and_days_but_not_durations_or_gestation() -> None:
    assert infant_age_years("宝宝8周大") == pytest.approx(56 / 365)
    assert infant_age_years("出生45天") == pytest.approx(45 / 365)
    assert infant_age_years("40天的宝宝") == pytest.approx(40 / 365)
    assert infant_age_years("宝宝发烧3天了") is None        # a duration
    assert infant_age_years("孩子咳嗽2周了") is None
    assert infant_age_years("怀宝宝8周了") is None           # gestation
    assert infant_age_years("生完宝宝1.5月，睡不着") is None  # the writer is the mother


def test_the_shipped_flags_load_with_their_homophone_lexicon() -> None:
    eng = TriageEngine()
    assert "胸口" in eng.homophones.words and eng.flags.homophones is not None
    assert all(len(w) >= 2 for w in eng.homophones.words)


# a second round of our own wordings, written after the first round passed (each class, fresh words) ─

@pytest.mark.parametrize(("text", "age"), [
    ("我老妈兄口好痛，冒了一头冷汗", 65),
    ("星口疼，满头冷汗", 55),                                  # xing/xin: a back nasal heard as a front one
    ("凶口压得慌，喘不上气，冷汗直冒", 60),
    ("我公公最近拉的屎像黑色的浆糊一样，人也没力气", 75),
    ("大便跟黑泥巴一样，黏在马桶上冲不掉", 60),
    ("孩子的㞎㞎黑得跟墨一样", 3),
    ("拉的屎颜色像酱油", 60),
    ("我吐的东西是咖啡色的，像渣子", 58),
    ("小孩吃了开心果，脖子那里紧紧的，说话声音沙哑", 7),
    ("刚才吃了皮皮虾，现在嗓子好像被堵住了，气都喘不过来", 30),
    ("输了青霉素后喉咙发紧，头晕要倒", 40),
    ("孙子趁我不注意把我的降压药吃了", None),
    ("两岁的娃把他姥姥的心脏病药吞了两片", 2),
    ("刚才发现孩子嘴里有消毒片", 2),
    ("宝宝吃了一颗大人的布洛芬", 1.5),
    ("我孩子一直在抽搐，叫他也没反应，快十分钟了", 4),
    ("老公癫痫又犯了，这次抽了快20分钟都没停", 38),
    ("妈妈今天突然浑身抽，以前没这毛病", 50),
    ("小孩子一天抽了三次，每次抽完都昏睡不醒", 4),
    ("最近在网上查怎么死比较不痛苦", 25),
    ("给家里人都写了信，把猫托付给了朋友", 28),
    ("活着没什么意思，想一死了之", 40),
    ("我老爸今天早上起来，左手左脚都不好使了", 70),
    ("我老婆怀二胎五个月，突然下面流血", 32),
    ("宝宝出生才三周，今天测体温38度", None),
    ("孩子玩的时候头撞到桌角，之后一直吐，还特别困", 5),
    ("奶奶摔倒撞了头，现在叫她反应慢，老想睡觉", 85),
])
def test_second_round_wordings_fire(text: str, age: float | None) -> None:
    urgency, ids = triage(text, age)
    assert ids and urgency == "emergency"


@pytest.mark.parametrize(("text", "age", "want"), [
    ("儿子发烧时抽了一下，十几秒就好了，现在正常", 2, "urgent"),
    ("吃了血豆腐，大便黑色，没别的不舒服", 40, None),
    ("喝了墨鱼汁意面，第二天大便黑了", 30, None),
    ("她否认有自杀想法，就是情绪低落", 30, None),
    ("孩子说他不会自杀，让我们别担心", 15, None),
    ("尿尿不痛快好几年了，晚上起来两三次", 70, "routine"),
    ("老伴前列腺增生十来年，尿等待、尿线细，最近没什么变化，想复查", 74, "routine"),
])
def test_second_round_look_alikes_stay_below_emergency(text: str, age: float, want: str | None) -> None:
    urgency = calm(text, age)
    assert want is None or urgency == want


def test_a_story_told_with_when_reaches_now_after_afterwards() -> None:
    from yizhu.clinical.triage.knowledge import current

    assert current("孩子玩的时候头撞到桌角，之后一直吐", ["一直吐"])
    assert not current("孩子发烧的时候会吐", ["吐"])


@pytest.mark.parametrize(("text", "fire"), [
    ("老公心口疼，出了一身寒", True),          # 一身寒 heard for 一身汗
    ("我爸胸口疼，满头大寒", True),            # 满头大寒 for 满头大汗 (大寒 alone is a word: the longer window is not)
    ("一爬楼胸口就闷，出一身汗", True),        # a sweat on exertion is how angina comes
    ("胸口疼，天热，还出冷汗", True),          # a cold sweat is not the weather
    ("最近胸口有点疼，天热一身汗", False),     # the heat explains the sweat
    ("胸口疼，头上全是大汉", False),           # 大汉 is a word
])
def test_chest_pain_with_a_sweat_heard_or_explained(text: str, fire: bool) -> None:
    _urgency, ids = triage(text, 60)
    assert ("rf:acs" in ids) is fire


# a third round of our own wordings (22/30 as first run; widened in the same classes) ────────────────

@pytest.mark.parametrize(("text", "age"), [
    ("我爸看电视的时候突然不会说话了", 70),                 # 突然 after a "when" is now
    ("我妈早上起来嘴角歪了，喝水从嘴角流出来，说话也不清楚", 68),
    ("胸口像被大象踩着一样，一身冷汗", 62),
    ("胸口闷得喘不上气，浑身湿透了", 58),
    ("二十八天的宝宝体温37.8", None),
    ("小男孩阴囊肿痛，半夜哭醒", 6),
    ("孩子头撞了以后一直睡，叫也不太醒", 3),
    ("怀孕二十周，下面突然流了一摊水", 30),
    ("刚才吃了一块有坚果的蛋糕，嘴巴麻，嗓子像有东西堵着", 20),
    ("孩子偷喝了爷爷泡的药酒", 5),
    ("孩子把玩具里的小电池吞下去了", 4),
    ("她一直在说活着是拖累大家，想走了算了", 70),
    ("儿子在朋友圈发了'永别了'，电话不接", 17),
    ("我爸拉柏油一样的大便，今天还晕倒了", 70),
])
def test_third_round_wordings_fire(text: str, age: float | None) -> None:
    urgency, ids = triage(text, age)
    assert ids and urgency == "emergency"


@pytest.mark.parametrize(("text", "age"), [
    ("医生问我想不想死，我说从来没这么想过", 30),
    ("他说自己没有想过伤害自己", 40),
    ("吃了乌鸡白凤丸和补血口服液，大便发黑", 35),
    ("昨天吃了一大碗猪血汤，今天拉的便便黑黑的，人挺好", 30),
    ("最近大便次数多，呈墨绿色颗粒状", 30),            # 墨绿 is green, not ink-black
])
def test_third_round_look_alikes_stay_calm(text: str, age: float) -> None:
    calm(text, age)
