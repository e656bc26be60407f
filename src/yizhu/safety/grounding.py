"""Grounding check: is each sentence of a draft supported by the source spans it cites?

A generated sentence is reduced to *facts* and each fact must be found in the cited source spans:

=========  ===================================================  ==========================================
fact       extracted from                                       compared
=========  ===================================================  ==========================================
concept    symptom/diagnosis/lab mentions (knowledge packs,     same concept (synonyms resolved: 发烧 = 发热)
           colloquial synonyms) with ConText polarity           with the same polarity; 无发热 vs 发热 is a
                                                                contradiction
quantity   number + unit: durations (normalised to days),       same value in the same dimension; bound to
           doses, vitals, lab values, counts, ranges            the mention it qualifies (咳嗽3天 ≠ 咳嗽1周)
frequency  qd/bid/tid/qn … bound to the drug                    same code
date       2026-03-01, 2026年3月1日, 3月1日                       same date (the fields written)
side       左/右/双 + body part                                  same side for the same part
drug       pack names, brands, INN stems (…普利, 头孢…)          same drug after salt/form removal; a name
                                                                one or two characters away from a source
                                                                drug is a contradiction (贝那普利 ≠ 依那普利)
=========  ===================================================  ==========================================

A sentence is ``contradicted`` if any fact is contradicted, ``unsupported`` if any fact is found
nowhere, else ``supported``. A fact not found in the cited spans is looked for in every source (the
model may cite the wrong turn; the evidence then points where it really is). A sentence without any
checkable fact is supported only when most of its wording is in the sources. In a dialogue, a
doctor's question is not evidence by itself: its answer is (医生：发烧吗？ 患者：没有。 → 无发热).

Every verdict carries its evidence spans and, when flagged, the reasons, so a page can highlight
both the sentence and the source.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any, Literal

from yizhu.knowledge.terminology.colloquial import ColloquialLexicon, colloquial
from yizhu.knowledge.terminology.text import fold
from yizhu.safety.entities import Lexicon, Mention, drug_key, extract, gapped_mentions

Status = Literal["supported", "unsupported", "contradicted"]
STATUSES: tuple[Status, ...] = ("supported", "unsupported", "contradicted")
RULE_VERSION = "v1"

# ── sentences ────────────────────────────────────────────────────────────────────────────────

_SENT_END = re.compile(r"[。！？!?；;\n]+")
_LIST_MARK = re.compile(r"^\s*(?:\d{1,2}[.、．)）](?!\d)|[(（]\d{1,2}[)）]|[一二三四五六七八九十]+[、.．])\s*")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence: split at 。！？； and line ends; list numbers stay outside the span."""
    out: list[tuple[int, int]] = []
    pos = 0
    for m in [*_SENT_END.finditer(text), None]:
        end = m.start() if m else len(text)
        stop = m.end() if m else len(text)
        seg = text[pos:end]
        lm = _LIST_MARK.match(seg)
        a = pos + (lm.end() if lm else 0)
        while a < end and text[a] in " \t\u3000，,":
            a += 1
        b = end
        while b > a and text[b - 1] in " \t\u3000，,":
            b -= 1
        if b > a and re.search(r"[\w\u4e00-\u9fff]", text[a:b]):
            # keep the sentence's own terminator (。) so the span reads as written
            if m and text[end:end + 1] in "。！？!?":
                b = end + 1
            out.append((a, b))
        pos = stop
    return out


# ── facts ────────────────────────────────────────────────────────────────────────────────────

_CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def cn_number(s: str) -> float | None:
    """A number written with digits or Chinese numerals (三, 十二, 二十, 半) → float."""
    s = s.strip()
    if not s:
        return None
    try:
        return float(s)
    except ValueError:
        pass
    if s == "半":
        return 0.5
    if s == "百":
        return 100.0
    total, current = 0, 0
    for ch in s:
        if ch in _CN_DIGITS:
            current = _CN_DIGITS[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    return float(total + current)


#: unit as written (folded) → (dimension, factor to the dimension's base unit)
UNITS: dict[str, tuple[str, float]] = {
    "秒": ("duration", 1 / 86400), "分钟": ("duration", 1 / 1440), "min": ("duration", 1 / 1440),
    "小时": ("duration", 1 / 24), "个小时": ("duration", 1 / 24), "h": ("duration", 1 / 24),
    "天": ("duration", 1.0), "日": ("duration", 1.0), "d": ("duration", 1.0),
    "周": ("duration", 7.0), "星期": ("duration", 7.0), "个星期": ("duration", 7.0), "个礼拜": ("duration", 7.0),
    "个多星期": ("duration", 7.0), "个多礼拜": ("duration", 7.0), "礼拜": ("duration", 7.0),
    "月": ("duration", 30.0), "个月": ("duration", 30.0), "个多月": ("duration", 30.0),
    "年": ("duration", 365.0), "岁": ("age", 1.0),
    "次/分": ("rate", 1.0), "次/分钟": ("rate", 1.0), "次/min": ("rate", 1.0), "bpm": ("rate", 1.0),
    "次/日": ("per_day", 1.0), "次/天": ("per_day", 1.0),
    "次": ("count", 1.0), "片": ("tablets", 1.0), "粒": ("tablets", 1.0), "支": ("ampoules", 1.0),
    "℃": ("temperature", 1.0), "°c": ("temperature", 1.0), "度": ("temperature", 1.0),
    "mmhg": ("pressure", 1.0), "kpa": ("pressure", 7.50062),
    "μg": ("mass", 0.001), "ug": ("mass", 0.001), "mcg": ("mass", 0.001), "mg": ("mass", 1.0),
    "g": ("mass", 1000.0), "克": ("mass", 1000.0), "毫克": ("mass", 1.0), "kg": ("mass", 1e6),
    "公斤": ("mass", 1e6), "斤": ("mass", 5e5),
    "ml": ("volume", 1.0), "毫升": ("volume", 1.0), "l": ("volume", 1000.0), "升": ("volume", 1000.0),
    "u": ("units", 1.0), "iu": ("units", 1.0), "单位": ("units", 1.0),
    "cm": ("length", 10.0), "mm": ("length", 1.0), "厘米": ("length", 10.0),
    "ml/h": ("ml/h", 1.0), "kg/m²": ("kg/m2", 1.0), "kg/m2": ("kg/m2", 1.0),
    "ml/min/1.73m²": ("egfr", 1.0), "ml/min/1.73m2": ("egfr", 1.0), "ml/min": ("ml/min", 1.0),
    "mmol/l": ("mmol/l", 1.0), "μmol/l": ("umol/l", 1.0), "umol/l": ("umol/l", 1.0),
    "mg/l": ("mg/l", 1.0), "mg/dl": ("mg/dl", 1.0), "g/l": ("g/l", 1.0), "ng/ml": ("ng/ml", 1.0),
    "pg/ml": ("pg/ml", 1.0), "u/l": ("u/l", 1.0), "iu/l": ("u/l", 1.0), "miu/l": ("miu/l", 1.0),
    "×10^9/l": ("e9/l", 1.0), "x10^9/l": ("e9/l", 1.0), "×10^12/l": ("e12/l", 1.0),
    "x10^12/l": ("e12/l", 1.0), "%": ("percent", 1.0), "mg/g": ("mg/g", 1.0), "mg/kg": ("mg/kg", 1.0),
    "mv": ("mv", 1.0), "mg fEU": ("mg/l", 1.0), "毫米": ("length", 1.0), "公分": ("length", 10.0),
    "毫伏": ("mv", 1.0), "微克": ("mass", 0.001), "回": ("count", 1.0), "针": ("stitches", 1.0),
}
_NUM = r"(?:\d+(?:\.\d+)?|[零一二两三四五六七八九十百半]{1,4})"
_UNIT_ALT = r"[×x]10\^\d{1,2}/l|" + "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))
_QTY = re.compile(
    rf"(?P<a>{_NUM})(?:\s*[-~～—至到]\s*(?P<b>{_NUM}))?(?:\s*/\s*(?P<c>\d+(?:\.\d+)?))?"
    rf"(?:\s*[×x*]\s*(?P<d>\d+(?:\.\d+)?)(?!\s*\^))?"
    rf"\s*(?P<ap1>余|多)?\s*(?P<unit>{_UNIT_ALT})(?![a-z])(?P<half>半)?(?P<ap2>余|多|左右|许)?"
)
_DATE = re.compile(
    r"(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?"
    r"|(?<![\d.])(?P<m2>\d{1,2})月(?P<d2>\d{1,2})[日号]"
)
_TIME = re.compile(r"\d{1,2}[:：]\d{2}(?:[:：]\d{2})?|\d{1,2}时\d{1,2}分")
_FREQ = re.compile(r"(?<![a-z])(qd|bid|tid|qid|qn|qod|qw|biw|tiw|q\d{1,2}h|st|prn|qm|qh)(?![a-z])")
_FREQ_CN = {"每日一次": "qd", "每日1次": "qd", "每天一次": "qd", "一日一次": "qd", "每日两次": "bid",
            "每日2次": "bid", "每天两次": "bid", "一日两次": "bid", "每日三次": "tid", "每日3次": "tid",
            "每天三次": "tid", "一日三次": "tid", "每晚一次": "qn", "每晚": "qn", "睡前": "qn"}
_FREQ_CN_RE = re.compile("|".join(sorted(_FREQ_CN, key=len, reverse=True)))
_SIDES = {"左": "左", "右": "右", "双": "双", "两": "双"}
_PARTS = ("上腹", "下腹", "中腹", "上肺", "中肺", "下肺", "肺野", "髂窝", "腰部", "上肢", "下肢", "大腿", "小腿", "前臂", "上臂", "肢体", "手", "足", "脚", "腿", "膝", "髋", "肩", "肘",
          "腕", "踝", "眼", "耳", "肺", "肾", "乳房", "乳腺", "胸", "腹", "颈", "面", "颞", "额", "腰", "背",
          "臀", "瞳孔", "输尿管", "卵巢", "附件", "睾丸", "半身", "侧肢体", "侧", "扁桃体", "鼻", "锁骨",
          "肋", "髂", "腹股沟", "颌下", "甲状腺")
_SIDE_RE = re.compile(r"(?P<side>[左右双两])(?:侧)?(?P<part>" + "|".join(sorted(_PARTS, key=len, reverse=True)) + ")")
_PART_ALIAS = {"脚": "足", "侧肢体": "肢体"}
_CLAUSE = re.compile(r"[，,；;。！？!?\n]")
_TEST_RE = re.compile(r"(?P<name>[\u4e00-\u9fffA-Za-z0-9]{2,12}?)(?P<res>阳性|阴性|\(\+\)|\(-\)|（\+）|（-）)")
_LITERAL_ALIAS = {"t": "体温", "p": "脉搏", "r": "呼吸", "bp": "血压", "hr": "心率", "spo2": "血氧饱和度"}
_FILLER = "为约达至是：: 共最高低前后了"
#: a question about when, how long or how much: its answer presupposes the finding asked about
_WH = re.compile(r"几年|几天|几个月|多久|多长时间|多少年|什么时候|哪年")
#: a question (看看有没有脊柱炎 / 查一下是不是结核 says what a test is for: a statement, not a question)
_Q_MARK = re.compile(r"[?？]|吗|呢|(?<!看看)(?<!看一下)(?<!查查)(?<!查一下)(?<!排查)(?<!明确)(?<!了解)(?<!评估)(?<!确定)(?<!判断)"
                     r"(?:有没有|是不是|是否|有无)|会不会|多久|多长|几天|几次|多少")
#: a bare "no" answer, also in dialect (西南 莫得, 粤 冇/唔, 吴 勿/呒没, 东北 木有); never 唔该 (thanks) or 不晓得 (don't know)
_NO = re.compile(r"^\s*(?:没有|没(?!注意|留意|量|测)|无|不(?!太清楚|清楚|知道|晓得|记得|确定|好说|一定)|否|从来没|从没|未|都没|也没|一直没"
                 r"|莫得|莫有|冇|唔(?!该|知|记得|清楚)|勿(?!晓得|清楚|记得)|呒没|木有)")
_YES = re.compile(r"^\s*(?:有|是|对|嗯|会|偶尔|经常|一直|有的|是的|对的)")
#: vital signs said without a unit (血压160/95, 高压160低压95, 心跳110): keyword → (dimension, literal, range)
_VITAL_KW: dict[str, tuple[str, str, float, float]] = {
    "血压": ("pressure", "血压", 30, 300), "高压": ("pressure", "血压", 60, 300), "bp": ("pressure", "血压", 30, 300),
    "体温": ("temperature", "体温", 34, 43), "心率": ("rate", "心率", 25, 250), "心跳": ("rate", "心率", 25, 250),
    "脉搏": ("rate", "脉搏", 25, 250), "血氧": ("percent", "血氧饱和度", 50, 100), "氧饱和度": ("percent", "血氧饱和度", 50, 100),
    "spo2": ("percent", "血氧饱和度", 50, 100),
}
_VITAL_BARE = re.compile(
    r"(?P<kw>" + "|".join(sorted(_VITAL_KW, key=len, reverse=True)) + r")[^\d\n。；;！？!?]{0,5}?"
    r"(?P<a>\d{2,3}(?:\.\d)?)(?:\s*/\s*(?P<b>\d{2,3})|[，,、\s]*低压[^\d\n，,。；;]{0,3}?(?P<low>\d{2,3}))?"
    r"(?![\d.]|\s*/\s*\d)"
)


_BARE = re.compile(r"(?<![\d.:/×x])(?P<a>\d+(?:\.\d+)?)(?:\s*/\s*(?P<b>\d+(?:\.\d+)?))?(?![\d.]|\s*[/:×x]\s*\d)")
#: lab and vital names a unit-less value follows (INR 2.3, CRP 18, 白细胞7.8, 心率98)
_LAB_BEFORE = re.compile(
    r"(?P<lab>inr|crp|pct|wbc|hb|hgb|plt|alt|ast|cr|scr|egfr|bun|ua|k|na|cl|hba1c|lvef|ef|tbil|dbil|bnp|nt-probnp|ctni|"
    r"ctnt|ldl-c|hdl-c|tc|tg|fpg|spo2|白细胞|中性粒细胞|中性|红细胞|血红蛋白|血小板|c反应蛋白|降钙素原|肌酐|尿素氮|尿酸|"
    r"血钾|钾|血钠|钠|血糖|空腹血糖|空腹|糖化血红蛋白|转氨酶|胆红素|总胆红素|肌钙蛋白|射血分数|心率|脉搏|血压|体温|"
    r"血氧|呼吸|胎心|宫高|腹围)\s*(?:[:：=]|是|为|有|约)?\s*$"
)
#: one canonical literal for words that name the same thing (复查/复诊/随诊 …)
_LITERAL_CANON: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"复诊|复查|随诊|随访|就诊|来看"), "复诊"),
    (re.compile(r"^(?:hr|心跳|心率)$"), "心率"),
    (re.compile(r"^(?:p|脉搏|脉)$"), "脉搏"),
    (re.compile(r"^(?:bp|血压|高压)$"), "血压"),
    (re.compile(r"^(?:t|体温)$"), "体温"),
    (re.compile(r"^(?:spo2|血氧|指脉氧|血氧饱和度)$"), "血氧饱和度"),
)
#: a finding and the narrower findings that support it (a source's 低热 supports a draft's 发热)
_NARROWER: dict[str, tuple[str, ...]] = {"sym:fever": ("sym:low_grade_fever", "sym:high_fever")}
#: pain in general (疼痛): denied, it denies every specific pain
#: procedures that are a route of giving a drug (肌注, 静滴): not findings a source must state
_ROUTE_PROCEDURE = re.compile(r"^procedure:(?:肌内注射|肌肉注射|肌注|静脉注射|静注|静脉滴注|静滴|皮下注射|口服|雾化吸入|舌下含服)$")
#: bleeding said in any words (血流得多, 流血, 渗血, 见红)
#: reactions that, told after a drug, are an allergy to it (荨麻疹, 药疹, 过敏性休克 …)
_ALLERGIC_REACTION = re.compile(r"荨麻疹|药疹|风团|过敏性休克|血管性水肿|喉头水肿|剥脱性皮炎|皮疹")
_BLEEDING_SAID = re.compile(r"出血|流血|血流|渗血|见红|淌血|冒血")
#: unspecified pain, as the packs and the terminology engine key it (不疼 denies each kind of pain)
_PAIN = ("icd10:R52.9", "symptom:疼痛")
#: fever grades by temperature (诊断学 第9版, 2018: 低热 37.3–38℃, 高热 39.1–41℃)
_FEVER_GRADE: dict[str, tuple[float, float]] = {"sym:low_grade_fever": (37.3, 38.05), "sym:high_fever": (39.05, 41.05)}
#: a value qualified as a peak may be any of the source's values of it (体温最高39.5℃)
_PEAK = re.compile(r"最高|最低|峰值|曾达|最多|最少")
_HEAD_SITE = re.compile(r"(额|枕|颞|顶)(?:部|叶)")
#: coronary arteries as angiography reports name them (a lesion moved to another vessel is a contradiction)
_CORONARY = re.compile(
    r"(?P<lm>左主干|(?<![a-z])lm(?![a-z]))|(?P<lad>左前降支|前降支|(?<![a-z])lad(?![a-z]))|"
    r"(?P<lcx>回旋支|(?<![a-z])lcx(?![a-z]))|(?P<rca>右冠状动脉|右冠|(?<![a-z])rca(?![a-z]))"
)
#: limbs: a side on 肢体 is the side of any of them
_LIMBS = frozenset({"肢体", "上肢", "下肢", "手", "足", "腿", "大腿", "小腿", "前臂", "上臂"})


