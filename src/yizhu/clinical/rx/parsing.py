"""Reading orders as doctors write them: frequency, route, dose units and drug-name variants.

Everything here is pure and cached: the review engine calls it for every order, and a 10-drug order
must be reviewed in a few milliseconds.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from yizhu.clinical.rx.tables import table

# ── frequency ───────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Frequency:
    """A parsed frequency: administrations per day (None when unknown or as needed) and its kind."""

    text: str
    per_day: float | None
    kind: str  # regular | prn | once | unknown
    max_per_day: float | None = None  # for prn with an interval (q6h prn → 4)

    @property
    def known(self) -> bool:
        return self.kind != "unknown"

    @property
    def daily_count(self) -> float | None:
        """Doses per day used for daily totals: the regular count, the prn ceiling, or 1 for a single dose."""
        if self.kind == "regular":
            return self.per_day
        if self.kind == "prn":
            return self.max_per_day
        if self.kind == "once":
            return 1.0
        return None


_CN_NUM = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
           "十二": 12, "二十四": 24, "四十八": 48, "七十二": 72}  # fmt: skip

#: Latin/English abbreviations → doses per day (None: as needed / single dose handled by kind).
_ABBREV: dict[str, float] = {
    "qd": 1, "od": 1, "qam": 1, "qm": 1, "qpm": 1, "qn": 1, "hs": 1, "qhs": 1, "q24h": 1, "daily": 1,
    "bid": 2, "q12h": 2, "tid": 3, "q8h": 3, "qid": 4, "q6h": 4, "q4h": 6, "q3h": 8, "q2h": 12, "q1h": 24,
    "qh": 24, "q5h": 24 / 5, "q36h": 24 / 36, "q48h": 0.5, "qod": 0.5, "q72h": 1 / 3,
    "qw": 1 / 7, "qweek": 1 / 7, "biw": 2 / 7, "tiw": 3 / 7, "q2w": 1 / 14, "qm4w": 1 / 28,
}  # fmt: skip
_PRN = ("prn", "sos", "必要时", "需要时", "按需", "疼痛时", "发热时", "临睡前必要时")
_ONCE = ("st", "stat", "once", "立即", "临时", "术前", "一次性", "单次", "即刻")


def _cn_int(s: str) -> float | None:
    if s.replace(".", "", 1).isdigit():
        return float(s)
    return float(_CN_NUM[s]) if s in _CN_NUM else None


@lru_cache(maxsize=2048)
def parse_frequency(text: str | None) -> Frequency:
    """qd/bid/tid/qid/q6h/q8h/q12h/qn/prn/qw/st and their Chinese forms → doses per day.

    >>> parse_frequency("q8h").per_day
    3.0
    >>> parse_frequency("每日2次").per_day
    2.0
    >>> parse_frequency("q6h prn").kind, parse_frequency("q6h prn").max_per_day
    ('prn', 4.0)
    """
    raw = (text or "").strip()
    if not raw:
        return Frequency("", None, "unknown")
    spaced = unicodedata.normalize("NFKC", raw).lower().replace(".", "")
    t = spaced.replace(" ", "")
    prn = any(p in t for p in _PRN)
    regular = _regular_per_day(spaced, t)
    if prn:
        return Frequency(raw, None, "prn", regular)
    if regular is not None:
        return Frequency(raw, regular, "regular")
    if any(t == o or t.startswith(o) for o in _ONCE):
        return Frequency(raw, None, "once")
    return Frequency(raw, None, "unknown")


def _regular_per_day(spaced: str, t: str) -> float | None:
    for token in re.findall(r"q\d+[hdw]|[a-z]+", spaced):
        if token in _ABBREV:
            return float(_ABBREV[token])
        m = re.fullmatch(r"q(\d+)h", token)
        if m and int(m.group(1)) > 0:
            return 24 / int(m.group(1))
        m = re.fullmatch(r"q(\d+)d", token)
        if m and int(m.group(1)) > 0:
            return 1 / int(m.group(1))
    if "隔日" in t or "隔天" in t:
        return 0.5
    num = r"(\d+(?:\.\d+)?|[一二两三四五六七八九十]+)"
    m = re.search(rf"(?:每|一)?(?:日|天){num}次", t) or re.search(rf"{num}次/(?:日|天|d)", t)
    if m:
        return _cn_int(m.group(1))
    m = re.fullmatch(r"(\d+)/(?:1)?d", t)
    if m:
        return float(m.group(1))
    m = re.search(rf"每{num}(?:个)?小时", t)
    if m and (n := _cn_int(m.group(1))):
        return 24 / n
    m = re.search(rf"每{num}(?:日|天)(?:一次|1次)", t)
    if m and (n := _cn_int(m.group(1))):
        return 1 / n
    m = re.search(rf"每周{num}次", t) or re.search(rf"{num}次/周", t)
    if m and (n := _cn_int(m.group(1))):
        return n / 7
    if re.search(r"每周(?:一次|1次)?|一周一次|周一次", t):
        return 1 / 7
    if re.search(r"每晚|睡前|每晨|晨起|早餐前|每日一次|一日一次|每天一次|每日1次", t):
        return 1.0
    return None


# ── route ───────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Route:
    """A parsed route: the pack's route code (``po``, ``iv`` …) and, for IV, push or infusion."""

    text: str
    code: str | None
    mode: str | None = None  # push | infusion | None

    @property
    def known(self) -> bool:
        return self.code is not None


