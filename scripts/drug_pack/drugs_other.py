"""Endocrine, bone, women's health, oncology (cytotoxics and supportive care), immunosuppressants,
electrolytes and fluids, anaesthesia adjuncts, antidotes and common 中成药."""

from __future__ import annotations

from .dsl import PG, B, C, D, H, L, P, R, X, drug, fam, pregnancy_letters

drug("levothyroxine", "左甲状腺素", "levothyroxine", "H03AA01", "甲状腺激素", None,
     tags="endocrine,thyroid_hormone,narrow_therapeutic_index", salts="左甲状腺素钠", brands="优甲乐,雷替斯,加衡",
     routes="po", forms="片剂",
     doses=[D("po", "25–50 μg qd 起（老年/冠心病 12.5–25 μg），按TSH每4–6周调整；完全替代约 1.6 μg/kg/d",
              note="晨起空腹，与钙、铁、抑酸药间隔≥4 h")],
     preg=PG("A", "妊娠期需求增加，通常需加量"), lact=L("compatible"),
     contra=[C("E27.1,E27.4", "未纠正的肾上腺皮质功能不全"), C("I21", "急性心肌梗死"), C("E05", "甲状腺毒症")])
ATD = fam(tags="endocrine,antithyroid,thionamide", dup="antithyroid", routes="po", forms="片剂", allergy="thionamide",
          cross=[X("thionamide", "moderate", "轻微皮疹可谨慎换用另一种；粒细胞缺乏或严重肝损后不应换用另一种硫脲类")],
          lact=L("compatible", "甲巯咪唑≤20 mg/d 哺乳可用"),
          notes="粒细胞缺乏（发热咽痛立即查血常规）、肝损伤、血管炎")
drug("methimazole", "甲巯咪唑", "methimazole", "H03BB02", "硫脲类抗甲状腺药", ATD, syn="他巴唑", brands="赛治",
     doses=[D("po", "初始 10–30 mg/d（qd），维持 5–10 mg/d")], preg=PG("D", "妊娠早期致畸（皮肤发育不全等），妊娠早期优先丙硫氧嘧啶"))
drug("propylthiouracil", "丙硫氧嘧啶", "propylthiouracil", "H03BA02", "硫脲类抗甲状腺药", ATD, syn="PTU",
     doses=[D("po", "初始 50–150 mg tid，维持 50–150 mg/d")],
     preg=PG("D", "妊娠早期优先选用；中晚期改甲巯咪唑（肝毒性）"),
     hepatic=[H("any", "monitor", "严重肝毒性警示，监测肝功能")])
CS = fam(tags="endocrine,corticosteroid_systemic,hyperglycemia_risk,gi_bleeding_risk", dup="systemic_corticosteroid",
         routes="po", forms="片剂", preg=PG("C", "长期大剂量影响胎儿生长；必要时可用（泼尼松胎盘转运少）"),
         lact=L("compatible", "泼尼松、泼尼松龙常规剂量哺乳可用"),
         contra=[C("B37,B38,B39,B44,B45,B46,B48,B49", "全身性真菌感染（未控制）"),
                 C("", "接种活疫苗期间（免疫抑制剂量）", "avoid")],
         beers=B("caution", "可致谵妄，老年人避免用于已有或高危谵妄者"),
         notes="长期使用：血糖、血压、骨质疏松、感染；不可骤停（肾上腺危象）")
drug("prednisone", "泼尼松", "prednisone", "H02AB07", "中效糖皮质激素", CS, syn="强的松,去氢可的松",
     salts="醋酸泼尼松", doses=[D("po", "5–60 mg/d（约 0.5–1 mg/kg/d），晨起顿服")],
     hepatic=[H("severe", "avoid", "需经肝活化，严重肝病改用泼尼松龙")])
drug("prednisolone", "泼尼松龙", "prednisolone", "H02AB06", "中效糖皮质激素", CS, syn="强的松龙",
     salts="醋酸泼尼松龙", doses=[D("po", "5–60 mg/d")])
drug("methylprednisolone", "甲泼尼龙", "methylprednisolone", "H02AB04", "中效糖皮质激素", CS, syn="甲基强的松龙",
     salts="甲泼尼龙琥珀酸钠,醋酸甲泼尼龙", brands="美卓乐,甲强龙", routes="po,iv,im", forms="片剂,注射用粉针",
     tags_extra="cyp3a4_substrate",
     doses=[D("po", "4–48 mg/d"), D("iv", "40–80 mg qd–bid；冲击 500–1000 mg/d×3 d（输注≥30 min）")])
drug("dexamethasone", "地塞米松", "dexamethasone", "H02AB02", "长效糖皮质激素", CS, syn="氟美松",
     salts="地塞米松磷酸钠,醋酸地塞米松", routes="po,iv,im", forms="片剂,注射液", tags_extra="cyp3a4_moderate_inducer",
     doses=[D("iv", "按适应证：止吐 8–12 mg；脑水肿 10 mg 后 4 mg q6h"), D("po", "0.75–6 mg/d")])
drug("hydrocortisone", "氢化可的松", "hydrocortisone", "H02AB09", "短效糖皮质激素", CS, syn="可的松醇",
     salts="氢化可的松琥珀酸钠", routes="iv,po", forms="注射液,注射用粉针,片剂",
     doses=[D("iv", "肾上腺危象 100 mg 静注后 200 mg/24 h；感染性休克 200 mg/d"), D("po", "替代治疗 15–25 mg/d 分次")],
     notes="普通氢化可的松注射液含约50%乙醇，与头孢哌酮、甲硝唑等合用可致双硫仑样反应，宜选琥珀酸钠盐")
drug("alendronate", "阿仑膦酸钠", "alendronate", "M05BA04", "双膦酸盐", None, tags="bone,bisphosphonate",
     dup="bisphosphonate", syn="阿仑膦酸", brands="福善美,固邦", routes="po", forms="片剂",
     doses=[D("po", "70 mg 每周一次或 10 mg qd，晨起空腹足量清水送服，服后30 min内保持直立且不进食")],
     renal=[R("CrCl", 35, "avoid", "CrCl<35 不推荐")],
     contra=[C("K22.0,K22.2", "食管狭窄、贲门失弛缓等延迟食管排空的异常"), C("", "不能站立或坐直至少30分钟"),
             C("E83.5", "低钙血症")], preg=PG("C", "妊娠期不用"), notes="颌骨坏死、非典型股骨骨折（长期）")
