"""Drafts without a model: sections filled from the parsed record or dialogue by rules.

Used when no LLM is configured (the draft is marked ``degraded: no_llm``) and, for the sections
that must come from the record whatever model runs (diagnoses, discharge medicines), always.
Sentences are copied or assembled from source spans, so each carries exact provenance; wording is
kept close to the source (colloquial phrases stay colloquial) because a rule cannot paraphrase
safely. What a rule cannot find is left empty with a note for the clinician, never invented.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from functools import partial
from typing import Any

from yizhu.clinical.notes.dxphrase import code_for, dx_rules, names_a_plan, stated_diagnoses
from yizhu.clinical.notes.implied import implied_diagnoses, not_a_diagnosis, qualified_diagnoses
from yizhu.clinical.notes.sources import NoteSource, SourceSet
from yizhu.clinical.notes.speech import (
    dialect_to_standard,
    doctor_to_record,
    drop_conversation,
    family_to_record,
    needs_subject,
    once,
    patient_says_history,
    patient_to_record,
    question_subject,
    record_clauses,
    spoken_marker,
)
from yizhu.clinical.notes.types import PRECONSULT_DOC_TYPE, ProvenanceOut, SectionOut, SentenceOut
from yizhu.core import ClinicalContext, Diagnosis, MedicationOrder
from yizhu.safety.entities import Mention, extract
from yizhu.safety.grounding import UNITS, cn_number, split_sentences
from yizhu.safety.omission import (
    drug_products_in,
    is_instruction,
    is_stay_value,
    list_items,
    plan_terms,
    plan_terms_in,
    record_route,
    routes_in,
)

MAX_CHIEF = 20
#: routes of medicines a patient takes home (in-hospital infusions are not discharge medicines)
HOME_ROUTES = {None, "", "po", "口服", "ih", "皮下注射", "吸入", "inh", "外用", "舌下含服", "sl", "滴眼", "喷鼻"}
ROUTE_CN = {"po": "口服", "ih": "皮下注射", "inh": "吸入", "sl": "舌下含服"}


def span(src: NoteSource, start: int = 0, end: int | None = None) -> ProvenanceOut:
    return ProvenanceOut(kind="span", source=src.id, start=start, end=len(src.text) if end is None else end)


def sentence(text: str, *prov: ProvenanceOut) -> SentenceOut:
    return SentenceOut(text=text, provenance=list(prov))


def copy_sentences(src: NoteSource, *, limit: int = 99, keep: Callable[[str], bool] | None = None) -> list[SentenceOut]:
    """Sentences of a source, verbatim, each pointing at its own span."""
    out = []
    for a, b in split_sentences(src.text):
        text = src.text[a:b]
        if keep is not None and not keep(text):
            continue
        out.append(sentence(_ensure_stop(text), span(src, a, b)))
        if len(out) >= limit:
            break
    return out


def _ensure_stop(text: str) -> str:
    text = text.strip()
    return text if text.endswith(("。", "！", "？", "；")) else text + "。"


#: a pathology report of the stay (术后病理, 冰冻病理, 免疫组化, 淋巴结0/16): carried into 诊疗经过
_PATHOLOGY = r"(?:术后|术中|冰冻|石蜡|穿刺)?病理(?:结果|报告|回报)?(?:示|提示|诊断|[:：])|免疫组化(?:示|[:：])|淋巴结\s*\d+/\d+"


def _has(pattern: str) -> Callable[[str], bool]:
    rx = re.compile(pattern)
    return lambda t: bool(rx.search(t))


# ── diagnoses, with ICD-10 ───────────────────────────────────────────────────────────────────


def icd10_for(text: str) -> tuple[str, str] | None:
    """(code, knowledge item id) for a diagnosis as written, on a strong match only (``dxphrase.code_for``):
    a weak partial match is no code, never a wrong one; a code given as such is looked up as itself."""
    from yizhu.knowledge.packs import get_kb

    if re.fullmatch(r"[A-Z]\d{2}(?:\.[0-9A-Z]{1,4})?[+*]?", text.strip()):
        item = get_kb().diagnosis(text.strip())
        return (item.code, item.id) if item is not None else None
    return code_for(text)


def diagnosis_sentence(dx_text: str, code: str | None, src: NoteSource, a: int = 0, b: int | None = None) -> SentenceOut:
    prov = [span(src, a, b)]
    if code is None:
        # code what the diagnosis names, not its hedge (后循环缺血可能 is coded as 后循环缺血)
        found = icd10_for(TENTATIVE.sub("", dx_text).strip() or dx_text)
        if found:
            code = found[0]
            prov.append(ProvenanceOut(kind="citation", source=found[1]))
    elif (found := icd10_for(code)) is not None:
        prov.append(ProvenanceOut(kind="citation", source=found[1]))
    text = dx_text + (f"（{code}）" if code and code not in dx_text else "")
    return SentenceOut(text=text, provenance=prov)


#: a diagnosis still to be confirmed or excluded: it may stand in 入院/初步诊断, never be promoted to 出院诊断
TENTATIVE = re.compile(r"待排|待查|待除外|除外|可能|疑似|不除外|可疑|考虑|\?|？")
diagnosis_items = list_items


def diagnoses_from_section(src: NoteSource) -> list[SentenceOut]:
    """Every diagnosis of a section (1.不稳定型心绞痛 2.高血压病3级 3.2型糖尿病) as a sentence."""
    return [diagnosis_sentence(src.text[a:b], None, src, a, b) for a, b in diagnosis_items(src.text)]


def is_tentative(dx_text: str) -> bool:
    """待排/待查/可能/疑似/除外 …: not a diagnosis the patient leaves hospital with."""
    return bool(TENTATIVE.search(re.sub(r"（[A-Z]\d{2}[^）]*）", "", dx_text)))


_CONFIRMED = re.compile(r"(?:诊断明确为|明确诊断为|确诊为|修正诊断为?|更正诊断为?|最终诊断为?)[:：]?\s*"
                        r"(?P<dx>[\u4e00-\u9fffA-Za-z0-9（）()]{2,30}?)(?=[，,。；;\s]|$)")


def confirmed_diagnoses(S: SourceSet) -> list[SentenceOut]:
    """Diagnoses a progress note states as established (诊断明确为右侧小脑梗死), in the order written."""
    out = []
    for src in S.of_kind("section"):
        if src.doc_type in ("入院记录", PRECONSULT_DOC_TYPE):
            continue
        for m in _CONFIRMED.finditer(src.text):
            out.append(diagnosis_sentence(m.group("dx"), None, src, m.start("dx"), m.end("dx")))
    return _unique_dx(out)


def _src_of(S: SourceSet, s: SentenceOut) -> NoteSource:
    return S.by_id[next(p.source for p in s.provenance if p.kind == "span")]


def _span_of(s: SentenceOut, text: str, part: str) -> tuple[int, int | None]:
    p = next(p for p in s.provenance if p.kind == "span")
    a = (p.start or 0) + max(text.find(part), 0)
    return a, a + len(part)


def _dx_sentences(ctx: ClinicalContext, S: SourceSet, kinds: Iterable[str]) -> list[SentenceOut]:
    wanted = set(kinds)
    out = []
    for i, dx in enumerate(ctx.diagnoses):
        if dx.kind in wanted:
            src = S.by_id[f"dx:{i + 1}"]
            out.append(diagnosis_sentence(dx.text, dx.code, src, 0, len(dx.text)))
    return out


# ── record sections (discharge) ──────────────────────────────────────────────────────────────


def _med_text(o: MedicationOrder) -> str:
    return o.text.strip()


def discharge_record_sections(ctx: ClinicalContext, S: SourceSet) -> dict[str, SectionOut]:
    """入院诊断, 出院诊断, 出院医嘱 from the record: never from a model."""
    out: dict[str, SectionOut] = {}
    adm = _dx_sentences(ctx, S, ("admission", "preliminary"))
    if not adm:
        for src in S.sections("初步诊断") + S.sections("入院诊断"):
            adm = diagnoses_from_section(src)
            if adm:
                break
    out["入院诊断"] = SectionOut(name="入院诊断", origin="record", sentences=adm,
                             note=None if adm else "记录中未见入院诊断，请医师补充")
    dis = _dx_sentences(ctx, S, ("discharge",))
    note = None
    if not dis:
        for src in S.sections("出院诊断"):
            dis = diagnoses_from_section(src)
    if not dis:
        confirmed = confirmed_diagnoses(S)
        kept, held = [], []
        # admission diagnoses stand in for discharge ones only when confirmed: 待排/疑似 are never promoted
        for s in adm:
            if not is_tentative(s.text):
                kept.append(s.model_copy(deep=True))
                continue
            text = re.sub(r"（[A-Z]\d{2}[^）]*）$", "", s.text)
            held.append(text)
            # 社区获得性肺炎 重症肺炎待排: the confirmed part of a mixed item still goes on
            for part in re.split(r"[\s，,、；;]+", text):
                if len(part) >= 2 and not is_tentative(part) and any(
                        m.type == "diagnosis" and not m.negated and not m.uncertain for m in extract(part)):
                    kept.append(diagnosis_sentence(part, None, _src_of(S, s), *_span_of(s, text, part)))
        have = {re.sub(r"（.*?）|\W", "", x.text) for x in confirmed}
        dis = confirmed + [x for x in kept if re.sub(r"（.*?）|\W", "", x.text) not in have]
        if dis:
            note = ("记录中未见出院诊断，暂列" + ("病程中确诊的诊断及" if confirmed else "") +
                    "已确立的入院诊断，请医师确认或修正")
            if held:
                note += f"；入院时待排/疑似诊断（{'、'.join(held)}）未列入，请医师确认是否确诊或已排除"
        else:
            note = "记录中未见诊断，请医师补充"
    out["出院诊断"] = SectionOut(name="出院诊断", origin="record", sentences=dis, note=note)

    meds: list[SentenceOut] = []
    seen: set[str] = set()
    orders = {s.id: s for s in S.of_kind("order")}
    for i, o in enumerate(ctx.orders):
        if not isinstance(o, MedicationOrder) or o.status not in ("active", "completed"):
            continue
        if (o.route or "").lower() not in HOME_ROUTES and (o.route or "") not in HOME_ROUTES:
            continue
        src = orders.get(f"order:{o.id or i + 1}")
        key = re.sub(r"\s+", "", o.text)
        if src is None or key in seen:
            continue
        seen.add(key)
        meds.append(sentence(_ensure_stop(_med_text(o)), span(src)))
    written: list[SentenceOut] = []
    used: set[str] = set()
    if not meds:
        # a record given as printed notes: the 出院医嘱 / 出院带药 the clinician wrote in the last progress note
        for src in reversed(S.sections("出院医嘱") + S.sections("出院带药")):
            # 24h尿蛋白4.8g written among the orders is a result of the stay, never an order
            written = [y for x in discharge_items(src) if (y := _without_stay_values(x)) is not None]
            if written:
                used.add(src.id)
                break
    follow = []
    for src in reversed([s for s in S.of_kind("section") if s.section not in RESULT_SECTIONS and s.id not in used]):
        follow = copy_sentences(src, limit=2, keep=is_instruction)
        if follow:
            follow = [y for f in follow if (y := _without_stay_values(_from_instruction(src, f))) is not None]
            break
    if not meds or written:
        # 出院后口服复方磺胺甲噁唑片…预防感染 said in a course note's prose: a medicine sent home all the same, drafted
        # (and so reviewed against the stay's allergies and labs) like one written under 出院带药
        have = {re.sub(r"\W", "", x.text) for x in written}
        for src in S.of_kind("section"):
            if src.section in RESULT_SECTIONS or src.section in ("出院医嘱", "出院带药", "过敏史") or src.id in used:
                continue
            for x in copy_sentences(src, keep=_home_drug_said):
                x = _from_home_cue(src, x)
                if re.sub(r"\W", "", x.text) not in have and not any(re.sub(r"\W", "", x.text) in h for h in have):
                    have.add(re.sub(r"\W", "", x.text))
                    written.append(x)
    if written:
        have = {re.sub(r"\W", "", x.text) for x in written}
        follow = [f for f in follow if re.sub(r"\W", "", f.text) not in have
                  and not any(re.sub(r"\W", "", f.text) in h or h in re.sub(r"\W", "", f.text) for h in have)]
        meds = written
    note_parts = []
    if meds and not written:
        note_parts.append("出院带药据在院口服/皮下长期医嘱生成，请核对剂量与疗程")
    elif written:
        note_parts.append("出院医嘱据病程记录中的出院医嘱/出院带药生成，请核对")
    else:
        note_parts.append("记录中未见可带出院的药物医嘱，请医师补充")
    if not follow and not any(is_instruction(x.text) for x in written):
        note_parts.append("记录中未见随访安排，请医师补充")
    warn = [sentence(f"{a.text}，避免使用该类药物。", span(a)) for a in S.of_kind("allergy")]
    if not warn:  # an allergy written only in the notes (过敏史：青霉素过敏) is carried the same way
        from yizhu.safety.omission import ItemSource, source_items

        for src in S.of_kind("section"):
            if src.section not in ("过敏史", "既往史", "现病史", "入院情况"):
                continue
            for it in source_items([ItemSource(src.id, src.text, "section", section="过敏史")]):
                if it.kind == "allergy" and all(it.text not in w.text for w in warn):
                    warn.append(sentence(f"{it.text}过敏，避免使用该类药物。", span(src, it.start, it.end)))
    from yizhu.clinical.notes.course import drug_reactions

    # 口服阿莫西林后全身出现风团…诊为荨麻疹 (现病史), 静滴头孢曲松过程中出现药疹 (病程): a reaction to a drug told in the
    # record's own words is carried as a warning too, with what it was
    for src in S.of_kind("section"):
        if src.section in ("出院医嘱", "出院带药", "出院诊断") or src.doc_type == PRECONSULT_DOC_TYPE:
            continue
        for r in drug_reactions(src.text):
            if all(r.drug not in w.text for w in warn):
                warn.append(sentence(f"对{r.drug}过敏（{r.reaction}），避免使用该类药物。", span(src, r.start, r.end)))
    out["出院医嘱"] = SectionOut(name="出院医嘱", origin="record", sentences=meds + follow + warn,
                             note="；".join(note_parts))
    return out


_INSTRUCTION_START = re.compile(r"嘱|建议|出院后|定期")
#: a medicine said to be taken at home (出院后继续口服…, 带…出院, 出院时予…口服), not one given in the stay
_HOME_CUE = re.compile(r"出院后(?:继续|改为|改|予|给予)?(?:口服|服用|服|带药)|带(?:药)?[^，。；]{2,30}?出院|出院(?:时)?(?:带|予|给予)(?:药)?")
_HOME_NOT = re.compile(r"停用|停药|勿|避免|禁用|不再|过敏|否认")


def _home_drug_said(text: str) -> bool:
    if not _HOME_CUE.search(text) or _HOME_NOT.search(text):
        return False
    from yizhu.knowledge.terminology import extract as term_extract

    return any(e.type == "drug" and not e.negated for e in term_extract(text, types=["drug"]))


def _from_home_cue(src: NoteSource, s: SentenceOut) -> SentenceOut:
    """患者无发热。出院后口服X → 出院后口服X: the medicine from where its home cue starts (clause-wise)."""
    p = s.provenance[0]
    a, b = p.start or 0, p.end or len(src.text)
    m = _HOME_CUE.search(src.text, a, b)
    if m is None:
        return s
    c = max(src.text.rfind(x, a, m.start()) for x in "，,；;")
    start = c + 1 if c >= a else a
    return sentence(_ensure_stop(src.text[start:b].strip()), span(src, start, b))
_ITEM_SPLIT = re.compile(r"[；;。\n]+")
_HEADING = re.compile(r"\s*(?:出院医嘱|出院带药|医嘱|带药)\s*[:：]\s*")


def discharge_items(src: NoteSource) -> list[SentenceOut]:
    """The items of a written 出院医嘱 / 出院带药 section (a medicine, an instruction), each with its span."""
    out = []
    pos = 0
    for m in [*_ITEM_SPLIT.finditer(src.text), None]:
        end = m.start() if m else len(src.text)
        a = pos
        h = _HEADING.match(src.text, a, end)
        if h:
            a = h.end()
        while a < end and src.text[a] in " \t\u3000，,":
            a += 1
        b = end
        while b > a and src.text[b - 1] in " \t\u3000，,":
            b -= 1
        if b - a >= 2 and re.search(r"[\u4e00-\u9fff]", src.text[a:b]):
            out.append(sentence(_ensure_stop(src.text[a:b]), span(src, a, b)))
        pos = m.end() if m else len(src.text)
    return out


#: the name a measured value is read under (LDL-C 2.9mmol/L → LDL-C), and a target said after it (目标<1.8mmol/L)
_VALUE_NAME = re.compile(r"\s*(?:复查|出院时|出院前)?([A-Za-z][A-Za-z0-9-]{0,8}|[\u4e00-\u9fff]{1,8}?[A-Za-z0-9-]{0,6})\s*(?:为|是|约)?\s*\d")
_TARGET = re.compile(r"\s*(?:目标|控制在|控制于|维持在|降至|达标值)")
_MEASURED = re.compile(r"[A-Za-z\u4e00-\u9fff][A-Za-z0-9\u4e00-\u9fff-]{0,14}?\s*(?:为|是|约)?\s*\d+(?:\.\d+)?\s*"
                       r"(?:mmol/L|μmol/L|umol/L|g/L|mg/L|mg/dL|U/L|IU/L|ng/ml|ng/mL|pg/ml|pg/mL|×10|x10|%)", re.I)
_TOLD = re.compile(r"嘱|建议|每日|每天|控制|目标|低于|高于|不超过|[<＜≤>＞≥]|如|若|监测|出院后")


def _measured(c: str) -> bool:
    """A clause that reads out a value of the stay (血钾4.0mmol/L, LDL-C 2.9mmol/L), telling nothing to do."""
    return is_stay_value(c) or (bool(_MEASURED.search(c)) and not _TOLD.search(c))


def _without_stay_values(s: SentenceOut) -> SentenceOut | None:
    """An 出院医嘱 item without the values measured in the stay: 血钾4.0mmol/L alone is no instruction (None);
    LDL-C 2.9mmol/L，目标<1.8mmol/L → LDL-C目标<1.8mmol/L (the target is what the patient is to reach)."""
    text = s.text.rstrip("。")
    if _measured(text) and not re.search(r"[，,；;]", text):
        return None
    parts = re.split(r"([，,])", text)
    kept: list[str] = []
    name = ""
    dropped = False
    for i in range(0, len(parts), 2):
        c = parts[i]
        if c.strip() and _measured(c):
            m = _VALUE_NAME.match(c)
            name, dropped = (m.group(1) if m else ""), True
            continue
        if name and _TARGET.match(c):
            c = name + c.strip()
        name = ""
        if c.strip():
            kept.append(c.strip())
    if not dropped:
        return s
    if not kept:
        return None
    return SentenceOut(text=_ensure_stop("，".join(kept)), provenance=s.provenance)


def _from_instruction(src: NoteSource, s: SentenceOut) -> SentenceOut:
    """拟明日出院，嘱出院后2周门诊复诊 → 嘱出院后2周门诊复诊: the instruction, from where it starts."""
    p = s.provenance[0]
    a, b = p.start or 0, p.end or len(src.text)
    m = _INSTRUCTION_START.search(src.text, a, b)
    if m is None or m.start() == a:
        return s
    return sentence(_ensure_stop(src.text[m.start():b]), span(src, m.start(), b))


#: sections that report what was found, never what the patient is to do
RESULT_SECTIONS = {"辅助检查", "体格检查", "专科检查", "现病史", "既往史", "主诉", "入院情况", "入院诊断", "初步诊断",
                   "出院诊断", "病例特点"}
# ── discharge narrative ──────────────────────────────────────────────────────────────────────

_VITALS = _has(r"T\s*\d|体温|BP\s*\d|血压|P\s*\d+次")
#: a result worth carrying: marked high/low, positive (尿蛋白3+, (++)), or read out from imaging (示)
_ABNORMAL = _has(r"[↑↓]|异常|阳性|增高|升高|降低|减低|示|(?<![\d+])[1-4]\+(?![\d+])|[（(]\++[）)]")


def _first(sources: list[NoteSource]) -> NoteSource | None:
    return sources[0] if sources else None


def discharge_narrative(ctx: ClinicalContext, S: SourceSet) -> dict[str, SectionOut]:
    """入院情况, 诊疗经过, 出院情况 assembled from the admission note, progress notes and labs."""
    out: dict[str, SectionOut] = {}
    adm: list[SentenceOut] = []
    chief = _first(S.sections("主诉", "入院记录")) or _first(S.sections("主诉"))
    when = S.by_id.get("encounter:admitted_at")
    if chief is not None:
        text = chief.text.strip().rstrip("。")
        prov = [span(chief, 0, len(chief.text.rstrip("。")))]
        date = ""
        if when is not None:
            date = f"于{when.text[:10]}"
            prov.append(span(when, 0, 10))
        else:  # printed notes: the 入院日期 of the admission note's header
            for head in S.sections("页眉", "入院记录"):
                dm = re.search(r"入院(?:日期|时间)\s*[:：]\s*(\d{4}-\d{2}-\d{2})", head.text)
                if dm:
                    date = f"于{dm.group(1)}"
                    prov.append(span(head, dm.start(1), dm.end(1)))
                    break
        adm.append(sentence(f"患者因“{text}”{date}入院。", *prov))
    hpi = _first(S.sections("现病史"))
    if hpi is not None:
        adm += copy_sentences(hpi, limit=1)
    exam = _first(S.sections("体格检查"))
    if exam is not None:
        adm += copy_sentences(exam, limit=1, keep=_VITALS)
    aux = _first(S.sections("辅助检查"))
    if aux is not None:
        adm += copy_sentences(aux, limit=3, keep=_ABNORMAL)
    out["入院情况"] = SectionOut(name="入院情况", sentences=adm, note=None if adm else "记录中未见入院记录，请医师补充")

    course: list[SentenceOut] = []
    plan = _first(S.sections("诊疗计划", "首次病程记录")) or _first(S.sections("诊疗计划"))
    if plan is not None:
        course += copy_sentences(plan, limit=4)
    daily = [s for s in S.of_kind("section") if s.doc_type in ("日常病程记录", "上级医师查房记录", "阶段小结")
             and s.section not in NOT_COURSE]
    if not daily:  # printed notes of any type: every section after the admission note that tells the course
        daily = [s for s in S.of_kind("section") if s.doc_type not in ("入院记录", PRECONSULT_DOC_TYPE)
                 and s.section not in NOT_COURSE and s.section != "诊疗计划"]
    from yizhu.clinical.notes.course import operation_facts

    for op in S.sections("手术名称"):
        name = re.split(r"[\n。；;]", op.text.strip())[0].strip()
        if name:
            at = op.text.find(name)
            course.append(sentence(f"行{name}。", span(op, at, at + len(name))))
            # 术中以臀助产娩出一活男婴，体重3350g，Apgar评分…；术中出血300ml: the key facts of the record, not only its name
            for a, b in operation_facts(op.text[at + len(name):], at + len(name)):
                text = op.text[a:b].strip(" \n\u3000")
                if len(text) >= 4:
                    a = op.text.find(text, a)
                    course.append(sentence(_ensure_stop(text), span(op, a, a + len(text))))
    if any(s.section == "手术名称" for s in S.of_kind("section")):
        # the record's own 手术经过 section holds the key facts when the name stands alone on its line
        have = "".join(x.text for x in course)
        for op in S.sections("手术经过"):
            for a, b in operation_facts(op.text):
                text = op.text[a:b].strip(" \n\u3000")
                if len(text) >= 4 and text not in have:
                    a = op.text.find(text, a)
                    course.append(sentence(_ensure_stop(text), span(op, a, a + len(text))))
    daily = [s for s in daily if s.section != "手术名称"]
    from yizhu.clinical.notes.course import course_sentences

    # course notes with dated entries (2026-12-03 14:00 手术记录摘要 …): what each entry did and found
    dated = course_sentences(S, have="".join(x.text for x in course))
    course += dated
    for src in daily[:-1] if len(daily) > 1 and not dated else []:
        course += copy_sentences(src, limit=2)
    # 术后病理：…，腋窝淋巴结0/16 — the pathology of the stay is the course's key result, wherever it was written
    # (the last course note too, which otherwise only tells the state at discharge)
    have = re.sub(r"\s", "", "".join(x.text for x in course))
    for src in daily:
        for x in copy_sentences(src, keep=_has(_PATHOLOGY)):
            if re.sub(r"\s", "", x.text.rstrip("。")) not in have:
                course.append(x)
                have += re.sub(r"\s", "", x.text)
    course += lab_trends(ctx, S)
    out["诊疗经过"] = SectionOut(name="诊疗经过", sentences=course,
                             note=None if course else "记录中未见诊疗经过，请医师补充")
    last = daily[-1] if daily else None
    dis = _last_part(last) if last is not None else []
    told = {x.text for x in course}
    dis = [x for x in dis if x.text not in told] or dis  # the pathology told in 诊疗经过 is not said twice
    out["出院情况"] = SectionOut(name="出院情况", sentences=dis,
                             note=None if dis else "记录中未见出院前病程记录，请医师补充出院时情况")
    return out


#: sections of later notes that are not the course (diagnoses and orders have their own sections)
NOT_COURSE = {"出院诊断", "出院医嘱", "出院带药", "初步诊断", "入院诊断", "术前诊断", "术后诊断", "病例特点", "拟诊讨论",
              "页眉", "医师签名", "主诉", "现病史", "既往史", "过敏史", "体格检查", "辅助检查"}
_STAMP = re.compile(r"\d{4}-\d{2}-\d{2}(?:\s+\d{1,2}:\d{2})?")


def _last_part(src: NoteSource) -> list[SentenceOut]:
    """出院情况 from the last dated entry of a progress note (2026-11-21 出院前病程 …), at most 3 sentences."""
    stamps = list(_STAMP.finditer(src.text))
    start = stamps[-1].end() if stamps else 0
    out = []
    for a, b in split_sentences(src.text[start:]):
        a, b = a + start, b + start
        text = src.text[a:b]
        text = re.sub(r"^[\s　]*(?:[\u4e00-\u9fff]{2,8}(?:病程|查房|记录))[\s　]*", "", text)
        if len(text) >= 2:
            out.append(sentence(_ensure_stop(text), span(src, b - len(text), b)))
    return out[:3]


def lab_trends(ctx: ClinicalContext, S: SourceSet) -> list[SentenceOut]:
    """For labs measured more than once: 空腹血糖由15.3mmol/L变为7.2mmol/L (first and last value)."""
    by_name: dict[str, list[int]] = {}
    for i, lab in enumerate(ctx.labs):
        by_name.setdefault(lab.name, []).append(i)
    out = []
    for name, idx in by_name.items():
        if len(idx) < 2:
            continue
        idx.sort(key=lambda i: (ctx.labs[i].observed_at is None, ctx.labs[i].observed_at))
        a, b = ctx.labs[idx[0]], ctx.labs[idx[-1]]
        sa, sb = S.by_id[f"lab:{idx[0] + 1}"], S.by_id[f"lab:{idx[-1] + 1}"]
        unit = a.unit or ""
        fa = str(int(a.value)) if isinstance(a.value, float) and a.value.is_integer() else str(a.value)
        fb = str(int(b.value)) if isinstance(b.value, float) and b.value.is_integer() else str(b.value)
        out.append(sentence(f"{name}由{fa}{unit}变为{fb}{b.unit or ''}。", span(sa), span(sb)))
    return out


# ── dialogue (outpatient / admission) ────────────────────────────────────────────────────────

#: a question to the patient; 看看有没有脊柱炎 / 查一下是不是结核 is what a test is for, not a question
_NOT_ASKED = r"(?<!看看)(?<!看一下)(?<!查查)(?<!查一下)(?<!排查)(?<!明确)(?<!了解)(?<!评估)(?<!确定)(?<!判断)"
_QUESTION = re.compile(rf"[?？]|吗|呢|{_NOT_ASKED}(?:有没有|是不是|是否|有无)|会不会|多久|多长|几天|几次|多少|哪里|怎么|什么")
_NO = re.compile(r"^\s*(?:没有|没得|莫得|冇|呒没|勿有|不会(?=[，,。！!]|$)|没(?!注意|留意|量|测)|无|不(?!太清楚|清楚|知道|记得|确定|好说|一定)|否|从来没|从没|未|都没|也没|一直没)"
                 r"[有过]?(?:明显的?|特别的?|什么)?[有过呢啊的，,。]*")
_YES = re.compile(r"^\s*(?:有的|有|是的|是|对的|对|嗯|会|偶尔|经常)[，,。]*")
_FILLERS = re.compile(r"(?:^|(?<=[，,。]))\s*(?:嗯+|啊+|呃+|那个|就是说|就是|医生|大夫|对(?![乙氨甲苯羟硝]))[，,、\s]*")
TOPICS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("过敏史", re.compile(r"过敏")),
    ("家族史", re.compile(r"家里人|家里有|家族|遗传|父母|父亲|母亲|兄弟|姐妹|姨妈|舅舅|姑姑|叔叔|奶奶|爷爷|外婆|外公|亲戚")),
    # birth, feeding and vaccination of a child are its 个人史 (出生史、喂养史、预防接种史), never the present illness
    ("个人史", re.compile(r"抽烟|吸烟|喝酒|饮酒|烟酒|职业|做什么工作|足月|早产|顺产|剖宫产|剖腹产|出生|生下来|母乳|喂养|奶粉|疫苗|预防接种|打预防针")),
    ("既往史", re.compile(r"以前|既往|过去|得过|慢性病|高血压|糖尿病|冠心病|手术|开过刀|住过院|平时.{0,4}药|长期.{0,4}药|在吃什么药|吃什么药|吃着.{0,4}药")),
)
_EXAM = re.compile(r"体温|血压|心率|脉搏|听诊|呼吸音|啰音|咽部|扁桃体|充血|压痛|反跳痛|查体|[0-9.]+\s*(?:℃|度|mmHg)|心律|杂音|水肿|肿大"
                   r"|神志|意识|肌力|肌张力|病理征|巴氏征|巴宾斯基|面瘫|构音|脑膜刺激征|NIHSS|瞳孔|对光反射|腱反射|共济|"
                   r"感觉减退|颈抵抗|墨菲征|Murphy|叩痛|触及|未触及|肠鸣音|宫高|腹围|胎心|伤口(?:在|位于|长|深|见)|牙痕"
                   r"|额纹|鼻唇沟|闭合不全|鼓腮|口角|伸舌|露白|苍白|黄染|[\u4e00-\u9fff]{1,4}貌|病容|扪及|未扪及")
_DX = re.compile(r"考虑|可能是|诊断|应该是|像是|初步看")
_PLAN = re.compile(r"时(?:吃|服|用|喷|含)(?=[。，,；;]|$)|建议|给你开|开点|开些|开了|服用|吃药|按时吃|复查|复诊|查个|查一下|做个|做一下|住院|输液|注意|多喝水|随诊|回来|先吃|每天|一天.次|一次.[片粒]")
_AUX = re.compile(r"BRAF|基因|突变|免疫组化|Ki-?67|HER2|抗dsDNA|补体|抗核抗体|血常规|CT|胸片|B超|彩超|心电图|化验|核磁|尿常规|X线|片子|根尖片|全景片|牙片|曲面断层|[\u4e00-\u9fff]片(?:示|提示|显示)")
#: a sentence that opens with a test (彩超…, 头颅CT…, 心电图…) reads out its result
_AUX_FIRST = re.compile(r"\s*(?:今天的?|这次的?|刚才的?)?(?:急查|复查|查的?|做的?)?(?:[\u4e00-\u9fff]{0,4}?(?:彩超|B超|超声|CT|MRI|磁共振|核磁|胸片|X线|心电图|"
                        r"[\u4e00-\u9fff]{1,2}常规|甲功|甲状腺功能|肝功能?|肾功能?|血脂|血糖|糖化血红蛋白|凝血|电解质|血气|HCG|hCG|"
                        r"胃镜|肠镜|造影|根尖片|全景片|牙片|曲面断层片?|CBCT|OCT|眼底照相|[\u4e00-\u9fff]{1,3}片(?=示|提示|显示)))(?:示|提示|显示|写的是|报告|结果)?")


@dataclass
class Unit:
    """A piece of the dialogue: a doctor question with its answer, or a statement."""

    kind: str  # qa | doctor | patient
    q: NoteSource | None
    a: NoteSource | None


def dialogue_units(S: SourceSet) -> list[Unit]:
    turns = S.of_kind("turn")
    units: list[Unit] = []
    i = 0
    while i < len(turns):
        t = turns[i]
        nxt = turns[i + 1] if i + 1 < len(turns) else None
        if t.speaker == "doctor" and _QUESTION.search(t.text) and nxt is not None and nxt.speaker != "doctor":
            units.append(Unit("qa", t, nxt))
            i += 2
            continue
        units.append(Unit("doctor" if t.speaker == "doctor" else "patient", None, t))
        i += 1
    return units


_HEDGES = re.compile(r"有点儿|有点|有些|稍微|一点儿|一点")


#: the words around the sentence being worded: the question it answers and the whole turn. An ambiguous lay
#: form (抽了: smoking or convulsing; 烧: fever or burning pain) is read only as the talk around it supports
_AROUND: ContextVar[str] = ContextVar("yizhu_notes_around", default="")


def clinical_wording(text: str) -> str:
    """Lay words in clinical terms through the shared colloquial lexicon (拉肚子 → 腹泻, 五天 → 5天,
    我听一下肺 → 肺部听诊, 一天两次 → bid); what the lexicon does not know stays as said, and so does an
    ambiguous lay form the question and the turn do not settle (以前抽了四十年 answering 抽烟吗？ is 吸烟,
    never 抽搐)."""
    from functools import partial

    from yizhu.knowledge.terminology.colloquial import colloquial

    lex = colloquial()
    lex_normalise = partial(lex.normalise, context=_AROUND.get())
    # a record spells a product out: 破伤风抗毒素 is not shortened to TAT (病历书写基本规范 第五条)
    keep = [m for m in lex.find(text, context=_AROUND.get()) if m.entry.kind == "other" and m.entry.standard.isascii()
            and len(m.entry.lay) >= 4 and not m.entry.lay.isascii()]
    if not keep:
        return lex_normalise(text).text
    out, pos = [], 0
    for m in keep:
        out += [lex_normalise(text[pos:m.start]).text, text[m.start:m.end]]
        pos = m.end
    return "".join(out) + lex_normalise(text[pos:]).text


_PLEASANTRY = re.compile(r"^\s*(?:好的|好|行|嗯|谢谢|谢谢大夫|谢谢医生|知道了|明白了)[，,。！!\s]*(?:谢谢[^\w]*(?:大夫|医生)?)?[。！!]?\s*$")
_DENIAL = re.compile(r"(?:也|都|还|从来)?没有?(?=\S)")


def _deny_clinically(t: str) -> str:
    """没吐 / 也没腹泻 → 无呕吐 / 无腹泻: a spoken denial before a finding in the clinical form."""
    ms = [m for m in extract(t) if m.type != "drug" and m.negated]
    out, pos = [], 0
    for m in ms:
        k = max(t.rfind("，", 0, m.start), t.rfind(",", 0, m.start), pos)
        dm = None
        for hit in _DENIAL.finditer(t, k, m.start + 1):
            if hit.end() == m.start:
                dm = hit
        if dm is not None:
            out.append(t[pos:dm.start()] + "无")
            pos = dm.end()
    out.append(t[pos:])
    return "".join(out)


def _take_drug(t: str) -> str:
    """吃拜新同 → 口服硝苯地平 (after the lexicon): 吃/吃着/在吃 before a drug name reads 口服."""
    drugs = [m for m in extract(t) if m.type == "drug"]
    for m in reversed(drugs):
        hit = re.search(r"(?:平时|一直|现在)?(?:在|还)?吃(?:着|的是|的|了点|了些|了|过)?$", t[max(0, m.start - 6):m.start])
        if hit:
            a = max(0, m.start - 6) + hit.start()
            t = t[:a] + "口服" + t[m.start:]
    return t


def _clean_patient(text: str, subject: str | None = None, family: bool = False) -> str:
    """A patient's (or relative's) sentence in record language: conversation clauses dropped (speech.yaml),
    lay words through the lexicon, denials as 无X; a value-only answer (2天没解了) takes the question's
    ``subject``; a relative's 我妈/孩子/他 is the patient (患者/患儿) and their own 我 is 家属."""
    if _PLEASANTRY.match(text) or not patient_says_history(text):
        return ""
    said = text
    text = drop_conversation(dialect_to_standard(text))
    if subject and needs_subject(text) and subject not in text:
        text = subject + text
    t = _FILLERS.sub("", text).strip(" ，,")
    if family:
        t = family_to_record(t)
    else:  # 我爸/我妈 said by the patient is a relative (家族史), not the patient: the lexicon names them
        t = re.sub(r"我(?=(?:爸|妈|爹|娘|父亲|母亲|哥|姐|弟|妹|爷爷|奶奶|外公|外婆|姥姥|姥爷|姆妈|阿妈|阿爸|老汉|老爸|老妈|老爹|老娘|舅|姨|姑|叔|伯))",
                   lambda m: "\x00", t)
        t = colloquial_kin(t)
    t = re.sub(r"^我(?:家)?", "患者", t)
    t = t.replace("我", "患者").replace("俺", "患者")
    t = clinical_wording(t)
    t = _deny_clinically(t)
    t = _take_drug(t)
    t = re.sub(r"(?:了)?(?:快|差不多|大概)?(\d+(?:\.\d+)?(?:-\d+)?)个?(?:礼拜|星期)", r"\1周", t)
    # 两个多礼拜 → 2周余: more than a whole count of weeks, in record wording
    t = re.sub(r"(\d+|[一二两三四五六七八九十]+)个?多(?:礼拜|星期)",
               lambda m: f"{m.group(1) if m.group(1).isdigit() else int(cn_number(m.group(1)) or 0)}周余", t)
    # a clause still in the patient's own words (脑壳昏沉沉的, 玩得好好的) is never copied: listed or dropped
    return record_clauses(once(patient_to_record(t)), said, _AROUND.get())


