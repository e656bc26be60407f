"""Cardiovascular drugs: RAAS, CCB, β-blockers, diuretics, nitrates, antiarrhythmics, lipids."""

from __future__ import annotations

from .dsl import BEERS, PG, B, C, D, H, L, P, R, X, drug, fam

PREG_RAAS = PG("D", "妊娠中晚期可致胎儿肾损害、羊水过少甚至死亡；确认妊娠应停用，妊娠期禁用")
ACEI = fam(
    tags="cardiovascular,antihypertensive,raas_inhibitor,acei,hyperkalemia_risk", dup="acei",
    routes="po", forms="片剂", preg=PREG_RAAS, lact=L("caution", "依那普利/卡托普利乳汁中量少，其余资料有限"),
    renal=[R("eGFR", 30, "reduce_dose", "eGFR<30 从小剂量起始并监测血钾、肌酐")],
    contra=[C("T78.3", "既往ACEI相关血管性水肿或遗传/特发性血管性水肿"), C("Z33", "妊娠"),
            C("I70.1", "双侧肾动脉狭窄或孤立肾肾动脉狭窄", "avoid"),
            C("E87.5", "高钾血症（未纠正）", "avoid")],
    allergy="acei", cross=[X("arb", "low", "ACEI致血管性水肿者换用ARB仍有少数复发，需谨慎并告知患者")],
    notes="干咳为类效应；起始或加量后1–2周复查血钾和肌酐（肌酐升高>30%需评估）")
ARB = fam(
    tags="cardiovascular,antihypertensive,raas_inhibitor,arb,hyperkalemia_risk", dup="arb", routes="po",
    forms="片剂,胶囊", preg=PREG_RAAS, lact=L("caution", "人乳资料有限，哺乳期宜选资料较多的药物"),
    renal=[R("eGFR", 30, "monitor", "eGFR<30 慎用，监测血钾、肌酐")],
    contra=[C("Z33", "妊娠"), C("I70.1", "双侧肾动脉狭窄", "avoid"), C("E87.5", "高钾血症（未纠正）", "avoid")],
    allergy="arb")

drug("captopril", "卡托普利", "captopril", "C09AA01", "血管紧张素转换酶抑制剂（ACEI）", ACEI,
     syn="开博通", doses=[D("po", "12.5–50 mg bid–tid，高血压急症可12.5–25 mg 舌下/口服", note="短效，需分次")],
     routes="po,sl")
drug("enalapril", "依那普利", "enalapril", "C09AA02", "ACEI", ACEI, salts="马来酸依那普利",
     brands="悦宁定", doses=[D("po", "5–20 mg qd–bid", max_daily=40, unit="mg")])
drug("benazepril", "贝那普利", "benazepril", "C09AA07", "ACEI", ACEI, salts="盐酸贝那普利",
     brands="洛汀新", doses=[D("po", "10–20 mg qd", max_daily=40, unit="mg")])
drug("perindopril", "培哚普利", "perindopril", "C09AA04", "ACEI", ACEI,
     salts="培哚普利叔丁胺,培哚普利精氨酸", brands="雅施达",
     doses=[D("po", "叔丁胺盐 4–8 mg qd（精氨酸盐 5–10 mg qd）", max_daily=8, unit="mg",
              note="上限按叔丁胺盐计；精氨酸盐上限10 mg")])
drug("fosinopril", "福辛普利", "fosinopril", "C09AA09", "ACEI", ACEI, salts="福辛普利钠", brands="蒙诺",
     doses=[D("po", "10–40 mg qd", max_daily=40, unit="mg")],
     renal=[R("eGFR", 30, "monitor", "肝肾双通道排泄，肾功能不全通常无需大幅减量，仍需监测血钾")])
drug("ramipril", "雷米普利", "ramipril", "C09AA05", "ACEI", ACEI, brands="瑞泰",
     doses=[D("po", "2.5–10 mg qd", note="上限以说明书为准")], forms="片剂,胶囊")
drug("lisinopril", "赖诺普利", "lisinopril", "C09AA03", "ACEI", ACEI, doses=[D("po", "10–40 mg qd")])
drug("imidapril", "咪达普利", "imidapril", "C09AA16", "ACEI", ACEI, salts="盐酸咪达普利", brands="达爽",
     doses=[D("po", "5–10 mg qd", max_daily=10, unit="mg")])

drug("losartan", "氯沙坦", "losartan", "C09CA01", "血管紧张素II受体拮抗剂（ARB）", ARB, salts="氯沙坦钾",
     brands="科素亚", doses=[D("po", "50–100 mg qd", max_daily=100, unit="mg")],
     notes="有轻度促尿酸排泄作用")
drug("valsartan", "缬沙坦", "valsartan", "C09CA03", "ARB", ARB, brands="代文",
     doses=[D("po", "80–160 mg qd", max_daily=320, unit="mg")])
drug("irbesartan", "厄贝沙坦", "irbesartan", "C09CA04", "ARB", ARB, brands="安博维",
     doses=[D("po", "150–300 mg qd", max_daily=300, unit="mg")])
drug("telmisartan", "替米沙坦", "telmisartan", "C09CA07", "ARB", ARB, brands="美卡素",
     doses=[D("po", "40–80 mg qd", max_daily=80, unit="mg")],
     hepatic=[H("severe", "contraindicated", "胆道梗阻或严重肝功能不全禁用（主要经胆汁排泄）")])
drug("candesartan", "坎地沙坦", "candesartan", "C09CA06", "ARB", ARB, salts="坎地沙坦酯", brands="必洛斯",
     doses=[D("po", "4–8 mg qd", max_daily=12, unit="mg", note="国内说明书上限12 mg")])
drug("olmesartan", "奥美沙坦", "olmesartan", "C09CA08", "ARB", ARB, salts="奥美沙坦酯", brands="傲坦",
     doses=[D("po", "20–40 mg qd", max_daily=40, unit="mg")], notes="罕见口炎性腹泻样肠病")
drug("allisartan", "阿利沙坦酯", "allisartan isoproxil", None, "ARB", ARB, brands="信立坦",
     doses=[D("po", "240 mg qd", max_daily=240, unit="mg")])
drug("sacubitril_valsartan", "沙库巴曲缬沙坦", "sacubitril/valsartan", "C09DX04",
     "血管紧张素受体脑啡肽酶抑制剂（ARNI）", ARB, syn="ARNI", salts="沙库巴曲缬沙坦钠", brands="诺欣妥",
     tags="cardiovascular,antihypertensive,raas_inhibitor,arni,arb,hyperkalemia_risk", dup="arb",
     doses=[D("po", "心衰 50–200 mg bid，起始剂量按既往RAAS抑制剂与血压调整", max_daily=400, unit="mg")],
     contra_extra=[C("T78.3", "血管性水肿病史"),
                   C("", "正在使用ACEI或停用ACEI不足36小时")])

