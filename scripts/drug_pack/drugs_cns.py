"""CNS and psychiatric drugs: antidepressants, antipsychotics, antiepileptics, hypnotics, dementia/PD."""

from __future__ import annotations

from .dsl import HLA, PG, B, C, D, H, L, P, R, X, drug, fam

BEERS_SIADH = B("caution", "可致或加重SIADH/低钠血症，老年人起始或调整剂量时监测血钠；跌倒风险")
SSRI = fam(tags="cns,antidepressant,ssri,serotonergic,serotonergic_antidepressant,bleeding_risk_serotonergic",
           dup="ssri", routes="po", forms="片剂", preg=PG("C", "妊娠晚期用药与新生儿适应不良、PPHN相关"),
           lact=L("caution", "舍曲林、帕罗西汀乳汁中量低"), beers=BEERS_SIADH,
           contra=[C("", "正在使用或14天内使用过单胺氧化酶抑制剂")],
           notes="青少年和青年自杀观念警示；停药需逐渐减量")
drug("sertraline", "舍曲林", "sertraline", "N06AB06", "选择性5-羟色胺再摄取抑制剂（SSRI）", SSRI, salts="盐酸舍曲林",
     brands="左洛复,唯他停", tags_extra="qt_possible", doses=[D("po", "50 mg qd，可至 200 mg qd", max_daily=200, unit="mg")])
drug("escitalopram", "艾司西酞普兰", "escitalopram", "N06AB10", "SSRI", SSRI, salts="草酸艾司西酞普兰", brands="来士普,百洛特",
     tags_extra="qt_known,cyp2c19_substrate",
     doses=[D("po", "10 mg qd，可至 20 mg qd；≥65岁或肝功能不全 ≤10 mg", max_daily=20, unit="mg")],
     contra_extra=[C("I45.8", "先天性长QT综合征或已知QT延长")])
drug("citalopram", "西酞普兰", "citalopram", "N06AB04", "SSRI", SSRI, salts="氢溴酸西酞普兰", brands="喜普妙",
     tags_extra="qt_known,cyp2c19_substrate",
     doses=[D("po", "20 mg qd，可至 40 mg qd；>60岁 ≤20 mg", max_daily=40, unit="mg")],
     contra_extra=[C("I45.8", "先天性长QT综合征或已知QT延长")])
drug("fluoxetine", "氟西汀", "fluoxetine", "N06AB03", "SSRI", SSRI, salts="盐酸氟西汀", brands="百忧解,优克",
     tags_extra="cyp2d6_strong_inhibitor,cyp2c19_inhibitor,qt_possible", forms="胶囊,分散片",
     doses=[D("po", "20 mg qd，可至 60 mg qd", max_daily=60, unit="mg")],
     notes="半衰期长，停药5周后才可换用MAOI")
drug("paroxetine", "帕罗西汀", "paroxetine", "N06AB05", "SSRI", SSRI, salts="盐酸帕罗西汀", brands="赛乐特,乐友",
     tags_extra="cyp2d6_strong_inhibitor,anticholinergic",
     doses=[D("po", "20 mg qd，可至 50 mg qd", max_daily=50, unit="mg")],
     preg=PG("D", "妊娠早期使用与心脏畸形相关"),
     beers=B("avoid", "抗胆碱作用强、镇静、体位性低血压，老年人避免"))
drug("fluvoxamine", "氟伏沙明", "fluvoxamine", "N06AB08", "SSRI", SSRI, salts="马来酸氟伏沙明", brands="兰释",
     tags_extra="cyp1a2_strong_inhibitor,cyp2c19_inhibitor,cyp3a4_moderate_inhibitor",
     doses=[D("po", "50–100 mg qn 起，可至 300 mg/d（>150 mg 分次）", max_daily=300, unit="mg")],
     contra_extra=[C("", "与替扎尼定、阿戈美拉汀、度洛西汀合用")])
SNRI = fam(tags="cns,antidepressant,snri,serotonergic,serotonergic_antidepressant,bleeding_risk_serotonergic",
           dup="snri", routes="po", preg=PG("C", "妊娠晚期同SSRI注意"), lact=L("caution"), beers=BEERS_SIADH,
           contra=[C("", "正在使用或14天内使用过单胺氧化酶抑制剂")])
drug("venlafaxine", "文拉法辛", "venlafaxine", "N06AX16", "5-HT和NE再摄取抑制剂（SNRI）", SNRI, salts="盐酸文拉法辛",
     brands="怡诺思,博乐欣", forms="缓释胶囊,片剂", tags_extra="qt_possible,cyp2d6_substrate",
     doses=[D("po", "缓释 75 mg qd 起，可至 225 mg qd", max_daily=225, unit="mg", note="门诊上限；住院重度抑郁可更高")],
     renal=[R("CrCl", 30, "reduce_dose", "肾功能不全减量25–50%")], notes="剂量依赖性血压升高")
drug("duloxetine", "度洛西汀", "duloxetine", "N06AX21", "SNRI", SNRI, salts="盐酸度洛西汀", brands="欣百达",
     forms="肠溶胶囊", tags_extra="cyp2d6_inhibitor,cyp1a2_substrate",
     doses=[D("po", "60 mg qd（可 30 mg 起）", max_daily=120, unit="mg")],
     renal=[R("CrCl", 30, "avoid", "CrCl<30 避免")], hepatic=[H("any", "avoid", "肝功能不全或大量饮酒者避免")],
     contra_extra=[C("H40.2", "未控制的闭角型青光眼"), C("", "与氟伏沙明或环丙沙星等强效CYP1A2抑制剂合用")])
