"""Non-name identifiers, third round (session deidids3, classes read from the retired held-out 5's misses), one
class per test, several wordings each and the look-alikes that must survive.

Written by hand for yizhu; every company, bureau, address and number is invented (合成).
"""

from __future__ import annotations

import pytest

from tests.privacy.test_identifier_classes import covered, untouched
from yizhu.privacy import Analyzer

# ---------------------------------------------------------------- 1. employer names whole: the chain

EMPLOYERS = [
    # place + group + company + sub-unit
    ("他单位是宝武集团马钢股份公司第一炼铁厂，经常上夜班。", "宝武集团马钢股份公司第一炼铁厂"),
    ("我父亲在徐州矿务集团张双楼煤矿车间工作。", "徐州矿务集团张双楼煤矿车间"),
    ("她在中建三局集团有限公司第二项目部当会计。", "中建三局集团有限公司第二项目部"),
    ("前些天他们单位攀钢集团矿业公司兰尖铁矿组织体检。", "攀钢集团矿业公司兰尖铁矿"),
    ("丈夫在中国石化集团胜利油田分公司孤岛采油厂上班。", "中国石化集团胜利油田分公司孤岛采油厂"),
    # a sub-unit alone, beside an employer cue
    ("父亲王某，长沙市芙蓉区圆通速递五一营业部快递员。", "长沙市芙蓉区圆通速递五一营业部"),
    ("母亲就职于青山县德邦物流城东营业部。", "青山县德邦物流城东营业部"),
    ("我在大同煤矿上班，井下作业十年。", "大同煤矿"),
    # government bodies named by their place, long unit names
    ("我白天在成都市武侯区城市管理综合行政执法局上班，晚上送外卖。", "成都市武侯区城市管理综合行政执法局"),
    ("她在长沙市岳麓区市场监督管理局上班", "长沙市岳麓区市场监督管理局"),
    ("工作单位：昆明市五华区华山街道办事处", "昆明市五华区华山街道办事处"),
    ("滨江市医疗纠纷人民调解委员会调解笔录", "滨江市医疗纠纷人民调解委员会"),
    ("郑州市二七区人民政府出具的证明", "郑州市二七区人民政府"),
    ("双方同意委托四川华西司法鉴定中心进行鉴定。", "四川华西司法鉴定中心"),
    # a short brand holding a boundary character before the legal suffix
    ("患者，男，34岁，华为技术有限公司软件工程师。", "华为技术有限公司"),
    ("他在佛山市顺德区美的集团务工。", "佛山市顺德区美的集团"),
    ("他在美的集团上班", "美的集团"),
    # a brand before a trade word with no legal suffix, beside an employer cue
    ("他在京东物流上班，常搬重物。", "京东物流"),
    ("我在顺丰速运当快递员", "顺丰速运"),
    ("丈夫在苏宁电器做销售", "苏宁电器"),
    ("我在富士康科技集团龙华园区上班", "富士康科技集团龙华园区"),
]


@pytest.mark.parametrize(("text", "value"), EMPLOYERS)
def test_employer_chains_are_masked_whole(analyzer: Analyzer, text: str, value: str) -> None:
    assert covered(analyzer, text, value, "ORG")


EMPLOYERS_SURVIVE = [
    ("他的公司倒闭了，心情低落。", "公司"),
    ("朋友的科技公司缺人，他去帮忙。", "科技公司"),
    ("作为技术公司的员工，他常加班。", "技术公司"),
    ("在车间工作时被机器夹伤左手。", "车间"),
    ("营业部经理说他请了病假。", "营业部"),
    ("国家药品监督管理局批准的适应证", "国家药品监督管理局"),
    ("建议走医疗纠纷人民调解委员会程序。", "医疗纠纷人民调解委员会"),
    ("市市场监督管理局抽检合格", "市市场监督管理局"),
    ("可以找街道办事处开证明", "街道办事处"),
    ("缺铁矿物质补充后好转", "铁矿"),
    ("本证明须加盖医院医务处公章方有效", "医院"),
    ("已告知学校校医，同班有类似症状。", "学校"),
    ("我在家附近的超市上班", "超市"),
    ("快递员送来的检查单", "快递员"),
    ("他在做快递，作息不规律", "快递"),
    ("住酒店期间发病", "酒店"),
    ("物流单号见附件", "物流"),
    ("在装配车间工作时被夹伤", "装配车间"),
    ("他在建筑工地上班，从脚手架跌落", "建筑工地"),
    ("在露天煤矿上班二十年", "露天煤矿"),
    ("在电商仓库打工，搬运为主", "电商仓库"),
]


