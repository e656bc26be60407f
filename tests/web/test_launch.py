"""/launch?patient=…&encounter=… opens the encounter page: by key or session, or by a signed
short-lived token minted with POST /v1/launch/token; forged, expired or mismatched launches refused."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from yizhu.api.app import create_app
from yizhu.config import Settings
from yizhu.store import create_api_key, revoke_api_key
from yizhu.web.launch import TOKEN_TTL_S, mint

from .conftest import Hospital

SECRET = "launch-test-secret"


@pytest.fixture
def client(hospital: Hospital, tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(env="test", data_dir=tmp_path, secret_key=SECRET)
    with TestClient(create_app(settings, engine=hospital.engine)) as c:
        yield c


def _url(h: Hospital, **extra: str) -> str:
    q = {"patient": h.patient_id, "encounter": h.encounter_id, **extra}
    return "/launch?" + "&".join(f"{k}={v}" for k, v in q.items())


def test_a_key_opens_the_encounter_page(client: TestClient, hospital: Hospital) -> None:
    r = client.get(_url(hospital), headers={"X-API-Key": hospital.clinician_key}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/encounters/{hospital.encounter_id}"


def test_without_credentials_the_browser_goes_to_login(client: TestClient, hospital: Hospital) -> None:
    r = client.get(_url(hospital), follow_redirects=False)
    assert r.status_code in (302, 303) and r.headers["location"].startswith("/login")


def test_a_minted_token_opens_a_session_on_the_encounter(client: TestClient, hospital: Hospital) -> None:
    r = client.post("/v1/launch/token", json={"patient": hospital.patient_id, "encounter": hospital.encounter_id},
                    headers={"X-API-Key": hospital.clinician_key})
    assert r.status_code == 201, r.text
    url = r.json()["url"]
    opened = client.get(url, follow_redirects=False)
    assert opened.status_code == 303 and opened.headers["location"] == f"/encounters/{hospital.encounter_id}"
    page = client.get(opened.headers["location"])  # the session cookie carries on
    assert page.status_code == 200 and "张测试" in page.text


def test_a_token_for_another_encounter_a_forged_or_an_expired_one_is_refused(
    client: TestClient, hospital: Hospital
) -> None:
    key_id = hospital.clinician_key.split("_")[1]
    token, _ = mint(SECRET, key_id, hospital.patient_id, hospital.outpatient_encounter_id)
    r = client.get(_url(hospital, token=token), follow_redirects=False)
    assert r.status_code == 401 and "启动令牌无效" in r.text
    forged, _ = mint("another-secret", key_id, hospital.patient_id, hospital.encounter_id)
    assert client.get(_url(hospital, token=forged), follow_redirects=False).status_code == 401
    old, _ = mint(SECRET, key_id, hospital.patient_id, hospital.encounter_id, now=0)
    r = client.get(_url(hospital, token=old), follow_redirects=False)
    assert r.status_code == 401 and "已过期" in r.text and TOKEN_TTL_S > 0
    assert client.get(_url(hospital, token="garbage"), follow_redirects=False).status_code == 401


def test_an_encounter_of_another_patient_is_not_opened(client: TestClient, hospital: Hospital) -> None:
    r = client.get(f"/launch?patient=pat-web-xss&encounter={hospital.encounter_id}",
                   headers={"X-API-Key": hospital.clinician_key}, follow_redirects=False)
    assert r.status_code == 400 and "不属于患者" in r.text
    r = client.post("/v1/launch/token", json={"patient": "pat-web-xss", "encounter": hospital.encounter_id},
                    headers={"X-API-Key": hospital.clinician_key})
    assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json"


def test_a_revoked_key_s_token_opens_nothing(client: TestClient, hospital: Hospital) -> None:
    key = create_api_key(hospital.engine, "clinician", "launch-revoked")
    token, _ = mint(SECRET, key.split("_")[1], hospital.patient_id, hospital.encounter_id)
    revoke_api_key(hospital.engine, key.split("_")[1])
    assert client.get(_url(hospital, token=token), follow_redirects=False).status_code == 401
