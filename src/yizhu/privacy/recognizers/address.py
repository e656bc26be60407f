"""Addresses: a chain of administrative, street and building parts, started by a place or a label.

An address starts at a known place name (province, city, district — ``data/places.yaml``) or after
an address label (现住址：, 家住). From there it runs over parts that each end in a unit word:
省/市/区/县/镇/村, 路/街/巷/弄, 小区/花园/大厦, 12号/3栋/2单元/501室. A province alone is not an
identifier (HIPAA keeps the state); anything below it is. A six-digit postcode written right after
an address is reported as POSTCODE.
"""

from __future__ import annotations

import re

from yizhu.privacy.recognizer import Pattern, Recognizer
from yizhu.privacy.recognizers._data import PlaceData, load_data
from yizhu.privacy.types import Entity, Explanation, PHIType

_BELOW_PROVINCE = re.compile(r"[市区县旗盟州镇乡村路街道巷弄号室栋幢组屯]")
_POSTCODE_AFTER = re.compile(r"[ \t\u3000,，]{0,2}(?:邮编[:：]?\s*)?(?P<pc>[1-8]\d{5})(?![0-9])")


def chain_regex(nonplace: str) -> str:
    """The regex of one address part, repeated; ``nonplace`` characters end a part."""
    cjk = f"(?:(?![{re.escape(nonplace)}])[\u4e00-\u9fff])"
    num = "(?:\\d+|[一二三四五六七八九十百零〇]+)"
    admin = (
        "(?:特别行政区|自治区|自治州|自治县|自治旗|经济技术开发区|开发区|高新区|新区|省|市|区|县|旗|盟|州|镇|乡|"
        "街道|村|社区|嘎查|苏木|组|屯)"
    )
    street = "(?:大道|大街|胡同|路|街|巷|弄|里|道)(?:[东西南北中]段)?"
    estate = "(?:小区|花园|公寓|大厦|广场|家园|新村|新城|苑|园|庭|府|湾|城|大楼|宿舍)"
    unit = "(?:号院|号楼|号|栋|幢|座|单元|层|楼|室|户|弄|巷|组|排|期|区|门)"
    part = (
        f"(?:{cjk}{{0,8}}?{admin}"
        f"|{cjk}{{0,10}}?{street}(?:{num}(?:号院|号楼|号|弄|巷))?"
        f"|{cjk}{{0,8}}?{estate}"
        f"|[A-Za-z]?{num}(?:[-－—]{num})*[A-Za-z]?{unit}"
        f"|[A-Za-z]{unit}"
        f"|\\d+(?:[-－]\\d+){{1,3}}(?![0-9]))"
    )
    return f"(?:[ \\u3000]?{part})"


class AddressRecognizer(Recognizer):
    """Street addresses and place names below the province level."""

    name = "phi.address.v1"
    entity = PHIType.ADDRESS.value
    description = "addresses: province/city/district/street/building/room chains"

    def __init__(self, data: PlaceData | None = None) -> None:
        d = data or load_data("places.yaml", PlaceData)
        self.data = d
        self.source = d.source
        part = chain_regex(d.nonplace_chars)
        places = tuple(dict.fromkeys([*d.provinces, *d.cities, *d.districts]))
        patterns = [
            Pattern(
                "place",
                f"(?:特别行政区|自治区|省|市|区|县|大街|大道|路|街)?{part}{{0,12}}",
                0.8,
                labels=places,
                include_label=True,
            ),
            Pattern("labelled", f"\\s*[:：]?\\s*(?P<phi>{part}{{1,12}})", 0.9, labels=tuple(d.labels)),
        ]
        super().__init__(patterns)
        self._generic = set(d.generic_values)
        self._labels = set(d.labels)

    def adjust(self, text: str, start: int, end: int, pattern: Pattern) -> tuple[int, int] | None:
        """Keep addresses below the province level; drop generic values (农村, 本地)."""
        while end > start and text[end - 1] in " \u3000":
            end -= 1
        value = text[start:end]
        if value in self._generic or len(value) < 2:
            return None
        if pattern.name == "place":
            if not _BELOW_PROVINCE.search(value, 1) or value.endswith(("省", "自治区", "特别行政区")):
                return None
        return start, end

    def refine(self, text: str, found: list[Entity]) -> list[Entity]:
        """Report a postcode that directly follows a found address."""
        out = list(found)
        for e in found:
            m = _POSTCODE_AFTER.match(text, e.end)
            if m is None:
                continue
            s, t = m.span("pc")
            out.append(
                Entity(
                    type=PHIType.POSTCODE.value,
                    start=s,
                    end=t,
                    text=text[s:t],
                    recognizer=self.name,
                    score=0.8,
                    explanation=Explanation(self.name, "postcode_after_address", 0.8, note="six digits after an address"),
                )
            )
        return out
