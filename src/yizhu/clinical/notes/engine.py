"""The drafting engine: sources → sections (model or rules) → grounding check → QC → a NoteDraft.

For each section the model writes, one structured call (``llm_schema(note_type)``): the system
prompt and the numbered sources are identical for every section of a note, only the last line
names the section, so a serving engine's prefix cache is reused across sections. Sections that
must come from the record (diagnoses, discharge medicines) are filled by rule whatever the model.
Every sentence is then checked against the spans it cites (``yizhu.safety.grounding``); flagged
sentences stay in the draft, marked, with their reasons. The rendered draft goes through the QC
engine before anyone sees it and its findings travel with it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import re
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from yizhu.clinical.notes.extractive import diagnosis_sentence, extractive_sections
from yizhu.clinical.notes.sources import SourceSet, build_sources
from yizhu.clinical.notes.speech import CHECKER, GATED, LEFT_OUT, gated_entries, patient_words_left_out
from yizhu.clinical.notes.types import (
    DIALOGUE_DOC_TYPE,
    PRECONSULT_DOC_TYPE,
    SPECS,
    LLMSentence,
    NoteDraft,
    NoteSpec,
    NoteType,
    ProvenanceOut,
    SectionOut,
    SentenceOut,
    SourceOut,
    Usage,
    llm_schema,
    spec_for,
)
from yizhu.core import ClinicalContext, Finding, Provenance, Result, Severity, Span
from yizhu.core.context import age_text, parse_age
from yizhu.errors import InputError, ModelError, ModelUnavailable, YizhuError
from yizhu.safety.entities import drug_not_ordered, extract
from yizhu.safety.grounding import RULE_VERSION, GroundingChecker
from yizhu.safety.omission import (
    OMISSION_SOURCE,
    ItemSource,
    OmissionCheck,
    SourceItem,
    check_omissions,
    source_items,
)
from yizhu.safety.omission import RULE_VERSION as OMISSION_VERSION
from yizhu.safety.omission import summary as omission_summary

if TYPE_CHECKING:
    from yizhu.llm import Gateway

GROUNDING_SOURCE = "yizhu 生成内容溯源核对 (safety.grounding v1): every generated sentence must rest on its cited input"
CHIEF_SOURCE = "《病历书写基本规范》(卫医政发〔2010〕11号) 第十八条: 主诉为促使患者就诊的主要症状（或体征）及持续时间"
LIST_SECTIONS = {"入院诊断", "出院诊断", "初步诊断", "出院医嘱", "诊疗计划", "病例特点"}
MAX_SOURCE_CHARS = 800
MAX_PROMPT_SOURCES_CHARS = 12000
#: a model reply per section rarely needs more; the model's own max_tokens applies if lower
SECTION_MAX_TOKENS = 1024
TITLE_SUFFIX = "（智能草稿，待医师审核）"


# ── options for one run (the Task seam takes only a context) ─────────────────────────────────


@dataclass(frozen=True)
class DraftOptions:
    """How one draft runs: which gateway and model, and who hears each section as it is ready."""

    gateway: Gateway | None = None
    model: str | None = None
    on_section: Callable[[SectionOut], None] | None = None
    use_llm: bool = True


_OPTIONS: ContextVar[DraftOptions | None] = ContextVar("yizhu_note_options", default=None)


@contextlib.contextmanager
def drafting(
    *,
    gateway: Gateway | None = None,
    model: str | None = None,
    on_section: Callable[[SectionOut], None] | None = None,
    use_llm: bool = True,
) -> Iterator[DraftOptions]:
    """Options for the note tasks run inside this block (API handlers and the CLI set them)."""
    opts = DraftOptions(gateway, model, on_section, use_llm)
    token = _OPTIONS.set(opts)
    try:
        yield opts
    finally:
        _OPTIONS.reset(token)


def current_options() -> DraftOptions:
    return _OPTIONS.get() or DraftOptions()


def default_gateway() -> Gateway:
    """The process gateway (``yizhu.llm.runtime``, installed by the app and CLI with the audit sink),
    else one built from yizhu.toml once (routes ending in ``none`` give the rule path)."""
    try:
        from yizhu.llm.runtime import current_gateway

        gw = current_gateway()
    except (ImportError, YizhuError):
        gw = None
    return gw if gw is not None else _built_gateway()


@lru_cache(maxsize=1)
def _built_gateway() -> Gateway:
    from yizhu.config import get_settings
    from yizhu.llm import build_gateway

    return build_gateway(get_settings())


# ── prompts ──────────────────────────────────────────────────────────────────────────────────


def prompt_sources(S: SourceSet) -> list[dict[str, str]]:
    """Sources as the prompt lists them: short ref, label, text (long ones cut, total bounded)."""
    out = []
    total = 0
    for s in S:
        text = s.text if len(s.text) <= MAX_SOURCE_CHARS else s.text[:MAX_SOURCE_CHARS] + "…"
        text = re.sub(r"\s*\n\s*", " ", text)
        total += len(text) + 12
        if total > MAX_PROMPT_SOURCES_CHARS:
            break
        out.append({"ref": s.ref, "label": s.label, "text": text})
    return out


def render_section_prompt(spec: NoteSpec, S: SourceSet, section: str, listed: list[dict[str, str]] | None = None) -> Any:
    """The rendered prompt for one section (``notes_<type>`` template, newest version)."""
    from yizhu.llm.prompts import render_prompt

    return render_prompt(
        f"notes_{spec.type}",
        doc_type=spec.doc_type,
        sections=list(spec.llm_sections),
        guidance=[{"name": n, "hint": spec.hint(n)} for n in spec.llm_sections],
        sources=listed if listed is not None else prompt_sources(S),
        section=section,
        hint=spec.hint(section),
    )


# ── the engine ───────────────────────────────────────────────────────────────────────────────


def _check_inputs(spec: NoteSpec, ctx: ClinicalContext, S: SourceSet) -> None:
    types = {d.doc_type for d in ctx.documents}
    if spec.type in ("outpatient", "admission") and not types & {DIALOGUE_DOC_TYPE, PRECONSULT_DOC_TYPE}:
        raise InputError(
            f"a {spec.doc_type} draft needs a doctor–patient dialogue transcript (lines 医生：/患者：) "
            "or a pre-consultation record; give one as INPUT"
        )
    if spec.type == "progress" and not (S.sections("主诉") or S.sections("现病史")):
        raise InputError("a 首次病程记录 draft needs the admission note (入院记录 with 主诉/现病史); give one as INPUT")
    if spec.type == "discharge" and not (S.of_kind("section") or S.of_kind("order")):
        raise InputError("a 出院记录 draft needs the admission's notes, orders or labs; none were found in INPUT")


def _from_llm(section: str, sentences: list[LLMSentence], S: SourceSet) -> SectionOut:
    out = []
    for s in sentences:
        text = s.text.strip()
        if not text:
            continue
        prov = []
        for ref in s.sources:
            src = S.resolve(ref)
            if src is not None and all(p.source != src.id for p in prov):
                prov.append(ProvenanceOut(kind="span", source=src.id, start=0, end=len(src.text)))
        out.append(SentenceOut(text=text, provenance=prov))
    return SectionOut(name=section, origin="llm", sentences=out,
                      note=None if out else "模型认为资料中没有此段内容，请医师补充")


def _normalise_dx(section: SectionOut) -> None:
    """Diagnosis sentences the model wrote get their ICD-10 code and a knowledge citation."""
    fixed = []
    for s in section.sentences:
        dx = [m for m in extract(s.text) if m.type == "diagnosis" and not m.negated]
        if dx and not any(p.kind == "citation" for p in s.provenance) and not re.search(r"[A-Z]\d{2}", s.text):
            ref = diagnosis_sentence(dx[0].text, None, _Stub())
            cites = [p for p in ref.provenance if p.kind == "citation"]
            code = ref.text[len(dx[0].text):]
            s = s.model_copy(update={
                "text": s.text.rstrip("。") + (code if code else ""),
                "provenance": s.provenance + cites,
            })
        fixed.append(s)
    section.sentences = fixed


class _Stub:
    id = "model"
    text = ""


def _ground(section: SectionOut, checker: GroundingChecker) -> None:
    for i, s in enumerate(section.sentences):
        spans = [(p.source, p.start, p.end) for p in s.provenance if p.kind == "span"]
        verdict = checker.check(s.text, spans or None)
        prov: list[ProvenanceOut] = []
        keys: set[tuple[str, int | None, int | None]] = set()
        covered = {e.source for e in verdict.evidence}
        for e in verdict.evidence:
            k = (e.source, e.start, e.end)
            if k not in keys:
                keys.add(k)
                prov.append(ProvenanceOut(kind="span", source=e.source, start=e.start, end=e.end))
        for p in s.provenance:
            k = (p.source, p.start, p.end)
            if p.kind == "citation" or (p.source not in covered and k not in keys):
                keys.add(k)
                prov.append(p)
        section.sentences[i] = s.model_copy(update={"status": verdict.status, "reasons": verdict.reasons, "provenance": prov})


def render(spec: NoteSpec, ctx: ClinicalContext, sections: list[SectionOut], *, synthetic: bool = False) -> tuple[str, dict[tuple[int, int], tuple[int, int]]]:
    """The draft as a printed note, and where each (section, sentence) sits in it."""
    lines = [spec.doc_type + TITLE_SUFFIX]
    if synthetic:
        lines.append("【合成病历 / synthetic record — 非真实患者】")
    head = []
    p, e = ctx.patient, ctx.encounter
    if p is not None:
        if p.name:
            head.append(f"姓名：{p.name}")
        if p.sex.value != "unknown":
            head.append(f"性别：{'男' if p.sex.value == 'male' else '女'}")
        if p.age_years is not None:
            head.append(f"年龄：{age_text(p.age_years)}")
    if e is not None:
        if e.department:
            head.append(f"科别：{e.department}")
        if p is not None and p.mrn:
            head.append(("门诊号：" if e.encounter_class.value == "outpatient" else "住院号：") + p.mrn)
        if e.admitted_at and spec.type != "outpatient":
            head.append(f"入院日期：{e.admitted_at:%Y-%m-%d %H:%M}")
        if e.discharged_at and spec.type == "discharge":
            head.append(f"出院日期：{e.discharged_at:%Y-%m-%d %H:%M}")
    if head:
        lines.append("　".join(head))
    text = "\n".join(lines) + "\n"
    where: dict[tuple[int, int], tuple[int, int]] = {}
    for si, sec in enumerate(sections):
        text += f"{sec.name}："
        if not sec.sentences:
            text += f"（{sec.note or '待补充'}）\n"
            continue
        if sec.name in LIST_SECTIONS:
            text += "\n"
            for k, s in enumerate(sec.sentences):
                text += f"{k + 1}. "
                where[(si, k)] = (len(text), len(text) + len(s.text))
                text += s.text + "\n"
        else:
            for k, s in enumerate(sec.sentences):
                where[(si, k)] = (len(text), len(text) + len(s.text))
                text += s.text
            text += "\n"
    return text, where


def _grounding_findings(sections: list[SectionOut], where: dict[tuple[int, int], tuple[int, int]]) -> list[Finding]:
    out = []
    for si, sec in enumerate(sections):
        for k, s in enumerate(sec.sentences):
            if s.status == "supported":
                continue
            a, b = where.get((si, k), (0, 0))
            label = "与来源矛盾" if s.status == "contradicted" else "来源中找不到依据"
            out.append(Finding(
                rule_id=f"safety.grounding.{s.status}.{RULE_VERSION}",
                severity=Severity.major if s.status == "contradicted" else Severity.moderate,
                category="grounding",
                message=f"{sec.name}：{label}——{'；'.join(s.reasons) or s.text}",
                evidence=Span(start=a, end=b, text=s.text, source="draft"),
                section=sec.name,
                source=GROUNDING_SOURCE,
                model_generated=sec.origin == "llm",
                data={"sentence": k, "status": s.status},
            ))
    return out


def _chief_findings(sections: list[SectionOut]) -> list[Finding]:
    out = []
    for sec in sections:
        if sec.name != "主诉" or not sec.sentences:
            continue
        text = "".join(s.text for s in sec.sentences).rstrip("。")
        if len(text) > 20:
            out.append(Finding(rule_id="notes.chief_complaint.length.v1", severity=Severity.minor,
                               category="standardisation", message=f"主诉超过20字（{len(text)}字），请精简",
                               section="主诉", source=CHIEF_SOURCE))
        if not re.search(r"\d|[一二两三四五六七八九十半数]\s*(?:个)?(?:天|日|周|月|年|小时|分钟)", text):
            out.append(Finding(rule_id="notes.chief_complaint.duration.v1", severity=Severity.minor,
                               category="completeness", message="主诉缺少持续时间", section="主诉",
                               source=CHIEF_SOURCE))
    return out


def draft_note(
    note_type: str,
    ctx: ClinicalContext,
    *,
    gateway: Gateway | None = None,
    model: str | None = None,
    on_section: Callable[[SectionOut], None] | None = None,
    use_llm: bool = True,
) -> NoteDraft:
    """Draft one note of ``note_type`` from a context; sections stream to ``on_section`` as ready."""
    spec = spec_for(note_type)
    S = build_sources(ctx)
    _check_inputs(spec, ctx, S)
    checker = GroundingChecker(S.grounding_sources())
    left_out_words = LEFT_OUT.set([])  # the patient's words the rules could not put in record wording
    gated_words = GATED.set([])  # the patient's clauses the register gate rebuilt or left out
    checking = CHECKER.set(checker)  # a rebuilt clause is written only when grounding supports it
    degraded: list[str] = []
    usage = Usage()
    rules: dict[str, SectionOut] | None = None

    def rule_sections() -> dict[str, SectionOut]:
        nonlocal rules
        if rules is None:
            rules = extractive_sections(spec.type, ctx, S, spec.sections)
        return rules

    task = f"notes.{spec.type}"
    llm_on = use_llm and gateway is not None and (model is not None or gateway.has_model(task))
    if not llm_on:
        degraded.append("no_llm")
    listed = prompt_sources(S) if llm_on else []
    model_used: str | None = None
    sections: list[SectionOut] = []
    for name in spec.sections:
        sec: SectionOut | None = None
        if name in spec.record_sections:
            sec = rule_sections()[name].model_copy(deep=True)
        elif llm_on:
            assert gateway is not None
            sec = _llm_section(gateway, spec, S, name, listed, model, ctx, usage, degraded)
            if sec is None and any(d in degraded for d in ("no_llm", "llm_unavailable")):
                llm_on = False  # no model answers: the rest of the note by rule, without more attempts
            if sec is not None:
                model_used = usage.calls[-1]["model"] if usage.calls else model_used
        if sec is None:
            sec = rule_sections()[name].model_copy(deep=True)
            sec.origin = "extractive" if sec.origin != "record" else "record"
        if name in ("初步诊断",) and sec.origin == "llm":
            _normalise_dx(sec)
        _ground(sec, checker)
        sections.append(sec)
        if on_section is not None:
            on_section(sec)

    synthetic = bool((ctx.patient and ctx.patient.synthetic) or any(d.synthetic for d in ctx.documents))
    text, where = render(spec, ctx, sections, synthetic=synthetic)
    findings = _grounding_findings(sections, where) + _chief_findings(sections)
    omissions = omission_checks(spec, ctx, S, sections)
    findings += _omission_findings(omissions)
    words_left_out = patient_words_left_out(S, LEFT_OUT.get() or [])
    LEFT_OUT.reset(left_out_words)
    register = gated_entries(S, GATED.get() or [])
    GATED.reset(gated_words)
    CHECKER.reset(checking)
    rx_alerts: list[dict[str, Any]] = []
    if spec.type == "discharge":
        try:
            alerts, rx_found = discharge_rx_review(ctx, sections)
            rx_alerts = alerts
            findings += rx_found
            serious = [a for a in alerts if a["severity"] in ("contraindicated", "major")]
            for sec in sections:
                if sec.name == "出院医嘱" and serious:
                    said = "；".join(a["message"] for a in serious)
                    sec.note = "；".join(x for x in (sec.note, f"审方提示：{said}") if x)
        except Exception as exc:  # review must not hide the draft; its failure is shown
            degraded.append(f"rx_review_failed:{type(exc).__name__}")
    qc: dict[str, Any] = {}
    try:
        from yizhu.clinical.qc import check_document

        report = check_document(text, doc_id="draft", context=ctx.model_copy(update={"documents": []}))
        for f in report.findings:
            findings.append(f.model_copy(update={"data": {**f.data, "from": "qc"}}))
        qc = {"score": report.score, "grade": report.grade, "rules_version": report.rules_version}
    except Exception as exc:  # QC must not hide the draft; the failure is shown as a degraded flag
        degraded.append(f"qc_failed:{type(exc).__name__}")
    from yizhu.clinical.qc import finding_json

    return NoteDraft(
        type=spec.type,
        doc_type=spec.doc_type,
        sections=sections,
        findings=[{**finding_json(f), "data": f.data} for f in findings],
        model=model_used,
        degraded=list(dict.fromkeys(degraded)),
        text=text,
        qc=qc,
        sources=[SourceOut(id=s.id, kind=s.kind, label=s.label, text=s.text, ref=s.ref) for s in S],
        usage=usage,
        synthetic=synthetic,
        omissions=[o.as_dict() for o in omissions if o.status != "included"] + words_left_out,
        coverage=omission_summary(omissions),
        register_gate=register,
        rx_alerts=rx_alerts,
    )


# ── omissions and the review of drafted discharge medicines ─────────────────────────────────


def item_sources(spec: NoteSpec, ctx: ClinicalContext, S: SourceSet) -> list[ItemSource]:
    """The sources as the omission check reads them (active medication orders only; abnormal labs)."""
    from yizhu.clinical.notes.extractive import HOME_ROUTES
    from yizhu.core import MedicationOrder

    orders = {f"order:{o.id or i + 1}": o for i, o in enumerate(ctx.orders)}
    labs = {f"lab:{i + 1}": lab for i, lab in enumerate(ctx.labs)}
    out = []
    for s in S:
        if s.kind in ("diagnosis", "allergy"):
            out.append(ItemSource(s.id, s.text, s.kind))
        elif s.kind == "order":
            o = orders.get(s.id)
            if not isinstance(o, MedicationOrder) or o.status != "active":
                continue
            if spec.type == "discharge" and (o.route or "").lower() not in HOME_ROUTES and (o.route or "") not in HOME_ROUTES:
                continue  # an infusion stopped at discharge is not a discharge medicine
            out.append(ItemSource(s.id, s.text, "medication"))
        elif s.kind == "lab":
            lab = labs.get(s.id)
            out.append(ItemSource(s.id, s.text, "lab", abnormal=bool(lab and lab.flag not in (None, "N"))))
        elif s.kind == "section":
            out.append(ItemSource(s.id, s.text, "section", section=s.section))
        elif s.kind == "turn":
            out.append(ItemSource(s.id, s.text, "turn", speaker=s.speaker))
    return out


def omission_checks(spec: NoteSpec, ctx: ClinicalContext, S: SourceSet, sections: list[SectionOut]) -> list[OmissionCheck]:
    """Every diagnosis, medication, allergy, key result and plan item of the sources against the draft."""
    items = source_items(item_sources(spec, ctx, S))
    items += dialogue_items(S, items)  # every order and dictated result of the doctor's turns
    if spec.type == "discharge":
        # the latest value of an abnormal lab is the key result; earlier ones of the same test are history
        latest: dict[str, SourceItem] = {}
        for it in items:
            if it.kind == "result" and it.source.startswith("lab:"):
                latest[min(it.keys) if it.keys else it.text] = it
        keep = {id(x) for x in latest.values()}
        items = [it for it in items if not (it.kind == "result" and it.source.startswith("lab:")) or id(it) in keep]
    body = "\n".join(s.text for sec in sections for s in sec.sentences)
    notes = [sec.note for sec in sections if sec.note]
    checks = check_omissions(items, body, notes=notes)
    if not set(spec.sections) & PLAN_SECTIONS:
        # 入院记录 has no plan section (病历书写基本规范 第十八条): what the doctor ordered is listed as left out,
        # for the 首次病程记录's 诊疗计划, not lost silently nor raised as a defect of this note
        doctor = {s.id for s in S.of_kind("turn") if s.speaker == "doctor"}
        for c in checks:
            # a medicine the doctor orders at admission (阿替普酶, 艾司奥美拉唑) is such an order too
            ordered = c.item.kind == "plan" or (c.item.kind == "medication" and c.item.source in doctor)
            # (listed in the draft's own note of what it did not place, or not shown at all)
            if ordered and (c.status == "omitted" or c.reason == "草稿注明未列入"):
                c.status = "left_out"
                c.reason = f"{spec.doc_type}无诊疗计划部分：「{c.item.text}」未列入，请写入首次病程记录的诊疗计划"
    return checks


def dialogue_items(S: SourceSet, have: list[SourceItem]) -> list[SourceItem]:
    """The doctor's orders (``orders.order_items``) and dictated results (``findings.result_items``) that the
    general item reader did not already list (same kind and key, or an overlapping span of the same turn)."""
    from yizhu.clinical.notes.findings import result_items
    from yizhu.clinical.notes.orders import order_items

    out: list[SourceItem] = []
    for it in order_items(S) + result_items(S):
        for i, o in enumerate(have):
            # 低分子肝素 where the item reader listed only the pack's 肝素: the product's whole name is the item
            if it.kind == o.kind == "medication" and o.source == it.source and it.start <= o.start and o.end <= it.end \
                    and len(it.text) > len(o.text):
                have[i] = dataclasses.replace(o, text=it.text, start=it.start, end=it.end, keys=o.keys | it.keys)
        clash = any(o.kind == it.kind and ((it.kind == "medication" and o.keys & it.keys) or (
            o.source == it.source and o.start < it.end and it.start < o.end)) for o in (*have, *out))
        if not clash:
            out.append(it)
    return out


#: sections where a note carries what the doctor ordered
PLAN_SECTIONS = {"处理意见", "诊疗计划", "出院医嘱"}


def _omission_findings(checks: list[OmissionCheck]) -> list[Finding]:
    out = []
    for c in checks:
        if c.status != "omitted":
            continue
        sev = Severity.major if c.item.kind in ("diagnosis", "allergy", "medication") else Severity.moderate
        out.append(Finding(
            rule_id=f"safety.omission.{c.item.kind}.{OMISSION_VERSION}", severity=sev, category="omission",
            message=c.reason, source=OMISSION_SOURCE,
            data={"kind": c.item.kind, "item": c.item.text, "source_id": c.item.source,
                  "start": c.item.start, "end": c.item.end},
        ))
    return out


_DOSE = re.compile(r"(?P<dose>\d+(?:\.\d+)?)\s*(?P<unit>mg|g|μg|ug|mcg|ml|iu|u|万u|片|粒|袋|支|喷|吸)(?![a-z])", re.I)
_ROUTE = re.compile(r"(?<![a-z])(po|iv|ivgtt|ih|im|sl|inh)(?![a-z])|口服|静滴|静脉滴注|皮下注射|肌注|吸入|外用|舌下含服", re.I)
_FREQ = re.compile(r"(?<![a-z])(qd|bid|tid|qid|qn|qod|qw|q\d{1,2}h|prn|st)(?![a-z])|每日[一二三四1234]次|每晚", re.I)
_DAYS = re.compile(r"[×x*]\s*(\d+)\s*(?:天|日|d)")
#: a dose time written in words (门冬胰岛素 三餐前各6U, 甘精胰岛素 14U 睡前) as the frequency it means
_TIMING = {"三餐前": "tid", "每餐前": "tid", "三餐时": "tid", "三餐中": "tid", "早晚餐前": "bid", "早晚": "bid",
           "早餐前": "qd", "睡前": "qn"}
_TIMING_RX = re.compile("|".join(sorted(_TIMING, key=len, reverse=True)))


def order_from_text(text: str, order_id: str) -> Any:
    """A medication line as written (头孢呋辛酯片 0.25g po bid×7天) → a MedicationOrder, or None."""
    from yizhu.core import MedicationOrder

    # 终身禁用卡马西平 / 停用阿司匹林 / 避免NSAIDs: a prohibition names a drug but orders nothing
    drugs = [m for m in extract(text) if m.type == "drug" and not m.negated and not drug_not_ordered(text, m.start, m.end)]
    if not drugs:
        return None
    d = drugs[0]
    rest = text[d.end:]
    dose, route, freq, days = _DOSE.search(rest), _ROUTE.search(rest), _FREQ.search(rest), _DAYS.search(rest)
    drug = re.sub(r"[，,。；;\s]+$", "", text[d.start:d.end + (dose.start() if dose else 0)]).strip() or d.text
    drug = re.split(r"[\s\u3000]", drug)[0]  # 门冬胰岛素注射液 三餐前各: the name ends where the words of its use begin
    timing = _TIMING_RX.search(rest) if freq is None else None
    return MedicationOrder(
        id=order_id, text=text.rstrip("。"), drug=drug, status="active",
        dose=float(dose.group("dose")) if dose else None, unit=dose.group("unit") if dose else None,
        route=route.group(0) if route else None,
        frequency=freq.group(0) if freq else (_TIMING[timing.group(0)] if timing else None),
        days=float(days.group(1)) if days else None,
    )


def review_context(ctx: ClinicalContext, extra_orders: list[Any]) -> ClinicalContext:
    """The context the discharge medicines are reviewed in: structured data, and what the notes say when the
    record came as printed notes (labs with values, allergies, diagnoses, age and sex from the header)."""
    from yizhu.core import AllergyIntolerance, Diagnosis, LabResult, Patient
    from yizhu.core.parsing import parse_document

    labs, allergies, diagnoses = list(ctx.labs), list(ctx.allergies), list(ctx.diagnoses)
    patient = ctx.patient
    # weight and height the dose and kidney checks need, from every note of the encounter (体重22kg in the
    # 入院记录's 体格检查); listed before the structured labs, which stay the later (preferred) values
    labs = [m for doc in ctx.documents for m in body_measurements(doc.text, doc.recorded_at)] + labs
    if extra_orders:
        from yizhu.knowledge.terminology import extract as term_extract

        seen_dx = {d.text for d in diagnoses}
        for doc in ctx.documents:
            parsed = doc if doc.sections else parse_document(doc.text, doc_id=doc.id or "doc")
            header = parsed.header or {}
            if patient is None and (header.get("年龄") or header.get("性别")):
                sex = {"男": "male", "女": "female"}.get(str(header.get("性别") or "").strip(), "unknown")
                patient = Patient(id="from-notes", sex=sex, age_years=parse_age(str(header.get("年龄") or "")))
            for sec in parsed.sections:
                if not labs_from_text_wanted(sec.name):
                    continue
                for e in term_extract(sec.text, types=["lab"]):
                    try:
                        value = float(str(e.value))
                    except (TypeError, ValueError):
                        continue
                    labs.append(LabResult(name=e.name or e.text, value=value, unit=e.unit, observed_at=doc.recorded_at))
                from yizhu.clinical.notes.course import drug_reactions

                for r in drug_reactions(sec.text):  # 口服阿莫西林后出现荨麻疹: the drug is an allergen of the review
                    if sec.name not in ("出院医嘱", "出院带药") and all(a.substance != r.drug for a in allergies):
                        allergies.append(AllergyIntolerance(substance=r.drug, reaction=r.reaction))
                for it in source_items([ItemSource(sec.name, sec.text, "section", section=sec.name)]):
                    if it.kind == "allergy" and all(a.substance != it.text for a in allergies):
                        allergies.append(AllergyIntolerance(substance=it.text))
                    elif it.kind == "diagnosis" and it.text not in seen_dx:
                        seen_dx.add(it.text)
                        diagnoses.append(Diagnosis(text=it.text, kind="discharge" if "出院" in sec.name else "admission"))
    return ctx.model_copy(update={"orders": [*ctx.orders, *extra_orders], "labs": labs, "allergies": allergies,
                                  "diagnoses": diagnoses, "patient": patient})


_BODY = re.compile(r"(?P<what>体重|身高)\s*[:：为是约]?\s*(?P<v>\d{1,3}(?:\.\d+)?)\s*(?P<u>kg|公斤|千克|cm|厘米)(?![a-z])",
                   re.I)


def body_measurements(text: str, when: datetime | None = None) -> list[Any]:
    """体重/身高 with a value and unit written in a note (体重22kg, 身高 118 cm) as lab rows the review reads."""
    from yizhu.core import LabResult

    out = []
    for m in _BODY.finditer(text):
        unit = {"公斤": "kg", "千克": "kg", "厘米": "cm"}.get(m.group("u"), m.group("u").lower())
        if (m.group("what") == "体重") != (unit == "kg"):
            continue  # 体重 in cm: not a measurement
        out.append(LabResult(name=m.group("what"), value=float(m.group("v")), unit=unit, observed_at=when))
    return out


def labs_from_text_wanted(section: str) -> bool:
    return section not in ("主诉", "既往史", "家族史", "个人史", "婚育史", "月经史")


def _reminder(a: Any) -> bool:
    """A minor alert that asks nothing of the discharging doctor: the drug's class is high-alert, the dose is
    already the kidney regimen (利伐沙班 10 mg qd at CrCl 34), a Beers caution. It is not raised on the draft;
    a minor alert that something is missing (no weight for a child's dose) still is."""
    if a.severity != "minor":
        return False
    return a.type in ("high_alert", "geriatric") or (a.type == "renal" and "already_adjusted_to" in a.evidence)


def discharge_rx_review(ctx: ClinicalContext, sections: list[SectionOut]) -> tuple[list[dict[str, Any]], list[Finding]]:
    """Prescription review (``yizhu.clinical.rx.review``) of the medicines the draft sends home, with the
    patient's labs, allergies and diagnoses: an alert (metformin at eGFR 26) travels with the draft."""
    from yizhu.clinical.rx import alert_finding, review

    cited = {p.source for sec in sections if sec.name == "出院医嘱" for s in sec.sentences for p in s.provenance
             if p.kind == "span" and p.source.startswith("order:")}
    # source id order:<id or n> → the id the review gives the same order (its id, or o<n>)
    rx_id = {f"order:{o.id or i + 1}": (o.id or f"o{i + 1}") for i, o in enumerate(ctx.orders)}
    focus_ids = {rx_id[sid] for sid in cited if sid in rx_id}
    written = [s.text for sec in sections if sec.name == "出院医嘱" for s in sec.sentences
               if not any(p.kind == "span" and p.source.startswith(("order:", "allergy:")) for p in s.provenance)
               and "过敏" not in s.text]
    extra_orders = [o for i, t in enumerate(written) if (o := order_from_text(t, f"dc{i + 1}")) is not None]
    focus_ids |= {o.id for o in extra_orders if o.id}
    if not focus_ids:
        return [], []
    result = review(review_context(ctx, extra_orders), focus=focus_ids)
    alerts = [a for a in result.alerts if set(a.orders) & focus_ids and not _reminder(a)]
    found = []
    for a in alerts:
        f = alert_finding(a)
        found.append(f.model_copy(update={"section": "出院医嘱", "data": {**f.data, "from": "rx"}}))
    return [a.model_dump(mode="json") for a in alerts], found


def _llm_section(
    gateway: Gateway,
    spec: NoteSpec,
    S: SourceSet,
    name: str,
    listed: list[dict[str, str]],
    model: str | None,
    ctx: ClinicalContext,
    usage: Usage,
    degraded: list[str],
) -> SectionOut | None:
    from yizhu.llm.types import GenParams
    from yizhu.privacy.known import record_identifiers

    prompt = render_section_prompt(spec, S, name, listed)
    usage.prompt_id, usage.prompt_version, usage.prompt_sha256 = prompt.template_id, prompt.version, prompt.sha256
    schema = llm_schema(spec.type)
    try:
        reply = gateway.structured(
            f"notes.{spec.type}", prompt, schema,
            patient_key=ctx.patient.id if ctx.patient else None,
            identifiers=record_identifiers(ctx),
            params=GenParams(temperature=0.0, max_tokens=SECTION_MAX_TOKENS),
            model=model,
        )
    except ModelUnavailable as exc:
        degraded.append(exc.degraded)
        return None
    except ModelError as exc:
        degraded.append(f"llm_failed:{name}")
        usage.calls.append({"section": name, "error": type(exc).__name__, "model": model})
        return None
    c = reply.completion
    usage.llm_calls += 1
    usage.prompt_tokens += c.prompt_tokens or 0
    usage.completion_tokens += c.completion_tokens or 0
    usage.calls.append({"section": name, "model": c.model, "model_id": c.model_id, "prompt_tokens": c.prompt_tokens,
                        "completion_tokens": c.completion_tokens, "latency_ms": c.latency_ms, "repairs": c.repairs})
    degraded.extend(c.degraded)
    return _from_llm(name, list(getattr(reply.value, "sentences", [])), S)


# ── Task seam ────────────────────────────────────────────────────────────────────────────────


class NoteTask:
    """病历生成 for one note type: a grounded, QC-checked draft (``Result.output`` is the NoteDraft)."""

    note_type: NoteType = "discharge"
    version = "1.0.0"
    #: only clinicians draft and sign notes (see yizhu.clinical.registry.task_roles)
    run_roles = ("clinician",)
    decide_roles = ("clinician",)
    decisions = ("accept", "edit", "reject")

    @property
    def name(self) -> str:
        return f"notes.{self.note_type}"

    def run(self, ctx: ClinicalContext) -> Result:
        """Draft with the options of the enclosing ``drafting(...)`` block (else the process gateway)."""
        opts = current_options()
        gateway = opts.gateway
        if gateway is None and opts.use_llm:
            gateway = default_gateway()
        draft = draft_note(self.note_type, ctx, gateway=gateway, model=opts.model, on_section=opts.on_section,
                           use_llm=opts.use_llm)
        return draft_result(self.name, self.version, draft)


def draft_result(task: str, version: str, draft: NoteDraft) -> Result:
    """A NoteDraft as the Task seam's Result (findings as Finding objects, provenance flattened)."""
    findings = []
    for f in draft.findings:
        findings.append(Finding(
            rule_id=f["rule_id"], severity=Severity(f["severity"]), category=f["category"], message=f["message"],
            evidence=Span(start=f["start"], end=f["end"], source="draft") if f.get("start") is not None else None,
            section=f.get("section"), source=f["source"], model_generated=f.get("model_generated", False),
            data=f.get("data") or {},
        ))
    prov = []
    seen: set[tuple[str, str, int | None, int | None]] = set()
    for sec in draft.sections:
        for s in sec.sentences:
            for p in s.provenance:
                k = (p.kind, p.source, p.start, p.end)
                if k not in seen:
                    seen.add(k)
                    prov.append(Provenance(kind=p.kind, source=p.source, start=p.start, end=p.end))
    u = draft.usage
    pv = f"{u.prompt_id}.{u.prompt_version}@{u.prompt_sha256[:12]}" if u.prompt_sha256 and u.llm_calls else None
    return Result(task=task, task_version=version, output=draft.model_dump(mode="json"), findings=findings,
                  provenance=prov, degraded=draft.degraded, model=draft.model, prompt_version=pv)


class DischargeNoteTask(NoteTask):
    """出院记录 from an admission's notes, orders and labs."""

    note_type: NoteType = "discharge"


class OutpatientNoteTask(NoteTask):
    """门诊病历 from a doctor–patient dialogue (and a pre-consultation record)."""

    note_type: NoteType = "outpatient"


class AdmissionNoteTask(NoteTask):
    """入院记录 from a doctor–patient dialogue (and a pre-consultation record)."""

    note_type: NoteType = "admission"


class ProgressNoteTask(NoteTask):
    """首次病程记录 from the admission note."""

    note_type: NoteType = "progress"


TASKS: dict[str, type[NoteTask]] = {
    "discharge": DischargeNoteTask,
    "outpatient": OutpatientNoteTask,
    "admission": AdmissionNoteTask,
    "progress": ProgressNoteTask,
}


def dialogue_context(
    transcript: str | None, *, pre_consultation: str | None = None, base: ClinicalContext | None = None
) -> ClinicalContext:
    """A context holding a dialogue transcript and/or a pre-consultation record as documents."""
    from yizhu.clinical.notes.preconsult import parse_preconsult
    from yizhu.clinical.notes.transcript import parse_transcript
    from yizhu.core import ClinicalDocument
    from yizhu.core.parsing import parse_document

    docs = list(base.documents) if base else []
    if transcript:
        parse_transcript(transcript)  # fail early, naming the format the user must give
        synthetic = "合成" in transcript[:200] or "synthetic" in transcript[:200].lower()
        docs.append(ClinicalDocument(id="dialogue", doc_type=DIALOGUE_DOC_TYPE, text=transcript, synthetic=synthetic,
                                     recorded_at=datetime.now().replace(microsecond=0)))
    if pre_consultation:
        parsed = parse_preconsult(pre_consultation, doc_id="preconsult", doc_type=PRECONSULT_DOC_TYPE)
        if not any(s.known for s in parsed.sections):  # not a form: read as a note with record headings
            parsed = parse_document(pre_consultation, doc_id="preconsult").model_copy(
                update={"doc_type": PRECONSULT_DOC_TYPE})
        docs.append(parsed)
    if not docs:
        raise InputError("give a dialogue transcript (lines 医生：/患者：) or a pre-consultation record")
    ctx = base or ClinicalContext()
    return ctx.model_copy(update={"documents": docs})


__all__ = [
    "SPECS",
    "AdmissionNoteTask",
    "DischargeNoteTask",
    "DraftOptions",
    "NoteTask",
    "OutpatientNoteTask",
    "ProgressNoteTask",
    "current_options",
    "default_gateway",
    "dialogue_context",
    "draft_note",
    "draft_result",
    "drafting",
    "render",
    "render_section_prompt",
]
