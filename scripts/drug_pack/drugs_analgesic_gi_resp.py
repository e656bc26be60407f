"""Analgesics (NSAIDs, opioids), gout drugs, gastrointestinal and respiratory drugs, antihistamines."""

from __future__ import annotations

from .dsl import HLA, PG, B, C, D, H, L, P, R, X, drug, fam

_ = HLA
NSAID_X = [X("nsaid", "high", "NSAID加重的呼吸系统疾病或荨麻疹患者对各种COX-1抑制剂交叉不耐受；选择性COX-2抑制剂多可耐受")]
NSAID = fam(tags="analgesic,nsaid,nsaid_nonsalicylate,nephrotoxic,gi_bleeding_risk", dup="nsaid", routes="po", forms="片剂,胶囊",
            allergy="nsaid", cross=NSAID_X,
            preg=PG("C", "妊娠20周后避免（胎儿肾功能损害、羊水过少），≥30周禁用（动脉导管早闭）"),
            lact=L("caution", "布洛芬乳汁中量少，哺乳期相对首选"),
            contra=[C("K25,K26,K27,K28,K92.2", "活动性消化性溃疡或消化道出血（或既往NSAID相关溃疡出血）"),
                    C("I50", "重度心力衰竭"), C("N18.4,N18.5", "重度肾功能不全"),
                    C("K72", "重度肝功能不全"), C("J45", "阿司匹林或其他NSAID诱发哮喘/荨麻疹史"),
                    C("", "冠状动脉搭桥术（CABG）围手术期疼痛")],
            renal=[R("eGFR", 30, "avoid", "eGFR<30 避免；30–60 短期最低剂量并监测")],
            beers=B("avoid", "老年人避免长期使用，除非其他选择无效且合用胃保护剂；CrCl<30 避免"),
            notes="使用最低有效剂量和最短疗程；与多种复方感冒药重复")
drug("ibuprofen", "布洛芬", "ibuprofen", "M01AE01", "非甾体抗炎药（丙酸类）", NSAID, brands="芬必得,美林,托恩",
     forms="片剂,缓释胶囊,混悬液,颗粒",
     doses=[D("po", "0.2–0.4 g q4–6h；缓释 0.3–0.6 g bid", max_daily=2.4, unit="g", note="非处方使用每日≤1.2 g")],
     peds=[P(0.5, "avoid", "6个月以下婴儿不推荐（退热）")])
drug("diclofenac", "双氯芬酸", "diclofenac", "M01AB05", "非甾体抗炎药（乙酸类）", NSAID,
     salts="双氯芬酸钠,双氯芬酸钾,双氯芬酸二乙胺", brands="扶他林,戴芬,英太青", routes="po,pr,topical,im",
     forms="肠溶片,缓释片,栓剂,乳胶剂", doses=[D("po", "25–50 mg tid；缓释 75 mg qd–bid", max_daily=150, unit="mg")],
     notes="心血管血栓风险在NSAID中较高；外用制剂全身暴露低")
drug("celecoxib", "塞来昔布", "celecoxib", "M01AH01", "选择性COX-2抑制剂", NSAID, brands="西乐葆",
     tags_extra="cox2_selective,cyp2c9_substrate", forms="胶囊",
     doses=[D("po", "100–200 mg bid 或 200 mg qd", max_daily=400, unit="mg")],
     contra=[C("Z88.2", "磺胺类药物过敏"), C("K25,K26,K27,K28,K92.2", "活动性消化性溃疡或出血"),
             C("I50", "重度心力衰竭"), C("", "CABG围手术期"), C("J45", "阿司匹林/NSAID诱发哮喘史")],
     allergy="nsaid", cross=[X("nsaid", "low", "NSAID交叉不耐受者多可耐受选择性COX-2抑制剂，首剂需观察"),
                             X("sulfonamide_antibiotic", "low", "含磺酰胺结构，说明书禁用于磺胺过敏者")])
drug("etoricoxib", "依托考昔", "etoricoxib", "M01AH05", "选择性COX-2抑制剂", NSAID, brands="安康信",
     tags_extra="cox2_selective", doses=[D("po", "骨关节炎 30–60 mg qd；急性痛风 120 mg qd（≤8 d）", max_daily=120, unit="mg")],
     contra=[C("I10", "未控制的高血压（持续>140/90 mmHg）"), C("I20,I21,I25", "缺血性心脏病"),
             C("I50", "心力衰竭（NYHA II–IV）"), C("I63,I64,G45", "脑血管病"),
             C("K25,K26,K27,K28,K92.2", "活动性消化性溃疡或出血")],
     cross=[X("nsaid", "low", "NSAID交叉不耐受者多可耐受")])
drug("meloxicam", "美洛昔康", "meloxicam", "M01AC06", "非甾体抗炎药（昔康类，偏COX-2）", NSAID, brands="莫比可",
     doses=[D("po", "7.5–15 mg qd", max_daily=15, unit="mg")])
drug("loxoprofen", "洛索洛芬", "loxoprofen", None, "非甾体抗炎药（丙酸类）", NSAID, salts="洛索洛芬钠", brands="乐松",
     doses=[D("po", "60 mg tid", max_daily=180, unit="mg")])
drug("naproxen", "萘普生", "naproxen", "M01AE02", "非甾体抗炎药（丙酸类）", NSAID, salts="萘普生钠",
     doses=[D("po", "0.25–0.5 g bid")])
drug("indomethacin", "吲哚美辛", "indometacin", "M01AB01", "非甾体抗炎药（吲哚乙酸类）", NSAID, syn="消炎痛",
     routes="po,pr", forms="肠溶片,栓剂,缓释胶囊", doses=[D("po", "25–50 mg bid–tid")],
     beers=B("avoid", "老年人避免（中枢不良反应最多，胃肠和肾风险高）"))
drug("ketorolac", "酮咯酸氨丁三醇", "ketorolac", "M01AB15", "非甾体抗炎药（注射）", NSAID, syn="酮咯酸",
     routes="iv,im", forms="注射液",
     doses=[D("iv", "15–30 mg q6h，疗程≤5 d", max_daily=120, unit="mg",
              note="≥65岁、<50 kg 或肾功能不全每日≤60 mg")],
     beers=B("avoid", "老年人避免（消化道出血、急性肾损伤）"))
drug("flurbiprofen_axetil", "氟比洛芬酯", "flurbiprofen axetil", "M01AE09", "非甾体抗炎药（脂微球注射）", NSAID,
     brands="凯纷", routes="iv", forms="注射液", doses=[D("iv", "50 mg 缓慢静注（≥1 min），必要时重复")])