#: (pattern, code, mode), first match wins; order matters (静脉推注 before 静脉).
_ROUTES: tuple[tuple[str, str, str | None], ...] = (
    (r"静推|静脉推注|静注|静脉注射|iv\s*push|ivp|缓慢静注|静脉推", "iv", "push"),
    (r"静滴|静脉滴注|ivgtt|iv\s*gtt|静脉输注|输液|静脉点滴|泵入|微泵|静脉泵|持续静脉|civ", "iv", "infusion"),
    (r"鞘内|intrathecal|it\b", "intrathecal", None),
    (r"硬膜外|epidural", "epidural", None),
    (r"关节腔", "intra_articular", None),
    (r"肌注|肌内注射|肌肉注射|\bim\b|i\.m", "im", None),
    (r"皮下|\bih\b|\bsc\b|\bsq\b|s\.c", "sc", None),
    (r"皮内|皮试|\bid\b", "id", None),
    (r"舌下|\bsl\b", "sl", None),
    (r"口颊|颊黏膜", "buccal", None),
    (r"雾化|吸入|\binh\b|neb", "inh", None),
    (r"滴眼|点眼|眼用|眼内|结膜囊|ophth|\bou\b|\bod\b|\bos\b", "ophthalmic", None),
    (r"滴耳|耳用", "otic", None),
    (r"鼻用|喷鼻|滴鼻|鼻喷|鼻腔", "nasal", None),
    (r"纳肛|塞肛|直肠|肛塞|灌肠|\bpr\b", "pr", None),
    (r"阴道|\bpv\b", "vaginal", None),
    (r"贴剂|外贴|经皮|透皮|\btd\b", "td", None),
    (r"外用|涂抹|外涂|局部涂|湿敷|外敷|topical", "topical", None),
    (r"局部浸润|神经阻滞|局麻|浸润", "local", None),
    (r"口服|鼻饲|\bpo\b|p\.o|oral|胃管|管饲|胃造瘘|空肠管|营养管|嚼|碾碎|研碎|压碎|吞服|冲服", "po", None),
    (r"^iv$|^i\.v\.?$|静脉", "iv", None),
)
_ROUTE_RES = tuple((re.compile(p, re.IGNORECASE), c, m) for p, c, m in _ROUTES)


