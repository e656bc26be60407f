"""No request sinks the server: every bad input is a 4xx problem+json, never a 500 or a hung connection.

Each case below once gave a 500 text/plain (or a 400 where 413 was due, or a second audit row); the
class of each is fixed in one place (the request guard, the error types, the idempotency middleware).
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from fastapi.testclient import TestClient

import yizhu.store as store
from yizhu.api.app import create_app
from yizhu.api.guard import MAX_JSON_DEPTH, json_text_problem
from yizhu.config import Settings
from yizhu.core import ClinicalContext

from .conftest import auth

NOTE = "门诊病历（合成）\n姓名：测试甲　性别：男　年龄：40岁\n主诉：咳嗽3天。\n现病史：无发热。\n"


def _problem(r, status: int) -> dict:
    assert r.status_code == status, (r.status_code, r.text[:300])
    assert r.headers["content-type"].startswith("application/problem+json"), r.headers["content-type"]
    body = r.json()
    assert body["status"] == status and body["title"]
    return body


# ── JSON text a database cannot store ─────────────────────────────────────────────────────────────


LONE = [
    ("/v1/import", '{"content": "门诊病历\\ud800 主诉：咳嗽"}'),
    ("/v1/import", '{"content": "x\\udc00y"}'),
    ("/v1/tasks/document.structure/run", '{"note": "主诉：咳嗽\\ud83d"}'),
]


@pytest.mark.parametrize(("path", "raw"), LONE)
def test_lone_surrogates_are_400_problem(client: TestClient, keys, path: str, raw: str) -> None:
    r = client.post(path, content=raw, headers={**auth(keys["admin"]), "Content-Type": "application/json"})
    assert "surrogate" in _problem(r, 400)["detail"]


def test_lone_surrogate_in_a_patient_is_400(client: TestClient, keys) -> None:
    raw = '{"id": "p1", "name": "王\\udbff", "sex": "male", "synthetic": true}'
    r = client.put("/v1/patients/p1", content=raw, headers={**auth(keys["admin"]), "Content-Type": "application/json"})
    _problem(r, 400)


def test_a_surrogate_pair_is_fine(client: TestClient, keys) -> None:
    raw = json.dumps({"text": "主诉：咳嗽 😀 3天"}, ensure_ascii=True)  # 😀 travels as \\ud83d\\ude00
    r = client.post("/v1/documents/parse", content=raw,
                    headers={**auth(keys["admin"]), "Content-Type": "application/json"})
    assert r.status_code == 200, r.text


@pytest.mark.parametrize("path", ["/v1/import", "/v1/tasks/document.structure/run"])
def test_nul_is_refused_before_any_database_sees_it(client: TestClient, keys, path: str) -> None:
    body = {"content": "主诉\u0000咳嗽"} if path == "/v1/import" else {"note": "主诉\u0000咳嗽"}
    _problem(client.post(path, json=body, headers=auth(keys["admin"])), 400)
    assert store.count_runs(client.app.state.engine) == 0


def test_nul_in_a_page_form_is_refused(client: TestClient, keys) -> None:
    r = client.post("/rx/review", content=b"document=%00", headers={
        **auth(keys["pharmacist"]), "Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 400


def test_escaped_backslashes_are_not_mistaken_for_escapes() -> None:
    assert json_text_problem(b'{"a": "C:\\\\ud800 is a path"}') is None
    assert json_text_problem(b'{"a": "\\\\\\ud800"}') is not None


def test_deep_nesting_is_400_not_a_recursion_crash(client: TestClient, keys) -> None:
    deep = "[" * 500 + "]" * 500
    raw = '{"context": {"extra": {"x": ' + deep + '}}}'
    r = client.post("/v1/tasks/qc.record/run", content=raw,
                    headers={**auth(keys["admin"]), "Content-Type": "application/json"})
    assert "nested" in _problem(r, 400)["detail"]
    ok = "[" * (MAX_JSON_DEPTH - 4) + "]" * (MAX_JSON_DEPTH - 4)
    assert json_text_problem(('{"x": ' + ok + "}").encode()) is None
    assert json_text_problem(b'{"x": "' + b"[" * 500 + b'"}') is None  # brackets inside a string are text


def test_fhir_entry_without_a_resource_is_422(client: TestClient, keys) -> None:
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": [{"fullUrl": "urn:uuid:1"}]}
    _problem(client.post("/v1/import", json={"content": bundle}, headers=auth(keys["admin"])), 422)
    r = client.post("/v1/tasks/document.structure/run", json={"bundle": bundle}, headers=auth(keys["admin"]))
    _problem(r, 422)


def test_unknown_task_is_404_problem(client: TestClient, keys) -> None:
    r = client.post("/v1/tasks/no.such.task/run", json={"note": NOTE}, headers=auth(keys["admin"]))
    assert "unknown task" in _problem(r, 404)["detail"]


def test_unknown_model_is_422_problem(client: TestClient, keys) -> None:
    r = client.post("/v1/models/no-such-model/chat", json={"messages": [{"role": "user", "content": "hi"}]},
                    headers=auth(keys["admin"]))
    assert r.status_code in (404, 422), r.text
    assert r.headers["content-type"].startswith("application/problem+json")


# ── size and time ──────────────────────────────────────────────────────────────────────────────


def test_chunked_body_over_the_limit_is_413(client: TestClient, keys, settings: Settings) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"text": "'
        for _ in range(settings.max_body_bytes // 1000 + 2):
            yield b"x" * 1000
        yield b'"}'

    r = client.post("/v1/documents/parse", content=chunks(),
                    headers={**auth(keys["admin"]), "Content-Type": "application/json"})
    assert "limit" in _problem(r, 413)["detail"]


@pytest.fixture
def live(tmp_path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    settings = Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'live.db'}", body_timeout_s=1.0)
    engine = store.init_db(settings.resolved_database_url)
    key = store.create_api_key(engine, role="admin", name="live")
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(settings, engine=engine), log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    yield port, {"key": key}
    server.should_exit = True
    thread.join(5)


def test_a_slow_body_cannot_hold_the_connection(live) -> None:
    """A sender that trickles its body gets 408 once the body deadline passes, and the connection closes."""
    port, k = live
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    s.sendall(
        b"POST /v1/documents/parse HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + f"X-API-Key: {k['key']}\r\nContent-Length: 100000\r\n\r\n".encode()
        + b'{"text": "'
    )
    t0 = time.monotonic()
    reply = b""
    try:
        while b"\r\n\r\n" not in reply:
            with contextlib.suppress(OSError):
                s.sendall(b"x")
            s.settimeout(0.3)
            try:
                data = s.recv(4096)
                if not data:
                    break
                reply += data
            except TimeoutError:
                pass
            assert time.monotonic() - t0 < 8, "the server kept waiting for the body"
    finally:
        s.close()
    assert reply.startswith(b"HTTP/1.1 408"), reply[:200]


# ── Idempotency-Key ───────────────────────────────────────────────────────────────────────────


def test_a_retry_with_the_same_key_returns_the_first_run(client: TestClient, keys) -> None:
    engine = client.app.state.engine
    h = {**auth(keys["clinician"]), "Idempotency-Key": "retry-1"}
    first = client.post("/v1/tasks/document.structure/run", json={"note": NOTE}, headers=h)
    assert first.status_code == 200
    again = client.post("/v1/tasks/document.structure/run", json={"note": NOTE}, headers=h)
    assert again.status_code == 200 and again.headers["idempotent-replayed"] == "true"
    assert again.json()["run_id"] == first.json()["run_id"]
    assert store.count_runs(engine) == 1
    # the same key with another request is refused; a new key runs again
    other = client.post("/v1/tasks/document.structure/run", json={"note": NOTE + "既往史：无。\n"}, headers=h)
    _problem(other, 422)
    fresh = client.post("/v1/tasks/document.structure/run", json={"note": NOTE},
                        headers={**auth(keys["clinician"]), "Idempotency-Key": "retry-2"})
    assert fresh.json()["run_id"] != first.json()["run_id"] and store.count_runs(engine) == 2


def test_keys_are_per_caller_and_failures_are_not_kept(client: TestClient, keys) -> None:
    engine = client.app.state.engine
    mine = client.post("/v1/tasks/document.structure/run", json={"note": NOTE},
                       headers={**auth(keys["clinician"]), "Idempotency-Key": "k"})
    theirs = client.post("/v1/tasks/document.structure/run", json={"note": NOTE},
                         headers={**auth(keys["admin"]), "Idempotency-Key": "k"})
    assert mine.json()["run_id"] != theirs.json()["run_id"]
    bad = {**auth(keys["clinician"]), "Idempotency-Key": "k-bad"}
    assert client.post("/v1/tasks/no.such/run", json={"note": NOTE}, headers=bad).status_code == 404
    assert client.post("/v1/tasks/no.such/run", json={"note": NOTE}, headers=bad).status_code == 404
    assert store.count_runs(engine) == 2
    _problem(client.post("/v1/documents/parse", json={"text": "x"},
                         headers={**auth(keys["clinician"]), "Idempotency-Key": b"\xc3\xa9"}), 400)


# ── date-times carry a timezone ───────────────────────────────────────────────────────────────


def test_date_times_in_answers_carry_the_hospital_offset(client: TestClient, keys) -> None:
    """Clinical times are hospital-local; on the wire they say so (+08:00), and a UTC input is converted."""
    h = auth(keys["admin"])
    assert client.put("/v1/patients/p-tz", json={"id": "p-tz", "sex": "female", "synthetic": True},
                      headers=h).status_code == 200
    ctx = {"patient": {"id": "p-tz", "sex": "female", "synthetic": True},
           "encounter": {"id": "e-tz", "patient_id": "p-tz", "encounter_class": "inpatient",
                         "admitted_at": "2026-03-01T01:30:00Z"},
           "documents": [{"doc_type": "入院记录", "text": NOTE, "recorded_at": "2026-03-01T09:45:00"}]}
    store.save_context(client.app.state.engine, ClinicalContext.model_validate(ctx))
    got = client.get("/v1/encounters/e-tz", headers=h).json()
    assert got["encounter"]["admitted_at"] == "2026-03-01T09:30:00+08:00"
    assert got["documents"][0]["recorded_at"] == "2026-03-01T09:45:00+08:00"