drug("zoledronic_acid", "唑来膦酸", "zoledronic acid", "M05BA08", "双膦酸盐（静脉）", None, tags="bone,bisphosphonate,nephrotoxic",
     dup="bisphosphonate", brands="密固达,择泰", routes="iv", forms="注射液",
     doses=[D("iv", "骨质疏松 5 mg 每年一次，静滴≥15 min；骨转移 4 mg q3–4周（不同规格勿混用）")],
     renal=[R("CrCl", 35, "contraindicated", "骨质疏松适应证 CrCl<35 禁用；肿瘤适应证按CrCl减量")],
     contra=[C("E83.5", "低钙血症（需先纠正）")], preg=PG("D", "妊娠期禁用"), notes="急性期反应（发热、肌痛）；颌骨坏死")
drug("calcitriol", "骨化三醇", "calcitriol", "A11CC04", "活性维生素D", None, tags="bone,active_vitamin_d", dup="active_vitamin_d",
     brands="罗盖全", routes="po", forms="软胶囊", doses=[D("po", "0.25 μg qd–bid，按血钙调整")],
     contra=[C("E83.5", "高钙血症")], notes="监测血钙、尿钙")
drug("alfacalcidol", "阿法骨化醇", "alfacalcidol", "A11CC03", "活性维生素D", None, tags="bone,active_vitamin_d",
     dup="active_vitamin_d", brands="阿法迪三,萌格旺", routes="po", forms="软胶囊", doses=[D("po", "0.25–1 μg qd")],
     contra=[C("E83.5", "高钙血症")])
drug("calcium_carbonate_d3", "碳酸钙D3", "calcium carbonate/colecalciferol", "A12AX", "钙剂/维生素D复方", None,
     tags="bone,calcium_supplement,polyvalent_cation", syn="碳酸钙维生素D3", brands="钙尔奇D", routes="po",
     forms="片剂,颗粒", doses=[D("po", "元素钙 500–600 mg qd–bid")],
     contra=[C("E83.5", "高钙血症"), C("N20", "含钙肾结石", "caution")])
drug("denosumab", "地舒单抗", "denosumab", "M05BX04", "RANKL单克隆抗体", None, tags="bone,rankl_inhibitor",
     brands="普罗力,安加维", routes="sc", forms="注射液（预充针）",
     doses=[D("sc", "骨质疏松 60 mg 每6个月（普罗力）；骨转移 120 mg 每4周（安加维），两种规格勿混用")],
     contra=[C("E83.5", "低钙血症")], preg=PG(None, "妊娠期禁用"),
     notes="停药后骨量快速丢失、多发椎体骨折，停用需序贯双膦酸盐；CKD患者低钙风险高")
drug("calcitonin_salmon", "鲑降钙素", "calcitonin (salmon)", "H05BA01", "降钙素", None, tags="bone,calcitonin",
     brands="密盖息", routes="sc,im,nasal", forms="注射液,鼻喷剂", doses=[D("sc", "50–100 IU qd 或隔日")],
     notes="长期使用恶性肿瘤风险略增，一般限短疗程")
drug("teriparatide", "特立帕肽", "teriparatide", "H05AA02", "甲状旁腺激素类似物", None, tags="bone,pth_analogue",
     brands="复泰奥,欣复泰", routes="sc", forms="注射液", doses=[D("sc", "20 μg qd，总疗程一般≤24个月")],
     contra=[C("E83.5", "高钙血症"), C("M88", "Paget骨病"), C("C40,C41", "骨肿瘤/骨转移"), C("", "既往骨骼放疗")])
drug("estradiol_valerate", "戊酸雌二醇", "estradiol valerate", "G03CA03", "雌激素", None, tags="hormone,estrogen",
     dup="estrogen", brands="补佳乐", routes="po", forms="片剂", doses=[D("po", "1–2 mg qd")],
     contra=[C("C50", "乳腺癌"), C("I80,I26", "静脉血栓栓塞或病史"), C("K70,K71,K72", "活动性肝病"),
             C("N93", "不明原因阴道出血"), C("Z33", "妊娠"), C("C54", "雌激素依赖性肿瘤")],
     preg=PG("X", "妊娠期禁用"), beers=B("avoid", "老年女性避免口服/经皮全身雌激素（乳腺癌、子宫内膜癌、血栓风险）"))
drug("progesterone", "黄体酮", "progesterone", "G03DA04", "孕激素", None, tags="hormone,progestogen", brands="安琪坦,琪宁",
     routes="po,im,vaginal", forms="软胶囊,注射液,阴道凝胶",
     doses=[D("po", "微粒化 200 mg qn（按适应证）"), D("im", "20 mg qd（按适应证）")],
     contra=[C("K72", "严重肝功能不全"), C("I80,I26", "血栓栓塞性疾病", "caution")])
drug("drospirenone_ethinylestradiol", "屈螺酮炔雌醇", "drospirenone/ethinylestradiol", "G03AA12", "复方口服避孕药", None,
     tags="hormone,estrogen,combined_oral_contraceptive,hyperkalemia_risk", dup="estrogen", brands="优思明,优思悦",
     routes="po", forms="片剂", doses=[D("po", "每日1片，按包装顺序服用")],
     contra=[C("I80,I26,I63", "静脉/动脉血栓栓塞或病史"), C("", "≥35岁且吸烟"), C("C50", "乳腺癌"),
             C("N18.4,N18.5", "严重肾功能不全"), C("K72", "严重肝病"), C("G43.1", "有先兆偏头痛")])
drug("levonorgestrel", "左炔诺孕酮", "levonorgestrel", "G03AD01", "孕激素（紧急避孕）", None, tags="hormone,progestogen",
     brands="毓婷,金毓婷", routes="po", forms="片剂", doses=[D("po", "紧急避孕 1.5 mg 单次（无保护性交72 h内尽早）")],
     notes="合用肝酶诱导剂时紧急避孕效果下降")
drug("oxytocin", "缩宫素", "oxytocin", "H01BB02", "子宫收缩药", None, tags="obstetric,uterotonic", syn="催产素",
     routes="iv,im", forms="注射液",
     doses=[D("iv", "引产 2.5 U 加入 500 mL，1–2 mU/min 起逐步调整，需胎心监护"), D("im", "产后出血预防 10 U")],
     high_alert="缩宫素静脉注射（高警示品种）", contra=[C("O32,O33", "头盆不称、胎位异常"), C("O44", "前置胎盘"),
                                               C("O36.3", "胎儿窘迫")],
     notes="子宫过度刺激、水中毒（大剂量长时间）")