DHP = fam(tags="cardiovascular,antihypertensive,ccb,dhp_ccb,cyp3a4_substrate", dup="dhp_ccb", routes="po",
          forms="片剂", preg=PG("C", "动物实验有不良影响；妊娠期高血压必要时可用硝苯地平"),
          lact=L("caution"), notes="常见踝部水肿、面部潮红、头痛；葡萄柚汁可升高血药浓度")
drug("amlodipine", "氨氯地平", "amlodipine", "C08CA01", "二氢吡啶类钙通道阻滞剂", DHP,
     salts="苯磺酸氨氯地平,马来酸氨氯地平,甲磺酸氨氯地平", brands="络活喜",
     doses=[D("po", "5–10 mg qd", max_daily=10, unit="mg")],
     hepatic=[H("any", "reduce_dose", "肝功能不全从2.5 mg起始")])
drug("levamlodipine", "左氨氯地平", "levamlodipine", None, "二氢吡啶类钙通道阻滞剂", DHP,
     syn="左旋氨氯地平", salts="苯磺酸左氨氯地平,马来酸左氨氯地平", brands="施慧达,玄宁",
     doses=[D("po", "2.5–5 mg qd", max_daily=5, unit="mg")])
drug("nifedipine", "硝苯地平", "nifedipine", "C08CA05", "二氢吡啶类钙通道阻滞剂", DHP,
     brands="拜新同,心痛定", syn="硝苯吡啶", forms="片剂,控释片,缓释片,胶囊",
     doses=[D("po", "控释片 30–60 mg qd；普通片 10 mg tid（不推荐用于慢性降压）")],
     contra=[C("R57.0", "心源性休克"), C("", "与利福平合用（说明书禁忌）")],
     beers=B("avoid", "速释硝苯地平可致低血压和心肌缺血，老年人避免"))
drug("felodipine", "非洛地平", "felodipine", "C08CA02", "二氢吡啶类钙通道阻滞剂", DHP, brands="波依定",
     forms="缓释片", doses=[D("po", "5–10 mg qd", max_daily=10, unit="mg")])
drug("nitrendipine", "尼群地平", "nitrendipine", "C08CA08", "二氢吡啶类钙通道阻滞剂", DHP,
     doses=[D("po", "10 mg qd 起，可至 20 mg bid", max_daily=40, unit="mg")])
drug("nicardipine", "尼卡地平", "nicardipine", "C08CA04", "二氢吡啶类钙通道阻滞剂", DHP,
     salts="盐酸尼卡地平", routes="iv,po", forms="注射液,片剂",
     doses=[D("iv", "持续静脉泵入，按血压滴定（说明书按 μg/kg/min 或 mg/h 给出）", note="高血压急症/围术期")])
drug("nimodipine", "尼莫地平", "nimodipine", "C08CA06", "二氢吡啶类钙通道阻滞剂（脑血管选择性）", DHP,
     brands="尼膜同", routes="po,iv", forms="片剂,注射液", dup=None,
     doses=[D("po", "蛛网膜下腔出血 60 mg q4h", max_daily=360, unit="mg", indication="动脉瘤性SAH"),
            D("iv", "0.5–2 mg/h 泵入，避光，按血压调整")],
     notes="注射液含乙醇；避免与其他二氢吡啶类合用于降压")
drug("benidipine", "贝尼地平", "benidipine", "C08CA15", "二氢吡啶类钙通道阻滞剂", DHP, salts="盐酸贝尼地平",
     brands="可力洛", doses=[D("po", "2–4 mg qd", max_daily=8, unit="mg")])
drug("lacidipine", "拉西地平", "lacidipine", "C08CA09", "二氢吡啶类钙通道阻滞剂", DHP,
     doses=[D("po", "2–4 mg qd", max_daily=6, unit="mg")])
drug("cilnidipine", "西尼地平", "cilnidipine", "C08CA14", "二氢吡啶类钙通道阻滞剂", DHP,
     doses=[D("po", "5–10 mg qd")])
drug("lercanidipine", "乐卡地平", "lercanidipine", "C08CA13", "二氢吡啶类钙通道阻滞剂", DHP,
     salts="盐酸乐卡地平", doses=[D("po", "10–20 mg qd", max_daily=20, unit="mg")])

NDHP = fam(routes="po,iv", forms="片剂,缓释片,注射液", preg=PG("C", "妊娠期资料有限"), lact=L("caution"),
           contra=[C("I44.1,I44.2", "二度或三度房室传导阻滞（无起搏器）"),
                   C("I49.5", "病态窦房结综合征（无起搏器）"),
                   C("I50", "射血分数降低的心力衰竭"), C("I45.6", "预激综合征合并房颤/房扑"),
                   C("R57.0", "心源性休克或严重低血压")])
drug("verapamil", "维拉帕米", "verapamil", "C08DA01", "非二氢吡啶类钙通道阻滞剂", NDHP, salts="盐酸维拉帕米",
     brands="异搏定,缓释异搏定",
     tags="cardiovascular,antihypertensive,antiarrhythmic,ccb,ndhp_ccb,rate_control,"
          "cyp3a4_moderate_inhibitor,pgp_inhibitor,cyp3a4_substrate",
     doses=[D("po", "普通片 40–120 mg tid；缓释片 120–240 mg qd–bid", max_daily=480, unit="mg"),
            D("iv", "5–10 mg 缓慢静注（≥2 min），必要时30 min后重复")],
     hepatic=[H("any", "reduce_dose", "肝硬化时清除下降，减量")])
drug("diltiazem", "地尔硫䓬", "diltiazem", "C08DB01", "非二氢吡啶类钙通道阻滞剂", NDHP, salts="盐酸地尔硫䓬",
     syn="地尔硫卓", brands="合贝爽,恬尔心",
     tags="cardiovascular,antihypertensive,antiarrhythmic,ccb,ndhp_ccb,rate_control,"
          "cyp3a4_moderate_inhibitor,cyp3a4_substrate",
     doses=[D("po", "普通片 30–60 mg tid–qid；缓释 90–180 mg bid", max_daily=360, unit="mg"),
            D("iv", "0.25 mg/kg 缓慢静注，继以 5–15 mg/h 泵入")])

BB = fam(tags="cardiovascular,antihypertensive,beta_blocker", dup="beta_blocker", routes="po",
         forms="片剂", preg=PG("C", "可致胎儿生长受限、新生儿心动过缓和低血糖"), lact=L("caution"),
         contra=[C("I44.1,I44.2", "二度或三度房室传导阻滞（无起搏器）"), C("I49.5", "病态窦房结综合征"),
                 C("R00.1", "严重心动过缓（如<50次/分）"), C("R57.0", "心源性休克"),
                 C("I50", "急性失代偿性心力衰竭（需正性肌力支持时）")],
         notes="不可骤停（反跳性心动过速/心绞痛）；可掩盖低血糖症状")
