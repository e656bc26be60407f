"""Antibacterials, anti-tuberculosis drugs, antifungals and antivirals."""

from __future__ import annotations

from .dsl import PG, SKIN, B, C, D, H, L, P, R, X, drug, fam

NR, RS, SP = "非限制使用级", "限制使用级", "特殊使用级"
VARIES = "典型默认分级；该药各省目录差异较大，以本院目录为准"

PEN = fam(tags="antibacterial,beta_lactam,penicillin", dup="beta_lactam", allergy="penicillin",
          cross=[X("cephalosporin", "low", "青霉素过敏者对头孢菌素交叉过敏约1–2%，R1侧链相同/相似（如氨苄西林/阿莫西林与头孢氨苄、头孢羟氨苄、头孢克洛）时风险更高"),
                 X("carbapenem", "rare", "交叉过敏<1%，速发型严重过敏史者仍需评估")],
          preg=PG("B", "妊娠期可用"), lact=L("compatible"), src=SKIN,
          contra=[C("Z88.0", "青霉素类过敏史或青霉素皮试阳性")],
          notes="国内使用青霉素类前须询问过敏史并按规定做青霉素皮试")
drug("penicillin_g", "青霉素", "benzylpenicillin", "J01CE01", "天然青霉素", PEN, syn="青霉素G,苄青霉素,盘尼西林",
     salts="青霉素钠,青霉素钾", routes="im,iv", forms="注射用粉针", grade=NR,
     doses=[D("im", "80万–200万 U/d，分3–4次"), D("iv", "200万–2000万 U/d，分2–4次静滴")],
     renal=[R("CrCl", 10, "reduce_dose", "严重肾功能不全减量（大剂量可致青霉素脑病）")],
     notes="青霉素钾不可静注，静滴需控制钾负荷；国内使用前须皮试")
drug("benzathine_penicillin", "苄星青霉素", "benzathine benzylpenicillin", "J01CE08", "长效青霉素", PEN,
     syn="长效青霉素,长效西林", routes="im", forms="注射用粉针", grade=NR,
     doses=[D("im", "60万–120万 U 单次或每2–4周；梅毒 240万 U 每周1次按疗程")],
     notes="严禁静脉注射")
drug("amoxicillin", "阿莫西林", "amoxicillin", "J01CA04", "氨基青霉素", PEN, brands="阿莫仙,再林",
     routes="po", forms="胶囊,片剂,颗粒,干混悬剂", grade=NR, tags_extra="aminopenicillin",
     doses=[D("po", "0.5 g q6–8h（幽门螺杆菌根除 1 g bid–tid 按方案）", max_daily=4, unit="g")],
     renal=[R("CrCl", 30, "extend_interval", "CrCl 10–30：0.25–0.5 g q12h；<10：q24h")])
drug("amoxicillin_clavulanate", "阿莫西林克拉维酸钾", "amoxicillin/clavulanate", "J01CR02", "青霉素/β-内酰胺酶抑制剂复方",
     PEN, syn="阿莫西林/克拉维酸,复方阿莫西林", brands="安灭菌,奥格门汀,力百汀", routes="po,iv",
     forms="片剂,干混悬剂,注射用粉针", grade=NR, tags_extra="aminopenicillin,bli_combination",
     grade_note=VARIES,
     doses=[D("po", "0.625 g tid 或 1 g（875/125）bid"), D("iv", "1.2 g q8h")],
     renal=[R("CrCl", 30, "reduce_dose", "CrCl<30 不用875/125规格，按说明书调整")],
     contra_extra=[C("K71,K83.1", "既往阿莫西林克拉维酸相关胆汁淤积性黄疸/肝损害")])
drug("ampicillin", "氨苄西林", "ampicillin", "J01CA01", "氨基青霉素", PEN, salts="氨苄西林钠",
     routes="iv,im", forms="注射用粉针", grade=NR, tags_extra="aminopenicillin",
     doses=[D("iv", "1–2 g q4–6h")], renal=[R("CrCl", 30, "extend_interval", "CrCl<30 延长给药间隔")])
drug("ampicillin_sulbactam", "氨苄西林舒巴坦", "ampicillin/sulbactam", "J01CR01", "青霉素/β-内酰胺酶抑制剂复方",
     PEN, syn="氨苄西林钠舒巴坦钠", brands="优立新", routes="iv,im", forms="注射用粉针", grade=RS,
     grade_note=VARIES, tags_extra="aminopenicillin,bli_combination",
     doses=[D("iv", "1.5–3 g q6h", max_daily=12, unit="g", note="舒巴坦每日不超过4 g")],
     renal=[R("CrCl", 30, "extend_interval", "CrCl 15–29 q12h；5–14 q24h")])
drug("piperacillin_tazobactam", "哌拉西林他唑巴坦", "piperacillin/tazobactam", "J01CR05", "青霉素/β-内酰胺酶抑制剂复方",
     PEN, syn="哌拉西林钠他唑巴坦钠", brands="特治星,锋泰灵", routes="iv", forms="注射用粉针", grade=RS,
     tags_extra="antipseudomonal_beta_lactam,bli_combination",
     doses=[D("iv", "4.5 g q6–8h（可延长输注）", max_daily=18, unit="g")],
     renal=[R("CrCl", 40, "reduce_dose", "CrCl 20–40：4.5 g q8h 或 3.375 g q6h；<20：2.25–4.5 g q8–12h")])
drug("piperacillin", "哌拉西林", "piperacillin", "J01CA12", "广谱青霉素", PEN, salts="哌拉西林钠", routes="iv,im",
     forms="注射用粉针", grade=RS, grade_note=VARIES, doses=[D("iv", "2–4 g q6–8h")])
drug("mezlocillin", "美洛西林", "mezlocillin", "J01CA10", "广谱青霉素", PEN, salts="美洛西林钠", routes="iv",
     forms="注射用粉针", grade=RS, grade_note=VARIES, doses=[D("iv", "2–3 g q6–8h")])
drug("oxacillin", "苯唑西林", "oxacillin", "J01CF04", "耐酶青霉素", PEN, salts="苯唑西林钠", routes="iv,im",
     forms="注射用粉针", grade=NR, doses=[D("iv", "1–2 g q4–6h")])

CEPH_X = [X("penicillin", "low", "与青霉素交叉过敏约1–2%，R1侧链相似时更高；青霉素非严重过敏者多可使用侧链不同的头孢"),
          X("carbapenem", "rare", "交叉过敏罕见")]
CEPH = fam(tags="antibacterial,beta_lactam,cephalosporin", dup="beta_lactam", allergy="cephalosporin",
           cross=CEPH_X, preg=PG("B", "妊娠期可用"), lact=L("compatible"), src=SKIN,
           contra=[C("Z88.1", "头孢菌素类过敏史；青霉素类速发型严重过敏史者慎用", "contraindicated")],
           notes="国内不推荐常规头孢菌素皮试，除非说明书要求或既往有头孢速发型过敏需评估")
NMTT = "含N-甲基硫四氮唑侧链：可致低凝血酶原血症/出血，用药期间及停药后数日内饮酒或含乙醇药物可致双硫仑样反应"
drug("cefazolin", "头孢唑林", "cefazolin", "J01DB04", "第一代头孢菌素", CEPH, salts="头孢唑林钠", routes="iv,im",
     forms="注射用粉针", grade=NR, tags_extra="cephalosporin_1g",
     doses=[D("iv", "1–2 g q8h；围手术期预防 1–2 g 切皮前0.5–1 h")],
     renal=[R("CrCl", 55, "extend_interval", "CrCl 35–54 q8h 剂量不变；11–34 半量 q12h；≤10 半量 q18–24h")])
drug("cefalexin", "头孢氨苄", "cefalexin", "J01DB01", "第一代头孢菌素", CEPH, syn="先锋霉素IV", routes="po",
     forms="胶囊,片剂,颗粒", grade=NR, tags_extra="cephalosporin_1g",
     doses=[D("po", "0.25–0.5 g q6h", max_daily=4, unit="g")],
     cross=[X("penicillin", "moderate", "与氨苄西林/阿莫西林R1侧链相同，对氨基青霉素过敏者交叉风险较高"),
            X("carbapenem", "rare", "交叉过敏罕见")])
drug("cefradine", "头孢拉定", "cefradine", "J01DB09", "第一代头孢菌素", CEPH, syn="先锋霉素VI", routes="po,iv,im",
     forms="胶囊,注射用粉针", grade=NR, tags_extra="cephalosporin_1g",
     doses=[D("po", "0.25–0.5 g q6h", max_daily=4, unit="g"), D("iv", "0.5–1 g q6h", max_daily=8, unit="g")],
     notes="注射剂有血尿报告，使用中注意尿检")
