"""The side of a limb or a paired organ in a patient's words: 左腿有点麻 → (下肢, 左); 两个膝盖都疼，右边重 →
(膝关节, 双, worse on the right); 右边太阳穴 → (颞部, 右). Parts and their record names are data
(``laterality.yaml``, with its source). A side is read only when it is attached to a part (左腿, 右边膝盖,
两条腿, 双膝) — or, in a bilateral clause, as the worse side (右边重, 左边厉害); nothing is guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field

_CLAUSE = re.compile(r"[，,。;；!！?？\n]")


class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid")
    words: list[str] = Field(min_length=1)
    name: str = Field(min_length=1)


class _Lexicon(BaseModel):
    model_config = ConfigDict(extra="forbid")
    source: str = Field(min_length=8)
    parts: list[_Part] = Field(min_length=1)
    sides: dict[str, str]


@dataclass(frozen=True, slots=True)
class Side:
    part: str  # the record's name (下肢, 膝关节)
    side: str  # 左 / 右 / 双
    start: int  # where the phrase starts in the text
    end: int
    worse: str | None = None  # in a bilateral phrase: the side said to be worse (右边重)

    def wording(self, style: str = "short") -> str:
        """左下肢 (short: 主诉, symptoms) or 左侧下肢 (long: the site in 现病史); 双侧膝关节（右侧为重）."""
        side = self.side if style == "short" or len(self.part) < 2 else f"{self.side}侧"
        worse = f"（{self.worse}侧为重）" if self.worse and style != "short" else ""
        return f"{side}{self.part}{worse}"


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    raw = yaml.safe_load(Path(__file__).with_name("laterality.yaml").read_text(encoding="utf-8"))
    return _Lexicon.model_validate(raw)


def parts() -> list[_Part]:
    return list(_lexicon().parts)


@lru_cache(maxsize=1)
def _pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    lex = _lexicon()
    by_word = {w: p.name for p in lex.parts for w in p.words}
    words = "|".join(sorted(map(re.escape, by_word), key=len, reverse=True))
    sides = "".join(lex.sides)
    pat = re.compile(rf"(?P<side>[{sides}])(?:边|侧|面|个|条|只|半边)?(?:的)?(?P<part>{words})")
    return pat, by_word


def read(text: str) -> list[Side]:
    """Every side attached to a lateral part in ``text``, in order."""
    pat, by_word = _pattern()
    sides = _lexicon().sides
    out: list[Side] = []
    pos = 0
    for clause in _CLAUSE.split(text):
        found = [m for m in pat.finditer(clause)]
        for m in found:
            side = sides[m.group("side")]
            worse = None
            if side == "双":
                w = re.search(r"([左右])(?:边|侧)?(?:的)?(?:更|比较|稍)?(?:重|厉害|严重|明显|疼得厉害)", clause[m.end():])
                if w is None:  # 右边重 said in the next clause
                    rest = text[pos + len(clause) + 1:]
                    nxt = _CLAUSE.split(rest, maxsplit=1)[0] if rest else ""
                    w = re.match(r"\s*([左右])(?:边|侧)?(?:的)?(?:更|比较|稍)?(?:重|厉害|严重|明显)", nxt)
                worse = w.group(1) if w else None
            out.append(Side(part=by_word[m.group("part")], side=side, start=pos + m.start(), end=pos + m.end(),
                            worse=worse))
        pos += len(clause) + 1
    return out


def parts_named(text: str) -> list[tuple[str, int]]:
    """Lateral parts named in ``text`` with or without a side (腰，左边屁股也疼 → 腰部, 臀部), with positions."""
    _, by_word = _pattern()
    words = sorted(by_word, key=len, reverse=True)
    out: list[tuple[str, int]] = []
    taken: list[tuple[int, int]] = []
    for w in words:
        for m in re.finditer(re.escape(w), text):
            if any(a <= m.start() < b for a, b in taken):
                continue
            taken.append((m.start(), m.end()))
            out.append((by_word[w], m.start()))
    return sorted(out, key=lambda x: x[1])


def clause_of(text: str, at: int) -> tuple[int, int]:
    """(start, end) of the clause of ``text`` that holds position ``at``."""
    start = 0
    for m in _CLAUSE.finditer(text):
        if m.start() >= at:
            return start, m.start()
        start = m.end()
    return start, len(text)
