"""Drug–drug interaction rules: drug pairs and class rules, in our own words with their sources.

Notation: ``"warfarin"`` is ``drug:warfarin``; ``"@statin"`` is ``class:statin`` (a ``class_tags`` value).
"""

from __future__ import annotations

from typing import Any

LBL = "药品说明书（相互作用/禁忌项）"
STK = "Stockley's Drug Interactions, 12th ed., 2019（要点改写）"
FDA = "FDA Drug Development and Drug Interactions: Table of Substrates, Inhibitors and Inducers, 2023"
QTS = "CredibleMeds QTdrugs list (AZCERT), 2024"
BRS = "AGS Beers Criteria 2023, Table 5（应避免的药物相互作用）"
OPB = "FDA Drug Safety Communication: 阿片类与苯二氮䓬类合用黑框警示, 2016"
GAB = "FDA Drug Safety Communication: 加巴喷丁类与中枢抑制药合用呼吸抑制, 2019"
WAR = "《华法林抗凝治疗的中国专家共识》, 2013"
SIM = "FDA Drug Safety Communication: 他汀类相互作用与剂量限制, 2011–2012"
SER = "Boyer EW, Shannon M. The serotonin syndrome. N Engl J Med, 2005"

CLASS_LABELS: dict[str, str] = {
    "qt_known": "明确致QT延长/TdP药物", "qt_possible": "可能/条件性致QT延长药物",
    "maoi": "单胺氧化酶抑制剂", "maoi_b": "MAO-B抑制剂", "serotonergic": "5-羟色胺能药物",
    "serotonergic_antidepressant": "5-羟色胺能抗抑郁药", "sympathomimetic": "拟交感胺类",
    "opioid": "阿片类", "opioid_partial_agonist": "阿片受体部分激动/激动-拮抗剂", "benzodiazepine": "苯二氮䓬类",
    "z_drug": "非苯二氮䓬类催眠药", "gabapentinoid": "加巴喷丁类", "barbiturate": "巴比妥类",
    "h1_antihistamine_1g": "第一代抗组胺药", "antipsychotic": "抗精神病药",
    "anticoagulant": "抗凝药", "antiplatelet": "抗血小板药", "thrombolytic": "溶栓药", "nsaid": "非甾体抗炎药",
    "nsaid_nonsalicylate": "非水杨酸类NSAIDs", "bleeding_risk_serotonergic": "SSRI/SNRI类",
    "corticosteroid_systemic": "全身用糖皮质激素", "tcm_blood_activating": "活血类中成药/银杏制剂",
    "acei": "ACEI", "arb": "ARB（含ARNI中的缬沙坦）", "arni": "ARNI", "raas_inhibitor": "RAAS抑制剂",
    "mra": "醛固酮受体拮抗剂", "potassium_sparing": "保钾利尿剂", "potassium_supplement": "补钾制剂",
    "calcineurin_inhibitor": "钙调磷酸酶抑制剂", "diuretic": "利尿剂", "thiazide": "噻嗪类利尿剂",
    "loop_diuretic": "袢利尿剂", "aminoglycoside": "氨基糖苷类", "glycopeptide": "糖肽类", "polymyxin": "多黏菌素类",
    "neuromuscular_blocker": "神经肌肉阻断剂", "polyene": "两性霉素B类", "nephrotoxic": "肾毒性药物",
    "ototoxic": "耳毒性药物", "potassium_depleting": "排钾药物", "cardiac_glycoside": "强心苷",
    "beta_blocker": "β受体阻滞剂", "beta_blocker_nonselective": "非选择性β受体阻滞剂", "ndhp_ccb": "非二氢吡啶类CCB",
    "dhp_ccb": "二氢吡啶类CCB", "cyp3a4_strong_inhibitor": "强效CYP3A4抑制剂",
    "cyp3a4_moderate_inhibitor": "中效CYP3A4抑制剂", "cyp3a4_strong_inducer": "强效CYP3A4诱导剂",
    "enzyme_inducer": "肝药酶诱导剂", "pde5_inhibitor": "PDE5抑制剂", "nitrate": "硝酸酯类",
    "nitrate_like": "NO供体类（尼可地尔、硝普钠）", "alpha1_blocker": "α1受体阻滞剂", "beta2_agonist": "β2受体激动剂",
    "hypoglycemia_risk": "易致低血糖的降糖药", "insulin": "胰岛素", "insulin_secretagogue": "胰岛素促泌剂",
    "sulfonylurea": "磺脲类", "antidiabetic": "降糖药", "sglt2_inhibitor": "SGLT2抑制剂", "glp1_ra": "GLP-1受体激动剂",
    "dpp4_inhibitor": "DPP-4抑制剂", "ache_inhibitor_dementia": "抗痴呆胆碱酯酶抑制剂", "anticholinergic": "抗胆碱能药",
    "statin": "他汀类", "statin_cyp3a4_sensitive": "经CYP3A4代谢的他汀（辛伐/洛伐他汀）", "fibrate": "贝特类",
    "red_yeast_rice": "红曲类制剂", "pgp_inhibitor": "P-gp抑制剂", "doac": "直接口服抗凝药",
    "fluoroquinolone": "氟喹诺酮类", "macrolide": "大环内酯类", "nmtt_side_chain": "含NMTT侧链头孢类",
    "cyp2c9_inhibitor": "CYP2C9抑制剂", "cyp2c19_inhibitor": "CYP2C19抑制剂", "cyp2c19_substrate": "CYP2C19底物",
    "cyp1a2_strong_inhibitor": "强效CYP1A2抑制剂", "cyp2d6_strong_inhibitor": "强效CYP2D6抑制剂",
    "cyp2d6_substrate": "CYP2D6底物", "xanthine": "茶碱类", "dopamine_antagonist": "多巴胺受体拮抗剂",
    "dopaminergic": "左旋多巴制剂", "dopamine_agonist": "多巴胺受体激动剂", "chelation_sensitive": "易被多价阳离子螯合的药物",
    "polyvalent_cation": "含钙/铁/铝/镁/铋等多价阳离子制剂", "acid_suppressant": "抑酸药", "ppi": "质子泵抑制剂",
    "carbapenem": "碳青霉烯类", "combined_oral_contraceptive": "复方口服避孕药", "calcium_iv": "静脉钙剂",
    "disulfiram_like": "可致双硫仑样反应的药物", "thiopurine": "硫嘌呤类", "xanthine_oxidase_inhibitor": "黄嘌呤氧化酶抑制剂",
    "contains_paracetamol": "含对乙酰氨基酚制剂", "contains_ephedra": "含麻黄制剂", "glycyrrhizin": "甘草酸类",
    "p2y12_inhibitor": "P2Y12抑制剂", "ics": "吸入糖皮质激素", "laba": "长效β2受体激动剂",
    "seizure_threshold_lowering": "降低癫痫阈值药物", "aminopenicillin": "氨基青霉素", "penicillin": "青霉素类",
    "tca": "三环类抗抑郁药", "ssri": "SSRI", "lmwh": "低分子肝素",
}

_RULES: list[tuple[str, str, str, str, str | None, str | None, str]] = []


def I(a: str, b: str, sev: str, effect: str, mech: str | None, mgmt: str | None, src: str) -> None:  # noqa: E743
    """Register one rule (see module docstring for the notation)."""
    _RULES.append((a, b, sev, effect, mech, mgmt, src))


# ---- QT
I("@qt_known", "@qt_known", "major", "QT间期延长作用相加，尖端扭转型室速和猝死风险增加",
  "心肌复极（hERG钾通道）抑制相加", "尽量避免合用；必须合用时测基线及用药后QTc，纠正低钾低镁，避免心动过缓，QTc>500 ms 或较基线延长>60 ms 时停用其一", QTS)
I("@qt_known", "@qt_possible", "moderate", "QT延长风险可能增加", "复极抑制相加",
  "高危者（女性、老年、心脏病、电解质紊乱、肝肾功能不全）监测心电图和电解质", QTS)

# ---- serotonergic / MAOI
I("@maoi", "@maoi", "contraindicated", "高血压危象或5-羟色胺综合征", "单胺氧化酶叠加抑制", "禁止合用；换药需按说明书洗脱（通常≥14天，吗氯贝胺较短）", LBL)
I("moclobemide", "@serotonergic_antidepressant", "contraindicated", "5-羟色胺综合征（高热、肌阵挛、意识改变，可致死）",
  "MAO抑制叠加5-HT再摄取抑制", "禁止合用；氟西汀停药5周后方可换用MAOI", LBL + "；" + SER)
