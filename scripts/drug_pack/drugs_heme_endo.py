"""Antithrombotics, haemostatics, diabetes drugs and insulins."""

from __future__ import annotations

from .dsl import PG, B, C, D, H, L, P, R, X, drug, fam

HA_AT = "抗血栓药（抗凝药、Xa因子抑制剂、直接凝血酶抑制剂、GP IIb/IIIa抑制剂、溶栓药）"
AC = fam(tags="antithrombotic,anticoagulant", routes="po", high_alert=HA_AT,
         contra=[C("K92.2,I60,I61,I62", "活动性出血（消化道、颅内等）"), C("D65,D66,D67,D68", "凝血功能障碍/出血性疾病")],
         lact=L("caution"))
DOAC = fam(tags="antithrombotic,anticoagulant,doac", dup="anticoagulant", routes="po", forms="片剂",
           high_alert=HA_AT, preg=PG(None, "妊娠期不推荐使用（缺乏资料，可通过胎盘）"), lact=L("avoid"),
           contra=[C("K92.2,I60,I61,I62", "活动性病理性出血"), C("Z95.2", "机械人工心脏瓣膜")])
drug("warfarin", "华法林", "warfarin", "B01AA03", "维生素K拮抗剂（口服抗凝药）", AC, salts="华法林钠",
     brands="可密定,芬兰华法林", tags="antithrombotic,anticoagulant,vka,cyp2c9_substrate,narrow_therapeutic_index",
     dup="anticoagulant", forms="片剂",
     doses=[D("po", "起始 1–3 mg qd（中国人群常用2.5–3 mg），按INR调整，目标多为2.0–3.0")],
     preg=PG("X", "致胚胎病（妊娠6–12周）和胎儿出血；机械瓣孕妇需专科方案"),
     lact=L("compatible", "乳汁中几乎不分泌"),
     contra_extra=[C("Z33", "妊娠（机械瓣特殊情况除外）"), C("I10", "严重未控制的高血压", "avoid")],
     beers=B("avoid", "房颤或VTE新起始抗凝避免首选华法林，除非DOAC禁忌或不可及"),
     notes="与大量药物和食物（维生素K）相互作用；任何合用药物增减都需复查INR")
drug("heparin", "肝素", "heparin", "B01AB01", "普通肝素", AC, salts="肝素钠,肝素钙", syn="普通肝素,UFH",
     tags="antithrombotic,anticoagulant,heparin_class,hyperkalemia_risk", dup="anticoagulant", routes="iv,sc",
     forms="注射液",
     doses=[D("iv", "VTE 80 U/kg 静注后 18 U/kg/h 泵入，按APTT/抗Xa调整", indication="VTE治疗"),
            D("sc", "预防 5000 U q8–12h", indication="VTE预防")],
     preg=PG("C", "不通过胎盘，妊娠期抗凝可选"), lact=L("compatible"),
     contra_extra=[C("D75.8", "肝素诱导的血小板减少症（HIT）病史")], allergy="heparin",
     cross=[X("heparin", "high", "HIT患者禁用所有肝素类（含低分子肝素）；磺达肝癸钠交叉反应罕见")],
     notes="不同规格（如12500 U/支与1000 U/mL）混淆是常见差错；监测血小板")
LMWH = fam(tags="antithrombotic,anticoagulant,heparin_class,lmwh", dup="anticoagulant", routes="sc",
           forms="注射液（预充针）", high_alert=HA_AT, preg=PG("B", "不通过胎盘，妊娠期抗凝首选之一"),
           lact=L("compatible"),
           contra=[C("K92.2,I60,I61,I62", "活动性大出血"), C("D75.8", "HIT病史")], allergy="heparin",
           cross=[X("heparin", "high", "HIT时与普通肝素交叉，禁用")])
drug("enoxaparin", "依诺肝素", "enoxaparin", "B01AB05", "低分子肝素", LMWH, salts="依诺肝素钠", brands="克赛,普洛静",
     doses=[D("sc", "治疗 1 mg/kg（100 AxaIU/kg）q12h；预防 40 mg qd")],
     renal=[R("CrCl", 30, "reduce_dose", "CrCl<30：治疗 1 mg/kg qd；预防 20–30 mg qd（按说明书）")])
drug("nadroparin", "那屈肝素", "nadroparin", "B01AB06", "低分子肝素", LMWH, salts="那屈肝素钙", brands="速碧林",
     doses=[D("sc", "治疗 约85 AxaIU/kg q12h（0.1 mL/10 kg）；预防 0.3–0.4 mL qd")],
     renal=[R("CrCl", 30, "contraindicated", "CrCl<30 治疗剂量禁用；30–50 减量25–33%")])
