"""QC checks that data alone cannot express, registered by name for rules of ``kind: python``."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from datetime import timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from yizhu.clinical.qc.rules import DocView, QCInput, Rule, check, finding
from yizhu.core import ClinicalDocument, Finding, Section
from yizhu.core.models import EncounterClass, Sex
from yizhu.datafile import load_yaml_model

# ── knowledge access (clinical may import knowledge; every check degrades without it) ─────────


@lru_cache(maxsize=1)
def _kb() -> Any:
    try:
        from yizhu.knowledge.packs import get_kb

        return get_kb()
    except Exception:  # packs unavailable: checks that need them return nothing rather than guess
        return None


@lru_cache(maxsize=8)
def _term_index(kind: str) -> tuple[re.Pattern[str] | None, dict[str, Any]]:
    """One regex alternation over every term of a pack kind (longest first) → item."""
    kb = _kb()
    if kb is None:
        return None, {}
    terms: dict[str, Any] = {}
    for item in kb.pack(kind).items:
        for t in item.terms():
            if len(t) >= 2 and not t.isascii():
                terms.setdefault(t, item)
    if not terms:
        return None, {}
    rx = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)))
    return rx, terms


def find_terms(kind: str, text: str) -> list[tuple[int, int, str, Any]]:
    """Non-overlapping pack terms in ``text``: (start, end, term, item)."""
    rx, terms = _term_index(kind)
    if rx is None:
        return []
    return [(m.start(), m.end(), m.group(0), terms[m.group(0)]) for m in rx.finditer(text)]


# ── completeness ───────────────────────────────────────────────────────────────────────────


@check("allergy_history_stated")
def allergy_history_stated(rule: Rule, qi: QCInput) -> list[Finding]:
    """过敏史 must be stated, negative or not: its own section, or a clear statement in 既往史."""
    out = []
    for d in qi.of_type(*rule.doc_types):
        s = d.section("过敏史")
        if s is not None and s.text.strip():
            continue
        past = d.section("既往史")
        if past is not None and "过敏" in past.text:
            continue
        out.append(finding(rule, doc=d.doc, section_name="过敏史"))
    return out


@check("menstrual_history_for_women")
def menstrual_history_for_women(rule: Rule, qi: QCInput) -> list[Finding]:
    """Women of menstrual age (or unknown age) need 月经史 (or 绝经) recorded in the admission note."""
    if qi.sex is not Sex.female or (qi.age is not None and not 12 <= qi.age <= 80):
        return []
    out = []
    for d in qi.of_type(*rule.doc_types):
        if d.section("月经史") is None and not re.search(r"月经|绝经|初潮|LMP", d.doc.text):
            out.append(finding(rule, doc=d.doc, section_name="月经史"))
    return out


# ── timeliness ─────────────────────────────────────────────────────────────────────────────

_LEVEL_NAMES = {"critical": "病危", "serious": "病重", "stable": "病情稳定"}
_PROGRESS_TYPES = ("首次病程记录", "日常病程记录", "上级医师查房记录", "阶段小结", "抢救记录", "术后首次病程记录")


@check("progress_note_interval")
def progress_note_interval(rule: Rule, qi: QCInput) -> list[Finding]:
    """Gaps between progress notes may not exceed the interval for the patient's condition level."""
    enc = qi.ctx.encounter
    if enc is None or enc.encounter_class is not EncounterClass.inpatient:
        return []
    level = enc.condition_level or "stable"
    limit = float(rule.params["max_days"][level])
    notes = sorted((d for d in qi.of_type(*_PROGRESS_TYPES) if d.recorded_at), key=lambda d: d.recorded_at)
    out = []
    for a, b in itertools.pairwise(notes):
        assert a.recorded_at is not None and b.recorded_at is not None
        gap = (b.recorded_at - a.recorded_at).total_seconds() / 86400
        if gap > limit + 0.5:  # half a day of slack: notes are written at different times of day
            out.append(_interval_finding(rule, a, b, gap, level, limit))
    return out


def _interval_finding(rule: Rule, a: DocView, b: DocView, gap: float, level: str, limit: float) -> Finding:
    assert a.recorded_at is not None and b.recorded_at is not None
    f = finding(rule, doc=b.doc)
    f.message = rule.message.format(
        start=a.recorded_at.strftime("%Y-%m-%d"), end=b.recorded_at.strftime("%Y-%m-%d"),
        days=f"{gap:.1f}", level=_LEVEL_NAMES[level], limit=int(limit),
    )
    return f


_SENIOR = re.compile(r"(?:主治|副主任|主任|上级)医师[^。\n]{0,6}查房|查房[^。\n]{0,4}(?:主治|副主任|主任)医师")
# A round only spoken of — awaited, planned, asked for or absent (待上级医师查房后安排手术, 拟主任医师查房, 未见上级医师查房) —
# is not a round that took place.
_NOT_DONE = re.compile(r"(?:待|等|等待|拟|将|未|无|尚未|需|须|应|建议)[^。，,；;\n]{0,3}$")