I("@maoi_b", "@serotonergic_antidepressant", "major", "5-羟色胺综合征风险（已有严重病例报告）", "MAO-B抑制在高浓度时选择性下降，叠加5-HT作用",
  "避免合用；确需合用时选最低剂量并密切观察；雷沙吉兰避免与氟西汀、氟伏沙明合用", LBL)
for _d in ("pethidine", "tramadol", "dextromethorphan"):
    I("@maoi", _d, "contraindicated", "5-羟色胺综合征或严重兴奋/抑制反应，可致死", "MAO抑制叠加5-HT能作用",
      "禁止合用，停用MAOI≥14天后方可使用", LBL)
I("@maoi", "fentanyl", "major", "5-羟色胺综合征或阿片毒性增强", "5-HT能作用相加", "避免在MAOI使用期间及停药14天内使用", LBL)
I("@maoi", "methylphenidate", "contraindicated", "高血压危象", "儿茶酚胺释放增加且降解受抑", "禁止合用，停用MAOI≥14天", LBL)
I("@maoi", "@sympathomimetic", "major", "升压反应显著增强，可致高血压危象", "去甲肾上腺素降解受抑（间接作用者更明显）",
  "避免合用；必须使用升压药时从小剂量起并严密监测血压", STK)
I("@maoi", "buspirone", "contraindicated", "血压升高", "未明确，说明书禁忌", "禁止合用", LBL)
I("@maoi", "@contains_ephedra", "major", "高血压危象", "麻黄碱促儿茶酚胺释放，降解受抑", "避免合用", STK)
I("linezolid", "@serotonergic", "major", "5-羟色胺综合征", "利奈唑胺为弱的可逆MAO抑制剂",
  "避免合用；无替代必须合用时严密观察神经肌肉和自主神经症状，出现即停药", LBL + "；" + SER)
I("linezolid", "@sympathomimetic", "moderate", "升压反应增强", "弱MAO抑制", "升压药从低剂量起滴定并监测血压", LBL)
I("@serotonergic", "@serotonergic", "moderate", "5-羟色胺综合征风险增加；两种抗抑郁药合用亦属重复用药",
  "5-HT能作用相加", "评估合用必要性；起始或加量时观察激越、震颤、肌阵挛、高热、腹泻", SER + "；" + STK)
I("tramadol", "@cyp2d6_strong_inhibitor", "major", "曲马多镇痛作用减弱，而5-羟色胺综合征和癫痫发作风险增加",
  "CYP2D6受抑使活性代谢物O-去甲曲马多生成减少、原形药蓄积", "避免合用或换用不依赖CYP2D6的镇痛药", LBL)
I("tramadol", "@seizure_threshold_lowering", "moderate", "癫痫发作风险增加", "惊厥阈值降低作用相加",
  "有癫痫史者避免合用；控制曲马多剂量", LBL)
I("bupropion", "@seizure_threshold_lowering", "moderate", "癫痫发作风险增加", "惊厥阈值降低相加", "避免高剂量；有癫痫危险因素者避免", LBL)

# ---- CNS depression
I("@opioid", "@benzodiazepine", "major", "深度镇静、呼吸抑制、昏迷甚至死亡", "中枢抑制相加",
  "仅在无替代时合用，两者均用最低有效剂量和最短疗程，监测呼吸和镇静程度，备纳洛酮", OPB + "；" + BRS)
I("@opioid", "@z_drug", "major", "过度镇静和呼吸抑制", "中枢抑制相加", "避免合用或减量并监测", OPB)
I("@opioid", "@gabapentinoid", "major", "呼吸抑制风险增加（老年、肺病患者尤甚）", "中枢抑制相加，加巴喷丁吸收增加",
  "避免合用；必须合用时低剂量起始并监测呼吸", GAB + "；" + BRS)
I("@opioid", "@barbiturate", "major", "呼吸抑制", "中枢抑制相加（苯巴比妥另可诱导部分阿片代谢）", "避免合用或严密监测", LBL)
I("@benzodiazepine", "@gabapentinoid", "moderate", "镇静和呼吸抑制增加", "中枢抑制相加", "减量并监测，老年人避免", GAB)
I("@benzodiazepine", "@z_drug", "moderate", "过度镇静、跌倒", "中枢抑制相加，属重复催眠治疗", "避免同时使用两种催眠镇静药", BRS)
I("@opioid", "@h1_antihistamine_1g", "moderate", "镇静增强", "中枢抑制相加", "避免合用或减量", STK)
I("@opioid", "@antipsychotic", "moderate", "镇静、低血压、呼吸抑制增强", "中枢抑制相加", "减量并监测", STK)
I("@benzodiazepine", "@antipsychotic", "moderate", "过度镇静；肌注奥氮平与胃肠外苯二氮䓬类合用曾有致死报告",
  "中枢抑制相加", "避免同时胃肠外给药；监测生命体征", LBL)
I("@opioid_partial_agonist", "@opioid", "moderate", "镇痛减弱，阿片依赖者可诱发戒断", "部分激动/激动-拮抗作用竞争μ受体",
  "避免与纯激动剂同时用于镇痛；转换时按方案", LBL)

# ---- bleeding
I("@anticoagulant", "@anticoagulant", "major", "出血风险显著增加（重复抗凝）", "抗凝作用相加",
  "除换药衔接或规定的桥接/重叠方案外避免合用；DOAC说明书将与其他抗凝药同用列为禁忌（换药除外）", LBL)
I("@anticoagulant", "@antiplatelet", "major", "出血风险增加", "凝血与血小板功能同时受抑",
  "仅在有明确指征（如房颤合并PCI）时合用，缩短联合疗程，评估出血风险并考虑PPI", LBL + "；" + WAR)
I("@anticoagulant", "@nsaid", "major", "消化道及其他部位出血风险显著增加", "血小板抑制与胃黏膜损伤叠加抗凝",
  "避免合用；镇痛优选对乙酰氨基酚；必须用时最短疗程并加PPI", STK + "；" + BRS)
I("@anticoagulant", "@thrombolytic", "major", "严重出血（含颅内出血）", "纤溶与抗凝叠加", "严格按溶栓方案规定的时机和剂量使用", LBL)
I("@antiplatelet", "@thrombolytic", "major", "出血风险增加", "作用相加", "按再灌注治疗方案使用，避免额外抗血小板药", LBL)
I("@antiplatelet", "@antiplatelet", "moderate", "出血风险增加（双联抗血小板为有意联合）", "血小板抑制相加",
  "确认为有指征的双抗方案及疗程；高出血风险者加PPI；避免三种以上抗血小板药", LBL)
I("@antiplatelet", "@nsaid_nonsalicylate", "moderate", "消化道出血风险增加", "血小板抑制与胃黏膜损伤相加", "尽量避免；必须合用时加PPI", STK)
I("aspirin", "@nsaid_nonsalicylate", "moderate", "布洛芬等可竞争COX-1位点，削弱小剂量阿司匹林心血管保护；出血风险增加",
  "COX-1乙酰化位点竞争", "如需布洛芬，应在阿司匹林服用后≥30 min或服用前≥8 h给药；长期镇痛考虑其他药物", LBL)
I("@nsaid_nonsalicylate", "@nsaid_nonsalicylate", "major", "两种NSAIDs同用不增加疗效而胃肠、肾和心血管风险增加", "作用及毒性相加",
  "避免同时使用两种NSAIDs（含复方感冒药中的成分）", LBL)
I("@bleeding_risk_serotonergic", "@anticoagulant", "moderate", "出血风险增加", "血小板5-HT摄取受抑",
  "监测出血征象；华法林合用时复查INR", STK)
I("@bleeding_risk_serotonergic", "@antiplatelet", "moderate", "出血风险增加", "血小板5-HT摄取受抑", "监测出血，消化道高危者加PPI", STK)
I("@bleeding_risk_serotonergic", "@nsaid", "moderate", "上消化道出血风险增加", "血小板功能受抑叠加黏膜损伤", "避免长期合用或加PPI", STK)
I("@corticosteroid_systemic", "@nsaid", "moderate", "消化性溃疡和出血风险增加", "胃黏膜保护作用受损叠加", "避免长期合用，必要时加PPI", STK)
I("@tcm_blood_activating", "@anticoagulant", "moderate", "可能增加出血风险（证据有限）", "活血类成分可能影响血小板或凝血",
  "合用时观察出血征象；华法林患者加测INR", "中成药说明书；《中成药临床应用指导原则》2010")
I("@tcm_blood_activating", "@antiplatelet", "moderate", "可能增加出血风险（证据有限）", "可能的抗血小板作用相加",
  "观察出血征象", "中成药说明书；《中成药临床应用指导原则》2010")