drug("parecoxib", "帕瑞昔布", "parecoxib", "M01AH04", "选择性COX-2抑制剂（注射）", NSAID, salts="帕瑞昔布钠",
     brands="特耐", routes="iv,im", forms="注射用粉针", tags_extra="cox2_selective",
     doses=[D("iv", "40 mg，随后 20–40 mg q6–12h，疗程≤3 d", max_daily=80, unit="mg")],
     contra=[C("", "CABG术后镇痛"), C("I20,I21,I25", "缺血性心脏病"), C("I50", "心力衰竭（NYHA II–IV）"),
             C("Z88.2", "磺胺类药物过敏"), C("K25,K26,K27,K28,K92.2", "活动性消化性溃疡或出血")],
     cross=[X("nsaid", "low", "NSAID交叉不耐受者多可耐受"), X("sulfonamide_antibiotic", "low", "含磺酰胺结构")])
drug("nimesulide", "尼美舒利", "nimesulide", "M01AX17", "非甾体抗炎药（磺酰苯胺类）", NSAID,
     doses=[D("po", "50–100 mg bid 餐后", max_daily=200, unit="mg")],
     peds=[P(12, "contraindicated", "12岁以下儿童禁用（国家药监部门2011年修订说明书）")],
     hepatic=[H("any", "contraindicated", "肝毒性，肝功能不全禁用；疗程尽量短")])
drug("paracetamol", "对乙酰氨基酚", "paracetamol", "N02BE01", "解热镇痛药（苯胺类）", None,
     tags="analgesic,antipyretic,contains_paracetamol", syn="扑热息痛,醋氨酚,APAP", brands="泰诺林,必理通,百服宁",
     routes="po,pr,iv", forms="片剂,缓释片,混悬液,栓剂,注射液",
     doses=[D("po", "0.3–0.65 g q4–6h（缓释 0.65–1.3 g q8h）", max_daily=4, unit="g",
              note="非处方自我药疗每日≤2 g；慢性酒精摄入、营养不良或肝病者每日≤2 g")],
     preg=PG("B", "妊娠期解热镇痛首选，短期最低有效剂量"), lact=L("compatible"),
     hepatic=[H("severe", "contraindicated", "严重肝功能不全禁用")],
     contra=[C("K72", "严重肝功能衰竭")],
     notes="常见于复方感冒药，注意重复给药导致过量；过量解毒剂为乙酰半胱氨酸")

OPI_HA = "镇痛药/阿片类药物（静脉、经皮及口服，含速释与缓释制剂）"
OPI = fam(tags="analgesic,opioid,cns_depressant", dup="opioid", high_alert=OPI_HA, controlled="麻醉药品",
          preg=PG("C", "长期使用致新生儿阿片戒断综合征"), lact=L("caution"),
          contra=[C("J96", "呼吸抑制/呼吸衰竭（未控制气道）"), C("J45", "急性或重度支气管哮喘发作"),
                  C("K56", "麻痹性肠梗阻"), C("", "正在使用或14天内使用过单胺氧化酶抑制剂", "avoid")],
          allergy="opioid",
          beers=B("avoid_combination", "避免与苯二氮䓬类或加巴喷丁类合用（过度镇静、呼吸抑制）"),
          notes="便秘需预防；阿片类初治者与耐受者剂量差别很大")
drug("morphine", "吗啡", "morphine", "N02AA01", "阿片受体激动剂", OPI, salts="盐酸吗啡,硫酸吗啡", brands="美施康定,美菲康",
     routes="po,iv,sc,im,epidural,intrathecal", forms="片剂,缓释片,注射液",
     doses=[D("po", "即释 5–30 mg q4h；缓释 10–30 mg q12h 起（阿片初治），按疼痛滴定"),
            D("iv", "1–5 mg（初治）缓慢静注，按反应滴定")],
     renal=[R("eGFR", 30, "avoid", "活性代谢物M6G/M3G蓄积，eGFR<30 避免或显著减量延长间隔")],
     hepatic=[H("severe", "reduce_dose", "肝功能不全减量")])
drug("oxycodone", "羟考酮", "oxycodone", "N02AA05", "阿片受体激动剂", OPI, salts="盐酸羟考酮", brands="奥施康定",
     tags_extra="cyp3a4_substrate", routes="po,iv", forms="缓释片,胶囊,注射液",
     doses=[D("po", "缓释片 10 mg q12h 起（阿片初治），整片吞服不可掰碎")],
     renal=[R("CrCl", 60, "reduce_dose", "肾功能不全起始剂量减量")],
     hepatic=[H("any", "reduce_dose", "肝功能不全起始剂量减为1/3–1/2")])
drug("oxycodone_paracetamol", "氨酚羟考酮", "oxycodone/paracetamol", "N02AJ17", "阿片类/对乙酰氨基酚复方", OPI,
     brands="泰勒宁", tags="analgesic,opioid,cns_depressant,contains_paracetamol,cyp3a4_substrate", routes="po",
     forms="片剂", doses=[D("po", "1片（5 mg/325 mg）q6h 按需", note="按对乙酰氨基酚每日≤4 g 控制片数")],
     notes="含对乙酰氨基酚，勿与其他含对乙酰氨基酚制剂同用")
drug("fentanyl", "芬太尼", "fentanyl", "N02AB03", "阿片受体激动剂（合成）", OPI, salts="枸橼酸芬太尼", brands="多瑞吉",
     tags_extra="cyp3a4_substrate,serotonergic", routes="td,iv,epidural", forms="透皮贴剂,注射液",
     doses=[D("td", "12–25 μg/h 每72 h更换（仅用于阿片耐受患者）"), D("iv", "麻醉/镇痛按体重给药，需麻醉监护")],
     notes="贴剂禁用于阿片初治者和急性/术后疼痛；发热或局部加热增加吸收")
drug("sufentanil", "舒芬太尼", "sufentanil", "N01AH03", "阿片受体激动剂（麻醉）", OPI, salts="枸橼酸舒芬太尼",
     tags_extra="cyp3a4_substrate", routes="iv,epidural", forms="注射液",
     doses=[D("iv", "麻醉诱导/维持及镇痛泵按体重和方案给药，需麻醉监护")])
drug("remifentanil", "瑞芬太尼", "remifentanil", "N01AH06", "阿片受体激动剂（超短效）", OPI, salts="盐酸瑞芬太尼",
     routes="iv", forms="注射用粉针", doses=[D("iv", "麻醉维持 0.05–2 μg/kg/min 泵入")],
     notes="制剂含甘氨酸，禁用于硬膜外和鞘内")
