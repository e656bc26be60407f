"""Identifiers and beds, fifth round (session deidids5, classes read from the misses of dev8 d8-01 … d8-30 and the
retired held-out 6), one class per test, several wordings each and the look-alikes that must survive.

Written by hand for yizhu; every number is invented (合成): the 身份证号 carry valid GB 11643 check characters and
the bank cards valid Luhn digits so the checks, not luck, decide.
"""

from __future__ import annotations

import pytest

from tests.privacy.test_identifier_classes import covered, untouched
from yizhu.privacy import Analyzer

# ---------------------------------------------------------------- 1. numbers read aloud in Chinese digits

SPOKEN = [
    # a 身份证号 in three breaths, the label a clause away or absent
    ("身上有身份证，我念一下，三三零一零六，一九八七零五一二，零六一六。", "三三零一零六，一九八七零五一二，零六一六", "ID_CARD"),
    ("陪同儿子：五一零一零二，一九六二零九三零，四四二三。", "五一零一零二，一九六二零九三零，四四二三", "ID_CARD"),
    ("我的是四二零一零六 一九九九零一零一 一二三七", "四二零一零六 一九九九零一零一 一二三七", "ID_CARD"),
    # a bank card read in one breath
    ("尾号零一二二对吧，六二一七零零一二三四五六七八九零一二二，请输密码。", "六二一七零零一二三四五六七八九零一二二", "BANK_CARD"),
    # letters kept before the spoken digits
    ("住院号……单子上写的是ZY幺零八七六二三。", "ZY幺零八七六二三", None),
    ("找护士登记，门诊号给她：MZ二四零六一二零零八八。", "MZ二四零六一二零零八八", None),
    ("带了，卡号是 K 六五二九 零零 四一八 二七。", "K 六五二九 零零 四一八 二七", None),
    ("我看看单子，Z二四零二二一九三六。", "Z二四零二二一九三六", None),
    # a bare long run with no label at all
    ("对方：八八零零三一七五五六二，就这个。", "八八零零三一七五五六二", "RECORD_ID"),
    # the cue before it names the type
    ("医保卡那个号，三二零五零零一八二二四零", "三二零五零零一八二二四零", "INSURANCE_ID"),
]


@pytest.mark.parametrize(("text", "value", "typ"), SPOKEN)
def test_numbers_read_aloud_in_chinese_digits_are_masked(analyzer: Analyzer, text: str, value: str,
                                                         typ: str | None) -> None:
    assert covered(analyzer, text, value, typ)


SPOKEN_SURVIVE = [
    ("呋塞米今天减成二十毫克，尿量一千二。", "二十毫克"),
    ("白细胞三点二，有点低。", "三点二"),
    ("血压一四零，九零，心率八八。", "一四零，九零"),  # small numbers in a list, not one identifier
    ("二零二四年六月五日入院", "二零二四"),
    ("数到一二三四五六七八九十就停。", "一二三四五六七八九十"),
    ("一五一十地说了经过", "一五一十"),
    ("三三两两的家属在走廊等候", "三三两两"),
    ("六五二九零一，一九五二零七零九，一三七九", "六五二九零一，一九五二零七零九，一三七九"),  # not a check: a list of 3
]


@pytest.mark.parametrize(("text", "value"), SPOKEN_SURVIVE[:-1])
def test_spoken_quantities_and_dates_stay(analyzer: Analyzer, text: str, value: str) -> None:
    assert untouched(analyzer, text, value)


def test_a_failed_check_still_reads_as_a_long_record_number(analyzer: Analyzer) -> None:
    # eighteen digits read aloud are somebody's number even when a digit was misheard: masked, typed by no check
    text, value = SPOKEN_SURVIVE[-1]
    assert covered(analyzer, text, value)
    assert not covered(analyzer, text, value, "ID_CARD")


# ---------------------------------------------------------------- 2. plates read aloud