BB_NS = [C("J45", "支气管哮喘"), C("J44", "慢性阻塞性肺疾病（明显支气管痉挛倾向）", "caution")]
drug("metoprolol", "美托洛尔", "metoprolol", "C07AB02", "β1受体选择性阻滞剂", BB,
     salts="酒石酸美托洛尔,琥珀酸美托洛尔", brands="倍他乐克,倍他乐克缓释片", routes="po,iv",
     forms="片剂,缓释片,注射液", tags_extra="cyp2d6_substrate",
     doses=[D("po", "酒石酸盐 25–100 mg bid；琥珀酸缓释片 23.75–190 mg qd"),
            D("iv", "急性冠脉综合征 2.5–5 mg 缓慢静注，可间隔5 min重复，总量一般≤15 mg")],
     high_alert="静脉注射剂型（肾上腺素受体拮抗药，静脉注射）")
drug("bisoprolol", "比索洛尔", "bisoprolol", "C07AB07", "β1受体选择性阻滞剂", BB, salts="富马酸比索洛尔",
     brands="康忻,博苏", doses=[D("po", "2.5–10 mg qd", max_daily=20, unit="mg", note="心衰目标剂量10 mg qd")])
drug("carvedilol", "卡维地洛", "carvedilol", "C07AG02", "α/β受体阻滞剂", BB, brands="络德,金络",
     tags_extra="beta_blocker_nonselective,cyp2d6_substrate",
     doses=[D("po", "心衰 3.125 mg bid 起，逐步加至 25 mg bid；高血压 12.5–25 mg bid", max_daily=50,
              unit="mg", note="体重>85 kg心衰患者可至50 mg bid")],
     contra_extra=[*BB_NS, C("K72", "严重肝功能不全")])
drug("propranolol", "普萘洛尔", "propranolol", "C07AA05", "非选择性β受体阻滞剂", BB, syn="心得安",
     salts="盐酸普萘洛尔", tags_extra="beta_blocker_nonselective,cyp2d6_substrate,cyp1a2_substrate",
     doses=[D("po", "10–40 mg tid–qid，按心率血压及适应证调整")], contra_extra=BB_NS)
drug("atenolol", "阿替洛尔", "atenolol", "C07AB03", "β1受体选择性阻滞剂", BB, syn="氨酰心安",
     doses=[D("po", "25–100 mg qd", max_daily=100, unit="mg")],
     preg=PG("D", "妊娠期使用与胎儿生长受限相关"),
     renal=[R("CrCl", 35, "reduce_dose", "CrCl 15–35 最大 50 mg/d；<15 最大 25 mg/d")])
drug("esmolol", "艾司洛尔", "esmolol", "C07AB09", "超短效β1受体阻滞剂", BB, salts="盐酸艾司洛尔",
     routes="iv", forms="注射液",
     doses=[D("iv", "负荷 0.5 mg/kg（1 min），维持 0.05–0.3 mg/kg/min 泵入")],
     high_alert="静脉注射（肾上腺素受体拮抗药，静脉注射）")
drug("labetalol", "拉贝洛尔", "labetalol", "C07AG01", "α/β受体阻滞剂", BB, salts="盐酸拉贝洛尔",
     routes="po,iv", forms="片剂,注射液", tags_extra="beta_blocker_nonselective",
     doses=[D("po", "100–200 mg bid–tid"), D("iv", "20–50 mg 缓慢静注或 1–2 mg/min 泵入，按血压调整")],
     preg=PG("C", "妊娠期高血压常用药物之一"), contra_extra=BB_NS,
     high_alert="静脉注射剂型（肾上腺素受体拮抗药，静脉注射）")
drug("sotalol", "索他洛尔", "sotalol", "C07AA07", "III类抗心律失常药（兼非选择性β阻滞）", BB,
     salts="盐酸索他洛尔", tags="cardiovascular,antiarrhythmic,beta_blocker,beta_blocker_nonselective,qt_known",
     doses=[D("po", "80 mg bid 起，可至 160 mg bid，住院监测QTc下起始", max_daily=320, unit="mg",
              note="致命性室性心律失常可更高，需专科")],
     renal=[R("CrCl", 60, "extend_interval", "CrCl 30–59 改 q24h；10–29 q36–48h；房颤适应证 CrCl<40 禁用")],
     contra_extra=[*BB_NS, C("I45.8", "先天或获得性长QT综合征"), C("E87.6", "低钾血症（未纠正）", "avoid")])
drug("arotinolol", "阿罗洛尔", "arotinolol", None, "α/β受体阻滞剂", BB, salts="盐酸阿罗洛尔",
     tags_extra="beta_blocker_nonselective", doses=[D("po", "10 mg bid", max_daily=30, unit="mg")],
     contra_extra=BB_NS)

THZ = fam(tags="cardiovascular,antihypertensive,diuretic,thiazide,potassium_depleting", dup="thiazide",
          routes="po", forms="片剂", allergy="sulfonamide_nonantibiotic",
          cross=[X("sulfonamide_antibiotic", "low", "与磺胺类抗菌药交叉过敏证据有限，严重磺胺过敏史者慎用")],
          preg=PG("B", "妊娠期不用于水肿或子痫前期的治疗"), lact=L("caution", "大剂量可抑制泌乳"),
          beers=B("caution", "可致或加重SIADH/低钠血症，起始或调整剂量时监测血钠"),
          contra=[C("R34", "无尿"), C("M10", "痛风（可升高尿酸）", "caution"),
                  C("E87.1", "低钠血症", "caution")])
drug("hydrochlorothiazide", "氢氯噻嗪", "hydrochlorothiazide", "C03AA03", "噻嗪类利尿剂", THZ,
     syn="双氢克尿噻,HCTZ", doses=[D("po", "降压 12.5–25 mg qd", max_daily=50, unit="mg",
                                   note="水肿可更高剂量，需专科")],
     renal=[R("eGFR", 30, "caution", "eGFR<30 利尿降压作用明显减弱，宜改袢利尿剂")])
drug("indapamide", "吲达帕胺", "indapamide", "C03BA11", "噻嗪样利尿剂", THZ, brands="纳催离",
     forms="片剂,缓释片", tags_extra="qt_possible",
     doses=[D("po", "普通片 1.25–2.5 mg qd；缓释片 1.5 mg qd", max_daily=2.5, unit="mg")],
     renal=[R("CrCl", 30, "avoid", "严重肾功能不全避免")])

LOOP = fam(tags="cardiovascular,diuretic,loop_diuretic,potassium_depleting,ototoxic", dup="loop_diuretic",
           routes="po,iv", forms="片剂,注射液", allergy="sulfonamide_nonantibiotic",
           cross=[X("sulfonamide_antibiotic", "low", "交叉过敏少见；严重磺胺过敏史者首次使用需观察")],
           preg=PG("C", "可减少胎盘灌注，妊娠期仅在明确需要时使用"), lact=L("caution", "可抑制泌乳"),
           contra=[C("R34", "无尿（对利尿剂无反应）"), C("E86", "严重血容量不足/脱水", "avoid"),
                   C("K72", "肝性脑病前期/昏迷", "avoid")],
           beers=B("caution", "可致或加重SIADH/低钠血症，监测血钠与血钾"))