drug("pethidine", "哌替啶", "pethidine", "N02AB02", "阿片受体激动剂（合成）", OPI, syn="杜冷丁,度冷丁",
     salts="盐酸哌替啶", tags_extra="serotonergic", routes="im,iv", forms="注射液",
     doses=[D("im", "50–100 mg，必要时 q4h", max_single=150, max_daily=600, unit="mg", note="药典极量")],
     renal=[R("CrCl", 60, "avoid", "去甲哌替啶蓄积致惊厥，肾功能不全避免")],
     beers=B("avoid", "老年人避免（神经毒性/谵妄，有更安全替代）"),
     contra_extra=[C("", "正在使用或14天内使用单胺氧化酶抑制剂（可致致死性反应）")])
drug("tramadol", "曲马多", "tramadol", "N02AX02", "弱阿片类镇痛药（兼5-HT/NE再摄取抑制）", OPI, salts="盐酸曲马多",
     brands="奇曼丁,舒敏", controlled="第二类精神药品", tags_extra="serotonergic,cyp2d6_substrate,seizure_threshold_lowering",
     routes="po,iv,im", forms="缓释片,胶囊,注射液",
     doses=[D("po", "50–100 mg q4–6h；缓释 100 mg bid", max_daily=400, unit="mg", note=">75岁每日≤300 mg")],
     renal=[R("CrCl", 30, "extend_interval", "CrCl<30：q12h，每日≤200 mg")],
     peds=[P(12, "contraindicated", "12岁以下禁用（超快代谢者呼吸抑制，FDA 2017）")],
     contra_extra=[C("G40", "未控制的癫痫")],
     beers=B("caution", "可致SIADH/低钠血症，老年人起始或加量时监测血钠"))
drug("codeine", "可待因", "codeine", "R05DA04", "阿片类镇咳/镇痛药", OPI, salts="磷酸可待因",
     tags_extra="cyp2d6_substrate", routes="po", forms="片剂,糖浆",
     doses=[D("po", "15–30 mg tid", max_single=100, max_daily=250, unit="mg", note="药典极量")],
     peds=[P(12, "contraindicated", "12岁以下儿童禁用（国家药监局2018年修订说明书）")],
     lact=L("avoid", "超快代谢母亲致婴儿吗啡中毒"), notes="CYP2D6超快代谢者吗啡暴露过高")
drug("buprenorphine", "丁丙诺啡", "buprenorphine", "N02AE01", "阿片受体部分激动剂", OPI, controlled="第一类精神药品",
     tags_extra="cyp3a4_substrate,opioid_partial_agonist", routes="td,sl", forms="透皮贴剂,舌下片", doses=[D("td", "5–20 μg/h 每7天更换")])
drug("butorphanol", "布托啡诺", "butorphanol", "N02AF01", "阿片受体激动-拮抗剂", OPI, salts="酒石酸布托啡诺",
     controlled=None, tags_extra="opioid_partial_agonist", routes="iv,im,nasal", forms="注射液,鼻喷剂", doses=[D("iv", "1–2 mg，必要时 q3–4h")],
     notes="可诱发阿片依赖者戒断")
drug("hydromorphone", "氢吗啡酮", "hydromorphone", "N02AA03", "阿片受体激动剂", OPI, salts="盐酸氢吗啡酮",
     routes="iv,po", forms="注射液,片剂", doses=[D("iv", "0.2–1 mg（初治）缓慢静注，按反应滴定")],
     notes="效价约为吗啡的5–7倍，与吗啡混淆可致严重过量")
drug("dezocine", "地佐辛", "dezocine", None, "阿片受体激动-拮抗剂", OPI, controlled=None, routes="iv,im", tags_extra="opioid_partial_agonist",
     forms="注射液", doses=[D("iv", "5–10 mg，必要时 q2–4h", max_daily=120, unit="mg")],
     notes="可诱发阿片依赖者戒断；管制类别以现行目录为准")
drug("naloxone", "纳洛酮", "naloxone", "V03AB15", "阿片受体拮抗剂", None, tags="opioid_antagonist,antidote",
     salts="盐酸纳洛酮", routes="iv,im,sc,nasal", forms="注射液",
     doses=[D("iv", "阿片过量 0.4–2 mg，2–3 min 可重复；术后呼吸抑制 0.04–0.1 mg 逐次滴定")],
     notes="作用时间短于多数阿片类，需持续观察；阿片依赖者可致急性戒断")

drug("allopurinol", "别嘌醇", "allopurinol", "M04AA01", "黄嘌呤氧化酶抑制剂", None,
     tags="antigout,urate_lowering,xanthine_oxidase_inhibitor", dup="xanthine_oxidase_inhibitor", syn="别嘌呤醇",
     routes="po", forms="片剂,缓释胶囊",
     doses=[D("po", "50–100 mg qd 起，每2–4周加量，常用 300 mg/d", note="上限以说明书为准（常见600–800 mg/d）")],
     renal=[R("eGFR", 60, "reduce_dose", "按eGFR降低起始剂量和加量幅度（如eGFR<30 起始≤50 mg/d）")],
     contra=[C("", "HLA-B*5801 阳性（汉族人群携带率较高，建议用药前检测）", "avoid")],
     preg=PG("C", "资料有限"), lact=L("caution"), src="《中国高尿酸血症与痛风诊疗指南（2019）》",
     notes="SJS/TEN/DRESS多发生在用药前3个月；急性发作期不宜新起始")
drug("febuxostat", "非布司他", "febuxostat", "M04AA03", "黄嘌呤氧化酶抑制剂", None,
     tags="antigout,urate_lowering,xanthine_oxidase_inhibitor", dup="xanthine_oxidase_inhibitor", brands="优立通,风定宁",
     routes="po", forms="片剂", doses=[D("po", "20 mg qd 起，可至 40–80 mg qd", max_daily=80, unit="mg")],
     contra=[C("", "与硫唑嘌呤、巯嘌呤合用")], preg=PG("C", "资料有限"),
     notes="合并心血管疾病者心血管死亡风险信号，谨慎使用")
drug("benzbromarone", "苯溴马隆", "benzbromarone", "M04AB03", "促尿酸排泄药", None,
     tags="antigout,urate_lowering,uricosuric,cyp2c9_inhibitor", brands="立加利仙", routes="po", forms="片剂",
     doses=[D("po", "25–50 mg qd 早餐后", max_daily=100, unit="mg")],
     renal=[R("eGFR", 20, "contraindicated", "eGFR<20 禁用；肾结石患者禁用")],
     contra=[C("N20", "尿路结石"), C("K72,K73,K74", "肝病或肝功能不全")],
     hepatic=[H("any", "contraindicated", "可致暴发性肝炎，肝病禁用，用药期间监测肝功能")],
     notes="多饮水并碱化尿液")
