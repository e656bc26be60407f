"""Non-name identifiers in the forms realistic records write them (issue 13, session deidids), one class per
test, each with several wordings and the look-alikes that must survive.

Written by hand for yizhu; every number, address, account and institution is invented (合成). ID card numbers
carry a valid GB 11643 check character unless a case says otherwise. A positive case passes when every character
of the value lies inside an entity (of the given type where one is named); a look-alike passes when no entity of
an identifier type touches it.
"""

from __future__ import annotations

import pytest

from tests.privacy.conftest import found
from yizhu.privacy import Analyzer
from yizhu.privacy.analyzer import fold_fullwidth


def covered(analyzer: Analyzer, text: str, value: str, typ: str | None = None) -> bool:
    """Every character of ``value`` (first occurrence) lies inside an entity (of type ``typ``)."""
    pos = text.find(value)
    assert pos >= 0, f"{value!r} is not in {text!r}"
    cov: set[int] = set()
    for e in analyzer.analyze(text):
        if typ is None or e.type == typ:
            cov.update(range(e.start, e.end))
    return all(i in cov for i in range(pos, pos + len(value)))


#: Types a look-alike must not be taken as (dates, times, beds and ages have their own rules).
IDENTIFIERS = ("ID_CARD", "PHONE", "RECORD_ID", "INSURANCE_ID", "BANK_CARD", "SOCIAL_ID", "ADDRESS", "ORG", "PLATE",
               "POSTCODE")


def untouched(analyzer: Analyzer, text: str, value: str) -> bool:
    pos = text.find(value)
    assert pos >= 0, f"{value!r} is not in {text!r}"
    end = pos + len(value)
    return not any(e.start < end and e.end > pos for e in analyzer.analyze(text) if e.type in IDENTIFIERS)


# ---------------------------------------------------------------- 1. OCR and typing confusables inside numbers

CONFUSABLES = [
    ("身份证号:3201O2198807150413　性别:男", "3201O2198807150413", "ID_CARD"),  # O for 0
    ("证件号码：32O1021988O7150413", "32O1021988O7150413", "ID_CARD"),
    ("身份证 320l02198807150413", "320l02198807150413", "ID_CARD"),  # l for 1
    ("公民身份号码 3201021988０7150413（扫描件）", "3201021988０7150413", "ID_CARD"),  # a full-width digit among ASCII
    ("患者 3201O2198807150413 已核对", "3201O2198807150413", "ID_CARD"),  # no cue: the check character decides
    ("身份证号：3201 O219 8807 1504 13", "3201 O219 8807 1504 13", "ID_CARD"),  # grouped
    ("电话：l38 1234 5678", "l38 1234 5678", "PHONE"),
    ("O571-8888 1234（科室）", "O571-8888 1234", "PHONE"),
    ("住院号：ZY2026〇417", "ZY2026〇417", "RECORD_ID"),  # 〇 between digits
    ("手机:1З8l2345678（本人）", "1З8l2345678", "PHONE"),  # Cyrillic З for 3, l for 1
    ("家属电话：139 2O56 8813", "139 2O56 8813", "PHONE"),
    ("联系人电话　135 O848 7712", "135 O848 7712", "PHONE"),  # O opening a digit group
    ("回电 l3964082517 找她女儿", "l3964082517", "PHONE"),  # l opening a long number
    ("办公室电话（O571）8888 1234", "（O571）8888 1234", "PHONE"),
    ("住院号：2O26O0417", "2O26O0417", "RECORD_ID"),
    ("住址：济南市历下区文化东路63号2号楼1単元3O2", "济南市历下区文化东路63号2号楼1単元3O2", "ADDRESS"),  # Japanese 単
    ("现住址：青山県石门镇杨柳村4组", "青山県石门镇杨柳村4组", "ADDRESS"),  # Japanese 県
    ("住址：滨江市青山区长虹路88号l0栋I2单元3O2室", "滨江市青山区长虹路88号l0栋I2单元3O2室", "ADDRESS"),
]