drug("mirtazapine", "米氮平", "mirtazapine", "N06AX11", "NaSSA类抗抑郁药", None,
     tags="cns,antidepressant,serotonergic,serotonergic_antidepressant,qt_possible,cns_depressant",
     brands="瑞美隆", routes="po", forms="片剂", doses=[D("po", "15 mg qn，可至 45 mg", max_daily=45, unit="mg")],
     preg=PG("C", "资料有限"), lact=L("caution"), beers=BEERS_SIADH,
     contra=[C("", "正在使用或14天内使用过单胺氧化酶抑制剂")], notes="镇静、食欲和体重增加")
drug("trazodone", "曲唑酮", "trazodone", "N06AX05", "5-HT2A拮抗/再摄取抑制剂", None,
     tags="cns,antidepressant,serotonergic,serotonergic_antidepressant,qt_possible,cns_depressant,cyp3a4_substrate",
     salts="盐酸曲唑酮", brands="美时玉", routes="po", forms="片剂",
     doses=[D("po", "抗抑郁 50–100 mg 起，可至 400 mg/d（门诊）", max_daily=400, unit="mg")],
     preg=PG("C", "资料有限"), lact=L("caution"), notes="阴茎异常勃起（罕见）；体位性低血压")
drug("agomelatine", "阿戈美拉汀", "agomelatine", "N06AX22", "褪黑素受体激动/5-HT2C拮抗剂", None,
     tags="cns,antidepressant,cyp1a2_substrate", brands="维度新", routes="po", forms="片剂",
     doses=[D("po", "25 mg 睡前，2周无效可 50 mg", max_daily=50, unit="mg")],
     hepatic=[H("any", "contraindicated", "肝功能损害或转氨酶>3×ULN禁用；用药前及用药后定期查肝功能")],
     contra=[C("", "与强效CYP1A2抑制剂（氟伏沙明、环丙沙星）合用")], preg=PG(None, "资料有限"))
drug("bupropion", "安非他酮", "bupropion", "N06AX12", "NE/DA再摄取抑制剂", None,
     tags="cns,antidepressant,cyp2d6_strong_inhibitor,seizure_threshold_lowering", salts="盐酸安非他酮",
     brands="乐孚亭", routes="po", forms="缓释片", doses=[D("po", "缓释 150 mg qd 起，可至 150 mg bid", max_daily=300, unit="mg")],
     contra=[C("G40", "癫痫"), C("F50", "贪食症或厌食症"), C("", "突然停用酒精、苯二氮䓬类或抗癫痫药期间"),
             C("", "正在使用或14天内使用过单胺氧化酶抑制剂")], preg=PG("C", "资料有限"))
drug("vortioxetine", "伏硫西汀", "vortioxetine", "N06AX26", "多模式抗抑郁药", None,
     tags="cns,antidepressant,serotonergic,serotonergic_antidepressant,cyp2d6_substrate", salts="氢溴酸伏硫西汀",
     brands="心达悦", routes="po", forms="片剂", doses=[D("po", "10 mg qd（5–20 mg）", max_daily=20, unit="mg")],
     contra=[C("", "正在使用或14天内使用过单胺氧化酶抑制剂")], preg=PG(None, "资料有限"), beers=BEERS_SIADH)
TCA = fam(tags="cns,antidepressant,tca,serotonergic,serotonergic_antidepressant,anticholinergic,anticholinergic_strong,"
               "qt_possible,cyp2d6_substrate,cns_depressant", dup="tca", routes="po", forms="片剂",
          preg=PG("C", "资料有限"), lact=L("caution"),
          contra=[C("I21,I22", "心肌梗死恢复期"), C("I44,I45", "传导阻滞或严重心律失常"), C("H40.2", "闭角型青光眼"),
                  C("", "正在使用或14天内使用过单胺氧化酶抑制剂")],
          beers=B("avoid", "抗胆碱作用强、镇静、体位性低血压，老年人避免"), notes="过量心脏毒性致命，限量处方")
drug("amitriptyline", "阿米替林", "amitriptyline", "N06AA09", "三环类抗抑郁药", TCA, salts="盐酸阿米替林",
     doses=[D("po", "抗抑郁 25 mg bid–tid 起，常用 150–250 mg/d；镇痛 10–25 mg qn", max_daily=300, unit="mg")])
drug("clomipramine", "氯米帕明", "clomipramine", "N06AA04", "三环类抗抑郁药", TCA, salts="盐酸氯米帕明", brands="安拿芬尼",
     doses=[D("po", "25 mg 起，常用 100–150 mg/d", max_daily=250, unit="mg")])
drug("flupentixol_melitracen", "氟哌噻吨美利曲辛", "flupentixol/melitracen", "N06CA02", "抗精神病药/三环类复方", None,
     tags="cns,antidepressant,antipsychotic,tca,anticholinergic,dopamine_antagonist", brands="黛力新", routes="po",
     forms="片剂", doses=[D("po", "1片（0.5 mg/10 mg）早晨，或早晨、中午各1片", max_daily=2, unit="片")],
     contra=[C("I21,I22", "心肌梗死恢复期"), C("I44", "传导阻滞"), C("H40.2", "闭角型青光眼"),
             C("", "正在使用单胺氧化酶抑制剂")], notes="不宜长期使用（锥体外系反应、迟发性运动障碍），老年人慎用")
drug("moclobemide", "吗氯贝胺", "moclobemide", "N06AG02", "可逆性MAO-A抑制剂", None,
     tags="cns,antidepressant,maoi,serotonergic", dup="maoi", brands="亚士兰", routes="po", forms="片剂",
     doses=[D("po", "150 mg bid–tid 餐后", max_daily=600, unit="mg")],
     contra=[C("", "与SSRI/SNRI/三环类、哌替啶、曲马多、右美沙芬、司来吉兰合用")], preg=PG(None, "资料有限"))

AP_ = fam(tags="cns,antipsychotic,dopamine_antagonist", dup="antipsychotic", routes="po", forms="片剂",
          preg=PG("C", "妊娠晚期使用致新生儿锥体外系/撤药症状"), lact=L("caution"),
          contra=[C("F00,F01,F02,F03", "痴呆相关精神病（老年患者死亡率增加，黑框警示）", "caution")],
          beers=B("avoid", "痴呆或谵妄老年患者避免（卒中、死亡率增加），非药物措施失败且有伤人风险时除外"))