def _senior_round_done(text: str) -> bool:
    return any(not _NOT_DONE.search(text[max(0, m.start() - 6) : m.start()]) for m in _SENIOR.finditer(text))


@check("senior_round_within")
def senior_round_within(rule: Rule, qi: QCInput) -> list[Finding]:
    """A senior (attending) round must be recorded within 48 h of admission, once that window has passed."""
    enc = qi.ctx.encounter
    if enc is None or enc.encounter_class is not EncounterClass.inpatient or qi.admitted_at is None:
        return []
    deadline = qi.admitted_at + timedelta(hours=float(rule.params["max_hours"]))
    timed = [d for d in qi.docs if d.recorded_at is not None]
    window_passed = (qi.discharged_at is not None and qi.discharged_at > deadline) or any(
        d.recorded_at > deadline for d in timed if d.recorded_at
    )
    if not window_passed:
        return []
    for d in timed:
        if d.recorded_at and d.recorded_at <= deadline and (
            d.doc.doc_type == "上级医师查房记录" or _senior_round_done(d.doc.text)
        ):
            return []
    anchor = next((d for d in qi.docs if d.doc.doc_type == "入院记录"), qi.docs[0] if qi.docs else None)
    return [finding(rule, doc=anchor.doc if anchor else None)]


# ── consistency ────────────────────────────────────────────────────────────────────────────

_FEMALE_ONLY = re.compile(
    r"月经(?!史[:：]?\s*(?:无|不详))|末次月经|停经|绝经|妊娠|怀孕|孕\d|G\dP\d|宫颈|子宫|卵巢|输卵管|阴道|剖宫产|产后|孕产史|附件区"
)
_MALE_ONLY = re.compile(r"前列腺|睾丸|阴囊|精索|阴茎|包皮|附睾")
_OTHER_PERSON = re.compile(r"母|妻|配偶|爱人|姐|妹|女儿|之女|岳母|祖母|外婆|奶奶|出生|娩出|胎龄|足月|早产|出生史")
_SKIP_SECTIONS = {"家族史"}


def _scan_sections(doc: ClinicalDocument, rx: re.Pattern[str]) -> Iterator[tuple[Section | None, re.Match[str]]]:
    """Matches of ``rx`` outside 家族史 and outside sentences about another person."""
    spans = [(s, s.start, s.end) for s in doc.sections if s.name not in _SKIP_SECTIONS]
    for s, a, b in spans:
        for m in rx.finditer(doc.text, a, b):
            sent_start = max(doc.text.rfind(c, a, m.start()) for c in "。；;\n，,")
            sentence = doc.text[max(a, sent_start + 1) : m.end() + 4]
            if _OTHER_PERSON.search(sentence):
                continue
            yield s, m


@check("sex_specific_content")
def sex_specific_content(rule: Rule, qi: QCInput) -> list[Finding]:
    """Female-only content in a man's record, or male-only content in a woman's."""
    if qi.sex is Sex.male:
        rx, sex = _FEMALE_ONLY, "男"
    elif qi.sex is Sex.female:
        rx, sex = _MALE_ONLY, "女"
    else:
        return []
    out = []
    for d in qi.docs:
        for s, m in _scan_sections(d.doc, rx):
            out.append(finding(rule, doc=d.doc, section=s, start=m.start(), end=m.end(), sex=sex, term=m.group(0)))
            break  # one finding per document is enough to act on
    return out


_CHILD_ONLY_WRONG = re.compile(r"已婚|离异|丧偶|孕\d|生育史[:：]?\s*[^无]|流产|吸烟\d+年|饮酒\d+年")
_SMOKE_YEARS = re.compile(r"(?:吸烟|烟龄|饮酒)(?:史)?\s*(\d{1,3})\s*(?:余|多)?年")


@check("age_specific_content")
def age_specific_content(rule: Rule, qi: QCInput) -> list[Finding]:
    """Content impossible at the patient's age: a child who is married, 40 years of smoking at 45, …"""
    if qi.age is None:
        return []
    out = []
    for d in qi.docs:
        hit: tuple[Section | None, int, int, str] | None = None
        if qi.age < 14:
            for s, m in _scan_sections(d.doc, _CHILD_ONLY_WRONG):
                hit = (s, m.start(), m.end(), m.group(0))
                break
        if hit is None:
            for s, m in _scan_sections(d.doc, _SMOKE_YEARS):
                if int(m.group(1)) > max(qi.age - 8, 0):
                    hit = (s, m.start(), m.end(), m.group(0))
                    break
        if hit:
            s, a, b, term = hit
            out.append(finding(rule, doc=d.doc, section=s, start=a, end=b, age=int(qi.age), term=term))
    return out


