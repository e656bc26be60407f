"""The pre-consultation record for the doctor: 主诉 (≤ 20 字, with duration), 现病史, 既往史, 过敏史, 用药史
(and 月经史 where asked), in note style; every sentence names the answers (``seq``) it was written from.

Only what the patient said is written; what was not asked is said to be not asked, never filled in.
``as_text`` gives the record with section headings, the form the note drafting reads as its
``预问诊记录`` source (docs/notes.md).
"""

from __future__ import annotations

import re
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
    name, side_from = _with_side(name, iv, by)
    duration = dur.duration if dur is not None and dur.duration else None
    if dur is not None and not duration and dur.text:
        duration = dur.text[:6]
    text = f"{name}{duration or ''}"
    if len(text) > CC_MAX:
        text = text[:CC_MAX]
    return _s(text, cc_ans, dur if duration else None, side_from)


def _with_side(name: str, iv: Interview, by: dict[str, Answered]) -> tuple[str, Answered | None]:
    """The 主诉 with the side of its limb or paired organ (右膝关节痛, 双膝关节痛, 左下肢麻木, 右耳听力下降), from the
    complaint or else from the site answer; only when every side told for that part is the same."""
    from yizhu.clinical.intake import laterality

    if re.search(r"[左右双]", name):
        return name, None
    for a in (by.get("complaint"), by.get("site")):
        if a is None or not a.text:
            continue
        sides = laterality.read(a.text)
        if not sides or len({(sd.side, sd.part) for sd in sides}) != 1:
            continue
        sd = sides[0]
        words = [w for p in laterality.parts() if p.name == sd.part for w in [p.name, *p.words]]
        hit = next((w for w in sorted(words, key=len, reverse=True) if w in name), None)
        if hit is not None:
            return name.replace(hit, f"{sd.side}{hit}", 1), a
        if a.slot == "complaint":
            if "肢体" in name and "肢" in sd.part:
                return name.replace("肢体", sd.wording(), 1), a
            return f"{sd.wording()}{name}", a
    return name, None


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
    who = "患儿" if iv.child else "患者"
    dur, onset = by.get("duration"), by.get("onset")
    if dur is not None or onset is not None:
        when = f"{dur.duration}前" if dur is not None and dur.duration else ""
        how = {"突然": "突然", "逐渐": "逐渐", "反复": "反复"}.get(onset.positives[0], "") if onset and onset.positives else ""
        hpi.append(_s(f"{who}{when}{how}出现{sym}。", by.get("complaint"), dur, onset))
    elif iv.complaint:
        said = "家长代诉" if iv.child else "患者自诉"
        hpi.append(_s(f"{said}{iv.complaint.strip('。')}。", by.get("complaint")))
    if dur is not None and not dur.duration and dur.text:
        hpi.append(_s(f"病程（患者原话）：{dur.text}。", dur))
    parts, src = [], []
    if (site := by.get("site")) and site.positives:
        parts.append(f"部位在{_join(site.positives)}")
        src.append(site)
    if (ch := by.get("character")) and ch.positives:
        parts.append(f"性质为{_join(ch.positives)}")
        src.append(ch)
    if (sev := by.get("severity")) and sev.values.get("temperature") is not None:
        parts.append(f"体温最高{sev.values['temperature']:g}℃")
        src.append(sev)
    elif (sev := by.get("severity")) and (sev.positives or sev.score is not None):
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
        if asc.unknown:
            hpi.append(_s("伴随症状患者表示不清楚。", asc))
        if asc.text and not asc.positives and not asc.negatives:
            hpi.append(_s(f"伴随情况（患者原话）：{asc.text}。", asc))
    hpi.extend(_child_hpi(by))
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
    if past is None and (by.get("past_child") is not None or by.get("vaccination") is not None):
        sections.append({"name": "既往史", "sentences": _child_past(by.get("past_child"), by.get("vaccination"))})
    elif past is None:
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
        if past.unknown and not past.positives:
            s.append(_s(f"既往史不详（患者原话：{(past.text or '').strip('。')}）。", past))
        elif past.text and not past.none:
            s.append(_s(f"既往史补充（患者原话）：{past.text}。", past))
        sections.append({"name": "既往史", "sentences": s or [_s("既往史不详。", past)]})
    allergy = by.get("allergy")
    if allergy is None:
        sections.append({"name": "过敏史", "sentences": [_s(NOT_ASKED)]})
    elif allergy.unknown and not allergy.positives:
        sections.append({"name": "过敏史", "sentences": [_s(f"过敏史不详（患者原话：{(allergy.text or '').strip('。')}）。", allergy)]})
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
    elif meds.unknown and not meds.positives:
        sections.append({"name": "用药史", "sentences": [_s(f"用药史不详（患者原话：{(meds.text or '').strip('。')}）。", meds)]})
    elif meds.none and not meds.text:
        sections.append({"name": "用药史", "sentences": [_s("无长期用药。", meds)]})
    else:
        said = meds.text or _join(meds.positives)
        if meds.none and meds.text and said.strip("。，. ") in ("没有", "没", "无", "没有长期吃药"):
            sections.append({"name": "用药史", "sentences": [_s("无长期用药。", meds)]})
        else:
            sections.append({"name": "用药史", "sentences": [_s(f"长期用药（患者填写）：{said.strip('。')}。", meds)]})
    if iv.child and (by.get("birth") is not None or by.get("development") is not None):
        sections.append({"name": "个人史", "sentences": _child_personal(by.get("birth"), by.get("development"))})
    if by.get("menstrual") is not None or by.get("lmp") is not None:
        sections.append({"name": "月经史", "sentences": _menstrual(by.get("menstrual"), by.get("lmp"), iv)})
    if (ob := by.get("obstetric")) is not None:
        sections.append({"name": "婚育史", "sentences": [_obstetric(ob)]})
    if iv.child:  # the parent answered: their words are the parent's
        for sec in sections:
            for sen in sec["sentences"]:
                sen["text"] = sen["text"].replace("患者原话", "家长原话").replace("患者填写", "家长填写")
    return {
        "chief_complaint": cc,
        "sections": sections,
        "status": iv.status,
        "red_flag": iv.red_flag,
        "completeness": eng.completeness(iv),
        "questions_asked": eng.asked(iv),
        "mode": iv.mode,
        "degraded": list(iv.degraded),
        "informant": "家长" if iv.child else "患者本人",
        "answers": [a.model_dump() for a in iv.answers],
        "summary_title": name,
    }