drug("haloperidol", "氟哌啶醇", "haloperidol", "N05AD01", "典型抗精神病药（丁酰苯类）", AP_, routes="po,im,iv",
     forms="片剂,注射液", tags_extra="qt_known,cyp2d6_substrate,cyp3a4_substrate",
     doses=[D("po", "2–20 mg/d 分次"), D("im", "5–10 mg，必要时重复")],
     contra_extra=[C("G20", "帕金森病"), C("G31.8", "路易体痴呆"), C("R40", "昏迷或严重中枢抑制")],
     notes="静脉使用QT风险最高，需心电监测")
drug("olanzapine", "奥氮平", "olanzapine", "N05AH03", "非典型抗精神病药", AP_, brands="再普乐,欧兰宁",
     tags_extra="qt_possible,anticholinergic,cyp1a2_substrate,cns_depressant", routes="po,im",
     doses=[D("po", "5–10 mg qd，可至 20 mg", max_daily=20, unit="mg")],
     contra_extra=[C("H40.2", "闭角型青光眼")], notes="体重增加、代谢紊乱，监测血糖血脂")
drug("quetiapine", "喹硫平", "quetiapine", "N05AH04", "非典型抗精神病药", AP_, salts="富马酸喹硫平", brands="思瑞康,启维",
     tags_extra="qt_possible,cyp3a4_substrate,cns_depressant", forms="片剂,缓释片",
     doses=[D("po", "25 mg bid 起逐渐加量，精神分裂症常用 300–750 mg/d", max_daily=800, unit="mg")])
drug("risperidone", "利培酮", "risperidone", "N05AX08", "非典型抗精神病药", AP_, brands="维思通,恒德",
     tags_extra="qt_possible,cyp2d6_substrate", forms="片剂,口服液,长效注射剂",
     doses=[D("po", "1–2 mg/d 起，常用 2–6 mg/d")],
     renal=[R("CrCl", 30, "reduce_dose", "严重肾功能不全起始减半")], notes="高催乳素血症、锥体外系反应")
drug("aripiprazole", "阿立哌唑", "aripiprazole", "N05AX12", "非典型抗精神病药（D2部分激动）", AP_, brands="安立复,博思清",
     tags_extra="cyp2d6_substrate,cyp3a4_substrate", doses=[D("po", "10–15 mg qd，可至 30 mg", max_daily=30, unit="mg")])
drug("clozapine", "氯氮平", "clozapine", "N05AH02", "非典型抗精神病药", AP_, brands="可致律",
     tags_extra="qt_possible,anticholinergic,anticholinergic_strong,cyp1a2_substrate,seizure_threshold_lowering,cns_depressant,"
                "myelosuppressive",
     doses=[D("po", "12.5 mg qd–bid 起缓慢加量，常用 200–400 mg/d", max_daily=600, unit="mg", note="上限以说明书为准")],
     contra_extra=[C("D70,D61", "粒细胞缺乏史或骨髓抑制"), C("G40", "未控制的癫痫"), C("K56", "麻痹性肠梗阻"),
                   C("I40,I42", "心肌炎/心肌病")],
     notes="定期监测中性粒细胞；便秘可致致命性肠梗阻；吸烟状态改变显著影响血药浓度")
drug("ziprasidone", "齐拉西酮", "ziprasidone", "N05AE04", "非典型抗精神病药", AP_, salts="盐酸齐拉西酮",
     tags_extra="qt_possible,cyp3a4_substrate", forms="胶囊,注射用粉针",
     doses=[D("po", "20–80 mg bid 随餐", max_daily=160, unit="mg")],
     contra_extra=[C("I45.8", "QT间期延长病史"), C("I21", "近期急性心肌梗死"), C("I50", "失代偿心力衰竭"),
                   C("", "与其他明确延长QT的药物合用")])
drug("paliperidone", "帕利哌酮", "paliperidone", "N05AX13", "非典型抗精神病药", AP_, brands="芮达,善思达",
     tags_extra="qt_possible", forms="缓释片,长效注射剂", doses=[D("po", "6 mg qd（3–12 mg）", max_daily=12, unit="mg")],
     renal=[R("CrCl", 80, "reduce_dose", "CrCl 50–79 ≤6 mg；10–49 ≤3 mg；<10 不推荐")])
drug("amisulpride", "氨磺必利", "amisulpride", "N05AL05", "苯甲酰胺类抗精神病药", AP_, brands="索里昂",
     tags_extra="qt_possible", doses=[D("po", "50–300 mg/d（阴性症状）；400–800 mg/d（阳性症状）", max_daily=1200, unit="mg")],
     renal=[R("CrCl", 60, "reduce_dose", "CrCl 30–60 减半；10–30 减至1/3")],
     contra_extra=[C("C74.1,D35.0", "嗜铬细胞瘤"), C("D35.2", "催乳素依赖性肿瘤")],
     peds=[P(12, "contraindicated", "青春期前儿童禁用（说明书）；年龄界值为近似")])
drug("chlorpromazine", "氯丙嗪", "chlorpromazine", "N05AA01", "典型抗精神病药（吩噻嗪类）", AP_, syn="冬眠灵",
     salts="盐酸氯丙嗪", routes="po,im", forms="片剂,注射液",
     tags_extra="qt_known,anticholinergic,anticholinergic_strong,cns_depressant",
     doses=[D("po", "25–50 mg bid–tid 起，按病情调整"), D("im", "25–50 mg")],
     contra_extra=[C("R40", "昏迷"), C("H40.2", "闭角型青光眼"), C("G40", "癫痫", "caution")])