I("warfarin", "aspirin", "major", "出血风险显著增加（华法林抗凝叠加阿司匹林抗血小板及胃黏膜损伤）",
  "药效学相加；大剂量阿司匹林还可置换华法林蛋白结合", "仅在有明确指征时合用（如机械瓣、近期ACS），用最低阿司匹林剂量并加PPI，密切监测INR和出血", WAR + "；" + LBL)

# ---- renin–angiotensin, potassium, kidney
I("@acei", "@arb", "major", "高钾血症、低血压、急性肾损伤风险增加而心肾获益未增加", "双重RAAS阻断", "避免ACEI与ARB联用", LBL)
I("@acei", "@arni", "contraindicated", "血管性水肿风险显著增加", "缓激肽降解双重受抑（ACE与脑啡肽酶）",
  "禁止合用；由ACEI换为ARNI需停ACEI至少36小时", LBL)
I("@arb", "@arb", "major", "重复ARB（含沙库巴曲缬沙坦中的缬沙坦）：低血压、高钾", "同类重复", "不合用", LBL)
I("@raas_inhibitor", "@mra", "moderate", "高钾血症和肾功能恶化（心衰中为有意联合）", "醛固酮作用受抑叠加排钾减少",
  "eGFR<30 或血钾>5.0 mmol/L 时避免；起始后3天、1周及之后定期复查血钾和肌酐", LBL)
for _d in ("amiloride", "triamterene"):
    I("@raas_inhibitor", _d, "major", "严重高钾血症", "排钾减少叠加", "避免合用；确需合用时密切监测血钾", LBL)
    I(_d, "@potassium_supplement", "contraindicated", "严重高钾血症", "保钾叠加外源性补钾",
      "禁止常规合用；仅在严重低钾且严密监测下例外", LBL)
I("@raas_inhibitor", "@potassium_supplement", "moderate", "高钾血症风险", "排钾减少加外源补钾", "监测血钾，肾功能不全者尤需谨慎", LBL)
I("@mra", "@potassium_supplement", "major", "高钾血症", "保钾叠加补钾", "避免常规合用；必须时严密监测血钾", LBL)
I("@potassium_sparing", "@potassium_sparing", "major", "高钾血症（保钾利尿剂重复）", "作用相加", "避免合用", LBL)
I("@raas_inhibitor", "smz_tmp", "moderate", "高钾血症（老年、肾功能减退者风险高）", "甲氧苄啶阻断远端肾小管钠通道",
  "肾功能减退者避免合用；必须时复查血钾", BRS)
I("@calcineurin_inhibitor", "@potassium_sparing", "major", "高钾血症", "排钾减少叠加", "避免合用或密切监测血钾", LBL)
I("drospirenone_ethinylestradiol", "@raas_inhibitor", "moderate", "高钾血症", "屈螺酮具抗盐皮质激素作用", "首周期复查血钾", LBL)
I("drospirenone_ethinylestradiol", "@potassium_sparing", "moderate", "高钾血症", "抗盐皮质激素作用叠加", "复查血钾", LBL)
I("@nsaid_nonsalicylate", "@raas_inhibitor", "moderate", "降压作用减弱、肾功能恶化和高钾（合用利尿剂时为“三重打击”）",
  "前列腺素介导的肾血流受抑", "尽量避免；必须合用时保证容量并在1–2周内复查肌酐和血钾", STK + "；" + BRS)
I("@nsaid_nonsalicylate", "@diuretic", "moderate", "利尿和降压作用减弱，急性肾损伤风险增加", "肾前列腺素合成受抑，钠潴留",
  "避免长期合用；监测血压、体重和肾功能", STK)
I("@nsaid_nonsalicylate", "@calcineurin_inhibitor", "moderate", "肾毒性增加", "肾血流下降叠加", "监测肌酐和血药浓度", STK)
I("@nsaid_nonsalicylate", "lithium_carbonate", "major", "血锂升高致锂中毒", "肾锂清除减少", "避免合用；必须合用时减锂剂量并监测血锂", LBL)
I("@nsaid_nonsalicylate", "methotrexate", "moderate", "甲氨蝶呤毒性增加（大剂量时可致命）", "肾清除减少，蛋白结合置换",
  "大剂量甲氨蝶呤期间避免NSAIDs；小剂量每周方案合用时监测血常规和肾功能", LBL)
I("@nephrotoxic", "@nephrotoxic", "moderate", "急性肾损伤风险增加", "肾毒性相加", "尽量避免联合；必须合用时监测肌酐、尿量和可测的血药浓度", STK)
I("@ototoxic", "@ototoxic", "moderate", "耳毒性风险增加", "耳毒性相加", "避免大剂量袢利尿剂快速静注；监测听力和血药浓度", STK)
I("@aminoglycoside", "@aminoglycoside", "major", "肾毒性和耳毒性显著增加（同类重复）", "毒性相加", "不联合使用两种氨基糖苷类", LBL)
I("@aminoglycoside", "@polymyxin", "major", "肾毒性和神经肌肉阻滞增加", "毒性相加", "避免合用；无替代时监测肾功能和呼吸", LBL)
I("@aminoglycoside", "@neuromuscular_blocker", "moderate", "神经肌肉阻滞延长，呼吸抑制", "突触前乙酰胆碱释放受抑", "监测肌松恢复", LBL)
I("@polymyxin", "@neuromuscular_blocker", "major", "呼吸肌麻痹延长", "神经肌肉阻滞相加", "避免合用或严密监测通气", LBL)
I("@aminoglycoside", "cisplatin", "major", "肾毒性和耳毒性增加", "毒性相加", "避免合用；必须时监测肾功能和听力", LBL)
I("@glycopeptide", "piperacillin_tazobactam", "moderate", "急性肾损伤发生率增加（观察性研究）", "机制未明",
  "每日监测肌酐；可考虑替代β-内酰胺类", "观察性研究荟萃分析（Clin Infect Dis 2017 等）；" + STK)
I("@calcineurin_inhibitor", "@calcineurin_inhibitor", "major", "肾毒性叠加（重复免疫抑制）", "同类重复并相互影响浓度",
  "不合用；换药时按浓度衔接", LBL)
I("@potassium_depleting", "@cardiac_glycoside", "moderate", "低钾低镁诱发洋地黄中毒和心律失常", "低钾增加强心苷与Na/K-ATP酶结合",
  "监测并纠正血钾、血镁", LBL)
I("@glycyrrhizin", "@potassium_depleting", "moderate", "低钾血症加重", "甘草酸假性醛固酮作用叠加排钾", "监测血钾", LBL)
I("@glycyrrhizin", "@cardiac_glycoside", "moderate", "低钾诱发洋地黄中毒", "假性醛固酮增多致低钾", "监测血钾", LBL)
I("lithium_carbonate", "@thiazide", "major", "血锂升高25–40%，锂中毒", "近端小管锂重吸收增加", "避免合用；必须时减锂剂量并监测血锂", LBL + "；" + BRS)
I("lithium_carbonate", "@loop_diuretic", "moderate", "血锂可能升高", "钠丢失后锂重吸收增加", "监测血锂", BRS)
I("lithium_carbonate", "@raas_inhibitor", "major", "血锂升高致锂中毒", "肾锂清除减少", "避免合用；必须时监测血锂并减量", BRS + "；" + LBL)
I("lithium_carbonate", "@serotonergic_antidepressant", "moderate", "5-羟色胺综合征或神经毒性", "5-HT能作用相加", "观察神经系统症状", LBL)
I("lithium_carbonate", "metronidazole", "moderate", "血锂升高", "肾清除下降", "监测血锂", STK)
I("lithium_carbonate", "haloperidol", "moderate", "神经毒性（意识障碍、锥体外系症状）", "机制未明", "监测神经系统症状和血锂", LBL)

# ---- cardiovascular
I("@beta_blocker", "@ndhp_ccb", "major", "严重心动过缓、房室传导阻滞、低血压和心衰加重", "负性变时/变传导/变力作用相加",
  "尽量避免；静脉合用禁忌；口服合用需心电和血压监测", LBL)
I("@beta_blocker", "@cardiac_glycoside", "moderate", "心动过缓和房室传导阻滞", "传导抑制相加", "监测心率和心电图", LBL)
I("@ndhp_ccb", "@cardiac_glycoside", "moderate", "地高辛浓度升高和心动过缓", "P-gp抑制与传导抑制", "监测心率和地高辛浓度", LBL)
I("verapamil", "digoxin", "major", "地高辛浓度升高50–75%，心动过缓、传导阻滞", "P-gp抑制，肾及非肾清除减少",
  "地高辛减量约1/3–1/2 并监测浓度", LBL)
