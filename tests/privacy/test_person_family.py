"""Names families, patients and staff say: a surname after 姓, a nickname after a word for a family member or a
household, regional surnames of 《百家姓》, a surname before a staff title (session deidner). Sentences invented for
these tests, synthetic."""

from __future__ import annotations

import pytest

from yizhu.privacy import deidentify


def persons(text: str) -> list[str]:
    return [e.text for e in deidentify(text).entities if e.type == "PERSON"]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("上回是个姓钟的小医生给开的药", "钟"),
        ("对门的邻居，姓葛。", "葛"),
        ("好像是一个姓蔺的护士打的针", "蔺"),
        ("我姓苌，草字头的苌。", "苌"),
    ],
)
def test_a_surname_said_after_xing(text: str, name: str):
    assert name in persons(text)


@pytest.mark.parametrize("text", ["您贵姓？", "请填写姓名和电话", "同姓不同名", "老百姓看病不容易", "患者姓氏不详"])
def test_xing_without_a_surname_after_it_stays(text: str):
    assert persons(text) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("我孙子小石头住了三天了", "小石头"),
        ("她家小雨明天要打疫苗", "小雨"),
        ("我家豆豆三岁半", "豆豆"),
        ("由孙女乐乐照看。", "乐乐"),
        ("我外孙子壮壮开车接我", "壮壮"),
        ("我家二蛋不听话", "二蛋"),
    ],
)
def test_a_nickname_after_a_family_word(text: str, name: str):
    assert any(name in p for p in persons(text))


@pytest.mark.parametrize(
    "text",
    ["我家小孩发烧了", "我孙子天天哭", "他家宝宝咳嗽", "我家楼下有诊所", "我家小宝宝五个月啦", "我家小区门口"],
)
def test_ordinary_words_after_a_family_word_stay(text: str):
    assert persons(text) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("亲生父亲母建新签字同意", "母建新"),
        ("5床税德明，86岁", "税德明"),
        ("找妫护士拿单子", "妫"),
    ],
)
def test_regional_surnames(text: str, name: str):
    assert any(name in p for p in persons(text))


@pytest.mark.parametrize("text", ["父母同意手术", "已缴税", "都已完成", "伯父来过", "督导检查"])
def test_regional_surnames_that_are_words_stay_words(text: str):
    assert persons(text) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [("医务科阚干事电话通知家属", "阚"), ("交给黎组长审核", "黎"), ("检验科蔺技师复核", "蔺"), ("请示晏住院总", "晏")],
)
def test_a_surname_before_a_staff_title(text: str, name: str):
    assert name in persons(text)


@pytest.mark.parametrize("text", ["空姐服务很好", "帅哥你好", "师姐帮忙签到", "他表姐来了"])
def test_words_before_a_title_stay(text: str):
    assert persons(text) == []


@pytest.mark.parametrize(("text", "name"), [("还有二十二床钟国庆凌晨血氧低", "钟国庆"), ("交班：十五床 石秀兰，女，80岁", "石秀兰")])
def test_a_name_after_a_bed_said_in_chinese_numerals(text: str, name: str):
    assert name in persons(text)


@pytest.mark.parametrize("text", ["换一床被子", "两床被子不够用"])
def test_a_quilt_is_no_bed(text: str):
    assert persons(text) == []


@pytest.mark.parametrize(("text", "name"), [("夏侯你们夜班注意", "夏侯"), ("昨晚就是我和呼延处理的", "呼延"), ("调度淳于：收到", "淳于")])
def test_a_compound_surname_alone(text: str, name: str):
    assert name in persons(text)


@pytest.mark.parametrize("text", ["司马光砸缸的故事", "长孙出生了", "第五天复查"])
def test_compound_surnames_that_are_words_stay(text: str):
    assert persons(text) == []