drug("colchicine", "秋水仙碱", "colchicine", "M04AC01", "抗痛风药（微管抑制）", None,
     tags="antigout,colchicine,cyp3a4_substrate,pgp_substrate,narrow_therapeutic_index", routes="po", forms="片剂",
     doses=[D("po", "急性发作 首剂 1 mg，1 h 后 0.5 mg，12 h 后 0.5 mg qd–bid；预防 0.5 mg qd–bid", max_single=1,
              unit="mg")],
     renal=[R("CrCl", 30, "reduce_dose", "CrCl<30 减量并不重复疗程；透析患者避免")],
     hepatic=[H("severe", "avoid", "严重肝功能不全避免")],
     contra=[C("", "肝或肾功能不全者合用强效CYP3A4抑制剂或P-gp抑制剂")], preg=PG("C", "资料有限"),
     src="《中国高尿酸血症与痛风诊疗指南（2019）》", notes="中毒：腹泻、骨髓抑制、肌病；不推荐大剂量方案")

PPI = fam(tags="gi,acid_suppressant,ppi", dup="potent_acid_suppressant", routes="po,iv", forms="肠溶片,肠溶胶囊,注射用粉针",
          preg=PG("B", "妊娠期可用"), lact=L("caution"),
          beers=B("avoid", "避免连续使用>8周，除非高危（长期糖皮质激素/NSAID、侵蚀性食管炎等）：艰难梭菌、骨折、低镁风险"),
          notes="长期使用监测镁、维生素B12；抑酸可影响依赖胃酸吸收的药物")
drug("omeprazole", "奥美拉唑", "omeprazole", "A02BC01", "质子泵抑制剂", PPI, salts="奥美拉唑镁,奥美拉唑钠",
     brands="洛赛克", tags_extra="cyp2c19_inhibitor",
     doses=[D("po", "20 mg qd–bid"), D("iv", "40 mg qd–bid；上消化道出血按方案大剂量")])
drug("esomeprazole", "艾司奥美拉唑", "esomeprazole", "A02BC05", "质子泵抑制剂", PPI,
     salts="艾司奥美拉唑镁,艾司奥美拉唑钠", brands="耐信", syn="埃索美拉唑", tags_extra="cyp2c19_inhibitor",
     doses=[D("po", "20–40 mg qd–bid"), D("iv", "40 mg qd–bid；出血 80 mg 静注后 8 mg/h")])
drug("pantoprazole", "泮托拉唑", "pantoprazole", "A02BC02", "质子泵抑制剂", PPI, salts="泮托拉唑钠",
     brands="潘妥洛克", doses=[D("po", "40 mg qd–bid"), D("iv", "40–80 mg qd–bid")])
drug("lansoprazole", "兰索拉唑", "lansoprazole", "A02BC03", "质子泵抑制剂", PPI, brands="达克普隆",
     doses=[D("po", "15–30 mg qd"), D("iv", "30 mg bid")])
drug("rabeprazole", "雷贝拉唑", "rabeprazole", "A02BC04", "质子泵抑制剂", PPI, salts="雷贝拉唑钠", brands="波利特",
     doses=[D("po", "10–20 mg qd（根除Hp 20 mg bid）")])
drug("ilaprazole", "艾普拉唑", "ilaprazole", None, "质子泵抑制剂", PPI, brands="壹丽安",
     doses=[D("po", "5–10 mg qd"), D("iv", "按说明书")])
drug("vonoprazan", "伏诺拉生", "vonoprazan", None, "钾离子竞争性酸阻滞剂（P-CAB）", PPI, salts="富马酸伏诺拉生",
     brands="沃克", tags="gi,acid_suppressant,pcab", routes="po", forms="片剂",
     doses=[D("po", "反流性食管炎 20 mg qd；根除Hp 20 mg bid", max_daily=40, unit="mg")])
H2 = fam(tags="gi,acid_suppressant,h2ra", dup="h2ra", routes="po,iv", forms="片剂,注射液", preg=PG("B", "妊娠期可用"),
         lact=L("caution"))
drug("famotidine", "法莫替丁", "famotidine", "A02BA03", "H2受体拮抗剂", H2, tags_extra="qt_possible",
     doses=[D("po", "20 mg bid 或 40 mg qn", max_daily=80, unit="mg"), D("iv", "20 mg q12h")],
     renal=[R("CrCl", 50, "reduce_dose", "CrCl<50 剂量减半或 q48h")],
     beers=B("adjust_renal", "CrCl<50 需减量（中枢不良反应/谵妄）"))
drug("cimetidine", "西咪替丁", "cimetidine", "A02BA01", "H2受体拮抗剂", H2, tags_extra="cyp_broad_inhibitor",
     doses=[D("po", "200–400 mg bid–qid")], renal=[R("CrCl", 30, "reduce_dose", "肾功能不全减量")],
     notes="抑制多种CYP酶，相互作用多，已少用")
drug("bismuth_potassium_citrate", "枸橼酸铋钾", "bismuth subcitrate potassium", "A02BX05", "胃黏膜保护剂（铋剂）", None,
     tags="gi,mucosal_protectant,bismuth,polyvalent_cation", brands="丽珠得乐", routes="po", forms="胶囊,颗粒",
     doses=[D("po", "根除Hp 220 mg（铋）bid 餐前；溃疡 0.3 g qid", note="连续使用一般不超过8周")],
     renal=[R("CrCl", 30, "contraindicated", "严重肾功能不全禁用（铋蓄积）")], preg=PG(None, "妊娠期禁用"),
     notes="舌苔、粪便变黑属正常")
drug("sucralfate", "硫糖铝", "sucralfate", "A02BX02", "胃黏膜保护剂", None, tags="gi,mucosal_protectant,polyvalent_cation",
     routes="po", forms="片剂,混悬凝胶", doses=[D("po", "1 g bid–qid 餐前及睡前")],
     renal=[R("CrCl", 30, "caution", "长期使用铝蓄积")], preg=PG("B", "全身吸收少"))
drug("hydrotalcite", "铝碳酸镁", "hydrotalcite", "A02AD04", "抗酸药", None, tags="gi,antacid,polyvalent_cation",
     brands="达喜", routes="po", forms="咀嚼片", doses=[D("po", "0.5–1 g tid 餐后及睡前嚼服")],
     renal=[R("CrCl", 30, "caution", "严重肾功能不全避免长期使用（铝、镁蓄积）")])