@lru_cache(maxsize=512)
def parse_route(text: str | None) -> Route:
    """口服/静滴/静推/肌注/皮下/ih/ivgtt … → a pack route code, with IV push vs infusion.

    >>> parse_route("静滴").code, parse_route("静推").mode
    ('iv', 'push')
    """
    raw = (text or "").strip()
    if not raw:
        return Route("", None)
    t = unicodedata.normalize("NFKC", raw).strip()
    for rx, code, mode in _ROUTE_RES:
        if rx.search(t):
            return Route(raw, code, mode)
    return Route(raw, None)


# ── dose units ──────────────────────────────────────────────────────────────────────────────

#: unit → (dimension, factor to the dimension's base unit: mg for mass, U for units, mL, mmol).
_UNITS: dict[str, tuple[str, float]] = {
    "g": ("mass", 1000.0), "克": ("mass", 1000.0), "mg": ("mass", 1.0), "毫克": ("mass", 1.0),
    "μg": ("mass", 0.001), "µg": ("mass", 0.001), "ug": ("mass", 0.001), "mcg": ("mass", 0.001),
    "微克": ("mass", 0.001), "ng": ("mass", 1e-6), "kg": ("mass", 1e6),
    "u": ("unit", 1.0), "iu": ("unit", 1.0), "单位": ("unit", 1.0), "国际单位": ("unit", 1.0),
    "万u": ("unit", 10000.0), "万iu": ("unit", 10000.0), "万单位": ("unit", 10000.0), "mu": ("unit", 1e6),
    "ml": ("volume", 1.0), "毫升": ("volume", 1.0), "l": ("volume", 1000.0),
    "mmol": ("amount", 1.0), "毫摩尔": ("amount", 1.0), "meq": ("amount", 1.0),
}  # fmt: skip


def unit_key(unit: str | None) -> str | None:
    """A unit normalised for lookup (NFKC, lower case, no spaces), or None."""
    if not unit:
        return None
    return unicodedata.normalize("NFKC", unit).strip().lower().replace(" ", "").replace("µ", "μ")


def convert(value: float, unit: str | None, to_unit: str | None) -> float | None:
    """``value`` in ``unit`` expressed in ``to_unit``; None when the units are not comparable.

    >>> convert(0.5, "g", "mg")
    500.0
    """
    a, b = unit_key(unit), unit_key(to_unit)
    if a is None or b is None:
        return None
    if a == b:
        return value
    ua, ub = _UNITS.get(a), _UNITS.get(b)
    if ua is None or ub is None or ua[0] != ub[0]:
        return None
    return value * ua[1] / ub[1]


#: Units an order may be written in that count dose-form units (袋, 片, 粒 …), read through the strength in the name.
COUNT_UNITS = frozenset({"袋", "包", "片", "粒", "支", "瓶", "丸", "揿", "喷", "吸", "滴"})
_MASS = r"mg|g|μg|ug|mcg|µg|毫克|克|微克"
_PER_VOLUME = re.compile(
    rf"(\d+(?:\.\d+)?)\s*({_MASS})\s*[:/：]\s*(\d+(?:\.\d+)?)?\s*(ml|毫升)(?![a-z])"
    rf"|(\d+(?:\.\d+)?)\s*(ml|毫升)\s*[:/：]\s*(\d+(?:\.\d+)?)\s*({_MASS})(?![a-z])",
    re.IGNORECASE,
)
_PER_COUNT = re.compile(rf"(?<![\d./:：])(\d+(?:\.\d+)?)\s*({_MASS})(?:\s*/\s*(袋|包|片|粒|支|瓶|丸|揿|喷|吸))?(?![a-z/:：\d])",
                        re.IGNORECASE)


