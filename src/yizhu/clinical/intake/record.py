"""The pre-consultation record for the doctor: 主诉 (≤ 20 字, with duration), 现病史, 既往史, 过敏史, 用药史
(and 月经史 where asked), in note style; every sentence names the answers (``seq``) it was written from.

Only what the patient said is written; what was not asked is said to be not asked, never filled in.
``as_text`` gives the record with section headings, the form the note drafting reads as its
``预问诊记录`` source (docs/notes.md).
"""

from __future__ import annotations

from typing import Any

from yizhu.clinical.intake.engine import Answered, Engine, Interview, default_engine

CC_MAX = 20
NOT_ASKED = "（预问诊未问及）"


def _s(text: str, *answers: Answered | None) -> dict[str, Any]:
    return {"text": text, "sources": sorted({a.seq for a in answers if a is not None})}


def _join(items: list[str]) -> str:
    return "、".join(dict.fromkeys(i for i in items if i))


def chief_complaint(iv: Interview, eng: Engine) -> dict[str, Any]:
    """The complaint's symptoms in clinical terms (the symptom pack's names, at most two), else the
    interview's name for it, with the duration: 胸痛2周, 尿频、尿痛2天."""
    by = {a.slot: a for a in iv.answers}
    cc_ans, dur = by.get("complaint"), by.get("duration")
    prof = eng.profile(iv)
    found = _symptoms_of(iv.complaint or "")
    name = "、".join(found[:2]) if found else (prof.name if prof.id != "general" else (iv.complaint or "不适")[:10])
    duration = dur.duration if dur is not None and dur.duration else None
    if dur is not None and not duration and dur.text:
        duration = dur.text[:6]
    text = f"{name}{duration or ''}"
    if len(text) > CC_MAX:
        text = text[:CC_MAX]
    return _s(text, cc_ans, dur if duration else None)


def _symptoms_of(text: str) -> list[str]:
    """Symptom-pack names found in the complaint (negation-aware), in the order the patient said them."""
    from yizhu.clinical.triage.engine import _symptom_terms
    from yizhu.clinical.triage.knowledge import find_terms
    from yizhu.knowledge.terminology.colloquial import normalise
    from yizhu.knowledge.terminology.text import fold

    out: list[tuple[int, int, str]] = []
    for t in dict.fromkeys([fold(text), fold(normalise(text).text)]):
        for term, name, _depts, _rf in _symptom_terms():
            hits = [h for h in find_terms(t, [term]) if not h.negated]
            if hits and all(name != n for _, _, n in out) and not any(a <= hits[0].start < b for a, b, _ in out):
                out.append((hits[0].start, hits[0].end, name))
        if out:
            break
    return [n for _, _, n in sorted(out)]


def _symptom_of(text: str) -> str | None:
    found = _symptoms_of(text)
    return found[0] if found else None