drug("dalteparin", "达肝素", "dalteparin", "B01AB04", "低分子肝素", LMWH, salts="达肝素钠", brands="法安明",
     doses=[D("sc", "治疗 200 IU/kg qd（单次≤18000 IU）或 100 IU/kg bid；预防 2500–5000 IU qd",
              max_single=18000, unit="IU")],
     renal=[R("CrCl", 30, "monitor", "CrCl<30 监测抗Xa活性并调整")])
drug("fondaparinux", "磺达肝癸钠", "fondaparinux", "B01AX05", "间接Xa因子抑制剂", LMWH,
     tags="antithrombotic,anticoagulant,factor_xa_inhibitor", brands="安卓",
     doses=[D("sc", "预防 2.5 mg qd；VTE治疗 5/7.5/10 mg qd（按体重<50/50–100/>100 kg）")],
     contra=[C("K92.2,I60,I61,I62", "活动性出血"), C("I33", "急性细菌性心内膜炎")],
     renal=[R("CrCl", 20, "contraindicated", "CrCl<20 禁用；20–50 预防剂量可减至1.5 mg（欧盟说明书）")],
     allergy=None, cross=[])
drug("rivaroxaban", "利伐沙班", "rivaroxaban", "B01AF01", "直接Xa因子抑制剂", DOAC, brands="拜瑞妥",
     tags_extra="factor_xa_inhibitor,cyp3a4_substrate,pgp_substrate",
     doses=[D("po", "房颤 20 mg qd 随餐（CrCl 15–49 为15 mg qd）；VTE 15 mg bid×21 d 后 20 mg qd；"
                   "骨科预防 10 mg qd", max_daily=30, unit="mg")],
     renal=[R("CrCl", 15, "avoid", "CrCl<15 不推荐"), R("CrCl", 50, "reduce_dose", "房颤 CrCl 15–49 用15 mg qd")],
     hepatic=[H("moderate", "contraindicated", "伴凝血异常的肝病（含Child-Pugh B/C）禁用")],
     beers=B("caution", "长期房颤/VTE治疗中消化道大出血风险高于阿哌沙班，老年人优先考虑其他DOAC"))
drug("apixaban", "阿哌沙班", "apixaban", "B01AF02", "直接Xa因子抑制剂", DOAC, brands="艾乐妥",
     tags_extra="factor_xa_inhibitor,cyp3a4_substrate,pgp_substrate",
     doses=[D("po", "房颤 5 mg bid（满足年龄≥80岁、体重≤60 kg、肌酐≥133 μmol/L 中两项时 2.5 mg bid）；"
                   "VTE 10 mg bid×7 d 后 5 mg bid；预防 2.5 mg bid", max_daily=20, unit="mg")],
     renal=[R("CrCl", 15, "avoid", "CrCl<15 不推荐；15–29 慎用")],
     hepatic=[H("severe", "avoid", "重度肝功能不全不推荐")])
drug("edoxaban", "艾多沙班", "edoxaban", "B01AF03", "直接Xa因子抑制剂", DOAC, salts="甲苯磺酸艾多沙班",
     brands="里先安", tags_extra="factor_xa_inhibitor,pgp_substrate",
     doses=[D("po", "60 mg qd；CrCl 15–50、体重≤60 kg 或合用特定P-gp抑制剂时 30 mg qd", max_daily=60, unit="mg")],
     renal=[R("CrCl", 15, "avoid", "CrCl<15 不推荐"), R("CrCl", 50, "reduce_dose", "CrCl 15–50 减为30 mg qd")])
drug("dabigatran", "达比加群酯", "dabigatran etexilate", "B01AE07", "直接凝血酶抑制剂", DOAC,
     syn="达比加群", salts="达比加群酯甲磺酸盐", brands="泰毕全", forms="胶囊",
     tags_extra="direct_thrombin_inhibitor,pgp_substrate",
     doses=[D("po", "150 mg bid；≥80岁、合用维拉帕米或出血风险高者 110 mg bid", max_daily=300, unit="mg",
              note="胶囊须整粒吞服，不可打开")],
     renal=[R("CrCl", 30, "contraindicated", "CrCl<30 禁用；30–50 评估后可用110 mg bid")],
     contra_extra=[C("", "与全身用酮康唑、伊曲康唑、环孢素、决奈达隆合用")],
     beers=B("caution", "≥75岁消化道出血风险高于华法林及部分DOAC，慎用"))
drug("argatroban", "阿加曲班", "argatroban", "B01AE03", "直接凝血酶抑制剂", AC,
     tags="antithrombotic,anticoagulant,direct_thrombin_inhibitor", dup="anticoagulant", routes="iv",
     forms="注射液", doses=[D("iv", "HIT 2 μg/kg/min 起按APTT调整；急性缺血性卒中按国内说明书方案")],
     hepatic=[H("moderate", "reduce_dose", "肝功能不全显著减慢清除，起始剂量降低")])