@pytest.mark.parametrize(("text", "value"), EMPLOYERS_SURVIVE)
def test_generic_employer_words_survive(analyzer: Analyzer, text: str, value: str) -> None:
    assert untouched(analyzer, text, value)


# ---------------------------------------------------------------- 2. address tails and shapes

ADDRESSES = [
    # a unit letter after the room number, letters before a block or room
    ("现住址：深圳市南山区科苑路66号海岸花园7栋15C  电话：", "深圳市南山区科苑路66号海岸花园7栋15C"),
    ("家住成都市武侯区玉林路8号12幢3单元1102B，独居。", "成都市武侯区玉林路8号12幢3单元1102B"),
    ("住址：南京市鼓楼区中山路18号金鹰花园3单元B座1201", "南京市鼓楼区中山路18号金鹰花园3单元B座1201"),
    ("家住杭州市西湖区文三路90号东方大厦15楼C室", "杭州市西湖区文三路90号东方大厦15楼C室"),
    # a township and village after a road, names holding characters that end other parts
    ("家庭住址：西藏自治区拉萨市城关区江苏路娘热乡色拉村2组", "西藏自治区拉萨市城关区江苏路娘热乡色拉村2组"),
    ("现住址：昆明市官渡区滇池路热水镇大河村5组", "昆明市官渡区滇池路热水镇大河村5组"),
    # a 街道 and its 社区 with no city before them
    ("社区意见：情况属实。东湖街道桃源社区 经办人：某某", "东湖街道桃源社区"),
    ("（盖章）积善街道石榴园社区", "积善街道石榴园社区"),
    # English addresses with no label
    ("Room 1203, Building 3, 1888 Hongqiao Road, Changning District, Shanghai", "Room 1203, Building 3, 1888 Hongqiao Road, Changning District, Shanghai"),
    ("I live at Flat 5B, 22 Nathan Road, Tsim Sha Tsui, Kowloon.", "Flat 5B, 22 Nathan Road, Tsim Sha Tsui, Kowloon"),
    ("Please send it to Unit 8, No. 66 Zhongshan Road, Gulou District, Nanjing", "Unit 8, No. 66 Zhongshan Road, Gulou District, Nanjing"),
    ("Our new flat is at 15 Xinhua Lu, Jing'an, Shanghai 200040.", "15 Xinhua Lu, Jing'an, Shanghai 200040"),
    ("Write to 12 Baker St., London NW1 6XE.", "12 Baker St., London NW1 6XE"),
    ("Apt 4B, 350 West 57th Street, New York, NY 10019", "Apt 4B, 350 West 57th Street, New York, NY 10019"),
    ("Flat 12, Block C, 45 Pok Fu Lam Road, Hong Kong", "Flat 12, Block C, 45 Pok Fu Lam Road, Hong Kong"),
    ("住址：滨江市青山区翠湖路12号5幢东单元301", "滨江市青山区翠湖路12号5幢东单元301"),
]


@pytest.mark.parametrize(("text", "value"), ADDRESSES)
def test_address_tails_and_shapes_are_masked(analyzer: Analyzer, text: str, value: str) -> None:
    assert covered(analyzer, text, value, "ADDRESS")


ADDRESSES_SURVIVE = [
    ("患者发热乡村医生处就诊", "发热乡村医生"),
    ("在街道社区卫生服务中心随访", "街道社区"),
    ("we walked along Hongqiao Road after lunch", "Hongqiao Road"),
    ("He took 2 Tablets St. John's Wort daily.", "2 Tablets St."),
    ("左肺15C结节", "15C"),
    ("Lung function 85 percent of predicted", "85 percent"),
    ("社区（村）意见：情况属实", "社区"),
]


@pytest.mark.parametrize(("text", "value"), ADDRESSES_SURVIVE)
def test_address_look_alikes_survive(analyzer: Analyzer, text: str, value: str) -> None:
    assert untouched(analyzer, text, value)


def test_a_bracketed_note_does_not_start_an_organisation(analyzer: Analyzer) -> None:
    for text in ("（盖章）华山街道翠湖社区居委会", "（公章）华山街道翠湖社区居委会"):
        orgs = [e.text for e in analyzer.analyze(text) if e.type == "ORG"]
        assert orgs == ["华山街道翠湖社区居委会"]
    # brackets inside a company's name stay part of it
    assert [e.text for e in analyzer.analyze("滨江（集团）有限公司") if e.type == "ORG"] == ["滨江（集团）有限公司"]


# ---------------------------------------------------------------- 3. identifiers in English sentences

