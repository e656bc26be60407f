"""A second value of the same shape after an identifier, in a list under one label (住院号：0456718（新）、0398211（旧）;
孩子的门诊号：2403150071，妈妈的：2403150072; 医保卡号 1101… 和 1102…).

A label is written once and its values listed after it: the first value stands next to the label and its rule reads
it, the next ones stand after a bracket, a list mark (、 / ，和 或) and perhaps a short word and colon (妈妈的：).
The analyzer hands its identifiers here; a value right after one of them, past such a joint, with the same shape
(each digit a digit, each letter a letter, the same length, five digits or more), is taken with the same type. A
value of another shape (a blood pressure, an amount, a date, a telephone after a record number) stays to its own
rules: a list repeats a shape, a sentence does not.
"""

from __future__ import annotations

import re

from yizhu.privacy.types import Entity, Explanation

#: The types whose lists are read (a telephone's rules read any telephone already).
TYPES = frozenset({"RECORD_ID", "ID_CARD", "INSURANCE_ID", "BANK_CARD"})
_JOINT = re.compile(
    r"(?:[（(][^）)\n]{1,8}[）)])?[ \t\u3000]*(?:[、/，,；;]|和|或|及|以及)[ \t\u3000]*"
    r"(?:[^\n：:，,。；;？?！!0-9A-Za-z]{1,8}(?:[：:]|是|为)[ \t\u3000]*)?"
    r"(?P<value>[0-9A-Za-z][0-9A-Za-z\-]{4,24})(?![0-9A-Za-z\-])")
_NAME = "phi.continuation.v1"


def _shape(value: str) -> str:
    return "".join("9" if c.isdigit() else "A" if c.isalpha() else c for c in value)


def continue_lists(text: str, entities: list[Entity]) -> list[Entity]:
    """New entities for values listed after an identifier with its shape; [] when there are none."""
    out: list[Entity] = []
    taken = {(e.start, e.end, e.type) for e in entities}
    todo = [e for e in entities if e.type in TYPES]
    while todo:
        e = todo.pop()
        m = _JOINT.match(text, e.end)
        if m is None:
            continue
        value = m.group("value")
        s, t = m.span("value")
        if (s, t, e.type) in taken or _shape(value) != _shape(e.text) or sum(c.isdigit() for c in value) < 5:
            continue
        new = Entity(e.type, s, t, value, _NAME, e.score,
                     Explanation(_NAME, "list", e.score, context_word=e.text,
                                 note="a value of the same shape listed after an identifier"))
        out.append(new)
        taken.add((s, t, e.type))
        todo.append(new)
    return out