I("amiodarone", "@cardiac_glycoside", "major", "地高辛浓度约翻倍，中毒和心动过缓", "P-gp抑制", "开始胺碘酮时地高辛减半并监测浓度", LBL)
I("amiodarone", "warfarin", "major", "INR显著升高和出血（效应可持续数周至数月）", "CYP2C9/3A4受抑",
  "华法林减量约30–50%，每周复查INR直至稳定", LBL + "；" + WAR)
I("amiodarone", "@beta_blocker", "moderate", "心动过缓、房室传导阻滞", "传导抑制相加", "监测心率和心电图", LBL)
I("amiodarone", "@ndhp_ccb", "moderate", "心动过缓、房室传导阻滞", "传导抑制相加", "监测心电图", LBL)
I("amiodarone", "sofosbuvir_velpatasvir", "major", "严重症状性心动过缓，曾有致死", "机制未明", "避免合用；无替代时住院心电监测", LBL)
I("amiodarone", "simvastatin", "major", "肌病和横纹肌溶解风险增加", "CYP3A4抑制使辛伐他汀暴露增加", "辛伐他汀每日不超过20 mg，或换用非CYP3A4他汀", SIM)
I("amiodarone", "lovastatin", "major", "肌病风险增加", "CYP3A4抑制", "洛伐他汀每日不超过40 mg，或换药", SIM)
I("amiodarone", "dabigatran", "moderate", "达比加群暴露增加，出血风险", "P-gp抑制", "监测出血与肾功能", LBL)
I("amiodarone", "edoxaban", "moderate", "艾多沙班暴露增加", "P-gp抑制", "监测出血", LBL)
I("amiodarone", "@calcineurin_inhibitor", "moderate", "他克莫司/环孢素浓度升高", "CYP3A4与P-gp抑制", "监测血药浓度", LBL)
I("amiodarone", "phenytoin", "moderate", "苯妥英浓度升高", "CYP2C9抑制", "监测苯妥英浓度", STK)
I("ivabradine", "@ndhp_ccb", "contraindicated", "心率过度减慢", "CYP3A4抑制与减慢心率作用相加", "禁止合用", LBL)
I("ivabradine", "@cyp3a4_strong_inhibitor", "contraindicated", "伊伐布雷定浓度大幅升高，严重心动过缓", "CYP3A4抑制", "禁止合用", LBL)
I("@pde5_inhibitor", "@nitrate", "contraindicated", "严重低血压、晕厥甚至心肌梗死", "cGMP介导的血管扩张相加",
  "禁止合用；西地那非24 h、他达拉非48 h内不用硝酸酯", LBL)
I("@pde5_inhibitor", "@nitrate_like", "contraindicated", "严重低血压", "NO-cGMP通路作用相加", "禁止合用", LBL)
I("@pde5_inhibitor", "@alpha1_blocker", "moderate", "体位性低血压", "血管扩张相加", "α阻滞剂稳定后从最低剂量起用PDE5抑制剂", LBL)
I("@pde5_inhibitor", "@cyp3a4_strong_inhibitor", "major", "PDE5抑制剂暴露大幅增加，低血压、晕厥", "CYP3A4抑制",
  "西地那非起始25 mg且48 h内不重复；他达拉非按需≤10 mg/72 h", LBL)
I("@beta_blocker_nonselective", "@beta2_agonist", "moderate", "支气管扩张作用被拮抗，可诱发支气管痉挛", "β2受体阻断",
  "哮喘/COPD患者选用高选择性β1阻滞剂", LBL)
I("@beta_blocker_nonselective", "epinephrine", "major", "严重高血压伴反射性心动过缓；过敏反应时肾上腺素疗效下降",
  "β2扩血管作用被阻断后α作用占优", "过敏反应对肾上腺素反应差时可考虑胰高血糖素；局麻含肾上腺素时限量", STK)
I("@beta_blocker", "@hypoglycemia_risk", "moderate", "低血糖症状（心悸、震颤）被掩盖，恢复延迟", "交感反应受阻",
  "告知患者以出汗等症状识别低血糖，优先选用β1选择性药物", LBL)
I("@beta_blocker", "clonidine", "moderate", "停用可乐定时反跳性高血压加重", "α介导的血管收缩无β扩血管对抗",
  "需停药时先停β阻滞剂数天再停可乐定", LBL)
I("@ache_inhibitor_dementia", "@beta_blocker", "moderate", "心动过缓、晕厥", "迷走张力增强相加", "监测心率，晕厥者评估", LBL)
I("@ache_inhibitor_dementia", "@anticholinergic", "moderate", "疗效相互抵消，认知恶化", "药理拮抗", "避免对痴呆患者使用抗胆碱药", BRS)
I("succinylcholine", "@ache_inhibitor_dementia", "moderate", "琥珀胆碱肌松作用延长", "血浆胆碱酯酶受抑", "麻醉前告知麻醉医师", LBL)
I("@alpha1_blocker", "@alpha1_blocker", "moderate", "体位性低血压（重复α1阻滞）", "作用相加", "避免合用", LBL)
I("adenosine", "dipyridamole", "major", "腺苷作用显著增强和延长，严重心动过缓/停搏", "腺苷摄取受抑", "腺苷首剂减至约1/4或换用其他药物", LBL)
I("adenosine", "@xanthine", "moderate", "腺苷疗效下降", "腺苷受体拮抗", "需要时增加腺苷剂量或选其他方法", LBL)
I("dexmedetomidine", "@beta_blocker", "moderate", "心动过缓和低血压", "交感抑制相加", "监测心率和血压", LBL)
I("nifedipine", "rifampicin", "contraindicated", "硝苯地平浓度大幅下降，降压失效", "CYP3A4强诱导", "禁止合用，换用其他降压药", LBL)
I("nifedipine", "magnesium_sulfate", "moderate", "低血压和神经肌肉阻滞", "钙通道阻滞作用相加", "子痫前期合用时监测血压和肌力", LBL)

# ---- statins and lipids
I("@statin_cyp3a4_sensitive", "@cyp3a4_strong_inhibitor", "contraindicated", "辛伐/洛伐他汀暴露升高十倍以上，横纹肌溶解",
  "CYP3A4强抑制", "禁止合用；抗感染疗程内暂停他汀或换用普伐/瑞舒伐他汀", SIM + "；" + LBL)
for _d in ("erythromycin", "cyclosporine", "gemfibrozil"):
    I("@statin_cyp3a4_sensitive", _d, "contraindicated", "肌病和横纹肌溶解风险显著增加", "CYP3A4/OATP1B1抑制或葡糖醛酸化受抑",
      "禁止合用", SIM)
I("@statin_cyp3a4_sensitive", "@ndhp_ccb", "major", "肌病风险增加", "CYP3A4抑制", "辛伐他汀≤10 mg/d，洛伐他汀≤20 mg/d，或换药", SIM)
I("simvastatin", "amlodipine", "moderate", "辛伐他汀暴露增加", "弱CYP3A4抑制", "辛伐他汀≤20 mg/d", SIM)
I("@statin_cyp3a4_sensitive", "fluconazole", "moderate", "肌病风险增加", "中效CYP3A4抑制", "短期抗真菌时暂停或减量他汀", STK)
I("@statin_cyp3a4_sensitive", "ticagrelor", "moderate", "辛伐/洛伐他汀浓度升高", "CYP3A4弱抑制", "辛伐他汀>40 mg/d 不推荐", LBL)
I("atorvastatin", "@cyp3a4_strong_inhibitor", "major", "阿托伐他汀暴露增加，肌病风险", "CYP3A4抑制",
  "阿托伐他汀≤20 mg/d（与克拉霉素、伊曲康唑合用）或疗程内暂停", LBL)
