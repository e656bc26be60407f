"""Classes of identifier written in printed forms, chat exports and speech, one row per class.

Written by hand for yizhu from the classes the blind de-identification dev corpus
(src/yizhu/evaluation/data/deid/dev/) showed missing; the rows are new sentences, not copies of that corpus,
and every name, number and address is invented (合成). Each marked value must be masked completely;
the negatives must stay untouched.
"""

from __future__ import annotations

import pytest

from yizhu.privacy import Analyzer
from yizhu.privacy.recognizer import spaced_variants

from .test_realistic_cues import covered, touching

# (class, text, value that must be masked)
POSITIVES = [
    # form field names printed with padding between their characters
    ("padded label: name", "姓    名：蒋文涛        性别：男", "蒋文涛"),
    ("padded label: record number", "住 院 号：0031557702      床号：21", "0031557702"),
    ("padded label: ideographic space", "门\u3000诊\u3000号：0009126645", "0009126645"),
    # names padded with alignment spaces, compound surnames and after role labels
    ("spaced compound surname", "姓名：上官  柔    性别：女", "上官  柔"),
    ("spaced name before a title", "会诊医师：南宫  越副主任医师", "南宫  越"),
    ("spaced name after a role label", "主持人：滕  飞（普外科）", "滕  飞"),
    ("lone surname in a form field", "经办人：蒲  复核人：曹文静", "蒲"),
    # speakers, chat exports and brackets
    ("speaker name ends at the colon", "杭东来：我是他侄子，我来签字。", "杭东来"),
    ("longer speaker name replaces a shorter cut", "侄子杭东来\n杭东来：我来签字。", "杭东来"),
    ("chat stamp before nickname and name", "2026-10-02 08:15 家属 阿强（卫子强）：医生您好", "卫子强"),
    ("surname alone in brackets", "医生（庞）：哪里不舒服？", "庞"),
    ("bracketed role before a speaker", "【家属】韦春燕：她昨天吃了两片。", "韦春燕"),
    ("party label with a role in brackets", "乙方（患者家属）：钟雪梅", "钟雪梅"),
    ("names listed with spaces", "出席：史国庆 龚丽 温晓东\n", "温晓东"),
    ("one-character kinship label", "紧急联系人\n妻：柏玉兰 13900001234", "柏玉兰"),
    ("name introduced by 大名", "孩子小名豆豆，大名尹浩然。", "尹浩然"),
    ("role value outranks a shorter cue cut", "签名：迪丽娜尔\n", "迪丽娜尔"),
    ("dotted name ending in one character", "委托人：汤姆·林（患者女婿）", "汤姆·林"),
    ("sex after a sentence-opening name", "慕容婉儿，女，29岁，因腹痛就诊。", "慕容婉儿"),
    ("compound surname with a weak first character", "今晚重点：8床 公孙婧，91岁，心衰。", "公孙婧"),
    ("surname before a title", "投诉当班的鄂医生态度不好。", "鄂"),
    ("surname after a title ending in a surname character", "有疑问请咨询药师俞老师。", "俞"),
    ("familiar name after a title", "分诊护士小蒋进行了登记。", "蒋"),
    ("familiar name after 隔壁", "隔壁老秦吃这个药效果不错。", "秦"),
    # phones
    ("international phone", "联系方式：+44 20 7946 0958", "+44 20 7946 0958"),
    ("+86 fixed line", "办公室电话+86 21 6432 5518。", "+86 21 6432 5518"),
    ("mobile in groups split by ideographic spaces", "表哥，１３７\u3000２２０４\u3000６６１８", "１３７\u3000２２０４\u3000６６１８"),
    ("fixed line written 4-3", "家里电话：0731-8456 221", "0731-8456 221"),
    ("ID number in full-width groups split by ideographic spaces", "身份证：３２０１\u3000０２１９\u3000８８０７\u3000１４０５\u3000２２",
     "３２０１\u3000０２１９\u3000８８０７\u3000１４０５\u3000２２"),
    ("QQ number in brackets", "可以加QQ（283744109）联系。", "283744109"),
    # record numbers and beds
    ("coded record number without its label next to it", "挂号单号我念一下，GH20261105-0032，对吗？", "GH20261105-0032"),
    ("prenatal card number", "产检号CJ-0071245，孕28周。", "CJ-0071245"),
    ("police number", "民警（警号051233）陪同。", "051233"),
    ("extra bed", "+5床 患者夜间睡眠可", "+5床"),
    ("unit bed", "NICU-3床 患儿体温平稳", "NICU-3床"),
    ("labelled extra bed", "床号：加7", "加7"),
]


