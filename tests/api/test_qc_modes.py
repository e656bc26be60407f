"""病历质控 over HTTP: a note checked alone is in document mode and lists the encounter rules it skipped;
a stored encounter is in encounter mode and skips nothing. Synthetic note (合成)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from .conftest import auth

DISCHARGE = """出院记录
【合成病历 / synthetic record】
姓名：测试丁　性别：女　年龄：63岁　科别：内分泌科
入院日期：2026-08-03 09:00　出院日期：2026-08-10 10:00　记录日期：2026-08-10 11:00
入院情况：患者因口干多饮2月入院，既往磺胺类药物过敏。
入院诊断：2型糖尿病
诊疗经过：予胰岛素强化降糖，血糖控制可。
出院诊断：2型糖尿病
出院情况：无不适。
出院医嘱：复方磺胺甲噁唑片 2片 口服 bid；2周后内分泌科门诊复诊。
医师签名：刘某
"""


def test_document_mode_over_http_lists_skipped_rules_and_vetoes(client: TestClient, keys: dict[str, str]) -> None:
    r = client.post("/v1/qc/check", json={"text": DISCHARGE, "document_id": "d1"}, headers=auth(keys["qc_officer"]))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["mode"] == "document" and body["gradable"] is True
    assert "qc.timeliness.senior_round_48h.v1" in {x["rule_id"] for x in body["skipped_rules"]}
    assert "qc.timeliness.senior_round_48h.v1" not in {f["rule_id"] for f in body["findings"]}
    assert "qc.consistency.allergy_vs_drugs.v1" in {f["rule_id"] for f in body["findings"]}
    assert body["grade"] == "丙" and body["vetoes"][0]["id"] == "qc.veto.allergy_conflict.v1"


def test_stored_encounter_runs_in_encounter_mode(client: TestClient, keys: dict[str, str]) -> None:
    h = auth(keys["clinician"])
    pid = client.post("/v1/import", json={"content": DISCHARGE}, headers=h).json()["patients"][0]
    enc = client.get(f"/v1/patients/{pid}/encounters", headers=h).json()[0]["id"]
    body = client.post(f"/v1/qc/encounters/{enc}", headers=h).json()
    assert body["mode"] == "encounter" and body["skipped_rules"] == [] and body["grade"] == "丙"


def test_rules_endpoint_lists_vetoes_with_sources(client: TestClient, keys: dict[str, str]) -> None:
    body = client.get("/v1/qc/rules", headers=auth(keys["qc_officer"])).json()
    assert body["vetoes"] and all(v["source"] for v in body["vetoes"])