I("atorvastatin", "cyclosporine", "major", "阿托伐他汀暴露大幅增加", "OATP1B1与CYP3A4抑制", "避免合用", LBL)
I("rosuvastatin", "cyclosporine", "contraindicated", "瑞舒伐他汀暴露约增加7倍", "OATP1B1抑制", "禁止合用", LBL)
I("pitavastatin", "cyclosporine", "contraindicated", "匹伐他汀暴露大幅增加", "OATP1B1抑制", "禁止合用", LBL)
I("pravastatin", "cyclosporine", "major", "普伐他汀暴露增加", "OATP1B1抑制", "普伐他汀起始10 mg，≤20 mg/d", LBL)
I("fluvastatin", "cyclosporine", "moderate", "氟伐他汀暴露增加", "转运体抑制", "氟伐他汀≤20 mg bid", LBL)
I("@statin", "gemfibrozil", "major", "肌病和横纹肌溶解风险增加", "他汀葡糖醛酸化和OATP1B1转运受抑", "避免合用，需要贝特类时选非诺贝特", LBL)
I("@statin", "@fibrate", "moderate", "肌病风险增加", "毒性相加", "选用非诺贝特，监测肌痛和CK", LBL)
I("@statin", "colchicine", "moderate", "肌病风险增加", "毒性相加及部分转运体竞争", "告知肌痛即就诊，必要时查CK", STK)
I("@statin", "daptomycin", "moderate", "CK升高和肌病", "肌毒性相加", "达托霉素疗程中考虑暂停他汀", LBL)
I("@statin", "@red_yeast_rice", "moderate", "同类重复（红曲含洛伐他汀类成分），肌病风险", "作用相加", "避免合用", "中成药说明书；" + STK)
I("@statin", "warfarin", "minor", "INR可轻度升高", "部分他汀影响华法林代谢", "开始或调整他汀时复查INR", STK)
I("rosuvastatin", "warfarin", "moderate", "INR升高", "机制未明", "起始或调整剂量时复查INR", LBL)
I("@statin_cyp3a4_sensitive", "@cyp3a4_strong_inducer", "moderate", "他汀浓度显著下降，调脂失效", "CYP3A4诱导", "监测血脂，考虑换用其他他汀", STK)
I("atorvastatin", "@cyp3a4_strong_inducer", "moderate", "阿托伐他汀浓度下降", "CYP3A4诱导（利福平同时给药时影响较小）", "同时服用并监测血脂", LBL)
I("ezetimibe", "cyclosporine", "moderate", "两者浓度均升高", "转运体相互作用", "监测环孢素浓度", LBL)
I("colchicine", "@cyp3a4_strong_inhibitor", "major", "秋水仙碱中毒（可致死）", "CYP3A4及P-gp抑制",
  "肝或肾功能不全者禁止合用；其他患者秋水仙碱减量（如0.5 mg 隔日）或暂停", LBL)
I("colchicine", "@pgp_inhibitor", "major", "秋水仙碱浓度升高，中毒", "P-gp抑制", "肝肾功能不全者避免；其他减量并监测", LBL)
I("colchicine", "@cyp3a4_moderate_inhibitor", "moderate", "秋水仙碱暴露增加", "CYP3A4抑制", "减量并观察腹泻、肌痛、血细胞减少", LBL)

# ---- CYP3A4 inhibitors
I("ticagrelor", "@cyp3a4_strong_inhibitor", "contraindicated", "替格瑞洛暴露大幅增加，出血风险", "CYP3A4强抑制", "禁止合用", LBL)
for _d in ("rivaroxaban", "apixaban"):
    I(_d, "@cyp3a4_strong_inhibitor", "major", "抗凝药暴露增加，出血风险", "CYP3A4与P-gp双重抑制",
      "避免与唑类抗真菌药、利托那韦合用；克拉霉素影响较小，肾功能不全者慎用", LBL)
I("dabigatran", "itraconazole", "contraindicated", "达比加群暴露大幅增加", "P-gp强抑制", "禁止合用", LBL)
I("dabigatran", "cyclosporine", "contraindicated", "达比加群暴露增加", "P-gp抑制", "禁止合用", LBL)
I("dabigatran", "@pgp_inhibitor", "moderate", "达比加群暴露增加，出血风险", "P-gp抑制", "维拉帕米合用时用110 mg bid且同时服用；监测出血", LBL)
I("edoxaban", "@pgp_inhibitor", "moderate", "艾多沙班暴露增加", "P-gp抑制", "与环孢素、红霉素等合用时减为30 mg qd", LBL)
I("midazolam", "@cyp3a4_strong_inhibitor", "major", "咪达唑仑作用显著增强和延长，呼吸抑制", "CYP3A4强抑制",
  "口服咪达唑仑禁止合用（说明书）；静脉使用需减量并监护", LBL)
I("alprazolam", "itraconazole", "contraindicated", "阿普唑仑浓度显著升高", "CYP3A4强抑制", "禁止合用", LBL)
I("alprazolam", "@cyp3a4_strong_inhibitor", "major", "过度镇静", "CYP3A4抑制", "避免或显著减量", LBL)
I("quetiapine", "@cyp3a4_strong_inhibitor", "major", "喹硫平浓度升高数倍，镇静、低血压、QT延长", "CYP3A4强抑制",
  "避免；必须合用时喹硫平减至约1/6", LBL)
I("@calcineurin_inhibitor", "@cyp3a4_strong_inhibitor", "major", "他克莫司/环孢素浓度大幅升高，肾毒性和神经毒性", "CYP3A4抑制",
  "合用前预先减量（伏立康唑合用时他克莫司约减至1/3），密切监测谷浓度", LBL)
I("@calcineurin_inhibitor", "@cyp3a4_moderate_inhibitor", "moderate", "他克莫司/环孢素浓度升高", "CYP3A4抑制",
  "监测谷浓度并调整剂量", LBL)
for _d in ("eplerenone", "tolvaptan", "ranolazine", "domperidone"):
    I(_d, "@cyp3a4_strong_inhibitor", "contraindicated", "底物药物暴露大幅增加（高钾、过度利尿/低钠纠正过快、QT延长等）",
      "CYP3A4强抑制", "禁止合用", LBL)
for _d in ("fentanyl", "oxycodone", "oxycodone_paracetamol", "sufentanil"):
    I(_d, "@cyp3a4_strong_inhibitor", "major", "阿片浓度升高，致命性呼吸抑制", "CYP3A4抑制", "避免；必须合用时减量并严密监测，停用抑制剂后注意浓度回落", LBL)
I("buprenorphine", "@cyp3a4_strong_inhibitor", "moderate", "丁丙诺啡浓度升高", "CYP3A4抑制", "监测镇静和呼吸", LBL)
I("salmeterol_fluticasone", "@cyp3a4_strong_inhibitor", "major", "沙美特罗心血管不良反应（QT延长、心悸）及全身激素作用增加",
  "CYP3A4抑制", "避免合用", LBL)
I("@ics", "@cyp3a4_strong_inhibitor", "moderate", "吸入激素全身暴露增加，可致库欣综合征和肾上腺抑制", "CYP3A4抑制",
  "长期合用（尤其利托那韦与氟替卡松）应避免，改用受影响较小的方案", LBL)
for _d in ("tamsulosin", "solifenacin", "tolterodine", "saxagliptin", "repaglinide", "cilostazol", "trazodone", "aripiprazole",
           "haloperidol", "methylprednisolone", "dexamethasone", "xuezhikang", "paclitaxel", "paclitaxel_albumin"):
    I(_d, "@cyp3a4_strong_inhibitor", "moderate", "底物浓度升高，不良反应增加", "CYP3A4抑制", "按说明书减量或监测", LBL + "；" + FDA)
I("@dhp_ccb", "@cyp3a4_strong_inhibitor", "moderate", "钙拮抗剂浓度升高，低血压和水肿", "CYP3A4抑制", "监测血压，必要时减量", LBL)
for _d in ("docetaxel", "vincristine"):
    I(_d, "@cyp3a4_strong_inhibitor", "major", "化疗药暴露增加，骨髓抑制或神经毒性加重（长春新碱与伊曲康唑/泊沙康唑可致严重神经毒性）",
      "CYP3A4抑制", "避免合用，换用棘白菌素等", LBL)
I("carbamazepine", "@cyp3a4_strong_inhibitor", "major", "卡马西平中毒（眩晕、共济失调、复视）", "CYP3A4抑制",
  "避免；必须合用时监测卡马西平浓度（伏立康唑与卡马西平本身为禁忌）", LBL)
I("carbamazepine", "erythromycin", "major", "卡马西平中毒", "CYP3A4抑制", "避免，或监测浓度并减量", LBL)
I("carbamazepine", "@ndhp_ccb", "moderate", "卡马西平浓度升高", "CYP3A4抑制", "监测浓度", STK)
I("carbamazepine", "fluconazole", "moderate", "卡马西平浓度升高", "CYP3A4抑制", "监测浓度", STK)
I("carbamazepine", "isoniazid", "moderate", "卡马西平浓度升高，肝毒性可能增加", "酶抑制", "监测浓度和肝功能", STK)
I("carbamazepine", "valproate", "moderate", "卡马西平活性环氧化物升高、丙戊酸浓度下降", "环氧化物水解酶抑制与酶诱导", "监测两药浓度", LBL)
I("carbamazepine", "clozapine", "major", "粒细胞缺乏风险叠加且氯氮平浓度下降", "骨髓毒性相加与CYP诱导", "避免合用", LBL)