drug("cefadroxil", "头孢羟氨苄", "cefadroxil", "J01DB05", "第一代头孢菌素", CEPH, routes="po", forms="胶囊,片剂",
     grade=NR, tags_extra="cephalosporin_1g", doses=[D("po", "0.5–1 g bid")],
     cross=[X("penicillin", "moderate", "与阿莫西林R1侧链相同，氨基青霉素过敏者交叉风险较高")])
drug("cefuroxime", "头孢呋辛", "cefuroxime", "J01DC02", "第二代头孢菌素", CEPH, salts="头孢呋辛钠,头孢呋辛酯",
     brands="西力欣,达力新,伏乐新", routes="iv,im,po", forms="注射用粉针,片剂", grade=NR,
     tags_extra="cephalosporin_2g",
     doses=[D("iv", "0.75–1.5 g q8h"), D("po", "头孢呋辛酯 0.25–0.5 g bid 餐后")],
     renal=[R("CrCl", 20, "extend_interval", "CrCl 10–20 q12h；<10 q24h（注射剂）")])
drug("cefaclor", "头孢克洛", "cefaclor", "J01DC04", "第二代头孢菌素", CEPH, brands="希刻劳,新达罗", routes="po",
     forms="胶囊,缓释片,干混悬剂", grade=NR, tags_extra="cephalosporin_2g",
     doses=[D("po", "0.25–0.5 g tid；缓释片 0.375–0.75 g bid")],
     cross=[X("penicillin", "moderate", "与氨苄西林R1侧链相似，交叉风险较高"), X("carbapenem", "rare", "罕见")],
     notes="血清病样反应多见于儿童")
drug("cefprozil", "头孢丙烯", "cefprozil", "J01DC10", "第二代头孢菌素", CEPH, routes="po", forms="片剂,干混悬剂",
     grade=NR, tags_extra="cephalosporin_2g", doses=[D("po", "0.25–0.5 g qd–bid")],
     cross=[X("penicillin", "moderate", "与阿莫西林R1侧链相似"), X("carbapenem", "rare", "罕见")])
drug("cefotiam", "头孢替安", "cefotiam", "J01DC07", "第二代头孢菌素", CEPH, salts="盐酸头孢替安", routes="iv,im",
     forms="注射用粉针", grade=NR, grade_note=VARIES, tags_extra="cephalosporin_2g",
     doses=[D("iv", "1–2 g/d 分2–4次，重症可至 4 g/d", max_daily=4, unit="g")])
drug("cefoxitin", "头孢西丁", "cefoxitin", "J01DC01", "头霉素类（二代）", CEPH, salts="头孢西丁钠", routes="iv",
     forms="注射用粉针", grade=RS, grade_note=VARIES, tags_extra="cephalosporin_2g,cephamycin",
     doses=[D("iv", "1–2 g q6–8h", max_daily=12, unit="g")])
drug("cefmetazole", "头孢美唑", "cefmetazole", "J01DC09", "头霉素类（二代）", CEPH, salts="头孢美唑钠", routes="iv",
     forms="注射用粉针", grade=RS, grade_note=VARIES, tags_extra="cephalosporin_2g,cephamycin,disulfiram_like,nmtt_side_chain",
     doses=[D("iv", "1–2 g/d 分2次，重症可至 4 g/d", max_daily=4, unit="g")], notes=NMTT)
drug("ceftriaxone", "头孢曲松", "ceftriaxone", "J01DD04", "第三代头孢菌素", CEPH, salts="头孢曲松钠",
     brands="罗氏芬,菌必治", routes="iv,im", forms="注射用粉针", grade=NR, grade_note=VARIES,
     tags_extra="cephalosporin_3g",
     doses=[D("iv", "1–2 g qd；脑膜炎 2 g q12h", max_daily=4, unit="g")],
     peds=[P(0.08, "contraindicated", "高胆红素血症新生儿（尤其早产儿）禁用；≤28天新生儿需要（或预期需要）静脉含钙溶液时禁用",
             condition="高胆红素血症、早产，或需同时静脉输注含钙溶液")],
     contra_extra=[C("P59", "新生儿高胆红素血症")],
     hepatic=[H("severe", "caution", "严重肝肾功能同时不全时限制剂量（≤2 g/d）")],
     notes="不得与含钙溶液在同一管路混合；可致胆泥（假性胆石症）")
drug("cefotaxime", "头孢噻肟", "cefotaxime", "J01DD01", "第三代头孢菌素", CEPH, salts="头孢噻肟钠", routes="iv,im",
     forms="注射用粉针", grade=NR, grade_note=VARIES, tags_extra="cephalosporin_3g",
     doses=[D("iv", "1–2 g q8–12h", max_daily=12, unit="g")],
     renal=[R("CrCl", 20, "reduce_dose", "CrCl<20 剂量减半")])
drug("ceftazidime", "头孢他啶", "ceftazidime", "J01DD02", "第三代头孢菌素（抗假单胞）", CEPH, brands="复达欣,凯复定",
     routes="iv,im", forms="注射用粉针", grade=RS, tags_extra="cephalosporin_3g,antipseudomonal_beta_lactam",
     doses=[D("iv", "1–2 g q8–12h", max_daily=6, unit="g")],
     renal=[R("CrCl", 50, "extend_interval", "CrCl 31–50：1 g q12h；16–30：1 g q24h；≤15 更低")],
     cross=[*CEPH_X, X("monobactam", "moderate", "与氨曲南R1侧链相同，可交叉过敏")])
drug("cefoperazone", "头孢哌酮", "cefoperazone", "J01DD12", "第三代头孢菌素", CEPH, salts="头孢哌酮钠", routes="iv",
     forms="注射用粉针", grade=RS, grade_note=VARIES,
     tags_extra="cephalosporin_3g,disulfiram_like,nmtt_side_chain", doses=[D("iv", "1–2 g q12h")],
     hepatic=[H("moderate", "reduce_dose", "主要经胆汁排泄，肝病或胆道梗阻时减量（一般≤4 g/d）")], notes=NMTT)
drug("cefoperazone_sulbactam", "头孢哌酮舒巴坦", "cefoperazone/sulbactam", "J01DD62", "三代头孢/β-内酰胺酶抑制剂复方",
     CEPH, syn="头孢哌酮钠舒巴坦钠", brands="舒普深,铃兰欣", routes="iv", forms="注射用粉针", grade=RS,
     tags_extra="cephalosporin_3g,disulfiram_like,nmtt_side_chain,bli_combination",
     doses=[D("iv", "1:1 制剂 2–4 g/d 分q12h；严重感染可至 8 g/d", max_daily=8, unit="g",
              note="按1:1制剂计，舒巴坦每日不超过4 g")],
     renal=[R("CrCl", 30, "reduce_dose", "CrCl 15–30 舒巴坦≤2 g/d；<15 ≤1 g/d")], notes=NMTT)
drug("ceftizoxime", "头孢唑肟", "ceftizoxime", "J01DD07", "第三代头孢菌素", CEPH, salts="头孢唑肟钠", routes="iv",
     forms="注射用粉针", grade=RS, grade_note=VARIES, tags_extra="cephalosporin_3g", doses=[D("iv", "1–2 g q8–12h")])
drug("cefixime", "头孢克肟", "cefixime", "J01DD08", "第三代头孢菌素（口服）", CEPH, brands="世福素", routes="po",
     forms="胶囊,片剂,颗粒", grade=NR, grade_note=VARIES, tags_extra="cephalosporin_3g",
     doses=[D("po", "100–200 mg bid", max_daily=400, unit="mg")])
drug("cefdinir", "头孢地尼", "cefdinir", "J01DD15", "第三代头孢菌素（口服）", CEPH, brands="全泽复,世扶尼",
     routes="po", forms="胶囊,分散片", grade=NR, grade_note=VARIES, tags_extra="cephalosporin_3g",
     doses=[D("po", "100 mg tid（国内）或 300 mg bid", max_daily=600, unit="mg")], notes="与铁剂同服可致红色粪便并降低吸收")
drug("cefpodoxime", "头孢泊肟", "cefpodoxime", "J01DD13", "第三代头孢菌素（口服）", CEPH, salts="头孢泊肟酯",
     routes="po", forms="片剂,干混悬剂", grade=NR, grade_note=VARIES, tags_extra="cephalosporin_3g",
     doses=[D("po", "100–200 mg bid")])