CONFUSABLE_LOOKALIKES = [
    ("SpO2 95%，FiO2 40%，PaO2 68mmHg", "SpO2 95%"),
    ("PaO2 68mmHg，PaCO2 45mmHg", "PaCO2 45mmHg"),
    ("既往I131治疗一次，CD4 320个/μl", "I131治疗"),
    ("胰岛素8 IU皮下注射，甘精胰岛素 l0 IU睡前", "8 IU"),
    ("大肠杆菌O157:H7阳性", "O157:H7"),
    ("诊断：I10 原发性高血压；I25.1 冠心病；E11.9 2型糖尿病", "I25.1"),
    ("生理盐水100ml+头孢曲松2.0g ivgtt qd", "100ml+头孢曲松2.0g"),
    ("2026-11-07 08:30 测血糖 7.8mmol/L", "7.8mmol/L"),
    ("血常规：WBC 12.3×10^9/L，Hb 102g/L，PLT 210×10^9/L", "PLT 210×10^9/L"),
    ("| 12 | 34 | 56 |", "| 12 | 34 | 56 |"),
    ("|12|34|2026|", "|12|34|2026|"),
    ("12床 患者，T 36.8℃，P 88次/分，BP 128/76mmHg", "BP 128/76mmHg"),
    ("O型血，Rh阳性；l00ml 红细胞悬液", "l00ml"),
    ("Vol 1号文件，I型呼衰", "I型呼衰"),
    ("二〇二六年十一月七日", "二〇二六年"),
    ("+3床 ICU-7床 加12床", "ICU-7床"),
    ("硝苯地平控释片 30mg qd，美托洛尔 47.5mg", "47.5mg"),
]


@pytest.mark.parametrize(("text", "value", "typ"), CONFUSABLES)
def test_confusables_inside_numbers_are_read_as_digits(analyzer: Analyzer, text: str, value: str, typ: str) -> None:
    assert covered(analyzer, text, value, typ)


@pytest.mark.parametrize(("text", "value"), CONFUSABLE_LOOKALIKES)
def test_letters_beside_numbers_keep_their_meaning(analyzer: Analyzer, text: str, value: str) -> None:
    assert untouched(analyzer, text, value)


def test_confusable_fold_keeps_offsets_and_reports_the_original_text(analyzer: Analyzer) -> None:
    text = "身份证号:3201O2198807150413 电话:1З8l2345678 SpO2 95%"
    folded = fold_fullwidth(text)
    assert len(folded) == len(text)
    assert "320102198807150413" in folded and "13812345678" in folded and "SpO2" in folded
    ents = analyzer.analyze(text)
    assert all(text[e.start:e.end] == e.text for e in ents)
    assert ("ID_CARD", "3201O2198807150413") in [(e.type, e.text) for e in ents]


def test_ocr_noised_id_with_a_cue_is_masked_even_when_the_check_fails(analyzer: Analyzer) -> None:
    # one digit misread: the check character no longer fits, but the label says what it is
    assert covered(analyzer, "身份证号：3201O2198807150419", "3201O2198807150419", "ID_CARD")
    assert covered(analyzer, "身份证号码 3201 O219 8807 1504 19", "3201 O219 8807 1504 19", "ID_CARD")
    # the same digits with no cue and a failing check are not taken as an ID card
    assert found(analyzer, "费用明细 320102198807150419 元", "ID_CARD") == []


@pytest.mark.parametrize(
    ("text", "value", "typ"),
    [
        ("Passport No.: E12345678", "E12345678", "ID_CARD"),  # foreign patients' documents, labelled in their language
        ("旅券番号：TK1234567", "TK1234567", "ID_CARD"),
        ("여권번호: M12345678", "M12345678", "ID_CARD"),
        ("社会保障卡号：3301 0619 8807 1505", "3301 0619 8807 1505", "INSURANCE_ID"),  # not a bank card's 卡号
        ("发票号码 No 00261738", "00261738", "RECORD_ID"),
        ("身份证号码（患者）：330106198807150419", "330106198807150419", "ID_CARD"),  # a bracket or 为 after the cue
        ("身份证号为330106198807150419", "330106198807150419", "ID_CARD"),
        ("电话（办）：8765 4321", "8765 4321", "PHONE"),
        ("座机号：8765 4321", "8765 4321", "PHONE"),
        ("单位座机(0991)4862317", "(0991)4862317", "PHONE"),  # an area code in brackets is not a note
        ("医保卡号为 H33010600012345", "H33010600012345", "INSURANCE_ID"),
        ("Member ID: AXA8821345601（境外保险）", "AXA8821345601", "INSURANCE_ID"),  # overseas insurers
        ("Policy No.: PL-2026-778812", "PL-2026-778812", "INSURANCE_ID"),
        ("保险会员号：BUPA-7781-2234", "BUPA-7781-2234", "INSURANCE_ID"),
        ("银行卡（工行）：6222 0212 3456 7890", "6222 0212 3456 7890", "BANK_CARD"),
        ("肇事车辆车牌浙 A 12345，白色轿车", "浙 A 12345", "PLATE"),  # a space after the province
        ("教练车车牌号 浙A1234学", "浙A1234学", "PLATE"),
    ],
)
def test_documents_and_cards_by_their_label(analyzer: Analyzer, text: str, value: str, typ: str) -> None:
    assert covered(analyzer, text, value, typ)


