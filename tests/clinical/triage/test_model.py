"""The trainable triage model: ``yizhu train triage`` on the shared training infrastructure (hash split,
card, activation), read in UTF-8 or GB18030 CSV and JSONL, and blended by the engine when active. A small
synthetic training file keeps this fast."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from yizhu.clinical.triage.engine import engine_for
from yizhu.clinical.triage.model import load_records
from yizhu.errors import InputError
from yizhu.learn.registry import run_training

# synthetic (合成) labelled questions: two departments with distinct vocabularies
_A = ["最近总是{}，睡觉也不好", "{}好几天了怎么办", "老是{}，要不要紧", "这两天{}，吃什么药"]
_SKIN = ["身上起红疹很痒", "手上脱皮", "脸上长斑", "背上起疙瘩", "脚气瘙痒", "头皮屑多还痒"]
_SLEEP = ["失眠多梦", "晚上睡不着觉", "半夜醒来睡不着", "入睡困难", "总是早醒", "睡眠很浅"]


def _records() -> list[dict[str, str]]:
    out = []
    for t in _A:
        for s in _SKIN:
            out.append({"text": t.format(s), "department": "皮肤科"})
        for s in _SLEEP:
            out.append({"text": t.format(s), "department": "睡眠门诊"})
    return out


@pytest.fixture
def jsonl(tmp_path: Path) -> Path:
    p = tmp_path / "train.jsonl"
    p.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in _records()), encoding="utf-8")
    return p


def test_trains_writes_a_card_and_the_engine_uses_it(jsonl: Path, tmp_path: Path) -> None:
    outcome = run_training("triage", jsonl, data_dir=tmp_path, seed=0)
    assert outcome.model.card.data.train > 0 and outcome.model.card.data.held_back > 0
    assert set(outcome.metrics) >= {"top1", "top3", "macro_f1"}
    eng = engine_for(["皮肤科", "睡眠门诊"], data_dir=tmp_path)
    assert eng.model is not None and eng.mode.startswith("knowledge+model")
    # 睡眠门诊 is the hospital's own department, not in the pack: only the model reaches it
    out = eng.triage("晚上总是睡不着觉").as_json()
    assert out["departments"][0]["name"] == "睡眠门诊"
    assert any("模型" in r for r in out["departments"][0]["reasons"])
    # red flags still win over the model
    assert eng.triage("不想活了，睡不着").as_json()["urgency"] == "emergency"
    assert engine_for(["皮肤科", "睡眠门诊"], data_dir=tmp_path, use_model=False).model is None


def test_reads_gb18030_csv_with_title_and_ask(tmp_path: Path) -> None:
    p = tmp_path / "d.csv"
    with p.open("w", encoding="gb18030", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["department", "title", "ask", "answer"])
        w.writerow(["皮肤科", "脸上起疹子", "痒了三天", "…"])
    lay, recs = load_records(p)
    assert lay == "csv" and recs[0].department == "皮肤科" and "痒了三天" in recs[0].text


@pytest.mark.parametrize(("content", "match"), [
    ('{"text": "a"}\n', "department"), ("not json\n", "not JSON"), ("", "no records"),
])
def test_bad_training_data_names_the_problem(tmp_path: Path, content: str, match: str) -> None:
    p = tmp_path / "bad.jsonl"
    p.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=match):
        load_records(p)


def test_one_department_is_not_enough(tmp_path: Path) -> None:
    p = tmp_path / "one.jsonl"
    p.write_text("\n".join(json.dumps({"text": f"第{i}个问题", "department": "皮肤科"}, ensure_ascii=False)
                           for i in range(40)), encoding="utf-8")
    with pytest.raises(InputError, match="two departments"):
        run_training("triage", p, data_dir=tmp_path)