@lru_cache(maxsize=4096)
def strength_of(written: str) -> dict[str, tuple[float, str]]:
    """The strength a written product name states, as {order unit: (amount, mass unit)}: ``"ml"`` for an
    oral liquid (布洛芬混悬液 100ml:2g → 20 mg per ml; 125mg/5ml → 25 mg), ``"count"`` for one sachet, tablet,
    capsule or vial (阿奇霉素干混悬剂 0.1g/袋, 阿莫西林胶囊 0.25g). Empty when the name states none, or
    several different amounts (a compound's components, 200mg/28.5mg), which no one unit can be read through."""
    t = unicodedata.normalize("NFKC", written or "")
    out: dict[str, tuple[float, str]] = {}
    m = _PER_VOLUME.search(t)
    if m:
        if m.group(1):
            amount, unit, vol = float(m.group(1)), m.group(2), float(m.group(3) or 1)
        else:
            vol, amount, unit = float(m.group(5)), float(m.group(7)), m.group(8)
        if vol > 0:
            out["ml"] = (amount / vol, unit)
        return out
    found = {(float(a), u.lower()) for a, u, _ in _PER_COUNT.findall(t)}
    if len(found) == 1:
        out["count"] = next(iter(found))
    return out


def fmt_num(x: float) -> str:
    """A dose as a person writes it: 500, 0.25, 1.5 (no trailing zeros)."""
    return f"{x:.4g}" if abs(x) < 10000 else f"{x:.0f}"


# ── drug-name variants ──────────────────────────────────────────────────────────────────────

#: Dose-form words, longest first so that 肠溶片 is removed before 片.
DOSE_FORMS: tuple[str, ...] = tuple(sorted({
    "肠溶片", "缓释片", "控释片", "分散片", "咀嚼片", "泡腾片", "口崩片", "口腔崩解片", "薄膜衣片", "糖衣片",
    "舌下片", "含片", "片剂", "片", "肠溶胶囊", "缓释胶囊", "软胶囊", "硬胶囊", "胶囊剂", "胶囊", "颗粒剂",
    "颗粒", "干混悬剂", "混悬剂", "混悬液", "口服混悬液", "口服液", "口服溶液", "溶液剂", "糖浆剂", "糖浆",
    "滴剂", "注射液", "注射剂", "注射用浓溶液", "粉针剂", "粉针", "冻干粉针", "冻干粉", "针剂", "针",
    "输液", "大输液", "滴眼液", "眼用凝胶", "眼膏", "滴耳液", "滴鼻液", "鼻喷雾剂", "喷雾剂", "气雾剂",
    "吸入气雾剂", "吸入粉雾剂", "粉雾剂", "吸入用溶液", "吸入溶液", "吸入剂", "雾化液", "乳膏", "软膏", "凝胶",
    "贴剂", "贴片", "透皮贴", "栓剂", "栓", "丸剂", "滴丸", "水丸", "蜜丸", "丸", "散剂", "散", "酊",
    "搽剂", "洗剂", "乳剂", "脂肪乳", "缓释颗粒", "肠溶颗粒", "口服乳", "合剂", "膏", "锭", "混悬滴剂",
    "粉吸入剂", "干粉吸入剂", "吸入粉剂", "吸入混悬液", "吸入用混悬液", "鼻喷剂", "口腔喷雾剂", "注射用无菌粉末",
    "控释胶囊", "缓释混悬液", "滴眼剂", "眼用凝胶剂", "口服液体剂", "贴膏", "巴布膏", "凝胶剂", "软膏剂",
    # children's oral forms as HIS catalogues print them (干糖浆, 泡腾颗粒, 颗粒冲剂, 口服滴剂 …)
    "干糖浆", "泡腾颗粒", "混悬颗粒", "冲剂", "颗粒冲剂", "口服滴剂", "口服散", "口服", "干混悬", "口服混悬剂",
    "口服干混悬剂", "咀嚼", "泡腾",
}, key=len, reverse=True))  # fmt: skip

