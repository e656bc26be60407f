"""Omission check: does a draft carry every diagnosis, medication, allergy, key result and plan item of its sources?

Grounding (``safety.grounding``) checks what a draft *says*; this checks what it *leaves out*. From the
sources it lists the items a clinician would expect to find again:

==========  =====================================================================================
kind        taken from
==========  =====================================================================================
diagnosis   diagnosis rows; every item of a 诊断 section list (1.… 2.… 3.2型糖尿病); a doctor's
            diagnosis statement in a dialogue (考虑支原体肺炎)
medication  active medication orders given to it; drugs a doctor prescribes or a patient takes
allergy     allergy rows; positive statements in 过敏史 or in a patient's answer (青霉素过敏)
result      abnormal lab rows (↑ ↓); abnormal findings of 辅助检查 and results a doctor reads out
plan        follow-up instructions (出院后2周门诊复查, 三天后回来复查)
==========  =====================================================================================

Each item is then ``included`` (the draft names it: same concept, drug, value or wording),
``left_out`` (the draft says it is left out: a section note or a sentence that names it as stopped or not
listed), or ``omitted``. Only ``omitted`` items are findings.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from yizhu.datafile import load_yaml_model
from yizhu.knowledge.terminology.text import fold
from yizhu.safety.entities import drug_key, extract
from yizhu.safety.grounding import FactExtractor, split_sentences

ItemKind = Literal["diagnosis", "medication", "allergy", "result", "plan"]
ITEM_KINDS: tuple[ItemKind, ...] = ("diagnosis", "medication", "allergy", "result", "plan")
OmissionStatus = Literal["included", "left_out", "omitted"]
RULE_VERSION = "v1"
OMISSION_SOURCE = (
    "yizhu 病历草稿遗漏核对 (safety.omission v1): 《病历书写基本规范》(卫医政发〔2010〕11号) 出院记录应含入院诊断、"
    "出院诊断、诊疗经过与出院医嘱，门诊病历应含辅助检查结果、诊断及治疗意见"
)
CN_KIND = {"diagnosis": "诊断", "medication": "用药", "allergy": "过敏", "result": "检查结果", "plan": "随访/处理计划"}

# ── list splitting and follow-up wording (shared with the drafting rules) ───────────────────────

_LIST_NO = re.compile(r"(?:^|(?<=[\s，,；;。:：]))[(（]?(?P<n>\d{1,2})[.、．)）]\s*"
                      # a list printed on one line: 1.右膝骨关节炎（术后）2.高血压病2级 — the number right after a
                      # word, then a word again (not 2.5mg, not 2、3天)
                      r"|(?<=[\u4e00-\u9fff）)])(?P<n2>\d{1,2})[.、．](?=[\u4e00-\u9fffA-Za-z（(]|\d型)")
_DX_SPLIT = re.compile(r"[\n；;]+")
_TRIM = " \t\u3000\n，,。；;、"


def list_items(text: str) -> list[tuple[int, int]]:
    """(start, end) of each item of a list, numbered or not.

    Numbers are list markers only when they run 1, 2, 3 …, so 3.2型糖尿病 is item 3 (2型糖尿病), and
    高血压病3级 keeps its grade. Without numbers, lines and semicolons separate items.
    """
    marks: list[tuple[int, int]] = []
    want = 1
    for m in _LIST_NO.finditer(text):
        if int(m.group("n") or m.group("n2")) == want and (not marks or m.start() >= marks[-1][1]):
            marks.append((m.start(), m.end()))
            want += 1
    pieces: list[tuple[int, int]] = []
    if marks:
        if text[: marks[0][0]].strip(_TRIM):
            pieces.append((0, marks[0][0]))
        for k, (_, b) in enumerate(marks):
            pieces.append((b, marks[k + 1][0] if k + 1 < len(marks) else len(text)))
    else:
        pos = 0
        for m in [*_DX_SPLIT.finditer(text), None]:
            end = m.start() if m else len(text)
            pieces.append((pos, end))
            pos = m.end() if m else len(text)
    out = []
    for a, b in pieces:
        while a < b and text[a] in _TRIM:
            a += 1
        while b > a and text[b - 1] in _TRIM:
            b -= 1
        if b - a >= 2:
            out.append((a, b))
    return out


_FOLLOW = re.compile(r"复诊|复查|随访|随诊|门诊就诊")
_BACK = re.compile(r"回来|返回|复诊|就诊|随诊|返院|来院")
#: words that report how a test came out (复查血常规正常, 复查血钾已纠正): with no instruction word beside them
#: the sentence is a result, not what the patient is to do
_FINDING = re.compile(r"示|提示|显示|可见|见[^效好]|报告|结果|较前|吸收|阳性|阴性|未见|异常|正常|好转|恢复|降至|升至|纠正|转阴|"
                      r"依据不足|稳定")
_INSTRUCTION = re.compile(
    r"嘱|建议|出院后|定期|按时|[0-9一二两三四五六七八九十半]+\s*(?:个)?(?:天|日|周|月|年)(?:后|内)|门诊|随诊|随访|不适|回来"
)


#: a value measured in the stay, a test name then its number and a lab unit (24小时尿蛋白3.1g, 白蛋白22g/L, 累计4.8g)
_STAY_VALUE = re.compile(r"[0-9A-Za-z\u4e00-\u9fff]{2,14}?(?:定量|为|是|约|达)?\s*\d+(?:\.\d+)?\s*"
                         r"(?:g/L|g/l|g/24h|g/d|mg/L|mg/dL|mmol/L|μmol/L|umol/L|U/L|IU/L|×10|x10|g(?![A-Za-z/])|%)")
#: what makes such a sentence an order still: the patient is told to do something (嘱…, 每日…不超过5g)
_ORDER_CUE = re.compile(r"嘱|建议|出院后|每日|每天|控制|低于|不超过|限制|摄入|[<＜≤]|口服|餐后|饭后|睡前|(?<![A-Za-z])"
                       r"(?:po|qd|bid|tid|qid|qn|qod|qw|prn|iv|ih|im|sc)(?![A-Za-z])|片|胶囊|颗粒|丸|注射液|口服液|贴|喷雾")


def is_stay_value(text: str) -> bool:
    """A value measured or given in the stay (24h尿蛋白定量4.8g, 累计输注白蛋白40g, 复查白蛋白28g/L), not an order:
    no drug to take, no instruction cue."""
    if not _STAY_VALUE.search(text) or _ORDER_CUE.search(text):
        return False
    if re.search(r"累计|共输|共计|总量|合计", text):
        return True
    return not any(m.type == "drug" for m in extract(text))


def is_instruction(text: str) -> bool:
    """A follow-up instruction (出院后2周门诊复查血常规), not a result that mentions a review (复查CT示…)."""
    if not _FOLLOW.search(text):
        return False
    if re.search(r"复查\S{0,12}?(?:示|提示|显示)", text):
        return False
    # 复查ALT 52U/L，肝功能好转: a review's values are a result, not what the patient is to do
    # 复查血常规：WBC 3.2×10^9/L — the values may follow the items' own names after a colon
    if _STAY_VALUE.search(text) and not _ORDER_CUE.search(text):
        return False  # 复查24小时尿蛋白3.1g, 24h尿蛋白定量4.8g: a value measured in the stay is a result
    if re.search(r"复查[A-Za-z\u4e00-\u9fff]{1,8}\s*[:：]?\s*(?:为|是)?\s*(?:[A-Za-z]{1,6}[#%]?\s*[:：]?\s*)?\d+(?:\.\d+)?\s*"
                 r"(?:[A-Za-z%/×^\d]|，|,|$)", text):
        return False
    return not _FINDING.search(text) or bool(_INSTRUCTION.search(text))


# ── plan terms (what a doctor orders or tells the patient to do) ─────────────────────────────────

PLAN_FILE = Path(__file__).parent / "plan_terms.yaml"


class PlanTerms(BaseModel):
    """``plan_terms.yaml``: plan words by kind, the ordering cues that make them an order, and the result
    words that make a clause a result read out instead."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: str = Field(min_length=10)
    kinds: dict[Literal["procedure", "test", "vaccination", "instruction", "follow_up", "treatment"], tuple[str, ...]]
    cues: tuple[str, ...] = Field(min_length=1)
    result_after: tuple[str, ...] = ()
    past: tuple[str, ...] = ()
    dosage_forms: tuple[str, ...] = ()
    routes: tuple[str, ...] = ()
    route_record: dict[str, str] = Field(default_factory=dict)


