"""``/v1/eval`` and the results pages: start a run, follow it, read it, gate on it; roles enforced."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

import yizhu.store as store
from yizhu.api.app import create_app
from yizhu.config import Settings
from yizhu.evaluation.api import router as eval_router
from yizhu.llm import Gateway
from yizhu.web.eval_pages import router as eval_pages_router

ROLES = ("admin", "clinician", "qc_officer", "patient_app")


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    engine = store.init_db(settings.resolved_database_url)
    app = create_app(settings, engine=engine)
    app.include_router(eval_router)
    app.include_router(eval_pages_router)
    app.state.keys = {role: store.create_api_key(engine, role=role, name=f"eval-{role}") for role in ROLES}
    with TestClient(app) as c:
        yield c


def h(client: TestClient, role: str) -> dict[str, str]:
    return {"X-API-Key": client.app.state.keys[role]}


def wait(client: TestClient, run_id: str, timeout: float = 30.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body = client.get(f"/v1/eval/runs/{run_id}", headers=h(client, "clinician")).json()
        if body["status"] != "running":
            return body
        time.sleep(0.05)
    raise AssertionError(f"run {run_id} did not finish")


def start(client: TestClient, body: dict[str, Any], role: str = "qc_officer") -> str:
    r = client.post("/v1/eval/runs", json=body, headers=h(client, role))
    assert r.status_code == 202, r.text
    return r.json()["run_id"]


def test_suites_are_listed_for_readers_only(client: TestClient) -> None:
    r = client.get("/v1/eval/suites", headers=h(client, "clinician"))
    assert r.status_code == 200
    suites = {s["name"]: s for s in r.json()}
    assert suites["qc"]["available"] and suites["triage"]["available"]
    assert client.get("/v1/eval/suites", headers=h(client, "patient_app")).status_code == 403
    assert client.get("/v1/eval/suites").status_code == 401
    assert "exam.cmb.sample.json" in client.get("/v1/eval/datasets", headers=h(client, "clinician")).json()["shipped"]


def test_start_follow_and_read_a_run(client: TestClient) -> None:
    run_id = start(client, {"suite": "qc", "dataset": "qc.example.jsonl"})
    done = wait(client, run_id)
    assert done["status"] == "done" and done["progress"]["done"] == 5
    report = client.get(f"/v1/eval/runs/{run_id}/report", headers=h(client, "clinician")).json()
    assert report["models"][0]["cases"] == 5 and "recall" in report["models"][0]["summary"]["metrics"]
    page = client.get(f"/v1/eval/runs/{run_id}/results?limit=2", headers=h(client, "clinician")).json()
    assert page["total"] == 5 and len(page["results"]) == 2
    listed = client.get("/v1/eval/runs", headers=h(client, "clinician")).json()
    assert listed[0]["run_id"] == run_id and listed[0]["status"] == "done"
    second = start(client, {"suite": "qc", "dataset": "qc.example.jsonl"}, role="admin")
    wait(client, second)
    verdict = client.get(f"/v1/eval/compare?a={run_id}&b={second}", headers=h(client, "clinician")).json()
    assert verdict["ok"] is True


def test_inline_cases_against_a_configured_model(client: TestClient, gateway: Gateway) -> None:
    client.app.state.gateway = gateway
    cases = [
        {"id": "q1", "inputs": {"question": "题一", "options": {"A": "甲", "B": "乙", "C": "丙"}}, "expected": {"answer": "C"}},
        {"id": "q2", "inputs": {"question": "题二", "options": {"A": "甲", "B": "乙", "C": "丙"}}, "expected": {"answer": "A"}},
    ]
    run_id = start(client, {"suite": "exam", "cases": cases, "models": ["always-c", "none"]})
    assert wait(client, run_id)["status"] == "done"
    report = client.get(f"/v1/eval/runs/{run_id}/report", headers=h(client, "clinician")).json()
    by_model = {m["model"]: m for m in report["models"]}
    assert by_model["always-c"]["summary"]["metrics"]["accuracy"]["value"] == 0.5
    assert by_model["none"]["abstained"] == 2


@pytest.mark.parametrize(
    ("body", "role", "status"),
    [
        ({"suite": "qc"}, "clinician", 403),
        ({"suite": "nope"}, "qc_officer", 404),
        ({"suite": "exam", "models": ["http://10.0.0.1:8000/v1#x"]}, "qc_officer", 422),
        ({"suite": "qc", "dataset": "../secrets.json"}, "qc_officer", 422),
        ({"suite": "qc", "dataset": "absent.jsonl"}, "qc_officer", 404),
        ({"suite": "qc", "extra": 1}, "qc_officer", 422),
    ],
)
def test_refusals(client: TestClient, body: dict[str, Any], role: str, status: int) -> None:
    assert client.post("/v1/eval/runs", json=body, headers=h(client, role)).status_code == status


def test_unknown_run_is_404(client: TestClient) -> None:
    assert client.get("/v1/eval/runs/qc-nothing", headers=h(client, "clinician")).status_code == 404


def test_results_pages(client: TestClient) -> None:
    run_id = start(client, {"suite": "qc", "dataset": "qc.example.jsonl"})
    wait(client, run_id)
    key = h(client, "clinician")
    listing = client.get("/eval", headers=key)
    assert listing.status_code == 200 and run_id in listing.text and "合成" in listing.text
    page = client.get(f"/eval/runs/{run_id}", headers=key)
    assert page.status_code == 200
    assert "<svg" in page.text and "<script" not in page.text
    assert "'unsafe-inline'" in page.headers["content-security-policy"]
    assert "script-src 'none'" in page.headers["content-security-policy"]
    full = client.get(f"/eval/runs/{run_id}/report.html", headers=key)
    assert full.status_code == 200 and full.text.startswith("<!doctype html>")
    assert client.get("/eval", follow_redirects=False).status_code == 303
    assert client.get("/eval/runs/qc-nothing", headers=key).status_code == 404
