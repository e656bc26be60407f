"""Names in the forms of chats and Hong Kong/Cantonese usage (session deidnames5; sentences invented for these tests)."""

from __future__ import annotations

import pytest

from yizhu.privacy import Analyzer
from yizhu.privacy.recognizers import default_recognizers


@pytest.fixture(scope="module")
def engine() -> Analyzer:
    return Analyzer(default_recognizers())


def persons(an: Analyzer, text: str) -> list[str]:
    return [e.text for e in an.analyze(text) if e.type == "PERSON"]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("@山间清风 您好，明天几点来复诊？", "山间清风"),  # a display name that spells words
        ("群公告：@快乐每一天 请勿在群里发广告", "快乐每一天"),
        ("【群聊】护士长：@Lucy_88 收到请回复", "Lucy_88"),
    ],
)
def test_a_member_mentioned_after_at_is_a_name(engine, text: str, name: str):
    assert name in persons(engine, text)


def test_a_mentioned_member_is_found_again_as_a_speaker(engine):
    text = "护士：@山间清风 您好，化验单出来了\n山间清风：好的谢谢\n护士：不客气"
    ents = [(e.start, e.text) for e in engine.analyze(text) if e.type == "PERSON"]
    assert [t for _, t in ents].count("山间清风") == 2


@pytest.mark.parametrize(
    "text",
    [
        "@所有人 下午三点开会",
        "@全体成员 请查收排班表",
        "颅内高压@作用迅速，无反跳",  # a separator of a text export, after a character
        "请发邮件到 clinic@hospital.cn 咨询",
    ],
)
def test_at_signs_that_mention_no_member_stay(engine, text: str):
    assert persons(engine, text) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Jason黄：今天下午到病房", "Jason黄"),
        ("有事找Mary梁就得", "Mary梁"),
    ],
)
def test_an_english_given_name_before_a_surname(engine, text: str, name: str):
    assert name in persons(engine, text)


@pytest.mark.parametrize(
    "text",
    ["1958年Horn和Enterline首先描述", "复查CT和MRI", "Wilson病与Menkes病鉴别"],
)
def test_latin_words_before_characters_stay(engine, text: str):
    assert persons(engine, text) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [("多谢晒黄sir🙏", "黄"), ("李Madam话要复查", "李"), ("今日系梁Sir值班", "梁")],
)
def test_a_surname_before_sir_or_madam(engine, text: str, name: str):
    assert name in persons(engine, text)


@pytest.mark.parametrize("text", ["Yes sir，明白", "Dear Sir，您好", "谢谢 sir，收到"])
def test_sir_without_a_surname_stays(engine, text: str):
    assert persons(engine, text) == []


def test_a_chat_name_before_a_hyphen_and_a_role(engine):
    """王芳-护士长 opens a chat line; 吉兰-巴雷 stays an eponym."""
    assert "罗晓燕" in persons(engine, "罗晓燕-护士长 08:15\n请大家今天交齐材料")
    assert persons(engine, "诊断：吉兰-巴雷综合征") == []


def test_a_familiar_name_before_you(engine):
    assert "小邓" in persons(engine, "好，小邓你记一下医嘱")
    assert persons(engine, "小心你的手") == []


@pytest.mark.parametrize(("text", "name"), [("暖暖妈咪 08:12\n宝宝湿疹好多了", "暖暖"), ("我是朵朵麻麻，想问一下", "朵朵")])
def test_a_child_name_before_a_chat_parent_word(engine, text: str, name: str):
    assert name in persons(engine, text)


def test_a_baby_word_before_a_parent_word_stays(engine):
    assert persons(engine, "宝宝妈咪说孩子不发烧了") == []


@pytest.mark.parametrize(("text", "name"), [("谢谢于护士，辛苦了", "于"), ("请转告我们于医生一声", "于")])
def test_a_preposition_surname_before_a_title_after_a_word_leading_to_a_person(engine, text: str, name: str):
    assert name in persons(engine, text)


@pytest.mark.parametrize("text", ["对于护士来说很难", "你们和大夫商量一下", "护士于护士站等候", "请于主任办公室签字",
                                  "经常护士会来"])
def test_prepositions_and_adverbs_before_a_title_stay(engine, text: str):
    assert persons(engine, text) == []


@pytest.mark.parametrize(("text", "name"), [("其子妥文明陪同就诊", "妥文明"), ("医生：家属陇春花签字", "陇春花")])
def test_northwestern_surnames(engine, text: str, name: str):
    """陇 and 妥 (Gansu and Qinghai families; 妥 a Hui surname) are surnames; the words they start stay."""
    assert name in persons(engine, text)


@pytest.mark.parametrize("text", ["需妥善保管，妥当安排", "已转陇南市就诊"])
def test_words_of_northwestern_surnames_stay(engine, text: str):
    assert not [p for p in persons(engine, text) if p[0] in "妥陇"]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("医生：下一位，安然。\n患者：到。", "安然"),  # a clinic's call, a name that spells a word
        ("护士：下一个，江帆——请进来坐", "江帆"),
        ("广播：请柏青到3号诊室就诊", "柏青"),
    ],
)
def test_a_patient_called_in_by_name(engine, text: str, name: str):
    assert name in persons(engine, text)


@pytest.mark.parametrize("text", ["下一个，谁？", "下一步，复查血常规。", "下一位，请进。", "请注意到3号诊室"])
def test_calls_without_a_name_stay(engine, text: str):
    assert persons(engine, text) == []