@lru_cache(maxsize=1)
def plan_terms() -> PlanTerms:
    """The shipped plan term table."""
    return load_yaml_model(PLAN_FILE, PlanTerms, "plan terms")


@lru_cache(maxsize=1)
def _plan_rx() -> tuple[re.Pattern[str], dict[str, str]]:
    t = plan_terms()
    kind_of = {w: k for k, ws in t.kinds.items() for w in ws}
    words = sorted(kind_of, key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in words), re.I), kind_of


def plan_terms_in(clause: str) -> list[tuple[str, str]]:
    """(kind, term) of each plan term of a clause that orders or instructs (约个头颅磁共振, 打一针破伤风,
    回去记头痛日记); [] for a question or a result read out (彩超写的是…, 头颅CT没有出血)."""
    if re.search(r"[?？吗]|(?<!看看)(?<!看一下)(?<!查查)(?<!查一下)(?<!排查)(?<!明确)(?:有没有|是不是)|会不会", clause) \
            or any(w in clause for w in plan_terms().past):
        return []
    rx, kind_of = _plan_rx()
    t = plan_terms()
    hits = list(rx.finditer(clause))
    if not hits:
        return []
    # 妇科检查：子宫增大… — a plan word before a colon is a heading of findings, not an order
    hits = [m for m in hits if clause[m.end():m.end() + 1] not in (":", "：")]
    if not hits:
        return []
    masked = clause
    for m in hits:
        masked = masked[:m.start()] + "\x00" * (m.end() - m.start()) + masked[m.end():]
    # 今天/昨天 are no 3天后: a day word of the calendar is not an ordering cue
    if not any(c in re.sub(r"[今昨前当每]天|天天", "", masked) for c in t.cues):
        return []
    rest = clause[hits[0].end():]
    # 甲功FT3 5.1, 复查ALT 52U/L: a test followed by its value is a result read out, not an order
    ordering = ("给", "约", "做", "嘱", "每", "先", "予", "立即", "马上", "急")  # 先输注血小板1个治疗量: an order with its amount
    if _VALUE_AFTER.match(rest) and not any(c in clause[:hits[0].start()] for c in ordering):
        return []
    # 看看有没有脊柱炎: what the test is to look for is no result read out
    said_after = re.sub(r"有没有|是不是|有无", "", rest)
    if any(w in said_after for w in t.result_after) and not any(c in clause[:hits[0].start()] for c in ordering):
        return []
    out = []
    for m in hits:
        key = next((w for w in kind_of if w.lower() == m.group(0).lower()), m.group(0))
        out.append((kind_of[key], key))
    return out


