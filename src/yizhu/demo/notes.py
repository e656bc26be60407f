"""Writes the demo notes from a Plan, as Chinese EMRs print them, and records each planted defect.

Layout follows printed notes: a title line, the synthetic label, header ``键：值`` fields (several
to a line or one per line, by department template), then sections that each start a line with a
heading and a colon. Layout varies the way real templates do (查体 for 体格检查, 专科情况 for 专科
检查, 诊断 for 初步诊断, the odd half-width colon) so that parsers and QC rules meet real variety.
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
    LabResult,
    MedicationOrder,
)
from yizhu.demo.model import (
    KIND_BY_NAME,
    SYNTHETIC_LABEL,
    LabDraw,
    Med,
    Plan,
    fmt_dt,
    fmt_num,
    lab_flag,
)

# Department-neutral progress-note bodies used when a stay is longer than the scenario's own list,
# so that no two notes of one stay are alike unless copy_paste is planted.
GENERIC_PROGRESS = (
    "{subj}病情平稳，无新发不适，饮食睡眠可，大小便正常。查体：T {pT}℃ P {pP}次/分 BP {pSBP}/{pDBP}mmHg，"
    "神志清，精神可。继续当前治疗，密切观察病情变化。",
    "{subj}今日一般情况可，生命体征平稳。查体：T {pT}℃，BP {pSBP}/{pDBP}mmHg，心肺听诊未见新发异常。"
    "治疗上维持原方案。",
    "{subj}精神、食欲较前好转，无特殊主诉。查体：P {pP}次/分，R {pR}次/分，BP {pSBP}/{pDBP}mmHg。"
    "注意监测相关指标，继续观察。",
    "{subj}夜间睡眠可，晨起无不适。查体：T {pT}℃，P {pP}次/分，一般情况好。继续目前治疗，完善出院前评估。",
    "{subj}病情较前稳定，今日复查结果已回报，较前好转。查体：BP {pSBP}/{pDBP}mmHg，神志清。继续当前诊疗方案。",
)
# 现病史 bodies for the hpi_missing_chief_symptom defect: plausible, but never naming the symptom.
OFF_TOPIC_HPI = (
    "{subj}{d1}前起病，自觉全身乏力、食欲减退，夜间睡眠欠佳，曾于当地诊所就诊，予对症处理（具体不详），效果一般。",
    "{subj}{d1}前起病，自觉精神差、食欲减退，夜间睡眠欠佳，自服药物（具体不详）后无明显好转。",
)
_LONG_CC_EXTRAS = ("乏力", "纳差", "夜间睡眠差", "多汗", "口苦")

_EXAM_DEFAULTS = {
    "general": "发育正常，营养中等，神志清楚，精神可，自主体位，查体合作",
    "skin": "全身皮肤黏膜无黄染，未见皮疹及出血点",
    "lymph": "浅表淋巴结未触及肿大",
    "eyes": "双侧瞳孔等大等圆，对光反射灵敏",
    "neck": "颈静脉无怒张，气管居中，甲状腺未触及肿大",
    "chest": "胸廓对称无畸形",
    "lung": "双肺呼吸音清，未闻及干湿性啰音",
    "heart_area": "心前区无隆起，心界不大",
    "heart": "心率{HR}次/分，律齐，各瓣膜听诊区未闻及病理性杂音",
    "abdomen": "腹平软，无压痛及反跳痛，肝脾肋下未触及，Murphy征阴性，肠鸣音4次/分",
    "limbs": "脊柱四肢无畸形，双下肢无水肿",
    "neuro": "生理反射存在，病理反射未引出",
}
_PED_EXAM_DEFAULTS = {
    "general": "发育正常，营养良好，神志清，精神可",
    "neck": "无抵抗，气管居中",
    "heart": "心率{HR}次/分，律齐，心音有力，未闻及杂音",
    "abdomen": "腹软，无压痛，肝脾肋下未触及，肠鸣音正常",
    "limbs": "四肢活动自如，末梢暖",
}
# Examination at a clinic revisit after discharge: the deficits of admission have resolved or improved.
_FOLLOWUP_EXAM = {
    "心血管内科": "双肺呼吸音清，未闻及干湿性啰音，心率{P}次/分，心音有力，双下肢无水肿。",
    "呼吸内科": "口唇无发绀，双肺呼吸音清，未闻及明显干湿性啰音。",
    "内分泌科": "甲状腺未触及肿大，双下肢无水肿，双足背动脉搏动可。",
    "神经内科": "言语清晰，双侧鼻唇沟对称，四肢肌力4+至5级，病理征阴性。",
    "普通外科": "腹软，无压痛及反跳痛，未触及包块。",
    "儿科": "咽部无充血，双肺呼吸音清，心腹查体未见异常。",
}


class _Fmt(dict[str, str]):
    """Template values; a missing one is a bug in scenarios.yaml, named in the error."""

    def __missing__(self, key: str) -> str:
        raise KeyError(f"demo template field {{{key}}} has no value; add it to the scenario's vars")


def _fmt(template: str, values: dict[str, str]) -> str:
    return template.format_map(_Fmt(values))


class _Note:
    """Accumulates the lines of one printed note."""

    def __init__(self, title: str, style: dict[str, Any], rng: random.Random) -> None:
        self.lines = [title, SYNTHETIC_LABEL]
        self.style = style
        self.rng = rng
        self.header_fields: dict[str, str] = {}

    def header(self, fields: list[tuple[str, str]]) -> None:
        self.header_fields.update(fields)
        cells = [f"{k}：{v}" for k, v in fields]
        if self.style["header"] == "lines":
            self.lines.extend(cells)
            return
        n = self.style["per_row"]
        for i in range(0, len(cells), n):
            self.lines.append(self.style["sep"].join(cells[i:i + n]))

    def section(self, heading: str, body: str, *, block: bool = False) -> None:
        colon = ":" if self.rng.random() < 0.12 else "："
        if block:
            self.lines.append(f"{heading}{colon}")
            self.lines.extend(body.split("\n"))
        else:
            self.lines.append(f"{heading}{colon}{body}")

    def line(self, text: str) -> None:
        self.lines.append(text)

    @property
    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


class _Writer:
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
        self.values["dx"] = _fmt(s.diagnosis.text, self.values)
        if s.surgery is not None and plan.op_at is not None:
            self.values.update(op=s.surgery.name, anesthesia=s.surgery.anesthesia,
                               op_date=plan.op_at.strftime("%Y-%m-%d"))
        self.cc = self._chief_complaint()
        plan.values["cc"] = self.cc
        self.dept_exam_alias = style["exam_alias"]

    # ── small pieces ──
    def _meds_text(self) -> str:
        own = [m for m in self.p.meds if not m.home]
        return "、".join(f"{m.name} {fmt_num(m.dose)}{m.unit} {m.frequency}" for m in own)

    @staticmethod
    def _med_line(m: Med, *, outpatient: bool) -> str:
        core = f"{m.name} {fmt_num(m.dose)}{m.unit} {m.route} {m.frequency}"
        if m.drug.solvent and m.route == "ivgtt":
            core = f"{m.drug.solvent} + {core}"
        if outpatient and m.days:
            core += f" ×{m.days}天"
        return core

    def _has(self, kind: str) -> bool:
        return kind in self.p.defects

    def _plant(self, kind: str, *, documents: list[str] | None = None, orders: list[str] | None = None,
               section: str | None = None, detail: str = "", data: dict[str, Any] | None = None) -> None:
        dk = KIND_BY_NAME[kind]
        docs = documents or []
        self.planted.append({
            "id": "",
            "kind": kind,
            "family": kind.split(":", 1)[0],
            "category": dk.category,
            "patient_id": self.p.patient.id,
            "encounter_id": self.p.encounter_id,
            "document_id": docs[0] if docs else None,
            "document_ids": docs,
            "order_ids": orders or [],
            "section": section,
            "description": dk.description,
            "detail": detail,
            "data": {**self.p.defect_data.get(kind, {}), **(data or {})},
            "source": dk.source,
        })

    def _doc_id(self, suffix: str) -> str:
        return f"{self.p.encounter_id}-{suffix}"

    def _chief_complaint(self) -> str:
        p, s, rng = self.p, self.p.scenario, self.rng
        if p.followup_of is not None:
            when = "术后" if s.surgery else "出院后"
            return f"{s.short}{when}{p.values['weeks']}周，复诊"
        if self._has("chief_complaint_no_duration"):
            return _fmt(rng.choice(s.cc_plain), self.values)
        cc = _fmt(rng.choice(s.cc), self.values)
        if self._has("chief_complaint_too_long"):
            extras = [e for e in _LONG_CC_EXTRAS if e not in cc]
            cc = f"{cc}，伴{'、'.join(rng.sample(extras, 3))}，曾于外院多次就诊效果欠佳"
        return cc

    def _hpi(self, *, inpatient: bool) -> str:
        p, s, rng = self.p, self.p.scenario, self.rng
        if p.followup_of is not None:
            index = p.followup_of
            assert index.end is not None
            chronic = [m.name for m in p.meds]
            taking = f"规律服用{'、'.join(chronic)}" if chronic else "未服用特殊药物"
            return (f"{self.subj}因“{index.values['cc']}”于{index.start:%Y-%m-%d}入住我院{s.department}，"
                    f"诊断为“{self.values['dx']}”，经治疗好转后于{index.end:%Y-%m-%d}出院。出院后{taking}，"
                    f"目前病情稳定，原有症状未再发作，精神饮食可。今来门诊复诊。")
        if self._has("hpi_missing_chief_symptom"):
            options = [t for t in OFF_TOPIC_HPI if s.symptom not in t]
            body = _fmt(rng.choice(options), self.values)
        else:
            body = _fmt(rng.choice(s.hpi), self.values)
        if inpatient:
            how = rng.choice(["门诊", "急诊"]) if s.condition != "stable" or "小时" in self.values["d1"] else "门诊"
            ending = rng.choice([f"为进一步诊治，{how}以“{s.short}”收入我科。",
                                 f"今为进一步诊治来我院，{how}拟“{self.values['dx']}”收住入院。"])
            # the closing status sentence must not contradict what the HPI already said
            state = "精神稍差" if "精神稍差" in body or "精神差" in body else rng.choice(["精神可", "精神稍差"])
            appetite = "食欲欠佳" if any(w in body for w in ("食欲", "纳差", "进食")) else "饮食可"
            sleep = "睡眠欠佳" if any(w in body for w in ("入睡", "失眠", "夜间")) else rng.choice(["睡眠可", "睡眠欠佳"])
            bowel_words = ("腹泻", "大便", "稀便", "尿少", "尿量", "多尿", "夜尿", "泡沫尿", "便")
            bowel = "二便如前述" if any(w in body for w in bowel_words) else rng.choice(["大小便正常", "大小便如常"])
            weight = "" if "体重" in body else "，体重无明显变化"
            status = f"{self.subj}自发病以来，{state}，{appetite}，{sleep}，{bowel}{weight}。"
            return f"{body}{ending}{status}"
        return body + rng.choice(["今为进一步诊治来我院门诊就诊。", "为求进一步诊治来诊。"])

    def _vitals(self, v: dict[str, float], *, omit_bp: bool = False) -> str:
        parts = [f"T {v['T']:.1f}℃", f"P {int(v['P'])}次/分", f"R {int(v['R'])}次/分"]
        if not omit_bp:
            parts.append(f"BP {int(v['SBP'])}/{int(v['DBP'])}mmHg")
        if self.p.child and self.p.weight:
            parts.append(f"体重 {fmt_num(self.p.weight, 1)}kg")
        return " ".join(parts)

    def _exam(self) -> str:
        s = self.p.scenario
        parts = dict(_EXAM_DEFAULTS)
        if self.p.child:
            parts.update(_PED_EXAM_DEFAULTS)
        parts.update(s.exam)
        e = {k: _fmt(v, self.values) for k, v in parts.items()}
        return (f"{e['general']}。{e['skin']}。{e['lymph']}。头颅五官无畸形，{e['eyes']}。颈软，{e['neck']}。"
                f"{e['chest']}，{e['lung']}。{e['heart_area']}，{e['heart']}。{e['abdomen']}。{e['limbs']}。"
                f"{e['neuro']}。")

    @staticmethod
    def _lab_text(d: LabDraw, *, female: bool, child: bool) -> str:
        low, high = d.lab.range_for(female=female, child=child)
        arrow = {"H": "↑", "L": "↓", "N": ""}[lab_flag(d.value, low, high)]
        return f"{d.lab.name} {d.value:.{d.lab.decimals}f}{d.lab.unit}{arrow}"

    def _lab_lines(self, draws: list[LabDraw]) -> list[str]:
        panels: dict[str, list[str]] = {}
        for d in draws:
            panels.setdefault(d.lab.panel, []).append(self._lab_text(d, female=self.p.female, child=self.p.child))
        return [f"{panel}：{'，'.join(items)}。" for panel, items in panels.items()]

    def _aux_full(self, draws: list[LabDraw]) -> str:
        lines = self._lab_lines(draws) + [_fmt(x, self.values) for x in self.p.scenario.imaging]
        return "\n".join(lines) if lines else "暂无。"

    def _aux_brief(self) -> str:
        abnormal = []
        for d in self.p.labs:
            low, high = d.lab.range_for(female=self.p.female, child=self.p.child)
            if lab_flag(d.value, low, high) != "N":
                abnormal.append(self._lab_text(d, female=self.p.female, child=self.p.child))
        parts = []
        if abnormal:
            parts.append("，".join(abnormal[:4]))
        if self.p.scenario.imaging:
            parts.append(_fmt(self.p.scenario.imaging[0], self.values).rstrip("。"))
        return "；".join(parts) if parts else "血常规、生化未见明显异常"

    def _pmh(self) -> str:
        p, rng = self.p, self.rng
        if p.child:
            return "既往体健，否认肝炎、结核等传染病史及接触史，否认手术、外伤及输血史。"
        tail = "否认肝炎、结核等传染病史，否认手术、外伤及输血史，预防接种史随当地。"
        if not p.comorbid:
            denied = self._denied()
            if len(denied) == 3:
                return "平素体健，否认高血压、糖尿病、冠心病等慢性病史，" + tail
            others = f"否认{'、'.join(denied)}等" if denied else "否认其他"
            return f"除现病史所述疾病外，{others}慢性病史，" + tail
        parts = []
        for cdef, home, years in p.comorbid:
            meds = "、".join(f"{m.name} {fmt_num(m.dose)}{m.unit} {m.frequency}" for m in home) or "药物（具体不详）"
            maxbp = rng.choice(["160/95", "170/100", "180/100"])
            parts.append(_fmt(cdef.history, {"years": years, "maxbp": maxbp, "meds": meds}))
        return "；".join(parts) + "。否认其他慢性病史，" + tail

    def _denied(self) -> list[str]:
        """Chronic diseases a history may deny: never the one this admission is about."""
        s = self.p.scenario
        own = {
            "高血压": "htn" in s.no_comorbid,
            "糖尿病": "dm" in s.no_comorbid,
            "冠心病": bool({"cad", "hf"} & set(s.tags)),
        }
        return [name for name, mine in own.items() if not mine]

    def _pmh_brief(self) -> str:
        items = [f"{c.diagnosis.text}病史{y}年" for c, _, y in self.p.comorbid]
        text = "有" + "、".join(items) if items else ("体健" if len(self._denied()) == 3 else "无其他慢性病史")
        if self.p.allergies and not self._has("missing_section:过敏史"):
            text += f"；有{self.p.allergies[0][0]}过敏史"
        return text

    def _allergy_text(self) -> str:
        if not self.p.allergies:
            return self.rng.choice(["否认药物及食物过敏史。", "否认食物、药物过敏史。", "无药物过敏史，否认食物过敏史。"])
        substance, reaction = self.p.allergies[0]
        if substance == "海鲜":
            return f"对海鲜过敏，表现为{reaction}，否认药物过敏史。"
        return f"有{substance}过敏史，表现为{reaction}，否认其他药物及食物过敏史。"

    def _personal(self) -> str:
        p, rng = self.p, self.rng
        if p.child:
            order = rng.choice([1, 1, 2])
            return (f"第{order}胎第{order}产，足月{rng.choice(['顺产', '剖宫产'])}，出生体重{rng.uniform(2.9, 3.8):.1f}kg，"
                    f"生后无窒息抢救史。{rng.choice(['母乳', '混合', '人工'])}喂养，按时添加辅食。生长发育同同龄儿。按计划预防接种。")
        text = f"生于{p.identity['birthplace']}，久居本地，无疫区、疫水接触史。"
        if p.scenario.key == "copd":
            return text + f"吸烟{p.values.get('吸烟', '30')}年，平均20支/日，未戒烟。否认饮酒史。"
        if not p.female and rng.random() < 0.45:
            years = rng.randint(10, max(11, p.age - 18))
            quit_ = rng.choice(["未戒烟", f"已戒烟{rng.randint(1, 10)}年"])
            text += f"吸烟{years}年，平均{rng.choice([10, 15, 20])}支/日，{quit_}。"
        else:
            text += "否认吸烟史。"
        if not p.female and rng.random() < 0.3:
            text += f"饮酒{rng.randint(5, 30)}年，每日约白酒{rng.randint(1, 3)}两。"
        else:
            text += "否认饮酒史。"
        return text

    def _marital(self, *, pregnancy_for_male: bool = False) -> str:
        p, rng = self.p, self.rng
        status = p.identity["marital"]
        if status == "未婚":
            return "未婚未育。"
        sons, daughters = rng.randint(0, 2), rng.randint(0, 2)
        if sons + daughters == 0:
            sons = 1
        spouse = "配偶已故" if status == "丧偶" else "配偶体健"
        married_at = rng.randint(22, 28)
        kids = "".join(x for x in (f"{sons}子" if sons else "", f"{daughters}女" if daughters else ""))
        if p.female or pregnancy_for_male:
            g = sons + daughters + rng.randint(0, 1)
            return f"{married_at}岁结婚，{spouse}，孕{g}产{sons + daughters}，育有{kids}。"
        return f"{married_at}岁结婚，{spouse}，育有{kids}，均体健。"

    def _menstrual(self) -> str:
        p, rng = self.p, self.rng
        menarche = rng.randint(12, 15)
        if p.female and p.age >= 50:
            return f"初潮{menarche}岁，{rng.randint(47, 53)}岁绝经，绝经后无异常阴道出血。"
        lmp = p.start.date() - timedelta(days=rng.randint(3, 25))
        return (f"初潮{menarche}岁，经期{rng.randint(4, 6)}天，周期{rng.randint(27, 31)}天，末次月经{lmp:%Y-%m-%d}，"
                f"经量中等，无痛经。")

    def _family(self) -> str:
        if self.p.child:
            return "父母体健，否认家族遗传病史。"
        if self.p.age >= 65:
            return self.rng.choice(["父母已故（死因不详），兄弟姐妹体健，否认家族遗传病史。",
                                    "父亲因“脑卒中”去世，母亲已故，否认家族遗传病及传染病史。"])
        return self.rng.choice(["父母健在，否认家族性遗传病、传染病史。",
                                "父亲患高血压病，母亲体健，否认家族遗传病及传染病史。"])

    def _dx_entries(self) -> list[tuple[str, str | None]]:
        s = self.p.scenario
        entries: list[tuple[str, str | None]] = [(self.values["dx"], s.diagnosis.code)]
        entries += [(_fmt(d.text, self.values), d.code) for d in s.extra_dx]
        entries += list(self.p.extra_dx)
        entries += [(c.diagnosis.text, c.diagnosis.code) for c, _, _ in self.p.comorbid]
        return entries

    def _dx_list(self) -> str:
        sep = "、" if self.rng.random() < 0.2 else ". "
        return "\n".join(f"{i}{sep}{text}" for i, (text, _) in enumerate(self._dx_entries(), 1))

    @staticmethod
    def _numbered(items: list[str]) -> str:
        return "\n".join(f"{i}. {t}" for i, t in enumerate(items, 1))

    def _signature(self, note: _Note, *, doc_kind: str) -> str | None:
        """Add the signature line unless missing_signature was planted on this note; return the author."""
        if self._has("missing_signature") and self.values.get("_unsigned") == doc_kind:
            return None
        cosign = f"/{self.p.doctors.attending}" if self.style["cosign"] and self.p.inpatient else ""
        note.section("医师签名", f"{self.p.resident}{cosign}")
        return self.p.resident

    def _exam_heading(self) -> str:
        return "查体" if self.rng.random() < (0.6 if self.dept_exam_alias else 0.08) else "体格检查"

    def _specialty_heading(self) -> str:
        return "专科情况" if self.rng.random() < (0.6 if self.style["specialty_alias"] else 0.05) else "专科检查"

    def _document(self, note: _Note, *, suffix: str, doc_type: str, recorded_at: datetime,
                  author: str | None) -> ClinicalDocument:
        doc = ClinicalDocument(
            id=self._doc_id(suffix), patient_id=self.p.patient.id, encounter_id=self.p.encounter_id,
            doc_type=doc_type, title=note.lines[0], header=dict(note.header_fields), text=note.text,
            author=author, recorded_at=recorded_at, synthetic=True,
        )
        self.docs.append(doc)
        return doc

    # ── notes ──
    def admission_note(self) -> ClinicalDocument:
        p, rng, s = self.p, self.rng, self.p.scenario
        late = self._has("timeliness:入院记录>24h")
        rec = p.start + timedelta(minutes=rng.randint(26 * 60, 44 * 60) if late else rng.randint(150, 20 * 60))
        note = _Note("入院记录", self.style, rng)
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
        note.section(self._specialty_heading(), _fmt(rng.choice(s.specialty), self.values))
        note.section("辅助检查", self._aux_full(p.labs), block=True)
        note.section("诊断" if rng.random() < 0.1 else "初步诊断", self._dx_list(), block=True)
        note.section("诊疗计划", self._numbered([_fmt(x, self.values) for x in s.plan]), block=True)
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
        note = _Note("首次病程记录", self.style, rng)
        note.header([("姓名", p.patient.name or ""), ("性别", self.values["sex"]), ("年龄", f"{p.age}岁"),
                     ("科别", s.department), ("床号", p.bed or ""), ("住院号", p.number),
                     ("记录日期", fmt_dt(rec))])
        features = [
            f"{self.subj}{p.patient.name}，{self.values['sex']}，{p.age}岁，因“{self.cc}”于{fmt_dt(p.start)}入院。",
            _fmt(s.summary, self.values),
            # written as sentences, not "既往史：…", so the items do not read as section headings
            f"既往{self._pmh_brief()}。",
            f"入院查体 {self._vitals(p.vitals)}，{_fmt(s.key_signs, self.values)}。",
            f"辅助检查示{self._aux_brief()}。",
        ]
        note.section("病例特点", self._numbered(features), block=True)
        note.section("初步诊断", self._dx_list(), block=True)
        lead_in = rng.choice(["结合病史、体格检查及辅助检查结果，分析如下。",
                              f"根据患者病史特点，目前考虑“{self.values['dx']}”，分析如下。"])
        discussion = f"{lead_in}\n诊断依据：{_fmt(s.basis, self.values)}"
        if not self._has("missing_content:鉴别诊断"):
            discussion += "\n鉴别诊断：\n" + self._numbered([_fmt(x, self.values) for x in s.differential])
        note.section("拟诊讨论", discussion, block=True)
        note.section("诊疗计划", self._numbered([_fmt(x, self.values) for x in s.plan]), block=True)
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
            body = _fmt(texts[d], vals)
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
            note = _Note("日常病程记录", self.style, rng)
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
        note = _Note("出院记录", self.style, rng)
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
                               f"{_fmt(s.key_signs, self.values)}。辅助检查：{self._aux_brief()}。")
        note.section("入院诊断", self._dx_list(), block=True)
        note.section("诊疗经过", _fmt(rng.choice(s.course), self.values))
        note.section("出院诊断", self._dx_list(), block=True)
        note.section("出院情况", _fmt(rng.choice(s.discharge_state), dvals))
        take_home = [self._med_line(m, outpatient=False) for m in p.meds if m.drug.chronic]
        advice = [_fmt(a, self.values) for a in s.advice]
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
        note = _Note("门诊病历", self.style, rng)
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
                exam = _fmt(rng.choice(s.specialty), self.values)
            else:
                exam = _fmt(_FOLLOWUP_EXAM[s.department], self.values)
                if s.surgery is not None:
                    exam += "手术切口愈合良好。"
            vitals = self._vitals(p.vitals, omit_bp=self._has("vitals_incomplete"))
            note.section(exam_heading, f"{vitals}\n{general}。{exam}", block=True)
        note.section("辅助检查", self._aux_full(p.labs) if p.followup_of is None else
                     ("\n".join(self._lab_lines(p.labs)) or "暂无。"), block=True)
        note.section("诊断" if rng.random() < 0.4 else "初步诊断", self._dx_list(), block=True)
        items = [self._med_line(m, outpatient=True) for m in p.meds]
        if p.followup_of is None:
            items += [_fmt(a, self.values) for a in s.opd_advice]
        else:
            items += ["继续目前治疗，定期复查。", "不适随诊。"]
        note.section("处理意见", self._numbered(items), block=True)
        author = self._signature(note, doc_kind="OPD")
        doc = self._document(note, suffix="OPD", doc_type="门诊病历", recorded_at=rec, author=author)
        self._plant_note_defects(doc, rec, exam_heading=exam_heading)
        return doc

    # ── structured data ──
    def orders(self) -> list[MedicationOrder]:
        p, rng = self.p, self.rng
        status = "active" if p.active else "completed"
        out = []
        for i, m in enumerate(p.meds, 1):
            m.order_id = f"{p.encounter_id}-M{i:02d}"
            if p.inpatient:
                when = p.start + timedelta(minutes=rng.randint(40, 120))
                if m.planted and p.progress_days:
                    when = datetime.combine(p.start.date() + timedelta(days=1), datetime.min.time()) + timedelta(
                        hours=9, minutes=rng.randint(0, 120))
            else:
                when = p.start + timedelta(minutes=rng.randint(60, 120))
            out.append(MedicationOrder(
                id=m.order_id, text=self._med_line(m, outpatient=not p.inpatient), ordered_at=when,
                prescriber=p.resident, status=status, drug=m.name, dose=m.dose, unit=m.unit, route=m.route,
                frequency=m.frequency, days=m.days, code=m.drug.atc,
            ))
        return out

    def plant_rx(self) -> None:
        """Manifest entries for planted prescription defects, naming the orders involved."""
        p = self.p
        opd = [d.id or "" for d in self.docs if d.doc_type == "门诊病历"]
        for kind in p.defects:
            if KIND_BY_NAME[kind].category != "prescription":
                continue
            planted = [m for m in p.meds if m.planted == kind]
            involved = list(planted)
            data = p.defect_data.get(kind, {})
            if kind.startswith("ddi:"):
                involved = [m for m in p.meds if m.drug.generic in data.get("drugs", [])]
            elif kind.startswith("duplicate_therapy:"):
                involved = [m for m in p.meds if m.drug.generic == data.get("generic")]
            names = "、".join(self._med_line(m, outpatient=not p.inpatient) for m in involved)
            self._plant(kind, documents=opd, orders=[m.order_id for m in involved], detail=names)

    def _target_vitals(self) -> dict[str, float]:
        rng = self.rng
        if self.p.child:
            t = {"T": round(rng.uniform(36.3, 36.9), 1), "P": rng.randint(88, 112), "R": rng.randint(20, 26),
                 "SBP": rng.randint(88, 102), "DBP": rng.randint(55, 65)}
        else:
            t = {"T": round(rng.uniform(36.2, 36.8), 1), "P": rng.randint(64, 84), "R": rng.randint(16, 19),
                 "SBP": rng.randint(116, 136), "DBP": rng.randint(68, 84)}
        return {k: float(v) for k, v in t.items()}

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

    def _lab_result(self, d: LabDraw) -> LabResult:
        low, high = d.lab.range_for(female=self.p.female, child=self.p.child)
        ref = f">{fmt_num(low)}" if high >= 999 else f"{fmt_num(low)}-{fmt_num(high)}"
        return LabResult(name=d.lab.name, value=d.value, unit=d.lab.unit or None, reference_range=ref,
                         flag=lab_flag(d.value, low, high), loinc=d.lab.loinc, observed_at=d.observed_at)


def render_plan(plan: Plan, rng: random.Random, style: dict[str, Any]) -> tuple[ClinicalContext, list[dict[str, Any]]]:
    """Write one encounter: its context (notes, orders, labs, allergies) and its planted defects."""
    return _Writer(plan, rng, style).render()
