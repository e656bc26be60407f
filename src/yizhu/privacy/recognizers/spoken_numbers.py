"""Identifiers read aloud digit by digit and written down in Chinese digits, whatever stands before them.

A transcript of a phone call, a ward round or a registration desk writes a number as it was spoken: a 身份证号 in
three breaths (四四零三零四，一九九零零三一二，八八七三), a bank card in one (六二二七零零四八…), a record number
with its letters kept (ZY幺零八七六二三, MZ二四零六…, K 六五二九 零零 四一八 二七). The label, when there is one,
often stands a clause away (住院号……单子上写的是…, 门诊号给她：…), so the labelled rules (``record_id.yaml``,
``number_label.py``) miss it; but clinical speech says its quantities with 十/百/点 and units (一百二十, 三点二,
二十毫克), so a run of seven or more bare digits read one by one is a number someone is reading off a card.

A run is read as ASCII digits and typed by what it is: a valid 身份证号 (GB 11643 check character) is an ID_CARD,
a Luhn-valid 16–19 digit number a BANK_CARD, anything else a RECORD_ID (a mobile is left to ``phone.yaml``), or
the type a cue word just before it names (医保卡 → INSURANCE_ID, 身份证 → ID_CARD). Letters before the digits
(ZY, MZ, K, H) make a code of five digits or more. Groups joined by commas (the breaths of a reading) count only
when the whole validates or is long (nine digits or more), or a cue word stands before it: a list of small
numbers (一四零，九零) stays, and so does a number whose label names no person (批号, 型号, 验证码: the lists of
``data/number_labels.yaml``).
"""

from __future__ import annotations

import re
from functools import lru_cache

from yizhu.privacy.recognizer import Recognizer
from yizhu.privacy.recognizers._data import NumberLabelData, load_data
from yizhu.privacy.types import Entity, Explanation, PHIType
from yizhu.privacy.validators import cn_id, luhn

#: Chinese digits as they are read one by one (幺 is 1 in spoken numbers, 〇/○ the written zero).
_DIGITS = {"零": "0", "〇": "0", "○": "0", "幺": "1", "一": "1", "二": "2", "三": "3", "四": "4", "五": "5",
           "六": "6", "七": "7", "八": "8", "九": "9"}
_D = "零〇○幺一二三四五六七八九"
#: Letters of a code before the digits (ZY, MZ, K), a run of digits in groups, and the check character of a
#: 身份证号 read as X or 叉.
#: Between groups: a space, a comma, 、, a hyphen or 杠 (the hyphen said aloud), or the dots of a pause (……).
_SEP = "(?:[ ，,、\\-杠]|…{1,6}|\\.{3,6})"
_RUN = re.compile(
    f"(?<![A-Za-z0-9{_D}十百千万两第])"
    # letters, and digits already typed after them (ZY2024零三一八), before the spoken digits
    f"(?:(?P<pre>[A-Za-z]{{1,3}}[0-9]{{0,8}})(?:[ \\-杠]|[ ]?杠[ ]?)?)?"
    f"(?P<num>[{_D}](?:{_SEP}?[{_D}]){{2,24}}(?:[Xx叉])?)"
    # not the start of a quantity, a date, a time or an ordinal (二零二四年, 一二三四五六七八九十)
    f"(?![{_D}十百千万亿点年月日号岁天次个床楼层元块克毫升分秒度])"
    # nor a run cut short before more digits (一二三四五六七，八九十)
    f"(?!{_SEP}[{_D}])"
)
_QUICK = re.compile(f"[{_D}](?:{_SEP}?[{_D}]){{2}}")
_COMPACT_DATE = re.compile(r"(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])")
_MOBILE = re.compile(r"1[3-9]\d{9}")
_COMMA = re.compile(r"[，,、]")
#: Words naming the kind of number just before it (looked for in the few characters before the run), by type;
#: the nearest one wins. A number the checks recognise keeps the checked type.
_CUES: dict[str, tuple[str, ...]] = {
    PHIType.ID_CARD.value: ("身份证", "证件", "身份号"),
    PHIType.INSURANCE_ID.value: ("医保", "社保", "参保", "新农合", "保险", "保障卡"),
    PHIType.BANK_CARD.value: ("银行", "储蓄卡", "信用卡", "借记卡", "账号", "帐号"),
    PHIType.PHONE.value: ("电话", "座机", "手机"),
    PHIType.RECORD_ID.value: ("住院号", "门诊号", "病案号", "病历号", "就诊卡", "卡号", "编号", "ID", "腕带", "单子"),
}
_CUE_WINDOW = 24
_MIN_BARE = 7
_MIN_COMMA = 9
_MIN_CODE = 5


#: The type a cue word of ``_things`` stands for: the number read after it belongs to no person.
THING = "THING"