_VALUE_AFTER = re.compile(r"\s*(?:[:：]\s*)?[A-Za-z\u4e00-\u9fff]{0,6}\s*(?:[:：]\s*)?(?:是|为|有|还是)?\s*[<>≤≥]?\d")
#: what ends the words before a dosage form: verbs of giving, times of day, counts (晚上睡前塞…, 白天滴…)
_PRODUCT_STOP = re.compile(r"^.*(?:[予用服给加停改续及和与并合以为行每次日的在、，。；：,;: 换调减增口静注含吸入后前经示诉滴涂塞擦喷抹贴盖戴"
                           r"拍照买开吃里上下午晚早天个粒支盒瓶袋枚有是见呈]|白天|晚上|睡前)")
_NOT_PRODUCT = re.compile(r"胸片|拍片|照片|片子|名片|线片|平片|光片|CT片|底片|切片|膜片|大片|小片|一片|断层片|牙片|全景片|根尖片|咬翼片"
                          r"|溶栓|取栓|血栓|栓塞|性栓|栓子"
                          r"|[一两二三四五六七八九十半几\d]$")


@lru_cache(maxsize=1)
def _form_rx() -> tuple[re.Pattern[str], re.Pattern[str]]:
    t = plan_terms()
    forms = "|".join(re.escape(f) for f in sorted(t.dosage_forms, key=len, reverse=True)) or "(?!)"
    routes = "|".join(re.escape(r) for r in sorted(t.routes, key=len, reverse=True)) or "(?!)"
    return (re.compile(rf"(?P<name>[\u4e00-\u9fffA-Za-z0-9]{{0,10}}?)(?P<form>{forms})"),
            re.compile(rf"(?:{routes})"))


