"""The sections of a demo note, as Chinese EMRs print them: the text templates and the pieces each note
is assembled from (chief complaint, history, examination, results, diagnoses, signatures), and the
planting of a recorded defect.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from yizhu.core.models import ClinicalDocument
from yizhu.demo.model import (
    KIND_BY_NAME,
    SYNTHETIC_LABEL,
    LabDraw,
    Med,
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
FOLLOWUP_EXAM = {
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


def fill(template: str, values: dict[str, str]) -> str:
    return template.format_map(_Fmt(values))


class NoteLines:
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


class SectionsMixin:
    """The pieces every note is made of: chief complaint, history, examination, results, diagnoses,
    signatures, and the planting of defects. Mixed into the note writer (``notes._Writer``).
    """

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
            return fill(rng.choice(s.cc_plain), self.values)
        cc = fill(rng.choice(s.cc), self.values)
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
            body = fill(rng.choice(options), self.values)
        else:
            body = fill(rng.choice(s.hpi), self.values)
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
        e = {k: fill(v, self.values) for k, v in parts.items()}
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
        lines = self._lab_lines(draws) + [fill(x, self.values) for x in self.p.scenario.imaging]
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
            parts.append(fill(self.p.scenario.imaging[0], self.values).rstrip("。"))
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
            parts.append(fill(cdef.history, {"years": years, "maxbp": maxbp, "meds": meds}))
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
        entries += [(fill(d.text, self.values), d.code) for d in s.extra_dx]
        entries += list(self.p.extra_dx)
        entries += [(c.diagnosis.text, c.diagnosis.code) for c, _, _ in self.p.comorbid]
        return entries

    def _dx_list(self) -> str:
        sep = "、" if self.rng.random() < 0.2 else ". "
        return "\n".join(f"{i}{sep}{text}" for i, (text, _) in enumerate(self._dx_entries(), 1))

    @staticmethod
    def _numbered(items: list[str]) -> str:
        return "\n".join(f"{i}. {t}" for i, t in enumerate(items, 1))

    def _signature(self, note: NoteLines, *, doc_kind: str) -> str | None:
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

    def _document(self, note: NoteLines, *, suffix: str, doc_type: str, recorded_at: datetime,
                  author: str | None) -> ClinicalDocument:
        doc = ClinicalDocument(
            id=self._doc_id(suffix), patient_id=self.p.patient.id, encounter_id=self.p.encounter_id,
            doc_type=doc_type, title=note.lines[0], header=dict(note.header_fields), text=note.text,
            author=author, recorded_at=recorded_at, synthetic=True,
        )
        self.docs.append(doc)
        return doc