@check("complaint_in_present_illness")
def complaint_in_present_illness(rule: Rule, qi: QCInput) -> list[Finding]:
    """Each symptom of 主诉 should appear (by any of its names) in 现病史."""
    out = []
    for d in qi.of_type("入院记录", "门诊病历"):
        cc, hpi = d.section("主诉"), d.section("现病史")
        if cc is None or hpi is None:
            continue
        hpi_items = {id(item) for _, _, _, item in find_terms("symptom", hpi.text)}
        hpi_items |= {id(item) for _, _, _, item in find_terms("diagnosis", hpi.text)}
        for start, end, term, item in find_terms("symptom", cc.text):
            names = (term, _MODIFIERS.sub("", term), *item.terms())
            if id(item) in hpi_items or any(_loosely_in(t, hpi.text) for t in names if len(t) >= 2):
                continue
            a = cc.start + start
            out.append(finding(rule, doc=d.doc, section=cc, start=a, end=cc.start + end, term=term))
    return out


#: modifiers a 主诉 puts before a symptom that 现病史 may phrase differently (活动后气促 ~ 气促，多于活动后出现)
_MODIFIERS = re.compile(r"^(?:活动后|劳累后|夜间|反复|阵发性|持续性|间断|间歇性|突发|进行性|转移性|双侧|左侧|右侧)")


@lru_cache(maxsize=4096)
def _gapped(term: str, wide: bool = False) -> re.Pattern[str]:
    gap = "[^。；;\\n]{0,10}" if wide else "[^，。；,;\\n]{0,5}"
    return re.compile(gap.join(re.escape(ch) for ch in term))


def _loosely_in(term: str, text: str) -> bool:
    """``term`` in ``text``, allowing a few characters between its characters (咳痰 ~ 咳黄白色黏痰), or, for a
    place and its pain, a few words apart in one sentence (右下腹痛 ~ 转移并固定于右下腹，呈持续性胀痛)."""
    if term in text:
        return True
    if term.isascii() or len(term) > 6:
        return False
    if _gapped(term).search(text) is not None:
        return True
    return len(term) >= 3 and term.endswith("痛") and _gapped(term, True).search(text) is not None


_ITEM_SPLIT = re.compile(r"(?:^|\n|\s)\s*(?:\d{1,2}\s*[.、．)）]|[①②③④⑤⑥⑦⑧⑨⑩])\s*|[；;\n]")


def diagnosis_items(text: str) -> list[tuple[int, int, str]]:
    """Split a diagnosis section into items (numbered list, one per line, or ；-separated)."""
    out = []
    pos = 0
    # a ； or a line inside brackets (pT2N0M0，ⅡA期；免疫组化待回报) is the item's own remark, never a split
    masked, depth = [], 0
    for ch in text:
        depth += 1 if ch in "（(" else 0
        masked.append(ch if depth == 0 or ch not in "；;\n" else "\x00")
        depth -= 1 if ch in "）)" and depth > 0 else 0
    for m in _ITEM_SPLIT.finditer("".join(masked)):
        if m.start() > pos:
            out.append((pos, m.start()))
        pos = m.end()
    if pos < len(text):
        out.append((pos, len(text)))
    items = []
    for a, b in out:
        seg = text[a:b]
        lead = len(seg) - len(seg.lstrip(" \t\u3000，,。"))
        name = seg.strip(" \t\u3000，,。")
        if len(name) >= 2:
            items.append((a + lead, a + lead + len(name), name))
    return items


def _dx_keys(name: str) -> set[str]:
    """ICD-10 three-character categories a diagnosis name refers to (via the diagnosis pack)."""
    kb = _kb()
    keys: set[str] = set()
    if kb is not None:
        for item in kb.find(name, "diagnosis"):
            keys.add(item.code[:3])
        if not keys:
            for _, _, _, item in find_terms("diagnosis", name):
                keys.add(item.code[:3])
    return keys


@check("diagnoses_consistent")
def diagnoses_consistent(rule: Rule, qi: QCInput) -> list[Finding]:
    """The 入院诊断 of the discharge note should agree with the 初步诊断 of the admission note."""
    adm = next((d for d in qi.of_type("入院记录")), None)
    dis = next((d for d in qi.of_type("出院记录")), None)
    if adm is None or dis is None:
        return []
    a_sec, d_sec = adm.section("初步诊断"), dis.section("入院诊断")
    if a_sec is None or d_sec is None:
        return []
    a_items, d_items = diagnosis_items(a_sec.text), diagnosis_items(d_sec.text)
    if not a_items or not d_items:
        return []
    a_main, d_main = a_items[0][2], d_items[0][2]
    if a_main == d_main:
        return []
    a_keys, d_keys = _dx_keys(a_main), _dx_keys(d_main)
    if a_keys and d_keys and a_keys & d_keys:
        return []
    # Without codes, compare the names themselves: one containing the other is agreement.
    if (not a_keys or not d_keys) and (a_main in d_main or d_main in a_main):
        return []
    s, e, _ = d_items[0]
    return [
        finding(
            rule, doc=dis.doc, section=d_sec, start=d_sec.start + s, end=d_sec.start + e,
            detail=f"出院记录为“{d_main}”，入院记录为“{a_main}”",
        )
    ]