drug("sulpiride", "舒必利", "sulpiride", "N05AL01", "苯甲酰胺类抗精神病药", AP_, tags_extra="qt_possible",
     doses=[D("po", "精神分裂症 200–600 mg/d 起，按病情调整")], contra_extra=[C("C74.1,D35.0", "嗜铬细胞瘤")])

drug("lithium_carbonate", "碳酸锂", "lithium carbonate", "N05AN01", "心境稳定剂", None,
     tags="cns,mood_stabilizer,lithium,narrow_therapeutic_index,qt_possible", syn="锂盐", routes="po",
     forms="片剂,缓释片",
     doses=[D("po", "0.25–0.5 g tid，按血锂调整（急性期0.8–1.2 mmol/L，维持0.6–0.8 mmol/L）", max_daily=2, unit="g",
              note="服药后12 h谷浓度")],
     renal=[R("CrCl", 30, "avoid", "CrCl<30 避免；30–60 减量并密切监测血锂")],
     contra=[C("N18.4,N18.5", "严重肾功能不全"), C("I50", "严重心血管疾病", "avoid"), C("E86", "脱水/低钠饮食"),
             C("E27.1", "Addison病"), C("E87.1", "低钠血症")],
     preg=PG("D", "妊娠早期心脏畸形（Ebstein畸形）风险"), lact=L("avoid"),
     beers=B("avoid_combination", "避免与ACEI、ARB、ARNI、袢利尿剂合用（锂中毒）；老年人减量并监测"),
     notes="中毒早期：粗大震颤、腹泻、共济失调；发热、腹泻、脱水时锂浓度升高")
AED = fam(tags="cns,antiepileptic", routes="po", forms="片剂", lact=L("caution"))
drug("valproate", "丙戊酸钠", "valproate", "N03AG01", "抗癫痫药/心境稳定剂", AED, syn="丙戊酸",
     salts="丙戊酸镁,双丙戊酸钠", brands="德巴金", routes="po,iv", forms="缓释片,口服溶液,注射用粉针",
     tags="cns,antiepileptic,mood_stabilizer,valproate,ugt_inhibitor,hepatotoxic",
     doses=[D("po", "15 mg/kg/d 起，常用 20–30 mg/kg/d", max_daily=60, unit="mg/kg"), D("iv", "癫痫持续状态 20–40 mg/kg 负荷")],
     peds=[P(2, "caution", "2岁以下（尤其合用其他抗癫痫药）致死性肝毒性风险最高")],
     preg=PG("D", "致神经管缺陷及认知损害；育龄女性除非无替代不用，偏头痛适应证妊娠期禁用（X）"),
     contra=[C("K70,K71,K72,K73,K74", "肝病或严重肝功能不全"), C("E72.2", "尿素循环障碍"),
             C("G71.3", "线粒体病（POLG突变）"), C("E80.2", "卟啉病")],
     hepatic=[H("any", "contraindicated", "肝病禁用；用药前半年定期查肝功能")],
     notes="高氨血症；胰腺炎；血小板减少；与碳青霉烯类合用浓度骤降")
drug("carbamazepine", "卡马西平", "carbamazepine", "N03AF01", "抗癫痫药（二苯并氮䓬类）", AED, brands="得理多",
     tags="cns,antiepileptic,mood_stabilizer,cyp3a4_strong_inducer,enzyme_inducer,cyp3a4_substrate",
     forms="片剂,缓释片",
     doses=[D("po", "100–200 mg bid 起，常用 400–1200 mg/d", max_daily=1600, unit="mg")],
     contra=[C("I44.1,I44.2", "房室传导阻滞"), C("D61,D70", "骨髓抑制史"), C("E80.2", "急性间歇性卟啉病"),
             C("", "HLA-B*1502 阳性（汉族人群用药前应检测，SJS/TEN风险）"), C("", "与单胺氧化酶抑制剂合用")],
     allergy="aromatic_anticonvulsant",
     cross=[X("aromatic_anticonvulsant", "moderate", "芳香族抗癫痫药（卡马西平、奥卡西平、苯妥英、苯巴比妥、拉莫三嗪）之间严重皮肤超敏反应可交叉")],
     preg=PG("D", "神经管缺陷风险"), src=HLA,
     beers=B("caution", "可致SIADH/低钠血症，老年人监测血钠"), notes="自身诱导；监测血药浓度、血常规、肝功能和血钠")
drug("oxcarbazepine", "奥卡西平", "oxcarbazepine", "N03AF02", "抗癫痫药", AED, brands="曲莱,仁澳",
     tags="cns,antiepileptic,cyp3a4_weak_inducer", doses=[D("po", "300 mg bid 起，常用 600–2400 mg/d", max_daily=2400, unit="mg")],
     renal=[R("CrCl", 30, "reduce_dose", "CrCl<30 起始剂量减半")],
     contra=[C("", "HLA-B*1502 阳性者慎用", "caution")], allergy="aromatic_anticonvulsant",
     cross=[X("aromatic_anticonvulsant", "moderate", "卡马西平过敏者约25–30%对奥卡西平交叉过敏")],
     preg=PG("C", "资料有限"), beers=B("caution", "低钠血症比卡马西平更常见，监测血钠"))
drug("lamotrigine", "拉莫三嗪", "lamotrigine", "N03AX09", "抗癫痫药/心境稳定剂", AED, brands="利必通",
     tags="cns,antiepileptic,mood_stabilizer,ugt_substrate",
     doses=[D("po", "25 mg qd×2周起缓慢加量，常用 100–200 mg/d；合用丙戊酸时剂量减半、加量更慢")],
     allergy="aromatic_anticonvulsant", cross=[X("aromatic_anticonvulsant", "moderate", "与芳香族抗癫痫药严重皮疹可交叉")],
     preg=PG("C", "妊娠期清除增加，需监测"), notes="加量过快或合用丙戊酸致严重皮疹（SJS/TEN）风险增加")
