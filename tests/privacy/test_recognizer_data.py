"""Recognizers as data: every YAML file validates strictly and its examples and negatives hold."""

from __future__ import annotations

from pathlib import Path

import pytest

from yizhu.errors import ConfigError
from yizhu.privacy import Analyzer, Entity, Pattern, Recognizer, default_recognizers, get_recognizer, register
from yizhu.privacy.recognizers import builtin_spec_paths, data_recognizer, load_spec, unregister

SPECS = builtin_spec_paths()
EXAMPLES = [(p.name, pat.name, ex) for p in SPECS for pat in load_spec(p).patterns for ex in pat.examples]
NEGATIVES = [(p.name, neg) for p in SPECS for neg in load_spec(p).negatives]


def test_there_are_data_recognizers_for_the_simple_types() -> None:
    names = {load_spec(p).name for p in SPECS}
    assert {"phi.id_card.v1", "phi.phone.v1", "phi.date.v1", "phi.record_id.v1", "phi.email.v1"} <= names


@pytest.mark.parametrize(("file", "pattern", "example"), EXAMPLES)
def test_each_example_is_found_by_its_recognizer(analyzer, file: str, pattern: str, example: str) -> None:
    spec = load_spec(next(p for p in SPECS if p.name == file))
    entities = analyzer.analyze(example)
    assert any(e.recognizer == spec.name for e in entities), (example, entities)


@pytest.mark.parametrize(("file", "negative"), NEGATIVES)
def test_each_negative_yields_nothing_of_its_type(analyzer, file: str, negative: str) -> None:
    spec = load_spec(next(p for p in SPECS if p.name == file))
    assert [e for e in analyzer.analyze(negative) if e.type == spec.entity] == []


@pytest.mark.parametrize(
    ("yaml_text", "message"),
    [
        ("name: phi.x.v1\nentity: PHONE\ndescription: d\nsource: src\npatterns: [{name: a, regex: 'x', score: 0.5}]\n"
         "colour: red\n", "colour"),
        ("name: phi.x.v1\nentity: NOPE\ndescription: d\nsource: src\npatterns: [{name: a, regex: 'x', score: 0.5}]\n",
         "entity"),
        ("name: phi.x.v1\nentity: PHONE\ndescription: d\nsource: src\npatterns: [{name: a, regex: '(', score: 0.5}]\n",
         "invalid regex"),
        ("name: phi.x.v1\nentity: PHONE\ndescription: d\nsource: src\n"
         "patterns: [{name: a, regex: '[0-9]x', first: '[a-z]', score: 0.5}]\n", "first"),
    ],
)
def test_bad_recognizer_files_are_rejected_with_the_field(tmp_path: Path, yaml_text: str, message: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(yaml_text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        data_recognizer(path)


def test_unknown_validator_lists_the_known_ones(tmp_path: Path) -> None:
    path = tmp_path / "v.yaml"
    path.write_text(
        "name: phi.x.v1\nentity: PHONE\ndescription: d\nsource: src\nvalidator: crc99\n"
        "patterns: [{name: a, regex: 'x', score: 0.5}]\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match=r"known validators: .*luhn"):
        data_recognizer(path)


def test_unknown_recognizer_lists_the_known_ones() -> None:
    with pytest.raises(ConfigError, match=r"phi\.phone\.v1"):
        get_recognizer("phi.nope.v1")


class _WardCode(Recognizer):
    """A hospital's own recognizer, added through the same seam as the built-ins."""

    name = "phi.ward_code.v1"
    entity = "RECORD_ID"

    def __init__(self) -> None:
        super().__init__([Pattern("ward", "W[0-9](?P<phi>[0-9]{5})", 0.9, first="W")])


def test_a_registered_recognizer_joins_the_default_analyzer() -> None:
    from yizhu.privacy import default_analyzer

    register(_WardCode())
    try:
        assert any(r.name == "phi.ward_code.v1" for r in default_recognizers())
        ents = default_analyzer().analyze("病区编码W312345")
        assert [(e.recognizer, e.text) for e in ents] == [("phi.ward_code.v1", "12345")]
    finally:
        unregister("phi.ward_code.v1")
    assert not any(r.name == "phi.ward_code.v1" for r in default_recognizers())


def test_a_recognizer_without_first_is_still_scanned() -> None:
    rec = _WardCode()
    rec.patterns = (Pattern("ward", "W[0-9](?P<phi>[0-9]{5})", 0.9),)
    ents: list[Entity] = Analyzer([rec]).analyze("x W312345 y")
    assert [e.text for e in ents] == ["12345"]