drug("magnesium_sulfate", "硫酸镁", "magnesium sulfate", "B05XA05", "电解质/抗惊厥（子痫）", None,
     tags="electrolyte,magnesium", routes="iv,im,po", forms="注射液,散剂",
     doses=[D("iv", "子痫前期 负荷 4–6 g 15–20 min 静滴，维持 1–2 g/h", max_daily=30, unit="g",
              note="24 h总量一般25–30 g；口服导泻为另一适应证")],
     renal=[R("CrCl", 30, "reduce_dose", "肾功能不全易镁中毒，减量并监测血镁")],
     contra=[C("G70.0", "重症肌无力"), C("I44.2", "心脏传导阻滞", "caution")],
     high_alert="硫酸镁注射液（高警示品种）",
     notes="监测膝反射、呼吸≥16次/分、尿量≥25 mL/h；解毒剂为葡萄糖酸钙")
drug("ferrous_succinate", "琥珀酸亚铁", "ferrous succinate", "B03AA06", "口服铁剂", None,
     tags="hematinic,iron_oral,polyvalent_cation", dup="iron_oral", brands="速力菲", routes="po", forms="片剂",
     doses=[D("po", "0.1–0.2 g tid（治疗）")], contra=[C("D56,D57,E83.1", "非缺铁性贫血、血色病/铁过载")],
     notes="与抑酸药、钙剂、茶同服降低吸收；与喹诺酮、四环素间隔服用")
drug("polysaccharide_iron", "多糖铁复合物", "polysaccharide-iron complex", None, "口服铁剂", None,
     tags="hematinic,iron_oral,polyvalent_cation", dup="iron_oral", brands="力蜚能", routes="po", forms="胶囊",
     doses=[D("po", "0.15–0.3 g qd")], contra=[C("E83.1", "铁过载")])
drug("iron_sucrose", "蔗糖铁", "iron sucrose", None, "静脉铁剂", None, tags="hematinic,iron_iv", brands="维乐福",
     routes="iv", forms="注射液", doses=[D("iv", "100–200 mg/次，每周1–3次，按总缺铁量计算", max_single=200, unit="mg",
                                         note="单次上限以说明书为准")],
     contra=[C("E83.1", "铁过载"), C("D56,D57", "非缺铁性贫血")], notes="首次输注需观察过敏反应")
drug("folic_acid", "叶酸", "folic acid", "B03BB01", "B族维生素", None, tags="hematinic,vitamin", routes="po",
     forms="片剂", doses=[D("po", "孕前及孕早期预防 0.4 mg qd（高危 4 mg）；巨幼细胞贫血 5–10 mg tid")],
     preg=PG("A", "妊娠期推荐补充"), notes="维生素B12缺乏者单用叶酸可掩盖神经损害")
drug("mecobalamin", "甲钴胺", "mecobalamin", "B03BA05", "维生素B12类", None, tags="hematinic,vitamin", brands="弥可保",
     routes="po,im,iv", forms="片剂,注射液", doses=[D("po", "0.5 mg tid")])
drug("epoetin", "重组人促红素", "epoetin alfa", "B03XA01", "促红细胞生成素", None, tags="hematinic,esa",
     syn="促红素,EPO,重组人促红细胞生成素", brands="益比奥,怡宝", routes="sc,iv", forms="注射液",
     doses=[D("sc", "肾性贫血 50–150 IU/kg 每周分1–3次，Hb目标一般100–120 g/L（不超过130 g/L）")],
     contra=[C("I10", "未控制的高血压"), C("D60", "纯红细胞再生障碍（抗体介导）")],
     notes="血栓、高血压；使用前纠正缺铁")
drug("finasteride", "非那雄胺", "finasteride", "G04CB01", "5α还原酶抑制剂", None, tags="urology,five_ari",
     brands="保列治,保法止", routes="po", forms="片剂", doses=[D("po", "良性前列腺增生 5 mg qd", max_daily=5, unit="mg")],
     preg=PG("X", "孕妇及可能妊娠女性不应接触碎片"), notes="使PSA约降低一半，解读需校正")
drug("tolterodine", "托特罗定", "tolterodine", "G04BD07", "M受体阻断剂（膀胱）", None,
     tags="urology,antimuscarinic_bladder,anticholinergic,cyp2d6_substrate,cyp3a4_substrate,qt_possible",
     salts="酒石酸托特罗定", brands="得妥,舍尼亭", routes="po", forms="片剂,缓释胶囊",
     doses=[D("po", "2 mg bid（肝功能不全或合用强效CYP3A4抑制剂 1 mg bid）", max_daily=4, unit="mg")],
     contra=[C("R33", "尿潴留"), C("H40.2", "未控制的闭角型青光眼"), C("G70.0", "重症肌无力")],
     beers=B("avoid_in_condition", "抗胆碱药，痴呆/认知障碍或谵妄老年患者避免"))
drug("solifenacin", "索利那新", "solifenacin", "G04BD08", "M受体阻断剂（膀胱）", None,
     tags="urology,antimuscarinic_bladder,anticholinergic,cyp3a4_substrate,qt_possible", salts="琥珀酸索利那新",
     brands="卫喜康", routes="po", forms="片剂",
     doses=[D("po", "5 mg qd，可至 10 mg qd", max_daily=10, unit="mg", note="CrCl<30、中度肝损或合用强效CYP3A4抑制剂时≤5 mg")],
     contra=[C("R33", "尿潴留"), C("H40.2", "未控制的闭角型青光眼"), C("G70.0", "重症肌无力")],
     beers=B("avoid_in_condition", "抗胆碱药，痴呆/认知障碍或谵妄老年患者避免"))
PDE5 = fam(tags="urology,pde5_inhibitor,cyp3a4_substrate", dup="pde5_inhibitor", routes="po", forms="片剂",
           contra=[C("", "正在使用任何硝酸酯类或一氧化氮供体（含尼可地尔）"), C("I20.0,I21", "不稳定心绞痛或近期心肌梗死", "avoid"),
                   C("I95", "低血压（<90/50 mmHg）", "avoid")])
