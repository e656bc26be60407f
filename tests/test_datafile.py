"""Reading a YAML data file into its schema: every failure is one ConfigError naming the file and the place."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel, ConfigDict, field_validator

from yizhu.datafile import load_yaml_model
from yizhu.errors import ConfigError


class Rule(BaseModel):
    model_config = ConfigDict(extra="forbid")
    pattern: str
    source: str

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, v: str) -> str:
        import re

        re.compile(v)
        return v


class Table(BaseModel):
    model_config = ConfigDict(extra="forbid")
    rules: list[Rule]


def test_a_valid_file_loads(tmp_path: Path) -> None:
    p = tmp_path / "t.yaml"
    p.write_text("rules:\n  - {pattern: 咳嗽, source: 示例 2026}\n", encoding="utf-8")
    assert load_yaml_model(p, Table, "test table").rules[0].pattern == "咳嗽"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (None, r"t\.yaml: cannot read test table"),
        ("rules: [\n", r"t\.yaml: cannot read test table"),
        ("rules:\n  - {pattern: 咳嗽}\n", r"t\.yaml: invalid test table at rules\.0\.source: Field required"),
        ("rules:\n  - {pattern: '(', source: x}\n", r"t\.yaml: invalid test table"),
    ],
    ids=["missing", "bad-yaml", "schema", "pattern"],
)
def test_each_failure_names_the_file_and_the_place(tmp_path: Path, text: str | None, message: str) -> None:
    p = tmp_path / "t.yaml"
    if text is not None:
        p.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_yaml_model(p, Table, "test table")
