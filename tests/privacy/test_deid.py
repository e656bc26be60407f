"""deidentify(): redact and surrogate modes, offsets into the original, the JSON shape."""

from __future__ import annotations

import pytest

from yizhu.config import Settings
from yizhu.errors import InputError
from yizhu.privacy import PLACEHOLDERS, deidentify

NOTE = "姓名：张三  身份证号：11010519491231002X\n患者于2023年5月1日因发热入院，电话13812345678。"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (NOTE, "姓名：[姓名]  身份证号：[身份证号]\n患者于[日期]因发热入院，电话[电话]。"),
        ("住院号：ZY20230001 床号：12", "住院号：[编号] 床号：[床号]"),
        ("无PHI的句子：白细胞12.5×10^9/L。", "无PHI的句子：白细胞12.5×10^9/L。"),
        ("", ""),
    ],
)
def test_redact_writes_typed_placeholders(settings: Settings, text: str, expected: str) -> None:
    assert deidentify(text, settings=settings).text == expected


def test_entities_index_the_original_text(settings: Settings) -> None:
    r = deidentify(NOTE, mode="surrogate", patient_key="P1", settings=settings)
    assert [(e.type, NOTE[e.start:e.end]) for e in r.entities] == [
        ("PERSON", "张三"),
        ("ID_CARD", "11010519491231002X"),
        ("DATE", "2023年5月1日"),
        ("PHONE", "13812345678"),
    ]


def test_json_shape(settings: Settings) -> None:
    d = deidentify(NOTE, settings=settings).to_dict()
    assert set(d) == {"text", "entities"}
    assert set(d["entities"][0]) == {"type", "start", "end", "text", "recognizer", "score"}
    assert "explanation" in deidentify(NOTE, settings=settings).to_dict(explain=True)["entities"][0]


def test_redact_has_no_mapping_surrogate_has_one(settings: Settings) -> None:
    assert deidentify(NOTE, settings=settings).mapping is None
    mapping = deidentify(NOTE, mode="surrogate", patient_key="P1", settings=settings).mapping
    assert mapping is not None and len(mapping) == 4


def test_without_a_patient_key_surrogates_are_random_per_call(settings: Settings) -> None:
    a = deidentify(NOTE, mode="surrogate", settings=settings)
    b = deidentify(NOTE, mode="surrogate", settings=settings)
    assert a.text != b.text


def test_unknown_mode_says_which_exist(settings: Settings) -> None:
    with pytest.raises(InputError, match="redact, surrogate"):
        deidentify(NOTE, mode="mask", settings=settings)  # type: ignore[arg-type]


def test_every_type_has_a_placeholder() -> None:
    from yizhu.privacy import PHIType

    assert set(PLACEHOLDERS) == set(PHIType)


def test_package_docstring_examples_run(monkeypatch: pytest.MonkeyPatch) -> None:
    import doctest

    import yizhu.privacy
    from yizhu.config import get_settings

    monkeypatch.setenv("YIZHU_DEID_KEY", "doctest-key-0123456789")
    get_settings.cache_clear()
    try:
        assert doctest.testmod(yizhu.privacy, raise_on_error=True).attempted == 3
    finally:
        get_settings.cache_clear()