def colloquial_kin(t: str) -> str:
    """A relative the patient names (\x00 marks the 我 of 我爸) in the lexicon's words: 我爸 → 父亲."""
    from yizhu.knowledge.terminology.colloquial import colloquial

    if "\x00" not in t:
        return t
    n = colloquial().normalise(t.replace("\x00", "我"))
    if "我" not in n.text:
        return n.text

    def kin(m: re.Match[str]) -> str:  # 我姆妈帮我揩身: the relative named, the patient's own 我 left for later
        std = colloquial().standard("我" + m.group(1), "other")
        return std or "我" + m.group(1)

    return re.sub(r"\x00(姆妈|阿妈|阿爸|老汉儿?|老爸|老妈|老爹|老娘|爸爸|妈妈|舅舅|姨妈|姑姑|叔叔|伯伯|爸|妈|爹|娘|舅|姨|姑|叔|伯)", kin,
                  t).replace("\x00", "我")


def _cleaner(src: NoteSource) -> Callable[[str], str]:
    family = src.speaker == "family"
    return lambda text: _clean_patient(text, family=family)


def _answer_sentences(q: NoteSource, asked_from: int, concepts: list[Mention], a: NoteSource,
                      start: int = 0) -> list[SentenceOut]:
    """The sentences of one answer in record language. The first, if it states a value only (一个礼拜了,
    11月2号, 少了), takes what the question asked about — the longest of a ``subjects`` word and the finding
    it names (月经量多 over 月经, 末次月经 over 月经) — and cites the question for it."""
    asked = q.text[asked_from:]
    q_end = min([x for x in (asked.find(c) for c in "？?") if x >= 0] + [len(asked)])
    if q_end < len(asked.rstrip(" ？?")) and len(split_sentences(a.text[start:])) > 1:
        # 以前有过吗？对药过敏吗？ — 两年前有过一次。没有药物过敏。: the first answer answers the first question
        asked = asked[:q_end + 1]
        concepts = [m for m in concepts if m.start < asked_from + q_end]
    named = [question_subject(asked) or "", *(_canonical(m) for m in concepts[:1])]
    subject = max(named, key=len) or None
    if subject is None:  # 沙丁胺醇用过没有？一次都没用过 → 沙丁胺醇未用过: the drug the question names
        drug = next((m for m in extract(asked) if m.type == "drug"), None)
        subject = drug.text if drug is not None else None
    first = [True]
    family = a.speaker == "family"

    def clean(text: str) -> str:
        out = _clean_patient(text, subject if first[0] else None, family)
        first[0] = False
        return out

    out = _sentences_of(a, clean, start=start)
    if subject and out:
        p = out[0].provenance[0]
        if subject in out[0].text and subject not in a.text[p.start or 0:p.end]:
            where = q.text.find(subject, asked_from)
            cite = span(q, where, where + len(subject)) if where >= 0 else span(q, asked_from, len(q.text))
            out[0] = SentenceOut(text=out[0].text, provenance=[*out[0].provenance, cite])
    return out


