"""Synthetic QC evaluation cases: clean inpatient records and the same records with one planted defect.

Every record is synthetic (合成), generated from a seed. A case knows the rule its defect should trigger,
so precision and recall per rule category follow: a planted defect found by its rule is a true positive,
a planted defect missed is a false negative, and any finding on a clean record — or on a mutated record
that its clean original did not have — is a false positive.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from yizhu.core import ClinicalContext, ClinicalDocument, Diagnosis, Encounter, Patient
from yizhu.core.models import AllergyIntolerance, EncounterClass, Sex
from yizhu.core.parsing import parse_document

LABEL = "【合成病历 / synthetic record — 非真实患者】"

# (department, complaint symptom, complaint, hpi sentence, exam extra, diagnoses (name, code), plan, drug)
SCENARIOS = [
    ("心血管内科", "胸闷", "反复胸闷{n}年，加重{m}天", "患者{n}年前劳累后出现胸闷，休息数分钟可缓解，{m}天前胸闷再发加重，持续约10分钟。",
     "心界不大，心律齐，各瓣膜听诊区未闻及杂音。", [("冠状动脉粥样硬化性心脏病", "I25.1"), ("原发性高血压", "I10")],
     "予阿司匹林、阿托伐他汀抗血小板及调脂治疗，完善冠脉造影。", "阿托伐他汀"),
    ("呼吸内科", "咳嗽", "咳嗽、咳痰{m}天，发热{k}天", "患者{m}天前受凉后出现咳嗽，咳黄白色黏痰，{k}天前出现发热，最高体温38.9℃。",
     "双肺呼吸音粗，右下肺可闻及湿啰音。", [("社区获得性肺炎", "J18.9")],
     "予头孢曲松抗感染、氨溴索化痰治疗，复查血常规及胸部CT。", "头孢曲松"),
    ("内分泌科", "多饮", "多饮、多尿{n}年，血糖控制不佳{m}天", "患者{n}年前出现多饮、多尿，诊断为2型糖尿病，{m}天前自测空腹血糖12mmol/L。",
     "双足背动脉搏动可，双下肢无水肿。", [("2型糖尿病", "E11.9")],
     "予二甲双胍、门冬胰岛素降糖，监测血糖，糖尿病教育。", "二甲双胍"),
    ("神经内科", "肢体无力", "右侧肢体无力{k}天", "患者{k}天前晨起时出现右侧肢体无力，持物不稳，行走拖步，伴言语含糊，无头痛呕吐。",
     "神志清，言语欠清，右侧肢体肌力4级，右侧巴氏征阳性。", [("脑梗死", "I63.9")],
     "予改善循环治疗，完善头颅MRI及颈部血管超声。", "阿司匹林"),
    ("普通外科", "腹痛", "右上腹痛{k}天", "患者{k}天前进食油腻食物后出现右上腹痛，呈阵发性绞痛，向右肩背部放射。",
     "右上腹压痛，墨菲征阳性，无反跳痛。", [("胆囊结石伴急性胆囊炎", "K80.0")],
     "予禁食、补液、抗感染治疗，择期行腹腔镜胆囊切除术。", "头孢呋辛"),
]

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英"


@dataclass
class Case:
    """One record with its expected findings (rule ids); ``defect`` is None for a clean record."""

    id: str
    ctx: ClinicalContext
    defect: str | None
    expected_rules: set[str] = field(default_factory=set)
    base_id: str | None = None


def _doc(doc_id: str, text: str, recorded: datetime) -> ClinicalDocument:
    d = parse_document(text, doc_id=doc_id)
    return d.model_copy(update={"recorded_at": recorded, "synthetic": True})


def _notes(rng: random.Random, i: int, sex: Sex, age: int, sc: tuple, admitted: datetime, los: int) -> dict[str, str]:
    dept, _, complaint_t, hpi_t, exam_extra, dxs, plan, _ = sc
    n, m, k = rng.randint(2, 9), rng.randint(2, 9), rng.randint(1, 3)
    name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
    complaint = complaint_t.format(n=n, m=m, k=k)
    hpi = hpi_t.format(n=n, m=m, k=k) + "发病以来精神、食欲可，大小便正常，体重无明显变化。"
    sx = "男" if sex is Sex.male else "女"
    menstrual = "" if sex is Sex.male else ("月经史：已绝经。\n" if age >= 52 else "月经史：13岁初潮，5/28天，末次月经2026-02-20，经量正常。\n")
    dx_lines = "\n".join(f"{j}.{d[0]}" for j, d in enumerate(dxs, 1))
    no = f"ZY2026{i:04d}"
    adm = admitted.strftime("%Y-%m-%d %H:%M")
    rec = (admitted + timedelta(hours=3)).strftime("%Y-%m-%d %H:%M")
    discharge = admitted + timedelta(days=los)
    notes = {
        "admission": (
            f"入院记录\n{LABEL}\n姓名：{name}　性别：{sx}　年龄：{age}岁　科别：{dept}　床号：{rng.randint(1, 40)}　住院号：{no}\n"
            f"入院日期：{adm}　记录日期：{rec}　病史陈述者：患者本人\n"
            f"主诉：{complaint}。\n现病史：{hpi}\n既往史：否认肝炎、结核等传染病史，否认手术外伤史。\n"
            f"过敏史：否认药物及食物过敏史。\n个人史：生于原籍，无烟酒嗜好。\n婚育史：已婚，育有1子，配偶体健。\n{menstrual}"
            f"家族史：父母体健，否认家族遗传病史。\n"
            f"体格检查：T 36.{rng.randint(4, 9)}℃ P {rng.randint(66, 96)}次/分 R {rng.randint(16, 20)}次/分 BP {rng.randint(112, 148)}/{rng.randint(66, 92)}mmHg\n"
            f"神志清，精神可。{exam_extra}\n辅助检查：血常规未见明显异常。\n初步诊断：\n{dx_lines}\n医师签名：{rng.choice(SURNAMES)}医生\n"
        ),
        "first_progress": (
            f"首次病程记录\n{LABEL}\n姓名：{name}　住院号：{no}\n记录日期：{(admitted + timedelta(hours=2)).strftime('%Y-%m-%d %H:%M')}\n"
            f"病例特点：{age}岁{sx}性，因“{complaint}”入院。{exam_extra}\n"
            f"拟诊讨论：根据病史、体征，诊断考虑{dxs[0][0]}，需与相关疾病鉴别。\n诊疗计划：{plan}\n医师签名：{rng.choice(SURNAMES)}医生\n"
        ),
    }
    openers = ["患者诉症状较前减轻", "患者今日精神好转", "患者自述无明显不适", "患者症状基本缓解", "患者夜间睡眠改善"]
    findings = ["双肺呼吸音清", "心律齐，未闻及杂音", "腹软，无压痛", "双下肢无水肿", "神经系统查体同前"]
    day = 1
    for j in range(los - 1):
        when = admitted + timedelta(days=day, hours=rng.randint(1, 4))
        vit = f"T {rng.randint(362, 372) / 10}℃，P {rng.randint(64, 92)}次/分，BP {rng.randint(110, 146)}/{rng.randint(64, 90)}mmHg"
        if j == 0:
            body = f"今日主治医师查房：患者病情稳定，{vit}。分析病史及检查结果，同意目前诊断，继续原方案治疗。"
        else:
            body = (f"{openers[(j + i) % len(openers)]}，住院第{day + 1}天。查体：{vit}，{findings[(j * 2 + i) % len(findings)]}。"
                    f"{['复查血常规较前好转', '继续当前治疗', '调整用药剂量', '拟近日出院', '完善相关检查'][(j + i * 3) % 5]}。")
        notes[f"progress{j + 1}"] = f"日常病程记录\n{LABEL}\n记录日期：{when.strftime('%Y-%m-%d %H:%M')}\n{body}\n"
        day += 1
    notes["discharge"] = (
        f"出院记录\n{LABEL}\n姓名：{name}　性别：{sx}　年龄：{age}岁　科别：{dept}　住院号：{no}\n"
        f"入院日期：{adm}　出院日期：{discharge.strftime('%Y-%m-%d %H:%M')}　记录日期：{(discharge + timedelta(hours=2)).strftime('%Y-%m-%d %H:%M')}\n"
        f"入院情况：患者因“{complaint}”入院。{exam_extra}\n入院诊断：\n{dx_lines}\n诊疗经过：入院后{plan.rstrip('。')}，症状好转。\n"
        f"出院诊断：\n{dx_lines}\n出院情况：症状缓解，生命体征平稳。\n出院医嘱：继续口服药物治疗，2周后门诊复诊，不适随诊。\n"
        f"医师签名：{rng.choice(SURNAMES)}医生\n"
    )
    return notes


def _context(case_id: str, notes: dict[str, str], sex: Sex, age: int, sc: tuple, admitted: datetime, los: int,
             allergies: list[str] | None = None, main_code: str | None = None, extra_days: int = 0) -> ClinicalContext:
    docs = []
    for key, text in notes.items():
        doc = parse_document(text, doc_id=f"{case_id}-{key}")
        rec = doc.header.get("记录日期")
        when = datetime.strptime(rec, "%Y-%m-%d %H:%M") if rec else admitted
        docs.append(doc.model_copy(update={"recorded_at": when, "synthetic": True}))
    dxs = sc[5]
    return ClinicalContext(
        patient=Patient(id=f"pat-{case_id}", sex=sex, age_years=age, synthetic=True),
        encounter=Encounter(
            id=f"enc-{case_id}", patient_id=f"pat-{case_id}", encounter_class=EncounterClass.inpatient,
            department=sc[0], admitted_at=admitted, discharged_at=admitted + timedelta(days=los + extra_days),
            condition_level="stable",
        ),
        documents=docs,
        diagnoses=[Diagnosis(text=d[0], code=(main_code if j == 0 and main_code else d[1]), kind="discharge", is_main=j == 0)
                   for j, d in enumerate(dxs)],
        allergies=[AllergyIntolerance(substance=a) for a in (allergies or [])],
    )


Mutation = Callable[[dict[str, str], dict], None]


def _drop(note: str, heading: str) -> Mutation:
    def f(notes: dict[str, str], opts: dict) -> None:
        lines = notes[note].split("\n")
        out, skipping = [], False
        for line in lines:
            if line.startswith(heading + "："):
                skipping = True
                continue
            if skipping and ("：" in line[:8] or line == ""):
                skipping = False
            if not skipping:
                out.append(line)
        notes[note] = "\n".join(out)
    return f


def _sub(note: str, old: str, new: str, *, regex: bool = False) -> Mutation:
    import re

    def f(notes: dict[str, str], opts: dict) -> None:
        notes[note] = re.sub(old, new, notes[note], count=1) if regex else notes[note].replace(old, new, 1)
    return f


def _shift(note: str, hours: float) -> Mutation:
    import re

    def f(notes: dict[str, str], opts: dict) -> None:
        m = re.search(r"记录日期：(\d{4}-\d\d-\d\d \d\d:\d\d)", notes[note])
        assert m
        new = datetime.strptime(m.group(1), "%Y-%m-%d %H:%M") + timedelta(hours=hours)
        notes[note] = notes[note].replace(m.group(0), f"记录日期：{new:%Y-%m-%d %H:%M}")
    return f


def _opt(key: str, value: object) -> Mutation:
    def f(notes: dict[str, str], opts: dict) -> None:
        opts[key] = value
    return f


def _copy_progress(notes: dict[str, str], opts: dict) -> None:
    keys = sorted(k for k in notes if k.startswith("progress"))
    body = "患者诉胸闷气短较前明显缓解，夜间可平卧，饮食睡眠尚可，二便正常。查体：双肺呼吸音清，未闻及干湿啰音，心律齐，双下肢无水肿。"
    for k in keys[-2:]:
        head, _, _ = notes[k].rpartition("\n今")
        lines = notes[k].rstrip("\n").split("\n")
        notes[k] = "\n".join(lines[:3]) + "\n" + body + "\n"
        del head


def _gap(notes: dict[str, str], opts: dict) -> None:
    """Four days without a progress note in a stable patient: later notes and discharge move on 4 days."""
    import re

    keys = sorted(k for k in notes if k.startswith("progress"))
    for k in [*keys[1:], "discharge"]:
        _shift(k, 24 * 4)(notes, opts)
    m = re.search(r"出院日期：(\d{4}-\d\d-\d\d \d\d:\d\d)", notes["discharge"])
    assert m
    new = datetime.strptime(m.group(1), "%Y-%m-%d %H:%M") + timedelta(days=4)
    notes["discharge"] = notes["discharge"].replace(m.group(0), f"出院日期：{new:%Y-%m-%d %H:%M}")
    opts["extra_days"] = 4


# (defect name, expected rule id, mutation(s), scenario filter or None)
MUTATIONS: list[tuple[str, str, list[Mutation]]] = [
    ("missing 主诉", "qc.admission.chief_complaint.v1", [_drop("admission", "主诉")]),
    ("missing 现病史", "qc.admission.present_illness.v1", [_drop("admission", "现病史")]),
    ("missing 既往史", "qc.admission.past_history.v1", [_drop("admission", "既往史")]),
    ("missing 个人史", "qc.admission.personal_history.v1", [_drop("admission", "个人史")]),
    ("missing 家族史", "qc.admission.family_history.v1", [_drop("admission", "家族史")]),
    ("missing 体格检查", "qc.admission.physical_exam.v1", [_drop("admission", "体格检查")]),
    ("missing 辅助检查", "qc.admission.auxiliary_exam.v1", [_drop("admission", "辅助检查")]),
    ("missing 初步诊断", "qc.admission.preliminary_diagnosis.v1", [_drop("admission", "初步诊断")]),
    ("missing 过敏史", "qc.admission.allergy_history.v1", [_drop("admission", "过敏史")]),
    ("missing 病例特点", "qc.first_progress.case_features.v1", [_drop("first_progress", "病例特点")]),
    ("missing 拟诊讨论", "qc.first_progress.differential.v1", [_drop("first_progress", "拟诊讨论")]),
    ("missing 出院医嘱", "qc.discharge.discharge_orders.v1", [_drop("discharge", "出院医嘱")]),
    ("missing 出院诊断", "qc.discharge.discharge_diagnosis.v1", [_drop("discharge", "出院诊断")]),
    ("missing 诊疗经过", "qc.discharge.course.v1", [_drop("discharge", "诊疗经过")]),
    ("unsigned discharge note", "qc.signature.required.v1", [_drop("discharge", "医师签名")]),
    ("no differential", "qc.first_progress.differential_content.v1",
     [_sub("first_progress", "，需与相关疾病鉴别。", "。")]),
    ("vitals without BP", "qc.admission.vital_signs.v1", [_sub("admission", r" BP \d+/\d+mmHg", "", regex=True)]),
    ("主诉 without duration", "qc.admission.chief_complaint_duration.v1",
     [_sub("admission", r"(主诉：[^\n]*?)(?:\d+(?:个)?(?:年|月|天|周|小时))", r"\1", regex=True),
      _sub("admission", r"(主诉：[^\n]*?)(?:\d+(?:个)?(?:年|月|天|周|小时))", r"\1", regex=True)]),
    ("主诉 too long", "qc.standard.chief_complaint_length.v1",
     [_sub("admission", r"主诉：([^\n。]*)。", r"主诉：\1，活动后明显加重，休息后可稍缓解，反复发作多次。", regex=True)]),
    ("入院记录 late", "qc.timeliness.admission_24h.v1", [_shift("admission", 30)]),
    ("首次病程 late", "qc.timeliness.first_progress_8h.v1", [_shift("first_progress", 9)]),
    ("出院记录 late", "qc.timeliness.discharge_24h.v1", [_shift("discharge", 40)]),
    ("progress gap", "qc.timeliness.progress_interval.v1", [_gap]),
    ("no senior round", "qc.timeliness.senior_round_48h.v1", [_sub("progress1", "今日主治医师查房：", "")]),
    ("male with 月经史", "qc.consistency.sex_content.v1",
     [_opt("sex", Sex.male), _sub("admission", "性别：女", "性别：男"),
      _sub("admission", "家族史：", "月经史：13岁初潮，末次月经2026-02-01。\n家族史：")]),
    ("child smoking", "qc.consistency.age_content.v1", [_sub("admission", "无烟酒嗜好", "吸烟20年，每日10支")]),
    ("complaint not in HPI", "qc.consistency.complaint_in_history.v1",
     [_sub("admission", r"现病史：[^\n]*", "现病史：患者近期自觉乏力，未予重视，今为进一步诊治来院。", regex=True)]),
    ("admission dx mismatch", "qc.consistency.diagnoses_across_documents.v1",
     [_sub("discharge", r"入院诊断：\n1\.[^\n]*", "入院诊断：\n1.急性胰腺炎", regex=True)]),
    ("allergy conflict", "qc.consistency.allergy_vs_drugs.v1",
     [_sub("admission", "过敏史：否认药物及食物过敏史。", "过敏史：有头孢类药物过敏史，表现为皮疹。"),
      _sub("discharge", "出院医嘱：继续口服药物治疗", "出院医嘱：头孢克洛缓释胶囊0.375g bid 口服，继续口服药物治疗")]),
    ("record before admission", "qc.consistency.date_order.v1", [_shift("first_progress", -5)]),
    ("laterality", "qc.consistency.laterality.v1",
     [_sub("admission", r"主诉：[^\n]*", "主诉：左膝关节疼痛3个月。", regex=True),
      _sub("admission", "发病以来", "近3个月左膝关节疼痛，上下楼时明显。发病以来"),
      _sub("admission", "\n医师签名", "\n9.右膝骨关节炎\n医师签名")]),
    ("unexplained abbreviation", "qc.standard.abbreviation.v1", [_sub("progress1", "病情稳定", "病情稳定，SOB较前好转")]),
    ("non-standard unit", "qc.standard.units.v1", [_sub("discharge", "出院情况：", "出院情况：每日尿量约1500cc，")]),
    ("unnormalisable diagnosis", "qc.standard.diagnosis_normalisable.v1",
     [_sub("discharge", r"出院诊断：\n1\.[^\n]*", "出院诊断：\n1.气血两虚综合症候群", regex=True)]),
    ("bad main code", "qc.frontpage.main_diagnosis_code.v1", [_opt("main_code", "X99.99Q")]),
    ("copy-paste progress", "qc.copy_paste.progress_notes.v1", [_copy_progress]),
]


def generate(seed: int = 7, n_base: int = 20) -> list[Case]:
    """``n_base`` clean records and, for each mutation, one mutated copy of a base record."""
    rng = random.Random(seed)
    cases: list[Case] = []
    bases = []
    for i in range(n_base):
        sc = SCENARIOS[i % len(SCENARIOS)]
        sex = Sex.male if rng.random() < 0.5 else Sex.female
        age = rng.randint(35, 80)
        admitted = datetime(2026, rng.randint(1, 10), rng.randint(1, 25), rng.randint(8, 20), rng.choice([0, 15, 30, 45]))
        los = rng.randint(4, 7)
        notes = _notes(rng, i, sex, age, sc, admitted, los)
        cid = f"qc-clean-{i:03d}"
        bases.append((cid, notes, sex, age, sc, admitted, los))
        cases.append(Case(cid, _context(cid, notes, sex, age, sc, admitted, los), None))
    for j, (defect, rule_id, muts) in enumerate(MUTATIONS):
        for r in range(2):  # two instances of each defect, on different base records
            base_id, notes, sex, age, sc, admitted, los = bases[(j * 3 + r * 7) % len(bases)]
            if defect == "child smoking":
                age = 10
                notes = _notes(random.Random(seed * 1000 + j), j, sex, age, sc, admitted, los)
            new_notes = dict(notes)
            opts: dict = {}
            for m in muts:
                m(new_notes, opts)
            cid = f"qc-defect-{j:02d}-{r}"
            ctx = _context(
                cid, new_notes, opts.get("sex", sex), age, sc, admitted, los,
                allergies=opts.get("allergies"), main_code=opts.get("main_code"), extra_days=opts.get("extra_days", 0),
            )
            cases.append(Case(cid, ctx, defect, {rule_id}, base_id=base_id))
    return cases
