"""Non-name identifiers, second round (session deidids2, classes read from the retired held-out 4's misses), one
class per test, several wordings each and the look-alikes that must survive.

Written by hand for yizhu; every number, address, account and institution is invented (合成).
"""

from __future__ import annotations

import pytest

from tests.privacy.test_identifier_classes import covered, untouched
from yizhu.privacy import Analyzer, Entity, resolve_overlaps
from yizhu.privacy.types import Explanation

# ---------------------------------------------------------------- 1. identifiers in English-language text

ENGLISH = [
    ("My father (born 04/11/1957, passport no. 27GH51930) will travel with me.", "04/11/1957", "DATE"),
    ("My father (born 04/11/1957, passport no. 27GH51930) will travel with me.", "27GH51930", "ID_CARD"),
    ("Passport number: 8KD204719, issued in Marseille", "8KD204719", "ID_CARD"),
    ("DOB: 23.09.1970 — allergic to penicillin", "23.09.1970", "DATE"),
    ("Date of birth 7/2/64, female", "7/2/64", "DATE"),
    ("She was born on 14 February 1983 in Leeds.", "14 February 1983", "DATE"),
    ("Patient: Mr. Brown, DOB September 5, 1949", "September 5, 1949", "DATE"),
    ("Please quote our ref. CT-2611-30482 when you reply.", "CT-2611-30482", "RECORD_ID"),
    ("The scan (your ref: US-0917-22) was normal.", "US-0917-22", "RECORD_ID"),
    ("Hospital No. 00781256, ward 5", "00781256", "RECORD_ID"),
    ("MRN: 5510273 / visit 2", "5510273", "RECORD_ID"),
    ("You can call me on +33 7 81 22 45 90 any afternoon.", "+33 7 81 22 45 90", "PHONE"),
    ("Office +33 (0)4 72 10 36 58, ext. 12", "+33 (0)4 72 10 36 58", "PHONE"),
    ("my brother in Berlin, +49 30 90182736", "+49 30 90182736", "PHONE"),
    ("UK mobile +44 7700 900 412", "+44 7700 900 412", "PHONE"),
    ("phone: 06 71 82 93 04 (evenings)", "06 71 82 93 04", "PHONE"),
    ("Tel. 04.78.62.19.33", "04.78.62.19.33", "PHONE"),
    ("his NHS number 485 777 3456 is on the letter", "485 777 3456", "INSURANCE_ID"),
    ("Medicare No. 3102 44871 2, expiry 2028", "3102 44871 2", "INSURANCE_ID"),
    ("Carte Vitale : 2 58 11 69 123 045 17", "2 58 11 69 123 045 17", "INSURANCE_ID"),
    ("Address: 27 avenue Jean Jaurès, 69007 Lyon\nThank you", "27 avenue Jean Jaurès, 69007 Lyon", "ADDRESS"),
    ("Home address: 9 Elm Road, Cambridge CB1 2AB. We arrive Friday.", "9 Elm Road, Cambridge CB1 2AB", "ADDRESS"),
]


@pytest.mark.parametrize(("text", "value", "typ"), ENGLISH)
def test_identifiers_in_english_text_are_masked(analyzer: Analyzer, text: str, value: str, typ: str) -> None:
    assert covered(analyzer, text, value, typ)


ENGLISH_SURVIVES = [
    ("He had Guillain-Barré syndrome in 2019 and improved.", "2019"),
    ("see reference 2019 in the guideline", "2019"),
    ("Please address: the pain score 3 times a day", "the pain score 3 times"),
    ("E-mail address: see the signature", "see the signature"),
    ("Hb 12.3 g/dL, platelets 250, version 2.5.2019a", "2.5.2019a"),
    ("ref. 12 in the letter", "12"),
    ("blood pressure 120/80, pulse 72", "120/80"),
    ("iPhone 12 app", "12"),
]


@pytest.mark.parametrize(("text", "value"), ENGLISH_SURVIVES)
def test_english_look_alikes_survive(analyzer: Analyzer, text: str, value: str) -> None:
    assert untouched(analyzer, text, value)


# ---------------------------------------------------------------- 2. a number after a label with no colon, or in brackets

NO_COLON = [
    ("新生儿筛查卡号 NS21-2611-000392，已寄出", "NS21-2611-000392", None),
    ("随访登记 FU-2611-00372 已建档", "FU-2611-00372", None),
    ("外院报告编号ZD08-3301-552190（附后）", "ZD08-3301-552190", None),
    ("记得带医保卡（卡号H44030519870311，放在钱包里）", "H44030519870311", "INSURANCE_ID"),
    ("医保卡上的号码是 J11010819650412", "J11010819650412", "INSURANCE_ID"),
    ("社保卡 3301 0619 8807 1505 一并复印", "3301 0619 8807 1505", None),
    ("就诊卡（卡号 MZ88003175）遗失补办", "MZ88003175", "RECORD_ID"),
    ("身份证（号码330106198807150419）复印件", "330106198807150419", "ID_CARD"),
]