drug("cefepime", "头孢吡肟", "cefepime", "J01DE01", "第四代头孢菌素", CEPH, salts="盐酸头孢吡肟", brands="马斯平",
     routes="iv", forms="注射用粉针", grade=RS, grade_note=VARIES,
     tags_extra="cephalosporin_4g,antipseudomonal_beta_lactam",
     doses=[D("iv", "1–2 g q8–12h", max_daily=6, unit="g")],
     renal=[R("CrCl", 60, "reduce_dose", "CrCl≤60 必须按说明书减量，否则可致脑病、非惊厥性癫痫持续状态")])
drug("ceftazidime_avibactam", "头孢他啶阿维巴坦", "ceftazidime/avibactam", "J01DD52", "三代头孢/新型β-内酰胺酶抑制剂",
     CEPH, syn="头孢他啶阿维巴坦钠", brands="思福妥", routes="iv", forms="注射用粉针", grade=SP,
     grade_note="多数省级目录为特殊使用级，以本院目录为准",
     tags_extra="cephalosporin_3g,antipseudomonal_beta_lactam,bli_combination",
     doses=[D("iv", "2.5 g q8h 输注2 h")],
     renal=[R("CrCl", 50, "reduce_dose", "CrCl≤50 按说明书分档减量")],
     cross=[*CEPH_X, X("monobactam", "moderate", "头孢他啶与氨曲南侧链相同")])
drug("latamoxef", "拉氧头孢", "latamoxef", "J01DD06", "氧头孢烯类", CEPH, salts="拉氧头孢钠", syn="羟羧氧酰胺菌素",
     routes="iv", forms="注射用粉针", grade=RS, grade_note=VARIES,
     tags_extra="cephalosporin_3g,oxacephem,disulfiram_like,nmtt_side_chain", doses=[D("iv", "1–2 g/d 分2次，重症可至 4 g/d")],
     notes=NMTT + "；出血风险较突出，必要时补充维生素K")
drug("flomoxef", "氟氧头孢", "flomoxef", "J01DC14", "氧头孢烯类", CEPH, salts="氟氧头孢钠", routes="iv",
     forms="注射用粉针", grade=RS, grade_note=VARIES, tags_extra="cephalosporin_2g,oxacephem",
     doses=[D("iv", "1–2 g/d 分2次，重症可至 4 g/d")])

CARB = fam(tags="antibacterial,beta_lactam,carbapenem", dup="beta_lactam", allergy="carbapenem",
           cross=[X("penicillin", "rare", "青霉素过敏者交叉过敏<1%；速发型严重过敏史者需评估或在监护下使用"),
                  X("cephalosporin", "rare", "交叉过敏罕见")],
           routes="iv", forms="注射用粉针", grade=SP,
           grade_note="碳青霉烯类按国家要求列为特殊使用级并专档管理（国卫办医发〔2017〕10号）",
           preg=PG("B", "妊娠期资料有限，必要时使用"), lact=L("caution"),
           contra=[C("", "碳青霉烯类过敏史")], notes="与丙戊酸合用可使丙戊酸血药浓度骤降，避免合用")
drug("imipenem_cilastatin", "亚胺培南西司他丁", "imipenem/cilastatin", "J01DH51", "碳青霉烯类", CARB,
     syn="亚胺培南,亚胺培南西司他丁钠", brands="泰能,齐佩能",
     doses=[D("iv", "0.5 g q6h 或 1 g q8h", max_daily=4, unit="g", note="按亚胺培南计")],
     preg=PG("C", "资料有限"),
     renal=[R("CrCl", 70, "reduce_dose", "肾功能下降需按CrCl减量，否则易致惊厥")],
     contra_extra=[C("G40", "癫痫或中枢神经系统疾病（惊厥风险较其他碳青霉烯高）", "caution")])
drug("meropenem", "美罗培南", "meropenem", "J01DH02", "碳青霉烯类", CARB, brands="美平,倍能",
     doses=[D("iv", "0.5–1 g q8h；脑膜炎 2 g q8h", max_daily=6, unit="g")],
     renal=[R("CrCl", 50, "extend_interval", "CrCl 26–50：常规量 q12h；10–25：半量 q12h；<10：半量 q24h")])
drug("biapenem", "比阿培南", "biapenem", "J01DH05", "碳青霉烯类", CARB, brands="天册",
     doses=[D("iv", "0.3 g q12h，重症可 0.3 g q6–8h", max_daily=1.2, unit="g")],
     renal=[R("CrCl", 50, "reduce_dose", "肾功能不全减量或延长间隔")])
drug("ertapenem", "厄他培南", "ertapenem", "J01DH03", "碳青霉烯类（无抗假单胞活性）", CARB, brands="怡万之",
     routes="iv,im", doses=[D("iv", "1 g qd", max_daily=1, unit="g")],
     renal=[R("CrCl", 30, "reduce_dose", "CrCl≤30：0.5 g qd")])
drug("faropenem", "法罗培南", "faropenem", "J01DI03", "青霉烯类（口服）", CARB, salts="法罗培南钠", routes="po",
     forms="片剂,颗粒", grade=RS, grade_note=VARIES, tags="antibacterial,beta_lactam,penem",
     doses=[D("po", "150–300 mg tid")], notes="腹泻较常见")
drug("aztreonam", "氨曲南", "aztreonam", "J01DF01", "单环β-内酰胺类", None,
     tags="antibacterial,beta_lactam,monobactam", dup="beta_lactam", routes="iv,im", forms="注射用粉针",
     grade=RS, grade_note=VARIES, allergy="monobactam",
     cross=[X("cephalosporin", "moderate", "与头孢他啶R1侧链相同，头孢他啶过敏者慎用"),
            X("penicillin", "rare", "与青霉素类几乎无交叉过敏，可用于青霉素过敏者")],
     doses=[D("iv", "1–2 g q8–12h", max_daily=8, unit="g")],
     renal=[R("CrCl", 30, "reduce_dose", "CrCl 10–30 首剂后维持量减半"), ],
     preg=PG("B", "资料有限"), lact=L("compatible"))

FQ = fam(tags="antibacterial,fluoroquinolone,qt_known,dysglycemia_risk,chelation_sensitive", dup="fluoroquinolone",
         allergy="fluoroquinolone", cross=[X("fluoroquinolone", "moderate", "喹诺酮类之间可交叉过敏")],
         peds=[P(18, "contraindicated", "国内说明书：18岁以下禁用（动物幼体关节软骨损害）")],
         preg=PG("C", "国内说明书孕妇禁用"), lact=L("avoid"),
         contra=[C("Z33", "妊娠"), C("G70.0", "重症肌无力（可加重肌无力甚至呼吸衰竭）"),
                 C("M65,M66,M76", "既往喹诺酮相关肌腱炎或肌腱断裂"), C("I45.8", "长QT综合征", "avoid"),
                 C("G40", "癫痫或其他中枢神经系统疾病", "caution"), C("I71", "主动脉瘤或夹层风险人群", "caution")],
         notes="肌腱炎/断裂（老年、合用糖皮质激素风险高）、周围神经病、中枢反应、血糖紊乱；与含多价阳离子药物间隔服用")
drug("levofloxacin", "左氧氟沙星", "levofloxacin", "J01MA12", "氟喹诺酮类", FQ,
     salts="乳酸左氧氟沙星,盐酸左氧氟沙星,甲磺酸左氧氟沙星", brands="可乐必妥,来立信", routes="po,iv",
     forms="片剂,注射液,滴眼液", grade=NR, grade_note=VARIES,
     doses=[D("po", "0.5 g qd（重症 0.75 g qd）", max_daily=0.75, unit="g"),
            D("iv", "0.5–0.75 g qd，静滴≥60 min（0.5 g）", max_daily=0.75, unit="g")],
     renal=[R("CrCl", 50, "reduce_dose", "CrCl 20–49：首剂后 0.25 g q24h 或 0.75 g q48h；<20：0.25 g q48h")])
drug("moxifloxacin", "莫西沙星", "moxifloxacin", "J01MA14", "氟喹诺酮类", FQ, salts="盐酸莫西沙星", brands="拜复乐",
     routes="po,iv", forms="片剂,注射液", grade=RS, doses=[D("po", "0.4 g qd", max_daily=0.4, unit="g"),
                                                         D("iv", "0.4 g qd 静滴90 min", max_daily=0.4, unit="g")],
     hepatic=[H("severe", "contraindicated", "严重肝功能损伤禁用（国内说明书）")],
     notes="不经肾调整剂量；QT延长作用在喹诺酮中较明显")