@lru_cache(maxsize=4096)
def _lab_names(item_id: str) -> tuple[str, ...]:
    try:
        from yizhu.knowledge.packs import get_kb

        item = get_kb().get(item_id)
    except Exception:  # not a pack id: no names to compare
        return ()
    return tuple(fold(n) for n in (item.name, *getattr(item, "synonyms", ())) if n)


def _related_labs(a: set[str], b: set[str]) -> bool:
    """Two lab concepts of which one names the other (血糖 / 空腹血糖)."""
    for x in a:
        for y in b:
            if x.startswith("lab:") and y.startswith("lab:"):
                nx, ny = _lab_names(x), _lab_names(y)
                if any(p in q or q in p for p in nx for q in ny):
                    return True
    return False


def _canon_literal(word: str) -> str:
    for rx, canon in _LITERAL_CANON:
        if rx.search(word):
            return canon
    return word


def _raw_numbers(m: re.Match[str]) -> tuple[float, ...]:
    out = []
    for g in ("a", "b", "c", "d"):
        v = m.group(g)
        if v:
            n = cn_number(v)
            if n is not None:
                out.append(n)
    return tuple(out)


@dataclass(frozen=True, slots=True)
class Fact:
    """One checkable claim: a concept with polarity, a quantity, a frequency, a date, a side or a drug."""

    kind: Literal["concept", "quantity", "freq", "date", "side", "drug", "site"]
    key: str
    value: Any
    start: int
    end: int
    text: str
    anchors: frozenset[str] = frozenset()
    source: str | None = None
    #: extra evidence spans: (source id, start, end) — e.g. the question a yes/no answer replies to
    also: tuple[tuple[str, int, int], ...] = ()
    #: a quantity's numbers as written, before any unit conversion (160/95mmHg → (160.0, 95.0))
    raw: tuple[float, ...] = ()
    #: a quantity stated as a peak (最高39.5℃)
    peak: bool = False


def _polarity(m: Mention) -> str:
    return "neg" if m.negated else ("unc" if m.uncertain else "pos")


def _concept_key(m: Mention) -> str:
    return ("family:" if m.family else "") + m.concept


def _qty_value(m: re.Match[str]) -> tuple[str, tuple[float, ...], bool] | None:
    unit = fold(m.group("unit")).lower()
    power = re.match(r"[×x]10\^(\d{1,2})/l", unit)
    if power:  # ×10^9/L and ×10^12/L are different dimensions: a changed exponent is a changed value
        dim, factor = f"e{power.group(1)}/l", 1.0
    else:
        dim, factor = UNITS.get(unit) or UNITS.get(m.group("unit"), ("", 0.0))
    if not dim:
        return None
    a = cn_number(m.group("a"))
    if a is None:
        return None
    if m.group("half"):
        a += 0.5
    values = [a]
    if m.group("b"):
        b = cn_number(m.group("b"))
        if b is not None:
            values.append(b)
    if m.group("c"):
        values.append(float(m.group("c")))
    if m.group("d"):  # 4.2×3.5cm: both dimensions
        values.append(float(m.group("d")))
    approx = bool(m.group("ap1") or m.group("ap2"))
    return dim, tuple(round(v * factor, 6) for v in values), approx


def _mask(text: str, spans: Iterable[tuple[int, int]]) -> str:
    chars = list(text)
    for a, b in spans:
        for i in range(a, b):
            chars[i] = " "
    return "".join(chars)