@pytest.mark.parametrize(("text", "value", "typ"), NO_COLON)
def test_numbers_after_a_label_without_colon_are_masked(analyzer: Analyzer, text: str, value: str, typ: str | None) -> None:
    assert covered(analyzer, text, value, typ)


NO_COLON_SURVIVES = [
    ("依据GB-11643-1999与WS-329-2011执行", "GB-11643-1999"),
    ("依据GB-11643-1999与WS-329-2011执行", "WS-329-2011"),
    ("医保报销 12000000元，自付比例低", "12000000"),
    ("医保卡 2张已归还", "2"),
    ("HLA-B27阴性，IL-6 12.3 pg/ml", "IL-6"),
    ("COVID-19 核酸阴性", "COVID-19"),
]


@pytest.mark.parametrize(("text", "value"), NO_COLON_SURVIVES)
def test_label_look_alikes_survive(analyzer: Analyzer, text: str, value: str) -> None:
    assert untouched(analyzer, text, value)


# ---------------------------------------------------------------- 3. employers and schools, whole

EMPLOYERS = [
    ("工作单位及地址 南京市鼓楼区育英小学 南京市鼓楼区北京西路15号", "南京市鼓楼区育英小学"),
    ("工作单位/学校：成都市武侯区棕北中学", "成都市武侯区棕北中学"),
    ("单位或学校 广州市天河区华阳小学", "广州市天河区华阳小学"),
    ("患者，男，31岁，蓝鲸数据科技有限公司工程师。", "蓝鲸数据科技有限公司"),
    ("就职于北斗经纬信息技术有限公司，久坐", "北斗经纬信息技术有限公司"),
    ("母亲在至诚物流有限公司上班", "至诚物流有限公司"),
]


@pytest.mark.parametrize(("text", "value"), EMPLOYERS)
def test_employers_and_schools_are_masked_whole(analyzer: Analyzer, text: str, value: str) -> None:
    assert covered(analyzer, text, value, "ORG")


EMPLOYER_SURVIVES = [
    ("复查数据提示好转，至门诊随访", "数据"),
    ("根据检查数据调整剂量", "检查数据"),
    ("现住址：南京市鼓楼区北京西路15号3栋201室", "北京西路15号"),  # still an address, not an ORG
]


@pytest.mark.parametrize(("text", "value"), EMPLOYER_SURVIVES)
def test_employer_look_alikes(analyzer: Analyzer, text: str, value: str) -> None:
    if value == "北京西路15号":
        assert covered(analyzer, text, value, "ADDRESS")
    else:
        assert untouched(analyzer, text, value)


# ---------------------------------------------------------------- 4. district + town + village chains with no province

RURAL_WITH_DISTRICT = [
    "| 5 | 女 | 2型糖尿病 | 家访 | 青溪区石塘镇柳湾村4组17号 |",
    "3 张某 男 6.9 家访 独居，住青溪区石塘镇柳湾村4组17号",
    "随访地点：丰源县北坡乡杨庄村2组（老宅）",
    "户籍 东岭市下河镇前湾村5组",
]


@pytest.mark.parametrize("text", RURAL_WITH_DISTRICT)
def test_unlisted_district_joins_a_rural_chain(analyzer: Analyzer, text: str) -> None:
    for value in ("青溪区石塘镇柳湾村4组17号", "丰源县北坡乡杨庄村2组", "东岭市下河镇前湾村5组"):
        if value in text:
            assert covered(analyzer, text, value, "ADDRESS")


RURAL_SURVIVES = [
    ("转诊至石塘镇卫生院复查", "转诊至"),
    ("广西壮族自治区上林县白圩镇石门村3组", "广西壮族自治区"),  # a province (region) alone is kept
    ("病区护士站，镇痛泵已撤", "病区护士站"),
]


@pytest.mark.parametrize(("text", "value"), RURAL_SURVIVES)
def test_rural_chain_look_alikes(analyzer: Analyzer, text: str, value: str) -> None:
    assert untouched(analyzer, text, value)


def _entity(text: str, value: str, typ: str, score: float) -> Entity:
    s = text.index(value)
    return Entity(typ, s, s + len(value), value, "r", score, Explanation("r", "p", score))