#: Salt and ester words that prefix or suffix a generic name in Chinese (盐酸二甲双胍, 氯沙坦钾).
SALT_PREFIXES: tuple[str, ...] = tuple(sorted({
    "盐酸", "硫酸", "磷酸", "马来酸", "苯磺酸", "甲磺酸", "富马酸", "酒石酸", "琥珀酸", "枸橼酸", "醋酸",
    "乳酸", "氢溴酸", "二盐酸", "硝酸", "碳酸", "葡萄糖酸", "门冬氨酸", "甲苯磺酸", "对甲苯磺酸", "丙酸",
    "戊酸", "双羟萘酸", "依地酸", "羟乙基", "右旋", "左旋", "乳糖酸", "精氨酸", "赖氨酸",
}, key=len, reverse=True))  # fmt: skip
SALT_SUFFIXES: tuple[str, ...] = tuple(sorted({
    "钠", "钾", "钙", "镁", "锌", "铝", "钠盐", "钾盐", "钙盐", "盐", "酯", "氨丁三醇", "葡甲胺", "精氨酸",
    "叔丁胺", "水合物", "一水合物", "二水合物", "三水合物", "半水合物",
}, key=len, reverse=True))  # fmt: skip

_BRACKETS = re.compile(r"[（(【\[]([^（）()【】\[\]]*)[)）】\]]")
_STRENGTH = re.compile(
    r"(?:\d+(?:\.\d+)?\s*(?:%|mg|g|μg|ug|mcg|µg|ml|iu|u|万u|万单位|单位|mmol|毫克|克|毫升)"
    r"(?:\s*[:/：×x*]\s*\d+(?:\.\d+)?\s*(?:mg|g|ml|μg|ug|片|粒|支|袋|瓶|包)?|\s*/\s*(?:袋|包|片|粒|支|瓶|丸|ml))*)",
    re.IGNORECASE,
)
_PACKAGING = re.compile(r"[*×x]\s*\d+\s*(?:片|粒|支|袋|瓶|盒)(?:/(?:盒|瓶|袋))?$|\d+\s*(?:片|粒|支|袋|瓶)/(?:盒|瓶|袋)")
_SPACES = re.compile(r"\s+")
_TRAILING_JUNK = re.compile(r"[\s,，;；:：/\-—_]+$")
_LEADING_JUNK = re.compile(r"^[\s,，;；:：/\-—_]+")
_FORM_PREFIX = ("注射用", "吸入用", "口服用", "外用", "复方制剂", "小儿", "儿童")


@dataclass(frozen=True)
class NameVariants:
    """Candidates to look a written drug name up by, most specific first, and the brand in brackets."""

    candidates: tuple[str, ...]
    bracketed: tuple[str, ...]
    form: str | None
    core: str = ""  # the name without brackets, strengths and packaging (nothing else removed)
    base: str = ""  # ``core`` without its dose form (注射用…, …缓释片)


# ── carriers, premixed infusions and order lines of several products ─────────────────────────


@dataclass(frozen=True)
class Carrier:
    """A carrier (溶媒) from ``rules/carriers.yaml``: recognised, not reviewed, never unknown."""

    key: str
    label: str
    names: tuple[str, ...]
    max_percent: float | None
    above: str | None
    source: str


@lru_cache(maxsize=1)
def carriers() -> dict[str, Carrier]:
    """Carrier name (normalised: NFKC, lower case) → carrier, from the rule table."""

    out: dict[str, Carrier] = {}
    for key, row in table("carriers").items():
        c = Carrier(key, row["label"], tuple(row["names"]), row.get("max_percent"), row.get("above"), row["source"])
        for n in c.names:
            out[unicodedata.normalize("NFKC", n).lower()] = c
    return out


@lru_cache(maxsize=1)
def _carrier_suffixes() -> tuple[str, ...]:
    return tuple(sorted((n for n in carriers() if not n.isascii()), key=len, reverse=True))


_PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*%")
_PLUS = re.compile(r"\s*[+＋]\s*|\s+加\s+")