def as_text(record: dict[str, Any]) -> str:
    """The record with section headings (主诉：…), the form note drafting parses as a source."""
    lines = [f"主诉：{record['chief_complaint']['text']}"]
    if record.get("informant") == "家长":
        lines.append("病史陈述者：家长（预问诊代答）")
    for sec in record["sections"]:
        lines.append(f"{sec['name']}：" + "".join(s["text"] for s in sec["sentences"]))
    return "\n".join(lines) + "\n"



def _child_hpi(by: dict[str, Answered]) -> list[dict[str, Any]]:
    """A child's 现病史 tail: the highest temperature, the general state since the illness began (精神、进食、
    尿量, the way paediatric notes write it) and contact with the same illness."""
    out: list[dict[str, Any]] = []
    if by.get("fever_child") is None and (told := next((a for a in by.values() if a.slot != "severity"
                                                         and a.values.get("temperature") is not None), None)):
        temp = told.values["temperature"]  # told in passing (有点低烧37.8): the fever question was not asked
        out.append(_s(f"体温最高{temp:g}℃。", told) if temp >= 37.3 else _s(f"无发热（体温{temp:g}℃）。", told))
    if (fc := by.get("fever_child")) is not None:
        temp = fc.values.get("temperature")
        asc = by.get("associated")
        if fc.none and temp is None:
            if asc is None or "发热" not in asc.negatives:  # already written with the other negatives
                out.append(_s("无发热。", fc))
        elif temp is not None:
            out.append(_s(f"体温最高{temp:g}℃。", fc) if temp >= 37.3 else _s(f"无发热（体温{temp:g}℃）。", fc))
        elif fc.positives:
            out.append(_s(f"发热，{fc.positives[0]}。", fc))
        elif fc.text:
            out.append(_s(f"发热情况（家长原话）：{fc.text}。", fc))
    parts, src = [], []
    if (cs := by.get("child_state")) is not None:
        parts += _grouped(cs, "child_state")
        src.append(cs)
    for slot in ("activity", "feeding", "urine"):  # interviews stored before these became one question
        a = by.get(slot)
        if a is None:
            continue
        if a.positives:
            parts.append(a.positives[0])
        elif a.text:
            parts.append(f"{ {'activity': '精神', 'feeding': '进食', 'urine': '尿量'}[slot]}（家长原话：{a.text}）")
        src.append(a)
    if parts:
        out.append(_s("病来" + "，".join(parts) + "。", *src))
    if (ct := by.get("contact")) is not None:
        if ct.positives:
            out.append(_s(f"接触史：{_join(ct.positives)}。", ct))
        elif ct.none:
            out.append(_s("否认类似患者接触史。", ct))
        if ct.text and not ct.none:
            out.append(_s(f"接触史（家长原话）：{ct.text}。", ct))
    return out