# ---------------------------------------------------------------- 2. phones written in groups

GROUPED_PHONES = [
    ("电 话：137 7712 6085\n主 诉：胸痛", "137 7712 6085"),  # a padded label, 3-4-4
    ("联系电话：1394 3817 206（儿子）", "1394 3817 206"),  # 4-4-3
    ("手机 1867 310 5582", "1867 310 5582"),  # 4-3-4, no colon
    ("护工小陈 1867-310-5582", "1867-310-5582"),  # no label at all
    ("电话：138-1234-5678", "138-1234-5678"),
    ("家属手机：+86 139 1234 5678", "+86 139 1234 5678"),
    ("联系方式：+86-139-1234-5678", "+86-139-1234-5678"),
    ("科室座机 (0571)8888 1234", "(0571)8888 1234"),
    ("美国亲属 +1 (626) 555-0148", "+1 (626) 555-0148"),  # brackets around an overseas area code
    ("英国 +44 (0)20 7946 0958", "+44 (0)20 7946 0958"),
    ("手 机 号 码：13 8123 45678", "13 8123 45678"),  # any grouping after a label
    ("家属：我手机是幺三八一二三四五六七八，你记一下", "幺三八一二三四五六七八"),  # read aloud in Chinese digits
    ("120：回拨号码一三九 零五七一 二二三三", "一三九 零五七一 二二三三"),
]
PHONE_LOOKALIKES = [
    ("白细胞 13.8×10^9/L，血小板 186×10^9/L", "13.8×10^9/L"),
    ("血压 138/84mmHg，心率 78次/分", "138/84mmHg"),
    ("住院天数12天，费用 1867 元", "1867 元"),
    ("2026年11月07日 14:30 复查", "2026年11月07日"),
    ("一三五服药，二四六透析", "一三五服药"),
    ("二〇二六年十一月七日一时三十五分", "二〇二六年十一月七日"),
]


@pytest.mark.parametrize(("text", "value"), GROUPED_PHONES)
def test_grouped_phones_are_masked_whole(analyzer: Analyzer, text: str, value: str) -> None:
    assert covered(analyzer, text, value, "PHONE")


@pytest.mark.parametrize(("text", "value"), PHONE_LOOKALIKES)
def test_phone_lookalikes_survive(analyzer: Analyzer, text: str, value: str) -> None:
    assert untouched(analyzer, text, value)


# ---------------------------------------------------------------- 3. record numbers: letters, hyphens, new cues

