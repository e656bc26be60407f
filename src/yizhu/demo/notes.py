"""Writes the demo notes from a Plan, as Chinese EMRs print them, and records each planted defect.

Layout follows printed notes: a title line, the synthetic label, header ``键：值`` fields (several
to a line or one per line, by department template), then sections that each start a line with a
heading and a colon. Layout varies the way real templates do (查体 for 体格检查, 专科情况 for 专科
检查, 诊断 for 初步诊断, the odd half-width colon) so that parsers and QC rules meet real variety.

This module writes the notes of one encounter (admission, first progress, progress, discharge,
outpatient) and puts the encounter together (``render_plan``); the section pieces are in ``sections``,
the orders and lab results in ``structured``.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from yizhu.core.models import (
    AllergyIntolerance,
    ClinicalContext,
    ClinicalDocument,
    Diagnosis,
    Encounter,
    EncounterClass,
)
from yizhu.demo.model import (
    Plan,
    fmt_dt,
    fmt_num,
)
from yizhu.demo.sections import FOLLOWUP_EXAM, GENERIC_PROGRESS, NoteLines, SectionsMixin, fill
from yizhu.demo.structured import StructuredMixin


class _Writer(SectionsMixin, StructuredMixin):
    """Writes every note, order and result of one encounter from its plan."""

    def __init__(self, plan: Plan, rng: random.Random, style: dict[str, Any]) -> None:
        self.p = plan
        self.rng = rng
        self.style = style
        self.docs: list[ClinicalDocument] = []
        self.planted: list[dict[str, Any]] = []
        self.target: dict[str, float] = {}
        s = plan.scenario
        v = plan.vitals
        self.subj = "患儿" if plan.child else "患者"
        self.values: dict[str, str] = {
            **plan.values,
            "age": str(plan.age),
            "sex": "女" if plan.female else "男",
            "subj": self.subj,
            "T": f"{v['T']:.1f}", "P": str(int(v["P"])), "R": str(int(v["R"])),
            "SBP": str(int(v["SBP"])), "DBP": str(int(v["DBP"])), "HR": str(int(v["HR"])),
            "weight": fmt_num(plan.weight or 0, 1),
            "meds_text": self._meds_text(),
        }
        self.values["dx"] = fill(s.diagnosis.text, self.values)
        if s.surgery is not None and plan.op_at is not None:
            self.values.update(op=s.surgery.name, anesthesia=s.surgery.anesthesia,
                               op_date=plan.op_at.strftime("%Y-%m-%d"))
        self.cc = self._chief_complaint()
        plan.values["cc"] = self.cc
        self.dept_exam_alias = style["exam_alias"]

    # ── notes ──
    def admission_note(self) -> ClinicalDocument:
        p, rng, s = self.p, self.rng, self.p.scenario
        late = self._has("timeliness:入院记录>24h")
        rec = p.start + timedelta(minutes=rng.randint(26 * 60, 44 * 60) if late else rng.randint(150, 20 * 60))
        note = NoteLines("入院记录", self.style, rng)
        fields = [("姓名", p.patient.name or ""), ("性别", self.values["sex"]), ("年龄", f"{p.age}岁"),
                  ("民族", p.identity["ethnic"])]
        if not p.child:
            fields.append(("婚姻", p.identity["marital"]))
        fields += [("职业", p.identity["occupation"]), ("出生地", p.identity["birthplace"]),
                   ("住址", p.patient.address or ""), ("科别", s.department), ("床号", p.bed or ""),
                   ("住院号", p.number), ("入院日期", fmt_dt(p.start)), ("记录日期", fmt_dt(rec)),
                   ("病史陈述者", rng.choice(["患儿母亲", "患儿父亲"]) if p.child else "患者本人"),
                   ("可靠程度", "可靠")]
        note.header(fields)
        note.section("主诉", self.cc)
        note.section("现病史", self._hpi(inpatient=True))
        note.section("既往史", self._pmh())
        if not self._has("missing_section:过敏史"):
            note.section("过敏史", self._allergy_text())
        note.section("个人史", self._personal())
        sex_defect = self._has("sex_inconsistency")
        variant = rng.choice(["月经史", "婚育史"]) if sex_defect else ""
        if not p.child:
            note.section("婚育史", self._marital(pregnancy_for_male=variant == "婚育史"))
        if (p.female and not p.child) or variant == "月经史":
            note.section("月经史", self._menstrual())
        note.section("家族史", self._family())
        omit_bp = self._has("vitals_incomplete")
        exam_heading = self._exam_heading()
        note.section(exam_heading, f"{self._vitals(p.vitals, omit_bp=omit_bp)}\n{self._exam()}", block=True)
        note.section(self._specialty_heading(), fill(rng.choice(s.specialty), self.values))
        note.section("辅助检查", self._aux_full(p.labs), block=True)
        note.section("诊断" if rng.random() < 0.1 else "初步诊断", self._dx_list(), block=True)
        note.section("诊疗计划", self._numbered([fill(x, self.values) for x in s.plan]), block=True)
        author = self._signature(note, doc_kind="ADM")
        doc = self._document(note, suffix="ADM", doc_type="入院记录", recorded_at=rec, author=author)
        self._plant_note_defects(doc, rec, exam_heading=exam_heading, sex_variant=variant)
        return doc

    def _plant_note_defects(self, doc: ClinicalDocument, rec: datetime, *, exam_heading: str,
                            sex_variant: str = "") -> None:
        """Manifest entries for defects that live in the 入院记录 or 门诊病历."""
        p, ids = self.p, [doc.id or ""]
        if self._has("missing_section:过敏史"):
            self._plant("missing_section:过敏史", documents=ids, section="过敏史",
                        detail=f"{doc.doc_type}无过敏史段落",
                        data={"patient_has_allergy": bool(p.allergies)})
        if self._has("missing_section:体格检查"):
            self._plant("missing_section:体格检查", documents=ids, section="体格检查",
                        detail="门诊病历无体格检查段落")
        if self._has("timeliness:入院记录>24h"):
            hours = round((rec - p.start).total_seconds() / 3600, 1)
            self._plant("timeliness:入院记录>24h", documents=ids, detail=f"入院记录完成于入院后{hours}小时（时限24小时）",
                        data={"hours_after_admission": hours, "limit_hours": 24})
        if self._has("chief_complaint_too_long"):
            self._plant("chief_complaint_too_long", documents=ids, section="主诉",
                        detail=f"主诉{len(self.cc)}字：{self.cc}", data={"length": len(self.cc), "limit": 20})
        if self._has("chief_complaint_no_duration"):
            self._plant("chief_complaint_no_duration", documents=ids, section="主诉",
                        detail=f"主诉无持续时间：{self.cc}")
        if self._has("hpi_missing_chief_symptom"):
            self._plant("hpi_missing_chief_symptom", documents=ids, section="现病史",
                        detail=f"主诉症状“{p.scenario.symptom}”未见于现病史",
                        data={"symptom": p.scenario.symptom})
        if self._has("sex_inconsistency"):
            self._plant("sex_inconsistency", documents=ids, section=sex_variant,
                        detail=f"男性患者{sex_variant}记载月经或孕产内容", data={"sex": "male"})
        if self._has("vitals_incomplete"):
            self._plant("vitals_incomplete", documents=ids, section="体格检查",
                        detail=f"{exam_heading}生命体征缺血压", data={"heading": exam_heading, "missing": ["BP"]})
        if self._has("missing_signature") and self.values.get("_unsigned") == (doc.id or "").rsplit("-", 1)[-1]:
            self._plant("missing_signature", documents=ids, section="医师签名", detail=f"{doc.doc_type}无医师签名")

    def first_progress_note(self) -> ClinicalDocument:
        p, rng, s = self.p, self.rng, self.p.scenario
        late = self._has("timeliness:首次病程记录>8h")
        rec = p.start + timedelta(minutes=rng.randint(9 * 60, 15 * 60) if late else rng.randint(60, 390))
        note = NoteLines("首次病程记录", self.style, rng)
        note.header([("姓名", p.patient.name or ""), ("性别", self.values["sex"]), ("年龄", f"{p.age}岁"),
                     ("科别", s.department), ("床号", p.bed or ""), ("住院号", p.number),
                     ("记录日期", fmt_dt(rec))])
        features = [
            f"{self.subj}{p.patient.name}，{self.values['sex']}，{p.age}岁，因“{self.cc}”于{fmt_dt(p.start)}入院。",
            fill(s.summary, self.values),
            # written as sentences, not "既往史：…", so the items do not read as section headings
            f"既往{self._pmh_brief()}。",
            f"入院查体 {self._vitals(p.vitals)}，{fill(s.key_signs, self.values)}。",
            f"辅助检查示{self._aux_brief()}。",
        ]
        note.section("病例特点", self._numbered(features), block=True)
        note.section("初步诊断", self._dx_list(), block=True)
        lead_in = rng.choice(["结合病史、体格检查及辅助检查结果，分析如下。",
                              f"根据患者病史特点，目前考虑“{self.values['dx']}”，分析如下。"])
        discussion = f"{lead_in}\n诊断依据：{fill(s.basis, self.values)}"
        if not self._has("missing_content:鉴别诊断"):
            discussion += "\n鉴别诊断：\n" + self._numbered([fill(x, self.values) for x in s.differential])
        note.section("拟诊讨论", discussion, block=True)
        note.section("诊疗计划", self._numbered([fill(x, self.values) for x in s.plan]), block=True)
        author = self._signature(note, doc_kind="FPN")
        doc = self._document(note, suffix="FPN", doc_type="首次病程记录", recorded_at=rec, author=author)
        ids = [doc.id or ""]
        if late:
            hours = round((rec - p.start).total_seconds() / 3600, 1)
            self._plant("timeliness:首次病程记录>8h", documents=ids,
                        detail=f"首次病程记录完成于入院后{hours}小时（时限8小时）",
                        data={"hours_after_admission": hours, "limit_hours": 8})
        if self._has("missing_content:鉴别诊断"):
            self._plant("missing_content:鉴别诊断", documents=ids, section="拟诊讨论",
                        detail="拟诊讨论仅有诊断依据，无鉴别诊断")
        return doc

    def _progress_vitals(self, n: int) -> list[dict[str, float]]:
        p, rng = self.p, self.rng
        target = self.target
        out = []
        for i in range(n):
            frac = min(1.0, (i + 1) / (n + 1) * 1.5)
            v = {}
            for k in ("T", "P", "R", "SBP", "DBP"):
                val = p.vitals[k] + (target[k] - p.vitals[k]) * frac
                v[k] = round(val + rng.uniform(-0.15, 0.15), 1) if k == "T" else round(val + rng.randint(-3, 3))
            out.append(v)
        return out

    def progress_notes(self) -> list[ClinicalDocument]:
        p, rng, s = self.p, self.rng, self.p.scenario
        days = p.progress_days
        op_day = s.surgery.day if s.surgery is not None else None
        pre_days = [d for d in days if op_day is not None and op_day > 0 and d <= op_day]
        post_days = [d for d in days if d not in pre_days]
        texts: dict[int, str] = {}
        generic = list(GENERIC_PROGRESS)
        rng.shuffle(generic)
        for group_days, templates in ((pre_days, s.progress_pre), (post_days, s.progress)):
            n = len(group_days)
            if n == 0:
                continue
            # a phase opens with its first template (e.g. the operation) and, given two notes or more,
            # closes with its last (ready for surgery / discharge); department-neutral notes fill between
            if n == 1:
                chosen = [templates[0]]
            else:
                head = list(templates[:-1])[: n - 1]
                head += [generic.pop() for _ in range(n - 1 - len(head))]
                chosen = [*head, templates[-1]]
            for d, t in zip(group_days, chosen, strict=True):
                texts[d] = t
        vitals = self._progress_vitals(len(days))
        remarks = list(s.rounds)
        bodies: list[str] = []
        for i, d in enumerate(days):
            vals = dict(self.values)
            v = vitals[i]
            vals.update(pT=f"{v['T']:.1f}", pP=str(int(v["P"])), pR=str(int(v["R"])),
                        pSBP=str(int(v["SBP"])), pDBP=str(int(v["DBP"])), day=str(d + 1))
            if op_day is not None:
                vals["pod"] = str(d - op_day)
            body = fill(texts[d], vals)
            recheck = [r for r in p.recheck if (r.observed_at.date() - p.start.date()).days == d]
            if recheck:
                body += "复查结果：" + "，".join(
                    self._lab_text(r, female=p.female, child=p.child) for r in recheck) + "。"
            if remarks and (i == 0 or rng.random() < 0.5):  # a senior's remark is never repeated in a stay
                who = (f"{p.doctors.attending}主治医师" if i == 0 or rng.random() < 0.5
                       else f"{p.doctors.chief}副主任医师")
                remark = remarks.pop(0)
                body += (f"\n上级医师查房：{who}查房后指出：{remark}。"
                         f"{rng.choice(['嘱继续目前治疗。', '遵嘱执行。', '按上级医师意见执行。'])}")
            bodies.append(body)
        copy_from = -1
        if self._has("copy_paste"):
            copy_from = rng.randrange(len(bodies) - 1)
            bodies[copy_from + 1] = bodies[copy_from]
        docs = []
        for i, d in enumerate(days):
            rec = datetime.combine(p.start.date() + timedelta(days=d), datetime.min.time()) + timedelta(
                hours=8, minutes=rng.randint(0, 200))
            note = NoteLines("日常病程记录", self.style, rng)
            note.header([("姓名", p.patient.name or ""), ("科别", s.department), ("床号", p.bed or ""),
                         ("住院号", p.number), ("记录日期", fmt_dt(rec))])
            for line in bodies[i].split("\n"):
                if line.startswith("上级医师查房："):
                    note.section("上级医师查房", line.removeprefix("上级医师查房："))
                else:
                    note.line(line)
            author = self._signature(note, doc_kind=f"PN{i + 1}")
            docs.append(self._document(note, suffix=f"PN{i + 1}", doc_type="日常病程记录", recorded_at=rec,
                                       author=author))
        if copy_from >= 0:
            pair = [docs[copy_from].id or "", docs[copy_from + 1].id or ""]
            self._plant("copy_paste", documents=pair, detail=f"{pair[1]}正文与{pair[0]}完全相同（仅记录日期不同）")
        if self._has("timeliness:病程记录间隔>3天"):
            gap = p.defect_data["timeliness:病程记录间隔>3天"]["gap_days"]
            self._plant("timeliness:病程记录间隔>3天", documents=[docs[0].id or "", docs[1].id or ""],
                        detail=f"病情稳定患者两次日常病程记录间隔{gap}天（要求至少3天记录一次）",
                        data={"limit_days": 3})
        return docs

    def discharge_note(self) -> ClinicalDocument:
        p, rng, s = self.p, self.rng, self.p.scenario
        assert p.end is not None
        late = self._has("timeliness:出院记录>24h")
        rec = p.end + timedelta(minutes=rng.randint(27 * 60, 45 * 60) if late else rng.randint(-90, 300))
        note = NoteLines("出院记录", self.style, rng)
        days = (p.end.date() - p.start.date()).days
        note.header([("姓名", p.patient.name or ""), ("性别", self.values["sex"]), ("年龄", f"{p.age}岁"),
                     ("科别", s.department), ("床号", p.bed or ""), ("住院号", p.number),
                     ("入院日期", fmt_dt(p.start)), ("出院日期", fmt_dt(p.end)), ("住院天数", f"{days}天"),
                     ("记录日期", fmt_dt(rec))])
        dv = self.target
        dvals = dict(self.values)
        dvals.update(dT=f"{dv['T']:.1f}", dP=str(int(dv["P"])), dSBP=str(int(dv["SBP"])),
                     dDBP=str(int(dv["DBP"])), pR=str(int(dv["R"])))
        note.section("入院情况", f"{self.subj}因“{self.cc}”入院。入院时查体：{self._vitals(p.vitals)}，"
                               f"{fill(s.key_signs, self.values)}。辅助检查：{self._aux_brief()}。")
        note.section("入院诊断", self._dx_list(), block=True)
        note.section("诊疗经过", fill(rng.choice(s.course), self.values))
        note.section("出院诊断", self._dx_list(), block=True)
        note.section("出院情况", fill(rng.choice(s.discharge_state), dvals))
        take_home = [self._med_line(m, outpatient=False) for m in p.meds if m.drug.chronic]
        advice = [fill(a, self.values) for a in s.advice]
        if take_home:
            advice.insert(1, "出院后继续口服/使用：" + "；".join(take_home) + "。")
        note.section("出院医嘱", self._numbered(advice), block=True)
        author = self._signature(note, doc_kind="DIS")
        doc = self._document(note, suffix="DIS", doc_type="出院记录", recorded_at=rec, author=author)
        if late:
            hours = round((rec - p.end).total_seconds() / 3600, 1)
            self._plant("timeliness:出院记录>24h", documents=[doc.id or ""],
                        detail=f"出院记录完成于出院后{hours}小时（时限24小时）",
                        data={"hours_after_discharge": hours, "limit_hours": 24})
        if self._has("missing_signature") and self.values.get("_unsigned") == "DIS":
            self._plant("missing_signature", documents=[doc.id or ""], section="医师签名", detail="出院记录无医师签名")
        return doc

    def outpatient_note(self) -> ClinicalDocument:
        p, rng, s = self.p, self.rng, self.p.scenario
        rec = p.start + timedelta(minutes=rng.randint(60, 120))
        note = NoteLines("门诊病历", self.style, rng)
        note.header([("姓名", p.patient.name or ""), ("性别", self.values["sex"]), ("年龄", f"{p.age}岁"),
                     ("科别", s.department), ("门诊号", p.number), ("就诊日期", fmt_dt(p.start))])
        note.section("主诉", self.cc)
        note.section("现病史", self._hpi(inpatient=False))
        note.section("既往史", self._pmh())
        if not self._has("missing_section:过敏史"):
            note.section("过敏史", self._allergy_text())
        exam_heading = self._exam_heading()
        if not self._has("missing_section:体格检查"):
            general = "神志清，精神可" if not p.child else "神志清，精神反应可"
            if p.followup_of is None:
                exam = fill(rng.choice(s.specialty), self.values)
            else:
                exam = fill(FOLLOWUP_EXAM[s.department], self.values)
                if s.surgery is not None:
                    exam += "手术切口愈合良好。"
            vitals = self._vitals(p.vitals, omit_bp=self._has("vitals_incomplete"))
            note.section(exam_heading, f"{vitals}\n{general}。{exam}", block=True)
        note.section("辅助检查", self._aux_full(p.labs) if p.followup_of is None else
                     ("\n".join(self._lab_lines(p.labs)) or "暂无。"), block=True)
        note.section("诊断" if rng.random() < 0.4 else "初步诊断", self._dx_list(), block=True)
        items = [self._med_line(m, outpatient=True) for m in p.meds]
        if p.followup_of is None:
            items += [fill(a, self.values) for a in s.opd_advice]
        else:
            items += ["继续目前治疗，定期复查。", "不适随诊。"]
        note.section("处理意见", self._numbered(items), block=True)
        author = self._signature(note, doc_kind="OPD")
        doc = self._document(note, suffix="OPD", doc_type="门诊病历", recorded_at=rec, author=author)
        self._plant_note_defects(doc, rec, exam_heading=exam_heading)
        return doc

    def render(self) -> tuple[ClinicalContext, list[dict[str, Any]]]:
        p, rng, s = self.p, self.rng, self.p.scenario
        self.target = self._target_vitals()
        if self._has("missing_signature"):
            if not p.inpatient:
                self.values["_unsigned"] = "OPD"
            else:
                self.values["_unsigned"] = "DIS" if p.end is not None and rng.random() < 0.5 else "ADM"
        if p.inpatient:
            adm = self.admission_note()
            self.first_progress_note()
            self.progress_notes()
            if p.end is not None:
                self.discharge_note()
            dx_time = adm.recorded_at
        else:
            opd = self.outpatient_note()
            dx_time = opd.recorded_at
        orders = self.orders()
        self.plant_rx()
        kind = "admission" if p.inpatient else "outpatient"
        diagnoses = [Diagnosis(text=t, code=c, kind=kind, is_main=i == 0, recorded_at=dx_time)
                     for i, (t, c) in enumerate(self._dx_entries())]
        if p.inpatient and p.end is not None:
            dis = next(d for d in self.docs if d.doc_type == "出院记录")
            diagnoses += [Diagnosis(text=t, code=c, kind="discharge", is_main=i == 0, recorded_at=dis.recorded_at)
                          for i, (t, c) in enumerate(self._dx_entries())]
        labs = [self._lab_result(d) for d in [*p.labs, *p.recheck]]
        allergies = [AllergyIntolerance(substance=sub, reaction=r, severity="moderate") for sub, r in p.allergies]
        encounter = Encounter(
            id=p.encounter_id, patient_id=p.patient.id,
            encounter_class=EncounterClass.inpatient if p.inpatient else EncounterClass.outpatient,
            department=s.department, admitted_at=p.start, discharged_at=p.end, bed=p.bed,
            attending=p.doctors.attending, condition_level=s.condition if p.inpatient else None,
        )
        ctx = ClinicalContext(
            patient=p.patient, encounter=encounter, documents=self.docs, diagnoses=diagnoses,
            orders=list(orders), labs=labs, allergies=allergies,
            extra={"synthetic": True, "scenario": s.key, "setting": p.setting,
                   "followup_of": p.followup_of.encounter_id if p.followup_of else None},
        )
        return ctx, self.planted


def render_plan(plan: Plan, rng: random.Random, style: dict[str, Any]) -> tuple[ClinicalContext, list[dict[str, Any]]]:
    """Write one encounter: its context (notes, orders, labs, allergies) and its planted defects."""
    return _Writer(plan, rng, style).render()