#: sections that record what is given or planned (drugs named there are orders, not history)
_DRUG_SECTIONS = ("诊疗计划", "出院医嘱", "处理意见", "诊疗经过", "病情记录", "查房意见", "抢救经过")
#: a drug named after these is not being given (停用头孢曲松, 避免使用青霉素类, 禁用磺胺)
_NOT_GIVEN = re.compile(
    r"(?:(?<!有)无(?!明显)|否认|未见|未用|未使用|没有|排除|停用|停止|暂停|禁用|禁止|避免|慎用|勿用|忌用|不宜|不再|不用|不能用)"
    r"[^，。；,;]{0,6}$"
)
#: a drug named in a susceptibility result (对头孢曲松敏感, 左氧氟沙星 R) or a skin test is not a drug given
#: (used with ``match(text, pos)``, which anchors at pos: no ``^``)
_SUSCEPTIBILITY_AFTER = re.compile(
    r"[^，。；,;\n]{0,4}?(?:敏感|耐药|中介|[(（]?\s*[SRI]\s*[)）]?(?![A-Za-z]))|[^，。；,;\n]{0,3}?(?:皮试|过敏试验|皮肤试验)"
)
#: document types whose untitled body is a preamble, not treatment text
_PREAMBLE_BODY_TYPES = {"入院记录", "门诊病历"}


@lru_cache(maxsize=1)
def _allergy_model() -> Any:
    """The allergy model prescription review uses too (same knowledge base, same drug-name resolver)."""
    kb = _kb()
    if kb is None:
        return None
    from yizhu.clinical.rx.resolve import resolver_for
    from yizhu.knowledge.allergy import model_for

    return model_for(kb, resolver_for(kb))


def _text_spans(d: DocView) -> Iterator[tuple[Section | None, int, int]]:
    """(section, start, end) of each part of a document, the whole text when it has no sections."""
    if not d.doc.sections:
        yield None, 0, len(d.doc.text)
        return
    for s in d.doc.sections:
        yield s, s.start, s.end


def recorded_allergies(qi: QCInput) -> tuple[list[Any], list[tuple[str, int, int]]]:
    """Allergies stated anywhere in the record (and given structured or coded), negation respected;
    with the spans of every allergy statement (drugs named there are allergens, not orders)."""
    model = _allergy_model()
    if model is None:
        return [], []
    cached = qi.cache.get("allergies")
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    allergens: dict[tuple[str | None, frozenset[str]], Any] = {}

    def add(a: Any) -> None:
        if a.is_drug:
            allergens.setdefault((a.drug.id if a.drug else None, a.groups), a)

    for al in qi.ctx.allergies:
        add(model.resolve(al.substance))
    for dx in qi.ctx.diagnoses:
        if dx.code and dx.code.upper().startswith("Z88"):
            implied = model.from_codes(dx.code, dx.text)
            if implied is not None:
                add(implied)
    from yizhu.knowledge.allergy import document_allergies

    found, statements = document_allergies(model, [d.doc for d in qi.docs])
    for _, allergen in found:
        add(allergen)
    out = (list(allergens.values()), statements)
    qi.cache["allergies"] = out
    return out


def _drug_mentions(qi: QCInput, statements: list[tuple[str, int, int]]) -> list[tuple[str, Any, DocView | None, Section | None, int, int]]:
    """Drugs ordered (structured orders) or named as given/planned in the treatment sections."""
    cached = qi.cache.get("drug_mentions")
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    qi.cache["drug_mentions"] = out = _find_drug_mentions(qi, statements)
    return out


def _find_drug_mentions(qi: QCInput, statements: list[tuple[str, int, int]]) -> list[tuple[str, Any, DocView | None, Section | None, int, int]]:
    model = _allergy_model()
    out: list[tuple[str, Any, DocView | None, Section | None, int, int]] = []
    for o in qi.ctx.medication_orders:
        items = model.drugs(o.drug) or tuple(  # a name the resolver does not know: the drug names inside it
            m.allergen.drug for m in model.allergen_terms(o.drug) if m.allergen.drug is not None
        )[:1]
        for item in items:
            out.append((o.drug, item, None, None, 0, 0))
    for d in qi.docs:
        inside = [(a, b) for doc_id, a, b in statements if doc_id == d.doc.id]
        text = d.doc.text
        found = []
        withdrawn: dict[str, int] = {}  # drug -> where this document last stops it or names it as a reaction's cause
        for s, a, b in _text_spans(d):
            body = s is None or not s.heading  # a progress or nursing note is one untitled body
            if s is not None and s.name not in _DRUG_SECTIONS and not (body and d.doc.doc_type not in _PREAMBLE_BODY_TYPES):
                continue
            for m in model.allergen_terms(text, a, b):
                if any(x <= m.start < y for x, y in inside):
                    continue
                key = _drug_key(m.allergen)
                if _WITHDRAWN_BEFORE.search(text[max(a, m.start - 12) : m.start]) or _CAUSE_AFTER.match(text, m.end, b):
                    withdrawn[key] = max(withdrawn.get(key, 0), m.start)
                if _NOT_GIVEN.search(text[max(a, m.start - 12) : m.start]) or _SUSCEPTIBILITY_AFTER.match(text, m.end, b):
                    continue
                # a drug (头孢曲松), or only a class given as treatment (予三代头孢抗感染): the class itself
                found.append((key, (m.allergen.text, m.allergen.drug or m.allergen, d, s, m.start, m.end)))
        # the drug a note stops because of the reaction it describes (静滴头孢呋辛后出现皮疹…立即停用头孢呋辛) is, up to
        # the stop, the history of that reaction, not an order against the allergy the same note records; discharge
        # orders are the future and always count
        out.extend(
            mention for key, mention in found
            if not (key in withdrawn and mention[4] <= withdrawn[key] and (mention[3] is None or mention[3].name != "出院医嘱"))
        )
    return out


