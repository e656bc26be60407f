"""Identifiers as realistic records and dialogues write them, one class of cue per test (issue 13 item 7).

Written by hand for yizhu (not by ``evaluation/data/deid/synth.py``); every name, number and address is invented
(合成). Each case is a line as a clinician, nurse, patient or relative writes or says it; the marked
value must be masked completely, and the negatives (role words, drugs, diseases, departments) must
stay untouched.
"""

from __future__ import annotations

import pytest

from yizhu.privacy import Analyzer, deidentify


def touching(analyzer: Analyzer, text: str, value: str, typ: str | None = None) -> list:
    """The returned entities (of type ``typ`` when given) that touch the first occurrence of ``value`` (empty when
    it survives whole)."""
    start = text.index(value)
    return [e for e in analyzer.analyze(text)
            if e.start < start + len(value) and start < e.end and (typ is None or e.type == typ)]


def covered(analyzer: Analyzer, text: str, value: str) -> bool:
    """Every character of every occurrence of ``value`` lies inside a returned entity."""
    cov: set[int] = set()
    for e in analyzer.analyze(text):
        cov.update(range(e.start, e.end))
    pos = text.find(value)
    assert pos >= 0, f"{value!r} is not in {text!r}"
    while pos >= 0:
        if not all(i in cov for i in range(pos, pos + len(value))):
            return False
        pos = text.find(value, pos + 1)
    return True


CLINICIANS = [
    ("主治医师王建华查房，指示继续抗感染。", "王建华"),
    ("检查医师：梁晓东    报告日期：2026-11-03", "梁晓东"),
    ("由护士邱梦婷执行，患者无不适。", "邱梦婷"),
    ("责任护士 郑小燕", "郑小燕"),
    ("记录者：冉丽华", "冉丽华"),
    ("上级医师审签：段鹏飞", "段鹏飞"),
    ("术者：黄志强  一助：杨帆  麻醉：刘畅  洗手护士：何佳", "刘畅"),
    ("肖雅婷 护士 2026-11-03 14:20", "肖雅婷"),
    ("参会人员：王建国（心内科主任医师），李明（影像科），张三丰（病理科）。", "张三丰"),
    ("120急救：接警员钱振东，司机孔祥瑞。", "孔祥瑞"),
    ("今日邵主任查看患者，同意出院。", "邵"),
    ("责任医生（签名）：陈刚", "陈刚"),
    ("会诊医师：扎西次仁。", "扎西次仁"),
    ("经治医师：努尔艾合买提·阿不都热依木", "努尔艾合买提·阿不都热依木"),
    ("主治医师  王  芳    住院医师  于  洋", "王  芳"),
]

RELATIVES = [
    ("患者之母刘桂英陪护。", "刘桂英"),
    ("其父蒯瑀菲签字。", "蒯瑀菲"),
    ("配偶：邵伟，体健。", "邵伟"),
    ("我妈王秀英陪我来的，她手机１３９８７６５４３２１。", "王秀英"),
    ("与患者家属梁建华沟通病情，家属表示理解。", "梁建华"),
    ("委托代理人王建华签字。", "王建华"),
    ("患者：我老伴，吕桂芝。", "吕桂芝"),
    ("患者半年前与前男友晏子豪分手后出现情绪低落。", "晏子豪"),
    ("由其女古丽娜尔·艾力陪同就诊。", "古丽娜尔·艾力"),
    ("他媳妇儿王秀英一直照顾他。", "王秀英"),
    ("刘建明是患者的父亲。", "刘建明"),
    ("我表哥是柯屹，在外地。", "柯屹"),
]

PATIENTS_AND_SPEAKERS = [
    ("患者梁建华既往体健。", "梁建华"),
    ("患者殷正和，男，82岁。", "殷正和"),
    ("梁某某：医生，我头疼三天了。", "梁某某"),
    ("[09:15] 梁淑芬：医生，我头疼。", "梁淑芬"),
    ("心内科王建国：建议行冠脉造影。", "王建国"),
    ("丁慧（随访护士） 2026-11-02\n阳光明媚（宋晓光） 2026-11-02 10:20", "宋晓光"),
    ("3床 柴永利，男，71岁，心衰。", "柴永利"),
    ("梁淑芬 女 52岁 门诊号 M0012345", "梁淑芬"),
    ("                                    李明华/王芳", "王芳"),
    ("患者：医生，我是梁建华，胸口闷了三天了。", "梁建华"),
]