class FactExtractor:
    """Text → facts. One instance per lexicon; stateless between calls."""

    def __init__(self, lexicon: Lexicon | None = None, lay: ColloquialLexicon | Literal[False] | None = None) -> None:
        self.lexicon = lexicon
        #: the colloquial lexicon lay speech is read through (False: read text as written)
        self.lay: ColloquialLexicon | None = (colloquial() if lay is None else lay) or None

    def mentions(self, text: str) -> list[Mention]:
        found = extract(text, lexicon=self.lexicon)
        split = gapped_mentions(text, found, lexicon=self.lexicon)  # 下面有一点点褐色的血 = 阴道流血
        return sorted([*found, *split], key=lambda m: m.start) if split else found

    def normalised(self, text: str) -> str:
        """The text as the checker reads it: lay words as standard terms, 五年 as 5年."""
        return self.lay.normalise(text).text if self.lay is not None else text

    def facts(
        self, text: str, *, source: str | None = None, asked: bool = False, draft: bool = False,
    ) -> tuple[list[Fact], list[Mention]]:
        """Facts of a text; in a question (``asked``) concept mentions are not claims, only anchors.
        A ``draft`` sentence keeps only the unit-less numbers that follow a lab name (INR 3.2).

        Lay speech is read through the colloquial lexicon (没吐 = 无呕吐, 一天一片 = qd 1片, 后脑勺 = 枕部);
        offsets and texts of the facts are those of the text as written.
        """
        n = self.lay.normalise(text) if self.lay is not None else None
        if n is None or not n.changed:
            return self._facts(text, source=source, asked=asked, draft=draft)
        facts, mentions = self._facts(n.text, source=source, asked=asked, draft=draft)
        out = []
        for f in facts:
            a, b = n.to_original(f.start, f.end)
            out.append(replace(f, start=a, end=b, text=text[a:b]))
        ms = []
        for m in mentions:
            a, b = n.to_original(m.start, m.end)
            ms.append(replace(m, start=a, end=b, text=text[a:b]))
        return out, ms

    def _facts(
        self, text: str, *, source: str | None = None, asked: bool = False, draft: bool = False,
    ) -> tuple[list[Fact], list[Mention]]:
        folded = fold(text).lower()
        mentions = self.mentions(text)
        out: list[Fact] = []
        for m in mentions:
            if m.type == "drug":
                out.append(Fact("drug", m.concept, drug_key(m.text), m.start, m.end, m.text, source=source))
            elif m.type == "procedure" and _ROUTE_PROCEDURE.search(m.concept):
                continue  # 肌注, 静滴: how a drug is given is a detail of the order, not a finding of its own
            elif not asked:
                out.append(Fact("concept", _concept_key(m), _polarity(m), m.start, m.end, m.text, source=source))
        dates = []
        for dm in _DATE.finditer(text):
            if dm.group("y"):
                value = (int(dm.group("y")), int(dm.group("m")), int(dm.group("d")))
            else:
                value = (None, int(dm.group("m2")), int(dm.group("d2")))
            dates.append((dm.start(), dm.end()))
            out.append(Fact("date", "date", value, dm.start(), dm.end(), dm.group(0), source=source))
        dates += [(t.start(), t.end()) for t in _TIME.finditer(text)]
        masked = _mask(folded, dates + [(m.start, m.end) for m in mentions])
        clauses = [c.start() for c in _CLAUSE.finditer(text)]
        index = _MentionIndex(mentions)
        last_qty_end = 0
        qty_spans = []
        for qm in _QTY.finditer(masked):
            parsed = _qty_value(qm)
            if parsed is None:
                continue
            dim, value, _ = parsed
            anchors = self._anchors(text, folded, index, clauses, qm.start(), qm.end(), last_qty_end)
            last_qty_end = qm.end()
            qty_spans.append((qm.start(), qm.end()))
            out.append(Fact("quantity", dim, value, qm.start(), qm.end(), text[qm.start():qm.end()], anchors, source,
                            raw=_raw_numbers(qm), peak=bool(_PEAK.search(text, max(0, qm.start() - 6), qm.start()))))
        for vm in _VITAL_BARE.finditer(_mask(folded, dates + qty_spans)):
            dim, literal, lo, hi = _VITAL_KW[vm.group("kw")]
            a = float(vm.group("a"))
            second = vm.group("b") or vm.group("low")
            values = (a, float(second)) if second else (a,)
            if not all(lo <= v <= hi for v in values[:1]) or (dim == "pressure" and second and float(second) >= a):
                continue
            if dim == "pressure" and not second and vm.group("kw") != "高压":
                continue  # one number after 血压 is not a reading we can compare
            out.append(Fact("quantity", dim, values, vm.start("a"), vm.end(), text[vm.start("a"):vm.end()],
                            frozenset({"lit:" + literal}), source, raw=values))
            qty_spans.append((vm.start("a"), vm.end()))
        # Numbers without a unit (白细胞7.8, 今天量的是158/96, INR 2.3): in a source they can support a draft's
        # value with its unit; in a draft, one right after a lab name is a claim of its own (INR 3.2).
        for bm in _BARE.finditer(_mask(folded, dates + qty_spans)):
            if bm.start() > 0 and folded[bm.start() - 1].isascii() and folded[bm.start() - 1].isalpha():
                continue  # V4, A1c, T2: part of a name
            raw = tuple(float(x) for x in (bm.group("a"), bm.group("b")) if x)
            lab = _LAB_BEFORE.search(folded, max(0, bm.start() - 12), bm.start())
            if draft and not lab:
                continue
            anchors = self._anchors(text, folded, index, clauses, bm.start(), bm.end(), 0)
            if lab:
                anchors = anchors | {"lit:" + _canon_literal(lab.group("lab"))}
            out.append(Fact("quantity", "bare", raw, bm.start(), bm.end(), text[bm.start():bm.end()], anchors, source,
                            raw=raw))
        for fm in [*_FREQ.finditer(folded), *_FREQ_CN_RE.finditer(text)]:
            code = _FREQ_CN.get(fm.group(0), fm.group(0).lower())
            anchors = self._anchors(text, folded, index, clauses, fm.start(), fm.end(), 0, drugs_only=True)
            out.append(Fact("freq", "freq", code, fm.start(), fm.end(), fm.group(0), anchors, source))
        for tm in _TEST_RE.finditer(text):
            name = re.split(r"[，,。；;：:、\s]", tm.group("name"))[-1][-8:]
            if re.search(r"(?:未见|未引出|未|无|没有)$", name):
                continue  # 未见阳性体征: a denial, not a test result
            if len(name) >= 2:
                value = "neg" if tm.group("res") in ("阴性", "(-)", "（-）") else "pos"
                out.append(Fact("concept", "test:" + fold(name), value, tm.start("res") - len(name), tm.end(),
                                name + tm.group("res"), source=source))
        for sm in _SIDE_RE.finditer(text):
            part = _PART_ALIAS.get(sm.group("part"), sm.group("part"))
            out.append(Fact("side", part, _SIDES[sm.group("side")], sm.start(), sm.end(), sm.group(0), source=source))
        for hm in _HEAD_SITE.finditer(text):
            out.append(Fact("site", "head", hm.group(1), hm.start(), hm.end(), hm.group(0), source=source))
        for vm in _CORONARY.finditer(folded):
            vessel = next(k for k, v in vm.groupdict().items() if v)
            out.append(Fact("site", "coronary", vessel, vm.start(), vm.end(), text[vm.start():vm.end()], source=source))
        return out, mentions

    @staticmethod
    def _anchors(
        text: str, folded: str, index: _MentionIndex, clauses: list[int], start: int, end: int,
        since: int, *, drugs_only: bool = False,
    ) -> frozenset[str]:
        # clause bounds and mentions by binary search: linear in the text overall, not per quantity
        k = bisect_left(clauses, start)
        c0 = clauses[k - 1] + 1 if k > 0 else 0
        k = bisect_left(clauses, end)
        c1 = clauses[k] if k < len(clauses) else len(text)
        ms, starts = (index.drugs, index.drug_starts) if drugs_only else (index.all, index.starts)
        last = index.last_before(ms, starts, c0, start)
        recent: list[Mention] = []
        if not drugs_only:
            lo = bisect_left(starts, max(c0, since))
            hi = bisect_left(starts, start)
            recent = [m for m in ms[lo:hi] if m.end <= start]
        if not recent and last is not None:
            recent = [last]
        if recent:
            return frozenset(_anchor_key(m) for m in recent)
        if not drugs_only:
            k = bisect_left(starts, end)
            if k < len(ms) and ms[k].end <= c1:
                return frozenset({_anchor_key(ms[k])})
        # No mention: the word right before the number (体温 38.5℃, BP 120/80mmHg).
        i = start
        while i > c0 and (folded[i - 1] in " \t\u3000" or folded[i - 1] in _FILLER):
            i -= 1
        j = i
        while j > c0 and i - j < 4 and (folded[j - 1].isalpha()) and folded[j - 1] not in _FILLER:
            j -= 1
        word = folded[j:i].strip()
        if word and not any(ch.isdigit() for ch in folded[max(c0, j - 1):j]):
            return frozenset({"lit:" + _canon_literal(_LITERAL_ALIAS.get(word, word))})
        # nothing before: the word after the quantity (两周后复诊 → 复诊)
        k = end
        while k < c1 and folded[k] in "后前余内左右以上下":
            k += 1
        tail = "".join(ch for ch in folded[k:min(c1, k + 3)] if "\u4e00" <= ch <= "\u9fff")
        return frozenset({"lit:" + _canon_literal(tail)}) if len(tail) >= 2 else frozenset()


def _anchor_key(m: Mention) -> str:
    return m.concept


class _MentionIndex:
    """Mentions of one text sorted by start, with the drug mentions apart, for binary search."""

    def __init__(self, mentions: list[Mention]) -> None:
        self.all = sorted(mentions, key=lambda m: m.start)
        self.starts = [m.start for m in self.all]
        self.drugs = [m for m in self.all if m.type == "drug"]
        self.drug_starts = [m.start for m in self.drugs]

    @staticmethod
    def last_before(ms: list[Mention], starts: list[int], c0: int, start: int) -> Mention | None:
        """The last mention inside [c0, start) that ends by ``start``."""
        k = bisect_left(starts, start) - 1
        while k >= 0 and ms[k].start >= c0:
            if ms[k].end <= start:
                return ms[k]
            k -= 1
        return None


# ── sources ──────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class SourceText:
    """A text a draft may rest on: a dialogue turn, a document section, an order or lab row.

    ``speaker`` is set for dialogue turns (``doctor``, ``patient``, ``family``); a doctor's question is
    then read together with the answer that follows it.
    """

    id: str
    text: str
    label: str = ""
    speaker: str | None = None


