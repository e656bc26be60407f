"""Addresses: chains of administrative, street and building parts; postcodes right after them."""

from __future__ import annotations

import pytest

from tests.privacy.conftest import found

CASES = [
    ("现住址：浙江省杭州市西湖区文三路123号3栋2单元501室", [("ADDRESS", "浙江省杭州市西湖区文三路123号3栋2单元501室")]),
    ("家住北京市朝阳区建国路88号。", [("ADDRESS", "北京市朝阳区建国路88号")]),
    ("患者系长沙市人。", [("ADDRESS", "长沙市")]),
    ("家庭住址：西安市南湖区红旗路797号翠湖家园27栋1单元1603室", [("ADDRESS", "西安市南湖区红旗路797号翠湖家园27栋1单元1603室")]),
    ("户籍地址：四川省淮安市和平区红旗路647号7-2-401", [("ADDRESS", "四川省淮安市和平区红旗路647号7-2-401")]),
    ("现住：安徽省合肥市长丰县双桥镇新民村3组", [("ADDRESS", "安徽省合肥市长丰县双桥镇新民村3组")]),
    ("地址：广州市天河区体育西路123号 510620", [("ADDRESS", "广州市天河区体育西路123号"), ("POSTCODE", "510620")]),
    ("来自河北省石家庄市，", [("ADDRESS", "河北省石家庄市")]),
]
NEGATIVES = [
    "籍贯：河北省",  # a province alone is not an identifier
    "北京时间2023年",
    "长春新碱2mg静推",
    "家住农村",
    "门诊以社区获得性肺炎收入院",
    "市场调查显示区域差异",
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_addresses_found(analyzer, text: str, expected) -> None:
    assert found(analyzer, text, "ADDRESS", "POSTCODE") == expected


@pytest.mark.parametrize("text", NEGATIVES)
def test_not_addresses(analyzer, text: str) -> None:
    assert found(analyzer, text, "ADDRESS") == []