def _product_base(part: str) -> str:
    """A product as written, without brackets, strengths, packaging and dose form (lower case)."""
    no_brackets = _BRACKETS.sub(" ", part)
    compact = _SPACES.sub("", _PACKAGING.sub(" ", _STRENGTH.sub(" ", no_brackets)))
    base, _ = _strip_forms(_TRAILING_JUNK.sub("", _LEADING_JUNK.sub("", compact)))
    return base.lower()


@dataclass(frozen=True)
class OrderLine:
    """A drug name split into its products: the actives to review and the carriers written with them."""

    actives: tuple[str, ...]
    carriers: tuple[tuple[Carrier, float | None], ...]  # (carrier, concentration in % when written)

    @property
    def carrier_only(self) -> bool:
        return not self.actives and bool(self.carriers)


@lru_cache(maxsize=4096)
def split_order_line(text: str) -> OrderLine:
    """``0.9%氯化钠注射液 100ml + 注射用头孢曲松钠 2g`` → actives (注射用头孢曲松钠 2g) and carriers (氯化钠).

    A name that is only a carrier (5%葡萄糖注射液, 灭菌注射用水) has no actives; a premixed infusion
    (左氧氟沙星氯化钠注射液) is one active whose carrier :func:`name_variants` removes.
    """
    raw = unicodedata.normalize("NFKC", text or "").strip()
    table_ = carriers()
    actives: list[str] = []
    found: list[tuple[Carrier, float | None]] = []
    for part in (p for p in _PLUS.split(raw) if p.strip()):
        base = _product_base(part)
        carrier = table_.get(base)
        if carrier is not None:
            m = _PERCENT.search(part)
            found.append((carrier, float(m.group(1)) if m else None))
        else:
            actives.append(part.strip())
    return OrderLine(tuple(actives), tuple(found))


def _strip_carrier(base: str) -> str | None:
    """The active of a premixed infusion: 左氧氟沙星氯化钠 → 左氧氟沙星, 奥硝唑葡萄糖 → 奥硝唑 (None if none)."""
    for suf in _carrier_suffixes():
        if base.endswith(suf) and len(base) - len(suf) >= 2:
            rest = _TRAILING_JUNK.sub("", base[: -len(suf)])
            if rest.lower() not in carriers():
                return rest
    return None


def _strip_forms(s: str) -> tuple[str, str | None]:
    found = None
    changed = True
    while changed:
        changed = False
        for p in _FORM_PREFIX:
            if s.startswith(p) and len(s) > len(p):
                found = found or p
                s = s[len(p):]
                changed = True
        for f in DOSE_FORMS:
            if s.endswith(f) and len(s) > len(f):
                found = found or f
                s = s[: -len(f)]
                changed = True
                break
        s = _TRAILING_JUNK.sub("", s)
    return s, found


def _strip_salts(s: str) -> list[str]:
    out: list[str] = []
    for p in SALT_PREFIXES:
        if s.startswith(p) and len(s) > len(p) + 1:
            out.append(s[len(p):])
            break
    base = out[-1] if out else s
    for suf in SALT_SUFFIXES:
        if base.endswith(suf) and len(base) > len(suf) + 1:
            out.append(base[: -len(suf)])
            break
    if base is not s:
        for suf in SALT_SUFFIXES:
            if s.endswith(suf) and len(s) > len(suf) + 1:
                out.append(s[: -len(suf)])
                break
    return out