@pytest.mark.parametrize(("cls", "text", "value"), POSITIVES, ids=[p[0] for p in POSITIVES])
def test_masked(analyzer: Analyzer, cls: str, text: str, value: str) -> None:
    assert covered(analyzer, text, value), f"{cls}: {value!r} leaks in {text!r}: {analyzer.analyze(text)}"


NEGATIVES = [
    ("bank name on a refund slip", "退费至银行卡（中国建设银行）。", "中国建设银行"),
    ("a factor label is not a kinship label", "凝血因子：正常", "因子"),
    ("function word after a title", "值班医生及时到场处理。", "及时"),
    ("a title ending in a surname character stays", "有疑问请咨询药师俞老师。", "药师"),
    ("a simple word before a title", "操作简单医生可独立完成。", "简单"),
    ("coded lab names stay", "复查NT-proBNP、HbA1c及CA125。", "CA125"),
    ("beds words stay", "绝对卧床，床旁心电监护。", "床旁"),
]


@pytest.mark.parametrize(("cls", "text", "value"), NEGATIVES, ids=[n[0] for n in NEGATIVES])
def test_kept(analyzer: Analyzer, cls: str, text: str, value: str) -> None:
    touched = touching(analyzer, text, value)
    assert not touched, f"{cls}: {value!r} over-masked by {touched}"


def test_spaced_variants_pad_every_gap_alike() -> None:
    out = spaced_variants(["住院号", "ID号", "姓名"])
    assert "住 院 号" in out and "姓    名" in out and "姓\u3000名" in out
    assert not any(v.startswith("I D") for v in out)  # only labels of Chinese characters are padded
    assert "住 院号" not in out


# Identifier forms of a third blind corpus's classes (dev2), written anew for yizhu (合成: invented values).
FORMS = [
    ("mobile with dots", "本人电话139.0571.2233无人接听", "139.0571.2233"),
    ("mobile grouped 5-3-3", "手机 13705 118 642", "13705 118 642"),
    ("fixed line with dots", "座机0571.8822.3344", "0571.8822.3344"),
    ("Macao number with 00", "联系电话：00853-6612 3344", "00853-6612 3344"),
    ("extension with spaces around 转", "联系电话：0571-8822 334 转 612", "0571-8822 334 转 612"),
    ("insurance label with a bracketed note", "医保号（异地）：3301 0219 7712 0044 15", "3301 0219 7712 0044 15"),
    ("insurance e-voucher", "医保电子凭证：3301 0000 0456 7788 12", "3301 0000 0456 7788 12"),
    ("staff number", "经办人工号：KF2231", "KF2231"),
    ("courier number in groups", "寄送：顺丰 SF 2233 4455 6677 8", "SF 2233 4455 6677 8"),
    ("coded number with a year", "活检病理（BP2025-55821）", "BP2025-55821"),
    ("officer's card number", "军官证　证件号码：北字第3355821号", "北字第3355821号"),
    ("Mainland travel permit", "港澳居民来往内地通行证 H71234567", "H71234567"),
    ("extra bed written 加", "加5床 新入院", "加5床"),
]


@pytest.mark.parametrize(("cls", "text", "value"), FORMS, ids=[f[0] for f in FORMS])
def test_identifier_forms(analyzer: Analyzer, cls: str, text: str, value: str) -> None:
    assert covered(analyzer, text, value), f"{cls}: {value!r} leaks in {text!r}: {analyzer.analyze(text)}"
