"""Addresses: a chain of administrative, street and building parts, started by a place or a label.

An address starts at a known place name (province, city, district — ``data/places.yaml``) or after
an address label (现住址：, 家住). Place names are not scanned for directly (hundreds of words would
slow the label scan down); the scan looks for the few unit words 省/市/区/县 … and checks whether a
known place name ends right before one. From the start an address runs over parts that each end
in a unit word:
省/市/区/县/镇/村, 路/街/巷/弄, 小区/花园/大厦, 12号/3栋/2单元/501室. A province alone is not an
identifier (HIPAA keeps the state); anything below it is. A six-digit postcode written right after
an address is reported as POSTCODE.
"""

from __future__ import annotations

import re

from yizhu.privacy.recognizer import Pattern, Recognizer
from yizhu.privacy.recognizers._data import OrgData, PlaceData, load_data
from yizhu.privacy.types import Entity, Explanation, PHIType

#: Unit words that follow a place name; the label scan looks for these, not for the names.
_UNIT_WORDS = ("省", "市", "区", "县", "自治区", "自治州", "自治县", "特别行政区", "盟", "旗", "镇", "乡")
_BELOW_PROVINCE = re.compile(r"[市区县旗盟州镇乡村路街道巷弄号室栋幢组屯]")
#: Characters that cannot be part of an estate or building name (they start clinical phrases).
_NAMED_STOP = "患者的了是无与及并等为系男女岁热痛咳伴查示诉其该此我你他她请嘱予给因于在床"
_POSTCODE_AFTER = re.compile(r"[ \t\u3000,，]{0,2}(?:邮编[:：]?\s*)?(?P<pc>[1-8]\d{5})(?![0-9])")


#: Characters that end a township-and-village part (its names may hold any other character: 娘热乡).
_TOWNSHIP_STOP = "的了是在于和与及并等我你他她住到去从回往患者诉因为系，。"
#: Characters of ``nonplace_chars`` that also stand in county and banner names (于都县, 于田县, 科尔沁右翼前旗,
#: 行唐县, 经棚镇): allowed inside a part that ends in an administrative unit word.
_IN_ADMIN_NAMES = "于科行经"
#: Last characters of a labelled value of places alone (no street, no number), which may open an institution's name.
_OPENS_ORG = frozenset("市区县镇乡旗")


def chain_regex(nonplace: str) -> str:
    """The regex of one address part, repeated; ``nonplace`` characters end a part."""
    cjk = f"(?:(?![{re.escape(nonplace)}])[\u4e00-\u9fff])"
    strict = "".join(c for c in nonplace if c not in _IN_ADMIN_NAMES)
    admin_cjk = f"(?:(?![{re.escape(strict)}])[\u4e00-\u9fff])"
    num = "(?:\\d+|[一二三四五六七八九十百零〇]+)"
    admin = (
        "(?:特别行政区|自治区|自治州|自治县|自治旗|经济技术开发区|开发区|高新区|新区|省|市|区|县|旗|盟|州|镇|乡|"
        "街道|村|社区|嘎查|苏木|组|屯|农场|牧场|林场|[农第][一二三四五六七八九十]{1,3}师)"
    )
    street = "(?:大道|大街|胡同|路|街|巷|弄|里|道)(?:[东西南北中]段)?"
    estate = "(?:小区|花园|公寓|大厦|广场|家园|新村|新城|出租屋|苑|园|庭|府|湾|城|大楼|宿舍)"
    # 社, 队, 小队 (村民小组 in Sichuan and Xinjiang), 团 and 连 (兵团 farms: 121团3连), 师 only numbered
    unit = "(?:号院|号楼|号|栋|幢|座|单元|层|楼|室|房|户|弄|巷|组|排|期|区|门|社|小队|队|团|连|师|村)"
    # an estate or building name of any characters (万科城, 华润中心) when a building number follows it
    named = (
        f"(?:(?![{_NAMED_STOP}])[\u4e00-\u9fff]){{1,12}}?"
        "(?=[A-Za-z]?\\d{1,5}(?:号楼|号院|栋|幢|座|单元|弄|号(?![床码])|室|房)|[A-Za-z](?:座|栋|幢|单元|区))"
    )
    # a township and its village told together (娘热乡加尔西村, 石门镇下马村): the two unit words vouch for the names
    # between them, which may hold characters that end other parts (热 of 娘热乡)
    loose = f"(?:(?![{re.escape(_TOWNSHIP_STOP)}])[\u4e00-\u9fff])"
    part = (
        f"(?:{loose}{{1,5}}?(?:乡|镇|街道){loose}{{1,6}}?(?:村|社区|嘎查)"
        f"|{admin_cjk}{{0,8}}?{admin}"
        f"|{named}"
        f"|{cjk}{{0,10}}?{street}(?:{num}(?:号院|号楼|号|弄|巷))?"
        f"|{cjk}{{0,8}}?{estate}"
        f"|[A-Za-z]?{num}(?:[-－—]{num})*[A-Za-z]?{unit}"
        f"|[A-Za-z]{unit}"
        "|[东西南北中](?:单元|座|门)"
        # a room number after the building, with a unit letter (7栋15C, 2单元1102B)
        f"|(?<=[座栋幢元层楼门屋])\\d{{2,5}}[A-Za-z]?(?![0-9A-Za-z号])"
        # a room number or a side room right after the house number (12号701, 17号后厢房, 32号西厢)
        "|(?<=号)(?:\\d{3,4}(?![0-9号床天日月年岁次个])|[东西南北前后][厢屋]房?)"
        f"|(?:与|和){cjk}{{1,8}}?{street}"
        "|(?:交叉口|交汇处|十字路口|路口|转角|附近|对面|旁边|旁)(?:[东西南北]{1,2}侧?(?:\\d+米)?|旁)?"
        # a house in a village told by where it stands (四屯东头第二家, 村口第三户)
        "|(?<=[村屯组])(?:[东西南北]头|村口|村头|村尾)(?:第[一二三四五六七八九十0-9]{1,3}[家户])?"
        f"|\\d+(?:[-－]\\d+){{1,3}}(?![0-9]))"
    )
    return f"(?:[ \\u3000]?{part})"