PLATES = [
    ("轿车车牌粤B，七M三八二，就是那辆白车", "粤B，七M三八二"),
    ("车牌是苏E五X七二九，停在门口。", "苏E五X七二九"),
    ("浙A 一二三四五 的车挪一下", "浙A 一二三四五"),
    # a trailer plate with five characters before 挂
    ("小轿车与货车（湘E·H7722挂）相撞", "湘E·H7722挂"),
]


@pytest.mark.parametrize(("text", "value"), PLATES)
def test_spoken_and_trailer_plates_are_masked(analyzer: Analyzer, text: str, value: str) -> None:
    assert covered(analyzer, text, value, "PLATE")


@pytest.mark.parametrize(("text", "value"), [("新A型流感，三十五岁", "新A型"), ("川A一二三四", "川A一二三四"),
                                             ("浙A12345挂号处", "挂号")])
def test_plate_look_alikes_stay(analyzer: Analyzer, text: str, value: str) -> None:
    assert untouched(analyzer, text, value)


# ---------------------------------------------------------------- 3. labels written twice, dictation in speech

LABELS = [
    ("医保电子凭证/卡号：H46010600291837", "H46010600291837"),
    ("门诊号/ID号：MZ0087612", "MZ0087612"),
    ("家属：住院号记一下：Z0458832，报销要用。", "Z0458832"),
    ("工号写一下：A0087，我回头查。", "A0087"),
    ("门诊号给她：MZ20240612", "MZ20240612"),
]


@pytest.mark.parametrize(("text", "value"), LABELS)
def test_values_after_a_second_label_or_a_word_of_dictation_are_masked(analyzer: Analyzer, text: str,
                                                                       value: str) -> None:
    assert covered(analyzer, text, value)


@pytest.mark.parametrize(("text", "value"), [("批号记一下：B20240101", "B20240101"),
                                             ("药品批号/效期：C230915 2026-09", "C230915")])
def test_dictated_numbers_of_things_stay(analyzer: Analyzer, text: str, value: str) -> None:
    assert untouched(analyzer, text, value)


# ---------------------------------------------------------------- 4. beds: spoken, floors, rooms, table columns

BEDS = [
    ("好 下一个 二十三床 陈某 女的 心衰", "二十三床"),
    ("三十一床 黄某 酒精肝", "三十一床"),
    ("昨晚收了三个新病人。三床司马某，男", "三床"),
    ("十四床伍某，哮喘", "十四床"),
    ("加二床 老太太 明天出院", "加二床"),
    ("床号是十二，住院号还没给", "十二"),
    ("大概一小时回十二楼23床。", "十二楼23床"),
    ("转到5楼12床了", "5楼12床"),
    ("急诊科　抢救室　抢3床", "抢3床"),
    ("（EICU）　E-06床　患者", "E-06床"),
]


@pytest.mark.parametrize(("text", "value"), BEDS)
def test_bed_forms_are_masked(analyzer: Analyzer, text: str, value: str) -> None:
    assert covered(analyzer, text, value, "BED")


BEDS_SURVIVE = [
    ("晚上冷，就盖了一床棉被", "一床"),
    ("家里加了一床被子", "一床"),
    ("和孩子睡一床", "一床"),
    ("床位费120元", "120"),
    ("床位：已满，等待3天", "3天"),
    ("床位是3天前订的", "3天"),
    ("床号：老年医学科19床", "老年医学科"),  # the department before the bed stays
    ("绝对卧床2周", "卧床"),
]


@pytest.mark.parametrize(("text", "value"), BEDS_SURVIVE)
def test_bed_look_alikes_stay(analyzer: Analyzer, text: str, value: str) -> None:
    pos = text.find(value)
    end = pos + len(value)
    assert not any(e.start < end and e.end > pos for e in analyzer.analyze(text) if e.type == "BED")