def drug_products_in(text: str) -> list[tuple[int, int, str]]:
    """(start, end, product) of each medicine product named by its dosage form (克霉唑阴道片, 玻璃酸钠滴眼液,
    a bare 眼膏), whether or not a pack knows the drug; counts (一片) and films (胸片) are not products."""
    forms, _ = _form_rx()
    out = []
    for m in forms.finditer(text):
        name = m.group("name")
        cut = _PRODUCT_STOP.match(name)
        a = m.start("name") + (cut.end() if cut else 0)
        name = text[a:m.start("form")]
        form = m.group("form")
        if _NOT_PRODUCT.search(text[max(0, a - 1):m.end()]) or _NOT_PRODUCT.search(name):
            continue
        if text[m.end():m.end() + 1] in ("状", "子", "刻", "段", "区", "影", "塞"):
            continue  # 片状影, 片刻, 肺栓塞: no product
        if len(name) < 2 and (len(form) < 2 or name):
            continue
        out.append((a, m.end(), text[a:m.end()]))
    return out


def routes_in(text: str) -> list[str]:
    """Routes of giving a medicine as said (塞阴道, 滴右眼, 外涂)."""
    _, routes = _form_rx()
    return [m.group(0) for m in routes.finditer(text)]


def record_route(text: str) -> str:
    """A route as said in record wording (塞阴道里 → 阴道内置入, 塞肛门 → 纳肛), from ``route_record``."""
    table = plan_terms().route_record
    if not table:
        return text
    rx = re.compile("|".join(re.escape(k) for k in sorted(table, key=len, reverse=True)))
    return rx.sub(lambda m: table[m.group(0)], text)


# ── sources and items ──────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class ItemSource:
    """A source as the omission check reads it.

    ``kind``: ``diagnosis``, ``allergy``, ``medication`` (an active order), ``lab``, ``section`` (with its
    ``section`` name) or ``turn`` (with its ``speaker``: doctor, patient, family).
    """

    id: str
    text: str
    kind: str
    section: str | None = None
    speaker: str | None = None
    #: for a lab row: whether it was flagged abnormal
    abnormal: bool = False


@dataclass(frozen=True)
class SourceItem:
    """One thing the draft should carry, where it was found, and the keys that identify it."""

    kind: ItemKind
    text: str
    source: str
    start: int
    end: int
    keys: frozenset[str] = frozenset()


@dataclass
class OmissionCheck:
    """The verdict on one source item."""

    item: SourceItem
    status: OmissionStatus
    reason: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.item.kind, "text": self.item.text, "source": self.item.source, "start": self.item.start,
                "end": self.item.end, "status": self.status, "reason": self.reason}


#: a result that reports only the absence of something (头颅CT未见出血) is not a key abnormal result
_NORMAL_ONLY = re.compile(r"^(?!.*(?:[↑↓]|阳性|增高|升高|降低|减低|偏高|偏低)).*(?:未见|未发现|无明显|阴性|正常)")
_CODE_TAIL = re.compile(r"[（(][A-Z]\d{2}[^）)]*[）)]\s*$")
_ABNORMAL = re.compile(r"[↑↓]|异常|阳性|\(\++\)|（\++）|(?<![\d+])[1-4]\+(?![\d+])|增高|升高|降低|减低|偏高|偏低|增多|减少|片状影|实变|渗出|阴影|积液|肿大|狭窄|闭塞|结节|占位|骨折|梗死|出血|病灶")
#: a diagnosis ruled out by the words after it (伤寒不太像, 结核可以排除)
_RULED_OUT_AFTER = re.compile(r"\s*(?:也|则|就)?(?:不太像|不大像|不怎么像|不像|不考虑|可以排除|可排除|排除了|已排除|不支持|依据不足)")
_DX_SAID = re.compile(r"考虑|诊断|应该是|可能是|像是|初步看")
_PLAN_SAID = re.compile(r"给你开|开点|开些|开了|予|服用|吃|每天|一天|一次|复查|复诊|回来|随诊")
_RESULT_SAID = re.compile(r"出来了|结果|报告|化验|血常规|白细胞|C反应蛋白|CRP|胸片|CT|B超|彩超|心电图|血糖|肌酐")
_ALLERGY = re.compile(r"(?P<what>[\u4e00-\u9fffA-Za-z0-9]{1,12}?(?:类药物|类药|类)?)过敏")
#: a denial before 过敏, also in dialect (粤 冇/唔, 吴 勿, 西南 没得/莫得): 都冇过敏 names no allergen
_DENY = re.compile(r"否认|无|没有|没|未|不|冇|唔|勿|莫得")
_LEFT_OUT = re.compile(r"停用|停药|暂停|不再|未列入|未带|已停|去除|撤除|排除|除外|未再")