drug("sildenafil", "西地那非", "sildenafil", "G04BE03", "磷酸二酯酶5抑制剂", PDE5, salts="枸橼酸西地那非", brands="万艾可,金戈",
     doses=[D("po", "ED 50 mg 按需（25–100 mg），每日≤1次", max_daily=100, unit="mg", indication="勃起功能障碍"),
            D("po", "肺动脉高压 20 mg tid", indication="肺动脉高压")])
drug("tadalafil", "他达拉非", "tadalafil", "G04BE08", "磷酸二酯酶5抑制剂", PDE5, brands="希爱力,万胜",
     doses=[D("po", "ED 10–20 mg 按需或 5 mg qd", max_daily=20, unit="mg")],
     renal=[R("CrCl", 30, "reduce_dose", "CrCl<30 按需≤5 mg，每72 h不超过1次")])

CHEMO_HA = "非肠道和口服化疗药（中国高警示药品推荐目录类别）"
CHEMO = fam(tags="oncology,antineoplastic,cytotoxic,myelosuppressive", routes="iv", forms="注射液,注射用粉针",
            high_alert=CHEMO_HA, preg=PG("D", "妊娠期一般禁用，育龄人群避孕"), lact=L("avoid"),
            notes="按体表面积/方案给药，双人核对，按细胞毒药物规范配置与处置")
drug("methotrexate", "甲氨蝶呤", "methotrexate", "L01BA01", "抗代谢类（叶酸拮抗剂）/免疫抑制剂", CHEMO,
     tags="oncology,antineoplastic,cytotoxic,myelosuppressive,folate_antagonist,immunosuppressant,hepatotoxic",
     salts="甲氨蝶呤钠", routes="po,iv,im,intrathecal", forms="片剂,注射液",
     doses=[D("po", "类风湿关节炎/银屑病 7.5–25 mg 每周一次（不是每日）", max_single=25, unit="mg",
              indication="非肿瘤（每周方案）", note="每日误服可致死；加用叶酸"),
            D("iv", "肿瘤方案按体表面积（大剂量需亚叶酸钙解救和血药浓度监测）", indication="肿瘤")],
     renal=[R("CrCl", 30, "contraindicated", "低剂量方案 CrCl<30 禁用；30–59 减量约50%")],
     hepatic=[H("moderate", "avoid", "肝病、酗酒者避免")],
     preg=PG("X", "致流产和畸形；男女均需停药后避孕（女性≥6个月，男性≥3个月）"),
     contra=[C("Z33", "妊娠"), C("D61,D70", "骨髓抑制"), C("F10.2", "酒精依赖"), C("D84.9", "免疫缺陷")],
     high_alert="甲氨蝶呤（口服，非肿瘤用途，高警示品种）及化疗药")
drug("cyclophosphamide", "环磷酰胺", "cyclophosphamide", "L01AA01", "烷化剂", CHEMO, routes="iv,po",
     doses=[D("iv", "按方案与体表面积")], notes="出血性膀胱炎（水化，大剂量用美司钠）")
drug("cisplatin", "顺铂", "cisplatin", "L01XA01", "铂类", CHEMO, tags_extra="nephrotoxic,ototoxic,platinum",
     doses=[D("iv", "按方案，常见 50–100 mg/m² 每周期", note="单周期>100 mg/m² 需核对方案")],
     renal=[R("CrCl", 60, "reduce_dose", "CrCl<60 减量或换药，充分水化")], allergy="platinum",
     cross=[X("platinum", "moderate", "铂类之间可交叉过敏")], notes="高致吐；耳毒性；低镁")
drug("carboplatin", "卡铂", "carboplatin", "L01XA02", "铂类", CHEMO, tags_extra="platinum",
     doses=[D("iv", "按Calvert公式 AUC 5–6（GFR上限按125 mL/min计算）")], allergy="platinum",
     cross=[X("platinum", "moderate", "多周期后过敏反应增多，铂类间可交叉")])
drug("oxaliplatin", "奥沙利铂", "oxaliplatin", "L01XA03", "铂类", CHEMO, tags_extra="platinum",
     doses=[D("iv", "85–130 mg/m² q2–3w，仅用5%葡萄糖稀释")], allergy="platinum",
     cross=[X("platinum", "moderate", "铂类之间可交叉过敏")], notes="冷诱发周围神经病；不可与氯化钠溶液配伍")
drug("fluorouracil", "氟尿嘧啶", "fluorouracil", "L01BC02", "抗代谢类（嘧啶类似物）", CHEMO, syn="5-FU",
     doses=[D("iv", "按方案（如 400 mg/m² 静注 + 2400 mg/m² 46 h 持续输注）")],
     contra=[C("E88.8", "已知完全DPD缺乏")], notes="DPD缺乏者致死性毒性；升高华法林效应")
drug("capecitabine", "卡培他滨", "capecitabine", "L01BC06", "抗代谢类（氟尿嘧啶前体）", CHEMO, brands="希罗达,卓仑",
     routes="po", forms="片剂", doses=[D("po", "1000–1250 mg/m² bid，d1–14，q3w，餐后30 min")],
     renal=[R("CrCl", 50, "reduce_dose", "CrCl 30–50 起始剂量减至75%；<30 禁用")],
     contra=[C("E88.8", "已知完全DPD缺乏")], notes="手足综合征、腹泻；显著增强华法林作用")
drug("paclitaxel", "紫杉醇", "paclitaxel", "L01CD01", "紫杉烷类", CHEMO, brands="泰素,紫素,安泰素",
     tags_extra="cyp2c8_substrate,cyp3a4_substrate",
     doses=[D("iv", "135–175 mg/m² q3w（或周方案），预处理地塞米松+H1+H2拮抗剂，用非PVC输液器及0.22 μm滤器")],
     allergy="taxane", cross=[X("taxane", "moderate", "紫杉醇与多西他赛可交叉过敏")],
     notes="与白蛋白结合型紫杉醇剂量不同，不可互换")
drug("paclitaxel_albumin", "紫杉醇（白蛋白结合型）", "nab-paclitaxel", "L01CD01", "紫杉烷类（白蛋白结合型）", CHEMO,
     syn="白蛋白紫杉醇,注射用紫杉醇（白蛋白结合型）", brands="克艾力,艾越", tags_extra="cyp2c8_substrate,cyp3a4_substrate",
     doses=[D("iv", "260 mg/m² q3w 或按方案周疗")], allergy="taxane",
     notes="与普通紫杉醇剂量和配制方式不同，名称相似易混淆")
