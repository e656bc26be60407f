"""The general class of labelled numbers (phi.number_label.v1): the value after ANY label that names a number — a
short noun ending in 号/编号/号码/编码/证号/卡号/码/代码, or ID/No. — is an identifier, taken whole, unless the label
names a number that belongs to no person (批号, 型号, 序号, 页码, 版本号, 批准文号, 标准号, 疾病编码 …).

Every sentence here is written for this file; no label below is listed anywhere as a label: the rule knows endings.
"""

from __future__ import annotations

import pytest

from tests.privacy.test_identifier_classes import covered, untouched
from yizhu.privacy import Analyzer
from yizhu.privacy.recognizers._data import NumberLabelData, load_data
from yizhu.privacy.recognizers.number_label import NumberLabelRecognizer

# ---------------------------------------------------------------- 1. labels no rule lists, written many ways

LABELLED = [
    # police, case, commission and forensic numbers
    ("出警民警（警号 330215）到场询问", "330215"),
    ("接警单编号：JJ20261207-0093，派出所已立案", "JJ20261207-0093"),
    ("委托编号为 WT[2026]0457，鉴定事项：伤残等级", "WT[2026]0457"),
    ("鉴定文书号：浙正鉴[2026]临鉴字第1187号", "浙正鉴[2026]临鉴字第1187号"),
    ("司法鉴定意见书编号 苏同鉴〔2025〕法病字第00213号 附后", "苏同鉴〔2025〕法病字第00213号"),
    ("法院案号（2026）浙0102民初1234号，原告为患者之女", "（2026）浙0102民初1234号"),
    ("交通事故认定书编号：330106120260012345，责任划分", "330106120260012345"),
    ("立案决定书编号：杭公（西）立字〔2026〕1187号", "杭公（西）立字〔2026〕1187号"),
    ("鉴定委托编号：2026-临-0457，送检材料齐全", "2026-临-0457"),
    # licences and certificates of the clinicians who sign
    ("主诊医师执业证书编码：110440100012345", "110440100012345"),
    ("护士执业证号 202633010087（有效期至2031年）", "202633010087"),
    ("医师资格证号为199811110330120，执业范围内科", "199811110330120"),
    ("药师资格证书号码 ZY2019-330112-07", "ZY2019-330112-07"),
    # clinical trials
    ("入组受试者筛选号 S-021，知情同意已签", "S-021"),
    ("随机号为 0117，分入试验组", "0117"),
    ("受试者代码：YZ-0217-0045；中心号 07", "YZ-0217-0045"),
    ("药物编号 KIT-004583 已发放", "KIT-004583"),
    # blood bank
    ("输注红细胞2U，血袋号：0331226001245，核对无误", "0331226001245"),
    ("献血者编码 330100A2026117 的血液留样", "330100A2026117"),
    ("复核血袋号（0331226001245）与交叉配血单一致", "0331226001245"),
    ("交叉配血标本的献血码为 =W0331 26 001245", "W0331 26 001245"),
    # school and work
    ("患儿学籍号 G330106201004150012，就读三年级", "G330106201004150012"),
    ("其学号2021030817，宿舍在6号楼", "2021030817"),
    ("陪护人员工号 HZ-0087 已登记", "HZ-0087"),
    ("员工编号：007712，所在部门物流", "007712"),
    ("考生准考证号 2026330100123 请核对", "2026330100123"),
    # vehicles and households (HIPAA (L) vehicle identifiers, account-like numbers)
    ("肇事车辆车架号 LSVAU2180N2123456，驾驶人受伤", "LSVAU2180N2123456"),
    ("缴费户号 0012345678，电费由家属代缴", "0012345678"),
    # English labels
    ("Subject Number: 0217-045 randomised on day 1", "0217-045"),
    ("The officer's Badge No. 11234 was noted.", "11234"),
    ("Employee #4471 signed the incident form", "4471"),
    ("Employee ID HZ88231 (night shift)", "HZ88231"),
    ("student number is 20210308", "20210308"),
    ("会员ID：VIP-33821，积分", "VIP-33821"),
]


