"""智能导诊 engine: departments with reasons, urgency, negation-aware red flags, age/sex rules, the hospital's
own department list, and knowledge files that fail loudly when malformed. Texts are synthetic."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from yizhu.clinical.triage import run_triage
from yizhu.clinical.triage.engine import DepartmentList, TriageEngine
from yizhu.clinical.triage.knowledge import (
    DepartmentRules,
    RedFlagFile,
    _read,
    department_rules,
    is_negated,
    red_flags,
)
from yizhu.errors import ConfigError, InputError

CASES = yaml.safe_load((Path(__file__).parent / "data" / "red_flags.yaml").read_text(encoding="utf-8"))


def triage(text: str, **kw) -> dict:
    return run_triage(text, use_model=False, **kw)


@pytest.mark.parametrize("case", CASES["positive"], ids=lambda c: c["text"])
def test_every_red_flag_case_fires_its_flag_and_sends_to_emergency(case: dict) -> None:
    out = triage(case["text"])
    assert case["flag"] in [f["id"] for f in out["red_flags"]]
    assert out["urgency"] == "emergency" and out["urgent"] is True
    assert out["departments"][0]["name"] == "急诊科"
    flag = next(f for f in out["red_flags"] if f["id"] == case["flag"])
    assert ("急诊" in flag["message"] or "120" in flag["message"]) and flag["source"] and flag["evidence"]


@pytest.mark.parametrize("text", CASES["none"])
def test_no_red_flag_without_one(text: str) -> None:
    out = triage(text)
    assert out["red_flags"] == [] and out["urgency"] != "emergency"


@pytest.mark.parametrize(("text", "negated"), [
    ("我没有胸痛", True), ("否认发热", True), ("没发烧，但是胸痛", False), ("胸痛", False), ("浑身不舒服，胸痛", False),
])
def test_negation_reaches_within_its_clause_only(text: str, negated: bool) -> None:
    term = "胸痛" if "胸痛" in text else "发热"
    i = text.rfind(term)
    assert is_negated(text, i, i + len(term)) is negated


@pytest.mark.parametrize(("text", "kw", "top"), [
    ("咳嗽一周，有黄痰", {}, "呼吸内科"),
    ("拉肚子两天，一天五六次", {}, "消化内科"),
    ("乙肝小三阳，转氨酶高", {}, "肝病科"),
    ("牙疼了三天", {}, "口腔科"),
    ("眼睛红痒流眼泪", {}, "眼科"),
    ("脸上长痘痘好多年了", {}, "皮肤科"),
    ("耳鸣好几个月了，听力下降", {}, "耳鼻咽喉科"),
    ("尿频尿急尿痛两天", {}, "泌尿外科"),
    ("孩子5岁，咳嗽流鼻涕", {}, "儿科"),
    ("咳嗽发烧两天", {"age": 4}, "儿科"),
    ("月经不规律，白带多", {"sex": "female"}, "妇产科"),
    ("最近压力大，心情低落，开心不起来", {}, "精神科"),
])
def test_common_complaints_go_to_the_expected_department(text: str, kw: dict, top: str) -> None:
    out = triage(text, **kw)
    assert out["departments"][0]["name"] == top, out["departments"]
    assert out["departments"][0]["reasons"], "every department says why"


def test_contract_shape() -> None:
    out = triage("心慌胸闷，血压有点高")
    assert set(out) >= {"departments", "urgency", "red_flags"}
    d = out["departments"][0]
    assert set(d) == {"name", "score", "reasons"} and isinstance(d["score"], float)
    assert [x["score"] for x in out["departments"]] == sorted((x["score"] for x in out["departments"]), reverse=True)
    assert out["urgency"] in ("emergency", "urgent", "routine")


def test_age_and_sex_rules() -> None:
    assert "妇产科" not in [d["name"] for d in triage("下腹痛", sex="male")["departments"]]
    assert "儿科" not in [d["name"] for d in triage("孩子的事：咳嗽", age=40)["departments"]]
    pregnant = triage("怀孕20周，最近脚肿")
    assert pregnant["departments"][0]["name"] == "妇产科" and pregnant["population"]["pregnant"] is True
    # a duration in months is not an age (咳嗽2个月 is an adult's cough)
    assert triage("反复上腹隐痛2个月")["population"]["age_years"] is None


def test_the_hospitals_own_list_is_reached_through_aliases_and_parents() -> None:
    eng = TriageEngine(DepartmentList(["心内科", "消化科", "神经科", "急诊", "内科"]))
    assert eng.triage("心慌胸闷").departments[0].name == "心内科"
    assert eng.triage("拉肚子").departments[0].name == "消化科"
    # 呼吸内科 is not on this list: its parent 内科 is
    assert eng.triage("咳嗽有痰").departments[0].name == "内科"
    assert eng.triage("胸口疼，出冷汗").departments[0].name == "急诊"
    names = {d.name for d in eng.depts.items}
    assert all(d.name in names for d in eng.triage("牙疼眼睛疼咳嗽").departments)


def test_nothing_recognised_still_answers_with_a_reason() -> None:
    out = triage("想问一下")
    assert out["departments"] and out["departments"][0]["reasons"] and out["urgency"] == "routine"


@pytest.mark.parametrize("text", ["", "   ", "字" * 4001])
def test_bad_text_is_an_input_error(text: str) -> None:
    with pytest.raises(InputError):
        triage(text)


def test_empty_department_list_is_an_input_error() -> None:
    with pytest.raises(InputError):
        DepartmentList([" "])


def test_shipped_knowledge_is_valid_and_sourced() -> None:
    flags, rules = red_flags(), department_rules()
    assert len(flags.flags) >= 8 and all(f.source for f in flags.flags)
    assert rules.source and all(p.source for p in rules.population)
    pack = DepartmentList()
    for r in rules.rules:
        assert r.department in pack.parent, f"{r.department} is not a pack department"


def test_malformed_knowledge_names_the_file_and_place(tmp_path: Path) -> None:
    p = tmp_path / "flags.yaml"
    p.write_text("version: '1'\nflags:\n  - {id: rf:x, name: x, message: 去急诊, source: short, rules: [[[a]]]}\n",
                 encoding="utf-8")
    with pytest.raises(ConfigError, match=r"flags\.yaml.*flags\.0\.source"):
        _read(p, RedFlagFile)
    q = tmp_path / "rules.yaml"
    q.write_text("version: '1'\nsource: a source of 2026\nrules:\n  - {department: 内科, weight: 1, terms: [咳]}\n",
                 encoding="utf-8")
    with pytest.raises(ConfigError, match=r"rules\.0\.department"):
        _read(q, DepartmentRules)
