"""The base concept of a written diagnosis: the name without side, site, grade, stage, report category,
status, pending report or hedge (``dx_qualifiers.yaml``).

``diagnosis_base("左乳浸润性导管癌术后（pT2N0M0）")`` → ``["乳浸润性导管癌", "乳腺浸润性导管癌", "乳腺癌"]``:
the forms to look up, most specific first. Used where a diagnosis must be coded or checked for a standard
name (QC's normalisability check, the note drafter's coder): a qualified or hedged diagnosis normalises to
its base concept, never flagged for its qualifiers.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from yizhu.datafile import Regex, load_yaml_model
from yizhu.errors import ConfigError

QUALIFIERS_FILE = Path(__file__).parent / "dx_qualifiers.yaml"


class _Strip(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    pattern: Regex
    example: str = Field(min_length=1)


class DxQualifiers(BaseModel):
    """``dx_qualifiers.yaml``: what a diagnosis carries beside its name, stripped in order."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: str = Field(min_length=10)
    strip: tuple[_Strip, ...] = Field(min_length=1)
    organs: dict[str, str] = {}
    morphology: tuple[str, ...] = ()


@lru_cache(maxsize=1)
def dx_qualifiers() -> DxQualifiers:
    q = load_yaml_model(QUALIFIERS_FILE, DxQualifiers, "diagnosis qualifiers")
    for s in q.strip:
        if not re.search(s.pattern, s.example):
            raise ConfigError(f"{QUALIFIERS_FILE}: {s.name} pattern does not match its example {s.example!r}")
    return q


@lru_cache(maxsize=1)
def _compiled() -> tuple[list[re.Pattern[str]], re.Pattern[str]]:
    q = dx_qualifiers()
    morph = "|".join(re.escape(m) for m in sorted(q.morphology, key=len, reverse=True)) or "(?!)"
    return [re.compile(s.pattern) for s in q.strip], re.compile(rf"^(?P<organ>[\u4e00-\u9fff]{{1,4}})\x00(?:{morph})+[\u4e00-\u9fff]*癌$")


@lru_cache(maxsize=4096)
def diagnosis_base(text: str) -> tuple[str, ...]:
    """The forms of a written diagnosis to look up, most specific first; empty when nothing was stripped."""
    rules, morph = _compiled()
    t = text.strip(" 。；;，,")
    for _ in range(3):  # 术后（pT2N0M0）: a status before a bracket is reached once the bracket is gone
        before = t
        for rx in rules:
            t = rx.sub("", t).strip(" ，,")
        if t == before:
            break
    out: list[str] = []
    if t and t != text:
        out.append(t)
    organs = dx_qualifiers().organs
    for short, full in organs.items():
        if t.startswith(short) and not t.startswith(full):
            out.append(full + t[len(short):])
    for form in list(out) or [t]:
        # every split of organ and morphology (甲状|腺乳头状癌 and 甲状腺|乳头状癌: 腺 is a morphology word too), the
        # shortest organ first; the lookup keeps the form that names a concept
        for n in range(1, 5):
            if form[n:n + 1] == "腺" and morph.match(form[:n + 1] + "\x00" + form[n + 1:]):
                continue  # 甲状腺|乳头状癌, never 甲状|腺…: a gland's name ends in 腺
            m = morph.match(form[:n] + "\x00" + form[n:])
            if m:
                organ = organs.get(m.group("organ"), m.group("organ"))
                out.append(f"{organ}癌")
    return tuple(dict.fromkeys(x for x in out if len(x) >= 2))