@pytest.mark.parametrize(("text", "value"), LABELLED)
def test_the_value_after_any_label_naming_a_number_is_masked_whole(analyzer: Analyzer, text: str, value: str) -> None:
    assert covered(analyzer, text, value)


# ---------------------------------------------------------------- 1b. a card or certificate with its number set apart

CARDS = [
    ("护工证：PH-2026-0117，上岗培训已完成", "PH-2026-0117"),
    ("陪护持健康证 HZ33010620260117（有效期一年）", "HZ33010620260117"),
    ("患儿学生证是 2021030817", "2021030817"),
    ("残疾证：33010619880715041942，肢体二级", "33010619880715041942"),
    ("员工卡：HZ-0087，夜班", "HZ-0087"),
    ("本人献血证 330100A2026117 可减免费用", "330100A2026117"),
]


@pytest.mark.parametrize(("text", "value"), CARDS)
def test_a_card_or_certificate_number_set_apart_is_masked(analyzer: Analyzer, text: str, value: str) -> None:
    assert covered(analyzer, text, value)


@pytest.mark.parametrize(("text", "value"), [
    ("中医辨证 1234 例回顾", "1234"),
    ("门诊刷卡 12345 元", "12345"),
    ("输液卡 2026 版", "2026"),
    ("器械注册证 国械注准20173460001", "20173460001"),
    ("禁忌证 3 条", "3"),
    ("持健康证上岗，已核验", "健康证"),
])
def test_words_ending_in_a_card_or_certificate_that_name_no_number_survive(analyzer: Analyzer, text: str, value: str) -> None:
    assert untouched(analyzer, text, value)


# ---------------------------------------------------------------- 2. the same numbers in speech

SPOKEN = [
    ("我的工号是 零零八七三一", "零零八七三一"),
    ("家属：孩子学号是 二零二一 零三零八 一七", "二零二一 零三零八 一七"),
    ("医生：你工号多少？\n护士：嗯，0087 31。", "0087 31"),
    ("请报一下您的献血者编号？\n献血者：是 幺三八 零零 二七", "幺三八 零零 二七"),
    ("他的警号呢？——110 357", "110 357"),
    ("患者：我的随机号码是 0 1 1 7", "0 1 1 7"),
    ("陪护：员工号多少啊？我看看，HZ 0087", "HZ 0087"),
]


@pytest.mark.parametrize(("text", "value"), SPOKEN)
def test_spoken_numbers_after_such_a_label_are_masked(analyzer: Analyzer, text: str, value: str) -> None:
    assert covered(analyzer, text, value)


# ---------------------------------------------------------------- 3. typed rules keep their type

TYPED = [
    ("驾驶证号：330106198807150419", "330106198807150419", "ID_CARD"),
    ("联系电话号码 13812345678", "13812345678", "PHONE"),
    ("医保卡号：1100123456789", "1100123456789", "INSURANCE_ID"),
]


@pytest.mark.parametrize(("text", "value", "typ"), TYPED)
def test_a_typed_rule_keeps_its_type(analyzer: Analyzer, text: str, value: str, typ: str) -> None:
    assert covered(analyzer, text, value, typ)


# ---------------------------------------------------------------- 4. numbers that belong to no person survive