_FINDING_HEARD = (r"(?:(?:干湿|干、湿|湿|干)性?)?啰音|哮鸣音|水泡音|(?:胸膜)?摩擦音"
                  r"|(?:病理性)?(?:收缩期|舒张期)?(?:[\u4e00-\u9fff]{1,3}样)?杂音")
_NEG_CUE = re.compile(r"没|未|无|否|不|阴性")


def exam_wording(t: str) -> str:
    """Spoken examination findings in record wording, keeping every negation: 没有听到干湿啰音 → 未闻及干湿啰音,
    没摸到包块 → 未触及包块, 没看到皮疹 → 未见皮疹; 双肺湿啰音 / 听到湿啰音 → 可闻及湿啰音 only in a clause that
    carries no negation cue (a denied finding must never read as present)."""
    heard = rf"(?=(?:明显的?|什么|任何|少量|少许|散在|细小的?)?(?:{_FINDING_HEARD}))"
    t = re.sub(rf"(?:也|都|还)?(?:没有|没|未|无)(?:听到|听见|听着|听及|闻及)?(?:(明显)的?|什么|任何)?{heard}",
               lambda m: "未闻及" + (m.group(1) or ""), t)
    t = re.sub(r"(?:也|都|还)?(?:没有|没|未)(?:摸到|摸着|触到|触及)(?:(明显)的?|什么|任何)?",
               lambda m: "未触及" + (m.group(1) or ""), t)
    t = re.sub(r"(?:也|都|还)?(?:没有|没|未)(?:看到|看见|见到)(?:(明显)的?|什么|任何)?",
               lambda m: "未见" + (m.group(1) or ""), t)
    out = []
    for clause in re.split(r"([，,。；;！!\n])", t):
        if clause and not _NEG_CUE.search(clause) and re.search(_FINDING_HEARD, clause):
            clause = re.sub(rf"(?:可以|能|可)?(?:听到|听见|听着|闻及){heard}", "可闻及", clause)
            if "闻及" not in clause:
                clause = re.sub(rf"(?:有(?:点|些)?)?(?={_FINDING_HEARD})", "可闻及", clause, count=1)
        out.append(clause)
    return "".join(out)


_UNIT_AFTER = (("血压", "mmHg", r"\d{2,3}/\d{2,3}"), ("体温", "℃", r"\d{2}(?:\.\d)?"), ("心率", "次/分", r"\d{2,3}"))


#: a doctor speaking Cantonese or Wu to the patient (屋企, 返嚟, 即刻, 食药, 侬): the sentence is put in standard
#: Mandarin before it is worded for the record (plain Mandarin, with its 勿 of the record, is left alone)
_DOCTOR_DIALECT = re.compile(r"佢|冇|唔|嘅|咗|嘢|啲|屋企|返嚟|即刻|喺|侬|呒没|食(?=药|饭|布洛芬|对乙酰|退烧)")


def _clean_doctor(text: str) -> str:
    text = dialect_to_standard(text) if _DOCTOR_DIALECT.search(text) else text
    t = doctor_to_record(_FILLERS.sub("", text).strip(" ，,")).strip(" ，,")
    t = re.sub(r"给[你您]开[点些了]?", "予", t)
    t = re.sub(r"我(?=听|看|摸|按|量|测)", "", t)
    t = re.sub(r"我给你|我给您|我帮你|我看|你的|您的|你|您|咱们|咱", "", t)
    t = clinical_wording(t)
    t = _HEDGES.sub("", t)
    t = re.sub(r"(听诊|触诊|咽部检查)[，,\s]+", r"\1：", t)
    t = exam_wording(t)
    for name, unit, num in _UNIT_AFTER:  # 测血压，150/90 → 血压150/90mmHg
        t = re.sub(rf"(?:测)?{name}[，,：:\s]*(?:是|有)?({num})(?![\d./]|\s*(?:mmhg|mmHg|℃|度|次))", rf"{name}\1{unit}", t)
    t = re.sub(r"(?:结果)?出来了[，,]?", "：", t).replace("：：", "：")
    t = re.sub(r"吃(\d+)(天|周)", r"共\1\2", t)
    # 烧到38度5以上吃 (发热，体温38.5℃以上吃 after the lexicon) → 体温≥38.5℃时口服: the threshold of an order
    t = re.sub(r"(?:发热|烧)[，,到]?(?:体温)?(\d{2}(?:\.\d)?℃)(?:及)?以上(?:时|的时候)?(?:再|就)?(?:吃|服用|服)", r"体温≥\1时口服", t)
    t = re.sub(r"(后)?回来(复查|复诊|看)", lambda m: (m.group(1) or "") + "复诊", t)
    return t.strip(" ，,")


#: a spoken denial of allergy, after the dialect rewrites (冇 → 没有, 勿 → 不, 俺 → 我): 没有过敏, 都不过敏,
#: 没什么过敏的, 从来没对药过敏过; or an answer that only denies (没有啊) to a question about allergy
_ALLERGY_DENIAL = re.compile(
    r"^(?:我|患者|他|她|孩子|患儿)?(?:家)?(?:对|对于)?(?:药物?|什么药?|啥药?|东西|食物)?(?:都|也|从来|一直|好像)?"
    r"(?:没有|没|无|不|否认|从没|从来没|未)(?:有|发现|听说)?(?:对)?(?:什么|任何|啥)?(?:药物?|东西|食物)?(?:都|也)?(?:有|会|发生)?过?(?:敏|过敏)?(?:过|史)?"
    r"(?:的|啊|呀|哦|呢|吧|嘞)?(?:[，,。！!]|$)")
#: what an answer that denies an allergy must not name: an allergen or a reaction (青霉素, 起疹子)
_ALLERGEN_HINT = re.compile(r"[霉素星林唑类]|疹|痒|肿|海鲜|花粉|鸡蛋|牛奶|虾|蟹|芒果|酒精|碘")


def allergy_denied(answer: str) -> bool:
    """Whether an answer to an allergy question denies any allergy, in any words (冇过敏, 勿过敏个, 没得过敏,
    俺没啥过敏的, 都冇过敏嘅, 不过敏，啥药都能吃) and names no allergen."""
    from yizhu.knowledge.terminology.colloquial import colloquial

    t = colloquial().normalise(dialect_to_standard(answer)).text
    t = re.sub(r"^[\s，,]*(?:嗯|哦|没有啊|冇啊)?[，,\s]*", "", t) if re.match(r"^\s*(?:没有|没)啊?[，,]", t) else t
    if _ALLERGEN_HINT.search(t) or any(m.type == "drug" for m in extract(t)):
        return False
    if "否认药物过敏" in t or "否认过敏" in t:
        return True
    return all(_ALLERGY_DENIAL.match(c.strip()) for c in re.split(r"(?<=[。！!])", t) if c.strip())


def _topic(text: str) -> str | None:
    for name, rx in TOPICS:
        if rx.search(text):
            return name
    return None


def _mentions(src: NoteSource) -> list[Mention]:
    """Findings a turn names, lay words included (拉肚子吗？吐不吐？ → 腹泻, 呕吐), at their offsets as said."""
    from dataclasses import replace

    from yizhu.knowledge.terminology.colloquial import colloquial

    n = colloquial().normalise(src.text)
    out = []
    for m in extract(n.text):
        if m.type == "drug":
            continue
        a, b = n.to_original(m.start, m.end)
        out.append(replace(m, start=a, end=b, text=src.text[a:b]) if n.changed else m)
    return out


def _canonical(m: Mention) -> str:
    from yizhu.knowledge.packs import get_kb

    if m.concept.startswith("sym:"):
        try:
            item = get_kb().get(m.concept)
            return item.name
        except Exception:  # unknown id: keep the words as said
            return m.text
    if m.concept.startswith("symptom:") and len(m.concept) > 9:
        return m.concept.split(":", 1)[1]  # 嘴巴疼 → 口腔疼痛: the lexicon's standard term
    return m.text


def _sentences_of(src: NoteSource, clean: Callable[[str], str], keep: Callable[[str], bool] | None = None,
                  start: int = 0) -> list[SentenceOut]:
    out = []
    for a, b in split_sentences(src.text[start:]):
        a, b = a + start, b + start
        raw = src.text[a:b]
        if keep is not None and not keep(raw):
            continue
        text = clean(raw)
        if len(re.sub(r"[^\w\u4e00-\u9fff]", "", text)) < 2:
            continue
        out.append(sentence(_ensure_stop(text), span(src, a, b)))
    return out


def dialogue_sections(S: SourceSet, sections: tuple[str, ...]) -> dict[str, list[SentenceOut]]:
    """Sentences for each history/exam/plan section from the dialogue's questions, answers and statements."""
    out: dict[str, list[SentenceOut]] = {name: [] for name in sections}

    def put(name: str, items: list[SentenceOut]) -> None:
        if name == "过敏史":  # 勿过敏个 → 不过敏: a bare denial in record wording
            items = [SentenceOut(text="否认药物及食物过敏史。", provenance=x.provenance)
                     if _BARE_ALLERGY_NO.fullmatch(x.text) else x for x in items]
        if name in ("个人史", "既往史"):
            # 昨天跟朋友喝了一斤白酒: what happened in the days before the visit is the present illness (its
            # trigger), never the personal or past history
            now = [x for x in items if _RECENT.search(x.text)]
            if now:
                out["现病史" if "现病史" in out else next(iter(out))].extend(now)
                items = [x for x in items if x not in now]
        target = name if name in out else ("既往史" if name in ("个人史", "家族史") and "既往史" in out else "现病史")
        out[target].extend(items)

    def statements(src: NoteSource) -> None:
        """A doctor's statements (not questions) as the sections they inform."""
        lead: list[SentenceOut | None] = [None]
        listing = False  # the sentence before was a diagnosis list going on after ；
        for s in _sentences_of(src, _clean_doctor):
            a0, b0 = s.provenance[0].start or 0, s.provenance[0].end or 0
            if _QUESTION.search(src.text[a0:b0]) and not _DX.search(src.text[a0:b0]):
                continue
            parts = _doctor_parts(src, a0, b0)
            if listing and "初步诊断" in out and not any(k == "初步诊断" for k, _ in parts) \
                    and stated_diagnoses(src.text[a0:b0]):
                # 诊断左乳癌术后，内分泌治疗中；骨量减少。 — the item after ； is the list's, not a sentence of its own
                parts = [("初步诊断", s)]
            listing = any(k == "初步诊断" for k, _ in parts) and src.text[a0:b0 + 1].rstrip()[-1:] in "；;"
            if not parts and placed.add_or_keep(src, a0, b0, s):
                continue  # 左侧阴性 joins the finding before it; what cannot be placed is listed as left out
            placed.after(parts)
            for name, item in parts:
                if name == "辅助检查" and re.search(r"[：:]。?$", item.text) and not re.search(r"\d", item.text):
                    lead[0] = item  # 糖耐量结果出来了： the values follow in the next sentence
                    continue
                if name == "辅助检查" and lead[0] is not None:
                    item = SentenceOut(text=lead[0].text.rstrip("。") + item.text,
                                       provenance=lead[0].provenance + item.provenance)
                lead[0] = None
                if name == "初步诊断" and "初步诊断" in out:
                    found = _dx_from_statement(src, item)
                    if not found and names_a_plan(item.text):
                        # 左眼先做白内障 / 去妇科看看子宫肌瘤: a plan or a referral naming a disease, never dropped
                        put("处理意见", [item]) if "处理意见" in out else placed.unplaced.append(("处理意见", item))
                        continue
                    out["初步诊断"].extend(found)
                    # 诊断缺铁性贫血（中度），去妇科看子宫肌瘤: the referral said with the diagnosis is a plan too
                    referral = [c for c in re.split(r"[，,；;。]", item.text) if c and names_a_plan(c) and not stated_diagnoses(c)]
                    if found and referral and "处理意见" in out:
                        put("处理意见", [SentenceOut(text=_ensure_stop(c), provenance=item.provenance) for c in referral])
                elif name in out:
                    out[name].append(item)
                    placed.at(name, out[name])
                elif name == "辅助检查":  # a note type without the section: results are part of the history
                    out["现病史" if "现病史" in out else next(iter(out))].append(item)
                else:  # 入院记录 has no 处理意见: what the doctor ordered is listed as left out, not lost
                    placed.unplaced.append((name, item))

    from yizhu.clinical.notes.findings import Placement, history_topics, put_by_topic

    placed = Placement()
    around = _AROUND.set("")
    opening = next((t for t in S.of_kind("turn") if t.speaker != "doctor"), None)
    put_one = put
    for u in dialogue_units(S):
        put = put_one
        # the question, the answer, and the visit's opening complaint (发烧 makes a child's 抽筋 a convulsion)
        _AROUND.set("\n".join(x.text for x in (opening, u.q, u.a) if x is not None))
        if u.kind == "qa":
            assert u.q is not None and u.a is not None
            # 是急性化脓性扁桃体炎。……阿莫西林以前吃过没事吧？ — what the doctor states before asking still counts
            last_q = max((m.start() for m in _SENT_STOP.finditer(u.q.text)), default=-1)
            if last_q > 0:
                statements(NoteSource(u.q.id, u.q.kind, u.q.label, u.q.text[:last_q + 1], u.q.ref, u.q.speaker,
                                      u.q.section, u.q.doc_type))
            # what the answer answers is the question part of the turn: 所以诊断妊娠期糖尿病。最近有没有口干？
            # 没有 denies 口干, not the diagnosis stated before the question
            asked_from = last_q + 1 if last_q > 0 else 0
            topic = _topic(u.q.text[asked_from:]) or ("现病史" if _OPENING_Q.search(u.q.text[asked_from:]) else None) \
                or _topic(u.a.text) or "现病史"
            # 以前对啥子药过敏没得？ asks one thing: a time word (以前, 平时) does not add a 既往史 question
            asked = history_topics(_TIME_ONLY.sub("", u.q.text[asked_from:]), TOPICS)
            if len(asked) > 1:
                # 以前身体怎么样？抽烟吗？有没有药物过敏？ — each part of the answer goes to the topic it speaks
                # of (吸烟 → 个人史, 青霉素过敏 → 过敏史); the rest to the first topic asked, not to 过敏史
                topic = asked[0]
                put = partial(put_by_topic, put, asked, _topic)
            if topic == "过敏史" and len(asked) <= 1 and allergy_denied(u.a.text):
                # 冇过敏 / 勿过敏个 / 俺没啥过敏的 / 啥药都能吃: a denial in any words is written in record form
                put("过敏史", [sentence("否认药物及食物过敏史。", span(u.q, asked_from, len(u.q.text)), span(u.a))])
                continue
            concepts = [m for m in _mentions(u.q) if m.start >= asked_from]
            # 咳的时候有没有…？ — a finding that only sets the moment (…的时候, …以后) is not what is asked
            concepts = [m for m in concepts if not _CONTEXT_AFTER.match(u.q.text, m.end)]
            neg, pos = _NO.match(u.a.text), _YES.match(u.a.text)
            if concepts and (neg or pos):
                canon = list(dict.fromkeys(_canonical(m) for m in concepts))
                # 腿肿不肿 names 下肢水肿 and 水肿: the narrower name says both
                names = "、".join(c for c in canon if not any(c != o and c in o for o in canon))
                m0 = neg or pos
                assert m0 is not None
                prov = [span(u.q, concepts[0].start, concepts[-1].end), span(u.a, m0.start(), m0.end())]
                rest = u.a.text[m0.end():]
                bare = m0.group(0).rstrip()[-1:] in ("，", ",", "。")  # 没有明显的。就是容易饿: the 没有 stands alone
                if neg and not bare and rest[:1] and "\u4e00" <= rest[0] <= "\u9fff" and topic not in ("过敏史", "既往史", "家族史"):
                    # 没吐，也没拉肚子: the answer says itself what it denies; the question's other findings
                    # it does not name are denied by the same answer only when it is a bare 没有
                    said = _sentences_of(u.a, _cleaner(u.a))
                    named = {m.concept for m in _mentions(u.a)}
                    missing = [m for m in concepts if m.concept not in named]
                    if missing and not said:
                        said = [sentence(f"无{'、'.join(dict.fromkeys(_canonical(m) for m in missing))}。", *prov)]
                    put(topic, said)
                elif neg:
                    # 没有溢液。我姨妈得过乳腺癌。: the 没有 denies what its own clause names, not every finding
                    # the doctor asked about; the rest of the answer is said as it was
                    cut = m0.end()
                    stop = re.search(r"[，,。；;！!]", u.a.text[m0.end():])
                    if rest[:1] and "\u4e00" <= rest[0] <= "\u9fff" and stop:
                        cut = m0.end() + stop.end()
                        own = {m.concept for m in _mentions(u.a) if m.start < cut}
                        clause = u.a.text[:cut]
                        denied = [m for m in concepts if m.concept in own or any(
                            m.text[i:i + 2] in clause for i in range(len(m.text) - 1))]
                        if denied:
                            names = "、".join(dict.fromkeys(_canonical(m) for m in denied))
                            # the topic is that of the question that named it (有没有乳头溢液？家里有没有人…？)
                            q_sent = next((u.q.text[x:y] for x, y in split_sentences(u.q.text)
                                           if x <= denied[0].start < y), "")
                            topic = _topic(q_sent) or "现病史"
                    if topic == "过敏史" and _ALLERGEN_HINT.search(u.a.text[m0.end():]):
                        # 没有，就是吃海鲜起疹子: the 没有 denies drug allergy; the food the answer names is kept
                        text = "否认药物过敏史。"
                        food = _clean_patient(u.a.text[m0.end():].strip(" ，,"))
                        if food:
                            put("过敏史", [sentence(_ensure_stop(food), span(u.a, m0.end(), len(u.a.text)))])
                        cut = len(u.a.text)
                    elif topic == "过敏史":
                        text = "否认药物及食物过敏史。"
                    elif topic in ("既往史", "家族史"):
                        text = f"否认{names}{'病史' if topic == '既往史' else '家族史'}。"
                    else:
                        text = f"无{names}。"
                    put(topic, [sentence(text, *prov)])
                    if u.a.text[cut:].strip(" ，,。"):
                        put(_topic(u.a.text[cut:]) or topic,
                            _answer_sentences(u.q, asked_from, concepts, u.a, start=cut))
                else:
                    # 有痰，白的: the 有 belongs to the phrase, which the lexicon words clinically (咳痰)
                    # (是啊，早上… — the yes and its particle stand alone: what follows is said on its own)
                    joined_yes = rest[:1] and "\u4e00" <= rest[0] <= "\u9fff" and not re.match(r"[啊呀的嘛哦呢吧]+[，,。！!]", rest)
                    more = _sentences_of(u.a, _cleaner(u.a), start=0 if joined_yes else m0.end())
                    if more:
                        first = more[0]
                        body = first.text.rstrip("。")
                        joined = body if any(fold_in(m.text, body) or fold_in(_canonical(m), body)
                                             for m in concepts) else f"有{names}，{body}"
                        more[0] = SentenceOut(text=_ensure_stop(joined), provenance=prov + first.provenance)
                        put(topic, more)
                    else:
                        put(topic, [sentence(f"有{names}。", *prov)])
            else:
                in_passing(put, topic, _answer_sentences(u.q, asked_from, concepts, u.a), _visit_for_it(u.a, opening))
        elif u.kind == "patient":
            assert u.a is not None
            in_passing(put, _topic(u.a.text) or "现病史", _sentences_of(u.a, _cleaner(u.a)), _visit_for_it(u.a, opening))
        else:
            assert u.a is not None
            statements(u.a)
    _AROUND.reset(around)
    if "初步诊断" in out:
        out["初步诊断"] = [_with_side(S, s) for s in out["初步诊断"]]
    if placed.unplaced:
        out[UNPLACED] = [item for _, item in placed.unplaced]
    return out