drug("bivalirudin", "比伐芦定", "bivalirudin", "B01AE06", "直接凝血酶抑制剂", AC,
     tags="antithrombotic,anticoagulant,direct_thrombin_inhibitor", dup="anticoagulant", brands="泰加宁",
     routes="iv", forms="注射用粉针", doses=[D("iv", "PCI 0.75 mg/kg 静注，继以 1.75 mg/kg/h 至术毕")],
     renal=[R("CrCl", 30, "reduce_dose", "CrCl<30 维持剂量降至1 mg/kg/h；透析 0.25 mg/kg/h")])

AP = fam(tags="antithrombotic,antiplatelet", routes="po", forms="片剂",
         contra=[C("K92.2,I60,I61,I62", "活动性病理性出血")], lact=L("caution"))
drug("aspirin", "阿司匹林", "aspirin", "B01AC06", "抗血小板药/水杨酸类解热镇痛药", AP,
     syn="乙酰水杨酸,ASA,拜阿司匹林", brands="拜阿司匹灵,巴米尔", forms="肠溶片,片剂,泡腾片",
     tags="antithrombotic,antiplatelet,nsaid,salicylate", routes="po",
     doses=[D("po", "抗血小板 75–100 mg qd；急性冠脉综合征负荷 150–300 mg 嚼服", indication="抗血小板"),
            D("po", "解热镇痛 0.3–0.6 g，需要时每4–6 h一次，疗程宜短", indication="解热镇痛")],
     peds=[P(16, "avoid", "儿童青少年病毒感染（流感、水痘）时使用与瑞氏综合征相关，应避免；退热首选对乙酰氨基酚或布洛芬",
             condition="病毒感染伴发热")],
     preg=PG("D", "妊娠晚期（≥30周）足量使用可致动脉导管早闭和出血；小剂量用于子痫前期预防属专科方案"),
     contra=[C("K25,K26,K27,K28,K92.2", "活动性消化性溃疡或消化道出血"),
             C("D66,D67,D68,D69", "血友病或其他出血性疾病"),
             C("J45", "水杨酸盐或NSAIDs诱发的哮喘史"), C("N18.5", "严重肾功能衰竭", "avoid"),
             C("K72", "严重肝功能衰竭", "avoid")],
     allergy="nsaid",
     cross=[X("nsaid", "high", "NSAID加重的呼吸系统疾病/荨麻疹患者对各种COX-1抑制剂交叉不耐受；选择性COX-2抑制剂多可耐受")],
     beers=B("avoid", "老年人避免用于心血管病一级预防（出血风险超过获益）；二级预防继续"))
drug("clopidogrel", "氯吡格雷", "clopidogrel", "B01AC04", "P2Y12受体拮抗剂", AP, salts="硫酸氢氯吡格雷,氯吡格雷硫酸氢盐",
     brands="波立维,泰嘉,帅泰", tags_extra="p2y12_inhibitor,cyp2c19_prodrug,cyp2c8_inhibitor",
     doses=[D("po", "75 mg qd；负荷 300–600 mg", max_single=600, unit="mg")],
     hepatic=[H("severe", "contraindicated", "严重肝功能损害禁用")],
     notes="CYP2C19慢代谢者抗血小板作用减弱；择期手术前通常停用5天")
drug("ticagrelor", "替格瑞洛", "ticagrelor", "B01AC24", "P2Y12受体拮抗剂", AP, brands="倍林达",
     tags_extra="p2y12_inhibitor,cyp3a4_substrate,pgp_inhibitor",
     doses=[D("po", "负荷 180 mg，维持 90 mg bid；心梗1年后可 60 mg bid", max_daily=180, unit="mg")],
     contra_extra=[C("I60,I61,I62", "颅内出血病史"), C("", "与强效CYP3A4抑制剂合用")],
     hepatic=[H("moderate", "contraindicated", "中重度肝功能损害禁用（国内说明书）")],
     notes="呼吸困难、缓慢性心律失常；合用阿司匹林维持量不宜>100 mg/d")
drug("indobufen", "吲哚布芬", "indobufen", "B01AC10", "环氧化酶抑制剂（可逆）", AP, brands="易抗凝",
     doses=[D("po", "100–200 mg bid；老年或肾功能不全 100 mg bid", max_daily=400, unit="mg")],
     renal=[R("CrCl", 60, "reduce_dose", "肾功能不全减为100 mg bid")])
drug("cilostazol", "西洛他唑", "cilostazol", "B01AC23", "磷酸二酯酶3抑制剂（抗血小板）", AP, brands="培达",
     tags_extra="cyp3a4_substrate", doses=[D("po", "100 mg bid", max_daily=200, unit="mg")],
     contra_extra=[C("I50", "任何程度的心力衰竭")])