def _child_past(pc: Answered | None, vac: Answered | None) -> list[dict[str, Any]]:
    s: list[dict[str, Any]] = []
    if pc is None:
        s.append(_s(f"既往疾病史{NOT_ASKED}。"))
    elif pc.positives:
        s.append(_s(f"既往{_join(pc.positives)}。", pc))
    elif pc.none:
        s.append(_s("既往体健，否认热性惊厥、哮喘、先天性心脏病史及住院手术史。", pc))
    if pc is not None and pc.text and not pc.none:
        s.append(_s(f"既往史补充（家长原话）：{pc.text}。", pc))
    if vac is not None:
        said = vac.positives[0] if vac.positives else (f"预防接种（家长原话）：{vac.text}" if vac.text else "")
        if said:
            s.append(_s(f"{said}。", vac))
    else:
        s.append(_s(f"预防接种史{NOT_ASKED}。"))
    return s


def _grouped(a: Answered, slot: str) -> list[str]:
    """A checklist that asks several things at once (精神、进食、尿量), written group by group in the bank's
    order: what was ticked; a group with nothing ticked as usual when the parent ticked something or 'all as
    usual' (the question asks to tick what changed); the parent's words when they only typed."""
    from yizhu.clinical.intake.bank import load_bank

    q = load_bank().questions.get(slot)  # type: ignore[call-overload]
    if q is None:
        return [_join(a.positives)] if a.positives else []
    by_note = {o.note: o.group for o in q.options}
    out: list[str] = []
    for gid, g in q.groups.items():
        got = [p for p in a.positives if by_note.get(p) == gid]
        if got:
            out.append(_join(got))
        elif (a.options or a.none) and g.normal:
            out.append(g.normal)
    if not a.options and not a.none and a.text:
        out.append(f"{'、'.join(g.name for g in q.groups.values())}（家长原话：{a.text.strip('。')}）")
    return out


def _child_personal(birth: Answered | None, dev: Answered | None) -> list[dict[str, Any]]:
    """个人史 of an infant or toddler: 出生史 (孕周, 出生体重) and development, as the parent told them."""
    s: list[dict[str, Any]] = []
    dev_notes: list[str] = []
    if birth is not None:
        from yizhu.clinical.intake.bank import load_bank

        q = load_bank().questions.get("birth")  # type: ignore[call-overload]
        groups = {o.note: o.group for o in q.options} if q is not None else {}
        dev_notes = [p for p in birth.positives if groups.get(p) == "development"]
        birth = birth.model_copy(update={"positives": [p for p in birth.positives if p not in dev_notes]})
    if birth is not None:
        weeks, grams = birth.values.get("birth_weeks"), birth.values.get("birth_weight_g")
        bits = []
        if weeks is not None:
            w = int(weeks)
            d = round((weeks - w) * 7)
            bits.append(f"孕{w}{f'+{d}' if d else ''}周出生")
        if grams is not None:
            bits.append(f"出生体重{grams / 1000:.2f}kg")
        kinds = [p for p in birth.positives]
        if bits:
            tail = f"（{_join(kinds)}）" if kinds else ""
            s.append(_s("，".join(bits) + tail + "。", birth))
        elif kinds:
            s.append(_s(f"{_join(kinds)}。", birth))
        elif birth.none:
            s.append(_s("出生史不详（家长记不清）。", birth))
        elif birth.text:
            s.append(_s(f"出生史（家长原话）：{birth.text}。", birth))
    if dev_notes and birth is not None:
        s.append(_s(f"{_join(dev_notes)}。", birth))
    if dev is not None:
        said = dev.positives[0] if dev.positives else (f"生长发育（家长原话）：{dev.text}" if dev.text else "")
        if said:
            s.append(_s(f"{said}。", dev))
    return s or [_s(NOT_ASKED)]


