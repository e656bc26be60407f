"""``POST /v1/triage``: patient_app, clinician and admin may triage; the run is audited; bounded text and
unknown fields are problem+json."""

from __future__ import annotations

import pytest

from tests.api.conftest import auth


def test_triage_returns_the_contract_and_a_run_id(client, keys) -> None:
    r = client.post("/v1/triage", json={"text": "宝宝两个月，发烧38度5"}, headers=auth(keys["patient_app"]))
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["run_id"] and out["urgency"] == "emergency"
    assert out["red_flags"][0]["id"] == "rf:febrile_infant"
    assert {"name", "score", "reasons"} == set(out["departments"][0])


@pytest.mark.parametrize(("role", "status"), [("patient_app", 200), ("clinician", 200), ("admin", 200),
                                              ("pharmacist", 403), ("qc_officer", 403)])
def test_who_may_triage(client, keys, role: str, status: int) -> None:
    assert client.post("/v1/triage", json={"text": "咳嗽"}, headers=auth(keys[role])).status_code == status


def test_no_key_is_401(client) -> None:
    assert client.post("/v1/triage", json={"text": "咳嗽"}).status_code == 401


@pytest.mark.parametrize("body", [{"text": ""}, {"text": "咳" * 4001}, {"text": "咳嗽", "extra": 1},
                                  {"text": "咳嗽", "sex": "x"}, {"text": "咳嗽", "age": -1}])
def test_bad_bodies_are_problem_json(client, keys, body: dict) -> None:
    r = client.post("/v1/triage", json=body, headers=auth(keys["clinician"]))
    assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json")


def test_the_hospitals_list_is_used(client, keys) -> None:
    r = client.post("/v1/triage", json={"text": "心慌胸闷", "departments": ["心内科", "内科"]},
                    headers=auth(keys["clinician"]))
    assert r.status_code == 200 and r.json()["departments"][0]["name"] == "心内科"
