"""A bed written with where it stands: a ward area, a room or a monitored unit glued before the number (北八区20床,
心内二病区28床 → 二病区28床, 妇二区32床, 抢救室3床, 急诊留观走廊12号床, 母婴同室18床, 胸外二病区加床4, NICU 2床, 透析8床),
and a unit's bed written as the unit and a number with no 床 (ICU-05, NICU-3, OICU-2, 创伤ICU-05, ICU-加01).

The rules of ``bed.yaml`` read the number alone (20床, 加床4, 3床); the writers of the development corpora (dev8, dev9)
mark the area, room or unit with it, and an ICU bed code with no 床 is the bed itself. So the area, room or unit
joins the bed's span, and a unit's code is a bed. The department is not joined (骨科11床 leaves 骨科, 心内二病区28床
leaves 心内, 急诊科留观6床 leaves 急诊科): a department names no patient, and the older corpora keep it as a term that
must survive even when glued to the bed ({{泌外}}1-07床, {{血液科}}3-12床). One character of a ward before its
number (产12床, 妇二区32床, 骨三病区加12床) is joined when no other character stands before it (患儿3床 leaves 患儿).
A ward written apart from the bed by a space (神经内科三病区　22床) is a separate field and stays, as does a unit's
number that counts or lasts (ICU 3天, 转入ICU 2例, ICU 12份).
"""

from __future__ import annotations

import re

from yizhu.privacy.recognizer import Recognizer
from yizhu.privacy.types import Entity, Explanation, PHIType

_NUM = "[一二三四五六七八九十0-9]"
#: A one-character ward before its number or area (产12床, 妇二区32床, 骨三病区加12床), not the end of a word (患儿3床).
_ONE = f"(?<![\\u4e00-\\u9fff])[产妇骨]{_NUM}?"
#: A numbered ward area (二病区, 北八区, 2病区, A区), a ward's own name (安宁病区) or a room's number (3病房2床, 503房2床).
_AREA = (f"(?:(?:[东南西北]?{_NUM}{{1,2}}|[东南西北]|[A-H]|安宁|干部|特需|VIP)(?:病区|区)|(?<![\\u4e00-\\u9fff])病区"
         f"|(?<![0-9])\\d{{1,4}}号?(?:病房|房间?|室))")
#: A room of beds: 抢救(室), 留观, 走廊, 母婴同室, 产房, 待产室, a dialysis station (透析8床).
_ROOM = "(?:急诊(?!科)|抢救(?:室|区)?|产房|待产室|分娩室|产休室|留观(?:室|区)?|观察室|监护室|母婴同室|隔离(?:病?房|间)|负压病房|走廊|过道|透析)"
_UNIT = "(?:创伤)?(?:[A-Z]{0,2}ICU|CCU)"
_WARD = f"(?:{_ONE})?(?:{_AREA})?(?:{_ROOM}){{0,3}}(?:{_UNIT}[ \\t\\u3000]?)?"
_AFTER = r"(?![位单]|头柜|上用品)"
#: The bed after its ward, glued to it: 12床, 12号床, 加6床, 7-16床, 加床4, a starred bed (**床).
_BED = (rf"(?:加?\d{{1,3}}(?:[-－]\d{{1,2}})?号?床{_AFTER}|加床\d{{1,2}}号?(?![0-9.])|\*{{1,3}}号?床{_AFTER})")
#: A bed named by its kind before its number (层流床3, 抢救床2号, 临时床位3, 走廊临时床2): the kind is the ward.
_KIND_BED = (r"(?:走廊)?(?:层流|抢救|监护|隔离|负压|观察|留观|临时)床位?[ \t\u3000]?\d{1,2}号?"
             r"(?![0-9.]|[ \t\u3000]?(?:天|日|月|年|周|次|个|人|名|位|例|张|台|元|岁|小时|分|h|d|%))")
#: A unit's bed with no 床 (ICU-05, NICU-3, ICU-加01), not a stay or a count (ICU 3天, 转入ICU 2例, ICU 12份), or with it (CCU-3床).
_UNIT_BED = (rf"[-－ ]?加?\d{{1,3}}(?:号?床{_AFTER}|(?![0-9.]|[ \t\u3000]?(?:天|日|月|年|周|次|个|人|名|位|例|张|元|岁|"
             r"小时|分|份|盒|瓶|支|袋|台|项|组|批|间|床位|h|d|%)))")
_RX = re.compile(f"(?P<ward>{_WARD})(?P<bed>{_BED})|(?P<unit>(?:{_ROOM})?{_UNIT}){_UNIT_BED}|(?P<kind>{_KIND_BED})")
#: A Latin letter or digit before a unit or bed makes it part of something else (a model, a code).
_NOT_AFTER = re.compile(r"[0-9A-Za-z\-]")
#: What ``bed.yaml`` reads whole already (ICU-7床, CCU3床, 留观7床; a unit's code after 床号：): left to it.
_YAML_READS = re.compile(r"[A-Z]{1,5}[-－ ]?\d{1,3}[ \t\u3000]?号?床|留观\d{1,3}[ \t\u3000]?床")
_LABEL_READS = re.compile(r"[A-Za-z]{1,4}[-－]?\d{1,3}")
_BED_LABEL = re.compile(r"(?:床号|床位号|床位)[ \t\u3000]*(?:[:：|｜]|是|为)?[ \t\u3000]*\Z")
_SCORE = 0.9


class WardBedRecognizer(Recognizer):
    """A bed with its area, room or unit before it (北八区20床, 抢救室3床) and a unit's bed code (ICU-05, NICU-3)."""

    name = "phi.ward_beds.v1"
    entity = PHIType.BED.value
    description = "a bed with its ward area, room or unit before the number (二病区28床, 抢救室3床, ICU-05)"
    source = ("HIPAA Safe Harbor 45 CFR 164.514(b)(2)(i)(R) any other unique identifying number; a ward and bed "
              "number identify an inpatient")

    def __init__(self) -> None:
        super().__init__(())

    def extra(self, text: str) -> list[Entity]:
        out: list[Entity] = []
        for m in _RX.finditer(text):
            if (m.group("ward") == "" and not m.group("bed").startswith("*")) or (m.start() and _NOT_AFTER.match(text, m.start() - 1)):
                continue
            s, e = m.span()
            if _YAML_READS.fullmatch(m.group()) or (
                    _LABEL_READS.fullmatch(m.group()) and _BED_LABEL.search(text, max(0, s - 8), s)):
                continue
            note = ("a bed with its area, room or unit" if m.group("bed") is not None
                    else "a unit's bed code" if m.group("unit") is not None else "a bed named by its kind")
            out.append(Entity(self.entity, s, e, m.group(), self.name, _SCORE,
                              Explanation(self.name, "ward_bed", _SCORE, note=note)))
        return out