def _drug_key(allergen: Any) -> str:
    return str(allergen.drug.id) if allergen.drug is not None else str(allergen.text)


#: a drug stopped (立即停用注射用头孢呋辛钠, 已停头孢曲松)
_WITHDRAWN_BEFORE = re.compile(r"(?:停用|停止|停药|已停|暂停|撤除|撤药)[^，。；,;]{0,6}$")
#: a drug named as the cause of a reaction (头孢呋辛所致药疹, 头孢曲松引起皮疹, 用药后出现 … is told by the stop)
_CAUSE_AFTER = re.compile(r"[^，。；,;\n]{0,4}?(?:所致|引起|导致|诱发|相关)(?:的)?[^，。；,;\n]{0,6}?(?:疹|过敏|瘙痒|荨麻疹|休克|反应)")


def _class_conflict(allergen: Any, given: Any) -> Any:
    """A drug class named as treatment (头孢类, 三代头孢) against an allergy to that class: the same group."""
    from yizhu.knowledge.allergy import Conflict

    shared = sorted(allergen.groups & given.groups)
    return Conflict("same_group", drug_group=shared[0], allergen_group=shared[0]) if shared else None


@check("allergy_vs_drugs")
def allergy_vs_drugs(rule: Rule, qi: QCInput) -> list[Finding]:
    """Ordered or planned drugs that are, or cross-react with, an allergen recorded anywhere in the record
    (the allergy model prescription review shares). ``params.relations`` / ``params.risks`` select which
    relations this rule reports (a low-risk cross-reaction is a lesser finding than the same group)."""
    allergens, statements = recorded_allergies(qi)
    if not allergens:
        return []
    model = _allergy_model()
    relations = set(rule.params.get("relations", ["same_drug", "same_group", "cross"]))
    risks = set(rule.params.get("risks", ["high", "moderate", "low", "rare"]))
    out: list[Finding] = []
    reported: set[str] = set()
    for term, item, d, s, a, b in _drug_mentions(qi, statements):
        key = getattr(item, "id", None) or "class:" + ",".join(sorted(item.groups))
        if key in reported:
            continue
        for allergen in allergens:
            c = model.conflict(allergen, item) if hasattr(item, "allergy_group") else _class_conflict(allergen, item)
            if c is None or c.relation not in relations or (c.relation == "cross" and c.risk not in risks):
                continue
            reported.add(key)
            where = f"{d.doc.doc_type}{s.name}" if d and s else (d.doc.doc_type if d else "医嘱")
            f = finding(
                rule, doc=d.doc if d else None, section=s, start=a if d else None, end=b if d else None,
                allergen=allergen.text, drug=term, where=where, relation=c.label,
            )
            f.data.update({"drug_item": getattr(item, "id", None), "relation": c.relation, "risk": c.risk})
            out.append(f)
            break
    return out


@check("dates_in_order")
def dates_in_order(rule: Rule, qi: QCInput) -> list[Finding]:
    """入院 ≤ 记录 ≤ 出院 (+24 h for the discharge note), and 入院 ≤ 出院."""
    out = []
    if qi.admitted_at and qi.discharged_at and qi.discharged_at < qi.admitted_at:
        first = qi.docs[0].doc if qi.docs else None
        out.append(finding(rule, doc=first, detail=f"出院时间早于入院时间（{qi.discharged_at:%Y-%m-%d} < {qi.admitted_at:%Y-%m-%d}）"))
    for d in qi.docs:
        if d.recorded_at is None:
            continue
        if qi.admitted_at and d.recorded_at < qi.admitted_at - timedelta(minutes=1):
            out.append(finding(rule, doc=d.doc, detail=f"{d.doc.doc_type}记录时间 {d.recorded_at:%Y-%m-%d %H:%M} 早于入院时间 {qi.admitted_at:%Y-%m-%d %H:%M}"))
        elif qi.discharged_at and d.recorded_at > qi.discharged_at + timedelta(hours=24) and d.doc.doc_type != "出院记录":
            out.append(finding(rule, doc=d.doc, detail=f"{d.doc.doc_type}记录时间 {d.recorded_at:%Y-%m-%d %H:%M} 晚于出院时间 {qi.discharged_at:%Y-%m-%d %H:%M}"))
    return out


