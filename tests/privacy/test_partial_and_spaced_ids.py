"""Identifiers in forms the whole-value rules missed: starred values after their label, the last digits of a person's
number named as such (phi.partial_ids.v1), a passport's series apart from its number, a city's plate after its label,
a card number read aloud ending in X. Invented sentences per class, with look-alikes that must stay."""

from __future__ import annotations

import pytest

from yizhu.privacy import Analyzer


def found(analyzer: Analyzer, text: str) -> set[tuple[str, str]]:
    return {(e.type, e.text) for e in analyzer.analyze(text)}


def touched(analyzer: Analyzer, text: str, value: str) -> bool:
    pos = text.find(value)
    assert pos >= 0
    end = pos + len(value)
    return any(e.start < end and e.end > pos for e in analyzer.analyze(text))


STARRED = [
    ("住院号：ZY****5127　床号：12", "RECORD_ID", "ZY****5127"),
    ("门诊号: MZ**0463", "RECORD_ID", "MZ**0463"),
    ("医保卡号：3302******8841", "INSURANCE_ID", "3302******8841"),
    ("联系电话：139****0275", "PHONE", "139****0275"),
    ("手机号为 186****3390", "PHONE", "186****3390"),
    ("银行卡号：6217********4410", "BANK_CARD", "6217********4410"),
]


@pytest.mark.parametrize(("text", "typ", "value"), STARRED)
def test_a_starred_value_after_its_label_is_masked(analyzer: Analyzer, text: str, typ: str, value: str) -> None:
    assert (typ, value) in found(analyzer, text)


LAST_DIGITS = [
    ("身份证后四位：5308", "ID_CARD", "5308"),
    ("核对身份证号后6位 21034X", "ID_CARD", "21034X"),
    ("短信发到尾号是7781的手机上", "PHONE", "7781"),
    ("您登记的手机尾号 0452，对吗", "PHONE", "0452"),
    ("卡号末四位 6620", "BANK_CARD", "6620"),
]


@pytest.mark.parametrize(("text", "typ", "value"), LAST_DIGITS)
def test_the_last_digits_of_a_persons_number_are_masked(analyzer: Analyzer, text: str, typ: str, value: str) -> None:
    assert (typ, value) in found(analyzer, text)


STAY = [
    ("住院号：******　待补", "******"),  # stars alone
    ("床号：**床", "**"),  # a starred bed is a bed, not a record number
    ("验证码后四位：3816", "3816"),  # a one-time code
    ("订单尾号4567的快递到了", "4567"),
    ("今天车尾号限行3和8", "3"),
    ("尾号2690", "2690"),  # nothing says whose number
    ("手机尾号3元话费", "3"),
    ("护照 2 张，共 12 页", "2"),
    ("电话：无", "无"),
]


@pytest.mark.parametrize(("text", "value"), STAY)
def test_look_alikes_of_partial_values_stay(analyzer: Analyzer, text: str, value: str) -> None:
    ents = [e for e in analyzer.analyze(text) if e.type in ("RECORD_ID", "INSURANCE_ID", "ID_CARD", "PHONE", "BANK_CARD")]
    pos = text.find(value)
    assert not any(e.start < pos + len(value) and e.end > pos for e in ents)


PASSPORTS = [
    ("Passport：TK 4829173　旧版", "TK 4829173"),  # a series of letters apart from the number
    ("Patient: Passport 75 4418263, birth date", "75 4418263"),  # a series of two digits (Russian passports)
    ("护照号75 4412089。", "75 4412089"),
    ("Passport No: 5012 345678", "5012 345678"),
    ("证件类型：护照（长期外派）　号码：E 63915207", "E 63915207"),  # a note in brackets between label and number
]


@pytest.mark.parametrize(("text", "value"), PASSPORTS)
def test_a_passport_with_its_series_apart_is_masked(analyzer: Analyzer, text: str, value: str) -> None:
    assert ("ID_CARD", value) in found(analyzer, text)


def test_a_passport_count_stays(analyzer: Analyzer) -> None:
    assert not touched(analyzer, "护照（旧）3 本，签证 2 页", "3")


def test_a_city_plate_after_its_label_is_masked(analyzer: Analyzer) -> None:
    assert ("PLATE", "深圳 B 12073") in found(analyzer, "电动自行车号牌深圳 B 12073，擦伤")
    assert ("PLATE", "杭州A6K321") in found(analyzer, "车牌号码：杭州A6K321")
    assert ("PLATE", "京A12345") in found(analyzer, "车牌号码是京A12345")  # the label's own characters stay out
    assert not touched(analyzer, "车牌是深圳B超检查单", "B超")


def test_a_card_number_read_aloud_ending_in_x_is_masked_whole(analyzer: Analyzer) -> None:
    assert ("BANK_CARD", "1101 0819 6505 1187 X") in found(analyzer, "家属：卡号是1101 0819 6505 1187 X……我念错了没？")