_BUILDING = frozenset({"building_room", "unit_room", "room"})
#: Characters that end an estate name read leftwards from a building number (住万科城10栋: not 住).
_ESTATE_STOP = _NAMED_STOP + "住在至到去从回往"
#: Longest estate or building name taken in before a bare building number.
_ESTATE_MAX = 10
#: Unit words of a rural hierarchy whose place name is in no list (青山县石门镇杨柳村四组27号, 锡林郭勒盟阿巴嘎旗
#: …嘎查3组, 墨玉县喀尔赛乡…村): the chain is taken when it holds three administrative levels, or two and a number.
_RURAL_UNITS = ("县", "旗", "盟", "镇", "乡", "苏木", "区", "市", "街道")
#: An unlisted district or city (青山区, 滨江市) starts an address only before a street and a house number.
_URBAN_UNITS = frozenset("区市")
_STREET_NUMBER = re.compile("(?:路|街|巷|弄|道)[0-9一二三四五六七八九十]+(?:号|弄)")
_STREET_NEAR = re.compile("[路街巷弄道][0-9一二三四五六七八九十]")
_RURAL_LEVELS = re.compile("自治县|自治旗|县|旗|盟|镇|乡|苏木|街道|村|嘎查|社区|组|屯")
#: Characters that end the (unlisted) place name read leftwards from its unit word (住青山县: not 住).
_RURAL_STOP = _ESTATE_STOP + "到来去往回自由向和或俺咱您们县市区省旗盟镇乡村组"
#: Longest unlisted place name read leftwards (锡林郭勒盟: 4; 5 for transliterated banner names).
_RURAL_NAME_MAX = 5
#: Unit words of the levels that may stand right before a rural chain and join it.
_UNITS_BEFORE = frozenset("区县市旗")
_HAS_DIGIT = re.compile("[0-9一二三四五六七八九十]")
#: A chain of two levels ending in a village (喀尔赛乡巴什村, 索伦镇宝力格嘎查) is an address when the name
#: before the first unit word has two characters or more (城乡村 is not).
_VILLAGE_END = re.compile("[\u4e00-\u9fff](?:村|嘎查|屯|社区)$")