# ---- strong inducers
I("@cyp3a4_strong_inducer", "ticagrelor", "major", "替格瑞洛浓度大幅下降，抗血小板失效", "CYP3A4诱导", "避免合用", LBL)
I("@cyp3a4_strong_inducer", "@doac", "major", "抗凝药浓度大幅下降，血栓风险", "CYP3A4与P-gp诱导", "避免合用，改用华法林并监测INR或其他方案", LBL)
I("@cyp3a4_strong_inducer", "@calcineurin_inhibitor", "major", "免疫抑制剂浓度大幅下降，排斥反应", "CYP3A4与P-gp诱导",
  "避免；必须时大幅增量并密切监测浓度，停用诱导剂后再减量", LBL)
for _d in ("rifampicin", "rifapentine", "carbamazepine", "phenobarbital"):
    I("voriconazole", _d, "contraindicated", "伏立康唑浓度显著下降而失效（卡马西平/苯巴比妥浓度也可能升高）", "CYP诱导", "禁止合用", LBL)
I("voriconazole", "phenytoin", "major", "伏立康唑浓度下降、苯妥英浓度升高", "双向CYP相互作用", "避免；必须时增加伏立康唑剂量并监测两药浓度", LBL)
I("@cyp3a4_strong_inducer", "nirmatrelvir_ritonavir", "contraindicated", "奈玛特韦浓度下降致治疗失败和耐药", "CYP3A4诱导",
  "禁止合用（停用诱导剂后短期内仍有影响）", LBL)
I("@cyp3a4_strong_inducer", "isavuconazole", "contraindicated", "艾沙康唑浓度大幅下降", "CYP3A4诱导", "禁止合用", LBL)
for _d in ("itraconazole", "posaconazole"):
    I("@cyp3a4_strong_inducer", _d, "major", "唑类抗真菌药浓度大幅下降而失效", "CYP3A4/UGT诱导", "避免合用", LBL)
I("fluconazole", "rifampicin", "moderate", "氟康唑浓度下降约25%", "酶诱导", "考虑增加氟康唑剂量", LBL)
I("@cyp3a4_strong_inducer", "warfarin", "major", "华法林作用显著减弱（停用诱导剂后INR反跳升高）", "CYP2C9/3A4诱导",
  "开始和停用诱导剂时密切监测INR并调整剂量", WAR)
I("@enzyme_inducer", "@combined_oral_contraceptive", "major", "避孕失败和突破性出血", "雌孕激素代谢加速", "改用非激素避孕或宫内节育器", LBL)
I("@enzyme_inducer", "levonorgestrel", "major", "紧急避孕效果下降", "代谢加速", "使用酶诱导剂期间紧急避孕剂量加倍或选铜IUD", LBL)
I("@cyp3a4_strong_inducer", "quetiapine", "major", "喹硫平浓度大幅下降", "CYP3A4诱导", "增量（可达5倍）并监测疗效，停用诱导剂后减量", LBL)
I("@cyp3a4_strong_inducer", "@dhp_ccb", "moderate", "降压作用减弱", "CYP3A4诱导", "监测血压，必要时换药", STK)
I("@cyp3a4_strong_inducer", "tenofovir_af", "major", "丙酚替诺福韦浓度下降致乙肝病毒学失败", "P-gp诱导", "不推荐合用，可改用替诺福韦酯", LBL)
I("@cyp3a4_strong_inducer", "sofosbuvir_velpatasvir", "contraindicated", "抗HCV药物浓度大幅下降，治疗失败", "P-gp与CYP诱导", "禁止合用", LBL)
I("@cyp3a4_strong_inducer", "dolutegravir", "moderate", "多替拉韦浓度下降", "UGT1A1/CYP3A诱导", "与利福平合用时多替拉韦改为50 mg bid", LBL)
I("@cyp3a4_strong_inducer", "levothyroxine", "moderate", "甲状腺激素需要量增加", "代谢加速", "监测TSH", STK)
I("@cyp3a4_strong_inducer", "@corticosteroid_systemic", "moderate", "激素作用减弱（替代治疗者可诱发肾上腺功能不全）", "CYP3A4诱导",
  "增加激素剂量并观察", STK)
I("@cyp3a4_strong_inducer", "caspofungin", "moderate", "卡泊芬净浓度下降", "诱导摄取/代谢", "维持剂量改为70 mg qd", LBL)
I("@cyp3a4_strong_inducer", "ranolazine", "contraindicated", "雷诺嗪浓度大幅下降", "CYP3A4诱导", "禁止合用", LBL)
for _d in ("tolvaptan", "eplerenone", "ivabradine"):
    I("@cyp3a4_strong_inducer", _d, "moderate", "底物浓度显著下降，疗效降低", "CYP3A4诱导", "避免或监测疗效", LBL)
for _d in ("oxycodone", "fentanyl", "midazolam", "aripiprazole", "docetaxel", "paclitaxel"):
    I("@cyp3a4_strong_inducer", _d, "moderate", "底物浓度下降，疗效减弱（阿片类可致戒断）", "CYP3A4诱导", "监测疗效并调整剂量", LBL + "；" + FDA)
I("@enzyme_inducer", "lamotrigine", "moderate", "拉莫三嗪浓度下降约50%", "葡糖醛酸化诱导", "按合用方案调整拉莫三嗪剂量", LBL)
I("@enzyme_inducer", "valproate", "moderate", "丙戊酸浓度下降", "代谢诱导", "监测丙戊酸浓度", LBL)
I("@enzyme_inducer", "estradiol_valerate", "moderate", "雌激素作用减弱", "代谢加速", "观察疗效", STK)
I("@enzyme_inducer", "theophylline", "moderate", "茶碱浓度下降", "CYP1A2诱导", "监测茶碱浓度", LBL)
I("@enzyme_inducer", "aminophylline", "moderate", "茶碱浓度下降", "CYP1A2诱导", "监测茶碱浓度", LBL)

# ---- warfarin and CYP2C9
I("warfarin", "fluconazole", "major", "INR显著升高和出血", "CYP2C9强抑制", "避免或华法林减量并在3–5天内复查INR", WAR + "；" + LBL)
I("warfarin", "voriconazole", "major", "INR升高和出血", "CYP2C9/3A4抑制", "密切监测INR并减量", LBL)
I("warfarin", "metronidazole", "major", "INR显著升高和出血", "S-华法林代谢（CYP2C9）受抑", "避免；必须合用时华法林减量约1/3并频繁复查INR", WAR)
I("warfarin", "ornidazole", "moderate", "INR升高", "代谢抑制", "复查INR", LBL)
I("warfarin", "tinidazole", "moderate", "INR升高", "代谢抑制", "复查INR", LBL)
I("warfarin", "smz_tmp", "major", "INR显著升高和出血", "CYP2C9抑制和蛋白结合置换", "避免合用，选其他抗菌药；必须时密切监测INR", BRS + "；" + WAR)
I("warfarin", "benzbromarone", "major", "INR显著升高和出血", "CYP2C9抑制", "避免合用或华法林减量并密切监测INR", STK)
for _d in ("capecitabine", "fluorouracil"):
    I("warfarin", _d, "major", "INR显著升高和出血（可致死），停化疗后仍可持续", "CYP2C9表达下调", "密切监测INR，考虑改用低分子肝素", LBL)
I("warfarin", "@fluoroquinolone", "moderate", "INR升高", "肠道菌群改变和代谢影响", "开始和停用抗菌药后3–5天复查INR", WAR)
I("warfarin", "@macrolide", "moderate", "INR升高（克拉霉素、红霉素较阿奇霉素明显）", "CYP3A4抑制和菌群改变", "复查INR", WAR)
I("warfarin", "@nmtt_side_chain", "moderate", "低凝血酶原血症和出血风险增加", "NMTT侧链抑制维生素K循环", "复查INR，必要时补充维生素K1", LBL)
I("warfarin", "paracetamol", "moderate", "规律服用（>2 g/d 数日）INR升高", "维生素K循环受影响", "偶尔小剂量无碍；规律大剂量时复查INR", WAR)
I("warfarin", "levothyroxine", "moderate", "甲状腺功能恢复时抗凝作用增强", "凝血因子分解代谢加快", "调整甲状腺激素剂量后复查INR", STK)
for _d in ("methimazole", "propylthiouracil"):
    I("warfarin", _d, "moderate", "甲亢控制后抗凝作用减弱", "凝血因子代谢变化", "甲功变化期间复查INR", STK)