drug("furosemide", "呋塞米", "furosemide", "C03CA01", "袢利尿剂", LOOP, syn="速尿,呋喃苯胺酸",
     doses=[D("po", "20–80 mg/d，分1–2次"), D("iv", "20–40 mg 静注，按反应调整；静注速度≤4 mg/min（大剂量时）")])
drug("torasemide", "托拉塞米", "torasemide", "C03CA04", "袢利尿剂", LOOP, syn="托拉噻米",
     doses=[D("po", "5–20 mg qd"), D("iv", "10–20 mg qd，按反应调整")])
drug("bumetanide", "布美他尼", "bumetanide", "C03CA02", "袢利尿剂", LOOP, doses=[D("po", "0.5–2 mg qd")])

KSP = fam(tags="cardiovascular,diuretic,potassium_sparing,hyperkalemia_risk", routes="po", forms="片剂",
          contra=[C("E87.5", "高钾血症"), C("R34", "无尿"), C("N18.5", "严重肾功能衰竭", "avoid")],
          lact=L("caution"))
drug("spironolactone", "螺内酯", "spironolactone", "C03DA01", "醛固酮受体拮抗剂", KSP, syn="安体舒通",
     tags_extra="mra", dup="mra",
     doses=[D("po", "心衰 10–20 mg qd，可至 40 mg；原醛/水肿 20–100 mg/d", note="心衰用药血钾需<5.0 mmol/L")],
     renal=[R("eGFR", 30, "avoid", "eGFR<30 或血钾>5.0 mmol/L 时心衰中避免使用")],
     preg=PG("C", "抗雄激素作用，可能影响男性胎儿性分化，妊娠期避免"),
     contra_extra=[C("E27.1", "Addison病")], notes="男性乳房发育")
drug("eplerenone", "依普利酮", "eplerenone", "C03DA04", "醛固酮受体拮抗剂", KSP, tags_extra="mra,cyp3a4_substrate",
     dup="mra", doses=[D("po", "25 mg qd 起，4周后可至 50 mg qd", max_daily=50, unit="mg")],
     renal=[R("CrCl", 30, "contraindicated", "CrCl<30 禁用")], preg=PG("B", "资料有限"),
     contra_extra=[C("", "与强效CYP3A4抑制剂合用")])
drug("amiloride", "阿米洛利", "amiloride", "C03DB01", "保钾利尿剂", KSP, salts="盐酸阿米洛利", preg=PG("B", "资料有限"),
     doses=[D("po", "5–10 mg/d（常与氢氯噻嗪组成复方）")],
     renal=[R("eGFR", 30, "avoid", "肾功能不全易致高钾")])
drug("triamterene", "氨苯蝶啶", "triamterene", "C03DB02", "保钾利尿剂", KSP,
     doses=[D("po", "25–100 mg/d（常为复方）")], renal=[R("eGFR", 30, "avoid", "肾功能不全易致高钾")],
     notes="可致肾结石；叶酸拮抗作用")
drug("tolvaptan", "托伐普坦", "tolvaptan", "C03XA01", "血管加压素V2受体拮抗剂", None,
     tags="cardiovascular,vaptan,cyp3a4_substrate", routes="po", forms="片剂", brands="苏麦卡",
     doses=[D("po", "15 mg qd 起（部分患者7.5 mg），按血钠调整，可至 60 mg qd", max_daily=60, unit="mg",
              note="须住院起始；连续使用一般不超过30天")],
     contra=[C("R34", "无尿"), C("E86", "低血容量性低钠血症"), C("", "需紧急快速升高血钠者"),
             C("", "与强效CYP3A4抑制剂合用")],
     hepatic=[H("any", "avoid", "可致严重肝损伤，肝病患者避免；用药期间监测肝功能")],
     notes="血钠纠正速度24 h内不超过8–10 mmol/L，以防渗透性脱髓鞘")
drug("mannitol", "甘露醇", "mannitol", "B05BC01", "渗透性利尿剂/脱水剂", None, tags="osmotic_diuretic",
     routes="iv", forms="注射液（20%）",
     doses=[D("iv", "0.25–1 g/kg，20% 溶液 15–30 min 内滴完，按颅内压及肾功能调整")],
     contra=[C("R34", "无尿（试验剂量无效）"), C("E86", "严重脱水"), C("J81", "急性肺水肿或严重心衰"),
             C("I61,I62", "活动性颅内出血（开颅手术中除外）", "avoid")],
     renal=[R("eGFR", 30, "caution", "大剂量可致急性肾损伤，监测尿量、肾功能和渗透压间隙")])
drug("acetazolamide", "乙酰唑胺", "acetazolamide", "S01EC01", "碳酸酐酶抑制剂", None,
     tags="carbonic_anhydrase_inhibitor", routes="po", forms="片剂",
     doses=[D("po", "青光眼 250 mg qd–qid；高原病预防 125–250 mg bid")],
     allergy="sulfonamide_nonantibiotic",
     cross=[X("sulfonamide_antibiotic", "low", "磺胺结构，严重磺胺过敏者慎用")],
     contra=[C("E87.1,E87.6", "低钠或低钾血症"), C("E87.2", "高氯性酸中毒"), C("K72", "肝硬化/肝性脑病风险")],
     renal=[R("CrCl", 10, "avoid", "严重肾功能不全避免")])

ALPHA = fam(tags="cardiovascular,antihypertensive,alpha1_blocker", dup="alpha1_blocker", routes="po",
            forms="片剂", preg=PG("C", "资料有限"), lact=L("caution"),
            beers=B("avoid", "作为降压药老年人避免（体位性低血压风险高）"),
            notes="首剂低血压：睡前小剂量起始")
drug("doxazosin", "多沙唑嗪", "doxazosin", "C02CA04", "α1受体阻滞剂", ALPHA, salts="甲磺酸多沙唑嗪",
     brands="可多华", forms="片剂,控释片", doses=[D("po", "普通片 1–8 mg qd；控释片 4–8 mg qd", max_daily=16,
                                              unit="mg")])
drug("prazosin", "哌唑嗪", "prazosin", "C02CA01", "α1受体阻滞剂", ALPHA, salts="盐酸哌唑嗪",
     doses=[D("po", "首剂 0.5–1 mg 睡前，维持 2–20 mg/d 分次")])
drug("terazosin", "特拉唑嗪", "terazosin", "G04CA03", "α1受体阻滞剂", ALPHA, salts="盐酸特拉唑嗪",
     brands="高特灵", doses=[D("po", "1 mg 睡前起，1–10 mg qd", max_daily=20, unit="mg")])