@lru_cache(maxsize=4096)
def name_variants(text: str) -> NameVariants:
    """The written name, without brackets, strength, packaging, dose form and salt, in that order.

    >>> name_variants("苯磺酸氨氯地平片(络活喜) 5mg").candidates[-1]
    '氨氯地平'
    """
    raw = unicodedata.normalize("NFKC", text or "").strip()
    bracketed = tuple(b.strip() for b in _BRACKETS.findall(raw) if b.strip())
    seen: dict[str, None] = {}

    def add(s: str) -> None:
        s = _LEADING_JUNK.sub("", _TRAILING_JUNK.sub("", _SPACES.sub(" ", s).strip()))
        if s and s not in seen:
            seen[s] = None

    add(raw)
    no_brackets = _BRACKETS.sub(" ", raw)
    add(no_brackets)
    no_strength = _PACKAGING.sub(" ", _STRENGTH.sub(" ", no_brackets))
    add(no_strength)
    compact = _SPACES.sub("", no_strength)
    add(compact)
    base, form = _strip_forms(compact)
    add(base)
    premix = _strip_carrier(base)
    if premix:  # a premixed infusion: the carrier is not part of the active's name
        add(premix)
        for s in _strip_salts(premix):
            add(s)
    if no_brackets.isascii():
        for cand in english_variants(no_brackets):
            add(cand)
    for s in _strip_salts(base):
        add(s)
        s2, _ = _strip_forms(s)
        add(s2)
    return NameVariants(tuple(seen), bracketed, form, compact, base)


_EN_STRENGTH = re.compile(
    r"\d+(?:\.\d+)?\s*(?:mg|g|mcg|µg|ug|ml|unt|units?|iu|meq|mmol|%)(?:\s*/\s*(?:\d+(?:\.\d+)?\s*)?(?:ml|g|actuat|hr|h))?",
    re.IGNORECASE,
)
_EN_NOISE = frozenset(
    ["oral", "suspension", "suspensions", "tablet", "tablets", "tab", "tabs", "capsule", "capsules", "cap", "caps", "injection", "injectable", "solution", "solutions", "extended", "release", "delayed", "er", "xr", "sr", "cr", "ec", "chewable", "for", "powder", "syrup", "drops", "drop", "cream", "ointment", "topical", "inhalation", "inhaler", "spray", "nasal", "ophthalmic", "film", "coated", "disintegrating", "orally", "patch", "transdermal", "suppository", "vial", "prefilled", "syringe", "pen", "product", "kit", "granules", "sachet", "liquid", "elixir", "lozenge", "gel", "emulsion", "infusion", "intravenous", "iv", "potassium", "sodium", "calcium", "hydrochloride", "hcl", "besylate", "besilate", "maleate", "mesylate", "fumarate", "tartrate", "succinate", "citrate", "acetate", "sulfate", "sulphate", "phosphate", "bromide", "magnesium", "trihydrate", "monohydrate", "dihydrate", "anhydrous"]
)


def english_variants(text: str) -> list[str]:
    """An English (RxNorm-style) name without strengths, dose forms and salts: "Amoxicillin 120 MG/ML /
    clavulanate potassium 8.58 MG/ML Oral Suspension" → "amoxicillin/clavulanate", then each ingredient.
    """
    t = _EN_STRENGTH.sub(" ", unicodedata.normalize("NFKC", text).lower())
    parts = [p for p in re.split(r"\s*(?:/|\+|,| and | with )\s*", t) if p.strip()]
    cleaned = []
    for p in parts:
        words = [w for w in re.split(r"[\s\-]+", p) if w and w not in _EN_NOISE and not w.replace(".", "").isdigit()]
        if words:
            cleaned.append(" ".join(words))
    out: list[str] = []
    if cleaned:
        out.append("/".join(cleaned))
        out.append(" / ".join(cleaned))
        if len(cleaned) == 1:
            words = cleaned[0].split()
            out.extend([words[0], " ".join(words[:2])] if len(words) > 1 else [])
    return out