_PARTS = "膝关节|膝|髋关节|髋|肩关节|肩|肘|腕|踝|足|手|眼|耳|肺|肾|乳腺|乳房|上肢|下肢|小腿|大腿|前臂|上臂|腹股沟|输尿管|卵巢|睾丸|颈内动脉|大脑中动脉|基底节|额叶|颞叶|顶叶|枕叶|胸腔|肋骨|股骨|胫骨|桡骨|尺骨|锁骨|甲状腺"
_SIDE = re.compile(rf"(左|右|双)侧?({_PARTS})")
_PART_GROUP = {"膝关节": "膝", "髋关节": "髋", "肩关节": "肩", "乳房": "乳腺"}


def _sides(text: str) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for m in _SIDE.finditer(text):
        part = _PART_GROUP.get(m.group(2), m.group(2))
        out.setdefault(part, set()).add(m.group(1))
    return out


@check("laterality_consistent")
def laterality_consistent(rule: Rule, qi: QCInput) -> list[Finding]:
    """A side named in 主诉 must not be contradicted by the diagnosis or operation for the same part."""
    complaint: dict[str, tuple[set[str], str]] = {}
    for d in qi.of_type("入院记录", "门诊病历"):
        cc = d.section("主诉")
        if cc:
            for part, sides in _sides(cc.text).items():
                complaint[part] = (sides, cc.text)
    if not complaint:
        return []
    out = []
    for d in qi.docs:
        for name in ("初步诊断", "入院诊断", "出院诊断", "术前诊断", "术后诊断", "手术名称"):
            s = d.section(name)
            if s is None:
                continue
            for m in _SIDE.finditer(s.text):
                part = _PART_GROUP.get(m.group(2), m.group(2))
                if part not in complaint:
                    continue
                c_sides, c_text = complaint[part]
                side = m.group(1)
                if "双" in c_sides or side == "双" or side in c_sides:
                    continue
                out.append(
                    finding(
                        rule, doc=d.doc, section=s, start=s.start + m.start(), end=s.start + m.end(),
                        complaint=c_text.strip()[:20], other=m.group(0),
                    )
                )
                break
    return out


# ── standardisation ────────────────────────────────────────────────────────────────────────

ABBREVIATIONS_FILE = Path(__file__).with_name("abbreviations.yaml")


class AbbreviationList(BaseModel):
    """``abbreviations.yaml``: the Latin abbreviations a record may use unexplained, and their source."""

    model_config = ConfigDict(extra="forbid")

    source: str = Field(min_length=2)
    allowed: str


def load_allowed(path: Path = ABBREVIATIONS_FILE) -> frozenset[str]:
    """The allowed abbreviations (whitespace-separated in the file); a broken file fails naming the place."""
    return frozenset(load_yaml_model(path, AbbreviationList, "abbreviation list").allowed.split())


ALLOWED_ABBREVIATIONS = load_allowed()
_ABBR = re.compile(r"(?<![A-Za-z0-9\-])([A-Za-z][A-Za-z0-9\-]{1,9})(?![A-Za-z0-9\-])")
_ALLOWED_FOLDED = {a.casefold() for a in ALLOWED_ABBREVIATIONS}
#: a TNM stage or a stage group (pT2N0M0, cT2aN1M0, IIB; AJCC 8th ed. 2017) is standard notation, not an abbreviation
_STAGING = re.compile(r"^(?:(?:[cpyra]{1,2})?T(?:[0-4X]|is|mi)[a-d]?N[0-3X][a-c]?M[01X][a-c]?|(?:I{1,3}|IV)[ABC]?[0-9]?)$")


@check("unexplained_abbreviations")
def unexplained_abbreviations(rule: Rule, qi: QCInput) -> list[Finding]:
    """Latin abbreviations outside the common list and not explained by a Chinese term in brackets."""
    out = []
    for d in qi.docs:
        seen: set[str] = set()
        for s in d.doc.sections:
            for m in _ABBR.finditer(d.doc.text, s.start, s.end):
                abbr = m.group(1)
                if abbr.casefold() in _ALLOWED_FOLDED or abbr in seen or not _looks_abbreviated(abbr) or _STAGING.match(abbr):
                    continue
                seen.add(abbr)
                before, after = d.doc.text[max(0, m.start() - 1) : m.start()], d.doc.text[m.end() : m.end() + 1]
                if before in "（(" and after in "）)":
                    continue  # 慢性阻塞性肺疾病（COPD）: explained where it is introduced
                if after in "（(" and re.match(r"[（(][\u4e00-\u9fff]", d.doc.text[m.end() : m.end() + 2]):
                    continue  # OSAS（阻塞性睡眠呼吸暂停）
                if any(abbr == x for x in _explained_earlier(d.doc.text, m.start())):
                    continue
                out.append(finding(rule, doc=d.doc, section=s, start=m.start(), end=m.end(), abbr=abbr))
    return out