drug("ciprofloxacin", "环丙沙星", "ciprofloxacin", "J01MA02", "氟喹诺酮类", FQ, salts="盐酸环丙沙星,乳酸环丙沙星",
     brands="西普乐,悉复欢", routes="po,iv", forms="片剂,注射液", grade=NR, grade_note=VARIES,
     tags_extra="cyp1a2_strong_inhibitor",
     doses=[D("po", "0.25–0.75 g bid", max_daily=1.5, unit="g"), D("iv", "0.2–0.4 g q8–12h", max_daily=1.2, unit="g")],
     renal=[R("CrCl", 30, "extend_interval", "CrCl<30：口服 0.25–0.5 g q18–24h")],
     beers=B("adjust_renal", "CrCl<30 需调整剂量（中枢不良反应、肌腱断裂风险增加）"))
drug("ofloxacin", "氧氟沙星", "ofloxacin", "J01MA01", "氟喹诺酮类", FQ, routes="po,iv,ophthalmic,otic",
     forms="片剂,注射液,滴眼液,滴耳液", grade=NR, grade_note=VARIES,
     tags="antibacterial,fluoroquinolone,qt_possible,dysglycemia_risk,chelation_sensitive",
     doses=[D("po", "0.2–0.4 g bid", max_daily=0.8, unit="g")],
     renal=[R("CrCl", 50, "reduce_dose", "CrCl 20–50 q24h；<20 半量 q24h")])
drug("norfloxacin", "诺氟沙星", "norfloxacin", "J01MA06", "氟喹诺酮类", FQ, syn="氟哌酸", routes="po",
     forms="胶囊,片剂", grade=NR, tags="antibacterial,fluoroquinolone,qt_possible,chelation_sensitive",
     doses=[D("po", "0.4 g bid", max_daily=0.8, unit="g")],
     renal=[R("CrCl", 30, "extend_interval", "CrCl≤30：0.4 g qd")])
drug("sitafloxacin", "西他沙星", "sitafloxacin", "J01MA21", "氟喹诺酮类", FQ, routes="po", forms="片剂", grade=RS,
     grade_note=VARIES, tags="antibacterial,fluoroquinolone,qt_possible,dysglycemia_risk,chelation_sensitive",
     doses=[D("po", "50 mg bid 或 100 mg qd，重症可 100 mg bid")],
     renal=[R("CrCl", 50, "reduce_dose", "CrCl<50 减量")])
drug("nemonoxacin", "奈诺沙星", "nemonoxacin", None, "无氟喹诺酮类", FQ, salts="苹果酸奈诺沙星", brands="太捷信",
     routes="po,iv", forms="胶囊,注射液", grade=RS, grade_note=VARIES,
     tags="antibacterial,fluoroquinolone,qt_possible,chelation_sensitive",
     doses=[D("po", "0.5 g qd"), D("iv", "0.5 g qd")])

MAC = fam(tags="antibacterial,macrolide", dup="macrolide", allergy="macrolide",
          cross=[X("macrolide", "moderate", "大环内酯类之间可交叉过敏")], lact=L("caution"),
          contra=[C("I45.8", "长QT综合征", "avoid")])
drug("azithromycin", "阿奇霉素", "azithromycin", "J01FA10", "大环内酯类（15元环）", MAC, brands="希舒美,维宏,泰力特",
     tags_extra="qt_known", routes="po,iv", forms="片剂,胶囊,干混悬剂,注射用粉针", grade=NR, grade_note=VARIES,
     doses=[D("po", "0.5 g qd×3 d；或首日 0.5 g 后 0.25 g qd×4 d", note="单剂1 g（衣原体）等特殊方案除外"),
            D("iv", "0.5 g qd，浓度≤2 mg/mL 静滴≥1 h")], preg=PG("B", "妊娠期可用"),
     hepatic=[H("severe", "avoid", "严重肝病避免")])
drug("clarithromycin", "克拉霉素", "clarithromycin", "J01FA09", "大环内酯类（14元环）", MAC, brands="克拉仙,利迈先",
     tags_extra="qt_known,cyp3a4_strong_inhibitor,pgp_inhibitor", routes="po", forms="片剂,缓释片,颗粒",
     grade=NR, grade_note=VARIES, doses=[D("po", "0.25–0.5 g bid", max_daily=1, unit="g")],
     renal=[R("CrCl", 30, "reduce_dose", "CrCl<30 剂量减半")], preg=PG("C", "妊娠期避免，除非无替代"),
     contra_extra=[C("", "与辛伐他汀、洛伐他汀、口服咪达唑仑、替格瑞洛、伊伐布雷定等CYP3A4敏感底物合用")])
drug("erythromycin", "红霉素", "erythromycin", "J01FA01", "大环内酯类（14元环）", MAC,
     salts="琥乙红霉素,乳糖酸红霉素,硬脂酸红霉素,依托红霉素", routes="po,iv,topical,ophthalmic",
     forms="肠溶片,注射用粉针,软膏,眼膏", grade=NR,
     tags_extra="qt_known,cyp3a4_moderate_inhibitor,pgp_inhibitor",
     doses=[D("po", "0.25–0.5 g q6–8h", max_daily=4, unit="g"), D("iv", "乳糖酸红霉素 0.5–1 g q8–12h，浓度≤1 mg/mL缓慢滴注")],
     preg=PG("B", "依托红霉素（酯化物）妊娠期禁用（肝毒性）"),
     notes="乳糖酸红霉素需先用注射用水溶解，不可直接用氯化钠溶解")
drug("roxithromycin", "罗红霉素", "roxithromycin", "J01FA06", "大环内酯类（14元环）", MAC, brands="罗力得",
     tags_extra="qt_possible", routes="po", forms="片剂,胶囊", grade=NR,
     doses=[D("po", "150 mg bid 或 300 mg qd 空腹", max_daily=300, unit="mg")])
drug("clindamycin", "克林霉素", "clindamycin", "J01FF01", "林可酰胺类", None,
     tags="antibacterial,lincosamide", dup="lincosamide", allergy="lincosamide",
     salts="盐酸克林霉素,克林霉素磷酸酯,盐酸克林霉素棕榈酸酯", brands="特丽仙,力派", routes="po,iv,im,topical",
     forms="胶囊,注射液,凝胶", grade=NR,
     doses=[D("po", "150–450 mg q6h", max_daily=1.8, unit="g"), D("iv", "0.6–1.2 g/d 分2–4次，重症可至 2.7 g/d",
                                                                max_daily=4.8, unit="g")],
     preg=PG("B", "妊娠期可用"), lact=L("caution"),
     hepatic=[H("severe", "reduce_dose", "重度肝病延长半衰期")],
     notes="艰难梭菌相关腹泻风险较高；可增强神经肌肉阻滞剂作用")
drug("lincomycin", "林可霉素", "lincomycin", "J01FF02", "林可酰胺类", None, tags="antibacterial,lincosamide",
     dup="lincosamide", salts="盐酸林可霉素", routes="im,iv,po", forms="注射液,胶囊", grade=NR,
     doses=[D("iv", "0.6 g q8–12h"), D("po", "0.5 g tid–qid")], allergy="lincosamide")

TET = fam(tags="antibacterial,tetracycline,chelation_sensitive", dup="tetracycline", allergy="tetracycline",
          peds=[P(8, "contraindicated", "8岁以下儿童禁用（牙齿永久着色、釉质发育不良、骨生长抑制）")],
          preg=PG("D", "妊娠中晚期影响胎儿牙齿和骨骼，妊娠期禁用"), lact=L("avoid", "短疗程多西环素风险较低，仍建议避免"),
          contra=[C("Z33", "妊娠")], routes="po", forms="片剂,胶囊", notes="光敏反应；与含多价阳离子药物间隔服用")
drug("doxycycline", "多西环素", "doxycycline", "J01AA02", "四环素类", TET, syn="强力霉素,脱氧土霉素",
     salts="盐酸多西环素,多西环素盐酸盐", brands="永喜", grade=NR, routes="po,iv",
     doses=[D("po", "首剂 200 mg，随后 100 mg q12h", max_daily=200, unit="mg")], notes="宜足量水送服并保持直立，防食管溃疡")