@pytest.mark.parametrize(
    ("text", "name", "address", "rest"),
    [
        ("住青溪区石塘镇柳湾村4组17号", "青溪", "青溪区石塘镇柳湾村4组17号", "区石塘镇柳湾村4组17号"),  # a name at its start
        ("住石塘镇柳湾村4组17号", "柳湾", "石塘镇柳湾村4组17号", "村4组17号"),  # a name inside: both sides stay if long enough
        ("住松江区文华路88号", "文华", "松江区文华路88号", "路88号"),
    ],
)
def test_an_address_beaten_by_a_name_keeps_its_rest(text: str, name: str, address: str, rest: str) -> None:
    out = resolve_overlaps([_entity(text, name, "PERSON", 0.85), _entity(text, address, "ADDRESS", 0.8)])
    assert ("PERSON", name) in [(e.type, e.text) for e in out]
    assert ("ADDRESS", rest) in [(e.type, e.text) for e in out]


def test_only_addresses_keep_a_remainder() -> None:
    text = "联系人王大山电话13812345678"
    out = resolve_overlaps([_entity(text, "王大山", "PERSON", 0.9), _entity(text, "人王大山电话", "ORG", 0.8)])
    assert [(e.type, e.text) for e in out] == [("PERSON", "王大山")]


# ---------------------------------------------------------------- 5. institution names kept by policy

KEPT = [
    ("退费账户：开户行 中国农业银行柳州鱼峰支行   户名 X", "中国农业银行"),
    ("开户行：招商银行杭州分行", "招商银行"),
    ("已向中华慈善总会提交救助申请", "中华慈善总会"),
    ("中国残疾人联合会 辅具补贴项目", "中国残疾人联合会"),
    ("年级：护理学院2024级", "护理学院"),
    ("来访者为计算机学院学生", "计算机学院"),
    ("出生地：内蒙古自治区", "内蒙古自治区"),
    ("就医地：浙江省    参保地：福建省", "浙江省"),
    ("常主任12/06起外派青山医科大学附属第二医院进修", "起外派"),
    ("您好，我是滨江市人民医院的医生", "我是"),
    ("互联网医院图文复诊记录", "互联网医院"),  # names no particular hospital, like 当地医院
]


@pytest.mark.parametrize(("text", "value"), KEPT)
def test_institutions_kept_by_policy(analyzer: Analyzer, text: str, value: str) -> None:
    assert untouched(analyzer, text, value)


STILL_MASKED = [
    ("退费账户：开户行 中国农业银行柳州鱼峰支行", "柳州鱼峰支行", "ORG"),  # the branch names a place
    ("向滨江市慈善基金会申请救助", "滨江市慈善基金会", "ORG"),  # a city's charity
    ("就读于青山大学信息学院", "青山大学信息学院", "ORG"),  # the university named
    ("在蓝天学院读大二", "蓝天学院", "ORG"),  # a college with a name of its own
    ("常主任12/06起外派青山医科大学附属第二医院进修", "青山医科大学附属第二医院", "ORG"),  # hospitals stay masked
    ("现住址：北京市", "北京市", "ADDRESS"),  # a municipality is a city too
]


@pytest.mark.parametrize(("text", "value", "typ"), STILL_MASKED)
def test_institutions_still_masked(analyzer: Analyzer, text: str, value: str, typ: str) -> None:
    assert covered(analyzer, text, value, typ)


def test_a_time_before_a_verb_does_not_open_a_hospital_name(analyzer: Analyzer) -> None:
    text = "21:41送达青山医科大学附属第一医院急诊科"
    assert untouched(analyzer, text, "21:41送达")


def test_a_labelled_province_before_a_city_stays_in_the_address(analyzer: Analyzer) -> None:
    text = "住址：江苏省滨江市青山区长河路27号3栋1201室"
    assert covered(analyzer, text, "江苏省滨江市青山区长河路27号3栋1201室", "ADDRESS")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("工作单位及职务：滨江市恒达贸易商行 会计", "滨江市恒达贸易商行"),
        ("工作单位/电话：青山县农机站，0571-88881234", "青山县农机站"),
        ("就读学校及班级：育才实验学校初二（3）班", "育才实验学校初二（3）班"),
    ],
)
def test_an_employer_label_that_says_more_before_its_colon(analyzer: Analyzer, text: str, value: str) -> None:
    assert covered(analyzer, text, value, "ORG")


def test_an_employer_label_with_a_generic_value_masks_nothing(analyzer: Analyzer) -> None:
    assert untouched(analyzer, "工作单位及职务：无，退休", "无")