drug("misoprostol", "米索前列醇", "misoprostol", "A02BB01", "前列腺素E1类似物", None, tags="gi,prostaglandin",
     routes="po,vaginal", forms="片剂", doses=[D("po", "预防NSAID溃疡 200 μg bid–qid")],
     preg=PG("X", "可致流产和胎儿畸形；育龄女性用于消化道适应证须排除妊娠"), contra=[C("Z33", "妊娠（消化道适应证）")])
drug("rebamipide", "瑞巴派特", "rebamipide", None, "胃黏膜保护剂", None, tags="gi,mucosal_protectant", brands="膜固思达",
     routes="po", forms="片剂", doses=[D("po", "100 mg tid")])
S5HT3 = fam(tags="antiemetic,ht3_antagonist", dup="ht3_antagonist", routes="iv,po", forms="注射液,片剂",
            preg=PG("B", "妊娠期资料较多"), lact=L("caution"))
drug("ondansetron", "昂丹司琼", "ondansetron", "A04AA01", "5-HT3受体拮抗剂", S5HT3, salts="盐酸昂丹司琼", brands="枢复宁",
     tags_extra="qt_known", doses=[D("iv", "8 mg（单次静脉≤16 mg）", max_single=16, unit="mg"), D("po", "8 mg bid")],
     contra=[C("I45.8", "先天性长QT综合征")], hepatic=[H("severe", "reduce_dose", "重度肝功能不全每日≤8 mg")])
drug("granisetron", "格拉司琼", "granisetron", "A04AA02", "5-HT3受体拮抗剂", S5HT3, salts="盐酸格拉司琼",
     routes="iv,po,td", tags_extra="qt_possible", doses=[D("iv", "3 mg 化疗前"), D("po", "1 mg bid 或 2 mg qd")])
drug("tropisetron", "托烷司琼", "tropisetron", "A04AA03", "5-HT3受体拮抗剂", S5HT3, salts="盐酸托烷司琼",
     tags_extra="qt_possible", doses=[D("iv", "5 mg qd")])
drug("palonosetron", "帕洛诺司琼", "palonosetron", "A04AA05", "5-HT3受体拮抗剂（长效）", S5HT3,
     salts="盐酸帕洛诺司琼", routes="iv", forms="注射液", doses=[D("iv", "0.25 mg 化疗前单次")])
drug("aprepitant", "阿瑞匹坦", "aprepitant", "A04AD12", "NK1受体拮抗剂", None,
     tags="antiemetic,nk1_antagonist,cyp3a4_moderate_inhibitor,cyp2c9_inducer", brands="意美", routes="po",
     forms="胶囊", doses=[D("po", "第1天 125 mg，第2–3天 80 mg qd")], preg=PG("B", "资料有限"),
     notes="合用时口服地塞米松剂量约减半；可降低华法林和激素类避孕药效果")
drug("metoclopramide", "甲氧氯普胺", "metoclopramide", "A03FA01", "多巴胺D2受体拮抗剂（促动力/止吐）", None,
     tags="gi,prokinetic,antiemetic,dopamine_antagonist", syn="胃复安,灭吐灵", salts="盐酸甲氧氯普胺",
     routes="po,iv,im", forms="片剂,注射液",
     doses=[D("po", "5–10 mg tid，疗程≤5 d", max_daily=30, unit="mg"), D("iv", "10 mg 缓慢静注（≥3 min）", max_daily=30, unit="mg")],
     peds=[P(1, "contraindicated", "1岁以下禁用（锥体外系反应），儿童仅作二线（EMA 2013）")],
     contra=[C("K56,K92.2,K63.1", "胃肠道梗阻、出血或穿孔"), C("C74.1,D35.0", "嗜铬细胞瘤"),
             C("G40", "癫痫"), C("G20", "帕金森病"), C("G24", "既往药物性迟发性运动障碍")],
     renal=[R("CrCl", 60, "reduce_dose", "中重度肾功能不全减量")],
     beers=B("avoid", "老年人避免（锥体外系反应、迟发性运动障碍），胃轻瘫除外"), preg=PG("B", "妊娠期止吐可用"))
drug("domperidone", "多潘立酮", "domperidone", "A03FA03", "外周多巴胺D2受体拮抗剂", None,
     tags="gi,prokinetic,antiemetic,qt_known,cyp3a4_substrate", brands="吗丁啉", routes="po", forms="片剂,混悬液",
     doses=[D("po", "10 mg tid 餐前，疗程一般≤1周", max_daily=30, unit="mg")],
     peds=[P(12, "caution", "12岁以下或体重<35 kg 按 0.25 mg/kg tid，每日≤0.75 mg/kg")],
     hepatic=[H("moderate", "contraindicated", "中重度肝功能不全禁用")],
     contra=[C("I45.8", "QT间期延长或明显电解质紊乱"), C("D35.2", "催乳素瘤"), C("K56,K92.2", "胃肠道梗阻、出血"),
             C("", "与强效CYP3A4抑制剂或其他QT延长药物合用")])
drug("mosapride", "莫沙必利", "mosapride", None, "5-HT4受体激动剂（促动力）", None, tags="gi,prokinetic",
     salts="枸橼酸莫沙必利", brands="加斯清", routes="po", forms="片剂", doses=[D("po", "5 mg tid 餐前", max_daily=15, unit="mg")])
drug("itopride", "伊托必利", "itopride", None, "促胃肠动力药", None, tags="gi,prokinetic", salts="盐酸伊托必利",
     brands="为力苏", routes="po", forms="片剂", doses=[D("po", "50 mg tid 餐前")])
drug("lactulose", "乳果糖", "lactulose", "A06AD11", "渗透性泻药", None, tags="gi,laxative", brands="杜密克",
     routes="po,pr", forms="口服溶液",
     doses=[D("po", "便秘 15–30 mL/d；肝性脑病 30–45 mL tid–qid（调整至每日2–3次软便）")],
     contra=[C("E74.2", "半乳糖血症"), C("K56", "肠梗阻")], preg=PG("B", "妊娠期可用"))
drug("peg4000", "聚乙二醇4000", "macrogol 4000", "A06AD15", "渗透性泻药", None, tags="gi,laxative", brands="福松",
     syn="聚乙二醇", routes="po", forms="散剂", doses=[D("po", "10–20 g/d")],
     contra=[C("K50,K51", "重度炎症性肠病"), C("K56,K63.1", "肠梗阻、肠穿孔")])