drug("minocycline", "米诺环素", "minocycline", "J01AA08", "四环素类", TET, salts="盐酸米诺环素", brands="美满霉素,玫满",
     grade=RS, doses=[D("po", "首剂 200 mg，随后 100 mg q12h", max_daily=200, unit="mg")],
     notes="前庭反应（眩晕）、色素沉着、自身免疫样反应")
drug("tetracycline", "四环素", "tetracycline", "J01AA07", "四环素类", TET, salts="盐酸四环素", grade=NR,
     doses=[D("po", "0.25–0.5 g q6h", max_daily=2, unit="g")],
     renal=[R("CrCl", 50, "avoid", "肾功能不全加重氮质血症，改用多西环素")])
drug("tigecycline", "替加环素", "tigecycline", "J01AA12", "甘氨酰环素类", TET, brands="泰阁,泽坦", routes="iv",
     forms="注射用粉针", grade=SP, grade_note="按国家要求为特殊使用级并专档管理（国卫办医发〔2017〕10号）",
     tags="antibacterial,tetracycline,glycylcycline",
     peds=[P(18, "avoid", "18岁以下不推荐（死亡率信号；8岁以下另有牙齿着色风险）")],
     doses=[D("iv", "首剂 100 mg，随后 50 mg q12h")],
     hepatic=[H("severe", "reduce_dose", "Child-Pugh C：首剂100 mg后 25 mg q12h")],
     notes="全因死亡率增加的黑框警示，仅在无替代时使用；恶心呕吐常见；可致低纤维蛋白原血症")

AG = fam(tags="antibacterial,aminoglycoside,nephrotoxic,ototoxic", dup="aminoglycoside", allergy="aminoglycoside",
         cross=[X("aminoglycoside", "moderate", "氨基糖苷类之间可交叉过敏")], routes="iv,im", forms="注射液",
         peds=[P(18, "caution", "儿童应尽量避免；确有指征且无低毒替代时使用并监测血药浓度（抗菌药物临床应用指导原则2015）")],
         preg=PG("D", "可致胎儿第八对脑神经损害"), lact=L("caution"),
         contra=[C("G70.0", "重症肌无力"), C("H90,H91", "已有听力损害", "caution")],
         renal=[R("CrCl", 60, "extend_interval", "按CrCl延长给药间隔并监测血药浓度和肾功能")],
         src="《抗菌药物临床应用指导原则（2015年版）》", notes="一日一次给药可降低肾毒性；疗程尽量≤7–10 d")
drug("gentamicin", "庆大霉素", "gentamicin", "J01GB03", "氨基糖苷类", AG, salts="硫酸庆大霉素", grade=NR,
     doses=[D("iv", "3–5 mg/kg/d，qd 或分次", note="按体重计；监测谷浓度")])
drug("amikacin", "阿米卡星", "amikacin", "J01GB06", "氨基糖苷类", AG, salts="硫酸阿米卡星", grade=RS, grade_note=VARIES,
     doses=[D("iv", "15 mg/kg/d qd", max_daily=1.5, unit="g")])
drug("etimicin", "依替米星", "etimicin", None, "氨基糖苷类", AG, salts="硫酸依替米星", grade=RS, grade_note=VARIES,
     doses=[D("iv", "0.1–0.15 g q12h 或 0.2–0.3 g qd", max_daily=0.3, unit="g")])
drug("tobramycin", "妥布霉素", "tobramycin", "J01GB01", "氨基糖苷类", AG, salts="硫酸妥布霉素",
     routes="iv,im,ophthalmic,inh", forms="注射液,滴眼液", grade=RS, grade_note=VARIES,
     doses=[D("iv", "3–5 mg/kg/d")])
drug("streptomycin", "链霉素", "streptomycin", "J01GA01", "氨基糖苷类（抗结核）", AG, salts="硫酸链霉素",
     routes="im", tags_extra="antituberculosis", doses=[D("im", "0.75 g qd（抗结核）", max_daily=1, unit="g")])

GP = fam(tags="antibacterial,glycopeptide,nephrotoxic", dup="glycopeptide", allergy="glycopeptide",
         cross=[X("glycopeptide", "low", "万古霉素与替考拉宁真正过敏交叉少见，严重反应史者慎用")],
         routes="iv", forms="注射用粉针", grade=SP, grade_note="多数省级目录为特殊使用级，以本院目录为准",
         preg=PG("C", "静脉用可能有耳肾毒性风险"), lact=L("caution"))
drug("vancomycin", "万古霉素", "vancomycin", "J01XA01", "糖肽类", GP, salts="盐酸万古霉素", brands="稳可信,来可信",
     routes="iv,po", tags_extra="ototoxic",
     doses=[D("iv", "15–20 mg/kg q8–12h，重症可给负荷 20–35 mg/kg；按TDM（AUC 400–600 或谷浓度）调整",
              note="输注速度≤10 mg/min 且≥60 min"),
            D("po", "艰难梭菌感染 125 mg q6h×10 d", indication="艰难梭菌感染")],
     renal=[R("CrCl", 90, "monitor", "肾功能下降按TDM延长间隔/减量")],
     notes="快速输注致输注反应（红人综合征），非过敏；与其他肾毒性药物合用监测肾功能")
drug("norvancomycin", "去甲万古霉素", "norvancomycin", None, "糖肽类", GP, salts="盐酸去甲万古霉素",
     doses=[D("iv", "0.8–1.6 g/d 分2–3次")], renal=[R("CrCl", 90, "monitor", "肾功能不全减量并监测")])
drug("teicoplanin", "替考拉宁", "teicoplanin", "J01XA02", "糖肽类", GP, brands="他格适", routes="iv,im",
     doses=[D("iv", "负荷 6–12 mg/kg q12h×3 剂，随后 6–12 mg/kg qd")],
     renal=[R("CrCl", 80, "extend_interval", "用药第4天起按CrCl延长间隔或减量")])
drug("linezolid", "利奈唑胺", "linezolid", "J01XX08", "噁唑烷酮类", None,
     tags="antibacterial,oxazolidinone,maoi_weak", dup="oxazolidinone", brands="斯沃", routes="po,iv",
     forms="片剂,注射液", grade=SP, grade_note="多数省级目录为特殊使用级，以本院目录为准",
     doses=[D("po", "600 mg q12h", max_daily=1200, unit="mg"), D("iv", "600 mg q12h", max_daily=1200, unit="mg")],
     preg=PG("C", "资料有限"), lact=L("caution"),
     notes="疗程>2周需每周查血常规（骨髓抑制）；视神经/周围神经病变；乳酸酸中毒；弱MAO抑制，避免大量含酪胺食物")
drug("daptomycin", "达托霉素", "daptomycin", "J01XX09", "环脂肽类", None, tags="antibacterial,lipopeptide",
     routes="iv", forms="注射用粉针", grade=SP, doses=[D("iv", "4–6 mg/kg qd（菌血症常用更高剂量需专科）")],
     renal=[R("CrCl", 30, "extend_interval", "CrCl<30：q48h")],
     notes="不用于肺炎（被肺表面活性物质灭活）；监测CK，合用他汀时注意肌病")
POLY = fam(tags="antibacterial,polymyxin,nephrotoxic,neurotoxic", dup="polymyxin", routes="iv", forms="注射用粉针",
           grade=SP, allergy="polymyxin", contra=[C("G70.0", "重症肌无力")],
           renal=[R("CrCl", 80, "monitor", "按说明书/国际共识调整，密切监测肾功能")],
           notes="肾毒性和神经毒性（神经肌肉阻滞、呼吸抑制）")
drug("polymyxin_b", "多黏菌素B", "polymyxin B", "J01XB02", "多黏菌素类", POLY, salts="硫酸多黏菌素B",
     doses=[D("iv", "负荷 2–2.5 mg/kg，随后 1.25–1.5 mg/kg q12h（1 mg=1万U）",
              note="国内说明书剂量表述不同，以说明书和专科意见为准")])
drug("colistin", "黏菌素", "colistin", "J01XB01", "多黏菌素类", POLY, syn="多黏菌素E",
     salts="多黏菌素E甲磺酸钠,硫酸黏菌素", doses=[D("iv", "按CBA或万U计，依说明书和肾功能确定")],
     notes="多黏菌素E甲磺酸钠与硫酸黏菌素剂量单位不同，易混淆")