@dataclass(frozen=True)
class Evidence:
    """A source span that supports (or contradicts) a sentence."""

    source: str
    start: int
    end: int
    text: str

    def as_dict(self) -> dict[str, Any]:
        return {"source": self.source, "start": self.start, "end": self.end, "text": self.text}


@dataclass
class SentenceCheck:
    """The verdict on one sentence: status, the evidence found, and why it was flagged."""

    text: str
    status: Status
    evidence: list[Evidence] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    facts: int = 0

    @property
    def flagged(self) -> bool:
        return self.status != "supported"

    def as_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "status": self.status,
            "evidence": [e.as_dict() for e in self.evidence],
            "reasons": list(self.reasons),
        }


Cited = str | tuple[str, int | None, int | None]
#: a bare nil entry (既往史：无, 过敏史：否认, 家族史：无特殊): a sentence of only this word says the same
_NIL_WORDS = frozenset({"无", "否认", "无特殊", "无殊", "不详", "没有", "均无", "暂无"})
#: a denial of one history topic, as a heading with a nil entry (长期用药：无) or in record words (无长期用药,
#: 否认药物及食物过敏史, 否认家族遗传病史)
_TOPIC_NIL = re.compile(r"(?P<h>[\u4e00-\u9fff]{2,8})[:：](?:无|否认|没有|无特殊)|(?:无|否认)(?P<t>[\u4e00-\u9fff、]{2,12}?)(?:病)?史?")
#: the topics such a denial may name → the words a section heading of that topic carries
_NIL_TOPICS: dict[str, tuple[str, ...]] = {
    "用药": ("用药", "服药", "药物"), "过敏": ("过敏",), "家族": ("家族", "遗传"), "手术": ("手术",),
    "输血": ("输血",), "外伤": ("外伤",), "传染": ("传染",)}
_NIL_ENTRY = re.compile(r"(?:^|(?<=[\s:：；;。，,]))(?P<w>无特殊|无殊|不详|否认|没有|均无|暂无|无)(?=[\s；;。，,]|$)")


def _is_question(text: str) -> bool:
    return bool(_Q_MARK.search(text))


def _question_runs(text: str) -> list[tuple[int, int, bool]]:
    """A doctor's turn as runs of statements and of questions: (start, end, is question)."""
    runs: list[tuple[int, int, bool]] = []
    for a, b in split_sentences(text):
        q = _is_question(text[a:b])
        if runs and runs[-1][2] == q:
            runs[-1] = (runs[-1][0], b, q)
        else:
            runs.append((runs[-1][1] if runs else 0, b, q))
    if runs:
        runs[-1] = (runs[-1][0], len(text), runs[-1][2])
    return runs


#: words that carry no fact of their own: a sentence is compared on the rest (偶有枕部发紧感 vs 偶有枕部发紧)
_FILLER_WORDS = re.compile(r"患者|患儿|出现|伴有|伴|明显|自觉|感(?=$|[，,。；;])|可|为|约|见|于|及|和|等|者|时|的|了|都")


def _bigrams(text: str) -> set[str]:
    t = re.sub(r"[（(][a-z]\d{2}[^）)]*[）)]", "", fold(text))  # an ICD-10 code the draft added is not wording
    t = re.sub(r"[^\w\u4e00-\u9fff]", "", t.lower())
    t = _NEG_WORDS.sub("无", t)
    t = _DONT_WORDS.sub("勿", t)
    t = _FILLER_WORDS.sub("", t)
    return {t[i : i + 2] for i in range(len(t) - 1)}


#: spoken and record negations compared as one word (没有啰音 = 未闻及啰音, 没摸到 = 未触及)
_NEG_WORDS = re.compile(r"未闻及|未触及|未见|未引出|没有|没听到|没摸到|没看到|没")
#: a spoken prohibition and the record's compared as one word (别吃辣的 = 勿食辛辣 wording: 勿吃辣的)
_DONT_WORDS = re.compile(r"不要|不能|别|禁止")


def _edit_distance(a: str, b: str, limit: int = 3) -> int:
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
        prev = cur
    return prev[-1]


def _close_drugs(a: str, b: str) -> bool:
    """Look-alike names: one or two characters apart (依那普利/贝那普利, 阿糖胞苷/阿糖腺苷, 泼尼松/泼尼松龙)."""
    if a == b or min(len(a), len(b)) < 2:
        return False
    d = _edit_distance(a, b, 2)
    return d == 1 or (d == 2 and min(len(a), len(b)) >= 4)


def _same_qty(a: tuple[float, ...], b: tuple[float, ...], dim: str, cross_unit: bool) -> bool:
    if len(a) != len(b):
        return False
    for x, y in zip(a, b, strict=True):
        tol = 0.1 if (dim == "duration" and cross_unit) else 0.005
        if abs(x - y) > tol * max(abs(x), abs(y), 1e-9):
            return False
    return True


def _unit_of(fact: Fact) -> str:
    return _unit_of_text(fact.text)


@lru_cache(maxsize=65536)
def _unit_of_text(text: str) -> str:
    m = _QTY.match(fold(text).lower())
    return m.group("unit") if m else ""


def _bucket(value: Any) -> int | None:
    """A 5% log bucket of a quantity's first number (None for zero or a non-number)."""
    try:
        v = float(value[0])
    except (TypeError, ValueError, IndexError):
        return None
    return round(math.log(v) * 20) if v > 0 else None


class _Pool:
    """The facts a sentence is checked against: every source, or the cited spans, looked up by key."""

    def __init__(self, checker: GroundingChecker, cited: Sequence[Cited] | None) -> None:
        self.c = checker
        self.spans: list[tuple[str, int | None, int | None]] | None = None
        if cited is not None:
            self.spans = [(c, None, None) if isinstance(c, str) else c for c in cited]

    def _ok(self, f: Fact) -> bool:
        if self.spans is None:
            return True
        for sid, a, b in self.spans:
            if f.source == sid and (a is None or f.end > a) and (b is None or f.start < b):
                return True
        return False

    def same(self, kind: str, key: str) -> list[Fact]:
        if self.spans is None:
            return self.c._index.get((kind, key), [])  # shared: callers only read it
        out: list[Fact] = []
        for sid in dict.fromkeys(s for s, _, _ in self.spans):
            out += [f for f in self.c._src_index.get((sid, kind, key), ()) if self._ok(f)]
        return out

    def near(self, fact: Fact) -> list[Fact]:
        """Facts of the same kind and key whose value could equal this one (same bucket or a neighbour)."""
        if fact.kind == "freq":
            return [f for f in self.c._exact.get((fact.kind, fact.key, fact.value), ()) if self._ok(f)]
        b = _bucket(fact.value)
        if b is None:
            return [f for f in self.same(fact.kind, fact.key) if _bucket(f.value) is None]
        out: list[Fact] = []
        for k in range(b - 2, b + 3):
            out += [f for f in self.c._buckets.get((fact.key, len(fact.value), k), ()) if self._ok(f)]
        return out

    def anchored(self, kind: str, key: str, anchors: frozenset[str]) -> list[Fact]:
        """Facts of a kind and key that qualify any of these anchors, in source order."""
        seen: dict[int, Fact] = {}
        for a in anchors:
            for f in self.c._anchor_index.get((kind, key, a), ()):
                if self._ok(f):
                    seen.setdefault(id(f), f)
        return sorted(seen.values(), key=lambda f: self.c._rank[id(f)])

    def raw(self, numbers: tuple[float, ...]) -> list[Fact]:
        """Quantities and unit-less numbers written with exactly these numbers."""
        return [f for f in self.c._raw.get(numbers, ()) if self._ok(f)]

    def of_kind(self, kind: str) -> list[Fact]:
        """Distinct facts of a kind (by text): drugs for look-alike names."""
        if self.spans is None:
            return self.c._distinct.get(kind, [])
        seen: dict[str, Fact] = {}
        for sid in dict.fromkeys(s for s, _, _ in self.spans):
            for f in self.c._src_kind.get((sid, kind), ()):
                if self._ok(f):
                    seen.setdefault(fold(f.text), f)
        return list(seen.values())

    def concepts_like(self, text: str) -> list[Fact]:
        """Concept facts whose wording contains, or is contained in, ``text`` (下肢水肿 vs 水肿)."""
        t = fold(text)
        found: list[Fact] = []
        if len(t) <= _MAX_SUB:
            found += self.c._concept_sub.get(t, [])
        for i in range(len(t)):
            for j in range(i + 2, min(len(t), i + _MAX_SUB) + 1):
                found += self.c._concept_text.get(t[i:j], [])
        out, seen = [], set()
        for f in found:
            if id(f) not in seen and self._ok(f):
                seen.add(id(f))
                out.append(f)
        return out