#: a paired organ or a limb named in a diagnosis (附睾炎, 卵巢囊肿, 肾结石, 肺炎) and how a side is said with it in the
#: exam or the imaging (右侧附睾肿大, 右下肺渗出, 左侧卵巢): 《病历书写基本规范》 — a diagnosis of a paired organ names its
#: side. The organ's own words only (右手写字 is no side of 肺炎); the organ list is yizhu's (2026), in our words.
_PAIRED = (("附睾", "附睾"), ("睾丸", "睾丸"), ("卵巢", "卵巢"), ("附件", "附件"), ("输卵管", "输卵管"), ("乳腺|乳房", "乳"),
           ("肾", "肾"), ("输尿管", "输尿管"), ("肺", "肺"), ("眼|角膜|结膜|晶状体|视网膜", "眼"), ("耳", "耳"),
           ("鼻腔|鼻出血|鼻衄", "鼻腔"), ("腮腺", "腮腺"), ("下肢|小腿|丹毒|蜂窝织炎", "下肢"))
#: diseases of both organs or of their function, never of one side (慢性肾脏病, 肾功能不全, 慢阻肺, 肺栓塞, 干眼)
_BOTH_SIDES = re.compile(r"功能|衰竭|肾病|肾脏病|肾炎|慢阻肺|阻塞性|肺气肿|肺心病|肺动脉|间质性|栓塞|哮喘|干眼|结核|多囊")


_NORMAL_SIDE = re.compile(r"清|正常|未见|未触及|无异常|没有?(?:问题|异常|事)|阴性|不[肿痛疼大]|对称|好的")


def _with_side(S: SourceSet, s: SentenceOut) -> SentenceOut:
    """右侧附睾肿大…诊断急性附睾炎 → 右侧急性附睾炎: a diagnosis of a paired organ said without its side takes the one
    side the doctor's exam or imaging (or the patient) says of that organ; two sides said, or none, change nothing."""
    if re.match(r"[左右双两]", s.text) or re.search(r"[（(][左右双两]", s.text) or _BOTH_SIDES.search(s.text):
        return s  # its side said already, before it or as the doctor's qualifier after it (吸入性肺炎（右下肺）)
    for dx_rx, organ in _PAIRED:
        if not re.search(dx_rx, _PAREN_ANY.sub("", s.text)):
            continue
        words = {"下肢": "下肢|小腿|腿", "附睾": "附睾|睾丸|阴囊|蛋蛋", "睾丸": "睾丸|阴囊|蛋蛋", "肺": "肺|肺部"}.get(organ, organ)
        said: list[tuple[str, ProvenanceOut]] = []
        for src in S.of_kind("turn"):
            for m in re.finditer(rf"([左右双])(?:侧|边)?(上|中|下)?(?:{words})|(?:{words})(?:的)?([左右])(?:侧|边)(?!卧)", src.text):
                a = max(src.text.rfind(c, 0, m.start()) for c in "，,。；;！!？?") + 1
                b = min([x for x in (src.text.find(c, m.end()) for c in "，,。；;！!？?") if x >= 0] + [len(src.text)])
                if _NORMAL_SIDE.search(src.text[m.end():b]) or _NORMAL_SIDE.search(src.text[a:m.start()]):
                    continue  # 左肺呼吸音清, 左侧睾丸未见异常: the healthy side is no side of the diagnosis
                lobe = m.group(2) if organ == "肺" and m.group(2) else ""
                said.append(((m.group(1) or m.group(3)) + lobe, span(src, m.start(), m.end())))  # 阴囊右侧 too
        sides = {x[0][0] for x in said}
        if len(sides) != 1:
            return s
        side = said[0][0]
        text = f"{side}肺{s.text}" if organ == "肺" and len(side) > 1 and not s.text.startswith("肺") else (
            f"{side}{s.text}" if s.text.startswith(organ) else f"{side}侧{s.text}")
        return SentenceOut(text=text, provenance=[*s.provenance, said[0][1]])
    return s


#: a chronic condition said in passing (血压有点高, 有糖尿病, 甲减好几年了): with the drug taken for it, past history
_CHRONIC_SAID = re.compile(r"(?:血压|血糖|血脂|尿酸)(?:一直|也|还)?(?:有点|有些|偏|比较|老)?(?:高|偏高)|高血压|糖尿病|冠心病|高血脂|高脂血症|痛风"
                           r"|甲减|甲亢|甲状腺功能|哮喘|慢阻肺|房颤|心衰|脑梗|肾病|肝炎|乙肝|癫痫|抑郁|前列腺增生|骨质疏松")
#: a relative named in a patient's clause (母亲, 父亲, 患者母亲, 其父亲, 我哥): what they had is family history
_RELATIVE_SAID = re.compile(r"(?<!患者)(?:其)?(?:父亲|母亲|爸爸|妈妈|哥哥|姐姐|弟弟|妹妹|爷爷|奶奶|外公|外婆|姥姥|姥爷|儿子|女儿"
                            r"|舅舅|姨妈|姑姑|叔叔|伯伯|兄弟|姐妹)|患者(?:父亲|母亲|爸|妈|哥|姐|弟|妹|儿子|女儿)")


_HIGH_BP = re.compile(r"血压(?:一直|也|还)?(?:有点|有些|偏|比较|老)?(?:高|偏高)(?!压)")


def _history_clauses(text: str) -> list[tuple[int, int]]:
    """The clauses of a patient's turn that tell allergy, past, family or personal history (以前左膝做过手术, 对青霉素过敏),
    with the clauses after one in its sentence that name no topic of their own (…过敏，吃了起疹子): no complaint is
    read there; what the patient said before them (右膝盖疼三天了) still is."""
    out: list[tuple[int, int]] = []
    for a, b in split_sentences(text):
        inside = False
        pos = a
        for m in [*re.finditer(r"[，,；;]", text[a:b]), None]:
            end = a + m.start() if m else b
            topic = _topic(text[pos:end])
            if topic in _NOT_COMPLAINT:
                inside = True
            elif topic is not None:
                inside = False
            if inside:
                out.append((pos, end))
            pos = a + m.end() if m else b
    return out


def _visit_for_it(turn: NoteSource, opening: NoteSource | None) -> bool:
    """Whether the turn is the opening one of a visit for the chronic disease itself (癫痫三年了，一直吃左乙拉西坦，来开药):
    the disease and its drug are then the present illness, not history said in passing."""
    if opening is None or turn.id != opening.id or not (_FOLLOW_UP.search(turn.text) or _ON_TREATMENT.search(turn.text)):
        return False
    return not any(m.type == "symptom" and not m.negated and not _history_in_passing(turn.text, m.start)
                   for m in _mentions(turn))


def _history_in_passing(text: str, at: int) -> bool:
    """Whether the clause at ``at`` tells history in passing (血压有点高，吃着硝苯地平; 我妈有糖尿病): not the complaint."""
    a = max(text.rfind(c, 0, at) for c in "，,。；;！!") + 1
    ends = [x for x in (text.find(c, at) for c in "，,。；;！!") if x >= 0]
    b = min(ends) if ends else len(text)
    clause = text[a:b]
    nxt_end = [x for x in (text.find(c, b + 1) for c in "，,。；;！!") if x >= 0]
    nxt = text[b + 1:min(nxt_end)] if nxt_end else text[b + 1:]
    if _RELATIVE_SAID.search(colloquial_kin(re.sub(r"我(?=[爸妈爹娘哥姐弟妹])", "\x00", clause))):
        return True
    return bool(_CHRONIC_SAID.search(clause) and (drug_named(clause) or drug_named(nxt)))


#: a clause that only gives a dose or frequency (每次2粒, bid, 1粒是250的, qd 1片半), after the lexicon
_DOSE_CLAUSE = re.compile(r"^\s*(?:每次|每回|1次|一次|每日|每天|1天|一天|早晚|早上|晚上|睡前|饭前|饭后|qd|bid|tid|qid|q\d+h|\d|半|各)")


#: a past event said in passing (以前…做过手术, 骨折过, 住过院, 得过肺结核)
_PAST_EVENT = re.compile(r"(?:做过|动过|开过)(?:[\u4e00-\u9fff]{0,6})?(?:手术|刀)|手术过|住过院|骨折过|断过|得过|患过|切过|切除过")


def _mentions_symptom_now(clause: str) -> bool:
    """A clause that tells a symptom of the present illness (现在又疼), not the history before it."""
    return bool(re.search(r"现在|这次|最近|这几天|近\d", clause))


def drug_named(text: str) -> bool:
    return any(m.type == "drug" and not m.negated for m in extract(text))


def in_passing(put: Callable[[str, list[SentenceOut]], None], topic: str, items: list[SentenceOut],
               visit_for_it: bool = False) -> None:
    """Put a patient's sentences under ``topic``, except the history said in passing, clause by clause: a chronic
    disease with its drug (血压有点高，吃着氨氯地平 → 既往史: 高血压，口服氨氯地平), a denial of drug allergy (药不过敏 →
    过敏史: 否认药物过敏史) and a relative's disease (母亲肝癌去世 → 家族史)."""
    keep: list[SentenceOut] = []
    for x in items:
        parts = [c for c in re.split(r"(?<=[，,；;。])", x.text) if c.strip(" ，,；;。")]
        if topic in ("既往史", "家族史", "个人史") or len(parts) == 0:
            if topic == "既往史" and drug_named(x.text):  # 血压有点高，口服氨氯地平 → 高血压，口服氨氯地平
                x = SentenceOut(text=_HIGH_BP.sub("高血压", x.text), provenance=x.provenance)
            keep.append(x)
            continue
        stay: list[str] = []
        i = 0
        while i < len(parts):
            c = parts[i].strip(" ，,；;。")
            nxt = parts[i + 1].strip(" ，,；;。") if i + 1 < len(parts) else ""
            drugs = [m for m in extract(c + "，" + nxt) if m.type == "drug" and not m.negated]
            if "过敏" in c and (allergy_denied(c) or _BARE_ALLERGY_NO.fullmatch(c + "。")):
                put("过敏史", [SentenceOut(text="否认药物过敏史。" if "药" in c else "否认药物及食物过敏史。",
                                         provenance=x.provenance)])
                i += 1
                continue
            own = "过敏史" if "过敏" in c else ("既往史" if _PAST_EVENT.search(c) else None)
            if own is not None and own != topic and topic == "现病史":
                # 对青霉素过敏，吃了起疹子 / 左膝以前韧带断过，做过手术: the history and what it goes on to say of it
                run = [c]
                i += 1
                while i < len(parts) and _topic(parts[i]) is None and not _mentions_symptom_now(parts[i]):
                    run.append(parts[i].strip(" ，,；;。"))
                    i += 1
                put(own, [SentenceOut(text=_ensure_stop("，".join(run)), provenance=x.provenance)])
                continue
            if _RELATIVE_SAID.search(c) and any(m.type in ("diagnosis", "symptom") for m in extract(c)) \
                    and topic != "家族史":
                put("家族史", [SentenceOut(text=_ensure_stop(c), provenance=x.provenance)])
                i += 1
                continue
            chronic = _CHRONIC_SAID.search(c)
            if chronic and drugs and topic in ("现病史", "过敏史") and not _RELATIVE_SAID.search(c) and not visit_for_it:
                said = _HIGH_BP.sub("高血压", c)
                with_drug = [m for m in extract(c) if m.type == "drug"]
                text = said if with_drug or not nxt else f"{said}，{nxt}"
                i += 1 if with_drug or not nxt else 2
                while i < len(parts) and _DOSE_CLAUSE.match(parts[i]):  # 一次两粒，一天两回: the dose goes with its drug
                    text += "，" + parts[i].strip(" ，,；;。")
                    i += 1
                put("既往史", [SentenceOut(text=_ensure_stop(text), provenance=x.provenance)])
                continue
            stay.append(parts[i])
            i += 1
        if len(stay) == len(parts):
            keep.append(x)
        elif stay:
            keep.append(SentenceOut(text=_ensure_stop("".join(stay).strip(" ，,；;")), provenance=x.provenance))
    if keep:
        put(topic, keep)


#: the key of dialogue_sections' result under which it lists what it could not place in any section
UNPLACED = "未归入"


#: a time in the days before the visit (昨天, 前天, 今早, 3天前, 1天前 as the lexicon writes 昨天)
_RECENT = re.compile(r"昨天|昨晚|昨日|前天|今天|今早|今晨|今日|刚才|这两天|这几天|(?<![\d.])[1-7]天前|前日|寻日|今朝")


#: an answer that only denies allergy, after the rewrites (不过敏。, 没有过敏。, 无过敏史。)
_BARE_ALLERGY_NO = re.compile(r"(?:患者|家属)?(?:都|也|从来)?(?:不|没有|没|无)(?:什么)?(?:药物?)?过敏(?:史)?(?:过)?[。.]?")


#: the visit's opening question (这次为什么住院？哪里不舒服？): its answer is the present illness, whatever it names
_OPENING_Q = re.compile(r"为什么(?:住院|来|过来)|怎么了|哪里不舒服|哪儿不舒服|哪里不好|什么情况|这次|今天来|咋了|咋的了|怎么不舒服|"
                        r"点样|边度|哪能|啥子情况|看什么")
_TIME_ONLY = re.compile(r"以前|过去|之前|平时|从小|既往(?!史|病)")
_CONTEXT_AFTER = re.compile(r"(?:的)?(?:时候|时|以后|之后)")
_SENT_STOP = re.compile(r"[。！!；;](?=[^。！!；;]*[?？吗呢吧])")


_CLAUSE_SPLIT = re.compile(r"[，,]")


def _kind_of(raw: str) -> str | None:
    from yizhu.clinical.notes import findings
    from yizhu.clinical.notes.orders import is_advice, order_terms

    if (head := _EXAM_HEADING.match(raw)) and re.search(r"查体|体格检查|专科", head.group(0)):
        return "体格检查"  # 查体：…，病理征阴性 — the heading says it: a finding of the examination (病理征 is no pathology)
    if head:
        # 这次的检查：乳腺彩超未见… — a test read out under a general heading is a result, not an examination
        return "辅助检查" if findings.finding_section(raw[head.end():]) == findings.AUX else "体格检查"
    if findings.is_order_clause(raw) and not _DX.search(raw):
        return "处理意见"  # 超过38.5℃吃1片, 改胰岛素泵控制血糖: an order, though it names a value or a sign
    if findings.results_back(raw) and not (_DX.search(raw) or plan_terms_in(raw)):
        return "辅助检查"  # 化验回来了：… — a result read out, not a return visit
    placed = findings.finding_section(raw, listed_only=True)  # Dix-Hallpike试验阳性, GAD-7评分15分, 尼龙丝感觉消失
    if placed and not (_DX.search(raw) or _PLAN.search(raw) or _PLAN_MORE.search(raw) or plan_terms_in(raw)):
        return placed
    if _DX.search(raw) and _procedure_only(raw):
        return "处理意见"  # 化脓了再考虑切开: a procedure being considered is a plan, not a diagnosis
    if _AUX_FIRST.match(raw) and not (_DX.search(raw) or _PLAN.search(raw) or _PLAN_MORE.search(raw)
                                      or plan_terms_in(raw)):
        return "辅助检查"  # 彩超胆囊增大: a test read out, though its finding is also a diagnosis name
    if _DX.search(raw) or (_DX_FIRST.match(raw) and not _QUESTION.search(raw) and _leading_dx(raw)) or (
            _DX_CUE_FIRST.match(raw) and not _QUESTION.search(raw) and stated_diagnoses(raw)):
        # 这是右手甲沟炎: a name the packs do not know, said as the diagnosis, is one
        return "初步诊断"
    if (_PLAN.search(raw) or _PLAN_MORE.search(raw) or plan_terms_in(raw) or drug_products_in(raw) or routes_in(raw)
            or order_terms(raw) or is_advice(raw) or any(m.type == "drug" for m in extract(raw))):
        return "处理意见"
    if _AUX.search(raw) or _RESULT.search(raw):
        return "辅助检查"
    if _EXAM.search(raw):
        return "体格检查"
    if _VALUES.search(raw):
        return "辅助检查"
    return findings.finding_section(raw)  # 鼓膜完整, 射血分数35%, GAD-7评分15分: by the shared knowledge


#: values read out one after another (空腹4.9，1小时10.6，2小时8.1): a result
_VALUES = re.compile(r"[\u4e00-\u9fffA-Za-z]{1,8}\s*\d+(?:\.\d+)?(?:[^\d，,、；;。]{0,6})[，,、；;]\s*"
                     r"(?:\d+\s*)?[\u4e00-\u9fffA-Za-z]{1,8}\s*\d+(?:\.\d+)?")


#: findings under an examination heading (妇科检查：…, 查体：…)
_EXAM_HEADING = re.compile(r"\s*(?:(?:[\u4e00-\u9fff]{0,4}检查|查体|专科情况)[:：]|[\u4e00-\u9fff]{1,6}(?:貌|病容)(?:[，,。]|$))")


def _procedure_only(raw: str) -> bool:
    from yizhu.clinical.notes.dxphrase import stated_diagnoses

    procedures = plan_terms().kinds.get("procedure", ())
    return any(p in raw for p in procedures) and not stated_diagnoses(raw)


_PLAN_MORE = re.compile(r"监测|每周|每天测|记下来|记录|量血压|测血糖|饮食|清淡|少吃|多喝|休息|避免|拆线|换药|随诊|就诊|再来")
_DX_CUE_FIRST = re.compile(r"\s*(?:诊断(?:是|为)?|这个?是|就是|(?:现在|目前)看?是)")
_DX_FIRST = re.compile(r"\s*(?:诊断(?:是|为)?|这是|就是|是)?\s*[\u4e00-\u9fffA-Za-z0-9]")