RECORD_NUMBERS = [
    ("术中冰冻号：F2026-3302，冰冻报告：腺癌", "F2026-3302"),
    ("票据号码：0026173841　交款人：本人", "0026173841"),
    ("发票号：No.00261738", "00261738"),
    ("门诊号：ZY-MZ2611070035", "ZY-MZ2611070035"),
    ("复诊请带上ZY-MZ2611070035这张单子", "ZY-MZ2611070035"),  # the coded form away from its label
    ("报告编号：HK-TJ-26110517", "HK-TJ-26110517"),
    ("标本号 S26-11873", "S26-11873"),
    ("病理号：BL-2026-10672", "BL-2026-10672"),
    ("影像号:CT-2611-0331", "CT-2611-0331"),
    ("体检号 TJ2026110701", "TJ2026110701"),
    ("报卡编号：330106-2026-00417", "330106-2026-00417"),
    ("120任务编号：120-2611-0087", "120-2611-0087"),
    ("调度单号：DD-20261107-0087", "DD-20261107-0087"),
    ("起搏器序列号 PJN2026118，植入日期", "PJN2026118"),  # device serial numbers (HIPAA (M))
    ("条形码：*2611070035*", "2611070035"),
    ("就诊卡：8800 0317 5562", "8800 0317 5562"),
    ("病案号是 0098 7612", "0098 7612"),  # 是/为 between the cue and the number
    ("住院号为ZY2026-004172", "ZY2026-004172"),
    ("病历复印件寄出　SF1309 2275 9120 7", "SF1309 2275 9120 7"),  # an express waybill with no label
    ("快递 JDV012345678901 已签收", "JDV012345678901"),
    ("（代收人）｜75392810467218｜已寄", "75392810467218"),  # a bare run of 12+ digits in a table cell
]
RECORD_LOOKALIKES = [
    ("冰冻号：待报，冰冻结果：未见癌", "冰冻结果"),
    ("病理号：未出", "未出"),
    ("阿莫西林 0.5g tid，口服7天", "0.5g tid"),
    ("ICD-10编码 I21.9，手术编码 36.0601", "I21.9"),
    ("CT示L3-L4椎间盘突出", "L3-L4"),
    ("SF-36评分 85，SFTSV核酸阴性", "SF-36评分 85"),
    ("疫苗批号：202611A07，有效期至2027-05", "202611A07"),  # a lot number names no person
    ("总费用 12345.67 元，自付 2345.6 元", "12345.67 元"),
]


@pytest.mark.parametrize(("text", "value"), RECORD_NUMBERS)
def test_record_numbers_with_letters_hyphens_and_new_cues(analyzer: Analyzer, text: str, value: str) -> None:
    assert covered(analyzer, text, value, "RECORD_ID")


@pytest.mark.parametrize(("text", "value"), RECORD_LOOKALIKES)
def test_record_number_lookalikes_survive(analyzer: Analyzer, text: str, value: str) -> None:
    assert untouched(analyzer, text, value)


# ---------------------------------------------------------------- 4. rural and minority-region addresses

ADDRESSES = [
    ("62岁，农民，住青山县石门镇杨柳村四组27号。门诊号", "青山县石门镇杨柳村四组27号"),  # no province, 住 alone
    ("俺村是滑县八里营镇东孔庄村的。", "滑县八里营镇东孔庄村"),  # standing alone, three levels
    ("冬季住锡林郭勒盟阿巴嘎旗别力古台镇宝格都乌拉嘎查3组。", "锡林郭勒盟阿巴嘎旗别力古台镇宝格都乌拉嘎查3组"),
    ("现住址：兴安盟科尔沁右翼前旗索伦镇", "兴安盟科尔沁右翼前旗索伦镇"),
    ("家住和田地区墨玉县喀尔赛乡巴什喀尔赛村3组12号", "和田地区墨玉县喀尔赛乡巴什喀尔赛村3组12号"),
    ("患者为牧民，现住日喀则市拉孜县扎西宗乡扎西村。", "日喀则市拉孜县扎西宗乡扎西村"),
    ("住址：江西省赣州市于都县车溪乡坳脑村下屋组12号", "江西省赣州市于都县车溪乡坳脑村下屋组12号"),
    ("患儿随父母来自东风县红旗镇胜利村5组18号", "东风县红旗镇胜利村5组18号"),
    ("家住杨柳村四组27号", "杨柳村四组27号"),
    ("患者来自喀尔赛乡巴什村，务农", "喀尔赛乡巴什村"),  # two levels ending in a village
    ("家住青川县木鱼镇石坝村3社", "青川县木鱼镇石坝村3社"),
    ("现住：西藏自治区那曲市色尼区那玛切乡3村", "那曲市色尼区那玛切乡3村"),  # numbered villages  # 社 and 小队 are village groups
    ("现住：喀什地区疏附县塔什米里克乡阿亚格村3小队", "疏附县塔什米里克乡阿亚格村3小队"),
    ("住址：新疆农八师121团3连12号", "农八师121团3连12号"),  # a 兵团 division, regiment and company
    ("家在阿拉善右旗阿拉腾朝格苏木巴彦宝格德嘎查", "阿拉善右旗阿拉腾朝格苏木巴彦宝格德嘎查"),
    ("住海珠区江南西路青凤大街12号701。", "海珠区江南西路青凤大街12号701"),  # room after the house number
    ("患者于青山区长虹路88号门口摔倒", "青山区长虹路88号"),  # an unlisted district before a street and number
    ("青州市云门山路12号3栋", "青州市云门山路12号3栋"),
    ("患者于石门镇解放街12号门前摔倒", "石门镇解放街12号"),  # a town and a street with a number
    ("地址是上海市黄浦区顺昌路412弄17号后厢房，电话", "上海市黄浦区顺昌路412弄17号后厢房"),
    ("南宁市西乡塘区北湖街道北湖村二组18号出租屋204", "南宁市西乡塘区北湖街道北湖村二组18号出租屋204"),
    ("住址：吉林省松原市前郭县乌兰塔拉乡哈拉毛都村四屯东头第二家", "松原市前郭县乌兰塔拉乡哈拉毛都村四屯东头第二家"),
]
ADDRESS_LOOKALIKES = [
    ("给予镇静镇痛，地西泮10mg肌注", "镇静镇痛"),
    ("曾在乡镇卫生院输液3天", "乡镇卫生院"),
    ("县医院转入，城乡居民医保结算", "城乡居民医保"),
    ("城乡村医培训，乡镇村委宣传", "城乡村医"),
    ("病区3号床，社区卫生服务中心随访，去超市买东西", "病区3号床"),
    ("城区人口多，小区门口有药店，在东区护士站", "东区护士站"),
    ("入院第3天，连续2天发热，团队查房", "团队查房"),
    ("地址：杭州市西湖区 技师张三", "技师"),
    ("住院号为待补", "待补"),
    ("住院第3天，患者神清", "住院第3天"),
    ("新疆出血热流行病学史阴性，克山病区居住史无", "克山病区"),
]


