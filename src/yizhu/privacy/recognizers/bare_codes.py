"""A code of one capital letter and seven digits or more standing with no label (…带了，H46010600291837).

Record, insurance and document numbers are often one letter and a long run of digits (Z0458832, K65010087314,
H46010600291837, E12345678). After a label the labelled rules read them; in a reply (带了，K65010087314), a list or a
wristband they stand alone, and the two-letter rule (``record_id.yaml`` coded: ZY2026…) does not take one letter.
Clinical text has no such token otherwise: a dose, a lab value or a date is not a letter glued to seven digits.

What stays: the number of a thing, when the label of a number about no person stands right before it (批号：
H2401234, 机构编码：H33010600089 — the lists of ``data/number_labels.yaml``), and a drug's or device's approval
number after 准字/注准/备 (国药准字H20043222), and a code in a table's column headed by such a label (品名 | 规格 |
批号 over 指引导管 | EBU 3.5 6F | F2311064). The type is the one a cue word just before it names (医保 →
INSURANCE_ID, 护照 → ID_CARD), else RECORD_ID, at 0.55: any labelled rule reading the same value keeps its own type.
"""

from __future__ import annotations

import re

from yizhu.privacy.recognizer import Recognizer
from yizhu.privacy.recognizers.spoken_numbers import THING, _things, cue_before
from yizhu.privacy.types import Entity, Explanation, PHIType

_CODE = re.compile(r"(?<![0-9A-Za-z\-_/.#=*])[A-Z]\d{7,17}(?![0-9A-Za-z\-_/.*]|[年月日时分秒])")
#: An approval number's prefix (国药准字H20043222, 国械注准20193140123, 京械备…): a product's, not a person's.
_APPROVAL = re.compile(r"(?:准字|注准|注进|械备|字号?)[ \t\u3000:：]*\Z")
_SCORE = 0.55
_BAR = re.compile(r"[|｜]")
#: How many rows above a cell its table's header may stand.
_MAX_ROWS = 40


def column_header(text: str, start: int) -> str | None:
    """The header cell over the table cell holding ``start`` (rows split by bars; the header is the first row of
    the block of barred lines, a markdown rule under it skipped), or None outside a table."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    line = text[line_start:len(text) if line_end < 0 else line_end]
    if not _BAR.search(line):
        return None
    col = len(_BAR.findall(line[:start - line_start])) - int(line.lstrip().startswith(("|", "｜")))
    header = line
    pos = line_start
    for _ in range(_MAX_ROWS):
        if pos == 0:
            break
        prev_start = text.rfind("\n", 0, pos - 1) + 1
        prev = text[prev_start:pos - 1]
        if not _BAR.search(prev):
            break
        if not set(prev.strip()) <= set("|｜-—:： \t"):
            header = prev
        pos = prev_start
    cells = [c.strip() for c in _BAR.split(header.strip().strip("|｜"))]
    return cells[col] if 0 <= col < len(cells) and header is not line else None


class BareCodeRecognizer(Recognizer):
    """One capital letter and seven digits or more, with no label, unless a thing's label stands before it."""

    name = "phi.bare_codes.v1"
    entity = PHIType.RECORD_ID.value
    description = "one letter and seven digits or more standing alone (K65010087314 in a reply, on a wristband)"
    source = ("HIPAA Safe Harbor 45 CFR 164.514(b)(2)(i)(G)(I)(R): record, health plan and other identifying "
              "numbers, with or without their label")

    def __init__(self) -> None:
        super().__init__(())

    def extra(self, text: str) -> list[Entity]:
        out: list[Entity] = []
        for m in _CODE.finditer(text):
            s, e = m.span()
            if _APPROVAL.search(text, max(0, s - 6), s):
                continue
            cue = cue_before(text, s)
            if cue == THING:
                continue
            head = column_header(text, s)
            if head and any(w in head for w in _things()):
                continue  # a batch or model column (批号, 型号/规格)
            typ = cue or PHIType.RECORD_ID.value
            out.append(Entity(typ, s, e, m.group(), self.name, _SCORE,
                              Explanation(self.name, "code", _SCORE, context_word=cue,
                                          note="one letter and seven digits or more, no label")))
        return out
