"""``/v1/rx``: review (audited), schema, rules, pharmacists' decisions and the override report."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

import yizhu.store as store
from yizhu.api.app import create_app
from yizhu.clinical.registry import register
from yizhu.clinical.rx import RxReviewTask
from yizhu.clinical.rx.api import router
from yizhu.config import Settings
from yizhu.knowledge.packs import KnowledgeBase

from .conftest import document, order

ROLES = ("admin", "clinician", "pharmacist", "qc_officer", "patient_app")
DOC = document([order("克拉霉素", 0.5, "g", frequency="bid"), order("辛伐他汀片", 20, "mg", frequency="qn")])


@pytest.fixture(scope="module")
def app_env(tmp_path_factory: pytest.TempPathFactory, kb: KnowledgeBase) -> Iterator[tuple[TestClient, dict[str, str], object]]:
    """One app and database for the module (migrating a database per test is slow); tests use their own runs."""
    tmp_path = tmp_path_factory.mktemp("rx-api")
    settings = Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'rx.db'}")
    engine = store.init_db(settings.resolved_database_url)
    keys = {r: store.create_api_key(engine, role=r, name=f"test-{r}") for r in ROLES}
    register(RxReviewTask(kb=kb))  # the review task on the fixture pack (registered through the public seam)
    app = create_app(settings, engine=engine)
    app.include_router(router)
    with TestClient(app) as client:
        yield client, keys, engine
    register(RxReviewTask())


def h(key: str) -> dict[str, str]:
    return {"X-API-Key": key}


def test_review_is_audited_and_returns_alerts(app_env) -> None:
    client, keys, engine = app_env
    r = client.post("/v1/rx/review", json=DOC, headers=h(keys["pharmacist"]))
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["alerts"][0]["rule_id"] == "rx.interaction.pair.v1"
    assert set(out["alerts"][0]) >= {"type", "severity", "drugs", "message", "recommendation", "source", "rule_id"}
    run = store.get_run(engine, out["run_id"])
    assert (run.task, run.actor) == ("rx.review", "test-pharmacist")


@pytest.mark.parametrize(("role", "status"), [("clinician", 200), ("admin", 200), ("qc_officer", 403), ("patient_app", 403)])
def test_who_may_review(app_env, role: str, status: int) -> None:
    client, keys, _ = app_env
    assert client.post("/v1/rx/review", json=DOC, headers=h(keys[role])).status_code == status


def test_review_without_key_is_401_and_bad_input_is_problem_json(app_env) -> None:
    client, keys, _ = app_env
    assert client.post("/v1/rx/review", json=DOC).status_code == 401
    r = client.post("/v1/rx/review", json={"orders": []}, headers=h(keys["pharmacist"]))
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")
    assert "orders" in r.json()["detail"]


def test_schema_is_public_and_rules_are_listed(app_env) -> None:
    client, keys, _ = app_env
    schema = client.get("/v1/rx/schema").json()
    assert schema["title"] == "OrderDocument" and "orders" in schema["properties"]
    rules = client.get("/v1/rx/rules", headers=h(keys["qc_officer"])).json()
    assert any(r["id"] == "rx.allergy.cross_reactivity.v1" for r in rules["rules"])


def test_override_is_recorded_reported_and_the_review_leaves_pending(app_env) -> None:
    client, keys, _ = app_env
    run_id = client.post("/v1/rx/review", json=DOC, headers=h(keys["clinician"])).json()["run_id"]
    pending = client.get("/v1/rx/pending", headers=h(keys["pharmacist"])).json()
    assert run_id in [p["run_id"] for p in pending]
    review = client.get(f"/v1/rx/reviews/{run_id}", headers=h(keys["pharmacist"])).json()
    key = review["alerts"][0]["key"]
    assert key == "rx.interaction.pair.v1:o1+o2" and review["alerts"][0]["decision"] is None

    body = {"alert": key, "decision": "override", "reason": "已停辛伐他汀，短期抗感染（合成）"}
    assert client.post(f"/v1/rx/reviews/{run_id}/decisions", json=body, headers=h(keys["clinician"])).status_code == 403
    r = client.post(f"/v1/rx/reviews/{run_id}/decisions", json=body, headers=h(keys["pharmacist"]))
    assert r.status_code == 201 and r.json()["decision"] == "override"

    assert run_id not in [p["run_id"] for p in client.get("/v1/rx/pending", headers=h(keys["pharmacist"])).json()]
    report = client.get("/v1/rx/overrides", headers=h(keys["qc_officer"])).json()
    mine = [it for it in report["items"] if it["run_id"] == run_id]
    assert [(it["rule_id"], it["reason"], it["actor"]) for it in mine] == [
        ("rx.interaction.pair.v1", "已停辛伐他汀，短期抗感染（合成）", "test-pharmacist")]
    assert report["overrides"] >= 1 and report["by_pharmacist"]["test-pharmacist"] >= 1
    assert any(r["rule_id"] == "rx.interaction.pair.v1" and r["override"] >= 1 for r in report["by_rule"])
    decided = client.get(f"/v1/rx/reviews/{run_id}", headers=h(keys["pharmacist"])).json()["alerts"][0]["decision"]
    assert decided["decision"] == "override" and decided["actor"] == "test-pharmacist"


@pytest.mark.parametrize(
    ("body", "status", "detail"),
    [
        ({"alert": "rx.interaction.pair.v1:o1+o2", "decision": "override", "reason": ""}, 422, "needs a reason"),
        ({"alert": "rx.nope.v1:o9", "decision": "accept"}, 422, "not in review"),
    ],
)
def test_decisions_are_validated(app_env, body: dict, status: int, detail: str) -> None:
    client, keys, _ = app_env
    run_id = client.post("/v1/rx/review", json=DOC, headers=h(keys["pharmacist"])).json()["run_id"]
    r = client.post(f"/v1/rx/reviews/{run_id}/decisions", json=body, headers=h(keys["pharmacist"]))
    assert r.status_code == status and detail in r.json()["detail"]


def test_decision_on_an_unknown_run_is_404(app_env) -> None:
    client, keys, _ = app_env
    r = client.post("/v1/rx/reviews/0123/decisions", json={"alert": "x:o1", "decision": "accept"},
                    headers=h(keys["pharmacist"]))
    assert r.status_code == 404


def test_too_many_orders_is_413_problem_json_naming_the_limit(app_env) -> None:
    client, keys, _ = app_env
    doc = document([order("氯雷他定片", 10, "mg")] * 501)
    r = client.post("/v1/rx/review", json=doc, headers=h(keys["pharmacist"]))
    assert r.status_code == 413 and r.headers["content-type"].startswith("application/problem+json")
    assert "the limit is 500" in r.json()["detail"]


def test_the_generic_task_door_applies_the_same_limit(app_env) -> None:
    client, keys, _ = app_env
    ctx = {"orders": [{"kind": "medication", "text": "x", "drug": "氯雷他定片", "dose": 10, "unit": "mg",
                       "route": "口服", "frequency": "qd"}] * 501}
    r = client.post("/v1/tasks/rx.review/run", json={"context": ctx}, headers=h(keys["admin"]))
    assert r.status_code == 413, r.text


def test_a_large_review_is_stored_outside_its_audit_row_and_read_back_whole(app_env) -> None:
    """400 orders of interacting drugs: the row keeps a summary (the most severe alerts) and the hash of the
    whole output; the worklist reads rows only, the review page the whole output, and the chain verifies."""
    client, keys, engine = app_env
    orders = [order("华法林钠片", 3, "mg", id=f"w{i}") for i in range(200)]
    orders += [order("阿司匹林肠溶片", 100, "mg", id=f"a{i}") for i in range(200)]
    r = client.post("/v1/rx/review", json=document(orders), headers=h(keys["pharmacist"]))
    assert r.status_code == 200, r.text
    out = r.json()
    # one pair of products repeated 200 × 200 times gives a few alerts and a count, not 40,000 alerts
    pair = [a for a in out["alerts"] if a["type"] == "interaction"]
    assert 1 <= len(pair) <= 3
    [supp] = [s for s in out["summary"]["suppressed"] if s["rule_id"].startswith("rx.interaction")]
    assert supp["omitted"] == 200 * 200 - len(pair)
    [row] = store.list_runs(engine, task="rx.review", limit=1)
    assert row.id == out["run_id"]
    ref = store.external_ref(row.output)
    assert ref is not None and ref["bytes"] > 64 * 1024
    assert row.output["output"]["truncated"]["orders"] == 400
    assert len(row.output["output"]["orders"]) < 400
    full = store.get_run(engine, out["run_id"])
    assert len(full.output["output"]["orders"]) == 400
    assert client.get(f"/v1/rx/reviews/{out['run_id']}", headers=h(keys["pharmacist"])).status_code == 200
    pending = client.get("/v1/rx/pending", headers=h(keys["pharmacist"])).json()
    assert any(p["run_id"] == out["run_id"] for p in pending)
    assert store.verify_chain(engine).ok