def _clean(text: str) -> str:
    return _CODE_TAIL.sub("", text).strip(_TRIM)


def _keys(text: str, types: Iterable[str]) -> frozenset[str]:
    wanted = set(types)
    return frozenset(m.concept for m in extract(text) if m.type in wanted)


def _drug_items(src: ItemSource, text: str, offset: int) -> list[SourceItem]:
    out = []
    for m in extract(text):
        if m.type == "drug" and not m.negated:
            out.append(SourceItem("medication", m.text, src.id, offset + m.start, offset + m.end,
                                  frozenset({m.concept, "drugkey:" + drug_key(m.text)})))
    return out


#: a dose said after a drug (一次四十毫克, 0.5g, 4毫升), read after the colloquial numerals (零点五克 → 0.5克)
_DOSE = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*(毫克|mg|微克|μg|ug|克|g|毫升|ml|mL|万单位|单位|IU|U)(?![A-Za-z])")
_DOSE_MG = {"毫克": 1.0, "mg": 1.0, "微克": 0.001, "μg": 0.001, "ug": 0.001, "克": 1000.0, "g": 1000.0}


def _dose_items(src: ItemSource, text: str, offset: int) -> list[SourceItem]:
    """The dose the doctor said for each drug ordered (奥美拉唑，一次四十毫克 → 40毫克): an item of its own, so a
    draft that keeps the drug but drops its dose shows it as omitted."""
    from yizhu.knowledge.terminology.colloquial import colloquial

    drugs = [m for m in extract(text) if m.type == "drug" and not m.negated]
    out = []
    for i, m in enumerate(drugs):
        stop = drugs[i + 1].start if i + 1 < len(drugs) else len(text)
        n = colloquial().normalise(text[m.end:stop])
        d = _DOSE.search(n.text)
        if d is None:
            continue
        _, b = n.to_original(d.start(), d.end())
        value = float(d.group(1)) * _DOSE_MG.get(d.group(2), 1.0)
        kind = "mass" if d.group(2) in _DOSE_MG else fold(d.group(2))
        out.append(SourceItem("medication", f"{m.text} {d.group(1)}{d.group(2)}", src.id, offset + m.start,
                              offset + m.end + b, frozenset({f"dose:{drug_key(m.text)}:{kind}:{round(value, 4)}"})))
    return out


def _dose_named(key: str, d: _Draft) -> bool:
    """Whether a sentence of the draft that names the drug also gives its dose (0.5g = 500mg = 0.5克)."""
    from yizhu.knowledge.terminology.colloquial import colloquial

    _, drug, kind, value = key.split(":", 3)
    for sent in d.sentences:
        t = colloquial().normalise(sent).text
        if not any(drug_key(m.text) == drug for m in extract(t) if m.type == "drug"):
            continue
        for x in _DOSE.finditer(t):
            k = "mass" if x.group(2) in _DOSE_MG else fold(x.group(2))
            if k == kind and abs(float(x.group(1)) * _DOSE_MG.get(x.group(2), 1.0) - float(value)) < 1e-6:
                return True
    return False


def _allergy_items(src: ItemSource, text: str, offset: int) -> list[SourceItem]:
    out = []
    for a, b in split_sentences(text):
        clause_start = a
        for part in re.split(r"([，,；;])", text[a:b]):
            if "过敏" in part and not _DENY.search(part.split("过敏")[0][-4:] + part[:2]):
                m = _ALLERGY.search(part)
                if m and m.group("what") not in ("药物", "食物", "有", "对"):
                    what = re.sub(r"^(?:对|有|患者|我)", "", m.group("what"))
                    if len(what) >= 2:
                        s = offset + clause_start + m.start("what")
                        out.append(SourceItem("allergy", what, src.id, s, s + len(m.group("what")),
                                              frozenset({"allergen:" + fold(what)}) | _keys(what, ("drug",))))
            clause_start += len(part)
    return out