def test_a_bed_column_of_a_handover_table_is_masked(analyzer: Analyzer) -> None:
    text = ("| 床号 | 姓名 | 住院号 | 诊断 |\n"
            "| 3 | 某甲 | ZY1087623 | 脑梗死 |\n"
            "| 加2 | 某乙 | ZY1087701 | 帕金森病 |\n"
            "| ICU-7 | 某丙 | ZY1087755 | 肺炎 |\n")
    for value in ("| 3 |", "| 加2 |", "| ICU-7 |"):
        pos = text.find(value) + 2
        bed = value[2:-2]
        assert any(e.type == "BED" and e.start == pos and e.end == pos + len(bed) for e in analyzer.analyze(text))
    # a dash or 无 in the column stays
    text2 = "| 床号 | 姓名 | 诊断 |\n| 无 | 某甲 | 肺炎 |\n| - | 某乙 | 哮喘 |\n"
    assert not [e for e in analyzer.analyze(text2) if e.type == "BED"]


# ---------------------------------------------------------------- 5. more forms of the same classes

MORE = [
    # the check character of a 身份证号 read as 叉, pauses written as dots, the hyphen said as 杠
    ("身份证号我念：三三零一零六一九八七零五一二零六一叉", "三三零一零六一九八七零五一二零六一叉", "ID_CARD"),
    ("身份证是四二零一零六……一九九九零一零一……一二三七", "四二零一零六……一九九九零一零一……一二三七", "ID_CARD"),
    ("病案号BA杠二零二四杠零一一八七三", "BA杠二零二四杠零一一八七三", None),
    # ASCII digit groups between commas, as a reading is typed; the check decides
    ("身份证：420106，19990101，1237 对吧", "420106，19990101，1237", "ID_CARD"),
    # a value on the line after its label
    ("住院号：\n0456718\n姓名：某甲", "0456718", None),
    ("医保卡号：\nK65010087314", "K65010087314", None),
    # a passport number in groups
    ("护照号码：E 1234 5678", "E 1234 5678", None),
]


@pytest.mark.parametrize(("text", "value", "typ"), MORE)
def test_more_forms_are_masked(analyzer: Analyzer, text: str, value: str, typ: str | None) -> None:
    assert covered(analyzer, text, value, typ)


@pytest.mark.parametrize(("text", "value"), [
    ("身份证：420106，19990101，1238 对吧", "420106，19990101，1238"),  # the check fails: a list of numbers
    ("住院号：\n姓名：某甲", "姓名"),
    ("病案号：\n（待补）", "待补"),
])
def test_more_look_alikes_stay(analyzer: Analyzer, text: str, value: str) -> None:
    assert untouched(analyzer, text, value)


MORE_BEDS = [
    ("他3号床的，明天出院", "3号床"),
    ("三号床的老太太", "三号床"),
    ("一百零三床 某甲", "一百零三床"),
    ("患者在ICU 7床", "ICU 7床"),
    ("Bed 12 patient stable", "12"),
    ("transferred to bed no. 3 today", "3"),
]


@pytest.mark.parametrize(("text", "value"), MORE_BEDS)
def test_more_bed_forms_are_masked(analyzer: Analyzer, text: str, value: str) -> None:
    assert covered(analyzer, text, value, "BED")


@pytest.mark.parametrize(("text", "value"), [("bed rest for 2 weeks", "2"), ("in bed 3 days", "3"),
                                             ("共30床位已满", "30"), ("12号床头柜", "12号")])
def test_more_bed_look_alikes_stay(analyzer: Analyzer, text: str, value: str) -> None:
    pos = text.find(value)
    end = pos + len(value)
    assert not any(e.start < end and e.end > pos for e in analyzer.analyze(text) if e.type == "BED")


# ---------------------------------------------------------------- 6. a clause between label and value; headers of two fields

FAR = [
    ("家属：住院号我看看啊，是 0456718", "0456718"),
    ("医保卡号码我报给你，K65010087314", "K65010087314"),
    ("身份證字號：A123456789", "A123456789"),  # a Taiwan resident's number, read in simplified form
    ("医保卡号K 6501 0087 314", "K 6501 0087 314"),
]