drug("dipyridamole", "双嘧达莫", "dipyridamole", "B01AC07", "抗血小板药（磷酸二酯酶抑制）", AP,
     syn="潘生丁", doses=[D("po", "25–50 mg tid；缓释制剂按说明书")], contra=[])
drug("tirofiban", "替罗非班", "tirofiban", "B01AC17", "血小板GP IIb/IIIa受体拮抗剂", AP,
     salts="盐酸替罗非班", brands="欣维宁,艾卡特", tags_extra="gp2b3a_inhibitor", routes="iv", forms="注射液",
     doses=[D("iv", "0.4 μg/kg/min×30 min 后 0.1 μg/kg/min；或高剂量 25 μg/kg 静注后 0.15 μg/kg/min")],
     renal=[R("CrCl", 30, "reduce_dose", "CrCl<30 剂量减半")], high_alert=HA_AT,
     contra_extra=[C("D69.6", "血小板减少（<100×10⁹/L）"), C("I60,I61,I62", "近30天内颅内出血或颅内病变")])
drug("eptifibatide", "依替巴肽", "eptifibatide", "B01AC16", "血小板GP IIb/IIIa受体拮抗剂", AP,
     tags_extra="gp2b3a_inhibitor", routes="iv", forms="注射液",
     doses=[D("iv", "180 μg/kg 静注后 2 μg/kg/min")], high_alert=HA_AT,
     renal=[R("CrCl", 50, "reduce_dose", "CrCl<50 维持量减至1 μg/kg/min；透析禁用")])

TL = fam(tags="antithrombotic,thrombolytic", routes="iv", forms="注射用粉针", high_alert=HA_AT,
         contra=[C("I60,I61,I62", "颅内出血史或近期颅内/脊髓手术"), C("K92.2", "活动性内脏出血"),
                 C("I71", "可疑主动脉夹层"), C("I10", "严重未控制高血压（如>180/110 mmHg）", "avoid")],
         notes="严格按适应证时间窗及禁忌证核查表使用")
drug("alteplase", "阿替普酶", "alteplase", "B01AD02", "组织型纤溶酶原激活剂", TL, syn="rt-PA", brands="爱通立",
     doses=[D("iv", "急性缺血性卒中 0.9 mg/kg（上限90 mg），10% 1 min 静注，余量 60 min 输注；"
                   "STEMI/PE 按说明书方案（总量一般≤100 mg）", max_single=100, unit="mg")])
drug("urokinase", "尿激酶", "urokinase", "B01AD04", "纤溶酶原激活剂", TL, doses=[D("iv", "按适应证方案（卒中、STEMI、PE剂量不同）")])
drug("tenecteplase", "替奈普酶", "tenecteplase", "B01AD11", "组织型纤溶酶原激活剂（突变体）", TL,
     doses=[D("iv", "STEMI 按体重单次静注（30–50 mg）；卒中方案以说明书/指南为准")])
drug("reteplase", "瑞替普酶", "reteplase", "B01AD07", "重组纤溶酶原激活剂", TL, doses=[D("iv", "10 U + 10 U 间隔30 min 静注")])

drug("vitamin_k1", "维生素K1", "phytomenadione", "B02BA01", "维生素K（止血/华法林拮抗）", None,
     tags="hemostatic,vitamin_k", syn="植物甲萘醌,维生素K₁", routes="iv,im,po", forms="注射液,片剂",
     doses=[D("iv", "华法林过量 1–10 mg 缓慢静注（速度≤1 mg/min）或静滴"), D("im", "10 mg qd–bid")],
     notes="快速静注可致严重过敏样反应；新生儿出血症预防按儿科方案")
drug("tranexamic_acid", "氨甲环酸", "tranexamic acid", "B02AA02", "抗纤溶药", None, tags="hemostatic,antifibrinolytic",
     syn="凝血酸,止血环酸", routes="iv,po", forms="注射液,片剂",
     doses=[D("iv", "1 g（或10–15 mg/kg）q8h 缓慢静注/静滴"), D("po", "1–1.5 g tid")],
     contra=[C("I26,I80,I63", "活动性血栓栓塞性疾病"), C("", "蛛网膜下腔出血（脑水肿、脑梗风险）", "avoid")],
     renal=[R("CrCl", 50, "reduce_dose", "按血肌酐减量，严重肾功能不全可致蓄积与惊厥")])
drug("protamine", "鱼精蛋白", "protamine", "V03AB14", "肝素拮抗剂", None, tags="antidote", salts="硫酸鱼精蛋白",
     routes="iv", forms="注射液",
     doses=[D("iv", "每100 U肝素（近2 h内）约1 mg，缓慢静注，单次≤50 mg", max_single=50, unit="mg")],
     notes="过敏/类过敏反应、低血压；对低分子肝素仅部分中和")
