"""Build ``src/yizhu/evaluation/data/rx/cases.jsonl``: the labelled, synthetic (合成) evaluation set of prescription review.

Each case is an order document as a doctor would write it (brands, salts, dose forms, Chinese routes and
frequencies) with the problem it was designed to contain, or a clean chronic-disease regimen. Labels were
written from the clinical problem first; alerts the engine raised beyond the design were adjudicated by
hand and, when judged correct, added as ``incidental`` labels (typically 高警示 flags and organ-function
notes). Nothing here is a real patient.

Two sets: ``cases.jsonl`` (development: the rules were refined on it, so its figures are optimistic) and
``holdout.jsonl`` (``holdout_cases.py``: written after the engine, labelled from the clinical problem only,
never tuned on).

Run: ``.venv/bin/python -m yizhu.evaluation.data.rx.build_cases`` (rewrites both files).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

OUT = Path(__file__).with_name("cases.jsonl")
CASES: list[dict[str, Any]] = []


def pt(sex: str = "male", age: float = 50, w: float | None = 65, **kw: Any) -> dict[str, Any]:
    """A patient; keyword arguments: allergies, diagnoses, labs, pregnant, lactating, prescriber_level, height_cm."""
    p: dict[str, Any] = {"sex": sex, "age_years": age}
    if w is not None:
        p["weight_kg"] = w
    p.setdefault("prescriber_level", "attending")
    p.update(kw)
    return p


def o(drug: str, dose: float | None = None, unit: str | None = None, route: str | None = "口服",
      freq: str | None = "qd", days: float | None = None) -> dict[str, Any]:
    """An order as written."""
    out: dict[str, Any] = {"drug": drug}
    for k, v in (("dose", dose), ("unit", unit), ("route", route), ("frequency", freq), ("days", days)):
        if v is not None:
            out[k] = v
    return out


def E(type_: str, *drugs: str, sev: str | None = None) -> dict[str, Any]:
    """An expected (designed) alert."""
    e: dict[str, Any] = {"type": type_, "drugs": list(drugs)}
    if sev:
        e["min_severity"] = sev
    return e


def I(type_: str, *drugs: str) -> dict[str, Any]:  # noqa: E743 - reads as a label in the tables below
    """An incidental alert judged correct on adjudication."""
    return {"type": type_, "drugs": list(drugs), "incidental": True}


def case(name: str, category: str, description: str, patient: dict[str, Any], orders: list[dict[str, Any]],
         expected: list[dict[str, Any]], setting: str | None = None) -> None:
    doc: dict[str, Any] = {"id": name, "synthetic": True, "patient": patient, "orders": orders}
    if setting:
        doc["setting"] = setting
    CASES.append({"name": name, "synthetic": True, "category": category, "description": description,
                  "document": doc, "expected": expected})


# ── interactions ──────────────────────────────────────────────────────────────────────────────
IX = "interaction"
case("ix-warfarin-ibuprofen", IX, "华法林合用布洛芬：出血", pt(age=58),
     [o("华法林钠片", 3, "mg"), o("布洛芬缓释胶囊", 0.3, "g", freq="bid")],
     [E(IX, "华法林钠片", "布洛芬缓释胶囊", sev="major"), I("high_alert", "华法林钠片")])
case("ix-warfarin-aspirin", IX, "华法林合用阿司匹林", pt(age=62),
     [o("华法林钠片", 2.5, "mg"), o("阿司匹林肠溶片", 100, "mg")],
     [E(IX, "华法林钠片", "阿司匹林肠溶片", sev="major"), I("high_alert", "华法林钠片")])
case("ix-clarithro-simva", IX, "克拉霉素与辛伐他汀：禁忌", pt(age=55),
     [o("克拉霉素片", 0.5, "g", freq="bid"), o("辛伐他汀片", 20, "mg", freq="qn")],
     [E(IX, "克拉霉素片", "辛伐他汀片", sev="contraindicated")])
case("ix-clopi-omeprazole", IX, "氯吡格雷与奥美拉唑", pt(age=66, diagnoses=["冠心病"]),
     [o("硫酸氢氯吡格雷片(波立维)", 75, "mg"), o("奥美拉唑肠溶胶囊", 20, "mg")],
     [E(IX, "硫酸氢氯吡格雷片(波立维)", "奥美拉唑肠溶胶囊", sev="moderate"), I("geriatric", "奥美拉唑肠溶胶囊")])
case("ix-sildenafil-nitrate", IX, "西地那非与单硝酸异山梨酯", pt(age=60),
     [o("西地那非片", 50, "mg", freq="prn"), o("单硝酸异山梨酯缓释片", 60, "mg")],
     [E(IX, "西地那非片", "单硝酸异山梨酯缓释片", sev="contraindicated")])
case("ix-linezolid-sertraline", IX, "利奈唑胺与舍曲林：5-羟色胺综合征", pt(age=45),
     [o("利奈唑胺片", 600, "mg", freq="q12h"), o("盐酸舍曲林片", 50, "mg")],
     [E(IX, "利奈唑胺片", "盐酸舍曲林片", sev="major"), I("antimicrobial", "利奈唑胺片")])
case("ix-mtx-smztmp", IX, "甲氨蝶呤与复方磺胺甲噁唑", pt(sex="female", age=52),
     [o("甲氨蝶呤片", 10, "mg", freq="qw"), o("复方磺胺甲噁唑片", 2, "片", freq="bid")],
     [E(IX, "甲氨蝶呤片", "复方磺胺甲噁唑片", sev="major"), I("high_alert", "甲氨蝶呤片")])
case("ix-spironolactone-kcl", IX, "螺内酯与氯化钾：高钾", pt(age=70, diagnoses=["慢性心力衰竭"]),
     [o("螺内酯片", 20, "mg"), o("氯化钾缓释片", 1, "g", freq="tid")],
     [E(IX, "螺内酯片", "氯化钾缓释片", sev="major")])
case("ix-acei-arb", IX, "ACEI 与 ARB 联用", pt(age=64, diagnoses=["高血压"]),
     [o("依那普利片", 10, "mg"), o("缬沙坦胶囊(代文)", 80, "mg")],
     [E(IX, "依那普利片", "缬沙坦胶囊(代文)", sev="major")])
case("ix-digoxin-amiodarone", IX, "地高辛与胺碘酮", pt(age=63, diagnoses=["心房颤动"]),
     [o("地高辛片", 0.125, "mg"), o("盐酸胺碘酮片(可达龙)", 200, "mg")],
     [E(IX, "地高辛片", "盐酸胺碘酮片(可达龙)", sev="major")])
case("ix-levo-amiodarone-qt", IX, "左氧氟沙星与胺碘酮：QT 延长", pt(age=59),
     [o("左氧氟沙星片", 0.5, "g"), o("胺碘酮片", 200, "mg")],
     [E(IX, "左氧氟沙星片", "胺碘酮片", sev="major")])
case("ix-tramadol-maoi", IX, "曲马多与吗氯贝胺", pt(age=48),
     [o("盐酸曲马多缓释片", 100, "mg", freq="bid"), o("吗氯贝胺片", 150, "mg", freq="bid")],
     [E(IX, "盐酸曲马多缓释片", "吗氯贝胺片", sev="contraindicated"), I("high_alert", "盐酸曲马多缓释片")])
case("ix-azathioprine-allopurinol", IX, "硫唑嘌呤与别嘌醇", pt(age=41),
     [o("硫唑嘌呤片", 50, "mg", freq="bid"), o("别嘌醇片", 0.1, "g", freq="tid")],
     [E(IX, "硫唑嘌呤片", "别嘌醇片", sev="major")])
case("ix-theophylline-cipro", IX, "茶碱与环丙沙星", pt(age=57),
     [o("茶碱缓释片", 0.1, "g", freq="bid"), o("盐酸环丙沙星片", 0.5, "g", freq="bid")],
     [E(IX, "茶碱缓释片", "盐酸环丙沙星片", sev="major")])
case("ix-colchicine-clarithro", IX, "秋水仙碱与克拉霉素", pt(age=50),
     [o("秋水仙碱片", 0.5, "mg", freq="bid"), o("克拉霉素缓释片", 0.5, "g")],
     [E(IX, "秋水仙碱片", "克拉霉素缓释片", sev="major")])
case("ix-opioid-benzo", IX, "羟考酮与地西泮：呼吸抑制", pt(age=45),
     [o("盐酸羟考酮缓释片", 10, "mg", freq="q12h"), o("地西泮片", 5, "mg", freq="qn")],
     [E(IX, "盐酸羟考酮缓释片", "地西泮片", sev="major"), I("high_alert", "盐酸羟考酮缓释片")])
case("ix-valproate-meropenem", IX, "丙戊酸与美罗培南", pt(age=35, prescriber_level="chief"),
     [o("丙戊酸钠缓释片", 500, "mg", freq="bid"), o("注射用美罗培南", 1, "g", "静滴", "q8h")],
     [E(IX, "丙戊酸钠缓释片", "注射用美罗培南", sev="major")], setting="inpatient")
case("ix-bb-verapamil", IX, "美托洛尔与维拉帕米", pt(age=68),
     [o("酒石酸美托洛尔片", 25, "mg", freq="bid"), o("盐酸维拉帕米片", 40, "mg", freq="tid")],
     [E(IX, "酒石酸美托洛尔片", "盐酸维拉帕米片", sev="major")])
case("ix-lithium-hctz", IX, "碳酸锂与氢氯噻嗪", pt(age=40),
     [o("碳酸锂缓释片", 0.3, "g", freq="bid"), o("氢氯噻嗪片", 25, "mg")],
     [E(IX, "碳酸锂缓释片", "氢氯噻嗪片", sev="major")])
case("ix-warfarin-fluconazole", IX, "华法林与氟康唑", pt(sex="female", age=55),
     [o("华法林钠片", 3, "mg"), o("氟康唑胶囊", 150, "mg")],
     [E(IX, "华法林钠片", "氟康唑胶囊", sev="major"), I("high_alert", "华法林钠片")])
case("ix-rivaroxaban-aspirin-clopi", IX, "利伐沙班合双联抗血小板", pt(age=61),
     [o("利伐沙班片(拜瑞妥)", 20, "mg"), o("阿司匹林肠溶片", 100, "mg"), o("氯吡格雷片", 75, "mg")],
     [E(IX, "利伐沙班片(拜瑞妥)", "阿司匹林肠溶片", sev="major"), E(IX, "利伐沙班片(拜瑞妥)", "氯吡格雷片", sev="major"),
      I(IX, "阿司匹林肠溶片", "氯吡格雷片"), I("high_alert", "利伐沙班片(拜瑞妥)")])
case("ix-repaglinide-gemfibrozil", IX, "瑞格列奈与吉非罗齐", pt(age=58),
     [o("瑞格列奈片(诺和龙)", 1, "mg", freq="tid"), o("吉非罗齐胶囊", 0.6, "g", freq="bid")],
     [E(IX, "瑞格列奈片(诺和龙)", "吉非罗齐胶囊", sev="contraindicated"), I("high_alert", "瑞格列奈片(诺和龙)")])

case("ix-alendronate-calcium", IX, "阿仑膦酸钠与碳酸钙同服：吸收减少（需间隔服用）", pt(sex="female", age=63, diagnoses=["骨质疏松"]),
     [o("阿仑膦酸钠片", 70, "mg", freq="qw"), o("碳酸钙D3片(钙尔奇D)", 1, "片")],
     [E(IX, "阿仑膦酸钠片", "碳酸钙D3片(钙尔奇D)", sev="moderate")])

# ── duplicate therapy ─────────────────────────────────────────────────────────────────────────
DUP = "duplicate"
case("dup-two-ppis", DUP, "两种质子泵抑制剂", pt(age=46),
     [o("奥美拉唑肠溶胶囊", 20, "mg"), o("雷贝拉唑钠肠溶片", 10, "mg")],
     [E(DUP, "奥美拉唑肠溶胶囊", "雷贝拉唑钠肠溶片")])
case("dup-two-nsaids", DUP, "布洛芬与双氯芬酸", pt(age=38),
     [o("布洛芬片", 0.2, "g", freq="tid"), o("双氯芬酸钠缓释片(扶他林)", 75, "mg")],
     [E(DUP, "布洛芬片", "双氯芬酸钠缓释片(扶他林)"), I(IX, "布洛芬片", "双氯芬酸钠缓释片(扶他林)")])
case("dup-two-dhp", DUP, "氨氯地平与硝苯地平控释片", pt(age=60),
     [o("苯磺酸氨氯地平片(络活喜)", 5, "mg"), o("硝苯地平控释片(拜新同)", 30, "mg")],
     [E(DUP, "苯磺酸氨氯地平片(络活喜)", "硝苯地平控释片(拜新同)")])
case("dup-brand-generic-statin", DUP, "立普妥与阿托伐他汀钙片：同一成分", pt(age=57),
     [o("立普妥", 20, "mg"), o("阿托伐他汀钙片", 20, "mg", freq="qn")],
     [E(DUP, "立普妥", "阿托伐他汀钙片", sev="major")])
case("dup-salt-metformin", DUP, "格华止与盐酸二甲双胍缓释片", pt(age=55, diagnoses=["2型糖尿病"]),
     [o("格华止", 0.5, "g", freq="bid"), o("盐酸二甲双胍缓释片", 0.5, "g")],
     [E(DUP, "格华止", "盐酸二甲双胍缓释片", sev="major"), I("high_alert", "格华止"), I("high_alert", "盐酸二甲双胍缓释片")])
case("dup-combo-component", DUP, "氨氯地平贝那普利片与氨氯地平", pt(age=63),
     [o("氨氯地平贝那普利片", 1, "片"), o("氨氯地平片", 5, "mg")],
     [E(DUP, "氨氯地平贝那普利片", "氨氯地平片", sev="major")])
case("dup-two-acei", DUP, "贝那普利与培哚普利", pt(age=59),
     [o("盐酸贝那普利片(洛汀新)", 10, "mg"), o("培哚普利叔丁胺片(雅施达)", 4, "mg")],
     [E(DUP, "盐酸贝那普利片(洛汀新)", "培哚普利叔丁胺片(雅施达)")])
case("dup-two-statins", DUP, "瑞舒伐他汀与阿托伐他汀", pt(age=66),
     [o("瑞舒伐他汀钙片(可定)", 10, "mg"), o("阿托伐他汀钙片", 20, "mg")],
     [E(DUP, "瑞舒伐他汀钙片(可定)", "阿托伐他汀钙片")])
case("dup-two-betalactams", DUP, "头孢呋辛与阿莫西林克拉维酸钾", pt(age=35),
     [o("头孢呋辛酯片", 0.25, "g", freq="bid"), o("阿莫西林克拉维酸钾片", 0.625, "g", freq="tid")],
     [E(DUP, "头孢呋辛酯片", "阿莫西林克拉维酸钾片")])
case("dup-paracetamol-compound", DUP, "对乙酰氨基酚与氨酚羟考酮：重复对乙酰氨基酚", pt(age=44),
     [o("对乙酰氨基酚片(泰诺林)", 0.5, "g", freq="tid"), o("氨酚羟考酮片", 1, "片", freq="q6h")],
     [E(DUP, "对乙酰氨基酚片(泰诺林)", "氨酚羟考酮片"), I(IX, "对乙酰氨基酚片(泰诺林)", "氨酚羟考酮片"),
      I("high_alert", "氨酚羟考酮片")])
case("dup-two-benzos", DUP, "艾司唑仑与阿普唑仑", pt(age=52),
     [o("艾司唑仑片", 1, "mg", freq="qn"), o("阿普唑仑片", 0.4, "mg", freq="qn")],
     [E(DUP, "艾司唑仑片", "阿普唑仑片")])
case("dup-same-drug-two-forms", DUP, "硝苯地平片与硝苯地平控释片", pt(age=58),
     [o("硝苯地平片", 10, "mg", freq="tid"), o("硝苯地平控释片", 30, "mg")],
     [E(DUP, "硝苯地平片", "硝苯地平控释片", sev="major")])

# ── dose ──────────────────────────────────────────────────────────────────────────────────────
DOSE = "dose"
case("dose-simva-80", DOSE, "辛伐他汀 80 mg 超说明书日最大量", pt(age=60),
     [o("辛伐他汀片", 80, "mg", freq="qn")], [E(DOSE, "辛伐他汀片", sev="major")])
case("dose-amlodipine-20", DOSE, "氨氯地平 20 mg qd", pt(age=55), [o("苯磺酸氨氯地平片", 20, "mg")],
     [E(DOSE, "苯磺酸氨氯地平片", sev="major")])
case("dose-amox-unit-error", DOSE, "阿莫西林 5 g（单位差错）tid", pt(age=30),
     [o("阿莫西林胶囊", 5, "g", freq="tid")], [E(DOSE, "阿莫西林胶囊", sev="major")])
case("dose-levo-daily", DOSE, "左氧氟沙星 0.5 g bid 超日最大量", pt(age=45),
     [o("左氧氟沙星片", 0.5, "g", freq="bid")], [E(DOSE, "左氧氟沙星片", sev="major"), I("frequency", "左氧氟沙星片")])
case("dose-paracetamol-adult", DOSE, "对乙酰氨基酚 1 g q4h（日 6 g）", pt(age=35),
     [o("对乙酰氨基酚片", 1, "g", freq="q4h")], [E(DOSE, "对乙酰氨基酚片", sev="major")])
case("dose-ibuprofen-single", DOSE, "布洛芬单次 1.2 g", pt(age=28),
     [o("布洛芬片", 1.2, "g", freq="bid")], [E(DOSE, "布洛芬片", sev="moderate")])
case("dose-codeine", DOSE, "可待因单次 120 mg 超极量", pt(age=50),
     [o("磷酸可待因片", 120, "mg", freq="tid")], [E(DOSE, "磷酸可待因片", sev="major"), I("high_alert", "磷酸可待因片")])
case("dose-peds-amox-weight", DOSE, "12 kg 患儿阿莫西林 500 mg tid（125 mg/kg/d）",
     pt(sex="female", age=2, w=12), [o("阿莫西林干混悬剂", 500, "mg", freq="tid")], [E(DOSE, "阿莫西林干混悬剂", sev="major")])
case("dose-peds-paracetamol", DOSE, "15 kg 患儿对乙酰氨基酚 500 mg q6h", pt(age=4, w=15),
     [o("对乙酰氨基酚混悬滴剂", 500, "mg", freq="q6h")], [E(DOSE, "对乙酰氨基酚混悬滴剂", sev="major")])
case("dose-peds-ibuprofen", DOSE, "10 kg 患儿布洛芬 200 mg tid", pt(sex="female", age=1.5, w=10),
     [o("布洛芬混悬液(美林)", 200, "mg", freq="tid")], [E(DOSE, "布洛芬混悬液(美林)", sev="major")])
case("dose-peds-ceftriaxone", DOSE, "20 kg 患儿头孢曲松 4 g qd", pt(age=6, w=20),
     [o("注射用头孢曲松钠", 4, "g", "静滴", "qd")], [E(DOSE, "注射用头孢曲松钠", sev="major")])
case("dose-peds-azithro", DOSE, "18 kg 患儿阿奇霉素 500 mg qd", pt(sex="female", age=5, w=18),
     [o("阿奇霉素干混悬剂", 500, "mg")], [E(DOSE, "阿奇霉素干混悬剂", sev="major")])
case("dose-peds-montelukast-age", DOSE, "4 岁患儿孟鲁司特 10 mg（应 4 mg）", pt(age=4, w=17),
     [o("孟鲁司特钠片(顺尔宁)", 10, "mg", freq="qn")], [E(DOSE, "孟鲁司特钠片(顺尔宁)", sev="major")])
case("dose-peds-no-weight", DOSE, "患儿阿莫西林未提供体重", pt(age=3, w=None),
     [o("阿莫西林颗粒", 125, "mg", freq="tid")], [E(DOSE, "阿莫西林颗粒", sev="minor")])
case("dose-peds-oseltamivir", DOSE, "12 kg 患儿奥司他韦 75 mg bid", pt(age=2, w=12),
     [o("磷酸奥司他韦颗粒(可威)", 75, "mg", freq="bid")], [E(DOSE, "磷酸奥司他韦颗粒(可威)", sev="major")])

# ── frequency ────────────────────────────────────────────────────────────────────────────────
FQ = "frequency"
case("fq-mtx-daily", FQ, "甲氨蝶呤 7.5 mg 每日一次（应每周一次）", pt(sex="female", age=56, diagnoses=["类风湿关节炎"]),
     [o("甲氨蝶呤片", 7.5, "mg", freq="qd")], [E(FQ, "甲氨蝶呤片", sev="major"), I("high_alert", "甲氨蝶呤片")])
case("fq-alendronate-daily", FQ, "阿仑膦酸钠 70 mg 每日一次", pt(sex="female", age=67, diagnoses=["骨质疏松"]),
     [o("阿仑膦酸钠片(福善美)", 70, "mg", freq="qd")], [E(FQ, "阿仑膦酸钠片(福善美)", sev="major")])
case("fq-nifedipine-cr-tid", FQ, "硝苯地平控释片 tid", pt(age=59),
     [o("硝苯地平控释片", 30, "mg", freq="tid")], [E(FQ, "硝苯地平控释片")])
case("fq-amlodipine-tid", FQ, "氨氯地平 5 mg tid", pt(age=52), [o("氨氯地平片", 5, "mg", freq="tid")],
     [E(FQ, "氨氯地平片"), E(DOSE, "氨氯地平片")])
case("fq-unrecognised", FQ, "频次「每日三顿」无法识别", pt(age=40),
     [o("阿莫西林胶囊", 0.5, "g", freq="每顿饭后")], [E(FQ, "阿莫西林胶囊", sev="minor")])
case("fq-gliclazide-mr-tid", FQ, "格列齐特缓释片 tid", pt(age=54, diagnoses=["2型糖尿病"]),
     [o("格列齐特缓释片(达美康)", 30, "mg", freq="tid")], [E(FQ, "格列齐特缓释片(达美康)"), I("high_alert", "格列齐特缓释片(达美康)")])
case("fq-levo-tid", FQ, "左氧氟沙星 0.2 g tid", pt(age=44), [o("左氧氟沙星片", 0.2, "g", freq="tid")],
     [E(FQ, "左氧氟沙星片")])
case("fq-atorva-qid", FQ, "阿托伐他汀 qid", pt(age=61), [o("阿托伐他汀钙片", 10, "mg", freq="qid")],
     [E(FQ, "阿托伐他汀钙片")])
case("fq-azithro-q6h", FQ, "阿奇霉素 q6h", pt(age=30), [o("阿奇霉素片", 0.25, "g", freq="q6h")],
     [E(FQ, "阿奇霉素片")])
case("fq-unrecognised-2", FQ, "频次写成「看情况」", pt(age=33), [o("氯雷他定片", 10, "mg", freq="看情况")],
     [E(FQ, "氯雷他定片", sev="minor")])

# ── route ─────────────────────────────────────────────────────────────────────────────────────
RT = "route"
case("rt-kcl-push", RT, "氯化钾注射液静推", pt(age=62),
     [o("10%氯化钾注射液", 10, "mL", "静推", "st")], [E(RT, "10%氯化钾注射液", sev="contraindicated"), I("high_alert", "10%氯化钾注射液")])
case("rt-benzathine-iv", RT, "苄星青霉素静滴", pt(age=30),
     [o("注射用苄星青霉素", 240, "万U", "静滴", "qw")], [E(RT, "注射用苄星青霉素", sev="contraindicated")])
case("rt-capsule-iv", RT, "阿莫西林胶囊静滴", pt(age=25),
     [o("阿莫西林胶囊", 0.5, "g", "静滴", "tid")], [E(RT, "阿莫西林胶囊", sev="major")])
case("rt-ceftriaxone-po", RT, "头孢曲松口服", pt(age=40),
     [o("头孢曲松钠", 1, "g", "口服", "qd")], [E(RT, "头孢曲松钠", sev="major")])
case("rt-glargine-iv", RT, "甘精胰岛素静脉推注", pt(age=58, diagnoses=["2型糖尿病"]),
     [o("甘精胰岛素注射液(来得时)", 10, "U", "静推", "qd")], [E(RT, "甘精胰岛素注射液(来得时)", sev="major"),
                                                      I("high_alert", "甘精胰岛素注射液(来得时)")])
case("rt-enoxaparin-im", RT, "依诺肝素肌注", pt(age=70),
     [o("依诺肝素钠注射液(克赛)", 4000, "IU", "肌注", "qd")], [E(RT, "依诺肝素钠注射液(克赛)", sev="major"),
                                                       I("high_alert", "依诺肝素钠注射液(克赛)")])
case("rt-eyedrop-po", RT, "滴眼液口服", pt(age=45), [o("左氧氟沙星滴眼液", 1, "滴", "口服", "qid")],
     [E(RT, "左氧氟沙星滴眼液")])
case("rt-vincristine-it", RT, "长春新碱鞘内注射", pt(age=12, w=40, prescriber_level="chief"),
     [o("硫酸长春新碱注射液", 1, "mg", "鞘内注射", "st")], [E(RT, "硫酸长春新碱注射液", sev="contraindicated"),
                                                   I("high_alert", "硫酸长春新碱注射液")], setting="inpatient")
case("rt-unrecognised", RT, "途径「按医嘱」无法识别", pt(age=36), [o("氯雷他定片", 10, "mg", "按医嘱", "qd")],
     [E(RT, "氯雷他定片", sev="minor")])
case("rt-tablet-im", RT, "地西泮片肌注", pt(age=40), [o("地西泮片", 10, "mg", "肌注", "st")], [E(RT, "地西泮片")])

# ── allergy ───────────────────────────────────────────────────────────────────────────────────
AL = "allergy"
case("al-pen-amox", AL, "青霉素过敏开阿莫西林", pt(age=30, allergies=["青霉素"]),
     [o("阿莫西林胶囊", 0.5, "g", freq="tid")], [E(AL, "阿莫西林胶囊", sev="contraindicated")])
case("al-pen-piptazo", AL, "青霉素过敏开哌拉西林他唑巴坦", pt(age=65, allergies=["青霉素类"], prescriber_level="chief"),
     [o("注射用哌拉西林钠他唑巴坦钠", 4.5, "g", "静滴", "q8h")], [E(AL, "注射用哌拉西林钠他唑巴坦钠", sev="contraindicated")],
     setting="inpatient")
case("al-pen-ceftriaxone", AL, "青霉素过敏（皮疹）开头孢曲松：交叉过敏", pt(age=40, allergies=[{"substance": "青霉素", "reaction": "皮疹"}]),
     [o("注射用头孢曲松钠", 2, "g", "静滴", "qd")], [E(AL, "注射用头孢曲松钠", sev="moderate")])
case("al-amox-cefalexin", AL, "阿莫西林过敏开头孢氨苄（侧链相同）", pt(age=28, allergies=["阿莫西林"]),
     [o("头孢氨苄胶囊", 0.5, "g", freq="q6h")], [E(AL, "头孢氨苄胶囊", sev="major")])
case("al-pen-anaphylaxis-cefuroxime", AL, "青霉素过敏性休克史开头孢呋辛", pt(age=50, allergies=[
     {"substance": "青霉素", "reaction": "过敏性休克", "severity": "severe"}]),
     [o("注射用头孢呋辛钠", 1.5, "g", "静滴", "q8h")], [E(AL, "注射用头孢呋辛钠", sev="major")])
case("al-ceph-cefazolin", AL, "头孢类过敏开头孢唑林", pt(sex="female", age=45, allergies=["头孢类"]),
     [o("注射用头孢唑林钠", 1, "g", "静滴", "q8h")], [E(AL, "注射用头孢唑林钠", sev="contraindicated")])
case("al-sulfa-smztmp", AL, "磺胺过敏开复方新诺明", pt(age=33, allergies=["磺胺类"]),
     [o("复方磺胺甲噁唑片", 2, "片", freq="bid")], [E(AL, "复方磺胺甲噁唑片", sev="contraindicated")])
case("al-sulfa-furosemide", AL, "磺胺过敏开呋塞米（非抗菌磺胺，低交叉）", pt(age=72, allergies=["磺胺类药物"]),
     [o("呋塞米片(速尿)", 20, "mg")], [E(AL, "呋塞米片(速尿)", sev="minor"), I("geriatric", "呋塞米片(速尿)")])
case("al-aspirin-ibuprofen", AL, "阿司匹林过敏（哮喘）开布洛芬", pt(age=38, allergies=[{"substance": "阿司匹林", "reaction": "哮喘发作"}]),
     [o("布洛芬缓释胶囊(芬必得)", 0.3, "g", freq="bid")], [E(AL, "布洛芬缓释胶囊(芬必得)", sev="major")])
case("al-quinolone-levo", AL, "喹诺酮类过敏开左氧氟沙星", pt(age=47, allergies=["喹诺酮类"]),
     [o("左氧氟沙星片", 0.5, "g")], [E(AL, "左氧氟沙星片", sev="contraindicated")])
case("al-betalactam-meropenem", AL, "β-内酰胺类过敏开美罗培南", pt(age=60, allergies=["β-内酰胺类"], prescriber_level="chief"),
     [o("注射用美罗培南", 1, "g", "静滴", "q8h")], [E(AL, "注射用美罗培南", sev="contraindicated")], setting="inpatient")
case("al-brand-same-drug", AL, "对「芬必得」过敏开布洛芬片", pt(age=31, allergies=["芬必得"]),
     [o("布洛芬片", 0.2, "g", freq="tid")], [E(AL, "布洛芬片", sev="contraindicated")])
case("al-pen-meropenem-rare", AL, "青霉素过敏开美罗培南（罕见交叉）", pt(age=55, allergies=["青霉素"], prescriber_level="chief"),
     [o("注射用美罗培南", 1, "g", "静滴", "q8h")], [E(AL, "注射用美罗培南", sev="minor")], setting="inpatient")
case("al-ceph-allergy-amox", AL, "头孢菌素过敏开阿莫西林", pt(age=26, allergies=["头孢菌素"]),
     [o("阿莫西林胶囊", 0.5, "g", freq="tid")], [E(AL, "阿莫西林胶囊")])

# ── pregnancy ─────────────────────────────────────────────────────────────────────────────────
PG = "pregnancy"
case("pg-acei", PG, "妊娠期开依那普利", pt(sex="female", age=29, pregnant=True, diagnoses=["妊娠期高血压"]),
     [o("马来酸依那普利片", 10, "mg")], [E(PG, "马来酸依那普利片", sev="major")])
case("pg-arb", PG, "孕 20 周开缬沙坦", pt(sex="female", age=31, diagnoses=["孕20周", "高血压"]),
     [o("缬沙坦胶囊", 80, "mg")], [E(PG, "缬沙坦胶囊", sev="major")])
case("pg-warfarin", PG, "妊娠期开华法林", pt(sex="female", age=33, pregnant=True),
     [o("华法林钠片", 3, "mg")], [E(PG, "华法林钠片", sev="contraindicated"), I("high_alert", "华法林钠片")])
case("pg-statin", PG, "妊娠期开阿托伐他汀", pt(sex="female", age=35, pregnant=True),
     [o("阿托伐他汀钙片", 20, "mg")], [E(PG, "阿托伐他汀钙片", sev="contraindicated")])
case("pg-doxycycline", PG, "妊娠期开多西环素", pt(sex="female", age=27, pregnant=True),
     [o("盐酸多西环素片", 0.1, "g", freq="bid")], [E(PG, "盐酸多西环素片", sev="major")])
case("pg-mtx", PG, "妊娠期开甲氨蝶呤", pt(sex="female", age=30, pregnant=True),
     [o("甲氨蝶呤片", 10, "mg", freq="qw")], [E(PG, "甲氨蝶呤片", sev="contraindicated"), I("high_alert", "甲氨蝶呤片")])
case("pg-valproate", PG, "妊娠期开丙戊酸钠", pt(sex="female", age=26, pregnant=True, diagnoses=["癫痫"]),
     [o("丙戊酸钠缓释片(德巴金)", 500, "mg", freq="bid")], [E(PG, "丙戊酸钠缓释片(德巴金)", sev="major")])
case("pg-levofloxacin", PG, "妊娠期开左氧氟沙星", pt(sex="female", age=28, pregnant=True),
     [o("左氧氟沙星片", 0.5, "g")], [E(PG, "左氧氟沙星片", sev="major")])
case("pg-misoprostol", PG, "早孕开米索前列醇（非终止妊娠用途）", pt(sex="female", age=30, diagnoses=["早孕", "胃溃疡"]),
     [o("米索前列醇片", 0.2, "mg", freq="qid")], [E(PG, "米索前列醇片", sev="contraindicated")])
case("pg-ibuprofen-late", PG, "晚孕开布洛芬", pt(sex="female", age=32, pregnant=True, diagnoses=["晚孕"]),
     [o("布洛芬片", 0.2, "g", freq="tid")], [E(PG, "布洛芬片")])

# ── lactation ─────────────────────────────────────────────────────────────────────────────────
LC = "lactation"
case("lc-doxy", LC, "哺乳期开多西环素", pt(sex="female", age=30, lactating=True),
     [o("多西环素片", 0.1, "g", freq="bid")], [E(LC, "多西环素片", sev="major")])
case("lc-codeine", LC, "哺乳期开可待因", pt(sex="female", age=29, lactating=True),
     [o("磷酸可待因片", 15, "mg", freq="tid")], [E(LC, "磷酸可待因片", sev="major"), I("high_alert", "磷酸可待因片")])
case("lc-amiodarone", LC, "哺乳期开胺碘酮", pt(sex="female", age=34, lactating=True),
     [o("盐酸胺碘酮片", 200, "mg")], [E(LC, "盐酸胺碘酮片", sev="major")])
case("lc-atorvastatin", LC, "哺乳期开阿托伐他汀", pt(sex="female", age=36, diagnoses=["哺乳期"]),
     [o("阿托伐他汀钙片", 20, "mg")], [E(LC, "阿托伐他汀钙片", sev="major")])
case("lc-lithium", LC, "哺乳期开碳酸锂", pt(sex="female", age=31, lactating=True),
     [o("碳酸锂片", 0.25, "g", freq="tid")], [E(LC, "碳酸锂片")])
case("lc-mtx", LC, "哺乳期开甲氨蝶呤", pt(sex="female", age=33, lactating=True),
     [o("甲氨蝶呤片", 10, "mg", freq="qw")], [E(LC, "甲氨蝶呤片", sev="major"), I("high_alert", "甲氨蝶呤片")])

# ── paediatric age restrictions ──────────────────────────────────────────────────────────────
PD = "pediatric"
case("pd-levo-child", PD, "10 岁患儿开左氧氟沙星", pt(age=10, w=32),
     [o("左氧氟沙星片", 0.2, "g")], [E(PD, "左氧氟沙星片", sev="major")])
case("pd-doxy-child", PD, "6 岁患儿开多西环素", pt(sex="female", age=6, w=20),
     [o("多西环素片", 50, "mg", freq="bid")], [E(PD, "多西环素片", sev="contraindicated")])
case("pd-aspirin-flu", PD, "8 岁流感患儿开阿司匹林", pt(age=8, w=26, diagnoses=["流行性感冒"]),
     [o("阿司匹林片", 0.3, "g", freq="tid")], [E(PD, "阿司匹林片", sev="major")])
case("pd-codeine-child", PD, "7 岁患儿开可待因止咳", pt(age=7, w=22),
     [o("磷酸可待因片", 10, "mg", freq="tid")], [E(PD, "磷酸可待因片", sev="contraindicated"), I("high_alert", "磷酸可待因片")])
case("pd-promethazine-infant", PD, "1 岁婴儿开异丙嗪", pt(sex="female", age=1, w=10),
     [o("盐酸异丙嗪片", 6.25, "mg", freq="qn")], [E(PD, "盐酸异丙嗪片", sev="contraindicated")])
case("pd-moxi-teen", PD, "15 岁开莫西沙星", pt(age=15, w=50),
     [o("盐酸莫西沙星片(拜复乐)", 0.4, "g")], [E(PD, "盐酸莫西沙星片(拜复乐)", sev="major")])
case("pd-tetracycline-child", PD, "5 岁患儿开米诺环素", pt(age=5, w=18),
     [o("盐酸米诺环素胶囊", 50, "mg", freq="bid")], [E(PD, "盐酸米诺环素胶囊", sev="contraindicated")])
case("pd-ciprofloxacin-child", PD, "9 岁患儿开环丙沙星", pt(sex="female", age=9, w=28),
     [o("盐酸环丙沙星片", 0.25, "g", freq="bid")], [E(PD, "盐酸环丙沙星片", sev="major")])

# ── geriatric (Beers) ─────────────────────────────────────────────────────────────────────────
GR = "geriatric"
case("gr-diphenhydramine", GR, "78 岁开苯海拉明", pt(age=78), [o("盐酸苯海拉明片", 25, "mg", freq="qn")],
     [E(GR, "盐酸苯海拉明片", sev="moderate")])
case("gr-chlorphenamine", GR, "80 岁开氯苯那敏", pt(sex="female", age=80), [o("马来酸氯苯那敏片", 4, "mg", freq="tid")],
     [E(GR, "马来酸氯苯那敏片", sev="moderate")])
case("gr-glibenclamide", GR, "75 岁开格列本脲", pt(age=75, diagnoses=["2型糖尿病"]), [o("格列本脲片", 2.5, "mg", freq="bid")],
     [E(GR, "格列本脲片", sev="moderate"), I("high_alert", "格列本脲片")])
case("gr-diazepam", GR, "82 岁开地西泮", pt(sex="female", age=82), [o("地西泮片", 5, "mg", freq="qn")],
     [E(GR, "地西泮片")])
case("gr-amitriptyline", GR, "70 岁开阿米替林", pt(age=70), [o("盐酸阿米替林片", 25, "mg", freq="qn")],
     [E(GR, "盐酸阿米替林片")])
case("gr-nifedipine-ir", GR, "76 岁开硝苯地平普通片", pt(age=76), [o("硝苯地平片(心痛定)", 10, "mg", freq="tid")],
     [E(GR, "硝苯地平片(心痛定)", sev="moderate")])
case("gr-promethazine", GR, "85 岁开异丙嗪", pt(age=85), [o("异丙嗪片", 12.5, "mg", freq="qn")],
     [E(GR, "异丙嗪片", sev="moderate")])
case("gr-doxazosin", GR, "72 岁以多沙唑嗪降压", pt(age=72), [o("甲磺酸多沙唑嗪控释片(可多华)", 4, "mg")],
     [E(GR, "甲磺酸多沙唑嗪控释片(可多华)")])

# ── renal ─────────────────────────────────────────────────────────────────────────────────────
RN = "renal"
case("rn-metformin-egfr25", RN, "eGFR 25 开二甲双胍", pt(age=66, labs={"egfr": 25}, diagnoses=["2型糖尿病"]),
     [o("盐酸二甲双胍片", 0.5, "g", freq="bid")], [E(RN, "盐酸二甲双胍片", sev="contraindicated"), I("high_alert", "盐酸二甲双胍片")])
case("rn-metformin-scr", RN, "仅血肌酐 220 μmol/L（CKD-EPI 计算）开二甲双胍", pt(sex="female", age=70, w=55, labs={"scr_umol_l": 220}),
     [o("二甲双胍缓释片", 0.5, "g")], [E(RN, "二甲双胍缓释片", sev="contraindicated"), I("high_alert", "二甲双胍缓释片")])
case("rn-spironolactone", RN, "eGFR 22 开螺内酯", pt(age=68, labs={"egfr": 22}),
     [o("螺内酯片", 20, "mg")], [E(RN, "螺内酯片", sev="major")])
case("rn-levofloxacin", RN, "CrCl 35 开左氧氟沙星 0.5 g qd", pt(age=74, labs={"crcl": 35}),
     [o("左氧氟沙星片", 0.5, "g")], [E(RN, "左氧氟沙星片", sev="moderate")])
case("rn-enoxaparin", RN, "CrCl 20 开依诺肝素治疗量", pt(sex="female", age=80, w=50, labs={"scr_umol_l": 200}),
     [o("依诺肝素钠注射液", 6000, "IU", "皮下注射", "q12h")], [E(RN, "依诺肝素钠注射液"), I("high_alert", "依诺肝素钠注射液")])
case("rn-dabigatran", RN, "CrCl<30 开达比加群", pt(age=79, w=60, labs={"crcl": 25}, diagnoses=["心房颤动"]),
     [o("达比加群酯胶囊(泰毕全)", 110, "mg", freq="bid")], [E(RN, "达比加群酯胶囊(泰毕全)", sev="contraindicated"),
                                                      I("high_alert", "达比加群酯胶囊(泰毕全)"), I("geriatric", "达比加群酯胶囊(泰毕全)")])
case("rn-glibenclamide", RN, "CKD4 期开格列本脲", pt(age=60, diagnoses=["慢性肾脏病4期", "2型糖尿病"]),
     [o("格列本脲片", 2.5, "mg")], [E(RN, "格列本脲片"), I("high_alert", "格列本脲片")])
case("rn-gabapentin", RN, "eGFR 20 开加巴喷丁 300 mg tid", pt(age=64, labs={"egfr": 20}),
     [o("加巴喷丁胶囊", 300, "mg", freq="tid")], [E(RN, "加巴喷丁胶囊")])
case("rn-nitrofurantoin", RN, "eGFR 28 开呋喃妥因", pt(sex="female", age=69, labs={"egfr": 28}),
     [o("呋喃妥因肠溶片", 50, "mg", freq="qid")], [E(RN, "呋喃妥因肠溶片"), I("geriatric", "呋喃妥因肠溶片")])
case("rn-ibuprofen-ckd", RN, "eGFR 25 开布洛芬", pt(age=58, labs={"egfr": 25}),
     [o("布洛芬缓释胶囊", 0.3, "g", freq="bid")], [E(RN, "布洛芬缓释胶囊", sev="major")])

# ── hepatic ───────────────────────────────────────────────────────────────────────────────────
HP = "hepatic"
case("hp-cirrhosis-metformin", HP, "肝硬化开二甲双胍", pt(age=57, diagnoses=["肝硬化", "2型糖尿病"]),
     [o("二甲双胍片", 0.5, "g", freq="bid")], [E(HP, "二甲双胍片", sev="major"), I("high_alert", "二甲双胍片")])
case("hp-childpugh-c-paracetamol", HP, "Child-Pugh C 开对乙酰氨基酚", pt(age=60, labs={"child_pugh": "C"}),
     [o("对乙酰氨基酚片", 0.5, "g", freq="tid")], [E(HP, "对乙酰氨基酚片", sev="contraindicated")])
case("hp-alt-valproate", HP, "ALT 180 开丙戊酸钠", pt(age=30, labs={"alt": 180}),
     [o("丙戊酸钠缓释片", 500, "mg", freq="bid")], [E(HP, "丙戊酸钠缓释片", sev="contraindicated")])
case("hp-benzbromarone", HP, "慢性乙肝肝功能异常开苯溴马隆", pt(age=48, diagnoses=["慢性乙型肝炎"], labs={"alt": 150}),
     [o("苯溴马隆片(立加利仙)", 50, "mg")], [E(HP, "苯溴马隆片(立加利仙)", sev="contraindicated")])
case("hp-tolvaptan", HP, "肝功能不全开托伐普坦", pt(age=66, diagnoses=["肝功能不全"]),
     [o("托伐普坦片(苏麦卡)", 15, "mg")], [E(HP, "托伐普坦片(苏麦卡)", sev="major")])
case("hp-telmisartan-severe", HP, "Child-Pugh C 开替米沙坦", pt(age=62, labs={"child_pugh": "C"}),
     [o("替米沙坦片(美卡素)", 40, "mg")], [E(HP, "替米沙坦片(美卡素)", sev="contraindicated")])
case("hp-nimesulide", HP, "转氨酶升高开尼美舒利", pt(sex="female", age=45, labs={"alt": 140, "ast": 130}),
     [o("尼美舒利分散片", 0.1, "g", freq="bid")], [E(HP, "尼美舒利分散片", sev="contraindicated")])
case("hp-rivaroxaban-cirrhosis", HP, "失代偿肝硬化（Child-Pugh B）开利伐沙班", pt(age=63, labs={"child_pugh": "B"}),
     [o("利伐沙班片", 15, "mg")], [E(HP, "利伐沙班片", sev="contraindicated"), I("high_alert", "利伐沙班片")])

# ── drug–disease contraindications ─────────────────────────────────────────────────────────────
CI = "contraindication"
case("ci-nsaid-gi-bleed", CI, "上消化道出血开布洛芬", pt(age=52, diagnoses=[{"text": "上消化道出血", "code": "K92.2"}]),
     [o("布洛芬片", 0.2, "g", freq="tid")], [E(CI, "布洛芬片", sev="contraindicated")])
case("ci-metoprolol-avb", CI, "三度房室传导阻滞开美托洛尔", pt(age=70, diagnoses=[{"text": "三度房室传导阻滞", "code": "I44.2"}]),
     [o("琥珀酸美托洛尔缓释片(倍他乐克)", 47.5, "mg")], [E(CI, "琥珀酸美托洛尔缓释片(倍他乐克)", sev="contraindicated")])
case("ci-propranolol-asthma", CI, "支气管哮喘开普萘洛尔", pt(sex="female", age=35, diagnoses=["支气管哮喘"]),
     [o("盐酸普萘洛尔片", 10, "mg", freq="tid")], [E(CI, "盐酸普萘洛尔片", sev="contraindicated")])
case("ci-levo-myasthenia", CI, "重症肌无力开左氧氟沙星", pt(sex="female", age=42, diagnoses=["重症肌无力"]),
     [o("左氧氟沙星片", 0.5, "g")], [E(CI, "左氧氟沙星片", sev="contraindicated")])
case("ci-aspirin-hemophilia", CI, "血友病开阿司匹林", pt(age=25, diagnoses=[{"text": "血友病A", "code": "D66"}]),
     [o("阿司匹林肠溶片", 100, "mg")], [E(CI, "阿司匹林肠溶片", sev="contraindicated")])
case("ci-trimetazidine-pd", CI, "帕金森病开曲美他嗪", pt(age=71, diagnoses=["帕金森病", "冠心病"]),
     [o("盐酸曲美他嗪缓释片(万爽力)", 35, "mg", freq="bid")], [E(CI, "盐酸曲美他嗪缓释片(万爽力)", sev="contraindicated")])
case("ci-metformin-dka", CI, "糖尿病酮症酸中毒开二甲双胍", pt(age=30, diagnoses=[{"text": "2型糖尿病酮症酸中毒", "code": "E11.1"}]),
     [o("二甲双胍片", 0.5, "g", freq="bid")], [E(CI, "二甲双胍片", sev="contraindicated"), I("high_alert", "二甲双胍片")])
case("ci-verapamil-hf", CI, "射血分数降低的心衰开维拉帕米", pt(age=66, diagnoses=[{"text": "射血分数降低的心力衰竭", "code": "I50.1"}]),
     [o("维拉帕米缓释片", 120, "mg")], [E(CI, "维拉帕米缓释片", sev="contraindicated")])
case("ci-promethazine-glaucoma", CI, "闭角型青光眼开异丙嗪（慎用）", pt(sex="female", age=60, diagnoses=["闭角型青光眼"]),
     [o("盐酸异丙嗪片", 12.5, "mg", freq="qn")], [E(CI, "盐酸异丙嗪片", sev="minor")])
case("ci-ceftriaxone-neonate", CI, "新生儿高胆红素血症开头孢曲松", pt(age=0.02, w=3.2, diagnoses=[{"text": "新生儿高胆红素血症", "code": "P59.9"}]),
     [o("注射用头孢曲松钠", 150, "mg", "静滴", "qd")], [E(CI, "注射用头孢曲松钠", sev="contraindicated"), I(PD, "注射用头孢曲松钠")])

# ── antimicrobial grade ───────────────────────────────────────────────────────────────────────
AM = "antimicrobial"
case("am-resident-ceftazidime", AM, "住院医师开头孢他啶（限制使用级）", pt(age=50, prescriber_level="resident"),
     [o("注射用头孢他啶", 2, "g", "静滴", "q8h")], [E(AM, "注射用头孢他啶", sev="major")], setting="inpatient")
case("am-resident-meropenem", AM, "住院医师开美罗培南（特殊使用级）", pt(age=62, prescriber_level="住院医师"),
     [o("注射用美罗培南", 1, "g", "静滴", "q8h")], [E(AM, "注射用美罗培南", sev="major")], setting="inpatient")
case("am-attending-vancomycin", AM, "主治医师开万古霉素（特殊使用级）", pt(age=58, prescriber_level="主治医师"),
     [o("注射用盐酸万古霉素", 1, "g", "静滴", "q12h")], [E(AM, "注射用盐酸万古霉素", sev="major")], setting="inpatient")
case("am-outpatient-special", AM, "门诊开亚胺培南西司他丁（特殊使用级）", pt(age=45, prescriber_level="chief"),
     [o("注射用亚胺培南西司他丁钠(泰能)", 1, "g", "静滴", "q8h")], [E(AM, "注射用亚胺培南西司他丁钠(泰能)", sev="major")],
     setting="outpatient")
case("am-attending-linezolid", AM, "主治医师开利奈唑胺", pt(age=52, prescriber_level="attending"),
     [o("利奈唑胺注射液", 600, "mg", "静滴", "q12h")], [E(AM, "利奈唑胺注射液", sev="major")], setting="inpatient")
case("am-resident-piptazo", AM, "住院医师开哌拉西林他唑巴坦（限制使用级）", pt(age=70, prescriber_level="resident"),
     [o("注射用哌拉西林钠他唑巴坦钠(特治星)", 4.5, "g", "静滴", "q8h")], [E(AM, "注射用哌拉西林钠他唑巴坦钠(特治星)", sev="major")],
     setting="inpatient")
case("am-unknown-level", AM, "未提供医师级别开头孢他啶", pt(age=40, prescriber_level=None),
     [o("注射用头孢他啶", 1, "g", "静滴", "q12h")], [E(AM, "注射用头孢他啶", sev="minor")], setting="inpatient")
case("am-resident-voriconazole", AM, "住院医师开伏立康唑", pt(sex="female", age=49, prescriber_level="初级"),
     [o("伏立康唑片(威凡)", 200, "mg", freq="q12h")], [E(AM, "伏立康唑片(威凡)", sev="major")], setting="inpatient")

# ── high-alert drugs ──────────────────────────────────────────────────────────────────────────
HA = "high_alert"
case("ha-insulin", HA, "门冬胰岛素", pt(age=45, diagnoses=["1型糖尿病"]),
     [o("门冬胰岛素注射液(诺和锐)", 6, "U", "皮下注射", "tid")], [E(HA, "门冬胰岛素注射液(诺和锐)")])
case("ha-kcl-iv", HA, "氯化钾注射液静滴", pt(age=60, labs={"potassium": 3.0}),
     [o("10%氯化钾注射液", 15, "mL", "静滴", "qd")], [E(HA, "10%氯化钾注射液")])
case("ha-heparin", HA, "肝素钠注射液", pt(age=66, prescriber_level="chief"),
     [o("肝素钠注射液", 5000, "U", "皮下注射", "q12h")], [E(HA, "肝素钠注射液")], setting="inpatient")
case("ha-morphine", HA, "吗啡注射液", pt(age=70),
     [o("盐酸吗啡注射液", 5, "mg", "皮下注射", "q4h")], [E(HA, "盐酸吗啡注射液"), I(GR, "盐酸吗啡注射液")])
case("ha-norepinephrine", HA, "去甲肾上腺素泵入", pt(age=55, prescriber_level="chief"),
     [o("重酒石酸去甲肾上腺素注射液", 4, "mg", "泵入", "st")], [E(HA, "重酒石酸去甲肾上腺素注射液")], setting="inpatient")
case("ha-warfarin", HA, "华法林", pt(age=56, diagnoses=["心房颤动"]),
     [o("华法林钠片", 2.5, "mg")], [E(HA, "华法林钠片")])

# ── unknown drugs ─────────────────────────────────────────────────────────────────────────────
UK = "unknown_drug"
case("uk-invented", UK, "不存在的药名", pt(age=40), [o("神奇消炎灵胶囊", 2, "粒", freq="tid")],
     [E(UK, "神奇消炎灵胶囊", sev="moderate")])
case("uk-typo", UK, "错别字药名（阿莫西琳）与正确药品同开", pt(age=30),
     [o("阿莫西琳胶囊", 0.5, "g", freq="tid"), o("氯雷他定片", 10, "mg")], [E(UK, "阿莫西琳胶囊", sev="moderate")])
case("uk-local-name", UK, "院内自制制剂", pt(age=50), [o("本院自制清肺合剂", 20, "mL", freq="tid")],
     [E(UK, "本院自制清肺合剂", sev="moderate")])
case("uk-english-unknown", UK, "未收录的英文药名", pt(age=35), [o("Zylotrexin 50 mg tablet", 50, "mg")],
     [E(UK, "Zylotrexin 50 mg tablet", sev="moderate")])

# ── clean chronic-disease regimens (no alert above minor allowed) ────────────────────────────
CL = "clean"
case("cl-htn-amlodipine-valsartan", CL, "高血压：氨氯地平+缬沙坦", pt(age=56, diagnoses=["高血压"], labs={"scr_umol_l": 80}),
     [o("苯磺酸氨氯地平片", 5, "mg"), o("缬沙坦胶囊", 80, "mg")], [])
case("cl-htn-triple", CL, "高血压：培哚普利+吲达帕胺+氨氯地平", pt(sex="female", age=60, diagnoses=["高血压"]),
     [o("培哚普利叔丁胺片", 4, "mg"), o("吲达帕胺缓释片", 1.5, "mg"), o("氨氯地平片", 5, "mg")], [])
case("cl-t2dm-metformin-sita", CL, "2型糖尿病：二甲双胍+西格列汀", pt(age=52, diagnoses=["2型糖尿病"], labs={"egfr": 85}),
     [o("盐酸二甲双胍片", 0.5, "g", freq="tid"), o("磷酸西格列汀片(捷诺维)", 100, "mg")],
     [I(HA, "盐酸二甲双胍片"), I(HA, "磷酸西格列汀片(捷诺维)")])
case("cl-t2dm-insulin", CL, "2型糖尿病：甘精胰岛素+二甲双胍+达格列净", pt(sex="female", age=58, diagnoses=["2型糖尿病"], labs={"egfr": 75}),
     [o("甘精胰岛素注射液", 14, "U", "皮下注射", "qn"), o("二甲双胍缓释片", 1, "g"), o("达格列净片(安达唐)", 10, "mg")],
     [I(HA, "甘精胰岛素注射液"), I(HA, "二甲双胍缓释片"), I(HA, "达格列净片(安达唐)")])
case("cl-cad-secondary", CL, "冠心病二级预防：阿司匹林+阿托伐他汀+美托洛尔", pt(age=61, diagnoses=["冠心病"]),
     [o("阿司匹林肠溶片", 100, "mg"), o("阿托伐他汀钙片", 20, "mg", freq="qn"), o("琥珀酸美托洛尔缓释片", 47.5, "mg")], [])
case("cl-cad-dapt", CL, "PCI 术后：阿司匹林+替格瑞洛+瑞舒伐他汀+泮托拉唑", pt(age=57, diagnoses=["冠心病", "PCI术后"]),
     [o("阿司匹林肠溶片", 100, "mg"), o("替格瑞洛片(倍林达)", 90, "mg", freq="bid"), o("瑞舒伐他汀钙片", 10, "mg"),
      o("泮托拉唑钠肠溶片", 40, "mg")], [I(IX, "阿司匹林肠溶片", "替格瑞洛片(倍林达)")])
case("cl-hfref-gdmt", CL, "HFrEF：沙库巴曲缬沙坦+比索洛尔+螺内酯+达格列净", pt(age=63, diagnoses=["慢性心力衰竭"], labs={"egfr": 62, "potassium": 4.3}),
     [o("沙库巴曲缬沙坦钠片(诺欣妥)", 50, "mg", freq="bid"), o("富马酸比索洛尔片(康忻)", 2.5, "mg"),
      o("螺内酯片", 20, "mg"), o("达格列净片", 10, "mg")],
     [I(IX, "沙库巴曲缬沙坦钠片(诺欣妥)", "螺内酯片"), I(HA, "达格列净片")])
case("cl-af-doac", CL, "房颤：利伐沙班+比索洛尔", pt(age=64, w=72, diagnoses=["心房颤动"], labs={"crcl": 80}),
     [o("利伐沙班片", 20, "mg"), o("比索洛尔片", 5, "mg")], [I(HA, "利伐沙班片")])
case("cl-lipids", CL, "高脂血症：阿托伐他汀+依折麦布", pt(sex="female", age=55, diagnoses=["高脂血症"]),
     [o("阿托伐他汀钙片(立普妥)", 20, "mg", freq="qn"), o("依折麦布片(益适纯)", 10, "mg")], [])
case("cl-copd", CL, "慢阻肺：噻托溴铵+布地奈德福莫特罗", pt(age=68, diagnoses=["慢阻肺"]),
     [o("噻托溴铵粉吸入剂(思力华)", 18, "μg", "吸入", "qd"), o("布地奈德福莫特罗粉吸入剂(信必可)", 1, "吸", "吸入", "bid")], [])
case("cl-asthma", CL, "哮喘：布地奈德福莫特罗+孟鲁司特", pt(sex="female", age=34, diagnoses=["支气管哮喘"]),
     [o("布地奈德福莫特罗粉吸入剂", 1, "吸", "吸入", "bid"), o("孟鲁司特钠片", 10, "mg", freq="qn")], [])
case("cl-gout", CL, "痛风：非布司他", pt(age=48, diagnoses=["痛风"], labs={"egfr": 80}),
     [o("非布司他片(优立通)", 40, "mg")], [])
case("cl-hypothyroid", CL, "甲减：左甲状腺素", pt(sex="female", age=45, diagnoses=["甲状腺功能减退症"]),
     [o("左甲状腺素钠片(优甲乐)", 50, "μg")], [])
case("cl-osteoporosis", CL, "骨质疏松：阿仑膦酸钠每周+骨化三醇", pt(sex="female", age=63, diagnoses=["骨质疏松"]),
     [o("阿仑膦酸钠片", 70, "mg", freq="qw"), o("骨化三醇软胶囊(罗盖全)", 0.25, "μg")], [])
case("cl-ckd3-htn", CL, "CKD3 期高血压：氨氯地平+呋塞米", pt(age=66, labs={"egfr": 45}, diagnoses=["慢性肾脏病3期", "高血压"]),
     [o("氨氯地平片", 5, "mg"), o("呋塞米片", 20, "mg")], [I(GR, "呋塞米片")])
case("cl-elderly-htn-lipid", CL, "78 岁：氨氯地平+阿托伐他汀+阿司匹林（冠心病）", pt(sex="female", age=78, diagnoses=["高血压", "冠心病"], labs={"egfr": 65}),
     [o("氨氯地平片", 5, "mg"), o("阿托伐他汀钙片", 20, "mg", freq="qn"), o("阿司匹林肠溶片", 100, "mg")],
     [I(GR, "阿司匹林肠溶片")])
case("cl-child-amox", CL, "4 岁 16 kg 中耳炎：阿莫西林 400 mg bid", pt(age=4, w=16, diagnoses=["急性中耳炎"]),
     [o("阿莫西林颗粒", 400, "mg", freq="bid", days=7)], [])
case("cl-child-fever", CL, "2 岁 12 kg 发热：布洛芬混悬液 100 mg q8h prn", pt(sex="female", age=2, w=12, diagnoses=["急性上呼吸道感染"]),
     [o("布洛芬混悬液(美林)", 100, "mg", freq="q8h prn")], [])
case("cl-pregnancy-htn", CL, "妊娠期高血压：拉贝洛尔", pt(sex="female", age=30, pregnant=True, diagnoses=["妊娠期高血压"]),
     [o("盐酸拉贝洛尔片", 100, "mg", freq="bid")], [I(PG, "盐酸拉贝洛尔片")])
case("cl-lactation-analgesia", CL, "哺乳期镇痛：对乙酰氨基酚", pt(sex="female", age=29, lactating=True),
     [o("对乙酰氨基酚片", 0.5, "g", freq="q6h prn")], [])
case("cl-depression", CL, "抑郁症：舍曲林", pt(sex="female", age=38, diagnoses=["抑郁症"]),
     [o("盐酸舍曲林片(左洛复)", 50, "mg")], [])
case("cl-epilepsy", CL, "癫痫：左乙拉西坦", pt(age=27, diagnoses=["癫痫"], labs={"egfr": 100}),
     [o("左乙拉西坦片(开浦兰)", 500, "mg", freq="bid")], [])
case("cl-bph", CL, "前列腺增生：坦索罗辛+非那雄胺", pt(age=66, diagnoses=["前列腺增生"]),
     [o("盐酸坦索罗辛缓释胶囊(哈乐)", 0.2, "mg", freq="qn"), o("非那雄胺片(保列治)", 5, "mg")], [])
case("cl-gerd", CL, "反流性食管炎：雷贝拉唑 8 周", pt(sex="female", age=50, diagnoses=["反流性食管炎"]),
     [o("雷贝拉唑钠肠溶片", 20, "mg", days=56)], [])
case("cl-htn-diabetes-combo", CL, "高血压合并糖尿病：厄贝沙坦+二甲双胍+阿托伐他汀", pt(age=59, diagnoses=["高血压", "2型糖尿病"], labs={"egfr": 78}),
     [o("厄贝沙坦片(安博维)", 150, "mg"), o("盐酸二甲双胍缓释片", 1, "g"), o("阿托伐他汀钙片", 20, "mg")],
     [I(HA, "盐酸二甲双胍缓释片")])
case("cl-cap-adult", CL, "社区获得性肺炎门诊：阿莫西林克拉维酸钾+阿奇霉素", pt(age=42, diagnoses=["社区获得性肺炎"]),
     [o("阿莫西林克拉维酸钾片", 1, "g", freq="bid", days=7), o("阿奇霉素片", 0.5, "g", days=3)], [])
case("cl-uti-female", CL, "单纯性膀胱炎：呋喃妥因", pt(sex="female", age=32, diagnoses=["急性膀胱炎"], labs={"egfr": 105}),
     [o("呋喃妥因肠溶片", 100, "mg", freq="bid", days=5)], [])
case("cl-migraine", CL, "偏头痛急性期：布洛芬 prn", pt(sex="female", age=28, diagnoses=["偏头痛"]),
     [o("布洛芬缓释胶囊", 0.3, "g", freq="bid prn")], [])


DEVELOPMENT = list(CASES)
CASES.clear()

# ══ held-out cases ═══════════════════════════════════════════════════════════════════════════
# Written after the engine was built and labelled from the clinical problem alone; they are run, never
# tuned on: alerts beyond the design count as false positives, misses are reported as they are.
from yizhu.evaluation.data.rx.holdout_cases import add_holdout  # noqa: E402 - the held-out tables live in their own module

add_holdout(case, pt, o, E)
HOLDOUT = list(CASES)


def _write(path: Path, cases: list[dict[str, Any]]) -> None:
    path.write_text("".join(json.dumps(c, ensure_ascii=False) + "\n" for c in cases), encoding="utf-8")
    cats: dict[str, int] = {}
    for c in cases:
        cats[c["category"]] = cats.get(c["category"], 0) + 1
    print(f"{len(cases)} cases → {path}: {cats}")


def main() -> int:
    _write(OUT, DEVELOPMENT)
    _write(OUT.with_name("holdout.jsonl"), HOLDOUT)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