I("warfarin", "allopurinol", "moderate", "INR可能升高", "代谢抑制", "复查INR", STK)
I("warfarin", "tramadol", "moderate", "INR升高和出血", "机制未明", "复查INR", STK)
I("warfarin", "@fibrate", "moderate", "INR升高", "蛋白结合置换与代谢影响", "华法林可能需减量，复查INR", LBL)
I("warfarin", "propafenone", "moderate", "INR升高", "代谢抑制", "复查INR", LBL)
I("warfarin", "tigecycline", "moderate", "INR升高", "机制未明", "复查INR", LBL)
I("warfarin", "aprepitant", "moderate", "INR下降（用药后7–10天）", "CYP2C9诱导", "化疗周期后复查INR", LBL)
I("warfarin", "@corticosteroid_systemic", "moderate", "INR升高或下降，消化道出血风险增加", "多种机制", "起始/停用激素时复查INR", STK)
I("warfarin", "cimetidine", "moderate", "INR升高", "CYP抑制", "换用其他抑酸药或复查INR", STK)
I("warfarin", "azathioprine", "moderate", "抗凝作用减弱", "机制未明", "复查INR", STK)
I("warfarin", "omeprazole", "minor", "INR轻度升高", "R-华法林代谢受CYP2C19抑制影响", "一般无需调整，必要时复查INR", STK)
I("@sulfonylurea", "@cyp2c9_inhibitor", "moderate", "磺脲类浓度升高，低血糖", "CYP2C9抑制", "监测血糖，必要时减量", LBL)
I("@sulfonylurea", "clarithromycin", "moderate", "低血糖", "CYP3A4/P-gp抑制", "监测血糖", STK)

# ---- antiplatelets
I("clopidogrel", "omeprazole", "major", "氯吡格雷活性代谢物减少，抗血小板作用减弱", "CYP2C19抑制", "避免合用，改用泮托拉唑或雷贝拉唑", LBL)
I("clopidogrel", "esomeprazole", "major", "氯吡格雷活性代谢物减少", "CYP2C19抑制", "避免合用，改用泮托拉唑或雷贝拉唑", LBL)
I("clopidogrel", "@cyp2c19_inhibitor", "moderate", "氯吡格雷活化减少", "CYP2C19抑制", "尽量避免，选择不抑制CYP2C19的替代药", LBL)
I("repaglinide", "gemfibrozil", "contraindicated", "瑞格列奈暴露增加约8倍，严重低血糖", "CYP2C8强抑制", "禁止合用", LBL)
I("repaglinide", "clopidogrel", "major", "瑞格列奈暴露增加数倍，低血糖", "氯吡格雷酰基葡糖苷酸抑制CYP2C8", "避免合用；必须时瑞格列奈减量并监测血糖", LBL)
I("@p2y12_inhibitor", "morphine", "moderate", "口服P2Y12抑制剂吸收延迟，起效变慢", "胃排空延迟", "急性冠脉综合征时注意，必要时考虑静脉抗血小板", LBL)
I("ticagrelor", "aspirin", "moderate", "阿司匹林维持量>100 mg/d 时替格瑞洛获益降低", "机制未明（PLATO研究亚组）", "合用时阿司匹林维持量75–100 mg/d", LBL)
I("ticagrelor", "digoxin", "moderate", "地高辛浓度升高", "P-gp抑制", "起始时监测地高辛浓度", LBL)
I("aspirin", "methotrexate", "major", "甲氨蝶呤毒性增加", "肾清除减少", "大剂量甲氨蝶呤期间避免；小剂量方案监测血常规和肾功能", LBL)
I("aspirin", "valproate", "moderate", "游离丙戊酸增加，出血倾向", "蛋白结合置换与血小板抑制", "监测", STK)

# ---- antidiabetics
I("@fluoroquinolone", "@hypoglycemia_risk", "moderate", "血糖紊乱（严重低血糖或高血糖），老年人风险高", "胰岛β细胞ATP敏感钾通道作用",
  "合用期间加强血糖监测", LBL)
I("@insulin", "@insulin_secretagogue", "moderate", "低血糖风险增加", "降糖作用相加", "合用时胰岛素或促泌剂减量并监测血糖", LBL)
I("@corticosteroid_systemic", "@antidiabetic", "moderate", "血糖升高，降糖效果下降", "糖异生增加、胰岛素抵抗", "使用激素期间加强血糖监测并调整降糖方案", LBL)
I("@sglt2_inhibitor", "@loop_diuretic", "moderate", "血容量不足和低血压", "渗透性利尿相加", "评估容量状态，必要时减利尿剂", LBL)
I("@hypoglycemia_risk", "@glp1_ra", "moderate", "低血糖风险增加", "降糖作用相加", "加用GLP-1RA时磺脲类/胰岛素减量", LBL)
I("@dpp4_inhibitor", "@glp1_ra", "moderate", "作用机制重叠，无额外获益", "同一肠促胰素通路", "不联合使用", "《中国2型糖尿病防治指南（2020年版）》")
I("hydroxychloroquine", "@hypoglycemia_risk", "moderate", "低血糖", "胰岛素敏感性增加", "监测血糖", LBL)
I("metformin", "dolutegravir", "moderate", "二甲双胍浓度升高", "OCT2/MATE抑制", "二甲双胍每日≤1000 mg 并监测", LBL)

# ---- CYP1A2, theophylline
I("@cyp1a2_strong_inhibitor", "tizanidine", "contraindicated", "替扎尼定浓度升高十倍以上，严重低血压和嗜睡", "CYP1A2强抑制", "禁止合用", LBL)
I("@cyp1a2_strong_inhibitor", "agomelatine", "contraindicated", "阿戈美拉汀浓度大幅升高", "CYP1A2强抑制", "禁止合用", LBL)
I("@cyp1a2_strong_inhibitor", "duloxetine", "contraindicated", "度洛西汀浓度大幅升高", "CYP1A2强抑制", "禁止合用", LBL)
I("@cyp1a2_strong_inhibitor", "clozapine", "major", "氯氮平浓度升高，癫痫、低血压、镇静", "CYP1A2抑制", "避免或氯氮平减量并监测浓度", LBL)
I("@cyp1a2_strong_inhibitor", "olanzapine", "moderate", "奥氮平浓度升高", "CYP1A2抑制", "考虑减量", LBL)
I("@cyp1a2_strong_inhibitor", "theophylline", "major", "茶碱中毒（恶心、心律失常、惊厥）", "CYP1A2抑制", "避免；必须合用时茶碱减量并监测浓度", LBL)
I("@cyp1a2_strong_inhibitor", "aminophylline", "major", "茶碱中毒", "CYP1A2抑制", "避免；必须合用时减量并监测浓度", LBL)
I("@cyp1a2_strong_inhibitor", "mexiletine", "moderate", "美西律浓度升高", "CYP1A2抑制", "监测", STK)
for _x in ("theophylline", "aminophylline"):
    for _m in ("clarithromycin", "erythromycin", "cimetidine"):
        I(_x, _m, "moderate", "茶碱浓度升高", "CYP1A2/3A4抑制", "监测茶碱浓度并减量", LBL)
I("@xanthine", "@xanthine", "major", "茶碱类重复使用致中毒", "作用相加", "不同时使用两种黄嘌呤类", LBL)

# ---- CYP2D6, CYP2C19
I("@cyp2d6_strong_inhibitor", "@cyp2d6_substrate", "moderate", "CYP2D6底物浓度升高（β阻滞剂致心动过缓、抗精神病药锥体外系反应等）",
  "CYP2D6抑制", "底物减量或换用非CYP2D6途径药物", FDA)
I("@cyp2d6_strong_inhibitor", "codeine", "moderate", "可待因镇痛作用减弱", "活化为吗啡受阻", "换用其他镇痛药", LBL)
I("@cyp2d6_strong_inhibitor", "tamoxifen", "major", "他莫昔芬活性代谢物（endoxifen）减少，抗肿瘤疗效可能下降", "CYP2D6抑制",
  "避免帕罗西汀、氟西汀、安非他酮，改用对CYP2D6影响小的抗抑郁药（如文拉法辛、艾司西酞普兰）", LBL)
I("@cyp2c19_inhibitor", "@cyp2c19_substrate", "moderate", "CYP2C19底物浓度升高（西酞普兰类QT延长等）", "CYP2C19抑制",
  "西酞普兰/艾司西酞普兰限量，或换药", LBL)

# ---- antimuscarinic, dopamine
I("@anticholinergic", "@anticholinergic", "moderate", "抗胆碱负荷相加：谵妄、认知下降、尿潴留、便秘（老年人尤甚）", "M受体阻断相加",
  "老年人尽量避免同时使用≥2种抗胆碱药", BRS)
I("@dopamine_antagonist", "@dopaminergic", "major", "左旋多巴疗效被拮抗，帕金森症状加重", "中枢D2受体阻断",
  "帕金森病患者避免甲氧氯普胺和典型抗精神病药，止吐选多潘立酮，精神症状选喹硫平或氯氮平", LBL)