LISTS = [
    ("住院号：0456718（新）、0398211（旧）", "0398211"),
    ("孩子的门诊号：2403150071，妈妈的：2403150072", "2403150072"),
    ("门诊号：2403150071、2403150072、2403150073", "2403150073"),  # a list of three
    ("医保卡号 H33010200123 或 H33010200456", "H33010200456"),
]


@pytest.mark.parametrize(("text", "value"), LISTS)
def test_a_value_of_the_same_shape_listed_after_an_identifier_is_masked(analyzer: Analyzer, text: str,
                                                                         value: str) -> None:
    first = next(e for e in analyzer.analyze(text) if e.start < text.find(value))
    assert (first.type, value) in found(analyzer, text)


LISTS_STAY = [
    ("住院号：0456718，血压120/80", "120/80"),  # another shape
    ("住院号：0456718，共住院13天", "13"),
    ("身份证号：330102199003071234，手机13800138000", "13800138000"),  # a telephone stays a telephone
]


@pytest.mark.parametrize(("text", "value"), LISTS_STAY)
def test_a_value_of_another_shape_after_an_identifier_keeps_its_own_reading(analyzer: Analyzer, text: str,
                                                                            value: str) -> None:
    pos = text.find(value)
    assert not any(e.start < pos + len(value) and e.end > pos and e.recognizer == "phi.continuation.v1"
                   for e in analyzer.analyze(text))


def test_a_bank_named_card_is_a_bank_card(analyzer: Analyzer) -> None:
    assert ("BANK_CARD", "6217 0012 3456 7890 123") in found(analyzer, "退款到他建行卡6217 0012 3456 7890 123")
    assert not touched(analyzer, "信用卡3张都停了", "3")


CARDS = [
    ("香港身份证：A123456 (7)", "A123456 (7)"),  # the check digit after a space
    ("香港身份证号码 Y 123456(3)", "Y 123456(3)"),
    ("澳门身份证：1/234567/8", "1/234567/8"),
    ("身份证号：11010519491231\n002X\n地址：…", "11010519491231\n002X"),  # a printed form wraps the number
]


@pytest.mark.parametrize(("text", "value"), CARDS)
def test_cards_of_hong_kong_macau_and_a_wrapped_id_are_masked(analyzer: Analyzer, text: str, value: str) -> None:
    assert ("ID_CARD", value) in found(analyzer, text)


def test_a_record_number_then_a_date_on_the_next_line_stay_apart(analyzer: Analyzer) -> None:
    ents = found(analyzer, "身份证号：110105194912310\n2024年3月入院")
    assert ("ID_CARD", "110105194912310") in ents  # an old fifteen-digit number; the date below does not join it
    assert ("DATE", "2024年3月") in ents


def test_a_code_in_a_batch_or_model_column_stays(analyzer: Analyzer) -> None:
    text = ("品名 | 型号/规格 | 批号 | 数量 | 单价（元）\n"
            "球囊导管 | NC 3.5×12mm | K2307719 | 1 | 1,380.00\n"
            "指引导管 | EBU 3.5 6F | F2311064 | 1 | 650.00\n")
    assert not touched(analyzer, text, "K2307719")
    assert not touched(analyzer, text, "F2311064")


def test_a_code_in_a_persons_column_is_still_taken(analyzer: Analyzer) -> None:
    assert touched(analyzer, "| 姓名 | 编号 |\n| 某甲 | K6501008731 |\n", "K6501008731")


@pytest.mark.parametrize("text", ["请登录公众号查看。取报告码：3816。", "快递到了，取件码 5-2-3017", "提取码：7f3k"])
def test_a_collection_code_stays(analyzer: Analyzer, text: str) -> None:
    assert not [e for e in analyzer.analyze(text) if e.type == "RECORD_ID"]


RECORD_FORMS = [
    ("住院号：Z 0458832", "Z 0458832"),  # the letter apart from the digits
    ("住院号【0458832】", "0458832"),  # in brackets or quotes
    ("住院号“0458832”", "0458832"),
    ("家属：住院号，0458832", "0458832"),  # after a comma in speech
]


@pytest.mark.parametrize(("text", "value"), RECORD_FORMS)
def test_record_numbers_in_quotes_after_a_comma_or_with_a_spaced_letter(analyzer: Analyzer, text: str,
                                                                        value: str) -> None:
    assert ("RECORD_ID", value) in found(analyzer, text)


@pytest.mark.parametrize(("text", "value"), [("住院号，住院5天", "5"), ("门诊号，共3次", "3"),
                                             ("产品编号 REF 6228-45", "6228")])
def test_record_look_alikes_stay(analyzer: Analyzer, text: str, value: str) -> None:
    assert not [e for e in analyzer.analyze(text) if e.type == "RECORD_ID" and text.find(value) in range(e.start, e.end)]


def test_an_insurance_number_read_aloud_ending_in_x(analyzer: Analyzer) -> None:
    assert ("INSURANCE_ID", "1101 0819 6505 1187 X") in found(analyzer, "医保卡号：1101 0819 6505 1187 X")
