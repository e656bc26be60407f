"""A small ICD table in the 北京临床版 layout and synthetic labelled diagnosis strings (合成, written for tests).

The code-name pairs are standard ICD-10 / ICD-O entries as any hospital table lists them; the
labelled strings are made up here (synthetic), so tests never need ../shared/data.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

ICD_ROWS = [
    ("I10xx02", "高血压"),
    ("I10xx05", "高血压3级"),
    ("E11.901", "2型糖尿病"),
    ("E14.901", "糖尿病"),
    ("I25.105", "冠状动脉粥样硬化性心脏病"),
    ("I48xx04", "心房颤动[心房纤颤]"),
    ("I63.902", "脑梗死"),
    ("I63.903", "腔隙性脑梗死"),
    ("I25.210", "陈旧性心肌梗死"),
    ("I50.902", "心功能不全"),
    ("C34.901", "肺恶性肿瘤"),
    ("C50.901", "乳腺恶性肿瘤"),
    ("C20xx01", "直肠恶性肿瘤"),
    ("C78.701", "肝继发恶性肿瘤"),
    ("C78.001", "肺继发恶性肿瘤"),
    ("M801000/3", "癌"),
    ("M814000/3", "腺癌"),
    ("M807000/3", "鳞状细胞癌"),
    ("J44.901", "慢性阻塞性肺疾病"),
    ("J06.903", "上呼吸道感染"),
    ("J98.402", "肺部感染"),
    ("K80.203", "胆囊结石"),
    ("K81.101", "慢性胆囊炎"),
    ("M81.991", "骨质疏松"),
    ("E78.501", "高脂血症"),
    ("R51xx01", "头痛"),
    ("R42xx01", "头晕"),
    ("T98.101", "下肢未特指的损伤,水平未特指"),
    ("Z51.208", "化学治疗"),
    ("N18.905", "慢性肾功能不全"),
    ("K29.501", "慢性胃炎"),
    ("A00.901", "霍乱"),
]


def write_icd(path: Path) -> Path:
    path.write_text("code\tname\n" + "".join(f"{c}\t{n}\n" for c, n in ICD_ROWS), encoding="utf-8")
    return path


#: (text template pieces, gold names): combined at random into multi-diagnosis strings.
PIECES = [
    ("高血压", ["高血压"]), ("高血压病", ["高血压"]), ("2型糖尿病", ["2型糖尿病"]), ("冠心病", ["冠状动脉粥样硬化性心脏病"]),
    ("房颤", ["心房颤动[心房纤颤]"]), ("脑梗", ["脑梗死"]), ("腔梗", ["腔隙性脑梗死"]), ("慢阻肺", ["慢性阻塞性肺疾病"]),
    ("上感", ["上呼吸道感染"]), ("肺部感染", ["肺部感染"]), ("胆囊结石", ["胆囊结石"]), ("骨质疏松", ["骨质疏松"]),
    ("高脂血症", ["高脂血症"]), ("头痛", ["头痛"]), ("头晕", ["头晕"]), ("右肺腺癌", ["肺恶性肿瘤", "腺癌"]),
    ("左乳腺癌", ["乳腺恶性肿瘤", "癌"]), ("直肠癌", ["直肠恶性肿瘤", "癌"]), ("慢性胃炎", ["慢性胃炎"]),
    # a shorthand only this (synthetic) hospital uses: rules cannot know it, a trained model can
    ("糖友病", ["2型糖尿病"]), ("肾不全", ["慢性肾功能不全"]),
]
SEPS = ["，", "；", " ", "、", ",", "伴"]


def synthetic_records(n: int, seed: int = 7) -> list[dict[str, str]]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        k = rng.choice([1, 1, 2, 2, 3])
        parts = rng.sample(PIECES, k)
        text = ""
        for i, (t, _) in enumerate(parts):
            text += (rng.choice(SEPS) if i else "") + t
        if rng.random() < 0.15:
            text += "待查"
        names = list(dict.fromkeys(n for _, g in parts for n in g))
        out.append({"text": text, "normalized_result": "##".join(names), "synthetic": "合成"})
    return out


def write_cdn(path: Path, n: int = 160, seed: int = 7) -> Path:
    recs = [{"text": r["text"], "normalized_result": r["normalized_result"]} for r in synthetic_records(n, seed)]
    path.write_text(json.dumps(recs, ensure_ascii=False), encoding="utf-8")
    return path


def shared_data() -> Path:
    """``../shared/data`` beside the checkout (a worktree sits one level deeper); $YIZHU_SHARED_DATA overrides."""
    import os

    env = os.environ.get("YIZHU_SHARED_DATA")
    if env:
        return Path(env)
    here = Path(__file__).resolve()
    for up in (3, 4):
        p = here.parents[up] / "shared" / "data"
        if p.is_dir():
            return p
    return here.parents[3] / "shared" / "data"