def build_record(iv: Interview, eng: Engine | None = None) -> dict[str, Any]:
    eng = eng or default_engine()
    by = {a.slot: a for a in iv.answers}
    prof = eng.profile(iv) if iv.complaint else None
    cc = chief_complaint(iv, eng) if iv.complaint else _s("（未填写）")
    name = cc["text"]
    sym = (prof.name if prof is not None and prof.id != "general" else None) or _symptom_of(iv.complaint or "") or "不适"
    hpi: list[dict[str, Any]] = []
    dur, onset = by.get("duration"), by.get("onset")
    if dur is not None or onset is not None:
        when = f"{dur.duration}前" if dur is not None and dur.duration else ""
        how = {"突然": "突然", "逐渐": "逐渐", "反复": "反复"}.get(onset.positives[0], "") if onset and onset.positives else ""
        hpi.append(_s(f"患者{when}{how}出现{sym}。", by.get("complaint"), dur, onset))
    elif iv.complaint:
        hpi.append(_s(f"患者自诉{iv.complaint.strip('。')}。", by.get("complaint")))
    if dur is not None and not dur.duration and dur.text:
        hpi.append(_s(f"病程（患者原话）：{dur.text}。", dur))
    parts, src = [], []
    if (site := by.get("site")) and site.positives:
        parts.append(f"部位在{_join(site.positives)}")
        src.append(site)
    if (ch := by.get("character")) and ch.positives:
        parts.append(f"性质为{_join(ch.positives)}")
        src.append(ch)
    if (sev := by.get("severity")) and (sev.positives or sev.score is not None):
        word = sev.positives[0] if sev.positives else ""
        score = f"（约{sev.score}/10分）" if sev.score is not None else ""
        parts.append(f"{word}{score}")
        src.append(sev)
    if parts:
        hpi.append(_s("，".join(parts) + "。", *src))
    for slot in ("site", "character", "severity"):
        a = by.get(slot)
        if a is not None and not a.positives and a.text and not a.none and a.score is None:
            hpi.append(_s(f"（患者原话）{a.text}。", a))
    if (mod := by.get("modifiers")) is not None:
        if mod.positives:
            hpi.append(_s("，".join(mod.positives) + "。", mod))
        elif mod.none:
            hpi.append(_s("加重及缓解因素不明显。", mod))
        if mod.text and not mod.positives and not mod.none:
            hpi.append(_s(f"诱因（患者原话）：{mod.text}。", mod))
    if (asc := by.get("associated")) is not None:
        if asc.positives:
            hpi.append(_s(f"伴{_join(asc.positives)}。", asc))
        if asc.negatives:
            hpi.append(_s(f"无{_join(asc.negatives)}。", asc))
        if asc.text and not asc.positives and not asc.negatives:
            hpi.append(_s(f"伴随情况（患者原话）：{asc.text}。", asc))
    if (co := by.get("course")) is not None:
        said = co.positives[0] if co.positives else (co.text or "")
        if said:
            extra = f"（{co.text}）" if co.positives and co.text else ""
            hpi.append(_s(f"{said}{extra}。", co))
    if iv.status == "red_flag" and iv.red_flag:
        rf = iv.red_flag
        last = next((a for a in iv.answers if a.seq == rf.get("after_answer")), None)
        hpi.append(_s(f"预问诊中发现红旗征：{rf['name']}（依据：{'、'.join(rf['evidence'])}），已提示患者立即急诊/拨打120，问诊中止。",
                      last))
    sections = [{"name": "现病史", "sentences": hpi or [_s(NOT_ASKED)]}]

    past = by.get("past")
    if past is None:
        sections.append({"name": "既往史", "sentences": [_s(NOT_ASKED)]})
    else:
        s = []
        diseases = [p for p in past.positives if p != "手术史"]
        if diseases:
            s.append(_s(f"既往{_join(diseases)}病史。", past))
        if "手术史" in past.positives:
            s.append(_s("有手术史（具体手术未问及）。", past))
        elif past.none:
            s.append(_s("否认高血压、糖尿病、心脏病等慢性病史及手术史。", past))
        if past.text and not past.none:
            s.append(_s(f"既往史补充（患者原话）：{past.text}。", past))
        sections.append({"name": "既往史", "sentences": s or [_s("既往史不详。", past)]})
    allergy = by.get("allergy")
    if allergy is None:
        sections.append({"name": "过敏史", "sentences": [_s(NOT_ASKED)]})
    elif allergy.none and not allergy.positives:
        sections.append({"name": "过敏史", "sentences": [_s("否认药物及食物过敏史。", allergy)]})
    else:
        items = [p for p in allergy.positives if p != "食物"]
        s = []
        if items:
            s.append(_s(f"{_join(items)}过敏。", allergy))
        if allergy.text:
            s.append(_s(f"过敏（患者原话）：{allergy.text}。", allergy))
        elif "食物" in allergy.positives:
            s.append(_s("有食物过敏（未写明食物）。", allergy))
        sections.append({"name": "过敏史", "sentences": s or [_s("过敏史不详。", allergy)]})
    meds = by.get("meds")
    if meds is None:
        sections.append({"name": "用药史", "sentences": [_s(NOT_ASKED)]})
    elif meds.none and not meds.text:
        sections.append({"name": "用药史", "sentences": [_s("无长期用药。", meds)]})
    else:
        said = meds.text or _join(meds.positives)
        if meds.none and meds.text and said.strip("。，. ") in ("没有", "没", "无", "没有长期吃药"):
            sections.append({"name": "用药史", "sentences": [_s("无长期用药。", meds)]})
        else:
            sections.append({"name": "用药史", "sentences": [_s(f"长期用药（患者填写）：{said.strip('。')}。", meds)]})
    if (men := by.get("menstrual")) is not None:
        said = men.positives[0] if men.positives else (men.text or "")
        sections.append({"name": "月经史", "sentences": [_s(f"{said}。", men)]})
    return {
        "chief_complaint": cc,
        "sections": sections,
        "status": iv.status,
        "red_flag": iv.red_flag,
        "completeness": eng.completeness(iv),
        "questions_asked": eng.asked(iv),
        "mode": iv.mode,
        "answers": [a.model_dump() for a in iv.answers],
        "summary_title": name,
    }


def as_text(record: dict[str, Any]) -> str:
    """The record with section headings (主诉：…), the form note drafting parses as a source."""
    lines = [f"主诉：{record['chief_complaint']['text']}"]
    for sec in record["sections"]:
        lines.append(f"{sec['name']}：" + "".join(s["text"] for s in sec["sentences"]))
    return "\n".join(lines) + "\n"