#: What a dose form written in the drug name says about the routes it can be given by.
FORM_ROUTES: tuple[tuple[str, frozenset[str]], ...] = (
    ("注射用", frozenset({"iv", "im", "sc", "id", "intrathecal", "epidural", "local", "intra_articular"})),
    ("注射", frozenset({"iv", "im", "sc", "id", "intrathecal", "epidural", "local", "intra_articular"})),
    ("针", frozenset({"iv", "im", "sc", "id", "intrathecal", "epidural", "local", "intra_articular"})),
    ("输液", frozenset({"iv"})),
    ("粉针", frozenset({"iv", "im", "sc"})),
    ("滴眼", frozenset({"ophthalmic"})),
    ("眼膏", frozenset({"ophthalmic"})),
    ("眼用", frozenset({"ophthalmic"})),
    ("滴耳", frozenset({"otic"})),
    ("滴鼻", frozenset({"nasal"})),
    ("鼻喷", frozenset({"nasal"})),
    ("吸入", frozenset({"inh"})),
    ("雾化", frozenset({"inh"})),
    ("气雾剂", frozenset({"inh", "topical", "sl", "nasal"})),
    ("粉雾剂", frozenset({"inh"})),
    ("舌下", frozenset({"sl"})),
    ("栓", frozenset({"pr", "vaginal"})),
    ("贴", frozenset({"td", "topical"})),
    ("乳膏", frozenset({"topical", "vaginal"})),
    ("软膏", frozenset({"topical", "ophthalmic"})),
    ("凝胶", frozenset({"topical", "vaginal", "ophthalmic", "pr"})),
    ("片", frozenset({"po", "sl", "buccal", "vaginal"})),
    ("胶囊", frozenset({"po", "inh"})),
    ("颗粒", frozenset({"po"})),
    ("冲剂", frozenset({"po"})),
    ("口服", frozenset({"po"})),
    ("糖浆", frozenset({"po"})),
    ("混悬", frozenset({"po", "inh"})),
    ("丸", frozenset({"po"})),
)


@lru_cache(maxsize=4096)
def routes_of_form(written: str) -> tuple[str, frozenset[str]] | None:
    """(form word, routes it allows) when the written drug name names a dose form, else None."""
    t = unicodedata.normalize("NFKC", written or "")
    t = _BRACKETS.sub("", t)
    for word, routes in FORM_ROUTES:
        if word in t:
            return word, routes
    return None


#: The route a dose form written in the name leaves no doubt about (first match wins; 注射液 does not: IV,
#: IM or SC). A premixed infusion (…氯化钠注射液, …葡萄糖注射液) is given by IV infusion.
_IMPLIED_ROUTES: tuple[tuple[str, str], ...] = (
    ("滴眼", "ophthalmic"), ("眼膏", "ophthalmic"), ("眼用", "ophthalmic"), ("滴耳", "otic"), ("滴鼻", "nasal"),
    ("鼻喷", "nasal"), ("吸入", "inh"), ("雾化", "inh"), ("粉雾剂", "inh"), ("气雾剂", "inh"), ("舌下", "sl"),
    ("贴", "td"), ("乳膏", "topical"), ("软膏", "topical"), ("凝胶", "topical"), ("输液", "iv"),
    ("片", "po"), ("胶囊", "po"), ("颗粒", "po"), ("口服", "po"), ("糖浆", "po"), ("丸", "po"), ("混悬", "po"),
    ("干混悬剂", "po"), ("冲剂", "po"), ("散", "po"),
)  # fmt: skip
_EN_ORAL = re.compile(r"\b(?:oral|tablets?|capsules?|chewable|syrup|elixir)\b", re.IGNORECASE)


@lru_cache(maxsize=4096)
def implied_route(written: str) -> str | None:
    """The route code a written name implies by its dose form (阿莫西林胶囊 → po, 左氧氟沙星氯化钠注射液 → iv,
    "… Oral Suspension" → po), or None when the form allows several routes (注射液) or none is written."""
    t = _BRACKETS.sub("", unicodedata.normalize("NFKC", written or ""))
    if _EN_ORAL.search(t):
        return "po"
    base, form = _strip_forms(_SPACES.sub("", _STRENGTH.sub(" ", t)))
    if form in ("注射液", "注射剂") and _strip_carrier(base):
        return "iv"
    for word, route in _IMPLIED_ROUTES:
        if word in t:
            return route
    return None