@pytest.mark.parametrize(("text", "value"), ADDRESSES)
def test_rural_and_minority_region_addresses(analyzer: Analyzer, text: str, value: str) -> None:
    assert covered(analyzer, text, value, "ADDRESS")


@pytest.mark.parametrize(("text", "value"), ADDRESS_LOOKALIKES)
def test_address_lookalikes_survive(analyzer: Analyzer, text: str, value: str) -> None:
    assert untouched(analyzer, text, value)


# ---------------------------------------------------------------- 5. messaging ids

MESSAGING = [
    ("KakaoTalk：jiyeon_kim0312\n主诉：腹痛", "jiyeon_kim0312"),
    ("카톡: minsu_park77", "minsu_park77"),
    ("LINE ID: yuki.tanaka88", "yuki.tanaka88"),
    ("Telegram: @bob_smith", "@bob_smith"),
    ("WhatsApp: +44 7700 900123", "+44 7700 900123"),
    ("家属wx：liming_2001，请加", "liming_2001"),
    ("VX:zhangmei-1990", "zhangmei-1990"),
    ("加V：lm19880715，发检查单", "lm19880715"),
    ("报告发到她QQ上，1508837264。", "1508837264"),
    ("微信号 hz_nurse_03", "hz_nurse_03"),
]
MESSAGING_LOOKALIKES = [
    ("PICC line placed，回血好", "placed"),
    ("LINE 1: 生理盐水 500ml", "LINE 1"),
    ("已加入微信群，随访", "微信群"),
    ("QQ上，好的，微信上说过了", "微信上说过了"),
]


EMAILS = [
    ("邮箱 zhang_san#163.com（#换成@）", "zhang_san#163.com"),  # written to dodge spam filters
    ("邮箱：zhangsan@163。com", "zhangsan@163。com"),  # a Chinese full stop for the dot
    ("Email: li.na at 163 dot com", "li.na at 163 dot com"),
    ("电子邮箱：wangfang[at]qq.com", "wangfang[at]qq.com"),
]


@pytest.mark.parametrize(("text", "value"), EMAILS)
def test_obfuscated_mailboxes_after_their_label(analyzer: Analyzer, text: str, value: str) -> None:
    assert covered(analyzer, text, value, "EMAIL")