drug("fosfomycin", "磷霉素", "fosfomycin", "J01XX01", "磷霉素类", None, tags="antibacterial,fosfomycin",
     salts="磷霉素氨丁三醇,磷霉素钙,磷霉素钠", routes="po,iv", forms="颗粒,胶囊,注射用粉针", grade=NR,
     grade_note="口服剂型多为非限制使用级；注射剂部分地区为限制使用级",
     doses=[D("po", "磷霉素氨丁三醇 3 g 单剂（单纯性膀胱炎）", indication="单纯性膀胱炎"),
            D("iv", "磷霉素钠 4–12 g/d 分2–3次", max_daily=16, unit="g")],
     notes="注射剂钠负荷大，心衰/高血压患者注意")
drug("nitrofurantoin", "呋喃妥因", "nitrofurantoin", "J01XE01", "硝基呋喃类", None, tags="antibacterial,nitrofuran",
     routes="po", forms="肠溶片,胶囊", grade=NR, doses=[D("po", "50–100 mg q6h×5–7 d", max_daily=400, unit="mg")],
     renal=[R("CrCl", 30, "avoid", "CrCl<30 避免（疗效差、毒性增加）")],
     peds=[P(0.08, "contraindicated", "新生儿（<1月）禁用：溶血性贫血")],
     preg=PG("B", "妊娠足月（38–42周）及分娩时禁用（新生儿溶血）"),
     contra=[C("D55.0", "G6PD缺乏")],
     beers=B("avoid", "老年人避免长期使用（肺毒性、肝毒性、周围神经病）及CrCl<30 时使用"))

NIM = fam(tags="antibacterial,antiprotozoal,nitroimidazole,disulfiram_like", dup="nitroimidazole",
          allergy="nitroimidazole", cross=[X("nitroimidazole", "moderate", "硝基咪唑类之间可交叉过敏")],
          lact=L("avoid", "哺乳期用药期间及停药后12–72 h暂停哺乳"),
          contra=[C("G35,G40", "活动性中枢神经系统疾病", "caution"), C("D70,D61", "血液病", "caution")],
          notes="用药期间及停药后至少3天内禁酒及含乙醇制剂（双硫仑样反应）")
drug("metronidazole", "甲硝唑", "metronidazole", "J01XD01", "硝基咪唑类", NIM, syn="灭滴灵", routes="po,iv,vaginal",
     forms="片剂,注射液,栓剂,凝胶", grade=NR,
     doses=[D("po", "0.2–0.4 g tid"), D("iv", "0.5 g q8h", max_daily=4, unit="g")],
     preg=PG("B", "国内说明书：妊娠早期禁用"), hepatic=[H("severe", "reduce_dose", "严重肝病减量")],
     tags_extra="qt_possible")
drug("ornidazole", "奥硝唑", "ornidazole", "J01XD03", "硝基咪唑类", NIM, routes="po,iv", forms="片剂,注射液", grade=NR,
     doses=[D("po", "0.5 g bid"), D("iv", "0.5 g q12h")], preg=PG(None, "妊娠早期禁用"),
     hepatic=[H("any", "reduce_dose", "肝功能不全延长给药间隔")])
drug("tinidazole", "替硝唑", "tinidazole", "J01XD02", "硝基咪唑类", NIM, routes="po,iv", forms="片剂,注射液",
     grade=NR, doses=[D("po", "2 g 单剂或 1 g qd")], preg=PG("C", "妊娠早期禁用"))
drug("smz_tmp", "复方磺胺甲噁唑", "sulfamethoxazole/trimethoprim", "J01EE01", "磺胺类/甲氧苄啶复方", None,
     tags="antibacterial,sulfonamide_antibiotic,folate_antagonist,hyperkalemia_risk,cyp2c9_inhibitor,qt_possible",
     syn="SMZ-TMP,SMZco,复方新诺明,TMP-SMX", routes="po,iv", forms="片剂,注射液", grade=NR,
     doses=[D("po", "2片（SMZ 800 mg/TMP 160 mg）bid；肺孢子菌肺炎按TMP 15–20 mg/kg/d 分次")],
     allergy="sulfonamide_antibiotic",
     cross=[X("sulfonamide_nonantibiotic", "low", "与呋塞米、氢氯噻嗪、塞来昔布等非抗菌磺胺结构药物交叉过敏证据有限")],
     peds=[P(0.17, "contraindicated", "2个月以下婴儿禁用（核黄疸）")],
     preg=PG("C", "妊娠晚期近足月禁用（新生儿核黄疸）；叶酸拮抗"), lact=L("avoid"),
     contra=[C("Z88.2", "磺胺类药物过敏"), C("D52,D53.1", "叶酸缺乏所致巨幼细胞贫血"),
             C("D55.0", "G6PD缺乏", "caution")],
     renal=[R("CrCl", 30, "reduce_dose", "CrCl 15–30 剂量减半；<15 避免")],
     beers=B("avoid_combination", "与ACEI/ARB/ARNI合用且肾功能下降时避免（高钾）；与华法林合用避免（出血）"),
     notes="大量饮水防结晶尿；SJS/TEN等严重皮肤反应")

TB = fam(tags="antituberculosis", routes="po", forms="片剂,胶囊", lact=L("caution"),
         src="《中国结核病预防控制工作技术规范（2020年版）》")
drug("isoniazid", "异烟肼", "isoniazid", "J04AC01", "抗结核药", TB, syn="雷米封,INH", routes="po,iv,im",
     tags_extra="hepatotoxic,cyp2c19_inhibitor",
     doses=[D("po", "0.3 g qd（5 mg/kg）", max_daily=0.3, unit="g", note="每日方案；间歇方案剂量不同")],
     contra=[C("K70,K71,K72,K73", "活动性肝病或既往异烟肼相关肝损伤")], preg=PG("C", "妊娠期结核治疗可用"),
     notes="联用维生素B6预防周围神经病；定期查肝功能")
drug("rifampicin", "利福平", "rifampicin", "J04AB02", "抗结核药（利福霉素类）", TB, syn="甲哌利福霉素,RFP",
     tags_extra="hepatotoxic,cyp3a4_strong_inducer,pgp_inducer,cyp2c9_inducer,enzyme_inducer",
     doses=[D("po", "0.45–0.6 g qd 空腹（10 mg/kg）", max_daily=0.6, unit="g")],
     contra=[C("K83.1,R17", "胆道阻塞、黄疸"), C("K72", "严重肝功能不全")], preg=PG("C", "妊娠期结核治疗可用"),
     notes="体液橙红色；强酶诱导，合用药物需全面核查")
drug("rifapentine", "利福喷丁", "rifapentine", "J04AB05", "抗结核药（利福霉素类）", TB,
     tags_extra="hepatotoxic,cyp3a4_strong_inducer,enzyme_inducer", doses=[D("po", "0.6 g 每周1–2次（空腹）")])
drug("pyrazinamide", "吡嗪酰胺", "pyrazinamide", "J04AK01", "抗结核药", TB, tags_extra="hepatotoxic",
     doses=[D("po", "1.5 g qd（20–25 mg/kg）", max_daily=2, unit="g")],
     contra=[C("K72", "严重肝功能不全"), C("M10", "急性痛风", "avoid")], notes="升高血尿酸")
drug("ethambutol", "乙胺丁醇", "ethambutol", "J04AK02", "抗结核药", TB, salts="盐酸乙胺丁醇",
     doses=[D("po", "0.75 g qd（15–25 mg/kg）")],
     peds=[P(13, "caution", "13岁以下儿童难以监测视力，国内说明书不宜应用")],
     renal=[R("CrCl", 30, "extend_interval", "CrCl<30 改为每周3次")],
     contra=[C("H46,H47", "视神经炎"), C("", "糖尿病已有眼底病变", "caution")], notes="球后视神经炎，定期查视力和红绿色觉")

AZ = fam(tags="antifungal,azole", dup="azole_antifungal", allergy="azole", lact=L("caution"))
drug("fluconazole", "氟康唑", "fluconazole", "J02AC01", "三唑类抗真菌药", AZ, brands="大扶康", routes="po,iv",
     forms="胶囊,片剂,注射液", grade=RS, grade_note="口服剂型多为非限制使用级，注射剂多为限制使用级",
     tags_extra="qt_known,cyp3a4_moderate_inhibitor,cyp2c9_strong_inhibitor,cyp2c9_inhibitor,cyp2c19_inhibitor",
     doses=[D("po", "阴道念珠菌病 150 mg 单剂；侵袭性念珠菌病 负荷 800 mg 后 400 mg qd"),
            D("iv", "200–400 mg qd（负荷量加倍）")],
     renal=[R("CrCl", 50, "reduce_dose", "CrCl≤50：负荷量后维持量减半")],
     preg=PG("C", "单剂150 mg为C；长期大剂量为D（致畸报道）"))