ENGLISH_IDS = [
    ("Our policy number is CG-88214-SH. Hope that helps.", "CG-88214-SH", "INSURANCE_ID"),
    ("My member number is AX-55120-BJ, thanks.", "AX-55120-BJ", "INSURANCE_ID"),
    ("Please quote member no. ZX-44120 on the form.", "ZX-44120", "INSURANCE_ID"),
    ("Claim no. CLM-2026-44817 was rejected last week.", "CLM-2026-44817", "INSURANCE_ID"),
    ("claim number: 7712-88410-02", "7712-88410-02", "INSURANCE_ID"),
    ("Policy # 88-20-1734 for my husband", "88-20-1734", "INSURANCE_ID"),
    ("the group number was GRP-5521 according to HR", "GRP-5521", "INSURANCE_ID"),
    ("his passport number is E12345678", "E12345678", "ID_CARD"),
    ("Her passport no. is PA4417829, DOB below.", "PA4417829", "ID_CARD"),
    ("my MRN is 5510273 at your clinic", "5510273", "RECORD_ID"),
    ("the hospital number was 00781256", "00781256", "RECORD_ID"),
    ("Policy Number: AXA/2026/88213", "AXA/2026/88213", "INSURANCE_ID"),
    ("The claim reference CR/26/00912 has been filed.", "CR/26/00912", "INSURANCE_ID"),
    ("the membership no is PL8812-02", "PL8812-02", "INSURANCE_ID"),
    ("my insurance card number is HC-7781-22", "HC-7781-22", "INSURANCE_ID"),
    ("my member number is AX 5512 0091", "AX 5512 0091", "INSURANCE_ID"),
    ("His social security number is 123-45-6789", "123-45-6789", "ID_CARD"),
    ("Her HKID is A123456(7).", "A123456(7)", "ID_CARD"),
]


@pytest.mark.parametrize(("text", "value", "typ"), ENGLISH_IDS)
def test_english_identifiers_in_sentences_are_masked(analyzer: Analyzer, text: str, value: str, typ: str) -> None:
    assert covered(analyzer, text, value, typ)


ENGLISH_IDS_SURVIVE = [
    ("the policy number is pending", "pending"),
    ("The policy number is on the card.", "on the card"),
    ("the claim number was sent by email", "sent by email"),
    ("The policy covers 80 percent of the bill.", "80 percent"),
    ("a member of the team since 2019", "2019"),
    ("his passport is with the embassy", "with the embassy"),
    ("the claim reference number will follow", "number will follow"),
    ("Social Security benefits since 2019", "2019"),
    ("his ID card is lost", "is lost"),
    ("the policy number is N/A", "N/A"),
]


@pytest.mark.parametrize(("text", "value"), ENGLISH_IDS_SURVIVE)
def test_english_label_words_in_prose_survive(analyzer: Analyzer, text: str, value: str) -> None:
    assert untouched(analyzer, text, value)


# ---------------------------------------------------------------- 4. departments and bare generic words are no entities

DEPARTMENTS_SURVIVE = [
    ("会诊地点：高原医学中心会议室", "高原医学中心"),
    ("转入生殖医学中心进一步治疗", "生殖医学中心"),
    ("地点：睡眠医学中心三楼", "睡眠医学中心"),
    ("由心脏大血管外科医学中心负责围术期管理", "心脏大血管外科医学中心"),
    ("请肿瘤医疗中心会诊", "肿瘤医疗中心"),
    ("既往在校医院被医生建议服药", "校医院"),
    ("在门诊部取药后回家", "门诊部"),
    ("家属要求医院给个说法", "医院"),
    ("孙子在读小学，由奶奶接送", "小学"),
    ("上周社区医院的医生来换药", "社区医院"),
    ("被申请方：自治区人民医院", "自治区人民医院"),
    ("之前在外面诊所开过药", "外面诊所"),
    ("还是我们楼下诊所的大夫给插的尿管", "我们楼下诊所"),
]


@pytest.mark.parametrize(("text", "value"), DEPARTMENTS_SURVIVE)
def test_departments_and_generic_words_are_not_organisations(analyzer: Analyzer, text: str, value: str) -> None:
    assert untouched(analyzer, text, value)


NAMED_CENTRES = [
    ("在华西医院高原医学中心就诊", "华西医院高原医学中心"),
    ("转滨江医学中心继续治疗", "滨江医学中心"),
    ("青山肝胆医疗中心出院记录", "青山肝胆医疗中心"),
    ("北大医院复查", "北大医院"),
    ("云南省肿瘤医院　病理诊断", "云南省肿瘤医院"),
    ("新疆维吾尔自治区人民医院", "新疆维吾尔自治区人民医院"),
]


@pytest.mark.parametrize(("text", "value"), NAMED_CENTRES)
def test_a_centre_named_by_a_place_or_hospital_stays_masked(analyzer: Analyzer, text: str, value: str) -> None:
    assert covered(analyzer, text, value, "ORG")