def _leading_dx(raw: str) -> bool:
    """A statement that opens with a diagnosis (2型糖尿病，控制得不太达标)."""
    found = [m for m in extract(raw) if m.type == "diagnosis" and not m.negated]
    return bool(found) and found[0].start <= 4 and not re.search(r"以前|既往|病史|有没有|得过", raw[:found[0].start])


_RESULT = re.compile(r"白细胞|血红蛋白|血小板|C反应蛋白|CRP|降钙素原|血糖|肌酐|转氨酶|尿酸|血脂|化验结果|报告|结果出来")


_RULED_OUT = re.compile(r"(?:不是|不像|不考虑|排除|除外)")
_INSTEAD = re.compile(r"\s*(?:而|应该|就|还|(?:现在|目前)看?)?是|\s*(?:考虑|诊断|倾向)")


def _doctor_parts(src: NoteSource, a: int, b: int) -> list[tuple[str, SentenceOut]]:
    """A doctor's sentence as the sections it informs: 考虑肺炎，给你开阿奇霉素，三天后复查 gives a
    diagnosis and a plan, not just the diagnosis. Adjacent clauses of one kind stay one sentence."""
    raw = src.text[a:b]
    whole = _kind_of(raw)
    clauses: list[tuple[int, int, str | None]] = []
    pos = 0
    for m in [*_CLAUSE_SPLIT.finditer(raw), None]:
        end = m.start() if m else len(raw)
        if raw[pos:end].strip():
            clauses.append((pos, end, _kind_of(raw[pos:end])))
        pos = m.end() if m else len(raw)
    # 双肺底湿啰音，心率110，心律不齐: a finding that is also a diagnosis name, inside a sentence that does
    # not open with one and says no 考虑/诊断, is part of the exam, not a diagnosis
    clauses = [(x, y, None if k == "初步诊断" and i > 0 and clauses[0][2] != "初步诊断" and not _DX.search(raw[x:y])
                else k) for i, (x, y, k) in enumerate(clauses)]
    # 眼压正常，不是青光眼，是右眼急性细菌性结膜炎: the clause after a ruled-out one that names what it is instead
    # is the diagnosis (stated_diagnoses drops the ruled-out item and keeps this one, side and hedge too)
    clauses = [(x, y, "初步诊断" if i > 0 and _RULED_OUT.search(raw[clauses[i - 1][0]:clauses[i - 1][1]])
                and _INSTEAD.match(raw[x:y]) and stated_diagnoses(raw[x:y]) else k)
               for i, (x, y, k) in enumerate(clauses)]
    # 诊断2型糖尿病足，右足第1趾溃疡伴感染，Wagner 3级: in a sentence that opens with a diagnosis, a clause that
    # reads like a finding (a grade, an ulcer) is part of the diagnosis, unless it opens with a test read out with
    # its value; a test's name with no value that names a disease (诊断2型糖尿病，血脂异常) is a diagnosis of the list
    if clauses and clauses[0][2] == "初步诊断":
        clauses = [(x, y, None if k in ("体格检查", "辅助检查") and (
                        not _AUX_FIRST.match(raw[x:y]) or (not re.search(r"\d", raw[x:y]) and stated_diagnoses(raw[x:y])))
                    else k)
                   for x, y, k in clauses]
    # 查体：神清，颈软，病理征阴性: under an examination heading every finding is the examination's (a test named
    # with its result, 心电图示…, stays a result)
    if _EXAM_HEADING.match(raw) and whole == "体格检查":
        clauses = [(x, y, "体格检查" if k == "辅助检查" and not _AUX_FIRST.match(raw[x:y]) else k) for x, y, k in clauses]
    # 体温超过38.5度，吃布洛芬… / 出现抽搐、呕吐，马上回来: a condition said before an order is part of the order —
    # a threshold or warning sign, never a finding of the examination
    clauses = [(x, y, "处理意见" if k != "处理意见" and k != "初步诊断" and _CONDITION.search(raw[x:y])
                and any(k2 == "处理意见" for _, _, k2 in clauses[i + 1:]) else k) for i, (x, y, k) in enumerate(clauses)]
    # 布洛芬混悬液，烧到38度5以上吃，一次五毫升: the threshold to take it at and the dose said after an order are the
    # order's, never a finding of the examination
    for i in range(1, len(clauses)):
        x, y, k = clauses[i]
        if k != "处理意见" and clauses[i - 1][2] == "处理意见" and _ORDER_TAIL.match(raw[x:y]):
            clauses[i] = (x, y, "处理意见")
    # 先做术前检查，血常规、凝血功能、眼部B超: tests named after an order, with no value or finding, are what it orders
    clauses = [(x, y, "处理意见" if k == "辅助检查" and i > 0 and clauses[i - 1][2] == "处理意见"
                and not _READ_OUT.search(raw[x:y]) else k) for i, (x, y, k) in enumerate(clauses)]
    # 打一针破伤风抗毒素，皮试阴性了: the sentence as a whole reads as no kind, its first clause as a plan
    whole = whole or next((k for _, _, k in clauses if k), None)
    if whole is None:
        return []
    kinds = {k for _, _, k in clauses if k}
    if whole == "处理意见" and kinds == {"体格检查"} and not any(_CONDITION.search(raw[x:y]) for x, y, _ in clauses):
        whole = "体格检查"  # …左膝手术切口愈合良好: every clause is a finding; 手术 names the wound, orders nothing
    if len(kinds) <= 1:
        text = _clean_doctor(raw)
        text = record_route(text) if whole == "处理意见" else text
        return [(whole, sentence(_ensure_stop(text), span(src, a, b)))] if len(re.sub(r"\W", "", text)) >= 2 else []
    # runs of clauses of one kind; a clause of no kind joins the run before it
    runs: list[list[int | str]] = []
    for x, y, k in clauses:
        if runs and (k is None or k == runs[-1][2]):
            runs[-1][1] = y
        else:
            runs.append([x, y, k or whole])
    out = []
    for x, y, k in runs:
        text = _clean_doctor(raw[int(x):int(y)])
        text = record_route(text) if k == "处理意见" else text
        if len(re.sub(r"\W", "", text)) >= 2:
            out.append((str(k), sentence(_ensure_stop(text), span(src, a + int(x), a + int(y)))))
    return out


#: a condition of an order: if/when, the warning signs to come back for, a threshold to act on
_CONDITION = re.compile(r"^\s*(?:如果|如有|若|假如|万一|一旦|要是|假若|或者|或)|的话$|时$|^\s*(?:再|又|还)?出现(?=[\u4e00-\u9fff])"
                        r"|^\s*(?:体温|血压|血糖|心率|体重|尿量)?(?:超过|高于|低于|大于|小于|不到|≥|>|<|≤)\s*\d")
#: what follows a drug in the same order: the threshold to take it at (烧到38度5以上吃, 疼的时候吃), or its dose,
#: frequency and course said as spoken (一次五毫升, 一天两回, 早晚各两粒, 吃三天)
_ORDER_TAIL = re.compile(
    r"^\s*(?:(?:烧|发烧|发热|体温)(?:到|超过|高于|在)?\s*[\d一二三四五六七八九十.度]+(?:度\d?|℃)?(?:及?以上)?(?:时|的时候)?(?:再|就)?"
    r"(?:吃|服|用|喝)|(?:疼|痛|咳|喘)(?:得厉害)?(?:的时候|时)(?:再|就)?(?:吃|服|用|喷)"
    r"|(?:每次|每回|一次|1次|一回|每天|每日|一天|1天|早晚|早上|晚上|睡前|饭前|饭后|空腹|必要时|吃|连吃|共)[^，,。；;]{0,12}$)")
#: words of a result read out (a value, a finding), which a bare list of ordered tests has not
_READ_OUT = re.compile(r"\d|阳性|阴性|正常|异常|示|提示|显示|见|升高|降低|增高|偏高|偏低|[↑↓]|[（(][+-]")


def fold_in(needle: str, hay: str) -> bool:
    return needle in hay


def _dx_from_statement(src: NoteSource, s: SentenceOut) -> list[SentenceOut]:
    """Each diagnosis item a doctor states, whole: side, site and hedge kept (``dxphrase.stated_diagnoses``)."""
    p = s.provenance[0]
    a, b = p.start or 0, p.end or len(src.text)
    out: list[SentenceOut] = []
    for x in stated_diagnoses(src.text[a:b]):
        s_ = diagnosis_sentence(x.text, None, src, a + x.start, a + x.end)
        if x.apposition and out and _code_of(out[-1]) is not None and _code_of(out[-1]) == _code_of(s_):
            continue  # 左眼睑腺炎，就是麦粒肿: one diagnosis named twice
        out.append(s_)
    return out


def _code_of(s: SentenceOut) -> str | None:
    m = re.search(r"（([A-Z]\d{2}[^）]*)）$", s.text)
    return m.group(1) if m else None


#: where a pain is (右边肋骨下面这块…开始疼 → 右上腹痛): the last site named before a bare 疼/痛 in the same turn,
#: read in clinical words (the colloquial lexicon has already turned 右边肋骨下面 into 右上腹)
_PAIN_SITE = re.compile(r"(?:[左右]?足?第[一二三四五1-5]跖趾关节|[左右]?(?:踝|足|手|腕|肘|趾|指)(?:关节)?|剑突下|[左右]?(?:上|下|中)?腹|脐周|[左右]?胸(?:骨后)?|心前区|枕部|头|口腔|[左右]?腹股沟|[左右]?腰|背|咽|喉|[左右]?膝(?:关节)?"
                        r"|[左右]?肩(?:关节)?|[左右]?髋|[左右]?眼|[左右]?耳|牙|颈|会阴|肛门|[左右]?(?:上|下)肢)")
_GENERIC_PAIN = ("symptom:疼痛", "icd10:R52.9")
#: the questions whose answers are history, not the complaint (过敏史 …): their findings are not the 主诉
_NOT_COMPLAINT = ("过敏史", "既往史", "家族史", "个人史")


#: a mass as the 主诉 names it (左乳肿物, 右颈部肿物): site + 肿物, the side said with it kept
_MASS_NAMES = {"sym:breast_lump": "乳肿物", "sym:neck_mass": "颈部肿物"}


#: the limbs of one side said in words (左边手脚, 左手左脚, 右侧胳膊腿, 左半边身子): weakness there is 肢体无力 of that
#: side (偏瘫's presenting complaint), never 四肢无力 nor a bare 乏力
_SIDE_LIMBS = re.compile(r"([左右])(?:侧|边|半边)?(?:手脚|手和脚|手[左右]脚|胳膊腿|胳膊和腿|上下肢|四肢|肢体|身子|半身)")
_WEAK = re.compile(r"乏力|无力|没力气|没劲|没有劲|使不上劲|不听使唤|肢体无力")


#: both legs said in words (两条腿, 两只脚, 双腿, 两个下肢): weakness there is 双下肢无力
_BOTH_LEGS = re.compile(r"(?:两条|两只|两个|两|双)(?:腿|脚|下肢|腿脚)")


def _one_side_limbs(src: NoteSource, m: Mention, name: str) -> tuple[str, list[ProvenanceOut]] | None:
    """左边手脚没力气 → 左侧肢体无力: a weakness with one side's limbs said before it in its clause; 两条腿没劲 →
    双下肢无力."""
    if not (_WEAK.search(name) or _WEAK.search(m.text) or "冇力" in m.text):
        return None
    clause_from = max(src.text.rfind(c, 0, m.start) for c in "，,。；;") + 1
    legs = list(_BOTH_LEGS.finditer(src.text[clause_from:m.end]))
    if legs:
        return "双下肢无力", [span(src, clause_from + legs[-1].start(), m.end)]
    limbs = list(_SIDE_LIMBS.finditer(src.text[clause_from:m.end]))
    if not limbs:
        return None
    a = clause_from + limbs[-1].start()
    return f"{limbs[-1].group(1)}侧肢体无力", [span(src, a, m.end)]


def _symptom_name(src: NoteSource, m: Mention) -> tuple[str, list[ProvenanceOut]]:
    """A symptom as the 主诉 names it, with the spans it is read from: a bare pain takes the site said
    before it (右上腹痛); a side said right before a finding is kept (左腿也没劲 → 左侧肢体无力)."""
    from yizhu.knowledge.terminology.colloquial import colloquial

    if m.concept in _MASS_NAMES:
        # 左边乳房摸到一个小疙瘩 → 左乳肿物: the side said in the clause before the mass goes with it
        clause_from = max(src.text.rfind(c, 0, m.start) for c in "，,。；;") + 1
        near = list(re.finditer(r"([左右双])(?:侧|边)?", src.text[clause_from:m.end]))
        side = near[0].group(1) if near else ""
        a = clause_from + near[0].start() if near else m.start
        return f"{side}{_MASS_NAMES[m.concept]}", [span(src, a, m.end)]

    if m.concept not in _GENERIC_PAIN:
        side = re.search(r"([左右双])(?:侧|边)?$", src.text[max(0, m.start - 2):m.start])
        name = _canonical(m)
        limbs = _one_side_limbs(src, m, name)
        if limbs is not None:
            return limbs
        if name.startswith("关节"):
            # 右脚大脚趾头肿得老大 → 右第一跖趾关节肿胀: the joint said before a bare 关节 finding names it
            clause_from = max(src.text.rfind(c, 0, m.start) for c in "，,。；;") + 1
            n = colloquial().normalise(src.text[clause_from:m.end])
            joint = [j for j in re.finditer(r"([左右双])?(?:侧|边|脚|足|手|腿)?((?:(?![左右双我你他她患俺])[\u4e00-\u9fff]){0,6}关节)", n.text)
                     if j.group(2) != "关节"]
            if joint:
                j = joint[-1]
                what = "肿痛" if clinical_wording(m.text).endswith("肿痛") else name[2:]  # 大脚趾头肿痛 stays 肿痛
                return f"{j.group(1) or ''}{j.group(2)}{what}", [span(src, clause_from, m.end)]
        said = re.sub(r"(眼睛?|鼻子|脸上?)[也还都又]", r"\1", clinical_wording(m.text))  # 眼睛也胀痛 → 眼睛胀痛
        said = re.sub(r"(?<=[\u4e00-\u9fff])(?:这里|这儿|这块|那里)(?=[\u4e00-\u9fff])", "", said)  # 腰这里酸痛 → 腰酸痛
        if said != m.text and said != name and len(name) >= 2 and not re.search(r"一阵|阵阵|一直|老是|这里|这儿|这块|那里|地(?=疼|痛)", said) and said.endswith(name[-2:]) and said.isalnum():
            name = said  # 眼皮肿 → 眼睑水肿, not the pack's wider 颜面水肿: the site the patient named is kept
        elif said != name and "关节" in said and said.endswith(("肿痛", "疼痛", "痛")) and said.isalnum() and len(said) <= 12:
            name = said  # 大脚趾头肿痛 → 第一跖趾关节肿痛, not the pack's bare 关节肿胀: the joint named is kept
        inner = re.search(r"(?<=[\u4e00-\u9fff])([左右])(?:侧|边)(?!卧)", m.text)
        if side is None and inner is not None and not name.startswith(("左", "右", "双")):
            # 脖子左边疼 → 左颈痛: a side said inside the lay words, after the organ, goes with it
            return f"{inner.group(1)}{name}", [span(src, m.start, m.end)]
        if side is None:
            # 左边眼睛上眼皮肿了 → 左眼睑水肿: a side said earlier in the same clause goes with the finding
            clause_from = max(src.text.rfind(c, 0, m.start) for c in "，,。；;") + 1
            near = list(re.finditer(r"([左右双])(?:侧|边)?", src.text[clause_from:m.start]))
            if near and not name.startswith(("左", "右", "双")):
                a = clause_from + near[-1].start()
                # 右边耳朵就听不清了 → 右耳听力下降: the organ said between the side and the finding goes with it
                between = colloquial().normalise(src.text[clause_from + near[-1].end():m.start]).text
                organ = _PAIN_SITE.search(between)
                site = organ.group(0).lstrip("左右") if organ else ""
                if site and site not in name:
                    return f"{near[-1].group(1)}{site}{name}", [span(src, a, m.end)]
                return f"{near[-1].group(1)}{name}", [span(src, a, m.end)]
        if side and _PAIN_SITE.match(said) and not said.startswith(("左", "右", "双")):
            # 右脚踝肿 → 右踝关节肿: the site the patient named is kept with its side
            return f"{side.group(1)}{said}", [span(src, m.start - len(side.group(0)), m.end)]
        if side and not name.startswith(("左", "右", "双")):
            a = m.start - (len(side.group(0)))
            return f"{side.group(1)}侧{name}", [span(src, a, m.end)]
        return name, [span(src, m.start, m.end)]
    n = colloquial().normalise(src.text[:m.start])
    sites = list(_PAIN_SITE.finditer(n.text))
    if not sites:
        return _canonical(m), [span(src, m.start, m.end)]
    site = sites[-1].group(0)
    a, b = n.to_original(sites[-1].start(), sites[-1].end())
    after = re.match(r"部?(?:的)?([左右])(?:侧|边|面)(?!卧)", n.text[sites[-1].end():] + src.text[m.start:m.end])
    if not site.startswith(("左", "右", "双")) and after is not None:
        # 脖子左边疼 → 左颈部痛: a side said right after the site goes with it
        site = after.group(1) + site
    elif not site.startswith(("左", "右", "双")):
        # 右边这个背上到胸口…疼 → 右胸痛: a side said earlier in the same clause goes with the site
        clause_from = max(n.text.rfind(c, 0, sites[-1].start()) for c in "，,。；;") + 1
        side = list(re.finditer(r"([左右双])(?:侧|边)?", n.text[clause_from:sites[-1].start()]))
        if not side:
            # 右腿一拧，膝盖就肿了，疼 → 右膝: the one side said earlier in the sentence, when no other is said there
            said_from = max(n.text.rfind(c, 0, sites[-1].start()) for c in "。；;！!？?") + 1
            sides = list(re.finditer(r"([左右双])(?:侧|边|腿|脚|手|胳膊)?", n.text[said_from:sites[-1].start()]))
            if sides and len({x.group(1) for x in sides}) == 1:
                side, clause_from = sides[-1:], said_from
        if side:
            site = side[-1].group(1) + site
            a = n.to_original(clause_from + side[-1].start(), clause_from + side[-1].end())[0]
    return f"{site}痛", [span(src, a, b), span(src, m.start, m.end)]


def _duration_words(text: str, days: float) -> str:
    """A duration in the 主诉 form: 3天, 2个多月; relative days (昨天, 前天, 这两天) and hours as counted."""
    t = re.sub(r"(?<=\d)来(?=[年月天周个])", "余", _digits(text))  # 十来年 → 10余年
    t = re.sub(r"(?<=[\d余几])日$", "天", t)  # 三日 (粤语/书面) → 3天
    if re.fullmatch(r"半(?:个月|年)", t):
        return t  # 半个月 as said, not 15天
    t = re.sub(r"(?<=\d)个(?=小时|钟头)", "", t).replace("钟头", "小时")  # 两个小时 → 2小时
    if any(u in t for u in UNITS) and not re.search(r"昨|前天|前日|寻日|琴日|噚日|今|这|近|半|^上|去年|前年", t):
        return _record_more(re.sub(r"^(?:这|近)", "", t))
    if days >= 1:
        n = round(days)
        if re.search(r"周|星期|礼拜", text) and n % 7 == 0 and n < 60:
            return f"{n // 7}周"  # 上星期 → 1周
        return f"{n}天" if n < 30 else (f"{round(n / 30)}个月" if n < 365 else f"{round(n / 365)}年")
    hours = days * 24
    return f"{round(hours)}小时" if hours >= 1 else f"{max(1, round(hours * 60))}分钟"