_MAX_SUB = 16


class GroundingChecker:
    """Check sentences against a fixed set of sources (facts of each source are computed once).

    Facts are indexed by (kind, key), concept wordings by substring and source wordings by bigram, so
    checking a draft costs about its length times a small constant, not its length times the sources'.
    """

    def __init__(
        self,
        sources: Sequence[SourceText],
        *,
        lexicon: Lexicon | None = None,
        overlap_threshold: float = 0.6,
        lay: ColloquialLexicon | Literal[False] | None = None,
    ) -> None:
        self.sources = {s.id: s for s in sources}
        self.order = [s.id for s in sources]
        self.extractor = FactExtractor(lexicon, lay)
        self.overlap_threshold = overlap_threshold
        self._facts: dict[str, list[Fact]] = {}
        self._index: dict[tuple[str, str], list[Fact]] = {}
        self._src_index: dict[tuple[str, str, str], list[Fact]] = {}
        self._src_kind: dict[tuple[str, str], list[Fact]] = {}
        self._distinct: dict[str, list[Fact]] = {}
        self._concept_text: dict[str, list[Fact]] = {}
        self._concept_sub: dict[str, list[Fact]] = {}
        self._bigrams: dict[str, set[str]] = {}
        self._postings: dict[str, list[str]] = {}
        self._raw: dict[tuple[float, ...], list[Fact]] = {}
        self._exact: dict[tuple[str, str, Any], list[Fact]] = {}
        self._buckets: dict[tuple[str, int, int], list[Fact]] = {}
        self._anchor_index: dict[tuple[str, str, str], list[Fact]] = {}
        self._rank: dict[int, int] = {}
        self._build(sources)

    def _build(self, sources: Sequence[SourceText]) -> None:
        prev: SourceText | None = None
        prev_mentions: list[Mention] = []
        for s in sources:
            asked = s.speaker == "doctor" and _is_question(s.text)
            parts = _question_runs(s.text) if asked else []
            if len(parts) > 1:
                # 所以诊断妊娠期糖尿病。最近有没有口干？ / 血压多少？心率78，双肺没有啰音。 — what the doctor
                # states in the turn is a claim; the answer (没有) answers only the last question
                facts, mentions = [], []
                for a, b, is_q in parts:
                    fs, ms = self.extractor.facts(s.text[a:b], source=s.id, asked=is_q)
                    facts += [replace(f, start=f.start + a, end=f.end + a) for f in fs]
                    if is_q:
                        mentions = [replace(m, start=m.start + a, end=m.end + a) for m in ms]
            else:
                facts, mentions = self.extractor.facts(s.text, source=s.id, asked=asked)
            if prev is not None and s.speaker in ("patient", "family"):
                facts += self._answers(prev, prev_mentions, s, facts)
            self._facts[s.id] = facts
            grams = _bigrams(self.extractor.normalised(s.text))
            self._bigrams[s.id] = grams
            for g in grams:
                self._postings.setdefault(g, []).append(s.id)
            is_q = s.speaker == "doctor" and _is_question(s.text)
            prev, prev_mentions = (s, mentions) if is_q else (None, [])
        distinct: dict[str, dict[str, Fact]] = {}
        for sid in self.order:
            for f in self._facts[sid]:
                self._index.setdefault((f.kind, f.key), []).append(f)
                self._rank[id(f)] = len(self._rank)
                if f.raw:
                    self._raw.setdefault(f.raw, []).append(f)
                if f.kind == "freq":
                    self._exact.setdefault((f.kind, f.key, f.value), []).append(f)
                elif f.kind == "quantity" and (b := _bucket(f.value)) is not None:
                    self._buckets.setdefault((f.key, len(f.value), b), []).append(f)
                for a in f.anchors:
                    self._anchor_index.setdefault((f.kind, f.key, a), []).append(f)
                self._src_index.setdefault((sid, f.kind, f.key), []).append(f)
                self._src_kind.setdefault((sid, f.kind), []).append(f)
                distinct.setdefault(f.kind, {}).setdefault(fold(f.text), f)
                if f.kind == "concept" and len(f.text) >= 2:
                    t = fold(f.text)
                    self._concept_text.setdefault(t, []).append(f)
                    subs = {t[i:j] for i in range(len(t)) for j in range(i + 2, min(len(t), i + _MAX_SUB) + 1)}
                    for sub in subs:
                        self._concept_sub.setdefault(sub, []).append(f)
        self._distinct = {k: list(v.values()) for k, v in distinct.items()}

    def _answers(self, q: SourceText, q_mentions: list[Mention], a: SourceText, a_facts: list[Fact]) -> list[Fact]:
        """Facts a yes/no answer gives to the concepts its question asked about."""
        out: list[Fact] = []
        head = a.text[:6]
        answered = {f.key for f in a_facts if f.kind == "concept"}
        polarity = "neg" if _NO.match(head) else ("pos" if _YES.match(head) else None)
        concepts = [m for m in q_mentions if m.type != "drug"]
        if polarity is None and _WH.search(q.text) and concepts and not _NO.search(a.text[:4]):
            polarity = "pos"  # 血压高几年了？ 五年了。 — the answer takes the finding as given
        if polarity is not None:
            m0 = _NO.match(head) or _YES.match(head) or re.match(r"\s*\S{0,4}", head)
            assert m0 is not None
            for m in concepts:
                if _concept_key(m) in answered:
                    continue
                out.append(
                    Fact("concept", _concept_key(m), polarity, m0.start(), m0.end(), a.text[m0.start():m0.end()],
                         source=a.id, also=((q.id, m.start, m.end),))
                )
        # Quantities in the answer qualify what was asked (发烧几天了？ 三天。)
        anchors = frozenset(_anchor_key(m) for m in concepts)
        if anchors:
            for i, f in enumerate(a_facts):
                if f.kind == "quantity" and not (f.anchors - {x for x in f.anchors if x.startswith("lit:")}):
                    a_facts[i] = replace(f, anchors=anchors | f.anchors,
                                         also=((q.id, concepts[0].start, concepts[-1].end),))
        return out

    # ── checking ──

    def _pool_sources(self, pool: _Pool) -> list[str]:
        """Ids of the sources a sentence is checked against (the cited ones, or all)."""
        if pool.spans is None:
            return list(self.sources)
        return [sid for sid in dict.fromkeys(s for s, _, _ in pool.spans) if sid in self.sources]

    def _pool(self, cited: Sequence[Cited] | None) -> list[Fact]:
        """Every fact of the cited spans (or of all sources), in source order."""
        if cited is None:
            return [f for sid in self.order for f in self._facts[sid]]
        p = _Pool(self, cited)
        out: list[Fact] = []
        for sid in dict.fromkeys(s for s, _, _ in p.spans or ()):
            out += [f for f in self._facts.get(sid, ()) if p._ok(f)]
        return out

    def _evidence(self, f: Fact) -> list[Evidence]:
        out = []
        if f.source is not None:
            out.append(Evidence(f.source, f.start, f.end, f.text))
        for sid, a, b in f.also:
            src = self.sources.get(sid)
            if src is not None:
                out.append(Evidence(sid, a, b, src.text[a:b]))
        return out

    def _match(self, fact: Fact, pool: _Pool) -> tuple[Status, list[Fact], str]:
        same = pool.same(fact.kind, fact.key)
        if fact.kind == "concept" and not same and fact.key in _NARROWER:
            same = [p for k in _NARROWER[fact.key] for p in pool.same("concept", k)]  # 发热 covers 低热, 高热
        if fact.kind == "concept" and not same and fact.key in _FEVER_GRADE and fact.value != "neg":
            # 低热 / 高热 where the source says 发烧 and gives the temperature (有点发烧，37度8)
            lo, hi = _FEVER_GRADE[fact.key]
            fever = [p for p in pool.same("concept", "sym:fever") if p.value != "neg"]
            temps = [p for p in pool.same("quantity", "temperature") if lo <= p.value[0] < hi]
            if fever and temps:
                return "supported", [fever[0], temps[0]], ""
        if fact.kind == "concept" and not same and fact.value == "neg" and fact.text.endswith(("痛", "疼")):
            # 无腹痛 where the patient said 不疼: a denial of pain covers each kind of pain
            denied = [p for k in _PAIN for p in pool.same("concept", k) if p.value == "neg"]
            if denied:
                return "supported", denied[:1], ""
        if fact.kind == "concept" and not same and fact.value != "neg" and fact.text.endswith(("痛", "疼")):
            # 右上腹痛 where the patient said 右边肋骨下面这块…开始疼: a pain, with the site named in the same turn
            # (or 肚子疼，右下腹: a pain of the region, the site said after it)
            site = fact.text[:-1]
            pains = [p for k in _PAIN for p in pool.same("concept", k) if p.value != "neg"]
            pains += [p for p in pool.of_kind("concept") if p.value != "neg"
                      and self.extractor.normalised(p.text).endswith(("痛", "疼"))
                      and len(w := self.extractor.normalised(p.text)) >= 2 and w[-2] in site]
            for p in pains:
                src = self.sources.get(p.source or "")
                if site and src is not None and site in self.extractor.normalised(src.text):
                    return "supported", [p], ""
        if fact.kind == "concept" and not same and fact.value != "neg" and fact.text.endswith("出血"):
            # 手掌出血 where the patient said 左手手心 … 血流得多: bleeding said in lay words, at a site named
            site = fact.text[:-2]
            for sid in self._pool_sources(pool):
                said = self.extractor.normalised(self.sources[sid].text)
                if _BLEEDING_SAID.search(said) and site and any(
                        site in self.extractor.normalised(self.sources[x].text) for x in self._pool_sources(pool)):
                    return "supported", [], ""
        if fact.kind == "concept" and not same and fact.key == "hx:allergy" and fact.value != "neg":
            # 对阿莫西林过敏 where the record tells 口服阿莫西林后…出现风团，诊为荨麻疹: an allergic reaction told after a
            # drug, in the same source, is that allergy (the drug itself is checked as a drug fact)
            named = getattr(self, "_sentence_drugs", frozenset())  # the drugs the draft's sentence names
            drugs = [d for d in pool.of_kind("drug") if d.value in named]
            seen = [p for p in pool.of_kind("concept") if p.value != "neg"
                    and _ALLERGIC_REACTION.search(self.extractor.normalised(p.text))
                    and any(d.source == p.source and 0 <= p.start - d.end <= 60 and not re.search(
                        r"[。；;]", (self.sources[d.source].text if d.source in self.sources else "")[d.end:p.start])
                        for d in drugs)]
            if seen:
                return "supported", seen[:1], ""
        if fact.kind == "concept" and not same:
            # 下肢水肿 vs 水肿: a mention whose wording contains the other's is the same finding.
            same = pool.concepts_like(fact.text)
        if fact.kind == "concept":
            pos = fact.value in ("pos", "unc")
            ok = [p for p in same if (p.value in ("pos", "unc")) == pos]
            if ok:
                return "supported", ok[:2], ""
            opp = [p for p in same if (p.value == "neg") != (fact.value == "neg")]
            if opp and (fact.value == "neg" or any(p.value == "neg" for p in opp)):
                flip = "否定" if fact.value == "neg" else "肯定"
                return "contradicted", opp[:2], f"「{fact.text}」在草稿中为{flip}，来源中相反"
            return "unsupported", [], f"「{fact.text}」在来源中未提及"
        if fact.kind == "drug":
            if same:
                return "supported", same[:1], ""
            close = [p for p in pool.of_kind("drug") if _close_drugs(fact.value, p.value)]
            if close:
                return "contradicted", close[:1], f"药名「{fact.text}」与来源「{close[0].text}」仅差一两个字"
            return "unsupported", [], f"药物「{fact.text}」在来源中未出现"
        if fact.kind == "quantity" and fact.key == "bare":
            # a unit-less value after a lab name (INR 3.2): the same number must be in the source
            hits = pool.raw(fact.value)
            if hits:
                return "supported", hits[:1], ""
            return "unsupported", [], f"「{fact.text}」在来源中未出现"
        if fact.kind == "quantity":
            # the source may say the value without its unit (白细胞7.8, 158/96, 心率76次): the same numbers,
            # unit-less or in another dimension, support it; the same dimension must agree on the value
            written = [p for p in pool.raw(fact.raw)
                       if p.key == "bare" or {p.key, fact.key} == {"rate", "count"}] if fact.raw else []
            mine = {a for a in fact.anchors if not a.startswith("lit:")}
            # the unit-less number must not be about something else (肌酐76 does not support 心率76次/分)
            written = [p for p in written if not (named := {a for a in p.anchors if not a.startswith("lit:")})
                       or not mine or named & mine or _related_labs(named, mine)]
            if written:
                return "supported", written[:1], ""
        if fact.kind in ("quantity", "freq"):
            mine_unit = _unit_of(fact) if fact.kind == "quantity" else ""
            # candidates by value bucket, not every value of the sources: near-linear in the draft's length
            equal = [
                p for p in pool.near(fact)
                if (p.value == fact.value if fact.kind == "freq"
                    else _same_qty(fact.value, p.value, fact.key, _unit_of(p) != mine_unit))
            ]
            if fact.anchors and fact.peak and equal:
                return "supported", equal[:1], ""  # 体温最高39.5℃: one of the values the source gives
            if fact.anchors:
                anchored = pool.anchored(fact.kind, fact.key, fact.anchors)
                equal_ids = {id(p) for p in equal}
                good = [p for p in anchored if id(p) in equal_ids]
                if good:
                    return "supported", good[:1], ""
                # an equal value the source wrote without naming what it qualifies (每天一片5mg)
                loose = [p for p in equal if not any(not a.startswith("lit:") for a in p.anchors)]
                if anchored and loose:
                    return "supported", loose[:1], ""
                if anchored:
                    return "contradicted", anchored[:1], f"「{fact.text}」与来源「{anchored[0].text}」不一致"
                named = {a for a in fact.anchors if not a.startswith("lit:")}
                if named and not any(pool.same("concept", k) or pool.same("drug", k) for k in named):
                    # the drug or finding it qualifies is not in the source: its value cannot be either
                    return "unsupported", [], f"「{fact.text}」所指的项目在来源中未出现"
            if equal:
                return "supported", equal[:1], ""
            if same:
                return "contradicted", same[:1], f"「{fact.text}」与来源「{same[0].text}」不一致"
            return "unsupported", [], f"「{fact.text}」在来源中未出现"
        if fact.kind == "date":
            y, m, d = fact.value
            equal = [p for p in same if p.value[1:] == (m, d) and (y is None or p.value[0] in (None, y))]
            if equal:
                return "supported", equal[:1], ""
            if same:
                return "contradicted", same[:1], f"日期「{fact.text}」与来源「{same[0].text}」不一致"
            return "unsupported", [], f"日期「{fact.text}」在来源中未出现"
        if fact.kind == "site":
            equal = [p for p in same if p.value == fact.value]
            if equal:
                return "supported", equal[:1], ""
            if same:
                return "contradicted", same[:1], f"部位「{fact.text}」与来源「{same[0].text}」不一致"
            return "supported", [], ""  # a site the source does not name: the concept facts decide
        # side: 双 in the source covers 左 and 右 in the sentence; 肢体 stands for any limb
        if fact.key in _LIMBS:
            same = [p for k in _LIMBS for p in pool.same("side", k)]
        equal = [p for p in same if p.value == fact.value or p.value == "双"]
        if equal:
            return "supported", equal[:1], ""
        if same:
            return "contradicted", same[:1], f"部位「{fact.text}」与来源「{same[0].text}」左右不一致"
        return "supported", [], ""  # no side in the source for this part: nothing to contradict

    def _lookalikes(self, sentence: str, facts: list[Fact], pool: _Pool) -> list[tuple[str, list[Fact]]]:
        """Source drug names that appear in the sentence with one character changed (三甲双胍 for 二甲双胍)."""
        drugs = pool.of_kind("drug")
        if not drugs:
            return []
        seen_keys = {f.key for f in facts if f.kind == "drug"}
        folded = fold(sentence)
        # one wildcard key per position of each name: a window one character away shares one of them
        wild: dict[str, list[tuple[int, Fact]]] = {}
        lengths: set[int] = set()
        for rank, d in enumerate(drugs):
            name = fold(d.text)
            if len(name) < 3 or d.key in seen_keys or name in folded:
                continue
            lengths.add(len(name))
            for i in range(len(name)):
                wild.setdefault(name[:i] + "\0" + name[i + 1:], []).append((rank, d))
        if not wild:
            return []
        taken = bytearray(len(sentence) + 1)
        for f in facts:
            if f.kind == "drug":
                taken[f.start:f.end] = b"\x01" * (f.end - f.start)
        found: dict[str, tuple[int, str, Fact]] = {}
        for n in sorted(lengths):
            for i in range(0, len(folded) - n + 1):
                if taken.find(1, i, i + n) != -1:
                    continue
                window = folded[i : i + n]
                for j in range(n):
                    for rank, d in wild.get(window[:j] + "\0" + window[j + 1:], ()):
                        name = fold(d.text)
                        if name not in found and window != name:
                            found[name] = (rank, f"药名「{sentence[i:i + n]}」与来源「{d.text}」仅差一个字", d)
        return [(why, [d]) for _, why, d in sorted(found.values(), key=lambda x: x[0])]

    def _overlap(self, grams: set[str], ids: Sequence[str] | None) -> tuple[float, str | None]:
        """The source sharing the largest share of the sentence's bigrams (``ids``: only these sources)."""
        if not grams:
            return 0.0, None
        if ids is not None:
            best, best_id = 0.0, None
            for sid in ids:
                r = len(grams & self._bigrams.get(sid, set())) / len(grams)
                if r > best:
                    best, best_id = r, sid
            return best, best_id
        # A source holding a share t of the bigrams holds at least one of any (1 - t)·n + 1 of them, so the
        # sources listed under the rarest few bigrams are the only candidates.
        k = int((1 - self.overlap_threshold) * len(grams)) + 1
        rare = sorted(grams, key=lambda g: len(self._postings.get(g, ())))[:k]
        cands = dict.fromkeys(sid for g in rare for sid in self._postings.get(g, ()))
        return self._overlap(grams, list(cands)) if cands else (0.0, None)

    def _nil_support(self, sentence: str, cited: Sequence[Cited] | None) -> Evidence | None:
        """无。/ 否认。/ 无特殊。: a bare nil statement is supported by a source that says the same bare word
        as an entry of its own (既往疾病：无；…, 过敏史：否认) in the span the sentence cites."""
        core = re.sub(r"[\s。；;，,.！!]", "", sentence)
        if core not in _NIL_WORDS or not cited:
            return None  # uncited, a bare 无 could be any section's: it proves nothing
        spans = [(c, None, None) if isinstance(c, str) else c for c in cited]
        for sid, a, b in spans:
            src = self.sources.get(sid)
            if src is None:
                continue
            a = a or 0
            b = len(src.text) if b is None else b
            for m in _NIL_ENTRY.finditer(src.text, a, b):
                if m.group("w") in _NIL_WORDS:
                    return Evidence(sid, m.start("w"), m.end("w"), m.group("w"))
        return None

    def _topic_nil_support(self, sentence: str, cited: Sequence[Cited] | None) -> Evidence | None:
        """长期用药：无 / 无长期用药 / 否认药物及食物过敏史: a denial of one history topic is supported by a cited
        section of that topic whose whole text is a bare nil word (a form's 用药史: 无, 过敏史: 没有)."""
        core = re.sub(r"[\s。；;，,.！!]", "", sentence)
        m = _TOPIC_NIL.fullmatch(core)
        if m is None or not cited:
            return None
        said = m.group("h") or m.group("t") or ""
        topics = {"过敏"} if "过敏" in said else {t for t, words in _NIL_TOPICS.items() if any(w in said for w in words)}
        if not topics:
            return None
        for c in cited:
            sid, a, b = (c, None, None) if isinstance(c, str) else c
            src = self.sources.get(sid)
            if src is None:
                continue
            heading = src.label.rsplit("·", 1)[-1]
            text = src.text[a or 0:len(src.text) if b is None else b]
            w = re.sub(r"[\s。；;，,.！!]", "", text)
            if w in _NIL_WORDS and any(x in heading for t in topics for x in _NIL_TOPICS[t]):
                start = src.text.find(w, a or 0)
                return Evidence(sid, start, start + len(w), w)
        return None

    def check(self, sentence: str, cited: Sequence[Cited] | None = None) -> SentenceCheck:
        """Verdict on one sentence against its cited sources (``None``: against every source)."""
        topic_nil = self._topic_nil_support(sentence, cited)
        if topic_nil is not None:
            return SentenceCheck(sentence, "supported", [topic_nil], [])
        facts, _ = self.extractor.facts(sentence, draft=True)
        cited_pool = _Pool(self, cited)
        all_pool = cited_pool if cited is None else _Pool(self, None)
        evidence: list[Evidence] = []
        reasons: list[str] = []
        statuses: list[Status] = []
        self._sentence_drugs = frozenset(f.value for f in facts if f.kind == "drug")
        for f in facts:
            status, hits, why = self._match(f, cited_pool)
            if status == "unsupported" and cited is not None:
                status, hits, why = self._match(f, all_pool)
            statuses.append(status)
            for h in hits:
                evidence.extend(self._evidence(h))
            if why:
                reasons.append(why)
        for why, hits in self._lookalikes(sentence, facts, cited_pool):
            statuses.append("contradicted")
            reasons.append(why)
            for h in hits:
                evidence.extend(self._evidence(h))
        nil = self._nil_support(sentence, cited) if not facts else None
        if nil is not None:
            evidence.append(nil)
            statuses.append("supported")
        elif not facts:
            ids = None if cited is None else [c if isinstance(c, str) else c[0] for c in cited]
            grams = _bigrams(self.extractor.normalised(sentence))
            best, best_id = self._overlap(grams, ids)
            if best < self.overlap_threshold and cited is not None:
                best2, id2 = self._overlap(grams, None)
                if best2 > best:
                    best, best_id = best2, id2
            if best >= self.overlap_threshold and best_id is not None:
                src = self.sources[best_id]
                evidence.append(Evidence(best_id, 0, len(src.text), src.text))
                statuses.append("supported")
            else:
                statuses.append("unsupported")
                reasons.append("句中没有可核对的事实，且与来源措辞差异大")
        status: Status = (
            "contradicted" if "contradicted" in statuses else "unsupported" if "unsupported" in statuses else "supported"
        )
        seen: set[tuple[str, int, int]] = set()
        unique = []
        for e in evidence:
            k = (e.source, e.start, e.end)
            if k not in seen:
                seen.add(k)
                unique.append(e)
        return SentenceCheck(sentence, status, unique, reasons, len(facts))


def check_sentence(sentence: str, sources: Sequence[SourceText], cited: Sequence[Cited] | None = None) -> SentenceCheck:
    """One-off check of a sentence (builds a checker; reuse ``GroundingChecker`` for many sentences)."""
    return GroundingChecker(sources).check(sentence, cited)
