"""A code of one capital letter and seven digits or more standing with no label (…带了，H46010600291837).

Record, insurance and document numbers are often one letter and a long run of digits (Z0458832, K65010087314,
H46010600291837, E12345678). After a label the labelled rules read them; in a reply (带了，K65010087314), a list or a
wristband they stand alone, and the two-letter rule (``record_id.yaml`` coded: ZY2026…) does not take one letter.
Clinical text has no such token otherwise: a dose, a lab value or a date is not a letter glued to seven digits.

What stays: the number of a thing, when the label of a number about no person stands right before it (批号：
H2401234, 机构编码：H33010600089 — the lists of ``data/number_labels.yaml``), and a drug's or device's approval
number after 准字/注准/备 (国药准字H20043222). The type is the one a cue word just before it names (医保 →
INSURANCE_ID, 护照 → ID_CARD), else RECORD_ID, at 0.55: any labelled rule reading the same value keeps its own type.
"""

from __future__ import annotations

import re

from yizhu.privacy.recognizer import Recognizer
from yizhu.privacy.recognizers.spoken_numbers import THING, cue_before
from yizhu.privacy.types import Entity, Explanation, PHIType

_CODE = re.compile(r"(?<![0-9A-Za-z\-_/.#=*])[A-Z]\d{7,17}(?![0-9A-Za-z\-_/.*]|[年月日时分秒])")
#: An approval number's prefix (国药准字H20043222, 国械注准20193140123, 京械备…): a product's, not a person's.
_APPROVAL = re.compile(r"(?:准字|注准|注进|械备|字号?)[ \t\u3000:：]*\Z")
_SCORE = 0.55


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
            typ = cue or PHIType.RECORD_ID.value
            out.append(Entity(typ, s, e, m.group(), self.name, _SCORE,
                              Explanation(self.name, "code", _SCORE, context_word=cue,
                                          note="one letter and seven digits or more, no label")))
        return out