drug("loperamide", "洛哌丁胺", "loperamide", "A07DA03", "止泻药（阿片受体外周激动）", None,
     tags="gi,antidiarrheal,qt_possible", salts="盐酸洛哌丁胺", brands="易蒙停", routes="po", forms="胶囊",
     doses=[D("po", "首剂 4 mg，每次稀便后 2 mg", max_daily=16, unit="mg", note="自我药疗每日≤8 mg")],
     peds=[P(2, "contraindicated", "2岁以下禁用")],
     contra=[C("A03,A04.7", "细菌性痢疾、伪膜性肠炎等侵袭性感染性腹泻（高热、血便）"), C("K51", "溃疡性结肠炎急性发作"),
             C("K56", "肠梗阻")], notes="超剂量滥用可致严重心律失常")
drug("diosmectite", "蒙脱石散", "diosmectite", "A07BC05", "吸附性止泻药", None, tags="gi,antidiarrheal,adsorbent",
     syn="双八面体蒙脱石", brands="思密达", routes="po", forms="散剂", doses=[D("po", "3 g tid")],
     notes="可吸附同服药物，其他口服药宜间隔1–2 h")
drug("ursodeoxycholic_acid", "熊去氧胆酸", "ursodeoxycholic acid", "A05AA02", "利胆药", None, tags="gi,hepatobiliary",
     syn="UDCA", brands="优思弗", routes="po", forms="胶囊,片剂", doses=[D("po", "10–15 mg/kg/d 分次；常用 250 mg bid–tid")],
     contra=[C("K81.0", "急性胆囊炎"), C("K83.1", "胆道完全梗阻"), C("", "钙化胆结石/胆囊不显影")])
drug("polyene_phosphatidylcholine", "多烯磷脂酰胆碱", "polyenylphosphatidylcholine", None, "保肝药", None,
     tags="gi,hepatoprotective", brands="易善复", routes="po,iv", forms="胶囊,注射液",
     doses=[D("po", "456 mg tid"), D("iv", "232.5–465 mg qd，仅用不含电解质的葡萄糖溶液稀释")],
     peds=[P(0.08, "contraindicated", "注射液含苯甲醇，新生儿和早产儿禁用")])
drug("magnesium_isoglycyrrhizinate", "异甘草酸镁", "magnesium isoglycyrrhizinate", None, "保肝药（甘草酸类）", None,
     tags="gi,hepatoprotective,glycyrrhizin", dup="glycyrrhizin", brands="天晴甘美", routes="iv", forms="注射液",
     doses=[D("iv", "0.1–0.2 g qd 静滴")], contra=[C("I10", "严重未控制高血压"), C("E87.6", "低钾血症")],
     notes="假性醛固酮增多（高血压、低钾、水肿），监测血钾血压")
drug("diammonium_glycyrrhizinate", "甘草酸二铵", "diammonium glycyrrhizinate", None, "保肝药（甘草酸类）", None,
     tags="gi,hepatoprotective,glycyrrhizin", dup="glycyrrhizin", brands="甘利欣", routes="po,iv", forms="胶囊,注射液",
     doses=[D("po", "150 mg tid"), D("iv", "150 mg qd")], contra=[C("I10", "严重未控制高血压"), C("E87.6", "低钾血症")],
     notes="假性醛固酮增多，监测血钾血压")
drug("somatostatin", "生长抑素", "somatostatin", "H01CB01", "生长抑素", None, tags="gi,somatostatin_analogue",
     brands="思他宁", routes="iv", forms="注射用粉针",
     doses=[D("iv", "250 μg 静注后 250 μg/h 持续泵入（静脉曲张出血可 500 μg/h）")], preg=PG(None, "妊娠期避免"))
drug("octreotide", "奥曲肽", "octreotide", "H01CB02", "生长抑素类似物", None, tags="gi,somatostatin_analogue",
     salts="醋酸奥曲肽", brands="善宁,善龙", routes="sc,iv", forms="注射液",
     doses=[D("sc", "0.1 mg tid"), D("iv", "静脉曲张出血 25–50 μg/h 泵入")], notes="可影响血糖和胆囊结石形成")
drug("mesalazine", "美沙拉秦", "mesalazine", "A07EC02", "5-氨基水杨酸类", None, tags="gi,aminosalicylate",
     syn="美沙拉嗪,5-ASA", brands="艾迪莎,颇得斯安,莎尔福", routes="po,pr", forms="肠溶片,缓释颗粒,栓剂,灌肠液",
     doses=[D("po", "2–4 g/d 分次或 qd", max_daily=4.8, unit="g")],
     contra=[C("Z88", "水杨酸类过敏"), C("N18.4,N18.5", "严重肾功能不全"), C("K72", "严重肝功能不全")],
     renal=[R("eGFR", 60, "monitor", "可致间质性肾炎，定期查肾功能")], preg=PG("B", "妊娠期可用"))
drug("hyoscine_butylbromide", "丁溴东莨菪碱", "hyoscine butylbromide", "A03BB01", "M受体阻断剂（外周解痉）", None,
     tags="gi,antispasmodic,anticholinergic", brands="解痉灵", routes="im,iv,po", forms="注射液,胶囊",
     doses=[D("im", "10–20 mg，必要时重复"), D("po", "10 mg tid")],
     contra=[C("H40.2", "闭角型青光眼"), C("N40", "前列腺增生伴尿潴留"), C("G70.0", "重症肌无力"),
             C("K59.3", "巨结肠"), C("I47.1,R00.0", "快速性心律失常")])
drug("anisodamine", "山莨菪碱", "anisodamine", None, "M受体阻断剂（解痉）", None, tags="gi,antispasmodic,anticholinergic",
     syn="654-2", salts="氢溴酸山莨菪碱", routes="im,iv,po", forms="注射液,片剂", doses=[D("im", "5–10 mg，必要时重复")],
     contra=[C("H40.2", "青光眼"), C("N40", "前列腺增生伴尿潴留"), C("I61,I62", "颅内压增高/脑出血急性期")])

SABA = fam(tags="respiratory,bronchodilator,beta2_agonist,saba,potassium_depleting", dup="saba",
           preg=PG("C", "妊娠期哮喘控制获益大，吸入常规可用"), lact=L("compatible"))
drug("salbutamol", "沙丁胺醇", "salbutamol", "R03AC02", "短效β2受体激动剂", SABA, syn="舒喘灵,阿布特罗",
     salts="硫酸沙丁胺醇", brands="万托林", routes="inh,po", forms="气雾剂,雾化溶液,片剂",
     doses=[D("inh", "气雾剂 100–200 μg 按需；雾化 2.5–5 mg q4–6h", note="24 h内需多次使用提示控制不佳")])