def _record_more(t: str) -> str:
    """"More than" a count of time in record style (病历书写基本规范 主诉): 1个多月 → 1月余, 3多年 → 3余年,
    2个多礼拜 → 2周余, 5多天 → 5余天; a whole count stays (2个月)."""
    t = re.sub(r"(\d+)个?[多来]月", r"\1月余", t)
    t = re.sub(r"(?<=\d)个(?=小时|钟头)", "", t)  # 2个小时 → 2小时
    t = re.sub(r"(\d+)个?多(?:周|星期|礼拜)", r"\1周余", t)
    t = re.sub(r"(\d+)多(年|天)", r"\1余\2", t)
    return t


#: a finding of the examination at a site (左踝外侧肿胀, 外踝前下方压痛): where a complaint said without a
#: site is (走路疼 → 左踝痛)
_EXAM_AT_SITE = re.compile(r"(?:压痛|触痛|叩痛|叩击痛|肿胀|红肿|肿痛)")


def _site_from_exam(S: SourceSet) -> tuple[str, ProvenanceOut] | None:
    """The first site the doctor examines with a finding (压痛, 肿胀) in the same clause: the site of a
    complaint the patient did not place."""
    from yizhu.knowledge.terminology.colloquial import colloquial

    for src in S.of_kind("turn"):
        if src.speaker != "doctor":
            continue
        n = colloquial().normalise(src.text)
        for clause in re.finditer(r"[^，,。；;！!？?]+", n.text):
            if not _EXAM_AT_SITE.search(clause.group(0)) or _NEG_CUE.search(clause.group(0)):
                continue
            site = _PAIN_SITE.search(clause.group(0))
            if site is not None:
                a, b = n.to_original(clause.start() + site.start(), clause.start() + site.end())
                return site.group(0), span(src, a, b)
    return None


def _asked_complaint(u: Unit, answer_mentions: list[Mention], fx: Any) -> list[Mention]:
    """The symptoms a question names when its answer gives only their time or says yes (头痛多久了？两年了 →
    头痛 is the complaint, two years its duration); nothing when the answer names a finding of its own."""
    if u.kind != "qa" or u.q is None or u.a is None:
        return []
    last_q = max((m.start() for m in _SENT_STOP.finditer(u.q.text)), default=-1)
    asked_from = last_q + 1 if last_q > 0 else 0
    first = _CLAUSE_SPLIT.split(u.a.text, maxsplit=1)[0]
    if not (needs_subject(first) or _YES.match(u.a.text)) or _NO.match(u.a.text):
        return []
    if any(m.type == "symptom" and m.start < len(first) for m in answer_mentions):
        return []
    return [m for m in fx.facts(u.q.text, source=u.q.id)[1]
            if m.type == "symptom" and not m.negated and m.start >= asked_from
            and not _CONTEXT_AFTER.match(u.q.text, m.end)]


#: a stroke of the past said in the visit (脑梗后遗症, 以前中风过, 前年脑出血): a one-sided weakness is then its sequela
_OLD_STROKE = re.compile(r"后遗症|(?:以前|之前|早年|几年前|[0-9一二两三四五六七八九十]+年前|去年|前年)[^。；;！!？?]{0,10}(?:中风|脑梗|脑卒中|脑出血|偏瘫)"
                         r"|(?:中风|脑梗|脑卒中|脑出血)(?:死)?(?:以后|之后|后)[^。；;！!？?]{0,12}(?:一直|就|留下)")
#: the weakness said new or worse (突然, 加重, 更没劲, 今天): then it is the complaint
_NEW_WEAK = re.compile(r"突然|加重|更(?:没|无|使不上)|比以前|又|今天|今早|昨天|这两天|这几天|刚才")


#: what the patient took a symptom for, not what they feel (以为是牙痛, 当成了胃病, 还以为是)
_BELIEVED = re.compile(r"(?:以为|当成|当作|还当)(?:是|了)?(?:[\u4e00-\u9fff]{0,2})$")


def chief_complaint(S: SourceSet) -> list[SentenceOut]:
    """主诉: the main symptom(s) the patient reports, in the standard form 右上腹痛伴呕吐、发热1天 (at most 20
    characters); relative days (昨天, 3天前) are counted as a duration. Findings of the allergy or past
    history (吃了起疹子) are not the complaint."""
    from yizhu.knowledge.terminology.colloquial import colloquial
    from yizhu.safety.grounding import FactExtractor

    fx = FactExtractor()
    symptoms: list[tuple[NoteSource, Mention, str, list[ProvenanceOut]]] = []
    durations: list[tuple[NoteSource, object]] = []
    for u in dialogue_units(S):
        src = u.a
        if src is None or src.speaker == "doctor":
            continue
        if u.q is not None and _topic(u.q.text) in _NOT_COMPLAINT:
            continue
        std = dialect_to_standard(src.text)
        if std != src.text and len(std) == len(src.text):  # 俺右腿 → 我右腿: dialect words never reach the 主诉
            src = NoteSource(src.id, src.kind, src.label, std, src.ref, src.speaker, src.section, src.doc_type)
        # 胸口疼两个小时了。以前有高血压十年了 / 右边膝盖疼半个月了。我血压有点高…没啥过敏的: a sentence or clause of
        # past, allergy or family history is not the complaint; the rest of the turn still is (a turn that is all
        # history gives nothing)
        history_at = _history_clauses(src.text)
        history = history_at or [(a, b) for a, b in split_sentences(src.text)
                                 if _topic(src.text[a:b]) in _NOT_COMPLAINT]
        if (not history and _topic(src.text) in _NOT_COMPLAINT) or (
                history_at and sum(b - a for a, b in history_at) >= len(src.text.strip()) - 1):
            continue
        facts, mentions = fx.facts(src.text, source=src.id)
        facts = [f for f in facts if not any(a <= f.start < b for a, b in history)]
        mentions = [m for m in mentions if not any(a <= m.start < b for a, b in history)]
        guarded = colloquial().excluded_spans(src.text)
        said: list[tuple[NoteSource, Mention]] = [(u.q, m) for m in _asked_complaint(u, mentions, fx)]
        said += [(src, m) for m in mentions if not any(a <= m.start and m.end <= b for a, b in guarded)]
        # (吐了口痰: the 吐 of spitting is not vomiting — no finding the patient did not report)
        for where_said, m in said:
            if (m.type != "symptom" and m.concept not in _COMPLAINT_DX) or m.negated or _history_in_passing(where_said.text, m.start) or (
                    where_said is src and any(a <= m.start < b for a, b in history_at)):
                continue
            if _BELIEVED.search(where_said.text[max(0, m.start - 6):m.start]):
                continue  # 以为是牙痛 / 当成胃病: what the patient took it for is not the complaint
            name, where = _symptom_name(where_said, m)
            if m.concept in _GENERIC_PAIN and not _PAIN_SITE.match(name.lstrip("左右双")):
                # 走路疼: a pain the patient did not place takes the site the doctor examined (左踝), else
                # it is not named bare beside another complaint (never 伴疼)
                found = _site_from_exam(S)
                if found is not None:
                    name, where = f"{found[0]}痛", [found[1], *where]
                else:
                    name = "疼痛"
            # 左关节痛 and 左膝关节痛 are one complaint: the one that names the site says it
            bare = re.sub(r"^[左右双]侧?", "", name)
            # 下肢水肿 and 凹陷性水肿 are one complaint: a quality said of a finding already named is no companion
            kind_of = re.sub(r"^(?:凹陷性|非凹陷性|可凹性)", "", bare)
            same = [i for i, (_, _, n, _) in enumerate(symptoms)
                    if name == n or bare in n or re.sub(r"^[左右双]侧?", "", n) in name
                    or (kind_of != bare and n.endswith(kind_of))]
            if not same:
                symptoms.append((src, m, name, where))
            elif len(name) > len(symptoms[same[0]][2]) and kind_of == bare:
                src0, m0, _, where0 = symptoms[same[0]]
                symptoms[same[0]] = (src0, m0, name, [*where0, *where])
        for f in facts:
            if f.kind == "quantity" and f.key == "duration":
                durations.append((src, f))
    # a pain with no site anywhere stands alone only: 发热伴疼痛 says nothing a reader can use
    if len(symptoms) > 1:
        symptoms = [x for x in symptoms if x[2] != "疼痛"] or symptoms[:1]
    if any(re.search(r"痛|疼|肿|伤|出血|骨折", x[2]) for x in symptoms):
        # 摔了一跤，右手腕疼: the fall is how the injury came, the pain is the complaint (falls with dizziness are
        # the complaint themselves)
        symptoms = [x for x in symptoms if x[2] != "跌倒"] or symptoms[:1]
    fell = [f.value[-1] for _, f in durations if "sym:fall" in f.anchors]  # type: ignore[attr-defined]
    later = [f.value[-1] for _, f in durations if f.anchors and "sym:fall" not in f.anchors  # type: ignore[attr-defined]
             and f.anchors & {x[1].concept for x in symptoms}]  # type: ignore[attr-defined]
    if fell and later and min(later) < max(fell):
        # 一个月前摔了一跤…这一个礼拜左边手脚没力气: a fall before the illness began is its history, not the complaint
        symptoms = [x for x in symptoms if x[2] != "跌倒"] or symptoms[:1]
    if len(symptoms) > 1:
        # 脑梗后左边手脚一直没劲 beside 发热、咳痰: the old weakness of a stroke is its sequela (既往史), not a new complaint
        everything = " ".join(t.text for t in S.of_kind("turn"))
        if _OLD_STROKE.search(everything):
            symptoms = [x for x in symptoms if not (x[2].endswith(("肢体无力", "偏瘫")) and not _NEW_WEAK.search(
                x[0].text[max(0, x[1].start - 12):x[1].end + 6]))] or symptoms[:1]
    symptoms = _local_first(_main_first(_local_first(symptoms), durations))
    amen = _amenorrhea(S) if _gestation(S) is None else None
    if amen is not None:
        # 停经七周，下面出血两天 → 停经7周，阴道流血2天: the weeks of amenorrhoea lead, the symptoms keep their own time
        symptoms = [x for x in symptoms if not x[2].startswith("停经")]
        durations = [(src, f) for src, f in durations
                     if not (src.id == amen[2] and f.start < amen[4] and amen[3] < f.end)]  # type: ignore[attr-defined]
    poor = _poor_control(S)
    if poor is not None:
        # 糖尿病…最近血糖控制不好，口干 → 血糖控制不佳伴口干: the chronic disease's control is why the patient came
        text, where = poor
        names = [n for _, _, n, _ in symptoms if not re.search(r"血糖|血压", n)]
        while names and len(f"{text}伴{'、'.join(names)}") > MAX_CHIEF:
            names.pop()
        return [sentence(f"{text}伴{'、'.join(names)}" if names else text, *where,
                         *(p for _, _, n, w in symptoms if n in names for p in w))]
    found = _found_complaint([t for t in S.of_kind("turn") if t.speaker != "doctor"][:3])
    if found is not None and (not symptoms or found[2] < _first_said(symptoms[0])):
        # 体检发现甲状腺结节一个月了 / 发现血糖高一个月: what was found, with how long ago, is the complaint
        pregnancy = _gestation(S)
        if pregnancy is not None:
            return [sentence(f"{pregnancy[0]}，{found[0]}", pregnancy[1], found[1])]
        return [sentence(found[0], found[1])]
    if not symptoms:
        pregnancy = _gestation(S)
        if pregnancy is not None:
            return [sentence(*pregnancy)]
        if amen is not None:
            return [sentence(amen[0], amen[1])]
        return _follow_up_complaint(S) or _named_complaint(S)
    dur_text, dur_prov = "", None
    first_keys = {symptoms[0][1].concept}
    if symptoms[0][2].endswith("肢体无力"):  # 左边手脚没力气: the time may be bound to either reading of the words
        first_keys |= {"sym:limb_weakness", "sym:fatigue", "symptom:四肢无力", "sym:hemiplegia"}
    first_turn = symptoms[0][0].id
    # 换关节后三周，今天突然喘不上气: the main symptom said with 今天 started today — an earlier time said in another
    # clause of the turn is the history's, not how long the complaint has lasted
    s0, m_0 = symptoms[0][0], symptoms[0][1]
    c_from = max(s0.text.rfind(c, 0, m_0.start) for c in "，,。；;") + 1
    today = re.search(r"今天|今日|今晨|今早|今儿|刚才|刚刚", s0.text[c_from:m_0.end])
    for src, f in durations:
        # a duration bound to the main symptom; else the first one said in its turn (一天也就尿两三回 in
        # another answer is a frequency there, not how long the complaint has lasted)
        # (三周前做了左膝关节置换术: a time bound to an operation or an illness of the history is not the complaint's)
        event = any(k.startswith(("procedure:", "icd10:")) or k == "sym:fall" for k in f.anchors)  # type: ignore[attr-defined]
        event = event or bool(today and src.id == s0.id and f.end <= c_from)  # type: ignore[attr-defined]
        if f.anchors & first_keys or (not dur_text and src.id == first_turn and not event):  # type: ignore[attr-defined]
            dur_text = _duration_words(f.text, f.value[-1])  # type: ignore[attr-defined]
            dur_prov = span(src, f.start, f.end)  # type: ignore[attr-defined]
            if f.anchors & first_keys:  # type: ignore[attr-defined]
                break
    if not dur_text:
        # 大便出血。— 多久了？两周了: the time the next answer gives, to a question about how long
        for src, f in durations:
            asked = S.by_id.get(f"turn:{_turn_no(first_turn) + 1}")
            if (_turn_no(src.id) == _turn_no(first_turn) + 2 and not f.anchors  # type: ignore[attr-defined]
                    and asked is not None and _HOW_LONG.search(asked.text)):
                dur_text = _duration_words(f.text, f.value[-1])  # type: ignore[attr-defined]
                dur_prov = span(src, f.start, f.end)  # type: ignore[attr-defined]
                break

    if not dur_text and len(symptoms) > 1:
        # 头痛一天了，左边眼睛也胀: the local complaint leads and the time said with its companion is the visit's
        others = {x[1].concept for x in symptoms[1:3]}
        bound = next(((src, f) for src, f in durations if f.anchors & others), None)  # type: ignore[attr-defined]
        if bound is not None:
            dur_text = _duration_words(bound[1].text, bound[1].value[-1])  # type: ignore[attr-defined]
            dur_prov = span(bound[0], bound[1].start, bound[1].end)  # type: ignore[attr-defined]
    if not any(f.anchors & first_keys for _, f in durations):  # type: ignore[attr-defined]
        # 前些日子开始头晕 → 头晕数天: an uncounted time said with the main symptom, not another's duration
        src0, m0 = symptoms[0][0], symptoms[0][1]
        from yizhu.knowledge.terminology.colloquial import colloquial

        a0 = max([src0.text.rfind(c, 0, m0.start) for c in "。；;！!"] + [-1]) + 1
        b0 = min([x for x in (src0.text.find(c, m0.start) for c in "。；;！!") if x >= 0] + [len(src0.text)])
        some = re.search(r"(?:数|近几|这几)(天|周|月|年)", colloquial().normalise(src0.text[a0:b0]).text)
        if some:
            dur_text, dur_prov = f"数{some.group(1)}", span(src0, a0, b0)
    if not dur_text:
        # 现在发病两小时: the time since onset the doctor states, when the patient gave none
        onset = _doctor_onset(S)
        if onset is not None:
            dur_text, dur_prov = onset
    worse = _exacerbation(S, symptoms[0][0], durations, dur_text)
    # 右踝关节肿 and 右踝关节痛 are said together: 右踝关节肿痛
    for i, (src0, m0, n0, w0) in enumerate(symptoms):
        for j in range(len(symptoms) - 1, i, -1):
            n1 = symptoms[j][2]
            if n0.endswith("肿") and n1 == n0[:-1] + "痛":
                symptoms[i] = (src0, m0, n0 + "痛", w0 + symptoms[j][3])
                del symptoms[j]
            elif n0.endswith("肿胀") and n1 in (n0[:-2] + "痛", n0[:-2] + "疼痛"):  # 关节肿胀 + 关节痛 → 关节肿痛
                symptoms[i] = (src0, m0, n0[:-2] + "肿痛", w0 + symptoms[j][3])
                del symptoms[j]

    def form(names: list[str]) -> str:
        if worse is not None:  # a chronic illness worse again: 慢阻肺10余年，咳嗽、喘息加重5天
            head, _, tail, _ = worse
            return (head + "、".join(names) + tail) if head.endswith("，") else ("、".join(names) + head + tail)
        return _short_site(names[0] + ("伴" + "、".join(names[1:]) if len(names) > 1 else "") + dur_text)

    picked: list[tuple[NoteSource, Mention, str, list[ProvenanceOut]]] = []
    for item in symptoms[:3]:
        if len(form([n for _, _, n, _ in [*picked, item]])) > MAX_CHIEF and picked:
            break
        picked.append(item)
    prov = [p for _, _, _, where in picked for p in where]
    own = _own_times(picked, durations) if worse is None and _gestation(S) is None else None
    if own is not None:
        # 头痛1个月，左侧肢体无力1周: complaints that began at different times each keep their own, the older first
        return [sentence("，".join(f"{n}{t}" for n, t, _ in own), *prov, *(w for _, _, w in own))]
    if dur_prov is not None:
        prov.append(dur_prov)
    if worse is not None:
        prov += [p for p in (worse[1], worse[3]) if p is not None]
    if amen is not None:
        names = [n for _, _, n, _ in picked]
        while len(names) > 1 and len(f"{amen[0]}，{form(names)}") > MAX_CHIEF:
            names.pop()
        return [sentence(f"{amen[0]}，{form(names)}", amen[1], *prov)]
    pregnancy = _gestation(S)
    if pregnancy is not None and not any(n.startswith("停经") for _, _, n, _ in picked):
        # a pregnancy visit: the complaint is the pregnancy with its weeks as stated (孕12+3周), symptoms after
        # it (停经 would need the weeks counted from the last period, which grounding cannot check)
        text, where = pregnancy
        names = [n for _, _, n, _ in picked]
        if dur_text and names and worse is None:
            # 孕37+1周，阴道流液2小时: the pregnancy, then the presenting symptom with how long it has lasted
            while len(names) > 1 and len(f"{text}，{form(names)}") > MAX_CHIEF:
                names.pop()
            return [sentence(f"{text}，{form(names)}", where, *prov)]
        while names and len(f"{text}伴{'、'.join(names)}") > MAX_CHIEF:
            names.pop()
        return [sentence(f"{text}伴{'、'.join(names)}" if names else text, where, *prov)]
    return [sentence(form([n for _, _, n, _ in picked]), *prov)]


#: a site in the 主诉's short record form: 左耳朵疼痛 → 左耳痛, 右肩膀疼痛/右肩部疼痛 → 右肩痛, 眼睛 → 眼
_SITE_SHORT = ((re.compile(r"耳朵(?=疼痛|痛|流脓|流水|闷|鸣|听)"), "耳"), (re.compile(r"眼睛(?=[\u4e00-\u9fff])"), "眼"),
               (re.compile(r"肩(?:膀|部)(?=疼痛|痛)"), "肩"), (re.compile(r"(?<=[耳肩])疼痛"), "痛"),
               # 右侧脸疼痛 → 右侧面部疼痛, 左侧鼻出血 → 左侧鼻腔出血, 左侧眼胀痛 → 左眼胀痛, 左侧下肢水肿 → 左下肢水肿: a side
               # goes with the organ in the record's form
               (re.compile(r"(?<=[左右双])侧?脸上?(?=疼|痛|肿|麻)"), "侧面部"), (re.compile(r"^脸上?(?=疼|痛)"), "面部"), (re.compile(r"(?<=[左右]侧)鼻出血"), "鼻腔出血"),
               (re.compile(r"(?<=[左右双])侧(?=眼|耳|乳|肾|[上下]肢)"), ""))