drug("tamsulosin", "坦索罗辛", "tamsulosin", "G04CA02", "α1A受体阻滞剂（前列腺选择性）", None,
     tags="alpha1_blocker,cyp3a4_substrate", dup="alpha1_blocker", salts="盐酸坦索罗辛", brands="哈乐",
     routes="po", forms="缓释胶囊", doses=[D("po", "0.2 mg qd，必要时 0.4 mg qd", max_daily=0.4, unit="mg")],
     notes="白内障手术前告知眼科（术中虹膜松弛综合征）")
drug("urapidil", "乌拉地尔", "urapidil", "C02CA06", "α1受体阻滞剂（兼中枢5-HT1A）", None,
     tags="cardiovascular,antihypertensive,alpha1_blocker", salts="盐酸乌拉地尔", brands="亚宁定",
     routes="iv,po", forms="注射液,缓释胶囊",
     doses=[D("iv", "10–50 mg 缓慢静注，继以 2 mg/min 起泵入，维持约 9 mg/h"), D("po", "缓释 30–60 mg bid")],
     contra=[C("Q25.1", "主动脉峡部狭窄或动静脉分流（透析分流除外）")])
drug("clonidine", "可乐定", "clonidine", "C02AC01", "中枢α2受体激动剂", None,
     tags="cardiovascular,antihypertensive,central_alpha2_agonist,cns_depressant", salts="盐酸可乐定",
     routes="po,td", forms="片剂,贴剂", doses=[D("po", "0.075–0.15 mg bid–tid")],
     beers=B("avoid", "不作为老年高血压一线用药（中枢不良反应、心动过缓、体位性低血压）"),
     notes="骤停可致反跳性高血压")
drug("methyldopa", "甲基多巴", "methyldopa", "C02AB01", "中枢α2受体激动剂", None,
     tags="cardiovascular,antihypertensive,central_alpha2_agonist", routes="po", forms="片剂",
     doses=[D("po", "250 mg bid–tid，可逐渐加量")], preg=PG("B", "妊娠期高血压可用的经典药物"),
     beers=B("avoid", "老年人避免（中枢不良反应）"),
     contra=[C("K70,K71,K72,K73,K74", "活动性肝病"), C("D59.1", "既往甲基多巴相关溶血性贫血")])
drug("hydralazine", "肼屈嗪", "hydralazine", "C02DB02", "直接血管扩张剂", None,
     tags="cardiovascular,antihypertensive,vasodilator", salts="盐酸肼屈嗪", routes="po,iv", forms="片剂,注射液",
     doses=[D("po", "10–50 mg qid")], notes="长期大剂量可致药物性狼疮；反射性心动过速")
drug("nitroprusside", "硝普钠", "sodium nitroprusside", "C02DD01", "直接血管扩张剂", None,
     tags="cardiovascular,antihypertensive,vasodilator,nitrate_like", routes="iv", forms="注射用粉针",
     doses=[D("iv", "0.25–0.5 μg/kg/min 起，按血压滴定，最大 10 μg/kg/min（不超过10 min）",
              note="避光输注，现配现用")],
     contra=[C("Q25.1", "代偿性高血压（主动脉缩窄、动静脉分流）"), C("H47.2", "Leber视神经萎缩")],
     renal=[R("eGFR", 30, "caution", "肾功能不全时硫氰酸盐蓄积，长时间输注监测")],
     hepatic=[H("any", "caution", "肝功能不全时氰化物蓄积风险增加")],
     high_alert="硝普钠注射液（高警示药品品种）", notes="超过72 h或大剂量注意氰化物/硫氰酸盐中毒")

NITR = fam(tags="cardiovascular,antianginal,nitrate", dup="nitrate", preg=PG("C", "资料有限"),
           lact=L("caution"),
           contra=[C("", "正在使用PDE5抑制剂（西地那非、他达拉非等）"), C("I95", "严重低血压"),
                   C("I42.1", "梗阻性肥厚型心肌病"), C("G93.2", "颅内压增高", "caution"),
                   C("D64.9", "严重贫血", "caution")],
           notes="长期连续使用需留有无硝酸酯间期以防耐药")
drug("nitroglycerin", "硝酸甘油", "nitroglycerin", "C01DA02", "硝酸酯类", NITR, syn="硝酸甘油酯",
     routes="sl,iv,td", forms="舌下片,注射液,喷雾剂,贴剂",
     doses=[D("sl", "0.5 mg 舌下，5 min 后可重复，15 min 内最多3次"),
            D("iv", "5–10 μg/min 起，每 3–5 min 调整，常用上限约 200 μg/min")])
drug("isosorbide_mononitrate", "单硝酸异山梨酯", "isosorbide mononitrate", "C01DA14", "硝酸酯类", NITR,
     brands="依姆多,欣康", routes="po,iv", forms="片剂,缓释片,注射液",
     doses=[D("po", "普通片 20 mg bid；缓释片 30–60 mg qd（晨服）")])
drug("isosorbide_dinitrate", "硝酸异山梨酯", "isosorbide dinitrate", "C01DA08", "硝酸酯类", NITR,
     syn="消心痛", routes="po,sl,iv", forms="片剂,注射液,喷雾剂", doses=[D("po", "5–20 mg tid–qid")])
drug("nicorandil", "尼可地尔", "nicorandil", "C01DX16", "钾通道开放剂（兼硝酸酯样作用）", NITR,
     tags="cardiovascular,antianginal,nitrate_like", dup=None, brands="喜格迈", routes="po,iv",
     forms="片剂,注射用粉针", doses=[D("po", "5 mg tid"), D("iv", "2 mg/h 起泵入，按病情调整")],
     notes="可致口腔、消化道溃疡")
drug("trimetazidine", "曲美他嗪", "trimetazidine", "C01EB15", "抗心绞痛药（代谢调节）", None,
     tags="cardiovascular,antianginal", salts="盐酸曲美他嗪", brands="万爽力", routes="po",
     forms="片剂,缓释片", doses=[D("po", "普通片 20 mg tid；缓释片 35 mg bid", max_daily=70, unit="mg",
                                   note="按缓释片计")],
     contra=[C("G20", "帕金森病或帕金森综合征"), C("G25.8", "不宁腿综合征、震颤等运动障碍")],
     renal=[R("CrCl", 30, "contraindicated", "CrCl<30 禁用；30–60 减量（缓释片 35 mg qd）")],
     beers=None, notes="可诱发或加重帕金森样症状，老年人尤需注意")
