"""The model's wording and the triage re-rank over HTTP, on a real app whose yizhu.toml routes intake.phrase
and triage.rerank to the scripted OpenAI-compatible server on loopback: the patient sees the model's wording
of the rule engine's question (same id, same options), the answer is stored with the wording shown and the
bank's, a rejected wording is the bank's and the record says degraded; POST /v1/triage re-orders within the
candidates and keeps the red flag first. Synthetic patients."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import yizhu.store as store
from yizhu.api.app import create_app
from yizhu.config import Settings
from yizhu.llm.runtime import use_gateway
from yizhu.llm.testing import FakeOpenAIServer, Script


def say(obj: object) -> str:
    return "say:" + json.dumps(obj, ensure_ascii=False)


@pytest.fixture
def app(tmp_path: Path) -> Iterator[tuple[TestClient, str, FakeOpenAIServer]]:
    with FakeOpenAIServer() as fake:
        settings = Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'y.db'}", max_body_bytes=64_000)
        settings.extra_sections = {
            "models": {"m": {"base_url": fake.base_url, "model": "m", "backoff_s": 0.001, "retries": 0}},
            "routes": {"intake": {"phrase": ["m"], "parse": ["none"]}, "triage": {"rerank": ["m"]}}}
        engine = store.init_db(settings.resolved_database_url)
        key = store.create_api_key(engine, role="clinician", name="doc")
        try:
            with TestClient(create_app(settings, engine=engine)) as client:
                yield client, key, fake
        finally:
            use_gateway(None)


def test_the_patient_sees_the_models_wording_of_the_rule_question(app: tuple[TestClient, str, FakeOpenAIServer]) -> None:
    client, key, fake = app
    fake.scripts["m"] = Script(steps=[say({"text": "肚子疼这个情况，大概有多长时间了呀？"}),
                                      say({"text": "您这可能是阑尾炎，是突然开始的吗？"})])  # the second is rejected
    r = client.post("/v1/intake/visits", json={"complaint": "肚子疼", "age": 35, "sex": "male"},
                    headers={"X-API-Key": key})
    assert r.status_code == 201, r.text
    visit = r.json()
    tok = {"X-Visit-Token": visit["token"]}
    v = client.post("/v1/intake/session/consent", headers=tok).json()
    q = v["question"]
    assert q["id"] == "duration" and q["prompt"] == "肚子疼这个情况，大概有多长时间了呀？"
    assert q["rule_prompt"] == "这次不舒服有多长时间了？" and [o["id"] for o in q["options"]][:2] == ["hours", "d1"]
    page = client.get(f"/intake/v/{visit['token']}")
    assert "肚子疼这个情况，大概有多长时间了呀？" in page.text
    v = client.post("/v1/intake/session/answers", json={"question_id": "duration", "options": ["d2"]}, headers=tok).json()
    assert v["question"]["id"] == "onset" and v["question"]["prompt"] == "是突然开始的，还是慢慢出现的？"
    s = client.get(f"/v1/intake/sessions/{visit['session_id']}", headers={"X-API-Key": key}).json()
    a = s["answers"][-1]
    assert a["question"] == "肚子疼这个情况，大概有多长时间了呀？" and a["answer"]["rule_question"] == "这次不舒服有多长时间了？"
    assert s["record"]["degraded"] and s["record"]["degraded"][0].startswith("phrase:onset: rejected (diagnosis word")
    assert len(fake.requests) == 2  # page views do not ask the model again


def test_triage_over_http_is_reordered_within_its_candidates(app: tuple[TestClient, str, FakeOpenAIServer]) -> None:
    client, key, fake = app
    fake.scripts["m"] = Script(steps=[say({"order": [3, 2, 1]})])
    r = client.post("/v1/triage", json={"text": "头晕，耳鸣，血压有点高"}, headers={"X-API-Key": key})
    assert r.status_code == 200, r.text
    out = r.json()
    assert [d["name"] for d in out["departments"]] == ["心血管内科", "神经内科", "耳鼻咽喉科"]
    assert out["mode"].endswith("+llm:m") and out["degraded"] == []
    fake.scripts["m"] = Script(steps=[say({"order": [2, 1]})])
    r = client.post("/v1/triage", json={"text": "我胸口疼，出了一身冷汗，左胳膊也麻"}, headers={"X-API-Key": key})
    out = r.json()
    assert out["departments"][0]["name"] == "急诊科" and out["urgency"] == "emergency" and out["red_flags"]
