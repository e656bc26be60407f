"""Identifier columns of tables (phi.id_columns.v1): a header cell names the identifier, the rows hold bare values.

Written by hand for yizhu; every number and name is invented (合成).
"""

from __future__ import annotations

import pytest

from tests.privacy.conftest import found
from yizhu.privacy import Analyzer

TABLES = [
    (  # a markdown handover table
        "| 床号 | 姓名 | 住院号 | 诊断 |\n|---|---|---|---|\n| 3 | 张三 | 2026004172 | 肺炎 |\n| 5 | 李四 | ZY2026004173 | 心衰 |",
        [("RECORD_ID", "2026004172"), ("RECORD_ID", "ZY2026004173")],
    ),
    (  # tab-separated, two identifier columns
        "床号\t姓名\t住院号\t联系电话\n3\t张三\t2026004172\t0571-88881234\n",
        [("RECORD_ID", "2026004172"), ("PHONE", "0571-88881234")],
    ),
    (  # a follow-up call list aligned with spaces
        "序号  姓名    门诊号        手机\n1     王芳    0026173841    13812345678\n2     刘强    0026173842    —\n",
        [("RECORD_ID", "0026173841"), ("PHONE", "13812345678"), ("RECORD_ID", "0026173842")],
    ),
    (  # a records-copy mailing list with ideographic gaps
        "序号　收件人　运单号　医保卡号\n1　王芳　7539281046\u3000H33010600012345\n",
        [("RECORD_ID", "7539281046"), ("INSURANCE_ID", "H33010600012345")],
    ),
    (  # a carer register with an ID card column and a plate column
        "| 姓名 | 身份证号 | 车牌 |\n| 王芳 | 33010619880715041X | 浙A·D1234 |\n| 刘强 | 无 | — |",
        [("ID_CARD", "33010619880715041X")],
    ),
    (
        "| 陪护人 | 身份证号 | 车牌 |\n| 王芳 | 330106198807150413 | 浙A12345 |",
        [("ID_CARD", "330106198807150413"), ("PLATE", "浙A12345")],
    ),
]


@pytest.mark.parametrize(("text", "expected"), TABLES)
def test_cells_under_an_identifier_header_are_that_identifier(analyzer: Analyzer, text: str, expected) -> None:
    got = found(analyzer, text, "RECORD_ID", "PHONE", "ID_CARD", "PLATE", "INSURANCE_ID")
    for item in expected:
        assert item in got


@pytest.mark.parametrize(
    "text",
    [
        "住院号：2026004172　床号：3　科室：心内科\n诊断：冠心病",  # form fields, not a header row
        "| 项目 | 结果 | 单位 | 参考范围 |\n| WBC | 12.3 | 10^9/L | 3.5-9.5 |\n| HGB | 102 | g/L | 130-175 |",
        "| 日期 | 编号 | 剂量 |\n| 11-07 | 1 | 0.5g |\n| 11-08 | 2 | 1.0g |",  # a short number is not an identifier
        "| 住院号 | 诊断 | 天数 |\n| 待补 | 肺炎 | 7 |",
    ],
)
def test_tables_without_identifier_values_are_left_alone(analyzer: Analyzer, text: str) -> None:
    assert [e for e in analyzer.analyze(text) if e.recognizer == "phi.id_columns.v1"] == []