drug("itraconazole", "伊曲康唑", "itraconazole", "J02AC02", "三唑类抗真菌药", AZ, brands="斯皮仁诺", routes="po,iv",
     forms="胶囊,口服液,注射液", grade=RS,
     tags_extra="cyp3a4_strong_inhibitor,pgp_inhibitor",
     doses=[D("po", "胶囊 100–200 mg qd–bid 餐后；口服液空腹"), D("iv", "200 mg bid×2 d 后 200 mg qd")],
     renal=[R("CrCl", 30, "contraindicated", "注射剂含环糊精，CrCl<30 禁用")],
     preg=PG("C", "治疗甲癣等非危及生命感染时妊娠期禁用"),
     contra=[C("I50", "心力衰竭（甲癣等非危及生命感染禁用）"),
             C("", "与辛伐他汀、洛伐他汀、口服咪达唑仑、三唑仑、伊伐布雷定、替格瑞洛等合用")],
     hepatic=[H("any", "monitor", "可致肝毒性，监测肝功能")])
drug("voriconazole", "伏立康唑", "voriconazole", "J02AC03", "三唑类抗真菌药", AZ, brands="威凡,丽福康",
     routes="po,iv", forms="片剂,注射用粉针", grade=SP, grade_note="多数目录为特殊使用级（部分地区口服为限制使用级）",
     tags_extra="qt_possible,cyp3a4_strong_inhibitor,cyp2c9_inhibitor,cyp2c19_inhibitor,cyp2c19_substrate",
     doses=[D("iv", "负荷 6 mg/kg q12h×2 剂，维持 4 mg/kg q12h"),
            D("po", "≥40 kg：200 mg q12h（负荷 400 mg q12h×2 剂）", note="空腹服；按TDM谷浓度1–5.5 mg/L调整")],
     renal=[R("CrCl", 50, "avoid", "CrCl<50 避免静脉制剂（辅料SBECD蓄积），改口服")],
     hepatic=[H("mild", "reduce_dose", "Child-Pugh A/B：负荷量不变，维持量减半")],
     preg=PG("D", "动物实验致畸，妊娠期避免"),
     contra=[C("", "与利福平、卡马西平、长效巴比妥、依非韦伦（标准剂量）、西罗莫司、麦角碱类合用")],
     notes="视觉异常、光毒性/皮肤癌、肝毒性、长期用药氟中毒样骨膜炎")
drug("posaconazole", "泊沙康唑", "posaconazole", "J02AC04", "三唑类抗真菌药", AZ, brands="诺科飞", routes="po,iv",
     forms="肠溶片,口服混悬液,注射液", grade=SP, tags_extra="qt_possible,cyp3a4_strong_inhibitor",
     doses=[D("po", "肠溶片 300 mg bid×1 d，随后 300 mg qd；口服混悬液与肠溶片剂量不可互换")],
     contra=[C("", "与辛伐他汀、洛伐他汀、西罗莫司、麦角碱类等合用")])
drug("isavuconazole", "艾沙康唑", "isavuconazole", "J02AC05", "三唑类抗真菌药", AZ, salts="硫酸艾沙康唑",
     brands="科赛拉", routes="po,iv", forms="胶囊,注射用粉针", grade=SP, tags_extra="cyp3a4_moderate_inhibitor",
     doses=[D("iv", "200 mg（艾沙康唑）q8h×6 剂，随后 200 mg qd")],
     contra=[C("I45.8", "家族性短QT综合征"), C("", "与强效CYP3A4抑制剂或诱导剂合用")])
ECH = fam(tags="antifungal,echinocandin", dup="echinocandin", routes="iv", forms="注射用粉针", grade=SP,
          preg=PG("C", "资料有限"), lact=L("caution"))
drug("caspofungin", "卡泊芬净", "caspofungin", "J02AX04", "棘白菌素类", ECH, salts="醋酸卡泊芬净", brands="科赛斯",
     doses=[D("iv", "首日 70 mg，随后 50 mg qd（体重>80 kg 可 70 mg qd）")],
     hepatic=[H("moderate", "reduce_dose", "Child-Pugh B：维持量 35 mg qd")])
drug("micafungin", "米卡芬净", "micafungin", "J02AX05", "棘白菌素类", ECH, salts="米卡芬净钠", brands="米开民",
     doses=[D("iv", "念珠菌血症 100 mg qd；食管念珠菌病 150 mg qd；预防 50 mg qd")])
POL = fam(tags="antifungal,polyene,nephrotoxic,potassium_depleting", dup="polyene", routes="iv",
          forms="注射用粉针", grade=SP, allergy="polyene",
          high_alert="两性霉素B（传统剂型与脂质体均属高警示：脂质体药物和传统同类药物）",
          preg=PG("B", "妊娠期严重真菌感染可用"),
          notes="输注反应、低钾低镁、肾毒性；传统剂型与脂质体剂量相差数倍，混淆可致致死性过量")
drug("amphotericin_b", "两性霉素B", "amphotericin B deoxycholate", "J02AA01", "多烯类抗真菌药", POL,
     syn="两性霉素B去氧胆酸盐",
     doses=[D("iv", "0.5–0.7 mg/kg/d（从小剂量递增），避光缓慢输注6 h以上", max_daily=1, unit="mg/kg",
              note="上限按体重计，每日不超过1 mg/kg")])
drug("amphotericin_b_liposomal", "两性霉素B脂质体", "liposomal amphotericin B", "J02AA01", "多烯类抗真菌药（脂质体）",
     POL, brands="安必素", doses=[D("iv", "3–5 mg/kg/d")])
drug("terbinafine", "特比萘芬", "terbinafine", "D01BA02", "丙烯胺类抗真菌药", None,
     tags="antifungal,allylamine,cyp2d6_strong_inhibitor", salts="盐酸特比萘芬", brands="兰美抒",
     routes="po,topical", forms="片剂,乳膏,喷雾剂", grade=NR, grade_note=VARIES,
     doses=[D("po", "250 mg qd（甲癣6–12周）", max_daily=250, unit="mg")],
     hepatic=[H("any", "avoid", "慢性或活动性肝病不推荐口服，用药前后查肝功能")], lact=L("avoid"))

AV = fam(tags="antiviral", lact=L("caution"))
drug("oseltamivir", "奥司他韦", "oseltamivir", "J05AH02", "神经氨酸酶抑制剂", AV, salts="磷酸奥司他韦",
     brands="达菲,可威", routes="po", forms="胶囊,颗粒", tags_extra="neuraminidase_inhibitor",
     doses=[D("po", "治疗 75 mg bid×5 d；预防 75 mg qd", max_daily=150, unit="mg")],
     renal=[R("CrCl", 60, "reduce_dose", "CrCl 30–60：30 mg bid；10–30：30 mg qd（治疗）")],
     preg=PG("C", "流感孕妇属高危人群，获益大于风险时应尽早使用"))
drug("peramivir", "帕拉米韦", "peramivir", None, "神经氨酸酶抑制剂", AV, routes="iv", forms="注射液",
     tags_extra="neuraminidase_inhibitor", doses=[D("iv", "300–600 mg 单次或 qd，静滴≥30 min")],
     renal=[R("CrCl", 50, "reduce_dose", "CrCl<50 减量")])
drug("baloxavir", "玛巴洛沙韦", "baloxavir marboxil", "J05AX25", "帽依赖性核酸内切酶抑制剂", AV, brands="速福达",
     routes="po", forms="片剂", tags_extra="chelation_sensitive",
     doses=[D("po", "体重40–<80 kg 40 mg 单剂；≥80 kg 80 mg 单剂")],
     notes="避免与乳制品、钙/铁/镁剂或含多价阳离子的抗酸药同服")
drug("acyclovir", "阿昔洛韦", "aciclovir", "J05AB01", "核苷类抗疱疹病毒药", AV, syn="无环鸟苷", salts="阿昔洛韦钠",
     routes="po,iv,topical", forms="片剂,注射用粉针,乳膏", tags_extra="nephrotoxic",
     doses=[D("po", "单纯疱疹 200 mg 5次/d；带状疱疹 800 mg 5次/d"), D("iv", "5–10 mg/kg q8h，静滴≥1 h 并充分水化")],
     renal=[R("CrCl", 50, "reduce_dose", "按CrCl减量/延长间隔，否则肾损伤和神经毒性")], preg=PG("B", "妊娠期可用"))