@lru_cache(maxsize=1)
def _things() -> tuple[str, ...]:
    """Labels of numbers that belong to no person (批号, 型号, 验证码, 机构编码 …), from ``data/number_labels.yaml``,
    less those a typed rule reads (床号, 电话号码, 邮政编码: a bed, a phone, a post code are PHI of their own)."""
    from yizhu.privacy.recognizers.number_label import _listed_labels

    listed = _listed_labels()
    data = load_data("number_labels.yaml", NumberLabelData)
    return tuple(w for group in data.not_a_person for w in group.labels if not w.isascii() and w not in listed)


#: What may stand between a label and the number it names directly (批号：…, 批号是 …, 批号记一下：…).
_ADJACENT = re.compile(r"(?:[\u4e00-\u9fff]{1,4}[:：])?[ \t\u3000:：#是为，,]{0,3}")


def cue_before(text: str, start: int) -> str | None:
    """The type named by the nearest cue word in the characters before ``start`` (same line), ``THING`` when
    the label of a number about no person stands right before it, or None."""
    line = text.rfind("\n", 0, start) + 1
    window = text[max(line, start - _CUE_WINDOW):start]
    best: tuple[int, int, str] | None = None  # (end, start, type) of the nearest cue
    thing: tuple[int, int] | None = None
    for typ, words in _CUES.items():
        for w in words:
            at = window.rfind(w)
            if at >= 0 and (best is None or at + len(w) > best[0]):
                best = (at + len(w), at, typ)
    for w in _things():
        at = window.rfind(w)
        if at >= 0 and (thing is None or at + len(w) > thing[0]):
            thing = (at + len(w), at)
    # a thing's label nearer than any cue, not overlapping one (电话号 inside 电话号码 is the phone's), and right
    # before the number (卡号尾号五零三零对吧，六二二七… names nothing with its 尾号)
    if thing is not None and (best is None or (thing[0] > best[0] and thing[1] >= best[0])):
        return THING if _ADJACENT.fullmatch(window, thing[0]) else None
    return None if best is None else best[2]


class SpokenNumberRecognizer(Recognizer):
    """Identifiers read aloud digit by digit in Chinese digits (身份证号, bank cards, record numbers, codes)."""

    name = "phi.spoken_numbers.v1"
    entity = PHIType.RECORD_ID.value
    description = "identifiers read aloud in Chinese digits (四四零三零四，一九九零…, ZY幺零八七六二三)"
    source = ("HIPAA Safe Harbor 45 CFR 164.514(b)(2)(i)(G)(I)(J)(R): record, health plan, account and other "
              "identifying numbers, however written; GB 11643-1999 and ISO/IEC 7812-1 checks")

    def __init__(self) -> None:
        super().__init__(())

    def extra(self, text: str) -> list[Entity]:
        if _QUICK.search(text) is None:  # no five digits read in a row: nothing to read
            return []
        out: list[Entity] = []
        for m in _RUN.finditer(text):
            raw = m.group("num")
            digits = "".join(_DIGITS.get(c, "X" if c in "Xx叉" else "") for c in raw)
            pre = m.group("pre")
            if digits.endswith("X") and (pre is not None or len(digits) != 18):
                continue  # an X or 叉 is only the check character of a 身份证号
            commas = bool(_COMMA.search(raw))
            s, e = m.span()
            cue = cue_before(text, s)
            typ: str | None = None
            score = 0.0
            # a checked number or a cue word gives the type, stronger than a label rule's RECORD_ID of the same run
            if pre is None and len(digits) == 18 and (cn_id(digits) or digits.endswith("X")):
                # seventeen digits and an X have no other reading, though a digit was misheard
                typ, score = PHIType.ID_CARD.value, 0.95
            elif pre is None and 16 <= len(digits) <= 19 and luhn(digits) and not commas:
                typ, score = PHIType.BANK_CARD.value, 0.95
            elif pre is None and len(digits) == 11 and _MOBILE.fullmatch(digits):
                continue  # a mobile read aloud: phone.yaml's mobile_spoken reads it
            elif cue == THING:
                continue  # a drug's batch, a product's model, a one-time code read aloud (批号二零二四零一零一)
            elif pre is not None and len(digits) + sum(c.isdigit() for c in pre) >= _MIN_CODE:
                typ, score = cue or PHIType.RECORD_ID.value, 0.8
            elif pre is None and cue is None and _COMPACT_DATE.fullmatch(digits):
                continue  # a date read digit by digit (一九八八零四一七) is a date, not a number of anyone
            elif pre is None and len(digits) >= _MIN_BARE and (not commas or len(digits) >= _MIN_COMMA or cue):
                typ = cue or PHIType.RECORD_ID.value
                score = 0.75 if typ == PHIType.RECORD_ID.value else 0.92
            if typ is None:
                continue
            note = f"read aloud as {digits if pre is None else pre + digits}"
            out.append(Entity(typ, s, e, text[s:e], self.name, score,
                              Explanation(self.name, "spoken", score, context_word=cue, note=note)))
        return out