drug("levetiracetam", "左乙拉西坦", "levetiracetam", "N03AX14", "抗癫痫药", AED, brands="开浦兰,卡立平", routes="po,iv",
     forms="片剂,口服溶液,注射液", doses=[D("po", "500 mg bid 起，可至 1500 mg bid", max_daily=3000, unit="mg")],
     renal=[R("CrCl", 80, "reduce_dose", "CrCl 50–79 ≤2000 mg/d；30–49 ≤1500；<30 ≤1000")],
     preg=PG("C", "妊娠期资料相对较多"), notes="易激惹、抑郁等精神行为不良反应")
drug("phenytoin", "苯妥英钠", "phenytoin", "N03AB02", "抗癫痫药（乙内酰脲类）", AED, syn="大仑丁,苯妥英",
     routes="po,iv", forms="片剂,注射用粉针",
     tags="cns,antiepileptic,cyp3a4_strong_inducer,enzyme_inducer,cyp2c9_substrate,narrow_therapeutic_index",
     doses=[D("po", "100 mg tid（按血药浓度10–20 mg/L 调整）"), D("iv", "负荷 15–20 mg/kg，速度≤50 mg/min，心电监护")],
     contra=[C("R00.1,I49.5", "窦性心动过缓、窦房阻滞（静脉给药）"), C("I44.1,I44.2", "二度或三度房室传导阻滞"),
             C("", "HLA-B*1502 阳性者避免", "avoid")],
     allergy="aromatic_anticonvulsant", cross=[X("aromatic_anticonvulsant", "moderate", "芳香族抗癫痫药之间严重超敏反应可交叉")],
     preg=PG("D", "胎儿乙内酰脲综合征"), src=HLA, notes="非线性药代动力学，小幅加量可致浓度大增；牙龈增生")
drug("phenobarbital", "苯巴比妥", "phenobarbital", "N03AA02", "巴比妥类镇静/抗癫痫药", AED, syn="鲁米那",
     salts="苯巴比妥钠", routes="po,im,iv", forms="片剂,注射用粉针", controlled="第二类精神药品",
     tags="cns,antiepileptic,barbiturate,cns_depressant,cyp3a4_strong_inducer,enzyme_inducer",
     doses=[D("po", "镇静 15–30 mg tid；抗癫痫 90–180 mg/d"), D("iv", "癫痫持续状态 15–20 mg/kg，速度≤50–100 mg/min")],
     contra=[C("E80.2", "卟啉病"), C("J96", "严重呼吸功能不全")], allergy="aromatic_anticonvulsant",
     cross=[X("aromatic_anticonvulsant", "moderate", "与其他芳香族抗癫痫药可交叉")], preg=PG("D", "致畸、新生儿出血和戒断"),
     beers=B("avoid", "老年人避免（依赖、耐受、过量风险高）"))
drug("topiramate", "托吡酯", "topiramate", "N03AX11", "抗癫痫药", AED, brands="妥泰",
     tags="cns,antiepileptic,carbonic_anhydrase_inhibitor",
     doses=[D("po", "25 mg qd 起每周加量，常用 100–200 mg/d", max_daily=400, unit="mg")],
     renal=[R("CrCl", 70, "reduce_dose", "CrCl<70 剂量减半")], preg=PG("D", "唇腭裂风险"),
     notes="肾结石、代谢性酸中毒、继发性闭角型青光眼、少汗（儿童）、认知减慢")
drug("gabapentin", "加巴喷丁", "gabapentin", "N03AX12", "抗癫痫药/神经病理性疼痛（加巴喷丁类）", AED, brands="派汀,迭力",
     tags="cns,antiepileptic,gabapentinoid,cns_depressant", forms="胶囊,片剂",
     doses=[D("po", "300 mg qd 起逐日加量至 300–600 mg tid", max_daily=3600, unit="mg")],
     renal=[R("CrCl", 60, "reduce_dose", "CrCl 30–59：400–1400 mg/d；15–29：200–700；<15：100–300")],
     preg=PG("C", "资料有限"),
     beers=B("avoid_combination", "避免与阿片类合用（镇静、呼吸抑制）；CrCl<60 减量"))
drug("pregabalin", "普瑞巴林", "pregabalin", "N03AX16", "抗癫痫药/神经病理性疼痛（加巴喷丁类）", AED, brands="乐瑞卡",
     tags="cns,antiepileptic,gabapentinoid,cns_depressant", forms="胶囊",
     doses=[D("po", "75 mg bid 起，可至 300 mg bid", max_daily=600, unit="mg")],
     renal=[R("CrCl", 60, "reduce_dose", "CrCl 30–60：75–300 mg/d；15–30：25–150；<15：25–75")],
     preg=PG("C", "资料有限"), beers=B("avoid_combination", "避免与阿片类合用；CrCl<60 减量"))
drug("lacosamide", "拉考沙胺", "lacosamide", "N03AX18", "抗癫痫药", AED, brands="维派特", routes="po,iv",
     doses=[D("po", "50 mg bid 起每周加量，常用 100–200 mg bid", max_daily=400, unit="mg")],
     renal=[R("CrCl", 30, "reduce_dose", "CrCl<30 每日≤300 mg")],
     contra=[C("I44.1,I44.2", "二度或三度房室传导阻滞")], notes="PR间期延长")

BZD = fam(tags="cns,sedative_hypnotic,benzodiazepine,cns_depressant", dup="benzodiazepine", routes="po", forms="片剂",
          controlled="第二类精神药品", preg=PG("D", "妊娠期避免，晚期致新生儿松软/戒断"), lact=L("avoid"),
          contra=[C("G70.0", "重症肌无力"), C("J96", "严重呼吸功能不全"), C("G47.3", "睡眠呼吸暂停综合征"),
                  C("H40.2", "急性闭角型青光眼"), C("K72", "严重肝功能不全", "avoid")],
          allergy="benzodiazepine",
          beers=B("avoid", "老年人避免：认知损害、谵妄、跌倒骨折、交通事故；与阿片类合用更危险"),
          notes="长期使用依赖，停药需缓慢减量")