@pytest.mark.parametrize(("text", "value"), FAR)
def test_values_a_clause_from_their_label_are_masked(analyzer: Analyzer, text: str, value: str) -> None:
    assert covered(analyzer, text, value)


FAR_SURVIVE = [
    ("门诊号忘了，20240612那天来的", "20240612"),  # a date, not the number
    ("病案号未填，2024年入院", "2024"),
    ("住院号不知道，明天3点来", "3"),
    ("医保卡号没带，1200元自费", "1200"),
    ("卡号尾号五零三零对吧", "五零三零"),  # the last digits alone identify nobody
    ("我车牌尾号382", "382"),
]


@pytest.mark.parametrize(("text", "value"), FAR_SURVIVE)
def test_numbers_a_clause_from_a_label_that_are_not_its_value_stay(analyzer: Analyzer, text: str,
                                                                    value: str) -> None:
    assert untouched(analyzer, text, value)


def test_a_header_naming_two_fields_heads_an_identifier_column(analyzer: Analyzer) -> None:
    text = "| 住院/门诊号 | 姓名 | 诊断 |\n| 2024003187 | 某甲 | 肺炎 |\n"
    assert covered(analyzer, text, "2024003187", "RECORD_ID")
    text2 = "| 日期/时间 | 药品 | 剂量 |\n| 2024-01-02 | 头孢 | 1.0g |\n"
    assert untouched(analyzer, text2, "1.0g")


def test_an_observation_bed_is_masked_whole(analyzer: Analyzer) -> None:
    assert covered(analyzer, "留观号 LG2612-0093  床号 留观7床", "留观7床", "BED")


# ---------------------------------------------------------------- 7. half-masked numbers, bed lists and questions

@pytest.mark.parametrize(("text", "value", "typ"), [
    ("银行卡：6225 88** **** 2138", "6225 88** **** 2138", "BANK_CARD"),
    ("卡号 622588******2138", "622588******2138", "BANK_CARD"),
    ("身份证号：440106********0394", "440106********0394", "ID_CARD"),
    ("证件号 L23456789（护照）", "L23456789", "ID_CARD"),
])
def test_half_masked_and_document_numbers_are_masked(analyzer: Analyzer, text: str, value: str, typ: str) -> None:
    assert covered(analyzer, text, value, typ)


@pytest.mark.parametrize(("text", "value"), [
    ("3、5、7床今天出院", "3、5、7床"),
    ("12和13床的家属", "12和13床"),
    ("床号多少？\n家属：十二", "十二"),
    ("走廊加床2 老太太", "加床2"),
])
def test_bed_lists_answers_and_extra_beds_are_masked(analyzer: Analyzer, text: str, value: str) -> None:
    assert covered(analyzer, text, value, "BED")


@pytest.mark.parametrize(("text", "value"), [
    ("心率80，12床患者", "80"),  # a vital sign before a comma is not a bed of a list
    ("床位几号？\n护士：三天后有", "三天"),
    ("病房满了，加床2张", "2张"),
    ("1.2、1.5床单", "1.5"),
])
def test_bed_list_look_alikes_stay(analyzer: Analyzer, text: str, value: str) -> None:
    pos = text.find(value)
    end = pos + len(value)
    assert not any(e.start < end and e.end > pos for e in analyzer.analyze(text) if e.type == "BED")


@pytest.mark.parametrize(("text", "value"), [
    ("药品批号是二零二四零一零一二", "二零二四零一零一二"),  # a batch read aloud stays a batch
    ("批号：二零二四零一零一二", "二零二四零一零一二"),
    ("验证码 六二八三九一七", "六二八三九一七"),
    ("一二三四五六七，八九十", "一二三四五六七"),  # counting, cut before more digits
])
def test_spoken_numbers_of_things_stay(analyzer: Analyzer, text: str, value: str) -> None:
    assert untouched(analyzer, text, value)


def test_a_spoken_record_number_before_a_spoken_bed_keeps_both(analyzer: Analyzer) -> None:
    text = "住院号二四零零三九一七，十二床"
    assert covered(analyzer, text, "二四零零三九一七")
    assert covered(analyzer, text, "十二床", "BED")


