"""Identifiers written in part: a value already starred out in the middle after its label (住院号：ZY****3318,
医保卡号：4101******2259, 联系电话：138****6702), and the last digits of a number named as such (身份证后四位：4711,
尾号是2690的手机, 卡号末四位 0917).

A printed form, a message or a copy for the patient often hides the middle of a number; what is left (a prefix and
the last four digits) still narrows the person down, and a note that quotes it repeats it. The typed rules read
whole values, so a starred value after an identifier's label, and the last digits after a word that says they are
the last digits of a person's number, are taken here with the label's type. Stars alone (住院号：******), a starred
word (内分泌科**床) and last digits of a thing's code (验证码后四位, 取件码尾号, 订单尾号, 车尾号限行) stay.
"""

from __future__ import annotations

import re

from yizhu.privacy.recognizer import Recognizer
from yizhu.privacy.types import Entity, Explanation, PHIType

#: Labels of a person's number and the type a value after them takes (longest first in the alternation).
_LABELS = {
    PHIType.RECORD_ID: ("住院号码", "住院号", "门诊号", "急诊号", "病案号", "病历号", "就诊卡号", "就诊号", "登记号", "检查号",
                        "档案号", "ID号", "患者ID", "病人ID"),
    PHIType.INSURANCE_ID: ("医保卡号", "医保号", "医保编号", "社保卡号", "社保号", "社会保障卡号", "医疗保险号"),
    PHIType.ID_CARD: ("身份证号码", "身份证号", "身份证", "公民身份号码", "证件号码", "证件号", "护照号码", "护照号"),
    PHIType.PHONE: ("联系电话", "电话号码", "手机号码", "手机号", "电话", "手机", "联系方式"),
    PHIType.BANK_CARD: ("银行卡号", "银行账号", "卡号", "账号"),
}
_TYPE = {label: typ.value for typ, labels in _LABELS.items() for label in labels}
_ALT = "|".join(sorted(map(re.escape, _TYPE), key=len, reverse=True))
_SEP = r"[ \t\u3000]*(?:[:：]|(?:是|为)[ \t\u3000]*[:：]?)?[ \t\u3000]*"
#: A value with its middle starred: letters and digits, then two stars or more, then letters and digits.
_STARRED = re.compile(
    rf"(?P<label>{_ALT}){_SEP}(?P<phi>[A-Za-z0-9]{{0,8}}[*＊]{{2,16}}[0-9A-Za-z]{{1,8}})(?![0-9A-Za-z*＊])")
#: The last digits of a number: (身份证|手机|卡号…)(的)?后/末N位, or 尾号; then four to six digits (an ID's may end in X).
_TAIL_WORD = r"(?:(?:后|末|最后)(?:[四五六4-6])位(?:数字|数|号码?)?|尾号)"
_TAIL = re.compile(
    rf"(?P<label>(?:{_ALT}|证件|卡|身份证号?)?(?:的)?){_TAIL_WORD}{_SEP}"
    r"(?P<phi>\d{3,5}[\dXx])(?![0-9A-Za-z]|[ \t\u3000]?(?:元|块|次|天|个|号|位|分|%))")
#: Things whose last digits a note quotes: a code, an order, a parcel, a car's restriction by its plate's last digit.
_THING_BEFORE = re.compile(r"(?:验证码|校验码|取件码|取货码|订单号?|快递单?号?|运单号?|单号|批号|车|发票号?|流水号?)(?:的)?\Z")
#: After the digits, a word saying whose number they end: 尾号是2690的手机.
_OWNER_AFTER = re.compile(r"[ \t\u3000]*(?:的)?(?:手机|电话|号码|身份证|银行卡|卡)")
_SCORE = 0.85


class PartialIdentifierRecognizer(Recognizer):
    """A starred value after an identifier's label; the last digits of a person's number named as such."""

    name = "phi.partial_ids.v1"
    entity = PHIType.RECORD_ID.value
    description = "identifiers written in part: starred in the middle after a label, or their last digits named"
    source = ("HIPAA Safe Harbor 45 CFR 164.514(b)(2)(i): a part of an identifying number still identifies; the "
              "Safe Harbor list covers numbers, not only whole ones")

    def __init__(self) -> None:
        super().__init__(())

    def extra(self, text: str) -> list[Entity]:
        out: list[Entity] = []
        for m in _STARRED.finditer(text):
            s, e = m.span("phi")
            value = m.group("phi")
            if sum(c.isalnum() for c in value) < 3:
                continue
            typ = _TYPE[m.group("label")]
            out.append(self._entity(typ, s, e, value, "starred", m.group("label")))
        for m in _TAIL.finditer(text):
            s, e = m.span("phi")
            label = m.group("label").removesuffix("的")
            if _THING_BEFORE.search(text, max(0, m.start() - 6), m.start()) and not label:
                continue
            typ = self._tail_type(label, text, e)
            if typ is None:
                continue
            out.append(self._entity(typ, s, e, m.group("phi"), "last_digits", label or "尾号"))
        return out

    @staticmethod
    def _tail_type(label: str, text: str, end: int) -> str | None:
        """The type of last digits: the label's, else the owner word after them (尾号是2690的手机), else a phone's
        when a phone or call is near before; None when nothing says whose number they end."""
        if label in _TYPE:
            return _TYPE[label]
        if label.startswith(("身份证", "证件")):
            return PHIType.ID_CARD.value
        if label == "卡":
            return PHIType.BANK_CARD.value
        after = _OWNER_AFTER.match(text, end)
        if after:
            word = after.group()
            if "身份证" in word:
                return PHIType.ID_CARD.value
            if "卡" in word:
                return PHIType.BANK_CARD.value
            return PHIType.PHONE.value
        if re.search(r"手机|电话|来电|号码", text[max(0, end - 30):end]):
            return PHIType.PHONE.value
        return None

    def _entity(self, typ: str, s: int, e: int, value: str, kind: str, label: str) -> Entity:
        return Entity(typ, s, e, value, self.name, _SCORE,
                      Explanation(self.name, kind, _SCORE, context_word=label,
                                  note="a starred value after its label" if kind == "starred"
                                  else "the last digits of a person's number"))