drug("diazepam", "地西泮", "diazepam", "N05BA01", "长效苯二氮䓬类", BZD, syn="安定", routes="po,iv,im,pr",
     forms="片剂,注射液", tags_extra="cyp3a4_substrate,cyp2c19_substrate",
     doses=[D("po", "2.5–10 mg bid–qid"), D("iv", "癫痫持续状态 10 mg 缓慢静注（≤5 mg/min），必要时重复")])
drug("lorazepam", "劳拉西泮", "lorazepam", "N05BA06", "中效苯二氮䓬类", BZD, brands="罗拉",
     doses=[D("po", "0.5–2 mg bid–tid", max_daily=10, unit="mg")])
drug("alprazolam", "阿普唑仑", "alprazolam", "N05BA12", "中短效苯二氮䓬类", BZD, syn="佳乐定",
     tags_extra="cyp3a4_substrate", doses=[D("po", "焦虑 0.4 mg tid 起", max_daily=4, unit="mg", note="惊恐障碍可更高，需专科")],
     contra_extra=[C("", "与伊曲康唑、酮康唑合用")])
drug("estazolam", "艾司唑仑", "estazolam", "N05CD04", "中效苯二氮䓬类催眠药", BZD, syn="舒乐安定",
     tags_extra="cyp3a4_substrate", doses=[D("po", "1–2 mg qn", max_daily=2, unit="mg")], preg=PG("X", "妊娠期禁用"),
     contra_extra=[C("Z33", "妊娠")])
drug("clonazepam", "氯硝西泮", "clonazepam", "N03AE01", "长效苯二氮䓬类（抗癫痫）", BZD, syn="氯硝安定",
     tags_extra="antiepileptic,cyp3a4_substrate", doses=[D("po", "0.5 mg tid 起，抗癫痫可至 20 mg/d", max_daily=20, unit="mg")])
drug("midazolam", "咪达唑仑", "midazolam", "N05CD08", "短效苯二氮䓬类（镇静/麻醉）", BZD, syn="咪唑安定",
     salts="马来酸咪达唑仑,盐酸咪达唑仑", brands="力月西,多美康", routes="iv,im,po", forms="注射液,片剂",
     tags_extra="cyp3a4_substrate",
     doses=[D("iv", "操作镇静 1–2.5 mg 缓慢静注逐次滴定（老年人减量）；ICU 0.02–0.1 mg/kg/h", note="需监护与气道设备"),
            D("po", "7.5–15 mg 睡前（片剂）")],
     high_alert="静脉注射（中度镇静药，静脉注射）", notes="口服制剂与强效CYP3A4抑制剂合用说明书禁忌")
drug("oxazepam", "奥沙西泮", "oxazepam", "N05BA04", "中效苯二氮䓬类", BZD, doses=[D("po", "15–30 mg tid–qid")],
     notes="经葡萄糖醛酸化，无活性代谢物")
ZD = fam(tags="cns,sedative_hypnotic,z_drug,cns_depressant,cyp3a4_substrate", dup="z_drug", routes="po", forms="片剂",
         controlled="第二类精神药品", preg=PG("C", "资料有限"), lact=L("avoid"),
         contra=[C("J96", "严重呼吸功能不全"), C("G47.3", "睡眠呼吸暂停综合征"), C("G70.0", "重症肌无力"),
                 C("K72", "严重肝功能不全")],
         beers=B("avoid", "老年人避免（谵妄、跌倒骨折，改善睡眠作用有限）"), notes="复杂睡眠行为（梦游驾车等）")
drug("zolpidem", "唑吡坦", "zolpidem", "N05CF02", "非苯二氮䓬类催眠药", ZD, salts="酒石酸唑吡坦", brands="思诺思,诺宾",
     doses=[D("po", "10 mg 睡前；老年人 5 mg", max_daily=10, unit="mg")])
drug("zopiclone", "佐匹克隆", "zopiclone", "N05CF01", "非苯二氮䓬类催眠药", ZD, brands="忆梦返",
     doses=[D("po", "7.5 mg 睡前；老年人 3.75 mg", max_daily=7.5, unit="mg")])
drug("eszopiclone", "右佐匹克隆", "eszopiclone", "N05CF04", "非苯二氮䓬类催眠药", ZD, brands="文飞",
     doses=[D("po", "1–2 mg 睡前，可至 3 mg；老年人≤2 mg", max_daily=3, unit="mg")])
drug("dexmedetomidine", "右美托咪定", "dexmedetomidine", "N05CM18", "α2受体激动剂（镇静）", None,
     tags="cns,sedative_hypnotic,cns_depressant,central_alpha2_agonist", salts="盐酸右美托咪定", brands="艾贝宁,普菲克",
     routes="iv", forms="注射液",
     doses=[D("iv", "负荷 0.5–1 μg/kg 10 min（可省略），维持 0.2–0.7 μg/kg/h（ICU 可至 1.4）")],
     high_alert="静脉注射（中度镇静药，静脉注射）", notes="心动过缓、低血压")
drug("propofol", "丙泊酚", "propofol", "N01AX10", "静脉全麻药", None, tags="cns,anesthetic_general,cns_depressant",
     syn="异丙酚", brands="得普利麻", routes="iv", forms="乳状注射液",
     doses=[D("iv", "诱导 1.5–2.5 mg/kg；镇静 0.3–4 mg/kg/h", note="持续>48 h 且>4 mg/kg/h 警惕丙泊酚输注综合征")],
     high_alert="静脉全麻药（麻醉药，普通、吸入或静脉用）", notes="脂肪乳剂型，严格无菌，开启后按说明书时限使用")
