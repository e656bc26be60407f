"""The HTTP API as an EMR integrator sees it: auth by role, problem+json errors, records and tasks."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import auth

NOTE = """入院记录
【合成病历 / synthetic record — 非真实患者】
姓名：测试甲　性别：男　年龄：60岁　科别：心血管内科　住院号：ZY-T-0001
入院日期：2026-03-02 09:30　记录日期：2026-03-02 14:20
主诉：胸闷2天。
现病史：2天前出现胸闷。
既往史：高血压。
体格检查：T 36.5℃ P 78次/分 R 18次/分 BP 135/80mmHg
初步诊断：冠心病
"""

FHIR = Path(__file__).parents[1] / "interop" / "data" / "inpatient_bundle.json"


def test_healthz_needs_no_key(client: TestClient) -> None:
    r = client.get("/healthz")
    assert r.status_code == 200
    assert r.json()["status"] == "ok"


@pytest.mark.parametrize("headers", [{}, {"X-API-Key": "yz_not-a-real-key"}, {"Authorization": "Bearer nope"}])
def test_missing_or_wrong_key_is_401_problem_json(client: TestClient, headers: dict[str, str]) -> None:
    r = client.get("/v1/patients", headers=headers)
    assert r.status_code == 401
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert body["status"] == 401 and body["title"] and body["detail"]


def test_bearer_token_is_accepted(client: TestClient, keys: dict[str, str]) -> None:
    r = client.get("/v1/patients", headers={"Authorization": f"Bearer {keys['clinician']}"})
    assert r.status_code == 200


@pytest.mark.parametrize(
    ("role", "path", "method", "expected"),
    [
        ("patient_app", "/v1/patients", "get", 403),
        ("pharmacist", "/v1/patients", "get", 200),
        ("qc_officer", "/v1/task-runs", "get", 200),
        ("clinician", "/v1/task-runs", "get", 403),
        ("pharmacist", "/v1/import", "post", 403),
        ("clinician", "/v1/audit/verify", "get", 403),
        ("admin", "/v1/audit/verify", "get", 200),
    ],
)
def test_roles(client: TestClient, keys: dict[str, str], role: str, path: str, method: str, expected: int) -> None:
    kwargs = {"json": {"content": NOTE}} if method == "post" else {}
    r = getattr(client, method)(path, headers=auth(keys[role]), **kwargs)
    assert r.status_code == expected, r.text
    if expected == 403:
        assert r.headers["content-type"].startswith("application/problem+json")
        assert role in r.json()["detail"]


def test_parse_endpoint_keeps_the_cli_contract(client: TestClient, keys: dict[str, str]) -> None:
    r = client.post("/v1/documents/parse", json={"text": NOTE}, headers=auth(keys["clinician"]))
    assert r.status_code == 200
    body = r.json()
    assert body["doc_type"] == "入院记录"
    assert body["header"]["住院号"] == "ZY-T-0001"
    for s in body["sections"]:
        assert NOTE[s["start"] : s["end"]] == s["text"]


def test_validation_error_is_problem_json(client: TestClient, keys: dict[str, str]) -> None:
    r = client.post("/v1/documents/parse", json={"txt": NOTE}, headers=auth(keys["clinician"]))
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["errors"]


def test_unknown_record_is_404_problem_json(client: TestClient, keys: dict[str, str]) -> None:
    r = client.get("/v1/patients/nobody", headers=auth(keys["clinician"]))
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("application/problem+json")


def test_body_over_the_limit_is_413(client: TestClient, keys: dict[str, str]) -> None:
    r = client.post("/v1/documents/parse", json={"text": "主诉：" + "胸闷" * 40_000}, headers=auth(keys["admin"]))
    assert r.status_code == 413
    assert r.headers["content-type"].startswith("application/problem+json")


def test_import_note_then_browse_it(client: TestClient, keys: dict[str, str]) -> None:
    h = auth(keys["clinician"])
    r = client.post("/v1/import", json={"content": NOTE}, headers=h)
    assert r.status_code == 201, r.text
    summary = r.json()
    assert summary["documents"] == 1
    assert any("过敏史" in f for f in summary["findings"])
    pid = summary["patients"][0]
    encs = client.get(f"/v1/patients/{pid}/encounters", headers=h).json()
    assert len(encs) == 1 and encs[0]["department"] == "心血管内科"
    ctx = client.get(f"/v1/encounters/{encs[0]['id']}", headers=h).json()
    assert ctx["documents"][0]["doc_type"] == "入院记录"
    assert ctx["documents"][0]["sections"][0]["name"] == "主诉"


def test_import_bad_fhir_names_the_resource(client: TestClient, keys: dict[str, str]) -> None:
    bad = {"resourceType": "Bundle", "type": "collection",
           "entry": [{"resource": {"resourceType": "Patient", "id": "p1", "gender": "robot"}}]}
    r = client.post("/v1/import", json={"content": bad}, headers=auth(keys["clinician"]))
    assert r.status_code == 422
    assert "Patient/p1" in r.json()["detail"] and "gender" in r.json()["detail"]


def test_import_fhir_bundle(client: TestClient, keys: dict[str, str]) -> None:
    import json

    r = client.post("/v1/import", json={"content": json.loads(FHIR.read_text("utf-8"))}, headers=auth(keys["admin"]))
    assert r.status_code == 201, r.text
    assert r.json()["encounters"] >= 1


def test_task_run_is_audited_and_takes_feedback(client: TestClient, keys: dict[str, str]) -> None:
    h = auth(keys["clinician"])
    tasks = client.get("/v1/tasks", headers=h).json()
    assert "document.structure" in {t["name"] for t in tasks}
    r = client.post("/v1/tasks/document.structure/run", json={"note": NOTE}, headers=h)
    assert r.status_code == 200, r.text
    body = r.json()
    missing = {f["section"] for f in body["findings"] if f["category"] == "completeness"}
    assert {"过敏史", "个人史", "家族史", "辅助检查"} <= missing
    run_id = body["run_id"]
    fb = client.post(f"/v1/task-runs/{run_id}/feedback", json={"decision": "accept"}, headers=h)
    assert fb.status_code == 201, fb.text
    admin = auth(keys["admin"])
    runs = client.get("/v1/task-runs", headers=admin).json()
    assert runs[0]["id"] == run_id and runs[0]["actor"] == "test-clinician"
    assert client.get("/v1/audit/verify", headers=admin).json()["ok"] is True


def test_unknown_task_lists_the_known_ones(client: TestClient, keys: dict[str, str]) -> None:
    r = client.post("/v1/tasks/no.such.task/run", json={"note": NOTE}, headers=auth(keys["clinician"]))
    assert r.headers["content-type"].startswith("application/problem+json")
    assert "document.structure" in r.json()["detail"]


def test_task_run_needs_exactly_one_input(client: TestClient, keys: dict[str, str]) -> None:
    r = client.post("/v1/tasks/document.structure/run", json={}, headers=auth(keys["clinician"]))
    assert r.status_code == 422
    assert "exactly one" in r.json()["detail"]


def test_real_time_qc_endpoint(client: TestClient, keys: dict[str, str]) -> None:
    r = client.post("/v1/qc/check", json={"text": NOTE, "document_id": "d1"}, headers=auth(keys["qc_officer"]))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["document"] == "d1" and body["doc_type"] == "入院记录"
    rules = {f["rule_id"] for f in body["findings"]}
    assert "qc.admission.allergy_history.v1" in rules
    assert "qc.admission.vital_signs.v1" not in rules  # T, P, R and BP are all there


def test_encounter_qc_is_audited(client: TestClient, keys: dict[str, str]) -> None:
    h = auth(keys["clinician"])
    pid = client.post("/v1/import", json={"content": NOTE}, headers=h).json()["patients"][0]
    enc = client.get(f"/v1/patients/{pid}/encounters", headers=h).json()[0]["id"]
    r = client.post(f"/v1/qc/encounters/{enc}", headers=h)
    assert r.status_code == 200, r.text
    assert r.json()["run_id"] and r.json()["grade"] in {"甲", "乙", "丙"}


def test_deid_endpoint_offsets_point_into_the_original(client: TestClient, keys: dict[str, str]) -> None:
    text = "患者张三，身份证号110101199003074514，电话13812345678。"
    r = client.post("/v1/deid", json={"text": text}, headers=auth(keys["clinician"]))
    assert r.status_code == 200, r.text
    body = r.json()
    assert "13812345678" not in body["text"] and "110101199003074514" not in body["text"]
    for e in body["entities"]:
        assert text[e["start"] : e["end"]] == e["text"]