def _own_times(picked: list[tuple[NoteSource, Mention, str, list[ProvenanceOut]]],
               durations: list[tuple[NoteSource, Any]]) -> list[tuple[str, str, ProvenanceOut]] | None:
    """``[(name, time, span)]``, the older complaint first, when every picked complaint has a time bound to it and
    one is clearly older (头痛 30 days, 左侧肢体无力 7 days); None otherwise (one time for all: 咳嗽伴发热3天)."""
    if len(picked) < 2:
        return None
    out: list[tuple[float, str, str, ProvenanceOut]] = []
    for _, m0, name, _where in picked:
        keys = {m0.concept}
        if name.endswith("肢体无力"):
            keys |= {"sym:limb_weakness", "sym:fatigue", "symptom:四肢无力", "sym:hemiplegia"}
        bound = [(src, f) for src, f in durations if f.anchors & keys]  # type: ignore[attr-defined]
        if not bound:
            return None
        src, f = bound[0]
        days = f.value[-1]  # type: ignore[attr-defined]
        out.append((days, name, _duration_words(f.text, days), span(src, f.start, f.end)))  # type: ignore[attr-defined]
    out.sort(key=lambda x: -x[0])
    # only a clearly older complaint keeps its own time (1个月 beside 1周: ≥ 3× and ≥ 14 days longer); 咳嗽2天 and
    # 发热1天 share one (咳嗽伴发热2天), and 停经 is the pregnancy's own form
    if any(n.startswith("停经") for _, n, _, _ in out) or not (
            out[0][0] >= 3 * out[-1][0] and out[0][0] - out[-1][0] >= 14):
        return None
    parts = [(n, t, w) for _, n, t, w in out]
    while len(parts) > 2 and len("，".join(n + t for n, t, _ in parts)) > MAX_CHIEF:
        parts.pop()
    return parts if len("，".join(n + t for n, t, _ in parts)) <= MAX_CHIEF else None


def _short_site(text: str) -> str:
    for rx, to in _SITE_SHORT:
        text = rx.sub(to, text)
    return text


def _first_said(item: tuple[NoteSource, Mention, str, list[ProvenanceOut]]) -> tuple[int, int]:
    """Where a complaint was first said: (turn number, offset)."""
    src, m = item[0], item[1]
    return _turn_no(src.id), m.start


def _turn_no(source_id: str) -> int:
    digits = re.findall(r"\d+", source_id)
    return int(digits[-1]) if digits else 0


#: the patient saying which complaint they came for (今天主要看这个, 主要是胸闷): it leads the 主诉
_MAIN_SAID = re.compile(r"主要(?:是|看|想看|来看|就是|为了)|(?:今天|这次)(?:来|就是)?(?:主要)?(?:是)?(?:为了|因为)?(?:看|来看)这个|就是为了这个|最(?:难受|要紧|担心)的是")


#: a question about how long a complaint has lasted (多久了？, 几天了？, 什么时候开始的？)
_HOW_LONG = re.compile(r"多久|多长时间|多少天|几天|几个月|几年|什么时候开始|啥时候开始|有多长")
_YEARS_UNCOUNTED = re.compile(r"(?:好几|好多|很多|十几|几十|多)年")


#: a complaint named like a diagnosis that is what the patient feels (痛经): the 主诉 of its visit (妇产科学 第9版)
_COMPLAINT_DX = frozenset({"icd10:N94.6"})
#: symptoms of the whole body that come with a local illness (头痛 beside an eye pain, 发热 beside a red leg)
_GENERAL = re.compile(r"^(?:发热|头痛|头晕|恶心|呕吐|恶心呕吐|乏力|全身乏力|口干|失眠|食欲不振|食欲减退|视物模糊|咳嗽)$")


def _local_first(symptoms: list[tuple[NoteSource, Mention, str, list[ProvenanceOut]]]
                 ) -> list[tuple[NoteSource, Mention, str, list[ProvenanceOut]]]:
    """The complaint that brought the patient leads: a complaint of one organ or one side (左眼胀痛, 左下肢红肿, 痛经)
    before the whole-body symptoms said with it (头痛, 发热) — 左眼胀痛伴头痛, not 头痛伴左眼胀痛 — unless the patient
    said which one they came for (今天主要看这个)."""
    if len(symptoms) < 2 or not _GENERAL.match(symptoms[0][2]) or any(_MAIN_SAID.search(x[0].text) for x in symptoms):
        return symptoms
    local = next((i for i, x in enumerate(symptoms)
                  if re.match(r"[左右双]", x[2]) or x[1].concept in _COMPLAINT_DX), None)
    if local is None:
        return symptoms
    return [symptoms[local], *symptoms[:local], *symptoms[local + 1:]]


def _main_first(symptoms: list[tuple[NoteSource, Mention, str, list[ProvenanceOut]]],
                durations: list[tuple[NoteSource, Any]]) -> list[tuple[NoteSource, Mention, str, list[ProvenanceOut]]]:
    """The complaint the patient came for first (今天主要看这个 names the symptoms of its own turn), and no
    incidental complaint beside it: a symptom with a history of its own much longer than the main one's (失眠好几年
    beside 膝痛1个月) is another illness, for the 现病史, never 伴."""
    if len(symptoms) < 2:
        return symptoms
    main_turns = [src.id for src, _, _, _ in symptoms if _MAIN_SAID.search(src.text)]
    if main_turns:
        symptoms = ([x for x in symptoms if x[0].id == main_turns[0]]
                    + [x for x in symptoms if x[0].id != main_turns[0]])

    def days_of(item: tuple[NoteSource, Mention, str, list[ProvenanceOut]]) -> float | None:
        src, m = item[0], item[1]
        mine = [f for s2, f in durations if s2.id == src.id]
        bound = ([f for f in mine if m.concept in f.anchors] or [f for f in mine if not f.anchors])[:1]
        if not bound:  # 失眠。— 多久了？半年了: the time the next answer gives, when it names no finding
            bound = [f for s2, f in durations if _turn_no(s2.id) == _turn_no(src.id) + 2 and not f.anchors][:1]
        if not bound and _YEARS_UNCOUNTED.search(src.text):
            return 730.0  # 失眠好几年了: years, uncounted
        return float(bound[0].value[-1]) if bound else None

    main_days = days_of(symptoms[0])
    if main_days is None:
        return symptoms
    keep = [symptoms[0]]
    for item in symptoms[1:]:
        d = days_of(item)
        if d is not None and d >= 3 * main_days and d - main_days >= 30:
            continue  # another, older illness: not what brought the patient today
        keep.append(item)
    return keep


#: a finding the patient was told of, with how long ago (体检发现甲状腺结节一个月了, 1天前产检发现血压高,
#: 发现血糖高1个月): the 主诉 "发现X N时间" (病历书写基本规范: 主诉 may name a finding when there is no symptom)
_NUM = r"[0-9零一二两三四五六七八九十半几]+(?:\.\d+)?"
_FOUND_SAID = re.compile(
    rf"(?:(?P<d1>{_NUM}个?多?(?:天|日|周|个?星期|个?礼拜|个?月|年|小时)前|昨天|前天)[^，。；;,]{{0,8}}?)?"
    r"(?:(?:体检|检查|复查|产检|查体|筛查|自测|自己量|量血压|测血糖|B超|彩超|超声|化验)?(?:时|的时候)?发现(?:有|了)?"
    r"|(?:体检|检查|复查|产检|筛查|化验)(?:时|的时候)?(?:说|查出来?(?:的|说)?|测出来?|提示))"
    r"(?P<what>[^，。；;,、！!？?]{2,12}?)(?:了)?"
    rf"(?:[，,]?\s*(?:有|已经|已)?(?P<d2>{_NUM}个?多?(?:天|日|周|个?星期|个?礼拜|个?月|年))(?:了|多了)?)?(?=[，。；;,！!]|$)")
_RAISED = re.compile(r"^(血压|血糖|血脂|尿酸|转氨酶|肝酶|肌酐|血钾|胆固醇|甘油三酯|心率)(?:偏高|有点高|高|升高|老高|很高)$")


def _found_complaint(srcs: list[NoteSource]) -> tuple[str, ProvenanceOut, tuple[int, int]] | None:
    """``(发现甲状腺结节1个月, span, where said)`` when the patient reports a finding with its time."""
    from yizhu.clinical.notes.speech import clinical_term

    for src in srcs:
        text = dialect_to_standard(src.text) if len(dialect_to_standard(src.text)) == len(src.text) else src.text
        for m in _FOUND_SAID.finditer(text):
            dur = m.group("d2") or m.group("d1")
            what = m.group("what")
            what = re.sub(r"(?<=[\u4e00-\u9fff])(?:上|里|内)?(?:有|长)了?(?:一个|个|一些|些)", "", what)  # 肝上有个囊肿 → 肝囊肿
            what = re.sub(r"(?<=[\u4e00-\u9fff])(?:上|里)?有(?=病变|结节|囊肿|息肉|肿物|肿块)", "", what)  # 宫颈有病变 → 宫颈病变
            named = clinical_term(what) or any(what.endswith(h) for h in dx_rules().heads)
            if not dur or not named or re.search(r"没|不|无|正常", what):
                continue
            raised = _RAISED.match(what)
            name = f"{raised.group(1)}升高" if raised else clinical_wording(what)
            days = _duration_days(dur)
            words = _duration_words(dur, days) if days is not None else _digits(dur)
            text_out = f"发现{name}{words}"
            if len(text_out) > MAX_CHIEF:
                continue
            return text_out, span(src, m.start(), m.end()), (_turn_no(src.id), m.start())
    return None


def _duration_days(text: str) -> float | None:
    from yizhu.safety.grounding import FactExtractor

    for f in FactExtractor().facts(text, source="dur")[0]:
        if f.kind == "quantity" and f.key == "duration":
            return float(f.value[-1])  # type: ignore[attr-defined]
    return None


#: the doctor stating how long ago the illness began (现在发病两小时, 起病3天)
_ONSET = re.compile(r"(?:发病|起病|病程|症状出现)(?:已经?|有|才|约|大概)?([0-9零一二两三四五六七八九十半几]+(?:个)?多?(?:小时|钟头|分钟|天|周|个月|月|年))")
#: an illness worse again (感冒了…越来越厉害, 加重): the short time of a chronic complaint's exacerbation
_WORSE = re.compile(r"加重|加剧|厉害|严重|越来越|又犯|复发|发作|感冒|受凉|着凉")
#: a gestational age stated in the visit (宫内孕12+3周, 孕12周): the weeks of a pregnancy visit
_GESTATION = re.compile(r"(?:宫内)?(?:早孕|妊娠|孕)(\d{1,2}(?:\+\d)?)周")


def _doctor_onset(S: SourceSet) -> tuple[str, ProvenanceOut] | None:
    for src in S.of_kind("turn"):
        if src.speaker != "doctor":
            continue
        m = _ONSET.search(src.text)
        if m:
            return _digits(m.group(1)).replace("钟头", "小时"), span(src, m.start(1), m.end(1))
    return None


def _exacerbation(S: SourceSet, turn: NoteSource, durations: list[tuple[NoteSource, Any]],
                  dur_text: str) -> tuple[str, ProvenanceOut, str, ProvenanceOut | None] | None:
    """``(head, span, tail, span)`` when the complaint turn gives a long history (≥ 1 year) and a shorter recent time
    said with worsening (五天前感冒了…越来越厉害): 主诉 of a chronic illness's exacerbation."""
    mine = [f for src, f in durations if src.id == turn.id]
    if len(mine) < 2 or not dur_text:
        return None
    longest = max(mine, key=lambda f: f.value[-1])
    long_days = longest.value[-1]
    if long_days < 365:
        return None
    for f in mine:
        days = f.value[-1]
        if days >= long_days or days >= 180:
            continue
        stop = min([x for x in (turn.text.find(c, f.end) for c in "。；;！!") if x >= 0] + [len(turn.text)])
        if _WORSE.search(turn.text, f.end, stop):
            long_text, short_text = _duration_words(longest.text, long_days), _duration_words(f.text, days)
            # 她哮喘二十来年了: the long time is the disease's — 支气管哮喘20余年，喘息加重3天 (as said, and grounded)
            from yizhu.safety.grounding import FactExtractor

            illness = [m for m in FactExtractor().facts(turn.text, source=turn.id)[1]
                       if m.type == "diagnosis" and not m.negated and m.end <= longest.start
                       and not _CLAUSE_SPLIT.search(turn.text, m.end, longest.start)]
            if illness:
                return (f"{illness[-1].text}{long_text}，", span(turn, illness[-1].start, longest.end),
                        f"加重{short_text}", span(turn, f.start, f.end))
            return f"{long_text}，加重{short_text}", span(turn, f.start, f.end), "", None
    return None


#: amenorrhoea as the patient says it (停经七周, 月经过了七个礼拜没来, 怀孕六周了), after the lexicon's numerals
_AMENORRHEA = re.compile(
    r"停经(?P<a>\d+(?:\+\d)?个?多?(?:天|周|星期|礼拜|月))"
    r"|月经(?:已经|都)?(?:过了?|推迟了?|晚了|超了|延迟了?|停了)?(?P<near>快|将近|差不多|小)?(?P<b>\d+个?多?(?:天|周|星期|礼拜|月))了?(?:还|都|也)?(?:没来|没有来|未来|没见)"
    r"|(?:怀孕|怀上)了?(?P<c>\d+(?:\+\d)?个?多?(?:周|星期|礼拜))"
    r"|(?:孕|现在|已经|都)(?P<d>\d{1,2}(?:\+\d)?周多?)(?=了|[，,。；;]|$)")
#: a turn that speaks of a pregnancy: 现在三十七周多了 is the gestation only there
_PREGNANCY_TALK = re.compile(r"月经|怀孕|怀上|孕|胎|产检|预产期")


def _amenorrhea(S: SourceSet) -> tuple[str, ProvenanceOut, str, int, int] | None:
    """``(停经7周, span, source id, start, end)`` when the patient tells how long the period has been missed."""
    from yizhu.knowledge.terminology.colloquial import colloquial

    for src in S.of_kind("turn"):
        if src.speaker == "doctor":
            continue
        n = colloquial().normalise(src.text)
        m = _AMENORRHEA.search(n.text)
        if m is None or re.search(r"以前|上次|上一胎|那次", n.text[max(0, m.start() - 6):m.start()]):
            continue
        if m.group("d") and not any(_PREGNANCY_TALK.search(t.text) for t in S.of_kind("turn")):
            continue
        dur = re.sub(r"个?多(?:星期|礼拜|周)|周多", "周余", m.group("a") or m.group("b") or m.group("c") or m.group("d"))
        dur = re.sub(r"个?(?:星期|礼拜)", "周", dur)
        dur = re.sub(r"(?<=\d)月", "个月", dur.replace("个月", "月"))
        a, b = n.to_original(m.start(), m.end())
        # 现在三十七周多了: the gestation as said (孕37周余); a missed period told as such is 停经
        near = "近" if m.group("near") else ""  # 快两个月没来 → 停经近2个月
        return f"{'孕' if m.group('d') or m.group('c') else '停经'}{near}{_record_more(dur)}", span(src, a, b), src.id, a, b
    return None


def _gestation(S: SourceSet) -> tuple[str, ProvenanceOut] | None:
    """``(孕12+3周, span)`` when the doctor states the gestational age of an ongoing pregnancy."""
    for src in [*S.of_kind("turn"), *(x for x in S.of_kind("section") if x.doc_type == PRECONSULT_DOC_TYPE)]:
        if src.kind == "turn" and src.speaker != "doctor":
            continue
        m = _GESTATION.search(src.text)
        if m and not re.search(r"以前|既往|上一胎|流产过|引产", src.text[max(0, m.start() - 8):m.start()]):
            return f"孕{m.group(1)}周", span(src, m.start(), m.end())
    return None


_PAREN_ANY = re.compile(r"[（(][^（()）]*[）)]")


@dataclass(frozen=True)
class StatedAt:
    """A stated diagnosis and the offset of the sentence it was read from."""

    at: int
    dx: Any
#: why a patient with no new symptom came: to follow a known disease up (复查, 还在吃药), or for a result
_FOLLOW_UP = re.compile(r"复查|复诊|随访|回来看|开药|配药|取药|(?:一直|还|仍|都)在(?:吃|用|打)|(?:开|拿|取|配)(?:点|些|一点)药|续药"
                        r"|拿药|药(?:快|都|已经)?(?:吃完|用完)")
#: on treatment for it (一直吃着, 长期服): with the follow-up words, a sign the visit is for the chronic disease itself
_ON_TREATMENT = re.compile(r"一直在?(?:吃|用|打)|吃着|长期(?:吃|服|用)")
_FOUND = re.compile(r"体检|筛查|检查发现|报告|结果出来")


#: a chronic disease's control said to be poor (血糖控制得不好, 血压一直降不下来, 血糖老是不稳): with the disease named
#: in the visit, the 主诉 "血糖控制不佳" (病历书写基本规范: a follow-up's complaint is why the patient came now)
_POOR_CONTROL = re.compile(r"(血糖|血压)[^，,。；;！!？?控]{0,6}?(?:控制|控)(?:得|的)?(?:不太|不大|不怎么|不)(?:好|理想|稳定?|住)"
                           r"|(血糖|血压|空腹|餐后)[^。；;！!？?]{0,20}?(?:降不下来|下不来|不稳定?|忽高忽低)")


def _poor_control(S: SourceSet) -> tuple[str, list[ProvenanceOut]] | None:
    """``(血糖控制不佳1个月, spans)`` when the patient (in the opening turns) says a chronic disease's control is
    poor and the disease is named in the visit; a duration said in the same clause is kept."""
    from yizhu.safety.grounding import FactExtractor

    turns = [t for t in S.of_kind("turn") if t.speaker != "doctor"][:3]
    for t in turns:
        m = _POOR_CONTROL.search(t.text)
        if m is None or _NO.match(t.text[:m.start()][-3:] or " "):
            continue
        what = m.group(1) or m.group(2)
        what = "血糖" if what in ("空腹", "餐后") else what  # 空腹测都在八九，降不下来: the blood glucose
        if what == "血压" and not re.search(r"高血压|降压", " ".join(x.text for x in S.of_kind("turn"))):
            continue
        if what == "血糖" and not re.search(r"糖尿病|降糖|胰岛素|二甲双胍|格列|血糖", t.text[:m.start()] + " ".join(
                x.text for x in S.of_kind("turn") if x is not t)):
            continue
        a = max(t.text.rfind(c, 0, m.start()) for c in "，,。；;") + 1
        b = min([x for x in (t.text.find(c, m.end()) for c in "，,。；;") if x >= 0] + [len(t.text)])
        facts, _ = FactExtractor().facts(t.text, source=t.id)
        dur = next((f for f in facts if f.kind == "quantity" and f.key == "duration"  # type: ignore[attr-defined]
                    and a <= f.start < b), None)  # type: ignore[attr-defined]
        words = _duration_words(dur.text, dur.value[-1]) if dur is not None else ""  # type: ignore[attr-defined]
        where = [span(t, m.start(), m.end())] + ([span(t, dur.start, dur.end)] if dur is not None and words else [])  # type: ignore[attr-defined]
        return f"{what}控制不佳{words}", where
    return None


