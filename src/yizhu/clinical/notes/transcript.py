"""Doctor–patient dialogue transcripts: text with speaker turns (医生/患者/家属) → turns with offsets.

Accepted: one turn per line starting with a speaker label and a colon (``医生：``, ``患者:``,
``【家属】``, ``Doctor:``); a line without a label continues the turn before it. Offsets are into the
transcript text, so a turn is ``text[turn.start:turn.end]``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from yizhu.errors import InputError

SPEAKERS: dict[str, str] = {
    "医生": "doctor", "医师": "doctor", "大夫": "doctor", "doctor": "doctor", "dr": "doctor", "护士": "doctor",
    "患者": "patient", "病人": "patient", "patient": "patient", "pt": "patient",
    "家属": "family", "患者家属": "family", "母亲": "family", "父亲": "family", "妈妈": "family",
    "爸爸": "family", "女儿": "family", "儿子": "family", "配偶": "family", "family": "family",
}
ROLE_LABEL = {"doctor": "医生", "patient": "患者", "family": "家属"}
_LABEL = re.compile(
    r"^[ \t\u3000]*[\[【(（]?(?P<who>" + "|".join(sorted(SPEAKERS, key=len, reverse=True)) + r")[\]】)）]?[ \t\u3000]*[:：][ \t\u3000]*",
    re.IGNORECASE | re.MULTILINE,
)


@dataclass(frozen=True)
class Turn:
    """One speaker turn: its number (1-based), role, label as written, and offsets of the words spoken."""

    index: int
    role: str
    speaker: str
    start: int
    end: int
    text: str

    @property
    def source_id(self) -> str:
        return f"turn:{self.index}"


def parse_transcript(text: str) -> list[Turn]:
    """Turns of a transcript; InputError if it has no doctor or no patient/family turn."""
    marks = list(_LABEL.finditer(text))
    turns: list[Turn] = []
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        s, e = m.end(), end
        while e > s and text[e - 1] in " \t\r\n\u3000":
            e -= 1
        if e <= s:
            continue
        who = m.group("who")
        role = SPEAKERS[who.lower()] if who.lower() in SPEAKERS else SPEAKERS.get(who, "patient")
        turns.append(Turn(len(turns) + 1, role, who, s, e, text[s:e]))
    roles = {t.role for t in turns}
    if "doctor" not in roles or not roles & {"patient", "family"}:
        raise InputError(
            "not a dialogue transcript: expected lines starting with 医生： and 患者： (or 家属：), one turn per line"
        )
    return turns


def looks_like_transcript(text: str) -> bool:
    """Whether a text is a dialogue transcript (at least one doctor and one patient/family turn)."""
    head = text[:4000]
    roles = {SPEAKERS.get(m.group("who").lower(), SPEAKERS.get(m.group("who"), "")) for m in _LABEL.finditer(head)}
    return "doctor" in roles and bool(roles & {"patient", "family"})
