"""Organisations: hospitals and employers by suffix and label; generic mentions are not names."""

from __future__ import annotations

import pytest

from tests.privacy.conftest import found

CASES = [
    ("曾于北京协和医院就诊。", [("ORG", "北京协和医院")]),
    ("患者于2023年5月1日在杭州市第一人民医院住院。", [("ORG", "杭州市第一人民医院")]),
    ("会诊医师：王霞 （武汉大学附属第一医院）", [("ORG", "武汉大学附属第一医院")]),
    ("转至六盘水市妇幼保健院继续治疗", [("ORG", "六盘水市妇幼保健院")]),
    ("工作单位：万迅电脑科技有限公司。", [("ORG", "万迅电脑科技有限公司")]),
    ("就职于杭州市第二中学，", [("ORG", "杭州市第二中学")]),
    ("患者系海淀区学院路街道社区卫生服务中心护士", [("ORG", "海淀区学院路街道社区卫生服务中心")]),
]
NEGATIVES = [
    "曾于当地医院就诊。",
    "病情加重时需转上级医院进一步诊治。",
    "来我院就诊，外院CT提示肺炎。",
    "建议至县人民医院复查。",
    "送检医院：",
    "工作单位：退休",
    "大学生，无业",
    "银行卡已挂失",
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_organisations_found(analyzer, text: str, expected) -> None:
    assert found(analyzer, text, "ORG") == expected


@pytest.mark.parametrize("text", NEGATIVES)
def test_generic_mentions_are_not_organisations(analyzer, text: str) -> None:
    assert found(analyzer, text, "ORG") == []