# ---------------------------------------------------------------- 8. key-value tables and a value under its label

def test_a_key_value_table_masks_each_value_beside_its_label(analyzer: Analyzer) -> None:
    text = ("| 住院号 | 0456718 |\n| 床号 | 17 |\n| 身份证号 | 440106197905230394 |\n| 医保卡号 | K65010087314 |\n"
            "| 联系电话 | 13912345678 |\n| 银行卡号 | 6225 8825 8014 2138 |\n| 工号 | 0087 |\n| 批号 | 20240101 |\n"
            "| 住院天数 | 12 |\n")
    for value in ("0456718", "17", "440106197905230394", "K65010087314", "13912345678", "6225 8825 8014 2138",
                  "0087"):
        assert covered(analyzer, text, value), value
    assert untouched(analyzer, text, "20240101")
    assert covered(analyzer, text, "17", "BED")
    assert not any(e.text == "12" for e in analyzer.analyze(text))


@pytest.mark.parametrize(("text", "value"), [("住院号\n0456718", "0456718"), ("床位：17号", "17号"),
                                             ("┃住院号┃0456718┃", "0456718")])
def test_a_value_under_or_beside_its_label_is_masked(analyzer: Analyzer, text: str, value: str) -> None:
    assert covered(analyzer, text, value)


@pytest.mark.parametrize(("text", "value"), [("请提供住院号\n2. 血常规", "2."), ("床位：3号楼", "3号楼"),
                                             ("| 住院号 | 无 |", "无")])
def test_a_line_after_a_label_that_holds_no_value_stays(analyzer: Analyzer, text: str, value: str) -> None:
    pos = text.find(value)
    assert not any(e.start < pos + len(value) and e.end > pos for e in analyzer.analyze(text))


@pytest.mark.parametrize(("text", "value"), [("0456718是他的住院号", "0456718"),
                                             ("家属：ZY20240318，就是门诊号吧", "ZY20240318"),
                                             ("0087 就是我的工号", "0087")])
def test_a_value_said_before_its_label_is_masked(analyzer: Analyzer, text: str, value: str) -> None:
    assert covered(analyzer, text, value)


@pytest.mark.parametrize(("text", "value"), [("今天血糖7.8是他的住院号", "7.8"), ("12天是住院号？", "12天")])
def test_a_quantity_before_a_label_stays(analyzer: Analyzer, text: str, value: str) -> None:
    assert untouched(analyzer, text, value)


# ---------------------------------------------------------------- 9. after the check split (d8-31 … d8-40) was measured

@pytest.mark.parametrize(("text", "value"), [
    ("刘某：好，ID号发我，我在电脑上看看\n诸葛某：0007746218", "0007746218"),  # a request answered on the next line
    ("住院号报一下\n家属：2456718", "2456718"),
    ("| 0000873311 | 已核对 |", "0000873311"),  # zero-padded: a system's number, never a quantity
])
def test_requested_and_zero_padded_numbers_are_masked(analyzer: Analyzer, text: str, value: str) -> None:
    assert covered(analyzer, text, value)


@pytest.mark.parametrize(("text", "value"), [("工号说一下\n护士：12", "12"), ("0.0012345", "0.0012345"),
                                             ("电话给我\n家属：好的", "好的")])
def test_requests_without_a_number_and_small_decimals_stay(analyzer: Analyzer, text: str, value: str) -> None:
    assert untouched(analyzer, text, value)


@pytest.mark.parametrize(("text", "value"), [("诸葛某：19床上官飞，男", "19床"), ("3床头痛加重", "3床"),
                                             ("5床边的家属", "5床")])
def test_a_bed_before_a_word_that_starts_with_a_bed_word_is_masked(analyzer: Analyzer, text: str,
                                                                   value: str) -> None:
    assert covered(analyzer, text, value, "BED")