drug("etamsylate", "酚磺乙胺", "etamsylate", "B02BX01", "止血药（血管/血小板）", None, tags="hemostatic",
     syn="止血敏", routes="iv,im,po", forms="注射液,片剂", doses=[D("iv", "0.25–0.5 g bid–tid")])

OHA_HA = "口服降糖药（中国高警示药品推荐目录类别）"
OHA = fam(tags="antidiabetic", routes="po", forms="片剂", high_alert=OHA_HA, lact=L("caution"))
drug("metformin", "二甲双胍", "metformin", "A10BA02", "双胍类降糖药", OHA, salts="盐酸二甲双胍",
     brands="格华止,美迪康", forms="片剂,缓释片,肠溶片", tags="antidiabetic,biguanide", dup="biguanide",
     doses=[D("po", "500 mg bid 起随餐，逐渐加量至 1500–2000 mg/d", max_daily=2000, unit="mg",
              note="中国指南最大有效剂量2000 mg/d；部分说明书上限2550 mg/d")],
     renal=[R("eGFR", 30, "contraindicated", "eGFR<30 禁用"),
            R("eGFR", 45, "reduce_dose", "eGFR 30–44 不新起始；已用者减量（一般≤1000 mg/d）并加强监测")],
     hepatic=[H("any", "avoid", "肝功能不全（转氨酶>3×ULN）避免，乳酸酸中毒风险")],
     preg=PG("B", "可通过胎盘；妊娠期降糖首选胰岛素，部分情况可用二甲双胍"),
     lact=L("compatible", "乳汁中含量低"),
     contra=[C("E87.2", "代谢性酸中毒/乳酸酸中毒"), C("E10.1,E11.1", "糖尿病酮症酸中毒"),
             C("R57,A41", "休克、严重感染或组织缺氧"), C("", "使用碘造影剂前后（eGFR低者需暂停48 h）", "caution")],
     notes="长期使用监测维生素B12")
SU = fam(tags="antidiabetic,sulfonylurea,insulin_secretagogue,hypoglycemia_risk,cyp2c9_substrate",
         dup="insulin_secretagogue", routes="po", forms="片剂", high_alert=OHA_HA,
         preg=PG("C", "妊娠期改用胰岛素"), lact=L("avoid"),
         contra=[C("E10", "1型糖尿病"), C("E10.1,E11.1", "糖尿病酮症酸中毒")],
         allergy="sulfonylurea",
         cross=[X("sulfonamide_antibiotic", "low", "磺胺抗菌药过敏者交叉反应证据有限，慎用")],
         beers=B("avoid", "老年人避免作为一线或二线降糖（低血糖、心血管风险）；必要时选短效品种"))
drug("glimepiride", "格列美脲", "glimepiride", "A10BB12", "磺脲类降糖药", SU, brands="亚莫利,万苏平",
     doses=[D("po", "1–4 mg qd 早餐前", max_daily=6, unit="mg", note="欧盟/国内说明书上限6 mg，美国8 mg")],
     renal=[R("eGFR", 30, "avoid", "严重肾功能不全避免（低血糖）")])
drug("gliclazide", "格列齐特", "gliclazide", "A10BB09", "磺脲类降糖药", SU, brands="达美康", forms="片剂,缓释片",
     doses=[D("po", "缓释片 30–120 mg qd 早餐时", max_daily=120, unit="mg", note="按缓释片计"),
            D("po", "普通片 80 mg bid", max_daily=320, unit="mg", note="按普通片计")],
     renal=[R("eGFR", 30, "avoid", "严重肾功能不全避免")])
drug("glipizide", "格列吡嗪", "glipizide", "A10BB07", "磺脲类降糖药", SU, brands="瑞易宁,美吡达",
     forms="片剂,控释片", doses=[D("po", "普通片 2.5–10 mg 餐前（可分次）；控释片 5–20 mg qd", max_daily=20,
                                   unit="mg", note="按控释片计；普通片上限以说明书为准")],
     renal=[R("eGFR", 30, "caution", "肾功能不全从小剂量起")])
drug("glibenclamide", "格列本脲", "glibenclamide", "A10BB01", "磺脲类降糖药", SU, syn="优降糖",
     doses=[D("po", "2.5–10 mg/d 分1–2次餐前", max_daily=15, unit="mg")],
     renal=[R("eGFR", 60, "avoid", "活性代谢物经肾排泄，肾功能下降时严重低血糖风险高，避免")],
     beers=B("avoid", "长效磺脲类，老年人长时间低血糖风险高，避免"))
drug("gliquidone", "格列喹酮", "gliquidone", "A10BB08", "磺脲类降糖药", SU, brands="糖适平",
     doses=[D("po", "15–120 mg/d 分次餐前")],
     renal=[R("eGFR", 30, "caution", "主要经胆汁排泄，轻中度肾功能不全可用；eGFR<30 慎用")])