drug("ivabradine", "伊伐布雷定", "ivabradine", "C01EB17", "If电流抑制剂", None,
     tags="cardiovascular,heart_rate_lowering,cyp3a4_substrate", salts="盐酸伊伐布雷定", brands="可兰特",
     routes="po", forms="片剂", doses=[D("po", "2.5–5 mg bid 起，最大 7.5 mg bid", max_daily=15, unit="mg")],
     preg=PG(None, "动物实验有致畸性，妊娠期禁用，育龄女性需避孕"), lact=L("avoid"),
     contra=[C("I49.5", "病态窦房结综合征或窦房阻滞"), C("I44.2", "三度房室传导阻滞"),
             C("R00.1", "治疗前静息心率<70次/分（心衰）或<60次/分"), C("I50", "急性失代偿心衰"),
             C("", "与强效CYP3A4抑制剂或维拉帕米/地尔硫䓬合用")],
     hepatic=[H("severe", "contraindicated", "重度肝功能不全禁用")])
drug("ranolazine", "雷诺嗪", "ranolazine", "C01EB18", "抗心绞痛药（晚钠电流抑制）", None,
     tags="cardiovascular,antianginal,cyp3a4_substrate,qt_possible", routes="po", forms="缓释片",
     doses=[D("po", "500 mg bid，可加至 1000 mg bid", max_daily=2000, unit="mg")],
     contra=[C("K74", "肝硬化"), C("", "与强效CYP3A4抑制剂或诱导剂合用")],
     renal=[R("CrCl", 30, "contraindicated", "CrCl<30 禁用（欧盟说明书）")])

drug("amiodarone", "胺碘酮", "amiodarone", "C01BD01", "III类抗心律失常药", None,
     tags="cardiovascular,antiarrhythmic,class_iii_antiarrhythmic,qt_known,cyp3a4_weak_inhibitor,"
          "cyp2c9_inhibitor,pgp_inhibitor",
     salts="盐酸胺碘酮", brands="可达龙", routes="po,iv", forms="片剂,注射液",
     doses=[D("po", "负荷 200 mg tid 约1周，再 200 mg bid 约1周，维持 100–200 mg qd"),
            D("iv", "150 mg 10 min 静注，继以 1 mg/min×6 h，再 0.5 mg/min", max_daily=2200, unit="mg",
              note="24 h静脉总量一般不超过2.2 g；外周静脉浓度宜≤2 mg/mL")],
     preg=PG("D", "可致胎儿甲状腺功能异常、心动过缓"), lact=L("avoid", "含碘，乳汁中浓度高"),
     contra=[C("I49.5,R00.1", "窦性心动过缓、病态窦房结综合征（无起搏器）"),
             C("I44.1,I44.2", "二度或三度房室传导阻滞（无起搏器）"),
             C("E05,E03", "甲状腺功能异常", "avoid"), C("I45.8", "长QT综合征")],
     hepatic=[H("any", "monitor", "可致肝损伤，定期监测肝功能")],
     beers=B("avoid", "房颤一线节律控制避免使用，除非合并心衰或显著左室肥厚"),
     high_alert="静脉注射剂型（抗心律失常药，静脉注射）",
     notes="长期用药监测甲状腺、肝功能、肺（间质性肺炎）、眼和皮肤；半衰期很长，相互作用可持续数月")
drug("propafenone", "普罗帕酮", "propafenone", "C01BC03", "Ic类抗心律失常药", None,
     tags="cardiovascular,antiarrhythmic,class_ic_antiarrhythmic,cyp2d6_substrate", syn="心律平",
     salts="盐酸普罗帕酮", routes="po,iv", forms="片剂,注射液",
     doses=[D("po", "150 mg tid，可至 200 mg tid", max_daily=900, unit="mg"),
            D("iv", "1–1.5 mg/kg（常用70 mg）缓慢静注≥5 min")],
     contra=[C("I50", "未控制的心力衰竭"), C("R57.0", "心源性休克"), C("I44.1,I44.2", "房室传导阻滞（无起搏器）"),
             C("I49.8", "Brugada综合征"), C("I25.2", "陈旧性心肌梗死等结构性心脏病", "avoid"),
             C("J45", "支气管哮喘", "caution")])
drug("lidocaine", "利多卡因", "lidocaine", "C01BB01", "Ib类抗心律失常药/酰胺类局麻药", None,
     tags="cardiovascular,antiarrhythmic,local_anesthetic_amide", salts="盐酸利多卡因", syn="赛罗卡因",
     routes="iv,local,topical,epidural", forms="注射液,凝胶,贴剂",
     doses=[D("iv", "1–1.5 mg/kg 静注，继以 1–4 mg/min 泵入", indication="室性心律失常"),
            D("local", "局部浸润/神经阻滞，单次不加肾上腺素一般≤4.5 mg/kg（≤300 mg）", max_single=300,
              unit="mg")],
     contra=[C("I44.1,I44.2", "二度或三度房室传导阻滞（静脉抗心律失常用途）"), C("", "阿-斯综合征")],
     allergy="local_anesthetic_amide",
     cross=[X("local_anesthetic_amide", "low", "酰胺类局麻药之间真正过敏少见，交叉反应低")],
     hepatic=[H("moderate", "reduce_dose", "肝功能不全或心衰时清除下降，减量并监测中枢毒性")],
     high_alert="静脉注射剂型（抗心律失常药，静脉注射）；硬膜外使用时（硬膜外或鞘内注射药）")
drug("mexiletine", "美西律", "mexiletine", "C01BB02", "Ib类抗心律失常药", None,
     tags="cardiovascular,antiarrhythmic,cyp1a2_substrate,cyp2d6_substrate", salts="盐酸美西律", routes="po",
     forms="片剂,胶囊", doses=[D("po", "150–200 mg q8h 餐中服", max_daily=1200, unit="mg")],
     contra=[C("R57.0", "心源性休克"), C("I44.1,I44.2", "二度或三度房室传导阻滞（无起搏器）")])
drug("digoxin", "地高辛", "digoxin", "C01AA05", "强心苷", None,
     tags="cardiovascular,cardiac_glycoside,rate_control,pgp_substrate,narrow_therapeutic_index",
     routes="po,iv", forms="片剂,注射液,口服溶液",
     doses=[D("po", "维持 0.125–0.25 mg qd；老年或肾功能不全 0.0625–0.125 mg qd"),
            D("iv", "0.25–0.5 mg 缓慢静注，按需追加")],
     renal=[R("CrCl", 50, "reduce_dose", "肾功能下降时减量或延长间隔，监测血药浓度（心衰目标约0.5–0.9 ng/mL）")],
     contra=[C("I47.2,I49.0", "室性心动过速、心室颤动"), C("I45.6", "预激综合征合并房颤/房扑"),
             C("I42.1", "梗阻性肥厚型心肌病"), C("I44.1,I44.2", "二度或三度房室传导阻滞（无起搏器）")],
     beers=B("avoid", "不作为房颤或心衰一线用药；如使用避免>0.125 mg/d，肾功能下降者尤其"),
     high_alert="静脉注射剂型（强心药/正性肌力药，静脉注射）",
     notes="低钾、低镁、高钙增加中毒风险；中毒表现恶心、视觉异常、各类心律失常")