@pytest.mark.parametrize(("text", "value"), [("病区共30床位", "30"), ("买了2床上用品", "2")])
def test_bed_counts_and_bedding_stay(analyzer: Analyzer, text: str, value: str) -> None:
    pos = text.find(value)
    assert not any(e.start < pos + len(value) and e.end > pos for e in analyzer.analyze(text) if e.type == "BED")


def test_a_date_read_digit_by_digit_is_not_a_record_number(analyzer: Analyzer) -> None:
    assert untouched(analyzer, "他说一九八八零四一七出生的", "一九八八零四一七")
    assert covered(analyzer, "住院号：二零二四零六零五", "二零二四零六零五")  # after a record label it is the number


# ---------------------------------------------------------------- 10. values spaced digit by digit or with ideographic spaces

@pytest.mark.parametrize(("text", "value"), [
    ("住院号：2 0 2 4 0 3 1 8", "2 0 2 4 0 3 1 8"),
    ("住院号：Z Y 2 0 2 4 0 3 1 8", "Z Y 2 0 2 4 0 3 1 8"),
    ("卡号：6 2 2 5 8 8 2 5 8 0 1 4 2 1 3 8", "6 2 2 5 8 8 2 5 8 0 1 4 2 1 3 8"),
    ("住院号：ZY　2024　0318", "ZY　2024　0318"),
    ("病案号：0045　6718", "0045　6718"),
])
def test_spaced_values_are_masked_whole(analyzer: Analyzer, text: str, value: str) -> None:
    assert covered(analyzer, text, value)


def test_spaced_small_numbers_after_a_label_stay(analyzer: Analyzer) -> None:
    assert untouched(analyzer, "住院号：12 3 天", "12 3")


def test_a_code_half_typed_half_spoken_is_masked(analyzer: Analyzer) -> None:
    assert covered(analyzer, "住院号……ZY2024零三一八", "ZY2024零三一八")
    assert untouched(analyzer, "维生素B一二缺乏", "B一二")


@pytest.mark.parametrize(("text", "value"), [("3号床位的病人", "3号床位"), ("住3号病床", "3号病床")])
def test_a_numbered_bed_place_is_a_bed(analyzer: Analyzer, text: str, value: str) -> None:
    assert covered(analyzer, text, value, "BED")


@pytest.mark.parametrize(("text", "value"), [("社保卡号为：K65010087314", "K65010087314"),
                                             ("住院号为：0456718", "0456718"), ("床号为：12", "12"),
                                             ("医保号是:K65010087314", "K65010087314"),
                                             ("住院号是 ：0456718", "0456718")])
def test_a_value_after_is_and_a_colon_is_masked(analyzer: Analyzer, text: str, value: str) -> None:
    assert covered(analyzer, text, value)


# ---------------------------------------------------------------- 11. one letter and seven digits or more, no label

@pytest.mark.parametrize(("text", "value"), [
    ("医保卡带了吗？\n家属：带了，H46010600291837", "H46010600291837"),
    ("住院号……单子上是Z0458832", "Z0458832"),
    ("腕带：A00067241", "A00067241"),
])
def test_bare_one_letter_codes_are_masked(analyzer: Analyzer, text: str, value: str) -> None:
    assert covered(analyzer, text, value)


@pytest.mark.parametrize(("text", "value"), [
    ("国药准字H20043222", "H20043222"),  # a drug's approval number
    ("批号：H2401234", "H2401234"),
    ("批号记一下：B20240101", "B20240101"),
    ("机构编码：H33010600089", "H33010600089"),  # an insurer's code for the hospital
    ("T12椎体压缩骨折", "T12"),
])
def test_codes_of_things_stay(analyzer: Analyzer, text: str, value: str) -> None:
    assert untouched(analyzer, text, value)


def test_a_phone_cue_inside_a_longer_label_keeps_the_phone_type(analyzer: Analyzer) -> None:
    assert covered(analyzer, "电话号码八七六五四三二一", "八七六五四三二一", "PHONE")
