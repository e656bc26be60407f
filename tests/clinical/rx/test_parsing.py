"""Reading orders as written: frequencies, routes, units and drug-name variants."""

from __future__ import annotations

import doctest

import pytest

from yizhu.clinical.rx import parsing
from yizhu.clinical.rx.parsing import convert, english_variants, name_variants, parse_frequency, parse_route


def test_docstring_examples_run() -> None:
    assert doctest.testmod(parsing).failed == 0


@pytest.mark.parametrize(
    ("text", "kind", "per_day"),
    [
        ("qd", "regular", 1), ("QD", "regular", 1), ("bid", "regular", 2), ("tid", "regular", 3), ("qid", "regular", 4),
        ("q6h", "regular", 4), ("q8h", "regular", 3), ("q12h", "regular", 2), ("q4h", "regular", 6),
        ("qn", "regular", 1), ("hs", "regular", 1), ("qod", "regular", 0.5), ("qw", "regular", 1 / 7),
        ("biw", "regular", 2 / 7), ("q2w", "regular", 1 / 14), ("每日一次", "regular", 1), ("一日三次", "regular", 3),
        ("每日2次", "regular", 2), ("3次/日", "regular", 3), ("每8小时一次", "regular", 3), ("隔日一次", "regular", 0.5),
        ("每周一次", "regular", 1 / 7), ("每晚", "regular", 1), ("bid po", "regular", 2), ("tid(饭后)", "regular", 3),
        ("1/d", "regular", 1), ("prn", "prn", None), ("必要时", "prn", None), ("st", "once", None), ("立即", "once", None),
        ("每顿饭后", "unknown", None), ("", "unknown", None),
    ],
)
def test_frequency(text: str, kind: str, per_day: float | None) -> None:
    f = parse_frequency(text)
    assert f.kind == kind
    assert f.per_day == (pytest.approx(per_day) if per_day is not None else None)


@pytest.mark.parametrize(("text", "ceiling"), [("q6h prn", 4), ("q8h prn", 3), ("prn", None)])
def test_prn_ceiling_counts_for_daily_totals(text: str, ceiling: float | None) -> None:
    assert parse_frequency(text).daily_count == ceiling


@pytest.mark.parametrize(
    ("text", "code", "mode"),
    [
        ("口服", "po", None), ("po", "po", None), ("鼻饲", "po", None), ("静滴", "iv", "infusion"),
        ("ivgtt", "iv", "infusion"), ("泵入", "iv", "infusion"), ("静推", "iv", "push"), ("静脉注射", "iv", "push"),
        ("iv", "iv", None), ("肌注", "im", None), ("im", "im", None), ("皮下注射", "sc", None), ("ih", "sc", None),
        ("舌下含服", "sl", None), ("雾化吸入", "inh", None), ("滴眼", "ophthalmic", None), ("外用", "topical", None),
        ("鞘内注射", "intrathecal", None), ("纳肛", "pr", None), ("按医嘱", None, None),
    ],
)
def test_route(text: str, code: str | None, mode: str | None) -> None:
    r = parse_route(text)
    assert (r.code, r.mode) == (code, mode)


@pytest.mark.parametrize(
    ("value", "unit", "to", "expected"),
    [(0.5, "g", "mg", 500), (100, "μg", "mg", 0.1), (100, "mcg", "mg", 0.1), (40, "万U", "U", 400000),
     (1, "g", "U", None), (2, "片", "mg", None), (5, "mL", "mL", 5), (1, None, "mg", None)],
)
def test_unit_conversion(value: float, unit: str | None, to: str, expected: float | None) -> None:
    assert convert(value, unit, to) == (pytest.approx(expected) if expected is not None else None)


@pytest.mark.parametrize(
    ("written", "base"),
    [
        ("苯磺酸氨氯地平片(络活喜) 5mg", "氨氯地平"),
        ("注射用头孢曲松钠", "头孢曲松"),
        ("盐酸二甲双胍缓释片", "二甲双胍"),
        ("阿托伐他汀钙片", "阿托伐他汀"),
        ("硝苯地平控释片（拜新同）", "硝苯地平"),
        ("氯化钾缓释片 0.5g*24片", "氯化钾"),
        ("对乙酰氨基酚混悬滴剂", "对乙酰氨基酚"),
        ("布地奈德福莫特罗粉吸入剂", "布地奈德福莫特罗"),
    ],
)
def test_name_variants_end_in_the_generic(written: str, base: str) -> None:
    assert base in name_variants(written).candidates


def test_brand_in_brackets_is_kept_for_lookup() -> None:
    assert name_variants("硝苯地平控释片（拜新同）").bracketed == ("拜新同",)


def test_english_rxnorm_style_names() -> None:
    assert english_variants("Amoxicillin 120 MG/ML / clavulanate potassium 8.58 MG/ML Oral Suspension")[0] == (
        "amoxicillin/clavulanate"
    )
    assert "amlodipine" in english_variants("Amlodipine besylate tablets 5 mg")