def source_items(sources: Sequence[ItemSource]) -> list[SourceItem]:
    """Every diagnosis, medication, allergy, key result and plan item the sources hold."""
    out: list[SourceItem] = []
    fx = FactExtractor()
    for src in sources:
        t = src.text
        if not t.strip():
            continue
        if src.kind == "diagnosis":
            text = _clean(t)
            out.append(SourceItem("diagnosis", text, src.id, 0, len(text), _keys(text, ("diagnosis",))))
        elif src.kind == "allergy":
            what = re.split(r"过敏|[（(]", t)[0].strip() or t
            out.append(SourceItem("allergy", what, src.id, 0, len(what),
                                  frozenset({"allergen:" + fold(what)}) | _keys(what, ("drug",))))
        elif src.kind == "medication":
            out += _drug_items(src, t, 0)[:1]
        elif src.kind == "lab":
            if src.abnormal or re.search(r"[↑↓]", t):
                name = re.split(r"\s|\d", t, maxsplit=1)[0]
                out.append(SourceItem("result", _clean(re.sub(r"[（(]\d{4}-\d{2}-\d{2}[)）]$", "", t)), src.id, 0,
                                      len(t), frozenset({"lab:" + fold(name)})))
        elif src.kind == "section":
            name = src.section or ""
            if "诊断" in name:
                for a, b in list_items(t):
                    text = _clean(t[a:b])
                    if len(text) >= 2:
                        out.append(SourceItem("diagnosis", text, src.id, a, a + len(text), _keys(text, ("diagnosis",))))
            elif "过敏" in name:
                out += _allergy_items(src, t, 0)
            elif name in ("辅助检查",):
                for a, b in split_sentences(t):
                    if _ABNORMAL.search(t[a:b]) and not _NORMAL_ONLY.search(t[a:b]):
                        out.append(SourceItem("result", t[a:b].rstrip("。"), src.id, a, b))
            elif name in ("出院医嘱", "诊疗计划", "处理意见", "正文") or "病程" in name:
                for a, b in split_sentences(t):
                    if is_instruction(t[a:b]):
                        out.append(SourceItem("plan", t[a:b].rstrip("。"), src.id, a, b))
        elif src.kind == "turn":
            if src.speaker == "doctor":
                for a, b in split_sentences(t):
                    s = t[a:b]
                    if re.search(r"[?？吗呢]", s):
                        continue
                    if _DX_SAID.search(s):
                        for m in extract(s):
                            if m.type == "diagnosis" and not m.negated and not _RULED_OUT_AFTER.match(s, m.end):
                                out.append(SourceItem("diagnosis", m.text, src.id, a + m.start, a + m.end,
                                                      frozenset({m.concept})))
                    if _PLAN_SAID.search(s):
                        out += _drug_items(src, s, a)
                        out += _dose_items(src, s, a)
                    if not any(w in s for w in plan_terms().past) and not re.search(r"禁用|停用|停药|避免|不要用|别用|过敏", s):
                        for p0, p1, name in drug_products_in(s):  # 克霉唑阴道片: a product no pack knows is still an order
                            out.append(SourceItem("medication", name, src.id, a + p0, a + p1,
                                                  frozenset({"drugkey:" + drug_key(name)}) | _keys(name, ("drug",))))
                    for c0, c1 in clauses(s):
                        terms = plan_terms_in(s[c0:c1])
                        if terms:  # 打一针破伤风抗毒素, 回去记头痛日记: each term is what the draft must carry
                            out.append(SourceItem("plan", s[c0:c1], src.id, a + c0, a + c1,
                                                  frozenset(f"plan:{k}:{fold(w)}" for k, w in terms)))
                        elif _PLAN_SAID.search(s) and is_instruction(s[c0:c1]):
                            out.append(SourceItem("plan", s[c0:c1], src.id, a + c0, a + c1))
                    if _RESULT_SAID.search(s) and not re.match(r"\s*(?:初步)?诊断(?:为|是)?[:：]", s):
                        # (诊断：…4.2型糖尿病 is a list of names, its item numbers no values)
                        facts, _ = fx.facts(s)
                        vals = [f for f in facts if f.kind == "quantity"]
                        for c0, c1 in clauses(s):
                            clause = s[c0:c1]
                            named_value = re.search(r"[\u4e00-\u9fffA-Za-z]{2,}\s*[:：]?\s*(?:是|有)?\d", clause)
                            said = any(c0 <= f.start < c1 for f in vals) or _ABNORMAL.search(clause) or named_value
                            plan_like = re.search(r"[天周月年]后|每|一次|^\s*(?:先|再|立即|马上)?(?:给|予|口服|静滴|肌注|加用|改用)", clause) \
                                or drug_products_in(clause)  # 先给布洛芬混悬液4毫升: an order with its dose
                            if said and re.search(r"\d|[↑↓]|阳性|影|结节", clause) and not plan_like:
                                out.append(SourceItem("result", clause, src.id, a + c0, a + c1))
            else:
                allergies = _allergy_items(src, t, 0)
                out += allergies
                if re.search(r"吃|服|用", t):
                    allergens = {k for a in allergies for k in a.keys}
                    out += [d for d in _drug_items(src, t, 0) if not (d.keys & allergens)]
    return _dedupe(out)