drug("repaglinide", "瑞格列奈", "repaglinide", "A10BX02", "格列奈类降糖药", OHA, brands="诺和龙,孚来迪",
     tags="antidiabetic,glinide,insulin_secretagogue,hypoglycemia_risk,cyp2c8_substrate,cyp3a4_substrate",
     dup="insulin_secretagogue",
     doses=[D("po", "0.5–4 mg 餐前15 min，不进餐不服药", max_single=4, max_daily=16, unit="mg")],
     contra=[C("E10", "1型糖尿病"), C("E10.1,E11.1", "糖尿病酮症酸中毒"), C("", "与吉非罗齐合用")],
     hepatic=[H("severe", "contraindicated", "严重肝功能不全禁用")], preg=PG("C", "妊娠期改用胰岛素"))
drug("nateglinide", "那格列奈", "nateglinide", "A10BX03", "格列奈类降糖药", OHA, brands="唐力",
     tags="antidiabetic,glinide,insulin_secretagogue,hypoglycemia_risk,cyp2c9_substrate",
     dup="insulin_secretagogue", doses=[D("po", "60–120 mg tid 餐前", max_daily=360, unit="mg")],
     contra=[C("E10", "1型糖尿病"), C("E10.1,E11.1", "糖尿病酮症酸中毒")])
AGI = fam(tags="antidiabetic,alpha_glucosidase_inhibitor", dup="alpha_glucosidase_inhibitor", routes="po",
          forms="片剂", high_alert=OHA_HA,
          contra=[C("K50,K51", "炎症性肠病"), C("K56", "肠梗阻或易发肠梗阻者"), C("E10.1,E11.1", "糖尿病酮症酸中毒")],
          notes="与第一口饭同时嚼服；合用促泌剂或胰岛素发生低血糖时须用葡萄糖（非蔗糖）纠正")
drug("acarbose", "阿卡波糖", "acarbose", "A10BF01", "α-糖苷酶抑制剂", AGI, brands="拜唐苹,卡博平",
     doses=[D("po", "50 mg tid 起，可至 100 mg tid")],
     renal=[R("CrCl", 25, "contraindicated", "CrCl<25 禁用")])
drug("voglibose", "伏格列波糖", "voglibose", "A10BF03", "α-糖苷酶抑制剂", AGI, brands="倍欣",
     doses=[D("po", "0.2 mg tid 餐前，可至 0.3 mg tid", max_daily=0.9, unit="mg")])
TZD = fam(tags="antidiabetic,thiazolidinedione", dup="thiazolidinedione", routes="po", forms="片剂",
          high_alert=OHA_HA, preg=PG("C", "妊娠期改用胰岛素"),
          contra=[C("I50", "心力衰竭（NYHA III–IV级）"), C("K70,K71,K72,K73,K74", "活动性肝病或ALT>2.5×ULN"),
                  C("E10.1,E11.1", "糖尿病酮症酸中毒")],
          beers=B("avoid_in_condition", "心衰老年患者避免（液体潴留、加重心衰）"),
          notes="水肿、体重增加、骨折风险")
drug("pioglitazone", "吡格列酮", "pioglitazone", "A10BG03", "噻唑烷二酮类", TZD, salts="盐酸吡格列酮",
     brands="艾可拓,卡司平", doses=[D("po", "15–30 mg qd", max_daily=45, unit="mg")],
     contra_extra=[C("C67", "膀胱癌或膀胱癌病史")])
drug("rosiglitazone", "罗格列酮", "rosiglitazone", "A10BG02", "噻唑烷二酮类", TZD, salts="马来酸罗格列酮",
     brands="文迪雅", doses=[D("po", "4–8 mg/d", max_daily=8, unit="mg")])
DPP4 = fam(tags="antidiabetic,dpp4_inhibitor", dup="dpp4_inhibitor", routes="po", forms="片剂",
           high_alert=OHA_HA, contra=[C("E10", "1型糖尿病"), C("K85", "胰腺炎病史", "caution")],
           preg=PG("B", "资料有限，妊娠期改用胰岛素"), lact=L("avoid"))
drug("sitagliptin", "西格列汀", "sitagliptin", "A10BH01", "DPP-4抑制剂", DPP4, salts="磷酸西格列汀", brands="捷诺维",
     doses=[D("po", "100 mg qd", max_daily=100, unit="mg")],
     renal=[R("eGFR", 45, "reduce_dose", "eGFR 30–44：50 mg qd；<30：25 mg qd")])
