"""Surrogates: consistent per patient, different across patients, shaped like what they replace."""

from __future__ import annotations

import re

import pytest

from yizhu.config import Settings
from yizhu.privacy import Deidentifier, deidentify
from yizhu.privacy.keys import MAX_SHIFT_DAYS, MIN_SHIFT_DAYS, date_offset, deid_secret
from yizhu.privacy.surrogates import SurrogateFactory
from yizhu.privacy.validators import cn_id, luhn

NOTE = (
    "姓名：张三  身份证号：440304198503151231  电话：138-1234-5678\n"
    "患者张三于2023年5月1日入院，2023年5月8日出院。家属李四陪同，李四电话13812345678。"
)


def test_same_value_same_patient_same_surrogate_across_calls(settings: Settings) -> None:
    a = deidentify(NOTE, mode="surrogate", patient_key="P1", settings=settings)
    b = deidentify(NOTE, mode="surrogate", patient_key="P1", settings=settings)
    assert a.text == b.text
    names = [a.text[e.start:e.end] for e in a.entities if e.type == "PERSON"]
    assert names  # offsets index the original; the surrogate text differs
    assert "张三" not in a.text and "李四" not in a.text


def test_repeated_mentions_get_one_surrogate(settings: Settings) -> None:
    r = deidentify(NOTE, mode="surrogate", patient_key="P1", settings=settings)
    assert r.mapping is not None
    by_original = {(e.type, e.original): e.surrogate for e in r.mapping}
    zhang = by_original[("PERSON", "张三")]
    assert r.text.count(zhang) == 2
    # 138-1234-5678 and 13812345678 are one number: the same digits, each in its own format
    phones = re.findall(r"(?<!\d)1\d\d-?\d{4}-?\d{4}(?!\d)", r.text)
    assert len(phones) == 2 and phones[0].replace("-", "") == phones[1]


def test_different_patients_get_different_surrogates(settings: Settings) -> None:
    a = deidentify(NOTE, mode="surrogate", patient_key="P1", settings=settings)
    b = deidentify(NOTE, mode="surrogate", patient_key="P2", settings=settings)
    assert a.text != b.text


def test_another_key_gives_other_surrogates(settings: Settings, tmp_path) -> None:
    other = Settings(env="test", deid_key="another-key-987654321", data_dir=tmp_path)
    assert deidentify(NOTE, mode="surrogate", patient_key="P1", settings=settings).text != deidentify(
        NOTE, mode="surrogate", patient_key="P1", settings=other
    ).text


def test_dates_move_together_so_the_stay_is_still_seven_days(settings: Settings) -> None:
    r = deidentify(NOTE, mode="surrogate", patient_key="P1", settings=settings)
    from yizhu.privacy.dates import parse_date

    dates = [parse_date(e.surrogate) for e in r.mapping or [] if e.type == "DATE"]
    assert len(dates) == 2
    assert (dates[1].as_date() - dates[0].as_date()).days == 7  # type: ignore[union-attr,operator]


def test_date_offset_is_secret_stable_and_never_small(settings: Settings) -> None:
    secret = deid_secret(settings)
    offsets = [date_offset(secret, f"P{i}") for i in range(200)]
    assert offsets == [date_offset(secret, f"P{i}") for i in range(200)]
    assert all(MIN_SHIFT_DAYS <= abs(o) <= MAX_SHIFT_DAYS for o in offsets)
    assert len(set(offsets)) > 100 and any(o < 0 for o in offsets) and any(o > 0 for o in offsets)


@pytest.mark.parametrize(
    ("typ", "value", "check"),
    [
        ("ID_CARD", "440304198503151231", lambda s: cn_id(s) and len(s) == 18),
        ("ID_CARD", "110105491231002", lambda s: len(s) == 15 and s.isdigit()),
        ("BANK_CARD", "6222 0212 3456 7894", lambda s: luhn(s) and re.fullmatch(r"\d{4}( \d{4}){3}", s)),
        ("PHONE", "138-1234-5678", lambda s: re.fullmatch(r"1[3-9]\d-\d{4}-\d{4}", s)),
        ("PHONE", "+86 138 1234 5678", lambda s: re.fullmatch(r"\+86 1[3-9]\d \d{4} \d{4}", s)),
        ("PHONE", "0571-88886666", lambda s: re.fullmatch(r"0\d{3}-[2-9]\d{7}", s)),
        ("PERSON", "欧阳娜娜", lambda s: len(s) == 4),
        ("PERSON", "王", lambda s: len(s) == 1 and s != "王"),
        ("RECORD_ID", "ZY20230001", lambda s: re.fullmatch(r"[A-Z]{2}\d{8}", s)),
        ("BED", "12床", lambda s: re.fullmatch(r"\d\d床", s)),
        ("EMAIL", "zhangsan@example.com", lambda s: s.endswith("@example.com")),
        ("AGE", "93岁", lambda s: s == "90岁以上"),
        ("ORG", "北京协和医院", lambda s: s.endswith("医院")),
        ("ADDRESS", "浙江省杭州市西湖区文三路123号3栋2单元501室", lambda s: "市" in s and s.endswith("室")),
        ("POSTCODE", "310012", lambda s: re.fullmatch(r"[1-8]\d{5}", s)),
        ("PLATE", "京A12345", lambda s: re.fullmatch(r"[^\x00-\x7f][A-Z][A-Z0-9]{5}", s)),
    ],
)
def test_surrogates_keep_the_shape(settings: Settings, typ: str, value: str, check) -> None:
    f = SurrogateFactory(deid_secret(settings))
    s = f.make(typ, value, "P1", date_offset=100)
    assert s != value
    assert check(s), s
    assert s == f.make(typ, value, "P1", date_offset=100)


def test_surrogate_id_carries_the_shifted_birth_date(settings: Settings) -> None:
    s = SurrogateFactory(deid_secret(settings)).make("ID_CARD", "440304198503151231", "P1", date_offset=10)
    assert s[6:14] == "19850325"


def test_production_refuses_a_missing_deid_key(tmp_path) -> None:
    from yizhu.errors import ConfigError

    with pytest.raises(ConfigError, match="YIZHU_DEID_KEY"):
        Deidentifier(Settings(env="production", secret_key="x" * 40, data_dir=tmp_path))