IDENTIFIERS = [
    ("微信：wxid_8k2m1x9q，QQ：2875619034", "wxid_8k2m1x9q"),
    ("结果出来能不能发我QQ，2875619034", "2875619034"),
    ("加我微信 liang_jh1975", "liang_jh1975"),
    ("身份证号３２０１０２１９８５０３１５１２３０", "３２０１０２１９８５０３１５１２３０"),
    ("证件号 3201 0219 8503 1512 30", "3201 0219 8503 1512 30"),
    ("手机１３７１２３４５６７８", "１３７１２３４５６７８"),
    ("香港电话 +852 9123 4567", "+852 9123 4567"),
    ("护照号：E12345678", "E12345678"),
    ("会诊编号：YC20261204017", "YC20261204017"),
    ("保单号：PDAA202651010000381726", "PDAA202651010000381726"),
    ("11/10起予环孢素口服。", "11/10"),
]

ADDRESSES = [
    ("现住深圳市龙岗区坂田街道万科城10栋1834室", "深圳市龙岗区坂田街道万科城10栋1834室"),
    ("患者住万科城10栋1834室", "万科城10栋1834室"),
    ("就住在1502室", "1502室"),
    ("家住杭州市西湖区文三路华星时代广场B座1203室", "杭州市西湖区文三路华星时代广场B座1203室"),
    ("地址：重庆市渝北区龙溪街道金龙路与松牌路交叉口旁鑫龙小区B栋", "金龙路与松牌路交叉口旁鑫龙小区B栋"),
    ("家住本市海淀区学院路30号院3号楼2门401", "3号楼2门401"),
]


@pytest.mark.parametrize(("text", "value"), CLINICIANS)
def test_clinicians_after_titles_and_roles(analyzer: Analyzer, text: str, value: str) -> None:
    assert covered(analyzer, text, value)


@pytest.mark.parametrize(("text", "value"), RELATIVES)
def test_relatives_after_kinship_words(analyzer: Analyzer, text: str, value: str) -> None:
    assert covered(analyzer, text, value)


@pytest.mark.parametrize(("text", "value"), PATIENTS_AND_SPEAKERS)
def test_patients_and_dialogue_speakers(analyzer: Analyzer, text: str, value: str) -> None:
    assert covered(analyzer, text, value)


@pytest.mark.parametrize(("text", "value"), IDENTIFIERS)
def test_identifiers_as_people_write_them(analyzer: Analyzer, text: str, value: str) -> None:
    assert covered(analyzer, text, value)


@pytest.mark.parametrize(("text", "value"), ADDRESSES)
def test_addresses_are_not_cut_after_the_district(analyzer: Analyzer, text: str, value: str) -> None:
    assert covered(analyzer, text, value)


def test_a_name_found_once_is_masked_everywhere_in_the_document(analyzer: Analyzer) -> None:
    text = "姓名：柯屹  性别：男\n现病史：柯屹3天前受凉后咳嗽。\n医生：柯屹，你躺下。"
    assert covered(analyzer, text, "柯屹")


NEGATIVES = [
    "医生：您好，请问哪里不舒服？\n患者：谢谢医生，好多了。\n家属：好的，明白。",
    "护士：请把袖子卷起来。医生，我想问一下能不能出院？",
    "母亲，高血压病史。父亲，体健。其母亲体健。儿子高中在读。",
    "医生和家属沟通后同意手术。护士宣教：注意防跌倒。医生建议：低盐低脂饮食。",
    "白班：生命体征平稳。夜班：患者睡眠可。交班：无特殊。",
    "痰培养示耐碳青霉烯类肺炎克雷伯菌，改用头孢他啶阿维巴坦。",
    "血常规（高敏）：正常。CT（平扫）：右肺下叶炎症。头孢曲松（罗氏芬）2g qd",
    "输注悬浮红细胞2单元400ml。左心室射血分数55%。患者于手术室行手术。",
    "疼痛评分3/10，GCS 10/15分，血压120/80mmHg。",
    "专家共识推荐阿司匹林。患者由担架送入。住院医师查看患者后汇报上级医师。",
]


@pytest.mark.parametrize("text", NEGATIVES)
def test_role_words_drugs_and_findings_stay(analyzer: Analyzer, text: str) -> None:
    found = [(e.type, e.text) for e in analyzer.analyze(text)]
    assert found == [], found


def test_surrogate_mode_never_replaces_role_words() -> None:
    text = "医生：您好，哪里不舒服？\n患者：医生，我咳嗽。\n家属：他晚上也咳。"
    out = deidentify(text, mode="surrogate", patient_key="P-ROLE").text
    assert out == text