drug("saxagliptin", "沙格列汀", "saxagliptin", "A10BH03", "DPP-4抑制剂", DPP4, brands="安立泽",
     tags_extra="cyp3a4_substrate", doses=[D("po", "5 mg qd（合用强效CYP3A4抑制剂时 2.5 mg）", max_daily=5, unit="mg")],
     renal=[R("eGFR", 45, "reduce_dose", "eGFR<45：2.5 mg qd")], notes="心衰住院风险信号，心衰患者慎用")
drug("vildagliptin", "维格列汀", "vildagliptin", "A10BH02", "DPP-4抑制剂", DPP4, brands="佳维乐",
     doses=[D("po", "50 mg bid（与磺脲类合用 50 mg qd）", max_daily=100, unit="mg")],
     renal=[R("eGFR", 50, "reduce_dose", "中重度肾功能不全 50 mg qd")],
     hepatic=[H("any", "avoid", "肝功能不全（含ALT/AST>3×ULN）不推荐，用药期间监测肝功能")])
drug("linagliptin", "利格列汀", "linagliptin", "A10BH05", "DPP-4抑制剂", DPP4, brands="欧唐宁",
     doses=[D("po", "5 mg qd", max_daily=5, unit="mg", note="肾功能不全无需调整")])
drug("alogliptin", "阿格列汀", "alogliptin", "A10BH04", "DPP-4抑制剂", DPP4, salts="苯甲酸阿格列汀", brands="尼欣那",
     doses=[D("po", "25 mg qd", max_daily=25, unit="mg")],
     renal=[R("CrCl", 60, "reduce_dose", "CrCl 30–59：12.5 mg qd；<30：6.25 mg qd")])
SGLT2 = fam(tags="antidiabetic,sglt2_inhibitor,volume_depleting", dup="sglt2_inhibitor", routes="po", forms="片剂",
            high_alert=OHA_HA, preg=PG(None, "妊娠中晚期不推荐（动物实验肾脏影响）"), lact=L("avoid"),
            contra=[C("E10.1,E11.1,E13.1", "糖尿病酮症酸中毒"), C("E10", "1型糖尿病（非适应证）", "avoid"),
                    C("N18.6", "透析", "avoid")],
            beers=B("caution", "老年人注意血容量不足、泌尿生殖道感染和正常血糖酮症酸中毒"),
            notes="择期大手术前3天停药；生殖器真菌感染；罕见会阴坏死性筋膜炎")
drug("dapagliflozin", "达格列净", "dapagliflozin", "A10BK01", "SGLT2抑制剂", SGLT2, brands="安达唐",
     salts="达格列净丙二醇", doses=[D("po", "10 mg qd（部分患者血糖适应证从5 mg起）", max_daily=10, unit="mg")],
     renal=[R("eGFR", 25, "avoid", "eGFR<25 不建议起始；降糖作用在eGFR<45时明显减弱")])
drug("empagliflozin", "恩格列净", "empagliflozin", "A10BK03", "SGLT2抑制剂", SGLT2, brands="欧唐静",
     doses=[D("po", "10 mg qd，血糖需要时 25 mg qd", max_daily=25, unit="mg")],
     renal=[R("eGFR", 20, "avoid", "eGFR<20 不建议起始；降糖作用在eGFR<30时很弱")])
drug("canagliflozin", "卡格列净", "canagliflozin", "A10BK02", "SGLT2抑制剂", SGLT2, brands="怡可安",
     doses=[D("po", "100 mg qd 早餐前，可至 300 mg", max_daily=300, unit="mg")],
     renal=[R("eGFR", 30, "avoid", "eGFR<30 不建议起始；30–59 限100 mg qd")])
GLP1 = fam(tags="antidiabetic,glp1_ra", dup="glp1_ra", routes="sc", forms="注射液（预充笔）",
           preg=PG(None, "妊娠期不推荐，计划妊娠前停用"), lact=L("avoid"),
           contra=[C("C73", "甲状腺髓样癌个人或家族史"), C("D44.8", "2型多发性内分泌腺瘤病"),
                   C("K85", "胰腺炎病史", "caution")],
           notes="胃肠道反应常见；延缓胃排空可影响口服药吸收")
drug("liraglutide", "利拉鲁肽", "liraglutide", "A10BJ02", "GLP-1受体激动剂", GLP1, brands="诺和力",
     doses=[D("sc", "0.6 mg qd 起，1周后 1.2 mg，可至 1.8 mg qd", max_daily=1.8, unit="mg", indication="2型糖尿病")])
drug("semaglutide", "司美格鲁肽", "semaglutide", "A10BJ06", "GLP-1受体激动剂", GLP1, brands="诺和泰",
     doses=[D("sc", "0.25 mg 每周一次起，4周后 0.5 mg，可至 1 mg 每周一次", max_single=1, unit="mg",
              indication="2型糖尿病", note="国内降糖说明书上限；减重适应证剂量不同")])
