#!/usr/bin/env python3
"""Regenerate ``src/yizhu/knowledge/packs/diagnoses.jsonl`` from an ICD-10 北京临床版 table.

The shipped pack is self-contained; this script is only needed to regenerate it. It reads the
reference table (``code<TAB>name``, e.g. ``/work/shared/data/icd10/icd10_beijing_clinical_v601.tsv``),
selects the categories listed in ``CATEGORIES`` (weighted to what Chinese 三级医院 and 基层 see most),
takes each one's 4-character subcategories (or the 3-character category when it has none), adds the
chosen national extension codes in ``EXTENSIONS``, and merges the hand-curated synonyms, English names,
departments and flags in ``CURATED``.

Checks made while building (the script fails rather than write a doubtful pack):
* every curated or extension code exists in the table;
* no two items share a primary name, and no synonym names two items;
* a curated synonym that the table itself lists as an extension name under a *different*
  subcategory is reported, unless the entry says ``table_differs`` with the reason.

Usage::

    python scripts/build_diagnosis_pack.py /path/to/icd10_beijing_clinical_v601.tsv
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src" / "yizhu" / "knowledge" / "packs" / "diagnoses.jsonl"
VERSION = "1.0.0"
SOURCE = "ICD-10 北京临床版 v6.01 (code and name); synonyms and departments curated by yizhu, 2026"
SOURCE_U07 = ("WHO ICD-10 emergency code U07.1 (2020); name per 国家卫生健康委员会公告 2022年第7号 (2022); "
              "synonyms and departments curated by yizhu, 2026")

# ---- which categories to ship -----------------------------------------------------------------
# Space-separated 3-character categories; "A00-A09" expands to every category in the range that the
# table has. A category followed by "!" ships as the 3-character item only (external causes, whose
# 4th character is the place of occurrence, and categories whose subcategories are not clinically used).
CATEGORIES = """
A00-A09 A15-A19 A27 A33 A35 A36 A37 A38 A39 A40 A41 A46 A49 A50-A54 A56 A59 A60 A63 A80 A82 A83 A86 A87
A90 A98 B00-B02 B05-B08 B15-B19 B20 B24 B26 B27 B30 B34 B35-B37 B44 B45 B50 B54 B65 B66 B67 B76 B77
B80 B86 B90 B95 B96
C02 C11 C15 C16 C18 C19 C20 C22 C23 C25 C32 C34 C41 C43 C44 C50 C53 C54 C56 C61 C62 C64 C67 C71 C73
C77 C78 C79 C80 C81 C83 C85 C90 C91 C92 C95 D05 D06 D12 D17 D18 D22 D24 D25 D27 D32 D34 D35 D46
D50-D52 D56 D59 D61 D64 D65 D68 D69 D70 D86
E01 E03-E06 E10 E11 E14 E16 E21 E23 E24 E26 E27 E28 E43 E44 E46 E55 E66 E78 E79 E83 E86 E87
F01 F03 F05 F10 F17 F20 F23 F31-F33 F40-F43 F45 F48 F50 F51 F84 F90 F95
G00 G03 G04 G20 G30 G35 G40 G41 G43 G44 G45 G47 G50 G51 G56 G61 G62 G70 G80 G81 G91 G93
H00 H04 H10 H11 H16 H20 H25 H26 H33 H34 H35 H40 H50 H52
H60 H61 H65 H66 H72 H81 H90 H91 H93
I05 I10-I12 I15 I20 I21 I24-I27 I31 I33-I35 I40 I42 I44-I51 I60-I65 I67 I69 I70 I71 I73 I74 I80 I83
I84 I85 I88 I95
J00-J04 J06 J09-J15 J18 J20-J22 J30-J35 J38 J40 J42-J47 J62 J69 J80 J81 J84-J86 J90 J93 J96 J98
K02 K04 K05 K12 K21 K22 K25-K27 K29 K30 K35-K37 K40 K42 K50 K51 K56-K63 K65 K70 K72 K74-K76 K80-K83
K85 K86 K92
L01-L03 L20 L21 L23 L25 L27 L29 L30 L40 L50 L51 L63 L70-L72 L80 L89 L93
M05 M06 M10 M15-M17 M19 M32 M34 M35 M45 M47 M48 M50 M51 M54 M65 M75 M77 M79-M81 M86 M87
N00 N02-N04 N10 N13 N17-N21 N23 N28 N30 N31 N39-N41 N43-N48 N60-N63 N70-N73 N76 N80 N81 N83-N85
N87 N91-N97
O00 O02-O04 O13-O15 O20 O21 O24 O30 O34 O36 O40-O42 O44 O45 O48 O60 O68 O70 O72 O80 O82 O85
P05 P07 P21-P23 P36 P59 P70
Q21 Q25 Q35 Q36 Q53 Q54 Q61 Q65 Q66 Q90
R00 R04-R07 R10 R11 R13 R17 R18 R31 R33 R40 R42 R50-R53 R55-R57 R59 R60 R73 R91
S02 S06 S22 S32 S42 S52 S62 S72 S82 S83 S92 S93 T14 T30 T51 T58 T60 T63 T67 T78 T81 T88
V89! W01! W10! W19! W54! X48! X59! X64! X68! Y83!
Z00 Z21 Z30 Z34 Z35 Z37 Z38 Z47 Z51 Z85 Z88 Z95
U04 U80 U81
"""

# Subcategories left out: rarely used and a source of confusion with common terms.
EXCLUDE = {
    "K02.4",  # odontoclasia, translated 牙折断 — the same name as the injury S02.5
    "K74.1",  # 'hepatic sclerosis' (translated 肝硬化) must not catch the everyday word for cirrhosis (K74.6)
}

# National extension codes shipped as items of their own: distinct, commonly written diagnoses.
EXTENSIONS = """
A41.903 E11.111 E11.221+N08.3* E11.371+H36.0* E11.423+G63.2* E11.550 I21.304 I21.403 I50.102 I50.905
I63.903 I63.901 J98.402 K82.808 I84.801 M47.921 M51.202 M48.061 M75.003 N02.801 N85.805 I25.105
"""

# Names in the table with obvious typing errors, and how they ship.
NAME_FIXES = {
    "C44.9": "未特指的皮肤恶性肿瘤",
    "B26": "流行性腮腺炎",
    "G40.1": "局部相关性(局灶性)(部分)症状性癫痫和伴有简单部分发作的癫痫综合征",
    "N48.8": "阴茎其他特指的疾患",
    "B20.5": "人类免疫缺陷病毒[HIV]病造成的其他真菌病",
    # The table repeats one name for distinct WHO subcategories; restore the WHO distinction.
    "Q35.1": "单侧硬腭裂",
    "Q35.2": "双侧软腭裂",
    "Q35.3": "单侧软腭裂",
    "Q35.5": "单侧硬腭裂伴有软腭裂",
    "T60.8": "其他农药的毒性效应",
    "Q35.8": "双侧腭裂，未特指",
    "T60.9": "未特指农药的毒性效应",
}

# 法定传染病 classes, by category (3 characters) or code prefix (longer codes).
NOTIFIABLE = {
    "甲类": "A00",
    "乙类": "U04 U07 B20 B24 B15 B16 B17 B18 B19 A80 J09 B05 A82 A83.0 A90 A03 A06 A15 A16 A01 A39 A37 A36 "
            "A33 A38 A54 A50 A51 A52 A53 A27 B65 B50 B54 A98.5",
    "丙类": "J10 J11 B26 B06 A02.0 A04 A08 A09.0 B67 B08.4 B30.3",
}
NOTIFIABLE_SOURCE = ("; 法定传染病 class per 《中华人民共和国传染病防治法》 (2004, amended 2013) and "
                     "国家卫生健康委员会 adjustments to 2023")

CHRONIC = """I10 I11 I12 I15 I25 I48 I50 I69 E03 E05 E10 E11 E14 E66 E78 E79 J42 J43 J44 J45 J47 J84 N18
B18 B20 B24 G20 G30 G35 G40 F01 F03 F20 F31 F33 M05 M06 M10 M15 M16 M17 M32 M45 M81 K21 K50 K51 K74 K76
D56 D61 E23 E21 E24 E26 E27 G70 L40 L80 N40 I27 I83 H40 H35"""

# ---- usual departments by code range (first match wins; more specific first) -------------------
DEPT_RULES: list[tuple[str, str, list[str]]] = [
    ("A15", "A19", ["tuberculosis", "respiratory"]),
    ("A50", "A64", ["std", "dermatology"]),
    ("A80", "A89", ["infectious_diseases", "neurology"]),
    ("B00", "B00", ["dermatology"]), ("B01", "B01", ["infectious_diseases", "pediatrics"]),
    ("B02", "B02", ["dermatology", "pain"]), ("B07", "B07", ["dermatology"]),
    ("B08", "B09", ["pediatrics", "infectious_diseases"]),
    ("B15", "B19", ["hepatology", "infectious_diseases"]),
    ("B30", "B30", ["ophthalmology"]), ("B35", "B36", ["dermatology"]),
    ("B37", "B37", ["dermatology", "gynecology"]), ("B44", "B45", ["respiratory", "infectious_diseases"]),
    ("B86", "B86", ["dermatology"]),
    ("A00", "B99", ["infectious_diseases"]),
    ("C00", "C10", ["oral_maxillofacial_surgery", "oncology"]), ("C11", "C11", ["ent", "radiation_oncology"]),
    ("C15", "C15", ["thoracic_surgery", "oncology"]), ("C16", "C21", ["gastrointestinal_surgery", "oncology"]),
    ("C22", "C25", ["hepatobiliary_surgery", "oncology"]), ("C30", "C32", ["ent", "oncology"]),
    ("C33", "C34", ["thoracic_surgery", "respiratory", "oncology"]), ("C40", "C41", ["orthopedics", "oncology"]),
    ("C43", "C44", ["dermatology", "oncology"]), ("C50", "C50", ["breast_surgery", "oncology"]),
    ("C51", "C58", ["gynecology", "oncology"]), ("C60", "C68", ["urology", "oncology"]),
    ("C69", "C69", ["ophthalmology"]), ("C70", "C72", ["neurosurgery", "oncology"]),
    ("C73", "C73", ["thyroid_surgery", "oncology"]), ("C81", "C96", ["hematology"]),
    ("C00", "C80", ["oncology"]),
    ("D05", "D05", ["breast_surgery"]), ("D06", "D06", ["gynecology"]), ("D12", "D12", ["gastroenterology"]),
    ("D17", "D17", ["general_surgery"]), ("D18", "D18", ["general_surgery", "dermatology"]),
    ("D22", "D22", ["dermatology"]), ("D24", "D24", ["breast_surgery"]), ("D25", "D28", ["gynecology"]),
    ("D32", "D33", ["neurosurgery"]), ("D34", "D34", ["thyroid_surgery", "endocrinology"]),
    ("D35", "D35", ["endocrinology", "neurosurgery"]), ("D46", "D47", ["hematology"]),
    ("D00", "D48", ["oncology"]),
    ("D86", "D86", ["respiratory"]), ("D80", "D89", ["rheumatology"]),
    ("D50", "D79", ["hematology"]),
    ("E04", "E05", ["endocrinology", "thyroid_surgery"]), ("E28", "E28", ["gynecology", "endocrinology"]),
    ("E40", "E46", ["nutrition", "gastroenterology"]), ("E55", "E55", ["pediatrics", "endocrinology"]),
    ("E66", "E66", ["endocrinology", "nutrition"]), ("E83", "E83", ["neurology", "hepatology"]),
    ("E86", "E87", ["internal_medicine", "emergency"]),
    ("E00", "E90", ["endocrinology"]),
    ("F00", "F03", ["neurology", "psychiatry"]), ("F05", "F05", ["psychiatry", "neurology"]),
    ("F10", "F19", ["psychiatry", "addiction"]), ("F17", "F17", ["respiratory", "psychiatry"]),
    ("F45", "F48", ["clinical_psychology", "psychiatry"]), ("F51", "F51", ["psychiatry", "neurology"]),
    ("F80", "F98", ["child_health", "psychiatry"]),
    ("F00", "F99", ["psychiatry"]),
    ("G00", "G09", ["neurology", "infectious_diseases"]), ("G47", "G47", ["neurology", "respiratory"]),
    ("G56", "G56", ["hand_surgery", "neurology"]), ("G80", "G80", ["pediatric_neurology", "rehabilitation"]),
    ("G81", "G83", ["neurology", "rehabilitation"]), ("G91", "G91", ["neurosurgery"]),
    ("G00", "G99", ["neurology"]),
    ("H00", "H59", ["ophthalmology"]), ("H81", "H81", ["ent", "neurology"]), ("H60", "H95", ["ent"]),
    ("I26", "I26", ["respiratory", "cardiology"]), ("I27", "I27", ["cardiology", "respiratory"]),
    ("I60", "I62", ["neurosurgery", "neurology"]), ("I63", "I69", ["neurology"]),
    ("I71", "I71", ["cardiac_surgery", "vascular_surgery"]), ("I70", "I79", ["vascular_surgery"]),
    ("I84", "I84", ["colorectal_surgery"]), ("I85", "I85", ["gastroenterology"]),
    ("I88", "I88", ["general_surgery"]), ("I80", "I89", ["vascular_surgery"]),
    ("I00", "I99", ["cardiology"]),
    ("J00", "J00", ["respiratory", "general_practice"]), ("J01", "J05", ["ent"]),
    ("J06", "J06", ["respiratory", "general_practice", "pediatrics"]),
    ("J21", "J21", ["pediatric_respiratory"]), ("J30", "J39", ["ent"]),
    ("J60", "J70", ["occupational_diseases", "respiratory"]), ("J86", "J86", ["thoracic_surgery", "respiratory"]),
    ("J93", "J93", ["thoracic_surgery", "respiratory"]),
    ("J00", "J99", ["respiratory"]),
    ("K00", "K14", ["stomatology"]), ("K35", "K38", ["general_surgery", "gastrointestinal_surgery"]),
    ("K40", "K46", ["general_surgery"]), ("K56", "K56", ["gastrointestinal_surgery", "general_surgery"]),
    ("K60", "K62", ["colorectal_surgery"]), ("K65", "K67", ["general_surgery"]),
    ("K70", "K77", ["gastroenterology", "hepatology"]), ("K80", "K83", ["hepatobiliary_surgery", "gastroenterology"]),
    ("K00", "K93", ["gastroenterology"]),
    ("L02", "L03", ["general_surgery", "dermatology"]), ("L89", "L89", ["general_surgery", "burns"]),
    ("L00", "L99", ["dermatology"]),
    ("M05", "M14", ["rheumatology"]), ("M15", "M19", ["orthopedics", "rheumatology"]),
    ("M30", "M36", ["rheumatology"]), ("M45", "M45", ["rheumatology"]),
    ("M40", "M54", ["spine_surgery", "orthopedics", "rehabilitation"]),
    ("M79", "M79", ["rheumatology"]), ("M80", "M81", ["endocrinology", "orthopedics"]),
    ("M00", "M99", ["orthopedics"]),
    ("N13", "N13", ["urology"]), ("N20", "N23", ["urology"]), ("N00", "N29", ["nephrology"]),
    ("N39", "N39", ["urology", "nephrology"]), ("N46", "N46", ["andrology", "reproductive_medicine"]),
    ("N48", "N48", ["urology", "andrology"]), ("N30", "N51", ["urology"]),
    ("N60", "N64", ["breast_surgery"]), ("N96", "N97", ["reproductive_medicine", "gynecology"]),
    ("N70", "N98", ["gynecology"]),
    ("O00", "O08", ["gynecology", "obstetrics"]), ("O00", "O99", ["obstetrics"]),
    ("P00", "P96", ["neonatology"]),
    ("Q20", "Q28", ["pediatric_cardiology", "cardiac_surgery"]),
    ("Q35", "Q37", ["oral_maxillofacial_surgery", "plastic_surgery"]),
    ("Q53", "Q54", ["pediatric_urology"]), ("Q60", "Q64", ["nephrology", "urology"]),
    ("Q65", "Q79", ["pediatric_orthopedics"]), ("Q90", "Q99", ["pediatric_genetics", "child_health"]),
    ("R00", "R03", ["cardiology"]), ("R04", "R09", ["respiratory"]),
    ("R10", "R19", ["gastroenterology", "general_surgery"]), ("R30", "R39", ["urology"]),
    ("R40", "R46", ["neurology", "emergency"]), ("R50", "R50", ["internal_medicine", "infectious_diseases"]),
    ("R51", "R51", ["neurology"]), ("R55", "R55", ["cardiology", "neurology"]),
    ("R56", "R56", ["neurology", "pediatrics"]), ("R57", "R57", ["emergency", "icu"]),
    ("R59", "R59", ["hematology", "general_surgery"]), ("R60", "R60", ["nephrology", "cardiology"]),
    ("R73", "R73", ["endocrinology"]), ("R91", "R91", ["respiratory", "thoracic_surgery"]),
    ("R00", "R99", ["internal_medicine", "general_practice"]),
    ("S00", "S09", ["neurosurgery", "emergency"]), ("S20", "S29", ["thoracic_surgery", "orthopedic_trauma"]),
    ("S32", "S32", ["spine_surgery", "orthopedic_trauma"]), ("S62", "S62", ["hand_surgery"]),
    ("S40", "S99", ["orthopedic_trauma", "orthopedics"]),
    ("T20", "T32", ["burns"]), ("T36", "T65", ["emergency"]), ("T66", "T78", ["emergency"]),
    ("T80", "T88", ["general_surgery"]), ("S00", "T98", ["emergency"]),
    ("V01", "Y98", ["emergency"]),
    ("Z00", "Z13", ["health_checkup"]), ("Z20", "Z29", ["infectious_diseases"]),
    ("Z30", "Z30", ["family_planning"]), ("Z31", "Z39", ["obstetrics"]),
    ("Z47", "Z47", ["orthopedics"]), ("Z51", "Z51", ["oncology"]), ("Z85", "Z85", ["oncology"]),
    ("Z95", "Z95", ["cardiology"]), ("Z00", "Z99", ["general_practice"]),
    ("U00", "U99", ["infectious_diseases", "respiratory"]),
]


@dataclass
class C:
    """One curated entry: synonyms, English name, departments and flags for a code."""

    code: str
    synonyms: list[str] = field(default_factory=list)
    en: str | None = None
    depts: list[str] | None = None
    table_differs: str | None = None  # why we attach a synonym elsewhere than the table does


# fmt: off
CURATED: list[C] = [
    # ---- I 传染病
    C("A01.0", [], "Typhoid fever"),
    C("A02.0", ["沙门氏菌肠炎"], "Salmonella enteritis"),
    C("A03.9", ["菌痢", "志贺菌病"], "Shigellosis, unspecified"),
    C("A04.7", ["艰难梭菌感染", "艰难梭菌相关性腹泻", "CDI"], "Enterocolitis due to Clostridioides difficile"),
    C("A05.9", ["细菌性食物中毒"], "Bacterial foodborne intoxication, unspecified"),
    C("A06.0", ["阿米巴痢疾"], "Acute amoebic dysentery"),
    C("A08.0", ["轮状病毒感染", "秋季腹泻"], "Rotaviral enteritis", ["pediatrics", "infectious_diseases"]),
    C("A08.1", ["诺如病毒感染", "诺如病毒性肠炎", "诺如病毒胃肠炎"], "Norovirus gastroenteritis"),
    C("A09.0", ["感染性腹泻", "感染性肠炎", "肠道感染"], "Infectious gastroenteritis and colitis",
      ["infectious_diseases", "gastroenterology"]),
    C("A09.9", ["急性胃肠炎", "胃肠炎", "急性肠炎", "肠炎"], "Gastroenteritis and colitis of unspecified origin",
      ["gastroenterology", "emergency", "general_practice"]),
    C("A15.0", ["涂阳肺结核", "痰涂片阳性肺结核"], "Tuberculosis of lung, confirmed by sputum microscopy"),
    C("A16.2", ["肺结核", "肺痨", "继发性肺结核"], "Tuberculosis of lung, without bacteriological or histological confirmation"),
    C("A16.5", ["结核性胸膜炎"], "Tuberculous pleurisy"),
    C("A17.0", ["结脑"], "Tuberculous meningitis", ["tuberculosis", "neurology"]),
    C("A18.0", ["骨结核", "骨关节结核", "脊柱结核"], "Tuberculosis of bones and joints", ["tuberculosis", "orthopedics"]),
    C("A19.8", ["粟粒性肺结核"], "Other miliary tuberculosis"),
    C("A19.9", ["血行播散型肺结核"], "Miliary tuberculosis, unspecified"),
    C("A27.9", ["钩端螺旋体病", "钩体病"], "Leptospirosis, unspecified"),
    C("A33", ["新生儿破伤风", "脐风"], "Tetanus neonatorum", ["neonatology", "infectious_diseases"]),
    C("A35", ["破伤风"], "Other tetanus", ["emergency", "infectious_diseases"]),
    C("A36.9", ["白喉"], "Diphtheria, unspecified"),
    C("A37.9", [], "Whooping cough, unspecified", ["pediatrics", "infectious_diseases"]),
    C("A38", [], "Scarlet fever", ["pediatrics", "infectious_diseases"]),
    C("A39.0", ["流脑", "流行性脑脊髓膜炎"], "Meningococcal meningitis"),
    C("A40.9", ["链球菌败血症"], "Streptococcal sepsis, unspecified"),
    C("A41.0", ["金葡菌败血症"], "Sepsis due to Staphylococcus aureus"),
    C("A41.9", ["败血症", "脓毒症", "Sepsis"], "Sepsis, unspecified", ["icu", "infectious_diseases", "emergency"]),
    C("A41.903", ["感染性休克", "脓毒症休克"], "Septic shock", ["icu", "emergency"]),
    C("A46", ["流火"], "Erysipelas", ["dermatology", "general_surgery"]),
    C("A49.9", ["细菌感染"], "Bacterial infection, unspecified"),
    C("A51.0", ["一期梅毒", "硬下疳"], "Primary genital syphilis"),
    C("A53.9", ["梅毒"], "Syphilis, unspecified"),
    C("A54.9", ["淋病"], "Gonococcal infection, unspecified"),
    C("A56.0", ["衣原体尿道炎", "沙眼衣原体感染"], "Chlamydial infection of lower genitourinary tract"),
    C("A59.0", ["滴虫性阴道炎", "阴道毛滴虫病"], "Urogenital trichomoniasis", ["gynecology", "std"]),
    C("A60.0", ["生殖器疱疹"], "Herpesviral infection of genitalia and urogenital tract"),
    C("A63.0", ["尖锐湿疣"], "Anogenital (venereal) warts"),
    C("A80.9", ["脊髓灰质炎", "小儿麻痹症"], "Acute poliomyelitis, unspecified"),
    C("A82.9", ["狂犬病", "恐水症"], "Rabies, unspecified"),
    C("A83.0", ["乙脑", "流行性乙型脑炎", "日本乙型脑炎"], "Japanese encephalitis"),
    C("A86", ["病毒性脑炎", "病脑"], "Viral encephalitis, unspecified", ["neurology", "infectious_diseases"]),
    C("A87.9", ["病毒性脑膜炎"], "Viral meningitis, unspecified"),
    C("A90", [], "Dengue fever"),
    C("A98.5", ["肾综合征出血热", "流行性出血热", "HFRS"], "Haemorrhagic fever with renal syndrome"),
    C("B00.9", ["单纯疱疹", "疱疹病毒感染"], "Herpesviral infection, unspecified"),
    C("B01.9", ["水痘"], "Varicella without complication", ["pediatrics", "infectious_diseases"]),
    C("B02.2", ["带状疱疹后神经痛", "PHN"], "Zoster with other nervous system involvement", ["pain", "dermatology"],
      table_differs="the table lists 带状疱疹后神经痛 as extension B02.206 under this subcategory"),
    C("B02.9", ["带状疱疹", "缠腰龙", "蛇串疮"], "Zoster without complication"),
    C("B05.9", ["麻疹"], "Measles without complication"),
    C("B06.9", ["风疹"], "Rubella without complication"),
    C("B07", ["疣", "寻常疣", "瘊子"], "Viral warts"),
    C("B08.4", ["手足口病", "HFMD"], "Enteroviral vesicular stomatitis with exanthem (hand, foot and mouth disease)"),
    C("B15.9", ["甲肝", "急性甲型肝炎", "甲型病毒性肝炎"], "Hepatitis A without hepatic coma"),
    C("B16.9", ["急性乙肝", "急性乙型肝炎"], "Acute hepatitis B without delta-agent and without hepatic coma"),
    C("B17.1", ["急性丙肝"], "Acute hepatitis C"),
    C("B18.1", ["慢性乙肝", "慢性乙型肝炎", "乙肝", "乙型肝炎", "CHB"], "Chronic viral hepatitis B without delta-agent"),
    C("B18.2", ["慢性丙肝", "丙肝", "丙型肝炎", "慢性丙型肝炎", "CHC"], "Chronic viral hepatitis C"),
    C("B18.9", ["慢性病毒性肝炎"], "Chronic viral hepatitis, unspecified"),
    C("B19.9", ["病毒性肝炎"], "Unspecified viral hepatitis without hepatic coma"),
    C("B24", ["艾滋病", "AIDS", "获得性免疫缺陷综合征"], "Unspecified HIV disease"),
    C("B26.9", ["腮腺炎", "痄腮", "流腮"], "Mumps without complication", ["pediatrics", "infectious_diseases"]),
    C("B27.9", ["传染性单核细胞增多症", "传单"], "Infectious mononucleosis, unspecified",
      ["pediatrics", "infectious_diseases"]),
    C("B30.3", ["急性出血性结膜炎", "红眼病"], "Acute epidemic haemorrhagic conjunctivitis (enteroviral)"),
    C("B34.9", ["病毒感染"], "Viral infection, unspecified"),
    C("B35.1", ["灰指甲", "甲真菌病"], "Tinea unguium"),
    C("B35.3", ["足癣", "香港脚", "脚气"], "Tinea pedis"),
    C("B35.4", ["体癣", "圆癣"], "Tinea corporis"),
    C("B35.6", ["股癣"], "Tinea cruris"),
    C("B36.0", ["汗斑"], "Pityriasis versicolor"),
    C("B37.0", ["鹅口疮", "口腔念珠菌病"], "Candidal stomatitis", ["stomatology", "pediatrics"]),
    C("B37.3", ["念珠菌性阴道炎", "霉菌性阴道炎", "外阴阴道念珠菌病", "VVC"], "Candidiasis of vulva and vagina",
      ["gynecology"]),
    C("B44.9", ["曲霉病", "曲霉菌感染"], "Aspergillosis, unspecified"),
    C("B45.9", ["隐球菌病"], "Cryptococcosis, unspecified"),
    C("B54", ["疟疾", "打摆子"], "Unspecified malaria"),
    C("B65.2", ["日本血吸虫病"], "Schistosomiasis due to Schistosoma japonicum"),
    C("B65.9", ["血吸虫病"], "Schistosomiasis, unspecified"),
    C("B66.1", ["华支睾吸虫病", "肝吸虫病"], "Clonorchiasis"),
    C("B67.9", ["包虫病", "棘球蚴病"], "Echinococcosis, other and unspecified"),
    C("B77.9", ["蛔虫病"], "Ascariasis, unspecified"),
    C("B80", [], "Enterobiasis", ["pediatrics"]),
    C("B86", ["疥螨病"], "Scabies"),
    C("U04.9", ["SARS", "非典", "传染性非典型肺炎"], "Severe acute respiratory syndrome (SARS), unspecified"),
    C("U80.1", ["MRSA", "耐甲氧西林金黄色葡萄球菌"], "Methicillin-resistant agent"),
    # ---- II 肿瘤
    C("C02.9", ["舌癌"], "Malignant neoplasm of tongue, unspecified"),
    C("C11.9", ["鼻咽癌", "NPC"], "Malignant neoplasm of nasopharynx, unspecified"),
    C("C15.9", ["食管癌", "食道癌"], "Malignant neoplasm of oesophagus, unspecified"),
    C("C16.9", ["胃癌"], "Malignant neoplasm of stomach, unspecified"),
    C("C18.9", ["结肠癌"], "Malignant neoplasm of colon, unspecified"),
    C("C20", ["直肠癌"], "Malignant neoplasm of rectum"),
    C("C22.0", ["HCC", "原发性肝细胞癌"], "Liver cell carcinoma"),
    C("C22.1", ["胆管细胞癌", "肝内胆管细胞癌"], "Intrahepatic bile duct carcinoma"),
    C("C22.9", ["肝癌", "原发性肝癌"], "Malignant neoplasm of liver, unspecified"),
    C("C23", ["胆囊癌"], "Malignant neoplasm of gallbladder"),
    C("C25.9", ["胰腺癌"], "Malignant neoplasm of pancreas, unspecified"),
    C("C32.9", ["喉癌"], "Malignant neoplasm of larynx, unspecified"),
    C("C34.9", ["肺癌", "支气管肺癌"], "Malignant neoplasm of bronchus or lung, unspecified"),
    C("C41.9", ["骨肉瘤", "骨恶性肿瘤"], "Malignant neoplasm of bone and articular cartilage, unspecified"),
    C("C43.9", ["恶性黑色素瘤", "黑色素瘤"], "Malignant melanoma of skin, unspecified"),
    C("C44.9", ["皮肤癌"], "Malignant neoplasm of skin, unspecified"),
    C("C50.9", ["乳腺癌", "乳癌"], "Malignant neoplasm of breast, unspecified"),
    C("C53.9", ["宫颈癌", "子宫颈癌"], "Malignant neoplasm of cervix uteri, unspecified"),
    C("C54.1", ["子宫内膜癌"], "Malignant neoplasm of endometrium"),
    C("C56", ["卵巢癌"], "Malignant neoplasm of ovary"),
    C("C61", ["前列腺癌"], "Malignant neoplasm of prostate"),
    C("C62.9", ["睾丸癌"], "Malignant neoplasm of testis, unspecified"),
    C("C64", ["肾癌", "肾细胞癌"], "Malignant neoplasm of kidney, except renal pelvis"),
    C("C67.9", ["膀胱癌"], "Malignant neoplasm of bladder, unspecified"),
    C("C71.9", ["脑癌", "恶性脑肿瘤"], "Malignant neoplasm of brain, unspecified"),
    C("C73", ["甲状腺癌"], "Malignant neoplasm of thyroid gland"),
    C("C77.9", ["淋巴结转移癌", "淋巴结继发恶性肿瘤"], "Secondary malignant neoplasm of lymph node, unspecified"),
    C("C78.0", ["肺转移癌", "肺转移"], "Secondary malignant neoplasm of lung"),
    C("C78.7", ["肝转移癌", "肝转移"], "Secondary malignant neoplasm of liver"),
    C("C79.3", ["脑转移瘤", "脑转移"], "Secondary malignant neoplasm of brain and cerebral meninges"),
    C("C79.5", ["骨转移癌", "骨转移"], "Secondary malignant neoplasm of bone and bone marrow"),
    C("C80", ["癌症", "恶性肿瘤", "原发灶不明恶性肿瘤"], "Malignant neoplasm without specification of site"),
    C("C81.9", ["霍奇金淋巴瘤"], "Hodgkin lymphoma, unspecified"),
    C("C83.3", ["弥漫大B细胞淋巴瘤", "DLBCL"], "Diffuse large cell lymphoma"),
    C("C85.9", ["非霍奇金淋巴瘤", "淋巴瘤", "NHL"], "Non-Hodgkin lymphoma, unspecified type"),
    C("C90.0", ["骨髓瘤"], "Multiple myeloma"),
    C("C91.0", ["急淋"], "Acute lymphoblastic leukaemia"),
    C("C91.1", ["CLL", "慢淋"], "Chronic lymphocytic leukaemia"),
    C("C92.0", ["急性髓系白血病", "AML", "急性髓细胞白血病"], "Acute myeloblastic leukaemia"),
    C("C92.1", ["慢性粒细胞白血病", "CML", "慢粒"], "Chronic myeloid leukaemia"),
    C("C95.9", ["白血病"], "Leukaemia, unspecified"),
    C("D05.1", ["DCIS", "乳腺导管原位癌"], "Intraductal carcinoma in situ of breast"),
    C("D06.9", ["宫颈原位癌"], "Carcinoma in situ of cervix, unspecified"),
    C("D12.6", ["结肠腺瘤"], "Benign neoplasm of colon, unspecified"),
    C("D17.9", ["脂肪瘤"], "Benign lipomatous neoplasm, unspecified", ["general_surgery", "dermatology"]),
    C("D18.0", ["血管瘤"], "Haemangioma, any site"),
    C("D22.9", ["色素痣", "黑痣", "痣"], "Melanocytic naevi, unspecified"),
    C("D24", ["乳腺纤维腺瘤", "乳腺良性肿瘤"], "Benign neoplasm of breast"),
    C("D25.9", ["子宫肌瘤", "子宫平滑肌瘤"], "Leiomyoma of uterus, unspecified"),
    C("D27", ["卵巢良性肿瘤", "卵巢畸胎瘤"], "Benign neoplasm of ovary"),
    C("D32.9", ["脑膜瘤"], "Benign neoplasm of meninges, unspecified"),
    C("D34", ["甲状腺腺瘤"], "Benign neoplasm of thyroid gland"),
    C("D35.2", ["垂体瘤", "垂体腺瘤"], "Benign neoplasm of pituitary gland", ["neurosurgery", "endocrinology"]),
    C("D46.9", ["骨髓增生异常综合征", "MDS"], "Myelodysplastic syndrome, unspecified"),
    # ---- III 血液
    C("D50.9", ["缺铁性贫血", "IDA"], "Iron deficiency anaemia, unspecified"),
    C("D51.0", ["恶性贫血"], "Vitamin B12 deficiency anaemia due to intrinsic factor deficiency"),
    C("D52.9", ["叶酸缺乏性贫血", "巨幼细胞贫血"], "Folate deficiency anaemia, unspecified"),
    C("D56.0", ["α地中海贫血", "α地贫"], "Alpha thalassaemia"),
    C("D56.1", ["β地中海贫血", "β地贫"], "Beta thalassaemia"),
    C("D56.9", ["地中海贫血", "地贫"], "Thalassaemia, unspecified"),
    C("D59.1", ["自身免疫性溶血性贫血", "AIHA"], "Other autoimmune haemolytic anaemias"),
    C("D61.9", ["再生障碍性贫血", "再障"], "Aplastic anaemia, unspecified"),
    C("D64.9", ["贫血"], "Anaemia, unspecified"),
    C("D65", ["DIC", "弥散性血管内凝血"], "Disseminated intravascular coagulation"),
    C("D68.9", ["凝血功能障碍", "凝血功能异常"], "Coagulation defect, unspecified"),
    C("D69.0", ["过敏性紫癜", "IgA血管炎", "HSP"], "Allergic purpura",
      ["pediatrics", "dermatology", "nephrology"]),
    C("D69.3", ["ITP", "原发免疫性血小板减少症", "免疫性血小板减少症"], "Idiopathic thrombocytopenic purpura"),
    C("D69.6", ["血小板减少", "血小板减少症"], "Thrombocytopenia, unspecified"),
    C("D70", ["粒缺", "粒细胞缺乏症", "中性粒细胞减少症"], "Agranulocytosis"),
    C("D86.9", ["结节病"], "Sarcoidosis, unspecified"),
    # ---- IV 内分泌
    C("E01.2", ["地方性甲状腺肿", "大脖子病"], "Iodine-deficiency-related (endemic) goitre, unspecified"),
    C("E03.9", ["甲减", "甲状腺功能减退", "甲状腺功能减退症", "甲低"], "Hypothyroidism, unspecified"),
    C("E04.1", ["甲状腺结节", "单发甲状腺结节"], "Nontoxic single thyroid nodule"),
    C("E04.2", ["多发甲状腺结节", "甲状腺多发结节"], "Nontoxic multinodular goitre"),
    C("E04.9", ["甲状腺肿", "结节性甲状腺肿"], "Nontoxic goitre, unspecified"),
    C("E05.0", ["Graves病", "格雷夫斯病", "毒性弥漫性甲状腺肿"], "Thyrotoxicosis with diffuse goitre"),
    C("E05.5", ["甲亢危象", "甲状腺危象"], "Thyroid crisis or storm", ["endocrinology", "icu"]),
    C("E05.9", ["甲亢", "甲状腺功能亢进", "甲状腺功能亢进症"], "Thyrotoxicosis, unspecified"),
    C("E06.1", ["亚甲炎"], "Subacute thyroiditis"),
    C("E06.3", ["桥本甲状腺炎", "桥本病", "慢性淋巴细胞性甲状腺炎"], "Autoimmune thyroiditis"),
    C("E10.9", ["1型糖尿病", "T1DM", "胰岛素依赖型糖尿病"], "Type 1 diabetes mellitus without complications"),
    C("E11.1", ["2型糖尿病酮症"], "Type 2 diabetes mellitus with ketoacidosis"),
    C("E11.111", ["2型糖尿病酮症酸中毒"], "Type 2 diabetic ketoacidosis"),
    C("E11.2", ["2型糖尿病肾脏并发症"], "Type 2 diabetes mellitus with renal complications"),
    C("E11.221", ["2型糖尿病肾病"], "Type 2 diabetic nephropathy"),
    C("E11.371", ["2型糖尿病视网膜病变"], "Type 2 diabetic retinopathy", ["ophthalmology", "endocrinology"]),
    C("E11.423", ["2型糖尿病周围神经病变"], "Type 2 diabetic peripheral neuropathy"),
    C("E11.550", ["2型糖尿病足病"], "Type 2 diabetic foot", ["endocrinology", "vascular_surgery"]),
    C("E11.9", ["2型糖尿病", "T2DM", "二型糖尿病", "非胰岛素依赖型糖尿病"], "Type 2 diabetes mellitus without complications"),
    C("E14.0", ["糖尿病昏迷"], "Unspecified diabetes mellitus with coma", ["endocrinology", "emergency"]),
    C("E14.1", ["糖尿病酮症酸中毒", "DKA"], "Unspecified diabetes mellitus with ketoacidosis",
      ["endocrinology", "emergency"]),
    C("E14.2", ["糖尿病肾病", "DKD", "糖尿病肾脏病"], "Unspecified diabetes mellitus with renal complications",
      ["endocrinology", "nephrology"]),
    C("E14.3", ["糖尿病视网膜病变"], "Unspecified diabetes mellitus with ophthalmic complications",
      ["ophthalmology", "endocrinology"]),
    C("E14.4", ["糖尿病周围神经病变", "DPN", "糖尿病神经病变"],
      "Unspecified diabetes mellitus with neurological complications"),
    C("E14.5", ["糖尿病足"], "Unspecified diabetes mellitus with peripheral circulatory complications",
      ["endocrinology", "vascular_surgery"]),
    C("E14.9", ["糖尿病", "DM"], "Unspecified diabetes mellitus without complications"),
    C("E16.2", ["低血糖", "低血糖症"], "Hypoglycaemia, unspecified", ["endocrinology", "emergency"]),
    C("E21.0", ["原发性甲旁亢", "甲旁亢"], "Primary hyperparathyroidism"),
    C("E23.0", ["垂体前叶功能减退症", "希恩综合征"], "Hypopituitarism"),
    C("E24.9", ["库欣综合征", "皮质醇增多症", "Cushing综合征"], "Cushing syndrome, unspecified"),
    C("E26.0", ["原醛症", "原发性醛固酮增多症", "原醛"], "Primary hyperaldosteronism"),
    C("E27.1", ["艾迪生病", "Addison病"], "Primary adrenocortical insufficiency"),
    C("E27.4", ["肾上腺皮质功能减退症", "肾上腺皮质功能不全"], "Other and unspecified adrenocortical insufficiency"),
    C("E28.2", ["PCOS", "多囊卵巢"], "Polycystic ovarian syndrome"),
    C("E43", ["重度营养不良"], "Unspecified severe protein-energy malnutrition"),
    C("E46", ["营养不良", "蛋白质能量营养不良"], "Unspecified protein-energy malnutrition"),
    C("E55.0", ["佝偻病"], "Rickets, active", ["pediatrics", "child_health"]),
    C("E55.9", ["维生素D缺乏", "维生素D缺乏症", "维D缺乏"], "Vitamin D deficiency, unspecified"),
    C("E66.9", ["肥胖", "肥胖症"], "Obesity, unspecified"),
    C("E78.0", ["高胆固醇血症"], "Pure hypercholesterolaemia", ["endocrinology", "cardiology"]),
    C("E78.1", ["高甘油三酯血症"], "Pure hyperglyceridaemia", ["endocrinology", "cardiology"]),
    C("E78.2", ["混合型高脂血症"], "Mixed hyperlipidaemia", ["endocrinology", "cardiology"]),
    C("E78.5", ["高脂血症", "高血脂", "血脂异常", "血脂高"], "Hyperlipidaemia, unspecified",
      ["endocrinology", "cardiology"], table_differs="the table files 血脂异常 under R77.8 (plasma protein abnormality); dyslipidaemia is E78 in ICD-10"),
    C("E79.0", ["高尿酸血症", "尿酸高"], "Hyperuricaemia without signs of inflammatory arthritis and tophaceous disease"),
    C("E83.0", ["肝豆状核变性", "Wilson病"], "Disorders of copper metabolism"),
    C("E86", ["脱水", "低血容量"], "Volume depletion"),
    C("E87.1", ["低钠血症", "低钠"], "Hypo-osmolality and hyponatraemia"),
    C("E87.2", ["代谢性酸中毒"], "Acidosis"),
    C("E87.5", ["高钾", "高血钾"], "Hyperkalaemia"),
    C("E87.6", ["低钾", "低血钾"], "Hypokalaemia"),
    # ---- V 精神
    C("F01.9", ["血管性痴呆"], "Vascular dementia, unspecified"),
    C("F03", ["痴呆", "痴呆症"], "Unspecified dementia"),
    C("F05.9", ["谵妄", "谵妄状态"], "Delirium, unspecified"),
    C("F10.0", ["急性酒精中毒", "醉酒"], "Acute alcohol intoxication", ["emergency", "psychiatry"]),
    C("F10.2", ["酒精依赖", "酒瘾"], "Alcohol dependence syndrome"),
    C("F17.2", ["烟草依赖", "尼古丁依赖", "烟瘾"], "Tobacco dependence syndrome"),
    C("F20.9", ["精神分裂症", "精分"], "Schizophrenia, unspecified"),
    C("F31.9", ["双相情感障碍", "双相障碍", "躁郁症"], "Bipolar affective disorder, unspecified"),
    C("F32.9", ["抑郁症", "抑郁状态", "抑郁发作"], "Depressive episode, unspecified",
      ["psychiatry", "clinical_psychology"]),
    C("F33.9", ["复发性抑郁障碍", "复发性抑郁症"], "Recurrent depressive disorder, unspecified"),
    C("F40.1", ["社交恐惧症", "社恐"], "Social phobias"),
    C("F41.0", ["惊恐障碍", "惊恐发作"], "Panic disorder", ["psychiatry", "clinical_psychology"]),
    C("F41.1", ["焦虑症", "焦虑状态", "GAD"], "Generalized anxiety disorder", ["psychiatry", "clinical_psychology"]),
    C("F41.2", ["焦虑抑郁状态", "混合性焦虑抑郁障碍"], "Mixed anxiety and depressive disorder",
      ["psychiatry", "clinical_psychology"]),
    C("F41.9", ["焦虑障碍"], "Anxiety disorder, unspecified", ["psychiatry", "clinical_psychology"]),
    C("F42.9", ["强迫症", "OCD"], "Obsessive-compulsive disorder, unspecified"),
    C("F43.1", ["PTSD"], "Post-traumatic stress disorder"),
    C("F43.2", ["适应性障碍"], "Adjustment disorders"),
    C("F45.0", ["躯体化症状障碍"], "Somatization disorder"),
    C("F48.0", [], "Neurasthenia"),
    C("F50.0", ["厌食症"], "Anorexia nervosa"),
    C("F51.0", ["非器质性失眠"], "Nonorganic insomnia"),
    C("F84.0", ["孤独症", "自闭症", "孤独症谱系障碍"], "Childhood autism"),
    C("F90.0", ["多动症", "ADHD", "注意缺陷多动障碍"], "Disturbance of activity and attention"),
    C("F95.2", ["抽动秽语综合征", "Tourette综合征"], "Combined vocal and multiple motor tic disorder",
      ["pediatric_neurology", "psychiatry"]),
    C("F95.9", ["抽动症", "抽动障碍"], "Tic disorder, unspecified", ["pediatric_neurology", "psychiatry"]),
    # ---- VI 神经
    C("G00.9", ["化脑", "化脓性脑膜炎", "细菌性脑膜炎"], "Bacterial meningitis, unspecified"),
    C("G03.9", ["脑膜炎"], "Meningitis, unspecified"),
    C("G04.9", ["脑炎"], "Encephalitis, myelitis and encephalomyelitis, unspecified"),
    C("G20", ["帕金森", "帕金森综合征"], "Parkinson disease"),
    C("G30.9", ["阿尔茨海默病", "老年痴呆", "老年性痴呆"], "Alzheimer disease, unspecified"),
    C("G35", [], "Multiple sclerosis"),
    C("G40.9", ["癫痫", "羊角风", "羊癫疯"], "Epilepsy, unspecified"),
    C("G41.9", ["癫痫持续状态"], "Status epilepticus, unspecified", ["neurology", "icu"]),
    C("G43.9", ["偏头痛"], "Migraine, unspecified"),
    C("G44.2", ["紧张性头痛"], "Tension-type headache"),
    C("G45.9", ["短暂性脑缺血发作", "TIA", "小中风"], "Transient cerebral ischaemic attack, unspecified"),
    C("G47.0", ["失眠", "失眠症"], "Disorders of initiating and maintaining sleep (insomnias)"),
    C("G47.9", ["睡眠障碍"], "Sleep disorder, unspecified"),
    C("G47.3", ["睡眠呼吸暂停综合征", "阻塞性睡眠呼吸暂停", "OSA", "OSAHS"], "Sleep apnoea",
      ["respiratory", "ent", "neurology"]),
    C("G50.0", [], "Trigeminal neuralgia", ["neurology", "pain"]),
    C("G51.0", ["面瘫", "周围性面瘫", "Bell麻痹", "贝尔麻痹"], "Bell palsy"),
    C("G51.8", ["面神经炎"], "Other disorders of facial nerve"),
    C("G56.0", [], "Carpal tunnel syndrome"),
    C("G61.0", ["格林巴利综合征", "吉兰-巴雷综合征"], "Guillain-Barré syndrome"),
    C("G62.9", ["周围神经病", "多发性神经病"], "Polyneuropathy, unspecified"),
    C("G70.0", [], "Myasthenia gravis"),
    C("G80.9", ["脑瘫", "脑性瘫痪"], "Cerebral palsy, unspecified"),
    C("G81.9", ["偏瘫"], "Hemiplegia, unspecified"),
    C("G91.9", ["脑积水"], "Hydrocephalus, unspecified"),
    C("G93.4", ["脑病"], "Encephalopathy, unspecified"),
    # ---- VII 眼
    C("H00.0", ["麦粒肿", "睑腺炎", "针眼"], "Hordeolum and other deep inflammation of eyelid"),
    C("H00.1", ["霰粒肿"], "Chalazion"),
        C("H10.1", ["过敏性结膜炎", "变应性结膜炎"], "Acute atopic conjunctivitis"),
    C("H10.9", ["结膜炎"], "Conjunctivitis, unspecified"),
    C("H11.0", ["胬肉"], "Pterygium"),
    C("H16.2", ["干眼症", "干眼", "干眼病"], "Keratoconjunctivitis"),
    C("H16.9", ["角膜炎"], "Keratitis, unspecified"),
    C("H20.9", ["虹膜睫状体炎", "前葡萄膜炎"], "Iridocyclitis, unspecified"),
    C("H25.9", ["老年性白内障", "年龄相关性白内障"], "Senile cataract, unspecified"),
    C("H26.9", ["白内障"], "Cataract, unspecified"),
    C("H33.0", ["孔源性视网膜脱离"], "Retinal detachment with retinal break"),
    C("H33.2", ["视网膜脱离"], "Serous retinal detachment (retinal detachment NOS)"),
    C("H34.8", ["视网膜静脉阻塞", "RVO"], "Other retinal vascular occlusions"),
    C("H35.3", ["年龄相关性黄斑变性", "老年黄斑变性", "AMD", "黄斑变性"], "Degeneration of macula and posterior pole"),
    C("H40.1", ["开角型青光眼", "POAG"], "Primary open-angle glaucoma"),
    C("H40.2", ["闭角型青光眼", "PACG"], "Primary angle-closure glaucoma"),
    C("H40.9", ["青光眼"], "Glaucoma, unspecified"),
    C("H50.9", ["斜视"], "Strabismus, unspecified"),
    C("H52.0", ["远视眼"], "Hypermetropia"),
    C("H52.1", ["近视眼"], "Myopia"),
    C("H52.2", [], "Astigmatism"),
    C("H52.4", ["老花眼", "老花"], "Presbyopia"),
    # ---- VIII 耳
    C("H60.9", ["外耳道炎"], "Otitis externa, unspecified"),
    C("H61.2", ["耵聍", "耳屎堵塞"], "Impacted cerumen"),
    C("H65.9", ["分泌性中耳炎"], "Nonsuppurative otitis media, unspecified"),
    C("H66.4", ["化脓性中耳炎"], "Suppurative otitis media, unspecified"),
    C("H66.9", ["中耳炎"], "Otitis media, unspecified"),
    C("H72.9", ["鼓膜穿孔"], "Perforation of tympanic membrane, unspecified"),
    C("H81.0", ["梅尼埃病", "美尼尔综合征", "美尼尔病"], "Ménière disease"),
    C("H81.1", ["良性阵发性位置性眩晕", "BPPV", "耳石症"], "Benign paroxysmal vertigo"),
    C("H81.2", ["前庭神经炎"], "Vestibular neuronitis"),
    C("H90.5", ["感音神经性耳聋", "神经性耳聋"], "Sensorineural hearing loss, unspecified"),
    C("H91.1", ["老年性聋", "老年性耳聋"], "Presbycusis"),
    C("H91.2", ["突发性聋", "突聋", "突发性耳聋"], "Sudden idiopathic hearing loss"),
    C("H91.9", ["耳聋", "听力损失"], "Hearing loss, unspecified"),
    C("H93.1", [], "Tinnitus"),
    # ---- IX 循环
    C("I05.0", ["风湿性二尖瓣狭窄"], "Mitral stenosis"),
    C("I10", ["高血压", "高血压病", "原发性高血压", "HTN", "血压高"], "Essential (primary) hypertension",
      ["cardiology", "general_practice"]),
    C("I11.0", ["高血压心脏病伴心力衰竭"], "Hypertensive heart disease with (congestive) heart failure"),
    C("I11.9", ["高血压性心脏病", "高心病"], "Hypertensive heart disease without (congestive) heart failure"),
    C("I12.9", ["高血压肾病", "高血压性肾病", "良性小动脉性肾硬化"], "Hypertensive renal disease without renal failure",
      ["nephrology", "cardiology"]),
    C("I15.9", ["继发性高血压"], "Secondary hypertension, unspecified"),
    C("I20.0", ["不稳定型心绞痛"], "Unstable angina"),
    C("I20.9", ["心绞痛"], "Angina pectoris, unspecified"),
    C("I21.304", ["STEMI", "ST段抬高型心肌梗死"], "Acute ST-elevation myocardial infarction",
      ["cardiology", "emergency"]),
    C("I21.403", ["NSTEMI", "非ST段抬高型心肌梗死"], "Acute non-ST-elevation myocardial infarction",
      ["cardiology", "emergency"]),
    C("I21.9", ["急性心肌梗死", "AMI", "心梗", "心肌梗死"], "Acute myocardial infarction, unspecified",
      ["cardiology", "emergency"]),
    C("I24.8", ["急性冠脉综合征", "急性冠状动脉综合征", "ACS"], "Other forms of acute ischaemic heart disease",
      ["cardiology", "emergency"]),
    C("I25.105", ["冠心病", "CHD"], "Atherosclerotic heart disease (coronary)"),
    C("I25.2", ["OMI", "陈旧性心梗"], "Old myocardial infarction"),
    C("I26.9", ["肺栓塞", "肺动脉栓塞", "PE"], "Pulmonary embolism without mention of acute cor pulmonale"),
    C("I27.0", ["特发性肺动脉高压"], "Primary pulmonary hypertension"),
    C("I27.2", ["肺动脉高压"], "Other secondary pulmonary hypertension"),
    C("I27.9", ["肺心病", "慢性肺源性心脏病", "肺源性心脏病"], "Pulmonary heart disease, unspecified",
      ["respiratory", "cardiology"]),
    C("I31.3", ["心包积液"], "Pericardial effusion (noninflammatory)",
      table_differs="ICD-10 I31.3 is pericardial effusion; the table files the bare term under I31.8"),
    C("I33.0", ["感染性心内膜炎", "IE"], "Acute and subacute infective endocarditis"),
    C("I34.0", ["二尖瓣关闭不全", "二尖瓣反流"], "Mitral (valve) insufficiency"),
    C("I35.0", ["主动脉瓣狭窄"], "Aortic (valve) stenosis"),
    C("I35.1", ["主动脉瓣关闭不全", "主动脉瓣反流"], "Aortic (valve) insufficiency"),
    C("I40.9", ["急性心肌炎"], "Acute myocarditis, unspecified"),
    C("I51.4", ["心肌炎"], "Myocarditis, unspecified"),
    C("I42.0", ["DCM", "扩张性心肌病"], "Dilated cardiomyopathy"),
    C("I42.1", ["HOCM", "肥厚型梗阻性心肌病"], "Obstructive hypertrophic cardiomyopathy"),
    C("I42.2", ["肥厚型心肌病", "HCM"], "Other hypertrophic cardiomyopathy"),
    C("I44.0", ["I度房室传导阻滞", "一度AVB"], "Atrioventricular block, first degree"),
    C("I44.1", ["II度房室传导阻滞", "二度AVB"], "Atrioventricular block, second degree"),
    C("I44.2", ["三度房室传导阻滞", "III度房室传导阻滞", "三度AVB"], "Atrioventricular block, complete"),
    C("I45.1", ["右束支传导阻滞", "右束支阻滞", "RBBB"], "Other and unspecified right bundle-branch block"),
    C("I46.9", ["心脏骤停", "心搏骤停", "心跳骤停"], "Cardiac arrest, unspecified", ["emergency", "cardiology"]),
    C("I47.1", ["室上速", "阵发性室上性心动过速", "PSVT"], "Supraventricular tachycardia"),
    C("I47.2", ["室速", "VT"], "Ventricular tachycardia"),
    C("I48", ["房颤", "心房颤动", "AF", "房扑", "心房扑动"], "Atrial fibrillation and flutter"),
    C("I49.0", ["室颤", "心室颤动", "VF"], "Ventricular fibrillation and flutter", ["cardiology", "emergency"]),
    C("I49.1", ["房性早搏", "房早", "房性期前收缩"], "Atrial premature depolarization"),
    C("I49.3", ["室性早搏", "室早", "室性期前收缩", "PVC"], "Ventricular premature depolarization"),
    C("I49.5", ["病态窦房结综合征", "病窦综合征", "SSS"], "Sick sinus syndrome"),
    C("I49.9", ["心律失常", "心律不齐"], "Cardiac arrhythmia, unspecified"),
    C("I50.0", ["CHF", "全心衰竭"], "Congestive heart failure"),
    C("I50.1", ["左心衰", "左心衰竭"], "Left ventricular failure"),
    C("I50.102", ["急性左心衰", "心源性哮喘"], "Acute left ventricular failure", ["cardiology", "emergency"]),
    C("I50.9", ["心力衰竭", "心衰", "心功能不全", "HF"], "Heart failure, unspecified"),
    C("I50.905", ["慢性心衰", "慢性心功能不全"], "Chronic heart failure"),
    C("I60.9", ["蛛网膜下腔出血", "SAH"], "Subarachnoid haemorrhage, unspecified"),
    C("I61.9", ["脑出血", "脑溢血", "ICH", "出血性脑卒中"], "Intracerebral haemorrhage, unspecified"),
    C("I62.0", ["非创伤性硬膜下出血"], "Subdural haemorrhage (acute)(nontraumatic)"),
    C("I63.4", ["脑栓塞"], "Cerebral infarction due to embolism of cerebral arteries",
      table_differs="an embolic stroke is an infarction (I63.4); the table files 脑栓塞 under I66.9"),
    C("I63.9", ["脑梗死", "脑梗", "脑梗塞", "缺血性脑卒中", "缺血性卒中"], "Cerebral infarction, unspecified",
      ["neurology", "emergency"]),
    C("I63.901", ["多发脑梗死", "多发性脑梗塞"], "Multiple cerebral infarctions"),
    C("I63.903", ["腔梗", "腔隙性脑梗塞", "腔隙性梗死"], "Lacunar infarction"),
    C("I64", ["中风", "卒中", "脑卒中", "脑血管意外"], "Stroke, not specified as haemorrhage or infarction",
      ["neurology", "emergency"]),
    C("I65.2", ["颈动脉狭窄"], "Occlusion and stenosis of carotid artery", ["neurology", "vascular_surgery"]),
    C("I67.2", ["脑动脉硬化", "脑动脉粥样硬化"], "Cerebral atherosclerosis"),
    C("I67.8", ["脑供血不足", "慢性脑供血不足"], "Other specified cerebrovascular diseases"),
    C("I69.1", ["脑出血后遗症"], "Sequelae of intracerebral haemorrhage", ["neurology", "rehabilitation"]),
    C("I69.3", ["脑梗后遗症", "脑梗死后遗症期"], "Sequelae of cerebral infarction", ["neurology", "rehabilitation"]),
    C("I70.2", ["下肢动脉硬化闭塞症", "下肢动脉粥样硬化"], "Atherosclerosis of arteries of extremities"),
    C("I71.0", ["主动脉夹层", "夹层动脉瘤"], "Dissection of aorta [any part]", ["cardiac_surgery", "emergency"]),
    C("I71.4", ["腹主动脉瘤", "AAA"], "Abdominal aortic aneurysm, without mention of rupture"),
    C("I73.0", ["雷诺病", "雷诺现象"], "Raynaud syndrome", ["rheumatology", "vascular_surgery"]),
    C("I73.1", ["血栓闭塞性脉管炎", "脉管炎", "Buerger病"], "Thromboangiitis obliterans [Buerger]"),
    C("I74.3", ["下肢动脉栓塞", "下肢动脉血栓"], "Embolism and thrombosis of arteries of lower extremities"),
    C("I80.2", ["下肢深静脉血栓", "深静脉血栓形成", "深静脉血栓", "DVT"],
      "Phlebitis and thrombophlebitis of other deep vessels of lower extremities"),
    C("I83.9", ["下肢静脉曲张", "静脉曲张", "大隐静脉曲张"], "Varicose veins of lower extremities without ulcer or inflammation"),
    C("I84.2", ["内痔"], "Internal haemorrhoids without complication"),
    C("I84.5", ["外痔"], "External haemorrhoids without complication"),
    C("I84.801", [], "Mixed haemorrhoids"),
    C("I84.9", ["痔疮", "痔"], "Unspecified haemorrhoids without complication"),
    C("I85.0", ["食管静脉曲张破裂出血"], "Oesophageal varices with bleeding",
      ["gastroenterology", "emergency"]),
    C("I85.9", ["食管静脉曲张"], "Oesophageal varices without bleeding"),
    C("I88.9", ["淋巴结炎"], "Nonspecific lymphadenitis, unspecified"),
    C("I95.1", ["直立性低血压", "体位性低血压"], "Orthostatic hypotension"),
    C("I95.9", ["低血压"], "Hypotension, unspecified"),
    # ---- X 呼吸
    C("J00", ["感冒", "普通感冒", "伤风", "急性鼻咽炎"], "Acute nasopharyngitis [common cold]"),
    C("J01.9", ["急性鼻窦炎"], "Acute sinusitis, unspecified"),
    C("J02.9", ["急性咽炎", "咽炎"], "Acute pharyngitis, unspecified"),
    C("J03.9", ["急性扁桃体炎", "扁桃体炎", "化脓性扁桃体炎"], "Acute tonsillitis, unspecified"),
    C("J04.0", ["喉炎"], "Acute laryngitis", ["ent", "pediatrics"]),
    C("J06.9", ["上呼吸道感染", "上感", "急性上呼吸道感染", "URTI"], "Acute upper respiratory infection, unspecified"),
    C("J09", ["人感染禽流感", "禽流感", "H7N9"], "Influenza due to identified zoonotic or pandemic influenza virus"),
    C("J10.1", ["甲流", "甲型流感", "乙型流感"], "Influenza with other respiratory manifestations, virus identified"),
    C("J11.1", ["流感", "流行性感冒"], "Influenza with other respiratory manifestations, virus not identified",
      ["respiratory", "infectious_diseases", "pediatrics"]),
    C("J12.9", ["病毒性肺炎"], "Viral pneumonia, unspecified"),
    C("J13", ["肺炎链球菌肺炎", "肺炎球菌肺炎"], "Pneumonia due to Streptococcus pneumoniae"),
    C("J15.7", ["支原体肺炎", "MPP"], "Pneumonia due to Mycoplasma pneumoniae", ["respiratory", "pediatric_respiratory"]),
    C("J15.9", ["细菌性肺炎"], "Bacterial pneumonia, unspecified"),
    C("J18.0", ["支气管肺炎", "小儿肺炎"], "Bronchopneumonia, unspecified", ["pediatric_respiratory", "respiratory"]),
    C("J18.1", ["大叶性肺炎"], "Lobar pneumonia, unspecified"),
    C("J18.2", ["坠积性肺炎"], "Hypostatic pneumonia, unspecified"),
    C("J18.9", ["肺炎", "社区获得性肺炎"], "Pneumonia, unspecified", ["respiratory", "pediatrics"]),
    C("J20.9", ["急性支气管炎"], "Acute bronchitis, unspecified"),
    C("J21.9", ["毛细支气管炎"], "Acute bronchiolitis, unspecified"),
    C("J22", ["下呼吸道感染", "急性下呼吸道感染"], "Unspecified acute lower respiratory infection"),
    C("J30.4", ["过敏性鼻炎", "变应性鼻炎"], "Allergic rhinitis, unspecified"),
    C("J31.0", [], "Chronic rhinitis"),
    C("J31.2", [], "Chronic pharyngitis"),
    C("J32.9", ["慢性鼻窦炎", "鼻窦炎"], "Chronic sinusitis, unspecified"),
    C("J33.9", ["鼻息肉"], "Nasal polyp, unspecified"),
    C("J34.2", [], "Deviated nasal septum"),
    C("J35.0", ["慢性扁桃体炎"], "Chronic tonsillitis"),
    C("J35.1", ["扁桃体肿大"], "Hypertrophy of tonsils", ["ent", "pediatrics"]),
    C("J35.2", [], "Hypertrophy of adenoids", ["ent", "pediatrics"]),
    C("J38.1", ["声带息肉"], "Polyp of vocal cord and larynx"),
    C("J40", ["支气管炎"], "Bronchitis, not specified as acute or chronic"),
    C("J42", ["慢性支气管炎", "慢支"], "Unspecified chronic bronchitis"),
    C("J43.9", ["肺气肿"], "Emphysema, unspecified"),
    C("J44.1", ["慢阻肺急性加重", "AECOPD", "慢性阻塞性肺疾病急性加重", "COPD急性加重"],
      "Chronic obstructive pulmonary disease with acute exacerbation, unspecified"),
    C("J44.9", ["慢阻肺", "COPD", "慢性阻塞性肺疾病", "慢性阻塞性肺病"],
      "Chronic obstructive pulmonary disease, unspecified"),
    C("J45.0", ["过敏性哮喘"], "Predominantly allergic asthma"),
    C("J45.9", ["哮喘", "支气管哮喘"], "Asthma, unspecified", ["respiratory", "pediatric_respiratory"]),
    C("J46", ["重症哮喘"], "Status asthmaticus", ["respiratory", "emergency"]),
    C("J47", ["支扩", "支气管扩张", "支气管扩张症"], "Bronchiectasis"),
    C("J62.8", ["矽肺", "硅肺", "矽肺病"], "Pneumoconiosis due to other dust containing silica"),
    C("J69.0", ["吸入性肺炎"], "Pneumonitis due to food and vomit"),
    C("J80", ["急性呼吸窘迫综合征", "ARDS"], "Adult respiratory distress syndrome", ["icu", "respiratory"]),
    C("J81", ["急性肺水肿"], "Pulmonary oedema", ["cardiology", "respiratory", "emergency"]),
    C("J84.1", ["肺纤维化", "特发性肺纤维化", "IPF"], "Other interstitial pulmonary diseases with fibrosis"),
    C("J84.9", ["间质性肺病", "间质性肺疾病", "ILD"], "Interstitial pulmonary disease, unspecified"),
    C("J85.2", ["肺脓肿"], "Abscess of lung without pneumonia"),
    C("J86.9", ["脓胸"], "Pyothorax without fistula"),
    C("J90", ["胸腔积液", "胸水"], "Pleural effusion, not elsewhere classified",
      table_differs="ICD-10 J90 is pleural effusion; the table files the bare term under J94.8"),
    C("J93.1", ["自发性气胸"], "Other spontaneous pneumothorax"),
    C("J93.9", ["气胸"], "Pneumothorax, unspecified"),
    C("J96.0", ["急性呼吸衰竭"], "Acute respiratory failure", ["respiratory", "icu"]),
    C("J96.1", ["慢性呼吸衰竭"], "Chronic respiratory failure"),
    C("J96.9", ["呼吸衰竭", "呼衰", "I型呼吸衰竭", "II型呼吸衰竭"], "Respiratory failure, unspecified", ["respiratory", "icu"]),
    C("J98.1", ["肺不张"], "Pulmonary collapse"),
    C("J98.402", ["肺感染", "肺部感染性疾病"], "Pulmonary infection"),
    # ---- XI 消化
    C("K02.9", ["龋齿", "蛀牙", "虫牙"], "Dental caries, unspecified"),
    C("K04.0", [], "Pulpitis"),
    C("K05.1", ["慢性牙龈炎", "牙龈炎"], "Chronic gingivitis"),
    C("K05.3", ["牙周炎"], "Chronic periodontitis"),
    C("K12.0", ["口腔溃疡", "复发性口腔溃疡", "口疮"], "Recurrent oral aphthae"),
    C("K21.0", ["反流性食管炎"], "Gastro-oesophageal reflux disease with oesophagitis"),
    C("K21.9", ["胃食管反流病", "GERD", "胃食管反流"], "Gastro-oesophageal reflux disease without oesophagitis"),
    C("K22.0", ["贲门失弛缓症"], "Achalasia of cardia"),
    C("K22.7", ["Barrett食管"], "Barrett oesophagus"),
    C("K25.9", ["胃溃疡"], "Gastric ulcer, unspecified as acute or chronic, without haemorrhage or perforation"),
    C("K26.9", ["十二指肠溃疡", "十二指肠球部溃疡"], "Duodenal ulcer, without haemorrhage or perforation"),
    C("K27.9", ["消化性溃疡"], "Peptic ulcer, site unspecified, without haemorrhage or perforation"),
    C("K29.1", ["急性胃炎"], "Other acute gastritis"),
    C("K29.3", ["浅表性胃炎", "慢性非萎缩性胃炎"], "Chronic superficial gastritis"),
    C("K29.4", ["萎缩性胃炎"], "Chronic atrophic gastritis"),
    C("K29.5", ["慢性胃炎"], "Chronic gastritis, unspecified"),
    C("K29.7", ["胃炎"], "Gastritis, unspecified"),
    C("K30", ["功能性消化不良", "消化不良症", "FD"], "Dyspepsia"),
    C("K35.9", ["急性阑尾炎"], "Acute appendicitis, unspecified"),
    C("K36", ["慢性阑尾炎"], "Other appendicitis"),
    C("K37", ["阑尾炎"], "Unspecified appendicitis"),
    C("K40.9", ["腹股沟疝", "疝气", "小肠气", "腹股沟斜疝"], "Unilateral or unspecified inguinal hernia, without obstruction or gangrene"),
    C("K42.9", ["脐疝"], "Umbilical hernia without obstruction or gangrene", ["general_surgery", "pediatric_surgery"]),
    C("K50.9", ["克罗恩病", "克隆病"], "Crohn disease, unspecified"),
    C("K51.9", ["溃疡性结肠炎", "UC", "溃结"], "Ulcerative colitis, unspecified"),
    C("K56.1", [], "Intussusception", ["pediatric_surgery", "gastrointestinal_surgery"]),
    C("K56.5", ["粘连性肠梗阻"], "Intestinal adhesions [bands] with obstruction"),
    C("K56.7", ["肠梗阻"], "Ileus, unspecified"),
    C("K57.3", ["结肠憩室", "结肠憩室病"], "Diverticular disease of large intestine without perforation or abscess"),
    C("K58.9", ["肠易激综合征", "IBS"], "Irritable bowel syndrome without diarrhoea"),
    C("K59.0", ["功能性便秘"], "Constipation"),
    C("K60.2", ["肛裂"], "Anal fissure, unspecified"),
    C("K60.3", ["肛门瘘", "肛周瘘管"], "Anal fistula"),
    C("K61.0", ["肛周脓肿", "肛旁脓肿"], "Anal abscess"),
    C("K62.1", [], "Rectal polyp"),
    C("K63.5", ["肠息肉"], "Polyp of colon", ["gastroenterology"]),
    C("K65.0", ["急性腹膜炎", "弥漫性腹膜炎"], "Acute peritonitis"),
    C("K70.0", ["酒精性脂肪肝"], "Alcoholic fatty liver"),
    C("K70.3", ["酒精性肝硬化"], "Alcoholic cirrhosis of liver"),
    C("K70.9", ["酒精性肝病", "酒精肝"], "Alcoholic liver disease, unspecified"),
    C("K72.9", ["肝衰竭", "肝功能衰竭"], "Hepatic failure, unspecified", ["hepatology", "icu"]),
    C("K74.6", ["肝硬化", "肝硬变", "乙肝肝硬化", "乙型肝炎肝硬化", "失代偿期肝硬化"],
      "Other and unspecified cirrhosis of liver"),
    C("K75.4", ["AIH"], "Autoimmune hepatitis"),
    C("K76.0", ["脂肪肝", "非酒精性脂肪性肝病", "NAFLD", "代谢相关脂肪性肝病", "MAFLD"],
      "Fatty (change of) liver, not elsewhere classified"),
    C("K76.6", ["门脉高压", "门静脉高压症"], "Portal hypertension"),
    C("K80.0", ["结石性胆囊炎急性发作"], "Calculus of gallbladder with acute cholecystitis",
      ["hepatobiliary_surgery", "emergency"]),
    C("K80.1", ["胆囊结石伴胆囊炎", "结石性胆囊炎"], "Calculus of gallbladder with other cholecystitis"),
    C("K80.2", ["胆囊结石", "胆结石"], "Calculus of gallbladder without cholecystitis"),
    C("K80.5", ["胆总管结石", "胆管结石"], "Calculus of bile duct without cholangitis or cholecystitis"),
    C("K80.8", ["胆石症"], "Other cholelithiasis"),
    C("K81.0", ["急性胆囊炎"], "Acute cholecystitis"),
    C("K81.1", ["慢性胆囊炎"], "Chronic cholecystitis"),
    C("K82.808", ["胆囊息肉样病变"], "Gallbladder polyp"),
    C("K83.0", ["急性胆管炎", "化脓性胆管炎"], "Cholangitis", ["hepatobiliary_surgery", "emergency"]),
    C("K85.1", ["胆源性胰腺炎", "胆源性急性胰腺炎"], "Biliary acute pancreatitis"),
    C("K85.9", ["急性胰腺炎"], "Acute pancreatitis, unspecified", ["gastroenterology", "emergency"]),
    C("K86.1", ["慢性胰腺炎"], "Other chronic pancreatitis"),
    C("K92.0", [], "Haematemesis", ["gastroenterology", "emergency"]),
    C("K92.1", ["黑便", "柏油样便"], "Melaena", ["gastroenterology", "emergency"]),
    C("K92.2", ["消化道出血", "上消化道出血", "胃肠道出血"], "Gastrointestinal haemorrhage, unspecified",
      ["gastroenterology", "emergency"]),
    # ---- XII 皮肤
    C("L01.0", ["脓疱疮", "黄水疮"], "Impetigo"),
    C("L02.9", ["皮肤脓肿", "疖", "痈", "疖肿"], "Cutaneous abscess, furuncle and carbuncle, unspecified"),
    C("L03.9", ["蜂窝织炎", "蜂窝组织炎"], "Cellulitis, unspecified"),
    C("L20.9", ["特应性皮炎", "异位性皮炎", "遗传过敏性皮炎"], "Atopic dermatitis, unspecified",
      ["dermatology", "pediatrics"]),
    C("L21.9", ["脂溢性皮炎"], "Seborrhoeic dermatitis, unspecified"),
    C("L23.9", ["变应性接触性皮炎", "过敏性皮炎"], "Allergic contact dermatitis, unspecified cause"),
    C("L25.9", ["接触性皮炎"], "Unspecified contact dermatitis, unspecified cause"),
    C("L27.0", ["药疹", "药物性皮炎"], "Generalized skin eruption due to drugs and medicaments"),
    C("L29.9", ["瘙痒症", "皮肤瘙痒症"], "Pruritus, unspecified"),
    C("L30.9", ["湿疹", "皮炎"], "Dermatitis, unspecified"),
    C("L40.0", ["寻常型银屑病"], "Psoriasis vulgaris"),
    C("L40.9", ["银屑病", "牛皮癣"], "Psoriasis, unspecified"),
    C("L50.0", ["过敏性荨麻疹"], "Allergic urticaria"),
    C("L50.9", ["荨麻疹", "风疹块"], "Urticaria, unspecified", ["dermatology", "allergy"]),
    C("L51.9", ["多形红斑"], "Erythema multiforme, unspecified"),
    C("L63.9", ["斑秃", "鬼剃头"], "Alopecia areata, unspecified"),
    C("L70.0", [], "Acne vulgaris"),
    C("L70.9", ["痤疮", "青春痘", "粉刺"], "Acne, unspecified"),
    C("L71.9", ["玫瑰痤疮", "酒渣鼻"], "Rosacea, unspecified"),
    C("L72.1", ["皮脂腺囊肿", "粉瘤"], "Trichilemmal cyst", ["general_surgery", "dermatology"]),
    C("L80", [], "Vitiligo"),
    C("L89.9", ["压疮", "褥疮", "压力性损伤"], "Decubitus ulcer and pressure area, unspecified"),
    C("L93.0", ["DLE"], "Discoid lupus erythematosus"),
    # ---- XIII 肌肉骨骼
    C("M05.9", ["血清阳性类风湿关节炎"], "Seropositive rheumatoid arthritis, unspecified"),
    C("M06.9", ["类风湿关节炎", "类风湿", "RA"], "Rheumatoid arthritis, unspecified"),
    C("M10.9", ["痛风性关节炎", "痛风发作"], "Gout, unspecified", ["rheumatology", "endocrinology"],
      table_differs="the table files 痛风性关节炎 under M13.8; gouty arthritis is gout (M10) in ICD-10"),
    C("M15.9", ["多关节骨关节炎"], "Polyarthrosis, unspecified"),
    C("M16.9", ["髋关节骨关节炎", "髋关节炎"], "Coxarthrosis, unspecified"),
    C("M17.9", ["膝关节骨关节炎", "膝骨关节炎", "膝关节炎", "膝关节退行性变", "老寒腿"], "Gonarthrosis, unspecified"),
    C("M19.9", ["骨关节炎", "骨关节病", "退行性关节病", "OA"], "Arthrosis, unspecified"),
    C("M32.9", ["系统性红斑狼疮", "SLE", "红斑狼疮", "狼疮"], "Systemic lupus erythematosus, unspecified"),
    C("M34.9", ["系统性硬化症", "硬皮病"], "Systemic sclerosis, unspecified"),
    C("M35.0", ["干燥综合征", "舍格伦综合征"], "Sicca syndrome [Sjögren]"),
    C("M35.3", [], "Polymyalgia rheumatica"),
    C("M45", ["强直性脊柱炎"], "Ankylosing spondylitis"),
    C("M47.921", ["颈椎病"], "Cervical spondylosis", ["spine_surgery", "orthopedics", "rehabilitation"]),
    C("M48.061", ["腰椎管狭窄", "腰椎管狭窄症"], "Lumbar spinal stenosis"),
    C("M50.1", ["神经根型颈椎病", "颈椎间盘突出伴神经根病"], "Cervical disc disorder with radiculopathy",
      table_differs="the table files 神经根型颈椎病 as an extension of M47.2; both coding habits exist"),
    C("M50.2", ["颈椎间盘突出", "颈椎间盘突出症"], "Other cervical disc displacement"),
    C("M51.202", ["腰椎间盘突出症", "腰突症", "腰间盘突出"], "Lumbar disc herniation"),
    C("M54.2", [], "Cervicalgia"),
    C("M54.3", [], "Sciatica"),
    C("M54.5", ["腰痛", "下腰痛", "腰背痛"], "Low back pain"),
    C("M65.3", ["弹响指"], "Trigger finger", ["hand_surgery"]),
    C("M65.4", ["桡骨茎突狭窄性腱鞘炎", "妈妈手"], "Radial styloid tenosynovitis [de Quervain]", ["hand_surgery"]),
    C("M75.003", ["肩周炎", "冻结肩", "五十肩"], "Frozen shoulder", ["orthopedics", "rehabilitation", "pain"]),
    C("M75.1", ["肩袖损伤", "肩袖综合征"], "Rotator cuff syndrome", ["sports_medicine", "orthopedics"]),
    C("M77.1", ["网球肘", "肱骨外上髁炎"], "Lateral epicondylitis"),
    C("M79.7", ["纤维肌痛综合征"], "Fibromyalgia"),
    C("M80.9", ["骨质疏松性骨折"], "Osteoporosis with pathological fracture, unspecified"),
    C("M81.0", ["绝经后骨质疏松症"], "Postmenopausal osteoporosis"),
    C("M81.9", ["骨质疏松症", "骨松"], "Osteoporosis, unspecified"),
    C("M86.9", [], "Osteomyelitis, unspecified"),
    C("M87.0", [], "Idiopathic aseptic necrosis of bone"),
    C("M87.8", ["股骨头坏死", "股骨头缺血性坏死"], "Other osteonecrosis"),
    C("M87.9", [], "Osteonecrosis, unspecified"),
    # ---- XIV 泌尿生殖
    C("N00.9", ["急性肾炎", "急性肾小球肾炎"], "Acute nephritic syndrome, unspecified"),
    C("N02.801", ["IgA肾病", "IgAN"], "IgA nephropathy"),
    C("N03.9", ["慢性肾炎", "慢性肾小球肾炎"], "Chronic nephritic syndrome, unspecified"),
    C("N04.9", ["肾病综合征"], "Nephrotic syndrome, unspecified"),
    C("N10", ["急性肾盂肾炎", "肾盂肾炎"], "Acute tubulo-interstitial nephritis", ["nephrology", "urology"]),
    C("N13.3", ["肾积水"], "Other and unspecified hydronephrosis"),
    C("N17.9", ["急性肾损伤", "急性肾衰竭", "急性肾功能衰竭", "AKI"], "Acute renal failure, unspecified"),
    C("N18.0", ["终末期肾病", "ESRD", "慢性肾脏病5期"], "End-stage renal disease"),
    C("N18.9", ["慢性肾衰竭", "慢性肾功能衰竭", "慢性肾脏病", "CKD", "慢性肾功能不全"], "Chronic renal failure, unspecified"),
    C("N19", ["尿毒症", "肾衰竭", "肾功能衰竭", "肾功能不全"], "Unspecified renal failure"),
    C("N20.0", [], "Calculus of kidney"),
    C("N20.1", [], "Calculus of ureter"),
    C("N20.9", ["泌尿系结石", "尿路结石", "尿石症"], "Urinary calculus, unspecified"),
    C("N21.0", [], "Calculus in bladder"),
    C("N23", ["肾绞痛"], "Unspecified renal colic", ["urology", "emergency"]),
    C("N28.1", ["肾囊肿"], "Cyst of kidney, acquired"),
    C("N30.0", ["急性膀胱炎"], "Acute cystitis"),
    C("N30.9", ["膀胱炎"], "Cystitis, unspecified"),
    C("N31.9", ["神经源性膀胱"], "Neuromuscular dysfunction of bladder, unspecified"),
    C("N39.0", ["泌尿系感染", "尿路感染", "尿感", "泌尿道感染", "UTI"], "Urinary tract infection, site not specified"),
    C("N39.3", [], "Stress incontinence", ["urology", "gynecology"]),
    C("N40", ["良性前列腺增生", "BPH", "前列腺肥大"], "Hyperplasia of prostate"),
    C("N41.1", ["慢性前列腺炎"], "Chronic prostatitis"),
    C("N41.9", ["前列腺炎"], "Inflammatory disease of prostate, unspecified"),
    C("N43.3", ["鞘膜积液", "睾丸鞘膜积液"], "Hydrocele, unspecified"),
    C("N44", ["睾丸扭转"], "Torsion of testis", ["urology", "emergency"]),
    C("N45.9", ["睾丸炎", "附睾炎"], "Orchitis, epididymitis and epididymo-orchitis without abscess"),
    C("N46", ["男性不育"], "Male infertility"),
    C("N47", ["包皮过长", "包茎"], "Redundant prepuce, phimosis and paraphimosis"),
    C("N48.4", ["勃起功能障碍", "阳痿"], "Impotence of organic origin", ["andrology", "urology"]),
    C("N60.1", ["乳腺囊性增生病", "乳腺囊性增生"], "Diffuse cystic mastopathy"),
    C("N61", ["乳腺炎", "急性乳腺炎"], "Inflammatory disorders of breast"),
    C("N62", ["乳腺增生", "乳腺小叶增生", "男性乳房发育"], "Hypertrophy of breast",
      table_differs="the table files 乳腺增生 under N62 (extension N62xx04); we follow it"),
    C("N63", ["乳房肿块", "乳腺肿物", "乳腺结节"], "Unspecified lump in breast"),
    C("N70.9", ["附件炎", "输卵管炎"], "Salpingitis and oophoritis, unspecified"),
    C("N71.9", ["子宫内膜炎"], "Inflammatory disease of uterus, unspecified"),
    C("N72", ["宫颈炎", "慢性宫颈炎"], "Inflammatory disease of cervix uteri"),
    C("N73.9", ["盆腔炎", "盆腔炎性疾病", "PID"], "Female pelvic inflammatory disease, unspecified"),
    C("N76.0", ["阴道炎"], "Acute vaginitis"),
    C("N80.0", ["子宫腺肌病", "子宫腺肌症"], "Endometriosis of uterus"),
    C("N80.1", ["卵巢巧克力囊肿", "巧克力囊肿", "卵巢子宫内膜异位囊肿"], "Endometriosis of ovary"),
    C("N80.9", ["子宫内膜异位症", "内异症"], "Endometriosis, unspecified"),
    C("N81.4", ["子宫脱垂"], "Uterovaginal prolapse, unspecified"),
    C("N83.2", ["卵巢囊肿"], "Other and unspecified ovarian cysts"),
    C("N84.0", ["子宫内膜息肉"], "Polyp of corpus uteri"),
    C("N84.1", [], "Polyp of cervix uteri"),
    C("N85.0", ["子宫内膜增生", "子宫内膜单纯性增生"], "Endometrial glandular hyperplasia"),
    C("N85.805", ["剖宫产术后瘢痕子宫"], "Scarred uterus", ["obstetrics", "gynecology"]),
    C("N87.9", ["宫颈上皮内瘤变", "宫颈不典型增生", "CIN"], "Dysplasia of cervix uteri, unspecified"),
    C("N91.2", ["闭经"], "Amenorrhoea, unspecified"),
    C("N92.0", ["月经过多"], "Excessive and frequent menstruation with regular cycle"),
    C("N92.6", ["月经不调", "月经紊乱", "月经不规律"], "Irregular menstruation, unspecified"),
    C("N93.9", ["异常子宫出血", "AUB"], "Abnormal uterine and vaginal bleeding, unspecified"),
    C("N94.6", ["痛经"], "Dysmenorrhoea, unspecified"),
    C("N95.1", ["更年期综合征", "围绝经期综合征", "绝经综合征"], "Menopausal and female climacteric states"),
    C("N96", ["复发性流产"], "Habitual aborter"),
    C("N97.9", ["不孕症", "女性不孕"], "Female infertility, unspecified"),
    # ---- XV 妊娠
    C("O00.1", [], "Tubal pregnancy", ["gynecology", "emergency"]),
    C("O00.9", ["宫外孕", "异位妊娠"], "Ectopic pregnancy, unspecified", ["gynecology", "emergency"]),
    C("O02.1", ["胎停"], "Missed abortion"),
    C("O03.9", ["自然流产"], "Spontaneous abortion, complete or unspecified, without complication"),
    C("O04.9", ["人工流产", "人流"], "Medical abortion, complete or unspecified, without complication",
      ["gynecology", "family_planning"]),
    C("O13", ["妊娠期高血压", "妊娠高血压"], "Gestational hypertension without significant proteinuria"),
    C("O14.1", ["重度子痫前期"], "Severe pre-eclampsia"),
    C("O14.9", ["子痫前期", "先兆子痫"], "Pre-eclampsia, unspecified"),
    C("O15.9", ["子痫"], "Eclampsia, unspecified as to time period"),
    C("O20.0", [], "Threatened abortion"),
    C("O21.9", ["妊娠剧吐", "妊娠呕吐"], "Vomiting of pregnancy, unspecified"),
    C("O24.4", ["妊娠期糖尿病", "GDM"], "Diabetes mellitus arising in pregnancy", ["obstetrics", "endocrinology"]),
    C("O30.0", ["双胎"], "Twin pregnancy"),
    C("O36.5", ["胎儿生长受限", "FGR", "宫内发育迟缓"], "Maternal care for poor fetal growth"),
    C("O40", [], "Polyhydramnios"),
    C("O41.0", [], "Oligohydramnios"),
    C("O42.9", ["胎膜早破", "破水"], "Premature rupture of membranes, unspecified"),
    C("O44.0", ["前置胎盘"], "Placenta praevia specified as without haemorrhage"),
    C("O45.9", ["胎盘早剥"], "Premature separation of placenta, unspecified", ["obstetrics", "emergency"]),
    C("O48", [], "Prolonged pregnancy"),
    C("O60.1", ["早产"], "Preterm spontaneous labour with preterm delivery"),
    C("O68.9", ["胎儿窘迫"], "Labour and delivery complicated by fetal stress, unspecified"),
    C("O72.1", ["产后出血"], "Other immediate postpartum haemorrhage"),
    C("O80.0", ["顺产", "自然分娩", "阴道分娩"], "Spontaneous vertex delivery"),
    C("O82.9", ["剖宫产", "剖腹产"], "Delivery by caesarean section, unspecified"),
    C("O85", ["产褥感染", "产褥热"], "Puerperal sepsis"),
    # ---- XVI 围生期
    C("P05.1", ["小于胎龄儿", "SGA"], "Small for gestational age"),
    C("P07.1", ["低出生体重儿"], "Other low birth weight"),
    C("P07.3", ["早产儿"], "Other preterm infants"),
    C("P21.9", ["新生儿窒息", "出生窒息"], "Birth asphyxia, unspecified"),
    C("P22.0", ["NRDS", "新生儿肺透明膜病"], "Respiratory distress syndrome of newborn"),
    C("P23.9", ["新生儿肺炎"], "Congenital pneumonia, unspecified"),
    C("P36.9", ["新生儿败血症"], "Bacterial sepsis of newborn, unspecified"),
    C("P59.9", ["新生儿黄疸", "新生儿高胆红素血症"], "Neonatal jaundice, unspecified"),
    C("P70.4", ["新生儿低血糖"], "Other neonatal hypoglycaemia"),
    # ---- XVII 先天
    C("Q21.0", ["VSD", "室缺"], "Ventricular septal defect"),
    C("Q21.1", ["ASD", "房缺"], "Atrial septal defect"),
    C("Q21.3", ["法洛四联症", "TOF"], "Tetralogy of Fallot"),
    C("Q25.0", ["PDA"], "Patent ductus arteriosus"),
    C("Q35.9", ["腭裂"], "Cleft palate, unspecified"),
    C("Q36.9", ["唇裂", "兔唇"], "Cleft lip, unilateral"),
    C("Q53.9", ["隐睾", "隐睾症"], "Undescended testicle, unspecified"),
    C("Q54.9", ["尿道下裂"], "Hypospadias, unspecified"),
    C("Q61.3", ["多囊肾"], "Polycystic kidney, unspecified"),
    C("Q65.8", ["发育性髋关节发育不良", "DDH"], "Other congenital deformities of hip"),
    C("Q66.0", ["马蹄内翻足"], "Talipes equinovarus"),
    C("Q90.9", ["唐氏综合征", "21三体综合征", "先天愚型"], "Down syndrome, unspecified"),
    # ---- XVIII 症状体征 (coded when no diagnosis is made)
    C("R00.0", ["心动过速"], "Tachycardia, unspecified"),
    C("R00.1", ["心动过缓"], "Bradycardia, unspecified"),
    C("R04.0", ["鼻衄"], "Epistaxis", ["ent", "emergency"]),
    C("R04.2", [], "Haemoptysis"),
    C("R05", [], "Cough"),
    C("R06.0", [], "Dyspnoea"),
    C("R07.4", ["胸痛待查"], "Chest pain, unspecified", ["cardiology", "emergency"]),
    C("R10.0", ["急腹症待查"], "Acute abdomen", ["general_surgery", "emergency"]),
    C("R10.4", ["腹痛待查"], "Other and unspecified abdominal pain"),
    C("R17", ["黄疸待查"], "Unspecified jaundice"),
    C("R18", ["腹水", "腹腔积液"], "Ascites"),
    C("R31", ["血尿待查"], "Unspecified haematuria"),
    C("R33", ["尿潴留"], "Retention of urine"),
    C("R40.2", ["昏迷"], "Coma, unspecified", ["neurology", "icu", "emergency"]),
    C("R42", ["头晕待查", "眩晕待查"], "Dizziness and giddiness"),
    C("R50.9", ["发热待查", "发热原因不明"], "Fever, unspecified"),
    C("R55", ["晕厥待查"], "Syncope and collapse"),
    C("R56.0", ["高热惊厥", "热性惊厥"], "Febrile convulsions", ["pediatrics", "pediatric_neurology"]),
    C("R56.8", ["惊厥", "抽搐待查"], "Other and unspecified convulsions"),
    C("R57.0", ["心源性休克"], "Cardiogenic shock", ["cardiology", "icu"]),
    C("R57.1", ["低血容量性休克", "失血性休克"], "Hypovolaemic shock"),
    C("R57.9", ["休克"], "Shock, unspecified"),
    C("R59.9", ["淋巴结肿大"], "Enlarged lymph nodes, unspecified"),
    C("R60.9", ["水肿待查"], "Oedema, unspecified"),
    C("R73.0", ["糖耐量减低", "糖耐量异常", "IGT", "糖尿病前期"], "Abnormal glucose tolerance test"),
    C("R73.9", ["高血糖", "血糖升高"], "Hyperglycaemia, unspecified"),
    C("R91", ["肺结节", "肺部结节", "肺占位", "肺部阴影"], "Abnormal findings on diagnostic imaging of lung"),
    # ---- XIX 损伤中毒
    C("S06.0", [], "Concussion"),
    C("S06.4", ["硬膜外血肿"], "Epidural haemorrhage"),
    C("S06.5", ["硬膜下血肿", "创伤性硬膜下血肿"], "Traumatic subdural haemorrhage"),
    C("S06.9", ["颅脑损伤", "颅脑外伤", "脑外伤"], "Intracranial injury, unspecified"),
    C("S22.3", [], "Fracture of rib"),
    C("S32.0", ["腰椎压缩性骨折"], "Fracture of lumbar vertebra"),
    C("S42.0", [], "Fracture of clavicle"),
    C("S42.2", ["肱骨近端骨折"], "Fracture of upper end of humerus"),
    C("S52.5", ["桡骨远端骨折", "Colles骨折"], "Fracture of lower end of radius"),
    C("S72.0", [], "Fracture of neck of femur"),
    C("S72.1", ["股骨转子间骨折", "粗隆间骨折"], "Pertrochanteric fracture"),
    C("S82.8", ["踝关节骨折", "踝骨折"], "Fractures of other parts of lower leg"),
    C("S83.2", ["半月板撕裂", "半月板损伤"], "Tear of meniscus, current", ["sports_medicine", "orthopedics"]),
    C("S83.5", ["前交叉韧带损伤", "交叉韧带损伤", "ACL损伤"], "Sprain of cruciate ligament of knee",
      ["sports_medicine", "orthopedics"]),
    C("S93.4", ["踝关节扭伤", "崴脚", "扭伤脚踝"], "Sprain and strain of ankle"),
    C("T14.9", ["外伤", "损伤"], "Injury, unspecified"),
    C("T30.0", ["烧伤", "烫伤", "烧烫伤"], "Burn of unspecified body region, unspecified degree"),
    C("T51.0", ["乙醇中毒"], "Toxic effect of ethanol"),
    C("T58", ["一氧化碳中毒", "煤气中毒", "CO中毒"], "Toxic effect of carbon monoxide"),
    C("T60.0", ["有机磷中毒", "有机磷农药中毒"], "Toxic effect of organophosphate and carbamate insecticides"),
    C("T60.9", ["农药中毒"], "Toxic effect of pesticide, unspecified"),
    C("T60.3", ["除草剂中毒", "百草枯中毒"], "Toxic effect of herbicides and fungicides"),
    C("T63.0", ["毒蛇咬伤", "蛇咬伤"], "Toxic effect of snake venom"),
    C("T67.0", ["中暑", "热射病"], "Heatstroke and sunstroke"),
    C("T78.2", ["过敏性休克"], "Anaphylactic shock, unspecified", ["emergency", "allergy"]),
    C("T78.4", ["过敏反应", "变态反应"], "Allergy, unspecified", ["allergy", "emergency"]),
    C("T81.0", ["术后出血"], "Haemorrhage and haematoma complicating a procedure"),
    C("T81.4", ["切口感染", "术后感染", "手术部位感染"], "Infection following a procedure"),
    C("T88.7", ["药物不良反应", "药物副作用"], "Unspecified adverse effect of drug or medicament"),
    # ---- XX 外因
    C("W19", ["跌倒"], "Unspecified fall", table_differs="external-cause categories ship at 3 characters"),
    C("W54", ["狗咬伤", "犬咬伤"], "Bitten or struck by dog"),
    C("V89", ["交通事故", "车祸"], "Motor- or nonmotor-vehicle accident, type of vehicle unspecified"),
    C("X64", ["药物自杀", "服药自杀"], "Intentional self-poisoning by other and unspecified drugs"),
    C("X68", ["农药自杀", "喝农药"], "Intentional self-poisoning by pesticides"),
    # ---- XXI 健康状况
    C("Z00.0", ["健康体检", "体检", "常规体检"], "General medical examination"),
    C("Z21", ["HIV感染", "HIV阳性", "无症状HIV感染"], "Asymptomatic HIV infection status",
      ["infectious_diseases"]),
    C("Z30.0", ["避孕咨询"], "General counselling and advice on contraception"),
    C("Z34.9", ["正常妊娠", "孕期检查", "产检"], "Supervision of normal pregnancy, unspecified"),
    C("Z35.9", ["高危妊娠"], "Supervision of high-risk pregnancy, unspecified"),
    C("Z37.0", ["单胎活产"], "Single live birth"),
    C("Z38.0", [], "Singleton, born in hospital"),
    C("Z47.0", ["取内固定", "内固定取出"], "Follow-up care involving removal of fracture plate and other internal fixation device"),
    C("Z51.0", ["放疗", "放射治疗"], "Radiotherapy session", ["radiation_oncology"]),
    C("Z51.1", ["化疗", "肿瘤化疗"], "Chemotherapy session for neoplasm"),
    C("Z51.5", ["姑息治疗", "姑息医疗"], "Palliative care", ["hospice", "oncology"]),
    C("Z88.0", ["青霉素过敏史"], "Personal history of allergy to penicillin"),
    C("Z95.0", ["起搏器植入术后", "起搏器植入状态"], "Presence of cardiac pacemaker"),
    C("Z95.5", ["冠脉支架植入术后", "PCI术后", "支架术后"], "Presence of coronary angioplasty implant and graft"),
]
# fmt: on

U07 = {
    "id": "icd10:U07.1",
    "code": "U07.1",
    "name": "新型冠状病毒感染",
    "synonyms": ["新冠", "COVID-19", "新冠肺炎", "新型冠状病毒肺炎", "新冠病毒感染"],
    "name_en": "COVID-19, virus identified",
    "chapter": "XXII",
    "category": "U07 新疾病的暂用编码",
    "departments": ["dept:infectious_diseases", "dept:respiratory", "dept:fever_clinic"],
    "notifiable": "乙类",
    "source": SOURCE_U07 + NOTIFIABLE_SOURCE,
}

CHAPTERS = [
    ("A00", "B99", "I"), ("C00", "D48", "II"), ("D50", "D89", "III"), ("E00", "E90", "IV"), ("F00", "F99", "V"),
    ("G00", "G99", "VI"), ("H00", "H59", "VII"), ("H60", "H95", "VIII"), ("I00", "I99", "IX"),
    ("J00", "J99", "X"), ("K00", "K93", "XI"), ("L00", "L99", "XII"), ("M00", "M99", "XIII"),
    ("N00", "N99", "XIV"), ("O00", "O99", "XV"), ("P00", "P96", "XVI"), ("Q00", "Q99", "XVII"),
    ("R00", "R99", "XVIII"), ("S00", "T98", "XIX"), ("V01", "Y98", "XX"), ("Z00", "Z99", "XXI"),
    ("U00", "U99", "XXII"),
]


def chapter_of(code: str) -> str:
    """ICD-10 chapter (roman numeral) of a code."""
    cat = code[:3]
    for lo, hi, ch in CHAPTERS:
        if lo <= cat <= hi:
            return ch
    raise SystemExit(f"{code}: no ICD-10 chapter")


def departments_of(code: str) -> list[str]:
    cat = code[:3]
    for lo, hi, depts in DEPT_RULES:
        if lo <= cat <= hi:
            return depts
    raise SystemExit(f"{code}: no department rule; add one to DEPT_RULES")


_COMMA = re.compile(r"(?<!\d),|,(?!\d)")


def clean_name(code: str, name: str) -> str:
    """Table name → shipped name: typo fixes, Chinese commas, no stray trailing dots."""
    name = NAME_FIXES.get(code, name).strip()
    name = name.rstrip("。.,，")
    name = _COMMA.sub("，", name)
    return re.sub(r"\s*，\s*", "，", name)


def base_code(code: str) -> str:
    """'E11.221+N08.3*' → 'E11.221'; 'E11.2+' → 'E11.2'."""
    return code.split("+", 1)[0].rstrip("*")


def expand_categories(spec: str, cats: dict[str, str]) -> list[tuple[str, bool]]:
    out: list[tuple[str, bool]] = []
    for tok in spec.split():
        only = tok.endswith("!")
        tok = tok.rstrip("!")
        if "-" in tok:
            lo, hi = tok.split("-")
            out.extend((c, only) for c in sorted(cats) if lo <= c <= hi)
        else:
            if tok not in cats:
                raise SystemExit(f"category {tok} is not in the table")
            out.append((tok, only))
    return out


def notifiable_of(code: str) -> str | None:
    b = base_code(code)
    for klass, codes in NOTIFIABLE.items():
        if any(b[:3] == c if len(c) == 3 else b.startswith(c) for c in codes.split()):
            return klass
    return None


def build(table: Path) -> list[dict]:
    rows: list[tuple[str, str]] = []
    with table.open(encoding="utf-8") as fh:
        next(fh)
        for line in fh:
            code, _, name = line.rstrip("\n").partition("\t")
            rows.append((code.strip(), name.strip()))
    by_code = {c: n for c, n in rows}
    by_base: dict[str, tuple[str, str]] = {}
    for c, n in rows:
        by_base.setdefault(base_code(c), (c, n))
    cats = {c: n for c, n in rows if re.fullmatch(r"[A-Z]\d\d\+?", c)}
    cats = {c.rstrip("+"): n for c, n in cats.items()}
    subs: dict[str, list[tuple[str, str]]] = {}
    for c, n in rows:
        if re.fullmatch(r"[A-Z]\d\d\.\d\+?", c):
            subs.setdefault(c[:3], []).append((c.rstrip("+"), n))
    curated = {e.code: e for e in CURATED}
    if len(curated) != len(CURATED):
        raise SystemExit("CURATED lists a code twice")
    chronic = set(CHRONIC.split())

    selected: list[tuple[str, str, str]] = []  # (code as shipped, name, category code)
    for cat, only in expand_categories(CATEGORIES, cats):
        if only or cat not in subs:
            selected.append((cat, cats[cat], cat))
        else:
            selected.extend((c, n, cat) for c, n in subs[cat] if c not in EXCLUDE)
    for ext in EXTENSIONS.split():
        if ext not in by_code:
            raise SystemExit(f"extension {ext} is not in the table")
        selected.append((ext, by_code[ext], ext[:3]))

    items: list[dict] = []
    seen_ids: set[str] = set()
    for code, name, cat in selected:
        b = base_code(code)
        entry = curated.pop(b, None)
        item_id = "icd10:" + b
        if item_id in seen_ids:
            raise SystemExit(f"duplicate id {item_id}")
        seen_ids.add(item_id)
        depts = (entry.depts if entry and entry.depts else None) or departments_of(code)
        item = {
            "id": item_id,
            "code": code,
            "name": clean_name(b, name),
            "synonyms": list(entry.synonyms) if entry else [],
            "name_en": entry.en if entry else None,
            "chapter": chapter_of(code),
            "category": f"{cat} {clean_name(cat, cats[cat])}",
            "departments": ["dept:" + d for d in depts],
            "chronic": True if cat in chronic else None,
            "notifiable": notifiable_of(code),
            "source": SOURCE + (NOTIFIABLE_SOURCE if notifiable_of(code) else ""),
        }
        item["synonyms"] = [s for s in item["synonyms"] if s != item["name"]]
        items.append(item)
    if curated:
        raise SystemExit(f"curated codes not selected (add their category or extension): {sorted(curated)}")
    items.append(U07)
    items.sort(key=lambda it: it["code"])
    check(items, rows)
    return items


def check(items: list[dict], rows: list[tuple[str, str]]) -> None:
    """Fail on name/synonym collisions; report synonyms the table files under another subcategory."""
    owner: dict[str, str] = {}
    problems: list[str] = []
    for it in items:
        for term in [it["name"], *it["synonyms"], *([it["name_en"]] if it.get("name_en") else [])]:
            key = re.sub(r"\s+", "", term).casefold()
            if key in owner and owner[key] != it["id"]:
                problems.append(f"'{term}' names both {owner[key]} and {it['id']}")
            owner[key] = it["id"]
    if problems:
        raise SystemExit("collisions:\n  " + "\n  ".join(problems))
    table_home: dict[str, set[str]] = {}
    for c, n in rows:
        if re.fullmatch(r"[A-Z]\d\d\.\d{3,4}.*", c):
            table_home.setdefault(n, set()).add(base_code(c)[:5])
    curated = {e.code: e for e in CURATED}
    for it in items:
        b = it["id"].removeprefix("icd10:")
        entry = curated.get(b)
        if entry is None or entry.table_differs:
            continue
        for s in it["synonyms"]:
            homes = table_home.get(s)
            if homes and b[:5] not in homes:
                print(f"warning: {b} synonym '{s}' is filed by the table under {sorted(homes)}", file=sys.stderr)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("table", type=Path, help="ICD-10 table, TSV with header 'code<TAB>name'")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    items = build(args.table)
    meta = {
        "kind": "diagnosis",
        "name": "ICD-10 diagnoses (curated subset of 北京临床版 v6.01)",
        "version": VERSION,
        "description": "Commonly used ICD-10 subcategories and selected national extension codes across every "
        "chapter, with standard Chinese names, colloquial synonyms and abbreviations, and usual departments.",
        "source": SOURCE,
        "updated": "2026-01-15",
    }
    with args.out.open("w", encoding="utf-8") as fh:
        fh.write(json.dumps({"_meta": meta}, ensure_ascii=False) + "\n")
        for it in items:
            it = {k: v for k, v in it.items() if v not in (None, [])}
            fh.write(json.dumps(it, ensure_ascii=False) + "\n")
    chapters = sorted({it["chapter"] for it in items})
    print(f"wrote {len(items)} items ({len(chapters)} chapters) to {args.out}")


if __name__ == "__main__":
    main()
