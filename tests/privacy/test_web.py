"""E-mail addresses, URLs and IP addresses."""

from __future__ import annotations

import pytest

from tests.privacy.conftest import found

CASES = [
    ("邮箱：zhang.san@example.com，", [("EMAIL", "zhang.san@example.com")]),
    ("QQ邮箱12345678@qq.com", [("EMAIL", "12345678@qq.com")]),
    ("报告查询：https://report.example.cn/q?no=12345678。", [("URL", "https://report.example.cn/q?no=12345678")]),
    ("见 www.example.org/zhang", [("URL", "www.example.org/zhang")]),
    ("终端IP：192.168.1.20", [("IP", "192.168.1.20")]),
    ("IP 10.0.0.8。", [("IP", "10.0.0.8")]),
]
NEGATIVES = ["@张医生 请会诊", "尿比重1.025", "版本1.2.3", "999.1.1.1"]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_found(analyzer, text: str, expected) -> None:
    assert found(analyzer, text, "EMAIL", "URL", "IP") == expected


@pytest.mark.parametrize("text", NEGATIVES)
def test_not_found(analyzer, text: str) -> None:
    assert found(analyzer, text, "EMAIL", "URL", "IP") == []
