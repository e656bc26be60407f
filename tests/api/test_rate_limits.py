"""Rate limits: per API key, per page session, per client address without either; configurable per route
class and role; a 429 problem+json with Retry-After; RateLimit-* headers on every limited response.

Counters are in the database (both dialects here); tests/deploy checks they hold across two replicas and
tests/store the counter itself, Redis included."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from yizhu.api.app import create_app
from yizhu.api.ratelimit import DEFAULTS, Rate, limits_from, parse_rate, route_class
from yizhu.config import Settings
from yizhu.errors import ConfigError

from ..web.signin import sign_in, token_in
from .conftest import auth

LIMITS = {"default": "5/minute", "model": "2/minute", "anonymous": "4/minute", "login": "3/minute",
          "default.qc_officer": "8/minute"}


@pytest.fixture
def settings(tmp_path: Path, db_url: str) -> Settings:
    return Settings(data_dir=tmp_path, database_url=db_url, rate_limits=LIMITS)


def _is_429(r) -> dict:
    assert r.status_code == 429, (r.status_code, r.text[:300])
    assert r.headers["content-type"].startswith("application/problem+json")
    retry = int(r.headers["retry-after"])
    assert 1 <= retry <= 60
    assert r.headers["ratelimit-remaining"] == "0"
    body = r.json()
    assert body["status"] == 429 and "retry in" in body["detail"]
    return body


def test_a_key_over_its_limit_gets_429_and_other_keys_do_not(client: TestClient, keys) -> None:
    seen = []
    for _ in range(5):
        r = client.get("/v1/patients", headers=auth(keys["clinician"]))
        assert r.status_code == 200
        assert r.headers["ratelimit-limit"] == "5" and r.headers["ratelimit-policy"] == "5;w=60"
        seen.append(int(r.headers["ratelimit-remaining"]))
    assert seen == [4, 3, 2, 1, 0]
    body = _is_429(client.get("/v1/patients", headers=auth(keys["clinician"])))
    assert "5/minute" in body["detail"]
    # the same key by Bearer is the same bucket; another key has its own
    _is_429(client.get("/v1/patients", headers={"Authorization": f"Bearer {keys['clinician']}"}))
    assert client.get("/v1/patients", headers=auth(keys["pharmacist"])).status_code == 200
    # /healthz is never limited
    assert all(client.get("/healthz").status_code == 200 for _ in range(10))


def test_a_role_has_its_own_limit(client: TestClient, keys) -> None:
    codes = [client.get("/v1/patients", headers=auth(keys["qc_officer"])).status_code for _ in range(9)]
    assert codes == [200] * 8 + [429]


def test_model_routes_count_apart_from_the_rest(client: TestClient, keys) -> None:
    note = {"note": "门诊病历（合成）\n主诉：咳嗽3天。\n", "kind": "outpatient"}
    codes = [client.post("/v1/notes/draft", json=note, headers=auth(keys["clinician"])).status_code for _ in range(3)]
    assert codes[2] == 429 and 429 not in codes[:2], codes
    assert client.get("/v1/patients", headers=auth(keys["clinician"])).status_code == 200


def test_requests_without_a_credential_are_limited_per_address(client: TestClient, keys) -> None:
    codes = [client.get("/v1/patients").status_code for _ in range(4)]
    assert codes == [401] * 4
    _is_429(client.get("/v1/patients"))
    # a made-up key is no credential: it counts against the address too
    _is_429(client.get("/v1/patients", headers=auth("yz_0123456789ab_" + "x" * 40)))
    assert client.get("/v1/patients", headers=auth(keys["clinician"])).status_code == 200


def test_sign_in_attempts_are_limited_per_address_and_a_session_has_its_own_bucket(
        settings: Settings, engine, keys) -> None:
    with TestClient(create_app(settings.model_copy(update={"rate_limits": {**LIMITS, "anonymous": "100/minute"}}),
                               engine=engine)) as client:
        token = token_in(client.get("/login").text)
        wrong = [client.post("/login", data={"key": "yz_wrong", "next": "/patients", "csrf": token},
                             follow_redirects=False).status_code for _ in range(3)]
        assert 429 not in wrong
        _is_429(client.post("/login", data={"key": keys["clinician"], "next": "/patients", "csrf": token}))
    relaxed = settings.model_copy(update={"rate_limits": {**LIMITS, "login": "100/minute"}})
    with TestClient(create_app(relaxed, engine=engine)) as client:
        assert sign_in(client, keys["pharmacist"]).status_code == 303
        codes = [client.get("/patients", follow_redirects=False).status_code for _ in range(6)]
        assert codes == [200] * 5 + [429], codes  # the session's bucket (pharmacist: default 5/minute)
        assert client.get("/v1/patients", headers=auth(keys["pharmacist"])).status_code == 200  # the key's own


def test_the_openapi_documents_429_with_its_headers(client: TestClient) -> None:
    doc = client.get("/openapi.json").json()
    op = doc["paths"]["/v1/patients"]["get"]["responses"]["429"]
    assert "application/problem+json" in op["content"]
    assert {"Retry-After", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"} <= set(op["headers"])


def test_limits_parse_and_bad_ones_fail_at_start_up(tmp_path: Path) -> None:
    assert parse_rate("600/minute") == Rate(600, 60)
    assert parse_rate("10 per second") == Rate(10, 1)
    assert parse_rate("off") is None
    assert limits_from(Settings(data_dir=tmp_path)).table == DEFAULTS
    for bad in ({"default": "lots"}, {"everything": "5/minute"}, {"default.nurse": "5/minute"},
                {"login.clinician": "5/minute"}, {"default": "0/minute"}):
        with pytest.raises(ConfigError):
            limits_from(Settings(data_dir=tmp_path, rate_limits=bad))
    toml = Settings(data_dir=tmp_path, rate_limits={"model": "off"})
    toml.extra_sections = {"rate_limits": {"default": "7/hour", "model": "9/hour"}}
    limits = limits_from(toml)
    assert limits.rate("default", "clinician") == Rate(7, 3600) and limits.rate("model") is None


def test_an_off_class_is_not_counted(settings: Settings, engine, keys) -> None:
    relaxed = settings.model_copy(update={"rate_limits": {**LIMITS, "default": "off"}})
    with TestClient(create_app(relaxed, engine=engine)) as client:
        for _ in range(8):
            r = client.get("/v1/patients", headers=auth(keys["clinician"]))
            assert r.status_code == 200 and "ratelimit-limit" not in r.headers


def test_route_classes() -> None:
    assert route_class("POST", "/login") == "login"
    assert route_class("GET", "/login") == "default"
    assert route_class("POST", "/v1/notes/draft") == "model"
    assert route_class("POST", "/v1/models/local/chat") == "model"
    assert route_class("POST", "/v1/tasks/notes.discharge/run") == "model"
    assert route_class("POST", "/v1/tasks/qc.record/run") == "default"
    assert route_class("POST", "/v1/eval/runs") == "model"


def test_with_redis_configured_the_counters_are_in_redis(tmp_path: Path, redis_url: str) -> None:
    """Two apps (two replicas) on two databases share only Redis: the limit still holds across both."""
    apps = []
    for name in ("a", "b"):
        s = Settings(data_dir=tmp_path / name, database_url=f"sqlite:///{tmp_path / name / 'y.db'}",
                     redis_url=redis_url, rate_limits={"anonymous": "3/minute"})
        apps.append(create_app(s))
    with TestClient(apps[0]) as a, TestClient(apps[1]) as b:
        codes = [c.get("/v1/patients").status_code for c in (a, b, a, b)]
        assert codes == [401, 401, 401, 429], codes
        _is_429(b.get("/v1/patients"))