NOT_A_PERSON = [
    ("头孢曲松药品批号：20260101，有效期至2028年", "20260101"),
    ("输液器型号：XJ-2000，一次性使用", "XJ-2000"),
    ("耗材货号 88213 已出库", "88213"),
    ("按序号 123 排列", "123"),
    ("见附件页码 245", "245"),
    ("系统版本号 V2.3.1 已升级", "V2.3.1"),
    ("批准文号：国药准字H20051234", "国药准字H20051234"),
    ("注册证号：国械注准20173460001", "国械注准20173460001"),
    ("依据标准号 GB/T 9704-2012 书写", "GB/T 9704-2012"),
    ("卫健委发文字号：卫医发〔2010〕11号", "卫医发〔2010〕11号"),
    ("主要诊断编码 I21.901，手术操作编码 36.0601", "I21.901"),
    ("ICD-10编码 K35.800", "K35.800"),
    ("已挂号 12345 人次", "12345"),
    ("短信验证码 123456 五分钟内有效", "123456"),
    ("医院统一社会信用代码 12330000470051726F", "12330000470051726F"),
    ("航班号 CA1234 的同机旅客", "CA1234"),
    ("the No. 128 bus to the clinic", "128"),
    ("Lot No. 2026A0115 of the vaccine", "2026A0115"),
    ("see item #123 of the checklist", "123"),
    ("# 2026 随访计划", "2026"),
    ("十二号 上午 复查，三号楼 1203", "1203"),
    ("编号 3 的标本", "3"),
    ("病号服尺码 170/92A", "170/92A"),
    ("依诺肝素钠每支 4000 IU，药品编码 XH86020", "XH86020"),
]


@pytest.mark.parametrize(("text", "value"), NOT_A_PERSON)
def test_numbers_of_things_not_persons_survive(analyzer: Analyzer, text: str, value: str) -> None:
    assert untouched(analyzer, text, value)


@pytest.mark.parametrize(("text", "value", "typ"), [
    ("床号 12，患者安静", "12", "BED"),
])
def test_a_bed_number_stays_a_bed(analyzer: Analyzer, text: str, value: str, typ: str) -> None:
    assert covered(analyzer, text, value, typ)
    assert untouched(analyzer, text, value)


# ---------------------------------------------------------------- 5. the data

def test_every_not_a_person_group_says_why_and_where() -> None:
    data = load_data("number_labels.yaml", NumberLabelData)
    assert data.not_a_person
    for group in data.not_a_person:
        assert group.reason.strip() and len(group.source) > 5


@pytest.mark.parametrize("label", ["药品批号", "生产批号", "规格型号", "ICD-10编码", "批准文号", "页码"])
def test_not_a_person_labels_are_matched_by_their_ending(label: str) -> None:
    assert NumberLabelRecognizer().excluded(label)


@pytest.mark.parametrize("label", ["鉴定文书号", "执业证号", "献血者编码", "受试者编号", "学籍号"])
def test_person_labels_are_not_caught_by_an_exclusion(label: str) -> None:
    assert not NumberLabelRecognizer().excluded(label)


# ---------------------------------------------------------------- 6. table columns headed by such a label

@pytest.mark.parametrize(("text", "value"), [
    ("序号 | 姓名 | 学籍号 | 批号\n1 | 甲 | G3301062010 | 20260101\n2 | 乙 | G3301062011 | 20260102", "G3301062011"),
    ("受试者ID\t筛选号\t型号\nS-0217\tSCR-0031\tXJ-2000", "SCR-0031"),
    ("工号  科室  班次\nHZ0087  物流  夜班", "HZ0087"),
])
def test_a_column_headed_by_a_label_naming_a_number_is_masked(analyzer: Analyzer, text: str, value: str) -> None:
    assert covered(analyzer, text, value, "RECORD_ID")


@pytest.mark.parametrize(("text", "value"), [
    ("序号 | 姓名 | 学籍号 | 批号\n1 | 甲 | G3301062010 | 20260101\n2 | 乙 | G3301062011 | 20260102", "20260102"),
    ("受试者ID\t筛选号\t型号\nS-0217\tSCR-0031\tXJ-2000", "XJ-2000"),
    ("药品名称  药品编码  数量\n阿莫西林  XA01ABD0752  2盒", "XA01ABD0752"),
])
def test_a_column_of_a_thing_s_number_survives(analyzer: Analyzer, text: str, value: str) -> None:
    assert untouched(analyzer, text, value)
