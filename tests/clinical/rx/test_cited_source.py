"""An alert cites the parts of a drug's sources that back that kind of alert, never an unrelated one."""

from __future__ import annotations

import pytest

from yizhu.clinical.rx.checks.common import cited_source
from yizhu.clinical.rx.rules import RxRule

LABEL = "药品说明书（国内上市产品）"
BOOK = "《中华人民共和国药典临床用药须知·化学药和生物制品卷》2020年版"
PREG = "FDA 妊娠分级（2015年PLLR前旧字母分级，国内说明书仍常引用）"
BEERS = "AGS Beers Criteria 2023 (J Am Geriatr Soc 2023)"
AMS = "《抗菌药物临床应用管理办法》（卫生部令第84号）2012 + 省级分级目录典型默认"
SKIN = "《β内酰胺类抗菌药物皮肤试验指导原则（2021年版）》，国家卫生健康委"
ITEM = "；".join([LABEL, BOOK, PREG, BEERS, AMS, SKIN])


def rule(kind: str) -> RxRule:
    return RxRule(
        id=f"rx.{kind}.synthetic.v1", type=kind, check="synthetic", severity="major",  # type: ignore[arg-type]
        message="合成规则", rationale="合成", source="规则自身来源（合成）",
    )


@pytest.mark.parametrize(
    ("kind", "cited", "not_cited"),
    [
        ("renal", [LABEL, BOOK], [PREG, BEERS, AMS, SKIN]),
        ("pregnancy", [LABEL, BOOK, PREG], [BEERS, AMS, SKIN]),
        ("geriatric", [LABEL, BOOK, BEERS], [PREG, AMS, SKIN]),
        ("antimicrobial", [LABEL, BOOK, AMS], [PREG, BEERS, SKIN]),
        ("allergy", [LABEL, BOOK, SKIN], [PREG, BEERS, AMS]),
        ("pediatric", [LABEL, BOOK], [PREG, BEERS, AMS, SKIN]),
    ],
)
def test_an_alert_cites_only_the_sources_that_back_its_kind(kind: str, cited: list[str], not_cited: list[str]) -> None:
    got = cited_source(ITEM, rule(kind))
    assert got.split("；") == cited
    assert not any(part in got for part in not_cited)


def test_the_rule_source_stands_in_when_the_item_has_none_or_nothing_fits() -> None:
    assert cited_source(None, rule("renal")) == "规则自身来源（合成）"
    assert cited_source(PREG, rule("renal")) == "规则自身来源（合成）"


def test_an_ascii_semicolon_splits_like_a_full_width_one() -> None:
    assert cited_source(f"{LABEL};{PREG}", rule("renal")) == LABEL