drug("dulaglutide", "度拉糖肽", "dulaglutide", "A10BJ05", "GLP-1受体激动剂", GLP1, brands="度易达",
     doses=[D("sc", "0.75–1.5 mg 每周一次", max_single=1.5, unit="mg", note="国内说明书上限")])
drug("exenatide", "艾塞那肽", "exenatide", "A10BJ01", "GLP-1受体激动剂", GLP1, brands="百泌达",
     doses=[D("sc", "5 μg bid 餐前60 min 内，1个月后可 10 μg bid", max_daily=20, unit="μg")],
     renal=[R("CrCl", 30, "avoid", "CrCl<30 不推荐")])

INS_HA = "胰岛素，皮下或静脉注射（中国高警示药品推荐目录类别）"
INS = fam(tags="antidiabetic,insulin,hypoglycemia_risk", routes="sc", forms="注射液（笔芯/预充笔）",
          high_alert=INS_HA, preg=PG("B", "妊娠期高血糖首选胰岛素"), lact=L("compatible"),
          beers=B("avoid", "避免只用按血糖临时追加的短效胰岛素（滑动方案）而无基础胰岛素"),
          doses=[D("sc", "个体化，按血糖及体重滴定（U）")],
          notes="U-100 与高浓度规格混淆、将U误读为0 是常见差错；必须使用胰岛素专用注射器/笔")
drug("insulin_human_regular", "人胰岛素", "insulin human (regular)", "A10AB01", "短效胰岛素", INS,
     syn="胰岛素,普通胰岛素,正规胰岛素,常规胰岛素,短效胰岛素,RI", brands="诺和灵R,优泌林R,甘舒霖R",
     routes="sc,iv,im", tags_extra="insulin_short",
     doses=[D("sc", "餐前30 min 皮下，个体化（U）"), D("iv", "高血糖危象 0.1 U/kg/h 持续静脉泵入，按血糖调整")],
     notes="唯一常规可静脉使用的胰岛素类型；U-100与高浓度规格混淆是常见差错")
drug("insulin_nph", "精蛋白人胰岛素", "insulin isophane (NPH)", "A10AC01", "中效胰岛素", INS,
     syn="中效胰岛素,NPH", brands="诺和灵N,优泌林N,甘舒霖N", tags_extra="insulin_intermediate")
drug("insulin_human_30r", "精蛋白人胰岛素混合注射液（30R）", "biphasic isophane insulin 30/70", "A10AD01",
     "预混人胰岛素", INS, syn="预混人胰岛素30R,30/70混合胰岛素", brands="诺和灵30R,优泌林70/30,甘舒霖30R",
     tags_extra="insulin_premixed")
drug("insulin_aspart", "门冬胰岛素", "insulin aspart", "A10AB05", "速效胰岛素类似物", INS, brands="诺和锐",
     tags_extra="insulin_rapid", doses=[D("sc", "餐前即刻皮下，个体化（U）")])
drug("insulin_lispro", "赖脯胰岛素", "insulin lispro", "A10AB04", "速效胰岛素类似物", INS, brands="优泌乐",
     tags_extra="insulin_rapid", doses=[D("sc", "餐前0–15 min 皮下，个体化（U）")])
drug("insulin_glulisine", "谷赖胰岛素", "insulin glulisine", "A10AB06", "速效胰岛素类似物", INS, brands="艾倍得",
     tags_extra="insulin_rapid", preg=PG("C", "资料有限"))
drug("insulin_aspart_30", "门冬胰岛素30", "biphasic insulin aspart 30", "A10AD05", "预混胰岛素类似物", INS,
     syn="预混门冬胰岛素", brands="诺和锐30", tags_extra="insulin_premixed")
drug("insulin_lispro_25", "精蛋白锌重组赖脯胰岛素混合注射液（25）", "biphasic insulin lispro 25", "A10AD04",
     "预混胰岛素类似物", INS, syn="预混赖脯胰岛素25", brands="优泌乐25", tags_extra="insulin_premixed")
drug("insulin_glargine", "甘精胰岛素", "insulin glargine", "A10AE04", "长效胰岛素类似物", INS,
     brands="来得时,长秀霖", tags_extra="insulin_basal", preg=PG("C", "妊娠期使用资料逐渐增多，可在专科指导下使用"),
     doses=[D("sc", "每日固定时间一次，常从 0.1–0.2 U/kg 或 10 U 起，按空腹血糖滴定")])
drug("insulin_detemir", "地特胰岛素", "insulin detemir", "A10AE05", "长效胰岛素类似物", INS, brands="诺和平",
     tags_extra="insulin_basal")
drug("insulin_degludec", "德谷胰岛素", "insulin degludec", "A10AE06", "超长效胰岛素类似物", INS, brands="诺和达",
     tags_extra="insulin_basal", preg=PG(None, "妊娠期资料有限"))

_ = (X,)