def _looks_abbreviated(token: str) -> bool:
    """Abbreviations are written in capitals (SOB, PND); words like Murphy or Babinski are eponyms."""
    letters = [c for c in token if c.isalpha()]
    return len(letters) >= 2 and sum(c.isupper() for c in letters) >= len(letters) - 1 and letters[1].isupper()


def _explained_earlier(text: str, before: int) -> list[str]:
    return re.findall(r"[（(]([A-Za-z][A-Za-z0-9\-]{1,9})[）)]", text[:before])


_UNITS: list[tuple[re.Pattern[str], str, str]] = [
    (re.compile(r"\d\s*(cc|CC|c\.c\.)(?![A-Za-z])"), "cc", "ml"),
    (re.compile(r"\d\s*(mmhg|MMHG|mmHG)(?![A-Za-z])"), "mmhg", "mmHg"),
    (re.compile(r"\d\s*(gm|GM)(?![A-Za-z])"), "gm", "g"),
    (re.compile(r"\d\s*(Kg|KG)(?![A-Za-z])"), "Kg", "kg"),
    (re.compile(r"体温\s*\d{2}(?:\.\d)?\s*(度)(?!数)"), "度", "℃"),
    (re.compile(r"\d\s*(次/min|bpm)(?![A-Za-z])"), "次/min", "次/分"),
]


@check("nonstandard_units")
def nonstandard_units(rule: Rule, qi: QCInput) -> list[Finding]:
    """Non-statutory unit spellings (cc, mmhg, gm, 体温…度)."""
    out = []
    for d in qi.docs:
        seen: set[str] = set()
        for s in d.doc.sections:
            for rx, _label, standard in _UNITS:
                for m in rx.finditer(d.doc.text, s.start, s.end):
                    unit = m.group(1)
                    if unit in seen:
                        continue
                    seen.add(unit)
                    out.append(finding(rule, doc=d.doc, section=s, start=m.start(1), end=m.end(1), unit=unit, standard=standard))
    return out


_DX_SECTIONS = ("初步诊断", "入院诊断", "出院诊断", "修正诊断", "确定诊断")
_DX_QUALIFIERS = re.compile(
    r"[（(][^）)]*[）)]|\s+|[?？]|多发|单发|待排|待查|可能性大|可能|考虑|疑似|(?:急性)?加重期|稳定期|[一二三四]级|[0-9]+级|很高危|高危|中危|低危|\d+期"
)


#: an obstetric status line of a diagnosis list (宫内孕32周, 单活胎, G2P1): coded from the pregnancy, not a name
_OBSTETRIC_STATUS = re.compile(r"^(?:G\d+P\d+|孕\d+产\d+)?(?:宫内|宫外)?(?:早孕|中孕|晚孕|妊娠|孕)\d{1,2}(?:\+\d)?周|^[单双多]活胎$|^G\d+P\d+$|^孕\d产\d$")


@check("diagnosis_names_normalise")
def diagnosis_names_normalise(rule: Rule, qi: QCInput) -> list[Finding]:
    """Each diagnosis written should map to an ICD-10 name (exactly, by synonym, or by a contained term)."""
    kb = _kb()
    if kb is None:
        return []
    out = []
    for d in qi.docs:
        for name in _DX_SECTIONS:
            s = d.section(name)
            if s is None:
                continue
            for a, b, item in diagnosis_items(s.text):
                core = _DX_QUALIFIERS.sub("", item)
                if not core or kb.find(item, "diagnosis") or kb.find(core, "diagnosis"):
                    continue
                if find_terms("diagnosis", core) or find_terms("symptom", core):
                    continue
                # the diagnosis coder: side, 术后 remarks, an appended code and morphology (右卵巢成熟性囊性畸胎瘤
                # → 卵巢良性肿瘤 + M9080/0; 左桡骨远端粉碎性骨折（AO C2型）（S52.5） → 桡骨下端骨折)
                from yizhu.knowledge.terminology import diagnosis_normalises

                if diagnosis_normalises(item) or _OBSTETRIC_STATUS.match(core):
                    continue
                # 左乳浸润性导管癌术后（pT2N0M0）, 甲状腺右叶结节（TI-RADS 4a类）, 肺结核待排: the base concept without
                # side, grade, stage, category, status or hedge (knowledge/terminology/dx_qualifiers.yaml) is what is coded
                from yizhu.knowledge.terminology.dxbase import diagnosis_base

                if any(kb.find(x, "diagnosis") or find_terms("diagnosis", x) or diagnosis_normalises(x)
                       for x in diagnosis_base(item)):
                    continue
                out.append(finding(rule, doc=d.doc, section=s, start=s.start + a, end=s.start + b, name=item))
    return out