drug("docetaxel", "多西他赛", "docetaxel", "L01CD02", "紫杉烷类", CHEMO, brands="泰索帝,多帕菲",
     tags_extra="cyp3a4_substrate", doses=[D("iv", "60–100 mg/m² q3w（常用75），地塞米松预处理")],
     hepatic=[H("mild", "avoid", "胆红素>ULN或转氨酶明显升高伴ALP升高者一般不用")],
     allergy="taxane", cross=[X("taxane", "moderate", "可与紫杉醇交叉过敏")], notes="液体潴留、中性粒细胞减少")
drug("doxorubicin", "多柔比星", "doxorubicin", "L01DB01", "蒽环类", CHEMO, syn="阿霉素", salts="盐酸多柔比星",
     tags_extra="cardiotoxic", doses=[D("iv", "60–75 mg/m² q3w", note="累积剂量一般≤450–550 mg/m²（心脏毒性）")],
     hepatic=[H("mild", "reduce_dose", "按胆红素减量")], notes="与多柔比星脂质体剂量不同，不可互换；强刺激性，防外渗")
drug("gemcitabine", "吉西他滨", "gemcitabine", "L01BC05", "抗代谢类", CHEMO, salts="盐酸吉西他滨", brands="健择",
     doses=[D("iv", "1000–1250 mg/m² d1、d8 q3w 或按方案，输注30 min")])
drug("etoposide", "依托泊苷", "etoposide", "L01CB01", "拓扑异构酶II抑制剂", CHEMO, syn="VP-16", routes="iv,po",
     doses=[D("iv", "按方案 50–100 mg/m² d1–5")])
drug("vincristine", "长春新碱", "vincristine", "L01CA02", "长春碱类", CHEMO, salts="硫酸长春新碱",
     tags_extra="cyp3a4_substrate,neurotoxic",
     doses=[D("iv", "1.4 mg/m²，单次最大 2 mg，仅限静脉", max_single=2, unit="mg")],
     contra=[C("", "鞘内注射（致死）"), C("G60,G61", "脱髓鞘型遗传性周围神经病（Charcot-Marie-Tooth）")],
     notes="鞘内误注致死：注射器标注“仅供静脉使用”，宜小袋稀释静滴")
drug("tamoxifen", "他莫昔芬", "tamoxifen", "L02BA01", "选择性雌激素受体调节剂", None,
     tags="oncology,antineoplastic,hormonal_antineoplastic,cyp2d6_substrate", salts="枸橼酸他莫昔芬", brands="诺瓦得士",
     routes="po", forms="片剂", doses=[D("po", "20 mg qd")], preg=PG("D", "妊娠期禁用"),
     contra=[C("I80,I26", "静脉血栓栓塞史", "caution")], notes="子宫内膜增生/癌、血栓")
drug("megestrol", "甲地孕酮", "megestrol acetate", "L02AB01", "孕激素类（抗肿瘤/食欲刺激）", None,
     tags="oncology,hormonal_antineoplastic,progestogen", salts="醋酸甲地孕酮", routes="po", forms="片剂,口服混悬液",
     doses=[D("po", "肿瘤 160 mg/d；恶病质 400–800 mg/d")], preg=PG("X", "妊娠期禁用"),
     beers=B("avoid", "老年人避免（血栓风险、可能增加死亡，增重作用有限）"))
drug("filgrastim", "重组人粒细胞刺激因子", "filgrastim", "L03AA02", "粒细胞集落刺激因子", None,
     tags="oncology_supportive,g_csf", dup="g_csf", syn="G-CSF,粒细胞集落刺激因子", routes="sc,iv", forms="注射液",
     doses=[D("sc", "2–5 μg/kg qd，化疗结束24–72 h后开始")], notes="骨痛；化疗前后24 h内不使用")
drug("pegfilgrastim", "聚乙二醇化重组人粒细胞刺激因子", "pegfilgrastim", "L03AA13", "长效粒细胞集落刺激因子", None,
     tags="oncology_supportive,g_csf", dup="g_csf", syn="PEG-rhG-CSF,长效升白针", brands="津优力,新瑞白", routes="sc",
     forms="注射液", doses=[D("sc", "6 mg 或 100 μg/kg 每化疗周期一次，化疗结束≥24 h后")],
     notes="与短效G-CSF同一周期重复使用属重复用药")
drug("mesna", "美司钠", "mesna", "V03AF01", "尿路保护剂", None, tags="oncology_supportive,uroprotectant", routes="iv,po",
     forms="注射液", doses=[D("iv", "异环磷酰胺剂量的20%，于0、4、8 h各一次")])
drug("calcium_folinate", "亚叶酸钙", "calcium folinate", "V03AF03", "叶酸类解救剂/增效剂", None,
     tags="oncology_supportive,folate_rescue", syn="甲酰四氢叶酸钙,CF", routes="iv,im,po", forms="注射液,注射用粉针,片剂",
     doses=[D("iv", "甲氨蝶呤解救按方案和血药浓度（如 15 mg q6h）；联合氟尿嘧啶 200–400 mg/m²")],
     contra=[C("D51", "维生素B12缺乏所致恶性贫血"), C("", "鞘内注射")])
drug("calcium_levofolinate", "左亚叶酸钙", "calcium levofolinate", "V03AF04", "叶酸类解救剂/增效剂", None,
     tags="oncology_supportive,folate_rescue", routes="iv", forms="注射用粉针",
     doses=[D("iv", "剂量为消旋亚叶酸钙的一半")], notes="与亚叶酸钙剂量不等同，换用需折算")
drug("tacrolimus", "他克莫司", "tacrolimus", "L04AD02", "钙调磷酸酶抑制剂", None,
     tags="immunosuppressant,calcineurin_inhibitor,cyp3a4_substrate,nephrotoxic,hyperkalemia_risk,qt_possible,"
          "narrow_therapeutic_index", brands="普乐可复,新普乐可复,赛福开", routes="po,iv,topical",
     forms="胶囊,缓释胶囊,注射液,软膏", doses=[D("po", "0.05–0.15 mg/kg/d 分2次（缓释剂型qd），按谷浓度调整")],
     preg=PG("C", "移植受者妊娠需专科管理"), lact=L("caution"),
     notes="普通剂型与缓释剂型（每日一次）不可按同剂量直接互换")