drug("deslanoside", "去乙酰毛花苷", "deslanoside", "C01AA07", "强心苷", None,
     tags="cardiovascular,cardiac_glycoside,rate_control,narrow_therapeutic_index", syn="西地兰",
     routes="iv", forms="注射液",
     doses=[D("iv", "0.4–0.6 mg 缓慢静注，2–4 h 后可再给 0.2–0.4 mg", max_daily=1.6, unit="mg",
              note="24 h总量一般1.0–1.6 mg；近期用过地高辛者减量")],
     contra=[C("I47.2,I49.0", "室性心动过速、心室颤动"), C("I45.6", "预激综合征合并房颤"),
             C("I42.1", "梗阻性肥厚型心肌病")],
     renal=[R("CrCl", 50, "reduce_dose", "肾功能不全减量")],
     high_alert="静脉注射（强心药/正性肌力药，静脉注射）")
drug("adenosine", "腺苷", "adenosine", "C01EB10", "抗心律失常药（终止室上速）", None,
     tags="cardiovascular,antiarrhythmic", routes="iv", forms="注射液",
     doses=[D("iv", "6 mg 快速静注并盐水冲管，无效 1–2 min 后 12 mg，可再给 12 mg", max_single=12, unit="mg",
              note="经中心静脉给药或合用双嘧达莫时首剂减半")],
     contra=[C("I44.1,I44.2", "二度或三度房室传导阻滞（无起搏器）"), C("I49.5", "病态窦房结综合征"),
             C("J45", "支气管哮喘/活动性支气管痉挛")],
     high_alert="静脉注射（抗心律失常药，静脉注射）")

VASO = fam(tags="cardiovascular,vasoactive,sympathomimetic", routes="iv", forms="注射液",
           high_alert="静脉注射（肾上腺素受体激动药/正性肌力药，静脉注射）",
           notes="中心静脉输注为宜，外渗可致组织坏死（可用酚妥拉明局部浸润）")
drug("dopamine", "多巴胺", "dopamine", "C01CA04", "拟交感/正性肌力药", VASO, salts="盐酸多巴胺",
     doses=[D("iv", "2–20 μg/kg/min 泵入，按血流动力学滴定")],
     contra=[C("C74.1,D35.0", "嗜铬细胞瘤"), C("I49.0", "快速室性心律失常", "avoid")])
drug("dobutamine", "多巴酚丁胺", "dobutamine", "C01CA07", "β1受体激动剂/正性肌力药", VASO,
     salts="盐酸多巴酚丁胺", doses=[D("iv", "2–20 μg/kg/min 泵入")],
     contra=[C("I42.1", "梗阻性肥厚型心肌病")])
drug("norepinephrine", "去甲肾上腺素", "norepinephrine", "C01CA03", "α受体激动剂/血管加压药", VASO,
     syn="正肾,NE", salts="重酒石酸去甲肾上腺素",
     doses=[D("iv", "按平均动脉压滴定（常用起始 0.05–0.1 μg/kg/min）", note="剂量按碱基或盐计需核对规格")])
drug("epinephrine", "肾上腺素", "epinephrine", "C01CA24", "α/β受体激动剂", VASO, syn="副肾,AD",
     salts="盐酸肾上腺素", routes="im,iv,sc", forms="注射液",
     doses=[D("im", "严重过敏反应 0.3–0.5 mg（1 mg/mL）大腿前外侧肌注，5–15 min 可重复", max_single=0.5,
              unit="mg", indication="严重过敏反应"),
            D("iv", "心脏骤停 1 mg 每 3–5 min；持续输注按血流动力学滴定", indication="心肺复苏/休克")],
     high_alert="静脉注射（肾上腺素受体激动药）及肾上腺素皮下注射（高警示品种）",
     notes="过敏反应首选肌注而非静注；1 mg/mL 与 0.1 mg/mL 规格混淆是常见差错")
drug("isoprenaline", "异丙肾上腺素", "isoprenaline", "C01CA02", "β受体激动剂", VASO, syn="异丙肾,喘息定",
     salts="盐酸异丙肾上腺素", doses=[D("iv", "0.5–2 μg/min 起泵入，按心率调整（临时起搏前过渡）")],
     contra=[C("I20,I21", "心绞痛、急性心肌梗死", "avoid"), C("E05", "甲状腺功能亢进", "avoid")])
drug("milrinone", "米力农", "milrinone", "C01CE02", "磷酸二酯酶3抑制剂（正性肌力药）", VASO,
     tags="cardiovascular,vasoactive,inotrope", salts="乳酸米力农",
     doses=[D("iv", "负荷 25–50 μg/kg（可省略），维持 0.375–0.75 μg/kg/min")],
     renal=[R("CrCl", 50, "reduce_dose", "肾功能不全降低维持输注速率")],
     high_alert="静脉注射（正性肌力药，静脉注射）")
drug("levosimendan", "左西孟旦", "levosimendan", "C01CX08", "钙增敏剂（正性肌力药）", VASO,
     tags="cardiovascular,vasoactive,inotrope",
     doses=[D("iv", "负荷 6–12 μg/kg（低血压者不给负荷），维持 0.05–0.2 μg/kg/min，共约24 h")],
     contra=[C("I95", "严重低血压"), C("I47.2", "尖端扭转型室速病史")],
     renal=[R("CrCl", 30, "contraindicated", "CrCl<30 禁用")],
     hepatic=[H("severe", "contraindicated", "重度肝功能不全禁用")],
     high_alert="静脉注射（正性肌力药，静脉注射）")
drug("metaraminol", "间羟胺", "metaraminol", "C01CA09", "α受体激动剂（升压药）", VASO, syn="阿拉明",
     salts="重酒石酸间羟胺", routes="iv,im", doses=[D("iv", "按血压滴定泵入或小剂量静注")])
drug("phenylephrine", "去氧肾上腺素", "phenylephrine", "C01CA06", "α1受体激动剂", VASO, syn="新福林,苯肾上腺素",
     salts="盐酸去氧肾上腺素", doses=[D("iv", "围麻醉期低血压 50–100 μg 静注或泵入，按血压滴定")])
drug("atropine", "阿托品", "atropine", "A03BA01", "M受体阻断剂", None,
     tags="anticholinergic,anticholinergic_strong", salts="硫酸阿托品", routes="iv,im,sc,po,ophthalmic",
     forms="注射液,片剂,滴眼液",
     doses=[D("iv", "症状性心动过缓 0.5–1 mg 静注，每 3–5 min 可重复，总量一般≤3 mg",
              indication="心动过缓"),
            D("iv", "有机磷中毒按阿托品化目标反复给药（剂量可很大）", indication="有机磷中毒")],
     contra=[C("H40.2", "闭角型青光眼"), C("N40", "前列腺增生伴尿潴留", "caution"),
             C("I47.1,R00.0", "快速性心律失常", "caution")],
     beers=B("avoid", "强抗胆碱能药（眼用除外），老年人避免：谵妄、尿潴留、便秘"),
     high_alert="阿托品注射液（规格≥5 mg/支，高警示品种）")