drug("ketamine", "氯胺酮", "ketamine", "N01AX03", "静脉全麻药（NMDA拮抗）", None, tags="cns,anesthetic_general,cns_depressant",
     salts="盐酸氯胺酮", routes="iv,im", forms="注射液", controlled="第一类精神药品",
     doses=[D("iv", "诱导 1–2 mg/kg；镇痛亚麻醉剂量 0.1–0.5 mg/kg")],
     high_alert="静脉全麻药（麻醉药）", contra=[C("I10", "未控制的高血压"), C("O14,O15", "子痫前期/子痫"),
                                            C("F20", "精神分裂症等精神病", "avoid")])
drug("etomidate", "依托咪酯", "etomidate", "N01AX07", "静脉全麻药", None, tags="cns,anesthetic_general,cns_depressant",
     routes="iv", forms="乳状注射液", doses=[D("iv", "诱导 0.2–0.3 mg/kg")], high_alert="静脉全麻药（麻醉药）",
     notes="单次即可抑制肾上腺皮质功能，脓毒症患者慎用")
drug("buspirone", "丁螺环酮", "buspirone", "N05BE01", "5-HT1A部分激动剂（抗焦虑）", None,
     tags="cns,anxiolytic,serotonergic,cyp3a4_substrate", salts="盐酸丁螺环酮", routes="po", forms="片剂",
     doses=[D("po", "5 mg tid 起，常用 15–30 mg/d", max_daily=60, unit="mg")],
     contra=[C("", "正在使用单胺氧化酶抑制剂")], preg=PG("B", "资料有限"))
drug("tandospirone", "坦度螺酮", "tandospirone", None, "5-HT1A部分激动剂（抗焦虑）", None,
     tags="cns,anxiolytic,serotonergic", salts="枸橼酸坦度螺酮", brands="希德", routes="po", forms="片剂,胶囊",
     doses=[D("po", "10 mg tid", max_daily=60, unit="mg")])

drug("donepezil", "多奈哌齐", "donepezil", "N06DA02", "胆碱酯酶抑制剂", None,
     tags="cns,cholinesterase_inhibitor,ache_inhibitor_dementia,qt_known,bradycardic", dup="cholinesterase_inhibitor", salts="盐酸多奈哌齐",
     brands="安理申,思博海", routes="po", forms="片剂", doses=[D("po", "5 mg qn，4–6周后可 10 mg", max_daily=10, unit="mg")],
     contra=[C("I49.5", "病态窦房结综合征", "caution"), C("I44", "传导阻滞", "caution")],
     notes="心动过缓、晕厥；与抗胆碱药药理拮抗")
drug("rivastigmine", "卡巴拉汀", "rivastigmine", "N06DA03", "胆碱酯酶抑制剂", None,
     tags="cns,cholinesterase_inhibitor,ache_inhibitor_dementia,bradycardic", dup="cholinesterase_inhibitor", salts="重酒石酸卡巴拉汀",
     brands="艾斯能", routes="po,td", forms="胶囊,透皮贴剂", doses=[D("po", "1.5 mg bid 起，可至 6 mg bid", max_daily=12, unit="mg"),
                                                           D("td", "4.6 mg/24 h 起，可至 9.5 mg/24 h")])
drug("memantine", "美金刚", "memantine", "N06DX01", "NMDA受体拮抗剂", None, tags="cns,antidementia", salts="盐酸美金刚",
     brands="易倍申", routes="po", forms="片剂", doses=[D("po", "5 mg qd 起每周加 5 mg 至 20 mg qd", max_daily=20, unit="mg")],
     renal=[R("CrCl", 30, "reduce_dose", "CrCl 5–29：10 mg/d")])
drug("levodopa_benserazide", "多巴丝肼", "levodopa/benserazide", "N04BA02", "复方左旋多巴", None,
     tags="cns,antiparkinson,dopaminergic", dup="levodopa", brands="美多芭", routes="po", forms="片剂,胶囊",
     doses=[D("po", "62.5–125 mg bid–tid 起，按症状缓慢加量", note="左旋多巴日剂量常不超过600–800 mg，上限以说明书为准")],
     peds=[P(25, "contraindicated", "25岁以下禁用（苄丝肼影响骨骼发育，说明书）")],
     contra=[C("H40.2", "闭角型青光眼"), C("F20,F29", "精神病"), C("C43", "恶性黑色素瘤或可疑皮损", "avoid"),
             C("", "与非选择性MAOI合用")], notes="高蛋白饮食影响吸收；不可骤停（类恶性综合征）")
drug("carbidopa_levodopa", "卡左双多巴", "carbidopa/levodopa", "N04BA02", "复方左旋多巴", None,
     tags="cns,antiparkinson,dopaminergic", dup="levodopa", syn="卡比多巴左旋多巴", brands="息宁", routes="po",
     forms="控释片", doses=[D("po", "控释片 50/200 mg 0.5–1 片 bid 起，按症状调整")],
     contra=[C("H40.2", "闭角型青光眼"), C("C43", "恶性黑色素瘤", "avoid"), C("", "与非选择性MAOI合用")])
drug("pramipexole", "普拉克索", "pramipexole", "N04BC05", "非麦角类多巴胺受体激动剂", None,
     tags="cns,antiparkinson,dopamine_agonist", salts="盐酸普拉克索", brands="森福罗", routes="po", forms="片剂,缓释片",
     doses=[D("po", "0.125 mg tid 起每周加量", max_daily=4.5, unit="mg", note="按盐计")],
     renal=[R("CrCl", 50, "reduce_dose", "CrCl 20–50 bid；<20 qd，并降低总量")],
     notes="突发睡眠、冲动控制障碍、幻觉、体位性低血压")