drug("cyclosporine", "环孢素", "ciclosporin", "L04AD01", "钙调磷酸酶抑制剂", None,
     tags="immunosuppressant,calcineurin_inhibitor,cyp3a4_substrate,cyp3a4_moderate_inhibitor,pgp_inhibitor,oatp1b1_inhibitor,"
          "nephrotoxic,hyperkalemia_risk,narrow_therapeutic_index",
     syn="环孢菌素,环孢素A,CsA", brands="新山地明,田可", routes="po,iv", forms="软胶囊,口服液,注射液",
     doses=[D("po", "2–5 mg/kg/d 分2次（移植按谷浓度）")], preg=PG("C", "移植受者妊娠需专科管理"), lact=L("caution"),
     contra=[C("I10", "未控制的高血压", "caution")])
drug("mycophenolate_mofetil", "吗替麦考酚酯", "mycophenolate mofetil", "L04AA06", "抗代谢类免疫抑制剂", None,
     tags="immunosuppressant,myelosuppressive", syn="霉酚酸酯,MMF", brands="骁悉,赛可平", routes="po,iv",
     forms="胶囊,片剂,注射用粉针", doses=[D("po", "0.5–1.5 g bid", max_daily=3, unit="g")],
     preg=PG("D", "致流产和畸形，妊娠期禁用；育龄女性需有效避孕"), lact=L("avoid"), contra=[C("Z33", "妊娠")],
     notes="与麦考酚钠肠溶片剂量不等同")
drug("azathioprine", "硫唑嘌呤", "azathioprine", "L04AX01", "嘌呤类免疫抑制剂", None,
     tags="immunosuppressant,myelosuppressive,thiopurine", brands="依木兰", routes="po", forms="片剂",
     doses=[D("po", "1–2.5 mg/kg/d（常用 50–150 mg/d）")],
     preg=PG("D", "妊娠期权衡使用"), lact=L("caution"),
     notes="用药前建议检测TPMT/NUDT15（东亚人群NUDT15变异较常见）；监测血常规和肝功能")
drug("hydroxychloroquine", "羟氯喹", "hydroxychloroquine", "P01BA02", "抗疟药/改善病情抗风湿药", None,
     tags="immunomodulator,antimalarial,qt_known", salts="硫酸羟氯喹", brands="纷乐", routes="po", forms="片剂",
     doses=[D("po", "200 mg bid（按实际体重≤5 mg/kg/d）", max_daily=400, unit="mg")],
     preg=PG("C", "SLE妊娠期通常继续使用"), lact=L("compatible"),
     contra=[C("H35.3", "黄斑病变", "avoid")], notes="视网膜病变：基线及用药5年后每年眼科筛查；G6PD缺乏慎用；低血糖")
drug("leflunomide", "来氟米特", "leflunomide", "L04AA13", "嘧啶合成抑制剂（DMARD）", None,
     tags="immunosuppressant,hepatotoxic", brands="爱若华", routes="po", forms="片剂",
     doses=[D("po", "10–20 mg qd", max_daily=20, unit="mg")],
     preg=PG("X", "致畸；计划妊娠需停药并用考来烯胺洗脱"), lact=L("avoid"),
     contra=[C("Z33", "妊娠"), C("K70,K71,K72,K73,K74", "肝功能不全")])

drug("potassium_chloride", "氯化钾", "potassium chloride", "B05XA01", "电解质补充剂", None,
     tags="electrolyte,potassium_supplement", syn="KCl,10%氯化钾,15%氯化钾", brands="补达秀", routes="po,iv",
     forms="缓释片,口服溶液,注射液",
     doses=[D("po", "1–2 g tid（缓释片整片吞服）"),
            D("iv", "稀释后静滴：外周静脉浓度一般≤0.3%（约40 mmol/L），速度一般≤10–20 mmol/h；严禁静脉推注",
              note="每日补钾量按血钾和尿量确定，见尿补钾")],
     renal=[R("eGFR", 30, "caution", "少尿/无尿或严重肾功能不全易致高钾，需监测")],
     contra=[C("E87.5", "高钾血症"), C("R34", "无尿")],
     high_alert="浓氯化钾注射液（10%、15%等浓溶液，高警示品种）；口服制剂不在此列",
     notes="口服制剂 ATC A12BA01")
drug("potassium_magnesium_aspartate", "门冬氨酸钾镁", "potassium magnesium aspartate", None, "电解质补充剂", None,
     tags="electrolyte,potassium_supplement,magnesium", brands="潘南金", routes="po,iv", forms="片剂,注射液",
     doses=[D("iv", "10–20 mL 稀释后缓慢静滴"), D("po", "1–2 片 tid")],
     contra=[C("E87.5", "高钾血症"), C("R34", "无尿"), C("I44.2", "三度房室传导阻滞")])
drug("sodium_chloride_hypertonic", "浓氯化钠注射液", "hypertonic sodium chloride", "B05XA03", "电解质（高渗）", None,
     tags="electrolyte,hypertonic_saline", syn="10%氯化钠注射液,3%氯化钠注射液,高渗盐水", routes="iv", forms="注射液",
     doses=[D("iv", "按血钠目标计算，3% 溶液纠正症状性低钠；24 h内血钠升高一般≤8–10 mmol/L")],
     high_alert="氯化钠注射液（高渗，浓度>0.9%）", notes="10%浓溶液须稀释，不可直接静脉推注；纠正过快致渗透性脱髓鞘")
drug("sodium_bicarbonate", "碳酸氢钠", "sodium bicarbonate", "B05XA02", "碱化剂", None, tags="electrolyte,alkalinizer",
     syn="小苏打,5%碳酸氢钠", routes="iv,po", forms="注射液,片剂",
     doses=[D("iv", "按血气碱剩余计算，5% 溶液分次静滴"), D("po", "0.5–1 g tid")],
     contra=[C("E87.3", "代谢性或呼吸性碱中毒"), C("E87.6", "低钾血症未纠正", "caution")],
     notes="与钙剂、多数药物配伍禁忌；口服可改变其他药物吸收")
