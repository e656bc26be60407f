"""Identifiers in the printed forms hospitals produce, one regression table per form (issue 13 item 7).

Written by hand for yizhu from the layout of common Chinese hospital forms — 检验/影像报告 headers,
护理交班, 手术记录, 会诊单, 病危通知, 门诊处方 — not by ``evaluation/data/deid/synth.py``. Every name, number and
address is invented (合成, synthetic). Each row is (text, value): every character of every occurrence
of the value must be masked. The negatives must survive untouched.
"""

from __future__ import annotations

import pytest

from yizhu.privacy import Analyzer

from .test_realistic_cues import covered

REPORT_HEADERS = [
    ("送检医生：欧阳振华   送检科室：心内科   报告医生：符晓娟   审核医生：闵卫东", "欧阳振华"),
    ("送检医生：欧阳振华   送检科室：心内科   报告医生：符晓娟   审核医生：闵卫东", "符晓娟"),
    ("送检医生：欧阳振华   送检科室：心内科   报告医生：符晓娟   审核医生：闵卫东", "闵卫东"),
    ("申请医生:车文博  检验者:宁海燕  审核者:蔺志刚", "宁海燕"),
    ("采样护士：訾美玲  接收者：甘露", "甘露"),
    ("检查医生：聂卫平 记录员：逯小红", "逯小红"),
    ("报告医师 庞海涛    审核医师 贲立新", "贲立新"),
    ("诊断医师：岳红梅  复核：常晓光", "常晓光"),
    ("操作者：仇志远   超声号：US2026110387", "仇志远"),
    ("主治医师：禤志明  住院医师：雒晓峰", "禤志明"),
    ("主治医师：禤志明  住院医师：雒晓峰", "雒晓峰"),
]

OPERATION = [
    ("术者：龚建军  一助：阎思远  二助：郝佳琪  麻醉医师：佟立伟  器械护士：祁晓燕  巡回护士：蓝天瑜", "阎思远"),
    ("术者：龚建军  一助：阎思远  二助：郝佳琪  麻醉医师：佟立伟  器械护士：祁晓燕  巡回护士：蓝天瑜", "郝佳琪"),
    ("术者：龚建军  一助：阎思远  二助：郝佳琪  麻醉医师：佟立伟  器械护士：祁晓燕  巡回护士：蓝天瑜", "佟立伟"),
    ("术者：龚建军  一助：阎思远  二助：郝佳琪  麻醉医师：佟立伟  器械护士：祁晓燕  巡回护士：蓝天瑜", "祁晓燕"),
    ("术者：龚建军  一助：阎思远  二助：郝佳琪  麻醉医师：佟立伟  器械护士：祁晓燕  巡回护士：蓝天瑜", "蓝天瑜"),
    ("手术医生：龚建军；助手：阎思远、郝佳琪；麻醉者：佟立伟", "郝佳琪"),
    ("主刀：柏青山 第一助手：鲁雅静 第二助手：幸博文", "鲁雅静"),
    ("洗手护士：薄晓雯，巡回：冀红英", "冀红英"),
]

CONSULT_AND_NOTICES = [
    ("申请医师：谭振宇  申请科室：呼吸内科  会诊医师：覃美华（主任医师）", "谭振宇"),
    ("申请医师：谭振宇  申请科室：呼吸内科  会诊医师：覃美华（主任医师）", "覃美华"),
    ("邀请科室：神经内科  被邀请医师：邬海峰", "邬海峰"),
    ("病危通知已告知家属。签字人：温秀兰  与患者关系：女儿  联系电话：13907318845", "温秀兰"),
    ("患方签字：卜德胜  与患者关系：夫妻", "卜德胜"),
    ("告知医师：尹华   被告知人：练春生（患者之子）", "练春生"),
    ("法定代理人签名：莫小梅 关系：母女", "莫小梅"),
]

HANDOVER = [
    ("12床 付春燕 女 67岁 COPD急性加重，夜间SpO2 90%。", "付春燕"),
    ("+3床 钟国强 男 45岁 阑尾炎术后第1天。", "钟国强"),
    ("交班护士：雷雨桐   接班护士：楚云飞", "楚云飞"),
    ("新入：15床 诸葛明亮，男，58岁。", "诸葛明亮"),
    ("危重：8床 滕建华（一级护理）", "滕建华"),
]