drug("terlipressin", "特利加压素", "terlipressin", "H01BA04", "血管加压素类似物", None,
     tags="vasoactive,vasopressin_analogue", salts="醋酸特利加压素", routes="iv", forms="注射用粉针",
     doses=[D("iv", "食管胃底静脉曲张出血 1–2 mg q4–6h 静注，出血控制后减量")],
     contra=[C("Z33", "妊娠"), C("I20,I21,I70.2", "冠心病、严重外周血管病", "caution")])

STATIN = fam(tags="cardiovascular,lipid_lowering,statin", dup="statin", routes="po", forms="片剂",
             preg=PG("X", "妊娠期禁用"), lact=L("avoid"),
             contra=[C("Z33", "妊娠"), C("K72,K73,K74,K75", "活动性肝病或不明原因持续转氨酶升高")],
             hepatic=[H("any", "monitor", "起始后复查转氨酶，ALT>3×ULN需评估")],
             allergy=None, notes="肌痛、CK升高，罕见横纹肌溶解；老年、低体重、甲减、肾功能不全风险增加")
drug("atorvastatin", "阿托伐他汀", "atorvastatin", "C10AA05", "HMG-CoA还原酶抑制剂（他汀）", STATIN,
     salts="阿托伐他汀钙", brands="立普妥,阿乐,优力平", tags_extra="statin_cyp3a4_moderate,cyp3a4_substrate",
     doses=[D("po", "10–20 mg qd（中等强度），高强度 40–80 mg qd", max_daily=80, unit="mg")])
drug("rosuvastatin", "瑞舒伐他汀", "rosuvastatin", "C10AA07", "HMG-CoA还原酶抑制剂（他汀）", STATIN,
     salts="瑞舒伐他汀钙", brands="可定,托妥", tags_extra="oatp1b1_substrate",
     doses=[D("po", "5–10 mg qd，必要时 20 mg qd", max_daily=20, unit="mg", note="国内说明书上限20 mg；亚洲人群暴露量较高，从5 mg起")],
     renal=[R("CrCl", 30, "contraindicated", "CrCl<30 禁用（国内说明书）")])
drug("simvastatin", "辛伐他汀", "simvastatin", "C10AA01", "HMG-CoA还原酶抑制剂（他汀）", STATIN,
     brands="舒降之,京必舒新", tags_extra="statin_cyp3a4_sensitive,cyp3a4_substrate",
     doses=[D("po", "10–40 mg qn", max_daily=40, unit="mg", note="80 mg 肌病风险高，不再推荐新起始")])
drug("lovastatin", "洛伐他汀", "lovastatin", "C10AA02", "HMG-CoA还原酶抑制剂（他汀）", STATIN,
     tags_extra="statin_cyp3a4_sensitive,cyp3a4_substrate", brands="美降之",
     doses=[D("po", "10–40 mg 随晚餐", max_daily=80, unit="mg")])
drug("pravastatin", "普伐他汀", "pravastatin", "C10AA03", "HMG-CoA还原酶抑制剂（他汀）", STATIN,
     salts="普伐他汀钠", brands="普拉固,美百乐镇", doses=[D("po", "10–40 mg qn", max_daily=40, unit="mg",
                                                       note="国内说明书上限40 mg")])
drug("fluvastatin", "氟伐他汀", "fluvastatin", "C10AA04", "HMG-CoA还原酶抑制剂（他汀）", STATIN,
     salts="氟伐他汀钠", brands="来适可", tags_extra="cyp2c9_substrate", forms="胶囊,缓释片",
     doses=[D("po", "20–40 mg qn；缓释片 80 mg qd", max_daily=80, unit="mg")])
drug("pitavastatin", "匹伐他汀", "pitavastatin", "C10AA08", "HMG-CoA还原酶抑制剂（他汀）", STATIN,
     salts="匹伐他汀钙", brands="力清之,冠爽", tags_extra="oatp1b1_substrate",
     doses=[D("po", "1–2 mg qd", max_daily=4, unit="mg")])
drug("ezetimibe", "依折麦布", "ezetimibe", "C10AX09", "胆固醇吸收抑制剂", None,
     tags="cardiovascular,lipid_lowering,cholesterol_absorption_inhibitor", brands="益适纯", routes="po",
     forms="片剂", doses=[D("po", "10 mg qd", max_daily=10, unit="mg")],
     hepatic=[H("moderate", "avoid", "中重度肝功能不全不推荐")], preg=PG("C", "与他汀合用时按他汀禁忌"))
FIB = fam(tags="cardiovascular,lipid_lowering,fibrate", dup="fibrate", routes="po",
          contra=[C("K80,K81", "胆囊疾病/胆石症"), C("K72,K74", "严重肝功能不全或原发性胆汁性胆管炎")],
          preg=PG("C", "资料有限"), lact=L("avoid"))
drug("fenofibrate", "非诺贝特", "fenofibrate", "C10AB05", "贝特类调脂药", FIB, brands="力平之",
     forms="胶囊,片剂", doses=[D("po", "微粒化胶囊 200 mg qd 或片剂 160 mg qd 随餐", max_daily=200, unit="mg")],
     renal=[R("eGFR", 30, "contraindicated", "eGFR<30 禁用；30–59 减量")])
drug("gemfibrozil", "吉非罗齐", "gemfibrozil", "C10AB04", "贝特类调脂药", FIB, tags_extra="cyp2c8_strong_inhibitor",
     forms="胶囊,片剂", doses=[D("po", "600 mg bid 餐前30 min", max_daily=1200, unit="mg")],
     renal=[R("eGFR", 30, "avoid", "严重肾功能不全避免")])
drug("bezafibrate", "苯扎贝特", "bezafibrate", "C10AB02", "贝特类调脂药", FIB, forms="片剂,缓释片",
     doses=[D("po", "200 mg tid 或缓释 400 mg qd")],
     renal=[R("CrCl", 60, "reduce_dose", "肾功能不全按CrCl减量，透析患者禁用")])
drug("evolocumab", "依洛尤单抗", "evolocumab", "C10AX13", "PCSK9单克隆抗体", None,
     tags="cardiovascular,lipid_lowering,pcsk9_inhibitor", dup="pcsk9_inhibitor", brands="瑞百安",
     routes="sc", forms="注射液（预充笔）", doses=[D("sc", "140 mg q2w 或 420 mg 每月一次")])
drug("alirocumab", "阿利西尤单抗", "alirocumab", "C10AX14", "PCSK9单克隆抗体", None,
     tags="cardiovascular,lipid_lowering,pcsk9_inhibitor", dup="pcsk9_inhibitor", brands="波立达",
     routes="sc", forms="注射液（预充笔）", doses=[D("sc", "75–150 mg q2w")])

_ = (BEERS, P)