drug("terbutaline", "特布他林", "terbutaline", "R03AC03", "短效β2受体激动剂", SABA, salts="硫酸特布他林",
     brands="博利康尼", routes="inh,po,sc", forms="雾化溶液,片剂,注射液",
     doses=[D("inh", "雾化 5 mg tid"), D("po", "2.5–5 mg tid")])
drug("ipratropium", "异丙托溴铵", "ipratropium bromide", "R03BB01", "短效抗胆碱能支气管扩张剂", None,
     tags="respiratory,bronchodilator,sama", dup="sama", brands="爱全乐", routes="inh", forms="气雾剂,雾化溶液",
     doses=[D("inh", "雾化 500 μg tid–qid；气雾剂 20–40 μg tid–qid")],
     contra=[C("H40.2", "闭角型青光眼（雾化避免入眼）", "caution"), C("N40", "前列腺增生伴尿潴留", "caution")])
drug("tiotropium", "噻托溴铵", "tiotropium bromide", "R03BB04", "长效抗胆碱能支气管扩张剂（LAMA）", None,
     tags="respiratory,bronchodilator,lama", dup="lama", brands="思力华", routes="inh", forms="吸入粉雾剂,喷雾剂",
     doses=[D("inh", "粉雾剂 18 μg qd；软雾 5 μg qd")],
     renal=[R("CrCl", 60, "monitor", "CrCl≤60 监测抗胆碱不良反应")],
     contra=[C("H40.2", "闭角型青光眼", "caution"), C("N40", "前列腺增生伴尿潴留", "caution")])
drug("budesonide_inh", "布地奈德（吸入）", "budesonide (inhaled)", "R03BA02", "吸入性糖皮质激素", None,
     tags="respiratory,ics,cyp3a4_substrate", dup="ics", syn="布地奈德", brands="普米克令舒,普米克都保",
     routes="inh", forms="雾化混悬液,吸入粉雾剂",
     doses=[D("inh", "粉雾剂 200–400 μg bid；雾化 1–2 mg bid", max_daily=1.6, unit="mg", note="按吸入粉雾剂计")],
     preg=PG("B", "妊娠期首选ICS"), notes="吸入后漱口预防口咽念珠菌病")
drug("budesonide_formoterol", "布地奈德福莫特罗", "budesonide/formoterol", "R03AK07", "ICS/LABA复方", None,
     tags="respiratory,ics,laba,cyp3a4_substrate", dup="ics", brands="信必可都保", routes="inh", forms="吸入粉雾剂",
     doses=[D("inh", "160/4.5 μg 1–2 吸 bid；按需+维持方案每日总吸数一般≤8（短期可至12）", max_daily=12, unit="吸")])
drug("salmeterol_fluticasone", "沙美特罗替卡松", "salmeterol/fluticasone propionate", "R03AK06", "ICS/LABA复方", None,
     tags="respiratory,ics,laba,cyp3a4_substrate", dup="ics", brands="舒利迭", routes="inh", forms="吸入粉雾剂",
     doses=[D("inh", "50/250 μg 或 50/500 μg 1 吸 bid", max_daily=2, unit="吸")])
drug("fluticasone_umeclidinium_vilanterol", "氟替美维", "fluticasone furoate/umeclidinium/vilanterol", "R03AL08",
     "ICS/LAMA/LABA三联", None, tags="respiratory,ics,lama,laba,cyp3a4_substrate", dup="ics",
     syn="糠酸氟替卡松/乌美溴铵/维兰特罗", brands="全再乐", routes="inh", forms="吸入粉雾剂",
     doses=[D("inh", "100/62.5/25 μg 1 吸 qd", max_daily=1, unit="吸")])
drug("budesonide_glycopyrronium_formoterol", "布地格福", "budesonide/glycopyrronium/formoterol", "R03AL11",
     "ICS/LAMA/LABA三联", None, tags="respiratory,ics,lama,laba,cyp3a4_substrate", dup="ics",
     syn="布地奈德/格隆溴铵/福莫特罗", brands="倍择瑞", routes="inh", forms="吸入气雾剂",
     doses=[D("inh", "2 揿 bid", max_daily=4, unit="揿")])
drug("montelukast", "孟鲁司特", "montelukast", "R03DC03", "白三烯受体拮抗剂", None, tags="respiratory,ltra",
     salts="孟鲁司特钠", brands="顺尔宁", routes="po", forms="片剂,咀嚼片,颗粒",
     doses=[D("po", "成人 10 mg qn", max_daily=10, unit="mg")], preg=PG("B", "妊娠期可用"),
     notes="神经精神事件（噩梦、抑郁、自杀观念）警示")
XAN_HA = "茶碱类药物，静脉途径"
drug("theophylline", "茶碱", "theophylline", "R03DA04", "甲基黄嘌呤类", None,
     tags="respiratory,bronchodilator,xanthine,cyp1a2_substrate,narrow_therapeutic_index", dup="xanthine",
     brands="舒弗美,优喘平", routes="po", forms="缓释片",
     doses=[D("po", "缓释片 0.1–0.2 g bid，按血药浓度（5–15 mg/L）调整", max_daily=0.6, unit="g",
              note="国内指南低剂量方案；高剂量需监测血药浓度")],
     hepatic=[H("any", "reduce_dose", "肝病、心衰时清除下降，减量并监测浓度")], preg=PG("C", "监测浓度"),
     contra=[C("I21", "急性心肌梗死伴低血压", "avoid"), C("I47,I49", "严重快速性心律失常", "avoid")])
drug("aminophylline", "氨茶碱", "aminophylline", "R03DA05", "甲基黄嘌呤类", None,
     tags="respiratory,bronchodilator,xanthine,cyp1a2_substrate,narrow_therapeutic_index", dup="xanthine",
     routes="iv,po", forms="注射液,片剂",
     doses=[D("iv", "负荷 4–6 mg/kg 缓慢静滴≥20–30 min（近期用过茶碱者不给负荷），维持 0.5–0.7 mg/kg/h",
              max_single=0.5, max_daily=1, unit="g", note="药典极量"),
            D("po", "0.1–0.2 g tid", max_single=0.5, max_daily=1, unit="g", note="药典极量")],
     high_alert=XAN_HA + "（静脉剂型）", hepatic=[H("any", "reduce_dose", "肝病、心衰时减量并监测浓度")],
     notes="快速静注可致心律失常、惊厥甚至死亡")