drug("calcium_gluconate", "葡萄糖酸钙", "calcium gluconate", "A12AA03", "钙剂", None,
     tags="electrolyte,calcium_iv,calcium_supplement", routes="iv,po", forms="注射液,片剂,口服溶液",
     doses=[D("iv", "10% 10–20 mL 稀释后缓慢静注（≥10 min）或静滴")],
     contra=[C("E83.5", "高钙血症")], notes="外渗致组织坏死；使用强心苷期间静注钙剂需谨慎")
drug("glucose_hypertonic", "高渗葡萄糖注射液", "hypertonic glucose (≥20%)", "B05BA03", "高渗糖", None,
     tags="electrolyte,glucose_hypertonic", syn="50%葡萄糖注射液,50%GS,高渗葡萄糖", routes="iv", forms="注射液",
     doses=[D("iv", "低血糖 50% 20–40 mL 静注")], high_alert="高渗葡萄糖注射液（20%或以上）",
     notes="外周静脉刺激性大，外渗致组织损伤")
drug("human_albumin", "人血白蛋白", "human albumin", "B05AA01", "血浆制品", None, tags="plasma_product",
     syn="白蛋白", routes="iv", forms="注射液", doses=[D("iv", "10–20 g 静滴，按适应证")],
     contra=[C("I50", "严重心衰/肺水肿", "caution")], notes="适应证应符合《血液制品临床应用》相关规范，避免用于单纯营养支持")

NMB = fam(tags="anesthesia,neuromuscular_blocker", dup="neuromuscular_blocker", routes="iv", forms="注射液",
          high_alert="神经肌肉阻断剂", notes="仅在具备气道管理条件下使用；储存隔离并醒目标识")
drug("rocuronium", "罗库溴铵", "rocuronium", "M03AC09", "非去极化肌松药", NMB, brands="爱可松",
     doses=[D("iv", "插管 0.6 mg/kg（快速顺序诱导 1.0–1.2 mg/kg）")])
drug("vecuronium", "维库溴铵", "vecuronium", "M03AC03", "非去极化肌松药", NMB, forms="注射用粉针",
     doses=[D("iv", "0.08–0.1 mg/kg")])
drug("cisatracurium", "顺阿曲库铵", "cisatracurium", "M03AC11", "非去极化肌松药", NMB, salts="苯磺顺阿曲库铵",
     doses=[D("iv", "0.15–0.2 mg/kg")], notes="霍夫曼消除，肝肾功能不全可用")
drug("succinylcholine", "琥珀胆碱", "suxamethonium", "M03AB01", "去极化肌松药", NMB, syn="司可林,琥珀酰胆碱,氯化琥珀胆碱",
     doses=[D("iv", "1–1.5 mg/kg")],
     contra=[C("T88.3", "恶性高热个人或家族史"), C("E87.5", "高钾血症或高钾风险（大面积烧伤、挤压伤、去神经支配）"),
             C("G71.0", "肌营养不良", "avoid")])
drug("neostigmine", "新斯的明", "neostigmine", "N07AA01", "胆碱酯酶抑制剂", None, tags="anesthesia,cholinesterase_inhibitor",
     salts="甲硫酸新斯的明", routes="iv,im,sc", forms="注射液",
     doses=[D("iv", "肌松拮抗 0.04–0.07 mg/kg（合用阿托品或格隆溴铵）", max_single=5, unit="mg")],
     contra=[C("K56,N13", "机械性肠梗阻或尿路梗阻"), C("J45", "支气管哮喘", "caution")])
drug("sugammadex", "舒更葡糖钠", "sugammadex", "V03AB35", "肌松拮抗剂（包裹型）", None, tags="anesthesia,nmb_reversal",
     brands="布瑞亭", routes="iv", forms="注射液", doses=[D("iv", "2–4 mg/kg（紧急逆转 16 mg/kg）")],
     notes="相当于漏服一次激素类避孕药，需补充避孕措施7天")
LA = fam(tags="anesthesia,local_anesthetic_amide", routes="epidural,local,intrathecal", forms="注射液",
         allergy="local_anesthetic_amide", cross=[X("local_anesthetic_amide", "low", "酰胺类局麻药真正过敏少见")],
         high_alert="硬膜外或鞘内注射药（经该途径时）", notes="局麻药全身毒性（LAST）：备脂肪乳剂")
drug("bupivacaine", "布比卡因", "bupivacaine", "N01BB01", "酰胺类局麻药（长效）", LA, salts="盐酸布比卡因",
     doses=[D("local", "神经阻滞/浸润按部位，单次总量一般不超过 2 mg/kg（不加肾上腺素）")],
     notes="0.75% 浓度不用于产科硬膜外；心脏毒性较强")
drug("ropivacaine", "罗哌卡因", "ropivacaine", "N01BB09", "酰胺类局麻药（长效）", LA, salts="盐酸罗哌卡因", brands="耐乐品",
     doses=[D("epidural", "术后镇痛 0.2% 6–14 mL/h"), D("local", "神经阻滞单次一般≤3 mg/kg")])
drug("flumazenil", "氟马西尼", "flumazenil", "V03AB25", "苯二氮䓬受体拮抗剂", None, tags="antidote", routes="iv",
     forms="注射液", doses=[D("iv", "0.2 mg 静注，每分钟追加 0.1–0.2 mg，总量一般≤1 mg")],
     contra=[C("T43.0", "三环类抗抑郁药过量"), C("G40", "长期使用苯二氮䓬类控制癫痫者", "avoid")],
     notes="作用时间短于多数苯二氮䓬类，需观察再镇静")

TCM = fam(tcm=True, routes="po", tags="tcm", lact=L("caution"))
drug("fufang_danshen_diwan", "复方丹参滴丸", "compound Danshen dripping pills", None, "中成药（活血化瘀）", TCM,
     tags="tcm,tcm_blood_activating", brands="天士力复方丹参滴丸", forms="滴丸",
     doses=[D("po", "10 丸 tid 口服或舌下含服，28天为一疗程")], preg=PG(None, "孕妇慎用"),
     notes="组成：丹参、三七、冰片；与抗栓药合用出血风险证据有限，宜观察")
drug("suxiao_jiuxin_wan", "速效救心丸", "Suxiao Jiuxin pills", None, "中成药（行气活血）", TCM, tags="tcm,tcm_blood_activating",
     forms="滴丸", doses=[D("po", "4–6 丸 tid 含服；急性发作 10–15 丸")], preg=PG(None, "孕妇禁用"))