def _units_before(text: str, start: int) -> int:
    """Take in the unlisted district, county or city names (two to four characters and their unit word) written
    right before an accepted rural chain (金山区朱泾镇秀州村7组: the chain starts at 朱泾镇, 金山区 joins it); a
    province is not taken in (policy: a province alone is kept), nor an autonomous region."""
    for _ in range(2):
        if start < 3 or text[start - 1] not in _UNITS_BEFORE or text.endswith("自治区", 0, start):
            break
        s = start - 1
        while s > 0 and start - 1 - s < 4 and "\u4e00" <= text[s - 1] <= "\u9fff" and text[s - 1] not in _RURAL_STOP:
            s -= 1
        if start - 1 - s < 2:
            break
        start = s
    return start


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
        self._places = frozenset([*d.provinces, *d.cities, *d.districts])
        self._place_lengths = sorted({len(p) for p in self._places}, reverse=True)
        self._chain = re.compile(f"{part}{{0,12}}")
        patterns = [
            Pattern(
                "place",
                "",
                0.8,
                labels=_UNIT_WORDS,
                label_position="after",
                include_label=True,
                locate=self._locate,
                adjacent=frozenset(x[-1] for x in self._places),
            ),
            Pattern("rural", "", 0.8, labels=_RURAL_UNITS, label_position="after", include_label=True,
                    locate=self._locate_rural),
            Pattern("labelled", f"\\s*[:：]?\\s*(?P<phi>{part}{{1,12}})", 0.9, labels=tuple(d.labels)),
            # building, unit and room numbers without the rest of the address (10栋1834室, 1502室)
            Pattern("building_room", "[0-9]\\d{0,2}(?:号楼|栋|幢|座|号院)(?:\\d{1,2}单元)?(?:\\d{1,2}(?:层|楼))?"
                    "\\d{2,5}(?:室|号|房)?(?![0-9A-Za-z])", 0.8, first="[0-9]", not_after="[0-9A-Za-z]"),
            Pattern("unit_room", "[0-9]\\d?单元\\d{2,5}(?:室|号|房)", 0.8, first="[0-9]", not_after="[0-9A-Za-z]"),
            Pattern("room", "[0-9]\\d{2,4}[ \\t]?室(?![间性上内壁])", 0.75, first="[0-9]", not_after="[0-9A-Za-z\\-－]"),
        ]
        super().__init__(patterns)
        self._generic = set(d.generic_values)
        # provinces and autonomous regions, not the four municipalities, whose name is also a city's (北京市)
        cities = tuple(p[:-1] for p in d.provinces if p.endswith("市"))
        self._provinces = frozenset(p for p in d.provinces if not p.startswith(cities))
        self._labels = set(d.labels)
        suffixes = sorted(load_data("org.yaml", OrgData).suffixes, key=len, reverse=True)
        self._org_after = re.compile("[\u4e00-\u9fff0-9]{0,12}?(?:" + "|".join(map(re.escape, suffixes)) + ")")

    def _with_estate(self, text: str, e: Entity) -> Entity:
        start = e.start
        while (
            start > 0 and e.start - start < _ESTATE_MAX and "\u4e00" <= text[start - 1] <= "\u9fff"
            and text[start - 1] not in _ESTATE_STOP
        ):
            start -= 1
        if start == e.start:
            return e
        return e._replace(start=start, text=text[start:e.end],
                          explanation=e.explanation._replace(note="estate name before the building number"))

    def _locate(self, text: str, p: int, q: int) -> tuple[int, int] | None:
        """From a unit word at [p, q): the known place name ending at p, then the parts after q."""
        for n in self._place_lengths:
            if n <= p and text[p - n:p] in self._places:
                start = p - n
                break
        else:
            return None
        m = self._chain.match(text, q)
        return start, m.end() if m else q

    def _locate_rural(self, text: str, p: int, q: int) -> tuple[int, int] | None:
        """From a county, banner, league, town or township word at [p, q) whose name is in no list: the name
        (one to five Chinese characters back to a stop character) and the parts after it, when the whole
        holds three administrative levels (X县X镇X村), two and a number (X镇X村4组, X旗X嘎查3组), or two ending
        in a village after a name of two characters or more (喀尔赛乡巴什村); or any unit word (also an unlisted
        district or city) before a street and a house number (石门镇解放街12号, 青山区长虹路88号)."""
        urban = text[p:q] in _URBAN_UNITS
        if urban and _STREET_NEAR.search(text, q, q + 24) is None:
            return None
        start = p
        while (
            start > 0 and p - start < _RURAL_NAME_MAX and "\u4e00" <= text[start - 1] <= "\u9fff"
            and text[start - 1] not in _RURAL_STOP
        ):
            start -= 1
        if start == p:
            return None
        m = self._chain.match(text, q)
        if m is None or m.end() == q:
            return None
        tail = text[q:m.end()]
        if _STREET_NUMBER.search(tail):
            return _units_before(text, start), m.end()
        if urban:
            return None
        levels = 1 + len(_RURAL_LEVELS.findall(tail))
        if levels >= 3 or (levels == 2 and (_HAS_DIGIT.search(tail) or (p - start >= 2 and _VILLAGE_END.search(tail)))):
            return _units_before(text, start), m.end()
        return None

    def adjust(self, text: str, start: int, end: int, pattern: Pattern) -> tuple[int, int] | None:
        """Keep addresses below the province level; drop generic values (农村, 本地)."""
        while end > start and text[end - 1] in " \u3000":
            end -= 1
        value = text[start:end]
        if value in self._generic or len(value) < 2:
            return None
        if value in self._provinces and not ("\u4e00" <= text[end:end + 1] <= "\u9fff"):
            # a province alone is kept, after a label too (出生地：内蒙古自治区, 就医地：浙江省); before a city it
            # stays part of the address (住址：江苏省无锡市…, where the chain goes on in the place rule)
            return None
        if pattern.name == "labelled" and value[-1] in _OPENS_ORG and self._org_after.match(text, end):
            # places alone that open an institution's name (工作单位及地址 北京市海淀区实验小学): the name is the ORG's;
            # an address with a street or number stays an address whatever follows it
            return None
        if pattern.name == "place" and (
            not _BELOW_PROVINCE.search(value, 1) or value.endswith(("省", "自治区", "特别行政区"))
        ):
            return None
        return start, end

    def refine(self, text: str, found: list[Entity]) -> list[Entity]:
        """Take in the estate name before a bare building number (万科城10栋1834室); report a postcode
        that directly follows a found address."""
        found = [self._with_estate(text, e) if e.explanation.pattern in _BUILDING else e for e in found]
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