@pytest.mark.parametrize(("text", "name"), [("同群放牧者巴图、图雅也有发热", "巴图"), ("联系藏医次珠医生", "次珠")])
def test_one_minority_name_part_after_a_person_noun_or_before_a_title(engine, text: str, name: str):
    assert name in persons(engine, text)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("12.05  沈木兰（志愿者）送来水果", "沈木兰"),  # a date before the name on a log line
        ("我同学豆包（真名葛子健）也在吃这个药", "葛子健"),  # a real name told after a nickname
        ("自称包大仙（本名包志强）", "包志强"),
    ],
)
def test_a_name_before_a_role_in_brackets_or_after_real_name(engine, text: str, name: str):
    assert name in persons(engine, text)


@pytest.mark.parametrize("text", ["申请人（患者）：见下", "予以抗感染（头孢）治疗", "该药真名叫什么", "患者自称头痛三天"])
def test_roles_before_brackets_and_real_name_words_stay(engine, text: str):
    assert persons(engine, text) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [("我叫黎晓彤，大家叫她彤彤。", "彤彤"), ("叫我晓雯就行", "晓雯"), ("他小名糖糖，我们都喊他糖糖吧", "糖糖")],
)
def test_the_name_a_person_is_called_by(engine, text: str, name: str):
    assert name in persons(engine, text)


@pytest.mark.parametrize("text", ["叫我妈妈就行", "叫他宝宝吧", "叫他起床。", "喊他吃饭。", "叫她姐姐。", "称他老师。"])
def test_calling_words_that_are_no_names_stay(engine, text: str):
    assert persons(engine, text) == []


# --- deidnames6: speaker labels of a chat or a transcript -------------------------------------------------------

_FAMILY_CHAT = (
    "家庭群聊天记录\n"
    "小雅：妈，今天降压药吃了吗？\n"
    "秋月：吃了，你别担心\n"
    "小雅：那就好，周末我回去看你\n"
    "江上清风：我也去，带点水果吧\n"
    "秋月：好的\n"
)


@pytest.mark.parametrize("name", ["小雅", "秋月", "江上清风"])
def test_speaker_labels_of_a_chat_are_names(engine, name: str):
    assert name in persons(engine, _FAMILY_CHAT)


def test_role_and_generic_speakers_stay(engine):
    text = ("医生：你哪里不舒服？\n患者：我头疼三天了\n医生：发烧吗？\n患者：没有\n陪同：我是她同事\n"
            "调度员：别慌，地址在哪？\n呼救人：在小区门口\n系统消息：对方已撤回一条消息\n诊断：偏头痛\n处理：你多休息")
    assert persons(engine, text) == []


def test_field_labels_of_a_record_stay(engine):
    text = "主诉：头痛3天\n现病史：患者3天前头痛，无发热\n既往史：否认高血压\n体格检查：T 36.5\n初步诊断：头痛\n处理：多休息"
    assert persons(engine, text) == []


def test_one_label_line_alone_is_no_chat(engine):
    assert "向阳" not in persons(engine, "向阳：今天天气不错\n明天见")


# --- deidnames6: familiar forms 小/老 + surname wherever they stand as a person ------------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("助手小何很细心", "小何"),
        ("请问是小何吗？", "小何"),
        ("有事去找老谭。", "老谭"),
        ("这个方案我问了小诸葛", "小诸葛"),
        ("值班的还有小何和小孟", "小孟"),
        ("谢谢小周", "小周"),
        ("昨天老谭来过", "老谭"),  # after a time word
    ],
)
def test_a_familiar_form_standing_as_a_person(engine, text: str, name: str):
    assert name in persons(engine, text)


@pytest.mark.parametrize(
    "text",
    ["小心地滑", "他老是咳嗽", "小便次数多", "老年人要注意", "从小就怕打针", "这个小周末去复查", "喝了一罐王老吉",
     "反映肾小管病变的指标", "病损先见于近曲小管（该处分泌）", "大姐你好"],
)
def test_words_that_start_with_xiao_or_lao_stay(engine, text: str):
    assert persons(engine, text) == []


# --- deidnames6: Western names in Chinese characters without a dot or a cue word ------------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("您是大卫布朗先生吗？", "大卫布朗"),  # a given name and a surname written together
        ("彼得史密斯今天来复诊", "彼得史密斯"),
        ("娜塔莎说她头疼三天了", "娜塔莎"),  # three characters or more, before a verb of a person
        ("请问是玛丽亚吗？", "玛丽亚"),
        ("翻译安娜陪同", "安娜"),
    ],
)
def test_a_western_name_in_chinese_characters_without_a_cue(engine, text: str, name: str):
    assert name in persons(engine, text)


@pytest.mark.parametrize("text", ["布朗运动的原理", "泰勒公式展开", "墨菲定律", "阿司匹林和布洛芬", "亚历山大港"])
def test_eponyms_places_and_drugs_stay(engine, text: str):
    assert persons(engine, text) == []


def test_a_part_of_a_dotted_western_name_is_taken_whole(engine):
    assert "琼斯·汤姆" in persons(engine, "12床 琼斯·汤姆（外籍）")


# --- deidnames6: a surname before a one-character title, then a particle or a greeting ----------------------------


@pytest.mark.parametrize(("text", "name"), [("请问是刘姨吗？", "刘"), ("王总好！", "王"), ("问过钱婶了。", "钱")])
def test_a_surname_before_a_short_title_and_a_particle(engine, text: str, name: str):
    assert name in persons(engine, text)


@pytest.mark.parametrize("text", ["越来越老了。", "数据汇总好了"])
def test_old_and_words_after_a_title_stay(engine, text: str):
    assert persons(engine, text) == []