def _follow_up_complaint(S: SourceSet) -> list[SentenceOut]:
    """主诉 of a visit that reports no new symptom: the diagnosis the doctor names, as followed up
    ('Graves病复诊', when the visit is a 复查 or the patient is on its treatment) or as found ('发现…',
    when a check-up or a result brought the patient). Nothing when neither is said."""
    turns = S.of_kind("turn")
    for rx, form in ((_FOLLOW_UP, "{}复诊"), (_FOUND, "发现{}")):
        visit = next((t for t in turns[:4] if rx.search(t.text)), None)  # the opening says why they came
        if visit is None:
            continue
        fm0 = rx.search(visit.text)
        assert fm0 is not None
        for src in turns:
            if src.speaker != "doctor":
                continue
            # 诊断左乳浸润性导管癌术后（pT2N0M0）: a stated diagnosis the packs do not name whole, without its brackets
            told = [(a, src.text[a:b]) for a, b in split_sentences(src.text) if re.search(r"诊断|考虑", src.text[a:b])]
            for d in (StatedAt(a0, d0) for a0, said in told for d0 in stated_diagnoses(said)):
                name = _PAREN_ANY.sub("", d.dx.text)
                if not d.dx.hedged and len(form.format(name)) <= MAX_CHIEF:
                    return [_with_history(form, name, turns, span(src, d.at + d.dx.start, d.at + d.dx.end),
                                          span(visit, fm0.start(), fm0.end()))]
            for m in extract(src.text):
                if (m.type == "diagnosis" and not m.negated and not m.uncertain and not not_a_diagnosis(m.text)
                        and not m.concept.startswith("icd10:Z")):  # 体检 (Z00.0) is why one came, not what was found
                    fm = rx.search(visit.text)
                    assert fm is not None
                    return [_with_history(form, clinical_wording(m.text), turns, span(src, m.start, m.end),
                                          span(visit, fm.start(), fm.end()))]
    return []


def _named_complaint(S: SourceSet) -> list[SentenceOut]:
    """主诉 when the patient opens with a condition by its name, not a symptom (左腿上的青筋鼓起来十年了 → 左下肢静脉曲张
    10年): that condition, with its side and the time said with it; nothing when the opening names none."""
    from yizhu.safety.grounding import FactExtractor

    fx = FactExtractor()
    for u in dialogue_units(S)[:3]:
        src = u.a
        if src is None or src.speaker == "doctor" or (u.q is not None and _topic(u.q.text) in _NOT_COMPLAINT):
            continue
        facts, mentions = fx.facts(src.text, source=src.id)
        for m in mentions:
            if (m.type != "diagnosis" or m.negated or m.uncertain or not_a_diagnosis(m.text)
                    or m.concept.startswith("icd10:Z") or _topic(src.text) in _NOT_COMPLAINT):
                # (体检 is why one came, ICD-10 chapter XXI, never a condition: no 主诉 '体检')
                continue
            name, where = _symptom_name(src, m)
            name = clinical_wording(name)  # 羊角风 → 癫痫: the record's name of the condition
            said_end = min([x for x in (src.text.find(c, m.end) for c in "。！!？?") if x >= 0] + [len(src.text)])
            # 青筋鼓起来十年了 (bound to it) / 青筋像蚯蚓一样，十来年了 (said after it in the same sentence)
            dur = next((f for f in facts if f.kind == "quantity" and f.key == "duration"  # type: ignore[attr-defined]
                        and (m.concept in f.anchors or (not f.anchors and m.end <= f.start < said_end))), None)  # type: ignore[attr-defined]
            words = _duration_words(dur.text, dur.value[-1]) if dur is not None else ""  # type: ignore[attr-defined]
            text = f"{name}{words}" if len(f"{name}{words}") <= MAX_CHIEF else name
            if len(text) <= MAX_CHIEF:
                prov = [*where, span(src, dur.start, dur.end)] if dur is not None and words else where  # type: ignore[attr-defined]
                return [sentence(text, *prov)]
    return []


def _with_history(form: str, name: str, turns: list[NoteSource], *prov: ProvenanceOut) -> SentenceOut:
    """主诉 of a known disease seen again: the disease with how long since it was found, as the patient said it
    (我癫痫五六年了，来开药 → 癫痫5-6年复诊; 甲减好几年了 → 甲状腺功能减退症数年复诊), else without a time."""
    from yizhu.safety.grounding import FactExtractor

    fx = FactExtractor()
    for t in turns[:6]:
        if t.speaker == "doctor":
            continue
        facts, mentions = fx.facts(t.text, source=t.id)
        ill = {m.concept for m in mentions if m.type in ("diagnosis", "lab") and not m.negated}
        if not ill:
            continue
        first_ill = min(m.start for m in mentions if m.concept in ill)
        sentence_end = min([x for x in (t.text.find(c, first_ill) for c in "。！!？?") if x >= 0] + [len(t.text)])
        for f in facts:
            # 癫痫五六年了 (bound to it) / 我有癫痫，七八年了 (said after it in the same sentence)
            if f.kind == "quantity" and f.key == "duration" and (  # type: ignore[attr-defined]
                    f.anchors & ill or (not f.anchors and first_ill < f.start < sentence_end)):  # type: ignore[attr-defined]
                words = _duration_words(f.text, f.value[-1])  # type: ignore[attr-defined]
                if not re.search(r"前$", words):
                    text = (f"{name}{words}复诊" if form.endswith("复诊") else f"发现{name}{words}")
                    if len(text) <= MAX_CHIEF:
                        return sentence(text, *prov, span(t, f.start, f.end))  # type: ignore[attr-defined]
        some = _YEARS_UNCOUNTED.search(t.text)
        if some and any(m.start < some.start() for m in mentions if m.concept in ill):
            text = f"{name}数年复诊" if form.endswith("复诊") else f"发现{name}数年"
            if len(text) <= MAX_CHIEF:
                return sentence(text, *prov, span(t, some.start(), some.end()))
    return sentence(form.format(name), *prov)


def _digits(text: str) -> str:
    """三天 → 3天, 两个月 → 2个月, 十余年 → 10余年; trailing 了/前 dropped."""
    t = re.sub(r"[了前的]+$", "", text.strip())
    pair = re.match(r"([一二两三四五六七八九])([二三四五六七八九])(?=个?多?[年月天周日小星礼])", t)
    if pair and (cn_number(pair.group(2)) or 0) - (cn_number(pair.group(1)) or 0) == 1:
        t = f"{int(cn_number(pair.group(1)) or 0)}-{int(cn_number(pair.group(2)) or 0)}{t[pair.end():]}"  # 五六年 → 5-6年
    m = re.match(r"([零一二两三四五六七八九十百]+)", t)
    if m:
        n = cn_number(m.group(1))
        if n is not None:
            t = f"{int(n) if n.is_integer() else n}{t[m.end():]}"
    t = re.sub(r"个多(?:星期|礼拜)", "周余", t)  # 两个多礼拜 → 2周余
    t = re.sub(r"个?(?:星期|礼拜)", "周", t)
    return t if any(u in t for u in UNITS) else text


#: a pre-consultation section the note type has not → where it goes (门诊病历 has no 个人史 or 家族史)
PRE_FALLBACK = {"个人史": "既往史", "家族史": "既往史", "婚育史": "既往史"}
#: a pre-consultation section answered with a bare nil word (无, 没有, 冇, 否认) → the record's wording of the denial
#: (《病历书写基本规范》 usage); grounding supports it from the section's heading (safety.grounding._TOPIC_NIL)
_PRE_NIL = {"用药史": "无长期用药。", "过敏史": "否认药物及食物过敏史。", "家族史": "否认家族遗传病史。",
            "手术史": "否认手术史。", "输血史": "否认输血史。", "外伤史": "否认外伤史。"}
_BARE_NIL = re.compile(r"\s*(?:无|没有|没得|莫得|冇|否认|暂无)[。.]?\s*")


def outpatient_sections(ctx: ClinicalContext, S: SourceSet, sections: tuple[str, ...]) -> dict[str, SectionOut]:
    """Every section of 门诊病历 / 入院记录 from the pre-consultation record and the dialogue."""
    body = dialogue_sections(S, sections)
    pre: dict[str, list[SentenceOut]] = {}
    for src in S.of_kind("section"):
        if src.doc_type != PRECONSULT_DOC_TYPE or not src.section:
            continue
        nil = _PRE_NIL.get(src.section or "") if _BARE_NIL.fullmatch(src.text) else None
        if nil is not None:  # 长期用药：无 / 过敏史：没有 → the record's own words for the denial (无长期用药)
            home = src.section if src.section in sections else PRE_FALLBACK.get(src.section or "", "既往史")
            pre.setdefault(home, []).append(sentence(nil, span(src, 0, len(src.text))))
        elif src.section == "用药史":  # the record has no section of its own: long-term medicines are 既往史
            pre.setdefault("既往史", []).extend(
                sentence(_ensure_stop("长期用药：" + x.text), *x.provenance) for x in copy_sentences(src))
        else:
            name = src.section if src.section in sections else PRE_FALLBACK.get(src.section, "")
            pre.setdefault(name, []).extend(_pre_sentences(src))
    out: dict[str, SectionOut] = {}
    for name in sections:
        items: list[SentenceOut] = list(pre.get(name, []))
        if name == "主诉":
            items = _pre_complaint(S, items) or chief_complaint(S)
        else:
            have = {x.text for x in items}
            items += [x for x in body.get(name, []) if x.text not in have]
        if name == "初步诊断":
            items = _qualified(S, [x for x in items if not not_a_diagnosis(x.text)])
            items = _unique_dx(items + implied_sentences(S, items))
            # the pregnancy's place and weeks head an obstetric list (宫内早孕7周, 孕1产0 …), as they are written
            status = re.compile(r"^(?:宫内|宫外)?(?:早孕|中孕|晚孕|妊娠|孕)\d|^G\d+P\d|^孕\d产\d|^宫内(?:早孕|妊娠)")
            items = sorted(items, key=lambda x: not status.match(x.text))
        note = None
        if not items:
            note = "对话中未述及，请医师查体后补充" if name == "体格检查" else "对话中未述及，请医师补充"
        elif name == "初步诊断":
            note = "AI 建议的诊断，需医师确认"
        out[name] = SectionOut(name=name, sentences=items, note=note)
    unplaced = body.get(UNPLACED) or []
    if unplaced and out:
        # what the dialogue says that this note has no place for (入院记录 has no plan) is shown, not dropped
        last = out[sections[-1]]
        said = "；".join(f"「{x.text.rstrip('。')}」" for x in unplaced)
        left = f"对话中以下内容未纳入本记录，请医师核对（医嘱/计划请写入病程记录）：{said}"
        last.note = "；".join(x for x in (last.note, left) if x)
    if "过敏史" in out and not out["过敏史"].sentences and ctx.allergies:
        out["过敏史"].sentences = [sentence(s.text + "。", span(s)) for s in S.of_kind("allergy")]
        out["过敏史"].note = None
    return out


def _pre_sentences(src: NoteSource) -> list[SentenceOut]:
    """A pre-consultation section's sentences: as written when in plain words; a denial of allergy in any words
    (冇, 啥药都能吃) as 否认药物及食物过敏史; a sentence in dialect (个肚好痛, 冇发烧) through the patient's rewrites,
    or left out — never copied."""
    plain = re.fullmatch(r"\s*(?:无|否认[^。]*|没有|不详)[。.]?\s*", src.text)  # 无 / 否认药物过敏史: kept as written
    if src.section == "过敏史" and not plain and allergy_denied(src.text):
        return [sentence("否认药物及食物过敏史。", span(src, 0, len(src.text)))]
    out = []
    for x in copy_sentences(src):
        if dialect_to_standard(x.text) == x.text and not spoken_marker(x.text) and (
                src.section == "主诉" or not _lay_in_form(x.text)):  # the form's 主诉 has its own composer
            out.append(x)
            continue
        said = _clean_patient(x.text.rstrip("。"))
        if said and not spoken_marker(said):
            out.append(SentenceOut(text=_ensure_stop(said), provenance=x.provenance))
    return out


def _lay_in_form(text: str) -> bool:
    """A form's sentence in lay words the colloquial lexicon rewrites (脚趾缝痒, 脱皮, 后晌): it is reworded like the
    patient's turns, never copied. Frequencies and doses (一天两次) are not lay words here."""
    from yizhu.knowledge.terminology.colloquial import colloquial

    return any(m.entry.kind not in ("frequency", "dose", "route", "brand", "drug_category")
               for m in colloquial().find(text))


def _pre_complaint(S: SourceSet, items: list[SentenceOut]) -> list[SentenceOut]:
    """主诉 from a pre-consultation record: kept when it is already in the record form (≤ 20 字, one phrase);
    else composed from it — the gestational weeks and what was found with its time (孕32周，发现血压升高1天),
    or the symptoms the dialogue gives — never the patient's sentence copied."""
    if not items:
        return []
    first = items[0].text.rstrip("。")
    if (len(first) <= MAX_CHIEF and not re.search(r"[我你俺咱]|了$", first) and not spoken_marker(first)
            and not _lay_complaint(first)):
        return items[:1]
    pre = [x for x in S.of_kind("section") if x.doc_type == PRECONSULT_DOC_TYPE and x.section == "主诉"]
    found = _found_complaint(pre)
    if found is not None:
        pregnancy = _gestation(S)
        if pregnancy is not None and not found[0].startswith("孕"):
            return [sentence(f"{pregnancy[0]}，{found[0]}", pregnancy[1], found[1])]
        return [sentence(found[0], found[1])]
    if pre:
        # the form's words read as the patient's (左边乳房摸到一个小疙瘩，二十天 → 左乳肿物20天): the complaint composer
        # over the form's sentence first, as if said at the start of the visit, pointing at the form's own span
        said = NoteSource(pre[0].id, "turn", pre[0].label, pre[0].text, pre[0].ref, speaker="patient")
        composed = chief_complaint(SourceSet([said, *(x for x in S.items if x.kind != "turn")], S.turns))
        if composed and all(p.source == said.id for x in composed for p in x.provenance if p.kind == "span"):
            return composed
    return [] if len(first) > MAX_CHIEF or _lay_complaint(first) else items[:1]


#: a form's complaint in spoken words: spoken numerals with a unit of time (二十天, 两个多礼拜), or a lay form the
#: shared lexicon rewrites (左边, 摸到一个小疙瘩, 肚子疼) — a record term it only spells otherwise (乳肿物) is not lay,
#: nor is 半年/半月, the record's own wording
_SPOKEN_TIME = re.compile(r"[一二两三四五六七八九十几]+(?:个半|个多|多个|个)?(?:天|日|周|月|年|礼拜|星期|钟头)|礼拜|星期")


def _lay_complaint(text: str) -> bool:
    from yizhu.knowledge.terminology.colloquial import colloquial

    if _SPOKEN_TIME.search(text):
        return True
    return any(not m.entry.lay.endswith(("肿物", "肿块", "结节")) for m in colloquial().find(text))


def implied_sentences(S: SourceSet, stated: list[SentenceOut]) -> list[SentenceOut]:
    """The implied diagnoses not already stated, as 初步诊断 sentences with ICD-10 where known."""
    have = "".join(re.sub(r"（.*?）", "", s.text) for s in stated)
    # 甲状腺右叶结节（TI-RADS 4a类） stated: the implied 甲状腺结节 is the same diagnosis, in the same words but for
    # side, lobe and category (右乳结节 beside 乳腺结节 names the organ otherwise: both are kept, as written)
    from yizhu.knowledge.terminology.dxbase import diagnosis_base

    bases = {b for s in stated for b in diagnosis_base(re.sub(r"（[A-Z]\d{2}[^）]*）$", "", s.text))[:1]}
    out = []
    for dx, code, prov in implied_diagnoses(S, [re.sub(r"（.*?）", "", s.text) for s in stated]):
        core = re.sub(r"^[左右双]侧?", "", dx)
        if core in have or dx in have or core in bases:
            continue
        first = prov[0]
        s = diagnosis_sentence(dx, code, S.by_id[first.source], first.start or 0, first.end)
        out.append(SentenceOut(text=s.text, provenance=[*s.provenance, *prov[1:]]))
    return out


def _qualified(S: SourceSet, items: list[SentenceOut]) -> list[SentenceOut]:
    """Stated items with what the sources say of them elsewhere (慢性乙型肝炎 + HBeAg阴性 → 慢性乙型肝炎（HBeAg阴性）;
    孕37+1周 + 头位 → 孕37+1周，头位), by the `qualify` rules of implied_dx.yaml; the code stays."""
    bare = [re.sub(r"（[A-Z]\d{2}[^）]*）$", "", x.text) for x in items]
    new = qualified_diagnoses(S, bare)
    out = list(items)
    for i, (text, prov) in new.items():
        code = _code_of(items[i])
        out[i] = SentenceOut(text=text + (f"（{code}）" if code else ""), provenance=[*items[i].provenance, *prov])
    return out


def _unique_dx(items: list[SentenceOut]) -> list[SentenceOut]:
    seen: set[str] = set()
    out = []
    for s in items:
        k = re.sub(r"（.*?）", "", s.text)
        if k not in seen:
            seen.add(k)
            out.append(s)
    return out


# ── first progress note from the admission note ──────────────────────────────────────────────


def progress_sections(ctx: ClinicalContext, S: SourceSet) -> dict[str, SectionOut]:
    """病例特点, 拟诊讨论, 诊疗计划 of 首次病程记录 from the admission note."""
    out: dict[str, SectionOut] = {}
    feats: list[SentenceOut] = []
    who = S.by_id.get("patient")
    chief = _first(S.sections("主诉"))
    if chief is not None:
        c = chief.text.strip().rstrip("。")
        prov = [span(chief, 0, len(c))]
        lead = "患者"
        if who is not None:
            lead = f"患者{who.text}"
            prov.append(span(who))
        feats.append(sentence(f"{lead}，因“{c}”入院。", *prov))
    for name, limit, keep in (("现病史", 2, None), ("既往史", 1, None), ("体格检查", 2, None),
                              ("辅助检查", 3, _ABNORMAL)):
        src = _first(S.sections(name))
        if src is not None:
            feats += copy_sentences(src, limit=limit, keep=keep)
    out["病例特点"] = SectionOut(name="病例特点", sentences=feats,
                             note=None if feats else "未找到入院记录，请医师补充")
    dx = _dx_sentences(ctx, S, ("admission", "preliminary"))
    if not dx:
        for src in S.sections("初步诊断"):
            dx = diagnoses_from_section(src)
            if dx:
                break
    disc: list[SentenceOut] = []
    if dx and chief is not None:
        names = "、".join(re.sub(r"（.*?）", "", d.text) for d in dx)
        c = chief.text.strip().rstrip("。")
        prov = [span(chief, 0, len(c))] + [p for d in dx for p in d.provenance]
        disc.append(sentence(f"根据“{c}”的病史特点及查体、辅助检查结果，考虑{names}。", *prov))
    out["拟诊讨论"] = SectionOut(name="拟诊讨论", sentences=disc,
                             note="诊断依据与鉴别诊断需医师补充" if disc else "未找到初步诊断，请医师补充")
    plan_src = _first(S.sections("诊疗计划"))
    plan = copy_sentences(plan_src) if plan_src is not None else []
    if not plan:
        plan = [sentence(_ensure_stop("予" + s.text), span(s)) for s in S.of_kind("order")][:8]
    out["诊疗计划"] = SectionOut(name="诊疗计划", sentences=plan,
                             note=None if plan else "未找到诊疗计划或医嘱，请医师补充")
    return out


def extractive_sections(note_type: str, ctx: ClinicalContext, S: SourceSet, sections: tuple[str, ...]) -> dict[str, SectionOut]:
    """Every section of a note type by rule (the whole draft when no model is configured)."""
    if note_type == "discharge":
        return {**discharge_narrative(ctx, S), **discharge_record_sections(ctx, S)}
    if note_type == "progress":
        return progress_sections(ctx, S)
    return outpatient_sections(ctx, S, sections)


def diagnoses_for(ctx: ClinicalContext) -> list[Diagnosis]:
    """The context's diagnoses (helper for callers that want them with codes)."""
    return list(ctx.diagnoses)