def clauses(s: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank clause of a sentence, split at ，,；;。 (the cue marks excluded)."""
    out, pos = [], 0
    for m in [*re.finditer(r"[，,；;。]", s), None]:
        end = m.start() if m else len(s)
        if s[pos:end].strip():
            out.append((pos, end))
        pos = m.end() if m else len(s)
    return out


def _dedupe(items: list[SourceItem]) -> list[SourceItem]:
    seen: set[tuple[str, str]] = set()
    out = []
    for it in items:
        by_concept = it.kind in ("medication", "allergy") and it.keys
        k = (it.kind, min(it.keys) if by_concept else fold(re.sub(r"\s", "", it.text)))
        if k not in seen:
            seen.add(k)
            out.append(it)
    return out


# ── the check ──────────────────────────────────────────────────────────────────────────────────


@dataclass
class _Draft:
    text: str
    folded: str
    concepts: set[str] = field(default_factory=set)
    drugkeys: set[str] = field(default_factory=set)
    values: set[tuple[str, tuple[float, ...]]] = field(default_factory=set)
    sentences: list[str] = field(default_factory=list)


def _squash(text: str) -> str:
    return re.sub(r"[\s，,。；;：:、（）()]", "", fold(text)).lower()


def _read_draft(text: str) -> _Draft:
    from yizhu.knowledge.terminology.colloquial import colloquial

    fx = FactExtractor()
    facts, mentions = fx.facts(text)
    d = _Draft(text, _squash(colloquial().normalise(text).text))
    for m in mentions:
        d.concepts.add(m.concept)
        if m.type == "drug":
            d.drugkeys.add(drug_key(m.text))
    for f in facts:
        if f.kind == "quantity":
            d.values.add((f.key, tuple(round(v, 3) for v in f.value)))
    d.sentences = [text[a:b] for a, b in split_sentences(text)]
    return d


def _values(text: str) -> set[tuple[str, tuple[float, ...]]]:
    facts, _ = FactExtractor().facts(text)
    return {(f.key, tuple(round(v, 3) for v in f.value)) for f in facts if f.kind == "quantity"}


def _named(item: SourceItem, d: _Draft) -> bool:
    if item.kind == "medication":
        doses = [k for k in item.keys if k.startswith("dose:")]
        if doses:
            return all(_dose_named(k, d) for k in doses)
        return bool({k[8:] for k in item.keys if k.startswith("drugkey:")} & d.drugkeys) or bool(
            {k for k in item.keys if k.startswith("drug:")} & d.concepts) or _squash(item.text) in d.folded
    if item.kind == "diagnosis":
        words = _squash(re.sub(r"[（(].*?[)）]", "", item.text))
        # 息肉（管状腺瘤）内镜下…术后: the draft keeps the parenthesis the words were compared without
        return (words in d.folded or words in _squash(re.sub(r"[（(][^（()）]*[)）]", "", d.text))
                or bool(item.keys & d.concepts))
    if item.kind == "allergy":
        from yizhu.knowledge.terminology.colloquial import colloquial

        what = _squash(item.text)
        # 头孢类抗生素: the lexicon words the draft (抗生素 → 抗菌药物), so the allergen is compared both ways
        return "过敏" in d.text and (what in d.folded or what in _squash(d.text)
                                   or _squash(colloquial().normalise(item.text).text) in d.folded
                                   or bool({k for k in item.keys if k.startswith("drug:")} & d.concepts))
    if item.kind == "result":
        vals = _values(item.text)
        if vals and vals & d.values:
            return True
        # the same numbers, with or without their unit (白细胞9.8 → WBC 9.8×10^9/L)
        nums = set(_NUMBER.findall(re.sub(r"[（(]\d{4}-\d{2}-\d{2}[)）]|×10\^\d+", "", item.text)))
        if nums:
            return nums <= set(_NUMBER.findall(d.text))
        return _overlap(item.text, d) >= 0.6
    # plan: each ordered thing named (磁共振, 头痛日记); else a follow-up with the same interval, or most of
    # its wording
    vals = {v for v in _values(item.text) if v[0] == "duration"}
    follow_up = bool(_FOLLOW.search(d.text) and (not vals or vals & d.values))
    terms = [k.split(":", 2)[1:] for k in item.keys if k.startswith("plan:")]
    if terms:
        # every ordered thing named (磁共振, 头痛日记, 破伤风); a return visit (复查/回来) may be worded otherwise
        plain = _squash(d.text)
        # (即刻返嚟 said in Cantonese is drafted 立即回来: a return is a return in any words)
        back = bool(_BACK.search(d.text))
        return all(_squash(w) in d.folded or _squash(w) in plain or (follow_up and (k == "follow_up" or w == "复查"))
                   or (k == "follow_up" and back) for k, w in terms)
    if follow_up:
        return True
    return _overlap(item.text, d) >= 0.6


_NUMBER = re.compile(r"(?<![\d.])\d+(?:\.\d+)?(?![\d.])")


def _overlap(text: str, d: _Draft) -> float:
    from yizhu.knowledge.terminology.colloquial import colloquial

    t = _squash(colloquial().normalise(text).text)
    grams = {t[i:i + 2] for i in range(len(t) - 1)}
    if not grams:
        return 0.0
    return sum(1 for g in grams if g in d.folded) / len(grams)


def check_omissions(
    items: Sequence[SourceItem], draft: str, *, notes: Sequence[str] = (), kinds: Iterable[str] | None = None,
) -> list[OmissionCheck]:
    """The verdict on each item: included in ``draft``, shown as left out (a section ``notes`` line or a
    sentence naming it as stopped / not listed), or omitted."""
    wanted = set(kinds) if kinds is not None else set(ITEM_KINDS)
    d = _read_draft(draft)
    note_text = _squash("".join(notes))
    out = []
    for it in items:
        if it.kind not in wanted:
            continue
        words = _squash(re.sub(r"[（(].*?[)）]", "", it.text))
        if words and words in note_text:
            out.append(OmissionCheck(it, "left_out", "草稿注明未列入"))
        elif _named(it, d):
            hit = next((s for s in d.sentences if words and words in _squash(s) and _LEFT_OUT.search(s)), None)
            out.append(OmissionCheck(it, "left_out" if hit else "included", "草稿注明停用或未列入" if hit else ""))
        else:
            out.append(OmissionCheck(it, "omitted", f"来源中的{CN_KIND[it.kind]}「{it.text}」未出现在草稿中"))
    return out


def summary(checks: Sequence[OmissionCheck]) -> dict[str, int]:
    """Counts per status."""
    out = {"included": 0, "left_out": 0, "omitted": 0}
    for c in checks:
        out[c.status] += 1
    return out


__all__ = [
    "ITEM_KINDS",
    "OMISSION_SOURCE",
    "ItemSource",
    "OmissionCheck",
    "SourceItem",
    "check_omissions",
    "drug_products_in",
    "is_instruction",
    "list_items",
    "plan_terms",
    "plan_terms_in",
    "record_route",
    "routes_in",
    "source_items",
    "summary",
]
