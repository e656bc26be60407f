"""Realistic replacement values: same input, same patient, same surrogate.

A surrogate is drawn from a random generator seeded with HMAC(secret, patient, type, value), so
it is stable across calls and processes without storing anything, and unguessable without the
secret. Surrogates keep the shape of what they replace (a mobile stays a valid-looking mobile
with the same separators, an 18-digit 身份证号 keeps a valid check character and the patient's
shifted birth date, a bank card passes Luhn), so a model reads coherent text. Dates are not
drawn: they are shifted by the patient's offset (:mod:`yizhu.privacy.dates`).
"""

from __future__ import annotations

import random
import re
import threading
from datetime import date, timedelta
from typing import TYPE_CHECKING

from yizhu.privacy.dates import shift_date_text
from yizhu.privacy.keys import derive, keyed_int
from yizhu.privacy.recognizers._data import PlaceData, load_data
from yizhu.privacy.types import PHIType
from yizhu.privacy.validators import cn_id_check_char, luhn_check_digit

if TYPE_CHECKING:
    from faker import Faker

_COMPOUND = ("欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "令狐", "慕容", "司徒", "夏侯", "公孙", "端木", "尉迟", "长孙")
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔汤"
_GIVEN = "伟强磊洋勇军杰涛超明刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林欢佳阳芳娜敏静丽艳娟霞燕玲丹萍红英梅莉婷晶颖雪慧倩琴云洁琳璐瑶怡欣悦涵萱雨嘉思"
_AREA_3 = ("010", "020", "021", "022", "023", "024", "025", "027", "028", "029")
_AREA_4 = ("0311", "0351", "0371", "0411", "0431", "0451", "0531", "0551", "0571", "0574", "0591", "0731", "0755",
           "0771", "0791", "0851", "0871", "0898", "0931", "0951", "0991")
_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁苏浙赣鄂桂甘晋蒙陕吉闽贵粤青川宁琼"
_ORG_KINDS = ("医院", "卫生院", "保健院", "诊所", "门诊部", "中心", "公司", "集团", "大学", "学院", "中学", "小学",
              "幼儿园", "研究所", "研究院", "银行")
_SPACES = re.compile(r"[\s\-]")


def normalize(entity_type: str, value: str) -> str:
    """The form two mentions must share to get the same surrogate (13812345678 = 138-1234-5678)."""
    if entity_type in (PHIType.PHONE, PHIType.BANK_CARD, PHIType.ID_CARD, PHIType.RECORD_ID, PHIType.INSURANCE_ID):
        return _SPACES.sub("", value).upper()
    if entity_type == PHIType.BED:
        return value.strip().removesuffix("床").strip()
    return value.strip()


class SurrogateFactory:
    """Deterministic, shape-keeping surrogates for every PHI type."""

    def __init__(self, secret: bytes) -> None:
        from faker import Faker  # imported here: slow to import, only surrogate mode needs it

        self._key = derive(secret, "yizhu.deid.surrogate.v1")
        self._faker = Faker("zh_CN")
        self._lock = threading.RLock()

    def rng(self, patient_key: str, entity_type: str, value: str, attempt: int = 0) -> random.Random:
        """The generator for one (patient, type, value, attempt)."""
        seed = keyed_int(self._key, patient_key, entity_type, normalize(entity_type, value), str(attempt))
        return random.Random(seed)

    def make(self, entity_type: str, value: str, patient_key: str, *, date_offset: int, attempt: int = 0) -> str:
        """A surrogate for ``value``; ``attempt`` > 0 draws an alternative after a collision."""
        if entity_type in (PHIType.DATE, PHIType.TIME):
            return shift_date_text(value, date_offset)
        rng = self.rng(patient_key, entity_type, value, attempt)
        maker = getattr(self, f"_{entity_type.lower()}", None)
        with self._lock:  # Faker is re-seeded per value: one draw at a time (API routes run in threads)
            out = maker(value, rng, date_offset) if maker else _reshape(value, rng)
        if out == value:  # never hand back the original
            return self.make(entity_type, value, patient_key, date_offset=date_offset, attempt=attempt + 1)
        return out

    def conform(self, entity_type: str, original: str, surrogate: str) -> str:
        """A known surrogate written in the shape of this mention (138-1234-5678 vs 13812345678, 12床 vs 12)."""
        if entity_type in (PHIType.PHONE, PHIType.BANK_CARD, PHIType.ID_CARD):
            digits = "".join(c for c in surrogate if c.isalnum())
            if sum(c.isalnum() for c in original) == len(digits):
                it = iter(digits)
                return "".join(next(it) if c.isalnum() else c for c in original)
        if entity_type == PHIType.BED:
            core = surrogate.removesuffix("床")
            return core + "床" if original.endswith("床") else core
        return surrogate

    # ---------------------------------------------------------------- per type
    def _fake(self, rng: random.Random) -> Faker:
        self._faker.seed_instance(rng.getrandbits(32))
        return self._faker

    def _person(self, value: str, rng: random.Random, _offset: int) -> str:
        compound = value[:2] in _COMPOUND
        surname = rng.choice(_COMPOUND) if compound else rng.choice(_SURNAMES)
        given_len = max(0, len(value) - (2 if compound else 1))
        return surname + "".join(rng.choice(_GIVEN) for _ in range(min(given_len, 2)))

    def _id_card(self, value: str, rng: random.Random, offset: int) -> str:
        v = _SPACES.sub("", value).upper()
        area = f"{rng.choice((11, 12, 13, 31, 32, 33, 35, 37, 41, 42, 43, 44, 50, 51, 61))}{rng.randint(1, 9):02d}{rng.randint(1, 29):02d}"
        birth = _birth_of(v)
        birth = birth + timedelta(days=offset) if birth else date(1950, 1, 1) + timedelta(days=rng.randint(0, 25000))
        sex_digit = int(v[16]) if len(v) == 18 and v[16].isdigit() else (int(v[14]) if len(v) == 15 else 1)
        seq = f"{rng.randint(0, 99):02d}{rng.choice('13579' if sex_digit % 2 else '02468')}"
        if len(v) == 15:
            return f"{area}{birth:%y%m%d}{seq}"
        body = f"{area}{birth:%Y%m%d}{seq}"
        return body + cn_id_check_char(body)

    def _phone(self, value: str, rng: random.Random, _offset: int) -> str:
        digits = [c for c in value if c.isdigit()]
        d = "".join(digits)
        core = d[2:] if d.startswith("86") and len(d) == 13 else (d[4:] if d.startswith("0086") else d)
        if len(core) == 11 and core[0] == "1":
            new = "1" + rng.choice("3456789") + "".join(rng.choice("0123456789") for _ in range(9))
        elif core.startswith("0") and len(core) >= 10:
            area = rng.choice(_AREA_3 if core[1] in "12" else _AREA_4)
            local = len(core) - len(area)
            new = area + rng.choice("23456789") + "".join(rng.choice("0123456789") for _ in range(local - 1))
        else:
            new = rng.choice("23456789") + "".join(rng.choice("0123456789") for _ in range(len(core) - 1))
        prefix = d[: len(d) - len(core)]
        return _fill_digits(value, prefix + new)

    def _address(self, value: str, rng: random.Random, _offset: int) -> str:
        places = _places()
        province = rng.choice([p for p in places.provinces if p.endswith(("省", "自治区"))])
        city = rng.choice(places.cities) + "市"
        street = rng.choice(("建设", "人民", "文化", "和平", "新华", "光明", "解放", "胜利")) + rng.choice(("路", "街", "大道"))
        if value.endswith("组") or "村" in value:
            town = rng.choice(("城关", "青山", "白马", "柳林")) + "镇" + rng.choice(("新民", "永丰", "石桥")) + "村"
            return f"{province}{city}{town}{rng.randint(1, 12)}组"
        out = f"{city}{rng.choice(places.districts or ['城关'])}区{street}{rng.randint(1, 999)}号"
        if "省" in value[:5] or "自治区" in value[:8]:
            out = province + out
        if any(u in value for u in ("室", "单元", "栋", "幢", "-")):
            out += f"{rng.randint(1, 30)}栋{rng.randint(1, 6)}单元{rng.randint(1, 30)}0{rng.randint(1, 4)}室"
        return out

    def _org(self, value: str, rng: random.Random, _offset: int) -> str:
        f = self._fake(rng)
        city = rng.choice(_places().cities)
        kind = next((k for k in _ORG_KINDS if value.endswith(k)), "")
        if kind in ("公司", "集团", ""):
            return f.company() if kind != "集团" else f"{city}{rng.choice(('建设', '交通', '能源'))}集团"
        if kind in ("医院", "卫生院", "保健院", "中心", "诊所", "门诊部"):
            head = rng.choice(("第一人民", "第二人民", "第三人民", "中心", "人民", "中医")) if kind == "医院" else ""
            return f"{city}市{head}{kind}"
        return f"{city}市第{rng.choice('一二三四五六七八九')}{kind}"

    def _email(self, value: str, rng: random.Random, _offset: int) -> str:
        return f"{self._fake(rng).user_name()}{rng.randint(1, 99)}@example.com"

    def _url(self, value: str, rng: random.Random, _offset: int) -> str:
        return f"https://{self._fake(rng).domain_word()}.example.org/{rng.getrandbits(32):08x}"

    def _ip(self, value: str, rng: random.Random, _offset: int) -> str:
        return f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"

    def _plate(self, value: str, rng: random.Random, _offset: int) -> str:
        return rng.choice(_PROVINCES) + _reshape(value[1:], rng)

    def _bank_card(self, value: str, rng: random.Random, _offset: int) -> str:
        digits = [c for c in value if c.isdigit()]
        body = "62" + "".join(rng.choice("0123456789") for _ in range(len(digits) - 3))
        return _fill_digits(value, body + luhn_check_digit(body))

    def _postcode(self, value: str, rng: random.Random, _offset: int) -> str:
        return str(rng.randint(1, 8)) + "".join(rng.choice("0123456789") for _ in range(len(value) - 1))

    def _age(self, value: str, rng: random.Random, _offset: int) -> str:
        # HIPAA Safe Harbor aggregates ages over 89 into one category.
        return "90岁以上" if "岁" in value else "≥90"


def _places() -> PlaceData:
    return load_data("places.yaml", PlaceData)


def _birth_of(v: str) -> date | None:
    try:
        if len(v) == 18:
            return date(int(v[6:10]), int(v[10:12]), int(v[12:14]))
        if len(v) == 15:
            return date(1900 + int(v[6:8]), int(v[8:10]), int(v[10:12]))
    except ValueError:
        return None
    return None


def _fill_digits(template: str, digits: str) -> str:
    """Write ``digits`` into the digit positions of ``template``, keeping its separators."""
    it = iter(digits)
    return "".join(next(it, "0") if c.isdigit() else c for c in template)


def _reshape(value: str, rng: random.Random) -> str:
    """Same shape: digits to random digits, letters to random letters of the same case."""
    out = []
    for c in value:
        if c.isdigit():
            out.append(rng.choice("0123456789"))
        elif "A" <= c <= "Z":
            out.append(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ"))
        elif "a" <= c <= "z":
            out.append(rng.choice("abcdefghijkmnpqrstuvwxyz"))
        else:
            out.append(c)
    return "".join(out)