drug("valacyclovir", "伐昔洛韦", "valaciclovir", "J05AB11", "核苷类抗疱疹病毒药", AV, salts="盐酸伐昔洛韦", routes="po",
     forms="片剂", doses=[D("po", "单纯疱疹 0.3–0.5 g bid；带状疱疹 1 g tid", max_daily=3, unit="g")],
     renal=[R("CrCl", 50, "reduce_dose", "按CrCl减量")], preg=PG("B", "妊娠期可用"))
drug("famciclovir", "泛昔洛韦", "famciclovir", "J05AB09", "核苷类抗疱疹病毒药", AV, routes="po", forms="片剂",
     doses=[D("po", "250–500 mg tid")], renal=[R("CrCl", 60, "reduce_dose", "按CrCl减量")], preg=PG("B", "资料有限"))
drug("ganciclovir", "更昔洛韦", "ganciclovir", "J05AB06", "抗巨细胞病毒药", AV, salts="更昔洛韦钠", routes="iv",
     forms="注射用粉针", tags_extra="myelosuppressive",
     doses=[D("iv", "诱导 5 mg/kg q12h，维持 5 mg/kg qd")],
     renal=[R("CrCl", 70, "reduce_dose", "按CrCl分档减量")],
     preg=PG("C", "动物致畸、致癌，妊娠期避免；育龄人群避孕"), lact=L("avoid"),
     contra=[C("D70", "中性粒细胞<0.5×10⁹/L 或血小板<25×10⁹/L", "avoid")], notes="按细胞毒药物规范配置")
drug("valganciclovir", "缬更昔洛韦", "valganciclovir", "J05AB14", "抗巨细胞病毒药", AV, salts="盐酸缬更昔洛韦",
     routes="po", forms="片剂", tags_extra="myelosuppressive",
     doses=[D("po", "诱导 900 mg bid，维持 900 mg qd 随餐")],
     renal=[R("CrCl", 60, "reduce_dose", "按CrCl分档减量")], preg=PG("C", "妊娠期避免"), lact=L("avoid"))
HBV = fam(tags="antiviral,anti_hbv,nucleos_t_ide", dup="anti_hbv", routes="po", forms="片剂",
          src="《慢性乙型肝炎防治指南（2022年版）》", notes="不可擅自停药（停药后肝炎复发甚至肝衰竭）")
drug("entecavir", "恩替卡韦", "entecavir", "J05AF10", "核苷类抗HBV药", HBV, brands="博路定,润众",
     doses=[D("po", "0.5 mg qd 空腹（拉米夫定耐药 1 mg qd）", max_daily=1, unit="mg")],
     renal=[R("CrCl", 50, "reduce_dose", "CrCl 30–49：0.25 mg qd；10–29：0.15 mg qd；<10：0.05 mg qd（或延长间隔）")],
     preg=PG("C", "妊娠期抗HBV优先替诺福韦酯"))
drug("tenofovir_df", "替诺福韦二吡呋酯", "tenofovir disoproxil fumarate", "J05AF07", "核苷酸类抗HBV/HIV药", HBV,
     syn="替诺福韦酯,TDF", salts="富马酸替诺福韦二吡呋酯", brands="韦瑞德", tags_extra="anti_hiv,nephrotoxic",
     doses=[D("po", "300 mg qd", max_daily=300, unit="mg")],
     renal=[R("CrCl", 50, "extend_interval", "CrCl 30–49：q48h；10–29：q72–96h")],
     preg=PG("B", "妊娠期抗HBV（阻断母婴传播）首选"), notes="监测肾功能、血磷和骨密度")
drug("tenofovir_af", "丙酚替诺福韦", "tenofovir alafenamide", "J05AF13", "核苷酸类抗HBV药", HBV, syn="TAF",
     salts="富马酸丙酚替诺福韦", brands="韦立得", tags_extra="pgp_substrate",
     doses=[D("po", "25 mg qd 随餐", max_daily=25, unit="mg")],
     renal=[R("CrCl", 15, "avoid", "CrCl<15 且未透析者不推荐")], preg=PG(None, "妊娠期资料逐渐增多，按指南评估"))
drug("lamivudine", "拉米夫定", "lamivudine", "J05AF05", "核苷类抗HBV/HIV药", HBV, brands="贺普丁",
     tags_extra="anti_hiv", doses=[D("po", "乙肝 100 mg qd；HIV 300 mg qd（联合方案）")],
     renal=[R("CrCl", 50, "reduce_dose", "按CrCl减量")], preg=PG("C", "妊娠期资料较多"),
     notes="耐药率高，乙肝初治不推荐单用")
drug("adefovir", "阿德福韦酯", "adefovir dipivoxil", "J05AF08", "核苷酸类抗HBV药", HBV, tags_extra="nephrotoxic",
     doses=[D("po", "10 mg qd", max_daily=10, unit="mg")], renal=[R("CrCl", 50, "extend_interval", "CrCl 30–49 q48h；10–29 q72h")],
     preg=PG("C", "妊娠期不推荐"))
drug("sofosbuvir_velpatasvir", "索磷布韦维帕他韦", "sofosbuvir/velpatasvir", "J05AP55", "泛基因型抗HCV复方", AV,
     brands="丙通沙", routes="po", forms="片剂", tags_extra="anti_hcv,pgp_substrate",
     doses=[D("po", "1片（400/100 mg）qd×12周")], src="《丙型肝炎防治指南（2022年版）》",
     contra=[C("", "与强效P-gp/CYP诱导剂（利福平、卡马西平、苯妥英等）合用")],
     notes="与胺碘酮合用可致严重心动过缓；抑酸药降低维帕他韦吸收")
drug("nirmatrelvir_ritonavir", "奈玛特韦/利托那韦", "nirmatrelvir/ritonavir", "J05AE30", "3CL蛋白酶抑制剂（利托那韦增效）",
     AV, syn="奈玛特韦片/利托那韦片组合包装", brands="Paxlovid,帕罗韦德", routes="po", forms="片剂",
     tags_extra="cyp3a4_strong_inhibitor,pgp_inhibitor,anti_sars_cov_2",
     doses=[D("po", "奈玛特韦 300 mg + 利托那韦 100 mg bid×5 d")],
     renal=[R("eGFR", 60, "reduce_dose", "eGFR 30–60：奈玛特韦 150 mg + 利托那韦 100 mg bid；<30 不推荐")],
     hepatic=[H("severe", "avoid", "重度肝功能不全不推荐")],
     contra=[C("", "与高度依赖CYP3A清除且浓度升高可致严重反应的药物合用（如胺碘酮、辛伐他汀、洛伐他汀、口服咪达唑仑、哌替啶、"
                   "雷诺嗪、伊伐布雷定）以及强效CYP3A诱导剂（利福平、卡马西平、苯妥英、苯巴比妥）")],
     src="《新型冠状病毒感染诊疗方案（试行第十版）》2023", notes="用药前逐项核查合用药物")
drug("ribavirin", "利巴韦林", "ribavirin", "J05AP01", "广谱抗病毒药", AV, syn="病毒唑", routes="po", forms="片剂,胶囊",
     doses=[D("po", "丙肝联合方案 0.8–1.2 g/d 分2次（按体重）")],
     preg=PG("X", "强致畸；女性患者及男性患者的女性伴侣在用药期间和停药后6个月内须严格避孕"), lact=L("avoid"),
     contra=[C("Z33", "妊娠"), C("D56,D57", "血红蛋白病（地中海贫血、镰状细胞病）")],
     renal=[R("CrCl", 50, "avoid", "CrCl<50 不推荐")], notes="溶血性贫血；国内不推荐用于普通呼吸道病毒感染")
drug("efavirenz", "依非韦伦", "efavirenz", "J05AG03", "非核苷类逆转录酶抑制剂", AV, routes="po", forms="片剂",
     tags_extra="anti_hiv,cyp3a4_moderate_inducer", doses=[D("po", "400–600 mg qn 空腹（按国家免费治疗方案）")],
     preg=PG("D", "妊娠早期神经管缺陷信号，育龄女性需评估"), notes="中枢神经/精神症状")
drug("dolutegravir", "多替拉韦", "dolutegravir", "J05AJ03", "整合酶抑制剂", AV, salts="多替拉韦钠", brands="特威凯",
     routes="po", forms="片剂", tags_extra="anti_hiv,chelation_sensitive",
     doses=[D("po", "50 mg qd；合用利福平或耐药时 50 mg bid")],
     notes="与含多价阳离子药物间隔（服后6 h或服前2 h）；升高二甲双胍浓度")

_ = (H,)