drug("doxofylline", "多索茶碱", "doxofylline", "R03DA11", "甲基黄嘌呤类", None,
     tags="respiratory,bronchodilator,xanthine", dup="xanthine", routes="iv,po", forms="注射液,片剂",
     doses=[D("iv", "0.3 g qd 静滴", max_daily=0.6, unit="g"), D("po", "0.2–0.4 g bid")],
     high_alert=XAN_HA + "（静脉剂型）", notes="不与其他黄嘌呤类同用")
drug("ambroxol", "氨溴索", "ambroxol", "R05CB06", "祛痰药（黏液溶解）", None, tags="respiratory,mucolytic",
     salts="盐酸氨溴索", brands="沐舒坦,兰苏", routes="po,iv,inh", forms="片剂,口服溶液,注射液",
     doses=[D("po", "30 mg tid"), D("iv", "15–30 mg bid–tid")], preg=PG(None, "妊娠早期不推荐"))
drug("acetylcysteine", "乙酰半胱氨酸", "acetylcysteine", "R05CB01", "祛痰药/对乙酰氨基酚解毒剂", None,
     tags="respiratory,mucolytic,antidote", brands="富露施,易维适", routes="po,inh,iv", forms="泡腾片,颗粒,吸入溶液,注射液",
     doses=[D("po", "600 mg qd–bid"), D("iv", "对乙酰氨基酚中毒按体重分阶段静滴（首剂150 mg/kg）",
                                      indication="对乙酰氨基酚中毒")],
     contra=[C("J45", "哮喘患者吸入可诱发支气管痉挛", "caution")], preg=PG("B", "解毒时不因妊娠延误"))
drug("carbocisteine", "羧甲司坦", "carbocisteine", "R05CB03", "祛痰药", None, tags="respiratory,mucolytic",
     routes="po", forms="片剂,口服溶液", doses=[D("po", "0.5 g tid")], contra=[C("K25,K26,K27", "活动性消化性溃疡", "caution")])
drug("dextromethorphan", "右美沙芬", "dextromethorphan", "R05DA09", "中枢性镇咳药", None,
     tags="respiratory,antitussive,serotonergic,cyp2d6_substrate", salts="氢溴酸右美沙芬", routes="po",
     forms="片剂,糖浆,缓释混悬液", doses=[D("po", "15–30 mg tid–qid", max_daily=120, unit="mg")],
     peds=[P(2, "avoid", "2岁以下不推荐使用含右美沙芬的非处方咳嗽感冒药（FDA 2008）")],
     contra=[C("", "正在使用或14天内使用过单胺氧化酶抑制剂")], notes="多见于复方感冒药")

AH2 = fam(tags="antihistamine,h1_antihistamine_2g", dup="h1_antihistamine", routes="po", forms="片剂",
          preg=PG("B", "氯雷他定、西替利嗪妊娠期资料较多"), lact=L("compatible"))
drug("loratadine", "氯雷他定", "loratadine", "R06AX13", "第二代H1抗组胺药", AH2, brands="开瑞坦,百为坦",
     doses=[D("po", "10 mg qd", max_daily=10, unit="mg")], hepatic=[H("severe", "reduce_dose", "严重肝功能不全隔日10 mg")])
drug("desloratadine", "地氯雷他定", "desloratadine", "R06AX27", "第二代H1抗组胺药", AH2, brands="恩理思,芙必叮",
     doses=[D("po", "5 mg qd", max_daily=5, unit="mg")], preg=PG("C", "资料有限"))
drug("cetirizine", "西替利嗪", "cetirizine", "R06AE07", "第二代H1抗组胺药", AH2, salts="盐酸西替利嗪", brands="仙特明,西可韦",
     doses=[D("po", "10 mg qd", max_daily=10, unit="mg")], renal=[R("CrCl", 50, "reduce_dose", "CrCl<50 剂量减半")])
drug("levocetirizine", "左西替利嗪", "levocetirizine", "R06AE09", "第二代H1抗组胺药", AH2, salts="盐酸左西替利嗪",
     brands="优泽,迪皿", doses=[D("po", "5 mg qd", max_daily=5, unit="mg")],
     renal=[R("CrCl", 50, "reduce_dose", "CrCl 30–49 隔日；<30 每3日；<10 禁用")])
drug("fexofenadine", "非索非那定", "fexofenadine", "R06AX26", "第二代H1抗组胺药", AH2, salts="盐酸非索非那定",
     brands="阿特拉", doses=[D("po", "60 mg bid 或 120–180 mg qd", max_daily=180, unit="mg")], preg=PG("C", "资料有限"),
     notes="果汁降低吸收")
drug("ebastine", "依巴斯汀", "ebastine", "R06AX22", "第二代H1抗组胺药", AH2, brands="开思亭",
     doses=[D("po", "10–20 mg qd", max_daily=20, unit="mg")], preg=PG(None, "资料有限"))
AH1 = fam(tags="antihistamine,h1_antihistamine_1g,anticholinergic,anticholinergic_strong,cns_depressant",
          dup="h1_antihistamine", routes="po", forms="片剂", preg=PG("B", "妊娠期有一定资料"), lact=L("avoid"),
          beers=B("avoid", "第一代抗组胺药抗胆碱作用强：意识混乱、便秘、口干、尿潴留，老年人避免"),
          contra=[C("H40.2", "闭角型青光眼", "caution"), C("N40", "前列腺增生伴尿潴留", "caution")])
drug("chlorphenamine", "氯苯那敏", "chlorphenamine", "R06AB04", "第一代H1抗组胺药", AH1, syn="扑尔敏,氯苯吡胺",
     salts="马来酸氯苯那敏", routes="po,im", doses=[D("po", "4 mg tid", max_daily=24, unit="mg")],
     notes="多见于复方感冒药")
drug("promethazine", "异丙嗪", "promethazine", "R06AD02", "第一代H1抗组胺药（吩噻嗪类）", AH1, syn="非那根",
     salts="盐酸异丙嗪", routes="po,im,iv", forms="片剂,注射液", tags_extra="dopamine_antagonist",
     doses=[D("po", "12.5–25 mg qn 或 bid–tid"), D("im", "25–50 mg")],
     peds=[P(2, "contraindicated", "2岁以下禁用（致死性呼吸抑制）")],
     high_alert="异丙嗪静脉注射（高警示品种）", notes="首选深部肌注；静脉外渗可致严重组织损伤")
drug("diphenhydramine", "苯海拉明", "diphenhydramine", "R06AA02", "第一代H1抗组胺药", AH1, salts="盐酸苯海拉明",
     routes="po,im", forms="片剂,注射液", doses=[D("po", "25–50 mg tid"), D("im", "20 mg qd–bid")])