I("@dopamine_antagonist", "@dopamine_agonist", "major", "多巴胺激动剂疗效被拮抗", "D2受体阻断", "避免合用", LBL)
I("metoclopramide", "@antipsychotic", "moderate", "锥体外系反应和抗精神病药恶性综合征风险增加", "D2阻断相加", "避免合用", LBL)

# ---- chelation, absorption
I("@chelation_sensitive", "@polyvalent_cation", "moderate", "吸收显著减少（可达50–90%），治疗失败",
  "与钙、铁、铝、镁、铋等形成不溶性螯合物", "喹诺酮/四环素在含阳离子制剂前2 h或后6 h服用；多替拉韦前2 h或后6 h；玛巴洛沙韦避免同服", LBL)
I("levothyroxine", "@polyvalent_cation", "moderate", "左甲状腺素吸收减少", "吸附/络合", "间隔至少4小时服用，监测TSH", LBL)
I("levothyroxine", "@acid_suppressant", "minor", "左甲状腺素吸收可能减少", "胃酸减少影响溶出", "长期合用时监测TSH", STK)
I("alendronate", "@polyvalent_cation", "moderate", "阿仑膦酸吸收几乎消失", "络合", "阿仑膦酸晨起空腹服，30 min后再服钙剂或其他药物", LBL)
I("itraconazole", "@acid_suppressant", "moderate", "伊曲康唑胶囊吸收下降，疗效降低", "胃内pH升高", "改用口服液或避免合用", LBL)
I("posaconazole", "@acid_suppressant", "moderate", "泊沙康唑口服混悬液吸收下降", "胃内pH升高", "选用肠溶片", LBL)
I("sofosbuvir_velpatasvir", "@acid_suppressant", "moderate", "维帕他韦吸收下降，疗效降低", "胃内pH升高",
  "避免PPI；必须时与食物同服丙通沙并于PPI前4 h服用（奥美拉唑≤20 mg）", LBL)

# ---- immunosuppressants, oncology
I("azathioprine", "allopurinol", "major", "硫唑嘌呤毒性（严重骨髓抑制）", "黄嘌呤氧化酶受抑致巯嘌呤蓄积", "避免；必须合用时硫唑嘌呤减至1/4并密切监测血象", LBL)
I("azathioprine", "febuxostat", "contraindicated", "严重骨髓抑制", "黄嘌呤氧化酶受抑", "禁止合用", LBL)
I("allopurinol", "@aminopenicillin", "minor", "皮疹发生率增加", "机制未明", "告知皮疹风险", STK)
I("methotrexate", "smz_tmp", "major", "严重骨髓抑制（叶酸拮抗相加、肾清除减少）", "叶酸拮抗相加，肾小管分泌竞争", "避免合用", LBL)
I("methotrexate", "@ppi", "moderate", "大剂量甲氨蝶呤清除延迟", "肾小管分泌受抑", "大剂量方案前后暂停PPI，改用H2RA", LBL)
I("methotrexate", "@penicillin", "moderate", "甲氨蝶呤清除减少，毒性增加", "肾小管分泌竞争", "监测血常规和甲氨蝶呤浓度", LBL)
I("methotrexate", "leflunomide", "moderate", "肝毒性和骨髓抑制增加", "毒性相加", "监测肝功能和血常规", LBL)
for _d in ("ganciclovir", "valganciclovir"):
    I(_d, "mycophenolate_mofetil", "moderate", "骨髓抑制相加", "毒性相加", "监测血常规", LBL)
for _d in ("capecitabine", "fluorouracil"):
    I(_d, "phenytoin", "moderate", "苯妥英浓度升高致中毒", "CYP2C9抑制", "监测苯妥英浓度", LBL)
I("valproate", "@carbapenem", "major", "丙戊酸浓度在24 h内骤降60–100%，癫痫发作", "丙戊酸葡糖醛酸水解受抑",
  "避免合用，改用其他抗菌药；无替代时加用其他抗癫痫药", LBL)
I("valproate", "lamotrigine", "major", "拉莫三嗪浓度约翻倍，严重皮疹风险增加", "UGT抑制", "拉莫三嗪起始剂量减半并缓慢加量", LBL)
I("valproate", "topiramate", "moderate", "高氨血症（伴或不伴脑病）", "机制未明", "出现嗜睡、呕吐时查血氨", LBL)
I("lamotrigine", "@combined_oral_contraceptive", "moderate", "拉莫三嗪浓度下降约50%，停药周浓度回升", "葡糖醛酸化诱导", "调整拉莫三嗪剂量", LBL)
I("ceftriaxone", "@calcium_iv", "major", "头孢曲松钙盐沉淀（新生儿肺、肾沉积致死）", "理化沉淀",
  "同一输液管路不得同时或混合输注；≤28天新生儿即使不同管路也禁止合用", LBL)
I("@disulfiram_like", "hydrocortisone", "moderate", "双硫仑样反应（面红、心悸、低血压）", "醇型氢化可的松注射液含乙醇，乙醛脱氢酶受抑",
  "选用氢化可的松琥珀酸钠", LBL)
for _d in ("nimodipine", "paclitaxel", "docetaxel"):
    I("@disulfiram_like", _d, "moderate", "双硫仑样反应", "该注射剂含乙醇辅料，乙醛脱氢酶受抑", "避免同日使用或选不含乙醇制剂", LBL)
I("@contains_paracetamol", "@contains_paracetamol", "major", "对乙酰氨基酚重复给药致过量、肝损伤", "同一成分重复",
  "核对所有处方及复方感冒药，成人每日总量≤4 g（高危≤2 g）", LBL)
I("digoxin", "clarithromycin", "major", "地高辛中毒", "P-gp抑制", "避免或监测地高辛浓度", LBL)
I("digoxin", "itraconazole", "major", "地高辛浓度升高", "P-gp抑制", "监测浓度并减量", LBL)
I("@cardiac_glycoside", "@pgp_inhibitor", "moderate", "地高辛浓度升高", "P-gp抑制", "监测地高辛浓度", LBL)
I("digoxin", "propafenone", "moderate", "地高辛浓度升高", "清除减少", "监测浓度", LBL)
I("@cardiac_glycoside", "@calcium_iv", "moderate", "快速静注钙剂诱发心律失常", "细胞内钙超载", "使用强心苷时静脉补钙需缓慢并监测心电", LBL)
I("@cardiac_glycoside", "@polyene", "moderate", "低钾诱发洋地黄中毒", "两性霉素B致低钾", "监测血钾", LBL)
I("@neuromuscular_blocker", "magnesium_sulfate", "moderate", "神经肌肉阻滞增强和延长", "乙酰胆碱释放减少", "减少肌松药用量并监测", LBL)
I("sugammadex", "@combined_oral_contraceptive", "moderate", "激素避孕效果下降", "舒更葡糖结合孕激素", "按漏服一次处理，7天内加用屏障避孕", LBL)
I("propafenone", "@cyp2d6_strong_inhibitor", "moderate", "普罗帕酮浓度升高，β阻滞和致心律失常", "CYP2D6抑制", "监测心电图", LBL)
I("@corticosteroid_systemic", "@fluoroquinolone", "moderate", "肌腱炎和肌腱断裂风险增加（老年人尤甚）", "机制未明", "避免合用；出现肌腱疼痛立即停药", LBL)
I("isoniazid", "phenytoin", "moderate", "苯妥英中毒", "CYP2C9/2C19抑制", "监测苯妥英浓度", LBL)
I("omeprazole", "diazepam", "minor", "地西泮清除减慢", "CYP2C19抑制", "一般无需处理", STK)


def _ref(x: str) -> str:
    return f"class:{x[1:]}" if x.startswith("@") else f"drug:{x}"


def _slug(x: str) -> str:
    return f"c.{x[1:]}" if x.startswith("@") else x


def _label(x: str, names: dict[str, str], rid: str) -> str:
    if x.startswith("@"):
        tag = x[1:]
        if tag not in CLASS_LABELS:
            raise ValueError(f"{rid}: add a Chinese label for class '{tag}'")
        return f"{CLASS_LABELS[tag]}（类）"
    return names.get(f"drug:{x}", x)


def build_rules(drugs: list[Any]) -> list[dict[str, Any]]:
    """The rules as pack dictionaries; names use the drug names and class labels."""
    names = {d.id: d.name for d in drugs}
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for a, b, sev, effect, mech, mgmt, src in _RULES:
        rid = f"ddi:{_slug(a)}+{_slug(b)}"
        if rid in seen:
            raise ValueError(f"duplicate interaction rule {rid}")
        seen.add(rid)

        out.append({"id": rid, "name": f"{_label(a, names, rid)} × {_label(b, names, rid)}", "drugs": [_ref(a), _ref(b)], "severity": sev,
                    "effect": effect, "mechanism": mech, "management": mgmt, "source": src})
    return out
