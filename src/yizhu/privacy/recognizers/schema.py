"""The YAML shape of a data recognizer, validated strictly (unknown keys are errors)."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from yizhu.privacy.types import PHIType

_MACRO = re.compile(r"<<([A-Z_]+)>>")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class PatternSpec(_Strict):
    """One pattern: a regex with a named strength; optional labels it must stand next to."""

    name: str = Field(pattern=r"^[a-z0-9_]+$")
    regex: str
    score: float = Field(ge=0.0, le=1.0)
    labels: list[str] = Field(default_factory=list)
    label_position: Literal["before", "after", "within"] = "before"
    include_label: bool = False
    window: int = Field(default=24, ge=1, le=1000)
    check: bool = Field(default=True, description="run the recognizer's validator on matches")
    first: str | None = Field(default=None, description="class of the first character; regex starts with it")
    not_after: str | None = Field(default=None, description="class of characters that may not precede a match")
    examples: list[str] = Field(default_factory=list, description="texts this pattern must detect")


class RecognizerSpec(_Strict):
    """A recognizer as data: name, PHI type, source, context words, validator and patterns."""

    name: str = Field(pattern=r"^phi\.[a-z0-9_]+\.v[0-9]+$")
    entity: PHIType
    description: str
    source: str = Field(min_length=3, description="regulation, standard or reference the patterns follow")
    context: list[str] = Field(default_factory=list)
    context_window: int = Field(default=16, ge=1, le=200)
    validator: str | None = None
    defines: dict[str, str] = Field(default_factory=dict, description="regex fragments used as <<NAME>>")
    patterns: list[PatternSpec] = Field(min_length=1)
    negatives: list[str] = Field(default_factory=list, description="texts that must yield nothing")

    @field_validator("defines")
    @classmethod
    def _names_upper(cls, v: dict[str, str]) -> dict[str, str]:
        for k in v:
            if not re.fullmatch(r"[A-Z_]+", k):
                raise ValueError(f"define name '{k}' must be UPPER_CASE")
        return v

    def expand(self, regex: str) -> str:
        """Substitute ``<<NAME>>`` fragments (defines may use earlier defines)."""
        def sub(m: re.Match[str]) -> str:
            key = m.group(1)
            if key not in self.defines:
                raise ValueError(f"unknown fragment <<{key}>>; defined: {', '.join(self.defines) or '(none)'}")
            return self.expand(self.defines[key])

        return _MACRO.sub(sub, regex)

    @model_validator(mode="after")
    def _regexes_compile(self) -> RecognizerSpec:
        for p in self.patterns:
            src = self.expand(p.regex)
            try:
                re.compile(src)
                if p.not_after:
                    re.compile(p.not_after)
            except re.error as exc:
                raise ValueError(f"pattern '{p.name}': invalid regex ({exc})") from exc
            if p.include_label and "(?P<phi>" in src:
                raise ValueError(f"pattern '{p.name}': include_label patterns must not have a phi group")
            if p.first is not None and (p.labels or not src.startswith(p.first)):
                raise ValueError(f"pattern '{p.name}': first needs an unlabelled pattern whose regex starts with it")
        return self