drug("selegiline", "司来吉兰", "selegiline", "N04BD01", "MAO-B抑制剂", None,
     tags="cns,antiparkinson,maoi,maoi_b", dup="maoi_b", salts="盐酸司来吉兰", routes="po", forms="片剂",
     doses=[D("po", "5 mg 早晨或 5 mg bid（早、午）", max_daily=10, unit="mg")],
     contra=[C("", "与哌替啶、曲马多、右美沙芬、吗氯贝胺合用")])
drug("rasagiline", "雷沙吉兰", "rasagiline", "N04BD02", "MAO-B抑制剂", None, tags="cns,antiparkinson,maoi,maoi_b",
     dup="maoi_b", salts="甲磺酸雷沙吉兰", brands="安齐来", routes="po", forms="片剂",
     doses=[D("po", "1 mg qd", max_daily=1, unit="mg")],
     hepatic=[H("moderate", "contraindicated", "中重度肝功能不全禁用")],
     contra=[C("", "与哌替啶、曲马多、右美沙芬、其他MAOI合用")])
drug("trihexyphenidyl", "苯海索", "trihexyphenidyl", "N04AA01", "中枢抗胆碱药", None,
     tags="cns,antiparkinson,anticholinergic,anticholinergic_strong", syn="安坦", salts="盐酸苯海索", routes="po",
     forms="片剂", doses=[D("po", "1–2 mg tid", max_daily=10, unit="mg")],
     contra=[C("H40.2", "闭角型青光眼"), C("N40", "前列腺增生伴尿潴留")],
     beers=B("avoid", "抗胆碱作用强，老年人避免；不推荐用于预防抗精神病药锥体外系反应"))
drug("flunarizine", "氟桂利嗪", "flunarizine", "N07CA03", "钙通道阻滞剂（脑血管/前庭）", None,
     tags="cns,antivertigo", salts="盐酸氟桂利嗪", brands="西比灵", routes="po", forms="胶囊",
     doses=[D("po", "5–10 mg qn", max_daily=10, unit="mg")],
     contra=[C("F32,F33", "抑郁症病史"), C("G20,G25", "帕金森病或其他锥体外系疾病")],
     notes="老年人长期使用易致锥体外系反应和抑郁，应限疗程")
drug("betahistine", "倍他司汀", "betahistine", "N07CA01", "组胺类似物（抗眩晕）", None, tags="cns,antivertigo",
     salts="甲磺酸倍他司汀,盐酸倍他司汀", brands="敏使朗", routes="po", forms="片剂",
     doses=[D("po", "甲磺酸盐 6–12 mg tid")], contra=[C("C74.1,D35.0", "嗜铬细胞瘤"),
                                                    C("K25,K26", "活动性消化性溃疡", "caution"), C("J45", "支气管哮喘", "caution")])
drug("edaravone", "依达拉奉", "edaravone", None, "自由基清除剂", None, tags="cns,neuroprotective", routes="iv",
     forms="注射液", doses=[D("iv", "30 mg bid 静滴30 min，疗程≤14 d（急性脑梗死）")],
     renal=[R("CrCl", 30, "contraindicated", "重度肾功能不全禁用（可致急性肾损伤）")])
drug("butylphthalide", "丁苯酞", "butylphthalide", None, "脑保护药", None, tags="cns,neuroprotective", brands="恩必普",
     routes="po,iv", forms="软胶囊,注射液", doses=[D("po", "0.2 g tid 空腹"), D("iv", "25 mg bid")],
     contra=[C("I61,I62", "出血倾向", "caution")])
drug("citicoline", "胞磷胆碱", "citicoline", "N06BX06", "脑代谢改善药", None, tags="cns,nootropic",
     salts="胞磷胆碱钠", routes="iv,po", forms="注射液,胶囊", doses=[D("iv", "0.25–0.5 g qd")])
drug("methylphenidate", "哌甲酯", "methylphenidate", "N06BA04", "中枢兴奋药", None,
     tags="cns,psychostimulant,sympathomimetic", salts="盐酸哌甲酯", brands="专注达,利他林", routes="po",
     forms="缓释片,片剂", controlled="第一类精神药品",
     doses=[D("po", "缓释片 18 mg qd 晨服，按疗效调整", max_daily=54, unit="mg", note="儿童上限；成人按说明书")],
     peds=[P(6, "avoid", "6岁以下不推荐")],
     contra=[C("F41", "明显焦虑紧张", "caution"), C("H40.2", "青光眼"), C("F95.2", "抽动秽语综合征", "caution"),
             C("", "正在使用或14天内使用单胺氧化酶抑制剂")])
drug("eperisone", "乙哌立松", "eperisone", "M03BX09", "中枢性肌松药", None, tags="musculoskeletal,muscle_relaxant",
     salts="盐酸乙哌立松", brands="妙纳", routes="po", forms="片剂", doses=[D("po", "50 mg tid 餐后")])
drug("baclofen", "巴氯芬", "baclofen", "M03BX01", "中枢性肌松药（GABA-B激动）", None,
     tags="musculoskeletal,muscle_relaxant,cns_depressant", brands="力奥来素", routes="po,intrathecal", forms="片剂",
     doses=[D("po", "5 mg tid 起逐渐加量", max_daily=80, unit="mg")],
     renal=[R("CrCl", 60, "reduce_dose", "肾功能下降易致脑病，减量")],
     beers=B("adjust_renal", "CrCl<60 避免或最低剂量并密切监测（脑病风险）"), notes="不可骤停（戒断、高热、惊厥）")
drug("tizanidine", "替扎尼定", "tizanidine", "M03BX02", "中枢性肌松药（α2激动）", None,
     tags="musculoskeletal,muscle_relaxant,cns_depressant,cyp1a2_substrate,qt_possible", salts="盐酸替扎尼定",
     brands="凯莱通", routes="po", forms="片剂", doses=[D("po", "2 mg tid 起", max_daily=36, unit="mg")],
     contra=[C("K72", "严重肝功能不全"), C("", "与氟伏沙明或环丙沙星合用")], notes="低血压、嗜睡、肝损伤")