def _told(answers: list[Answered], key: str) -> Answered | None:
    """The first answer whose words gave ``key`` (lmp, gestation_weeks, pregnancy_test …)."""
    return next((a for a in answers if a.values.get(key) is not None), None)


def _menstrual(men: Answered | None, lmp: Answered | None, iv: Interview) -> list[dict[str, Any]]:
    """月经史 in the hospital's style: 末次月经 (date, days before the visit), regularity, pregnancy possible, and
    what the patient said about a pregnancy wherever she said it (孕周; a pregnancy test and its result; an LMP
    told in the 月经 answer)."""
    bits: list[str] = []
    said = [a for a in iv.answers if a.slot in ("lmp", "menstrual", "complaint", "obstetric")]
    src: list[Answered | None] = [men, lmp]
    when = lmp if lmp is not None and lmp.values.get("lmp") else _told(said, "lmp")
    if when is not None:
        bits.append(f"末次月经{when.values['lmp']}（就诊前{when.values['lmp_days']}天）")
        src.append(when)
    elif lmp is not None:
        if lmp.none:
            bits.append("末次月经日期记不清")
        elif lmp.positives:
            bits.append(lmp.positives[0])
        elif lmp.text:
            bits.append(f"末次月经（患者原话：{lmp.text}）")
    if men is not None and men.positives:
        bits.append(men.positives[0])
    pregnant = men is not None and "pregnant" in men.options
    if (gw := _told(said, "gestation_weeks")) is not None:
        w = float(gw.values["gestation_weeks"])
        d = round((w - int(w)) * 7)
        bits.append(f"孕{int(w)}{f'+{d}' if d else ''}周")
        src.append(gw)
    elif (gm := _told(said, "gestation_months")) is not None:
        bits.append(f"孕约{gm.values['gestation_months']}个月")
        src.append(gm)
    elif pregnant and when is not None and 28 <= when.values["lmp_days"] <= 44 * 7:
        days = int(when.values["lmp_days"])
        bits.append(f"按末次月经推算孕{days // 7}{f'+{days % 7}' if days % 7 else ''}周")
    if (pt := _told(said, "pregnancy_test")) is not None:
        result = {"negative": "阴性", "positive": "阳性"}.get(pt.values["pregnancy_test"], "结果不确定")
        how = "血HCG" if pt.values.get("pregnancy_test_by") == "blood" else "自测尿妊娠试验"
        bits.append(f"{how}{result}")
        src.append(pt)
    if men is not None and men.text:
        bits.append(f"（患者原话：{men.text.strip('。')}）" if men.positives else f"（患者原话）{men.text.strip('。')}")
    if not bits:
        return [_s("月经史不详。", men, lmp)]
    return [_s("，".join(bits).replace("，（患者原话：", "（患者原话：") + "。", *src)]


def _obstetric(ob: Answered) -> dict[str, Any]:
    """婚育史 as G_P_ (孕次、产次; abortions when told), from the patient's words or taps."""
    v = ob.values
    if ob.none or v.get("gravida") == 0:
        return _s("G0P0。", ob)
    if "gravida" in v or "para" in v:
        g = v.get("gravida")
        p = v.get("para")
        gp = f"G{g if g is not None else '?'}P{p if p is not None else '?'}"
        extra = f"，流产{v['abortion']}次" if v.get("abortion") else ""
        return _s(f"{gp}{extra}。", ob)
    return _s(f"孕产史（患者原话）：{(ob.text or '').strip('。')}。", ob)