_ICD = re.compile(r"^[A-Z]\d{2}(?:\.[0-9A-Z]{1,4})?(?:[+*])?$")


@check("main_diagnosis_code_valid")
def main_diagnosis_code_valid(rule: Rule, qi: QCInput) -> list[Finding]:
    """The 病案首页 main diagnosis needs a valid ICD-10 code, not a symptom code when a disease is coded."""
    main = next((dx for dx in qi.ctx.diagnoses if dx.is_main), None)
    if main is None:
        return []
    anchor = qi.docs[0].doc if qi.docs else None
    if not main.code:
        return [finding(rule, doc=anchor, detail=f"主要诊断“{main.text}”未编码")]
    code = main.code.strip().upper()
    if not _ICD.match(code):
        return [finding(rule, doc=anchor, detail=f"“{main.code}”不是有效的ICD-10编码格式")]
    kb = _kb()
    if kb is not None and kb.diagnosis_by_code(code) is None:
        prefix_known = any(it.code.startswith(code[:3]) for it in kb.pack("diagnosis").items)
        if not prefix_known:
            return [finding(rule, doc=anchor, detail=f"编码“{code}”不在ICD-10诊断库中")]
    if (
        code.startswith("R")
        and _is_bare_symptom(main.text)
        and any(dx.code and not dx.code.upper().startswith("R") for dx in qi.ctx.diagnoses)
    ):
        return [finding(rule, doc=anchor, detail=f"以症状“{main.text}”（{code}）作主要诊断，而已有明确疾病诊断")]
    return []


def _is_bare_symptom(name: str) -> bool:
    """A diagnosis that is only a symptom name (发热, 腹痛) rather than a clinical entity (热性惊厥)."""
    kb = _kb()
    return kb is not None and bool(kb.find(name.strip(), "symptom"))


@check("signature_present")
def signature_present(rule: Rule, qi: QCInput) -> list[Finding]:
    """The note is signed: a 医师签名 section, an author, or a signature line at its end."""
    out = []
    for d in qi.of_type(*rule.doc_types):
        sig = d.section("医师签名")
        if (sig is not None and sig.text.strip()) or d.doc.author:
            continue
        if re.search(r"(?:签名|医师|医生|记录者)[:：]?\s*[\u4e00-\u9fff]{2,4}\s*$", d.doc.text.rstrip()[-40:]):
            continue
        out.append(finding(rule, doc=d.doc, section_name="医师签名"))
    return out


# ── copy-paste ─────────────────────────────────────────────────────────────────────────────


def _paragraphs(doc: ClinicalDocument, min_chars: int) -> list[tuple[int, int]]:
    out = []
    for s in doc.sections or []:
        for a, b in _sentences_grouped(doc.text, s.start, s.end):
            if b - a >= min_chars:
                out.append((a, b))
    return out


def _sentences_grouped(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Paragraphs: runs between line breaks (a whole section written on one line is one paragraph)."""
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        stop = end if nl == -1 else nl
        a, b = pos, stop
        while a < b and text[a] in " \t\u3000":
            a += 1
        if b > a:
            yield a, b
        pos = stop + 1


def _shingles(text: str, n: int) -> frozenset[str]:
    t = re.sub(r"\s+", "", text)
    return frozenset(t[i : i + n] for i in range(max(1, len(t) - n + 1)))


@check("copy_paste_progress")
def copy_paste_progress(rule: Rule, qi: QCInput) -> list[Finding]:
    """Near-identical paragraphs across different progress notes (character n-gram Jaccard)."""
    n, threshold, min_chars = int(rule.params["ngram"]), float(rule.params["threshold"]), int(rule.params["min_chars"])
    notes = sorted(
        (d for d in qi.of_type("日常病程记录", "上级医师查房记录") if d.doc.text),
        key=lambda d: (d.recorded_at is None, d.recorded_at),
    )
    seen: list[tuple[DocView, frozenset[str], int, int]] = []
    out = []
    for d in notes:
        flagged = False
        for a, b in _paragraphs(d.doc, min_chars):
            sh = _shingles(d.doc.text[a:b], n)
            for prev, psh, _, _ in seen:
                if prev is d:
                    continue
                inter = len(sh & psh)
                if inter == 0:
                    continue
                sim = inter / len(sh | psh)
                if sim >= threshold:
                    when_a = prev.recorded_at.strftime("%m-%d") if prev.recorded_at else prev.doc.id
                    when_b = d.recorded_at.strftime("%m-%d") if d.recorded_at else d.doc.id
                    out.append(
                        finding(
                            rule, doc=d.doc, start=a, end=b,
                            a=f"{when_a} 病程记录", b=f"{when_b} 病程记录", similarity=f"{sim:.2f}",
                        )
                    )
                    flagged = True
                    break
            if flagged:
                break
        for a, b in _paragraphs(d.doc, min_chars):
            seen.append((d, _shingles(d.doc.text[a:b], n), a, b))
    return out
