"""Held-out evaluation cases (合成, synthetic): labelled from the clinical problem alone, never tuned on.

Each row names the designed problem only; whatever else the engine says counts against its precision.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def add_holdout(case: Callable[..., None], pt: Callable[..., dict[str, Any]], o: Callable[..., dict[str, Any]],
                E: Callable[..., dict[str, Any]]) -> None:
    """Add the held-out cases through the builders of build_cases.py."""
    h = "ho-"
    # interactions
    case(h + "ix-clopi-esomeprazole", "interaction", "氯吡格雷+艾司奥美拉唑", pt(age=63),
         [o("氯吡格雷片", 75, "mg"), o("艾司奥美拉唑镁肠溶片(耐信)", 20, "mg")],
         [E("interaction", "氯吡格雷片", "艾司奥美拉唑镁肠溶片(耐信)")])
    case(h + "ix-warfarin-metronidazole", "interaction", "华法林+甲硝唑", pt(sex="female", age=59),
         [o("华法林钠片", 2.5, "mg"), o("甲硝唑片", 0.4, "g", freq="tid")],
         [E("interaction", "华法林钠片", "甲硝唑片", sev="major")])
    case(h + "ix-tadalafil-nitroglycerin", "interaction", "他达拉非+硝酸甘油", pt(age=66),
         [o("他达拉非片(希爱力)", 5, "mg"), o("硝酸甘油片", 0.5, "mg", "舌下含服", "prn")],
         [E("interaction", "他达拉非片(希爱力)", "硝酸甘油片", sev="contraindicated")])
    case(h + "ix-digoxin-verapamil", "interaction", "地高辛+维拉帕米", pt(age=72),
         [o("地高辛片", 0.125, "mg"), o("维拉帕米缓释片", 120, "mg")],
         [E("interaction", "地高辛片", "维拉帕米缓释片", sev="major")])
    case(h + "ix-fentanyl-itraconazole", "interaction", "芬太尼贴+伊曲康唑", pt(age=58),
         [o("芬太尼透皮贴剂(多瑞吉)", 25, "μg", "外贴", "q72h"), o("伊曲康唑胶囊", 200, "mg")],
         [E("interaction", "芬太尼透皮贴剂(多瑞吉)", "伊曲康唑胶囊", sev="major")])
    case(h + "ix-ticagrelor-clarithro", "interaction", "替格瑞洛+克拉霉素", pt(age=60),
         [o("替格瑞洛片", 90, "mg", freq="bid"), o("克拉霉素片", 0.5, "g", freq="bid")],
         [E("interaction", "替格瑞洛片", "克拉霉素片", sev="contraindicated")])
    case(h + "ix-febuxostat-azathioprine", "interaction", "非布司他+硫唑嘌呤", pt(age=44),
         [o("非布司他片", 40, "mg"), o("硫唑嘌呤片", 50, "mg")],
         [E("interaction", "非布司他片", "硫唑嘌呤片", sev="contraindicated")])
    # duplicates
    case(h + "dup-two-arbs", "duplicate", "厄贝沙坦+氯沙坦", pt(age=61),
         [o("厄贝沙坦片", 150, "mg"), o("氯沙坦钾片(科素亚)", 50, "mg")],
         [E("duplicate", "厄贝沙坦片", "氯沙坦钾片(科素亚)")])
    case(h + "dup-brand-clopidogrel", "duplicate", "波立维+硫酸氢氯吡格雷片", pt(age=67),
         [o("波立维", 75, "mg"), o("硫酸氢氯吡格雷片", 75, "mg")],
         [E("duplicate", "波立维", "硫酸氢氯吡格雷片", sev="major")])
    case(h + "dup-two-sulfonylureas", "duplicate", "格列美脲+格列齐特", pt(age=57),
         [o("格列美脲片", 2, "mg"), o("格列齐特缓释片", 60, "mg")],
         [E("duplicate", "格列美脲片", "格列齐特缓释片")])
    case(h + "dup-two-h2-ppi", "duplicate", "泮托拉唑+艾司奥美拉唑", pt(age=49),
         [o("泮托拉唑钠肠溶胶囊", 40, "mg"), o("艾司奥美拉唑镁肠溶片", 20, "mg")],
         [E("duplicate", "泮托拉唑钠肠溶胶囊", "艾司奥美拉唑镁肠溶片")])
    # dose
    case(h + "dose-atorva-160", "dose", "阿托伐他汀 160 mg", pt(age=58),
         [o("阿托伐他汀钙片", 160, "mg")], [E("dose", "阿托伐他汀钙片", sev="major")])
    case(h + "dose-metformin-3g", "dose", "二甲双胍 1 g tid（3 g/d）", pt(age=50, labs={"egfr": 90}),
         [o("盐酸二甲双胍片", 1, "g", freq="tid")], [E("dose", "盐酸二甲双胍片")])
    case(h + "dose-peds-cefaclor", "dose", "15 kg 患儿头孢克洛 250 mg tid（50 mg/kg/d）", pt(age=3, w=15),
         [o("头孢克洛干混悬剂", 250, "mg", freq="tid")], [E("dose", "头孢克洛干混悬剂")])
    case(h + "dose-peds-cetirizine-age", "dose", "3 岁患儿西替利嗪 10 mg", pt(sex="female", age=3, w=14),
         [o("盐酸西替利嗪滴剂", 10, "mg")], [E("dose", "盐酸西替利嗪滴剂")])
    case(h + "dose-amiodarone-iv", "dose", "胺碘酮静脉 3 g/24h", pt(age=64),
         [o("盐酸胺碘酮注射液", 1.5, "g", "静脉泵入", "q12h")], [E("dose", "盐酸胺碘酮注射液")])
    # frequency
    case(h + "fq-felodipine-tid", "frequency", "非洛地平缓释片 tid", pt(age=62),
         [o("非洛地平缓释片(波依定)", 5, "mg", freq="tid")], [E("frequency", "非洛地平缓释片(波依定)")])
    case(h + "fq-mtx-bid", "frequency", "甲氨蝶呤 2.5 mg bid", pt(sex="female", age=48),
         [o("甲氨蝶呤片", 2.5, "mg", freq="bid")], [E("frequency", "甲氨蝶呤片", sev="major")])
    case(h + "fq-unreadable", "frequency", "频次写「一天几次」", pt(age=35),
         [o("头孢克肟胶囊", 0.1, "g", freq="一天几次")], [E("frequency", "头孢克肟胶囊")])
    # route
    case(h + "rt-tablet-iv", "route", "硝苯地平片静推", pt(age=55),
         [o("硝苯地平片", 10, "mg", "静推", "st")], [E("route", "硝苯地平片")])
    case(h + "rt-kcl-iv-push-en", "route", "氯化钾注射液 iv push", pt(age=70),
         [o("氯化钾注射液", 1, "g", "iv push", "st")], [E("route", "氯化钾注射液", sev="contraindicated")])
    case(h + "rt-ointment-oral", "route", "红霉素软膏口服", pt(age=20),
         [o("红霉素软膏", 1, "支", "口服", "bid")], [E("route", "红霉素软膏")])
    # allergy
    case(h + "al-pen-ampicillin-sulbactam", "allergy", "青霉素过敏开氨苄西林舒巴坦", pt(age=54, allergies=["青霉素"]),
         [o("注射用氨苄西林钠舒巴坦钠", 3, "g", "静滴", "q6h")], [E("allergy", "注射用氨苄西林钠舒巴坦钠", sev="contraindicated")])
    case(h + "al-sulfa-smz", "allergy", "SMZ过敏开复方磺胺甲噁唑", pt(age=41, allergies=["复方新诺明"]),
         [o("复方磺胺甲噁唑片", 2, "片", freq="bid")], [E("allergy", "复方磺胺甲噁唑片", sev="contraindicated")])
    case(h + "al-ceph-cefotaxime", "allergy", "头孢曲松过敏开头孢噻肟", pt(age=39, allergies=["头孢曲松"]),
         [o("注射用头孢噻肟钠", 2, "g", "静滴", "q8h")], [E("allergy", "注射用头孢噻肟钠", sev="contraindicated")])
    case(h + "al-pen-cefadroxil", "allergy", "阿莫西林过敏开头孢羟氨苄", pt(age=24, allergies=["阿莫西林"]),
         [o("头孢羟氨苄胶囊", 0.5, "g", freq="bid")], [E("allergy", "头孢羟氨苄胶囊", sev="major")])
    # special populations
    case(h + "pg-losartan", "pregnancy", "妊娠开氯沙坦", pt(sex="female", age=33, pregnant=True),
         [o("氯沙坦钾片", 50, "mg")], [E("pregnancy", "氯沙坦钾片", sev="major")])
    case(h + "pg-isotretinoin", "pregnancy", "妊娠开异维A酸", pt(sex="female", age=24, pregnant=True),
         [o("异维A酸软胶囊", 10, "mg")], [E("pregnancy", "异维A酸软胶囊", sev="contraindicated")])
    case(h + "lc-codeine-compound", "lactation", "哺乳期开可待因", pt(sex="female", age=27, lactating=True),
         [o("可待因片", 30, "mg", freq="tid")], [E("lactation", "可待因片", sev="major")])
    case(h + "pd-minocycline-7y", "pediatric", "7 岁开米诺环素", pt(age=7, w=24),
         [o("米诺环素胶囊", 50, "mg", freq="bid")], [E("pediatric", "米诺环素胶囊", sev="contraindicated")])
    case(h + "pd-aspirin-varicella", "pediatric", "水痘患儿开阿司匹林退热", pt(age=5, w=18, diagnoses=["水痘"]),
         [o("阿司匹林泡腾片", 0.1, "g", freq="tid")], [E("pediatric", "阿司匹林泡腾片", sev="major")])
    case(h + "gr-chlorphenamine-compound", "geriatric", "81 岁开异丙嗪", pt(sex="female", age=81),
         [o("异丙嗪注射液", 25, "mg", "肌注", "st")], [E("geriatric", "异丙嗪注射液")])
    case(h + "gr-glibenclamide", "geriatric", "77 岁开格列本脲", pt(age=77),
         [o("优降糖", 2.5, "mg")], [E("geriatric", "优降糖")])
    # organ function
    case(h + "rn-metformin-ckd5", "renal", "透析患者开二甲双胍", pt(age=63, diagnoses=["维持性血液透析"]),
         [o("二甲双胍片", 0.5, "g", freq="bid")], [E("renal", "二甲双胍片", sev="contraindicated")])
    case(h + "rn-rivaroxaban-crcl12", "renal", "CrCl 12 开利伐沙班", pt(age=82, labs={"crcl": 12}),
         [o("利伐沙班片", 15, "mg")], [E("renal", "利伐沙班片")])
    case(h + "rn-levo-scr", "renal", "血肌酐 300 μmol/L 开左氧氟沙星 0.5 g", pt(age=75, w=60, labs={"scr_umol_l": 300}),
         [o("左氧氟沙星片", 0.5, "g")], [E("renal", "左氧氟沙星片")])
    case(h + "hp-valproate-cirrhosis", "hepatic", "肝硬化开丙戊酸钠", pt(age=52, diagnoses=["肝硬化"]),
         [o("丙戊酸钠缓释片", 500, "mg", freq="bid")], [E("hepatic", "丙戊酸钠缓释片", sev="contraindicated")])
    case(h + "hp-ticagrelor-childb", "hepatic", "Child-Pugh B 开替格瑞洛", pt(age=60, labs={"child_pugh": "B"}),
         [o("替格瑞洛片", 90, "mg", freq="bid")], [E("hepatic", "替格瑞洛片", sev="contraindicated")])
    # drug-disease
    case(h + "ci-trimetazidine-pd", "contraindication", "帕金森综合征开曲美他嗪", pt(age=74, diagnoses=[{"text": "帕金森病", "code": "G20"}]),
         [o("曲美他嗪片", 20, "mg", freq="tid")], [E("contraindication", "曲美他嗪片", sev="contraindicated")])
    case(h + "ci-carvedilol-asthma", "contraindication", "哮喘开卡维地洛", pt(age=55, diagnoses=["支气管哮喘"]),
         [o("卡维地洛片", 12.5, "mg", freq="bid")], [E("contraindication", "卡维地洛片", sev="contraindicated")])
    # management
    case(h + "am-resident-cefoperazone-sulbactam", "antimicrobial", "住院医师开头孢哌酮舒巴坦", pt(age=66, prescriber_level="resident"),
         [o("注射用头孢哌酮钠舒巴坦钠(舒普深)", 3, "g", "静滴", "q12h")], [E("antimicrobial", "注射用头孢哌酮钠舒巴坦钠(舒普深)")],
         setting="inpatient")
    case(h + "am-outpatient-vancomycin", "antimicrobial", "门诊开万古霉素", pt(age=50, prescriber_level="chief"),
         [o("注射用万古霉素", 1, "g", "静滴", "q12h")], [E("antimicrobial", "注射用万古霉素")], setting="outpatient")
    case(h + "ha-oxycodone", "high_alert", "羟考酮缓释片", pt(age=60),
         [o("盐酸羟考酮缓释片(奥施康定)", 10, "mg", freq="q12h")], [E("high_alert", "盐酸羟考酮缓释片(奥施康定)")])
    case(h + "uk-unknown", "unknown_drug", "自造药名", pt(age=44),
         [o("强力速效康复丸", 6, "g", freq="tid")], [E("unknown_drug", "强力速效康复丸")])
    # clean
    case(h + "cl-htn-nifedipine-bisoprolol", "clean", "高血压：硝苯地平控释片+比索洛尔", pt(age=58, diagnoses=["高血压"]),
         [o("硝苯地平控释片(拜新同)", 30, "mg"), o("富马酸比索洛尔片", 5, "mg")], [])
    case(h + "cl-t2dm-gliclazide-metformin", "clean", "2 型糖尿病：格列齐特缓释片+二甲双胍", pt(age=54, labs={"egfr": 88}),
         [o("格列齐特缓释片", 60, "mg"), o("二甲双胍片", 0.5, "g", freq="tid")], [])
    case(h + "cl-lipid-rosuva", "clean", "高脂血症：瑞舒伐他汀 10 mg", pt(sex="female", age=52),
         [o("瑞舒伐他汀钙片", 10, "mg")], [])
    case(h + "cl-af-apixaban", "clean", "房颤：阿哌沙班+美托洛尔缓释", pt(age=66, w=70, labs={"crcl": 75}, diagnoses=["心房颤动"]),
         [o("阿哌沙班片(艾乐妥)", 5, "mg", freq="bid"), o("琥珀酸美托洛尔缓释片", 47.5, "mg")], [])
    case(h + "cl-child-cefdinir", "clean", "5 岁 18 kg：头孢地尼 7 mg/kg bid", pt(age=5, w=18),
         [o("头孢地尼颗粒", 120, "mg", freq="bid")], [])
    case(h + "cl-hypothyroid-elderly", "clean", "70 岁甲减：左甲状腺素 50 μg", pt(sex="female", age=70),
         [o("左甲状腺素钠片", 50, "μg")], [])