@pytest.mark.parametrize(("text", "value"), MESSAGING)
def test_messaging_ids_after_their_label(analyzer: Analyzer, text: str, value: str) -> None:
    assert covered(analyzer, text, value, "SOCIAL_ID")


@pytest.mark.parametrize(("text", "value"), MESSAGING_LOOKALIKES)
def test_messaging_lookalikes_survive(analyzer: Analyzer, text: str, value: str) -> None:
    assert untouched(analyzer, text, value)


# ---------------------------------------------------------------- 6. schools with grade and class, employers

ORGS = [
    ("工作单位（学校）：滨江市西湖小学五年级3班　联系电话", "滨江市西湖小学五年级3班"),
    ("学校：青山县实验中学初二（3）班", "青山县实验中学初二（3）班"),
    ("就读于滨江市第二中学高三7班。", "滨江市第二中学高三7班"),
    ("学校：滨江市第二中学（高二5班）", "滨江市第二中学（高二5班）"),  # the class in brackets or after a space
    ("学校：滨江市实验小学 三年级2班", "滨江市实验小学 三年级2班"),
    ("患儿在滨江市阳光幼儿园大班", "滨江市阳光幼儿园大班"),
    ("就读于浙江大学医学院临床医学2023级3班", "浙江大学医学院临床医学2023级3班"),
    ("就职于滨江市公安局西湖分局", "滨江市公安局西湖分局"),
    ("东莞市长安镇锦厦电子厂员工，因外伤入院", "东莞市长安镇锦厦电子厂"),
    ("雇主：东莞市长安镇鸿达五金制品厂", "东莞市长安镇鸿达五金制品厂"),
    ("转出：赣州市于都县车溪乡卫生院　转入：", "赣州市于都县车溪乡卫生院"),
    ("松原市前郭县乌兰塔拉乡卫生院　家庭医生", "松原市前郭县乌兰塔拉乡卫生院"),
]
ORG_LOOKALIKES = [
    ("患者在工厂工作，出厂后回厂上班", "出厂"),
    ("患者于县医院就诊，3天前在市医院复查", "县医院"),
    ("上报疾控中心", "疾控中心"),
    ("市医保局报销后自付部分", "市医保局"),
    ("经中华慈善总会格列卫援助项目赠药", "中华慈善总会"),  # national bodies name no place
    ("中国红十字会基金会资助", "中国红十字会基金会"),
    ("按国家医疗保障局文件执行", "国家医疗保障局"),
    ("小学文化，五年级辍学", "五年级"),
    ("医学院毕业，2023年入职", "2023年"),
]


@pytest.mark.parametrize(("text", "value"), ORGS)
def test_schools_with_class_and_employers(analyzer: Analyzer, text: str, value: str) -> None:
    assert covered(analyzer, text, value, "ORG")


@pytest.mark.parametrize(("text", "value"), ORG_LOOKALIKES)
def test_generic_institutions_survive(analyzer: Analyzer, text: str, value: str) -> None:
    assert untouched(analyzer, text, value)


# ---------------------------------------------------------------- 7. public bodies named by their city

@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("已向滨江市医疗保障局申请特殊病种报销", "滨江市医疗保障局"),
        ("滨江市慈善总会资助2万元", "滨江市慈善总会"),
        ("由青山县红十字会转来", "青山县红十字会"),
        ("上报滨江市疾病预防控制中心", "滨江市疾病预防控制中心"),
        ("重庆市急救医疗中心　调度单", "重庆市急救医疗中心"),
    ],
)
def test_public_bodies_named_by_a_city_are_masked_whole(analyzer: Analyzer, text: str, value: str) -> None:
    # masked as one institution, like a hospital: never the city alone with the body's name left standing
    ents = [(e.type, e.text) for e in analyzer.analyze(text)]
    assert ("ORG", value) in ents


def test_an_unlabelled_pattern_of_top_level_alternatives_is_refused() -> None:
    # the combined scan keeps the first character in front of the rest: \+a|\+b would silently need "++b"
    from yizhu.privacy import Pattern

    with pytest.raises(ValueError, match="top-level alternatives"):
        Pattern("intl", "\\+1\\d{10}|\\+44\\d{10}", 0.8, first="\\+")
    Pattern("intl", "\\+(?:1\\d{10}|44\\d{10})", 0.8, first="\\+")  # the same, written after first