drug("shexiang_baoxin_wan", "麝香保心丸", "Shexiang Baoxin pills", None, "中成药（芳香温通）", TCM,
     tags="tcm,tcm_blood_activating", forms="微丸", doses=[D("po", "1–2 丸 tid；发作时服")], preg=PG(None, "孕妇禁用"))
drug("tongxinluo", "通心络胶囊", "Tongxinluo capsules", None, "中成药（益气活血通络）", TCM,
     tags="tcm,tcm_blood_activating", forms="胶囊", doses=[D("po", "2–4 粒 tid")], preg=PG(None, "孕妇禁用"),
     contra=[C("K92.2,I60,I61,I62", "出血性疾病"), C("", "月经期妇女", "caution")])
drug("xuezhikang", "血脂康胶囊", "Xuezhikang (red yeast rice)", None, "中成药（调脂，含红曲）", TCM,
     tags="tcm,red_yeast_rice,lipid_lowering,cyp3a4_substrate", forms="胶囊",
     doses=[D("po", "2 粒（0.6 g）bid")], preg=PG(None, "孕妇及哺乳期禁用"),
     contra=[C("K72,K73,K74,K75", "活动性肝病或不明原因转氨酶升高")],
     notes="红曲含洛伐他汀类成分（莫纳可林K），与他汀合用属同类重复，有肌病风险")
drug("ginkgo_extract", "银杏叶提取物", "ginkgo biloba extract", "N06DX02", "植物药（改善循环）", None,
     tags="tcm_blood_activating,ginkgo", brands="金纳多,舒血宁", routes="po,iv", forms="片剂,注射液",
     doses=[D("po", "40–80 mg tid")], notes="与抗血小板/抗凝药合用可能增加出血，注射剂注意过敏")
drug("lianhua_qingwen", "连花清瘟胶囊", "Lianhua Qingwen capsules", None, "中成药（清瘟解毒）", TCM,
     tags="tcm,contains_ephedra", forms="胶囊,颗粒", doses=[D("po", "4 粒 tid")],
     contra=[C("I10", "高血压（含麻黄）", "caution"), C("I25,I49", "心脏病（含麻黄）", "caution")],
     preg=PG(None, "孕妇慎用"), notes="含麻黄、大黄；风寒感冒者不适用")
drug("angong_niuhuang_wan", "安宫牛黄丸", "Angong Niuhuang pills", None, "中成药（清热开窍）", TCM,
     tags="tcm,contains_mineral_toxic", forms="大蜜丸", doses=[D("po", "1 丸 qd（按说明书和病情）")],
     preg=PG(None, "孕妇慎用，以说明书为准"), hepatic=[H("any", "caution", "含朱砂、雄黄，肝肾功能不全者慎用")],
     renal=[R("eGFR", 60, "caution", "含朱砂、雄黄（汞、砷），不宜久服，肾功能不全慎用")], controlled=None,
     notes="含朱砂、雄黄，中病即止，不宜长期服用")
drug("danhong_injection", "丹红注射液", "Danhong injection", None, "中药注射剂（活血化瘀）", TCM,
     tags="tcm,tcm_blood_activating,tcm_injection", routes="iv", forms="注射液",
     doses=[D("iv", "20–40 mL 加入稀释液静滴 qd")], preg=PG(None, "孕妇禁用"),
     contra=[C("K92.2,I60,I61,I62", "有出血倾向者")], src="《中药注射剂临床使用基本原则》（卫医政发〔2008〕71号）",
     notes="中药注射剂须单独使用，不与其他药物混合；首次使用前30 min密切观察过敏反应")
drug("xuesaitong_injection", "注射用血塞通", "Xuesaitong (Panax notoginseng saponins) for injection", None,
     "中药注射剂（活血祛瘀）", TCM, tags="tcm,tcm_blood_activating,tcm_injection", syn="三七总皂苷注射剂",
     routes="iv", forms="注射用冻干粉", doses=[D("iv", "200–400 mg qd 静滴")], preg=PG(None, "孕妇慎用"),
     src="《中药注射剂临床使用基本原则》（卫医政发〔2008〕71号）", notes="单独使用，警惕过敏反应")
drug("pudilan", "蒲地蓝消炎口服液", "Pudilan Xiaoyan oral liquid", None, "中成药（清热解毒）", TCM, tags="tcm",
     forms="口服液", doses=[D("po", "10 mL tid")])

_ = (P,)

def review_pregnancy_letters() -> None:
    """Review pass over pregnancy letters inherited from family templates; run after every table is loaded."""
    pregnancy_letters(
        clear="levamlodipine,benidipine,lacidipine,cilnidipine,lercanidipine,nitrendipine,imidapril,allisartan,"
              "sacubitril_valsartan,arotinolol,nicorandil,isosorbide_mononitrate,bezafibrate,gliclazide,gliquidone,"
              "vildagliptin,latamoxef,flomoxef,cefotiam,cefoperazone_sulbactam,biapenem,faropenem,sitafloxacin,nemonoxacin,"
              "etimicin,norvancomycin,teicoplanin,amisulpride,sulpiride,oxazepam,zopiclone,dezocine,tropisetron,ilaprazole,"
              "vonoprazan,loxoprofen,nimesulide,flurbiprofen_axetil,parecoxib,etoricoxib",
        fix={"omeprazole": "C", "clozapine": "B", "sotalol": "B", "torasemide": "B", "promethazine": "C",
             "terbutaline": "B"},
    )

# Dermatology: the systemic retinoid every pregnancy check must know (added after the Rx held-out set
# reported it as an unknown drug).
drug("isotretinoin", "异维A酸", "isotretinoin", "D10BA01", "维A酸类（全身用）", None,
     tags="retinoid,teratogen", brands="泰尔丝,罗可坦", routes="po", forms="软胶囊",
     doses=[D("po", "0.1–0.5 mg/kg/d，随餐分1–2次", note="疗程按累积剂量；监测血脂和肝功能")],
     peds=[P(12, "avoid", "12岁以下儿童不推荐用于痤疮")],
     preg=PG("X", "强致畸；用药前须排除妊娠，用药期间及停药后至少1个月严格避孕"), lact=L("avoid"),
     hepatic=[H("any", "avoid", "肝功能不全禁用")],
     contra=[C("Z33", "妊娠"), C("E78", "高脂血症（未控制）", "caution")],
     notes="与四环素类合用增加良性颅内压增高风险；不可献血")