OUTPATIENT = [
    ("姓名：苗秀珍  性别：女  年龄：56岁  科别：内分泌科  门诊号：MZ20261107031", "苗秀珍"),
    ("处方医师：景志坚   调配：寇小琴   核对：梅振宇   发药：贾玉兰", "寇小琴"),
    ("处方医师：景志坚   调配：寇小琴   核对：梅振宇   发药：贾玉兰", "梅振宇"),
    ("处方医师：景志坚   调配：寇小琴   核对：梅振宇   发药：贾玉兰", "贾玉兰"),
    ("医师：邢国栋  药师(审核)：庾丽君", "庾丽君"),
]

IDENTIFIERS = [
    ("医保卡号：3201 0219 8807 1234", "3201 0219 8807 1234"),
    ("社保卡号:L32010288X", "L32010288X"),
    ("就诊卡号：0002318856   门诊号：2026110700381", "0002318856"),
    ("就诊卡号：0002318856   门诊号：2026110700381", "2026110700381"),
    ("检查号 CT-2026-118844", "CT-2026-118844"),
    ("条码号：8800231457  标本类型：静脉血", "8800231457"),
    ("住院号/病案号：00987612", "00987612"),
    ("病案号：0098 7612", "0098 7612"),
    ("身份证号：110105 19850317 001X", "110105 19850317 001X"),
    ("身份证：110105-19850317-001X", "110105-19850317-001X"),
    ("身份证号码 1101 0519 8503 1700 1X", "1101 0519 8503 1700 1X"),
    ("邮箱：zhao.lin_1987@163.com", "zhao.lin_1987@163.com"),
    ("扣扣：2875619034", "2875619034"),
    ("扣扣号 398745121", "398745121"),
    ("车牌：苏A·8K3M2", "苏A·8K3M2"),
    ("车牌号 浙B 12345", "浙B 12345"),
    ("新能源车牌粤B D12345", "粤B D12345"),
    ("出生日期：1952年3月8日", "1952年3月8日"),
    ("出生日期：1952-03-08", "1952-03-08"),
    ("出生日期：19520308", "19520308"),
    ("出生：52.3.8", "52.3.8"),
    ("生日 3月8号", "3月8号"),
]

NEGATIVES = [
    "送检科室：心内科   标本类型：静脉血",
    "麻醉方式：全身麻醉   手术体位：仰卧位",
    "与患者关系：女儿",
    "核对：无误",
    "处方医师：（签名）",
]


@pytest.mark.parametrize(("text", "value"), REPORT_HEADERS)
def test_report_header_roles(analyzer: Analyzer, text: str, value: str) -> None:
    assert covered(analyzer, text, value)


@pytest.mark.parametrize(("text", "value"), OPERATION)
def test_operation_team(analyzer: Analyzer, text: str, value: str) -> None:
    assert covered(analyzer, text, value)


@pytest.mark.parametrize(("text", "value"), CONSULT_AND_NOTICES)
def test_consultation_and_notice_signatories(analyzer: Analyzer, text: str, value: str) -> None:
    assert covered(analyzer, text, value)


@pytest.mark.parametrize(("text", "value"), HANDOVER)
def test_handover_lists(analyzer: Analyzer, text: str, value: str) -> None:
    assert covered(analyzer, text, value)


@pytest.mark.parametrize(("text", "value"), OUTPATIENT)
def test_outpatient_prescription_headers(analyzer: Analyzer, text: str, value: str) -> None:
    assert covered(analyzer, text, value)


@pytest.mark.parametrize(("text", "value"), IDENTIFIERS)
def test_identifier_formats(analyzer: Analyzer, text: str, value: str) -> None:
    assert covered(analyzer, text, value)


@pytest.mark.parametrize("text", NEGATIVES)
def test_form_words_stay(analyzer: Analyzer, text: str) -> None:
    assert [(e.type, e.text) for e in analyzer.analyze(text)] == []


@pytest.mark.parametrize(
    ("text", "value"),
    [("住院号：123456 120/80mmHg", "123456"), ("住院号 00123 2023-05-01入院", "00123"), ("医保号：880123 3天前", "880123")],
)
def test_spaced_digit_groups_stop_before_a_measurement_or_date(analyzer: Analyzer, text: str, value: str) -> None:
    ids = [e.text for e in analyzer.analyze(text) if e.type in ("RECORD_ID", "INSURANCE_ID")]
    assert ids == [value]
